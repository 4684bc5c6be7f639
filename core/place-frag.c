/*
 * The request mix and FGD's fragmentation measure (Weng et al., "Beware
 * of Fragmentation", USENIX ATC'23).
 *
 * A node's fragmentation against one kind of request is the free GPU
 * capacity that kind cannot use there: all of it when the kind cannot run
 * on the node at all, else the free capacity of the GPUs each too small
 * for it.  Against the mix it is the weighted sum over the kinds.  Pure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/place-int.h"

#define PLACE_OTHER_BIT (1ULL << PLACE_MAX_MODELS)

void
place_mix_init(struct place_mix *m, int with_mem)
{
	memset(m, 0, sizeof(*m));
	m->with_mem = with_mem;
}

void
place_mix_done(struct place_mix *m)
{
	free(m->types);
	place_mix_init(m, 0);
}

uint64_t
place_mix_bit(const struct place_mix *m, const char *s)
{
	uint64_t bits = PLACE_OTHER_BIT;
	int i;

	for (i = 0; i < m->nmodels; i++)
		if (model_gpu_model_ok(m->models[i], s))
			bits |= 1ULL << i;
	return bits;
}

/* The bit of model name s[0..len), added to m's names when new. */
static uint64_t
place_mix_name(struct place_mix *m, const char *s, size_t len)
{
	int i;

	if (len == 0 || len >= MODEL_MAX_GPU_MODEL)
		return 0;
	for (i = 0; i < m->nmodels; i++)
		if (strlen(m->models[i]) == len &&
		    strncmp(m->models[i], s, len) == 0)
			return 1ULL << i;
	if (m->nmodels == PLACE_MAX_MODELS)
		return 0;
	memcpy(m->models[m->nmodels], s, len);
	m->models[m->nmodels][len] = '\0';
	return 1ULL << m->nmodels++;
}

/* The models bits of a '|'-separated list: all bits when it is "". */
static uint64_t
place_mix_models(struct place_mix *m, const char *want)
{
	uint64_t bits = 0;
	const char *bar;

	if (want[0] == '\0')
		return ~0ULL;
	for (;;) {
		bar = strchr(want, '|');
		if (bar == NULL)
			return bits | place_mix_name(m, want, strlen(want));
		bits |= place_mix_name(m, want, (size_t)(bar - want));
		want = bar + 1;
	}
}

/* The kind of request r is, with weight 0. */
static void
place_type_of(const struct place_mix *m, const struct req *r,
    struct place_type *t)
{
	memset(t, 0, sizeof(*t));
	if (r->gpus_milli >= MODEL_GPU_MILLI) {
		t->milli = MODEL_GPU_MILLI;
		t->ngpus = r->gpus_milli / MODEL_GPU_MILLI;
	} else if (r->gpus_milli > 0 || r->gpu_mem_mb > 0) {
		t->milli = r->gpus_milli;
		t->gpu_mem_mb = r->gpus_milli > 0 ? 0 : r->gpu_mem_mb;
		t->ngpus = 1;
	}
	t->cpus_milli = r->cpus_milli;
	t->mem_mb = m->with_mem ? r->mem_mb : 0;
	snprintf(t->gpu_model, sizeof(t->gpu_model), "%s", r->gpu_model);
}

static int
place_type_same(const struct place_type *a, const struct place_type *b)
{
	return a->milli == b->milli && a->ngpus == b->ngpus &&
	    a->gpu_mem_mb == b->gpu_mem_mb && a->cpus_milli == b->cpus_milli &&
	    a->mem_mb == b->mem_mb && strcmp(a->gpu_model, b->gpu_model) == 0;
}

void
place_mix_add(struct place_mix *m, const struct req *r, double n)
{
	struct place_type t;
	size_t i;

	place_type_of(m, r, &t);
	for (i = 0; i < m->ntypes; i++) {
		if (place_type_same(&m->types[i], &t)) {
			m->types[i].weight += n;
			return;
		}
	}
	if (m->ntypes == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->types = xreallocarray(m->types, m->cap, sizeof(*m->types));
	}
	t.weight = n;
	t.models = place_mix_models(m, t.gpu_model);
	m->types[m->ntypes++] = t;
}

/* More common first; ties by shape so the order never depends on input. */
static int
place_type_cmp(const void *pa, const void *pb)
{
	const struct place_type *a = pa, *b = pb;

	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if (a->cpus_milli != b->cpus_milli)
		return a->cpus_milli < b->cpus_milli ? -1 : 1;
	if (a->milli != b->milli)
		return a->milli < b->milli ? -1 : 1;
	if (a->ngpus != b->ngpus)
		return a->ngpus < b->ngpus ? -1 : 1;
	if (a->gpu_mem_mb != b->gpu_mem_mb)
		return a->gpu_mem_mb < b->gpu_mem_mb ? -1 : 1;
	if (a->mem_mb != b->mem_mb)
		return a->mem_mb < b->mem_mb ? -1 : 1;
	return strcmp(a->gpu_model, b->gpu_model);
}

