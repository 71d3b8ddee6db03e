/* integrity_lintq.c: the lints that need the data: how much of a
 * sequence's or an integer key's range is used (PostgreSQL), and the
 * values a status column holds, for the CHECK that would fix it. */
#include "integrity_internal.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Status columns with more values than this are better a lookup table. */
#define STATUS_VALUES_MAX 20

static const CatColumn *column_of(const Catalog *cat, const IntegrityCheck *ck)
{
    const CatTable *t = catalog_find(cat, ck->schema, ck->table);
    return t && ck->ncolumns ? ib_column(t, ck->columns[0]) : NULL;
}

/* The largest value of an integer type; 0 for another type. */
static long double type_max(const char *type)
{
    if (!type) return 0;
    if (!strcmp(type, "smallint")) return 32767.0L;
    if (!strcmp(type, "integer")) return 2147483647.0L;
    if (!strcmp(type, "bigint")) return 9223372036854775807.0L;
    return 0;
}

/* ---- capacity ---------------------------------------------------------- */

typedef struct SeqRow {
    bool        seen;
    long double last, max;
    bool        used;   /* last_value is known (the sequence was used) */
} SeqRow;

static int on_seq(void *ctx, const DbRow *row)
{
    SeqRow *s = ctx;
    s->seen = true;
    s->used = row->values[0] != NULL;
    s->last = row->values[0] ? strtold(row->values[0], NULL) : 0;
    s->max = row->values[1] ? strtold(row->values[1], NULL) : 0;
    return 1;
}

static char *widen_sql(DbConn *c, const IntegrityCheck *ck, const CatColumn *col)
{
    if (!col || !strcmp(col->type, "bigint"))
        return NULL;
    char *t = integrity_qualified(c, ck->schema, ck->table), *k = db_quote_ident(c, col->name);
    char *fix = xasprintf("ALTER TABLE %s ALTER COLUMN %s TYPE bigint;", t, k);
    if (ck->kind == IK_SEQUENCE_CAPACITY && !col->identity && col->seq_name) {
        char *seq = integrity_qualified(c, col->seq_schema ? col->seq_schema : ck->schema,
                                        col->seq_name);
        char *both = xasprintf("%s ALTER SEQUENCE %s AS bigint;", fix, seq);
        free(fix);
        free(seq);
        fix = both;
    }
    free(t);
    free(k);
    return fix;
}

static int run_capacity(DbConn *c, const Catalog *cat, IntegrityCheck *ck, DbError *err)
{
    const CatColumn *col = column_of(cat, ck);
    long double limit = type_max(col ? col->type : NULL), used = 0;
    SeqRow s = { false, 0, 0, false };
    if (ck->kind == IK_SEQUENCE_CAPACITY) {
        const char *vals[2] = { col && col->seq_schema ? col->seq_schema : ck->schema,
                                col ? col->seq_name : "" };
        DbParams p = { 2, vals };
        if (db_query(c, "integrity: sequence", "/* integrity: sequence */ SELECT last_value, "
                     "max_value FROM pg_catalog.pg_sequences WHERE schemaname = $1 AND "
                     "sequencename = $2", &p, on_seq, &s, err) != 0)
            return -1;
        if (s.seen && s.max > 0 && (limit == 0 || s.max < limit))
            limit = s.max;
        used = s.last;
    } else {
        char *t = integrity_qualified(c, ck->schema, ck->table);
        char *k = db_quote_ident(c, ck->columns[0]);
        /* an identity column's sequence may be ahead of the largest key */
        char *sql = xasprintf("/* integrity: key range */ SELECT greatest(max(%s), "
                              "pg_catalog.pg_sequence_last_value(pg_catalog."
                              "pg_get_serial_sequence($1, $2)::regclass)) FROM %s", k, t);
        const char *vals[2] = { t, ck->columns[0] };
        DbParams p = { 2, vals };
        char *v = NULL;
        int rc = db_query_value(c, "integrity: key range", sql, &p, &v, err);
        used = v ? strtold(v, NULL) : 0;
        free(v);
        free(sql);
        free(k);
        free(t);
        if (rc != 0)
            return -1;
    }
    long double pct = limit > 0 && used > 0 ? 100.0L * used / limit : 0;
    ck->count = (long long)pct;
    ck->state = IS_OK;
    const char *what = ck->kind == IK_SEQUENCE_CAPACITY ? "sequence" : "largest key";
    ck->message = xasprintf("%s at %lld%% of its maximum (%.0Lf of %.0Lf)", what, ck->count,
                            used, limit);
    if (ck->count >= INTEGRITY_CAPACITY_PCT)
        ck->fix_sql = widen_sql(c, ck, col);
    return 0;
}

