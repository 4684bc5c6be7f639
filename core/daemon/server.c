#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/sweepd.h"
#include "core/daemon/telemetry.h"
#include "remote/sockpath.h"

int64_t
daemon_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

static void
daemon_idle_cb(uv_idle_t *h)
{
	uv_idle_stop(h);
}

void
daemon_kick(struct daemon *d)
{
	uv_idle_start(&d->idle, daemon_idle_cb);
}

static void
daemon_commit(struct daemon *d)
{
	int rc;

	if (d->event_seq != d->event_seq_stored) {
		store_begin(d->store);
		store_meta_set(d->store, "event_seq", d->event_seq);
		d->event_seq_stored = d->event_seq;
	}
	if (!store_in_txn(d->store))
		return;
	if ((rc = store_commit(d->store)) != 0) {
		/*
		 * Nothing of this turn was acknowledged.  Exiting is the safe
		 * answer: a restart reloads the last committed state.
		 */
		log_error("cannot commit to the store (%s); exiting so that "
		          "nothing unrecorded is acknowledged",
		    gq_err_text(rc));
		exit(1);
	}
	d->commits++;
}

/*
 * The end of a loop turn: plan, commit, reply, publish, act.  The order is
 * what makes a reply mean "durable" and puts events after their replies.
 */
static void
daemon_prepare_cb(uv_prepare_t *h)
{
	struct daemon *d = h->data;
	struct conn *c;

	if (d->sched_dirty && !d->stopping)
		run_schedule(d, daemon_now());
	daemon_commit(d);
	for (c = d->conns; c != NULL; c = c->next)
		conn_flush_replies(c);
	events_flush(d);
	run_after_commit(d);
	if (store_in_txn(d->store) || d->sched_dirty)
		daemon_kick(d);
}

static void
daemon_tick_cb(uv_timer_t *h)
{
	struct daemon *d = h->data;

	int64_t now = daemon_now();

	run_tick(d, now);
	run_nodes_tick(d, now);
	follow_tick(d);
	sweepd_tick(d, now);
	jobs_archive_tick(d, now); /* ended jobs out of memory */
	if (now - d->last_prune >= 3600) {
		/* Retried requests come within minutes; a week is generous. */
		store_begin(d->store);
		store_idem_prune(d->store, now - DAEMON_IDEM_KEEP_S);
		d->last_prune = now;
		daemon_kick(d);
	}
}

static void
daemon_on_connection(uv_stream_t *server, int status)
{
	struct daemon *d = server->data;

	if (status < 0) {
		log_warn("accept: %s", uv_strerror(status));
		return;
	}
	conn_accept(d);
}

static void
daemon_stop(struct daemon *d)
{
	struct conn *c, *next;

	if (d->stopping)
		return;
	d->stopping = 1;
	log_info("stopping; running jobs keep running under their "
	         "supervisors");
	uv_close((uv_handle_t *)&d->listener, NULL);
	unlink(d->cfg.socket);
	for (c = d->conns; c != NULL; c = next) {
		next = c->next;
		conn_close(c, "daemon stopping");
	}
	uv_timer_stop(&d->tick);
	telemetry_stop(d);
	uv_signal_stop(&d->sigterm);
	uv_signal_stop(&d->sigint);
	uv_signal_stop(&d->sighup);
	uv_stop(d->loop);
}

static void
daemon_reload_warn(const char *name)
{
	log_warn("reload: option %s changed; it takes effect at the next "
	         "start",
	    name);
}

/*
 * Projects, quotas, users, policy parameters and this node's pool and
 * labels change at once; jobs keep running whatever their project became
 * (a project no longer declared is treated as one with no quota).
 */
static void
daemon_reload_projects(struct daemon *d, struct config *fresh)
{
	struct projects old = d->cfg.projects;
	char *pool = d->cfg.node_pool, *labels = d->cfg.node_labels;

	d->cfg.projects = fresh->projects;
	fresh->projects = old;
	d->cfg.node_pool = fresh->node_pool;
	d->cfg.node_labels = fresh->node_labels;
	fresh->node_pool = pool;
	fresh->node_labels = labels;
	run_projects_apply(d, daemon_now());
}

