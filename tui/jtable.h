/*
 * A table from a daemon reply whose shape gpuq does not know yet: the
 * first array of objects in the result becomes rows, and the scalar
 * members of its objects become columns (in the order first seen).  The
 * Projects and Sweeps views use it until they get views of their own
 * design.  Pure.
 */
#ifndef GPUQ_JTABLE_H
#define GPUQ_JTABLE_H

#include <stddef.h>

#include <jansson.h>

#define JTABLE_MAX_COLS 16
#define JTABLE_MAX_ROWS 10000
#define JTABLE_CELL_MAX 128

struct jtable {
	char *name; /* the result member the rows came from, owned */
	char *cols[JTABLE_MAX_COLS];
	size_t ncols;
	char **cells; /* nrows * ncols, owned */
	size_t nrows;
};

/* Builds t from result.  Returns 0, or -1 when it holds no such array. */
int jtable_build(struct jtable *t, const json_t *result);
void jtable_done(struct jtable *t);
/* Cell (r, c), never NULL. */
const char *jtable_cell(const struct jtable *t, size_t r, size_t c);

#endif
