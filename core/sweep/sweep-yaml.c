/*
 * Loads a YAML sweep file into the tree (sweep-int.h) with libyaml's event
 * parser.  Plain scalars are typed by the YAML 1.2 core schema (so 1e-5 is
 * a number here, where PyYAML would read a string); quoted ones are
 * strings.  Aliases and more than one document are refused.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

struct yload {
	struct sload *ld;
	yaml_parser_t parser;
	int failed;
};

static int
sweep_yaml_next(struct yload *y, yaml_event_t *ev)
{
	yaml_parser_t *p = &y->parser;

	if (yaml_parser_parse(p, ev))
		return 0;
	if (!y->failed)
		sload_error(y->ld, (int)p->problem_mark.line + 1, NULL,
		    "YAML: %s%s%s",
		    p->problem != NULL ? p->problem : "syntax error",
		    p->context != NULL ? " " : "",
		    p->context != NULL ? p->context : "");
	y->failed = 1;
	return -1;
}

static int
sweep_yaml_is_int(const char *s, int64_t *v)
{
	const char *p = s;
	char *end;
	long long x;
	int base = 10;

	if (*p == '+' || *p == '-')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o') && p == s) {
		base = p[1] == 'x' ? 16 : 8;
		p += 2;
	}
	if (*p == '\0')
		return 0;
	for (; *p != '\0'; p++)
		if (base == 16 ? !isxdigit((unsigned char)*p) :
		                 (*p < '0' || *p > (base == 8 ? '7' : '9')))
			return 0;
	errno = 0;
	x = strtoll(base == 10 ? s : s + 2, &end, base);
	if (errno != 0 || *end != '\0')
		return 0;
	*v = x;
	return 1;
}

static int
sweep_yaml_is_float(const char *s, double *v)
{
	const char *p = s;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 ||
	    strcmp(p, ".INF") == 0) {
		*v = *s == '-' ? -HUGE_VAL : HUGE_VAL;
		return 1;
	}
	if (p == s &&
	    (strcmp(p, ".nan") == 0 || strcmp(p, ".NaN") == 0 ||
	        strcmp(p, ".NAN") == 0)) {
		*v = (double)NAN;
		return 1;
	}
	for (; isdigit((unsigned char)*p); p++)
		digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (digits == 0)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p != '\0')
		return 0;
	*v = strtod(s, NULL);
	return 1;
}

void
sweep_yaml_resolve(struct snode *n, const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	static const char *const trues[] = { "true", "True", "TRUE" };
	static const char *const falses[] = { "false", "False", "FALSE" };
	size_t i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, nulls[i]) == 0) {
			n->kind = SNODE_NULL;
			return;
		}
	for (i = 0; i < 3; i++)
		if (strcmp(s, trues[i]) == 0 || strcmp(s, falses[i]) == 0) {
			n->kind = SNODE_BOOL;
			n->b = strcmp(s, trues[i]) == 0;
			return;
		}
	if (sweep_yaml_is_int(s, &n->i))
		n->kind = SNODE_INT;
	else if (sweep_yaml_is_float(s, &n->f))
		n->kind = SNODE_FLOAT;
	else {
		n->kind = SNODE_STR;
		n->s = xstrdup(s);
	}
}

static struct snode *
sweep_yaml_scalar(struct yload *y, yaml_event_t *ev)
{
	struct snode *n;
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int line = (int)ev->start_mark.line + 1;

	if (len > SWEEP_MAX_STRING) {
		sload_error(y->ld, line, NULL, "scalar longer than %d bytes",
		    SWEEP_MAX_STRING);
		return NULL;
	}
	if (memchr(v, '\0', len) != NULL) {
		sload_error(y->ld, line, NULL, "scalar holds a NUL byte");
		return NULL;
	}
	if ((n = snode_new(y->ld, SNODE_STR, line)) == NULL)
		return NULL;
	if (ev->data.scalar.plain_implicit &&
	    ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		sweep_yaml_resolve(n, v);
	else
		n->s = xstrdup(v);
	return n;
}

static struct snode *sweep_yaml_node(struct yload *y, yaml_event_t *ev,
    int depth);

static int
sweep_yaml_key(struct yload *y, struct snode *map, yaml_event_t *ev)
{
	int line = (int)ev->start_mark.line + 1;

	if (ev->type != YAML_SCALAR_EVENT) {
		sload_error(y->ld, line, NULL, "a key must be a plain word");
		return -1;
	}
	if (ev->data.scalar.length > SWEEP_MAX_NAME ||
	    memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
		sload_error(y->ld, line, NULL,
		    "a key is too long or holds "
		    "a NUL byte");
		return -1;
	}
	if (snode_get(map, (const char *)ev->data.scalar.value) != NULL) {
		sload_error(y->ld, line, (const char *)ev->data.scalar.value,
		    "duplicate key");
		return -1;
	}
	return 0;
}

static int
sweep_yaml_pair(struct yload *y, struct snode *map, yaml_event_t *key,
    int depth)
{
	yaml_event_t ev;
	struct snode *kid;

	if (sweep_yaml_key(y, map, key) < 0)
		return -1;
	if (sweep_yaml_next(y, &ev) < 0)
		return -1;
	kid = sweep_yaml_node(y, &ev, depth + 1);
	yaml_event_delete(&ev);
	if (kid == NULL)
		return -1;
	snode_add(map, (const char *)key->data.scalar.value,
	    (int)key->start_mark.line + 1, kid);
	return 0;
}

static struct snode *
sweep_yaml_collection(struct yload *y, yaml_event_t *start, int depth)
{
	struct snode *n, *kid;
	yaml_event_t ev;
	int map = start->type == YAML_MAPPING_START_EVENT, rc;
	yaml_event_type_t end =
	    map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;

	n = snode_new(y->ld, map ? SNODE_MAP : SNODE_SEQ,
	    (int)start->start_mark.line + 1);
	if (n == NULL)
		return NULL;
	for (;;) {
		if (sweep_yaml_next(y, &ev) < 0)
			goto fail;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return n;
		}
		if (map)
			rc = sweep_yaml_pair(y, n, &ev, depth);
		else if ((kid = sweep_yaml_node(y, &ev, depth + 1)) != NULL) {
			snode_add(n, NULL, 0, kid);
			rc = 0;
		} else
			rc = -1;
		yaml_event_delete(&ev);
		if (rc < 0)
			goto fail;
	}
fail:
	snode_free(n);
	return NULL;
}

static struct snode *
sweep_yaml_node(struct yload *y, yaml_event_t *ev, int depth)
{
	int line = (int)ev->start_mark.line + 1;

	if (depth > SWEEP_MAX_DEPTH) {
		sload_error(y->ld, line, NULL, "nested deeper than %d",
		    SWEEP_MAX_DEPTH);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return sweep_yaml_scalar(y, ev);
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		return sweep_yaml_collection(y, ev, depth);
	case YAML_ALIAS_EVENT:
		sload_error(y->ld, line, NULL,
		    "YAML aliases are not supported");
		return NULL;
	default:
		sload_error(y->ld, line, NULL, "unexpected YAML event");
		return NULL;
	}
}

/* Skips to the first document's root event; 1 found, 0 empty, -1 error. */
static int
sweep_yaml_start(struct yload *y, yaml_event_t *ev)
{
	for (;;) {
		if (sweep_yaml_next(y, ev) < 0)
			return -1;
		if (ev->type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(ev);
			return 0;
		}
		if (ev->type != YAML_STREAM_START_EVENT &&
		    ev->type != YAML_DOCUMENT_START_EVENT)
			return 1;
		yaml_event_delete(ev);
	}
}

