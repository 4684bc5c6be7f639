/*
 * ssh_config(5) as gpuq's transport reads it (remote/ssh-config.c) and
 * OpenSSH's host patterns (remote/ssh-pattern.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "remote/ssh-config.h"
#include "remote/ssh-pattern.h"

/* Files that Include can find: name, text. */
static const char *const test_files[][2] = {
	{ "/home/u/.ssh/conf.d/a.conf", "Host lab\n  User from-a\n" },
	{ "/home/u/.ssh/conf.d/b.conf",
	    "Host lab\n  User from-b\n"
	    "  Port 2200\n" },
	{ "/home/u/.ssh/loop", "Include loop\nPort 7\n" },
	{ "/home/u/.ssh/inner", "Host other\nUser nobody\n" },
};

struct test_inc {
	int calls;
	char seen[256];
};

static void
test_reader(void *arg, struct ssh_config *c, const struct ssh_config_env *env,
    const char *pattern, int depth, int never)
{
	struct test_inc *ti = arg;
	char path[256];
	size_t i, n = sizeof(test_files) / sizeof(test_files[0]);

	ti->calls++;
	if (pattern[0] == '/')
		snprintf(path, sizeof(path), "%s", pattern);
	else
		snprintf(path, sizeof(path), "/home/u/.ssh/%s", pattern);
	/* A tiny glob: "conf.d/x.conf" patterns end in "*.conf". */
	for (i = 0; i < n; i++) {
		if (strcmp(test_files[i][0], path) != 0 &&
		    !ssh_pattern_match(test_files[i][0], path, strlen(path)))
			continue;
		strncat(ti->seen, never ? "-" : "+",
		    sizeof(ti->seen) - strlen(ti->seen) - 1);
		ssh_config_feed(c, env, test_files[i][0], test_files[i][1],
		    strlen(test_files[i][1]), depth, never);
	}
}

static void
parse(struct ssh_config *c, const char *host, const char *text,
    struct buf *warn, struct test_inc *ti)
{
	struct ssh_config_env env = { 0 };

	env.host = host;
	env.local_user = "alice";
	env.home = "/home/u";
	env.include = ti != NULL ? test_reader : NULL;
	env.arg = ti;
	env.warn = warn;
	ssh_config_init(c);
	ssh_config_feed(c, &env, "cfg", text, strlen(text), 0, 0);
}

static void
finish(struct ssh_config *c, const char *alias)
{
	struct ssh_config_tokens t = { "/home/u", "alice", "laptop", alias,
		1000 };

	ssh_config_finish(c, &t);
}

static void
test_patterns(void **state)
{
	assert_true(ssh_pattern_match("gpu01", "gpu*", 4));
	assert_true(ssh_pattern_match("GPU01", "gpu0?", 5));
	assert_true(ssh_pattern_match("a.b.c", "*.c", 3));
	assert_true(ssh_pattern_match("abcbd", "a*b*d", 5));
	assert_false(ssh_pattern_match("gpu1", "gpu0?", 5));
	assert_false(ssh_pattern_match("gpu", "gpu?", 4));
	assert_true(ssh_pattern_match("", "*", 1));
	assert_int_equal(ssh_pattern_list("gpu01", "login,gpu*", 10, ','), 1);
	assert_int_equal(ssh_pattern_list("gpu01", "gpu*,!gpu01", 11, ','), -1);
	assert_int_equal(ssh_pattern_list("gpu02", "gpu*,!gpu01", 11, ','), 1);
	assert_int_equal(ssh_pattern_list("x", "!gpu01", 6, ','), 0);
	assert_int_equal(ssh_pattern_list("x", "", 0, ','), 0);
}

