/*
 * Trace readers: the Alibaba openb nodes and tasks, the PAI 2020 machines
 * and jobs, the Philly sample.  Schemas are in the traces' READMEs
 * (../shared/traces/) and in docs/simulator.md.  Rules for values the
 * traces leave out are written next to the code that applies them.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sim/sim-int.h"

/* GPU memory of the models the traces name, MiB. */
static const struct {
	const char *model;
	int64_t mem_mb;
} sim_trace_mems[] = {
	{ "A10", 24576 },
	{ "A100", 40960 },
	{ "H100", 81920 },
	{ "K80", 12288 },
	{ "P100", 16384 },
	{ "P40", 24576 },
	{ "T4", 16384 },
	{ "V100", 16384 },
	{ "V100M16", 16384 },
	{ "V100M32", 32768 },
};

int64_t
sim_trace_gpu_mem(const char *model)
{
	size_t i;

	for (i = 0; i < sizeof(sim_trace_mems) / sizeof(sim_trace_mems[0]); i++)
		if (strcmp(sim_trace_mems[i].model, model) == 0)
			return sim_trace_mems[i].mem_mb;
	return 16384;
}

void
sim_tasks_init(struct sim_tasks *t)
{
	memset(t, 0, sizeof(*t));
}

void
sim_tasks_done(struct sim_tasks *t)
{
	free(t->v);
	sim_tasks_init(t);
}

void
sim_jobs_init(struct sim_jobs *j)
{
	memset(j, 0, sizeof(*j));
}

void
sim_jobs_done(struct sim_jobs *j)
{
	free(j->v);
	sim_jobs_init(j);
}

static struct sim_task *
sim_tasks_add(struct sim_tasks *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
	}
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	return &t->v[t->n++];
}

static struct sim_job *
sim_jobs_add(struct sim_jobs *j)
{
	if (j->n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 1024;
		j->v = xreallocarray(j->v, j->cap, sizeof(*j->v));
	}
	memset(&j->v[j->n], 0, sizeof(j->v[j->n]));
	return &j->v[j->n++];
}

/* Field name of the row as an integer in [lo, hi]; 0 or GQ_EINVAL. */
static int
sim_trace_int(const struct sim_csv *c, const char *name, int64_t lo, int64_t hi,
    int64_t *out, char **cause)
{
	const char *s = sim_csv_get(c, sim_csv_col(c, name));

	if (sim_csv_int(s, out) < 0 || *out < lo || *out > hi) {
		*cause = xasprintf("%s:%zu: bad %s \"%.32s\"", c->path,
		    c->lineno, name, s);
		return GQ_EINVAL;
	}
	return 0;
}

/* Fails unless every named column is in the file. */
static int
sim_trace_need(const struct sim_csv *c, const char *const *cols, char **cause)
{
	for (; *cols != NULL; cols++) {
		if (sim_csv_col(c, *cols) < 0) {
			*cause = xasprintf("%s: no column %s", c->path, *cols);
			return GQ_EINVAL;
		}
	}
	return 0;
}

static int
sim_trace_openb_node(struct sim_csv *c, struct cluster *cl, char **cause)
{
	int64_t cpu, mem, gpus;
	const char *model = sim_csv_get(c, sim_csv_col(c, "model"));
	int rc;

	if ((rc = sim_trace_int(c, "cpu_milli", 0, INT32_MAX, &cpu, cause)) <
	        0 ||
	    (rc = sim_trace_int(c, "memory_mib", 0, INT64_MAX / 2, &mem,
	         cause)) < 0 ||
	    (rc = sim_trace_int(c, "gpu", 0, MODEL_MAX_NODE_GPUS, &gpus,
	         cause)) < 0)
		return rc;
	if (strlen(model) >= MODEL_MAX_GPU_MODEL)
		return sim_csv_bad(c, "model name too long", cause);
	cluster_add_node(cl, sim_csv_get(c, sim_csv_col(c, "sn")),
	    (int32_t)gpus, model, sim_trace_gpu_mem(model), (int32_t)cpu, mem);
	return 0;
}

int
sim_trace_openb_nodes(const char *path, struct cluster *cl, char **cause)
{
	static const char *const cols[] = { "sn", "cpu_milli", "memory_mib",
		"gpu", "model", NULL };
	struct sim_csv c;
	int rc;

	if ((rc = sim_csv_open(&c, path, NULL, 0, NULL, cause)) < 0)
		return rc;
	if ((rc = sim_trace_need(&c, cols, cause)) == 0)
		while ((rc = sim_csv_next(&c, cause)) > 0)
			if ((rc = sim_trace_openb_node(&c, cl, cause)) < 0)
				break;
	sim_csv_close(&c);
	return rc < 0 ? rc : 0;
}

