#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/filter.h"

struct filter_key {
	const char *name;
	enum filter_field field;
};

static const struct filter_key filter_keys[] = { { "u", FILTER_USER },
	{ "user", FILTER_USER }, { "p", FILTER_PROJECT },
	{ "project", FILTER_PROJECT }, { "s", FILTER_STATE },
	{ "state", FILTER_STATE }, { "n", FILTER_NAME },
	{ "name", FILTER_NAME }, { "node", FILTER_NODE }, { "id", FILTER_ID },
	{ "c", FILTER_CLASS }, { "class", FILTER_CLASS } };

const char *
filter_strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (hay == NULL)
		return NULL;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return n == 0 ? hay : NULL;
}

static void
filter_word(struct filter_word *w, const char *s, size_t n, const char *me)
{
	const char *colon;
	size_t i, k;

	memset(w, 0, sizeof(*w));
	if (n > 0 && s[0] == '!') {
		w->neg = 1;
		s++;
		n--;
	}
	colon = memchr(s, ':', n);
	for (i = 0;
	     colon != NULL && i < sizeof(filter_keys) / sizeof(filter_keys[0]);
	     i++) {
		k = strlen(filter_keys[i].name);
		if ((size_t)(colon - s) == k &&
		    strncasecmp(s, filter_keys[i].name, k) == 0) {
			w->field = filter_keys[i].field;
			n -= k + 1;
			s = colon + 1;
			break;
		}
	}
	if (w->field == FILTER_USER && n == 1 && s[0] == '.' && me != NULL)
		snprintf(w->val, sizeof(w->val), "%s", me);
	else
		snprintf(w->val, sizeof(w->val), "%.*s", (int)n, s);
}

void
filter_parse(struct filter *f, const char *text, const char *me)
{
	const char *p = text;
	size_t n;

	memset(f, 0, sizeof(*f));
	snprintf(f->text, sizeof(f->text), "%s", text != NULL ? text : "");
	p = f->text;
	while (*p != '\0' && f->n < FILTER_MAX_WORDS) {
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == 0)
			break;
		filter_word(&f->w[f->n], p, n, me);
		if (f->w[f->n].val[0] != '\0')
			f->n++;
		p += n;
	}
}

int
filter_empty(const struct filter *f)
{
	return f->n == 0;
}

static int
filter_eq(const char *have, const char *want)
{
	if (strcmp(want, "*") == 0)
		return 1;
	return have != NULL && strcasecmp(have, want) == 0;
}

static int
filter_any(const struct rjob *j, const char *v)
{
	char id[32];

	snprintf(id, sizeof(id), "%lld", (long long)j->id);
	return strcmp(id, v) == 0 || filter_strcasestr(j->user, v) ||
	    filter_strcasestr(j->project, v) || filter_strcasestr(j->name, v) ||
	    filter_strcasestr(replica_state_name(j->state), v) ||
	    filter_strcasestr(j->node, v) || filter_strcasestr(j->cmd, v) ||
	    filter_strcasestr(j->wait_reason, v);
}

static int
filter_one(const struct filter_word *w, const struct rjob *j)
{
	const char *st = replica_state_name(j->state);
	char id[32];

	switch (w->field) {
	case FILTER_USER:
		return filter_eq(j->user, w->val);
	case FILTER_PROJECT:
		return filter_eq(j->project, w->val);
	case FILTER_STATE:
		return strncasecmp(st, w->val, strlen(w->val)) == 0 ||
		    strcasecmp(replica_state_code(j->state), w->val) == 0;
	case FILTER_NAME:
		return filter_strcasestr(j->name, w->val) != NULL;
	case FILTER_NODE:
		return filter_eq(j->node, w->val);
	case FILTER_ID:
		snprintf(id, sizeof(id), "%lld", (long long)j->id);
		return strcmp(id, w->val) == 0;
	case FILTER_CLASS:
		return filter_eq(j->cls, w->val);
	default:
		return filter_any(j, w->val);
	}
}

int
filter_job(const struct filter *f, const struct rjob *j)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (filter_one(&f->w[i], j) == f->w[i].neg)
			return 0;
	return 1;
}

int
filter_text(const struct filter *f, const char *text)
{
	size_t i;
	int hit;

	for (i = 0; i < f->n; i++) {
		hit = filter_strcasestr(text, f->w[i].val) != NULL ||
		    strcmp(f->w[i].val, "*") == 0;
		if (hit == f->w[i].neg)
			return 0;
	}
	return 1;
}
