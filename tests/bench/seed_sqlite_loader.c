/* seed_sqlite_loader.c: the raw SQLite loader that tests/bench/seed_bench.sh
 * times dbwarden's seed against: the same rows, read from files, through
 * one prepared INSERT per table in one transaction, and nothing else.
 *
 *   seed_sqlite_loader DB DIR TABLE...
 *
 * For each TABLE it reads DIR/TABLE.cols (the column names, one line,
 * separated by commas) and DIR/TABLE.tsv (rows in PostgreSQL COPY's text
 * format: tab-separated, \N for NULL, backslash escapes), as psql's
 * \copy … TO writes them.  Prints "rows N ms M" on stdout.  Plain sqlite3,
 * no dbwarden code, so that it is the baseline. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXCOLS 64

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "seed_sqlite_loader: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

/* Unescapes one field in place; returns NULL for \N. */
static char *field(char *s)
{
    if (strcmp(s, "\\N") == 0)
        return NULL;
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '\\' && r[1]) {
            r++;
            *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r == 'r' ? '\r' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return s;
}

static long long load_table(sqlite3 *db, const char *dir, const char *table)
{
    char path[4096], cols[4096];
    snprintf(path, sizeof path, "%s/%s.cols", dir, table);
    FILE *f = fopen(path, "r");
    if (!f || !fgets(cols, sizeof cols, f))
        die(NULL, path);
    fclose(f);
    cols[strcspn(cols, "\r\n")] = '\0';
    int n = 1;
    for (char *p = cols; *p; p++)
        n += *p == ',';
    char sql[8192];
    int len = snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (%s) VALUES (", table, cols);
    for (int i = 0; i < n; i++)
        len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?%d", i ? ", " : "", i + 1);
    snprintf(sql + len, sizeof sql - (size_t)len, ")");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(db, sql);
    snprintf(path, sizeof path, "%s/%s.tsv", dir, table);
    f = fopen(path, "r");
    if (!f)
        die(NULL, path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long long rows = 0;
    while ((got = getline(&line, &cap, f)) > 0) {
        if (line[got - 1] == '\n')
            line[got - 1] = '\0';
        char *p = line;
        for (int i = 0; i < n && i < MAXCOLS; i++) {
            char *tab = strchr(p, '\t');
            if (tab)
                *tab = '\0';
            char *v = field(p);
            if (v)
                sqlite3_bind_text(st, i + 1, v, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, i + 1);
            p = tab ? tab + 1 : p + strlen(p);
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            die(db, table);
        sqlite3_reset(st);
        rows++;
    }
    free(line);
    fclose(f);
    sqlite3_finalize(st);
    return rows;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: seed_sqlite_loader DB DIR TABLE...\n");
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die(db, argv[1]);
    long t0 = now_ms();
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "begin");
    long long rows = 0;
    for (int i = 3; i < argc; i++)
        rows += load_table(db, argv[2], argv[i]);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die(db, "commit");
    printf("rows %lld ms %ld\n", rows, now_ms() - t0);
    sqlite3_close(db);
    return 0;
}
