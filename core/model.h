/*
 * The pure model: what jobs ask for, what the cluster has, what a job was
 * given.  No I/O; time comes in as arguments (seconds since the epoch).
 */
#ifndef GPUQ_MODEL_H
#define GPUQ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define MODEL_MAX_NAME       128 /* job name, bytes */
#define MODEL_MAX_USER       64
#define MODEL_MAX_PROJECT    64
#define MODEL_MAX_GPU_MODEL  64
#define MODEL_MAX_POOL       32   /* node pool name, bytes */
#define MODEL_MAX_NODE_GPUS  64   /* GPUs on one node */
#define MODEL_MAX_JOB_GPUS   64   /* GPUs one job may hold */
#define MODEL_GPU_MILLI      1000 /* one whole GPU */
#define MODEL_MAX_LABELS     256  /* "a,b,c": a node's labels, bytes */
#define MODEL_MAX_GANG_NODES 64   /* nodes one gang job may span */

enum job_state {
	JOB_PENDING,
	JOB_RUNNING,
	JOB_COMPLETED, /* exited with status 0 */
	JOB_FAILED,    /* non-zero exit, signal, or could not start */
	JOB_CANCELLED,
	JOB_TIMEOUT, /* ran past its time limit */
	/*
	 * Swapped out and kept (issue 6): stopped in place, or its GPU
	 * memory moved to the host.  Not final.  Appended: states are
	 * stored as numbers.
	 */
	JOB_SUSPENDED,
	JOB_NSTATES
};

enum job_class {
	JOB_CLASS_INTERACTIVE,
	JOB_CLASS_TRAIN,
	JOB_CLASS_INFERENCE,
	JOB_NCLASSES
};

const char *model_state_name(enum job_state s);
int model_state_parse(const char *s, enum job_state *out);
int model_state_final(enum job_state s);
const char *model_class_name(enum job_class c);
int model_class_parse(const char *s, enum job_class *out);

/* What a job asks for.  Exactly one GPU form applies: see gpus_milli. */
struct req {
	/*
	 * Milli-GPUs: a multiple of 1000 for whole GPUs, 1..999 for a share
	 * of one GPU, 0 when the share comes from gpu_mem_mb (or no GPU).
	 */
	int32_t gpus_milli;
	int64_t gpu_mem_mb;   /* GPU memory wanted on one GPU, or 0 */
	int32_t cpus_milli;   /* 0: the default (1 CPU) */
	int64_t mem_mb;       /* host memory; 0: the default */
	int64_t time_limit_s; /* 0: none */
	/*
	 * Where it may run: GPU models it accepts, separated by '|'
	 * ("V100M16|V100M32"), and a node pool; "" accepts any.
	 */
	char gpu_model[MODEL_MAX_GPU_MODEL];
	char pool[MODEL_MAX_POOL];
	char labels[MODEL_MAX_LABELS]; /* "a,b": the node carries all */
	/*
	 * Gang: this many nodes at once, each given the GPUs, CPUs and memory
	 * above (all or nothing).  0 or 1: one node.
	 */
	int32_t nodes;
};

/* One GPU's share given to a job. */
struct alloc_gpu {
	int32_t gpu;    /* index on the node */
	int32_t milli;  /* 1000 for a whole GPU */
	int64_t mem_mb; /* GPU memory that share stands for */
};

struct alloc {
	int32_t node; /* index into cluster.nodes */
	int32_t ngpus;
	struct alloc_gpu gpus[MODEL_MAX_JOB_GPUS];
	int32_t cpus_milli;
	int64_t mem_mb;
};

struct gpu {
	char model[MODEL_MAX_GPU_MODEL];
	int64_t mem_mb;
	int32_t free_milli; /* capacity left, 0..1000 */
	int64_t free_mem_mb;
};

struct node {
	char name[64];
	int32_t ngpus;
	struct gpu gpus[MODEL_MAX_NODE_GPUS];
	int32_t cpus_milli, free_cpus_milli;
	int64_t mem_mb, free_mem_mb;
	char pool[MODEL_MAX_POOL];     /* "" when the node is in no pool */
	char labels[MODEL_MAX_LABELS]; /* "a,b,c" */
};

struct cluster {
	struct node *nodes; /* owned */
	size_t nnodes;
};

/*
 * A job as the scheduler sees it.  The daemon keeps more about a job (its
 * command, environment, logs); those live in the daemon's record, which
 * embeds this one.
 */
struct job_core {
	int64_t id;
	char user[MODEL_MAX_USER];
	char project[MODEL_MAX_PROJECT];
	enum job_class cls;
	int32_t priority;
	int preemptible;
	int64_t submit_time;
	enum job_state state;
	struct req req;
	struct alloc alloc; /* valid while RUNNING */
	/* Facts the caller keeps for the policies (sched.h). */
	int64_t start_time; /* RUNNING: when this run began */
	int32_t stopping;   /* RUNNING: being stopped or swapped out */
	uint32_t flags;     /* JOB_F_* */
	/*
	 * RUNNING gang: its allocations on the other nodes (borrowed; the
	 * caller owns them), ngang of them; alloc is the first node's.
	 */
	const struct alloc *gang;
	int32_t ngang;
	/*
	 * PENDING: must start exactly on this allocation or not at all
	 * (borrowed; NULL: anywhere).  A suspended job coming back to the
	 * GPUs its memory was saved from, or the incoming job of a swap.
	 */
	const struct alloc *pin;
};

#define JOB_F_HELD       0x1 /* held: does not start until released */
#define JOB_F_DEPENDENCY 0x2 /* waits for another job to end */

void cluster_init(struct cluster *c);
void cluster_done(struct cluster *c);
/* Appends a node with ngpus GPUs of one model; returns its index. */
int32_t cluster_add_node(struct cluster *c, const char *name, int32_t ngpus,
    const char *gpu_model, int64_t gpu_mem_mb, int32_t cpus_milli,
    int64_t mem_mb);

/*
 * Whether GPU model m meets a constraint: alternatives separated by "|",
 * each the full model ("H100-80GB") or its family ("H100"), in any case.
 * An empty constraint takes any model.
 */
int model_gpu_model_ok(const char *want, const char *m);
/* Fills in defaults (1 CPU, 4 GiB) where a request left 0. */
void model_req_defaults(struct req *r);
/*
 * Checks that some node of the cluster could ever hold the request, empty.
 * Returns 0, GQ_EINVAL (malformed) or GQ_ENOFIT with a reason in cause
 * (a bounded buffer of n bytes).
 */
int model_req_check(const struct cluster *c, const struct req *r, char *cause,
    size_t n);
/* Milli-GPUs the request needs on a GPU with mem_mb of memory. */
int32_t model_req_milli_on(const struct req *r, int64_t gpu_mem_mb);
/* The nodes a request spans: 1 unless it is a gang. */
int32_t model_req_nodes(const struct req *r);
/* True when node nd carries all of r's labels (pools: see place.h). */
int model_node_labels_ok(const struct node *nd, const struct req *r);
/* True when the comma-separated list has the label. */
int model_labels_has(const char *list, const char *label, size_t len);
/* Checks a label list ("a,b", names of [A-Za-z0-9_.-]): 0 or GQ_EINVAL. */
int model_labels_check(const char *labels);
/* Takes (or gives back) an allocation's resources from the cluster. */
void cluster_take(struct cluster *c, const struct alloc *a);
void cluster_give(struct cluster *c, const struct alloc *a);

#endif
