/*
 * Sweeps: the pure engine behind `gpuq sweep` (issue #7).
 *
 * A sweep file (YAML or JSON) uses the keys of W&B sweep configurations
 * plus a few of gpuq's own; docs/man/gpuq-sweep.5 is the reference.  This
 * library parses and validates it into a struct sweep_spec, proposes the
 * parameters of the next trial (grid, random, bayes: one file each, listed
 * in one table in sweep.c), decides early termination (hyperband, median),
 * parses the metric lines trials write, builds a trial's argv, and
 * serializes specs and parameter points to JSON for the store.
 *
 * Everything here is pure: no clock, no I/O, no randomness of its own.
 * Randomness comes in as a struct sweep_rng the caller seeds; the daemon
 * should derive each trial's generator with sweep_rng_for_trial() so a
 * restarted daemon proposes the same trial again.
 *
 * Errors: functions return 0 (or a count) or a negative GQ_E* code
 * (core/base/error.h).  A human reason goes into an optional char **cause
 * (a new string the caller frees) or a const char **why (static text).
 */
#ifndef GPUQ_SWEEP_H
#define GPUQ_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* Limits: every one of them has a test that hits it. */
#define SWEEP_MAX_FILE            (1024 * 1024) /* bytes of a sweep file */
#define SWEEP_MAX_DEPTH           32            /* nesting of maps and lists */
#define SWEEP_MAX_NODES           100000        /* scalars, maps and lists */
#define SWEEP_MAX_PARAMS          256     /* parameters after flattening */
#define SWEEP_MAX_VALUES          10000   /* values of one parameter */
#define SWEEP_MAX_STRING          4096    /* bytes of one scalar */
#define SWEEP_MAX_NAME            128     /* bytes of a (dotted) name */
#define SWEEP_MAX_ARGV            1024    /* elements of a trial's argv */
#define SWEEP_MAX_TRIALS          1000000 /* trials, and grid points */
#define SWEEP_MAX_PARALLEL        1024
#define SWEEP_MAX_ERRORS          20    /* errors reported per file */
#define SWEEP_METRIC_LINE_MAX     4096  /* bytes of one metric line */
#define SWEEP_METRIC_MAX_KEYS     64    /* metrics in one line */
#define SWEEP_METRIC_KEY_MAX      64    /* bytes of a metric name, with NUL */
#define SWEEP_DRYRUN_MAX_LIST     10000 /* trials a dry run lists */
#define SWEEP_DEFAULT_INTERPRETER "python3"

enum sweep_format {
	SWEEP_AUTO, /* JSON when the first non-blank byte is '{' */
	SWEEP_YAML,
	SWEEP_JSON,
};

enum sweep_method { SWEEP_GRID, SWEEP_RANDOM, SWEEP_BAYES, SWEEP_NMETHODS };

enum sweep_goal { SWEEP_MINIMIZE, SWEEP_MAXIMIZE };

/*
 * Parameter distributions, named as W&B names them.  log_uniform takes
 * natural-log exponents as min and max; the *_values variants take the
 * values themselves.  q_* round to a multiple of q.  beta uses a and b.
 */
#define SWEEP_DISTS(X)                                                         \
	X(CONSTANT, "constant")                                                \
	X(CATEGORICAL, "categorical")                                          \
	X(INT_UNIFORM, "int_uniform")                                          \
	X(UNIFORM, "uniform")                                                  \
	X(Q_UNIFORM, "q_uniform")                                              \
	X(LOG_UNIFORM, "log_uniform")                                          \
	X(LOG_UNIFORM_VALUES, "log_uniform_values")                            \
	X(Q_LOG_UNIFORM, "q_log_uniform")                                      \
	X(Q_LOG_UNIFORM_VALUES, "q_log_uniform_values")                        \
	X(INV_LOG_UNIFORM, "inv_log_uniform")                                  \
	X(INV_LOG_UNIFORM_VALUES, "inv_log_uniform_values")                    \
	X(NORMAL, "normal")                                                    \
	X(Q_NORMAL, "q_normal")                                                \
	X(LOG_NORMAL, "log_normal")                                            \
	X(Q_LOG_NORMAL, "q_log_normal")                                        \
	X(BETA, "beta")                                                        \
	X(Q_BETA, "q_beta")

