/*
 * Overlays over the views: confirmations (Cancel focused, so Enter alone
 * never changes the cluster), menus, the ? help generated from the live
 * key map, and scrollable text.  Every key goes to the top overlay: in a
 * dialog `q`, `j` or `C` never reach the views below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/keys.h"
#include "tui/layout.h"
#include "tui/tui.h"

#define DIALOG_MAX_LINES 12 /* lines a confirmation lists before "..." */

void
overlay_push(struct tui *t, struct overlay *o)
{
	o->below = t->ov;
	t->ov = o;
	tui_dirty(t);
}

void
overlay_pop(struct tui *t)
{
	struct overlay *o = t->ov;

	if (o == NULL)
		return;
	t->ov = o->below;
	o->cls->free(o);
	tui_dirty(t);
}

static void
overlay_draw_rec(struct tui *t, struct overlay *o)
{
	if (o == NULL)
		return;
	overlay_draw_rec(t, o->below);
	o->cls->draw(t, o);
}

void
overlay_draw_all(struct tui *t)
{
	overlay_draw_rec(t, t->ov);
}

/* A confirmation. */
struct dialog_confirm {
	struct overlay o;
	char *title, *yes;
	char **lines;
	size_t nlines;
	int focus; /* 0 Cancel, 1 yes */
	void (*fn)(struct tui *, void *);
	void *arg;
	void (*free_arg)(void *);
};

static void
dialog_confirm_free(struct overlay *o)
{
	struct dialog_confirm *d = (struct dialog_confirm *)o;
	size_t i;

	if (d->free_arg != NULL)
		d->free_arg(d->arg);
	for (i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->lines);
	free(d->title);
	free(d->yes);
	free(d);
}

static void
dialog_button(struct tui *t, WINDOW *win, int y, int x, const char *label,
    int focused)
{
	char b[128];

	snprintf(b, sizeof(b), focused ? "[> %s <]" : "[  %s  ]", label);
	wattrset(win,
	    draw_attr(t, focused ? THEME_DIALOG_FOCUS : THEME_DIALOG_BUTTON));
	draw_text(win, y, x, b, getmaxx(win) - x - 1, 0);
	wattrset(win, draw_attr(t, THEME_DIALOG));
}

static void
dialog_confirm_draw(struct tui *t, struct overlay *o)
{
	struct dialog_confirm *d = (struct dialog_confirm *)o;
	int h = (int)d->nlines + 4, w = 30, i, bw;
	WINDOW *win;

	for (i = 0; i < (int)d->nlines; i++)
		if ((int)fmt_width(d->lines[i]) + 4 > w)
			w = (int)fmt_width(d->lines[i]) + 4;
	bw = (int)fmt_width(d->yes) + 24;
	if (bw > w)
		w = bw;
	if ((int)fmt_width(d->title) + 8 > w)
		w = (int)fmt_width(d->title) + 8;
	win = draw_box(t, h, w, d->title);
	getmaxyx(win, h, w);
	for (i = 0; i < (int)d->nlines && i + 1 < h - 3; i++)
		draw_text(win, 1 + i, 2, d->lines[i], w - 4, 0);
	dialog_button(t, win, h - 2, 2, "Cancel", d->focus == 0);
	dialog_button(t, win, h - 2, 16, d->yes, d->focus == 1);
	wnoutrefresh(win);
	delwin(win);
}

static void
dialog_confirm_yes(struct tui *t, struct dialog_confirm *d)
{
	void (*fn)(struct tui *, void *) = d->fn;
	void *arg = d->arg;
	void (*free_arg)(void *) = d->free_arg;

	d->free_arg = NULL; /* the arg lives on until fn returns */
	overlay_pop(t);
	fn(t, arg);
	if (free_arg != NULL)
		free_arg(arg);
}

static int
dialog_confirm_key(struct tui *t, struct overlay *o, int key)
{
	struct dialog_confirm *d = (struct dialog_confirm *)o;

	switch (key) {
	case KEYS_ESC:
	case 'n':
	case 'N':
	case 'q':
	case KEYS_CTRL('c'):
		overlay_pop(t);
		break;
	case 'y':
	case 'Y':
		dialog_confirm_yes(t, d);
		break;
	case KEYS_ENTER:
	case ' ':
		if (d->focus == 1)
			dialog_confirm_yes(t, d);
		else
			overlay_pop(t);
		break;
	case KEYS_TAB:
	case KEYS_BTAB:
	case KEYS_LEFT:
	case KEYS_RIGHT:
	case 'h':
	case 'l':
		d->focus = !d->focus;
		tui_dirty(t);
		break;
	default:
		break;
	}
	return 1;
}

