/*
 * The sweep form (S): a sweep file or a job as the template, loaded by a
 * dry run of sweep.create (the daemon reads the file, or makes one from
 * the job's argv, and answers its spec); then the fields to edit
 * (parameters, method, trials, parallel, GPUs and time per trial); then
 * Preview, another dry run: how many trials, the first ones, GPU-hours;
 * then a confirmation; only its Launch sends sweep.create.  Text fields
 * take every printable key.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/form-sweep.h"
#include "tui/keys.h"
#include "tui/tui.h"

#define FORM_SWEEP_FILE_MAX (1024 * 1024) /* sweep.create's limit */
#define FORM_SWEEP_LABEL    12

extern char **environ;

enum { FSB_CANCEL = FS_NFIELDS, FSB_LOAD, FSB_PREVIEW, FSB_N };

struct form_sweep {
	struct overlay o;
	struct tui *t;
	struct field f[FS_NFIELDS];
	char orig[FS_NFIELDS][FIELD_MAX]; /* the texts as loaded */
	json_t *base;                     /* the loaded spec, or NULL */
	json_t *sent;                     /* the params of the last dry run */
	int focus;                        /* a field or a button */
	int busy;                         /* a dry run is on its way */
	unsigned req;
	char err[256], note[256];
};

/* The open form, for replies that come after it closed. */
static struct form_sweep *form_sweep_cur;

static void
form_sweep_free(struct overlay *o)
{
	struct form_sweep *fs = (struct form_sweep *)o;

	if (form_sweep_cur == fs)
		form_sweep_cur = NULL;
	json_decref(fs->base);
	json_decref(fs->sent);
	free(fs);
}

static void
form_sweep_draw_field(struct tui *t, struct form_sweep *fs, WINDOW *win, int i,
    int w)
{
	int y = 1 + i, focused = fs->focus == i;
	const char *hint =
	    fs->f[i].len == 0 && !focused ? form_sweep_spec_hint(i) : "";

	wattrset(win, draw_attr(t, THEME_DIALOG));
	draw_right(win, y, 1, form_sweep_spec_label(i), FORM_SWEEP_LABEL);
	wattrset(win,
	    draw_attr(t, focused ? THEME_DIALOG_FOCUS : THEME_DIALOG_BUTTON));
	draw_text(win, y, FORM_SWEEP_LABEL + 2, hint[0] ? "" : fs->f[i].text,
	    w - FORM_SWEEP_LABEL - 4, 1);
	if (hint[0] != '\0') {
		wattrset(win, draw_attr(t, THEME_MUTED));
		draw_text(win, y, FORM_SWEEP_LABEL + 2, hint,
		    w - FORM_SWEEP_LABEL - 4, 0);
	}
}

static void
form_sweep_draw_buttons(struct tui *t, struct form_sweep *fs, WINDOW *win,
    int y, int w)
{
	static const char *const names[3] = { "Cancel", "Load", "Preview" };
	char b[64];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(b, sizeof(b),
		    fs->focus == FSB_CANCEL + i ? "[> %s <]" : "[  %s  ]",
		    names[i]);
		wattrset(win,
		    draw_attr(t,
		        fs->focus == FSB_CANCEL + i ? THEME_DIALOG_FOCUS :
		                                      THEME_DIALOG_BUTTON));
		draw_text(win, y, 2 + 14 * i, b, w - 4 - 14 * i, 0);
	}
}

