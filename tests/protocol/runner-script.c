/*
 * Playing a transcript: one directive per line (tests/protocol/README.md).
 */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/base/xmalloc.h"
#include "tests/protocol/runner.h"

/* The request id of the runner's own requests at the end of a connection. */
#define RUNNER_SENTINEL     INT64_C(9007199254740991)
#define RUNNER_MAX_BIG      (256 * 1024 * 1024)
#define RUNNER_MAX_REPEAT   100000
#define RUNNER_KEEP_SKIPPED 5
#define RUNNER_HELLO                                                           \
	"{\"hello\":{\"proto\":1,\"version\":\"0.1.0\",\"software\":"          \
	"\"gpuq-proto-runner\",\"verbs\":[]}}\n"
#define RUNNER_GREETING                                                        \
	"{\"hello\":{\"proto\":1,\"software\":\"gpuqd\",\"version\":"          \
	"\"*str\",\"verbs\":[\"hello\",\"...\"],\"...\":\"*\"}}"

static int __attribute__((format(printf, 2, 3)))
runner_script_fail(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	if (r->lineno > 0)
		fprintf(stderr, "%s:%d: ", r->path, r->lineno);
	else
		fprintf(stderr, "%s: ", r->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return RUNNER_FAIL;
}

static void
runner_script_print(const char *label, const json_t *v)
{
	char *s = json_dumps(v,
	    JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));

	fprintf(stderr, "  %-9s %s\n", label, s != NULL ? s : "?");
	free(s);
}

/* Matches msg against pat and says why not.  PASS or FAIL. */
static int
runner_script_check(struct runner *r, json_t *pat, json_t *msg)
{
	char why[1024];

	if (runner_match_json(pat, msg, why, sizeof(why)))
		return RUNNER_PASS;
	runner_script_fail(r, "message does not match %s", why);
	runner_script_print("expected:", pat);
	runner_script_print("got:", msg);
	return RUNNER_FAIL;
}

/* Index of the oldest message that is not an event (any: of any kind). */
static ssize_t
runner_script_next(json_t *inbox, int any)
{
	size_t i;
	json_t *m;

	json_array_foreach(inbox, i, m) {
		if (any || !runner_match_is_event(m))
			return (ssize_t)i;
	}
	return -1;
}

/* Takes the next message (not an event, unless any) into *msg (new). */
static int
runner_script_take(struct runner *r, struct runner_conn *c, int any,
    json_t **msg)
{
	int64_t deadline = runner_now_ms() + RUNNER_TIMEOUT_MS;
	ssize_t i;
	int rc;

	while ((i = runner_script_next(c->inbox, any)) < 0) {
		if ((rc = runner_conn_fill(c, deadline)) == 0)
			return runner_script_fail(r,
			    "nothing arrived within %d s",
			    RUNNER_TIMEOUT_MS / 1000);
		if (rc < 0)
			return runner_script_fail(r,
			    "the daemon closed the connection");
	}
	*msg = json_incref(json_array_get(c->inbox, (size_t)i));
	json_array_remove(c->inbox, (size_t)i);
	return RUNNER_PASS;
}

static json_t *
runner_script_pattern(struct runner *r, const char *text)
{
	json_error_t e;
	json_t *pat = json_loads(text, 0, &e);

	if (pat == NULL || !json_is_object(pat)) {
		runner_script_fail(r, "bad pattern (%s): %s",
		    pat == NULL ? e.text : "not an object", text);
		json_decref(pat);
		return NULL;
	}
	return pat;
}

/* "< {json}": the next message (the next reply, for a non-event). */
static int
runner_script_expect(struct runner *r, const char *text)
{
	json_t *pat, *msg = NULL;
	int rc;

	if ((pat = runner_script_pattern(r, text)) == NULL)
		return RUNNER_FAIL;
	rc = runner_script_take(r, &r->conn, runner_match_is_event(pat), &msg);
	if (rc == RUNNER_PASS)
		rc = runner_script_check(r, pat, msg);
	else
		runner_script_print("expected:", pat);
	json_decref(pat);
	json_decref(msg);
	return rc;
}

