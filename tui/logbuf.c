#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "tui/filter.h"
#include "tui/fmt.h"
#include "tui/logbuf.h"

#define LOGBUF_WIDE_CONT   0xffffffffu /* right half of a wide character */
#define LOGBUF_REPLACEMENT 0xfffd

enum { LOGBUF_TEXT, LOGBUF_ESC, LOGBUF_CSI, LOGBUF_OSC, LOGBUF_OSC_ESC };

void
logbuf_init(struct logbuf *lb, size_t max_lines)
{
	memset(lb, 0, sizeof(*lb));
	lb->max = max_lines > 0 ? max_lines : 1;
	lb->lines = xcalloc(lb->max, sizeof(*lb->lines));
	lb->cells = xcalloc(LOGBUF_MAX_COLS, sizeof(*lb->cells));
	buf_init(&lb->cur, LOGBUF_MAX_COLS * 4 + 1);
	lb->cur_gen = (unsigned)-1;
}

void
logbuf_clear(struct logbuf *lb)
{
	size_t i;

	for (i = 0; i < lb->max; i++) {
		free(lb->lines[i]);
		lb->lines[i] = NULL;
	}
	lb->head = lb->n = lb->dropped = 0;
	lb->ncells = lb->col = 0;
	lb->esc = LOGBUF_TEXT;
	lb->ncsi = 0;
	lb->nu8 = lb->need = 0;
	lb->gen++;
}

void
logbuf_done(struct logbuf *lb)
{
	if (lb->lines != NULL)
		logbuf_clear(lb);
	free(lb->lines);
	free(lb->cells);
	buf_done(&lb->cur);
	memset(lb, 0, sizeof(*lb));
}

/* Writes the current line's cells as UTF-8 into b. */
static void
logbuf_render(const struct logbuf *lb, struct buf *b)
{
	char u[4];
	uint32_t c;
	size_t i;
	int n;

	buf_reset(b);
	for (i = 0; i < lb->ncells; i++) {
		c = lb->cells[i];
		if (c == LOGBUF_WIDE_CONT)
			continue;
		if (c < 0x80) {
			u[0] = (char)c;
			n = 1;
		} else if (c < 0x800) {
			u[0] = (char)(0xc0 | (c >> 6));
			u[1] = (char)(0x80 | (c & 0x3f));
			n = 2;
		} else if (c < 0x10000) {
			u[0] = (char)(0xe0 | (c >> 12));
			u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (char)(0x80 | (c & 0x3f));
			n = 3;
		} else {
			u[0] = (char)(0xf0 | (c >> 18));
			u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (char)(0x80 | (c & 0x3f));
			n = 4;
		}
		buf_add(b, u, (size_t)n);
	}
}

/* Finishes the current line (a newline, or a wrap). */
static void
logbuf_commit(struct logbuf *lb)
{
	struct buf b;
	size_t k;

	buf_init(&b, LOGBUF_MAX_COLS * 4 + 1);
	logbuf_render(lb, &b);
	if (lb->n == lb->max) {
		free(lb->lines[lb->head]);
		lb->lines[lb->head] = NULL;
		lb->head = (lb->head + 1) % lb->max;
		lb->n--;
		lb->dropped++;
	}
	k = (lb->head + lb->n) % lb->max;
	lb->lines[k] = b.data != NULL ? buf_take(&b) : xstrdup("");
	buf_done(&b);
	lb->n++;
	lb->ncells = lb->col = 0;
}

/* Pads the line with spaces up to column col. */
static void
logbuf_pad(struct logbuf *lb, size_t col)
{
	while (lb->ncells < col && lb->ncells < LOGBUF_MAX_COLS)
		lb->cells[lb->ncells++] = ' ';
}

static void
logbuf_put(struct logbuf *lb, uint32_t cp)
{
	size_t w = fmt_cp_width((long)cp);

	if (w == 0)
		return;
	if (lb->col + w > LOGBUF_MAX_COLS)
		logbuf_commit(lb);
	logbuf_pad(lb, lb->col + w);
	/* Overwriting half of a wide character blanks its other half. */
	if (lb->cells[lb->col] == LOGBUF_WIDE_CONT && lb->col > 0)
		lb->cells[lb->col - 1] = ' ';
	if (lb->col + w < lb->ncells &&
	    lb->cells[lb->col + w] == LOGBUF_WIDE_CONT)
		lb->cells[lb->col + w] = ' ';
	lb->cells[lb->col] = cp;
	if (w == 2)
		lb->cells[lb->col + 1] = LOGBUF_WIDE_CONT;
	lb->col += w;
}

/* The first numeric parameter of a CSI sequence, or def. */
static size_t
logbuf_csi_arg(const struct logbuf *lb, size_t def)
{
	size_t i, v = 0,
	          n = lb->ncsi < LOGBUF_CSI_MAX ? lb->ncsi : LOGBUF_CSI_MAX;
	int any = 0;

	for (i = 0; i < n && lb->csi[i] >= '0' && lb->csi[i] <= '9'; i++) {
		v = v * 10 + (size_t)(lb->csi[i] - '0');
		if (v > LOGBUF_MAX_COLS)
			v = LOGBUF_MAX_COLS;
		any = 1;
	}
	return any ? v : def;
}

