#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/sched-place.h"
#include "core/sched.h"

/* Takes milli (and its share of memory) from GPU g of node n. */
static void
use_gpu(struct cluster *c, int32_t n, int32_t g, int32_t milli)
{
	struct alloc a;

	memset(&a, 0, sizeof(a));
	a.node = n;
	a.ngpus = 1;
	a.gpus[0].gpu = g;
	a.gpus[0].milli = milli;
	a.gpus[0].mem_mb = c->nodes[n].gpus[g].mem_mb * milli / 1000;
	cluster_take(c, &a);
}

static struct req
req_gpus(int32_t milli)
{
	struct req r;

	memset(&r, 0, sizeof(r));
	r.gpus_milli = milli;
	return r;
}

/*
 * A job's placement as the policies make it, with the default strategies
 * (fgd+ for shares, which falls back to best fit without a mix; best fit
 * for whole GPUs and CPU-only jobs).
 */
static int
place_job(const struct cluster *c, const struct req *r, struct alloc *a,
    int32_t *n, enum wait_reason *why)
{
	struct sched_placer pl;
	struct sched_input in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.cluster = c;
	sched_place_init(&pl, &in);
	rc = sched_place_job(&pl, c, r, a, n, why);
	sched_place_done(&pl);
	return rc;
}

static int
place(const struct cluster *c, const struct req *r, struct alloc *a,
    enum wait_reason *why)
{
	struct alloc all[MODEL_MAX_GANG_NODES];
	int32_t n;
	int rc = place_job(c, r, all, &n, why);

	*a = all[0];
	return rc;
}

static void
test_names(void **state)
{
	assert_string_equal(sched_reason_name(WAIT_NONE), "NONE");
	assert_string_equal(sched_reason_name(WAIT_RESOURCES), "RESOURCES");
	assert_string_equal(sched_reason_name(WAIT_FRAGMENTED), "FRAGMENTED");
	assert_string_equal(sched_reason_name(WAIT_PRIORITY), "PRIORITY");
	assert_string_equal(sched_reason_name(WAIT_QUOTA), "QUOTA");
	assert_string_equal(sched_reason_name(WAIT_LIMIT), "LIMIT");
	assert_string_equal(sched_reason_name(WAIT_GANG), "GANG");
	assert_string_equal(sched_reason_name(WAIT_HELD), "HELD");
	assert_string_equal(sched_reason_name(WAIT_DEPENDENCY), "DEPENDENCY");
	assert_string_equal(sched_reason_name(WAIT_POOL), "POOL");
	assert_non_null(sched_policy_find("fifo"));
	assert_null(sched_policy_find("nope"));
	assert_non_null(sched_policy_find("fairshare"));
	assert_ptr_equal(sched_policy_default(),
	    sched_policy_find("fairshare"));
	assert_ptr_equal(sched_policy_default()->plan, sched_fairshare_plan);
	assert_ptr_equal(sched_policy_find("fifo")->plan, sched_fifo_plan);
	assert_string_equal(sched_risk_name(RISK_BORROWED), "borrowed");
	assert_string_equal(sched_risk_name(RISK_PROTECTED), "protected");
	assert_string_equal(sched_preempt_name(PREEMPT_RECLAIM), "reclaim");
	assert_string_equal(sched_preempt_name(PREEMPT_PRIORITY), "priority");
}

static void
test_plan_grows(void **state)
{
	struct plan p;
	struct alloc a;
	int i;

	plan_init(&p);
	memset(&a, 0, sizeof(a));
	for (i = 0; i < 1000; i++) {
		a.node = i;
		plan_add_start(&p, i, &a);
		plan_add_waiting(&p, 10000 + i, WAIT_QUOTA, i + 1);
	}
	assert_int_equal(p.ndecisions, 1000);
	assert_int_equal(p.nwaiting, 1000);
	assert_int_equal(p.decisions[999].job_id, 999);
	assert_int_equal(p.decisions[999].alloc.node, 999);
	assert_int_equal(p.decisions[999].kind, DECIDE_START);
	assert_int_equal(p.waiting[500].job_id, 10500);
	assert_int_equal(p.waiting[500].reason, WAIT_QUOTA);
	assert_int_equal(p.waiting[500].position, 501);
	plan_reset(&p);
	assert_int_equal(p.ndecisions, 0);
	assert_int_equal(p.nwaiting, 0);
	plan_done(&p);
	assert_null(p.decisions);
	plan_done(&p);
}

