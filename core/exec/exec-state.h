/*
 * The files the local executor and its supervisors share in a job's
 * directory (STATE/jobs/<id>/), and what /proc says about a process.
 * Internal to core/exec; see docs/internals/executor.md.
 *
 *   spec-N.json    what attempt N runs (written by the daemon)
 *   claim-N        "PID STARTTICKS" of the supervisor that ran attempt N,
 *                  or "rescinded": created once with link(), never changed
 *   result-N.json  how attempt N ended (written by its supervisor)
 *   stdout, stderr the job's logs, appended to by every attempt
 *   supervise.log  the supervisors' own diagnostics
 */
#ifndef GPUQ_EXEC_STATE_H
#define GPUQ_EXEC_STATE_H

#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "core/exec/exec.h"

#define EXEC_STATE_RESCINDED "rescinded"

enum exec_claim_kind {
	EXEC_CLAIM_NONE,      /* nobody has claimed the attempt yet */
	EXEC_CLAIM_HELD,      /* a supervisor claimed it (pid, start) */
	EXEC_CLAIM_RESCINDED, /* the daemon rescinded it: it never ran */
};

struct exec_claim {
	enum exec_claim_kind kind;
	pid_t pid;
	uint64_t start;
};

/* STATE/jobs/<id> (new string). */
char *exec_state_job_dir(const char *state_dir, int64_t job_id);
/* Creates STATE (0700), STATE/jobs (0700) and the job's directory. */
int exec_state_mkdirs(const char *state_dir, int64_t job_id, char *cause,
    size_t n);
/* DIR/<name>-<attempt><suffix> (new string). */
char *exec_state_path(const char *dir, const char *name, int32_t attempt,
    const char *suffix);

/*
 * Reads field 22 of /proc/PID/stat (start time in clock ticks since boot)
 * and the state letter.  Returns 0 or GQ_ENOENT when there is no such
 * process.
 */
int exec_state_proc(pid_t pid, uint64_t *start, char *state);
/* 1 if pid is a live (not zombie) process that started at start. */
int exec_state_alive(pid_t pid, uint64_t start);

/*
 * Creates DIR/claim-<attempt> holding text, atomically and only if it does
 * not exist yet (temp file, fsync, link()).  Returns 0, GQ_EEXIST when
 * someone else claimed or rescinded first, or GQ_EIO.
 */
int exec_state_claim(const char *dir, int32_t attempt, const char *text);
/* Reads DIR/claim-<attempt>.  Returns 0 or GQ_EIO (unreadable, garbled). */
int exec_state_claim_read(const char *dir, int32_t attempt,
    struct exec_claim *c);

/*
 * Writes v to path atomically (temp file, fsync, rename) with mode.
 * Does not steal v.
 */
int exec_state_json_write(const char *path, json_t *v, mode_t mode);
/* Reads DIR/result-<attempt>.json.  Returns 0, GQ_ENOENT or GQ_EIO. */
int exec_state_result_read(const char *dir, int32_t attempt,
    struct exec_result *res);
int exec_state_result_write(const char *dir, int32_t attempt,
    const struct exec_result *res);
/* Fills res as ended without an exit code, for the reason given. */
void exec_state_result_lost(struct exec_result *res, int64_t now,
    const char *reason);

#endif
