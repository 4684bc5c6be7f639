/*
 * The theme parser and resolver (tui/theme.c), the themes shipped in
 * themes/ (through the built-in copies), and the config parser
 * (tui/conf.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "tui/conf.h"
#include "tui/theme.h"
#include "tui/tui.h"

static int
parse(struct theme *th, const char *text, struct buf *errs)
{
	return theme_parse(th, text, strlen(text), errs);
}

static void
test_colors(void **state)
{
	struct theme_color c;

	assert_int_equal(theme_color_parse("default", &c), 0);
	assert_int_equal(c.kind, THEME_C_DEFAULT);
	assert_int_equal(theme_color_pick(&c, 256), -1);
	assert_int_equal(theme_color_parse("red", &c), 0);
	assert_int_equal(theme_color_pick(&c, 8), 1);
	assert_int_equal(theme_color_parse("bright-blue", &c), 0);
	assert_int_equal(theme_color_pick(&c, 16), 12);
	assert_int_equal(theme_color_pick(&c, 8), 4); /* nearest of 8 */
	assert_int_equal(theme_color_parse("208", &c), 0);
	assert_int_equal(theme_color_pick(&c, 256), 208);
	/* Okabe-Ito orange: the 256 cube, else its fallback. */
	assert_int_equal(theme_color_parse("#E69F00/yellow", &c), 0);
	assert_int_equal(c.kind, THEME_C_RGB);
	assert_int_equal(theme_color_pick(&c, 256), 178); /* #D7AF00 */
	assert_int_equal(theme_color_pick(&c, 8), 3);
	assert_int_equal(theme_color_parse("#808080", &c), 0);
	assert_int_equal(theme_color_pick(&c, 256), 244); /* grey ramp */
	assert_int_equal(theme_color_pick(&c, 0), -1);    /* no colours */
	assert_int_equal(theme_color_parse("#12345", &c), GQ_EINVAL);
	assert_int_equal(theme_color_parse("#GGGGGG", &c), GQ_EINVAL);
	assert_int_equal(theme_color_parse("256", &c), GQ_EINVAL);
	assert_int_equal(theme_color_parse("purple", &c), GQ_EINVAL);
	assert_int_equal(theme_color_parse("#000000/208", &c), GQ_EINVAL);
	assert_int_equal(theme_color_parse("", &c), GQ_EINVAL);
}

static void
test_parse_and_fallback(void **state)
{
	struct theme th;
	struct buf errs;

	buf_init(&errs, 4096);
	theme_init(&th, "t");
	assert_int_equal(parse(&th,
	                     "# a comment\n"
	                     "normal fg=white bg=black\r\n"
	                     "state attr=bold glyph=\xe2\x97\x8f ascii=S\n"
	                     "state.running fg=green\n"
	                     "\n",
	                     &errs),
	    0);
	theme_resolve(&th);
	/* running: its own fg, bold and glyph from state, bg from normal. */
	assert_int_equal(th.res[THEME_STATE_RUNNING].fg.value, 2);
	assert_int_equal(th.res[THEME_STATE_RUNNING].bg.value, 0);
	assert_int_equal(th.res[THEME_STATE_RUNNING].attrs, THEME_BOLD);
	assert_string_equal(th.res[THEME_STATE_RUNNING].glyph, "\xe2\x97\x8f");
	assert_string_equal(th.res[THEME_STATE_RUNNING].ascii, "S");
	/* timeout falls back to failed, then state, then normal. */
	assert_int_equal(th.res[THEME_STATE_TIMEOUT].fg.value, 7);
	assert_int_equal(th.res[THEME_STATE_TIMEOUT].attrs, THEME_BOLD);
	/* Nothing set: the terminal's own colours. */
	theme_init(&th, "empty");
	theme_resolve(&th);
	assert_int_equal(th.res[THEME_CURSOR].fg.kind, THEME_C_DEFAULT);
	buf_done(&errs);
}

