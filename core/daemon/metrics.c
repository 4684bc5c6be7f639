/*
 * Reading what trials report, on the daemon's tick (as follow.c follows
 * logs): the new bytes of each trial's GPUQ_METRICS_FILE and of its stdout
 * log (lines that start with "@gpuq "), parsed by the engine.
 *
 * Bounded whatever a trial writes: at most SWEEPD_READ_CHUNK bytes of a
 * stream and SWEEPD_READ_TICK in all per tick; a trial more than
 * SWEEPD_BACKLOG_MAX ahead of the reader is skipped forward (the lines
 * skipped are counted as dropped, estimated); at most SWEEPD_CURVE_MAX
 * reports a trial in memory and SWEEPD_POINTS_MAX stored, both thinned
 * evenly.  Offsets are stored with the points they produced, so a restart
 * neither loses nor repeats a point.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/sweepd.h"

#define METRICS_PENDING 256 /* points buffered before a store write */

/* One trial's reading in this tick. */
struct metrics_read {
	struct daemon *d;
	struct sweep *sw;
	struct strial *tr;
	struct store_point pend[METRICS_PENDING];
	size_t npend;
	int got; /* lines with metrics */
};

char *
metrics_path(struct daemon *d, int64_t job_id)
{
	char *log = d->exec->log_path(&d->xctx, job_id, "stdout"), *slash, *p;

	if (log == NULL || (slash = strrchr(log, '/')) == NULL) {
		free(log);
		return xasprintf("%s/jobs/%lld/metrics.jsonl", d->cfg.state_dir,
		    (long long)job_id);
	}
	*slash = '\0';
	p = xasprintf("%s/metrics.jsonl", log);
	free(log);
	return p;
}

/* Indices of a curve to keep when thinning: even ones, best per rung. */
static void
metrics_curve_marks(const struct sweep *sw, const struct strial *tr, char *keep)
{
	int64_t rungs[64];
	size_t nr = 0, r, i, b;

	for (i = 0; i < tr->ncurve; i++)
		keep[i] = i % 2 == 0 || i + 1 == tr->ncurve;
	if (sw->spec->early.type == SWEEP_ET_HYPERBAND)
		nr = sweep_hyperband_rungs(&sw->spec->early, rungs, 64);
	/* The best report up to each rung, and overall: what rungs read. */
	for (r = 0; r <= nr; r++) {
		b = (size_t)-1;
		for (i = 0; i < tr->ncurve; i++) {
			if (r < nr && tr->curve[i].step > rungs[r])
				break;
			if (b == (size_t)-1 ||
			    sweepd_better(sw, tr->curve[i].value,
			        tr->curve[b].value))
				b = i;
		}
		if (b != (size_t)-1)
			keep[b] = 1;
	}
}

static void
metrics_curve_thin(const struct sweep *sw, struct strial *tr)
{
	char *keep = xcalloc(tr->ncurve, 1);
	size_t i, n = 0;

	metrics_curve_marks(sw, tr, keep);
	for (i = 0; i < tr->ncurve; i++)
		if (keep[i])
			tr->curve[n++] = tr->curve[i];
	tr->ncurve = n;
	free(keep);
}

void
sweepd_curve_add(const struct sweep *sw, struct strial *tr, int64_t step,
    double value)
{
	struct sweep_obs *last;

	if (tr->curve == NULL)
		tr->curve =
		    xreallocarray(NULL, SWEEPD_CURVE_MAX, sizeof(*tr->curve));
	last = tr->ncurve > 0 ? &tr->curve[tr->ncurve - 1] : NULL;
	if (last != NULL && step < last->step)
		return; /* the engine reads curves in step order */
	if (last != NULL && step == last->step) {
		last->value = value;
		return;
	}
	if (tr->ncurve == SWEEPD_CURVE_MAX)
		metrics_curve_thin(sw, tr);
	if (tr->ncurve == SWEEPD_CURVE_MAX)
		return;
	tr->curve[tr->ncurve].step = step;
	tr->curve[tr->ncurve].value = value;
	tr->ncurve++;
}

static void
metrics_flush(struct metrics_read *mr)
{
	store_begin(mr->d->store);
	store_point_add(mr->d->store, mr->sw->rec.id, mr->tr->rec.trial,
	    mr->pend, mr->npend);
	mr->npend = 0;
}

