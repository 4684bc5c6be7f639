/*
 * gpuq's full-screen workbench: ncurses on a libuv loop.
 *
 *   tui.c        startup, the loop, key dispatch, the frame
 *   screen.c     curses: start and stop, colours, keys, suspend, restore
 *   draw.c       drawing helpers: text cut to widths, header, status line
 *   session.c    the connection to gpuqd; replica.c the state it keeps
 *   view.c       the view table, history, scrolling shared by views
 *   view-*.c     one file per view, a struct view_class each
 *   action.c     the key action table; keymap.c the live bindings
 *   command.c    the : commands
 *   dialog.c     overlays: confirmation, menus, help, raw JSON
 *   form-submit.c the submit form
 *   themes.c     finding and loading theme files
 *
 * Views and actions only change state and call tui_dirty; the screen is
 * drawn once per loop turn (wnoutrefresh per window, one doupdate).
 */
#ifndef GPUQ_TUI_H
#define GPUQ_TUI_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>
#include <jansson.h>
#include <uv.h>

#include "tui/conf.h"
#include "tui/field.h"
#include "tui/filter.h"
#include "tui/graph.h"
#include "tui/keymap.h"
#include "tui/replica.h"
#include "tui/session.h"
#include "tui/theme.h"

#define TUI_MIN_COLS 40
#define TUI_MIN_ROWS 10
#define TUI_HIST     32
#define TUI_NSIGS    5

struct tui;
struct view;
struct overlay;

/* Scrolling state of a view: rows, the selected row, the first shown. */
struct vscroll {
	size_t n, sel, top;
	int cursor; /* 0: a text view (no selected row) */
	int rows;   /* rows of the last frame */
	int follow; /* stay at the bottom (logs, events) */
	int per;    /* screen rows an item takes (0 is 1) */
};

enum view_id {
	VIEW_JOBS,
	VIEW_MINE,
	VIEW_GPUS,
	VIEW_NODES,
	VIEW_PROJECTS,
	VIEW_SWEEPS,
	VIEW_EVENTS,
	VIEW_JOB,
	VIEW_LOGS,
	VIEW_SWEEP, /* one sweep: v->job is its id */
	VIEW_N
};

struct view_class {
	const char *name;  /* "jobs": the :command */
	const char *title; /* "Jobs" */
	unsigned ctx;      /* ACTION_CTX_* besides GLOBAL */
	void (*init)(struct tui *t, struct view *v);
	void (*free)(struct view *v);
	/* Becomes the current view (for job views, v->job is set). */
	void (*enter)(struct tui *t, struct view *v);
	/* Updates v->sc.n and the selection before drawing or moving. */
	void (*prepare)(struct tui *t, struct view *v);
	void (*draw)(struct tui *t, struct view *v, WINDOW *w, int rows,
	    int cols);
	/* The filter text changed. */
	void (*filter)(struct tui *t, struct view *v);
	/* n/N: the next match of the filter or search in direction dir. */
	void (*match)(struct tui *t, struct view *v, int dir);
	/* < > I: how is -1, 1 or 0 (invert). */
	void (*sort)(struct tui *t, struct view *v, int how);
	/* Enter. */
	void (*activate)(struct tui *t, struct view *v);
	/* The selected job, or 0. */
	int64_t (*job)(struct tui *t, struct view *v);
	/* An event the session passed on (job.log). */
	void (*event)(struct tui *t, struct view *v, const char *name,
	    json_t *data);
	/* The session is live again. */
	void (*live)(struct tui *t, struct view *v);
	/* A key no action took (log toggles); returns 1 when used. */
	int (*key)(struct tui *t, struct view *v, int key);
};

struct view {
	const struct view_class *cls;
	enum view_id id;
	struct vscroll sc;
	size_t hscroll; /* columns scrolled sideways */
	struct filter filt;
	int64_t job;    /* the job of a job or logs view */
	int64_t sel_id; /* the selected job of a job list */
	void *priv;
};

