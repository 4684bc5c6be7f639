/*
 * The simulator (core/sim/): trace readers on small fixtures written to a
 * temporary folder (never the real traces), the FGD experiment and the
 * replay on clusters small enough to check by hand, determinism, and the
 * statistics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/sim/sim.h"

static char dir[64];

static int
setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/gpuq-test-sim-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to dir/name; returns the path (static buffer). */
static const char *
fixture(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_openb(void **state)
{
	struct sim_tasks t;
	struct cluster c;
	char *cause = NULL;

	cluster_init(&c);
	assert_int_equal(sim_trace_openb_nodes(fixture("n.csv",
	                                           "sn,cpu_milli,memory_mib,"
	                                           "gpu,model\n"
	                                           "n0,64000,262144,2,P100\r\n"
	                                           "n1,96000,786432,8,G2\n"
	                                           "\n"),
	                     &c, &cause),
	    0);
	assert_int_equal(c.nnodes, 2);
	assert_string_equal(c.nodes[1].name, "n1");
	assert_int_equal(c.nodes[1].ngpus, 8);
	assert_string_equal(c.nodes[0].gpus[1].model, "P100");
	assert_int_equal(c.nodes[0].gpus[0].mem_mb, 16384);
	assert_int_equal(c.nodes[1].cpus_milli, 96000);
	assert_int_equal(c.nodes[1].mem_mb, 786432);
	cluster_done(&c);

	sim_tasks_init(&t);
	assert_int_equal(sim_trace_openb_tasks(
	                     fixture("p.csv",
	                         "name,cpu_milli,memory_mib,num_gpu,gpu_milli,"
	                         "gpu_spec,qos,pod_phase,creation_time\n"
	                         "p0,12000,16384,1,1000,,LS,Running,0\n"
	                         "p1,6000,0,1,460,V100M16|V100M32,BE,Failed,5\n"
	                         "p2,4000,8192,0,0,,LS,Running,9\n"
	                         "p3,32000,65536,8,1000,,LS,Running,12\n"),
	                     &t, &cause),
	    0);
	assert_int_equal(t.n, 4);
	assert_int_equal(t.v[0].req.gpus_milli, 1000);
	assert_int_equal(t.v[1].req.gpus_milli, 460);
	assert_string_equal(t.v[1].req.gpu_model, "V100M16|V100M32");
	assert_int_equal(t.v[1].req.mem_mb, 1); /* 0 kept apart from defaults */
	assert_int_equal(t.v[1].created, 5);
	assert_int_equal(t.v[2].req.gpus_milli, 0);
	assert_int_equal(t.v[3].req.gpus_milli, 8000);
	assert_int_equal(t.v[3].req.cpus_milli, 32000);
	/* A file without the optional columns (the multigpu resamples). */
	assert_int_equal(sim_trace_openb_tasks(fixture("m.csv",
	                                           "name,cpu_milli,memory_mib,"
	                                           "num_gpu,gpu_milli\n"
	                                           "m0,1000,1024,2,1000\n"),
	                     &t, &cause),
	    0);
	assert_int_equal(t.n, 5);
	assert_int_equal(t.v[4].req.gpus_milli, 2000);
	sim_tasks_done(&t);
}

static void
test_bad_input(void **state)
{
	struct sim_tasks t;
	struct cluster c;
	char *cause = NULL, *big;

	cluster_init(&c);
	sim_tasks_init(&t);
	assert_int_equal(sim_trace_openb_tasks(fixture("b.csv",
	                                           "name,cpu_milli,memory_mib,"
	                                           "num_gpu,gpu_milli\n"
	                                           "p0,1000,1024,1,500\n"
	                                           "p1,lots,1024,1,500\n"),
	                     &t, &cause),
	    GQ_EINVAL);
	assert_non_null(strstr(cause, "b.csv:3"));
	assert_non_null(strstr(cause, "cpu_milli"));
	free(cause);
	cause = NULL;
	assert_int_equal(sim_trace_openb_nodes(fixture("c.csv",
	                                           "sn,cpu_milli,gpu,model\nn0,"
	                                           "1,1,T4\n"),
	                     &c, &cause),
	    GQ_EINVAL);
	assert_non_null(strstr(cause, "memory_mib"));
	free(cause);
	cause = NULL;
	assert_int_equal(sim_trace_openb_nodes(fixture("g.csv",
	                                           "sn,cpu_milli,memory_mib,"
	                                           "gpu,model\n"
	                                           "n0,1000,1024,65,T4\n"),
	                     &c, &cause),
	    GQ_EINVAL);
	free(cause);
	cause = NULL;
	/* A line past SIM_MAX_LINE. */
	big = calloc(1, SIM_MAX_LINE + 64);
	memset(big, 'x', SIM_MAX_LINE + 40);
	memcpy(big, "sn,cpu_milli,memory_mib,gpu,model\n", 34);
	assert_int_equal(sim_trace_openb_nodes(fixture("l.csv", big), &c,
	                     &cause),
	    GQ_ETOOBIG);
	free(big);
	free(cause);
	cause = NULL;
	assert_int_equal(sim_trace_openb_nodes("/nonexistent/x.csv", &c,
	                     &cause),
	    GQ_ENOENT);
	free(cause);
	assert_int_equal(c.nnodes, 0);
	sim_tasks_done(&t);
}

static void
test_jobs(void **state)
{
	struct sim_jobs j;
	char *cause = NULL;

	sim_jobs_init(&j);
	assert_int_equal(sim_trace_pai_jobs(fixture("pai.csv",
	                                        "job_id,arrival_s,service_sec,"
	                                        "gpu_count\n"
	                                        "b,24488.0,172800.0,2\n"
	                                        "a,16670.0,167731.0,8\n"
	                                        "c,16670.0,0.4,1\n"),
	                     &j, &cause),
	    0);
	assert_int_equal(
	    sim_trace_philly_jobs(
	        fixture("ph.csv",
	            "job_id,arrival_time,duration,gpu_count,gpu_type,"
	            "preemptible,workload_kind,priority,"
	            "source_trace\n"
	            "ph-1,1507147646.0,3724.0,1,any,False,training,0,"
	            "philly\n"
	            "ph-2,1506231695.0,176.0,4,any,True,inference,0,"
	            "philly\n"),
	        &j, &cause),
	    0);
	assert_int_equal(j.n, 5);
	assert_int_equal(j.v[0].duration, 172800);
	assert_int_equal(j.v[2].duration, 1); /* at least a second */
	assert_false(j.v[3].preemptible);
	assert_true(j.v[4].preemptible);
	sim_jobs_done(&j);

	sim_jobs_init(&j);
	assert_int_equal(
	    sim_trace_philly_jobs(fixture("ph2.csv",
	                              "job_id,arrival_time,duration,gpu_count\n"
	                              "z,1000,10,1\ny,400,10,2\nx,1000,10,1\n"),
	        &j, &cause),
	    0);
	sim_jobs_normalize(&j);
	assert_string_equal(j.v[0].name, "y");
	assert_int_equal(j.v[0].arrival, 0);
	assert_string_equal(j.v[1].name, "x");
	assert_int_equal(j.v[1].arrival, 600);
	assert_string_equal(j.v[2].name, "z");
	assert_int_equal(sim_trace_pai_jobs(fixture("pz.csv",
	                                        "job_id,arrival_s,service_sec,"
	                                        "gpu_count\n"
	                                        "q,1,1,0\n"),
	                     &j, &cause),
	    GQ_EINVAL);
	free(cause);
	sim_jobs_done(&j);
}

/* Writes a .tar.gz holding one member, as tar(1) would. */
static void
write_targz(const char *path, const char *member, const char *data)
{
	unsigned char h[512], pad[1536];
	size_t n = strlen(data);
	gzFile z = gzopen(path, "wb");

	assert_non_null(z);
	memset(h, 0, sizeof(h));
	memset(pad, 0, sizeof(pad));
	snprintf((char *)h, 100, "%s", member);
	snprintf((char *)h + 100, 8, "0000644");
	snprintf((char *)h + 124, 12, "%011o", (unsigned)n);
	h[156] = '0';
	memcpy(h + 257, "ustar", 5);
	gzwrite(z, h, sizeof(h));
	gzwrite(z, data, (unsigned)n);
	gzwrite(z, pad, (unsigned)(512 - n % 512) + 1024);
	gzclose(z);
}

static void
test_pai_machines(void **state)
{
	const char *csv = "m0,CPU,96,512,0\nm1,V100M32,96,384,8\n"
	                  "m2,T4,96,512,2\n";
	char path[128];
	struct cluster c;
	char *cause = NULL;

	cluster_init(&c);
	snprintf(path, sizeof(path), "%s/spec.tar.gz", dir);
	write_targz(path, "pai_machine_spec.csv", csv);
	assert_int_equal(sim_trace_pai_machines(path, &c, &cause), 0);
	assert_int_equal(c.nnodes, 3);
	assert_int_equal(c.nodes[0].ngpus, 0);
	assert_int_equal(c.nodes[1].ngpus, 8);
	assert_int_equal(c.nodes[1].cpus_milli, 96000);
	assert_int_equal(c.nodes[1].mem_mb, 384 * 1024);
	assert_int_equal(c.nodes[1].gpus[7].mem_mb, 32768);
	/* The same rows as a plain file, with a header line. */
	assert_int_equal(sim_trace_pai_machines(fixture("spec.csv",
	                                            "machine,gpu_type,cap_cpu,"
	                                            "cap_mem,cap_gpu\n"
	                                            "m3,P100,64,512,2\n"),
	                     &c, &cause),
	    0);
	assert_int_equal(c.nnodes, 4);
	assert_string_equal(c.nodes[3].gpus[0].model, "P100");
	snprintf(path, sizeof(path), "%s/other.tar.gz", dir);
	write_targz(path, "other.csv", csv);
	assert_int_equal(sim_trace_pai_machines(path, &c, &cause), GQ_ENOENT);
	free(cause);
	cluster_done(&c);
}

static void
test_nodes_spec(void **state)
{
	struct cluster c;

	cluster_init(&c);
	assert_int_equal(sim_trace_nodes_spec("3x8:V100", &c), 0);
	assert_int_equal(c.nnodes, 3);
	assert_int_equal(c.nodes[2].ngpus, 8);
	assert_string_equal(c.nodes[2].gpus[0].model, "V100");
	assert_int_equal(sim_trace_nodes_spec("2x4", &c), 0);
	assert_int_equal(c.nnodes, 5);
	assert_int_equal(sim_trace_nodes_spec("x4", &c), GQ_EINVAL);
	assert_int_equal(sim_trace_nodes_spec("2x0", &c), GQ_EINVAL);
	assert_int_equal(sim_trace_nodes_spec("2x4:", &c), GQ_EINVAL);
	assert_int_equal(sim_trace_nodes_spec("2x99", &c), GQ_EINVAL);
	assert_int_equal(c.nnodes, 5);
	cluster_done(&c);
}

static void
add_task(struct sim_tasks *t, int32_t milli)
{
	t->v = realloc(t->v, (t->n + 1) * sizeof(*t->v));
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	t->v[t->n].req.gpus_milli = milli;
	t->v[t->n].req.cpus_milli = 1000;
	t->v[t->n].req.mem_mb = 1024;
	t->n++;
}

/*
 * Two one-GPU nodes, tasks 1, 0.5, 0.5 in trace order with demand capped
 * at 100%: allocated 50% at 50% demand, 75% at 75%, 100% at 100%.
 */
static void
test_fgd_by_hand(void **state)
{
	struct sim_fgd_cfg cfg;
	struct sim_fgd_curve cv;
	struct sim_tasks t;
	struct cluster c;

	cluster_init(&c);
	cluster_add_node(&c, "a", 1, "T4", 16384, 8000, 65536);
	cluster_add_node(&c, "b", 1, "T4", 16384, 8000, 65536);
	sim_tasks_init(&t);
	add_task(&t, 1000);
	add_task(&t, 500);
	add_task(&t, 500);
	memset(&cfg, 0, sizeof(cfg));
	cfg.strategy = place_strategy_find("bestfit");
	cfg.seed = 42;
	cfg.tune = 1.0;
	sim_fgd_run(&c, &t, &cfg, &cv);
	assert_int_equal(cv.ntasks, 3);
	assert_int_equal(cv.nplaced, 3);
	assert_float_equal(sim_fgd_at(&cv, 50), 50, 1e-9);
	assert_float_equal(sim_fgd_at(&cv, 75), 75, 1e-9);
	assert_float_equal(sim_fgd_at(&cv, 100), 100, 1e-9);
	assert_float_equal(sim_fgd_at(&cv, 76), 75, 1e-9); /* a neighbour */
	assert_true(sim_fgd_at(&cv, 30) != sim_fgd_at(&cv, 30)); /* NAN */
	assert_float_equal(cv.final_pct, 100, 1e-9);
	/* Demand past capacity: the list is cut at random to 50%. */
	cfg.tune = 0.5;
	sim_fgd_run(&c, &t, &cfg, &cv);
	assert_true(cv.demand_pct <= 50 + 1e-9);
	cluster_done(&c);
	sim_tasks_done(&t);
}

/* A synthetic cluster and workload for the determinism checks. */
static void
synthetic(struct cluster *c, struct sim_tasks *t)
{
	static const int32_t sizes[] = { 250, 500, 810, 1000, 2000, 0, 460 };
	char name[16];
	int i;

	cluster_init(c);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		cluster_add_node(c, name, i % 2 ? 8 : 2, i % 3 ? "T4" : "V100",
		    16384, 32000, 131072);
	}
	sim_tasks_init(t);
	for (i = 0; i < 120; i++)
		add_task(t, sizes[i % 7]);
}

