/* test_action.c: the action table and its one guard, on a real database:
 * every row is complete and found by name; read-only refuses every row
 * that writes, before planning; a production database asks for its name;
 * the backup is taken under the lock before a destructive row runs, and
 * can be turned off; a plan made stale by another run is refused under
 * the lock with nothing done and no backup; a held run lock makes the
 * action wait and name its holder; a restore brings the data back.
 *   test_action sqlite|postgres */
#include "action.h"
#include "backup.h"
#include "itest.h"
#include "migrate.h"
#include "runlock.h"
#include "session.h"
#include "test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static DbEngine engine;

typedef struct Seen {
    int steps, backups, progress;
    char *backup;
} Seen;

static void ev_step(void *ctx, const ActionStep *s)
{
    (void)s;
    ((Seen *)ctx)->steps++;
}

static void ev_backup(void *ctx, const char *path, long long bytes, long ms)
{
    (void)bytes;
    (void)ms;
    Seen *k = ctx;
    k->backups++;
    free(k->backup);
    k->backup = xstrdup(path);
}

static void ev_progress(void *ctx, size_t i, size_t n, const char *what)
{
    (void)i;
    (void)n;
    (void)what;
    ((Seen *)ctx)->progress++;
}

/* A session on a fresh database with a folder of three migrations. */
static void session_for(Session *s, const char *name, const char *dir, bool read_only,
                        const char *environment)
{
    char *ini = xasprintf("%s/dbwarden.ini", dir);
    char *text = xasprintf("[database]\nenvironment = %s\nlock_wait = 1s\n[backup]\ndir = %s/backups\n",
                           environment, dir);
    FILE *f = fopen(ini, "w");
    fputs(text, f);
    fclose(f);
    char *url = itest_url(engine, name);
    SessionOptions o = { .config_path = ini, .db_url = url, .migrations_dir = dir,
                         .read_only = read_only };
    DbError err = DB_ERROR_INIT;
    CHECK(session_init(s, &o, &err) == 0);
    CHECK(session_load_migrations(s, &err) == 0);
    if (!read_only)
        CHECK(session_connect(s, true, &err) == 0);
    db_error_clear(&err);
    free(url);
    free(text);
    free(ini);
}

static char *migrations_dir(const char *name)
{
    char *d = itest_fresh_dir("act", name, engine);
    itest_write_file(d, "0001_a.sql", "-- migrate:up\nCREATE TABLE a (id integer);\n"
                     "INSERT INTO a VALUES (1);\n-- migrate:down\nDROP TABLE a;\n");
    itest_write_file(d, "0002_b.sql", "-- migrate:up\nCREATE TABLE b (id integer);\n"
                     "-- migrate:down\nDROP TABLE b;\n");
    itest_write_file(d, "0003_c.sql", "-- migrate:up\nCREATE TABLE c (id integer);\n"
                     "-- migrate:down\nDROP TABLE c;\n");
    return d;
}

static size_t count_backups(const char *dir)
{
    char *b = xasprintf("%s/backups", dir);
    BackupList l;
    DbError err = DB_ERROR_INIT;
    size_t n = backup_list(b, NULL, &l, &err) == 0 ? l.count : 0;
    backup_list_free(&l);
    db_error_clear(&err);
    free(b);
    return n;
}

static void test_every_row_is_whole(void)
{
    size_t n = 0;
    for (const Action *const *a = action_table; *a; a++, n++) {
        CHECK((*a)->name && (*a)->help && (*a)->plan && (*a)->run);
        CHECK(action_find((*a)->name) == *a);
        /* a destructive row writes; what writes holds the run lock */
        if ((*a)->flags & ACTION_DESTRUCTIVE)
            CHECK((*a)->flags & ACTION_WRITES);
        if ((*a)->flags & ACTION_WRITES)
            CHECK((*a)->flags & ACTION_RUN_LOCK);
    }
    CHECK(n >= 5);
    CHECK(action_find("nosuch") == NULL);
}

