#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/cli.h"
#include "tui/fmt.h"

static int cli_status_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_status = {
	.name = "status",
	.summary = "Show the GPUs, what runs on them, and the daemon",
	.usage = "status [--json]\n"
	         "      --json   print {\"cluster\":...,\"server\":...} as "
	         "JSON\n",
	.fn = cli_status_fn,
};

static const struct option cli_status_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static long long
cli_status_int(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static const char *
cli_status_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* "12:alice,14:bob" for the jobs on one GPU. */
static void
cli_status_jobs(const json_t *jobs, char *out, size_t n)
{
	const json_t *j;
	struct buf b;
	size_t i;

	buf_init(&b, n - 1);
	json_array_foreach(jobs, i, j)
		buf_printf(&b, "%s%lld:%s", i > 0 ? "," : "",
		    cli_status_int(j, "id"), cli_status_str(j, "user"));
	snprintf(out, n, "%s", b.data != NULL ? b.data : "");
	buf_done(&b);
}

/* "12%" or "-" when the number is unknown (null). */
static void
cli_status_pct(const json_t *v, char *out, size_t n)
{
	if (json_is_number(v))
		snprintf(out, n, "%.0f%%", json_number_value(v));
	else
		snprintf(out, n, "-");
}

/*
 * One GPU's row; tel 0 for GPUs of an executor's nodes (slurm), which
 * have no telemetry: GPU, MODEL, MEMORY, ALLOC, JOBS.
 */
static void
cli_status_gpu(struct fmt_table *t, const json_t *g, int tel)
{
	char idx[16], mem[32], bar[24], share[16], alloc[48], util[16];
	char used[32], jobs[FMT_CELL_MAX];
	const json_t *mu = json_object_get(g, "mem_used_mb");
	const char *row[7];

	snprintf(idx, sizeof(idx), "%lld", cli_status_int(g, "index"));
	units_fmt_mem_mb(cli_status_int(g, "mem_mb"), mem, sizeof(mem));
	fmt_bar(json_number_value(json_object_get(g, "alloc")), 10, bar,
	    sizeof(bar));
	units_fmt_gpus(fmt_milli(json_object_get(g, "alloc")), share,
	    sizeof(share));
	snprintf(alloc, sizeof(alloc), "%s %s", bar, share);
	cli_status_pct(json_object_get(g, "util_pct"), util, sizeof(util));
	/* A GPU fallen off the bus: nothing new starts on it. */
	if (strcmp(cli_status_str(g, "state"), "lost") == 0)
		snprintf(util, sizeof(util), "LOST");
	if (json_is_integer(mu))
		units_fmt_mem_mb(json_integer_value(mu), used, sizeof(used));
	else
		snprintf(used, sizeof(used), "-");
	cli_status_jobs(json_object_get(g, "jobs"), jobs, sizeof(jobs));
	row[0] = idx;
	row[1] = cli_status_str(g, "model");
	row[2] = mem;
	row[3] = alloc;
	row[4] = tel ? util : jobs;
	row[5] = used;
	row[6] = jobs;
	fmt_table_add(t, row);
}

static void
cli_status_table(struct fmt_table *t, int tel)
{
	static const char *const head[] = { "GPU", "MODEL", "MEMORY", "ALLOC",
		"UTIL", "MEM USED", "JOBS" };
	static const char *const head_notel[] = { "GPU", "MODEL", "MEMORY",
		"ALLOC", "JOBS" };

	fmt_table_init(t, tel ? 7 : 5, tel ? head : head_notel);
	fmt_table_column(t, 0, 0, 1);
	fmt_table_column(t, 1, 20, 0);
	fmt_table_column(t, 2, 0, 1);
	if (tel) {
		fmt_table_column(t, 4, 0, 1);
		fmt_table_column(t, 5, 0, 1);
	}
	fmt_table_column(t, tel ? 6 : 4, 40, 0);
}

/* A node; tel 0 when its GPUs are the executor's (no telemetry). */
static void
cli_status_node(struct buf *b, const json_t *node, int tel)
{
	char cpus[2][16], mem[2][32];
	struct fmt_table t;
	const json_t *g;
	size_t i;

	units_fmt_gpus(fmt_milli(json_object_get(node, "cpus_alloc")), cpus[0],
	    sizeof(cpus[0]));
	units_fmt_gpus(fmt_milli(json_object_get(node, "cpus")), cpus[1],
	    sizeof(cpus[1]));
	units_fmt_mem_mb(cli_status_int(node, "mem_alloc_mb"), mem[0],
	    sizeof(mem[0]));
	units_fmt_mem_mb(cli_status_int(node, "mem_mb"), mem[1],
	    sizeof(mem[1]));
	fmt_safe(b, cli_status_str(node, "name"));
	buf_printf(b, ": cpus %s/%s, mem %s/%s\n", cpus[0], cpus[1], mem[0],
	    mem[1]);
	cli_status_table(&t, tel);
	json_array_foreach(json_object_get(node, "gpus"), i, g)
		cli_status_gpu(&t, g, tel);
	if (json_array_size(json_object_get(node, "gpus")) > 0)
		fmt_table_render(&t, b);
	else
		buf_addstr(b, "  no GPUs\n");
	fmt_table_done(&t);
}

static void
cli_status_cluster(struct buf *b, const json_t *st)
{
	const json_t *tot = json_object_get(st, "totals");
	const json_t *node;
	char alloc[16];
	size_t i;
	/* GPUs from the executor's nodes (slurm) come without telemetry. */
	int tel = strcmp(cli_status_str(st, "gpu_source"),
	              cli_status_str(st, "executor")) != 0;

	json_array_foreach(json_object_get(st, "nodes"), i, node)
		cli_status_node(b, node, tel);
	units_fmt_gpus(fmt_milli(json_object_get(tot, "gpus_alloc")), alloc,
	    sizeof(alloc));
	buf_printf(b,
	    "total: %lld GPUs, %s allocated; jobs: %lld running, "
	    "%lld pending\n",
	    cli_status_int(tot, "gpus"), alloc,
	    cli_status_int(tot, "jobs_running"),
	    cli_status_int(tot, "jobs_pending"));
}

static void
cli_status_server(struct buf *b, const json_t *st, const json_t *stats)
{
	static const char *const states[] = { "PENDING", "RUNNING", "COMPLETED",
		"FAILED", "CANCELLED", "TIMEOUT" };
	static const char *const states_lc[] = { "pending", "running",
		"completed", "failed", "cancelled", "timeout" };
	const json_t *jobs = json_object_get(stats, "jobs");
	char up[32];
	long long n;
	size_t i;

	units_fmt_duration(cli_status_int(stats, "uptime_s"), up, sizeof(up));
	buf_addstr(b, "gpuqd ");
	fmt_safe(b, cli_status_str(stats, "version"));
	buf_printf(b, " on ");
	fmt_safe(b, cli_status_str(st, "host"));
	buf_printf(b, " (pid %lld, up %s, executor ",
	    cli_status_int(stats, "pid"), up);
	fmt_safe(b, cli_status_str(st, "executor"));
	buf_addstr(b, ", gpus from ");
	fmt_safe(b, cli_status_str(st, "gpu_source"));
	buf_addstr(b, "); jobs:");
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		n = cli_status_int(jobs, states[i]);
		if (n > 0 || i < 2)
			buf_printf(b, "%s %lld %s", i > 0 ? "," : "", n,
			    states_lc[i]);
	}
	buf_addstr(b, "\n");
}

