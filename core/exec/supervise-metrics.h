/*
 * The metrics file of a job that runs as another user (supervise-metrics.c):
 * the supervisor opens it while still root and hands the job a descriptor.
 */
#ifndef GPUQ_EXEC_SUPERVISE_METRICS_H
#define GPUQ_EXEC_SUPERVISE_METRICS_H

#include <sys/types.h>

/*
 * If env (owned, NULL-terminated; may be replaced) sets GPUQ_METRICS_FILE
 * to DIR/metrics.jsonl, opens that file for appending (O_CLOEXEC, created
 * mode 0640, given to uid:gid), rewrites the variable to /dev/fd/N and
 * sets GPUQ_METRICS_FD=N.  Returns N (at least 3), or -1 when the job
 * asks for no metrics file or it cannot be opened (why says so; the
 * environment is then left alone).  The caller clears FD_CLOEXEC on N in
 * the job's child only, and closes N.
 */
int supervise_metrics_open(const char *dir, char ***env, uid_t uid, gid_t gid,
    char *why, size_t n);

#endif
