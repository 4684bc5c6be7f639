#include <sys/resource.h>
#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tests/integration/itest.h"

void
itest_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

int64_t
itest_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct client *
itest_connect(const char *sock, int wait_ms)
{
	int64_t until = itest_now_ms() + wait_ms;
	struct client *c = NULL;
	char *cause = NULL;
	int rc;

	for (;;) {
		free(cause);
		cause = NULL;
		rc = client_open_unix(sock, &c, &cause);
		if (rc == 0)
			return c;
		if (rc != GQ_ECONN || itest_now_ms() >= until)
			break;
		usleep(50 * 1000);
	}
	fprintf(stderr, "cannot connect to %s: %s\n", sock,
	    cause != NULL ? cause : gq_err_text(rc));
	free(cause);
	return NULL;
}

json_t *
itest_submit_params(const struct itest_jobspec *spec, const char *key)
{
	json_t *argv, *p;

	if (spec->cmd != NULL)
		argv = json_pack("[s,s,s]", "sh", "-c", spec->cmd);
	else
		argv = json_pack("[s]", "true");
	p = json_pack("{s:o, s:s, s:s, s:f, s:I}", "argv", argv, "workdir",
	    spec->workdir != NULL ? spec->workdir : "/", "name", key, "cpus",
	    spec->cpus > 0 ? spec->cpus : 0.01, "mem_mb",
	    (json_int_t)(spec->mem_mb > 0 ? spec->mem_mb : 1));
	if (spec->gpus > 0)
		json_object_set_new(p, "gpus", json_real(spec->gpus));
	if (key != NULL)
		json_object_set_new(p, "key", json_string(key));
	return p;
}

/* One page of job.list after "after"; appends to all, returns next. */
static int
itest_list_page(struct client *c, json_t *all, int64_t *after)
{
	json_t *res, *next;
	char *cause;
	int rc;

	rc = client_call(c, "job.list",
	    json_pack("{s:b, s:I, s:i}", "all", 1, "after", (json_int_t)*after,
	        "limit", 10000),
	    &res, &cause);
	if (rc != 0) {
		fprintf(stderr, "job.list: %s\n", cause ? cause : "?");
		free(cause);
		return rc;
	}
	json_array_extend(all, json_object_get(res, "jobs"));
	next = json_object_get(res, "next");
	*after = json_is_integer(next) ? json_integer_value(next) : -1;
	json_decref(res);
	return 0;
}

int
itest_list_all(struct client *c, json_t **jobs)
{
	int64_t after = 0;
	int rc;

	*jobs = json_array();
	while (after >= 0) {
		if ((rc = itest_list_page(c, *jobs, &after)) != 0) {
			json_decref(*jobs);
			*jobs = NULL;
			return rc;
		}
	}
	return 0;
}

ssize_t
itest_read_acks(const char *path, struct itest_ack **acks)
{
	FILE *fp = fopen(path, "r");
	size_t n = 0, cap = 0;
	long long id;
	char key[129];

	*acks = NULL;
	if (fp == NULL)
		return -1;
	while (fscanf(fp, "%lld %128s", &id, key) == 2) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			*acks = xreallocarray(*acks, cap, sizeof(**acks));
		}
		(*acks)[n].id = id;
		snprintf((*acks)[n].key, sizeof((*acks)[n].key), "%s", key);
		n++;
	}
	fclose(fp);
	return (ssize_t)n;
}

void
itest_raise_nofile(size_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		fprintf(stderr, "setrlimit: %s\n", strerror(errno));
}
