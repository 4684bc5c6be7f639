/*
 * The telemetry ring (gpu-ring.c) and the nvidia-smi line parsers
 * (gpu-smi.c): pure functions, no daemon.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/gpu/gpu-ring.h"
#include "core/gpu/gpu-smi.h"

static void
round_of(struct gpu_sample *s, size_t n, int32_t util, int64_t mem)
{
	size_t g;

	for (g = 0; g < n; g++) {
		memset(&s[g], 0, sizeof(s[g]));
		s[g].index = (int32_t)g;
		s[g].util_pct = util + (int32_t)g;
		s[g].mem_used_mb = mem;
		s[g].temp_c = 40;
		s[g].power_w = 100;
	}
}

static void
test_ring_keeps_the_latest(void **state)
{
	struct gpu_ring_agg a[16];
	struct gpu_sample s[2];
	struct gpu_ring r;
	int64_t t;
	size_t n;

	gpu_ring_init(&r, 5, 2);
	assert_int_equal(gpu_ring_oldest(&r), 0);
	for (t = 100; t < 120; t += 2) {
		round_of(s, 2, (int32_t)t, t * 10);
		gpu_ring_push(&r, t, s);
	}
	/* Ten rounds into five places: 110..118 remain. */
	assert_int_equal(r.len, 5);
	assert_int_equal(gpu_ring_oldest(&r), 110);
	n = gpu_ring_query(&r, 1, 0, 1000, 2, a, 16);
	assert_int_equal(n, 5);
	assert_int_equal(a[0].time, 110);
	assert_int_equal(a[0].util_pct, 100); /* clamped to 100 */
	assert_int_equal(a[4].time, 118);
	assert_int_equal(a[4].mem_used_mb, 1180);
	/* since and until bound it; an unknown GPU gives nothing. */
	n = gpu_ring_query(&r, 0, 112, 116, 2, a, 16);
	assert_int_equal(n, 2);
	assert_int_equal(a[0].time, 112);
	assert_int_equal(a[1].time, 114);
	assert_int_equal(gpu_ring_query(&r, 2, 0, 1000, 2, a, 16), 0);
	gpu_ring_done(&r);
}

static void
test_ring_buckets_average(void **state)
{
	struct gpu_ring_agg a[4];
	struct gpu_sample s[1];
	struct gpu_ring r;
	size_t n;

	gpu_ring_init(&r, 100, 1);
	round_of(s, 1, 10, 100);
	gpu_ring_push(&r, 60, s);
	round_of(s, 1, 20, 300);
	gpu_ring_push(&r, 62, s);
	/* A lost round: no values, but the bucket says it was lost. */
	memset(s, 0, sizeof(s));
	s[0].util_pct = s[0].temp_c = s[0].power_w = -1;
	s[0].mem_used_mb = -1;
	s[0].state = GPU_LOST;
	gpu_ring_push(&r, 64, s);
	round_of(s, 1, 50, 500);
	gpu_ring_push(&r, 120, s);
	n = gpu_ring_query(&r, 0, 0, 1000, 60, a, 4);
	assert_int_equal(n, 2);
	assert_int_equal(a[0].time, 60);
	assert_int_equal(a[0].n, 3);
	assert_int_equal(a[0].util_pct, 15);
	assert_int_equal(a[0].mem_used_mb, 200);
	assert_int_equal(a[0].lost, 1);
	assert_int_equal(a[1].time, 120);
	assert_int_equal(a[1].util_pct, 50);
	assert_int_equal(a[1].lost, 0);
	/* At most max buckets. */
	assert_int_equal(gpu_ring_query(&r, 0, 0, 1000, 60, a, 1), 1);
	assert_int_equal(a[0].util_pct, 15);
	/* A bucket of lost rounds only has no values. */
	n = gpu_ring_query(&r, 0, 64, 65, 1, a, 4);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].util_pct, -1);
	assert_int_equal(a[0].mem_used_mb, -1);
	gpu_ring_done(&r);
}

static void
test_ring_bounds(void **state)
{
	struct gpu_sample s[1];
	struct gpu_ring r;

	gpu_ring_init(&r, 0, 1);
	assert_int_equal(r.cap, 1);
	round_of(s, 1, 1, 1);
	gpu_ring_push(&r, 1, s);
	gpu_ring_push(&r, 2, s);
	assert_int_equal(r.len, 1);
	assert_int_equal(gpu_ring_oldest(&r), 2);
	gpu_ring_done(&r);
	gpu_ring_init(&r, GPU_RING_MAX_ROUNDS + 5, 0);
	assert_int_equal(r.cap, GPU_RING_MAX_ROUNDS);
	gpu_ring_done(&r);
}

