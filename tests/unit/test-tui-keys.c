/*
 * Key names (tui/keys.c), the key map (tui/keymap.c) and the default
 * bindings of the action table (tui/action.c): no collisions, the
 * mutating actions on uppercase keys, --readonly taking them away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "tui/action.h"
#include "tui/keymap.h"
#include "tui/keys.h"

/* The context sets of gpuq's views (tui/view.c). */
static const unsigned sets[] = {
	ACTION_CTX_LIST | ACTION_CTX_JOBS,
	ACTION_CTX_LIST,
	ACTION_CTX_JOBS,
	ACTION_CTX_LOG | ACTION_CTX_JOBS,
};

static void
check_name(const char *in, int want, const char *canon)
{
	char out[KEYS_NAME_MAX];
	int k = -1;

	assert_int_equal(keys_parse(in, &k), 0);
	assert_int_equal(k, want);
	assert_string_equal(keys_name(k, out, sizeof(out)), canon);
	assert_int_equal(keys_parse(canon, &k), 0);
	assert_int_equal(k, want);
}

static void
test_key_names(void **state)
{
	int k;

	check_name("j", 'j', "j");
	check_name("J", 'J', "J");
	check_name("?", '?', "?");
	check_name("C-d", 4, "Ctrl-D");
	check_name("^D", 4, "Ctrl-D");
	check_name("ctrl-d", 4, "Ctrl-D");
	check_name("Ctrl-\\", 28, "Ctrl-\\");
	check_name("space", ' ', "Space");
	check_name("ESCAPE", KEYS_ESC, "Esc");
	check_name("Return", KEYS_ENTER, "Enter");
	check_name("Shift-Tab", KEYS_BTAB, "S-Tab");
	check_name("pagedown", KEYS_PGDN, "PgDn");
	check_name("F5", KEYS_F(5), "F5");
	check_name("F12", KEYS_F(12), "F12");
	check_name("M-x", KEYS_META | 'x', "M-x");
	check_name("Alt-Up", KEYS_META | KEYS_UP, "M-Up");
	check_name("\xc3\xa9", 0xe9, "\xc3\xa9"); /* é */
	assert_int_equal(keys_parse("", &k), GQ_EINVAL);
	assert_int_equal(keys_parse("jj", &k), GQ_EINVAL);
	assert_int_equal(keys_parse("Ctrl-", &k), GQ_EINVAL);
	assert_int_equal(keys_parse("Ctrl-1", &k), GQ_EINVAL);
	assert_int_equal(keys_parse("F0", &k), GQ_EINVAL);
	assert_int_equal(keys_parse("F99", &k), GQ_EINVAL);
	assert_int_equal(keys_parse("\xc3", &k), GQ_EINVAL);
	assert_int_equal(keys_parse("\x01", &k), GQ_EINVAL);
	assert_true(keys_printable('q'));
	assert_true(keys_printable(0x65e5));
	assert_false(keys_printable(KEYS_ESC));
	assert_false(keys_printable(KEYS_UP));
	assert_false(keys_printable(KEYS_META | 'q'));
}

static void
keymap_default(struct keymap *km)
{
	char *cause = NULL;

	assert_int_equal(keymap_init(km, action_table, action_count, sets,
	                     sizeof(sets) / sizeof(sets[0]), &cause),
	    0);
	assert_null(cause);
}

static void
test_defaults_collide_not(void **state)
{
	struct keymap km;
	char *cause = NULL;

	keymap_default(&km);
	assert_int_equal(keymap_check(&km, &cause), 0);
	assert_null(cause);
	keymap_done(&km);
}

static int
lookup(struct keymap *km, unsigned ctx, int key)
{
	int a = keymap_lookup(km, ctx | ACTION_CTX_GLOBAL, key);

	return a;
}

static void
test_lookup_contexts(void **state)
{
	unsigned jobs = ACTION_CTX_LIST | ACTION_CTX_JOBS;
	unsigned log = ACTION_CTX_LOG | ACTION_CTX_JOBS;
	struct keymap km;

	keymap_default(&km);
	assert_int_equal(lookup(&km, jobs, 'C'), action_find("job.cancel"));
	assert_int_equal(lookup(&km, jobs, 'j'), action_find("move.down"));
	assert_int_equal(lookup(&km, jobs, KEYS_CTRL('d')),
	    action_find("page.halfdown"));
	assert_int_equal(lookup(&km, jobs, 'w'), action_find("wide"));
	assert_int_equal(lookup(&km, log, 'w'), action_find("log.wrap"));
	assert_int_equal(lookup(&km, ACTION_CTX_LIST, 'C'), -1);
	assert_int_equal(lookup(&km, jobs, 'K'), -1); /* unbound */
	keymap_done(&km);
}

