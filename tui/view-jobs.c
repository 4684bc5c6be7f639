/*
 * Jobs: the queue.  Rows are rebuilt from the replica when it changes;
 * the selection is a job id, so it stays on its job across updates and
 * re-sorts.  Only the rows on screen are formatted and drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/joblist.h"
#include "tui/layout.h"
#include "tui/tui.h"

enum {
	JC_MARK,
	JC_ID,
	JC_STATE,
	JC_USER,
	JC_PROJECT,
	JC_NAME,
	JC_GPUS,
	JC_WHERE,
	JC_TIME,
	JC_UTIL,
	JC_PRIO,
	JC_CMD,
	JC_N
};

/* Above this many jobs, re-sorting for updates waits a little. */
#define VIEW_JOBS_BIG       20000
#define VIEW_JOBS_RESORT_MS 250

struct view_jobs {
	struct joblist jl;
	unsigned built_gen, built_sgen;
	uint64_t built_ms;
	int built, stale;
	int64_t built_time;
	int wide;
	int mine;
	int enf; /* a job on screen has an enforcement label */
};

static const char *const view_jobs_heads[JC_N] = { " ", "ID", "STATE", "USER",
	"PROJECT", "NAME", "GPUS", "WHERE/WHY", "TIME", "UTIL", "PRIO",
	"COMMAND" };

/* The sort key behind each column, or -1. */
static const int view_jobs_sortcol[JC_N] = { -1, JOBLIST_SORT_ID,
	JOBLIST_SORT_STATE, JOBLIST_SORT_USER, JOBLIST_SORT_PROJECT,
	JOBLIST_SORT_NAME, JOBLIST_SORT_GPUS, JOBLIST_SORT_NODE,
	JOBLIST_SORT_TIME, -1, JOBLIST_SORT_PRIO, -1 };

static const int view_jobs_prio[JC_N] = { 99, 100, 95, 85, 40, 90, 80, 70, 75,
	50, 20, 10 };

void
view_jobs_init(struct tui *t, struct view *v)
{
	struct view_jobs *p = xcalloc(1, sizeof(*p));

	joblist_init(&p->jl);
	p->mine = v->id == VIEW_MINE;
	v->priv = p;
}

void
view_jobs_free(struct view *v)
{
	struct view_jobs *p = v->priv;

	joblist_done(&p->jl);
	free(p);
}

static const char *
view_jobs_me(struct tui *t, struct view_jobs *p)
{
	if (!p->mine)
		return NULL;
	return t->me != NULL ? t->me : "";
}

/*
 * Whether the rows must be rebuilt.  Jobs that came or went always
 * rebuild (rows point at jobs).  Updates alone change nothing when the
 * list is all jobs by id; otherwise they re-sort, at most every
 * VIEW_JOBS_RESORT_MS for a big list, so a busy queue does not sort
 * 100,000 rows per frame.
 */
static int
view_jobs_stale(struct tui *t, struct view *v, int64_t now)
{
	struct view_jobs *p = v->priv;
	uint64_t ms = uv_now(t->loop);

	if (!p->built || p->stale || p->built_sgen != t->rep.sgen)
		return 1;
	if (p->jl.sort == JOBLIST_SORT_TIME && p->built_time != now)
		return p->jl.n < VIEW_JOBS_BIG ||
		    ms - p->built_ms >= VIEW_JOBS_RESORT_MS;
	if (p->built_gen == t->rep.gen)
		return 0;
	if (p->jl.sort == JOBLIST_SORT_ID && filter_empty(&v->filt) && !p->mine)
		return 0;
	return p->jl.n < VIEW_JOBS_BIG ||
	    ms - p->built_ms >= VIEW_JOBS_RESORT_MS;
}

void
view_jobs_prepare(struct tui *t, struct view *v)
{
	struct view_jobs *p = v->priv;
	int64_t now = tui_now(t);
	size_t i;

	if (view_jobs_stale(t, v, now)) {
		joblist_build(&p->jl, &t->rep, &v->filt, view_jobs_me(t, p),
		    now);
		p->built = 1;
		p->stale = 0;
		p->built_gen = t->rep.gen;
		p->built_sgen = t->rep.sgen;
		p->built_time = now;
		p->built_ms = uv_now(t->loop);
	}
	v->sc.n = p->jl.n;
	/* Until you move, the cursor is a row; then it is a job. */
	i = v->sel_id > 0 ? joblist_index(&p->jl, v->sel_id) : JOBLIST_NONE;
	if (i != JOBLIST_NONE) {
		v->sc.sel = i;
		return;
	}
	if (v->sc.sel >= v->sc.n)
		v->sc.sel = v->sc.n > 0 ? v->sc.n - 1 : 0;
	if (v->sel_id > 0) /* its job is gone: take the one now there */
		v->sel_id = v->sc.n > 0 ? p->jl.rows[v->sc.sel]->id : 0;
}

