/* integrity_accept.c: acceptances of checks, kept in the database in
 * dbwarden_integrity_accepted (check_id, count, reason, accepted_by,
 * accepted_at): a check accepted at its count shows as accepted until
 * the count changes (see integrity.h). */
#include "integrity.h"
#include "xalloc.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *integrity_actor(void)
{
    const struct passwd *pw = getpwuid(getuid());
    const char *user = pw && pw->pw_name ? pw->pw_name : getenv("USER");
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    return xasprintf("%s@%s", user ? user : "unknown", host[0] ? host : "localhost");
}

static int on_acceptance(void *ctx, const DbRow *row)
{
    IntegrityAccepted *a = ctx;
    a->items = xrealloc(a->items, (a->count + 1) * sizeof *a->items);
    IntegrityAcceptance *x = &a->items[a->count++];
    const char *const *v = row->values;
    x->check_id = xstrdup(v[0] ? v[0] : "");
    x->count = v[1] ? atoll(v[1]) : -1;
    x->reason = xstrdup(v[2] ? v[2] : "");
    x->accepted_by = xstrdup(v[3] ? v[3] : "");
    x->accepted_at = xstrdup(v[4] ? v[4] : "");
    return 0;
}

int integrity_accepted_load(DbConn *c, IntegrityAccepted *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    bool exists = false;
    if (db_table_exists(c, INTEGRITY_ACCEPT_TABLE, &exists, err) != 0)
        return -1;
    if (!exists)
        return 0;
    const char *sql = db_engine(c) == DB_ENGINE_POSTGRES
        ? "/* integrity: acceptances */ SELECT check_id, count, reason, accepted_by, "
          "to_char(accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM "
          INTEGRITY_ACCEPT_TABLE " ORDER BY check_id"
        : "/* integrity: acceptances */ SELECT check_id, count, reason, accepted_by, "
          "accepted_at FROM " INTEGRITY_ACCEPT_TABLE " ORDER BY check_id";
    if (db_query(c, "integrity: acceptances", sql, NULL, on_acceptance, out, err) != 0) {
        integrity_accepted_free(out);
        return -1;
    }
    return 0;
}

void integrity_accepted_free(IntegrityAccepted *a)
{
    for (size_t i = 0; i < a->count; i++) {
        free(a->items[i].check_id);
        free(a->items[i].reason);
        free(a->items[i].accepted_by);
        free(a->items[i].accepted_at);
    }
    free(a->items);
    memset(a, 0, sizeof *a);
}

const IntegrityAcceptance *integrity_accepted_find(const IntegrityAccepted *a, const char *id)
{
    for (size_t i = 0; a && id && i < a->count; i++)
        if (strcmp(a->items[i].check_id, id) == 0)
            return &a->items[i];
    return NULL;
}

static int create_table(DbConn *c, DbError *err)
{
    const char *sql = db_engine(c) == DB_ENGINE_POSTGRES
        ? "/* integrity: acceptance table */ CREATE TABLE IF NOT EXISTS "
          INTEGRITY_ACCEPT_TABLE " (\n"
          "  check_id    text PRIMARY KEY,\n"
          "  count       bigint NOT NULL,\n"
          "  reason      text NOT NULL,\n"
          "  accepted_by text NOT NULL,\n"
          "  accepted_at timestamptz NOT NULL DEFAULT now())"
        : "/* integrity: acceptance table */ CREATE TABLE IF NOT EXISTS "
          INTEGRITY_ACCEPT_TABLE " (\n"
          "  check_id    TEXT PRIMARY KEY,\n"
          "  count       INTEGER NOT NULL,\n"
          "  reason      TEXT NOT NULL,\n"
          "  accepted_by TEXT NOT NULL,\n"
          "  accepted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')))";
    return db_exec(c, "integrity: acceptance table", sql, NULL, err);
}

int integrity_accept(DbConn *c, const char *id, long long count, const char *reason,
                     const char *actor, DbError *err)
{
    if (create_table(c, err) != 0)
        return -1;
    char n[32];
    snprintf(n, sizeof n, "%lld", count);
    char *who = actor ? xstrdup(actor) : integrity_actor();
    const char *vals[4] = { id, n, reason ? reason : "", who };
    DbParams p = { 4, vals };
    const char *sql = db_engine(c) == DB_ENGINE_POSTGRES
        ? "/* integrity: accept */ INSERT INTO " INTEGRITY_ACCEPT_TABLE
          " (check_id, count, reason, accepted_by) VALUES ($1, CAST($2 AS bigint), $3, $4) "
          "ON CONFLICT (check_id) DO UPDATE SET count = excluded.count, reason = "
          "excluded.reason, accepted_by = excluded.accepted_by, accepted_at = now()"
        : "/* integrity: accept */ INSERT INTO " INTEGRITY_ACCEPT_TABLE
          " (check_id, count, reason, accepted_by) VALUES ($1, CAST($2 AS INTEGER), $3, $4) "
          "ON CONFLICT (check_id) DO UPDATE SET count = excluded.count, reason = "
          "excluded.reason, accepted_by = excluded.accepted_by, accepted_at = "
          "strftime('%Y-%m-%d %H:%M:%S', 'now')";
    int rc = db_exec(c, "integrity: accept", sql, &p, err);
    free(who);
    return rc;
}

int integrity_unaccept(DbConn *c, const char *id, bool *removed, DbError *err)
{
    *removed = false;
    bool exists = false;
    if (db_table_exists(c, INTEGRITY_ACCEPT_TABLE, &exists, err) != 0)
        return -1;
    if (!exists)
        return 0;
    const char *vals[1] = { id };
    DbParams p = { 1, vals };
    char *v = NULL;
    int rc = db_query_value(c, "integrity: unaccept",
                            "/* integrity: unaccept */ DELETE FROM " INTEGRITY_ACCEPT_TABLE
                            " WHERE check_id = $1 RETURNING 1", &p, &v, err);
    *removed = v != NULL;
    free(v);
    return rc;
}
