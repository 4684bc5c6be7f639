#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/cli.h"
#include "tui/fmt.h"

static int cli_projects_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_projects = {
	.name = "projects",
	.summary = "Show projects: quotas, what they hold, borrow and wait for",
	.usage = "projects [--json] [PROJECT]\n"
	         "      --json   print the daemon's answer as JSON\n"
	         "  With PROJECT: that project and each of its users.\n",
	.fn = cli_projects_fn,
};

static const struct option cli_projects_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *
cli_projects_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "-";
}

/* GPUs as "4", "0.5"; "-" for null (no limit). */
static char *
cli_projects_gpus(const json_t *v, char *out, size_t n)
{
	if (!json_is_number(v))
		snprintf(out, n, "-");
	else
		units_fmt_gpus(fmt_milli(v), out, n);
	return out;
}

static char *
cli_projects_num(const json_t *o, const char *key, char *out, size_t n)
{
	return cli_projects_gpus(json_object_get(o, key), out, n);
}

/* The cells shared by projects and users. */
static void
cli_projects_cells(const json_t *p, char cells[][32])
{
	const json_t *jobs = json_object_get(p, "jobs");
	const json_t *usage = json_object_get(p, "usage");

	cli_projects_num(p, "allocated", cells[0], 32);
	cli_projects_num(p, "pending", cells[1], 32);
	snprintf(cells[2], 32, "%lld/%lld",
	    (long long)json_integer_value(json_object_get(jobs, "running")),
	    (long long)json_integer_value(json_object_get(jobs, "pending")));
	snprintf(cells[3], 32, "%.3f",
	    json_number_value(json_object_get(p, "share")));
	snprintf(cells[4], 32, "%.2f",
	    json_number_value(json_object_get(usage, "gpus")));
	snprintf(cells[5], 32, "%g",
	    json_number_value(json_object_get(p, "weight")));
}

static void
cli_projects_row(struct fmt_table *t, const json_t *p)
{
	char c[6][32], des[32], lim[32], bor[32];
	const char *row[11];

	cli_projects_cells(p, c);
	row[0] = cli_projects_str(p, "name");
	row[1] = cli_projects_str(p, "department");
	row[2] = cli_projects_num(p, "deserved", des, sizeof(des));
	row[3] = cli_projects_num(p, "limit", lim, sizeof(lim));
	row[4] = c[5];
	row[5] = c[0];
	row[6] = cli_projects_num(p, "borrowed", bor, sizeof(bor));
	row[7] = c[1];
	row[8] = c[2];
	row[9] = c[3];
	row[10] = c[4];
	fmt_table_add(t, row);
}

static void
cli_projects_table(struct buf *b, const json_t *res)
{
	static const char *const head[] = { "PROJECT", "DEPT", "DESERVED",
		"LIMIT", "WEIGHT", "ALLOC", "BORROWED", "PENDING", "JOBS R/P",
		"SHARE", "USAGE" };
	const json_t *p;
	struct fmt_table t;
	size_t i;

	fmt_table_init(&t, 11, head);
	fmt_table_column(&t, 0, 24, 0);
	fmt_table_column(&t, 1, 16, 0);
	for (i = 2; i < 11; i++)
		fmt_table_column(&t, i, 0, 1);
	json_array_foreach(json_object_get(res, "projects"), i, p)
		cli_projects_row(&t, p);
	fmt_table_render(&t, b);
	fmt_table_done(&t);
}

static void
cli_projects_policy(struct buf *b, const json_t *pol)
{
	char hl[32], mr[32];

	units_fmt_duration(json_integer_value(
	                       json_object_get(pol, "half_life_s")),
	    hl, sizeof(hl));
	units_fmt_duration(json_integer_value(
	                       json_object_get(pol, "min_runtime_s")),
	    mr, sizeof(mr));
	buf_printf(b,
	    "\npolicy %s: usage half-life %s, minimum runtime %s, "
	    "%lld reservations, preemption %s\n",
	    cli_projects_str(pol, "name"), hl, mr,
	    (long long)json_integer_value(json_object_get(pol, "reservations")),
	    json_is_true(json_object_get(pol, "preempt")) ? "on" : "off");
	buf_addstr(b,
	    "SHARE: weighted dominant share of GPUs, CPUs and memory "
	    "(recent usage plus\nwhat is held); lower goes first for idle "
	    "GPUs.  USAGE: GPUs held on average\nlately.\n");
}

