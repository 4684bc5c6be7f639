#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"

#define FMT_ELLIPSIS "\xe2\x80\xa6" /* U+2026, one column */

/* One character of a UTF-8 string, as a terminal would show it. */
struct fmt_char {
	long cp;      /* the code point, or -1 for an invalid byte */
	size_t len;   /* bytes it takes in the source */
	size_t width; /* columns it takes once made safe */
	int ctrl;     /* a control character or an invalid byte */
};

/* Decodes the code point at s; an invalid sequence is one byte, cp -1. */
static size_t
fmt_decode(const unsigned char *s, long *cp)
{
	size_t len, i;
	long v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, v = s[0] & 0x1f, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3, v = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, v = s[0] & 0x07, min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return len;
}

static int
fmt_in(long cp, const long (*r)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cp >= r[i][0] && cp <= r[i][1])
			return 1;
	return 0;
}

size_t
fmt_cp_width(long cp)
{
	static const long zero[][2] = { { 0x0300, 0x036f }, { 0x0483, 0x0489 },
		{ 0x0591, 0x05bd }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
		{ 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f } };
	static const long wide[][2] = { { 0x1100, 0x115f }, { 0x2e80, 0x303e },
		{ 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },
		{ 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
		{ 0xfe30, 0xfe4f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 },
		{ 0x1f300, 0x1f64f }, { 0x1f680, 0x1f6ff },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd },
		{ 0x30000, 0x3fffd } };

	if (fmt_in(cp, zero, sizeof(zero) / sizeof(zero[0])))
		return 0;
	if (fmt_in(cp, wide, sizeof(wide) / sizeof(wide[0])))
		return 2;
	return 1;
}

size_t
fmt_utf8_decode(const char *s, long *cp)
{
	return fmt_decode((const unsigned char *)s, cp);
}

static void
fmt_next(const char *s, struct fmt_char *c)
{
	c->len = fmt_decode((const unsigned char *)s, &c->cp);
	c->ctrl = c->cp < 0x20 || (c->cp >= 0x7f && c->cp <= 0x9f);
	c->width = c->ctrl ? 1 : fmt_cp_width(c->cp);
}

size_t
fmt_width(const char *s)
{
	struct fmt_char c;
	size_t w = 0;

	for (; *s != '\0'; s += c.len) {
		fmt_next(s, &c);
		w += c.width;
	}
	return w;
}

/*
 * Copies the safe form of s into out while it stays within maxw columns
 * and room bytes (NUL excluded).  Returns the bytes written; *all says
 * whether the whole of s was copied.
 */
static size_t
fmt_copy(const char *s, size_t maxw, size_t room, char *out, int *all)
{
	struct fmt_char c;
	size_t w = 0, off = 0, len;

	for (; *s != '\0'; s += c.len) {
		fmt_next(s, &c);
		len = c.ctrl ? 1 : c.len;
		if (w + c.width > maxw || off + len > room) {
			*all = 0;
			return off;
		}
		if (c.ctrl)
			out[off] = '?';
		else
			memcpy(out + off, s, len);
		off += len;
		w += c.width;
	}
	*all = 1;
	return off;
}

char *
fmt_cell(const char *s, size_t maxw, char *out, size_t n)
{
	size_t off;
	int all;

	if (n == 0)
		return out;
	if (maxw == 0)
		maxw = (size_t)-1;
	off = fmt_copy(s, maxw, n - 1, out, &all);
	if (!all) {
		off = 0;
		if (maxw > 1 && n > sizeof(FMT_ELLIPSIS))
			off = fmt_copy(s, maxw - 1, n - sizeof(FMT_ELLIPSIS),
			    out, &all);
		if (n > off + strlen(FMT_ELLIPSIS)) {
			memcpy(out + off, FMT_ELLIPSIS, strlen(FMT_ELLIPSIS));
			off += strlen(FMT_ELLIPSIS);
		}
	}
	out[off] = '\0';
	return out;
}

int
fmt_safe(struct buf *b, const char *s)
{
	struct fmt_char c;
	int rc = 0;

	for (; *s != '\0' && rc == 0; s += c.len) {
		fmt_next(s, &c);
		rc = c.ctrl ? buf_add(b, "?", 1) : buf_add(b, s, c.len);
	}
	return rc;
}

int32_t
fmt_milli(const json_t *num)
{
	double v = json_number_value(num);

	if (!(v > 0))
		return 0;
	if (v > 1e6)
		return 1000000000;
	return (int32_t)llround(v * 1000.0);
}

char *
fmt_job_gpus(const json_t *request, char *out, size_t n)
{
	json_int_t mem =
	    json_integer_value(json_object_get(request, "gpu_mem_mb"));
	int32_t milli = fmt_milli(json_object_get(request, "gpus"));

	if (mem > 0)
		return units_fmt_mem_mb(mem, out, n);
	return units_fmt_gpus(milli, out, n);
}

