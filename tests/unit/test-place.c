/*
 * Placement (core/place*.c): constraints, FGD's fragmentation measure on
 * tiny hand-made nodes with answers worked out by hand, the strategies'
 * choices on crafted clusters, and the seeded generator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/place.h"

/* Takes milli of GPU g of node n, and cpus milli-CPUs. */
static void
use(struct cluster *c, int32_t n, int32_t g, int32_t milli, int32_t cpus)
{
	struct alloc a;

	memset(&a, 0, sizeof(a));
	a.node = n;
	if (g >= 0) {
		a.ngpus = 1;
		a.gpus[0].gpu = g;
		a.gpus[0].milli = milli;
		a.gpus[0].mem_mb = c->nodes[n].gpus[g].mem_mb * milli / 1000;
	}
	a.cpus_milli = cpus;
	cluster_take(c, &a);
}

static struct req
req(int32_t milli, int32_t cpus, const char *model)
{
	struct req r;

	memset(&r, 0, sizeof(r));
	r.gpus_milli = milli;
	r.cpus_milli = cpus;
	r.mem_mb = 1024;
	snprintf(r.gpu_model, sizeof(r.gpu_model), "%s", model);
	return r;
}

/* A mix of the given kinds, weights as given (they are scaled to 1). */
static void
mix_of(struct place_mix *m, const struct req *kinds, const double *w, size_t n)
{
	size_t i;

	place_mix_init(m, 0);
	for (i = 0; i < n; i++)
		place_mix_add(m, &kinds[i], w[i]);
	place_mix_finish(m, 1.0);
}

static void
test_model_ok(void **state)
{
	assert_true(model_gpu_model_ok("", "T4"));
	assert_true(model_gpu_model_ok("T4", "T4"));
	assert_true(model_gpu_model_ok("V100M16|V100M32", "V100M32"));
	assert_true(model_gpu_model_ok("A10|G2|T4", "G2"));
	assert_false(model_gpu_model_ok("V100M16|V100M32", "V100"));
	assert_false(model_gpu_model_ok("V100", "V100M16"));
	assert_false(model_gpu_model_ok("T4", ""));
	assert_false(model_gpu_model_ok("A|B", "AB"));
	/* A family names every memory size of a model, in any case. */
	assert_true(model_gpu_model_ok("H100", "H100-80GB"));
	assert_true(model_gpu_model_ok("a100|h100", "H100-80GB"));
	assert_false(model_gpu_model_ok("H10", "H100-80GB"));
}

/*
 * Node: 2 V100 GPUs with 1000 and 300 free, 8 CPUs.  By hand:
 *   share 500      usable GPU 0 only        frag 1300 - 1000 = 300
 *   1 whole GPU    usable GPU 0             frag 300
 *   2 whole GPUs   only one is whole free   frag 1300 (all)
 *   no GPU         FGD counts it all        frag 1300
 *   share 200, 9 CPUs   lacks CPUs          frag 1300
 *   share 200 on T4     wrong model         frag 1300
 *   share 200      both usable              frag 0
 */
static void
test_frag_type(void **state)
{
	struct req k[7] = { req(500, 1000, ""), req(1000, 1000, ""),
		req(2000, 1000, ""), req(0, 1000, ""), req(200, 9000, ""),
		req(200, 1000, "T4"), req(200, 1000, "") };
	double w[7] = { 1, 1, 1, 1, 1, 1, 1 };
	double want[7] = { 300, 300, 1300, 1300, 1300, 1300, 0 };
	struct place_mix m;
	struct cluster c;
	size_t i, j;

	cluster_init(&c);
	cluster_add_node(&c, "a", 2, "V100", 16384, 8000, 65536);
	use(&c, 0, 1, 700, 0);
	mix_of(&m, k, w, 7);
	assert_int_equal(m.ntypes, 7);
	for (i = 0; i < 7; i++) {
		for (j = 0; j < m.ntypes; j++) {
			if (m.types[j].cpus_milli == k[i].cpus_milli &&
			    m.types[j].milli *
			            (m.types[j].ngpus ? m.types[j].ngpus : 1) ==
			        k[i].gpus_milli &&
			    strcmp(m.types[j].gpu_model, k[i].gpu_model) == 0)
				break;
		}
		assert_true(j < m.ntypes);
		assert_float_equal(place_frag_type(&c.nodes[0], &m.types[j],
		                       &m),
		    want[i], 1e-9);
	}
	place_mix_done(&m);
	cluster_done(&c);
}

