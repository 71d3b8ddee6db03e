/* integrity_build.c: the list of checks, made from the catalog alone:
 * declared foreign keys, inferred relationships, lints, engine checks;
 * filtered, ordered, with stable ids (see integrity.h). */
#include "integrity_internal.h"
#include "strv.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

long integrity_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void integrity_note(char **msg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *add = xvasprintf(fmt, ap);
    va_end(ap);
    char *joined = *msg && **msg ? xasprintf("%s; %s", *msg, add) : xstrdup(add);
    free(add);
    free(*msg);
    *msg = joined;
}

IntegrityGroup integrity_kind_group(IntegrityKind k)
{
    switch (k) {
    case IK_FOREIGN_KEY: return IG_ORPHANS;
    case IK_INFERRED_KEY: return IG_INFERRED;
    case IK_FOREIGN_KEY_CHECK:
    case IK_QUICK_CHECK:
    case IK_INTEGRITY_CHECK: return IG_ENGINE;
    default: return IG_LINTS;
    }
}

/* ---- small catalog helpers ------------------------------------------ */

bool ib_is_table(const CatTable *t)
{
    return t->kind == CAT_KIND_TABLE || t->kind == CAT_KIND_PARTITIONED;
}

bool ib_is_partition(const CatTable *t)
{
    return t->parent_name != NULL;
}

const CatConstraint *ib_primary_key(const CatTable *t)
{
    for (size_t i = 0; i < t->nconstraints; i++)
        if (t->constraints[i].type == CAT_CON_PRIMARY_KEY)
            return &t->constraints[i];
    return NULL;
}

const CatColumn *ib_column(const CatTable *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return &t->columns[i];
    return NULL;
}

static bool in_list(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

bool ib_indexed(const CatTable *t, char *const *cols, size_t n)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        const CatIndex *x = &t->indexes[i];
        if (!x->valid || x->ncolumns < n)
            continue;
        size_t k = 0;
        while (k < n && in_list(cols, n, x->columns[k]))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

/* ---- type families ---------------------------------------------------- */

char integrity_type_family(DbEngine e, const char *type)
{
    char up[64];
    size_t n = 0;
    for (; type && type[n] && n < sizeof up - 1; n++)
        up[n] = (char)toupper((unsigned char)type[n]);
    up[n] = '\0';
    if (e == DB_ENGINE_SQLITE) {   /* SQLite's affinity rules */
        if (!*up) return '?';
        if (strstr(up, "INT")) return 'i';
        if (strstr(up, "CHAR") || strstr(up, "CLOB") || strstr(up, "TEXT")) return 't';
        if (strstr(up, "BLOB")) return 'b';
        return 'n';
    }
    if (!strcmp(up, "SMALLINT") || !strcmp(up, "INTEGER") || !strcmp(up, "BIGINT"))
        return 'i';
    if (!strncmp(up, "NUMERIC", 7) || !strcmp(up, "REAL") || !strcmp(up, "DOUBLE PRECISION"))
        return 'n';
    if (!strcmp(up, "TEXT") || !strncmp(up, "CHARACTER", 9) || !strcmp(up, "CITEXT") ||
        !strcmp(up, "NAME") || !strncmp(up, "VARCHAR", 7))
        return 't';
    if (!strcmp(up, "UUID"))
        return 'u';
    return 0;
}

bool integrity_types_comparable(DbEngine e, const char *a, const char *b)
{
    char fa = integrity_type_family(e, a), fb = integrity_type_family(e, b);
    if (fa == '?' || fb == '?')
        return true;
    bool na = fa == 'i' || fa == 'n', nb = fb == 'i' || fb == 'n';
    if (na && nb)
        return true;
    if (fa || fb)
        return fa == fb;
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* ---- the list ---------------------------------------------------------- */

IntegrityCheck *ib_add(IntBuild *b, IntegrityKind kind, const CatTable *t)
{
    IntegrityList *l = b->out;
    l->checks = xgrow(l->checks, &b->cap, l->count + 1, sizeof *l->checks);
    IntegrityCheck *ck = &l->checks[l->count++];
    memset(ck, 0, sizeof *ck);
    ck->kind = kind;
    ck->group = integrity_kind_group(kind);
    ck->schema = t ? xstrdup(t->schema) : NULL;
    ck->table = t ? xstrdup(t->name) : NULL;
    ck->validated = true;
    ck->count = ck->distinct_keys = ck->rows = -1;
    ck->accepted_count = -1;
    ck->ms = -1;
    return ck;
}

void ib_set_columns(IntegrityCheck *ck, char *const *cols, size_t n)
{
    strv_free(ck->columns);
    ck->columns = strv_dup_n((const char *const *)cols, n);
    ck->ncolumns = n;
}

void ib_set_ref(IntegrityCheck *ck, const char *schema, const char *table, char *const *cols,
                size_t n)
{
    ck->ref_schema = xstrdup(schema);
    ck->ref_table = xstrdup(table);
    ck->ref_columns = strv_dup_n((const char *const *)cols, n);
    ck->nref_columns = n;
}

void ib_rel_text(StrBuf *b, const Catalog *cat, const char *schema, const char *table,
                 char *const *cols, size_t n)
{
    char *s = catalog_quote_ident(cat, schema), *t = catalog_quote_ident(cat, table);
    sb_appendf(b, "%s.%s", s, t);
    free(s);
    free(t);
    if (!cols)
        return;
    sb_appendc(b, '(');
    for (size_t i = 0; i < n; i++) {
        char *c = catalog_quote_ident(cat, cols[i]);
        sb_appendf(b, "%s%s", i ? "," : "", c);
        free(c);
    }
    sb_appendc(b, ')');
}

/* "prefix:child(cols)->parent(cols)" for a relation check. */
static char *relation_id(const Catalog *cat, const char *prefix, const IntegrityCheck *ck)
{
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "%s:", prefix);
    ib_rel_text(&b, cat, ck->schema, ck->table, ck->columns, ck->ncolumns);
    sb_append(&b, "->");
    ib_rel_text(&b, cat, ck->ref_schema, ck->ref_table, ck->ref_columns, ck->nref_columns);
    return sb_take(&b);
}

/* ---- declared foreign keys -------------------------------------------- */

static bool all_nullable(const CatTable *t, char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const CatColumn *c = ib_column(t, cols[i]);
        if (!c || !c->nullable)
            return false;
    }
    return true;
}

