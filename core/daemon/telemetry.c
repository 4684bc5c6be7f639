/*
 * The sampler: a timer on the loop reads every GPU each
 * gpu-sample-interval, keeps the rounds in a ring (gpu-history-memory),
 * sums each minute into a rollup row of the store (kept
 * gpu-history-keep), publishes a gpu.sample event, takes a lost GPU out
 * of the scheduler's hands, and lets telemetry-jobs.c account for jobs.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/telemetry.h"
#include "core/store/store-gpu.h"
#include "remote/proto.h"

#define TEL_FLUSH_S 60   /* usage written at least this often */
#define TEL_PRUNE_S 3600 /* old rollups and usage dropped this often */

int32_t
telemetry_node(struct daemon *d)
{
	size_t i;

	/* Jobs run on the executor's nodes (slurm): none of them is here. */
	if (d->exec != NULL && d->exec->nodes != NULL)
		return -1;
	for (i = 0; i < d->cluster.nnodes; i++)
		if (strcmp(d->cluster.nodes[i].name, d->host) == 0)
			return (int32_t)i;
	return 0;
}

static void
telemetry_opts(struct daemon *d, struct gpu_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->probe = d->cfg.gpu.probe;
	o->fake_spec = d->cfg.fake_gpus;
	o->host = d->host;
	o->nvml_lib = d->cfg.gpu.nvml_lib;
	o->smi_path = d->cfg.gpu.smi_path;
	o->interval_ms = d->cfg.gpu.interval_s * 1000;
}

int
telemetry_open(struct daemon *d)
{
	struct telemetry *t = xcalloc(1, sizeof(*t));
	struct gpu_opts o;
	char cause[512];
	size_t i, cap;
	int rc;

	telemetry_opts(d, &o);
	if ((rc = gpu_open(&o, &t->dev, &d->inv, cause, sizeof(cause))) != 0) {
		log_error("%s", cause);
		free(t);
		return rc;
	}
	t->d = d;
	d->tel = t;
	d->gpu_ids = xcalloc(d->inv.ngpus + 1, sizeof(char *));
	for (i = 0; i < d->inv.ngpus; i++) {
		d->gpu_ids[i] = xstrdup(
		    d->inv.gpus[i].uuid[0] != '\0' ? d->inv.gpus[i].uuid : "");
		t->gpus[i].procs_ok = gpu_has_procs(t->dev);
	}
	cap = (size_t)(d->cfg.gpu.ring_s / d->cfg.gpu.interval_s) + 1;
	gpu_ring_init(&t->ring, cap, d->inv.ngpus);
	return 0;
}

/* Takes a lost GPU out of the capacity the scheduler plans with. */
static void
telemetry_capacity(struct telemetry *t, int32_t i, int lost)
{
	struct daemon *d = t->d;
	int32_t node = telemetry_node(d);
	struct node *nd;
	struct gpu *g;

	if (node < 0 || (size_t)node >= d->cluster.nnodes)
		return;
	nd = &d->cluster.nodes[node];
	if (i >= nd->ngpus)
		return;
	g = &nd->gpus[i];
	g->free_milli = lost ? 0 : MODEL_GPU_MILLI;
	g->free_mem_mb = lost ? 0 : g->mem_mb;
	d->sched_dirty = 1;
}

static void
telemetry_set_lost(struct telemetry *t, int32_t i, int lost, int64_t now)
{
	struct daemon *d = t->d;
	const char *uuid = d->inv.gpus[i].uuid;

	t->gpus[i].lost = lost;
	telemetry_capacity(t, i, lost);
	if (lost)
		log_warn("GPU %d (%s) is lost: no new job will start on it",
		    (int)i, uuid);
	else
		log_info("GPU %d (%s) answers again", (int)i, uuid);
	events_emit(d, "gpu.state",
	    json_pack("{s:i,s:s,s:s,s:I}", "index", (int)i, "uuid", uuid,
	        "state", lost ? "lost" : "ok", "time", (json_int_t)now));
	daemon_kick(d);
}

/* The minute's rollup of GPU i, into the store. */
static void
telemetry_rollup_write(struct telemetry *t, int32_t i)
{
	struct tel_gpu *g = &t->gpus[i];
	struct store_gpu_rollup r;

	memset(&r, 0, sizeof(r));
	r.gpu = i;
	r.minute = g->minute;
	r.samples = g->n;
	r.lost = g->nlost;
	r.util_avg = g->cnt[0] ? (int32_t)(g->sum[0] / g->cnt[0]) : -1;
	r.util_max = g->cnt[0] ? (int32_t)g->max[0] : -1;
	r.mem_avg_mb = g->cnt[1] ? g->sum[1] / g->cnt[1] : -1;
	r.mem_max_mb = g->cnt[1] ? g->max[1] : -1;
	r.temp_max = g->cnt[2] ? (int32_t)g->max[2] : -1;
	r.power_avg = g->cnt[3] ? (int32_t)(g->sum[3] / g->cnt[3]) : -1;
	store_begin(t->d->store);
	store_gpu_rollup_put(t->d->store, &r);
	daemon_kick(t->d);
}

