/*
 * Reservations, backfill and estimated starts for the fairshare policy.
 *
 * Three views of the cluster are kept: now (free now), lng (free now minus
 * what reservations will need, which may go below zero where their room
 * is still held by running jobs) and stop (sched-preempt.c).  A job whose
 * time limit ends before the earliest reservation may use the now view;
 * any other job only the lng view, so it can never delay a reservation.
 * A reservation's time is found by walking the releases to come (running
 * jobs' ends by their time limits, earlier reservations' ends) over a
 * copy of lng until the job fits.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"

#define FS_ETA_WALKS 16 /* shapes per plan that get a walk for their ETA */

void
sched_reserve_init(struct fs_state *st)
{
	st->ev = NULL;
	st->nev = st->cap_ev = 0;
	st->ev_sorted = 1;
}

void
sched_reserve_done(struct fs_state *st)
{
	free(st->ev);
	free(st->resv);
	free(st->started);
}

static struct fs_event *
sched_reserve_new_event(struct fs_state *st, int64_t t, int32_t n)
{
	struct fs_event *e;

	if (st->nev == st->cap_ev) {
		st->cap_ev = st->cap_ev ? st->cap_ev * 2 : 256;
		st->ev = xreallocarray(st->ev, st->cap_ev, sizeof(*st->ev));
	}
	e = &st->ev[st->nev++];
	memset(e, 0, sizeof(*e));
	e->t = t;
	e->n = n;
	e->run = -1;
	st->ev_sorted = 0;
	return e;
}

void
sched_reserve_event(struct fs_state *st, int64_t t, const struct alloc *allocs,
    int32_t n, int32_t run)
{
	struct fs_event *e = sched_reserve_new_event(st, t, n);

	e->src = FS_SRC_RUN;
	e->p = allocs;
	e->run = run;
}

void
sched_reserve_started(struct fs_state *st, int64_t t,
    const struct alloc *allocs, int32_t n)
{
	struct fs_event *e;

	if (st->nstarted + (size_t)n > st->cap_started) {
		st->cap_started = (st->cap_started + (size_t)n) * 2;
		st->started = xreallocarray(st->started, st->cap_started,
		    sizeof(*st->started));
	}
	memcpy(&st->started[st->nstarted], allocs, (size_t)n * sizeof(*allocs));
	e = sched_reserve_new_event(st, t, n);
	e->src = FS_SRC_STARTED;
	e->idx = st->nstarted;
	st->nstarted += (size_t)n;
}

void
sched_reserve_move(struct fs_state *st, int32_t run, int64_t t)
{
	size_t i;

	for (i = 0; i < st->nev; i++)
		if (st->ev[i].run == run) {
			st->ev[i].t = t;
			st->ev_sorted = 0;
		}
}

static const struct alloc *
sched_reserve_allocs(const struct fs_state *st, const struct fs_event *e)
{
	switch (e->src) {
	case FS_SRC_STARTED:
		return &st->started[e->idx];
	case FS_SRC_RESV:
		return st->resv[e->idx].allocs;
	default:
		return e->p;
	}
}

static int
sched_reserve_cmp(const void *pa, const void *pb)
{
	const struct fs_event *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	if (a->run != b->run)
		return a->run < b->run ? -1 : 1;
	if (a->idx != b->idx)
		return a->idx < b->idx ? -1 : 1;
	return 0;
}

/* The future: node copies made on first touch. */
struct fs_future {
	struct sched_scratch *scratch; /* where nodes and slot come from */
	const struct sched_placer *pl;
	const struct alloc *pin; /* a pinned job's: only it will do */
	const struct cluster *base;
	int32_t *slot; /* per node: index into nodes, or -1 */
	struct node *nodes;
	size_t n;
	struct cluster view; /* one node, for placement */
};

static void
sched_reserve_future_init(struct fs_state *st, struct fs_future *f,
    const struct cluster *base)
{
	f->scratch = st->in->scratch;
	f->base = base;
	f->slot = sched_scratch_take(f->scratch, FS_SLOT_FUTURE_SLOT,
	    (base->nnodes + 1) * sizeof(*f->slot));
	memset(f->slot, 0xff, base->nnodes * sizeof(*f->slot)); /* -1 */
	f->nodes = NULL;
	f->n = 0;
	f->pin = NULL;
	f->pl = &st->pl;
}

static void
sched_reserve_future_done(struct fs_future *f)
{
	sched_scratch_give(f->scratch, FS_SLOT_FUTURE_SLOT, f->slot,
	    (f->base->nnodes + 1) * sizeof(*f->slot));
	if (f->nodes != NULL)
		sched_scratch_give(f->scratch, FS_SLOT_FUTURE, f->nodes,
		    (f->base->nnodes + 1) * sizeof(*f->nodes));
}