/* Lowercase never changes the cluster; s opens a form, x a menu. */
static void
test_mutating_keys(void **state)
{
	struct keymap km;
	int keys[8];
	size_t i, n, k;

	keymap_default(&km);
	for (i = 0; i < action_count; i++) {
		if (!(action_table[i].flags & ACTION_MUTATES))
			continue;
		n = keymap_keys(&km, (int)i, keys, 8);
		for (k = 0; k < n; k++)
			assert_true((keys[k] >= 'A' && keys[k] <= 'Z') ||
			    keys[k] == 's' || keys[k] == 'x');
	}
	keymap_done(&km);
}

static void
test_bind(void **state)
{
	unsigned jobs = ACTION_CTX_LIST | ACTION_CTX_JOBS;
	struct keymap km;
	char *cause = NULL;

	keymap_default(&km);
	assert_int_equal(keymap_bind(&km, "Ctrl-K", "job.cancel-now", &cause),
	    0);
	assert_int_equal(lookup(&km, jobs, KEYS_CTRL('k')),
	    action_find("job.cancel-now"));
	/* Replacing a default binding is a remap, not a collision. */
	assert_int_equal(keymap_bind(&km, "j", "help", &cause), 0);
	assert_int_equal(lookup(&km, jobs, 'j'), action_find("help"));
	assert_int_equal(lookup(&km, jobs, KEYS_DOWN),
	    action_find("move.down"));
	/* Two user bindings of one key collide. */
	assert_int_equal(keymap_bind(&km, "j", "quit", &cause), GQ_EEXIST);
	assert_non_null(strstr(cause, "already bound to help"));
	free(cause);
	cause = NULL;
	assert_int_equal(keymap_bind(&km, "nokey", "help", &cause), GQ_EINVAL);
	free(cause);
	cause = NULL;
	assert_int_equal(keymap_bind(&km, "z", "no.such", &cause), GQ_EINVAL);
	free(cause);
	cause = NULL;
	assert_int_equal(keymap_check(&km, &cause), 0);
	assert_int_equal(keymap_unbind(&km, "C", &cause), 0);
	assert_int_equal(lookup(&km, jobs, 'C'), -1);
	keymap_done(&km);
}

static void
test_readonly(void **state)
{
	struct keymap km;
	struct buf b;
	size_t i;

	keymap_default(&km);
	keymap_readonly(&km);
	for (i = 0; i < action_count; i++) {
		if (!(action_table[i].flags & ACTION_MUTATES))
			continue;
		buf_init(&b, 256);
		keymap_keys_text(&km, (int)i, &b);
		assert_string_equal(b.data, "-");
		buf_done(&b);
	}
	assert_int_equal(lookup(&km, ACTION_CTX_JOBS, 'C'), -1);
	assert_int_equal(lookup(&km, ACTION_CTX_JOBS, 'l'),
	    action_find("job.logs"));
	keymap_done(&km);
}

static void
test_collision_found(void **state)
{
	static const struct action acts[] = {
		{ "a", "", ACTION_CTX_LIST, 0, "x", NULL },
		{ "b", "", ACTION_CTX_JOBS, 0, "x", NULL },
		{ "c", "", ACTION_CTX_LOG, 0, "y", NULL },
		{ "d", "", ACTION_CTX_GLOBAL, 0, "y", NULL },
	};
	struct keymap km;
	char *cause = NULL;

	assert_int_equal(keymap_init(&km, acts, 4, sets, 4, &cause), 0);
	/* a and b share a view (jobs); c shadows the global d: fine. */
	assert_int_equal(keymap_check(&km, &cause), GQ_EEXIST);
	assert_string_equal(cause, "x runs both a and b");
	free(cause);
	keymap_done(&km);
}

static void
test_bad_default_key(void **state)
{
	static const struct action acts[] = {
		{ "a", "", ACTION_CTX_LIST, 0, "x Ctrl-", NULL },
	};
	struct keymap km;
	char *cause = NULL;

	assert_int_equal(keymap_init(&km, acts, 1, sets, 4, &cause), GQ_EINVAL);
	assert_non_null(strstr(cause, "Ctrl-"));
	free(cause);
	keymap_done(&km);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_defaults_collide_not),
		cmocka_unit_test(test_lookup_contexts),
		cmocka_unit_test(test_mutating_keys),
		cmocka_unit_test(test_bind),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_collision_found),
		cmocka_unit_test(test_bad_default_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
