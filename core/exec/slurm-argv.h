/*
 * The command lines gpuqd runs for Slurm: sbatch, scancel, scontrol,
 * squeue, sacct.  Pure: no I/O.  Every one is an argv array, run without a
 * shell; whatever the user wrote reaches Slurm as one argument each.
 */
#ifndef GPUQ_SLURM_ARGV_H
#define GPUQ_SLURM_ARGV_H

#include <stddef.h>
#include <stdint.h>

#define SLURM_ARGV_MAX_NAME 64 /* longest --job-name we pass */

/* What one sbatch submits.  NULL or 0: not passed (Slurm's default). */
struct slurm_submit {
	const char *script;    /* the batch script's path */
	const char *partition; /* -p */
	const char *nodelist;  /* --nodelist: gpuq chose the node */
	const char *gpu_type;  /* gres type of the GPUs, or NULL */
	int32_t gpus;          /* --gres=gpu:N (whole GPUs) */
	int32_t shards;        /* --gres=shard:K (a share of one GPU) */
	int32_t cpus;          /* --cpus-per-task */
	int64_t mem_mb;        /* --mem */
	int64_t time_s;        /* --time, rounded up to whole minutes */
	int32_t signo;         /* --signal=B:signo@signal_s */
	int32_t signal_s;
	const char *out, *err; /* --output, --error ('%' escaped here) */
	const char *comment;   /* --comment, the gpuq tag */
	const char *name;      /* --job-name (tidied here) */
	int64_t job_id;        /* names the job when name is empty */
	const char *workdir;   /* --chdir */
	int64_t uid, gid;      /* --uid/--gid when >= 0 (root only) */
};

/*
 * sbatch's argv for s (new, NULL-terminated; slurm_argv_free).  NULL with
 * a reason in cause when a path cannot be given to Slurm (a backslash
 * turns its filename patterns off).
 */
char **slurm_argv_sbatch(const struct slurm_submit *s, char *cause, size_t n);
/* Builds an argv from a NULL-terminated list of words (new copy). */
char **slurm_argv_make(const char *first, ...);
/* Appends a copy of word to *v (a vector from this file). */
void slurm_argv_push(char ***v, const char *word);
void slurm_argv_free(char **v);
size_t slurm_argv_count(char *const *v);

/* Shards for a share of milli/1000 GPU with per_gpu shards a GPU (ceil). */
int32_t slurm_argv_shards(int32_t milli, int32_t per_gpu);
/* "%" doubled, for --output and --error (new); NULL on a backslash. */
char *slurm_argv_escape_path(const char *path);
/* A job name Slurm shows plainly: [A-Za-z0-9_.+-], at most 64 bytes. */
void slurm_argv_job_name(const char *name, int64_t job_id, char *out, size_t n);
/* The gpuq tag in --comment: "gpuq:HOST:JOB:ATTEMPT" (new). */
char *slurm_argv_tag(const char *host, int64_t job_id, int32_t attempt);

#endif
