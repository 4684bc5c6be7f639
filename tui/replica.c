#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/replica-int.h"
#include "tui/replica.h"

#define REPLICA_MAX_ID ((INT64_C(1) << 53) - 1)

static const char *const replica_states[RSTATE_N] = { "RUNNING", "PENDING",
	"SUSPENDED", "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "UNKNOWN" };
static const char *const replica_codes[RSTATE_N] = { "R", "PD", "S", "CD", "F",
	"CA", "TO", "?" };

void
replica_init(struct replica *r)
{
	memset(r, 0, sizeof(*r));
	r->ev = xcalloc(REPLICA_MAX_EVENTS, sizeof(*r->ev));
	r->sync_gen = 1;
}

static void
replica_job_free(struct rjob *j)
{
	free(j->name);
	free(j->cmd);
	free(j->reason);
	free(j->gpus);
	free(j->deps);
	free(j);
}

static void
replica_gpus_free(struct rgpu *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(g[i].model);
		free(g[i].uuid);
		free(g[i].jobs);
	}
	free(g);
}

void
replica_done(struct replica *r)
{
	size_t i;

	for (i = 0; i < r->njobs; i++)
		replica_job_free(r->all[i]);
	free(r->all);
	free(r->tab);
	replica_gpus_free(r->gpus, r->ngpus);
	free(r->nodes);
	free(r->host);
	free(r->executor);
	free(r->gpu_source);
	for (i = 0; i < REPLICA_MAX_EVENTS; i++)
		free(r->ev[i].text);
	free(r->ev);
	for (i = 0; i < r->pool.cap; i++)
		free(r->pool.slot[i]);
	free(r->pool.slot);
	memset(r, 0, sizeof(*r));
}

const char *
replica_state_name(enum rstate s)
{
	return s < RSTATE_N ? replica_states[s] : "UNKNOWN";
}

const char *
replica_state_code(enum rstate s)
{
	return s < RSTATE_N ? replica_codes[s] : "?";
}

enum rstate
replica_state_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < RSTATE_UNKNOWN; i++)
		if (strcmp(s, replica_states[i]) == 0)
			return (enum rstate)i;
	return RSTATE_UNKNOWN;
}

int
replica_state_final(enum rstate s)
{
	return s != RSTATE_PENDING && s != RSTATE_RUNNING &&
	    s != RSTATE_SUSPENDED && s != RSTATE_UNKNOWN;
}

/* String interning: an open-addressing set of owned strings. */
static uint64_t
replica_strhash(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return h;
}

static void
replica_pool_grow(struct replica_pool *p)
{
	char **old = p->slot;
	size_t oldcap = p->cap, i, k;

	p->cap = p->cap ? p->cap * 2 : 64;
	p->slot = xcalloc(p->cap, sizeof(*p->slot));
	for (i = 0; i < oldcap; i++) {
		if (old[i] == NULL)
			continue;
		k = replica_strhash(old[i]) & (p->cap - 1);
		while (p->slot[k] != NULL)
			k = (k + 1) & (p->cap - 1);
		p->slot[k] = old[i];
	}
	free(old);
}

const char *
replica_intern(struct replica *r, const char *s)
{
	struct replica_pool *p = &r->pool;
	size_t k;

	if (s == NULL)
		return NULL;
	if ((p->used + 1) * 2 > p->cap)
		replica_pool_grow(p);
	k = replica_strhash(s) & (p->cap - 1);
	for (; p->slot[k] != NULL; k = (k + 1) & (p->cap - 1))
		if (strcmp(p->slot[k], s) == 0)
			return p->slot[k];
	p->slot[k] = xstrndup(s, REPLICA_TEXT_MAX);
	p->used++;
	return p->slot[k];
}

/* The job table: ids hashed with linear probing. */
static size_t
replica_slot(const struct replica *r, int64_t id)
{
	uint64_t h = (uint64_t)id * UINT64_C(0x9e3779b97f4a7c15);

	return (size_t)(h >> 17) & (r->tabcap - 1);
}

