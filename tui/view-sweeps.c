/*
 * Sweeps: the daemon's sweeps (sweep.list), kept live by sweep.state
 * events: id, name, user, method, state, trials done of the budget, the
 * best value of the metric so far.  Enter opens one (view-sweep.c).  The
 * sweep actions (pause, resume, stop) are here too: they ask first,
 * naming the sweep.  A daemon without sweep.list gets an honest "not
 * available", never made-up rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/layout.h"
#include "tui/rsweep.h"
#include "tui/tui.h"

enum {
	SC_ID,
	SC_NAME,
	SC_USER,
	SC_METHOD,
	SC_STATE,
	SC_TRIALS,
	SC_ACTIVE,
	SC_BEST,
	SC_METRIC,
	SC_GPUH,
	SC_RULE,
	SC_N
};

struct view_sweeps {
	struct rsweep_list l;
	int have, inflight;
	char err[256];
};

static const char *const view_sweeps_heads[SC_N] = { "ID", "NAME", "USER",
	"METHOD", "STATE", "DONE", "RUN/PEND", "BEST", "METRIC", "GPU-H",
	"EARLY STOP" };

static void
view_sweeps_init(struct tui *t, struct view *v)
{
	struct view_sweeps *p = xcalloc(1, sizeof(*p));

	rsweep_list_init(&p->l);
	v->priv = p;
}

static void
view_sweeps_free(struct view *v)
{
	struct view_sweeps *p = v->priv;

	rsweep_list_done(&p->l);
	free(p);
}

static void
view_sweeps_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	struct view_sweeps *p = t->views[VIEW_SWEEPS]->priv;

	p->inflight = 0;
	if (code == GQ_ECONN)
		return;
	if (code != 0) {
		snprintf(p->err, sizeof(p->err), "sweep.list: %s",
		    message && message[0] ? message : gq_err_text(code));
		tui_status(t, REVENT_ERROR, "%s", p->err);
		return;
	}
	p->err[0] = '\0';
	rsweep_list_apply(&p->l, result);
	p->have = 1;
	tui_dirty(t);
}

static void
view_sweeps_enter(struct tui *t, struct view *v)
{
	struct view_sweeps *p = v->priv;
	struct rpc_reply_cb cb = { view_sweeps_reply, t, 0 };

	if (p->inflight || !session_has_verb(&t->sess, "sweep.list"))
		return;
	if (session_call(&t->sess, "sweep.list", json_object(), &cb) == 0)
		p->inflight = 1;
}

static void
view_sweeps_event(struct tui *t, struct view *v, const char *name, json_t *data)
{
	struct view_sweeps *p = v->priv;

	if (strcmp(name, "sweep.state") == 0 && p->have)
		rsweep_list_put(&p->l, json_object_get(data, "sweep"));
}

static void
view_sweeps_prepare(struct tui *t, struct view *v)
{
	struct view_sweeps *p = v->priv;

	/* New sweeps come at the end: the selected row keeps its sweep. */
	v->sc.n = p->l.n;
	if (v->sc.sel >= v->sc.n)
		v->sc.sel = v->sc.n ? v->sc.n - 1 : 0;
}

/* The selected sweep's id, or 0. */
static int64_t
view_sweeps_sel(struct tui *t, struct view *v)
{
	struct view_sweeps *p = v->priv;

	if (v->sc.sel >= p->l.n)
		return 0;
	return p->l.s[v->sc.sel].id;
}

static void
view_sweeps_best(const struct rsweep *s, char *out, size_t n)
{
	if (!s->have_best)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.4g (t%lld)", s->best,
		    (long long)s->best_trial);
}

static void
view_sweeps_cell(const struct rsweep *s, int k, char *out, size_t n)
{
	out[0] = '\0';
	if (k == SC_ID)
		snprintf(out, n, "%lld", (long long)s->id);
	else if (k == SC_NAME)
		snprintf(out, n, "%s", s->name ? s->name : "");
	else if (k == SC_USER)
		snprintf(out, n, "%s", s->user ? s->user : "?");
	else if (k == SC_METHOD)
		snprintf(out, n, "%s", s->method ? s->method : "");
	else if (k == SC_STATE)
		snprintf(out, n, "%s", s->state ? s->state : "?");
	else if (k == SC_TRIALS)
		rsweep_progress(s, out, n);
	else if (k == SC_ACTIVE)
		snprintf(out, n, "%lld/%lld",
		    (long long)s->counts[RSWEEP_RUNNING],
		    (long long)s->counts[RSWEEP_PENDING]);
	else if (k == SC_BEST)
		view_sweeps_best(s, out, n);
	else if (k == SC_METRIC)
		snprintf(out, n, "%s %s", s->metric ? s->metric : "?",
		    s->minimize ? "min" : "max");
	else if (k == SC_GPUH)
		snprintf(out, n, "%.1f", (double)s->gpu_seconds / 3600.0);
	else
		snprintf(out, n, "%s", s->rule ? s->rule : "-");
}