/* Best fit: the fullest GPU that still fits. */
static void
test_best_fit(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;

	cluster_init(&c);
	cluster_add_node(&c, "n0", 4, "A100-80GB", 81920, 64000, 524288);
	use_gpu(&c, 0, 1, 400); /* 600 free */
	use_gpu(&c, 0, 2, 700); /* 300 free */
	use_gpu(&c, 0, 3, 100); /* 900 free */
	r = req_gpus(250);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(why, WAIT_NONE);
	assert_int_equal(a.node, 0);
	assert_int_equal(a.ngpus, 1);
	assert_int_equal(a.gpus[0].gpu, 2);
	assert_int_equal(a.gpus[0].milli, 250);
	assert_int_equal(a.gpus[0].mem_mb, 20480);
	assert_int_equal(a.cpus_milli, 1000);
	assert_int_equal(a.mem_mb, 4096);
	r = req_gpus(500);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.gpus[0].gpu, 1);
	r = req_gpus(950);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.gpus[0].gpu, 0);
	cluster_done(&c);
}

/* GPU memory becomes milli of the GPU chosen; memory must fit too. */
static void
test_gpu_mem(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;

	cluster_init(&c);
	cluster_add_node(&c, "small", 2, "A100-40GB", 40960, 64000, 524288);
	cluster_add_node(&c, "big", 2, "A100-80GB", 81920, 64000, 524288);
	memset(&r, 0, sizeof(r));
	r.gpu_mem_mb = 20480;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	/* 500 of a 40G GPU leaves 500; 250 of an 80G GPU leaves 750. */
	assert_int_equal(a.node, 0);
	assert_int_equal(a.gpus[0].milli, 500);
	assert_int_equal(a.gpus[0].mem_mb, 20480);
	r.gpu_mem_mb = 61440;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 1);
	assert_int_equal(a.gpus[0].milli, 750);
	/*
	 * Same capacity left (500) on a fresh 40G GPU and a partly used 80G
	 * GPU: the partly used one wins.
	 */
	use_gpu(&c, 1, 1, 250);
	r.gpu_mem_mb = 20480;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 1);
	assert_int_equal(a.gpus[0].gpu, 1);
	assert_int_equal(a.gpus[0].milli, 250);
	cluster_done(&c);
}

/* A share with little compute but much memory is limited by memory. */
static void
test_share_mem_limit(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;

	cluster_init(&c);
	cluster_add_node(&c, "n0", 1, "A100-80GB", 81920, 64000, 524288);
	r = req_gpus(100);
	r.gpu_mem_mb = 71680;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.gpus[0].milli, 100);
	assert_int_equal(a.gpus[0].mem_mb, 71680);
	cluster_take(&c, &a);
	r = req_gpus(500);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_RESOURCES);
	r = req_gpus(100);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.gpus[0].mem_mb, 8192);
	cluster_done(&c);
}

/* Whole GPUs bin-pack onto the busier node. */
static void
test_whole_binpack(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;
	int32_t g;

	cluster_init(&c);
	cluster_add_node(&c, "empty", 8, "H100-80GB", 81559, 64000, 1048576);
	cluster_add_node(&c, "busy", 8, "H100-80GB", 81559, 64000, 1048576);
	for (g = 0; g < 4; g++)
		use_gpu(&c, 1, g, 1000);
	r = req_gpus(2000);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 1);
	assert_int_equal(a.ngpus, 2);
	assert_int_equal(a.gpus[0].gpu, 4);
	assert_int_equal(a.gpus[1].gpu, 5);
	assert_int_equal(a.gpus[0].milli, 1000);
	assert_int_equal(a.gpus[0].mem_mb, 81559);
	r = req_gpus(8000);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 0);
	assert_int_equal(a.ngpus, 8);
	/* A GPU with a share on it is not free for a whole-GPU job. */
	use_gpu(&c, 0, 3, 10);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_FRAGMENTED);
	cluster_done(&c);
}

