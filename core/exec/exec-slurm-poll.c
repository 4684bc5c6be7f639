/*
 * The Slurm executor's poll: one squeue for every job it holds each
 * interval, then, for each job that squeue shows ended or no longer shows,
 * "scontrol show job" (kept MinJobAge after the end) and else sacct.  And
 * the node listing.  Runs on the worker thread (exec-slurm-int.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/clock.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-slurm-int.h"
#include "core/exec/exec-state.h"
#include "core/exec/slurm-argv.h"

void exec_slurm_poll_jobs(void);
void exec_slurm_poll_nodes(void);
void exec_slurm_poll_strays(void);

/* A job to look at more closely after the poll. */
struct exec_slurm_pick {
	int64_t job_id, slurm_id;
	int32_t attempt;
};

static int
exec_slurm_poll_stat_cmp(const void *a, const void *b)
{
	const struct slurm_jobstat *x = a, *y = b;

	return x->slurm_id < y->slurm_id ? -1 : x->slurm_id > y->slurm_id;
}

/*
 * The Slurm ids to poll now, as "1,2,3" (new); "" when there are more
 * than EXEC_SLURM_IDS_PER_POLL (then squeue lists every job); NULL when none.
 */
static char *
exec_slurm_poll_ids(void)
{
	struct buf b;
	size_t i, n = 0;

	buf_init(&b, 32 * EXEC_SLURM_IDS_PER_POLL);
	for (i = 0; i < xs.njobs; i++) {
		struct exec_slurm_job *e = xs.jobs[i];

		if (e->slurm_id <= 0 || e->ended)
			continue;
		if (n++ < EXEC_SLURM_IDS_PER_POLL)
			buf_printf(&b, "%s%" PRId64, n > 1 ? "," : "",
			    e->slurm_id);
	}
	if (n == 0 || n > EXEC_SLURM_IDS_PER_POLL) {
		buf_done(&b);
		return n == 0 ? NULL : xstrdup("");
	}
	return buf_take(&b);
}

/* squeue's lines, parsed and sorted by id (new array). */
static size_t
exec_slurm_poll_parse(const char *out, struct slurm_jobstat **stats)
{
	struct slurm_jobstat *st = NULL, one;
	const char *p = out;
	size_t n = 0;

	while (p != NULL && *p != '\0') {
		if (slurm_parse_squeue(p, &one) == 0) {
			st = xreallocarray(st, n + 1, sizeof(*st));
			st[n++] = one;
		}
		p = strchr(p, '\n');
		p = p != NULL ? p + 1 : NULL;
	}
	if (n > 1)
		qsort(st, n, sizeof(*st), exec_slurm_poll_stat_cmp);
	*stats = st;
	return n;
}

/*
 * Applies a poll to the table (xs.mu held): states move on; jobs that
 * ended or went missing are picked for a closer look.
 */
static size_t
exec_slurm_poll_apply(struct slurm_jobstat *st, size_t nst,
    struct exec_slurm_pick **picks)
{
	struct slurm_jobstat key, *f;
	struct exec_slurm_pick *p = NULL;
	size_t i, n = 0;

	for (i = 0; i < xs.njobs; i++) {
		struct exec_slurm_job *e = xs.jobs[i];

		if (e->slurm_id <= 0 || e->ended)
			continue;
		key.slurm_id = e->slurm_id;
		f = nst ? bsearch(&key, st, nst, sizeof(*st),
		              exec_slurm_poll_stat_cmp) :
		          NULL;
		if (f != NULL)
			snprintf(e->reason, sizeof(e->reason), "%s", f->reason);
		if (f != NULL && f->state != e->state) {
			log_debug("slurm: job %" PRId64 " (Slurm %" PRId64
			          ") %s",
			    e->job_id, e->slurm_id,
			    slurm_parse_state_name(f->state));
			e->state = f->state;
			e->seen_ms = clock_mono_ms();
		}
		if (f != NULL && !slurm_parse_state_final(f->state))
			continue;
		p = xreallocarray(p, n + 1, sizeof(*p));
		p[n].job_id = e->job_id;
		p[n].slurm_id = e->slurm_id;
		p[n++].attempt = e->attempt;
	}
	*picks = p;
	return n;
}