struct rjob *
replica_job(const struct replica *r, int64_t id)
{
	size_t k;

	if (r->tabcap == 0)
		return NULL;
	for (k = replica_slot(r, id); r->tab[k] != NULL;
	     k = (k + 1) & (r->tabcap - 1))
		if (r->tab[k]->id == id)
			return r->tab[k];
	return NULL;
}

static void
replica_tab_put(struct replica *r, struct rjob *j)
{
	size_t k = replica_slot(r, j->id);

	while (r->tab[k] != NULL)
		k = (k + 1) & (r->tabcap - 1);
	r->tab[k] = j;
}

static void
replica_tab_grow(struct replica *r)
{
	size_t i;

	r->tabcap = r->tabcap ? r->tabcap * 2 : 1024;
	free(r->tab);
	r->tab = xcalloc(r->tabcap, sizeof(*r->tab));
	for (i = 0; i < r->njobs; i++)
		replica_tab_put(r, r->all[i]);
}

/* Removes j from the hash (backward-shift deletion). */
static void
replica_tab_del(struct replica *r, const struct rjob *j)
{
	size_t i, k, want, mask = r->tabcap - 1;

	for (i = replica_slot(r, j->id); r->tab[i] != j; i = (i + 1) & mask)
		;
	r->tab[i] = NULL;
	for (k = (i + 1) & mask; r->tab[k] != NULL; k = (k + 1) & mask) {
		want = replica_slot(r, r->tab[k]->id);
		/* Move tab[k] into the hole if its home is not in (i, k]. */
		if ((k > i && (want <= i || want > k)) ||
		    (k < i && (want <= i && want > k))) {
			r->tab[i] = r->tab[k];
			r->tab[k] = NULL;
			i = k;
		}
	}
}

static struct rjob *
replica_job_new(struct replica *r, int64_t id)
{
	struct rjob *j = xcalloc(1, sizeof(*j));

	j->id = id;
	j->exit_code = INT32_MIN;
	if ((r->njobs + 1) * 2 > r->tabcap)
		replica_tab_grow(r);
	if (r->njobs == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->all = xreallocarray(r->all, r->cap, sizeof(*r->all));
	}
	j->slot = r->njobs;
	r->all[r->njobs++] = j;
	replica_tab_put(r, j);
	r->sgen++;
	return j;
}

static void
replica_job_remove(struct replica *r, struct rjob *j)
{
	replica_tab_del(r, j);
	r->all[j->slot] = r->all[--r->njobs];
	r->all[j->slot]->slot = j->slot;
	r->counts[j->state]--;
	replica_job_free(j);
	r->gen++;
	r->sgen++;
}

/* Tolerant readers: a missing or mistyped field reads as absent. */
int64_t
replica_int(const json_t *o, const char *k, int64_t def)
{
	json_t *v = json_object_get(o, k);

	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) > -9e15 &&
	    json_real_value(v) < 9e15)
		return (int64_t)json_real_value(v);
	return def;
}

int32_t
replica_int32(const json_t *o, const char *k, int32_t def)
{
	int64_t v = replica_int(o, k, def);

	return v < INT32_MIN + 1 || v > INT32_MAX ? def : (int32_t)v;
}

static int32_t
replica_milli(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? fmt_milli(v) : 0;
}

const char *
replica_str(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A copy of s cut to REPLICA_TEXT_MAX bytes at a character boundary. */
static char *
replica_strdup(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n < REPLICA_TEXT_MAX)
		return xstrdup(s);
	n = REPLICA_TEXT_MAX - 1;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return xstrndup(s, n);
}

static void
replica_set(char **dst, const char *s)
{
	free(*dst);
	*dst = replica_strdup(s);
}

