/* catalog_pg.c: the PostgreSQL catalog in a fixed number of queries (see
 * catalog_internal.h for the order of work).  Every query returns the
 * owning table's oid first; rows are attached to their table through a
 * sorted oid map.  Attribute numbers (keys of constraints and indexes) are
 * turned into names in C from the columns already loaded; what names
 * another table (a foreign key's parent, a partition's parent) comes named
 * from the server, so that one table loads alone (a scope).  A scope loads
 * the table and its partitions: every query ends with a filter on their
 * oids, and sizes are measured instead of estimated. */
#include "catalog_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The relations the catalog shows: c is pg_class, n its pg_namespace. */
#define PG_JOIN_REL(col) \
    "JOIN pg_catalog.pg_class c ON c.oid = " col " " \
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
#define PG_USER_REL \
    "c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname <> 'information_schema' " \
    "AND n.nspname NOT LIKE 'pg\\_%' "

typedef struct PgRel {        /* a table while the relations are read */
    CatTable t;
    int64_t  oid;
    int64_t  parent;          /* partition's parent oid, 0 when none */
    bool     readable;        /* may be counted (SELECT privilege) */
} PgRel;

typedef struct PgLoad {
    Catalog *cat;
    const CatScope *scope;    /* one table, or NULL: all */
    char    *oids;            /* with a scope: its relations, "{1,2}" */
    bool     exact;           /* measure sizes (else estimate them) */
    PgRel   *rels;            /* during the first query only */
    size_t   nrels, relcap;
    int64_t *parent;          /* per table, after sorting */
    bool    *readable;        /* per table: the user may count its rows */
    CatMap   map;             /* oid -> table */
    size_t   kwcap;
} PgLoad;

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static CatTable *table_for(PgLoad *L, const char *oid, size_t *idx)
{
    size_t i = cat_map_num(&L->map, cat_i64(oid, -1));
    if (i == (size_t)-1)
        return NULL;
    if (idx)
        *idx = i;
    return &L->cat->tables[i];
}

/* The name of column attnum of t, or its number as text when unknown. */
static char *col_name(const CatTable *t, int attnum)
{
    size_t lo = 0, hi = t ? t->ncolumns : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->columns[mid].number == attnum)
            return xstrdup(t->columns[mid].name);
        if (t->columns[mid].number < attnum)
            lo = mid + 1;
        else
            hi = mid;
    }
    return xasprintf("%d", attnum);
}

static void names_of(const CatTable *t, const char *attnums, char ***out, size_t *n)
{
    int *nums = NULL;
    size_t k = 0;
    cat_pg_int_vector(attnums, &nums, &k);
    *out = xcalloc(k ? k : 1, sizeof **out);
    for (size_t i = 0; i < k; i++)
        (*out)[i] = col_name(t, nums[i]);
    *n = k;
    free(nums);
}

/* Runs a catalog query; with a scope, filtered to its relations (sql ends
 * inside its WHERE clause). */
static int pg_query(DbConn *c, PgLoad *L, const char *label, const char *sql, DbRowFn fn,
                    DbError *err)
{
    if (!L->scope)
        return cat_query(c, label, sql, fn, L, err);
    char *q = xasprintf("%s AND c.oid = ANY ($1::pg_catalog.oid[])", sql);
    const char *vals[1] = { L->oids };
    DbParams p = { 1, vals };
    int rc = db_query(c, label, q, &p, fn, L, err);
    free(q);
    if (rc != 0)
        db_error_prefix(err, "%s query", label + strlen("catalog: "));
    return rc;
}

/* ---- 0. the scope's relations ---- */

static int on_scope(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    if (L->oids || !row->values[0])
        return 0;
    const char *more = row->values[1] ? row->values[1] : "{}";
    L->oids = xasprintf("{%s%s%s", row->values[0], strcmp(more, "{}") ? "," : "}",
                        strcmp(more, "{}") ? more + 1 : "");
    return 0;
}

/* The table of the scope and its partitions; L->oids stays NULL when there
 * is no such table. */