/* Runs squeue; 0 with its output in c, or GQ_ECONN/GQ_EIO. */
static int
exec_slurm_poll_squeue(struct exec_slurm_cmd *c, char **argv)
{
	char why[400];
	int rc;

	exec_slurm_cmd_init(c, argv);
	rc = exec_slurm_cmd_one(c, why, sizeof(why));
	/* Every id listed is gone: squeue says so and lists nothing. */
	if (rc == GQ_EIO && slurm_parse_invalid_job(why))
		rc = 0;
	pthread_mutex_lock(&xs.mu);
	exec_slurm_work_set_away(why, rc == GQ_ECONN);
	pthread_mutex_unlock(&xs.mu);
	if (rc == GQ_EIO)
		log_warn("slurm: squeue: %s", why);
	return rc;
}

void exec_slurm_poll_look(const struct exec_slurm_pick *p);

void
exec_slurm_poll_jobs(void)
{
	struct slurm_jobstat *st = NULL;
	struct exec_slurm_pick *picks = NULL;
	size_t nst, n = 0, i;
	struct exec_slurm_cmd c;
	char *ids, **argv;

	pthread_mutex_lock(&xs.mu);
	if (exec_slurm_work_waiting() || clock_mono_ms() < xs.next_poll ||
	    (ids = exec_slurm_poll_ids()) == NULL) {
		pthread_mutex_unlock(&xs.mu);
		return;
	}
	xs.next_poll = clock_mono_ms() + xs.poll_ms;
	xs.polls++;
	pthread_mutex_unlock(&xs.mu);
	argv = slurm_argv_make("squeue", "--noheader", "--states=all",
	    "--noconvert", "--format", SLURM_PARSE_SQUEUE_FMT, NULL);
	if (ids[0] != '\0') {
		slurm_argv_push(&argv, "--jobs");
		slurm_argv_push(&argv, ids);
	}
	if (exec_slurm_poll_squeue(&c, argv) == 0) {
		nst = exec_slurm_poll_parse(c.out.data, &st);
		pthread_mutex_lock(&xs.mu);
		n = exec_slurm_poll_apply(st, nst, &picks);
		pthread_mutex_unlock(&xs.mu);
	}
	exec_slurm_cmd_done(&c);
	slurm_argv_free(argv);
	free(ids);
	free(st);
	for (i = 0; i < n; i++)
		exec_slurm_poll_look(&picks[i]);
	free(picks);
}

/* True when the job ended by its own exit code or a signal. */
static int
exec_slurm_poll_own_exit(const struct slurm_jobstat *st)
{
	if (st->state != SLURM_FAILED)
		return 0;
	if (st->reason[0] != '\0' && strcmp(st->reason, "NonZeroExitCode") != 0)
		return 0;
	return st->exit_code > 0 || st->exit_signal > 0;
}

/* Slurm's word on a failure that is not the job's own exit. */
static void
exec_slurm_poll_failed(const struct slurm_jobstat *st, struct exec_result *res)
{
	int launch = strcmp(st->reason, "JobLaunchFailure") == 0;

	snprintf(res->reason, sizeof(res->reason),
	    "Slurm job %" PRId64 " ended %s%s%s%s%s", st->slurm_id,
	    slurm_parse_state_name(st->state), st->reason[0] ? " (" : "",
	    st->reason, st->reason[0] ? ")" : "",
	    launch ? ": the batch script could not start (can the job's user "
	             "write to slurm-dir on that node?)" :
	             "");
	if (launch)
		res->exit_signal = 0; /* Slurm's 0:53 is no signal */
}

/*
 * How a job Slurm has finished with ended, for gpuq.  When gpuq itself
 * asked it to end (asked), its own reason stands.
 */
static void
exec_slurm_poll_result(const struct slurm_jobstat *st, int asked,
    struct exec_result *res)
{
	enum job_state s = slurm_parse_state_gpuq(st->state);

