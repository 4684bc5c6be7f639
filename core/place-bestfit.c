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
	return place_by_left(c, r, 1, ctx, a, why);
}
