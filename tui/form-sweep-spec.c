/*
 * The pure part of the sweep form: parameters as lines of text and back,
 * and the sweep file (JSON) from the form's fields.  No curses, no I/O.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/cmdline.h"
#include "tui/fmt.h"
#include "tui/form-sweep.h"

#define FS_LINE_MAX 1024

static const char *const form_sweep_labels[FS_PARAM0] = { "Sweep file",
	"From job", "Name", "Command", "Metric", "Method", "Trials", "Parallel",
	"GPUs/trial", "Time/trial" };

static const char *const form_sweep_hints[FS_PARAM0] = {
	"a YAML or JSON sweep file (Load reads it)",
	"a job id: its command is the template (Load)",
	"default: the file's, or the program's",
	"default: the file's; \"${args}\" becomes --name=value",
	"what trials report, and its goal: val_loss min",
	"grid, random or bayes", "how many trials in all (grid: its size)",
	"trials at once", "whole GPUs (1) or a share (0.25)",
	"e.g. 2h: bounds the GPU-hours"
};

const char *
form_sweep_spec_label(int field)
{
	if (field >= FS_PARAM0 && field < FS_NFIELDS)
		return field == FS_PARAM0 ? "Parameters" : "";
	return field >= 0 && field < FS_PARAM0 ? form_sweep_labels[field] : "?";
}

const char *
form_sweep_spec_hint(int field)
{
	if (field >= FS_PARAM0 && field < FS_NFIELDS)
		return field == FS_PARAM0 ?
		    "e.g. lr: log_uniform_values 1e-5 .. 1e-2" :
		    field == FS_PARAM0 + 1 ? "e.g. batch_size: 32, 64, 128" :
		                             "";
	return field >= 0 && field < FS_PARAM0 ? form_sweep_hints[field] : "";
}

/* jansson's iteration macros take a non-const object. */
static json_t *
form_sweep_spec_unconst(const json_t *v)
{
	union {
		const json_t *c;
		json_t *m;
	} u;

	u.c = v;
	return u.m;
}

