/*
 * The text form of projects, departments, users and the policy's
 * parameters, read one line at a time (docs/scheduling.md).  Pure.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/place.h"
#include "core/project-int.h"

#define PROJECT_MAX_MILLI (INT64_C(1000000) * 1000) /* a million GPUs */

/* One "key=value" of a line, split in place. */
struct project_kv {
	char *key;
	char *value;
};

#define PROJECT_MAX_KV 16

/* A name: 1-63 bytes of A-Z a-z 0-9 _ - . */
static int
project_parse_name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return 0;
	return i > 0 && i < PROJECT_MAX_NAME;
}

/* Splits "name k=v k=v" in place; returns the number of pairs or -1. */
static int
project_parse_split(char *s, char **name, struct project_kv *kv)
{
	char *tok, *save = NULL, *eq;
	int n = 0;

	*name = strtok_r(s, " \t", &save);
	if (*name == NULL)
		return -1;
	while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
		if (n == PROJECT_MAX_KV || (eq = strchr(tok, '=')) == NULL ||
		    eq == tok)
			return -1;
		*eq = '\0';
		kv[n].key = tok;
		kv[n].value = eq + 1;
		n++;
	}
	return n;
}

/* A number of GPUs, possibly fractional ("2", "0.5"), into milli. */
static int
project_parse_gpus(const char *v, int64_t *milli)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(x >= 0) ||
	    x * 1000 > (double)PROJECT_MAX_MILLI)
		return GQ_EINVAL;
	*milli = (int64_t)llround(x * 1000);
	return 0;
}

/* A hard limit: GPUs, or "none". */
static int
project_parse_limit(const char *v, int64_t *milli)
{
	if (strcmp(v, "none") == 0) {
		*milli = PROJECT_NO_LIMIT;
		return 0;
	}
	return project_parse_gpus(v, milli);
}

static int
project_parse_weight(const char *v, double *w)
{
	char *end;

	errno = 0;
	*w = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(*w > 0) || *w > 1e6)
		return GQ_EINVAL;
	return 0;
}

static int
project_parse_name(char *dst, const char *v)
{
	if (!project_parse_name_ok(v))
		return GQ_EINVAL;
	snprintf(dst, PROJECT_MAX_NAME, "%s", v);
	return 0;
}

/* Sets one key of a department; GQ_EINVAL with cause. */
static int
project_parse_dept_key(struct department *d, const struct project_kv *kv,
    char *cause, size_t n)
{
	int rc = GQ_EINVAL;

	if (strcmp(kv->key, "deserved") == 0)
		rc = project_parse_gpus(kv->value, &d->deserved_milli);
	else if (strcmp(kv->key, "limit") == 0)
		rc = project_parse_limit(kv->value, &d->limit_milli);
	else if (strcmp(kv->key, "parent") == 0)
		rc = project_parse_name(d->parent, kv->value);
	else if (strcmp(kv->key, "weight") == 0)
		rc = project_parse_weight(kv->value, &d->weight);
	else
		return project_fail(cause, n,
		    "department %s: unknown key \"%s\" (deserved, limit, "
		    "weight, parent)",
		    d->name, kv->key);
	if (rc != 0 && strcmp(kv->key, "weight") == 0)
		return project_fail(cause, n,
		    "department %s: bad weight (a number above 0)", d->name);
	if (rc != 0)
		return project_fail(cause, n,
		    "department %s: bad %s (a number of GPUs, 0 or more)",
		    d->name, kv->key);
	return 0;
}

static int
project_parse_proj_key(struct project *p, const struct project_kv *kv,
    char *cause, size_t n)
{
	int rc;

	if (strcmp(kv->key, "deserved") == 0)
		rc = project_parse_gpus(kv->value, &p->deserved_milli);
	else if (strcmp(kv->key, "limit") == 0)
		rc = project_parse_limit(kv->value, &p->limit_milli);
	else if (strcmp(kv->key, "weight") == 0)
		rc = project_parse_weight(kv->value, &p->weight);
	else if (strcmp(kv->key, "department") == 0)
		rc = project_parse_name(p->department, kv->value);
	else if (strcmp(kv->key, "default-time") == 0)
		rc = units_parse_duration(kv->value, 60, &p->default_time_s);
	else
		return project_fail(cause, n,
		    "project %s: unknown key \"%s\" (deserved, limit, weight, "
		    "department, default-time)",
		    p->name, kv->key);
	if (rc != 0)
		return project_fail(cause, n, "project %s: bad value for %s",
		    p->name, kv->key);
	return 0;
}

static int
project_parse_user_key(struct project_user *u, const struct project_kv *kv,
    char *cause, size_t n)
{
	int rc;

	if (strcmp(kv->key, "project") == 0)
		rc = project_parse_name(u->project, kv->value);
	else if (strcmp(kv->key, "weight") == 0)
		rc = project_parse_weight(kv->value, &u->weight);
	else
		return project_fail(cause, n,
		    "user %s: unknown key \"%s\" (project, weight)", u->name,
		    kv->key);
	if (rc != 0)
		return project_fail(cause, n, "user %s: bad value for %s",
		    u->name, kv->key);
	return 0;
}