static void
telemetry_rollup_add(struct telemetry *t, int32_t i, const struct gpu_sample *s,
    int64_t now)
{
	struct tel_gpu *g = &t->gpus[i];
	const int64_t v[4] = { s->util_pct, s->mem_used_mb, s->temp_c,
		s->power_w };
	int64_t minute = now - now % 60;
	int k;

	if (g->n > 0 && g->minute != minute)
		telemetry_rollup_write(t, i);
	if (g->n == 0 || g->minute != minute) {
		memset(g->cnt, 0, sizeof(g->cnt));
		memset(g->sum, 0, sizeof(g->sum));
		memset(g->max, 0, sizeof(g->max));
		g->n = g->nlost = 0;
		g->minute = minute;
	}
	g->n++;
	g->nlost += s->state == GPU_LOST;
	for (k = 0; k < 4; k++) {
		if (v[k] < 0)
			continue;
		g->cnt[k]++;
		g->sum[k] += v[k];
		if (v[k] > g->max[k])
			g->max[k] = v[k];
	}
}

/* What running jobs hold on each GPU of this node. */
static void
telemetry_holdings(struct daemon *d, int32_t *milli, int64_t *mem)
{
	int32_t node = telemetry_node(d), k, g;
	const struct alloc *a;
	size_t i;

	memset(milli, 0, sizeof(int32_t) * GPU_MAX);
	memset(mem, 0, sizeof(int64_t) * GPU_MAX);
	for (i = 0; i < d->nactive; i++) {
		a = &d->active[i]->core.alloc;
		if (d->active[i]->core.state != JOB_RUNNING || a->node != node)
			continue;
		for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++) {
			g = a->gpus[k].gpu;
			if (g < 0 || g >= GPU_MAX)
				continue;
			milli[g] += a->gpus[k].milli;
			mem[g] += a->gpus[k].mem_mb;
		}
	}
}

static json_t *
telemetry_num(int64_t v)
{
	return v >= 0 ? json_integer(v) : json_null();
}

/* One GPU of a gpu.sample event. */
static json_t *
telemetry_sample_json(const struct tel_gpu *g, const struct gpu_sample *s)
{
	json_t *o = json_pack("{s:i,s:o,s:o,s:o,s:o,s:f}", "index", s->index,
	    "util", telemetry_num(s->util_pct), "mem_used_mb",
	    telemetry_num(s->mem_used_mb), "temp_c", telemetry_num(s->temp_c),
	    "power_w", telemetry_num(s->power_w), "alloc",
	    g->alloc_milli / 1000.0);

	if (s->state != GPU_OK)
		json_object_set_new(o, "state",
		    json_string(s->state == GPU_LOST ? "lost" : "unknown"));
	return o;
}

/*
 * Whether c gets gpu.sample: subscribed to it (or to everything), not
 * replaying, and no reply waiting for the turn's commit (a sample never
 * overtakes the reply to events.subscribe; a skipped one is simply the
 * next round's).
 */
static int
telemetry_wants(const struct conn *c)
{
	const json_t *v;
	size_t i;

	if (!c->subscribed || c->closing || c->replay_since >= 0 ||
	    json_array_size(c->replies) > 0)
		return 0;
	if (c->sub_filter == NULL)
		return 1;
	json_array_foreach(c->sub_filter, i, v) {
		if (strcmp(json_string_value(v), "gpu.sample") == 0)
			return 1;
	}
	return 0;
}

/*
 * gpu.sample goes to its subscribers at once.  Telemetry is outside the
 * replayable stream, as job.log events are: seq 0, not kept for resuming,
 * so it neither floods the history nor moves a client's resume point.
 */
static void
telemetry_publish(struct telemetry *t, const struct gpu_sample *s, int64_t now)
{
	struct daemon *d = t->d;
	json_t *gpus, *ev;
	struct conn *c;
	char *line;
	size_t i, len;

	for (c = d->conns; c != NULL; c = c->next)
		if (telemetry_wants(c))
			break;
	if (c == NULL)
		return;
	gpus = json_array();
	for (i = 0; i < d->inv.ngpus; i++)
		json_array_append_new(gpus,
		    telemetry_sample_json(&t->gpus[i], &s[i]));
	ev = proto_event_new("gpu.sample", 0,
	    json_pack("{s:I,s:o}", "time", (json_int_t)now, "gpus", gpus));
	if ((line = proto_encode(ev, &len)) != NULL) {
		for (c = d->conns; c != NULL; c = c->next)
			if (telemetry_wants(c))
				conn_send_line(c, line, len);
		free(line);
	}
	json_decref(ev);
}

/* Old rollups and accounting go once an hour. */
static void
telemetry_prune(struct telemetry *t, int64_t now)
{
	struct daemon *d = t->d;

	if (now - t->last_prune < TEL_PRUNE_S)
		return;
	t->last_prune = now;
	store_begin(d->store);
	store_gpu_rollup_prune(d->store, now - d->cfg.gpu.keep_s);
	store_gpu_usage_prune(d->store, now - d->cfg.gpu.usage_keep_s);
	daemon_kick(d);
}

