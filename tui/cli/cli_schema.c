/* cli_schema.c: the schema command.
 *
 *   dbwarden schema              every table and view: schema, name, kind,
 *                                rows, size (catalog_list_tables; --json:
 *                                the whole catalog, catalog_load)
 *   dbwarden schema TABLE        one table: columns, constraints, indexes,
 *                                row-level security, triggers, DDL, read
 *                                with queries filtered to it: the names it
 *                                may be (catalog_find_named), then the table
 *                                (catalog_load_table)
 *   TABLE is a name, schema.name, or quoted parts ("My Schema"."a.b").  An
 *   unknown name fails (exit 1) with the closest names (read then). */
#include "catalog.h"
#include "cli.h"
#include "format.h"
#include "json_stream.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- JSON, written as it goes (json_stream.h): memory stays flat and
 * time low however many tables ---- */

static void strings_json(JsonStream *js, const char *key, char **v, size_t n)
{
    js_begin_array(js, key);
    for (size_t i = 0; i < n; i++)
        js_string(js, NULL, v[i]);
    js_end_array(js);
}

static void columns_json(JsonStream *js, const CatTable *t)
{
    js_begin_array(js, "columns");
    for (size_t i = 0; i < t->ncolumns; i++) {
        const CatColumn *c = &t->columns[i];
        js_begin_object(js, NULL);
        js_string(js, "name", c->name);
        js_string(js, "type", c->type);
        js_bool(js, "nullable", c->nullable);
        js_string(js, "default", c->default_expr);
        js_bool(js, "primary_key", c->primary_key);
        if (c->identity)
            js_string(js, "identity", c->identity == 'a' ? "always" : "by default");
        if (c->generated) {
            js_string(js, "generated", c->generated == 's' ? "stored" : "virtual");
            js_string(js, "generation_expression", c->generation_expr);
        }
        js_end_object(js);
    }
    js_end_array(js);
}

static void constraint_json(JsonStream *js, const Catalog *cat, const CatConstraint *k)
{
    js_begin_object(js, NULL);
    js_string(js, "name", k->name);
    js_string(js, "type", catalog_con_type_name(k->type));
    strings_json(js, "columns", k->columns, k->ncolumns);
    if (k->type == CAT_CON_FOREIGN_KEY) {
        js_begin_object(js, "references");
        js_string(js, "schema", k->ref_schema);
        js_string(js, "table", k->ref_table);
        strings_json(js, "columns", k->ref_columns, k->nref_columns);
        js_end_object(js);
        js_string(js, "on_delete", k->on_delete);
        js_string(js, "on_update", k->on_update);
        js_bool(js, "deferrable", k->deferrable);
    }
    if (k->type == CAT_CON_CHECK)
        js_string(js, "expression", k->expression);
    if (cat->engine == DB_ENGINE_SQLITE && k->type == CAT_CON_FOREIGN_KEY) {
        js_null(js, "validated");   /* SQLite keeps no such flag */
        js_bool(js, "enforced", !cat->fk_not_enforced);
    } else {
        js_bool(js, "validated", k->validated);
    }
    js_string(js, "definition", k->definition);
    js_bool(js, "inherited", k->inherited);
    if (k->index_name)
        js_string(js, "index", k->index_name);
    js_end_object(js);
}

static void index_json(JsonStream *js, const CatIndex *x)
{
    js_begin_object(js, NULL);
    js_string(js, "name", x->name);
    js_string(js, "definition", x->definition);
    strings_json(js, "columns", x->columns, x->ncolumns);
    js_bool(js, "unique", x->unique);
    js_bool(js, "primary", x->primary);
    js_bool(js, "constraint", x->constraint);
    js_bool(js, "valid", x->valid);
    js_bool(js, "partial", x->partial);
    js_bool(js, "inherited", x->inherited);
    js_string(js, "predicate", x->predicate);
    js_int_or_null(js, "bytes", x->bytes);
    js_int_or_null(js, "scans", x->scans);
    js_end_object(js);
}

