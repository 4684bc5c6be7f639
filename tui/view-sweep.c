/*
 * Sweep: one sweep's trials (sweep.show with curves), best first: the
 * trial, its job and state, its parameters as columns, the metric's last
 * and best value, the last step, a curve of the metric by step, and why
 * a trial was stopped early.  The best trial so far is starred.  Live by
 * sweep.trial events (a trial gpuq has not seen makes it ask again).
 * Enter opens the selected trial's job; Z, R and C pause, resume and stop
 * the sweep (they ask first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/layout.h"
#include "tui/rsweep.h"
#include "tui/tui.h"

#define VIEW_SWEEP_POINTS 120 /* points per curve asked of the daemon */

/* Fixed columns; the parameters come between STATE and METRIC. */
enum { TC_MARK, TC_TRIAL, TC_JOB, TC_STATE, TC_NFIXED };
enum { TC_METRIC, TC_BEST, TC_STEP, TC_CURVE, TC_NOTE, TC_NTAIL };

#define VIEW_SWEEP_COLS (TC_NFIXED + RSWEEP_MAX_PARAMS + TC_NTAIL)

struct view_sweep {
	struct rsweep_show d;
	int64_t id; /* the sweep d is about */
	int inflight, again;
	unsigned req;
	char err[256];
};

static void
view_sweep_init(struct tui *t, struct view *v)
{
	struct view_sweep *p = xcalloc(1, sizeof(*p));

	rsweep_show_init(&p->d);
	v->priv = p;
}

static void
view_sweep_free(struct view *v)
{
	struct view_sweep *p = v->priv;

	rsweep_show_done(&p->d);
	free(p);
}

static void view_sweep_fetch(struct tui *t, struct view *v);

static void
view_sweep_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	struct view *v = t->views[VIEW_SWEEP];
	struct view_sweep *p = v->priv;

	if ((unsigned)tag != p->req)
		return;
	p->inflight = 0;
	if (code != 0) {
		if (code != GQ_ECONN)
			snprintf(p->err, sizeof(p->err), "sweep.show: %s",
			    message && message[0] ? message :
			                            gq_err_text(code));
		tui_dirty(t);
		return;
	}
	p->err[0] = '\0';
	rsweep_show_apply(&p->d, result);
	tui_dirty(t);
	if (p->again) {
		p->again = 0;
		view_sweep_fetch(t, v);
	}
}

static void
view_sweep_fetch(struct tui *t, struct view *v)
{
	struct view_sweep *p = v->priv;
	struct rpc_reply_cb cb = { view_sweep_reply, t, (int64_t)++p->req };

	if (v->job <= 0 || !session_has_verb(&t->sess, "sweep.show"))
		return;
	p->inflight = session_call(&t->sess, "sweep.show",
	                  json_pack("{s:I,s:b,s:i}", "id", (json_int_t)v->job,
	                      "series", 1, "points", VIEW_SWEEP_POINTS),
	                  &cb) == 0;
}

static void
view_sweep_enter(struct tui *t, struct view *v)
{
	struct view_sweep *p = v->priv;

	if (p->id != v->job) {
		rsweep_show_done(&p->d);
		p->err[0] = '\0';
		p->id = v->job;
		v->sc.sel = v->sc.top = 0;
		v->sel_id = 0;
		v->hscroll = 0;
	}
	view_sweep_fetch(t, v);
}

static void
view_sweep_event(struct tui *t, struct view *v, const char *name, json_t *data)
{
	struct view_sweep *p = v->priv;
	json_t *id = json_object_get(json_object_get(data, "sweep"), "id");

	if (strcmp(name, "sweep.trial") == 0 &&
	    rsweep_show_trial(&p->d, data) == 2 && t->cur == v) {
		if (p->inflight)
			p->again = 1;
		else
			view_sweep_fetch(t, v);
	} else if (strcmp(name, "sweep.state") == 0 && json_is_integer(id) &&
	    json_integer_value(id) == p->id && t->cur == v)
		view_sweep_fetch(t, v);
}

static void
view_sweep_live(struct tui *t, struct view *v)
{
	if (t->cur == v)
		view_sweep_fetch(t, v);
}

static void
view_sweep_prepare(struct tui *t, struct view *v)
{
	struct view_sweep *p = v->priv;
	size_t i;

	/* The selection is a trial's job: it stays on its trial when a
	 * fresh sweep.show orders them again. */
	v->sc.n = p->d.ntr;
	for (i = 0; v->sel_id > 0 && i < p->d.ntr; i++)
		if (p->d.tr[i].job == v->sel_id) {
			v->sc.sel = i;
			return;
		}
	if (v->sc.sel >= v->sc.n)
		v->sc.sel = v->sc.n ? v->sc.n - 1 : 0;
}

