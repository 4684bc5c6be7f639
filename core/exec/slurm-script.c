#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/base/error.h"
#include "core/exec/slurm-script.h"

/* Variables the job must not bring: Slurm's and gpuq's own. */
static const char *const slurm_script_drop[] = { "SLURM_", "GPUQ_",
	"CUDA_VISIBLE_DEVICES=", "CUDA_DEVICE_ORDER=", NULL };

int
slurm_script_quote(struct buf *b, const char *s)
{
	size_t len = b->len;
	int rc;

	rc = buf_addstr(b, "'");
	for (; rc == 0 && *s != '\0'; s++)
		rc = *s == '\'' ? buf_addstr(b, "'\\''") : buf_add(b, s, 1);
	if (rc == 0)
		rc = buf_addstr(b, "'");
	if (rc != 0) {
		b->len = len;
		if (b->data != NULL)
			b->data[len] = '\0';
	}
	return rc;
}

static int
slurm_script_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int
slurm_script_name_ok(const char *kv)
{
	size_t i;

	if (!slurm_script_alpha(kv[0]))
		return 0;
	for (i = 1; kv[i] != '\0' && kv[i] != '='; i++)
		if (!slurm_script_alpha(kv[i]) &&
		    !(kv[i] >= '0' && kv[i] <= '9'))
			return 0;
	return kv[i] == '=';
}

int
slurm_script_keep(const char *kv)
{
	size_t i;

	if (!slurm_script_name_ok(kv))
		return 0;
	for (i = 0; slurm_script_drop[i] != NULL; i++)
		if (strncmp(kv, slurm_script_drop[i],
		        strlen(slurm_script_drop[i])) == 0)
			return 0;
	return 1;
}

/* "export 'K=V'" lines for the variables kept from env. */
static int
slurm_script_exports(struct buf *b, const char *const *env, int own)
{
	size_t i;
	int rc = 0;

	for (i = 0; env != NULL && env[i] != NULL && rc == 0; i++) {
		if (own ? !slurm_script_name_ok(env[i]) :
		          !slurm_script_keep(env[i]))
			continue;
		rc = buf_addstr(b, "export ");
		rc = rc ? rc : slurm_script_quote(b, env[i]);
		rc = rc ? rc : buf_addstr(b, "\n");
	}
	return rc;
}

/*
 * The claim: created with O_EXCL (set -C), so exactly one of this run, a
 * twin of it, and the daemon's rescinding after a crash gets it.
 */
static int
slurm_script_claim(struct buf *b, const struct slurm_script *s)
{
	char claim[32];
	int rc;

	snprintf(claim, sizeof(claim), "/claim-%" PRId32, s->attempt);
	rc = buf_printf(b,
	    "#!/bin/sh\n"
	    "# gpuq job %" PRId64 ", attempt %" PRId32 ", written by gpuqd "
	    "(docs/slurm.md).\n"
	    "# The first run to claim the attempt runs it; any other exits.\n"
	    "set -C\n"
	    "if ! { echo \"slurm $SLURM_JOB_ID\" >",
	    s->job_id, s->attempt);
	/* Two quoted words side by side are one word to the shell. */
	rc = rc ? rc : slurm_script_quote(b, s->dir);
	rc = rc ? rc : slurm_script_quote(b, claim);
	rc = rc ? rc :
	          buf_printf(b,
	              "; } 2>/dev/null; then\n"
	              "\techo \"gpuq: attempt %" PRId32 " of job %" PRId64
	              " is claimed or rescinded: not run\" >&2\n"
	              "\texit 0\n"
	              "fi\n"
	              "set +C\n",
	              s->attempt, s->job_id);
	return rc;
}

static int
slurm_script_check(const struct slurm_script *s, char *cause, size_t n)
{
	if (s->argc == 0 || s->argv == NULL || s->argv[0] == NULL ||
	    s->argv[0][0] == '\0') {
		snprintf(cause, n, "empty command");
		return GQ_EINVAL;
	}
	/* bash's exec (RHEL's /bin/sh) would read it as an option. */
	if (s->argv[0][0] == '-') {
		snprintf(cause, n,
		    "a command starting with '-' cannot run under Slurm");
		return GQ_EINVAL;
	}
	if (s->dir == NULL || s->dir[0] != '/' || s->workdir == NULL ||
	    s->workdir[0] == '\0') {
		snprintf(cause, n, "no job directory or working directory");
		return GQ_EINVAL;
	}
	return 0;
}

int
slurm_script_build(const struct slurm_script *s, struct buf *out, char *cause,
    size_t n)
{
	size_t i;
	int rc;

	buf_reset(out);
	if ((rc = slurm_script_check(s, cause, n)) != 0)
		return rc;
	rc = slurm_script_claim(out, s);
	rc = rc ? rc : slurm_script_exports(out, s->env, 0);
	rc = rc ? rc : slurm_script_exports(out, s->extra, 1);
	/* srun inside the job sees the job's environment, not NONE. */
	rc = rc ? rc : buf_addstr(out, "export SLURM_EXPORT_ENV=ALL\ncd ");
	rc = rc ? rc : slurm_script_quote(out, s->workdir);
	rc = rc ? rc : buf_addstr(out, " || exit 1\nexec");
	for (i = 0; i < s->argc && rc == 0; i++) {
		rc = buf_addstr(out, " ");
		rc = rc ? rc : slurm_script_quote(out, s->argv[i]);
	}
	rc = rc ? rc : buf_addstr(out, "\n");
	if (rc != 0)
		snprintf(cause, n, "the batch script would be over %d bytes",
		    SLURM_SCRIPT_MAX);
	return rc;
}
