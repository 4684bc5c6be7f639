#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "tui/cli.h"

extern char **environ;

static int cli_submit_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_submit = {
	.name = "submit",
	.summary = "Queue a command as a job",
	.usage =
	    "submit [options] [--] COMMAND [ARGS...]\n"
	    "  -g, --gpus N        whole GPUs (2) or a share of one "
	    "(0.5)\n"
	    "      --gpu-mem SIZE  a share of one GPU sized by memory "
	    "(20G)\n"
	    "  -c, --cpus N        CPU cores (may be fractional)\n"
	    "  -m, --mem SIZE      host memory (16G; a bare number is "
	    "MiB)\n"
	    "  -n, --name NAME     job name (default: the command's "
	    "name)\n"
	    "  -p, --project P     project to charge (default: "
	    "default)\n"
	    "  -t, --time T        time limit (4h, 1h30m, 2-00:00:00; "
	    "a bare number is\n"
	    "                      minutes)\n"
	    "      --class C       interactive, train or inference\n"
	    "      --priority N    -1000 .. 1000 (default 0)\n"
	    "      --preemptible, --no-preemptible\n"
	    "      --grace T       SIGTERM to SIGKILL on cancel (e.g. 30s; "
	    "default: the\n"
	    "                      daemon's kill-grace, 10s)\n"
	    "  -e, --env K=V       set a variable (repeatable); the "
	    "whole current\n"
	    "                      environment is always sent\n"
	    "  -w, --workdir DIR   where the job starts (default: the "
	    "current directory)\n"
	    "      --pool P        run in node pool P\n"
	    "      --labels L,M    run on nodes that carry these labels\n"
	    "      --gpu-model M   GPU models it accepts (H100|A100)\n"
	    "      --nodes N       a gang: N nodes at once, each with the "
	    "GPUs,\n"
	    "                      CPUs and memory above\n"
	    "      --checkpoint-signal SIG\n"
	    "                      sent to swap the job out (USR1; "
	    "default TERM); it\n"
	    "                      then has --grace to save and exit, "
	    "and is requeued\n"
	    "      --after ID      start once job ID has ended (repeatable; "
	    "ID,ID too)\n"
	    "      --afterok ID    start once job ID has COMPLETED; if it "
	    "ends otherwise,\n"
	    "                      this job is cancelled\n"
	    "      --hold          queue it held: it starts after gpuq "
	    "release\n"
	    "      --dry-run       say when it would start and whom it "
	    "would swap out;\n"
	    "                      submit nothing\n"
	    "      --json          print the daemon's answer as JSON\n",
	.fn = cli_submit_fn,
};

enum {
	SUBMIT_GPU_MEM = 256,
	SUBMIT_CLASS,
	SUBMIT_PRIORITY,
	SUBMIT_PREEMPT,
	SUBMIT_NO_PREEMPT,
	SUBMIT_GRACE,
	SUBMIT_JSON,
	SUBMIT_POOL,
	SUBMIT_LABELS,
	SUBMIT_MODEL,
	SUBMIT_NODES,
	SUBMIT_CKPT,
	SUBMIT_DRY,
	SUBMIT_AFTER,
	SUBMIT_AFTEROK,
	SUBMIT_HOLD,
};

