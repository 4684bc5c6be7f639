/*
 * The per-job supervisor: "gpuqd supervise DIR ATTEMPT".  It claims the
 * attempt, runs the job in its own process group, forwards SIGTERM to that
 * group (SIGKILL after the grace period), reaps the job and writes its
 * result.  It runs detached from the daemon, so the job outlives a daemon
 * restart.  See docs/internals/executor.md.
 */
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/clock.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-state.h"
#include "core/exec/exec-swap.h"
#include "core/exec/exec.h"
#include "core/exec/supervise-metrics.h"

#define SUPERVISE_MAX_GROUPS 65536

/* Where the job's child failed before it could exec. */
enum supervise_stage {
	SUPERVISE_LOGS = 1,
	SUPERVISE_USER,
	SUPERVISE_CHDIR,
	SUPERVISE_EXEC
};

struct supervise_report {
	int stage;
	int err;
};

struct supervise {
	const char *dir;
	int32_t attempt;
	char **argv;   /* owned, NULL-terminated */
	char **env;    /* owned, NULL-terminated */
	char *workdir; /* owned */
	uid_t uid;
	gid_t gid;
	int drop;
	int grace;     /* seconds from SIGTERM to SIGKILL by default */
	gid_t *groups; /* owned: supplementary groups when dropping */
	int ngroups;
	int out, err;     /* the job's log files */
	int metrics;      /* the job's GPUQ_METRICS_FD, or -1 */
	int sfd;          /* signalfd for SIGTERM, SIGINT, SIGCHLD */
	pid_t pid;        /* the job, leader of its process group */
	int64_t deadline; /* monotonic ms when SIGKILL goes; -1: none */
	struct supervise_swap swap; /* suspend and resume (SIGUSR1) */
};

static void
supervise_strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static void
supervise_done(struct supervise *s)
{
	supervise_strv_free(s->argv);
	supervise_strv_free(s->env);
	free(s->workdir);
	free(s->groups);
	if (s->out >= 0)
		close(s->out);
	if (s->err >= 0)
		close(s->err);
	if (s->sfd >= 0)
		close(s->sfd);
	if (s->metrics >= 0)
		close(s->metrics);
}

/* Blocks the signals the supervisor reads from its signalfd. */
static int
supervise_signals(struct supervise *s)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return GQ_EIO;
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	s->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return s->sfd < 0 ? GQ_EIO : 0;
}

/* 1 if a SIGTERM or SIGINT came before the job was started. */
static int
supervise_cancelled(void)
{
	sigset_t set;

	if (sigpending(&set) != 0)
		return 0;
	return sigismember(&set, SIGTERM) == 1 ||
	    sigismember(&set, SIGINT) == 1;
}

static int
supervise_claim(struct supervise *s)
{
	uint64_t start;
	char text[64], state;

	if (exec_state_proc(getpid(), &start, &state) != 0)
		return GQ_EIO;
	snprintf(text, sizeof(text), "%ld %llu\n", (long)getpid(),
	    (unsigned long long)start);
	return exec_state_claim(s->dir, s->attempt, text);
}

/* A JSON array of strings as a new NULL-terminated vector, or NULL. */
static char **
supervise_strv(json_t *a, int allow_empty)
{
	char **v;
	size_t i;

	if (!json_is_array(a) || (!allow_empty && json_array_size(a) == 0))
		return NULL;
	v = xcalloc(json_array_size(a) + 1, sizeof(char *));
	for (i = 0; i < json_array_size(a); i++) {
		if (!json_is_string(json_array_get(a, i))) {
			supervise_strv_free(v);
			return NULL;
		}
		v[i] = xstrdup(json_string_value(json_array_get(a, i)));
	}
	return v;
}

