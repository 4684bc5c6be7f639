#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/cli.h"
#include "tui/fmt.h"

static int cli_show_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_show = {
	.name = "show",
	.summary = "Show one job in detail",
	.usage = "show [--json] ID\n"
	         "      --json   print the daemon's answer as JSON\n",
	.fn = cli_show_fn,
};

static const struct option cli_show_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Appends "  label      value\n", the value made safe for a terminal. */
static void cli_show_kv(struct buf *b, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
cli_show_kv(struct buf *b, const char *label, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = xvasprintf(fmt, ap);
	va_end(ap);
	buf_printf(b, "  %-10s ", label);
	fmt_safe(b, v);
	buf_addstr(b, "\n");
	free(v);
}

static const char *
cli_show_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static long long
cli_show_int(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* A local date and time, "2025-11-21 10:00:00". */
static char *
cli_show_when(long long t, char *out, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL)
		snprintf(out, n, "-");
	else
		strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
	return out;
}

static void
cli_show_request(struct buf *b, const json_t *job)
{
	const json_t *req = json_object_get(job, "request");
	char g[32], c[32], m[32], t[32];
	long long limit = cli_show_int(req, "time_limit_s");

	fmt_job_gpus(req, g, sizeof(g));
	units_fmt_gpus(fmt_milli(json_object_get(req, "cpus")), c, sizeof(c));
	units_fmt_mem_mb(cli_show_int(req, "mem_mb"), m, sizeof(m));
	if (limit > 0)
		units_fmt_duration(limit, t, sizeof(t));
	else
		snprintf(t, sizeof(t), "none");
	cli_show_kv(b, "request", "%s %s, cpus %s, mem %s, time limit %s",
	    cli_show_int(req, "gpu_mem_mb") > 0 ? "gpu-mem" : "gpus", g, c, m,
	    t);
	cli_show_kv(b, "class", "%s, priority %lld, %s",
	    cli_show_str(job, "class"), cli_show_int(job, "priority"),
	    json_is_true(json_object_get(job, "preemptible")) ?
	        "preemptible" :
	        "not preemptible");
}

static void
cli_show_alloc(struct buf *b, const json_t *alloc)
{
	const json_t *g;
	char m[32], s[32];
	size_t i;

	if (!json_is_object(alloc))
		return;
	units_fmt_mem_mb(cli_show_int(alloc, "mem_mb"), m, sizeof(m));
	units_fmt_gpus(fmt_milli(json_object_get(alloc, "cpus")), s, sizeof(s));
	cli_show_kv(b, "placement", "%s, cpus %s, mem %s",
	    cli_show_str(alloc, "node"), s, m);
	json_array_foreach(json_object_get(alloc, "gpus"), i, g) {
		units_fmt_gpus(fmt_milli(json_object_get(g, "share")), s,
		    sizeof(s));
		units_fmt_mem_mb(cli_show_int(g, "mem_mb"), m, sizeof(m));
		cli_show_kv(b, "", "GPU %lld  %s  share %s  mem %s",
		    cli_show_int(g, "index"), cli_show_str(g, "uuid"), s, m);
	}
}

/* How the GPU share is enforced, idleness, and GPU accounting. */
static void
cli_show_gpu(struct buf *b, const json_t *job)
{
	static const char *const how[][3] = {
		{ "exclusive", "", "whole GPUs, seen by this job only" },
		{ "enforced", "", "held to its share by MIG or MPS limits" },
		{ "monitored", "", "its processes' GPU memory is watched" },
		{ "advisory", "", "told its share and trusted" },
		{ "exclusive", "slurm gres",
		    "whole GPUs Slurm bound to this job alone" },
		{ "advisory", "slurm shard",
		    "Slurm counts the shards but does not hold the job to "
		    "them; told its share and trusted" },
	};
	const char *e = cli_show_str(job, "enforcement");
	const char *via = cli_show_str(job, "enforcement_via");
	const json_t *idle = json_object_get(job, "idle");
	const json_t *u = json_object_get(job, "gpu_usage");
	char w[32], m[32];
	size_t i;

	for (i = 0; e[0] != '\0' && i < sizeof(how) / sizeof(how[0]); i++)
		if (strcmp(e, how[i][0]) == 0 && strcmp(via, how[i][1]) == 0)
			cli_show_kv(b, "gpu share", "%s%s%s%s: %s", e,
			    via[0] ? " (" : "", via, via[0] ? ")" : "",
			    how[i][2]);
	if (json_is_object(idle))
		cli_show_kv(b, "idle", "since %s, GPU utilization %lld%%",
		    cli_show_when(cli_show_int(idle, "since"), w, sizeof(w)),
		    cli_show_int(idle, "util"));
	if (!json_is_object(u))
		return;
	units_fmt_mem_mb(cli_show_int(u, "peak_mem_mb"), m, sizeof(m));
	cli_show_kv(b, "gpu usage",
	    "%.2f GPU-h given, %.2f used (%.0f%%), %.2f idle; peak memory %s",
	    json_number_value(json_object_get(u, "alloc_gpu_h")),
	    json_number_value(json_object_get(u, "used_gpu_h")),
	    json_number_value(json_object_get(u, "efficiency")),
	    json_number_value(json_object_get(u, "idle_gpu_h")), m);
}

static void
cli_show_times(struct buf *b, const json_t *job, long long now)
{
	long long sub = cli_show_int(job, "submit_time");
	long long start = cli_show_int(job, "start_time");
	long long end = cli_show_int(job, "end_time");
	char w[32], d[32];

	cli_show_kv(b, "submitted", "%s", cli_show_when(sub, w, sizeof(w)));
	if (start > 0) {
		units_fmt_duration(start - sub, d, sizeof(d));
		cli_show_kv(b, "started", "%s (waited %s)",
		    cli_show_when(start, w, sizeof(w)), d);
	}
	if (end > 0) {
		cli_show_kv(b, "ended", "%s", cli_show_when(end, w, sizeof(w)));
	}
	if (start > 0 || strcmp(cli_show_str(job, "state"), "PENDING") == 0) {
		fmt_job_time(job, now, d, sizeof(d));
		cli_show_kv(b, start > 0 ? "runtime" : "waiting", "%s", d);
	}
}

static void
cli_show_outcome(struct buf *b, const json_t *job)
{
	const json_t *wait = json_object_get(job, "wait");
	char e[64];

	fmt_job_exit(job, e, sizeof(e));
	if (e[0] != '\0')
		cli_show_kv(b, "exit", "%s", e);
	if (cli_show_str(job, "reason")[0] != '\0')
		cli_show_kv(b, "reason", "%s", cli_show_str(job, "reason"));
	if (json_is_object(wait) && cli_show_int(wait, "position") > 0)
		cli_show_kv(b, "wait", "%s, position %lld in the queue",
		    cli_show_str(wait, "reason"),
		    cli_show_int(wait, "position"));
	else if (json_is_object(wait))
		cli_show_kv(b, "wait", "%s", cli_show_str(wait, "reason"));
}

/* A waiting job's estimated start and hint; a running job's risk. */
static void
cli_show_sched(struct buf *b, const json_t *job, long long now)
{
	const json_t *wait = json_object_get(job, "wait");
	const json_t *risk = json_object_get(job, "risk");
	long long eta = cli_show_int(wait, "eta");
	char w[32], d[32];

	if (json_is_object(wait) && eta > 0) {
		units_fmt_duration(eta > now ? eta - now : 0, d, sizeof(d));
		cli_show_kv(b, "starts", "~%s (in %s)%s",
		    cli_show_when(eta, w, sizeof(w)), d,
		    json_is_true(json_object_get(wait, "reserved")) ?
		        ", its room is reserved" :
		        ", an estimate");
	} else if (json_is_object(wait))
		cli_show_kv(b, "starts",
		    "unknown (jobs ahead have no time "
		    "limit)");
	if (json_is_object(wait) && cli_show_str(wait, "hint")[0] != '\0')
		cli_show_kv(b, "hint", "%s", cli_show_str(wait, "hint"));
	if (json_is_object(risk))
		cli_show_kv(b, "risk", "%s: %s", cli_show_str(risk, "level"),
		    cli_show_str(risk, "text"));
}

/* Where it may run and how it is swapped out, when either was asked. */
static void
cli_show_where(struct buf *b, const json_t *job)
{
	const json_t *req = json_object_get(job, "request");
	const char *pool = cli_show_str(req, "pool");
	const char *labels = cli_show_str(req, "labels");
	const char *model = cli_show_str(req, "gpu_model");
	long long nodes = cli_show_int(req, "nodes");

	if (pool[0] || labels[0] || model[0] || nodes > 1)
		cli_show_kv(b, "where",
		    "pool %s, labels %s, GPU model %s, %lld "
		    "node%s",
		    pool[0] ? pool : "any", labels[0] ? labels : "any",
		    model[0] ? model : "any", nodes > 1 ? nodes : 1,
		    nodes > 1 ? "s at once" : "");
	if (cli_show_str(job, "checkpoint_signal")[0] != '\0' ||
	    cli_show_int(job, "preemptions") > 0)
		cli_show_kv(b, "swap-out",
		    "signal %s, %llds grace; swapped out "
		    "%lld time%s",
		    cli_show_str(job, "checkpoint_signal")[0] ?
		        cli_show_str(job, "checkpoint_signal") :
		        "TERM",
		    cli_show_int(job, "kill_grace_s"),
		    cli_show_int(job, "preemptions"),
		    cli_show_int(job, "preemptions") == 1 ? "" : "s");
}

static void
cli_show_ids(struct buf *b, const char *label, const json_t *ids,
    const char *what)
{
	struct buf l;
	const json_t *v;
	size_t i;

	if (json_array_size(ids) == 0)
		return;
	buf_init(&l, 64 * 1024);
	json_array_foreach(ids, i, v)
		buf_printf(&l, "%s%lld", i ? ", " : "",
		    (long long)json_integer_value(v));
	cli_show_kv(b, label, "job%s %s (%s)",
	    json_array_size(ids) > 1 ? "s" : "", l.data ? l.data : "", what);
	buf_done(&l);
}

/* Swap state, dependencies, hold (docs/swap.md). */
static void
cli_show_life(struct buf *b, const json_t *job, long long now)
{
	const json_t *s = json_object_get(job, "suspended");
	const json_t *sw = json_object_get(job, "swapping");
	const json_t *pin = json_object_get(job, "pinned");
	char w[32], d[32];

	if (json_is_object(s)) {
		units_fmt_duration(now - cli_show_int(s, "since"), d,
		    sizeof(d));
		cli_show_kv(b, "suspended", "by %s since %s (%s ago)",
		    cli_show_str(s, "mechanism"),
		    cli_show_when(cli_show_int(s, "since"), w, sizeof(w)), d);
		cli_show_kv(b, "", "%s", cli_show_str(s, "where"));
		cli_show_kv(b, "", "%s",
		    json_is_true(json_object_get(s, "resume")) ?
		        "comes back by itself when its GPUs are free" :
		        "comes back on gpuq resume");
	}
	if (json_is_object(sw))
		cli_show_kv(b, "swapping", "%s by %s in progress",
		    cli_show_str(sw, "op"), cli_show_str(sw, "mechanism"));
	if (cli_show_str(job, "swap_error")[0] != '\0')
		cli_show_kv(b, "swap error", "%s",
		    cli_show_str(job, "swap_error"));
	if (json_is_object(pin))
		cli_show_kv(b, "swap-in", "starts where job %lld was, once out",
		    cli_show_int(pin, "replaces"));
	if (json_is_true(json_object_get(job, "held")))
		cli_show_kv(b, "held",
		    "yes: it starts only after gpuq release");
	cli_show_ids(b, "after", json_object_get(job, "after"),
	    "once they have ended");
	cli_show_ids(b, "afterok", json_object_get(job, "afterok"),
	    "once they have COMPLETED");
}

/*
 * A member of job.show's answer: inside the job object (as gpuqd sends
 * it) or beside it.
 */
static const json_t *
cli_show_extra(const json_t *res, const char *key)
{
	const json_t *v = json_object_get(json_object_get(res, "job"), key);

	return v != NULL ? v : json_object_get(res, key);
}

static void
cli_show_command(struct buf *b, const json_t *res)
{
	const json_t *job = json_object_get(res, "job");
	const json_t *logs = cli_show_extra(res, "logs");
	struct buf argv;

	buf_init(&argv, 1024 * 1024);
	fmt_argv(&argv, json_object_get(job, "argv"));
	cli_show_kv(b, "command", "%s", argv.data != NULL ? argv.data : "");
	buf_done(&argv);
	cli_show_kv(b, "workdir", "%s", cli_show_str(job, "workdir"));
	if (json_is_object(logs)) {
		cli_show_kv(b, "stdout", "%s", cli_show_str(logs, "stdout"));
		cli_show_kv(b, "stderr", "%s", cli_show_str(logs, "stderr"));
	}
}

static void
cli_show_history(struct buf *b, const json_t *history)
{
	const json_t *h;
	const char *reason;
	char w[32];
	size_t i;

	if (json_array_size(history) == 0)
		return;
	buf_addstr(b, "  history\n");
	json_array_foreach(history, i, h) {
		reason = cli_show_str(h, "reason");
		if (reason[0] != '\0')
			cli_show_kv(b, "", "%s  %-9s  %s",
			    cli_show_when(cli_show_int(h, "time"), w,
			        sizeof(w)),
			    cli_show_str(h, "state"), reason);
		else
			cli_show_kv(b, "", "%s  %s",
			    cli_show_when(cli_show_int(h, "time"), w,
			        sizeof(w)),
			    cli_show_str(h, "state"));
	}
}

/*
 * The state, and Slurm's when it has not started a job gpuq runs; the
 * Slurm job's id (docs/slurm.md, "What gpuq shows").
 */
static void
cli_show_state(struct buf *b, const json_t *job)
{
	const json_t *sl = json_object_get(job, "slurm");
	char wait[128];

	if (cli_ls_slurm_wait(job, wait, sizeof(wait)))
		cli_show_kv(b, "state", "%s (attempt %lld), %s",
		    cli_show_str(job, "state"), cli_show_int(job, "attempt"),
		    wait);
	else
		cli_show_kv(b, "state", "%s (attempt %lld)",
		    cli_show_str(job, "state"), cli_show_int(job, "attempt"));
	if (cli_show_int(sl, "id") > 0)
		cli_show_kv(b, "slurm", "job %lld%s%s", cli_show_int(sl, "id"),
		    cli_show_str(sl, "state")[0] ? ", " : "",
		    cli_show_str(sl, "state"));
}

static void
cli_show_render(struct buf *b, const json_t *res, long long now)
{
	const json_t *job = json_object_get(res, "job");

	buf_printf(b, "Job %lld: ", cli_show_int(job, "id"));
	fmt_safe(b, cli_show_str(job, "name"));
	buf_addstr(b, "\n");
	cli_show_state(b, job);
	cli_show_kv(b, "user", "%s", cli_show_str(job, "user"));
	cli_show_kv(b, "project", "%s", cli_show_str(job, "project"));
	cli_show_request(b, job);
	cli_show_where(b, job);
	cli_show_life(b, job, now);
	cli_show_alloc(b, json_object_get(job, "alloc"));
	cli_show_gpu(b, job);
	cli_show_times(b, job, now);
	cli_show_outcome(b, job);
	cli_show_sched(b, job, now);
	cli_show_command(b, res);
	cli_show_history(b, cli_show_extra(res, "history"));
}

static int
cli_show_fn(struct cli *cli, int argc, char **argv)
{
	json_t *res;
	struct buf b;
	long long id;
	char *cause, what[48];
	int ch, json = 0, rc;

	while (
	    (ch = getopt_long(argc, argv, "+:h", cli_show_opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_show);
		if (ch != 'j')
			return cli_bad_opt(&cli_cmd_show, argv, ch);
		json = 1;
	}
	if (optind + 1 != argc)
		return cli_bad_usage(&cli_cmd_show, "give one job id");
	if (cli_parse_id(argv[optind], &id) != 0)
		return cli_bad_usage(&cli_cmd_show, "bad job id '%s'",
		    argv[optind]);
	snprintf(what, sizeof(what), "show %lld", id);
	rc = cli_rpc(cli, "job.show", json_pack("{s:I}", "id", (json_int_t)id),
	    &res, &cause);
	if (rc != 0)
		return cli_fail(cli, what, rc, cause);
	if (json) {
		rc = cli_print_json(res);
	} else {
		buf_init(&b, CLI_OUT_MAX);
		cli_show_render(&b, res, (long long)time(NULL));
		rc = cli_print_buf(&b);
		buf_done(&b);
	}
	json_decref(res);
	return rc;
}
