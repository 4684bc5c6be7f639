/*
 * Preemption for the fairshare policy: claiming room that stopping jobs
 * free, choosing swap-out victims, and every running job's risk.
 *
 * Reclaim: a job inside its project's deserved quota may swap out
 * preemptible jobs of other projects that hold more than their own
 * deserved quota, never taking one below it.  Priority: a job may swap out
 * preemptible jobs of a lower class of its own project.  Never a job still
 * inside its minimum runtime, never an interactive one.  Among the nodes
 * where some set of victims makes room, the one that disturbs the fewest
 * GPUs wins, then fewest jobs, lowest class and priority, youngest.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"

#define FS_MAX_CANDS 256 /* victims considered on one node */

/* A candidate set on one node and what it costs. */
struct fs_pick {
	int32_t node;
	int32_t v[FS_MAX_CANDS];
	int32_t nv;
	int64_t milli;    /* GPUs disturbed */
	int32_t max_rank; /* highest class among the victims */
	int32_t max_prio;
	int64_t youngest; /* latest start among them */
};

static void
sched_preempt_add_at(struct fs_state *st, const struct alloc *a, int32_t n,
    int32_t run, int fill)
{
	int32_t i, node;

	for (i = 0; i < n; i++) {
		node = a[i].node;
		if (node < 0 || (size_t)node >= st->in->cluster->nnodes)
			continue;
		if (fill)
			st->runs_at[st->node_start[node + 1]++] = run;
		else
			st->node_start[node + 2]++;
	}
}

void
sched_preempt_index(struct fs_state *st)
{
	size_t nn = st->in->cluster->nnodes, i, pass;
	const struct job_core *j;

	st->node_start = xcalloc(nn + 2, sizeof(*st->node_start));
	st->runs_at = NULL;
	st->min_rank =
	    xreallocarray(NULL, st->nprojects + 1, sizeof(*st->min_rank));
	for (i = 0; i < st->nprojects; i++)
		st->min_rank[i] = JOB_NCLASSES;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < st->nruns; i++) {
			j = st->runs[i].j;
			sched_preempt_add_at(st, &j->alloc, 1, (int32_t)i,
			    (int)pass);
			if (j->gang != NULL)
				sched_preempt_add_at(st, j->gang, j->ngang,
				    (int32_t)i, (int)pass);
		}
		if (pass == 0) {
			for (i = 2; i < nn + 2; i++)
				st->node_start[i] += st->node_start[i - 1];
			st->runs_at = xreallocarray(NULL,
			    (size_t)st->node_start[nn + 1] + 1,
			    sizeof(*st->runs_at));
		}
	}
	for (i = 0; i < st->nruns; i++)
		if (st->runs[i].j->preemptible &&
		    st->runs[i].rank < st->min_rank[st->runs[i].pidx])
			st->min_rank[st->runs[i].pidx] = st->runs[i].rank;
}

/* The first stopping run on node n, for the hint, or 0. */
static int64_t
sched_preempt_stopping_on(const struct fs_state *st, int32_t n)
{
	const struct fs_run *r;
	int32_t i;

	for (i = st->node_start[n]; i < st->node_start[n + 1]; i++) {
		r = &st->runs[st->runs_at[i]];
		if (r->victim || r->j->stopping)
			return r->j->id;
	}
	return 0;
}

/* Job k takes allocs on every view and in the ledger: it starts soon. */
static void
sched_preempt_take(struct fs_state *st, int32_t k, const struct alloc *a,
    int32_t n)
{
	struct ledger_amount amt;
	int32_t i, g;

	memset(&amt, 0, sizeof(amt));
	for (i = 0; i < n; i++) {
		for (g = 0; g < a[i].ngpus; g++)
			amt.gpus += a[i].gpus[g].milli;
		amt.cpus += a[i].cpus_milli;
		amt.mem += a[i].mem_mb;
	}
	sched_fairshare_take(st, a, n);
	project_ledger_hold(&st->l, st->jobs[k].uidx, &amt, 1);
	st->stop_gen++;
}