/* GPUs of one job sit together when a run of them is free. */
static void
test_whole_contiguous(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;

	cluster_init(&c);
	cluster_add_node(&c, "n0", 8, "H100-80GB", 81559, 64000, 1048576);
	use_gpu(&c, 0, 1, 1000);
	use_gpu(&c, 0, 4, 500);
	/*
	 * Free: 0, 2, 3, 5, 6, 7.  Three GPUs: the aligned blocks 0-3 and
	 * 4-7 have three free each; the first is taken (the buddy rule,
	 * docs/placement.md), leaving the run 5-7 whole.
	 */
	r = req_gpus(3000);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.ngpus, 3);
	assert_int_equal(a.gpus[0].gpu, 0);
	assert_int_equal(a.gpus[1].gpu, 2);
	assert_int_equal(a.gpus[2].gpu, 3);
	r = req_gpus(2000);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.gpus[0].gpu, 2);
	assert_int_equal(a.gpus[1].gpu, 3);
	/* No run of four: the lowest four free. */
	r = req_gpus(4000);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.ngpus, 4);
	assert_int_equal(a.gpus[0].gpu, 0);
	assert_int_equal(a.gpus[1].gpu, 2);
	assert_int_equal(a.gpus[2].gpu, 3);
	assert_int_equal(a.gpus[3].gpu, 5);
	cluster_done(&c);
}

static void
test_fragmented(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;

	cluster_init(&c);
	cluster_add_node(&c, "n0", 2, "A100-80GB", 81920, 64000, 524288);
	cluster_add_node(&c, "n1", 2, "A100-80GB", 81920, 64000, 524288);
	use_gpu(&c, 0, 0, 1000);
	use_gpu(&c, 1, 0, 1000);
	use_gpu(&c, 0, 1, 600);
	use_gpu(&c, 1, 1, 600);
	/* 400 + 400 free: 0.6 would fit if one GPU had it all. */
	r = req_gpus(600);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_FRAGMENTED);
	r = req_gpus(900);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_RESOURCES);
	r = req_gpus(1000);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_RESOURCES);
	/* One whole free GPU on each node: two in total, none together. */
	use_gpu(&c, 0, 0, -1000);
	use_gpu(&c, 1, 0, -1000);
	r = req_gpus(2000);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_FRAGMENTED);
	r = req_gpus(1000);
	assert_int_equal(place(&c, &r, &a, &why), 1);
	cluster_done(&c);
}

/* A node's CPUs and memory bound what lands on its GPUs. */
static void
test_cpu_mem_limits(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;

	cluster_init(&c);
	cluster_add_node(&c, "n0", 2, "A100-80GB", 81920, 8000, 65536);
	cluster_add_node(&c, "n1", 2, "A100-80GB", 81920, 64000, 524288);
	use_gpu(&c, 0, 0, 700); /* the best fit, on n0 */
	r = req_gpus(250);
	r.cpus_milli = 16000;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 1);
	assert_int_equal(a.cpus_milli, 16000);
	r.cpus_milli = 4000;
	r.mem_mb = 131072;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 1);
	r.mem_mb = 0;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 0);
	/* The GPUs are free but the CPUs are not: RESOURCES. */
	c.nodes[0].free_cpus_milli = 0;
	c.nodes[1].free_cpus_milli = 0;
	r = req_gpus(1000);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_RESOURCES);
	cluster_done(&c);
}

static void
test_cpu_only(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;

	cluster_init(&c);
	cluster_add_node(&c, "gpu", 8, "H100-80GB", 81559, 64000, 1048576);
	cluster_add_node(&c, "cpu", 0, NULL, 0, 32000, 131072);
	cluster_add_node(&c, "cpu2", 0, NULL, 0, 16000, 131072);
	memset(&r, 0, sizeof(r));
	r.cpus_milli = 8000;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.ngpus, 0);
	assert_int_equal(a.node, 2); /* the tighter CPU node */
	r.cpus_milli = 20000;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 1);
	r.cpus_milli = 40000;
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 0);
	r.cpus_milli = 80000;
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_FRAGMENTED);
	r.cpus_milli = 200000;
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_RESOURCES);
	cluster_done(&c);
}

