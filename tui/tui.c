/*
 * The workbench's loop: startup in the order TUI.md gives (locale, colour
 * policy, signal handles, then curses), key dispatch by mode (overlay,
 * prompt, key map), and the frame: drawn at most once per loop turn.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/sockpath.h"
#include "tui/fmt.h"
#include "tui/keys.h"
#include "tui/tui.h"

#define TUI_DATA_DELAY_MS 30 /* a burst of events becomes one frame */

static const int tui_signal_nums[TUI_NSIGS] = { SIGWINCH, SIGTERM, SIGHUP,
	SIGCONT, SIGINT };
static const int tui_fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	SIGQUIT };

static struct tui *tui_global; /* for atexit */
static int tui_stdin_flags = -1;

extern int draw_utf8;

int64_t
tui_now(struct tui *t)
{
	return (int64_t)time(NULL);
}

static void tui_frame_cb(uv_timer_t *h);

void
tui_dirty(struct tui *t)
{
	t->dirty = 1;
	if (!uv_is_active((uv_handle_t *)&t->frame) && !t->quit)
		uv_timer_start(&t->frame, tui_frame_cb, TUI_DATA_DELAY_MS, 0);
}

/* Draws in this loop turn's timer phase, not later. */
static void
tui_frame_now(struct tui *t)
{
	t->dirty = 1;
	if (!t->quit)
		uv_timer_start(&t->frame, tui_frame_cb, 0, 0);
}

static void
tui_status_set(struct tui *t, enum revent_level level, const char *text)
{
	static const uint64_t keep[] = { 4000, 8000, 15000 };

	snprintf(t->status, sizeof(t->status), "%s", text);
	t->status_level = level;
	t->status_until = uv_now(t->loop) + keep[level];
	tui_dirty(t);
}

void
tui_status(struct tui *t, enum revent_level level, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	if (level != REVENT_INFO)
		replica_note(&t->rep, tui_now(t), level, 0, "%s", text);
	tui_status_set(t, level, text);
	free(text);
}

unsigned
tui_ctx(const struct tui *t)
{
	return ACTION_CTX_GLOBAL | (t->cur != NULL ? t->cur->cls->ctx : 0);
}

void
tui_quit(struct tui *t)
{
	int i;

	if (t->quit)
		return;
	t->quit = 1;
	uv_timer_stop(&t->frame);
	uv_close((uv_handle_t *)&t->frame, NULL);
	uv_close((uv_handle_t *)&t->tick, NULL);
	uv_close((uv_handle_t *)&t->tty, NULL);
	for (i = 0; i < TUI_NSIGS; i++)
		uv_close((uv_handle_t *)&t->sigs[i], NULL);
	session_stop(&t->sess);
}

void
tui_run_action(struct tui *t, int a)
{
	const struct action *act = &action_table[a];

	if (t->readonly && (act->flags & ACTION_MUTATES)) {
		tui_status(t, REVENT_WARN, "read-only: %s is off", act->name);
		return;
	}
	/* Nothing changes the cluster while the link is down. */
	if ((act->flags & ACTION_MUTATES) && t->sess.state != SESSION_LIVE) {
		tui_status(t, REVENT_WARN,
		    "%s: not connected to the daemon (%s)", act->name,
		    session_state_name(&t->sess));
		return;
	}
	act->fn(t);
	tui_dirty(t);
}

static void
tui_stats_frame(struct tui *t, uint64_t t0)
{
	uint64_t end = uv_hrtime(), d = end - t0;

	t->st.frames++;
	t->st.frame_ns_sum += d;
	if (d > t->st.frame_ns_max)
		t->st.frame_ns_max = d;
	if (t->st.key_t0 != 0) {
		d = end - t->st.key_t0;
		t->st.keys++;
		t->st.key_ns_sum += d;
		if (d > t->st.key_ns_max)
			t->st.key_ns_max = d;
		t->st.key_t0 = 0;
	}
}