static void
replica_fill_alloc(struct replica *r, struct rjob *j, const json_t *alloc)
{
	json_t *gpus = json_object_get(alloc, "gpus"), *g;
	size_t i, n;

	free(j->gpus);
	j->gpus = NULL;
	j->ngpus = 0;
	j->node = replica_intern(r, replica_str(alloc, "node"));
	if (!json_is_array(gpus) || json_array_size(gpus) == 0)
		return;
	n = json_array_size(gpus);
	if (n > REPLICA_MAX_JOBGPU)
		n = REPLICA_MAX_JOBGPU;
	j->gpus = xcalloc(n, sizeof(*j->gpus));
	for (i = 0; i < n; i++) {
		g = json_array_get(gpus, i);
		j->gpus[i].index = replica_int32(g, "index", -1);
		j->gpus[i].milli = replica_milli(g, "share");
	}
	j->ngpus = (int32_t)n;
}

static void
replica_fill_request(struct rjob *j, const json_t *req)
{
	j->gpus_milli = replica_milli(req, "gpus");
	j->gpu_mem_mb = replica_int(req, "gpu_mem_mb", 0);
	j->cpus_milli = replica_milli(req, "cpus");
	j->mem_mb = replica_int(req, "mem_mb", 0);
	j->time_limit_s = replica_int(req, "time_limit_s", 0);
}

static void
replica_fill_cmd(struct rjob *j, const json_t *argv)
{
	struct buf b;

	free(j->cmd);
	j->cmd = NULL;
	if (!json_is_array(argv))
		return;
	buf_init(&b, 64 * 1024);
	fmt_argv(&b, argv);
	j->cmd = replica_strdup(b.data != NULL ? b.data : "");
	buf_done(&b);
}

static void
replica_fill(struct replica *r, struct rjob *j, const json_t *o)
{
	json_t *wait = json_object_get(o, "wait");
	json_t *ps = json_object_get(o, "preemptible");

	j->user = replica_intern(r, replica_str(o, "user"));
	j->project = replica_intern(r, replica_str(o, "project"));
	j->cls = replica_intern(r, replica_str(o, "class"));
	replica_set(&j->name, replica_str(o, "name"));
	replica_set(&j->reason, replica_str(o, "reason"));
	j->state = replica_state_parse(replica_str(o, "state"));
	j->priority = replica_int32(o, "priority", 0);
	j->attempt = replica_int32(o, "attempt", 0);
	j->preemptible = json_is_boolean(ps) ? json_is_true(ps) : -1;
	j->submit_time = replica_int(o, "submit_time", 0);
	j->start_time = replica_int(o, "start_time", 0);
	j->end_time = replica_int(o, "end_time", 0);
	j->exit_code = replica_int32(o, "exit_code", INT32_MIN);
	j->exit_signal = replica_int32(o, "exit_signal", 0);
	j->wait_reason = replica_intern(r, replica_str(wait, "reason"));
	j->position = replica_int32(wait, "position", 0);
	replica_fill_request(j, json_object_get(o, "request"));
	replica_fill_alloc(r, j, json_object_get(o, "alloc"));
	replica_fill_cmd(j, json_object_get(o, "argv"));
	replica_life_fill(r, j, o);
}

int
replica_job_apply(struct replica *r, const json_t *job, int *old)
{
	int64_t id = replica_int(job, "id", -1);
	struct rjob *j;

	if (old != NULL)
		*old = -1;
	if (!json_is_object(job) ||
	    !json_is_integer(json_object_get(job, "id")) || id <= 0 ||
	    id > REPLICA_MAX_ID)
		return 0;
	if ((j = replica_job(r, id)) == NULL)
		j = replica_job_new(r, id);
	else {
		if (old != NULL)
			*old = (int)j->state;
		r->counts[j->state]--;
	}
	replica_fill(r, j, job);
	r->counts[j->state]++;
	j->gen = r->sync_gen;
	r->gen++;
	return 1;
}

void
replica_sync_begin(struct replica *r)
{
	r->syncing = 1;
	if (++r->sync_gen == 0)
		r->sync_gen = 1;
}

size_t
replica_sync_page(struct replica *r, const json_t *result)
{
	json_t *jobs = json_object_get(result, "jobs"), *j;
	size_t i, n = 0;

	json_array_foreach(jobs, i, j)
		n += (size_t)replica_job_apply(r, j, NULL);
	return n;
}

