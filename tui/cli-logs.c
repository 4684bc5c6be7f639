#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/client.h"
#include "tui/cli.h"

#define LOGS_CHUNK    (1024 * 1024) /* job.logs' largest limit */
#define LOGS_TAIL_MAX (INT64_C(1) << 50)

static int cli_logs_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_logs = {
	.name = "logs",
	.summary = "Print a job's output",
	.usage = "logs [-f] [--stderr] [--tail BYTES] ID\n"
	         "  -f, --follow       keep printing as the job writes, until "
	         "it ends\n"
	         "  -e, --stderr       the job's standard error instead of "
	         "its output\n"
	         "  -t, --tail BYTES   only the last BYTES (512, 64K, 1M)\n",
	.fn = cli_logs_fn,
};

static const struct option cli_logs_opts[] = {
	{ "follow", no_argument, NULL, 'f' },
	{ "stderr", no_argument, NULL, 'e' },
	{ "tail", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct cli_logs {
	long long id;
	const char *stream; /* "stdout" or "stderr" */
	long long pos;      /* the offset to read next; negative: tail */
	long long size;     /* the log's size at the last reply */
	int follow;
	int ended; /* the daemon said the job has ended */
};

/* "512", "64K", "1M", "1G" as bytes; returns 0 or GQ_EINVAL. */
static int
cli_logs_bytes(const char *s, long long *out)
{
	long long v;
	char *end;
	int shift = 0;

	errno = 0;
	if (!isdigit((unsigned char)s[0]))
		return GQ_EINVAL;
	v = strtoll(s, &end, 10);
	if (*end == 'k' || *end == 'K')
		shift = 10, end++;
	else if (*end == 'm' || *end == 'M')
		shift = 20, end++;
	else if (*end == 'g' || *end == 'G')
		shift = 30, end++;
	if (errno != 0 || *end != '\0' || v > (LOGS_TAIL_MAX >> shift))
		return GQ_EINVAL;
	*out = v << shift;
	return 0;
}

static int
cli_logs_write(const json_t *data, size_t skip)
{
	const char *s = json_string_value(data);
	size_t n = json_string_length(data);

	if (s == NULL || skip >= n)
		return 0;
	if (fwrite(s + skip, 1, n - skip, stdout) != n - skip ||
	    fflush(stdout) != 0)
		return GQ_EIO;
	return 0;
}

/* One job.logs call from l->pos; returns 1 when more is there to read. */
static int
cli_logs_chunk(struct cli *cli, struct cli_logs *l, int follow, int *err)
{
	json_t *res, *p;
	long long next;
	char *cause, what[48];
	int rc;

	p = json_pack("{s:I,s:s,s:I,s:i}", "id", (json_int_t)l->id, "stream",
	    l->stream, "offset", (json_int_t)l->pos, "limit", LOGS_CHUNK);
	if (follow)
		json_object_set_new(p, "follow", json_true());
	if ((rc = cli_rpc(cli, "job.logs", p, &res, &cause)) != 0) {
		snprintf(what, sizeof(what), "logs %lld", l->id);
		*err = cli_fail(cli, what, rc, cause);
		return 0;
	}
	if (cli_logs_write(json_object_get(res, "data"), 0) != 0)
		*err = CLI_EXIT_FAIL;
	next = (long long)json_integer_value(json_object_get(res, "next"));
	l->size = (long long)json_integer_value(json_object_get(res, "size"));
	l->ended = json_is_true(json_object_get(res, "ended"));
	rc = *err == 0 && next < l->size && next > l->pos;
	l->pos = next;
	json_decref(res);
	return rc;
}

/*
 * Writes one job.log event's data past what was written already.
 * Returns 1 after the last event (eof), 0 to go on.
 */
static int
cli_logs_event(struct cli_logs *l, const json_t *ev)
{
	const json_t *d = json_object_get(ev, "data");
	const json_t *next = json_object_get(d, "next");
	const char *name = json_string_value(json_object_get(ev, "event"));
	const char *stream = json_string_value(json_object_get(d, "stream"));
	long long off, len;

	if (name == NULL || strcmp(name, "job.log") != 0 ||
	    json_integer_value(json_object_get(d, "id")) != l->id)
		return 0;
	if (stream != NULL && strcmp(stream, l->stream) != 0)
		return 0;
	off = (long long)json_integer_value(json_object_get(d, "offset"));
	len = (long long)json_string_length(json_object_get(d, "data"));
	if (off + len > l->pos) {
		cli_logs_write(json_object_get(d, "data"),
		    off < l->pos ? (size_t)(l->pos - off) : 0);
		l->pos = json_is_integer(next) ? json_integer_value(next) :
		                                 off + len;
	}
	return json_is_true(json_object_get(d, "eof"));
}

static int
cli_logs_follow(struct cli *cli, struct cli_logs *l)
{
	json_t *ev;
	int err = 0, rc;

	if (cli_logs_chunk(cli, l, 1, &err))
		while (cli_logs_chunk(cli, l, 0, &err))
			;
	if (err != 0)
		return err;
	if (l->ended && l->pos >= l->size)
		return CLI_EXIT_OK; /* an ended job's log cannot grow */
	for (;;) {
		rc = client_next_event(cli->client, -1, &ev);
		if (rc < 0) {
			fprintf(stderr,
			    "gpuq: logs: connection to the daemon "
			    "lost\n");
			return CLI_EXIT_FAIL;
		}
		rc = cli_logs_event(l, ev);
		json_decref(ev);
		if (rc == 1)
			return CLI_EXIT_OK;
	}
}

static int
cli_logs_run(struct cli *cli, struct cli_logs *l)
{
	int err = 0;

	while (cli_logs_chunk(cli, l, 0, &err))
		;
	if (err != 0 || !l->follow || l->ended)
		return err;
	return cli_logs_follow(cli, l);
}

static int
cli_logs_fn(struct cli *cli, int argc, char **argv)
{
	struct cli_logs l = { .stream = "stdout" };
	long long tail;
	int ch;

	while ((ch = getopt_long(argc, argv, "+:fet:h", cli_logs_opts, NULL)) !=
	    -1) {
		if (ch == 'f')
			l.follow = 1;
		else if (ch == 'e')
			l.stream = "stderr";
		else if (ch == 'h')
			return cli_help_cmd(&cli_cmd_logs);
		else if (ch != 't')
			return cli_bad_opt(&cli_cmd_logs, argv, ch);
		else if (cli_logs_bytes(optarg, &tail) != 0 || tail == 0)
			return cli_bad_usage(&cli_cmd_logs,
			    "bad --tail '%s' (bytes: 512, 64K, 1M)", optarg);
		else
			l.pos = -tail;
	}
	if (optind + 1 != argc)
		return cli_bad_usage(&cli_cmd_logs, "give one job id");
	if (cli_parse_id(argv[optind], &l.id) != 0)
		return cli_bad_usage(&cli_cmd_logs, "bad job id '%s'",
		    argv[optind]);
	return cli_logs_run(cli, &l);
}