static void
telemetry_round(struct telemetry *t, int64_t now, double dt)
{
	struct daemon *d = t->d;
	struct gpu_sample s[GPU_MAX];
	int32_t milli[GPU_MAX];
	int64_t mem[GPU_MAX];
	int32_t i;

	telemetry_holdings(d, milli, mem);
	gpu_round(t->dev, now);
	t->mps = gpu_mps_active(d->cfg.gpu.mps_dir);
	for (i = 0; (size_t)i < d->inv.ngpus; i++) {
		gpu_sample(t->dev, i, milli[i], mem[i], now, &s[i]);
		if ((s[i].state == GPU_LOST) != t->gpus[i].lost)
			telemetry_set_lost(t, i, s[i].state == GPU_LOST, now);
		t->gpus[i].last = s[i];
		t->gpus[i].last_time = now;
		t->gpus[i].alloc_milli = milli[i];
		telemetry_rollup_add(t, i, &s[i], now);
	}
	gpu_ring_push(&t->ring, now, s);
	telemetry_jobs_round(t, s, now, dt);
	telemetry_publish(t, s, now);
	if (now - t->last_flush >= TEL_FLUSH_S) {
		telemetry_jobs_flush(t, 1);
		t->last_flush = now;
	}
	telemetry_prune(t, now);
	t->last_round = now;
	t->rounds++;
}

static void
telemetry_timer_cb(uv_timer_t *h)
{
	struct telemetry *t = h->data;
	uint64_t ms = uv_now(h->loop);
	double dt = 0, max = 3.0 * t->d->cfg.gpu.interval_s;

	if (t->last_ms != 0)
		dt = (double)(ms - t->last_ms) / 1000.0;
	/* A stall (the machine slept) is not counted as use. */
	if (dt > max)
		dt = max;
	t->last_ms = ms;
	telemetry_round(t, daemon_now(), dt);
}

void
telemetry_start(struct daemon *d)
{
	struct telemetry *t = d->tel;
	uint64_t ms;
	size_t i;

	if (t == NULL || d->inv.ngpus == 0)
		return;
	for (i = 0; i < d->inv.ngpus; i++)
		if (d->inv.gpus[i].lost)
			telemetry_set_lost(t, (int32_t)i, 1, daemon_now());
	t->last_flush = t->last_prune = daemon_now();
	ms = (uint64_t)d->cfg.gpu.interval_s * 1000;
	uv_timer_init(d->loop, &t->timer);
	t->timer.data = t;
	uv_timer_start(&t->timer, telemetry_timer_cb, 0, ms);
	t->timer_on = 1;
}

void
telemetry_stop(struct daemon *d)
{
	struct telemetry *t = d->tel;

	if (t == NULL)
		return;
	if (t->timer_on)
		uv_timer_stop(&t->timer);
	telemetry_jobs_flush(t, 1);
}

void
telemetry_free(struct daemon *d)
{
	struct telemetry *t = d->tel;

	if (t == NULL)
		return;
	gpu_close(t->dev);
	gpu_ring_done(&t->ring);
	free(t->jobs);
	free(t);
	d->tel = NULL;
}

void
telemetry_reload(struct daemon *d, struct config *fresh)
{
	telemetry_config_reload(&d->cfg, fresh);
}

void
telemetry_gpu_sample(struct daemon *d, int32_t i, int32_t milli, int64_t mem,
    int64_t now, struct gpu_sample *out)
{
	struct telemetry *t = d->tel;

	if (t != NULL && gpu_synthetic(t->dev)) {
		/* Fakes follow what jobs hold now, not two seconds ago. */
		gpu_sample(t->dev, i, milli, mem, now, out);
		return;
	}
	if (t != NULL && t->gpus[i].last_time > 0) {
		*out = t->gpus[i].last;
		return;
	}
	memset(out, 0, sizeof(*out));
	out->index = i;
	out->util_pct = out->temp_c = out->power_w = -1;
	out->mem_used_mb = -1;
	out->state = t != NULL && t->gpus[i].lost ? GPU_LOST : GPU_ERROR;
}

void
telemetry_gpu_json(struct daemon *d, int32_t i, json_t *o)
{
	struct telemetry *t = d->tel;
	const struct gpu_sample *s = t != NULL ? &t->gpus[i].last : NULL;
	static const char *const keys[] = { "util_pct", "mem_used_mb", "temp_c",
		"power_w" };
	size_t k;

	for (k = 0; k < 4; k++) {
		json_t *v = json_object_get(o, keys[k]);

		if (json_is_integer(v) && json_integer_value(v) < 0)
			json_object_set_new(o, keys[k], json_null());
	}
	if (t != NULL && t->gpus[i].lost)
		json_object_set_new(o, "state", json_string("lost"));
	if (d->inv.gpus[i].mig)
		json_object_set_new(o, "mig", json_true());
	if (s != NULL && t->gpus[i].nforeign > 0)
		json_object_set_new(o, "foreign_mem_mb",
		    json_integer(t->gpus[i].foreign_mb));
}
