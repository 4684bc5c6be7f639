/*
 * The SQLite store: opening, schema migrations, transactions, named
 * integers and idempotency keys.  Jobs and their history are in
 * store-job.c.  docs/internals/store.md explains the durability choices.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/store/store.h"
#include "core/store/store-int.h"

#define STORE_BUSY_MS 5000

/*
 * Forward migrations: entry v - 1 takes the schema from version v - 1 to v.
 * A released entry is never edited; a change appends an entry and bumps
 * STORE_SCHEMA_VERSION.  Enum values (state, class) are stored as
 * integers, so those enums only ever grow at the end.
 */
static const char *const store_migrations[] = {
	/* 1: jobs, their history, named integers, idempotency keys. */
	"CREATE TABLE jobs ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT,"
	" user TEXT NOT NULL,"
	" project TEXT NOT NULL,"
	" class INTEGER NOT NULL,"
	" priority INTEGER NOT NULL,"
	" preemptible INTEGER NOT NULL,"
	" submit_time INTEGER NOT NULL,"
	" state INTEGER NOT NULL,"
	" req_gpus_milli INTEGER NOT NULL,"
	" req_gpu_mem_mb INTEGER NOT NULL,"
	" req_cpus_milli INTEGER NOT NULL,"
	" req_mem_mb INTEGER NOT NULL,"
	" req_time_limit_s INTEGER NOT NULL,"
	" alloc TEXT,"
	" argv TEXT NOT NULL,"
	" env TEXT NOT NULL,"
	" workdir TEXT,"
	" key TEXT,"
	" uid INTEGER NOT NULL,"
	" gid INTEGER NOT NULL,"
	" start_time INTEGER NOT NULL,"
	" end_time INTEGER NOT NULL,"
	" exit_code INTEGER NOT NULL,"
	" exit_signal INTEGER NOT NULL,"
	" reason TEXT,"
	" attempt INTEGER NOT NULL,"
	" kill_grace_s INTEGER NOT NULL,"
	" sup_pid INTEGER NOT NULL,"
	" sup_start INTEGER NOT NULL,"
	" end_intent INTEGER NOT NULL);"
	"CREATE INDEX jobs_state ON jobs (state);"
	"CREATE INDEX jobs_user_key ON jobs (user, key);"
	"CREATE TABLE job_history ("
	" id INTEGER PRIMARY KEY,"
	" job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
	" time INTEGER NOT NULL,"
	" state INTEGER NOT NULL,"
	" reason TEXT);"
	"CREATE INDEX job_history_job ON job_history (job_id);"
	"CREATE TABLE meta ("
	" key TEXT PRIMARY KEY,"
	" value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE idem ("
	" user TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" verb TEXT NOT NULL,"
	" reply TEXT NOT NULL,"
	" time INTEGER NOT NULL,"
	" PRIMARY KEY (user, key)) WITHOUT ROWID;"
	"CREATE INDEX idem_time ON idem (time);",
	/* 2: where a job may run, how it is swapped out (issue 3). */
	"ALTER TABLE jobs ADD COLUMN req_pool TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE jobs ADD COLUMN req_labels TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE jobs ADD COLUMN req_gpu_model TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE jobs ADD COLUMN req_nodes INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN ckpt_signal INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN preemptions INTEGER NOT NULL DEFAULT 0;",
	/* 3: sweeps, their trials and metric points (issue 7, store-sweep.c). */
	"CREATE TABLE sweeps ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" user TEXT NOT NULL,"
	" uid INTEGER NOT NULL,"
	" gid INTEGER NOT NULL,"
	" project TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" spec TEXT NOT NULL,"
	" seed INTEGER NOT NULL,"
	" rng TEXT NOT NULL,"
	" workdir TEXT NOT NULL,"
	" env TEXT NOT NULL,"
	" created INTEGER NOT NULL,"
	" ended INTEGER NOT NULL,"
	" reason TEXT,"
	" next_trial INTEGER NOT NULL);"
	"CREATE TABLE sweep_trials ("
	" sweep_id INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,"
	" trial INTEGER NOT NULL,"
	" job_id INTEGER NOT NULL,"
	" params TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" step INTEGER,"
	" last REAL,"
	" best REAL,"
	" metrics TEXT,"
	" stopped_early TEXT,"
	" npoints INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" stride INTEGER NOT NULL,"
	" dropped INTEGER NOT NULL,"
	" metrics_off INTEGER NOT NULL,"
	" stdout_off INTEGER NOT NULL,"
	" PRIMARY KEY (sweep_id, trial)) WITHOUT ROWID;"
	"CREATE UNIQUE INDEX sweep_trials_job ON sweep_trials (job_id);"
	"CREATE TABLE sweep_points ("
	" sweep_id INTEGER NOT NULL,"
	" trial INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" step INTEGER NOT NULL,"
	" value REAL NOT NULL,"
	" PRIMARY KEY (sweep_id, trial, seq)) WITHOUT ROWID;",
	/* 4: a job's swap state, dependencies, hold (issue 6, store-life.c). */
	"ALTER TABLE jobs ADD COLUMN life TEXT;",
	/* 5: GPU rollups per minute, GPU usage per job and hour (issue 6,
	 * store-gpu.c). */
	"CREATE TABLE gpu_rollup ("
	" gpu INTEGER NOT NULL,"
	" minute INTEGER NOT NULL,"
	" samples INTEGER NOT NULL,"
	" util_avg INTEGER,"
	" util_max INTEGER,"
	" mem_avg_mb INTEGER,"
	" mem_max_mb INTEGER,"
	" temp_max INTEGER,"
	" power_avg INTEGER,"
	" lost INTEGER NOT NULL,"
	" PRIMARY KEY (gpu, minute)) WITHOUT ROWID;"
	"CREATE INDEX gpu_rollup_minute ON gpu_rollup (minute);"
	"CREATE TABLE gpu_usage ("
	" job_id INTEGER NOT NULL,"
	" hour INTEGER NOT NULL,"
	" alloc_gpu_s REAL NOT NULL,"
	" used_gpu_s REAL NOT NULL,"
	" idle_gpu_s REAL NOT NULL,"
	" peak_mem_mb INTEGER NOT NULL,"
	" samples INTEGER NOT NULL,"
	" PRIMARY KEY (job_id, hour)) WITHOUT ROWID;"
	"CREATE INDEX gpu_usage_hour ON gpu_usage (hour);",
	/* 6: finished jobs archived out of the daemon's memory, the usage
	 * their runs leave (store-archive.c, docs/internals/daemon.md). */
	"ALTER TABLE jobs ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX jobs_live ON jobs (id) WHERE archived = 0;"
	"CREATE INDEX jobs_arch_state ON jobs (state) WHERE archived = 1;"
	"CREATE INDEX jobs_arch_user ON jobs (user, id, state)"
	" WHERE archived = 1;"
	"CREATE INDEX jobs_arch_project ON jobs (project, id, state)"
	" WHERE archived = 1;"
	"CREATE INDEX jobs_arch_end ON jobs (end_time) WHERE archived = 1;"
	"CREATE TABLE usage_archive ("
	" project TEXT NOT NULL,"
	" user TEXT NOT NULL,"
	" gpu_s REAL NOT NULL,"
	" cpu_s REAL NOT NULL,"
	" mem_s REAL NOT NULL,"
	" PRIMARY KEY (project, user)) WITHOUT ROWID;",
};

