/*
 * Statistics over a run: distributions (mean, nearest-rank percentiles)
 * and Jain's fairness index.  Pure.
 */
#include <math.h>
#include <stdlib.h>

#include "core/sim/sim.h"

static int
sim_stats_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* The nearest-rank percentile p (0..100) of sorted v. */
static double
sim_stats_rank(const double *v, size_t n, double p)
{
	size_t k = (size_t)ceil(p / 100.0 * (double)n);

	if (k < 1)
		k = 1;
	return v[k > n ? n - 1 : k - 1];
}

void
sim_stats_dist(double *v, size_t n, struct sim_dist *out)
{
	double sum = 0;
	size_t i;

	out->mean = out->p50 = out->p99 = out->max = 0;
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), sim_stats_cmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	out->mean = sum / (double)n;
	out->p50 = sim_stats_rank(v, n, 50);
	out->p99 = sim_stats_rank(v, n, 99);
	out->max = v[n - 1];
}

double
sim_stats_jain(const double *x, size_t n)
{
	double sum = 0, sq = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		sum += x[i];
		sq += x[i] * x[i];
	}
	if (n == 0 || sq <= 0)
		return 1;
	return sum * sum / ((double)n * sq);
}
