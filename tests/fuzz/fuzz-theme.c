/*
 * libFuzzer target for the theme parser (tui/theme.c): any bytes as a
 * theme file, parsed over a base theme, merged, resolved; every resolved
 * element must have its colours set and its glyphs terminated, and colour
 * picks must stay in the terminal's range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "tui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_THEME_ASSERT(x)                                                   \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static void
fuzz_theme_check(const struct theme *th)
{
	static const int depths[] = { 0, 8, 16, 88, 256 };
	int i, k, c;

	for (i = 0; i < THEME_NEL; i++) {
		FUZZ_THEME_ASSERT(th->res[i].fg.kind != THEME_C_UNSET);
		FUZZ_THEME_ASSERT(th->res[i].bg.kind != THEME_C_UNSET);
		FUZZ_THEME_ASSERT(
		    memchr(th->res[i].glyph, 0, THEME_GLYPH_MAX) != NULL);
		FUZZ_THEME_ASSERT(
		    memchr(th->res[i].ascii, 0, THEME_GLYPH_MAX) != NULL);
		for (k = 0; k < 5; k++) {
			c = theme_color_pick(&th->res[i].fg, depths[k]);
			FUZZ_THEME_ASSERT(c >= -1 && c < 256);
			FUZZ_THEME_ASSERT(c < depths[k] || c == -1);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme base, child;
	struct buf errs;

	buf_init(&errs, 1024 * 1024);
	theme_init(&base, "base");
	theme_parse(&base, "normal fg=white\nstate attr=bold glyph=x\n", 40,
	    &errs);
	theme_init(&child, "fuzz");
	theme_parse(&child, (const char *)data, size, &errs);
	FUZZ_THEME_ASSERT(memchr(child.extends, 0, THEME_NAME_MAX) != NULL);
	theme_merge(&base, &child);
	theme_resolve(&base);
	fuzz_theme_check(&base);
	buf_done(&errs);
	return 0;
}
