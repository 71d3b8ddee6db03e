/* integrity_fix.c: the plan of a fix (the rows it reaches, the trial in a
 * rolled-back transaction), its check under the lock and its verification
 * (see integrity_fix.h).  The run itself is in integrity_inverse.c. */
#include "integrity_fix.h"
#include "integrity_internal.h"
#include "strv.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A delete reaches at most this many tables through cascades. */
#define FIX_MAX_NODES 32

int integrity_fix_mode_parse(const char *s)
{
    if (s && strcmp(s, "delete") == 0)
        return INTEGRITY_FIX_DELETE;
    if (s && (strcmp(s, "set-null") == 0 || strcmp(s, "set_null") == 0))
        return INTEGRITY_FIX_SET_NULL;
    return -1;
}

const char *integrity_fix_mode_name(IntegrityFixMode m)
{
    return m == INTEGRITY_FIX_SET_NULL ? "set-null" : "delete";
}

static void nodes_free(IntegrityFixNode *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].schema);
        free(v[i].table);
        strv_free(v[i].set_cols);
        free(v[i].cond);
        free(v[i].alias);
    }
    free(v);
}

void integrity_fix_free(IntegrityFix *f)
{
    nodes_free(f->nodes, f->nnodes);
    nodes_free(f->blockers, f->nblockers);
    integrity_list_free(&f->list);
    catalog_free(f->cat);
    free(f->sql);
    free(f->inverse_dir);
    free(f->inverse_path);
    memset(f, 0, sizeof *f);
}

/* ---- the tables a fix reaches ----------------------------------------- */

static IntegrityFixNode *add_to(IntegrityFixNode **v, size_t *count, const CatTable *t,
                                bool update, char *const *cols, size_t ncols, const char *action,
                                char *cond)
{
    *v = xrealloc(*v, (*count + 1) * sizeof **v);
    IntegrityFixNode *n = &(*v)[(*count)++];
    memset(n, 0, sizeof *n);
    n->schema = xstrdup(t->schema);
    n->table = xstrdup(t->name);
    n->update = update;
    n->set_cols = update ? strv_dup_n((const char *const *)cols, ncols) : NULL;
    n->nset_cols = update ? ncols : 0;
    n->action = action;
    n->cond = cond;
    n->rows = n->captured = -1;
    return n;
}

static IntegrityFixNode *add_node(IntegrityFix *f, const CatTable *t, bool update,
                                  char *const *cols, size_t ncols, const char *action,
                                  char *cond)
{
    IntegrityFixNode *n = add_to(&f->nodes, &f->nnodes, t, update, cols, ncols, action, cond);
    n->alias = xasprintf("t%zu", f->nnodes - 1);
    return n;
}

static bool has_node(const IntegrityFix *f, const CatTable *t)
{
    for (size_t i = 0; i < f->nnodes; i++)
        if (!strcmp(f->nodes[i].schema, t->schema) && !strcmp(f->nodes[i].table, t->name))
            return true;
    return false;
}

/* The rows of g (alias) that refer by k to the rows of node p. */
static char *child_cond(DbConn *c, const IntegrityFixNode *p, const CatConstraint *k,
                        const char *alias)
{
    char *parent = integrity_qualified(c, p->schema, p->table);
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "EXISTS (SELECT 1 FROM %s %s WHERE (%s)", parent, p->alias, p->cond);
    for (size_t i = 0; i < k->ncolumns; i++) {
        char *r = db_quote_ident(c, k->ref_columns[i]), *col = db_quote_ident(c, k->columns[i]);
        sb_appendf(&b, " AND %s.%s = %s.%s", p->alias, r, alias, col);
        free(r);
        free(col);
    }
    sb_appendc(&b, ')');
    free(parent);
    return sb_take(&b);
}

static bool acts(const char *on_delete)
{
    return on_delete && (!strcmp(on_delete, "CASCADE") || !strcmp(on_delete, "SET NULL") ||
                         !strcmp(on_delete, "SET DEFAULT"));
}

/* The rows of g that refer by k to node i's rows, which the delete
 * removes: reached by an ON DELETE action, or blocking it. */
