/*
 * GPUs: every GPU with utilization and memory bars, its allocation, the
 * jobs and fractions on it, an idle mark (the daemon's: "IDLE 12m", or
 * "IDLE!" for allocated at 0%) and a utilization history graph (braille,
 * blocks or ASCII by what the terminal shows), several rows high when
 * the screen has room.  The history starts from gpu.history when the
 * daemon has it and goes on with its gpu.sample events; without them,
 * from one sample per cluster.status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/layout.h"
#include "tui/tui.h"

enum {
	GC_GPU,
	GC_MODEL,
	GC_UTIL,
	GC_MEM,
	GC_ALLOC,
	GC_TEMP,
	GC_POWER,
	GC_JOBS,
	GC_HIST,
	GC_N
};

#define VIEW_GPUS_GRAPH_ROWS 4 /* the most rows one GPU's graph takes */

struct view_gpus {
	size_t *rows; /* indexes into replica.gpus that pass the filter */
	size_t n, cap;
	unsigned built_gen, idle_gen;
	int built, stale;
	int hist_asked; /* gpu.history asked on this connection */
	int rh;         /* rows per GPU in the last frame */
};

static const char *const view_gpus_heads[GC_N] = { "GPU", "MODEL", "UTIL",
	"MEMORY", "ALLOC", "TEMP", "POWER", "JOBS", "UTIL HISTORY" };

static void
view_gpus_init(struct tui *t, struct view *v)
{
	v->priv = xcalloc(1, sizeof(struct view_gpus));
}

static void
view_gpus_free(struct view *v)
{
	struct view_gpus *p = v->priv;

	free(p->rows);
	free(p);
}

/* "12 alice 0.5, 13 bob" */
static void
view_gpus_jobs(const struct rgpu *g, char *out, size_t n)
{
	char share[16];
	size_t k;
	int32_t i;

	out[0] = '\0';
	for (i = 0; i < g->njobs && (k = strlen(out)) + 2 < n; i++) {
		if (g->jobs[i].milli > 0 && g->jobs[i].milli < 1000)
			snprintf(share, sizeof(share), " %g",
			    g->jobs[i].milli / 1000.0);
		else
			share[0] = '\0';
		snprintf(out + k, n - k, "%s%lld %s%s", i ? ", " : "",
		    (long long)g->jobs[i].id,
		    g->jobs[i].user ? g->jobs[i].user : "?", share);
	}
}

/* Each GPU's earliest idle job (the daemon's job.idle): rgpu.idle_since. */
static void
view_gpus_idle_jobs(struct tui *t)
{
	struct replica *r = &t->rep;
	const struct rjob *j;
	struct rgpu *g;
	size_t i, k;
	int32_t x;

	for (k = 0; k < r->ngpus; k++)
		r->gpus[k].idle_since = 0;
	for (i = 0; i < r->njobs; i++) {
		j = r->all[i];
		if (j->state != RSTATE_RUNNING || j->idle_since <= 0)
			continue;
		for (x = 0; x < j->ngpus; x++)
			for (k = 0; k < r->ngpus; k++) {
				g = &r->gpus[k];
				if (g->node == j->node &&
				    g->index == j->gpus[x].index &&
				    (g->idle_since == 0 ||
				        j->idle_since < g->idle_since))
					g->idle_since = j->idle_since;
			}
	}
}

static void
view_gpus_hist_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;

	if (code == 0)
		replica_gpu_history(&t->rep, result);
	else if (code != GQ_ECONN)
		tui_status(t, REVENT_WARN, "gpu.history: %s",
		    message && message[0] ? message : gq_err_text(code));
	tui_dirty(t);
}

/* The graphs start from the daemon's history, once per connection. */
static void
view_gpus_hist_ask(struct tui *t, struct view_gpus *p)
{
	struct rpc_reply_cb cb = { view_gpus_hist_reply, t, 0 };

	if (p->hist_asked || !t->rep.have_status ||
	    !session_has_verb(&t->sess, "gpu.history"))
		return;
	if (session_call(&t->sess, "gpu.history", json_object(), &cb) == 0)
		p->hist_asked = 1;
}