static void add_declared(IntBuild *b, const CatTable *t, const CatConstraint *k)
{
    IntegrityCheck *ck = ib_add(b, IK_FOREIGN_KEY, t);
    ib_set_columns(ck, k->columns, k->ncolumns);
    ib_set_ref(ck, k->ref_schema, k->ref_table, k->ref_columns, k->nref_columns);
    ck->object = xstrdup(k->name);
    ck->validated = k->validated;
    ck->child_indexed = ib_indexed(t, k->columns, k->ncolumns);
    ck->nullable = all_nullable(t, k->columns, k->ncolumns);
    ck->id = relation_id(b->cat, "fk", ck);
    if (!catalog_fk_target(b->cat, k))
        ck->message = xstrdup("the referenced table is not in the catalog");
}

static void build_declared(IntBuild *b)
{
    for (size_t i = 0; i < b->cat->count; i++) {
        const CatTable *t = &b->cat->tables[i];
        if (!ib_is_table(t))
            continue;
        for (size_t k = 0; k < t->nconstraints; k++) {
            const CatConstraint *c = &t->constraints[k];
            if (c->type == CAT_CON_FOREIGN_KEY && !c->inherited && c->ncolumns > 0 &&
                c->ncolumns == c->nref_columns)
                add_declared(b, t, c);
        }
    }
}

/* ---- inferred relationships ------------------------------------------- */

typedef struct Alias {
    char *from, *to;
} Alias;

