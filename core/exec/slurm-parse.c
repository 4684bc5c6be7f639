#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/exec/slurm-parse.h"

static const char *const slurm_parse_names[] = {
#define SLURM_STATE_NAME(name) #name,
	SLURM_STATES(SLURM_STATE_NAME)
#undef SLURM_STATE_NAME
};

const char *
slurm_parse_state_name(enum slurm_state s)
{
	if ((int)s < 0 || s >= SLURM_NSTATES)
		return "UNKNOWN";
	return slurm_parse_names[s];
}

enum slurm_state
slurm_parse_state(const char *word)
{
	size_t len = strcspn(word, " +|\t\r\n");
	int i;

	for (i = 1; i < SLURM_NSTATES; i++)
		if (strlen(slurm_parse_names[i]) == len &&
		    strncmp(word, slurm_parse_names[i], len) == 0)
			return (enum slurm_state)i;
	return SLURM_UNKNOWN;
}

int
slurm_parse_state_final(enum slurm_state s)
{
	return s >= SLURM_COMPLETED && s < SLURM_NSTATES;
}

enum job_state
slurm_parse_state_gpuq(enum slurm_state s)
{
	switch (s) {
	case SLURM_COMPLETED:
		return JOB_COMPLETED;
	case SLURM_CANCELLED:
		return JOB_CANCELLED;
	case SLURM_TIMEOUT:
	case SLURM_DEADLINE:
		return JOB_TIMEOUT;
	default:
		return slurm_parse_state_final(s) ? JOB_FAILED : JOB_RUNNING;
	}
}

/* Copies [p, p+len) into out (n bytes), cut to fit. */
static void
slurm_parse_copy(char *out, size_t n, const char *p, size_t len)
{
	if (n == 0)
		return;
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* "(null)", "None", "N/A" and "" mean nothing. */
static void
slurm_parse_field(char *out, size_t n, const char *p, size_t len)
{
	slurm_parse_copy(out, n, p, len);
	if (strcmp(out, "(null)") == 0 || strcmp(out, "None") == 0 ||
	    strcmp(out, "N/A") == 0)
		out[0] = '\0';
}

/* Seconds since the epoch, or 0 for "Unknown", "None", "NONE", "N/A". */
static int64_t
slurm_parse_time(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 0 ||
	    (*end != '\0' && *end != ' ' && *end != '|' && *end != '\n'))
		return 0;
	return (int64_t)v;
}

/* A plain job id ("123"): arrays and het jobs ("1_2", "1+0") are not. */
static int64_t
slurm_parse_id(const char *s, size_t len)
{
	int64_t v = 0;
	size_t i;

	if (len == 0 || len > 18)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > 0 ? v : -1;
}

static void
slurm_parse_stat_init(struct slurm_jobstat *st)
{
	memset(st, 0, sizeof(*st));
	st->exit_code = -1;
}

/* Splits line at '|' into at most max fields (the last takes the rest). */
static int
slurm_parse_split(const char *line, const char **f, size_t *len, int max)
{
	const char *p = line, *bar;
	int k = 0;

	while (k < max) {
		f[k] = p;
		bar = k == max - 1 ? NULL : strchr(p, '|');
		if (bar == NULL) {
			len[k] = strcspn(p, "\r\n");
			return k + 1;
		}
		len[k++] = (size_t)(bar - p);
		p = bar + 1;
	}
	return k;
}

int
slurm_parse_squeue(const char *line, struct slurm_jobstat *st)
{
	const char *f[5];
	size_t len[5];

	slurm_parse_stat_init(st);
	if (slurm_parse_split(line, f, len, 5) != 5 ||
	    (st->slurm_id = slurm_parse_id(f[0], len[0])) < 0)
		return GQ_EINVAL;
	st->state = slurm_parse_state(f[1]);
	if (st->state == SLURM_UNKNOWN)
		return GQ_EINVAL;
	slurm_parse_field(st->reason, sizeof(st->reason), f[2], len[2]);
	slurm_parse_field(st->nodes, sizeof(st->nodes), f[3], len[3]);
	slurm_parse_field(st->tag, sizeof(st->tag), f[4], len[4]);
	return 0;
}

