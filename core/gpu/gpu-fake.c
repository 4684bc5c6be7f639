/*
 * Fake GPUs for demos and tests: an inventory parsed from "8:H100-80GB"
 * and plausible telemetry.  Deterministic: no clock, no randomness; time
 * comes in as an argument and UUIDs come from the host name.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/error.h"
#include "core/gpu/gpu.h"

#define GPU_FAKE_MAX_GB     1024  /* NAME-<N>GB: N at most this */
#define GPU_FAKE_REF_MEM_MB 81559 /* an H100 80GB: the power reference */
#define GPU_FAKE_REF_POWER  600   /* its busy power in watts */

struct gpu_fake_model {
	const char *model; /* short name as typed */
	const char *canon; /* short name reported */
	const char *name;  /* what NVML would say */
	int64_t mem_mb;
};

static const struct gpu_fake_model gpu_fake_models[] = {
	{ "H100-80GB", "H100-80GB", "NVIDIA H100 80GB HBM3", 81559 },
	{ "H100", "H100-80GB", "NVIDIA H100 80GB HBM3", 81559 },
	{ "A100-80GB", "A100-80GB", "NVIDIA A100-SXM4-80GB", 81920 },
	{ "A100-40GB", "A100-40GB", "NVIDIA A100-SXM4-40GB", 40960 },
	{ "A100", "A100-40GB", "NVIDIA A100-SXM4-40GB", 40960 },
	{ "L4", "L4", "NVIDIA L4", 23034 },
	{ "L4-24GB", "L4", "NVIDIA L4", 23034 },
	{ "T4", "T4", "Tesla T4", 15360 },
	{ "T4-16GB", "T4", "Tesla T4", 15360 },
	{ "V100-32GB", "V100-32GB", "Tesla V100-SXM2-32GB", 32768 },
	{ "V100-16GB", "V100-16GB", "Tesla V100-SXM2-16GB", 16384 },
	{ "V100", "V100-16GB", "Tesla V100-SXM2-16GB", 16384 },
	{ "A10", "A10", "NVIDIA A10", 23028 },
	{ "A10-24GB", "A10", "NVIDIA A10", 23028 },
	{ "RTX4090", "RTX4090", "NVIDIA GeForce RTX 4090", 24564 },
	{ "RTX4090-24GB", "RTX4090", "NVIDIA GeForce RTX 4090", 24564 },
};

#define GPU_FAKE_NMODELS (sizeof(gpu_fake_models) / sizeof(gpu_fake_models[0]))

static uint64_t
gpu_fake_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* A hash of a string and two numbers. */
static uint64_t
gpu_fake_hash(const char *s, int64_t a, int64_t b)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	h = gpu_fake_fnv(h, s, strlen(s) + 1);
	h = gpu_fake_fnv(h, &a, sizeof(a));
	h = gpu_fake_fnv(h, &b, sizeof(b));
	/* FNV mixes its last bytes poorly; finish with a murmur mix. */
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

static void
gpu_fake_uuid(const char *host, int32_t index, char *out, size_t n)
{
	uint64_t hi = gpu_fake_hash(host, index, 0);
	uint64_t lo = gpu_fake_hash(host, index, 1);

	snprintf(out, n, "GPU-%08x-%04x-%04x-%04x-%012llx",
	    (unsigned)(hi >> 32), (unsigned)(hi >> 16) & 0xffff,
	    (unsigned)hi & 0xffff, (unsigned)(lo >> 48),
	    (unsigned long long)(lo & UINT64_C(0xffffffffffff)));
}

