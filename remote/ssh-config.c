/*
 * ssh_config(5), the parts gpuq's transport needs.  The keyword table
 * says what each keyword sets; Host, Match and Include are handled in
 * ssh_config_feed_line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/ssh-config.h"
#include "remote/ssh-pattern.h"

#define SSH_CONFIG_MAX_WORDS 64

/* One line being applied. */
struct ssh_config_ctx {
	struct ssh_config *c;
	const struct ssh_config_env *env;
	const char *name;
	int line;
	int depth;
	int never;
	int active;
	char *w[SSH_CONFIG_MAX_WORDS]; /* the value's words */
	size_t n;
	const char *rest; /* the value as written */
};

struct ssh_config_kw {
	const char *name;
	int (*fn)(struct ssh_config_ctx *x, const char **why);
};

static void ssh_config_warn(struct ssh_config_ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ssh_config_warn(struct ssh_config_ctx *x, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (x->env->warn == NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	buf_printf(x->env->warn, "%s:%d: %s\n", x->name, x->line, msg);
	free(msg);
}

void
ssh_config_init(struct ssh_config *c)
{
	memset(c, 0, sizeof(*c));
	c->port = c->identities_only = c->connect_timeout = -1;
	c->alive_interval = c->alive_count_max = c->address_family = -1;
	c->hash_known_hosts = c->strict = c->batch_mode = -1;
	c->kbd_interactive = -1;
}

static void
ssh_config_free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
}

void
ssh_config_done(struct ssh_config *c)
{
	free(c->hostname);
	free(c->user);
	ssh_config_free_list(c->ids, c->nids);
	free(c->identity_agent);
	ssh_config_free_list(c->known, c->nknown);
	ssh_config_free_list(c->global_known, c->nglobal_known);
	free(c->proxy_jump);
	free(c->proxy_command);
	free(c->host_key_algorithms);
	memset(c, 0, sizeof(*c));
}

/* Setters: the first value obtained wins. */
static int
ssh_config_str(struct ssh_config_ctx *x, char **dst)
{
	if (x->n != 1)
		return GQ_EINVAL;
	if (*dst == NULL)
		*dst = xstrdup(x->w[0]);
	return 0;
}

static int
ssh_config_int(struct ssh_config_ctx *x, int *dst, int min, int max)
{
	char *end;
	long v;

	if (x->n != 1)
		return GQ_EINVAL;
	v = strtol(x->w[0], &end, 10);
	if (*end != '\0' || end == x->w[0] || v < min || v > max)
		return GQ_EINVAL;
	if (*dst < 0)
		*dst = (int)v;
	return 0;
}

/* A keyword's value among names; the index goes to *dst. */
static int
ssh_config_enum(struct ssh_config_ctx *x, int *dst, const char *const *names,
    const int *vals)
{
	size_t i;

	if (x->n != 1)
		return GQ_EINVAL;
	for (i = 0; names[i] != NULL; i++) {
		if (strcasecmp(x->w[0], names[i]) != 0)
			continue;
		if (*dst < 0)
			*dst = vals[i];
		return 0;
	}
	return GQ_EINVAL;
}

static int
ssh_config_bool(struct ssh_config_ctx *x, int *dst)
{
	static const char *const names[] = { "yes", "no", "true", "false",
		NULL };
	static const int vals[] = { 1, 0, 1, 0 };

	return ssh_config_enum(x, dst, names, vals);
}

static int
ssh_config_files(struct ssh_config_ctx *x, char **v, size_t *n)
{
	size_t i;

	if (x->n == 0)
		return GQ_EINVAL;
	if (*n > 0)
		return 0;
	for (i = 0; i < x->n && i < SSH_CONFIG_MAX_FILES; i++)
		v[(*n)++] = xstrdup(x->w[i]);
	return 0;
}

static int
ssh_config_kw_hostname(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_str(x, &x->c->hostname);
}

static int
ssh_config_kw_user(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_str(x, &x->c->user);
}

static int
ssh_config_kw_port(struct ssh_config_ctx *x, const char **why)
{
	*why = "a port is a number from 1 to 65535";
	return ssh_config_int(x, &x->c->port, 1, 65535);
}

static int
ssh_config_kw_identityfile(struct ssh_config_ctx *x, const char **why)
{
	struct ssh_config *c = x->c;
	size_t i;

	if (x->n != 1)
		return GQ_EINVAL;
	for (i = 0; i < c->nids; i++)
		if (strcmp(c->ids[i], x->w[0]) == 0)
			return 0;
	if (c->nids == SSH_CONFIG_MAX_IDS) {
		*why = "too many IdentityFile lines";
		return GQ_ETOOBIG;
	}
	c->ids[c->nids++] = xstrdup(x->w[0]);
	return 0;
}

static int
ssh_config_kw_identitiesonly(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_bool(x, &x->c->identities_only);
}

static int
ssh_config_kw_identityagent(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_str(x, &x->c->identity_agent);
}

static int
ssh_config_kw_knownhosts(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_files(x, x->c->known, &x->c->nknown);
}

static int
ssh_config_kw_globalknownhosts(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_files(x, x->c->global_known, &x->c->nglobal_known);
}

static int
ssh_config_kw_proxyjump(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_str(x, &x->c->proxy_jump);
}

static int
ssh_config_kw_proxycommand(struct ssh_config_ctx *x, const char **why)
{
	if (x->n == 0)
		return GQ_EINVAL;
	if (x->c->proxy_command == NULL)
		x->c->proxy_command = xstrdup(x->rest);
	return 0;
}

static int
ssh_config_kw_connecttimeout(struct ssh_config_ctx *x, const char **why)
{
	/* `ssh -G` prints "none" when it is not set. */
	if (x->n == 1 && strcasecmp(x->w[0], "none") == 0)
		return 0;
	*why = "ConnectTimeout is a number of seconds";
	return ssh_config_int(x, &x->c->connect_timeout, 0, 86400);
}

static int
ssh_config_kw_aliveinterval(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_int(x, &x->c->alive_interval, 0, 86400);
}

static int
ssh_config_kw_alivecountmax(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_int(x, &x->c->alive_count_max, 0, 1000);
}

static int
ssh_config_kw_addressfamily(struct ssh_config_ctx *x, const char **why)
{
	static const char *const names[] = { "any", "inet", "inet6", NULL };
	static const int vals[] = { SSH_AF_ANY, SSH_AF_INET, SSH_AF_INET6 };

	return ssh_config_enum(x, &x->c->address_family, names, vals);
}

static int
ssh_config_kw_hashknownhosts(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_bool(x, &x->c->hash_known_hosts);
}

static int
ssh_config_kw_strict(struct ssh_config_ctx *x, const char **why)
{
	static const char *const names[] = { "yes", "no", "off", "ask",
		"accept-new", "true", "false", NULL };
	static const int vals[] = { SSH_STRICT_YES, SSH_STRICT_NO,
		SSH_STRICT_NO, SSH_STRICT_ASK, SSH_STRICT_ACCEPT_NEW,
		SSH_STRICT_YES, SSH_STRICT_NO };

	return ssh_config_enum(x, &x->c->strict, names, vals);
}

static int
ssh_config_kw_batchmode(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_bool(x, &x->c->batch_mode);
}

static int
ssh_config_kw_kbdinteractive(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_bool(x, &x->c->kbd_interactive);
}

static int
ssh_config_kw_hostkeyalgorithms(struct ssh_config_ctx *x, const char **why)
{
	return ssh_config_str(x, &x->c->host_key_algorithms);
}

static const struct ssh_config_kw ssh_config_kws[] = {
	{ "hostname", ssh_config_kw_hostname },
	{ "user", ssh_config_kw_user },
	{ "port", ssh_config_kw_port },
	{ "identityfile", ssh_config_kw_identityfile },
	{ "identitiesonly", ssh_config_kw_identitiesonly },
	{ "identityagent", ssh_config_kw_identityagent },
	{ "userknownhostsfile", ssh_config_kw_knownhosts },
	{ "globalknownhostsfile", ssh_config_kw_globalknownhosts },
	{ "proxyjump", ssh_config_kw_proxyjump },
	{ "proxycommand", ssh_config_kw_proxycommand },
	{ "connecttimeout", ssh_config_kw_connecttimeout },
	{ "serveraliveinterval", ssh_config_kw_aliveinterval },
	{ "serveralivecountmax", ssh_config_kw_alivecountmax },
	{ "addressfamily", ssh_config_kw_addressfamily },
	{ "hashknownhosts", ssh_config_kw_hashknownhosts },
	{ "stricthostkeychecking", ssh_config_kw_strict },
	{ "batchmode", ssh_config_kw_batchmode },
	{ "kbdinteractiveauthentication", ssh_config_kw_kbdinteractive },
	{ "challengeresponseauthentication", ssh_config_kw_kbdinteractive },
	{ "hostkeyalgorithms", ssh_config_kw_hostkeyalgorithms },
};

/* Keywords that change how OpenSSH connects and that gpuq cannot honour. */
static const char *const ssh_config_unsupported[] = {
	"certificatefile",
	"pkcs11provider",
	"securitykeyprovider",
	"gssapiauthentication",
	"proxyusefdpass",
	"canonicalizehostname",
	"controlpersist",
	NULL,
};

#define SSH_CONFIG_NKWS (sizeof(ssh_config_kws) / sizeof(ssh_config_kws[0]))

/*
 * Splits the value into words in place, as OpenSSH's argv_split: blanks
 * separate, "double" and 'single' quotes group, a backslash escapes the
 * next quote, blank or backslash, and an unquoted word starting with #
 * ends the line.  Returns 0 or GQ_EINVAL (an unterminated quote).
 */
static int
ssh_config_split(struct ssh_config_ctx *x, char *s)
{
	char *out, q;

	x->n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (x->n == SSH_CONFIG_MAX_WORDS)
			return GQ_ETOOBIG;
		x->w[x->n++] = out = s;
		for (q = 0; *s != '\0' && (q || (*s != ' ' && *s != '\t'));
		     s++) {
			if (*s == '\\' && s[1] != '\0' &&
			    strchr("\\\"' ", s[1]) != NULL)
				*out++ = *++s;
			else if (!q && (*s == '"' || *s == '\''))
				q = *s;
			else if (q && *s == q)
				q = 0;
			else
				*out++ = *s;
		}
		if (q)
			return GQ_EINVAL;
		if (*s != '\0')
			s++;
		*out = '\0';
	}
}

