#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "remote/frame.h"

static void
feed_all(struct frame_reader *fr, const char *s, size_t n, char *out,
    size_t outn)
{
	const char *line;
	size_t len, k;
	int rc;

	out[0] = '\0';
	while (n > 0) {
		k = frame_reader_feed(fr, s, n);
		s += k;
		n -= k;
		while ((rc = frame_reader_next(fr, &line, &len)) != 0) {
			if (rc == GQ_ETOOBIG)
				strncat(out, "<BIG>", outn - strlen(out) - 1);
			else
				strncat(out, line, outn - strlen(out) - 1);
			strncat(out, "|", outn - strlen(out) - 1);
		}
	}
}

static void
test_lines(void **state)
{
	struct frame_reader fr;
	char out[256];

	frame_reader_init(&fr, 16);
	feed_all(&fr, "a\nbb\r\nccc", 9, out, sizeof(out));
	assert_string_equal(out, "a|bb|");
	assert_int_equal(frame_reader_pending(&fr), 3);
	feed_all(&fr, "d\n", 2, out, sizeof(out));
	assert_string_equal(out, "cccd|");
	frame_reader_done(&fr);
}

static void
test_too_long(void **state)
{
	struct frame_reader fr;
	char out[256], big[100];

	frame_reader_init(&fr, 16);
	memset(big, 'x', sizeof(big));
	feed_all(&fr, "ok\n", 3, out, sizeof(out));
	/*
	 * An overlong line arriving in pieces is reported once, as soon as it
	 * passes the limit, and the rest of it is dropped.
	 */
	feed_all(&fr, big, 40, out, sizeof(out));
	assert_string_equal(out, "<BIG>|");
	feed_all(&fr, big, 40, out, sizeof(out));
	assert_string_equal(out, "");
	feed_all(&fr, "x\nnext\n", 7, out, sizeof(out));
	assert_string_equal(out, "next|");
	/* Exactly max bytes is fine; max + 1 is not. */
	feed_all(&fr, "0123456789abcdef\n0123456789abcdefg\nz\n", 37, out,
	    sizeof(out));
	assert_string_equal(out, "0123456789abcdef|<BIG>|z|");
	frame_reader_done(&fr);
}

static void
test_many_small_lines_bounded(void **state)
{
	struct frame_reader fr;
	size_t n = 1 << 20, i, count = 0, k, len;
	char *s = malloc(n);
	const char *line, *p;
	int rc;

	for (i = 0; i < n; i++)
		s[i] = (i % 2) ? '\n' : 'a';
	frame_reader_init(&fr, 1024);
	for (p = s; p < s + n; p += k) {
		k = frame_reader_feed(&fr, p, (size_t)(s + n - p));
		assert_true(fr.buf.len <= fr.buf.max);
		while ((rc = frame_reader_next(&fr, &line, &len)) == 1)
			count++;
	}
	assert_int_equal(count, n / 2);
	frame_reader_done(&fr);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_many_small_lines_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