static void
tui_draw(struct tui *t)
{
	if (t->full_redraw) {
		clearok(curscr, TRUE);
		werase(stdscr);
		wnoutrefresh(stdscr);
		t->full_redraw = 0;
	}
	if (t->scr.cols < TUI_MIN_COLS || t->scr.rows < TUI_MIN_ROWS) {
		curs_set(0);
		draw_too_small(t);
		return;
	}
	draw_head(t);
	wnoutrefresh(t->scr.head);
	view_draw(t);
	wnoutrefresh(t->scr.body);
	draw_foot(t);
	wnoutrefresh(t->scr.foot);
	curs_set(t->prompt != PROMPT_NONE && t->ov == NULL ? 1 : 0);
	/* Last, so the cursor ends where an overlay put it. */
	overlay_draw_all(t);
}

static void
tui_frame_cb(uv_timer_t *h)
{
	struct tui *t = h->data;
	uint64_t t0 = uv_hrtime();

	if (!t->dirty || !t->scr.active || t->quit || t->away)
		return;
	t->dirty = 0;
	if (t->status_until != 0 && uv_now(t->loop) >= t->status_until) {
		t->status[0] = '\0';
		t->status_until = 0;
	}
	tui_draw(t);
	doupdate();
	tui_stats_frame(t, t0);
}

static void
tui_tick_cb(uv_timer_t *h)
{
	struct tui *t = h->data;

	if (!t->frozen || t->status_until != 0)
		tui_dirty(t);
}

static void
tui_prompt_close(struct tui *t)
{
	t->prompt = PROMPT_NONE;
	t->prompt_hint[0] = '\0';
}

static void
tui_filter_apply(struct tui *t, const char *text)
{
	filter_parse(&t->cur->filt, text, t->me);
	if (t->cur->cls->filter != NULL)
		t->cur->cls->filter(t, t->cur);
}

static void
tui_prompt_done(struct tui *t, int enter)
{
	char line[FIELD_MAX];
	enum prompt_kind kind = t->prompt;

	snprintf(line, sizeof(line), "%s", t->field.text);
	tui_prompt_close(t);
	if (kind == PROMPT_FILTER && !enter)
		tui_filter_apply(t, "");
	else if (kind == PROMPT_COMMAND && enter)
		command_run(t, line);
}

static void
tui_prompt_key(struct tui *t, int key)
{
	if (key == KEYS_ESC || key == KEYS_CTRL('c') ||
	    (key == KEYS_BACKSPACE && t->field.len == 0)) {
		tui_prompt_done(t, 0);
		return;
	}
	if (key == KEYS_ENTER) {
		tui_prompt_done(t, 1);
		return;
	}
	if (key == KEYS_TAB && t->prompt == PROMPT_COMMAND) {
		command_complete(t);
		return;
	}
	if (!field_key(&t->field, key))
		return;
	t->prompt_hint[0] = '\0';
	if (t->prompt == PROMPT_FILTER)
		tui_filter_apply(t, t->field.text);
}

static void
tui_mouse(struct tui *t, const MEVENT *m)
{
	struct vscroll *sc = &t->cur->sc;
	int y = m->y - 1;

	if (m->bstate & BUTTON4_PRESSED)
		view_move(t, -3);
	else if ((m->bstate & BUTTON5_PRESSED))
		view_move(t, 3);
	else if ((m->bstate & (BUTTON1_PRESSED | BUTTON1_RELEASED)) &&
	    sc->cursor && y >= 2 && y < sc->rows + 2)
		/* Lists draw their rows under a title and a header. */
		view_move(t,
		    (long)(sc->top +
		        (size_t)(y - 2) / (size_t)(sc->per > 1 ? sc->per : 1)) -
		        (long)sc->sel);
}

