/*
 * The store against a real SQLite file in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/job.h"
#include "core/store/store.h"

struct fixture {
	char dir[64];
	char *path;
};

/* Jobs handed over by store_job_load_all, in order. */
struct loaded {
	struct job *jobs[8];
	size_t n;
	int stop_after; /* stop the walk after this many; 0: never */
};

static const char *const test_argv[] = { "python3", "train.py", "--name",
	"my run", "it's \"quoted\"", "$(rm -rf /); `id` | cat > /tmp/x &",
	"back\\slash\ttab\nnewline", "\xc3\xbcnicode", "" };
static const char *const test_env[] = { "A=1", "SPACES=x y z", "EMPTY=" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/gpuq-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->path = xasprintf("%s/gpuq.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	struct dirent *de;
	char *p;
	DIR *d;

	if ((d = opendir(f->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			p = xasprintf("%s/%s", f->dir, de->d_name);
			if (unlink(p) != 0)
				rmdir(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static struct store *
open_ok(const char *path)
{
	struct store *st = NULL;
	char *cause = NULL;

	if (store_open(path, 1, &st, &cause) != 0)
		fail_msg("store_open: %s", cause);
	assert_non_null(st);
	return st;
}

/* Runs one SQL query with the sqlite3 API and returns its first integer. */
static int64_t
sql_int(const char *path, const char *sql)
{
	sqlite3_stmt *s;
	sqlite3 *db;
	int64_t v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int
collect(struct job *j, void *arg)
{
	struct loaded *l = arg;

	assert_true(l->n < NELEM(l->jobs));
	l->jobs[l->n++] = j;
	return l->stop_after != 0 && (int)l->n >= l->stop_after ? 42 : 0;
}

static void
loaded_free(struct loaded *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		job_free(l->jobs[i]);
	l->n = 0;
}

static void
load(struct store *st, struct loaded *l)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(store_job_load_all(st, collect, l), 0);
}

/* A job with every persisted field set to something not a default. */
static struct job *
full_job(int64_t id)
{
	struct job *j = job_new();
	struct job_core *c = &j->core;

	c->id = id;
	snprintf(c->user, sizeof(c->user), "alice");
	snprintf(c->project, sizeof(c->project), "vision");
	c->cls = JOB_CLASS_TRAIN;
	c->priority = -7;
	c->preemptible = 1;
	c->submit_time = 1700000000;
	c->state = JOB_RUNNING;
	c->req = (struct req){ .gpus_milli = 2000,
		.gpu_mem_mb = 40960,
		.cpus_milli = 8000,
		.mem_mb = 65536,
		.time_limit_s = 14400,
		.gpu_model = "H100|A100",
		.pool = "a100",
		.labels = "ib,nvlink",
		.nodes = 2 };
	c->alloc.node = 1;
	c->alloc.ngpus = 2;
	c->alloc.gpus[0] = (struct alloc_gpu){ 3, 1000, 81920 };
	c->alloc.gpus[1] = (struct alloc_gpu){ 5, 500, 40960 };
	c->alloc.cpus_milli = 8000;
	c->alloc.mem_mb = 65536;
	j->name = xstrdup("resnet 'big' \"run\"");
	job_set_argv(j, test_argv, NELEM(test_argv));
	job_set_env(j, test_env, NELEM(test_env));
	j->workdir = xstrdup("/home/alice/my project");
	j->key = xstrdup("k-123");
	j->uid = 1000;
	j->gid = 4294967294u;
	j->start_time = 1700000100;
	j->end_time = 1700000200;
	j->exit_code = 3;
	j->exit_signal = 9;
	job_set_reason(j, "out of memory");
	j->attempt = 2;
	j->kill_grace_s = 30;
	j->sup_pid = 123456;
	j->sup_start = 9876543210123ull;
	j->end_intent = JOB_CANCELLED;
	j->ckpt_signal = 10;
	j->preemptions = 3;
	return j;
}

static void
assert_str_or_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_strv_equal(char **a, size_t na, char **b, size_t nb)
{
	size_t i;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
	assert_null(a[na]);
	assert_null(b[nb]);
}

static void
assert_gpu_equal(const struct alloc_gpu *a, const struct alloc_gpu *b)
{
	assert_int_equal(a->gpu, b->gpu);
	assert_int_equal(a->milli, b->milli);
	assert_int_equal(a->mem_mb, b->mem_mb);
}

static void
assert_core_equal(const struct job_core *a, const struct job_core *b)
{
	int32_t i;

	assert_int_equal(a->id, b->id);
	assert_string_equal(a->user, b->user);
	assert_string_equal(a->project, b->project);
	assert_int_equal(a->cls, b->cls);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->preemptible, b->preemptible);
	assert_int_equal(a->submit_time, b->submit_time);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->req.gpus_milli, b->req.gpus_milli);
	assert_int_equal(a->req.gpu_mem_mb, b->req.gpu_mem_mb);
	assert_int_equal(a->req.cpus_milli, b->req.cpus_milli);
	assert_int_equal(a->req.mem_mb, b->req.mem_mb);
	assert_int_equal(a->req.time_limit_s, b->req.time_limit_s);
	assert_string_equal(a->req.pool, b->req.pool);
	assert_string_equal(a->req.labels, b->req.labels);
	assert_string_equal(a->req.gpu_model, b->req.gpu_model);
	assert_int_equal(a->req.nodes, b->req.nodes);
	assert_int_equal(a->alloc.node, b->alloc.node);
	assert_int_equal(a->alloc.ngpus, b->alloc.ngpus);
	assert_int_equal(a->alloc.cpus_milli, b->alloc.cpus_milli);
	assert_int_equal(a->alloc.mem_mb, b->alloc.mem_mb);
	for (i = 0; i < a->alloc.ngpus; i++)
		assert_gpu_equal(&a->alloc.gpus[i], &b->alloc.gpus[i]);
}

static void
assert_job_equal(const struct job *a, const struct job *b)
{
	assert_core_equal(&a->core, &b->core);
	assert_str_or_null(a->name, b->name);
	assert_strv_equal(a->argv, a->argc, b->argv, b->argc);
	assert_strv_equal(a->env, a->nenv, b->env, b->nenv);
	assert_str_or_null(a->workdir, b->workdir);
	assert_str_or_null(a->key, b->key);
	assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->gid, b->gid);
	assert_int_equal(a->start_time, b->start_time);
	assert_int_equal(a->end_time, b->end_time);
	assert_int_equal(a->exit_code, b->exit_code);
	assert_int_equal(a->exit_signal, b->exit_signal);
	assert_str_or_null(a->reason, b->reason);
	assert_int_equal(a->attempt, b->attempt);
	assert_int_equal(a->kill_grace_s, b->kill_grace_s);
	assert_int_equal(a->sup_pid, b->sup_pid);
	assert_true(a->sup_start == b->sup_start);
	assert_int_equal(a->end_intent, b->end_intent);
	assert_int_equal(a->ckpt_signal, b->ckpt_signal);
	assert_int_equal(a->preemptions, b->preemptions);
}

static void
test_open_schema(void **state)
{
	struct fixture *f = *state;

	store_close(open_ok(f->path));
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(sql_int(f->path,
	                     "SELECT count(*) FROM sqlite_master"
	                     " WHERE type = 'table' AND name IN"
	                     " ('jobs', 'job_history', 'meta',"
	                     " 'idem')"),
	    4);
	assert_int_equal(sql_int(f->path,
	                     "SELECT count(*) FROM sqlite_master"
	                     " WHERE type = 'index' AND name IN"
	                     " ('jobs_state', 'jobs_user_key',"
	                     " 'idem_time')"),
	    3);
	/* WAL is a property of the file: a second connection sees it. */
	assert_int_equal(sql_int(f->path,
	                     "SELECT journal_mode = 'wal'"
	                     " FROM pragma_journal_mode"),
	    1);
	/* Opening again is a no-op for the schema. */
	store_close(open_ok(f->path));
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
}

static void
test_job_roundtrip(void **state)
{
	struct fixture *f = *state;
	struct job *full = full_job(7), *bare = job_new();
	struct store *st = open_ok(f->path);
	struct loaded l;

	bare->core.id = 3;
	snprintf(bare->core.user, sizeof(bare->core.user), "bob");
	assert_int_equal(store_job_put(st, full), 0);
	assert_int_equal(store_job_put(st, bare), 0);
	store_close(st);

	st = open_ok(f->path);
	load(st, &l);
	assert_int_equal(l.n, 2);
	/* Id order, not insertion order. */
	assert_job_equal(l.jobs[0], bare);
	assert_job_equal(l.jobs[1], full);
	/* NULL pointers come back NULL; an empty argv comes back empty. */
	assert_null(l.jobs[0]->name);
	assert_null(l.jobs[0]->workdir);
	assert_null(l.jobs[0]->key);
	assert_null(l.jobs[0]->reason);
	assert_int_equal(l.jobs[0]->argc, 0);
	assert_int_equal(l.jobs[0]->exit_code, -1);
	assert_int_equal(l.jobs[0]->core.alloc.ngpus, 0);
	assert_string_equal(l.jobs[1]->argv[5],
	    "$(rm -rf /); `id` | cat > /tmp/x &");
	loaded_free(&l);
	store_close(st);
	job_free(full);
	job_free(bare);
}

static void
test_job_update(void **state)
{
	struct fixture *f = *state;
	struct job *j = full_job(11);
	struct store *st = open_ok(f->path);
	struct loaded l;

	assert_int_equal(store_job_put(st, j), 0);
	assert_int_equal(store_job_history_add(st, 11, 10, JOB_PENDING, NULL),
	    0);
	store_close(st);

	st = open_ok(f->path);
	j->core.state = JOB_COMPLETED;
	j->exit_code = 0;
	j->end_time = 1700009999;
	free(j->key);
	j->key = NULL;
	assert_int_equal(store_job_put(st, j), 0);
	store_close(st);

	st = open_ok(f->path);
	load(st, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.jobs[0]->core.state, JOB_COMPLETED);
	assert_int_equal(l.jobs[0]->exit_code, 0);
	assert_null(l.jobs[0]->key);
	assert_job_equal(l.jobs[0], j);
	loaded_free(&l);
	store_close(st);
	/* An update is not a delete: the history survives it. */
	assert_int_equal(sql_int(f->path,
	                     "SELECT count(*) FROM job_history"
	                     " WHERE job_id = 11"),
	    1);
	job_free(j);
}

struct hist {
	int64_t time[8];
	enum job_state state[8];
	char reason[8][32];
	int null_reason[8];
	int n;
};

static void
hist_cb(int64_t time, enum job_state state, const char *reason, void *arg)
{
	struct hist *h = arg;

	assert_true(h->n < 8);
	h->time[h->n] = time;
	h->state[h->n] = state;
	h->null_reason[h->n] = reason == NULL;
	snprintf(h->reason[h->n], sizeof(h->reason[0]), "%s",
	    reason != NULL ? reason : "");
	h->n++;
}

static void
test_history(void **state)
{
	struct fixture *f = *state;
	struct job *a = full_job(1), *b = full_job(2);
	struct store *st = open_ok(f->path);
	struct hist h = { 0 };

	assert_int_equal(store_job_put(st, a), 0);
	assert_int_equal(store_job_put(st, b), 0);
	assert_int_equal(store_job_history_add(st, 1, 100, JOB_PENDING, NULL),
	    0);
	assert_int_equal(store_job_history_add(st, 2, 100, JOB_PENDING, NULL),
	    0);
	assert_int_equal(store_job_history_add(st, 1, 200, JOB_RUNNING,
	                     "started"),
	    0);
	/* Same second: insertion order decides. */
	assert_int_equal(store_job_history_add(st, 1, 200, JOB_FAILED,
	                     "exec: no such file"),
	    0);
	/* History of a job that does not exist is refused. */
	assert_int_equal(store_job_history_add(st, 99, 1, JOB_PENDING, NULL),
	    GQ_EIO);
	store_close(st);

	st = open_ok(f->path);
	assert_int_equal(store_job_history(st, 1, hist_cb, &h), 0);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.time[0], 100);
	assert_int_equal(h.state[0], JOB_PENDING);
	assert_true(h.null_reason[0]);
	assert_int_equal(h.state[1], JOB_RUNNING);
	assert_string_equal(h.reason[1], "started");
	assert_int_equal(h.state[2], JOB_FAILED);
	assert_string_equal(h.reason[2], "exec: no such file");
	memset(&h, 0, sizeof(h));
	assert_int_equal(store_job_history(st, 42, hist_cb, &h), 0);
	assert_int_equal(h.n, 0);
	store_close(st);
	job_free(a);
	job_free(b);
}

static void
test_meta(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->path);
	int64_t v = -1;

	assert_int_equal(store_meta_get(st, "next_job_id", &v), GQ_ENOENT);
	assert_int_equal(v, -1);
	assert_int_equal(store_meta_set(st, "next_job_id", 5), 0);
	assert_int_equal(store_meta_get(st, "next_job_id", &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(store_meta_set(st, "next_job_id", INT64_MAX), 0);
	assert_int_equal(store_meta_set(st, "event_seq", -3), 0);
	store_close(st);

	st = open_ok(f->path);
	assert_int_equal(store_meta_get(st, "next_job_id", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(store_meta_get(st, "event_seq", &v), 0);
	assert_int_equal(v, -3);
	store_close(st);
}

static void
test_idem(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->path);
	char *verb, *reply;

	assert_int_equal(store_idem_get(st, "alice", "k1", &verb, &reply),
	    GQ_ENOENT);
	assert_int_equal(store_idem_put(st, "alice", "k1", "job.submit",
	                     "{\"id\":7}", 100),
	    0);
	assert_int_equal(store_idem_put(st, "bob", "k1", "job.cancel",
	                     "{\"ok\":true}", 200),
	    0);
	/* The first answer stands. */
	assert_int_equal(store_idem_put(st, "alice", "k1", "job.submit",
	                     "{\"id\":8}", 150),
	    GQ_EEXIST);
	store_close(st);

	st = open_ok(f->path);
	assert_int_equal(store_idem_get(st, "alice", "k1", &verb, &reply), 0);
	assert_string_equal(verb, "job.submit");
	assert_string_equal(reply, "{\"id\":7}");
	free(verb);
	free(reply);
	assert_int_equal(store_idem_prune(st, 150), 0);
	assert_int_equal(store_idem_get(st, "alice", "k1", &verb, &reply),
	    GQ_ENOENT);
	assert_int_equal(store_idem_get(st, "bob", "k1", &verb, &reply), 0);
	assert_string_equal(verb, "job.cancel");
	assert_string_equal(reply, "{\"ok\":true}");
	free(verb);
	free(reply);
	store_close(st);
}

static void
test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char *cause = NULL;

	store_close(open_ok(f->path));
	sql_exec(f->path, "PRAGMA user_version = 99");
	assert_int_equal(store_open(f->path, 1, &st, &cause), GQ_EIO);
	assert_null(st);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "99"));
	free(cause);
	/* Nothing was changed by the refusal. */
	assert_int_equal(sql_int(f->path, "PRAGMA user_version"), 99);
}

static void
expect_open_fails(const char *path)
{
	struct store *st = NULL;
	char *cause = NULL;

	assert_int_equal(store_open(path, 0, &st, &cause), GQ_EIO);
	assert_null(st);
	assert_non_null(cause);
	assert_non_null(strstr(cause, path));
	free(cause);
}

static void
test_bad_paths(void **state)
{
	struct fixture *f = *state;
	char *p;
	FILE *fp;

	expect_open_fails(f->dir);
	p = xasprintf("%s/no/such/dir/gpuq.db", f->dir);
	expect_open_fails(p);
	free(p);
	p = xasprintf("%s/garbage.db", f->dir);
	assert_non_null(fp = fopen(p, "w"));
	fputs("this is not an SQLite database, just some text that is long "
	      "enough to have a header of a hundred bytes or so, which sqlite "
	      "reads first.\n",
	    fp);
	fclose(fp);
	expect_open_fails(p);
	free(p);
}

static void
test_uncommitted_lost(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->path);
	struct job *j = full_job(5);
	struct loaded l;
	int64_t v;

	assert_int_equal(store_in_txn(st), 0);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_in_txn(st), 1);
	assert_int_equal(store_begin(st), 0); /* already open: no-op */
	assert_int_equal(store_job_put(st, j), 0);
	assert_int_equal(store_meta_set(st, "event_seq", 9), 0);
	/* Visible inside the transaction. */
	load(st, &l);
	assert_int_equal(l.n, 1);
	loaded_free(&l);
	store_close(st);

	st = open_ok(f->path);
	load(st, &l);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_meta_get(st, "event_seq", &v), GQ_ENOENT);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_job_put(st, j), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_in_txn(st), 0);
	assert_int_equal(store_commit(st), 0); /* none open: no-op */
	store_close(st);

	st = open_ok(f->path);
	load(st, &l);
	assert_int_equal(l.n, 1);
	assert_job_equal(l.jobs[0], j);
	loaded_free(&l);
	store_close(st);
	job_free(j);
}