/* "creator:users owner:users" (spaces or commas between pairs). */
static int parse_aliases(const char *text, Alias **out, size_t *n, DbError *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    const char *p = text ? text : "";
    while (*p) {
        p += strspn(p, " \t,");
        size_t len = strcspn(p, " \t,");
        if (!len)
            break;
        const char *colon = memchr(p, ':', len);
        if (!colon || colon == p || colon == p + len - 1) {
            db_error_set(err, DB_ERR_USAGE, "[integrity] inferred_aliases: '%.*s' is not "
                         "name:table", (int)len, p);
            return -1;
        }
        *out = xgrow(*out, &cap, *n + 1, sizeof **out);
        (*out)[*n].from = xstrndup(p, (size_t)(colon - p));
        (*out)[*n].to = xstrndup(colon + 1, (size_t)(p + len - colon - 1));
        (*n)++;
        p += len;
    }
    return 0;
}

static void free_aliases(Alias *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].from);
        free(a[i].to);
    }
    free(a);
}

/* The table called name: in schema first, then anywhere; SQLite without
 * regard to ASCII case, as SQLite names tables. */
static const CatTable *table_named(const Catalog *cat, const char *schema, const char *name)
{
    const CatTable *t = catalog_find(cat, schema, name);
    if (!t)
        t = catalog_find(cat, NULL, name);
    for (size_t i = 0; !t && cat->engine == DB_ENGINE_SQLITE && i < cat->count; i++)
        if (strcasecmp(cat->tables[i].name, name) == 0)
            t = &cat->tables[i];
    return t && ib_is_table(t) ? t : NULL;
}

/* The parent table group 1 names (an alias, the name, the name + "s"). */
static const CatTable *inferred_parent(const Catalog *cat, const CatTable *t, const char *g1,
                                       const Alias *al, size_t nal)
{
    for (size_t i = 0; i < nal; i++)
        if (strcasecmp(al[i].from, g1) == 0)
            return table_named(cat, t->schema, al[i].to);
    const CatTable *p = table_named(cat, t->schema, g1);
    if (!p) {
        char *plural = xasprintf("%ss", g1);
        p = table_named(cat, t->schema, plural);
        free(plural);
    }
    return p;
}

/* Is col the only column of a declared foreign key of t, or t's whole
 * primary key? */
static bool covered(const CatTable *t, const char *col)
{
    for (size_t k = 0; k < t->nconstraints; k++) {
        const CatConstraint *c = &t->constraints[k];
        if ((c->type == CAT_CON_FOREIGN_KEY || c->type == CAT_CON_PRIMARY_KEY) &&
            c->ncolumns == 1 && strcmp(c->columns[0], col) == 0)
            return true;
    }
    return false;
}

static void infer_column(IntBuild *b, const CatTable *t, const CatColumn *col, const Rx *rx,
                         const Alias *al, size_t nal)
{
    RxSpan caps[2];
    if (!rx_match(rx, col->name, strlen(col->name), caps, 2) || !caps[1].set ||
        caps[1].len == 0 || covered(t, col->name))
        return;
    char *g1 = xstrndup(col->name + caps[1].start, caps[1].len);
    const CatTable *p = inferred_parent(b->cat, t, g1, al, nal);
    free(g1);
    const CatConstraint *pk = p ? ib_primary_key(p) : NULL;
    if (!pk || pk->ncolumns != 1)
        return;
    const CatColumn *pcol = ib_column(p, pk->columns[0]);
    if (!pcol || !integrity_types_comparable(b->cat->engine, col->type, pcol->type))
        return;
    IntegrityCheck *ck = ib_add(b, IK_INFERRED_KEY, t);
    char *cols[1] = { col->name };
    ib_set_columns(ck, cols, 1);
    ib_set_ref(ck, p->schema, p->name, pk->columns, 1);
    ck->inferred = true;
    ck->child_indexed = ib_indexed(t, cols, 1);
    ck->nullable = col->nullable;
    ck->id = relation_id(b->cat, "inferred", ck);
}

static int build_inferred(IntBuild *b, DbError *err)
{
    Alias *al = NULL;
    size_t nal = 0;
    if (parse_aliases(b->set->inferred_aliases, &al, &nal, err) != 0) {
        free_aliases(al, nal);
        return -1;
    }
    Rx *rx = rx_compile(b->set->inferred_fk ? b->set->inferred_fk : "(.+)_id$", RX_CASELESS,
                        err);
    if (!rx) {
        db_error_prefix(err, "[integrity] inferred_fk");
        free_aliases(al, nal);
        return -1;
    }
    for (size_t i = 0; i < b->cat->count; i++) {
        const CatTable *t = &b->cat->tables[i];
        if (!ib_is_table(t) || ib_is_partition(t))
            continue;
        for (size_t c = 0; c < t->ncolumns; c++)
            infer_column(b, t, &t->columns[c], rx, al, nal);
    }
    rx_free(rx);
    free_aliases(al, nal);
    return 0;
}

