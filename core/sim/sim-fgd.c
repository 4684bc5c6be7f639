/*
 * The FGD paper's experiment (Weng et al., ATC'23, and the artifact's
 * simulator), replayed through gpuq's placement strategies.
 *
 * One run, for one seed: the tasks are shuffled with the seed (or kept in
 * trace order); the list is then cut, or tasks drawn at random are added,
 * until the GPUs they ask for reach tune (1.3) times the cluster's; the
 * nodes are shuffled too, so ties go differently from seed to seed.  The
 * tasks arrive one by one and never leave; a task that fits nowhere is
 * dropped.  After every task the allocated share of all GPUs is recorded
 * in the bucket of the demand that has arrived (rounded to a percent),
 * and each bucket's mean is the curve.  Pure: no I/O, seeded randomness.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/sim/sim.h"

/* A second stream for strategies, so they never shift the task order. */
#define SIM_FGD_PLACE_STREAM 0x5deece66dULL

void
sim_fgd_mix(const struct sim_tasks *t, double coverage, int with_mem,
    struct place_mix *m)
{
	size_t i;

	place_mix_init(m, with_mem);
	for (i = 0; i < t->n; i++)
		place_mix_add(m, &t->v[i].req, 1);
	place_mix_finish(m, coverage);
}

static int64_t
sim_fgd_capacity(const struct cluster *c)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		sum += (int64_t)c->nodes[i].ngpus * MODEL_GPU_MILLI;
	return sum;
}

void
sim_fgd_shuffle_nodes(struct cluster *c, uint64_t *rng)
{
	struct node tmp;
	size_t i, j;

	for (i = c->nnodes; i > 1; i--) {
		j = (size_t)place_rng_below(rng, i);
		tmp = c->nodes[i - 1];
		c->nodes[i - 1] = c->nodes[j];
		c->nodes[j] = tmp;
	}
}

static void
sim_fgd_shuffle(size_t *v, size_t n, uint64_t *rng)
{
	size_t i, j, tmp;

	for (i = n; i > 1; i--) {
		j = (size_t)place_rng_below(rng, i);
		tmp = v[i - 1];
		v[i - 1] = v[j];
		v[j] = tmp;
	}
}

