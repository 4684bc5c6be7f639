/*
 * Reading what Slurm's commands print: squeue and sacct lines in the
 * fixed formats gpuqd asks for, "scontrol show job -o" and "scontrol show
 * node -o" lines, job states and the gpuq tag.  Pure: no I/O.  Times are
 * read as seconds since the epoch (gpuqd runs the commands with
 * SLURM_TIME_FORMAT=%s).
 */
#ifndef GPUQ_SLURM_PARSE_H
#define GPUQ_SLURM_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/* Slurm's job states (JOB STATE CODES in squeue(1)). */
#define SLURM_STATES(X)                                                        \
	X(UNKNOWN)                                                             \
	X(PENDING)                                                             \
	X(CONFIGURING)                                                         \
	X(RUNNING)                                                             \
	X(SUSPENDED)                                                           \
	X(COMPLETING)                                                          \
	X(STOPPED)                                                             \
	X(SIGNALING)                                                           \
	X(STAGE_OUT)                                                           \
	X(RESIZING)                                                            \
	X(REQUEUED)                                                            \
	X(REQUEUE_FED)                                                         \
	X(REQUEUE_HOLD)                                                        \
	X(SPECIAL_EXIT)                                                        \
	X(RESV_DEL_HOLD)                                                       \
	X(COMPLETED)                                                           \
	X(FAILED)                                                              \
	X(CANCELLED)                                                           \
	X(TIMEOUT)                                                             \
	X(NODE_FAIL)                                                           \
	X(PREEMPTED)                                                           \
	X(OUT_OF_MEMORY)                                                       \
	X(BOOT_FAIL)                                                           \
	X(DEADLINE)                                                            \
	X(REVOKED)

enum slurm_state {
#define SLURM_STATE_ENUM(name) SLURM_##name,
	SLURM_STATES(SLURM_STATE_ENUM)
#undef SLURM_STATE_ENUM
	    SLURM_NSTATES
};

/* "RUNNING" for SLURM_RUNNING. */
const char *slurm_parse_state_name(enum slurm_state s);
/*
 * The state a word names ("CANCELLED by 0" and "CANCELLED+" read as
 * CANCELLED, compact codes are not read); SLURM_UNKNOWN otherwise.
 */
enum slurm_state slurm_parse_state(const char *word);
/* True once Slurm has finished with the job for good. */
int slurm_parse_state_final(enum slurm_state s);
/*
 * What a final state means to gpuq: JOB_COMPLETED, JOB_FAILED,
 * JOB_CANCELLED or JOB_TIMEOUT; JOB_RUNNING for any other state.
 */
enum job_state slurm_parse_state_gpuq(enum slurm_state s);

/* One job as a Slurm command described it. */
struct slurm_jobstat {
	int64_t slurm_id;
	enum slurm_state state;
	char reason[64]; /* Slurm's reason code, "" when None */
	char nodes[128]; /* where it runs, "" when nowhere yet */
	char tag[128];   /* its comment, "" when none */
	int exit_code;   /* -1 unless known */
	int exit_signal; /* 0 unless a signal ended it */
	int64_t start;   /* 0 unless known */
	int64_t end;     /* 0 unless known */
};

/*
 * The squeue format gpuqd asks for, and one line of its output:
 * "ID|STATE|REASON|NODES|COMMENT" (the comment last: it may hold '|').
 * Returns 0 or GQ_EINVAL (a line that is not one).
 */
#define SLURM_PARSE_SQUEUE_FMT "%i|%T|%r|%N|%k"
int slurm_parse_squeue(const char *line, struct slurm_jobstat *st);
/*
 * "sacct -n -P -X -o JobID,State,ExitCode,End" line.  0 or GQ_EINVAL.
 */
#define SLURM_PARSE_SACCT_FMT "JobID,State,ExitCode,End"
int slurm_parse_sacct(const char *line, struct slurm_jobstat *st);
/* A "scontrol show job -o" line.  0 or GQ_EINVAL. */
int slurm_parse_scontrol_job(const char *line, struct slurm_jobstat *st);
/* "N:S" (ExitCode) into code and signal.  0 or GQ_EINVAL. */
int slurm_parse_exit(const char *s, int *code, int *signo);

/*
 * The value of key in a "scontrol -o" line of "Key=Value" words, copied
 * into out (n bytes; cut if longer).  Values end at the next " Word="
 * and keep any spaces before it; the first occurrence wins.  Returns 1
 * when found, 0 otherwise.
 */
int slurm_parse_kv(const char *line, const char *key, char *out, size_t n);

/* One node as "scontrol show node -o" describes it. */
struct slurm_node {
	char name[64];
	char state[64];                     /* "IDLE", "MIXED+DRAIN", "DOWN*" */
	int usable;                         /* jobs may be started there */
	int32_t cpus;                       /* CPUEfctv, else CPUTot */
	int64_t mem_mb;                     /* RealMemory */
	int32_t gpus;                       /* gres gpu count (all types) */
	char gpu_type[MODEL_MAX_GPU_MODEL]; /* the first type, "" untyped */
	int32_t shards;                     /* gres shard count */
	char partitions[256];               /* "a,b" */
	char features[MODEL_MAX_LABELS];    /* ActiveFeatures, "" when none */
};

/* A "scontrol show node -o" line.  0 or GQ_EINVAL. */
int slurm_parse_node(const char *line, struct slurm_node *nd);
/*
 * A Gres value ("gpu:a100:4(S:0-1),shard:a100:32") into gpu and shard
 * counts and the first GPU type.
 */
void slurm_parse_gres(const char *gres, int32_t *gpus, char *type, size_t tn,
    int32_t *shards);
/* True when a node in this state takes new jobs. */
int slurm_parse_node_usable(const char *state);

/*
 * Reads a gpuq tag "gpuq:HOST:JOB:ATTEMPT".  Returns 1 when comment is
 * one for host, with *job_id and *attempt set; 0 otherwise.
 */
int slurm_parse_tag(const char *comment, const char *host, int64_t *job_id,
    int32_t *attempt);

/*
 * sbatch --parsable's answer "ID" or "ID;CLUSTER".  Returns the id, or -1
 * when out is not one.
 */
int64_t slurm_parse_jobid(const char *out);

/*
 * The gist of a Slurm command's error output: the last line that is not
 * empty, without a "sbatch: error: " prefix, at most n bytes.
 */
void slurm_parse_error(const char *err, char *out, size_t n);
/*
 * True when the error means Slurm could not be reached (slurmctld down,
 * restarting, or too busy): the command should be tried again later.
 */
int slurm_parse_transient(const char *err);
/* True when the error says the job id is not known (any more). */
int slurm_parse_invalid_job(const char *err);

#endif
