/* rows_key.c: which columns order a table, in one query per engine, two
 * for a PostgreSQL relation without a key (rows_find_key in rows.h). */
#include "rows.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* PostgreSQL: one row per primary key column in key order, or one row with
 * a NULL name when there is no primary key; no row when no such table. */
static const char *const PG_KEY_SQL =
    "/* rows: key columns */ "
    "SELECT c.relkind::text, a.attname::text "
    "FROM pg_catalog.pg_class c "
    "LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary "
    "LEFT JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) ON true "
    "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
    "WHERE c.oid = pg_catalog.to_regclass($1) "
    "ORDER BY k.ord";

/* SQLite: one row per column of the table in each database that has one
 * (temp first, then main, then attached ones), with its place in the
 * primary key (0 = not in it). */
static const char *const SQLITE_KEY_SQL =
    "/* rows: key columns */ "
    "SELECT tl.schema, tl.type, tl.wr, ti.name, ti.pk, ti.\"notnull\", ti.type "
    "FROM pragma_table_list($1) AS tl "
    "LEFT JOIN pragma_table_info(tl.name, tl.schema) AS ti "
    "WHERE $2 IS NULL OR tl.schema = $2 "
    "ORDER BY CASE tl.schema WHEN 'temp' THEN 0 WHEN 'main' THEN 1 ELSE 2 END, "
    "tl.schema, ti.pk, ti.cid";

/* PostgreSQL, a relation without a key: its columns in order, and whether
 * each can be sorted: its type (a domain's base type, an array's element
 * type) has a default btree operator class, as enums and ranges do.  The
 * rest (json, xml, point, composite types, …) is ordered by its text. */
static const char *const PG_COLUMNS_SQL =
    "/* rows: columns of a relation without a key */ "
    "SELECT a.attname::text, EXISTS (SELECT 1 FROM pg_catalog.pg_opclass o "
    "  JOIN pg_catalog.pg_am m ON m.oid = o.opcmethod "
    "  JOIN pg_catalog.pg_type it ON it.oid = o.opcintype "
    "  WHERE m.amname = 'btree' AND o.opcdefault AND (o.opcintype = e.oid OR it.typname = "
    "    CASE e.typtype WHEN 'e' THEN 'anyenum' WHEN 'r' THEN 'anyrange' "
    "    WHEN 'm' THEN 'anymultirange' END)) "
    "FROM pg_catalog.pg_attribute a "
    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype "
    "  ELSE t.oid END "
    "JOIN pg_catalog.pg_type e ON e.oid = CASE WHEN b.typcategory = 'A' AND b.typelem <> 0 "
    "  THEN b.typelem ELSE b.oid END "
    "WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped "
    "ORDER BY a.attnum";

typedef struct KeyScan {
    DbEngine engine;
    bool     seen;      /* the table exists */
    char    *schema;    /* SQLite: the database the first row came from */
    char    *type;      /* relkind (PostgreSQL) or table/view/virtual (SQLite) */
    bool     without_rowid;
    RowsKey *key;
    bool     pk_nullable;  /* SQLite: a primary-key column may hold NULL */
    bool     pk_integer;   /* SQLite: the one primary-key column is INTEGER
                              (the rowid itself, never NULL) */
    char   **shadow;    /* SQLite: rowid, _rowid_, oid taken by real columns */
    size_t   nshadow, cap_shadow;
    size_t   cap;
    RowsKey  all;       /* every column, in order (SQLite; PostgreSQL asks
                           for them only when there is no key) */
    size_t   cap_all, cap_text;
} KeyScan;

static void add_col(KeyScan *k, const char *name)
{
    k->key->cols = xgrow(k->key->cols, &k->cap, (size_t)k->key->ncols + 1,
                         sizeof *k->key->cols);
    k->key->cols[k->key->ncols++] = xstrdup(name);
}

static void add_any(KeyScan *k, const char *name, bool by_text)
{
    RowsKey *a = &k->all;
    a->cols = xgrow(a->cols, &k->cap_all, (size_t)a->ncols + 1, sizeof *a->cols);
    a->by_text = xgrow(a->by_text, &k->cap_text, (size_t)a->ncols + 1, sizeof *a->by_text);
    a->by_text[a->ncols] = by_text;
    a->cols[a->ncols++] = xstrdup(name);
}

static int pg_column_row(void *ctx, const DbRow *row)
{
    if (row->values[0])
        add_any(ctx, row->values[0], !(row->values[1] && strcmp(row->values[1], "t") == 0));
    return 0;
}

static int pg_row(void *ctx, const DbRow *row)
{
    KeyScan *k = ctx;
    if (!k->seen)
        k->type = xstrdup(row->values[0] ? row->values[0] : "");
    k->seen = true;
    if (row->values[1])
        add_col(k, row->values[1]);
    return 0;
}

static int sqlite_row(void *ctx, const DbRow *row)
{
    KeyScan *k = ctx;
    const char *schema = row->values[0] ? row->values[0] : "";
    if (k->seen && strcmp(schema, k->schema) != 0)
        return 0; /* a table of the same name in a later database */
    if (!k->seen) {
        k->schema = xstrdup(schema);
        k->type = xstrdup(row->values[1] ? row->values[1] : "");
        k->without_rowid = row->values[2] && strcmp(row->values[2], "1") == 0;
        k->seen = true;
    }
    const char *name = row->values[3];
    if (!name)
        return 0;
    add_any(k, name, false);
    if (row->values[4] && strcmp(row->values[4], "0") != 0) {
        add_col(k, name);
        if (row->values[5] && strcmp(row->values[5], "0") == 0)
            k->pk_nullable = true;
        k->pk_integer = row->values[6] && strcasecmp(row->values[6], "INTEGER") == 0;
    }
    if (!strcasecmp(name, "rowid") || !strcasecmp(name, "_rowid_") || !strcasecmp(name, "oid")) {
        k->shadow = xgrow(k->shadow, &k->cap_shadow, k->nshadow + 1, sizeof *k->shadow);
        k->shadow[k->nshadow++] = xstrdup(name);
    }
    return 0;
}

