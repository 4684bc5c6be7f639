/*
 * gpuq usage: GPU-hours given and used per user or project
 * (usage.report), as a table, CSV or JSON.  docs/cli/usage.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/cli.h"
#include "tui/fmt.h"

static int cli_usage_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_usage = {
	.name = "usage",
	.summary = "GPU-hours given and used, per user or project",
	.usage = "usage [--since DURATION] [--by user|project] [--csv|--json]\n"
	         "      --since D  the last D (7d, 12h, 30m; all: everything "
	         "kept); default 7d\n"
	         "      --by W     one row per user (default) or project\n"
	         "      --csv      comma-separated values with a header\n"
	         "      --json     print the daemon's answer as JSON\n",
	.fn = cli_usage_fn,
};

static const struct option cli_usage_opts[] = {
	{ "since", required_argument, NULL, 's' },
	{ "by", required_argument, NULL, 'b' },
	{ "csv", no_argument, NULL, 'c' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct cli_usage_args {
	long long since; /* seconds since the epoch */
	const char *by;
	int csv, json;
};

static double
cli_usage_num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* "12.5" GPU-hours, with fewer decimals as they grow. */
static void
cli_usage_hours(double h, char *out, size_t n)
{
	if (h >= 100)
		snprintf(out, n, "%.0f", h);
	else if (h >= 10)
		snprintf(out, n, "%.1f", h);
	else
		snprintf(out, n, "%.2f", h);
}

/* "73%", or "-" when nothing was sampled. */
static void
cli_usage_eff(const json_t *row, char *out, size_t n)
{
	const json_t *e = json_object_get(row, "efficiency");

	if (json_is_number(e))
		snprintf(out, n, "%.0f%%", json_number_value(e));
	else
		snprintf(out, n, "-");
}

static void
cli_usage_note(const json_t *row, char *out, size_t n)
{
	long long ns = (long long)cli_usage_num(row, "no_samples");
	long long jobs = (long long)cli_usage_num(row, "jobs");

	if (ns == 0)
		out[0] = '\0';
	else if (ns == jobs)
		snprintf(out, n, "no samples: allocated time only");
	else
		snprintf(out, n, "%lld job%s with no samples", ns,
		    ns == 1 ? "" : "s");
}

static void
cli_usage_row(struct fmt_table *t, const json_t *row)
{
	char jobs[32], alloc[32], used[32], eff[16], idle[32], note[64];
	const char *cells[7];

	snprintf(jobs, sizeof(jobs), "%lld",
	    (long long)cli_usage_num(row, "jobs"));
	cli_usage_hours(cli_usage_num(row, "alloc_gpu_h"), alloc,
	    sizeof(alloc));
	cli_usage_hours(cli_usage_num(row, "used_gpu_h"), used, sizeof(used));
	cli_usage_eff(row, eff, sizeof(eff));
	cli_usage_hours(cli_usage_num(row, "idle_gpu_h"), idle, sizeof(idle));
	cli_usage_note(row, note, sizeof(note));
	cells[0] = json_string_value(json_object_get(row, "who"));
	cells[0] = cells[0] != NULL ? cells[0] : "?";
	cells[1] = jobs;
	cells[2] = alloc;
	cells[3] = used;
	cells[4] = eff;
	cells[5] = idle;
	cells[6] = note;
	fmt_table_add(t, cells);
}

/* "user" or "project": what the rows are (a daemon may leave it out). */
static const char *
cli_usage_by(const json_t *res)
{
	const char *by = json_string_value(json_object_get(res, "by"));

	return by != NULL && strcmp(by, "project") == 0 ? "project" : "user";
}

static void
cli_usage_table(struct buf *b, const json_t *res)
{
	const char *head[] = { "USER", "JOBS", "GPU-H ALLOC", "GPU-H USED",
		"EFFICIENCY", "IDLE GPU-H", "NOTE" };
	const json_t *rows = json_object_get(res, "rows"), *row;
	struct fmt_table t;
	size_t i;

	if (strcmp(cli_usage_by(res), "project") == 0)
		head[0] = "PROJECT";
	if (json_array_size(rows) == 0) {
		buf_addstr(b, "no GPU jobs in this period\n");
		return;
	}
	fmt_table_init(&t, 7, head);
	fmt_table_column(&t, 0, 32, 0);
	for (i = 1; i <= 5; i++)
		fmt_table_column(&t, i, 0, 1);
	json_array_foreach(rows, i, row)
		cli_usage_row(&t, row);
	if (json_array_size(rows) > 1)
		cli_usage_row(&t, json_object_get(res, "total"));
	fmt_table_render(&t, b);
	fmt_table_done(&t);
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
cli_usage_csv_str(struct buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fmt_safe(b, s);
		return;
	}
	buf_addstr(b, "\"");
	for (; *s != '\0'; s++)
		buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	buf_addstr(b, "\"");
}