int
slurm_parse_exit(const char *s, int *code, int *signo)
{
	char *end;
	long c, g;

	errno = 0;
	c = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != ':' || c < 0 || c > 255)
		return GQ_EINVAL;
	s = end + 1;
	g = strtol(s, &end, 10);
	if (errno != 0 || end == s || g < 0 || g > 255)
		return GQ_EINVAL;
	*code = (int)c;
	*signo = (int)g;
	return 0;
}

/* Fills exit_code and exit_signal from "N:S" (left alone when garbled). */
static void
slurm_parse_stat_exit(struct slurm_jobstat *st, const char *s)
{
	int code, signo;

	if (slurm_parse_exit(s, &code, &signo) != 0)
		return;
	st->exit_signal = signo;
	st->exit_code = signo != 0 ? -1 : code;
}

int
slurm_parse_sacct(const char *line, struct slurm_jobstat *st)
{
	const char *f[4];
	char buf[64];
	size_t len[4];

	slurm_parse_stat_init(st);
	if (slurm_parse_split(line, f, len, 4) != 4 ||
	    (st->slurm_id = slurm_parse_id(f[0], len[0])) < 0)
		return GQ_EINVAL;
	slurm_parse_copy(buf, sizeof(buf), f[1], len[1]);
	if ((st->state = slurm_parse_state(buf)) == SLURM_UNKNOWN)
		return GQ_EINVAL;
	slurm_parse_copy(buf, sizeof(buf), f[2], len[2]);
	slurm_parse_stat_exit(st, buf);
	slurm_parse_copy(buf, sizeof(buf), f[3], len[3]);
	st->end = slurm_parse_time(buf);
	return 0;
}

/* True when p starts a "Word=" key: [A-Za-z0-9_:/]+ then '='. */
static int
slurm_parse_is_key(const char *p)
{
	const char *q = p;

	while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
	    (*q >= '0' && *q <= '9') || *q == '_' || *q == ':' || *q == '/')
		q++;
	return q > p && *q == '=';
}

int
slurm_parse_kv(const char *line, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *p, *v, *e;

	for (p = line; (p = strstr(p, key)) != NULL; p++) {
		if ((p != line && p[-1] != ' ') || p[klen] != '=')
			continue;
		v = p + klen + 1;
		for (e = v; *e != '\0' && *e != '\n'; e++)
			if (*e == ' ' && slurm_parse_is_key(e + 1))
				break;
		while (e > v && (e[-1] == ' ' || e[-1] == '\r'))
			e--;
		slurm_parse_copy(out, n, v, (size_t)(e - v));
		return 1;
	}
	if (n > 0)
		out[0] = '\0';
	return 0;
}

int
slurm_parse_scontrol_job(const char *line, struct slurm_jobstat *st)
{
	char v[256];

	slurm_parse_stat_init(st);
	if (!slurm_parse_kv(line, "JobId", v, sizeof(v)) ||
	    (st->slurm_id = slurm_parse_id(v, strlen(v))) < 0)
		return GQ_EINVAL;
	if (!slurm_parse_kv(line, "JobState", v, sizeof(v)) ||
	    (st->state = slurm_parse_state(v)) == SLURM_UNKNOWN)
		return GQ_EINVAL;
	slurm_parse_kv(line, "Reason", v, sizeof(v));
	slurm_parse_field(st->reason, sizeof(st->reason), v, strlen(v));
	slurm_parse_kv(line, "NodeList", v, sizeof(v));
	slurm_parse_field(st->nodes, sizeof(st->nodes), v, strlen(v));
	slurm_parse_kv(line, "Comment", v, sizeof(v));
	slurm_parse_field(st->tag, sizeof(st->tag), v, strlen(v));
	if (slurm_parse_kv(line, "ExitCode", v, sizeof(v)))
		slurm_parse_stat_exit(st, v);
	if (slurm_parse_kv(line, "StartTime", v, sizeof(v)))
		st->start = slurm_parse_time(v);
	if (slurm_parse_kv(line, "EndTime", v, sizeof(v)))
		st->end = slurm_parse_time(v);
	return 0;
}

