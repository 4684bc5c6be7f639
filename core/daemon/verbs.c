/*
 * The verb table, and what every request goes through: the table lookup,
 * the idempotency key of mutating verbs, the reply queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/verbs.h"
#include "remote/proto.h"

#define VERBS_MAX_KEY 128

static const struct verb verbs_table[] = {
	{ "hello", 0, verb_hello },
	{ "job.submit", 1, verb_job_submit },
	{ "job.list", 0, verb_job_list },
	{ "job.show", 0, verb_job_show },
	{ "job.cancel", 1, verb_job_cancel },
	{ "job.logs", 0, verb_job_logs },
	{ "cluster.status", 0, verb_cluster_status },
	{ "job.suspend", 1, verb_job_suspend },
	{ "job.resume", 1, verb_job_resume },
	{ "job.swap", 1, verb_job_swap },
	{ "job.hold", 1, verb_job_hold },
	{ "job.release", 1, verb_job_release },
	{ "job.requeue", 1, verb_job_requeue },
	{ "job.update", 1, verb_job_update },
	{ "job.attach", 0, verb_job_attach },
	{ "project.list", 0, verb_project_list },
	{ "project.show", 0, verb_project_show },
	{ "sweep.create", 1, verb_sweep_create },
	{ "sweep.list", 0, verb_sweep_list },
	{ "sweep.show", 0, verb_sweep_show },
	{ "sweep.pause", 1, verb_sweep_pause },
	{ "sweep.resume", 1, verb_sweep_resume },
	{ "sweep.stop", 1, verb_sweep_stop },
	{ "events.subscribe", 0, verb_events_subscribe },
	{ "server.stats", 0, verb_server_stats },
	{ "server.ping", 0, verb_server_ping },
	{ "gpu.history", 0, verb_gpu_history },
	{ "usage.report", 0, verb_usage_report },
};

#define NVERBS (sizeof(verbs_table) / sizeof(verbs_table[0]))

json_t *
verbs_names(void)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < NVERBS; i++)
		json_array_append_new(a, json_string(verbs_table[i].name));
	return a;
}

static const struct verb *
verbs_find(const char *name)
{
	size_t i;

	for (i = 0; i < NVERBS; i++)
		if (strcmp(verbs_table[i].name, name) == 0)
			return &verbs_table[i];
	return NULL;
}

static void
verbs_reply(struct conn *c, int64_t id, int rc, json_t *result,
    const char *cause)
{
	json_t *msg;

	if (rc == 0)
		msg = proto_reply_new(id, result);
	else
		msg = proto_error_new(id, rc, cause);
	json_array_append_new(c->replies, msg);
}

/*
 * Takes "key" out of params.  Returns 0 with *key (borrowed from a copy
 * the caller frees, or NULL), or EINVAL.
 */
static int
verbs_take_key(json_t *params, char **key, char **cause)
{
	json_t *k = json_object_get(params, "key");

	*key = NULL;
	if (k == NULL)
		return 0;
	if (!json_is_string(k) || json_string_length(k) == 0 ||
	    json_string_length(k) > VERBS_MAX_KEY) {
		*cause = xstrdup("\"key\" must be a string of 1 to 128 bytes");
		return GQ_EINVAL;
	}
	*key = xstrdup(json_string_value(k));
	json_object_del(params, "key");
	return 0;
}

/* A retried request: answers with the first reply.  1 when answered. */
static int
verbs_replay(struct conn *c, int64_t id, const char *verb, const char *key)
{
	char *sverb = NULL, *sreply = NULL;
	json_t *result;
	int done = 1;

	store_begin(c->d->store);
	if (store_idem_get(c->d->store, c->user, key, &sverb, &sreply) != 0)
		return 0;
	if (strcmp(sverb, verb) != 0)
		verbs_reply(c, id, GQ_EINVAL, NULL,
		    "this key was already used for another verb");
	else if ((result = json_loads(sreply, 0, NULL)) != NULL)
		verbs_reply(c, id, 0, result, NULL);
	else
		done = 0;
	free(sverb);
	free(sreply);
	return done;
}

static void
verbs_remember(struct conn *c, const char *verb, const char *key,
    json_t *result, int64_t now)
{
	char *s = json_dumps(result, JSON_COMPACT);

	store_begin(c->d->store);
	store_idem_put(c->d->store, c->user, key, verb, s, now);
	free(s);
}

static void
verbs_run(struct conn *c, const struct verb *vb, int64_t id, json_t *params)
{
	struct verb_ctx v = { c->d, c, id, params, daemon_now() };
	json_t *result = NULL;
	char *cause = NULL, *key = NULL;
	int rc;

	if (vb->mutating && (rc = verbs_take_key(params, &key, &cause)) != 0)
		goto out;
	if (key != NULL && verbs_replay(c, id, vb->name, key)) {
		free(key);
		return;
	}
	rc = vb->fn(&v, &result, &cause);
	if (rc == 0 && key != NULL)
		verbs_remember(c, vb->name, key, result, v.now);
out:
	verbs_reply(c, id, rc, result, cause);
	free(cause);
	free(key);
}

void
verbs_dispatch(struct conn *c, int64_t id, const char *verb, json_t *params)
{
	const struct verb *vb = verbs_find(verb);
	char why[128];

	c->d->requests++;
	if (vb == NULL) {
		snprintf(why, sizeof(why), "unknown verb \"%.64s\"", verb);
		verbs_reply(c, id, GQ_ENOSYS, NULL, why);
		return;
	}
	verbs_run(c, vb, id, params);
}
