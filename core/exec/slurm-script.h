/*
 * The batch script gpuqd hands to sbatch for one attempt of a job, and the
 * shell quoting it is built with.  Pure: no I/O, no clock.
 *
 * The script claims the attempt in the job's directory (the same
 * claim-N file the daemon rescinds after a crash, so an attempt runs at
 * most once), sets the job's environment and execs the job's argv.  Every
 * word the user gave is single-quoted: no metacharacter is interpreted.
 * docs/slurm.md tells the story.
 */
#ifndef GPUQ_SLURM_SCRIPT_H
#define GPUQ_SLURM_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/buf.h"

#define SLURM_SCRIPT_MAX (1024 * 1024) /* longest script, bytes */

struct slurm_script {
	int64_t job_id;
	int32_t attempt;
	const char *dir;         /* the job's directory: claim-N goes there */
	const char *workdir;     /* cd there first */
	const char *const *argv; /* argc words; argv[0] is the program */
	size_t argc;
	const char *const *env;   /* the job's "K=V", NULL-terminated */
	const char *const *extra; /* gpuq's own "K=V", set last */
};

/*
 * Appends s to b as one shell word in single quotes ('it'\''s').  Returns
 * 0, or GQ_ETOOBIG when b is full (b is then unchanged).
 */
int slurm_script_quote(struct buf *b, const char *s);
/* True when the K of "K=V" is a shell name: [A-Za-z_][A-Za-z0-9_]*. */
int slurm_script_name_ok(const char *kv);
/*
 * True when the job's own variable kv is passed on: not one that Slurm
 * sets for the job (SLURM_*, CUDA_VISIBLE_DEVICES) or gpuq sets (GPUQ_*,
 * CUDA_DEVICE_ORDER), and a shell name.
 */
int slurm_script_keep(const char *kv);
/*
 * Writes the script into out (reset first).  Returns 0, or GQ_EINVAL /
 * GQ_ETOOBIG with a reason in cause (n bytes).
 */
int slurm_script_build(const struct slurm_script *s, struct buf *out,
    char *cause, size_t n);

#endif