static const struct overlay_class dialog_confirm_class = {
	.name = "confirm",
	.draw = dialog_confirm_draw,
	.key = dialog_confirm_key,
	.free = dialog_confirm_free,
};

void
dialog_confirm(struct tui *t, const char *title, const char *const *lines,
    size_t nlines, const char *yes, void (*fn)(struct tui *, void *), void *arg,
    void (*free_arg)(void *))
{
	struct dialog_confirm *d = xcalloc(1, sizeof(*d));
	size_t i, n = nlines > DIALOG_MAX_LINES ? DIALOG_MAX_LINES : nlines;

	d->o.cls = &dialog_confirm_class;
	d->title = xstrdup(title);
	d->yes = xstrdup(yes);
	d->lines = xcalloc(n + 1, sizeof(*d->lines));
	for (i = 0; i < n; i++)
		d->lines[i] = xstrdup(lines[i]);
	if (nlines > n) {
		d->lines[n] = xasprintf("... and %zu more", nlines - n);
		n++;
	}
	d->nlines = n;
	d->fn = fn;
	d->arg = arg;
	d->free_arg = free_arg;
	overlay_push(t, &d->o);
}

/* A menu. */
struct dialog_menu {
	struct overlay o;
	char *title;
	char **items;
	int *enabled;
	size_t n, sel;
	void (*fn)(struct tui *, void *, int);
	void *arg;
	void (*free_arg)(void *);
};

static void
dialog_menu_free(struct overlay *o)
{
	struct dialog_menu *d = (struct dialog_menu *)o;
	size_t i;

	if (d->free_arg != NULL)
		d->free_arg(d->arg);
	for (i = 0; i < d->n; i++)
		free(d->items[i]);
	free(d->items);
	free(d->enabled);
	free(d->title);
	free(d);
}

static void
dialog_menu_draw(struct tui *t, struct overlay *o)
{
	struct dialog_menu *d = (struct dialog_menu *)o;
	int w = (int)fmt_width(d->title) + 8, h = (int)d->n + 4, i;
	WINDOW *win;

	for (i = 0; i < (int)d->n; i++)
		if ((int)fmt_width(d->items[i]) + 8 > w)
			w = (int)fmt_width(d->items[i]) + 8;
	win = draw_box(t, h, w, d->title);
	getmaxyx(win, h, w);
	for (i = 0; i < (int)d->n && i + 1 < h - 2; i++) {
		wattrset(win,
		    draw_attr(t,
		        (size_t)i == d->sel ? THEME_CURSOR :
		            d->enabled[i]   ? THEME_DIALOG :
		                              THEME_MUTED));
		draw_text(win, 1 + i, 2, (size_t)i == d->sel ? ">" : " ", 1, 0);
		draw_text(win, 1 + i, 3, d->items[i], w - 5, 1);
	}
	wattrset(win, draw_attr(t, THEME_HINT));
	draw_text(win, h - 2, 2, "Enter choose  Esc close", w - 4, 0);
	wnoutrefresh(win);
	delwin(win);
}

static void
dialog_menu_choose(struct tui *t, struct dialog_menu *d)
{
	void (*fn)(struct tui *, void *, int) = d->fn;
	void (*free_arg)(void *) = d->free_arg;
	void *arg = d->arg;
	int sel = (int)d->sel;

	if (!d->enabled[d->sel]) {
		tui_status(t, REVENT_INFO, "not available: %s", d->items[sel]);
		return;
	}
	d->free_arg = NULL;
	overlay_pop(t);
	fn(t, arg, sel);
	if (free_arg != NULL)
		free_arg(arg);
}

