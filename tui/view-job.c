/*
 * Job: one job in full: its request, placement, state and history, why it
 * waits and what would start it, its preemption risk and the environment
 * it was given.  Live fields come from the replica; the full record
 * (history, environment, log paths) from job.show, asked again when the
 * job changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/joblist.h"
#include "tui/tui.h"

#define VIEW_JOB_HEAD '\x01' /* a line that starts with it is a heading */

struct view_job {
	int64_t id;  /* the job doc is about */
	json_t *doc; /* job.show's "job", owned */
	int inflight;
	unsigned req; /* generation of the last request */
	char err[256];
	struct buf text; /* lines, '\n'-separated */
	char **lines;
	size_t nlines;
};

static void
view_job_init(struct tui *t, struct view *v)
{
	struct view_job *p = xcalloc(1, sizeof(*p));

	buf_init(&p->text, 4 * 1024 * 1024);
	v->priv = p;
	v->sc.cursor = 0;
}

static void
view_job_free(struct view *v)
{
	struct view_job *p = v->priv;

	json_decref(p->doc);
	buf_done(&p->text);
	free(p->lines);
	free(p);
}

static void
view_job_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	struct view_job *p = t->views[VIEW_JOB]->priv;

	if ((unsigned)tag != p->req)
		return;
	p->inflight = 0;
	if (code != 0) {
		if (code != GQ_ECONN)
			snprintf(p->err, sizeof(p->err), "job.show: %s",
			    message && message[0] ? message :
			                            gq_err_text(code));
		tui_dirty(t);
		return;
	}
	p->err[0] = '\0';
	json_decref(p->doc);
	p->doc = json_incref(json_object_get(result, "job"));
	tui_dirty(t);
}

static void
view_job_fetch(struct tui *t, struct view *v)
{
	struct view_job *p = v->priv;
	struct rpc_reply_cb cb = { view_job_reply, t, (int64_t)++p->req };

	if (v->job <= 0)
		return;
	p->inflight =
	    session_call(&t->sess, "job.show",
	        json_pack("{s:I}", "id", (json_int_t)v->job), &cb) == 0;
}

void
view_job_reload(struct tui *t)
{
	view_job_fetch(t, t->views[VIEW_JOB]);
}

static void
view_job_enter(struct tui *t, struct view *v)
{
	struct view_job *p = v->priv;

	if (p->id != v->job) {
		json_decref(p->doc);
		p->doc = NULL;
		p->err[0] = '\0';
		p->id = v->job;
	}
	view_job_fetch(t, v);
}

static void
view_job_event(struct tui *t, struct view *v, const char *name, json_t *data)
{
	json_t *id = json_object_get(json_object_get(data, "job"), "id");

	if (strcmp(name, "job.state") == 0 && json_is_integer(id) &&
	    json_integer_value(id) == v->job && t->cur == v)
		view_job_fetch(t, v);
}

static void
view_job_live(struct tui *t, struct view *v)
{
	if (t->cur == v)
		view_job_fetch(t, v);
}

