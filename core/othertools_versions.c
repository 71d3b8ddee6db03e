/* othertools_versions.c: readers of the tools that keep versions only:
 * golang-migrate, dbmate, Rails, EF Core and goose (othertools_internal.h). */
#include "othertools_internal.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- golang-migrate: schema_migrations(version, dirty), one row ------ */

static int golang_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    const char *v = row->values[0];
    if (!v)
        return 0;
    bool dirty = ot_truthy(row->values[1]);
    if (strcmp(v, "-1") != 0) {   /* -1: golang-migrate's "no version" */
        OtherMigration *m = ot_add(tool);
        m->version = xstrdup(v);
        m->state = dirty ? OTHER_DIRTY : OTHER_APPLIED;
        ot_current_add(tool, v);
    }
    if (dirty)
        ot_problem(tool, "dirty", v,
                   "golang-migrate marked version %s dirty in %s.%s: a migration failed "
                   "part-way; repair what it left by hand, then run `migrate force VERSION` "
                   "with the last version that applied cleanly, and migrate again",
                   v, tool->schema, tool->table);
    return 0;
}

int ot_read_golang(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                   DbError *err)
{
    return ot_query(c, cat, t, "othertools: golang-migrate version",
                    "SELECT {version}, {dirty} FROM {T}", NULL, golang_row, tool, err);
}

/* ---- dbmate and Rails: schema_migrations(version) ------------------ */

static int version_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    if (row->values[0]) {
        OtherMigration *m = ot_add(tool);
        m->version = xstrdup(row->values[0]);
        m->state = OTHER_APPLIED;
    }
    return 0;
}

/* Sorts by version; the newest is current. */
static void newest_is_current(OtherTool *tool)
{
    ot_history_sort_by_version(tool);
    if (tool->count)
        ot_current_add(tool, tool->history[tool->count - 1].version);
}

int ot_read_dbmate(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                   DbError *err)
{
    if (ot_query(c, cat, t, "othertools: dbmate versions", "SELECT {version} FROM {T}", NULL,
                 version_row, tool, err) != 0)
        return -1;
    newest_is_current(tool);
    return 0;
}

static int rails_env_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    free(tool->detail);
    tool->detail = xasprintf("environment %s", row->values[0] ? row->values[0] : "(null)");
    return 1;
}

int ot_read_rails(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                  DbError *err)
{
    if (ot_query(c, cat, t, "othertools: rails versions", "SELECT {version} FROM {T}", NULL,
                 version_row, tool, err) != 0)
        return -1;
    newest_is_current(tool);
    /* Which environment the database belongs to: Rails refuses destructive
     * tasks on "production". */
    const OtTable *meta = ot_sibling(cat, t->schema, "ar_internal_metadata");
    const char *key[] = { "environment" };
    DbParams p = { 1, key };
    return ot_query(c, cat, meta, "othertools: rails environment",
                    "SELECT {value} FROM {T} WHERE {key} = $1", &p, rails_env_row, tool, err);
}

/* ---- EF Core: __EFMigrationsHistory(MigrationId, ProductVersion) ---- */

typedef struct EfCtx {
    OtherTool *tool;
    char      *newest_id;        /* owned */
    char      *newest_product;   /* owned */
} EfCtx;

static int efcore_row(void *ctx, const DbRow *row)
{
    EfCtx *ec = ctx;
    const char *id = row->values[0];
    if (!id)
        return 0;
    OtherMigration *m = ot_add(ec->tool);
    ot_split_id(id, &m->version, &m->name);
    m->state = OTHER_APPLIED;
    if (!ec->newest_id || othertools_vercmp(id, ec->newest_id) > 0) {
        free(ec->newest_id);
        free(ec->newest_product);
        ec->newest_id = xstrdup(id);
        ec->newest_product = xstrdup(row->values[1]);
    }
    return 0;
}

int ot_read_efcore(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                   DbError *err)
{
    EfCtx ec = { tool, NULL, NULL };
    int rc = ot_query(c, cat, t, "othertools: ef core history",
                      "SELECT {migrationid}, {productversion} FROM {T}", NULL, efcore_row, &ec,
                      err);
    if (rc == 0) {
        newest_is_current(tool);
        if (ec.newest_product)
            tool->detail = xasprintf("EF Core %s", ec.newest_product);
    }
    free(ec.newest_id);
    free(ec.newest_product);
    return rc;
}

/* ---- goose: goose_db_version(id, version_id, is_applied, tstamp) ---- */

typedef struct GooseRow {
    char *version;   /* owned */
    char *tstamp;    /* owned */
    bool  applied;
} GooseRow;

typedef struct GooseCtx {
    GooseRow *rows;  /* owned, by id */
    size_t    count, cap;
} GooseCtx;

static int goose_row(void *ctx, const DbRow *row)
{
    GooseCtx *g = ctx;
    if (!row->values[1])
        return 0;
    g->rows = xgrow(g->rows, &g->cap, g->count + 1, sizeof *g->rows);
    GooseRow *r = &g->rows[g->count++];
    r->version = xstrdup(row->values[1]);
    r->applied = ot_truthy(row->values[2]);
    r->tstamp = ot_time(row->values[3]);
    return 0;
}

/* Is row i the newest row of its version? */
static bool goose_latest(const GooseCtx *g, size_t i)
{
    for (size_t k = i + 1; k < g->count; k++)
        if (strcmp(g->rows[k].version, g->rows[i].version) == 0)
            return false;
    return true;
}

/* goose's own rule (GetDBVersion): walk the rows newest first; a version
 * whose newest row is "not applied" was migrated down and is skipped; the
 * first applied row left is the current version.  Version 0 is the row
 * goose writes when it creates the table: no migration. */
static const char *goose_current(const GooseCtx *g)
{
    for (size_t i = g->count; i-- > 0;) {
        if (!goose_latest(g, i))
            continue;
        if (g->rows[i].applied)
            return strcmp(g->rows[i].version, "0") == 0 ? NULL : g->rows[i].version;
    }
    return NULL;
}

int ot_read_goose(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                  DbError *err)
{
    GooseCtx g = { NULL, 0, 0 };
    int rc = ot_query(c, cat, t, "othertools: goose versions",
                      "SELECT {id}, {version_id}, {is_applied}, {tstamp:t} FROM {T} "
                      "ORDER BY {id}", NULL, goose_row, &g, err);
    if (rc == 0) {
        /* One entry per version, where its newest row stands. */
        for (size_t i = 0; i < g.count; i++) {
            GooseRow *r = &g.rows[i];
            if (strcmp(r->version, "0") == 0 || !goose_latest(&g, i))
                continue;
            OtherMigration *m = ot_add(tool);
            m->version = xstrdup(r->version);
            m->applied_at = xstrdup(r->tstamp);
            m->state = r->applied ? OTHER_APPLIED : OTHER_ROLLED_BACK;
        }
        const char *cur = goose_current(&g);
        if (cur)
            ot_current_add(tool, cur);
    }
    for (size_t i = 0; i < g.count; i++) {
        free(g.rows[i].version);
        free(g.rows[i].tstamp);
    }
    free(g.rows);
    return rc;
}
