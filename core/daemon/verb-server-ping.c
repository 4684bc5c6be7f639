/*
 * server.ping: the cheapest round trip.  Clients send it on an idle
 * connection to learn that the link (an SSH channel, a bridge) still
 * carries bytes both ways; it reads nothing and changes nothing.
 */
#include "core/daemon/verbs.h"

int
verb_server_ping(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { NULL };
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0)
		return rc;
	*result = json_pack("{s:I}", "time", (json_int_t)v->now);
	return 0;
}