static int64_t
view_sweep_job(struct tui *t, struct view *v)
{
	struct view_sweep *p = v->priv;

	return v->sc.sel < p->d.ntr ? p->d.tr[v->sc.sel].job : 0;
}

static void
view_sweep_activate(struct tui *t, struct view *v)
{
	int64_t job = view_sweep_job(t, v);

	if (job > 0)
		view_show(t, VIEW_JOB, job);
}

/* Column k of the table: which fixed, parameter or tail column it is. */
struct view_sweep_ctx {
	struct tui *t;
	struct view_sweep *p;
	long best;      /* index of the best trial, or -1 */
	double lo, hi;  /* the curves' scale */
	int have_range; /* a trial has a curve */
	int ncols;
};

static int
view_sweep_ncols(const struct view_sweep *p)
{
	return TC_NFIXED + (int)p->d.npar + TC_NTAIL;
}

/* The tail column (TC_METRIC ...) of column k, or -1. */
static int
view_sweep_tail(const struct view_sweep_ctx *c, int k)
{
	return k >= TC_NFIXED + (int)c->p->d.npar ?
	    k - TC_NFIXED - (int)c->p->d.npar :
	    -1;
}

static void
view_sweep_head(const struct view_sweep_ctx *c, int k, char *out, size_t n)
{
	static const char *const fixed[TC_NFIXED] = { " ", "TRIAL", "JOB",
		"STATE" };
	static const char *const tail[TC_NTAIL] = { "METRIC", "BEST", "STEP",
		"CURVE", "STOPPED EARLY" };
	const struct rsweep *s = &c->p->d.s;
	int tk = view_sweep_tail(c, k);

	if (k < TC_NFIXED)
		snprintf(out, n, "%s", fixed[k]);
	else if (tk < 0)
		snprintf(out, n, "%s", c->p->d.pnames[k - TC_NFIXED]);
	else if (tk == TC_METRIC && s->metric != NULL)
		snprintf(out, n, "%s%s", s->metric,
		    c->t->scr.utf8 ?
		        (s->minimize ? "\xe2\x86\x93" : "\xe2\x86\x91") :
		        (s->minimize ? "-" : "+"));
	else
		snprintf(out, n, "%s", tail[tk]);
}

static const char *
view_sweep_glyph(struct tui *t, enum theme_el el, const char *ascii)
{
	const struct theme_style *st = &t->theme.res[el];

	if (t->scr.utf8 && st->glyph[0] != '\0')
		return st->glyph;
	return st->ascii[0] != '\0' ? st->ascii : ascii;
}

static void
view_sweep_state(struct tui *t, const struct rtrial *tr, char *out, size_t n)
{
	const char *st = tr->state != NULL ? tr->state : "?";

	if (strcmp(st, "STOPPED") == 0)
		snprintf(out, n, "%s STOPPED",
		    view_sweep_glyph(t, THEME_STATE_STOPPED, "E"));
	else
		snprintf(out, n, "%s %s",
		    draw_state_glyph(t, replica_state_parse(st)), st);
}

static void
view_sweep_num(int have, double v, char *out, size_t n)
{
	if (have)
		snprintf(out, n, "%.4g", v);
	else
		snprintf(out, n, "-");
}

static void
view_sweep_curve(const struct view_sweep_ctx *c, const struct rtrial *tr,
    int width, char *out, size_t n)
{
	uint8_t v[RSWEEP_MAX_POINTS];
	size_t want = graph_samples(c->t->scr.graph, width), got;
	struct buf b;

	out[0] = '\0';
	if (!c->have_range || tr->np == 0 || width <= 0)
		return;
	if (want > RSWEEP_MAX_POINTS)
		want = RSWEEP_MAX_POINTS;
	got = rsweep_curve(tr, c->lo, c->hi, v, want);
	buf_init(&b, n - 1);
	graph_spark(&b, c->t->scr.graph, v, got, width);
	snprintf(out, n, "%s", b.data != NULL ? b.data : "");
	buf_done(&b);
}

