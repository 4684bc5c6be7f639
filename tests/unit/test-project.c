#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/project.h"

static int
parse(struct projects *p, const char *line, char *cause, size_t n)
{
	char kw[32];
	const char *sp = strchr(line, ' ');

	snprintf(kw, sizeof(kw), "%.*s", (int)(sp - line), line);
	return project_parse_line(p, kw, sp + 1, 7, cause, n);
}

static void
must_parse(struct projects *p, const char *line)
{
	char cause[256] = "";

	if (parse(p, line, cause, sizeof(cause)) != 0)
		fail_msg("%s: %s", line, cause);
}

static void
test_parse(void **state)
{
	struct projects p;

	project_init(&p);
	must_parse(&p, "department research deserved=8 limit=16");
	must_parse(&p,
	    "project vision deserved=4 limit=8 weight=2 "
	    "department=research default-time=4h");
	must_parse(&p, "project nlp deserved=0.5");
	must_parse(&p, "user alice project=vision weight=3");
	must_parse(&p,
	    "policy-param half-life=2d min-runtime=5m reservations=2 "
	    "preempt=off class-order=train,inference,interactive");
	assert_int_equal(p.ndepts, 1);
	assert_int_equal(p.depts[0].deserved_milli, 8000);
	assert_int_equal(p.depts[0].limit_milli, 16000);
	assert_int_equal(p.nlist, 2);
	assert_int_equal(p.list[0].deserved_milli, 4000);
	assert_int_equal(p.list[0].limit_milli, 8000);
	assert_true(p.list[0].weight == 2.0);
	assert_int_equal(p.list[0].default_time_s, 4 * 3600);
	assert_string_equal(p.list[0].department, "research");
	assert_int_equal(p.list[0].line, 7);
	assert_int_equal(p.list[1].deserved_milli, 500);
	assert_int_equal(p.list[1].limit_milli, PROJECT_NO_LIMIT);
	assert_true(p.users[0].weight == 3.0);
	assert_int_equal(p.params.half_life_s, 2 * 86400);
	assert_int_equal(p.params.min_runtime_s, 300);
	assert_int_equal(p.params.reservations, 2);
	assert_int_equal(p.params.preempt, 0);
	assert_int_equal(p.params.class_rank[JOB_CLASS_TRAIN], 2);
	assert_int_equal(p.params.class_rank[JOB_CLASS_INTERACTIVE], 0);
	assert_int_equal(project_find(&p, "nlp"), 1);
	assert_int_equal(project_find(&p, "nope"), -1);
	assert_int_equal(project_user_find(&p, "vision", "alice"), 0);
	assert_int_equal(project_user_find(&p, "nlp", "alice"), -1);
	assert_int_equal(project_default_time(&p, "vision"), 4 * 3600);
	assert_int_equal(project_default_time(&p, "nlp"), 0);
	assert_true(p.any);
	project_done(&p);
}

static void
expect_bad(const char *line, const char *needle)
{
	struct projects p;
	char cause[256] = "";

	project_init(&p);
	must_parse(&p, "project dup");
	assert_int_equal(parse(&p, line, cause, sizeof(cause)), GQ_EINVAL);
	if (strstr(cause, needle) == NULL)
		fail_msg("%s: cause \"%s\" lacks \"%s\"", line, cause, needle);
	project_done(&p);
}

static void
test_parse_errors(void **state)
{
	struct projects p;
	char cause[64];

	expect_bad("project x deserved=-1", "bad value for deserved");
	expect_bad("project x deserved=abc", "bad value for deserved");
	expect_bad("project x weight=0", "bad value for weight");
	expect_bad("project x colour=red", "unknown key \"colour\"");
	expect_bad("project x deserved", "key=value");
	expect_bad("project bad/name", "bad name");
	expect_bad("project dup", "declared twice");
	expect_bad("department d deserved=-3", "bad deserved");
	expect_bad("user bob weight=2", "needs project=");
	expect_bad("policy-param half-life=soon", "bad value for half-life");
	expect_bad("policy-param colour=red", "unknown key");
	expect_bad("policy-param class-order=train,train,interactive",
	    "class-order");
	project_init(&p);
	assert_int_equal(project_parse_line(&p, "socket", "/x", 1, cause,
	                     sizeof(cause)),
	    1);
	project_done(&p);
}