/* Draws tasks (with replacement) while the demand stays under target. */
static size_t *
sim_fgd_grow(const struct sim_tasks *t, size_t *v, size_t *n, int64_t total,
    double target, uint64_t *rng)
{
	size_t cap = *n, k;

	for (;;) {
		k = (size_t)place_rng_below(rng, t->n);
		if ((double)(total + t->v[k].req.gpus_milli) > target)
			break;
		total += t->v[k].req.gpus_milli;
		if (*n == cap) {
			cap = cap * 2 + 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[(*n)++] = k;
	}
	return v;
}

size_t *
sim_fgd_order(const struct sim_tasks *t, int64_t capacity_milli,
    const struct sim_fgd_cfg *cfg, uint64_t *rng, size_t *n)
{
	double target = cfg->tune * (double)capacity_milli;
	int64_t total = 0;
	size_t *v, i, k;

	*n = t->n;
	v = xreallocarray(NULL, t->n + 1, sizeof(*v));
	for (i = 0; i < t->n; i++) {
		v[i] = i;
		total += t->v[i].req.gpus_milli;
	}
	if (cfg->shuffle)
		sim_fgd_shuffle(v, *n, rng);
	while ((double)total > target && *n > 0) {
		k = (size_t)place_rng_below(rng, *n);
		total -= t->v[v[k]].req.gpus_milli;
		memmove(&v[k], &v[k + 1], (*n - k - 1) * sizeof(*v));
		(*n)--;
	}
	if (t->n > 0 && (double)total < target)
		v = sim_fgd_grow(t, v, n, total, target, rng);
	return v;
}

/* Milli-GPUs an allocation holds. */
static int64_t
sim_fgd_held(const struct alloc *a)
{
	int64_t sum = 0;
	int32_t i;

	for (i = 0; i < a->ngpus; i++)
		sum += a->gpus[i].milli;
	return sum;
}

/* The running sums of one run. */
struct sim_fgd_acc {
	double sum[SIM_FGD_NPCT];
	size_t count[SIM_FGD_NPCT];
	int64_t arrived, used, capacity;
};

static void
sim_fgd_record(struct sim_fgd_acc *acc)
{
	double pct = rint(100.0 * (double)acc->arrived / (double)acc->capacity);

	if (pct < 0 || pct >= SIM_FGD_NPCT)
		return;
	acc->sum[(int)pct] += 100.0 * (double)acc->used / (double)acc->capacity;
	acc->count[(int)pct]++;
}

static void
sim_fgd_finish(const struct sim_fgd_acc *acc, struct sim_fgd_curve *out)
{
	int p;

	for (p = 0; p < SIM_FGD_NPCT; p++) {
		out->have[p] = acc->count[p] > 0;
		out->alloc[p] =
		    out->have[p] ? acc->sum[p] / (double)acc->count[p] : 0;
	}
	out->demand_pct = 100.0 * (double)acc->arrived / (double)acc->capacity;
	out->final_pct = 100.0 * (double)acc->used / (double)acc->capacity;
}

/* Places the tasks in order on c, recording the curve. */
static void
sim_fgd_place(struct cluster *c, const struct sim_tasks *t, const size_t *order,
    size_t n, const struct sim_fgd_cfg *cfg, struct sim_fgd_acc *acc,
    struct sim_fgd_curve *out)
{
	uint64_t rng = cfg->seed ^ SIM_FGD_PLACE_STREAM;
	struct place_ctx ctx = { .mix = cfg->mix, .rng = &rng };
	enum wait_reason why;
	struct alloc a;
	size_t i;

	for (i = 0; i < n; i++) {
		acc->arrived += t->v[order[i]].req.gpus_milli;
		if (place_find(cfg->strategy, c, &t->v[order[i]].req, &ctx, &a,
		        &why) == 1) {
			cluster_take(c, &a);
			acc->used += sim_fgd_held(&a);
			out->nplaced++;
		}
		sim_fgd_record(acc);
	}
	out->ntasks = n;
}

void
sim_fgd_run(const struct cluster *c0, const struct sim_tasks *t,
    const struct sim_fgd_cfg *cfg, struct sim_fgd_curve *out)
{
	struct sim_fgd_acc *acc = xcalloc(1, sizeof(*acc));
	uint64_t rng = cfg->seed;
	struct cluster c;
	size_t *order, n;

	memset(out, 0, sizeof(*out));
	c.nnodes = c0->nnodes;
	c.nodes = xreallocarray(NULL, c.nnodes + 1, sizeof(*c.nodes));
	memcpy(c.nodes, c0->nodes, c.nnodes * sizeof(*c.nodes));
	acc->capacity = sim_fgd_capacity(&c);
	if (acc->capacity > 0) {
		order = sim_fgd_order(t, acc->capacity, cfg, &rng, &n);
		sim_fgd_shuffle_nodes(&c, &rng);
		sim_fgd_place(&c, t, order, n, cfg, acc, out);
		sim_fgd_finish(acc, out);
		free(order);
	}
	cluster_done(&c);
	free(acc);
}

double
sim_fgd_at(const struct sim_fgd_curve *cv, int pct)
{
	double sum = 0;
	int p, n = 0;

	if (pct < 0 || pct >= SIM_FGD_NPCT)
		return (double)NAN;
	if (cv->have[pct])
		return cv->alloc[pct];
	for (p = pct - 1; p <= pct + 1; p++) {
		if (p >= 0 && p < SIM_FGD_NPCT && cv->have[p]) {
			sum += cv->alloc[p];
			n++;
		}
	}
	return n > 0 ? sum / n : (double)NAN;
}
