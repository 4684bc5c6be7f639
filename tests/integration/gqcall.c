/*
 * gqcall: one protocol call from a shell script.
 *
 *   gqcall -S SOCK [-w SECONDS] [-T PID] VERB [PARAMS-JSON [FIELD...]]
 *
 * Prints the result as one compact JSON line, or with FIELDs each field's
 * value on its own line (a dotted path: "job.state", "jobs.0.id"; strings
 * unquoted).  A refusal prints its code (EINVAL, ...) on stdout and the
 * message on stderr, and exits 1.  Exit 2: bad usage; 3: no connection.
 *
 * -T PID makes a request race a stop, the same way every time: once the
 * hellos are done, PID (the daemon) is stopped (SIGSTOP), the request is
 * written, SIGTERM is queued behind it, and PID continues.  The daemon
 * then reads the request and the signal in the same loop turn.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "remote/proto.h"
#include "tests/integration/itest.h"

static void
gqcall_usage(void)
{
	fprintf(stderr,
	    "usage: gqcall -S SOCK [-w SECONDS] VERB "
	    "[PARAMS-JSON [FIELD...]]\n");
	exit(2);
}

/* Follows a dotted path; numbers index arrays.  Borrowed or NULL. */
static json_t *
gqcall_field(json_t *v, const char *path)
{
	char buf[256], *tok, *save = NULL, *end;
	long idx;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL && v != NULL;
	     tok = strtok_r(NULL, ".", &save)) {
		if (json_is_array(v)) {
			idx = strtol(tok, &end, 10);
			v = *end == '\0' ? json_array_get(v, (size_t)idx) :
			                   NULL;
		} else
			v = json_object_get(v, tok);
	}
	return v;
}

static void
gqcall_print(json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		printf("%s\n", json_string_value(v));
		return;
	}
	if (v == NULL) {
		printf("null\n");
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	printf("%s\n", s != NULL ? s : "null");
	free(s);
}

static json_t *
gqcall_params(const char *text)
{
	json_error_t err;
	json_t *p;

	if (text == NULL)
		return json_object();
	if ((p = json_loads(text, 0, &err)) == NULL || !json_is_object(p)) {
		fprintf(stderr, "gqcall: params are not a JSON object: %s\n",
		    err.text);
		exit(2);
	}
	return p;
}

static int
gqcall_dial(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fprintf(stderr, "gqcall: cannot connect to %s\n", path);
		exit(3);
	}
	return fd;
}

/* Reads one line into buf (NUL-terminated).  0, or -1 at EOF. */
static int
gqcall_read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size && read(fd, buf + len, 1) == 1) {
		if (buf[len] == '\n') {
			buf[len] = '\0';
			return 0;
		}
		len++;
	}
	return -1;
}

static void
gqcall_write(int fd, const char *s, size_t len)
{
	if (write(fd, s, len) != (ssize_t)len) {
		fprintf(stderr, "gqcall: write failed\n");
		exit(3);
	}
}

/* -T: the request and a SIGTERM reach the daemon together (see above). */
static int
gqcall_race(const char *sock, pid_t pid, const char *verb, json_t *params)
{
	static const char hello[] = "{\"hello\":{\"proto\":1}}\n";
	char buf[65536], *line;
	size_t len;
	int fd = gqcall_dial(sock);

	if (gqcall_read_line(fd, buf, sizeof(buf)) != 0)
		exit(3);
	gqcall_write(fd, hello, sizeof(hello) - 1);
	line = proto_encode(proto_request_new(1, verb, params), &len);
	if (line == NULL || kill(pid, SIGSTOP) != 0)
		exit(3);
	usleep(100 * 1000);
	gqcall_write(fd, line, len);
	usleep(100 * 1000);
	kill(pid, SIGTERM);
	kill(pid, SIGCONT);
	free(line);
	if (gqcall_read_line(fd, buf, sizeof(buf)) != 0) {
		printf("ECONN\n");
		return 3;
	}
	printf("%s\n", buf);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *sock = NULL;
	pid_t race_pid = 0;
	struct client *c;
	json_t *res;
	char *cause;
	int ch, wait_s = 0, rc, i;

	while ((ch = getopt(argc, argv, "S:T:w:")) != -1) {
		if (ch == 'S')
			sock = optarg;
		else if (ch == 'T')
			race_pid = (pid_t)atol(optarg);
		else if (ch == 'w')
			wait_s = atoi(optarg);
		else
			gqcall_usage();
	}
	if (sock == NULL || optind >= argc)
		gqcall_usage();
	if (race_pid > 0)
		return gqcall_race(sock, race_pid, argv[optind],
		    gqcall_params(argv[optind + 1]));
	if ((c = itest_connect(sock, wait_s * 1000)) == NULL)
		return 3;
	rc = client_call(c, argv[optind], gqcall_params(argv[optind + 1]), &res,
	    &cause);
	if (rc != 0) {
		printf("%s\n", gq_err_name(rc));
		fprintf(stderr, "gqcall: %s: %s\n", argv[optind],
		    cause ? cause : "");
		client_free(c);
		return rc == GQ_ECONN ? 3 : 1;
	}
	if (optind + 2 >= argc)
		gqcall_print(res);
	for (i = optind + 2; i < argc; i++)
		gqcall_print(gqcall_field(res, argv[i]));
	json_decref(res);
	client_free(c);
	return 0;
}
