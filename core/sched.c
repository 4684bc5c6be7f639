/*
 * Scheduling: the policy table, plans, hints.  Pure: no I/O, no clock.
 * Placement is sched-place.c's (over the strategies of core/place*.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/sched.h"

static const struct sched_policy sched_policies[] = {
	{ "fairshare",
	    "quotas, fair share, backfill with reservations, preemption "
	    "(the default)",
	    sched_fairshare_plan },
	{ "fifo", "first come, first served; greedy, no reservations",
	    sched_fifo_plan },
};

#define SCHED_NPOLICIES (sizeof(sched_policies) / sizeof(sched_policies[0]))

static const char *const sched_reason_names[WAIT_NREASONS] = {
	"NONE",
	"RESOURCES",
	"FRAGMENTED",
	"PRIORITY",
	"QUOTA",
	"LIMIT",
	"GANG",
	"HELD",
	"DEPENDENCY",
	"POOL",
};

static const char *const sched_risk_names[RISK_NLEVELS] = {
	"none",
	"protected",
	"in-quota",
	"borrowed",
	"stopping",
};

const char *
sched_risk_name(enum risk_level r)
{
	if ((int)r < 0 || r >= RISK_NLEVELS)
		return "none";
	return sched_risk_names[r];
}

const char *
sched_preempt_name(enum preempt_why w)
{
	switch (w) {
	case PREEMPT_RECLAIM:
		return "reclaim";
	case PREEMPT_PRIORITY:
		return "priority";
	default:
		return "none";
	}
}

const char *
sched_reason_name(enum wait_reason r)
{
	if ((int)r < 0 || r >= WAIT_NREASONS)
		return "NONE";
	return sched_reason_names[r];
}

const struct sched_policy *
sched_policy_find(const char *name)
{
	size_t i;

	for (i = 0; i < SCHED_NPOLICIES; i++)
		if (strcmp(sched_policies[i].name, name) == 0)
			return &sched_policies[i];
	return NULL;
}

const struct sched_policy *
sched_policy_default(void)
{
	return &sched_policies[0];
}

void
sched_scratch_init(struct sched_scratch *s)
{
	memset(s, 0, sizeof(*s));
}

void
sched_scratch_done(struct sched_scratch *s)
{
	int i;

	for (i = 0; i < SCHED_SCRATCH_SLOTS; i++)
		free(s->p[i]);
	sched_scratch_init(s);
}

void *
sched_scratch_take(struct sched_scratch *s, int slot, size_t size)
{
	void *p;

	if (s == NULL || slot < 0 || slot >= SCHED_SCRATCH_SLOTS ||
	    s->p[slot] == NULL || s->size[slot] < size)
		return xreallocarray(NULL, size > 0 ? size : 1, 1);
	p = s->p[slot];
	s->p[slot] = NULL;
	return p;
}

void
sched_scratch_give(struct sched_scratch *s, int slot, void *p, size_t size)
{
	if (s == NULL || slot < 0 || slot >= SCHED_SCRATCH_SLOTS ||
	    (s->p[slot] != NULL && s->size[slot] >= size)) {
		free(p);
		return;
	}
	free(s->p[slot]);
	s->p[slot] = p;
	s->size[slot] = size;
}

void
plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

void
plan_reset(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->ndecisions; i++)
		free(p->decisions[i].gang);
	p->ndecisions = 0;
	p->nwaiting = 0;
	p->nrisks = 0;
}

void
plan_done(struct plan *p)
{
	plan_reset(p);
	free(p->decisions);
	free(p->waiting);
	free(p->risks);
	plan_init(p);
}

static struct decision *
plan_new_decision(struct plan *p, enum decision_kind kind, int64_t job_id,
    const struct alloc *a)
{
	struct decision *d;

	if (p->ndecisions == p->cap_decisions) {
		p->cap_decisions = p->cap_decisions ? p->cap_decisions * 2 : 16;
		p->decisions = xreallocarray(p->decisions, p->cap_decisions,
		    sizeof(*p->decisions));
	}
	d = &p->decisions[p->ndecisions++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->job_id = job_id;
	d->alloc = *a;
	return d;
}

void
plan_add_start(struct plan *p, int64_t job_id, const struct alloc *a)
{
	plan_new_decision(p, DECIDE_START, job_id, a);
}

void
plan_add_gang(struct plan *p, int64_t job_id, const struct alloc *allocs,
    int32_t n)
{
	struct decision *d = plan_new_decision(p, DECIDE_START, job_id, allocs);

	if (n <= 1)
		return;
	d->ngang = n - 1;
	d->gang = xreallocarray(NULL, (size_t)n - 1, sizeof(*d->gang));
	memcpy(d->gang, allocs + 1, ((size_t)n - 1) * sizeof(*d->gang));
}

void
plan_add_preempt(struct plan *p, int64_t job_id, int64_t for_job,
    enum preempt_why why, const struct alloc *a)
{
	struct decision *d = plan_new_decision(p, DECIDE_PREEMPT, job_id, a);

	d->why = why;
	d->for_job = for_job;
}

void
plan_add_wait(struct plan *p, const struct waiting *w)
{
	if (p->nwaiting == p->cap_waiting) {
		p->cap_waiting = p->cap_waiting ? p->cap_waiting * 2 : 16;
		p->waiting = xreallocarray(p->waiting, p->cap_waiting,
		    sizeof(*p->waiting));
	}
	p->waiting[p->nwaiting++] = *w;
}

void
plan_add_waiting(struct plan *p, int64_t job_id, enum wait_reason r,
    int32_t position)
{
	struct waiting w;

	memset(&w, 0, sizeof(w));
	w.job_id = job_id;
	w.reason = r;
	w.position = position;
	plan_add_wait(p, &w);
}

void
plan_add_risk(struct plan *p, int64_t job_id, enum risk_level level,
    int64_t until)
{
	struct risk *r;

	if (p->nrisks == p->cap_risks) {
		p->cap_risks = p->cap_risks ? p->cap_risks * 2 : 16;
		p->risks =
		    xreallocarray(p->risks, p->cap_risks, sizeof(*p->risks));
	}
	r = &p->risks[p->nrisks++];
	r->job_id = job_id;
	r->level = level;
	r->until = until;
}

const struct waiting *
plan_find_waiting(const struct plan *p, int64_t id)
{
	size_t i;

	for (i = 0; i < p->nwaiting; i++)
		if (p->waiting[i].job_id == id)
			return &p->waiting[i];
	return NULL;
}

const struct decision *
plan_find_start(const struct plan *p, int64_t id)
{
	size_t i;

	for (i = 0; i < p->ndecisions; i++)
		if (p->decisions[i].kind == DECIDE_START &&
		    p->decisions[i].job_id == id)
			return &p->decisions[i];
	return NULL;
}

int
sched_node_where(const struct node *nd, const struct req *r)
{
	if (r->pool[0] != '\0' && strcmp(r->pool, nd->pool) != 0)
		return 0;
	if (r->gpu_model[0] != '\0' &&
	    (nd->ngpus == 0 ||
	        !model_gpu_model_ok(r->gpu_model, nd->gpus[0].model)))
		return 0;
	return model_node_labels_ok(nd, r);
}

static char *
sched_hint_limit(const struct sched_hint *h, char *out, size_t n)
{
	char a[32], b[32];

	snprintf(out, n,
	    "its %s%s holds %s of its limit of %s GPUs: it starts when "
	    "enough of them end",
	    h->text[0] ? "department " : "project", h->text,
	    units_fmt_gpus((int32_t)h->value, a, sizeof(a)),
	    units_fmt_gpus((int32_t)h->value2, b, sizeof(b)));
	return out;
}

static char *
sched_hint_quota(const struct sched_hint *h, char *out, size_t n)
{
	char a[32], b[32];

	snprintf(out, n,
	    "its %s%s already holds %s GPUs (deserved %s): more runs only "
	    "on idle GPUs",
	    h->text[0] ? "department " : "project", h->text,
	    units_fmt_gpus((int32_t)h->value, a, sizeof(a)),
	    units_fmt_gpus((int32_t)h->value2, b, sizeof(b)));
	return out;
}

static char *
sched_hint_wait(const struct sched_hint *h, char *out, size_t n)
{
	char a[32];

	switch (h->kind) {
	case HINT_SHORTER:
		snprintf(out, n,
		    "a time limit under %s would start it now (backfill)",
		    units_fmt_duration(h->value, a, sizeof(a)));
		break;
	case HINT_FREES:
		snprintf(out, n, "enough capacity frees up in ~%s",
		    units_fmt_duration(h->value, a, sizeof(a)));
		break;
	case HINT_SWAP:
		snprintf(out, n, "job %lld is being swapped out for it (~%s)",
		    (long long)h->job_id,
		    units_fmt_duration(h->value, a, sizeof(a)));
		break;
	case HINT_PREEMPTS:
		snprintf(out, n, "swapping out %lld job%s to make room for it",
		    (long long)h->value, h->value == 1 ? "" : "s");
		break;
	default:
		out[0] = '\0';
	}
	return out;
}

char *
sched_hint_text(const struct waiting *w, int64_t now, char *out, size_t n)
{
	const struct sched_hint *h = &w->hint;
	char a[32];

	(void)now;
	switch (h->kind) {
	case HINT_SMALLER:
		snprintf(out, n, "--gpus %s would start now",
		    units_fmt_gpus((int32_t)h->value, a, sizeof(a)));
		break;
	case HINT_POOL:
		if (h->text[0] != '\0')
			snprintf(out, n, "pool %s has room now", h->text);
		else
			snprintf(out, n,
			    "it would start now without its pool, model or "
			    "labels");
		break;
	case HINT_LIMIT:
		return sched_hint_limit(h, out, n);
	case HINT_QUOTA:
		return sched_hint_quota(h, out, n);
	case HINT_NODES:
		snprintf(out, n, "%lld of the %lld nodes it needs are free now",
		    (long long)h->value, (long long)h->value2);
		break;
	case HINT_HELD:
		snprintf(out, n, "held: it starts once released");
		break;
	case HINT_DEPENDENCY:
		snprintf(out, n, "waits for the jobs it depends on");
		break;
	case HINT_PIN:
		if (h->job_id > 0)
			snprintf(out, n,
			    "it resumes only on its own GPUs on %s; job %lld "
			    "holds them",
			    h->text, (long long)h->job_id);
		else
			snprintf(out, n,
			    "it resumes only on its own GPUs on %s, not free "
			    "yet",
			    h->text);
		break;
	default:
		return sched_hint_wait(h, out, n);
	}
	return out;
}

char *
sched_risk_text(const struct risk *r, int64_t now, char *out, size_t n)
{
	char a[32];

	switch (r->level) {
	case RISK_PROTECTED:
		snprintf(out, n,
		    "inside its minimum runtime for another %s: not swapped "
		    "out before",
		    units_fmt_duration(r->until - now, a, sizeof(a)));
		break;
	case RISK_IN_QUOTA:
		snprintf(out, n,
		    "inside its project's deserved quota: only a higher class "
		    "of its own project may swap it out");
		break;
	case RISK_BORROWED:
		snprintf(out, n,
		    "runs on borrowed GPUs: swapped out if another project "
		    "needs its deserved quota back");
		break;
	case RISK_STOPPING:
		snprintf(out, n, "being stopped or swapped out now");
		break;
	default:
		snprintf(out, n, "not preemptible");
	}
	return out;
}
