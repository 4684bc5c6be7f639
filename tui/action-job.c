/*
 * The job actions of the key table (action.c): cancel, suspend, resume,
 * hold, release, requeue, swap, attach, the x menu, the daemon's record
 * and the logs.  Every action that changes the cluster first asks in a
 * dialog that names the jobs, with Cancel focused, and only when the
 * daemon's hello lists its verb; otherwise it says the daemon lacks it.
 * Marked jobs are the targets when there are any, else the selected one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/tui.h"

#define ACTION_JOB_SHOWN 9 /* jobs a dialog names before "... more" */

void
action_job_line(struct tui *t, int64_t id, char *out, size_t n)
{
	const struct rjob *j = replica_job(&t->rep, id);

	if (j == NULL)
		snprintf(out, n, "job %lld", (long long)id);
	else
		snprintf(out, n, "job %lld  %s  (%s)  %s", (long long)id,
		    j->name ? j->name : "", j->user ? j->user : "?",
		    replica_state_name(j->state));
}

/* Which jobs a verb can act on (a job gpuq does not know: let the daemon
 * decide). */
static int
action_job_any(const struct rjob *j)
{
	return 1;
}

static int
action_job_running(const struct rjob *j)
{
	return j->state == RSTATE_RUNNING;
}

static int
action_job_suspended(const struct rjob *j)
{
	return j->state == RSTATE_SUSPENDED;
}

static int
action_job_holdable(const struct rjob *j)
{
	return j->state == RSTATE_PENDING && !j->held;
}

static int
action_job_held(const struct rjob *j)
{
	return j->state == RSTATE_PENDING && j->held;
}

static int
action_job_requeueable(const struct rjob *j)
{
	return j->state == RSTATE_RUNNING || j->state == RSTATE_SUSPENDED;
}

/* A verb on jobs: its dialog, and the jobs it applies to. */
struct action_job_verb {
	const char *verb;  /* "job.suspend" */
	const char *what;  /* "Suspend": title and button */
	const char *which; /* "running": the jobs it takes */
	const char *note;  /* a line under the jobs, or NULL */
	int (*ok)(const struct rjob *j);
};

static const struct action_job_verb action_job_verbs[] = {
	{ "job.cancel", "Cancel", "active", NULL, action_job_any },
	{ "job.suspend", "Suspend", "running",
	    "The daemon stops it (GPU memory kept) or checkpoints it to "
	    "host; R resumes it.",
	    action_job_running },
	{ "job.resume", "Resume", "suspended",
	    "It goes on where it stopped, on the GPUs it had (it may wait "
	    "for them).",
	    action_job_suspended },
	{ "job.hold", "Hold", "pending, not held",
	    "Held jobs keep their place but do not start until released "
	    "(U).",
	    action_job_holdable },
	{ "job.release", "Release", "held", "Released jobs may start at once.",
	    action_job_held },
	{ "job.requeue", "Requeue", "running or suspended",
	    "It is stopped and queued again: it starts over (attempt + 1).",
	    action_job_requeueable },
};

static const struct action_job_verb *
action_job_verb_find(const char *verb)
{
	size_t i;

	for (i = 0; i < sizeof(action_job_verbs) / sizeof(action_job_verbs[0]);
	     i++)
		if (strcmp(action_job_verbs[i].verb, verb) == 0)
			return &action_job_verbs[i];
	return &action_job_verbs[0];
}

/* The jobs an action works on, and what to call it with. */
struct action_jobs {
	int64_t *ids;
	size_t n;
	const char *verb; /* "job.cancel" */
};

static void
action_jobs_free(void *arg)
{
	struct action_jobs *a = arg;

	free(a->ids);
	free(a);
}

static void
action_jobs_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	const char *st, *op;

	if (code != 0) {
		tui_status(t, REVENT_ERROR, "job %lld: %s%s%s", (long long)tag,
		    gq_err_text(code), message && message[0] ? ": " : "",
		    message ? message : "");
		return;
	}
	st = json_string_value(
	    json_object_get(json_object_get(result, "job"), "state"));
	op = json_string_value(
	    json_object_get(json_object_get(json_object_get(result, "job"),
	                        "swapping"),
	        "op"));
	if (json_is_true(json_object_get(result, "cancelling")))
		tui_status(t, REVENT_INFO,
		    "job %lld is stopping (SIGTERM, "
		    "then SIGKILL after its grace)",
		    (long long)tag);
	else if (op != NULL)
		tui_status(t, REVENT_INFO, "job %lld: %s under way",
		    (long long)tag,
		    strcmp(op, "resume") == 0 ? "resume" : "suspend");
	else
		tui_status(t, REVENT_INFO, "job %lld: %s", (long long)tag,
		    st != NULL ? st : "done");
}