static void
test_place_invalid(void **state)
{
	struct cluster c;
	struct req r;
	struct alloc a;
	enum wait_reason why;

	cluster_init(&c);
	cluster_add_node(&c, "n0", 8, "H100-80GB", 81559, 64000, 1048576);
	r = req_gpus(1500);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	r = req_gpus(-1);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	r = req_gpus(9000);
	assert_int_equal(place(&c, &r, &a, &why), 0);
	memset(&r, 0, sizeof(r));
	r.gpu_mem_mb = 100000;
	assert_int_equal(place(&c, &r, &a, &why), 0);
	assert_int_equal(why, WAIT_RESOURCES);
	cluster_done(&c);
}

/* FIFO. */

#define NJOBS 6

struct fifo_fixture {
	struct cluster c;
	struct job_core jobs[NJOBS];
	const struct job_core *ptrs[NJOBS];
	struct sched_input in;
	struct plan p;
};

static void
fifo_job(struct fifo_fixture *f, int i, int64_t id, int64_t submit,
    int32_t milli)
{
	memset(&f->jobs[i], 0, sizeof(f->jobs[i]));
	f->jobs[i].id = id;
	f->jobs[i].submit_time = submit;
	f->jobs[i].state = JOB_PENDING;
	f->jobs[i].req.gpus_milli = milli;
	f->ptrs[i] = &f->jobs[i];
}

/* One node of 4 GPUs; jobs given out of submit order. */
static int
fifo_setup(void **state)
{
	struct fifo_fixture *f = calloc(1, sizeof(*f));

	cluster_init(&f->c);
	cluster_add_node(&f->c, "n0", 4, "A100-80GB", 81920, 64000, 524288);
	fifo_job(f, 0, 5, 300, 1000);
	fifo_job(f, 1, 2, 100, 2000);
	fifo_job(f, 2, 9, 100, 4000); /* same time as 2: after it by id */
	fifo_job(f, 3, 4, 200, 500);
	fifo_job(f, 4, 7, 400, 2000);
	fifo_job(f, 5, 1, 500, 500);
	f->in.cluster = &f->c;
	f->in.pending = f->ptrs;
	f->in.npending = NJOBS;
	f->in.now = 1000;
	plan_init(&f->p);
	*state = f;
	return 0;
}

static int
fifo_teardown(void **state)
{
	struct fifo_fixture *f = *state;

	plan_done(&f->p);
	cluster_done(&f->c);
	free(f);
	return 0;
}

static void
test_fifo_order(void **state)
{
	struct fifo_fixture *f = *state;

	assert_int_equal(sched_fifo_plan(&f->in, &f->p), 0);
	/*
	 * Order: 2 (2 GPUs), 9 (4 GPUs, waits), 4 (0.5), 5 (1 GPU),
	 * 7 (2 GPUs, waits), 1 (0.5, packs next to 4).
	 */
	assert_int_equal(f->p.ndecisions, 4);
	assert_int_equal(f->p.decisions[0].job_id, 2);
	assert_int_equal(f->p.decisions[0].alloc.gpus[0].gpu, 0);
	assert_int_equal(f->p.decisions[0].alloc.gpus[1].gpu, 1);
	assert_int_equal(f->p.decisions[1].job_id, 4);
	assert_int_equal(f->p.decisions[1].alloc.gpus[0].gpu, 2);
	assert_int_equal(f->p.decisions[2].job_id, 5);
	assert_int_equal(f->p.decisions[2].alloc.gpus[0].gpu, 3);
	assert_int_equal(f->p.decisions[3].job_id, 1);
	assert_int_equal(f->p.decisions[3].alloc.gpus[0].gpu, 2);
	assert_int_equal(f->p.nwaiting, 2);
	assert_int_equal(f->p.waiting[0].job_id, 9);
	assert_int_equal(f->p.waiting[0].position, 1);
	assert_int_equal(f->p.waiting[0].reason, WAIT_RESOURCES);
	assert_int_equal(f->p.waiting[1].job_id, 7);
	assert_int_equal(f->p.waiting[1].position, 2);
	assert_int_equal(f->p.waiting[1].reason, WAIT_RESOURCES);
}

