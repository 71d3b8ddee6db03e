/* catalog.c: see catalog.h.  The table list, the parts of loading both
 * engines share (row counts, lookup, freeing) and names for output. */
#include "catalog_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- conversions ---- */

bool cat_bool(const char *v)
{
    return v && (v[0] == 't' || (v[0] >= '1' && v[0] <= '9'));
}

int64_t cat_i64(const char *v, int64_t dflt)
{
    return v ? strtoll(v, NULL, 10) : dflt;
}

void cat_strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void cat_strv_push(char ***v, size_t *n, size_t *cap, const char *s)
{
    *v = cat_append(*v, *n, sizeof **v);
    *cap = *n + 1;
    (*v)[(*n)++] = xstrdup(s);
}

const char *cat_fk_action(const char *v)
{
    if (!v)
        return "NO ACTION";
    if (strcmp(v, "r") == 0 || strcasecmp(v, "RESTRICT") == 0) return "RESTRICT";
    if (strcmp(v, "c") == 0 || strcasecmp(v, "CASCADE") == 0) return "CASCADE";
    if (strcmp(v, "n") == 0 || strcasecmp(v, "SET NULL") == 0) return "SET NULL";
    if (strcmp(v, "d") == 0 || strcasecmp(v, "SET DEFAULT") == 0) return "SET DEFAULT";
    return "NO ACTION";
}

/* ---- lookup maps ---- */

static int cmp_num(const void *a, const void *b)
{
    const CatMapEntry *x = a, *y = b;
    return (x->num > y->num) - (x->num < y->num);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(((const CatMapEntry *)a)->str, ((const CatMapEntry *)b)->str);
}

static int cmp_fold(const void *a, const void *b)
{
    return strcasecmp(((const CatMapEntry *)a)->str, ((const CatMapEntry *)b)->str);
}

void cat_map_by_num(CatMap *m, const int64_t *keys, size_t n)
{
    memset(m, 0, sizeof *m);
    m->items = xcalloc(n ? n : 1, sizeof *m->items);
    for (size_t i = 0; i < n; i++)
        m->items[i] = (CatMapEntry){ keys[i], NULL, i };
    m->count = n;
    if (n)
        qsort(m->items, n, sizeof *m->items, cmp_num);
}

void cat_map_by_name(CatMap *m, const Catalog *cat, bool fold)
{
    memset(m, 0, sizeof *m);
    m->fold = fold;
    m->items = xcalloc(cat->count ? cat->count : 1, sizeof *m->items);
    for (size_t i = 0; i < cat->count; i++)
        m->items[i] = (CatMapEntry){ 0, cat->tables[i].name, i };
    m->count = cat->count;
    if (m->count)
        qsort(m->items, m->count, sizeof *m->items, fold ? cmp_fold : cmp_str);
}

size_t cat_map_num(CatMap *m, int64_t key)
{
    if (m->last < m->count && m->items[m->last].num == key)
        return m->items[m->last].idx;
    CatMapEntry k = { key, NULL, 0 };
    const CatMapEntry *e = m->count ? bsearch(&k, m->items, m->count, sizeof k, cmp_num) : NULL;
    if (!e)
        return (size_t)-1;
    m->last = (size_t)(e - m->items);
    return e->idx;
}

size_t cat_map_str(CatMap *m, const char *key)
{
    if (!key)
        return (size_t)-1;
    int (*cmp)(const void *, const void *) = m->fold ? cmp_fold : cmp_str;
    CatMapEntry k = { 0, key, 0 };
    if (m->last < m->count && cmp(&m->items[m->last], &k) == 0)
        return m->items[m->last].idx;
    const CatMapEntry *e = m->count ? bsearch(&k, m->items, m->count, sizeof k, cmp) : NULL;
    if (!e)
        return (size_t)-1;
    m->last = (size_t)(e - m->items);
    return e->idx;
}

