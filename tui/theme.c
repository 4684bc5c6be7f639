#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/str.h"
#include "core/base/error.h"
#include "tui/theme.h"

#define THEME_LINE_MAX  512
#define THEME_MAX_WORDS 8

static const char *const theme_names[] = {
#define THEME_EL_NAME(e, name, parent) name,
	THEME_ELEMENTS(THEME_EL_NAME)
#undef THEME_EL_NAME
};

static const int theme_parents[] = {
#define THEME_EL_PARENT(e, name, parent) THEME_##parent,
	THEME_ELEMENTS(THEME_EL_PARENT)
#undef THEME_EL_PARENT
};

static const char *const theme_cnames[] = { "black", "red", "green", "yellow",
	"blue", "magenta", "cyan", "white" };

/* The xterm palette of the 16 ANSI colours, for nearest-colour picks. */
static const int theme_ansi_rgb[16] = { 0x000000, 0xcd0000, 0x00cd00, 0xcdcd00,
	0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00,
	0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff };

static const int theme_cube[6] = { 0, 95, 135, 175, 215, 255 };

void
theme_init(struct theme *th, const char *name)
{
	memset(th, 0, sizeof(*th));
	snprintf(th->name, sizeof(th->name), "%s", name);
}

int
theme_element(const char *name)
{
	int i;

	for (i = 0; i < THEME_NEL; i++)
		if (strcmp(theme_names[i], name) == 0)
			return i;
	return -1;
}

const char *
theme_element_name(int el)
{
	return el >= 0 && el < THEME_NEL ? theme_names[el] : "?";
}

int
theme_element_parent(int el)
{
	return el > 0 && el < THEME_NEL ? theme_parents[el] : -1;
}

/* "red", "bright-red", "grey": 0..15, or -1. */
static int
theme_cname(const char *s)
{
	int i, bright = 0;

	if (strcasecmp(s, "grey") == 0 || strcasecmp(s, "gray") == 0)
		return 8;
	if (strncasecmp(s, "bright-", 7) == 0) {
		bright = 8;
		s += 7;
	}
	for (i = 0; i < 8; i++)
		if (strcasecmp(s, theme_cnames[i]) == 0)
			return i + bright;
	return -1;
}

static int
theme_hex(const char *s, int *rgb)
{
	int i, v = 0, d;

	if (strlen(s) != 7 || s[0] != '#')
		return GQ_EINVAL;
	for (i = 1; i < 7; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return GQ_EINVAL;
		v = v * 16 + d;
	}
	*rgb = v;
	return 0;
}

/* One colour without a fallback. */
static int
theme_color_one(const char *s, struct theme_color *c)
{
	char *end;
	long v;

	if (strcasecmp(s, "default") == 0) {
		c->kind = THEME_C_DEFAULT;
		return 0;
	}
	if (s[0] == '#') {
		c->kind = THEME_C_RGB;
		return theme_hex(s, &c->value);
	}
	if (s[0] >= '0' && s[0] <= '9') {
		v = strtol(s, &end, 10);
		if (*end != '\0' || v > 255 || end - s > 3)
			return GQ_EINVAL;
		c->kind = THEME_C_INDEX;
		c->value = (int)v;
		return 0;
	}
	if ((c->value = theme_cname(s)) < 0)
		return GQ_EINVAL;
	c->kind = THEME_C_INDEX;
	return 0;
}

int
theme_color_parse(const char *s, struct theme_color *c)
{
	char main[32];
	const char *slash = strchr(s, '/');
	struct theme_color fb;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	memset(c, 0, sizeof(*c));
	c->fallback = -1;
	if (n == 0 || n >= sizeof(main))
		return GQ_EINVAL;
	memcpy(main, s, n);
	main[n] = '\0';
	if (theme_color_one(main, c) != 0)
		return GQ_EINVAL;
	if (slash == NULL)
		return 0;
	memset(&fb, 0, sizeof(fb));
	if (theme_color_one(slash + 1, &fb) != 0 || fb.kind != THEME_C_INDEX ||
	    fb.value > 15)
		return GQ_EINVAL;
	c->fallback = fb.value;
	return 0;
}