static void
plan_equal(const struct plan *a, const struct plan *b)
{
	size_t i;
	int32_t g;

	assert_int_equal(a->ndecisions, b->ndecisions);
	assert_int_equal(a->nwaiting, b->nwaiting);
	for (i = 0; i < a->ndecisions; i++) {
		assert_int_equal(a->decisions[i].job_id,
		    b->decisions[i].job_id);
		assert_int_equal(a->decisions[i].alloc.node,
		    b->decisions[i].alloc.node);
		assert_int_equal(a->decisions[i].alloc.ngpus,
		    b->decisions[i].alloc.ngpus);
		for (g = 0; g < a->decisions[i].alloc.ngpus; g++)
			assert_memory_equal(&a->decisions[i].alloc.gpus[g],
			    &b->decisions[i].alloc.gpus[g],
			    sizeof(struct alloc_gpu));
	}
	for (i = 0; i < a->nwaiting; i++) {
		assert_int_equal(a->waiting[i].job_id, b->waiting[i].job_id);
		assert_int_equal(a->waiting[i].reason, b->waiting[i].reason);
		assert_int_equal(a->waiting[i].position,
		    b->waiting[i].position);
	}
}

/* Same input, same plan; and the input is left as it was. */
static void
test_fifo_pure(void **state)
{
	struct fifo_fixture *f = *state;
	struct job_core jobs[NJOBS];
	const struct job_core *ptrs[NJOBS];
	struct node node;
	struct plan p2;
	size_t i;

	memcpy(jobs, f->jobs, sizeof(jobs));
	memcpy(ptrs, f->ptrs, sizeof(ptrs));
	memcpy(&node, &f->c.nodes[0], sizeof(node));
	assert_int_equal(sched_fifo_plan(&f->in, &f->p), 0);
	assert_memory_equal(jobs, f->jobs, sizeof(jobs));
	assert_memory_equal(ptrs, f->ptrs, sizeof(ptrs));
	assert_memory_equal(&node, &f->c.nodes[0], sizeof(node));
	plan_init(&p2);
	assert_int_equal(sched_policy_default()->plan(&f->in, &p2), 0);
	plan_equal(&f->p, &p2);
	/* The input order does not matter, only submit time and id. */
	for (i = 0; i < NJOBS; i++)
		f->ptrs[i] = &f->jobs[NJOBS - 1 - i];
	plan_reset(&p2);
	assert_int_equal(sched_fifo_plan(&f->in, &p2), 0);
	plan_equal(&f->p, &p2);
	plan_done(&p2);
}

/* Only PENDING jobs count; a full cluster leaves all waiting. */
static void
test_fifo_states(void **state)
{
	struct fifo_fixture *f = *state;
	int32_t g;

	f->jobs[1].state = JOB_RUNNING;
	f->jobs[3].state = JOB_CANCELLED;
	for (g = 0; g < 4; g++)
		use_gpu(&f->c, 0, g, 1000);
	assert_int_equal(sched_fifo_plan(&f->in, &f->p), 0);
	assert_int_equal(f->p.ndecisions, 0);
	assert_int_equal(f->p.nwaiting, 4);
	assert_int_equal(f->p.waiting[0].job_id, 9);
	assert_int_equal(f->p.waiting[1].job_id, 5);
	assert_int_equal(f->p.waiting[2].job_id, 7);
	assert_int_equal(f->p.waiting[3].job_id, 1);
	assert_int_equal(f->p.waiting[3].position, 4);
	f->in.npending = 0;
	plan_reset(&f->p);
	assert_int_equal(sched_fifo_plan(&f->in, &f->p), 0);
	assert_int_equal(f->p.ndecisions + f->p.nwaiting, 0);
}