/* ---- engine checks ---------------------------------------------------- */

static void build_engine(IntBuild *b, bool full)
{
    if (b->cat->engine != DB_ENGINE_SQLITE)
        return;
    IntegrityCheck *ck = ib_add(b, IK_FOREIGN_KEY_CHECK, NULL);
    ck->id = xstrdup("engine:foreign_key_check");
    ck = ib_add(b, full ? IK_INTEGRITY_CHECK : IK_QUICK_CHECK, NULL);
    ck->id = xstrdup(full ? "engine:integrity_check" : "engine:quick_check");
}

/* ---- order, ids, filter ----------------------------------------------- */

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_check(const void *pa, const void *pb)
{
    const IntegrityCheck *a = pa, *b = pb;
    if (a->group != b->group)
        return (int)a->group - (int)b->group;
    int r = cmp_str(a->schema, b->schema);
    if (!r) r = cmp_str(a->table, b->table);
    if (!r) r = strcmp(a->id, b->id);
    if (!r) r = cmp_str(a->object, b->object);
    return r;
}

/* Two checks with one id: the later ones get "#<object>". */
static void unique_ids(IntegrityList *l)
{
    size_t base = 0;   /* the first check of the current id */
    for (size_t i = 1; i < l->count; i++) {
        IntegrityCheck *ck = &l->checks[i];
        if (strcmp(ck->id, l->checks[base].id) != 0) {
            base = i;
            continue;
        }
        char *id = xasprintf("%s#%s", ck->id, ck->object ? ck->object : "");
        free(ck->id);
        ck->id = id;
    }
}

static bool wanted(const IntegrityCheck *ck, const IntegrityOptions *o, const Rx *rx)
{
    if (o->groups && !(o->groups & (1u << ck->group)))
        return false;
    if (o->only_id && strcmp(o->only_id, ck->id) != 0)
        return false;
    if (!rx)
        return true;
    if (!ck->table)
        return false;
    char *q = xasprintf("%s.%s", ck->schema, ck->table);
    bool m = rx_match(rx, q, strlen(q), NULL, 0) ||
             rx_match(rx, ck->table, strlen(ck->table), NULL, 0);
    free(q);
    return m;
}

static void filter(IntegrityList *l, const IntegrityOptions *o, const Rx *rx)
{
    size_t keep = 0;
    for (size_t i = 0; i < l->count; i++) {
        if (wanted(&l->checks[i], o, rx))
            l->checks[keep++] = l->checks[i];
        else
            integrity_check_clear(&l->checks[i]);
    }
    l->count = keep;
}

int integrity_build(const Catalog *cat, const IntegritySettings *set,
                    const IntegrityOptions *o, IntegrityList *out, DbError *err)
{
    static const IntegrityOptions all = { 0, NULL, NULL, false };
    if (!o)
        o = &all;
    memset(out, 0, sizeof *out);
    out->engine = cat->engine;
    out->fk_not_enforced = cat->fk_not_enforced;
    Rx *rx = NULL;
    if (o->table_rx && !(rx = rx_compile(o->table_rx, RX_CASELESS, err))) {
        db_error_prefix(err, "--table '%s'", o->table_rx);
        return -1;
    }
    IntBuild b = { cat, set, out, 0 };
    build_declared(&b);
    if (build_inferred(&b, err) != 0) {
        rx_free(rx);
        integrity_list_free(out);
        return -1;
    }
    integrity_lints_build(&b);
    build_engine(&b, o->full);
    qsort(out->checks, out->count, sizeof *out->checks, cmp_check);
    unique_ids(out);
    filter(out, o, rx);
    rx_free(rx);
    return 0;
}
