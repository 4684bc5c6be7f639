/*
 * A job's log as a terminal would show it: bytes in, lines out.  A
 * carriage return moves back to the start of the line, so a progress bar
 * drawn with \r ends as its last state; backspace, tabs and the erase-line
 * and cursor-column escape sequences work as in a terminal; colour and
 * other escape sequences are dropped; bytes that are not UTF-8 become
 * U+FFFD.  Pure.
 */
#ifndef GPUQ_LOGBUF_H
#define GPUQ_LOGBUF_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/buf.h"

#define LOGBUF_MAX_COLS   4096 /* a longer line wraps, as at a terminal */
#define LOGBUF_CSI_MAX    32
#define LOGBUF_CSI_GIVEUP 1024 /* escape-sequence bytes before giving up */

struct logbuf {
	char **lines; /* ring of finished lines, owned */
	size_t max, head, n;
	size_t dropped;  /* finished lines pushed out of the ring */
	uint32_t *cells; /* the line being written: one code point a column */
	size_t ncells, col;
	int esc; /* escape parser state */
	char csi[LOGBUF_CSI_MAX];
	size_t ncsi;
	unsigned char u8[5]; /* a sequence and its NUL */
	int nu8, need;
	struct buf cur; /* the current line as text, for logbuf_line */
	unsigned gen;   /* bumped on every change */
	unsigned cur_gen;
};

/* A buffer that keeps at most max_lines finished lines. */
void logbuf_init(struct logbuf *lb, size_t max_lines);
void logbuf_done(struct logbuf *lb);
void logbuf_clear(struct logbuf *lb);

/* Feeds n bytes of log output. */
void logbuf_feed(struct logbuf *lb, const char *p, size_t n);

/* Lines to show: the finished ones, and the current one if not empty. */
size_t logbuf_count(const struct logbuf *lb);
/* Line i (0 is the oldest kept), UTF-8; borrowed until the next change. */
const char *logbuf_line(struct logbuf *lb, size_t i);

/*
 * The next line after from (dir 1) or before it (dir -1) that contains
 * needle, ignoring ASCII case; wraps around.  Returns its index, or -1.
 */
long logbuf_find(struct logbuf *lb, const char *needle, size_t from, int dir);

#endif