/* Records one value of the sweep's metric: every stride-th is stored. */
static void
metrics_point(struct metrics_read *mr, int64_t step, double value)
{
	struct store_trial *r = &mr->tr->rec;

	if (r->stride < 1)
		r->stride = 1;
	if (r->seq % r->stride == 0) {
		if (mr->npend == METRICS_PENDING)
			metrics_flush(mr);
		mr->pend[mr->npend].seq = r->seq;
		mr->pend[mr->npend].step = step;
		mr->pend[mr->npend].value = value;
		mr->npend++;
		r->npoints++;
	}
	if (r->npoints >= SWEEPD_POINTS_MAX) {
		metrics_flush(mr);
		r->stride *= 2;
		store_point_thin(mr->d->store, r->sweep_id, r->trial,
		    r->stride);
		r->npoints = r->seq / r->stride + 1;
	}
	r->seq++;
}

static void
metrics_remember(struct strial *tr, const struct sweep_metrics *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (json_object_get(tr->metrics, m->kv[i].key) != NULL ||
		    json_object_size(tr->metrics) < SWEEPD_MAX_KEYS)
			json_object_set_new(tr->metrics, m->kv[i].key,
			    json_real(m->kv[i].value));
}

static void
metrics_apply(struct metrics_read *mr, const struct sweep_metrics *m)
{
	struct store_trial *r = &mr->tr->rec;
	const double *v = NULL;
	int64_t step;

	/* A line without a step is the next step (a trial's INT64_MAX too). */
	if (m->has_step)
		step = m->step;
	else if (r->has_step)
		step = r->step < INT64_MAX ? r->step + 1 : r->step;
	else
		step = 0;
	r->step = step;
	r->has_step = 1;
	metrics_remember(mr->tr, m);
	mr->got++;
	if (mr->sw->spec->metric == NULL ||
	    (v = sweep_metrics_find(m, mr->sw->spec->metric)) == NULL)
		return;
	r->last = *v;
	r->has_last = 1;
	if (!r->has_best || sweepd_better(mr->sw, *v, r->best))
		r->best = *v;
	r->has_best = 1;
	sweepd_curve_add(mr->sw, mr->tr, step, *v);
	metrics_point(mr, step, *v);
}

static void
metrics_line(struct metrics_read *mr, const char *line, size_t len, int out)
{
	static struct sweep_metrics m;
	const char *why;
	int rc;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (out)
		rc = sweep_metric_parse_stdout(line, len, &m, &why);
	else if (len == 0)
		return;
	else
		rc = sweep_metric_parse(line, len, &m, &why) == 0 ? 1 : -1;
	if (rc < 0)
		mr->tr->rec.dropped++;
	else if (rc > 0)
		metrics_apply(mr, &m);
}

/* The lines of buf[0..n): the rest of an overlong one, whole ones. */
static size_t
metrics_lines(struct metrics_read *mr, const char *buf, size_t n, int last,
    int out, int *skip)
{
	const char *p = buf, *end = buf + n, *nl;

	if (*skip) {
		if ((nl = memchr(p, '\n', n)) == NULL)
			return n;
		p = nl + 1;
		*skip = 0;
	}
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		metrics_line(mr, p, (size_t)(nl - p), out);
		p = nl + 1;
	}
	if (p == buf && n == SWEEPD_READ_CHUNK) {
		/* A whole chunk and no line end: far over any line limit. */
		mr->tr->rec.dropped++;
		*skip = 1;
		return n;
	}
	if (last && p < end) {
		metrics_line(mr, p, (size_t)(end - p), out);
		p = end;
	}
	return (size_t)(p - buf);
}

/*
 * A trial far ahead of the reader: jumps to the last chunk and counts the
 * lines jumped over, estimated from the chunk's line length.
 */
static int64_t
metrics_skip(struct strial *tr, int fd, int64_t off, int64_t size, int *skip)
{
	static char probe[4096];
	int64_t to = size - SWEEPD_READ_CHUNK, lines = 0;
	ssize_t n = pread(fd, probe, sizeof(probe), to);
	ssize_t i;

	for (i = 0; i < n; i++)
		lines += probe[i] == '\n';
	tr->rec.dropped += n > 0 ? (to - off) * (lines + 1) / n : 1;
	*skip = 1;
	return to;
}