int64_t
view_jobs_job(struct tui *t, struct view *v)
{
	struct view_jobs *p = v->priv;

	if (!p->built || v->sc.sel >= p->jl.n)
		return 0;
	return p->jl.rows[v->sc.sel]->id;
}

void
view_jobs_filter(struct tui *t, struct view *v)
{
	struct view_jobs *p = v->priv;

	p->stale = 1;
	tui_dirty(t);
}

void
view_jobs_match(struct tui *t, struct view *v, int dir)
{
	view_move(t, dir);
}

void
view_jobs_sort(struct tui *t, struct view *v, int how)
{
	struct view_jobs *p = v->priv;

	if (how == 0)
		p->jl.desc = !p->jl.desc;
	else
		p->jl.sort = (enum joblist_sort)(
		    ((int)p->jl.sort + how + JOBLIST_NSORT) % JOBLIST_NSORT);
	p->stale = 1;
	tui_status(t, REVENT_INFO, "sorted by %s, %s",
	    joblist_sort_name(p->jl.sort),
	    p->jl.desc ? "descending" : "ascending");
}

int
view_jobs_sort_by(struct tui *t, struct view *v, const char *name, int desc)
{
	struct view_jobs *p = v->priv;
	int s = joblist_sort_parse(name);

	if (s < 0)
		return -1;
	p->jl.sort = (enum joblist_sort)s;
	if (desc >= 0)
		p->jl.desc = desc;
	p->stale = 1;
	return 0;
}

void
view_jobs_activate(struct tui *t, struct view *v)
{
	int64_t id = view_jobs_job(t, v);

	if (id > 0)
		view_show(t, VIEW_JOB, id);
}

void
view_jobs_wide(struct tui *t, struct view *v)
{
	struct view_jobs *p = v->priv;

	p->wide = !p->wide;
}

size_t
view_jobs_mark_all(struct tui *t, struct view *v)
{
	struct view_jobs *p = v->priv;
	int64_t *ids;
	size_t i;

	view_jobs_prepare(t, v);
	ids = xcalloc(p->jl.n + 1, sizeof(*ids));
	for (i = 0; i < p->jl.n; i++)
		ids[i] = p->jl.rows[i]->id;
	view_mark_many(t, ids, p->jl.n);
	free(ids);
	return p->jl.n;
}

/* "node01:0,1", or "node01" alone when the GPUs do not fit in n. */
static void
view_jobs_node(const struct rjob *j, char *out, size_t n)
{
	size_t k;
	int32_t i;

	snprintf(out, n, "%s", j->node != NULL ? j->node : "");
	for (i = 0; i < j->ngpus && (k = strlen(out)) + 8 < n; i++)
		snprintf(out + k, n - k, "%c%d", i ? ',' : ':',
		    (int)j->gpus[i].index);
}

static void
view_jobs_suspended(const struct rjob *j, char *out, size_t n)
{
	char node[128];

	view_jobs_node(j, node, sizeof(node));
	if (j->susp_mech != NULL &&
	    strcmp(j->susp_mech, "cuda-checkpoint") == 0)
		snprintf(out, n, "checkpointed to host");
	else if (j->node != NULL)
		snprintf(out, n, "%s stopped", node);
	else
		snprintf(out, n, "suspended");
}

static void
view_jobs_pending(struct tui *t, const struct rjob *j, char *out, size_t n)
{
	char deps[200];

	if (j->held)
		snprintf(out, n, "HELD");
	else if (j->pinned_for > 0)
		snprintf(out, n, "swaps in for %lld", (long long)j->pinned_for);
	else if (j->susp_mech != NULL)
		snprintf(out, n, "requeued (%s)",
		    replica_life_susp_text(j->susp_mech));
	else if ((j->wait_reason == NULL ||
	             strcmp(j->wait_reason, "DEPENDENCY") == 0) &&
	    replica_life_deps_text(&t->rep, j, deps, sizeof(deps)) > 0)
		snprintf(out, n, "waits for %s", deps);
	else if (j->wait_reason != NULL && strcmp(j->wait_reason, "HELD") == 0)
		snprintf(out, n, "released"); /* the reason is from before */
	else if (j->wait_reason != NULL && j->position > 0)
		snprintf(out, n, "%s #%d", j->wait_reason, (int)j->position);
	else if (j->wait_reason != NULL)
		snprintf(out, n, "%s", j->wait_reason);
	else
		snprintf(out, n, "waiting");
}

