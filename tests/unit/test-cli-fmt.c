/*
 * The gpuq client's pure formatting (tui/fmt.c) and where it looks for
 * the daemon's socket (remote/sockpath.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/sockpath.h"
#include "tui/cli.h"
#include "tui/fmt.h"

static void
test_width(void **state)
{
	assert_int_equal(fmt_width(""), 0);
	assert_int_equal(fmt_width("abc"), 3);
	assert_int_equal(fmt_width("\xc3\xa9t\xc3\xa9"), 3);        /* été */
	assert_int_equal(fmt_width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* 日本 */
	assert_int_equal(fmt_width("e\xcc\x81"), 1);        /* e + U+0301 */
	assert_int_equal(fmt_width("\xf0\x9f\x9a\x80"), 2); /* U+1F680 */
	assert_int_equal(fmt_width("a\xffz"), 3);           /* invalid byte */
	assert_int_equal(fmt_width("a\tb"), 3);
}

static void
test_cell_ascii(void **state)
{
	char out[64];

	assert_string_equal(fmt_cell("hello", 5, out, sizeof(out)), "hello");
	assert_string_equal(fmt_cell("hello world", 5, out, sizeof(out)),
	    "hell\xe2\x80\xa6");
	assert_string_equal(fmt_cell("hello", 1, out, sizeof(out)),
	    "\xe2\x80\xa6");
	assert_string_equal(fmt_cell("hello", 0, out, sizeof(out)), "hello");
	assert_string_equal(fmt_cell("", 4, out, sizeof(out)), "");
}

