#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

#define LOGS_MAX_LIMIT (1024 * 1024)

static int
logs_stream(json_t *p, int *is_stderr, char **cause)
{
	const char *s;
	int rc;

	if ((rc = params_str(p, "stream", 16, "stdout", &s, cause)) != 0)
		return rc;
	if (strcmp(s, "stdout") != 0 && strcmp(s, "stderr") != 0) {
		*cause = xstrdup("\"stream\" must be stdout or stderr");
		return GQ_EINVAL;
	}
	*is_stderr = s[3] == 'e';
	return 0;
}

int
verb_job_logs(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", "stream", "offset",
		"limit", "follow", NULL };
	int64_t offset, limit;
	int is_stderr, follow, ended, rc;
	struct logs_chunk ch;
	struct job *j;
	char *path;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = jobs_archive_param(v, &j, cause)) != 0 ||
	    (rc = params_may_read(v, j, cause)) != 0 ||
	    (rc = logs_stream(v->params, &is_stderr, cause)) != 0 ||
	    (rc = params_int(v->params, "offset", -PROTO_MAX_ID_PARAM,
	         PROTO_MAX_ID_PARAM, 0, &offset, cause)) != 0 ||
	    (rc = params_int(v->params, "limit", 1, LOGS_MAX_LIMIT, 65536,
	         &limit, cause)) != 0 ||
	    (rc = params_bool(v->params, "follow", 0, &follow, cause)) != 0)
		return rc;
	ended = model_state_final(j->core.state);
	path = v->d->exec->log_path(&v->d->xctx, j->core.id,
	    is_stderr ? "stderr" : "stdout");
	rc = logs_read(path, offset, (size_t)limit, ended, &ch);
	free(path);
	if (rc != 0) {
		*cause = xstrdup("cannot read the log");
		return rc;
	}
	if (follow && (rc = follow_add(v->c, j->core.id, is_stderr, ch.next))) {
		free(ch.data);
		*cause = xstrdup("too many follows on this connection");
		return rc;
	}
	*result = json_pack("{s:s,s:I,s:I,s:I,s:b}", "data", ch.data, "offset",
	    (json_int_t)ch.start, "next", (json_int_t)ch.next, "size",
	    (json_int_t)ch.size, "ended", ended);
	free(ch.data);
	return 0;
}
