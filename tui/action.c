/*
 * The key action table: every action, its context, whether it changes the
 * cluster, and its default keys.  Lowercase keys never change the
 * cluster; the ones that do are uppercase (or the x menu, or s for the
 * submit form) and always ask first, naming the jobs, with Cancel
 * focused.  The ? overlay, `gpuq --keys` and docs/tui.md come from here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/keys.h"
#include "tui/tui.h"

/* Global. */
static void
action_help(struct tui *t)
{
	dialog_help(t);
}

static void
action_prompt(struct tui *t, enum prompt_kind kind)
{
	t->prompt = kind;
	t->prompt_hint[0] = '\0';
	field_set(&t->field, kind == PROMPT_FILTER ? t->cur->filt.text : "");
}

static void
action_command(struct tui *t)
{
	action_prompt(t, PROMPT_COMMAND);
}

static void
action_filter(struct tui *t)
{
	action_prompt(t, PROMPT_FILTER);
}

static void
action_filter_set(struct tui *t, const char *text)
{
	filter_parse(&t->cur->filt, text, t->me);
	if (t->cur->cls->filter != NULL)
		t->cur->cls->filter(t, t->cur);
}

static void
action_back(struct tui *t)
{
	if (t->cur->filt.text[0] != '\0')
		action_filter_set(t, "");
	else
		view_back(t);
}

static void
action_quit_yes(struct tui *t, void *arg)
{
	tui_quit(t);
}

static void
action_close(struct tui *t)
{
	if (t->cur->id >= VIEW_JOB) {
		view_back(t);
		return;
	}
	dialog_confirm(t, "Quit gpuq?", NULL, 0, "Quit", action_quit_yes, NULL,
	    NULL);
}

static void
action_quit(struct tui *t)
{
	tui_quit(t);
}

static void
action_ctrl_c(struct tui *t)
{
	if (t->ctrl_c_quits)
		tui_quit(t);
	else
		tui_status(t, REVENT_INFO,
		    "Ctrl-C does not quit "
		    "(ctrl-c-quits off): Q quits");
}

#define ACTION_VIEW(name, id)                                                  \
	static void action_view_##name(struct tui *t)                          \
	{                                                                      \
		view_show(t, id, 0);                                           \
	}
ACTION_VIEW(jobs, VIEW_JOBS)
ACTION_VIEW(mine, VIEW_MINE)
ACTION_VIEW(gpus, VIEW_GPUS)
ACTION_VIEW(nodes, VIEW_NODES)
ACTION_VIEW(projects, VIEW_PROJECTS)
ACTION_VIEW(sweeps, VIEW_SWEEPS)
ACTION_VIEW(events, VIEW_EVENTS)
#undef ACTION_VIEW

static void
action_view_step(struct tui *t, int dir)
{
	int id = t->cur->id < VIEW_JOB ? (int)t->cur->id : 0;

	view_show(t, (enum view_id)((id + dir + VIEW_JOB) % VIEW_JOB), 0);
}

static void
action_view_next(struct tui *t)
{
	action_view_step(t, 1);
}

static void
action_view_prev(struct tui *t)
{
	action_view_step(t, -1);
}

static void
action_refresh(struct tui *t)
{
	session_refresh(&t->sess);
	if (t->cur->id == VIEW_JOB || t->cur->id == VIEW_PROJECTS ||
	    t->cur->id == VIEW_SWEEPS || t->cur->id == VIEW_SWEEP)
		t->cur->cls->enter(t, t->cur);
	tui_status(t, REVENT_INFO, "refreshing");
}

static void
action_freeze(struct tui *t)
{
	t->frozen = !t->frozen;
	tui_status(t, REVENT_INFO, "%s",
	    t->frozen ?
	        "frozen: the screen changes only when you press keys (z)" :
	        "live again");
}

static void
action_redraw(struct tui *t)
{
	t->full_redraw = 1;
}

