/* othertools_catalog.c: the one catalog query of othertools_scan(), table
 * and column lookup, and the readers' SQL templates (othertools_internal.h). */
#include "othertools_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every table name a tool keeps, lower case.  The catalog query lists the
 * columns of the tables with these names, in any schema. */
static const char *const ot_table_names[] = {
    "flyway_schema_history", "schema_version",               /* Flyway 5+, 4 */
    "schema_migrations", "ar_internal_metadata",              /* golang-migrate, dbmate, Rails */
    "django_migrations",
    "knex_migrations", "knex_migrations_lock",
    "_prisma_migrations",
    "__efmigrationshistory",
    "goose_db_version",
    "databasechangelog", "databasechangeloglock",
    "atlas_schema_revisions",
    "changes", "projects", "events",                         /* sqitch's registry */
};
#define OT_NAMES (sizeof ot_table_names / sizeof ot_table_names[0])

typedef struct LoadCtx {
    OtCatalog *cat;
    size_t     cap;
    size_t     col_cap;
} LoadCtx;

static int collect_column(void *ctx, const DbRow *row)
{
    LoadCtx *lc = ctx;
    OtCatalog *cat = lc->cat;
    const char *schema = row->values[0] ? row->values[0] : "";
    const char *name = row->values[1] ? row->values[1] : "";
    OtTable *t = cat->count ? &cat->tables[cat->count - 1] : NULL;
    if (!t || strcmp(t->schema, schema) != 0 || strcmp(t->name, name) != 0) {
        cat->tables = xgrow(cat->tables, &lc->cap, cat->count + 1, sizeof *cat->tables);
        t = &cat->tables[cat->count++];
        memset(t, 0, sizeof *t);
        t->schema = xstrdup(schema);
        t->name = xstrdup(name);
        lc->col_cap = 0;
    }
    t->cols = xgrow(t->cols, &lc->col_cap, t->ncols + 1, sizeof *t->cols);
    OtColumn *col = &t->cols[t->ncols++];
    col->name = xstrdup(row->values[2] ? row->values[2] : "");
    col->type = xstrdup(row->values[3] ? row->values[3] : "");
    return 0;
}

static int cmp_table(const void *a, const void *b)
{
    const OtTable *x = a, *y = b;
    int c = strcmp(x->schema, y->schema);
    return c ? c : strcmp(x->name, y->name);
}

int ot_catalog_load(DbConn *c, OtCatalog *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    out->engine = db_engine(c);
    StrBuf sql = STRBUF_INIT;
    if (out->engine == DB_ENGINE_POSTGRES)
        sb_append(&sql,
            "/* othertools: candidate version tables */ "
            "SELECT n.nspname, c.relname, a.attname, "
            "lower(pg_catalog.format_type(a.atttypid, a.atttypmod)) "
            "FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
            "AND a.attnum > 0 AND NOT a.attisdropped "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' "
            "AND n.nspname NOT LIKE 'pg\\_%' AND lower(c.relname) IN (");
    else
        sb_append(&sql,
            "/* othertools: candidate version tables */ "
            "SELECT 'main', m.name, p.name, lower(p.type) "
            "FROM sqlite_schema AS m, pragma_table_info(m.name) AS p "
            "WHERE m.type = 'table' AND lower(m.name) IN (");
    for (size_t i = 0; i < OT_NAMES; i++)
        sb_appendf(&sql, "%s$%zu", i ? ", " : "", i + 1);
    sb_append(&sql, out->engine == DB_ENGINE_POSTGRES ? ") ORDER BY 1, 2, a.attnum"
                                                      : ") ORDER BY m.name, p.cid");
    DbParams params = { (int)OT_NAMES, ot_table_names };
    LoadCtx lc = { out, 0, 0 };
    int rc = db_query(c, "othertools: candidate version tables", sb_str(&sql), &params,
                      collect_column, &lc, err);
    sb_free(&sql);
    if (rc != 0) {
        db_error_prefix(err, "cannot list the tables of other migration tools");
        ot_catalog_free(out);
        return -1;
    }
    if (out->count > 1)
        qsort(out->tables, out->count, sizeof *out->tables, cmp_table);
    return 0;
}

