/*
 * Nodes: each node's GPUs, CPUs and memory allocated, the jobs on its
 * GPUs, and the history of its average GPU utilization.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/units.h"
#include "tui/layout.h"
#include "tui/tui.h"

enum { NC_NODE, NC_GPUS, NC_CPUS, NC_MEM, NC_JOBS, NC_UTIL, NC_HIST, NC_N };

static const char *const view_nodes_heads[NC_N] = { "NODE", "GPUS ALLOC",
	"CPUS", "MEMORY", "JOBS", "UTIL", "AVG UTIL HISTORY" };

static void
view_nodes_prepare(struct tui *t, struct view *v)
{
	v->sc.n = t->rep.nnodes;
	if (v->sc.sel >= v->sc.n)
		v->sc.sel = v->sc.n ? v->sc.n - 1 : 0;
}

/* Distinct jobs on the node's GPUs, its GPU allocation and util. */
static void
view_nodes_sum(const struct replica *r, const struct rnode *nd, int *jobs,
    int32_t *alloc, int *util)
{
	int64_t seen[256];
	size_t i, k, nseen = 0;
	int32_t j;

	*jobs = 0;
	*alloc = 0;
	*util = 0;
	for (i = nd->first_gpu; i < nd->first_gpu + nd->ngpus; i++) {
		*alloc += r->gpus[i].alloc_milli;
		*util += r->gpus[i].util_pct;
		for (j = 0; j < r->gpus[i].njobs; j++) {
			for (k = 0; k < nseen; k++)
				if (seen[k] == r->gpus[i].jobs[j].id)
					break;
			if (k == nseen && nseen < 256)
				seen[nseen++] = r->gpus[i].jobs[j].id;
		}
	}
	*jobs = (int)nseen;
	if (nd->ngpus > 0)
		*util /= (int)nd->ngpus;
}

static void
view_nodes_hist(struct tui *t, const struct rnode *nd, int width, struct buf *b)
{
	uint8_t v[REPLICA_HIST];
	size_t i, k, n = REPLICA_HIST;
	int sum;

	for (k = nd->first_gpu; k < nd->first_gpu + nd->ngpus; k++)
		if (t->rep.gpus[k].hist_len < n)
			n = t->rep.gpus[k].hist_len;
	if (nd->ngpus == 0)
		n = 0;
	for (i = 0; i < n; i++) {
		sum = 0;
		for (k = nd->first_gpu; k < nd->first_gpu + nd->ngpus; k++)
			sum += replica_hist(&t->rep.gpus[k], 0,
			    t->rep.gpus[k].hist_len - n + i);
		v[i] = (uint8_t)(sum / (int)nd->ngpus);
	}
	graph_spark(b, t->scr.graph, v, n, width);
}

static void
view_nodes_cell(struct tui *t, const struct rnode *nd, int k, int width,
    char *out, size_t n)
{
	char a[32], b2[32];
	int32_t alloc;
	int jobs, util;
	struct buf b;

	view_nodes_sum(&t->rep, nd, &jobs, &alloc, &util);
	buf_init(&b, n - 1);
	if (k == NC_NODE)
		buf_addstr(&b, nd->name);
	else if (k == NC_GPUS) {
		graph_alloc(&b, width - 10 > 0 ? width - 10 : 1,
		    nd->ngpus ? alloc / 1000.0 / (double)nd->ngpus : 0,
		    t->scr.utf8);
		buf_printf(&b, " %4g/%-4zu", alloc / 1000.0, nd->ngpus);
	} else if (k == NC_CPUS)
		buf_printf(&b, "%g/%g", nd->cpus_alloc_milli / 1000.0,
		    nd->cpus_milli / 1000.0);
	else if (k == NC_MEM)
		buf_printf(&b, "%s/%s",
		    units_fmt_mem_mb(nd->mem_alloc_mb, a, sizeof(a)),
		    units_fmt_mem_mb(nd->mem_mb, b2, sizeof(b2)));
	else if (k == NC_JOBS)
		buf_printf(&b, "%d", jobs);
	else if (k == NC_UTIL)
		buf_printf(&b, "%d%%", util);
	else
		view_nodes_hist(t, nd, width, &b);
	snprintf(out, n, "%s", b.data ? b.data : "");
	buf_done(&b);
}

static void
view_nodes_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	static const struct layout_col c[NC_N] = { { 4, 12, 100 },
		{ 14, 26, 90 }, { 5, 11, 60 }, { 7, 15, 50 }, { 4, 4, 80 },
		{ 4, 5, 70 }, { 10, 60, 40 } };
	char cell[2048];
	int cw[NC_N], k, x, used, list = rows - 2;
	size_t i;

	v->sc.rows = list > 0 ? list : 1;
	v->sc.top = layout_scroll(v->sc.top, v->sc.sel, v->sc.n, v->sc.rows);
	used = layout_columns(c, NC_N, cols, 1, cw);
	if (cw[NC_HIST] > 0)
		cw[NC_HIST] += cols - used;
	wattrset(w, draw_attr(t, THEME_TITLE));
	snprintf(cell, sizeof(cell), "Nodes: %zu", t->rep.nnodes);
	draw_text(w, 0, 0, cell, cols, 1);
	wattrset(w, draw_attr(t, THEME_HEADER));
	for (k = 0, x = 0; k < NC_N; x += cw[k] ? cw[k] + 1 : 0, k++)
		if (cw[k] > 0)
			draw_text(w, 1, x, view_nodes_heads[k], cw[k], 1);
	for (i = 0; (int)i < list && v->sc.top + i < v->sc.n; i++) {
		int sel = v->sc.top + i == v->sc.sel;

		wattrset(w, draw_attr(t, sel ? THEME_CURSOR : THEME_NORMAL));
		if (sel)
			mvwhline(w, 2 + (int)i, 0, ' ', cols);
		for (k = 0, x = 0; k < NC_N; x += cw[k] ? cw[k] + 1 : 0, k++) {
			if (cw[k] == 0)
				continue;
			view_nodes_cell(t, &t->rep.nodes[v->sc.top + i], k,
			    cw[k], cell, sizeof(cell));
			draw_text(w, 2 + (int)i, x, cell, cw[k], 0);
		}
	}
	if (!t->rep.have_status) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 3, 1, "Waiting for cluster.status...", cols - 2,
		    0);
	}
}

static void
view_nodes_activate(struct tui *t, struct view *v)
{
	char text[256];

	if (v->sc.sel >= t->rep.nnodes)
		return;
	snprintf(text, sizeof(text), "node:%s", t->rep.nodes[v->sc.sel].name);
	view_show(t, VIEW_JOBS, 0);
	filter_parse(&t->cur->filt, text, t->me);
	if (t->cur->cls->filter != NULL)
		t->cur->cls->filter(t, t->cur);
}

const struct view_class view_nodes_class = {
	.name = "nodes",
	.title = "Nodes",
	.ctx = ACTION_CTX_LIST,
	.prepare = view_nodes_prepare,
	.draw = view_nodes_draw,
	.activate = view_nodes_activate,
};
