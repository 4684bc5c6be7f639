/*
 * loadgen: many clients submitting jobs at once.
 *
 *   loadgen -S SOCK -c CLIENTS -n SUBMITS [-o ACKED] [-k PREFIX]
 *           [--cmd 'SHELL COMMAND'] [--gpus G] [--cpus C] [--mem-mb M]
 *
 * Forks CLIENTS processes; each connects, waits for the others, then
 * submits SUBMITS jobs one after another, each with the key (and name)
 * PREFIX "c" CLIENT "-" I.  Every acknowledged job is appended to ACKED as
 * "ID KEY" the moment its reply arrives.  A client whose daemon goes away
 * stops; what it had acknowledged stays counted.  Prints the totals and
 * submits per second.  Exit 0 when every submit was acknowledged, 1 when
 * some were refused or lost, 3 on a setup failure.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tests/integration/itest.h"

struct loadgen {
	const char *sock;
	const char *prefix;
	int clients;
	int n;
	int ackfd;
	struct itest_jobspec spec;
	int ready[2], go[2];
};

/* What each client reports, in shared memory. */
struct loadgen_count {
	long acked, refused, lost;
	int connected;
};

static void
loadgen_usage(void)
{
	fprintf(stderr,
	    "usage: loadgen -S SOCK -c CLIENTS -n SUBMITS [-o ACKED] "
	    "[-k PREFIX]\n"
	    "               [--cmd CMD] [--gpus G] [--cpus C] [--mem-mb M]\n");
	exit(2);
}

static void
loadgen_ack(struct loadgen *lg, json_t *res, const char *key)
{
	json_t *id = json_object_get(json_object_get(res, "job"), "id");
	char line[200];
	int len;

	if (lg->ackfd < 0)
		return;
	len = snprintf(line, sizeof(line), "%lld %s\n",
	    (long long)json_integer_value(id), key);
	/* One write() on an O_APPEND file: lines never interleave. */
	if (write(lg->ackfd, line, (size_t)len) != len)
		itest_die("loadgen: cannot write the ack file");
}

static void
loadgen_submit_all(struct loadgen *lg, struct client *c, int me,
    struct loadgen_count *cnt)
{
	char key[129], *cause;
	json_t *res;
	int i, rc;

	for (i = 0; i < lg->n; i++) {
		snprintf(key, sizeof(key), "%sc%d-%d", lg->prefix, me, i);
		rc = client_call(c, "job.submit",
		    itest_submit_params(&lg->spec, key), &res, &cause);
		if (rc == 0) {
			loadgen_ack(lg, res, key);
			cnt->acked++;
			json_decref(res);
		} else if (rc == GQ_ECONN) {
			cnt->lost = lg->n - i;
			free(cause);
			return;
		} else {
			if (cnt->refused++ == 0)
				fprintf(stderr, "loadgen: %s refused: %s: %s\n",
				    key, gq_err_name(rc), cause ? cause : "");
			free(cause);
		}
	}
}

static void __attribute__((noreturn))
loadgen_client(struct loadgen *lg, int me, struct loadgen_count *cnt)
{
	struct client *c;
	char b;

	close(lg->ready[0]);
	close(lg->go[1]);
	c = itest_connect(lg->sock, 10000);
	cnt->connected = c != NULL;
	if (write(lg->ready[1], "r", 1) != 1)
		_exit(3);
	/* The parent closes its end of go once everyone is ready. */
	while (read(lg->go[0], &b, 1) > 0)
		;
	if (c != NULL)
		loadgen_submit_all(lg, c, me, cnt);
	else
		cnt->lost = lg->n;
	client_free(c);
	_exit(0);
}

/* Returns the ack file's path, or NULL. */
static const char *
loadgen_parse(struct loadgen *lg, int argc, char **argv)
{
	static const struct option longs[] = { { "cmd", 1, NULL, 'C' },
		{ "gpus", 1, NULL, 'g' }, { "cpus", 1, NULL, 'p' },
		{ "mem-mb", 1, NULL, 'm' }, { NULL, 0, NULL, 0 } };
	const char *ack = NULL;
	int ch;

	while (
	    (ch = getopt_long(argc, argv, "S:c:n:o:k:", longs, NULL)) != -1) {
		switch (ch) {
		case 'S':
			lg->sock = optarg;
			break;
		case 'c':
			lg->clients = atoi(optarg);
			break;
		case 'n':
			lg->n = atoi(optarg);
			break;
		case 'o':
			ack = optarg;
			break;
		case 'k':
			lg->prefix = optarg;
			break;
		case 'C':
			lg->spec.cmd = optarg;
			break;
		case 'g':
			lg->spec.gpus = atof(optarg);
			break;
		case 'p':
			lg->spec.cpus = atof(optarg);
			break;
		case 'm':
			lg->spec.mem_mb = atoll(optarg);
			break;
		default:
			loadgen_usage();
		}
	}
	if (lg->sock == NULL || lg->clients < 1 || lg->n < 0 || optind < argc)
		loadgen_usage();
	return ack;
}

/* Starts the clients; returns when all are connected (or failed). */
static void
loadgen_start(struct loadgen *lg, struct loadgen_count *cnt, pid_t *pids)
{
	char b;
	int i;

	if (pipe(lg->ready) != 0 || pipe(lg->go) != 0)
		itest_die("loadgen: pipe");
	for (i = 0; i < lg->clients; i++) {
		if ((pids[i] = fork()) < 0)
			itest_die("loadgen: fork");
		if (pids[i] == 0)
			loadgen_client(lg, i, &cnt[i]);
	}
	close(lg->ready[1]);
	close(lg->go[0]);
	for (i = 0; i < lg->clients; i++)
		if (read(lg->ready[0], &b, 1) != 1)
			break;
	close(lg->ready[0]);
}

static int
loadgen_report(struct loadgen *lg, struct loadgen_count *cnt, int64_t ms)
{
	long acked = 0, refused = 0, lost = 0;
	int i, conn = 0;

	for (i = 0; i < lg->clients; i++) {
		acked += cnt[i].acked;
		refused += cnt[i].refused;
		lost += cnt[i].lost;
		conn += cnt[i].connected;
	}
	printf("loadgen: %d clients (%d connected), %ld acked, %ld refused, "
	       "%ld lost, %.3f s, %.1f submits/s\n",
	    lg->clients, conn, acked, refused, lost, (double)ms / 1000.0,
	    ms > 0 ? (double)acked * 1000.0 / (double)ms : 0.0);
	return acked == (long)lg->clients * lg->n ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct loadgen lg = { .prefix = "", .ackfd = -1 };
	struct loadgen_count *cnt;
	const char *ack;
	int64_t t0;
	pid_t *pids;
	int i;

	signal(SIGPIPE, SIG_IGN);
	ack = loadgen_parse(&lg, argc, argv);
	if (ack != NULL &&
	    (lg.ackfd = open(ack, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	         0644)) < 0)
		itest_die("loadgen: cannot open %s", ack);
	cnt = mmap(NULL, sizeof(*cnt) * (size_t)lg.clients,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cnt == MAP_FAILED)
		itest_die("loadgen: mmap");
	memset(cnt, 0, sizeof(*cnt) * (size_t)lg.clients);
	pids = xcalloc((size_t)lg.clients, sizeof(*pids));
	loadgen_start(&lg, cnt, pids);
	t0 = itest_now_ms();
	close(lg.go[1]);
	for (i = 0; i < lg.clients; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
	return loadgen_report(&lg, cnt, itest_now_ms() - t0);
}
