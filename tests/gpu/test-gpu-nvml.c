/*
 * The NVML probe against the fake libnvidia-ml.so.1 (fake-nvml.c), loaded
 * with dlopen as the real one is: inventory, samples, a GPU lost, the
 * process records of each call version, a library that will not start.
 * $GPUQ_TEST_NVML_LIB and $GPUQ_TEST_NVML_V1_LIB name the two builds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/gpu/gpu.h"

static char script[256];

static void
write_script(const char *text)
{
	FILE *fp = fopen(script, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	/* The fake checks for changes at most every 100 ms. */
	usleep(150 * 1000);
}

static struct gpu_dev *
open_nvml(const char *env, struct gpu_inventory *inv)
{
	struct gpu_opts o = { 0 };
	struct gpu_dev *g = NULL;
	char cause[256] = "";

	o.probe = "nvml";
	o.nvml_lib = getenv(env);
	assert_non_null(o.nvml_lib);
	if (gpu_open(&o, &g, inv, cause, sizeof(cause)) != 0)
		fail_msg("gpu_open: %s", cause);
	return g;
}

static int
setup(void **state)
{
	snprintf(script, sizeof(script), "/tmp/gpuq-nvml-test.%d",
	    (int)getpid());
	setenv("GPUQ_FAKE_NVML", script, 1);
	return 0;
}

static int
teardown(void **state)
{
	unlink(script);
	return 0;
}

static void
test_inventory(void **state)
{
	struct gpu_inventory inv;
	struct gpu_dev *g;

	write_script("gpus 2 81559 0 NVIDIA H100 80GB HBM3\n"
	             "gpu 40960 1 NVIDIA A100-SXM4-40GB\n");
	g = open_nvml("GPUQ_TEST_NVML_LIB", &inv);
	assert_string_equal(gpu_source(g), "nvml");
	assert_int_equal(inv.ngpus, 3);
	assert_string_equal(inv.gpus[0].name, "NVIDIA H100 80GB HBM3");
	assert_string_equal(inv.gpus[0].model, "H100-80GB");
	assert_int_equal(inv.gpus[0].mem_mb, 81559);
	assert_string_equal(inv.gpus[1].uuid,
	    "GPU-fa4e0000-0000-4000-8000-000000000001");
	assert_int_equal(inv.gpus[0].mig, 0);
	assert_int_equal(inv.gpus[2].mig, 1);
	assert_string_equal(inv.gpus[2].model, "A100-40GB");
	assert_true(gpu_has_procs(g));
	assert_false(gpu_synthetic(g));
	gpu_close(g);
}

static void
test_samples_and_lost(void **state)
{
	struct gpu_inventory inv;
	struct gpu_sample s;
	struct gpu_dev *g;

	write_script("gpus 2 81559 0 NVIDIA H100 80GB HBM3\n"
	             "util 0 10 20 30\nmem 0 100 200 300\n"
	             "temp 0 55\npower 0 321\nlost 1 2\n");
	g = open_nvml("GPUQ_TEST_NVML_LIB", &inv);
	gpu_sample(g, 0, 0, 0, 0, &s);
	assert_int_equal(s.state, GPU_OK);
	assert_int_equal(s.util_pct, 10);
	assert_int_equal(s.mem_used_mb, 100);
	assert_int_equal(s.temp_c, 55);
	assert_int_equal(s.power_w, 321);
	gpu_sample(g, 0, 0, 0, 0, &s);
	assert_int_equal(s.util_pct, 20);
	gpu_sample(g, 0, 0, 0, 0, &s);
	gpu_sample(g, 0, 0, 0, 0, &s);
	assert_int_equal(s.util_pct, 30); /* the last value stays */
	/* GPU 1 answers for two steps, then is lost. */
	gpu_sample(g, 1, 0, 0, 0, &s);
	assert_int_equal(s.state, GPU_OK);
	gpu_sample(g, 1, 0, 0, 0, &s);
	assert_int_equal(s.state, GPU_OK);
	gpu_sample(g, 1, 0, 0, 0, &s);
	assert_int_equal(s.state, GPU_LOST);
	assert_int_equal(s.util_pct, -1);
	assert_int_equal(s.mem_used_mb, -1);
	gpu_close(g);
}