/* Host PATTERN...: matches the name the user gave. */
static void
ssh_config_host(struct ssh_config_ctx *x)
{
	size_t i;
	int neg, m = 0;

	for (i = 0; i < x->n; i++) {
		neg = x->w[i][0] == '!';
		if (!ssh_pattern_match(x->env->host, x->w[i] + neg,
		        strlen(x->w[i] + neg)))
			continue;
		if (neg) {
			m = 0;
			break;
		}
		m = 1;
	}
	x->active = m && !x->never;
}

static int
ssh_config_match_list(const char *s, const char *list)
{
	return ssh_pattern_list(s, list, strlen(list), ',') == 1;
}

/* One Match criterion with its argument (or NULL); 1 when it holds. */
static int
ssh_config_criterion(struct ssh_config_ctx *x, const char *what,
    const char *arg)
{
	const struct ssh_config *c = x->c;
	const char *host = c->hostname != NULL ? c->hostname : x->env->host;
	const char *user = c->user != NULL ? c->user : x->env->local_user;

	if (strcasecmp(what, "all") == 0 || strcasecmp(what, "final") == 0)
		return 1;
	if (strcasecmp(what, "canonical") == 0)
		return 0;
	if (arg == NULL)
		return -1;
	if (strcasecmp(what, "host") == 0)
		return ssh_config_match_list(host, arg);
	if (strcasecmp(what, "originalhost") == 0)
		return ssh_config_match_list(x->env->host, arg);
	if (strcasecmp(what, "user") == 0)
		return ssh_config_match_list(user, arg);
	if (strcasecmp(what, "localuser") == 0)
		return ssh_config_match_list(x->env->local_user, arg);
	ssh_config_warn(x, "Match %s is not supported: the block is skipped",
	    what);
	return 0;
}

