#include <stdlib.h>
#include <string.h>

#include "core/base/str.h"
#include "core/base/xmalloc.h"

int
str_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == max)
			return -1;
		w[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* Copies one line into line (max bytes); NULL, or why it is refused. */
static const char *
str_take_line(char *line, size_t max, const char *p, size_t n)
{
	if (n >= max)
		return "line too long";
	if (memchr(p, '\0', n) != NULL)
		return "NUL byte in line";
	memcpy(line, p, n);
	line[n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	return NULL;
}

int
str_each_line(const char *name, const char *text, size_t len, size_t max_line,
    int (*fn)(char *line, int lineno, const char **why, void *arg), void *arg,
    struct buf *errs)
{
	const char *why, *p = text, *end = text + len, *nl;
	char *line = xmalloc(max_line);
	int lineno = 0, bad = 0;

	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		why = str_take_line(line, max_line, p, (size_t)(nl - p));
		if (why == NULL && fn(line, lineno, &why, arg) == 0)
			why = NULL; /* fn may leave a reason it did not need */
		else if (why == NULL)
			why = "bad line";
		if (why != NULL) {
			buf_printf(errs, "%s:%d: %s\n", name, lineno, why);
			bad++;
		}
	}
	free(line);
	return bad;
}