void cat_map_free(CatMap *m)
{
    free(m->items);
    memset(m, 0, sizeof *m);
}

/* ---- shared steps ---- */

int cat_query(DbConn *c, const char *label, const char *sql, DbRowFn fn, void *ctx,
              DbError *err)
{
    if (db_query(c, label, sql, NULL, fn, ctx, err) == 0)
        return 0;
    const char *what = strncmp(label, "catalog: ", 9) == 0 ? label + 9 : label;
    db_error_prefix(err, "%s query", what);
    return -1;
}

void *cat_append(void *p, size_t n, size_t elem)
{
    return xrealloc(p, (n + 1) * elem);
}

void *cat_shrink(void *p, size_t n, size_t elem)
{
    if (n == 0) {
        free(p);
        return NULL;
    }
    return xrealloc(p, n * elem);
}

static int cmp_table(const void *a, const void *b)
{
    const CatTable *x = a, *y = b;
    int c = strcmp(x->schema, y->schema);
    return c ? c : strcmp(x->name, y->name);
}

void cat_sort_tables(CatTable *t, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (cmp_table(&t[i - 1], &t[i]) > 0) {
            qsort(t, n, sizeof *t, cmp_table);
            return;
        }
    }
}

typedef struct CountCtx {
    CatTable     *tables;
    const size_t *need;
    size_t        n;
} CountCtx;

static int collect_count(void *ctx, const DbRow *row)
{
    CountCtx *cc = ctx;
    int64_t k = cat_i64(row->values[0], -1);
    if (k >= 0 && (size_t)k < cc->n && row->values[1]) {
        CatTable *t = &cc->tables[cc->need[k]];
        t->rows = cat_i64(row->values[1], -1);
        t->rows_exact = true;
    }
    return 0;
}

/* One statement: SELECT 0, count(*) FROM a UNION ALL SELECT 1, … where the
 * number is the table's place in need[] (no value from the database is
 * spliced in; names are quoted identifiers). */
static int count_batch(DbConn *c, CatTable *tables, const size_t *need, size_t n,
                       DbError *err)
{
    StrBuf sql = STRBUF_INIT;
    sb_append(&sql, "/* catalog: exact row counts */ ");
    for (size_t i = 0; i < n; i++) {
        const CatTable *t = &tables[need[i]];
        char *qs = db_quote_ident(c, t->schema), *qn = db_quote_ident(c, t->name);
        sb_appendf(&sql, "%sSELECT %zu, count(*) FROM %s.%s", i ? " UNION ALL " : "", i, qs, qn);
        free(qs);
        free(qn);
    }
    CountCtx cc = { tables, need, n };
    int rc = db_query(c, "catalog: exact row counts", sb_str(&sql), NULL, collect_count, &cc,
                      err);
    sb_free(&sql);
    return rc;
}

int cat_count_rows(DbConn *c, CatTable *tables, const size_t *need, size_t n, DbError *err)
{
    for (size_t at = 0; at < n; at += CATALOG_COUNT_BATCH) {
        size_t k = n - at < CATALOG_COUNT_BATCH ? n - at : CATALOG_COUNT_BATCH;
        if (count_batch(c, tables, need + at, k, err) != 0) {
            db_error_prefix(err, "counting rows");
            return -1;
        }
    }
    return 0;
}

/* ---- the session's settings (PostgreSQL) ---- */

static int on_settings(void *ctx, const DbRow *row)
{
    CatPgSettings *s = ctx;
    if (row->ncols >= 2 && row->values[0] && row->values[1] && !s->lock_timeout) {
        s->lock_timeout = xstrdup(row->values[0]);
        s->jit = xstrdup(row->values[1]);
    }
    return 0;
}

/* Sizes and the deparsers (defaults, checks, index expressions, views)
 * need a lock on each table, which a running migration (ALTER TABLE, LOCK
 * TABLE) may hold for long: the catalog waits at most CATALOG_LOCK_WAIT_MS
 * for it rather than freezing the console, and says why.  JIT compiling
 * only slows catalog queries down (they call functions, row by row). */
