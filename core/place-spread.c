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
	return place_by_left(c, r, 0, ctx, a, why);
}
