/*
 * The ledger: who holds what now, who used what lately (decayed), and
 * from both the quota checks and the fair-share standings the policies
 * order jobs by.  Pure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/project.h"

#define LEDGER_LN2 0.69314718055994530942

static uint64_t
project_ledger_hash(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *a != '\0'; a++)
		h = (h ^ (unsigned char)*a) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (; b != NULL && *b != '\0'; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ULL;
	return h;
}

/* Rebuilds a table of cap slots (a power of two) for n entries. */
static int32_t *
project_ledger_rehash(struct ledger *l, int users, size_t cap)
{
	int32_t *t = xcalloc(cap, sizeof(*t));
	uint64_t h;
	size_t i, n = users ? l->nusers : l->nprojects;

	for (i = 0; i < n; i++) {
		if (users)
			h = project_ledger_hash(l->users[i].name,
			    l->projects[l->users[i].project_idx].name);
		else
			h = project_ledger_hash(l->projects[i].name, NULL);
		while (t[h & (cap - 1)] != 0)
			h++;
		t[h & (cap - 1)] = (int32_t)i + 1;
	}
	return t;
}

static void
project_ledger_grow_hash(struct ledger *l, int users)
{
	size_t n = users ? l->nusers : l->nprojects;
	size_t *cap = users ? &l->uhash_cap : &l->phash_cap;
	int32_t **t = users ? &l->uhash : &l->phash;

	if ((n + 1) * 2 <= *cap)
		return;
	*cap = *cap ? *cap * 2 : 64;
	free(*t);
	*t = project_ledger_rehash(l, users, *cap);
}

static void
project_ledger_insert(struct ledger *l, int users, uint64_t h, int32_t idx)
{
	int32_t *t = users ? l->uhash : l->phash;
	size_t cap = users ? l->uhash_cap : l->phash_cap;

	while (t[h & (cap - 1)] != 0)
		h++;
	t[h & (cap - 1)] = idx + 1;
}

static int32_t
project_ledger_add_project(struct ledger *l, const char *name)
{
	struct ledger_project *p;
	int32_t idx;

	project_ledger_grow_hash(l, 0);
	if (l->nprojects == l->cap_projects) {
		l->cap_projects = l->cap_projects ? l->cap_projects * 2 : 16;
		l->projects = xreallocarray(l->projects, l->cap_projects,
		    sizeof(*l->projects));
	}
	idx = (int32_t)l->nprojects++;
	p = &l->projects[idx];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->dept_idx = -1;
	p->limit_milli = PROJECT_NO_LIMIT;
	p->weight = 1;
	p->stale = 1;
	project_ledger_insert(l, 0, project_ledger_hash(name, NULL), idx);
	return idx;
}

static void
project_ledger_configure(struct ledger *l, const struct projects *cfg)
{
	struct ledger_project *p;
	int32_t idx;
	size_t i;

	l->ndepts = cfg->ndepts;
	l->depts = xcalloc(cfg->ndepts + 1, sizeof(*l->depts));
	for (i = 0; i < cfg->ndepts; i++) {
		l->depts[i].deserved_milli = cfg->depts[i].deserved_milli;
		l->depts[i].limit_milli = cfg->depts[i].limit_milli;
		l->depts[i].parent_idx = cfg->depts[i].parent_idx;
		l->depts[i].weight =
		    cfg->depts[i].weight > 0 ? cfg->depts[i].weight : 1;
		l->depts[i].stale = 1;
	}
	for (i = 0; i < cfg->nlist; i++) {
		idx = project_ledger_add_project(l, cfg->list[i].name);
		p = &l->projects[idx];
		p->dept_idx = cfg->list[i].dept_idx;
		p->deserved_milli = cfg->list[i].deserved_milli;
		p->limit_milli = cfg->list[i].limit_milli;
		p->weight = cfg->list[i].weight;
		p->configured = 1;
	}
}

void
project_ledger_init(struct ledger *l, const struct projects *cfg,
    const struct cluster *c, int64_t now)
{
	const struct node *nd;
	size_t i;

	memset(l, 0, sizeof(*l));
	l->cfg = cfg;
	l->now = now;
	for (i = 0; i < c->nnodes; i++) {
		nd = &c->nodes[i];
		l->capacity[0] += (double)nd->ngpus * MODEL_GPU_MILLI;
		l->capacity[1] += nd->cpus_milli;
		l->capacity[2] += (double)nd->mem_mb;
	}
	if (cfg != NULL) {
		l->half_life_s = cfg->params.half_life_s;
		project_ledger_configure(l, cfg);
	} else {
		l->half_life_s = 0;
		l->depts = xcalloc(1, sizeof(*l->depts));
	}
}

