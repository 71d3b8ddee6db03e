/* pane_schema_items.c: words and texts about one item of the Schema
 * pane's tabs: constraint types, column lists, the table a foreign key
 * references, an index's definition after its name, and the details of a
 * column, constraint or index that Enter shows in the overlay (see
 * pane_schema_internal.h). */
#include "format.h"
#include "pane_schema_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- words ---------------------------------------------------------------- */

const char *sch_con_type(CatConType t, bool full)
{
    switch (t) {
    case CAT_CON_PRIMARY_KEY: return full ? "primary key" : "primary";
    case CAT_CON_UNIQUE: return "unique";
    case CAT_CON_FOREIGN_KEY: return full ? "foreign key" : "foreign";
    case CAT_CON_CHECK: return "check";
    case CAT_CON_EXCLUDE: return full ? "exclusion" : "exclude";
    }
    return "?";
}

void sch_append_list(StrBuf *b, char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_appendf(b, "%s%s", i ? ", " : "", items[i] ? items[i] : "(expression)");
}

/* "users (id)", with the schema when it is not the table's own. */
void sch_append_ref(StrBuf *b, const CatTable *t, const CatConstraint *k)
{
    if (k->ref_schema && t->schema && strcmp(k->ref_schema, t->schema) != 0)
        sb_appendf(b, "%s.", k->ref_schema);
    sb_appendf(b, "%s (", k->ref_table ? k->ref_table : "?");
    sch_append_list(b, k->ref_columns, k->nref_columns);
    sb_append(b, ")");
}

const CatConstraint *sch_fk_of_column(const CatTable *t, const char *name)
{
    for (size_t i = 0; i < t->nconstraints; i++) {
        const CatConstraint *k = &t->constraints[i];
        if (k->type != CAT_CON_FOREIGN_KEY)
            continue;
        for (size_t c = 0; c < k->ncolumns; c++)
            if (k->columns[c] && strcmp(k->columns[c], name) == 0)
                return k;
    }
    return NULL;
}

size_t sch_pk_width(const CatTable *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->ncolumns; i++)
        n += t->columns[i].pk_position > 0;
    return n;
}

/* An index's definition after "CREATE … INDEX name ON table": "USING
 * btree (email)", "(user_id) WHERE …"; the whole definition when it does
 * not read that way. */
static const char *skip_ident(const char *p)
{
    for (;;) {
        if (*p == '"') {
            for (p++; *p; p++)
                if (*p == '"' && *++p != '"')
                    break;
        } else {
            while (*p && (isalnum((unsigned char)*p) || *p == '_' || *p == '$'
                          || (unsigned char)*p >= 0x80))
                p++;
        }
        if (*p != '.')
            return p;
        p++;
    }
}

const char *sch_index_tail(const char *def)
{
    const char *p = def;
    while (*p) {
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            while (*p && *p != q)
                p++;
            if (*p)
                p++;
            continue;
        }
        if ((p == def || p[-1] == ' ') && strncasecmp(p, "ON ", 3) == 0) {
            p += 3;
            if (strncasecmp(p, "ONLY ", 5) == 0)
                p += 5;
            p = skip_ident(p);
            while (*p == ' ')
                p++;
            return *p ? p : def;
        }
        p++;
    }
    return def;
}

/* ---- details ------------------------------------------------------------------ */

static char *column_details(const CatTable *t, const CatColumn *c)
{
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "Column:     %s\n", c->name);
    sb_appendf(&b, "Type:       %s\n", *c->type ? c->type : "(none declared)");
    sb_appendf(&b, "Nullable:   %s\n", c->nullable ? "yes" : "no (NOT NULL)");
    sb_appendf(&b, "Default:    %s\n", c->default_expr ? c->default_expr : "(none)");
    if (c->pk_position)
        sb_appendf(&b, "Primary key: column %d of %zu\n", c->pk_position, sch_pk_width(t));
    if (c->identity)
        sb_appendf(&b, "Identity:   GENERATED %s AS IDENTITY\n",
                   c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
    if (c->generated)
        sb_appendf(&b, "Generated:  %s (%s)\n", c->generation_expr ? c->generation_expr : "?",
                   c->generated == 's' ? "stored" : "virtual");
    if (c->seq_name)
        sb_appendf(&b, "Sequence:   %s.%s\n", c->seq_schema ? c->seq_schema : "", c->seq_name);
    for (size_t i = 0; i < t->nconstraints; i++) {
        const CatConstraint *k = &t->constraints[i];
        for (size_t j = 0; j < k->ncolumns; j++)
            if (k->columns[j] && strcmp(k->columns[j], c->name) == 0) {
                sb_appendf(&b, "In:         %s %s", sch_con_type(k->type, true),
                           k->name ? k->name : "(unnamed)");
                if (k->type == CAT_CON_FOREIGN_KEY) {
                    sb_append(&b, " -> ");
                    sch_append_ref(&b, t, k);
                }
                sb_append(&b, "\n");
                break;
            }
    }
    return sb_take(&b);
}