static void
form_sweep_draw(struct tui *t, struct overlay *o)
{
	struct form_sweep *fs = (struct form_sweep *)o;
	int h = FS_NFIELDS + 6, w = 78, i, col;
	WINDOW *win;

	win = draw_box(t, h, w, "Launch a sweep");
	getmaxyx(win, h, w);
	for (i = 0; i < FS_NFIELDS && i + 1 < h - 5; i++)
		form_sweep_draw_field(t, fs, win, i, w);
	wattrset(win,
	    draw_attr(t, fs->err[0] ? THEME_STATUS_ERROR : THEME_MUTED));
	draw_text(win, h - 5, 2,
	    fs->err[0]   ? fs->err :
	        fs->busy ? "Asking the daemon (a dry run)..." :
	                   fs->note,
	    w - 4, 0);
	form_sweep_draw_buttons(t, fs, win, h - 3, w);
	wattrset(win, draw_attr(t, THEME_HINT));
	draw_text(win, h - 2, 2,
	    "Tab/S-Tab move  Enter next/choose  Esc cancel  nothing runs "
	    "until you confirm",
	    w - 4, 0);
	if (fs->focus < FS_NFIELDS && fs->focus + 1 < h - 5) {
		col = FORM_SWEEP_LABEL + 2 +
		    (int)field_cursor_col(&fs->f[fs->focus]);
		wmove(win, 1 + fs->focus, col < w - 2 ? col : w - 2);
		curs_set(1);
	}
	wnoutrefresh(win);
	delwin(win);
}

/* Reads a sweep file here (as `gpuq sweep create FILE` does). */
static char *
form_sweep_read(const char *path, char *err, size_t n)
{
	char *text = xmalloc(FORM_SWEEP_FILE_MAX + 1);
	size_t len;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		free(text);
		return NULL;
	}
	len = fread(text, 1, FORM_SWEEP_FILE_MAX + 1, f);
	fclose(f);
	if (len > FORM_SWEEP_FILE_MAX) {
		snprintf(err, n, "%s: over 1 MiB", path);
		free(text);
		return NULL;
	}
	text[len] = '\0';
	return text;
}

static int
form_sweep_json_name(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && strcmp(path + n - 5, ".json") == 0;
}

/* Where trials start without a job: the sweep file's directory, as with
 * `gpuq sweep create FILE`, else here.  Returns 0 when unknown. */
static int
form_sweep_workdir(const char *file, char *out, size_t n)
{
	char real[PATH_MAX], *slash;

	if (file[0] != '\0' && realpath(file, real) != NULL &&
	    (slash = strrchr(real, '/')) != NULL) {
		*slash = '\0';
		if (real[0] == '\0')
			strcpy(real, "/");
		if (strlen(real) >= n)
			return 0;
		memcpy(out, real, strlen(real) + 1);
		return 1;
	}
	return getcwd(out, n) != NULL;
}

/*
 * sweep.create params for what the form says: from_job, the file (read
 * here, or the spec built from the fields as JSON), the workdir (here,
 * unless a job gives it).  Returns NULL with fs->err set.
 */
