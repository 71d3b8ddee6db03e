/* prng.h: dbwarden's own pseudo-random numbers: the same sequence for the
 * same seed on every machine, compiler and engine.
 *
 * Nothing here reads libc's rand(), the locale, the clock or floating
 * point: splitmix64 (Steele, Lea, Flood 2014) turns a seed into a state,
 * xoshiro256** (Blackman, Vigna 2018) draws from it, and every helper
 * below is integer arithmetic.  A generator is derived from three numbers
 * (prng_init: a seed, a stream and an index), so any row of any table can
 * be drawn on its own, in any order, and get the same values. */
#ifndef DBW_PRNG_H
#define DBW_PRNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct Prng {
    uint64_t s[4];
} Prng;

/* splitmix64: advances *state and returns the next output. */
uint64_t prng_splitmix64(uint64_t *state);
/* A generator for (seed, stream, index): independent of every other
 * triple, fixed for this one. */
void     prng_init(Prng *r, uint64_t seed, uint64_t stream, uint64_t index);
/* xoshiro256**: the next 64 bits. */
uint64_t prng_next(Prng *r);
/* Uniform in [0, n) (n > 0; 0 when n is 0), without modulo bias. */
uint64_t prng_below(Prng *r, uint64_t n);
/* Uniform in [lo, hi] (lo <= hi). */
int64_t  prng_range(Prng *r, int64_t lo, int64_t hi);
/* true with probability per10000 / 10000. */
int      prng_chance(Prng *r, unsigned per10000);
/* An index in [0, n) drawn with the given integer weights (their sum > 0). */
size_t   prng_weighted(Prng *r, const unsigned *weights, size_t n);

#endif
