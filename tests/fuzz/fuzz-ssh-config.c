/*
 * libFuzzer target for the ssh_config parser (remote/ssh-config.c) and
 * the [user@]host[:port] parser: any bytes as a config file (the first
 * byte chooses `ssh -G` output or a file with Host, Match and Include;
 * an Include reads the same bytes again, to the depth limit).  The result
 * must stay within its bounds, and finishing it must not fail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "remote/ssh-config.h"
#include "remote/ssh-pattern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(x)                                                         \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

struct fuzz_ssh_config {
	const char *text;
	size_t len;
	int includes;
};

static void
fuzz_ssh_config_include(void *arg, struct ssh_config *c,
    const struct ssh_config_env *env, const char *pattern, int depth, int never)
{
	struct fuzz_ssh_config *f = arg;

	FUZZ_ASSERT(depth <= SSH_CONFIG_MAX_DEPTH);
	/* Fan-out is bounded too: a few files per Include. */
	if (++f->includes > 64)
		return;
	ssh_config_feed(c, env, pattern, f->text, f->len, depth, never);
}

static void
fuzz_ssh_config_check(struct ssh_config *c)
{
	struct ssh_config_tokens t = { "/home/u", "alice", "laptop", "h", 1 };
	size_t i;

	FUZZ_ASSERT(c->nids <= SSH_CONFIG_MAX_IDS);
	FUZZ_ASSERT(c->nknown <= SSH_CONFIG_MAX_FILES);
	FUZZ_ASSERT(c->nglobal_known <= SSH_CONFIG_MAX_FILES);
	FUZZ_ASSERT(c->port == -1 || (c->port >= 1 && c->port <= 65535));
	ssh_config_finish(c, &t);
	FUZZ_ASSERT(c->hostname != NULL && c->user != NULL);
	FUZZ_ASSERT(c->port >= 1 && c->port <= 65535);
	FUZZ_ASSERT(c->connect_timeout > 0);
	FUZZ_ASSERT(c->nids > 0 && c->nknown > 0);
	for (i = 0; i < c->nids; i++)
		FUZZ_ASSERT(c->ids[i] != NULL);
}

static void
fuzz_ssh_config_target(const uint8_t *data, size_t size)
{
	char s[256], *user = NULL, *host = NULL;
	size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
	int port = -1;

	memcpy(s, data, n);
	s[n] = '\0';
	if (ssh_config_target(s, &user, &host, &port) == 0) {
		FUZZ_ASSERT(host != NULL && host[0] != '\0');
		FUZZ_ASSERT(port >= 0 && port <= 65535);
	}
	free(user);
	free(host);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ssh_config f = { 0 };
	struct ssh_config_env env = { 0 };
	struct ssh_config c;
	struct buf warn;

	if (size == 0)
		return 0;
	fuzz_ssh_config_target(data + 1, size - 1);
	f.text = (const char *)data + 1;
	f.len = size - 1;
	buf_init(&warn, 1024 * 1024);
	env.host = "gpu01";
	env.local_user = "alice";
	env.home = "/home/u";
	env.g_output = data[0] & 1;
	env.include = fuzz_ssh_config_include;
	env.arg = &f;
	env.warn = &warn;
	ssh_config_init(&c);
	ssh_config_feed(&c, &env, "fuzz", f.text, f.len, 0, 0);
	fuzz_ssh_config_check(&c);
	ssh_config_done(&c);
	buf_done(&warn);
	return 0;
}
