/*
 * The / filter of a view: words that must all match.  A bare word matches
 * anywhere in a row (case-insensitive); `u:alice`, `p:vision`, `s:run`,
 * `n:train`, `node:gpu01`, `id:12` and `c:train` match one field; `!`
 * before a word negates it; `u:.` is the user running gpuq and `u:*`
 * anyone.  Pure.
 */
#ifndef GPUQ_FILTER_H
#define GPUQ_FILTER_H

#include <stddef.h>

#include "tui/replica.h"

#define FILTER_MAX_WORDS 16
#define FILTER_MAX_TEXT  256

enum filter_field {
	FILTER_ANY,
	FILTER_USER,
	FILTER_PROJECT,
	FILTER_STATE,
	FILTER_NAME,
	FILTER_NODE,
	FILTER_ID,
	FILTER_CLASS
};

struct filter_word {
	enum filter_field field;
	int neg;
	char val[FILTER_MAX_TEXT];
};

struct filter {
	char text[FILTER_MAX_TEXT]; /* as typed */
	struct filter_word w[FILTER_MAX_WORDS];
	size_t n;
};

/*
 * Parses text into f; me is the user `.` stands for (may be NULL).
 * Words past FILTER_MAX_WORDS are ignored.  An empty text matches all.
 */
void filter_parse(struct filter *f, const char *text, const char *me);
/* True when f is empty. */
int filter_empty(const struct filter *f);
/* True when the job matches every word. */
int filter_job(const struct filter *f, const struct rjob *j);
/*
 * For rows that are not jobs: true when every bare word occurs in text
 * (field words match text too, by their value).
 */
int filter_text(const struct filter *f, const char *text);

/* Case-insensitive substring search (ASCII folding); NULL when absent. */
const char *filter_strcasestr(const char *hay, const char *needle);

#endif
