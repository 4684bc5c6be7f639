/*
 * Questions from the SSH transport for the command line: on the
 * terminal, or through an askpass program (as ssh(1) does with
 * SSH_ASKPASS), so that scripts and tests can answer too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/base/xmalloc.h"
#include "remote/transport-sync.h"

#define SSH_PROMPT_MAX 4096

/* Strips the line end; returns s. */
static char *
ssh_prompt_chomp(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
	return s;
}

static char *
ssh_prompt_askpass(const char *prog, const char *text)
{
	char buf[SSH_PROMPT_MAX];
	size_t n = 0;
	ssize_t k;
	int p[2], status = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return NULL;
	if ((pid = fork()) == 0) {
		dup2(p[1], STDOUT_FILENO);
		execlp(prog, prog, text, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (pid > 0 && n < sizeof(buf) - 1 &&
	    ((k = read(p[0], buf + n, sizeof(buf) - 1 - n)) > 0 ||
	        (k < 0 && errno == EINTR)))
		n += k > 0 ? (size_t)k : 0;
	close(p[0]);
	buf[n] = '\0';
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explicit_bzero(buf, sizeof(buf));
		return NULL;
	}
	return xstrdup(ssh_prompt_chomp(buf));
}

static char *
ssh_prompt_read(int fd, int echo)
{
	struct termios old, quiet;
	char buf[SSH_PROMPT_MAX], *a;
	size_t n = 0;
	ssize_t k;
	char c;
	int restore = 0;

	if (!echo && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	while ((k = read(fd, &c, 1)) > 0 || (k < 0 && errno == EINTR)) {
		if (k < 0)
			continue;
		if (c == '\n' || c == '\r')
			break;
		if (n < sizeof(buf) - 1)
			buf[n++] = c;
	}
	buf[n] = '\0';
	if (restore) {
		tcsetattr(fd, TCSAFLUSH, &old);
		(void)!write(fd, "\n", 1);
	}
	if (k <= 0 && n == 0)
		return NULL;
	a = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return a;
}

char *
ssh_prompt_tty(const struct transport_ask *q)
{
	const char *askpass = getenv("GPUQ_ASKPASS"), *req;
	char *a;
	int fd;

	if (q->kind == TRANSPORT_ASK_HOSTKEY)
		return NULL;
	if (askpass != NULL && askpass[0] != '\0')
		return ssh_prompt_askpass(askpass, q->text);
	askpass = getenv("SSH_ASKPASS");
	req = getenv("SSH_ASKPASS_REQUIRE");
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (askpass != NULL && askpass[0] != '\0' &&
	    (fd < 0 || (req != NULL && strcmp(req, "force") == 0))) {
		if (fd >= 0)
			close(fd);
		return ssh_prompt_askpass(askpass, q->text);
	}
	if (fd < 0)
		return NULL;
	(void)!write(fd, q->text, strlen(q->text));
	(void)!write(fd, " ", 1);
	a = ssh_prompt_read(fd, q->kind == TRANSPORT_ASK_TEXT);
	close(fd);
	return a;
}
