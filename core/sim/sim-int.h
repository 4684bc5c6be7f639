/*
 * Internals of the simulator: a bounded CSV reader the trace readers
 * share, and the tar.gz member reader for the PAI machine file.
 */
#ifndef GPUQ_SIM_INT_H
#define GPUQ_SIM_INT_H

#include <stdio.h>

#include "core/sim/sim.h"

#define SIM_MAX_COLNAME 64
#define SIM_MAX_MEMBER  (64 * 1024 * 1024) /* one tar member, bytes */

struct sim_csv {
	FILE *f;          /* owned */
	const char *path; /* borrowed, for messages */
	char line[SIM_MAX_LINE + 2];
	char *field[SIM_MAX_FIELDS]; /* into line */
	int nfields;
	char names[SIM_MAX_FIELDS][SIM_MAX_COLNAME];
	int nnames;
	size_t lineno, rows;
};

/*
 * Opens path (or len bytes at data when data is not NULL) for reading.
 * header NULL: the first line names the columns; else header names them
 * ("a,b,c") and every line is a row.
 */
int sim_csv_open(struct sim_csv *c, const char *path, const char *data,
    size_t len, const char *header, char **cause);
void sim_csv_close(struct sim_csv *c);
/* Reads the next row: 1, 0 at the end, or a GQ_E* code (cause set). */
int sim_csv_next(struct sim_csv *c, char **cause);
/* The index of column name, or -1. */
int sim_csv_col(const struct sim_csv *c, const char *name);
/* Field col of the row; "" when col is -1 or the row is short. */
const char *sim_csv_get(const struct sim_csv *c, int col);
/* Parses a decimal ("16670.0" too), rounded to the nearest integer. */
int sim_csv_int(const char *s, int64_t *out);
/* A GQ_EINVAL with "path:line: what" in *cause. */
int sim_csv_bad(const struct sim_csv *c, const char *what, char **cause);

/*
 * Reads the member of a .tar.gz whose name ends with suffix into a new
 * buffer (*data, *len; the caller frees it).  GQ_ENOENT when absent.
 */
int sim_tar_member(const char *path, const char *suffix, char **data,
    size_t *len, char **cause);

#endif
