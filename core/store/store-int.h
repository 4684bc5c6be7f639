/*
 * Internal to core/store: the store's state and the helpers store.c and
 * store-job.c share.  Nothing outside core/store includes this.
 */
#ifndef GPUQ_STORE_INT_H
#define GPUQ_STORE_INT_H

#include <stdint.h>

#include <sqlite3.h>

struct alloc;
struct job;

/* The cached statements; store_sql[] in store.c holds their SQL. */
enum store_stmt {
	SS_BEGIN,
	SS_COMMIT,
	SS_ROLLBACK,
	SS_JOB_PUT, /* built by store_job_put_sql */
	SS_JOB_ALL, /* built by store_job_all_sql */
	SS_HIST_ADD,
	SS_HIST_GET,
	SS_META_GET,
	SS_META_SET,
	SS_IDEM_GET,
	SS_IDEM_PUT,
	SS_IDEM_PRUNE,
	SS_N
};

struct store {
	sqlite3 *db;
	char *path;               /* owned, for messages */
	sqlite3_stmt *stmt[SS_N]; /* prepared once at open */
	int in_txn;               /* store_begin opened one, not committed */
};

/*
 * Records a failure with sqlite3_errmsg: into *cause (new) when cause is
 * not NULL, else into the log.  Returns GQ_EIO.
 */
int store_fail(struct store *st, const char *what, char **cause);
/*
 * Runs a cached write statement to completion and resets it.  bind_err is
 * non-zero when binding its parameters failed.  Returns 0 or GQ_EIO.
 */
int store_run(struct store *st, sqlite3_stmt *s, int bind_err,
    const char *what);
/*
 * Prepares a statement that is not cached (what the store-*.c files run
 * now and then).  Returns 0 or GQ_EIO (logged); *s is NULL on failure.
 * The caller finalizes *s, or hands it to store_run_once.
 */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **s);
/* store_run on a statement from store_prepare, then finalizes it. */
int store_run_once(struct store *st, sqlite3_stmt *s, int bind_err,
    const char *what);
/* Resets a cached statement and drops its bound values. */
void store_stmt_done(sqlite3_stmt *s);
int store_bind_i64(sqlite3_stmt *s, int param, int64_t v);
/* Binds a copy of a string, or SQL NULL for a NULL pointer. */
int store_bind_text(sqlite3_stmt *s, int param, const char *v);
/* A column's text (borrowed until the next step or reset), or NULL. */
const char *store_col_text(sqlite3_stmt *s, int col);
/* A new copy of a column's text, or NULL for SQL NULL. */
char *store_col_dup(sqlite3_stmt *s, int col);

/* The SQL of the job statements, built from the column table (new). */
char *store_job_put_sql(void);
char *store_job_all_sql(void);
/* "SELECT <every job column> FROM jobs <tail>" (new). */
char *store_job_select_sql(const char *tail);
/* Fills a job_new() record from a row of store_job_select_sql. */
int store_job_decode(sqlite3_stmt *s, struct job *j);
/* An allocation from its column's JSON (NULL: none). */
int store_job_alloc_decode(const char *text, struct alloc *a);

#endif