/* A kind asking for a model family measures GPUs of that family. */
static void
test_frag_family(void **state)
{
	struct req k[2] = { req(500, 1000, "h100|A100"), req(500, 1000, "L4") };
	double w[2] = { 1, 1 };
	struct place_mix m;
	struct cluster c;

	cluster_init(&c);
	cluster_add_node(&c, "h", 2, "H100-80GB", 81920, 8000, 65536);
	use(&c, 0, 1, 700, 0);
	mix_of(&m, k, w, 2);
	/* Kinds of equal weight sort by shape: "L4" before "h100|A100". */
	assert_string_equal(m.types[0].gpu_model, "L4");
	/* L4 kind: all 1300 free are fragments; H100 kind: only the 300. */
	assert_float_equal(place_frag_type(&c.nodes[0], &m.types[0], &m), 1300,
	    1e-9);
	assert_float_equal(place_frag_type(&c.nodes[0], &m.types[1], &m), 300,
	    1e-9);
	assert_float_equal(place_frag_node(&c.nodes[0], &m), 800, 1e-9);
	place_mix_done(&m);
	cluster_done(&c);
}

/* The node's measure is the weighted sum: 0.5*300 + 0.25*1300 + 0 = 475. */
static void
test_frag_node_delta(void **state)
{
	struct req k[3] = { req(500, 1000, ""), req(2000, 1000, ""),
		req(200, 1000, "") };
	double w[3] = { 2, 1, 1 };
	struct req k2[2] = { req(500, 1000, ""), req(200, 1000, "") };
	double w2[2] = { 1, 1 };
	struct place_mix m;
	struct cluster c;
	struct alloc a;
	struct req r = req(300, 1000, "");

	cluster_init(&c);
	cluster_add_node(&c, "a", 2, "V100", 16384, 8000, 65536);
	use(&c, 0, 1, 700, 0);
	mix_of(&m, k, w, 3);
	assert_float_equal(place_frag_node(&c.nodes[0], &m), 475, 1e-9);
	place_mix_done(&m);

	/* 0.3 on the GPU with 300 free: 0.5*300 + 0 before, 0 after. */
	mix_of(&m, k2, w2, 2);
	memset(&a, 0, sizeof(a));
	a.node = 0;
	a.ngpus = 1;
	a.gpus[0].gpu = 1;
	a.gpus[0].milli = 300;
	assert_float_equal(place_frag_delta(&c.nodes[0], &r, &a, &m), -150,
	    1e-9);
	/* 0.3 on the whole GPU: 700 left, usable by both; 300 stays. */
	a.gpus[0].gpu = 0;
	assert_float_equal(place_frag_delta(&c.nodes[0], &r, &a, &m), 0, 1e-9);
	/* An empty node has no fragmentation. */
	cluster_add_node(&c, "b", 4, "V100", 16384, 8000, 65536);
	assert_float_equal(place_frag_node(&c.nodes[1], &m), 0, 1e-9);
	place_mix_done(&m);
	cluster_done(&c);
}

