/*
 * Pure formatting for the gpuq client: table cells (ages, GPUs, states,
 * where a job runs or why it waits), display widths of UTF-8 text,
 * shell quoting of argv for display, and a small text table.
 *
 * Nothing here reads the clock, the environment or a file: the current
 * time comes in as an argument.  Text that came from the daemon may hold
 * anything another user typed, so every cell is made safe for a terminal
 * (control characters become '?').
 */
#ifndef GPUQ_FMT_H
#define GPUQ_FMT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/base/buf.h"

#define FMT_CELL_MAX 256 /* bytes of one table cell, NUL included */

/*
 * Display columns of a UTF-8 string: wide (East Asian, emoji) characters
 * count two, combining marks zero, an invalid byte one.
 */
size_t fmt_width(const char *s);

/* Columns a printable code point takes: 0, 1 or 2. */
size_t fmt_cp_width(long cp);

/*
 * Decodes the UTF-8 character at s (NUL-terminated).  Returns the bytes
 * it takes (an invalid sequence is one byte with *cp set to -1).
 */
size_t fmt_utf8_decode(const char *s, long *cp);

/*
 * Copies s into out (n bytes) as a cell at most maxw columns wide:
 * control characters become '?', and a longer text is cut at a character
 * boundary and ends in "…".  maxw 0 means no limit (only n bounds it).
 * Returns out.
 */
char *fmt_cell(const char *s, size_t maxw, char *out, size_t n);

/* Appends s made safe for a terminal (control characters become '?'). */
int fmt_safe(struct buf *b, const char *s);

/* Milli-units (GPUs, CPUs) from a JSON number, rounded to 1/1000. */
int32_t fmt_milli(const json_t *num);

/*
 * What a job asked for, as a GPUS cell: "2", "0.5", "20G" for a GPU
 * memory request, "0" for a CPU-only job.  request is the job's
 * "request" object.
 */
char *fmt_job_gpus(const json_t *request, char *out, size_t n);

/*
 * The TIME cell: the wait so far for a pending job, the runtime for a
 * running one (up to now) or a finished one, "-" for a job that ended
 * without starting.
 */
char *fmt_job_time(const json_t *job, int64_t now, char *out, size_t n);

/*
 * The WHERE/WHY cell: "gpu01:0,1" for a running job, the wait reason and
 * queue position ("RESOURCES #3") for a pending one, the reason or the
 * exit status ("exit 3", "signal KILL") for a finished one.
 */
char *fmt_job_where(const json_t *job, char *out, size_t n);

/* "exit 3", "signal KILL" or "" from a job's exit_code/exit_signal. */
char *fmt_job_exit(const json_t *job, char *out, size_t n);

/* A signal's short name ("KILL"), or its number as text. */
char *fmt_signal(int sig, char *out, size_t n);

/*
 * The canonical state name for what a user typed ("running", "R" is not
 * accepted): "RUNNING", or NULL when it is no state.  Returns a static
 * string.
 */
const char *fmt_state_parse(const char *s);

/* A share bar: "[#####.....]" for 0.5 with width 10. */
char *fmt_bar(double share, int width, char *out, size_t n);

/*
 * Lower-case words for an error code as a user reads them ("not found",
 * "permission denied").  Returns a static string.
 */
const char *fmt_err_text(int code);

/*
 * Appends one argument quoted for a POSIX shell, for display: bare when
 * it is made of safe characters, in single quotes otherwise, and as
 * $'...' with escapes when it holds control characters, so a terminal
 * never receives them.
 */
int fmt_shell_quote(struct buf *b, const char *arg);
/* Appends a JSON array of strings quoted and separated by spaces. */
int fmt_argv(struct buf *b, const json_t *argv);

/*
 * A text table: columns sized to their widest cell (after each column's
 * limit), two spaces apart, the last column not padded.
 */
struct fmt_table {
	size_t ncols;
	size_t nrows;         /* rows, the header included */
	char **cells;         /* nrows * ncols, owned */
	size_t *maxw;         /* per column: 0 or a width limit */
	unsigned char *right; /* per column: right-aligned */
};

/* Starts a table with its header row (ncols strings). */
void fmt_table_init(struct fmt_table *t, size_t ncols,
    const char *const *header);
void fmt_table_done(struct fmt_table *t);
/* Limits a column to maxw display columns; right-aligns it if right. */
void fmt_table_column(struct fmt_table *t, size_t col, size_t maxw, int right);
/* Adds a row of ncols strings (copied and made safe at render time). */
void fmt_table_add(struct fmt_table *t, const char *const *row);
/* Appends the table, one line per row, to b. */
int fmt_table_render(const struct fmt_table *t, struct buf *b);

#endif
