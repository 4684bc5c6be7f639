/*
 * Archived jobs (store-archive.h): the archived flag, the loads and
 * queries over it, and the usage the archived runs leave.  Statements are
 * prepared where they are used: lists and counts build their SQL from the
 * query, and the rest run a few times a minute at most.
 *
 * Each query names its index (INDEXED BY): without statistics SQLite may
 * otherwise walk a million rows by id where a partial index holds the
 * answer (migration 6 in store.c has them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/store/store-archive.h"
#include "core/store/store-int.h"
#include "core/store/store.h"

#define STORE_ARCHIVE_BATCH 500 /* ids in one UPDATE */

int
store_archive_set(struct store *st, int64_t id, int archived)
{
	sqlite3_stmt *s;
	int e;

	if (store_prepare(st, "UPDATE jobs SET archived = ?2 WHERE id = ?1",
	        &s) != 0)
		return GQ_EIO;
	e = store_bind_i64(s, 1, id);
	e |= store_bind_i64(s, 2, archived ? 1 : 0);
	return store_run_once(st, s, e, "archive a job");
}

int
store_archive_set_many(struct store *st, const int64_t *ids, size_t n,
    int archived)
{
	sqlite3_stmt *s;
	struct buf b;
	size_t i, k;
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i += STORE_ARCHIVE_BATCH) {
		buf_init(&b, 64 + 24 * STORE_ARCHIVE_BATCH);
		(void)buf_printf(&b,
		    "UPDATE jobs SET archived = %d WHERE id IN (",
		    archived ? 1 : 0);
		for (k = i; k < n && k < i + STORE_ARCHIVE_BATCH; k++)
			(void)buf_printf(&b, "%s%lld", k > i ? ", " : "",
			    (long long)ids[k]);
		(void)buf_addstr(&b, ")");
		rc = b.data != NULL ? store_prepare(st, b.data, &s) : GQ_EIO;
		buf_done(&b);
		if (rc == 0)
			rc = store_run_once(st, s, 0, "archive jobs");
	}
	return rc;
}

/*
 * Steps a SELECT of every job column, decoding each row into a new job
 * for cb (which steals it).  Finalizes s.
 */
static int
store_archive_walk(struct store *st, sqlite3_stmt *s,
    int (*cb)(struct job *j, void *arg), void *arg)
{
	struct job *j;
	int rc = 0, src = SQLITE_DONE;

	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		j = job_new();
		if ((rc = store_job_decode(s, j)) != 0) {
			log_error("store: %s: job %lld: corrupt record",
			    st->path, (long long)sqlite3_column_int64(s, 0));
			job_free(j);
		} else
			rc = cb(j, arg);
	}
	if (rc == 0 && src != SQLITE_DONE && src != SQLITE_ROW)
		rc = store_fail(st, "read jobs", NULL);
	sqlite3_finalize(s);
	return rc;
}

/* Prepares "SELECT <job columns> FROM jobs <tail>". */
static int
store_archive_select(struct store *st, const char *tail, sqlite3_stmt **s)
{
	char *sql = store_job_select_sql(tail);
	int rc = store_prepare(st, sql, s);

	free(sql);
	return rc;
}

int
store_archive_load_live(struct store *st, int (*cb)(struct job *j, void *arg),
    void *arg)
{
	sqlite3_stmt *s;

	if (store_archive_select(st,
	        "INDEXED BY jobs_live WHERE archived = 0 ORDER BY id", &s) != 0)
		return GQ_EIO;
	return store_archive_walk(st, s, cb, arg);
}

static int
store_archive_take(struct job *j, void *arg)
{
	*(struct job **)arg = j;
	return 1; /* one row */
}

int
store_archive_get(struct store *st, int64_t id, struct job **out)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if (store_archive_select(st, "WHERE id = ?1 AND archived = 1", &s) != 0)
		return GQ_EIO;
	if (store_bind_i64(s, 1, id) != SQLITE_OK) {
		sqlite3_finalize(s);
		return store_fail(st, "read a job", NULL);
	}
	rc = store_archive_walk(st, s, store_archive_take, out);
	if (*out != NULL)
		return 0;
	return rc != 0 ? rc : GQ_ENOENT;
}

