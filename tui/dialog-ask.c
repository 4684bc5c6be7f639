/*
 * Questions from the SSH transport while it connects: an unknown host key
 * (a confirmation showing the fingerprint, Cancel focused), a passphrase
 * or a one-time code (a line of input, not shown for secrets).  Every
 * way out answers the session: Enter with the text, Esc with a refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/keys.h"
#include "tui/tui.h"

#define DIALOG_ASK_MAX   512 /* bytes of an answer */
#define DIALOG_ASK_LINES 10

struct dialog_ask {
	struct overlay o;
	struct tui *t;
	char *title;
	char *lines[DIALOG_ASK_LINES];
	size_t nlines;
	int echo;
	int answered;
	char input[DIALOG_ASK_MAX];
	size_t len;
};

/* The host key question: the confirmation's arg. */
struct dialog_ask_key {
	struct tui *t;
	int accepted;
};

static void
dialog_ask_key_yes(struct tui *t, void *arg)
{
	struct dialog_ask_key *k = arg;

	k->accepted = 1;
	session_answer(&t->sess, "yes");
}

static void
dialog_ask_key_free(void *arg)
{
	struct dialog_ask_key *k = arg;

	if (!k->accepted)
		session_answer(&k->t->sess, NULL);
	free(k);
}

/* Splits text at newlines into at most max lines (new). */
static size_t
dialog_ask_split(const char *text, char **lines, size_t max)
{
	const char *p = text, *nl;
	size_t n = 0;

	while (n < max && *p != '\0') {
		nl = strchr(p, '\n');
		lines[n++] =
		    nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return n;
}

static void
dialog_ask_hostkey(struct tui *t, const struct transport_ask *q)
{
	struct dialog_ask_key *k = xcalloc(1, sizeof(*k));
	char *lines[DIALOG_ASK_LINES];
	size_t n, i;

	k->t = t;
	n = dialog_ask_split(q->text, lines, DIALOG_ASK_LINES);
	dialog_confirm(t, q->title, (const char *const *)lines, n, "Accept",
	    dialog_ask_key_yes, k, dialog_ask_key_free);
	for (i = 0; i < n; i++)
		free(lines[i]);
}

static void
dialog_ask_free(struct overlay *o)
{
	struct dialog_ask *d = (struct dialog_ask *)o;
	size_t i;

	explicit_bzero(d->input, sizeof(d->input));
	for (i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->title);
	free(d);
}

static void
dialog_ask_draw(struct tui *t, struct overlay *o)
{
	struct dialog_ask *d = (struct dialog_ask *)o;
	int h = (int)d->nlines + 5, w = 40, i;
	char line[DIALOG_ASK_MAX + 8];
	WINDOW *win;

	for (i = 0; i < (int)d->nlines; i++)
		if ((int)fmt_width(d->lines[i]) + 4 > w)
			w = (int)fmt_width(d->lines[i]) + 4;
	win = draw_box(t, h, w, d->title);
	getmaxyx(win, h, w);
	for (i = 0; i < (int)d->nlines && i + 1 < h - 3; i++)
		draw_text(win, 1 + i, 2, d->lines[i], w - 4, 0);
	snprintf(line, sizeof(line), "> %s_",
	    d->echo        ? d->input :
	        d->len > 0 ? "(hidden)" :
	                     "");
	draw_text(win, h - 3, 2, line, w - 4, 0);
	draw_text(win, h - 2, 2, "Enter: send   Esc: cancel", w - 4, 0);
	wnoutrefresh(win);
	delwin(win);
}

/* Appends code point cp as UTF-8, if it fits. */
static void
dialog_ask_type(struct dialog_ask *d, int cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (d->len + n < sizeof(d->input)) {
		memcpy(d->input + d->len, u, n);
		d->len += n;
		d->input[d->len] = '\0';
	}
}

/* Leaves the dialog, answering the session (text NULL: refused). */
static void
dialog_ask_done(struct tui *t, struct dialog_ask *d, int send)
{
	char *a = send ? xstrdup(d->input) : NULL;

	d->answered = 1;
	overlay_pop(t);
	session_answer(&t->sess, a);
	if (a != NULL) {
		explicit_bzero(a, strlen(a));
		free(a);
	}
}

static int
dialog_ask_key(struct tui *t, struct overlay *o, int key)
{
	struct dialog_ask *d = (struct dialog_ask *)o;

	if (key == KEYS_ENTER) {
		dialog_ask_done(t, d, 1);
	} else if (key == KEYS_ESC || key == KEYS_CTRL('c')) {
		dialog_ask_done(t, d, 0);
	} else if (key == KEYS_BACKSPACE || key == KEYS_CTRL('h') ||
	    key == 127) {
		while (d->len > 0 && (d->input[--d->len] & 0xc0) == 0x80)
			;
		d->input[d->len] = '\0';
	} else if (key == KEYS_CTRL('u')) {
		explicit_bzero(d->input, sizeof(d->input));
		d->len = 0;
	} else if (keys_printable(key)) {
		dialog_ask_type(d, key);
	}
	tui_dirty(t);
	return 1;
}

static const struct overlay_class dialog_ask_class = {
	.name = "ask",
	.draw = dialog_ask_draw,
	.key = dialog_ask_key,
	.free = dialog_ask_free,
};

void
dialog_ask(struct tui *t, const struct transport_ask *q)
{
	struct dialog_ask *d;

	if (q->kind == TRANSPORT_ASK_HOSTKEY) {
		dialog_ask_hostkey(t, q);
		return;
	}
	d = xcalloc(1, sizeof(*d));
	d->o.cls = &dialog_ask_class;
	d->t = t;
	d->title = xstrdup(q->title);
	d->nlines = dialog_ask_split(q->text, d->lines, DIALOG_ASK_LINES);
	d->echo = q->kind == TRANSPORT_ASK_TEXT;
	overlay_push(t, &d->o);
}