int
sched_preempt_claim(struct fs_state *st, int32_t k, int64_t *swap_job)
{
	struct alloc a[MODEL_MAX_GANG_NODES];
	const struct req *r = st->jobs[k].req;
	enum wait_reason why;
	struct fs_shape *s;
	int32_t n;

	if (!st->any_stopping)
		return 0;
	if (st->jobs[k].pinned) {
		if (!sched_place_pinned(&st->pl, sched_fairshare_stop(st), r,
		        st->jobs[k].j->pin, a, &n, &why))
			return 0;
		goto claim;
	}
	s = FS_SHAPE(st, k);
	if (s->stop_gen != st->stop_gen + 1) {
		s->stop.n = 0;
		s->stop_gen = st->stop_gen + 1;
	}
	if (sched_fairshare_front_fails(&s->stop, st->jobs[k].cpus,
	        st->jobs[k].mem, &why))
		return 0;
	if (!sched_place_job(&st->pl, sched_fairshare_stop(st), r, a, &n,
	        &why)) {
		sched_fairshare_front_add(&s->stop, st->jobs[k].cpus,
		    st->jobs[k].mem, why);
		return 0;
	}
claim:
	*swap_job = sched_preempt_stopping_on(st, a[0].node);
	sched_preempt_take(st, k, a, n);
	return 1;
}

/* May run r be swapped out for job k?  Returns its why, or NONE. */
static enum preempt_why
sched_preempt_why(const struct fs_state *st, const struct fs_run *r,
    const struct fs_job *k, int in_quota)
{
	const struct job_core *j = r->j;

	if (r->victim || j->stopping || !j->preemptible ||
	    j->cls == JOB_CLASS_INTERACTIVE ||
	    st->now - j->start_time < st->pp->min_runtime_s)
		return PREEMPT_NONE;
	if (r->pidx == k->pidx)
		return r->rank < k->rank ? PREEMPT_PRIORITY : PREEMPT_NONE;
	if (!in_quota || project_ledger_borrowed(&st->l, r->pidx) < r->milli)
		return PREEMPT_NONE;
	return PREEMPT_RECLAIM;
}

/* Victim order on a node: lowest class, lowest priority, youngest. */
static int
sched_preempt_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct fs_state *st = ctx;
	const struct fs_run *a = &st->runs[*(const int32_t *)pa];
	const struct fs_run *b = &st->runs[*(const int32_t *)pb];

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->j->priority != b->j->priority)
		return a->j->priority < b->j->priority ? -1 : 1;
	if (a->j->start_time != b->j->start_time)
		return a->j->start_time > b->j->start_time ? -1 : 1;
	if (a->milli != b->milli)
		return a->milli < b->milli ? -1 : 1;
	return a->j->id > b->j->id ? -1 : a->j->id < b->j->id;
}

/* Candidates on node n, in victim order. */
static int32_t
sched_preempt_cands(struct fs_state *st, int32_t n, const struct fs_job *k,
    int in_quota, int32_t *out)
{
	int32_t i, c = 0, run;

	for (i = st->node_start[n]; i < st->node_start[n + 1]; i++) {
		run = st->runs_at[i];
		if (c < FS_MAX_CANDS &&
		    sched_preempt_why(st, &st->runs[run], k, in_quota) !=
		        PREEMPT_NONE)
			out[c++] = run;
	}
	qsort_r(out, (size_t)c, sizeof(*out), sched_preempt_cmp, st);
	return c;
}

/* Does job k fit node n of stop with runs v[0..nv) (but skip) gone? */
static int
sched_preempt_fits(struct fs_state *st, int32_t n, const struct req *r,
    const int32_t *v, int32_t nv, int32_t skip)
{
	struct node copy;
	struct cluster one = { &copy, 1 };
	struct alloc part, a;
	const struct job_core *j;
	int32_t i, g;

	sched_fairshare_node_copy(&copy, &st->stop.nodes[n]);
	for (i = 0; i < nv; i++) {
		if (i == skip)
			continue;
		j = st->runs[v[i]].j;
		for (g = -1; g < j->ngang; g++) {
			part = g < 0 ? j->alloc : j->gang[g];
			if (part.node != n)
				continue;
			part.node = 0;
			cluster_give(&one, &part);
		}
	}
	return sched_fairshare_place_on(st, &one, 0, r, &a);
}