static void
test_mix(void **state)
{
	struct place_mix m;
	struct req a = req(500, 1000, ""), b = req(1000, 2000, "T4|A10");
	struct req d = req(0, 4000, "");
	int i;

	place_mix_init(&m, 0);
	for (i = 0; i < 6; i++)
		place_mix_add(&m, &a, 1);
	for (i = 0; i < 3; i++)
		place_mix_add(&m, &b, 1);
	place_mix_add(&m, &d, 1);
	assert_int_equal(m.ntypes, 3);
	/* 90% coverage keeps the two most common kinds. */
	place_mix_finish(&m, 0.9);
	assert_int_equal(m.ntypes, 2);
	assert_int_equal(m.types[0].milli, 500);
	assert_float_equal(m.types[0].weight, 6.0 / 9, 1e-12);
	assert_float_equal(m.types[1].weight, 3.0 / 9, 1e-12);
	assert_int_equal(m.nmodels, 2);
	assert_string_equal(m.models[0], "T4");
	assert_string_equal(m.models[1], "A10");
	assert_int_equal(m.types[1].models, 3);
	assert_true(m.types[0].models == ~0ULL);
	place_mix_done(&m);
	/* Host memory tells kinds apart only when asked. */
	place_mix_init(&m, 1);
	a.mem_mb = 1;
	place_mix_add(&m, &a, 1);
	a.mem_mb = 2;
	place_mix_add(&m, &a, 1);
	assert_int_equal(m.ntypes, 2);
	place_mix_done(&m);
}

/* Two nodes of 2 GPUs; node 1's GPU 0 has 700 free. */
static void
two_nodes(struct cluster *c)
{
	cluster_init(c);
	cluster_add_node(c, "x", 2, "V100", 16384, 16000, 65536);
	cluster_add_node(c, "y", 2, "V100", 16384, 16000, 65536);
	use(c, 1, 0, 300, 0);
}

static void
test_bestfit_vs_fgd(void **state)
{
	struct req k[1] = { req(600, 1000, "") };
	double w[1] = { 1 };
	struct req r = req(300, 1000, "");
	struct place_ctx ctx;
	struct place_mix m;
	struct cluster c;
	enum wait_reason why;
	struct alloc a;

	two_nodes(&c);
	/* Best fit fills the GPU with 700 free (400 left). */
	assert_int_equal(place_find(place_strategy_find("bestfit"), &c, &r,
	                     NULL, &a, &why),
	    1);
	assert_int_equal(a.node, 1);
	assert_int_equal(a.gpus[0].gpu, 0);
	assert_int_equal(a.cpus_milli, 1000);
	/*
	 * FGD against a mix of 0.6 shares: 400 left would be useless to
	 * them, 700 on a whole GPU is not; the first such node wins.
	 */
	mix_of(&m, k, w, 1);
	memset(&ctx, 0, sizeof(ctx));
	ctx.mix = &m;
	assert_int_equal(place_find(place_strategy_find("fgd"), &c, &r, &ctx,
	                     &a, &why),
	    1);
	assert_int_equal(a.node, 0);
	assert_int_equal(a.gpus[0].milli, 300);
	/* Without a mix FGD is best fit. */
	assert_int_equal(place_find(place_strategy_find("fgd"), &c, &r, NULL,
	                     &a, &why),
	    1);
	assert_int_equal(a.node, 1);
	place_mix_done(&m);
	cluster_done(&c);
}

/* fgd+: growths within a step tie, and the tighter GPU wins. */
static void
test_fgdplus_tie(void **state)
{
	struct req k[1] = { req(1000, 1000, "") };
	double w[1] = { 1 };
	struct req r = req(100, 1000, "");
	struct place_ctx ctx;
	struct place_mix m;
	struct cluster c;
	enum wait_reason why;
	struct alloc a;

	cluster_init(&c);
	cluster_add_node(&c, "x", 2, "V100", 16384, 16000, 65536);
	cluster_add_node(&c, "y", 2, "V100", 16384, 16000, 65536);
	use(&c, 0, 0, 500, 0); /* x: 500 free on GPU 0 */
	use(&c, 1, 1, 800, 0); /* y: 200 free on GPU 1 */
	mix_of(&m, k, w, 1);
	memset(&ctx, 0, sizeof(ctx));
	ctx.mix = &m;
	/* For whole-GPU kinds both slivers are fragments: -100 either way. */
	assert_int_equal(place_find(place_strategy_find("fgd"), &c, &r, &ctx,
	                     &a, &why),
	    1);
	assert_int_equal(a.node, 0);
	assert_int_equal(place_find(place_strategy_find("fgd+"), &c, &r, &ctx,
	                     &a, &why),
	    1);
	assert_int_equal(a.node, 1);
	assert_int_equal(a.gpus[0].gpu, 1);
	assert_ptr_equal(place_strategy_default(), place_strategy_find("fgd+"));
	place_mix_done(&m);
	cluster_done(&c);
}

