/*
 * Random search: each parameter drawn independently from its
 * distribution with the caller's generator, so a seed reproduces a sweep.
 */
#include "core/sweep/sweep-int.h"

void
sweep_random_point(const struct sweep_spec *s, struct sweep_rng *r,
    struct sweep_point *out)
{
	size_t i;

	sweep_point_init(out, s->nparams);
	for (i = 0; i < s->nparams; i++)
		sweep_param_sample(&s->params[i], r, &out->v[i]);
}

int
sweep_random_next(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, struct sweep_point *out)
{
	sweep_random_point(s, r, out);
	return 1;
}
