/*
 * Strict reading of request parameters: a wrong type or an unknown name is
 * an EINVAL that says which parameter and why.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"

static int __attribute__((format(printf, 2, 3)))
params_fail(char **cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
	return GQ_EINVAL;
}

int
params_allow(json_t *params, const char *const *names, char **cause)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(params, key, v) {
		for (i = 0; names[i] != NULL; i++)
			if (strcmp(names[i], key) == 0)
				break;
		if (names[i] == NULL)
			return params_fail(cause, "unknown parameter \"%s\"",
			    key);
	}
	return 0;
}

int
params_int(json_t *params, const char *name, int64_t min, int64_t max,
    int64_t def, int64_t *out, char **cause)
{
	json_t *v = json_object_get(params, name);
	json_int_t i;

	if (v == NULL || json_is_null(v)) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v))
		return params_fail(cause, "\"%s\" must be an integer", name);
	i = json_integer_value(v);
	if (i < min || i > max) {
		*cause = xasprintf("\"%s\" must be between %lld and %lld", name,
		    (long long)min, (long long)max);
		return GQ_EINVAL;
	}
	*out = (int64_t)i;
	return 0;
}

int
params_bool(json_t *params, const char *name, int def, int *out, char **cause)
{
	json_t *v = json_object_get(params, name);

	if (v == NULL || json_is_null(v)) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return params_fail(cause, "\"%s\" must be true or false", name);
	*out = json_is_true(v);
	return 0;
}

int
params_str(json_t *params, const char *name, size_t maxlen, const char *def,
    const char **out, char **cause)
{
	json_t *v = json_object_get(params, name);

	if (v == NULL || json_is_null(v)) {
		*out = def;
		return 0;
	}
	if (!json_is_string(v))
		return params_fail(cause, "\"%s\" must be a string", name);
	if (json_string_length(v) > maxlen) {
		*cause =
		    xasprintf("\"%s\" is longer than %zu bytes", name, maxlen);
		return GQ_EINVAL;
	}
	*out = json_string_value(v);
	return 0;
}

/* Reads the "id" parameter and finds that job. */
int
params_job(struct verb_ctx *v, struct job **out, char **cause)
{
	int64_t id;
	int rc;

	if (json_object_get(v->params, "id") == NULL ||
	    json_is_null(json_object_get(v->params, "id"))) {
		*cause = xstrdup("\"id\" is required");
		return GQ_EINVAL;
	}
	rc = params_int(v->params, "id", 1, PROTO_MAX_ID_PARAM, 0, &id, cause);
	if (rc != 0)
		return rc;
	if ((*out = jobs_archive_fetch(v->d, id)) == NULL) {
		*cause = xasprintf("no job %lld", (long long)id);
		return GQ_ENOENT;
	}
	return 0;
}

int
params_may_change(struct verb_ctx *v, const struct job *j, char **cause)
{
	if (v->c->admin || strcmp(v->c->user, j->core.user) == 0)
		return 0;
	*cause = xasprintf("job %lld belongs to %s", (long long)j->core.id,
	    j->core.user);
	return GQ_EPERM;
}

/*
 * Reading what a job carries beyond the queue's public view (its
 * environment, its logs) is for its owner and admins, as with changing it.
 */
int
params_may_read(struct verb_ctx *v, const struct job *j, char **cause)
{
	return params_may_change(v, j, cause);
}
