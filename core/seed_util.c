/* seed_util.c: what the seed files share: dates and money as text (integer
 * arithmetic only, no locale), key ranges, the clock of progress, cancel
 * (see seed_internal.h). */
#include "seed_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

long long seed_anchor_epoch(void)
{
    return days_from_civil(2026, 11, 1) * 86400;   /* SEED_ANCHOR */
}

static long long floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* n as exactly width digits (n >= 0, kept to its last width digits). */
static void digits(char *out, unsigned long long n, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + n % 10);
        n /= 10;
    }
}

void seed_fmt_date(long long epoch, char buf[11])
{
    long long y;
    unsigned m, d;
    civil_from_days(floor_div(epoch, 86400), &y, &m, &d);
    digits(buf, (unsigned long long)(y < 0 ? 0 : y), 4);
    buf[4] = '-';
    digits(buf + 5, m, 2);
    buf[7] = '-';
    digits(buf + 8, d, 2);
    buf[10] = '\0';
}

void seed_fmt_time(long long epoch, char buf[20])
{
    long long secs = epoch - floor_div(epoch, 86400) * 86400;
    seed_fmt_date(epoch, buf);
    buf[10] = ' ';
    digits(buf + 11, (unsigned long long)(secs / 3600), 2);
    buf[13] = ':';
    digits(buf + 14, (unsigned long long)(secs / 60 % 60), 2);
    buf[16] = ':';
    digits(buf + 17, (unsigned long long)(secs % 60), 2);
    buf[19] = '\0';
}

void seed_fmt_cents(long long cents, char buf[24])
{
    const char *sign = cents < 0 ? "-" : "";
    long long a = cents < 0 ? -cents : cents;
    snprintf(buf, 24, "%s%lld.%02lld", sign, a / 100, a % 100);
}

/* ---- ranges ----------------------------------------------------------- */

void seed_ranges_add(SeedRanges *rs, long long key)
{
    rs->count++;
    if (rs->n > 0 && rs->r[rs->n - 1].hi + 1 == key) {
        rs->r[rs->n - 1].hi = key;
        return;
    }
    rs->r = xgrow(rs->r, &rs->cap, rs->n + 1, sizeof *rs->r);
    rs->r[rs->n++] = (SeedRange){ key, key };
}

static int cmp_range(const void *a, const void *b)
{
    const SeedRange *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void seed_ranges_normalize(SeedRanges *rs)
{
    if (rs->n < 2)
        return;
    qsort(rs->r, rs->n, sizeof *rs->r, cmp_range);
    size_t w = 0;
    for (size_t i = 1; i < rs->n; i++) {
        if (rs->r[i].lo <= rs->r[w].hi + 1) {
            if (rs->r[i].hi > rs->r[w].hi)
                rs->r[w].hi = rs->r[i].hi;
        } else {
            rs->r[++w] = rs->r[i];
        }
    }
    rs->n = w + 1;
    rs->count = 0;
    for (size_t i = 0; i < rs->n; i++)
        rs->count += rs->r[i].hi - rs->r[i].lo + 1;
}

void seed_ranges_free(SeedRanges *rs)
{
    free(rs->r);
    memset(rs, 0, sizeof *rs);
}

/* ---- time and cancel --------------------------------------------------- */

long seed_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

bool seed_cancelled(const ActionEvents *ev)
{
    return ev && ev->cancelled && ev->cancelled(ev->ctx);
}

int seed_cancel_error(DbError *err)
{
    db_error_set(err, DB_ERR_CANCELLED, "cancelled; the transaction was rolled back and "
                 "nothing of it was kept");
    return -1;
}

void seed_grouped(long long v, char *buf, size_t len)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%lld", v < 0 ? -v : v);
    size_t n = strlen(raw), o = 0;
    if (v < 0 && o + 1 < len)
        buf[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < len; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
}

char *seed_progress_text(const char *table, long long done, long long total, long elapsed_ms)
{
    long long pct = total > 0 ? done * 100 / total : 0;
    long long rate = elapsed_ms > 0 ? done * 1000 / elapsed_ms : 0;
    long long left_ms = rate > 0 && total > done ? (total - done) * 1000 / rate : 0;
    return xasprintf("%s: %lld of %lld rows (%lld%%) done (elapsed %ld.%01ld s, remaining "
                     "%lld.%01lld s, %lld rows/s)", table, done, total, pct, elapsed_ms / 1000,
                     elapsed_ms % 1000 / 100, left_ms / 1000, left_ms % 1000 / 100, rate);
}