static int find_scope(DbConn *c, PgLoad *L, DbError *err)
{
    const char *vals[2] = { L->scope->schema, L->scope->name };
    DbParams p = { 2, vals };
    int rc = db_query(c, "catalog: the table",
        "/* catalog: the table */ SELECT c.oid, ARRAY(SELECT p.relid::pg_catalog.oid "
        "FROM pg_catalog.pg_partition_tree(c.oid) p WHERE p.relid <> c.oid) "
        "FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relname = $2 AND " PG_USER_REL,
        &p, on_scope, L, err);
    if (rc != 0)
        db_error_prefix(err, "the table query");
    return rc;
}

/* ---- 1. relations ---- */

static int on_relation(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    const char *const *v = row->values;
    L->rels = xgrow(L->rels, &L->relcap, L->nrels + 1, sizeof *L->rels);
    PgRel *r = &L->rels[L->nrels++];
    memset(r, 0, sizeof *r);
    CatTable *t = &r->t;
    r->oid = cat_i64(v[0], 0);
    t->schema = xstrdup(v[1] ? v[1] : "");
    t->name = xstrdup(v[2] ? v[2] : "");
    switch (v[3] ? v[3][0] : 'r') {
    case 'v': t->kind = CAT_KIND_VIEW; break;
    case 'm': t->kind = CAT_KIND_MATVIEW; break;
    case 'p': t->kind = CAT_KIND_PARTITIONED; break;
    case 'f': t->kind = CAT_KIND_FOREIGN; break;
    default: t->kind = CAT_KIND_TABLE; break;
    }
    t->is_view = t->kind == CAT_KIND_VIEW || t->kind == CAT_KIND_MATVIEW;
    t->rows = cat_i64(v[4], -1);
    t->bytes = cat_i64(v[5], -1);
    if (t->rows < 0 && v[6] && cat_i64(v[6], -1) == 0) {
        t->rows = 0; /* never analysed, but nothing on disk */
        t->rows_exact = true;
    }
    t->rls_enabled = cat_bool(v[7]);
    t->rls_forced = cat_bool(v[8]);
    t->definition = dup_or_null(v[9]);
    t->partition_key = dup_or_null(v[10]);
    r->parent = cat_i64(v[11], 0);
    t->partition_bound = dup_or_null(v[12]);
    r->readable = cat_bool(v[13]);
    t->bytes_exact = t->bytes >= 0 && cat_bool(v[14]);
    if (v[15] && v[16]) {
        t->parent_schema = xstrdup(v[15]);
        t->parent_name = xstrdup(v[16]);
    }
    t->detailed = true;
    return 0;
}

static int cmp_rel(const void *a, const void *b)
{
    const PgRel *x = a, *y = b;
    int c = strcmp(x->t.schema, y->t.schema);
    return c ? c : strcmp(x->t.name, y->t.name);
}

/* Estimated bytes: the pages of the relation, its TOAST table and the
 * TOAST table's index (one: tx), their own indexes coming with the indexes
 * query; a table never analysed is measured. */
#define PG_BLOCK "pg_catalog.current_setting('block_size')::bigint"
#define PG_EST_BYTES \
    "CASE WHEN c.relkind IN ('v', 'f') THEN NULL " \
    "WHEN c.reltuples < 0 THEN pg_catalog.pg_table_size(c.oid) " \
    "ELSE (c.relpages::bigint + COALESCE(t.relpages, 0) + COALESCE(tx.relpages, 0)) * " \
    PG_BLOCK " END, "
#define PG_EXACT_BYTES \
    "CASE WHEN c.relkind IN ('v', 'f') THEN NULL ELSE pg_catalog.pg_table_size(c.oid) END, "