static int
supervise_spec_unpack(struct supervise *s, json_t *spec, char *why, size_t n)
{
	json_t *argv, *env;
	json_int_t uid, gid;
	const char *wd;
	json_error_t e;

	if (json_unpack_ex(spec, &e, 0, "{s:o, s:o, s:s, s:I, s:I, s:b, s:i}",
	        "argv", &argv, "env", &env, "workdir", &wd, "uid", &uid, "gid",
	        &gid, "drop_privileges", &s->drop, "kill_grace_s",
	        &s->grace) != 0) {
		snprintf(why, n, "bad job spec: %s", e.text);
		return GQ_EINVAL;
	}
	s->argv = supervise_strv(argv, 0);
	s->env = supervise_strv(env, 1);
	if (s->argv == NULL || s->env == NULL) {
		snprintf(why, n, "bad job spec: argv or env");
		return GQ_EINVAL;
	}
	s->workdir = xstrdup(wd);
	s->uid = (uid_t)uid;
	s->gid = (gid_t)gid;
	return 0;
}

static int
supervise_spec_load(struct supervise *s, char *why, size_t n)
{
	json_error_t e;
	json_t *spec;
	char *path;
	int rc;

	path = exec_state_path(s->dir, "spec", s->attempt, ".json");
	spec = json_load_file(path, 0, &e);
	if (spec == NULL) {
		snprintf(why, n, "cannot read %s: %s", path, e.text);
		free(path);
		return GQ_EIO;
	}
	free(path);
	rc = supervise_spec_unpack(s, spec, why, n);
	json_decref(spec);
	return rc;
}

/* The user's supplementary groups, or only the job's gid if unknown. */
static void
supervise_groups(struct supervise *s)
{
	struct passwd *pw;
	int n = 64, tries;

	s->groups = xreallocarray(NULL, (size_t)n, sizeof(gid_t));
	if ((pw = getpwuid(s->uid)) == NULL)
		goto only_gid;
	/* On failure getgrouplist() says how many there are. */
	for (tries = 0; tries < 8; tries++) {
		if (getgrouplist(pw->pw_name, s->gid, s->groups, &n) >= 0) {
			s->ngroups = n;
			return;
		}
		if (n <= 0 || n > SUPERVISE_MAX_GROUPS)
			break;
		s->groups = xreallocarray(s->groups, (size_t)n, sizeof(gid_t));
	}
only_gid:
	s->groups[0] = s->gid;
	s->ngroups = 1;
}

