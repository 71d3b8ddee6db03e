/* othertools_logs.c: readers of the tools that keep a run log: Flyway,
 * Django, Knex, Prisma, Liquibase, Atlas and sqitch (othertools_internal.h). */
#include "othertools_internal.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *nonempty(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

/* ---- Flyway: flyway_schema_history ---------------------------------- */

static int flyway_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    const char *type = row->values[3] ? row->values[3] : "";
    if (strcasecmp(type, "SCHEMA") == 0)   /* "<< Flyway Schema Creation >>" */
        return 0;
    OtherMigration *m = ot_add(tool);
    m->version = nonempty(row->values[1]);    /* NULL: a repeatable migration */
    m->name = xstrdup(row->values[2]);
    m->applied_at = ot_time(row->values[4]);
    if (!ot_truthy(row->values[5]))
        m->state = OTHER_FAILED;
    else if (strncasecmp(type, "UNDO", 4) == 0 || strcasecmp(type, "DELETE") == 0)
        m->state = OTHER_ROLLED_BACK;
    else
        m->state = OTHER_APPLIED;
    if (m->state == OTHER_FAILED)
        ot_problem(tool, "failed", m->version,
                   "Flyway migration %s (%s) failed (installed_rank %s in %s.%s); undo what it "
                   "changed, then run `flyway repair` to remove the failed row, and migrate "
                   "again", m->version ? m->version : "(repeatable)", m->name ? m->name : "",
                   row->values[0] ? row->values[0] : "?", tool->schema, tool->table);
    return 0;
}

/* Flyway's current version: the highest version whose last successful row
 * applied it (not undone, not marked deleted). */
static void flyway_current(OtherTool *tool)
{
    const char *best = NULL;
    for (size_t i = 0; i < tool->count; i++) {
        const OtherMigration *m = &tool->history[i];
        if (!m->version || m->state != OTHER_APPLIED)
            continue;
        bool undone = false;
        for (size_t k = i + 1; k < tool->count && !undone; k++)
            undone = tool->history[k].state == OTHER_ROLLED_BACK &&
                     tool->history[k].version &&
                     strcmp(tool->history[k].version, m->version) == 0;
        if (!undone && (!best || othertools_vercmp(m->version, best) > 0))
            best = m->version;
    }
    if (best)
        ot_current_add(tool, best);
}

int ot_read_flyway(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                   DbError *err)
{
    if (ot_query(c, cat, t, "othertools: flyway history",
                 "SELECT {installed_rank}, {version}, {description}, {type}, {installed_on:t}, "
                 "{success} FROM {T} ORDER BY {installed_rank}", NULL, flyway_row, tool,
                 err) != 0)
        return -1;
    flyway_current(tool);
    return 0;
}

/* ---- Django: django_migrations(id, app, name, applied) -------------- */

static int django_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    OtherMigration *m = ot_add(tool);
    m->version = xstrdup(row->values[2] ? row->values[2] : "");
    m->group = xstrdup(row->values[1] ? row->values[1] : "");
    m->applied_at = ot_time(row->values[3]);
    m->state = OTHER_APPLIED;
    return 0;
}

int ot_read_django(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                   DbError *err)
{
    if (ot_query(c, cat, t, "othertools: django history",
                 "SELECT {id}, {app}, {name}, {applied:t} FROM {T} ORDER BY {id}", NULL,
                 django_row, tool, err) != 0)
        return -1;
    /* Per app, the migration applied last: Django applies an app's
     * migrations in dependency order, so that one is a leaf of what is
     * applied.  Shown as Django writes a migration: "app.name". */
    for (size_t i = tool->count; i-- > 0;) {
        const OtherMigration *m = &tool->history[i];
        bool seen = false;
        for (size_t k = i + 1; k < tool->count && !seen; k++)
            seen = strcmp(tool->history[k].group, m->group) == 0;
        if (!seen) {
            char *q = xasprintf("%s.%s", m->group, m->version);
            ot_current_add(tool, q);
            free(q);
        }
    }
    ot_current_sort(tool);
    return 0;
}

/* ---- Knex: knex_migrations(id, name, batch, migration_time) --------- */

typedef struct KnexCtx {
    OtherTool *tool;
    char      *batch;   /* owned: the newest row's batch */
    bool       locked;
} KnexCtx;

static int knex_row(void *ctx, const DbRow *row)
{
    KnexCtx *kc = ctx;
    OtherMigration *m = ot_add(kc->tool);
    ot_split_id(row->values[1] ? row->values[1] : "", &m->version, &m->name);
    m->applied_at = ot_time(row->values[3]);
    m->state = OTHER_APPLIED;
    free(kc->batch);
    kc->batch = xstrdup(row->values[2]);
    return 0;
}

static int knex_lock_row(void *ctx, const DbRow *row)
{
    KnexCtx *kc = ctx;
    kc->locked = kc->locked || ot_truthy(row->values[0]);
    return 0;
}

