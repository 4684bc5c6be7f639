/*
 * Placement: where on the cluster one request goes.
 *
 * A strategy is a pure function: it reads the cluster (with what running
 * jobs hold already taken out), never changes it, and fills an allocation.
 * Strategies are listed in one table (place.c), one file each
 * (place-<name>.c).  docs/placement.md explains them and their figures on
 * the Alibaba GPU-sharing trace.
 *
 * Every strategy honours the same constraints: the request's GPU models,
 * node pool and labels, the node's free CPUs and memory, each GPU's free
 * share and memory.  A multi-GPU request gets GPUs of one node that sit
 * together (an aligned block where one is free).  A strategy places one
 * node's part; a gang's nodes are sched_place_job's (sched.h).
 */
#ifndef GPUQ_PLACE_H
#define GPUQ_PLACE_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/sched.h"

/*
 * One kind of request in a workload's mix, as FGD sees it.  Requests with
 * the same shape are counted together; weight is the kind's share.
 */
struct place_type {
	int32_t milli;      /* per GPU: 1..1000; 0 when no GPU */
	int32_t ngpus;      /* GPUs, 1 for a share; 0 when none */
	int64_t gpu_mem_mb; /* a share asked as GPU memory, or 0 */
	int32_t cpus_milli;
	int64_t mem_mb; /* 0 when the mix ignores host memory */
	char gpu_model[MODEL_MAX_GPU_MODEL];
	uint64_t models; /* bit i: it lists place_mix.models[i] */
	double weight;   /* the kinds' weights sum to 1 */
};

#define PLACE_MAX_MODELS 63 /* model names a mix tells apart */

/*
 * The distribution of requests the cluster sees: what FGD measures
 * fragmentation against.  Built with place_mix_add, then place_mix_finish.
 */
struct place_mix {
	struct place_type *types; /* owned */
	size_t ntypes, cap;
	int with_mem; /* kinds told apart by host memory too */
	char models[PLACE_MAX_MODELS][MODEL_MAX_GPU_MODEL];
	int nmodels;
};

/*
 * A summary of one node's free resources (place-index.c): enough to tell
 * quickly that a request cannot fit there, to score best fit and spread
 * without reading the node, and to find a memo of an FGD measure.
 */
struct place_sum {
	int32_t cpus;      /* free milli-CPUs */
	int32_t whole;     /* whole free GPUs (share and memory free) */
	int32_t max_share; /* the largest free share on one GPU, milli */
	int32_t total;     /* free GPU capacity, milli */
	int32_t usable;    /* the same, each GPU's bounded by its memory */
	int64_t mem;       /* free host memory, MiB */
	uint64_t fixed;    /* hash of what does not change: models, pool */
	uint64_t hash;     /* hash of its whole state, free capacity too */
};

/*
 * An index over the nodes of one cluster, kept up to date by whoever
 * changes the cluster (place_index_touch after each take or give on a
 * node).  A strategy uses it only for the cluster it was made for.
 */
struct place_index {
	const struct cluster *c; /* borrowed */
	struct place_sum *sum;   /* owned: one per node */
	size_t n;
	double cpus, gpus; /* place_cluster_scale of c */
};

/* Memos of FGD's measure per node state and request (place-index.c). */
struct place_memo;

/*
 * What a strategy may use beyond the cluster.  Every field may be zero:
 * FGD without a mix falls back to best fit, random without a state draws
 * the first candidate; without an index or a memo every node is read.
 */
struct place_ctx {
	const struct place_mix *mix;     /* borrowed */
	uint64_t *rng;                   /* borrowed; advanced by random */
	const struct place_index *index; /* borrowed, or NULL */
	struct place_memo *memo;         /* borrowed, or NULL (FGD) */
};

struct place_strategy {
	const char *name;
	const char *summary;
	/* Returns 1 (a filled), 0 (no room now: why set). */
	int (*find)(const struct cluster *c, const struct req *r,
	    const struct place_ctx *ctx, struct alloc *a,
	    enum wait_reason *why);
};

/* The strategies, one file each (place-<name>.c), listed in place.c. */
int place_bestfit_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why);
int place_spread_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why);
int place_random_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why);
int place_fgd_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why);
int place_fgdk8s_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why);
int place_fgdplus_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why);

/* The strategy of that name, or NULL. */
const struct place_strategy *place_strategy_find(const char *name);
/* The strategy used when the configuration names none. */
const struct place_strategy *place_strategy_default(void);
/* The table, for listings: *n gets its length.  Borrowed. */
const struct place_strategy *place_strategies(size_t *n);

/*
 * Finds room for r with strategy s (NULL: the default).  Requests are
 * completed with model_req_defaults first.  Returns 1 when it fits (a
 * filled, including CPUs and memory), 0 when it does not fit now (why:
 * RESOURCES, FRAGMENTED or POOL), GQ_EINVAL for a malformed request.
 */
int place_find(const struct place_strategy *s, const struct cluster *c,
    const struct req *r, const struct place_ctx *ctx, struct alloc *a,
    enum wait_reason *why);

/*
 * Helpers the strategies share (place.c).
 */