static void
view_sweeps_layout(struct view_sweeps *p, struct view *v, int rows, int cols,
    int *w)
{
	static const int prio[SC_N] = { 100, 95, 60, 50, 90, 85, 55, 80, 40, 30,
		20 };
	struct layout_col c[SC_N];
	char cell[FMT_CELL_MAX];
	size_t i;
	int k, cw;

	for (k = 0; k < SC_N; k++) {
		c[k].min =
		    k == SC_NAME ? 6 : (int)fmt_width(view_sweeps_heads[k]);
		c[k].want = c[k].min;
		c[k].prio = prio[k];
	}
	for (i = v->sc.top; i < p->l.n && i < v->sc.top + (size_t)rows; i++)
		for (k = 0; k < SC_N; k++) {
			view_sweeps_cell(&p->l.s[i], k, cell, sizeof(cell));
			cw = (int)fmt_width(cell);
			if (cw > c[k].want)
				c[k].want = cw > 40 ? 40 : cw;
		}
	layout_columns(c, SC_N, cols, 2, w);
}

static void
view_sweeps_row(struct tui *t, const struct rsweep *s, WINDOW *w, int y,
    const int *cw, int sel)
{
	attr_t base = draw_attr(t, sel ? THEME_CURSOR : THEME_NORMAL);
	char cell[FMT_CELL_MAX];
	int k, x = 0;

	wattrset(w, base);
	if (sel)
		mvwhline(w, y, 0, ' ', getmaxx(w));
	for (k = 0; k < SC_N; k++) {
		if (cw[k] == 0)
			continue;
		view_sweeps_cell(s, k, cell, sizeof(cell));
		wattrset(w,
		    k == SC_BEST && s->have_best && !sel ?
		        draw_attr(t, THEME_SWEEP_BEST) :
		        base);
		if (k == SC_ID || k == SC_TRIALS || k == SC_ACTIVE ||
		    k == SC_GPUH)
			draw_right(w, y, x, cell, cw[k]);
		else
			draw_text(w, y, x, cell, cw[k], 0);
		x += cw[k] + 2;
	}
}

static void
view_sweeps_table(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_sweeps *p = v->priv;
	int cw[SC_N], k, x = 0, list = rows - 2;
	size_t i;

	v->sc.rows = list > 0 ? list : 1;
	v->sc.top = layout_scroll(v->sc.top, v->sc.sel, v->sc.n, v->sc.rows);
	view_sweeps_layout(p, v, v->sc.rows, cols, cw);
	wattrset(w, draw_attr(t, THEME_HEADER));
	for (k = 0; k < SC_N; x += cw[k] ? cw[k] + 2 : 0, k++)
		if (cw[k] > 0)
			draw_text(w, 1, x, view_sweeps_heads[k], cw[k], 1);
	for (i = 0; (int)i < list && v->sc.top + i < p->l.n; i++)
		view_sweeps_row(t, &p->l.s[v->sc.top + i], w, 2 + (int)i, cw,
		    v->sc.top + i == v->sc.sel);
	if (p->l.n == 0) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 3, 1,
		    "No sweeps yet. Press S to launch one (a job's S uses it "
		    "as the template).",
		    cols - 2, 0);
	}
}

static void
view_sweeps_summary(struct tui *t, struct view_sweeps *p, WINDOW *w, int cols)
{
	size_t i, run = 0, paused = 0;
	char line[256];

	for (i = 0; i < p->l.n; i++) {
		run += p->l.s[i].state && !strcmp(p->l.s[i].state, "running");
		paused += p->l.s[i].state && !strcmp(p->l.s[i].state, "paused");
	}
	if (p->have)
		snprintf(line, sizeof(line),
		    "Sweeps: %zu  running %zu  paused %zu", p->l.n, run,
		    paused);
	else
		snprintf(line, sizeof(line), "Sweeps");
	wattrset(w, draw_attr(t, THEME_TITLE));
	draw_text(w, 0, 0, line, cols, 1);
}

static void
view_sweeps_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_sweeps *p = v->priv;

	view_sweeps_summary(t, p, w, cols);
	if (t->sess.state < SESSION_SYNCING) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 2, 1, "Waiting for the daemon...", cols - 2, 0);
	} else if (!session_has_verb(&t->sess, "sweep.list")) {
		view_draw_missing(t, w, 2, "Sweeps", "sweep.list");
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 4, 1,
		    "It will show each sweep and its trials: parameters, "
		    "metric, best so far and early-stopped trials.",
		    cols - 2, 0);
	} else if (p->err[0] != '\0') {
		wattrset(w, draw_attr(t, THEME_STATUS_ERROR));
		draw_text(w, 2, 1, p->err, cols - 2, 0);
	} else if (!p->have) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 2, 1, p->inflight ? "Loading..." : "Nothing yet.",
		    cols - 2, 0);
	} else
		view_sweeps_table(t, v, w, rows, cols);
}