static void
view_jobs_where(struct tui *t, const struct rjob *j, char *out, size_t n)
{
	char sig[32];

	out[0] = '\0';
	if (j->state == RSTATE_RUNNING && j->node != NULL) {
		view_jobs_node(j, out, n);
		if (j->swap_op != NULL && strlen(out) + 16 < n)
			strcat(out,
			    strcmp(j->swap_op, "resume") == 0 ? " resuming" :
			                                        " suspending");
	} else if (j->state == RSTATE_SUSPENDED)
		view_jobs_suspended(j, out, n);
	else if (j->state == RSTATE_PENDING)
		view_jobs_pending(t, j, out, n);
	else if (j->exit_signal > 0)
		snprintf(out, n, "signal %s",
		    fmt_signal(j->exit_signal, sig, sizeof(sig)));
	else if (j->reason != NULL)
		snprintf(out, n, "%s", j->reason);
	else if (j->exit_code != INT32_MIN)
		snprintf(out, n, "exit %d", (int)j->exit_code);
}

/* The dim tag after WHERE for a job the daemon says is idle: "idle 12m". */
static void
view_jobs_idle_tag(struct tui *t, const struct rjob *j, char *out, size_t n)
{
	char d[32];

	out[0] = '\0';
	if (j->idle_since <= 0 || j->state != RSTATE_RUNNING)
		return;
	if (j->idle_since > 1 && tui_now(t) > j->idle_since) {
		units_fmt_duration(tui_now(t) - j->idle_since, d, sizeof(d));
		snprintf(out, n, "idle %s", d);
	} else
		snprintf(out, n, "idle");
}

/* "enf", "mon", "adv", "excl": a job's enforcement in a GPUS cell. */
static const char *
view_jobs_enf(const char *e)
{
	if (e == NULL)
		return "";
	if (strcmp(e, "enforced") == 0)
		return "enf";
	if (strcmp(e, "monitored") == 0)
		return "mon";
	if (strcmp(e, "advisory") == 0)
		return "adv";
	if (strcmp(e, "exclusive") == 0)
		return "excl";
	return e;
}

/* "0.5 adv ", "  2 excl": the label padded, so that numbers align in
 * the right-aligned column when some job on screen has one (enf). */
static void
view_jobs_gpus(const struct rjob *j, int enf, char *out, size_t n)
{
	size_t k;

	if (j->gpu_mem_mb > 0)
		units_fmt_mem_mb(j->gpu_mem_mb, out, n);
	else
		units_fmt_gpus(j->gpus_milli, out, n);
	k = strlen(out);
	if (enf && k + 8 < n)
		snprintf(out + k, n - k, " %-4.4s",
		    view_jobs_enf(j->enforcement));
}

static void
view_jobs_cell(struct tui *t, const struct rjob *j, int enf, int col, char *out,
    size_t n)
{
	char tag[64];
	int64_t secs;
	int util;

	out[0] = '\0';
	switch (col) {
	case JC_MARK:
		snprintf(out, n, "%s", view_marked(t, j->id) ? "*" : " ");
		break;
	case JC_ID:
		snprintf(out, n, "%lld", (long long)j->id);
		break;
	case JC_STATE:
		snprintf(out, n, "%s %s", draw_state_glyph(t, j->state),
		    replica_state_name(j->state));
		break;
	case JC_USER:
		snprintf(out, n, "%s", j->user ? j->user : "?");
		break;
	case JC_PROJECT:
		snprintf(out, n, "%s", j->project ? j->project : "");
		break;
	case JC_NAME:
		snprintf(out, n, "%s", j->name ? j->name : "");
		break;
	case JC_GPUS:
		view_jobs_gpus(j, enf, out, n);
		break;
	case JC_WHERE:
		view_jobs_where(t, j, out, n);
		view_jobs_idle_tag(t, j, tag, sizeof(tag));
		if (tag[0] != '\0' && strlen(out) + strlen(tag) + 2 < n)
			strcat(strcat(out, " "), tag);
		break;
	case JC_TIME:
		secs = joblist_job_time(j, tui_now(t));
		if (secs < 0)
			snprintf(out, n, "-");
		else
			units_fmt_duration(secs, out, n);
		break;
	case JC_UTIL:
		util = replica_job_util(&t->rep, j);
		snprintf(out, n, util < 0 ? "-" : "%d%%", util);
		break;
	case JC_PRIO:
		snprintf(out, n, "%d", (int)j->priority);
		break;
	default:
		snprintf(out, n, "%s", j->cmd ? j->cmd : "");
		break;
	}
}

