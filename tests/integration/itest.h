/*
 * Helpers shared by the integration and benchmark tools: connecting with
 * retries, building job.submit params, listing every job, reading the
 * acknowledgement files loadgen writes.
 */
#ifndef GPUQ_ITEST_H
#define GPUQ_ITEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "remote/client.h"

/* What loadgen submits; the key also becomes the job's name. */
struct itest_jobspec {
	const char *cmd; /* run as sh -c CMD; NULL: argv ["true"] */
	double gpus;
	double cpus;
	int64_t mem_mb;
	const char *workdir;
};

/* One line of an acknowledgement file: "ID KEY". */
struct itest_ack {
	int64_t id;
	char key[129];
};

/* Exits the program with status 3 after printing why. */
void itest_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)))
__attribute__((noreturn));

/*
 * Connects to sock, retrying for up to wait_ms while the socket is not
 * there yet.  Returns a client (new) or NULL with the reason printed.
 */
struct client *itest_connect(const char *sock, int wait_ms);

/* job.submit params for spec under key (new). */
json_t *itest_submit_params(const struct itest_jobspec *spec, const char *key);

/*
 * Every job the daemon knows (job.list all=true, paged).  Returns 0 and
 * *jobs (new array), or a GQ_E* code.
 */
int itest_list_all(struct client *c, json_t **jobs);

/*
 * Reads an acknowledgement file.  Returns the number of lines read and
 * *acks (new), or -1 when the file cannot be read.
 */
ssize_t itest_read_acks(const char *path, struct itest_ack **acks);

/* Monotonic milliseconds. */
int64_t itest_now_ms(void);

/* Raises RLIMIT_NOFILE to at least want (up to the hard limit). */
void itest_raise_nofile(size_t want);

#endif