/* A string is quoted when it could read as something else. */
static int
form_sweep_spec_needs_quotes(const char *s)
{
	char *end;

	if (s[0] == '\0' || isspace((unsigned char)s[0]) ||
	    isspace((unsigned char)s[strlen(s) - 1]) ||
	    strpbrk(s, ",\"\\=") != NULL || strstr(s, "..") != NULL ||
	    strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
		return 1;
	errno = 0;
	(void)strtod(s, &end);
	return *end == '\0';
}

static void
form_sweep_spec_value(const json_t *v, struct buf *b)
{
	const char *s;

	if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(b, "%.10g", json_real_value(v));
	else if (json_is_boolean(v))
		buf_addstr(b, json_is_true(v) ? "true" : "false");
	else if (json_is_string(v)) {
		s = json_string_value(v);
		if (!form_sweep_spec_needs_quotes(s)) {
			fmt_safe(b, s);
			return;
		}
		buf_addstr(b, "\"");
		for (; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				buf_addstr(b, "\\");
			buf_printf(b, "%c",
			    (unsigned char)*s < 0x20 ? '?' : *s);
		}
		buf_addstr(b, "\"");
	} else
		buf_addstr(b, "null");
}

static const char *
form_sweep_spec_dist(const json_t *param)
{
	json_t *d = json_object_get(param, "distribution");

	return json_is_string(d) ? json_string_value(d) : NULL;
}

/* "DIST mu=0 sigma=1" and the like: the named members of a shape. */
static void
form_sweep_spec_named(const json_t *param, struct buf *b)
{
	static const char *const keys[] = { "mu", "sigma", "a", "b", "q" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_get(param, keys[i]) != NULL) {
			buf_printf(b, " %s=", keys[i]);
			form_sweep_spec_value(json_object_get(param, keys[i]),
			    b);
		}
}

static int
form_sweep_spec_shape(const json_t *param, struct buf *b)
{
	const char *dist = form_sweep_spec_dist(param);
	json_t *vals = json_object_get(param, "values"), *v;
	size_t i;

	if (json_object_get(param, "parameters") != NULL)
		return -1;
	if (json_object_get(param, "value") != NULL) {
		buf_addstr(b, "= ");
		form_sweep_spec_value(json_object_get(param, "value"), b);
	} else if (json_is_array(vals)) {
		json_array_foreach(vals, i, v) {
			buf_addstr(b, i ? ", " : "");
			form_sweep_spec_value(v, b);
		}
	} else if (json_object_get(param, "min") != NULL) {
		buf_printf(b, "%s%s", dist ? dist : "", dist ? " " : "");
		form_sweep_spec_value(json_object_get(param, "min"), b);
		buf_addstr(b, " .. ");
		form_sweep_spec_value(json_object_get(param, "max"), b);
		if (json_object_get(param, "q") != NULL) {
			buf_addstr(b, " step ");
			form_sweep_spec_value(json_object_get(param, "q"), b);
		}
	} else if (dist != NULL) {
		buf_addstr(b, dist);
		form_sweep_spec_named(param, b);
	} else
		return -1;
	return 0;
}

int
form_sweep_spec_param_text(const char *name, const json_t *param, char *out,
    size_t n)
{
	struct buf b;
	int rc;

	out[0] = '\0';
	if (!json_is_object(param))
		return -1;
	buf_init(&b, FS_LINE_MAX);
	fmt_safe(&b, name);
	buf_addstr(&b, ": ");
	rc = form_sweep_spec_shape(param, &b);
	if (rc == 0 && b.data != NULL && b.len < n)
		snprintf(out, n, "%s", b.data);
	else
		rc = -1;
	buf_done(&b);
	return rc;
}

/* The parser: a line's words, one at a time. */
struct form_sweep_lex {
	const char *p;
	char word[FS_LINE_MAX];
	int quoted;
};

static void
form_sweep_lex_blank(struct form_sweep_lex *x)
{
	while (isspace((unsigned char)*x->p))
		x->p++;
}

/* A word up to a blank or a comma (a quoted one may hold both). */
static int
form_sweep_lex_word(struct form_sweep_lex *x, char **why)
{
	size_t n = 0;

	form_sweep_lex_blank(x);
	x->quoted = *x->p == '"';
	if (x->quoted)
		for (x->p++; *x->p != '"'; x->p++) {
			if (*x->p == '\0') {
				*why = xstrdup("a quote is not closed");
				return GQ_EINVAL;
			}
			if (*x->p == '\\' && x->p[1] != '\0')
				x->p++;
			if (n + 1 < sizeof(x->word))
				x->word[n++] = *x->p;
		}
	else
		for (; *x->p != '\0' && *x->p != ',' &&
		     !isspace((unsigned char)*x->p);
		     x->p++)
			if (n + 1 < sizeof(x->word))
				x->word[n++] = *x->p;
	if (x->quoted)
		x->p++;
	x->word[n] = '\0';
	return 0;
}

/* A word as a JSON value: a number, true/false, else a string. */
static json_t *
form_sweep_lex_value(const struct form_sweep_lex *x)
{
	long long i;
	double d;
	char *end;

	if (x->quoted)
		return json_string(x->word);
	if (strcmp(x->word, "true") == 0 || strcmp(x->word, "false") == 0)
		return json_boolean(x->word[0] == 't');
	errno = 0;
	i = strtoll(x->word, &end, 10);
	if (x->word[0] != '\0' && *end == '\0' && errno == 0)
		return json_integer(i);
	d = strtod(x->word, &end);
	if (x->word[0] != '\0' && *end == '\0' && isfinite(d))
		return json_real(d);
	return json_string(x->word);
}

static int
form_sweep_parse_values(struct form_sweep_lex *x, json_t *param, char **why)
{
	json_t *a = json_array();
	int rc;

	json_object_set_new(param, "values", a);
	for (;;) {
		if ((rc = form_sweep_lex_word(x, why)) != 0)
			return rc;
		if (x->word[0] == '\0' && !x->quoted) {
			*why = xstrdup("an empty value (values: 32, 64, 128)");
			return GQ_EINVAL;
		}
		json_array_append_new(a, form_sweep_lex_value(x));
		form_sweep_lex_blank(x);
		if (*x->p == '\0')
			return 0;
		if (*x->p++ != ',') {
			*why = xstrdup("values are separated by commas");
			return GQ_EINVAL;
		}
	}
}

static int
form_sweep_parse_number(struct form_sweep_lex *x, json_t *param,
    const char *key, char **why)
{
	json_t *v;
	int rc;

	if ((rc = form_sweep_lex_word(x, why)) != 0)
		return rc;
	v = form_sweep_lex_value(x);
	if (!json_is_number(v)) {
		json_decref(v);
		*why = xasprintf("%s: a number, not \"%s\"", key, x->word);
		return GQ_EINVAL;
	}
	json_object_set_new(param, key, v);
	return 0;
}

/* "[DIST] MIN .. MAX [step Q]" once DIST (if any) is read. */
static int
form_sweep_parse_range(struct form_sweep_lex *x, json_t *param, char **why)
{
	int rc;

	if ((rc = form_sweep_parse_number(x, param, "min", why)) != 0)
		return rc;
	form_sweep_lex_blank(x);
	if (strncmp(x->p, "..", 2) != 0) {
		*why = xstrdup("a range is MIN .. MAX");
		return GQ_EINVAL;
	}
	x->p += 2;
	if ((rc = form_sweep_parse_number(x, param, "max", why)) != 0)
		return rc;
	form_sweep_lex_blank(x);
	if (strncmp(x->p, "step", 4) == 0) {
		x->p += 4;
		return form_sweep_parse_number(x, param, "q", why);
	}
	if (*x->p != '\0') {
		*why = xasprintf("unexpected \"%s\" after the range", x->p);
		return GQ_EINVAL;
	}
	return 0;
}

/* "DIST k=v k=v": normal mu=0 sigma=1, beta a=2 b=5. */
static int
form_sweep_parse_named(struct form_sweep_lex *x, json_t *param, char **why)
{
	char key[16];
	const char *eq;

	for (form_sweep_lex_blank(x); *x->p != '\0'; form_sweep_lex_blank(x)) {
		eq = strchr(x->p, '=');
		if (eq == NULL || eq == x->p ||
		    eq - x->p >= (long)sizeof(key)) {
			*why = xasprintf("expected name=value at \"%s\"", x->p);
			return GQ_EINVAL;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - x->p), x->p);
		x->p = eq + 1;
		if (form_sweep_parse_number(x, param, key, why) != 0)
			return GQ_EINVAL;
	}
	return 0;
}