static int load_relations(DbConn *c, PgLoad *L, DbError *err)
{
    StrBuf q = STRBUF_INIT;
    sb_append(&q,
        "/* catalog: relations */ SELECT c.oid, n.nspname, c.relname, c.relkind, "
        "CASE WHEN c.relkind IN ('v', 'f', 'p') OR c.reltuples < 0 THEN NULL "
        "ELSE c.reltuples::bigint END, ");
    sb_append(&q, L->exact ? PG_EXACT_BYTES : PG_EST_BYTES);
    sb_append(&q,
        "CASE WHEN c.relkind IN ('r', 'm') AND c.reltuples < 0 AND c.relispopulated "
        "THEN pg_catalog.pg_relation_size(c.oid) END, "
        "c.relrowsecurity, c.relforcerowsecurity, "
        "CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END, "
        "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
        "ih.inhparent, "
        "CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END, "
        "c.reltuples >= 0 OR (c.relispopulated "
        "AND pg_catalog.has_table_privilege(c.oid, 'SELECT')), ");
    sb_append(&q, L->exact ? "true" : "c.reltuples < 0");
    sb_append(&q, ", pn.nspname, pc.relname "
        "FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid "
        "LEFT JOIN pg_catalog.pg_index ti ON ti.indrelid = c.reltoastrelid "
        "LEFT JOIN pg_catalog.pg_class tx ON tx.oid = ti.indexrelid "
        "LEFT JOIN pg_catalog.pg_inherits ih ON c.relispartition AND ih.inhrelid = c.oid "
        "LEFT JOIN pg_catalog.pg_class pc ON pc.oid = ih.inhparent "
        "LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
        "WHERE " PG_USER_REL);
    int rc = pg_query(c, L, "catalog: relations", sb_str(&q), on_relation, err);
    sb_free(&q);
    if (L->nrels > 1)
        qsort(L->rels, L->nrels, sizeof *L->rels, cmp_rel);
    Catalog *cat = L->cat;
    size_t n = L->nrels;
    cat->tables = xcalloc(n ? n : 1, sizeof *cat->tables);
    int64_t *oids = xcalloc(n ? n : 1, sizeof *oids);
    L->parent = xcalloc(n ? n : 1, sizeof *L->parent);
    L->readable = xcalloc(n ? n : 1, sizeof *L->readable);
    for (size_t i = 0; i < n; i++) {
        cat->tables[i] = L->rels[i].t;
        oids[i] = L->rels[i].oid;
        L->parent[i] = L->rels[i].parent;
        L->readable[i] = L->rels[i].readable;
    }
    cat->count = n;
    free(L->rels);
    L->rels = NULL;
    L->nrels = 0;
    cat_map_by_num(&L->map, oids, n);
    free(oids);
    return rc;
}

/* ---- 2. columns ---- */

static int on_column(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    const char *const *v = row->values;
    size_t i;
    CatTable *t = table_for(L, v[0], &i);
    if (!t)
        return 0;
    t->columns = cat_append(t->columns, t->ncolumns, sizeof *t->columns);
    CatColumn *col = &t->columns[t->ncolumns++];
    memset(col, 0, sizeof *col);
    col->number = (int)cat_i64(v[1], 0);
    col->name = xstrdup(v[2] ? v[2] : "");
    col->type = xstrdup(v[3] ? v[3] : "");
    col->nullable = !cat_bool(v[4]);
    col->identity = v[6] && (v[6][0] == 'a' || v[6][0] == 'd') ? v[6][0] : 0;
    col->generated = v[7] && v[7][0] == 's' ? 's' : 0;
    if (col->generated)
        col->generation_expr = dup_or_null(v[5]);
    else
        col->default_expr = dup_or_null(v[5]);
    return 0;
}

static int cmp_column(const void *a, const void *b)
{
    const CatColumn *x = a, *y = b;
    return (x->number > y->number) - (x->number < y->number);
}

static int load_columns(DbConn *c, PgLoad *L, DbError *err)
{
    int rc = pg_query(c, L, "catalog: columns",
        "/* catalog: columns */ SELECT a.attrelid, a.attnum, a.attname, "
        "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated "
        "FROM pg_catalog.pg_attribute a " PG_JOIN_REL("a.attrelid")
        "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attnum > 0 AND NOT a.attisdropped AND " PG_USER_REL,
        on_column, err);
    for (size_t i = 0; i < L->cat->count; i++) {
        CatTable *t = &L->cat->tables[i];
        for (size_t k = 1; k < t->ncolumns; k++) {
            if (t->columns[k - 1].number > t->columns[k].number) {
                qsort(t->columns, t->ncolumns, sizeof *t->columns, cmp_column);
                break;
            }
        }
    }
    return rc;
}