static void *
project_parse_grow(void *arr, size_t n, size_t size)
{
	return xreallocarray(arr, n + 1, size);
}

static int
project_parse_dept(struct projects *p, const char *name, struct project_kv *kv,
    int nkv, int32_t line, char *cause, size_t n)
{
	struct department d;
	int i, rc;

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	d.deserved_milli = PROJECT_NO_LIMIT;
	d.limit_milli = PROJECT_NO_LIMIT;
	d.weight = 1;
	d.parent_idx = -1;
	d.line = line;
	for (i = 0; i < nkv; i++)
		if ((rc = project_parse_dept_key(&d, &kv[i], cause, n)) != 0)
			return rc;
	if (project_dept_find(p, name) >= 0)
		return project_fail(cause, n, "department %s is declared twice",
		    name);
	p->depts = project_parse_grow(p->depts, p->ndepts, sizeof(d));
	p->depts[p->ndepts++] = d;
	return 0;
}

static int
project_parse_project(struct projects *p, const char *name,
    struct project_kv *kv, int nkv, int32_t line, char *cause, size_t n)
{
	struct project pr;
	int i, rc;

	memset(&pr, 0, sizeof(pr));
	snprintf(pr.name, sizeof(pr.name), "%s", name);
	pr.limit_milli = PROJECT_NO_LIMIT;
	pr.weight = 1;
	pr.dept_idx = -1;
	pr.line = line;
	for (i = 0; i < nkv; i++)
		if ((rc = project_parse_proj_key(&pr, &kv[i], cause, n)) != 0)
			return rc;
	if (project_find(p, name) >= 0)
		return project_fail(cause, n, "project %s is declared twice",
		    name);
	p->list = project_parse_grow(p->list, p->nlist, sizeof(pr));
	p->list[p->nlist++] = pr;
	p->any = 1;
	return 0;
}

static int
project_parse_user(struct projects *p, const char *name, struct project_kv *kv,
    int nkv, int32_t line, char *cause, size_t n)
{
	struct project_user u;
	int i, rc;

	memset(&u, 0, sizeof(u));
	snprintf(u.name, sizeof(u.name), "%s", name);
	u.weight = 1;
	u.project_idx = -1;
	u.line = line;
	for (i = 0; i < nkv; i++)
		if ((rc = project_parse_user_key(&u, &kv[i], cause, n)) != 0)
			return rc;
	if (u.project[0] == '\0')
		return project_fail(cause, n, "user %s: needs project=NAME",
		    name);
	if (project_user_find(p, u.project, name) >= 0)
		return project_fail(cause, n,
		    "user %s is declared twice in project %s", name, u.project);
	p->users = project_parse_grow(p->users, p->nusers, sizeof(u));
	p->users[p->nusers++] = u;
	return 0;
}

/* "interactive,inference,train": the first ranks highest. */
static int
project_parse_class_order(struct policy_params *pp, const char *v)
{
	char buf[128], *tok, *save = NULL;
	int rank[JOB_NCLASSES], seen = 0, i, k = 0;
	enum job_class c;

	if (snprintf(buf, sizeof(buf), "%s", v) >= (int)sizeof(buf))
		return GQ_EINVAL;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (model_class_parse(tok, &c) != 0 || (seen & (1 << c)))
			return GQ_EINVAL;
		seen |= 1 << c;
		rank[c] = JOB_NCLASSES - ++k;
	}
	if (seen != (1 << JOB_NCLASSES) - 1)
		return GQ_EINVAL;
	for (i = 0; i < JOB_NCLASSES; i++)
		pp->class_rank[i] = rank[i];
	return 0;
}

static int
project_parse_count(const char *v, int64_t max, int32_t *out)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || x < 0 || x > max)
		return GQ_EINVAL;
	*out = (int32_t)x;
	return 0;
}

static int
project_parse_onoff(const char *v, int32_t *out)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "off") == 0 || strcmp(v, "no") == 0)
		*out = 0;
	else
		return GQ_EINVAL;
	return 0;
}

static int
project_parse_param(struct policy_params *pp, const struct project_kv *kv)
{
	const char *k = kv->key, *v = kv->value;

	if (strcmp(k, "half-life") == 0)
		return units_parse_duration(v, 86400, &pp->half_life_s);
	if (strcmp(k, "min-runtime") == 0)
		return units_parse_duration(v, 60, &pp->min_runtime_s);
	if (strcmp(k, "default-time") == 0)
		return units_parse_duration(v, 60, &pp->default_time_s);
	if (strcmp(k, "swap-time") == 0)
		return units_parse_duration(v, 1, &pp->swap_time_s);
	if (strcmp(k, "reservations") == 0)
		return project_parse_count(v, 1000, &pp->reservations);
	if (strcmp(k, "preempt-tries") == 0)
		return project_parse_count(v, 100000, &pp->preempt_tries);
	if (strcmp(k, "preempt") == 0)
		return project_parse_onoff(v, &pp->preempt);
	if (strcmp(k, "class-order") == 0)
		return project_parse_class_order(pp, v);
	return 1;
}

