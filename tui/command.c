/*
 * The : commands, one table: views (with an optional filter), quitting,
 * themes, sorting, settings, and the job commands that ask first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "tui/cmdline.h"
#include "tui/conf.h"
#include "tui/joblist.h"
#include "tui/tui.h"

struct command {
	const char *name;
	const char *args; /* for the help line */
	void (*fn)(struct tui *t, const char *arg);
};

static void
command_view(struct tui *t, enum view_id id, const char *arg)
{
	view_show(t, id, 0);
	if (arg[0] != '\0') {
		filter_parse(&t->cur->filt, arg, t->me);
		if (t->cur->cls->filter != NULL)
			t->cur->cls->filter(t, t->cur);
	}
}

#define COMMAND_VIEW(name, id)                                                 \
	static void command_##name(struct tui *t, const char *arg)             \
	{                                                                      \
		command_view(t, id, arg);                                      \
	}
COMMAND_VIEW(jobs, VIEW_JOBS)
COMMAND_VIEW(mine, VIEW_MINE)
COMMAND_VIEW(gpus, VIEW_GPUS)
COMMAND_VIEW(nodes, VIEW_NODES)
COMMAND_VIEW(projects, VIEW_PROJECTS)
COMMAND_VIEW(sweeps, VIEW_SWEEPS)
COMMAND_VIEW(events, VIEW_EVENTS)
#undef COMMAND_VIEW

static int64_t
command_id(struct tui *t, const char *arg)
{
	char *end;
	long long id = strtoll(arg, &end, 10);

	if (arg[0] == '\0' || *end != '\0' || id <= 0) {
		tui_status(t, REVENT_ERROR, "expected a job id, got '%s'", arg);
		return 0;
	}
	return (int64_t)id;
}

static void
command_job(struct tui *t, const char *arg)
{
	int64_t id = command_id(t, arg);

	if (id > 0)
		view_show(t, VIEW_JOB, id);
}

static void
command_logs(struct tui *t, const char *arg)
{
	int64_t id = command_id(t, arg);

	if (id > 0)
		view_show(t, VIEW_LOGS, id);
}

static void
command_sweep(struct tui *t, const char *arg)
{
	int64_t id = command_id(t, arg);

	if (id > 0)
		view_show(t, VIEW_SWEEP, id);
}

static void
command_cancel(struct tui *t, const char *arg)
{
	int64_t id;

	if (t->readonly) {
		tui_status(t, REVENT_WARN, "read-only: cancel is off");
		return;
	}
	if ((id = command_id(t, arg)) > 0)
		action_cancel_jobs(t, &id, 1);
}

static void
command_quit(struct tui *t, const char *arg)
{
	tui_quit(t);
}

static void
command_theme(struct tui *t, const char *arg)
{
	if (arg[0] == '\0') {
		tui_status(t, REVENT_INFO, "theme %s", t->theme.name);
		return;
	}
	if (tui_set_theme(t, arg) == 0)
		tui_status(t, REVENT_INFO, "theme %s", arg);
}

static void
command_sort(struct tui *t, const char *arg)
{
	char col[32];
	const char *rest;

	cmdline_split(arg, col, sizeof(col), &rest);
	if (t->cur->id != VIEW_JOBS && t->cur->id != VIEW_MINE) {
		tui_status(t, REVENT_INFO, ":sort works in job lists");
		return;
	}
	if (view_jobs_sort_by(t, t->cur, col,
	        strcmp(rest, "desc") == 0    ? 1 :
	            strcmp(rest, "asc") == 0 ? 0 :
	                                       -1) != 0) {
		tui_status(t, REVENT_ERROR, "no column '%s' to sort by", col);
		return;
	}
	tui_dirty(t);
}

static void
command_set(struct tui *t, const char *arg)
{
	char name[32];
	const char *val;
	int on;

	cmdline_split(arg, name, sizeof(name), &val);
	on = conf_bool(val[0] ? val : "on");
	if (strcmp(name, "mouse") == 0 && on >= 0) {
		t->mouse = on;
		screen_mouse(t, on);
	} else if (strcmp(name, "nomouse") == 0) {
		t->mouse = 0;
		screen_mouse(t, 0);
	} else if (strcmp(name, "graph") == 0 && strcmp(val, "braille") == 0 &&
	    t->scr.utf8)
		t->scr.graph = GRAPH_BRAILLE;
	else if (strcmp(name, "graph") == 0 && strcmp(val, "block") == 0 &&
	    t->scr.utf8)
		t->scr.graph = GRAPH_BLOCK;
	else if (strcmp(name, "graph") == 0 && strcmp(val, "ascii") == 0)
		t->scr.graph = GRAPH_ASCII;
	else {
		tui_status(t, REVENT_ERROR,
		    "set: mouse on|off, graph "
		    "braille|block|ascii");
		return;
	}
	tui_status(t, REVENT_INFO, "set %s", arg);
}

