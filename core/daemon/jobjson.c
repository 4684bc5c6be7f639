/*
 * The job object of docs/PROTOCOL.md.
 */
#include <stdio.h>
#include <string.h>

#include "core/daemon/daemon.h"
#include "core/daemon/sweepd.h"
#include "core/daemon/telemetry.h"

static json_t *
jobjson_share(int32_t milli)
{
	return json_real((double)milli / MODEL_GPU_MILLI);
}

static json_t *
jobjson_request(const struct req *r)
{
	return json_pack("{s:o,s:I,s:o,s:I,s:I}", "gpus",
	    jobjson_share(r->gpus_milli), "gpu_mem_mb",
	    (json_int_t)r->gpu_mem_mb, "cpus",
	    json_real((double)r->cpus_milli / 1000), "mem_mb",
	    (json_int_t)r->mem_mb, "time_limit_s", (json_int_t)r->time_limit_s);
}

static json_t *
jobjson_alloc(struct daemon *d, const struct alloc *a)
{
	json_t *gpus = json_array();
	const char *uuid;
	int32_t i;

	for (i = 0; i < a->ngpus; i++) {
		/* On the executor's nodes (slurm) this host's GPUs are not
		 * the job's: no UUID. */
		uuid = d->exec->nodes == NULL &&
		        (size_t)a->gpus[i].gpu < d->inv.ngpus ?
		    d->inv.gpus[a->gpus[i].gpu].uuid :
		    "";
		json_array_append_new(gpus,
		    json_pack("{s:i,s:s,s:o,s:I}", "index", a->gpus[i].gpu,
		        "uuid", uuid, "share", jobjson_share(a->gpus[i].milli),
		        "mem_mb", (json_int_t)a->gpus[i].mem_mb));
	}
	return json_pack("{s:s,s:o,s:I,s:o}", "node",
	    (size_t)a->node < d->cluster.nnodes ?
	        d->cluster.nodes[a->node].name :
	        "",
	    "cpus", json_real((double)a->cpus_milli / 1000), "mem_mb",
	    (json_int_t)a->mem_mb, "gpus", gpus);
}

