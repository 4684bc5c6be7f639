/*
 * A growable byte buffer with a hard maximum size.
 *
 * The buffer owns its data.  Appends past max fail with GQ_ETOOBIG and
 * leave the buffer unchanged.  data is always NUL-terminated (the NUL is
 * not counted in len) so text can be used in place.
 */
#ifndef GPUQ_BUF_H
#define GPUQ_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void buf_init(struct buf *b, size_t max);
void buf_done(struct buf *b);
void buf_reset(struct buf *b);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addstr(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Drops the first n bytes. */
void buf_consume(struct buf *b, size_t n);
/* Hands the data out (caller frees) and resets the buffer. */
char *buf_take(struct buf *b);

#endif