static void
daemon_reload(struct daemon *d)
{
	const struct sched_policy *p;
	struct config fresh;
	char cause[512];

	if (config_build(&fresh, d->config_path, d->cmdline_opts,
	        d->ncmdline_opts, cause, sizeof(cause)) != 0) {
		log_error("reload refused, keeping the running config: %s",
		    cause);
		config_done(&fresh);
		return;
	}
	if ((p = sched_policy_find(fresh.policy)) == NULL) {
		log_error("reload refused: unknown policy %s", fresh.policy);
		config_done(&fresh);
		return;
	}
	config_changed_needing_restart(&d->cfg, &fresh, daemon_reload_warn);
	d->policy = p;
	free(d->cfg.admin_group);
	d->cfg.admin_group = fresh.admin_group;
	fresh.admin_group = NULL;
	d->cfg.kill_grace_s = fresh.kill_grace_s;
	d->cfg.keep_finished = fresh.keep_finished;
	d->cfg.keep_finished_age_s = fresh.keep_finished_age_s;
	d->cfg.log_level = fresh.log_level;
	log_init("gpuqd", (enum log_level)d->cfg.log_level);
	daemon_reload_projects(d, &fresh);
	telemetry_reload(d, &fresh);
	config_done(&fresh);
	d->sched_dirty = 1;
	daemon_kick(d);
	log_info("configuration reloaded%s%s", d->config_path ? " from " : "",
	    d->config_path ? d->config_path : "");
}

static void
daemon_signal_cb(uv_signal_t *h, int signum)
{
	struct daemon *d = h->data;

	if (signum == SIGHUP)
		daemon_reload(d);
	else
		daemon_stop(d);
}

/* Refuses to replace a live daemon's socket; removes a stale one. */
static int
daemon_socket_free(const char *path)
{
	struct sockaddr_un sun;
	int fd, live;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return GQ_EIO;
	live = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	if (live) {
		log_error("another gpuqd is serving %s", path);
		return GQ_EBUSY;
	}
	unlink(path);
	return 0;
}

static int
daemon_mkdirs(const char *path, mode_t mode)
{
	char tmp[PATH_MAX], *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return GQ_EINVAL;
	for (p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return GQ_EIO;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return GQ_EIO;
	return 0;
}

static int
daemon_listen(struct daemon *d)
{
	char dir[PATH_MAX], *slash;
	int rc;

	snprintf(dir, sizeof(dir), "%s", d->cfg.socket);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		daemon_mkdirs(dir, d->cfg.system_mode ? 0755 : 0700);
	}
	if ((rc = daemon_socket_free(d->cfg.socket)) != 0)
		return rc;
	uv_pipe_init(d->loop, &d->listener, 0);
	d->listener.data = d;
	if ((rc = uv_pipe_bind(&d->listener, d->cfg.socket)) != 0 ||
	    (rc = uv_listen((uv_stream_t *)&d->listener, 4096,
	         daemon_on_connection)) != 0) {
		log_error("cannot listen on %s: %s", d->cfg.socket,
		    uv_strerror(rc));
		return GQ_EIO;
	}
	/* System mode: any local user may connect; identity is SO_PEERCRED. */
	chmod(d->cfg.socket, d->cfg.system_mode ? 0666 : 0600);
	log_info("listening on %s", d->cfg.socket);
	return 0;
}

static void
daemon_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
daemon_lock_state(struct daemon *d)
{
	char *path = xasprintf("%s/gpuqd.lock", d->cfg.state_dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	free(path);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		log_error("state directory %s is in use by another gpuqd",
		    d->cfg.state_dir);
		return GQ_EBUSY;
	}
	return 0; /* the descriptor stays open: the lock lives with us */
}

static void
daemon_default_paths(struct daemon *d)
{
	const char *home = getenv("HOME"), *xdg = getenv("XDG_STATE_HOME");

	if (d->cfg.socket == NULL)
		d->cfg.socket = d->cfg.system_mode ? xstrdup(SOCKPATH_SYSTEM) :
		                                     sockpath_personal();
	if (d->cfg.state_dir != NULL)
		return;
	if (d->cfg.system_mode)
		d->cfg.state_dir = xstrdup("/var/lib/gpuq");
	else if (xdg != NULL && *xdg == '/')
		d->cfg.state_dir = xasprintf("%s/gpuq", xdg);
	else
		d->cfg.state_dir = xasprintf("%s/.local/state/gpuq",
		    home != NULL ? home : "/tmp");
}

static int
daemon_open_store(struct daemon *d)
{
	char *path = xasprintf("%s/gpuq.db", d->cfg.state_dir), *cause = NULL;
	int rc;

	rc = store_open(path, d->cfg.sync_full, &d->store, &cause);
	if (rc != 0)
		log_error("cannot open the store %s: %s", path,
		    cause != NULL ? cause : gq_err_text(rc));
	free(cause);
	free(path);
	return rc;
}

/* The probes of core/gpu (fake, NVML, nvidia-smi): telemetry.c. */
static int
daemon_init_gpus(struct daemon *d)
{
	return telemetry_open(d);
}