/* True when project p is in department d (or one below it). */
static int
sched_preempt_in_dept(const struct fs_state *st, int32_t p, int32_t d)
{
	int32_t x, steps = 0;

	for (x = st->l.projects[p].dept_idx;
	     x >= 0 && (size_t)steps++ <= st->l.ndepts;
	     x = st->l.depts[x].parent_idx)
		if (x == d)
			return 1;
	return 0;
}

/*
 * Reclaim may not take a department below its deserved quota either,
 * unless the job it makes room for is in that department too (then the
 * department keeps what it holds).
 */
static int
sched_preempt_keeps_depts(const struct fs_state *st, const int32_t *v,
    int32_t nv, int32_t c, const struct fs_job *k)
{
	const struct fs_run *cand = &st->runs[c];
	const struct ledger_dept *x;
	int32_t d, i, steps = 0;
	int64_t taken;

	for (d = st->l.projects[cand->pidx].dept_idx;
	     d >= 0 && (size_t)steps++ <= st->l.ndepts;
	     d = st->l.depts[d].parent_idx) {
		x = &st->l.depts[d];
		if (x->deserved_milli < 0 ||
		    sched_preempt_in_dept(st, k->pidx, d))
			continue;
		taken = cand->milli;
		for (i = 0; i < nv; i++)
			if (sched_preempt_in_dept(st, st->runs[v[i]].pidx, d))
				taken += st->runs[v[i]].milli;
		if (x->held_milli - taken < x->deserved_milli)
			return 0;
	}
	return 1;
}

/*
 * Reclaim may not take a project below its deserved quota, nor one of its
 * departments below theirs: checks the set v[0..nv) plus run c together.
 */
static int
sched_preempt_keeps_quota(const struct fs_state *st, const int32_t *v,
    int32_t nv, int32_t c, const struct fs_job *k)
{
	const struct fs_run *cand = &st->runs[c];
	int64_t taken = cand->milli;
	int32_t i;

	if (cand->pidx == k->pidx)
		return 1;
	for (i = 0; i < nv; i++)
		if (st->runs[v[i]].pidx == cand->pidx)
			taken += st->runs[v[i]].milli;
	return project_ledger_borrowed(&st->l, cand->pidx) >= taken &&
	    sched_preempt_keeps_depts(st, v, nv, c, k);
}

static void
sched_preempt_cost(const struct fs_state *st, struct fs_pick *p)
{
	const struct fs_run *r;
	int32_t i;

	p->milli = 0;
	p->max_rank = p->max_prio = INT32_MIN;
	p->youngest = 0;
	for (i = 0; i < p->nv; i++) {
		r = &st->runs[p->v[i]];
		p->milli += r->milli;
		if (r->rank > p->max_rank)
			p->max_rank = r->rank;
		if (r->j->priority > p->max_prio)
			p->max_prio = r->j->priority;
		if (r->j->start_time > p->youngest)
			p->youngest = r->j->start_time;
	}
}

/* Is pick a cheaper than b? */
static int
sched_preempt_better(const struct fs_pick *a, const struct fs_pick *b)
{
	if (b->nv == 0)
		return 1;
	if (a->milli != b->milli)
		return a->milli < b->milli;
	if (a->nv != b->nv)
		return a->nv < b->nv;
	if (a->max_rank != b->max_rank)
		return a->max_rank < b->max_rank;
	if (a->max_prio != b->max_prio)
		return a->max_prio < b->max_prio;
	if (a->youngest != b->youngest)
		return a->youngest > b->youngest;
	return a->node < b->node;
}