static const struct option cli_submit_opts[] = {
	{ "gpus", required_argument, NULL, 'g' },
	{ "gpu-mem", required_argument, NULL, SUBMIT_GPU_MEM },
	{ "cpus", required_argument, NULL, 'c' },
	{ "mem", required_argument, NULL, 'm' },
	{ "name", required_argument, NULL, 'n' },
	{ "project", required_argument, NULL, 'p' },
	{ "time", required_argument, NULL, 't' },
	{ "class", required_argument, NULL, SUBMIT_CLASS },
	{ "priority", required_argument, NULL, SUBMIT_PRIORITY },
	{ "preemptible", no_argument, NULL, SUBMIT_PREEMPT },
	{ "no-preemptible", no_argument, NULL, SUBMIT_NO_PREEMPT },
	{ "grace", required_argument, NULL, SUBMIT_GRACE },
	{ "env", required_argument, NULL, 'e' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "json", no_argument, NULL, SUBMIT_JSON },
	{ "pool", required_argument, NULL, SUBMIT_POOL },
	{ "labels", required_argument, NULL, SUBMIT_LABELS },
	{ "gpu-model", required_argument, NULL, SUBMIT_MODEL },
	{ "nodes", required_argument, NULL, SUBMIT_NODES },
	{ "checkpoint-signal", required_argument, NULL, SUBMIT_CKPT },
	{ "dry-run", no_argument, NULL, SUBMIT_DRY },
	{ "after", required_argument, NULL, SUBMIT_AFTER },
	{ "afterok", required_argument, NULL, SUBMIT_AFTEROK },
	{ "hold", no_argument, NULL, SUBMIT_HOLD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* What the command line said, before it becomes params. */
struct cli_submit {
	json_t *params;      /* owned: job.submit params so far */
	json_t *env;         /* owned: --env overrides */
	const char *workdir; /* --workdir, or NULL */
	int json;
	int dry; /* --dry-run */
};

static json_t *
cli_submit_milli(int32_t milli)
{
	if (milli % 1000 == 0)
		return json_integer(milli / 1000);
	return json_real(milli / 1000.0);
}

/* True for an environment variable name the daemon accepts. */
static int
cli_submit_env_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/*
 * Adds "K=V" to obj; returns 0, or GQ_EINVAL when K is not a name or V is
 * not UTF-8.
 */
static int
cli_submit_env_add(json_t *obj, const char *kv)
{
	const char *eq = strchr(kv, '=');
	json_t *val;
	char *name;

	if (eq == NULL || !cli_submit_env_name(kv, (size_t)(eq - kv)))
		return GQ_EINVAL;
	if ((val = json_string(eq + 1)) == NULL)
		return GQ_EINVAL; /* not UTF-8 */
	name = xstrndup(kv, (size_t)(eq - kv));
	json_object_set_new(obj, name, val);
	free(name);
	return 0;
}

/* Parses one unit option into params; returns 0, 1 (not a unit) or <0. */
static int
cli_submit_unit(json_t *p, int ch, const char *arg)
{
	int64_t v;
	int32_t m;

	switch (ch) {
	case 'g':
		if (units_parse_gpus(arg, &m) != 0)
			return GQ_EINVAL;
		return json_object_set_new(p, "gpus", cli_submit_milli(m));
	case 'c':
		if (units_parse_cpus(arg, &m) != 0 || m == 0)
			return GQ_EINVAL;
		return json_object_set_new(p, "cpus", cli_submit_milli(m));
	case SUBMIT_GPU_MEM:
	case 'm':
		if (units_parse_mem_mb(arg, &v) != 0 || v == 0)
			return GQ_EINVAL;
		return json_object_set_new(p,
		    ch == 'm' ? "mem_mb" : "gpu_mem_mb", json_integer(v));
	case 't':
	case SUBMIT_GRACE:
		if (units_parse_duration(arg, ch == 't' ? 60 : 1, &v) != 0)
			return GQ_EINVAL;
		return json_object_set_new(p,
		    ch == 't' ? "time_limit_s" : "kill_grace_s",
		    json_integer(v));
	}
	return 1;
}

static int
cli_submit_priority(json_t *p, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < -1000 || v > 1000)
		return GQ_EINVAL;
	return json_object_set_new(p, "priority", json_integer(v));
}

static int
cli_submit_class(json_t *p, const char *arg)
{
	if (strcmp(arg, "interactive") != 0 && strcmp(arg, "train") != 0 &&
	    strcmp(arg, "inference") != 0)
		return GQ_EINVAL;
	return json_object_set_new(p, "class", json_string(arg));
}

/* Where it runs, how it is swapped out, --dry-run. */
static int
cli_submit_where(struct cli_submit *s, int ch, const char *arg)
{
	static const char *const keys[] = { "pool", "labels", "gpu_model",
		"nodes", "checkpoint_signal" };
	char *end;
	long n;

	switch (ch) {
	case SUBMIT_POOL:
	case SUBMIT_LABELS:
	case SUBMIT_MODEL:
	case SUBMIT_CKPT:
		if (arg[0] == '\0')
			return GQ_EINVAL;
		return json_object_set_new(s->params, keys[ch - SUBMIT_POOL],
		    json_string(arg));
	case SUBMIT_NODES:
		n = strtol(arg, &end, 10);
		if (end == arg || *end != '\0' || n < 1 || n > 64)
			return GQ_EINVAL;
		return json_object_set_new(s->params, "nodes", json_integer(n));
	case SUBMIT_DRY:
		s->dry = 1;
		return json_object_set_new(s->params, "dry_run", json_true());
	}
	return GQ_EINVAL;
}

/* --after and --afterok: ids separated by commas, added to the array. */
static int
cli_submit_deps(struct cli_submit *s, int ch, const char *arg)
{
	const char *key = ch == SUBMIT_AFTER ? "after" : "afterok";
	json_t *a = json_object_get(s->params, key);
	char *copy, *tok, *save = NULL;
	long long id;
	int rc = 0;

	if (ch == SUBMIT_HOLD)
		return json_object_set_new(s->params, "hold", json_true());
	copy = xstrdup(arg);
	if (a == NULL) {
		a = json_array();
		json_object_set_new(s->params, key, a);
	}
	for (tok = strtok_r(copy, ",", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, ",", &save))
		if ((rc = cli_parse_id(tok, &id)) == 0)
			json_array_append_new(a, json_integer(id));
	free(copy);
	return rc != 0 || json_array_size(a) == 0 ? GQ_EINVAL : 0;
}

/* Parses one option; returns 0 or GQ_EINVAL (a bad value). */
static int
cli_submit_opt(struct cli_submit *s, int ch, const char *arg)
{
	int rc;

	if ((rc = cli_submit_unit(s->params, ch, arg)) != 1)
		return rc;
	switch (ch) {
	case 'n':
	case 'p':
		if (arg[0] == '\0')
			return GQ_EINVAL;
		return json_object_set_new(s->params,
		    ch == 'n' ? "name" : "project", json_string(arg));
	case SUBMIT_CLASS:
		return cli_submit_class(s->params, arg);
	case SUBMIT_PRIORITY:
		return cli_submit_priority(s->params, arg);
	case SUBMIT_PREEMPT:
	case SUBMIT_NO_PREEMPT:
		return json_object_set_new(s->params, "preemptible",
		    json_boolean(ch == SUBMIT_PREEMPT));
	case 'e':
		return cli_submit_env_add(s->env, arg);
	case 'w':
		s->workdir = arg;
		return arg[0] != '\0' ? 0 : GQ_EINVAL;
	case SUBMIT_JSON:
		s->json = 1;
		return 0;
	case SUBMIT_AFTER:
	case SUBMIT_AFTEROK:
	case SUBMIT_HOLD:
		return cli_submit_deps(s, ch, arg);
	}
	return cli_submit_where(s, ch, arg);
}

/*
 * The current directory, as the shell names it ($PWD when it is the same
 * directory, so symlinked paths stay as the user typed them).  New string,
 * or NULL.
 */
static char *
cli_submit_cwd(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;

	if (pwd != NULL && pwd[0] == '/' && stat(pwd, &a) == 0 &&
	    stat(".", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return xstrdup(pwd);
	return getcwd(NULL, 0);
}

static int
cli_submit_workdir(struct cli_submit *s)
{
	char *cwd = NULL, *dir;

	if (s->workdir != NULL && s->workdir[0] == '/') {
		dir = xstrdup(s->workdir);
	} else {
		if ((cwd = cli_submit_cwd()) == NULL) {
			fprintf(stderr,
			    "gpuq: submit: cannot find the current "
			    "directory: %s\n",
			    strerror(errno));
			return CLI_EXIT_FAIL;
		}
		if (s->workdir != NULL)
			dir = xasprintf("%s%s%s", cwd,
			    cwd[strlen(cwd) - 1] == '/' ? "" : "/", s->workdir);
		else
			dir = xstrdup(cwd);
	}
	json_object_set_new(s->params, "workdir", json_string(dir));
	free(cwd);
	free(dir);
	return 0;
}

/*
 * The whole current environment, then the --env overrides.  Variables the
 * daemon would refuse (odd names such as bash's exported functions, values
 * that are not UTF-8) are left out.
 */
static void
cli_submit_env(struct cli_submit *s)
{
	json_t *env = json_object();
	char **e;

	for (e = environ; *e != NULL; e++)
		(void)cli_submit_env_add(env, *e);
	json_object_update(env, s->env);
	json_object_set_new(s->params, "env", env);
}

static void
cli_submit_argv(struct cli_submit *s, int argc, char **argv)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < argc; i++)
		json_array_append_new(a, json_string(argv[i]));
	json_object_set_new(s->params, "argv", a);
}

static int
cli_submit_send(struct cli *cli, struct cli_submit *s)
{
	json_t *result, *id;
	char *cause;
	int rc;

	if (s->dry)
		rc = cli_rpc(cli, "job.submit", json_incref(s->params), &result,
		    &cause);
	else
		rc = cli_rpc_keyed(cli, "job.submit", json_incref(s->params),
		    &result, &cause);
	if (rc != 0)
		return cli_fail(cli, "submit", rc, cause);
	if (s->json) {
		rc = cli_print_json(result);
	} else if (s->dry) {
		rc = cli_dryrun_print(result, (long long)time(NULL));
	} else {
		id = json_object_get(json_object_get(result, "job"), "id");
		printf("Submitted job %lld\n",
		    (long long)json_integer_value(id));
		rc = CLI_EXIT_OK;
	}
	json_decref(result);
	return rc;
}

/* What a value for option ch should look like, for the error message. */
static const char *
cli_submit_hint(int ch)
{
	switch (ch) {
	case 'g':
		return " (whole GPUs such as 2, or a share of one such as 0.5)";
	case 'c':
		return " (a number above 0, such as 4 or 0.5)";
	case 'm':
	case SUBMIT_GPU_MEM:
		return " (a size such as 16G or 512M)";
	case 't':
	case SUBMIT_GRACE:
		return " (a duration such as 90s, 30m, 4h, 1h30m or 2:00:00)";
	case SUBMIT_PRIORITY:
		return " (an integer from -1000 to 1000)";
	case SUBMIT_CLASS:
		return " (interactive, train or inference)";
	case SUBMIT_NODES:
		return " (1 to 64)";
	case SUBMIT_CKPT:
		return " (a signal name such as USR1)";
	case 'e':
		return " (NAME=VALUE)";
	case SUBMIT_AFTER:
	case SUBMIT_AFTEROK:
		return " (job ids such as 12 or 12,13)";
	}
	return "";
}

/* Parses the command line into s; returns -1 to go on or an exit code. */
static int
cli_submit_parse(struct cli_submit *s, int argc, char **argv)
{
	const struct cli_cmd *cmd = &cli_cmd_submit;
	int ch;

	while ((ch = getopt_long(argc, argv, "+:g:c:m:n:p:t:e:w:h",
	            cli_submit_opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help_cmd(cmd);
		if (ch == '?' || ch == ':')
			return cli_bad_opt(cmd, argv, ch);
		if (cli_submit_opt(s, ch, optarg) != 0)
			return cli_bad_usage(cmd, "bad value for --%s: '%s'%s",
			    cli_opt_long(cli_submit_opts, ch), optarg,
			    cli_submit_hint(ch));
	}
	if (optind >= argc)
		return cli_bad_usage(cmd, "no command to run");
	if (argv[optind][0] == '\0')
		return cli_bad_usage(cmd, "the command is an empty string");
	return -1;
}

static int
cli_submit_fn(struct cli *cli, int argc, char **argv)
{
	struct cli_submit s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.params = json_object();
	s.env = json_object();
	rc = cli_submit_parse(&s, argc, argv);
	if (rc >= 0)
		goto out; /* help, or bad usage */
	rc = cli_submit_workdir(&s);
	if (rc == 0) {
		cli_submit_argv(&s, argc - optind, argv + optind);
		cli_submit_env(&s);
		rc = cli_submit_send(cli, &s);
	}
out:
	json_decref(s.params);
	json_decref(s.env);
	return rc;
}
