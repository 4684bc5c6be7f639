/*
 * Pure layout and formatting of the workbench: column layout
 * (tui/layout.c), meters and graphs (tui/graph.c), the text field
 * (tui/field.c), command-line splitting and completion (tui/cmdline.c),
 * generic tables (tui/jtable.c) and the submit form's params
 * (tui/form-submit.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "tui/cmdline.h"
#include "tui/field.h"
#include "tui/form-submit.h"
#include "tui/graph.h"
#include "tui/jtable.h"
#include "tui/keys.h"
#include "tui/layout.h"

static void
test_layout(void **state)
{
	/* ID, NAME, COMMAND, PRIO */
	struct layout_col c[4] = { { 3, 3, 100 }, { 6, 20, 90 }, { 10, 50, 10 },
		{ 4, 4, 20 } };
	int w[4];

	/* Wide: every column gets what it wants. */
	assert_int_equal(layout_columns(c, 4, 200, 1, w), 3 + 20 + 50 + 4 + 3);
	assert_int_equal(w[2], 50);
	/* Narrower: the command shrinks to its minimum, then goes. */
	layout_columns(c, 4, 40, 1, w);
	assert_int_equal(w[0], 3);
	assert_int_equal(w[1], 20);
	assert_int_equal(w[3], 4);
	assert_int_equal(w[2], 10);
	layout_columns(c, 4, 30, 1, w);
	assert_int_equal(w[2], 0);
	assert_int_equal(w[3], 4);
	/* Very narrow: lower priorities go first, the name shrinks. */
	layout_columns(c, 4, 12, 1, w);
	assert_int_equal(w[0], 3);
	assert_int_equal(w[1], 8);
	assert_int_equal(w[2] + w[3], 0);
	assert_int_equal(layout_columns(c, 4, 2, 1, w), 0);
}

static void
test_scroll(void **state)
{
	assert_int_equal(layout_scroll(0, 5, 100, 10), 0);
	assert_int_equal(layout_scroll(0, 15, 100, 10), 6);
	assert_int_equal(layout_scroll(20, 15, 100, 10), 15);
	assert_int_equal(layout_scroll(95, 99, 100, 10), 90);
	assert_int_equal(layout_scroll(50, 3, 5, 10), 0);
}

static void
test_bar(void **state)
{
	char out[64];

	assert_int_equal(graph_bar(out, sizeof(out), 12, 0.5, "45%"), 5);
	assert_string_equal(out, "[|||||  45%]");
	assert_int_equal(graph_bar(out, sizeof(out), 12, 0.95, "95%"), 10);
	assert_string_equal(out, "[|||||||95%]");
	assert_int_equal(graph_bar(out, sizeof(out), 6, 0.01, "100%"), 1);
	assert_string_equal(out, "[100%]");
	assert_int_equal(graph_bar(out, sizeof(out), 2, 0.5, ""), 0);
	assert_string_equal(out, "");
	assert_int_equal(graph_bar(out, sizeof(out), 5, 2.0, "\x01"), 3);
	assert_string_equal(out, "[||?]");
}

static void
test_spark(void **state)
{
	const uint8_t v[] = { 0, 100, 50, 25, 100, 100 };
	struct buf b;

	buf_init(&b, 1024);
	graph_spark(&b, GRAPH_BLOCK, v, 6, 4);
	assert_string_equal(b.data,
	    "\xe2\x96\x84\xe2\x96\x82\xe2\x96\x88"
	    "\xe2\x96\x88");
	buf_reset(&b);
	graph_spark(&b, GRAPH_ASCII, v, 6, 8);
	assert_string_equal(b.data, "   #-.##");
	buf_reset(&b);
	/* Braille: two samples a cell; 0|100 is the right column full. */
	graph_spark(&b, GRAPH_BRAILLE, v, 2, 2);
	assert_string_equal(b.data, " \xe2\xa2\xb8");
	assert_int_equal(graph_samples(GRAPH_BRAILLE, 10), 20);
	buf_reset(&b);
	graph_alloc(&b, 4, 0.5, 0);
	assert_string_equal(b.data, "##..");
	buf_reset(&b);
	graph_alloc(&b, 4, 0.99, 0);
	assert_string_equal(b.data, "###.");
	buf_done(&b);
}

static void
type(struct field *f, const char *s)
{
	for (; *s != '\0'; s++)
		assert_int_equal(field_key(f, (unsigned char)*s), 1);
}

static void
test_field(void **state)
{
	struct field f;

	field_set(&f, "");
	type(&f, "hello world");
	assert_int_equal(field_key(&f, KEYS_CTRL('w')), 1);
	assert_string_equal(f.text, "hello ");
	field_key(&f, KEYS_CTRL('a'));
	type(&f, ">");
	assert_string_equal(f.text, ">hello ");
	field_key(&f, KEYS_END);
	field_key(&f, KEYS_BACKSPACE);
	field_key(&f, 0x65e5); /* 日 */
	assert_string_equal(f.text, ">hello\xe6\x97\xa5");
	assert_int_equal(field_cursor_col(&f), 8);
	field_key(&f, KEYS_LEFT);
	assert_int_equal(field_cursor_col(&f), 6);
	field_key(&f, KEYS_DELETE);
	assert_string_equal(f.text, ">hello");
	field_key(&f, KEYS_HOME);
	field_key(&f, KEYS_CTRL('k'));
	assert_string_equal(f.text, "");
	type(&f, "abc");
	field_key(&f, KEYS_LEFT);
	field_key(&f, KEYS_CTRL('u'));
	assert_string_equal(f.text, "c");
	assert_int_equal(field_key(&f, KEYS_ENTER), 0);
	assert_int_equal(field_key(&f, KEYS_F(2)), 0);
	/* q, j and C type; they never leak as commands. */
	type(&f, "qjC");
	assert_string_equal(f.text, "qjCc");
}

