/*
 * crashcheck: what must hold after gpuqd was killed under load.
 *
 *   crashcheck -S SOCK -a ACKED [-m MARKER] [-t WAIT_S] [--cmd CMD]
 *
 * ACKED is loadgen's file of acknowledged submits ("ID KEY").  Checks that
 *   - a key acknowledged twice (by twin clients) got the same id both
 *     times, and an id never came back for two keys;
 *   - every acknowledged job exists, under the id it was acknowledged with,
 *     named by its key, and no two jobs carry the same name (key);
 *   - submitting each acknowledged key again returns the same id and adds
 *     no job (the idempotency record survived the crash);
 *   - once nothing is PENDING or RUNNING (waits up to WAIT_S): every job
 *     ended COMPLETED, and MARKER (one line "ID ..." per run of a job)
 *     names each job at most once, every COMPLETED job exactly once.
 * Prints what it found; exit 0 when all holds, 1 when not, 3 on setup
 * failure.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tests/integration/itest.h"

struct crashcheck {
	const char *sock, *ackpath, *marker;
	int wait_s;
	struct itest_jobspec spec;
	struct client *c;
	struct itest_ack *acks;
	size_t nacks;
	json_t **byid; /* borrowed from jobs; index = id */
	json_t *jobs;
	int64_t maxid;
	int failures;
};