_Static_assert(sizeof(store_migrations) / sizeof(store_migrations[0]) ==
        STORE_SCHEMA_VERSION,
    "one migration per schema version");

static const char *const store_sql[SS_N] = {
	[SS_BEGIN] = "BEGIN IMMEDIATE",
	[SS_COMMIT] = "COMMIT",
	[SS_ROLLBACK] = "ROLLBACK",
	[SS_HIST_ADD] = "INSERT INTO job_history (job_id, time, state, reason)"
	                " VALUES (?1, ?2, ?3, ?4)",
	[SS_HIST_GET] = "SELECT time, state, reason FROM job_history"
	                " WHERE job_id = ?1 ORDER BY id",
	[SS_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[SS_META_SET] =
	    "INSERT INTO meta (key, value) VALUES (?1, ?2)"
	    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[SS_IDEM_GET] = "SELECT verb, reply FROM idem"
	                " WHERE user = ?1 AND key = ?2",
	[SS_IDEM_PUT] = "INSERT INTO idem (user, key, verb, reply, time)"
	                " VALUES (?1, ?2, ?3, ?4, ?5)"
	                " ON CONFLICT (user, key) DO NOTHING",
	[SS_IDEM_PRUNE] = "DELETE FROM idem WHERE time < ?1",
};

/*
 * Records a failure: into *cause (new) when the caller gave one, else into
 * the log.  Returns GQ_EIO.
 */
int
store_fail(struct store *st, const char *what, char **cause)
{
	const char *msg =
	    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory";

	if (cause != NULL)
		*cause = xasprintf("%s: %s: %s", st->path, what, msg);
	else
		log_error("store: %s: %s: %s", st->path, what, msg);
	return GQ_EIO;
}

static int
store_exec(struct store *st, const char *sql, const char *what, char **cause)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, what, cause);
	return 0;
}

/* Resets a cached statement and drops its bound values. */
void
store_stmt_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/*
 * Runs a cached write statement to completion.  bind_err is non-zero when
 * binding its parameters failed.  A write is refused when the transaction
 * store_begin opened was rolled back underneath us (SQLite does so after
 * some I/O errors), so it cannot silently fall into autocommit.
 */