static bool shadowed(const KeyScan *k, const char *alias)
{
    for (size_t i = 0; i < k->nshadow; i++)
        if (strcasecmp(k->shadow[i], alias) == 0)
            return true;
    return false;
}

/* No key at all (a view, a foreign table): every column. */
static int columns_key(KeyScan *k, const char *display, DbError *err)
{
    if (k->all.ncols == 0) {
        db_error_set(err, DB_ERR_USAGE, "rows of %s: it has no key and no column to page "
                     "its rows by", display);
        return -1;
    }
    rows_key_free(k->key);
    *k->key = k->all;
    k->key->kind = ROWS_KEY_COLUMNS;
    memset(&k->all, 0, sizeof k->all);
    return 0;
}

/* No primary key: the engine's own row address, where there is one, else
 * every column. */
static int fallback_key(KeyScan *k, DbConn *c, const char *qualified, const char *display,
                        DbError *err)
{
    if (k->engine == DB_ENGINE_POSTGRES) {
        const char *kind = k->type;
        if (!strcmp(kind, "r") || !strcmp(kind, "m") || !strcmp(kind, "t")) {
            add_col(k, "ctid");
        } else if (!strcmp(kind, "p")) {
            add_col(k, "tableoid"); /* a ctid is unique only in its partition */
            add_col(k, "ctid");
        } else {
            const char *vals[1] = { qualified };
            DbParams p = { 1, vals };
            if (db_query(c, "rows: key columns", PG_COLUMNS_SQL, &p, pg_column_row, k, err) != 0)
                return -1;
            return columns_key(k, display, err);
        }
        k->key->kind = ROWS_KEY_CTID;
        return 0;
    }
    bool rowid_table = !strcmp(k->type, "table") || !strcmp(k->type, "virtual") ||
                       !strcmp(k->type, "shadow");
    if (!rowid_table) /* a view */
        return columns_key(k, display, err);
    if (k->without_rowid) { /* WITHOUT ROWID always has a primary key */
        db_error_set(err, DB_ERR_USAGE, "rows of %s: a WITHOUT ROWID table without a primary "
                     "key", display);
        return -1;
    }
    static const char *const aliases[] = { "rowid", "_rowid_", "oid" };
    for (size_t i = 0; i < 3; i++) {
        if (!shadowed(k, aliases[i])) {
            add_col(k, aliases[i]);
            k->key->kind = ROWS_KEY_ROWID;
            return 0;
        }
    }
    db_error_set(err, DB_ERR_USAGE, "rows of %s: it has no primary key and its columns "
                 "rowid, _rowid_ and oid hide the rowid; add a primary key to page its "
                 "rows", display);
    return -1;
}

int rows_find_key(DbConn *c, const char *schema, const char *table, RowsKey *out,
                  DbError *err)
{
    memset(out, 0, sizeof *out);
    KeyScan k = { .engine = db_engine(c), .key = out };
    char *display = schema ? xasprintf("%s.%s", schema, table) : xstrdup(table);
    char *qualified = NULL;
    int rc = -1;
    if (k.engine == DB_ENGINE_POSTGRES) {
        char *tq = db_quote_ident(c, table);
        char *sq = schema ? db_quote_ident(c, schema) : NULL;
        qualified = sq ? xasprintf("%s.%s", sq, tq) : xstrdup(tq);
        free(tq);
        free(sq);
        const char *vals[1] = { qualified };
        DbParams p = { 1, vals };
        if (db_query(c, "rows: key columns", PG_KEY_SQL, &p, pg_row, &k, err) != 0)
            goto fail;
    } else {
        const char *vals[2] = { table, schema };
        DbParams p = { 2, vals };
        if (db_query(c, "rows: key columns", SQLITE_KEY_SQL, &p, sqlite_row, &k, err) != 0)
            goto fail;
    }
    if (!k.seen) {
        db_error_set(err, DB_ERR_USAGE, "rows of %s: no such table (check the name and "
                     "schema)", display);
        goto fail;
    }
    /* SQLite lets a primary key of an ordinary table hold NULLs, which
     * cannot be paged past: such a table is paged by its rowid. */
    if (k.engine == DB_ENGINE_SQLITE && out->ncols > 0 && !k.without_rowid &&
        k.pk_nullable && !(out->ncols == 1 && k.pk_integer)) {
        rows_key_free(out);
        k.cap = 0;
    }
    if (out->ncols == 0 && fallback_key(&k, c, qualified, display, err) != 0)
        goto fail;
    rc = 0;
fail:
    if (rc != 0) {
        if (err->kind != DB_ERR_USAGE)
            db_error_prefix(err, "rows of %s: finding the key", display);
        rows_key_free(out);
    }
    rows_key_free(&k.all);
    for (size_t i = 0; i < k.nshadow; i++)
        free(k.shadow[i]);
    free(k.shadow);
    free(k.schema);
    free(k.type);
    free(qualified);
    free(display);
    return rc;
}

void rows_key_free(RowsKey *k)
{
    if (!k)
        return;
    for (int i = 0; i < k->ncols; i++)
        free(k->cols[i]);
    free(k->cols);
    free(k->by_text);
    memset(k, 0, sizeof *k);
}
