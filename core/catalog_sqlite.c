/* catalog_sqlite.c: the SQLite catalog in a fixed number of queries:
 * sqlite_schema once, then the pragma table-valued functions joined to it
 * (pragma_table_xinfo, pragma_foreign_key_list, pragma_index_list with
 * pragma_index_xinfo), dbstat for sizes when it exists, sqlite_stat1 for
 * row estimates when it exists, and exact counts for the rest.  What no
 * pragma tells (constraint names, CHECK expressions, WITHOUT ROWID) is read
 * from the stored CREATE TABLE (catalog_sqlparse.c).  Sizes (dbstat reads
 * every page) only for one table (a scope): then every query has the same
 * text with a filter on the table, and sqlite_schema's query also brings
 * the names of the tables its foreign keys refer to. */
#include "catalog_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SQ_USER_NAME "m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
/* plain tables: no virtual table (whose module may not be loaded here) */
#define SQ_PLAIN_TABLE "m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND "

typedef struct SqObj {        /* an index or trigger row of sqlite_schema */
    bool  trigger;
    char *name;
    char *tbl;
    char *sql;
} SqObj;

typedef struct SqLoad {
    Catalog  *cat;
    const CatScope *scope;     /* one table, or NULL: all */
    char    **refs;            /* with a scope: the tables its foreign keys
                                  refer to, as sqlite_schema names them */
    size_t    nrefs, rcap;
    size_t    tcap;
    CatMap    map;             /* table name (ASCII case folded) -> table */
    SqObj    *objs;            /* sorted by name, case folded */
    size_t    nobjs, ocap;
    SqpTable *parse;           /* per table: its CREATE TABLE read */
    CatConstraint **fks;       /* per table: foreign keys, in declaration order */
    size_t   *nfks;
    bool      has_stat1;
    /* grouping of consecutive rows */
    size_t    fk_table;
    int64_t   fk_id;
    size_t    ix_table;
    CatIndex *ix_cur;
} SqLoad;

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static bool engine_name(const char *name)
{
    return strncasecmp(name, "sqlite_", 7) == 0;
}

/* ---- 1. sqlite_schema ---- */

static int on_object(void *ctx, const DbRow *row)
{
    SqLoad *L = ctx;
    const char *const *v = row->values;
    const char *type = v[0] ? v[0] : "", *name = v[1] ? v[1] : "";
    if (strcasecmp(name, "sqlite_stat1") == 0)
        L->has_stat1 = true;
    if (strcmp(type, "table") == 0 || strcmp(type, "view") == 0) {
        if (engine_name(name))
            return 0;
        if (L->scope && strcmp(name, L->scope->name) != 0) {
            cat_strv_push(&L->refs, &L->nrefs, &L->rcap, name);
            return 0;
        }
        Catalog *cat = L->cat;
        cat->tables = xgrow(cat->tables, &L->tcap, cat->count + 1, sizeof *cat->tables);
        CatTable *t = &cat->tables[cat->count++];
        memset(t, 0, sizeof *t);
        t->schema = xstrdup("main");
        t->name = xstrdup(name);
        t->kind = type[0] == 'v' ? CAT_KIND_VIEW : CAT_KIND_TABLE;
        t->is_view = t->kind == CAT_KIND_VIEW;
        t->rows = -1;
        t->bytes = -1;
        t->sql = dup_or_null(v[3]);
        t->detailed = true;
        if (t->is_view)
            t->definition = cat_sqlite_view_query(v[3]);
    } else if (strcmp(type, "index") == 0 || strcmp(type, "trigger") == 0) {
        L->objs = xgrow(L->objs, &L->ocap, L->nobjs + 1, sizeof *L->objs);
        SqObj *o = &L->objs[L->nobjs++];
        o->trigger = type[0] == 't';
        o->name = xstrdup(name);
        o->tbl = xstrdup(v[2] ? v[2] : "");
        o->sql = dup_or_null(v[3]);
    }
    return 0;
}

static int cmp_obj(const void *a, const void *b)
{
    return strcasecmp(((const SqObj *)a)->name, ((const SqObj *)b)->name);
}

static const SqObj *find_obj(const SqLoad *L, const char *name)
{
    SqObj key = { false, (char *)name, NULL, NULL };
    return L->nobjs ? bsearch(&key, L->objs, L->nobjs, sizeof key, cmp_obj) : NULL;
}

