/*
 * A view's list fetched with one verb (project.list, sweep.list) and shown
 * as a generic table until the view gets a design of its own.  When the
 * daemon does not know the verb (its hello lists every verb it has), the
 * view says so instead of showing anything made up.
 */
#ifndef GPUQ_RLIST_H
#define GPUQ_RLIST_H

#include "tui/jtable.h"
#include "tui/tui.h"

struct rlist {
	const char *verb;  /* "project.list" */
	const char *what;  /* "Projects" */
	const char *blurb; /* what the view will show */
	struct jtable tab;
	int have; /* tab holds a reply */
	int inflight;
	char err[256];
	struct tui *t;
};

void rlist_init(struct rlist *rl, struct tui *t, const char *verb,
    const char *what, const char *blurb);
void rlist_done(struct rlist *rl);
/* Asks the daemon again (when it has the verb). */
void rlist_fetch(struct rlist *rl);
void rlist_prepare(struct rlist *rl, struct view *v);
void rlist_draw(struct rlist *rl, struct view *v, WINDOW *w, int rows,
    int cols);

#endif
