/*
 * Projects, departments, users and their quotas; usage that decays; the
 * ledger a policy keeps of who holds what and who stands where in the
 * fair share.  Pure: no I/O, no clock (time comes in as arguments).
 *
 * The text form is one line per object, the same in gpuqd.conf(5) and in
 * scenario files (docs/scheduling.md):
 *
 *	department research deserved=8 limit=16 parent=org
 *	project vision deserved=4 limit=8 weight=2 department=research
 *	user alice project=vision weight=1
 *	policy-param half-life=7d min-runtime=10m reservations=4
 */
#ifndef GPUQ_PROJECT_H
#define GPUQ_PROJECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/buf.h"
#include "core/model.h"

#define PROJECT_MAX_NAME    64
#define PROJECT_MAX_OBJECTS 10000 /* of each kind */
#define PROJECT_NO_LIMIT    (-1)

/* A department: a group of projects with a quota of its own. */
struct department {
	char name[PROJECT_MAX_NAME];
	char parent[PROJECT_MAX_NAME]; /* "": top level */
	int32_t parent_idx;            /* -1: none (project_resolve) */
	int64_t deserved_milli;        /* GPUs guaranteed, milli */
	int64_t limit_milli;           /* hard limit, or PROJECT_NO_LIMIT */
	double weight; /* its share of idle capacity among siblings, > 0 */
	int32_t line;  /* where it was declared, or 0 */
};

struct project {
	char name[PROJECT_MAX_NAME];
	char department[PROJECT_MAX_NAME]; /* "": none */
	int32_t dept_idx;                  /* -1: none */
	int64_t deserved_milli;            /* GPUs guaranteed, milli */
	int64_t limit_milli;               /* hard limit, or PROJECT_NO_LIMIT */
	double weight;                     /* share of idle capacity, > 0 */
	int64_t default_time_s;            /* for jobs without one; 0: none */
	int32_t line;
};

/* A user's weight inside one project. */
struct project_user {
	char name[PROJECT_MAX_NAME];
	char project[PROJECT_MAX_NAME];
	int32_t project_idx;
	double weight;
	int32_t line;
};

struct place_strategy;

/* The knobs of the policy (docs/scheduling.md lists them). */
struct policy_params {
	int64_t half_life_s;    /* usage decay; 0: only what runs now */
	int64_t min_runtime_s;  /* no swap-out before a run is this old */
	int64_t default_time_s; /* jobs with no limit and no project's */
	int64_t swap_time_s;    /* expected time a swap-out takes */
	int32_t reservations;   /* blocked jobs that get a reservation */
	int32_t preempt;        /* 0: never swap out */
	int32_t preempt_tries;  /* jobs per plan that may seek victims */
	int32_t class_rank[JOB_NCLASSES]; /* higher goes first */
	/*
	 * Placement (the "placement" line, docs/placement.md): the strategy
	 * for GPU shares and the one for whole GPUs and CPU-only jobs
	 * (borrowed from place.c's table).
	 */
	const struct place_strategy *place_share;
	const struct place_strategy *place_whole;
};

struct projects {
	struct department *depts; /* owned */
	size_t ndepts;
	struct project *list; /* owned */
	size_t nlist;
	struct project_user *users; /* owned */
	size_t nusers;
	struct policy_params params;
	int any; /* a project line was given: unknown names refused */
};

void project_params_defaults(struct policy_params *p);
void project_init(struct projects *p);
void project_done(struct projects *p);
/* Deep copy of from into to (to is initialized first). */
void project_copy(struct projects *to, const struct projects *from);

/*
 * Parses one line of the text form: keyword ("department", "project",
 * "user", "policy-param", "placement") and the rest.  line is kept for later errors.
 * Returns 0, 1 when keyword is none of these (nothing done), or GQ_EINVAL
 * with a reason in cause.
 */
int project_parse_line(struct projects *p, const char *keyword,
    const char *rest, int32_t line, char *cause, size_t n);
/*
 * Checks the whole set: names known, no cycle of departments, limits not
 * below quotas; fills the *_idx fields.  Returns 0, or GQ_EINVAL with a
 * reason in cause and the offending declaration's line in *line.
 */
int project_resolve(struct projects *p, char *cause, size_t n, int32_t *line);
/* Appends the text form (parseable again) to b. */
void project_format(const struct projects *p, struct buf *b);

/* Index of the project, department or user, or -1. */
int32_t project_find(const struct projects *p, const char *name);
int32_t project_dept_find(const struct projects *p, const char *name);
int32_t project_user_find(const struct projects *p, const char *project,
    const char *user);
/* The time limit a job of project name gets when it gives none. */
int64_t project_default_time(const struct projects *p, const char *name);

/*
 * Usage that decays: resource-seconds, each second's weight halving every
 * half-life.  A book keeps one entry per (project, user), all standing at
 * time t.
 */
struct usage_entry {
	char project[PROJECT_MAX_NAME];
	char user[PROJECT_MAX_NAME];
	double gpu_s; /* milli-GPU seconds, decayed to t */
	double cpu_s; /* milli-CPU seconds */
	double mem_s; /* MiB seconds */
};

struct usage_book {
	struct usage_entry *e; /* owned */
	size_t n, cap;
	int64_t t;
	int64_t half_life_s; /* 0: nothing is kept */
};

