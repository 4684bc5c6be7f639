/*
 * The pure model: names of states and classes, the cluster's resources and
 * the checks a request must pass before it may wait in the queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/model.h"

#define MODEL_DEFAULT_CPUS_MILLI 1000
#define MODEL_DEFAULT_MEM_MB     4096

static const char *const model_state_names[JOB_NSTATES] = {
	"PENDING",
	"RUNNING",
	"COMPLETED",
	"FAILED",
	"CANCELLED",
	"TIMEOUT",
	"SUSPENDED",
};

static const char *const model_class_names[JOB_NCLASSES] = {
	"interactive",
	"train",
	"inference",
};

/* The largest of each resource one node (or one GPU) of a cluster has. */
struct model_largest {
	int32_t ngpus;
	int64_t gpu_mem_mb;
	int32_t cpus_milli;
	int64_t mem_mb;
};

const char *
model_state_name(enum job_state s)
{
	if ((int)s < 0 || s >= JOB_NSTATES)
		return "UNKNOWN";
	return model_state_names[s];
}

int
model_state_parse(const char *s, enum job_state *out)
{
	int i;

	for (i = 0; i < JOB_NSTATES; i++) {
		if (strcmp(s, model_state_names[i]) == 0) {
			*out = (enum job_state)i;
			return 0;
		}
	}
	return GQ_EINVAL;
}

int
model_state_final(enum job_state s)
{
	return s == JOB_COMPLETED || s == JOB_FAILED || s == JOB_CANCELLED ||
	    s == JOB_TIMEOUT;
}

const char *
model_class_name(enum job_class c)
{
	if ((int)c < 0 || c >= JOB_NCLASSES)
		return "unknown";
	return model_class_names[c];
}

int
model_class_parse(const char *s, enum job_class *out)
{
	int i;

	for (i = 0; i < JOB_NCLASSES; i++) {
		if (strcmp(s, model_class_names[i]) == 0) {
			*out = (enum job_class)i;
			return 0;
		}
	}
	return GQ_EINVAL;
}

void
cluster_init(struct cluster *c)
{
	c->nodes = NULL;
	c->nnodes = 0;
}

void
cluster_done(struct cluster *c)
{
	free(c->nodes);
	cluster_init(c);
}

/*
 * The array grows by one node at a time so that a cluster whose nodes
 * were allocated elsewhere (an exact-size copy) can still be grown.
 */
int32_t
cluster_add_node(struct cluster *c, const char *name, int32_t ngpus,
    const char *gpu_model, int64_t gpu_mem_mb, int32_t cpus_milli,
    int64_t mem_mb)
{
	struct node *nd;
	int32_t i;

	if (ngpus < 0)
		ngpus = 0;
	if (ngpus > MODEL_MAX_NODE_GPUS)
		ngpus = MODEL_MAX_NODE_GPUS;
	c->nodes = xreallocarray(c->nodes, c->nnodes + 1, sizeof(*c->nodes));
	nd = &c->nodes[c->nnodes];
	memset(nd, 0, sizeof(*nd));
	snprintf(nd->name, sizeof(nd->name), "%s", name);
	nd->ngpus = ngpus;
	for (i = 0; i < ngpus; i++) {
		snprintf(nd->gpus[i].model, sizeof(nd->gpus[i].model), "%s",
		    gpu_model != NULL ? gpu_model : "");
		nd->gpus[i].mem_mb = gpu_mem_mb;
		nd->gpus[i].free_milli = MODEL_GPU_MILLI;
		nd->gpus[i].free_mem_mb = gpu_mem_mb;
	}
	nd->cpus_milli = nd->free_cpus_milli = cpus_milli;
	nd->mem_mb = nd->free_mem_mb = mem_mb;
	return (int32_t)c->nnodes++;
}

