/*
 * The protocol test runner: starts gpuqd on a temporary socket and state
 * directory, plays a transcript against it and compares the replies with
 * patterns (tests/protocol/README.md describes the transcript format).
 */
#ifndef GPUQ_RUNNER_H
#define GPUQ_RUNNER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "remote/frame.h"

#define RUNNER_TIMEOUT_MS 10000
#define RUNNER_MAX_LINE   (16 * 1024 * 1024)

/* Exit codes, as ctest reads them. */
#define RUNNER_PASS 0
#define RUNNER_FAIL 1
#define RUNNER_SKIP 77

/* Who the next connections are made as. */
struct runner_id {
	int other; /* 0: the runner itself; 1: uid/gid below */
	uid_t uid;
	gid_t gid;
	char name[64];
};

/* One client connection and what it received but nobody read yet. */
struct runner_conn {
	int fd;
	int eof;
	struct frame_reader fr;
	json_t *inbox; /* array of messages, oldest first */
};

struct runner {
	const char *gpuqd;
	const char *path; /* the transcript */
	char dir[128];
	char sock[192];
	char state[192];
	char log[192];
	char user[64]; /* the runner's own user, for @USER@ */
	char uid[24];  /* and its uid, for @UID@ */
	pid_t daemon;
	struct runner_id as;
	struct runner_conn conn;
	int connected;
	int expect_eof; /* the transcript saw the daemon close it */
	int lineno;
	int repeat;
	int64_t wait_ids;
};

/* runner.c */
int64_t runner_now_ms(void);

/* runner-conn.c */
/*
 * Connects to sock as id (a child process that changed its uid connects
 * and hands the descriptor back).  Returns the descriptor or -1 with a
 * reason in err.
 */
int runner_conn_connect(const char *sock, const struct runner_id *id, char *err,
    size_t n);
void runner_conn_init(struct runner_conn *c, int fd);
void runner_conn_done(struct runner_conn *c);
/* Writes all n bytes.  0, or -1 when the peer is gone. */
int runner_conn_send(struct runner_conn *c, const void *p, size_t n);
/*
 * Reads what arrives before deadline (ms, runner_now_ms) into the inbox.
 * 1 when something was read, 0 on timeout, -1 at end of stream.
 */
int runner_conn_fill(struct runner_conn *c, int64_t deadline);

/* runner-match.c */
/*
 * Matches a message against a pattern.  Returns 1 on a match; else 0 with
 * where and why in the why buffer.
 */
int runner_match_json(json_t *pat, json_t *act, char *why, size_t n);
/* True for an event message or an event pattern. */
int runner_match_is_event(json_t *msg);

/* runner-script.c */
/* 1 when the transcript needs root (it changes user with "! as"). */
int runner_script_needs_root(FILE *fp);
/* Plays the transcript.  RUNNER_PASS, RUNNER_FAIL or RUNNER_SKIP. */
int runner_script_run(struct runner *r, FILE *fp);

#endif