void
replica_sync_end(struct replica *r)
{
	struct rjob *j;
	size_t i;

	for (i = r->njobs; i-- > 0;) {
		j = r->all[i];
		if (!replica_state_final(j->state) && j->gen != r->sync_gen)
			replica_job_remove(r, j);
	}
	r->syncing = 0;
	r->synced = 1;
}

void
replica_event_add(struct replica *r, int64_t seq, int64_t now,
    enum revent_level level, int64_t job, char *text)
{
	struct revent *e;

	if (r->ev_len == REPLICA_MAX_EVENTS) {
		e = &r->ev[r->ev_head];
		free(e->text);
		r->ev_head = (r->ev_head + 1) % REPLICA_MAX_EVENTS;
		r->ev_len--;
	}
	e = &r->ev[(r->ev_head + r->ev_len) % REPLICA_MAX_EVENTS];
	e->seq = seq;
	e->time = now;
	e->level = level;
	e->job = job;
	e->text = text;
	r->ev_len++;
	r->ev_gen++;
}

const struct revent *
replica_event_at(const struct replica *r, size_t i)
{
	if (i >= r->ev_len)
		return NULL;
	return &r->ev[(r->ev_head + i) % REPLICA_MAX_EVENTS];
}

void
replica_note(struct replica *r, int64_t now, enum revent_level level,
    int64_t job, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	replica_event_add(r, 0, now, level, job, text);
}

/* "vm:0,1" for a job holding GPUs 0 and 1 of node vm. */
static void
replica_where(const struct rjob *j, struct buf *b)
{
	int32_t i;

	if (j->node == NULL)
		return;
	fmt_safe(b, j->node);
	for (i = 0; i < j->ngpus; i++)
		buf_printf(b, "%c%d", i ? ',' : ':', (int)j->gpus[i].index);
}

static void
replica_outcome(const struct rjob *j, struct buf *b)
{
	char sig[32];

	if (j->state == RSTATE_RUNNING && j->node != NULL) {
		buf_addstr(b, " on ");
		replica_where(j, b);
	} else if (j->state == RSTATE_SUSPENDED && j->susp_mech != NULL)
		buf_printf(b, " (%s)", replica_life_susp_text(j->susp_mech));
	else if (j->state == RSTATE_PENDING && j->held)
		buf_addstr(b, " (held)");
	else if (j->state == RSTATE_PENDING && j->wait_reason != NULL) {
		buf_addstr(b, " (");
		fmt_safe(b, j->wait_reason);
		buf_printf(b, " #%d)", (int)j->position);
	} else if (j->exit_signal > 0)
		buf_printf(b, " (signal %s)",
		    fmt_signal(j->exit_signal, sig, sizeof(sig)));
	else if (j->exit_code != INT32_MIN && replica_state_final(j->state))
		buf_printf(b, " (exit %d)", (int)j->exit_code);
	if (j->reason != NULL && replica_state_final(j->state)) {
		buf_addstr(b, ": ");
		fmt_safe(b, j->reason);
	}
}

/* The line for a job.state event; old is the state before, or -1. */
static char *
replica_state_text(const struct rjob *j, int old)
{
	struct buf b;

	buf_init(&b, 4 * REPLICA_TEXT_MAX);
	buf_printf(&b, "job %lld (", (long long)j->id);
	fmt_safe(&b, j->name != NULL ? j->name : "");
	buf_addstr(&b, ", ");
	fmt_safe(&b, j->user != NULL ? j->user : "?");
	buf_addstr(&b, "): ");
	if (old < 0)
		buf_addstr(&b, "submitted, ");
	else if (old != (int)j->state)
		buf_printf(&b, "%s -> ", replica_state_name((enum rstate)old));
	buf_addstr(&b, replica_state_name(j->state));
	replica_outcome(j, &b);
	return buf_take(&b);
}