static void rls_json(JsonStream *js, const CatTable *t)
{
    js_begin_object(js, "rls");
    js_bool(js, "enabled", t->rls_enabled);
    js_bool(js, "forced", t->rls_forced);
    js_begin_array(js, "policies");
    for (size_t i = 0; i < t->npolicies; i++) {
        const CatPolicy *p = &t->policies[i];
        js_begin_object(js, NULL);
        js_string(js, "name", p->name);
        js_string(js, "command", p->command);
        js_bool(js, "permissive", p->permissive);
        strings_json(js, "roles", p->roles, p->nroles);
        js_string(js, "using", p->using_expr);
        js_string(js, "with_check", p->check_expr);
        js_end_object(js);
    }
    js_end_array(js);
    js_end_object(js);
}

static void triggers_json(JsonStream *js, const CatTable *t)
{
    js_begin_array(js, "triggers");
    for (size_t i = 0; i < t->ntriggers; i++) {
        js_begin_object(js, NULL);
        js_string(js, "name", t->triggers[i].name);
        js_string(js, "definition", t->triggers[i].definition);
        js_bool(js, "enabled", t->triggers[i].enabled);
        js_bool(js, "inherited", t->triggers[i].inherited);
        js_end_object(js);
    }
    js_end_array(js);
}

static void table_json(JsonStream *js, const Catalog *cat, const CatTable *t, bool with_ddl)
{
    js_begin_object(js, NULL);
    js_string(js, "name", t->name);
    js_string(js, "schema", t->schema);
    js_string(js, "kind", catalog_kind_word(t->kind));
    js_string(js, "kind_detail", catalog_kind_name(t->kind));
    js_int_or_null(js, "rows_estimate", t->rows);
    js_bool(js, "rows_exact", t->rows_exact);
    js_int_or_null(js, "bytes", t->bytes);
    js_bool(js, "bytes_exact", t->bytes >= 0 && t->bytes_exact);
    if (cat->engine == DB_ENGINE_SQLITE && !t->is_view) {
        js_bool(js, "has_rowid", t->has_rowid);
        js_bool(js, "strict", t->strict);
    }
    columns_json(js, t);
    if (t->columns_error)
        js_string(js, "columns_error", t->columns_error);
    js_begin_array(js, "constraints");
    for (size_t i = 0; i < t->nconstraints; i++)
        constraint_json(js, cat, &t->constraints[i]);
    js_end_array(js);
    js_begin_array(js, "indexes");
    for (size_t i = 0; i < t->nindexes; i++)
        index_json(js, &t->indexes[i]);
    js_end_array(js);
    if (t->is_view)
        js_string(js, "definition", t->definition);
    if (t->partition_key)
        js_string(js, "partition_key", t->partition_key);
    if (t->parent_name) {
        js_begin_object(js, "partition_of");
        js_string(js, "schema", t->parent_schema);
        js_string(js, "table", t->parent_name);
        js_string(js, "bound", t->partition_bound);
        js_end_object(js);
    }
    if (cat->engine == DB_ENGINE_POSTGRES)
        rls_json(js, t);
    triggers_json(js, t);
    if (with_ddl) {
        char *ddl = catalog_table_ddl(cat, t);
        js_string(js, "ddl", ddl);
        free(ddl);
    }
    js_end_object(js);
}

/* {database, engine, tables}, in json_emit()'s layout. */
static void emit_json(const Catalog *cat, DbConn *conn, const CatTable *only)
{
    JsonStream js;
    js_init(&js, stdout);
    js_begin_object(&js, NULL);
    js_string(&js, "database", db_display_url(conn));
    js_string(&js, "engine", db_engine_name(cat->engine));
    js_begin_array(&js, "tables");
    size_t n = only ? 1 : cat->count;
    for (size_t i = 0; i < n; i++)
        table_json(&js, cat, only ? only : &cat->tables[i], only != NULL);
    js_end_array(&js);
    js_end_object(&js);
    js_finish(&js);
}

/* ---- text ---- */

/* "1234" counted, "~1234" estimated, "?" unknown. */
static const char *rows_text(const CatTable *t, char *buf, size_t size)
{
    if (t->rows < 0)
        snprintf(buf, size, "?");
    else
        snprintf(buf, size, "%s%" PRId64, t->rows_exact ? "" : "~", t->rows);
    return buf;
}

/* "12 KiB" measured, "~12 KiB" estimated, "-" unknown. */
static const char *bytes_text(const CatTable *t, char *buf, size_t size)
{
    bool est = t->bytes >= 0 && !t->bytes_exact;
    if (size < 2)
        return fmt_bytes(t->bytes, buf, size);
    buf[0] = '~';
    fmt_bytes(t->bytes, buf + est, size - est);
    return buf;
}

