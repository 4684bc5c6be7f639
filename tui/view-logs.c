/*
 * Logs: a job's stdout or stderr as a terminal would show it (progress
 * bars drawn with \r end as their last state), following new output
 * (job.logs with follow, then job.log events), with search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/filter.h"
#include "tui/fmt.h"
#include "tui/logbuf.h"
#include "tui/tui.h"

#define VIEW_LOGS_TAIL  (256 * 1024) /* bytes shown from the end at first */
#define VIEW_LOGS_LINES 100000       /* lines kept */

struct view_logs {
	struct logbuf lb;
	int64_t job; /* the job whose log lb holds */
	int stream;  /* 0 stdout, 1 stderr */
	int loaded;  /* the first reply came */
	int ended;   /* the daemon said the job ended and all was sent */
	int wrap;
	unsigned req;     /* generation of the current request */
	int64_t last_off; /* offset of the last job.log event taken */
	long match;       /* line of the current search match, or -1 */
	char err[256];
};

static const char *const view_logs_streams[] = { "stdout", "stderr" };

static void
view_logs_init(struct tui *t, struct view *v)
{
	struct view_logs *p = xcalloc(1, sizeof(*p));

	logbuf_init(&p->lb, VIEW_LOGS_LINES);
	p->match = -1;
	v->priv = p;
	v->sc.cursor = 0;
	v->sc.follow = 1;
}

static void
view_logs_free(struct view *v)
{
	struct view_logs *p = v->priv;

	logbuf_done(&p->lb);
	free(p);
}

static void
view_logs_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct tui *t = arg;
	struct view_logs *p = t->views[VIEW_LOGS]->priv;
	json_t *data = json_object_get(result, "data");

	if ((unsigned)tag != p->req)
		return;
	if (code != 0) {
		if (code != GQ_ECONN)
			snprintf(p->err, sizeof(p->err), "job.logs: %s",
			    message && message[0] ? message :
			                            gq_err_text(code));
		tui_dirty(t);
		return;
	}
	p->loaded = 1;
	p->err[0] = '\0';
	if (json_is_string(data))
		logbuf_feed(&p->lb, json_string_value(data),
		    json_string_length(data));
	p->last_off = json_is_integer(json_object_get(result, "next")) ?
	    (int64_t)json_integer_value(json_object_get(result, "next")) - 1 :
	    -1;
	p->ended = json_is_true(json_object_get(result, "ended"));
	tui_dirty(t);
}

/* Asks for the tail of the log and follows it from there. */
static void
view_logs_fetch(struct tui *t, struct view *v)
{
	struct view_logs *p = v->priv;
	struct rpc_reply_cb cb = { view_logs_reply, t, (int64_t)++p->req };
	json_t *params;

	logbuf_clear(&p->lb);
	p->job = v->job;
	p->loaded = p->ended = 0;
	p->last_off = -1;
	p->match = -1;
	p->err[0] = '\0';
	params = json_pack("{s:I,s:s,s:I,s:I,s:b}", "id", (json_int_t)v->job,
	    "stream", view_logs_streams[p->stream], "offset",
	    (json_int_t)-VIEW_LOGS_TAIL, "limit", (json_int_t)VIEW_LOGS_TAIL,
	    "follow", 1);
	if (session_call(&t->sess, "job.logs", params, &cb) != 0)
		snprintf(p->err, sizeof(p->err), "not connected");
}

static void
view_logs_enter(struct tui *t, struct view *v)
{
	struct view_logs *p = v->priv;

	if (p->job != v->job || !p->loaded)
		view_logs_fetch(t, v);
}

static void
view_logs_event(struct tui *t, struct view *v, const char *name, json_t *data)
{
	struct view_logs *p = v->priv;
	json_t *d = json_object_get(data, "data");
	int64_t off;

	const char *stream = json_string_value(json_object_get(data, "stream"));

	if (strcmp(name, "job.log") != 0 || !p->loaded || stream == NULL ||
	    !json_is_integer(json_object_get(data, "id")) ||
	    json_integer_value(json_object_get(data, "id")) != p->job ||
	    strcmp(stream, view_logs_streams[p->stream]) != 0)
		return;
	off = json_is_integer(json_object_get(data, "offset")) ?
	    (int64_t)json_integer_value(json_object_get(data, "offset")) :
	    0;
	if (off <= p->last_off)
		return; /* already shown */
	p->last_off = off;
	if (json_is_string(d))
		logbuf_feed(&p->lb, json_string_value(d),
		    json_string_length(d));
	if (json_is_true(json_object_get(data, "eof")))
		p->ended = 1;
}