/* Looks through the inbox's events: 1 when one matched (taken). */
static int
runner_script_scan(struct runner_conn *c, json_t *pat, json_t *skipped)
{
	char why[16];
	size_t i = 0;
	json_t *m;

	while (i < json_array_size(c->inbox)) {
		m = json_array_get(c->inbox, i);
		if (!runner_match_is_event(m)) {
			i++;
			continue;
		}
		if (runner_match_json(pat, m, why, sizeof(why))) {
			json_array_remove(c->inbox, i);
			return 1;
		}
		json_array_append(skipped, m);
		if (json_array_size(skipped) > RUNNER_KEEP_SKIPPED)
			json_array_remove(skipped, 0);
		json_array_remove(c->inbox, i);
	}
	return 0;
}

static int
runner_script_no_event(struct runner *r, json_t *pat, json_t *skipped, int rc)
{
	size_t i;
	json_t *m;

	runner_script_fail(r, "%s before a matching event",
	    rc == 0 ? "timed out" : "the daemon closed the connection");
	runner_script_print("expected:", pat);
	json_array_foreach(skipped, i, m) {
		runner_script_print("skipped:", m);
	}
	return RUNNER_FAIL;
}

/* "<event {json}": skips events until one matches. */
static int
runner_script_event(struct runner *r, const char *text)
{
	int64_t deadline = runner_now_ms() + RUNNER_TIMEOUT_MS;
	json_t *pat, *skipped;
	int rc = 1;

	if ((pat = runner_script_pattern(r, text)) == NULL)
		return RUNNER_FAIL;
	skipped = json_array();
	while (!runner_script_scan(&r->conn, pat, skipped)) {
		if ((rc = runner_conn_fill(&r->conn, deadline)) <= 0)
			break;
	}
	rc = rc > 0 ? RUNNER_PASS : runner_script_no_event(r, pat, skipped, rc);
	json_decref(pat);
	json_decref(skipped);
	return rc;
}

/* Opens c as id and, with hello, checks the greeting and answers it. */
static int
runner_script_open(struct runner *r, struct runner_conn *c,
    const struct runner_id *id, int hello)
{
	char err[512];
	json_t *pat, *msg = NULL;
	int fd, rc;

	if ((fd = runner_conn_connect(r->sock, id, err, sizeof(err))) < 0)
		return runner_script_fail(r, "%s", err);
	runner_conn_init(c, fd);
	if (!hello)
		return RUNNER_PASS; /* the greeting is the transcript's */
	if ((rc = runner_script_take(r, c, 1, &msg)) != RUNNER_PASS)
		return rc;
	pat = json_loads(RUNNER_GREETING, 0, NULL);
	rc = runner_script_check(r, pat, msg);
	json_decref(pat);
	json_decref(msg);
	if (rc == RUNNER_PASS &&
	    runner_conn_send(c, RUNNER_HELLO, strlen(RUNNER_HELLO)) != 0)
		rc = runner_script_fail(r, "cannot send hello");
	return rc;
}

/*
 * A request of the runner's own, and its reply: since replies come in
 * order, every reply before it must have been checked, and every event
 * sent before it has arrived.
 */
static int
runner_script_roundtrip(struct runner *r)
{
	char line[128];
	json_t *msg = NULL;
	int rc = RUNNER_PASS;

	snprintf(line, sizeof(line), "{\"id\":%lld,\"verb\":\"hello\"}\n",
	    (long long)RUNNER_SENTINEL);
	if (runner_conn_send(&r->conn, line, strlen(line)) != 0)
		return runner_script_fail(r,
		    "the daemon closed the connection");
	if ((rc = runner_script_take(r, &r->conn, 0, &msg)) != RUNNER_PASS)
		return rc;
	if (json_integer_value(json_object_get(msg, "id")) != RUNNER_SENTINEL) {
		rc = runner_script_fail(r, "a message was not checked");
		runner_script_print("got:", msg);
	}
	json_decref(msg);
	return rc;
}

/* Ends the connection, checking that every reply was checked. */
static int
runner_script_finish(struct runner *r)
{
	json_t *msg;
	ssize_t i;
	int rc = RUNNER_PASS;

	if (!r->connected)
		return RUNNER_PASS;
	r->connected = 0;
	if (!r->expect_eof)
		rc = runner_script_roundtrip(r);
	else if ((i = runner_script_next(r->conn.inbox, 0)) >= 0) {
		msg = json_array_get(r->conn.inbox, (size_t)i);
		rc = runner_script_fail(r, "a message was not checked");
		runner_script_print("got:", msg);
	}
	runner_conn_done(&r->conn);
	return rc;
}