/* Fetches cluster.status and, unless compact, server.stats. */
static int
cli_status_fetch(struct cli *cli, int compact, json_t **st, json_t **stats,
    char **cause)
{
	int rc;

	*stats = NULL;
	rc = cli_rpc(cli, "cluster.status", json_object(), st, cause);
	if (rc != 0 || compact)
		return rc;
	rc = cli_rpc(cli, "server.stats", json_object(), stats, cause);
	if (rc != 0) {
		json_decref(*st);
		*st = NULL;
	}
	return rc;
}

int
cli_status_render(struct cli *cli, int compact, struct buf *out, char **cause)
{
	json_t *st, *stats;
	int rc;

	if ((rc = cli_status_fetch(cli, compact, &st, &stats, cause)) != 0)
		return rc;
	cli_status_cluster(out, st);
	if (!compact)
		cli_status_server(out, st, stats);
	json_decref(st);
	json_decref(stats);
	return 0;
}

static int
cli_status_json(struct cli *cli)
{
	json_t *st, *stats, *doc;
	char *cause;
	int rc;

	if ((rc = cli_status_fetch(cli, 0, &st, &stats, &cause)) != 0)
		return cli_fail(cli, "status", rc, cause);
	doc = json_pack("{s:o,s:o}", "cluster", st, "server", stats);
	rc = cli_print_json(doc);
	json_decref(doc);
	return rc;
}

static int
cli_status_fn(struct cli *cli, int argc, char **argv)
{
	struct buf b;
	char *cause;
	int ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "+:h", cli_status_opts, NULL)) !=
	    -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_status);
		if (ch != 'j')
			return cli_bad_opt(&cli_cmd_status, argv, ch);
		json = 1;
	}
	if (optind != argc)
		return cli_bad_usage(&cli_cmd_status, "unexpected argument %s",
		    argv[optind]);
	if (json)
		return cli_status_json(cli);
	buf_init(&b, CLI_OUT_MAX);
	rc = cli_status_render(cli, 0, &b, &cause);
	rc = rc != 0 ? cli_fail(cli, "status", rc, cause) : cli_print_buf(&b);
	buf_done(&b);
	return rc;
}
