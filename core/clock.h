/* clock.h: milliseconds of the monotonic clock (not changed by the wall
 * clock being set), for timing and waiting.  Never fails. */
#ifndef DBW_CLOCK_H
#define DBW_CLOCK_H

/* Milliseconds since an arbitrary start (only differences mean anything). */
long clock_now_ms(void);

/* Sleeps ms milliseconds (<= 0: not at all). */
void clock_nap_ms(long ms);

#endif