static void
action_suspend(struct tui *t)
{
	tui_suspend(t);
}

static void
action_yank(struct tui *t)
{
	int64_t *ids;
	size_t i, n = view_targets(t, &ids);
	struct buf b;

	if (n == 0) {
		tui_status(t, REVENT_INFO, "no job to copy");
		return;
	}
	buf_init(&b, 1024 * 1024);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? " " : "", (long long)ids[i]);
	screen_osc52(t, b.data);
	tui_status(t, REVENT_INFO, "copied %s (OSC 52)", b.data);
	buf_done(&b);
	free(ids);
}

static void
action_open(struct tui *t)
{
	if (t->cur->cls->activate != NULL)
		t->cur->cls->activate(t, t->cur);
}

/* Moving. */
static void
action_down(struct tui *t)
{
	view_move(t, 1);
}

static void
action_up(struct tui *t)
{
	view_move(t, -1);
}

static void
action_top(struct tui *t)
{
	view_move_to(t, 0);
}

static void
action_bottom(struct tui *t)
{
	view_move_to(t, 1);
}

static void
action_halfdown(struct tui *t)
{
	view_page(t, 1, 1);
}

static void
action_halfup(struct tui *t)
{
	view_page(t, -1, 1);
}

static void
action_pagedown(struct tui *t)
{
	view_page(t, 1, 0);
}

static void
action_pageup(struct tui *t)
{
	view_page(t, -1, 0);
}

static void
action_left(struct tui *t)
{
	size_t step = t->cur->id == VIEW_LOGS ? 8 : 1;

	t->cur->hscroll -= t->cur->hscroll < step ? t->cur->hscroll : step;
}

static void
action_right(struct tui *t)
{
	t->cur->hscroll += t->cur->id == VIEW_LOGS ? 8 : 1;
}

static void
action_match_next(struct tui *t)
{
	if (t->cur->cls->match != NULL)
		t->cur->cls->match(t, t->cur, 1);
}

static void
action_match_prev(struct tui *t)
{
	if (t->cur->cls->match != NULL)
		t->cur->cls->match(t, t->cur, -1);
}

/* Lists. */
static void
action_sort(struct tui *t, int how)
{
	if (t->cur->cls->sort != NULL)
		t->cur->cls->sort(t, t->cur, how);
	else
		tui_status(t, REVENT_INFO, "this view has one order");
}

static void
action_sort_prev(struct tui *t)
{
	action_sort(t, -1);
}

static void
action_sort_next(struct tui *t)
{
	action_sort(t, 1);
}

static void
action_sort_invert(struct tui *t)
{
	action_sort(t, 0);
}

static void
action_mark(struct tui *t)
{
	int64_t id;

	if (t->cur->cls->job == NULL || (id = t->cur->cls->job(t, t->cur)) <= 0)
		return;
	view_mark(t, id, !view_marked(t, id));
	view_move(t, 1);
}

static size_t action_anchor = (size_t)-1;

static void
action_mark_range(struct tui *t)
{
	struct vscroll *sc = &t->cur->sc;
	size_t a, b, i, keep = sc->sel;

	if (t->cur->cls->job == NULL)
		return;
	if (action_anchor == (size_t)-1) {
		action_anchor = sc->sel;
		tui_status(t, REVENT_INFO, "range from here: move, then v");
		return;
	}
	a = action_anchor < sc->sel ? action_anchor : sc->sel;
	b = action_anchor < sc->sel ? sc->sel : action_anchor;
	for (i = a; i <= b && i < sc->n; i++) {
		sc->sel = i;
		view_mark(t, t->cur->cls->job(t, t->cur), 1);
	}
	sc->sel = keep;
	action_anchor = (size_t)-1;
	tui_status(t, REVENT_INFO, "%zu marked", t->nmarks);
}

static void
action_mark_all(struct tui *t)
{
	if (t->cur->id != VIEW_JOBS && t->cur->id != VIEW_MINE)
		return;
	tui_status(t, REVENT_INFO, "marked %zu jobs",
	    view_jobs_mark_all(t, t->cur));
}