/* NAME-<N>GB for a model not in the table; 0 or GQ_EINVAL. */
static int
gpu_fake_generic(const char *model, struct gpu_info *g)
{
	const char *dash = strrchr(model, '-'), *p;
	char *end;
	long gb;
	size_t i;

	if (dash == NULL || dash == model)
		return GQ_EINVAL;
	for (p = model; p < dash; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return GQ_EINVAL;
	if (!isdigit((unsigned char)dash[1]))
		return GQ_EINVAL;
	gb = strtol(dash + 1, &end, 10);
	if (strcasecmp(end, "GB") != 0 || gb < 1 || gb > GPU_FAKE_MAX_GB)
		return GQ_EINVAL;
	if (strlen(model) >= sizeof(g->model))
		return GQ_EINVAL;
	snprintf(g->model, sizeof(g->model), "%s", model);
	i = (size_t)(dash - model);
	snprintf(g->name, sizeof(g->name), "NVIDIA %.*s", (int)i, model);
	g->mem_mb = gb * 1024;
	return 0;
}

/* Fills a GPU's model, name and memory from a model name. */
static int
gpu_fake_model(const char *model, struct gpu_info *g)
{
	size_t i;

	for (i = 0; i < GPU_FAKE_NMODELS; i++) {
		if (strcasecmp(model, gpu_fake_models[i].model) == 0) {
			snprintf(g->model, sizeof(g->model), "%s",
			    gpu_fake_models[i].canon);
			snprintf(g->name, sizeof(g->name), "%s",
			    gpu_fake_models[i].name);
			g->mem_mb = gpu_fake_models[i].mem_mb;
			return 0;
		}
	}
	return gpu_fake_generic(model, g);
}

static char *
gpu_fake_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
gpu_fake_bad(const char *item, const char *why, char *cause, size_t n)
{
	if (cause != NULL && n > 0)
		snprintf(cause, n, "bad fake GPU spec \"%s\": %s", item, why);
	return GQ_EINVAL;
}

/* Parses one "COUNT:MODEL" item, appending its GPUs to inv. */
static int
gpu_fake_item(char *item, const char *host, struct gpu_inventory *inv,
    char *cause, size_t n)
{
	struct gpu_info g;
	char *colon, *model, *end;
	long count, i;

	item = gpu_fake_trim(item);
	if ((colon = strchr(item, ':')) == NULL)
		return gpu_fake_bad(item, "expected COUNT:MODEL", cause, n);
	*colon = '\0';
	model = gpu_fake_trim(colon + 1);
	count = strtol(gpu_fake_trim(item), &end, 10);
	if (*item == '\0' || !isdigit((unsigned char)*item) || *end != '\0') {
		*colon = ':';
		return gpu_fake_bad(item, "expected COUNT:MODEL", cause, n);
	}
	memset(&g, 0, sizeof(g));
	if (gpu_fake_model(model, &g) != 0)
		return gpu_fake_bad(*model != '\0' ? model : "(empty)",
		    "unknown model (use a known name or NAME-<N>GB)", cause, n);
	if (count < 1 || count > GPU_MAX || inv->ngpus + count > GPU_MAX)
		return gpu_fake_bad(item, "between 1 and 64 GPUs in all", cause,
		    n);
	for (i = 0; i < count; i++) {
		g.index = (int32_t)inv->ngpus;
		gpu_fake_uuid(host, g.index, g.uuid, sizeof(g.uuid));
		inv->gpus[inv->ngpus++] = g;
	}
	return 0;
}

int
gpu_fake_parse(const char *spec, const char *host, struct gpu_inventory *inv,
    char *cause, size_t n)
{
	char copy[GPU_MAX_SPEC + 1], *item, *next;
	int rc;

	memset(inv, 0, sizeof(*inv));
	snprintf(inv->source, sizeof(inv->source), "fake");
	if (host == NULL)
		host = "";
	if (strlen(spec) > GPU_MAX_SPEC)
		return gpu_fake_bad("...", "longer than 256 bytes", cause, n);
	snprintf(copy, sizeof(copy), "%s", spec);
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if ((rc = gpu_fake_item(item, host, inv, cause, n)) != 0) {
			inv->ngpus = 0;
			return rc;
		}
	}
	return 0;
}

/* A level in [lo, lo + span) for a GPU at step k, salted by what. */
static int64_t
gpu_fake_level(const char *what, int32_t index, int64_t k, int64_t lo,
    int64_t span)
{
	return lo + (int64_t)(gpu_fake_hash(what, index, k) % (uint64_t)span);
}

/* A value that moves smoothly between levels, one every 5 seconds. */
static int64_t
gpu_fake_wave(const char *what, int32_t index, int64_t t, int64_t lo,
    int64_t span)
{
	int64_t k = t >= 0 ? t / 5 : (t - 4) / 5, f = t - k * 5;
	int64_t a = gpu_fake_level(what, index, k, lo, span);
	int64_t b = gpu_fake_level(what, index, k + 1, lo, span);

	return (a * (5 - f) + b * f) / 5;
}

