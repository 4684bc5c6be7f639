#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/model.h"

static void
test_state_names(void **state)
{
	enum job_state s;
	int i;

	for (i = 0; i < JOB_NSTATES; i++) {
		assert_int_equal(model_state_parse(model_state_name(
		                                       (enum job_state)i),
		                     &s),
		    0);
		assert_int_equal(s, i);
	}
	assert_string_equal(model_state_name(JOB_PENDING), "PENDING");
	assert_string_equal(model_state_name(JOB_TIMEOUT), "TIMEOUT");
	assert_string_equal(model_state_name(JOB_CANCELLED), "CANCELLED");
	assert_int_equal(model_state_parse("pending", &s), GQ_EINVAL);
	assert_int_equal(model_state_parse("", &s), GQ_EINVAL);
	assert_false(model_state_final(JOB_PENDING));
	assert_false(model_state_final(JOB_RUNNING));
	assert_true(model_state_final(JOB_COMPLETED));
	assert_true(model_state_final(JOB_FAILED));
	assert_true(model_state_final(JOB_CANCELLED));
	assert_true(model_state_final(JOB_TIMEOUT));
}

static void
test_class_names(void **state)
{
	enum job_class c;

	assert_string_equal(model_class_name(JOB_CLASS_INTERACTIVE),
	    "interactive");
	assert_string_equal(model_class_name(JOB_CLASS_TRAIN), "train");
	assert_string_equal(model_class_name(JOB_CLASS_INFERENCE), "inference");
	assert_int_equal(model_class_parse("inference", &c), 0);
	assert_int_equal(c, JOB_CLASS_INFERENCE);
	assert_int_equal(model_class_parse("train", &c), 0);
	assert_int_equal(c, JOB_CLASS_TRAIN);
	assert_int_equal(model_class_parse("batch", &c), GQ_EINVAL);
}

static void
test_cluster_nodes(void **state)
{
	struct cluster c;
	char name[16];
	int i;

	cluster_init(&c);
	assert_int_equal(cluster_add_node(&c, "a", 8, "H100-80GB", 81559, 64000,
	                     1048576),
	    0);
	for (i = 1; i < 300; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		assert_int_equal(cluster_add_node(&c, name, 2, "T4", 15360,
		                     8000, 65536),
		    i);
	}
	assert_int_equal(c.nnodes, 300);
	assert_string_equal(c.nodes[0].name, "a");
	assert_int_equal(c.nodes[0].ngpus, 8);
	assert_string_equal(c.nodes[0].gpus[7].model, "H100-80GB");
	assert_int_equal(c.nodes[0].gpus[7].free_milli, 1000);
	assert_int_equal(c.nodes[0].gpus[7].free_mem_mb, 81559);
	assert_int_equal(c.nodes[0].free_cpus_milli, 64000);
	assert_int_equal(c.nodes[0].free_mem_mb, 1048576);
	assert_string_equal(c.nodes[299].name, "n299");
	assert_int_equal(c.nodes[299].gpus[1].mem_mb, 15360);
	cluster_done(&c);
	assert_null(c.nodes);
	assert_int_equal(c.nnodes, 0);
}

static void
test_req_defaults(void **state)
{
	struct req r = { 0 };

	model_req_defaults(&r);
	assert_int_equal(r.cpus_milli, 1000);
	assert_int_equal(r.mem_mb, 4096);
	r.cpus_milli = 500;
	r.mem_mb = 100;
	model_req_defaults(&r);
	assert_int_equal(r.cpus_milli, 500);
	assert_int_equal(r.mem_mb, 100);
}

static void
test_milli_on(void **state)
{
	struct req r = { 0 };

	assert_int_equal(model_req_milli_on(&r, 81920), 0);
	r.gpus_milli = 500;
	assert_int_equal(model_req_milli_on(&r, 81920), 500);
	r.gpus_milli = 2000;
	assert_int_equal(model_req_milli_on(&r, 81920), 2000);
	r.gpus_milli = 0;
	r.gpu_mem_mb = 20480;
	assert_int_equal(model_req_milli_on(&r, 81920), 250);
	/* Rounded up: 20480 / 81559 is 0.2511. */
	assert_int_equal(model_req_milli_on(&r, 81559), 252);
	assert_int_equal(model_req_milli_on(&r, 20480), 1000);
	assert_true(model_req_milli_on(&r, 15360) > 1000);
	assert_true(model_req_milli_on(&r, 0) > 1000);
	r.gpu_mem_mb = 1;
	assert_int_equal(model_req_milli_on(&r, 81920), 1);
}

/* Two nodes: 8 H100 with 64 CPUs and 1T, 4 A100-40GB with 32 CPUs. */
static void
cluster_two(struct cluster *c)
{
	cluster_init(c);
	cluster_add_node(c, "h", 8, "H100-80GB", 81920, 64000, 1048576);
	cluster_add_node(c, "a", 4, "A100-40GB", 40960, 32000, 262144);
}