static int width_of(size_t w, size_t cap)
{
    return (int)(w < cap ? w : cap);
}

static void print_list(const Catalog *cat)
{
    size_t ws = 6, wn = 4;
    for (size_t i = 0; i < cat->count; i++) {
        size_t s = strlen(cat->tables[i].schema), n = strlen(cat->tables[i].name);
        ws = s > ws ? s : ws;
        wn = n > wn ? n : wn;
    }
    int cs = width_of(ws, 24), cn = width_of(wn, 48);
    printf("%-*s  %-*s  %-5s  %12s  %10s\n", cs, "SCHEMA", cn, "NAME", "KIND", "ROWS", "SIZE");
    for (size_t i = 0; i < cat->count; i++) {
        const CatTable *t = &cat->tables[i];
        char rows[32], size[40];
        printf("%-*s  %-*s  %-5s  %12s  %10s\n", cs, fmt_esc(t->schema), cn, fmt_esc(t->name),
               catalog_kind_word(t->kind), rows_text(t, rows, sizeof rows),
               bytes_text(t, size, sizeof size));
    }
    size_t views = 0;
    for (size_t i = 0; i < cat->count; i++)
        views += cat->tables[i].is_view;
    printf("%zu table%s, %zu view%s (~ estimated, ? unknown)\n", cat->count - views,
           cat->count - views == 1 ? "" : "s", views, views == 1 ? "" : "s");
}

static void print_columns(const CatTable *t)
{
    size_t wn = 4, wt = 4;
    for (size_t i = 0; i < t->ncolumns; i++) {
        size_t n = strlen(t->columns[i].name), ty = strlen(t->columns[i].type);
        wn = n > wn ? n : wn;
        wt = ty > wt ? ty : wt;
    }
    printf("\nColumns\n  %-*s  %-*s  %-8s  %-2s  %s\n", width_of(wn, 40), "NAME",
           width_of(wt, 32), "TYPE", "NULL", "PK", "DEFAULT");
    for (size_t i = 0; i < t->ncolumns; i++) {
        const CatColumn *c = &t->columns[i];
        char pk[16] = "";
        if (c->primary_key)
            snprintf(pk, sizeof pk, "%d", c->pk_position);
        char *dflt = c->identity ? xasprintf("identity (%s)", c->identity == 'a' ? "always"
                                                                                 : "by default")
                   : c->generated ? xasprintf("generated as (%s)", c->generation_expr
                                                                   ? c->generation_expr : "?")
                   : xstrdup(c->default_expr ? c->default_expr : "");
        printf("  %-*s  %-*s  %-8s  %-2s  %s\n", width_of(wn, 40), fmt_esc(c->name),
               width_of(wt, 32), c->type[0] ? fmt_esc(c->type) : "-",
               c->nullable ? "null" : "not null", pk, fmt_esc(dflt));
        free(dflt);
    }
}

static void print_constraints(const Catalog *cat, const CatTable *t)
{
    if (t->nconstraints == 0)
        return;
    size_t w = 9;
    for (size_t i = 0; i < t->nconstraints; i++) {
        size_t n = t->constraints[i].name ? strlen(t->constraints[i].name) : 9;
        w = n > w ? n : w;
    }
    printf("\nConstraints\n");
    for (size_t i = 0; i < t->nconstraints; i++) {
        const CatConstraint *k = &t->constraints[i];
        bool says = strstr(k->definition, "NOT VALID") != NULL;
        /* SQLite keeps no validated flag: whether foreign keys are enforced
         * is a setting of each connection (PRAGMA foreign_keys) */
        bool sqlite_fk = cat->engine == DB_ENGINE_SQLITE && k->type == CAT_CON_FOREIGN_KEY;
        printf("  %-*s  %s%s%s\n", width_of(w, 40), k->name ? fmt_esc(k->name) : "(unnamed)",
               fmt_esc(k->definition),
               sqlite_fk ? (cat->fk_not_enforced ? "  [not enforced: PRAGMA foreign_keys is off]"
                                                 : "  [enforced on this connection]")
               : k->validated || says ? "" : "  [not validated]",
               k->inherited ? "  [inherited]" : "");
    }
}

