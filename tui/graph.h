/*
 * Meters and history graphs as text, for the GPU and node views: bars
 * like nvtop's `[|||||      45%]` and one-row graphs drawn in braille
 * (two samples a cell), blocks (one sample a cell, eight levels) or ASCII,
 * by what the terminal can show.  Pure: they write UTF-8 into buffers.
 */
#ifndef GPUQ_GRAPH_H
#define GPUQ_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/buf.h"

enum graph_mode { GRAPH_BRAILLE, GRAPH_BLOCK, GRAPH_ASCII };

/* Samples one graph of width cells shows in mode. */
size_t graph_samples(enum graph_mode mode, int width);

/*
 * Appends a graph of the last samples of v (n values, 0..100, oldest
 * first) to b, exactly width cells wide; older cells are blank when there
 * are too few samples.
 */
void graph_spark(struct buf *b, enum graph_mode mode, const uint8_t *v,
    size_t n, int width);

/*
 * Row `row` (0 is the top) of the same graph `rows` rows high: each
 * column's level spans the rows, and this row shows the part of it that
 * falls here (full cells below the top of the level, a partial cell at
 * it, blank above).  rows 1 is graph_spark.
 */
void graph_spark_row(struct buf *b, enum graph_mode mode, const uint8_t *v,
    size_t n, int width, int rows, int row);

/*
 * A bar `[||||||    label]` width columns wide (brackets included; at
 * least 3): frac (0..1) of the inside filled with '|', label right-aligned
 * inside over the bar.  Writes it into out (n bytes) and returns the
 * number of filled cells (they start at column 1).
 */
int graph_bar(char *out, size_t n, int width, double frac, const char *label);

/*
 * An allocation meter width cells wide: frac filled with full blocks and
 * the rest with light shade (`████░░░░`), or `####....` without UTF-8.
 */
void graph_alloc(struct buf *b, int width, double frac, int utf8);

#endif
