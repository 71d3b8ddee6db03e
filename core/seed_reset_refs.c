/* seed_reset_refs.c: the rows that would stop a reset: rows outside it
 * (the application's, a user's, another seed run's) that reference, through
 * a declared foreign key, a row the reset removes (see seed.h).  One
 * query per foreign key into a seeded table and per key range of it, at
 * most MAX_BLOCKERS rows named. */
#include "catalog.h"
#include "seed_reset.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOCKERS 10

typedef struct Blockers {
    StrBuf text;
    int    count;
    const CatTable *child, *parent;
    const CatConstraint *fk;
    size_t nid;              /* columns that name the child row */
    char **id;
} Blockers;

static int collect_blocker(void *ctx, const DbRow *row)
{
    Blockers *b = ctx;
    if (++b->count > MAX_BLOCKERS)
        return 0;
    sb_appendf(&b->text, "%s%s", b->text.len ? "; " : "", b->child->name);
    int col = 0;
    for (size_t i = 0; i < b->nid; i++, col++)
        sb_appendf(&b->text, "%s%s=%s", i ? ", " : " ", b->id[i],
                   row->values[col] ? row->values[col] : "NULL");
    sb_append(&b->text, " (");
    for (size_t i = 0; i < b->fk->ncolumns; i++, col++)
        sb_appendf(&b->text, "%s%s=%s", i ? ", " : "", b->fk->columns[i],
                   row->values[col] ? row->values[col] : "NULL");
    sb_appendf(&b->text, ") references seeded %s", b->parent->name);
    return 0;
}

/* The columns that name a row of t: its primary key, else the foreign key's. */
static void id_columns(const CatTable *t, const CatConstraint *fk, Blockers *b)
{
    b->id = fk->columns;
    b->nid = 0;
    for (size_t i = 0; i < t->nconstraints; i++)
        if (t->constraints[i].type == CAT_CON_PRIMARY_KEY) {
            b->id = t->constraints[i].columns;
            b->nid = t->constraints[i].ncolumns;
        }
}

/* "c.x", quoted. */
static void col(StrBuf *s, DbConn *c, const char *alias, const char *name)
{
    char *q = db_quote_ident(c, name);
    sb_appendf(s, "%s.%s", alias, q);
    free(q);
}

/* The stamp column of a table's ranges, when any has one. */
static const char *stamp_of(const RTable *t)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (t->r[i].stamp)
            return t->r[i].stamp;
    return NULL;
}

typedef struct Query {
    StrBuf sql;
    char **v;               /* owned copies of the parameters */
    int    n, cap;
} Query;

static void qparam(Query *q, const char *value)
{
    if (q->n >= q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->v = xrealloc(q->v, (size_t)q->cap * sizeof *q->v);
    }
    q->v[q->n++] = xstrdup(value);
}

static void qnum(Query *q, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    qparam(q, b);
}

static void qfree(Query *q)
{
    for (int i = 0; i < q->n; i++)
        free(q->v[i]);
    free(q->v);
    sb_free(&q->sql);
}

/* One query: the child rows that reference rows of parent range pr and are
 * not rows of the reset (of child's ranges ct, or any when ct is NULL). */
