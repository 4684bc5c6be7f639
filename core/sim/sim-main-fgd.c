/*
 * `gpuqd simulate fgd`: the FGD paper's experiment on the openb trace,
 * every strategy side by side, with the artifact's published means where
 * the results folder has them (docs/simulator.md, docs/placement.md).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sim/sim-main.h"

#define SIM_FGD_MAX_STRATEGIES 16
#define SIM_FGD_NODES          "openb_node_list_gpu_node.csv"
#define SIM_FGD_PUBLISHED      "fgd-expected-results/analysis_allo_discrete.csv"

struct sim_fgd_opts {
	const char *dir;
	const char *workload;
	uint64_t seeds[SIM_MAIN_MAX_SEEDS];
	int nseeds;
	const struct place_strategy *strat[SIM_FGD_MAX_STRATEGIES];
	int nstrat;
	int shuffle, with_mem, json;
	double coverage, tune;
	char csv[SIM_MAIN_MAX_PATH]; /* the folder of the CSVs */
	char pub[SIM_MAIN_MAX_PATH]; /* the published results, or "" */
};

/* One strategy's figures over the seeds. */
struct sim_fgd_row {
	const struct place_strategy *s;
	double mean[SIM_FGD_NPCT];
	double seconds;
	double pub[2]; /* at 100% and 130%, or NAN */
	double placed; /* tasks placed, mean */
};

/* The artifact's name of a strategy, or NULL. */
static const char *
sim_fgd_published_name(const char *strategy)
{
	if (strcmp(strategy, "fgd") == 0 || strcmp(strategy, "fgd-k8s") == 0)
		return "06-FGD";
	if (strcmp(strategy, "bestfit") == 0)
		return "05-BestFit";
	if (strcmp(strategy, "random") == 0)
		return "01-Random";
	return NULL;
}

/* Finds the CSV folder (DIR/csv or DIR) and the published results. */
static int
sim_fgd_dirs(struct sim_fgd_opts *o)
{
	char p[SIM_MAIN_MAX_PATH];

	if (sim_main_path(o->csv, sizeof(o->csv), o->dir, "csv") < 0 ||
	    sim_main_path(p, sizeof(p), o->csv, SIM_FGD_NODES) < 0)
		return GQ_ETOOBIG;
	if (sim_main_exists(p)) {
		if (sim_main_path(o->pub, sizeof(o->pub), o->dir,
		        SIM_FGD_PUBLISHED) < 0)
			return GQ_ETOOBIG;
	} else {
		snprintf(o->csv, sizeof(o->csv), "%s", o->dir);
		if (sim_main_path(p, sizeof(p), o->dir, SIM_FGD_NODES) < 0 ||
		    !sim_main_exists(p))
			return GQ_ENOENT;
		snprintf(o->pub, sizeof(o->pub), "%s/../%s", o->dir,
		    SIM_FGD_PUBLISHED);
	}
	if (!sim_main_exists(o->pub))
		o->pub[0] = '\0';
	return 0;
}

static int
sim_fgd_strategies(struct sim_fgd_opts *o, const char *list)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	int rc = 0;

	o->nstrat = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->nstrat == SIM_FGD_MAX_STRATEGIES ||
		    (o->strat[o->nstrat] = place_strategy_find(tok)) == NULL) {
			fprintf(stderr,
			    "gpuqd simulate: no strategy \"%s\" "
			    "(gpuqd simulate list)\n",
			    tok);
			rc = GQ_EINVAL;
			break;
		}
		o->nstrat++;
	}
	free(copy);
	return rc == 0 && o->nstrat == 0 ? GQ_EINVAL : rc;
}

static int
sim_fgd_option(struct sim_fgd_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'd':
		o->dir = arg;
		return 0;
	case 'w':
		o->workload = arg;
		return 0;
	case 's':
		o->nseeds = sim_main_seeds(arg, o->seeds, SIM_MAIN_MAX_SEEDS);
		return o->nseeds > 0 ? 0 : GQ_EINVAL;
	case 'S':
		return sim_fgd_strategies(o, arg);
	case 'o':
		o->shuffle = strcmp(arg, "shuffle") == 0;
		return o->shuffle || strcmp(arg, "trace") == 0 ? 0 : GQ_EINVAL;
	case 'c':
		o->coverage = strtod(arg, NULL);
		return o->coverage > 0 && o->coverage <= 1 ? 0 : GQ_EINVAL;
	case 't':
		o->tune = strtod(arg, NULL);
		return o->tune > 0 && o->tune <= 1.3 ? 0 : GQ_EINVAL;
	case 'm':
		o->with_mem = 1;
		return 0;
	case 'j':
		o->json = 1;
		return 0;
	}
	return GQ_EINVAL;
}

