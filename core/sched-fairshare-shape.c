/*
 * Shapes of request: a memo, for one plan, of what is known about
 * requests that ask the same GPUs in the same places whatever their CPUs
 * and memory (struct fs_shape), found through a hash of the request.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"

static uint64_t
sched_fairshare_shape_hash_str(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;
}

static uint64_t
sched_fairshare_shape_hash(const struct req *r)
{
	uint64_t h = 1469598103934665603ULL;
	int64_t v[6];
	int i;

	v[0] = r->gpus_milli;
	v[1] = r->gpu_mem_mb;
	v[2] = model_req_nodes(r);
	v[3] = v[4] = v[5] = 0;
	for (i = 0; i < 6; i++)
		h = (h ^ (uint64_t)v[i]) * 1099511628211ULL;
	h = sched_fairshare_shape_hash_str(h, r->pool);
	h = sched_fairshare_shape_hash_str(h, r->labels);
	return sched_fairshare_shape_hash_str(h, r->gpu_model);
}

static int
sched_fairshare_shape_same(const struct req *a, const struct req *b)
{
	return a->gpus_milli == b->gpus_milli &&
	    a->gpu_mem_mb == b->gpu_mem_mb &&
	    model_req_nodes(a) == model_req_nodes(b) &&
	    strcmp(a->pool, b->pool) == 0 &&
	    strcmp(a->labels, b->labels) == 0 &&
	    strcmp(a->gpu_model, b->gpu_model) == 0;
}

static void
sched_fairshare_shape_grow(struct fs_state *st)
{
	size_t i, k;

	free(st->shash);
	st->cap_shash = st->cap_shash ? st->cap_shash * 2 : 256;
	st->shash = xcalloc(st->cap_shash, sizeof(*st->shash));
	for (i = 0; i < st->nshapes; i++) {
		k = st->shapes[i].hash & (st->cap_shash - 1);
		while (st->shash[k] != 0)
			k = (k + 1) & (st->cap_shash - 1);
		st->shash[k] = (int32_t)i + 1;
	}
}

int32_t
sched_fairshare_shape_id(struct fs_state *st, const struct req *r)
{
	uint64_t h = sched_fairshare_shape_hash(r);
	struct fs_shape *s;
	size_t k;

	if ((st->nshapes + 1) * 2 > st->cap_shash)
		sched_fairshare_shape_grow(st);
	k = h & (st->cap_shash - 1);
	while (st->shash[k] != 0) {
		s = &st->shapes[st->shash[k] - 1];
		if (s->hash == h && sched_fairshare_shape_same(&s->r, r))
			return st->shash[k] - 1;
		k = (k + 1) & (st->cap_shash - 1);
	}
	if (st->nshapes == st->cap_shapes) {
		st->cap_shapes = st->cap_shapes ? st->cap_shapes * 2 : 64;
		st->shapes = xreallocarray(st->shapes, st->cap_shapes,
		    sizeof(*st->shapes));
	}
	s = &st->shapes[st->nshapes];
	memset(s, 0, sizeof(*s));
	s->hash = h;
	s->r = *r;
	st->shash[k] = (int32_t)++st->nshapes;
	return (int32_t)st->nshapes - 1;
}