/* "! no-events": no event is waiting, after a round trip. */
static int
runner_script_no_events(struct runner *r)
{
	size_t i;
	json_t *m;
	int rc;

	if ((rc = runner_script_roundtrip(r)) != RUNNER_PASS)
		return rc;
	json_array_foreach(r->conn.inbox, i, m) {
		if (runner_match_is_event(m)) {
			runner_script_fail(r, "an event came");
			runner_script_print("got:", m);
			return RUNNER_FAIL;
		}
	}
	return RUNNER_PASS;
}

static int
runner_script_reconnect(struct runner *r, int hello)
{
	int rc;

	if ((rc = runner_script_finish(r)) != RUNNER_PASS)
		return rc;
	r->expect_eof = 0;
	if ((rc = runner_script_open(r, &r->conn, &r->as, hello)) != 0) {
		runner_conn_done(&r->conn);
		return rc;
	}
	r->connected = 1;
	return RUNNER_PASS;
}

static int
runner_script_send(struct runner *r, const char *p, size_t n)
{
	if (runner_conn_send(&r->conn, p, n) != 0)
		return runner_script_fail(r, "cannot send: %s",
		    strerror(errno));
	return RUNNER_PASS;
}

/* "> text": the text and a newline, exactly. */
static int
runner_script_line_out(struct runner *r, const char *text)
{
	size_t n = strlen(text);
	char *s = xmalloc(n + 1);
	int rc;

	memcpy(s, text, n);
	s[n] = '\n';
	rc = runner_script_send(r, s, n + 1);
	free(s);
	return rc;
}

/* ">> N": a line of N bytes "x". */
static int
runner_script_big(struct runner *r, const char *arg)
{
	char *end, *s;
	long long n;
	int rc;

	errno = 0;
	n = strtoll(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || n < 0 ||
	    n > RUNNER_MAX_BIG)
		return runner_script_fail(r, "\">> N\" wants a byte count");
	s = xmalloc((size_t)n + 1);
	memset(s, 'x', (size_t)n);
	s[n] = '\n';
	rc = runner_script_send(r, s, (size_t)n + 1);
	free(s);
	return rc;
}

/* One escape of ">>raw" (\n \r \t \\ \xHH) at s; returns its length. */
static size_t
runner_script_escape(const char *s, char *out)
{
	unsigned int x;

	switch (s[1]) {
	case 'n':
		*out = '\n';
		return 2;
	case 'r':
		*out = '\r';
		return 2;
	case 't':
		*out = '\t';
		return 2;
	case 'x':
		if (isxdigit((unsigned char)s[2]) &&
		    isxdigit((unsigned char)s[3]) &&
		    sscanf(s + 2, "%2x", &x) == 1) {
			*out = (char)x;
			return 4;
		}
		break;
	}
	*out = s[1] == '\\' ? '\\' : s[0];
	return s[1] == '\\' ? 2 : 1;
}

/* ">>raw text": the text with its escapes, without a newline. */
static int
runner_script_raw(struct runner *r, const char *arg)
{
	char *s = xmalloc(strlen(arg) + 1);
	size_t n = 0;
	int rc;

	while (*arg != '\0') {
		if (*arg == '\\')
			arg += runner_script_escape(arg, s + n++);
		else
			s[n++] = *arg++;
	}
	rc = runner_script_send(r, s, n);
	free(s);
	return rc;
}

/* Sends req (with the next id of the runner's own) and takes the reply. */
static int
runner_script_ask(struct runner *r, struct runner_conn *c, json_t *req,
    json_t **reply)
{
	char *line;
	int rc;

	json_object_set_new(req, "id", json_integer(++r->wait_ids));
	line = json_dumps(req, JSON_COMPACT);
	rc = runner_conn_send(c, line, strlen(line)) == 0 &&
	        runner_conn_send(c, "\n", 1) == 0 ?
	    runner_script_take(r, c, 0, reply) :
	    runner_script_fail(r, "the daemon closed the connection");
	free(line);
	return rc;
}

