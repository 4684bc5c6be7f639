/*
 * gpu.history {gpu?, since?, step?}: what the GPUs did.  Recent rounds
 * come from the ring in memory at `step` seconds a point; older times
 * from the store's per-minute rollups, at a step of at least a minute.
 * docs/protocol/gpu.history.md.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/telemetry.h"
#include "core/daemon/verbs.h"
#include "core/store/store-gpu.h"

#define HISTORY_MAX_POINTS 20000 /* in one answer, all GPUs together */
#define HISTORY_DEFAULT_S  600
#define HISTORY_MAX_STEP   86400

struct history_req {
	int64_t gpu; /* -1: all */
	int64_t since, until, step;
	size_t ngpus; /* GPUs answered */
};

static json_t *
history_num(int64_t v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

static json_t *
history_point(const struct gpu_ring_agg *a)
{
	return json_pack("[I,o,o,o,o,i]", (json_int_t)a->time,
	    history_num(a->util_pct), history_num(a->mem_used_mb),
	    history_num(a->temp_c), history_num(a->power_w), a->lost ? 1 : 0);
}

/* Rollup minutes folded into buckets of step seconds. */
struct history_fold {
	json_t **points; /* per GPU index: an array */
	int64_t step;
	int32_t gpu;
	struct gpu_ring_agg cur;
	int64_t w[4], sum[4];
	int open;
};

static void
history_fold_close(struct history_fold *f)
{
	int64_t *out[4] = { NULL, &f->cur.mem_used_mb, NULL, NULL };
	int32_t *out32[4] = { &f->cur.util_pct, NULL, &f->cur.temp_c,
		&f->cur.power_w };
	int64_t v;
	int k;

	if (!f->open)
		return;
	for (k = 0; k < 4; k++) {
		v = f->w[k] > 0 ? (f->sum[k] + f->w[k] / 2) / f->w[k] : -1;
		if (out[k] != NULL)
			*out[k] = v;
		else
			*out32[k] = (int32_t)v;
	}
	if (f->points[f->gpu] != NULL)
		json_array_append_new(f->points[f->gpu],
		    history_point(&f->cur));
	f->open = 0;
}

/* Temperatures fold by their maximum, the rest by sample-weighted mean. */
static void
history_fold_cb(const struct store_gpu_rollup *r, void *arg)
{
	struct history_fold *f = arg;
	int64_t b = r->minute - r->minute % f->step;
	const int64_t v[4] = { r->util_avg, r->mem_avg_mb, r->temp_max,
		r->power_avg };
	int k;

	if (r->gpu < 0 || r->gpu >= GPU_MAX)
		return;
	if (f->open && (f->gpu != r->gpu || f->cur.time != b))
		history_fold_close(f);
	if (!f->open) {
		memset(&f->cur, 0, sizeof(f->cur));
		memset(f->w, 0, sizeof(f->w));
		memset(f->sum, 0, sizeof(f->sum));
		f->cur.time = b;
		f->gpu = r->gpu;
		f->open = 1;
	}
	f->cur.n += r->samples;
	f->cur.lost |= r->lost > 0;
	for (k = 0; k < 4; k++) {
		if (v[k] < 0)
			continue;
		if (k == 2) {
			f->sum[k] = v[k] > f->sum[k] ? v[k] : f->sum[k];
			f->w[k] = 1;
			continue;
		}
		f->sum[k] += v[k] * r->samples;
		f->w[k] += r->samples;
	}
}

static void
history_rollups(struct daemon *d, const struct history_req *q, int64_t until,
    json_t **points)
{
	struct history_fold f;

	memset(&f, 0, sizeof(f));
	f.points = points;
	f.step = q->step < 60 ? 60 : (q->step + 59) / 60 * 60;
	store_gpu_rollup_each(d->store, (int32_t)q->gpu, q->since, until,
	    history_fold_cb, &f);
	history_fold_close(&f);
}

static void
history_ring(struct telemetry *t, const struct history_req *q, int64_t from,
    json_t **points)
{
	size_t g, n, i, max = (size_t)((q->until - from) / q->step) + 2;
	struct gpu_ring_agg *a;

	if (from >= q->until)
		return;
	a = xreallocarray(NULL, max, sizeof(*a));
	for (g = 0; g < t->d->inv.ngpus; g++) {
		if (points[g] == NULL)
			continue;
		n = gpu_ring_query(&t->ring, g, from, q->until, q->step, a,
		    max);
		for (i = 0; i < n; i++)
			json_array_append_new(points[g], history_point(&a[i]));
	}
	free(a);
}

static int
history_params(struct verb_ctx *v, struct history_req *q, char **cause)
{
	static const char *const allowed[] = { "gpu", "since", "step", NULL };
	int64_t span;
	int rc;

	q->until = v->now + 1;
	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_int(v->params, "gpu", 0, GPU_MAX - 1, -1, &q->gpu,
	         cause)) != 0 ||
	    (rc = params_int(v->params, "since", 0, PROTO_MAX_ID_PARAM,
	         v->now - HISTORY_DEFAULT_S, &q->since, cause)) != 0 ||
	    (rc = params_int(v->params, "step", 1, HISTORY_MAX_STEP,
	         v->d->cfg.gpu.interval_s, &q->step, cause)) != 0)
		return rc;
	if (q->gpu >= 0 && (size_t)q->gpu >= v->d->inv.ngpus) {
		*cause = xasprintf("no GPU %lld: this node has %zu",
		    (long long)q->gpu, v->d->inv.ngpus);
		return GQ_EINVAL;
	}
	q->ngpus = q->gpu >= 0 ? 1 : v->d->inv.ngpus;
	span = q->until > q->since ? q->until - q->since : 0;
	/* Too many points for one answer: a coarser step. */
	if (q->ngpus > 0 &&
	    span / q->step * (int64_t)q->ngpus > HISTORY_MAX_POINTS)
		q->step = (span * (int64_t)q->ngpus + HISTORY_MAX_POINTS - 1) /
		    HISTORY_MAX_POINTS;
	return 0;
}