/* Lays out the columns left after scrolling hscroll of them away. */
static void
view_jobs_fit(const struct layout_col *c, size_t hscroll, int cols, int *w)
{
	struct layout_col use[JC_N];
	int map[JC_N], uw[JC_N], k, n = 0;

	for (k = 0; k < JC_N; k++) {
		w[k] = 0;
		if (k >= JC_STATE && (size_t)(k - JC_STATE) < hscroll)
			continue;
		map[n] = k;
		use[n++] = c[k];
	}
	layout_columns(use, (size_t)n, cols, 1, uw);
	for (k = 0; k < n; k++)
		w[map[k]] = uw[k];
}

/* Column widths from the rows on screen. */
static void
view_jobs_layout(struct tui *t, struct view *v, int rows, int cols, int *w)
{
	static const int min[JC_N] = { 1, 2, 9, 8, 4, 6, 4, 8, 5, 4, 4, 10 };
	static const int max[JC_N] = { 1, 12, 11, 16, 16, 32, 10, 28, 8, 4, 5,
		200 };
	struct view_jobs *p = v->priv;
	struct layout_col c[JC_N];
	char cell[FMT_CELL_MAX];
	size_t i, end;
	int k, cw;

	for (k = 0; k < JC_N; k++) {
		c[k].min = min[k];
		c[k].want = (int)fmt_width(view_jobs_heads[k]) + 1;
		c[k].prio = view_jobs_prio[k];
		if (c[k].want < min[k])
			c[k].want = min[k];
		if (k == JC_USER)
			c[k].min = 4; /* 8 wanted (as ps), 4 when narrow */
	}
	end = v->sc.top + (size_t)rows < p->jl.n ? v->sc.top + (size_t)rows :
	                                           p->jl.n;
	for (p->enf = 0, i = v->sc.top; i < end; i++)
		p->enf |= p->jl.rows[i]->enforcement != NULL;
	for (i = v->sc.top; i < end; i++)
		for (k = 0; k < JC_N; k++) {
			view_jobs_cell(t, p->jl.rows[i], p->enf, k, cell,
			    sizeof(cell));
			cw = (int)fmt_width(cell);
			if (cw > (p->wide ? 4 * max[k] : max[k]))
				cw = p->wide ? 4 * max[k] : max[k];
			if (cw > c[k].want)
				c[k].want = cw;
		}
	c[JC_ID].min = c[JC_ID].want;
	view_jobs_fit(c, v->hscroll, cols, w);
}

static int
view_jobs_right(int col)
{
	return col == JC_ID || col == JC_GPUS || col == JC_TIME ||
	    col == JC_UTIL || col == JC_PRIO;
}

static void
view_jobs_summary(struct tui *t, struct view *v, WINDOW *w, int cols)
{
	struct view_jobs *p = v->priv;
	char line[512], susp[64] = "";

	if (t->rep.counts[RSTATE_SUSPENDED] > 0)
		snprintf(susp, sizeof(susp), "  suspended %zu",
		    t->rep.counts[RSTATE_SUSPENDED]);
	snprintf(line, sizeof(line),
	    "%s: %zu shown of %zu  running %zu  pending %zu%s  sort %s%s%s%s",
	    v->cls->title, p->jl.n, t->rep.njobs, t->rep.counts[RSTATE_RUNNING],
	    t->rep.counts[RSTATE_PENDING], susp, joblist_sort_name(p->jl.sort),
	    p->jl.desc ? " desc" : "", v->filt.text[0] ? "  filter: " : "",
	    v->filt.text);
	wattrset(w, draw_attr(t, THEME_TITLE));
	draw_text(w, 0, 0, line, cols, 1);
}