static void
command_filter(struct tui *t, const char *arg)
{
	filter_parse(&t->cur->filt, arg, t->me);
	if (t->cur->cls->filter != NULL)
		t->cur->cls->filter(t, t->cur);
}

static void
command_help(struct tui *t, const char *arg)
{
	dialog_help(t);
}

static void
command_submit(struct tui *t, const char *arg)
{
	if (t->readonly)
		tui_status(t, REVENT_WARN, "read-only: submit is off");
	else
		form_submit_open(t);
}

static void
command_refresh(struct tui *t, const char *arg)
{
	session_refresh(&t->sess);
}

static const struct command command_table[] = {
	{ "jobs", "[FILTER]", command_jobs },
	{ "mine", "[FILTER]", command_mine },
	{ "gpus", "[FILTER]", command_gpus },
	{ "nodes", "", command_nodes },
	{ "projects", "", command_projects },
	{ "sweeps", "", command_sweeps },
	{ "events", "[FILTER]", command_events },
	{ "job", "ID", command_job },
	{ "logs", "ID", command_logs },
	{ "sweep", "ID", command_sweep },
	{ "cancel", "ID", command_cancel },
	{ "submit", "", command_submit },
	{ "filter", "TEXT", command_filter },
	{ "sort", "COLUMN [asc|desc]", command_sort },
	{ "theme", "NAME", command_theme },
	{ "set", "mouse on|off, graph braille|block|ascii", command_set },
	{ "refresh", "", command_refresh },
	{ "help", "", command_help },
	{ "quit", "", command_quit },
	{ "q", "", command_quit },
};

#define COMMAND_N (sizeof(command_table) / sizeof(command_table[0]))

void
command_run(struct tui *t, const char *line)
{
	char name[64];
	const char *arg;
	size_t i;

	cmdline_split(line, name, sizeof(name), &arg);
	if (name[0] == '\0')
		return;
	if (strcmp(name, "q!") == 0 || strcmp(name, "qa") == 0) {
		tui_quit(t);
		return;
	}
	for (i = 0; i < COMMAND_N; i++)
		if (strcmp(command_table[i].name, name) == 0) {
			command_table[i].fn(t, arg);
			return;
		}
	tui_status(t, REVENT_ERROR, "no command :%s (Tab completes)", name);
}

/* Candidates for the word being typed. */
static size_t
command_cands(struct tui *t, const char *cmd, const char **c, size_t max,
    char ***owned)
{
	size_t i, n = 0;

	*owned = NULL;
	if (cmd == NULL) {
		for (i = 0; i < COMMAND_N && n < max; i++)
			c[n++] = command_table[i].name;
	} else if (strcmp(cmd, "theme") == 0) {
		*owned = themes_list();
		for (i = 0; (*owned)[i] != NULL && n < max; i++)
			c[n++] = (*owned)[i];
	} else if (strcmp(cmd, "sort") == 0) {
		for (i = 0; i < JOBLIST_NSORT && n < max; i++)
			c[n++] = joblist_sort_name((enum joblist_sort)i);
	} else if (strcmp(cmd, "set") == 0) {
		c[n++] = "mouse";
		c[n++] = "graph";
	}
	return n;
}

void
command_complete(struct tui *t)
{
	const char *cands[64], *rest;
	char cmd[64], **owned;
	struct buf shown;
	size_t n, hits;

	cmdline_split(t->field.text, cmd, sizeof(cmd), &rest);
	n = command_cands(t, strchr(t->field.text, ' ') ? cmd : NULL, cands, 64,
	    &owned);
	buf_init(&shown, sizeof(t->prompt_hint) - 1);
	hits = cmdline_complete(&t->field, cands, n, &shown);
	snprintf(t->prompt_hint, sizeof(t->prompt_hint), "%s",
	    hits > 1 && shown.data ? shown.data : "");
	buf_done(&shown);
	themes_list_free(owned);
}