/*
 * num_gpu 0: no GPU; 1 with gpu_milli below 1000: that share; otherwise
 * num_gpu whole GPUs.  A zero CPU or memory request becomes 1 (milli-CPU,
 * MiB), so the model's defaults do not replace it.
 */
static int
sim_trace_openb_task(struct sim_csv *c, struct sim_tasks *t, char **cause)
{
	int64_t cpu, mem, ngpu, milli, created = 0;
	const char *spec = sim_csv_get(c, sim_csv_col(c, "gpu_spec"));
	struct sim_task *k;
	int rc;

	if ((rc = sim_trace_int(c, "cpu_milli", 0, INT32_MAX, &cpu, cause)) <
	        0 ||
	    (rc = sim_trace_int(c, "memory_mib", 0, INT64_MAX / 2, &mem,
	         cause)) < 0 ||
	    (rc = sim_trace_int(c, "num_gpu", 0, MODEL_MAX_JOB_GPUS, &ngpu,
	         cause)) < 0 ||
	    (rc = sim_trace_int(c, "gpu_milli", 0, 1000000, &milli, cause)) < 0)
		return rc;
	if (strlen(spec) >= MODEL_MAX_GPU_MODEL)
		return sim_csv_bad(c, "gpu_spec too long", cause);
	if (sim_csv_col(c, "creation_time") >= 0 &&
	    (rc = sim_trace_int(c, "creation_time", 0, INT64_MAX / 4, &created,
	         cause)) < 0)
		return rc;
	k = sim_tasks_add(t);
	snprintf(k->name, sizeof(k->name), "%s",
	    sim_csv_get(c, sim_csv_col(c, "name")));
	k->req.gpus_milli = ngpu == 1 && milli > 0 && milli < 1000 ?
	    (int32_t)milli :
	    (int32_t)ngpu * MODEL_GPU_MILLI;
	k->req.cpus_milli = cpu > 0 ? (int32_t)cpu : 1;
	k->req.mem_mb = mem > 0 ? mem : 1;
	snprintf(k->req.gpu_model, sizeof(k->req.gpu_model), "%s", spec);
	k->created = created;
	return 0;
}

int
sim_trace_openb_tasks(const char *path, struct sim_tasks *t, char **cause)
{
	static const char *const cols[] = { "name", "cpu_milli", "memory_mib",
		"num_gpu", "gpu_milli", NULL };
	struct sim_csv c;
	int rc;

	if ((rc = sim_csv_open(&c, path, NULL, 0, NULL, cause)) < 0)
		return rc;
	if ((rc = sim_trace_need(&c, cols, cause)) == 0)
		while ((rc = sim_csv_next(&c, cause)) > 0)
			if ((rc = sim_trace_openb_task(&c, t, cause)) < 0)
				break;
	sim_csv_close(&c);
	return rc < 0 ? rc : 0;
}

/* cap_cpu is in cores, cap_mem in GB. */
static int
sim_trace_pai_machine(struct sim_csv *c, struct cluster *cl, char **cause)
{
	const char *model = sim_csv_get(c, sim_csv_col(c, "gpu_type"));
	int64_t cpu, mem, gpus;
	int rc;

	if (strcmp(sim_csv_get(c, 0), "machine") == 0)
		return 0; /* a header line */
	if ((rc = sim_trace_int(c, "cap_cpu", 0, 1000000, &cpu, cause)) < 0 ||
	    (rc = sim_trace_int(c, "cap_mem", 0, INT32_MAX, &mem, cause)) < 0 ||
	    (rc = sim_trace_int(c, "cap_gpu", 0, MODEL_MAX_NODE_GPUS, &gpus,
	         cause)) < 0)
		return rc;
	if (strlen(model) >= MODEL_MAX_GPU_MODEL)
		return sim_csv_bad(c, "gpu_type too long", cause);
	cluster_add_node(cl, sim_csv_get(c, sim_csv_col(c, "machine")),
	    (int32_t)gpus, model, sim_trace_gpu_mem(model),
	    (int32_t)(cpu * 1000), mem * 1024);
	return 0;
}

