/*
 * Dry run: what a sweep would start and what it would cost, before any
 * job is submitted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep.h"

static int64_t
sweep_dryrun_total(const struct sweep_spec *s)
{
	int64_t grid;

	if (s->method != SWEEP_GRID)
		return s->trials > 0 ? s->trials : -1;
	grid = sweep_grid_size(s);
	if (grid < 0)
		return grid;
	return s->trials > 0 && s->trials < grid ? s->trials : grid;
}

static double
sweep_dryrun_hours(const struct sweep_spec *s, int64_t total)
{
	if (total < 0 || s->res.time_s <= 0)
		return -1;
	if (s->res.gpus_milli == 0 && s->res.gpu_mem_mb > 0)
		return -1; /* the share depends on the GPU it lands on */
	return (double)total * s->res.gpus_milli / 1000.0 *
	    (double)s->res.time_s / 3600.0;
}

int
sweep_dryrun(const struct sweep_spec *s, struct sweep_dryrun *d)
{
	struct sweep_rng r;
	int64_t i, nlist;

	memset(d, 0, sizeof(*d));
	if ((d->trials = sweep_dryrun_total(s)) < -1)
		return GQ_EINVAL;
	d->gpu_hours = sweep_dryrun_hours(s, d->trials);
	if (s->method == SWEEP_GRID)
		nlist = d->trials;
	else
		nlist = d->trials >= 0 && d->trials < s->parallel ? d->trials :
		                                                    s->parallel;
	if (nlist > SWEEP_DRYRUN_MAX_LIST)
		nlist = SWEEP_DRYRUN_MAX_LIST;
	d->points = xcalloc((size_t)nlist + 1, sizeof(*d->points));
	for (i = 0; i < nlist; i++, d->npoints++) {
		sweep_rng_for_trial(&r, s->seed, i);
		if (sweep_next(s, NULL, (size_t)i, &r, &d->points[i]) != 1)
			break;
	}
	return 0;
}

void
sweep_dryrun_done(struct sweep_dryrun *d)
{
	size_t i;

	for (i = 0; i < d->npoints; i++)
		sweep_point_done(&d->points[i]);
	free(d->points);
	memset(d, 0, sizeof(*d));
}

static json_t *
sweep_dryrun_argv(const struct sweep_spec *s, const struct sweep_point *p)
{
	json_t *a = json_array();
	char **argv;
	size_t argc, i;

	if (sweep_argv(s, p, &argv, &argc, NULL) == 0) {
		for (i = 0; i < argc; i++)
			json_array_append_new(a, json_string(argv[i]));
		sweep_argv_free(argv);
	}
	return a;
}

json_t *
sweep_dryrun_encode(const struct sweep_spec *s, const struct sweep_dryrun *d)
{
	json_t *o = json_object(), *first = json_array(), *t;
	size_t i;

	json_object_set_new(o, "method",
	    json_string(sweep_method_name(s->method)));
	json_object_set_new(o, "trials",
	    d->trials >= 0 ? json_integer(d->trials) : json_null());
	json_object_set_new(o, "parallel", json_integer(s->parallel));
	json_object_set_new(o, "gpu_hours",
	    d->gpu_hours >= 0 ? json_real(d->gpu_hours) : json_null());
	for (i = 0; i < d->npoints; i++) {
		t = json_object();
		json_object_set_new(t, "trial", json_integer((json_int_t)i));
		json_object_set_new(t, "params",
		    sweep_point_encode(s, &d->points[i]));
		json_object_set_new(t, "argv",
		    sweep_dryrun_argv(s, &d->points[i]));
		json_array_append_new(first, t);
	}
	json_object_set_new(o, "first", first);
	return o;
}

/* One argument, quoted for a reader when it holds blanks or quotes. */
static void
sweep_dryrun_word(struct buf *b, const char *w)
{
	const char *p;

	if (*w != '\0' && strpbrk(w, " \t\n'\"\\$") == NULL) {
		buf_addstr(b, w);
		return;
	}
	buf_addstr(b, "'");
	for (p = w; *p != '\0'; p++)
		if (*p == '\'')
			buf_addstr(b, "'\\''");
		else
			buf_add(b, p, 1);
	buf_addstr(b, "'");
}

static void
sweep_dryrun_line(struct buf *b, const struct sweep_spec *s,
    const struct sweep_point *p, size_t i)
{
	char **argv;
	size_t argc, k;

	buf_printf(b, "%6zu  ", i);
	if (sweep_argv(s, p, &argv, &argc, NULL) != 0) {
		buf_addstr(b, "(cannot build the command)\n");
		return;
	}
	for (k = 0; k < argc; k++) {
		if (k > 0)
			buf_addstr(b, " ");
		sweep_dryrun_word(b, argv[k]);
	}
	buf_addstr(b, "\n");
	sweep_argv_free(argv);
}

static void
sweep_dryrun_summary(struct buf *b, const struct sweep_spec *s,
    const struct sweep_dryrun *d)
{
	char g[32], t[32];

	if (d->trials >= 0)
		buf_printf(b, "%lld trials (%s", (long long)d->trials,
		    sweep_method_name(s->method));
	else
		buf_printf(b, "unbounded trials (%s, until stopped",
		    sweep_method_name(s->method));
	if (s->method != SWEEP_GRID)
		buf_printf(b, ", seed %llu", (unsigned long long)s->seed);
	buf_printf(b, "), %d at a time", (int)s->parallel);
	if (d->gpu_hours >= 0)
		buf_printf(b, "; %s GPU x %s each = %.1f GPU-hours",
		    units_fmt_gpus(s->res.gpus_milli, g, sizeof(g)),
		    units_fmt_duration(s->res.time_s, t, sizeof(t)),
		    d->gpu_hours);
	else
		buf_addstr(b,
		    "; GPU-hours unknown (give trials and "
		    "resources.time)");
	buf_addstr(b, "\n");
}

char *
sweep_dryrun_print(const struct sweep_spec *s, const struct sweep_dryrun *d)
{
	struct buf b;
	size_t i;

	buf_init(&b, 64 * 1024 * 1024);
	buf_addstr(&b, "");
	for (i = 0; i < d->npoints; i++)
		sweep_dryrun_line(&b, s, &d->points[i], i);
	if (d->trials > (int64_t)d->npoints)
		buf_printf(&b, "   ... and %lld more\n",
		    (long long)(d->trials - (int64_t)d->npoints));
	sweep_dryrun_summary(&b, s, d);
	return buf_take(&b);
}
