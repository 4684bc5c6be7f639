/*
 * Internals shared by the placement files: a compact copy of one node's
 * free resources that FGD can change and measure cheaply, without copying
 * a whole struct node for every candidate.
 */
#ifndef GPUQ_PLACE_INT_H
#define GPUQ_PLACE_INT_H

#include "core/place.h"

struct place_view {
	int32_t ngpus;
	int32_t free[MODEL_MAX_NODE_GPUS];    /* free milli, at least 0 */
	int64_t gpu_mem[MODEL_MAX_NODE_GPUS]; /* each GPU's memory */
	uint64_t bit[MODEL_MAX_NODE_GPUS];    /* names accepting its model */
	int32_t cpus_milli;                   /* free on the node */
	int64_t mem_mb;
	int64_t total; /* sum of free */
};

/*
 * The bits of the mix's model names that accept GPU model s (exactly or as
 * its family, model_gpu_model_ok), and bit 63, which every kind without a
 * constraint accepts.
 */
uint64_t place_mix_bit(const struct place_mix *m, const char *s);
/* Fills v from nd. */
void place_view_of(const struct node *nd, const struct place_mix *m,
    struct place_view *v);
/* Takes milli from GPU g of v (g < 0: none) and the CPUs and memory. */
void place_view_take(struct place_view *v, int32_t g, int32_t milli,
    int32_t cpus_milli, int64_t mem_mb);
/* What place_frag_type and place_frag_node measure, on a view. */
double place_frag_view_type(const struct place_view *v,
    const struct place_type *t);
double place_frag_view(const struct place_view *v, const struct place_mix *m);

#endif