int
sim_trace_pai_machines(const char *path, struct cluster *cl, char **cause)
{
	struct sim_csv c;
	char *data = NULL;
	size_t len = 0, n = strlen(path);
	int rc;

	if (n > 7 && strcmp(path + n - 7, ".tar.gz") == 0 &&
	    (rc = sim_tar_member(path, "pai_machine_spec.csv", &data, &len,
	         cause)) < 0)
		return rc;
	rc = sim_csv_open(&c, path, data, len,
	    "machine,gpu_type,cap_cpu,cap_mem,cap_gpu", cause);
	if (rc == 0) {
		while ((rc = sim_csv_next(&c, cause)) > 0)
			if ((rc = sim_trace_pai_machine(&c, cl, cause)) < 0)
				break;
		sim_csv_close(&c);
	}
	free(data);
	return rc < 0 ? rc : 0;
}

/* One job: the column names of arrival, duration and GPUs differ. */
static int
sim_trace_job(struct sim_csv *c, struct sim_jobs *j, const char *const *cols,
    char **cause)
{
	int64_t arrival, duration, gpus;
	const char *pre = sim_csv_get(c, sim_csv_col(c, "preemptible"));
	struct sim_job *job;
	int rc;

	if ((rc = sim_trace_int(c, cols[1], 0, INT64_MAX / 4, &arrival,
	         cause)) < 0 ||
	    (rc = sim_trace_int(c, cols[2], 0, INT64_MAX / 4, &duration,
	         cause)) < 0 ||
	    (rc = sim_trace_int(c, cols[3], 1, 100000, &gpus, cause)) < 0)
		return rc;
	job = sim_jobs_add(j);
	snprintf(job->name, sizeof(job->name), "%s",
	    sim_csv_get(c, sim_csv_col(c, cols[0])));
	job->arrival = arrival;
	job->duration = duration > 0 ? duration : 1;
	job->gpus = (int32_t)gpus;
	job->preemptible = strcmp(pre, "False") != 0 && strcmp(pre, "0") != 0;
	return 0;
}

static int
sim_trace_jobs(const char *path, const char *const *cols, struct sim_jobs *j,
    char **cause)
{
	struct sim_csv c;
	int rc;

	if ((rc = sim_csv_open(&c, path, NULL, 0, NULL, cause)) < 0)
		return rc;
	if ((rc = sim_trace_need(&c, cols, cause)) == 0)
		while ((rc = sim_csv_next(&c, cause)) > 0)
			if ((rc = sim_trace_job(&c, j, cols, cause)) < 0)
				break;
	sim_csv_close(&c);
	return rc < 0 ? rc : 0;
}

int
sim_trace_pai_jobs(const char *path, struct sim_jobs *j, char **cause)
{
	static const char *const cols[] = { "job_id", "arrival_s",
		"service_sec", "gpu_count", NULL };

	return sim_trace_jobs(path, cols, j, cause);
}

int
sim_trace_philly_jobs(const char *path, struct sim_jobs *j, char **cause)
{
	static const char *const cols[] = { "job_id", "arrival_time",
		"duration", "gpu_count", NULL };

	return sim_trace_jobs(path, cols, j, cause);
}

static int
sim_job_cmp(const void *pa, const void *pb)
{
	const struct sim_job *a = pa, *b = pb;

	if (a->arrival != b->arrival)
		return a->arrival < b->arrival ? -1 : 1;
	return strcmp(a->name, b->name);
}

void
sim_jobs_normalize(struct sim_jobs *j)
{
	int64_t first;
	size_t i;

	if (j->n == 0)
		return;
	qsort(j->v, j->n, sizeof(*j->v), sim_job_cmp);
	first = j->v[0].arrival;
	for (i = 0; i < j->n; i++)
		j->v[i].arrival -= first;
}

int
sim_trace_nodes_spec(const char *spec, struct cluster *c)
{
	char model[MODEL_MAX_GPU_MODEL] = "GPU", name[64], *end;
	const char *colon = strchr(spec, ':');
	long count, gpus, i;

	count = strtol(spec, &end, 10);
	if (end == spec || *end != 'x' || count < 1 || count > 100000)
		return GQ_EINVAL;
	gpus = strtol(end + 1, &end, 10);
	if (gpus < 1 || gpus > MODEL_MAX_NODE_GPUS ||
	    (*end != '\0' && *end != ':'))
		return GQ_EINVAL;
	if (colon != NULL &&
	    (strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof(model)))
		return GQ_EINVAL;
	if (colon != NULL)
		snprintf(model, sizeof(model), "%s", colon + 1);
	for (i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "node-%04ld", i);
		cluster_add_node(c, name, (int32_t)gpus, model,
		    sim_trace_gpu_mem(model),
		    (int32_t)(gpus < 1 ? 8000 : gpus * 8000), gpus * 65536);
	}
	return 0;
}
