/* integrity_lint.c: the schema lints, from the catalog alone: each with
 * why it matters and the SQL that fixes it (see integrity.h).  The lints
 * that need the data (capacity, a status column's values) are listed here
 * and finished by integrity_lintq.c. */
#include "integrity_internal.h"
#include "strv.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char WHY_FK_INDEX[] =
    "deleting or re-keying a parent row scans the whole child table for its rows, holding "
    "locks, and joins from parent to child cannot use an index";
static const char WHY_NO_PK[] =
    "rows cannot be told apart reliably: updates and deletes by key, logical replication "
    "and paging by key all need one";
static const char WHY_DUPLICATE[] =
    "both indexes are written on every insert and update and take space, and a query "
    "uses only one of them";
static const char WHY_REDUNDANT[] =
    "every query it serves can use the longer index, which starts with the same "
    "columns; it costs writes and space";
static const char WHY_INVALID[] =
    "left by a failed CREATE INDEX CONCURRENTLY: updated on every write, never used by "
    "a query";
static const char WHY_NOT_VALID[] =
    "new rows are checked, the rows already there never were: they may break it, and "
    "the planner cannot rely on it";
static const char WHY_MONEY[] =
    "floating point cannot hold most decimal amounts exactly (0.1 + 0.2 is not 0.3): "
    "sums and comparisons of money drift";
static const char WHY_SEQUENCE[] = "when the sequence reaches its maximum, every insert fails";
static const char WHY_KEY[] = "when the key reaches its type's maximum, every insert fails";
static const char WHY_STATUS[] =
    "any text can be stored: a typo ('actve') becomes a state the application never "
    "handles";

/* A name as SQL needs it (catalog_quote_ident); caller frees. */
static char *q(const Catalog *cat, const char *name)
{
    return catalog_quote_ident(cat, name);
}

/* The table as a fix names it: schema.table on PostgreSQL, the table on
 * SQLite (main); caller frees. */
static char *qtable(const Catalog *cat, const char *schema, const char *table)
{
    StrBuf b = STRBUF_INIT;
    if (cat->engine == DB_ENGINE_SQLITE) {
        char *t = q(cat, table);
        sb_append(&b, t);
        free(t);
    } else {
        ib_rel_text(&b, cat, schema, table, NULL, 0);
    }
    return sb_take(&b);
}

static char *qcols(const Catalog *cat, char *const *cols, size_t n)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        char *c = q(cat, cols[i]);
        sb_appendf(&b, "%s%s", i ? ", " : "", c);
        free(c);
    }
    return sb_take(&b);
}

/* "lint:<kind>:schema.table" (+ "(cols)" when cols). */
static char *lint_id(const Catalog *cat, IntegrityKind k, const char *schema,
                     const char *table, char *const *cols, size_t n)
{
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "lint:%s:", integrity_kind_name(k));
    ib_rel_text(&b, cat, schema, table, cols, cols ? n : 0);
    return sb_take(&b);
}

static IntegrityCheck *add_lint(IntBuild *b, IntegrityKind k, const CatTable *t,
                                const char *why, bool found)
{
    IntegrityCheck *ck = ib_add(b, k, t);
    ck->why = why;
    ck->count = found ? 1 : 0;
    ck->state = found ? IS_WARNING : IS_OK;
    return ck;
}

/* ---- foreign keys without an index ------------------------------------ */

/* "<table>_<cols>_idx", at most 63 bytes (PostgreSQL's limit). */
static char *index_name(const CatTable *t, char *const *cols, size_t n)
{
    StrBuf b = STRBUF_INIT;
    sb_append(&b, t->name);
    for (size_t i = 0; i < n; i++)
        sb_appendf(&b, "_%s", cols[i]);
    if (b.len > 59)
        b.len = 59, b.s[59] = '\0';
    sb_append(&b, "_idx");
    return sb_take(&b);
}