void cat_pg_settings_begin(DbConn *c, CatPgSettings *s)
{
    char v[32];
    snprintf(v, sizeof v, "%dms", CATALOG_LOCK_WAIT_MS);
    const char *vals[1] = { v };
    DbParams p = { 1, vals };
    DbError e = DB_ERROR_INIT;
    memset(s, 0, sizeof *s);
    /* The settings are read (the CTE's row) before set_config runs (the
     * projection of that row). */
    if (db_query(c, "catalog: settings", "/* catalog: lock timeout, no JIT */ "
                 "WITH was AS MATERIALIZED "
                 "(SELECT pg_catalog.current_setting('lock_timeout') AS lt, "
                 "pg_catalog.current_setting('jit') AS jit) "
                 "SELECT was.lt, was.jit, pg_catalog.set_config('lock_timeout', $1, false), "
                 "pg_catalog.set_config('jit', 'off', false) FROM was",
                 &p, on_settings, s, &e) != 0) {
        free(s->lock_timeout);
        free(s->jit);
        memset(s, 0, sizeof *s);
    }
    db_error_clear(&e);   /* the statements that follow say what is wrong */
}

void cat_pg_settings_end(DbConn *c, CatPgSettings *s)
{
    if (s->lock_timeout && s->jit) {
        DbError e = DB_ERROR_INIT;
        const char *vals[2] = { s->lock_timeout, s->jit };
        DbParams p = { 2, vals };
        db_exec(c, "catalog: settings", "/* catalog: lock timeout, JIT as they were */ "
                "SELECT pg_catalog.set_config('lock_timeout', $1, false), "
                "pg_catalog.set_config('jit', $2, false)", &p, &e);
        db_error_clear(&e);
    }
    free(s->lock_timeout);
    free(s->jit);
    memset(s, 0, sizeof *s);
}

void cat_explain_lock(DbError *err)
{
    if (err->kind == DB_ERR_BUSY || strcmp(err->code, "55P03") == 0)
        db_error_prefix(err, "a table is locked by another session (a migration running?); "
                        "try again when it has finished");
}

CatKind cat_kind_of(const char *k)
{
    switch (k ? k[0] : 'r') {
    case 'v': return CAT_KIND_VIEW;
    case 'm': return CAT_KIND_MATVIEW;
    case 'p': return CAT_KIND_PARTITIONED;
    case 'f': return CAT_KIND_FOREIGN;
    case 'x': return CAT_KIND_VIRTUAL; /* SQLite: CREATE VIRTUAL TABLE */
    default: return CAT_KIND_TABLE;
    }
}

/* ---- loading ---- */

static int load(DbConn *c, const CatScope *scope, Catalog **out, DbError *err)
{
    Catalog *cat = xcalloc(1, sizeof *cat);
    cat->engine = db_engine(c);
    int rc;
    if (cat->engine == DB_ENGINE_POSTGRES) {
        CatPgSettings was;
        cat_pg_settings_begin(c, &was);
        rc = cat_load_pg(c, cat, scope, err);
        cat_pg_settings_end(c, &was);
        if (rc != 0)
            cat_explain_lock(err);
    } else {
        rc = cat_load_sqlite(c, cat, scope, err);
    }
    if (rc != 0) {
        catalog_free(cat);
        *out = NULL;
        return -1;
    }
    *out = cat;
    return 0;
}

int catalog_load(DbConn *c, Catalog **out, DbError *err)
{
    return load(c, NULL, out, err);
}

int catalog_load_table(DbConn *c, const char *schema, const char *name, Catalog **out,
                       DbError *err)
{
    CatScope scope = { schema ? schema : "", name ? name : "" };
    return load(c, &scope, out, err);
}

/* ---- merging ---- */

