/*
 * A spec as JSON and back.  The JSON is itself a valid sweep file with
 * every default made explicit, so decoding is parsing: one validator.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep.h"

static void
sweep_encode_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, json_string(v));
}

static json_t *
sweep_encode_values(const struct sweep_param *p)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < p->nvalues; i++)
		json_array_append_new(a, sweep_value_encode(&p->values[i]));
	return a;
}

static void
sweep_encode_shape(json_t *o, const struct sweep_param *p)
{
	if (p->dist == SWEEP_D_INT_UNIFORM) {
		json_object_set_new(o, "min", json_integer((json_int_t)p->min));
		json_object_set_new(o, "max", json_integer((json_int_t)p->max));
		return;
	}
	if (strstr(sweep_dist_name(p->dist), "normal") != NULL) {
		json_object_set_new(o, "mu", json_real(p->mu));
		json_object_set_new(o, "sigma", json_real(p->sigma));
	} else if (strstr(sweep_dist_name(p->dist), "beta") != NULL) {
		json_object_set_new(o, "a", json_real(p->a));
		json_object_set_new(o, "b", json_real(p->b));
	} else {
		json_object_set_new(o, "min", json_real(p->min));
		json_object_set_new(o, "max", json_real(p->max));
	}
	if (strncmp(sweep_dist_name(p->dist), "q_", 2) == 0)
		json_object_set_new(o, "q", json_real(p->q));
}

static json_t *
sweep_encode_param(const struct sweep_param *p)
{
	json_t *o = json_object(), *a;
	size_t i;

	json_object_set_new(o, "distribution",
	    json_string(sweep_dist_name(p->dist)));
	if (p->dist == SWEEP_D_CONSTANT)
		json_object_set_new(o, "value",
		    sweep_value_encode(&p->values[0]));
	else if (p->dist == SWEEP_D_CATEGORICAL) {
		json_object_set_new(o, "values", sweep_encode_values(p));
		if (p->probs != NULL) {
			a = json_array();
			for (i = 0; i < p->nvalues; i++)
				json_array_append_new(a,
				    json_real(p->probs[i]));
			json_object_set_new(o, "probabilities", a);
		}
	} else
		sweep_encode_shape(o, p);
	return o;
}

/* Puts a dotted name's parameter under nested "parameters" mappings. */
static void
sweep_encode_nested(json_t *params, const char *name, json_t *param)
{
	const char *dot;
	char *head;
	json_t *kid, *inner;

	while ((dot = strchr(name, '.')) != NULL) {
		head = xstrndup(name, (size_t)(dot - name));
		if ((kid = json_object_get(params, head)) == NULL) {
			kid = json_object();
			json_object_set_new(kid, "parameters", json_object());
			json_object_set_new(params, head, kid);
		}
		free(head);
		inner = json_object_get(kid, "parameters");
		params = inner;
		name = dot + 1;
	}
	json_object_set_new(params, name, param);
}

static json_t *
sweep_encode_params(const struct sweep_spec *s)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < s->nparams; i++)
		sweep_encode_nested(o, s->params[i].name,
		    sweep_encode_param(&s->params[i]));
	return o;
}

static json_t *
sweep_encode_early(const struct sweep_early *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(sweep_early_name(e->type)));
	if (e->type == SWEEP_ET_MEDIAN) {
		json_object_set_new(o, "warmup_trials",
		    json_integer(e->warmup_trials));
		json_object_set_new(o, "warmup_steps",
		    json_integer(e->warmup_steps));
		return o;
	}
	if (e->min_iter != 0)
		json_object_set_new(o, "min_iter", json_integer(e->min_iter));
	if (e->max_iter != 0)
		json_object_set_new(o, "max_iter", json_integer(e->max_iter));
	if (e->s != 0)
		json_object_set_new(o, "s", json_integer(e->s));
	json_object_set_new(o, "eta", json_integer(e->eta));
	json_object_set_new(o, "strict", json_boolean(e->strict));
	return o;
}