static void lint_fk_index(IntBuild *b, const CatTable *t, const CatConstraint *k)
{
    const Catalog *cat = b->cat;
    bool found = !ib_indexed(t, k->columns, k->ncolumns);
    IntegrityCheck *ck = add_lint(b, IK_FK_WITHOUT_INDEX, t, WHY_FK_INDEX, found);
    ib_set_columns(ck, k->columns, k->ncolumns);
    ib_set_ref(ck, k->ref_schema, k->ref_table, k->ref_columns, k->nref_columns);
    ck->object = xstrdup(k->name);
    StrBuf id = STRBUF_INIT;
    sb_appendf(&id, "lint:%s:", integrity_kind_name(IK_FK_WITHOUT_INDEX));
    ib_rel_text(&id, cat, t->schema, t->name, k->columns, k->ncolumns);
    sb_append(&id, "->");
    ib_rel_text(&id, cat, k->ref_schema, k->ref_table, k->ref_columns, k->nref_columns);
    ck->id = sb_take(&id);
    char *cols = qcols(cat, k->columns, k->ncolumns);
    if (!found) {
        ck->message = xasprintf("an index leads with (%s)", cols);
    } else {
        char *raw = index_name(t, k->columns, k->ncolumns), *name = q(cat, raw);
        char *tbl = qtable(cat, t->schema, t->name);
        bool concurrently = cat->engine == DB_ENGINE_POSTGRES &&
                            t->kind != CAT_KIND_PARTITIONED;
        ck->message = xasprintf("no index of %s leads with (%s)", t->name, cols);
        ck->fix_sql = xasprintf("CREATE INDEX %s%s ON %s (%s);",
                                concurrently ? "CONCURRENTLY " : "", name, tbl, cols);
        free(raw);
        free(name);
        free(tbl);
    }
    free(cols);
}

/* ---- tables without a primary key -------------------------------------- */

/* A unique, valid, total index over NOT NULL columns: it can become the key. */
static const CatIndex *key_candidate(const CatTable *t)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        const CatIndex *x = &t->indexes[i];
        if (!x->unique || !x->valid || x->partial || x->inherited)
            continue;
        size_t k = 0;
        for (; k < x->ncolumns; k++) {
            const CatColumn *c = ib_column(t, x->columns[k]);
            if (!c || c->nullable)
                break;
        }
        if (k == x->ncolumns)
            return x;
    }
    return NULL;
}

static char *no_pk_fix(const Catalog *cat, const CatTable *t)
{
    char *tbl = qtable(cat, t->schema, t->name), *fix;
    const CatIndex *x = key_candidate(t);
    if (cat->engine == DB_ENGINE_SQLITE) {
        fix = xasprintf("-- SQLite cannot add a primary key to a table: make a new table with "
                        "one, copy the rows, drop %s, rename the new one", tbl);
    } else if (x && !x->constraint) {
        char *ix = q(cat, x->name);
        fix = xasprintf("ALTER TABLE %s ADD PRIMARY KEY USING INDEX %s;", tbl, ix);
        free(ix);
    } else if (!ib_column(t, "id")) {
        fix = xasprintf("ALTER TABLE %s ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY "
                        "PRIMARY KEY;", tbl);
    } else {
        fix = xasprintf("-- choose the columns that identify a row: ALTER TABLE %s ADD "
                        "PRIMARY KEY (...);", tbl);
    }
    free(tbl);
    return fix;
}

static void lint_no_pk(IntBuild *b, const CatTable *t)
{
    bool found = !ib_primary_key(t);
    IntegrityCheck *ck = add_lint(b, IK_NO_PRIMARY_KEY, t, WHY_NO_PK, found);
    ck->id = lint_id(b->cat, IK_NO_PRIMARY_KEY, t->schema, t->name, NULL, 0);
    ck->message = xstrdup(found ? "no primary key" : "has a primary key");
    if (found)
        ck->fix_sql = no_pk_fix(b->cat, t);
}

/* ---- duplicate, redundant and invalid indexes ------------------------- */

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool usable(const CatIndex *x)
{
    return x->valid && !x->inherited && x->ncolumns > 0;
}

/* Do the first n columns of a and b agree? */
static bool same_prefix(const CatIndex *a, const CatIndex *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(a->columns[k], b->columns[k]) != 0)
            return false;
    return true;
}

/* The statement that drops index x of t (its constraint, when a constraint
 * made it). */
