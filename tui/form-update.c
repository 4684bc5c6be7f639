/*
 * The update form (x, "Priority, time limit..."): a new priority and/or
 * time limit for the marked or selected jobs, then a confirmation naming
 * them; only its Update sends job.update, one per job.  The daemon keeps
 * the priority within the class's bounds (docs/protocol/job.update.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/keys.h"
#include "tui/tui.h"

enum { FU_PRIO, FU_TIME, FU_N, FU_CANCEL = FU_N, FU_OK, FU_NFOCUS };

struct form_update {
	struct overlay o;
	struct field f[FU_N];
	int focus;
	int64_t *ids;
	size_t n;
	char err[128];
};

/* What the confirmation sends: params without id, and the jobs. */
struct form_update_req {
	json_t *params;
	int64_t *ids;
	size_t n;
};

static void
form_update_free(struct overlay *o)
{
	struct form_update *fu = (struct form_update *)o;

	free(fu->ids);
	free(fu);
}

static void
form_update_req_free(void *arg)
{
	struct form_update_req *r = arg;

	json_decref(r->params);
	free(r->ids);
	free(r);
}

static void
form_update_draw(struct tui *t, struct overlay *o)
{
	static const char *const labels[FU_N] = { "Priority", "Time limit" };
	static const char *const hints[FU_N] = {
		"-1000 .. 1000; empty: unchanged", "e.g. 4h; empty: unchanged"
	};
	struct form_update *fu = (struct form_update *)o;
	char title[64], b[32];
	int h = 8, w = 60, i;
	WINDOW *win;

	snprintf(title, sizeof(title), "Update %zu job%s", fu->n,
	    fu->n == 1 ? "" : "s");
	win = draw_box(t, h, w, title);
	getmaxyx(win, h, w);
	for (i = 0; i < FU_N; i++) {
		wattrset(win, draw_attr(t, THEME_DIALOG));
		draw_right(win, 1 + i, 1, labels[i], 11);
		wattrset(win,
		    draw_attr(t,
		        fu->focus == i ? THEME_DIALOG_FOCUS :
		                         THEME_DIALOG_BUTTON));
		draw_text(win, 1 + i, 13, fu->f[i].text, w - 15, 1);
		if (fu->f[i].len == 0 && fu->focus != i) {
			wattrset(win, draw_attr(t, THEME_MUTED));
			draw_text(win, 1 + i, 13, hints[i], w - 15, 0);
		}
	}
	wattrset(win, draw_attr(t, THEME_STATUS_ERROR));
	draw_text(win, h - 4, 2, fu->err, w - 4, 0);
	for (i = 0; i < 2; i++) {
		snprintf(b, sizeof(b),
		    fu->focus == FU_CANCEL + i ? "[> %s <]" : "[  %s  ]",
		    i ? "Preview" : "Cancel");
		wattrset(win,
		    draw_attr(t,
		        fu->focus == FU_CANCEL + i ? THEME_DIALOG_FOCUS :
		                                     THEME_DIALOG_BUTTON));
		draw_text(win, h - 3, 2 + 14 * i, b, w - 4 - 14 * i, 0);
	}
	if (fu->focus < FU_N) {
		i = 13 + (int)field_cursor_col(&fu->f[fu->focus]);
		wmove(win, 1 + fu->focus, i < w - 2 ? i : w - 2);
		curs_set(1);
	}
	wnoutrefresh(win);
	delwin(win);
}

/* job.update's params from the fields; NULL with fu->err set. */
static json_t *
form_update_params(struct form_update *fu)
{
	json_t *p = json_object();
	char *end;
	long prio;
	int64_t secs;

	if (fu->f[FU_PRIO].len > 0) {
		prio = strtol(fu->f[FU_PRIO].text, &end, 10);
		if (*end != '\0' || prio < -1000 || prio > 1000) {
			snprintf(fu->err, sizeof(fu->err),
			    "Priority: -1000 .. 1000");
			fu->focus = FU_PRIO;
			json_decref(p);
			return NULL;
		}
		json_object_set_new(p, "priority", json_integer(prio));
	}
	if (fu->f[FU_TIME].len > 0) {
		if (units_parse_duration(fu->f[FU_TIME].text, 60, &secs) != 0 ||
		    secs <= 0) {
			snprintf(fu->err, sizeof(fu->err),
			    "Time limit: like 4h or 90m");
			fu->focus = FU_TIME;
			json_decref(p);
			return NULL;
		}
		json_object_set_new(p, "time_limit", json_integer(secs));
	}
	if (json_object_size(p) == 0) {
		snprintf(fu->err, sizeof(fu->err), "nothing to change");
		json_decref(p);
		return NULL;
	}
	return p;
}

