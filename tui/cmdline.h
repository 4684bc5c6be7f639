/*
 * Pure helpers for what is typed at the bottom line: splitting a :command
 * into its name and argument, completing a word from candidates, and
 * splitting a command line into argv the way a shell reads quotes (for
 * display and the submit form; nothing is ever run through a shell).
 */
#ifndef GPUQ_CMDLINE_H
#define GPUQ_CMDLINE_H

#include <stddef.h>

#include <jansson.h>

#include "core/base/buf.h"
#include "tui/field.h"

#define CMDLINE_MAX_ARGV 4096

/*
 * Copies the first word of line into cmd (ncmd bytes) and points *rest at
 * the rest, leading blanks skipped.
 */
void cmdline_split(const char *line, char *cmd, size_t ncmd, const char **rest);

/*
 * Completes the last word of f (the cursor moves to the end) from cands:
 * extends it to the candidates' longest common prefix, and adds a space
 * when one candidate is left.  The matching candidates are appended to
 * shown, separated by spaces.  Returns how many matched.
 */
size_t cmdline_complete(struct field *f, const char *const *cands, size_t n,
    struct buf *shown);

/*
 * Splits s into words: blanks separate, '...' quotes literally, "..."
 * quotes with \" and \\ escapes, a backslash outside quotes escapes the
 * next character.  Returns a new array of strings, or NULL with *why
 * (static) for an unfinished quote or too many words.
 */
json_t *cmdline_argv(const char *s, const char **why);

#endif