static int follow_key(DbConn *c, IntegrityFix *f, size_t i, const CatTable *g,
                      const CatConstraint *k, DbError *err)
{
    if (!acts(k->on_delete)) {
        char *alias = xasprintf("b%zu", f->nblockers);
        IntegrityFixNode *b = add_to(&f->blockers, &f->nblockers, g, false, NULL, 0,
                                     k->on_delete ? k->on_delete : "NO ACTION",
                                     child_cond(c, &f->nodes[i], k, alias));
        b->alias = alias;
        return 0;
    }
    if (has_node(f, g) || f->nnodes >= FIX_MAX_NODES) {
        db_error_set(err, DB_ERR_USAGE, "deleting the orphans of %s.%s cascades into %s.%s "
                     "more than once (a cycle of ON DELETE actions): dbwarden cannot write its "
                     "inverse; nothing was done", f->ck->schema, f->ck->table, g->schema,
                     g->name);
        return -1;
    }
    char *alias = xasprintf("t%zu", f->nnodes);
    char *cond = child_cond(c, &f->nodes[i], k, alias);
    free(alias);
    bool upd = strcmp(k->on_delete, "CASCADE") != 0;
    add_node(f, g, upd, k->columns, k->ncolumns,
             !upd ? "ON DELETE CASCADE" : strcmp(k->on_delete, "SET NULL") == 0
                 ? "ON DELETE SET NULL" : "ON DELETE SET DEFAULT", cond);
    return 0;
}

/* The keys that refer to node i's table: what its delete reaches. */
static int follow(DbConn *c, IntegrityFix *f, size_t i, DbError *err)
{
    for (size_t ti = 0; ti < f->cat->count; ti++) {
        const CatTable *pt = catalog_find(f->cat, f->nodes[i].schema, f->nodes[i].table);
        const CatTable *g = &f->cat->tables[ti];
        for (size_t ki = 0; pt && ki < g->nconstraints; ki++) {
            const CatConstraint *k = &g->constraints[ki];
            if (k->type == CAT_CON_FOREIGN_KEY && !k->inherited &&
                catalog_fk_target(f->cat, k) == pt && follow_key(c, f, i, g, k, err) != 0)
                return -1;
        }
    }
    return 0;
}

/* A table whose rows an update must find again has a key. */
static int keyed(IntegrityFix *f, const IntegrityFixNode *n, DbError *err)
{
    const CatTable *t = catalog_find(f->cat, n->schema, n->table);
    if (!t || ib_primary_key(t) || (f->cat->engine == DB_ENGINE_SQLITE && t->has_rowid))
        return 0;
    db_error_set(err, DB_ERR_USAGE, "%s.%s has no primary key, so the rows whose key is set "
                 "to NULL could not be found again to put the old key back: nothing was done "
                 "(delete them instead, or give the table a primary key)", n->schema,
                 n->table);
    return -1;
}

static int build_nodes(DbConn *c, IntegrityFix *f, DbError *err)
{
    const IntegrityCheck *ck = f->ck;
    const CatTable *t = catalog_find(f->cat, ck->schema, ck->table);
    if (!t) {
        db_error_set(err, DB_ERR_USAGE, "%s.%s is not in the catalog", ck->schema, ck->table);
        return -1;
    }
    bool upd = f->mode == INTEGRITY_FIX_SET_NULL;
    add_node(f, t, upd, ck->columns, ck->ncolumns, "orphans",
             integrity_orphan_condition(c, ck, "t0"));
    for (size_t i = 0; i < f->nnodes; i++) {
        if (f->nodes[i].update ? keyed(f, &f->nodes[i], err) != 0 : follow(c, f, i, err) != 0)
            return -1;
    }
    return 0;
}

/* ---- the change ----------------------------------------------------------- */

static char *change_sql(DbConn *c, const IntegrityFix *f)
{
    const IntegrityFixNode *n = &f->nodes[0];
    char *t = integrity_qualified(c, n->schema, n->table);
    StrBuf b = STRBUF_INIT;
    if (!n->update) {
        sb_appendf(&b, "DELETE FROM %s AS t0 WHERE %s", t, n->cond);
    } else {
        sb_appendf(&b, "UPDATE %s AS t0 SET ", t);
        for (size_t i = 0; i < n->nset_cols; i++) {
            char *k = db_quote_ident(c, n->set_cols[i]);
            sb_appendf(&b, "%s%s = NULL", i ? ", " : "", k);
            free(k);
        }
        sb_appendf(&b, " WHERE %s", n->cond);
    }
    free(t);
    return sb_take(&b);
}