static void
daemon_init_cluster(struct daemon *d)
{
	struct sysinfo si;
	int32_t cpus = d->cfg.cpus_milli;
	int64_t mem = d->cfg.mem_mb;
	int32_t idx;
	size_t i;

	if (run_nodes_init(d)) /* the executor's nodes (slurm) */
		return;
	if (cpus == 0)
		cpus = (int32_t)sysconf(_SC_NPROCESSORS_ONLN) * 1000;
	if (mem == 0 && sysinfo(&si) == 0)
		mem = (int64_t)((uint64_t)si.totalram * si.mem_unit >> 20);
	cluster_init(&d->cluster);
	idx = cluster_add_node(&d->cluster, d->host, 0, "", 0, cpus, mem);
	/* GPUs of several models may share a node: add them one by one. */
	for (i = 0; i < d->inv.ngpus && i < MODEL_MAX_NODE_GPUS; i++) {
		struct gpu *g = &d->cluster.nodes[idx].gpus[i];

		snprintf(g->model, sizeof(g->model), "%s",
		    d->inv.gpus[i].model);
		g->mem_mb = g->free_mem_mb = d->inv.gpus[i].mem_mb;
		g->free_milli = MODEL_GPU_MILLI;
		d->cluster.nodes[idx].ngpus++;
	}
}

static int
daemon_init_exec(struct daemon *d, const char *self_exe)
{
	if ((d->exec = exec_find(d->cfg.executor)) == NULL) {
		log_error("unknown executor \"%s\"", d->cfg.executor);
		return GQ_EINVAL;
	}
	if ((d->policy = sched_policy_find(d->cfg.policy)) == NULL) {
		log_error("unknown policy \"%s\"", d->cfg.policy);
		return GQ_EINVAL;
	}
	d->xctx.state_dir = d->cfg.state_dir;
	d->xctx.self_exe = self_exe;
	d->xctx.drop_privileges = geteuid() == 0;
	d->xctx.gpu_ids = (const char *const *)d->gpu_ids;
	run_nodes_ctx(d); /* the slurm executor's settings */
	run_swap_init(d); /* finds cuda-checkpoint */
	return 0;
}

static void
daemon_init_handles(struct daemon *d)
{
	uv_prepare_init(d->loop, &d->prepare);
	d->prepare.data = d;
	uv_prepare_start(&d->prepare, daemon_prepare_cb);
	uv_idle_init(d->loop, &d->idle);
	uv_timer_init(d->loop, &d->tick);
	d->tick.data = d;
	uv_timer_start(&d->tick, daemon_tick_cb, 250, 250);
	uv_signal_init(d->loop, &d->sigterm);
	uv_signal_init(d->loop, &d->sigint);
	uv_signal_init(d->loop, &d->sighup);
	d->sigterm.data = d->sigint.data = d->sighup.data = d;
	uv_signal_start(&d->sigterm, daemon_signal_cb, SIGTERM);
	uv_signal_start(&d->sigint, daemon_signal_cb, SIGINT);
	uv_signal_start(&d->sighup, daemon_signal_cb, SIGHUP);
}

static int
daemon_init(struct daemon *d, const char *self_exe)
{
	int rc;

	d->loop = uv_default_loop();
	d->start_time = daemon_now();
	if (d->cfg.node_name != NULL)
		snprintf(d->host, sizeof(d->host), "%s", d->cfg.node_name);
	else if (gethostname(d->host, sizeof(d->host)) != 0)
		snprintf(d->host, sizeof(d->host), "localhost");
	daemon_default_paths(d);
	if (daemon_mkdirs(d->cfg.state_dir, 0700) != 0) {
		log_error("cannot create %s: %s", d->cfg.state_dir,
		    strerror(errno));
		return GQ_EIO;
	}
	if ((rc = daemon_lock_state(d)) != 0 ||
	    (rc = daemon_open_store(d)) != 0 ||
	    (rc = daemon_init_gpus(d)) != 0 ||
	    (rc = daemon_init_exec(d, self_exe)) != 0)
		return rc;
	daemon_init_cluster(d);
	events_init(d, d->cfg.event_history);
	jobs_load(d);
	sweepd_load(d);
	run_projects_apply(d, daemon_now());
	run_recover(d);
	daemon_init_handles(d);
	telemetry_start(d);
	return daemon_listen(d);
}

static void
daemon_close_walk(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

int
daemon_run(struct daemon *d)
{
	char self[PATH_MAX];
	ssize_t n;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	daemon_raise_nofile();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	if ((rc = daemon_init(d, self)) != 0)
		return rc;
	log_info("gpuqd %s ready: %zu GPUs (%s), %zu jobs, executor %s, "
	         "policy %s, state %s",
	    GPUQ_VERSION, d->inv.ngpus, d->inv.ngpus ? d->inv.source : "none",
	    d->njobs, d->exec->name, d->policy->name, d->cfg.state_dir);
	uv_run(d->loop, UV_RUN_DEFAULT);
	/* A last turn's work: commit what is pending, then close. */
	daemon_commit(d);
	uv_walk(d->loop, daemon_close_walk, NULL);
	uv_run(d->loop, UV_RUN_DEFAULT);
	events_done(d);
	sweepd_free(d);
	jobs_archive_free(d);
	run_swap_done(d);
	telemetry_free(d);
	store_close(d->store);
	return 0;
}