static void
test_first_value_wins(void **state)
{
	struct ssh_config c;
	struct buf warn;

	buf_init(&warn, 4096);
	parse(&c, "lab",
	    "# comment\n"
	    "Host lab gpu*\n"
	    "  HostName login.lab.example\n"
	    "  User bob\n"
	    "  IdentityFile ~/.ssh/lab_ed25519\n"
	    "Host *\n"
	    "  User nobody\n"
	    "  Port=2222\n"
	    "  IdentityFile \"~/.ssh/with space\"\n"
	    "  IdentityFile ~/.ssh/lab_ed25519\n"
	    "  ConnectTimeout 5 # trailing comment\n"
	    "  ServerAliveInterval 15\n"
	    "  ServerAliveCountMax 2\n"
	    "  ProxyJump bastion,other:23\n"
	    "  UserKnownHostsFile ~/.ssh/kh1 /tmp/kh2\n"
	    "  IdentitiesOnly yes\n"
	    "  StrictHostKeyChecking accept-new\n",
	    &warn, NULL);
	assert_string_equal(c.hostname, "login.lab.example");
	assert_string_equal(c.user, "bob");
	assert_int_equal(c.port, 2222);
	assert_int_equal(c.nids, 2);
	assert_string_equal(c.ids[0], "~/.ssh/lab_ed25519");
	assert_string_equal(c.ids[1], "~/.ssh/with space");
	assert_int_equal(c.connect_timeout, 5);
	assert_int_equal(c.alive_interval, 15);
	assert_int_equal(c.alive_count_max, 2);
	assert_string_equal(c.proxy_jump, "bastion,other:23");
	assert_int_equal(c.nknown, 2);
	assert_string_equal(c.known[1], "/tmp/kh2");
	assert_int_equal(c.identities_only, 1);
	assert_int_equal(c.strict, SSH_STRICT_ACCEPT_NEW);
	assert_int_equal(warn.len, 0);
	finish(&c, "lab");
	assert_string_equal(c.ids[0], "/home/u/.ssh/lab_ed25519");
	assert_string_equal(c.known[0], "/home/u/.ssh/kh1");
	ssh_config_done(&c);
	buf_done(&warn);
}

static void
test_host_negation_and_case(void **state)
{
	struct ssh_config c;

	parse(&c, "GPU07",
	    "Host gpu* !gpu07\n  User one\n"
	    "Host GPU0?\n  User two\n",
	    NULL, NULL);
	assert_string_equal(c.user, "two");
	ssh_config_done(&c);
	parse(&c, "gpu08", "Host gpu* !gpu07\n  User one\n", NULL, NULL);
	assert_string_equal(c.user, "one");
	ssh_config_done(&c);
}

static void
test_match(void **state)
{
	struct ssh_config c;
	struct buf warn;

	buf_init(&warn, 4096);
	parse(&c, "lab",
	    "Host lab\n  HostName login.lab.example\n"
	    "Match host *.lab.example user alice\n  Port 2201\n"
	    "Match originalhost lab !localuser bob\n  User carol\n"
	    "Match exec \"true\"\n  IdentityFile /never\n"
	    "Match all\n  ConnectTimeout 9\n",
	    &warn, NULL);
	assert_int_equal(c.port, 2201);
	assert_string_equal(c.user, "carol");
	assert_int_equal(c.nids, 0);
	assert_int_equal(c.connect_timeout, 9);
	assert_non_null(strstr(warn.data, "cfg:7: Match exec"));
	ssh_config_done(&c);
	buf_done(&warn);
}

static void
test_include(void **state)
{
	struct test_inc ti = { 0 };
	struct ssh_config c;
	struct buf warn;

	buf_init(&warn, 4096);
	/* Lexical order; the first value wins across files. */
	parse(&c, "lab",
	    "Host nothere\n  Include inner\n"
	    "Host *\n  Include conf.d/*.conf\n",
	    &warn, &ti);
	assert_string_equal(c.user, "from-a");
	assert_int_equal(c.port, 2200);
	assert_string_equal(ti.seen, "-++");
	ssh_config_done(&c);
	/* A file that includes itself stops at the depth limit. */
	parse(&c, "lab", "Include loop\n", &warn, &ti);
	assert_int_equal(c.port, 7);
	assert_non_null(strstr(warn.data, "Include nested too deep"));
	ssh_config_done(&c);
	/* Without a reader, Include is reported, not followed. */
	buf_reset(&warn);
	parse(&c, "lab", "Include x\n", &warn, NULL);
	assert_non_null(strstr(warn.data, "not followed"));
	ssh_config_done(&c);
	buf_done(&warn);
}

