#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/client.h"
#include "tui/cli.h"
#include "tui/fmt.h"

#define LS_PAGE 1000 /* jobs asked for per job.list call */

static int cli_ls_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_ls = {
	.name = "ls",
	.summary = "List jobs",
	.usage = "ls [options]\n"
	         "  -a, --all          include finished jobs (default: "
	         "pending and running)\n"
	         "  -u, --user USER    only USER's jobs\n"
	         "      --mine         only my jobs\n"
	         "  -p, --project P    only jobs of project P\n"
	         "  -s, --state S      only jobs in state S (a comma list: "
	         "pending,running;\n"
	         "                     implies --all)\n"
	         "      --json         print {\"jobs\":[...]} as JSON\n",
	.fn = cli_ls_fn,
};

enum { LS_MINE = 256, LS_JSON };

static const struct option cli_ls_opts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "user", required_argument, NULL, 'u' },
	{ "mine", no_argument, NULL, LS_MINE },
	{ "project", required_argument, NULL, 'p' },
	{ "state", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, LS_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Fetches every job matching params (borrowed) into *jobs (new). */
static int
cli_ls_fetch(struct cli *cli, const json_t *params, json_t **jobs, char **cause)
{
	json_t *p, *res, *next;
	int rc;

	*jobs = json_array();
	next = NULL;
	for (;;) {
		p = json_deep_copy(params);
		json_object_set_new(p, "limit", json_integer(LS_PAGE));
		if (next != NULL)
			json_object_set(p, "after", next);
		json_decref(next);
		if ((rc = cli_rpc(cli, "job.list", p, &res, cause)) != 0) {
			json_decref(*jobs);
			*jobs = NULL;
			return rc;
		}
		json_array_extend(*jobs, json_object_get(res, "jobs"));
		next = json_incref(json_object_get(res, "next"));
		json_decref(res);
		if (!json_is_integer(next)) {
			json_decref(next);
			return 0;
		}
	}
}

int
cli_ls_slurm_wait(const json_t *job, char *out, size_t n)
{
	static const char *const waiting[] = { "PENDING", "CONFIGURING",
		"REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD" };
	const json_t *sl = json_object_get(job, "slurm");
	const char *st = json_string_value(json_object_get(sl, "state"));
	const char *why = json_string_value(json_object_get(sl, "reason"));
	const char *state = json_string_value(json_object_get(job, "state"));
	size_t i;

	if (!json_is_object(sl) || state == NULL ||
	    strcmp(state, "RUNNING") != 0)
		return 0;
	if (json_integer_value(json_object_get(sl, "id")) <= 0) {
		snprintf(out, n, "in Slurm: not yet (being submitted)");
		return 1;
	}
	for (i = 0; st != NULL && i < sizeof(waiting) / sizeof(waiting[0]); i++)
		if (strcmp(st, waiting[i]) == 0)
			break;
	if (st == NULL || i == sizeof(waiting) / sizeof(waiting[0]))
		return 0;
	if (why != NULL && why[0] != '\0' && strcmp(why, "None") != 0)
		snprintf(out, n, "in Slurm: %s (%s)", st, why);
	else
		snprintf(out, n, "in Slurm: %s", st);
	return 1;
}

static void
cli_ls_row(struct fmt_table *t, const json_t *job, long long now)
{
	char id[24], gpus[32], age[32], where[FMT_CELL_MAX];
	const char *row[8];

	snprintf(id, sizeof(id), "%lld",
	    (long long)json_integer_value(json_object_get(job, "id")));
	row[0] = id;
	row[1] = json_string_value(json_object_get(job, "user"));
	row[2] = json_string_value(json_object_get(job, "project"));
	row[3] = json_string_value(json_object_get(job, "name"));
	row[4] = json_string_value(json_object_get(job, "state"));
	row[5] =
	    fmt_job_gpus(json_object_get(job, "request"), gpus, sizeof(gpus));
	row[6] = fmt_job_time(job, now, age, sizeof(age));
	row[7] = fmt_job_where(job, where, sizeof(where));
	/* Admitted by gpuq, not started by Slurm yet: say so, not the node. */
	cli_ls_slurm_wait(job, where, sizeof(where));
	/* A running job whose GPUs sit idle says so. */
	if (json_is_object(json_object_get(job, "idle")))
		strncat(where, " (idle)", sizeof(where) - strlen(where) - 1);
	fmt_table_add(t, row);
}

static int
cli_ls_table(const json_t *jobs, long long now, struct buf *out)
{
	static const char *const head[] = { "ID", "USER", "PROJECT", "NAME",
		"STATE", "GPUS", "TIME", "WHERE/WHY" };
	struct fmt_table t;
	const json_t *job;
	size_t i;
	int rc;

	fmt_table_init(&t, 8, head);
	fmt_table_column(&t, 0, 0, 1);
	fmt_table_column(&t, 1, 12, 0);
	fmt_table_column(&t, 2, 16, 0);
	fmt_table_column(&t, 3, 24, 0);
	fmt_table_column(&t, 5, 0, 1);
	fmt_table_column(&t, 6, 0, 1);
	fmt_table_column(&t, 7, 48, 0);
	json_array_foreach(jobs, i, job)
		cli_ls_row(&t, job, now);
	rc = fmt_table_render(&t, out);
	fmt_table_done(&t);
	return rc;
}

int
cli_ls_render(struct cli *cli, json_t *params, long long now, struct buf *out,
    json_t **jobs, char **cause)
{
	json_t *all;
	int rc;

	rc = cli_ls_fetch(cli, params, &all, cause);
	json_decref(params);
	if (rc != 0)
		return rc;
	if (out != NULL && (rc = cli_ls_table(all, now, out)) != 0)
		*cause = xstrdup("the job table is too large to print");
	if (jobs != NULL && rc == 0)
		*jobs = json_incref(all);
	json_decref(all);
	return rc;
}

/* "running,failed" as ["RUNNING","FAILED"]; NULL when a name is wrong. */
static json_t *
cli_ls_states(const char *arg)
{
	json_t *states = json_array();
	char *copy = xstrdup(arg), *tok, *save = NULL;
	const char *st;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if ((st = fmt_state_parse(tok)) == NULL) {
			json_decref(states);
			states = NULL;
			break;
		}
		json_array_append_new(states, json_string(st));
	}
	free(copy);
	if (states != NULL && json_array_size(states) == 0) {
		json_decref(states);
		states = NULL;
	}
	return states;
}

