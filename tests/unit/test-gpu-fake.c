#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/gpu/gpu.h"

static struct gpu_inventory inv, inv2;

static void
test_parse_one_model(void **state)
{
	size_t i;

	assert_int_equal(gpu_fake_parse("8:H100-80GB", "host", &inv, NULL, 0),
	    0);
	assert_string_equal(inv.source, "fake");
	assert_int_equal(inv.ngpus, 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(inv.gpus[i].index, i);
		assert_string_equal(inv.gpus[i].name, "NVIDIA H100 80GB HBM3");
		assert_string_equal(inv.gpus[i].model, "H100-80GB");
		assert_int_equal(inv.gpus[i].mem_mb, 81559);
	}
}

static void
test_parse_mixed(void **state)
{
	assert_int_equal(gpu_fake_parse(" 2:A100-40GB , 2:T4", "host", &inv,
	                     NULL, 0),
	    0);
	assert_int_equal(inv.ngpus, 4);
	assert_string_equal(inv.gpus[1].name, "NVIDIA A100-SXM4-40GB");
	assert_int_equal(inv.gpus[1].mem_mb, 40960);
	assert_string_equal(inv.gpus[2].name, "Tesla T4");
	assert_string_equal(inv.gpus[2].model, "T4");
	assert_int_equal(inv.gpus[2].mem_mb, 15360);
	assert_int_equal(inv.gpus[3].index, 3);
}

static void
test_parse_aliases(void **state)
{
	assert_int_equal(gpu_fake_parse("1:h100", "h", &inv, NULL, 0), 0);
	assert_string_equal(inv.gpus[0].model, "H100-80GB");
	assert_int_equal(gpu_fake_parse("1:A100", "h", &inv, NULL, 0), 0);
	assert_int_equal(inv.gpus[0].mem_mb, 40960);
	assert_int_equal(gpu_fake_parse("1:A100-80GB", "h", &inv, NULL, 0), 0);
	assert_string_equal(inv.gpus[0].name, "NVIDIA A100-SXM4-80GB");
	assert_int_equal(gpu_fake_parse("1:T4-16GB", "h", &inv, NULL, 0), 0);
	assert_string_equal(inv.gpus[0].name, "Tesla T4");
	assert_int_equal(gpu_fake_parse("1:RTX4090", "h", &inv, NULL, 0), 0);
	assert_int_equal(inv.gpus[0].mem_mb, 24564);
	assert_int_equal(gpu_fake_parse("1:V100-32GB", "h", &inv, NULL, 0), 0);
	assert_int_equal(inv.gpus[0].mem_mb, 32768);
	/* Any NAME-<N>GB. */
	assert_int_equal(gpu_fake_parse("2:MI300X-192GB", "h", &inv, NULL, 0),
	    0);
	assert_string_equal(inv.gpus[1].name, "NVIDIA MI300X");
	assert_string_equal(inv.gpus[1].model, "MI300X-192GB");
	assert_int_equal(inv.gpus[1].mem_mb, 192 * 1024);
	assert_int_equal(gpu_fake_parse("64:T4", "h", &inv, NULL, 0), 0);
	assert_int_equal(inv.ngpus, GPU_MAX);
}

static void
bad(const char *spec)
{
	char cause[256];

	inv.ngpus = 99;
	cause[0] = '\0';
	assert_int_equal(gpu_fake_parse(spec, "h", &inv, cause, sizeof(cause)),
	    GQ_EINVAL);
	assert_int_equal(inv.ngpus, 0);
	assert_non_null(strstr(cause, "bad fake GPU spec"));
}

static void
test_parse_bad(void **state)
{
	char cause[256], big[GPU_MAX_SPEC + 2];

	assert_int_equal(gpu_fake_parse("x", "h", &inv, cause, sizeof(cause)),
	    GQ_EINVAL);
	assert_string_equal(cause,
	    "bad fake GPU spec \"x\": expected COUNT:MODEL");
	bad("");
	bad("8");
	bad(":H100");
	bad("0:H100");
	bad("-1:H100");
	bad("8x:H100");
	bad("65:H100");
	bad("40:H100,40:T4");
	bad("8:");
	bad("8:FOO");
	bad("8:FOO-0GB");
	bad("8:FOO-2000GB");
	bad("8:FOO-12");
	bad("8:-12GB");
	bad("8:F/O-12GB");
	bad("8:H100,");
	bad(",8:H100");
	bad("8:H100,,2:T4");
	bad("99999999999999999999:T4");
	bad("1:ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF-12GB");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bad(big);
	assert_int_equal(gpu_fake_parse("8:H100", "h", &inv, NULL, 0), 0);
	assert_int_equal(gpu_fake_parse("8:FOO", "h", &inv, NULL, 0),
	    GQ_EINVAL);
}

