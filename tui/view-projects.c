/*
 * Projects: for team leads, the quota "bank statement" (deserved,
 * allocated, borrowed, pending demand, fair-share standing, usage).  It
 * needs the daemon's project.list verb; until a daemon has it, the view
 * says so.
 */
#include <stdlib.h>

#include "core/base/xmalloc.h"
#include "tui/rlist.h"

static void
view_projects_init(struct tui *t, struct view *v)
{
	struct rlist *rl = xcalloc(1, sizeof(*rl));

	rlist_init(rl, t, "project.list", "Projects",
	    "It will show each project's deserved quota, allocation, "
	    "borrowing, pending demand and usage.");
	v->priv = rl;
}

static void
view_projects_free(struct view *v)
{
	rlist_done(v->priv);
	free(v->priv);
}

static void
view_projects_enter(struct tui *t, struct view *v)
{
	rlist_fetch(v->priv);
}

static void
view_projects_prepare(struct tui *t, struct view *v)
{
	rlist_prepare(v->priv, v);
}

static void
view_projects_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	rlist_draw(v->priv, v, w, rows, cols);
}

const struct view_class view_projects_class = {
	.name = "projects",
	.title = "Projects",
	.ctx = ACTION_CTX_LIST,
	.init = view_projects_init,
	.free = view_projects_free,
	.enter = view_projects_enter,
	.prepare = view_projects_prepare,
	.draw = view_projects_draw,
	.live = view_projects_enter,
};
