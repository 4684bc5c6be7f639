/*
 * ssh-drive: drives gpuq's SSH transport against a real sshd for the
 * tests and figures that a shell script cannot do alone.
 *
 *   ssh-drive MODE -F SSH_CONFIG -H TARGET -S REMOTE_SOCK -L LOCAL_SOCK
 *             [-D GPUQD_PID] [-P SSHD_PID] [-n N] [-r READY_FILE]
 *             [-s SINCE] [-p POLL_MS]
 *
 * Modes:
 *   cut     the TUI's session (tui/session.c) over libssh2: jobs submitted
 *           (keyed), then a submit whose link is cut (the daemon stopped
 *           while it is in flight, the connection's sshd processes killed,
 *           the daemon continued): it must come back once, the events
 *           must resume in order, and the daemon must hold it once.
 *   dead    the link goes silent (the connection's sshd processes
 *           stopped): the session must notice within 15 s, then reconnect.
 *   stream  the CLI's client over libssh2: subscribes (replaying the
 *           kept events after SINCE when given), touches READY_FILE, and
 *           reads N events, which must come in order without gaps.
 *   rtt     N server.ping round trips over SSH and on the local socket:
 *           p50 and p99 of each (a figure).
 *   idle    the session connected and idle for N seconds, polling
 *           cluster.status every POLL_MS (default: never, so that only
 *           heartbeats cross); bytes on the wire are counted outside.
 *
 * Prints what it found; exit 0 when it holds, 1 when not, 2 bad usage.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/client.h"
#include "remote/transport-sync.h"
#include "tui/session.h"

#define DRIVE_MAX_PIDS 64

struct drive {
	const char *mode, *config, *target, *rsock, *lsock, *ready;
	pid_t gpuqd, sshd;
	long n, since, poll_ms;
	uv_loop_t *loop;
	struct session s;
	struct replica rep;
	int lives, downs, stale;
	int64_t last_seq, events, gaps, disorder;
	int replies, errors;
	int cut_done, cut_code;
	int64_t cut_job;
	uv_timer_t timer;
	int timed_out;
};

static void drive_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
drive_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ssh-drive: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double
drive_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The sshd processes below the listener: this test's connections. */
static int
drive_sshd_children(pid_t top, pid_t *out, int max)
{
	pid_t q[DRIVE_MAX_PIDS];
	int nq = 1, i, n = 0, ppid, pid;
	char path[64], comm[64], line[512];
	struct dirent *de;
	DIR *d;
	FILE *f;

	q[0] = top;
	for (i = 0; i < nq; i++) {
		if ((d = opendir("/proc")) == NULL)
			return n;
		while ((de = readdir(d)) != NULL && nq < DRIVE_MAX_PIDS) {
			if ((pid = atoi(de->d_name)) <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			if ((f = fopen(path, "r")) == NULL)
				continue;
			if (fgets(line, sizeof(line), f) != NULL &&
			    sscanf(line, "%*d (%63[^)]) %*c %d", comm, &ppid) ==
			        2 &&
			    ppid == q[i]) {
				q[nq++] = pid;
				if (strcmp(comm, "sshd") == 0 && n < max)
					out[n++] = pid;
			}
			fclose(f);
		}
		closedir(d);
	}
	return n;
}

static int
drive_signal_sshd(struct drive *d, int sig)
{
	pid_t pids[DRIVE_MAX_PIDS];
	int n = drive_sshd_children(d->sshd, pids, DRIVE_MAX_PIDS), i;

	for (i = 0; i < n; i++)
		kill(pids[i], sig);
	return n;
}

/* The session's callbacks: count what a test checks. */
static void
drive_changed(void *arg)
{
	struct drive *d = arg;
	static enum session_state prev = SESSION_CONNECTING;

	if (d->s.state == SESSION_DOWN && prev != SESSION_DOWN)
		d->downs++;
	prev = d->s.state;
}

static void
drive_event(void *arg, const char *name, int64_t seq, json_t *data)
{
	struct drive *d = arg;

	if (seq <= 0)
		return;
	if (d->last_seq > 0 && seq <= d->last_seq)
		d->disorder++;
	else if (d->last_seq > 0 && seq != d->last_seq + 1)
		d->gaps++;
	d->last_seq = seq;
	d->events++;
}

static void
drive_note(void *arg, enum revent_level level, const char *text)
{
	struct drive *d = arg;

	if (strstr(text, "missed events are gone") != NULL)
		d->stale++;
	if (level != REVENT_INFO || getenv("DRIVE_VERBOSE") != NULL)
		fprintf(stderr, "ssh-drive: session: %s\n", text);
}

static void
drive_live(void *arg)
{
	struct drive *d = arg;

	d->lives++;
}

static const struct session_cbs drive_cbs = {
	.changed = drive_changed,
	.event = drive_event,
	.note = drive_note,
	.live = drive_live,
};

static void
drive_timeout_cb(uv_timer_t *t)
{
	struct drive *d = t->data;

	d->timed_out = 1;
}

/* Runs the loop until pred holds or secs pass; returns pred. */
static int
drive_run(struct drive *d, int (*pred)(struct drive *), double secs)
{
	d->timed_out = 0;
	uv_timer_start(&d->timer, drive_timeout_cb, (uint64_t)(secs * 1000), 0);
	while ((pred == NULL || !pred(d)) && !d->timed_out)
		uv_run(d->loop, UV_RUN_ONCE);
	uv_timer_stop(&d->timer);
	return pred == NULL || pred(d);
}

static int
drive_is_live(struct drive *d)
{
	return d->s.state == SESSION_LIVE;
}

static int
drive_is_down(struct drive *d)
{
	return d->s.state == SESSION_DOWN;
}

static void
drive_opts(const struct drive *d, struct transport_ssh_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->target = d->target;
	o->socket = d->rsock;
	o->config = d->config;
	o->how = ssh_resolve_how_env();
	o->batch = 1;
}

static void
drive_session(struct drive *d, int poll_ms)
{
	struct transport_ssh_opts o;

	d->loop = uv_default_loop();
	uv_timer_init(d->loop, &d->timer);
	d->timer.data = d;
	replica_init(&d->rep);
	session_init(&d->s, d->loop, &d->rep, &drive_cbs, d, poll_ms);
	drive_opts(d, &o);
	session_start_ssh(&d->s, &o);
	if (!drive_run(d, drive_is_live, 30))
		drive_die("no live session in 30 s: %s", d->s.why);
}

static void
drive_session_end(struct drive *d)
{
	session_stop(&d->s);
	uv_close((uv_handle_t *)&d->timer, NULL);
	uv_run(d->loop, UV_RUN_DEFAULT);
	replica_done(&d->rep);
}

enum { DRIVE_TAG_JOB = 1, DRIVE_TAG_CUT };

static void
drive_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct drive *d = arg;

	if (tag == DRIVE_TAG_CUT) {
		d->cut_done = 1;
		d->cut_code = code;
		d->cut_job = json_integer_value(
		    json_object_get(json_object_get(result, "job"), "id"));
		return;
	}
	if (code == 0)
		d->replies++;
	else
		d->errors++;
}

