/*
 * Archived jobs: finished jobs leave memory (docs/internals/daemon.md,
 * "Archived jobs").  The daemon keeps every job that has not ended and the
 * keep-finished most recently ended ones (optionally no older than an
 * age); on the tick, once there are an eighth more, the oldest ended ones
 * are archived: their rows (already in the store) are marked archived,
 * their runs' decayed usage is folded into a book kept in the store, and
 * they are freed.  A start loads only the rows not archived.
 *
 * What may name an old job reads the archive: verbs that only read get a
 * copy (jobs_archive_peek), verbs that may change a job bring it back into
 * memory (jobs_archive_fetch, through params_job), where it is kept like a
 * job that just ended.  A finished job that a waiting job depends on, or
 * that runs a sweep trial, is never archived (the dependency and sweep code
 * read jobs from memory).
 *
 * Invariant: a job is in d->jobs exactly when its row has archived = 0,
 * and the book holds the usage of exactly the archived rows, so usage
 * rebuilt from memory plus the book equals usage rebuilt from every job.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/sweepd.h"
#include "core/store/store-archive.h"

#define JOBS_ARCHIVE_AGE_CHECK_S 60 /* how often an age limit is applied */
/*
 * Jobs archived in one pass at most: a first start over a long history
 * (a store from before archiving) archives over several ticks rather than
 * stalling the loop for seconds.
 */
#define JOBS_ARCHIVE_PASS_MAX 50000

struct jobs_archive {
	struct usage_book book;     /* the archived runs' decayed usage */
	int64_t count[JOB_NSTATES]; /* archived jobs by state */
	int64_t total;
	struct job *peek; /* jobs_archive_peek's copy (owned) */
	size_t pinned;    /* ended jobs the last pass had to keep */
	int64_t last_age; /* the last pass for keep-finished's age */
	int book_known;   /* the book matches the archived rows */
};

/* A finished job that may be archived: when it ended, its id. */
struct jobs_archive_cand {
	int64_t end, id;
};

static struct jobs_archive *
jobs_archive_get(struct daemon *d)
{
	if (d->archive == NULL) {
		d->archive = xcalloc(1, sizeof(*d->archive));
		project_usage_init(&d->archive->book, 0, 0);
	}
	return d->archive;
}

void
jobs_archive_free(struct daemon *d)
{
	if (d->archive == NULL)
		return;
	job_free(d->archive->peek);
	project_usage_done(&d->archive->book);
	free(d->archive);
	d->archive = NULL;
}

/* The entry of (project, user) in b; made when create is set, else NULL. */
static struct usage_entry *
jobs_archive_entry(struct usage_book *b, const char *project, const char *user,
    int create)
{
	struct usage_entry *e;
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->e[i].project, project) == 0 &&
		    strcmp(b->e[i].user, user) == 0)
			return &b->e[i];
	if (!create)
		return NULL;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->e = xreallocarray(b->e, b->cap, sizeof(*b->e));
	}
	e = &b->e[b->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->project, sizeof(e->project), "%s", project);
	snprintf(e->user, sizeof(e->user), "%s", user);
	return e;
}

/*
 * Adds (sign 1) or takes out (sign -1) a finished run's usage, seen from
 * b->t, as run_usage_rebuild counts it: what the allocation held over
 * its run time (run_swap_usage_span: suspended time left out).
 */
static void
jobs_archive_book_run(struct usage_book *b, const struct job *j, double sign)
{
	double gpus = 0, w;
	struct usage_entry *e;
	int64_t start, end;
	int32_t g;

	run_swap_usage_span(j, &start, &end);
	end = end < b->t ? end : b->t;
	if (start <= 0 || end <= start || j->end_time < j->start_time ||
	    b->half_life_s <= 0 || !model_state_final(j->core.state))
		return;
	w = project_usage_weight(start, end, b->t, b->half_life_s);
	e = jobs_archive_entry(b, j->core.project, j->core.user, sign > 0);
	if (w <= 0 || e == NULL)
		return;
	for (g = 0; g < j->core.alloc.ngpus && g < MODEL_MAX_JOB_GPUS; g++)
		gpus += j->core.alloc.gpus[g].milli;
	e->gpu_s += sign * gpus * w;
	e->cpu_s += sign * (double)j->core.alloc.cpus_milli * w;
	e->mem_s += sign * (double)j->core.alloc.mem_mb * w;
	/* Taking out what was added may leave a rounding error below 0. */
	e->gpu_s = e->gpu_s < 0 ? 0 : e->gpu_s;
	e->cpu_s = e->cpu_s < 0 ? 0 : e->cpu_s;
	e->mem_s = e->mem_s < 0 ? 0 : e->mem_s;
}

