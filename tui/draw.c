/*
 * Drawing helpers shared by views: text cut to a width (made safe for the
 * terminal), the header with the view tabs, the status and hint lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/keys.h"
#include "tui/tui.h"

#define DRAW_CELL_MAX 4096

/* Whether the terminal shows UTF-8 (set by screen_start). */
int draw_utf8 = 1;

attr_t
draw_attr(const struct tui *t, enum theme_el el)
{
	attr_t a = t->scr.attr[el];

	/* Selection never rests on colour alone. */
	if (el == THEME_CURSOR || el == THEME_DIALOG_FOCUS ||
	    el == THEME_TAB_ACTIVE)
		a |= A_REVERSE;
	if (el == THEME_MATCH)
		a |= A_REVERSE | A_BOLD;
	return a;
}

/* Replaces what an ASCII terminal cannot show. */
static void
draw_ascii(char *s)
{
	char *out = s;
	long cp;
	size_t n;

	while (*s != '\0') {
		n = fmt_utf8_decode(s, &cp);
		if (cp >= 0 && cp < 0x80)
			*out++ = (char)cp;
		else if (cp == 0x2026)
			*out++ = '~';
		else if (cp < 0 || fmt_cp_width(cp) > 0) {
			*out++ = '?';
			if (cp >= 0 && fmt_cp_width(cp) == 2)
				*out++ = '?';
		}
		s += n;
	}
	*out = '\0';
}

int
draw_text(WINDOW *win, int y, int x, const char *s, int w, int pad)
{
	char cell[DRAW_CELL_MAX];
	int used, i;

	if (w <= 0 || win == NULL)
		return 0;
	fmt_cell(s != NULL ? s : "", (size_t)w, cell, sizeof(cell));
	if (!draw_utf8)
		draw_ascii(cell);
	used = (int)fmt_width(cell);
	mvwaddstr(win, y, x, cell);
	for (i = used; pad && i < w; i++)
		waddch(win, ' ');
	return pad && used < w ? w : used;
}

int
draw_right(WINDOW *win, int y, int x, const char *s, int w)
{
	char cell[DRAW_CELL_MAX];
	int used;

	if (w <= 0)
		return 0;
	fmt_cell(s != NULL ? s : "", (size_t)w, cell, sizeof(cell));
	used = (int)fmt_width(cell);
	mvwhline(win, y, x, ' ', w - used);
	return draw_text(win, y, x + w - used, cell, used, 0) + w - used;
}

enum theme_el
draw_state_el(enum rstate s)
{
	static const enum theme_el els[RSTATE_N] = { THEME_STATE_RUNNING,
		THEME_STATE_PENDING, THEME_STATE_SUSPENDED,
		THEME_STATE_COMPLETED, THEME_STATE_FAILED,
		THEME_STATE_CANCELLED, THEME_STATE_TIMEOUT,
		THEME_STATE_UNKNOWN };

	return s < RSTATE_N ? els[s] : THEME_STATE_UNKNOWN;
}

const char *
draw_state_glyph(const struct tui *t, enum rstate s)
{
	const struct theme_style *st = &t->theme.res[draw_state_el(s)];

	if (t->scr.utf8 && st->glyph[0] != '\0')
		return st->glyph;
	if (st->ascii[0] != '\0')
		return st->ascii;
	return replica_state_code(s);
}

/* The tabs: " 1 Jobs  2 Mine ..." or the short form when narrow. */
static int
draw_tabs(struct tui *t, WINDOW *w, int x, int maxw, int compact)
{
	char tab[64];
	int i;

	for (i = 0; i < VIEW_JOB && x < maxw; i++) {
		if (compact && t->cur != t->views[i])
			snprintf(tab, sizeof(tab), " %d ", i + 1);
		else
			snprintf(tab, sizeof(tab), " %d %s ", i + 1,
			    view_classes[i]->title);
		wattrset(w,
		    draw_attr(t,
		        t->cur == t->views[i] ? THEME_TAB_ACTIVE : THEME_TAB));
		x += draw_text(w, 0, x, tab, maxw - x, 0);
		wattrset(w, draw_attr(t, THEME_NORMAL));
		if (x < maxw)
			x += draw_text(w, 0, x, " ", 1, 0);
	}
	return x;
}

static int
draw_tabs_width(void)
{
	int i, n = 0;

	for (i = 0; i < VIEW_JOB; i++)
		n += 5 + (int)strlen(view_classes[i]->title);
	return n;
}