static void
test_lost_while_open(void **state)
{
	struct gpu_inventory inv;
	struct gpu_sample s;
	struct gpu_proc p[4];
	struct gpu_dev *g;
	size_t n;

	write_script("gpus 2 81559 0 NVIDIA H100 80GB HBM3\n");
	g = open_nvml("GPUQ_TEST_NVML_LIB", &inv);
	gpu_sample(g, 1, 0, 0, 0, &s);
	assert_int_equal(s.state, GPU_OK);
	write_script("gpus 2 81559 0 NVIDIA H100 80GB HBM3\nlost 1\n");
	gpu_sample(g, 1, 0, 0, 0, &s);
	assert_int_equal(s.state, GPU_LOST);
	assert_int_equal(gpu_procs(g, 1, p, 4, &n), GQ_EIO);
	gpu_sample(g, 0, 0, 0, 0, &s);
	assert_int_equal(s.state, GPU_OK);
	gpu_close(g);
}

/* Two records or more: the record size is learnt from them. */
static void
check_procs(const char *env, const char *extra)
{
	struct gpu_inventory inv;
	struct gpu_proc p[8];
	struct gpu_dev *g;
	char text[512];
	size_t n;

	snprintf(text, sizeof(text),
	    "%sgpus 1 81559 0 NVIDIA H100 80GB HBM3\n"
	    "proc 0 4242 1024\nproc 0 4343 2048\nproc 0 4444 10\n",
	    extra);
	write_script(text);
	g = open_nvml(env, &inv);
	assert_int_equal(gpu_procs(g, 0, p, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[0].pid, 4242);
	assert_int_equal(p[0].mem_mb, 1024);
	assert_int_equal(p[1].pid, 4343);
	assert_int_equal(p[1].mem_mb, 2048);
	assert_int_equal(p[2].pid, 4444);
	assert_int_equal(p[2].mem_mb, 10);
	/* At most max records come back. */
	assert_int_equal(gpu_procs(g, 0, p, 2, &n), 0);
	assert_int_equal(n, 2);
	gpu_close(g);
}

static void
test_procs_v3(void **state)
{
	check_procs("GPUQ_TEST_NVML_LIB", "");
}

static void
test_procs_v3_r535(void **state)
{
	check_procs("GPUQ_TEST_NVML_LIB", "stride 32\n");
}

static void
test_procs_v1(void **state)
{
	check_procs("GPUQ_TEST_NVML_V1_LIB", "");
}

static void
test_procs_not_supported(void **state)
{
	struct gpu_inventory inv;
	struct gpu_proc p[4];
	struct gpu_dev *g;
	size_t n;

	write_script("gpus 1 81559 0 NVIDIA H100 80GB HBM3\nnoprocs 0\n");
	g = open_nvml("GPUQ_TEST_NVML_LIB", &inv);
	assert_int_equal(gpu_procs(g, 0, p, 4, &n), GQ_ENOSYS);
	gpu_close(g);
}

static void
test_init_fails(void **state)
{
	struct gpu_opts o = { 0 };
	struct gpu_inventory inv;
	struct gpu_dev *g = NULL;
	char cause[256] = "";

	write_script("init 9\ngpus 1 81559 0 NVIDIA H100 80GB HBM3\n");
	o.probe = "nvml";
	o.nvml_lib = getenv("GPUQ_TEST_NVML_LIB");
	assert_int_equal(gpu_open(&o, &g, &inv, cause, sizeof(cause)),
	    GQ_ENOENT);
	assert_null(g);
	assert_non_null(strstr(cause, "Driver Not Loaded"));
	/* "auto" then finds nothing (no nvidia-smi here) and says none. */
	o.probe = "auto";
	o.smi_path = "/nonexistent/nvidia-smi";
	assert_int_equal(gpu_open(&o, &g, &inv, cause, sizeof(cause)), 0);
	assert_string_equal(gpu_source(g), "none");
	assert_int_equal(inv.ngpus, 0);
	gpu_close(g);
}

static void
test_no_library(void **state)
{
	struct gpu_opts o = { 0 };
	struct gpu_inventory inv;
	struct gpu_dev *g = NULL;
	char cause[256] = "";

	o.probe = "nvml";
	o.nvml_lib = "/nonexistent/libnvidia-ml.so.1";
	assert_int_equal(gpu_open(&o, &g, &inv, cause, sizeof(cause)),
	    GQ_ENOENT);
	assert_non_null(strstr(cause, "cannot load"));
	o.probe = "cuda";
	assert_int_equal(gpu_open(&o, &g, &inv, cause, sizeof(cause)),
	    GQ_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inventory, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_samples_and_lost, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lost_while_open, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_procs_v3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_procs_v3_r535, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_procs_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_procs_not_supported, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_init_fails, setup,
		    teardown),
		cmocka_unit_test(test_no_library),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