static void
cli_projects_users(struct buf *b, const json_t *users)
{
	static const char *const head[] = { "USER", "WEIGHT", "ALLOC",
		"PENDING", "JOBS R/P", "SHARE", "USAGE" };
	const json_t *u;
	struct fmt_table t;
	char c[6][32];
	const char *row[7];
	size_t i;

	fmt_table_init(&t, 7, head);
	for (i = 1; i < 7; i++)
		fmt_table_column(&t, i, 0, 1);
	json_array_foreach(users, i, u) {
		cli_projects_cells(u, c);
		row[0] = cli_projects_str(u, "name");
		row[1] = c[5];
		row[2] = c[0];
		row[3] = c[1];
		row[4] = c[2];
		row[5] = c[3];
		row[6] = c[4];
		fmt_table_add(&t, row);
	}
	fmt_table_render(&t, b);
	fmt_table_done(&t);
}

static void
cli_projects_one(struct buf *b, const json_t *res)
{
	const json_t *p = json_object_get(res, "project");
	char des[32], lim[32], al[32], bor[32], pen[32];

	buf_addstr(b, "Project ");
	fmt_safe(b, cli_projects_str(p, "name"));
	buf_printf(b, "%s\n",
	    json_is_true(json_object_get(p, "configured")) ?
	        "" :
	        " (not declared: no quota, weight 1)");
	buf_printf(b, "  department %s\n", cli_projects_str(p, "department"));
	buf_printf(b, "  deserved   %s GPUs, limit %s, weight %g\n",
	    cli_projects_num(p, "deserved", des, sizeof(des)),
	    cli_projects_num(p, "limit", lim, sizeof(lim)),
	    json_number_value(json_object_get(p, "weight")));
	buf_printf(b, "  holds      %s GPUs, %s of them borrowed\n",
	    cli_projects_num(p, "allocated", al, sizeof(al)),
	    cli_projects_num(p, "borrowed", bor, sizeof(bor)));
	buf_printf(b, "  waiting    %s GPUs asked by %lld jobs\n",
	    cli_projects_num(p, "pending", pen, sizeof(pen)),
	    (long long)json_integer_value(
	        json_object_get(json_object_get(p, "jobs"), "pending")));
	buf_printf(b, "  standing   share %.3f, #%lld for idle GPUs\n\n",
	    json_number_value(json_object_get(p, "share")),
	    (long long)json_integer_value(json_object_get(p, "rank")));
	cli_projects_users(b, json_object_get(p, "users"));
}

static int
cli_projects_fn(struct cli *cli, int argc, char **argv)
{
	const char *name = NULL;
	json_t *res;
	struct buf b;
	char *cause;
	int ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "+:h", cli_projects_opts, NULL)) !=
	    -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_projects);
		if (ch != 'j')
			return cli_bad_opt(&cli_cmd_projects, argv, ch);
		json = 1;
	}
	if (optind + 1 < argc)
		return cli_bad_usage(&cli_cmd_projects, "give one project");
	if (optind < argc)
		name = argv[optind];
	rc = name != NULL ?
	    cli_rpc(cli, "project.show", json_pack("{s:s}", "name", name), &res,
	        &cause) :
	    cli_rpc(cli, "project.list", json_object(), &res, &cause);
	if (rc != 0)
		return cli_fail(cli, "projects", rc, cause);
	if (json) {
		rc = cli_print_json(res);
	} else {
		buf_init(&b, CLI_OUT_MAX);
		if (name != NULL)
			cli_projects_one(&b, res);
		else
			cli_projects_table(&b, res);
		cli_projects_policy(&b, json_object_get(res, "policy"));
		rc = cli_print_buf(&b);
		buf_done(&b);
	}
	json_decref(res);
	return rc;
}
