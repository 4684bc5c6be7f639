/*
 * The store: one SQLite file in WAL mode.  The only code that speaks SQL.
 *
 * Writes happen inside a transaction the daemon opens with store_begin and
 * closes with store_commit once per loop iteration (group commit); replies
 * to mutating requests go out only after that commit returns.
 */
#ifndef GPUQ_STORE_H
#define GPUQ_STORE_H

#include <stdint.h>

#include "core/job.h"

struct store;

#define STORE_SCHEMA_VERSION 6

/*
 * Opens (creating if needed) the database at path and brings its schema up
 * to STORE_SCHEMA_VERSION.  sync_full: fsync at every commit (durable on
 * power loss) rather than at checkpoints (durable on a process crash).
 * Returns 0 or GQ_EIO with a reason in *cause (new).
 */
int store_open(const char *path, int sync_full, struct store **out,
    char **cause);
void store_close(struct store *st);

/* Starts a transaction unless one is open. */
int store_begin(struct store *st);
/* Commits the open transaction, if any. */
int store_commit(struct store *st);
int store_in_txn(const struct store *st);

/* Inserts or replaces the whole record of a job. */
int store_job_put(struct store *st, const struct job *j);
/* Appends to a job's state history. */
int store_job_history_add(struct store *st, int64_t job_id, int64_t time,
    enum job_state state, const char *reason);
/*
 * Calls cb for every job in id order; cb steals the job.  A non-zero
 * return from cb stops the walk and is returned.
 */
int store_job_load_all(struct store *st, int (*cb)(struct job *j, void *arg),
    void *arg);
/*
 * Calls cb for each history row of a job, oldest first.
 */
int store_job_history(struct store *st, int64_t job_id,
    void (
        *cb)(int64_t time, enum job_state state, const char *reason, void *arg),
    void *arg);

/* Small named integers: the next job id, the event sequence. */
int store_meta_get(struct store *st, const char *key, int64_t *val);
int store_meta_set(struct store *st, const char *key, int64_t val);

/*
 * Idempotency: the stored reply to (user, key), so a retried mutating
 * request gets the first answer.  get returns GQ_ENOENT when unknown;
 * *verb and *reply are new strings.  put keeps the first reply stored for
 * (user, key) and returns GQ_EEXIST for a later one.
 */
int store_idem_get(struct store *st, const char *user, const char *key,
    char **verb, char **reply);
int store_idem_put(struct store *st, const char *user, const char *key,
    const char *verb, const char *reply, int64_t now);
/* Forgets keys older than before. */
int store_idem_prune(struct store *st, int64_t before);

#endif
