#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/ssh-resolve.h"

#define SSH_RESOLVE_MAX_OUT (256 * 1024)

/* Where relative Include paths of one file start. */
struct ssh_resolve_inc {
	const char *dir; /* ~/.ssh or /etc/ssh */
};

const char *
ssh_resolve_home(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h != NULL && h[0] == '/')
		return h;
	pw = getpwuid(getuid());
	return pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : "/";
}

static const char *
ssh_resolve_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw != NULL && pw->pw_name != NULL ? pw->pw_name : "nobody";
}

enum ssh_resolve_how
ssh_resolve_how_env(void)
{
	const char *s = getenv("GPUQ_SSH_RESOLVE");

	if (s != NULL && strcmp(s, "builtin") == 0)
		return SSH_RESOLVE_BUILTIN;
	if (s != NULL && strcmp(s, "openssh") == 0)
		return SSH_RESOLVE_OPENSSH;
	return SSH_RESOLVE_AUTO;
}

int
ssh_resolve_read_file(const char *path, size_t max, char **text, size_t *len)
{
	struct buf b;
	char chunk[16384];
	ssize_t n;
	int fd, rc = 0;

	*text = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT || errno == ENOTDIR ? GQ_ENOENT : GQ_EIO;
	buf_init(&b, max);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = GQ_EIO;
			break;
		}
		if ((rc = buf_add(&b, chunk, (size_t)n)) != 0)
			break;
	}
	close(fd);
	if (rc == 0) {
		*len = b.len;
		buf_add(&b, "", 0);
		*text = b.data != NULL ? buf_take(&b) : xstrdup("");
	}
	buf_done(&b);
	return rc;
}

static void ssh_resolve_include(void *arg, struct ssh_config *c,
    const struct ssh_config_env *env, const char *pattern, int depth,
    int never);

/* Feeds one file, if it exists. */
static void
ssh_resolve_feed_file(struct ssh_config *c, const struct ssh_config_env *env,
    const char *path, int depth, int never)
{
	char *text;
	size_t len;
	int rc;

	rc = ssh_resolve_read_file(path, SSH_CONFIG_MAX_TEXT, &text, &len);
	if (rc == GQ_ENOENT)
		return;
	if (rc != 0) {
		if (env->warn != NULL)
			buf_printf(env->warn, "%s: cannot read: %s\n", path,
			    gq_err_text(rc));
		return;
	}
	ssh_config_feed(c, env, path, text, len, depth, never);
	free(text);
}

static void
ssh_resolve_include(void *arg, struct ssh_config *c,
    const struct ssh_config_env *env, const char *pattern, int depth, int never)
{
	const struct ssh_resolve_inc *inc = arg;
	char *path;
	glob_t g;
	size_t i;

	if (pattern[0] == '~' && pattern[1] == '/')
		path = xasprintf("%s%s", env->home, pattern + 1);
	else if (pattern[0] != '/')
		path = xasprintf("%s/%s", inc->dir, pattern);
	else
		path = xstrdup(pattern);
	memset(&g, 0, sizeof(g));
	/* glob sorts its matches: lexical order, as OpenSSH. */
	if (glob(path, 0, NULL, &g) == 0)
		for (i = 0; i < g.gl_pathc; i++)
			ssh_resolve_feed_file(c, env, g.gl_pathv[i], depth,
			    never);
	globfree(&g);
	free(path);
}

static void
ssh_resolve_builtin(const char *host, const struct ssh_resolve_opts *o,
    struct ssh_config *c, struct buf *warn)
{
	struct ssh_resolve_inc user_inc, sys_inc = { "/etc/ssh" };
	struct ssh_config_env env;
	char *dir, *path;

	memset(&env, 0, sizeof(env));
	env.host = host;
	env.local_user = ssh_resolve_user();
	env.home = ssh_resolve_home();
	env.include = ssh_resolve_include;
	env.warn = warn;
	dir = xasprintf("%s/.ssh", env.home);
	user_inc.dir = dir;
	env.arg = &user_inc;
	if (o->config_file != NULL) {
		ssh_resolve_feed_file(c, &env, o->config_file, 0, 0);
	} else {
		path = xasprintf("%s/config", dir);
		ssh_resolve_feed_file(c, &env, path, 0, 0);
		free(path);
		env.arg = &sys_inc;
		ssh_resolve_feed_file(c, &env, "/etc/ssh/ssh_config", 0, 0);
	}
	free(dir);
}

static void
ssh_resolve_child(char *const argv[], int out, int err)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	dup2(null, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	execvp(argv[0], argv);
	_exit(127);
}

/* Reads the child's stdout and stderr until both end or time runs out. */
static int
ssh_resolve_drain(int out, int err, struct buf *bo, struct buf *be)
{
	struct pollfd p[2] = { { out, POLLIN, 0 }, { err, POLLIN, 0 } };
	struct buf *b[2] = { bo, be };
	char chunk[8192];
	ssize_t n;
	int i, left = SSH_RESOLVE_TIMEOUT_MS, rc;

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		rc = poll(p, 2, left > 0 ? 100 : 0);
		left -= 100;
		if (rc < 0 && errno != EINTR)
			return GQ_EIO;
		if (rc == 0 && left <= 0)
			return GQ_ETIMEDOUT;
		for (i = 0; i < 2 && rc > 0; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n > 0 && buf_add(b[i], chunk, (size_t)n) != 0)
				return GQ_ETOOBIG;
			if (n == 0 || (n < 0 && errno != EINTR))
				p[i].fd = -1;
		}
	}
	return 0;
}

