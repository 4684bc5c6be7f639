/*
 * The submit form (s): the fields of `gpuq submit`, then a preview (the
 * argv as it will run, the resources, GPU-hours, whether it fits), then a
 * confirmation.  Nothing runs until confirmed.  Text fields take every
 * printable key, so typing `q` or `C` never reaches the views.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/cmdline.h"
#include "tui/conf.h"
#include "tui/fmt.h"
#include "tui/form-submit.h"
#include "tui/keys.h"
#include "tui/tui.h"

extern char **environ;

static const char *const form_labels[FORM_NFIELDS] = { "Command", "Name",
	"Project", "GPUs", "GPU memory", "CPUs", "Memory", "Time limit",
	"Class", "Priority", "Preemptible", "Workdir" };

static const char *const form_hints[FORM_NFIELDS] = {
	"the program and its arguments; quotes group words",
	"default: the program's name", "default: default",
	"whole GPUs (2) or a share of one (0.5)",
	"a share sized by memory (20G), instead of GPUs", "default: 1",
	"default: 4G", "e.g. 2h, 30m; default: none",
	"train, interactive or inference", "-1000 .. 1000",
	"yes or no; default: yes for train", "absolute path"
};

const char *
form_submit_label(int i)
{
	return i >= 0 && i < FORM_NFIELDS ? form_labels[i] : "?";
}

static int
form_bad(int *bad, int field, char **why, const char *msg)
{
	*bad = field;
	*why = xstrdup(msg);
	return GQ_EINVAL;
}

static int
form_units(const char *const *v, json_t *p, int *bad, char **why)
{
	int32_t milli;
	int64_t mb, secs;

	if (v[FORM_GPUS][0] && units_parse_gpus(v[FORM_GPUS], &milli) != 0)
		return form_bad(bad, FORM_GPUS, why,
		    "GPUs: a number like 2 "
		    "or 0.5");
	if (v[FORM_GPUS][0])
		json_object_set_new(p, "gpus", json_real(milli / 1000.0));
	if (v[FORM_GPUMEM][0] && units_parse_mem_mb(v[FORM_GPUMEM], &mb) != 0)
		return form_bad(bad, FORM_GPUMEM, why, "GPU memory: like 20G");
	if (v[FORM_GPUMEM][0])
		json_object_set_new(p, "gpu_mem_mb", json_integer(mb));
	if (v[FORM_CPUS][0] && units_parse_cpus(v[FORM_CPUS], &milli) != 0)
		return form_bad(bad, FORM_CPUS, why, "CPUs: a number like 4");
	if (v[FORM_CPUS][0])
		json_object_set_new(p, "cpus", json_real(milli / 1000.0));
	if (v[FORM_MEM][0] && units_parse_mem_mb(v[FORM_MEM], &mb) != 0)
		return form_bad(bad, FORM_MEM, why, "Memory: like 16G");
	if (v[FORM_MEM][0])
		json_object_set_new(p, "mem_mb", json_integer(mb));
	if (v[FORM_TIME][0] &&
	    units_parse_duration(v[FORM_TIME], 60, &secs) != 0)
		return form_bad(bad, FORM_TIME, why, "Time limit: like 2h");
	if (v[FORM_TIME][0])
		json_object_set_new(p, "time_limit_s", json_integer(secs));
	return 0;
}

static int
form_words(const char *const *v, json_t *p, int *bad, char **why)
{
	char *end;
	long prio;

	if (v[FORM_NAME][0])
		json_object_set_new(p, "name", json_string(v[FORM_NAME]));
	if (v[FORM_PROJECT][0])
		json_object_set_new(p, "project", json_string(v[FORM_PROJECT]));
	if (v[FORM_CLASS][0] && strcmp(v[FORM_CLASS], "train") != 0 &&
	    strcmp(v[FORM_CLASS], "interactive") != 0 &&
	    strcmp(v[FORM_CLASS], "inference") != 0)
		return form_bad(bad, FORM_CLASS, why,
		    "Class: train, interactive or inference");
	if (v[FORM_CLASS][0])
		json_object_set_new(p, "class", json_string(v[FORM_CLASS]));
	prio = strtol(v[FORM_PRIO], &end, 10);
	if (v[FORM_PRIO][0] && (*end != '\0' || prio < -1000 || prio > 1000))
		return form_bad(bad, FORM_PRIO, why, "Priority: -1000 .. 1000");
	if (v[FORM_PRIO][0])
		json_object_set_new(p, "priority", json_integer(prio));
	if (v[FORM_PREEMPT][0] && conf_bool(v[FORM_PREEMPT]) < 0)
		return form_bad(bad, FORM_PREEMPT, why,
		    "Preemptible: yes or no");
	if (v[FORM_PREEMPT][0])
		json_object_set_new(p, "preemptible",
		    json_boolean(conf_bool(v[FORM_PREEMPT])));
	if (v[FORM_WORKDIR][0] != '/')
		return form_bad(bad, FORM_WORKDIR, why,
		    "Workdir: an absolute path");
	json_object_set_new(p, "workdir", json_string(v[FORM_WORKDIR]));
	return 0;
}

int
form_submit_params(const char *const *vals, json_t **params, int *bad,
    char **why)
{
	const char *w = NULL;
	json_t *argv, *p;
	int rc;

	*params = NULL;
	*why = NULL;
	*bad = -1;
	if ((argv = cmdline_argv(vals[FORM_CMD], &w)) == NULL)
		return form_bad(bad, FORM_CMD, why, w);
	if (json_array_size(argv) == 0) {
		json_decref(argv);
		return form_bad(bad, FORM_CMD, why, "Command: what to run");
	}
	p = json_object();
	json_object_set_new(p, "argv", argv);
	if ((rc = form_units(vals, p, bad, why)) != 0 ||
	    (rc = form_words(vals, p, bad, why)) != 0) {
		json_decref(p);
		return rc;
	}
	*params = p;
	return 0;
}

/* The form as an overlay. */
struct form {
	struct overlay o;
	struct field f[FORM_NFIELDS];
	int focus; /* a field, or FORM_NFIELDS (Cancel), +1 (Preview) */
	char err[256];
};