static void
test_bad_lines(void **state)
{
	struct theme th;
	struct buf errs;

	buf_init(&errs, 4096);
	theme_init(&th, "bad");
	assert_int_equal(parse(&th,
	                     "nosuch fg=red\n"
	                     "normal fg=nocolour\n"
	                     "normal attr=loud\n"
	                     "normal speed=9\n"
	                     "extends\n"
	                     "extends ../../etc/passwd\n"
	                     "cursor attr=reverse\n",
	                     &errs),
	    6);
	assert_non_null(strstr(errs.data, "bad:1: unknown element"));
	assert_non_null(strstr(errs.data, "bad:2: bad colour"));
	assert_non_null(strstr(errs.data, "bad:6: a theme name"));
	/* The good line still counts; a bad line changes nothing. */
	assert_int_equal(th.el[THEME_CURSOR].attrs, THEME_REVERSE);
	assert_int_equal(th.el[THEME_NORMAL].fg.kind, THEME_C_UNSET);
	buf_done(&errs);
}

static void
test_limits(void **state)
{
	char *big = malloc(THEME_MAX_TEXT + 2), line[600];
	struct theme th;
	struct buf errs;

	memset(big, '#', THEME_MAX_TEXT + 1);
	big[THEME_MAX_TEXT + 1] = '\0';
	buf_init(&errs, 4096);
	theme_init(&th, "big");
	assert_int_equal(theme_parse(&th, big, THEME_MAX_TEXT + 1, &errs), 1);
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(parse(&th, line, &errs), 1);
	assert_int_equal(theme_parse(&th, "normal\0fg=red", 13, &errs), 1);
	assert_int_equal(parse(&th, "mark glyph=0123456789abcdefgh", &errs), 1);
	free(big);
	buf_done(&errs);
}

static void
test_merge(void **state)
{
	struct theme base, child;
	struct buf errs;

	buf_init(&errs, 4096);
	theme_init(&base, "base");
	theme_init(&child, "child");
	parse(&base, "state.running fg=green attr=bold\nmark fg=red\n", &errs);
	parse(&child, "extends base\nstate.running fg=blue\n", &errs);
	assert_string_equal(child.extends, "base");
	theme_merge(&base, &child);
	theme_resolve(&base);
	assert_string_equal(base.name, "child");
	assert_int_equal(base.res[THEME_STATE_RUNNING].fg.value, 4);
	assert_int_equal(base.res[THEME_STATE_RUNNING].attrs, THEME_BOLD);
	assert_int_equal(base.res[THEME_MARK].fg.value, 1);
	buf_done(&errs);
}

/* The shipped themes parse cleanly and never show state by colour only. */
static void
test_shipped(void **state)
{
	static const char *const names[] = { "default", "light", "monochrome",
		"okabe-ito" };
	struct theme th;
	struct buf errs;
	char *cause = NULL;
	size_t i;
	int s;

	for (i = 0; i < 4; i++) {
		buf_init(&errs, 4096);
		assert_int_equal(themes_load(names[i], &th, &errs, &cause), 0);
		assert_int_equal(errs.len, 0);
		for (s = THEME_STATE_PENDING; s <= THEME_STATE_UNKNOWN; s++) {
			assert_true(th.res[s].glyph[0] != '\0');
			assert_true(th.res[s].ascii[0] != '\0');
		}
		buf_done(&errs);
	}
	/* monochrome: attributes only. */
	themes_load("monochrome", &th, NULL, &cause);
	for (s = 0; s < THEME_NEL; s++) {
		assert_true(th.res[s].fg.kind != THEME_C_INDEX &&
		    th.res[s].fg.kind != THEME_C_RGB);
		assert_true(th.res[s].bg.kind != THEME_C_INDEX &&
		    th.res[s].bg.kind != THEME_C_RGB);
	}
	assert_int_equal(themes_load("nosuch", &th, NULL, &cause), GQ_ENOENT);
	free(cause);
	assert_int_equal(themes_load("../x", &th, NULL, &cause), GQ_EINVAL);
	free(cause);
}