int
store_archive_state(struct store *st, int64_t id, enum job_state *out)
{
	sqlite3_stmt *s;
	int rc, src = SQLITE_ERROR;
	int64_t v;

	if (store_prepare(st, "SELECT state FROM jobs WHERE id = ?1", &s) != 0)
		return GQ_EIO;
	if (store_bind_i64(s, 1, id) == SQLITE_OK)
		src = sqlite3_step(s);
	if (src == SQLITE_ROW) {
		v = sqlite3_column_int64(s, 0);
		rc = v >= 0 && v < JOB_NSTATES ? 0 : GQ_EIO;
		*out = (enum job_state)v;
	} else if (src == SQLITE_DONE)
		rc = GQ_ENOENT;
	else
		rc = store_fail(st, "read a job's state", NULL);
	sqlite3_finalize(s);
	return rc;
}

/* The states an archived job may be in: the final ones. */
static unsigned
store_archive_final_mask(void)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < JOB_NSTATES; i++)
		if (model_state_final((enum job_state)i))
			m |= 1u << i;
	return m;
}

/*
 * The states part of a WHERE: nothing when q wants every final state, else
 * "state = N" (one: jobs_state serves it in id order) or "state IN (...)".
 * plus: "+state" so that a list is not sorted off the state index.
 */
static void
store_archive_states(struct buf *b, unsigned states, int plus)
{
	unsigned fin = store_archive_final_mask(), m = states & fin;
	int i, n = 0;

	if (states == 0 || m == fin)
		return;
	for (i = 0; i < JOB_NSTATES; i++)
		n += (m >> i) & 1;
	if (n == 1) {
		for (i = 0; !((m >> i) & 1); i++)
			;
		(void)buf_printf(b, " AND state = %d", i);
		return;
	}
	(void)buf_printf(b, " AND %sstate IN (", plus ? "+" : "");
	for (i = 0, n = 0; i < JOB_NSTATES; i++)
		if ((m >> i) & 1)
			(void)buf_printf(b, "%s%d", n++ ? ", " : "", i);
	(void)buf_addstr(b, ")");
}

/* "[INDEXED BY ...] WHERE archived = 1 AND id > ?1 ..." for q. */
static void
store_archive_where(struct buf *b, const struct store_archive_query *q,
    int count)
{
	if (q->user != NULL)
		(void)buf_addstr(b, "INDEXED BY jobs_arch_user ");
	else if (q->project != NULL)
		(void)buf_addstr(b, "INDEXED BY jobs_arch_project ");
	else if (count)
		(void)buf_addstr(b, "INDEXED BY jobs_arch_state ");
	(void)buf_addstr(b, "WHERE archived = 1 AND id > ?1");
	if (q->user != NULL)
		(void)buf_addstr(b, " AND user = ?2");
	if (q->project != NULL)
		(void)buf_addstr(b, " AND project = ?3");
	store_archive_states(b, q->states, !count);
}

static int
store_archive_bind(sqlite3_stmt *s, const struct store_archive_query *q)
{
	int e = store_bind_i64(s, 1, q->after);

	if (q->user != NULL)
		e |= store_bind_text(s, 2, q->user);
	if (q->project != NULL)
		e |= store_bind_text(s, 3, q->project);
	return e;
}

/* 1 when no archived job can match q: it wants no final state. */
static int
store_archive_none(const struct store_archive_query *q)
{
	return q->states != 0 && (q->states & store_archive_final_mask()) == 0;
}

int
store_archive_list(struct store *st, const struct store_archive_query *q,
    int (*cb)(struct job *j, void *arg), void *arg)
{
	sqlite3_stmt *s;
	struct buf b;
	int rc;

	if (store_archive_none(q) || q->limit <= 0)
		return 0;
	buf_init(&b, 4096);
	store_archive_where(&b, q, 0);
	(void)buf_printf(&b, " ORDER BY id LIMIT %lld", (long long)q->limit);
	rc = b.data != NULL ? store_archive_select(st, b.data, &s) : GQ_EIO;
	buf_done(&b);
	if (rc != 0)
		return rc;
	if (store_archive_bind(s, q) != SQLITE_OK) {
		sqlite3_finalize(s);
		return store_fail(st, "list archived jobs", NULL);
	}
	return store_archive_walk(st, s, cb, arg);
}

