#include <stdio.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "tui/cmdline.h"

void
cmdline_split(const char *line, char *cmd, size_t ncmd, const char **rest)
{
	size_t n;

	while (*line == ' ')
		line++;
	n = strcspn(line, " ");
	snprintf(cmd, ncmd, "%.*s", (int)n, line);
	line += n;
	while (*line == ' ')
		line++;
	*rest = line;
}

static size_t
cmdline_common(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i])
		i++;
	return i;
}

size_t
cmdline_complete(struct field *f, const char *const *cands, size_t n,
    struct buf *shown)
{
	const char *word, *first = NULL, *sp;
	size_t i, k, wlen, pre = 0, hits = 0;
	char line[FIELD_MAX];

	f->cur = f->len;
	sp = strrchr(f->text, ' ');
	word = sp != NULL ? sp + 1 : f->text;
	wlen = strlen(word);
	for (i = 0; i < n; i++) {
		if (strncmp(cands[i], word, wlen) != 0)
			continue;
		buf_printf(shown, "%s%s", hits ? " " : "", cands[i]);
		if (hits == 0) {
			first = cands[i];
			pre = strlen(first);
		} else if ((k = cmdline_common(first, cands[i])) < pre)
			pre = k;
		hits++;
	}
	if (hits == 0 || pre < wlen)
		return hits;
	snprintf(line, sizeof(line), "%.*s%.*s%s", (int)(word - f->text),
	    f->text, (int)pre, first, hits == 1 ? " " : "");
	field_set(f, line);
	return hits;
}

/* Adds a finished word to the array. */
static int
cmdline_word(json_t *a, struct buf *w)
{
	if (json_array_size(a) >= CMDLINE_MAX_ARGV)
		return -1;
	json_array_append_new(a, json_string(w->data != NULL ? w->data : ""));
	buf_reset(w);
	return 0;
}

/* One character outside quotes; returns the new quote state. */
static int
cmdline_plain(const char **p, struct buf *w, int *inword)
{
	char c = **p;

	if (c == '\'' || c == '"') {
		*inword = 1;
		return c;
	}
	if (c == '\\' && (*p)[1] != '\0') {
		(*p)++;
		buf_add(w, *p, 1);
	} else
		buf_add(w, p[0], 1);
	*inword = 1;
	return 0;
}

json_t *
cmdline_argv(const char *s, const char **why)
{
	json_t *a = json_array();
	int quote = 0, inword = 0;
	struct buf w;

	buf_init(&w, 256 * 1024);
	for (; *s != '\0'; s++) {
		if (quote == '\'' && *s != '\'')
			buf_add(&w, s, 1);
		else if (quote == '"' && *s == '\\' &&
		    (s[1] == '"' || s[1] == '\\'))
			buf_add(&w, ++s, 1);
		else if (quote != 0 && *s == quote)
			quote = 0;
		else if (quote == '"')
			buf_add(&w, s, 1);
		else if (*s == ' ' || *s == '\t') {
			if (inword && cmdline_word(a, &w) != 0)
				goto toomany;
			inword = 0;
		} else
			quote = cmdline_plain(&s, &w, &inword);
	}
	if (quote != 0) {
		*why = "a quote is not closed";
		goto fail;
	}
	if (inword && cmdline_word(a, &w) != 0)
		goto toomany;
	buf_done(&w);
	return a;
toomany:
	*why = "too many words";
fail:
	buf_done(&w);
	json_decref(a);
	return NULL;
}
