/*
 * The live key map: which key runs which action in which context.  Built
 * from the action table's default keys, then changed by `bind` and
 * `unbind` lines of gpuq.conf, checked for collisions, and trimmed by
 * --readonly.  Pure: no curses, no I/O.
 */
#ifndef GPUQ_KEYMAP_H
#define GPUQ_KEYMAP_H

#include <stddef.h>

#include "core/base/buf.h"
#include "tui/action.h"

#define KEYMAP_MAX_SETS 16

struct keymap_entry {
	int key;
	int action; /* index into the action table */
	int user;   /* bound by the config file */
};

struct keymap {
	const struct action *acts; /* borrowed */
	size_t nacts;
	struct keymap_entry *e; /* owned */
	size_t n, cap;
	/* Context sets that are active together in some view. */
	unsigned sets[KEYMAP_MAX_SETS];
	size_t nsets;
};

/*
 * Starts a key map with the default keys of acts.  sets lists the context
 * masks of the views (each with ACTION_CTX_GLOBAL); two bindings collide
 * when one key runs two actions in one of them.  Returns 0, or GQ_EINVAL
 * with *cause (new) when a default key name does not parse.
 */
int keymap_init(struct keymap *km, const struct action *acts, size_t nacts,
    const unsigned *sets, size_t nsets, char **cause);
void keymap_done(struct keymap *km);

/*
 * Binds key (a key name) to the action called action.  The new binding
 * replaces default bindings of that key wherever both would apply; it
 * collides (GQ_EEXIST, *cause new) with an earlier user binding there.
 */
int keymap_bind(struct keymap *km, const char *key, const char *action,
    char **cause);
/* Removes every binding of key.  GQ_EINVAL for a bad key name. */
int keymap_unbind(struct keymap *km, const char *key, char **cause);
/* Drops the bindings of mutating actions (--readonly). */
void keymap_readonly(struct keymap *km);

/*
 * Checks that no key runs two actions in one context set (a context's own
 * binding may shadow a global one).  Returns 0, or GQ_EEXIST with every
 * collision described in *cause (new).
 */
int keymap_check(const struct keymap *km, char **cause);

/*
 * The action key runs in a view of context mask ctx: a binding of one of
 * the view's own contexts first, then a global one.  -1 when none.
 */
int keymap_lookup(const struct keymap *km, unsigned ctx, int key);

/* Up to max keys bound to action, in binding order; returns the count. */
size_t keymap_keys(const struct keymap *km, int action, int *keys, size_t max);
/* Appends "Ctrl-D PgDn" (the action's keys, or "-" for none) to b. */
void keymap_keys_text(const struct keymap *km, int action, struct buf *b);

#endif