static int
replica_event_job(struct replica *r, int64_t seq, const json_t *data,
    int64_t now)
{
	struct rjob *j;
	int64_t id;
	int old;

	if (!replica_job_apply(r, json_object_get(data, "job"), &old))
		return 0;
	id = replica_int(json_object_get(data, "job"), "id", 0);
	if ((j = replica_job(r, id)) == NULL)
		return 1;
	replica_event_add(r, seq, now,
	    j->state == RSTATE_FAILED || j->state == RSTATE_TIMEOUT ?
	        REVENT_WARN :
	        REVENT_INFO,
	    id, replica_state_text(j, old));
	return 1;
}

int
replica_event(struct replica *r, const char *name, int64_t seq,
    const json_t *data, int64_t now)
{
	char *dump, *text;

	if (seq > r->seq)
		r->seq = seq;
	if (strcmp(name, "job.state") == 0)
		return replica_event_job(r, seq, data, now);
	if (strcmp(name, "job.log") == 0)
		return 0;
	if (strcmp(name, "gpu.sample") == 0) {
		replica_gpu_sample(r, data);
		return 0;
	}
	if (strcmp(name, "job.idle") == 0)
		return replica_life_idle(r, seq, data, now);
	if (strncmp(name, "sweep.", 6) == 0) {
		replica_life_sweep(r, name, seq, data, now);
		return 0;
	}
	dump = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	text = xasprintf("%.64s %.200s", name, dump != NULL ? dump : "");
	free(dump);
	replica_event_add(r, seq, now, REVENT_INFO, 0, text);
	return 0;
}

static void
replica_gpu_jobs(struct replica *r, struct rgpu *g, const json_t *jobs)
{
	json_t *e;
	size_t i, n;

	if (!json_is_array(jobs) || (n = json_array_size(jobs)) == 0)
		return;
	if (n > REPLICA_MAX_JOBGPU)
		n = REPLICA_MAX_JOBGPU;
	g->jobs = xcalloc(n, sizeof(*g->jobs));
	for (i = 0; i < n; i++) {
		e = json_array_get(jobs, i);
		g->jobs[i].id = replica_int(e, "id", 0);
		g->jobs[i].user = replica_intern(r, replica_str(e, "user"));
		g->jobs[i].milli = replica_milli(e, "share");
	}
	g->njobs = (int32_t)n;
}

int
replica_pct(int64_t v, int64_t of)
{
	if (of <= 0 || v <= 0)
		return 0;
	return v >= of ? 100 : (int)(v * 100 / of);
}

void
replica_hist_push(struct rgpu *g)
{
	g->util_hist[g->hist_head] = (uint8_t)replica_pct(g->util_pct, 100);
	g->mem_hist[g->hist_head] =
	    (uint8_t)replica_pct(g->mem_used_mb, g->mem_mb);
	g->hist_head = (g->hist_head + 1) % REPLICA_HIST;
	if (g->hist_len < REPLICA_HIST)
		g->hist_len++;
}

/* Carries a GPU's history over from the last status; adds a sample when
 * sample says so (the daemon sends none of its own). */
static void
replica_gpu_hist(struct rgpu *g, const struct rgpu *old, size_t nold,
    int sample)
{
	size_t i;

	for (i = 0; i < nold; i++)
		if (old[i].node == g->node && old[i].index == g->index) {
			memcpy(g->util_hist, old[i].util_hist,
			    sizeof(g->util_hist));
			memcpy(g->mem_hist, old[i].mem_hist,
			    sizeof(g->mem_hist));
			g->hist_len = old[i].hist_len;
			g->hist_head = old[i].hist_head;
			break;
		}
	if (sample)
		replica_hist_push(g);
}