static void
test_cell_utf8(void **state)
{
	char out[64];

	/* Two-byte letters: cut at a character, never inside one. */
	assert_string_equal(fmt_cell("\xce\xb1\xce\xb2\xce\xb3\xce\xb4", 3, out,
	                        sizeof(out)),
	    "\xce\xb1\xce\xb2\xe2\x80\xa6");
	/* Wide characters: 日本語テ in 5 columns is 日本… (2+2+1). */
	assert_string_equal(fmt_cell("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
	                             "\xe3\x83\x86",
	                        5, out, sizeof(out)),
	    "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	/* In 4 columns the second wide char no longer fits: 日… (3). */
	assert_string_equal(fmt_cell("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4,
	                        out, sizeof(out)),
	    "\xe6\x97\xa5\xe2\x80\xa6");
	assert_int_equal(fmt_width(out), 3);
	/* Exactly fitting text is kept whole. */
	assert_string_equal(fmt_cell("\xe6\x97\xa5\xe6\x9c\xac", 4, out,
	                        sizeof(out)),
	    "\xe6\x97\xa5\xe6\x9c\xac");
}

static void
test_cell_bytes(void **state)
{
	char out[8];

	/* ééééé is 10 bytes; 8 bytes of room hold éé… and the NUL. */
	assert_string_equal(fmt_cell("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	                        0, out, sizeof(out)),
	    "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	assert_string_equal(fmt_cell("abcdefg", 0, out, sizeof(out)),
	    "abcdefg");
	assert_string_equal(fmt_cell("abcdefgh", 0, out, sizeof(out)),
	    "abcd\xe2\x80\xa6");
}

static void
test_cell_unsafe(void **state)
{
	char out[64];
	struct buf b;

	assert_string_equal(fmt_cell("a\x1b[31mb", 0, out, sizeof(out)),
	    "a?[31mb");
	assert_string_equal(fmt_cell("x\ny\r", 0, out, sizeof(out)), "x?y?");
	/* U+009B (a one-character CSI) and an invalid byte. */
	assert_string_equal(fmt_cell("\xc2\x9b"
	                             "2J\xff",
	                        0, out, sizeof(out)),
	    "?2J?");
	buf_init(&b, 64);
	assert_int_equal(fmt_safe(&b, "ok\x07!"), 0);
	assert_string_equal(b.data, "ok?!");
	buf_done(&b);
}

static void
test_job_gpus(void **state)
{
	char out[32];
	json_t *r;

	r = json_pack("{s:i}", "gpus", 2);
	assert_string_equal(fmt_job_gpus(r, out, sizeof(out)), "2");
	json_decref(r);
	r = json_pack("{s:f}", "gpus", 0.5);
	assert_string_equal(fmt_job_gpus(r, out, sizeof(out)), "0.5");
	json_decref(r);
	r = json_pack("{s:f}", "gpus", 0.333);
	assert_string_equal(fmt_job_gpus(r, out, sizeof(out)), "0.333");
	json_decref(r);
	r = json_pack("{s:i,s:i}", "gpus", 0, "gpu_mem_mb", 20480);
	assert_string_equal(fmt_job_gpus(r, out, sizeof(out)), "20G");
	json_decref(r);
	r = json_pack("{s:i,s:i}", "gpus", 0, "gpu_mem_mb", 0);
	assert_string_equal(fmt_job_gpus(r, out, sizeof(out)), "0");
	json_decref(r);
	assert_string_equal(fmt_job_gpus(NULL, out, sizeof(out)), "0");
}

static void
test_milli(void **state)
{
	json_t *v;

	v = json_real(0.1);
	assert_int_equal(fmt_milli(v), 100);
	json_decref(v);
	v = json_real(0.7); /* 0.7 * 1000 is 699.999... in binary */
	assert_int_equal(fmt_milli(v), 700);
	json_decref(v);
	v = json_integer(4);
	assert_int_equal(fmt_milli(v), 4000);
	json_decref(v);
	v = json_real(-1);
	assert_int_equal(fmt_milli(v), 0);
	json_decref(v);
	assert_int_equal(fmt_milli(NULL), 0);
}

static json_t *
job_times(const char *state, int submit, int start, int end)
{
	return json_pack("{s:s,s:i,s:i,s:i}", "state", state, "submit_time",
	    submit, "start_time", start, "end_time", end);
}

static void
test_job_time(void **state)
{
	char out[32];
	json_t *j;

	j = job_times("PENDING", 1000, 0, 0);
	assert_string_equal(fmt_job_time(j, 1090, out, sizeof(out)), "1m30s");
	json_decref(j);
	j = job_times("RUNNING", 900, 1000, 0);
	assert_string_equal(fmt_job_time(j, 4600, out, sizeof(out)), "1h00m");
	json_decref(j);
	j = job_times("COMPLETED", 900, 1000, 1005);
	assert_string_equal(fmt_job_time(j, 99999, out, sizeof(out)), "5s");
	json_decref(j);
	j = job_times("FAILED", 900, 1000, 1000 + 2 * 86400 + 3 * 3600);
	assert_string_equal(fmt_job_time(j, 99999, out, sizeof(out)), "2d3h");
	json_decref(j);
	j = job_times("CANCELLED", 900, 0, 1000);
	assert_string_equal(fmt_job_time(j, 99999, out, sizeof(out)), "-");
	json_decref(j);
	/* A clock that went backwards never prints a negative age. */
	j = job_times("PENDING", 1000, 0, 0);
	assert_string_equal(fmt_job_time(j, 990, out, sizeof(out)), "0s");
	json_decref(j);
}

static void
test_job_where(void **state)
{
	char out[FMT_CELL_MAX];
	json_t *j;

	j = json_pack("{s:s,s:{s:s,s:[{s:i},{s:i}]}}", "state", "RUNNING",
	    "alloc", "node", "gpu01", "gpus", "index", 0, "index", 1);
	assert_string_equal(fmt_job_where(j, out, sizeof(out)), "gpu01:0,1");
	json_decref(j);
	j = json_pack("{s:s,s:{s:s,s:i}}", "state", "PENDING", "wait", "reason",
	    "RESOURCES", "position", 3);
	assert_string_equal(fmt_job_where(j, out, sizeof(out)), "RESOURCES #3");
	json_decref(j);
	j = json_pack("{s:s,s:n}", "state", "PENDING", "wait");
	assert_string_equal(fmt_job_where(j, out, sizeof(out)), "");
	json_decref(j);
	j = json_pack("{s:s,s:n,s:i,s:n}", "state", "FAILED", "reason",
	    "exit_code", 3, "exit_signal");
	assert_string_equal(fmt_job_where(j, out, sizeof(out)), "exit 3");
	json_decref(j);
	j = json_pack("{s:s,s:n,s:n,s:i}", "state", "FAILED", "reason",
	    "exit_code", "exit_signal", 9);
	assert_string_equal(fmt_job_where(j, out, sizeof(out)), "signal KILL");
	json_decref(j);
	j = json_pack("{s:s,s:s}", "state", "CANCELLED", "reason",
	    "cancelled by alice");
	assert_string_equal(fmt_job_where(j, out, sizeof(out)),
	    "cancelled by alice");
	json_decref(j);
}

static void
test_state_parse(void **state)
{
	assert_string_equal(fmt_state_parse("running"), "RUNNING");
	assert_string_equal(fmt_state_parse("Pending"), "PENDING");
	assert_string_equal(fmt_state_parse("TIMEOUT"), "TIMEOUT");
	assert_null(fmt_state_parse("run"));
	assert_null(fmt_state_parse(""));
}

static void
test_bar(void **state)
{
	char out[32];

	assert_string_equal(fmt_bar(0.5, 10, out, sizeof(out)), "[#####.....]");
	assert_string_equal(fmt_bar(0, 10, out, sizeof(out)), "[..........]");
	assert_string_equal(fmt_bar(1, 10, out, sizeof(out)), "[##########]");
	assert_string_equal(fmt_bar(0.01, 10, out, sizeof(out)),
	    "[#.........]");
	assert_string_equal(fmt_bar(0.99, 10, out, sizeof(out)),
	    "[#########.]");
	assert_string_equal(fmt_bar(7, 4, out, sizeof(out)), "[####]");
	assert_string_equal(fmt_bar(0.5, 10, out, 6), "[####");
}

static void
test_err_text(void **state)
{
	assert_string_equal(fmt_err_text(GQ_ENOENT), "not found");
	assert_string_equal(fmt_err_text(GQ_EPERM), "permission denied");
	assert_string_equal(fmt_err_text(GQ_EINVAL), "invalid argument");
}

static void
quote_is(const char *arg, const char *want)
{
	struct buf b;

	buf_init(&b, 1024);
	assert_int_equal(fmt_shell_quote(&b, arg), 0);
	assert_string_equal(b.data, want);
	buf_done(&b);
}

static void
test_shell_quote(void **state)
{
	quote_is("train.py", "train.py");
	quote_is("--lr=3e-4", "--lr=3e-4");
	quote_is("a b", "'a b'");
	quote_is("", "''");
	quote_is("it's", "'it'\\''s'");
	quote_is("$HOME;rm -rf /", "'$HOME;rm -rf /'");
	quote_is("*.py", "'*.py'");
	quote_is("\xc3\xa9t\xc3\xa9", "'\xc3\xa9t\xc3\xa9'");
	quote_is("a\nb", "$'a\\nb'");
	quote_is("\x1b[2J'x\\", "$'\\u001b[2J\\'x\\\\'");
	quote_is("\xff", "$'\\xff'");
}

static void
test_argv(void **state)
{
	json_t *argv;
	struct buf b;

	argv = json_pack("[s,s,s,s]", "python", "train.py", "--name", "my run");
	buf_init(&b, 1024);
	assert_int_equal(fmt_argv(&b, argv), 0);
	assert_string_equal(b.data, "python train.py --name 'my run'");
	buf_done(&b);
	/* The bound holds: a too-long command line fails, it is not cut. */
	buf_init(&b, 10);
	assert_int_equal(fmt_argv(&b, argv), GQ_ETOOBIG);
	buf_done(&b);
	json_decref(argv);
}

static void
test_table(void **state)
{
	static const char *const head[] = { "ID", "NAME", "WHY" };
	static const char *const r1[] = { "7", "short", "RESOURCES #1" };
	static const char *const r2[] = { "12",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9",
		"" };
	struct fmt_table t;
	struct buf b;

	fmt_table_init(&t, 3, head);
	fmt_table_column(&t, 0, 0, 1);
	fmt_table_column(&t, 1, 6, 0);
	fmt_table_add(&t, r1);
	fmt_table_add(&t, r2);
	buf_init(&b, 4096);
	assert_int_equal(fmt_table_render(&t, &b), 0);
	assert_string_equal(b.data,
	    "ID  NAME   WHY\n"
	    " 7  short  RESOURCES #1\n"
	    "12  \xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6\n");
	buf_done(&b);
	/* Bounded: a table larger than the buffer's maximum fails. */
	buf_init(&b, 20);
	assert_int_equal(fmt_table_render(&t, &b), GQ_ETOOBIG);
	buf_done(&b);
	fmt_table_done(&t);
}

/* A job gpuq runs that Slurm has not started says so (docs/slurm.md). */
static void
test_slurm_wait(void **state)
{
	static const char *const cases[][2] = {
		{ "{\"state\":\"RUNNING\",\"slurm\":{\"id\":7,"
		  "\"state\":\"PENDING\",\"reason\":\"Resources\"}}",
		    "in Slurm: PENDING (Resources)" },
		{ "{\"state\":\"RUNNING\",\"slurm\":{\"id\":7,"
		  "\"state\":\"PENDING\",\"reason\":null}}",
		    "in Slurm: PENDING" },
		{ "{\"state\":\"RUNNING\",\"slurm\":{\"id\":7,"
		  "\"state\":\"CONFIGURING\",\"reason\":\"None\"}}",
		    "in Slurm: CONFIGURING" },
		{ "{\"state\":\"RUNNING\",\"slurm\":{\"id\":0,"
		  "\"state\":null,\"reason\":null}}",
		    "in Slurm: not yet (being submitted)" },
		/* Started in Slurm, not known yet, or not gpuq's RUNNING. */
		{ "{\"state\":\"RUNNING\",\"slurm\":{\"id\":7,"
		  "\"state\":\"RUNNING\",\"reason\":null}}",
		    NULL },
		{ "{\"state\":\"RUNNING\",\"slurm\":{\"id\":7,"
		  "\"state\":null,\"reason\":null}}",
		    NULL },
		{ "{\"state\":\"SUSPENDED\",\"slurm\":{\"id\":7,"
		  "\"state\":\"PENDING\",\"reason\":null}}",
		    NULL },
		{ "{\"state\":\"RUNNING\"}", NULL },
	};
	char out[64];
	json_t *job;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		job = json_loads(cases[i][0], 0, NULL);
		assert_non_null(job);
		snprintf(out, sizeof(out), "unchanged");
		assert_int_equal(cli_ls_slurm_wait(job, out, sizeof(out)),
		    cases[i][1] != NULL);
		assert_string_equal(out,
		    cases[i][1] != NULL ? cases[i][1] : "unchanged");
		json_decref(job);
	}
	/* Bounded by its buffer. */
	job = json_loads(cases[0][0], 0, NULL);
	assert_int_equal(cli_ls_slurm_wait(job, out, 10), 1);
	assert_string_equal(out, "in Slurm:");
	json_decref(job);
}

static void
test_sockpath(void **state)
{
	char *p, want[64];

	unsetenv("GPUQ_SOCKET");
	setenv("XDG_RUNTIME_DIR", "/nonexistent-gpuq-test", 1);
	p = sockpath_personal();
	assert_string_equal(p, "/nonexistent-gpuq-test/gpuq/gpuqd.sock");
	free(p);
	p = sockpath_default();
	/* Neither socket exists here, unless a system daemon runs. */
	if (access(SOCKPATH_SYSTEM, F_OK) != 0)
		assert_string_equal(p,
		    "/nonexistent-gpuq-test/gpuq/gpuqd.sock");
	free(p);
	setenv("GPUQ_SOCKET", "/tmp/x.sock", 1);
	p = sockpath_default();
	assert_string_equal(p, "/tmp/x.sock");
	free(p);
	unsetenv("GPUQ_SOCKET");
	unsetenv("XDG_RUNTIME_DIR");
	snprintf(want, sizeof(want), "/tmp/gpuq-%u/gpuqd.sock",
	    (unsigned)getuid());
	p = sockpath_personal();
	assert_string_equal(p, want);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_cell_ascii),
		cmocka_unit_test(test_cell_utf8),
		cmocka_unit_test(test_cell_bytes),
		cmocka_unit_test(test_cell_unsafe),
		cmocka_unit_test(test_job_gpus),
		cmocka_unit_test(test_milli),
		cmocka_unit_test(test_job_time),
		cmocka_unit_test(test_job_where),
		cmocka_unit_test(test_state_parse),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_err_text),
		cmocka_unit_test(test_shell_quote),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_slurm_wait),
		cmocka_unit_test(test_sockpath),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