static char *drop_index_sql(const Catalog *cat, const CatTable *t, const CatIndex *x)
{
    char *tbl = qtable(cat, t->schema, t->name), *fix = NULL;
    for (size_t k = 0; x->constraint && k < t->nconstraints && !fix; k++) {
        const CatConstraint *c = &t->constraints[k];
        if (c->index_name && c->name && strcmp(c->index_name, x->name) == 0) {
            char *cn = q(cat, c->name);
            fix = xasprintf("ALTER TABLE %s DROP CONSTRAINT %s;", tbl, cn);
            free(cn);
        }
    }
    if (!fix && x->constraint && cat->engine == DB_ENGINE_SQLITE) {
        fix = xasprintf("-- %s was made by a constraint of %s: SQLite drops it only with the "
                        "table (make the table again without that constraint)", x->name, tbl);
    } else if (!fix) {
        char *ix = cat->engine == DB_ENGINE_SQLITE ? q(cat, x->name)
                                                   : qtable(cat, t->schema, x->name);
        bool conc = cat->engine == DB_ENGINE_POSTGRES && t->kind != CAT_KIND_PARTITIONED;
        fix = xasprintf("DROP INDEX %s%s;", conc ? "CONCURRENTLY " : "", ix);
        free(ix);
    }
    free(tbl);
    return fix;
}

/* Of two indexes over the same columns, the one to drop: not the one a
 * constraint made, else not the unique one, else the later name. */
static bool drop_first(const CatIndex *a, const CatIndex *b)
{
    if (a->primary != b->primary)
        return b->primary;
    if (a->constraint != b->constraint)
        return b->constraint;
    if (a->unique != b->unique)
        return b->unique;
    return strcmp(a->name, b->name) > 0;
}

static void add_index_lint(IntBuild *b, IntegrityKind k, const CatTable *t, const CatIndex *x,
                           const char *why, char *message)
{
    IntegrityCheck *ck = add_lint(b, k, t, why, true);
    ib_set_columns(ck, x->columns, x->ncolumns);
    ck->object = xstrdup(x->name);
    StrBuf id = STRBUF_INIT;
    sb_appendf(&id, "lint:%s:", integrity_kind_name(k));
    ib_rel_text(&id, b->cat, t->schema, x->name, NULL, 0);
    ck->id = sb_take(&id);
    ck->message = message;
    if (k == IK_INVALID_INDEX) {
        char *ix = qtable(b->cat, t->schema, x->name);
        ck->fix_sql = xasprintf("REINDEX INDEX CONCURRENTLY %s;", ix);
        free(ix);
    } else {
        ck->fix_sql = drop_index_sql(b->cat, t, x);
    }
}

static void lint_indexes(IntBuild *b, const CatTable *t)
{
    for (size_t i = 0; i < t->nindexes; i++) {
        const CatIndex *x = &t->indexes[i];
        if (!x->valid && !x->inherited)
            add_index_lint(b, IK_INVALID_INDEX, t, x, WHY_INVALID,
                           xasprintf("index %s is invalid", x->name));
        if (!usable(x))
            continue;
        for (size_t j = 0; j < t->nindexes; j++) {
            const CatIndex *y = &t->indexes[j];
            if (j == i || !usable(y) || !same_text(x->method, y->method))
                continue;
            if (x->ncolumns == y->ncolumns && same_prefix(x, y, x->ncolumns) &&
                same_text(x->predicate, y->predicate) && drop_first(x, y)) {
                add_index_lint(b, IK_DUPLICATE_INDEX, t, x, WHY_DUPLICATE,
                               xasprintf("index %s has the same columns as %s", x->name,
                                         y->name));
                break;
            }
            if (x->ncolumns < y->ncolumns && !x->unique && !x->constraint && !x->partial &&
                !y->partial && same_prefix(x, y, x->ncolumns) &&
                (!x->method || strcmp(x->method, "btree") == 0)) {
                add_index_lint(b, IK_REDUNDANT_INDEX, t, x, WHY_REDUNDANT,
                               xasprintf("index %s is the start of %s", x->name, y->name));
                break;
            }
        }
    }
}

