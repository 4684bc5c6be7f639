/*
 * Archived jobs in the store (core/store/store-archive.c) against a real
 * SQLite file: the flag, the load of live jobs, reads, lists and counts
 * with their filters and paging, archived runs, the usage book.
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
#include "core/store/store-archive.h"
#include "core/store/store.h"

#define NJOBS 30

struct fixture {
	char dir[64];
	char *path;
	struct store *st;
};

/* Job i: user u(i%3), project p(i%2), state by i, ran [i*100, i*100+50]. */
static struct job *
make_job(int64_t i)
{
	static const char *const argv[] = { "python3", "train.py" };
	struct job *j = job_new();

	j->core.id = i;
	snprintf(j->core.user, sizeof(j->core.user), "u%d", (int)(i % 3));
	snprintf(j->core.project, sizeof(j->core.project), "p%d", (int)(i % 2));
	j->core.state = i > 25 ? JOB_PENDING :
	    i % 5 == 0         ? JOB_FAILED :
	                         JOB_COMPLETED;
	j->core.submit_time = i * 100 - 10;
	if (j->core.state != JOB_PENDING) {
		j->start_time = i * 100;
		j->end_time = i * 100 + 50;
		j->core.alloc.ngpus = 1;
		j->core.alloc.gpus[0].milli = 500;
		j->core.alloc.cpus_milli = 2000;
		j->core.alloc.mem_mb = 1024;
	}
	job_set_argv(j, argv, 2);
	j->workdir = xstrdup("/tmp");
	return j;
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char *cause = NULL;
	int64_t i, ids[NJOBS];
	struct job *j;
	size_t n = 0;

	snprintf(f->dir, sizeof(f->dir), "/tmp/gpuq-archive-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->path = xasprintf("%s/gpuq.db", f->dir);
	if (store_open(f->path, 0, &f->st, &cause) != 0)
		return -1;
	store_begin(f->st);
	for (i = 1; i <= NJOBS; i++) {
		j = make_job(i);
		assert_int_equal(store_job_put(f->st, j), 0);
		/* Every ended job but the last two (24, 25) is archived. */
		if (model_state_final(j->core.state) && i < 24)
			ids[n++] = i;
		job_free(j);
	}
	assert_int_equal(store_archive_set_many(f->st, ids, n, 1), 0);
	assert_int_equal(store_commit(f->st), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char *p;

	store_close(f->st);
	unlink(f->path);
	p = xasprintf("%s-wal", f->path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", f->path);
	unlink(p);
	free(p);
	rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* Ids seen by a walk, in order. */
struct ids {
	int64_t id[NJOBS + 1];
	size_t n;
};

static int
ids_add(struct job *j, void *arg)
{
	struct ids *s = arg;

	assert_true(s->n <= NJOBS);
	s->id[s->n++] = j->core.id;
	job_free(j);
	return 0;
}

static void
test_load_live(void **state)
{
	struct fixture *f = *state;
	struct ids s = { { 0 }, 0 };
	size_t k;

	assert_int_equal(store_archive_load_live(f->st, ids_add, &s), 0);
	/* 24..30: the last two ended ones and the five waiting. */
	assert_int_equal(s.n, 7);
	for (k = 0; k < s.n; k++)
		assert_int_equal(s.id[k], 24 + (int64_t)k);
}

static void
test_get_and_back(void **state)
{
	struct fixture *f = *state;
	enum job_state st;
	struct job *j;

	assert_int_equal(store_archive_get(f->st, 7, &j), 0);
	assert_int_equal(j->core.id, 7);
	assert_string_equal(j->argv[1], "train.py");
	assert_int_equal(j->core.alloc.gpus[0].milli, 500);
	job_free(j);
	/* Not archived, or not there. */
	assert_int_equal(store_archive_get(f->st, 24, &j), GQ_ENOENT);
	assert_null(j);
	assert_int_equal(store_archive_get(f->st, 99, &j), GQ_ENOENT);
	assert_int_equal(store_archive_state(f->st, 10, &st), 0);
	assert_int_equal(st, JOB_FAILED);
	assert_int_equal(store_archive_state(f->st, 30, &st), 0);
	assert_int_equal(st, JOB_PENDING);
	assert_int_equal(store_archive_state(f->st, 99, &st), GQ_ENOENT);
	/* Back in memory: no longer archived, loaded at a start. */
	store_begin(f->st);
	assert_int_equal(store_archive_set(f->st, 7, 0), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_archive_get(f->st, 7, &j), GQ_ENOENT);
}

static void
test_list_pages(void **state)
{
	struct fixture *f = *state;
	struct store_archive_query q = { NULL, NULL, 0, 0, 10 };
	struct ids s = { { 0 }, 0 };
	int64_t n;

	assert_int_equal(store_archive_list(f->st, &q, ids_add, &s), 0);
	assert_int_equal(s.n, 10);
	assert_int_equal(s.id[0], 1);
	assert_int_equal(s.id[9], 10);
	q.after = 20;
	s.n = 0;
	assert_int_equal(store_archive_list(f->st, &q, ids_add, &s), 0);
	assert_int_equal(s.n, 3); /* 21, 22, 23 */
	assert_int_equal(s.id[0], 21);
	assert_int_equal(store_archive_count(f->st, &q, &n), 0);
	assert_int_equal(n, 3);
	q.after = 0;
	assert_int_equal(store_archive_count(f->st, &q, &n), 0);
	assert_int_equal(n, 23);
}

static void
test_list_filters(void **state)
{
	struct fixture *f = *state;
	struct store_archive_query q = { "u1", NULL, 0, 0, 100 };
	struct ids s = { { 0 }, 0 };
	int64_t n;
	size_t k;

	/* u1: 1, 4, 7, ..., 22. */
	assert_int_equal(store_archive_list(f->st, &q, ids_add, &s), 0);
	assert_int_equal(s.n, 8);
	for (k = 0; k < s.n; k++)
		assert_int_equal(s.id[k], 1 + 3 * (int64_t)k);
	assert_int_equal(store_archive_count(f->st, &q, &n), 0);
	assert_int_equal(n, 8);
	/* FAILED only (5, 10, 15, 20), then with project p0 (10, 20). */
	q.user = NULL;
	q.states = 1u << JOB_FAILED;
	assert_int_equal(store_archive_count(f->st, &q, &n), 0);
	assert_int_equal(n, 4);
	q.project = "p0";
	s.n = 0;
	assert_int_equal(store_archive_list(f->st, &q, ids_add, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 10);
	assert_int_equal(s.id[1], 20);
	/* Two states; none that an archived job can be in. */
	q.project = NULL;
	q.states = 1u << JOB_FAILED | 1u << JOB_CANCELLED;
	assert_int_equal(store_archive_count(f->st, &q, &n), 0);
	assert_int_equal(n, 4);
	q.states = 1u << JOB_PENDING;
	s.n = 0;
	assert_int_equal(store_archive_list(f->st, &q, ids_add, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_archive_count(f->st, &q, &n), 0);
	assert_int_equal(n, 0);
}

static int
runs_add(const struct job *j, void *arg)
{
	int64_t *sum = arg;

	assert_int_equal(j->end_time - j->start_time, 50);
	assert_int_equal(j->core.alloc.cpus_milli, 2000);
	assert_true(j->core.user[0] == 'u' && j->core.project[0] == 'p');
	*sum += j->core.id;
	return 0;
}

static void
test_runs(void **state)
{
	struct fixture *f = *state;
	int64_t sum = 0;

	/* Ended at or after 2000: 20..23 (archived; 24, 25 are not). */
	assert_int_equal(store_archive_runs(f->st, 2000, runs_add, &sum), 0);
	assert_int_equal(sum, 20 + 21 + 22 + 23);
}

static void
usage_add(const char *project, const char *user, double g, double c, double m,
    void *arg)
{
	double *sum = arg;

	assert_string_equal(project, "p1");
	assert_string_equal(user, "u2");
	sum[0] += g;
	sum[1] += c;
	sum[2] += m;
}

static void
test_usage_book(void **state)
{
	struct fixture *f = *state;
	double sum[3] = { 0, 0, 0 };

	store_begin(f->st);
	assert_int_equal(store_archive_usage_put(f->st, "p1", "u2", 1.5, 2.5,
	                     3.25),
	    0);
	assert_int_equal(store_archive_usage_put(f->st, "p1", "u2", 0.1, 0.2,
	                     1e-9),
	    0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_archive_usage_each(f->st, usage_add, sum), 0);
	assert_true(sum[0] == 0.1 && sum[1] == 0.2 && sum[2] == 1e-9);
	store_begin(f->st);
	assert_int_equal(store_archive_usage_clear(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	sum[0] = 0;
	assert_int_equal(store_archive_usage_each(f->st, usage_add, sum), 0);
	assert_true(sum[0] == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_live, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_get_and_back, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_list_filters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage_book, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
