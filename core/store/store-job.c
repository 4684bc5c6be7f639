/*
 * Jobs in the store: their columns, how a record is encoded, and the walk
 * that loads them back.  Internal to core/store (see store-int.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/store/store.h"
#include "core/store/store-int.h"
#include "core/store/store-life.h"

/*
 * The columns of jobs (created by migrations 1 and 2 in store.c), in the
 * order both the insert and the select use.
 */
#define STORE_JOB_COLS(X)                                                      \
	X(ID, "id")                                                            \
	X(NAME, "name")                                                        \
	X(USER, "user")                                                        \
	X(PROJECT, "project")                                                  \
	X(CLASS, "class")                                                      \
	X(PRIORITY, "priority")                                                \
	X(PREEMPTIBLE, "preemptible")                                          \
	X(SUBMIT_TIME, "submit_time")                                          \
	X(STATE, "state")                                                      \
	X(REQ_GPUS_MILLI, "req_gpus_milli")                                    \
	X(REQ_GPU_MEM_MB, "req_gpu_mem_mb")                                    \
	X(REQ_CPUS_MILLI, "req_cpus_milli")                                    \
	X(REQ_MEM_MB, "req_mem_mb")                                            \
	X(REQ_TIME_LIMIT_S, "req_time_limit_s")                                \
	X(ALLOC, "alloc")                                                      \
	X(ARGV, "argv")                                                        \
	X(ENV, "env")                                                          \
	X(WORKDIR, "workdir")                                                  \
	X(KEY, "key")                                                          \
	X(UID, "uid")                                                          \
	X(GID, "gid")                                                          \
	X(START_TIME, "start_time")                                            \
	X(END_TIME, "end_time")                                                \
	X(EXIT_CODE, "exit_code")                                              \
	X(EXIT_SIGNAL, "exit_signal")                                          \
	X(REASON, "reason")                                                    \
	X(ATTEMPT, "attempt")                                                  \
	X(KILL_GRACE_S, "kill_grace_s")                                        \
	X(SUP_PID, "sup_pid")                                                  \
	X(SUP_START, "sup_start")                                              \
	X(END_INTENT, "end_intent")                                            \
	X(REQ_POOL, "req_pool")                                                \
	X(REQ_LABELS, "req_labels")                                            \
	X(REQ_GPU_MODEL, "req_gpu_model")                                      \
	X(REQ_NODES, "req_nodes")                                              \
	X(CKPT_SIGNAL, "ckpt_signal")                                          \
	X(PREEMPTIONS, "preemptions")                                          \
	X(LIFE, "life")

enum store_job_col {
#define STORE_JOB_COL_ENUM(name, sql) JC_##name,
	STORE_JOB_COLS(STORE_JOB_COL_ENUM)
#undef STORE_JOB_COL_ENUM
	    JC_N
};

static const char *const store_job_col_names[JC_N] = {
#define STORE_JOB_COL_NAME(name, sql) sql,
	STORE_JOB_COLS(STORE_JOB_COL_NAME)
#undef STORE_JOB_COL_NAME
};

/* "INSERT INTO jobs (...) VALUES (...) ON CONFLICT (id) DO UPDATE ..." */
char *
store_job_put_sql(void)
{
	struct buf b;
	int i;

	buf_init(&b, 8192);
	(void)buf_addstr(&b, "INSERT INTO jobs (");
	for (i = 0; i < JC_N; i++)
		(void)buf_printf(&b, "%s%s", i ? ", " : "",
		    store_job_col_names[i]);
	(void)buf_addstr(&b, ") VALUES (");
	for (i = 0; i < JC_N; i++)
		(void)buf_printf(&b, "%s?%d", i ? ", " : "", i + 1);
	(void)buf_addstr(&b, ") ON CONFLICT (id) DO UPDATE SET ");
	for (i = 1; i < JC_N; i++)
		(void)buf_printf(&b, "%s%s = excluded.%s", i > 1 ? ", " : "",
		    store_job_col_names[i], store_job_col_names[i]);
	return buf_take(&b);
}