bool sch_fk_unchecked(const Catalog *cat, const CatConstraint *k)
{
    return cat->engine == DB_ENGINE_SQLITE && k->type == CAT_CON_FOREIGN_KEY;
}

static char *constraint_details(const Catalog *cat, const CatTable *t, const CatConstraint *k)
{
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "Constraint: %s\n", k->name ? k->name : "(unnamed)");
    sb_appendf(&b, "Type:       %s\n", sch_con_type(k->type, true));
    sb_append(&b, "Columns:    ");
    sch_append_list(&b, k->columns, k->ncolumns);
    sb_append(&b, "\n");
    if (k->type == CAT_CON_FOREIGN_KEY) {
        sb_append(&b, "References: ");
        sch_append_ref(&b, t, k);
        sb_appendf(&b, "\nON DELETE:  %s\nON UPDATE:  %s\nDeferrable: %s\n",
                   k->on_delete ? k->on_delete : "?", k->on_update ? k->on_update : "?",
                   k->deferrable ? (k->deferred ? "yes, initially deferred" : "yes") : "no");
    }
    if (k->expression)
        sb_appendf(&b, "Check:      %s\n", k->expression);
    if (sch_fk_unchecked(cat, k))
        sb_appendf(&b, "Validated:  SQLite keeps no such flag: rows already there are never "
                   "checked\nEnforced:   %s\n", cat->fk_not_enforced
                   ? "no: PRAGMA foreign_keys is off on this connection, so a row may reference "
                     "a missing one (each connection sets its own)"
                   : "yes on this connection (PRAGMA foreign_keys is on; each connection sets "
                     "its own)");
    else
        sb_appendf(&b, "Validated:  %s\n", k->validated ? "yes" : "no (NOT VALID: old rows unchecked)");
    if (k->inherited)
        sb_append(&b, "Inherited:  yes (from a parent table)\n");
    if (k->index_name)
        sb_appendf(&b, "Index:      %s\n", k->index_name);
    if (k->definition)
        sb_appendf(&b, "\n%s\n", k->definition);
    return sb_take(&b);
}

static char *index_details(const CatIndex *x)
{
    char size[32];
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "Index:      %s\n", x->name);
    sb_append(&b, "Columns:    ");
    sch_append_list(&b, x->columns, x->ncolumns);
    sb_appendf(&b, "\nMethod:     %s\n", x->method ? x->method : "(default)");
    sb_appendf(&b, "Unique:     %s%s\n", x->unique ? "yes" : "no", x->primary ? " (primary key)" : "");
    sb_appendf(&b, "Made by:    %s\n", x->constraint ? "a constraint" : "CREATE INDEX");
    sb_appendf(&b, "Partial:    %s%s%s\n", x->partial ? "yes" : "no",
               x->predicate ? ", WHERE " : "", x->predicate ? x->predicate : "");
    sb_appendf(&b, "Valid:      %s\n", x->valid ? "yes" : "NO: a failed CREATE INDEX "
               "CONCURRENTLY; drop it and build it again");
    sb_appendf(&b, "Size:       %s\n", x->bytes < 0 ? "unknown" : fmt_bytes(x->bytes, size, sizeof size));
    if (x->scans >= 0)
        sb_appendf(&b, "Scans:      %" PRId64 "\n", x->scans);
    else
        sb_append(&b, "Scans:      unknown\n");
    sb_appendf(&b, "\n%s\n", x->definition ? x->definition : "");
    return sb_take(&b);
}

void sch_detail_open(SchemaPane *sp)
{
    const CatTable *t = sp->shown;
    if (!t || sp->tab >= SCH_LIST_TABS)
        return;
    ListView *lv = &sp->tab_lv[sp->tab];
    if (lv->count == 0 || lv->sel >= sch_tab_count(t, sp->tab)) {
        pane_say(&sp->base, false, "Nothing selected.");
        return;
    }
    char *text = NULL, *title = NULL;
    if (sp->tab == SCH_TAB_COLUMNS) {
        text = column_details(t, &t->columns[lv->sel]);
        title = xasprintf("%s.%s", t->name, t->columns[lv->sel].name);
    } else if (sp->tab == SCH_TAB_CONSTRAINTS) {
        const CatConstraint *k = &t->constraints[lv->sel];
        text = constraint_details(sp->cat, t, k);
        title = xasprintf("%s: %s", t->name, k->name ? k->name : sch_con_type(k->type, true));
    } else {
        text = index_details(&t->indexes[lv->sel]);
        title = xasprintf("%s: %s", t->name, t->indexes[lv->sel].name);
    }
    sch_view_open(sp, title, text);
    free(text);
    free(title);
}