int ot_read_knex(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                 DbError *err)
{
    KnexCtx kc = { tool, NULL, false };
    int rc = ot_query(c, cat, t, "othertools: knex history",
                      "SELECT {id}, {name}, {batch}, {migration_time:t} FROM {T} ORDER BY {id}",
                      NULL, knex_row, &kc, err);
    /* `knex migrate:currentVersion`: the greatest version prefix applied. */
    const char *best = NULL;
    for (size_t i = 0; rc == 0 && i < tool->count; i++)
        if (!best || othertools_vercmp(tool->history[i].version, best) > 0)
            best = tool->history[i].version;
    if (best)
        ot_current_add(tool, best);
    if (rc == 0 && kc.batch)
        tool->detail = xasprintf("last batch %s", kc.batch);
    const OtTable *lock = ot_sibling(cat, t->schema, "knex_migrations_lock");
    if (rc == 0 && lock && ot_column(lock, "is_locked")) {
        rc = ot_query(c, cat, lock, "othertools: knex lock", "SELECT {is_locked} FROM {T}",
                      NULL, knex_lock_row, &kc, err);
        if (rc == 0 && kc.locked)
            ot_problem(tool, "locked", NULL,
                       "%s.%s says a Knex migration is running (is_locked = 1); if none is, "
                       "run `knex migrate:unlock`", lock->schema, lock->name);
    }
    free(kc.batch);
    return rc;
}

/* ---- Prisma: _prisma_migrations ------------------------------------- */

static int prisma_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    const char *id = row->values[0] ? row->values[0] : "";
    OtherMigration *m = ot_add(tool);
    ot_split_id(id, &m->version, &m->name);
    if (row->values[3]) {
        m->state = OTHER_ROLLED_BACK;
        m->applied_at = ot_time(row->values[2] ? row->values[2] : row->values[1]);
    } else if (row->values[2]) {
        m->state = OTHER_APPLIED;
        m->applied_at = ot_time(row->values[2]);
    } else {
        m->state = OTHER_FAILED;
        m->applied_at = ot_time(row->values[1]);
        char *log = ot_first_line(row->values[4], 160);
        ot_problem(tool, "failed", m->version,
                   "Prisma migration %s failed (started %s, recorded in %s.%s) and blocks "
                   "`prisma migrate deploy`: fix the database, then run `prisma migrate "
                   "resolve --rolled-back %s` (or `--applied %s` if it was finished by hand)"
                   "%s%s", id, m->applied_at ? m->applied_at : "?", tool->schema, tool->table,
                   id, id, log && *log ? "; log: " : "", log && *log ? log : "");
        free(log);
    }
    return 0;
}

int ot_read_prisma(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                   DbError *err)
{
    if (ot_query(c, cat, t, "othertools: prisma history",
                 "SELECT {migration_name}, {started_at:t}, {finished_at:t}, {rolled_back_at:t}, "
                 "{logs} FROM {T} ORDER BY {started_at}, {migration_name}", NULL, prisma_row,
                 tool, err) != 0)
        return -1;
    const char *best = NULL;
    for (size_t i = 0; i < tool->count; i++) {
        const OtherMigration *m = &tool->history[i];
        if (m->state == OTHER_APPLIED && (!best || othertools_vercmp(m->version, best) > 0))
            best = m->version;
    }
    if (best)
        ot_current_add(tool, best);
    return 0;
}

/* ---- Liquibase: databasechangelog ----------------------------------- */

static int liquibase_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    OtherMigration *m = ot_add(tool);
    m->version = xstrdup(row->values[0] ? row->values[0] : "");
    m->name = nonempty(row->values[6]);
    m->applied_at = ot_time(row->values[3]);
    const char *type = row->values[5] ? row->values[5] : "";
    m->state = strcasecmp(type, "FAILED") == 0 ? OTHER_FAILED : OTHER_APPLIED;
    if (m->state == OTHER_FAILED)
        ot_problem(tool, "failed", m->version,
                   "Liquibase changeset %s::%s::%s is recorded FAILED in %s.%s; fix its cause "
                   "and run `liquibase update` again", m->version,
                   row->values[1] ? row->values[1] : "", row->values[2] ? row->values[2] : "",
                   tool->schema, tool->table);
    return 0;
}

static int liquibase_lock_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    if (ot_truthy(row->values[0]))
        ot_problem(tool, "locked", NULL,
                   "Liquibase's lock beside %s.%s is held by %s since %s; if no update is "
                   "running, run `liquibase release-locks`", tool->schema, tool->table,
                   row->values[1] ? row->values[1] : "(unknown)",
                   row->values[2] ? row->values[2] : "(unknown)");
    return 0;
}

int ot_read_liquibase(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                      DbError *err)
{
    if (ot_query(c, cat, t, "othertools: liquibase history",
                 "SELECT {id}, {author}, {filename}, {dateexecuted:t}, {orderexecuted}, "
                 "{exectype}, {description} FROM {T} ORDER BY {dateexecuted}, {orderexecuted}",
                 NULL, liquibase_row, tool, err) != 0)
        return -1;
    for (size_t i = tool->count; i-- > 0;)
        if (tool->history[i].state == OTHER_APPLIED) {
            ot_current_add(tool, tool->history[i].version);
            break;
        }
    static const char *const lock_cols[] = { "locked", "lockedby", "lockgranted", NULL };
    const OtTable *lock = ot_sibling(cat, t->schema, "databasechangeloglock");
    if (!lock || !ot_has_columns(lock, lock_cols))
        return 0;
    return ot_query(c, cat, lock, "othertools: liquibase lock",
                    "SELECT {locked}, {lockedby}, {lockgranted:t} FROM {T}", NULL,
                    liquibase_lock_row, tool, err);
}