static json_t *
form_sweep_params(struct form_sweep *fs, const json_t *spec)
{
	json_t *p = json_object();
	char cwd[FIELD_MAX], *text;
	long long id;
	char *end;

	if (fs->f[FS_JOB].text[0] != '\0') {
		id = strtoll(fs->f[FS_JOB].text, &end, 10);
		if (*end != '\0' || id <= 0) {
			snprintf(fs->err, sizeof(fs->err),
			    "From job: a job id, like 12");
			fs->focus = FS_JOB;
			json_decref(p);
			return NULL;
		}
		json_object_set_new(p, "from_job", json_integer(id));
	} else if (form_sweep_workdir(fs->f[FS_FILE].text, cwd, sizeof(cwd)))
		json_object_set_new(p, "workdir", json_string(cwd));
	if (spec != NULL) {
		text = json_dumps(spec, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_object_set_new(p, "file", json_string(text ? text : "{}"));
		json_object_set_new(p, "format", json_string("json"));
		free(text);
	} else if (fs->f[FS_FILE].text[0] != '\0') {
		text = form_sweep_read(fs->f[FS_FILE].text, fs->err,
		    sizeof(fs->err));
		if (text == NULL) {
			fs->focus = FS_FILE;
			json_decref(p);
			return NULL;
		}
		json_object_set_new(p, "file", json_string(text));
		json_object_set_new(p, "format",
		    json_string(form_sweep_json_name(fs->f[FS_FILE].text) ?
		            "json" :
		            "yaml"));
		free(text);
	}
	return p;
}

/* Fills the fields from a dry run's spec: the loaded template. */
static void
form_sweep_fill(struct form_sweep *fs, const json_t *result)
{
	static char vals[FS_NFIELDS][FIELD_MAX];
	const json_t *spec = json_object_get(result, "spec");
	size_t left, i, np = 0;

	json_decref(fs->base);
	fs->base = json_deep_copy(spec);
	for (i = 0; i < FS_NFIELDS; i++)
		snprintf(vals[i], sizeof(vals[i]), "%s", fs->f[i].text);
	left = form_sweep_spec_fields(spec, vals, sizeof(vals[0]));
	if (vals[FS_NAME][0] == '\0' &&
	    json_is_string(json_object_get(result, "name")))
		snprintf(vals[FS_NAME], sizeof(vals[FS_NAME]), "%s",
		    json_string_value(json_object_get(result, "name")));
	for (i = 0; i < FS_NFIELDS; i++) {
		field_set(&fs->f[i], vals[i]);
		memcpy(fs->orig[i], fs->f[i].text, sizeof(fs->orig[i]));
		np += i >= FS_PARAM0 && vals[i][0] != '\0';
	}
	snprintf(fs->note, sizeof(fs->note),
	    "Loaded: %zu parameter%s%s; edit, then Preview", np,
	    np == 1 ? "" : "s",
	    left ? " (more kept as in the file: not shown)" : "");
}

static int
form_sweep_mine(struct form_sweep *fs, int64_t tag)
{
	return form_sweep_cur == fs && (unsigned)tag == fs->req;
}

static void
form_sweep_loaded(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct form_sweep *fs = form_sweep_cur;

	if (fs == NULL || !form_sweep_mine(fs, tag))
		return;
	fs->busy = 0;
	if (code != 0)
		snprintf(fs->err, sizeof(fs->err), "%s%s%s", gq_err_text(code),
		    message && message[0] ? ": " : "", message ? message : "");
	else
		form_sweep_fill(fs, result);
	tui_dirty(fs->t);
}

static void
form_sweep_ask(struct form_sweep *fs, json_t *p,
    void (*fn)(void *, int64_t, int, json_t *, const char *))
{
	struct rpc_reply_cb cb = { fn, fs->t, (int64_t)++fs->req };

	json_object_set_new(p, "dry_run", json_true());
	json_decref(fs->sent);
	fs->sent = json_incref(p);
	if (session_call(&fs->t->sess, "sweep.create", p, &cb) != 0) {
		snprintf(fs->err, sizeof(fs->err), "not connected");
		return;
	}
	fs->busy = 1;
}

static void
form_sweep_load(struct form_sweep *fs)
{
	json_t *p;

	if (fs->f[FS_FILE].text[0] == '\0' && fs->f[FS_JOB].text[0] == '\0') {
		snprintf(fs->err, sizeof(fs->err),
		    "Load: give a sweep file, or a job to start from");
		fs->focus = FS_FILE;
		return;
	}
	if ((p = form_sweep_params(fs, NULL)) != NULL)
		form_sweep_ask(fs, p, form_sweep_loaded);
}

static void
form_sweep_created(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	json_t *s = json_object_get(result, "sweep");
	json_t *id = json_object_get(s, "id");

	if (code != 0) {
		tui_status(t, REVENT_ERROR, "sweep: %s%s%s", gq_err_text(code),
		    message && message[0] ? ": " : "", message ? message : "");
		return;
	}
	if (!json_is_integer(id))
		return;
	tui_status(t, REVENT_INFO, "sweep %lld started: %lld trials",
	    (long long)json_integer_value(id),
	    (long long)json_integer_value(json_object_get(s, "budget")));
	view_show(t, VIEW_SWEEP, (int64_t)json_integer_value(id));
}

/* The environment gpuq submit sends: this gpuq's. */
static json_t *
form_sweep_env(void)
{
	json_t *env = json_object();
	char name[256], **e;
	const char *eq;

	for (e = environ; e != NULL && *e != NULL; e++)
		if ((eq = strchr(*e, '=')) != NULL && eq > *e &&
		    (size_t)(eq - *e) < sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)(eq - *e),
			    *e);
			json_object_set_new(env, name, json_string(eq + 1));
		}
	return env;
}