static void
action_jobs_run(struct tui *t, void *arg)
{
	struct action_jobs *a = arg;
	struct rpc_reply_cb cb = { action_jobs_reply, t, 0 };
	size_t i, sent = 0;

	for (i = 0; i < a->n; i++) {
		cb.tag = a->ids[i];
		if (session_call_keyed(&t->sess, a->verb,
		        json_pack("{s:I}", "id", (json_int_t)a->ids[i]),
		        &cb) == 0)
			sent++;
	}
	if (sent < a->n)
		tui_status(t, REVENT_ERROR,
		    "not connected: %zu of %zu not "
		    "sent",
		    a->n - sent, a->n);
	else
		tui_status(t, REVENT_INFO, "%s: %zu job%s", a->verb, a->n,
		    a->n == 1 ? "" : "s");
}

/* The dialog's lines: the jobs, what was left out, the verb's note. */
static char **
action_jobs_lines(struct tui *t, const struct action_jobs *a, size_t skipped,
    const struct action_job_verb *vb, size_t *nlines)
{
	size_t i, n = 0,
	          shown = a->n > ACTION_JOB_SHOWN ? ACTION_JOB_SHOWN : a->n;
	char **lines = xcalloc(shown + 4, sizeof(*lines));

	for (i = 0; i < shown; i++) {
		lines[n] = xmalloc(256);
		action_job_line(t, a->ids[i], lines[n++], 256);
	}
	if (a->n > shown)
		lines[n++] = xasprintf("... and %zu more", a->n - shown);
	if (skipped > 0)
		lines[n++] = xasprintf("(%zu marked job%s left out: not %s)",
		    skipped, skipped == 1 ? "" : "s", vb->which);
	if (vb->note != NULL)
		lines[n++] = xstrdup(vb->note);
	*nlines = n;
	return lines;
}

/* Asks first, naming the jobs; Cancel is focused.  Steals ids. */
static void
action_jobs_confirm(struct tui *t, int64_t *ids, size_t n, size_t skipped,
    const char *verb, int ask)
{
	const struct action_job_verb *vb = action_job_verb_find(verb);
	struct action_jobs *a = xcalloc(1, sizeof(*a));
	char title[128], yes[64], **lines;
	size_t i, nlines;

	a->ids = ids;
	a->n = n;
	a->verb = vb->verb;
	if (!ask) {
		action_jobs_run(t, a);
		action_jobs_free(a);
		return;
	}
	lines = action_jobs_lines(t, a, skipped, vb, &nlines);
	snprintf(title, sizeof(title), "%s %zu job%s?", vb->what, n,
	    n == 1 ? "" : "s");
	snprintf(yes, sizeof(yes), "Yes, %s", vb->what);
	dialog_confirm(t, title, (const char *const *)lines, nlines, yes,
	    action_jobs_run, a, action_jobs_free);
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
}

/* Keeps the jobs the verb applies to; returns how many it dropped. */
static size_t
action_jobs_keep(struct tui *t, const struct action_job_verb *vb, int64_t *ids,
    size_t *n)
{
	const struct rjob *j;
	size_t i, k = 0;

	for (i = 0; i < *n; i++) {
		j = replica_job(&t->rep, ids[i]);
		if (j == NULL || vb->ok(j))
			ids[k++] = ids[i];
	}
	i = *n - k;
	*n = k;
	return i;
}

int
action_job_has(struct tui *t, const char *verb, const char *what)
{
	if (session_has_verb(&t->sess, verb))
		return 1;
	tui_status(t, REVENT_WARN,
	    "%s: not available from this daemon yet (no %s verb)", what, verb);
	return 0;
}

