/*
 * `gpuqd simulate`: the command line over the experiments.
 *
 *	gpuqd simulate fgd --trace-dir DIR [--workload NAME|all]
 *	    [--seeds 42-51] [--strategies fgd+,fgd,bestfit,random]
 *	    [--order shuffle|trace] [--coverage 0.95] [--with-mem] [--json]
 *	gpuqd simulate replay --trace-dir DIR [--policy NAME] [--seed N]
 *	    [--projects N] [--time-scale F] [--nodes SPEC] [--json]
 *	gpuqd simulate list
 *
 * docs/simulator.md is the manual.  Output goes to stdout, errors to
 * stderr; the exit status is 0, 1 (a run failed) or 2 (usage).
 */
#include <dirent.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sim/sim-main.h"

double
sim_main_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
sim_main_exists(const char *path)
{
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	fclose(f);
	return 1;
}

int
sim_main_path(char *out, size_t n, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, n, "%s/%s", dir, name) >= n)
		return GQ_ETOOBIG;
	return 0;
}

int
sim_main_seeds(const char *s, uint64_t *seeds, int max)
{
	unsigned long long a, b;
	char *end;
	int n = 0;

	a = strtoull(s, &end, 10);
	if (end != s && *end == '-') {
		b = strtoull(end + 1, &end, 10);
		if (*end != '\0' || b < a || b - a >= (unsigned long long)max)
			return -1;
		for (; a <= b; a++)
			seeds[n++] = a;
		return n;
	}
	for (;;) {
		a = strtoull(s, &end, 10);
		if (end == s || n == max || (*end != ',' && *end != '\0'))
			return -1;
		seeds[n++] = a;
		if (*end == '\0')
			return n;
		s = end + 1;
	}
}

void
sim_main_json(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));

	if (s != NULL)
		printf("%s\n", s);
	free(s);
	json_decref(v);
}

static void
sim_main_usage(FILE *f)
{
	fprintf(f,
	    "usage: gpuqd simulate fgd --trace-dir DIR [--workload NAME|all] "
	    "[--seeds 42-51]\n"
	    "           [--strategies LIST] [--order shuffle|trace] "
	    "[--coverage F] [--with-mem] [--json]\n"
	    "       gpuqd simulate replay --trace-dir DIR [--format "
	    "pai|philly] [--policy NAME]\n"
	    "           [--seed N] [--projects N] [--users N] "
	    "[--time-scale F] [--nodes SPEC]\n"
	    "           [--limit N] [--sample S] [--series] [--json]\n"
	    "       gpuqd simulate list\n"
	    "See docs/simulator.md.\n");
}

static int
sim_main_list(void)
{
	const struct place_strategy *ps;
	size_t i, n;

	ps = place_strategies(&n);
	printf("placement strategies (gpuqd simulate fgd --strategies):\n");
	for (i = 0; i < n; i++)
		printf("  %-8s %s\n", ps[i].name, ps[i].summary);
	printf("scheduling policies (gpuqd simulate replay --policy): "
	       "see sched.c; default %s\n",
	    sched_policy_default()->name);
	return 0;
}

/*
 * Policies copy the cluster (megabytes on a trace's 2,000 nodes) at every
 * plan; served by mmap, each copy costs page faults.  Keeping such blocks
 * in the heap makes a replay several times faster.
 */
static void
sim_main_malloc(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 512 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
}

int
sim_main(int argc, char **argv)
{
	sim_main_malloc();
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		sim_main_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "fgd") == 0)
		return sim_main_fgd(argc - 1, argv + 1);
	if (strcmp(argv[1], "replay") == 0)
		return sim_main_replay(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return sim_main_list();
	fprintf(stderr, "gpuqd simulate: unknown experiment \"%s\"\n", argv[1]);
	sim_main_usage(stderr);
	return 2;
}

int
sim_main_fail(const char *what, int rc, char *cause)
{
	fprintf(stderr, "gpuqd simulate: %s: %s\n", what,
	    cause != NULL ? cause : gq_err_text(rc));
	free(cause);
	return 1;
}

int
sim_main_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
sim_main_glob(const char *dir, const char *prefix, const char *suffix,
    char ***names, size_t *n)
{
	struct dirent *e;
	size_t len, pl = strlen(prefix), sl = strlen(suffix);
	DIR *d;

	*names = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return GQ_ENOENT;
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < pl + sl || strncmp(e->d_name, prefix, pl) != 0 ||
		    strcmp(e->d_name + len - sl, suffix) != 0)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof(**names));
		(*names)[(*n)++] = xstrndup(e->d_name, len - sl);
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), sim_main_strcmp);
	return 0;
}

void
sim_main_free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