/* A count with an optional K, M or G; -1 when there is none. */
static int64_t
slurm_parse_count(const char *s, size_t len)
{
	int64_t v = 0, mul = 1;
	size_t i;

	if (len > 0 &&
	    (s[len - 1] == 'K' || s[len - 1] == 'M' || s[len - 1] == 'G')) {
		mul = s[len - 1] == 'K' ? 1024 :
		    s[len - 1] == 'M'   ? 1024 * 1024 :
		                          1024 * 1024 * 1024;
		len--;
	}
	if (len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v * mul;
}

/* One gres entry "name[:type]:count[(...)]" of length len. */
static void
slurm_parse_gres_one(const char *e, size_t len, int32_t *gpus, char *type,
    size_t tn, int32_t *shards)
{
	const char *colon1, *last;
	size_t nlen, plen = strcspn(e, "(");
	int64_t count;

	if (plen < len)
		len = plen;
	if ((colon1 = memchr(e, ':', len)) == NULL)
		return;
	nlen = (size_t)(colon1 - e);
	for (last = e + len; last > colon1 && last[-1] != ':'; last--)
		;
	count = slurm_parse_count(last, (size_t)(e + len - last));
	if (count < 0 || count > INT32_MAX)
		return;
	if (nlen == 3 && strncmp(e, "gpu", 3) == 0) {
		*gpus += (int32_t)count;
		if (type[0] == '\0' && last - 1 > colon1) {
			slurm_parse_copy(type, tn, colon1 + 1,
			    (size_t)(last - 1 - colon1 - 1));
			type[strcspn(type, ":")] = '\0';
		}
	} else if (nlen == 5 && strncmp(e, "shard", 5) == 0)
		*shards += (int32_t)count;
}

void
slurm_parse_gres(const char *gres, int32_t *gpus, char *type, size_t tn,
    int32_t *shards)
{
	const char *p = gres, *start = gres;
	int depth = 0;

	*gpus = *shards = 0;
	if (tn > 0)
		type[0] = '\0';
	for (;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if ((*p == ',' && depth == 0) || *p == '\0') {
			slurm_parse_gres_one(start, (size_t)(p - start), gpus,
			    type, tn, shards);
			start = p + 1;
		}
		if (*p == '\0')
			break;
	}
	/* "no_consume" is a flag, not a type. */
	if (strcmp(type, "no_consume") == 0)
		type[0] = '\0';
}

/* Node state flags after "+" that keep new jobs off a node. */
static const char *const slurm_parse_bad_flags[] = { "DRAIN", "DRAINING",
	"DRAINED", "FAIL", "FAILING", "MAINT", "NOT_RESPONDING",
	"POWERING_DOWN", "POWER_DOWN", "REBOOT_ISSUED", "REBOOT_REQUESTED",
	"RESERVED", "INVALID_REG", "UNKNOWN", NULL };

static int
slurm_parse_flag_bad(const char *f, size_t len)
{
	size_t i;

	for (i = 0; slurm_parse_bad_flags[i] != NULL; i++)
		if (strlen(slurm_parse_bad_flags[i]) == len &&
		    strncmp(f, slurm_parse_bad_flags[i], len) == 0)
			return 1;
	return 0;
}

int
slurm_parse_node_usable(const char *state)
{
	static const char *const good[] = { "IDLE", "MIXED", "ALLOCATED",
		"ALLOC", "COMPLETING", "MIX", NULL };
	size_t len = strcspn(state, "+*"), i;
	const char *p;
	int ok = 0;

	for (i = 0; good[i] != NULL; i++)
		if (strlen(good[i]) == len && strncmp(state, good[i], len) == 0)
			ok = 1;
	if (!ok || strchr(state, '*') != NULL)
		return 0;
	for (p = state + len; *p == '+'; p += len) {
		p++;
		len = strcspn(p, "+*");
		if (slurm_parse_flag_bad(p, len))
			return 0;
	}
	return 1;
}

static int64_t
slurm_parse_kv_num(const char *line, const char *key)
{
	char v[32], *end;
	long long x;

	if (!slurm_parse_kv(line, key, v, sizeof(v)))
		return -1;
	errno = 0;
	x = strtoll(v, &end, 10);
	return errno != 0 || end == v || *end != '\0' || x < 0 ? -1 : x;
}

int
slurm_parse_node(const char *line, struct slurm_node *nd)
{
	char v[1024];
	int64_t cpus;

	memset(nd, 0, sizeof(*nd));
	if (!slurm_parse_kv(line, "NodeName", nd->name, sizeof(nd->name)) ||
	    nd->name[0] == '\0' ||
	    !slurm_parse_kv(line, "State", nd->state, sizeof(nd->state)))
		return GQ_EINVAL;
	nd->usable = slurm_parse_node_usable(nd->state);
	if ((cpus = slurm_parse_kv_num(line, "CPUEfctv")) < 0)
		cpus = slurm_parse_kv_num(line, "CPUTot");
	nd->cpus = cpus < 0 || cpus > INT32_MAX / 1000 ? 0 : (int32_t)cpus;
	nd->mem_mb = slurm_parse_kv_num(line, "RealMemory");
	if (nd->mem_mb < 0)
		nd->mem_mb = 0;
	if (slurm_parse_kv(line, "Gres", v, sizeof(v)))
		slurm_parse_gres(v, &nd->gpus, nd->gpu_type,
		    sizeof(nd->gpu_type), &nd->shards);
	slurm_parse_kv(line, "Partitions", v, sizeof(v));
	slurm_parse_field(nd->partitions, sizeof(nd->partitions), v, strlen(v));
	slurm_parse_kv(line, "ActiveFeatures", v, sizeof(v));
	slurm_parse_field(nd->features, sizeof(nd->features), v, strlen(v));
	return 0;
}

int
slurm_parse_tag(const char *comment, const char *host, int64_t *job_id,
    int32_t *attempt)
{
	size_t hlen = strlen(host);
	const char *p, *colon;
	int64_t id, at;

	if (strncmp(comment, "gpuq:", 5) != 0 ||
	    strncmp(comment + 5, host, hlen) != 0 || comment[5 + hlen] != ':')
		return 0;
	p = comment + 5 + hlen + 1;
	if ((colon = strchr(p, ':')) == NULL ||
	    (id = slurm_parse_id(p, (size_t)(colon - p))) < 0 ||
	    (at = slurm_parse_id(colon + 1, strlen(colon + 1))) < 0 ||
	    at > INT32_MAX)
		return 0;
	*job_id = id;
	*attempt = (int32_t)at;
	return 1;
}

int64_t
slurm_parse_jobid(const char *out)
{
	size_t len = strcspn(out, ";\r\n");
	const char *rest = out + len;

	if (*rest == ';')
		rest += strcspn(rest, "\r\n");
	while (*rest == '\r' || *rest == '\n')
		rest++;
	if (*rest != '\0')
		return -1;
	return slurm_parse_id(out, len);
}

void
slurm_parse_error(const char *err, char *out, size_t n)
{
	const char *p = err, *line = NULL, *e, *tail;
	size_t len = 0, l;

	while (*p != '\0') {
		l = strcspn(p, "\n");
		e = p + l;
		while (e > p && (e[-1] == '\r' || e[-1] == ' '))
			e--;
		if (e > p) {
			line = p;
			len = (size_t)(e - p);
		}
		p += l + (p[l] == '\n');
	}
	if (line == NULL) {
		slurm_parse_copy(out, n, "", 0);
		return;
	}
	/* "sbatch: error: X" -> "X" */
	if ((tail = strstr(line, ": error: ")) != NULL && tail < line + len) {
		len -= (size_t)(tail + 9 - line);
		line = tail + 9;
	}
	slurm_parse_copy(out, n, line, len);
}

int
slurm_parse_transient(const char *err)
{
	static const char *const words[] = { "Unable to contact slurm "
		                             "controller",
		"Socket timed out", "temporarily unable",
		"Zero Bytes were "
		"transmitted",
		"Connection refused", "Communication connection failure",
		"Connection reset", "Transport endpoint",
		"Slurm backup "
		"controller in standby",
		"Resource temporarily unavailable", NULL };
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strstr(err, words[i]) != NULL)
			return 1;
	return 0;
}

int
slurm_parse_invalid_job(const char *err)
{
	return strstr(err, "Invalid job id specified") != NULL;
}