/* True when node nd may hold r: CPUs, memory, pool, labels (not GPUs). */
int place_node_ok(const struct node *nd, const struct req *r);
/* The share r needs on GPU g, or 0 when g cannot take it now. */
int32_t place_gpu_need(const struct gpu *g, const struct req *r);
/* GPUs of nd that could take r's share now (shares and whole GPUs). */
int32_t place_gpus_fit(const struct node *nd, const struct req *r);
/* True when nd can take r now: node_ok and enough GPUs with room. */
int place_node_fits(const struct node *nd, const struct req *r);
/* The largest node's CPUs and GPU capacity (milli): scales for scores. */
void place_cluster_scale(const struct cluster *c, double *cpus, double *gpus);
/*
 * What r would leave free on nd: CPUs and GPU capacity, each over its
 * scale, averaged (the FGD paper's best-fit score; lower is tighter).
 */
double place_node_left(const struct node *nd, const struct req *r, double cpus,
    double gpus);
/* Whole GPUs r asks for, 0 for a share or none. */
int32_t place_req_whole(const struct req *r);
/* True when r asks for any GPU. */
int place_req_gpu(const struct req *r);
/* Adds GPU g of nd, with the share r needs of it, to a. */
void place_alloc_gpu(struct alloc *a, const struct node *nd, int32_t g,
    const struct req *r);
/*
 * Adds k whole free GPUs of nd to a: an aligned block inside the most
 * used larger block where one is free, else the lowest run, else lowest.
 */
void place_pick_whole(const struct node *nd, int32_t k, const struct req *r,
    struct alloc *a);
/*
 * The GPU of nd for r's share: the one left with the least free capacity
 * (tight) or the most (not tight), lowest index first; when that is a
 * whole free GPU, the one whose neighbour is busy.  -1 when none fits.
 */
int32_t place_share_gpu(const struct node *nd, const struct req *r, int tight);
/*
 * Fills a with r's GPUs on node n: whole GPUs by place_pick_whole, a share
 * by place_share_gpu (tight or not); nothing for a CPU-only request.
 */
void place_fill(const struct cluster *c, size_t n, const struct req *r,
    int tight, struct alloc *a);
/*
 * Best fit (tight) or spread (!tight): the node left with the least (most)
 * CPUs and GPU capacity free, then the GPU on it likewise.  Fills a and
 * returns 1, or sets why and returns 0.
 */
int place_by_left(const struct cluster *c, const struct req *r, int tight,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why);
/*
 * Why r fits nowhere now: FRAGMENTED when the free capacity it could use
 * adds up but is split, POOL when only its pool, labels or GPU models
 * stand in the way, RESOURCES otherwise.
 */
enum wait_reason place_why(const struct cluster *c, const struct req *r);
/* The same, from ctx's index of c when it has one (much faster). */
enum wait_reason place_why_ctx(const struct place_ctx *ctx,
    const struct cluster *c, const struct req *r);

/*
 * The index (place-index.c).  place_index_init summarizes every node of c;
 * place_index_touch re-reads node n after c changed there.
 */
void place_index_init(struct place_index *x, const struct cluster *c);
void place_index_done(struct place_index *x);
void place_index_touch(struct place_index *x, int32_t n);
/* The summary of node n of c when ctx has an index of c, else NULL. */
const struct place_sum *place_index_sum(const struct place_ctx *ctx,
    const struct cluster *c, size_t n);
/*
 * 0 when the summary shows that r cannot fit node n now; 1 when it may
 * (or there is no summary): a quick filter before place_node_fits.
 */
int place_index_may_fit(const struct place_ctx *ctx, const struct cluster *c,
    size_t n, const struct req *r);
/* A memo: one per mix (a plan's); new, free accepts NULL. */
struct place_memo *place_memo_new(void);
void place_memo_free(struct place_memo *m);
/* A request's key for memos (what a node's answer for it depends on). */
uint64_t place_memo_req(const struct req *r, int mode);
/*
 * Looks up (node state, request): 1 and *found, *score, *tie, *gpu when
 * known.  place_memo_put records an answer.
 */
int place_memo_get(const struct place_memo *m, uint64_t state, uint64_t req,
    int *found, double *score, double *tie, int32_t *gpu);
void place_memo_put(struct place_memo *m, uint64_t state, uint64_t req,
    int found, double score, double tie, int32_t gpu);

/* A seeded generator (splitmix64): the state is the caller's. */
uint64_t place_rng_next(uint64_t *state);
/* Uniform in 0..n-1 (n > 0). */
uint64_t place_rng_below(uint64_t *state, uint64_t n);

/*
 * The request mix (place-frag.c).
 */
void place_mix_init(struct place_mix *m, int with_mem);
void place_mix_done(struct place_mix *m);
/* Counts n more requests shaped like r. */
void place_mix_add(struct place_mix *m, const struct req *r, double n);
/*
 * Keeps the most common kinds that together make up at least coverage
 * (0..1] of the requests, in decreasing count, and scales their weights
 * to sum to 1.  Ties in count go by shape, so the result is deterministic.
 */
void place_mix_finish(struct place_mix *m, double coverage);

/*
 * Fragmentation (FGD, Weng et al., ATC'23), in milli-GPUs: the free GPU
 * capacity of nd that a request of kind t could not use.  All of it when
 * t cannot run on nd at all (wrong model, too few CPUs, not enough GPUs
 * with room); otherwise the free capacity of the GPUs too small for t.
 */
double place_frag_type(const struct node *nd, const struct place_type *t,
    const struct place_mix *m);
/* The expected fragmentation of nd against the mix: sum of weight x frag. */
double place_frag_node(const struct node *nd, const struct place_mix *m);
/*
 * How much FGD's measure of nd grows when a is given to r on it (the
 * gradient FGD descends).  a must be on nd.
 */
double place_frag_delta(const struct node *nd, const struct req *r,
    const struct alloc *a, const struct place_mix *m);

#endif