static void
test_walk_stops(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->path);
	struct loaded l = { .stop_after = 2 };
	struct job *j;
	int64_t id;

	for (id = 1; id <= 4; id++) {
		j = full_job(id);
		assert_int_equal(store_job_put(st, j), 0);
		job_free(j);
	}
	assert_int_equal(store_job_load_all(st, collect, &l), 42);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.jobs[1]->core.id, 2);
	loaded_free(&l);
	/* The cached statement was reset: a new walk starts at the top. */
	load(st, &l);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.jobs[0]->core.id, 1);
	loaded_free(&l);
	store_close(st);
}

static void
test_bad_records(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->path);
	struct job *j = full_job(1);
	const char *bad = "\xff\xfe";
	struct loaded l;

	/* argv must be UTF-8, as everything the protocol carries is. */
	job_set_argv(j, &bad, 1);
	assert_int_equal(store_job_put(st, j), GQ_EINVAL);
	job_set_argv(j, test_argv, NELEM(test_argv));
	assert_int_equal(store_job_put(st, j), 0);
	store_close(st);

	/* A record damaged behind our back stops the load with an error. */
	sql_exec(f->path, "UPDATE jobs SET argv = '[1,2]' WHERE id = 1");
	st = open_ok(f->path);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_job_load_all(st, collect, &l), GQ_EIO);
	assert_int_equal(l.n, 0);
	store_close(st);
	sql_exec(f->path, "UPDATE jobs SET argv = '[]', state = 77");
	st = open_ok(f->path);
	assert_int_equal(store_job_load_all(st, collect, &l), GQ_EIO);
	store_close(st);
	job_free(j);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_open_schema),
		T(test_job_roundtrip),
		T(test_job_update),
		T(test_history),
		T(test_meta),
		T(test_idem),
		T(test_newer_schema_refused),
		T(test_bad_paths),
		T(test_uncommitted_lost),
		T(test_walk_stops),
		T(test_bad_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