/* The future's copy of node i, made now if need be. */
static struct node *
sched_reserve_future_node(struct fs_future *f, int32_t i)
{
	if (f->slot[i] < 0) {
		if (f->nodes == NULL)
			f->nodes =
			    sched_scratch_take(f->scratch, FS_SLOT_FUTURE,
			        (f->base->nnodes + 1) * sizeof(*f->nodes));
		sched_fairshare_node_copy(&f->nodes[f->n], &f->base->nodes[i]);
		f->slot[i] = (int32_t)f->n++;
	}
	return &f->nodes[f->slot[i]];
}

/* Node i of the future (or of the base when untouched), as a cluster. */
static const struct cluster *
sched_reserve_future_one(struct fs_future *f, int32_t i)
{
	f->view.nodes = f->slot[i] >= 0 ? &f->nodes[f->slot[i]] :
	                                  (struct node *)&f->base->nodes[i];
	f->view.nnodes = 1;
	return &f->view;
}

/* Gives back one release on the future; *touched gets its nodes. */
static int32_t
sched_reserve_release(struct fs_future *f, const struct alloc *a, int32_t n,
    int32_t *touched)
{
	struct cluster one;
	struct alloc part;
	int32_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (a[i].node < 0 || (size_t)a[i].node >= f->base->nnodes)
			continue;
		one.nodes = sched_reserve_future_node(f, a[i].node);
		one.nnodes = 1;
		part = a[i];
		part.node = 0;
		cluster_give(&one, &part);
		touched[k++] = a[i].node;
	}
	return k;
}

/* Does r fit node i of the future?  Fills a. */
static int
sched_reserve_fits(struct fs_future *f, int32_t i, const struct req *r,
    struct alloc *a)
{
	const struct cluster *one = sched_reserve_future_one(f, i);

	if (!sched_place_on(f->pl, one, 0, r, a))
		return 0;
	a->node = i;
	return 1;
}

/* A gang: nodes where a part fits, counted; fills allocs at the end. */
struct fs_gang {
	unsigned char *fits;
	int32_t count;
};

static int
sched_reserve_gang_fill(struct fs_future *f, struct fs_gang *g,
    const struct req *r, struct alloc *allocs, int32_t *n)
{
	int32_t want = model_req_nodes(r), i, k = 0;

	if (g->count < want)
		return 0;
	for (i = 0; (size_t)i < f->base->nnodes && k < want; i++)
		if (g->fits[i] && sched_reserve_fits(f, i, r, &allocs[k]))
			k++;
	*n = k;
	return k == want;
}

static void
sched_reserve_gang_init(struct fs_future *f, struct fs_gang *g,
    const struct req *r)
{
	struct alloc a;
	size_t i;

	g->fits = xcalloc(f->base->nnodes + 1, 1);
	g->count = 0;
	for (i = 0; i < f->base->nnodes; i++)
		if (sched_reserve_fits(f, (int32_t)i, r, &a)) {
			g->fits[i] = 1;
			g->count++;
		}
}

/* After a release touched nodes: 1 when the pin is all free. */
static int
sched_reserve_test_pin(struct fs_future *f, const struct alloc *pin,
    const int32_t *touched, int32_t nt, struct alloc *allocs, int32_t *n)
{
	struct alloc at0 = *pin;
	int32_t i;

	for (i = 0; i < nt; i++)
		if (touched[i] == pin->node)
			break;
	if (i == nt)
		return 0;
	at0.node = 0;
	if (!sched_place_pin_free(sched_reserve_future_one(f, pin->node), &at0))
		return 0;
	allocs[0] = *pin;
	*n = 1;
	return 1;
}

/* After a release touched nodes: 1 when r now fits (allocs filled). */
static int
sched_reserve_test(struct fs_future *f, struct fs_gang *g, const struct req *r,
    const int32_t *touched, int32_t nt, struct alloc *allocs, int32_t *n)
{
	struct alloc a;
	int32_t i;

	if (f->pin != NULL)
		return sched_reserve_test_pin(f, f->pin, touched, nt, allocs,
		    n);
	for (i = 0; i < nt; i++) {
		if (g == NULL) {
			if (sched_reserve_fits(f, touched[i], r, &allocs[0])) {
				*n = 1;
				return 1;
			}
		} else if (!g->fits[touched[i]] &&
		    sched_reserve_fits(f, touched[i], r, &a)) {
			g->fits[touched[i]] = 1;
			g->count++;
		}
	}
	return g != NULL && sched_reserve_gang_fill(f, g, r, allocs, n);
}

static void
sched_reserve_sort(struct fs_state *st)
{
	if (st->ev_sorted)
		return;
	qsort(st->ev, st->nev, sizeof(*st->ev), sched_reserve_cmp);
	st->ev_sorted = 1;
}