	memset(res, 0, sizeof(*res));
	res->exit_code = st->exit_code;
	res->exit_signal = st->exit_signal;
	res->end_time = st->end > 0 ? st->end : time(NULL);
	if (asked && (s == JOB_CANCELLED || s == JOB_FAILED))
		return;
	if (s == JOB_CANCELLED) {
		res->final_state = JOB_CANCELLED;
		snprintf(res->reason, sizeof(res->reason),
		    "cancelled in Slurm (job %" PRId64 ")", st->slurm_id);
	} else if (s == JOB_TIMEOUT) {
		res->final_state = JOB_TIMEOUT;
		snprintf(res->reason, sizeof(res->reason),
		    "Slurm ended job %" PRId64 ": %s", st->slurm_id,
		    st->state == SLURM_DEADLINE ? "its deadline passed" :
		                                  "its time limit was reached");
	} else if (s == JOB_FAILED && !exec_slurm_poll_own_exit(st))
		exec_slurm_poll_failed(st, res);
}

static void
exec_slurm_poll_lost(int64_t slurm_id, struct exec_result *res)
{
	memset(res, 0, sizeof(*res));
	exec_state_result_lost(res, time(NULL), "");
	snprintf(res->reason, sizeof(res->reason),
	    "lost: Slurm no longer knows job %" PRId64
	    " (it ended over MinJobAge ago?) and keeps no accounting of it, "
	    "so how it ended is unknown",
	    slurm_id);
}

/*
 * A twin (a retried sbatch) may have run the attempt instead of the job
 * we track: the claim names the one that did.  Returns 1 when e now
 * tracks that one (xs.mu held).
 */
static int
exec_slurm_poll_follow_claim(struct exec_slurm_job *e)
{
	int64_t holder;
	int kind;

	kind = exec_slurm_work_claim_read(e->dir, e->attempt, &holder);
	if (kind == 0 &&
	    exec_slurm_work_rescind(e->dir, e->attempt) == GQ_EEXIST)
		kind = exec_slurm_work_claim_read(e->dir, e->attempt, &holder);
	if (kind != 1 || holder <= 0 || holder == e->slurm_id)
		return 0;
	log_info("slurm: attempt %d of job %" PRId64
	         " ran as Slurm job %" PRId64 ", not %" PRId64,
	    (int)e->attempt, e->job_id, holder, e->slurm_id);
	e->slurm_id = holder;
	e->state = SLURM_UNKNOWN;
	exec_slurm_work_id_write(e->dir, e->attempt, holder);
	return 1;
}

/* The end of a picked job: st, or NULL when lost. */
static void
exec_slurm_poll_finish(const struct exec_slurm_pick *p,
    const struct slurm_jobstat *st)
{
	struct exec_result res;
	struct exec_slurm_job *e;

	pthread_mutex_lock(&xs.mu);
	e = exec_slurm_work_find(p->job_id);
	if (e != NULL && e->attempt == p->attempt &&
	    e->slurm_id == p->slurm_id && !e->ended &&
	    !exec_slurm_poll_follow_claim(e)) {
		if (st != NULL)
			exec_slurm_poll_result(st, e->cancel, &res);
		else
			exec_slurm_poll_lost(p->slurm_id, &res);
		log_debug("slurm: job %" PRId64 " (Slurm %" PRId64 ") ended %s",
		    p->job_id, p->slurm_id,
		    st ? slurm_parse_state_name(st->state) : "lost");
		exec_slurm_work_end(e, &res);
	}
	pthread_mutex_unlock(&xs.mu);
}

/* Runs a command for one job; 0, GQ_ECONN (away) or GQ_EIO with why. */
static int
exec_slurm_poll_look_run(char **argv, struct exec_slurm_cmd *c, char *why,
    size_t n)
{
	int rc;

	exec_slurm_cmd_init(c, argv);
	rc = exec_slurm_cmd_one(c, why, n);
	pthread_mutex_lock(&xs.mu);
	exec_slurm_work_set_away(why, rc == GQ_ECONN);
	pthread_mutex_unlock(&xs.mu);
	return rc;
}

/* sacct, for a job slurmctld has forgotten. */
static void
exec_slurm_poll_look_sacct(const struct exec_slurm_pick *p, const char *id)
{
	struct slurm_jobstat st;
	char why[400], **argv;
	struct exec_slurm_cmd c;
	int rc;

	argv = slurm_argv_make("sacct", "--noheader", "--parsable2",
	    "--allocations", "--jobs", id, "--format", SLURM_PARSE_SACCT_FMT,
	    NULL);
	rc = exec_slurm_poll_look_run(argv, &c, why, sizeof(why));
	if (rc == 0 &&
	    slurm_parse_sacct(c.out.data ? c.out.data : "", &st) == 0 &&
	    st.slurm_id == p->slurm_id && slurm_parse_state_final(st.state))
		exec_slurm_poll_finish(p, &st);
	else if (rc != GQ_ECONN)
		exec_slurm_poll_finish(p,
		    NULL); /* no accounting, or none of it */
	exec_slurm_cmd_done(&c);
	slurm_argv_free(argv);
}