static void
test_fgd_determinism(void **state)
{
	struct sim_fgd_curve a, b, d;
	struct sim_fgd_cfg cfg;
	struct place_mix mix;
	struct sim_tasks t;
	struct cluster c;
	const char *names[] = { "fgd+", "fgd", "fgd-k8s", "bestfit", "random" };
	int i, differ = 0;

	synthetic(&c, &t);
	sim_fgd_mix(&t, 0.95, 0, &mix);
	for (i = 0; i < 5; i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.strategy = place_strategy_find(names[i]);
		cfg.mix = &mix;
		cfg.seed = 42;
		cfg.shuffle = 1;
		cfg.tune = 1.3;
		sim_fgd_run(&c, &t, &cfg, &a);
		sim_fgd_run(&c, &t, &cfg, &b);
		assert_memory_equal(a.alloc, b.alloc, sizeof(a.alloc));
		assert_int_equal(a.nplaced, b.nplaced);
		assert_true(a.demand_pct > 120 && a.demand_pct <= 130);
		assert_true(a.final_pct > 50 && a.final_pct <= 100);
		cfg.seed = 43;
		sim_fgd_run(&c, &t, &cfg, &d);
		differ |= memcmp(a.alloc, d.alloc, sizeof(a.alloc)) != 0;
	}
	assert_true(differ);
	place_mix_done(&mix);
	cluster_done(&c);
	sim_tasks_done(&t);
}