static void
tui_key(struct tui *t, int key, const MEVENT *mev)
{
	char name[KEYS_NAME_MAX];
	int a;

	if (key == KEYS_RESIZE) {
		screen_resize(t);
		return;
	}
	if (t->status_level == REVENT_INFO)
		t->status[0] = '\0';
	if (t->ov != NULL) {
		t->ov->cls->key(t, t->ov, key);
		return;
	}
	if (key == KEYS_MOUSE) {
		tui_mouse(t, mev);
		return;
	}
	if (t->prompt != PROMPT_NONE) {
		tui_prompt_key(t, key);
		return;
	}
	if ((a = keymap_lookup(&t->km, tui_ctx(t), key)) >= 0) {
		tui_run_action(t, a);
		return;
	}
	if (t->cur->cls->key != NULL && t->cur->cls->key(t, t->cur, key))
		return;
	tui_status(t, REVENT_INFO, "%s does nothing here (? for help)",
	    keys_name(key, name, sizeof(name)));
}

static void
tui_tty_cb(uv_poll_t *h, int status, int events)
{
	struct tui *t = h->data;
	MEVENT mev;
	int key, n = 0;

	memset(&mev, 0, sizeof(mev));
	/* Drain: curses may hold more bytes than the poll reported. */
	while (!t->quit && screen_key(t, &key, &mev)) {
		if (t->st.key_t0 == 0)
			t->st.key_t0 = uv_hrtime();
		tui_key(t, key, &mev);
		n++;
	}
	if (n > 0)
		tui_frame_now(t);
}

void
tui_suspend(struct tui *t)
{
	uv_poll_stop(&t->tty);
	screen_suspend(t);
	if (tui_stdin_flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, tui_stdin_flags);
	raise(SIGTSTP);
	/* Here again after fg. */
	screen_resume(t);
	uv_poll_start(&t->tty, UV_READABLE, tui_tty_cb);
	tui_frame_now(t);
}

/*
 * Lends the terminal to a child (gpuq attach): curses steps aside as for
 * Ctrl-Z, but the loop keeps running (the connection stays up) and no
 * frame is drawn until tui_take_back.
 */
void
tui_lend(struct tui *t)
{
	uv_poll_stop(&t->tty);
	screen_suspend(t);
	if (tui_stdin_flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, tui_stdin_flags);
	/* The child's Ctrl-\ is not ours either (the child gets the
	 * default action back: libuv resets it). */
	signal(SIGQUIT, SIG_IGN);
	t->away = 1;
}

static void tui_fatal_signals(void);

static void
tui_back(struct tui *t)
{
	t->away = 0;
	tui_fatal_signals();
	screen_resume(t);
	uv_poll_start(&t->tty, UV_READABLE, tui_tty_cb);
	t->full_redraw = 1;
	tui_frame_now(t);
}

/* After "press Enter": a line typed on the shell's terminal. */
static void
tui_back_cb(uv_poll_t *h, int status, int events)
{
	struct tui *t = h->data;
	char b[256];
	ssize_t n;

	n = read(STDIN_FILENO, b, sizeof(b)); /* cooked: the whole line */
	if (n < 0 && status == 0)
		return; /* a spurious wake-up */
	uv_poll_stop(&t->tty);
	tui_back(t);
}

void
tui_take_back(struct tui *t, const char *msg)
{
	if (!t->away)
		return;
	if (t->quit) { /* the handles are closing: nothing to restore */
		t->away = 0;
		tui_fatal_signals();
		return;
	}
	if (msg == NULL) {
		tui_back(t);
		return;
	}
	printf("\r\n[gpuq: %s. Press Enter to go back.]", msg);
	fflush(stdout);
	t->away = 2;
	uv_poll_start(&t->tty, UV_READABLE, tui_back_cb);
}

static void
tui_signal_cb(uv_signal_t *h, int sig)
{
	struct tui *t = h->data;

	/* The child has the terminal: its Ctrl-C is not ours. */
	if (t->away && sig != SIGTERM && sig != SIGHUP)
		return;
	switch (sig) {
	case SIGWINCH:
	case SIGCONT:
		screen_resize(t);
		tui_frame_now(t);
		break;
	default:
		tui_quit(t);
		break;
	}
}