static void
view_jobs_header(struct tui *t, struct view *v, WINDOW *w, const int *cw)
{
	struct view_jobs *p = v->priv;
	char head[64];
	int k, x = 0, sorted;

	for (k = 0; k < JC_N; k++) {
		if (cw[k] == 0)
			continue;
		sorted = view_jobs_sortcol[k] == (int)p->jl.sort;
		snprintf(head, sizeof(head), "%s%s", view_jobs_heads[k],
		    !sorted        ? "" :
		        p->jl.desc ? (t->scr.utf8 ? "\xe2\x96\xbc" : "v") :
		                     (t->scr.utf8 ? "\xe2\x96\xb2" : "^"));
		wattrset(w,
		    draw_attr(t, sorted ? THEME_SORT : THEME_HEADER) |
		        (sorted ? A_BOLD | A_UNDERLINE : 0));
		if (view_jobs_right(k))
			draw_right(w, 1, x, head, cw[k]);
		else
			draw_text(w, 1, x, head, cw[k], 1);
		x += cw[k] + 1;
	}
}

/* Redraws the idle tag at the end of a WHERE cell dim, when it shows. */
static void
view_jobs_row_idle(struct tui *t, const struct rjob *j, WINDOW *w, int y, int x,
    int cw, const char *cell)
{
	char tag[64];
	int wc, tw;

	view_jobs_idle_tag(t, j, tag, sizeof(tag));
	if (tag[0] == '\0')
		return;
	wc = (int)fmt_width(cell);
	tw = (int)fmt_width(tag);
	if (wc > cw || tw > wc)
		return;
	wattrset(w, draw_attr(t, THEME_GPU_IDLE) | A_DIM);
	draw_text(w, y, x + wc - tw, tag, tw, 0);
}

static void
view_jobs_row(struct tui *t, const struct rjob *j, int enf, WINDOW *w, int y,
    const int *cw, int selected)
{
	char cell[FMT_CELL_MAX];
	attr_t base = draw_attr(t, selected ? THEME_CURSOR : THEME_NORMAL);
	int k, x = 0;

	if (selected) {
		wattrset(w, base);
		mvwhline(w, y, 0, ' ', getmaxx(w));
	}
	for (k = 0; k < JC_N; k++) {
		if (cw[k] == 0)
			continue;
		view_jobs_cell(t, j, enf, k, cell, sizeof(cell));
		if (selected)
			wattrset(w, base);
		else if (k == JC_STATE)
			wattrset(w, draw_attr(t, draw_state_el(j->state)));
		else if (k == JC_MARK)
			wattrset(w, draw_attr(t, THEME_MARK));
		else
			wattrset(w, base);
		if (view_jobs_right(k))
			draw_right(w, y, x, cell, cw[k]);
		else
			draw_text(w, y, x, cell, cw[k], 0);
		if (k == JC_WHERE && !selected)
			view_jobs_row_idle(t, j, w, y, x, cw[k], cell);
		x += cw[k] + 1;
	}
}

void
view_jobs_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_jobs *p = v->priv;
	int cw[JC_N], list = rows - 2;
	size_t i;

	v->sc.rows = list > 0 ? list : 1;
	v->sc.top = layout_scroll(v->sc.top, v->sc.sel, v->sc.n, v->sc.rows);
	view_jobs_summary(t, v, w, cols);
	view_jobs_layout(t, v, v->sc.rows, cols, cw);
	view_jobs_header(t, v, w, cw);
	for (i = 0; (int)i < list && v->sc.top + i < p->jl.n; i++)
		view_jobs_row(t, p->jl.rows[v->sc.top + i], p->enf, w,
		    2 + (int)i, cw, v->sc.top + i == v->sc.sel);
	if (p->jl.n == 0) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 3, 1,
		    t->sess.state == SESSION_LIVE ?
		        (v->filt.text[0] ? "No job matches the filter." :
		                           "No jobs in the queue. Press s to "
		                           "submit one.") :
		        "Waiting for the daemon...",
		    cols - 2, 0);
	}
}

const struct view_class view_jobs_class = {
	.name = "jobs",
	.title = "Jobs",
	.ctx = ACTION_CTX_LIST | ACTION_CTX_JOBS,
	.init = view_jobs_init,
	.free = view_jobs_free,
	.prepare = view_jobs_prepare,
	.draw = view_jobs_draw,
	.filter = view_jobs_filter,
	.match = view_jobs_match,
	.sort = view_jobs_sort,
	.activate = view_jobs_activate,
	.job = view_jobs_job,
};