static int
dialog_menu_key(struct tui *t, struct overlay *o, int key)
{
	struct dialog_menu *d = (struct dialog_menu *)o;

	if (key == KEYS_ESC || key == 'q' || key == KEYS_CTRL('c'))
		overlay_pop(t);
	else if ((key == 'j' || key == KEYS_DOWN || key == KEYS_TAB) &&
	    d->sel + 1 < d->n)
		d->sel++;
	else if ((key == 'k' || key == KEYS_UP || key == KEYS_BTAB) &&
	    d->sel > 0)
		d->sel--;
	else if (key == 'g' || key == KEYS_HOME)
		d->sel = 0;
	else if ((key == 'G' || key == KEYS_END) && d->n > 0)
		d->sel = d->n - 1;
	else if (key == KEYS_ENTER)
		dialog_menu_choose(t, d);
	tui_dirty(t);
	return 1;
}

static const struct overlay_class dialog_menu_class = {
	.name = "menu",
	.draw = dialog_menu_draw,
	.key = dialog_menu_key,
	.free = dialog_menu_free,
};

void
dialog_menu(struct tui *t, const char *title, const char *const *items,
    const int *enabled, size_t n, void (*fn)(struct tui *, void *, int),
    void *arg, void (*free_arg)(void *))
{
	struct dialog_menu *d = xcalloc(1, sizeof(*d));
	size_t i;

	d->o.cls = &dialog_menu_class;
	d->title = xstrdup(title);
	d->items = xcalloc(n + 1, sizeof(*d->items));
	d->enabled = xcalloc(n + 1, sizeof(*d->enabled));
	for (i = 0; i < n; i++) {
		d->items[i] = xstrdup(items[i]);
		d->enabled[i] = enabled == NULL || enabled[i];
	}
	d->n = n;
	d->fn = fn;
	d->arg = arg;
	d->free_arg = free_arg;
	overlay_push(t, &d->o);
}

/* Scrollable text: help, raw JSON. */
struct dialog_text {
	struct overlay o;
	char *title;
	char *text; /* lines split in place */
	char **lines;
	size_t n, top;
	int rows;
};

static void
dialog_text_free(struct overlay *o)
{
	struct dialog_text *d = (struct dialog_text *)o;

	free(d->lines);
	free(d->text);
	free(d->title);
	free(d);
}

static void
dialog_text_draw(struct tui *t, struct overlay *o)
{
	struct dialog_text *d = (struct dialog_text *)o;
	int h = t->scr.rows - 2, w = t->scr.cols - 4, i;
	WINDOW *win;

	win = draw_box(t, h, w, d->title);
	getmaxyx(win, h, w);
	d->rows = h - 3 > 1 ? h - 3 : 1;
	if (d->top + (size_t)d->rows > d->n)
		d->top = d->n > (size_t)d->rows ? d->n - (size_t)d->rows : 0;
	for (i = 0; i < d->rows && d->top + (size_t)i < d->n; i++) {
		const char *line = d->lines[d->top + (size_t)i];

		wattrset(win,
		    draw_attr(t,
		        line[0] == '\x01' ? THEME_TITLE : THEME_DIALOG));
		draw_text(win, 1 + i, 2, line[0] == '\x01' ? line + 1 : line,
		    w - 4, 0);
	}
	wattrset(win, draw_attr(t, THEME_HINT));
	draw_text(win, h - 2, 2,
	    d->n > (size_t)d->rows ? "j/k PgDn/PgUp scroll  q/Esc close" :
	                             "q/Esc close",
	    w - 4, 0);
	wnoutrefresh(win);
	delwin(win);
}

static int
dialog_text_key(struct tui *t, struct overlay *o, int key)
{
	struct dialog_text *d = (struct dialog_text *)o;
	size_t page = d->rows > 1 ? (size_t)d->rows - 1 : 1;

	if (key == KEYS_ESC || key == 'q' || key == '?' || key == 'i' ||
	    key == KEYS_CTRL('c') || key == KEYS_ENTER) {
		overlay_pop(t);
		return 1;
	}
	if (key == 'j' || key == KEYS_DOWN)
		d->top++;
	else if ((key == 'k' || key == KEYS_UP) && d->top > 0)
		d->top--;
	else if (key == KEYS_PGDN || key == KEYS_CTRL('f') || key == ' ' ||
	    key == KEYS_CTRL('d'))
		d->top += key == KEYS_CTRL('d') ? page / 2 : page;
	else if (key == KEYS_PGUP || key == KEYS_CTRL('b') ||
	    key == KEYS_CTRL('u'))
		d->top -= d->top < page ? d->top : page;
	else if (key == 'g' || key == KEYS_HOME)
		d->top = 0;
	else if (key == 'G' || key == KEYS_END)
		d->top = d->n;
	tui_dirty(t);
	return 1;
}

