/* gpuq update ID --priority N --time-limit T (job.update). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "tui/cli.h"

static int cli_update_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_update = {
	.name = "update",
	.summary = "Change a job's priority or time limit",
	.usage = "update ID [--priority N] [--time-limit T]\n"
	         "  -p, --priority N     -1000 .. 1000 (admins: further)\n"
	         "  -t, --time-limit T   4h, 1h30m, 2:00:00 (a bare number is "
	         "minutes);\n"
	         "                       users may only shorten it\n",
	.fn = cli_update_fn,
};

static const struct option cli_update_opts[] = {
	{ "priority", required_argument, NULL, 'p' },
	{ "time-limit", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
cli_update_opt(json_t *p, int ch, const char *arg)
{
	char *end;
	int64_t t;
	long v;

	if (ch == 'p') {
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || v < -1000000 ||
		    v > 1000000)
			return GQ_EINVAL;
		return json_object_set_new(p, "priority", json_integer(v));
	}
	if (units_parse_duration(arg, 60, &t) != 0)
		return GQ_EINVAL;
	return json_object_set_new(p, "time_limit", json_integer(t));
}

static void
cli_update_print(const json_t *res, long long id)
{
	const json_t *job = json_object_get(res, "job");
	long long t = (long long)json_integer_value(
	    json_object_get(json_object_get(job, "request"), "time_limit_s"));
	char d[32];

	if (t > 0)
		units_fmt_duration(t, d, sizeof(d));
	else
		snprintf(d, sizeof(d), "none");
	printf("Updated job %lld: priority %lld, time limit %s\n", id,
	    (long long)json_integer_value(json_object_get(job, "priority")), d);
}

static int
cli_update_fn(struct cli *cli, int argc, char **argv)
{
	json_t *p = json_object(), *res;
	char *cause, what[48];
	long long id;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, ":p:t:h", cli_update_opts,
	            NULL)) != -1) {
		if (ch == 'h' || ch == '?' || ch == ':') {
			json_decref(p);
			return ch == 'h' ?
			    cli_help_cmd(&cli_cmd_update) :
			    cli_bad_opt(&cli_cmd_update, argv, ch);
		}
		if (cli_update_opt(p, ch, optarg) != 0) {
			json_decref(p);
			return cli_bad_usage(&cli_cmd_update,
			    "bad value for --%s: '%s'",
			    cli_opt_long(cli_update_opts, ch), optarg);
		}
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0 ||
	    json_object_size(p) == 0) {
		json_decref(p);
		return cli_bad_usage(&cli_cmd_update,
		    "give one job id and --priority or --time-limit");
	}
	json_object_set_new(p, "id", json_integer(id));
	if ((rc = cli_rpc_keyed(cli, "job.update", p, &res, &cause)) != 0) {
		snprintf(what, sizeof(what), "update %lld", id);
		return cli_fail(cli, what, rc, cause);
	}
	cli_update_print(res, id);
	json_decref(res);
	return CLI_EXIT_OK;
}
