/*
 * gpuq sweep ls, gpuq sweep show ID, and the dry run's listing: tables of
 * sweeps and of trials, parameters as columns.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/cli-sweep.h"
#include "tui/cli.h"
#include "tui/fmt.h"

#define SHOW_MAX_PARAMS 16 /* parameter columns shown */

static const struct option cli_sweep_show_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *
cli_sweep_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static long long
cli_sweep_int(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* A JSON scalar as a cell: 64, 0.001, adam, true, "-" for null. */
static char *
cli_sweep_value(const json_t *v, char *out, size_t n)
{
	if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.4g", json_real_value(v));
	else if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", json_is_true(v) ? "true" : "false");
	else
		snprintf(out, n, "-");
	return out;
}

/* "3m", "2h", "4d": how long ago t was. */
static char *
cli_sweep_age(long long t, long long now, char *out, size_t n)
{
	long long s = now - t;

	if (t <= 0)
		snprintf(out, n, "-");
	else if (s < 120)
		snprintf(out, n, "%llds", s < 0 ? 0 : s);
	else if (s < 7200)
		snprintf(out, n, "%lldm", s / 60);
	else if (s < 172800)
		snprintf(out, n, "%lldh", s / 3600);
	else
		snprintf(out, n, "%lldd", s / 86400);
	return out;
}

static int
cli_sweep_opts(int argc, char **argv, int *json)
{
	int ch;

	*json = 0;
	while ((ch = getopt_long(argc, argv, ":h", cli_sweep_show_opts,
	            NULL)) != -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_sweep);
		if (ch == '?' || ch == ':')
			return cli_bad_opt(&cli_cmd_sweep, argv, ch);
		*json = 1;
	}
	return -1;
}

static void
cli_sweep_ls_row(struct fmt_table *t, const json_t *sw)
{
	const json_t *c = json_object_get(sw, "counts");
	const json_t *best = json_object_get(sw, "best");
	char id[24], trials[48], run[24], stop[24], b[64], v[32];
	const char *row[10];
	long long ended;

	ended = cli_sweep_int(c, "completed") + cli_sweep_int(c, "failed") +
	    cli_sweep_int(c, "stopped") + cli_sweep_int(c, "cancelled");
	snprintf(id, sizeof(id), "%lld", cli_sweep_int(sw, "id"));
	if (json_is_integer(json_object_get(sw, "budget")))
		snprintf(trials, sizeof(trials), "%lld/%lld", ended,
		    cli_sweep_int(sw, "budget"));
	else
		snprintf(trials, sizeof(trials), "%lld/-", ended);
	snprintf(run, sizeof(run), "%lld", cli_sweep_int(c, "running"));
	snprintf(stop, sizeof(stop), "%lld", cli_sweep_int(c, "stopped"));
	if (json_is_object(best))
		snprintf(b, sizeof(b), "%s (t%lld)",
		    cli_sweep_value(json_object_get(best, "value"), v,
		        sizeof(v)),
		    cli_sweep_int(best, "trial"));
	else
		snprintf(b, sizeof(b), "-");
	row[0] = id;
	row[1] = cli_sweep_str(sw, "name");
	row[2] = cli_sweep_str(sw, "user");
	row[3] = cli_sweep_str(sw, "state");
	row[4] = cli_sweep_str(sw, "method");
	row[5] = trials;
	row[6] = run;
	row[7] = stop;
	row[8] = cli_sweep_str(json_object_get(sw, "metric"), "name");
	row[9] = b;
	fmt_table_add(t, row);
}

int
cli_sweep_ls(struct cli *cli, int argc, char **argv)
{
	static const char *const head[] = { "ID", "NAME", "USER", "STATE",
		"METHOD", "ENDED", "RUNNING", "STOPPED", "METRIC", "BEST" };
	struct fmt_table t;
	struct buf b;
	json_t *res, *sw;
	char *cause;
	size_t i;
	int rc, json;

	if ((rc = cli_sweep_opts(argc, argv, &json)) >= 0)
		return rc;
	if (optind != argc)
		return cli_bad_usage(&cli_cmd_sweep, "sweep ls takes no ID");
	rc = cli_rpc(cli, "sweep.list", json_object(), &res, &cause);
	if (rc != 0)
		return cli_fail(cli, "sweep ls", rc, cause);
	if (json) {
		rc = cli_print_json(res);
		json_decref(res);
		return rc;
	}
	fmt_table_init(&t, 10, head);
	fmt_table_column(&t, 1, 24, 0);
	json_array_foreach(json_object_get(res, "sweeps"), i, sw)
		cli_sweep_ls_row(&t, sw);
	buf_init(&b, CLI_OUT_MAX);
	fmt_table_render(&t, &b);
	rc = cli_print_buf(&b);
	buf_done(&b);
	fmt_table_done(&t);
	json_decref(res);
	return rc;
}