/* Whether tok occurs in s outside double quotes. */
static int
form_sweep_has(const char *s, const char *tok)
{
	size_t n = strlen(tok);
	int q = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && q && s[1] != '\0')
			s++;
		else if (*s == '"')
			q = !q;
		else if (!q && strncmp(s, tok, n) == 0)
			return 1;
	}
	return 0;
}

static int
form_sweep_parse_spec(const char *s, json_t *param, char **why)
{
	struct form_sweep_lex x = { s, "", 0 };
	const char *save;

	form_sweep_lex_blank(&x);
	if (*x.p == '=') {
		x.p++;
		if (form_sweep_lex_word(&x, why) != 0)
			return GQ_EINVAL;
		json_object_set_new(param, "value", form_sweep_lex_value(&x));
		return 0;
	}
	if (!form_sweep_has(x.p, "..") && !form_sweep_has(x.p, "="))
		return form_sweep_parse_values(&x, param, why);
	save = x.p;
	if (form_sweep_lex_word(&x, why) != 0)
		return GQ_EINVAL;
	if (isalpha((unsigned char)x.word[0]) && !x.quoted)
		json_object_set_new(param, "distribution", json_string(x.word));
	else
		x.p = save;
	form_sweep_lex_blank(&x);
	if (form_sweep_has(x.p, ".."))
		return form_sweep_parse_range(&x, param, why);
	return form_sweep_parse_named(&x, param, why);
}