static int
theme_attr_one(const char *s, unsigned *a)
{
	static const struct {
		const char *name;
		unsigned bit;
	} attrs[] = { { "bold", THEME_BOLD }, { "dim", THEME_DIM },
		{ "reverse", THEME_REVERSE }, { "underline", THEME_UNDERLINE },
		{ "italic", THEME_ITALIC }, { "standout", THEME_STANDOUT },
		{ "blink", THEME_BLINK }, { "none", 0 }, { "normal", 0 } };
	size_t i;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (strcasecmp(s, attrs[i].name) == 0) {
			*a |= attrs[i].bit;
			return 0;
		}
	return GQ_EINVAL;
}

/* "bold,reverse" */
static int
theme_attrs(const char *s, unsigned *a)
{
	char word[32];
	const char *comma;
	size_t n;

	*a = 0;
	for (;;) {
		comma = strchr(s, ',');
		n = comma ? (size_t)(comma - s) : strlen(s);
		if (n == 0 || n >= sizeof(word))
			return GQ_EINVAL;
		memcpy(word, s, n);
		word[n] = '\0';
		if (theme_attr_one(word, a) != 0)
			return GQ_EINVAL;
		if (comma == NULL)
			return 0;
		s = comma + 1;
	}
}

/* A glyph: printable, no spaces, at most THEME_GLYPH_MAX - 1 bytes. */
static int
theme_glyph(const char *s, char *out)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= THEME_GLYPH_MAX)
		return GQ_EINVAL;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return GQ_EINVAL;
	memcpy(out, s, n + 1);
	return 0;
}

static int
theme_kv(struct theme_style *st, const char *w, const char **why)
{
	const char *eq = strchr(w, '=');
	size_t k = eq ? (size_t)(eq - w) : 0;
	const char *v = eq ? eq + 1 : "";

	*why = "expected fg=, bg=, attr=, glyph= or ascii=";
	if (k == 2 && strncmp(w, "fg", 2) == 0) {
		*why = "bad colour";
		return theme_color_parse(v, &st->fg);
	}
	if (k == 2 && strncmp(w, "bg", 2) == 0) {
		*why = "bad colour";
		return theme_color_parse(v, &st->bg);
	}
	if (k == 4 && strncmp(w, "attr", 4) == 0) {
		*why = "bad attribute (bold, dim, reverse, underline, italic, "
		       "standout, blink, none)";
		st->attrs_set = 1;
		return theme_attrs(v, &st->attrs);
	}
	if (k == 5 && strncmp(w, "glyph", 5) == 0) {
		*why = "bad glyph";
		return theme_glyph(v, st->glyph);
	}
	if (k == 5 && strncmp(w, "ascii", 5) == 0) {
		*why = "bad ascii glyph";
		if (theme_glyph(v, st->ascii) != 0 || (v[0] & 0x80))
			return GQ_EINVAL;
		return 0;
	}
	return GQ_EINVAL;
}

static int
theme_name_word(char *dst, const char *v, const char **why)
{
	size_t i;

	*why = "a theme name uses letters, digits, '-', '_' and '.'";
	if (strlen(v) >= THEME_NAME_MAX || v[0] == '.')
		return GQ_EINVAL;
	for (i = 0; v[i] != '\0'; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
		        (v[i] >= 'A' && v[i] <= 'Z') ||
		        (v[i] >= '0' && v[i] <= '9') || v[i] == '-' ||
		        v[i] == '_' || v[i] == '.'))
			return GQ_EINVAL;
	strcpy(dst, v);
	return 0;
}

static int
theme_line(struct theme *th, char *text, const char **why)
{
	struct theme_style st;
	char *w[THEME_MAX_WORDS];
	int n, i, el;

	if ((n = str_words(text, w, THEME_MAX_WORDS)) < 0) {
		*why = "too many words";
		return GQ_EINVAL;
	}
	if (n == 0)
		return 0;
	if (strcmp(w[0], "extends") == 0 || strcmp(w[0], "name") == 0) {
		*why = "expected: extends NAME";
		if (n != 2)
			return GQ_EINVAL;
		return theme_name_word(w[0][0] == 'e' ? th->extends : th->name,
		    w[1], why);
	}
	if ((el = theme_element(w[0])) < 0) {
		*why = "unknown element";
		return GQ_EINVAL;
	}
	st = th->el[el];
	for (i = 1; i < n; i++)
		if (theme_kv(&st, w[i], why) != 0)
			return GQ_EINVAL;
	th->el[el] = st;
	return 0;
}

static int
theme_line_cb(char *line, int lineno, const char **why, void *arg)
{
	*why = NULL;
	return theme_line(arg, line, why);
}

