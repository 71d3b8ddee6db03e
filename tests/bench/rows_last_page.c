/* rows_last_page.c: how long dbwarden's row pager takes to show the last
 * page of a table, and how much memory it needs (tests/bench/schema_bench.sh).
 *
 *   rows_last_page URL TABLE [PAGE_SIZE [BACK_PAGES [KEY]]]
 *
 * Connects, finds the table's key (or takes KEY: one column name, such as
 * ctid to page a table with a primary key by ctid), opens a pager, fetches
 * the last page,
 * then pages back BACK_PAGES times (default 10).  Prints one line of
 * key=value pairs: times in milliseconds, the rows of the last page, and
 * the process's peak resident memory in KiB (getrusage). */
#include "db.h"
#include "rows.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: rows_last_page URL TABLE [PAGE_SIZE [BACK_PAGES [KEY]]]\n");
        return 2;
    }
    int page = argc > 3 ? atoi(argv[3]) : 100;
    int back = argc > 4 ? atoi(argv[4]) : 10;
    DbError err = DB_ERROR_INIT;
    DbConn *c = NULL;
    RowsPager *p = NULL;
    RowsKey key = { 0 };
    int rc = 1;
    double t0 = now_ms();
    if (db_open(&c, argv[1], NULL, &err) != 0)
        goto fail;
    double t1 = now_ms();
    if (argc > 5) {
        key.kind = ROWS_KEY_PRIMARY;
        key.ncols = 1;
        key.cols = xmalloc(sizeof *key.cols);
        key.cols[0] = xstrdup(argv[5]);
    } else if (rows_find_key(c, NULL, argv[2], &key, &err) != 0) {
        goto fail;
    }
    RowsSpec spec = { NULL, argv[2], key.ncols, (const char *const *)key.cols, 0, NULL, page,
                      key.kind, key.by_text };
    if (rows_open(&p, c, &spec, &err) != 0 || rows_last(p, &err) != 0)
        goto fail;
    double t2 = now_ms();
    size_t rows = rows_page(p)->nrows;
    for (int i = 0; i < back; i++)
        if (rows_prev(p, &err) != 0)
            goto fail;
    double t3 = now_ms();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("connect_ms=%.1f last_page_ms=%.1f rows=%zu key=%s back_pages=%d back_ms=%.1f "
           "maxrss_kb=%ld\n", t1 - t0, t2 - t1, rows, key.cols[0], back, t3 - t2,
           ru.ru_maxrss);
    rc = 0;
fail:
    if (rc != 0)
        fprintf(stderr, "rows_last_page: %s\n", err.message ? err.message : "failed");
    db_error_clear(&err);
    rows_close(p);
    rows_key_free(&key);
    db_close(c);
    return rc;
}