/* ---- NOT VALID constraints -------------------------------------------- */

static void lint_not_valid(IntBuild *b, const CatTable *t, const CatConstraint *k)
{
    IntegrityCheck *ck = add_lint(b, IK_NOT_VALID_CONSTRAINT, t, WHY_NOT_VALID, true);
    ib_set_columns(ck, k->columns, k->ncolumns);
    ck->object = xstrdup(k->name);
    StrBuf id = STRBUF_INIT;
    sb_appendf(&id, "lint:%s:", integrity_kind_name(IK_NOT_VALID_CONSTRAINT));
    ib_rel_text(&id, b->cat, t->schema, t->name, NULL, 0);
    char *cn = q(b->cat, k->name ? k->name : "");
    sb_appendf(&id, ".%s", cn);
    ck->id = sb_take(&id);
    char *tbl = qtable(b->cat, t->schema, t->name);
    ck->message = xasprintf("%s %s is NOT VALID", catalog_con_type_name(k->type),
                            k->name ? k->name : "");
    ck->fix_sql = xasprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", tbl, cn);
    free(tbl);
    free(cn);
}

/* ---- money as floating point, status columns without a check ---------- */

static bool is_float(DbEngine e, const char *type)
{
    if (e == DB_ENGINE_POSTGRES)
        return type && (!strcmp(type, "real") || !strcmp(type, "double precision"));
    char up[64];
    size_t n = 0;
    for (; type && type[n] && n < sizeof up - 1; n++)
        up[n] = (char)toupper((unsigned char)type[n]);
    up[n] = '\0';
    return strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB");
}

static void lint_money(IntBuild *b, const CatTable *t, const CatColumn *c)
{
    const Catalog *cat = b->cat;
    bool found = is_float(cat->engine, c->type);
    IntegrityCheck *ck = add_lint(b, IK_MONEY_FLOAT, t, WHY_MONEY, found);
    char *cols[1] = { c->name };
    ib_set_columns(ck, cols, 1);
    ck->id = lint_id(cat, IK_MONEY_FLOAT, t->schema, t->name, cols, 1);
    ck->message = xasprintf("%s is %s", c->name, *c->type ? c->type : "untyped");
    if (!found)
        return;
    char *tbl = qtable(cat, t->schema, t->name), *col = q(cat, c->name);
    if (cat->engine == DB_ENGINE_POSTGRES) {
        ck->fix_sql = xasprintf("ALTER TABLE %s ALTER COLUMN %s TYPE numeric(12,2) USING "
                                "round(%s::numeric, 2);", tbl, col, col);
    } else {
        char *cents = xasprintf("%s_cents", c->name), *qc = q(cat, cents);
        ck->fix_sql = xasprintf("ALTER TABLE %s ADD COLUMN %s INTEGER; UPDATE %s SET %s = "
                                "CAST(round(%s * 100) AS INTEGER);  -- then read cents",
                                tbl, qc, tbl, qc, col);
        free(cents);
        free(qc);
    }
    free(tbl);
    free(col);
}

/* Does a CHECK constraint of t name column col (or a foreign key limit it)? */
static bool constrained(const CatTable *t, const char *col)
{
    size_t len = strlen(col);
    for (size_t k = 0; k < t->nconstraints; k++) {
        const CatConstraint *c = &t->constraints[k];
        if (c->type != CAT_CON_CHECK && c->type != CAT_CON_FOREIGN_KEY)
            continue;
        for (size_t i = 0; i < c->ncolumns; i++)
            if (strcmp(c->columns[i], col) == 0)
                return true;
        for (const char *p = c->expression; c->type == CAT_CON_CHECK && p && *p; p++) {
            bool start = p == c->expression || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
            if (start && strncasecmp(p, col, len) == 0 &&
                !(isalnum((unsigned char)p[len]) || p[len] == '_'))
                return true;
        }
    }
    return false;
}

