#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"
#include "core/store/store-archive.h"

struct list_filter {
	const char *user, *project;
	unsigned states; /* bit per state; 0: active only */
	int all;
};

static int
list_states(json_t *v, unsigned *mask, char **cause)
{
	enum job_state s;
	size_t i;
	json_t *e;

	*mask = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		if (model_state_parse(json_string_value(v), &s) != 0)
			goto bad;
		*mask = 1u << s;
		return 0;
	}
	if (!json_is_array(v))
		goto bad;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) ||
		    model_state_parse(json_string_value(e), &s) != 0)
			goto bad;
		*mask |= 1u << s;
	}
	return 0;
bad:
	*cause = xstrdup("\"state\" must be a state name (PENDING, RUNNING, "
	                 "COMPLETED, FAILED, CANCELLED, TIMEOUT) or an "
	                 "array of them");
	return GQ_EINVAL;
}

static int
list_match(const struct list_filter *f, const struct job *j)
{
	if (f->user != NULL && strcmp(f->user, j->core.user) != 0)
		return 0;
	if (f->project != NULL && strcmp(f->project, j->core.project) != 0)
		return 0;
	if (f->states != 0)
		return (f->states >> j->core.state) & 1;
	return f->all || !model_state_final(j->core.state);
}

/* 1 when f may match jobs that have ended (some may be archived). */
static int
list_wants_ended(const struct list_filter *f)
{
	int s;

	if (f->states == 0)
		return f->all;
	for (s = 0; s < JOB_NSTATES; s++)
		if (((f->states >> s) & 1) && model_state_final(s))
			return 1;
	return 0;
}

/* The archived jobs of one page, in id order (owned). */
struct list_arch {
	struct job **j;
	size_t n, cap;
};

static int
list_arch_add(struct job *j, void *arg)
{
	struct list_arch *la = arg;

	if (la->n == la->cap) {
		la->cap = la->cap ? la->cap * 2 : 64;
		la->j = xreallocarray(la->j, la->cap, sizeof(*la->j));
	}
	la->j[la->n++] = j;
	return 0;
}

/* Archived jobs that match, id > after: counted, the first limit read. */
static int
list_arch_read(struct verb_ctx *v, const struct list_filter *f, int64_t after,
    int64_t limit, struct list_arch *la, int64_t *total)
{
	struct store_archive_query q = { f->user, f->project, f->states, after,
		limit };
	size_t counts[JOB_NSTATES];
	int s;

	memset(la, 0, sizeof(*la));
	*total = 0;
	if (after > 0 || f->user != NULL || f->project != NULL) {
		if (store_archive_count(v->d->store, &q, total) != 0)
			return GQ_EIO;
	} else {
		memset(counts, 0, sizeof(counts));
		jobs_archive_count(v->d, counts);
		for (s = 0; s < JOB_NSTATES; s++)
			if (f->states == 0 || ((f->states >> s) & 1))
				*total += (int64_t)counts[s];
	}
	return store_archive_list(v->d->store, &q, list_arch_add, la) != 0 ?
	    GQ_EIO :
	    0;
}

static void
list_put(struct verb_ctx *v, json_t *jobs, const struct job *j, int64_t *last)
{
	json_array_append_new(jobs, jobjson_encode(v->d, j, 0));
	*last = j->core.id;
}

/*
 * Every match, memory and archive merged by id: the first limit into
 * jobs, their count in *total, the last one's id in *last.
 */
static int
list_merged(struct verb_ctx *v, const struct list_filter *f, int64_t after,
    int64_t limit, json_t *jobs, int64_t *total, int64_t *last, char **cause)
{
	struct list_arch la;
	size_t i, k = 0, n = 0;
	struct job *j;
	int rc;

	if ((rc = list_arch_read(v, f, after, limit, &la, total)) != 0)
		goto out;
	for (i = jobs_lower_bound(v->d, after); i < v->d->njobs; i++) {
		if (!list_match(f, j = v->d->jobs[i]))
			continue;
		++*total;
		for (; n < (size_t)limit && k < la.n &&
		     la.j[k]->core.id < j->core.id;
		     n++)
			list_put(v, jobs, la.j[k++], last);
		if (n < (size_t)limit && ++n)
			list_put(v, jobs, j, last);
	}
	for (; n < (size_t)limit && k < la.n; n++)
		list_put(v, jobs, la.j[k++], last);
out:
	for (i = 0; i < la.n; i++)
		job_free(la.j[i]);
	free(la.j);
	if (rc != 0)
		*cause = xstrdup("cannot read the archived jobs");
	return rc;
}

/* Every match in memory (nothing is archived that f may match). */
static void
list_memory(struct verb_ctx *v, const struct list_filter *f, int64_t after,
    int64_t limit, json_t *jobs, int64_t *total, int64_t *last)
{
	size_t i;

	for (i = jobs_lower_bound(v->d, after); i < v->d->njobs; i++) {
		if (!list_match(f, v->d->jobs[i]))
			continue;
		if (++*total <= limit) {
			json_array_append_new(jobs,
			    jobjson_encode(v->d, v->d->jobs[i], 0));
			*last = v->d->jobs[i]->core.id;
		}
	}
}

int
verb_job_list(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "user", "project", "state",
		"all", "after", "limit", NULL };
	struct list_filter f;
	json_t *jobs = json_array();
	int64_t after, limit, last = 0, total = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_str(v->params, "user", 64, NULL, &f.user, cause)) ||
	    (rc = params_str(v->params, "project", 64, NULL, &f.project,
	         cause)) ||
	    (rc = list_states(json_object_get(v->params, "state"), &f.states,
	         cause)) ||
	    (rc = params_bool(v->params, "all", 0, &f.all, cause)) ||
	    (rc = params_int(v->params, "after", 0, PROTO_MAX_ID_PARAM, 0,
	         &after, cause)) ||
	    (rc = params_int(v->params, "limit", 1, 10000, 1000, &limit,
	         cause))) {
		json_decref(jobs);
		return rc;
	}
	if (!list_wants_ended(&f) || jobs_archive_total(v->d) == 0)
		list_memory(v, &f, after, limit, jobs, &total, &last);
	else if ((rc = list_merged(v, &f, after, limit, jobs, &total, &last,
	              cause)) != 0) {
		json_decref(jobs);
		return rc;
	}
	*result =
	    json_pack("{s:o,s:I,s:o}", "jobs", jobs, "total", (json_int_t)total,
	        "next", total > limit ? json_integer(last) : json_null());
	return 0;
}
