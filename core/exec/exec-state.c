#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-state.h"

char *
exec_state_job_dir(const char *state_dir, int64_t job_id)
{
	return xasprintf("%s/jobs/%" PRId64, state_dir, job_id);
}

char *
exec_state_path(const char *dir, const char *name, int32_t attempt,
    const char *suffix)
{
	return xasprintf("%s/%s-%" PRId32 "%s", dir, name, attempt, suffix);
}

static int
exec_state_mkdir(const char *path, mode_t mode, char *cause, size_t n)
{
	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	snprintf(cause, n, "cannot create %s: %s", path, strerror(errno));
	return GQ_EIO;
}

int
exec_state_mkdirs(const char *state_dir, int64_t job_id, char *cause, size_t n)
{
	char *jobs, *dir;
	int rc;

	jobs = xasprintf("%s/jobs", state_dir);
	dir = exec_state_job_dir(state_dir, job_id);
	rc = exec_state_mkdir(state_dir, 0700, cause, n);
	if (rc == 0)
		rc = exec_state_mkdir(jobs, 0700, cause, n);
	if (rc == 0)
		rc = exec_state_mkdir(dir, 0755, cause, n);
	free(jobs);
	free(dir);
	return rc;
}

int
exec_state_proc(pid_t pid, uint64_t *start, char *state)
{
	char path[64], line[1024], *p;
	ssize_t len;
	int fd, i;

	if (pid <= 0)
		return GQ_ENOENT;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return GQ_ENOENT;
	len = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (len <= 0)
		return GQ_ENOENT;
	line[len] = '\0';
	/* The command name may hold spaces and parentheses: skip past it. */
	if ((p = strrchr(line, ')')) == NULL || p[1] != ' ')
		return GQ_ENOENT;
	p += 2;
	*state = *p;
	/* p is at field 3; walk to field 22. */
	for (i = 3; i < 22 && p != NULL; i++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL)
		return GQ_ENOENT;
	*start = strtoull(p, NULL, 10);
	return 0;
}

int
exec_state_alive(pid_t pid, uint64_t start)
{
	uint64_t now_start;
	char state;

	if (exec_state_proc(pid, &now_start, &state) != 0)
		return 0;
	if (state == 'Z' || state == 'X' || state == 'x')
		return 0;
	return now_start == start;
}

static int
exec_state_write_file(const char *path, const char *data, size_t len,
    mode_t mode)
{
	ssize_t w;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    mode);
	if (fd < 0)
		return GQ_EIO;
	while (len > 0 && rc == 0) {
		w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = GQ_EIO;
		else {
			data += w;
			len -= (size_t)w;
		}
	}
	if (rc == 0 && fsync(fd) != 0)
		rc = GQ_EIO;
	if (close(fd) != 0 && rc == 0)
		rc = GQ_EIO;
	return rc;
}

static int
exec_state_sync_dir(const char *dir)
{
	int fd, rc = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return GQ_EIO;
	if (fsync(fd) != 0)
		rc = GQ_EIO;
	close(fd);
	return rc;
}

static char *
exec_state_tmp(const char *dir, const char *name, int32_t attempt)
{
	return xasprintf("%s/.%s-%" PRId32 ".%ld.tmp", dir, name, attempt,
	    (long)getpid());
}

int
exec_state_claim(const char *dir, int32_t attempt, const char *text)
{
	char *tmp, *path;
	int rc;

	tmp = exec_state_tmp(dir, "claim", attempt);
	path = exec_state_path(dir, "claim", attempt, "");
	rc = exec_state_write_file(tmp, text, strlen(text), 0644);
	if (rc == 0 && link(tmp, path) != 0)
		rc = errno == EEXIST ? GQ_EEXIST : GQ_EIO;
	if (rc == 0)
		rc = exec_state_sync_dir(dir);
	unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

static int
exec_state_claim_parse(const char *text, struct exec_claim *c)
{
	unsigned long long start;
	long pid;
	char end;

	if (strncmp(text, EXEC_STATE_RESCINDED, strlen(EXEC_STATE_RESCINDED)) ==
	    0) {
		c->kind = EXEC_CLAIM_RESCINDED;
		return 0;
	}
	if (sscanf(text, "%ld %llu%c", &pid, &start, &end) != 3 ||
	    end != '\n' || pid <= 0)
		return GQ_EIO;
	c->kind = EXEC_CLAIM_HELD;
	c->pid = (pid_t)pid;
	c->start = start;
	return 0;
}

int
exec_state_claim_read(const char *dir, int32_t attempt, struct exec_claim *c)
{
	char *path, text[128];
	ssize_t len;
	int fd;

	memset(c, 0, sizeof(*c));
	path = exec_state_path(dir, "claim", attempt, "");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd < 0)
		return errno == ENOENT ? 0 : GQ_EIO;
	len = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (len <= 0)
		return GQ_EIO;
	text[len] = '\0';
	return exec_state_claim_parse(text, c);
}

int
exec_state_json_write(const char *path, json_t *v, mode_t mode)
{
	char *text, *tmp, *dir, *slash;
	int rc;

	text = json_dumps(v, JSON_COMPACT);
	if (text == NULL)
		return GQ_EINTERNAL;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	rc = exec_state_write_file(tmp, text, strlen(text), mode);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = GQ_EIO;
	if (rc == 0 && slash != NULL)
		rc = exec_state_sync_dir(dir);
	if (rc != 0)
		unlink(tmp);
	free(text);
	free(tmp);
	free(dir);
	return rc;
}

int
exec_state_result_read(const char *dir, int32_t attempt,
    struct exec_result *res)
{
	json_t *v;
	char *path;
	const char *reason = "";
	json_int_t end_time;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	path = exec_state_path(dir, "result", attempt, ".json");
	if (access(path, F_OK) != 0) {
		free(path);
		return errno == ENOENT ? GQ_ENOENT : GQ_EIO;
	}
	v = json_load_file(path, 0, NULL);
	free(path);
	if (v == NULL ||
	    json_unpack(v, "{s:i, s:i, s:I, s?s}", "exit_code", &res->exit_code,
	        "exit_signal", &res->exit_signal, "end_time", &end_time,
	        "reason", &reason) != 0)
		rc = GQ_EIO;
	else {
		res->ended = 1;
		res->end_time = end_time;
		snprintf(res->reason, sizeof(res->reason), "%s", reason);
	}
	json_decref(v);
	return rc;
}

int
exec_state_result_write(const char *dir, int32_t attempt,
    const struct exec_result *res)
{
	json_t *v;
	char *path;
	int rc;

	v = json_pack("{s:i, s:i, s:i, s:I, s:s}", "attempt", (int)attempt,
	    "exit_code", res->exit_code, "exit_signal", res->exit_signal,
	    "end_time", (json_int_t)res->end_time, "reason", res->reason);
	if (v == NULL)
		return GQ_EINTERNAL;
	path = exec_state_path(dir, "result", attempt, ".json");
	rc = exec_state_json_write(path, v, 0644);
	free(path);
	json_decref(v);
	return rc;
}

void
exec_state_result_lost(struct exec_result *res, int64_t now, const char *reason)
{
	memset(res, 0, sizeof(*res));
	res->ended = 1;
	res->exit_code = -1;
	res->exit_signal = 0;
	res->end_time = now;
	snprintf(res->reason, sizeof(res->reason), "%s", reason);
}