static void
form_sweep_send(struct tui *t, void *arg)
{
	json_t *p = arg;
	struct rpc_reply_cb cb = { form_sweep_created, t, 0 };

	json_object_del(p, "dry_run");
	if (json_object_get(p, "from_job") == NULL)
		json_object_set_new(p, "env", form_sweep_env());
	if (session_call_keyed(&t->sess, "sweep.create", json_incref(p), &cb) !=
	    0)
		tui_status(t, REVENT_ERROR, "sweep: not connected");
}

/* A parameter's value as the preview shows it: 0.0157, 64, adam. */
static void
form_sweep_value(struct buf *b, const json_t *v)
{
	char *dump;

	if (json_is_real(v))
		buf_printf(b, "%.4g", json_real_value(v));
	else if (json_is_string(v))
		fmt_safe(b, json_string_value(v));
	else {
		dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		fmt_safe(b, dump != NULL ? dump : "?");
		free(dump);
	}
}

/* "t1  lr=0.001 batch_size=32" */
static void
form_sweep_trial_line(const json_t *tr, char *out, size_t n)
{
	const char *k;
	json_t *v;
	struct buf b;

	buf_init(&b, n - 1);
	buf_printf(&b, "  t%-3lld",
	    (long long)json_integer_value(json_object_get(tr, "trial")));
	json_object_foreach(json_object_get(tr, "params"), k, v) {
		buf_addstr(&b, " ");
		fmt_safe(&b, k);
		buf_addstr(&b, "=");
		form_sweep_value(&b, v);
	}
	snprintf(out, n, "%s", b.data != NULL ? b.data : "");
	buf_done(&b);
}

/* "runs      sh train.sh --lr=0.0157": the first trial's argv. */
static void
form_sweep_argv_line(const json_t *tr, char *out, size_t n)
{
	struct buf b;

	buf_init(&b, n - 1);
	buf_addstr(&b, "runs      ");
	fmt_argv(&b, json_object_get(tr, "argv"));
	snprintf(out, n, "%s", b.data != NULL ? b.data : "");
	buf_done(&b);
}

#define FORM_SWEEP_PREVIEW 10 /* lines of the confirmation */

static size_t
form_sweep_preview_lines(const json_t *r, char lines[][256])
{
	json_t *tr = json_object_get(r, "trials");
	json_t *gh = json_object_get(r, "gpu_hours");
	long long tl = json_integer_value(json_object_get(r, "time_limit_s"));
	size_t i, n = 0;
	char d[32];

	snprintf(lines[n++], 256, "sweep     %s: %s, %lld trials, %lld at once",
	    json_string_value(json_object_get(r, "name")) ?: "?",
	    json_string_value(json_object_get(r, "method")) ?: "?",
	    (long long)json_integer_value(json_object_get(r, "budget")),
	    (long long)json_integer_value(json_object_get(r, "parallel")));
	if (tl > 0)
		units_fmt_duration(tl, d, sizeof(d));
	snprintf(lines[n++], 256, "each      %g GPU, time limit %s",
	    json_number_value(json_object_get(r, "gpus")), tl > 0 ? d : "none");
	if (json_is_number(gh))
		snprintf(lines[n++], 256,
		    "GPU-hours at most %.1f (trials x "
		    "GPUs x time limit)",
		    json_number_value(gh));
	else
		snprintf(lines[n++], 256,
		    "GPU-hours not bounded: no time limit per trial");
	if (json_is_array(json_object_get(json_array_get(tr, 0), "argv")))
		form_sweep_argv_line(json_array_get(tr, 0), lines[n++], 256);
	for (i = 0; i < json_array_size(tr) && n < FORM_SWEEP_PREVIEW - 1; i++)
		form_sweep_trial_line(json_array_get(tr, i), lines[n++], 256);
	if (json_array_size(tr) > i)
		snprintf(lines[n++], 256, "  ... %zu more listed",
		    json_array_size(tr) - i);
	return n;
}