static void
view_gpus_live(struct tui *t, struct view *v)
{
	struct view_gpus *p = v->priv;

	p->hist_asked = 0;
}

static void
view_gpus_prepare(struct tui *t, struct view *v)
{
	struct view_gpus *p = v->priv;
	char text[1024], jobs[512];
	const struct rgpu *g;
	size_t i;

	view_gpus_hist_ask(t, p);
	if (p->idle_gen != t->rep.gen + t->rep.gpu_gen) {
		view_gpus_idle_jobs(t);
		p->idle_gen = t->rep.gen + t->rep.gpu_gen;
	}

	if (!p->built || p->stale || p->built_gen != t->rep.gpu_gen) {
		if (p->cap < t->rep.ngpus) {
			p->cap = t->rep.ngpus;
			p->rows =
			    xreallocarray(p->rows, p->cap, sizeof(*p->rows));
		}
		p->n = 0;
		for (i = 0; i < t->rep.ngpus; i++) {
			g = &t->rep.gpus[i];
			view_gpus_jobs(g, jobs, sizeof(jobs));
			snprintf(text, sizeof(text), "%s:%d %s %s", g->node,
			    (int)g->index, g->model ? g->model : "", jobs);
			if (filter_text(&v->filt, text))
				p->rows[p->n++] = i;
		}
		p->built = 1;
		p->stale = 0;
		p->built_gen = t->rep.gpu_gen;
	}
	v->sc.n = p->n;
	if (v->sc.sel >= v->sc.n)
		v->sc.sel = v->sc.n ? v->sc.n - 1 : 0;
}

static void
view_gpus_filter(struct tui *t, struct view *v)
{
	((struct view_gpus *)v->priv)->stale = 1;
}

static void
view_gpus_layout(int cols, int *w)
{
	static const struct layout_col c[GC_N] = {
		{ 6, 10, 100 }, /* GPU */
		{ 6, 14, 30 },  /* MODEL */
		{ 10, 16, 90 }, /* UTIL */
		{ 12, 18, 85 }, /* MEM */
		{ 9, 14, 70 },  /* ALLOC */
		{ 4, 4, 20 },   /* TEMP */
		{ 5, 5, 15 },   /* POWER */
		{ 8, 32, 60 },  /* JOBS */
		{ 10, 60, 50 }, /* HIST */
	};
	struct layout_col cc[GC_N];
	int used, k;

	memcpy(cc, c, sizeof(cc));
	used = layout_columns(cc, GC_N, cols, 1, w);
	/* Whatever room is left goes to the graph, then the jobs. */
	k = w[GC_HIST] > 0 ? GC_HIST : GC_JOBS;
	if (w[k] > 0 && used < cols)
		w[k] += cols - used;
}

/* Draws a bar with its filled span in el. */
static void
view_gpus_bar(struct tui *t, WINDOW *w, int y, int x, int width, double frac,
    const char *label, enum theme_el el, attr_t base)
{
	char bar[256];
	int fill;

	if (width < 3 || width >= (int)sizeof(bar))
		return;
	fill = graph_bar(bar, sizeof(bar), width, frac, label);
	wattrset(w, base);
	mvwaddnstr(w, y, x, bar, 1);
	wattrset(w, base | draw_attr(t, el));
	mvwaddnstr(w, y, x + 1, bar + 1, fill);
	wattrset(w, base);
	mvwaddnstr(w, y, x + 1 + fill, bar + 1 + fill, width - 1 - fill);
}

/* Row row of g's history graph rows high. */
static void
view_gpus_hist(struct tui *t, const struct rgpu *g, int mem, int width,
    int rows, int row, struct buf *b)
{
	uint8_t v[REPLICA_HIST];
	size_t i;

	for (i = 0; i < g->hist_len; i++)
		v[i] = (uint8_t)replica_hist(g, mem, i);
	graph_spark_row(b, t->scr.graph, v, g->hist_len, width, rows, row);
}

static int
view_gpus_is_idle(const struct rgpu *g)
{
	return g->idle_since > 0 || (g->alloc_milli > 0 && g->util_pct == 0);
}

/* "IDLE 12m" when the daemon says a job on g is idle, "IDLE!" for a GPU
 * allocated at 0% (the daemon says nothing), else "". */