static void
test_smi_info(void **state)
{
	struct gpu_info g;

	assert_int_equal(gpu_smi_parse_info("0, GPU-1f150d2e-aa1c-e0d2-57d1-"
	                                    "ee316de2988f, NVIDIA H100 80GB "
	                                    "HBM3, 81559, Disabled",
	                     &g),
	    0);
	assert_int_equal(g.index, 0);
	assert_string_equal(g.uuid, "GPU-1f150d2e-aa1c-e0d2-57d1-ee316de2988f");
	assert_string_equal(g.name, "NVIDIA H100 80GB HBM3");
	assert_int_equal(g.mem_mb, 81559);
	assert_string_equal(g.model, "H100-80GB");
	assert_int_equal(g.mig, 0);
	assert_int_equal(gpu_smi_parse_info("3, GPU-x, NVIDIA A100-SXM4-40GB, "
	                                    "40960, Enabled\r",
	                     &g),
	    0);
	assert_int_equal(g.index, 3);
	assert_int_equal(g.mig, 1);
	assert_string_equal(g.model, "A100-40GB");
	/* An old driver: no MIG field value. */
	assert_int_equal(gpu_smi_parse_info("1, GPU-y, Tesla T4, 15360, [N/A]",
	                     &g),
	    0);
	assert_string_equal(g.model, "T4");
	assert_int_equal(g.mig, 0);
	/* A GPU the fake table does not know: the first word and its size. */
	assert_int_equal(gpu_smi_parse_info("0, GPU-z, NVIDIA RTX A6000, "
	                                    "49140, [N/A]",
	                     &g),
	    0);
	assert_string_equal(g.model, "A6000-48GB");
}

static void
test_smi_info_bad(void **state)
{
	struct gpu_info g;

	assert_int_equal(gpu_smi_parse_info("", &g), GQ_EINVAL);
	assert_int_equal(gpu_smi_parse_info("0, GPU-x, H100", &g), GQ_EINVAL);
	assert_int_equal(gpu_smi_parse_info("x, GPU-x, H100, 1, Disabled", &g),
	    GQ_EINVAL);
	assert_int_equal(gpu_smi_parse_info("64, GPU-x, H100, 1, Disabled", &g),
	    GQ_EINVAL);
	assert_int_equal(gpu_smi_parse_info("1.5, GPU-x, H100, 1, Disabled",
	                     &g),
	    GQ_EINVAL);
	assert_int_equal(gpu_smi_parse_info("0, GPU-x, , 1, Disabled", &g),
	    GQ_EINVAL);
	assert_int_equal(gpu_smi_parse_info("0, a, b, 1, Disabled, extra", &g),
	    GQ_EINVAL);
	/* Unknown words for the number of MiB: the size is unknown. */
	assert_int_equal(gpu_smi_parse_info("0, GPU-x, NVIDIA H100 80GB HBM3, "
	                                    "[Unknown Error], Disabled",
	                     &g),
	    0);
	assert_int_equal(g.mem_mb, 0);
}

static void
test_smi_sample(void **state)
{
	struct gpu_sample s;

	assert_int_equal(gpu_smi_parse_sample("2, 37, 1024, 45, 250.62", &s),
	    0);
	assert_int_equal(s.index, 2);
	assert_int_equal(s.util_pct, 37);
	assert_int_equal(s.mem_used_mb, 1024);
	assert_int_equal(s.temp_c, 45);
	assert_int_equal(s.power_w, 251);
	assert_int_equal(s.state, GPU_OK);
	/* Without a power sensor. */
	assert_int_equal(gpu_smi_parse_sample("0, 5, 0, 30, [N/A]", &s), 0);
	assert_int_equal(s.power_w, -1);
	assert_int_equal(s.state, GPU_OK);
	/* With units left on. */
	assert_int_equal(gpu_smi_parse_sample("0, 5 %, 10 MiB, 30, 70.1 W", &s),
	    0);
	assert_int_equal(s.util_pct, 5);
	assert_int_equal(s.mem_used_mb, 10);
	assert_int_equal(s.power_w, 70);
}

