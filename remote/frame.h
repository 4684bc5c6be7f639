/*
 * NDJSON framing: splits a byte stream into lines of at most max bytes.
 * Pure; no I/O.
 */
#ifndef GPUQ_FRAME_H
#define GPUQ_FRAME_H

#include <stddef.h>

#include "core/base/buf.h"

#define FRAME_DEFAULT_MAX (1024 * 1024)
#define FRAME_FEED_CHUNK  (64 * 1024)

struct frame_reader {
	struct buf buf;  /* unconsumed input */
	size_t pos;      /* start of the next line in buf */
	size_t line;     /* start of the partial line in buf */
	size_t max_line; /* longest line accepted, without its newline */
	int discarding;  /* inside a line that was too long */
};

void frame_reader_init(struct frame_reader *fr, size_t max_line);
void frame_reader_done(struct frame_reader *fr);
/*
 * Appends input and returns how many of the n bytes it took: it stops once
 * FRAME_FEED_CHUNK bytes of complete lines are buffered, so the caller
 * drains them with frame_reader_next and feeds the rest.  Overlong lines
 * are dropped as they arrive and reported in their place.
 */
size_t frame_reader_feed(struct frame_reader *fr, const void *p, size_t n);
/*
 * Takes the next complete line.  Returns 1 and sets *line (borrowed until
 * the next call to feed or next; NUL-terminated, newline and a trailing CR
 * removed) and *len; 0 when no complete line is buffered; GQ_ETOOBIG once
 * for each line that exceeded max_line (its bytes are dropped).
 */
int frame_reader_next(struct frame_reader *fr, const char **line, size_t *len);
/* Bytes buffered that are not yet a complete line. */
size_t frame_reader_pending(const struct frame_reader *fr);

#endif
