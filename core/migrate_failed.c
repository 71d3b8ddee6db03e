/* migrate_failed.c: the record of migrations that failed half way (see
 * migrate.h and migrate_internal.h). */
#include "migrate_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *create_sql(DbEngine e)
{
    return e == DB_ENGINE_POSTGRES
        ? "CREATE TABLE IF NOT EXISTS " MIGRATE_FAILURES_TABLE " (\n"
          "  version   text PRIMARY KEY,\n"
          "  name      text NOT NULL,\n"
          "  line      integer NOT NULL,\n"
          "  error     text NOT NULL,\n"
          "  failed_at timestamptz NOT NULL DEFAULT now(),\n"
          "  failed_by text NOT NULL)"
        : "CREATE TABLE IF NOT EXISTS " MIGRATE_FAILURES_TABLE " (\n"
          "  version   TEXT PRIMARY KEY,\n"
          "  name      TEXT NOT NULL,\n"
          "  line      INTEGER NOT NULL,\n"
          "  error     TEXT NOT NULL,\n"
          "  failed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),\n"
          "  failed_by TEXT NOT NULL)";
}

const char *const migrate_clear_failure_sql =
    "DELETE FROM " MIGRATE_FAILURES_TABLE " WHERE version = $1";

typedef struct Rows {
    MigFailure *v;
    size_t      n, cap;
} Rows;

static int collect(void *ctx, const DbRow *row)
{
    Rows *r = ctx;
    r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
    MigFailure *f = &r->v[r->n++];
    const char *const *v = row->values;
    f->version = xstrdup(v[0] ? v[0] : "");
    f->name = xstrdup(v[1] ? v[1] : "");
    f->line = v[2] ? atoi(v[2]) : 0;
    f->error = xstrdup(v[3] ? v[3] : "");
    f->failed_at = xstrdup(v[4] ? v[4] : "");
    f->failed_by = xstrdup(v[5] ? v[5] : "");
    return 0;
}

int migrate_read_failures(DbConn *c, MigFailure **out, size_t *count, DbError *err)
{
    *out = NULL;
    *count = 0;
    bool failures = false, versions = false;
    if (db_table_exists(c, MIGRATE_FAILURES_TABLE, &failures, err) != 0 ||
        (failures && db_table_exists(c, MIGRATE_TABLE, &versions, err) != 0))
        return -1;
    if (!failures)
        return 0;
    StrBuf sql = STRBUF_INIT;
    sb_appendf(&sql, "/* migrations: failed half way */ SELECT f.version, f.name, f.line, "
               "f.error, %s, f.failed_by FROM " MIGRATE_FAILURES_TABLE " f",
               db_engine(c) == DB_ENGINE_POSTGRES
                   ? "to_char(f.failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
                   : "f.failed_at");
    if (versions)
        sb_append(&sql, " WHERE NOT EXISTS (SELECT 1 FROM " MIGRATE_TABLE
                        " m WHERE m.version = f.version)");
    sb_append(&sql, " ORDER BY f.version");
    Rows r = { NULL, 0, 0 };
    int rc = db_query(c, "migrations: failed half way", sb_str(&sql), NULL, collect, &r, err);
    sb_free(&sql);
    if (rc != 0) {
        migrate_failures_free(r.v, r.n);
        return -1;
    }
    *out = r.v;
    *count = r.n;
    return 0;
}

void migrate_failures_free(MigFailure *f, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(f[i].version);
        free(f[i].name);
        free(f[i].error);
        free(f[i].failed_at);
        free(f[i].failed_by);
    }
    free(f);
}

int migrate_record_failure(DbConn *c, const char *version, const char *name, int line,
                           const char *error, const char *who, DbError *err)
{
    char ln[16];
    snprintf(ln, sizeof ln, "%d", line);
    const char *vals[5] = { version, name, ln, error, who };
    DbParams p = { 5, vals }, one = { 1, vals };
    if (db_exec(c, "migrations: create failures table", create_sql(db_engine(c)), NULL,
                err) != 0 ||
        db_begin(c, true, err) != 0)
        return -1;
    if (db_exec(c, "migrations: record failure", migrate_clear_failure_sql, &one, err) != 0 ||
        db_exec(c, "migrations: record failure",
                "INSERT INTO " MIGRATE_FAILURES_TABLE " (version, name, line, error, failed_by) "
                "VALUES ($1, $2, CAST($3 AS integer), $4, $5)", &p, err) != 0 ||
        db_commit(c, err) != 0) {
        db_rollback(c);
        return -1;
    }
    return 0;
}

int migrate_clear_failure(DbConn *c, const char *version, DbError *err)
{
    bool exists = false;
    if (db_table_exists(c, MIGRATE_FAILURES_TABLE, &exists, err) != 0)
        return -1;
    if (!exists)
        return 0;
    const char *vals[1] = { version };
    DbParams p = { 1, vals };
    return db_exec(c, "migrations: clear failure", migrate_clear_failure_sql, &p, err);
}

void migrate_failed_error(DbError *err, const char *version, const char *name,
                          const char *path, int line)
{
    char *where = path ? xstrdup(path) : NULL;
    char *ver = xstrdup(version), *shown = xstrdup(name);
    char *what = where ? xasprintf("%s:%d: migration %s", where, line, ver)
                       : xasprintf("migration %s %s (line %d)", ver, shown, line);
    db_error_set(err, DB_ERR_SQL,
                 "%s failed half way and is recorded as failed: the statements before "
                 "line %d stay applied, and no migration runs until it is fixed; finish it "
                 "by hand, then run 'dbwarden stamp %s' to record it as applied",
                 what, line, ver);
    free(what);
    free(shown);
    free(ver);
    free(where);
}