static int sched_preempt_greedy(struct fs_state *st, int32_t n,
    const struct fs_job *k, const struct req *r, const int32_t *cands,
    int32_t nc, struct fs_pick *p);

/*
 * The first candidate (in victim order) whose swap-out alone lets job k
 * fit: a set of one disturbs fewest jobs.  0 when none.
 */
static int
sched_preempt_single(struct fs_state *st, int32_t n, const struct fs_job *k,
    const struct req *r, const int32_t *cands, int32_t nc, struct fs_pick *p)
{
	int32_t i;

	p->node = n;
	for (i = 0; i < nc; i++) {
		p->v[0] = cands[i];
		if (sched_preempt_keeps_quota(st, p->v, 0, cands[i], k) &&
		    sched_preempt_fits(st, n, r, p->v, 1, -1)) {
			p->nv = 1;
			sched_preempt_cost(st, p);
			return 1;
		}
	}
	p->nv = 0;
	return 0;
}

/*
 * The cheapest set of victims on node n for job k; 0 when none.  Two
 * candidates: victims added in victim order until k fits (then those not
 * needed dropped), and the best single victim.
 */
static int
sched_preempt_node(struct fs_state *st, int32_t n, const struct fs_job *k,
    const struct req *r, int in_quota, struct fs_pick *p)
{
	int32_t cands[FS_MAX_CANDS], nc;
	struct fs_pick one;

	p->nv = 0;
	p->node = n;
	nc = sched_preempt_cands(st, n, k, in_quota, cands);
	if (!sched_preempt_greedy(st, n, k, r, cands, nc, p))
		return 0;
	if (p->nv > 1 && sched_preempt_single(st, n, k, r, cands, nc, &one) &&
	    sched_preempt_better(&one, p))
		*p = one;
	return 1;
}

/* Victims in victim order until k fits, then those not needed dropped. */
static int
sched_preempt_greedy(struct fs_state *st, int32_t n, const struct fs_job *k,
    const struct req *r, const int32_t *cands, int32_t nc, struct fs_pick *p)
{
	int32_t i;

	for (i = 0; i < nc; i++) {
		if (!sched_preempt_keeps_quota(st, p->v, p->nv, cands[i], k))
			continue;
		p->v[p->nv++] = cands[i];
		if (sched_preempt_fits(st, n, r, p->v, p->nv, -1))
			break;
	}
	if (i == nc) {
		p->nv = 0;
		return 0;
	}
	for (i = p->nv - 1; i >= 0 && p->nv > 1; i--)
		if (sched_preempt_fits(st, n, r, p->v, p->nv, i)) {
			memmove(&p->v[i], &p->v[i + 1],
			    (size_t)(p->nv - i - 1) * sizeof(p->v[0]));
			p->nv--;
		}
	sched_preempt_cost(st, p);
	return 1;
}

/* Swaps out runs v[0..nv) for job k: plan, ledger, stop view, order. */
static void
sched_preempt_victims(struct fs_state *st, int32_t k, const int32_t *vs,
    int32_t nv, int in_quota)
{
	const struct fs_job *job = &st->jobs[k];
	struct ledger_amount amt;
	struct fs_run *v;
	int32_t i;

	for (i = 0; i < nv; i++) {
		v = &st->runs[vs[i]];
		plan_add_preempt(st->out, v->j->id, job->j->id,
		    sched_preempt_why(st, v, job, in_quota), &v->j->alloc);
		v->victim = 1;
		memset(&amt, 0, sizeof(amt));
		amt.gpus = v->milli;
		amt.cpus = v->j->alloc.cpus_milli;
		amt.mem = v->j->alloc.mem_mb;
		project_ledger_hold(&st->l, v->uidx, &amt, -1);
		sched_fairshare_apply(st, sched_fairshare_stop(st),
		    &v->j->alloc, 1, 1);
		if (v->j->gang != NULL)
			sched_fairshare_apply(st, &st->stop, v->j->gang,
			    v->j->ngang, 1);
		sched_reserve_move(st, vs[i], st->now + st->pp->swap_time_s);
		sched_fairshare_user_changed(st, v->uidx);
		sched_fairshare_rekey(st, v->pidx);
	}
	st->any_stopping = 1;
	st->npreempted += (uint64_t)nv;
}