static void
tui_fatal_handler(int sig)
{
	screen_emergency();
	if (tui_stdin_flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, tui_stdin_flags);
	raise(sig); /* SA_RESETHAND: the default action now */
}

static void
tui_fatal_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tui_fatal_handler;
	sa.sa_flags = (int)SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(tui_fatal) / sizeof(tui_fatal[0]); i++)
		sigaction(tui_fatal[i], &sa, NULL);
}

static void
tui_atexit(void)
{
	if (tui_global != NULL && tui_global->scr.active)
		screen_stop(tui_global);
	if (tui_stdin_flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, tui_stdin_flags);
}

/* Signal handles first: curses then leaves SIGWINCH to us. */
static void
tui_signals(struct tui *t)
{
	int i;

	for (i = 0; i < TUI_NSIGS; i++) {
		uv_signal_init(t->loop, &t->sigs[i]);
		t->sigs[i].data = t;
		uv_signal_start(&t->sigs[i], tui_signal_cb, tui_signal_nums[i]);
	}
	tui_fatal_signals();
}

/* Reads the config file into t->conf; problems go to errs. */
static void
tui_conf(struct tui *t, const struct tui_opts *o, struct buf *errs)
{
	char path[4096], *text;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	size_t n;
	FILE *f;

	conf_init(&t->conf);
	if (o->conf != NULL)
		snprintf(path, sizeof(path), "%s", o->conf);
	else if (xdg != NULL && xdg[0] == '/')
		snprintf(path, sizeof(path), "%s/gpuq/gpuq.conf", xdg);
	else if (t->home != NULL)
		snprintf(path, sizeof(path), "%s/.config/gpuq/gpuq.conf",
		    t->home);
	else
		return;
	if ((f = fopen(path, "r")) == NULL) {
		if (o->conf != NULL)
			buf_printf(errs, "%s: %s\n", path, strerror(errno));
		return;
	}
	text = xmalloc(CONF_MAX_TEXT + 1);
	n = fread(text, 1, CONF_MAX_TEXT + 1, f);
	fclose(f);
	conf_parse(&t->conf, path, text, n, errs);
	free(text);
}

/* The context sets of the views, for the key map's collision check. */
static size_t
tui_ctx_sets(unsigned *sets)
{
	size_t i;

	for (i = 0; i < VIEW_N; i++)
		sets[i] = view_classes[i]->ctx | ACTION_CTX_GLOBAL;
	return VIEW_N;
}

static int
tui_keys_setup(struct tui *t, int readonly, struct buf *errs)
{
	unsigned sets[VIEW_N];
	char *cause = NULL;
	size_t i, n = tui_ctx_sets(sets);
	const struct conf_bind *b;
	int rc;

	if ((rc = keymap_init(&t->km, action_table, action_count, sets, n,
	         &cause)) != 0) {
		buf_printf(errs, "key map: %s\n", cause);
		free(cause);
		return rc;
	}
	for (i = 0; i < t->conf.nbinds; i++) {
		b = &t->conf.binds[i];
		rc = b->action[0] != '\0' ?
		    keymap_bind(&t->km, b->key, b->action, &cause) :
		    keymap_unbind(&t->km, b->key, &cause);
		if (rc != 0) {
			buf_printf(errs, "gpuq.conf:%d: %s\n", b->line, cause);
			free(cause);
			cause = NULL;
		}
	}
	if (readonly)
		keymap_readonly(&t->km);
	if (keymap_check(&t->km, &cause) != 0) {
		buf_printf(errs, "key map collision: %s\n", cause);
		free(cause);
	}
	return 0;
}