static void
test_argv(void **state)
{
	const char *why = NULL;
	json_t *a;

	a = cmdline_argv("python train.py --lr 0.1", &why);
	assert_int_equal(json_array_size(a), 4);
	json_decref(a);
	a = cmdline_argv("sh -c 'echo $HOME; ls' \"a \\\"b\\\"\" c\\ d ''",
	    &why);
	assert_int_equal(json_array_size(a), 6);
	assert_string_equal(json_string_value(json_array_get(a, 2)),
	    "echo $HOME; ls");
	assert_string_equal(json_string_value(json_array_get(a, 3)), "a \"b\"");
	assert_string_equal(json_string_value(json_array_get(a, 4)), "c d");
	assert_string_equal(json_string_value(json_array_get(a, 5)), "");
	json_decref(a);
	assert_null(cmdline_argv("echo 'open", &why));
	assert_string_equal(why, "a quote is not closed");
	a = cmdline_argv("   ", &why);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
}

static void
test_complete(void **state)
{
	static const char *const cands[] = { "jobs", "job", "theme", "quit" };
	char cmd[16];
	const char *rest;
	struct field f;
	struct buf shown;

	buf_init(&shown, 256);
	field_set(&f, "th");
	assert_int_equal(cmdline_complete(&f, cands, 4, &shown), 1);
	assert_string_equal(f.text, "theme ");
	buf_reset(&shown);
	field_set(&f, "jo");
	assert_int_equal(cmdline_complete(&f, cands, 4, &shown), 2);
	assert_string_equal(f.text, "job");
	assert_string_equal(shown.data, "jobs job");
	buf_reset(&shown);
	field_set(&f, "x");
	assert_int_equal(cmdline_complete(&f, cands, 4, &shown), 0);
	assert_string_equal(f.text, "x");
	buf_done(&shown);
	cmdline_split("  sort  name desc", cmd, sizeof(cmd), &rest);
	assert_string_equal(cmd, "sort");
	assert_string_equal(rest, "name desc");
}

static void
test_jtable(void **state)
{
	struct jtable t;
	json_t *r = json_pack("{s:i,s:[{s:s,s:i,s:o},{s:s,s:b,s:f}]}", "n", 2,
	    "projects", "name", "vision", "gpus", 8, "nested", json_object(),
	    "name", "nlp", "over", 1, "share", 0.5);

	assert_int_equal(jtable_build(&t, r), 0);
	assert_string_equal(t.name, "projects");
	assert_int_equal(t.ncols, 4);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(jtable_cell(&t, 0, 0), "vision");
	assert_string_equal(jtable_cell(&t, 0, 1), "8");
	assert_string_equal(jtable_cell(&t, 1, 1), "");
	assert_string_equal(jtable_cell(&t, 1, 2), "yes");
	assert_string_equal(jtable_cell(&t, 9, 9), "");
	jtable_done(&t);
	json_decref(r);
	r = json_pack("{s:[i]}", "x", 1);
	assert_int_equal(jtable_build(&t, r), -1);
	jtable_done(&t);
	json_decref(r);
}

static void
test_form_params(void **state)
{
	const char *v[FORM_NFIELDS] = { "python train.py", "", "vision", "0.5",
		"", "2", "16G", "2h", "", "10", "no", "/home/a" };
	char *why = NULL;
	json_t *p;
	int bad;

	assert_int_equal(form_submit_params(v, &p, &bad, &why), 0);
	assert_int_equal(json_array_size(json_object_get(p, "argv")), 2);
	assert_true(json_real_value(json_object_get(p, "gpus")) == 0.5);
	assert_int_equal(json_integer_value(json_object_get(p, "mem_mb")),
	    16384);
	assert_int_equal(json_integer_value(json_object_get(p, "time_limit_s")),
	    7200);
	assert_true(json_is_false(json_object_get(p, "preemptible")));
	assert_null(json_object_get(p, "name"));
	json_decref(p);
	v[FORM_GPUS] = "1.5";
	assert_int_equal(form_submit_params(v, &p, &bad, &why), GQ_EINVAL);
	assert_int_equal(bad, FORM_GPUS);
	free(why);
	v[FORM_GPUS] = "";
	v[FORM_CMD] = "echo 'x";
	assert_int_equal(form_submit_params(v, &p, &bad, &why), GQ_EINVAL);
	assert_int_equal(bad, FORM_CMD);
	free(why);
	v[FORM_CMD] = "true";
	v[FORM_WORKDIR] = "relative";
	assert_int_equal(form_submit_params(v, &p, &bad, &why), GQ_EINVAL);
	assert_int_equal(bad, FORM_WORKDIR);
	free(why);
	v[FORM_WORKDIR] = "/";
	v[FORM_CLASS] = "batch";
	assert_int_equal(form_submit_params(v, &p, &bad, &why), GQ_EINVAL);
	assert_int_equal(bad, FORM_CLASS);
	free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_spark),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_jtable),
		cmocka_unit_test(test_form_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
