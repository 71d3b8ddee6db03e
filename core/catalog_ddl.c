/* catalog_ddl.c: the DDL of one table, from a loaded catalog (no query). */
#include "catalog_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static void add_ident(StrBuf *b, const Catalog *cat, const char *name)
{
    char *q = catalog_quote_ident(cat, name);
    sb_append(b, q);
    free(q);
}

static char *qualified(const Catalog *cat, const char *schema, const char *name)
{
    StrBuf b = STRBUF_INIT;
    add_ident(&b, cat, schema);
    sb_appendc(&b, '.');
    add_ident(&b, cat, name);
    return sb_take(&b);
}

/* s without trailing white space and semicolons. */
static void add_trimmed(StrBuf *b, const char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ';' || s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' ||
                 s[n - 1] == '\r'))
        n--;
    sb_appendn(b, s, n);
}

/* Made inside CREATE TABLE; foreign keys (whose parent may come later)
 * and NOT VALID constraints (CREATE TABLE would validate them) come after. */
static bool inline_constraint(const CatConstraint *k)
{
    return k->type != CAT_CON_FOREIGN_KEY && k->validated;
}

static void pg_column(StrBuf *b, const Catalog *cat, const CatColumn *col)
{
    sb_append(b, "    ");
    add_ident(b, cat, col->name);
    sb_appendf(b, " %s", col->type);
    if (col->identity)
        sb_appendf(b, " GENERATED %s AS IDENTITY", col->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
    if (col->generated && col->generation_expr)
        sb_appendf(b, " GENERATED ALWAYS AS (%s) STORED", col->generation_expr);
    if (col->default_expr)
        sb_appendf(b, " DEFAULT %s", col->default_expr);
    if (!col->nullable)
        sb_append(b, " NOT NULL");
}

static void pg_create_table(StrBuf *b, const Catalog *cat, const CatTable *t, const char *qt)
{
    if (t->parent_name) {
        char *qp = qualified(cat, t->parent_schema, t->parent_name);
        sb_appendf(b, "CREATE TABLE %s PARTITION OF %s %s", qt, qp,
                   t->partition_bound ? t->partition_bound : "DEFAULT");
        free(qp);
    } else {
        sb_appendf(b, "CREATE TABLE %s (", qt);
        size_t items = 0;
        for (size_t i = 0; i < t->ncolumns; i++) {
            sb_append(b, items++ ? ",\n" : "\n");
            pg_column(b, cat, &t->columns[i]);
        }
        for (size_t i = 0; i < t->nconstraints; i++) {
            const CatConstraint *k = &t->constraints[i];
            if (!inline_constraint(k) || k->inherited)
                continue;
            sb_append(b, items++ ? ",\n    CONSTRAINT " : "\n    CONSTRAINT ");
            add_ident(b, cat, k->name);
            sb_appendf(b, " %s", k->definition);
        }
        sb_append(b, items ? "\n)" : ")");
    }
    if (t->partition_key)
        sb_appendf(b, " PARTITION BY %s", t->partition_key);
    sb_append(b, ";\n");
}

static void pg_policy(StrBuf *b, const Catalog *cat, const CatPolicy *p, const char *qt)
{
    sb_append(b, "CREATE POLICY ");
    add_ident(b, cat, p->name);
    sb_appendf(b, " ON %s", qt);
    if (!p->permissive)
        sb_append(b, " AS RESTRICTIVE");
    sb_appendf(b, " FOR %s TO ", p->command);
    for (size_t r = 0; r < p->nroles; r++) {
        if (r)
            sb_append(b, ", ");
        if (p->roles[r] && strcmp(p->roles[r], "public") == 0)
            sb_append(b, "PUBLIC");
        else
            add_ident(b, cat, p->roles[r] ? p->roles[r] : "");
    }
    if (p->nroles == 0)
        sb_append(b, "PUBLIC");
    if (p->using_expr)
        sb_appendf(b, " USING (%s)", p->using_expr);
    if (p->check_expr)
        sb_appendf(b, " WITH CHECK (%s)", p->check_expr);
    sb_append(b, ";\n");
}

static void pg_table(StrBuf *b, const Catalog *cat, const CatTable *t)
{
    char *qt = qualified(cat, t->schema, t->name);
    if (t->kind == CAT_KIND_VIEW || t->kind == CAT_KIND_MATVIEW) {
        sb_appendf(b, "CREATE %sVIEW %s AS\n", t->kind == CAT_KIND_MATVIEW ? "MATERIALIZED " : "",
                   qt);
        add_trimmed(b, t->definition ? t->definition : "");
        sb_append(b, ";\n");
    } else if (t->kind == CAT_KIND_FOREIGN) {
        sb_appendf(b, "-- %s is a foreign table: its server and options are not shown\n", qt);
    } else {
        for (size_t i = 0; i < t->ncolumns; i++) {
            const CatColumn *col = &t->columns[i];
            if (col->seq_name) {
                char *qs = qualified(cat, col->seq_schema, col->seq_name);
                sb_appendf(b, "CREATE SEQUENCE %s;\n", qs);
                free(qs);
            }
        }
        pg_create_table(b, cat, t, qt);
        for (size_t i = 0; i < t->ncolumns; i++) {
            const CatColumn *col = &t->columns[i];
            if (col->seq_name) {
                char *qs = qualified(cat, col->seq_schema, col->seq_name);
                sb_appendf(b, "ALTER SEQUENCE %s OWNED BY %s.", qs, qt);
                add_ident(b, cat, col->name);
                sb_append(b, ";\n");
                free(qs);
            }
        }
        for (size_t i = 0; i < t->nconstraints; i++) {
            const CatConstraint *k = &t->constraints[i];
            if (inline_constraint(k) || k->inherited)
                continue;
            sb_appendf(b, "ALTER TABLE ONLY %s ADD CONSTRAINT ", qt);
            add_ident(b, cat, k->name);
            sb_appendf(b, " %s;\n", k->definition);
        }
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        const CatIndex *x = &t->indexes[i];
        if (x->constraint || x->inherited)
            continue;
        /* pg_get_indexdef() says ON ONLY for a partitioned table (pg_dump
         * attaches the partitions' indexes one by one); here the index is
         * meant for the partitions too. */
        const char *only = t->kind == CAT_KIND_PARTITIONED ? strstr(x->definition, " ON ONLY ")
                                                           : NULL;
        if (!x->valid)
            sb_append(b, "-- invalid index (a CREATE INDEX CONCURRENTLY that failed), "
                         "not recreated:\n-- ");
        if (only) {
            sb_appendn(b, x->definition, (size_t)(only - x->definition));
            sb_appendf(b, " ON %s;\n", only + strlen(" ON ONLY "));
        } else {
            sb_appendf(b, "%s;\n", x->definition);
        }
    }
    if (t->rls_enabled)
        sb_appendf(b, "ALTER TABLE %s ENABLE ROW LEVEL SECURITY;\n", qt);
    if (t->rls_forced)
        sb_appendf(b, "ALTER TABLE %s FORCE ROW LEVEL SECURITY;\n", qt);
    for (size_t i = 0; i < t->npolicies; i++)
        pg_policy(b, cat, &t->policies[i], qt);
    for (size_t i = 0; i < t->ntriggers; i++) {
        const CatTrigger *g = &t->triggers[i];
        if (g->inherited)
            continue; /* made with the partition */
        sb_appendf(b, "%s;\n", g->definition);
        if (!g->enabled) {
            sb_appendf(b, "ALTER TABLE %s DISABLE TRIGGER ", qt);
            add_ident(b, cat, g->name);
            sb_append(b, ";\n");
        }
    }
    free(qt);
}

static void sqlite_table(StrBuf *b, const CatTable *t)
{
    if (t->sql) {
        add_trimmed(b, t->sql);
        sb_append(b, ";\n");
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        const CatIndex *x = &t->indexes[i];
        if (x->constraint)
            continue; /* made by the table's own PRIMARY KEY or UNIQUE */
        add_trimmed(b, x->definition);
        sb_append(b, ";\n");
    }
    for (size_t i = 0; i < t->ntriggers; i++) {
        add_trimmed(b, t->triggers[i].definition);
        sb_append(b, ";\n");
    }
}

char *catalog_table_ddl(const Catalog *cat, const CatTable *t)
{
    StrBuf b = STRBUF_INIT;
    if (cat->engine == DB_ENGINE_POSTGRES)
        pg_table(&b, cat, t);
    else
        sqlite_table(&b, t);
    return sb_take(&b);
}
