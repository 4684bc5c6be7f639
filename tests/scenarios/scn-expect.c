/*
 * The scenario runner: what a plan (or a run) is expected to be.
 *
 * Inside an `expect` block every START and PREEMPT of the plan must be
 * listed (a start or preemption nobody expected fails); waits and risks
 * are checked where listed, on the keys given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/units.h"
#include "tests/scenarios/scn.h"

#define SCN_MAX_EXPECT 1024

static int64_t scn_expected[SCN_MAX_EXPECT];
static int scn_nexpected;
static int scn_history; /* an `expect history` block: no plan checks */

void
scn_expect_begin(struct scn *s, int history)
{
	s->in_expect = 1;
	scn_nexpected = 0;
	scn_history = history;
}

static const char *
scn_val(const char *tok, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) == 0 && tok[n] == '=')
		return tok + n + 1;
	return NULL;
}

static void
scn_expect_note(int64_t id)
{
	if (scn_nexpected < SCN_MAX_EXPECT)
		scn_expected[scn_nexpected++] = id;
}

/* "node=n1 gpus=0,1" against an alloc. */
static int
scn_expect_alloc(struct scn *s, const struct decision *d, char **tok, int n)
{
	char have[512], want[64];
	const char *v;
	int i;

	for (i = 2; i < n; i++) {
		if ((v = scn_val(tok[i], "node")) != NULL) {
			if (d->alloc.node < 0 ||
			    strcmp(s->c.nodes[d->alloc.node].name, v) != 0)
				return scn_fail(s,
				    "job %s started on node %s, "
				    "not %s",
				    tok[1],
				    d->alloc.node >= 0 ?
				        s->c.nodes[d->alloc.node].name :
				        "?",
				    v);
		} else if ((v = scn_val(tok[i], "gpus")) != NULL) {
			have[0] = '\0';
			for (int g = 0; g < d->alloc.ngpus; g++) {
				snprintf(want, sizeof(want), "%s%d",
				    g ? "," : "", d->alloc.gpus[g].gpu);
				strncat(have, want,
				    sizeof(have) - strlen(have) - 1);
			}
			if (strcmp(have, v) != 0)
				return scn_fail(s, "job %s got GPUs %s, not %s",
				    tok[1], have, v);
		} else if ((v = scn_val(tok[i], "nodes")) != NULL) {
			if (d->ngang + 1 != atoi(v))
				return scn_fail(s,
				    "job %s spans %d nodes, not "
				    "%s",
				    tok[1], d->ngang + 1, v);
		} else
			return scn_fail(s, "start: unknown %s", tok[i]);
	}
	return 0;
}

static const struct decision *
scn_decision(struct scn *s, int64_t id, enum decision_kind kind)
{
	size_t i;

	for (i = 0; i < s->plan.ndecisions; i++)
		if (s->plan.decisions[i].job_id == id &&
		    s->plan.decisions[i].kind == kind)
			return &s->plan.decisions[i];
	return NULL;
}

static int
scn_expect_start(struct scn *s, char **tok, int n)
{
	const struct decision *d;
	int64_t id = atoll(tok[1]);

	scn_expect_note(id);
	if ((d = scn_decision(s, id, DECIDE_START)) == NULL)
		return scn_fail(s, "job %s was expected to start", tok[1]);
	return scn_expect_alloc(s, d, tok, n);
}

static int
scn_expect_preempt(struct scn *s, char **tok, int n)
{
	const struct decision *d;
	int64_t id = atoll(tok[1]);
	const char *v;
	int i;

	scn_expect_note(-id);
	if ((d = scn_decision(s, id, DECIDE_PREEMPT)) == NULL)
		return scn_fail(s, "job %s was expected to be swapped out",
		    tok[1]);
	for (i = 2; i < n; i++) {
		if ((v = scn_val(tok[i], "for")) != NULL &&
		    d->for_job != atoll(v))
			return scn_fail(s,
			    "job %s swapped out for %lld, not %s", tok[1],
			    (long long)d->for_job, v);
		if ((v = scn_val(tok[i], "why")) != NULL &&
		    strcmp(sched_preempt_name(d->why), v) != 0)
			return scn_fail(s, "job %s swapped out for %s, not %s",
			    tok[1], sched_preempt_name(d->why), v);
	}
	return 0;
}

/* eta=+1h, eta=none, eta=any, eta>=+1h */
static int
scn_expect_eta(struct scn *s, const struct waiting *w, const char *v, int ge)
{
	int64_t want, d;
	int sign = 1;

	if (strcmp(v, "any") == 0)
		return 0;
	if (strcmp(v, "none") == 0)
		want = 0;
	else {
		if (*v == '+' || *v == '-')
			sign = *v++ == '-' ? -1 : 1;
		if (units_parse_duration(v, 1, &d) != 0)
			return scn_fail(s, "bad eta %s", v);
		want = s->now + sign * d;
	}
	if (ge ? (w->eta != 0 && w->eta >= want) : w->eta == want)
		return 0;
	return scn_fail(s, "job %lld: eta %+llds, expected %s%s",
	    (long long)w->job_id, (long long)(w->eta ? w->eta - s->now : 0),
	    ge ? ">= " : "", v);
}