static void
form_sweep_previewed(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct form_sweep *fs = form_sweep_cur;
	char lines[FORM_SWEEP_PREVIEW][256];
	const char *lp[FORM_SWEEP_PREVIEW];
	size_t i, n;
	json_t *p;

	if (fs == NULL || !form_sweep_mine(fs, tag))
		return;
	fs->busy = 0;
	tui_dirty(fs->t);
	if (code != 0) {
		snprintf(fs->err, sizeof(fs->err), "%s%s%s", gq_err_text(code),
		    message && message[0] ? ": " : "", message ? message : "");
		return;
	}
	n = form_sweep_preview_lines(result, lines);
	for (i = 0; i < n; i++)
		lp[i] = lines[i];
	p = fs->sent;
	fs->sent = NULL;
	overlay_pop(fs->t); /* fs is gone from here on */
	dialog_confirm(arg, "Launch this sweep?", lp, n, "Launch",
	    form_sweep_send, p, (void (*)(void *))json_decref);
}

static void
form_sweep_preview(struct form_sweep *fs)
{
	const char *v[FS_NFIELDS], *o[FS_NFIELDS];
	json_t *spec, *p;
	char *why = NULL;
	int bad, i;

	if (fs->base == NULL &&
	    (fs->f[FS_FILE].text[0] != '\0' || fs->f[FS_JOB].text[0] != '\0')) {
		snprintf(fs->err, sizeof(fs->err),
		    "Load the file or the job first (Load), then Preview");
		fs->focus = FSB_LOAD;
		return;
	}
	for (i = 0; i < FS_NFIELDS; i++) {
		v[i] = fs->f[i].text;
		o[i] = fs->orig[i];
	}
	if (form_sweep_spec_build(fs->base, v, o, &spec, &bad, &why) != 0) {
		snprintf(fs->err, sizeof(fs->err), "%s",
		    why ? why : "bad input");
		free(why);
		fs->focus = bad >= 0 ? bad : 0;
		return;
	}
	p = form_sweep_params(fs, spec);
	json_decref(spec);
	if (p != NULL)
		form_sweep_ask(fs, p, form_sweep_previewed);
}

static void
form_sweep_enter(struct tui *t, struct form_sweep *fs)
{
	if (fs->focus == FSB_CANCEL)
		overlay_pop(t);
	else if (fs->busy)
		snprintf(fs->note, sizeof(fs->note),
		    "wait: the daemon is "
		    "answering");
	else if (fs->focus == FSB_LOAD)
		form_sweep_load(fs);
	else if (fs->focus == FSB_PREVIEW)
		form_sweep_preview(fs);
	else
		fs->focus++;
}

static int
form_sweep_key(struct tui *t, struct overlay *o, int key)
{
	struct form_sweep *fs = (struct form_sweep *)o;

	if (key == KEYS_ESC || key == KEYS_CTRL('c')) {
		overlay_pop(t);
		return 1;
	}
	fs->err[0] = '\0';
	if (key == KEYS_TAB || key == KEYS_DOWN)
		fs->focus = (fs->focus + 1) % FSB_N;
	else if (key == KEYS_BTAB || key == KEYS_UP)
		fs->focus = (fs->focus + FSB_N - 1) % FSB_N;
	else if (key == KEYS_ENTER)
		form_sweep_enter(t, fs);
	else if (fs->focus < FS_NFIELDS)
		field_key(&fs->f[fs->focus], key);
	tui_dirty(t);
	return 1;
}

static const struct overlay_class form_sweep_class = {
	.name = "sweep",
	.draw = form_sweep_draw,
	.key = form_sweep_key,
	.free = form_sweep_free,
};

void
form_sweep_open(struct tui *t, int64_t template)
{
	struct form_sweep *fs = xcalloc(1, sizeof(*fs));
	const struct rjob *j = replica_job(&t->rep, template);
	char id[32];

	fs->o.cls = &form_sweep_class;
	fs->t = t;
	form_sweep_cur = fs;
	overlay_push(t, &fs->o);
	snprintf(fs->note, sizeof(fs->note),
	    "A sweep file or a job of yours as the template: Load.");
	/* A job of yours: its command is the template, loaded at once. */
	if (j != NULL && t->me != NULL && j->user != NULL &&
	    strcmp(j->user, t->me) == 0) {
		snprintf(id, sizeof(id), "%lld", (long long)template);
		field_set(&fs->f[FS_JOB], id);
		form_sweep_load(fs);
	}
}