void
project_ledger_done(struct ledger *l)
{
	free(l->projects);
	free(l->users);
	free(l->depts);
	free(l->phash);
	free(l->uhash);
	memset(l, 0, sizeof(*l));
}

int32_t
project_ledger_project(struct ledger *l, const char *name)
{
	uint64_t h = project_ledger_hash(name, NULL);
	int32_t k;

	if (l->phash_cap > 0) {
		while ((k = l->phash[h & (l->phash_cap - 1)]) != 0) {
			if (strcmp(l->projects[k - 1].name, name) == 0)
				return k - 1;
			h++;
		}
	}
	return project_ledger_add_project(l, name);
}

static double
project_ledger_user_weight(const struct ledger *l, int32_t pidx,
    const char *user)
{
	int32_t i;

	if (l->cfg == NULL)
		return 1;
	i = project_user_find(l->cfg, l->projects[pidx].name, user);
	return i >= 0 ? l->cfg->users[i].weight : 1;
}

static int32_t
project_ledger_add_user(struct ledger *l, int32_t pidx, const char *user)
{
	struct ledger_user *u;
	int32_t idx;

	project_ledger_grow_hash(l, 1);
	if (l->nusers == l->cap_users) {
		l->cap_users = l->cap_users ? l->cap_users * 2 : 64;
		l->users =
		    xreallocarray(l->users, l->cap_users, sizeof(*l->users));
	}
	idx = (int32_t)l->nusers++;
	u = &l->users[idx];
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", user);
	u->project_idx = pidx;
	u->weight = project_ledger_user_weight(l, pidx, user);
	u->stale = 1;
	project_ledger_insert(l, 1,
	    project_ledger_hash(user, l->projects[pidx].name), idx);
	return idx;
}

int32_t
project_ledger_user(struct ledger *l, int32_t pidx, const char *user)
{
	uint64_t h = project_ledger_hash(user, l->projects[pidx].name);
	int32_t k;

	if (l->uhash_cap > 0) {
		while ((k = l->uhash[h & (l->uhash_cap - 1)]) != 0) {
			if (l->users[k - 1].project_idx == pidx &&
			    strcmp(l->users[k - 1].name, user) == 0)
				return k - 1;
			h++;
		}
	}
	return project_ledger_add_user(l, pidx, user);
}

/* Adds usage (as averages) to department d and the ones above it. */
static void
project_ledger_dept_hist(struct ledger *l, int32_t d, double g, double c,
    double m)
{
	size_t steps = 0;

	for (; d >= 0 && steps++ <= l->ndepts; d = l->depts[d].parent_idx) {
		l->depts[d].hist[0] += g;
		l->depts[d].hist[1] += c;
		l->depts[d].hist[2] += m;
		l->depts[d].stale = 1;
	}
}

/* Adds decayed resource-seconds to a user and its project, as averages. */
static void
project_ledger_hist(struct ledger *l, int32_t uidx, double gpu_s, double cpu_s,
    double mem_s)
{
	struct ledger_user *u = &l->users[uidx];
	struct ledger_project *p = &l->projects[u->project_idx];
	double k;

	if (l->half_life_s <= 0)
		return;
	k = LEDGER_LN2 / (double)l->half_life_s;
	u->stale = p->stale = 1;
	u->hist[0] += gpu_s * k;
	u->hist[1] += cpu_s * k;
	u->hist[2] += mem_s * k;
	p->hist[0] += gpu_s * k;
	p->hist[1] += cpu_s * k;
	p->hist[2] += mem_s * k;
	project_ledger_dept_hist(l, p->dept_idx, gpu_s * k, cpu_s * k,
	    mem_s * k);
}

void
project_ledger_usage(struct ledger *l, const struct usage_book *b)
{
	const struct usage_entry *e;
	double f;
	int32_t p;
	size_t i;

	if (b == NULL || l->half_life_s <= 0)
		return;
	f = project_usage_decay(l->now - b->t, l->half_life_s);
	for (i = 0; i < b->n; i++) {
		e = &b->e[i];
		p = project_ledger_project(l, e->project);
		project_ledger_hist(l, project_ledger_user(l, p, e->user),
		    e->gpu_s * f, e->cpu_s * f, e->mem_s * f);
	}
}