/* The meta key of the archived count of state s. */
static void
jobs_archive_count_key(enum job_state s, char *key, size_t size)
{
	snprintf(key, size, "archived.%s", model_state_name(s));
}

/* Writes the book and the counts into the turn's transaction. */
static void
jobs_archive_save(struct daemon *d)
{
	struct jobs_archive *a = jobs_archive_get(d);
	struct usage_entry *e;
	char key[64];
	int s;

	store_begin(d->store);
	for (e = a->book.e; e != NULL && e < a->book.e + a->book.n; e++)
		store_archive_usage_put(d->store, e->project, e->user, e->gpu_s,
		    e->cpu_s, e->mem_s);
	store_meta_set(d->store, "archive.usage_t", a->book.t);
	store_meta_set(d->store, "archive.half_life",
	    a->book_known ? a->book.half_life_s : -1);
	for (s = 0; s < JOB_NSTATES; s++) {
		jobs_archive_count_key((enum job_state)s, key, sizeof(key));
		if (a->count[s] != 0 || model_state_final((enum job_state)s))
			store_meta_set(d->store, key, a->count[s]);
	}
}

static void
jobs_archive_load_entry(const char *project, const char *user, double gpu_s,
    double cpu_s, double mem_s, void *arg)
{
	struct usage_entry *e = jobs_archive_entry(arg, project, user, 1);

	e->gpu_s = gpu_s;
	e->cpu_s = cpu_s;
	e->mem_s = mem_s;
}

/* The counts and the book as the store has them. */
static void
jobs_archive_load_state(struct daemon *d, struct jobs_archive *a)
{
	int64_t t = 0, hl = -1;
	char key[64];
	int s;

	for (s = 0; s < JOB_NSTATES; s++) {
		jobs_archive_count_key((enum job_state)s, key, sizeof(key));
		if (store_meta_get(d->store, key, &a->count[s]) != 0)
			a->count[s] = 0;
		a->total += a->count[s];
	}
	if (store_meta_get(d->store, "archive.usage_t", &t) != 0 ||
	    store_meta_get(d->store, "archive.half_life", &hl) != 0)
		hl = -1;
	project_usage_done(&a->book);
	project_usage_init(&a->book, hl > 0 ? hl : 0, t);
	a->book_known = hl >= 0 || a->total == 0;
	store_archive_usage_each(d->store, jobs_archive_load_entry, &a->book);
}

void
jobs_archive_load(struct daemon *d, int (*add)(struct job *j, void *d))
{
	struct jobs_archive *a = jobs_archive_get(d);

	if (store_archive_load_live(d->store, add, d) != 0)
		log_error("store: could not load every job");
	jobs_archive_load_state(d, a);
	log_info("%zu jobs in memory (%zu ended), %lld ended ones archived",
	    d->njobs, d->njobs - d->nactive, (long long)a->total);
}

/*
 * The finished jobs a waiting job names in after or afterok: sorted ids
 * (new), *n of them.
 */