static int
uuid_well_formed(const char *u)
{
	size_t i;

	if (strlen(u) != 40 || strncmp(u, "GPU-", 4) != 0)
		return 0;
	for (i = 4; i < 40; i++) {
		if (i == 12 || i == 17 || i == 22 || i == 27) {
			if (u[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)u[i]) ||
		    isupper((unsigned char)u[i]))
			return 0;
	}
	return 1;
}

static void
test_uuids(void **state)
{
	size_t i, j;

	assert_int_equal(gpu_fake_parse("64:H100", "node1", &inv, NULL, 0), 0);
	assert_int_equal(gpu_fake_parse("64:H100", "node1", &inv2, NULL, 0), 0);
	for (i = 0; i < inv.ngpus; i++) {
		assert_true(uuid_well_formed(inv.gpus[i].uuid));
		assert_string_equal(inv.gpus[i].uuid, inv2.gpus[i].uuid);
		for (j = 0; j < i; j++)
			assert_string_not_equal(inv.gpus[i].uuid,
			    inv.gpus[j].uuid);
	}
	assert_int_equal(gpu_fake_parse("64:H100", "node2", &inv2, NULL, 0), 0);
	for (i = 0; i < inv.ngpus; i++)
		assert_string_not_equal(inv.gpus[i].uuid, inv2.gpus[i].uuid);
}

static void
test_sample_idle(void **state)
{
	struct gpu_sample s;
	int64_t t;

	assert_int_equal(gpu_fake_parse("2:H100,1:T4", "h", &inv, NULL, 0), 0);
	for (t = 0; t < 1000; t += 7) {
		gpu_fake_sample(&inv.gpus[1], 0, 0, t, &s);
		assert_int_equal(s.index, 1);
		assert_int_equal(s.util_pct, 0);
		assert_int_equal(s.mem_used_mb, 0);
		assert_in_range(s.temp_c, 30, 35);
		assert_in_range(s.power_w, 40, 80);
	}
	gpu_fake_sample(&inv.gpus[2], 0, 0, 0, &s);
	assert_true(s.power_w < 60);
}

static void
test_sample_busy(void **state)
{
	struct gpu_sample s, prev, again;
	int64_t t;

	assert_int_equal(gpu_fake_parse("1:H100", "h", &inv, NULL, 0), 0);
	for (t = -100; t < 2000; t++) {
		gpu_fake_sample(&inv.gpus[0], 1000, 81559, t, &s);
		assert_in_range(s.util_pct, 60, 95);
		assert_in_range(s.mem_used_mb, 81559 * 80 / 100, 81559);
		assert_in_range(s.temp_c, 55, 80);
		assert_in_range(s.power_w, 300, 600);
		if (t > -100)
			assert_in_range(abs(s.util_pct - prev.util_pct), 0, 8);
		gpu_fake_sample(&inv.gpus[0], 1000, 81559, t, &again);
		assert_memory_equal(&s, &again, sizeof(s));
		prev = s;
	}
	/* Half a GPU: half the work; memory never above the GPU's own. */
	for (t = 0; t < 500; t++) {
		gpu_fake_sample(&inv.gpus[0], 500, 0, t, &s);
		assert_in_range(s.util_pct, 30, 48);
		assert_in_range(s.mem_used_mb, 40779 * 80 / 100, 40779);
		gpu_fake_sample(&inv.gpus[0], 2000, 1000000, t, &s);
		assert_in_range(s.util_pct, 60, 95);
		assert_int_equal(s.mem_used_mb, 81559);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_one_model),
		cmocka_unit_test(test_parse_mixed),
		cmocka_unit_test(test_parse_aliases),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_uuids),
		cmocka_unit_test(test_sample_idle),
		cmocka_unit_test(test_sample_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