static void
form_free(struct overlay *o)
{
	free(o);
}

static void
form_draw_field(struct tui *t, struct form *fm, WINDOW *win, int i, int w)
{
	int y = 1 + i, focused = fm->focus == i;
	const char *hint = fm->f[i].len == 0 && !focused ? form_hints[i] : "";

	wattrset(win, draw_attr(t, THEME_DIALOG));
	draw_right(win, y, 1, form_labels[i], 12);
	wattrset(win,
	    draw_attr(t, focused ? THEME_DIALOG_FOCUS : THEME_DIALOG_BUTTON));
	draw_text(win, y, 14, hint[0] ? "" : fm->f[i].text, w - 16, 1);
	if (hint[0] != '\0') {
		wattrset(win, draw_attr(t, THEME_MUTED));
		draw_text(win, y, 14, hint, w - 16, 0);
	}
}

static void
form_draw(struct tui *t, struct overlay *o)
{
	struct form *fm = (struct form *)o;
	int h = FORM_NFIELDS + 6, w = 76, i;
	char b[64];
	WINDOW *win;

	win = draw_box(t, h, w, "Submit a job");
	getmaxyx(win, h, w);
	for (i = 0; i < FORM_NFIELDS && i + 1 < h - 4; i++)
		form_draw_field(t, fm, win, i, w);
	wattrset(win, draw_attr(t, THEME_STATUS_ERROR));
	draw_text(win, h - 4, 2, fm->err, w - 4, 0);
	for (i = 0; i < 2; i++) {
		snprintf(b, sizeof(b),
		    fm->focus == FORM_NFIELDS + i ? "[> %s <]" : "[  %s  ]",
		    i ? "Preview" : "Cancel");
		wattrset(win,
		    draw_attr(t,
		        fm->focus == FORM_NFIELDS + i ? THEME_DIALOG_FOCUS :
		                                        THEME_DIALOG_BUTTON));
		draw_text(win, h - 3, 2 + 14 * i, b, w - 4, 0);
	}
	wattrset(win, draw_attr(t, THEME_HINT));
	draw_text(win, h - 2, 2,
	    "Tab/S-Tab move  Enter next/choose  Esc "
	    "cancel  nothing runs until you confirm",
	    w - 4, 0);
	if (fm->focus < FORM_NFIELDS) {
		i = 14 + (int)field_cursor_col(&fm->f[fm->focus]);
		wmove(win, 1 + fm->focus, i < w - 2 ? i : w - 2);
		curs_set(1);
	}
	wnoutrefresh(win);
	delwin(win);
}

static const char *
form_vals(struct form *fm, const char **v)
{
	int i;

	for (i = 0; i < FORM_NFIELDS; i++)
		v[i] = fm->f[i].text;
	return v[0];
}

/* Would the request fit some node now, or ever (from cluster.status)? */
static const char *
form_fit(struct tui *t, const json_t *p)
{
	int32_t milli = fmt_milli(json_object_get(p, "gpus"));
	size_t n, g, whole, most = 0, biggest = 0;
	int frac_now = 0;

	if (!t->rep.have_status)
		return "unknown (no cluster.status yet)";
	for (n = 0; n < t->rep.nnodes; n++) {
		whole = 0;
		for (g = 0; g < t->rep.nodes[n].ngpus; g++) {
			const struct rgpu *gp =
			    &t->rep.gpus[t->rep.nodes[n].first_gpu + g];

			whole += gp->alloc_milli == 0;
			frac_now |= 1000 - gp->alloc_milli >= milli;
		}
		most = whole > most ? whole : most;
		biggest = t->rep.nodes[n].ngpus > biggest ?
		    t->rep.nodes[n].ngpus :
		    biggest;
	}
	if (milli >= 1000 && (size_t)(milli / 1000) > biggest)
		return "never: no node has that many GPUs (ENOFIT)";
	if (milli >= 1000)
		return (size_t)(milli / 1000) <= most ?
		    "yes, GPUs are free now" :
		    "it waits: not enough "
		    "free GPUs now";
	return frac_now ? "yes, a GPU has room now" :
	                  "it waits: no GPU has that share free now";
}