static void print_indexes(const CatTable *t)
{
    if (t->nindexes == 0)
        return;
    printf("\nIndexes\n");
    for (size_t i = 0; i < t->nindexes; i++) {
        const CatIndex *x = &t->indexes[i];
        char size[32];
        printf("  %s  %s\n    %s%s%s%s, %s", fmt_esc(x->name), fmt_esc(x->definition),
               x->unique ? "unique, " : "", x->partial ? "partial, " : "",
               x->valid ? "valid" : "INVALID", x->constraint ? ", made by a constraint"
                                               : x->inherited ? ", the parent's" : "",
               fmt_bytes(x->bytes, size, sizeof size));
        if (x->scans >= 0)
            printf(", %" PRId64 " scan%s", x->scans, x->scans == 1 ? "" : "s");
        printf("\n");
    }
}

static void print_rls(const CatTable *t)
{
    if (!t->rls_enabled && t->npolicies == 0)
        return;
    printf("\nRow-level security: %s%s\n", t->rls_enabled ? "enabled" : "disabled",
           t->rls_forced ? ", forced for the owner too" : "");
    for (size_t i = 0; i < t->npolicies; i++) {
        const CatPolicy *p = &t->policies[i];
        printf("  policy %s: %s%s to", fmt_esc(p->name), p->permissive ? "" : "restrictive, ",
               fmt_esc(p->command));
        for (size_t r = 0; r < p->nroles; r++)
            printf("%s %s", r ? "," : "", p->roles[r] ? fmt_esc(p->roles[r]) : "?");
        if (p->using_expr)
            printf("; using (%s)", fmt_esc(p->using_expr));
        if (p->check_expr)
            printf("; with check (%s)", fmt_esc(p->check_expr));
        printf("\n");
    }
}

static void print_table(const Catalog *cat, const CatTable *t)
{
    char rows[32], size[32];
    printf("%s %s.%s: %s row%s, %s", catalog_kind_name(t->kind), fmt_esc(t->schema),
           fmt_esc(t->name),
           rows_text(t, rows, sizeof rows), t->rows == 1 ? "" : "s",
           bytes_text(t, size, sizeof size));
    if (cat->engine == DB_ENGINE_SQLITE && t->kind == CAT_KIND_TABLE)
        printf("%s%s", t->has_rowid ? "" : ", WITHOUT ROWID", t->strict ? ", STRICT" : "");
    printf("\n");
    if (t->parent_name)
        printf("partition of %s.%s %s\n", fmt_esc(t->parent_schema), fmt_esc(t->parent_name),
               fmt_esc(t->partition_bound));
    if (t->partition_key)
        printf("partitioned by %s\n", fmt_esc(t->partition_key));
    if (t->columns_error)
        printf("\nColumns\n  cannot be read: %s\n", fmt_esc(t->columns_error));
    else
        print_columns(t);
    print_constraints(cat, t);
    print_indexes(t);
    print_rls(t);
    if (t->ntriggers) {
        printf("\nTriggers\n");
        for (size_t i = 0; i < t->ntriggers; i++)
            printf("  %s%s%s\n", fmt_esc(t->triggers[i].definition),
                   t->triggers[i].enabled ? "" : "  [disabled]",
                   t->triggers[i].inherited ? "  [inherited]" : "");
    }
    char *ddl = catalog_table_ddl(cat, t);
    printf("\nDDL\n");
    fmt_put_block(stdout, ddl);
    free(ddl);
}

/* ---- finding the table asked for ---- */

/* Splits "a"."b" / a.b forms with quotes; false when spec has no quote or
 * is not of that form.  *schema may be NULL (one part). */
static bool split_quoted(const char *spec, char **schema, char **name)
{
    if (!strchr(spec, '"'))
        return false;
    char *parts[2] = { NULL, NULL };
    int n = 0;
    const char *p = spec;
    while (*p && n < 2) {
        StrBuf b = STRBUF_INIT;
        if (*p == '"') {
            for (p++; *p; p++) {
                if (*p == '"' && p[1] == '"')
                    p++;
                else if (*p == '"')
                    break;
                sb_appendc(&b, *p);
            }
            if (*p != '"') {
                sb_free(&b);
                break;
            }
            p++;
        } else {
            while (*p && *p != '.' && *p != '"')
                sb_appendc(&b, *p++);
        }
        parts[n++] = sb_take(&b);
        if (*p == '.')
            p++;
        else
            break;
    }
    if (*p || n == 0) {
        free(parts[0]);
        free(parts[1]);
        return false;
    }
    *schema = n == 2 ? parts[0] : NULL;
    *name = n == 2 ? parts[1] : parts[0];
    return true;
}

