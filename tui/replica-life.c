/*
 * The lifecycle members of a job (docs/PROTOCOL.md's job object):
 * suspended, held, dependencies, enforcement, idle, a sweep's trial; the
 * job.idle event; sweep events as lines of the Events view.  Pure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/replica-int.h"
#include "tui/replica.h"

static void
replica_life_deps(struct rjob *j, const json_t *o)
{
	static const char *const keys[2] = { "after", "afterok" };
	json_t *a, *v;
	size_t i, k;

	free(j->deps);
	j->deps = NULL;
	j->ndeps = 0;
	for (k = 0; k < 2; k++) {
		a = json_object_get(o, keys[k]);
		json_array_foreach(a, i, v) {
			if (!json_is_integer(v) || json_integer_value(v) <= 0 ||
			    j->ndeps >= REPLICA_MAX_DEPS)
				continue;
			if (j->deps == NULL)
				j->deps =
				    xcalloc(REPLICA_MAX_DEPS, sizeof(*j->deps));
			j->deps[j->ndeps].id = (int64_t)json_integer_value(v);
			j->deps[j->ndeps++].ok = (int)k;
		}
	}
}

/* suspended, idle, enforcement, held, sweep: the lifecycle members. */
void
replica_life_fill(struct replica *r, struct rjob *j, const json_t *o)
{
	json_t *susp = json_object_get(o, "suspended");
	json_t *idle = json_object_get(o, "idle");
	json_t *sweep = json_object_get(o, "sweep");

	j->susp_mech = json_is_object(susp) ?
	    replica_intern(r,
	        replica_str(susp, "mechanism") ?
	            replica_str(susp, "mechanism") :
	            "?") :
	    NULL;
	j->susp_since = replica_int(susp, "since", 0);
	j->idle_since =
	    json_is_object(idle) ? replica_int(idle, "since", 0) : 0;
	if (json_is_object(idle) && j->idle_since <= 0)
		j->idle_since = 1; /* idle, since when not said */
	j->idle_util = replica_int32(idle, "util", -1);
	j->enforcement = replica_intern(r, replica_str(o, "enforcement"));
	j->swap_op = replica_intern(r,
	    replica_str(json_object_get(o, "swapping"), "op"));
	j->pinned_for =
	    replica_int(json_object_get(o, "pinned"), "replaces", 0);
	j->held = json_is_true(json_object_get(o, "held"));
	j->sweep_id = replica_int32(sweep, "id", 0);
	j->sweep_trial = replica_int32(sweep, "trial", 0);
	replica_life_deps(j, o);
}

const char *
replica_life_susp_text(const char *mech)
{
	static const struct {
		const char *mech, *text;
	} m[] = {
		{ "stop", "stopped, GPU memory kept" },
		{ "signal", "saved itself on a signal and exited, requeued" },
		{ "cuda-checkpoint", "checkpointed to host" },
	};
	size_t i;

	for (i = 0; mech != NULL && i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(mech, m[i].mech) == 0)
			return m[i].text;
	return "suspended";
}

/* Whether dependency d of a job no longer holds it back. */
static int
replica_life_dep_done(const struct replica *r, const struct rjob_dep *d)
{
	const struct rjob *j = replica_job(r, d->id);

	if (j == NULL || !replica_state_final(j->state))
		return 0;
	return !d->ok || j->state == RSTATE_COMPLETED;
}

int
replica_life_deps_text(const struct replica *r, const struct rjob *j, char *out,
    size_t n)
{
	size_t k;
	int32_t i;
	int shown = 0;

	if (n > 0)
		out[0] = '\0';
	for (i = 0; i < j->ndeps; i++) {
		if (replica_life_dep_done(r, &j->deps[i]))
			continue;
		k = strlen(out);
		if (k + 32 >= n)
			break;
		snprintf(out + k, n - k, "%s%lld (%s)", shown ? ", " : "",
		    (long long)j->deps[i].id,
		    j->deps[i].ok ? "afterok" : "after");
		shown++;
	}
	return shown;
}

/* job.idle: a job became idle (idle: true) or busy again. */
int
replica_life_idle(struct replica *r, int64_t seq, const json_t *data,
    int64_t now)
{
	struct rjob *j = replica_job(r, replica_int(data, "job", 0));
	int idle = !json_is_false(json_object_get(data, "idle"));
	int64_t since = replica_int(data, "since", 0);

	if (j == NULL)
		return 0;
	j->idle_since = idle ? (since > 0 ? since : 1) : 0;
	j->idle_util = replica_int32(data, "util", -1);
	r->gen++;
	replica_event_add(r, seq, now, idle ? REVENT_WARN : REVENT_INFO, j->id,
	    xasprintf("job %lld (%s, %s): %s", (long long)j->id,
	        j->name ? j->name : "", j->user ? j->user : "?",
	        idle ? "idle: its GPUs do no work" : "busy again"));
	return 1;
}

/*
 * Sweep events as Events lines: a sweep's state, and a trial stopped
 * early.  A trial's metric reports (several a second) are not lines.
 */
void
replica_life_sweep(struct replica *r, const char *name, int64_t seq,
    const json_t *data, int64_t now)
{
	const json_t *s = json_object_get(data, "sweep");
	struct buf b;

	buf_init(&b, 4 * REPLICA_TEXT_MAX);
	if (strcmp(name, "sweep.state") == 0 && json_is_object(s)) {
		buf_printf(&b, "sweep %lld (",
		    (long long)replica_int(s, "id", 0));
		fmt_safe(&b,
		    replica_str(s, "name") ? replica_str(s, "name") : "");
		buf_addstr(&b, ", ");
		fmt_safe(&b,
		    replica_str(s, "user") ? replica_str(s, "user") : "?");
		buf_addstr(&b, "): ");
		fmt_safe(&b,
		    replica_str(s, "state") ? replica_str(s, "state") : "?");
		if (replica_str(s, "reason") != NULL) {
			buf_addstr(&b, ": ");
			fmt_safe(&b, replica_str(s, "reason"));
		}
	} else if (strcmp(name, "sweep.trial") == 0 &&
	    replica_str(data, "stopped_early") != NULL) {
		buf_printf(&b,
		    "sweep %lld trial %lld (job %lld) stopped early: ",
		    (long long)replica_int(data, "sweep", 0),
		    (long long)replica_int(data, "trial", 0),
		    (long long)replica_int(data, "job", 0));
		fmt_safe(&b, replica_str(data, "stopped_early"));
	}
	if (b.len > 0)
		replica_event_add(r, seq, now, REVENT_INFO,
		    replica_int(data, "job", 0), buf_take(&b));
	buf_done(&b);
}