enum sweep_dist {
#define SWEEP_DIST_ENUM(e, s) SWEEP_D_##e,
	SWEEP_DISTS(SWEEP_DIST_ENUM)
#undef SWEEP_DIST_ENUM
	    SWEEP_NDISTS
};

/* One parameter value: what a categorical lists, what a trial gets. */
enum sweep_vtype {
	SWEEP_V_NULL,
	SWEEP_V_BOOL,
	SWEEP_V_INT,
	SWEEP_V_FLOAT,
	SWEEP_V_STR,
};

struct sweep_value {
	enum sweep_vtype type;
	int b;     /* BOOL */
	int64_t i; /* INT */
	double f;  /* FLOAT */
	char *s;   /* STR: owned */
};

struct sweep_param {
	char *name; /* owned; nested parameters are dotted: "opt.lr" */
	enum sweep_dist dist;
	/* Owned: a categorical's list, a constant's one value. */
	struct sweep_value *values;
	size_t nvalues;
	double min, max;  /* uniform family, int_uniform (whole numbers) */
	double mu, sigma; /* normal family; defaults 0 and 1 */
	double q;         /* q_* variants; default 1 */
	double a, b;      /* beta; defaults 1 and 1 */
	int line;         /* where it was defined, for messages */
	double *probs;    /* owned, nvalues of them summing to 1, or NULL */
};

enum sweep_early_type {
	SWEEP_ET_NONE,
	SWEEP_ET_HYPERBAND,
	SWEEP_ET_MEDIAN, /* a gpuq extension */
};

struct sweep_early {
	enum sweep_early_type type;
	/* Hyperband (W&B keys).  Either min_iter, or max_iter with s. */
	int64_t min_iter; /* 0 when not given */
	int64_t max_iter; /* 0 when not given */
	int64_t s;        /* 0 when not given */
	int64_t eta;      /* default 3 */
	int strict;       /* accepted, see gpuq-sweep.5 */
	/* Median stopping: judge after warmup_trials finished trials, at
	 * steps >= warmup_steps. */
	int64_t warmup_trials; /* default 5 */
	int64_t warmup_steps;  /* default 0 */
};

/* Resources of every trial; 0 or NULL means "not given" (job defaults). */
struct sweep_resources {
	int32_t gpus_milli; /* "gpus": 1000 per GPU */
	int64_t gpu_mem_mb;
	int32_t cpus_milli;
	int64_t mem_mb;
	int64_t time_s;  /* time limit of each trial */
	char *pool;      /* owned */
	char *gpu_model; /* owned */
};

/* A parsed and validated sweep file.  Every pointer is owned. */
struct sweep_spec {
	char *name;        /* may be NULL */
	char *project;     /* may be NULL */
	char *description; /* may be NULL (W&B key, kept for display) */
	char *program;     /* may be NULL when command needs none */
	char *interpreter; /* never NULL after parse: default "python3" */
	char **command; /* template; NULL: ${interpreter} ${program} ${args} */
	size_t ncommand;
	enum sweep_method method;
	char *metric; /* metric name; NULL when none (grid/random only) */
	enum sweep_goal goal; /* default minimize */
	int has_target;       /* metric.target given: stop when reached */
	double target;
	struct sweep_param *params;
	size_t nparams;
	struct sweep_early early;
	int64_t trials;   /* 0: grid = all points, random/bayes unbounded */
	int32_t parallel; /* default 1 */
	struct sweep_resources res;
	/* seed given; else the daemon picks one (at most INT64_MAX, so it
	 * survives encoding) and sets it with has_seed. */
	int has_seed;
	uint64_t seed;
	char **warnings; /* "FILE:LINE: key: why" per ignored W&B key */
	size_t nwarnings;
};

/*
 * Parses a sweep file of len bytes (it need not be NUL-terminated).  name
 * is the file name used in messages ("sweep.yaml").  On success *out is a
 * new spec (free with sweep_spec_free) and returns 0.  Otherwise returns
 * GQ_EINVAL (or GQ_ETOOBIG past SWEEP_MAX_FILE) with *cause (new) holding
 * up to SWEEP_MAX_ERRORS errors, one a line, each
 * "NAME:LINE: KEY: why" ("sweep.yaml:7: parameters.lr: min 0.1 is greater
 * than max 0.01").  Unknown keys are errors with a "did you mean"; W&B
 * keys gpuq ignores become spec->warnings.
 */
