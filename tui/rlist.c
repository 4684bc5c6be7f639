#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "tui/fmt.h"
#include "tui/layout.h"
#include "tui/rlist.h"

void
rlist_init(struct rlist *rl, struct tui *t, const char *verb, const char *what,
    const char *blurb)
{
	memset(rl, 0, sizeof(*rl));
	rl->t = t;
	rl->verb = verb;
	rl->what = what;
	rl->blurb = blurb;
}

void
rlist_done(struct rlist *rl)
{
	if (rl->have)
		jtable_done(&rl->tab);
	rl->have = 0;
}

static void
rlist_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct rlist *rl = arg;

	rl->inflight = 0;
	if (code == GQ_ECONN)
		return;
	if (code != 0) {
		snprintf(rl->err, sizeof(rl->err), "%s: %s", rl->verb,
		    message && message[0] ? message : gq_err_text(code));
		tui_status(rl->t, REVENT_ERROR, "%s", rl->err);
		return;
	}
	rl->err[0] = '\0';
	rlist_done(rl);
	if (jtable_build(&rl->tab, result) == 0)
		rl->have = 1;
	tui_dirty(rl->t);
}

void
rlist_fetch(struct rlist *rl)
{
	struct rpc_reply_cb cb = { rlist_reply, rl, 0 };

	if (rl->inflight || !session_has_verb(&rl->t->sess, rl->verb))
		return;
	if (session_call(&rl->t->sess, rl->verb, json_object(), &cb) == 0)
		rl->inflight = 1;
}

void
rlist_prepare(struct rlist *rl, struct view *v)
{
	v->sc.n = rl->have ? rl->tab.nrows : 0;
	if (v->sc.sel >= v->sc.n)
		v->sc.sel = v->sc.n ? v->sc.n - 1 : 0;
}

static void
rlist_table(struct rlist *rl, struct view *v, WINDOW *w, int rows, int cols)
{
	struct tui *t = rl->t;
	int x, list = rows - 2, cw = 12;
	size_t i, c;

	if (rl->tab.ncols > 0)
		cw = (cols - (int)rl->tab.ncols) / (int)rl->tab.ncols;
	if (cw < 6)
		cw = 6;
	wattrset(w, draw_attr(t, THEME_HEADER));
	for (c = 0, x = 0; c < rl->tab.ncols && x < cols; c++, x += cw + 1)
		draw_text(w, 1, x, rl->tab.cols[c], cw, 1);
	v->sc.rows = list > 0 ? list : 1;
	v->sc.top = layout_scroll(v->sc.top, v->sc.sel, v->sc.n, v->sc.rows);
	for (i = 0; (int)i < list && v->sc.top + i < rl->tab.nrows; i++) {
		wattrset(w,
		    draw_attr(t,
		        v->sc.top + i == v->sc.sel ? THEME_CURSOR :
		                                     THEME_NORMAL));
		for (c = 0, x = 0; c < rl->tab.ncols && x < cols;
		     c++, x += cw + 1)
			draw_text(w, 2 + (int)i, x,
			    jtable_cell(&rl->tab, v->sc.top + i, c), cw, 1);
	}
}

void
rlist_draw(struct rlist *rl, struct view *v, WINDOW *w, int rows, int cols)
{
	struct tui *t = rl->t;
	char line[256];

	snprintf(line, sizeof(line), "%s", rl->what);
	wattrset(w, draw_attr(t, THEME_TITLE));
	draw_text(w, 0, 0, line, cols, 1);
	if (t->sess.state < SESSION_SYNCING) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 2, 1, "Waiting for the daemon...", cols - 2, 0);
		return;
	}
	if (!session_has_verb(&t->sess, rl->verb)) {
		view_draw_missing(t, w, 2, rl->what, rl->verb);
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 4, 1, rl->blurb, cols - 2, 0);
		return;
	}
	if (rl->err[0] != '\0') {
		wattrset(w, draw_attr(t, THEME_STATUS_ERROR));
		draw_text(w, 2, 1, rl->err, cols - 2, 0);
	} else if (!rl->have) {
		wattrset(w, draw_attr(t, THEME_MUTED));
		draw_text(w, 2, 1, rl->inflight ? "Loading..." : "Nothing yet.",
		    cols - 2, 0);
	} else
		rlist_table(rl, v, w, rows, cols);
}