/* ---- status columns ---------------------------------------------------- */

typedef struct Values {
    char  **v;
    size_t  n, cap;
} Values;

static int on_value(void *ctx, const DbRow *row)
{
    Values *vs = ctx;
    strv_push(&vs->v, &vs->n, &vs->cap, row->values[0] ? row->values[0] : "");
    return 0;
}

/* 'a', 'b' as SQL literals. */
static char *literals(char **v, size_t n)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sb_append(&b, i ? ", '" : "'");
        for (const char *p = v[i]; *p; p++) {
            if (*p == '\'')
                sb_appendc(&b, '\'');
            sb_appendc(&b, *p);
        }
        sb_appendc(&b, '\'');
    }
    return sb_take(&b);
}

static int run_status(DbConn *c, IntegrityCheck *ck, DbError *err)
{
    char *t = integrity_qualified(c, ck->schema, ck->table);
    char *k = db_quote_ident(c, ck->columns[0]);
    char *sql = xasprintf("/* integrity: status values */ SELECT DISTINCT %s FROM %s WHERE %s "
                          "IS NOT NULL ORDER BY 1 LIMIT %d", k, t, k, STATUS_VALUES_MAX + 1);
    Values vs = { NULL, 0, 0 };
    int rc = db_query(c, "integrity: status values", sql, NULL, on_value, &vs, err);
    if (rc == 0) {
        bool many = vs.n > STATUS_VALUES_MAX;
        char *list = many ? xstrdup("'...'") : literals(vs.v, vs.n);
        char *name = xasprintf("%s_%s_check", ck->table, ck->columns[0]);
        char *qn = db_quote_ident(c, name);
        if (db_engine(c) == DB_ENGINE_POSTGRES)
            ck->fix_sql = xasprintf("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IN (%s));", t,
                                    qn, k, list);
        else
            ck->fix_sql = xasprintf("-- SQLite adds a CHECK only by making the table again, "
                                    "with: CHECK (%s IN (%s))", k, list);
        if (many)
            integrity_note(&ck->message, "more than %d values: a table of them and a foreign "
                           "key may fit better", STATUS_VALUES_MAX);
        else
            integrity_note(&ck->message, "%zu value%s in use", vs.n, vs.n == 1 ? "" : "s");
        ck->count = 1;
        ck->state = IS_WARNING;
        free(list);
        free(name);
        free(qn);
    }
    strv_free(vs.v);
    free(sql);
    free(k);
    free(t);
    return rc;
}

int integrity_lint_run(DbConn *c, const Catalog *cat, const IntegritySettings *set,
                       IntegrityCheck *ck, DbError *err)
{
    (void)set;
    if (ck->state != IS_PENDING)
        return 0;   /* decided from the catalog */
    free(ck->fix_sql);
    ck->fix_sql = NULL;
    switch (ck->kind) {
    case IK_SEQUENCE_CAPACITY:
    case IK_KEY_CAPACITY:
        free(ck->message);
        ck->message = NULL;
        return run_capacity(c, cat, ck, err);
    case IK_STATUS_WITHOUT_CHECK:
        return run_status(c, ck, err);
    default:
        ck->state = ck->count > 0 ? IS_WARNING : IS_OK;
        return 0;
    }
}
