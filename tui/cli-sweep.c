/*
 * gpuq sweep: hyperparameter sweeps the daemon runs as jobs
 * (docs/cli/gpuq-sweep.md, docs/sweeps.md).  create, from-job, pause,
 * resume and stop are here; ls and show in cli-sweep-show.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/cli-sweep.h"
#include "tui/cli.h"

extern char **environ;

#define SWEEP_FILE_MAX (1024 * 1024)

static int cli_sweep_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_sweep = {
	.name = "sweep",
	.summary = "Run hyperparameter sweeps (create, ls, show, stop...)",
	.usage = "sweep COMMAND ...\n"
	         "  create FILE [--dry-run] [--name N] [-w DIR] [--json]\n"
	         "                  start the sweep FILE describes (YAML or "
	         "JSON, W&B keys);\n"
	         "                  --dry-run lists the trials it would start "
	         "and the most\n"
	         "                  GPU-hours it could spend; trials start in "
	         "DIR (default:\n"
	         "                  the directory that holds FILE)\n"
	         "  ls [--json]     list sweeps\n"
	         "  show ID [--json]\n"
	         "                  its trials, best first, parameters as "
	         "columns\n"
	         "  pause ID        start no new trials (running ones go on)\n"
	         "  resume ID       start trials again\n"
	         "  stop ID         stop for good and cancel its trials\n"
	         "  from-job ID [-o FILE]\n"
	         "                  print a sweep file made from job ID's "
	         "command\n",
	.fn = cli_sweep_fn,
};

/* Reads a sweep file (at most 1 MiB) into *out (new). */
static int
cli_sweep_read(const char *path, char **out)
{
	struct stat st;
	const char *why;
	char *text;
	ssize_t n = 0;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "gpuq: sweep create: %s: %s\n", path,
		    strerror(errno));
		return CLI_EXIT_FAIL;
	}
	if (fstat(fd, &st) == 0 && st.st_size > SWEEP_FILE_MAX) {
		fprintf(stderr, "gpuq: sweep create: %s: over 1 MiB\n", path);
		close(fd);
		return CLI_EXIT_FAIL;
	}
	text = xmalloc(SWEEP_FILE_MAX + 2);
	while (len <= SWEEP_FILE_MAX &&
	    ((n = read(fd, text + len, SWEEP_FILE_MAX + 1 - len)) > 0 ||
	        (n < 0 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	close(fd);
	why = n < 0                         ? strerror(errno) :
	    len > SWEEP_FILE_MAX            ? "over 1 MiB" :
	    memchr(text, '\0', len) != NULL ? "not a text file (a NUL byte)" :
	                                      NULL;
	if (why != NULL) {
		fprintf(stderr, "gpuq: sweep create: %s: %s\n", path, why);
		free(text);
		return CLI_EXIT_FAIL;
	}
	text[len] = '\0';
	*out = text;
	return 0;
}

/* The caller's environment, as job.submit's env (odd names left out). */
static json_t *
cli_sweep_env(void)
{
	json_t *env = json_object(), *v;
	char **e, *name;
	const char *eq;

	for (e = environ; *e != NULL; e++) {
		if ((eq = strchr(*e, '=')) == NULL || eq == *e ||
		    strspn(*e,
		        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
		        "wxyz0123456789_") != (size_t)(eq - *e) ||
		    (**e >= '0' && **e <= '9'))
			continue;
		if ((v = json_string(eq + 1)) == NULL)
			continue; /* not UTF-8 */
		name = xstrndup(*e, (size_t)(eq - *e));
		json_object_set_new(env, name, v);
		free(name);
	}
	return env;
}

/*
 * The trials' working directory, absolute: dir (relative to here) when
 * given, else the directory that holds the sweep file, so a sweep file
 * kept next to its training script runs from anywhere.  New, or NULL.
 */
static char *
cli_sweep_workdir(const char *dir, const char *file)
{
	char *cwd, *out, *slash, *fdir;

	if (dir == NULL) {
		fdir = xstrdup(file);
		slash = strrchr(fdir, '/');
		if (slash == NULL)
			snprintf(fdir, strlen(fdir) + 1, ".");
		else if (slash == fdir)
			slash[1] = '\0';
		else
			*slash = '\0';
		out = cli_sweep_workdir(fdir, file);
		free(fdir);
		return out;
	}
	if (dir[0] == '/')
		return xstrdup(dir);
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return NULL;
	out =
	    strcmp(dir, ".") == 0 ? xstrdup(cwd) : xasprintf("%s/%s", cwd, dir);
	free(cwd);
	return out;
}

static const char *
cli_sweep_format(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && strcmp(path + n - 5, ".json") == 0 ? "json" : "yaml";
}

/*
 * Prints a refusal.  A sweep file's errors come one a line, each naming
 * the file and its line ("sweep.yaml:7: parameters.lr: ..."), so they are
 * printed as they are, under one heading.
 */
static int
cli_sweep_fail(struct cli *cli, const char *what, const char *path, int code,
    char *cause)
{
	size_t n = path != NULL ? strlen(path) : 0;

	if (code == GQ_EINVAL && cause != NULL && n > 0 &&
	    strncmp(cause, path, n) == 0 && cause[n] == ':' &&
	    cause[n + 1] >= '0' && cause[n + 1] <= '9') {
		fprintf(stderr, "gpuq: %s: the sweep file has errors:\n%s%s",
		    what, cause, cause[strlen(cause) - 1] == '\n' ? "" : "\n");
		free(cause);
		return CLI_EXIT_FAIL;
	}
	return cli_fail(cli, what, code, cause);
}

static void
cli_sweep_warnings(const json_t *res)
{
	const json_t *w;
	size_t i;

	json_array_foreach(json_object_get(res, "warnings"), i, w)
		if (json_is_string(w))
			fprintf(stderr, "gpuq: warning: %s\n",
			    json_string_value(w));
}

enum { SWEEP_DRY = 256, SWEEP_JSON };

static const struct option cli_sweep_create_opts[] = {
	{ "dry-run", no_argument, NULL, SWEEP_DRY },
	{ "name", required_argument, NULL, 'n' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "json", no_argument, NULL, SWEEP_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* What `sweep create` was told. */
struct cli_sweep_create {
	const char *name, *workdir, *path;
	int dry, json;
};

static int
cli_sweep_create_parse(struct cli_sweep_create *o, int argc, char **argv)
{
	const struct cli_cmd *cmd = &cli_cmd_sweep;
	int ch;

	while ((ch = getopt_long(argc, argv, ":n:w:h", cli_sweep_create_opts,
	            NULL)) != -1) {
		if (ch == 'h')
			return cli_help_cmd(cmd);
		if (ch == '?' || ch == ':')
			return cli_bad_opt(cmd, argv, ch);
		if (ch == SWEEP_DRY)
			o->dry = 1;
		else if (ch == SWEEP_JSON)
			o->json = 1;
		else if (ch == 'n')
			o->name = optarg;
		else
			o->workdir = optarg;
	}
	if (optind + 1 != argc)
		return cli_bad_usage(cmd, "sweep create takes one FILE");
	o->path = argv[optind];
	return -1;
}

static json_t *
cli_sweep_create_params(const struct cli_sweep_create *o, char *text,
    char *workdir)
{
	json_t *p;

	p = json_pack("{s:s,s:s,s:s,s:s,s:o}", "file", text, "format",
	    cli_sweep_format(o->path), "path", o->path, "workdir", workdir,
	    "env", cli_sweep_env());
	if (o->dry)
		json_object_set_new(p, "dry_run", json_true());
	if (o->name != NULL)
		json_object_set_new(p, "name", json_string(o->name));
	return p;
}

static void
cli_sweep_created(const json_t *res)
{
	const json_t *sw = json_object_get(res, "sweep");
	const json_t *budget = json_object_get(sw, "budget");
	const char *method;

	method = json_string_value(json_object_get(sw, "method"));
	printf("Created sweep %lld (%s): %s, ",
	    (long long)json_integer_value(json_object_get(sw, "id")),
	    json_string_value(json_object_get(sw, "name")),
	    method ? method : "?");
	if (json_is_integer(budget))
		printf("%lld trials", (long long)json_integer_value(budget));
	else
		printf("trials until stopped");
	printf(", %lld at once\n",
	    (long long)json_integer_value(json_object_get(sw, "parallel")));
}

static int
cli_sweep_create(struct cli *cli, int argc, char **argv)
{
	struct cli_sweep_create o;
	char *text = NULL, *workdir, *cause;
	json_t *params, *res;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_sweep_create_parse(&o, argc, argv)) >= 0)
		return rc;
	if ((rc = cli_sweep_read(o.path, &text)) != 0)
		return rc;
	if ((workdir = cli_sweep_workdir(o.workdir, o.path)) == NULL) {
		fprintf(stderr, "gpuq: sweep create: no working directory\n");
		free(text);
		return CLI_EXIT_FAIL;
	}
	params = cli_sweep_create_params(&o, text, workdir);
	free(text);
	free(workdir);
	if (params == NULL) {
		/* JSON carries UTF-8 only: the file, its path or the workdir. */
		fprintf(stderr, "gpuq: sweep create: %s: not UTF-8 text\n",
		    o.path);
		return CLI_EXIT_FAIL;
	}
	rc = o.dry ? cli_rpc(cli, "sweep.create", params, &res, &cause) :
	             cli_rpc_keyed(cli, "sweep.create", params, &res, &cause);
	if (rc != 0)
		return cli_sweep_fail(cli, "sweep create", o.path, rc, cause);
	cli_sweep_warnings(res);
	if (o.json)
		rc = cli_print_json(res);
	else if (o.dry)
		rc = cli_sweep_dry_print(res);
	else {
		cli_sweep_created(res);
		rc = CLI_EXIT_OK;
	}
	json_decref(res);
	return rc;
}

/* Writes text to path, or stdout for NULL. */
static int
cli_sweep_write(const char *path, const char *text)
{
	FILE *f = path != NULL ? fopen(path, "w") : stdout;
	int bad;

	if (f == NULL) {
		fprintf(stderr, "gpuq: sweep from-job: %s: %s\n", path,
		    strerror(errno));
		return CLI_EXIT_FAIL;
	}
	bad = fputs(text, f) < 0;
	if (path != NULL) {
		bad |= fclose(f) != 0;
		if (!bad)
			fprintf(stderr, "Wrote %s\n", path);
	}
	return bad ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static int
cli_sweep_from_job(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *text;
	long long id;
	json_t *res;
	char *cause;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_sweep);
		if (ch == '?' || ch == ':')
			return cli_bad_opt(&cli_cmd_sweep, argv, ch);
		out = optarg;
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0)
		return cli_bad_usage(&cli_cmd_sweep,
		    "sweep from-job takes one job ID");
	rc = cli_rpc(cli, "sweep.create",
	    json_pack("{s:I,s:b}", "from_job", (json_int_t)id, "dry_run", 1),
	    &res, &cause);
	if (rc != 0)
		return cli_sweep_fail(cli, "sweep from-job", "sweep.yaml", rc,
		    cause);
	text = json_string_value(json_object_get(res, "file"));
	rc = text != NULL ? cli_sweep_write(out, text) : CLI_EXIT_FAIL;
	json_decref(res);
	return rc;
}

/* pause, resume, stop: one verb on one or more sweeps. */
static int
cli_sweep_change(struct cli *cli, int argc, char **argv)
{
	char *verb, *cause, what[64];
	long long id;
	json_t *res;
	int i, rc, worst = CLI_EXIT_OK;

	if (argc < 2 || (argc == 2 && strcmp(argv[1], "-h") == 0))
		return argc < 2 ? cli_bad_usage(&cli_cmd_sweep,
		                      "sweep %s takes a sweep ID", argv[0]) :
		                  cli_help_cmd(&cli_cmd_sweep);
	verb = xasprintf("sweep.%s", argv[0]);
	for (i = 1; i < argc; i++) {
		if (cli_parse_id(argv[i], &id) != 0) {
			worst = cli_bad_usage(&cli_cmd_sweep,
			    "not a sweep id: '%s'", argv[i]);
			break;
		}
		snprintf(what, sizeof(what), "sweep %s %lld", argv[0], id);
		rc = cli_rpc_keyed(cli, verb,
		    json_pack("{s:I}", "id", (json_int_t)id), &res, &cause);
		if (rc != 0) {
			worst = cli_fail(cli, what, rc, cause);
			continue;
		}
		printf("Sweep %lld is %s\n", id,
		    json_string_value(
		        json_object_get(json_object_get(res, "sweep"),
		            "state")));
		json_decref(res);
	}
	free(verb);
	return worst;
}

static int
cli_sweep_fn(struct cli *cli, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (sub == NULL)
		return cli_bad_usage(&cli_cmd_sweep, "which sweep command?");
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 ||
	    strcmp(sub, "help") == 0)
		return cli_help_cmd(&cli_cmd_sweep);
	optind = 0;
	if (strcmp(sub, "create") == 0)
		return cli_sweep_create(cli, argc - 1, argv + 1);
	if (strcmp(sub, "ls") == 0 || strcmp(sub, "list") == 0)
		return cli_sweep_ls(cli, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return cli_sweep_show(cli, argc - 1, argv + 1);
	if (strcmp(sub, "from-job") == 0)
		return cli_sweep_from_job(cli, argc - 1, argv + 1);
	if (strcmp(sub, "pause") == 0 || strcmp(sub, "resume") == 0 ||
	    strcmp(sub, "stop") == 0)
		return cli_sweep_change(cli, argc - 1, argv + 1);
	return cli_bad_usage(&cli_cmd_sweep, "no sweep command %s", sub);
}