/* ---- 3. constraints ---- */

/* The condition of a check from its definition, as pg_get_constraintdef
 * writes it: "CHECK (cond)", then " NO INHERIT", then " NOT VALID" (the
 * same deparse as pg_get_expr(conbin), without running it twice). */
static char *check_expression(const char *def)
{
    static const char *const tails[] = { " NOT VALID", " NO INHERIT" };
    if (strncmp(def, "CHECK (", 7) != 0)
        return xstrdup(def);
    size_t n = strlen(def);
    for (size_t i = 0; i < 2; i++) {
        size_t k = strlen(tails[i]);
        if (n >= 7 + k && strncmp(def + n - k, tails[i], k) == 0)
            n -= k;
    }
    if (n < 8 || def[n - 1] != ')')
        return xstrdup(def);
    return xstrndup(def + 7, n - 8);
}

static int on_constraint(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    const char *const *v = row->values;
    size_t i;
    CatTable *t = table_for(L, v[0], &i);
    if (!t)
        return 0;
    t->constraints = cat_append(t->constraints, t->nconstraints, sizeof *t->constraints);
    CatConstraint *k = &t->constraints[t->nconstraints++];
    memset(k, 0, sizeof *k);
    k->name = xstrdup(v[1] ? v[1] : "");
    switch (v[2] ? v[2][0] : 'c') {
    case 'p': k->type = CAT_CON_PRIMARY_KEY; break;
    case 'u': k->type = CAT_CON_UNIQUE; break;
    case 'f': k->type = CAT_CON_FOREIGN_KEY; break;
    case 'x': k->type = CAT_CON_EXCLUDE; break;
    default: k->type = CAT_CON_CHECK; break;
    }
    names_of(t, v[3], &k->columns, &k->ncolumns);
    if (k->type == CAT_CON_FOREIGN_KEY) {
        k->ref_schema = xstrdup(v[5] ? v[5] : "");
        k->ref_table = xstrdup(v[6] ? v[6] : "");
        if (v[17]) {
            cat_pg_text_array(v[17], &k->ref_columns, &k->nref_columns);
            for (size_t m = 0; m < k->nref_columns; m++)
                if (!k->ref_columns[m])
                    k->ref_columns[m] = xstrdup("?");
        } else {
            names_of(table_for(L, v[4], NULL), v[7], &k->ref_columns, &k->nref_columns);
        }
        k->on_update = cat_fk_action(v[8]);
        k->on_delete = cat_fk_action(v[9]);
    }
    k->validated = cat_bool(v[10]);
    k->deferrable = cat_bool(v[11]);
    k->deferred = cat_bool(v[12]);
    k->definition = xstrdup(v[13] ? v[13] : "");
    if (k->type == CAT_CON_CHECK)
        k->expression = check_expression(k->definition);
    k->index_name = dup_or_null(v[15]);
    k->inherited = !cat_bool(v[16]);
    return 0;
}