void
model_req_defaults(struct req *r)
{
	if (r->cpus_milli == 0)
		r->cpus_milli = MODEL_DEFAULT_CPUS_MILLI;
	if (r->mem_mb == 0)
		r->mem_mb = MODEL_DEFAULT_MEM_MB;
}

/*
 * A GPU-memory request becomes the share of that GPU's memory, rounded up.
 * More than the GPU holds gives MODEL_GPU_MILLI + 1: it does not fit.
 */
int32_t
model_req_milli_on(const struct req *r, int64_t gpu_mem_mb)
{
	if (r->gpus_milli > 0)
		return r->gpus_milli;
	if (r->gpu_mem_mb <= 0)
		return 0;
	if (gpu_mem_mb <= 0 || r->gpu_mem_mb > gpu_mem_mb)
		return MODEL_GPU_MILLI + 1;
	return (int32_t)((r->gpu_mem_mb * MODEL_GPU_MILLI + gpu_mem_mb - 1) /
	    gpu_mem_mb);
}

/* Why a request is malformed, or NULL when it is well formed. */
static const char *
model_req_malformed(const struct req *r)
{
	if (r->gpus_milli < 0 || r->gpu_mem_mb < 0 || r->cpus_milli < 0 ||
	    r->mem_mb < 0 || r->time_limit_s < 0)
		return "negative resource request";
	if (r->gpus_milli > MODEL_GPU_MILLI &&
	    r->gpus_milli % MODEL_GPU_MILLI != 0)
		return "a GPU share must be below one GPU or whole GPUs";
	if (r->gpus_milli >= MODEL_GPU_MILLI && r->gpu_mem_mb > 0)
		return "GPU memory may be asked only with a share of one GPU";
	if (r->gpus_milli > MODEL_MAX_JOB_GPUS * MODEL_GPU_MILLI)
		return "too many GPUs for one job";
	if (r->nodes < 0 || r->nodes > MODEL_MAX_GANG_NODES)
		return "a gang spans 1 to 64 nodes";
	if (r->nodes > 1 && r->gpus_milli > 0 &&
	    r->gpus_milli < MODEL_GPU_MILLI)
		return "a gang's nodes take whole GPUs";
	if (model_labels_check(r->labels) != 0)
		return "labels must be names of A-Z a-z 0-9 _ . - "
		       "separated by commas";
	return NULL;
}

static void
model_largest_of(const struct cluster *c, struct model_largest *l)
{
	const struct node *nd;
	size_t i;
	int32_t g;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < c->nnodes; i++) {
		nd = &c->nodes[i];
		if (nd->ngpus > l->ngpus)
			l->ngpus = nd->ngpus;
		if (nd->cpus_milli > l->cpus_milli)
			l->cpus_milli = nd->cpus_milli;
		if (nd->mem_mb > l->mem_mb)
			l->mem_mb = nd->mem_mb;
		for (g = 0; g < nd->ngpus; g++)
			if (nd->gpus[g].mem_mb > l->gpu_mem_mb)
				l->gpu_mem_mb = nd->gpus[g].mem_mb;
	}
}

/* Writes a CPU count: "64", "0.5". */
static char *
model_fmt_cpus(int32_t milli, char *out, size_t n)
{
	int32_t frac = milli % 1000;

	if (frac == 0)
		snprintf(out, n, "%d", milli / 1000);
	else if (frac % 100 == 0)
		snprintf(out, n, "%d.%d", milli / 1000, frac / 100);
	else if (frac % 10 == 0)
		snprintf(out, n, "%d.%02d", milli / 1000, frac / 10);
	else
		snprintf(out, n, "%d.%03d", milli / 1000, frac);
	return out;
}