/* Every relation named name (any schema), or schema.name; with fold, ASCII
 * case is ignored. */
static size_t matches(const Catalog *cat, const char *schema, const char *name, bool fold,
                      const CatTable **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < cat->count; i++) {
        const CatTable *t = &cat->tables[i];
        int (*cmp)(const char *, const char *) = fold ? strcasecmp : strcmp;
        if (cmp(t->name, name) != 0 || (schema && cmp(t->schema, schema) != 0))
            continue;
        if (n < max)
            out[n] = t;
        n++;
    }
    return n;
}

typedef enum { FOUND, NOT_FOUND, AMBIGUOUS } Lookup;

static Lookup lookup(const Catalog *cat, const char *spec, const CatTable **hit,
                     const CatTable **cand, size_t *ncand)
{
    char *schema = NULL, *name = NULL;
    *ncand = 0;
    if (split_quoted(spec, &schema, &name)) {
        size_t n = matches(cat, schema, name, false, cand, 8);
        free(schema);
        free(name);
        *ncand = n < 8 ? n : 8;
        if (n == 1)
            *hit = cand[0];
        if (n)
            return n == 1 ? FOUND : AMBIGUOUS;
        *ncand = 0; /* a name that holds quotes itself, maybe */
    }
    for (int fold = 0; fold < 2; fold++) {
        size_t n = matches(cat, NULL, spec, fold, cand, 8);
        if (n == 0) {
            /* schema.name, trying each dot: names may hold dots themselves */
            for (const char *dot = strchr(spec, '.'); dot && n == 0; dot = strchr(dot + 1, '.')) {
                char *s = xstrndup(spec, (size_t)(dot - spec));
                n = matches(cat, s, dot + 1, fold, cand, 8);
                free(s);
            }
        }
        if (n == 1) {
            *hit = cand[0];
            return FOUND;
        }
        if (n > 1) {
            /* the name in the default schema wins over the same name elsewhere */
            for (size_t i = 0; i < n && i < 8; i++)
                if (strcmp(cand[i]->schema, "public") == 0 || strcmp(cand[i]->schema, "main") == 0)
                    return *hit = cand[i], FOUND;
            *ncand = n < 8 ? n : 8;
            return AMBIGUOUS;
        }
    }
    return NOT_FOUND;
}

/* Levenshtein distance of a and b without ASCII case (at most 64 bytes each
 * are compared; the rest counts as different). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), extra = 0;
    if (la > 64) { extra += la - 64; la = 64; }
    if (lb > 64) { extra += lb - 64; lb = 64; }
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] + extra;
}

typedef struct Near {
    const CatTable *t;
    size_t          d;
} Near;

static int cmp_near(const void *a, const void *b)
{
    const Near *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return strcmp(x->t->name, y->t->name);
}

/* Up to three names close to spec, as "a, b or c"; "" when none. */
static char *close_names(const Catalog *cat, const char *spec)
{
    size_t len = strlen(spec), limit = len / 3 > 2 ? len / 3 : 2, n = 0;
    Near *near = xcalloc(cat->count ? cat->count : 1, sizeof *near);
    for (size_t i = 0; i < cat->count; i++) {
        const CatTable *t = &cat->tables[i];
        size_t d = distance(spec, t->name);
        char *q = xasprintf("%s.%s", t->schema, t->name);
        size_t dq = distance(spec, q);
        free(q);
        if (dq < d)
            d = dq;
        if (d > limit && len >= 3 && strcasestr(t->name, spec))
            d = limit;
        if (d <= limit)
            near[n++] = (Near){ t, d };
    }
    qsort(near, n, sizeof *near, cmp_near);
    StrBuf b = STRBUF_INIT;
    size_t shown = n < 3 ? n : 3;
    for (size_t i = 0; i < shown; i++) {
        bool qualify = cat->engine == DB_ENGINE_POSTGRES && strcmp(near[i].t->schema, "public");
        sb_appendf(&b, "%s'%s%s%s'", i == 0 ? "" : i + 1 == shown ? " or " : ", ",
                   qualify ? near[i].t->schema : "", qualify ? "." : "", near[i].t->name);
    }
    free(near);
    return sb_take(&b);
}