/* A mutating verb on the marked or selected jobs, if the daemon has it. */
static void
action_jobs_verb(struct tui *t, const char *verb, int ask)
{
	const struct action_job_verb *vb = action_job_verb_find(verb);
	size_t n, skipped;
	int64_t *ids;

	if (!action_job_has(t, vb->verb, vb->what))
		return;
	if ((n = view_targets(t, &ids)) == 0) {
		free(ids);
		tui_status(t, REVENT_INFO, "no job selected");
		return;
	}
	skipped = action_jobs_keep(t, vb, ids, &n);
	if (n == 0) {
		free(ids);
		tui_status(t, REVENT_INFO, "%s: no %s job among the %zu chosen",
		    vb->what, vb->which, skipped);
		return;
	}
	action_jobs_confirm(t, ids, n, skipped, vb->verb, ask);
}

void
action_cancel_jobs(struct tui *t, const int64_t *ids, size_t n)
{
	int64_t *copy = xcalloc(n + 1, sizeof(*copy));

	memcpy(copy, ids, n * sizeof(*ids));
	action_jobs_confirm(t, copy, n, 0, "job.cancel", 1);
}

void
action_job_cancel(struct tui *t)
{
	action_jobs_verb(t, "job.cancel", 1);
}

void
action_job_cancel_now(struct tui *t)
{
	action_jobs_verb(t, "job.cancel", 0);
}

void
action_job_suspend(struct tui *t)
{
	action_jobs_verb(t, "job.suspend", 1);
}

void
action_job_resume(struct tui *t)
{
	action_jobs_verb(t, "job.resume", 1);
}

void
action_job_hold(struct tui *t)
{
	action_jobs_verb(t, "job.hold", 1);
}

void
action_job_release(struct tui *t)
{
	action_jobs_verb(t, "job.release", 1);
}

void
action_job_requeue(struct tui *t)
{
	action_jobs_verb(t, "job.requeue", 1);
}

/* x: every job action, those the daemon lacks shown but off. */
static const struct {
	const char *label, *verb;
	void (*fn)(struct tui *t);
} action_job_menu_items[] = {
	{ "Cancel             (C)", "job.cancel", action_job_cancel },
	{ "Suspend            (Z)", "job.suspend", action_job_suspend },
	{ "Resume             (R)", "job.resume", action_job_resume },
	{ "Swap with a job... (W)", "job.swap", action_job_swap },
	{ "Hold               (H)", "job.hold", action_job_hold },
	{ "Release            (U)", "job.release", action_job_release },
	{ "Requeue            (P)", "job.requeue", action_job_requeue },
	{ "Priority, time limit...", "job.update", form_update_open },
	{ "Attach a shell     (A)", "job.attach", action_attach_job },
};

#define ACTION_JOB_NMENU                                                       \
	(sizeof(action_job_menu_items) / sizeof(action_job_menu_items[0]))

static void
action_job_menu_done(struct tui *t, void *arg, int i)
{
	action_job_menu_items[i].fn(t);
}

void
action_job_menu(struct tui *t)
{
	char *items[ACTION_JOB_NMENU], title[64];
	int on[ACTION_JOB_NMENU];
	int64_t *ids;
	size_t i, n = view_targets(t, &ids);

	free(ids);
	if (n == 0) {
		tui_status(t, REVENT_INFO, "no job selected");
		return;
	}
	for (i = 0; i < ACTION_JOB_NMENU; i++) {
		on[i] =
		    session_has_verb(&t->sess, action_job_menu_items[i].verb);
		items[i] = on[i] ? xstrdup(action_job_menu_items[i].label) :
		                   xasprintf("%s  (daemon has no %s)",
		                       action_job_menu_items[i].label,
		                       action_job_menu_items[i].verb);
	}
	snprintf(title, sizeof(title), "%zu job%s", n, n == 1 ? "" : "s");
	dialog_menu(t, title, (const char *const *)items, on, ACTION_JOB_NMENU,
	    action_job_menu_done, NULL, NULL);
	for (i = 0; i < ACTION_JOB_NMENU; i++)
		free(items[i]);
}