/* Match CRITERIA...: every criterion must hold. */
static void
ssh_config_match(struct ssh_config_ctx *x)
{
	const char *what, *arg;
	size_t i = 0;
	int neg, r, m = 1;

	while (i < x->n) {
		what = x->w[i++];
		neg = what[0] == '!';
		what += neg;
		arg = NULL;
		if (strcasecmp(what, "all") != 0 &&
		    strcasecmp(what, "canonical") != 0 &&
		    strcasecmp(what, "final") != 0)
			arg = i < x->n ? x->w[i++] : NULL;
		if ((r = ssh_config_criterion(x, what, arg)) < 0) {
			ssh_config_warn(x, "Match %s needs an argument", what);
			m = 0;
			break;
		}
		if (r == neg)
			m = 0;
	}
	x->active = m && x->n > 0 && !x->never;
}

static void
ssh_config_include(struct ssh_config_ctx *x)
{
	const struct ssh_config_env *env = x->env;
	size_t i;

	if (x->depth + 1 > SSH_CONFIG_MAX_DEPTH) {
		ssh_config_warn(x, "Include nested too deep");
		return;
	}
	if (env->include == NULL) {
		ssh_config_warn(x, "Include is not followed here");
		return;
	}
	for (i = 0; i < x->n; i++)
		env->include(env->arg, x->c, env, x->w[i], x->depth + 1,
		    !x->active || x->never);
}