/* The right end of the header: who, where, how connected. */
static void
draw_conn(struct tui *t, char *out, size_t n)
{
	const char *user = t->me != NULL ? t->me : "?";
	const char *host = session_hello_str(&t->sess, "host");

	if (t->sess.state == SESSION_LIVE)
		snprintf(out, n, "%s@%s%s", user, host ? host : "?",
		    t->readonly ? " [ro]" : "");
	else if (t->sess.state == SESSION_DOWN)
		snprintf(out, n, "DISCONNECTED");
	else
		snprintf(out, n, "%s",
		    t->sess.state == SESSION_SYNCING ? "syncing" :
		                                       "connecting");
}

void
draw_head(struct tui *t)
{
	WINDOW *w = t->scr.head;
	char conn[128];
	int x, cw, full;

	werase(w);
	wbkgdset(w, ' ' | draw_attr(t, THEME_NORMAL));
	draw_conn(t, conn, sizeof(conn));
	cw = (int)fmt_width(conn) + 1;
	wattrset(w, draw_attr(t, THEME_TITLE));
	x = draw_text(w, 0, 0, "gpuq", 4, 0);
	wattrset(w, draw_attr(t, THEME_NORMAL));
	x += draw_text(w, 0, x, " ", 1, 0);
	full = x + draw_tabs_width() + cw;
	x = draw_tabs(t, w, x, t->scr.cols - cw, full > t->scr.cols);
	wattrset(w,
	    draw_attr(t,
	        t->sess.state == SESSION_LIVE ? THEME_MUTED : THEME_BANNER));
	draw_right(w, 0, t->scr.cols - cw, conn, cw);
	wattrset(w, A_NORMAL);
}

/* Featured actions for the hint line, with short labels. */
static const struct {
	const char *action, *label;
	unsigned ctx;
} draw_hints[] = {
	{ "help", "help", ACTION_CTX_GLOBAL },
	{ "command", "cmd", ACTION_CTX_GLOBAL },
	{ "filter", "filter", ACTION_CTX_LIST },
	{ "filter", "search", ACTION_CTX_LOG },
	{ "job.detail", "detail", ACTION_CTX_LIST | ACTION_CTX_JOBS },
	{ "job.logs", "logs", ACTION_CTX_LIST | ACTION_CTX_JOBS },
	{ "log.follow", "follow", ACTION_CTX_LOG },
	{ "log.stream", "stdout/err", ACTION_CTX_LOG },
	{ "job.submit", "submit", ACTION_CTX_LIST | ACTION_CTX_JOBS },
	{ "job.menu", "actions", ACTION_CTX_JOBS },
	{ "job.cancel", "cancel", ACTION_CTX_JOBS },
	{ "close", "back/quit", ACTION_CTX_GLOBAL },
};

static void
draw_hint_line(struct tui *t, WINDOW *w)
{
	unsigned ctx = tui_ctx(t);
	char key[KEYS_NAME_MAX];
	int x = 0, k, a;
	size_t i;

	for (i = 0; i < sizeof(draw_hints) / sizeof(draw_hints[0]); i++) {
		if ((draw_hints[i].ctx & ctx) != draw_hints[i].ctx)
			continue;
		if ((a = action_find(draw_hints[i].action)) < 0 ||
		    keymap_keys(&t->km, a, &k, 1) == 0)
			continue;
		keys_name(k, key, sizeof(key));
		if (x + (int)(strlen(key) + strlen(draw_hints[i].label)) + 2 >
		    t->scr.cols)
			break;
		wattrset(w, draw_attr(t, THEME_KEY));
		x += draw_text(w, 1, x, key, t->scr.cols - x, 0);
		wattrset(w, draw_attr(t, THEME_HINT));
		x += draw_text(w, 1, x, " ", 1, 0);
		x +=
		    draw_text(w, 1, x, draw_hints[i].label, t->scr.cols - x, 0);
		x += draw_text(w, 1, x, "  ", t->scr.cols - x, 0);
	}
}