static void
view_logs_live(struct tui *t, struct view *v)
{
	struct view_logs *p = v->priv;

	/* A new connection follows nothing: ask again. */
	if (p->job > 0 && t->cur == v)
		view_logs_fetch(t, v);
	else
		p->loaded = 0;
}

void
view_logs_toggle(struct tui *t, enum view_logs_toggle what)
{
	struct view *v = t->views[VIEW_LOGS];
	struct view_logs *p = v->priv;

	if (what == VIEW_LOGS_FOLLOW) {
		v->sc.follow = !v->sc.follow;
		tui_status(t, REVENT_INFO, "%s",
		    v->sc.follow ? "following" : "paused: G to follow");
	} else if (what == VIEW_LOGS_STREAM) {
		p->stream = !p->stream;
		view_logs_fetch(t, v);
	} else if (what == VIEW_LOGS_WRAP)
		p->wrap = !p->wrap;
}

static void
view_logs_prepare(struct tui *t, struct view *v)
{
	struct view_logs *p = v->priv;

	v->sc.n = logbuf_count(&p->lb);
}

/* The rest of s after skipping cols display columns. */
static const char *
view_logs_skip(const char *s, size_t cols)
{
	size_t w = 0, n;
	long cp;

	while (*s != '\0' && w < cols) {
		n = fmt_utf8_decode(s, &cp);
		w += cp < 0 ? 1 : fmt_cp_width(cp);
		s += n;
	}
	return s;
}

/* Draws a line with every match of needle highlighted. */
static void
view_logs_line(struct tui *t, WINDOW *w, int y, const char *s, int cols,
    const char *needle)
{
	size_t nlen = strlen(needle), seg;
	char piece[4096];
	const char *m;
	int x = 0;

	while (x < cols) {
		m = nlen ? filter_strcasestr(s, needle) : NULL;
		seg = m != NULL ? (size_t)(m - s) : strlen(s);
		snprintf(piece, sizeof(piece), "%.*s", (int)seg, s);
		wattrset(w, draw_attr(t, THEME_NORMAL));
		x += draw_text(w, y, x, piece, cols - x, 0);
		if (m == NULL || x >= cols)
			break;
		snprintf(piece, sizeof(piece), "%.*s", (int)nlen, m);
		wattrset(w, draw_attr(t, THEME_MATCH));
		x += draw_text(w, y, x, piece, cols - x, 0);
		s = m + nlen;
	}
	wattrset(w, draw_attr(t, THEME_NORMAL));
}

/* Rows line i takes when wrapped at cols. */
static int
view_logs_height(struct view_logs *p, size_t i, int cols)
{
	size_t w = fmt_width(logbuf_line(&p->lb, i));

	return w == 0 ? 1 : (int)((w + (size_t)cols - 1) / (size_t)cols);
}

/* The first line to show so that the last lines fill rows. */
static size_t
view_logs_bottom(struct view_logs *p, size_t n, int rows, int cols)
{
	int used = 0;
	size_t i = n;

	if (!p->wrap)
		return n > (size_t)rows ? n - (size_t)rows : 0;
	while (i > 0 && used + view_logs_height(p, i - 1, cols) <= rows)
		used += view_logs_height(p, --i, cols);
	return i;
}

static int
view_logs_wrapped(struct tui *t, WINDOW *w, int y, int rows, const char *s,
    int cols, const char *needle)
{
	const char *next;
	char piece[8192];

	do {
		next = view_logs_skip(s, (size_t)cols);
		snprintf(piece, sizeof(piece), "%.*s", (int)(next - s), s);
		view_logs_line(t, w, y++, piece, cols, needle);
		s = next;
	} while (*s != '\0' && y < rows);
	return y;
}