/* Shares taken during a plan are not given twice. */
static void
test_fifo_shares(void **state)
{
	struct fifo_fixture *f = *state;
	int i;

	cluster_done(&f->c);
	cluster_add_node(&f->c, "n0", 1, "T4", 15360, 64000, 524288);
	for (i = 0; i < NJOBS; i++)
		fifo_job(f, i, i + 1, i, 300);
	assert_int_equal(sched_fifo_plan(&f->in, &f->p), 0);
	assert_int_equal(f->p.ndecisions, 3);
	assert_int_equal(f->p.nwaiting, 3);
	assert_int_equal(f->p.waiting[0].job_id, 4);
	assert_int_equal(f->p.waiting[0].reason, WAIT_RESOURCES);
	assert_int_equal(f->p.waiting[2].position, 3);
}

static void
test_place_job_gang(void **state)
{
	struct alloc a[MODEL_MAX_GANG_NODES];
	enum wait_reason why;
	struct cluster c;
	struct req r;
	int32_t n;

	cluster_init(&c);
	cluster_add_node(&c, "n1", 8, "H100", 81920, 64000, 512 * 1024);
	cluster_add_node(&c, "n2", 8, "H100", 81920, 64000, 512 * 1024);
	cluster_add_node(&c, "n3", 8, "H100", 81920, 64000, 512 * 1024);
	use_gpu(&c, 1, 0, 1000);
	r = req_gpus(4000);
	r.nodes = 2;
	model_req_defaults(&r);
	/* n2 has 7 whole GPUs: bin-packing takes it first, then n1. */
	assert_int_equal(place_job(&c, &r, a, &n, &why), 1);
	assert_int_equal(n, 2);
	assert_int_equal(a[0].node, 1);
	assert_int_equal(a[1].node, 0);
	assert_int_equal(a[0].ngpus, 4);
	r = req_gpus(8000);
	r.nodes = 3;
	model_req_defaults(&r);
	assert_int_equal(place_job(&c, &r, a, &n, &why), 0);
	assert_int_equal(why, WAIT_GANG);
	assert_int_equal(n, 0);
	use_gpu(&c, 0, 0, 1000);
	use_gpu(&c, 2, 0, 1000);
	r.nodes = 2;
	assert_int_equal(place_job(&c, &r, a, &n, &why), 0);
	assert_true(why == WAIT_RESOURCES || why == WAIT_FRAGMENTED);
	cluster_done(&c);
}

static void
test_place_where(void **state)
{
	struct alloc a;
	enum wait_reason why;
	struct cluster c;
	struct req r;

	cluster_init(&c);
	cluster_add_node(&c, "a", 8, "A100", 40960, 64000, 512 * 1024);
	cluster_add_node(&c, "h", 8, "H100", 81920, 64000, 512 * 1024);
	snprintf(c.nodes[1].pool, sizeof(c.nodes[1].pool), "fast");
	snprintf(c.nodes[1].labels, sizeof(c.nodes[1].labels), "ib");
	r = req_gpus(1000);
	snprintf(r.pool, sizeof(r.pool), "fast");
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 1);
	r = req_gpus(1000);
	snprintf(r.labels, sizeof(r.labels), "ib");
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 1);
	r = req_gpus(1000);
	snprintf(r.gpu_model, sizeof(r.gpu_model), "V100|A100");
	assert_int_equal(place(&c, &r, &a, &why), 1);
	assert_int_equal(a.node, 0);
	snprintf(r.pool, sizeof(r.pool), "fast");
	assert_int_equal(place(&c, &r, &a, &why), 0);
	model_req_defaults(&r);
	assert_false(place_node_fits(&c.nodes[1], &r) &&
	    sched_node_where(&c.nodes[1], &r));
	r.pool[0] = '\0';
	assert_true(place_node_fits(&c.nodes[0], &r) &&
	    sched_node_where(&c.nodes[0], &r));
	cluster_done(&c);
}

/*
 * The per-plan request mix: bounded, sampled by id past SCHED_PLACE_SAMPLE
 * jobs, and the same whatever the order of the jobs.
 */