static void
test_req_check_invalid(void **state)
{
	struct cluster c;
	struct req r;
	char cause[128];

	cluster_two(&c);
	memset(&r, 0, sizeof(r));
	r.gpus_milli = -1;
	assert_int_equal(model_req_check(&c, &r, cause, sizeof(cause)),
	    GQ_EINVAL);
	assert_string_equal(cause, "negative resource request");
	memset(&r, 0, sizeof(r));
	r.mem_mb = -5;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), GQ_EINVAL);
	memset(&r, 0, sizeof(r));
	r.time_limit_s = -1;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), GQ_EINVAL);
	memset(&r, 0, sizeof(r));
	r.gpus_milli = 1500;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), GQ_EINVAL);
	r.gpus_milli = 2000;
	r.gpu_mem_mb = 1024;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), GQ_EINVAL);
	r.gpus_milli = 1000;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), GQ_EINVAL);
	memset(&r, 0, sizeof(r));
	r.gpus_milli = (MODEL_MAX_JOB_GPUS + 1) * 1000;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), GQ_EINVAL);
	cluster_done(&c);
}

static void
test_req_check_fits(void **state)
{
	struct cluster c;
	struct req r;

	cluster_two(&c);
	memset(&r, 0, sizeof(r));
	assert_int_equal(model_req_check(&c, &r, NULL, 0), 0);
	r.gpus_milli = 8000;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), 0);
	r.gpus_milli = 250;
	r.gpu_mem_mb = 40000;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), 0);
	r.gpus_milli = 0;
	r.gpu_mem_mb = 81920;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), 0);
	r.gpu_mem_mb = 0;
	r.cpus_milli = 64000;
	r.mem_mb = 1048576;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), 0);
	cluster_done(&c);
}

static void
check_nofit(const struct cluster *c, const struct req *r, const char *want)
{
	char cause[128];

	assert_int_equal(model_req_check(c, r, cause, sizeof(cause)),
	    GQ_ENOFIT);
	assert_string_equal(cause, want);
}

static void
test_req_check_nofit(void **state)
{
	struct cluster c;
	struct req r;

	cluster_two(&c);
	memset(&r, 0, sizeof(r));
	r.gpus_milli = 16000;
	check_nofit(&c, &r, "needs 16 GPUs; the largest node has 8");
	r.gpus_milli = 0;
	r.gpu_mem_mb = 204800;
	check_nofit(&c, &r,
	    "needs 200G of GPU memory on one GPU; the largest GPU has 80G");
	r.gpu_mem_mb = 0;
	r.cpus_milli = 512000;
	check_nofit(&c, &r, "needs 512 CPUs; the largest node has 64");
	r.cpus_milli = 0;
	r.mem_mb = 2097152;
	check_nofit(&c, &r, "needs 2T of memory; the largest node has 1T");
	/* Each resource exists, but never on one node together. */
	cluster_add_node(&c, "fat", 0, NULL, 0, 256000, 1048576);
	r.mem_mb = 0;
	r.gpus_milli = 8000;
	r.cpus_milli = 128000;
	check_nofit(&c, &r, "no node has its GPUs, CPUs and memory together");
	r.gpus_milli = 0;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), 0);
	cluster_add_node(&c, "small", 1, "T4", 15360, 4000, 16384);
	r.gpus_milli = 0;
	r.cpus_milli = 0;
	r.gpu_mem_mb = 16384;
	assert_int_equal(model_req_check(&c, &r, NULL, 0), 0);
	r.gpu_mem_mb = 0;
	r.gpus_milli = 9000;
	check_nofit(&c, &r, "needs 9 GPUs; the largest node has 8");
	cluster_done(&c);
}

static void
test_req_check_empty(void **state)
{
	struct cluster c;
	struct req r;

	cluster_init(&c);
	memset(&r, 0, sizeof(r));
	check_nofit(&c, &r, "the cluster has no nodes");
	cluster_add_node(&c, "cpu", 0, NULL, 0, 16000, 65536);
	assert_int_equal(model_req_check(&c, &r, NULL, 0), 0);
	r.gpus_milli = 500;
	check_nofit(&c, &r, "needs a GPU; the cluster has none");
	r.gpus_milli = 2000;
	check_nofit(&c, &r, "needs 2 GPUs; the cluster has none");
	r.gpus_milli = 0;
	r.cpus_milli = 16500;
	check_nofit(&c, &r, "needs 16.5 CPUs; the largest node has 16");
	cluster_done(&c);
}

