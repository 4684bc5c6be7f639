#include <stdio.h>
#include <string.h>

#include "tui/graph.h"

static const char *const graph_blocks[9] = { " ", "\xe2\x96\x81",
	"\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85",
	"\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
static const char graph_ascii[] = " .:-=#";

/* Braille dots from the bottom up: left column, then right column. */
static const unsigned graph_dots[2][4] = { { 0x40, 0x04, 0x02, 0x01 },
	{ 0x80, 0x20, 0x10, 0x08 } };

size_t
graph_samples(enum graph_mode mode, int width)
{
	if (width <= 0)
		return 0;
	return mode == GRAPH_BRAILLE ? (size_t)width * 2 : (size_t)width;
}

/* A sample's level out of max: 0 only for 0, max only for 100. */
static int
graph_level(int v, int max)
{
	int l;

	if (v <= 0)
		return 0;
	if (v >= 100)
		return max;
	l = (v * max + 50) / 100;
	return l < 1 ? 1 : l >= max ? max - 1 : l;
}

static void
graph_braille(struct buf *b, int a, int c)
{
	unsigned bits = 0, cp;
	char u[4];
	int i;

	for (i = 0; i < graph_level(a, 4); i++)
		bits |= graph_dots[0][i];
	for (i = 0; i < graph_level(c, 4); i++)
		bits |= graph_dots[1][i];
	cp = 0x2800 + bits;
	u[0] = (char)(0xe0 | (cp >> 12));
	u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[2] = (char)(0x80 | (cp & 0x3f));
	buf_add(b, u, 3);
}

/* Sample k of the window (may be before the first: -1). */
static int
graph_at(const uint8_t *v, size_t n, size_t want, size_t k)
{
	if (n >= want)
		return v[n - want + k];
	if (k < want - n)
		return -1;
	return v[k - (want - n)];
}

void
graph_spark(struct buf *b, enum graph_mode mode, const uint8_t *v, size_t n,
    int width)
{
	size_t want = graph_samples(mode, width), k;
	int s, t;

	for (k = 0; k < want; k += mode == GRAPH_BRAILLE ? 2 : 1) {
		s = graph_at(v, n, want, k);
		if (mode == GRAPH_BRAILLE) {
			t = graph_at(v, n, want, k + 1);
			if (s < 0 && t < 0)
				buf_addstr(b, " ");
			else
				graph_braille(b, s < 0 ? 0 : s, t < 0 ? 0 : t);
		} else if (mode == GRAPH_BLOCK)
			buf_addstr(b,
			    s < 0 ? " " : graph_blocks[graph_level(s, 8)]);
		else
			buf_add(b, &graph_ascii[s < 0 ? 0 : graph_level(s, 5)],
			    1);
	}
}

/* The part of a level (of rows * per) that falls in row (0 the top). */
static int
graph_part(int v, int rows, int row, int per)
{
	int l, base;

	if (v < 0)
		return -1;
	l = graph_level(v, rows * per);
	base = (rows - 1 - row) * per;
	return l <= base ? 0 : l - base >= per ? per : l - base;
}

static void
graph_braille_part(struct buf *b, int a, int c)
{
	unsigned bits = 0, cp;
	char u[4];
	int i;

	for (i = 0; i < a; i++)
		bits |= graph_dots[0][i];
	for (i = 0; i < c; i++)
		bits |= graph_dots[1][i];
	cp = 0x2800 + bits;
	u[0] = (char)(0xe0 | (cp >> 12));
	u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[2] = (char)(0x80 | (cp & 0x3f));
	buf_add(b, u, 3);
}

void
graph_spark_row(struct buf *b, enum graph_mode mode, const uint8_t *v, size_t n,
    int width, int rows, int row)
{
	static const char ascii[] = " .:#";
	size_t want = graph_samples(mode, width), k;
	int s, t;

	if (rows <= 1) {
		graph_spark(b, mode, v, n, width);
		return;
	}
	for (k = 0; k < want; k += mode == GRAPH_BRAILLE ? 2 : 1) {
		s = graph_part(graph_at(v, n, want, k), rows, row,
		    mode == GRAPH_BRAILLE   ? 4 :
		        mode == GRAPH_BLOCK ? 8 :
		                              3);
		if (mode == GRAPH_BRAILLE) {
			t = graph_part(graph_at(v, n, want, k + 1), rows, row,
			    4);
			if (s < 0 && t < 0)
				buf_addstr(b, " ");
			else
				graph_braille_part(b, s < 0 ? 0 : s,
				    t < 0 ? 0 : t);
		} else if (mode == GRAPH_BLOCK)
			buf_addstr(b, s <= 0 ? " " : graph_blocks[s]);
		else
			buf_add(b, &ascii[s <= 0 ? 0 : s], 1);
	}
}

int
graph_bar(char *out, size_t n, int width, double frac, const char *label)
{
	int inner = width - 2, fill, i, llen = (int)strlen(label), start;

	if (width < 3 || n < (size_t)width + 1) {
		if (n > 0)
			out[0] = '\0';
		return 0;
	}
	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * inner + 0.5);
	if (frac > 0 && fill == 0)
		fill = 1;
	out[0] = '[';
	for (i = 0; i < inner; i++)
		out[1 + i] = i < fill ? '|' : ' ';
	out[width - 1] = ']';
	out[width] = '\0';
	if (llen > inner)
		llen = inner;
	start = 1 + inner - llen;
	for (i = 0; i < llen; i++)
		out[start + i] =
		    label[i] >= 0x20 && label[i] < 0x7f ? label[i] : '?';
	return fill;
}

void
graph_alloc(struct buf *b, int width, double frac, int utf8)
{
	int fill, i;

	if (width <= 0)
		return;
	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * width + 0.5);
	if (frac > 0 && fill == 0)
		fill = 1;
	if (frac < 1 && fill == width && width > 1)
		fill = width - 1;
	for (i = 0; i < width; i++)
		if (utf8)
			buf_addstr(b,
			    i < fill ? "\xe2\x96\x88" : "\xe2\x96\x91");
		else
			buf_addstr(b, i < fill ? "#" : ".");
}
