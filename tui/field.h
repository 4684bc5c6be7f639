/*
 * A one-line text field with readline keys: Ctrl-A/Ctrl-E (start/end),
 * Ctrl-U (erase to start), Ctrl-K (erase to end), Ctrl-W (erase word),
 * Left/Right, Home/End, Backspace, Del.  Every printable key types, so a
 * field never leaks `q` or `j` as a command.  Pure.
 */
#ifndef GPUQ_FIELD_H
#define GPUQ_FIELD_H

#include <stddef.h>

#define FIELD_MAX 1024

struct field {
	char text[FIELD_MAX]; /* UTF-8, NUL-terminated */
	size_t len;           /* bytes */
	size_t cur;           /* cursor, a byte offset at a character start */
};

void field_set(struct field *f, const char *text);
/* Handles a key; returns 1 when the field used it, 0 when not its key. */
int field_key(struct field *f, int key);
/* Display columns before the cursor. */
size_t field_cursor_col(const struct field *f);

#endif
