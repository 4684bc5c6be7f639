#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/str.h"

static void
test_words(void **state)
{
	char line[] = "  bind  q  quit # a comment", again[] = "a b c", *w[4];

	assert_int_equal(str_words(line, w, 4), 3);
	assert_string_equal(w[0], "bind");
	assert_string_equal(w[2], "quit");
	assert_int_equal(str_words(again, w, 2), -1);
}

/* Refuses lines that start with "x"; leaves a stray reason otherwise. */
static int
each_cb(char *line, int lineno, const char **why, void *arg)
{
	*why = "ignored on success";
	*(int *)arg += 1;
	if (line[0] == 'x') {
		*why = "starts with x";
		return -1;
	}
	return 0;
}

static void
test_each_line(void **state)
{
	const char text[] = "a\r\nx1\n\n0123456789\nb\0c\nlast";
	struct buf errs;
	int calls = 0;

	buf_init(&errs, 4096);
	assert_int_equal(str_each_line("f", text, sizeof(text) - 1, 8, each_cb,
	                     &calls, &errs),
	    3);
	/* a, x1, the empty line, last: the long and the NUL lines get no
	 * call. */
	assert_int_equal(calls, 4);
	assert_string_equal(errs.data,
	    "f:2: starts with x\nf:4: line too long\nf:5: NUL byte in line\n");
	buf_done(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_each_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