static void
test_fgd_order(void **state)
{
	struct sim_fgd_cfg cfg;
	struct sim_tasks t;
	struct cluster c;
	size_t *o1, *o2, n1, n2, i;
	uint64_t r1 = 5, r2 = 5;
	int64_t sum = 0;

	synthetic(&c, &t);
	memset(&cfg, 0, sizeof(cfg));
	cfg.tune = 1.3;
	o1 = sim_fgd_order(&t, 100000, &cfg, &r1, &n1);
	o2 = sim_fgd_order(&t, 100000, &cfg, &r2, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(o1, o2, n1 * sizeof(*o1));
	/* Trace order first, then draws, up to 130% of 100 GPUs. */
	for (i = 0; i < t.n && i < n1; i++)
		assert_int_equal(o1[i], i);
	for (i = 0; i < n1; i++)
		sum += t.v[o1[i]].req.gpus_milli;
	assert_true(n1 > t.n);
	assert_true(sum <= 130000 && sum > 128000);
	free(o1);
	free(o2);
	/* Cut: demand above the target loses tasks drawn at random. */
	o1 = sim_fgd_order(&t, 1000, &cfg, &r1, &n1);
	sum = 0;
	for (i = 0; i < n1; i++)
		sum += t.v[o1[i]].req.gpus_milli;
	assert_true(sum <= 1300);
	assert_true(n1 < t.n);
	free(o1);
	cluster_done(&c);
	sim_tasks_done(&t);
}

static void
add_job(struct sim_jobs *j, const char *name, int64_t at, int64_t dur,
    int32_t gpus)
{
	j->v = realloc(j->v, (j->n + 1) * sizeof(*j->v));
	memset(&j->v[j->n], 0, sizeof(j->v[j->n]));
	snprintf(j->v[j->n].name, sizeof(j->v[j->n].name), "%s", name);
	j->v[j->n].arrival = at;
	j->v[j->n].duration = dur;
	j->v[j->n].gpus = gpus;
	j->n++;
}

/*
 * One node of 2 GPUs.  j1 (2 GPUs, 100 s) at 0; j2 (1 GPU, 50 s) at 10
 * waits until 100.  Waits 0 and 90, completion times 100 and 140; GPUs
 * allocated 2 for 100 s then 1 for 50 s: 250/300 of the time-capacity.
 */
static void
test_replay_by_hand(void **state)
{
	struct sim_replay_result r;
	struct sim_replay_cfg cfg;
	struct sim_jobs j;
	struct cluster c;

	cluster_init(&c);
	cluster_add_node(&c, "a", 2, "V100", 16384, 16000, 65536);
	sim_jobs_init(&j);
	add_job(&j, "j1", 0, 100, 2);
	add_job(&j, "j2", 10, 50, 1);
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = sched_policy_find("fifo");
	cfg.seed = 1;
	cfg.nprojects = 0;
	cfg.sample_s = 50;
	assert_int_equal(sim_replay_run(&c, &j, &cfg, &r), 0);
	assert_int_equal(r.njobs, 2);
	assert_float_equal(r.wait.mean, 45, 1e-9);
	assert_float_equal(r.wait.max, 90, 1e-9);
	assert_float_equal(r.jct.mean, 120, 1e-9);
	assert_float_equal(r.jct.p99, 140, 1e-9);
	assert_int_equal(r.span_s, 150);
	assert_float_equal(r.alloc_mean, 100.0 * 250 / 300, 1e-9);
	assert_float_equal(r.alloc_peak, 100, 1e-9);
	/* At 0, 50, 100, 150: what was held just before that instant. */
	assert_int_equal(r.nseries, 4);
	assert_float_equal(r.alloc_series[0], 0, 1e-9);
	assert_float_equal(r.alloc_series[1], 100, 1e-9);
	assert_float_equal(r.alloc_series[2], 100, 1e-9);
	assert_float_equal(r.alloc_series[3], 50, 1e-9);
	assert_float_equal(r.jain, 1, 1e-9);
	assert_int_equal(r.npreemptions, 0);
	sim_replay_result_done(&r);
	/* Unsorted jobs are refused; so is a job no node holds. */
	add_job(&j, "j3", 5, 10, 1);
	assert_int_equal(sim_replay_run(&c, &j, &cfg, &r), GQ_EINVAL);
	j.n = 2;
	add_job(&j, "j3", 20, 10, 3);
	assert_int_equal(sim_replay_run(&c, &j, &cfg, &r), 0);
	assert_int_equal(r.nrejected, 1);
	sim_replay_result_done(&r);
	sim_jobs_done(&j);
	cluster_done(&c);
}

/* Same seed, same result, with the default policy and projects. */
static void
test_replay_determinism(void **state)
{
	struct sim_replay_result a, b;
	struct sim_replay_cfg cfg;
	struct sim_jobs j;
	struct cluster c;
	char name[16];
	int i;

	cluster_init(&c);
	sim_trace_nodes_spec("2x4:V100", &c);
	sim_jobs_init(&j);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "job%d", i);
		add_job(&j, name, i * 7, 30 + (i * 37) % 400, 1 + i % 4);
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = sched_policy_default();
	cfg.seed = 9;
	cfg.nprojects = 4;
	cfg.users = 2;
	cfg.time_scale = 1;
	assert_int_equal(sim_replay_run(&c, &j, &cfg, &a), 0);
	assert_int_equal(sim_replay_run(&c, &j, &cfg, &b), 0);
	assert_int_equal(a.njobs, 200);
	assert_int_equal(a.njobs, b.njobs);
	assert_int_equal(a.nplans, b.nplans);
	assert_int_equal(a.npreemptions, b.npreemptions);
	assert_float_equal(a.jct.mean, b.jct.mean, 0);
	assert_float_equal(a.wait.p99, b.wait.p99, 0);
	assert_float_equal(a.jain, b.jain, 0);
	assert_true(a.jain > 0 && a.jain <= 1);
	assert_true(a.alloc_mean > 0 && a.alloc_mean <= 100);
	sim_replay_result_done(&a);
	sim_replay_result_done(&b);
	sim_jobs_done(&j);
	cluster_done(&c);
}