static CatTable *find_mut(Catalog *cat, const char *schema, const char *name)
{
    CatTable key = { .schema = (char *)schema, .name = (char *)name };
    return cat->count ? bsearch(&key, cat->tables, cat->count, sizeof key, cmp_table) : NULL;
}

void catalog_merge_sizes(Catalog *cat, const Catalog *sizes)
{
    for (size_t i = 0; i < sizes->count; i++) {
        const CatTable *s = &sizes->tables[i];
        CatTable *t = find_mut(cat, s->schema, s->name);
        if (t && s->bytes >= 0) {
            t->bytes = s->bytes;
            t->bytes_exact = s->bytes_exact;
        }
    }
}

bool catalog_merge_table(Catalog *cat, Catalog *from, const char *schema, const char *name)
{
    CatTable *dst = find_mut(cat, schema, name), *src = find_mut(from, schema, name);
    if (!dst || !src)
        return false;
    /* swapped: from keeps what cat had (same names: still sorted) */
    CatTable was = *dst;
    *dst = *src;
    *src = was;
    if (!cat->keywords && from->keywords) {
        cat->keywords = from->keywords;
        cat->nkeywords = from->nkeywords;
        from->keywords = NULL;
        from->nkeywords = 0;
    }
    return true;
}

void cat_table_clear(CatTable *t)
{
    free(t->schema);
    free(t->name);
    free(t->definition);
    free(t->columns_error);
    free(t->sql);
    free(t->partition_key);
    free(t->parent_schema);
    free(t->parent_name);
    free(t->partition_bound);
    for (size_t i = 0; i < t->ncolumns; i++) {
        CatColumn *col = &t->columns[i];
        free(col->name);
        free(col->type);
        free(col->default_expr);
        free(col->generation_expr);
        free(col->seq_schema);
        free(col->seq_name);
    }
    free(t->columns);
    for (size_t i = 0; i < t->nconstraints; i++) {
        CatConstraint *k = &t->constraints[i];
        free(k->name);
        cat_strv_free(k->columns, k->ncolumns);
        free(k->ref_schema);
        free(k->ref_table);
        cat_strv_free(k->ref_columns, k->nref_columns);
        free(k->expression);
        free(k->definition);
        free(k->index_name);
    }
    free(t->constraints);
    for (size_t i = 0; i < t->nindexes; i++) {
        CatIndex *x = &t->indexes[i];
        free(x->name);
        free(x->definition);
        cat_strv_free(x->columns, x->ncolumns);
        free(x->method);
        free(x->predicate);
    }
    free(t->indexes);
    for (size_t i = 0; i < t->npolicies; i++) {
        CatPolicy *p = &t->policies[i];
        free(p->name);
        cat_strv_free(p->roles, p->nroles);
        free(p->using_expr);
        free(p->check_expr);
    }
    free(t->policies);
    for (size_t i = 0; i < t->ntriggers; i++) {
        free(t->triggers[i].name);
        free(t->triggers[i].definition);
    }
    free(t->triggers);
    memset(t, 0, sizeof *t);
}

void catalog_free(Catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->count; i++)
        cat_table_clear(&cat->tables[i]);
    free(cat->tables);
    cat_strv_free(cat->keywords, cat->nkeywords);
    free(cat);
}

const CatTable *catalog_find(const Catalog *cat, const char *schema, const char *name)
{
    if (!name)
        return NULL;
    if (schema) {
        CatTable key = { .schema = (char *)schema, .name = (char *)name };
        return cat->count ? bsearch(&key, cat->tables, cat->count, sizeof key, cmp_table) : NULL;
    }
    const CatTable *found = NULL;
    for (size_t i = 0; i < cat->count; i++) {
        const CatTable *t = &cat->tables[i];
        if (strcmp(t->name, name) != 0)
            continue;
        if (strcmp(t->schema, "public") == 0 || strcmp(t->schema, "main") == 0)
            return t;
        if (!found)
            found = t;
    }
    return found;
}

