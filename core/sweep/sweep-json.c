/*
 * Loads a JSON sweep file into the tree (sweep-int.h).
 *
 * jansson checks the text first, so syntax errors carry its line numbers
 * and messages (and duplicate keys are refused).  jansson does not say
 * where a value stood, so a small reader then walks the checked text
 * again to build the tree with a line for every key and value.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

struct jload {
	struct sload *ld;
	const char *p, *end;
	int line;
};

static void
sweep_json_skip(struct jload *j)
{
	for (; j->p < j->end; j->p++) {
		if (*j->p == '\n')
			j->line++;
		else if (*j->p != ' ' && *j->p != '\t' && *j->p != '\r')
			break;
	}
}

static int
sweep_json_hex(const char *p, unsigned *u)
{
	int i;

	*u = 0;
	for (i = 0; i < 4; i++) {
		*u <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			*u |= (unsigned)(p[i] - '0');
		else if ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
			*u |= (unsigned)((p[i] | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

static void
sweep_json_utf8(struct buf *b, unsigned c)
{
	char o[4];
	size_t n;

	if (c < 0x80) {
		o[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		o[0] = (char)(0xf0 | (c >> 18));
		o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	buf_add(b, o, n);
}

/* Reads \uXXXX (and its low surrogate) at j->p (after the 'u'). */
static int
sweep_json_uescape(struct jload *j, struct buf *b)
{
	unsigned c, lo;

	if (j->end - j->p < 4 || sweep_json_hex(j->p, &c) < 0)
		return -1;
	j->p += 4;
	if (c >= 0xd800 && c < 0xdc00) {
		if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
		    sweep_json_hex(j->p + 2, &lo) < 0 || lo < 0xdc00 ||
		    lo > 0xdfff)
			return -1;
		j->p += 6;
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (c == 0)
		return -1;
	sweep_json_utf8(b, c);
	return 0;
}

static int
sweep_json_escape(struct jload *j, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (j->p >= j->end)
		return -1;
	if (*j->p == 'u') {
		j->p++;
		return sweep_json_uescape(j, b);
	}
	if ((k = memchr(from, *j->p, sizeof(from) - 1)) == NULL)
		return -1;
	buf_add(b, &to[k - from], 1);
	j->p++;
	return 0;
}

/* A string at j->p (on the quote): new text, or NULL. */
static char *
sweep_json_string(struct jload *j)
{
	struct buf b;

	buf_init(&b, SWEEP_MAX_STRING);
	buf_addstr(&b, "");
	for (j->p++; j->p < j->end && *j->p != '"';) {
		if (*j->p == '\\') {
			j->p++;
			if (sweep_json_escape(j, &b) < 0)
				goto fail;
		} else if (buf_add(&b, j->p++, 1) < 0)
			goto fail;
	}
	if (j->p >= j->end || b.len >= SWEEP_MAX_STRING)
		goto fail;
	j->p++;
	return buf_take(&b);
fail:
	buf_done(&b);
	sload_error(j->ld, j->line, NULL,
	    "a string is too long (over %d "
	    "bytes) or badly escaped",
	    SWEEP_MAX_STRING);
	return NULL;
}

static struct snode *sweep_json_value(struct jload *j, int depth);

static int
sweep_json_member(struct jload *j, struct snode *map, int depth)
{
	struct snode *kid;
	char *key;
	int line;

	sweep_json_skip(j);
	line = j->line;
	if (j->p >= j->end || *j->p != '"' ||
	    (key = sweep_json_string(j)) == NULL)
		return -1;
	sweep_json_skip(j);
	if (j->p >= j->end || *j->p != ':' || strlen(key) > SWEEP_MAX_NAME) {
		sload_error(j->ld, line, NULL, "a key is too long");
		free(key);
		return -1;
	}
	j->p++;
	if ((kid = sweep_json_value(j, depth + 1)) == NULL) {
		free(key);
		return -1;
	}
	snode_add(map, key, line, kid);
	free(key);
	return 0;
}

static struct snode *
sweep_json_collection(struct jload *j, int depth)
{
	int map = *j->p == '{';
	char close = map ? '}' : ']';
	struct snode *n, *kid;

	if ((n = snode_new(j->ld, map ? SNODE_MAP : SNODE_SEQ, j->line)) ==
	    NULL)
		return NULL;
	j->p++;
	sweep_json_skip(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return n;
	}
	for (;;) {
		if (map && sweep_json_member(j, n, depth) < 0)
			goto fail;
		if (!map) {
			if ((kid = sweep_json_value(j, depth + 1)) == NULL)
				goto fail;
			snode_add(n, NULL, 0, kid);
		}
		sweep_json_skip(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return n;
		}
		goto fail;
	}
fail:
	snode_free(n);
	return NULL;
}

static struct snode *
sweep_json_number(struct jload *j)
{
	struct snode *n;
	const char *s = j->p;
	char *end, tmp[64];
	size_t len;

	while (j->p < j->end && strchr("+-0123456789.eE", *j->p) != NULL)
		j->p++;
	len = (size_t)(j->p - s);
	if (len == 0 || len >= sizeof(tmp))
		return NULL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if ((n = snode_new(j->ld, SNODE_INT, j->line)) == NULL)
		return NULL;
	if (strpbrk(tmp, ".eE") == NULL)
		n->i = strtoll(tmp, &end, 10);
	else {
		n->kind = SNODE_FLOAT;
		n->f = strtod(tmp, &end);
	}
	if (*end != '\0') {
		snode_free(n);
		return NULL;
	}
	return n;
}

static struct snode *
sweep_json_word(struct jload *j)
{
	static const char *const words[] = { "true", "false", "null" };
	struct snode *n;
	size_t i, len;

	for (i = 0; i < 3; i++) {
		len = strlen(words[i]);
		if ((size_t)(j->end - j->p) >= len &&
		    memcmp(j->p, words[i], len) == 0)
			break;
	}
	if (i == 3)
		return sweep_json_number(j);
	j->p += len;
	if ((n = snode_new(j->ld, i < 2 ? SNODE_BOOL : SNODE_NULL, j->line)) !=
	    NULL)
		n->b = i == 0;
	return n;
}

static struct snode *
sweep_json_value(struct jload *j, int depth)
{
	struct snode *n;
	char *s;

	sweep_json_skip(j);
	if (depth > SWEEP_MAX_DEPTH) {
		sload_error(j->ld, j->line, NULL, "nested deeper than %d",
		    SWEEP_MAX_DEPTH);
		return NULL;
	}
	if (j->p >= j->end)
		return NULL;
	if (*j->p == '{' || *j->p == '[')
		return sweep_json_collection(j, depth);
	if (*j->p != '"')
		return sweep_json_word(j);
	if ((s = sweep_json_string(j)) == NULL)
		return NULL;
	if ((n = snode_new(j->ld, SNODE_STR, j->line)) == NULL)
		free(s);
	else
		n->s = s;
	return n;
}

struct snode *
sweep_json_load(struct sload *ld, const char *text, size_t len)
{
	struct jload j = { .ld = ld, .p = text, .end = text + len, .line = 1 };
	json_error_t err;
	json_t *checked;
	struct snode *root;
	int nerrs = ld->nerrs;

	checked = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (checked == NULL) {
		sload_error(ld, err.line > 0 ? err.line : 1, NULL, "JSON: %s",
		    err.text);
		return NULL;
	}
	json_decref(checked);
	root = sweep_json_value(&j, 0);
	if (root == NULL && ld->nerrs == nerrs)
		sload_error(ld, j.line, NULL, "JSON: cannot read this value");
	return root;
}