/* Swaps out the victims of pick for job k and books its room. */
static void
sched_preempt_apply(struct fs_state *st, int32_t k, const struct fs_pick *p,
    const struct req *r, int in_quota)
{
	struct alloc a;

	sched_preempt_victims(st, k, p->v, p->nv, in_quota);
	if (sched_fairshare_place_on(st, &st->stop, p->node, r, &a))
		sched_preempt_take(st, k, &a, 1);
}

/* Gang victims: the order of node picks, cheapest first. */
static int
sched_preempt_pick_cmp(const void *pa, const void *pb)
{
	const struct fs_pick *a = pa, *b = pb;

	if ((a->nv == 0) != (b->nv == 0))
		return a->nv == 0 ? -1 : 1;
	if (a->nv == 0)
		return a->node < b->node ? -1 : a->node > b->node;
	return sched_preempt_better(a, b) ? -1 : sched_preempt_better(b, a);
}

/*
 * For each node where job k's part could go: no victims when it fits
 * already once stopping jobs are gone, else the cheapest victims there.
 * Returns how many nodes; picks in cheapest order.
 */
static int32_t
sched_preempt_gang_picks(struct fs_state *st, const struct fs_job *job,
    int in_quota, struct fs_pick *picks)
{
	const struct req *r = job->req;
	struct alloc a;
	int32_t n, np = 0;

	for (n = 0; (size_t)n < st->in->cluster->nnodes; n++) {
		if (!sched_node_where(&st->stop.nodes[n], r))
			continue;
		if (sched_fairshare_place_on(st, &st->stop, n, r, &a)) {
			picks[np].node = n;
			picks[np++].nv = 0;
		} else if (sched_preempt_node(st, n, job, r, in_quota,
		               &picks[np]))
			np++;
	}
	qsort(picks, (size_t)np, sizeof(*picks), sched_preempt_pick_cmp);
	return np;
}

/*
 * Adds pick p's victims to the union u (*nu of them) when together they
 * keep every project and department at its deserved quota; 0 when not.
 */
static int
sched_preempt_gang_join(struct fs_state *st, const struct fs_job *job,
    const struct fs_pick *p, int32_t *u, int32_t *nu, int32_t cap)
{
	int32_t i, j, n0 = *nu;

	for (i = 0; i < p->nv; i++) {
		for (j = 0; j < *nu && u[j] != p->v[i]; j++)
			;
		if (j < *nu)
			continue; /* a gang victim met on another node */
		if (*nu == cap ||
		    !sched_preempt_keeps_quota(st, u, *nu, p->v[i], job)) {
			*nu = n0;
			return 0;
		}
		u[(*nu)++] = p->v[i];
	}
	return 1;
}

/*
 * A gang inside its quota: the cheapest nodes, each made room on by its
 * own victims, all of them or none; the victims swapped out together.
 * Returns how many were swapped out, 0 when no set would do.
 */
static int
sched_preempt_gang(struct fs_state *st, int32_t k, int in_quota)
{
	const struct fs_job *job = &st->jobs[k];
	int32_t want = model_req_nodes(job->req), np, i, nu = 0, ch = 0;
	int32_t *u, cap = want * FS_MAX_CANDS;
	struct alloc a[MODEL_MAX_GANG_NODES];
	struct fs_pick *picks;

	picks =
	    xreallocarray(NULL, st->in->cluster->nnodes + 1, sizeof(*picks));
	u = xreallocarray(NULL, (size_t)cap + 1, sizeof(*u));
	np = sched_preempt_gang_picks(st, job, in_quota, picks);
	for (i = 0; i < np && ch < want; i++)
		if (sched_preempt_gang_join(st, job, &picks[i], u, &nu, cap))
			picks[ch++] = picks[i];
	if (ch == want && nu > 0) {
		sched_preempt_victims(st, k, u, nu, in_quota);
		for (i = 0; i < want; i++)
			if (!sched_fairshare_place_on(st, &st->stop,
			        picks[i].node, job->req, &a[i]))
				break;
		if (i == want)
			sched_preempt_take(st, k, a, want);
	}
	free(picks);
	free(u);
	return ch == want ? nu : 0;
}

