/*
 * Suspend and resume in the local executor, the daemon's side: a request
 * file in the job's directory and a SIGUSR1 to its supervisor, then the
 * supervisor's report read back (exec-swap.h describes both files).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-state.h"
#include "core/exec/exec-swap.h"

static const char *
exec_swap_mech_name(int mech)
{
	return mech == JOB_SWAP_CUDA ? "cuda-checkpoint" : "stop";
}

/*
 * 1 if pid blocks SIGUSR1, as a supervisor that reads it from its
 * signalfd does.  One started by an older gpuqd would die of it.
 */
static int
exec_swap_ready(pid_t pid)
{
	unsigned long long blk = 0;
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = sscanf(line, "SigBlk: %llx", &blk) == 1;
	fclose(f);
	return found && (blk & (1ULL << (SIGUSR1 - 1))) != 0;
}

/* The request file's text (new). */
static json_t *
exec_swap_req(const struct exec_ctx *x, const char *op, int mech, int32_t seq)
{
	json_t *req;

	req = json_pack("{s:i,s:s,s:s}", "seq", (int)seq, "op", op, "mech",
	    exec_swap_mech_name(mech));
	if (mech == JOB_SWAP_CUDA && x->cuda_checkpoint != NULL)
		json_object_set_new(req, "tool",
		    json_string(x->cuda_checkpoint));
	return req;
}

static int
exec_swap_request(const struct exec_ctx *x, const struct job *j, const char *op,
    int mech, int32_t seq, char *cause, size_t n)
{
	uint64_t start;
	char *dir, *path;
	json_t *req;
	pid_t pid;
	int rc;

	if (j->attempt <= 0) {
		snprintf(cause, n, "the job has not started");
		return GQ_ESTATE;
	}
	exec_local_holder(x, j, &pid, &start);
	if (pid <= 0 || !exec_state_alive(pid, start)) {
		snprintf(cause, n, "the job's supervisor has gone");
		return GQ_ESTATE;
	}
	if (!exec_swap_ready(pid)) {
		snprintf(cause, n,
		    "the job's supervisor (pid %ld) was started by a gpuqd "
		    "without suspend",
		    (long)pid);
		return GQ_ESTATE;
	}
	req = exec_swap_req(x, op, mech, seq);
	dir = exec_state_job_dir(x->state_dir, j->core.id);
	path = exec_state_path(dir, "swap-req", j->attempt, ".json");
	if ((rc = exec_state_json_write(path, req, 0600)) != 0)
		snprintf(cause, n, "cannot write %s", path);
	else if ((rc = exec_local_signal_to(pid, start, SIGUSR1, seq)) != 0)
		snprintf(cause, n, "cannot signal the supervisor (pid %ld)",
		    (long)pid);
	free(path);
	free(dir);
	json_decref(req);
	return rc;
}

int
exec_swap_suspend(const struct exec_ctx *x, const struct job *j, int mech,
    int32_t seq, char *cause, size_t n)
{
	if (mech == JOB_SWAP_CUDA && x->cuda_checkpoint == NULL) {
		snprintf(cause, n, "no cuda-checkpoint on this node");
		return GQ_EINVAL;
	}
	if (mech != JOB_SWAP_CUDA && mech != JOB_SWAP_STOP) {
		snprintf(cause, n,
		    "the local executor suspends by stop or "
		    "cuda-checkpoint only");
		return GQ_EINVAL;
	}
	return exec_swap_request(x, j, "suspend", mech, seq, cause, n);
}

int
exec_swap_resume(const struct exec_ctx *x, const struct job *j, int mech,
    int32_t seq, char *cause, size_t n)
{
	if (mech != JOB_SWAP_CUDA && mech != JOB_SWAP_STOP) {
		snprintf(cause, n, "nothing to resume");
		return GQ_EINVAL;
	}
	return exec_swap_request(x, j, "resume", mech, seq, cause, n);
}

static void
exec_swap_decode(json_t *v, struct exec_swap *st)
{
	const char *mech = NULL, *err = NULL;
	json_int_t t = 0;
	int ok = 0, ncuda = 0;

	json_unpack(v, "{s?b, s?s, s?i, s?s, s?I}", "ok", &ok, "mech", &mech,
	    "ncuda", &ncuda, "error", &err, "time", &t);
	st->done = 1;
	st->ok = ok;
	st->mech = mech != NULL && strcmp(mech, "cuda-checkpoint") == 0 ?
	    JOB_SWAP_CUDA :
	    JOB_SWAP_STOP;
	st->ncuda = ncuda;
	st->time = t;
	snprintf(st->error, sizeof(st->error), "%s", err != NULL ? err : "");
}

int
exec_swap_check(const struct exec_ctx *x, const struct job *j, int32_t seq,
    struct exec_swap *st)
{
	char *dir, *path;
	json_int_t got = -1;
	json_t *v;

	memset(st, 0, sizeof(*st));
	if (j->attempt <= 0)
		return GQ_ESTATE;
	dir = exec_state_job_dir(x->state_dir, j->core.id);
	path = exec_state_path(dir, "swap", j->attempt, ".json");
	v = json_load_file(path, 0, NULL);
	free(path);
	free(dir);
	if (v != NULL && json_unpack(v, "{s:I}", "seq", &got) == 0 &&
	    got == seq)
		exec_swap_decode(v, st);
	json_decref(v);
	return 0;
}