/* "SELECT <every column> FROM jobs <tail>" (store-archive.c). */
char *
store_job_select_sql(const char *tail)
{
	struct buf b;
	int i;

	buf_init(&b, 8192);
	(void)buf_addstr(&b, "SELECT ");
	for (i = 0; i < JC_N; i++)
		(void)buf_printf(&b, "%s%s", i ? ", " : "",
		    store_job_col_names[i]);
	(void)buf_printf(&b, " FROM jobs %s", tail);
	return buf_take(&b);
}

char *
store_job_all_sql(void)
{
	return store_job_select_sql("ORDER BY id");
}

/* Binds a fixed-size array that may fill its whole size. */
static int
store_job_bind_array(sqlite3_stmt *s, int param, const char *v, size_t size)
{
	return sqlite3_bind_text(s, param, v, (int)strnlen(v, size),
	    SQLITE_TRANSIENT);
}

/* Copies a column into a fixed-size array; fails if it does not fit. */
static int
store_job_col_array(sqlite3_stmt *s, int col, char *dst, size_t size)
{
	const char *v = store_col_text(s, col);

	if (v == NULL || strlen(v) >= size)
		return GQ_EIO;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* The allocation as compact JSON (new), or NULL when it is all zero. */
static char *
store_job_alloc_encode(const struct alloc *a)
{
	json_t *o, *gpus;
	int32_t i, n;
	char *s;

	if (a->node == 0 && a->ngpus == 0 && a->cpus_milli == 0 &&
	    a->mem_mb == 0)
		return NULL;
	n = a->ngpus < 0 ? 0 : a->ngpus;
	n = n > MODEL_MAX_JOB_GPUS ? MODEL_MAX_JOB_GPUS : n;
	gpus = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(gpus,
		    json_pack("[iiI]", (int)a->gpus[i].gpu,
		        (int)a->gpus[i].milli, (json_int_t)a->gpus[i].mem_mb));
	o = json_pack("{s:i, s:o, s:i, s:I}", "node", (int)a->node, "gpus",
	    gpus, "cpus_milli", (int)a->cpus_milli, "mem_mb",
	    (json_int_t)a->mem_mb);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static int
store_job_alloc_decode_gpus(json_t *gpus, struct alloc *a)
{
	json_int_t mem;
	json_t *g;
	size_t i;
	int gpu, milli;

	if (!json_is_array(gpus) || json_array_size(gpus) > MODEL_MAX_JOB_GPUS)
		return GQ_EIO;
	json_array_foreach(gpus, i, g) {
		if (json_unpack(g, "[iiI!]", &gpu, &milli, &mem) != 0)
			return GQ_EIO;
		a->gpus[i].gpu = gpu;
		a->gpus[i].milli = milli;
		a->gpus[i].mem_mb = mem;
	}
	a->ngpus = (int32_t)json_array_size(gpus);
	return 0;
}

int
store_job_alloc_decode(const char *text, struct alloc *a)
{
	json_int_t mem;
	json_t *o, *gpus;
	int node, cpus, rc = GQ_EIO;

	memset(a, 0, sizeof(*a));
	if (text == NULL)
		return 0;
	if ((o = json_loads(text, 0, NULL)) == NULL)
		return GQ_EIO;
	if (json_unpack(o, "{s:i, s:o, s:i, s:I !}", "node", &node, "gpus",
	        &gpus, "cpus_milli", &cpus, "mem_mb", &mem) == 0) {
		a->node = node;
		a->cpus_milli = cpus;
		a->mem_mb = mem;
		rc = store_job_alloc_decode_gpus(gpus, a);
	}
	json_decref(o);
	return rc;
}

/*
 * A string vector as a compact JSON array (new in *out).  GQ_EINVAL when
 * an entry is missing or not UTF-8: JSON, like the protocol, carries only
 * UTF-8.
 */
static int
store_job_strv_encode(char *const *v, size_t n, char **out)
{
	json_t *a = json_array(), *s;
	size_t i;

	*out = NULL;
	for (i = 0; i < n; i++) {
		if (v == NULL || (s = json_string(v[i])) == NULL) {
			json_decref(a);
			return GQ_EINVAL;
		}
		json_array_append_new(a, s);
	}
	*out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return 0;
}

static int
store_job_strv_decode(struct job *j, const char *text, size_t max,
    void (*set)(struct job *, const char *const *, size_t))
{
	const char **v;
	json_t *a, *s;
	size_t i, n;
	int rc = 0;

	if (text == NULL || (a = json_loads(text, 0, NULL)) == NULL)
		return GQ_EIO;
	if (!json_is_array(a) || (n = json_array_size(a)) > max) {
		json_decref(a);
		return GQ_EIO;
	}
	v = xcalloc(n + 1, sizeof(*v));
	json_array_foreach(a, i, s) {
		if ((v[i] = json_string_value(s)) == NULL)
			rc = GQ_EIO;
	}
	if (rc == 0)
		set(j, v, n);
	free(v);
	json_decref(a);
	return rc;
}

/* Binds the scheduler's view; a non-zero return means a bind failed. */
static int
store_job_bind_core(sqlite3_stmt *s, const struct job_core *c)
{
	int e = 0;

	e |= store_bind_i64(s, JC_ID + 1, c->id);
	e |= store_job_bind_array(s, JC_USER + 1, c->user, sizeof(c->user));
	e |= store_job_bind_array(s, JC_PROJECT + 1, c->project,
	    sizeof(c->project));
	e |= store_bind_i64(s, JC_CLASS + 1, c->cls);
	e |= store_bind_i64(s, JC_PRIORITY + 1, c->priority);
	e |= store_bind_i64(s, JC_PREEMPTIBLE + 1, c->preemptible);
	e |= store_bind_i64(s, JC_SUBMIT_TIME + 1, c->submit_time);
	e |= store_bind_i64(s, JC_STATE + 1, c->state);
	e |= store_bind_i64(s, JC_REQ_GPUS_MILLI + 1, c->req.gpus_milli);
	e |= store_bind_i64(s, JC_REQ_GPU_MEM_MB + 1, c->req.gpu_mem_mb);
	e |= store_bind_i64(s, JC_REQ_CPUS_MILLI + 1, c->req.cpus_milli);
	e |= store_bind_i64(s, JC_REQ_MEM_MB + 1, c->req.mem_mb);
	e |= store_bind_i64(s, JC_REQ_TIME_LIMIT_S + 1, c->req.time_limit_s);
	e |= store_job_bind_array(s, JC_REQ_POOL + 1, c->req.pool,
	    sizeof(c->req.pool));
	e |= store_job_bind_array(s, JC_REQ_LABELS + 1, c->req.labels,
	    sizeof(c->req.labels));
	e |= store_job_bind_array(s, JC_REQ_GPU_MODEL + 1, c->req.gpu_model,
	    sizeof(c->req.gpu_model));
	e |= store_bind_i64(s, JC_REQ_NODES + 1, c->req.nodes);
	return e;
}

static int
store_job_bind_run(sqlite3_stmt *s, const struct job *j)
{
	int e = 0;

	e |= store_bind_text(s, JC_NAME + 1, j->name);
	e |= store_bind_text(s, JC_WORKDIR + 1, j->workdir);
	e |= store_bind_text(s, JC_KEY + 1, j->key);
	e |= store_bind_i64(s, JC_UID + 1, (int64_t)j->uid);
	e |= store_bind_i64(s, JC_GID + 1, (int64_t)j->gid);
	e |= store_bind_i64(s, JC_START_TIME + 1, j->start_time);
	e |= store_bind_i64(s, JC_END_TIME + 1, j->end_time);
	e |= store_bind_i64(s, JC_EXIT_CODE + 1, j->exit_code);
	e |= store_bind_i64(s, JC_EXIT_SIGNAL + 1, j->exit_signal);
	e |= store_bind_text(s, JC_REASON + 1, j->reason);
	e |= store_bind_i64(s, JC_ATTEMPT + 1, j->attempt);
	e |= store_bind_i64(s, JC_KILL_GRACE_S + 1, j->kill_grace_s);
	e |= store_bind_i64(s, JC_SUP_PID + 1, j->sup_pid);
	e |= store_bind_i64(s, JC_SUP_START + 1, (int64_t)j->sup_start);
	e |= store_bind_i64(s, JC_END_INTENT + 1, j->end_intent);
	e |= store_bind_i64(s, JC_CKPT_SIGNAL + 1, j->ckpt_signal);
	e |= store_bind_i64(s, JC_PREEMPTIONS + 1, j->preemptions);
	return e;
}

int
store_job_put(struct store *st, const struct job *j)
{
	sqlite3_stmt *s = st->stmt[SS_JOB_PUT];
	char *argv = NULL, *env = NULL, *alloc, *life;
	int e, rc;

	if ((rc = store_job_strv_encode(j->argv, j->argc, &argv)) != 0 ||
	    (rc = store_job_strv_encode(j->env, j->nenv, &env)) != 0) {
		log_error("store: job %lld: argv or env is not UTF-8",
		    (long long)j->core.id);
		free(argv);
		return rc;
	}
	alloc = store_job_alloc_encode(&j->core.alloc);
	e = store_job_bind_core(s, &j->core);
	e |= store_job_bind_run(s, j);
	e |= store_bind_text(s, JC_ALLOC + 1, alloc);
	e |= store_bind_text(s, JC_ARGV + 1, argv);
	e |= store_bind_text(s, JC_ENV + 1, env);
	e |= store_bind_text(s, JC_LIFE + 1, life = store_life_encode(j));
	rc = store_run(st, s, e, "put job");
	free(life);
	free(argv);
	free(env);
	free(alloc);
	return rc;
}

int
store_job_history_add(struct store *st, int64_t job_id, int64_t time,
    enum job_state state, const char *reason)
{
	sqlite3_stmt *s = st->stmt[SS_HIST_ADD];
	int e;

	e = store_bind_i64(s, 1, job_id);
	e |= store_bind_i64(s, 2, time);
	e |= store_bind_i64(s, 3, state);
	e |= store_bind_text(s, 4, reason);
	return store_run(st, s, e, "add history");
}

static int
store_job_decode_core(sqlite3_stmt *s, struct job_core *c)
{
	int64_t cls = sqlite3_column_int64(s, JC_CLASS);
	int64_t state = sqlite3_column_int64(s, JC_STATE);

	if (cls < 0 || cls >= JOB_NCLASSES || state < 0 || state >= JOB_NSTATES)
		return GQ_EIO;
	if (store_job_col_array(s, JC_USER, c->user, sizeof(c->user)) != 0 ||
	    store_job_col_array(s, JC_PROJECT, c->project,
	        sizeof(c->project)) != 0)
		return GQ_EIO;
	c->id = sqlite3_column_int64(s, JC_ID);
	c->cls = (enum job_class)cls;
	c->priority = sqlite3_column_int(s, JC_PRIORITY);
	c->preemptible = sqlite3_column_int(s, JC_PREEMPTIBLE);
	c->submit_time = sqlite3_column_int64(s, JC_SUBMIT_TIME);
	c->state = (enum job_state)state;
	c->req.gpus_milli = sqlite3_column_int(s, JC_REQ_GPUS_MILLI);
	c->req.gpu_mem_mb = sqlite3_column_int64(s, JC_REQ_GPU_MEM_MB);
	c->req.cpus_milli = sqlite3_column_int(s, JC_REQ_CPUS_MILLI);
	c->req.mem_mb = sqlite3_column_int64(s, JC_REQ_MEM_MB);
	c->req.time_limit_s = sqlite3_column_int64(s, JC_REQ_TIME_LIMIT_S);
	c->req.nodes = sqlite3_column_int(s, JC_REQ_NODES);
	if (store_job_col_array(s, JC_REQ_POOL, c->req.pool,
	        sizeof(c->req.pool)) != 0 ||
	    store_job_col_array(s, JC_REQ_LABELS, c->req.labels,
	        sizeof(c->req.labels)) != 0 ||
	    store_job_col_array(s, JC_REQ_GPU_MODEL, c->req.gpu_model,
	        sizeof(c->req.gpu_model)) != 0)
		return GQ_EIO;
	return store_job_alloc_decode(store_col_text(s, JC_ALLOC), &c->alloc);
}

static void
store_job_decode_run(sqlite3_stmt *s, struct job *j)
{
	j->name = store_col_dup(s, JC_NAME);
	j->workdir = store_col_dup(s, JC_WORKDIR);
	j->key = store_col_dup(s, JC_KEY);
	j->reason = store_col_dup(s, JC_REASON);
	j->uid = (uid_t)sqlite3_column_int64(s, JC_UID);
	j->gid = (gid_t)sqlite3_column_int64(s, JC_GID);
	j->start_time = sqlite3_column_int64(s, JC_START_TIME);
	j->end_time = sqlite3_column_int64(s, JC_END_TIME);
	j->exit_code = sqlite3_column_int(s, JC_EXIT_CODE);
	j->exit_signal = sqlite3_column_int(s, JC_EXIT_SIGNAL);
	j->attempt = sqlite3_column_int(s, JC_ATTEMPT);
	j->kill_grace_s = sqlite3_column_int(s, JC_KILL_GRACE_S);
	j->sup_pid = sqlite3_column_int64(s, JC_SUP_PID);
	j->sup_start = (uint64_t)sqlite3_column_int64(s, JC_SUP_START);
	j->end_intent = sqlite3_column_int(s, JC_END_INTENT);
	j->ckpt_signal = sqlite3_column_int(s, JC_CKPT_SIGNAL);
	j->preemptions = sqlite3_column_int(s, JC_PREEMPTIONS);
}

/* Fills a job_new() record from the current row. */
int
store_job_decode(sqlite3_stmt *s, struct job *j)
{
	int rc;

	if ((rc = store_job_decode_core(s, &j->core)) != 0)
		return rc;
	store_job_decode_run(s, j);
	if ((rc = store_life_decode(j, store_col_text(s, JC_LIFE))) != 0)
		return rc;
	if ((rc = store_job_strv_decode(j, store_col_text(s, JC_ARGV),
	         JOB_MAX_ARGS, job_set_argv)) != 0)
		return rc;
	return store_job_strv_decode(j, store_col_text(s, JC_ENV), JOB_MAX_ENV,
	    job_set_env);
}

/*
 * Walks the jobs.  A record that does not decode stops the walk with
 * GQ_EIO: the daemon must not start with a job silently missing.  cb must
 * not call store_job_load_all itself, and should not write jobs while the
 * walk is on (SQLite leaves it open whether the walk would see them).
 */
int
store_job_load_all(struct store *st, int (*cb)(struct job *j, void *arg),
    void *arg)
{
	sqlite3_stmt *s = st->stmt[SS_JOB_ALL];
	struct job *j;
	int rc = 0, src = SQLITE_DONE;

	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		j = job_new();
		if ((rc = store_job_decode(s, j)) != 0) {
			log_error("store: %s: job %lld: corrupt record",
			    st->path,
			    (long long)sqlite3_column_int64(s, JC_ID));
			job_free(j);
		} else
			rc = cb(j, arg);
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = store_fail(st, "load jobs", NULL);
	store_stmt_done(s);
	return rc;
}

int
store_job_history(struct store *st, int64_t job_id,
    void (
        *cb)(int64_t time, enum job_state state, const char *reason, void *arg),
    void *arg)
{
	sqlite3_stmt *s = st->stmt[SS_HIST_GET];
	int rc = 0, src;

	if (store_bind_i64(s, 1, job_id) != SQLITE_OK)
		src = SQLITE_ERROR;
	else
		while ((src = sqlite3_step(s)) == SQLITE_ROW)
			cb(sqlite3_column_int64(s, 0),
			    (enum job_state)sqlite3_column_int(s, 1),
			    store_col_text(s, 2), arg);
	if (src != SQLITE_DONE)
		rc = store_fail(st, "read history", NULL);
	store_stmt_done(s);
	return rc;
}