static void
test_spread_random(void **state)
{
	struct req r = req(300, 1000, "");
	struct place_ctx ctx;
	struct cluster c;
	enum wait_reason why;
	struct alloc a;
	uint64_t rng;
	int seen[2] = { 0, 0 }, i;

	two_nodes(&c);
	assert_int_equal(place_find(place_strategy_find("spread"), &c, &r, NULL,
	                     &a, &why),
	    1);
	assert_int_equal(a.node, 0);
	/* Random without a generator takes the first; with one, both. */
	assert_int_equal(place_find(place_strategy_find("random"), &c, &r, NULL,
	                     &a, &why),
	    1);
	assert_int_equal(a.node, 0);
	memset(&ctx, 0, sizeof(ctx));
	rng = 7;
	ctx.rng = &rng;
	for (i = 0; i < 64; i++) {
		assert_int_equal(place_find(place_strategy_find("random"), &c,
		                     &r, &ctx, &a, &why),
		    1);
		seen[a.node] = 1;
		assert_true(a.gpus[0].gpu >= 0 && a.gpus[0].gpu < 2);
	}
	assert_true(seen[0] && seen[1]);
	cluster_done(&c);
}

static void
test_constraints(void **state)
{
	struct req r = req(500, 1000, "T4");
	struct cluster c;
	enum wait_reason why;
	struct alloc a;
	size_t i, n;
	const struct place_strategy *ps = place_strategies(&n);

	cluster_init(&c);
	cluster_add_node(&c, "v", 1, "V100", 16384, 16000, 65536);
	cluster_add_node(&c, "t", 1, "T4", 16384, 2000, 65536);
	snprintf(c.nodes[1].pool, sizeof(c.nodes[1].pool), "inference");
	snprintf(c.nodes[0].labels, sizeof(c.nodes[0].labels), "ib,nvlink");
	for (i = 0; i < n; i++) {
		r = req(500, 1000, "T4");
		assert_int_equal(place_find(&ps[i], &c, &r, NULL, &a, &why), 1);
		assert_int_equal(a.node, 1);
		/* Not enough CPUs on the T4 node: the model is what blocks. */
		r.cpus_milli = 4000;
		assert_int_equal(place_find(&ps[i], &c, &r, NULL, &a, &why), 0);
		assert_int_equal(why, WAIT_POOL);
		assert_int_equal(a.node, -1);
		/* A pool: only its nodes. */
		r = req(500, 1000, "");
		snprintf(r.pool, sizeof(r.pool), "inference");
		assert_int_equal(place_find(&ps[i], &c, &r, NULL, &a, &why), 1);
		assert_int_equal(a.node, 1);
		/* Labels: only the node that carries them all. */
		r = req(500, 1000, "");
		snprintf(r.labels, sizeof(r.labels), "nvlink,ib");
		assert_int_equal(place_find(&ps[i], &c, &r, NULL, &a, &why), 1);
		assert_int_equal(a.node, 0);
		snprintf(r.labels, sizeof(r.labels), "nvlink,ib,fast");
		assert_int_equal(place_find(&ps[i], &c, &r, NULL, &a, &why), 0);
		assert_int_equal(why, WAIT_POOL);
	}
	cluster_done(&c);
}