static void test_read_only_refuses_before_planning(void)
{
    char *d = migrations_dir("ro");
    Session s;
    session_for(&s, "act_ro", d, true, "development");
    DbError err = DB_ERROR_INIT;
    for (const Action *const *a = action_table; *a; a++) {
        if (!((*a)->flags & ACTION_WRITES))
            continue;
        ActionPlan p;
        CHECK(action_plan(&s, NULL, *a, NULL, false, &p, &err) == -1);   /* no connection needed */
        CHECK(err.kind == DB_ERR_USAGE);
        CHECK_CONTAINS(err.message, "--read-only");
        db_error_clear(&err);
        action_plan_free(&p);
    }
    session_free(&s);
    free(d);
}

static void test_guard_in_order(void)
{
    char *d = migrations_dir("guard");
    Session s;
    session_for(&s, "act_guard", d, false, "production");
    DbError err = DB_ERROR_INIT;
    ActionPlan p;
    Seen seen = { 0, 0, 0, NULL };
    ActionEvents ev = { ev_progress, ev_step, NULL, ev_backup, NULL, NULL, &seen };
    char *outcome = NULL, *bpath = NULL;
    /* up: not destructive, no backup; on production its name is typed */
    CHECK(action_plan(&s, s.conn, &action_up, NULL, false, &p, &err) == 0);
    CHECK(p.count == 3 && p.nitems == 3 && p.what && strstr(p.what, "CREATE TABLE a"));
    CHECK_STR(action_confirm_word(&s, s.conn, &p), db_name(s.conn));
    CHECK(action_execute(&s, s.conn, &p, true, &ev, &outcome, &bpath, &err) == 0);
    CHECK(seen.steps == 3 && seen.backups == 0 && seen.progress == 3);
    CHECK_CONTAINS(outcome, "applied 3 migrations");
    free(outcome);
    action_plan_free(&p);
    /* down on production: its name must be typed; the backup comes first */
    CHECK(action_plan(&s, s.conn, &action_down, NULL, false, &p, &err) == 0);
    CHECK_STR(action_confirm_word(&s, s.conn, &p), db_name(s.conn));
    CHECK(!action_confirm_ok(&s, s.conn, &p, "yes"));
    CHECK(action_confirm_ok(&s, s.conn, &p, db_name(s.conn)));
    CHECK(action_preflight(&s, s.conn, &p, true, &err) == 0);
    CHECK(action_execute(&s, s.conn, &p, true, &ev, &outcome, &bpath, &err) == 0);
    CHECK(seen.backups == 1 && bpath && count_backups(d) == 1);
    CHECK_CONTAINS(outcome, "rolled back");
    CHECK(!itest_table_exists(s.conn, "c"));
    free(outcome);
    free(bpath);
    action_plan_free(&p);
    /* down again with the backup turned off for the run */
    CHECK(action_plan(&s, s.conn, &action_down, NULL, false, &p, &err) == 0);
    CHECK(action_execute(&s, s.conn, &p, false, &ev, &outcome, &bpath, &err) == 0);
    CHECK(seen.backups == 1 && bpath == NULL && count_backups(d) == 1);
    free(outcome);
    action_plan_free(&p);
    /* a stale plan: confirmed at 0001, another run applies 0002 meanwhile */
    CHECK(action_plan(&s, s.conn, &action_down, NULL, false, &p, &err) == 0);
    DbConn *other = NULL;
    CHECK(session_open(&s, false, &other, &err) == 0);
    const MigDir *dir = session_migrations(&s);
    CHECK(migrate_up(other, dir, "0002", NULL, NULL, &err) == 0);
    CHECK(action_execute(&s, s.conn, &p, true, &ev, &outcome, &bpath, &err) == -1);
    CHECK_STR(err.code, MIGRATE_PLAN_CHANGED);
    CHECK_CONTAINS(err.message, "nothing was done");
    db_error_clear(&err);
    CHECK(seen.backups == 1 && count_backups(d) == 1);   /* refused before the backup */
    CHECK(itest_table_exists(s.conn, "a") && itest_table_exists(s.conn, "b"));
    action_plan_free(&p);
    /* the run lock held elsewhere: the action waits, then names the holder */
    RunLock *held = NULL;
    CHECK(runlock_acquire(other, "migrations", "someone else's run", 0, &held, &err) == 0);
    CHECK(action_plan(&s, s.conn, &action_up, NULL, false, &p, &err) == 0);
    CHECK(action_execute(&s, s.conn, &p, true, &ev, &outcome, &bpath, &err) == -1);
    CHECK(err.kind == DB_ERR_BUSY);
    CHECK_CONTAINS(err.message, "holds the lock");
    db_error_clear(&err);
    CHECK(!itest_table_exists(s.conn, "c"));
    runlock_release(held);
    CHECK(action_execute(&s, s.conn, &p, true, &ev, &outcome, &bpath, &err) == 0);
    free(outcome);
    action_plan_free(&p);
    db_close(other);
    free(seen.backup);
    session_free(&s);
    free(d);
}

