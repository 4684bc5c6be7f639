/*
 * `gpuq sweep from-job ID`: a sweep file skeleton from a job's argv.
 *
 * "--name=value" and "--name value" become parameters; everything else
 * (positional arguments, bare flags) stays in the command before
 * ${args}.  An integer n >= 2 becomes values [n/2, n, 2n]; a float a range
 * around it (log-scaled below 0.01, where learning rates live); anything
 * else a one-value list to widen by hand.  `python* FILE.py` becomes
 * program (and interpreter when not python3).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep.h"

struct fj_param {
	const char *name; /* borrowed from argv */
	size_t namelen;
	const char *value;
};

struct fj {
	struct fj_param p[SWEEP_MAX_PARAMS];
	size_t np;
	const char *lit[SWEEP_MAX_ARGV]; /* literal arguments, in order */
	size_t nlit;
	int continuous;
};

static void
fj_quote(struct buf *b, const char *s, size_t n)
{
	size_t i;

	buf_addstr(b, "\"");
	for (i = 0; i < n && s[i] != '\0'; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_addstr(b, "\\");
		if ((unsigned char)s[i] < 0x20)
			buf_printf(b, "\\x%02x", (unsigned char)s[i]);
		else
			buf_add(b, &s[i], 1);
	}
	buf_addstr(b, "\"");
}

static int
fj_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64 || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (strchr("${}=. \t\n\"'\\:#", s[i]) != NULL ||
		    (unsigned char)s[i] < 0x20)
			return 0;
	return 1;
}

static int
fj_known(const struct fj *f, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < f->np; i++)
		if (f->p[i].namelen == n && memcmp(f->p[i].name, name, n) == 0)
			return 1;
	return 0;
}

/* Reads argv[*i]; a "--name value" pair advances *i past the value. */
static void
fj_arg(struct fj *f, const char *const *argv, size_t argc, size_t *i)
{
	const char *a = argv[*i], *eq;
	size_t n;

	eq = strchr(a, '=');
	n = eq != NULL ? (size_t)(eq - a - 2) : strlen(a) - 2;
	if (strncmp(a, "--", 2) != 0 || !fj_name_ok(a + 2, n) ||
	    fj_known(f, a + 2, n) || f->np >= SWEEP_MAX_PARAMS ||
	    (eq == NULL &&
	        (*i + 1 >= argc || strncmp(argv[*i + 1], "--", 2) == 0))) {
		if (f->nlit < SWEEP_MAX_ARGV - 2)
			f->lit[f->nlit++] = a;
		return;
	}
	f->p[f->np].name = a + 2;
	f->p[f->np].namelen = n;
	f->p[f->np++].value = eq != NULL ? eq + 1 : argv[++*i];
}

/* 1 int, 2 float, 0 neither. */
static int
fj_number(const char *s, long long *i, double *d)
{
	char *end;

	if (*s == '\0' || strlen(s) > 64)
		return 0;
	errno = 0;
	*i = strtoll(s, &end, 10);
	if (*end == '\0' && errno == 0)
		return 1;
	*d = strtod(s, &end);
	if (*end == '\0' && isfinite(*d) && strpbrk(s, ".eE") != NULL &&
	    strpbrk(s, "xXnN") == NULL)
		return 2;
	return 0;
}

static void
fj_float(struct buf *b, double d)
{
	struct sweep_value v = { .type = SWEEP_V_FLOAT, .f = d };
	char tmp[64];

	buf_addstr(b, sweep_value_fmt(&v, tmp, sizeof(tmp)));
}

static void
fj_range(struct buf *b, double d, const char *dist)
{
	double lo = d > 0 ? d / 2 : d * 2, hi = d > 0 ? d * 2 : d / 2;

	if (strcmp(dist, "log_uniform_values") == 0) {
		lo = d / 10;
		hi = d * 10;
	}
	buf_printf(b, "    distribution: %s\n    min: ", dist);
	fj_float(b, lo);
	buf_addstr(b, "\n    max: ");
	fj_float(b, hi);
	buf_addstr(b, "\n");
}