extern const struct view_class *const view_classes[VIEW_N];

/* Overlays: popups over the views, on a stack. */
struct overlay_class {
	const char *name;
	void (*draw)(struct tui *t, struct overlay *o);
	/* Returns 1 when the key was used (an overlay takes every key). */
	int (*key)(struct tui *t, struct overlay *o, int key);
	void (*free)(struct overlay *o);
};

struct overlay {
	const struct overlay_class *cls;
	struct overlay *below;
};

struct screen {
	SCREEN *sp;
	int active; /* curses is running */
	int rows, cols;
	int color; /* colours in use */
	int ncolors;
	int utf8;
	int mouse;
	enum graph_mode graph;
	WINDOW *head, *body, *foot;
	attr_t attr[THEME_NEL];
};

enum prompt_kind { PROMPT_NONE, PROMPT_FILTER, PROMPT_COMMAND };

struct tui_stats {
	uint64_t frames;
	uint64_t frame_ns_sum, frame_ns_max;
	uint64_t key_ns_sum, key_ns_max, keys;
	uint64_t key_t0; /* when the keys of this turn arrived, or 0 */
};

struct tui {
	uv_loop_t *loop;
	uv_poll_t tty;
	uv_signal_t sigs[TUI_NSIGS];
	uv_timer_t frame, tick;
	int handles; /* open handles of the loop */
	struct session sess;
	struct replica rep;
	struct keymap km;
	struct conf conf;
	struct theme theme;
	struct screen scr;
	struct view *views[VIEW_N];
	struct view *cur;
	struct {
		struct view *v;
		int64_t job;
	} hist[TUI_HIST];
	size_t nhist, hpos; /* history, and the current entry */
	struct view *last;  /* for `-` */
	int64_t last_job;
	enum prompt_kind prompt;
	struct field field;
	char prompt_hint[256]; /* completions shown above the prompt */
	struct overlay *ov;
	int64_t *marks; /* marked job ids, sorted */
	size_t nmarks, capmarks;
	char status[512];
	enum revent_level status_level;
	uint64_t status_until; /* uv_now ms; 0: until replaced */
	int frozen, readonly, quit, mouse, ctrl_c_quits, no_color;
	int away; /* the terminal is lent to a child (1), or it ended (2) */
	const struct tui_opts *opts; /* the command line's, for children */
	int dirty, full_redraw;
	char *me;         /* the user the daemon says we are */
	const char *home; /* $HOME, for the config */
	struct tui_stats st;
	const char *stats_path; /* $GPUQ_TUI_STATS: figures at exit */
};

/* Options from the command line. */
struct tui_opts {
	const char *sock;  /* -S */
	const char *host;  /* -H */
	const char *theme; /* --theme */
	int readonly;      /* --readonly */
	int no_color;      /* --no-color */
	int mouse;         /* --mouse */
	const char *conf;  /* --config FILE, else ~/.config/gpuq/gpuq.conf */
	/* Over SSH (host set): see struct cli. */
	const char *target;
	const char *remote_command;
	const char *ssh_command;
	const char *ssh_config;
	int verbose;
};

