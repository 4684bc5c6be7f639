/*
 * curses: starting and stopping it, colours from the theme, reading keys,
 * suspending, and putting the terminal back on every way out.
 */
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/keys.h"
#include "tui/tui.h"

#define SCREEN_EMERG_MAX 512

/* What a signal handler writes to put the terminal back. */
static char screen_emerg[SCREEN_EMERG_MAX];
static size_t screen_emerg_len;
static struct termios screen_tio;
static int screen_have_tio;
static volatile sig_atomic_t screen_live;

void
screen_emergency(void)
{
	ssize_t n;

	if (!screen_live)
		return;
	screen_live = 0;
	if (screen_emerg_len > 0)
		n = write(STDOUT_FILENO, screen_emerg, screen_emerg_len);
	(void)n;
	if (screen_have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &screen_tio);
}

static void
screen_emerg_add(const char *cap)
{
	char *s = tigetstr(cap);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (screen_emerg_len + n >= sizeof(screen_emerg))
		return;
	memcpy(screen_emerg + screen_emerg_len, s, n);
	screen_emerg_len += n;
}

/* Prepares the restore sequence: mouse off, attributes, cursor, screen. */
static void
screen_emerg_prepare(void)
{
	static const char mouse_off[] = "\033[?1000l\033[?1002l\033[?1006l";

	screen_emerg_len = 0;
	memcpy(screen_emerg, mouse_off, sizeof(mouse_off) - 1);
	screen_emerg_len = sizeof(mouse_off) - 1;
	screen_emerg_add("sgr0");
	screen_emerg_add("cnorm");
	screen_emerg_add("rmkx");
	screen_emerg_add("rmcup");
}

static void
screen_size(struct tui *t)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0) {
		t->scr.rows = ws.ws_row;
		t->scr.cols = ws.ws_col;
	} else {
		t->scr.rows = LINES;
		t->scr.cols = COLS;
	}
}

static void
screen_windows(struct tui *t)
{
	struct screen *s = &t->scr;
	int body = s->rows - 3 > 1 ? s->rows - 3 : 1;

	if (s->head != NULL) {
		delwin(s->head);
		delwin(s->body);
		delwin(s->foot);
	}
	s->head = newwin(1, s->cols, 0, 0);
	s->body = newwin(body, s->cols, 1, 0);
	s->foot = newwin(2, s->cols, s->rows - 2 > 0 ? s->rows - 2 : 0, 0);
}

static void
screen_modes(void)
{
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
}

static void
screen_colors(struct tui *t)
{
	t->scr.color = 0;
	t->scr.ncolors = 0;
	if (t->no_color || !has_colors())
		return;
	start_color();
	if (use_default_colors() != OK)
		assume_default_colors(COLOR_WHITE, COLOR_BLACK);
	t->scr.color = 1;
	t->scr.ncolors = COLORS;
}

int
screen_start(struct tui *t, char **cause)
{
	const char *cs = nl_langinfo(CODESET);

	t->scr.utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	if (tcgetattr(STDIN_FILENO, &screen_tio) == 0)
		screen_have_tio = 1;
	t->scr.sp = newterm(NULL, stdout, stdin);
	if (t->scr.sp == NULL) {
		*cause = xasprintf("cannot start the terminal (TERM=%s)",
		    getenv("TERM") ? getenv("TERM") : "unset");
		return GQ_EIO;
	}
	set_term(t->scr.sp);
	screen_emerg_prepare();
	screen_live = 1;
	t->scr.active = 1;
	screen_modes();
	screen_colors(t);
	define_key("\033[Z", KEY_BTAB);
	screen_size(t);
	resize_term(t->scr.rows, t->scr.cols);
	screen_windows(t);
	screen_apply_theme(t);
	return 0;
}

void
screen_stop(struct tui *t)
{
	if (!t->scr.active)
		return;
	screen_mouse(t, 0);
	if (t->scr.head != NULL) {
		delwin(t->scr.head);
		delwin(t->scr.body);
		delwin(t->scr.foot);
		t->scr.head = t->scr.body = t->scr.foot = NULL;
	}
	endwin();
	delscreen(t->scr.sp);
	t->scr.sp = NULL;
	t->scr.active = 0;
	screen_live = 0;
}

static attr_t
screen_attrs(unsigned a)
{
	attr_t r = A_NORMAL;

	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_DIM)
		r |= A_DIM;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_ITALIC)
		r |= A_ITALIC;
	if (a & THEME_STANDOUT)
		r |= A_STANDOUT;
	if (a & THEME_BLINK)
		r |= A_BLINK;
	return r;
}

