/* clock.c: see clock.h. */
#include "clock.h"

#include <time.h>

long clock_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

void clock_nap_ms(long ms)
{
    if (ms <= 0)
        return;
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}
