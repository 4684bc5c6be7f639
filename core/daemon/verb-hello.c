#include <unistd.h>

#include "core/daemon/verbs.h"
#include "remote/proto.h"

int
verb_hello(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "proto", "version", "software",
		"verbs", NULL };
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0)
		return rc;
	*result = json_pack("{s:i,s:s,s:s,s:s,s:I,s:b,s:s,s:o}", "proto",
	    PROTO_VERSION, "version", GPUQ_VERSION, "software", "gpuqd", "user",
	    v->c->user, "uid", (json_int_t)v->c->uid, "admin", v->c->admin,
	    "host", v->d->host, "verbs", verbs_names());
	return 0;
}
