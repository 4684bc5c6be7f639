/*
 * What one attempt of a job becomes for Slurm: its directory, its batch
 * script and sbatch's argv (exec-slurm-int.h, docs/slurm.md).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-slurm-int.h"
#include "core/exec/exec-state.h"
#include "core/exec/slurm-argv.h"
#include "core/exec/slurm-script.h"

/* The node gpuq chose, from the daemon's cluster (borrowed) or NULL. */
static const struct node *
exec_slurm_submit_node(const struct exec_ctx *x, const struct alloc *a)
{
	if (x->cluster == NULL || a->node < 0 ||
	    (size_t)a->node >= x->cluster->nnodes)
		return NULL;
	return &x->cluster->nodes[a->node];
}

/* What Slurm knows of a node: its shards per GPU (xs.mu held). */
static int32_t
exec_slurm_submit_shards_per_gpu(const char *node)
{
	size_t i;

	for (i = 0; i < xs.nnodes; i++)
		if (strcmp(xs.nodes[i].name, node) == 0)
			return xs.nodes[i].gpus > 0 ?
			    xs.nodes[i].shards / xs.nodes[i].gpus :
			    0;
	return 0;
}

/* GPUs of the allocation: whole ones, or the shards of one share. */
static void
exec_slurm_submit_gres(const struct alloc *a, const struct node *nd,
    struct slurm_submit *s)
{
	int32_t per, milli;

	if (a->ngpus <= 0)
		return;
	milli = a->gpus[0].milli;
	per = nd != NULL ? exec_slurm_submit_shards_per_gpu(nd->name) : 0;
	if (milli > 0 && milli < MODEL_GPU_MILLI && per > 0)
		s->shards = slurm_argv_shards(milli, per);
	else
		s->gpus = a->ngpus; /* a share without shards: a whole GPU */
	if (nd != NULL && s->gpus > 0 && a->gpus[0].gpu >= 0 &&
	    a->gpus[0].gpu < nd->ngpus &&
	    strcmp(nd->gpus[a->gpus[0].gpu].model, "gpu") != 0)
		s->gpu_type = nd->gpus[a->gpus[0].gpu].model;
}

int
exec_slurm_submit_sharded(const struct exec_ctx *x, const struct alloc *a)
{
	struct slurm_submit s;

	memset(&s, 0, sizeof(s));
	exec_slurm_submit_gres(a, exec_slurm_submit_node(x, a), &s);
	return s.shards > 0;
}

/* sbatch's argv for attempt j->attempt (new), or NULL with cause. */
static char **
exec_slurm_submit_argv(const struct exec_ctx *x, const struct job *j,
    const char *dir, const char *script, char *cause, size_t n)
{
	const struct node *nd = exec_slurm_submit_node(x, &j->core.alloc);
	char *tag = slurm_argv_tag(xs.host, j->core.id, j->attempt);
	char *out = xasprintf("%s/stdout", dir),
	     *err = xasprintf("%s/stderr", dir);
	struct slurm_submit s = { .script = script,
		.out = out,
		.err = err,
		.comment = tag,
		.name = j->name,
		.job_id = j->core.id,
		.workdir = j->workdir != NULL ? j->workdir : "/",
		.uid = -1,
		.gid = -1 };
	char **argv;

	s.partition = xs.partition;
	if (j->core.req.pool[0] != '\0')
		s.partition = j->core.req.pool;
	else if (s.partition == NULL && nd != NULL && nd->pool[0] != '\0')
		s.partition = nd->pool;
	s.nodelist = nd != NULL ? nd->name : NULL;
	exec_slurm_submit_gres(&j->core.alloc, nd, &s);
	s.cpus = (j->core.alloc.cpus_milli + 999) / 1000;
	s.mem_mb = j->core.alloc.mem_mb;
	/* gpuq's own limit comes first; Slurm's is there if gpuqd is not. */
	if (j->core.req.time_limit_s > 0)
		s.time_s = j->core.req.time_limit_s + j->kill_grace_s + 60;
	if (j->ckpt_signal > 0) {
		s.signo = j->ckpt_signal;
		s.signal_s = j->kill_grace_s > 0 ? j->kill_grace_s : 60;
	}
	if (xs.as_user && j->uid != 0) {
		s.uid = j->uid;
		s.gid = j->gid;
	}
	argv = slurm_argv_sbatch(&s, cause, n);
	free(tag);
	free(out);
	free(err);
	return argv;
}

/* "0.5" for a 500-milli share, "1" for whole GPUs, "0" for none. */
static void
exec_slurm_submit_fraction(const struct alloc *a, char *out, size_t n)
{
	int32_t milli = a->ngpus > 0 ? a->gpus[0].milli : 0;
	size_t len;

	if (a->ngpus <= 0 || milli <= 0 || milli >= MODEL_GPU_MILLI) {
		snprintf(out, n, "%d", a->ngpus > 0 ? 1 : 0);
		return;
	}
	snprintf(out, n, "0.%03d", (int)milli);
	len = strlen(out);
	while (len > 0 && out[len - 1] == '0')
		out[--len] = '\0';
}