/* After the root: the document must end and no other may follow. */
static int
sweep_yaml_finish(struct yload *y)
{
	yaml_event_t ev;
	int rc = 0;

	if (sweep_yaml_next(y, &ev) < 0)
		return -1;
	yaml_event_delete(&ev);
	if (sweep_yaml_next(y, &ev) < 0)
		return -1;
	if (ev.type != YAML_STREAM_END_EVENT) {
		sload_error(y->ld, (int)ev.start_mark.line + 1, NULL,
		    "more than one YAML document");
		rc = -1;
	}
	yaml_event_delete(&ev);
	return rc;
}

struct snode *
sweep_yaml_load(struct sload *ld, const char *text, size_t len)
{
	struct yload y = { .ld = ld };
	struct snode *root = NULL;
	yaml_event_t ev;
	int rc;

	yaml_parser_initialize(&y.parser);
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)text,
	    len);
	rc = sweep_yaml_start(&y, &ev);
	if (rc == 0)
		sload_error(ld, 1, NULL, "the file is empty");
	if (rc <= 0)
		goto out;
	root = sweep_yaml_node(&y, &ev, 0);
	yaml_event_delete(&ev);
	if (root != NULL && sweep_yaml_finish(&y) < 0) {
		snode_free(root);
		root = NULL;
	}
out:
	yaml_parser_delete(&y.parser);
	return root;
}