/* The names of the parameters: the first trial's, in its order. */
static size_t
cli_sweep_param_names(json_t *params, const char **names, size_t max)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	json_object_foreach(params, k, v) {
		if (n == max)
			break;
		names[n++] = k;
	}
	return n;
}

/* "hyperband (min_iter 3, eta 3)" from the sweep's early_terminate. */
static void
cli_sweep_rule(struct buf *b, json_t *et)
{
	const char *k, *type = cli_sweep_str(et, "type");
	char v[64];
	json_t *x;
	int first = 1;

	buf_printf(b, "%s", type[0] ? type : "?");
	json_object_foreach(et, k, x) {
		if (strcmp(k, "type") == 0)
			continue;
		buf_printf(b, "%s%s %s", first ? " (" : ", ", k,
		    cli_sweep_value(x, v, sizeof(v)));
		first = 0;
	}
	if (!first)
		buf_addstr(b, ")");
}

static void
cli_sweep_show_head(struct buf *b, const json_t *sw, long long now)
{
	const json_t *m = json_object_get(sw, "metric");
	json_t *et = json_object_get(sw, "early_terminate");
	const json_t *best = json_object_get(sw, "best");
	char age[24], v[32];

	buf_printf(b, "Sweep %lld %s (%s, project %s): %s, %s, ",
	    cli_sweep_int(sw, "id"), cli_sweep_str(sw, "name"),
	    cli_sweep_str(sw, "user"), cli_sweep_str(sw, "project"),
	    cli_sweep_str(sw, "state"), cli_sweep_str(sw, "method"));
	if (json_is_integer(json_object_get(sw, "budget")))
		buf_printf(b, "%lld trials", cli_sweep_int(sw, "budget"));
	else
		buf_addstr(b, "trials until stopped");
	buf_printf(b, ", %lld at once, created %s ago\n",
	    cli_sweep_int(sw, "parallel"),
	    cli_sweep_age(cli_sweep_int(sw, "created"), now, age, sizeof(age)));
	if (json_is_object(m))
		buf_printf(b, "Metric %s (%s)", cli_sweep_str(m, "name"),
		    cli_sweep_str(m, "goal"));
	else
		buf_addstr(b, "No metric");
	buf_addstr(b, json_is_object(et) ? ", early termination " : "");
	if (json_is_object(et))
		cli_sweep_rule(b, et);
	buf_printf(b, "; %.2f GPU-hours so far\n",
	    (double)cli_sweep_int(sw, "gpu_seconds") / 3600.0);
	if (json_is_object(best))
		buf_printf(b, "Best: trial %lld (job %lld): %s\n",
		    cli_sweep_int(best, "trial"), cli_sweep_int(best, "job"),
		    cli_sweep_value(json_object_get(best, "value"), v,
		        sizeof(v)));
	if (json_is_string(json_object_get(sw, "reason")))
		buf_printf(b, "Reason: %s\n", cli_sweep_str(sw, "reason"));
	buf_addstr(b, "\n");
}

static void
cli_sweep_show_row(struct fmt_table *t, const json_t *tr,
    const char *const *names, size_t np)
{
	char cells[6 + SHOW_MAX_PARAMS][64];
	const char *row[7 + SHOW_MAX_PARAMS];
	const json_t *params = json_object_get(tr, "params");
	size_t i;

	snprintf(cells[0], 64, "%lld", cli_sweep_int(tr, "trial"));
	snprintf(cells[1], 64, "%lld", cli_sweep_int(tr, "job"));
	cli_sweep_value(json_object_get(tr, "step"), cells[2], 64);
	cli_sweep_value(json_object_get(tr, "metric"), cells[3], 64);
	cli_sweep_value(json_object_get(tr, "best"), cells[4], 64);
	row[0] = cells[0];
	row[1] = cells[1];
	row[2] = cli_sweep_str(tr, "state");
	row[3] = cells[2];
	row[4] = cells[3];
	row[5] = cells[4];
	for (i = 0; i < np; i++)
		row[6 + i] = cli_sweep_value(json_object_get(params, names[i]),
		    cells[5 + i], 64);
	row[6 + np] = cli_sweep_str(tr, "stopped_early");
	fmt_table_add(t, row);
}

static void
cli_sweep_show_trials(struct buf *b, json_t *trials)
{
	const char *head[7 + SHOW_MAX_PARAMS] = { "TRIAL", "JOB", "STATE",
		"STEP", "METRIC", "BEST" };
	const char *names[SHOW_MAX_PARAMS];
	struct fmt_table t;
	const json_t *tr;
	size_t np, i;

	np = cli_sweep_param_names(json_object_get(json_array_get(trials, 0),
	                               "params"),
	    names, SHOW_MAX_PARAMS);
	for (i = 0; i < np; i++)
		head[6 + i] = names[i];
	head[6 + np] = "STOPPED EARLY";
	fmt_table_init(&t, 7 + np, head);
	for (i = 0; i < 6 + np; i++)
		fmt_table_column(&t, i, 24, i < 2 || (i >= 3 && i < 6));
	fmt_table_column(&t, 6 + np, 80, 0);
	json_array_foreach(trials, i, tr)
		cli_sweep_show_row(&t, tr, names, np);
	fmt_table_render(&t, b);
	fmt_table_done(&t);
}

