/*
 * Keys as gpuq sees them, independent of curses: a Unicode code point for
 * a typed character, 0..31 for control keys, and KEYS_* above the Unicode
 * range for the named keys a terminal sends.  Pure: names are parsed and
 * printed for the key map, the config file, the ? overlay and --keys.
 */
#ifndef GPUQ_KEYS_H
#define GPUQ_KEYS_H

#include <stddef.h>

#define KEYS_ESC      27
#define KEYS_ENTER    13
#define KEYS_TAB      9
#define KEYS_SPACE    32
#define KEYS_CTRL(c)  ((c)&0x1f) /* KEYS_CTRL('d') */
#define KEYS_META     0x400000   /* or'ed with a key: Alt-x */
#define KEYS_NAME_MAX 32

enum {
	KEYS_SPECIAL = 0x200000,
	KEYS_UP,
	KEYS_DOWN,
	KEYS_LEFT,
	KEYS_RIGHT,
	KEYS_HOME,
	KEYS_END,
	KEYS_PGUP,
	KEYS_PGDN,
	KEYS_BTAB,
	KEYS_BACKSPACE,
	KEYS_DELETE,
	KEYS_INSERT,
	KEYS_RESIZE,
	KEYS_MOUSE,
	KEYS_F0 = KEYS_SPECIAL + 0x100 /* KEYS_F0 + n is Fn */
};

#define KEYS_F(n) (KEYS_F0 + (n))

/*
 * Parses a key name: "a", "A", "?", "Space", "Enter", "Esc", "Tab",
 * "S-Tab", "Up", "PgDn", "F5", "Ctrl-D" (also "C-d", "^D"), "M-x" (also
 * "Alt-x").  Named keys are matched without regard to case.  Returns 0
 * and *key, or GQ_EINVAL.
 */
int keys_parse(const char *s, int *key);

/*
 * Writes the canonical name of key ("Ctrl-D", "S-Tab", "j", "Space") into
 * out (at least KEYS_NAME_MAX bytes).  Returns out.
 */
char *keys_name(int key, char *out, size_t n);

/* True for a key that types a character into a text field. */
int keys_printable(int key);

#endif
