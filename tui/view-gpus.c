/*
 * GPUs: every GPU with utilization and memory bars, its allocation, the
 * jobs and fractions on it, an idle-but-allocated mark and a history
 * graph (braille, blocks or ASCII by what the terminal shows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct view_gpus {
	size_t *rows; /* indexes into replica.gpus that pass the filter */
	size_t n, cap;
	unsigned built_gen;
	int built, stale;
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

static void
view_gpus_prepare(struct tui *t, struct view *v)
{
	struct view_gpus *p = v->priv;
	char text[1024], jobs[512];
	const struct rgpu *g;
	size_t i;

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

static void
view_gpus_hist(struct tui *t, const struct rgpu *g, int mem, int width,
    struct buf *b)
{
	uint8_t v[REPLICA_HIST];
	size_t i;

	for (i = 0; i < g->hist_len; i++)
		v[i] = (uint8_t)replica_hist(g, mem, i);
	graph_spark(b, t->scr.graph, v, g->hist_len, width);
}

static void
view_gpus_cell(struct tui *t, const struct rgpu *g, int k, int width, char *out,
    size_t n)
{
	struct buf b;
	char jobs[512];

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
		snprintf(out, n, "%s%s",
		    g->alloc_milli > 0 && g->util_pct == 0 ? "IDLE! " : "",
		    g->njobs ? jobs : "-");
	} else if (k == GC_ALLOC || k == GC_HIST) {
		buf_init(&b, n - 1);
		if (k == GC_ALLOC) {
			graph_alloc(&b, width - 5, g->alloc_milli / 1000.0,
			    t->scr.utf8);
			buf_printf(&b, " %4g", g->alloc_milli / 1000.0);
		} else
			view_gpus_hist(t, g, 0, width, &b);
		snprintf(out, n, "%s", b.data ? b.data : "");
		buf_done(&b);
	}
}

static void
view_gpus_row(struct tui *t, const struct rgpu *g, WINDOW *w, int y,
    const int *cw, int sel)
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
		view_gpus_cell(t, g, k, cw[k], cell, sizeof(cell));
		wattrset(w,
		    base |
		        (k == GC_HIST         ? draw_attr(t, THEME_GRAPH) :
		                k == GC_ALLOC ? draw_attr(t, THEME_GPU_ALLOC) :
		                k == GC_JOBS && strncmp(cell, "IDLE!", 5) == 0 ?
		                                draw_attr(t, THEME_GPU_IDLE) :
		                                0));
		if (k == GC_TEMP || k == GC_POWER)
			draw_right(w, y, x, cell, cw[k]);
		else
			draw_text(w, y, x, cell, cw[k], 0);
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
	int cw[GC_N], k, x = 0, list = rows - 2;
	size_t i;

	v->sc.rows = list > 0 ? list : 1;
	v->sc.top = layout_scroll(v->sc.top, v->sc.sel, v->sc.n, v->sc.rows);
	view_gpus_summary(t, v, w, cols);
	view_gpus_layout(cols, cw);
	wattrset(w, draw_attr(t, THEME_HEADER));
	for (k = 0; k < GC_N; k++)
		if (cw[k] > 0) {
			draw_text(w, 1, x, view_gpus_heads[k], cw[k], 1);
			x += cw[k] + 1;
		}
	for (i = 0; (int)i < list && v->sc.top + i < p->n; i++)
		view_gpus_row(t, &t->rep.gpus[p->rows[v->sc.top + i]], w,
		    2 + (int)i, cw, v->sc.top + i == v->sc.sel);
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
};
