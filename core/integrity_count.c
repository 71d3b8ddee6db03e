/* integrity_count.c: the orphan count of a foreign key, declared or
 * inferred, computed in the database by one anti-join (see integrity.h).
 *
 * The shape of the statement comes from the catalog: on SQLite a key of
 * one column is counted with NOT IN, which SQLite runs as the loop of
 * PRAGMA foreign_key_check (a scan of the child, or of its index when one
 * leads with the key, and a seek in the parent per row); several columns
 * with NOT EXISTS.  On PostgreSQL NOT EXISTS as the planner likes it,
 * unless an index of the child leads with the key and both tables are
 * mostly all-visible: then a merge anti-join of two index-only scans
 * (sequential scans and hash joins off for that statement), which reads
 * two indexes instead of the child's heap. */
#include "integrity_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How much of a table must be all-visible for the index-only shape. */
#define ALL_VISIBLE_MIN 0.9

char *integrity_qualified(DbConn *c, const char *schema, const char *table)
{
    char *s = db_quote_ident(c, schema ? schema : "main"), *t = db_quote_ident(c, table);
    char *q = xasprintf("%s.%s", s, t);
    free(s);
    free(t);
    return q;
}

/* "a."k1" IS NOT NULL AND a."k2" IS NOT NULL" */
static void not_null(StrBuf *b, DbConn *c, const IntegrityCheck *ck, const char *alias)
{
    for (size_t i = 0; i < ck->ncolumns; i++) {
        char *k = db_quote_ident(c, ck->columns[i]);
        sb_appendf(b, "%s%s.%s IS NOT NULL", i ? " AND " : "", alias, k);
        free(k);
    }
}

/* "p."r1" = a."k1" AND ..." */
static void key_match(StrBuf *b, DbConn *c, const IntegrityCheck *ck, const char *alias,
                      const char *palias)
{
    for (size_t i = 0; i < ck->ncolumns; i++) {
        char *k = db_quote_ident(c, ck->columns[i]), *r = db_quote_ident(c, ck->ref_columns[i]);
        sb_appendf(b, "%s%s.%s = %s.%s", i ? " AND " : "", palias, r, alias, k);
        free(k);
        free(r);
    }
}

char *integrity_orphan_condition(DbConn *c, const IntegrityCheck *ck, const char *alias)
{
    StrBuf b = STRBUF_INIT;
    char *parent = integrity_qualified(c, ck->ref_schema, ck->ref_table);
    char *palias = xasprintf("%s_p", alias);
    not_null(&b, c, ck, alias);
    sb_appendf(&b, " AND NOT EXISTS (SELECT 1 FROM %s %s WHERE ", parent, palias);
    key_match(&b, c, ck, alias, palias);
    sb_appendc(&b, ')');
    free(parent);
    free(palias);
    return sb_take(&b);
}

/* The WHERE condition of the count in the check's shape, on alias o. */
static char *shaped_condition(DbConn *c, const IntegrityCheck *ck)
{
    if (ck->shape != ISH_NOT_IN || ck->ncolumns != 1)
        return integrity_orphan_condition(c, ck, "o");
    char *k = db_quote_ident(c, ck->columns[0]), *r = db_quote_ident(c, ck->ref_columns[0]);
    char *parent = integrity_qualified(c, ck->ref_schema, ck->ref_table);
    /* NOT IN first: NULL NOT IN (a non-empty set) is not true, so the
     * IS NOT NULL test only runs for the orphans (and an empty parent) */
    char *cond = xasprintf("o.%s NOT IN (SELECT o_p.%s FROM %s o_p) AND o.%s IS NOT NULL", k, r,
                           parent, k);
    free(k);
    free(r);
    free(parent);
    return cond;
}

/* One statement: the orphan rows and their distinct keys. */
static char *count_sql(DbConn *c, const IntegrityCheck *ck)
{
    char *child = integrity_qualified(c, ck->schema, ck->table);
    char *cond = shaped_condition(c, ck);
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "/* integrity: orphans */ SELECT coalesce(sum(n), 0), count(*) FROM "
               "(SELECT count(*) AS n FROM %s o WHERE %s GROUP BY ", child, cond);
    for (size_t i = 0; i < ck->ncolumns; i++) {
        char *k = db_quote_ident(c, ck->columns[i]);
        sb_appendf(&b, "%so.%s", i ? ", " : "", k);
        free(k);
    }
    sb_append(&b, ") g");
    free(child);
    free(cond);
    return sb_take(&b);
}

typedef struct Two {
    long long a, b;
} Two;

static int take_two(void *ctx, const DbRow *row)
{
    Two *t = ctx;
    t->a = row->ncols > 0 && row->values[0] ? atoll(row->values[0]) : 0;
    t->b = row->ncols > 1 && row->values[1] ? atoll(row->values[1]) : 0;
    return 1;
}

int integrity_choose_shape(DbConn *c, IntegrityCheck *ck, DbError *err)
{
    if (db_engine(c) == DB_ENGINE_SQLITE) {
        ck->shape = ck->ncolumns == 1 ? ISH_NOT_IN : ISH_NOT_EXISTS;
        return 0;
    }
    ck->shape = ISH_NOT_EXISTS;
    if (!ck->child_indexed)
        return 0;
    char *child = integrity_qualified(c, ck->schema, ck->table);
    char *parent = integrity_qualified(c, ck->ref_schema, ck->ref_table);
    const char *vals[2] = { child, parent };
    DbParams p = { 2, vals };
    char *v = NULL;
    int rc = db_query_value(c, "integrity: all-visible",
        "/* integrity: all-visible */ SELECT least(coalesce("
        "(SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_catalog.pg_class "
        "WHERE oid = $1::regclass AND relkind = 'r'), 0), coalesce("
        "(SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_catalog.pg_class "
        "WHERE oid = $2::regclass AND relkind = 'r'), 0))", &p, &v, err);
    if (rc == 0 && v && atof(v) >= ALL_VISIBLE_MIN)
        ck->shape = ISH_INDEX_ONLY;
    free(v);
    free(child);
    free(parent);
    return rc;
}