void project_usage_init(struct usage_book *b, int64_t half_life_s, int64_t now);
void project_usage_done(struct usage_book *b);
/* Decays every entry to now (now >= t). */
void project_usage_advance(struct usage_book *b, int64_t now);
/*
 * Adds a run of [start, end] holding the given amounts (milli-GPUs,
 * milli-CPUs, MiB) to the entry of (project, user); end <= b->t.
 */
void project_usage_add(struct usage_book *b, const char *project,
    const char *user, double gpus, double cpus, double mem, int64_t start,
    int64_t end);
/*
 * The decayed integral, seen from now, of holding 1 unit over
 * [start, end]: in unit-seconds.
 */
double project_usage_weight(int64_t start, int64_t end, int64_t now,
    int64_t half_life_s);
/* 2^(-dt / half_life): what a second's weight becomes after dt. */
double project_usage_decay(int64_t dt, int64_t half_life_s);

/*
 * The ledger: per project (configured ones first, then one per unknown
 * name met), per department and per (project, user) pair, what is held
 * now and the decayed usage; the fair-share standing follows from both.
 */
struct ledger_amount {
	int64_t gpus; /* milli */
	int64_t cpus; /* milli */
	int64_t mem;  /* MiB */
};

struct ledger_project {
	char name[PROJECT_MAX_NAME];
	int32_t dept_idx;
	int64_t deserved_milli;
	int64_t limit_milli;
	double weight;
	struct ledger_amount held; /* allocated now */
	double hist[3];            /* usage as an average: GPUs, CPUs, mem */
	int64_t pending_milli;     /* demand of waiting jobs */
	int32_t npending, nrunning;
	int configured;
	double share; /* cached standing, valid unless stale */
	int stale;
};

struct ledger_user {
	char name[PROJECT_MAX_NAME];
	int32_t project_idx;
	double weight;
	struct ledger_amount held;
	double hist[3];
	int64_t pending_milli;
	int32_t npending, nrunning;
	double share;
	int stale;
};

struct ledger_dept {
	int64_t held_milli;
	int64_t deserved_milli;
	int64_t limit_milli;
	int32_t parent_idx;
	double weight;
	struct ledger_amount held; /* all resources, for its share */
	double hist[3];            /* its projects' usage, summed */
	double share;              /* cached standing, valid unless stale */
	int stale;
};

struct ledger {
	const struct projects *cfg;      /* borrowed */
	struct ledger_project *projects; /* owned */
	size_t nprojects, cap_projects;
	struct ledger_user *users; /* owned */
	size_t nusers, cap_users;
	struct ledger_dept *depts; /* owned */
	size_t ndepts;
	double capacity[3]; /* the cluster's GPUs, CPUs, mem */
	int64_t now;
	int64_t half_life_s;
	/* Name lookups: open addressing, indices + 1 (0 empty). */
	int32_t *phash, *uhash;
	size_t phash_cap, uhash_cap;
};

/*
 * Starts a ledger over the configured projects (cfg may be NULL: every
 * project is then one met by name) and the cluster's capacity.
 */
void project_ledger_init(struct ledger *l, const struct projects *cfg,
    const struct cluster *c, int64_t now);
void project_ledger_done(struct ledger *l);
/* Index of the project of that name, added when unknown. */
int32_t project_ledger_project(struct ledger *l, const char *name);
/* Index of the (project, user) pair, added when unknown. */
int32_t project_ledger_user(struct ledger *l, int32_t pidx, const char *user);
/* Adds the decayed usage of a book (seen from l->now). */
void project_ledger_usage(struct ledger *l, const struct usage_book *b);
/* Adds (sign 1) or takes back (-1) an allocation held now. */
void project_ledger_hold(struct ledger *l, int32_t uidx,
    const struct ledger_amount *a, int sign);
/* Adds the decayed usage of a run from start until l->now. */
void project_ledger_running(struct ledger *l, int32_t uidx,
    const struct ledger_amount *a, int64_t start);
/* Counts a waiting job's demand. */
void project_ledger_pending(struct ledger *l, int32_t uidx, int64_t milli);
/*
 * Quota: 1 when the project (and each of its departments) would stay
 * within its deserved quota with milli more GPUs held.
 */
int project_ledger_in_quota(const struct ledger *l, int32_t pidx,
    int64_t milli);
/* 1 when milli more GPUs stay within every hard limit; else 0. */
int project_ledger_in_limit(const struct ledger *l, int32_t pidx,
    int64_t milli);
/*
 * Which quota (is_limit 0) or limit (1) binds first when milli more GPUs
 * are held: -1 the project's own, a department's index, or -2 none.
 * *held and *cap get that one's figures (milli).
 */
int32_t project_ledger_binding(const struct ledger *l, int32_t pidx,
    int64_t milli, int is_limit, int64_t *held, int64_t *cap);
/*
 * The weighted dominant share: the largest of (usage + held) / capacity
 * over GPUs, CPUs and memory, divided by the weight.  Lower goes first.
 */
double project_ledger_share(struct ledger *l, int32_t pidx);
double project_ledger_user_share(struct ledger *l, int32_t uidx);
/*
 * A department's weighted dominant share: its projects' usage and
 * holdings together over the cluster, divided by its weight.  The
 * fairshare policy compares departments by it first (docs/scheduling.md).
 */
double project_ledger_dept_share(struct ledger *l, int32_t d);
/* GPUs held beyond the deserved quota (milli), 0 when within. */
int64_t project_ledger_borrowed(const struct ledger *l, int32_t pidx);

#endif