/* Runs head, then with a scope filter (its $1 the table's name), then tail. */
static int sq_query(DbConn *c, SqLoad *L, const char *label, const char *head,
                    const char *filter, const char *tail, DbRowFn fn, DbError *err)
{
    char *sql = xasprintf("%s%s%s", head, L->scope ? filter : "", tail);
    const char *vals[1] = { L->scope ? L->scope->name : NULL };
    DbParams p = { 1, vals };
    int rc = db_query(c, label, sql, L->scope ? &p : NULL, fn, L, err);
    free(sql);
    if (rc != 0)
        db_error_prefix(err, "%s query", label + strlen("catalog: "));
    return rc;
}

#define SQ_ONLY "AND m.name = $1 "

static int load_schema(DbConn *c, SqLoad *L, DbError *err)
{
    int rc = sq_query(c, L, "catalog: schema",
        "/* catalog: schema objects */ SELECT type, name, tbl_name, sql FROM sqlite_schema ",
        "WHERE tbl_name = $1 COLLATE NOCASE OR name = 'sqlite_stat1' OR (type = 'table' "
        "AND lower(name) IN (SELECT lower(f.\"table\") FROM pragma_foreign_key_list($1) f))",
        "", on_object, err);
    Catalog *cat = L->cat;
    cat->tables = cat_shrink(cat->tables, cat->count, sizeof *cat->tables);
    L->tcap = cat->count;
    cat_sort_tables(cat->tables, cat->count);
    if (L->nobjs > 1)
        qsort(L->objs, L->nobjs, sizeof *L->objs, cmp_obj);
    cat_map_by_name(&L->map, cat, true);
    size_t n = cat->count ? cat->count : 1;
    L->parse = xcalloc(n, sizeof *L->parse);
    L->fks = xcalloc(n, sizeof *L->fks);
    L->nfks = xcalloc(n, sizeof *L->nfks);
    for (size_t i = 0; i < cat->count; i++) {
        CatTable *t = &cat->tables[i];
        if (t->is_view)
            continue;
        cat_sqlite_parse(t->sql, &L->parse[i]);
        if (L->parse[i].is_virtual)
            t->kind = CAT_KIND_VIRTUAL;
        t->has_rowid = t->kind == CAT_KIND_TABLE && !L->parse[i].without_rowid;
        t->strict = L->parse[i].strict;
    }
    return rc;
}

/* ---- 2. columns ---- */

static int on_column(void *ctx, const DbRow *row)
{
    SqLoad *L = ctx;
    const char *const *v = row->values;
    size_t i = cat_map_str(&L->map, v[0]);
    if (i == (size_t)-1 || cat_i64(v[7], 0) == 1) /* 1: a virtual table's hidden column */
        return 0;
    CatTable *t = &L->cat->tables[i];
    t->columns = cat_append(t->columns, t->ncolumns, sizeof *t->columns);
    CatColumn *col = &t->columns[t->ncolumns++];
    memset(col, 0, sizeof *col);
    col->number = (int)cat_i64(v[1], 0);
    col->name = xstrdup(v[2] ? v[2] : "");
    col->type = xstrdup(v[3] ? v[3] : "");
    col->nullable = !cat_bool(v[4]);
    col->default_expr = dup_or_null(v[5]);
    col->pk_position = (int)cat_i64(v[6], 0);
    col->primary_key = col->pk_position > 0;
    int64_t hidden = cat_i64(v[7], 0);
    col->generated = hidden == 2 ? 'v' : hidden == 3 ? 's' : 0;
    const SqpTable *p = &L->parse[i];
    for (size_t g = 0; col->generated && g < p->ngen; g++)
        if (strcasecmp(p->gen[g].column, col->name) == 0)
            col->generation_expr = xstrdup(p->gen[g].expression);
    return 0;
}

static void clear_columns(SqLoad *L)
{
    for (size_t i = 0; i < L->cat->count; i++) {
        CatTable *t = &L->cat->tables[i];
        for (size_t k = 0; k < t->ncolumns; k++) {
            free(t->columns[k].name);
            free(t->columns[k].type);
            free(t->columns[k].default_expr);
            free(t->columns[k].generation_expr);
        }
        free(t->columns);
        t->columns = NULL;
        t->ncolumns = 0;
    }
}

/* After the fallback below: each view and virtual table on its own, so
 * that the broken ones keep SQLite's error and the others their columns. */