void
gpu_fake_sample(const struct gpu_info *g, int32_t alloc_milli,
    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out)
{
	int64_t share, pmax, idle, mem;

	memset(out, 0, sizeof(*out));
	out->index = g->index;
	share = alloc_milli < 0 ? 0 : alloc_milli > 1000 ? 1000 : alloc_milli;
	if (share > 0) {
		out->util_pct =
		    (int32_t)(gpu_fake_wave("util", g->index, t, 60, 36) *
		        share / 1000);
		if (alloc_mem_mb <= 0)
			alloc_mem_mb = g->mem_mb * share / 1000;
		mem = alloc_mem_mb * gpu_fake_wave("mem", g->index, t, 80, 16) /
		    100;
		out->mem_used_mb = mem < g->mem_mb ? mem : g->mem_mb;
	}
	out->temp_c = (int32_t)(30 + gpu_fake_hash("temp", g->index, 0) % 6) +
	    out->util_pct * 45 / 100;
	pmax = GPU_FAKE_REF_POWER * g->mem_mb / GPU_FAKE_REF_MEM_MB;
	pmax = pmax < 70 ? 70 : pmax > 700 ? 700 : pmax;
	idle = pmax / 10;
	out->power_w = (int32_t)(idle + (pmax - idle) * out->util_pct / 100);
}

/* Nominal memory sizes in GB, for a model's name. */
static const int gpu_fake_sizes[] = { 2, 4, 6, 8, 10, 11, 12, 16, 20, 24, 32,
	40, 48, 64, 80, 94, 96, 128, 141, 180, 192, 256, 288 };

/*
 * The nominal size nearest to mem_mb MiB.  Boards report a little less
 * than the label (an 80GB H100 shows 81559 MiB, an L4 23034 MiB), so the
 * nearest label wins, not a rounding of the MiB.
 */
static int
gpu_fake_nominal_gb(int64_t mem_mb)
{
	double gib = (double)mem_mb / 1024.0, best_err = 1e9, err;
	int best = (int)(gib + 0.5);
	size_t i;

	for (i = 0; i < sizeof(gpu_fake_sizes) / sizeof(gpu_fake_sizes[0]);
	     i++) {
		err = gib / gpu_fake_sizes[i];
		err = err > 1 ? err - 1 : 1 - err;
		if (err < best_err && err < 0.12) {
			best_err = err;
			best = gpu_fake_sizes[i];
		}
	}
	return best > 0 ? best : 1;
}

/* The first word of name with a digit in it ("H100", "A100-SXM4-80GB"). */
static int
gpu_fake_word(const char *name, char *out, size_t n)
{
	const char *p = name, *w, *dash;
	size_t len;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		w = p;
		while (*p != '\0' && *p != ' ')
			p++;
		len = (size_t)(p - w);
		if (len == 0 || strcspn(w, "0123456789") >= len)
			continue;
		/* "A100-SXM4-80GB": the family is before the first dash. */
		if ((dash = memchr(w, '-', len)) != NULL && dash > w)
			len = (size_t)(dash - w);
		if (len >= n)
			len = n - 1;
		memcpy(out, w, len);
		out[len] = '\0';
		return 0;
	}
	return GQ_EINVAL;
}

void
gpu_fake_model_of(const char *name, int64_t mem_mb, char *out, size_t n)
{
	char word[24];
	size_t i;

	for (i = 0; i < GPU_FAKE_NMODELS; i++)
		if (strcmp(name, gpu_fake_models[i].name) == 0 &&
		    (mem_mb <= 0 ||
		        gpu_fake_nominal_gb(mem_mb) ==
		            gpu_fake_nominal_gb(gpu_fake_models[i].mem_mb))) {
			snprintf(out, n, "%s", gpu_fake_models[i].canon);
			return;
		}
	if (gpu_fake_word(name, word, sizeof(word)) != 0)
		snprintf(word, sizeof(word), "GPU");
	if (mem_mb > 0)
		snprintf(out, n, "%s-%dGB", word, gpu_fake_nominal_gb(mem_mb));
	else
		snprintf(out, n, "%s", word);
}
