/*
 * `gpuq submit --dry-run`: what the daemon's plan says would become of the
 * job, as sentences.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/base/units.h"
#include "tui/cli.h"
#include "tui/fmt.h"

static const char *
cli_dryrun_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static void
cli_dryrun_when(long long t, long long now, char *out, size_t n)
{
	char clock[16], in[32];
	struct tm tm;
	time_t tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL)
		snprintf(clock, sizeof(clock), "?");
	else
		strftime(clock, sizeof(clock), "%H:%M", &tm);
	units_fmt_duration(t > now ? t - now : 0, in, sizeof(in));
	snprintf(out, n, "%s (in %s)", clock, in);
}

static void
cli_dryrun_start(struct buf *b, const json_t *plan)
{
	const json_t *alloc = json_object_get(plan, "alloc"), *g;
	size_t i;

	buf_addstr(b, "It would start now on ");
	fmt_safe(b, cli_dryrun_str(alloc, "node"));
	json_array_foreach(json_object_get(alloc, "gpus"), i, g)
		buf_printf(b, "%s%lld", i == 0 ? ", GPU " : ",",
		    (long long)json_integer_value(json_object_get(g, "index")));
	buf_addstr(b, ".\n");
}

static void
cli_dryrun_wait(struct buf *b, const json_t *plan, long long now)
{
	const json_t *eta = json_object_get(plan, "eta");
	char when[64];

	buf_printf(b, "It would wait: %s, position %lld in the queue.\n",
	    cli_dryrun_str(plan, "reason"),
	    (long long)json_integer_value(json_object_get(plan, "position")));
	if (json_is_integer(eta)) {
		cli_dryrun_when(json_integer_value(eta), now, when,
		    sizeof(when));
		buf_printf(b, "Estimated start: %s%s.\n", when,
		    json_is_true(json_object_get(plan, "reserved")) ?
		        ", with a reservation" :
		        "");
	} else
		buf_addstr(b,
		    "Estimated start: unknown (what runs ahead has "
		    "no time limit).\n");
	if (cli_dryrun_str(plan, "hint")[0] != '\0') {
		buf_addstr(b, "Hint: ");
		fmt_safe(b, cli_dryrun_str(plan, "hint"));
		buf_addstr(b, ".\n");
	}
}

static void
cli_dryrun_victims(struct buf *b, const json_t *victims)
{
	const json_t *v;
	size_t i;

	if (json_array_size(victims) == 0)
		return;
	buf_addstr(b, "It would swap out:\n");
	json_array_foreach(victims, i, v) {
		buf_printf(b, "  job %lld ",
		    (long long)json_integer_value(json_object_get(v, "id")));
		fmt_safe(b, cli_dryrun_str(v, "name"));
		buf_addstr(b, " (");
		fmt_safe(b, cli_dryrun_str(v, "user"));
		buf_addstr(b, ", project ");
		fmt_safe(b, cli_dryrun_str(v, "project"));
		buf_printf(b, ", %g GPUs, %s)\n",
		    json_number_value(json_object_get(v, "gpus")),
		    cli_dryrun_str(v, "why"));
	}
}

int
cli_dryrun_print(const json_t *result, long long now)
{
	const json_t *plan = json_object_get(result, "plan");
	struct buf b;
	int rc;

	buf_init(&b, CLI_OUT_MAX);
	buf_addstr(&b, "Dry run: nothing was submitted.\n");
	if (json_is_true(json_object_get(plan, "start")))
		cli_dryrun_start(&b, plan);
	else
		cli_dryrun_wait(&b, plan, now);
	cli_dryrun_victims(&b, json_object_get(plan, "preempts"));
	rc = cli_print_buf(&b);
	buf_done(&b);
	return rc;
}
