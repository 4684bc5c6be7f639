/*
 * Column layout for tables on a screen of any width: columns have a
 * minimum and a wanted width and a priority; when the screen is narrow,
 * the lowest-priority columns go first.  Pure.
 */
#ifndef GPUQ_LAYOUT_H
#define GPUQ_LAYOUT_H

#include <stddef.h>

#define LAYOUT_MAX_COLS 64

struct layout_col {
	int min;  /* narrowest useful width (> 0) */
	int want; /* the width its content wants (>= min) */
	int prio; /* higher stays longer */
};

/*
 * Fills w[0..n-1] with the width of each column (0 when hidden) for a row
 * width columns wide with gap columns between visible columns.  Columns
 * are placed by priority: each at its wanted width if it fits, else at
 * its minimum; the first that fits neither way is hidden with every
 * column of lower priority.  Room left goes to the columns placed at
 * their minimum, by priority.  At most LAYOUT_MAX_COLS columns.  Returns
 * the width the visible columns and gaps take (at most width).
 */
int layout_columns(const struct layout_col *c, size_t n, int width, int gap,
    int *w);

/*
 * The first row to show so that row sel is visible in a window of rows
 * lines that showed top before (scrolls as little as possible).
 */
size_t layout_scroll(size_t top, size_t sel, size_t nrows, int rows);

#endif