static void
replica_gpu_fill(struct replica *r, struct rgpu *g, const char *node,
    const json_t *o)
{
	const char *model = replica_str(o, "model");

	g->node = node;
	g->index = replica_int32(o, "index", -1);
	g->model =
	    replica_strdup(model != NULL ? model : replica_str(o, "name"));
	g->uuid = replica_strdup(replica_str(o, "uuid"));
	g->mem_mb = replica_int(o, "mem_mb", 0);
	g->alloc_mem_mb = replica_int(o, "alloc_mem_mb", 0);
	g->mem_used_mb = replica_int(o, "mem_used_mb", 0);
	g->alloc_milli = replica_milli(o, "alloc");
	g->util_pct = replica_int32(o, "util_pct", 0);
	g->temp_c = replica_int32(o, "temp_c", 0);
	g->power_w = replica_int32(o, "power_w", 0);
	replica_gpu_jobs(r, g, json_object_get(o, "jobs"));
}

static size_t
replica_count_gpus(const json_t *nodes)
{
	size_t i, n = 0;
	json_t *nd;

	json_array_foreach(nodes, i, nd) {
		json_t *g = json_object_get(nd, "gpus");

		if (json_is_array(g))
			n += json_array_size(g);
	}
	return n > REPLICA_MAX_GPUS ? REPLICA_MAX_GPUS : n;
}

static void
replica_node_fill(struct replica *r, struct rnode *n, const json_t *o)
{
	n->name = replica_intern(r,
	    replica_str(o, "name") != NULL ? replica_str(o, "name") : "?");
	n->cpus_milli = replica_milli(o, "cpus");
	n->cpus_alloc_milli = replica_milli(o, "cpus_alloc");
	n->mem_mb = replica_int(o, "mem_mb", 0);
	n->mem_alloc_mb = replica_int(o, "mem_alloc_mb", 0);
}

void
replica_status(struct replica *r, const json_t *result)
{
	json_t *nodes = json_object_get(result, "nodes"), *nd, *gs, *g;
	struct rgpu *old = r->gpus;
	size_t nold = r->ngpus, i, k, cap;

	if (!json_is_array(nodes))
		nodes = NULL;
	cap = replica_count_gpus(nodes);
	r->gpus = xcalloc(cap ? cap : 1, sizeof(*r->gpus));
	r->ngpus = 0;
	free(r->nodes);
	r->nnodes = nodes ? json_array_size(nodes) : 0;
	r->nodes = xcalloc(r->nnodes ? r->nnodes : 1, sizeof(*r->nodes));
	for (i = 0; i < r->nnodes; i++) {
		nd = json_array_get(nodes, i);
		replica_node_fill(r, &r->nodes[i], nd);
		r->nodes[i].first_gpu = r->ngpus;
		gs = json_object_get(nd, "gpus");
		json_array_foreach(gs, k, g) {
			if (r->ngpus == cap)
				break;
			replica_gpu_fill(r, &r->gpus[r->ngpus],
			    r->nodes[i].name, g);
			replica_gpu_hist(&r->gpus[r->ngpus++], old, nold,
			    !r->live_samples);
		}
		r->nodes[i].ngpus = r->ngpus - r->nodes[i].first_gpu;
	}
	replica_gpus_free(old, nold);
	replica_set(&r->host, replica_str(result, "host"));
	replica_set(&r->executor, replica_str(result, "executor"));
	replica_set(&r->gpu_source, replica_str(result, "gpu_source"));
	r->have_status = 1;
	r->gpu_gen++;
}

int
replica_hist(const struct rgpu *g, int mem, size_t i)
{
	size_t k;

	if (i >= g->hist_len)
		return 0;
	k = (g->hist_head + REPLICA_HIST - g->hist_len + i) % REPLICA_HIST;
	return mem ? g->mem_hist[k] : g->util_hist[k];
}

int
replica_job_util(const struct replica *r, const struct rjob *j)
{
	int32_t i, sum = 0, n = 0;
	size_t k;

	if (j->state != RSTATE_RUNNING || j->node == NULL || !r->have_status)
		return -1;
	for (i = 0; i < j->ngpus; i++)
		for (k = 0; k < r->ngpus; k++)
			if (r->gpus[k].node == j->node &&
			    r->gpus[k].index == j->gpus[i].index) {
				sum += r->gpus[k].util_pct;
				n++;
				break;
			}
	return n ? sum / n : -1;
}