static void
test_place_mix(void **state)
{
	enum { N = 20000 };
	struct sched_placer a, b;
	struct job_core *jobs = calloc(N, sizeof(*jobs));
	const struct job_core **v = calloc(N, sizeof(*v));
	const struct job_core **w = calloc(N, sizeof(*w));
	size_t i, k;

	for (i = 0; i < N; i++) {
		jobs[i].id = (int64_t)i + 1;
		jobs[i].req.gpus_milli = i % 7 == 0 ? 1000 : 100 * (i % 9 + 1);
		jobs[i].req.cpus_milli = (int32_t)(1000 * (i % 33 + 1));
		v[i] = &jobs[i];
		w[N - 1 - i] = &jobs[i];
	}
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	sched_place_mix(&a, v, N, NULL, 0);
	sched_place_mix(&b, w, N, NULL, 0);
	assert_true(a.mix.ntypes > 5);
	assert_true(a.mix.ntypes <= SCHED_PLACE_KINDS);
	assert_int_equal(a.mix.ntypes, b.mix.ntypes);
	for (k = 0; k < a.mix.ntypes; k++) {
		assert_int_equal(a.mix.types[k].milli, b.mix.types[k].milli);
		assert_int_equal(a.mix.types[k].cpus_milli,
		    b.mix.types[k].cpus_milli);
		assert_true(a.mix.types[k].weight == b.mix.types[k].weight);
		/* CPUs are counted in powers of two. */
		assert_int_equal(a.mix.types[k].cpus_milli % 1000, 0);
		assert_int_equal((a.mix.types[k].cpus_milli / 1000) &
		        (a.mix.types[k].cpus_milli / 1000 - 1),
		    0);
	}
	place_mix_done(&a.mix);
	place_mix_done(&b.mix);
	free(jobs);
	free(v);
	free(w);
}

static void
test_texts(void **state)
{
	struct waiting w;
	struct risk rk;
	char out[256];

	memset(&w, 0, sizeof(w));
	assert_string_equal(sched_hint_text(&w, 0, out, sizeof(out)), "");
	w.hint.kind = HINT_SMALLER;
	w.hint.value = 500;
	assert_string_equal(sched_hint_text(&w, 0, out, sizeof(out)),
	    "--gpus 0.5 would start now");
	w.hint.kind = HINT_SHORTER;
	w.hint.value = 1500;
	assert_string_equal(sched_hint_text(&w, 0, out, sizeof(out)),
	    "a time limit under 25m00s would start it now (backfill)");
	w.hint.kind = HINT_LIMIT;
	w.hint.value = 6000;
	w.hint.value2 = 8000;
	snprintf(w.hint.text, sizeof(w.hint.text), "research");
	assert_non_null(strstr(sched_hint_text(&w, 0, out, sizeof(out)),
	    "its department research holds 6 of its limit of 8 GPUs"));
	w.hint.kind = HINT_POOL;
	snprintf(w.hint.text, sizeof(w.hint.text), "a100");
	assert_string_equal(sched_hint_text(&w, 0, out, sizeof(out)),
	    "pool a100 has room now");
	memset(&rk, 0, sizeof(rk));
	rk.level = RISK_PROTECTED;
	rk.until = 1600;
	assert_non_null(strstr(sched_risk_text(&rk, 1000, out, sizeof(out)),
	    "for another 10m00s"));
	rk.level = RISK_BORROWED;
	assert_non_null(
	    strstr(sched_risk_text(&rk, 1000, out, sizeof(out)), "borrowed"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_plan_grows),
		cmocka_unit_test(test_best_fit),
		cmocka_unit_test(test_gpu_mem),
		cmocka_unit_test(test_share_mem_limit),
		cmocka_unit_test(test_whole_binpack),
		cmocka_unit_test(test_whole_contiguous),
		cmocka_unit_test(test_fragmented),
		cmocka_unit_test(test_cpu_mem_limits),
		cmocka_unit_test(test_cpu_only),
		cmocka_unit_test(test_place_invalid),
		cmocka_unit_test(test_place_job_gang),
		cmocka_unit_test(test_place_where),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_place_mix),
		cmocka_unit_test_setup_teardown(test_fifo_order, fifo_setup,
		    fifo_teardown),
		cmocka_unit_test_setup_teardown(test_fifo_pure, fifo_setup,
		    fifo_teardown),
		cmocka_unit_test_setup_teardown(test_fifo_states, fifo_setup,
		    fifo_teardown),
		cmocka_unit_test_setup_teardown(test_fifo_shares, fifo_setup,
		    fifo_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
