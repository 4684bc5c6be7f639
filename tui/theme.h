/*
 * Themes: semantic elements (not widget names), each with a parent it
 * falls back to, read from small text files (docs/themes.md):
 *
 *   # okabe-ito: colour-blind-safe accents
 *   extends default
 *   state.running   fg=#009E73/green attr=bold glyph=● ascii=R
 *   cursor          attr=reverse
 *
 * A colour is default (the terminal's own), a name (red, bright-blue), an
 * index 0..255 or #RRGGBB, optionally followed by /FALLBACK: the colour
 * used on a terminal with 8 or 16 colours.  Pure: parsing, merging,
 * resolving and colour picking; curses is elsewhere (screen.c).
 */
#ifndef GPUQ_THEME_H
#define GPUQ_THEME_H

#include <stddef.h>

#include "core/base/buf.h"

#define THEME_MAX_TEXT  (64 * 1024)
#define THEME_NAME_MAX  64
#define THEME_GLYPH_MAX 16
#define THEME_MAX_DEPTH 8 /* extends chains */

/* X(ENUM, "name", PARENT): a parent comes before its children. */
#define THEME_ELEMENTS(X)                                                      \
	X(NORMAL, "normal", NORMAL)                                            \
	X(MUTED, "muted", NORMAL)                                              \
	X(TITLE, "title", NORMAL)                                              \
	X(HEADER, "header", NORMAL)                                            \
	X(SORT, "sort", HEADER)                                                \
	X(CURSOR, "cursor", NORMAL)                                            \
	X(MARK, "mark", NORMAL)                                                \
	X(TAB, "tab", MUTED)                                                   \
	X(TAB_ACTIVE, "tab.active", TITLE)                                     \
	X(STATUS, "status", NORMAL)                                            \
	X(STATUS_INFO, "status.info", STATUS)                                  \
	X(STATUS_WARN, "status.warn", STATUS)                                  \
	X(STATUS_ERROR, "status.error", STATUS)                                \
	X(HINT, "hint", MUTED)                                                 \
	X(KEY, "key", TITLE)                                                   \
	X(BORDER, "border", MUTED)                                             \
	X(DIALOG, "dialog", NORMAL)                                            \
	X(DIALOG_TITLE, "dialog.title", TITLE)                                 \
	X(DIALOG_BUTTON, "dialog.button", DIALOG)                              \
	X(DIALOG_FOCUS, "dialog.focus", CURSOR)                                \
	X(STATE, "state", NORMAL)                                              \
	X(STATE_PENDING, "state.pending", STATE)                               \
	X(STATE_SUSPENDED, "state.suspended", STATE)                           \
	X(STATE_RUNNING, "state.running", STATE)                               \
	X(STATE_COMPLETED, "state.completed", STATE)                           \
	X(STATE_FAILED, "state.failed", STATE)                                 \
	X(STATE_CANCELLED, "state.cancelled", STATE)                           \
	X(STATE_TIMEOUT, "state.timeout", STATE_FAILED)                        \
	X(STATE_UNKNOWN, "state.unknown", STATE)                               \
	X(STATE_STOPPED, "state.stopped", STATE_CANCELLED)                     \
	X(GPU_UTIL, "gpu.util", NORMAL)                                        \
	X(GPU_MEM, "gpu.mem", NORMAL)                                          \
	X(GPU_ALLOC, "gpu.alloc", NORMAL)                                      \
	X(GPU_IDLE, "gpu.idle", STATUS_WARN)                                   \
	X(GRAPH, "graph", GPU_UTIL)                                            \
	X(GRAPH_MEM, "graph.mem", GPU_MEM)                                     \
	X(OK, "ok", NORMAL)                                                    \
	X(SWEEP_BEST, "sweep.best", OK)                                        \
	X(WARN, "warn", STATUS_WARN)                                           \
	X(CRIT, "crit", STATUS_ERROR)                                          \
	X(STALE, "stale", MUTED)                                               \
	X(BANNER, "banner", STATUS_WARN)                                       \
	X(MATCH, "match", CURSOR)                                              \
	X(EVENT_ERROR, "event.error", STATUS_ERROR)                            \
	X(EVENT_WARN, "event.warn", STATUS_WARN)

enum theme_el {
#define THEME_EL_ENUM(e, name, parent) THEME_##e,
	THEME_ELEMENTS(THEME_EL_ENUM)
#undef THEME_EL_ENUM
	    THEME_NEL
};

/* Attributes, independent of curses. */
#define THEME_BOLD      0x01u
#define THEME_DIM       0x02u
#define THEME_REVERSE   0x04u
#define THEME_UNDERLINE 0x08u
#define THEME_ITALIC    0x10u
#define THEME_STANDOUT  0x20u
#define THEME_BLINK     0x40u

enum theme_ckind { THEME_C_UNSET, THEME_C_DEFAULT, THEME_C_INDEX, THEME_C_RGB };

struct theme_color {
	enum theme_ckind kind;
	int value;    /* INDEX: 0..255; RGB: 0xRRGGBB */
	int fallback; /* 0..15 for 8/16-colour terminals, or -1 */
};

struct theme_style {
	struct theme_color fg, bg;
	unsigned attrs;
	int attrs_set;
	char glyph[THEME_GLYPH_MAX]; /* UTF-8; "" when not set */
	char ascii[THEME_GLYPH_MAX]; /* the glyph without UTF-8 */
};

struct theme {
	char name[THEME_NAME_MAX];
	char extends[THEME_NAME_MAX];      /* "" for none */
	struct theme_style el[THEME_NEL];  /* as set by the file(s) */
	struct theme_style res[THEME_NEL]; /* resolved: after theme_resolve */
};

void theme_init(struct theme *th, const char *name);

/*
 * Reads a theme file's text into th (set fields only).  Each bad line is
 * described in errs ("NAME:LINE: what\n"); returns the number of bad
 * lines.
 */
int theme_parse(struct theme *th, const char *text, size_t len,
    struct buf *errs);

/* Lays child's set fields over base (the theme child extends). */
void theme_merge(struct theme *base, const struct theme *child);

/* Fills th->res: every unset field comes from the element's parent. */
void theme_resolve(struct theme *th);

/* The element called name, or -1. */
int theme_element(const char *name);
const char *theme_element_name(int el);
int theme_element_parent(int el);

/* Parses a colour ("red", "208", "#E69F00/yellow"): 0 or GQ_EINVAL. */
int theme_color_parse(const char *s, struct theme_color *c);

/*
 * The curses colour number for c on a terminal with ncolors colours:
 * -1 for the terminal's default, else 0..ncolors-1.  #RRGGBB maps to the
 * xterm 6x6x6 cube or grey ramp with 256 colours, and to the fallback (or
 * the nearest of the 8 or 16 ANSI colours) with fewer.
 */
int theme_color_pick(const struct theme_color *c, int ncolors);

#endif