static json_t *
drive_job(const char *name)
{
	return json_pack("{s:[s],s:s,s:s,s:f,s:i}", "argv", "/bin/true",
	    "workdir", "/tmp", "name", name, "cpus", 0.1, "mem_mb", 16);
}

static void
drive_submit(struct drive *d, const char *name, int tag)
{
	struct rpc_reply_cb cb = { drive_reply, d, tag };

	if (session_call_keyed(&d->s, "job.submit", drive_job(name), &cb) != 0)
		drive_die("cannot submit %s: not connected", name);
}

static long drive_want;

static int
drive_replies_done(struct drive *d)
{
	return d->replies + d->errors >= drive_want;
}

static int
drive_cut_done(struct drive *d)
{
	return d->cut_done;
}

/* The jobs the daemon holds, and how many are called name. */
static long
drive_count_local(const struct drive *d, const char *name, long *named)
{
	struct client *c;
	json_t *res, *jobs, *j;
	char *cause = NULL;
	size_t i;

	if (client_open_unix(d->lsock, &c, &cause) != 0)
		drive_die("local socket: %s", cause);
	if (client_call(c, "job.list",
	        json_pack("{s:i,s:[s,s,s,s,s,s]}", "limit", 10000, "state",
	            "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED",
	            "TIMEOUT"),
	        &res, &cause) != 0)
		drive_die("job.list: %s", cause);
	jobs = json_object_get(res, "jobs");
	*named = 0;
	json_array_foreach(jobs, i, j)
		if (strcmp(json_string_value(json_object_get(j, "name")),
		        name) == 0)
			(*named)++;
	i = json_array_size(jobs);
	json_decref(res);
	client_free(c);
	return (long)i;
}

static void
drive_batch(struct drive *d, int n, const char *prefix)
{
	char name[64];
	int i;

	drive_want = d->replies + d->errors + n;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s-%d", prefix, i);
		drive_submit(d, name, DRIVE_TAG_JOB);
	}
	if (!drive_run(d, drive_replies_done, 30) || d->errors > 0)
		drive_die("%s: %d replies, %d errors", prefix, d->replies,
		    d->errors);
}