int sweep_parse(const char *name, const char *text, size_t len,
    enum sweep_format fmt, struct sweep_spec **out, char **cause);
void sweep_spec_free(struct sweep_spec *s);

/*
 * The spec as JSON (a new reference): a valid sweep file in the JSON
 * format with every default made explicit (distribution, seed, ...), so
 * sweep_spec_decode (or sweep_parse of its text) gives the same spec back.
 * Warnings are not encoded.
 */
json_t *sweep_spec_encode(const struct sweep_spec *s);
/* The same as JSON text (new, compact); the store keeps this. */
char *sweep_spec_dumps(const struct sweep_spec *s);
/* Reads what sweep_spec_encode wrote; as sweep_parse for errors. */
int sweep_spec_decode(const json_t *j, struct sweep_spec **out, char **cause);
int sweep_spec_loads(const char *text, struct sweep_spec **out, char **cause);

/* Names: "grid", "minimize", "log_uniform_values", "hyperband"... */
const char *sweep_method_name(enum sweep_method m);
const char *sweep_goal_name(enum sweep_goal g);
const char *sweep_dist_name(enum sweep_dist d);
const char *sweep_early_name(enum sweep_early_type t);

/*
 * Values and points.  A point holds one value per spec parameter, in the
 * spec's order: p->v[i] is the value of spec->params[i].
 */
struct sweep_point {
	struct sweep_value *v; /* owned, n of them */
	size_t n;
};

void sweep_value_done(struct sweep_value *v);
void sweep_value_copy(struct sweep_value *dst, const struct sweep_value *src);
/* 1 when equal (an INT and a FLOAT of the same number are not equal). */
int sweep_value_equal(const struct sweep_value *a, const struct sweep_value *b);
/*
 * Formats v the way W&B passes it on a command line: ints as ints, floats
 * as the shortest text that reads back the same ("0.001", "1e-05", "3.0"),
 * strings as is, booleans "True"/"False", null "None".  Writes a
 * NUL-terminated string into out (truncated to n) and returns out.
 */
char *sweep_value_fmt(const struct sweep_value *v, char *out, size_t n);
/* The value as JSON (new reference). */
json_t *sweep_value_encode(const struct sweep_value *v);

void sweep_point_init(struct sweep_point *p, size_t n);
void sweep_point_done(struct sweep_point *p);
void sweep_point_copy(struct sweep_point *dst, const struct sweep_point *src);
/* {"lr": 0.001, "batch_size": 64} (new reference), nested names dotted. */
json_t *sweep_point_encode(const struct sweep_spec *s,
    const struct sweep_point *p);
char *sweep_point_dumps(const struct sweep_spec *s,
    const struct sweep_point *p);
/*
 * Reads what sweep_point_encode wrote into p (initialised here; free with
 * sweep_point_done).  Every parameter must be present; GQ_EINVAL with
 * *cause otherwise.
 */
int sweep_point_decode(const struct sweep_spec *s, const json_t *j,
    struct sweep_point *p, char **cause);
int sweep_point_loads(const struct sweep_spec *s, const char *text,
    struct sweep_point *p, char **cause);

/*
 * A seeded generator (xoshiro256**, seeded through splitmix64).  The same
 * seed gives the same stream on every machine.
 */
struct sweep_rng {
	uint64_t s[4];
};

void sweep_rng_seed(struct sweep_rng *r, uint64_t seed);
/* The generator of trial number index (0-based) of a sweep with seed. */
void sweep_rng_for_trial(struct sweep_rng *r, uint64_t seed, int64_t index);
uint64_t sweep_rng_next(struct sweep_rng *r);
double sweep_rng_double(struct sweep_rng *r); /* uniform in [0, 1) */
/* Uniform in [0, n); n > 0. */
uint64_t sweep_rng_below(struct sweep_rng *r, uint64_t n);
double sweep_rng_normal(struct sweep_rng *r); /* standard normal */

/* Draws one value of parameter p (any distribution, categorical too). */
void sweep_param_sample(const struct sweep_param *p, struct sweep_rng *r,
    struct sweep_value *out);

/*
 * What the engine knows of a trial: its parameters, state and metrics.
 * The daemon builds an array of these from its store for each call;
 * everything is borrowed.
 */
