/*
 * A job's life (swap state, dependencies, hold) in the store: the column
 * text both ways, and a round trip through a real SQLite file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/job.h"
#include "core/store/store-life.h"
#include "core/store/store.h"

static struct alloc *
test_alloc(int32_t gpu)
{
	struct alloc *a = xcalloc(1, sizeof(*a));

	a->node = 0;
	a->ngpus = 2;
	a->gpus[0].gpu = gpu;
	a->gpus[0].milli = 1000;
	a->gpus[0].mem_mb = 81559;
	a->gpus[1].gpu = gpu + 1;
	a->gpus[1].milli = 500;
	a->gpus[1].mem_mb = 40000;
	a->cpus_milli = 2500;
	a->mem_mb = 16384;
	return a;
}

/* A job with every part of its life set. */
static struct job *
test_job(void)
{
	struct job *j = job_new();
	struct job_life *l = job_life(j);

	j->core.id = 7;
	j->core.state = JOB_SUSPENDED;
	j->core.flags = JOB_F_HELD | JOB_F_DEPENDENCY;
	l->after = xcalloc(2, sizeof(int64_t));
	l->after[0] = 3;
	l->after[1] = 4;
	l->nafter = 2;
	l->afterok = xcalloc(1, sizeof(int64_t));
	l->afterok[0] = 5;
	l->nafterok = 1;
	l->mech = JOB_SWAP_CUDA;
	l->op = JOB_SWAP_OP_NONE;
	l->seq = 3;
	l->resume = 1;
	l->kind = 2;
	l->since = 1795300000;
	l->ran_s = 42;
	l->for_job = 9;
	l->left = test_alloc(2);
	l->where = xstrdup("host memory: \"quoted\"\n");
	l->error = xstrdup("cuda-checkpoint failed");
	return j;
}

static void
test_same_alloc(const struct alloc *a, const struct alloc *b)
{
	assert_non_null(a);
	assert_non_null(b);
	assert_memory_equal(a, b, sizeof(*a));
}

static void
test_same_life(const struct job *a, const struct job *b)
{
	const struct job_life *x = a->life, *y = b->life;

	assert_non_null(y);
	/* DEPENDENCY is recomputed at every plan; only HELD is kept. */
	assert_int_equal(b->core.flags, JOB_F_HELD);
	assert_int_equal(y->nafter, 2);
	assert_memory_equal(y->after, x->after, 2 * sizeof(int64_t));
	assert_int_equal(y->nafterok, 1);
	assert_int_equal(y->afterok[0], 5);
	assert_int_equal(y->mech, x->mech);
	assert_int_equal(y->seq, x->seq);
	assert_int_equal(y->resume, 1);
	assert_int_equal(y->kind, 2);
	assert_int_equal(y->since, x->since);
	assert_int_equal(y->ran_s, 42);
	assert_int_equal(y->for_job, 9);
	assert_string_equal(y->where, x->where);
	assert_string_equal(y->error, x->error);
	test_same_alloc(y->left, x->left);
	assert_null(y->pin);
}

static void
test_roundtrip(void **state)
{
	struct job *j = test_job(), *k = job_new();
	char *text = store_life_encode(j);

	(void)state;
	assert_non_null(text);
	k->core.state = JOB_SUSPENDED;
	assert_int_equal(store_life_decode(k, text), 0);
	test_same_life(j, k);
	free(text);
	job_free(j);
	job_free(k);
}

/* A swap's incoming job: its pin comes back as core.pin. */
static void
test_pin(void **state)
{
	struct job *j = job_new(), *k = job_new();
	char *text;

	(void)state;
	job_life(j)->pin = test_alloc(0);
	j->life->pin_from = 3;
	text = store_life_encode(j);
	assert_int_equal(store_life_decode(k, text), 0);
	test_same_alloc(k->life->pin, j->life->pin);
	assert_ptr_equal(k->core.pin, k->life->pin);
	assert_int_equal(k->life->pin_from, 3);
	free(text);
	job_free(j);
	job_free(k);
}

/* Most jobs have no life: no text, and none back. */
static void
test_empty(void **state)
{
	struct job *j = job_new();

	(void)state;
	assert_null(store_life_encode(j));
	assert_int_equal(store_life_decode(j, NULL), 0);
	assert_null(j->life);
	j->core.flags = JOB_F_DEPENDENCY;
	assert_null(store_life_encode(j));
	job_free(j);
}

static void
test_garbled(void **state)
{
	static const char *const bad[] = { "{", "[]", "{\"after\":3}",
		"{\"after\":[\"x\"]}", "{\"left\":{\"node\":0}}",
		"{\"pin\":{\"node\":0,\"gpus\":[[1,2]],\"cpus_milli\":1,"
		"\"mem_mb\":1}}" };
	struct job *j;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = job_new();
		assert_int_equal(store_life_decode(j, bad[i]), GQ_EIO);
		job_free(j);
	}
}

/* More dependencies than a job may have: refused, not truncated. */
static void
test_too_many(void **state)
{
	struct job *j = job_new();
	char buf[2048];
	size_t n = 0;
	int i;

	(void)state;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "{\"after\":[");
	for (i = 0; i <= JOB_MAX_DEPS; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%d",
		    i ? "," : "", i + 1);
	snprintf(buf + n, sizeof(buf) - n, "]}");
	assert_int_equal(store_life_decode(j, buf), GQ_EIO);
	job_free(j);
}

static int
test_load_cb(struct job *j, void *arg)
{
	*(struct job **)arg = j;
	return 0;
}

/* Through a real store: put, commit, close, open, load. */
static void
test_store(void **state)
{
	char dir[] = "/tmp/gpuq-life-XXXXXX", *path, *cause = NULL;
	struct job *j = test_job(), *k = NULL;
	struct store *st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/gpuq.db", dir);
	j->core.state = JOB_SUSPENDED;
	snprintf(j->core.user, sizeof(j->core.user), "alice");
	snprintf(j->core.project, sizeof(j->core.project), "default");
	assert_int_equal(store_open(path, 0, &st, &cause), 0);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_job_put(st, j), 0);
	assert_int_equal(store_commit(st), 0);
	store_close(st);
	assert_int_equal(store_open(path, 0, &st, &cause), 0);
	assert_int_equal(store_job_load_all(st, test_load_cb, &k), 0);
	store_close(st);
	assert_non_null(k);
	test_same_life(j, k);
	job_free(j);
	job_free(k);
	unlink(path);
	free(path);
	path = xasprintf("%s/gpuq.db-wal", dir);
	unlink(path);
	free(path);
	path = xasprintf("%s/gpuq.db-shm", dir);
	unlink(path);
	free(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_pin),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_garbled),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
