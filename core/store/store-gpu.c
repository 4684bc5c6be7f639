/*
 * The GPU tables: gpu_rollup (one row per GPU and minute) and gpu_usage
 * (one row per job and hour).  Statements are prepared when used: the
 * telemetry writes a few rows a minute, far from where caching matters.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/base/error.h"
#include "core/store/store-gpu.h"
#include "core/store/store-int.h"
#include "core/store/store.h"

static int
store_gpu_int_or_null(sqlite3_stmt *s, int param, int64_t v)
{
	return v < 0 ? sqlite3_bind_null(s, param) :
	               sqlite3_bind_int64(s, param, v);
}

static int64_t
store_gpu_col(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ?
	    -1 :
	    sqlite3_column_int64(s, col);
}

int
store_gpu_rollup_put(struct store *st, const struct store_gpu_rollup *r)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO gpu_rollup (gpu, minute, samples,"
	    " util_avg, util_max, mem_avg_mb, mem_max_mb, temp_max,"
	    " power_avg, lost) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10)";
	sqlite3_stmt *s;
	int e;

	if (store_prepare(st, sql, &s) != 0)
		return GQ_EIO;
	e = sqlite3_bind_int64(s, 1, r->gpu);
	e = e ? e : sqlite3_bind_int64(s, 2, r->minute);
	e = e ? e : sqlite3_bind_int64(s, 3, r->samples);
	e = e ? e : store_gpu_int_or_null(s, 4, r->util_avg);
	e = e ? e : store_gpu_int_or_null(s, 5, r->util_max);
	e = e ? e : store_gpu_int_or_null(s, 6, r->mem_avg_mb);
	e = e ? e : store_gpu_int_or_null(s, 7, r->mem_max_mb);
	e = e ? e : store_gpu_int_or_null(s, 8, r->temp_max);
	e = e ? e : store_gpu_int_or_null(s, 9, r->power_avg);
	e = e ? e : sqlite3_bind_int64(s, 10, r->lost);
	return store_run_once(st, s, e, "gpu rollup");
}

static void
store_gpu_rollup_row(sqlite3_stmt *s, struct store_gpu_rollup *r)
{
	r->gpu = (int32_t)sqlite3_column_int64(s, 0);
	r->minute = sqlite3_column_int64(s, 1);
	r->samples = (int32_t)sqlite3_column_int64(s, 2);
	r->util_avg = (int32_t)store_gpu_col(s, 3);
	r->util_max = (int32_t)store_gpu_col(s, 4);
	r->mem_avg_mb = store_gpu_col(s, 5);
	r->mem_max_mb = store_gpu_col(s, 6);
	r->temp_max = (int32_t)store_gpu_col(s, 7);
	r->power_avg = (int32_t)store_gpu_col(s, 8);
	r->lost = (int32_t)sqlite3_column_int64(s, 9);
}

int
store_gpu_rollup_each(struct store *st, int32_t gpu, int64_t since,
    int64_t until, void (*cb)(const struct store_gpu_rollup *r, void *arg),
    void *arg)
{
	static const char sql[] =
	    "SELECT gpu, minute, samples, util_avg, util_max, mem_avg_mb,"
	    " mem_max_mb, temp_max, power_avg, lost FROM gpu_rollup"
	    " WHERE (?1 < 0 OR gpu = ?1) AND minute >= ?2 AND minute < ?3"
	    " ORDER BY gpu, minute";
	struct store_gpu_rollup r;
	sqlite3_stmt *s;
	int step = SQLITE_DONE, rc = 0;

	if (store_prepare(st, sql, &s) != 0)
		return GQ_EIO;
	if (sqlite3_bind_int64(s, 1, gpu) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, since) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, until) != SQLITE_OK)
		rc = store_fail(st, "gpu rollup bind", NULL);
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		store_gpu_rollup_row(s, &r);
		cb(&r, arg);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_fail(st, "gpu rollup read", NULL);
	sqlite3_finalize(s);
	return rc;
}

static int
store_gpu_delete_before(struct store *st, const char *sql, int64_t before,
    const char *what)
{
	sqlite3_stmt *s;

	if (store_prepare(st, sql, &s) != 0)
		return GQ_EIO;
	return store_run_once(st, s, sqlite3_bind_int64(s, 1, before), what);
}

int
store_gpu_rollup_prune(struct store *st, int64_t before)
{
	return store_gpu_delete_before(st,
	    "DELETE FROM gpu_rollup WHERE minute < ?1", before,
	    "gpu rollup prune");
}

int
store_gpu_usage_add(struct store *st, const struct store_gpu_usage *u)
{
	static const char sql[] =
	    "INSERT INTO gpu_usage (job_id, hour, alloc_gpu_s, used_gpu_s,"
	    " idle_gpu_s, peak_mem_mb, samples) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7) ON CONFLICT (job_id, hour) DO UPDATE SET"
	    " alloc_gpu_s = alloc_gpu_s + excluded.alloc_gpu_s,"
	    " used_gpu_s = used_gpu_s + excluded.used_gpu_s,"
	    " idle_gpu_s = idle_gpu_s + excluded.idle_gpu_s,"
	    " peak_mem_mb = max(peak_mem_mb, excluded.peak_mem_mb),"
	    " samples = samples + excluded.samples";
	sqlite3_stmt *s;
	int e;

	if (store_prepare(st, sql, &s) != 0)
		return GQ_EIO;
	e = sqlite3_bind_int64(s, 1, u->job_id);
	e = e ? e : sqlite3_bind_int64(s, 2, u->hour);
	e = e ? e : sqlite3_bind_double(s, 3, u->alloc_gpu_s);
	e = e ? e : sqlite3_bind_double(s, 4, u->used_gpu_s);
	e = e ? e : sqlite3_bind_double(s, 5, u->idle_gpu_s);
	e = e ? e : sqlite3_bind_int64(s, 6, u->peak_mem_mb);
	e = e ? e : sqlite3_bind_int64(s, 7, u->samples);
	return store_run_once(st, s, e, "gpu usage");
}

int
store_gpu_usage_each(struct store *st, int64_t since_hour, int64_t job_id,
    void (*cb)(const struct store_gpu_usage *u, void *arg), void *arg)
{
	static const char sql[] =
	    "SELECT job_id, min(hour), sum(alloc_gpu_s), sum(used_gpu_s),"
	    " sum(idle_gpu_s), max(peak_mem_mb), sum(samples) FROM gpu_usage"
	    " WHERE hour >= ?1 AND (?2 <= 0 OR job_id = ?2)"
	    " GROUP BY job_id ORDER BY job_id";
	struct store_gpu_usage u;
	sqlite3_stmt *s;
	int step = SQLITE_DONE, rc = 0;

	if (store_prepare(st, sql, &s) != 0)
		return GQ_EIO;
	if (sqlite3_bind_int64(s, 1, since_hour) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, job_id) != SQLITE_OK)
		rc = store_fail(st, "gpu usage bind", NULL);
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		u.job_id = sqlite3_column_int64(s, 0);
		u.hour = sqlite3_column_int64(s, 1);
		u.alloc_gpu_s = sqlite3_column_double(s, 2);
		u.used_gpu_s = sqlite3_column_double(s, 3);
		u.idle_gpu_s = sqlite3_column_double(s, 4);
		u.peak_mem_mb = sqlite3_column_int64(s, 5);
		u.samples = (int32_t)sqlite3_column_int64(s, 6);
		cb(&u, arg);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_fail(st, "gpu usage read", NULL);
	sqlite3_finalize(s);
	return rc;
}

int
store_gpu_usage_prune(struct store *st, int64_t before)
{
	return store_gpu_delete_before(st,
	    "DELETE FROM gpu_usage WHERE hour < ?1", before, "gpu usage prune");
}