/* Sets --mine's user from the daemon's hello; -1 to go on. */
static int
cli_ls_mine(struct cli *cli, json_t *params)
{
	const char *user;
	char *cause;
	int rc;

	if ((rc = cli_connect(cli, &cause)) != 0) {
		fprintf(stderr, "gpuq: %s\n", cause);
		free(cause);
		return CLI_EXIT_FAIL;
	}
	user = json_string_value(
	    json_object_get(client_hello(cli->client), "user"));
	if (user == NULL) {
		fprintf(stderr,
		    "gpuq: ls: the daemon did not say who you "
		    "are; use --user\n");
		return CLI_EXIT_FAIL;
	}
	json_object_set_new(params, "user", json_string(user));
	return -1;
}

/* Parses one option into params; returns -1 to go on or an exit code. */
static int
cli_ls_opt(json_t *params, int ch, char **argv, int *mine, int *json)
{
	const struct cli_cmd *cmd = &cli_cmd_ls;
	json_t *states;

	switch (ch) {
	case 'a':
		json_object_set_new(params, "all", json_true());
		return -1;
	case 'u':
	case 'p':
		json_object_set_new(params, ch == 'u' ? "user" : "project",
		    json_string(optarg));
		return -1;
	case 's':
		if ((states = cli_ls_states(optarg)) == NULL)
			return cli_bad_usage(cmd,
			    "no state %s (pending, "
			    "running, completed, "
			    "failed, cancelled, timeout)",
			    optarg);
		json_object_set_new(params, "state", states);
		json_object_set_new(params, "all", json_true());
		return -1;
	case LS_MINE:
		*mine = 1;
		return -1;
	case LS_JSON:
		*json = 1;
		return -1;
	case 'h':
		return cli_help_cmd(cmd);
	}
	return cli_bad_opt(cmd, argv, ch);
}

static int
cli_ls_output(struct cli *cli, json_t *params, int json)
{
	json_t *jobs = NULL, *doc;
	struct buf out;
	char *cause;
	int rc;

	buf_init(&out, CLI_OUT_MAX);
	rc = cli_ls_render(cli, params, (long long)time(NULL),
	    json ? NULL : &out, json ? &jobs : NULL, &cause);
	if (rc != 0) {
		buf_done(&out);
		return cli_fail(cli, "ls", rc, cause);
	}
	if (json) {
		doc = json_pack("{s:o}", "jobs", jobs);
		rc = cli_print_json(doc);
		json_decref(doc);
	} else {
		rc = cli_print_buf(&out);
	}
	buf_done(&out);
	return rc;
}

static int
cli_ls_fn(struct cli *cli, int argc, char **argv)
{
	json_t *params = json_object();
	int ch, rc = -1, mine = 0, json = 0;

	while (rc < 0 &&
	    (ch = getopt_long(argc, argv, "+:au:p:s:h", cli_ls_opts, NULL)) !=
	        -1)
		rc = cli_ls_opt(params, ch, argv, &mine, &json);
	if (rc < 0 && optind < argc)
		rc = cli_bad_usage(&cli_cmd_ls, "unexpected argument %s",
		    argv[optind]);
	if (rc < 0 && mine)
		rc = cli_ls_mine(cli, params);
	if (rc < 0)
		return cli_ls_output(cli, params, json);
	json_decref(params);
	return rc;
}