static void
view_sweep_cell(const struct view_sweep_ctx *c, size_t i, int k, int width,
    char *out, size_t n)
{
	const struct rtrial *tr = &c->p->d.tr[i];
	int tk = view_sweep_tail(c, k);

	out[0] = '\0';
	if (k == TC_MARK)
		snprintf(out, n, "%s",
		    (long)i == c->best ?
		        view_sweep_glyph(c->t, THEME_SWEEP_BEST, "*") :
		        " ");
	else if (k == TC_TRIAL)
		snprintf(out, n, "%lld", (long long)tr->trial);
	else if (k == TC_JOB)
		snprintf(out, n, "%lld", (long long)tr->job);
	else if (k == TC_STATE)
		view_sweep_state(c->t, tr, out, n);
	else if (tk < 0)
		snprintf(out, n, "%s",
		    tr->vals[k - TC_NFIXED] ? tr->vals[k - TC_NFIXED] : "?");
	else if (tk == TC_METRIC)
		view_sweep_num(tr->have_metric, tr->metric, out, n);
	else if (tk == TC_BEST)
		view_sweep_num(tr->have_best, tr->best, out, n);
	else if (tk == TC_STEP)
		snprintf(out, n, tr->have_step ? "%lld" : "-",
		    (long long)tr->step);
	else if (tk == TC_CURVE)
		view_sweep_curve(c, tr, width, out, n);
	else
		snprintf(out, n, "%s", tr->stopped ? tr->stopped : "");
}

static int
view_sweep_right(const struct view_sweep_ctx *c, int k)
{
	int tk = view_sweep_tail(c, k);

	return k == TC_TRIAL || k == TC_JOB || tk == TC_METRIC ||
	    tk == TC_BEST || tk == TC_STEP;
}

/* Widths of every column for the rows on screen; hscroll hides the
 * columns from STATE on. */
static void
view_sweep_layout(const struct view_sweep_ctx *c, struct view *v, int rows,
    int cols, int *w)
{
	struct layout_col lc[VIEW_SWEEP_COLS], use[VIEW_SWEEP_COLS];
	char cell[FMT_CELL_MAX];
	int map[VIEW_SWEEP_COLS], uw[VIEW_SWEEP_COLS], k, tk, n = 0, cw, left;
	size_t i;

	for (k = 0; k < c->ncols; k++) {
		view_sweep_head(c, k, cell, sizeof(cell));
		tk = view_sweep_tail(c, k);
		lc[k].min = k == TC_MARK ? 1 : tk == TC_CURVE ? 8 : 4;
		lc[k].want = (int)fmt_width(cell);
		lc[k].prio = k < TC_NFIXED ? 100 - k :
		    tk < 0                 ? 70 - (k - TC_NFIXED) :
		    tk == TC_METRIC        ? 90 :
		    tk == TC_BEST          ? 85 :
		    tk == TC_STEP          ? 45 :
		    tk == TC_CURVE         ? 50 :
		                             30;
		if (tk == TC_CURVE)
			lc[k].want = 24;
		for (i = v->sc.top; i < c->p->d.ntr &&
		     i < v->sc.top + (size_t)rows && tk != TC_CURVE;
		     i++) {
			view_sweep_cell(c, i, k, 0, cell, sizeof(cell));
			cw = (int)fmt_width(cell);
			lc[k].want =
			    cw > lc[k].want ? (cw > 60 ? 60 : cw) : lc[k].want;
		}
		lc[k].min = lc[k].min > lc[k].want ? lc[k].want : lc[k].min;
		w[k] = 0;
		if (k >= TC_STATE && (size_t)(k - TC_STATE) < v->hscroll)
			continue;
		map[n] = k;
		use[n++] = lc[k];
	}
	left = cols - layout_columns(use, (size_t)n, cols, 1, uw);
	for (k = 0; k < n; k++)
		w[map[k]] = uw[k];
	/* Room left goes to the curves (two points a cell at most). */
	k = TC_NFIXED + (int)c->p->d.npar + TC_CURVE;
	if (w[k] > 0 && left > 0)
		w[k] += left < VIEW_SWEEP_POINTS / 2 - w[k] ?
		    left :
		    (VIEW_SWEEP_POINTS / 2 > w[k] ?
		            VIEW_SWEEP_POINTS / 2 - w[k] :
		            0);
}

static void
view_sweep_row(const struct view_sweep_ctx *c, WINDOW *w, size_t i, int y,
    const int *cw, int sel)
{
	struct tui *t = c->t;
	attr_t base = draw_attr(t, sel ? THEME_CURSOR : THEME_NORMAL);
	const struct rtrial *tr = &c->p->d.tr[i];
	char cell[2048];
	int k, x = 0;
	enum theme_el el;

	wattrset(w, base);
	if (sel)
		mvwhline(w, y, 0, ' ', getmaxx(w));
	for (k = 0; k < c->ncols; x += cw[k] ? cw[k] + 1 : 0, k++) {
		if (cw[k] == 0)
			continue;
		view_sweep_cell(c, i, k, cw[k], cell, sizeof(cell));
		el = tr->state && !strcmp(tr->state, "STOPPED") ?
		    THEME_STATE_STOPPED :
		    draw_state_el(replica_state_parse(tr->state));
		wattrset(w,
		    sel               ? base :
		        k == TC_STATE ? draw_attr(t, el) :
		        k == TC_MARK  ? draw_attr(t, THEME_SWEEP_BEST) :
		        view_sweep_tail(c, k) == TC_CURVE ?
		                       draw_attr(t, THEME_GRAPH) :
		        view_sweep_tail(c, k) == TC_NOTE ?
		                       draw_attr(t, THEME_MUTED) :
		                       base);
		if (view_sweep_right(c, k))
			draw_right(w, y, x, cell, cw[k]);
		else
			draw_text(w, y, x, cell, cw[k], 0);
	}
}