static void
test_g_output(void **state)
{
	struct ssh_config_env env = { 0 };
	struct ssh_config c;
	const char *g = "host lab\n"
	                "user bob\n"
	                "hostname 127.0.0.1\n"
	                "port 2222\n"
	                "identityfile ~/.ssh/id_rsa\n"
	                "identityfile %d/k_%h\n"
	                "userknownhostsfile /root/.ssh/known_hosts "
	                "/root/.ssh/known_hosts2\n"
	                "connecttimeout none\n"
	                "proxyjump j1,j2:23\n"
	                "serveralivecountmax 3\n"
	                "hashknownhosts yes\n"
	                "forwardagent no\n";

	env.host = "lab";
	env.local_user = "alice";
	env.home = "/home/u";
	env.g_output = 1;
	ssh_config_init(&c);
	ssh_config_feed(&c, &env, "ssh -G", g, strlen(g), 0, 0);
	finish(&c, "lab");
	assert_string_equal(c.hostname, "127.0.0.1");
	assert_string_equal(c.user, "bob");
	assert_int_equal(c.port, 2222);
	assert_int_equal(c.nids, 2);
	assert_string_equal(c.ids[1], "/home/u/k_127.0.0.1");
	assert_int_equal(c.connect_timeout, 10); /* none: gpuq's default */
	assert_string_equal(c.proxy_jump, "j1,j2:23");
	assert_int_equal(c.hash_known_hosts, 1);
	ssh_config_done(&c);
}

static void
test_defaults_and_tokens(void **state)
{
	struct ssh_config c;
	struct buf out;

	parse(&c, "gpu3",
	    "Host gpu*\n  HostName %h.cluster.example\n"
	    "  IdentityAgent ~/agent.sock\n  ProxyCommand none\n",
	    NULL, NULL);
	finish(&c, "gpu3");
	assert_string_equal(c.hostname, "gpu3.cluster.example");
	assert_string_equal(c.user, "alice");
	assert_int_equal(c.port, 22);
	assert_int_equal(c.nids, 4);
	assert_string_equal(c.ids[2], "/home/u/.ssh/id_ed25519");
	assert_string_equal(c.known[0], "/home/u/.ssh/known_hosts");
	assert_string_equal(c.global_known[0], "/etc/ssh/ssh_known_hosts");
	assert_string_equal(c.identity_agent, "/home/u/agent.sock");
	assert_null(c.proxy_command);
	assert_int_equal(c.strict, SSH_STRICT_ASK);
	assert_int_equal(c.alive_count_max, 3);
	buf_init(&out, 4096);
	assert_int_equal(ssh_config_expand(&out, "%r@%h:%p %u %l %n %i %%", &c,
	                     &(struct ssh_config_tokens){ "/h", "alice",
	                         "laptop", "gpu3", 7 }),
	    0);
	assert_string_equal(out.data,
	    "alice@gpu3.cluster.example:22 alice laptop gpu3 7 %");
	buf_reset(&out);
	assert_int_equal(ssh_config_expand(&out, "%C", &c,
	                     &(struct ssh_config_tokens){ "/h", "a", "l", "n",
	                         0 }),
	    GQ_EINVAL);
	buf_done(&out);
	ssh_config_done(&c);
}

