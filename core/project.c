/*
 * Projects, departments and users: their text form, the checks of a whole
 * set, and usage that decays.  Pure.  The ledger is in project-ledger.c.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/place.h"
#include "core/project.h"

#define PROJECT_MAX_MILLI (INT64_C(1000000) * 1000) /* a million GPUs */
#define PROJECT_LN2       0.69314718055994530942

/* One "key=value" of a line, split in place. */
struct project_kv {
	char *key;
	char *value;
};

#define PROJECT_MAX_KV 16

void
project_params_defaults(struct policy_params *p)
{
	memset(p, 0, sizeof(*p));
	p->half_life_s = 7 * 24 * 3600;
	p->min_runtime_s = 10 * 60;
	p->swap_time_s = 30;
	p->reservations = 4;
	p->preempt = 1;
	p->preempt_tries = 64;
	p->class_rank[JOB_CLASS_INTERACTIVE] = 2;
	p->class_rank[JOB_CLASS_INFERENCE] = 1;
	p->class_rank[JOB_CLASS_TRAIN] = 0;
	p->place_share = place_strategy_default();
	p->place_whole = place_strategy_find("bestfit");
}

void
project_init(struct projects *p)
{
	memset(p, 0, sizeof(*p));
	project_params_defaults(&p->params);
}

void
project_done(struct projects *p)
{
	free(p->depts);
	free(p->list);
	free(p->users);
	project_init(p);
}

static void *
project_dup(const void *from, size_t n, size_t size)
{
	void *to;

	if (n == 0)
		return NULL;
	to = xreallocarray(NULL, n, size);
	memcpy(to, from, n * size);
	return to;
}

void
project_copy(struct projects *to, const struct projects *from)
{
	*to = *from;
	to->depts = project_dup(from->depts, from->ndepts, sizeof(*to->depts));
	to->list = project_dup(from->list, from->nlist, sizeof(*to->list));
	to->users = project_dup(from->users, from->nusers, sizeof(*to->users));
}

static int __attribute__((format(printf, 3, 4)))
project_fail(char *cause, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, n, fmt, ap);
	va_end(ap);
	return GQ_EINVAL;
}

/* A name: 1-63 bytes of A-Z a-z 0-9 _ - . */
static int
project_name_ok(const char *s)
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
project_split(char *s, char **name, struct project_kv *kv)
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
project_gpus(const char *v, int64_t *milli)
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
project_limit(const char *v, int64_t *milli)
{
	if (strcmp(v, "none") == 0) {
		*milli = PROJECT_NO_LIMIT;
		return 0;
	}
	return project_gpus(v, milli);
}

static int
project_weight(const char *v, double *w)
{
	char *end;

	errno = 0;
	*w = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(*w > 0) || *w > 1e6)
		return GQ_EINVAL;
	return 0;
}

static int
project_copy_name(char *dst, const char *v)
{
	if (!project_name_ok(v))
		return GQ_EINVAL;
	snprintf(dst, PROJECT_MAX_NAME, "%s", v);
	return 0;
}