static void
test_why(void **state)
{
	struct req r = req(800, 1000, "");
	struct cluster c;
	enum wait_reason why;
	struct alloc a;

	cluster_init(&c);
	cluster_add_node(&c, "a", 2, "V100", 16384, 16000, 65536);
	use(&c, 0, 0, 500, 0);
	use(&c, 0, 1, 500, 0);
	/* 1000 free in total, 500 on each GPU. */
	assert_int_equal(place_find(NULL, &c, &r, NULL, &a, &why), 0);
	assert_int_equal(why, WAIT_FRAGMENTED);
	r.gpus_milli = 2000;
	assert_int_equal(place_find(NULL, &c, &r, NULL, &a, &why), 0);
	assert_int_equal(why, WAIT_RESOURCES);
	/* Malformed. */
	r.gpus_milli = 1500;
	assert_int_equal(place_find(NULL, &c, &r, NULL, &a, &why), GQ_EINVAL);
	r.gpus_milli = -1;
	assert_int_equal(place_find(NULL, &c, &r, NULL, &a, &why), GQ_EINVAL);
	/* A CPU-only request fits anywhere with the CPUs. */
	r = req(0, 2000, "");
	assert_int_equal(place_find(NULL, &c, &r, NULL, &a, &why), 1);
	assert_int_equal(a.ngpus, 0);
	assert_int_equal(a.cpus_milli, 2000);
	r.cpus_milli = 17000;
	assert_int_equal(place_find(NULL, &c, &r, NULL, &a, &why), 0);
	assert_int_equal(why, WAIT_RESOURCES);
	cluster_done(&c);
}

/* Whole GPUs: aligned blocks inside the busiest larger block. */
static void
test_pick_whole(void **state)
{
	struct req r = req(2000, 1000, "");
	struct cluster c;
	struct alloc a;

	cluster_init(&c);
	cluster_add_node(&c, "a", 8, "A100", 40960, 64000, 262144);
	use(&c, 0, 1, 1000, 0);
	memset(&a, 0, sizeof(a));
	place_pick_whole(&c.nodes[0], 2, &r, &a);
	assert_int_equal(a.ngpus, 2);
	assert_int_equal(a.gpus[0].gpu, 2);
	assert_int_equal(a.gpus[1].gpu, 3);
	memset(&a, 0, sizeof(a));
	place_pick_whole(&c.nodes[0], 4, &r, &a);
	assert_int_equal(a.gpus[0].gpu, 4);
	assert_int_equal(a.gpus[3].gpu, 7);
	memset(&a, 0, sizeof(a));
	place_pick_whole(&c.nodes[0], 1, &r, &a);
	assert_int_equal(a.gpus[0].gpu, 0);
	/* Three GPUs: the first block of 4 that has three free. */
	use(&c, 0, 4, 1000, 0);
	memset(&a, 0, sizeof(a));
	place_pick_whole(&c.nodes[0], 3, &r, &a);
	assert_int_equal(a.ngpus, 3);
	assert_int_equal(a.gpus[0].gpu, 0);
	assert_int_equal(a.gpus[1].gpu, 2);
	assert_int_equal(a.gpus[2].gpu, 3);
	/* A share breaks the whole GPU whose neighbour is busy. */
	r = req(300, 1000, "");
	assert_int_equal(place_share_gpu(&c.nodes[0], &r, 1), 0);
	cluster_done(&c);
}

/* A request drawn from a small set of shapes, as a workload has. */
static struct req
req_drawn(uint64_t *rng)
{
	static const int32_t milli[] = { 100, 250, 300, 500, 800, 1000, 2000,
		4000, 0 };
	struct req r;

	r = req(milli[place_rng_below(rng, 9)],
	    1000 * (int32_t)(1 + place_rng_below(rng, 8)),
	    place_rng_below(rng, 8) == 0 ? "V100" : "");
	if (r.gpus_milli == 0 && place_rng_below(rng, 2) == 0)
		r.gpu_mem_mb = 8192;
	if (place_rng_below(rng, 10) == 0)
		snprintf(r.pool, sizeof(r.pool), "p1");
	return r;
}