/* ssh -G [-F file] [-l user] [-p port] -- host, every word new. */
static void
ssh_resolve_argv(char **argv, const char *host, const struct ssh_config *c,
    const struct ssh_resolve_opts *o)
{
	int n = 0;

	argv[n++] = xstrdup("ssh");
	argv[n++] = xstrdup("-G");
	if (o->config_file != NULL) {
		argv[n++] = xstrdup("-F");
		argv[n++] = xstrdup(o->config_file);
	}
	if (c->user != NULL) {
		argv[n++] = xstrdup("-l");
		argv[n++] = xstrdup(c->user);
	}
	if (c->port > 0) {
		argv[n++] = xstrdup("-p");
		argv[n++] = xasprintf("%d", c->port);
	}
	argv[n++] = xstrdup("--");
	argv[n++] = xstrdup(host);
	argv[n] = NULL;
}

static void
ssh_resolve_argv_free(char **argv)
{
	for (; *argv != NULL; argv++)
		free(*argv);
}

/* "ssh -G host failed: <the last line ssh wrote on stderr>" */
static char *
ssh_resolve_failed(const char *host, const struct buf *err)
{
	size_t end = err->len, start;

	while (end > 0 &&
	    (err->data[end - 1] == '\n' || err->data[end - 1] == '\r'))
		end--;
	for (start = end; start > 0 && err->data[start - 1] != '\n'; start--)
		;
	return xasprintf("ssh -G %s failed%s%.*s", host,
	    end > start ? ": " : "", (int)(end - start),
	    end > start ? err->data + start : "");
}

/*
 * Runs `ssh -G`; returns 0 with its output in out, GQ_ENOENT when there
 * is no ssh, or another code with *cause.
 */
static int
ssh_resolve_run_g(const char *host, const struct ssh_config *c,
    const struct ssh_resolve_opts *o, struct buf *out, char **cause)
{
	char *argv[12];
	struct buf err;
	int po[2], pe[2], status = 0, rc;
	pid_t pid;

	if (pipe2(po, O_CLOEXEC) < 0)
		return GQ_EIO;
	if (pipe2(pe, O_CLOEXEC) < 0) {
		close(po[0]);
		close(po[1]);
		return GQ_EIO;
	}
	ssh_resolve_argv(argv, host, c, o);
	if ((pid = fork()) == 0)
		ssh_resolve_child(argv, po[1], pe[1]);
	ssh_resolve_argv_free(argv);
	close(po[1]);
	close(pe[1]);
	buf_init(&err, 64 * 1024);
	rc = pid < 0 ? GQ_EIO : ssh_resolve_drain(po[0], pe[0], out, &err);
	if (pid > 0 && rc != 0)
		kill(pid, SIGKILL);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	close(po[0]);
	close(pe[0]);
	if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127 &&
	    out->len == 0)
		rc = GQ_ENOENT;
	else if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = GQ_EINVAL;
	if (rc != 0 && rc != GQ_ENOENT)
		*cause = ssh_resolve_failed(host, &err);
	buf_done(&err);
	return rc;
}

static void
ssh_resolve_tokens(struct ssh_config_tokens *t, const char *alias, char *lhost,
    size_t n)
{
	if (gethostname(lhost, n) != 0)
		snprintf(lhost, n, "localhost");
	lhost[n - 1] = '\0';
	t->home = ssh_resolve_home();
	t->local_user = ssh_resolve_user();
	t->local_host = lhost;
	t->alias = alias;
	t->uid = (long)getuid();
}

static int
ssh_resolve_openssh(const char *host, const struct ssh_resolve_opts *o,
    struct ssh_config *c, struct buf *warn, char **cause)
{
	struct ssh_config_env env;
	struct buf out;
	int rc;

	buf_init(&out, SSH_RESOLVE_MAX_OUT);
	rc = ssh_resolve_run_g(host, c, o, &out, cause);
	if (rc == 0) {
		memset(&env, 0, sizeof(env));
		env.host = host;
		env.local_user = ssh_resolve_user();
		env.home = ssh_resolve_home();
		env.g_output = 1;
		env.warn = warn;
		ssh_config_feed(c, &env, "ssh -G", out.data, out.len, 0, 0);
	}
	buf_done(&out);
	return rc;
}

int
ssh_resolve(const char *target, const struct ssh_resolve_opts *o,
    struct ssh_config *c, struct buf *warn, char **cause)
{
	struct ssh_config_tokens t;
	char *user, *host, lhost[256];
	int port, rc = 0;

	*cause = NULL;
	ssh_config_init(c);
	if (ssh_config_target(target, &user, &host, &port) != 0) {
		*cause =
		    xasprintf("%s: not a host ([user@]host[:port])", target);
		return GQ_EINVAL;
	}
	c->user = user;
	c->port = port > 0 ? port : -1;
	if (o->how != SSH_RESOLVE_BUILTIN)
		rc = ssh_resolve_openssh(host, o, c, warn, cause);
	if (rc == GQ_ENOENT && o->how == SSH_RESOLVE_OPENSSH) {
		*cause = xstrdup("OpenSSH's ssh is not installed (ssh -G)");
	} else if (rc == GQ_ENOENT || o->how == SSH_RESOLVE_BUILTIN) {
		rc = 0;
		ssh_resolve_builtin(host, o, c, warn);
	}
	if (rc == 0) {
		ssh_resolve_tokens(&t, host, lhost, sizeof(lhost));
		ssh_config_finish(c, &t);
	}
	free(host);
	return rc;
}