static void
test_take_give(void **state)
{
	struct cluster c;
	struct alloc a;

	cluster_two(&c);
	memset(&a, 0, sizeof(a));
	a.node = 1;
	a.ngpus = 2;
	a.gpus[0].gpu = 0;
	a.gpus[0].milli = 1000;
	a.gpus[0].mem_mb = 40960;
	a.gpus[1].gpu = 3;
	a.gpus[1].milli = 250;
	a.gpus[1].mem_mb = 10240;
	a.cpus_milli = 4000;
	a.mem_mb = 16384;
	cluster_take(&c, &a);
	assert_int_equal(c.nodes[1].gpus[0].free_milli, 0);
	assert_int_equal(c.nodes[1].gpus[0].free_mem_mb, 0);
	assert_int_equal(c.nodes[1].gpus[3].free_milli, 750);
	assert_int_equal(c.nodes[1].gpus[3].free_mem_mb, 30720);
	assert_int_equal(c.nodes[1].gpus[1].free_milli, 1000);
	assert_int_equal(c.nodes[1].free_cpus_milli, 28000);
	assert_int_equal(c.nodes[1].free_mem_mb, 262144 - 16384);
	assert_int_equal(c.nodes[0].free_cpus_milli, 64000);
	cluster_give(&c, &a);
	assert_int_equal(c.nodes[1].gpus[0].free_milli, 1000);
	assert_int_equal(c.nodes[1].gpus[3].free_mem_mb, 40960);
	assert_int_equal(c.nodes[1].free_cpus_milli, 32000);
	assert_int_equal(c.nodes[1].free_mem_mb, 262144);
	/* An allocation naming no node of the cluster changes nothing. */
	a.node = 7;
	cluster_take(&c, &a);
	assert_int_equal(c.nodes[1].free_cpus_milli, 32000);
	cluster_done(&c);
}

static void
test_labels(void **state)
{
	struct cluster c;
	struct req r;
	char cause[256];

	assert_int_equal(model_labels_check(""), 0);
	assert_int_equal(model_labels_check("ib,nvlink"), 0);
	assert_int_equal(model_labels_check("ib,"), GQ_EINVAL);
	assert_int_equal(model_labels_check(",ib"), GQ_EINVAL);
	assert_int_equal(model_labels_check("a,,b"), GQ_EINVAL);
	assert_int_equal(model_labels_check("a b"), GQ_EINVAL);
	assert_true(model_labels_has("ib,nvlink", "nvlink", 6));
	assert_false(model_labels_has("ib,nvlink", "nv", 2));
	assert_false(model_labels_has("", "ib", 2));
	cluster_init(&c);
	cluster_add_node(&c, "a", 8, "A100", 40960, 64000, 512 * 1024);
	cluster_add_node(&c, "h", 8, "H100", 81920, 64000, 512 * 1024);
	snprintf(c.nodes[1].labels, sizeof(c.nodes[1].labels), "ib,nvlink");
	snprintf(c.nodes[1].pool, sizeof(c.nodes[1].pool), "h100");
	memset(&r, 0, sizeof(r));
	r.gpus_milli = 8000;
	snprintf(r.labels, sizeof(r.labels), "nvlink,ib");
	assert_true(model_node_labels_ok(&c.nodes[1], &r));
	assert_false(model_node_labels_ok(&c.nodes[0], &r));
	assert_int_equal(model_req_check(&c, &r, cause, sizeof(cause)), 0);
	snprintf(r.labels, sizeof(r.labels), "ib,roce");
	assert_int_equal(model_req_check(&c, &r, cause, sizeof(cause)),
	    GQ_ENOFIT);
	assert_string_equal(cause, "no node carries the labels \"ib,roce\"");
	r.labels[0] = '\0';
	snprintf(r.pool, sizeof(r.pool), "a100");
	assert_int_equal(model_req_check(&c, &r, cause, sizeof(cause)),
	    GQ_ENOFIT);
	assert_string_equal(cause, "no node is in pool \"a100\"");
	cluster_done(&c);
}

static void
test_gang_check(void **state)
{
	struct cluster c;
	struct req r;
	char cause[256];

	cluster_init(&c);
	cluster_add_node(&c, "n1", 8, "H100", 81920, 64000, 512 * 1024);
	cluster_add_node(&c, "n2", 8, "H100", 81920, 64000, 512 * 1024);
	cluster_add_node(&c, "n3", 4, "H100", 81920, 64000, 512 * 1024);
	memset(&r, 0, sizeof(r));
	r.gpus_milli = 8000;
	r.nodes = 2;
	assert_int_equal(model_req_nodes(&r), 2);
	assert_int_equal(model_req_check(&c, &r, cause, sizeof(cause)), 0);
	r.nodes = 3;
	assert_int_equal(model_req_check(&c, &r, cause, sizeof(cause)),
	    GQ_ENOFIT);
	assert_string_equal(cause,
	    "needs 3 nodes at once; 2 could hold their part");
	r.nodes = 65;
	assert_int_equal(model_req_check(&c, &r, cause, sizeof(cause)),
	    GQ_EINVAL);
	r.nodes = 2;
	r.gpus_milli = 500;
	assert_int_equal(model_req_check(&c, &r, cause, sizeof(cause)),
	    GQ_EINVAL);
	r.nodes = 0;
	assert_int_equal(model_req_nodes(&r), 1);
	cluster_done(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_cluster_nodes),
		cmocka_unit_test(test_req_defaults),
		cmocka_unit_test(test_milli_on),
		cmocka_unit_test(test_req_check_invalid),
		cmocka_unit_test(test_req_check_fits),
		cmocka_unit_test(test_req_check_nofit),
		cmocka_unit_test(test_req_check_empty),
		cmocka_unit_test(test_take_give),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_gang_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