static void crashcheck_fail(struct crashcheck *cc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
crashcheck_fail(struct crashcheck *cc, const char *fmt, ...)
{
	va_list ap;

	if (cc->failures++ >= 20)
		return;
	va_start(ap, fmt);
	fprintf(stdout, "crashcheck: FAIL: ");
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

static const char *
crashcheck_str(json_t *job, const char *name)
{
	const char *s = json_string_value(json_object_get(job, name));

	return s != NULL ? s : "";
}

/* Lists every job and indexes it by id. */
static void
crashcheck_load(struct crashcheck *cc)
{
	json_t *j;
	int64_t id;
	size_t i;

	json_decref(cc->jobs);
	free(cc->byid);
	if (itest_list_all(cc->c, &cc->jobs) != 0)
		itest_die("crashcheck: cannot list jobs");
	cc->maxid = 0;
	json_array_foreach(cc->jobs, i, j) {
		id = json_integer_value(json_object_get(j, "id"));
		if (id > cc->maxid)
			cc->maxid = id;
	}
	cc->byid = xcalloc((size_t)cc->maxid + 1, sizeof(*cc->byid));
	json_array_foreach(cc->jobs, i, j) {
		id = json_integer_value(json_object_get(j, "id"));
		if (id > 0)
			cc->byid[id] = j;
	}
}

static int
crashcheck_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* No two jobs share a name: a key never made two jobs. */
static void
crashcheck_names_unique(struct crashcheck *cc)
{
	size_t i, n = json_array_size(cc->jobs);
	const char **names = xcalloc(n + 1, sizeof(*names));

	for (i = 0; i < n; i++)
		names[i] = crashcheck_str(json_array_get(cc->jobs, i), "name");
	qsort(names, n, sizeof(*names), crashcheck_cmp_str);
	for (i = 1; i < n; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			crashcheck_fail(cc, "two jobs are named (keyed) %s",
			    names[i]);
	free(names);
}

static void
crashcheck_acked_exist(struct crashcheck *cc)
{
	struct itest_ack *a;
	size_t i;

	for (i = 0; i < cc->nacks; i++) {
		a = &cc->acks[i];
		if (a->id <= 0 || a->id > cc->maxid || cc->byid[a->id] == NULL)
			crashcheck_fail(cc,
			    "acknowledged job %lld (%s) is lost",
			    (long long)a->id, a->key);
		else if (strcmp(crashcheck_str(cc->byid[a->id], "name"),
		             a->key) != 0)
			crashcheck_fail(cc, "job %lld is named %s, acked as %s",
			    (long long)a->id,
			    crashcheck_str(cc->byid[a->id], "name"), a->key);
	}
}

static int
crashcheck_cmp_ack_key(const void *a, const void *b)
{
	return strcmp(((const struct itest_ack *)a)->key,
	    ((const struct itest_ack *)b)->key);
}

static int
crashcheck_cmp_ack_id(const void *a, const void *b)
{
	int64_t x = ((const struct itest_ack *)a)->id;
	int64_t y = ((const struct itest_ack *)b)->id;

	return x < y ? -1 : x > y;
}

/* One key, one id: across every acknowledgement. */
static void
crashcheck_acks_consistent(struct crashcheck *cc)
{
	struct itest_ack *a = cc->acks;
	size_t i, twins = 0;

	qsort(a, cc->nacks, sizeof(*a), crashcheck_cmp_ack_key);
	for (i = 1; i < cc->nacks; i++) {
		if (strcmp(a[i - 1].key, a[i].key) != 0)
			continue;
		twins++;
		if (a[i - 1].id != a[i].id)
			crashcheck_fail(cc,
			    "key %s acked as jobs %lld and %lld", a[i].key,
			    (long long)a[i - 1].id, (long long)a[i].id);
	}
	qsort(a, cc->nacks, sizeof(*a), crashcheck_cmp_ack_id);
	for (i = 1; i < cc->nacks; i++)
		if (a[i - 1].id == a[i].id && strcmp(a[i - 1].key, a[i].key))
			crashcheck_fail(cc, "job %lld acked for keys %s and %s",
			    (long long)a[i].id, a[i - 1].key, a[i].key);
	printf("crashcheck: %zu keys were acknowledged twice (twin clients)\n",
	    twins);
}

/* Every acked key again: the same id back, no new job. */
static void
crashcheck_resubmit(struct crashcheck *cc)
{
	size_t i, before = json_array_size(cc->jobs);
	json_t *res;
	char *cause;
	int64_t id;
	int rc;

	for (i = 0; i < cc->nacks; i++) {
		rc = client_call(cc->c, "job.submit",
		    itest_submit_params(&cc->spec, cc->acks[i].key), &res,
		    &cause);
		if (rc != 0)
			itest_die("crashcheck: resubmit %s: %s",
			    cc->acks[i].key, cause ? cause : gq_err_name(rc));
		id = json_integer_value(
		    json_object_get(json_object_get(res, "job"), "id"));
		if (id != cc->acks[i].id)
			crashcheck_fail(cc,
			    "key %s now gives job %lld, not %lld",
			    cc->acks[i].key, (long long)id,
			    (long long)cc->acks[i].id);
		json_decref(res);
	}
	crashcheck_load(cc);
	if (json_array_size(cc->jobs) != before)
		crashcheck_fail(cc, "resubmitting %zu acked keys made %zu jobs",
		    cc->nacks, json_array_size(cc->jobs) - before);
}

/* Waits until nothing is PENDING or RUNNING. */
static void
crashcheck_wait(struct crashcheck *cc)
{
	int64_t until = itest_now_ms() + (int64_t)cc->wait_s * 1000, total;
	json_t *res;
	char *cause;

	for (;;) {
		if (client_call(cc->c, "job.list",
		        json_pack("{s:i}", "limit", 1), &res, &cause) != 0)
			itest_die("crashcheck: job.list: %s", cause);
		total = json_integer_value(json_object_get(res, "total"));
		json_decref(res);
		if (total == 0)
			return;
		if (itest_now_ms() >= until) {
			crashcheck_fail(cc, "%lld jobs still active after %d s",
			    (long long)total, cc->wait_s);
			return;
		}
		usleep(200 * 1000);
	}
}

/* Counts marker lines per job id; NULL when there is no marker file. */
static int *
crashcheck_marker_counts(struct crashcheck *cc, long *lines)
{
	int *count = xcalloc((size_t)cc->maxid + 1, sizeof(int));
	FILE *fp = fopen(cc->marker, "r");
	char line[256];
	long long id;

	*lines = 0;
	if (fp == NULL)
		return count;
	while (fgets(line, sizeof(line), fp) != NULL) {
		(*lines)++;
		if (sscanf(line, "%lld", &id) != 1 || id <= 0 ||
		    id > cc->maxid || cc->byid[id] == NULL)
			crashcheck_fail(cc, "marker line for no job: %s", line);
		else
			count[id]++;
	}
	fclose(fp);
	return count;
}

static void
crashcheck_runs(struct crashcheck *cc)
{
	long lines, completed = 0;
	const char *state;
	int64_t id;
	int *count;

	count = crashcheck_marker_counts(cc, &lines);
	for (id = 1; id <= cc->maxid; id++) {
		if (cc->byid[id] == NULL)
			continue;
		state = crashcheck_str(cc->byid[id], "state");
		if (count[id] > 1)
			crashcheck_fail(cc, "job %lld ran %d times",
			    (long long)id, count[id]);
		if (strcmp(state, "COMPLETED") != 0) {
			crashcheck_fail(cc, "job %lld ended %s (%s)",
			    (long long)id, state,
			    crashcheck_str(cc->byid[id], "reason"));
			continue;
		}
		completed++;
		if (count[id] != 1)
			crashcheck_fail(cc, "COMPLETED job %lld ran %d times",
			    (long long)id, count[id]);
	}
	printf("crashcheck: %ld COMPLETED, %ld marker lines\n", completed,
	    lines);
	free(count);
}

static void
crashcheck_parse(struct crashcheck *cc, int argc, char **argv)
{
	static const struct option longs[] = { { "cmd", 1, NULL, 'C' },
		{ NULL, 0, NULL, 0 } };
	int ch;

	while ((ch = getopt_long(argc, argv, "S:a:m:t:", longs, NULL)) != -1) {
		if (ch == 'S')
			cc->sock = optarg;
		else if (ch == 'a')
			cc->ackpath = optarg;
		else if (ch == 'm')
			cc->marker = optarg;
		else if (ch == 't')
			cc->wait_s = atoi(optarg);
		else if (ch == 'C')
			cc->spec.cmd = optarg;
		else
			itest_die("usage: crashcheck -S SOCK -a ACKED "
			          "[-m MARKER] [-t WAIT_S] [--cmd CMD]");
	}
	if (cc->sock == NULL || cc->ackpath == NULL)
		itest_die("crashcheck: -S and -a are required");
}

int
main(int argc, char **argv)
{
	struct crashcheck cc = { .wait_s = 120 };
	ssize_t n;

	crashcheck_parse(&cc, argc, argv);
	if ((n = itest_read_acks(cc.ackpath, &cc.acks)) < 0)
		itest_die("crashcheck: cannot read %s", cc.ackpath);
	cc.nacks = (size_t)n;
	if ((cc.c = itest_connect(cc.sock, 10000)) == NULL)
		return 3;
	crashcheck_load(&cc);
	printf("crashcheck: %zu acked, %zu jobs in the store\n", cc.nacks,
	    json_array_size(cc.jobs));
	crashcheck_acks_consistent(&cc);
	crashcheck_acked_exist(&cc);
	crashcheck_names_unique(&cc);
	crashcheck_resubmit(&cc);
	if (cc.marker != NULL) {
		crashcheck_wait(&cc);
		crashcheck_load(&cc);
		crashcheck_runs(&cc);
	}
	client_free(cc.c);
	printf("crashcheck: %s (%d failures)\n", cc.failures ? "FAIL" : "ok",
	    cc.failures);
	return cc.failures ? 1 : 0;
}