int
form_sweep_spec_param_parse(const char *line, char **name, json_t **param,
    char **why)
{
	const char *colon = strchr(line, ':'), *a = line, *b;

	*name = NULL;
	*param = NULL;
	*why = NULL;
	while (isspace((unsigned char)*a))
		a++;
	b = colon;
	while (b != NULL && b > a && isspace((unsigned char)b[-1]))
		b--;
	if (colon == NULL || b == a || b - a > 64 ||
	    memchr(a, ' ', (size_t)(b - a)) != NULL) {
		*why = xstrdup("a parameter is NAME: VALUES (lr: 0.1, 0.01)");
		return GQ_EINVAL;
	}
	*param = json_object();
	if (form_sweep_parse_spec(colon + 1, *param, why) != 0) {
		json_decref(*param);
		*param = NULL;
		return GQ_EINVAL;
	}
	*name = xstrndup(a, (size_t)(b - a));
	return 0;
}

/* The form's texts of a spec: one field. */
static void
form_sweep_spec_field(const json_t *spec, int f, char *out, size_t n)
{
	const json_t *res = json_object_get(spec, "resources");
	const json_t *m = json_object_get(spec, "metric");
	const char *goal = json_string_value(json_object_get(m, "goal"));
	struct buf b;

	out[0] = '\0';
	buf_init(&b, n > 1 ? n - 1 : 1);
	if (f == FS_NAME && json_is_string(json_object_get(spec, "name")))
		fmt_safe(&b, json_string_value(json_object_get(spec, "name")));
	else if (f == FS_COMMAND)
		fmt_argv(&b, json_object_get(spec, "command"));
	else if (f == FS_METRIC && json_is_string(json_object_get(m, "name")))
		buf_printf(&b, "%s %s",
		    json_string_value(json_object_get(m, "name")),
		    goal != NULL && strcmp(goal, "maximize") == 0 ? "max" :
		                                                    "min");
	else if (f == FS_METHOD)
		form_sweep_spec_value(json_object_get(spec, "method"), &b);
	else if (f == FS_TRIALS || f == FS_PARALLEL)
		form_sweep_spec_value(json_object_get(spec,
		                          f == FS_TRIALS ? "trials" :
		                                           "parallel"),
		    &b);
	else if (f == FS_GPUS && json_is_number(json_object_get(res, "gpus")))
		buf_printf(&b, "%g",
		    json_number_value(json_object_get(res, "gpus")));
	else if (f == FS_TIME && json_is_string(json_object_get(res, "time")))
		fmt_safe(&b, json_string_value(json_object_get(res, "time")));
	if (b.data != NULL && strcmp(b.data, "null") != 0)
		snprintf(out, n, "%s", b.data);
	buf_done(&b);
}

size_t
form_sweep_spec_fields(const json_t *spec, char (*vals)[1024], size_t n)
{
	const json_t *params = json_object_get(spec, "parameters");
	const char *name;
	size_t k = 0, left = 0;
	json_t *p;
	int f;

	for (f = FS_NAME; f < FS_PARAM0; f++)
		form_sweep_spec_field(spec, f, vals[f], n);
	for (f = FS_PARAM0; f < FS_NFIELDS; f++)
		vals[f][0] = '\0';
	json_object_foreach(form_sweep_spec_unconst(params), name, p) {
		if (k < FORM_SWEEP_NPARAMS &&
		    form_sweep_spec_param_text(name, p, vals[FS_PARAM0 + k],
		        n) == 0)
			k++;
		else
			left++;
	}
	return left;
}