static int
project_parse_params(struct projects *p, struct project_kv *kv, int nkv,
    char *cause, size_t n)
{
	int i, rc;

	for (i = 0; i < nkv; i++) {
		rc = project_parse_param(&p->params, &kv[i]);
		if (rc == 1)
			return project_fail(cause, n,
			    "policy-param: unknown key \"%s\"%s", kv[i].key,
			    " (half-life, min-runtime, default-time, "
			    "swap-time, reservations, preempt, preempt-tries, "
			    "class-order)");
		if (rc != 0)
			return project_fail(cause, n,
			    "policy-param: bad value for %s: \"%s\"", kv[i].key,
			    kv[i].value);
	}
	return 0;
}

/* A strategy by name; "binpack" is best fit. */
static const struct place_strategy *
project_parse_strategy(const char *name)
{
	return place_strategy_find(
	    strcmp(name, "binpack") == 0 ? "bestfit" : name);
}

/*
 * "placement NAME [whole=NAME]": NAME places GPU shares; whole GPUs and
 * CPU-only jobs bin-pack (best fit) when NAME is an FGD, else go by NAME
 * too, unless whole= names their strategy.
 */
static int
project_parse_placement(struct projects *p, const char *name,
    struct project_kv *kv, int nkv, char *cause, size_t n)
{
	const struct place_strategy *s = project_parse_strategy(name), *w;

	if (s == NULL || strcmp(name, "binpack") == 0)
		return project_fail(cause, n,
		    "placement: unknown strategy \"%s\" (fgd+, fgd, fgd-k8s, "
		    "bestfit, spread, random)",
		    name);
	w = strncmp(s->name, "fgd", 3) == 0 ?
	    project_parse_strategy("bestfit") :
	    s;
	if (nkv > 1 || (nkv == 1 && strcmp(kv[0].key, "whole") != 0))
		return project_fail(cause, n,
		    "placement: wants NAME [whole=NAME]");
	if (nkv == 1 && (w = project_parse_strategy(kv[0].value)) == NULL)
		return project_fail(cause, n,
		    "placement: whole= wants binpack, spread, bestfit, random "
		    "or an FGD, not \"%s\"",
		    kv[0].value);
	p->params.place_share = s;
	p->params.place_whole = w;
	return 0;
}

int
project_parse_line(struct projects *p, const char *keyword, const char *rest,
    int32_t line, char *cause, size_t n)
{
	struct project_kv kv[PROJECT_MAX_KV];
	char buf[1024], *name;
	int nkv, rc;

	if (strcmp(keyword, "placement") == 0) {
		if (snprintf(buf, sizeof(buf), "%s", rest) >=
		        (int)sizeof(buf) ||
		    (nkv = project_parse_split(buf, &name, kv)) < 0)
			return project_fail(cause, n,
			    "placement: wants NAME [whole=NAME]");
		return project_parse_placement(p, name, kv, nkv, cause, n);
	}
	if (strcmp(keyword, "department") != 0 &&
	    strcmp(keyword, "project") != 0 && strcmp(keyword, "user") != 0 &&
	    strcmp(keyword, "policy-param") != 0)
		return 1;
	if (snprintf(buf, sizeof(buf), "%s%s",
	        strcmp(keyword, "policy-param") == 0 ? "- " : "",
	        rest) >= (int)sizeof(buf))
		return project_fail(cause, n, "%s: line too long", keyword);
	if ((nkv = project_parse_split(buf, &name, kv)) < 0)
		return project_fail(cause, n,
		    "%s: wants a name, then key=value pairs", keyword);
	if (strcmp(keyword, "policy-param") == 0)
		return project_parse_params(p, kv, nkv, cause, n);
	if (!project_parse_name_ok(name))
		return project_fail(cause, n,
		    "%s: bad name \"%s\" (1-63 of A-Z a-z 0-9 _ - .)", keyword,
		    name);
	if (p->ndepts + p->nlist + p->nusers >= 3 * PROJECT_MAX_OBJECTS)
		return project_fail(cause, n, "%s: too many", keyword);
	if (strcmp(keyword, "department") == 0)
		rc = project_parse_dept(p, name, kv, nkv, line, cause, n);
	else if (strcmp(keyword, "project") == 0)
		rc = project_parse_project(p, name, kv, nkv, line, cause, n);
	else
		rc = project_parse_user(p, name, kv, nkv, line, cause, n);
	return rc;
}
