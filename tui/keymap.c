#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/keymap.h"
#include "tui/keys.h"

static void
keymap_add(struct keymap *km, int key, int action, int user)
{
	if (km->n == km->cap) {
		km->cap = km->cap ? km->cap * 2 : 64;
		km->e = xreallocarray(km->e, km->cap, sizeof(*km->e));
	}
	km->e[km->n].key = key;
	km->e[km->n].action = action;
	km->e[km->n].user = user;
	km->n++;
}

static void
keymap_remove(struct keymap *km, size_t i)
{
	memmove(&km->e[i], &km->e[i + 1], (km->n - i - 1) * sizeof(*km->e));
	km->n--;
}

/* True when contexts a and b are active together in some view. */
static int
keymap_overlap(const struct keymap *km, unsigned a, unsigned b)
{
	size_t i;

	for (i = 0; i < km->nsets; i++)
		if ((km->sets[i] & a) && (km->sets[i] & b))
			return 1;
	return 0;
}

/* Adds the default keys of one action. */
static int
keymap_defaults(struct keymap *km, int a, char **cause)
{
	const char *p = km->acts[a].keys, *end;
	char name[KEYS_NAME_MAX];
	int key;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		end = strchr(p, ' ');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p)
			break;
		if ((size_t)(end - p) >= sizeof(name) ||
		    (memcpy(name, p, (size_t)(end - p)), name[end - p] = '\0',
		        keys_parse(name, &key)) != 0) {
			*cause = xasprintf("action %s: bad default key '%.*s'",
			    km->acts[a].name, (int)(end - p), p);
			return GQ_EINVAL;
		}
		keymap_add(km, key, a, 0);
		p = end;
	}
	return 0;
}

int
keymap_init(struct keymap *km, const struct action *acts, size_t nacts,
    const unsigned *sets, size_t nsets, char **cause)
{
	size_t i;
	int rc;

	memset(km, 0, sizeof(*km));
	*cause = NULL;
	km->acts = acts;
	km->nacts = nacts;
	if (nsets > KEYMAP_MAX_SETS)
		nsets = KEYMAP_MAX_SETS;
	for (i = 0; i < nsets; i++)
		km->sets[i] = sets[i] | ACTION_CTX_GLOBAL;
	km->nsets = nsets;
	for (i = 0; i < nacts; i++)
		if ((rc = keymap_defaults(km, (int)i, cause)) != 0)
			return rc;
	return 0;
}

void
keymap_done(struct keymap *km)
{
	free(km->e);
	km->e = NULL;
	km->n = km->cap = 0;
}

static int
keymap_find_action(const struct keymap *km, const char *name)
{
	size_t i;

	for (i = 0; i < km->nacts; i++)
		if (strcmp(km->acts[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
keymap_bind(struct keymap *km, const char *key, const char *action,
    char **cause)
{
	char kname[KEYS_NAME_MAX];
	unsigned ctx;
	size_t i;
	int k, a;

	if (keys_parse(key, &k) != 0) {
		*cause = xasprintf("bad key name '%s'", key);
		return GQ_EINVAL;
	}
	if ((a = keymap_find_action(km, action)) < 0) {
		*cause = xasprintf("no action called '%s'", action);
		return GQ_EINVAL;
	}
	ctx = km->acts[a].ctx;
	for (i = 0; i < km->n; i++) {
		if (km->e[i].key != k ||
		    !keymap_overlap(km, ctx, km->acts[km->e[i].action].ctx))
			continue;
		if (km->e[i].action == a && km->e[i].user)
			return 0;
		if (km->e[i].user) {
			*cause = xasprintf("%s is already bound to %s",
			    keys_name(k, kname, sizeof(kname)),
			    km->acts[km->e[i].action].name);
			return GQ_EEXIST;
		}
	}
	for (i = km->n; i-- > 0;)
		if (km->e[i].key == k &&
		    keymap_overlap(km, ctx, km->acts[km->e[i].action].ctx))
			keymap_remove(km, i);
	keymap_add(km, k, a, 1);
	return 0;
}

int
keymap_unbind(struct keymap *km, const char *key, char **cause)
{
	size_t i;
	int k;

	if (keys_parse(key, &k) != 0) {
		*cause = xasprintf("bad key name '%s'", key);
		return GQ_EINVAL;
	}
	for (i = km->n; i-- > 0;)
		if (km->e[i].key == k)
			keymap_remove(km, i);
	return 0;
}

void
keymap_readonly(struct keymap *km)
{
	size_t i;

	for (i = km->n; i-- > 0;)
		if (km->acts[km->e[i].action].flags & ACTION_MUTATES)
			keymap_remove(km, i);
}

/* Whether entries a and b collide: one key, two actions, same level. */
static int
keymap_collide(const struct keymap *km, const struct keymap_entry *a,
    const struct keymap_entry *b)
{
	unsigned ca = km->acts[a->action].ctx, cb = km->acts[b->action].ctx;

	if (a->key != b->key || a->action == b->action)
		return 0;
	if ((ca == ACTION_CTX_GLOBAL) != (cb == ACTION_CTX_GLOBAL))
		return 0;
	return keymap_overlap(km, ca, cb);
}

int
keymap_check(const struct keymap *km, char **cause)
{
	char kname[KEYS_NAME_MAX];
	struct buf b;
	size_t i, j;

	*cause = NULL;
	buf_init(&b, 64 * 1024);
	for (i = 0; i < km->n; i++)
		for (j = i + 1; j < km->n; j++)
			if (keymap_collide(km, &km->e[i], &km->e[j]))
				buf_printf(&b, "%s%s runs both %s and %s",
				    b.len ? "; " : "",
				    keys_name(km->e[i].key, kname,
				        sizeof(kname)),
				    km->acts[km->e[i].action].name,
				    km->acts[km->e[j].action].name);
	if (b.len == 0) {
		buf_done(&b);
		return 0;
	}
	*cause = buf_take(&b);
	return GQ_EEXIST;
}

int
keymap_lookup(const struct keymap *km, unsigned ctx, int key)
{
	int global = -1;
	unsigned actx;
	size_t i;

	for (i = 0; i < km->n; i++) {
		if (km->e[i].key != key)
			continue;
		actx = km->acts[km->e[i].action].ctx;
		if (actx == ACTION_CTX_GLOBAL) {
			if (global < 0)
				global = km->e[i].action;
		} else if (actx & ctx)
			return km->e[i].action;
	}
	return global;
}

size_t
keymap_keys(const struct keymap *km, int action, int *keys, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < km->n && n < max; i++)
		if (km->e[i].action == action)
			keys[n++] = km->e[i].key;
	return n;
}

void
keymap_keys_text(const struct keymap *km, int action, struct buf *b)
{
	char name[KEYS_NAME_MAX];
	int keys[16];
	size_t i, n;

	n = keymap_keys(km, action, keys, 16);
	if (n == 0)
		buf_addstr(b, "-");
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? " " : "",
		    keys_name(keys[i], name, sizeof(name)));
}