static void
view_sweeps_activate(struct tui *t, struct view *v)
{
	int64_t id = view_sweeps_sel(t, v);

	if (id > 0)
		view_show(t, VIEW_SWEEP, id);
}

/* The sweep actions: on the open sweep, else on the selected one. */
static int64_t
view_sweeps_target(struct tui *t)
{
	if (t->cur->id == VIEW_SWEEP)
		return t->cur->job;
	if (t->cur->id == VIEW_SWEEPS) {
		view_sweeps_prepare(t, t->cur);
		return view_sweeps_sel(t, t->cur);
	}
	return 0;
}

struct view_sweeps_act {
	int64_t id;
	const char *verb;
};

static void
view_sweeps_act_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	struct view_sweeps *p = t->views[VIEW_SWEEPS]->priv;
	const char *st = json_string_value(
	    json_object_get(json_object_get(result, "sweep"), "state"));

	if (code != 0) {
		tui_status(t, REVENT_ERROR, "sweep %lld: %s%s%s",
		    (long long)tag, gq_err_text(code),
		    message && message[0] ? ": " : "", message ? message : "");
		return;
	}
	if (p->have)
		rsweep_list_put(&p->l, json_object_get(result, "sweep"));
	tui_status(t, REVENT_INFO, "sweep %lld: %s", (long long)tag,
	    st != NULL ? st : "done");
	if (t->cur->id == VIEW_SWEEP)
		t->cur->cls->enter(t, t->cur);
}

static void
view_sweeps_act_send(struct tui *t, void *arg)
{
	struct view_sweeps_act *a = arg;
	struct rpc_reply_cb cb = { view_sweeps_act_reply, t, a->id };

	if (session_call_keyed(&t->sess, a->verb,
	        json_pack("{s:I}", "id", (json_int_t)a->id), &cb) != 0)
		tui_status(t, REVENT_ERROR, "%s: not connected", a->verb);
}

/* "sweep 3  lr-search (alice)  running, 12/64 trials done" */
static void
view_sweeps_line(struct tui *t, int64_t id, char *out, size_t n)
{
	struct view_sweeps *p = t->views[VIEW_SWEEPS]->priv;
	const struct rsweep *s = rsweep_list_find(&p->l, id);
	char prog[64];

	if (s == NULL)
		snprintf(out, n, "sweep %lld", (long long)id);
	else
		snprintf(out, n, "sweep %lld  %s  (%s)  %s, %s trials done",
		    (long long)id, s->name ? s->name : "",
		    s->user ? s->user : "?", s->state ? s->state : "?",
		    rsweep_progress(s, prog, sizeof(prog)));
}

static void
view_sweeps_ask(struct tui *t, const char *verb, const char *what,
    const char *note)
{
	struct view_sweeps_act *a;
	char line[256], title[96], yes[64];
	const char *lines[2] = { line, note };
	int64_t id = view_sweeps_target(t);

	if (!action_job_has(t, verb, what))
		return;
	if (id <= 0) {
		tui_status(t, REVENT_INFO, "no sweep selected");
		return;
	}
	a = xcalloc(1, sizeof(*a));
	a->id = id;
	a->verb = verb;
	view_sweeps_line(t, id, line, sizeof(line));
	snprintf(title, sizeof(title), "%s sweep %lld?", what, (long long)id);
	snprintf(yes, sizeof(yes), "Yes, %s", what);
	dialog_confirm(t, title, lines, 2, yes, view_sweeps_act_send, a, free);
}

void
view_sweeps_pause(struct tui *t)
{
	view_sweeps_ask(t, "sweep.pause", "Pause",
	    "No new trials start; those pending or running go on.");
}

void
view_sweeps_resume(struct tui *t)
{
	view_sweeps_ask(t, "sweep.resume", "Resume",
	    "New trials start again until the budget is done.");
}

void
view_sweeps_stop(struct tui *t)
{
	view_sweeps_ask(t, "sweep.stop", "Stop",
	    "For good: pending trials are cancelled, running ones signalled.");
}

const struct view_class view_sweeps_class = {
	.name = "sweeps",
	.title = "Sweeps",
	.ctx = ACTION_CTX_LIST | ACTION_CTX_SWEEP,
	.init = view_sweeps_init,
	.free = view_sweeps_free,
	.enter = view_sweeps_enter,
	.prepare = view_sweeps_prepare,
	.draw = view_sweeps_draw,
	.activate = view_sweeps_activate,
	.event = view_sweeps_event,
	.live = view_sweeps_enter,
};