void
exec_slurm_poll_look(const struct exec_slurm_pick *p)
{
	struct slurm_jobstat st;
	char id[32], why[400], **argv;
	struct exec_slurm_cmd c;
	int rc;

	snprintf(id, sizeof(id), "%" PRId64, p->slurm_id);
	argv =
	    slurm_argv_make("scontrol", "--oneliner", "show", "job", id, NULL);
	rc = exec_slurm_poll_look_run(argv, &c, why, sizeof(why));
	if (rc == 0 &&
	    slurm_parse_scontrol_job(c.out.data ? c.out.data : "", &st) == 0 &&
	    st.slurm_id == p->slurm_id && slurm_parse_state_final(st.state))
		exec_slurm_poll_finish(p, &st);
	else if (rc == GQ_EIO && slurm_parse_invalid_job(why))
		exec_slurm_poll_look_sacct(p, id);
	else if (rc == GQ_EIO)
		log_warn("slurm: scontrol show job %s: %s", id, why);
	exec_slurm_cmd_done(&c);
	slurm_argv_free(argv);
}

/* Parses a node listing, keeping the partition's nodes (new array). */
static size_t
exec_slurm_poll_inv_parse(const char *out, const char *partition,
    struct slurm_node **nodes)
{
	struct slurm_node *nd = NULL, one;
	const char *p = out;
	size_t n = 0;

	while (p != NULL && *p != '\0') {
		if (slurm_parse_node(p, &one) == 0 &&
		    (partition == NULL ||
		        model_labels_has(one.partitions, partition,
		            strlen(partition)))) {
			nd = xreallocarray(nd, n + 1, sizeof(*nd));
			nd[n++] = one;
		}
		p = strchr(p, '\n');
		p = p != NULL ? p + 1 : NULL;
	}
	*nodes = nd;
	return n;
}

void
exec_slurm_poll_nodes_set(const char *text)
{
	struct slurm_node *nodes;
	size_t n = exec_slurm_poll_inv_parse(text, xs.partition, &nodes);

	if (n == xs.nnodes &&
	    memcmp(nodes, xs.nodes, n * sizeof(*nodes)) == 0) {
		free(nodes);
		return;
	}
	if (n == 0 && xs.partition != NULL)
		log_warn("slurm: no node is in partition %s", xs.partition);
	free(xs.nodes);
	xs.nodes = nodes;
	xs.nnodes = n;
	xs.inv_gen++;
}

/* Keeps the last listing, for a start while slurmctld is away. */
static void
exec_slurm_poll_inv_save(const char *text)
{
	char *tmp = xasprintf("%s.tmp", xs.inv_cache);
	FILE *fp = fopen(tmp, "we");

	if (fp != NULL && fputs(text, fp) >= 0 && fclose(fp) == 0)
		rename(tmp, xs.inv_cache);
	else if (fp != NULL)
		fclose(fp);
	unlink(tmp);
	free(tmp);
}

void
exec_slurm_poll_nodes(void)
{
	char why[400], **argv;
	struct exec_slurm_cmd c;
	int rc;

	pthread_mutex_lock(&xs.mu);
	if ((exec_slurm_work_waiting() && !xs.inv_wanted) ||
	    (!xs.inv_wanted && clock_mono_ms() < xs.next_inv)) {
		pthread_mutex_unlock(&xs.mu);
		return;
	}
	xs.inv_wanted = 0;
	xs.next_inv = clock_mono_ms() + EXEC_SLURM_NODES_MS;
	pthread_mutex_unlock(&xs.mu);
	argv = slurm_argv_make("scontrol", "--oneliner", "show", "node", NULL);
	rc = exec_slurm_poll_look_run(argv, &c, why, sizeof(why));
	if (rc == 0)
		exec_slurm_poll_inv_save(c.out.data ? c.out.data : "");
	pthread_mutex_lock(&xs.mu);
	if (rc == 0) {
		exec_slurm_poll_nodes_set(c.out.data ? c.out.data : "");
		xs.inv_error[0] = '\0';
	} else
		snprintf(xs.inv_error, sizeof(xs.inv_error), "%.250s", why);
	xs.inv_done = 1;
	pthread_cond_broadcast(&xs.inv_cv);
	pthread_mutex_unlock(&xs.mu);
	exec_slurm_cmd_done(&c);
	slurm_argv_free(argv);
}