static const struct overlay_class dialog_text_class = {
	.name = "text",
	.draw = dialog_text_draw,
	.key = dialog_text_key,
	.free = dialog_text_free,
};

void
dialog_text(struct tui *t, const char *title, const char *text)
{
	struct dialog_text *d = xcalloc(1, sizeof(*d));
	size_t cap = 0;
	char *s, *nl;

	d->o.cls = &dialog_text_class;
	d->title = xstrdup(title);
	d->text = xstrdup(text);
	for (s = d->text; *s != '\0'; s = nl + 1) {
		if (d->n == cap) {
			cap = cap ? cap * 2 : 64;
			d->lines =
			    xreallocarray(d->lines, cap, sizeof(*d->lines));
		}
		d->lines[d->n++] = s;
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		*nl = '\0';
	}
	overlay_push(t, &d->o);
}

static void
dialog_help_section(struct tui *t, struct buf *b, unsigned ctx,
    const char *title)
{
	struct buf keys;
	size_t i;
	int any = 0;

	buf_init(&keys, 1024);
	for (i = 0; i < action_count; i++) {
		if (action_table[i].ctx != ctx)
			continue;
		buf_reset(&keys);
		keymap_keys_text(&t->km, (int)i, &keys);
		if (strcmp(keys.data, "-") == 0)
			continue;
		if (!any++)
			buf_printf(b, "\x01%s\n", title);
		buf_printf(b, "  %-22s %s\n", keys.data, action_table[i].help);
	}
	buf_done(&keys);
}

static void
dialog_help_unbound(struct tui *t, struct buf *b)
{
	struct buf keys;
	size_t i;
	int any = 0;

	buf_init(&keys, 1024);
	for (i = 0; i < action_count; i++) {
		if (t->readonly && (action_table[i].flags & ACTION_MUTATES))
			continue;
		buf_reset(&keys);
		keymap_keys_text(&t->km, (int)i, &keys);
		if (strcmp(keys.data, "-") != 0)
			continue;
		if (!any++)
			buf_addstr(b,
			    "\x01Not bound (bind KEY ACTION in "
			    "gpuq.conf)\n");
		buf_printf(b, "  %-22s %s\n", action_table[i].name,
		    action_table[i].help);
	}
	buf_done(&keys);
}

void
dialog_help(struct tui *t)
{
	unsigned ctx = t->cur->cls->ctx;
	char title[128];
	struct buf b;

	buf_init(&b, 256 * 1024);
	if (ctx & ACTION_CTX_LOG)
		dialog_help_section(t, &b, ACTION_CTX_LOG, "Log view");
	if (ctx & ACTION_CTX_JOBS)
		dialog_help_section(t, &b, ACTION_CTX_JOBS, "Jobs");
	if (ctx & ACTION_CTX_SWEEP)
		dialog_help_section(t, &b, ACTION_CTX_SWEEP, "Sweeps");
	if (ctx & ACTION_CTX_LIST)
		dialog_help_section(t, &b, ACTION_CTX_LIST, "Lists");
	dialog_help_section(t, &b, ACTION_CTX_GLOBAL, "Everywhere");
	dialog_help_unbound(t, &b);
	buf_addstr(&b,
	    "\x01In dialogs and prompts\n"
	    "  Enter / Esc            confirm / cancel (Cancel is "
	    "focused first)\n"
	    "  Tab / S-Tab            next / previous field or "
	    "button\n"
	    "  y / n                  yes / no\n"
	    "  Ctrl-A Ctrl-E          start / end of the text\n"
	    "  Ctrl-U Ctrl-K Ctrl-W   erase to start / to end / a "
	    "word\n");
	if (t->readonly)
		buf_addstr(&b,
		    "\x01Read-only\n  keys that change the cluster "
		    "are off (--readonly)\n");
	snprintf(title, sizeof(title), "Help: %s (from the live key map)",
	    t->cur->cls->title);
	dialog_text(t, title, b.data);
	buf_done(&b);
}
