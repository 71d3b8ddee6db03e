/* seed_fixture.h: what the seed tests share: a session on a fresh database
 * with the reference schema, actions run to the end, counts.
 * Included by tests/integration/test_seed*.c only. */
#ifndef DBW_SEED_FIXTURE_H
#define DBW_SEED_FIXTURE_H

#include "action.h"
#include "itest.h"
#include "migrate.h"
#include "seed.h"
#include "session.h"
#include "test.h"

static DbEngine engine;

static inline const char *ref_migrations(DbEngine e)
{
    static char path[4096];
    const char *src = getenv("DBW_SRC");
    snprintf(path, sizeof path, "%s/migrations/%s", src ? src : ".",
             e == DB_ENGINE_POSTGRES ? "postgres" : "sqlite");
    return path;
}

/* PostgreSQL: the test role may set session_replication_role (as ops
 * would grant it for seeding); a no-op elsewhere. */
static inline void grant_replica(void)
{
    if (engine != DB_ENGINE_POSTGRES)
        return;
    DbConn *admin = NULL;
    DbError err = DB_ERROR_INIT;
    if (db_open(&admin, getenv("DBW_PG_ADMIN"), NULL, &err) != 0 ||
        db_exec(admin, "test", "GRANT SET ON PARAMETER session_replication_role TO app", NULL,
                &err) != 0) {
        fprintf(stderr, "grant: %s\n", err.message);
        exit(1);
    }
    db_close(admin);
}

/* A session on a fresh database "name" with the reference schema (unless
 * bare), configured by extra ini text (whole sections; may be NULL). */
static inline void seed_session(Session *s, const char *name, bool bare, const char *ini_extra,
                         bool read_only)
{
    char *dir = itest_fresh_dir("seed", name, engine);
    char *ini = xasprintf("%s/dbwarden.ini", dir);
    char *text = xasprintf("[database]\nlock_wait = 2s\n[backup]\ndir = %s/backups\n%s", dir,
                           ini_extra ? ini_extra : "");
    itest_write_file(dir, "dbwarden.ini", text);
    char *url = itest_url(engine, name);
    if (!bare) {
        DbConn *c = itest_open(url);
        MigDir md;
        DbError err = DB_ERROR_INIT;
        if (migrate_load_dir(&md, ref_migrations(engine), &err) != 0 ||
            migrate_up(c, &md, NULL, NULL, NULL, &err) != 0) {
            fprintf(stderr, "migrate: %s\n", err.message);
            exit(1);
        }
        migrate_dir_free(&md);
        db_close(c);
    }
    SessionOptions o = { .config_path = ini, .db_url = url, .read_only = read_only };
    DbError err = DB_ERROR_INIT;
    if (session_init(s, &o, &err) != 0 || session_connect(s, true, &err) != 0) {
        fprintf(stderr, "session: %s\n", err.message);
        exit(1);
    }
    free(url);
    free(text);
    free(ini);
    free(dir);
}

static inline long long count_of(DbConn *c, const char *sql)
{
    DbError err = DB_ERROR_INIT;
    char *v = NULL;
    if (db_query_value(c, "test", sql, NULL, &v, &err) != 0) {
        fprintf(stderr, "%s: %s\n", sql, err.message);
        db_error_clear(&err);
        test_failures++;
        return -1;
    }
    long long n = v ? atoll(v) : -1;
    free(v);
    return n;
}

static inline void exec_ok(DbConn *c, const char *sql)
{
    DbError err = DB_ERROR_INIT;
    if (db_exec(c, "test", sql, NULL, &err) != 0) {
        fprintf(stderr, "%s: %s\n", sql, err.message);
        db_error_clear(&err);
        test_failures++;
    }
}

typedef struct Events {
    int progress;
    int cancel_after;      /* > 0: cancelled from this progress event on */
    char *last;
} Events;

static inline void on_progress(void *ctx, size_t i, size_t n, const char *what)
{
    (void)i;
    (void)n;
    Events *e = ctx;
    e->progress++;
    free(e->last);
    e->last = xstrdup(what);
}

static inline bool on_cancelled(void *ctx)
{
    Events *e = ctx;
    return e->cancel_after > 0 && e->progress >= e->cancel_after;
}

/* Plans and executes action name with arg; returns 0 or -1 with *err set;
 * *outcome (may be NULL) gets what it says. */
static inline int act(Session *s, const char *name, const char *arg, Events *e, char **outcome,
               DbError *err)
{
    ActionPlan p;
    Events local = { 0, 0, NULL };
    Events *ev_ctx = e ? e : &local;
    ActionEvents ev = { on_progress, NULL, NULL, NULL, on_cancelled, NULL, ev_ctx };
    char *out = NULL, *bpath = NULL;
    int rc = action_plan(s, s->conn, action_find(name), arg, false, &p, err);
    if (rc == 0)
        rc = action_execute(s, s->conn, &p, true, &ev, &out, &bpath, err);
    action_plan_free(&p);
    if (outcome)
        *outcome = out;
    else
        free(out);
    free(bpath);
    free(local.last);
    return rc;
}

#endif
