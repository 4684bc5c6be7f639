/*
 * Structural matching of a received message against a transcript's
 * pattern.  The rules (tests/protocol/README.md):
 *
 *   object    the same key set, each value matching; a pattern member
 *             "...": "*" allows keys the pattern does not name
 *   array     element-wise, the same length; a last element "..." allows
 *             more elements
 *   "*"       any value; "*int", "*num", "*str", "*bool", "*obj", "*arr"
 *             any value of that type
 *   "~RE"     a string matching the POSIX extended regex RE (unanchored)
 *   "=TEXT"   the string TEXT exactly (for text that starts with * ~ =)
 *   number    the same value (1 matches 1.0)
 *   other     equal
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/protocol/runner.h"

#define RUNNER_MATCH_SHOW 160

struct runner_mctx {
	char path[512];
	size_t len;
	char *why;
	size_t n;
};

static int runner_match_value(json_t *pat, json_t *act, struct runner_mctx *m);

static void
runner_match_push(struct runner_mctx *m, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(m->path + m->len, sizeof(m->path) - m->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		m->len += (size_t)k;
	if (m->len >= sizeof(m->path))
		m->len = sizeof(m->path) - 1;
}

static void
runner_match_pop(struct runner_mctx *m, size_t len)
{
	m->len = len;
	m->path[len] = '\0';
}

/* A short text form of a value, for messages. */
static void
runner_match_show(json_t *v, char *out, size_t n)
{
	char *s;

	if (v == NULL) {
		snprintf(out, n, "(nothing)");
		return;
	}
	s = json_dumps(v,
	    JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12));
	if (s == NULL) {
		snprintf(out, n, "(unprintable)");
		return;
	}
	if (strlen(s) > RUNNER_MATCH_SHOW)
		strcpy(s + RUNNER_MATCH_SHOW - 3, "...");
	snprintf(out, n, "%s", s);
	free(s);
}

static int
runner_match_fail(struct runner_mctx *m, json_t *pat, json_t *act,
    const char *what)
{
	char p[RUNNER_MATCH_SHOW + 8], a[RUNNER_MATCH_SHOW + 8];

	runner_match_show(pat, p, sizeof(p));
	runner_match_show(act, a, sizeof(a));
	snprintf(m->why, m->n, "at %s: %s: expected %s, got %s",
	    m->len ? m->path : "(top)", what, p, a);
	return 0;
}

static int
runner_match_regex(const char *re, json_t *pat, json_t *act,
    struct runner_mctx *m)
{
	regex_t rx;
	int rc;

	if (!json_is_string(act))
		return runner_match_fail(m, pat, act, "not a string");
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return runner_match_fail(m, pat, act, "bad regex in pattern");
	rc = regexec(&rx, json_string_value(act), 0, NULL, 0);
	regfree(&rx);
	if (rc != 0)
		return runner_match_fail(m, pat, act, "no regex match");
	return 1;
}

/* The "*TYPE" wildcards: 1 match, 0 mismatch, -1 not a wildcard. */
static int
runner_match_type(const char *s, json_t *act)
{
	static const char *const types[] = { "*int", "*num", "*str", "*bool",
		"*obj", "*arr" };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(s, types[i]) == 0)
			break;
	switch (i) {
	case 0:
		return json_is_integer(act);
	case 1:
		return json_is_number(act);
	case 2:
		return json_is_string(act);
	case 3:
		return json_is_boolean(act);
	case 4:
		return json_is_object(act);
	case 5:
		return json_is_array(act);
	}
	return strcmp(s, "*") == 0 ? 1 : -1;
}

static int
runner_match_string(json_t *pat, json_t *act, struct runner_mctx *m)
{
	const char *s = json_string_value(pat);
	int rc;

	if (s[0] == '*') {
		if ((rc = runner_match_type(s, act)) < 0)
			return runner_match_fail(m, pat, act,
			    "unknown wildcard in pattern");
		return rc ? 1 : runner_match_fail(m, pat, act, "wrong type");
	}
	if (s[0] == '~')
		return runner_match_regex(s + 1, pat, act, m);
	if (s[0] == '=')
		s++;
	if (!json_is_string(act) || strcmp(s, json_string_value(act)) != 0)
		return runner_match_fail(m, pat, act, "different");
	return 1;
}

static int
runner_match_object(json_t *pat, json_t *act, struct runner_mctx *m)
{
	json_t *more = json_object_get(pat, "...");
	size_t len = m->len;
	const char *k;
	json_t *pv, *av;

	if (!json_is_object(act))
		return runner_match_fail(m, pat, act, "not an object");
	json_object_foreach(pat, k, pv) {
		if (strcmp(k, "...") == 0)
			continue;
		runner_match_push(m, ".%s", k);
		av = json_object_get(act, k);
		if (av == NULL)
			return runner_match_fail(m, pv, NULL, "missing member");
		if (!runner_match_value(pv, av, m))
			return 0;
		runner_match_pop(m, len);
	}
	if (more != NULL && json_is_string(more) &&
	    strcmp(json_string_value(more), "*") == 0)
		return 1;
	json_object_foreach(act, k, av) {
		if (json_object_get(pat, k) == NULL) {
			runner_match_push(m, ".%s", k);
			return runner_match_fail(m, NULL, av,
			    "member not in the pattern (add \"...\":\"*\")");
		}
	}
	return 1;
}

static int
runner_match_array(json_t *pat, json_t *act, struct runner_mctx *m)
{
	size_t n = json_array_size(pat), i, len = m->len;
	json_t *last = n ? json_array_get(pat, n - 1) : NULL;
	int open =
	    json_is_string(last) && strcmp(json_string_value(last), "...") == 0;
	char what[64];

	if (!json_is_array(act))
		return runner_match_fail(m, pat, act, "not an array");
	n -= (size_t)open;
	if (open ? json_array_size(act) < n : json_array_size(act) != n) {
		snprintf(what, sizeof(what), "%zu elements, expected %s%zu",
		    json_array_size(act), open ? "at least " : "", n);
		return runner_match_fail(m, pat, act, what);
	}
	for (i = 0; i < n; i++) {
		runner_match_push(m, "[%zu]", i);
		if (!runner_match_value(json_array_get(pat, i),
		        json_array_get(act, i), m))
			return 0;
		runner_match_pop(m, len);
	}
	return 1;
}

static int
runner_match_value(json_t *pat, json_t *act, struct runner_mctx *m)
{
	if (json_is_string(pat))
		return runner_match_string(pat, act, m);
	if (json_is_object(pat))
		return runner_match_object(pat, act, m);
	if (json_is_array(pat))
		return runner_match_array(pat, act, m);
	if (json_is_number(pat)) {
		if (!json_is_number(act) ||
		    json_number_value(pat) != json_number_value(act) ||
		    (json_is_integer(pat) && json_is_integer(act) &&
		        json_integer_value(pat) != json_integer_value(act)))
			return runner_match_fail(m, pat, act, "different");
		return 1;
	}
	if (!json_equal(pat, act))
		return runner_match_fail(m, pat, act, "different");
	return 1;
}

int
runner_match_json(json_t *pat, json_t *act, char *why, size_t n)
{
	struct runner_mctx m;

	memset(&m, 0, sizeof(m));
	m.why = why;
	m.n = n;
	why[0] = '\0';
	return runner_match_value(pat, act, &m);
}

int
runner_match_is_event(json_t *msg)
{
	return json_is_object(msg) && json_object_get(msg, "event") != NULL;
}