static int
supervise_open_log(struct supervise *s, const char *stream, char *why, size_t n)
{
	char *path;
	int fd;

	path = xasprintf("%s/%s", s->dir, stream);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0640);
	if (fd < 0)
		snprintf(why, n, "cannot open %s: %s", path, strerror(errno));
	else if (s->drop && fchown(fd, s->uid, s->gid) != 0) {
		snprintf(why, n, "cannot give %s to uid %ld: %s", path,
		    (long)s->uid, strerror(errno));
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

/* Drops to the job's user for good, as root may. */
static int
supervise_drop(const struct supervise *s)
{
	if (setgroups((size_t)s->ngroups, s->groups) != 0 ||
	    setgid(s->gid) != 0 || setuid(s->uid) != 0)
		return -1;
	if (getuid() != s->uid || geteuid() != s->uid || getegid() != s->gid ||
	    (s->uid != 0 && setuid(0) == 0)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* The job: after fork() in the (single-threaded) supervisor. */
static void __attribute__((noreturn))
supervise_child(const struct supervise *s, int report)
{
	struct supervise_report rep = { 0, 0 };
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (dup2(s->out, 1) < 0 || dup2(s->err, 2) < 0 ||
	    (s->metrics >= 0 && fcntl(s->metrics, F_SETFD, 0) != 0))
		rep.stage = SUPERVISE_LOGS;
	else if (s->drop && supervise_drop(s) != 0)
		rep.stage = SUPERVISE_USER;
	else if (chdir(s->workdir) != 0)
		rep.stage = SUPERVISE_CHDIR;
	else {
		environ = s->env;
		execvp(s->argv[0], s->argv);
		rep.stage = SUPERVISE_EXEC;
	}
	rep.err = errno;
	if (write(report, &rep, sizeof(rep)) != sizeof(rep))
		_exit(126);
	_exit(127);
}

static void
supervise_failed(const struct supervise *s, const struct supervise_report *rep,
    struct exec_result *res)
{
	const char *e = strerror(rep->err);
	size_t n = sizeof(res->reason);

	if (rep->stage == SUPERVISE_EXEC)
		snprintf(res->reason, n, "cannot run \"%s\": %s", s->argv[0],
		    e);
	else if (rep->stage == SUPERVISE_CHDIR)
		snprintf(res->reason, n,
		    "cannot change to directory \"%s\": %s", s->workdir, e);
	else if (rep->stage == SUPERVISE_USER)
		snprintf(res->reason, n, "cannot switch to uid %ld gid %ld: %s",
		    (long)s->uid, (long)s->gid, e);
	else
		snprintf(res->reason, n, "cannot set up the job's output: %s",
		    e);
	dprintf(s->err, "gpuq: %s\n", res->reason);
	res->exit_code = -1;
	res->exit_signal = 0;
}

/* signo (SIGTERM, or a checkpoint signal) to the group now, SIGKILL
 * grace_s seconds later. */
static void
supervise_term(struct supervise *s, int grace_s, int signo)
{
	int64_t deadline;

	if (grace_s < 0)
		grace_s = 0;
	log_info("stopping job %ld (signal %d, grace %d s)", (long)s->pid,
	    signo, grace_s);
	kill(-s->pid, signo);
	/* A suspended job must run to hear it (docs/swap.md). */
	if (s->swap.state != 0)
		kill(-s->pid, SIGCONT);
	deadline = clock_mono_ms() + (int64_t)grace_s * 1000;
	if (s->deadline < 0 || deadline < s->deadline)
		s->deadline = deadline;
}

static void
supervise_read_signals(struct supervise *s)
{
	struct signalfd_siginfo si;

	while (read(s->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGUSR1)
			supervise_swap_handle(&s->swap, s->dir, s->attempt,
			    s->pid, s->deadline >= 0);
		if (si.ssi_signo != SIGTERM && si.ssi_signo != SIGINT)
			continue;
		/*
		 * The daemon sends the grace period as the value, and for a
		 * swap-out the signal for the job in bits 16 and up.
		 */
		if (si.ssi_code == SI_QUEUE && (si.ssi_int >> 16) > 0)
			supervise_term(s, si.ssi_int & 0xffff,
			    (si.ssi_int >> 16) & 0x7f);
		else
			supervise_term(s,
			    si.ssi_code == SI_QUEUE ? si.ssi_int : s->grace,
			    SIGTERM);
	}
}

static int
supervise_timeout(const struct supervise *s)
{
	int64_t left;

	if (s->deadline < 0)
		return -1;
	left = s->deadline - clock_mono_ms();
	if (left < 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

/* Waits for the job leader, forwarding signals; returns its status. */
static int
supervise_wait(struct supervise *s)
{
	struct pollfd pfd = { .fd = s->sfd, .events = POLLIN };
	int status, r;

	for (;;) {
		r = waitpid(s->pid, &status, WNOHANG);
		if (r == s->pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		r = poll(&pfd, 1, supervise_timeout(s));
		if (r > 0)
			supervise_read_signals(s);
		else if (r == 0 && s->deadline >= 0) {
			log_info("grace period over: SIGKILL to job %ld",
			    (long)s->pid);
			kill(-s->pid, SIGKILL);
			s->deadline = -1;
		}
	}
}

static void
supervise_status(int status, struct exec_result *res)
{
	res->exit_code = -1;
	res->exit_signal = 0;
	if (status == -1)
		snprintf(res->reason, sizeof(res->reason),
		    "lost the job's exit status");
	else if (WIFEXITED(status))
		res->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->exit_signal = WTERMSIG(status);
}

/*
 * A job that runs as another user cannot reach the metrics file in its
 * directory: it gets it as an inherited descriptor instead.  Failing that,
 * it runs anyway and its stderr says why.
 */
static void
supervise_open_metrics(struct supervise *s)
{
	char why[512] = "";

	if (!s->drop || s->uid == geteuid())
		return;
	s->metrics = supervise_metrics_open(s->dir, &s->env, s->uid, s->gid,
	    why, sizeof(why));
	if (s->metrics < 0 && why[0] != '\0')
		dprintf(s->err, "gpuq: %s\n", why);
}

static int
supervise_open_logs(struct supervise *s, struct exec_result *res)
{
	s->out =
	    supervise_open_log(s, "stdout", res->reason, sizeof(res->reason));
	if (s->out >= 0)
		s->err = supervise_open_log(s, "stderr", res->reason,
		    sizeof(res->reason));
	if (s->out < 0 || s->err < 0)
		return -1;
	if (s->drop)
		supervise_groups(s);
	supervise_open_metrics(s);
	return 0;
}

/* Starts the job, waits for it and fills res. */
static void
supervise_run(struct supervise *s, struct exec_result *res)
{
	struct supervise_report rep;
	int rp[2], status;
	ssize_t got;

	if (supervise_open_logs(s, res) != 0)
		return;
	if (pipe2(rp, O_CLOEXEC) != 0 || (s->pid = fork()) < 0) {
		snprintf(res->reason, sizeof(res->reason),
		    "cannot start the job: %s", strerror(errno));
		return;
	}
	if (s->pid == 0)
		supervise_child(s, rp[1]);
	close(rp[1]);
	if (s->metrics >= 0)
		close(s->metrics);
	s->metrics = -1;
	setpgid(s->pid, s->pid);
	/* The pipe closes on a successful exec, or brings the errno. */
	do
		got = read(rp[0], &rep, sizeof(rep));
	while (got < 0 && errno == EINTR);
	close(rp[0]);
	if (got == sizeof(rep))
		supervise_failed(s, &rep, res);
	status = supervise_wait(s);
	/* Whatever the leader left behind in its group goes with it. */
	kill(-s->pid, SIGKILL);
	if (got != sizeof(rep))
		supervise_status(status, res);
}

static int
supervise_args(int argc, char **argv, struct supervise *s)
{
	char *end;
	long a;

	if (argc != 3 || strcmp(argv[0], "supervise") != 0)
		return GQ_EINVAL;
	errno = 0;
	a = strtol(argv[2], &end, 10);
	if (errno != 0 || *end != '\0' || a <= 0 || a > INT32_MAX)
		return GQ_EINVAL;
	memset(s, 0, sizeof(*s));
	s->dir = argv[1];
	s->attempt = (int32_t)a;
	s->out = s->err = s->sfd = s->metrics = -1;
	s->deadline = -1;
	return 0;
}

/* Everything after a successful claim: this attempt is ours alone. */
static int
supervise_claimed(struct supervise *s)
{
	struct exec_result res;

	memset(&res, 0, sizeof(res));
	res.exit_code = -1;
	if (supervise_spec_load(s, res.reason, sizeof(res.reason)) != 0)
		log_error("%s", res.reason);
	else if (supervise_cancelled())
		snprintf(res.reason, sizeof(res.reason),
		    "cancelled before it started");
	else
		supervise_run(s, &res);
	res.ended = 1;
	res.end_time = time(NULL);
	if (exec_state_result_write(s->dir, s->attempt, &res) != 0) {
		log_error("cannot write result-%d in %s", (int)s->attempt,
		    s->dir);
		return 1;
	}
	return 0;
}

int
exec_supervise_main(int argc, char **argv)
{
	struct supervise s;
	int rc;

	log_init("gpuq-supervise", LOG_LVL_INFO);
	if (supervise_args(argc, argv, &s) != 0) {
		log_error("usage: supervise DIR ATTEMPT");
		return 2;
	}
	if (supervise_signals(&s) != 0) {
		log_error("cannot set up signals: %s", strerror(errno));
		supervise_done(&s);
		return 1;
	}
	rc = supervise_claim(&s);
	if (rc == 0)
		rc = supervise_claimed(&s);
	else if (rc == GQ_EEXIST)
		log_info("attempt %d in %s was claimed or rescinded first: "
		         "not running it",
		    (int)s.attempt, s.dir);
	else
		log_error("cannot claim attempt %d in %s", (int)s.attempt,
		    s.dir);
	supervise_done(&s);
	return rc == 0 ? 0 : rc == GQ_EEXIST ? 3 : 1;
}