static int
scn_expect_wait_key(struct scn *s, const struct waiting *w, const char *tok)
{
	char hint[256];
	const char *v;

	if ((v = scn_val(tok, "reason")) != NULL) {
		if (strcmp(sched_reason_name(w->reason), v) != 0)
			return scn_fail(s, "job %lld waits for %s, not %s",
			    (long long)w->job_id, sched_reason_name(w->reason),
			    v);
	} else if ((v = scn_val(tok, "position")) != NULL) {
		if (w->position != atoi(v))
			return scn_fail(s, "job %lld is at position %d, not %s",
			    (long long)w->job_id, w->position, v);
	} else if ((v = scn_val(tok, "eta")) != NULL)
		return scn_expect_eta(s, w, v, 0);
	else if (strncmp(tok, "eta>=", 5) == 0)
		return scn_expect_eta(s, w, tok + 5, 1);
	else if ((v = scn_val(tok, "reserved")) != NULL) {
		if (w->reserved != (strcmp(v, "yes") == 0))
			return scn_fail(s, "job %lld reserved=%s, not %s",
			    (long long)w->job_id, w->reserved ? "yes" : "no",
			    v);
	} else if (strncmp(tok, "hint~", 5) == 0) {
		sched_hint_text(w, s->now, hint, sizeof(hint));
		if (strstr(hint, tok + 5) == NULL)
			return scn_fail(s, "job %lld: hint \"%s\" lacks \"%s\"",
			    (long long)w->job_id, hint, tok + 5);
	} else
		return scn_fail(s, "wait: unknown %s", tok);
	return 0;
}

static int
scn_expect_wait(struct scn *s, char **tok, int n)
{
	const struct waiting *w = plan_find_waiting(&s->plan, atoll(tok[1]));
	int i, rc = 0;

	if (w == NULL)
		return scn_fail(s, "job %s was expected to wait", tok[1]);
	for (i = 2; i < n; i++)
		if (scn_expect_wait_key(s, w, tok[i]) != 0)
			rc = -1;
	return rc;
}

static int
scn_expect_risk(struct scn *s, char **tok, int n)
{
	int64_t id = atoll(tok[1]);
	size_t i;

	if (n != 3)
		return scn_fail(s, "risk ID LEVEL");
	for (i = 0; i < s->plan.nrisks; i++) {
		if (s->plan.risks[i].job_id != id)
			continue;
		if (strcmp(sched_risk_name(s->plan.risks[i].level), tok[2]) !=
		    0)
			return scn_fail(s, "job %s: risk %s, not %s", tok[1],
			    sched_risk_name(s->plan.risks[i].level), tok[2]);
		return 0;
	}
	return scn_fail(s, "job %s has no risk in the plan", tok[1]);
}

static const char *
scn_state(const struct scn_job *j)
{
	if (j->done)
		return "DONE";
	if (j->core.state == JOB_RUNNING)
		return j->core.stopping ? "STOPPING" : "RUNNING";
	return "PENDING";
}

/* After a run: state ID S; starts ID N; preempts ID N; started ID by=T;
 * first A B (A started first). */
static int
scn_expect_history(struct scn *s, char **tok, int n)
{
	struct scn_job *a = scn_job_find(s, atoll(tok[1])), *b;
	int64_t t;

	if (a == NULL)
		return scn_fail(s, "no job %s", tok[1]);
	if (strcmp(tok[0], "state") == 0 && n == 3) {
		if (strcmp(scn_state(a), tok[2]) != 0)
			return scn_fail(s, "job %s is %s, not %s", tok[1],
			    scn_state(a), tok[2]);
	} else if ((strcmp(tok[0], "starts") == 0 ||
	               strcmp(tok[0], "preempts") == 0) &&
	    n == 3) {
		if ((tok[0][0] == 's' ? a->starts : a->preempts) !=
		    atoi(tok[2]))
			return scn_fail(s, "job %s: %s %d, not %s", tok[1],
			    tok[0], tok[0][0] == 's' ? a->starts : a->preempts,
			    tok[2]);
	} else if (strcmp(tok[0], "started") == 0 && n == 3 &&
	    strncmp(tok[2], "by=", 3) == 0) {
		if (scn_time(s, tok[2] + 3, &t) != 0)
			return scn_fail(s, "bad time %s", tok[2]);
		if (a->first_start == 0 || a->first_start > t)
			return scn_fail(s,
			    "job %s started at %+llds, not by %s", tok[1],
			    (long long)(a->first_start ?
			            a->first_start - s->now0 :
			            -1),
			    tok[2] + 3);
	} else if (strcmp(tok[0], "first") == 0 && n == 3) {
		if ((b = scn_job_find(s, atoll(tok[2]))) == NULL)
			return scn_fail(s, "no job %s", tok[2]);
		if (a->first_start == 0 ||
		    (b->first_start != 0 && b->first_start < a->first_start))
			return scn_fail(s, "job %s did not start before %s",
			    tok[1], tok[2]);
	} else
		return scn_fail(s, "unknown expectation %s", tok[0]);
	return 0;
}

int
scn_expect_line(struct scn *s, char **tok, int n)
{
	if (n < 2)
		return scn_fail(s, "an expectation needs a job id");
	if (strcmp(tok[0], "start") == 0)
		return scn_expect_start(s, tok, n);
	if (strcmp(tok[0], "preempt") == 0)
		return scn_expect_preempt(s, tok, n);
	if (strcmp(tok[0], "wait") == 0)
		return scn_expect_wait(s, tok, n);
	if (strcmp(tok[0], "risk") == 0)
		return scn_expect_risk(s, tok, n);
	return scn_expect_history(s, tok, n);
}

void
scn_expect_end(struct scn *s)
{
	const struct decision *d;
	int64_t key;
	size_t i;
	int k;

	s->in_expect = 0;
	if (scn_history)
		return;
	for (i = 0; i < s->plan.ndecisions; i++) {
		d = &s->plan.decisions[i];
		key = d->kind == DECIDE_START ? d->job_id : -d->job_id;
		for (k = 0; k < scn_nexpected; k++)
			if (scn_expected[k] == key)
				break;
		if (k == scn_nexpected)
			scn_fail(s, "unexpected: %s %lld",
			    d->kind == DECIDE_START ? "start" : "preempt",
			    (long long)d->job_id);
	}
}
