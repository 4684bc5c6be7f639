/*
 * bench-swap: how long a swap-out and a swap-in of one running job take,
 * seen from a client: job.suspend until the job.state event that says
 * SUSPENDED (its GPUs are free for the scheduler), and job.resume until
 * the event that says the swap-in is done (its processes run again).  The
 * process side is checked too: /proc/PID/stat says T while it is out.
 *
 *   bench-swap SOCK JOB_ID PID ROUNDS
 *
 * Prints "out MS" and "in MS" per round on stdout.  Exit 1 on a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "tests/integration/itest.h"

/* The process state letter of pid, or '?'. */
static char
bench_swap_pstate(long pid)
{
	char path[64], buf[512], *p, st = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return st;
	if (fgets(buf, sizeof(buf), f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL)
		st = p[2];
	fclose(f);
	return st;
}

/* Waits for a job.state event of job id in state, with swapping gone
 * when done is set.  0, or -1 after 30 s. */
static int
bench_swap_wait(struct client *c, long long id, const char *state, int done)
{
	json_t *ev, *job;
	const char *s;
	int rc;

	while ((rc = client_next_event(c, 30000, &ev)) == 1) {
		job = json_object_get(json_object_get(ev, "data"), "job");
		s = json_string_value(json_object_get(job, "state"));
		rc = json_integer_value(json_object_get(job, "id")) == id &&
		    s != NULL && strcmp(s, state) == 0 &&
		    (!done || json_object_get(job, "swapping") == NULL);
		json_decref(ev);
		if (rc)
			return 0;
	}
	return -1;
}

static int
bench_swap_call(struct client *c, const char *verb, long long id)
{
	json_t *res = NULL;
	char *cause = NULL;
	int rc;

	rc = client_call(c, verb, json_pack("{s:I}", "id", (json_int_t)id),
	    &res, &cause);
	if (rc != 0)
		fprintf(stderr, "bench-swap: %s: %s\n", verb,
		    cause ? cause : gq_err_text(rc));
	free(cause);
	json_decref(res);
	return rc;
}

static int
bench_swap_round(struct client *c, long long id, long pid)
{
	int64_t t0, t1, t2;

	t0 = itest_now_ms();
	if (bench_swap_call(c, "job.suspend", id) != 0 ||
	    bench_swap_wait(c, id, "SUSPENDED", 0) != 0)
		return -1;
	t1 = itest_now_ms();
	if (bench_swap_pstate(pid) != 'T') {
		fprintf(stderr, "bench-swap: %ld is not stopped\n", pid);
		return -1;
	}
	if (bench_swap_call(c, "job.resume", id) != 0 ||
	    bench_swap_wait(c, id, "RUNNING", 1) != 0)
		return -1;
	t2 = itest_now_ms();
	if (bench_swap_pstate(pid) == 'T') {
		fprintf(stderr, "bench-swap: %ld is still stopped\n", pid);
		return -1;
	}
	printf("out %lld\nin %lld\n", (long long)(t1 - t0),
	    (long long)(t2 - t1));
	fflush(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	struct client *c;
	json_t *res = NULL;
	char *cause = NULL;
	int i, n;

	if (argc != 5) {
		fprintf(stderr, "usage: bench-swap SOCK JOB_ID PID ROUNDS\n");
		return 2;
	}
	if ((c = itest_connect(argv[1], 5000)) == NULL)
		return 1;
	if (client_call(c, "events.subscribe", json_object(), &res, &cause) !=
	    0)
		itest_die("events.subscribe: %s", cause ? cause : "?");
	json_decref(res);
	n = atoi(argv[4]);
	for (i = 0; i < n; i++)
		if (bench_swap_round(c, atoll(argv[2]), atol(argv[3])) != 0) {
			client_free(c);
			return 1;
		}
	client_free(c);
	return 0;
}
