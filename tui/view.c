/*
 * The view table (one line per view, like tmux's command table), the
 * history of views, scrolling and marks shared by every view.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "tui/layout.h"
#include "tui/tui.h"

extern const struct view_class view_jobs_class, view_mine_class,
    view_gpus_class, view_nodes_class, view_projects_class, view_sweeps_class,
    view_events_class, view_job_class, view_logs_class, view_sweep_class;

/* 1..7 are the first seven, in this order. */
const struct view_class *const view_classes[VIEW_N] = {
	&view_jobs_class,
	&view_mine_class,
	&view_gpus_class,
	&view_nodes_class,
	&view_projects_class,
	&view_sweeps_class,
	&view_events_class,
	&view_job_class,
	&view_logs_class,
	&view_sweep_class,
};

void
view_setup(struct tui *t)
{
	struct view *v;
	int i;

	for (i = 0; i < VIEW_N; i++) {
		v = xcalloc(1, sizeof(*v));
		v->cls = view_classes[i];
		v->id = (enum view_id)i;
		v->sc.cursor = 1;
		t->views[i] = v;
		if (v->cls->init != NULL)
			v->cls->init(t, v);
	}
	for (i = 0; i < VIEW_JOB; i++)
		if (strcmp(view_classes[i]->name, t->conf.start_view) == 0)
			break;
	view_show(t, i < VIEW_JOB ? (enum view_id)i : VIEW_JOBS, 0);
}

void
view_teardown(struct tui *t)
{
	int i;

	for (i = 0; i < VIEW_N; i++) {
		if (t->views[i] == NULL)
			continue;
		if (t->views[i]->cls->free != NULL)
			t->views[i]->cls->free(t->views[i]);
		free(t->views[i]);
		t->views[i] = NULL;
	}
}

/* Makes v current without touching the history. */
static void
view_switch(struct tui *t, struct view *v, int64_t job)
{
	if (t->cur != NULL && (t->cur != v || t->cur->job != job)) {
		t->last = t->cur;
		t->last_job = t->cur->job;
	}
	t->prompt = PROMPT_NONE;
	t->prompt_hint[0] = '\0';
	t->cur = v;
	if (v->id == VIEW_JOB || v->id == VIEW_LOGS || v->id == VIEW_SWEEP) {
		if (v->job != job)
			v->sc.sel = v->sc.top = 0;
		v->job = job;
	}
	if (v->cls->enter != NULL)
		v->cls->enter(t, v);
	tui_dirty(t);
}

void
view_show(struct tui *t, enum view_id id, int64_t job)
{
	struct view *v = t->views[id];

	if (t->nhist > 0 && t->hist[t->hpos].v == v &&
	    t->hist[t->hpos].job == job) {
		view_switch(t, v, job);
		return;
	}
	if (t->nhist > 0)
		t->nhist = t->hpos + 1;
	if (t->nhist == TUI_HIST) {
		memmove(&t->hist[0], &t->hist[1],
		    (TUI_HIST - 1) * sizeof(t->hist[0]));
		t->nhist--;
	}
	t->hist[t->nhist].v = v;
	t->hist[t->nhist].job = job;
	t->hpos = t->nhist++;
	view_switch(t, v, job);
}

void
view_back(struct tui *t)
{
	if (t->hpos == 0) {
		if (t->cur->id >= VIEW_JOB)
			view_show(t, VIEW_JOBS, 0);
		return;
	}
	t->hpos--;
	view_switch(t, t->hist[t->hpos].v, t->hist[t->hpos].job);
}

void
view_forward(struct tui *t)
{
	if (t->hpos + 1 >= t->nhist)
		return;
	t->hpos++;
	view_switch(t, t->hist[t->hpos].v, t->hist[t->hpos].job);
}

void
view_last(struct tui *t)
{
	if (t->last != NULL)
		view_show(t, t->last->id, t->last_job);
}

static void
view_prepare(struct tui *t, struct view *v)
{
	if (v->cls->prepare != NULL)
		v->cls->prepare(t, v);
}

/* The last row a text view may start at. */
static size_t
view_max_top(const struct vscroll *sc)
{
	size_t rows = sc->rows > 0 ? (size_t)sc->rows : 1;

	return sc->n > rows ? sc->n - rows : 0;
}