int
tui_set_theme(struct tui *t, const char *name)
{
	struct theme th;
	struct buf errs;
	char *cause = NULL;
	int rc;

	buf_init(&errs, 64 * 1024);
	if ((rc = themes_load(name, &th, &errs, &cause)) != 0) {
		tui_status(t, REVENT_ERROR, "theme %s: %s", name, cause);
		free(cause);
		buf_done(&errs);
		return rc;
	}
	t->theme = th;
	if (t->scr.active)
		screen_apply_theme(t);
	if (errs.len > 0)
		tui_status(t, REVENT_WARN, "%.*s",
		    (int)strcspn(errs.data, "\n"), errs.data);
	buf_done(&errs);
	tui_dirty(t);
	return 0;
}

/* --theme > $GPUQ_THEME > config > default; NO_COLOR means monochrome. */
static const char *
tui_theme_name(struct tui *t, const struct tui_opts *o)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	const char *env = getenv("GPUQ_THEME");

	if (o->no_color || (nc != NULL && nc[0] != '\0') ||
	    (term != NULL && strcmp(term, "dumb") == 0))
		t->no_color = o->theme == NULL || o->no_color;
	if (o->theme != NULL)
		return o->theme;
	if (t->no_color)
		return "monochrome";
	if (env != NULL && env[0] != '\0')
		return env;
	return t->conf.theme[0] != '\0' ? t->conf.theme : "default";
}

static void
tui_theme_setup(struct tui *t, const struct tui_opts *o, struct buf *errs)
{
	const char *name = tui_theme_name(t, o);
	char *cause = NULL;

	if (themes_load(name, &t->theme, errs, &cause) == 0)
		return;
	buf_printf(errs, "theme %s: %s\n", name, cause);
	free(cause);
	cause = NULL;
	if (themes_load("default", &t->theme, errs, &cause) != 0) {
		free(cause);
		theme_init(&t->theme, "none");
		theme_resolve(&t->theme);
	}
}

static void
tui_sess_changed(void *arg)
{
	struct tui *t = arg;
	const char *user = session_hello_str(&t->sess, "user");

	if (t->me == NULL && user != NULL) {
		t->me = xstrdup(user);
		/* Mine and any `u:.` filter mean this user now. */
		filter_parse(&t->views[VIEW_MINE]->filt,
		    t->views[VIEW_MINE]->filt.text, t->me);
		t->views[VIEW_MINE]->cls->filter(t, t->views[VIEW_MINE]);
	}
	if (!t->frozen || t->sess.state != SESSION_LIVE)
		tui_dirty(t);
}

static void
tui_sess_event(void *arg, const char *name, int64_t seq, json_t *data)
{
	struct tui *t = arg;
	size_t i;

	for (i = 0; i < VIEW_N; i++)
		if (t->views[i]->cls->event != NULL)
			t->views[i]->cls->event(t, t->views[i], name, data);
	if (!t->frozen)
		tui_dirty(t);
}

static void
tui_sess_note(void *arg, enum revent_level level, const char *text)
{
	tui_status_set(arg, level, text);
}

static void
tui_sess_live(void *arg)
{
	struct tui *t = arg;
	size_t i;

	for (i = 0; i < VIEW_N; i++)
		if (t->views[i]->cls->live != NULL)
			t->views[i]->cls->live(t, t->views[i]);
	tui_dirty(t);
}

static void
tui_sess_ask(void *arg, const struct transport_ask *q)
{
	dialog_ask(arg, q);
}

static const struct session_cbs tui_sess_cbs = {
	.changed = tui_sess_changed,
	.event = tui_sess_event,
	.note = tui_sess_note,
	.live = tui_sess_live,
	.ask = tui_sess_ask,
};

/*
 * -H: gpuq's own SSH client (libssh2) runs `gpuqd bridge` there, or with
 * --ssh-command the system ssh does, as the CLI does (docs/ssh.md).
 */