int
store_archive_count(struct store *st, const struct store_archive_query *q,
    int64_t *out)
{
	sqlite3_stmt *s;
	struct buf b;
	int rc, src = SQLITE_ERROR;

	*out = 0;
	if (store_archive_none(q))
		return 0;
	buf_init(&b, 4096);
	(void)buf_addstr(&b, "SELECT COUNT(*) FROM jobs ");
	store_archive_where(&b, q, 1);
	rc = b.data != NULL ? store_prepare(st, b.data, &s) : GQ_EIO;
	buf_done(&b);
	if (rc != 0)
		return rc;
	if (store_archive_bind(s, q) == SQLITE_OK)
		src = sqlite3_step(s);
	if (src == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		rc = store_fail(st, "count archived jobs", NULL);
	sqlite3_finalize(s);
	return rc;
}

/* Fills the accounting fields of j from a row of store_archive_runs. */
static int
store_archive_run_row(sqlite3_stmt *s, struct job *j)
{
	const char *user = store_col_text(s, 1),
	           *project = store_col_text(s, 2);
	int64_t state = sqlite3_column_int64(s, 3);

	memset(j, 0, sizeof(*j));
	if (user == NULL || project == NULL || state < 0 ||
	    state >= JOB_NSTATES)
		return GQ_EIO;
	j->core.id = sqlite3_column_int64(s, 0);
	snprintf(j->core.user, sizeof(j->core.user), "%s", user);
	snprintf(j->core.project, sizeof(j->core.project), "%s", project);
	j->core.state = (enum job_state)state;
	j->start_time = sqlite3_column_int64(s, 5);
	j->end_time = sqlite3_column_int64(s, 6);
	return store_job_alloc_decode(store_col_text(s, 4), &j->core.alloc);
}

int
store_archive_runs(struct store *st, int64_t since,
    int (*cb)(const struct job *j, void *arg), void *arg)
{
	static const char sql[] =
	    "SELECT id, user, project, state, alloc, start_time, end_time"
	    " FROM jobs INDEXED BY jobs_arch_end"
	    " WHERE archived = 1 AND end_time >= ?1 AND start_time > 0";
	struct job *j = xmalloc(sizeof(*j));
	sqlite3_stmt *s;
	int rc = 0, src = SQLITE_DONE;

	if (store_prepare(st, sql, &s) != 0) {
		free(j);
		return GQ_EIO;
	}
	if (store_bind_i64(s, 1, since) != SQLITE_OK)
		rc = store_fail(st, "read archived runs", NULL);
	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_archive_run_row(s, j) != 0)
			log_warn("store: %s: job %lld: its run does not decode",
			    st->path, (long long)sqlite3_column_int64(s, 0));
		else
			rc = cb(j, arg);
	}
	if (rc == 0 && src != SQLITE_DONE && src != SQLITE_ROW)
		rc = store_fail(st, "read archived runs", NULL);
	sqlite3_finalize(s);
	free(j);
	return rc;
}

int
store_archive_usage_each(struct store *st,
    void (*cb)(const char *project, const char *user, double gpu_s,
        double cpu_s, double mem_s, void *arg),
    void *arg)
{
	sqlite3_stmt *s;
	int src;

	if (store_prepare(st,
	        "SELECT project, user, gpu_s, cpu_s, mem_s FROM usage_archive",
	        &s) != 0)
		return GQ_EIO;
	while ((src = sqlite3_step(s)) == SQLITE_ROW)
		if (store_col_text(s, 0) != NULL &&
		    store_col_text(s, 1) != NULL)
			cb(store_col_text(s, 0), store_col_text(s, 1),
			    sqlite3_column_double(s, 2),
			    sqlite3_column_double(s, 3),
			    sqlite3_column_double(s, 4), arg);
	sqlite3_finalize(s);
	return src == SQLITE_DONE ? 0 :
	                            store_fail(st, "read archived usage", NULL);
}

int
store_archive_usage_put(struct store *st, const char *project, const char *user,
    double gpu_s, double cpu_s, double mem_s)
{
	sqlite3_stmt *s;
	int e;

	if (store_prepare(st,
	        "INSERT INTO usage_archive (project, user, gpu_s, cpu_s,"
	        " mem_s) VALUES (?1, ?2, ?3, ?4, ?5)"
	        " ON CONFLICT (project, user) DO UPDATE SET"
	        " gpu_s = excluded.gpu_s, cpu_s = excluded.cpu_s,"
	        " mem_s = excluded.mem_s",
	        &s) != 0)
		return GQ_EIO;
	e = store_bind_text(s, 1, project);
	e |= store_bind_text(s, 2, user);
	e |= sqlite3_bind_double(s, 3, gpu_s);
	e |= sqlite3_bind_double(s, 4, cpu_s);
	e |= sqlite3_bind_double(s, 5, mem_s);
	return store_run_once(st, s, e, "write archived usage");
}

int
store_archive_usage_clear(struct store *st)
{
	sqlite3_stmt *s;

	if (store_prepare(st, "DELETE FROM usage_archive", &s) != 0)
		return GQ_EIO;
	return store_run_once(st, s, 0, "clear archived usage");
}