static void
action_job_raw_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	char title[64], *text;

	if (code != 0) {
		tui_status(t, REVENT_ERROR, "job.show %lld: %s", (long long)tag,
		    message && message[0] ? message : gq_err_text(code));
		return;
	}
	text = json_dumps(json_object_get(result, "job"),
	    JSON_INDENT(2) | JSON_SORT_KEYS);
	snprintf(title, sizeof(title), "job %lld (job.show)", (long long)tag);
	dialog_text(t, title, text != NULL ? text : "");
	free(text);
}

int64_t
action_job_selected(struct tui *t)
{
	if (t->cur->cls->job == NULL)
		return 0;
	view_move(t, 0);
	return t->cur->cls->job(t, t->cur);
}

void
action_job_raw(struct tui *t)
{
	int64_t id = action_job_selected(t);
	struct rpc_reply_cb cb = { action_job_raw_reply, t, id };

	if (id <= 0)
		return;
	if (session_call(&t->sess, "job.show",
	        json_pack("{s:I}", "id", (json_int_t)id), &cb) != 0)
		tui_status(t, REVENT_ERROR, "not connected");
}

void
action_job_logs(struct tui *t)
{
	int64_t id = action_job_selected(t);

	if (id > 0)
		view_show(t, VIEW_LOGS, id);
}

/*
 * W: swap.  The job going out is the selected (or the one marked) running
 * job; the one coming in is picked from the user's pending jobs, those
 * that fit in what it holds first.  Then a confirmation names both.
 */
struct action_swap {
	int64_t out;
	int64_t *ins; /* candidates, in menu order */
	size_t n;
};

static void
action_swap_free(void *arg)
{
	struct action_swap *s = arg;

	free(s->ins);
	free(s);
}

/* GPUs (milli) a running job holds. */
static int32_t
action_swap_held(const struct rjob *j)
{
	int32_t i, sum = 0;

	for (i = 0; i < j->ngpus; i++)
		sum += j->gpus[i].milli;
	return j->ngpus > 0 ? sum : j->gpus_milli;
}

/* 1: fits in what out holds; 0: does not; -1: gpuq cannot tell (a GPU
 * memory request): the daemon decides. */
static int
action_swap_fits(const struct rjob *out, const struct rjob *in)
{
	if (in->gpu_mem_mb > 0)
		return -1;
	return in->gpus_milli <= action_swap_held(out);
}

static int
action_swap_candidate(struct tui *t, const struct rjob *j)
{
	return j->state == RSTATE_PENDING && t->me != NULL && j->user != NULL &&
	    strcmp(j->user, t->me) == 0 &&
	    (j->gpus_milli > 0 || j->gpu_mem_mb > 0);
}

static void
action_swap_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	const char *so, *si;

	if (code != 0) {
		tui_status(t, REVENT_ERROR, "swap: %s%s%s", gq_err_text(code),
		    message && message[0] ? ": " : "", message ? message : "");
		return;
	}
	so = json_string_value(
	    json_object_get(json_object_get(result, "out"), "state"));
	si = json_string_value(
	    json_object_get(json_object_get(result, "in"), "state"));
	tui_status(t, REVENT_INFO, "swapped: job %lld %s, job %lld %s",
	    (long long)json_integer_value(
	        json_object_get(json_object_get(result, "out"), "id")),
	    so ? so : "out",
	    (long long)json_integer_value(
	        json_object_get(json_object_get(result, "in"), "id")),
	    si ? si : "in");
}

static void
action_swap_send(struct tui *t, void *arg)
{
	const int64_t *p = arg; /* out, in */
	struct rpc_reply_cb cb = { action_swap_reply, t, p[0] };

	if (session_call_keyed(&t->sess, "job.swap",
	        json_pack("{s:I,s:I}", "out", (json_int_t)p[0], "in",
	            (json_int_t)p[1]),
	        &cb) != 0)
		tui_status(t, REVENT_ERROR, "swap: not connected");
}