/* True when node nd could hold r while empty. */
static int
model_node_could_hold(const struct node *nd, const struct req *r)
{
	int32_t g;

	if (r->cpus_milli > nd->cpus_milli || r->mem_mb > nd->mem_mb)
		return 0;
	if ((r->pool[0] != '\0' && strcmp(r->pool, nd->pool) != 0) ||
	    !model_node_labels_ok(nd, r))
		return 0;
	if (r->gpus_milli >= MODEL_GPU_MILLI)
		return nd->ngpus >= r->gpus_milli / MODEL_GPU_MILLI;
	if (r->gpus_milli == 0 && r->gpu_mem_mb == 0)
		return 1;
	for (g = 0; g < nd->ngpus; g++)
		if (model_req_milli_on(r, nd->gpus[g].mem_mb) <=
		        MODEL_GPU_MILLI &&
		    r->gpu_mem_mb <= nd->gpus[g].mem_mb)
			return 1;
	return 0;
}

/* Writes "1 GPU", "8 GPUs" or, for a share of one, "a GPU". */
static char *
model_fmt_gpus(int32_t milli, char *out, size_t n)
{
	int32_t k = milli / MODEL_GPU_MILLI;

	if (k == 0)
		snprintf(out, n, "a GPU");
	else
		snprintf(out, n, "%d GPU%s", k, k == 1 ? "" : "s");
	return out;
}

/* Explains, one resource at a time, why no node could hold r. */
static void
model_req_explain(const struct model_largest *l, const struct req *r,
    char *cause, size_t n)
{
	char a[32], b[32];
	int wants_gpu = r->gpus_milli > 0 || r->gpu_mem_mb > 0;

	if (wants_gpu && l->ngpus == 0)
		snprintf(cause, n, "needs %s; the cluster has none",
		    model_fmt_gpus(r->gpus_milli, a, sizeof(a)));
	else if (r->gpus_milli / MODEL_GPU_MILLI > l->ngpus)
		snprintf(cause, n, "needs %s; the largest node has %d",
		    model_fmt_gpus(r->gpus_milli, a, sizeof(a)), l->ngpus);
	else if (r->gpu_mem_mb > l->gpu_mem_mb)
		snprintf(cause, n,
		    "needs %s of GPU memory on one GPU; the largest GPU has %s",
		    units_fmt_mem_mb(r->gpu_mem_mb, a, sizeof(a)),
		    units_fmt_mem_mb(l->gpu_mem_mb, b, sizeof(b)));
	else if (r->cpus_milli > l->cpus_milli)
		snprintf(cause, n, "needs %s CPUs; the largest node has %s",
		    model_fmt_cpus(r->cpus_milli, a, sizeof(a)),
		    model_fmt_cpus(l->cpus_milli, b, sizeof(b)));
	else if (r->mem_mb > l->mem_mb)
		snprintf(cause, n,
		    "needs %s of memory; the largest node has %s",
		    units_fmt_mem_mb(r->mem_mb, a, sizeof(a)),
		    units_fmt_mem_mb(l->mem_mb, b, sizeof(b)));
	else
		snprintf(cause, n,
		    "no node has its GPUs, CPUs and memory together");
}

/*
 * When no node is in r's pool or carries its labels, says so in cause and
 * returns 1; else 0.
 */
static int
model_where_explain(const struct cluster *c, const struct req *r, char *cause,
    size_t n)
{
	int pool = 0, labels = 0;
	size_t i;

	for (i = 0; i < c->nnodes; i++) {
		if (r->pool[0] != '\0' &&
		    strcmp(r->pool, c->nodes[i].pool) != 0)
			continue;
		pool = 1;
		if (model_node_labels_ok(&c->nodes[i], r))
			labels = 1;
	}
	if (!pool)
		snprintf(cause, n, "no node is in pool \"%s\"", r->pool);
	else if (!labels)
		snprintf(cause, n, "no node%s%s%s carries the labels \"%s\"",
		    r->pool[0] ? " of pool \"" : "", r->pool,
		    r->pool[0] ? "\"" : "", r->labels);
	return !pool || !labels;
}

