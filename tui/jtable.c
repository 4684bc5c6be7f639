#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "tui/jtable.h"

static void
jtable_scalar(const json_t *v, char *out, size_t n)
{
	if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.3g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", json_is_true(v) ? "yes" : "no");
	else
		out[0] = '\0';
}

/* jansson's iteration macros take a non-const object. */
static json_t *
jtable_unconst(const json_t *v)
{
	union {
		const json_t *c;
		json_t *m;
	} u;

	u.c = v;
	return u.m;
}

static int
jtable_is_scalar(const json_t *v)
{
	return json_is_string(v) || json_is_number(v) || json_is_boolean(v);
}

static void
jtable_columns(struct jtable *t, const json_t *rows)
{
	const char *key;
	json_t *row, *v;
	size_t i, k;

	json_array_foreach(rows, i, row) {
		if (i >= 64)
			break;
		json_object_foreach(jtable_unconst(row), key, v) {
			if (!jtable_is_scalar(v))
				continue;
			for (k = 0; k < t->ncols; k++)
				if (strcmp(t->cols[k], key) == 0)
					break;
			if (k == t->ncols && t->ncols < JTABLE_MAX_COLS)
				t->cols[t->ncols++] = xstrndup(key, 64);
		}
	}
}

int
jtable_build(struct jtable *t, const json_t *result)
{
	const char *key;
	json_t *v, *rows = NULL, *row;
	char cell[JTABLE_CELL_MAX];
	size_t i, k, n;

	memset(t, 0, sizeof(*t));
	json_object_foreach(jtable_unconst(result), key, v) {
		if (json_is_array(v) && json_is_object(json_array_get(v, 0))) {
			rows = v;
			t->name = xstrndup(key, 64);
			break;
		}
	}
	if (rows == NULL)
		return -1;
	jtable_columns(t, rows);
	n = json_array_size(rows);
	t->nrows = n > JTABLE_MAX_ROWS ? JTABLE_MAX_ROWS : n;
	t->cells = xcalloc(t->nrows * t->ncols + 1, sizeof(*t->cells));
	for (i = 0; i < t->nrows; i++) {
		row = json_array_get(rows, i);
		for (k = 0; k < t->ncols; k++) {
			jtable_scalar(json_object_get(row, t->cols[k]), cell,
			    sizeof(cell));
			t->cells[i * t->ncols + k] = xstrdup(cell);
		}
	}
	return 0;
}

void
jtable_done(struct jtable *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->name);
	memset(t, 0, sizeof(*t));
}

const char *
jtable_cell(const struct jtable *t, size_t r, size_t c)
{
	if (r >= t->nrows || c >= t->ncols ||
	    t->cells[r * t->ncols + c] == NULL)
		return "";
	return t->cells[r * t->ncols + c];
}