static void
test_conf(void **state)
{
	struct conf c;
	struct buf errs;
	const char *text = "# gpuq.conf\n"
	                   "theme okabe-ito\n"
	                   "mouse on\n"
	                   "ctrl-c-quits off\n"
	                   "graph block\n"
	                   "refresh 0.5\n"
	                   "start-view gpus\n"
	                   "bind Ctrl-K job.cancel-now\n"
	                   "unbind K\n"
	                   "readonly yes\r\n";

	buf_init(&errs, 4096);
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "gpuq.conf", text, strlen(text), &errs),
	    0);
	assert_string_equal(c.theme, "okabe-ito");
	assert_int_equal(c.mouse, 1);
	assert_int_equal(c.ctrl_c_quits, 0);
	assert_int_equal(c.readonly, 1);
	assert_int_equal(c.graph, CONF_GRAPH_BLOCK);
	assert_int_equal(c.refresh_ms, 500);
	assert_string_equal(c.start_view, "gpus");
	assert_int_equal(c.nbinds, 2);
	assert_string_equal(c.binds[0].key, "Ctrl-K");
	assert_string_equal(c.binds[0].action, "job.cancel-now");
	assert_int_equal(c.binds[0].line, 8);
	assert_string_equal(c.binds[1].action, "");
	buf_done(&errs);
}

static void
test_conf_bad(void **state)
{
	struct conf c;
	struct buf errs;
	const char *text = "mouse maybe\n"
	                   "colour red\n"
	                   "refresh 0.1\n"
	                   "theme ../../x\n"
	                   "bind x\n"
	                   "graph fancy\n"
	                   "a b c d e\n"
	                   "theme\n";

	buf_init(&errs, 4096);
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "f", text, strlen(text), &errs), 8);
	assert_non_null(strstr(errs.data, "f:1: expected on or off"));
	assert_non_null(strstr(errs.data, "f:2: unknown setting"));
	assert_non_null(strstr(errs.data, "f:7: too many words"));
	assert_int_equal(c.refresh_ms, 2000);
	assert_string_equal(c.theme, "");
	assert_int_equal(conf_parse(&c, "f", "theme a\0b", 9, &errs), 1);
	buf_done(&errs);
}

/* cluster NAME TARGET [COMMAND...]: what `gpuq -H NAME` reaches. */
static void
test_conf_clusters(void **state)
{
	const char *text =
	    "cluster lab alice@login.lab.example:2222\n"
	    "  cluster big login1 /opt/gpuq/bin/gpuqd bridge  # x\n"
	    "cluster onlyname\n"
	    "cluster bad/name h\n"
	    "clusterx a b\n";
	const struct conf_cluster *k;
	struct buf errs;
	struct conf c;

	buf_init(&errs, 4096);
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "f", text, strlen(text), &errs), 3);
	assert_int_equal(c.nclusters, 2);
	k = conf_cluster_find(&c, "lab");
	assert_non_null(k);
	assert_string_equal(k->target, "alice@login.lab.example:2222");
	assert_string_equal(k->command, "");
	k = conf_cluster_find(&c, "big");
	assert_non_null(k);
	assert_string_equal(k->target, "login1");
	assert_string_equal(k->command, "/opt/gpuq/bin/gpuqd bridge");
	assert_null(conf_cluster_find(&c, "onlyname"));
	assert_non_null(strstr(errs.data, "f:3: usage: cluster NAME"));
	assert_non_null(strstr(errs.data, "f:4: names use"));
	assert_non_null(strstr(errs.data, "f:5: expected: NAME VALUE"));
	buf_done(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_colors),
		cmocka_unit_test(test_parse_and_fallback),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_conf_bad),
		cmocka_unit_test(test_conf_clusters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
