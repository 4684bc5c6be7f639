/*
 * Pinned jobs in the fairshare policy (job_core.pin): a job that must
 * start exactly on one allocation, a suspended job coming back to the GPUs
 * its memory was saved from, or the incoming job of a swap.  It goes
 * first in its project's admission (it already ran), starts when all of
 * its allocation is free and it cannot delay a reservation, and otherwise
 * waits: RESOURCES with a hint naming a job that holds part of it, or
 * PRIORITY.  The first ones in line get a reservation of exactly their
 * pin.  No victims are sought for a pin.
 */
#include <stdio.h>
#include <string.h>

#include "core/sched-fairshare.h"

int
sched_pin_try(struct fs_state *st, int32_t k, struct alloc *allocs, int32_t *n,
    enum wait_reason *why)
{
	const struct fs_job *job = &st->jobs[k];
	const struct alloc *pin = job->j->pin;
	int64_t end = job->dur > 0 ? st->now + job->dur : FS_NEVER;

	if (!sched_place_pinned(&st->pl, &st->now_c, job->req, pin, allocs, n,
	        why))
		return 0;
	if (end <= st->t_min || !st->have_lng)
		return 1;
	if (sched_place_pinned(&st->pl, &st->lng, job->req, pin, allocs, n,
	        why))
		return 1;
	*why = WAIT_PRIORITY;
	return 2;
}

/* True when a (one node's part of a job) holds some of pin. */
static int
sched_pin_overlaps(const struct alloc *a, const struct alloc *pin)
{
	int32_t i, j;

	if (a->node != pin->node)
		return 0;
	if (pin->ngpus == 0)
		return 1;
	for (i = 0; i < a->ngpus; i++)
		for (j = 0; j < pin->ngpus; j++)
			if (a->gpus[i].gpu == pin->gpus[j].gpu)
				return 1;
	return 0;
}

/* A running job (not being swapped out) holding some of pin, or 0. */
static int64_t
sched_pin_running(const struct fs_state *st, const struct alloc *pin)
{
	const struct job_core *j;
	int32_t i, g;

	for (i = st->node_start[pin->node]; i < st->node_start[pin->node + 1];
	     i++) {
		j = st->runs[st->runs_at[i]].j;
		for (g = -1; g < j->ngang; g++)
			if (sched_pin_overlaps(g < 0 ? &j->alloc : &j->gang[g],
			        pin))
				return j->id;
	}
	return 0;
}

/* A job this plan starts that takes some of pin, or 0. */
static int64_t
sched_pin_started(const struct fs_state *st, const struct alloc *pin)
{
	const struct decision *d;
	int32_t g;
	size_t i;

	for (i = 0; i < st->out->ndecisions; i++) {
		d = &st->out->decisions[i];
		if (d->kind != DECIDE_START)
			continue;
		for (g = -1; g < d->ngang; g++)
			if (sched_pin_overlaps(g < 0 ? &d->alloc : &d->gang[g],
			        pin))
				return d->job_id;
	}
	return 0;
}

void
sched_pin_hint(struct fs_state *st, int32_t k, struct waiting *w)
{
	const struct alloc *pin = st->jobs[k].j->pin;
	const struct cluster *c = st->in->cluster;

	w->hint.kind = HINT_PIN;
	if (pin->node < 0 || (size_t)pin->node >= c->nnodes)
		return;
	snprintf(w->hint.text, sizeof(w->hint.text), "%s",
	    c->nodes[pin->node].name);
	w->hint.value = pin->ngpus;
	w->hint.job_id = sched_pin_running(st, pin);
	if (w->hint.job_id == 0)
		w->hint.job_id = sched_pin_started(st, pin);
}
