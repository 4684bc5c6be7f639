#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/str.h"
#include "core/base/error.h"
#include "core/base/units.h"
#include "tui/conf.h"

#define CONF_LINE_MAX  1024
#define CONF_MAX_WORDS 4

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->ctrl_c_quits = 1;
	c->graph = CONF_GRAPH_AUTO;
	c->refresh_ms = 2000;
}

int
conf_bool(const char *s)
{
	if (strcasecmp(s, "on") == 0 || strcasecmp(s, "yes") == 0 ||
	    strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0)
		return 1;
	if (strcasecmp(s, "off") == 0 || strcasecmp(s, "no") == 0 ||
	    strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0)
		return 0;
	return -1;
}

static int
conf_name(char *dst, const char *v, const char **why)
{
	size_t i;

	if (strlen(v) >= CONF_NAME_MAX) {
		*why = "value too long";
		return -1;
	}
	for (i = 0; v[i] != '\0'; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
		        (v[i] >= 'A' && v[i] <= 'Z') ||
		        (v[i] >= '0' && v[i] <= '9') || v[i] == '-' ||
		        v[i] == '_' || v[i] == '.')) {
			*why = "names use letters, digits, '-', '_' and '.'";
			return -1;
		}
	strcpy(dst, v);
	return 0;
}

static int
conf_set_bool(int *dst, const char *v, const char **why)
{
	int b = conf_bool(v);

	if (b < 0) {
		*why = "expected on or off";
		return -1;
	}
	*dst = b;
	return 0;
}

static int
conf_graph(struct conf *c, const char *v, const char **why)
{
	static const char *const names[] = { "auto", "braille", "block",
		"ascii" };
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcasecmp(v, names[i]) == 0) {
			c->graph = (enum conf_graph)i;
			return 0;
		}
	*why = "graph is auto, braille, block or ascii";
	return -1;
}

static int
conf_refresh(struct conf *c, const char *v, const char **why)
{
	char *end;
	double s = strtod(v, &end);

	if (end == v || *end != '\0' || !(s >= 0.5 && s <= 60)) {
		*why = "refresh is 0.5 to 60 seconds";
		return -1;
	}
	c->refresh_ms = (int)(s * 1000 + 0.5);
	return 0;
}

static int
conf_bind(struct conf *c, char **w, int n, int line, const char **why)
{
	struct conf_bind *b;

	if ((strcmp(w[0], "bind") == 0 && n != 3) ||
	    (strcmp(w[0], "unbind") == 0 && n != 2)) {
		*why = "usage: bind KEY ACTION, unbind KEY";
		return -1;
	}
	if (c->nbinds == CONF_MAX_BINDS) {
		*why = "too many bind lines";
		return -1;
	}
	if (strlen(w[1]) >= CONF_NAME_MAX ||
	    (n == 3 && strlen(w[2]) >= CONF_NAME_MAX)) {
		*why = "name too long";
		return -1;
	}
	b = &c->binds[c->nbinds++];
	strcpy(b->key, w[1]);
	strcpy(b->action, n == 3 ? w[2] : "");
	b->line = line;
	return 0;
}

static int
conf_setting(struct conf *c, char **w, int n, int line, const char **why)
{
	if (strcmp(w[0], "bind") == 0 || strcmp(w[0], "unbind") == 0)
		return conf_bind(c, w, n, line, why);
	if (n != 2) {
		*why = "expected: NAME VALUE";
		return -1;
	}
	if (strcmp(w[0], "theme") == 0)
		return conf_name(c->theme, w[1], why);
	if (strcmp(w[0], "start-view") == 0)
		return conf_name(c->start_view, w[1], why);
	if (strcmp(w[0], "mouse") == 0)
		return conf_set_bool(&c->mouse, w[1], why);
	if (strcmp(w[0], "ctrl-c-quits") == 0)
		return conf_set_bool(&c->ctrl_c_quits, w[1], why);
	if (strcmp(w[0], "readonly") == 0)
		return conf_set_bool(&c->readonly, w[1], why);
	if (strcmp(w[0], "graph") == 0)
		return conf_graph(c, w[1], why);
	if (strcmp(w[0], "refresh") == 0)
		return conf_refresh(c, w[1], why);
	*why = "unknown setting";
	return -1;
}

/* cluster NAME TARGET [COMMAND...]: the command is the rest of the line. */
static int
conf_cluster(struct conf *c, char *text, int line, const char **why)
{
	struct conf_cluster *k;
	char *w[3];
	char *rest;
	int n;

	text += strspn(text, " \t");
	rest = text;
	for (n = 0; n < 3 && *rest != '\0' && *rest != '#'; n++) {
		w[n] = rest;
		rest += strcspn(rest, " \t");
		if (*rest != '\0')
			*rest++ = '\0';
		rest += strspn(rest, " \t");
	}
	rest[strcspn(rest, "#")] = '\0';
	while (*rest != '\0' && strchr(" \t", rest[strlen(rest) - 1]))
		rest[strlen(rest) - 1] = '\0';
	if (n != 3 || strlen(w[2]) >= sizeof(k->target) ||
	    strlen(rest) >= sizeof(k->command)) {
		*why = "usage: cluster NAME [user@]host[:port] [COMMAND]";
		return -1;
	}
	if (c->nclusters == CONF_MAX_CLUSTERS) {
		*why = "too many cluster lines";
		return -1;
	}
	k = &c->clusters[c->nclusters];
	if (conf_name(k->name, w[1], why) != 0)
		return -1;
	snprintf(k->target, sizeof(k->target), "%s", w[2]);
	snprintf(k->command, sizeof(k->command), "%s", rest);
	k->line = line;
	c->nclusters++;
	return 0;
}

const struct conf_cluster *
conf_cluster_find(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nclusters; i++)
		if (strcmp(c->clusters[i].name, name) == 0)
			return &c->clusters[i];
	return NULL;
}

/* Parses one line (NUL-terminated, writable); returns 0 or -1. */
static int
conf_line(struct conf *c, char *text, int line, const char **why)
{
	char *w[CONF_MAX_WORDS];
	size_t k = strspn(text, " \t");
	int n;

	if (strncmp(text + k, "cluster", 7) == 0 &&
	    (text[k + 7] == ' ' || text[k + 7] == '\t'))
		return conf_cluster(c, text + k, line, why);

	if ((n = str_words(text, w, CONF_MAX_WORDS)) < 0) {
		*why = "too many words";
		return -1;
	}
	if (n == 0)
		return 0;
	return conf_setting(c, w, n, line, why);
}

static int
conf_line_cb(char *line, int lineno, const char **why, void *arg)
{
	*why = NULL;
	return conf_line(arg, line, lineno, why) != 0 || *why != NULL;
}

int
conf_parse(struct conf *c, const char *name, const char *text, size_t len,
    struct buf *errs)
{
	if (len > CONF_MAX_TEXT) {
		buf_printf(errs, "%s: larger than %d bytes\n", name,
		    CONF_MAX_TEXT);
		return 1;
	}
	return str_each_line(name, text, len, CONF_LINE_MAX, conf_line_cb, c,
	    errs);
}
