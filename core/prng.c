/* prng.c: see prng.h. */
#include "prng.h"

uint64_t prng_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void prng_init(Prng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    /* three rounds of splitmix64 fold the triple into one state word */
    uint64_t st = seed;
    uint64_t h = prng_splitmix64(&st);
    st = h ^ (stream * 0xd1342543de82ef95ULL);
    h = prng_splitmix64(&st);
    st = h ^ (index * 0xaf251af3b0f025b5ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = prng_splitmix64(&st);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t prng_next(Prng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t prng_below(Prng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* rejection of the top partial block keeps every value equally likely */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = prng_next(r);
    while (x >= limit);
    return x % n;
}

int64_t prng_range(Prng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)prng_below(r, (uint64_t)(hi - lo) + 1);
}

int prng_chance(Prng *r, unsigned per10000)
{
    return prng_below(r, 10000) < per10000;
}

size_t prng_weighted(Prng *r, const unsigned *weights, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    uint64_t x = prng_below(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}