static int load_constraints(DbConn *c, PgLoad *L, DbError *err)
{
    /* A foreign key that refers to a partitioned table has a copy per
     * partition on the referring table itself: those are left out. */
    StrBuf q = STRBUF_INIT;
    sb_append(&q,
        "/* catalog: constraints */ SELECT k.conrelid, k.conname, k.contype, k.conkey, "
        "k.confrelid, fn.nspname, fc.relname, k.confkey, k.confupdtype, k.confdeltype, "
        "k.convalidated, k.condeferrable, k.condeferred, "
        "pg_catalog.pg_get_constraintdef(k.oid, true), NULL, "
        "CASE WHEN k.contype IN ('p', 'u', 'x') THEN ic.relname END, k.conislocal, ");
    /* the parent's key columns: named in C from its columns when it is
     * loaded too (all of them), else by the server (one table) */
    sb_append(&q, !L->scope ? "NULL " : "CASE WHEN k.contype = 'f' THEN "
        "ARRAY(SELECT a.attname FROM pg_catalog.unnest(k.confkey) WITH ORDINALITY u(num, o) "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num "
        "ORDER BY u.o) END ");
    sb_append(&q,
        "FROM pg_catalog.pg_constraint k " PG_JOIN_REL("k.conrelid")
        "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = k.confrelid "
        "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
        "LEFT JOIN pg_catalog.pg_class ic ON ic.oid = k.conindid "
        "WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND " PG_USER_REL
        "AND (k.conparentid = 0 OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint pk "
        "WHERE pk.oid = k.conparentid AND pk.conrelid = k.conrelid))");
    int rc = pg_query(c, L, "catalog: constraints", sb_str(&q), on_constraint, err);
    sb_free(&q);
    return rc;
}

/* ---- 4. indexes ---- */

static int on_index(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    const char *const *v = row->values;
    size_t i;
    CatTable *t = table_for(L, v[0], &i);
    if (!t)
        return 0;
    t->indexes = cat_append(t->indexes, t->nindexes, sizeof *t->indexes);
    CatIndex *x = &t->indexes[t->nindexes++];
    memset(x, 0, sizeof *x);
    x->name = xstrdup(v[1] ? v[1] : "");
    x->definition = xstrdup(v[2] ? v[2] : "");
    x->unique = cat_bool(v[3]);
    x->primary = cat_bool(v[4]);
    x->valid = cat_bool(v[5]);
    x->predicate = dup_or_null(v[6]);
    x->partial = x->predicate != NULL;
    int *keys = NULL;
    size_t nkeys = 0, nexprs = 0;
    char **exprs = NULL;
    cat_pg_int_vector(v[7], &keys, &nkeys);
    size_t nkey = (size_t)cat_i64(v[8], (int64_t)nkeys);
    if (nkey > nkeys)
        nkey = nkeys;
    cat_pg_text_array(v[9], &exprs, &nexprs);
    x->columns = xcalloc(nkey ? nkey : 1, sizeof *x->columns);
    for (size_t k = 0; k < nkey; k++)
        x->columns[k] = keys[k] != 0 ? col_name(t, keys[k])
                                     : xstrdup(k < nexprs && exprs[k] ? exprs[k] : "?");
    x->ncolumns = nkey;
    free(keys);
    cat_strv_free(exprs, nexprs);
    x->method = dup_or_null(v[10]);
    x->bytes = cat_i64(v[11], -1);
    if (x->bytes > 0 && t->bytes >= 0)
        t->bytes += x->bytes; /* pg_table_size + its indexes = pg_total_relation_size */
    x->scans = cat_i64(v[12], -1);
    x->constraint = v[13] != NULL;
    x->inherited = cat_bool(v[14]);
    return 0;
}

static int load_indexes(DbConn *c, PgLoad *L, DbError *err)
{
    /* idx_scan as pg_stat_user_indexes computes it (pg_stat_get_numscans),
     * without joining that view. */
    StrBuf q = STRBUF_INIT;
    sb_append(&q,
        "/* catalog: indexes */ SELECT i.indrelid, ic.relname, "
        "pg_catalog.pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary, "
        "i.indisvalid, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), i.indkey, "
        "i.indnkeyatts, CASE WHEN 0 = ANY (i.indkey::int2[]) THEN "
        "ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true) "
        "FROM pg_catalog.generate_series(1, i.indnkeyatts) k ORDER BY k) END, "
        "am.amname, ");
    sb_append(&q, L->exact ? "pg_catalog.pg_relation_size(i.indexrelid)"
                           : "CASE WHEN c.reltuples < 0 THEN pg_catalog.pg_relation_size("
                             "i.indexrelid) ELSE ic.relpages::bigint * " PG_BLOCK " END");
    sb_append(&q, ", "
        "pg_catalog.pg_stat_get_numscans(i.indexrelid), k.conname, "
        "c.relispartition AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h "
        "WHERE h.inhrelid = i.indexrelid) "
        "FROM pg_catalog.pg_index i " PG_JOIN_REL("i.indrelid")
        "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
        "LEFT JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
        "LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid "
        "AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x') "
        "WHERE " PG_USER_REL);
    int rc = pg_query(c, L, "catalog: indexes", sb_str(&q), on_index, err);
    sb_free(&q);
    return rc;
}