/* Allocates what place_find gave on c, and tells the index. */
static void
take_indexed(struct cluster *c, struct place_index *x, const struct alloc *a)
{
	cluster_take(c, a);
	place_index_touch(x, a->node);
}

/*
 * The index and the memos change how fast, never where: every strategy
 * places a long random sequence the same with them as without, on a
 * cluster of mixed nodes.
 */
static void
test_index_same(void **state)
{
	const struct place_strategy *ps;
	struct cluster c1, c2;
	struct place_ctx plain, fast;
	struct place_index x;
	struct place_mix m;
	struct alloc a1, a2;
	enum wait_reason w1, w2;
	uint64_t rng = 7, r1 = 3, r2 = 3;
	size_t nps, s, i, k, placed = 0;
	struct req r;

	ps = place_strategies(&nps);
	for (s = 0; s < nps; s++) {
		cluster_init(&c1);
		cluster_init(&c2);
		for (i = 0; i < 40; i++) {
			cluster_add_node(&c1, "n", i % 3 ? 8 : 4,
			    i % 5 ? "A100" : "V100", i % 5 ? 40960 : 16384,
			    32000 + 1000 * (int32_t)(i % 7), 262144);
			cluster_add_node(&c2, "n", i % 3 ? 8 : 4,
			    i % 5 ? "A100" : "V100", i % 5 ? 40960 : 16384,
			    32000 + 1000 * (int32_t)(i % 7), 262144);
			if (i % 4 == 0) {
				snprintf(c1.nodes[i].pool, MODEL_MAX_POOL,
				    "p1");
				snprintf(c2.nodes[i].pool, MODEL_MAX_POOL,
				    "p1");
			}
		}
		place_mix_init(&m, 0);
		for (k = 0; k < 200; k++) {
			r = req_drawn(&rng);
			place_mix_add(&m, &r, 1);
		}
		place_mix_finish(&m, 0.95);
		memset(&plain, 0, sizeof(plain));
		plain.mix = &m;
		plain.rng = &r1;
		fast = plain;
		fast.rng = &r2;
		place_index_init(&x, &c2);
		fast.index = &x;
		fast.memo = place_memo_new();
		for (k = 0; k < 600; k++) {
			r = req_drawn(&rng);
			assert_int_equal(place_find(&ps[s], &c1, &r, &plain,
			                     &a1, &w1),
			    place_find(&ps[s], &c2, &r, &fast, &a2, &w2));
			assert_int_equal(w1, w2);
			assert_memory_equal(&a1, &a2, sizeof(a1));
			if (a1.node >= 0) {
				cluster_take(&c1, &a1);
				take_indexed(&c2, &x, &a2);
				placed++;
			}
		}
		place_memo_free(fast.memo);
		place_index_done(&x);
		place_mix_done(&m);
		cluster_done(&c1);
		cluster_done(&c2);
	}
	assert_true(placed > 500);
}

static void
test_rng(void **state)
{
	uint64_t a = 42, b = 42, c = 43, x;
	int i, same = 1;

	for (i = 0; i < 100; i++) {
		x = place_rng_next(&a);
		assert_true(x == place_rng_next(&b));
		same &= x == place_rng_next(&c);
	}
	assert_false(same);
	for (i = 0; i < 1000; i++)
		assert_true(place_rng_below(&a, 7) < 7);
	assert_int_equal(place_rng_below(&a, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_ok),
		cmocka_unit_test(test_frag_type),
		cmocka_unit_test(test_frag_family),
		cmocka_unit_test(test_frag_node_delta),
		cmocka_unit_test(test_mix),
		cmocka_unit_test(test_bestfit_vs_fgd),
		cmocka_unit_test(test_fgdplus_tie),
		cmocka_unit_test(test_spread_random),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_pick_whole),
		cmocka_unit_test(test_index_same),
		cmocka_unit_test(test_rng),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