/* Sets one key of a department; GQ_EINVAL with cause. */
static int
project_dept_key(struct department *d, const struct project_kv *kv, char *cause,
    size_t n)
{
	int rc = GQ_EINVAL;

	if (strcmp(kv->key, "deserved") == 0)
		rc = project_gpus(kv->value, &d->deserved_milli);
	else if (strcmp(kv->key, "limit") == 0)
		rc = project_limit(kv->value, &d->limit_milli);
	else if (strcmp(kv->key, "parent") == 0)
		rc = project_copy_name(d->parent, kv->value);
	else if (strcmp(kv->key, "weight") == 0)
		rc = project_weight(kv->value, &d->weight);
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
project_proj_key(struct project *p, const struct project_kv *kv, char *cause,
    size_t n)
{
	int rc;

	if (strcmp(kv->key, "deserved") == 0)
		rc = project_gpus(kv->value, &p->deserved_milli);
	else if (strcmp(kv->key, "limit") == 0)
		rc = project_limit(kv->value, &p->limit_milli);
	else if (strcmp(kv->key, "weight") == 0)
		rc = project_weight(kv->value, &p->weight);
	else if (strcmp(kv->key, "department") == 0)
		rc = project_copy_name(p->department, kv->value);
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
project_user_key(struct project_user *u, const struct project_kv *kv,
    char *cause, size_t n)
{
	int rc;

	if (strcmp(kv->key, "project") == 0)
		rc = project_copy_name(u->project, kv->value);
	else if (strcmp(kv->key, "weight") == 0)
		rc = project_weight(kv->value, &u->weight);
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
project_grow(void *arr, size_t n, size_t size)
{
	return xreallocarray(arr, n + 1, size);
}

static int
project_add_dept(struct projects *p, const char *name, struct project_kv *kv,
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
		if ((rc = project_dept_key(&d, &kv[i], cause, n)) != 0)
			return rc;
	if (project_dept_find(p, name) >= 0)
		return project_fail(cause, n, "department %s is declared twice",
		    name);
	p->depts = project_grow(p->depts, p->ndepts, sizeof(d));
	p->depts[p->ndepts++] = d;
	return 0;
}

static int
project_add_project(struct projects *p, const char *name, struct project_kv *kv,
    int nkv, int32_t line, char *cause, size_t n)
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
		if ((rc = project_proj_key(&pr, &kv[i], cause, n)) != 0)
			return rc;
	if (project_find(p, name) >= 0)
		return project_fail(cause, n, "project %s is declared twice",
		    name);
	p->list = project_grow(p->list, p->nlist, sizeof(pr));
	p->list[p->nlist++] = pr;
	p->any = 1;
	return 0;
}

static int
project_add_user(struct projects *p, const char *name, struct project_kv *kv,
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
		if ((rc = project_user_key(&u, &kv[i], cause, n)) != 0)
			return rc;
	if (u.project[0] == '\0')
		return project_fail(cause, n, "user %s: needs project=NAME",
		    name);
	if (project_user_find(p, u.project, name) >= 0)
		return project_fail(cause, n,
		    "user %s is declared twice in project %s", name, u.project);
	p->users = project_grow(p->users, p->nusers, sizeof(u));
	p->users[p->nusers++] = u;
	return 0;
}

/* "interactive,inference,train": the first ranks highest. */
static int
project_class_order(struct policy_params *pp, const char *v)
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
project_count(const char *v, int64_t max, int32_t *out)
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
project_onoff(const char *v, int32_t *out)
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
project_param(struct policy_params *pp, const struct project_kv *kv)
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
		return project_count(v, 1000, &pp->reservations);
	if (strcmp(k, "preempt-tries") == 0)
		return project_count(v, 100000, &pp->preempt_tries);
	if (strcmp(k, "preempt") == 0)
		return project_onoff(v, &pp->preempt);
	if (strcmp(k, "class-order") == 0)
		return project_class_order(pp, v);
	return 1;
}

static int
project_params_line(struct projects *p, struct project_kv *kv, int nkv,
    char *cause, size_t n)
{
	int i, rc;

	for (i = 0; i < nkv; i++) {
		rc = project_param(&p->params, &kv[i]);
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
project_strategy(const char *name)
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
project_placement_line(struct projects *p, const char *name,
    struct project_kv *kv, int nkv, char *cause, size_t n)
{
	const struct place_strategy *s = project_strategy(name), *w;

	if (s == NULL || strcmp(name, "binpack") == 0)
		return project_fail(cause, n,
		    "placement: unknown strategy \"%s\" (fgd+, fgd, fgd-k8s, "
		    "bestfit, spread, random)",
		    name);
	w = strncmp(s->name, "fgd", 3) == 0 ? project_strategy("bestfit") : s;
	if (nkv > 1 || (nkv == 1 && strcmp(kv[0].key, "whole") != 0))
		return project_fail(cause, n,
		    "placement: wants NAME [whole=NAME]");
	if (nkv == 1 && (w = project_strategy(kv[0].value)) == NULL)
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
		    (nkv = project_split(buf, &name, kv)) < 0)
			return project_fail(cause, n,
			    "placement: wants NAME [whole=NAME]");
		return project_placement_line(p, name, kv, nkv, cause, n);
	}
	if (strcmp(keyword, "department") != 0 &&
	    strcmp(keyword, "project") != 0 && strcmp(keyword, "user") != 0 &&
	    strcmp(keyword, "policy-param") != 0)
		return 1;
	if (snprintf(buf, sizeof(buf), "%s%s",
	        strcmp(keyword, "policy-param") == 0 ? "- " : "",
	        rest) >= (int)sizeof(buf))
		return project_fail(cause, n, "%s: line too long", keyword);
	if ((nkv = project_split(buf, &name, kv)) < 0)
		return project_fail(cause, n,
		    "%s: wants a name, then key=value pairs", keyword);
	if (strcmp(keyword, "policy-param") == 0)
		return project_params_line(p, kv, nkv, cause, n);
	if (!project_name_ok(name))
		return project_fail(cause, n,
		    "%s: bad name \"%s\" (1-63 of A-Z a-z 0-9 _ - .)", keyword,
		    name);
	if (p->ndepts + p->nlist + p->nusers >= 3 * PROJECT_MAX_OBJECTS)
		return project_fail(cause, n, "%s: too many", keyword);
	if (strcmp(keyword, "department") == 0)
		rc = project_add_dept(p, name, kv, nkv, line, cause, n);
	else if (strcmp(keyword, "project") == 0)
		rc = project_add_project(p, name, kv, nkv, line, cause, n);
	else
		rc = project_add_user(p, name, kv, nkv, line, cause, n);
	return rc;
}

int32_t
project_find(const struct projects *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nlist; i++)
		if (strcmp(p->list[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t
project_dept_find(const struct projects *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ndepts; i++)
		if (strcmp(p->depts[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t
project_user_find(const struct projects *p, const char *project,
    const char *user)
{
	size_t i;

	for (i = 0; i < p->nusers; i++)
		if (strcmp(p->users[i].name, user) == 0 &&
		    strcmp(p->users[i].project, project) == 0)
			return (int32_t)i;
	return -1;
}

int64_t
project_default_time(const struct projects *p, const char *name)
{
	int32_t i = project_find(p, name);

	if (i >= 0 && p->list[i].default_time_s > 0)
		return p->list[i].default_time_s;
	return p->params.default_time_s;
}

/* Fills parent indices and finds a cycle; 0 or GQ_EINVAL. */
static int
project_resolve_depts(struct projects *p, char *cause, size_t n, int32_t *line)
{
	struct department *d;
	int32_t at;
	size_t i, steps;

	for (i = 0; i < p->ndepts; i++) {
		d = &p->depts[i];
		d->parent_idx = -1;
		if (d->parent[0] == '\0')
			continue;
		*line = d->line;
		if ((d->parent_idx = project_dept_find(p, d->parent)) < 0)
			return project_fail(cause, n,
			    "department %s: unknown parent department \"%s\"",
			    d->name, d->parent);
	}
	for (i = 0; i < p->ndepts; i++) {
		at = p->depts[i].parent_idx;
		for (steps = 0; at >= 0 && steps <= p->ndepts; steps++)
			at = p->depts[at].parent_idx;
		if (at >= 0) {
			*line = p->depts[i].line;
			return project_fail(cause, n,
			    "department %s: its parents form a cycle (through "
			    "%s)",
			    p->depts[i].name, p->depts[i].parent);
		}
	}
	return 0;
}

static int
project_resolve_limits(const char *kind, const char *name, int64_t deserved,
    int64_t limit, char *cause, size_t n)
{
	char what[160];

	if (limit == PROJECT_NO_LIMIT || deserved <= limit)
		return 0;
	snprintf(what, sizeof(what), "%s %s", kind, name);
	return project_fail(cause, n, "%s: limit is below its deserved quota%s",
	    what, "");
}

static int
project_resolve_projects(struct projects *p, char *cause, size_t n,
    int32_t *line)
{
	struct project *pr;
	size_t i;

	for (i = 0; i < p->ndepts; i++) {
		*line = p->depts[i].line;
		if (project_resolve_limits("department", p->depts[i].name,
		        p->depts[i].deserved_milli, p->depts[i].limit_milli,
		        cause, n) != 0)
			return GQ_EINVAL;
	}
	for (i = 0; i < p->nlist; i++) {
		pr = &p->list[i];
		*line = pr->line;
		pr->dept_idx = -1;
		if (pr->department[0] != '\0' &&
		    (pr->dept_idx = project_dept_find(p, pr->department)) < 0)
			return project_fail(cause, n,
			    "project %s: unknown department \"%s\"", pr->name,
			    pr->department);
		if (project_resolve_limits("project", pr->name,
		        pr->deserved_milli, pr->limit_milli, cause, n) != 0)
			return GQ_EINVAL;
	}
	return 0;
}

int
project_resolve(struct projects *p, char *cause, size_t n, int32_t *line)
{
	struct project_user *u;
	int rc;
	size_t i;

	*line = 0;
	if ((rc = project_resolve_depts(p, cause, n, line)) != 0 ||
	    (rc = project_resolve_projects(p, cause, n, line)) != 0)
		return rc;
	for (i = 0; i < p->nusers; i++) {
		u = &p->users[i];
		*line = u->line;
		if ((u->project_idx = project_find(p, u->project)) < 0)
			return project_fail(cause, n,
			    "user %s: unknown project \"%s\"", u->name,
			    u->project);
	}
	*line = 0;
	return 0;
}

/* "4", "0.5" or "none". */
static const char *
project_fmt_gpus(int64_t milli, char *out, size_t n)
{
	if (milli < 0)
		snprintf(out, n, "none");
	else if (milli % 1000 == 0)
		snprintf(out, n, "%lld", (long long)(milli / 1000));
	else
		snprintf(out, n, "%.3g", milli / 1000.0);
	return out;
}

static void
project_format_params(const struct policy_params *pp, struct buf *b)
{
	int r, c, first = 1;

	(void)buf_printf(b,
	    "policy-param half-life=%llds min-runtime=%llds "
	    "default-time=%llds swap-time=%llds reservations=%d preempt=%s "
	    "preempt-tries=%d class-order=",
	    (long long)pp->half_life_s, (long long)pp->min_runtime_s,
	    (long long)pp->default_time_s, (long long)pp->swap_time_s,
	    pp->reservations, pp->preempt ? "on" : "off", pp->preempt_tries);
	for (r = JOB_NCLASSES - 1; r >= 0; r--)
		for (c = 0; c < JOB_NCLASSES; c++)
			if (pp->class_rank[c] == r) {
				(void)buf_printf(b, "%s%s", first ? "" : ",",
				    model_class_name((enum job_class)c));
				first = 0;
			}
	(void)buf_addstr(b, "\n");
	if (pp->place_share != NULL && pp->place_whole != NULL)
		(void)buf_printf(b, "placement %s whole=%s\n",
		    pp->place_share->name, pp->place_whole->name);
}

void
project_format(const struct projects *p, struct buf *b)
{
	char a[32], c[32];
	size_t i;

	for (i = 0; i < p->ndepts; i++) {
		(void)buf_printf(b, "department %s", p->depts[i].name);
		if (p->depts[i].deserved_milli >= 0)
			(void)buf_printf(b, " deserved=%s",
			    project_fmt_gpus(p->depts[i].deserved_milli, a,
			        sizeof(a)));
		(void)buf_printf(b, " limit=%s weight=%g%s%s\n",
		    project_fmt_gpus(p->depts[i].limit_milli, c, sizeof(c)),
		    p->depts[i].weight, p->depts[i].parent[0] ? " parent=" : "",
		    p->depts[i].parent);
	}
	for (i = 0; i < p->nlist; i++) {
		(void)buf_printf(b,
		    "project %s deserved=%s limit=%s weight=%g "
		    "default-time=%llds%s%s\n",
		    p->list[i].name,
		    project_fmt_gpus(p->list[i].deserved_milli, a, sizeof(a)),
		    project_fmt_gpus(p->list[i].limit_milli, c, sizeof(c)),
		    p->list[i].weight, (long long)p->list[i].default_time_s,
		    p->list[i].department[0] ? " department=" : "",
		    p->list[i].department);
	}
	for (i = 0; i < p->nusers; i++)
		(void)buf_printf(b, "user %s project=%s weight=%g\n",
		    p->users[i].name, p->users[i].project, p->users[i].weight);
	project_format_params(&p->params, b);
}

double
project_usage_decay(int64_t dt, int64_t half_life_s)
{
	if (half_life_s <= 0)
		return 0;
	if (dt <= 0)
		return 1;
	return exp2(-(double)dt / (double)half_life_s);
}

double
project_usage_weight(int64_t start, int64_t end, int64_t now,
    int64_t half_life_s)
{
	double tau;

	if (half_life_s <= 0 || end <= start)
		return 0;
	if (end > now)
		end = now;
	if (start > now)
		return 0;
	tau = (double)half_life_s / PROJECT_LN2;
	return tau *
	    (project_usage_decay(now - end, half_life_s) -
	        project_usage_decay(now - start, half_life_s));
}

void
project_usage_init(struct usage_book *b, int64_t half_life_s, int64_t now)
{
	memset(b, 0, sizeof(*b));
	b->half_life_s = half_life_s;
	b->t = now;
}

void
project_usage_done(struct usage_book *b)
{
	free(b->e);
	memset(b, 0, sizeof(*b));
}

void
project_usage_advance(struct usage_book *b, int64_t now)
{
	double f;
	size_t i;

	if (now <= b->t)
		return;
	f = project_usage_decay(now - b->t, b->half_life_s);
	for (i = 0; i < b->n; i++) {
		b->e[i].gpu_s *= f;
		b->e[i].cpu_s *= f;
		b->e[i].mem_s *= f;
	}
	b->t = now;
}

static struct usage_entry *
project_usage_entry(struct usage_book *b, const char *project, const char *user)
{
	struct usage_entry *e;
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->e[i].project, project) == 0 &&
		    strcmp(b->e[i].user, user) == 0)
			return &b->e[i];
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

void
project_usage_add(struct usage_book *b, const char *project, const char *user,
    double gpus, double cpus, double mem, int64_t start, int64_t end)
{
	struct usage_entry *e;
	double w = project_usage_weight(start, end, b->t, b->half_life_s);

	if (w <= 0)
		return;
	e = project_usage_entry(b, project, user);
	e->gpu_s += gpus * w;
	e->cpu_s += cpus * w;
	e->mem_s += mem * w;
}
