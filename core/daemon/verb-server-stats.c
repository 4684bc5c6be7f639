#include <stdio.h>
#include <unistd.h>

#include "core/daemon/verbs.h"

static json_int_t
verb_server_stats_rss_kb(void)
{
	long pages = 0, resident = 0;
	FILE *fp = fopen("/proc/self/statm", "r");

	if (fp == NULL)
		return 0;
	if (fscanf(fp, "%ld %ld", &pages, &resident) != 2)
		resident = 0;
	fclose(fp);
	return (json_int_t)resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int
verb_server_stats(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { NULL };
	size_t counts[JOB_NSTATES];
	json_t *jobs;
	int rc, s;

	if ((rc = params_allow(v->params, allowed, cause)) != 0)
		return rc;
	jobs = json_object();
	jobs_count(v->d, counts);
	for (s = 0; s < JOB_NSTATES; s++)
		json_object_set_new(jobs, model_state_name(s),
		    json_integer((json_int_t)counts[s]));
	*result = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:s,s:s,"
	                    "s:s,s:s}",
	    "version", GPUQ_VERSION, "pid", (json_int_t)getpid(), "uptime_s",
	    (json_int_t)(v->now - v->d->start_time), "connections",
	    (json_int_t)v->d->nconns, "requests", (json_int_t)v->d->requests,
	    "commits", (json_int_t)v->d->commits, "event_seq",
	    (json_int_t)v->d->event_seq, "jobs", jobs, "rss_kb",
	    verb_server_stats_rss_kb(), "store", v->d->cfg.state_dir, "socket",
	    v->d->cfg.socket, "executor", v->d->exec->name, "policy",
	    v->d->policy->name);
	return 0;
}
