/* format.c: see format.h. */
#include "format.h"
#include "escape.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *fmt_bytes(int64_t n, char *buf, size_t size)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
    if (n < 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (n < 1024) {
        snprintf(buf, size, "%" PRId64 " B", n);
        return buf;
    }
    double v = (double)n;
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    snprintf(buf, size, v < 10.0 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

#define ESC_RING 16

const char *fmt_esc(const char *s)
{
    static char *ring[ESC_RING];
    static unsigned next;
    unsigned i = next++ % ESC_RING;
    free(ring[i]);
    ring[i] = esc_dup(s, 0);
    return ring[i];
}

void fmt_put_block(FILE *f, const char *s)
{
    char *e = esc_dup(s, ESC_LINES);
    fputs(e, f);
    free(e);
}

void fmt_put_sql(FILE *f, const char *s)
{
    if (!isatty(fileno(f)))   /* a pipe or a file gets the exact text */
        fputs(s ? s : "", f);
    else
        fmt_put_block(f, s);
    if (s && *s && s[strlen(s) - 1] != '\n')
        fputc('\n', f);   /* the prompt after it on a line of its own */
}
