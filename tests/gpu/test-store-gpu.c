/*
 * The GPU tables of the store (store-gpu.c): rollups written, replaced,
 * read by GPU and time, pruned; usage added up per job and hour, summed
 * per job, pruned.  An in-memory database with the real migrations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/store/store-gpu.h"
#include "core/store/store.h"

#define MAX_ROWS 16

struct rows {
	struct store_gpu_rollup r[MAX_ROWS];
	struct store_gpu_usage u[MAX_ROWS];
	size_t n;
};

static int
setup(void **state)
{
	struct store *st;
	char *cause = NULL;

	assert_int_equal(store_open(":memory:", 0, &st, &cause), 0);
	*state = st;
	return 0;
}

static int
teardown(void **state)
{
	store_close(*state);
	return 0;
}

static void
rollup_cb(const struct store_gpu_rollup *r, void *arg)
{
	struct rows *rows = arg;

	if (rows->n < MAX_ROWS)
		rows->r[rows->n++] = *r;
}

static void
usage_cb(const struct store_gpu_usage *u, void *arg)
{
	struct rows *rows = arg;

	if (rows->n < MAX_ROWS)
		rows->u[rows->n++] = *u;
}

static struct store_gpu_rollup
minute(int32_t gpu, int64_t t, int32_t util)
{
	struct store_gpu_rollup r;

	memset(&r, 0, sizeof(r));
	r.gpu = gpu;
	r.minute = t;
	r.samples = 30;
	r.util_avg = util;
	r.util_max = util + 5;
	r.mem_avg_mb = 1000;
	r.mem_max_mb = 2000;
	r.temp_max = -1; /* unknown: stored as NULL, read back as -1 */
	r.power_avg = 300;
	return r;
}

static void
test_rollups(void **state)
{
	struct store *st = *state;
	struct store_gpu_rollup r;
	struct rows rows;

	assert_int_equal(store_begin(st), 0);
	r = minute(0, 60, 10);
	assert_int_equal(store_gpu_rollup_put(st, &r), 0);
	r = minute(0, 120, 20);
	assert_int_equal(store_gpu_rollup_put(st, &r), 0);
	r = minute(1, 60, 30);
	assert_int_equal(store_gpu_rollup_put(st, &r), 0);
	/* The same minute again replaces it. */
	r = minute(0, 120, 25);
	r.lost = 2;
	assert_int_equal(store_gpu_rollup_put(st, &r), 0);
	assert_int_equal(store_commit(st), 0);

	memset(&rows, 0, sizeof(rows));
	assert_int_equal(store_gpu_rollup_each(st, -1, 0, 1000, rollup_cb,
	                     &rows),
	    0);
	assert_int_equal(rows.n, 3);
	assert_int_equal(rows.r[0].gpu, 0);
	assert_int_equal(rows.r[0].minute, 60);
	assert_int_equal(rows.r[1].minute, 120);
	assert_int_equal(rows.r[1].util_avg, 25);
	assert_int_equal(rows.r[1].lost, 2);
	assert_int_equal(rows.r[1].temp_max, -1);
	assert_int_equal(rows.r[1].power_avg, 300);
	assert_int_equal(rows.r[2].gpu, 1);

	memset(&rows, 0, sizeof(rows));
	assert_int_equal(store_gpu_rollup_each(st, 0, 61, 1000, rollup_cb,
	                     &rows),
	    0);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.r[0].minute, 120);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_gpu_rollup_prune(st, 120), 0);
	assert_int_equal(store_commit(st), 0);
	memset(&rows, 0, sizeof(rows));
	store_gpu_rollup_each(st, -1, 0, 1000, rollup_cb, &rows);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.r[0].minute, 120);
}

static struct store_gpu_usage
usage(int64_t job, int64_t hour, double alloc, double used, int64_t peak)
{
	struct store_gpu_usage u;

	memset(&u, 0, sizeof(u));
	u.job_id = job;
	u.hour = hour;
	u.alloc_gpu_s = alloc;
	u.used_gpu_s = used;
	u.idle_gpu_s = alloc - used;
	u.peak_mem_mb = peak;
	u.samples = 10;
	return u;
}

static void
test_usage(void **state)
{
	struct store *st = *state;
	struct store_gpu_usage u;
	struct rows rows;

	assert_int_equal(store_begin(st), 0);
	u = usage(7, 3600, 100, 40, 500);
	assert_int_equal(store_gpu_usage_add(st, &u), 0);
	/* The same hour adds up; the peak is the larger. */
	u = usage(7, 3600, 50, 10, 300);
	assert_int_equal(store_gpu_usage_add(st, &u), 0);
	u = usage(7, 7200, 200, 200, 900);
	assert_int_equal(store_gpu_usage_add(st, &u), 0);
	u = usage(9, 7200, 10, 0, 0);
	assert_int_equal(store_gpu_usage_add(st, &u), 0);
	assert_int_equal(store_commit(st), 0);

	memset(&rows, 0, sizeof(rows));
	assert_int_equal(store_gpu_usage_each(st, 0, 0, usage_cb, &rows), 0);
	assert_int_equal(rows.n, 2);
	assert_int_equal(rows.u[0].job_id, 7);
	assert_int_equal(rows.u[0].hour, 3600);
	assert_true(rows.u[0].alloc_gpu_s == 350);
	assert_true(rows.u[0].used_gpu_s == 250);
	assert_true(rows.u[0].idle_gpu_s == 100);
	assert_int_equal(rows.u[0].peak_mem_mb, 900);
	assert_int_equal(rows.u[0].samples, 30);
	assert_int_equal(rows.u[1].job_id, 9);

	/* From an hour on; one job. */
	memset(&rows, 0, sizeof(rows));
	store_gpu_usage_each(st, 7200, 7, usage_cb, &rows);
	assert_int_equal(rows.n, 1);
	assert_true(rows.u[0].alloc_gpu_s == 200);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_gpu_usage_prune(st, 7200), 0);
	assert_int_equal(store_commit(st), 0);
	memset(&rows, 0, sizeof(rows));
	store_gpu_usage_each(st, 0, 7, usage_cb, &rows);
	assert_int_equal(rows.n, 1);
	assert_true(rows.u[0].alloc_gpu_s == 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rollups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