void
project_ledger_hold(struct ledger *l, int32_t uidx,
    const struct ledger_amount *a, int sign)
{
	struct ledger_user *u = &l->users[uidx];
	struct ledger_project *p = &l->projects[u->project_idx];
	int32_t d, steps = 0;

	u->stale = p->stale = 1;
	u->held.gpus += sign * a->gpus;
	u->held.cpus += sign * a->cpus;
	u->held.mem += sign * a->mem;
	p->held.gpus += sign * a->gpus;
	p->held.cpus += sign * a->cpus;
	p->held.mem += sign * a->mem;
	u->nrunning += sign;
	p->nrunning += sign;
	for (d = p->dept_idx; d >= 0 && (size_t)steps++ <= l->ndepts;
	     d = l->depts[d].parent_idx) {
		l->depts[d].held_milli += sign * a->gpus;
		l->depts[d].held.gpus += sign * a->gpus;
		l->depts[d].held.cpus += sign * a->cpus;
		l->depts[d].held.mem += sign * a->mem;
		l->depts[d].stale = 1;
	}
}

void
project_ledger_running(struct ledger *l, int32_t uidx,
    const struct ledger_amount *a, int64_t start)
{
	double w = project_usage_weight(start, l->now, l->now, l->half_life_s);

	if (w > 0)
		project_ledger_hist(l, uidx, a->gpus * w, a->cpus * w,
		    (double)a->mem * w);
}

void
project_ledger_pending(struct ledger *l, int32_t uidx, int64_t milli)
{
	struct ledger_user *u = &l->users[uidx];

	u->pending_milli += milli;
	u->npending++;
	l->projects[u->project_idx].pending_milli += milli;
	l->projects[u->project_idx].npending++;
}

int32_t
project_ledger_binding(const struct ledger *l, int32_t pidx, int64_t milli,
    int is_limit, int64_t *held, int64_t *cap)
{
	const struct ledger_project *p = &l->projects[pidx];
	const struct ledger_dept *d;
	int32_t i, steps = 0;
	int64_t c;

	*held = p->held.gpus;
	*cap = is_limit ? p->limit_milli : p->deserved_milli;
	if (*cap >= 0 && p->held.gpus + milli > *cap)
		return -1;
	for (i = p->dept_idx; i >= 0 && (size_t)steps++ <= l->ndepts;
	     i = d->parent_idx) {
		d = &l->depts[i];
		c = is_limit ? d->limit_milli : d->deserved_milli;
		if (c >= 0 && d->held_milli + milli > c) {
			*held = d->held_milli;
			*cap = c;
			return i;
		}
	}
	return -2;
}

int
project_ledger_in_quota(const struct ledger *l, int32_t pidx, int64_t milli)
{
	int64_t held, cap;

	return project_ledger_binding(l, pidx, milli, 0, &held, &cap) == -2;
}

int
project_ledger_in_limit(const struct ledger *l, int32_t pidx, int64_t milli)
{
	int64_t held, cap;

	return project_ledger_binding(l, pidx, milli, 1, &held, &cap) == -2;
}

/* The dominant share of (hist + held) over the cluster's capacity. */
static double
project_ledger_dominant(const struct ledger *l, const double hist[3],
    const struct ledger_amount *held)
{
	double v[3], best = 0;
	int r;

	v[0] = hist[0] + (double)held->gpus;
	v[1] = hist[1] + (double)held->cpus;
	v[2] = hist[2] + (double)held->mem;
	for (r = 0; r < 3; r++)
		if (l->capacity[r] > 0 && v[r] / l->capacity[r] > best)
			best = v[r] / l->capacity[r];
	return best;
}

double
project_ledger_share(struct ledger *l, int32_t pidx)
{
	struct ledger_project *p = &l->projects[pidx];

	if (p->stale) {
		p->share =
		    project_ledger_dominant(l, p->hist, &p->held) / p->weight;
		p->stale = 0;
	}
	return p->share;
}

double
project_ledger_user_share(struct ledger *l, int32_t uidx)
{
	struct ledger_user *u = &l->users[uidx];

	if (u->stale) {
		u->share =
		    project_ledger_dominant(l, u->hist, &u->held) / u->weight;
		u->stale = 0;
	}
	return u->share;
}

double
project_ledger_dept_share(struct ledger *l, int32_t d)
{
	struct ledger_dept *x = &l->depts[d];

	if (x->stale) {
		x->share =
		    project_ledger_dominant(l, x->hist, &x->held) / x->weight;
		x->stale = 0;
	}
	return x->share;
}

int64_t
project_ledger_borrowed(const struct ledger *l, int32_t pidx)
{
	const struct ledger_project *p = &l->projects[pidx];

	return p->held.gpus > p->deserved_milli ?
	    p->held.gpus - p->deserved_milli :
	    0;
}
