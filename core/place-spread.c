/*
 * Spread: the opposite of best fit.  The node left with the most CPUs and
 * GPU capacity free, and on it the GPU left with the most: jobs land on
 * quiet hardware, at the price of breaking whole nodes.  Pure.
 */
#include "core/place.h"

int
place_spread_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why)
{
	double cpus, gpus, left, best_left = 0;
	size_t i, best = 0;
	int found = 0;

	place_cluster_scale(c, &cpus, &gpus);
	for (i = 0; i < c->nnodes; i++) {
		if (!place_node_fits(&c->nodes[i], r))
			continue;
		left = place_node_left(&c->nodes[i], r, cpus, gpus);
		if (!found || left > best_left) {
			found = 1;
			best_left = left;
			best = i;
		}
	}
	if (!found) {
		*why = place_why(c, r);
		return 0;
	}
	place_fill(c, best, r, 0, a);
	return 1;
}