static void
draw_prompt(struct tui *t, WINDOW *w)
{
	const char *lead = t->prompt == PROMPT_COMMAND ? ":" : "/";
	int col;

	wattrset(w, draw_attr(t, THEME_NORMAL));
	draw_text(w, 1, 0, lead, 1, 0);
	draw_text(w, 1, 1, t->field.text, t->scr.cols - 2, 1);
	if (t->prompt_hint[0] != '\0') {
		wattrset(w, draw_attr(t, THEME_HINT));
		draw_text(w, 0, 0, t->prompt_hint, t->scr.cols, 1);
	}
	/* The terminal's own cursor shows where typing goes. */
	col = 1 + (int)field_cursor_col(&t->field);
	wmove(w, 1, col < t->scr.cols ? col : t->scr.cols - 1);
}

/* Flags at the right of the status line. */
static void
draw_flags(struct tui *t, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s", t->frozen ? " FROZEN (z)" : "",
	    t->readonly ? " READ-ONLY" : "", t->nmarks ? " marked" : "");
	if (t->nmarks)
		snprintf(out + strlen(out), n - strlen(out), ":%zu", t->nmarks);
}

/*
 * "disconnected, retrying in 4 s (r: now): why"; what to do comes first,
 * so that a long reason is what a narrow screen cuts.
 */
static void
draw_down_line(struct tui *t, char *line, size_t n)
{
	int in = session_retry_in(&t->sess);

	if (in < 0)
		snprintf(line, n, "disconnected (r to retry): %s", t->sess.why);
	else
		snprintf(line, n, "disconnected, retrying in %d s (r: now): %s",
		    in, t->sess.why);
}

static void
draw_status_line(struct tui *t, WINDOW *w)
{
	static const enum theme_el els[] = { THEME_STATUS_INFO,
		THEME_STATUS_WARN, THEME_STATUS_ERROR };
	char flags[128], line[1024];
	int fw;

	draw_flags(t, flags, sizeof(flags));
	fw = (int)strlen(flags);
	if (t->status[0] != '\0') {
		wattrset(w, draw_attr(t, els[t->status_level]));
		draw_text(w, 0, 0, t->status, t->scr.cols - fw, 1);
	} else if (t->sess.state == SESSION_DOWN) {
		draw_down_line(t, line, sizeof(line));
		wattrset(w, draw_attr(t, THEME_BANNER));
		draw_text(w, 0, 0, line, t->scr.cols - fw, 1);
	}
	wattrset(w, draw_attr(t, THEME_BANNER));
	if (fw > 0 && fw < t->scr.cols)
		draw_text(w, 0, t->scr.cols - fw, flags, fw, 0);
}

void
draw_foot(struct tui *t)
{
	WINDOW *w = t->scr.foot;

	werase(w);
	wbkgdset(w, ' ' | draw_attr(t, THEME_NORMAL));
	draw_status_line(t, w);
	if (t->prompt != PROMPT_NONE)
		draw_prompt(t, w);
	else
		draw_hint_line(t, w);
	wattrset(w, A_NORMAL);
}

void
draw_too_small(struct tui *t)
{
	char line[128];
	int y = LINES / 2 - 1;

	erase();
	snprintf(line, sizeof(line), "Terminal too small: %dx%d", COLS, LINES);
	mvaddnstr(y > 0 ? y : 0, 0, line, COLS);
	snprintf(line, sizeof(line), "need at least %dx%d", TUI_MIN_COLS,
	    TUI_MIN_ROWS);
	mvaddnstr(y + 1 > 0 ? y + 1 : 0, 0, line, COLS);
	wnoutrefresh(stdscr);
}

WINDOW *
draw_box(struct tui *t, int h, int w, const char *title)
{
	int y, x;
	WINDOW *win;

	if (h > t->scr.rows - 2)
		h = t->scr.rows - 2;
	if (w > t->scr.cols - 2)
		w = t->scr.cols - 2;
	if (h < 3)
		h = 3;
	if (w < 10)
		w = 10;
	y = (t->scr.rows - h) / 2;
	x = (t->scr.cols - w) / 2;
	win = newwin(h, w, y > 0 ? y : 0, x > 0 ? x : 0);
	wbkgdset(win, ' ' | draw_attr(t, THEME_DIALOG));
	werase(win);
	wattrset(win, draw_attr(t, THEME_BORDER));
	box(win, 0, 0);
	wattrset(win, draw_attr(t, THEME_DIALOG_TITLE));
	if (title != NULL && title[0] != '\0') {
		draw_text(win, 0, 2, " ", 1, 0);
		draw_text(win, 0, 3, title, w - 6, 0);
		waddch(win, ' ');
	}
	wattrset(win, draw_attr(t, THEME_DIALOG));
	return win;
}