void
view_move(struct tui *t, long delta)
{
	struct view *v = t->cur;
	struct vscroll *sc = &v->sc;
	long pos;

	view_prepare(t, v);
	if (!sc->cursor) {
		pos = (long)sc->top + delta;
		if (pos < 0)
			pos = 0;
		if ((size_t)pos > view_max_top(sc))
			pos = (long)view_max_top(sc);
		sc->top = (size_t)pos;
		sc->follow = sc->top == view_max_top(sc) && delta > 0;
		return;
	}
	if (sc->n == 0)
		return;
	pos = (long)sc->sel + delta;
	if (pos < 0)
		pos = 0;
	if ((size_t)pos >= sc->n)
		pos = (long)sc->n - 1;
	sc->sel = (size_t)pos;
	sc->follow = sc->sel == sc->n - 1 && delta > 0;
	if (v->cls->job != NULL)
		v->sel_id = v->cls->job(t, v);
}

void
view_move_to(struct tui *t, int end)
{
	struct vscroll *sc = &t->cur->sc;

	view_prepare(t, t->cur);
	view_move(t, end ? (long)(sc->n + 1) : -(long)(sc->n + sc->top + 1));
	sc->follow = end;
}

void
view_page(struct tui *t, int dir, int half)
{
	int rows = t->cur->sc.rows > 1 ? t->cur->sc.rows : 1;
	long step = half ? rows / 2 : rows - 1;

	view_move(t, dir * (step > 0 ? step : 1));
}

/* Marks: a sorted array of job ids. */
static size_t
view_mark_pos(const struct tui *t, int64_t id, int *found)
{
	size_t lo = 0, hi = t->nmarks, mid;

	*found = 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (t->marks[mid] == id) {
			*found = 1;
			return mid;
		}
		if (t->marks[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
view_marked(const struct tui *t, int64_t id)
{
	int found;

	view_mark_pos(t, id, &found);
	return found;
}

void
view_mark(struct tui *t, int64_t id, int on)
{
	int found;
	size_t i = view_mark_pos(t, id, &found);

	if (on == found || id <= 0)
		return;
	if (!on) {
		memmove(&t->marks[i], &t->marks[i + 1],
		    (t->nmarks - i - 1) * sizeof(*t->marks));
		t->nmarks--;
		return;
	}
	if (t->nmarks == t->capmarks) {
		t->capmarks = t->capmarks ? t->capmarks * 2 : 64;
		t->marks =
		    xreallocarray(t->marks, t->capmarks, sizeof(*t->marks));
	}
	memmove(&t->marks[i + 1], &t->marks[i],
	    (t->nmarks - i) * sizeof(*t->marks));
	t->marks[i] = id;
	t->nmarks++;
}

static int
view_id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

void
view_mark_many(struct tui *t, const int64_t *ids, size_t n)
{
	size_t i, k = 0;

	if (t->nmarks + n > t->capmarks) {
		t->capmarks = t->nmarks + n;
		t->marks =
		    xreallocarray(t->marks, t->capmarks, sizeof(*t->marks));
	}
	memcpy(t->marks + t->nmarks, ids, n * sizeof(*ids));
	t->nmarks += n;
	qsort(t->marks, t->nmarks, sizeof(*t->marks), view_id_cmp);
	for (i = 0; i < t->nmarks; i++)
		if (k == 0 || t->marks[k - 1] != t->marks[i])
			t->marks[k++] = t->marks[i];
	t->nmarks = k;
}

void
view_marks_clear(struct tui *t)
{
	t->nmarks = 0;
}

size_t
view_targets(struct tui *t, int64_t **ids)
{
	size_t i, n = 0;
	int64_t sel;

	*ids = NULL;
	if (t->nmarks > 0) {
		*ids = xcalloc(t->nmarks, sizeof(**ids));
		for (i = 0; i < t->nmarks; i++)
			if (replica_job(&t->rep, t->marks[i]) != NULL)
				(*ids)[n++] = t->marks[i];
		return n;
	}
	if (t->cur->cls->job == NULL)
		return 0;
	view_prepare(t, t->cur);
	if ((sel = t->cur->cls->job(t, t->cur)) <= 0)
		return 0;
	*ids = xcalloc(1, sizeof(**ids));
	(*ids)[0] = sel;
	return 1;
}

void
view_draw(struct tui *t)
{
	WINDOW *w = t->scr.body;
	int rows, cols;

	getmaxyx(w, rows, cols);
	werase(w);
	wbkgdset(w, ' ' | draw_attr(t, THEME_NORMAL));
	view_prepare(t, t->cur);
	t->cur->cls->draw(t, t->cur, w, rows, cols);
	wattrset(w, A_NORMAL);
}

void
view_draw_missing(struct tui *t, WINDOW *w, int row, const char *what,
    const char *verb)
{
	char line[512];

	snprintf(line, sizeof(line),
	    "%s: not available from this daemon yet (it has no %s verb).", what,
	    verb);
	wattrset(w, draw_attr(t, THEME_MUTED));
	draw_text(w, row, 1, line, getmaxx(w) - 2, 0);
}