static void
view_gpus_idle(struct tui *t, const struct rgpu *g, char *out, size_t n)
{
	char d[32];

	if (g->idle_since > 1 && tui_now(t) > g->idle_since) {
		units_fmt_duration(tui_now(t) - g->idle_since, d, sizeof(d));
		snprintf(out, n, "IDLE %s", d);
	} else if (g->idle_since > 0)
		snprintf(out, n, "IDLE");
	else if (g->alloc_milli > 0 && g->util_pct == 0)
		snprintf(out, n, "IDLE!");
	else
		out[0] = '\0';
}

static void
view_gpus_cell(struct tui *t, const struct rgpu *g, int k, int width, int rh,
    char *out, size_t n)
{
	struct buf b;
	char jobs[512], idle[64];

	out[0] = '\0';
	if (k == GC_GPU)
		snprintf(out, n, "%s:%d", g->node, (int)g->index);
	else if (k == GC_MODEL)
		snprintf(out, n, "%s", g->model ? g->model : "");
	else if (k == GC_TEMP)
		snprintf(out, n, "%dC", (int)g->temp_c);
	else if (k == GC_POWER)
		snprintf(out, n, "%dW", (int)g->power_w);
	else if (k == GC_JOBS) {
		view_gpus_jobs(g, jobs, sizeof(jobs));
		view_gpus_idle(t, g, idle, sizeof(idle));
		snprintf(out, n, "%s%s%s", idle, idle[0] ? " " : "",
		    g->njobs ? jobs : "-");
	} else if (k == GC_ALLOC || k == GC_HIST) {
		buf_init(&b, n - 1);
		if (k == GC_ALLOC) {
			graph_alloc(&b, width - 5, g->alloc_milli / 1000.0,
			    t->scr.utf8);
			buf_printf(&b, " %4g", g->alloc_milli / 1000.0);
		} else
			view_gpus_hist(t, g, 0, width, rh, 0, &b);
		snprintf(out, n, "%s", b.data ? b.data : "");
		buf_done(&b);
	}
}

/* The graph's rows under the first one (rh rows in all). */
static void
view_gpus_graph_rows(struct tui *t, const struct rgpu *g, WINDOW *w, int y,
    int x, int width, int rh)
{
	struct buf b;
	int r;

	wattrset(w, draw_attr(t, THEME_GRAPH));
	for (r = 1; r < rh; r++) {
		buf_init(&b, 4 * (size_t)width + 16);
		view_gpus_hist(t, g, 0, width, rh, r, &b);
		draw_text(w, y + r, x, b.data ? b.data : "", width, 0);
		buf_done(&b);
	}
}

static void
view_gpus_row(struct tui *t, const struct rgpu *g, WINDOW *w, int y,
    const int *cw, int sel, int rh)
{
	attr_t base = draw_attr(t, sel ? THEME_CURSOR : THEME_NORMAL);
	char cell[2048], label[64];
	int k, x = 0;
	double mfrac;

	wattrset(w, base);
	if (sel)
		mvwhline(w, y, 0, ' ', getmaxx(w));
	for (k = 0; k < GC_N; x += cw[k] ? cw[k] + 1 : 0, k++) {
		if (cw[k] == 0)
			continue;
		if (k == GC_UTIL) {
			snprintf(label, sizeof(label), "%d%%",
			    (int)g->util_pct);
			view_gpus_bar(t, w, y, x, cw[k], g->util_pct / 100.0,
			    label, THEME_GPU_UTIL, base);
			continue;
		}
		if (k == GC_MEM) {
			mfrac = g->mem_mb > 0 ?
			    (double)g->mem_used_mb / (double)g->mem_mb :
			    0;
			snprintf(label, sizeof(label), "%.0f/%.0fG",
			    g->mem_used_mb / 1024.0, g->mem_mb / 1024.0);
			view_gpus_bar(t, w, y, x, cw[k], mfrac, label,
			    mfrac >= 0.9 ? THEME_CRIT : THEME_GPU_MEM, base);
			continue;
		}
		view_gpus_cell(t, g, k, cw[k], rh, cell, sizeof(cell));
		wattrset(w,
		    base |
		        (k == GC_HIST         ? draw_attr(t, THEME_GRAPH) :
		                k == GC_ALLOC ? draw_attr(t, THEME_GPU_ALLOC) :
		                (k == GC_JOBS || k == GC_GPU) &&
		                    view_gpus_is_idle(g) ?
		                                draw_attr(t, THEME_GPU_IDLE) :
		                                0));
		if (k == GC_TEMP || k == GC_POWER)
			draw_right(w, y, x, cell, cw[k]);
		else
			draw_text(w, y, x, cell, cw[k], 0);
		if (k == GC_HIST)
			view_gpus_graph_rows(t, g, w, y, x, cw[k], rh);
	}
}