/* A job of 10 GPUs on 8-GPU nodes runs as a gang of 2 x 5. */
static void
test_replay_gang(void **state)
{
	struct sim_replay_result r;
	struct sim_replay_cfg cfg;
	struct sim_jobs j;
	struct cluster c;

	cluster_init(&c);
	sim_trace_nodes_spec("2x8:A100", &c);
	sim_jobs_init(&j);
	add_job(&j, "big", 0, 100, 10);
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy = sched_policy_default();
	cfg.nprojects = 1;
	assert_int_equal(sim_replay_run(&c, &j, &cfg, &r), 0);
	assert_int_equal(r.njobs, 1);
	assert_float_equal(r.alloc_peak, 100.0 * 10 / 16, 1e-9);
	sim_replay_result_done(&r);
	sim_jobs_done(&j);
	cluster_done(&c);
}

static void
test_owner(void **state)
{
	int32_t p, u, p2, u2, count[8] = { 0 };
	char name[32];
	int i;

	for (i = 0; i < 8000; i++) {
		snprintf(name, sizeof(name), "job-%d", i);
		sim_replay_owner(42, name, 8, 4, &p, &u);
		sim_replay_owner(42, name, 8, 4, &p2, &u2);
		assert_int_equal(p, p2);
		assert_int_equal(u, u2);
		assert_true(p >= 0 && p < 8 && u >= 0 && u < 4);
		count[p]++;
	}
	/* Zipf: weight 1 against 1/8, about eight times as many jobs. */
	assert_true(count[0] > 5 * count[7]);
	assert_true(count[7] > 0);
	sim_replay_owner(43, "job-1", 8, 4, &p, &u);
	sim_replay_owner(42, "job-1", 1, 1, &p, &u);
	assert_int_equal(p, 0);
	assert_int_equal(u, 0);
}

