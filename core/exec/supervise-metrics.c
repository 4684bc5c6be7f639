/*
 * A sweep trial's metrics file when the job runs as another user than the
 * supervisor (a root daemon): the job directory sits under the daemon's
 * state directory, which the job cannot enter, so the supervisor opens
 * DIR/metrics.jsonl before it drops privileges and the job inherits the
 * descriptor as /dev/fd/N.  See docs/internals/executor.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/xmalloc.h"
#include "core/exec/supervise-metrics.h"

#define SUPERVISE_METRICS_FILE "GPUQ_METRICS_FILE="
#define SUPERVISE_METRICS_FD   "GPUQ_METRICS_FD="

static int
supervise_metrics_is(const char *kv, const char *prefix)
{
	return strncmp(kv, prefix, strlen(prefix)) == 0;
}

/* The index of the GPUQ_METRICS_FILE entry naming path, or -1. */
static ssize_t
supervise_metrics_find(char **env, const char *path)
{
	size_t i, k = strlen(SUPERVISE_METRICS_FILE);

	for (i = 0; env[i] != NULL; i++)
		if (supervise_metrics_is(env[i], SUPERVISE_METRICS_FILE))
			return strcmp(env[i] + k, path) == 0 ? (ssize_t)i : -1;
	return -1;
}

/* env with GPUQ_METRICS_FILE=/dev/fd/N and GPUQ_METRICS_FD=N (new). */
static char **
supervise_metrics_env(char **env, int fd)
{
	size_t i, n = 0, len = 0;
	char **v;

	while (env[len] != NULL)
		len++;
	v = xcalloc(len + 2, sizeof(char *));
	for (i = 0; i < len; i++) {
		if (supervise_metrics_is(env[i], SUPERVISE_METRICS_FILE))
			v[n++] = xasprintf("%s/dev/fd/%d",
			    SUPERVISE_METRICS_FILE, fd);
		else if (!supervise_metrics_is(env[i], SUPERVISE_METRICS_FD))
			v[n++] = xstrdup(env[i]);
	}
	v[n] = xasprintf("%s%d", SUPERVISE_METRICS_FD, fd);
	return v;
}

/* Moves fd above 2, which the job's standard streams take. */
static int
supervise_metrics_high(int fd)
{
	int nfd;

	if (fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

static int
supervise_metrics_file(const char *path, uid_t uid, gid_t gid, char *why,
    size_t n)
{
	struct stat st;
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0640);
	if (fd < 0) {
		snprintf(why, n, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	fd = supervise_metrics_high(fd);
	/*
	 * Reopening /dev/fd/N (what open(path, "a") does) checks the file's
	 * own permissions, so the job's user owns it, as it owns its logs.
	 */
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    fchown(fd, uid, gid) != 0) {
		snprintf(why, n, "cannot give %s to uid %ld: %s", path,
		    (long)uid, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
supervise_metrics_open(const char *dir, char ***env, uid_t uid, gid_t gid,
    char *why, size_t n)
{
	char *path, **v;
	size_t i;
	int fd;

	path = xasprintf("%s/metrics.jsonl", dir);
	if (*env == NULL || supervise_metrics_find(*env, path) < 0) {
		free(path);
		return -1;
	}
	fd = supervise_metrics_file(path, uid, gid, why, n);
	free(path);
	if (fd < 0)
		return -1;
	v = supervise_metrics_env(*env, fd);
	for (i = 0; (*env)[i] != NULL; i++)
		free((*env)[i]);
	free(*env);
	*env = v;
	return fd;
}
