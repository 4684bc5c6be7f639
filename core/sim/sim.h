/*
 * gpuq's simulator: replays GPU-cluster traces through the same core the
 * daemon uses (core/place*, core/sched*), with virtual time.
 *
 * Two experiments (docs/simulator.md):
 *   fgd     the FGD paper's fractional packing on the Alibaba "openb" trace:
 *           tasks arrive and never leave until 130% of the GPUs are asked
 *           for; the allocated share at each percent of demand.
 *   replay  a job trace (Alibaba PAI 2020, Microsoft Philly) with arrival
 *           and service times, through a scheduling policy: allocated
 *           share over time, completion time, queueing delay, fairness.
 *
 * The readers (sim-trace*.c) and the command (sim-main.c) do file I/O; the
 * experiments themselves (sim-fgd.c, sim-replay.c, sim-stats.c) are pure
 * functions over explicit state.
 */
#ifndef GPUQ_SIM_H
#define GPUQ_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/place.h"
#include "core/sched.h"

#define SIM_MAX_NAME   80                /* task or job name, bytes */
#define SIM_MAX_LINE   4096              /* one CSV line, bytes */
#define SIM_MAX_FIELDS 256               /* columns of one CSV line */
#define SIM_MAX_ROWS   (8 * 1024 * 1024) /* rows of one trace file */

/* `gpuqd simulate ...`: returns the process exit status. */
int sim_main(int argc, char **argv);

/*
 * Traces.
 */
/* One task of the openb trace: a request that arrives and never leaves. */
struct sim_task {
	char name[SIM_MAX_NAME];
	struct req req;  /* gpus_milli, cpus_milli, mem_mb, gpu_model */
	int64_t created; /* creation_time, seconds; 0 when absent */
};

struct sim_tasks {
	struct sim_task *v; /* owned */
	size_t n, cap;
};

/* One job of a replayed trace. */
struct sim_job {
	char name[SIM_MAX_NAME];
	int64_t arrival;  /* seconds from the trace's first arrival */
	int64_t duration; /* service time, seconds, at least 1 */
	int32_t gpus;     /* whole GPUs, at least 1 */
	int preemptible;
};

struct sim_jobs {
	struct sim_job *v; /* owned */
	size_t n, cap;
};

void sim_tasks_init(struct sim_tasks *t);
void sim_tasks_done(struct sim_tasks *t);
void sim_jobs_init(struct sim_jobs *j);
void sim_jobs_done(struct sim_jobs *j);

/*
 * Readers: each returns 0 or a GQ_E* code with a human reason in *cause
 * (new; the caller frees it).  They append to what is there.
 */
/* openb_node_list_*.csv: sn,cpu_milli,memory_mib,gpu,model. */
int sim_trace_openb_nodes(const char *path, struct cluster *c, char **cause);
/* openb_pod_list_*.csv: name,cpu_milli,memory_mib,num_gpu,gpu_milli,... */
int sim_trace_openb_tasks(const char *path, struct sim_tasks *t, char **cause);
/*
 * pai_machine_spec.csv, headerless machine,gpu_type,cap_cpu,cap_mem,
 * cap_gpu, or the pai_machine_spec.tar.gz that holds it.
 */
int sim_trace_pai_machines(const char *path, struct cluster *c, char **cause);
/* pai_gpu_jobs_*.csv: job_id,arrival_s,service_sec,gpu_count. */
int sim_trace_pai_jobs(const char *path, struct sim_jobs *j, char **cause);
/* philly_sample*.csv: job_id,arrival_time,duration,gpu_count,... */
int sim_trace_philly_jobs(const char *path, struct sim_jobs *j, char **cause);
/* Sorts jobs by arrival (then name) and shifts arrivals to start at 0. */
void sim_jobs_normalize(struct sim_jobs *j);
/* GPU memory of a model name the traces use (MiB); 16 GiB when unknown. */
int64_t sim_trace_gpu_mem(const char *model);
/*
 * Adds nodes from a spec "COUNTxGPUS[:MODEL]" ("3x8:V100"), each with
 * 8 CPUs and 64 GiB per GPU.  GQ_EINVAL when malformed.
 */
int sim_trace_nodes_spec(const char *spec, struct cluster *c);

/*
 * The FGD experiment (sim-fgd.c): pure.
 */
#define SIM_FGD_NPCT 131 /* buckets 0..130% of GPU capacity asked */

struct sim_fgd_cfg {
	const struct place_strategy *strategy;
	const struct place_mix *mix; /* borrowed; NULL: none */
	uint64_t seed;
	/*
	 * 1: the tasks are shuffled with the seed before they arrive (what
	 * the published runs did); 0: they arrive in trace (file) order.
	 */
	int shuffle;
	double tune; /* demand to reach, 1.3 = 130% */
};