/* A milli count as the number it stands for: 250 is 0.25, 2000 is 2. */
static json_t *
sweep_encode_milli(int32_t milli)
{
	if (milli % 1000 == 0)
		return json_integer(milli / 1000);
	return json_real(milli / 1000.0);
}

static json_t *
sweep_encode_res(const struct sweep_resources *r)
{
	json_t *o = json_object();

	if (r->gpus_milli != 0)
		json_object_set_new(o, "gpus",
		    sweep_encode_milli(r->gpus_milli));
	if (r->gpu_mem_mb != 0)
		json_object_set_new(o, "gpu_mem",
		    json_sprintf("%lldM", (long long)r->gpu_mem_mb));
	if (r->cpus_milli != 0)
		json_object_set_new(o, "cpus",
		    sweep_encode_milli(r->cpus_milli));
	if (r->mem_mb != 0)
		json_object_set_new(o, "mem",
		    json_sprintf("%lldM", (long long)r->mem_mb));
	if (r->time_s != 0)
		json_object_set_new(o, "time",
		    json_sprintf("%llds", (long long)r->time_s));
	sweep_encode_str(o, "pool", r->pool);
	sweep_encode_str(o, "gpu_model", r->gpu_model);
	return o;
}

static json_t *
sweep_encode_metric(const struct sweep_spec *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(s->metric));
	json_object_set_new(o, "goal", json_string(sweep_goal_name(s->goal)));
	if (s->has_target)
		json_object_set_new(o, "target", json_real(s->target));
	return o;
}

static void
sweep_encode_head(json_t *o, const struct sweep_spec *s)
{
	json_t *a;
	size_t i;

	sweep_encode_str(o, "name", s->name);
	sweep_encode_str(o, "description", s->description);
	sweep_encode_str(o, "project", s->project);
	sweep_encode_str(o, "program", s->program);
	sweep_encode_str(o, "interpreter", s->interpreter);
	if (s->command != NULL) {
		a = json_array();
		for (i = 0; i < s->ncommand; i++)
			json_array_append_new(a, json_string(s->command[i]));
		json_object_set_new(o, "command", a);
	}
	json_object_set_new(o, "method",
	    json_string(sweep_method_name(s->method)));
	if (s->metric != NULL)
		json_object_set_new(o, "metric", sweep_encode_metric(s));
}

json_t *
sweep_spec_encode(const struct sweep_spec *s)
{
	json_t *o = json_object();

	sweep_encode_head(o, s);
	json_object_set_new(o, "parameters", sweep_encode_params(s));
	if (s->early.type != SWEEP_ET_NONE)
		json_object_set_new(o, "early_terminate",
		    sweep_encode_early(&s->early));
	if (s->trials > 0)
		json_object_set_new(o, "trials", json_integer(s->trials));
	json_object_set_new(o, "parallel", json_integer(s->parallel));
	json_object_set_new(o, "resources", sweep_encode_res(&s->res));
	if (s->has_seed)
		json_object_set_new(o, "seed",
		    json_integer((json_int_t)(s->seed & INT64_MAX)));
	return o;
}

char *
sweep_spec_dumps(const struct sweep_spec *s)
{
	json_t *o = sweep_spec_encode(s);
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	return text;
}

int
sweep_spec_loads(const char *text, struct sweep_spec **out, char **cause)
{
	return sweep_parse("spec", text, strlen(text), SWEEP_JSON, out, cause);
}

int
sweep_spec_decode(const json_t *j, struct sweep_spec **out, char **cause)
{
	char *text;
	int rc;

	*out = NULL;
	if (!json_is_object(j)) {
		if (cause != NULL)
			*cause = xstrdup("spec: not a JSON object");
		return GQ_EINVAL;
	}
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text == NULL)
		return GQ_EINVAL;
	rc = sweep_spec_loads(text, out, cause);
	free(text);
	return rc;
}