void ot_catalog_free(OtCatalog *cat)
{
    for (size_t i = 0; i < cat->count; i++) {
        OtTable *t = &cat->tables[i];
        for (size_t k = 0; k < t->ncols; k++) {
            free(t->cols[k].name);
            free(t->cols[k].type);
        }
        free(t->cols);
        free(t->schema);
        free(t->name);
    }
    free(cat->tables);
    memset(cat, 0, sizeof *cat);
}

const OtTable *ot_sibling(const OtCatalog *cat, const char *schema, const char *lname)
{
    for (size_t i = 0; i < cat->count; i++)
        if (strcmp(cat->tables[i].schema, schema) == 0 &&
            strcasecmp(cat->tables[i].name, lname) == 0)
            return &cat->tables[i];
    return NULL;
}

const OtColumn *ot_column(const OtTable *t, const char *lname)
{
    for (size_t i = 0; t && i < t->ncols; i++)
        if (strcasecmp(t->cols[i].name, lname) == 0)
            return &t->cols[i];
    return NULL;
}

bool ot_has_columns(const OtTable *t, const char *const *lnames)
{
    for (; *lnames; lnames++)
        if (!ot_column(t, *lnames))
            return false;
    return true;
}

static void append_table(StrBuf *b, DbConn *c, const OtCatalog *cat, const OtTable *t)
{
    char *qn = db_quote_ident(c, t->name);
    if (cat->engine == DB_ENGINE_POSTGRES) {
        char *qs = db_quote_ident(c, t->schema);
        sb_appendf(b, "%s.", qs);
        free(qs);
    }
    sb_append(b, qn);
    free(qn);
}

/* The column as "YYYY-MM-DD HH:MM:SS" text on PostgreSQL. */
static void append_time(StrBuf *b, const OtCatalog *cat, const OtColumn *col, const char *q)
{
    if (cat->engine != DB_ENGINE_POSTGRES || strncmp(col->type, "timestamp", 9) != 0)
        sb_append(b, q);
    else if (strstr(col->type, "with time zone") && !strstr(col->type, "without"))
        sb_appendf(b, "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')", q);
    else
        sb_appendf(b, "to_char(%s, 'YYYY-MM-DD HH24:MI:SS')", q);
}

char *ot_sql(DbConn *c, const OtCatalog *cat, const OtTable *t, const char *tmpl,
             DbError *err)
{
    StrBuf b = STRBUF_INIT;
    char *key = NULL;
    for (const char *p = tmpl; *p;) {
        const char *open = strchr(p, '{');
        if (!open) {
            sb_append(&b, p);
            break;
        }
        sb_appendn(&b, p, (size_t)(open - p));
        const char *close = strchr(open, '}');
        if (!close) {
            db_error_set(err, DB_ERR_SQL, "othertools: unterminated {...} in a query template");
            goto fail;
        }
        key = xstrndup(open + 1, (size_t)(close - open - 1));
        char *kind = strchr(key, ':');
        if (kind)
            *kind++ = '\0';
        if (strcmp(key, "T") == 0) {
            append_table(&b, c, cat, t);
        } else if (key[0] == '@') {
            const OtTable *s = ot_sibling(cat, t->schema, key + 1);
            if (!s) {
                db_error_set(err, DB_ERR_SQL, "no table %s beside %s.%s", key + 1, t->schema,
                             t->name);
                goto fail;
            }
            append_table(&b, c, cat, s);
        } else {
            const OtColumn *col = ot_column(t, key);
            if (!col) {
                db_error_set(err, DB_ERR_SQL, "table %s.%s has no column %s", t->schema,
                             t->name, key);
                goto fail;
            }
            char *q = db_quote_ident(c, col->name);
            if (kind && strcmp(kind, "t") == 0)
                append_time(&b, cat, col, q);
            else
                sb_append(&b, q);
            free(q);
        }
        free(key);
        key = NULL;
        p = close + 1;
    }
    return sb_take(&b);
fail:
    free(key);
    sb_free(&b);
    return NULL;
}

int ot_query(DbConn *c, const OtCatalog *cat, const OtTable *t, const char *label,
             const char *tmpl, const DbParams *params, DbRowFn on_row, void *ctx, DbError *err)
{
    char *sql = ot_sql(c, cat, t, tmpl, err);
    if (!sql)
        return -1;
    char *text = xasprintf("/* %s */ %s", label, sql);
    int rc = db_query(c, label, text, params, on_row, ctx, err);
    free(text);
    free(sql);
    return rc;
}