static int
drive_cut(struct drive *d)
{
	long total, named = 0;
	int killed, i, orphan;

	drive_session(d, 2000);
	drive_batch(d, 20, "before");
	/* The submit reaches sshd and the bridge, not the daemon: then
	 * the link dies, and the daemon takes the request afterwards. */
	kill(d->gpuqd, SIGSTOP);
	drive_submit(d, "cut-job", DRIVE_TAG_CUT);
	drive_run(d, NULL, 0.5);
	killed = drive_signal_sshd(d, SIGKILL);
	usleep(200 * 1000);
	kill(d->gpuqd, SIGCONT);
	/* The loop does not run here, so the session cannot retry yet: the
	 * job appears only if the daemon took the orphaned request, and
	 * then the retry must be answered from the idempotency key. */
	for (i = 0; i < 50 && named == 0; i++) {
		usleep(100 * 1000);
		drive_count_local(d, "cut-job", &named);
	}
	if (!drive_run(d, drive_cut_done, 40))
		drive_die("the cut submit never came back (%d sshd killed)",
		    killed);
	orphan = named == 1;
	drive_batch(d, 5, "after");
	drive_run(d, NULL, 1.0);
	total = drive_count_local(d, "cut-job", &named);
	printf("cut: %d sshd processes killed, %d disconnects, %d "
	       "connections; the daemon took the orphaned submit: %s; the "
	       "retried submit: %s, job %lld; the daemon has %ld jobs, %ld "
	       "named cut-job; %lld events, %lld gaps, %lld out of order, %d "
	       "resyncs\n",
	    killed, d->downs, d->lives, orphan ? "yes" : "no",
	    d->cut_code == 0 ? "ok" : gq_err_name(d->cut_code),
	    (long long)d->cut_job, total, named, (long long)d->events,
	    (long long)d->gaps, (long long)d->disorder, d->stale);
	drive_session_end(d);
	return killed > 0 && d->downs >= 1 && d->lives >= 2 && orphan &&
	        d->cut_code == 0 && named == 1 && total == 26 &&
	        d->disorder == 0 && (d->gaps == 0 || d->stale > 0) ?
	    0 :
	    1;
}

static int
drive_dead(struct drive *d)
{
	char why[512];
	double t0, dt;
	int stopped;

	drive_session(d, 2000);
	drive_run(d, NULL, 1.0);
	t0 = drive_now();
	stopped = drive_signal_sshd(d, SIGSTOP);
	if (!drive_run(d, drive_is_down, 30))
		drive_die("a silent link was not noticed in 30 s");
	dt = drive_now() - t0;
	snprintf(why, sizeof(why), "%s", d->s.why);
	drive_signal_sshd(d, SIGKILL);
	if (!drive_run(d, drive_is_live, 30))
		drive_die("no reconnect in 30 s: %s", d->s.why);
	printf("dead: %d sshd processes stopped; noticed after %.1f s (%s); "
	       "connected again\n",
	    stopped, dt, why);
	drive_session_end(d);
	return stopped > 0 && dt <= 15.0 ? 0 : 1;
}

static struct client *
drive_client_ssh(const struct drive *d)
{
	struct transport_ssh_opts o;
	struct client *c;
	char *cause = NULL;

	drive_opts(d, &o);
	if (transport_sync_ssh(&o, NULL, &c, &cause) != 0)
		drive_die("ssh: %s", cause);
	return c;
}