/* gpuq's variables for the job (new vector; xs.mu held). */
static char **
exec_slurm_submit_extra(const struct exec_ctx *x, const struct job *j)
{
	const struct alloc *a = &j->core.alloc;
	char frac[16], *kv;
	char **v = NULL;
	int64_t mem = a->ngpus > 0 ? a->gpus[0].mem_mb : 0;

	exec_slurm_submit_fraction(a, frac, sizeof(frac));
	kv = xasprintf("GPUQ_JOB_ID=%" PRId64, j->core.id);
	slurm_argv_push(&v, kv);
	free(kv);
	kv = xasprintf("GPUQ_RESTART_COUNT=%d", (int)(j->attempt - 1));
	slurm_argv_push(&v, kv);
	free(kv);
	kv = xasprintf("GPUQ_GPU_FRACTION=%s", frac);
	slurm_argv_push(&v, kv);
	free(kv);
	kv = xasprintf("GPUQ_GPU_MEM_LIMIT_MB=%" PRId64, mem);
	slurm_argv_push(&v, kv);
	free(kv);
	slurm_argv_push(&v, "CUDA_DEVICE_ORDER=PCI_BUS_ID");
	/* Shards are Slurm's accounting only: nothing holds a job to one. */
	if (a->ngpus > 0)
		slurm_argv_push(&v,
		    exec_slurm_submit_sharded(x, a) ?
		        "GPUQ_GPU_ENFORCEMENT=advisory" :
		        "GPUQ_GPU_ENFORCEMENT=exclusive");
	return v;
}

static int
exec_slurm_submit_write(const char *path, const char *data, size_t len,
    mode_t mode)
{
	int fd, rc = 0;

	fd = open(path,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
	    mode);
	if (fd < 0)
		return GQ_EIO;
	/* No fsync: after a crash an attempt not yet in Slurm is rescinded. */
	if (write(fd, data, len) != (ssize_t)len)
		rc = GQ_EIO;
	if (close(fd) != 0)
		rc = GQ_EIO;
	return rc;
}

/* Writes job-N.sh; returns its path (new) or NULL with cause. */
static char *
exec_slurm_submit_script(const struct exec_ctx *x, const struct job *j,
    const char *dir, char *cause, size_t n)
{
	char **extra = exec_slurm_submit_extra(x, j), *path;
	struct slurm_script s = { .job_id = j->core.id,
		.attempt = j->attempt,
		.dir = dir,
		.workdir = j->workdir != NULL ? j->workdir : "/",
		.argv = (const char *const *)j->argv,
		.argc = j->argc,
		.env = (const char *const *)j->env,
		.extra = (const char *const *)extra };
	struct buf b;

	buf_init(&b, SLURM_SCRIPT_MAX);
	path = exec_state_path(dir, "job", j->attempt, ".sh");
	if (slurm_script_build(&s, &b, cause, n) != 0) {
		free(path);
		path = NULL;
	} else if (exec_slurm_submit_write(path, b.data, b.len, 0700) != 0) {
		snprintf(cause, n, "cannot write %s: %s", path,
		    strerror(errno));
		free(path);
		path = NULL;
	}
	buf_done(&b);
	slurm_argv_free(extra);
	return path;
}

/* True when uid (in group gid and in groups[n]) may search a directory. */
static int
exec_slurm_submit_may_search(const struct stat *sb, uid_t uid,
    const gid_t *groups, int n)
{
	int i;

	if (sb->st_uid == uid)
		return (sb->st_mode & S_IXUSR) != 0;
	for (i = 0; i < n; i++)
		if (sb->st_gid == groups[i])
			return (sb->st_mode & S_IXGRP) != 0;
	return (sb->st_mode & S_IXOTH) != 0;
}

/*
 * True when a job of j's user can reach dir's contents: every directory
 * from / to dir lets it search (ACLs are not read).
 */
static int
exec_slurm_submit_reachable(const struct job *j, const char *dir)
{
	char *path = xstrdup(dir), *slash;
	gid_t groups[256];
	int n = 256, ok = 1;
	struct stat sb;

	if (getgrouplist(j->core.user, j->gid, groups, &n) < 0) {
		groups[0] = j->gid;
		n = 1;
	}
	while (ok && path[0] != '\0') {
		if (stat(path, &sb) == 0 &&
		    !exec_slurm_submit_may_search(&sb, j->uid, groups, n))
			ok = 0;
		if ((slash = strrchr(path, '/')) == NULL)
			break;
		*slash = '\0';
	}
	free(path);
	return ok;
}

/* The job's directory, owned by its user when jobs run as their users. */
int
exec_slurm_submit_mkdir(const struct job *j, const char *dir, char *cause,
    size_t n)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(cause, n, "cannot create %s: %s", dir,
		    strerror(errno));
		return GQ_EIO;
	}
	if (xs.as_user && chown(dir, j->uid, j->gid) != 0) {
		snprintf(cause, n, "cannot give %s to uid %ld: %s", dir,
		    (long)j->uid, strerror(errno));
		return GQ_EIO;
	}
	if (xs.as_user && j->uid != 0 && !exec_slurm_submit_reachable(j, dir)) {
		snprintf(cause, n,
		    "%s's jobs cannot reach %s to write their logs: set "
		    "slurm-dir to a shared directory users may traverse "
		    "(docs/slurm.md)",
		    j->core.user, xs.dir);
		return GQ_EPERM;
	}
	return 0;
}

char **
exec_slurm_submit_sbatch(const struct exec_ctx *x, const struct job *j,
    const char *dir, char *cause, size_t n)
{
	char *script, **argv;

	if ((script = exec_slurm_submit_script(x, j, dir, cause, n)) == NULL)
		return NULL;
	argv = exec_slurm_submit_argv(x, j, dir, script, cause, n);
	free(script);
	return argv;
}
