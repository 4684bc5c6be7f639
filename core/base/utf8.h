/*
 * UTF-8 checks for text that goes into JSON: logs, names.
 */
#ifndef GPUQ_UTF8_H
#define GPUQ_UTF8_H

#include <stddef.h>

#include "core/base/buf.h"

/*
 * Copies in to out, replacing each byte that does not start a valid UTF-8
 * sequence with U+FFFD.  When final is 0, an incomplete sequence at the end
 * is left unconsumed, so the next read can finish it.  Returns how many
 * bytes of in were consumed.  NUL bytes become U+FFFD too.
 */
size_t utf8_sanitize(const char *in, size_t n, int final, struct buf *out);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid;
 * -1 if it is valid so far but cut off by the end (n). */
int utf8_seq_len(const unsigned char *s, size_t n);

#endif
