/*
 * A small CSV reader for the traces: comma-separated, no quoting (none of
 * the traces quote), bounded line length and row count, columns found by
 * name so files with fewer or reordered columns still read.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sim/sim-int.h"

/* Splits line into fields at commas, in place. */
static void
sim_csv_split(struct sim_csv *c)
{
	char *p = c->line;

	c->nfields = 0;
	for (;;) {
		if (c->nfields < SIM_MAX_FIELDS)
			c->field[c->nfields++] = p;
		p = strchr(p, ',');
		if (p == NULL)
			return;
		*p++ = '\0';
	}
}

/* Reads one line into c->line: 1, 0 at the end, or GQ_ETOOBIG. */
static int
sim_csv_line(struct sim_csv *c)
{
	size_t n;

	if (fgets(c->line, sizeof(c->line), c->f) == NULL)
		return 0;
	c->lineno++;
	n = strlen(c->line);
	if (n > 0 && c->line[n - 1] == '\n')
		c->line[--n] = '\0';
	else if (!feof(c->f))
		return GQ_ETOOBIG;
	if (n > 0 && c->line[n - 1] == '\r')
		c->line[--n] = '\0';
	return 1;
}

/* Takes column names from a header line (which may be c->line). */
static void
sim_csv_names(struct sim_csv *c, const char *header)
{
	int i;

	if (header != c->line)
		snprintf(c->line, sizeof(c->line), "%s", header);
	sim_csv_split(c);
	c->nnames = c->nfields;
	for (i = 0; i < c->nfields; i++)
		snprintf(c->names[i], sizeof(c->names[i]), "%s", c->field[i]);
	c->nfields = 0;
}

int
sim_csv_open(struct sim_csv *c, const char *path, const char *data, size_t len,
    const char *header, char **cause)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->path = path;
	c->f = data != NULL ? fmemopen((void *)(uintptr_t)data, len, "r") :
	                      fopen(path, "r");
	if (c->f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return errno == ENOENT ? GQ_ENOENT : GQ_EIO;
	}
	if (header != NULL) {
		sim_csv_names(c, header);
		return 0;
	}
	if ((rc = sim_csv_line(c)) <= 0) {
		sim_csv_close(c);
		*cause = xasprintf("%s: %s", path,
		    rc == 0 ? "empty file" : "header line too long");
		return rc == 0 ? GQ_EINVAL : rc;
	}
	sim_csv_names(c, c->line);
	return 0;
}

void
sim_csv_close(struct sim_csv *c)
{
	if (c->f != NULL)
		fclose(c->f);
	c->f = NULL;
}

int
sim_csv_next(struct sim_csv *c, char **cause)
{
	int rc;

	do {
		if ((rc = sim_csv_line(c)) == 0)
			return 0;
		if (rc < 0) {
			*cause = xasprintf("%s:%zu: line longer than %d bytes",
			    c->path, c->lineno, SIM_MAX_LINE);
			return rc;
		}
	} while (c->line[0] == '\0');
	if (++c->rows > SIM_MAX_ROWS) {
		*cause =
		    xasprintf("%s: more than %d rows", c->path, SIM_MAX_ROWS);
		return GQ_ETOOBIG;
	}
	sim_csv_split(c);
	return 1;
}

int
sim_csv_col(const struct sim_csv *c, const char *name)
{
	int i;

	for (i = 0; i < c->nnames; i++)
		if (strcmp(c->names[i], name) == 0)
			return i;
	return -1;
}

const char *
sim_csv_get(const struct sim_csv *c, int col)
{
	if (col < 0 || col >= c->nfields)
		return "";
	return c->field[col];
}

int
sim_csv_int(const char *s, int64_t *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(d) ||
	    fabs(d) > 9.0e15)
		return GQ_EINVAL;
	*out = (int64_t)llround(d);
	return 0;
}

int
sim_csv_bad(const struct sim_csv *c, const char *what, char **cause)
{
	*cause = xasprintf("%s:%zu: %s", c->path, c->lineno, what);
	return GQ_EINVAL;
}