int64_t
sched_reserve_find(struct fs_state *st, const struct req *r,
    const struct alloc *pin, struct alloc *allocs, int32_t *n)
{
	int32_t touched[MODEL_MAX_GANG_NODES + 1], nt;
	struct fs_future f;
	struct fs_gang g, *gp = NULL;
	int64_t found = 0;
	size_t i;

	sched_reserve_sort(st);
	sched_reserve_future_init(st, &f, st->have_lng ? &st->lng : &st->now_c);
	f.pin = pin;
	if (pin != NULL &&
	    (model_req_nodes(r) > 1 || pin->node < 0 ||
	        (size_t)pin->node >= f.base->nnodes)) {
		sched_reserve_future_done(&f);
		return 0; /* a pinned gang gets no reservation */
	}
	if (pin == NULL && model_req_nodes(r) > 1) {
		gp = &g;
		sched_reserve_gang_init(&f, gp, r);
	}
	for (i = 0; i < st->nev && st->ev[i].t != FS_NEVER; i++) {
		nt = sched_reserve_release(&f,
		    sched_reserve_allocs(st, &st->ev[i]),
		    st->ev[i].n > MODEL_MAX_GANG_NODES ? MODEL_MAX_GANG_NODES :
		                                         st->ev[i].n,
		    touched);
		if (sched_reserve_test(&f, gp, r, touched, nt, allocs, n)) {
			found = st->ev[i].t > st->now ? st->ev[i].t : st->now;
			break;
		}
	}
	if (gp != NULL)
		free(g.fits);
	sched_reserve_future_done(&f);
	return found;
}

int64_t
sched_reserve_make(struct fs_state *st, int32_t k)
{
	const struct fs_job *job = &st->jobs[k];
	struct fs_resv *v;
	struct fs_event *e;
	int64_t t;

	if (st->nresv == st->cap_resv) {
		st->cap_resv = st->cap_resv ? st->cap_resv * 2 : 8;
		st->resv =
		    xreallocarray(st->resv, st->cap_resv, sizeof(*st->resv));
	}
	v = &st->resv[st->nresv];
	/* Only these: allocs is written by the search (67 KB to zero per
	 * blocked job was the plan's hottest line with a deep queue). */
	v->job = 0;
	v->t = 0;
	v->n = 0;
	if ((t = sched_reserve_find(st, job->req, job->j->pin, v->allocs,
	         &v->n)) == 0)
		return 0;
	v->job = k;
	v->t = t;
	sched_fairshare_apply(st, sched_fairshare_lng(st), v->allocs, v->n, -1);
	if (st->have_stop)
		sched_fairshare_apply(st, &st->stop, v->allocs, v->n, -1);
	if (job->dur > 0) {
		e = sched_reserve_new_event(st, t + job->dur, v->n);
		e->src = FS_SRC_RESV;
		e->idx = st->nresv;
	}
	st->nresv++;
	if (t < st->t_min)
		st->t_min = t;
	return t;
}

int64_t
sched_reserve_eta(struct fs_state *st, int32_t k)
{
	const struct fs_job *job = &st->jobs[k];
	struct alloc a[MODEL_MAX_GANG_NODES];
	struct fs_shape *s;
	int64_t fluid = st->now, t;
	int32_t n;

	s = FS_SHAPE(st, k);
	if (st->gpu_capacity > 0 && job->milli > 0)
		fluid += (int64_t)(st->work_ahead / st->gpu_capacity);
	if (job->pinned) {
		/* Its own walk: only its pin will do. */
		if ((t = sched_reserve_find(st, job->req, job->j->pin, a,
		         &n)) == 0)
			return 0;
		return t > fluid ? t : fluid;
	}
	if (!s->eta_done && st->eta_walks < FS_ETA_WALKS) {
		st->eta_walks++;
		s->eta_fit = sched_reserve_find(st, job->req, NULL, a, &n);
		s->eta_done = 1;
	}
	if (!s->eta_done)
		return fluid;
	if (s->eta_fit == 0)
		return 0;
	return s->eta_fit > fluid ? s->eta_fit : fluid;
}

int
sched_reserve_place(struct fs_state *st, int32_t k, struct alloc *allocs,
    int32_t *n, enum wait_reason *why)
{
	const struct fs_job *job = &st->jobs[k];
	uint64_t gen = st->nstarted + 1;
	const struct req *r = job->req;
	struct fs_shape *s;
	int64_t end;

	end = job->dur > 0 ? st->now + job->dur : FS_NEVER;
	if (end <= st->t_min)
		return sched_place_job(&st->pl, &st->now_c, r, allocs, n, why);
	s = FS_SHAPE(st, k);
	if (!sched_fairshare_front_fails(&s->lng, job->cpus, job->mem, why)) {
		if (sched_place_job(&st->pl, sched_fairshare_lng(st), r, allocs,
		        n, why))
			return 1;
		sched_fairshare_front_add(&s->lng, job->cpus, job->mem, *why);
	}
	if (s->fits_gen == gen && job->cpus <= s->fits_cpus &&
	    job->mem <= s->fits_mem)
		return 2;
	if (!sched_place_job(&st->pl, &st->now_c, r, allocs, n, why))
		return 0;
	s->fits_gen = gen;
	s->fits_cpus = r->cpus_milli;
	s->fits_mem = r->mem_mb;
	return 2;
}