static json_t *
jobjson_strv(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *
jobjson_env(const struct job *j)
{
	json_t *o = json_object();
	const char *eq;
	char name[256];
	size_t i, n;

	for (i = 0; i < j->nenv; i++) {
		if ((eq = strchr(j->env[i], '=')) == NULL)
			continue;
		n = (size_t)(eq - j->env[i]);
		if (n >= sizeof(name))
			continue;
		memcpy(name, j->env[i], n);
		name[n] = '\0';
		json_object_set_new(o, name, json_string(eq + 1));
	}
	return o;
}

static json_t *
jobjson_nullable_int(int present, int64_t v)
{
	return present ? json_integer(v) : json_null();
}

/*
 * A waiting job's standing from the last plan: reason, position, the
 * estimated start (null: unknown), whether it holds a reservation, and
 * what would start it now (null: nothing known).
 */
static json_t *
jobjson_wait(const struct job *j)
{
	char hint[256];
	json_t *o;

	/* A suspended job that asked to resume waits like a pending one. */
	if ((j->core.state != JOB_PENDING &&
	        (j->core.state != JOB_SUSPENDED || j->life == NULL ||
	            !j->life->resume)) ||
	    j->wait == WAIT_NONE)
		return json_null();
	o = json_pack("{s:s,s:i}", "reason", sched_reason_name(j->wait),
	    "position", j->position);
	if (j->plan_wait.job_id != j->core.id)
		return o;
	sched_hint_text(&j->plan_wait, daemon_now(), hint, sizeof(hint));
	json_object_set_new(o, "eta",
	    j->plan_wait.eta > 0 ? json_integer(j->plan_wait.eta) :
	                           json_null());
	json_object_set_new(o, "reserved", json_boolean(j->plan_wait.reserved));
	json_object_set_new(o, "hint",
	    hint[0] != '\0' ? json_string(hint) : json_null());
	return o;
}

/* A running job's preemption risk: level, text, until (protection). */
static json_t *
jobjson_risk(const struct job *j)
{
	char text[256];

	sched_risk_text(&j->plan_risk, daemon_now(), text, sizeof(text));
	return json_pack("{s:s,s:s,s:o}", "level",
	    sched_risk_name(j->plan_risk.level), "text", text, "until",
	    j->plan_risk.until > 0 ? json_integer(j->plan_risk.until) :
	                             json_null());
}

/* Members that appear only when set, so older readers see no change. */
static void
jobjson_extras(const struct job *j, json_t *o)
{
	const struct req *r = &j->core.req;
	json_t *req = json_object_get(o, "request");

	if (r->pool[0] != '\0')
		json_object_set_new(req, "pool", json_string(r->pool));
	if (r->labels[0] != '\0')
		json_object_set_new(req, "labels", json_string(r->labels));
	if (r->gpu_model[0] != '\0')
		json_object_set_new(req, "gpu_model",
		    json_string(r->gpu_model));
	if (r->nodes > 1)
		json_object_set_new(req, "nodes", json_integer(r->nodes));
	if (j->ckpt_signal > 0)
		json_object_set_new(o, "checkpoint_signal",
		    json_string(sigabbrev_np(j->ckpt_signal) ?
		            sigabbrev_np(j->ckpt_signal) :
		            "?"));
	if (j->preemptions > 0)
		json_object_set_new(o, "preemptions",
		    json_integer(j->preemptions));
	if (j->core.state == JOB_RUNNING && j->plan_risk.job_id == j->core.id)
		json_object_set_new(o, "risk", jobjson_risk(j));
}

json_t *
jobjson_encode(struct daemon *d, const struct job *j, int detail)
{
	const struct job_core *c = &j->core;
	json_t *o;

	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:i,s:b,s:s,s:I,s:I,s:I}", "id",
	    (json_int_t)c->id, "name", j->name ? j->name : "", "user", c->user,
	    "project", c->project, "class", model_class_name(c->cls),
	    "priority", c->priority, "preemptible", c->preemptible, "state",
	    model_state_name(c->state), "submit_time",
	    (json_int_t)c->submit_time, "start_time", (json_int_t)j->start_time,
	    "end_time", (json_int_t)j->end_time);
	json_object_set_new(o, "request", jobjson_request(&c->req));
	json_object_set_new(o, "alloc",
	    j->start_time != 0 ? jobjson_alloc(d, &c->alloc) : json_null());
	json_object_set_new(o, "argv", jobjson_strv(j->argv, j->argc));
	json_object_set_new(o, "workdir",
	    json_string(j->workdir ? j->workdir : ""));
	json_object_set_new(o, "exit_code",
	    jobjson_nullable_int(j->exit_code >= 0, j->exit_code));
	json_object_set_new(o, "exit_signal",
	    jobjson_nullable_int(j->exit_signal > 0, j->exit_signal));
	json_object_set_new(o, "reason",
	    j->reason ? json_string(j->reason) : json_null());
	json_object_set_new(o, "attempt", json_integer(j->attempt));
	json_object_set_new(o, "kill_grace_s", json_integer(j->kill_grace_s));
	json_object_set_new(o, "wait", jobjson_wait(j));
	jobjson_extras(j, o);
	run_swap_json(d, j, o); /* suspended, swapping, pinned */
	run_deps_json(j, o);    /* after, afterok, held */
	/* The Slurm job of a job under the slurm executor. */
	run_nodes_json(d, j, o, detail);
	sweepd_json_job(d, j, o);
	telemetry_jobjson(d, j, o, detail); /* enforcement, idle, usage */
	if (detail)
		json_object_set_new(o, "env", jobjson_env(j));
	return o;
}