int
verb_gpu_history(struct verb_ctx *v, json_t **result, char **cause)
{
	json_t *points[GPU_MAX] = { NULL }, *gpus = json_array();
	struct telemetry *t = v->d->tel;
	struct history_req q;
	int64_t oldest, from;
	size_t g;
	int rc;

	if ((rc = history_params(v, &q, cause)) != 0) {
		json_decref(gpus);
		return rc;
	}
	for (g = 0; g < v->d->inv.ngpus; g++)
		if (q.gpu < 0 || (size_t)q.gpu == g)
			points[g] = json_array();
	oldest = t != NULL ? gpu_ring_oldest(&t->ring) : 0;
	from = oldest > 0 && oldest > q.since ? oldest : q.since;
	if (oldest == 0)
		from = q.until;
	if (q.since < from)
		history_rollups(v->d, &q, from, points);
	if (t != NULL)
		history_ring(t, &q, from, points);
	for (g = 0; g < v->d->inv.ngpus; g++)
		if (points[g] != NULL)
			json_array_append_new(gpus,
			    json_pack("{s:i,s:s,s:o}", "index", (int)g, "uuid",
			        v->d->inv.gpus[g].uuid, "samples", points[g]));
	*result = json_pack("{s:I,s:I,s:i,s:I,s:[s,s,s,s,s,s],s:o}", "since",
	    (json_int_t)q.since, "now", (json_int_t)v->now, "interval",
	    (int)v->d->cfg.gpu.interval_s, "step", (json_int_t)q.step, "fields",
	    "time", "util_pct", "mem_used_mb", "temp_c", "power_w", "lost",
	    "gpus", gpus);
	return 0;
}