static void
view_logs_title(struct tui *t, struct view *v, WINDOW *w, int cols)
{
	struct view_logs *p = v->priv;
	struct rjob *j = replica_job(&t->rep, v->job);
	char line[512];

	snprintf(line, sizeof(line), "Logs: job %lld %s  %s  %s%s%s%s",
	    (long long)v->job, j && j->name ? j->name : "",
	    view_logs_streams[p->stream],
	    v->sc.follow ? "following" : "paused (G to follow)",
	    p->wrap ? "  wrap" : "", p->ended ? "  job ended" : "",
	    v->filt.text[0] ? "  search: " : "");
	wattrset(w, draw_attr(t, THEME_TITLE));
	draw_text(w, 0, 0, line, cols, 1);
	if (v->filt.text[0])
		draw_text(w, 0, (int)fmt_width(line), v->filt.text,
		    cols - (int)fmt_width(line), 0);
}

static void
view_logs_draw(struct tui *t, struct view *v, WINDOW *w, int rows, int cols)
{
	struct view_logs *p = v->priv;
	int list = rows - 1, y = 1;
	size_t i, bottom;

	v->sc.rows = list > 0 ? list : 1;
	bottom = view_logs_bottom(p, v->sc.n, v->sc.rows, cols);
	if (v->sc.follow || v->sc.top > bottom)
		v->sc.top = bottom;
	view_logs_title(t, v, w, cols);
	for (i = v->sc.top; i < v->sc.n && y < rows; i++) {
		if (p->wrap)
			y = view_logs_wrapped(t, w, y, rows,
			    logbuf_line(&p->lb, i), cols, v->filt.text);
		else
			view_logs_line(t, w, y++,
			    view_logs_skip(logbuf_line(&p->lb, i), v->hscroll),
			    cols, v->filt.text);
	}
	if (v->sc.n == 0) {
		wattrset(w,
		    draw_attr(t, p->err[0] ? THEME_STATUS_ERROR : THEME_MUTED));
		draw_text(w, 2, 1,
		    p->err[0]     ? p->err :
		        p->loaded ? "(empty so far)" :
		                    "Loading...",
		    cols - 2, 0);
	}
}

static void
view_logs_goto(struct tui *t, struct view *v, long line)
{
	if (line < 0) {
		tui_status(t, REVENT_INFO, "no match for \"%s\"", v->filt.text);
		return;
	}
	((struct view_logs *)v->priv)->match = line;
	v->sc.follow = 0;
	v->sc.top = (size_t)line > 2 ? (size_t)line - 2 : 0;
}

static void
view_logs_filter(struct tui *t, struct view *v)
{
	struct view_logs *p = v->priv;

	if (v->filt.text[0] == '\0') {
		p->match = -1;
		return;
	}
	view_logs_goto(t, v,
	    logbuf_find(&p->lb, v->filt.text,
	        v->sc.top > 0 ? v->sc.top - 1 : v->sc.n, 1));
}

static void
view_logs_match(struct tui *t, struct view *v, int dir)
{
	struct view_logs *p = v->priv;

	if (v->filt.text[0] == '\0') {
		tui_status(t, REVENT_INFO, "no search: / to search");
		return;
	}
	view_logs_goto(t, v,
	    logbuf_find(&p->lb, v->filt.text,
	        p->match >= 0 ? (size_t)p->match : v->sc.top, dir));
}

int
view_logs_save(struct tui *t, const char *path)
{
	struct view_logs *p = t->views[VIEW_LOGS]->priv;
	size_t i, n = logbuf_count(&p->lb);
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return GQ_EIO;
	for (i = 0; i < n; i++)
		fprintf(f, "%s\n", logbuf_line(&p->lb, i));
	return fclose(f) == 0 ? 0 : GQ_EIO;
}

static int64_t
view_logs_job(struct tui *t, struct view *v)
{
	return v->job;
}

const struct view_class view_logs_class = {
	.name = "logs",
	.title = "Logs",
	.ctx = ACTION_CTX_LOG | ACTION_CTX_JOBS,
	.init = view_logs_init,
	.free = view_logs_free,
	.enter = view_logs_enter,
	.prepare = view_logs_prepare,
	.draw = view_logs_draw,
	.filter = view_logs_filter,
	.match = view_logs_match,
	.job = view_logs_job,
	.event = view_logs_event,
	.live = view_logs_live,
};