/*
 * Whether a search for job k's shape, project and class already failed
 * with nothing changed since (no start, no swap-out): it would fail again.
 * With note, records this failure.
 */
static int
sched_preempt_known(struct fs_state *st, int32_t k, int in_quota, int note)
{
	const struct fs_job *job = &st->jobs[k];
	struct fs_shape *s = FS_SHAPE(st, k);
	uint64_t gen = st->nstarted + st->npreempted + 1;

	if (note) {
		s->pfail_pidx = job->pidx;
		s->pfail_rank = job->rank;
		s->pfail_inq = in_quota;
		s->pfail_gen = gen;
		return 0;
	}
	return s->pfail_gen == gen && s->pfail_pidx == job->pidx &&
	    s->pfail_rank == job->rank && s->pfail_inq == in_quota;
}

int
sched_preempt_try(struct fs_state *st, int32_t k)
{
	const struct fs_job *job = &st->jobs[k];
	const struct req *r = job->req;
	struct fs_pick best, cur;
	int in_quota, nv;
	size_t n;

	in_quota = project_ledger_in_quota(&st->l, job->pidx, job->milli);
	if (st->tries_left <= 0 || job->pinned ||
	    model_req_nodes(r) > MODEL_MAX_GANG_NODES ||
	    (!in_quota && st->min_rank[job->pidx] >= job->rank))
		return 0;
	if (sched_preempt_known(st, k, in_quota, 0))
		return 0;
	st->tries_left--;
	(void)sched_fairshare_stop(st);
	if (model_req_nodes(r) > 1) {
		if ((nv = sched_preempt_gang(st, k, in_quota)) == 0)
			(void)sched_preempt_known(st, k, in_quota, 1);
		return nv;
	}
	memset(&best, 0, sizeof(best));
	for (n = 0; n < st->in->cluster->nnodes; n++) {
		if (!sched_node_where(&st->stop.nodes[n], r))
			continue;
		if (sched_preempt_node(st, (int32_t)n, job, r, in_quota,
		        &cur) &&
		    sched_preempt_better(&cur, &best))
			best = cur;
	}
	if (best.nv == 0) {
		(void)sched_preempt_known(st, k, in_quota, 1);
		return 0;
	}
	sched_preempt_apply(st, k, &best, r, in_quota);
	return best.nv;
}

static enum risk_level
sched_preempt_risk(const struct fs_state *st, const struct fs_run *r,
    int64_t *until)
{
	const struct job_core *j = r->j;
	const struct ledger_project *p = &st->l.projects[r->pidx];

	*until = 0;
	if (r->victim || j->stopping)
		return RISK_STOPPING;
	if (!j->preemptible || j->cls == JOB_CLASS_INTERACTIVE ||
	    !st->pp->preempt)
		return RISK_NONE;
	if (st->now - j->start_time < st->pp->min_runtime_s) {
		*until = j->start_time + st->pp->min_runtime_s;
		return RISK_PROTECTED;
	}
	if (st->cfg->any && p->held.gpus - r->milli >= p->deserved_milli)
		return RISK_BORROWED;
	return RISK_IN_QUOTA;
}

void
sched_preempt_risks(struct fs_state *st)
{
	enum risk_level lv;
	int64_t until;
	size_t i;

	for (i = 0; i < st->nruns; i++) {
		lv = sched_preempt_risk(st, &st->runs[i], &until);
		plan_add_risk(st->out, st->runs[i].j->id, lv, until);
	}
}