struct sim_fgd_curve {
	/* Mean allocated % of all GPUs while demand was in each 1% bucket. */
	double alloc[SIM_FGD_NPCT];
	int have[SIM_FGD_NPCT];
	size_t ntasks; /* tasks that arrived */
	size_t nplaced;
	double demand_pct; /* GPUs asked at the end, % of capacity */
	double final_pct;  /* GPUs allocated at the end, % */
};

/*
 * Runs one seed: the cluster c (untouched; nodes in the order the seed
 * shuffles them into) receives tasks drawn from t as the experiment says.
 */
void sim_fgd_run(const struct cluster *c, const struct sim_tasks *t,
    const struct sim_fgd_cfg *cfg, struct sim_fgd_curve *out);
/* The allocated % at demand pct, from the nearest buckets when empty. */
double sim_fgd_at(const struct sim_fgd_curve *cv, int pct);
/* The mix FGD measures against: the kinds of t covering coverage. */
void sim_fgd_mix(const struct sim_tasks *t, double coverage, int with_mem,
    struct place_mix *m);
/*
 * The order tasks arrive in for one seed: n indices into t (new array,
 * the caller frees it): t shuffled (or not), then tasks drawn with
 * replacement until their GPUs reach tune x capacity, or the shuffled
 * list cut where it passes it.
 */
size_t *sim_fgd_order(const struct sim_tasks *t, int64_t capacity_milli,
    const struct sim_fgd_cfg *cfg, uint64_t *rng, size_t *n);
/* Shuffles nodes of c in place with the generator (Fisher-Yates). */
void sim_fgd_shuffle_nodes(struct cluster *c, uint64_t *rng);

/*
 * Published results (sim-published.c): mean over seeds of the FGD paper's
 * runs in analysis_allo_discrete.csv, for one workload and policy name
 * ("06-FGD") at demand pct.  0 when found, GQ_ENOENT when not.
 */
int sim_published_alloc(const char *csv, const char *workload,
    const char *policy, int pct, double *mean, int *nseeds);

/*
 * The replay experiment (sim-replay.c): pure.
 */
struct sim_replay_cfg {
	const struct sched_policy *policy;
	uint64_t seed;     /* draws projects and users */
	int32_t nprojects; /* projects jobs are spread over (Zipf) */
	int32_t users;     /* users per project */
	double time_scale; /* arrivals are multiplied by it */
	int64_t sample_s;  /* allocated share sampled this often */
};

/* Mean and percentiles of one measure over jobs, seconds. */
struct sim_dist {
	double mean, p50, p99, max;
};

struct sim_replay_result {
	size_t njobs;        /* trace jobs that ran to completion */
	size_t ninstances;   /* scheduler jobs (big jobs are split) */
	size_t nrejected;    /* jobs no node could ever hold */
	size_t nplans;       /* policy calls */
	size_t npreemptions; /* instances swapped out by the policy */
	size_t nother;       /* decisions the simulator does not model */
	int64_t span_s;      /* first arrival to last completion */
	int64_t total_gpus;
	double alloc_mean; /* time-weighted allocated share, % */
	double alloc_peak;
	double *alloc_series; /* owned: % at every sample_s */
	size_t nseries;
	struct sim_dist jct;  /* completion time: end - arrival */
	struct sim_dist wait; /* queueing delay: start - arrival */
	double jain;          /* fairness across projects, 0..1 */
	int32_t nprojects;
	double *project_service; /* owned: per project, see jain */
};

void sim_replay_result_done(struct sim_replay_result *r);
/*
 * Replays jobs (sorted by arrival) on c (untouched) with cfg's policy.
 * Returns 0, or the policy's error.
 */
int sim_replay_run(const struct cluster *c, const struct sim_jobs *jobs,
    const struct sim_replay_cfg *cfg, struct sim_replay_result *out);
/*
 * The seeded rule for traces without users: job name -> project index in
 * 0..nprojects-1 (Zipf: project i is drawn with weight 1/(i+1)) and user
 * index in 0..users-1.  Depends only on the seed and the name.
 */
void sim_replay_owner(uint64_t seed, const char *name, int32_t nprojects,
    int32_t users, int32_t *project, int32_t *user);

/*
 * Statistics (sim-stats.c): pure.
 */
/* Mean, p50, p99 (nearest rank) and max of v (sorted in place). */
void sim_stats_dist(double *v, size_t n, struct sim_dist *out);
/* Jain's index (sum x)^2 / (n sum x^2); 1 when n is 0 or all are 0. */
double sim_stats_jain(const double *x, size_t n);

#endif
