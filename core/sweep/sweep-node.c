/*
 * The tree both file formats load into, and the error list of a load.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

struct snode *
snode_new(struct sload *ld, enum snode_kind kind, int line)
{
	struct snode *n;

	if (ld->nodes >= SWEEP_MAX_NODES) {
		if (ld->nodes++ == SWEEP_MAX_NODES)
			sload_error(ld, line, NULL, "more than %d nodes",
			    SWEEP_MAX_NODES);
		return NULL;
	}
	ld->nodes++;
	n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->line = line;
	return n;
}

void
snode_free(struct snode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		snode_free(n->kids[i]);
		if (n->keys != NULL)
			free(n->keys[i]);
	}
	free(n->kids);
	free(n->keys);
	free(n->keylines);
	free(n->s);
	free(n);
}

void
snode_add(struct snode *p, const char *key, int keyline, struct snode *kid)
{
	if (p->n == p->cap) {
		p->cap = p->cap != 0 ? p->cap * 2 : 8;
		p->kids = xreallocarray(p->kids, p->cap, sizeof(*p->kids));
		if (p->kind == SNODE_MAP) {
			p->keys =
			    xreallocarray(p->keys, p->cap, sizeof(*p->keys));
			p->keylines = xreallocarray(p->keylines, p->cap,
			    sizeof(*p->keylines));
		}
	}
	if (p->kind == SNODE_MAP) {
		p->keys[p->n] = xstrdup(key);
		p->keylines[p->n] = keyline;
	}
	p->kids[p->n++] = kid;
}

struct snode *
snode_get(const struct snode *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != SNODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0)
			return map->kids[i];
	return NULL;
}

const char *
snode_kind_name(enum snode_kind k)
{
	static const char *const names[] = { "a mapping", "a list", "a string",
		"an integer", "a number", "a boolean", "null" };

	return names[k];
}

int
snode_number(const struct snode *n, double *d)
{
	if (n->kind == SNODE_INT) {
		*d = (double)n->i;
		return 1;
	}
	if (n->kind == SNODE_FLOAT) {
		*d = n->f;
		return 1;
	}
	return 0;
}

int
sload_error(struct sload *ld, int line, const char *key, const char *fmt, ...)
{
	va_list ap;
	char why[512];

	if (ld->nerrs++ >= SWEEP_MAX_ERRORS)
		return GQ_EINVAL;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (ld->errs->len != 0)
		buf_addstr(ld->errs, "\n");
	if (key != NULL && *key != '\0')
		buf_printf(ld->errs, "%s:%d: %s: %s", ld->name, line, key, why);
	else
		buf_printf(ld->errs, "%s:%d: %s", ld->name, line, why);
	return GQ_EINVAL;
}

static size_t
sweep_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, tmp;
	size_t row[SWEEP_MAX_NAME + 1];

	if (la > SWEEP_MAX_NAME || lb > SWEEP_MAX_NAME)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *
sweep_did_you_mean(const char *word, const char *const *names)
{
	const char *best = NULL;
	size_t d, bestd = 3;

	for (; *names != NULL; names++) {
		d = sweep_edit_distance(word, *names);
		if (d < bestd) {
			bestd = d;
			best = *names;
		}
	}
	return best;
}
