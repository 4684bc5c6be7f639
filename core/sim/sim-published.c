/*
 * The FGD artifact's published results (fgd-expected-results/
 * analysis_allo_discrete.csv): one row per workload, policy and seed, the
 * allocated % at each percent of demand in columns "0".."130".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/sim/sim-int.h"

int
sim_published_alloc(const char *csv, const char *workload, const char *policy,
    int pct, double *mean, int *nseeds)
{
	struct sim_csv c;
	char col[16], *cause = NULL, *end;
	int rc, w, p, k;
	double sum = 0, v;

	*nseeds = 0;
	*mean = 0;
	if (sim_csv_open(&c, csv, NULL, 0, NULL, &cause) < 0) {
		free(cause);
		return GQ_ENOENT;
	}
	snprintf(col, sizeof(col), "%d", pct);
	w = sim_csv_col(&c, "workload");
	p = sim_csv_col(&c, "sc_policy");
	k = sim_csv_col(&c, col);
	while (
	    w >= 0 && p >= 0 && k >= 0 && (rc = sim_csv_next(&c, &cause)) > 0) {
		if (strcmp(sim_csv_get(&c, w), workload) != 0 ||
		    strcmp(sim_csv_get(&c, p), policy) != 0)
			continue;
		v = strtod(sim_csv_get(&c, k), &end);
		if (end != sim_csv_get(&c, k)) {
			sum += v;
			(*nseeds)++;
		}
	}
	free(cause);
	sim_csv_close(&c);
	if (*nseeds == 0)
		return GQ_ENOENT;
	*mean = sum / *nseeds;
	return 0;
}