static void
cli_usage_csv(struct buf *b, const json_t *res)
{
	const json_t *row, *e;
	size_t i;

	buf_printf(b,
	    "%s,jobs,gpu_h_alloc,gpu_h_used,efficiency_pct,"
	    "idle_gpu_h,no_samples\n",
	    cli_usage_by(res));
	json_array_foreach(json_object_get(res, "rows"), i, row) {
		const char *who =
		    json_string_value(json_object_get(row, "who"));

		cli_usage_csv_str(b, who != NULL ? who : "");
		buf_printf(b, ",%lld,%.3f,%.3f,",
		    (long long)cli_usage_num(row, "jobs"),
		    cli_usage_num(row, "alloc_gpu_h"),
		    cli_usage_num(row, "used_gpu_h"));
		e = json_object_get(row, "efficiency");
		if (json_is_number(e))
			buf_printf(b, "%.1f", json_number_value(e));
		buf_printf(b, ",%.3f,%lld\n", cli_usage_num(row, "idle_gpu_h"),
		    (long long)cli_usage_num(row, "no_samples"));
	}
}

/* 0, -1 for --help, or the exit status of a bad command line. */
static int
cli_usage_parse(int argc, char **argv, struct cli_usage_args *a)
{
	int64_t secs;
	int ch;

	memset(a, 0, sizeof(*a));
	a->since = (long long)time(NULL) - 7 * 24 * 3600;
	a->by = "user";
	while (
	    (ch = getopt_long(argc, argv, "+:h", cli_usage_opts, NULL)) != -1) {
		if (ch == 'h')
			return -1;
		if (ch == 's' && strcmp(optarg, "all") == 0)
			a->since = 0;
		else if (ch == 's' &&
		    units_parse_duration(optarg, 86400, &secs) == 0)
			a->since = (long long)time(NULL) - secs;
		else if (ch == 's')
			return cli_bad_usage(&cli_cmd_usage,
			    "bad duration '%s' (7d, 12h, 30m or all)", optarg);
		else if (ch == 'b')
			a->by = optarg;
		else if (ch == 'c')
			a->csv = 1;
		else if (ch == 'j')
			a->json = 1;
		else
			return cli_bad_opt(&cli_cmd_usage, argv, ch);
	}
	if (strcmp(a->by, "user") != 0 && strcmp(a->by, "project") != 0)
		return cli_bad_usage(&cli_cmd_usage,
		    "--by wants user or project");
	if (a->csv && a->json)
		return cli_bad_usage(&cli_cmd_usage,
		    "--csv or --json, not both");
	if (optind != argc)
		return cli_bad_usage(&cli_cmd_usage, "unexpected argument %s",
		    argv[optind]);
	return 0;
}

static int
cli_usage_fn(struct cli *cli, int argc, char **argv)
{
	struct cli_usage_args a;
	struct buf b;
	json_t *res;
	char *cause;
	int rc;

	if ((rc = cli_usage_parse(argc, argv, &a)) != 0)
		return rc < 0 ? cli_help_cmd(&cli_cmd_usage) : rc;
	rc = cli_rpc(cli, "usage.report",
	    json_pack("{s:I,s:s}", "since",
	        (json_int_t)(a.since > 0 ? a.since : 0), "by", a.by),
	    &res, &cause);
	if (rc != 0)
		return cli_fail(cli, "usage", rc, cause);
	if (a.json) {
		rc = cli_print_json(res);
	} else {
		buf_init(&b, CLI_OUT_MAX);
		if (a.csv)
			cli_usage_csv(&b, res);
		else
			cli_usage_table(&b, res);
		rc = cli_print_buf(&b);
		buf_done(&b);
	}
	json_decref(res);
	return rc;
}
