/*
 * The sweep engine's insides, shared by its files only.
 *
 * Both file formats load into one tree of nodes that remember their line,
 * so one validator (sweep-parse.c) reads both and names lines in errors.
 */
#ifndef GPUQ_SWEEP_INT_H
#define GPUQ_SWEEP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/buf.h"
#include "core/sweep/sweep.h"

enum snode_kind {
	SNODE_MAP,
	SNODE_SEQ,
	SNODE_STR,
	SNODE_INT,
	SNODE_FLOAT,
	SNODE_BOOL,
	SNODE_NULL,
};

struct snode {
	enum snode_kind kind;
	int line;
	char *s;   /* STR: owned text */
	int64_t i; /* INT */
	double f;  /* FLOAT */
	int b;     /* BOOL */
	/* MAP and SEQ: n children; MAP: keys[i] names kids[i] (owned). */
	struct snode **kids;
	char **keys;
	int *keylines;
	size_t n, cap;
};

/* A loader's state: the limits it enforces and its error list. */
struct sload {
	const char *name; /* the file name for messages */
	size_t nodes;     /* nodes made so far */
	struct buf *errs;
	int nerrs;
};

struct snode *snode_new(struct sload *ld, enum snode_kind kind, int line);
void snode_free(struct snode *n);
/* Appends to a MAP (key owned by the map, copied) or a SEQ (key NULL). */
void snode_add(struct snode *parent, const char *key, int keyline,
    struct snode *kid);
/* A MAP's child named key, or NULL. */
struct snode *snode_get(const struct snode *map, const char *key);
const char *snode_kind_name(enum snode_kind k);
/* 1 when n is an INT, or a FLOAT; *d gets its value. */
int snode_number(const struct snode *n, double *d);

/* Adds "NAME:LINE: KEY: why" to the loader's errors; returns GQ_EINVAL. */
int sload_error(struct sload *ld, int line, const char *key, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

/* Loaders: return the root (a new tree) or NULL with an error added. */
struct snode *sweep_yaml_load(struct sload *ld, const char *text, size_t len);
struct snode *sweep_json_load(struct sload *ld, const char *text, size_t len);
/* Resolves a plain YAML scalar to a typed node (int, float, bool, null). */
void sweep_yaml_resolve(struct snode *n, const char *text);

/* The validator: fills s from the tree; errors go to ld. */
int sweep_parse_tree(struct sload *ld, const struct snode *root,
    struct sweep_spec *s);
int sweep_parse_params(struct sload *ld, const struct snode *map,
    struct sweep_spec *s);
int sweep_parse_early(struct sload *ld, const struct snode *n,
    struct sweep_spec *s);
int sweep_parse_command(struct sload *ld, const struct snode *n,
    struct sweep_spec *s);
/*
 * Typed readers for the validator: each adds an error naming path and the
 * node's line and returns GQ_EINVAL when n is not what is wanted.
 */
int sweep_read_str(struct sload *ld, const struct snode *n, const char *path,
    char **out);
int sweep_read_int(struct sload *ld, const struct snode *n, const char *path,
    int64_t min, int64_t max, int64_t *out);
int sweep_read_num(struct sload *ld, const struct snode *n, const char *path,
    double *out);
/*
 * Checks a mapping's keys: unknown ones are errors (with a "did you
 * mean"), those in ignored[] (may be NULL) become warnings in s.
 */
int sweep_read_keys(struct sload *ld, const struct snode *map, const char *path,
    const char *const *known, const char *const *ignored, struct sweep_spec *s);
void sweep_warn(struct sweep_spec *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A node as a sweep value (scalars only); GQ_EINVAL for maps and lists. */
int sweep_value_from_node(const struct snode *n, struct sweep_value *v);

/* The closest of names[] to word (edit distance <= 2), or NULL. */
const char *sweep_did_you_mean(const char *word, const char *const *names);

/* Distributions (sweep-dist.c). */
int sweep_dist_parse(const char *name, enum sweep_dist *d);
int sweep_dist_is_int(enum sweep_dist d); /* draws whole numbers */
/* The value of number x for parameter p (an integer on a whole grid). */
void sweep_dist_value(const struct sweep_param *p, double x,
    struct sweep_value *out);
/* Rounds x to a multiple of q (q > 0). */
double sweep_dist_round_q(double x, double q);
/* Rounds to q's grid and pulls the result back inside [lo, hi]. */
double sweep_dist_quantize(double x, double q, double lo, double hi);

/* Strategies, one file each, listed in sweep.c. */
int sweep_grid_next(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, struct sweep_point *out);
int sweep_random_next(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, struct sweep_point *out);
int sweep_bayes_next(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, struct sweep_point *out);

/* 1 when p has a finite list of grid values. */
int sweep_grid_param_ok(const struct sweep_param *p);
/* A point of independent draws (random search, TPE's start-up). */
void sweep_random_point(const struct sweep_spec *s, struct sweep_rng *r,
    struct sweep_point *out);

/* Early-termination rules, one file each, listed in sweep.c. */
struct sweep_stopper {
	enum sweep_early_type type;
	const char *name;
	int (*judge)(const struct sweep_spec *s, const struct sweep_trial *t,
	    size_t ntrials, size_t i, struct sweep_decision *d);
};

int sweep_hyperband_judge(const struct sweep_spec *s,
    const struct sweep_trial *t, size_t ntrials, size_t i,
    struct sweep_decision *d);
int sweep_median_judge(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, size_t i, struct sweep_decision *d);

/*
 * A trial's best value of the metric (by goal) over reports with step <=
 * upto; 0 when it has none.  *at gets the step where it was seen.
 */
int sweep_curve_best(const struct sweep_spec *s, const struct sweep_trial *t,
    int64_t upto, double *best);
/* 1 when a is better than b for the sweep's goal. */
int sweep_better(const struct sweep_spec *s, double a, double b);

#endif