/* ---- Atlas: atlas_schema_revisions ---------------------------------- */

enum { ATLAS_RESOLVED = 4 };   /* RevisionTypeResolved: fixed by hand */

static int atlas_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    const char *v = row->values[0];
    if (!v || v[0] == '.')   /* ".atlas_cloud_identifiers": not a migration */
        return 0;
    OtherMigration *m = ot_add(tool);
    m->version = xstrdup(v);
    m->name = nonempty(row->values[1]);
    m->applied_at = ot_time(row->values[5]);
    long long type = row->values[2] ? atoll(row->values[2]) : 0;
    long long applied = row->values[3] ? atoll(row->values[3]) : 0;
    long long total = row->values[4] ? atoll(row->values[4]) : 0;
    const char *error = row->values[6];
    bool failed = !(type & ATLAS_RESOLVED) && ((error && *error) || applied < total);
    m->state = failed ? OTHER_FAILED : OTHER_APPLIED;
    if (failed) {
        char *line = ot_first_line(error, 160);
        ot_problem(tool, "failed", v,
                   "Atlas migration %s stopped after %lld of %lld statements (%s.%s)%s%s; fix "
                   "the cause and run `atlas migrate apply` again (it resumes at the failed "
                   "statement), or record it by hand with `atlas migrate set`", v, applied,
                   total, tool->schema, tool->table, line && *line ? ": " : "",
                   line && *line ? line : "");
        free(line);
    }
    return 0;
}

int ot_read_atlas(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                  DbError *err)
{
    if (ot_query(c, cat, t, "othertools: atlas revisions",
                 "SELECT {version}, {description}, {type}, {applied}, {total}, "
                 "{executed_at:t}, {error} FROM {T}", NULL, atlas_row, tool, err) != 0)
        return -1;
    /* Atlas reads revisions in version order; the last one is current
     * (a partly applied one too: `atlas migrate status` says so). */
    ot_history_sort_by_version(tool);
    if (tool->count)
        ot_current_add(tool, tool->history[tool->count - 1].version);
    return 0;
}

/* ---- sqitch: the registry's changes, projects and events ------------ */

static int sqitch_row(void *ctx, const DbRow *row)
{
    OtherTool *tool = ctx;
    bool failed = row->values[0] && strcmp(row->values[0], "fail") == 0;
    OtherMigration *m = ot_add(tool);
    m->version = xstrdup(row->values[2] ? row->values[2] : "");
    m->group = xstrdup(row->values[3] ? row->values[3] : "");
    m->name = nonempty(row->values[4]);
    m->applied_at = ot_time(row->values[5]);
    m->state = failed ? OTHER_FAILED : OTHER_APPLIED;
    if (failed)
        ot_problem(tool, "failed", m->version,
                   "sqitch change %s:%s failed to deploy at %s (events in %s); fix its deploy "
                   "script and run `sqitch deploy` again", m->group, m->version,
                   m->applied_at ? m->applied_at : "?", tool->schema);
    return 0;
}

int ot_read_sqitch(DbConn *c, const OtCatalog *cat, const OtTable *t, OtherTool *tool,
                   DbError *err)
{
    /* Deployed changes, and changes whose latest event is a failed deploy
     * (sqitch reverts those, so they are not in changes). */
    if (ot_query(c, cat, t, "othertools: sqitch changes",
                 "SELECT 'deploy', {change_id}, {change}, {project}, {note}, "
                 "{committed_at:t}, {committed_at} FROM {T} "
                 "UNION ALL "
                 "SELECT 'fail', {change_id}, {change}, {project}, {note}, "
                 "{committed_at:t}, {committed_at} FROM {@events} AS e "
                 "WHERE e.event = 'fail' AND e.committed_at = (SELECT max(x.committed_at) "
                 "FROM {@events} AS x WHERE x.change_id = e.change_id) "
                 "AND NOT EXISTS (SELECT 1 FROM {T} AS d WHERE d.change_id = e.change_id) "
                 "ORDER BY 7, 2", NULL, sqitch_row, tool, err) != 0)
        return -1;
    /* Per project, the change deployed last: "project:change" as sqitch
     * writes a change of another project. */
    for (size_t i = tool->count; i-- > 0;) {
        const OtherMigration *m = &tool->history[i];
        if (m->state != OTHER_APPLIED)
            continue;
        bool seen = false;
        for (size_t k = i + 1; k < tool->count && !seen; k++)
            seen = tool->history[k].state == OTHER_APPLIED &&
                   strcmp(tool->history[k].group, m->group) == 0;
        if (!seen) {
            char *q = xasprintf("%s:%s", m->group, m->version);
            ot_current_add(tool, q);
            free(q);
        }
    }
    ot_current_sort(tool);
    return 0;
}