static void load_columns_one_by_one(DbConn *c, SqLoad *L)
{
    for (size_t i = 0; i < L->cat->count; i++) {
        CatTable *t = &L->cat->tables[i];
        if (t->ncolumns > 0)   /* a plain table, read already */
            continue;
        const char *vals[1] = { t->name };
        DbParams params = { 1, vals };
        DbError e = DB_ERROR_INIT;
        if (db_query(c, "catalog: columns of one view",
                     "/* catalog: columns of one view */ SELECT $1, p.cid, p.name, p.type, "
                     "p.\"notnull\", p.dflt_value, p.pk, p.hidden FROM pragma_table_xinfo($1) p",
                     &params, on_column, L, &e) != 0)
            t->columns_error = xstrdup(e.message ? e.message : "cannot read its columns");
        db_error_clear(&e);
    }
}

/* A view over a dropped table, or a virtual table whose module is not
 * loaded, makes the pragma fail for the whole statement: then the columns
 * of plain tables, and of the others one by one. */
static int load_columns(DbConn *c, SqLoad *L, DbError *err)
{
    DbError first = DB_ERROR_INIT;
    if (sq_query(c, L, "catalog: columns",
                 "/* catalog: columns */ SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", "
                 "p.dflt_value, p.pk, p.hidden FROM sqlite_schema m "
                 "JOIN pragma_table_xinfo(m.name) p "
                 "WHERE m.type IN ('table', 'view') AND " SQ_USER_NAME, SQ_ONLY, "",
                 on_column, &first) == 0)
        return 0;
    db_error_clear(&first);
    clear_columns(L);
    if (sq_query(c, L, "catalog: columns of tables",
        "/* catalog: columns of tables */ SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", "
        "p.dflt_value, p.pk, p.hidden FROM sqlite_schema m "
        "JOIN pragma_table_xinfo(m.name) p "
        "WHERE " SQ_PLAIN_TABLE SQ_USER_NAME, SQ_ONLY, "",
        on_column, err) != 0)
        return -1;
    load_columns_one_by_one(c, L);
    return 0;
}

/* ---- 3. foreign keys ---- */

/* The parent's name as sqlite_schema has it (a foreign key may name it in
 * another case); as written when it is not there. */
static const char *parent_name(SqLoad *L, const char *written)
{
    size_t p = cat_map_str(&L->map, written);
    if (p != (size_t)-1)
        return L->cat->tables[p].name;
    for (size_t i = 0; written && i < L->nrefs; i++)
        if (strcasecmp(L->refs[i], written) == 0)
            return L->refs[i];
    return written ? written : "";
}

static int on_fk(void *ctx, const DbRow *row)
{
    SqLoad *L = ctx;
    const char *const *v = row->values;
    size_t i = cat_map_str(&L->map, v[0]);
    if (i == (size_t)-1)
        return 0;
    int64_t id = cat_i64(v[1], 0);
    CatConstraint *k;
    if (L->nfks[i] > 0 && L->fk_table == i && L->fk_id == id) {
        k = &L->fks[i][L->nfks[i] - 1];
    } else {
        L->fks[i] = cat_append(L->fks[i], L->nfks[i], sizeof *L->fks[i]);
        k = &L->fks[i][L->nfks[i]++];
        memset(k, 0, sizeof *k);
        k->type = CAT_CON_FOREIGN_KEY;
        k->ref_schema = xstrdup("main");
        k->ref_table = xstrdup(parent_name(L, v[3]));
        k->on_update = cat_fk_action(v[6]);
        k->on_delete = cat_fk_action(v[7]);
        k->validated = true;
        L->fk_table = i;
        L->fk_id = id;
    }
    size_t cap = k->ncolumns, rcap = k->nref_columns;
    cat_strv_push(&k->columns, &k->ncolumns, &cap, v[4] ? v[4] : "");
    /* REFERENCES parent without columns: the parent's primary key (v[8]),
     * else its rowid */
    cat_strv_push(&k->ref_columns, &k->nref_columns, &rcap,
                  v[5] ? v[5] : v[8] ? v[8] : "rowid");
    return 0;
}

