/*
 * The ring of recent rounds.  All GPUs are sampled together, so a round
 * has one time and a point per GPU; at 2 s a round, an hour of 64 GPUs is
 * 1800 rounds of 64 points of 16 bytes: under 2 MiB.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/gpu/gpu-ring.h"

void
gpu_ring_init(struct gpu_ring *r, size_t cap, size_t ngpus)
{
	memset(r, 0, sizeof(*r));
	if (cap < 1)
		cap = 1;
	if (cap > GPU_RING_MAX_ROUNDS)
		cap = GPU_RING_MAX_ROUNDS;
	r->cap = cap;
	r->ngpus = ngpus;
	r->times = xcalloc(cap, sizeof(*r->times));
	r->pts = xcalloc(cap * (ngpus > 0 ? ngpus : 1), sizeof(*r->pts));
}

void
gpu_ring_done(struct gpu_ring *r)
{
	free(r->times);
	free(r->pts);
	memset(r, 0, sizeof(*r));
}

static int32_t
gpu_ring_clamp(int64_t v, int64_t max)
{
	return (int32_t)(v < 0 ? -1 : v > max ? max : v);
}

void
gpu_ring_push(struct gpu_ring *r, int64_t t, const struct gpu_sample *s)
{
	struct gpu_ring_point *p;
	size_t slot, g;

	if (r->cap == 0)
		return;
	if (r->len == r->cap) {
		slot = r->head;
		r->head = (r->head + 1) % r->cap;
	} else
		slot = (r->head + r->len++) % r->cap;
	r->times[slot] = t;
	for (g = 0; g < r->ngpus; g++) {
		p = &r->pts[slot * r->ngpus + g];
		p->util_pct = (int16_t)gpu_ring_clamp(s[g].util_pct, 100);
		p->temp_c = (int16_t)gpu_ring_clamp(s[g].temp_c, 1000);
		p->power_w = gpu_ring_clamp(s[g].power_w, INT32_MAX);
		p->mem_used_mb = gpu_ring_clamp(s[g].mem_used_mb, INT32_MAX);
		p->state = s[g].state;
	}
}

int64_t
gpu_ring_oldest(const struct gpu_ring *r)
{
	return r->len > 0 ? r->times[r->head] : 0;
}

/* Sums of one bucket while it is being filled. */
struct gpu_ring_sum {
	int64_t v[4];
	int32_t n[4];
};

static void
gpu_ring_add(struct gpu_ring_sum *s, const struct gpu_ring_point *p)
{
	const int64_t v[4] = { p->util_pct, p->mem_used_mb, p->temp_c,
		p->power_w };
	int i;

	for (i = 0; i < 4; i++)
		if (v[i] >= 0) {
			s->v[i] += v[i];
			s->n[i]++;
		}
}

static int64_t
gpu_ring_avg(const struct gpu_ring_sum *s, int i)
{
	return s->n[i] > 0 ? (s->v[i] + s->n[i] / 2) / s->n[i] : -1;
}

static void
gpu_ring_close(struct gpu_ring_agg *a, const struct gpu_ring_sum *s)
{
	a->util_pct = (int32_t)gpu_ring_avg(s, 0);
	a->mem_used_mb = gpu_ring_avg(s, 1);
	a->temp_c = (int32_t)gpu_ring_avg(s, 2);
	a->power_w = (int32_t)gpu_ring_avg(s, 3);
}

/* The start of t's bucket of step seconds (floor, for any sign). */
static int64_t
gpu_ring_bucket(int64_t t, int64_t step)
{
	int64_t m = t % step;

	return m < 0 ? t - m - step : t - m;
}

size_t
gpu_ring_query(const struct gpu_ring *r, size_t g, int64_t since, int64_t until,
    int64_t step, struct gpu_ring_agg *out, size_t max)
{
	const struct gpu_ring_point *p;
	struct gpu_ring_sum sum = { { 0 }, { 0 } };
	size_t i, slot, n = 0;
	int64_t t, b;

	if (g >= r->ngpus || max == 0 || step < 1)
		return 0;
	for (i = 0; i < r->len; i++) {
		slot = (r->head + i) % r->cap;
		t = r->times[slot];
		if (t < since || t >= until)
			continue;
		p = &r->pts[slot * r->ngpus + g];
		b = gpu_ring_bucket(t, step);
		if (n == 0 || out[n - 1].time != b) {
			if (n > 0)
				gpu_ring_close(&out[n - 1], &sum);
			if (n == max)
				return n;
			memset(&out[n], 0, sizeof(out[n]));
			memset(&sum, 0, sizeof(sum));
			out[n++].time = b;
		}
		out[n - 1].n++;
		out[n - 1].lost |= p->state == GPU_LOST;
		gpu_ring_add(&sum, p);
	}
	if (n > 0)
		gpu_ring_close(&out[n - 1], &sum);
	return n;
}
