#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/utf8.h"

static void
check(const char *in, size_t n, int final, const char *want, size_t used)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	assert_int_equal(utf8_sanitize(in, n, final, &b), used);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data != NULL ? b.data : "", want, b.len);
	buf_done(&b);
}

static void
test_sanitize(void **state)
{
	check("plain", 5, 1, "plain", 5);
	check("caf\xc3\xa9", 5, 1, "caf\xc3\xa9", 5);
	check("a\xff"
	      "b",
	    3, 1,
	    "a\xef\xbf\xbd"
	    "b",
	    3);
	/* An overlong encoding and a surrogate are not valid. */
	check("\xc0\xaf", 2, 1, "\xef\xbf\xbd\xef\xbf\xbd", 2);
	check("\xed\xa0\x80", 3, 1, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 3);
	/* A sequence cut by the end waits for more unless final. */
	check("ab\xe2\x82", 4, 0, "ab", 2);
	check("ab\xe2\x82", 4, 1, "ab\xef\xbf\xbd\xef\xbf\xbd", 4);
	check("x\0y", 3, 1, "x\xef\xbf\xbdy", 3);
	check("\xf0\x9f\x98\x80", 4, 1, "\xf0\x9f\x98\x80", 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