/* ---- 5. row-level security policies ---- */

static const char *policy_command(const char *v)
{
    switch (v ? v[0] : '*') {
    case 'r': return "SELECT";
    case 'a': return "INSERT";
    case 'w': return "UPDATE";
    case 'd': return "DELETE";
    default: return "ALL";
    }
}

static int on_policy(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    const char *const *v = row->values;
    size_t i;
    CatTable *t = table_for(L, v[0], &i);
    if (!t)
        return 0;
    t->policies = cat_append(t->policies, t->npolicies, sizeof *t->policies);
    CatPolicy *p = &t->policies[t->npolicies++];
    memset(p, 0, sizeof *p);
    p->name = xstrdup(v[1] ? v[1] : "");
    p->command = policy_command(v[2]);
    p->permissive = cat_bool(v[3]);
    cat_pg_text_array(v[4], &p->roles, &p->nroles);
    p->using_expr = dup_or_null(v[5]);
    p->check_expr = dup_or_null(v[6]);
    return 0;
}

static int load_policies(DbConn *c, PgLoad *L, DbError *err)
{
    return pg_query(c, L, "catalog: policies",
        "/* catalog: row-level security policies */ SELECT p.polrelid, p.polname, p.polcmd, "
        "p.polpermissive, CASE WHEN p.polroles = '{0}'::oid[] THEN ARRAY['public']::text[] "
        "ELSE ARRAY(SELECT r.rolname::text FROM pg_catalog.pg_roles r "
        "WHERE r.oid = ANY (p.polroles) ORDER BY r.rolname) END, "
        "pg_catalog.pg_get_expr(p.polqual, p.polrelid), "
        "pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) "
        "FROM pg_catalog.pg_policy p " PG_JOIN_REL("p.polrelid") "WHERE " PG_USER_REL,
        on_policy, err);
}

/* ---- 6. triggers ---- */

static int on_trigger(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    const char *const *v = row->values;
    size_t i;
    CatTable *t = table_for(L, v[0], &i);
    if (!t)
        return 0;
    t->triggers = cat_append(t->triggers, t->ntriggers, sizeof *t->triggers);
    CatTrigger *g = &t->triggers[t->ntriggers++];
    g->name = xstrdup(v[1] ? v[1] : "");
    g->definition = xstrdup(v[2] ? v[2] : "");
    g->enabled = cat_bool(v[3]);
    g->inherited = cat_bool(v[4]);
    return 0;
}

static int load_triggers(DbConn *c, PgLoad *L, DbError *err)
{
    return pg_query(c, L, "catalog: triggers",
        "/* catalog: triggers */ SELECT t.tgrelid, t.tgname, "
        "pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled <> 'D', t.tgparentid <> 0 "
        "FROM pg_catalog.pg_trigger t " PG_JOIN_REL("t.tgrelid")
        "WHERE NOT t.tgisinternal AND " PG_USER_REL,
        on_trigger, err);
}

/* ---- 7. sequences owned by columns (serial) ---- */

static int on_sequence(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    const char *const *v = row->values;
    CatTable *t = table_for(L, v[0], NULL);
    int attnum = (int)cat_i64(v[1], 0);
    for (size_t k = 0; t && k < t->ncolumns; k++) {
        CatColumn *col = &t->columns[k];
        if (col->number == attnum && !col->seq_name) {
            col->seq_schema = xstrdup(v[2] ? v[2] : "");
            col->seq_name = xstrdup(v[3] ? v[3] : "");
            break;
        }
    }
    return 0;
}

