#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/base/units.h"

static void
test_gpus(void **state)
{
	int32_t m;

	assert_int_equal(units_parse_gpus("2", &m), 0);
	assert_int_equal(m, 2000);
	assert_int_equal(units_parse_gpus("0.5", &m), 0);
	assert_int_equal(m, 500);
	assert_int_equal(units_parse_gpus(" .25 ", &m), 0);
	assert_int_equal(m, 250);
	assert_int_equal(units_parse_gpus("0", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(units_parse_gpus("1.5", &m), GQ_EINVAL);
	assert_int_equal(units_parse_gpus("-1", &m), GQ_EINVAL);
	assert_int_equal(units_parse_gpus("0.0001", &m), GQ_EINVAL);
	assert_int_equal(units_parse_gpus("abc", &m), GQ_EINVAL);
	assert_int_equal(units_parse_gpus("", &m), GQ_EINVAL);
	assert_int_equal(units_parse_gpus("4097", &m), GQ_EINVAL);
	assert_int_equal(units_parse_gpus("99999999999999999999", &m),
	    GQ_EINVAL);
}

static void
test_mem(void **state)
{
	int64_t mb;

	assert_int_equal(units_parse_mem_mb("16G", &mb), 0);
	assert_int_equal(mb, 16384);
	assert_int_equal(units_parse_mem_mb("512M", &mb), 0);
	assert_int_equal(mb, 512);
	assert_int_equal(units_parse_mem_mb("1.5GiB", &mb), 0);
	assert_int_equal(mb, 1536);
	assert_int_equal(units_parse_mem_mb("100", &mb), 0);
	assert_int_equal(mb, 100);
	assert_int_equal(units_parse_mem_mb("1T", &mb), 0);
	assert_int_equal(mb, 1048576);
	assert_int_equal(units_parse_mem_mb("1K", &mb), 0);
	assert_int_equal(mb, 1);
	assert_int_equal(units_parse_mem_mb("20X", &mb), GQ_EINVAL);
	assert_int_equal(units_parse_mem_mb("-2G", &mb), GQ_EINVAL);
	assert_int_equal(units_parse_mem_mb("G", &mb), GQ_EINVAL);
	assert_int_equal(units_parse_mem_mb("99999999999P", &mb), GQ_EINVAL);
}

static void
test_duration(void **state)
{
	int64_t s;

	assert_int_equal(units_parse_duration("4h", 60, &s), 0);
	assert_int_equal(s, 14400);
	assert_int_equal(units_parse_duration("1h30m", 60, &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(units_parse_duration("90", 60, &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(units_parse_duration("90", 1, &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(units_parse_duration("01:02:03", 60, &s), 0);
	assert_int_equal(s, 3723);
	assert_int_equal(units_parse_duration("2-00:00:00", 60, &s), 0);
	assert_int_equal(s, 172800);
	assert_int_equal(units_parse_duration("5:30", 60, &s), 0);
	assert_int_equal(s, 330);
	assert_int_equal(units_parse_duration("4x", 60, &s), GQ_EINVAL);
	assert_int_equal(units_parse_duration("", 60, &s), GQ_EINVAL);
	assert_int_equal(units_parse_duration("h", 60, &s), GQ_EINVAL);
	assert_int_equal(units_parse_duration("1:99", 60, &s), GQ_EINVAL);
	assert_int_equal(units_parse_duration("10h5", 60, &s), GQ_EINVAL);
}

static void
test_format(void **state)
{
	char b[32];

	assert_string_equal(units_fmt_gpus(2000, b, sizeof(b)), "2");
	assert_string_equal(units_fmt_gpus(500, b, sizeof(b)), "0.5");
	assert_string_equal(units_fmt_gpus(250, b, sizeof(b)), "0.25");
	assert_string_equal(units_fmt_gpus(125, b, sizeof(b)), "0.125");
	assert_string_equal(units_fmt_mem_mb(16384, b, sizeof(b)), "16G");
	assert_string_equal(units_fmt_mem_mb(512, b, sizeof(b)), "512M");
	assert_string_equal(units_fmt_duration(5400, b, sizeof(b)), "1h30m");
	assert_string_equal(units_fmt_duration(42, b, sizeof(b)), "42s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpus),
		cmocka_unit_test(test_mem),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
