/*
 * Sweeps: the sweeps the daemon runs; their trials (parameters as
 * columns, metric, best so far) once the daemon runs sweeps.  It
 * needs the daemon's sweep.list verb; until a daemon has it, the view
 * says so.
 */
#include <stdlib.h>

#include "core/base/xmalloc.h"
#include "tui/rlist.h"

static void
view_sweeps_init(struct tui *t, struct view *v)
{
	struct rlist *rl = xcalloc(1, sizeof(*rl));

	rlist_init(rl, t, "sweep.list", "Sweeps",
	    "It will show each sweep and its trials: parameters, metric, "
	    "best so far and early-stopped trials.");
	v->priv = rl;
}

static void
view_sweeps_free(struct view *v)
{
	rlist_done(v->priv);
	free(v->priv);
}

static void
view_sweeps_enter(struct tui *t, struct view *v)
{
	rlist_fetch(v->priv);
}

static void
view_sweeps_prepare(struct tui *t, struct view *v)
{
	rlist_prepare(v->priv, v);
}

static void
view_sweeps_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	rlist_draw(v->priv, v, w, rows, cols);
}

const struct view_class view_sweeps_class = {
	.name = "sweeps",
	.title = "Sweeps",
	.ctx = ACTION_CTX_LIST,
	.init = view_sweeps_init,
	.free = view_sweeps_free,
	.enter = view_sweeps_enter,
	.prepare = view_sweeps_prepare,
	.draw = view_sweeps_draw,
	.live = view_sweeps_enter,
};