void
place_mix_finish(struct place_mix *m, double coverage)
{
	double total = 0, kept = 0;
	size_t i, n;

	if (m->ntypes == 0)
		return;
	qsort(m->types, m->ntypes, sizeof(*m->types), place_type_cmp);
	for (i = 0; i < m->ntypes; i++)
		total += m->types[i].weight;
	if (total <= 0)
		return;
	for (n = 0; n < m->ntypes && kept < coverage * total; n++)
		kept += m->types[n].weight;
	m->ntypes = n;
	for (i = 0; i < n; i++)
		m->types[i].weight /= kept;
}

void
place_view_of(const struct node *nd, const struct place_mix *m,
    struct place_view *v)
{
	const struct gpu *g;
	int32_t i;

	v->ngpus = nd->ngpus;
	v->cpus_milli = nd->free_cpus_milli;
	v->mem_mb = nd->free_mem_mb;
	v->total = 0;
	for (i = 0; i < nd->ngpus; i++) {
		g = &nd->gpus[i];
		v->free[i] = g->free_milli > 0 ? g->free_milli : 0;
		v->gpu_mem[i] = g->mem_mb;
		if (i > 0 && strcmp(g->model, nd->gpus[i - 1].model) == 0)
			v->bit[i] = v->bit[i - 1];
		else
			v->bit[i] = place_mix_bit(m, g->model);
		v->total += v->free[i];
	}
}

void
place_view_take(struct place_view *v, int32_t g, int32_t milli,
    int32_t cpus_milli, int64_t mem_mb)
{
	int32_t left;

	if (g >= 0 && g < v->ngpus) {
		left = v->free[g] - milli;
		if (left < 0)
			left = 0;
		v->total -= v->free[g] - left;
		v->free[g] = left;
	}
	v->cpus_milli -= cpus_milli;
	v->mem_mb -= mem_mb;
}

/* The share a kind needs of a GPU with mem_mb of memory. */
static int32_t
place_type_need(const struct place_type *t, int64_t mem_mb)
{
	if (t->milli > 0)
		return t->milli;
	if (mem_mb <= 0 || t->gpu_mem_mb > mem_mb)
		return MODEL_GPU_MILLI + 1;
	return (
	    int32_t)((t->gpu_mem_mb * MODEL_GPU_MILLI + mem_mb - 1) / mem_mb);
}

double
place_frag_view_type(const struct place_view *v, const struct place_type *t)
{
	int64_t usable = 0;
	int32_t g, n = 0;

	if (t->ngpus == 0 || v->cpus_milli < t->cpus_milli ||
	    v->mem_mb < t->mem_mb)
		return (double)v->total;
	for (g = 0; g < v->ngpus; g++) {
		if ((v->bit[g] & t->models) == 0 ||
		    v->free[g] < place_type_need(t, v->gpu_mem[g]))
			continue;
		n++;
		usable += v->free[g];
	}
	return (double)(n >= t->ngpus ? v->total - usable : v->total);
}

double
place_frag_view(const struct place_view *v, const struct place_mix *m)
{
	double sum = 0;
	size_t i;

	if (v->total == 0)
		return 0;
	for (i = 0; i < m->ntypes; i++)
		sum +=
		    m->types[i].weight * place_frag_view_type(v, &m->types[i]);
	return sum;
}

double
place_frag_type(const struct node *nd, const struct place_type *t,
    const struct place_mix *m)
{
	struct place_view v;

	place_view_of(nd, m, &v);
	return place_frag_view_type(&v, t);
}

double
place_frag_node(const struct node *nd, const struct place_mix *m)
{
	struct place_view v;

	place_view_of(nd, m, &v);
	return place_frag_view(&v, m);
}

double
place_frag_delta(const struct node *nd, const struct req *r,
    const struct alloc *a, const struct place_mix *m)
{
	struct place_view v;
	double before;
	int32_t i;

	place_view_of(nd, m, &v);
	before = place_frag_view(&v, m);
	place_view_take(&v, -1, 0, r->cpus_milli, r->mem_mb);
	for (i = 0; i < a->ngpus; i++)
		place_view_take(&v, a->gpus[i].gpu, a->gpus[i].milli, 0, 0);
	return place_frag_view(&v, m) - before;
}
