/*
 * Small string helpers shared by the config and theme readers.
 */
#ifndef GPUQ_STR_H
#define GPUQ_STR_H

#include <stddef.h>

#include "core/base/buf.h"

/*
 * Splits line in place into at most max words separated by blanks; a '#'
 * at the start of a word ends the line.  Returns the count, or -1 when the
 * line has more than max words.  w[i] point into line.
 */
int str_words(char *line, char **w, int max);

/*
 * Calls fn for each line of text (len bytes, newline-separated; a CR before
 * the newline is dropped) with the line NUL-terminated and writable.  A
 * line of max_line bytes or more, or one holding a NUL byte, is an error
 * without a call.  fn returns 0 (any *why it
 * set is ignored), or nonzero with a reason in *why.  Each
 * error is added to errs as "name:LINE: why".  Returns the count of bad
 * lines.
 */
int str_each_line(const char *name, const char *text, size_t len,
    size_t max_line,
    int (*fn)(char *line, int lineno, const char **why, void *arg), void *arg,
    struct buf *errs);

#endif