static int64_t
fmt_int(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static const char *
fmt_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "";
}

char *
fmt_job_time(const json_t *job, int64_t now, char *out, size_t n)
{
	const char *state = fmt_str(job, "state");
	int64_t submit = fmt_int(job, "submit_time");
	int64_t start = fmt_int(job, "start_time");
	int64_t end = fmt_int(job, "end_time");

	if (strcmp(state, "PENDING") == 0 && submit > 0)
		return units_fmt_duration(now - submit, out, n);
	if (start <= 0)
		return fmt_cell("-", 0, out, n);
	if (strcmp(state, "RUNNING") == 0)
		return units_fmt_duration(now - start, out, n);
	if (end <= 0)
		return fmt_cell("-", 0, out, n);
	return units_fmt_duration(end - start, out, n);
}

char *
fmt_signal(int sig, char *out, size_t n)
{
	const char *name = sig > 0 ? sigabbrev_np(sig) : NULL;

	if (name != NULL)
		snprintf(out, n, "%s", name);
	else
		snprintf(out, n, "%d", sig);
	return out;
}

char *
fmt_job_exit(const json_t *job, char *out, size_t n)
{
	const json_t *code = json_object_get(job, "exit_code");
	const json_t *sig = json_object_get(job, "exit_signal");
	char name[32];

	if (json_is_integer(sig) && json_integer_value(sig) > 0) {
		fmt_signal((int)json_integer_value(sig), name, sizeof(name));
		snprintf(out, n, "signal %s", name);
	} else if (json_is_integer(code) && json_integer_value(code) >= 0) {
		snprintf(out, n, "exit %lld",
		    (long long)json_integer_value(code));
	} else if (n > 0) {
		out[0] = '\0';
	}
	return out;
}

/* "gpu01:0,1" from an alloc object. */
static char *
fmt_alloc_where(const json_t *alloc, char *out, size_t n)
{
	const json_t *g;
	struct buf b;
	size_t i;

	buf_init(&b, n > 0 ? n - 1 : 0);
	buf_addstr(&b, fmt_str(alloc, "node"));
	json_array_foreach(json_object_get(alloc, "gpus"), i, g)
		buf_printf(&b, "%c%lld", i == 0 ? ':' : ',',
		    (long long)fmt_int(g, "index"));
	fmt_cell(b.data != NULL ? b.data : "", 0, out, n);
	buf_done(&b);
	return out;
}

char *
fmt_job_where(const json_t *job, char *out, size_t n)
{
	const char *state = fmt_str(job, "state");
	const json_t *wait = json_object_get(job, "wait");
	const char *reason = fmt_str(job, "reason");
	int64_t pos;

	if (strcmp(state, "RUNNING") == 0)
		return fmt_alloc_where(json_object_get(job, "alloc"), out, n);
	if (strcmp(state, "PENDING") == 0) {
		pos = fmt_int(wait, "position");
		if (pos > 0)
			snprintf(out, n, "%s #%lld", fmt_str(wait, "reason"),
			    (long long)pos);
		else
			snprintf(out, n, "%s", fmt_str(wait, "reason"));
		return out;
	}
	if (reason[0] != '\0')
		return fmt_cell(reason, 0, out, n);
	return fmt_job_exit(job, out, n);
}

const char *
fmt_state_parse(const char *s)
{
	static const char *const states[] = { "PENDING", "RUNNING", "COMPLETED",
		"FAILED", "CANCELLED", "TIMEOUT" };
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcasecmp(s, states[i]) == 0)
			return states[i];
	return NULL;
}

char *
fmt_bar(double share, int width, char *out, size_t n)
{
	struct buf b;
	int fill, i;

	if (!(share > 0))
		share = 0;
	if (share > 1)
		share = 1;
	fill = (int)(share * width + 0.5);
	if (share > 0 && fill == 0)
		fill = 1;
	if (share < 1 && fill == width && width > 1)
		fill = width - 1;
	buf_init(&b, n > 0 ? n - 1 : 0);
	buf_addstr(&b, "[");
	for (i = 0; i < width; i++)
		buf_addstr(&b, i < fill ? "#" : ".");
	buf_addstr(&b, "]");
	snprintf(out, n, "%s", b.data != NULL ? b.data : "");
	buf_done(&b);
	return out;
}

const char *
fmt_err_text(int code)
{
	switch (code) {
	case GQ_ENOENT:
		return "not found";
	case GQ_ENOFIT:
		return "does not fit";
	case GQ_ESTATE:
		return "not allowed in this state";
	case GQ_ECONN:
		return "connection lost";
	default:
		return gq_err_text(code);
	}
}

static int
fmt_quote_safe(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) &&
		    strchr("@%+=:,./-_", *s) == NULL)
			return 0;
	return 1;
}

