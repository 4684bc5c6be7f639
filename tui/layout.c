#include <string.h>

#include "tui/layout.h"

/* Column indexes by priority, highest first (ties: leftmost first). */
static void
layout_order(const struct layout_col *c, size_t n, size_t *order)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && c[order[j - 1]].prio < c[i].prio; j--)
			;
		for (k = i; k > j; k--)
			order[k] = order[k - 1];
		order[j] = i;
	}
}

int
layout_columns(const struct layout_col *c, size_t n, int width, int gap, int *w)
{
	size_t order[LAYOUT_MAX_COLS], i, k;
	int used = 0, vis = 0, g, add;

	if (n > LAYOUT_MAX_COLS)
		n = LAYOUT_MAX_COLS;
	memset(w, 0, n * sizeof(*w));
	layout_order(c, n, order);
	/* By priority: the wanted width, else the minimum, else stop. */
	for (k = 0; k < n; k++) {
		i = order[k];
		g = vis ? gap : 0;
		if (used + g + c[i].want <= width)
			w[i] = c[i].want;
		else if (used + g + c[i].min <= width)
			w[i] = c[i].min;
		else
			break;
		used += g + w[i];
		vis++;
	}
	/* Room left goes to the columns that got less, by priority. */
	for (k = 0; k < n && used < width; k++) {
		i = order[k];
		if (w[i] == 0 || w[i] >= c[i].want)
			continue;
		add = c[i].want - w[i];
		if (add > width - used)
			add = width - used;
		w[i] += add;
		used += add;
	}
	return used;
}

size_t
layout_scroll(size_t top, size_t sel, size_t nrows, int rows)
{
	size_t r = rows > 0 ? (size_t)rows : 1;

	if (nrows <= r)
		return 0;
	if (top > nrows - r)
		top = nrows - r;
	if (sel < top)
		return sel;
	if (sel >= top + r)
		return sel - r + 1;
	return top;
}
