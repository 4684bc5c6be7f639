/*
 * Internal to core/gpu: what a probe provides.  The table of probes is in
 * gpu.c; nothing outside core/gpu includes this.
 */
#ifndef GPUQ_GPU_INT_H
#define GPUQ_GPU_INT_H

#include "core/gpu/gpu.h"

struct gpu_probe {
	const char *name;
	/*
	 * Fills inv (its source too).  0, GQ_ENOENT when the probe finds no
	 * source here (no library, no program), or another GQ_E* code with
	 * a reason in cause.  On success g->priv is the probe's own state.
	 */
	int (*open)(struct gpu_dev *g, const struct gpu_opts *o,
	    struct gpu_inventory *inv, char *cause, size_t n);
	void (*close)(struct gpu_dev *g);
	void (*round)(struct gpu_dev *g, int64_t now); /* may be NULL */
	void (*sample)(struct gpu_dev *g, int32_t i, int32_t alloc_milli,
	    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out);
	/* NULL: the source cannot tell which process uses what. */
	int (*procs)(struct gpu_dev *g, int32_t i, struct gpu_proc *out,
	    size_t max, size_t *n);
	int synthetic; /* samples are made up from allocations */
};

struct gpu_dev {
	const struct gpu_probe *probe;
	struct gpu_inventory inv; /* a copy, for the probe's use */
	void *priv;               /* the probe's state */
	int procs;                /* open() found per-process memory */
};

extern const struct gpu_probe gpu_probe_fake;
extern const struct gpu_probe gpu_probe_nvml;
extern const struct gpu_probe gpu_probe_smi;

/*
 * Copies at most n - 1 bytes of s into out, cutting leading spaces and
 * trailing blanks; bytes that are not printable ASCII become '?'.
 */
void gpu_copy_trim(char *out, size_t n, const char *s);

#endif