static void
form_submitted(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	json_t *id = json_object_get(json_object_get(result, "job"), "id");

	if (code != 0) {
		tui_status(t, REVENT_ERROR, "submit: %s%s%s", gq_err_text(code),
		    message && message[0] ? ": " : "", message ? message : "");
		return;
	}
	if (json_is_integer(id)) {
		t->views[VIEW_JOBS]->sel_id = (int64_t)json_integer_value(id);
		tui_status(t, REVENT_INFO, "submitted job %lld",
		    (long long)json_integer_value(id));
	}
}

static void
form_send(struct tui *t, void *arg)
{
	json_t *p = arg, *env = json_object();
	struct rpc_reply_cb cb = { form_submitted, t, 0 };
	char **e;
	const char *eq;

	for (e = environ; e != NULL && *e != NULL; e++)
		if ((eq = strchr(*e, '=')) != NULL && eq > *e &&
		    (size_t)(eq - *e) < 256) {
			char name[256];

			snprintf(name, sizeof(name), "%.*s", (int)(eq - *e),
			    *e);
			json_object_set_new(env, name, json_string(eq + 1));
		}
	json_object_set_new(p, "env", env);
	if (session_call_keyed(&t->sess, "job.submit", json_incref(p), &cb) !=
	    0)
		tui_status(t, REVENT_ERROR, "submit: not connected");
}

static void
form_preview_lines(struct tui *t, const json_t *p, char lines[][256])
{
	struct buf b;
	double gpus = json_number_value(json_object_get(p, "gpus"));
	json_t *tl = json_object_get(p, "time_limit_s");

	buf_init(&b, 255);
	fmt_argv(&b, json_object_get(p, "argv"));
	snprintf(lines[0], 256, "runs      %s", b.data ? b.data : "");
	buf_done(&b);
	snprintf(lines[1], 256, "in        %s",
	    json_string_value(json_object_get(p, "workdir")));
	snprintf(lines[2], 256, "jobs      1, GPUs %g%s", gpus,
	    json_object_get(p, "gpu_mem_mb") ? " (by memory)" : "");
	if (json_is_integer(tl) && json_integer_value(tl) > 0)
		snprintf(lines[3], 256, "GPU-hours at most %.2f (time limit)",
		    gpus * (double)json_integer_value(tl) / 3600.0);
	else
		snprintf(lines[3], 256, "GPU-hours not bounded: no time limit");
	snprintf(lines[4], 256, "fits      %s", form_fit(t, p));
	snprintf(lines[5], 256, "preempts  not previewed by this daemon");
	snprintf(lines[6], 256,
	    "env       this gpuq's environment, as gpuq "
	    "submit sends it");
}

static void
form_preview(struct tui *t, struct form *fm)
{
	const char *v[FORM_NFIELDS], *lp[7];
	char lines[7][256], *why = NULL;
	json_t *p;
	int bad, i;

	form_vals(fm, v);
	if (form_submit_params(v, &p, &bad, &why) != 0) {
		snprintf(fm->err, sizeof(fm->err), "%s",
		    why ? why : "bad input");
		free(why);
		fm->focus = bad >= 0 ? bad : 0;
		return;
	}
	form_preview_lines(t, p, lines);
	for (i = 0; i < 7; i++)
		lp[i] = lines[i];
	overlay_pop(t);
	dialog_confirm(t, "Submit this job?", lp, 7, "Submit", form_send, p,
	    (void (*)(void *))json_decref);
}

static int
form_key(struct tui *t, struct overlay *o, int key)
{
	struct form *fm = (struct form *)o;

	if (key == KEYS_ESC || key == KEYS_CTRL('c')) {
		overlay_pop(t);
		return 1;
	}
	fm->err[0] = '\0';
	if (key == KEYS_TAB || key == KEYS_DOWN)
		fm->focus = (fm->focus + 1) % (FORM_NFIELDS + 2);
	else if (key == KEYS_BTAB || key == KEYS_UP)
		fm->focus = (fm->focus + FORM_NFIELDS + 1) % (FORM_NFIELDS + 2);
	else if (key == KEYS_ENTER && fm->focus == FORM_NFIELDS)
		overlay_pop(t);
	else if (key == KEYS_ENTER && fm->focus == FORM_NFIELDS + 1)
		form_preview(t, fm);
	else if (key == KEYS_ENTER)
		fm->focus++;
	else if (fm->focus < FORM_NFIELDS)
		field_key(&fm->f[fm->focus], key);
	tui_dirty(t);
	return 1;
}

static const struct overlay_class form_class = {
	.name = "submit",
	.draw = form_draw,
	.key = form_key,
	.free = form_free,
};

void
form_submit_open(struct tui *t)
{
	struct form *fm = xcalloc(1, sizeof(*fm));
	char cwd[FIELD_MAX];

	fm->o.cls = &form_class;
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		field_set(&fm->f[FORM_WORKDIR], cwd);
	overlay_push(t, &fm->o);
}