static void
action_mark_clear(struct tui *t)
{
	view_marks_clear(t);
	action_anchor = (size_t)-1;
}

static void
action_wide(struct tui *t)
{
	if (t->cur->id == VIEW_JOBS || t->cur->id == VIEW_MINE)
		view_jobs_wide(t, t->cur);
}

/* u and p: pick a user or project from those in the queue. */
struct action_pick {
	char **names;
	size_t n;
	char field; /* 'u' or 'p' */
};

static void
action_pick_free(void *arg)
{
	struct action_pick *p = arg;
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->names[i]);
	free(p->names);
	free(p);
}

static void
action_pick_done(struct tui *t, void *arg, int i)
{
	struct action_pick *p = arg;
	char text[256];

	if (strcmp(p->names[i], "*") == 0)
		text[0] = '\0';
	else
		snprintf(text, sizeof(text), "%c:%s", p->field, p->names[i]);
	action_filter_set(t, text);
}

static int
action_pick_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
action_pick_add(struct action_pick *p, const char *name, size_t cap)
{
	size_t i;

	if (name == NULL || p->n >= cap)
		return;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->names[i], name) == 0)
			return;
	p->names[p->n++] = xstrdup(name);
}

static void
action_pick(struct tui *t, char field)
{
	struct action_pick *p = xcalloc(1, sizeof(*p));
	const struct rjob *j;
	size_t i, cap = 64;

	p->field = field;
	p->names = xcalloc(cap + 2, sizeof(*p->names));
	for (i = 0; i < t->rep.njobs; i++) {
		j = t->rep.all[i];
		action_pick_add(p, field == 'u' ? j->user : j->project, cap);
	}
	qsort(p->names, p->n, sizeof(*p->names), action_pick_cmp);
	memmove(&p->names[1], &p->names[0], p->n * sizeof(*p->names));
	p->names[0] = xstrdup("*");
	p->n++;
	if (field == 'u' && t->me != NULL) {
		memmove(&p->names[2], &p->names[1],
		    (p->n - 1) * sizeof(*p->names));
		p->names[1] = xstrdup(t->me);
		p->n++;
	}
	dialog_menu(t, field == 'u' ? "Show jobs of user" : "Show project",
	    (const char *const *)p->names, NULL, p->n, action_pick_done, p,
	    action_pick_free);
}

static void
action_pick_user(struct tui *t)
{
	action_pick(t, 'u');
}

static void
action_pick_project(struct tui *t)
{
	action_pick(t, 'p');
}

/* Forms. */
static void
action_submit(struct tui *t)
{
	form_submit_open(t);
}

/* S in a job view: the sweep form, the selected job as its template. */
static void
action_sweep(struct tui *t)
{
	int64_t id = t->cur->cls->job != NULL ? t->cur->cls->job(t, t->cur) : 0;

	if (!action_job_has(t, "sweep.create", "Sweeps"))
		return;
	form_sweep_open(t, id);
}

/* S in the Sweeps views: the sweep form, empty. */
static void
action_sweep_blank(struct tui *t)
{
	if (!action_job_has(t, "sweep.create", "Sweeps"))
		return;
	form_sweep_open(t, 0);
}

/* Logs. */
static void
action_log_follow(struct tui *t)
{
	view_logs_toggle(t, VIEW_LOGS_FOLLOW);
}

static void
action_log_stream(struct tui *t)
{
	view_logs_toggle(t, VIEW_LOGS_STREAM);
}

static void
action_log_wrap(struct tui *t)
{
	view_logs_toggle(t, VIEW_LOGS_WRAP);
}

static void
action_log_save(struct tui *t)
{
	char path[128];

	snprintf(path, sizeof(path), "gpuq-job-%lld.log",
	    (long long)t->cur->job);
	if (view_logs_save(t, path) == 0)
		tui_status(t, REVENT_INFO, "saved to %s", path);
	else
		tui_status(t, REVENT_ERROR, "could not write %s", path);
}