const CatTable *catalog_fk_target(const Catalog *cat, const CatConstraint *fk)
{
    if (fk->type != CAT_CON_FOREIGN_KEY || !fk->ref_table)
        return NULL;
    const CatTable *t = catalog_find(cat, fk->ref_schema ? fk->ref_schema : "main",
                                     fk->ref_table);
    if (t || cat->engine != DB_ENGINE_SQLITE)
        return t;
    for (size_t i = 0; i < cat->count; i++)
        if (strcasecmp(cat->tables[i].name, fk->ref_table) == 0)
            return &cat->tables[i];
    return NULL;
}

/* ---- names ---- */

const char *catalog_kind_word(CatKind k)
{
    return k == CAT_KIND_VIEW || k == CAT_KIND_MATVIEW ? "view" : "table";
}

const char *catalog_kind_name(CatKind k)
{
    switch (k) {
    case CAT_KIND_VIEW: return "view";
    case CAT_KIND_MATVIEW: return "materialized view";
    case CAT_KIND_PARTITIONED: return "partitioned table";
    case CAT_KIND_FOREIGN: return "foreign table";
    case CAT_KIND_VIRTUAL: return "virtual table";
    default: return "table";
    }
}

const char *catalog_con_type_name(CatConType t)
{
    switch (t) {
    case CAT_CON_PRIMARY_KEY: return "primary_key";
    case CAT_CON_UNIQUE: return "unique";
    case CAT_CON_FOREIGN_KEY: return "foreign_key";
    case CAT_CON_CHECK: return "check";
    default: return "exclude";
    }
}

/* SQLite's key words (https://sqlite.org/lang_keywords.html), sorted. */
static const char *const sqlite_keywords[] = {
    "abort", "action", "add", "after", "all", "alter", "always", "analyze", "and", "as",
    "asc", "attach", "autoincrement", "before", "begin", "between", "by", "cascade", "case",
    "cast", "check", "collate", "column", "commit", "conflict", "constraint", "create",
    "cross", "current", "current_date", "current_time", "current_timestamp", "database",
    "default", "deferrable", "deferred", "delete", "desc", "detach", "distinct", "do", "drop",
    "each", "else", "end", "escape", "except", "exclude", "exclusive", "exists", "explain",
    "fail", "filter", "first", "following", "for", "foreign", "from", "full", "generated",
    "glob", "group", "groups", "having", "if", "ignore", "immediate", "in", "index",
    "indexed", "initially", "inner", "insert", "instead", "intersect", "into", "is",
    "isnull", "join", "key", "last", "left", "like", "limit", "match", "materialized",
    "natural", "no", "not", "nothing", "notnull", "null", "nulls", "of", "offset", "on",
    "or", "order", "others", "outer", "over", "partition", "plan", "pragma", "preceding",
    "primary", "query", "raise", "range", "recursive", "references", "regexp", "reindex",
    "release", "rename", "replace", "restrict", "returning", "right", "rollback", "row",
    "rows", "savepoint", "select", "set", "table", "temp", "temporary", "then", "ties", "to",
    "transaction", "trigger", "unbounded", "union", "unique", "update", "using", "vacuum",
    "values", "view", "virtual", "when", "where", "window", "with", "without",
};

static int cmp_word(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *catalog_quote_ident(const Catalog *cat, const char *name)
{
    bool plain = name[0] && !(name[0] >= '0' && name[0] <= '9');
    for (const char *p = name; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (plain) {
        const char *const *words = cat->engine == DB_ENGINE_POSTGRES
            ? (const char *const *)cat->keywords : sqlite_keywords;
        size_t n = cat->engine == DB_ENGINE_POSTGRES
            ? cat->nkeywords : sizeof sqlite_keywords / sizeof sqlite_keywords[0];
        if (n && bsearch(&name, words, n, sizeof *words, cmp_word))
            plain = false;
    }
    return plain ? xstrdup(name) : db_quote_ident(NULL, name);
}