static void lint_status(IntBuild *b, const CatTable *t, const CatColumn *c)
{
    bool found = !constrained(t, c->name);
    IntegrityCheck *ck = add_lint(b, IK_STATUS_WITHOUT_CHECK, t, WHY_STATUS, found);
    char *cols[1] = { c->name };
    ib_set_columns(ck, cols, 1);
    ck->id = lint_id(b->cat, IK_STATUS_WITHOUT_CHECK, t->schema, t->name, cols, 1);
    ck->message = xasprintf(found ? "%s takes any text" : "a constraint limits %s", c->name);
    if (found)
        ck->state = IS_PENDING;   /* its values, for the fix: integrity_lintq.c */
}

/* ---- capacity (PostgreSQL) ------------------------------------------- */

static bool int_type(const char *type)
{
    return type && (!strcmp(type, "smallint") || !strcmp(type, "integer") ||
                    !strcmp(type, "bigint"));
}

static void lint_capacity(IntBuild *b, const CatTable *t, const CatColumn *c, bool pk)
{
    const Catalog *cat = b->cat;
    bool seq = c->seq_name != NULL;
    if (!int_type(c->type) || (!seq && !pk))
        return;
    IntegrityKind k = seq ? IK_SEQUENCE_CAPACITY : IK_KEY_CAPACITY;
    IntegrityCheck *ck = add_lint(b, k, t, seq ? WHY_SEQUENCE : WHY_KEY, false);
    ck->count = -1;
    ck->state = IS_PENDING;
    char *cols[1] = { c->name };
    ib_set_columns(ck, cols, 1);
    if (seq) {
        ck->object = xasprintf("%s.%s", c->seq_schema ? c->seq_schema : t->schema, c->seq_name);
        StrBuf id = STRBUF_INIT;
        sb_appendf(&id, "lint:%s:", integrity_kind_name(k));
        ib_rel_text(&id, cat, c->seq_schema ? c->seq_schema : t->schema, c->seq_name, NULL, 0);
        ck->id = sb_take(&id);
    } else {
        ck->id = lint_id(cat, k, t->schema, t->name, cols, 1);
    }
}

/* ---- every table -------------------------------------------------------- */

static void lint_table(IntBuild *b, const CatTable *t, const Rx *money, const Rx *status)
{
    const Catalog *cat = b->cat;
    bool part = ib_is_partition(t);
    if (!part)
        lint_no_pk(b, t);
    lint_indexes(b, t);
    const CatConstraint *pk = ib_primary_key(t);
    for (size_t k = 0; k < t->nconstraints; k++) {
        const CatConstraint *c = &t->constraints[k];
        if (c->inherited)
            continue;
        if (c->type == CAT_CON_FOREIGN_KEY && c->ncolumns > 0)
            lint_fk_index(b, t, c);
        if (!c->validated && cat->engine == DB_ENGINE_POSTGRES &&
            (c->type == CAT_CON_FOREIGN_KEY || c->type == CAT_CON_CHECK))
            lint_not_valid(b, t, c);
    }
    if (part)
        return;
    for (size_t i = 0; i < t->ncolumns; i++) {
        const CatColumn *c = &t->columns[i];
        size_t len = strlen(c->name);
        if (money && rx_match(money, c->name, len, NULL, 0))
            lint_money(b, t, c);
        if (status && integrity_type_family(cat->engine, c->type) == 't' &&
            rx_match(status, c->name, len, NULL, 0))
            lint_status(b, t, c);
        if (cat->engine == DB_ENGINE_POSTGRES && !c->generated)
            lint_capacity(b, t, c, pk && pk->ncolumns == 1 && c->primary_key);
    }
}

void integrity_lints_build(IntBuild *b)
{
    DbError e = DB_ERROR_INIT;
    /* the patterns were checked when the configuration was read */
    Rx *money = b->set->money_columns ? rx_compile(b->set->money_columns, RX_CASELESS, &e)
                                      : NULL;
    db_error_clear(&e);
    Rx *status = b->set->status_columns ? rx_compile(b->set->status_columns, RX_CASELESS, &e)
                                        : NULL;
    db_error_clear(&e);
    for (size_t i = 0; i < b->cat->count; i++)
        if (ib_is_table(&b->cat->tables[i]))
            lint_table(b, &b->cat->tables[i], money, status);
    rx_free(money);
    rx_free(status);
}
