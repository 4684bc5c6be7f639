/*
 * Mine: the Jobs view limited to the user the daemon says we are.
 */
#include "tui/tui.h"

const struct view_class view_mine_class = {
	.name = "mine",
	.title = "Mine",
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
