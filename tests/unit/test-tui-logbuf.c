/*
 * Logs as a terminal shows them (tui/logbuf.c): carriage returns,
 * backspace, tabs, erase-line, colours dropped, UTF-8 cut anywhere,
 * wide characters, bad bytes, and the bounds on lines and columns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tui/logbuf.h"

static struct logbuf lb;

static int
setup(void **state)
{
	logbuf_init(&lb, 100);
	return 0;
}

static int
teardown(void **state)
{
	logbuf_done(&lb);
	return 0;
}

static void
feed(const char *s)
{
	logbuf_feed(&lb, s, strlen(s));
}

static void
test_progress_bar(void **state)
{
	feed("start\nprogress 10%\rprogress 20%\rprogress 100%\ndone\n");
	assert_int_equal(logbuf_count(&lb), 3);
	assert_string_equal(logbuf_line(&lb, 0), "start");
	assert_string_equal(logbuf_line(&lb, 1), "progress 100%");
	assert_string_equal(logbuf_line(&lb, 2), "done");
}

/* A shorter text after \r overwrites only its own columns. */
static void
test_overwrite(void **state)
{
	feed("prog 3\rdone");
	assert_int_equal(logbuf_count(&lb), 1);
	assert_string_equal(logbuf_line(&lb, 0), "done 3");
	feed("\r\x1b[K42");
	assert_string_equal(logbuf_line(&lb, 0), "42");
	feed("\n");
	assert_string_equal(logbuf_line(&lb, 0), "42");
	assert_int_equal(logbuf_count(&lb), 1);
}

static void
test_controls(void **state)
{
	feed("abc\b\bX\n");
	assert_string_equal(logbuf_line(&lb, 0), "aXc");
	feed("a\tb\n");
	assert_string_equal(logbuf_line(&lb, 1), "a       b");
	feed("\x1b[31mred\x1b[0m \x1b]0;title\x07ok\x1b]2;t\x1b\\!\n");
	assert_string_equal(logbuf_line(&lb, 2), "red ok!");
	feed("abcdef\x1b[3D\x1b[1K\n");
	assert_string_equal(logbuf_line(&lb, 3), "    ef");
	feed("abc\x1b[2K\rxy\n");
	assert_string_equal(logbuf_line(&lb, 4), "xy");
	feed("a\x1b[5Gb\x07\x01\n");
	assert_string_equal(logbuf_line(&lb, 5), "a   b");
}

static void
test_utf8(void **state)
{
	const char *s = "\xe6\x97\xa5\xe6\x9c\xac \xc3\xa9t\xc3\xa9\n";
	size_t i;

	/* One byte at a time: sequences cut anywhere still decode. */
	for (i = 0; i < strlen(s); i++)
		logbuf_feed(&lb, s + i, 1);
	assert_string_equal(logbuf_line(&lb, 0),
	    "\xe6\x97\xa5\xe6\x9c\xac \xc3\xa9t\xc3\xa9");
	feed("a\xff"
	     "b\xc3(\n");
	assert_string_equal(logbuf_line(&lb, 1),
	    "a\xef\xbf\xbd"
	    "b\xef\xbf\xbd(");
	/* Overwriting half of a wide character blanks the other half. */
	feed("\xe6\x97\xa5x\r y\n");
	assert_string_equal(logbuf_line(&lb, 2), " yx");
}

static void
test_limits(void **state)
{
	char *wide = malloc(LOGBUF_MAX_COLS + 11);
	size_t i;

	memset(wide, 'w', LOGBUF_MAX_COLS + 10);
	wide[LOGBUF_MAX_COLS + 10] = '\0';
	feed(wide);
	assert_int_equal(logbuf_count(&lb), 2);
	assert_int_equal(strlen(logbuf_line(&lb, 0)), LOGBUF_MAX_COLS);
	assert_string_equal(logbuf_line(&lb, 1), "wwwwwwwwww");
	for (i = 0; i < 300; i++)
		feed("line\n");
	assert_int_equal(logbuf_count(&lb), 100);
	assert_true(lb.dropped > 0);
	feed("\x1b[");
	for (i = 0; i < 100; i++)
		feed("1;");
	feed("mok\n");
	assert_string_equal(logbuf_line(&lb, 99), "ok");
	free(wide);
}

static void
test_find(void **state)
{
	feed("alpha\nbeta\nGamma\nbeta again\n");
	assert_int_equal(logbuf_find(&lb, "beta", 0, 1), 1);
	assert_int_equal(logbuf_find(&lb, "beta", 1, 1), 3);
	assert_int_equal(logbuf_find(&lb, "beta", 3, 1), 1); /* wraps */
	assert_int_equal(logbuf_find(&lb, "beta", 3, -1), 1);
	assert_int_equal(logbuf_find(&lb, "gamma", 0, -1), 2);
	assert_int_equal(logbuf_find(&lb, "delta", 0, 1), -1);
	assert_int_equal(logbuf_find(&lb, "", 0, 1), -1);
	logbuf_clear(&lb);
	assert_int_equal(logbuf_count(&lb), 0);
	assert_int_equal(logbuf_find(&lb, "beta", 0, 1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_progress_bar, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_overwrite, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