static void test_backup_and_restore_rows(void)
{
    char *d = migrations_dir("restore");
    Session s;
    session_for(&s, "act_restore", d, false, "development");
    DbError err = DB_ERROR_INIT;
    const MigDir *dir = session_migrations(&s);
    CHECK(migrate_up(s.conn, dir, NULL, NULL, NULL, &err) == 0);
    ActionPlan p;
    Seen seen = { 0, 0, 0, NULL };
    ActionEvents ev = { ev_progress, ev_step, NULL, ev_backup, NULL, NULL, &seen };
    char *outcome = NULL, *bpath = NULL;
    CHECK(action_plan(&s, s.conn, &action_backup, NULL, false, &p, &err) == 0);
    CHECK(action_confirm_word(&s, s.conn, &p) == NULL);
    CHECK(action_execute(&s, s.conn, &p, true, &ev, &outcome, &bpath, &err) == 0);
    CHECK(seen.backups == 1 && seen.backup);
    char *file = xstrdup(seen.backup);
    free(outcome);
    action_plan_free(&p);
    CHECK(db_exec(s.conn, "t", "DELETE FROM a", NULL, &err) == 0);
    CHECK(db_exec(s.conn, "t", "CREATE TABLE later (x integer)", NULL, &err) == 0);
    CHECK(action_plan(&s, s.conn, &action_restore, file, false, &p, &err) == 0);
    CHECK_STR(action_confirm_word(&s, s.conn, &p), "yes");
    CHECK(action_execute(&s, s.conn, &p, true, &ev, &outcome, &bpath, &err) == 0);
    if (err.message)
        fprintf(stderr, "  restore: %s\n", err.message);
    CHECK(seen.backups == 2 && bpath);   /* the safety backup of the database as it was */
    char *v = NULL;
    CHECK(db_query_value(s.conn, "t", "SELECT count(*) FROM a", NULL, &v, &err) == 0);
    CHECK_STR(v, "1");
    CHECK(!itest_table_exists(s.conn, "later"));
    free(v);
    free(outcome);
    free(bpath);
    action_plan_free(&p);
    /* a file that is not a backup: refused when planned, nothing changed */
    CHECK(action_plan(&s, s.conn, &action_restore, "act_no_such.dump", false, &p, &err) == -1);
    CHECK_CONTAINS(err.message, "nothing was changed");
    db_error_clear(&err);
    action_plan_free(&p);
    free(file);
    free(seen.backup);
    session_free(&s);
    free(d);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_every_row_is_whole);
    RUN(test_read_only_refuses_before_planning);
    RUN(test_guard_in_order);
    RUN(test_backup_and_restore_rows);
    return test_report();
}