static int load_fks(DbConn *c, SqLoad *L, DbError *err)
{
    return sq_query(c, L, "catalog: foreign keys",
        "/* catalog: foreign keys */ SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", "
        "f.\"to\", f.on_update, f.on_delete, CASE WHEN f.\"to\" IS NULL THEN "
        "(SELECT p.name FROM pragma_table_info(f.\"table\") p WHERE p.pk = f.seq + 1) END "
        "FROM sqlite_schema m "
        "JOIN pragma_foreign_key_list(m.name) f WHERE " SQ_PLAIN_TABLE SQ_USER_NAME, SQ_ONLY,
        "ORDER BY m.name, f.id DESC, f.seq",
        on_fk, err);
}

/* ---- 4. indexes ---- */

static int on_index(void *ctx, const DbRow *row)
{
    SqLoad *L = ctx;
    const char *const *v = row->values;
    size_t i = cat_map_str(&L->map, v[0]);
    if (i == (size_t)-1)
        return 0;
    CatTable *t = &L->cat->tables[i];
    const char *name = v[1] ? v[1] : "";
    CatIndex *x = L->ix_cur;
    if (!x || L->ix_table != i || strcmp(x->name, name) != 0) {
        t->indexes = cat_append(t->indexes, t->nindexes, sizeof *t->indexes);
        x = &t->indexes[t->nindexes++];
        memset(x, 0, sizeof *x);
        x->name = xstrdup(name);
        x->unique = cat_bool(v[2]);
        x->primary = v[3] && strcmp(v[3], "pk") == 0;
        x->constraint = v[3] && strcmp(v[3], "c") != 0;
        x->partial = cat_bool(v[4]);
        x->valid = true;
        x->bytes = -1;
        x->scans = -1;
        L->ix_table = i;
        L->ix_cur = x;
    }
    size_t cap = x->ncolumns;
    /* cid -2: an expression (named later from the CREATE INDEX text) */
    cat_strv_push(&x->columns, &x->ncolumns, &cap, cat_i64(v[6], 0) == -2 ? NULL
                                                   : v[7] ? v[7] : "rowid");
    return 0;
}

static int load_indexes(DbConn *c, SqLoad *L, DbError *err)
{
    L->ix_cur = NULL;
    int rc = sq_query(c, L, "catalog: indexes",
        "/* catalog: indexes */ SELECT m.name, l.name, l.\"unique\", l.origin, l.partial, "
        "x.seqno, x.cid, x.name FROM sqlite_schema m JOIN pragma_index_list(m.name) l "
        "JOIN pragma_index_xinfo(l.name) x WHERE " SQ_PLAIN_TABLE SQ_USER_NAME
        "AND x.key = 1 ", SQ_ONLY, "",
        on_index, err);
    L->ix_cur = NULL; /* the arrays may move from here on */
    return rc;
}

/* ---- 5. sizes, 6. row estimates ---- */

static CatIndex *index_named(CatTable *t, const char *name)
{
    for (size_t k = 0; k < t->nindexes; k++)
        if (strcasecmp(t->indexes[k].name, name) == 0)
            return &t->indexes[k];
    return NULL;
}

static int on_size(void *ctx, const DbRow *row)
{
    SqLoad *L = ctx;
    const char *name = row->values[0] ? row->values[0] : "";
    int64_t bytes = cat_i64(row->values[1], 0);
    size_t i = cat_map_str(&L->map, name);
    CatIndex *x = NULL;
    if (i == (size_t)-1) {
        const SqObj *o = find_obj(L, name);
        if (!o || o->trigger || (i = cat_map_str(&L->map, o->tbl)) == (size_t)-1)
            return 0;
        x = index_named(&L->cat->tables[i], name);
    }
    CatTable *t = &L->cat->tables[i];
    t->bytes = (t->bytes < 0 ? 0 : t->bytes) + bytes;
    if (x)
        x->bytes = bytes;
    return 0;
}

/* One table's (a scope's) size, from the pages of it and its indexes. */
static void load_sizes(DbConn *c, SqLoad *L)
{
    if (!L->scope)
        return;   /* reading every page of the file: catalog_measure_sizes */
    DbError ignore = DB_ERROR_INIT; /* dbstat is not compiled into every SQLite */
    L->cat->sizes_known = sq_query(c, L, "catalog: sizes",
        "/* catalog: sizes (dbstat) */ SELECT m.name, (SELECT sum(d.pgsize) FROM dbstat d "
        "WHERE d.name = m.name) FROM sqlite_schema m WHERE m.type IN ('table', 'index') ",
        "AND m.tbl_name = $1 COLLATE NOCASE", "", on_size, &ignore) == 0;
    db_error_clear(&ignore);
    for (size_t i = 0; L->cat->sizes_known && i < L->cat->count; i++)
        L->cat->tables[i].bytes_exact = L->cat->tables[i].bytes >= 0;
}