static void
fj_param(struct buf *b, struct fj *f, const struct fj_param *p)
{
	long long i;
	double d;
	int kind = fj_number(p->value, &i, &d);

	buf_printf(b, "  %.*s:\n", (int)p->namelen, p->name);
	if (kind == 1 && i >= 2 && i < INT64_MAX / 2)
		buf_printf(b, "    values: [%lld, %lld, %lld]\n", i / 2, i,
		    i * 2);
	else if (kind == 1)
		buf_printf(b, "    values: [%lld]\n", i);
	else if (kind == 2 && d != 0) {
		fj_range(b, d,
		    d > 0 && d < 0.01 ? "log_uniform_values" : "uniform");
		f->continuous = 1;
	} else if (kind == 2) {
		buf_addstr(b, "    values: [");
		fj_float(b, d);
		buf_addstr(b, "]\n");
	} else {
		buf_addstr(b, "    values: [");
		fj_quote(b, p->value, strlen(p->value));
		buf_addstr(b, "]\n");
	}
}

static int
fj_is_python(const char *const *argv, size_t argc)
{
	const char *base, *prog;
	size_t n;

	if (argc < 2)
		return 0;
	base =
	    strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 : argv[0];
	prog = argv[1];
	n = strlen(prog);
	return strncmp(base, "python", 6) == 0 && n > 3 &&
	    strcmp(prog + n - 3, ".py") == 0;
}

static void
fj_command(struct buf *b, const struct fj *f, const char *const *argv,
    int python)
{
	size_t i;

	if (python) {
		buf_addstr(b, "program: ");
		fj_quote(b, argv[1], strlen(argv[1]));
		if (strcmp(argv[0], SWEEP_DEFAULT_INTERPRETER) != 0) {
			buf_addstr(b, "\ninterpreter: ");
			fj_quote(b, argv[0], strlen(argv[0]));
		}
		buf_addstr(b, "\n");
		if (f->nlit == 0)
			return;
	}
	buf_addstr(b, "command:\n");
	if (python)
		buf_addstr(b, "  - \"${interpreter}\"\n  - \"${program}\"\n");
	else {
		buf_addstr(b, "  - ");
		fj_quote(b, argv[0], strlen(argv[0]));
		buf_addstr(b, "\n");
	}
	for (i = 0; i < f->nlit; i++) {
		buf_addstr(b, "  - ");
		fj_quote(b, f->lit[i], strlen(f->lit[i]));
		buf_addstr(b, "\n");
	}
	buf_addstr(b, "  - \"${args}\"\n");
}

static void
fj_tail(struct buf *b, const struct fj *f)
{
	const char *m = f->continuous ? "random" : "grid";

	buf_printf(b, "method: %s\n", m);
	buf_addstr(b,
	    "metric:\n  name: loss        # what the program "
	    "reports (@gpuq lines or $GPUQ_METRICS_FILE)\n"
	    "  goal: minimize\n");
	if (f->continuous)
		buf_addstr(b, "trials: 20\n");
	buf_addstr(b,
	    "parallel: 2\n# resources: {gpus: 1, time: 2h}\n"
	    "# early_terminate: {type: hyperband, min_iter: 3}\n");
}

char *
sweep_from_job(const char *const *argv, size_t argc, const char *job_name)
{
	struct fj *f;
	struct buf b;
	size_t i;
	int python;

	if (argc == 0 || argv[0] == NULL)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	python = fj_is_python(argv, argc);
	for (i = python ? 2 : 1; i < argc && argv[i] != NULL; i++)
		fj_arg(f, argv, argc, &i);
	buf_init(&b, 4 * 1024 * 1024);
	buf_addstr(&b,
	    "# A sweep skeleton from a job's command line: check "
	    "the ranges, the metric\n# and the resources, then "
	    "run `gpuq sweep create FILE --dry-run`.\n");
	if (job_name != NULL) {
		buf_addstr(&b, "name: ");
		fj_quote(&b, job_name, strlen(job_name));
		buf_addstr(&b, "\n");
	}
	fj_command(&b, f, argv, python);
	buf_addstr(&b,
	    f->np > 0 ? "parameters:\n" :
	                "parameters:\n  # name: {values: [1, 2]}\n");
	for (i = 0; i < f->np; i++)
		fj_param(&b, f, &f->p[i]);
	fj_tail(&b, f);
	free(f);
	return buf_take(&b);
}