static void
expect_unresolved(const char *const *lines, const char *needle,
    int32_t want_line)
{
	struct projects p;
	char cause[256] = "";
	int32_t line = -1;
	size_t i;

	project_init(&p);
	for (i = 0; lines[i] != NULL; i++) {
		char kw[32];
		const char *sp = strchr(lines[i], ' ');

		snprintf(kw, sizeof(kw), "%.*s", (int)(sp - lines[i]),
		    lines[i]);
		assert_int_equal(project_parse_line(&p, kw, sp + 1,
		                     (int32_t)i + 1, cause, sizeof(cause)),
		    0);
	}
	assert_int_equal(project_resolve(&p, cause, sizeof(cause), &line),
	    GQ_EINVAL);
	if (strstr(cause, needle) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, needle);
	assert_int_equal(line, want_line);
	project_done(&p);
}

static void
test_resolve(void **state)
{
	static const char *const unknown_dept[] = { "project a deserved=1",
		"project b department=nope", NULL };
	static const char *const unknown_proj[] = { "project a",
		"user u project=b", NULL };
	static const char *const cycle[] = { "department x parent=z",
		"department y parent=x", "department z parent=y", NULL };
	static const char *const self[] = { "department x parent=x", NULL };
	static const char *const limit[] = { "project a deserved=4 limit=2",
		NULL };
	static const char *const parent[] = { "department x parent=w", NULL };
	static const char *const good[] = { "department org deserved=16",
		"department r parent=org deserved=8",
		"project a department=r deserved=4", "user u project=a", NULL };
	struct projects p;
	char cause[256];
	int32_t line;
	size_t i;

	expect_unresolved(unknown_dept, "unknown department \"nope\"", 2);
	expect_unresolved(unknown_proj, "unknown project \"b\"", 2);
	expect_unresolved(cycle, "cycle", 1);
	expect_unresolved(self, "cycle", 1);
	expect_unresolved(limit, "limit is below", 1);
	expect_unresolved(parent, "unknown parent", 1);
	project_init(&p);
	for (i = 0; good[i] != NULL; i++)
		must_parse(&p, good[i]);
	assert_int_equal(project_resolve(&p, cause, sizeof(cause), &line), 0);
	assert_int_equal(p.depts[1].parent_idx, 0);
	assert_int_equal(p.list[0].dept_idx, 1);
	assert_int_equal(p.users[0].project_idx, 0);
	project_done(&p);
}