int
store_run(struct store *st, sqlite3_stmt *s, int bind_err, const char *what)
{
	int rc = 0;

	if (st->in_txn && sqlite3_get_autocommit(st->db)) {
		log_error("store: %s: %s: transaction was rolled back",
		    st->path, what);
		rc = GQ_EIO;
	} else if (bind_err != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = store_fail(st, what, NULL);
	store_stmt_done(s);
	return rc;
}

int
store_prepare(struct store *st, const char *sql, sqlite3_stmt **s)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK) {
		sqlite3_finalize(*s);
		*s = NULL;
		return store_fail(st, "prepare", NULL);
	}
	return 0;
}

int
store_run_once(struct store *st, sqlite3_stmt *s, int bind_err,
    const char *what)
{
	int rc = store_run(st, s, bind_err, what);

	sqlite3_finalize(s);
	return rc;
}

int
store_bind_i64(sqlite3_stmt *s, int param, int64_t v)
{
	return sqlite3_bind_int64(s, param, v);
}

/* Binds a string, or NULL for a NULL pointer. */
int
store_bind_text(sqlite3_stmt *s, int param, const char *v)
{
	return sqlite3_bind_text(s, param, v, -1, SQLITE_TRANSIENT);
}

const char *
store_col_text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

/* A new copy of a column, or NULL for SQL NULL. */
char *
store_col_dup(sqlite3_stmt *s, int col)
{
	const char *v = store_col_text(s, col);

	return v != NULL ? xstrdup(v) : NULL;
}

static int
store_open_db(struct store *st, const char *path, char **cause)
{
	int flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK)
		return store_fail(st, "open", cause);
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	return 0;
}

