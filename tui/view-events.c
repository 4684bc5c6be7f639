/*
 * Events: what the daemon did and why (job state changes as they came),
 * and what went wrong on the way (errors, lost connections).  Newest at
 * the bottom; the view follows new lines until you move up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/xmalloc.h"
#include "tui/layout.h"
#include "tui/tui.h"

struct view_events {
	size_t *rows; /* indexes of the events that pass the filter */
	size_t n, cap;
	unsigned built_gen;
	size_t built_len;
	int built, stale;
};

static void
view_events_init(struct tui *t, struct view *v)
{
	v->priv = xcalloc(1, sizeof(struct view_events));
	v->sc.follow = 1;
}

static void
view_events_free(struct view *v)
{
	struct view_events *p = v->priv;

	free(p->rows);
	free(p);
}

static void
view_events_prepare(struct tui *t, struct view *v)
{
	struct view_events *p = v->priv;
	const struct revent *e;
	size_t i;

	if (!p->built || p->stale || p->built_gen != t->rep.ev_gen) {
		if (p->cap < REPLICA_MAX_EVENTS) {
			p->cap = REPLICA_MAX_EVENTS;
			p->rows =
			    xreallocarray(p->rows, p->cap, sizeof(*p->rows));
		}
		p->n = 0;
		for (i = 0; i < t->rep.ev_len; i++) {
			e = replica_event_at(&t->rep, i);
			if (filter_text(&v->filt, e->text))
				p->rows[p->n++] = i;
		}
		p->built = 1;
		p->stale = 0;
		p->built_gen = t->rep.ev_gen;
	}
	v->sc.n = p->n;
	if (v->sc.follow || v->sc.sel >= v->sc.n)
		v->sc.sel = v->sc.n ? v->sc.n - 1 : 0;
}

static void
view_events_filter(struct tui *t, struct view *v)
{
	((struct view_events *)v->priv)->stale = 1;
}

static void
view_events_row(struct tui *t, const struct revent *e, WINDOW *w, int y,
    int cols, int sel)
{
	static const enum theme_el els[] = { THEME_NORMAL, THEME_EVENT_WARN,
		THEME_EVENT_ERROR };
	static const char *const marks[] = { " ", "!", "E" };
	char when[16], seq[32];
	time_t tt = (time_t)e->time;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	if (e->seq > 0)
		snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
	else
		snprintf(seq, sizeof(seq), "gpuq");
	wattrset(w, draw_attr(t, sel ? THEME_CURSOR : els[e->level]));
	if (sel)
		mvwhline(w, y, 0, ' ', cols);
	draw_text(w, y, 0, when, 8, 0);
	draw_text(w, y, 9, marks[e->level], 1, 0);
	draw_right(w, y, 11, seq, 6);
	draw_text(w, y, 18, e->text, cols - 18, 0);
}

static void
view_events_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_events *p = v->priv;
	char line[512];
	int list = rows - 2;
	size_t i;

	v->sc.rows = list > 0 ? list : 1;
	v->sc.top = layout_scroll(v->sc.top, v->sc.sel, v->sc.n, v->sc.rows);
	snprintf(line, sizeof(line), "Events: %zu%s%s%s", p->n,
	    v->sc.follow ? "  following" : "  paused (G to follow)",
	    v->filt.text[0] ? "  filter: " : "", v->filt.text);
	wattrset(w, draw_attr(t, THEME_TITLE));
	draw_text(w, 0, 0, line, cols, 1);
	wattrset(w, draw_attr(t, THEME_HEADER));
	draw_text(w, 1, 0, "TIME", 8, 0);
	draw_right(w, 1, 11, "SEQ", 6);
	draw_text(w, 1, 18, "WHAT HAPPENED", cols - 18, 1);
	for (i = 0; (int)i < list && v->sc.top + i < p->n; i++)
		view_events_row(t,
		    replica_event_at(&t->rep, p->rows[v->sc.top + i]), w,
		    2 + (int)i, cols, v->sc.top + i == v->sc.sel);
	if (p->n == 0) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 3, 1, "Nothing has happened yet.", cols - 2, 0);
	}
}

static int64_t
view_events_job(struct tui *t, struct view *v)
{
	struct view_events *p = v->priv;
	const struct revent *e;

	if (v->sc.sel >= p->n)
		return 0;
	e = replica_event_at(&t->rep, p->rows[v->sc.sel]);
	return e != NULL ? e->job : 0;
}

static void
view_events_activate(struct tui *t, struct view *v)
{
	int64_t id = view_events_job(t, v);

	if (id > 0)
		view_show(t, VIEW_JOB, id);
}

const struct view_class view_events_class = {
	.name = "events",
	.title = "Events",
	.ctx = ACTION_CTX_LIST,
	.init = view_events_init,
	.free = view_events_free,
	.prepare = view_events_prepare,
	.draw = view_events_draw,
	.filter = view_events_filter,
	.activate = view_events_activate,
	.job = view_events_job,
};