static int64_t *
jobs_archive_dep_ids(struct daemon *d, size_t *n)
{
	const struct job_life *l;
	int64_t *ids = NULL;
	size_t i, k, cap = 0;

	*n = 0;
	for (i = 0; i < d->nactive; i++) {
		if ((l = d->active[i]->life) == NULL)
			continue;
		if (*n + l->nafter + l->nafterok > cap) {
			cap = (cap + l->nafter + l->nafterok) * 2;
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		for (k = 0; k < l->nafter; k++)
			ids[(*n)++] = l->after[k];
		for (k = 0; k < l->nafterok; k++)
			ids[(*n)++] = l->afterok[k];
	}
	return ids;
}

static int
jobs_archive_cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
jobs_archive_cmp_end(const void *a, const void *b)
{
	const struct jobs_archive_cand *x = a, *y = b;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The ended jobs that may go, oldest end first (new); *n of them. */
static struct jobs_archive_cand *
jobs_archive_cands(struct daemon *d, size_t *n)
{
	struct jobs_archive_cand *c;
	int64_t *deps;
	size_t i, ndeps;
	struct job *j;

	deps = jobs_archive_dep_ids(d, &ndeps);
	if (ndeps > 0)
		qsort(deps, ndeps, sizeof(*deps), jobs_archive_cmp_id);
	c = xreallocarray(NULL, d->njobs - d->nactive + 1, sizeof(*c));
	*n = 0;
	d->archive->pinned = 0;
	for (i = 0; i < d->njobs; i++) {
		j = d->jobs[i];
		if (!model_state_final(j->core.state))
			continue;
		if ((ndeps > 0 &&
		        bsearch(&j->core.id, deps, ndeps, sizeof(*deps),
		            jobs_archive_cmp_id)) ||
		    sweepd_link_find(d, j->core.id) != NULL) {
			d->archive->pinned++;
			continue;
		}
		c[*n].end = j->end_time;
		c[(*n)++].id = j->core.id;
	}
	free(deps);
	qsort(c, *n, sizeof(*c), jobs_archive_cmp_end);
	return c;
}

/* Archives one job: its usage, its count (the row: the caller).  Frees it. */
static void
jobs_archive_one(struct daemon *d, struct job *j)
{
	struct jobs_archive *a = d->archive;

	jobs_archive_book_run(&a->book, j, 1);
	a->count[j->core.state]++;
	a->total++;
	job_free(j);
}

/* Archives the jobs whose ids are ids[0..n) (sorted); compacts d->jobs. */
static void
jobs_archive_take(struct daemon *d, const int64_t *ids, size_t n)
{
	size_t i, k = 0, w = 0;
	struct job *j;

	for (i = 0; i < d->njobs; i++) {
		j = d->jobs[i];
		while (k < n && ids[k] < j->core.id)
			k++;
		if (k < n && ids[k] == j->core.id)
			jobs_archive_one(d, j);
		else
			d->jobs[w++] = j;
	}
	d->njobs = w;
	/* A first start over a long history leaves a large table. */
	if (d->cap_jobs > 4096 && d->njobs < d->cap_jobs / 4) {
		d->cap_jobs = d->njobs * 2 > 1024 ? d->njobs * 2 : 1024;
		d->jobs = xreallocarray(d->jobs, d->cap_jobs, sizeof(*d->jobs));
	}
}

/* How many of the n candidates (oldest first) go now. */
static size_t
jobs_archive_due(struct daemon *d, const struct jobs_archive_cand *c, size_t n,
    int64_t now)
{
	size_t keep = (size_t)d->cfg.keep_finished, go;

	go = n > keep ? n - keep : 0;
	if (d->cfg.keep_finished_age_s > 0)
		while (go < n && c[go].end < now - d->cfg.keep_finished_age_s)
			go++;
	return go < JOBS_ARCHIVE_PASS_MAX ? go : JOBS_ARCHIVE_PASS_MAX;
}

static void
jobs_archive_pass(struct daemon *d, int64_t now)
{
	struct jobs_archive_cand *c;
	int64_t *ids;
	size_t n, go, i;

	c = jobs_archive_cands(d, &n);
	if ((go = jobs_archive_due(d, c, n, now)) == 0) {
		free(c);
		return;
	}
	ids = xreallocarray(NULL, go, sizeof(*ids));
	for (i = 0; i < go; i++)
		ids[i] = c[i].id;
	free(c);
	qsort(ids, go, sizeof(*ids), jobs_archive_cmp_id);
	store_begin(d->store);
	store_archive_set_many(d->store, ids, go, 1);
	project_usage_advance(&d->archive->book, now);
	jobs_archive_take(d, ids, go);
	free(ids);
	jobs_archive_save(d);
	daemon_kick(d);
#ifdef __GLIBC__
	if (go >= JOBS_ARCHIVE_PASS_MAX / 5)
		malloc_trim(0); /* many jobs freed: give the pages back */
#endif
	log_info("archived %zu ended jobs; %zu jobs in memory, %lld archived",
	    go, d->njobs, (long long)d->archive->total);
}

void
jobs_archive_tick(struct daemon *d, int64_t now)
{
	struct jobs_archive *a = jobs_archive_get(d);
	size_t ended = d->njobs - d->nactive, keep, aged = 0;

	keep = (size_t)d->cfg.keep_finished;
	if (d->cfg.keep_finished_age_s > 0 && ended > 0 &&
	    now - a->last_age >= JOBS_ARCHIVE_AGE_CHECK_S) {
		a->last_age = now;
		aged = 1;
	}
	if (!aged && ended <= a->pinned + keep + keep / 8)
		return;
	if (!a->book_known) /* never before the usage was rebuilt */
		return;
	jobs_archive_pass(d, now);
}

/* Puts j (not active) into d->jobs at its place by id. */
static void
jobs_archive_insert(struct daemon *d, struct job *j)
{
	size_t i = jobs_lower_bound(d, j->core.id);

	if (d->njobs == d->cap_jobs) {
		d->cap_jobs = d->cap_jobs ? d->cap_jobs * 2 : 1024;
		d->jobs = xreallocarray(d->jobs, d->cap_jobs, sizeof(*d->jobs));
	}
	memmove(&d->jobs[i + 1], &d->jobs[i],
	    (d->njobs - i) * sizeof(*d->jobs));
	d->jobs[i] = j;
	d->njobs++;
	j->active_idx = (size_t)-1;
}

static struct job *
jobs_archive_fetch_one(struct daemon *d, int64_t id)
{
	struct jobs_archive *a = jobs_archive_get(d);
	struct job *j;

	if ((j = jobs_find(d, id)) != NULL || a->total == 0 ||
	    id >= d->next_job_id)
		return j;
	if (store_archive_get(d->store, id, &j) != 0)
		return NULL;
	store_begin(d->store);
	if (store_archive_set(d->store, id, 0) != 0) {
		job_free(j);
		return NULL;
	}
	jobs_archive_book_run(&a->book, j, -1);
	a->count[j->core.state]--;
	a->total--;
	jobs_archive_insert(d, j);
	jobs_archive_save(d);
	log_debug("job %lld is back from the archive", (long long)id);
	return j;
}

/*
 * A job's dependencies come back with it: a requeued job must find them
 * (run-deps.c reads jobs from memory), and once it waits they are pinned.
 */
struct job *
jobs_archive_fetch(struct daemon *d, int64_t id)
{
	struct job *j = jobs_archive_fetch_one(d, id);
	size_t i;

	if (j == NULL || j->life == NULL || d->archive->total == 0)
		return j;
	for (i = 0; i < j->life->nafter; i++)
		(void)jobs_archive_fetch_one(d, j->life->after[i]);
	for (i = 0; i < j->life->nafterok; i++)
		(void)jobs_archive_fetch_one(d, j->life->afterok[i]);
	return j;
}

struct job *
jobs_archive_peek(struct daemon *d, int64_t id)
{
	struct jobs_archive *a = jobs_archive_get(d);
	struct job *j;

	if ((j = jobs_find(d, id)) != NULL || a->total == 0 ||
	    id >= d->next_job_id)
		return j;
	job_free(a->peek);
	a->peek = NULL;
	if (store_archive_get(d->store, id, &a->peek) != 0)
		return NULL;
	return a->peek;
}

int
jobs_archive_param(struct verb_ctx *v, struct job **out, char **cause)
{
	json_t *p = json_object_get(v->params, "id");
	int64_t id;
	int rc;

	if (p == NULL || json_is_null(p)) {
		*cause = xstrdup("\"id\" is required");
		return GQ_EINVAL;
	}
	rc = params_int(v->params, "id", 1, PROTO_MAX_ID_PARAM, 0, &id, cause);
	if (rc != 0)
		return rc;
	if ((*out = jobs_archive_peek(v->d, id)) == NULL) {
		*cause = xasprintf("no job %lld", (long long)id);
		return GQ_ENOENT;
	}
	return 0;
}

int
jobs_final_state(struct daemon *d, int64_t id, enum job_state *out)
{
	struct job *j = jobs_find(d, id);
	int rc;

	if (j != NULL)
		*out = j->core.state;
	else if ((rc = store_archive_state(d->store, id, out)) != 0)
		return rc;
	return model_state_final(*out) ? 1 : 0;
}

void
jobs_archive_count(struct daemon *d, size_t counts[JOB_NSTATES])
{
	struct jobs_archive *a = jobs_archive_get(d);
	int s;

	for (s = 0; s < JOB_NSTATES; s++)
		counts[s] += (size_t)a->count[s];
}

int64_t
jobs_archive_total(struct daemon *d)
{
	return jobs_archive_get(d)->total;
}

static int
jobs_archive_rescan_run(const struct job *j, void *arg)
{
	jobs_archive_book_run(arg, j, 1);
	return 0;
}

/* The book afresh from the archived rows, at another half-life. */
static void
jobs_archive_rescan(struct daemon *d, int64_t half_life, int64_t now)
{
	struct jobs_archive *a = d->archive;

	project_usage_done(&a->book);
	project_usage_init(&a->book, half_life, now);
	if (a->total > 0 && half_life > 0) {
		log_info("usage of %lld archived jobs: read again for a "
		         "half-life of %llds",
		    (long long)a->total, (long long)half_life);
		store_archive_runs(d->store, 0, jobs_archive_rescan_run,
		    &a->book);
	}
	a->book_known = 1;
	store_begin(d->store);
	store_archive_usage_clear(d->store);
	jobs_archive_save(d);
}

void
jobs_archive_usage(struct daemon *d, int64_t now)
{
	struct jobs_archive *a = jobs_archive_get(d);
	struct usage_entry *e, *u;
	double f;

	if (!a->book_known || a->book.half_life_s != d->usage.half_life_s)
		jobs_archive_rescan(d, d->usage.half_life_s, now);
	project_usage_advance(&a->book, now);
	project_usage_advance(&d->usage, a->book.t);
	f = project_usage_decay(d->usage.t - a->book.t, d->usage.half_life_s);
	for (e = a->book.e; e != NULL && e < a->book.e + a->book.n; e++) {
		u = jobs_archive_entry(&d->usage, e->project, e->user, 1);
		u->gpu_s += e->gpu_s * f;
		u->cpu_s += e->cpu_s * f;
		u->mem_s += e->mem_s * f;
	}
}

/* Brings back the archived jobs an array of ids names. */
static void
jobs_archive_deps_of(struct daemon *d, json_t *a)
{
	json_t *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > JOB_MAX_DEPS)
		return;
	json_array_foreach(a, i, v) {
		if (json_is_integer(v) && json_integer_value(v) > 0)
			(void)jobs_archive_fetch_one(d, json_integer_value(v));
	}
}

int
jobs_archive_deps(struct daemon *d, json_t *params)
{
	if (jobs_archive_get(d)->total == 0)
		return 0;
	jobs_archive_deps_of(d, json_object_get(params, "after"));
	jobs_archive_deps_of(d, json_object_get(params, "afterok"));
	return 0;
}

int
jobs_archive_runs(struct daemon *d, int64_t since,
    int (*cb)(const struct job *j, void *arg), void *arg)
{
	if (jobs_archive_get(d)->total == 0)
		return 0;
	return store_archive_runs(d->store, since, cb, arg);
}