static const struct ssh_config_kw *
ssh_config_find(const char *kw)
{
	size_t i;

	for (i = 0; i < SSH_CONFIG_NKWS; i++)
		if (strcasecmp(ssh_config_kws[i].name, kw) == 0)
			return &ssh_config_kws[i];
	return NULL;
}

static void
ssh_config_keyword(struct ssh_config_ctx *x, const char *kw)
{
	const struct ssh_config_kw *k = ssh_config_find(kw);
	const char *why = NULL;
	size_t i;

	if (k == NULL) {
		for (i = 0; ssh_config_unsupported[i] != NULL; i++)
			if (strcasecmp(kw, ssh_config_unsupported[i]) == 0 &&
			    !x->env->g_output)
				ssh_config_warn(x, "gpuq ignores %s", kw);
		return;
	}
	if (k->fn(x, &why) != 0)
		ssh_config_warn(x, "bad value for %s%s%s", kw,
		    why != NULL ? ": " : "", why != NULL ? why : "");
}

/* Applies one line (NUL-terminated, changed in place). */
static void
ssh_config_feed_line(struct ssh_config_ctx *x, char *s)
{
	char *kw;
	size_t k;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#')
		return;
	kw = s;
	k = strcspn(s, " \t=");
	s += k;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '=')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	kw[k] = '\0';
	x->rest = s;
	if (ssh_config_split(x, s) != 0) {
		ssh_config_warn(x, "%s: unterminated quote or too many words",
		    kw);
		return;
	}
	if (x->env->g_output &&
	    (strcasecmp(kw, "host") == 0 || strcasecmp(kw, "match") == 0 ||
	        strcasecmp(kw, "include") == 0))
		return;
	if (strcasecmp(kw, "host") == 0)
		ssh_config_host(x);
	else if (strcasecmp(kw, "match") == 0)
		ssh_config_match(x);
	else if (strcasecmp(kw, "include") == 0)
		ssh_config_include(x);
	else if (x->active)
		ssh_config_keyword(x, kw);
}