static void
action_swap_confirm(struct tui *t, int64_t out, int64_t in)
{
	const struct rjob *o = replica_job(&t->rep, out);
	char l[4][256], title[96];
	const char *lp[4] = { l[0], l[1], l[2], l[3] };
	int64_t *arg = xcalloc(2, sizeof(*arg));

	arg[0] = out;
	arg[1] = in;
	action_job_line(t, out, l[0] + 2, sizeof(l[0]) - 2);
	memcpy(l[0], "- ", 2);
	action_job_line(t, in, l[1] + 2, sizeof(l[1]) - 2);
	memcpy(l[1], "+ ", 2);
	snprintf(l[2], sizeof(l[2]),
	    "Job %lld is suspended (R resumes it later);", (long long)out);
	snprintf(l[3], sizeof(l[3]), "job %lld starts on its GPUs%s%s.",
	    (long long)in, o && o->node ? " on " : "",
	    o && o->node ? o->node : "");
	snprintf(title, sizeof(title), "Swap job %lld for job %lld?",
	    (long long)out, (long long)in);
	dialog_confirm(t, title, lp, 4, "Yes, Swap", action_swap_send, arg,
	    free);
}

static void
action_swap_picked(struct tui *t, void *arg, int i)
{
	struct action_swap *s = arg;

	action_swap_confirm(t, s->out, s->ins[i]);
}

/* A menu line for a candidate; returns whether it can be picked. */
static int
action_swap_item(struct tui *t, const struct rjob *out, const struct rjob *in,
    char **item)
{
	char need[32], held[32];
	int fits = action_swap_fits(out, in);

	units_fmt_gpus(in->gpus_milli, need, sizeof(need));
	units_fmt_gpus(action_swap_held(out), held, sizeof(held));
	if (fits == 0)
		*item = xasprintf("%lld  %.32s  needs %s GPU, it holds %s",
		    (long long)in->id, in->name ? in->name : "", need, held);
	else
		*item = xasprintf("%lld  %.32s  %s%s", (long long)in->id,
		    in->name ? in->name : "", fits < 0 ? "by memory" : need,
		    fits < 0 ? " (the daemon checks)" : " GPU, fits");
	return fits != 0;
}

#define ACTION_SWAP_MAX 40 /* candidates the picker lists */

/* The user's pending jobs, those that fit first; returns how many. */
static size_t
action_swap_collect(struct tui *t, const struct rjob *out, int64_t *ids)
{
	size_t i, n = 0;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < t->rep.njobs && n < ACTION_SWAP_MAX; i++) {
			const struct rjob *j = t->rep.all[i];

			if (action_swap_candidate(t, j) &&
			    (action_swap_fits(out, j) != 0) == (pass == 0))
				ids[n++] = j->id;
		}
	return n;
}

/* The running job to swap out: the one marked, else the selected one. */
static const struct rjob *
action_swap_out(struct tui *t)
{
	const struct rjob *out;
	int64_t *ids;
	size_t n = view_targets(t, &ids);

	out = n == 1 ? replica_job(&t->rep, ids[0]) : NULL;
	free(ids);
	if (n != 1)
		tui_status(t, REVENT_INFO,
		    n == 0 ? "swap: no job selected" :
		             "swap: mark one running job (or none and select "
		             "it)");
	else if (out == NULL || out->state != RSTATE_RUNNING) {
		tui_status(t, REVENT_INFO, "swap: job %lld is not running",
		    (long long)(out ? out->id : 0));
		out = NULL;
	}
	return out;
}

void
action_job_swap(struct tui *t)
{
	struct action_swap *s;
	const struct rjob *out;
	char *items[ACTION_SWAP_MAX], title[96];
	int on[ACTION_SWAP_MAX];
	size_t i;

	if (!action_job_has(t, "job.swap", "Swap") ||
	    (out = action_swap_out(t)) == NULL)
		return;
	s = xcalloc(1, sizeof(*s));
	s->out = out->id;
	s->ins = xcalloc(ACTION_SWAP_MAX, sizeof(*s->ins));
	if ((s->n = action_swap_collect(t, out, s->ins)) == 0) {
		tui_status(t, REVENT_INFO,
		    "swap: you have no pending GPU job to swap in");
		action_swap_free(s);
		return;
	}
	for (i = 0; i < s->n; i++)
		on[i] = action_swap_item(t, out,
		    replica_job(&t->rep, s->ins[i]), &items[i]);
	snprintf(title, sizeof(title), "Swap job %lld out for which job?",
	    (long long)out->id);
	dialog_menu(t, title, (const char *const *)items, on, s->n,
	    action_swap_picked, s, action_swap_free);
	for (i = 0; i < s->n; i++)
		free(items[i]);
}