static int
form_sweep_bad(int *bad, int field, char **why, char *msg)
{
	*bad = field;
	*why = msg;
	return GQ_EINVAL;
}

/* A positive count (trials, parallel), or NULL for an empty text. */
static int
form_sweep_count(json_t *spec, const char *key, const char *v, int f, int *bad,
    char **why)
{
	char *end;
	long long n;

	if (v[0] == '\0') {
		json_object_del(spec, key);
		return 0;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*end != '\0' || errno != 0 || n < 1 || n > 1000000)
		return form_sweep_bad(bad, f, why,
		    xasprintf("%s: a whole number from 1", key));
	json_object_set_new(spec, key, json_integer(n));
	return 0;
}

static int
form_sweep_metric(json_t *spec, const char *v, int *bad, char **why)
{
	char name[256], goal[32] = "min", extra[8];
	int n;

	if (v[0] == '\0') {
		json_object_del(spec, "metric");
		return 0;
	}
	n = sscanf(v, "%255s %31s %7s", name, goal, extra);
	if (n < 1 || n > 2 ||
	    (strcmp(goal, "min") != 0 && strcmp(goal, "max") != 0 &&
	        strcmp(goal, "minimize") != 0 && strcmp(goal, "maximize") != 0))
		return form_sweep_bad(bad, FS_METRIC, why,
		    xstrdup("Metric: a name and min or max (val_loss min)"));
	json_object_set_new(spec, "metric",
	    json_pack("{s:s,s:s}", "name", name, "goal",
	        strncmp(goal, "max", 3) == 0 ? "maximize" : "minimize"));
	return 0;
}

static int
form_sweep_command(json_t *spec, const char *v, int *bad, char **why)
{
	const char *w = NULL;
	json_t *argv;

	if (v[0] == '\0') {
		json_object_del(spec, "command");
		return 0;
	}
	if ((argv = cmdline_argv(v, &w)) == NULL)
		return form_sweep_bad(bad, FS_COMMAND, why,
		    xasprintf("Command: %s", w));
	json_object_set_new(spec, "command", argv);
	return 0;
}

/* The resources object of spec, made when missing (borrowed). */
static json_t *
form_sweep_res(json_t *spec)
{
	json_t *r = json_object_get(spec, "resources");

	if (!json_is_object(r)) {
		r = json_object();
		json_object_set_new(spec, "resources", r);
	}
	return r;
}

static int
form_sweep_gpus(json_t *spec, const char *v, int *bad, char **why)
{
	int32_t milli;

	if (v[0] == '\0') {
		json_object_del(form_sweep_res(spec), "gpus");
		return 0;
	}
	if (units_parse_gpus(v, &milli) != 0)
		return form_sweep_bad(bad, FS_GPUS, why,
		    xstrdup("GPUs/trial: a number like 1 or 0.25"));
	json_object_set_new(form_sweep_res(spec), "gpus",
	    json_real(milli / 1000.0));
	return 0;
}

static int
form_sweep_time(json_t *spec, const char *v, int *bad, char **why)
{
	int64_t secs;

	if (v[0] == '\0') {
		json_object_del(form_sweep_res(spec), "time");
		return 0;
	}
	if (units_parse_duration(v, 60, &secs) != 0 || secs <= 0)
		return form_sweep_bad(bad, FS_TIME, why,
		    xstrdup("Time/trial: like 2h or 30m"));
	json_object_set_new(form_sweep_res(spec), "time",
	    json_sprintf("%llds", (long long)secs));
	return 0;
}

static int
form_sweep_method(json_t *spec, const char *v, int *bad, char **why)
{
	if (v[0] == '\0') {
		json_object_del(spec, "method");
		return 0;
	}
	if (strcmp(v, "grid") != 0 && strcmp(v, "random") != 0 &&
	    strcmp(v, "bayes") != 0)
		return form_sweep_bad(bad, FS_METHOD, why,
		    xstrdup("Method: grid, random or bayes"));
	json_object_set_new(spec, "method", json_string(v));
	return 0;
}