void
screen_apply_theme(struct tui *t)
{
	const struct theme_style *st;
	int i, fg, bg;

	for (i = 0; i < THEME_NEL; i++) {
		st = &t->theme.res[i];
		t->scr.attr[i] = screen_attrs(st->attrs);
		if (!t->scr.color || i + 1 >= COLOR_PAIRS)
			continue;
		fg = theme_color_pick(&st->fg, t->scr.ncolors);
		bg = theme_color_pick(&st->bg, t->scr.ncolors);
		if (fg < 0 && bg < 0)
			continue;
		init_pair((short)(i + 1), (short)fg, (short)bg);
		t->scr.attr[i] |= COLOR_PAIR(i + 1);
	}
	t->full_redraw = 1;
}

void
screen_resize(struct tui *t)
{
	if (!t->scr.active)
		return;
	screen_size(t);
	resize_term(t->scr.rows, t->scr.cols);
	screen_windows(t);
	clearok(curscr, TRUE);
	t->full_redraw = 1;
}

/* A function key from curses as a KEYS_* key, or -1 to skip it. */
static int
screen_fkey(int k)
{
	static const int map[][2] = { { KEY_UP, KEYS_UP },
		{ KEY_DOWN, KEYS_DOWN }, { KEY_LEFT, KEYS_LEFT },
		{ KEY_RIGHT, KEYS_RIGHT }, { KEY_HOME, KEYS_HOME },
		{ KEY_END, KEYS_END }, { KEY_PPAGE, KEYS_PGUP },
		{ KEY_NPAGE, KEYS_PGDN }, { KEY_BTAB, KEYS_BTAB },
		{ KEY_BACKSPACE, KEYS_BACKSPACE }, { KEY_DC, KEYS_DELETE },
		{ KEY_IC, KEYS_INSERT }, { KEY_ENTER, KEYS_ENTER },
		{ KEY_RESIZE, KEYS_RESIZE }, { KEY_MOUSE, KEYS_MOUSE },
		{ KEY_FIND, KEYS_HOME }, { KEY_SELECT, KEYS_END } };
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i][0] == k)
			return map[i][1];
	if (k >= KEY_F(1) && k <= KEY_F(24))
		return KEYS_F(k - KEY_F0);
	return -1;
}

/* A character from curses as a key. */
static int
screen_ckey(wint_t wc)
{
	if (wc == '\n' || wc == '\r')
		return KEYS_ENTER;
	if (wc == 0x7f || wc == '\b')
		return KEYS_BACKSPACE;
	return (int)wc;
}

/* One raw read: 1 (char), 2 (function key), 0 (nothing). */
static int
screen_read(int *key)
{
	wint_t wc;
	int kind;

	for (;;) {
		kind = wget_wch(stdscr, &wc);
		if (kind == ERR)
			return 0;
		if (kind == KEY_CODE_YES) {
			if ((*key = screen_fkey((int)wc)) >= 0)
				return 2;
			continue;
		}
		*key = screen_ckey(wc);
		return 1;
	}
}

int
screen_key(struct tui *t, int *key, MEVENT *mev)
{
	static int pushed = -1;
	int kind, next;

	if (pushed >= 0) {
		*key = pushed;
		pushed = -1;
		return 1;
	}
	if ((kind = screen_read(key)) == 0)
		return 0;
	if (*key == KEYS_MOUSE && getmouse(mev) != OK)
		return screen_key(t, key, mev);
	if (kind != 1 || *key != KEYS_ESC)
		return 1;
	/* Esc followed at once by a character is Alt-character. */
	kind = screen_read(&next);
	if (kind == 1 && next != KEYS_ESC)
		*key = KEYS_META | next;
	else if (kind != 0)
		pushed = next;
	return 1;
}

void
screen_suspend(struct tui *t)
{
	if (!t->scr.active)
		return;
	screen_mouse(t, 0);
	endwin();
	screen_live = 0;
}

void
screen_resume(struct tui *t)
{
	if (!t->scr.active)
		return;
	screen_live = 1;
	reset_prog_mode();
	screen_modes();
	screen_mouse(t, t->mouse);
	screen_resize(t);
}

void
screen_mouse(struct tui *t, int on)
{
	if (!t->scr.active)
		return;
	if (on) {
		mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED |
		        BUTTON5_PRESSED,
		    NULL);
		mouseinterval(0);
	} else
		mousemask(0, NULL);
	t->scr.mouse = on;
}

void
screen_osc52(struct tui *t, const char *text)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	                          "qrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text), i;
	struct buf b;
	unsigned v;

	buf_init(&b, 1024 * 1024);
	buf_addstr(&b, "\033]52;c;");
	for (i = 0; i < n; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_printf(&b, "%c%c%c%c", tab[(v >> 18) & 63],
		    tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=',
		    i + 2 < n ? tab[v & 63] : '=');
	}
	buf_addstr(&b, "\a");
	if (b.data != NULL && write(STDOUT_FILENO, b.data, b.len) < 0)
		tui_status(t, REVENT_WARN, "could not write to the terminal");
	buf_done(&b);
}