/* Asks until the reply's result matches pat, for up to 10 s. */
static int
runner_script_poll(struct runner *r, struct runner_conn *c, json_t *req,
    json_t *pat)
{
	int64_t deadline = runner_now_ms() + RUNNER_TIMEOUT_MS;
	json_t *reply = NULL, *result;
	char why[1024];
	int rc;

	while ((rc = runner_script_ask(r, c, req, &reply)) == RUNNER_PASS) {
		result = json_object_get(reply, "result");
		if (result == NULL) {
			rc = runner_script_fail(r, "the request failed");
			break;
		}
		if (runner_match_json(pat, result, why, sizeof(why)))
			break;
		if (runner_now_ms() > deadline) {
			rc = runner_script_fail(r,
			    "still no match after %d s: %s",
			    RUNNER_TIMEOUT_MS / 1000, why);
			break;
		}
		json_decref(reply);
		reply = NULL;
		usleep(50 * 1000);
	}
	if (rc != RUNNER_PASS && reply != NULL)
		runner_script_print("got:", reply);
	json_decref(reply);
	return rc;
}

/* Polls on a connection of the runner's own (steals req and pat). */
static int
runner_script_until_json(struct runner *r, json_t *req, json_t *pat)
{
	struct runner_id self;
	struct runner_conn c;
	int rc;

	memset(&self, 0, sizeof(self));
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	if ((rc = runner_script_open(r, &c, &self, 1)) == RUNNER_PASS)
		rc = runner_script_poll(r, &c, req, pat);
	runner_conn_done(&c);
	json_decref(req);
	json_decref(pat);
	return rc;
}

/* "! until {request} {pattern}": until the request's result matches. */
static int
runner_script_until(struct runner *r, const char *arg)
{
	json_error_t e;
	json_t *req, *pat;

	req = json_loads(arg, JSON_DISABLE_EOF_CHECK, &e);
	if (req == NULL || !json_is_object(req)) {
		json_decref(req);
		return runner_script_fail(r, "until wants {request} {pattern}");
	}
	if ((pat = runner_script_pattern(r, arg + e.position)) == NULL) {
		json_decref(req);
		return RUNNER_FAIL;
	}
	return runner_script_until_json(r, req, pat);
}

/* "! wait-state ID STATE": until job.show says so. */
static int
runner_script_wait_state(struct runner *r, const char *arg)
{
	char want[32];
	long long id;

	if (sscanf(arg, "%lld %31s", &id, want) != 2)
		return runner_script_fail(r, "wait-state wants ID STATE");
	return runner_script_until_json(r,
	    json_pack("{s:s,s:{s:I}}", "verb", "job.show", "params", "id",
	        (json_int_t)id),
	    json_pack("{s:{s:s,s:s}}", "job", "state", want, "...", "*"));
}

/* "! eof": the daemon closes the connection (after unread events). */
static int
runner_script_eof(struct runner *r)
{
	int64_t deadline = runner_now_ms() + RUNNER_TIMEOUT_MS;
	json_t *msg;
	ssize_t i;
	int rc;

	while ((rc = runner_conn_fill(&r->conn, deadline)) > 0)
		;
	if ((i = runner_script_next(r->conn.inbox, 0)) >= 0) {
		msg = json_array_get(r->conn.inbox, (size_t)i);
		runner_script_fail(r, "a message came before the close");
		runner_script_print("got:", msg);
		return RUNNER_FAIL;
	}
	if (rc == 0)
		return runner_script_fail(r,
		    "the daemon did not close the connection within %d s",
		    RUNNER_TIMEOUT_MS / 1000);
	r->expect_eof = 1;
	return RUNNER_PASS;
}

/* "! as USER": later connections are made as USER; reconnects now. */
static int
runner_script_as(struct runner *r, const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL)
		return runner_script_fail(r, "no user %s", user);
	if (geteuid() != 0) {
		fprintf(stderr, "%s: skipped: \"! as\" needs root\n", r->path);
		return RUNNER_SKIP;
	}
	r->as.other = pw->pw_uid != geteuid();
	r->as.uid = pw->pw_uid;
	r->as.gid = pw->pw_gid;
	snprintf(r->as.name, sizeof(r->as.name), "%s", user);
	return runner_script_reconnect(r, 1);
}

static int
runner_script_count(struct runner *r, const char *arg, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || *out < 0 || *out > max)
		return runner_script_fail(r, "bad number \"%s\"", arg);
	return RUNNER_PASS;
}