static const char *
view_job_str(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

static long long
view_job_int(const json_t *o, const char *k, long long def)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

static void
view_job_when(long long secs, char *out, size_t n)
{
	time_t tt = (time_t)secs;
	struct tm tm;

	if (secs <= 0) {
		snprintf(out, n, "-");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void
view_job_head(struct buf *b, const char *title)
{
	buf_printf(b, "%c%s\n", VIEW_JOB_HEAD, title);
}

static void
view_job_request(struct buf *b, const json_t *j)
{
	const json_t *r = json_object_get(j, "request");
	char g[32], m[32], tl[32], gr[32];

	fmt_job_gpus(r, g, sizeof(g));
	units_fmt_mem_mb(view_job_int(r, "mem_mb", 0), m, sizeof(m));
	if (view_job_int(r, "time_limit_s", 0) > 0)
		units_fmt_duration(view_job_int(r, "time_limit_s", 0), tl,
		    sizeof(tl));
	else
		snprintf(tl, sizeof(tl), "none");
	units_fmt_duration(view_job_int(j, "kill_grace_s", 0), gr, sizeof(gr));
	buf_printf(b,
	    "  request     GPUs %s, CPUs %g, memory %s, time limit %s, "
	    "kill grace %s\n",
	    g, json_number_value(json_object_get(r, "cpus")), m, tl, gr);
}

/* "since 2026-01-02 10:00:00 (3m ago)" */
static void
view_job_since(struct tui *t, struct buf *b, long long since)
{
	char when[64], ago[32];

	if (since <= 0)
		return;
	view_job_when(since, when, sizeof(when));
	units_fmt_duration(tui_now(t) > since ? tui_now(t) - since : 0, ago,
	    sizeof(ago));
	buf_printf(b, " since %s (%s ago)", when, ago);
}

static void
view_job_suspended(struct tui *t, struct buf *b, const json_t *s)
{
	char d[32];

	if (!json_is_object(s))
		return;
	buf_printf(b, "  suspended   %s",
	    replica_life_susp_text(
	        json_string_value(json_object_get(s, "mechanism"))));
	buf_addstr(b, " (");
	fmt_safe(b, view_job_str(s, "mechanism"));
	buf_addstr(b, ")");
	view_job_since(t, b, view_job_int(s, "since", 0));
	if (view_job_int(s, "for_job", 0) > 0)
		buf_printf(b, ", for job %lld", view_job_int(s, "for_job", 0));
	if (view_job_str(s, "where")[0] != '\0') {
		buf_addstr(b, "\n              ");
		fmt_safe(b, view_job_str(s, "where"));
	}
	if (view_job_int(s, "ran_s", 0) > 0) {
		units_fmt_duration(view_job_int(s, "ran_s", 0), d, sizeof(d));
		buf_printf(b, "\n              it had run %s", d);
	}
	buf_addstr(b, "\n              R resumes it\n");
}

/* A swap under way, a failed one, or a place kept for a swap-in. */
static void
view_job_swap(struct buf *b, const json_t *j)
{
	const json_t *sw = json_object_get(j, "swapping");
	const json_t *pin = json_object_get(j, "pinned");

	if (json_is_object(sw)) {
		buf_printf(b, "  swapping    %s under way (",
		    strcmp(view_job_str(sw, "op"), "resume") == 0 ? "resume" :
		                                                    "suspend");
		fmt_safe(b, view_job_str(sw, "mechanism"));
		buf_addstr(b, ")\n");
	}
	if (view_job_str(j, "swap_error")[0] != '\0') {
		buf_addstr(b, "  swap error  ");
		fmt_safe(b, view_job_str(j, "swap_error"));
		buf_addstr(b, "\n");
	}
	if (json_is_object(pin))
		buf_printf(b, "  swaps in    for job %lld, on its GPUs\n",
		    view_job_int(pin, "replaces", 0));
}

/* "12 (afterok, COMPLETED), 13 (after, RUNNING)" from the replica. */
static void
view_job_deps(struct tui *t, struct buf *b, const json_t *j)
{
	static const char *const keys[2] = { "after", "afterok" };
	const struct rjob *d;
	json_t *v;
	size_t i, k;
	int n = 0;

	for (k = 0; k < 2; k++)
		json_array_foreach(json_object_get(j, keys[k]), i, v) {
			if (!json_is_integer(v))
				continue;
			d = replica_job(&t->rep,
			    (int64_t)json_integer_value(v));
			buf_printf(b, "%s%lld (%s, %s)",
			    n++ ? ", " : "  depends on  ",
			    (long long)json_integer_value(v), keys[k],
			    d ? replica_state_name(d->state) :
			        "not known here");
		}
	if (n > 0)
		buf_addstr(b, "\n");
}

/* Suspension, hold, dependencies, idleness, the sweep it belongs to. */
static void
view_job_life(struct tui *t, struct buf *b, const json_t *j)
{
	const json_t *idle = json_object_get(j, "idle");
	const json_t *sw = json_object_get(j, "sweep");

	view_job_suspended(t, b, json_object_get(j, "suspended"));
	view_job_swap(b, j);
	if (json_is_true(json_object_get(j, "held")))
		buf_addstr(b,
		    "  held        it starts only when released "
		    "(U releases it)\n");
	view_job_deps(t, b, j);
	if (json_is_object(idle)) {
		buf_addstr(b, "  idle        its GPUs do no work");
		view_job_since(t, b, view_job_int(idle, "since", 0));
		if (view_job_int(idle, "util", -1) >= 0)
			buf_printf(b, ", utilization %lld%%",
			    view_job_int(idle, "util", 0));
		buf_addstr(b, "\n");
	}
	if (json_is_object(sw))
		buf_printf(b, "  sweep       trial %lld of sweep %lld\n",
		    view_job_int(sw, "trial", 0), view_job_int(sw, "id", 0));
}

static void
view_job_summary(struct tui *t, struct buf *b, const json_t *j)
{
	char when[64], dur[32];
	struct buf cmd;

	buf_printf(b, "%cJob %lld: ", VIEW_JOB_HEAD, view_job_int(j, "id", 0));
	fmt_safe(b, view_job_str(j, "name"));
	buf_printf(b, "\n  state       %s", view_job_str(j, "state"));
	if (view_job_int(j, "attempt", 1) > 1)
		buf_printf(b, " (attempt %lld)", view_job_int(j, "attempt", 1));
	buf_addstr(b, "\n");
	view_job_life(t, b, j);
	buf_addstr(b, "  user        ");
	fmt_safe(b, view_job_str(j, "user"));
	buf_addstr(b, "   project ");
	fmt_safe(b, view_job_str(j, "project"));
	buf_printf(b, "   class %s   priority %lld\n", view_job_str(j, "class"),
	    view_job_int(j, "priority", 0));
	buf_init(&cmd, 256 * 1024);
	fmt_argv(&cmd, json_object_get(j, "argv"));
	buf_printf(b, "  command     %s\n  workdir     ",
	    cmd.data ? cmd.data : "");
	buf_done(&cmd);
	fmt_safe(b, view_job_str(j, "workdir"));
	buf_addstr(b, "\n");
	view_job_request(b, j);
	view_job_when(view_job_int(j, "submit_time", 0), when, sizeof(when));
	buf_printf(b, "  submitted   %s\n", when);
	view_job_when(view_job_int(j, "start_time", 0), when, sizeof(when));
	buf_printf(b, "  started     %s\n", when);
	if (view_job_int(j, "end_time", 0) > 0) {
		view_job_when(view_job_int(j, "end_time", 0), when,
		    sizeof(when));
		fmt_job_exit(j, dur, sizeof(dur));
		buf_printf(b, "  ended       %s %s\n", when, dur);
	}
}

static const char *
view_job_enf_text(const char *e)
{
	static const struct {
		const char *name, *text;
	} m[] = {
		{ "enforced", "the share is a limit the job cannot pass" },
		{ "monitored",
		    "the share is watched; going over it is reported" },
		{ "advisory",
		    "the share is a promise: nothing stops the job "
		    "using more" },
		{ "exclusive", "the GPUs are the job's alone" },
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(e, m[i].name) == 0)
			return m[i].text;
	return "as the daemon says";
}

static void
view_job_enforcement(struct buf *b, const json_t *j)
{
	const char *e = view_job_str(j, "enforcement");

	if (e[0] == '\0')
		return;
	buf_addstr(b, "  enforcement ");
	fmt_safe(b, e);
	buf_printf(b, ": %s\n", view_job_enf_text(e));
}

static void
view_job_placement(struct buf *b, const json_t *j)
{
	const json_t *a = json_object_get(j, "alloc"), *g;
	size_t i;

	view_job_head(b, "Placement");
	view_job_enforcement(b, j);
	if (!json_is_object(a)) {
		buf_addstr(b, "  not placed yet\n");
		return;
	}
	buf_addstr(b, "  node        ");
	fmt_safe(b, view_job_str(a, "node"));
	buf_printf(b, ", CPUs %g, memory %lld MiB\n",
	    json_number_value(json_object_get(a, "cpus")),
	    view_job_int(a, "mem_mb", 0));
	json_array_foreach(json_object_get(a, "gpus"), i, g) {
		buf_printf(b, "  GPU %-7lld share %g, %lld MiB, ",
		    view_job_int(g, "index", -1),
		    json_number_value(json_object_get(g, "share")),
		    view_job_int(g, "mem_mb", 0));
		fmt_safe(b, view_job_str(g, "uuid"));
		buf_addstr(b, "\n");
	}
}

static const char *
view_job_reason_text(const char *r)
{
	static const struct {
		const char *name, *text;
	} reasons[] = {
		{ "RESOURCES", "no node has enough free GPUs, CPUs or memory" },
		{ "FRAGMENTED", "enough GPUs are free, but not on one node" },
		{ "PRIORITY", "jobs ahead of it in the queue go first" },
		{ "QUOTA", "its project is at its quota" },
		{ "LIMIT", "a per-user or per-project limit is reached" },
		{ "GANG", "waiting for all parts of a gang to fit at once" },
		{ "HELD", "held: it starts only when released" },
		{ "DEPENDENCY", "waiting for the jobs it depends on" },
		{ "POOL", "no node of its pool can take it now" },
	};
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(r, reasons[i].name) == 0)
			return reasons[i].text;
	return "the daemon gives no explanation for this reason";
}

/* From the last cluster.status: the most a node could give the job now. */
static void
view_job_would(struct tui *t, struct buf *b, const struct rjob *j)
{
	int32_t best = 0, freeg;
	const char *where = NULL;
	size_t n, g;

	if (j == NULL || !t->rep.have_status)
		return;
	for (n = 0; n < t->rep.nnodes; n++) {
		freeg = 0;
		for (g = 0; g < t->rep.nodes[n].ngpus; g++) {
			const struct rgpu *gp =
			    &t->rep.gpus[t->rep.nodes[n].first_gpu + g];

			if (j->gpus_milli >= 1000)
				freeg += gp->alloc_milli == 0 ? 1000 : 0;
			else if (1000 - gp->alloc_milli > freeg)
				freeg = 1000 - gp->alloc_milli;
		}
		if (freeg > best || where == NULL) {
			best = freeg;
			where = t->rep.nodes[n].name;
		}
	}
	if (j->gpus_milli >= 1000)
		buf_printf(b,
		    "  would start when %d whole GPU%s free on one "
		    "node; now at most %d (on %s)\n",
		    j->gpus_milli / 1000,
		    j->gpus_milli >= 2000 ? "s are" : " is", best / 1000,
		    where ? where : "-");
	else if (j->gpus_milli > 0)
		buf_printf(b,
		    "  would start when one GPU has %g of it free; now "
		    "at most %g (on %s)\n",
		    j->gpus_milli / 1000.0, best / 1000.0, where ? where : "-");
	buf_addstr(b, "              (from the last cluster.status)\n");
}

static void
view_job_eta(struct buf *b, const json_t *w, int64_t now)
{
	long long eta = view_job_int(w, "eta", 0);
	char when[64], in[32];

	if (eta <= 0) {
		buf_addstr(b, "  starts      not estimated by the daemon\n");
		return;
	}
	view_job_when(eta, when, sizeof(when));
	units_fmt_duration(eta > now ? eta - now : 0, in, sizeof(in));
	buf_printf(b, "  starts      ~%s (in %s), %s\n", when, in,
	    json_is_true(json_object_get(w, "reserved")) ?
	        "its room is reserved" :
	        "an estimate");
}

static void
view_job_wait(struct tui *t, struct buf *b, const json_t *j)
{
	const json_t *w = json_object_get(j, "wait");
	const char *r = view_job_str(w, "reason");

	if (strcmp(view_job_str(j, "state"), "PENDING") != 0)
		return;
	view_job_head(b, "Why it waits");
	if (!json_is_object(w)) {
		buf_addstr(b, "  reason      the daemon has not said yet\n");
		return;
	}
	buf_printf(b, "  reason      %s, position %lld in the queue\n", r,
	    view_job_int(w, "position", 0));
	buf_printf(b, "              %s\n", view_job_reason_text(r));
	view_job_eta(b, w, tui_now(t));
	if (view_job_str(w, "hint")[0] != '\0') {
		buf_addstr(b, "  would start ");
		fmt_safe(b, view_job_str(w, "hint"));
		buf_addstr(b, "\n");
	} else
		view_job_would(t, b,
		    replica_job(&t->rep, view_job_int(j, "id", 0)));
}

static void
view_job_preempt(struct buf *b, const json_t *j)
{
	json_t *p = json_object_get(j, "preemptible");
	json_t *risk = json_object_get(j, "risk");
	char when[64];

	view_job_head(b, "Preemption risk");
	if (json_is_object(risk)) {
		buf_addstr(b, "  ");
		fmt_safe(b, view_job_str(risk, "level"));
		buf_addstr(b, ": ");
		fmt_safe(b, view_job_str(risk, "text"));
		if (view_job_int(risk, "until", 0) > 0) {
			view_job_when(view_job_int(risk, "until", 0), when,
			    sizeof(when));
			buf_printf(b, " (protected until %s)", when);
		}
		buf_addstr(b, "\n");
	}
	if (!json_is_boolean(p))
		buf_addstr(b, "  preemptible: the daemon did not say\n");
	else if (json_is_true(p))
		buf_printf(b,
		    "  preemptible (class %s): higher-priority work may "
		    "preempt or swap it out\n",
		    view_job_str(j, "class"));
	else
		buf_addstr(b,
		    "  not preemptible: it keeps its GPUs until it "
		    "ends\n");
}

static void
view_job_history(struct buf *b, const json_t *j)
{
	json_t *h = json_object_get(j, "history"), *e;
	char when[64];
	size_t i;

	view_job_head(b, "History");
	if (!json_is_array(h) || json_array_size(h) == 0) {
		buf_addstr(b, "  -\n");
		return;
	}
	json_array_foreach(h, i, e) {
		view_job_when(view_job_int(e, "time", 0), when, sizeof(when));
		buf_printf(b, "  %s  %-10s ", when, view_job_str(e, "state"));
		fmt_safe(b, view_job_str(e, "reason"));
		buf_addstr(b, "\n");
	}
}

static void
view_job_env(struct buf *b, const json_t *j)
{
	json_t *env = json_object_get(j, "env"), *logs;
	const char *k;
	json_t *v;

	logs = json_object_get(j, "logs");
	view_job_head(b, "Logs (l to view)");
	buf_addstr(b, "  stdout      ");
	fmt_safe(b, view_job_str(logs, "stdout"));
	buf_addstr(b, "\n  stderr      ");
	fmt_safe(b, view_job_str(logs, "stderr"));
	if (json_is_null(env)) {
		buf_printf(b, "\n%cEnvironment: private (another user's job)\n",
		    VIEW_JOB_HEAD);
		return;
	}
	buf_printf(b, "\n%cEnvironment: %zu variables captured at submit",
	    VIEW_JOB_HEAD, json_object_size(env));
	buf_addstr(b,
	    "\n  gpuq adds at start: GPUQ_JOB_ID, GPUQ_RESTART_COUNT, "
	    "CUDA_VISIBLE_DEVICES (the GPUs above), "
	    "GPUQ_GPU_FRACTION, GPUQ_GPU_MEM_LIMIT_MB\n");
	json_object_foreach(env, k, v) {
		buf_addstr(b, "  ");
		fmt_safe(b, k);
		buf_addstr(b, "=");
		fmt_safe(b, json_is_string(v) ? json_string_value(v) : "?");
		buf_addstr(b, "\n");
	}
}

/* Splits p->text into lines. */
static void
view_job_split(struct view_job *p)
{
	char *s = p->text.data, *nl;
	size_t cap = 0;

	free(p->lines);
	p->lines = NULL;
	p->nlines = 0;
	for (; s != NULL && *s != '\0'; s = nl + 1) {
		if (p->nlines == cap) {
			cap = cap ? cap * 2 : 64;
			p->lines =
			    xreallocarray(p->lines, cap, sizeof(*p->lines));
		}
		p->lines[p->nlines++] = s;
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		*nl = '\0';
	}
}

static void
view_job_build(struct tui *t, struct view *v)
{
	struct view_job *p = v->priv;
	struct buf *b = &p->text;

	buf_reset(b);
	if (p->doc == NULL) {
		buf_printf(b, "%cJob %lld\n  %s\n", VIEW_JOB_HEAD,
		    (long long)v->job,
		    p->err[0]       ? p->err :
		        p->inflight ? "Loading..." :
		                      "Not loaded (r to retry).");
	} else {
		view_job_summary(t, b, p->doc);
		view_job_placement(b, p->doc);
		view_job_wait(t, b, p->doc);
		view_job_preempt(b, p->doc);
		view_job_history(b, p->doc);
		view_job_env(b, p->doc);
	}
	view_job_split(p);
}

static void
view_job_prepare(struct tui *t, struct view *v)
{
	struct view_job *p = v->priv;

	view_job_build(t, v);
	v->sc.n = p->nlines;
}

static void
view_job_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_job *p = v->priv;
	const char *line;
	size_t i;

	v->sc.rows = rows;
	if (v->sc.top + (size_t)rows > v->sc.n)
		v->sc.top = v->sc.n > (size_t)rows ? v->sc.n - (size_t)rows : 0;
	for (i = 0; (int)i < rows && v->sc.top + i < p->nlines; i++) {
		line = p->lines[v->sc.top + i];
		if (line[0] == VIEW_JOB_HEAD) {
			wattrset(w, draw_attr(t, THEME_TITLE) | A_BOLD);
			line++;
		} else
			wattrset(w, draw_attr(t, THEME_NORMAL));
		draw_text(w, (int)i, 0, line, cols, 0);
	}
}

static int64_t
view_job_job(struct tui *t, struct view *v)
{
	return v->job;
}

const struct view_class view_job_class = {
	.name = "job",
	.title = "Job",
	.ctx = ACTION_CTX_JOBS,
	.init = view_job_init,
	.free = view_job_free,
	.enter = view_job_enter,
	.prepare = view_job_prepare,
	.draw = view_job_draw,
	.job = view_job_job,
	.event = view_job_event,
	.live = view_job_live,
};