static int on_stat(void *ctx, const DbRow *row)
{
    SqLoad *L = ctx;
    size_t i = cat_map_str(&L->map, row->values[0]);
    if (i != (size_t)-1 && row->values[1]) {
        CatTable *t = &L->cat->tables[i];
        t->rows = cat_i64(row->values[1], -1);
        t->rows_exact = false;
    }
    return 0;
}

static int load_rows(DbConn *c, SqLoad *L, DbError *err)
{
    Catalog *cat = L->cat;
    if (L->has_stat1 && sq_query(c, L, "catalog: row estimates",
            "/* catalog: row estimates (sqlite_stat1) */ SELECT tbl, "
            "max(CAST(stat AS INTEGER)) FROM sqlite_stat1 ", "WHERE tbl = $1 ", "GROUP BY tbl",
            on_stat, err) != 0)
        return -1;
    size_t *need = xcalloc(cat->count ? cat->count : 1, sizeof *need), n = 0;
    for (size_t i = 0; i < cat->count; i++)
        if (cat->tables[i].kind == CAT_KIND_TABLE && cat->tables[i].rows < 0)
            need[n++] = i;
    int rc = cat_count_rows(c, cat->tables, need, n, err);
    free(need);
    return rc;
}

/* ---- after the queries ---- */

static bool same_columns(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!a[i] || !b[i] || strcasecmp(a[i], b[i]) != 0)
            return false;
    return true;
}

/* The declared constraint of this kind and these columns (and parent),
 * not yet paired; NULL when none. */
static SqpConstraint *declared(SqpTable *p, SqpKind kind, char **cols, size_t ncols,
                               const char *ref_table)
{
    for (size_t i = 0; i < p->ncons; i++) {
        SqpConstraint *d = &p->cons[i];
        if (d->used || d->kind != kind)
            continue;
        if (kind == SQP_PRIMARY_KEY || kind == SQP_CHECK)
            return d;
        if (!same_columns(d->columns, d->ncolumns, cols, ncols))
            continue;
        if (kind == SQP_FOREIGN_KEY && (!d->ref_table || strcasecmp(d->ref_table, ref_table)))
            continue;
        return d;
    }
    return NULL;
}

static void append_list(StrBuf *b, const Catalog *cat, char **cols, size_t n)
{
    sb_appendc(b, '(');
    for (size_t i = 0; i < n; i++) {
        char *q = catalog_quote_ident(cat, cols[i] ? cols[i] : "?");
        sb_appendf(b, "%s%s", i ? ", " : "", q);
        free(q);
    }
    sb_appendc(b, ')');
}

static char *key_definition(const Catalog *cat, const char *what, char **cols, size_t n)
{
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "%s ", what);
    append_list(&b, cat, cols, n);
    return sb_take(&b);
}

static char *fk_definition(const Catalog *cat, const CatConstraint *k)
{
    StrBuf b = STRBUF_INIT;
    sb_append(&b, "FOREIGN KEY ");
    append_list(&b, cat, k->columns, k->ncolumns);
    char *q = catalog_quote_ident(cat, k->ref_table);
    sb_appendf(&b, " REFERENCES %s ", q);
    free(q);
    append_list(&b, cat, k->ref_columns, k->nref_columns);
    if (strcmp(k->on_update, "NO ACTION") != 0)
        sb_appendf(&b, " ON UPDATE %s", k->on_update);
    if (strcmp(k->on_delete, "NO ACTION") != 0)
        sb_appendf(&b, " ON DELETE %s", k->on_delete);
    return sb_take(&b);
}

static CatConstraint *new_con(CatTable *t, CatConType type, SqpConstraint *d)
{
    t->constraints = cat_append(t->constraints, t->nconstraints, sizeof *t->constraints);
    CatConstraint *k = &t->constraints[t->nconstraints++];
    memset(k, 0, sizeof *k);
    k->type = type;
    k->validated = true;
    if (d) {
        d->used = true;
        k->name = dup_or_null(d->name);
    }
    return k;
}

/* Primary key, unique constraints (from their indexes), foreign keys,
 * checks: in that order, named from the CREATE TABLE when declared so. */