int
cli_sweep_show(struct cli *cli, int argc, char **argv)
{
	json_t *res, *trials;
	long long id;
	struct buf b;
	char *cause;
	int rc, json;

	if ((rc = cli_sweep_opts(argc, argv, &json)) >= 0)
		return rc;
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0)
		return cli_bad_usage(&cli_cmd_sweep,
		    "sweep show takes one sweep ID");
	rc = cli_rpc(cli, "sweep.show",
	    json_pack("{s:I}", "id", (json_int_t)id), &res, &cause);
	if (rc != 0)
		return cli_fail(cli, "sweep show", rc, cause);
	if (json) {
		rc = cli_print_json(res);
		json_decref(res);
		return rc;
	}
	buf_init(&b, CLI_OUT_MAX);
	cli_sweep_show_head(&b, json_object_get(res, "sweep"),
	    (long long)time(NULL));
	trials = json_object_get(res, "trials");
	if (json_array_size(trials) > 0)
		cli_sweep_show_trials(&b, trials);
	else
		buf_addstr(&b, "No trials yet.\n");
	rc = cli_print_buf(&b);
	buf_done(&b);
	json_decref(res);
	return rc;
}

static void
cli_sweep_dry_row(struct fmt_table *t, const json_t *tr,
    const char *const *names, size_t np)
{
	char cells[1 + SHOW_MAX_PARAMS][64];
	const char *row[2 + SHOW_MAX_PARAMS];
	const json_t *params = json_object_get(tr, "params");
	struct buf cmd;
	size_t i;

	buf_init(&cmd, 64 * 1024);
	fmt_argv(&cmd, json_object_get(tr, "argv"));
	snprintf(cells[0], 64, "%lld", cli_sweep_int(tr, "trial"));
	row[0] = cells[0];
	for (i = 0; i < np; i++)
		row[1 + i] = cli_sweep_value(json_object_get(params, names[i]),
		    cells[1 + i], 64);
	row[1 + np] = cmd.data != NULL ? cmd.data : "";
	fmt_table_add(t, row);
	buf_done(&cmd);
}

static void
cli_sweep_dry_summary(struct buf *b, const json_t *res)
{
	const json_t *gh = json_object_get(res, "gpu_hours");
	long long limit = cli_sweep_int(res, "time_limit_s");

	if (json_is_integer(json_object_get(res, "budget")))
		buf_printf(b, "%lld trials, %lld at once",
		    cli_sweep_int(res, "budget"),
		    cli_sweep_int(res, "parallel"));
	else
		buf_printf(b, "Trials until stopped, %lld at once",
		    cli_sweep_int(res, "parallel"));
	if (json_is_number(gh))
		buf_printf(b,
		    "; at most %.2f GPU-hours (%g GPU for up to "
		    "%llds each)\n",
		    json_number_value(gh),
		    json_number_value(json_object_get(res, "gpus")), limit);
	else
		buf_addstr(b,
		    "; GPU-hours unknown (no time limit: add "
		    "resources.time)\n");
}

int
cli_sweep_dry_print(const json_t *res)
{
	json_t *trials = json_object_get(res, "trials"), *tr;
	const char *head[2 + SHOW_MAX_PARAMS] = { "TRIAL" };
	const char *names[SHOW_MAX_PARAMS];
	struct fmt_table t;
	struct buf b;
	size_t np, i;
	int rc;

	np = cli_sweep_param_names(json_object_get(json_array_get(trials, 0),
	                               "params"),
	    names, SHOW_MAX_PARAMS);
	for (i = 0; i < np; i++)
		head[1 + i] = names[i];
	head[1 + np] = "COMMAND";
	buf_init(&b, CLI_OUT_MAX);
	buf_printf(&b, "Sweep %s (%s, project %s) would start:\n",
	    cli_sweep_str(res, "name"), cli_sweep_str(res, "method"),
	    cli_sweep_str(res, "project"));
	fmt_table_init(&t, 2 + np, head);
	json_array_foreach(trials, i, tr)
		cli_sweep_dry_row(&t, tr, names, np);
	fmt_table_render(&t, &b);
	fmt_table_done(&t);
	if (strcmp(cli_sweep_str(res, "method"), "grid") != 0)
		buf_printf(&b,
		    "(the first %lld; later ones are drawn as the "
		    "sweep runs)\n",
		    cli_sweep_int(res, "listed"));
	cli_sweep_dry_summary(&b, res);
	rc = cli_print_buf(&b);
	buf_done(&b);
	return rc;
}