static void
drive_touch(const char *path)
{
	int fd;

	if (path != NULL && (fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0)
		close(fd);
}

static int
drive_stream(struct drive *d)
{
	struct client *c = drive_client_ssh(d);
	json_t *res, *ev;
	char *cause = NULL;
	double t0 = 0, dt;
	int64_t seq, last = 0, gaps = 0, disorder = 0;
	long got = 0;

	t0 = drive_now();
	if (client_call(c, "events.subscribe",
	        d->since >= 0 ?
	            json_pack("{s:I}", "since", (json_int_t)d->since) :
	            json_object(),
	        &res, &cause))
		drive_die("events.subscribe: %s", cause);
	json_decref(res);
	drive_touch(d->ready);
	while (got < d->n) {
		if (client_next_event(c, 60000, &ev) != 1)
			drive_die("%ld events, then nothing for 60 s", got);
		if (got == 0 && d->since < 0)
			t0 = drive_now(); /* live: from the first one */
		seq = json_integer_value(json_object_get(ev, "seq"));
		json_decref(ev);
		if (seq <= 0)
			continue;
		got++;
		if (last > 0 && seq <= last)
			disorder++;
		else if (last > 0 && seq != last + 1)
			gaps++;
		last = seq;
	}
	dt = drive_now() - t0;
	printf("stream: %ld events through one SSH channel in %.2f s "
	       "(%.0f events/s), last seq %lld, %lld gaps, %lld out of order\n",
	    got, dt, dt > 0 ? (double)got / dt : 0.0, (long long)last,
	    (long long)gaps, (long long)disorder);
	client_free(c);
	return gaps == 0 && disorder == 0 ? 0 : 1;
}

static int
drive_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* n pings: fills p50 and p99 in microseconds. */
static void
drive_pings(struct client *c, long n, double *p50, double *p99)
{
	double *t = xcalloc((size_t)n, sizeof(*t)), t0;
	json_t *res;
	char *cause = NULL;
	long i;

	for (i = 0; i < n; i++) {
		t0 = drive_now();
		if (client_call(c, "server.ping", NULL, &res, &cause) != 0)
			drive_die("server.ping: %s", cause);
		t[i] = (drive_now() - t0) * 1e6;
		json_decref(res);
	}
	qsort(t, (size_t)n, sizeof(*t), drive_cmp);
	*p50 = t[n / 2];
	*p99 = t[n * 99 / 100];
	free(t);
}

static int
drive_rtt(struct drive *d)
{
	struct client *l, *s;
	char *cause = NULL;
	double l50, l99, s50, s99;

	if (client_open_unix(d->lsock, &l, &cause) != 0)
		drive_die("local socket: %s", cause);
	s = drive_client_ssh(d);
	drive_pings(l, d->n / 10 + 1, &l50, &l99); /* warm up */
	drive_pings(s, d->n / 10 + 1, &s50, &s99);
	drive_pings(l, d->n, &l50, &l99);
	drive_pings(s, d->n, &s50, &s99);
	printf("rtt: %ld server.ping round trips each, %ld cores: local "
	       "socket p50 %.0f us p99 %.0f us; SSH (libssh2, loopback) p50 "
	       "%.0f us p99 %.0f us; SSH/local p50 %.1fx\n",
	    d->n, sysconf(_SC_NPROCESSORS_ONLN), l50, l99, s50, s99, s50 / l50);
	client_free(l);
	client_free(s);
	return 0;
}

static int
drive_idle(struct drive *d)
{
	uint64_t in0, out0;

	/* By default no cluster.status polls: only the heartbeat crosses. */
	drive_session(d, d->poll_ms > 0 ? (int)d->poll_ms : 3600 * 1000);
	in0 = d->s.rpc.bytes_in;
	out0 = d->s.rpc.bytes_out;
	drive_touch(d->ready);
	drive_run(d, NULL, (double)d->n);
	printf("idle: %ld s: protocol bytes in %llu, out %llu\n", d->n,
	    (unsigned long long)(d->s.rpc.bytes_in - in0),
	    (unsigned long long)(d->s.rpc.bytes_out - out0));
	drive_session_end(d);
	return d->downs == 0 ? 0 : 1;
}

static int
drive_usage(void)
{
	fprintf(stderr,
	    "usage: ssh-drive cut|dead|stream|rtt|idle -F CONFIG "
	    "-H TARGET -S REMOTE_SOCK -L LOCAL_SOCK [-D GPUQD_PID] "
	    "[-P SSHD_PID] [-n N] [-r READY_FILE]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct drive d;
	int ch;

	memset(&d, 0, sizeof(d));
	d.n = 1000;
	d.since = -1;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((ch = getopt(argc, argv, "F:H:S:L:D:P:n:r:s:p:")) != -1) {
		switch (ch) {
		case 'F':
			d.config = optarg;
			break;
		case 'H':
			d.target = optarg;
			break;
		case 'S':
			d.rsock = optarg;
			break;
		case 'L':
			d.lsock = optarg;
			break;
		case 'D':
			d.gpuqd = atoi(optarg);
			break;
		case 'P':
			d.sshd = atoi(optarg);
			break;
		case 'n':
			d.n = atol(optarg);
			break;
		case 'r':
			d.ready = optarg;
			break;
		case 's':
			d.since = atol(optarg);
			break;
		case 'p':
			d.poll_ms = atol(optarg);
			break;
		default:
			return drive_usage();
		}
	}
	if (optind != argc - 1 || d.target == NULL || d.lsock == NULL ||
	    d.n <= 0)
		return drive_usage();
	d.mode = argv[optind];
	if (strcmp(d.mode, "cut") == 0 && d.gpuqd > 0 && d.sshd > 0)
		return drive_cut(&d);
	if (strcmp(d.mode, "dead") == 0 && d.sshd > 0)
		return drive_dead(&d);
	if (strcmp(d.mode, "stream") == 0)
		return drive_stream(&d);
	if (strcmp(d.mode, "rtt") == 0)
		return drive_rtt(&d);
	if (strcmp(d.mode, "idle") == 0)
		return drive_idle(&d);
	return drive_usage();
}
