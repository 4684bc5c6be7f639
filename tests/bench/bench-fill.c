/*
 * bench-fill: writes finished jobs straight into a gpuqd store, with the
 * same store_job_put and store_job_history_add the daemon uses, so a
 * benchmark can start a daemon over a million finished jobs without
 * running them (tests/bench/bench-memory-finished.sh).
 *
 *   bench-fill [-n JOBS] [-u USERS] [-p PROJECTS] [-d DAYS] STORE
 *
 * Each job looks like one a data scientist submits: a python command
 * line with a few flags, a small environment, a working directory, one
 * GPU, 4 CPUs and 32 GiB, three history rows (PENDING, RUNNING, its end).
 * Ends are spread over the last DAYS days; nine in ten COMPLETED, the
 * rest FAILED with a reason.  Ids follow the store's next_job_id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/job.h"
#include "core/store/store.h"

#define FILL_BATCH 20000

struct fill {
	int64_t n, users, projects, days;
	int64_t now, first;
};

static void
fill_job_strings(struct job *j, int64_t i, const struct fill *f)
{
	char lr[32], seed[32], name[64], wd[128], home[128];
	const char *argv[] = { "python3", "train.py", "--lr", lr, "--seed",
		seed, "--config", "configs/resnet50.yaml" };
	const char *env[] = { "PATH=/usr/local/bin:/usr/bin:/bin", home,
		"LANG=C.UTF-8", "WANDB_PROJECT=vision", "PYTHONUNBUFFERED=1" };

	snprintf(lr, sizeof(lr), "%g", 1e-4 * (double)(1 + i % 9));
	snprintf(seed, sizeof(seed), "%lld", (long long)i);
	snprintf(name, sizeof(name), "train-%lld", (long long)(i % 1000));
	snprintf(wd, sizeof(wd), "/home/user%lld/proj",
	    (long long)(i % f->users));
	snprintf(home, sizeof(home), "HOME=/home/user%lld",
	    (long long)(i % f->users));
	job_set_argv(j, argv, sizeof(argv) / sizeof(argv[0]));
	job_set_env(j, env, sizeof(env) / sizeof(env[0]));
	j->name = xstrdup(name);
	j->workdir = xstrdup(wd);
}

static struct job *
fill_job(int64_t i, const struct fill *f)
{
	struct job *j = job_new();
	int64_t span = f->days * 86400, end, run;

	j->core.id = f->first + i;
	snprintf(j->core.user, sizeof(j->core.user), "user%lld",
	    (long long)(i % f->users));
	snprintf(j->core.project, sizeof(j->core.project), "proj%lld",
	    (long long)(i % f->projects));
	j->core.cls = JOB_CLASS_TRAIN;
	j->core.preemptible = 1;
	j->core.req.gpus_milli = 1000;
	j->core.req.cpus_milli = 4000;
	j->core.req.mem_mb = 32768;
	j->core.req.time_limit_s = 86400;
	/* Ends spread evenly over the span, the newest last. */
	end = f->now - span + span * (i + 1) / f->n;
	run = 60 + (i * 7919) % 7200;
	j->core.submit_time = end - run - 30;
	j->start_time = end - run;
	j->end_time = end;
	j->core.alloc.ngpus = 1;
	j->core.alloc.gpus[0].gpu = (int32_t)(i % 8);
	j->core.alloc.gpus[0].milli = 1000;
	j->core.alloc.gpus[0].mem_mb = 81559;
	j->core.alloc.cpus_milli = 4000;
	j->core.alloc.mem_mb = 32768;
	j->attempt = 1;
	j->uid = (uid_t)(1000 + i % f->users);
	j->gid = j->uid;
	fill_job_strings(j, i, f);
	if (i % 10 == 9) {
		j->core.state = JOB_FAILED;
		j->exit_code = 1;
		job_set_reason(j, "exit code 1");
	} else {
		j->core.state = JOB_COMPLETED;
		j->exit_code = 0;
	}
	return j;
}

static int
fill_one(struct store *st, int64_t i, const struct fill *f)
{
	struct job *j = fill_job(i, f);
	int rc;

	rc = store_job_put(st, j);
	if (rc == 0)
		rc = store_job_history_add(st, j->core.id, j->core.submit_time,
		    JOB_PENDING, NULL);
	if (rc == 0)
		rc = store_job_history_add(st, j->core.id, j->start_time,
		    JOB_RUNNING, NULL);
	if (rc == 0)
		rc = store_job_history_add(st, j->core.id, j->end_time,
		    j->core.state, j->reason);
	job_free(j);
	return rc;
}

static int
fill_all(struct store *st, struct fill *f)
{
	int64_t i, next = 1;
	int rc = 0;

	if (store_meta_get(st, "next_job_id", &next) != 0)
		next = 1;
	f->first = next;
	for (i = 0; rc == 0 && i < f->n; i++) {
		if (i % FILL_BATCH == 0 && (rc = store_begin(st)) != 0)
			break;
		rc = fill_one(st, i, f);
		if (rc == 0 &&
		    (i % FILL_BATCH == FILL_BATCH - 1 || i == f->n - 1))
			rc = store_commit(st);
	}
	if (rc == 0 && (rc = store_begin(st)) == 0 &&
	    (rc = store_meta_set(st, "next_job_id", f->first + f->n)) == 0)
		rc = store_commit(st);
	return rc;
}

static int
fill_usage(void)
{
	fprintf(stderr,
	    "usage: bench-fill [-n JOBS] [-u USERS] "
	    "[-p PROJECTS] [-d DAYS] STORE\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct fill f = { 1000000, 50, 10, 30, 0, 0 };
	struct store *st;
	char *cause = NULL;
	int c, rc;

	while ((c = getopt(argc, argv, "n:u:p:d:")) != -1) {
		if (c == 'n')
			f.n = strtoll(optarg, NULL, 10);
		else if (c == 'u')
			f.users = strtoll(optarg, NULL, 10);
		else if (c == 'p')
			f.projects = strtoll(optarg, NULL, 10);
		else if (c == 'd')
			f.days = strtoll(optarg, NULL, 10);
		else
			return fill_usage();
	}
	if (optind != argc - 1 || f.n < 1 || f.users < 1 || f.projects < 1 ||
	    f.days < 1)
		return fill_usage();
	f.now = (int64_t)time(NULL);
	if (store_open(argv[optind], 0, &st, &cause) != 0) {
		fprintf(stderr, "bench-fill: %s\n", cause ? cause : "?");
		free(cause);
		return 1;
	}
	rc = fill_all(st, &f);
	store_close(st);
	if (rc != 0) {
		fprintf(stderr, "bench-fill: %s\n", gq_err_text(rc));
		return 1;
	}
	printf("bench-fill: %lld finished jobs, ids %lld to %lld\n",
	    (long long)f.n, (long long)f.first, (long long)(f.first + f.n - 1));
	return 0;
}