static void
tui_connect_ssh(struct tui *t, const struct tui_opts *o)
{
	const char *target = o->target != NULL ? o->target : o->host;
	struct transport_ssh_opts so;
	char *line, **argv;

	if (o->ssh_command == NULL) {
		memset(&so, 0, sizeof(so));
		so.target = target;
		so.command = o->remote_command;
		so.socket = o->sock;
		so.config = o->ssh_config;
		so.how = ssh_resolve_how_env();
		so.verbose = o->verbose;
		session_start_ssh(&t->sess, &so);
		return;
	}
	line = transport_ssh_command(o->remote_command, o->sock);
	argv = transport_ssh_argv(o->ssh_command, target, line);
	free(line);
	if (argv == NULL) {
		tui_status(t, REVENT_ERROR, "-H %s: not [user@]host[:port]",
		    target);
		return;
	}
	session_start_cmd(&t->sess, o->host, argv);
	transport_ssh_argv_free(argv);
}

static void
tui_connect(struct tui *t, const struct tui_opts *o)
{
	char *sock;

	if (o->host != NULL) {
		tui_connect_ssh(t, o);
		return;
	}
	sock = o->sock != NULL ? xstrdup(o->sock) : sockpath_default();
	session_start_unix(&t->sess, sock);
	free(sock);
}

static enum graph_mode
tui_graph_mode(const struct tui *t)
{
	if (!t->scr.utf8 || t->conf.graph == CONF_GRAPH_ASCII)
		return GRAPH_ASCII;
	return t->conf.graph == CONF_GRAPH_BLOCK ? GRAPH_BLOCK : GRAPH_BRAILLE;
}

static void
tui_handles(struct tui *t)
{
	uv_timer_init(t->loop, &t->frame);
	uv_timer_init(t->loop, &t->tick);
	t->frame.data = t->tick.data = t;
	uv_timer_start(&t->tick, tui_tick_cb, 1000, 1000);
	uv_poll_init(t->loop, &t->tty, STDIN_FILENO);
	t->tty.data = t;
	uv_poll_start(&t->tty, UV_READABLE, tui_tty_cb);
}

/* Shows problems found at startup: the first on the status line. */
static void
tui_report(struct tui *t, const struct buf *errs)
{
	const char *p = errs->data, *nl;

	if (errs->len == 0)
		return;
	for (; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		replica_note(&t->rep, tui_now(t), REVENT_WARN, 0, "%.*s",
		    (int)(nl - p), p);
		if (*nl == '\0')
			break;
	}
	tui_status_set(t, REVENT_WARN, errs->data);
	t->status[strcspn(t->status, "\n")] = '\0';
}

static long
tui_rss_kb(const char *field)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, strlen(field)) == 0)
			kb = strtol(line + strlen(field), NULL, 10);
	fclose(f);
	return kb;
}

/* Figures for the benchmarks, written at exit when $GPUQ_TUI_STATS says. */
static void
tui_write_stats(struct tui *t)
{
	const struct tui_stats *s = &t->st;
	FILE *f;

	if (t->stats_path == NULL || (f = fopen(t->stats_path, "w")) == NULL)
		return;
	fprintf(f, "frames %llu\n", (unsigned long long)s->frames);
	fprintf(f, "frame_ms_avg %.3f\nframe_ms_max %.3f\n",
	    s->frames ? s->frame_ns_sum / 1e6 / (double)s->frames : 0.0,
	    s->frame_ns_max / 1e6);
	fprintf(f, "keys %llu\nkey_ms_avg %.3f\nkey_ms_max %.3f\n",
	    (unsigned long long)s->keys,
	    s->keys ? s->key_ns_sum / 1e6 / (double)s->keys : 0.0,
	    s->key_ns_max / 1e6);
	fprintf(f, "jobs %zu\nrss_kb %ld\nrss_peak_kb %ld\n", t->rep.njobs,
	    tui_rss_kb("VmRSS:"), tui_rss_kb("VmHWM:"));
	fprintf(f, "bytes_in %llu\n", (unsigned long long)t->sess.rpc.bytes_in);
	fclose(f);
}