int
model_req_check(const struct cluster *c, const struct req *req, char *cause,
    size_t n)
{
	struct model_largest l;
	struct req r = *req;
	const char *bad;
	size_t i, k;

	if ((bad = model_req_malformed(&r)) != NULL) {
		if (cause != NULL && n > 0)
			snprintf(cause, n, "%s", bad);
		return GQ_EINVAL;
	}
	model_req_defaults(&r);
	for (i = 0, k = 0; i < c->nnodes; i++)
		if (model_node_could_hold(&c->nodes[i], &r))
			k++;
	if (k >= model_req_nodes(&r))
		return 0;
	if (cause == NULL || n == 0)
		return GQ_ENOFIT;
	if (c->nnodes == 0)
		snprintf(cause, n, "the cluster has no nodes");
	else if (k > 0)
		snprintf(cause, n,
		    "needs %d nodes at once; %d could hold their "
		    "part",
		    model_req_nodes(&r), (int)k);
	else if (!model_where_explain(c, &r, cause, n)) {
		model_largest_of(c, &l);
		model_req_explain(&l, &r, cause, n);
	}
	return GQ_ENOFIT;
}

static void
model_alloc_apply(struct cluster *c, const struct alloc *a, int sign)
{
	struct node *nd;
	struct gpu *g;
	int32_t i;

	if (a->node < 0 || (size_t)a->node >= c->nnodes)
		return;
	nd = &c->nodes[a->node];
	for (i = 0; i < a->ngpus && i < MODEL_MAX_JOB_GPUS; i++) {
		if (a->gpus[i].gpu < 0 || a->gpus[i].gpu >= nd->ngpus)
			continue;
		g = &nd->gpus[a->gpus[i].gpu];
		g->free_milli += sign * a->gpus[i].milli;
		g->free_mem_mb += sign * a->gpus[i].mem_mb;
	}
	nd->free_cpus_milli += sign * a->cpus_milli;
	nd->free_mem_mb += sign * a->mem_mb;
}

/*
 * Taking more than is free leaves negative free capacity: the truth about
 * an overcommitted node, on which nothing more will be placed.
 */
void
cluster_take(struct cluster *c, const struct alloc *a)
{
	model_alloc_apply(c, a, -1);
}

void
cluster_give(struct cluster *c, const struct alloc *a)
{
	model_alloc_apply(c, a, 1);
}

int32_t
model_req_nodes(const struct req *r)
{
	return r->nodes > 1 ? r->nodes : 1;
}

/* A label is a name of [A-Za-z0-9_.-]. */
static int
model_label_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

int
model_labels_check(const char *labels)
{
	size_t i, run = 0;

	for (i = 0; labels[i] != '\0'; i++) {
		if (labels[i] == ',') {
			if (run == 0)
				return GQ_EINVAL;
			run = 0;
		} else if (!model_label_char((unsigned char)labels[i]))
			return GQ_EINVAL;
		else
			run++;
	}
	if (i >= MODEL_MAX_LABELS || (i > 0 && run == 0))
		return GQ_EINVAL;
	return 0;
}

int
model_labels_has(const char *list, const char *label, size_t len)
{
	const char *p = list, *comma;
	size_t n;

	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == len && strncmp(p, label, len) == 0)
			return 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

int
model_node_labels_ok(const struct node *nd, const struct req *r)
{
	const char *p = r->labels, *comma;
	size_t n;

	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n > 0 && !model_labels_has(nd->labels, p, n))
			return 0;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 1;
}

/* One alternative: the model itself, or its family ("H100" for
 * "H100-80GB"), in any case. */
static int
model_gpu_model_one(const char *want, size_t n, const char *m)
{
	return strncasecmp(want, m, n) == 0 && (m[n] == '\0' || m[n] == '-');
}

int
model_gpu_model_ok(const char *want, const char *m)
{
	const char *p = want, *bar;

	if (want[0] == '\0')
		return 1;
	for (;;) {
		bar = strchr(p, '|');
		if (model_gpu_model_one(p, bar ? (size_t)(bar - p) : strlen(p),
		        m))
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}