static int
fmt_has_ctrl(const char *s)
{
	struct fmt_char c;

	for (; *s != '\0'; s += c.len) {
		fmt_next(s, &c);
		if (c.ctrl)
			return 1;
	}
	return 0;
}

/* Appends one character inside $'...'. */
static int
fmt_quote_ansi_char(struct buf *b, const char *s, const struct fmt_char *c)
{
	switch (c->cp) {
	case '\n':
		return buf_addstr(b, "\\n");
	case '\t':
		return buf_addstr(b, "\\t");
	case '\r':
		return buf_addstr(b, "\\r");
	case '\\':
		return buf_addstr(b, "\\\\");
	case '\'':
		return buf_addstr(b, "\\'");
	}
	if (c->cp < 0)
		return buf_printf(b, "\\x%02x", (unsigned char)*s);
	if (c->ctrl)
		return buf_printf(b, "\\u%04lx", c->cp);
	return buf_add(b, s, c->len);
}

static int
fmt_quote_ansi(struct buf *b, const char *s)
{
	struct fmt_char c;
	int rc;

	rc = buf_addstr(b, "$'");
	for (; *s != '\0' && rc == 0; s += c.len) {
		fmt_next(s, &c);
		rc = fmt_quote_ansi_char(b, s, &c);
	}
	return rc != 0 ? rc : buf_addstr(b, "'");
}

int
fmt_shell_quote(struct buf *b, const char *arg)
{
	int rc;

	if (fmt_quote_safe(arg))
		return buf_addstr(b, arg);
	if (fmt_has_ctrl(arg))
		return fmt_quote_ansi(b, arg);
	rc = buf_addstr(b, "'");
	for (; *arg != '\0' && rc == 0; arg++)
		rc = *arg == '\'' ? buf_addstr(b, "'\\''") : buf_add(b, arg, 1);
	return rc != 0 ? rc : buf_addstr(b, "'");
}

int
fmt_argv(struct buf *b, const json_t *argv)
{
	const json_t *a;
	size_t i;
	int rc = 0;

	json_array_foreach(argv, i, a) {
		if (i > 0 && (rc = buf_addstr(b, " ")) != 0)
			break;
		if ((rc = fmt_shell_quote(b,
		         json_string_value(a) != NULL ? json_string_value(a) :
		                                        "")) != 0)
			break;
	}
	return rc;
}

void
fmt_table_init(struct fmt_table *t, size_t ncols, const char *const *header)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->maxw = xcalloc(ncols, sizeof(*t->maxw));
	t->right = xcalloc(ncols, 1);
	fmt_table_add(t, header);
}

void
fmt_table_done(struct fmt_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->maxw);
	free(t->right);
	memset(t, 0, sizeof(*t));
}

void
fmt_table_column(struct fmt_table *t, size_t col, size_t maxw, int right)
{
	t->maxw[col] = maxw;
	t->right[col] = right != 0;
}

void
fmt_table_add(struct fmt_table *t, const char *const *row)
{
	size_t i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof(*t->cells));
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] =
		    xstrdup(row[i] != NULL ? row[i] : "");
	t->nrows++;
}

static int
fmt_table_pad(struct buf *b, size_t n)
{
	int rc = 0;

	while (n-- > 0 && rc == 0)
		rc = buf_add(b, " ", 1);
	return rc;
}

static int
fmt_table_row(const struct fmt_table *t, size_t r, const size_t *colw,
    struct buf *b)
{
	char cell[FMT_CELL_MAX];
	size_t c, w;
	int rc = 0;

	for (c = 0; c < t->ncols && rc == 0; c++) {
		fmt_cell(t->cells[r * t->ncols + c], t->maxw[c], cell,
		    sizeof(cell));
		w = fmt_width(cell);
		if (c > 0)
			rc = buf_addstr(b, "  ");
		if (rc == 0 && t->right[c])
			rc = fmt_table_pad(b, colw[c] - w);
		if (rc == 0)
			rc = buf_addstr(b, cell);
		if (rc == 0 && !t->right[c] && c + 1 < t->ncols)
			rc = fmt_table_pad(b, colw[c] - w);
	}
	while (rc == 0 && b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	return rc != 0 ? rc : buf_addstr(b, "\n");
}

int
fmt_table_render(const struct fmt_table *t, struct buf *b)
{
	char cell[FMT_CELL_MAX];
	size_t *colw, r, c, w;
	int rc = 0;

	colw = xcalloc(t->ncols, sizeof(*colw));
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			fmt_cell(t->cells[r * t->ncols + c], t->maxw[c], cell,
			    sizeof(cell));
			w = fmt_width(cell);
			if (w > colw[c])
				colw[c] = w;
		}
	}
	for (r = 0; r < t->nrows && rc == 0; r++)
		rc = fmt_table_row(t, r, colw, b);
	free(colw);
	return rc;
}