static void
tui_setup(struct tui *t, const struct tui_opts *o, struct buf *errs)
{
	t->home = getenv("HOME");
	t->stats_path = getenv("GPUQ_TUI_STATS");
	tui_conf(t, o, errs);
	t->readonly = o->readonly || t->conf.readonly;
	t->mouse = o->mouse || t->conf.mouse;
	t->ctrl_c_quits = t->conf.ctrl_c_quits;
	tui_keys_setup(t, t->readonly, errs);
	tui_theme_setup(t, o, errs);
	replica_init(&t->rep);
}

static void
tui_free(struct tui *t)
{
	view_teardown(t);
	replica_done(&t->rep);
	keymap_done(&t->km);
	free(t->marks);
	free(t->me);
	free(t);
}

static int
tui_run(struct tui *t, const struct tui_opts *o, uv_loop_t *loop,
    const struct buf *errs)
{
	char *cause = NULL;
	int i;

	t->loop = loop;
	t->opts = o;
	tui_signals(t);
	tui_stdin_flags = fcntl(STDIN_FILENO, F_GETFL);
	tui_global = t;
	atexit(tui_atexit);
	if (screen_start(t, &cause) != 0) {
		fprintf(stderr, "gpuq: %s\n", cause);
		free(cause);
		for (i = 0; i < TUI_NSIGS; i++)
			uv_close((uv_handle_t *)&t->sigs[i], NULL);
		return 1;
	}
	draw_utf8 = t->scr.utf8;
	t->scr.graph = tui_graph_mode(t);
	screen_mouse(t, t->mouse);
	session_init(&t->sess, loop, &t->rep, &tui_sess_cbs, t,
	    t->conf.refresh_ms);
	tui_handles(t);
	view_setup(t);
	tui_report(t, errs);
	tui_connect(t, o);
	uv_run(loop, UV_RUN_DEFAULT);
	return 0;
}

int
tui_main(const struct tui_opts *o)
{
	struct tui *t;
	uv_loop_t loop;
	struct buf errs;
	int rc;

	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr,
		    "gpuq: the workbench needs a terminal "
		    "(try gpuq watch, gpuq ls or gpuq status)\n");
		return 2;
	}
	t = xcalloc(1, sizeof(*t));
	buf_init(&errs, 64 * 1024);
	tui_setup(t, o, &errs);
	uv_loop_init(&loop);
	rc = tui_run(t, o, &loop, &errs);
	screen_stop(t);
	if (tui_stdin_flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, tui_stdin_flags);
	tui_global = NULL;
	uv_run(&loop, UV_RUN_DEFAULT); /* close callbacks still due */
	uv_loop_close(&loop);
	tui_write_stats(t);
	if (errs.len > 0)
		fprintf(stderr, "gpuq: %s", errs.data);
	buf_done(&errs);
	tui_free(t);
	return rc;
}

int
tui_print_keys(const struct tui_opts *o)
{
	struct tui *t = xcalloc(1, sizeof(*t));
	struct buf errs, keys;
	size_t i;
	int rc;

	buf_init(&errs, 64 * 1024);
	buf_init(&keys, 4096);
	t->home = getenv("HOME");
	tui_conf(t, o, &errs);
	tui_keys_setup(t, o->readonly || t->conf.readonly, &errs);
	printf("%-8s %-22s %-18s %s\n", "CONTEXT", "KEYS", "ACTION",
	    "WHAT IT DOES");
	for (i = 0; i < action_count; i++) {
		buf_reset(&keys);
		keymap_keys_text(&t->km, (int)i, &keys);
		if ((o->readonly || t->conf.readonly) &&
		    (action_table[i].flags & ACTION_MUTATES))
			continue;
		printf("%-8s %-22s %-18s %s\n",
		    action_ctx_name(action_table[i].ctx), keys.data,
		    action_table[i].name, action_table[i].help);
	}
	rc = errs.len > 0 ? 1 : 0;
	if (rc != 0)
		fprintf(stderr, "gpuq: %s", errs.data);
	buf_done(&keys);
	buf_done(&errs);
	keymap_done(&t->km);
	free(t);
	return rc;
}