enum sweep_trial_state {
	SWEEP_T_PENDING, /* proposed, not started */
	SWEEP_T_RUNNING,
	SWEEP_T_DONE,    /* ended on its own (any exit status with metrics) */
	SWEEP_T_FAILED,  /* ended without a usable metric */
	SWEEP_T_STOPPED, /* stopped by early termination */
	SWEEP_T_CANCELLED,
};

const char *sweep_trial_state_name(enum sweep_trial_state s);

/* One report of the sweep's metric. */
struct sweep_obs {
	int64_t step;
	double value;
};

struct sweep_trial {
	int64_t id; /* the trial's number, as the daemon counts; in messages */
	enum sweep_trial_state state;
	const struct sweep_point *point; /* borrowed; NULL when unknown */
	int has_metric;
	double metric; /* last reported value of spec->metric (W&B summary) */
	const struct sweep_obs *curve; /* borrowed: reports by step, steps */
	size_t ncurve;                 /* ascending; may be empty */
};

/*
 * A search strategy.  next() proposes the parameters of the next trial
 * (trial number ntrials) given every trial so far, in id order (t may be
 * NULL when only the count is known, as in a dry run).  It
 * returns 1 with *out filled (initialised by next; free with
 * sweep_point_done), or 0 when the search is exhausted (grid done), or a
 * negative code.  sweep_next() adds the trials cap around it.
 */
struct sweep_strategy {
	const char *name;
	const char *summary;
	enum sweep_method method;
	int (*next)(const struct sweep_spec *s, const struct sweep_trial *t,
	    size_t ntrials, struct sweep_rng *r, struct sweep_point *out);
};

extern const struct sweep_strategy sweep_strategies[]; /* NULL name ends */
const struct sweep_strategy *sweep_strategy_find(enum sweep_method m);

/*
 * The next trial's parameters: 1 with *out filled, 0 when the sweep has no
 * more trials to start (trials cap reached, grid exhausted), or negative.
 */
int sweep_next(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, struct sweep_point *out);

/*
 * Grid: the count of points (capped at SWEEP_MAX_TRIALS + 1; GQ_EINVAL
 * when a parameter is continuous) and the point at index (row-major over
 * the parameters in file order, the last parameter changing fastest;
 * GQ_EINVAL out of range).
 */
int64_t sweep_grid_size(const struct sweep_spec *s);
int sweep_grid_point(const struct sweep_spec *s, int64_t index,
    struct sweep_point *out);

/*
 * Bayes: Tree-structured Parzen Estimator with Optuna's defaults (see
 * sweep-bayes.c and gpuq-sweep.5).  Exposed for tests and tuning.
 */
struct sweep_tpe_opts {
	int n_startup;       /* random trials first: 10 */
	int n_candidates;    /* EI candidates drawn from l(x): 24 */
	double gamma;        /* fraction of good trials: 0.1 (Optuna); see .c */
	int gamma_max;       /* cap on good trials: 25 */
	double prior_weight; /* 1.0 */
};

void sweep_tpe_defaults(struct sweep_tpe_opts *o);
int sweep_bayes_next_opts(const struct sweep_spec *s,
    const struct sweep_trial *t, size_t ntrials, struct sweep_rng *r,
    const struct sweep_tpe_opts *o, struct sweep_point *out);

/*
 * Early termination: a decision as data.  why reads like "stop trial 7:
 * at step 9 val_loss 0.83 is not in the top 1/3 of 6 trials at rung 9
 * (cut 0.51)".
 */
struct sweep_decision {
	int64_t trial; /* sweep_trial.id */
	int64_t step;  /* the step the trial is judged at (its latest) */
	int64_t rung;  /* hyperband: the rung's step; median: the step */
	double value;  /* the trial's value used */
	double cut;    /* the threshold it failed */
	int ncompared; /* trials compared with */
	char why[256];
};

/*
 * Judges trial t[i] (normally RUNNING) by spec->early.  Returns 1 (stop:
 * *d filled), 0 (let it run; d->why may still say why, e.g. "warm-up"),
 * or GQ_EINVAL.  Hyperband judges the trial at the highest rung it has
 * reached against every trial that reached that rung (W&B semantics, so a
 * trial that passed may still be cut before its next rung).
 */
int sweep_early_judge(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, size_t i, struct sweep_decision *d);
/*
 * Judges every RUNNING trial.  *out is a new array (free()) of the stop
 * decisions, *nout of them (NULL, 0 when none).  Returns 0 or negative.
 */
int sweep_early_check(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_decision **out, size_t *nout);

