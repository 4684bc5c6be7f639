/*
 * gqcall: one protocol call from a shell script.
 *
 *   gqcall -S SOCK [-w SECONDS] VERB [PARAMS-JSON [FIELD...]]
 *
 * Prints the result as one compact JSON line, or with FIELDs each field's
 * value on its own line (a dotted path: "job.state", "jobs.0.id"; strings
 * unquoted).  A refusal prints its code (EINVAL, ...) on stdout and the
 * message on stderr, and exits 1.  Exit 2: bad usage; 3: no connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "tests/integration/itest.h"

static void
gqcall_usage(void)
{
	fprintf(stderr,
	    "usage: gqcall -S SOCK [-w SECONDS] VERB "
	    "[PARAMS-JSON [FIELD...]]\n");
	exit(2);
}

/* Follows a dotted path; numbers index arrays.  Borrowed or NULL. */
static json_t *
gqcall_field(json_t *v, const char *path)
{
	char buf[256], *tok, *save = NULL, *end;
	long idx;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL && v != NULL;
	     tok = strtok_r(NULL, ".", &save)) {
		if (json_is_array(v)) {
			idx = strtol(tok, &end, 10);
			v = *end == '\0' ? json_array_get(v, (size_t)idx) :
			                   NULL;
		} else
			v = json_object_get(v, tok);
	}
	return v;
}

static void
gqcall_print(json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		printf("%s\n", json_string_value(v));
		return;
	}
	if (v == NULL) {
		printf("null\n");
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	printf("%s\n", s != NULL ? s : "null");
	free(s);
}

static json_t *
gqcall_params(const char *text)
{
	json_error_t err;
	json_t *p;

	if (text == NULL)
		return json_object();
	if ((p = json_loads(text, 0, &err)) == NULL || !json_is_object(p)) {
		fprintf(stderr, "gqcall: params are not a JSON object: %s\n",
		    err.text);
		exit(2);
	}
	return p;
}

int
main(int argc, char **argv)
{
	const char *sock = NULL;
	struct client *c;
	json_t *res;
	char *cause;
	int ch, wait_s = 0, rc, i;

	while ((ch = getopt(argc, argv, "S:w:")) != -1) {
		if (ch == 'S')
			sock = optarg;
		else if (ch == 'w')
			wait_s = atoi(optarg);
		else
			gqcall_usage();
	}
	if (sock == NULL || optind >= argc)
		gqcall_usage();
	if ((c = itest_connect(sock, wait_s * 1000)) == NULL)
		return 3;
	rc = client_call(c, argv[optind], gqcall_params(argv[optind + 1]), &res,
	    &cause);
	if (rc != 0) {
		printf("%s\n", gq_err_name(rc));
		fprintf(stderr, "gqcall: %s: %s\n", argv[optind],
		    cause ? cause : "");
		client_free(c);
		return rc == GQ_ECONN ? 3 : 1;
	}
	if (optind + 2 >= argc)
		gqcall_print(res);
	for (i = optind + 2; i < argc; i++)
		gqcall_print(gqcall_field(res, argv[i]));
	json_decref(res);
	client_free(c);
	return 0;
}