static int query_count(DbConn *c, const char *label, const char *sql, long long *n,
                       DbError *err)
{
    char *v = NULL;
    int rc = db_query_value(c, label, sql, NULL, &v, err);
    *n = v ? atoll(v) : 0;
    free(v);
    return rc;
}

static int count_rows_of(DbConn *c, IntegrityFixNode *n, DbError *err)
{
    char *t = integrity_qualified(c, n->schema, n->table);
    char *sql = xasprintf("/* integrity: rows a fix reaches */ SELECT count(*) FROM %s %s "
                          "WHERE %s", t, n->alias, n->cond);
    int rc = query_count(c, "integrity: rows a fix reaches", sql, &n->rows, err);
    free(sql);
    free(t);
    return rc;
}

int integrity_fix_count_nodes(DbConn *c, IntegrityFix *f, DbError *err)
{
    for (size_t i = 0; i < f->nblockers; i++) {
        IntegrityFixNode *b = &f->blockers[i];
        if (count_rows_of(c, b, err) != 0)
            return -1;
        if (b->rows > 0) {
            db_error_set(err, DB_ERR_USAGE, "%lld row%s of %s.%s refer%s to rows the fix "
                         "would delete (a foreign key ON DELETE %s): delete them or point "
                         "them elsewhere first; nothing was done", b->rows,
                         b->rows == 1 ? "" : "s", b->schema, b->table,
                         b->rows == 1 ? "s" : "", b->action);
            return -1;
        }
    }
    for (size_t i = 0; i < f->nnodes; i++)
        if (count_rows_of(c, &f->nodes[i], err) != 0)
            return -1;
    return 0;
}

/* The rows changed so far in this transaction and (PostgreSQL) the ones
 * before it whose counts the backend has not reported yet: only a
 * difference of two readings means something. */
static int changes_so_far(DbConn *c, long long *n, DbError *err)
{
    return query_count(c, "integrity: changes", db_engine(c) == DB_ENGINE_SQLITE
        ? "/* integrity: changes */ SELECT total_changes()"
        : "/* integrity: changes */ SELECT coalesce(sum(n_tup_del + n_tup_upd), 0) FROM "
          "pg_catalog.pg_stat_xact_user_tables", n, err);
}

int integrity_fix_apply(DbConn *c, IntegrityFix *f, long long *direct, long long *all,
                        DbError *err)
{
    long long before = 0, after = 0;
    if (changes_so_far(c, &before, err) != 0)
        return -1;
    if (db_engine(c) == DB_ENGINE_SQLITE) {
        if (db_exec(c, "integrity: fix", f->sql, NULL, err) != 0 ||
            query_count(c, "integrity: changes", "SELECT changes()", direct, err) != 0)
            return -1;
    } else {
        char *sql = xasprintf("/* integrity: fix */ WITH d AS (%s RETURNING 1) SELECT "
                              "count(*) FROM d", f->sql);
        int rc = query_count(c, "integrity: fix", sql, direct, err);
        free(sql);
        if (rc != 0)
            return -1;
    }
    if (changes_so_far(c, &after, err) != 0)
        return -1;
    *all = after - before;
    return 0;
}

int integrity_fix_fk_on(DbConn *c, bool *was, DbError *err)
{
    *was = true;
    if (db_engine(c) != DB_ENGINE_SQLITE)
        return 0;
    char *v = NULL;
    if (db_query_value(c, "integrity: foreign keys", "PRAGMA foreign_keys", NULL, &v, err))
        return -1;
    *was = v && strcmp(v, "1") == 0;
    free(v);
    return *was ? 0 : db_exec(c, "integrity: foreign keys", "PRAGMA foreign_keys = ON", NULL,
                              err);
}

void integrity_fix_fk_restore(DbConn *c, bool was)
{
    DbError e = DB_ERROR_INIT;
    if (db_engine(c) == DB_ENGINE_SQLITE && !was)
        db_exec(c, "integrity: foreign keys", "PRAGMA foreign_keys = OFF", NULL, &e);
    db_error_clear(&e);
}