static int
runner_script_command(struct runner *r, const char *cmd)
{
	long n;
	int rc;

	if (strcmp(cmd, "close") == 0)
		return runner_script_reconnect(r, 1);
	if (strcmp(cmd, "nohello") == 0)
		return runner_script_reconnect(r, 0);
	if (strcmp(cmd, "eof") == 0)
		return runner_script_eof(r);
	if (strcmp(cmd, "no-events") == 0)
		return runner_script_no_events(r);
	if (strncmp(cmd, "as ", 3) == 0)
		return runner_script_as(r, cmd + 3);
	if (strncmp(cmd, "wait-state ", 11) == 0)
		return runner_script_wait_state(r, cmd + 11);
	if (strncmp(cmd, "until ", 6) == 0)
		return runner_script_until(r, cmd + 6);
	if (strncmp(cmd, "sleep ", 6) == 0) {
		if ((rc = runner_script_count(r, cmd + 6, 60000, &n)) == 0)
			usleep((useconds_t)n * 1000);
		return rc;
	}
	if (strncmp(cmd, "repeat ", 7) == 0) {
		if ((rc = runner_script_count(r, cmd + 7, RUNNER_MAX_REPEAT,
		         &n)) == 0)
			r->repeat = (int)n;
		return rc;
	}
	return runner_script_fail(r, "unknown command \"! %s\"", cmd);
}

static int
runner_script_directive(struct runner *r, const char *line)
{
	if (strcmp(line, ">") == 0)
		return runner_script_line_out(r, "");
	if (strncmp(line, "> ", 2) == 0)
		return runner_script_line_out(r, line + 2);
	if (strncmp(line, ">>raw ", 6) == 0)
		return runner_script_raw(r, line + 6);
	if (strncmp(line, ">> ", 3) == 0)
		return runner_script_big(r, line + 3);
	if (strncmp(line, "< ", 2) == 0)
		return runner_script_expect(r, line + 2);
	if (strncmp(line, "<event ", 7) == 0)
		return runner_script_event(r, line + 7);
	if (strncmp(line, "! ", 2) == 0)
		return runner_script_command(r, line + 2);
	return runner_script_fail(r, "unknown directive: %s", line);
}

/* The directive of a transcript line, or NULL for blanks and comments. */
static const char *
runner_script_strip(char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '#')
		return NULL;
	return line;
}

int
runner_script_needs_root(FILE *fp)
{
	char *line = NULL;
	const char *d;
	size_t cap = 0;
	int needs = 0;

	while (!needs && getline(&line, &cap, fp) >= 0)
		needs = (d = runner_script_strip(line)) != NULL &&
		    strncmp(d, "! as ", 5) == 0;
	free(line);
	rewind(fp);
	return needs;
}

/*
 * The line with @USER@, @UID@, @ADMIN@ (true for root) and @DIR@ (the
 * temporary directory) replaced (new string).
 */
static char *
runner_script_expand(struct runner *r, const char *line)
{
	const char *vars[][2] = { { "@USER@", r->user }, { "@UID@", r->uid },
		{ "@ADMIN@", geteuid() == 0 ? "true" : "false" },
		{ "@DIR@", r->dir } };
	struct buf b;
	size_t i, n;

	buf_init(&b, RUNNER_MAX_LINE);
	while (*line != '\0') {
		for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
			if (strncmp(line, vars[i][0], strlen(vars[i][0])) == 0)
				break;
		if (i < sizeof(vars) / sizeof(vars[0])) {
			buf_addstr(&b, vars[i][1]);
			line += strlen(vars[i][0]);
			continue;
		}
		n = strcspn(line + 1, "@") + 1;
		buf_add(&b, line, n);
		line += n;
	}
	return buf_take(&b);
}

int
runner_script_run(struct runner *r, FILE *fp)
{
	char *line = NULL, *text;
	const char *d;
	size_t cap = 0;
	int rc, times, k;

	rc = runner_script_reconnect(r, 1);
	while (rc == RUNNER_PASS && getline(&line, &cap, fp) >= 0) {
		r->lineno++;
		if ((d = runner_script_strip(line)) == NULL)
			continue;
		times = r->repeat > 0 ? r->repeat : 1;
		r->repeat = 0;
		text = runner_script_expand(r, d);
		for (k = 0; k < times && rc == RUNNER_PASS; k++)
			rc = runner_script_directive(r, text);
		free(text);
	}
	free(line);
	if (rc == RUNNER_PASS) {
		r->lineno = 0;
		return runner_script_finish(r);
	}
	if (r->connected)
		runner_conn_done(&r->conn);
	r->connected = 0;
	return rc;
}