static void
test_bad_values(void **state)
{
	struct ssh_config c;
	struct buf warn;
	char text[SSH_CONFIG_MAX_VALUE + 64];
	int i;

	buf_init(&warn, 64 * 1024);
	parse(&c, "h",
	    "Port 0\nPort 70000\nPort x\nPort 22 23\n"
	    "IdentityFile \"unterminated\n"
	    "AddressFamily inet7\n"
	    "CertificateFile ~/.ssh/c\n"
	    "Frobnicate yes\n"
	    "Port 2022\n",
	    &warn, NULL);
	assert_int_equal(c.port, 2022);
	assert_int_equal(c.nids, 0);
	assert_non_null(strstr(warn.data, "cfg:1: bad value for Port"));
	assert_non_null(strstr(warn.data, "cfg:4: bad value for Port"));
	assert_non_null(strstr(warn.data, "cfg:5: IdentityFile: unterminated"));
	assert_non_null(
	    strstr(warn.data, "cfg:6: bad value for AddressFamily"));
	assert_non_null(
	    strstr(warn.data, "cfg:7: gpuq ignores CertificateFile"));
	assert_null(strstr(warn.data, "Frobnicate"));
	ssh_config_done(&c);
	/* Too many IdentityFile lines, a line over the limit. */
	buf_reset(&warn);
	ssh_config_init(&c);
	for (i = 0; i < SSH_CONFIG_MAX_IDS + 3; i++) {
		snprintf(text, sizeof(text), "IdentityFile /k%d\n", i);
		ssh_config_feed(&c,
		    &(struct ssh_config_env){ "h", "a", "/h", 0, NULL, NULL,
		        &warn },
		    "cfg", text, strlen(text), 0, 0);
	}
	assert_int_equal(c.nids, SSH_CONFIG_MAX_IDS);
	assert_non_null(strstr(warn.data, "too many IdentityFile"));
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "User ", 5);
	ssh_config_feed(&c,
	    &(struct ssh_config_env){ "h", "a", "/h", 0, NULL, NULL, &warn },
	    "cfg", text, strlen(text), 0, 0);
	assert_null(c.user);
	assert_non_null(strstr(warn.data, "line too long"));
	ssh_config_done(&c);
	buf_done(&warn);
}

static void
test_target(void **state)
{
	char *user, *host;
	int port;

	assert_int_equal(ssh_config_target("alice@gpu1:2222", &user, &host,
	                     &port),
	    0);
	assert_string_equal(user, "alice");
	assert_string_equal(host, "gpu1");
	assert_int_equal(port, 2222);
	free(user);
	free(host);
	assert_int_equal(ssh_config_target("cluster", &user, &host, &port), 0);
	assert_null(user);
	assert_string_equal(host, "cluster");
	assert_int_equal(port, 0);
	free(host);
	assert_int_equal(ssh_config_target("ssh://a@b@[::1]:22", &user, &host,
	                     &port),
	    0);
	assert_string_equal(user, "a@b");
	assert_string_equal(host, "::1");
	assert_int_equal(port, 22);
	free(user);
	free(host);
	assert_int_equal(ssh_config_target("fe80::1", &user, &host, &port), 0);
	assert_string_equal(host, "fe80::1");
	free(host);
	assert_int_equal(ssh_config_target("h:0", &user, &host, &port),
	    GQ_EINVAL);
	assert_int_equal(ssh_config_target("h:99999", &user, &host, &port),
	    GQ_EINVAL);
	assert_int_equal(ssh_config_target("@h", &user, &host, &port),
	    GQ_EINVAL);
	assert_int_equal(ssh_config_target("-oProxyCommand=x", &user, &host,
	                     &port),
	    GQ_EINVAL);
	assert_int_equal(ssh_config_target("a b", &user, &host, &port),
	    GQ_EINVAL);
	assert_int_equal(ssh_config_target("", &user, &host, &port), GQ_EINVAL);
	assert_int_equal(ssh_config_target("[]:22", &user, &host, &port),
	    GQ_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_first_value_wins),
		cmocka_unit_test(test_host_negation_and_case),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_g_output),
		cmocka_unit_test(test_defaults_and_tokens),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
