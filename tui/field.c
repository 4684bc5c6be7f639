#include <stdio.h>
#include <string.h>

#include "tui/field.h"
#include "tui/fmt.h"
#include "tui/keys.h"

void
field_set(struct field *f, const char *text)
{
	size_t n = strlen(text);

	if (n >= FIELD_MAX) {
		n = FIELD_MAX - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(f->text, text, n);
	f->text[n] = '\0';
	f->len = f->cur = n;
}

static size_t
field_prev(const struct field *f, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)f->text[at] & 0xc0) == 0x80)
		at--;
	return at;
}

static size_t
field_next(const struct field *f, size_t at)
{
	if (at >= f->len)
		return f->len;
	at++;
	while (at < f->len && ((unsigned char)f->text[at] & 0xc0) == 0x80)
		at++;
	return at;
}

/* Removes bytes [a, b). */
static void
field_cut(struct field *f, size_t a, size_t b)
{
	memmove(f->text + a, f->text + b, f->len - b + 1);
	f->len -= b - a;
	f->cur = a;
}

static void
field_insert(struct field *f, int cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (f->len + n >= FIELD_MAX)
		return;
	memmove(f->text + f->cur + n, f->text + f->cur, f->len - f->cur + 1);
	memcpy(f->text + f->cur, u, n);
	f->len += n;
	f->cur += n;
}

static void
field_word_back(struct field *f)
{
	size_t a = f->cur;

	while (a > 0 && f->text[a - 1] == ' ')
		a--;
	while (a > 0 && f->text[a - 1] != ' ')
		a--;
	field_cut(f, a, f->cur);
}

int
field_key(struct field *f, int key)
{
	if (keys_printable(key) && !(key & KEYS_META)) {
		field_insert(f, key);
		return 1;
	}
	switch (key) {
	case KEYS_BACKSPACE:
		if (f->cur > 0)
			field_cut(f, field_prev(f, f->cur), f->cur);
		return 1;
	case KEYS_DELETE:
	case KEYS_CTRL('d'):
		if (f->cur < f->len)
			field_cut(f, f->cur, field_next(f, f->cur));
		return 1;
	case KEYS_LEFT:
	case KEYS_CTRL('b'):
		f->cur = field_prev(f, f->cur);
		return 1;
	case KEYS_RIGHT:
	case KEYS_CTRL('f'):
		f->cur = field_next(f, f->cur);
		return 1;
	case KEYS_HOME:
	case KEYS_CTRL('a'):
		f->cur = 0;
		return 1;
	case KEYS_END:
	case KEYS_CTRL('e'):
		f->cur = f->len;
		return 1;
	case KEYS_CTRL('u'):
		field_cut(f, 0, f->cur);
		return 1;
	case KEYS_CTRL('k'):
		f->text[f->cur] = '\0';
		f->len = f->cur;
		return 1;
	case KEYS_CTRL('w'):
		field_word_back(f);
		return 1;
	default:
		return 0;
	}
}

size_t
field_cursor_col(const struct field *f)
{
	char tmp[FIELD_MAX];

	memcpy(tmp, f->text, f->cur);
	tmp[f->cur] = '\0';
	return fmt_width(tmp);
}