static void
test_stats(void **state)
{
	double v[] = { 5, 1, 4, 2, 3 }, x1[] = { 1, 1, 1 }, x2[] = { 1, 0, 0 };
	double many[200];
	struct sim_dist d;
	int i;

	sim_stats_dist(v, 5, &d);
	assert_float_equal(d.mean, 3, 1e-12);
	assert_float_equal(d.p50, 3, 1e-12);
	assert_float_equal(d.p99, 5, 1e-12);
	assert_float_equal(d.max, 5, 1e-12);
	for (i = 0; i < 200; i++)
		many[i] = 200 - i;
	sim_stats_dist(many, 200, &d);
	assert_float_equal(d.p50, 100, 1e-12);
	assert_float_equal(d.p99, 198, 1e-12);
	sim_stats_dist(v, 0, &d);
	assert_float_equal(d.mean, 0, 1e-12);
	assert_float_equal(sim_stats_jain(x1, 3), 1, 1e-12);
	assert_float_equal(sim_stats_jain(x2, 3), 1.0 / 3, 1e-12);
	assert_float_equal(sim_stats_jain(x2, 0), 1, 1e-12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openb),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_jobs),
		cmocka_unit_test(test_pai_machines),
		cmocka_unit_test(test_nodes_spec),
		cmocka_unit_test(test_fgd_by_hand),
		cmocka_unit_test(test_fgd_determinism),
		cmocka_unit_test(test_fgd_order),
		cmocka_unit_test(test_replay_by_hand),
		cmocka_unit_test(test_replay_determinism),
		cmocka_unit_test(test_replay_gang),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_stats),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
