/*
 * gpuq.conf: the TUI's settings (~/.config/gpuq/gpuq.conf).  One setting
 * per line, `name value`; `#` starts a comment:
 *
 *   theme okabe-ito
 *   mouse on
 *   ctrl-c-quits off
 *   readonly on
 *   graph braille            (auto, braille, block, ascii)
 *   start-view gpus
 *   refresh 2                (seconds between cluster.status polls)
 *   bind Ctrl-K job.cancel-now
 *   unbind K
 *   cluster lab alice@login.lab.example:2222      (gpuq -H lab)
 *   cluster big login1 /opt/gpuq/bin/gpuqd bridge  (and its remote command)
 *
 * The parser is pure: it reads text, never a file, and reports each bad
 * line without stopping.
 */
#ifndef GPUQ_CONF_H
#define GPUQ_CONF_H

#include <stddef.h>

#include "core/base/buf.h"

#define CONF_MAX_TEXT     (256 * 1024) /* a config file larger is refused */
#define CONF_MAX_BINDS    256
#define CONF_NAME_MAX     64
#define CONF_MAX_CLUSTERS 32

enum conf_graph {
	CONF_GRAPH_AUTO,
	CONF_GRAPH_BRAILLE,
	CONF_GRAPH_BLOCK,
	CONF_GRAPH_ASCII
};

struct conf_bind {
	char key[CONF_NAME_MAX];
	char action[CONF_NAME_MAX]; /* "" for unbind */
	int line;
};

/* A named cluster: what `gpuq -H NAME` reaches. */
struct conf_cluster {
	char name[CONF_NAME_MAX];
	char target[256];  /* [user@]host[:port], or an ssh config alias */
	char command[512]; /* the remote command, "" for gpuqd bridge */
	int line;
};

struct conf {
	char theme[CONF_NAME_MAX]; /* "" when not set */
	char start_view[CONF_NAME_MAX];
	int mouse;        /* 0, 1 */
	int ctrl_c_quits; /* 0, 1 */
	int readonly;     /* 0, 1 */
	enum conf_graph graph;
	int refresh_ms; /* 500 .. 60000 */
	struct conf_bind binds[CONF_MAX_BINDS];
	size_t nbinds;
	struct conf_cluster clusters[CONF_MAX_CLUSTERS];
	size_t nclusters;
};

/* Fills c with the defaults. */
void conf_init(struct conf *c);

/*
 * Reads settings from text (len bytes, need not be NUL-terminated) into c.
 * Each bad line is described in errs as "NAME:LINE: what\n" (name is the
 * file's name for messages).  Returns the number of bad lines.
 */
int conf_parse(struct conf *c, const char *name, const char *text, size_t len,
    struct buf *errs);

/* The cluster named name (borrowed), or NULL. */
const struct conf_cluster *conf_cluster_find(const struct conf *c,
    const char *name);

/* Parses "on"/"off" (also yes/no, true/false, 1/0): 0, 1, or -1. */
int conf_bool(const char *s);

#endif