void
ssh_config_feed(struct ssh_config *c, const struct ssh_config_env *env,
    const char *name, const char *text, size_t len, int depth, int never)
{
	struct ssh_config_ctx x;
	char line[SSH_CONFIG_MAX_VALUE];
	size_t i = 0, j, n;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.env = env;
	x.name = name;
	x.depth = depth;
	x.never = never;
	x.active = !never;
	if (len > SSH_CONFIG_MAX_TEXT)
		len = SSH_CONFIG_MAX_TEXT;
	while (i < len) {
		for (j = i; j < len && text[j] != '\n'; j++)
			;
		x.line++;
		n = j - i;
		while (n > 0 && (text[i + n - 1] == '\r'))
			n--;
		if (n >= sizeof(line) || memchr(text + i, '\0', n) != NULL) {
			ssh_config_warn(&x, "line too long or not text");
		} else {
			memcpy(line, text + i, n);
			line[n] = '\0';
			ssh_config_feed_line(&x, line);
		}
		i = j + 1;
	}
}

static int
ssh_config_token_str(struct buf *out, const char *v)
{
	return v != NULL ? buf_addstr(out, v) : GQ_EINVAL;
}

static int
ssh_config_token(struct buf *out, char tok, const struct ssh_config *c,
    const struct ssh_config_tokens *t)
{
	switch (tok) {
	case '%':
		return buf_addstr(out, "%");
	case 'd':
		return ssh_config_token_str(out, t->home);
	case 'h':
		return ssh_config_token_str(out, c->hostname);
	case 'p':
		return c->port > 0 ? buf_printf(out, "%d", c->port) : GQ_EINVAL;
	case 'r':
		return ssh_config_token_str(out, c->user);
	case 'u':
		return ssh_config_token_str(out, t->local_user);
	case 'l':
		return ssh_config_token_str(out, t->local_host);
	case 'n':
		return ssh_config_token_str(out, t->alias);
	case 'i':
		return buf_printf(out, "%ld", t->uid);
	default:
		return GQ_EINVAL;
	}
}

int
ssh_config_expand(struct buf *out, const char *s, const struct ssh_config *c,
    const struct ssh_config_tokens *t)
{
	int rc = 0;

	if (s[0] == '~' && (s[1] == '/' || s[1] == '\0')) {
		rc = buf_addstr(out, t->home);
		s++;
	}
	for (; *s != '\0' && rc == 0; s++) {
		if (*s != '%')
			rc = buf_add(out, s, 1);
		else if (s[1] == '\0')
			rc = GQ_EINVAL;
		else
			rc = ssh_config_token(out, *++s, c, t);
	}
	return rc;
}

/* Replaces *p by its expansion (left as is when it cannot be expanded). */
static void
ssh_config_expand_in(char **p, const struct ssh_config *c,
    const struct ssh_config_tokens *t)
{
	struct buf b;

	if (*p == NULL)
		return;
	buf_init(&b, SSH_CONFIG_MAX_VALUE);
	if (ssh_config_expand(&b, *p, c, t) == 0) {
		free(*p);
		*p = buf_take(&b);
	}
	buf_done(&b);
}

static void
ssh_config_defaults(struct ssh_config *c, const struct ssh_config_tokens *t)
{
	static const char *const ids[] = { "~/.ssh/id_rsa", "~/.ssh/id_ecdsa",
		"~/.ssh/id_ed25519", "~/.ssh/id_dsa", NULL };
	size_t i;

	if (c->port < 0)
		c->port = 22;
	if (c->user == NULL)
		c->user = xstrdup(t->local_user);
	for (i = 0; c->nids == 0 && ids[i] != NULL; i++)
		c->ids[i] = xstrdup(ids[i]);
	if (c->nids == 0)
		c->nids = i;
	if (c->nknown == 0) {
		c->known[c->nknown++] = xstrdup("~/.ssh/known_hosts");
		c->known[c->nknown++] = xstrdup("~/.ssh/known_hosts2");
	}
	if (c->nglobal_known == 0) {
		c->global_known[c->nglobal_known++] =
		    xstrdup("/etc/ssh/ssh_known_hosts");
		c->global_known[c->nglobal_known++] =
		    xstrdup("/etc/ssh/ssh_known_hosts2");
	}
	if (c->connect_timeout <= 0)
		c->connect_timeout = 10;
}