int
theme_parse(struct theme *th, const char *text, size_t len, struct buf *errs)
{
	if (len > THEME_MAX_TEXT) {
		buf_printf(errs, "%s: larger than %d bytes\n", th->name,
		    THEME_MAX_TEXT);
		return 1;
	}
	return str_each_line(th->name, text, len, THEME_LINE_MAX, theme_line_cb,
	    th, errs);
}

static void
theme_overlay(struct theme_style *dst, const struct theme_style *src)
{
	if (src->fg.kind != THEME_C_UNSET)
		dst->fg = src->fg;
	if (src->bg.kind != THEME_C_UNSET)
		dst->bg = src->bg;
	if (src->attrs_set) {
		dst->attrs = src->attrs;
		dst->attrs_set = 1;
	}
	if (src->glyph[0] != '\0')
		memcpy(dst->glyph, src->glyph, sizeof(dst->glyph));
	if (src->ascii[0] != '\0')
		memcpy(dst->ascii, src->ascii, sizeof(dst->ascii));
}

void
theme_merge(struct theme *base, const struct theme *child)
{
	int i;

	for (i = 0; i < THEME_NEL; i++)
		theme_overlay(&base->el[i], &child->el[i]);
	memcpy(base->name, child->name, sizeof(base->name));
	base->extends[0] = '\0';
}

void
theme_resolve(struct theme *th)
{
	struct theme_style root;
	int i;

	memset(&root, 0, sizeof(root));
	root.fg.kind = root.bg.kind = THEME_C_DEFAULT;
	root.fg.fallback = root.bg.fallback = -1;
	root.attrs_set = 1;
	theme_overlay(&root, &th->el[0]);
	th->res[0] = root;
	for (i = 1; i < THEME_NEL; i++) {
		th->res[i] = th->res[theme_parents[i]];
		theme_overlay(&th->res[i], &th->el[i]);
	}
}

static int
theme_index_rgb(int idx)
{
	int r, g, b;

	if (idx < 16)
		return theme_ansi_rgb[idx];
	if (idx >= 232) {
		r = 8 + 10 * (idx - 232);
		return (r << 16) | (r << 8) | r;
	}
	idx -= 16;
	r = theme_cube[idx / 36];
	g = theme_cube[(idx / 6) % 6];
	b = theme_cube[idx % 6];
	return (r << 16) | (g << 8) | b;
}

static int
theme_dist(int a, int b)
{
	int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
	int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
	int db = (a & 0xff) - (b & 0xff);

	return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

/* The nearest of the first n palette colours (n is 8 or 16). */
static int
theme_nearest_ansi(int rgb, int n)
{
	int i, best = 0, bd = -1, d;

	for (i = 0; i < n; i++) {
		d = theme_dist(rgb, theme_ansi_rgb[i]);
		if (bd < 0 || d < bd) {
			bd = d;
			best = i;
		}
	}
	return best;
}

/* The nearest xterm-256 colour: cube or grey ramp. */
static int
theme_nearest_256(int rgb)
{
	int c[3], i, j, best, cube, grey, avg;

	for (i = 0; i < 3; i++) {
		int v = (rgb >> (16 - 8 * i)) & 0xff;

		best = 0;
		for (j = 1; j < 6; j++)
			if (abs(theme_cube[j] - v) < abs(theme_cube[best] - v))
				best = j;
		c[i] = best;
	}
	cube = 16 + 36 * c[0] + 6 * c[1] + c[2];
	avg = (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
	j = (avg - 8 + 5) / 10;
	grey = 232 + (j < 0 ? 0 : j > 23 ? 23 : j);
	return theme_dist(rgb, theme_index_rgb(grey)) <
	        theme_dist(rgb, theme_index_rgb(cube)) ?
	    grey :
	    cube;
}

int
theme_color_pick(const struct theme_color *c, int ncolors)
{
	int n16 = ncolors >= 16 ? 16 : 8, rgb;

	if (c->kind == THEME_C_UNSET || c->kind == THEME_C_DEFAULT ||
	    ncolors < 8)
		return -1;
	if (c->kind == THEME_C_INDEX && c->value < ncolors)
		return c->value;
	if (ncolors >= 256)
		return theme_nearest_256(c->value);
	if (c->fallback >= 0)
		return c->fallback < ncolors ? c->fallback : c->fallback - 8;
	rgb = c->kind == THEME_C_RGB ? c->value : theme_index_rgb(c->value);
	return theme_nearest_ansi(rgb, n16);
}
