/*
 * Best fit, the floor FGD is measured against: the node whose CPUs and
 * GPU capacity left free after the placement are least (each as a share
 * of the largest node's, averaged, as in the FGD paper's baseline), and on
 * it the GPU left with the least free capacity.  Whole GPUs take an
 * aligned block inside the busiest larger block.  Pure.
 */
#include "core/place.h"

int
place_bestfit_find(const struct cluster *c, const struct req *r,
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
		if (!found || left < best_left) {
			found = 1;
			best_left = left;
			best = i;
		}
	}
	if (!found) {
		*why = place_why(c, r);
		return 0;
	}
	place_fill(c, best, r, 1, a);
	return 1;
}