/* Switches to WAL and checks that it took (it cannot on some file systems). */
static int
store_wal(struct store *st, char **cause)
{
	sqlite3_stmt *s = NULL;
	const char *mode;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s,
	        NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		rc = store_fail(st, "journal_mode", cause);
	} else {
		mode = store_col_text(s, 0);
		/* An in-memory database (":memory:", tests) has no WAL. */
		if (mode == NULL ||
		    (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)) {
			if (cause != NULL)
				*cause = xasprintf("%s: cannot use WAL "
				                   "(journal mode %s)",
				    st->path, mode != NULL ? mode : "unknown");
			rc = GQ_EIO;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

static int
store_pragmas(struct store *st, int sync_full, char **cause)
{
	const char *sync = sync_full ? "PRAGMA synchronous = FULL" :
	                               "PRAGMA synchronous = NORMAL";
	int rc;

	if ((rc = store_wal(st, cause)) != 0 ||
	    (rc = store_exec(st, sync, "synchronous", cause)) != 0)
		return rc;
	return store_exec(st, "PRAGMA foreign_keys = ON", "foreign_keys",
	    cause);
}

static int
store_user_version(struct store *st, int64_t *ver, char **cause)
{
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
	        SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		rc = store_fail(st, "user_version", cause);
	else
		*ver = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

/* Inside a transaction: applies the migration after ver, if any. */
static int
store_migrate_apply(struct store *st, int64_t ver, int *done, char **cause)
{
	char *sql;
	int rc;

	if (ver > STORE_SCHEMA_VERSION) {
		if (cause != NULL)
			*cause = xasprintf("%s: schema version %lld is newer "
			                   "than this gpuqd knows (%d); "
			                   "upgrade gpuqd",
			    st->path, (long long)ver, STORE_SCHEMA_VERSION);
		return GQ_EIO;
	}
	if (ver < 0) {
		if (cause != NULL)
			*cause = xasprintf("%s: bad schema version %lld",
			    st->path, (long long)ver);
		return GQ_EIO;
	}
	if (ver == STORE_SCHEMA_VERSION) {
		*done = 1;
		return 0;
	}
	if ((rc = store_exec(st, store_migrations[ver], "migrate", cause)) != 0)
		return rc;
	sql = xasprintf("PRAGMA user_version = %lld", (long long)ver + 1);
	rc = store_exec(st, sql, "user_version", cause);
	free(sql);
	if (rc == 0)
		log_info("store: %s: schema now at version %lld", st->path,
		    (long long)ver + 1);
	return rc;
}

/*
 * One migration step in its own transaction.  The version is read inside
 * the write lock, so two processes opening the file at once cannot both
 * apply the same step.
 */
static int
store_migrate_step(struct store *st, int *done, char **cause)
{
	int64_t ver = 0;
	int rc;

	if ((rc = store_exec(st, "BEGIN IMMEDIATE", "begin", cause)) != 0)
		return rc;
	if ((rc = store_user_version(st, &ver, cause)) == 0)
		rc = store_migrate_apply(st, ver, done, cause);
	if (rc == 0)
		return store_exec(st, "COMMIT", "commit", cause);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int
store_migrate(struct store *st, char **cause)
{
	int done = 0, rc = 0;

	while (rc == 0 && !done)
		rc = store_migrate_step(st, &done, cause);
	return rc;
}

static int
store_prepare_all(struct store *st, char **cause)
{
	char *built;
	int i, rc;

	for (i = 0; i < SS_N; i++) {
		built = NULL;
		if (i == SS_JOB_PUT)
			built = store_job_put_sql();
		else if (i == SS_JOB_ALL)
			built = store_job_all_sql();
		rc = sqlite3_prepare_v3(st->db,
		    built != NULL ? built : store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL);
		free(built);
		if (rc != SQLITE_OK)
			return store_fail(st, "prepare", cause);
	}
	return 0;
}

int
store_open(const char *path, int sync_full, struct store **out, char **cause)
{
	struct store *st = xcalloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	if ((rc = store_open_db(st, path, cause)) == 0 &&
	    (rc = store_pragmas(st, sync_full, cause)) == 0 &&
	    (rc = store_migrate(st, cause)) == 0)
		rc = store_prepare_all(st, cause);
	if (rc != 0) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

/* Closing with a transaction open rolls it back: it was never committed. */
void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	if (st->db != NULL && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < SS_N; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_error("store: %s: close: %s", st->path,
		    sqlite3_errmsg(st->db));
	free(st->path);
	free(st);
}

int
store_begin(struct store *st)
{
	int rc;

	if (st->in_txn)
		return 0;
	if ((rc = store_run(st, st->stmt[SS_BEGIN], 0, "begin")) == 0)
		st->in_txn = 1;
	return rc;
}

/*
 * Commits.  On failure the transaction is rolled back (nothing of it is
 * durable) and GQ_EIO returned, so the caller must not acknowledge it.
 */
int
store_commit(struct store *st)
{
	int rc;

	if (!st->in_txn)
		return 0;
	rc = store_run(st, st->stmt[SS_COMMIT], 0, "commit");
	st->in_txn = 0;
	if (rc != 0 && !sqlite3_get_autocommit(st->db))
		(void)store_run(st, st->stmt[SS_ROLLBACK], 0, "rollback");
	return rc;
}

int
store_in_txn(const struct store *st)
{
	return st->in_txn;
}

int
store_meta_get(struct store *st, const char *key, int64_t *val)
{
	sqlite3_stmt *s = st->stmt[SS_META_GET];
	int rc, src = SQLITE_ERROR;

	if (store_bind_text(s, 1, key) == SQLITE_OK)
		src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		*val = sqlite3_column_int64(s, 0);
		rc = 0;
	} else if (src == SQLITE_DONE)
		rc = GQ_ENOENT;
	else
		rc = store_fail(st, "read meta", NULL);
	store_stmt_done(s);
	return rc;
}

int
store_meta_set(struct store *st, const char *key, int64_t val)
{
	sqlite3_stmt *s = st->stmt[SS_META_SET];
	int e;

	e = store_bind_text(s, 1, key);
	e |= store_bind_i64(s, 2, val);
	return store_run(st, s, e, "write meta");
}

int
store_idem_get(struct store *st, const char *user, const char *key, char **verb,
    char **reply)
{
	sqlite3_stmt *s = st->stmt[SS_IDEM_GET];
	int rc, src = SQLITE_ERROR;

	*verb = *reply = NULL;
	if (store_bind_text(s, 1, user) == SQLITE_OK &&
	    store_bind_text(s, 2, key) == SQLITE_OK)
		src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		*verb = store_col_dup(s, 0);
		*reply = store_col_dup(s, 1);
		rc = 0;
	} else if (src == SQLITE_DONE)
		rc = GQ_ENOENT;
	else
		rc = store_fail(st, "read idempotency key", NULL);
	store_stmt_done(s);
	return rc;
}

/* The first reply stored for (user, key) stands: a second is GQ_EEXIST. */
int
store_idem_put(struct store *st, const char *user, const char *key,
    const char *verb, const char *reply, int64_t now)
{
	sqlite3_stmt *s = st->stmt[SS_IDEM_PUT];
	int e, rc;

	e = store_bind_text(s, 1, user);
	e |= store_bind_text(s, 2, key);
	e |= store_bind_text(s, 3, verb);
	e |= store_bind_text(s, 4, reply);
	e |= store_bind_i64(s, 5, now);
	if ((rc = store_run(st, s, e, "write idempotency key")) != 0)
		return rc;
	return sqlite3_changes(st->db) == 0 ? GQ_EEXIST : 0;
}

int
store_idem_prune(struct store *st, int64_t before)
{
	sqlite3_stmt *s = st->stmt[SS_IDEM_PRUNE];

	return store_run(st, s, store_bind_i64(s, 1, before),
	    "prune idempotency keys");
}