static void
logbuf_csi(struct logbuf *lb, char final)
{
	size_t n = logbuf_csi_arg(lb, final == 'K' ? 0 : 1), i;

	switch (final) {
	case 'K':
		if (n == 0 && lb->ncells > lb->col)
			lb->ncells = lb->col;
		else if (n == 1)
			for (i = 0; i <= lb->col && i < lb->ncells; i++)
				lb->cells[i] = ' ';
		else if (n == 2)
			lb->ncells = 0;
		break;
	case 'C':
		lb->col = lb->col + n < LOGBUF_MAX_COLS ? lb->col + n :
		                                          LOGBUF_MAX_COLS - 1;
		break;
	case 'D':
		lb->col = lb->col > n ? lb->col - n : 0;
		break;
	case 'G':
		lb->col = n > 0 && n <= LOGBUF_MAX_COLS ? n - 1 : 0;
		break;
	default:
		break; /* colours and the rest: dropped */
	}
}

static void
logbuf_control(struct logbuf *lb, unsigned char c)
{
	switch (c) {
	case '\n':
		logbuf_commit(lb);
		break;
	case '\r':
		lb->col = 0;
		break;
	case '\b':
		if (lb->col > 0)
			lb->col--;
		break;
	case '\t':
		lb->col = (lb->col / 8 + 1) * 8;
		if (lb->col >= LOGBUF_MAX_COLS)
			lb->col = LOGBUF_MAX_COLS - 1;
		logbuf_pad(lb, lb->col);
		break;
	case 0x1b:
		lb->esc = LOGBUF_ESC;
		break;
	default:
		break;
	}
}

/* One byte inside an escape sequence. */
static void
logbuf_escape(struct logbuf *lb, unsigned char c)
{
	switch (lb->esc) {
	case LOGBUF_ESC:
		lb->ncsi = 0;
		lb->esc = c == '[' ? LOGBUF_CSI :
		    c == ']'       ? LOGBUF_OSC :
		                     LOGBUF_TEXT;
		break;
	case LOGBUF_CSI:
		/* Parameters past the buffer are skipped, as a terminal does;
		 * a sequence that never ends is given up after a while. */
		if (c >= 0x40 && c <= 0x7e) {
			logbuf_csi(lb, (char)c);
			lb->esc = LOGBUF_TEXT;
		} else if (lb->ncsi < LOGBUF_CSI_MAX)
			lb->csi[lb->ncsi++] = (char)c;
		else if (++lb->ncsi > LOGBUF_CSI_GIVEUP)
			lb->esc = LOGBUF_TEXT;
		break;
	case LOGBUF_OSC:
		if (c == 0x07)
			lb->esc = LOGBUF_TEXT;
		else if (c == 0x1b)
			lb->esc = LOGBUF_OSC_ESC;
		break;
	default:
		lb->esc = c == '\\' ? LOGBUF_TEXT : LOGBUF_OSC;
		break;
	}
}

/* Collects UTF-8 bytes; returns a code point, or -1 while incomplete. */
static long
logbuf_utf8(struct logbuf *lb, unsigned char c)
{
	long cp;

	if (lb->nu8 == 0) {
		lb->need = c >= 0xc2 && c <= 0xdf ? 2 :
		    c >= 0xe0 && c <= 0xef        ? 3 :
		    c >= 0xf0 && c <= 0xf4        ? 4 :
		                                    0;
		if (lb->need == 0)
			return LOGBUF_REPLACEMENT;
	} else if ((c & 0xc0) != 0x80) {
		lb->nu8 = 0;
		return -2; /* the sequence broke: U+FFFD, then c anew */
	}
	lb->u8[lb->nu8++] = c;
	if (lb->nu8 < lb->need)
		return -1;
	lb->nu8 = 0;
	lb->u8[lb->need] = '\0';
	if (fmt_utf8_decode((const char *)lb->u8, &cp) != (size_t)lb->need ||
	    cp < 0)
		return LOGBUF_REPLACEMENT;
	return cp;
}

static void
logbuf_byte(struct logbuf *lb, unsigned char c)
{
	long cp;

	if (lb->esc != LOGBUF_TEXT) {
		logbuf_escape(lb, c);
		return;
	}
	if (c < 0x80 && lb->nu8 == 0) {
		if (c < 0x20 || c == 0x7f)
			logbuf_control(lb, c);
		else
			logbuf_put(lb, c);
		return;
	}
	cp = logbuf_utf8(lb, c);
	if (cp == -2) {
		logbuf_put(lb, LOGBUF_REPLACEMENT);
		logbuf_byte(lb, c);
	} else if (cp >= 0)
		logbuf_put(lb, (uint32_t)cp);
}

void
logbuf_feed(struct logbuf *lb, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		logbuf_byte(lb, (unsigned char)p[i]);
	if (n > 0)
		lb->gen++;
}

size_t
logbuf_count(const struct logbuf *lb)
{
	return lb->n + (lb->ncells > 0 ? 1 : 0);
}

const char *
logbuf_line(struct logbuf *lb, size_t i)
{
	if (i < lb->n)
		return lb->lines[(lb->head + i) % lb->max];
	if (i == lb->n && lb->ncells > 0) {
		if (lb->cur_gen != lb->gen) {
			logbuf_render(lb, &lb->cur);
			lb->cur_gen = lb->gen;
		}
		return lb->cur.data != NULL ? lb->cur.data : "";
	}
	return "";
}

long
logbuf_find(struct logbuf *lb, const char *needle, size_t from, int dir)
{
	size_t n = logbuf_count(lb), k, i;

	if (n == 0 || needle[0] == '\0')
		return -1;
	if (from >= n)
		from = dir > 0 ? n - 1 : 0;
	for (k = 1; k <= n; k++) {
		i = dir > 0 ? (from + k) % n : (from + n - k % n) % n;
		if (filter_strcasestr(logbuf_line(lb, i), needle) != NULL)
			return (long)i;
	}
	return -1;
}
