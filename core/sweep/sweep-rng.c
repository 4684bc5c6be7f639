/*
 * The sweep engine's generator: xoshiro256** (Blackman and Vigna), seeded
 * through splitmix64 as its authors recommend.  Portable and reproducible:
 * the same seed gives the same stream everywhere.
 */
#include <math.h>
#include <stdint.h>

#include "core/sweep/sweep.h"

static uint64_t
sweep_rng_splitmix(uint64_t *x)
{
	uint64_t z;

	z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
sweep_rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
sweep_rng_seed(struct sweep_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = sweep_rng_splitmix(&x);
}

void
sweep_rng_for_trial(struct sweep_rng *r, uint64_t seed, int64_t index)
{
	uint64_t x = seed;

	/* Mix the index in through splitmix so nearby indexes diverge. */
	x ^= sweep_rng_splitmix(&x) + (uint64_t)index;
	sweep_rng_seed(r, sweep_rng_splitmix(&x) ^ (uint64_t)index);
}

uint64_t
sweep_rng_next(struct sweep_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out, t;

	out = sweep_rng_rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = sweep_rng_rotl(s[3], 45);
	return out;
}

double
sweep_rng_double(struct sweep_rng *r)
{
	return (double)(sweep_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t
sweep_rng_below(struct sweep_rng *r, uint64_t n)
{
	uint64_t x, lim;

	/* Rejection keeps the draw unbiased. */
	lim = UINT64_MAX - UINT64_MAX % n;
	do
		x = sweep_rng_next(r);
	while (x >= lim);
	return x % n;
}

double
sweep_rng_normal(struct sweep_rng *r)
{
	double u, v;

	/* Box-Muller; u is kept away from 0 so log() stays finite. */
	do
		u = sweep_rng_double(r);
	while (u <= 0.0);
	v = sweep_rng_double(r);
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}