static void
test_smi_sample_lost(void **state)
{
	struct gpu_sample s;

	assert_int_equal(gpu_smi_parse_sample("1, [GPU is lost], [GPU is "
	                                      "lost], [GPU is lost], [GPU is "
	                                      "lost]",
	                     &s),
	    0);
	assert_int_equal(s.state, GPU_LOST);
	assert_int_equal(s.util_pct, -1);
	assert_int_equal(s.mem_used_mb, -1);
	assert_int_equal(gpu_smi_parse_sample("1, [GPU requires reset], 0, 0, "
	                                      "0",
	                     &s),
	    0);
	assert_int_equal(s.state, GPU_LOST);
	assert_int_equal(gpu_smi_parse_sample("1, [Unknown Error], [Unknown "
	                                      "Error], 40, 10",
	                     &s),
	    0);
	assert_int_equal(s.state, GPU_ERROR);
	assert_int_equal(s.temp_c, 40);
	assert_int_equal(gpu_smi_parse_sample("no, 1, 2, 3, 4", &s), GQ_EINVAL);
	assert_int_equal(gpu_smi_parse_sample("0, 1, 2, 3", &s), GQ_EINVAL);
	assert_int_equal(gpu_smi_parse_sample("0, -5, 2, 3, 4", &s), 0);
	assert_int_equal(s.util_pct, -1);
	assert_int_equal(gpu_smi_parse_sample("0, 250, 2, 3, 4", &s), 0);
	assert_int_equal(s.util_pct, 100);
}

/* What a broken or hostile nvidia-smi could print: no overflow, no junk. */
static void
test_smi_hostile(void **state)
{
	struct gpu_sample s;
	struct gpu_info g;

	assert_int_equal(gpu_smi_parse_sample("0, 1e300, 1e300, 1e300, 1e300",
	                     &s),
	    0);
	assert_int_equal(s.util_pct, -1);
	assert_int_equal(s.mem_used_mb, -1);
	assert_int_equal(s.temp_c, -1);
	assert_int_equal(s.power_w, -1);
	assert_int_equal(gpu_smi_parse_sample("0, 1, inf, 3e9, 1e999", &s), 0);
	assert_int_equal(s.util_pct, 1);
	assert_int_equal(s.mem_used_mb, -1);
	assert_int_equal(s.temp_c, -1);
	assert_int_equal(s.power_w, -1);
	/* The largest value kept. */
	assert_int_equal(gpu_smi_parse_sample("0, 1, 1000000000, 2, 3", &s), 0);
	assert_int_equal(s.mem_used_mb, 1000000000);
	assert_int_equal(gpu_smi_parse_info("0, GPU-\xff\x01x, H100\x1b[2J, "
	                                    "1e300, "
	                                    "Disabled",
	                     &g),
	    0);
	assert_string_equal(g.uuid, "GPU-??x");
	assert_string_equal(g.name, "H100?[2J");
	assert_int_equal(g.mem_mb, 0);
}

static void
test_model_names(void **state)
{
	char m[32];

	gpu_fake_model_of("NVIDIA H100 80GB HBM3", 81559, m, sizeof(m));
	assert_string_equal(m, "H100-80GB");
	gpu_fake_model_of("NVIDIA L4", 23034, m, sizeof(m));
	assert_string_equal(m, "L4");
	gpu_fake_model_of("NVIDIA H200", 143771, m, sizeof(m));
	assert_string_equal(m, "H200-141GB");
	gpu_fake_model_of("NVIDIA A100-SXM4-80GB", 81920, m, sizeof(m));
	assert_string_equal(m, "A100-80GB");
	gpu_fake_model_of("NVIDIA A100-PCIE-40GB", 40960, m, sizeof(m));
	assert_string_equal(m, "A100-40GB");
	gpu_fake_model_of("Mystery", 0, m, sizeof(m));
	assert_string_equal(m, "GPU");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_keeps_the_latest),
		cmocka_unit_test(test_ring_buckets_average),
		cmocka_unit_test(test_ring_bounds),
		cmocka_unit_test(test_smi_info),
		cmocka_unit_test(test_smi_info_bad),
		cmocka_unit_test(test_smi_sample),
		cmocka_unit_test(test_smi_sample_lost),
		cmocka_unit_test(test_smi_hostile),
		cmocka_unit_test(test_model_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