/*
 * Hyperband's rungs in ascending order: min_iter * eta^k (k >= 0, below
 * max_iter when given), or max_iter / eta^k for k = s..1.  Writes up to max
 * and returns how many there are (at most 64).
 */
size_t sweep_hyperband_rungs(const struct sweep_early *e, int64_t *rungs,
    size_t max);

/*
 * Metric lines.  One line of JSON: {"step": 3, "val_loss": 0.41}: an
 * object of numbers.  "step" (or W&B's "_step") is a whole number >= 0;
 * every other key is a metric, a finite number.  Nested values, strings,
 * booleans, null, NaN, infinities, more than SWEEP_METRIC_MAX_KEYS keys,
 * keys of SWEEP_METRIC_KEY_MAX bytes or more and lines over
 * SWEEP_METRIC_LINE_MAX bytes are refused whole.
 */
struct sweep_metric_kv {
	char key[SWEEP_METRIC_KEY_MAX];
	double value;
};

struct sweep_metrics {
	int has_step; /* 0: the caller numbers the line itself */
	int64_t step;
	size_t n;
	struct sweep_metric_kv kv[SWEEP_METRIC_MAX_KEYS];
};

/*
 * Parses one line (len bytes, a trailing "\n" or "\r\n" allowed).
 * Returns 0 with *m filled, or GQ_EINVAL / GQ_ETOOBIG with *why (static).
 */
int sweep_metric_parse(const char *line, size_t len, struct sweep_metrics *m,
    const char **why);
/*
 * A line of a trial's stdout: returns 0 when it is not a metric line (does
 * not start with "@gpuq "), 1 with *m filled when it is one, or negative
 * with *why as above.
 */
int sweep_metric_parse_stdout(const char *line, size_t len,
    struct sweep_metrics *m, const char **why);
/* The value of key in m, or NULL. */
const double *sweep_metrics_find(const struct sweep_metrics *m,
    const char *key);

/*
 * A trial's argv from the command template and its point: no shell, one
 * element per argument.  Without a command the template is W&B's default
 * ["${env}", "${interpreter}", "${program}", "${args}"] without ${env}.
 * Macros: an element "${args}" becomes --name=value per parameter,
 * "${args_no_hyphens}" name=value, "${args_no_boolean_flags}" like
 * ${args} but a true boolean is --name and a false one is left out;
 * "${env}" is dropped; ${interpreter}, ${program}, ${args_json} and
 * ${NAME} of a parameter are replaced inside any element.  *argv is a new
 * NULL-terminated array of new strings (free with sweep_argv_free), *argc
 * its length.  Returns 0, or GQ_EINVAL / GQ_ETOOBIG with *cause (new).
 */
int sweep_argv(const struct sweep_spec *s, const struct sweep_point *p,
    char ***argv, size_t *argc, char **cause);
void sweep_argv_free(char **argv);

/*
 * Dry run: the trials the sweep would start.  Grid lists every point (up
 * to the trials cap); random and bayes list the first `parallel` samples
 * (bayes starts with random samples).  gpu_hours = trials * gpus * time
 * limit, -1 when the count is unbounded or no time limit is given.
 */
struct sweep_dryrun {
	int64_t trials;             /* -1: unbounded */
	struct sweep_point *points; /* owned */
	size_t npoints;
	double gpu_hours;
};

int sweep_dryrun(const struct sweep_spec *s, struct sweep_dryrun *d);
void sweep_dryrun_done(struct sweep_dryrun *d);
/* {"trials": N|null, "gpu_hours": X|null, "method": ...,
 *  "first": [{"params": {...}, "argv": [...]}...]} (new reference). */
json_t *sweep_dryrun_encode(const struct sweep_spec *s,
    const struct sweep_dryrun *d);
/* A human listing, one trial a line, and a summary line (new text). */
char *sweep_dryrun_print(const struct sweep_spec *s,
    const struct sweep_dryrun *d);

/*
 * A sweep file skeleton (new YAML text) from a finished job's argv, for
 * `gpuq sweep from-job ID`: --name=value and --name value pairs become
 * parameters (integers a list of values around the value, floats a range
 * around it: log-scaled when small), the rest stays in the command.
 * job_name may be NULL.  Returns NULL when argv is empty.
 */
char *sweep_from_job(const char *const *argv, size_t argc,
    const char *job_name);

#endif