/*
 * True when Slurm job st, tagged for attempt of job_id, must never run:
 * its attempt was rescinded, or another Slurm job claimed it (either way
 * its script would exit at once).
 */
static int
exec_slurm_poll_stray(const struct slurm_jobstat *st, int64_t job_id,
    int32_t attempt)
{
	char *dir = xasprintf("%s/%" PRId64, xs.dir, job_id);
	int64_t holder;
	int kind;

	kind = exec_slurm_work_claim_read(dir, attempt, &holder);
	free(dir);
	return kind == 2 || (kind == 1 && holder > 0 && holder != st->slurm_id);
}

/* scancel of one stray, st, left by attempt of job_id. */
static void
exec_slurm_poll_stray_cancel(const struct slurm_jobstat *st, int64_t job_id,
    int32_t attempt)
{
	char id[32], why[400], **argv;
	struct exec_slurm_cmd c;
	int rc;

	snprintf(id, sizeof(id), "%" PRId64, st->slurm_id);
	argv = slurm_argv_make("scancel", id, NULL);
	rc = exec_slurm_poll_look_run(argv, &c, why, sizeof(why));
	if (rc == 0)
		log_info("slurm: cancelled Slurm job %s, a stray of attempt %d "
		         "of job %" PRId64 " (that attempt runs elsewhere or "
		         "never)",
		    id, (int)attempt, job_id);
	else
		log_warn("slurm: scancel %s (a stray of job %" PRId64 "): %s",
		    id, job_id, why);
	exec_slurm_cmd_done(&c);
	slurm_argv_free(argv);
}

/* Cancels each stray in squeue's output (the worker, xs.mu not held). */
static void
exec_slurm_poll_strays_in(const char *out)
{
	struct slurm_jobstat st;
	const char *p = out;
	int64_t job_id;
	int32_t attempt;

	while (p != NULL && *p != '\0') {
		if (slurm_parse_squeue(p, &st) == 0 &&
		    slurm_parse_tag(st.tag, xs.host, &job_id, &attempt) &&
		    exec_slurm_poll_stray(&st, job_id, attempt))
			exec_slurm_poll_stray_cancel(&st, job_id, attempt);
		p = strchr(p, '\n');
		p = p != NULL ? p + 1 : NULL;
	}
}

/*
 * After a restart: a Slurm job from an sbatch that was under way when
 * gpuqd died waits in Slurm, though its attempt was rescinded (it would
 * exit at once when it starts).  Looks through the pending jobs for such
 * strays with gpuq's tag and cancels them.  Runs once, EXEC_SLURM_STRAYS_MS
 * after the last recover().
 */
void
exec_slurm_poll_strays(void)
{
	struct exec_slurm_cmd c;
	char why[400], **argv;
	int64_t due;
	int rc;

	pthread_mutex_lock(&xs.mu);
	due = xs.strays_at;
	if (due == 0 || clock_mono_ms() < due || exec_slurm_work_waiting()) {
		pthread_mutex_unlock(&xs.mu);
		return;
	}
	pthread_mutex_unlock(&xs.mu);
	argv = slurm_argv_make("squeue", "--noheader", "--states=PENDING",
	    "--noconvert", "--format", SLURM_PARSE_SQUEUE_FMT, NULL);
	rc = exec_slurm_poll_look_run(argv, &c, why, sizeof(why));
	if (rc == 0)
		exec_slurm_poll_strays_in(c.out.data ? c.out.data : "");
	else if (rc != GQ_ECONN)
		log_warn("slurm: squeue, looking for strays: %s", why);
	pthread_mutex_lock(&xs.mu);
	if (rc != GQ_ECONN && xs.strays_at == due)
		xs.strays_at = 0; /* else a recover() since asks for another */
	pthread_mutex_unlock(&xs.mu);
	exec_slurm_cmd_done(&c);
	slurm_argv_free(argv);
}