int integrity_count_orphans(DbConn *c, const IntegrityCheck *ck, long long *rows,
                            long long *distinct, DbError *err)
{
    char *sql = count_sql(c, ck);
    Two t = { 0, 0 };
    int rc = -1;
    bool tx = ck->shape == ISH_INDEX_ONLY;
    if (tx && (db_begin(c, false, err) != 0 ||
               db_exec(c, "integrity: plan settings",
                       "/* integrity: plan settings */ SELECT "
                       "pg_catalog.set_config('enable_seqscan', 'off', true), "
                       "pg_catalog.set_config('enable_hashjoin', 'off', true)", NULL, err) != 0))
        goto done;
    if (db_query(c, "integrity: orphans", sql, NULL, take_two, &t, err) != 0)
        goto done;
    if (tx && db_commit(c, err) != 0)
        goto done;
    tx = false;
    *rows = t.a;
    *distinct = t.b;
    rc = 0;
done:
    if (tx && rc != 0)
        db_rollback(c);
    free(sql);
    return rc;
}

/* The child's rows, for a percentage threshold. */
static int count_rows(DbConn *c, const IntegrityCheck *ck, long long *n, DbError *err)
{
    char *child = integrity_qualified(c, ck->schema, ck->table);
    char *sql = xasprintf("/* integrity: rows */ SELECT count(*) FROM %s", child);
    char *v = NULL;
    int rc = db_query_value(c, "integrity: rows", sql, NULL, &v, err);
    *n = v ? atoll(v) : 0;
    free(v);
    free(sql);
    free(child);
    return rc;
}

static bool wants_percent(const IntegrityCheck *ck, const IntegritySettings *set)
{
    const char *w = ck->inferred ? set->inferred_warn_if : set->warn_if;
    const char *e = ck->inferred ? set->inferred_error_if : set->error_if;
    return (w && strchr(w, '%')) || (e && strchr(e, '%'));
}

/* "7 rows point at 2 missing keys of public.users(id)" */
static char *orphan_message(DbConn *c, const IntegrityCheck *ck, bool fk_off)
{
    char *msg = NULL;
    if (ck->count == 0) {
        msg = xstrdup("no orphans");
    } else {
        StrBuf b = STRBUF_INIT;
        for (size_t i = 0; i < ck->nref_columns; i++)
            sb_appendf(&b, "%s%s", i ? ", " : "", ck->ref_columns[i]);
        msg = xasprintf("%lld row%s point%s at %lld missing %s (%s)", ck->count,
                        ck->count == 1 ? "" : "s", ck->count == 1 ? "s" : "",
                        ck->distinct_keys, ck->ref_table, sb_str(&b));
        sb_free(&b);
    }
    if (!ck->validated)
        integrity_note(&msg, "the constraint is NOT VALID: the rows it never checked are "
                       "counted too");
    if (ck->inferred)
        integrity_note(&msg, "inferred from the column's name: no constraint declares it");
    if (fk_off && ck->kind == IK_FOREIGN_KEY && ck->count > 0 &&
        db_engine(c) == DB_ENGINE_SQLITE)
        integrity_note(&msg, "SQLite enforces foreign keys only on connections that turn "
                       "PRAGMA foreign_keys on");
    return msg;
}

static int run_orphans(DbConn *c, const IntegritySettings *set, IntegrityList *list,
                       IntegrityCheck *ck, DbError *err)
{
    if (integrity_choose_shape(c, ck, err) != 0 ||
        integrity_count_orphans(c, ck, &ck->count, &ck->distinct_keys, err) != 0)
        return -1;
    if (wants_percent(ck, set) && count_rows(c, ck, &ck->rows, err) != 0)
        return -1;
    free(ck->message);
    ck->message = orphan_message(c, ck, list->fk_not_enforced);
    ck->state = IS_OK;
    return 0;
}

/* A failed statement as the check's state. */
static void failed(IntegrityCheck *ck, DbError *e)
{
    bool timeout = e->message && strstr(e->message, "statement timeout");
    ck->state = e->kind == DB_ERR_CANCELLED && !timeout ? IS_CANCELLED : IS_ERROR;
    free(ck->message);
    ck->message = xstrdup(e->message ? e->message : "failed");
    ck->count = ck->distinct_keys = -1;
}

int integrity_run_check(DbConn *c, const Catalog *cat, const IntegritySettings *set,
                        const IntegrityAccepted *acc, IntegrityList *list, size_t i,
                        DbError *err)
{
    IntegrityCheck *ck = &list->checks[i];
    DbError e = DB_ERROR_INIT;
    long t0 = integrity_now_ms();
    int rc;
    switch (ck->group) {
    case IG_ORPHANS:
    case IG_INFERRED: rc = run_orphans(c, set, list, ck, &e); break;
    case IG_LINTS: rc = integrity_lint_run(c, cat, set, ck, &e); break;
    default: rc = integrity_engine_run(c, list, ck, &e); break;
    }
    ck->ms = integrity_now_ms() - t0;
    if (rc != 0)
        failed(ck, &e);
    integrity_judge(ck, set, acc);
    if (rc != 0 && e.kind == DB_ERR_CONNECT) {
        db_error_move(err, &e);
        return -1;
    }
    db_error_clear(&e);
    return 0;
}
