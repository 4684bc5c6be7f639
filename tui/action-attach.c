/*
 * A: attach.  The workbench lends the terminal to `gpuq attach ID` (this
 * same gpuq, with the same connection options) as Ctrl-Z lends it to the
 * shell: curses steps aside, the child runs with the terminal, and the
 * screen comes back when it ends.  The loop keeps running meanwhile, so
 * the connection and the replica stay live.  gpuq attach does the work
 * (job.attach, then a shell in the job's environment); nothing of it is
 * done here.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/xmalloc.h"
#include "tui/tui.h"

#define ACTION_ATTACH_ARGS 16

struct action_attach {
	uv_process_t proc;
	struct tui *t;
	int64_t id;
};

static void
action_attach_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
action_attach_exit(uv_process_t *p, int64_t status, int sig)
{
	struct action_attach *a = p->data;
	struct tui *t = a->t;
	char msg[128];

	if (sig != 0)
		snprintf(msg, sizeof(msg),
		    "gpuq attach %lld ended by signal %d", (long long)a->id,
		    sig);
	else
		snprintf(msg, sizeof(msg), "gpuq attach %lld exited with %lld",
		    (long long)a->id, (long long)status);
	tui_take_back(t, sig != 0 || status != 0 ? msg : NULL);
	if (sig != 0 || status != 0)
		tui_status(t, REVENT_WARN, "%s", msg);
	else
		tui_status(t, REVENT_INFO, "back from job %lld",
		    (long long)a->id);
	uv_close((uv_handle_t *)p, action_attach_closed);
}

/* Adds a copy of arg to argv. */
static void
action_attach_arg(char **argv, size_t *k, const char *arg)
{
	if (*k + 1 < ACTION_ATTACH_ARGS)
		argv[(*k)++] = xstrdup(arg);
	argv[*k] = NULL;
}

/*
 * argv (new strings): this gpuq, the options that reach the same daemon
 * (-S, or -H with its ssh options), attach ID.
 */
static void
action_attach_argv(struct tui *t, char **argv, int64_t id)
{
	const struct tui_opts *o = t->opts;
	char self[PATH_MAX], num[32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t k = 0;

	self[n > 0 ? n : 0] = '\0';
	action_attach_arg(argv, &k, n > 0 ? self : "gpuq");
	if (o != NULL && o->host != NULL) {
		action_attach_arg(argv, &k, "-H");
		action_attach_arg(argv, &k, o->host);
		if (o->ssh_command != NULL) {
			snprintf(self, sizeof(self), "--ssh-command=%s",
			    o->ssh_command);
			action_attach_arg(argv, &k, self);
		}
		if (o->remote_command != NULL) {
			action_attach_arg(argv, &k, "--remote-command");
			action_attach_arg(argv, &k, o->remote_command);
		}
		if (o->ssh_config != NULL) {
			action_attach_arg(argv, &k, "--ssh-config");
			action_attach_arg(argv, &k, o->ssh_config);
		}
	} else if (o != NULL && o->sock != NULL) {
		action_attach_arg(argv, &k, "-S");
		action_attach_arg(argv, &k, o->sock);
	}
	if (o != NULL && o->conf != NULL) {
		action_attach_arg(argv, &k, "--config");
		action_attach_arg(argv, &k, o->conf);
	}
	snprintf(num, sizeof(num), "%lld", (long long)id);
	action_attach_arg(argv, &k, "attach");
	action_attach_arg(argv, &k, num);
}

static int
action_attach_spawn(struct tui *t, struct action_attach *a)
{
	char *argv[ACTION_ATTACH_ARGS];
	uv_stdio_container_t io[3];
	uv_process_options_t po;
	int i, rc;

	action_attach_argv(t, argv, a->id);
	memset(&po, 0, sizeof(po));
	for (i = 0; i < 3; i++) {
		io[i].flags = UV_INHERIT_FD;
		io[i].data.fd = i;
	}
	po.file = argv[0];
	po.args = argv;
	po.stdio = io;
	po.stdio_count = 3;
	po.exit_cb = action_attach_exit;
	a->proc.data = a;
	rc = uv_spawn(t->loop, &a->proc, &po);
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	return rc;
}

void
action_attach_job(struct tui *t)
{
	int64_t id = action_job_selected(t);
	const struct rjob *j = replica_job(&t->rep, id);
	struct action_attach *a;
	int rc;

	if (id <= 0 || !action_job_has(t, "job.attach", "Attach"))
		return;
	if (j != NULL && j->state != RSTATE_RUNNING) {
		tui_status(t, REVENT_INFO, "attach: job %lld is not running",
		    (long long)id);
		return;
	}
	a = xcalloc(1, sizeof(*a));
	a->t = t;
	a->id = id;
	tui_lend(t);
	printf("gpuq: attaching to job %lld (exit the shell to come back)\r\n",
	    (long long)id);
	fflush(stdout);
	if ((rc = action_attach_spawn(t, a)) != 0) {
		tui_take_back(t, NULL);
		tui_status(t, REVENT_ERROR, "attach: cannot run gpuq: %s",
		    uv_strerror(rc));
		uv_close((uv_handle_t *)&a->proc, action_attach_closed);
	}
}
