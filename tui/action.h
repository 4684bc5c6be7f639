/*
 * Key actions: one table (action.c) of everything a key can do, with its
 * default keys.  The key map, the ? overlay, `gpuq --keys` and the man
 * page's key table all come from it.
 */
#ifndef GPUQ_ACTION_H
#define GPUQ_ACTION_H

#include <stddef.h>

/* Where an action applies.  A view is in GLOBAL and some of the others. */
#define ACTION_CTX_GLOBAL 0x1u  /* every view */
#define ACTION_CTX_LIST   0x2u  /* lists: sorting, marks, pickers */
#define ACTION_CTX_JOBS   0x4u  /* views about jobs: logs, cancel, ... */
#define ACTION_CTX_LOG    0x8u  /* the log view */
#define ACTION_CTX_SWEEP  0x10u /* the sweep views: pause, resume, stop */
#define ACTION_CTX_ALL    0x1fu

/* Flags. */
#define ACTION_MUTATES 0x1u /* changes the cluster: gone with --readonly */

struct tui;

struct action {
	const char *name; /* "job.cancel": for bind and --keys */
	const char *help; /* one line for the ? overlay */
	unsigned ctx;     /* one ACTION_CTX_* */
	unsigned flags;   /* ACTION_* */
	const char *keys; /* default keys, space-separated key names */
	void (*fn)(struct tui *t);
};

extern const struct action action_table[];
extern const size_t action_count;

/* The index of the action called name, or -1. */
int action_find(const char *name);
/* "global", "list", "jobs", "log", "sweep" for one ACTION_CTX_* bit. */
const char *action_ctx_name(unsigned ctx);

#endif
