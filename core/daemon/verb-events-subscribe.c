#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"
#include "remote/proto.h"

static int
verb_events_filter(json_t *names, json_t **out, char **cause)
{
	size_t i;
	json_t *n;

	*out = NULL;
	if (names == NULL || json_is_null(names))
		return 0;
	if (!json_is_array(names) || json_array_size(names) > 64)
		goto bad;
	json_array_foreach(names, i, n) {
		if (!json_is_string(n) ||
		    !proto_verb_valid(json_string_value(n)))
			goto bad;
	}
	*out = json_incref(names);
	return 0;
bad:
	*cause = xstrdup("\"events\" must be an array of up to 64 event "
	                 "names");
	return GQ_EINVAL;
}

int
verb_events_subscribe(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "since", "events", NULL };
	json_t *filter;
	int64_t since;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_int(v->params, "since", 0, PROTO_MAX_ID_PARAM, -1,
	         &since, cause)) != 0 ||
	    (rc = verb_events_filter(json_object_get(v->params, "events"),
	         &filter, cause)) != 0)
		return rc;
	if ((rc = events_subscribe(v->d, v->c, since)) != 0) {
		json_decref(filter);
		*cause = xasprintf("events after %lld are no longer kept (now "
		                   "at %lld): take a fresh snapshot",
		    (long long)since, (long long)v->d->event_seq);
		return rc;
	}
	json_decref(v->c->sub_filter);
	v->c->sub_filter = filter;
	*result = json_pack("{s:I}", "seq", (json_int_t)v->d->event_seq);
	return 0;
}
