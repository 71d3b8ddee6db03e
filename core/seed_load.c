/* seed_load.c: a generator's rows into one table (see seed_internal.h):
 * PostgreSQL through COPY, SQLite (and a set run again, which skips the
 * rows that are there) through one prepared INSERT; the keys inserted
 * are kept as ranges for the ledger. */
#include "seed_internal.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_CHUNK (256 * 1024)   /* bytes sent to the server at a time */
#define CHECK_EVERY 1024          /* rows between two looks at cancel and progress */
#define PROGRESS_MS 250

void seed_load_progress(SeedLoader *L, const char *table, bool force)
{
    if (!L->ev || !L->ev->progress)
        return;
    long now = seed_now_ms();
    if (!force && now - L->last_ms < PROGRESS_MS)
        return;
    L->last_ms = now;
    char *what = seed_progress_text(table, L->done, L->total, now - L->t0_ms);
    L->ev->progress(L->ev->ctx, (size_t)L->done, (size_t)L->total, what);
    free(what);
}

/* "INSERT INTO t (c1, …) VALUES ($1, …)", skipping conflicts when asked. */
static char *insert_sql(DbConn *c, const SeedTableDef *t, bool ignore)
{
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    StrBuf b = STRBUF_INIT;
    char *qt = db_quote_ident(c, t->name);
    sb_appendf(&b, "/* seed: rows of %s */ INSERT %sINTO %s (", t->name,
               ignore && !pg ? "OR IGNORE " : "", qt);
    free(qt);
    for (int i = 0; i < t->ncols; i++) {
        char *q = db_quote_ident(c, t->columns[i]);
        sb_appendf(&b, "%s%s", i ? ", " : "", q);
        free(q);
    }
    sb_append(&b, ") VALUES (");
    for (int i = 0; i < t->ncols; i++)
        sb_appendf(&b, "%s$%d", i ? ", " : "", i + 1);
    sb_append(&b, ignore && pg ? ") ON CONFLICT DO NOTHING" : ")");
    return sb_take(&b);
}

static char *copy_sql(DbConn *c, const SeedTableDef *t)
{
    StrBuf b = STRBUF_INIT;
    char *qt = db_quote_ident(c, t->name);
    sb_appendf(&b, "/* seed: rows of %s */ COPY %s (", t->name, qt);
    free(qt);
    for (int i = 0; i < t->ncols; i++) {
        char *q = db_quote_ident(c, t->columns[i]);
        sb_appendf(&b, "%s%s", i ? ", " : "", q);
        free(q);
    }
    sb_append(&b, ") FROM STDIN");
    return sb_take(&b);
}

static int load_copy(SeedLoader *L, const SeedTableDef *t, SeedGen *g, const SeedGenClass *gc,
                     bool damage, SeedRanges *keys, long long *inserted, DbError *err)
{
    char *sql = copy_sql(L->conn, t);
    int rc = db_copy_begin(L->conn, "seed: copy", sql, err);
    free(sql);
    if (rc != 0)
        return -1;
    StrBuf b = STRBUF_INIT;
    SeedRow row;
    long long sent = 0;
    while (gc->next(g, &row)) {
        if (row.damage != damage)
            continue;
        for (int i = 0; i < t->ncols; i++) {
            if (i)
                sb_appendc(&b, '\t');
            db_copy_field(&b, row.v[i], row.v[i] ? strlen(row.v[i]) : 0);
        }
        sb_appendc(&b, '\n');
        seed_ranges_add(keys, row.key);
        sent++;
        L->done++;
        if (b.len >= COPY_CHUNK) {
            if (seed_cancelled(L->ev)) {
                db_copy_abort(L->conn, "cancelled");
                sb_free(&b);
                return seed_cancel_error(err);
            }
            if (db_copy_put(L->conn, b.s, b.len, err) != 0)
                goto fail;
            b.len = 0;
            seed_load_progress(L, t->name, false);
        }
    }
    if (b.len && db_copy_put(L->conn, b.s, b.len, err) != 0)
        goto fail;
    sb_free(&b);
    long long rows = 0;
    if (db_copy_end(L->conn, &rows, err) != 0)
        return -1;
    if (rows != sent) {
        db_error_set(err, DB_ERR_SQL, "%s: COPY stored %lld rows of the %lld sent", t->name,
                     rows, sent);
        return -1;
    }
    *inserted += rows;
    return 0;
fail:
    sb_free(&b);
    return -1;
}

static int load_prepared(SeedLoader *L, const SeedTableDef *t, SeedGen *g,
                         const SeedGenClass *gc, bool damage, SeedRanges *keys,
                         long long *inserted, DbError *err)
{
    char *sql = insert_sql(L->conn, t, L->ignore_conflicts);
    DbStmt *st = NULL;
    int rc = db_prepare(L->conn, "seed: insert", sql, &st, err);
    free(sql);
    if (rc != 0)
        return -1;
    SeedRow row;
    long long n = 0;
    while (gc->next(g, &row)) {
        if (row.damage != damage)
            continue;
        DbParams p = { t->ncols, row.v };
        long long changes = 0;
        if (db_stmt_exec(st, &p, &changes, err) != 0) {
            db_error_prefix(err, "%s (key %lld)", t->name, row.key);
            goto fail;
        }
        if (changes > 0) {
            seed_ranges_add(keys, row.key);
            (*inserted)++;
        }
        L->done++;
        if (++n % CHECK_EVERY == 0) {
            if (seed_cancelled(L->ev)) {
                seed_cancel_error(err);
                goto fail;
            }
            seed_load_progress(L, t->name, false);
        }
    }
    db_stmt_free(st);
    return 0;
fail:
    db_stmt_free(st);
    return -1;
}

int seed_load_table(SeedLoader *L, const SeedTableDef *t, SeedGen *g, const SeedGenClass *gc,
                    bool damage, SeedRanges *keys, long long *inserted, DbError *err)
{
    bool copy = db_engine(L->conn) == DB_ENGINE_POSTGRES && !L->ignore_conflicts;
    int rc = copy ? load_copy(L, t, g, gc, damage, keys, inserted, err)
                  : load_prepared(L, t, g, gc, damage, keys, inserted, err);
    if (rc != 0 && copy && err->kind != DB_ERR_CANCELLED)
        db_error_prefix(err, "%s", t->name);
    seed_load_progress(L, t->name, true);
    return rc;
}