static void build_constraints(SqLoad *L, size_t i)
{
    Catalog *cat = L->cat;
    CatTable *t = &cat->tables[i];
    SqpTable *p = &L->parse[i];
    size_t npk = 0;
    for (size_t m = 0; m < t->ncolumns; m++)
        if (t->columns[m].pk_position > 0)
            npk++;
    /* A rowid alias (the one INTEGER PRIMARY KEY of a rowid table) and the
     * key of a WITHOUT ROWID table can never be NULL, whatever pragma says. */
    for (size_t m = 0; m < t->ncolumns; m++) {
        CatColumn *col = &t->columns[m];
        if (col->pk_position > 0 && (p->without_rowid ||
                (t->has_rowid && npk == 1 && strcasecmp(col->type, "INTEGER") == 0)))
            col->nullable = false;
    }
    if (npk > 0) {
        CatConstraint *k = new_con(t, CAT_CON_PRIMARY_KEY,
                                   declared(p, SQP_PRIMARY_KEY, NULL, 0, NULL));
        k->columns = xcalloc(npk, sizeof *k->columns);
        k->ncolumns = npk;
        for (size_t m = 0; m < t->ncolumns; m++) {
            int pos = t->columns[m].pk_position;
            if (pos > 0 && (size_t)pos <= npk)
                k->columns[pos - 1] = xstrdup(t->columns[m].name);
        }
        for (size_t m = 0; m < npk; m++)
            if (!k->columns[m])
                k->columns[m] = xstrdup("?");
        for (size_t x = 0; x < t->nindexes; x++)
            if (t->indexes[x].primary)
                k->index_name = xstrdup(t->indexes[x].name);
        k->definition = key_definition(cat, "PRIMARY KEY", k->columns, k->ncolumns);
    }
    for (size_t x = 0; x < t->nindexes; x++) {
        const CatIndex *ix = &t->indexes[x];
        if (!ix->constraint || ix->primary)
            continue;
        CatConstraint *k = new_con(t, CAT_CON_UNIQUE,
                                   declared(p, SQP_UNIQUE, ix->columns, ix->ncolumns, NULL));
        k->columns = xcalloc(ix->ncolumns ? ix->ncolumns : 1, sizeof *k->columns);
        for (size_t m = 0; m < ix->ncolumns; m++)
            k->columns[m] = xstrdup(ix->columns[m] ? ix->columns[m] : "?");
        k->ncolumns = ix->ncolumns;
        k->index_name = xstrdup(ix->name);
        k->definition = key_definition(cat, "UNIQUE", k->columns, k->ncolumns);
    }
    for (size_t f = 0; f < L->nfks[i]; f++) {
        CatConstraint *src = &L->fks[i][f];
        SqpConstraint *d = declared(p, SQP_FOREIGN_KEY, src->columns, src->ncolumns,
                                    src->ref_table);
        CatConstraint *k = new_con(t, CAT_CON_FOREIGN_KEY, d);
        char *name = k->name;
        *k = *src; /* moves the arrays */
        k->name = name;
        memset(src, 0, sizeof *src);
        k->definition = fk_definition(cat, k);
    }
    for (SqpConstraint *d; (d = declared(p, SQP_CHECK, NULL, 0, NULL)) != NULL;) {
        CatConstraint *k = new_con(t, CAT_CON_CHECK, d);
        k->expression = xstrdup(d->expression ? d->expression : "");
        k->columns = xcalloc(d->ncolumns ? d->ncolumns : 1, sizeof *k->columns);
        for (size_t m = 0; m < d->ncolumns; m++)
            k->columns[m] = xstrdup(d->columns[m]);
        k->ncolumns = d->ncolumns;
        k->definition = xasprintf("CHECK (%s)", k->expression);
    }
}