static void
form_update_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;

	if (code != 0)
		tui_status(t, REVENT_ERROR, "job %lld: %s%s%s", (long long)tag,
		    gq_err_text(code), message && message[0] ? ": " : "",
		    message ? message : "");
	else
		tui_status(t, REVENT_INFO, "job %lld updated", (long long)tag);
}

static void
form_update_send(struct tui *t, void *arg)
{
	struct form_update_req *r = arg;
	struct rpc_reply_cb cb = { form_update_reply, t, 0 };
	json_t *p;
	size_t i;

	for (i = 0; i < r->n; i++) {
		p = json_deep_copy(r->params);
		json_object_set_new(p, "id", json_integer(r->ids[i]));
		cb.tag = r->ids[i];
		if (session_call_keyed(&t->sess, "job.update", p, &cb) != 0) {
			tui_status(t, REVENT_ERROR, "update: not connected");
			return;
		}
	}
}

static void
form_update_confirm(struct tui *t, struct form_update *fu)
{
	struct form_update_req *r;
	char *lines[12], what[128] = "", d[32];
	size_t i, n = 0;
	json_t *p;

	if ((p = form_update_params(fu)) == NULL)
		return;
	if (json_object_get(p, "priority") != NULL)
		snprintf(what, sizeof(what), "priority %lld",
		    (long long)json_integer_value(
		        json_object_get(p, "priority")));
	if (json_object_get(p, "time_limit") != NULL) {
		units_fmt_duration(json_integer_value(
		                       json_object_get(p, "time_limit")),
		    d, sizeof(d));
		snprintf(what + strlen(what), sizeof(what) - strlen(what),
		    "%stime limit %s", what[0] ? ", " : "", d);
	}
	r = xcalloc(1, sizeof(*r));
	r->params = p;
	r->ids = fu->ids;
	r->n = fu->n;
	fu->ids = NULL;
	for (i = 0; i < r->n && n < 10; i++) {
		lines[n] = xmalloc(256);
		action_job_line(t, r->ids[i], lines[n++], 256);
	}
	if (r->n > i)
		lines[n++] = xasprintf("... and %zu more", r->n - i);
	lines[n++] = xasprintf("New: %s (the daemon keeps class bounds)", what);
	overlay_pop(t);
	dialog_confirm(t, "Update these jobs?", (const char *const *)lines, n,
	    "Update", form_update_send, r, form_update_req_free);
	for (i = 0; i < n; i++)
		free(lines[i]);
}

static int
form_update_key(struct tui *t, struct overlay *o, int key)
{
	struct form_update *fu = (struct form_update *)o;

	if (key == KEYS_ESC || key == KEYS_CTRL('c')) {
		overlay_pop(t);
		return 1;
	}
	fu->err[0] = '\0';
	if (key == KEYS_TAB || key == KEYS_DOWN)
		fu->focus = (fu->focus + 1) % FU_NFOCUS;
	else if (key == KEYS_BTAB || key == KEYS_UP)
		fu->focus = (fu->focus + FU_NFOCUS - 1) % FU_NFOCUS;
	else if (key == KEYS_ENTER && fu->focus == FU_CANCEL)
		overlay_pop(t);
	else if (key == KEYS_ENTER && fu->focus == FU_OK)
		form_update_confirm(t, fu);
	else if (key == KEYS_ENTER)
		fu->focus++;
	else if (fu->focus < FU_N)
		field_key(&fu->f[fu->focus], key);
	tui_dirty(t);
	return 1;
}

static const struct overlay_class form_update_class = {
	.name = "update",
	.draw = form_update_draw,
	.key = form_update_key,
	.free = form_update_free,
};

void
form_update_open(struct tui *t)
{
	struct form_update *fu;
	int64_t *ids;
	size_t n;

	if (!action_job_has(t, "job.update", "Update"))
		return;
	if ((n = view_targets(t, &ids)) == 0) {
		free(ids);
		tui_status(t, REVENT_INFO, "no job selected");
		return;
	}
	fu = xcalloc(1, sizeof(*fu));
	fu->o.cls = &form_update_class;
	fu->ids = ids;
	fu->n = n;
	overlay_push(t, &fu->o);
}