static int
sim_fgd_args(struct sim_fgd_opts *o, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "trace-dir", required_argument, NULL, 'd' },
		{ "workload", required_argument, NULL, 'w' },
		{ "seeds", required_argument, NULL, 's' },
		{ "strategies", required_argument, NULL, 'S' },
		{ "order", required_argument, NULL, 'o' },
		{ "coverage", required_argument, NULL, 'c' },
		{ "tune", required_argument, NULL, 't' },
		{ "with-mem", no_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->workload = "openb_pod_list_default";
	o->nseeds = sim_main_seeds("42-51", o->seeds, SIM_MAIN_MAX_SEEDS);
	o->shuffle = 1;
	o->coverage = 0.95;
	o->tune = 1.3;
	sim_fgd_strategies(o, "fgd+,fgd-k8s,fgd,bestfit,random");
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1)
		if (ch == '?' || sim_fgd_option(o, ch, optarg) < 0) {
			fprintf(stderr, "gpuqd simulate fgd: bad option\n");
			return GQ_EINVAL;
		}
	if (o->dir == NULL || optind != argc) {
		fprintf(stderr,
		    "gpuqd simulate fgd: --trace-dir DIR is "
		    "needed (../shared/traces/alibaba-gpu-v2023)\n");
		return GQ_EINVAL;
	}
	return 0;
}

/* Runs one strategy over the seeds. */
static void
sim_fgd_row(const struct sim_fgd_opts *o, const struct cluster *c,
    const struct sim_tasks *t, const struct place_mix *mix,
    struct sim_fgd_row *row)
{
	struct sim_fgd_cfg cfg = { row->s, mix, 0, o->shuffle, o->tune };
	struct sim_fgd_curve cv;
	double t0 = sim_main_now(), v;
	int i, p;

	for (i = 0; i < o->nseeds; i++) {
		cfg.seed = o->seeds[i];
		sim_fgd_run(c, t, &cfg, &cv);
		for (p = 0; p < SIM_FGD_NPCT; p++) {
			v = sim_fgd_at(&cv, p);
			row->mean[p] += (isnan(v) ? 0 : v) / o->nseeds;
		}
		row->placed += (double)cv.nplaced / o->nseeds;
	}
	row->seconds = sim_main_now() - t0;
}

static void
sim_fgd_published(const struct sim_fgd_opts *o, const char *workload,
    struct sim_fgd_row *row)
{
	const char *name = sim_fgd_published_name(row->s->name);
	int n, k, pct[2] = { 100, 130 };

	for (k = 0; k < 2; k++)
		if (name == NULL || o->pub[0] == '\0' ||
		    sim_published_alloc(o->pub, workload, name, pct[k],
		        &row->pub[k], &n) < 0)
			row->pub[k] = (double)NAN;
}

static void
sim_fgd_print_pub(const struct sim_fgd_row *rows, int n, int k,
    const char *label)
{
	int i;

	printf("%6s ", label);
	for (i = 0; i < n; i++) {
		if (isnan(rows[i].pub[k]))
			printf(" %8s", "-");
		else
			printf(" %8.2f", rows[i].pub[k]);
	}
	printf("\n");
}

static void
sim_fgd_text(const struct sim_fgd_opts *o, const struct sim_fgd_row *rows,
    const char *head)
{
	int i, p, pub = 0;

	printf("%s\nGPUs allocated (%%), mean over %d seed%s, by GPU demand "
	       "(%% of capacity):\ndemand ",
	    head, o->nseeds, o->nseeds == 1 ? "" : "s");
	for (i = 0; i < o->nstrat; i++)
		printf(" %8s", rows[i].s->name);
	printf("\n");
	for (p = 10; p < SIM_FGD_NPCT; p += 10) {
		printf("%5d%% ", p);
		for (i = 0; i < o->nstrat; i++)
			printf(" %8.2f", rows[i].mean[p]);
		printf("\n");
	}
	for (i = 0; i < o->nstrat; i++)
		pub |= !isnan(rows[i].pub[0]) || !isnan(rows[i].pub[1]);
	if (pub) {
		printf("published (FGD artifact, mean of its 10 seeds):\n");
		sim_fgd_print_pub(rows, o->nstrat, 0, "100%");
		sim_fgd_print_pub(rows, o->nstrat, 1, "130%");
	}
	printf("%6s ", "secs");
	for (i = 0; i < o->nstrat; i++)
		printf(" %8.1f", rows[i].seconds);
	printf("\n\n");
}

static json_t *
sim_fgd_num(double v)
{
	return isnan(v) ? json_null() : json_real(round(v * 100) / 100);
}

static json_t *
sim_fgd_row_json(const struct sim_fgd_row *row)
{
	json_t *curve = json_object(), *o;
	char key[16];
	int p;

	for (p = 0; p < SIM_FGD_NPCT; p += 10) {
		snprintf(key, sizeof(key), "%d", p);
		json_object_set_new(curve, key, sim_fgd_num(row->mean[p]));
	}
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:f, s:f}", "name",
	    row->s->name, "alloc_at_100", sim_fgd_num(row->mean[100]),
	    "alloc_at_130", sim_fgd_num(row->mean[130]), "published_at_100",
	    sim_fgd_num(row->pub[0]), "published_at_130",
	    sim_fgd_num(row->pub[1]), "curve", curve, "tasks_placed",
	    round(row->placed), "seconds", round(row->seconds * 100) / 100);
	return o;
}