/* Runs the fix and rolls it back: the rows it reaches, cascades included. */
static int trial(DbConn *c, IntegrityFix *f, DbError *err)
{
    bool was = true;
    if (integrity_fix_fk_on(c, &was, err) != 0)
        return -1;
    int rc = db_begin(c, true, err);
    long long direct = 0, all = 0, sum = 0;
    if (rc == 0) {
        rc = integrity_fix_count_nodes(c, f, err);
        if (rc == 0)
            rc = integrity_fix_apply(c, f, &direct, &all, err);
        db_rollback(c);
    }
    integrity_fix_fk_restore(c, was);
    if (rc != 0) {
        db_error_prefix(err, "the fix was tried in a transaction and rolled back; it failed");
        return -1;
    }
    for (size_t i = 0; i < f->nnodes; i++)
        sum += f->nodes[i].rows;
    f->total = all;
    if (direct != f->nodes[0].rows || all != sum) {
        db_error_set(err, DB_ERR_USAGE, "the fix changes %lld rows, of which dbwarden can "
                     "write back only %lld (a trigger, or a rule, changes more): nothing was "
                     "done", all, sum);
        return -1;
    }
    return 0;
}

/* ---- plan, recheck, verify --------------------------------------------- */

static char *inverse_dir(const Session *s)
{
    const char *d = s->cfg.integrity.inverse_dir;
    return xstrdup(d && *d ? d : session_backup_dir(s));
}

int integrity_fix_plan(DbConn *c, const Session *s, const char *id, IntegrityFixMode mode,
                       bool do_trial, IntegrityFix *f, DbError *err)
{
    memset(f, 0, sizeof *f);
    f->mode = mode;
    f->total = -1;
    f->inverse_dir = inverse_dir(s);
    if (integrity_lookup(c, s, id, &f->cat, &f->list, err) != 0)
        return -1;
    f->ck = &f->list.checks[0];
    if (f->ck->group != IG_ORPHANS && f->ck->group != IG_INFERRED) {
        db_error_set(err, DB_ERR_USAGE, "%s is a %s check: only orphans can be fixed so",
                     id, integrity_kind_name(f->ck->kind));
        return -1;
    }
    for (size_t i = 0; mode == INTEGRITY_FIX_SET_NULL && i < f->ck->ncolumns; i++) {
        const CatTable *t = catalog_find(f->cat, f->ck->schema, f->ck->table);
        const CatColumn *col = t ? ib_column(t, f->ck->columns[i]) : NULL;
        if (col && !col->nullable) {
            db_error_set(err, DB_ERR_USAGE, "%s.%s is NOT NULL: its orphans can only be "
                         "deleted (--delete)", f->ck->table, col->name);
            return -1;
        }
    }
    if (integrity_count_orphans(c, f->ck, &f->orphans, &f->distinct, err) != 0 ||
        build_nodes(c, f, err) != 0)
        return -1;
    f->sql = change_sql(c, f);
    return do_trial && f->orphans > 0 ? trial(c, f, err) : 0;
}

int integrity_fix_recheck(DbConn *c, IntegrityFix *f, DbError *err)
{
    long long rows = 0, distinct = 0;
    if (integrity_count_orphans(c, f->ck, &rows, &distinct, err) != 0)
        return -1;
    if (rows == f->orphans)
        return 0;
    db_error_set(err, DB_ERR_BUSY, "the orphans of %s went from %lld to %lld rows while you "
                 "were confirming: nothing was done; plan the fix again", f->ck->id,
                 f->orphans, rows);
    return -1;
}

int integrity_fix_verify(DbConn *c, IntegrityFix *f, DbError *err)
{
    long long rows = 0, distinct = 0;
    if (integrity_count_orphans(c, f->ck, &rows, &distinct, err) != 0) {
        db_error_prefix(err, "the fix was committed, but its result could not be checked");
        return -1;
    }
    if (rows == 0)
        return 0;
    db_error_set(err, DB_ERR_SQL, "the fix was committed, but %lld orphan row%s of %s remain "
                 "(written meanwhile?); its inverse is %s", rows, rows == 1 ? "" : "s",
                 f->ck->id, f->inverse_path ? f->inverse_path : "not written");
    return -1;
}
