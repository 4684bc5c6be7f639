/*
 * A job's life (swap state, dependencies, hold; issue 6) as one JSON text
 * in the jobs table's "life" column.  Only what is set is written, and
 * most jobs have nothing: the column is then NULL.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/store/store-life.h"

static json_t *
store_life_ids(const int64_t *ids, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	return a;
}

static json_t *
store_life_alloc(const struct alloc *a)
{
	json_t *gpus = json_array();
	int32_t i;

	for (i = 0; i < a->ngpus && i < MODEL_MAX_JOB_GPUS; i++)
		json_array_append_new(gpus,
		    json_pack("[iiI]", (int)a->gpus[i].gpu,
		        (int)a->gpus[i].milli, (json_int_t)a->gpus[i].mem_mb));
	return json_pack("{s:i,s:o,s:i,s:I}", "node", (int)a->node, "gpus",
	    gpus, "cpus_milli", (int)a->cpus_milli, "mem_mb",
	    (json_int_t)a->mem_mb);
}

static void
store_life_set_int(json_t *o, const char *k, int64_t v)
{
	if (v != 0)
		json_object_set_new(o, k, json_integer(v));
}

static void
store_life_set_str(json_t *o, const char *k, const char *v)
{
	json_t *s;

	if (v != NULL && (s = json_string(v)) != NULL)
		json_object_set_new(o, k, s);
}

static void
store_life_encode_swap(const struct job_life *l, json_t *o)
{
	store_life_set_int(o, "mech", l->mech);
	store_life_set_int(o, "op", l->op);
	store_life_set_int(o, "seq", l->seq);
	store_life_set_int(o, "resume", l->resume);
	store_life_set_int(o, "user_hold", l->user_hold);
	store_life_set_int(o, "requeue", l->requeue);
	store_life_set_int(o, "kind", l->kind);
	store_life_set_int(o, "retry", l->retry);
	store_life_set_int(o, "since", l->since);
	store_life_set_int(o, "ran_s", l->ran_s);
	store_life_set_int(o, "for_job", l->for_job);
	store_life_set_int(o, "pin_from", l->pin_from);
	store_life_set_str(o, "where", l->where);
	store_life_set_str(o, "error", l->error);
	if (l->left != NULL)
		json_object_set_new(o, "left", store_life_alloc(l->left));
	if (l->pin != NULL)
		json_object_set_new(o, "pin", store_life_alloc(l->pin));
}

char *
store_life_encode(const struct job *j)
{
	const struct job_life *l = j->life;
	json_t *o;
	char *s = NULL;

	if (l == NULL && !(j->core.flags & JOB_F_HELD))
		return NULL;
	o = json_object();
	if (j->core.flags & JOB_F_HELD)
		json_object_set_new(o, "held", json_true());
	if (l != NULL) {
		if (l->nafter > 0)
			json_object_set_new(o, "after",
			    store_life_ids(l->after, l->nafter));
		if (l->nafterok > 0)
			json_object_set_new(o, "afterok",
			    store_life_ids(l->afterok, l->nafterok));
		store_life_encode_swap(l, o);
	}
	if (json_object_size(o) > 0)
		s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static int
store_life_decode_ids(json_t *a, int64_t **ids, size_t *n)
{
	json_t *v;
	size_t i;

	if (a == NULL)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > JOB_MAX_DEPS)
		return GQ_EIO;
	*ids = xcalloc(json_array_size(a) + 1, sizeof(**ids));
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v))
			return GQ_EIO;
		(*ids)[i] = json_integer_value(v);
	}
	*n = json_array_size(a);
	return 0;
}

static int
store_life_decode_alloc(json_t *o, struct alloc **out)
{
	json_int_t mem, gmem;
	struct alloc *a;
	json_t *gpus, *g;
	int node, cpus, gpu, milli;
	size_t i;

	if (o == NULL)
		return 0;
	if (json_unpack(o, "{s:i, s:o, s:i, s:I}", "node", &node, "gpus", &gpus,
	        "cpus_milli", &cpus, "mem_mb", &mem) != 0 ||
	    !json_is_array(gpus) || json_array_size(gpus) > MODEL_MAX_JOB_GPUS)
		return GQ_EIO;
	a = *out = xcalloc(1, sizeof(*a));
	a->node = node;
	a->cpus_milli = cpus;
	a->mem_mb = mem;
	json_array_foreach(gpus, i, g) {
		if (json_unpack(g, "[iiI!]", &gpu, &milli, &gmem) != 0)
			return GQ_EIO;
		a->gpus[i].gpu = gpu;
		a->gpus[i].milli = milli;
		a->gpus[i].mem_mb = gmem;
	}
	a->ngpus = (int32_t)json_array_size(gpus);
	return 0;
}

static int64_t
store_life_int(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static char *
store_life_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? xstrdup(s) : NULL;
}

static int
store_life_decode_obj(struct job *j, json_t *o)
{
	struct job_life *l = job_life(j);

	if (json_is_true(json_object_get(o, "held")))
		j->core.flags |= JOB_F_HELD;
	l->mech = (int32_t)store_life_int(o, "mech");
	l->op = (int32_t)store_life_int(o, "op");
	l->seq = (int32_t)store_life_int(o, "seq");
	l->resume = (int32_t)store_life_int(o, "resume");
	l->user_hold = (int32_t)store_life_int(o, "user_hold");
	l->requeue = (int32_t)store_life_int(o, "requeue");
	l->kind = (int32_t)store_life_int(o, "kind");
	l->retry = (int32_t)store_life_int(o, "retry");
	l->since = store_life_int(o, "since");
	l->ran_s = store_life_int(o, "ran_s");
	l->for_job = store_life_int(o, "for_job");
	l->pin_from = store_life_int(o, "pin_from");
	l->where = store_life_str(o, "where");
	l->error = store_life_str(o, "error");
	if (store_life_decode_ids(json_object_get(o, "after"), &l->after,
	        &l->nafter) != 0 ||
	    store_life_decode_ids(json_object_get(o, "afterok"), &l->afterok,
	        &l->nafterok) != 0 ||
	    store_life_decode_alloc(json_object_get(o, "left"), &l->left) !=
	        0 ||
	    store_life_decode_alloc(json_object_get(o, "pin"), &l->pin) != 0)
		return GQ_EIO;
	return 0;
}

int
store_life_decode(struct job *j, const char *text)
{
	json_t *o;
	int rc;

	if (text == NULL)
		return 0;
	if ((o = json_loads(text, 0, NULL)) == NULL || !json_is_object(o)) {
		json_decref(o);
		return GQ_EIO;
	}
	rc = store_life_decode_obj(j, o);
	json_decref(o);
	if (rc == 0 && j->life->pin != NULL)
		j->core.pin = j->life->pin;
	return rc;
}
