#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/error.h"
#include "tui/keys.h"

struct keys_named {
	const char *name;
	int key;
};

/* Canonical names first: keys_name prints the first match. */
static const struct keys_named keys_names[] = {
	{ "Space", KEYS_SPACE },
	{ "Enter", KEYS_ENTER },
	{ "Esc", KEYS_ESC },
	{ "Tab", KEYS_TAB },
	{ "S-Tab", KEYS_BTAB },
	{ "Up", KEYS_UP },
	{ "Down", KEYS_DOWN },
	{ "Left", KEYS_LEFT },
	{ "Right", KEYS_RIGHT },
	{ "Home", KEYS_HOME },
	{ "End", KEYS_END },
	{ "PgUp", KEYS_PGUP },
	{ "PgDn", KEYS_PGDN },
	{ "Backspace", KEYS_BACKSPACE },
	{ "Del", KEYS_DELETE },
	{ "Ins", KEYS_INSERT },
	{ "Return", KEYS_ENTER },
	{ "Escape", KEYS_ESC },
	{ "BTab", KEYS_BTAB },
	{ "Shift-Tab", KEYS_BTAB },
	{ "PageUp", KEYS_PGUP },
	{ "PageDown", KEYS_PGDN },
	{ "Delete", KEYS_DELETE },
	{ "Insert", KEYS_INSERT },
	{ "BS", KEYS_BACKSPACE },
};

#define KEYS_NNAMES (sizeof(keys_names) / sizeof(keys_names[0]))

/* Decodes one UTF-8 character that must be the whole string. */
static int
keys_utf8(const char *s, int *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	int n, v, i;

	if (u[0] < 0x80) {
		n = 1;
		v = u[0];
	} else if ((u[0] & 0xe0) == 0xc0) {
		n = 2;
		v = u[0] & 0x1f;
	} else if ((u[0] & 0xf0) == 0xe0) {
		n = 3;
		v = u[0] & 0x0f;
	} else if ((u[0] & 0xf8) == 0xf0) {
		n = 4;
		v = u[0] & 0x07;
	} else
		return GQ_EINVAL;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return GQ_EINVAL;
		v = (v << 6) | (u[i] & 0x3f);
	}
	if (u[n] != '\0' || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return GQ_EINVAL;
	*cp = v;
	return 0;
}

/* "D" after "Ctrl-": letters and @[\]^_ ; "Space" is Ctrl-@. */
static int
keys_parse_ctrl(const char *s, int *key)
{
	int c;

	if (strcasecmp(s, "Space") == 0) {
		*key = 0;
		return 0;
	}
	if (s[0] == '\0' || s[1] != '\0')
		return GQ_EINVAL;
	c = (unsigned char)s[0];
	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c < '@' || c > '_')
		return GQ_EINVAL;
	*key = c & 0x1f;
	return 0;
}

static int
keys_parse_f(const char *s, int *key)
{
	char *end;
	long n;

	if ((s[0] != 'F' && s[0] != 'f') || s[1] < '1' || s[1] > '9')
		return GQ_EINVAL;
	n = strtol(s + 1, &end, 10);
	if (*end != '\0' || n < 1 || n > 24)
		return GQ_EINVAL;
	*key = KEYS_F(n);
	return 0;
}

static int
keys_parse_plain(const char *s, int *key)
{
	size_t i;

	for (i = 0; i < KEYS_NNAMES; i++)
		if (strcasecmp(s, keys_names[i].name) == 0) {
			*key = keys_names[i].key;
			return 0;
		}
	if (keys_parse_f(s, key) == 0)
		return 0;
	if (keys_utf8(s, key) != 0 || *key < 0x20 || *key == 0x7f)
		return GQ_EINVAL;
	return 0;
}

int
keys_parse(const char *s, int *key)
{
	int k;

	if (s == NULL || s[0] == '\0')
		return GQ_EINVAL;
	if (strncasecmp(s, "Ctrl-", 5) == 0)
		return keys_parse_ctrl(s + 5, key);
	if (strncasecmp(s, "C-", 2) == 0 && s[2] != '\0')
		return keys_parse_ctrl(s + 2, key);
	if (s[0] == '^' && s[1] != '\0')
		return keys_parse_ctrl(s + 1, key);
	if ((strncasecmp(s, "M-", 2) == 0 && s[2] != '\0') ||
	    strncasecmp(s, "Alt-", 4) == 0) {
		if (keys_parse_plain(s + (s[1] == '-' ? 2 : 4), &k) != 0)
			return GQ_EINVAL;
		*key = KEYS_META | k;
		return 0;
	}
	return keys_parse_plain(s, key);
}

static void
keys_put_utf8(int cp, char *out, size_t n)
{
	char b[5] = { 0 };

	if (cp < 0x80)
		b[0] = (char)cp;
	else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
	}
	snprintf(out, n, "%s", b);
}

char *
keys_name(int key, char *out, size_t n)
{
	char inner[KEYS_NAME_MAX];
	size_t i;

	if (key & KEYS_META) {
		keys_name(key & ~KEYS_META, inner, sizeof(inner));
		snprintf(out, n, "M-%s", inner);
		return out;
	}
	for (i = 0; i < KEYS_NNAMES; i++)
		if (keys_names[i].key == key) {
			snprintf(out, n, "%s", keys_names[i].name);
			return out;
		}
	if (key >= KEYS_F(1) && key <= KEYS_F(24))
		snprintf(out, n, "F%d", key - KEYS_F0);
	else if (key >= 0 && key < 0x20)
		snprintf(out, n, "Ctrl-%c", key == 0 ? '@' : key | 0x40);
	else if (key > 0x20 && key <= 0x10ffff && key != 0x7f)
		keys_put_utf8(key, out, n);
	else
		snprintf(out, n, "<%#x>", (unsigned)key);
	return out;
}

int
keys_printable(int key)
{
	return key >= 0x20 && key != 0x7f && key <= 0x10ffff;
}