static void
test_format_roundtrip(void **state)
{
	struct projects p, q;
	struct buf a, b;
	char *line, *save = NULL, *sp, cause[256];

	project_init(&p);
	project_init(&q);
	must_parse(&p, "department org deserved=16 limit=32");
	must_parse(&p, "project a deserved=2.5 weight=0.5 department=org");
	must_parse(&p, "user u project=a weight=2");
	must_parse(&p,
	    "policy-param half-life=1d class-order=inference,"
	    "interactive,train");
	buf_init(&a, 65536);
	buf_init(&b, 65536);
	project_format(&p, &a);
	for (line = strtok_r(a.data, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		sp = strchr(line, ' ');
		*sp = '\0';
		if (project_parse_line(&q, line, sp + 1, 1, cause,
		        sizeof(cause)) != 0)
			fail_msg("%s", cause);
	}
	buf_reset(&a);
	project_format(&p, &a);
	project_format(&q, &b);
	assert_string_equal(a.data, b.data);
	assert_int_equal(q.list[0].deserved_milli, 2500);
	assert_int_equal(q.params.class_rank[JOB_CLASS_INFERENCE], 2);
	buf_done(&a);
	buf_done(&b);
	project_done(&p);
	project_done(&q);
}

static void
test_usage(void **state)
{
	struct usage_book b;

	assert_true(fabs(project_usage_decay(100, 100) - 0.5) < 1e-12);
	assert_true(project_usage_decay(100, 0) == 0);
	/* One unit over [0, 100], seen at 100, half-life 100. */
	assert_true(fabs(project_usage_weight(0, 100, 100, 100) -
	                100 / log(2) * 0.5) < 1e-9);
	/* A run still going is counted up to now only. */
	assert_true(fabs(project_usage_weight(0, 500, 100, 100) -
	                project_usage_weight(0, 100, 100, 100)) < 1e-9);
	assert_true(project_usage_weight(0, 100, 100, 0) == 0);
	project_usage_init(&b, 100, 100);
	project_usage_add(&b, "p", "u", 1000, 0, 0, 0, 100);
	project_usage_add(&b, "p", "u", 1000, 0, 0, 0, 100);
	project_usage_add(&b, "p", "v", 0, 2000, 0, 50, 100);
	assert_int_equal(b.n, 2);
	assert_true(fabs(b.e[0].gpu_s - 2000 * 100 / log(2) * 0.5) < 1e-6);
	project_usage_advance(&b, 200);
	assert_true(fabs(b.e[0].gpu_s - 1000 * 100 / log(2) * 0.5) < 1e-6);
	assert_int_equal(b.t, 200);
	project_usage_done(&b);
}

static void
setup_cluster(struct cluster *c)
{
	cluster_init(c);
	cluster_add_node(c, "n1", 8, "H100", 81920, 64000, 512 * 1024);
	cluster_add_node(c, "n2", 8, "H100", 81920, 64000, 512 * 1024);
}

static void
test_ledger_quota(void **state)
{
	static const char *const lines[] = { "department r deserved=6 limit=10",
		"project a deserved=4 limit=8 department=r",
		"project b deserved=4 department=r", "project c deserved=2",
		NULL };
	struct ledger_amount two = { 2000, 2000, 1024 };
	struct projects p;
	struct cluster c;
	struct ledger l;
	char cause[128];
	int32_t line, a, b, cc, x, ua, ub;
	size_t i;

	project_init(&p);
	for (i = 0; lines[i] != NULL; i++)
		must_parse(&p, lines[i]);
	assert_int_equal(project_resolve(&p, cause, sizeof(cause), &line), 0);
	setup_cluster(&c);
	project_ledger_init(&l, &p, &c, 1000);
	a = project_ledger_project(&l, "a");
	b = project_ledger_project(&l, "b");
	cc = project_ledger_project(&l, "c");
	x = project_ledger_project(&l, "unknown");
	assert_int_equal(a, 0);
	assert_int_equal(x, 3);
	assert_int_equal(project_ledger_project(&l, "unknown"), 3);
	ua = project_ledger_user(&l, a, "alice");
	ub = project_ledger_user(&l, b, "alice");
	assert_true(ua != ub);
	assert_int_equal(project_ledger_user(&l, a, "alice"), ua);
	assert_true(project_ledger_in_quota(&l, a, 4000));
	assert_false(project_ledger_in_quota(&l, a, 4001));
	assert_false(project_ledger_in_quota(&l, x, 1));
	assert_true(project_ledger_in_quota(&l, x, 0));
	project_ledger_hold(&l, ua, &two, 1);
	project_ledger_hold(&l, ub, &two, 1);
	project_ledger_hold(&l, ub, &two, 1);
	/* a holds 2 of 4, but the department holds 6 of 6. */
	assert_false(project_ledger_in_quota(&l, a, 1000));
	assert_true(project_ledger_in_limit(&l, a, 4000));
	/* The department's limit of 10: 6 held. */
	assert_false(project_ledger_in_limit(&l, a, 5000));
	assert_true(project_ledger_in_quota(&l, cc, 2000));
	assert_true(project_ledger_in_limit(&l, x, 16000));
	assert_int_equal(project_ledger_borrowed(&l, b), 0);
	project_ledger_hold(&l, ub, &two, 1);
	assert_int_equal(project_ledger_borrowed(&l, b), 2000);
	project_ledger_hold(&l, ub, &two, -1);
	assert_int_equal(project_ledger_borrowed(&l, b), 0);
	assert_int_equal(l.projects[b].nrunning, 2);
	project_ledger_done(&l);
	cluster_done(&c);
	project_done(&p);
}

static void
test_ledger_share(void **state)
{
	static const char *const lines[] = { "project a weight=2",
		"project b weight=1", "user heavy project=a weight=4",
		"policy-param half-life=100s", NULL };
	struct ledger_amount gpu = { 4000, 1000, 1024 };
	struct ledger_amount cpu = { 0, 64000, 1024 };
	struct usage_book book;
	struct projects p;
	struct cluster c;
	struct ledger l;
	char cause[128];
	int32_t line, a, b, u1, u2;
	size_t i;

	project_init(&p);
	for (i = 0; lines[i] != NULL; i++)
		must_parse(&p, lines[i]);
	assert_int_equal(project_resolve(&p, cause, sizeof(cause), &line), 0);
	setup_cluster(&c);
	project_ledger_init(&l, &p, &c, 1000);
	a = project_ledger_project(&l, "a");
	b = project_ledger_project(&l, "b");
	u1 = project_ledger_user(&l, a, "heavy");
	u2 = project_ledger_user(&l, b, "light");
	assert_true(l.users[u1].weight == 4);
	assert_true(l.users[u2].weight == 1);
	/* 4 of 16 GPUs: a's share 0.25 / 2; CPUs dominate for b: 1 / 1. */
	project_ledger_hold(&l, u1, &gpu, 1);
	project_ledger_hold(&l, u2, &cpu, 1);
	assert_true(fabs(project_ledger_share(&l, a) - 0.125) < 1e-12);
	assert_true(fabs(project_ledger_share(&l, b) - 0.5) < 1e-12);
	assert_true(fabs(project_ledger_user_share(&l, u1) - 0.0625) < 1e-12);
	project_ledger_done(&l);
	/* Usage: a steady 8 GPUs for long counts as an average of 8. */
	project_usage_init(&book, 100, 1000);
	project_usage_add(&book, "b", "light", 8000, 0, 0, -100000, 1000);
	project_ledger_init(&l, &p, &c, 1000);
	project_ledger_usage(&l, &book);
	b = project_ledger_project(&l, "b");
	assert_true(fabs(l.projects[b].hist[0] - 8000) < 1e-6);
	assert_true(fabs(project_ledger_share(&l, b) - 0.5) < 1e-9);
	project_ledger_done(&l);
	project_usage_done(&book);
	cluster_done(&c);
	project_done(&p);
}

/* A department's share: its projects' holdings and usage, its weight. */
static void
test_ledger_dept_share(void **state)
{
	static const char *const lines[] = { "department top weight=2",
		"department sub parent=top", "project a department=sub",
		"project b department=top", "project c", NULL };
	struct ledger_amount four = { 4000, 1000, 1024 };
	struct projects p;
	struct cluster c;
	struct ledger l;
	char cause[128];
	int32_t line, a, b, top, sub;
	size_t i;

	project_init(&p);
	for (i = 0; lines[i] != NULL; i++)
		must_parse(&p, lines[i]);
	assert_int_equal(project_resolve(&p, cause, sizeof(cause), &line), 0);
	assert_true(p.depts[0].weight == 2);
	assert_true(p.depts[1].weight == 1);
	setup_cluster(&c);
	project_ledger_init(&l, &p, &c, 1000);
	a = project_ledger_project(&l, "a");
	b = project_ledger_project(&l, "b");
	top = project_dept_find(&p, "top");
	sub = project_dept_find(&p, "sub");
	/* 4 of 16 GPUs in a (under sub under top), 4 in b (under top). */
	project_ledger_hold(&l, project_ledger_user(&l, a, "u"), &four, 1);
	project_ledger_hold(&l, project_ledger_user(&l, b, "u"), &four, 1);
	assert_true(fabs(project_ledger_dept_share(&l, sub) - 0.25) < 1e-12);
	assert_true(fabs(project_ledger_dept_share(&l, top) - 0.25) < 1e-12);
	project_ledger_hold(&l, project_ledger_user(&l, b, "u"), &four, -1);
	assert_true(fabs(project_ledger_dept_share(&l, top) - 0.125) < 1e-12);
	project_ledger_done(&l);
	cluster_done(&c);
	project_done(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_ledger_quota),
		cmocka_unit_test(test_ledger_share),
		cmocka_unit_test(test_ledger_dept_share),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
