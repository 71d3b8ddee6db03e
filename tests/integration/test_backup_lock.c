/* test_backup_lock.c: a restore (the console's restore job) holds the run
 * lock from its check to its end, on a real database (argv[1]:
 * sqlite|postgres): while another run holds the lock it waits, then fails
 * naming the holder, with nothing changed and no backup taken; once the
 * lock is free it restores; while it restores, no other run gets the lock. */
#include "action.h"
#include "backup.h"
#include "itest.h"
#include "job.h"
#include "migrate.h"
#include "runlock.h"
#include "test.h"

#include <dirent.h>
#include <time.h>

static DbEngine engine;

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void nap(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static long query_long(DbConn *c, const char *sql)
{
    char *v = NULL;
    DbError err = DB_ERROR_INIT;
    if (db_query_value(c, "t", sql, NULL, &v, &err) != 0) {
        fprintf(stderr, "query failed: %s: %s\n", sql, err.message);
        db_error_clear(&err);
        return -1;
    }
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

static void exec_ok(DbConn *c, const char *sql)
{
    DbError err = DB_ERROR_INIT;
    if (db_exec_script(c, "t", sql, NULL, &err) != 0) {
        fprintf(stderr, "exec failed: %s: %s\n", sql, err.message);
        db_error_clear(&err);
        CHECK(!"exec failed");
    }
}

/* Files in dir (hidden ones too); 0 when it is missing. */
static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(d);
    return n;
}

typedef struct Outcome {
    JobOutcome outcome;
    DbError    err;
    int        backups;   /* JOB_BACKUP events */
    long       ms;        /* from start to JOB_FINISHED */
} Outcome;

/* Polls j until it finishes (at most 60 s); calls during(ctx) once after
 * the first JOB_PROGRESS that says "restoring" when during is not NULL. */
static void finish(Job *j, Outcome *o, void (*during)(void *), void *ctx)
{
    long t0 = now_ms();
    memset(o, 0, sizeof *o);
    o->outcome = JOB_FAILED;
    bool called = false;
    while (now_ms() - t0 < 60000) {
        JobEvent ev;
        if (!job_poll(j, &ev)) {
            nap(10);
            continue;
        }
        if (ev.kind == JOB_BACKUP)
            o->backups++;
        if (ev.kind == JOB_PROGRESS && during && !called && strstr(ev.text, "restoring")) {
            called = true;
            during(ctx);
        }
        bool done = ev.kind == JOB_FINISHED;
        if (done) {
            o->outcome = ev.outcome;
            db_error_move(&o->err, &ev.err);
            o->ms = now_ms() - t0;
        }
        job_event_clear(&ev);
        if (done)
            return;
    }
    CHECK(!"the job never finished");
}

/* The console's restore: the restore action, planned on a session whose
 * [backup] dir is folder, run as a job; a backup first when folder. */
static int restore_job(Job **j, Session *s, const char *url, const char *file,
                       const char *folder)
{
    static int n;
    char *ini = xasprintf("bk_lock_%d_%s.ini", n++, engine == DB_ENGINE_POSTGRES ? "pg" : "sq");
    FILE *f = fopen(ini, "w");
    fprintf(f, "[backup]\ndir = %s\n", folder ? folder : "bk_lock_unused");
    fclose(f);
    SessionOptions o = { .config_path = ini, .db_url = url };
    DbError err = DB_ERROR_INIT;
    ActionPlan p;
    int rc = -1;
    if (session_init(s, &o, &err) == 0 && session_connect(s, false, &err) == 0 &&
        action_plan(s, s->conn, &action_restore, file, false, &p, &err) == 0)
        rc = job_start_action(j, s, &p, folder != NULL, "restore", &err);
    if (rc != 0)
        fprintf(stderr, "restore job: %s\n", err.message);
    db_error_clear(&err);
    free(ini);
    return rc;
}

static void test_restore_waits_for_the_lock(void)
{
    char *url = itest_url(engine, "bk_lock");
    DbConn *c = itest_open(url);
    exec_ok(c, "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL);"
               "INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three');");
    char *folder = itest_fresh_dir("bk_lock", "backups", engine);
    char *before = itest_fresh_dir("bk_lock", "before", engine);
    DbError err = DB_ERROR_INIT;
    BackupInfo b;
    CHECK(backup_create(c, folder, NULL, &b, &err) == 0);
    exec_ok(c, "UPDATE items SET label = 'changed'; CREATE TABLE later (x integer);");

    /* another run holds the lock, on a connection of its own */
    DbConn *other = itest_open(url);
    RunLock *held = NULL;
    CHECK(runlock_acquire(other, "migrations", "dbwarden up (the holder)", 0, &held, &err) == 0);
    long holder_pid = engine == DB_ENGINE_POSTGRES ? query_long(other, "SELECT pg_backend_pid()")
                                                   : (long)getpid();
    Job *j = NULL;
    Session s;
    CHECK(restore_job(&j, &s, url, b.path, before) == 0);
    Outcome o;
    finish(j, &o, NULL, NULL);
    job_free(j);
    session_free(&s);
    CHECK(o.outcome == JOB_FAILED);
    CHECK(o.err.kind == DB_ERR_BUSY);
    CHECK_CONTAINS(o.err.message, "nothing was changed");
    CHECK_CONTAINS(o.err.message, "holds the lock");
    char *pid = xasprintf("pid %ld", holder_pid);
    CHECK_CONTAINS(o.err.message, pid);
    free(pid);
    if (engine == DB_ENGINE_SQLITE)
        CHECK_CONTAINS(o.err.message, "dbwarden up (the holder)");
    if (o.err.message)
        fprintf(stderr, "  (expected) %s\n", o.err.message);
    CHECK(o.ms >= DB_LOCK_WAIT_MS - 500);   /* it waited */
    db_error_clear(&o.err);
    /* nothing changed, no backup taken */
    CHECK(o.backups == 0);
    CHECK(count_files(before) == 0);
    CHECK(query_long(c, "SELECT count(*) FROM items WHERE label = 'changed'") == 3);
    CHECK(itest_table_exists(c, "later"));

    /* free again: the restore goes through */
    runlock_release(held);
    CHECK(restore_job(&j, &s, url, b.path, before) == 0);
    finish(j, &o, NULL, NULL);
    job_free(j);
    session_free(&s);
    CHECK(o.outcome == JOB_OK);
    if (o.err.message)
        fprintf(stderr, "restore: %s\n", o.err.message);
    db_error_clear(&o.err);
    CHECK(o.backups == 1);
    CHECK(query_long(c, "SELECT count(*) FROM items WHERE label = 'changed'") == 0);
    CHECK(query_long(c, "SELECT count(*) FROM items") == 3);
    CHECK(!itest_table_exists(c, "later"));
    backup_info_free(&b);
    db_close(other);
    db_close(c);
    free(before);
    free(folder);
    free(url);
}

/* ---- PostgreSQL: nobody gets the lock while the restore runs ---- */

typedef struct Probe {
    DbConn *other;
    int     got;      /* 1: the lock was free during the restore */
} Probe;

static void probe_lock(void *p)
{
    Probe *pr = p;
    RunLock *l = NULL;
    DbError err = DB_ERROR_INIT;
    nap(300); /* inside the slowed pg_restore */
    pr->got = runlock_acquire(pr->other, "migrations", "probe", 0, &l, &err) == 0;
    runlock_release(l);
    db_error_clear(&err);
}

static void test_pg_lock_held_while_restoring(void)
{
    char *url = itest_url(engine, "bk_lock_held");
    DbConn *c = itest_open(url);
    exec_ok(c, "CREATE TABLE items (id integer PRIMARY KEY);"
               "INSERT INTO items VALUES (1), (2);");
    char *folder = itest_fresh_dir("bk_lock", "held", engine);
    DbError err = DB_ERROR_INIT;
    BackupInfo b;
    CHECK(backup_create(c, folder, NULL, &b, &err) == 0);
    exec_ok(c, "DELETE FROM items;");
    /* a pg_restore that takes a second longer */
    char *real = NULL;
    int major = 0;
    CHECK(backup_find_tool("pg_restore", 0, NULL, &real, &major, &err) == 0);
    char *dir = itest_fresh_dir("bk_lock", "tools", engine);
    char cwd[1024];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    char *script = xasprintf("#!/bin/sh\n"
                             "case \"$1\" in --version|--list) exec '%s' \"$@\";; esac\n"
                             "sleep 1\nexec '%s' \"$@\"\n", real, real);
    itest_write_file(dir, "pg_restore", script);
    char *wrapper = xasprintf("%s/pg_restore", dir);
    chmod(wrapper, 0755);
    const char *slash = strrchr(real, '/');
    char *path = xasprintf("%s/%s:%.*s", cwd, dir, (int)(slash - real), real);
    setenv(BACKUP_PATH_ENV, path, 1);
    Probe pr = { itest_open(url), -1 };
    Job *j = NULL;
    Session s;
    CHECK(restore_job(&j, &s, url, b.path, NULL) == 0);
    Outcome o;
    finish(j, &o, probe_lock, &pr);
    job_free(j);
    session_free(&s);
    unsetenv(BACKUP_PATH_ENV);
    CHECK(o.outcome == JOB_OK);
    if (o.err.message)
        fprintf(stderr, "restore: %s\n", o.err.message);
    db_error_clear(&o.err);
    CHECK(pr.got == 0);
    CHECK(query_long(c, "SELECT count(*) FROM items") == 2);
    db_close(pr.other);
    backup_info_free(&b);
    free(path);
    free(wrapper);
    free(script);
    free(dir);
    free(real);
    free(folder);
    db_close(c);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_restore_waits_for_the_lock);
    if (engine == DB_ENGINE_POSTGRES)
        RUN(test_pg_lock_held_while_restoring);
    return test_report();
}