#define G ACTION_CTX_GLOBAL
#define L ACTION_CTX_LIST
#define J ACTION_CTX_JOBS
#define O ACTION_CTX_LOG
#define W ACTION_CTX_SWEEP
#define M ACTION_MUTATES

const struct action action_table[] = {
	{ "help", "Help: the keys of this view", G, 0, "?", action_help },
	{ "command", "Command mode (:jobs, :theme, :sort, :q ...)", G, 0, ":",
	    action_command },
	{ "filter", "Filter the view (! negates); search in logs", G, 0, "/",
	    action_filter },
	{ "back", "Clear the filter, else back one view", G, 0, "Esc",
	    action_back },
	{ "close", "Close this view; at the top, ask to quit", G, 0, "q",
	    action_close },
	{ "quit", "Quit now", G, 0, "Q", action_quit },
	{ "quit.ctrl-c", "Quit (unless ctrl-c-quits is off)", G, 0, "Ctrl-C",
	    action_ctrl_c },
	{ "view.jobs", "Jobs: the queue", G, 0, "1", action_view_jobs },
	{ "view.mine", "Mine: my jobs", G, 0, "2", action_view_mine },
	{ "view.gpus", "GPUs", G, 0, "3", action_view_gpus },
	{ "view.nodes", "Nodes", G, 0, "4", action_view_nodes },
	{ "view.projects", "Projects", G, 0, "5", action_view_projects },
	{ "view.sweeps", "Sweeps", G, 0, "6", action_view_sweeps },
	{ "view.events", "Events: what the daemon did, errors", G, 0, "7 @",
	    action_view_events },
	{ "view.next", "Next view", G, 0, "Tab", action_view_next },
	{ "view.prev", "Previous view", G, 0, "S-Tab", action_view_prev },
	{ "view.last", "The view before this one", G, 0, "-", view_last },
	{ "history.back", "Back in view history", G, 0, "[", view_back },
	{ "history.forward", "Forward in view history", G, 0, "]",
	    view_forward },
	{ "refresh", "Refresh now (reconnect when down)", G, 0, "r Ctrl-R F5",
	    action_refresh },
	{ "freeze", "Freeze / resume screen updates", G, 0, "z",
	    action_freeze },
	{ "redraw", "Redraw the whole screen", G, 0, "Ctrl-L", action_redraw },
	{ "suspend", "Suspend gpuq (fg to come back)", G, 0, "Ctrl-Z",
	    action_suspend },
	{ "yank", "Copy the job id(s) to the clipboard (OSC 52)", G, 0, "y",
	    action_yank },
	{ "open", "Open: job detail, or the jobs of a GPU or node", G, 0,
	    "Enter", action_open },
	{ "move.down", "Down", G, 0, "j Down Ctrl-N", action_down },
	{ "move.up", "Up", G, 0, "k Up Ctrl-P", action_up },
	{ "move.top", "Top (stops following)", G, 0, "g Home", action_top },
	{ "move.bottom", "Bottom (and follow)", G, 0, "G End", action_bottom },
	{ "page.halfdown", "Half a page down", G, 0, "Ctrl-D",
	    action_halfdown },
	{ "page.halfup", "Half a page up", G, 0, "Ctrl-U", action_halfup },
	{ "page.down", "Page down", G, 0, "PgDn Ctrl-F", action_pagedown },
	{ "page.up", "Page up", G, 0, "PgUp Ctrl-B", action_pageup },
	{ "scroll.left", "Scroll columns left", G, 0, "Left h", action_left },
	{ "scroll.right", "Scroll columns right", G, 0, "Right", action_right },
	{ "match.next", "Next match", G, 0, "n", action_match_next },
	{ "match.prev", "Previous match", G, 0, "N", action_match_prev },
	{ "sort.prev", "Sort by the previous column", L, 0, "<",
	    action_sort_prev },
	{ "sort.next", "Sort by the next column", L, 0, ">", action_sort_next },
	{ "sort.invert", "Invert the sort", L, 0, "I", action_sort_invert },
	{ "mark", "Mark / unmark", L, 0, "Space", action_mark },
	{ "mark.range", "Mark a range (v here, move, v there)", L, 0, "v",
	    action_mark_range },
	{ "mark.all", "Mark every job shown", L, 0, "a", action_mark_all },
	{ "mark.clear", "Clear marks", L, 0, "Ctrl-\\", action_mark_clear },
	{ "pick.user", "Show one user's jobs", L, 0, "u", action_pick_user },
	{ "pick.project", "Show one project's jobs", L, 0, "p",
	    action_pick_project },
	{ "wide", "Wide columns", L, 0, "w", action_wide },
	{ "job.raw", "The daemon's record of the job (JSON)", J, 0, "i",
	    action_job_raw },
	{ "job.logs", "Logs of the job", J, 0, "l", action_job_logs },
	{ "job.submit", "Submit a job (form, preview, confirm)", J, M, "s",
	    action_submit },
	{ "sweep.new", "Launch a sweep, this job as its template", J, M, "S",
	    action_sweep },
	{ "job.menu", "Actions for the marked or selected jobs", J, M, "x",
	    action_job_menu },
	{ "job.suspend", "Suspend (asks first)", J, M, "Z",
	    action_job_suspend },
	{ "job.resume", "Resume (asks first)", J, M, "R", action_job_resume },
	{ "job.swap", "Swap it for one of your pending jobs (asks)", J, M, "W",
	    action_job_swap },
	{ "job.hold", "Hold: pending jobs wait until released (asks)", J, M,
	    "H", action_job_hold },
	{ "job.release", "Release held jobs (asks first)", J, M, "U",
	    action_job_release },
	{ "job.requeue", "Requeue: stop it, queue it again (asks first)", J, M,
	    "P", action_job_requeue },
	{ "job.attach", "Attach: a shell in the job (gpuq attach)", J, M, "A",
	    action_attach_job },
	{ "job.cancel", "Cancel (asks first, Cancel focused)", J, M, "C",
	    action_job_cancel },
	{ "job.cancel-now", "Cancel without asking", J, M, "",
	    action_job_cancel_now },
	{ "sweep.create", "Launch a sweep (form, preview, confirm)", W, M, "S",
	    action_sweep_blank },
	{ "sweep.pause", "Pause: no new trials start (asks first)", W, M, "Z",
	    view_sweeps_pause },
	{ "sweep.resume", "Resume the sweep (asks first)", W, M, "R",
	    view_sweeps_resume },
	{ "sweep.stop", "Stop: cancel its trials for good (asks first)", W, M,
	    "C", view_sweeps_stop },
	{ "log.follow", "Follow new output on / off", O, 0, "f",
	    action_log_follow },
	{ "log.stream", "stdout / stderr", O, 0, "o", action_log_stream },
	{ "log.wrap", "Wrap long lines", O, 0, "w", action_log_wrap },
	{ "log.save", "Save the log to a file here", O, 0, "Ctrl-S",
	    action_log_save },
};

#undef G
#undef L
#undef J
#undef O
#undef W
#undef M

const size_t action_count = sizeof(action_table) / sizeof(action_table[0]);

int
action_find(const char *name)
{
	size_t i;

	for (i = 0; i < action_count; i++)
		if (strcmp(action_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
action_ctx_name(unsigned ctx)
{
	switch (ctx) {
	case ACTION_CTX_LIST:
		return "list";
	case ACTION_CTX_JOBS:
		return "jobs";
	case ACTION_CTX_LOG:
		return "log";
	case ACTION_CTX_SWEEP:
		return "sweep";
	default:
		return "global";
	}
}