/* "Sweep 3: lr-search (alice)  bayes, running  12/64 done ..." */
static void
view_sweep_summary(struct tui *t, struct view_sweep *p, WINDOW *w, int cols)
{
	const struct rsweep *s = &p->d.s;
	char line[768], prog[64], best[128] = "";

	if (s->have_best)
		snprintf(best, sizeof(best), "  best %.4g (trial %lld)",
		    s->best, (long long)s->best_trial);
	snprintf(line, sizeof(line),
	    "Sweep %lld: %s (%s)  %s, %s  %s done  %lld running  %lld "
	    "pending  %lld stopped early%s  %.1f GPU-h%s%s",
	    (long long)s->id, s->name ? s->name : "", s->user ? s->user : "?",
	    s->method ? s->method : "?", s->state ? s->state : "?",
	    rsweep_progress(s, prog, sizeof(prog)),
	    (long long)s->counts[RSWEEP_RUNNING],
	    (long long)s->counts[RSWEEP_PENDING],
	    (long long)s->counts[RSWEEP_STOPPED], best,
	    (double)s->gpu_seconds / 3600.0, s->rule ? "  early stop: " : "",
	    s->rule ? s->rule : "");
	wattrset(w, draw_attr(t, THEME_TITLE));
	draw_text(w, 0, 0, line, cols, 1);
}

static void
view_sweep_table(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_sweep *p = v->priv;
	struct view_sweep_ctx c = { t, p, rsweep_show_best(&p->d), 0, 0, 0,
		view_sweep_ncols(p) };
	int cw[VIEW_SWEEP_COLS], k, x = 0, list = rows - 2;
	char head[128];
	size_t i;

	c.have_range = rsweep_show_range(&p->d, &c.lo, &c.hi);
	v->sc.rows = list > 0 ? list : 1;
	v->sc.top = layout_scroll(v->sc.top, v->sc.sel, v->sc.n, v->sc.rows);
	view_sweep_layout(&c, v, v->sc.rows, cols, cw);
	wattrset(w, draw_attr(t, THEME_HEADER));
	for (k = 0; k < c.ncols; x += cw[k] ? cw[k] + 1 : 0, k++)
		if (cw[k] > 0) {
			view_sweep_head(&c, k, head, sizeof(head));
			if (view_sweep_right(&c, k))
				draw_right(w, 1, x, head, cw[k]);
			else
				draw_text(w, 1, x, head, cw[k], 1);
		}
	for (i = 0; (int)i < list && v->sc.top + i < p->d.ntr; i++)
		view_sweep_row(&c, w, v->sc.top + i, 2 + (int)i, cw,
		    v->sc.top + i == v->sc.sel);
	if (p->d.ntr == 0) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 3, 1, "No trials yet.", cols - 2, 0);
	}
}

static void
view_sweep_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_sweep *p = v->priv;
	char line[128];

	if (!session_has_verb(&t->sess, "sweep.show") &&
	    t->sess.state >= SESSION_SYNCING) {
		view_draw_missing(t, w, 1, "Sweep", "sweep.show");
		return;
	}
	if (!p->d.have) {
		snprintf(line, sizeof(line), "Sweep %lld", (long long)v->job);
		wattrset(w, draw_attr(t, THEME_TITLE));
		draw_text(w, 0, 0, line, cols, 1);
		wattrset(w,
		    draw_attr(t, p->err[0] ? THEME_STATUS_ERROR : THEME_MUTED));
		draw_text(w, 2, 1,
		    p->err[0]       ? p->err :
		        p->inflight ? "Loading..." :
		                      "Not loaded (r to retry).",
		    cols - 2, 0);
		return;
	}
	view_sweep_summary(t, p, w, cols);
	view_sweep_table(t, v, w, rows, cols);
}

const struct view_class view_sweep_class = {
	.name = "sweep",
	.title = "Sweep",
	.ctx = ACTION_CTX_SWEEP,
	.init = view_sweep_init,
	.free = view_sweep_free,
	.enter = view_sweep_enter,
	.prepare = view_sweep_prepare,
	.draw = view_sweep_draw,
	.activate = view_sweep_activate,
	.job = view_sweep_job,
	.event = view_sweep_event,
	.live = view_sweep_live,
};