static int blockers_of(DbConn *c, Blockers *b, const RTable *pt, const RRange *pr,
                       const RTable *ct, const Runs *runs, DbError *err)
{
    Query q = { STRBUF_INIT, NULL, 0, 0 };
    char *qc = db_quote_ident(c, b->child->name), *qp = db_quote_ident(c, b->parent->name);
    sb_append(&q.sql, "/* seed: rows of others that reference seeded rows */ SELECT ");
    for (size_t i = 0; i < b->nid; i++) {
        sb_append(&q.sql, i ? ", " : "");
        col(&q.sql, c, "c", b->id[i]);
    }
    for (size_t i = 0; i < b->fk->ncolumns; i++) {
        sb_append(&q.sql, b->nid || i ? ", " : "");
        col(&q.sql, c, "c", b->fk->columns[i]);
    }
    sb_appendf(&q.sql, " FROM %s c JOIN %s p ON ", qc, qp);
    for (size_t i = 0; i < b->fk->ncolumns; i++) {
        sb_append(&q.sql, i ? " AND " : "");
        col(&q.sql, c, "p", b->fk->ref_columns[i]);
        sb_append(&q.sql, " = ");
        col(&q.sql, c, "c", b->fk->columns[i]);
    }
    sb_append(&q.sql, " WHERE ");
    col(&q.sql, c, "p", pt->key);
    qnum(&q, pr->lo);
    qnum(&q, pr->hi);
    sb_appendf(&q.sql, " BETWEEN CAST($1 AS bigint) AND CAST($2 AS bigint)");
    bool pg = db_engine(c) == DB_ENGINE_POSTGRES;
    if (pr->stamp) {
        sb_append(&q.sql, " AND ");
        col(&q.sql, c, "p", pr->stamp);
        qparam(&q, SEED_STAMP_MAX);
        sb_append(&q.sql, pg ? " <= CAST($3 AS timestamptz)" : " <= $3");
    }
    if (ct) {   /* and not a row the reset removes */
        qparam(&q, ct->name);
        sb_appendf(&q.sql, " AND NOT EXISTS (SELECT 1 FROM " SEED_KEYS_TABLE " k WHERE "
                   "k.table_name = $%d AND ", q.n);
        col(&q.sql, c, "c", ct->key);
        sb_append(&q.sql, " BETWEEN k.first_key AND k.last_key");
        const char *st = stamp_of(ct);
        if (st) {
            sb_append(&q.sql, " AND (k.stamp_max IS NULL OR ");
            col(&q.sql, c, "c", st);
            sb_append(&q.sql, pg ? " <= CAST(k.stamp_max AS timestamptz))" : " <= k.stamp_max)");
        }
        sb_append(&q.sql, " AND k.run_id IN (");
        for (size_t i = 0; i < runs->n; i++) {
            qnum(&q, runs->id[i]);
            sb_appendf(&q.sql, "%sCAST($%d AS bigint)", i ? ", " : "", q.n);
        }
        sb_append(&q.sql, "))");
    }
    sb_appendf(&q.sql, " LIMIT %d", MAX_BLOCKERS + 1);
    DbParams p = { q.n, (const char *const *)q.v };
    int rc = db_query(c, "seed: rows that reference seeded rows", sb_str(&q.sql), &p,
                      collect_blocker, b, err);
    qfree(&q);
    free(qc);
    free(qp);
    return rc;
}

static const RTable *rtable_of(const RData *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->t[i].name, name) == 0)
            return &d->t[i];
    return NULL;
}

int seed_reset_check_refs(DbConn *c, const Catalog *cat, const RData *d, const Runs *runs,
                          DbError *err)
{
    Blockers b;
    memset(&b, 0, sizeof b);
    int rc = 0;
    for (size_t i = 0; i < cat->count && rc == 0; i++) {
        const CatTable *child = &cat->tables[i];
        for (size_t k = 0; k < child->nconstraints && rc == 0; k++) {
            const CatConstraint *fk = &child->constraints[k];
            const CatTable *parent = fk->type == CAT_CON_FOREIGN_KEY
                                         ? catalog_fk_target(cat, fk) : NULL;
            const RTable *pt = parent ? rtable_of(d, parent->name) : NULL;
            if (!pt)
                continue;
            b.child = child;
            b.parent = parent;
            b.fk = fk;
            id_columns(child, fk, &b);
            const RTable *ct = rtable_of(d, child->name);
            for (size_t r = 0; r < pt->n && rc == 0 && b.count <= MAX_BLOCKERS; r++)
                rc = blockers_of(c, &b, pt, &pt->r[r], ct, runs, err);
        }
    }
    if (rc == 0 && b.count > 0) {
        db_error_set(err, DB_ERR_SQL, "reset refused: rows that no seed run being reset "
                     "inserted reference seeded rows, and would lose their parent (or be "
                     "deleted or changed by a cascade): %s%s; nothing was deleted (delete or "
                     "repoint those rows first)", sb_str(&b.text),
                     b.count > MAX_BLOCKERS ? "; and more" : "");
        snprintf(err->code, sizeof err->code, "%s", SEED_REFERENCED);
        rc = -1;
    }
    sb_free(&b.text);
    return rc;
}