/* Index definitions and expressions from sqlite_schema; triggers. */
static void attach_objects(SqLoad *L)
{
    Catalog *cat = L->cat;
    for (size_t i = 0; i < cat->count; i++) {
        CatTable *t = &cat->tables[i];
        for (size_t x = 0; x < t->nindexes; x++) {
            CatIndex *ix = &t->indexes[x];
            SqObj *o = (SqObj *)find_obj(L, ix->name);
            char **items = NULL;
            size_t nitems = 0;
            if (o && o->sql) {
                cat_sqlite_index_parts(o->sql, &items, &nitems, &ix->predicate);
                ix->definition = o->sql;   /* moved: needed once */
                o->sql = NULL;
            } else {
                ix->definition = key_definition(cat, ix->primary ? "PRIMARY KEY" : "UNIQUE",
                                                ix->columns, ix->ncolumns);
            }
            for (size_t k = 0; k < ix->ncolumns; k++)
                if (!ix->columns[k])
                    ix->columns[k] = xstrdup(k < nitems ? items[k] : "(expression)");
            cat_strv_free(items, nitems);
        }
    }
    for (size_t k = 0; k < L->nobjs; k++) {
        SqObj *o = &L->objs[k];
        size_t i = o->trigger ? cat_map_str(&L->map, o->tbl) : (size_t)-1;
        if (i == (size_t)-1)
            continue;
        CatTable *t = &cat->tables[i];
        t->triggers = cat_append(t->triggers, t->ntriggers, sizeof *t->triggers);
        CatTrigger *g = &t->triggers[t->ntriggers++];
        g->name = xstrdup(o->name);
        g->definition = o->sql ? o->sql : xstrdup("");   /* moved */
        o->sql = NULL;
        g->enabled = true;
    }
}

static int cmp_index(const void *a, const void *b)
{
    return strcmp(((const CatIndex *)a)->name, ((const CatIndex *)b)->name);
}

static int cmp_trigger(const void *a, const void *b)
{
    return strcmp(((const CatTrigger *)a)->name, ((const CatTrigger *)b)->name);
}

/* ---- 7. whether this connection enforces foreign keys ---- */

int catalog_note_fk_enforcement(DbConn *c, Catalog *cat, DbError *err)
{
    if (db_engine(c) != DB_ENGINE_SQLITE)
        return 0;
    char *on = NULL;
    if (db_query_value(c, "catalog: foreign keys enforced",
                       "/* catalog: foreign keys enforced */ PRAGMA foreign_keys", NULL, &on,
                       err) != 0)
        return -1;
    cat->fk_not_enforced = !on || strcmp(on, "1") != 0;
    free(on);
    return 0;
}

int cat_load_sqlite(DbConn *c, Catalog *cat, const CatScope *scope, DbError *err)
{
    SqLoad L;
    memset(&L, 0, sizeof L);
    L.cat = cat;
    L.scope = scope;
    int rc = -1;
    if (load_schema(c, &L, err) != 0 || load_columns(c, &L, err) != 0 ||
        load_fks(c, &L, err) != 0 || load_indexes(c, &L, err) != 0 ||
        catalog_note_fk_enforcement(c, cat, err) != 0)
        goto fail;
    for (size_t i = 0; i < cat->count; i++) {
        CatTable *t = &cat->tables[i];
        if (t->nindexes > 1)   /* by name (the rows come by table, an index's together) */
            qsort(t->indexes, t->nindexes, sizeof *t->indexes, cmp_index);
    }
    attach_objects(&L);
    for (size_t i = 0; i < cat->count; i++) {
        build_constraints(&L, i);
        /* what only the constraints needed goes now: memory stays low */
        cat_sqlite_parse_free(&L.parse[i]);
        free(L.fks[i]);   /* its foreign keys moved into the constraints */
        L.fks[i] = NULL;
        L.nfks[i] = 0;
        CatTable *t = &cat->tables[i];
        if (t->ntriggers > 1)
            qsort(t->triggers, t->ntriggers, sizeof *t->triggers, cmp_trigger);
    }
    load_sizes(c, &L);
    if (load_rows(c, &L, err) != 0)
        goto fail;
    rc = 0;
fail:
    if (rc != 0 && err->message)
        db_error_prefix(err, "reading the catalog of %s", db_display_url(c));
    for (size_t i = 0; i < L.nobjs; i++) {
        free(L.objs[i].name);
        free(L.objs[i].tbl);
        free(L.objs[i].sql);
    }
    free(L.objs);
    for (size_t i = 0; L.parse && i < cat->count; i++) {
        cat_sqlite_parse_free(&L.parse[i]);
        for (size_t f = 0; f < L.nfks[i]; f++) {
            CatConstraint *k = &L.fks[i][f];
            cat_strv_free(k->columns, k->ncolumns);
            free(k->ref_schema);
            free(k->ref_table);
            cat_strv_free(k->ref_columns, k->nref_columns);
        }
        free(L.fks[i]);
    }
    free(L.parse);
    free(L.fks);
    free(L.nfks);
    cat_strv_free(L.refs, L.nrefs);
    cat_map_free(&L.map);
    return rc;
}