static int load_sequences(DbConn *c, PgLoad *L, DbError *err)
{
    return pg_query(c, L, "catalog: owned sequences",
        "/* catalog: sequences owned by columns */ SELECT d.refobjid, d.refobjsubid, "
        "sn.nspname, s.relname FROM pg_catalog.pg_depend d "
        "JOIN pg_catalog.pg_class s ON s.oid = d.objid "
        "JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace "
        PG_JOIN_REL("d.refobjid")
        "WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND d.deptype = 'a' AND s.relkind = 'S' AND d.refobjsubid > 0 AND " PG_USER_REL,
        on_sequence, err);
}

/* ---- 8. key words, for quoting in the DDL ---- */

static int on_keyword(void *ctx, const DbRow *row)
{
    PgLoad *L = ctx;
    if (row->values[0])
        cat_strv_push(&L->cat->keywords, &L->cat->nkeywords, &L->kwcap, row->values[0]);
    return 0;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_keywords(DbConn *c, PgLoad *L, DbError *err)
{
    int rc = cat_query(c, "catalog: key words",
        "/* catalog: key words that need quoting */ SELECT word "
        "FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U'",
        on_keyword, L, err);
    if (L->cat->nkeywords > 1)
        qsort(L->cat->keywords, L->cat->nkeywords, sizeof *L->cat->keywords, cmp_strp);
    return rc;
}

/* ---- after the queries ---- */

static int con_rank(const CatConstraint *k)
{
    return (int)k->type;
}

static int cmp_constraint(const void *a, const void *b)
{
    const CatConstraint *x = a, *y = b;
    int d = con_rank(x) - con_rank(y);
    return d ? d : strcmp(x->name, y->name);
}

static int cmp_index(const void *a, const void *b)
{
    return strcmp(((const CatIndex *)a)->name, ((const CatIndex *)b)->name);
}

static int cmp_policy(const void *a, const void *b)
{
    return strcmp(((const CatPolicy *)a)->name, ((const CatPolicy *)b)->name);
}

static int cmp_trigger(const void *a, const void *b)
{
    return strcmp(((const CatTrigger *)a)->name, ((const CatTrigger *)b)->name);
}

/* Sorts each table's parts and marks primary key columns. */
static void finish_tables(PgLoad *L)
{
    Catalog *cat = L->cat;
    for (size_t i = 0; i < cat->count; i++) {
        CatTable *t = &cat->tables[i];
        if (t->nconstraints > 1)
            qsort(t->constraints, t->nconstraints, sizeof *t->constraints, cmp_constraint);
        if (t->nindexes > 1)
            qsort(t->indexes, t->nindexes, sizeof *t->indexes, cmp_index);
        if (t->npolicies > 1)
            qsort(t->policies, t->npolicies, sizeof *t->policies, cmp_policy);
        if (t->ntriggers > 1)
            qsort(t->triggers, t->ntriggers, sizeof *t->triggers, cmp_trigger);
        for (size_t k = 0; k < t->nconstraints; k++) {
            const CatConstraint *pk = &t->constraints[k];
            if (pk->type != CAT_CON_PRIMARY_KEY)
                continue;
            for (size_t j = 0; j < pk->ncolumns; j++)
                for (size_t m = 0; m < t->ncolumns; m++)
                    if (strcmp(t->columns[m].name, pk->columns[j]) == 0) {
                        t->columns[m].primary_key = true;
                        t->columns[m].pk_position = (int)j + 1;
                    }
        }
    }
}

/* Counts the tables whose estimate is unknown, then gives each partitioned
 * table the sum of its leaf partitions' rows and bytes. */
static int finish_rows(DbConn *c, PgLoad *L, DbError *err)
{
    Catalog *cat = L->cat;
    size_t *need = xcalloc(cat->count ? cat->count : 1, sizeof *need), n = 0;
    for (size_t i = 0; i < cat->count; i++) {
        CatTable *t = &cat->tables[i];
        if ((t->kind == CAT_KIND_TABLE || t->kind == CAT_KIND_MATVIEW) && t->rows < 0 &&
            L->readable[i])
            need[n++] = i; /* without SELECT on it, a count would fail the load */
    }
    int rc = cat_count_rows(c, cat->tables, need, n, err);
    free(need);
    if (rc != 0)
        return -1;
    for (size_t i = 0; i < cat->count; i++) {
        CatTable *t = &cat->tables[i];
        if (t->kind == CAT_KIND_PARTITIONED) {
            t->rows = 0;
            t->bytes = 0;
            t->rows_exact = true;
            t->bytes_exact = true;
        }
    }
    for (size_t i = 0; i < cat->count; i++) {
        const CatTable *leaf = &cat->tables[i];
        if (leaf->kind == CAT_KIND_PARTITIONED || !L->parent[i])
            continue;
        int64_t up = L->parent[i];
        for (int depth = 0; up && depth < 64; depth++) {
            size_t p = cat_map_num(&L->map, up);
            if (p == (size_t)-1)
                break;
            CatTable *parent = &cat->tables[p];
            if (leaf->rows >= 0)
                parent->rows += leaf->rows;
            parent->rows_exact = parent->rows_exact && leaf->rows_exact;
            if (leaf->bytes >= 0)
                parent->bytes += leaf->bytes;
            parent->bytes_exact = parent->bytes_exact && leaf->bytes_exact;
            up = L->parent[p];
        }
    }
    return 0;
}

int cat_load_pg(DbConn *c, Catalog *cat, const CatScope *scope, DbError *err)
{
    PgLoad L;
    memset(&L, 0, sizeof L);
    L.cat = cat;
    L.scope = scope;
    L.exact = scope != NULL;
    cat->sizes_known = true;
    int rc = -1;
    if (scope && find_scope(c, &L, err) != 0)
        goto fail;
    if (scope && !L.oids) {
        rc = 0;   /* no such table */
        goto fail;
    }
    if (load_relations(c, &L, err) != 0 || load_columns(c, &L, err) != 0 ||
        load_constraints(c, &L, err) != 0 || load_indexes(c, &L, err) != 0 ||
        load_policies(c, &L, err) != 0 || load_triggers(c, &L, err) != 0 ||
        load_sequences(c, &L, err) != 0 || load_keywords(c, &L, err) != 0)
        goto fail;
    finish_tables(&L);
    if (finish_rows(c, &L, err) != 0)
        goto fail;
    rc = 0;
fail:
    if (rc != 0 && err->message)
        db_error_prefix(err, "reading the catalog of %s", db_display_url(c));
    for (size_t i = 0; i < L.nrels; i++)
        cat_table_clear(&L.rels[i].t);
    free(L.rels);
    free(L.parent);
    free(L.readable);
    free(L.oids);
    cat_map_free(&L.map);
    return rc;
}

/* ---- PostgreSQL text forms ---- */

void cat_pg_text_array(const char *s, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!s || *s != '{')
        return;
    size_t cap = 0;
    StrBuf b = STRBUF_INIT;
    const char *p = s + 1;
    while (*p && *p != '}') {
        bool quoted = *p == '"';
        b.len = 0;
        if (b.s)
            b.s[0] = '\0';
        if (quoted) {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                sb_appendc(&b, *p);
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',' && *p != '}')
                sb_appendc(&b, *p++);
        }
        bool null = !quoted && strcmp(sb_str(&b), "NULL") == 0;
        cat_strv_push(out, n, &cap, null ? NULL : sb_str(&b));
        if (*p == ',')
            p++;
    }
    sb_free(&b);
}

void cat_pg_int_vector(const char *s, int **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!s)
        return;
    size_t cap = 0;
    const char *p = s;
    while (*p) {
        if ((*p >= '0' && *p <= '9') || *p == '-') {
            char *end;
            long v = strtol(p, &end, 10);
            if (end == p) {
                p++;
                continue;
            }
            *out = xgrow(*out, &cap, *n + 1, sizeof **out);
            (*out)[(*n)++] = (int)v;
            p = end;
        } else {
            p++;
        }
    }
}