static json_t *
sim_fgd_json(const struct sim_fgd_opts *o, const struct sim_fgd_row *rows,
    const char *workload, const struct cluster *c, size_t ntasks, size_t nkinds)
{
	json_t *seeds = json_array(), *strat = json_array();
	int64_t gpus = 0;
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		gpus += c->nodes[i].ngpus;
	for (i = 0; i < (size_t)o->nseeds; i++)
		json_array_append_new(seeds,
		    json_integer((json_int_t)o->seeds[i]));
	for (i = 0; i < (size_t)o->nstrat; i++)
		json_array_append_new(strat, sim_fgd_row_json(&rows[i]));
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:s, s:f, "
	                 "s:b, s:o, s:o, s:o}",
	    "experiment", "fgd", "workload", workload, "nodes",
	    (json_int_t)c->nnodes, "gpus", (json_int_t)gpus, "tasks",
	    (json_int_t)ntasks, "mix_kinds", (json_int_t)nkinds, "seeds", seeds,
	    "order", o->shuffle ? "shuffle" : "trace", "coverage", o->coverage,
	    "with_mem", o->with_mem, "strategies", strat, "alloc_at_100",
	    sim_fgd_num(rows[0].mean[100]), "alloc_at_130",
	    sim_fgd_num(rows[0].mean[130]));
}

/* Reads one workload and runs every strategy on it. */
static int
sim_fgd_workload(const struct sim_fgd_opts *o, const struct cluster *c,
    const char *workload, json_t *out)
{
	struct sim_fgd_row rows[SIM_FGD_MAX_STRATEGIES];
	char path[SIM_MAIN_MAX_PATH], head[512], *cause = NULL;
	struct sim_tasks t;
	struct place_mix mix;
	int i, rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.csv", o->csv,
	        workload) >= sizeof(path))
		return sim_main_fail(workload, GQ_ETOOBIG, NULL);
	sim_tasks_init(&t);
	if ((rc = sim_trace_openb_tasks(path, &t, &cause)) < 0) {
		sim_tasks_done(&t);
		return sim_main_fail("reading tasks", rc, cause);
	}
	sim_fgd_mix(&t, o->coverage, o->with_mem, &mix);
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < o->nstrat; i++) {
		rows[i].s = o->strat[i];
		sim_fgd_row(o, c, &t, &mix, &rows[i]);
		sim_fgd_published(o, workload, &rows[i]);
	}
	snprintf(head, sizeof(head),
	    "%s: %zu nodes, %zu tasks, %zu kinds in "
	    "the mix, %s",
	    workload, c->nnodes, t.n, mix.ntypes,
	    o->shuffle ? "shuffled" : "in trace order");
	if (o->json)
		json_array_append_new(out,
		    sim_fgd_json(o, rows, workload, c, t.n, mix.ntypes));
	else
		sim_fgd_text(o, rows, head);
	place_mix_done(&mix);
	sim_tasks_done(&t);
	return 0;
}

static int
sim_fgd_all(const struct sim_fgd_opts *o, const struct cluster *c, json_t *out)
{
	char **names;
	size_t i, n;
	int rc = 0;

	if (strcmp(o->workload, "all") != 0)
		return sim_fgd_workload(o, c, o->workload, out);
	if (sim_main_glob(o->csv, "openb_pod_list_", ".csv", &names, &n) < 0)
		return sim_main_fail(o->csv, GQ_ENOENT, NULL);
	for (i = 0; i < n && rc == 0; i++)
		rc = sim_fgd_workload(o, c, names[i], out);
	sim_main_free_names(names, n);
	return rc;
}

int
sim_main_fgd(int argc, char **argv)
{
	struct sim_fgd_opts *o = xcalloc(1, sizeof(*o));
	char path[SIM_MAIN_MAX_PATH], *cause = NULL;
	json_t *out = json_array();
	struct cluster c;
	int rc;

	cluster_init(&c);
	if ((rc = sim_fgd_args(o, argc, argv)) < 0)
		rc = 2;
	else if (sim_fgd_dirs(o) < 0)
		rc = sim_main_fail(o->dir, GQ_ENOENT,
		    xasprintf("%s: no %s here or in csv/", o->dir,
		        SIM_FGD_NODES));
	else if (snprintf(path, sizeof(path), "%s/%s", o->csv, SIM_FGD_NODES) >
	        0 &&
	    (rc = sim_trace_openb_nodes(path, &c, &cause)) < 0)
		rc = sim_main_fail("reading nodes", rc, cause);
	else
		rc = sim_fgd_all(o, &c, out);
	if (rc == 0 && o->json)
		sim_main_json(json_array_size(out) == 1 ?
		        json_incref(json_array_get(out, 0)) :
		        json_pack("{s:s, s:O}", "experiment", "fgd",
		            "workloads", out));
	json_decref(out);
	cluster_done(&c);
	free(o);
	return rc;
}