/* The name of a parameter line ("lr" of "lr: ..."), into out. */
static void
form_sweep_line_name(const char *line, char *out, size_t n)
{
	const char *colon = strchr(line, ':');

	while (isspace((unsigned char)*line))
		line++;
	if (colon == NULL || colon < line)
		out[0] = '\0';
	else
		snprintf(out, n, "%.*s", (int)(colon - line), line);
	while (out[0] != '\0' && isspace((unsigned char)out[strlen(out) - 1]))
		out[strlen(out) - 1] = '\0';
}

static int
form_sweep_params(json_t *spec, const char *const *vals,
    const char *const *orig, int *bad, char **why)
{
	json_t *params = json_object_get(spec, "parameters"), *p;
	char old[FS_LINE_MAX], *name;
	int f;

	if (!json_is_object(params)) {
		params = json_object();
		json_object_set_new(spec, "parameters", params);
	}
	for (f = FS_PARAM0; f < FS_NFIELDS; f++) {
		if (strcmp(vals[f], orig != NULL ? orig[f] : "") == 0)
			continue;
		form_sweep_line_name(orig != NULL ? orig[f] : "", old,
		    sizeof(old));
		if (old[0] != '\0')
			json_object_del(params, old);
		if (vals[f][0] == '\0')
			continue;
		if (form_sweep_spec_param_parse(vals[f], &name, &p, why) != 0) {
			*bad = f;
			return GQ_EINVAL;
		}
		json_object_set_new(params, name, p);
		free(name);
	}
	return 0;
}

static int
form_sweep_changed(const char *const *vals, const char *const *orig, int f)
{
	return strcmp(vals[f], orig != NULL ? orig[f] : "") != 0;
}

/* Applies the changed head fields; 0 or GQ_EINVAL. */
static int
form_sweep_head(json_t *spec, const char *const *v, const char *const *o,
    int *bad, char **why)
{
	if (form_sweep_changed(v, o, FS_NAME)) {
		if (v[FS_NAME][0] != '\0')
			json_object_set_new(spec, "name",
			    json_string(v[FS_NAME]));
		else
			json_object_del(spec, "name");
	}
	if ((form_sweep_changed(v, o, FS_COMMAND) &&
	        form_sweep_command(spec, v[FS_COMMAND], bad, why) != 0) ||
	    (form_sweep_changed(v, o, FS_METRIC) &&
	        form_sweep_metric(spec, v[FS_METRIC], bad, why) != 0) ||
	    (form_sweep_changed(v, o, FS_METHOD) &&
	        form_sweep_method(spec, v[FS_METHOD], bad, why) != 0) ||
	    (form_sweep_changed(v, o, FS_TRIALS) &&
	        form_sweep_count(spec, "trials", v[FS_TRIALS], FS_TRIALS, bad,
	            why) != 0) ||
	    (form_sweep_changed(v, o, FS_PARALLEL) &&
	        form_sweep_count(spec, "parallel", v[FS_PARALLEL], FS_PARALLEL,
	            bad, why) != 0) ||
	    (form_sweep_changed(v, o, FS_GPUS) &&
	        form_sweep_gpus(spec, v[FS_GPUS], bad, why) != 0) ||
	    (form_sweep_changed(v, o, FS_TIME) &&
	        form_sweep_time(spec, v[FS_TIME], bad, why) != 0))
		return GQ_EINVAL;
	return 0;
}

int
form_sweep_spec_build(const json_t *base, const char *const *vals,
    const char *const *orig, json_t **spec, int *bad, char **why)
{
	json_t *s = json_is_object(base) ? json_deep_copy(base) : json_object();

	*spec = NULL;
	*why = NULL;
	*bad = -1;
	if (form_sweep_head(s, vals, orig, bad, why) != 0 ||
	    form_sweep_params(s, vals, orig, bad, why) != 0) {
		json_decref(s);
		return GQ_EINVAL;
	}
	*spec = s;
	return 0;
}