static int report_lookup(const Catalog *cat, DbConn *conn, const char *spec, Lookup r,
                         const CatTable **cand, size_t ncand)
{
    if (r == AMBIGUOUS) {
        StrBuf b = STRBUF_INIT;
        for (size_t i = 0; i < ncand; i++)
            sb_appendf(&b, "%s%s.%s", i ? ", " : "", cand[i]->schema, cand[i]->name);
        cli_error("'%s' names several tables (%s): write schema.table", spec, sb_str(&b));
        sb_free(&b);
        return EXIT_PROBLEMS;
    }
    char *near = close_names(cat, spec);
    if (near[0])
        cli_error("no table or view named '%s' in %s; did you mean %s? "
                  "(dbwarden schema lists them all)", spec, db_display_url(conn), near);
    else
        cli_error("no table or view named '%s' in %s (dbwarden schema lists them all)", spec,
                  db_display_url(conn));
    free(near);
    return EXIT_PROBLEMS;
}

/* The names TABLE may stand for (its quoted name part, itself, what
 * follows each dot), for catalog_find_named(); returns how many (<= max). */
static size_t candidate_names(const char *spec, char **out, size_t max)
{
    size_t n = 0;
    char *schema = NULL, *name = NULL;
    if (split_quoted(spec, &schema, &name)) {
        out[n++] = name;
        free(schema);
    }
    out[n++] = xstrdup(spec);
    for (const char *dot = strchr(spec, '.'); dot && n < max; dot = strchr(dot + 1, '.'))
        out[n++] = xstrdup(dot + 1);
    return n;
}

/* schema TABLE: finds the table among the relations of its names, then
 * reads it alone. */
static int show_one(Cli *cli, DbConn *conn, const char *spec)
{
    char *names[18];
    size_t nnames = candidate_names(spec, names, 18);
    Catalog *cands = NULL, *cat = NULL;
    DbError err = DB_ERROR_INIT;
    int rc;
    if (catalog_find_named(conn, (const char *const *)names, nnames, &cands, &err) != 0) {
        rc = cli_fail(&err);
        goto done;
    }
    const CatTable *hit = NULL, *cand[8];
    size_t ncand = 0;
    Lookup r = lookup(cands, spec, &hit, cand, &ncand);
    if (r == AMBIGUOUS) {
        rc = report_lookup(cands, conn, spec, r, cand, ncand);
        goto done;
    }
    if (r == NOT_FOUND) {   /* every name, for the closest ones */
        catalog_free(cands);
        cands = NULL;
        if (catalog_find_named(conn, NULL, 0, &cands, &err) != 0)
            rc = cli_fail(&err);
        else
            rc = report_lookup(cands, conn, spec, r, cand, 0);
        goto done;
    }
    if (catalog_load_table(conn, hit->schema, hit->name, &cat, &err) != 0) {
        rc = cli_fail(&err);
        goto done;
    }
    const CatTable *t = catalog_find(cat, hit->schema, hit->name);
    if (!t) {
        cli_error("%s.%s is no longer in %s", hit->schema, hit->name, db_display_url(conn));
        rc = EXIT_PROBLEMS;
        goto done;
    }
    if (cli->json)
        emit_json(cat, conn, t);
    else
        print_table(cat, t);
    rc = EXIT_OK;
done:
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    catalog_free(cands);
    catalog_free(cat);
    return rc;
}

int cli_cmd_schema(Cli *cli)
{
    if (cli->argc > 1) {
        cli_error("schema takes at most one table name (got %d arguments)", cli->argc);
        return EXIT_USAGE;
    }
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    if (cli->argc == 1) {
        rc = show_one(cli, conn, cli->argv[0]);
        db_close(conn);
        return rc;
    }
    Catalog *cat = NULL;
    DbError err = DB_ERROR_INIT;
    if ((cli->json ? catalog_load(conn, &cat, &err) : catalog_list_tables(conn, &cat, &err)) != 0) {
        rc = cli_fail(&err);
    } else {
        if (cli->json)
            emit_json(cat, conn, NULL);
        else
            print_list(cat);
        rc = EXIT_OK;
    }
    catalog_free(cat);
    db_close(conn);
    return rc;
}