/*
 * Reads one stream's new bytes from *off.  *eof when nothing is left to
 * read; *budget shrinks by what was read.
 */
static void
metrics_stream(struct metrics_read *mr, const char *path, int out, int final,
    int64_t *off, size_t *budget, int *eof)
{
	static char buf[SWEEPD_READ_CHUNK];
	int *skip = out ? &mr->tr->skip_stdout : &mr->tr->skip_metrics;
	struct stat st;
	size_t want;
	ssize_t n;
	int fd;

	*eof = 1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	if (st.st_size < *off) /* rewritten from the start */
		*off = 0;
	if (st.st_size - *off > SWEEPD_BACKLOG_MAX)
		*off = metrics_skip(mr->tr, fd, *off, st.st_size, skip);
	want = (size_t)(st.st_size - *off);
	want = want < sizeof(buf) ? want : sizeof(buf);
	want = want < *budget ? want : *budget;
	n = want > 0 ? pread(fd, buf, want, *off) : 0;
	close(fd);
	if (n == 0) /* no budget left is not the end of the stream */
		*eof = *off >= st.st_size;
	if (n <= 0)
		return;
	*budget -= (size_t)n;
	*off += (int64_t)metrics_lines(mr, buf, (size_t)n,
	    final && *off + n >= st.st_size, out, skip);
	*eof = *off >= st.st_size;
}

/* Reads a trial's two streams: METRICS_NEW, METRICS_DRAINED or 0. */
static int
metrics_trial(struct daemon *d, struct sweep *sw, struct strial *tr,
    size_t *budget)
{
	struct metrics_read *mr = xcalloc(1, sizeof(*mr));
	const struct job *j = jobs_find(d, tr->rec.job_id);
	int final, eof1 = 1, eof2 = 1, got;
	int64_t off1, off2;
	char *path;

	final = j == NULL || model_state_final(j->core.state);
	mr->d = d;
	mr->sw = sw;
	mr->tr = tr;
	off1 = tr->rec.metrics_off;
	off2 = tr->rec.stdout_off;
	if (j != NULL && j->start_time > 0) {
		path = metrics_path(d, tr->rec.job_id);
		metrics_stream(mr, path, 0, final, &off1, budget, &eof1);
		free(path);
		path = d->exec->log_path(&d->xctx, tr->rec.job_id, "stdout");
		if (path != NULL)
			metrics_stream(mr, path, 1, final, &off2, budget,
			    &eof2);
		free(path);
	}
	metrics_flush(mr);
	got = mr->got > 0;
	if (got || off1 != tr->rec.metrics_off || off2 != tr->rec.stdout_off) {
		tr->rec.metrics_off = off1;
		tr->rec.stdout_off = off2;
		sweepd_trial_save(d, tr);
	}
	tr->drained = final && eof1 && eof2;
	if (got)
		sweepd_emit_trial(d, sw, tr);
	free(mr);
	return (got ? METRICS_NEW : 0) | (tr->drained ? METRICS_DRAINED : 0);
}

/* A sweep's trials that may still have something to read. */
static int
metrics_sweep(struct daemon *d, struct sweep *sw, size_t *budget)
{
	const struct job *j;
	struct strial *tr;
	size_t i;
	int got = 0, rc;

	for (i = sw->first_live; i < sw->ntrials; i++) {
		if (*budget == 0)
			break;
		tr = sw->trials[i];
		j = jobs_find(d, tr->rec.job_id);
		if (tr->drained || j == NULL || j->core.state == JOB_PENDING)
			continue;
		rc = metrics_trial(d, sw, tr, budget);
		sw->judged |= (rc & METRICS_NEW) != 0;
		got |= rc;
	}
	return got;
}

int
metrics_tick(struct daemon *d, int64_t now)
{
	struct sweepd *sd = d->sweepd;
	size_t budget = SWEEPD_READ_TICK, k, n = sd->n;
	int got = 0;

	(void)now;
	for (k = 0; k < n && budget > 0; k++)
		got |= metrics_sweep(d, sd->sweeps[(sd->rr + k) % n], &budget);
	sd->rr = n > 0 ? (sd->rr + 1) % n : 0;
	return got;
}