/* tui.c */
int tui_main(const struct tui_opts *o);
/* Prints the live key map (`gpuq --keys`) on stdout; returns 0 or 1. */
int tui_print_keys(const struct tui_opts *o);
void tui_dirty(struct tui *t);
/* Sets the status line (printf format); errors also go to Events. */
void tui_status(struct tui *t, enum revent_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int64_t tui_now(struct tui *t);
void tui_quit(struct tui *t);
void tui_suspend(struct tui *t);
/*
 * Lends the terminal to a child process (gpuq attach) while the loop runs
 * on; tui_take_back returns it: at once when msg is NULL, else after
 * printing msg and waiting for Enter, so the child's last words can be
 * read.
 */
void tui_lend(struct tui *t);
void tui_take_back(struct tui *t, const char *msg);
/* The context mask of the current view (for the key map). */
unsigned tui_ctx(const struct tui *t);
/* Runs an action by index (the key map's answer). */
void tui_run_action(struct tui *t, int a);
/* Loads and applies a theme by name; returns 0 or a GQ_E* code. */
int tui_set_theme(struct tui *t, const char *name);

/* view.c */
void view_setup(struct tui *t);
void view_teardown(struct tui *t);
/* Makes view id current; job for the job and logs views. */
void view_show(struct tui *t, enum view_id id, int64_t job);
void view_back(struct tui *t);
void view_forward(struct tui *t);
void view_last(struct tui *t);
/* Moves the selection (or scrolls a text view). */
void view_move(struct tui *t, long delta);
void view_move_to(struct tui *t, int end); /* 0 top, 1 bottom */
void view_page(struct tui *t, int dir, int half);
/* The jobs an action applies to: the marked ones, else the selected. */
size_t view_targets(struct tui *t, int64_t **ids);
/* Draws the current view into the body window. */
void view_draw(struct tui *t);
/* A short note in a view that the daemon lacks a verb. */
void view_draw_missing(struct tui *t, WINDOW *w, int row, const char *what,
    const char *verb);

/* marks (view.c) */
int view_marked(const struct tui *t, int64_t id);
void view_mark(struct tui *t, int64_t id, int on);
/* Marks many jobs at once (a: every job shown). */
void view_mark_many(struct tui *t, const int64_t *ids, size_t n);
void view_marks_clear(struct tui *t);

/* draw.c */
/* Writes s at (y, x) cut to w columns (made safe), padded if pad. */
int draw_text(WINDOW *win, int y, int x, const char *s, int w, int pad);
/* The same, right-aligned in w columns. */
int draw_right(WINDOW *win, int y, int x, const char *s, int w);
void draw_head(struct tui *t);
void draw_foot(struct tui *t);
void draw_too_small(struct tui *t);
/* A box with a title for an overlay; returns its window (new). */
WINDOW *draw_box(struct tui *t, int h, int w, const char *title);
attr_t draw_attr(const struct tui *t, enum theme_el el);
/* The glyph (or ASCII) and element of a job state. */
const char *draw_state_glyph(const struct tui *t, enum rstate s);
enum theme_el draw_state_el(enum rstate s);

/* screen.c */
int screen_start(struct tui *t, char **cause);
void screen_stop(struct tui *t);
void screen_apply_theme(struct tui *t);
void screen_resize(struct tui *t);
/* Reads one key: 1 and *key, or 0 when none is waiting. */
int screen_key(struct tui *t, int *key, MEVENT *mev);
void screen_suspend(struct tui *t);
void screen_resume(struct tui *t);
void screen_mouse(struct tui *t, int on);
/* Restores the terminal from a signal handler (async-signal-safe). */
void screen_emergency(void);
/* Sends text to the terminal's clipboard (OSC 52). */
void screen_osc52(struct tui *t, const char *text);

/* dialog.c */
void overlay_push(struct tui *t, struct overlay *o);
void overlay_pop(struct tui *t);
void overlay_draw_all(struct tui *t);
/*
 * A confirmation naming what it does: lines (copied) under the title, a
 * Cancel button (focused) and a confirm button labelled yes.  fn runs with
 * arg only when confirmed; free_arg frees arg either way (may be NULL).
 */
void dialog_confirm(struct tui *t, const char *title, const char *const *lines,
    size_t nlines, const char *yes, void (*fn)(struct tui *, void *), void *arg,
    void (*free_arg)(void *));
/*
 * dialog-ask.c: a question from the SSH transport (a host key, a
 * passphrase, a one-time code); the answer goes to session_answer.
 */
void dialog_ask(struct tui *t, const struct transport_ask *q);
/* A menu of items; fn gets the chosen index (never for Esc). */
void dialog_menu(struct tui *t, const char *title, const char *const *items,
    const int *enabled, size_t n, void (*fn)(struct tui *, void *, int),
    void *arg, void (*free_arg)(void *));
void dialog_help(struct tui *t);
/* A scrollable text (raw JSON, errors); text is copied. */
void dialog_text(struct tui *t, const char *title, const char *text);

/* command.c */
void command_run(struct tui *t, const char *line);
/* Completes the command line in t->field; fills t->prompt_hint. */
void command_complete(struct tui *t);

/* form-submit.c */
void form_submit_open(struct tui *t);

/* form-sweep.c: the sweep form; template: a job to start from, or 0. */
void form_sweep_open(struct tui *t, int64_t template);
/* form-update.c: priority and time limit of the marked or selected jobs. */
void form_update_open(struct tui *t);

/* action-job.c: the job actions of the key table */
void action_cancel_jobs(struct tui *t, const int64_t *ids, size_t n);
/* Describes a job for dialogs: "12 train (alice) RUNNING". */
void action_job_line(struct tui *t, int64_t id, char *out, size_t n);
/* 1 when the daemon has verb; else says so (what: "Suspend") and 0. */
int action_job_has(struct tui *t, const char *verb, const char *what);
/* The selected job of the current view, or 0. */
int64_t action_job_selected(struct tui *t);
void action_job_cancel(struct tui *t);
void action_job_cancel_now(struct tui *t);
void action_job_suspend(struct tui *t);
void action_job_resume(struct tui *t);
void action_job_hold(struct tui *t);
void action_job_release(struct tui *t);
void action_job_requeue(struct tui *t);
void action_job_swap(struct tui *t);
void action_job_menu(struct tui *t);
void action_job_raw(struct tui *t);
void action_job_logs(struct tui *t);
/* action-attach.c: A, a shell in the selected job (gpuq attach). */
void action_attach_job(struct tui *t);

/* view-sweeps.c: the sweep actions (pause, resume, stop: they ask). */
void view_sweeps_pause(struct tui *t);
void view_sweeps_resume(struct tui *t);
void view_sweeps_stop(struct tui *t);

/* view-jobs.c: the job list behind Jobs and Mine */
void view_jobs_init(struct tui *t, struct view *v);
void view_jobs_free(struct view *v);
void view_jobs_prepare(struct tui *t, struct view *v);
void view_jobs_draw(struct tui *t, struct view *v, WINDOW *w, int rows,
    int cols);
void view_jobs_filter(struct tui *t, struct view *v);
void view_jobs_match(struct tui *t, struct view *v, int dir);
void view_jobs_sort(struct tui *t, struct view *v, int how);
void view_jobs_activate(struct tui *t, struct view *v);
int64_t view_jobs_job(struct tui *t, struct view *v);
/* Toggles wide columns; marks every visible job (a), returns count. */
void view_jobs_wide(struct tui *t, struct view *v);
size_t view_jobs_mark_all(struct tui *t, struct view *v);
/* Sorts by a column name (:sort), desc 1, 0 or -1 (keep); 0 or -1. */
int view_jobs_sort_by(struct tui *t, struct view *v, const char *name,
    int desc);

/* view-logs.c */
enum view_logs_toggle {
	VIEW_LOGS_FOLLOW,
	VIEW_LOGS_STREAM,
	VIEW_LOGS_WRAP,
	VIEW_LOGS_FULL
};
void view_logs_toggle(struct tui *t, enum view_logs_toggle what);
/* Saves the log to path (Ctrl-S); returns 0 or a GQ_E* code. */
int view_logs_save(struct tui *t, const char *path);

/* view-job.c */
/* Asks the daemon for the job's full record again. */
void view_job_reload(struct tui *t);

/* themes.c */
/*
 * Loads the theme called name (files in the theme path, then the themes
 * built into gpuq), following extends; resolves it.  Returns 0, or a
 * GQ_E* code with *cause (new).  Bad lines are reported in errs.
 */
int themes_load(const char *name, struct theme *th, struct buf *errs,
    char **cause);
/* Names of every theme found (new array of new strings, NULL-ended). */
char **themes_list(void);
void themes_list_free(char **names);

#endif