static void
view_gpus_summary(struct tui *t, struct view *v, WINDOW *w, int cols)
{
	char line[512];
	int32_t alloc = 0;
	size_t i;

	for (i = 0; i < t->rep.ngpus; i++)
		alloc += t->rep.gpus[i].alloc_milli;
	snprintf(line, sizeof(line),
	    "GPUs: %zu on %zu node%s  allocated %g of %zu  source %s%s%s",
	    t->rep.ngpus, t->rep.nnodes, t->rep.nnodes == 1 ? "" : "s",
	    alloc / 1000.0, t->rep.ngpus,
	    t->rep.gpu_source ? t->rep.gpu_source : "?",
	    v->filt.text[0] ? "  filter: " : "", v->filt.text);
	wattrset(w, draw_attr(t, THEME_TITLE));
	draw_text(w, 0, 0, line, cols, 1);
}

static void
view_gpus_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_gpus *p = v->priv;
	int cw[GC_N], k, x = 0, list = rows - 2, rh = 1;
	size_t i;

	view_gpus_summary(t, v, w, cols);
	view_gpus_layout(cols, cw);
	/* Taller graphs when every GPU still fits (and there is a graph). */
	if (cw[GC_HIST] > 0 && p->n > 0 && list > 0)
		rh = list / (int)p->n;
	rh = rh < 1 ? 1 : rh > VIEW_GPUS_GRAPH_ROWS ? VIEW_GPUS_GRAPH_ROWS : rh;
	p->rh = rh;
	v->sc.per = rh;
	v->sc.rows = list / rh > 0 ? list / rh : 1;
	v->sc.top = layout_scroll(v->sc.top, v->sc.sel, v->sc.n, v->sc.rows);
	wattrset(w, draw_attr(t, THEME_HEADER));
	for (k = 0; k < GC_N; k++)
		if (cw[k] > 0) {
			draw_text(w, 1, x, view_gpus_heads[k], cw[k], 1);
			x += cw[k] + 1;
		}
	for (i = 0; (int)i < v->sc.rows && v->sc.top + i < p->n; i++)
		view_gpus_row(t, &t->rep.gpus[p->rows[v->sc.top + i]], w,
		    2 + (int)i * rh, cw, v->sc.top + i == v->sc.sel, rh);
	if (!t->rep.have_status) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 3, 1, "Waiting for cluster.status...", cols - 2,
		    0);
	} else if (t->rep.ngpus == 0) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 3, 1, "This daemon reports no GPUs.", cols - 2, 0);
	}
}

static void
view_gpus_activate(struct tui *t, struct view *v)
{
	struct view_gpus *p = v->priv;
	const struct rgpu *g;
	char text[256];

	if (v->sc.sel >= p->n)
		return;
	g = &t->rep.gpus[p->rows[v->sc.sel]];
	snprintf(text, sizeof(text), "node:%s", g->node);
	view_show(t, VIEW_JOBS, 0);
	filter_parse(&t->cur->filt, text, t->me);
	if (t->cur->cls->filter != NULL)
		t->cur->cls->filter(t, t->cur);
}

const struct view_class view_gpus_class = {
	.name = "gpus",
	.title = "GPUs",
	.ctx = ACTION_CTX_LIST,
	.init = view_gpus_init,
	.free = view_gpus_free,
	.prepare = view_gpus_prepare,
	.draw = view_gpus_draw,
	.filter = view_gpus_filter,
	.activate = view_gpus_activate,
	.live = view_gpus_live,
};