static void
ssh_config_defaults_int(struct ssh_config *c)
{
	if (c->identities_only < 0)
		c->identities_only = 0;
	if (c->alive_interval < 0)
		c->alive_interval = 0;
	if (c->alive_count_max < 0)
		c->alive_count_max = 3;
	if (c->address_family < 0)
		c->address_family = SSH_AF_ANY;
	if (c->hash_known_hosts < 0)
		c->hash_known_hosts = 0;
	if (c->strict < 0)
		c->strict = SSH_STRICT_ASK;
	if (c->batch_mode < 0)
		c->batch_mode = 0;
	if (c->kbd_interactive < 0)
		c->kbd_interactive = 1;
}

static void
ssh_config_none(char **p)
{
	if (*p != NULL && strcasecmp(*p, "none") == 0) {
		free(*p);
		*p = NULL;
	}
}

void
ssh_config_finish(struct ssh_config *c, const struct ssh_config_tokens *t)
{
	char *hn = c->hostname;
	size_t i;

	/* In HostName, %h is the name given. */
	c->hostname = xstrdup(t->alias);
	if (hn != NULL) {
		ssh_config_expand_in(&hn, c, t);
		free(c->hostname);
		c->hostname = hn;
	}
	ssh_config_defaults(c, t);
	ssh_config_defaults_int(c);
	ssh_config_none(&c->proxy_jump);
	ssh_config_none(&c->proxy_command);
	for (i = 0; i < c->nids; i++)
		ssh_config_expand_in(&c->ids[i], c, t);
	for (i = 0; i < c->nknown; i++)
		ssh_config_expand_in(&c->known[i], c, t);
	for (i = 0; i < c->nglobal_known; i++)
		ssh_config_expand_in(&c->global_known[i], c, t);
	if (c->identity_agent != NULL &&
	    strcmp(c->identity_agent, "SSH_AUTH_SOCK") != 0 &&
	    strcasecmp(c->identity_agent, "none") != 0)
		ssh_config_expand_in(&c->identity_agent, c, t);
	ssh_config_expand_in(&c->proxy_command, c, t);
}

static int
ssh_config_port(const char *s, int *port)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s < '0' || *s > '9' || *end != '\0' || v < 1 || v > 65535)
		return GQ_EINVAL;
	*port = (int)v;
	return 0;
}

/* host[:port] or [host]:port into *host and *port. */
static int
ssh_config_hostport(const char *s, char **host, int *port)
{
	const char *c, *end;

	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL || end == s + 1)
			return GQ_EINVAL;
		if (end[1] != '\0' &&
		    (end[1] != ':' || ssh_config_port(end + 2, port) != 0))
			return GQ_EINVAL;
		*host = xstrndup(s + 1, (size_t)(end - s - 1));
		return 0;
	}
	c = strchr(s, ':');
	/* Two colons or more: a bare IPv6 address, no port. */
	if (c != NULL && strchr(c + 1, ':') == NULL) {
		if (c == s || ssh_config_port(c + 1, port) != 0)
			return GQ_EINVAL;
		*host = xstrndup(s, (size_t)(c - s));
		return 0;
	}
	if (s[0] == '\0')
		return GQ_EINVAL;
	*host = xstrdup(s);
	return 0;
}

int
ssh_config_target(const char *s, char **user, char **host, int *port)
{
	const char *at;
	int rc;

	*user = *host = NULL;
	*port = 0;
	if (strncmp(s, "ssh://", 6) == 0)
		s += 6;
	if (strpbrk(s, " \t\r\n/") != NULL || s[0] == '-')
		return GQ_EINVAL;
	if ((at = strrchr(s, '@')) != NULL) {
		if (at == s)
			return GQ_EINVAL;
		*user = xstrndup(s, (size_t)(at - s));
		s = at + 1;
	}
	if ((rc = ssh_config_hostport(s, host, port)) != 0) {
		free(*user);
		*user = NULL;
	}
	return rc;
}
