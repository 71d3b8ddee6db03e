/* test_job.c: jobs (core/job.h) against a real database (argv[1]:
 * sqlite|postgres): an action run as a job (job_start_action) delivers its
 * events in order; a down with a backup reports the file; cancel stops a
 * long statement and leaves the database usable; a failing step's message
 * is migrate_run's own; a connection that cannot be opened; an alembic run
 * streams its output, fails on its exit status and can be cancelled, and
 * refuses a plan the database has moved away from, before its backup. */
#include "action.h"
#include "backup.h"
#include "itest.h"
#include "job.h"
#include "runlock.h"
#include "test.h"

#include <sys/stat.h>
#include <time.h>

static DbEngine engine;

typedef struct Events {
    JobEvent *v;
    size_t    n;
} Events;

static void events_free(Events *e)
{
    for (size_t i = 0; i < e->n; i++)
        job_event_clear(&e->v[i]);
    free(e->v);
    e->v = NULL;
    e->n = 0;
}

static void nap(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Polls j as the console does until a JOB_FINISHED event or timeout_ms;
 * stop_at, when >= 0, returns as soon as an event of that kind came. */
static bool collect(Job *j, Events *e, int stop_at, long timeout_ms)
{
    long t0 = now_ms();
    while (now_ms() - t0 < timeout_ms) {
        JobEvent ev;
        bool got = false;
        while (job_poll(j, &ev)) {
            got = true;
            e->v = xrealloc(e->v, (e->n + 1) * sizeof *e->v);
            e->v[e->n++] = ev;
            if (ev.kind == JOB_FINISHED || (int)ev.kind == stop_at)
                return true;
        }
        if (!got)
            nap(10);
    }
    return false;
}

static const JobEvent *last(const Events *e)
{
    return e->n ? &e->v[e->n - 1] : NULL;
}

static const char *ref_dir(void)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/migrations/%s", getenv("DBW_SRC"),
             engine == DB_ENGINE_POSTGRES ? "postgres" : "sqlite");
    return buf;
}

static MigStatus status_of(DbConn *c, const MigDir *dir)
{
    MigStatus st;
    DbError err = DB_ERROR_INIT;
    if (migrate_status(c, dir, &st, &err) != 0) {
        fprintf(stderr, "status: %s\n", err.message);
        exit(1);
    }
    return st;
}

/* A session on url, with dir as its migrations folder (or an Alembic
 * project), and the settings of extra ("[database]\nstatement_timeout =
 * 300ms\n"...), connected. */
static void session_on(Session *s, const char *url, const char *dir, const char *alembic_ini,
                       const char *extra)
{
    static int n;
    char *ini = xasprintf("job_session_%d_%s.ini", n++, engine == DB_ENGINE_POSTGRES ? "pg"
                                                                                    : "sq");
    FILE *f = fopen(ini, "w");
    fputs(extra ? extra : "", f);
    fclose(f);
    SessionOptions o = { .config_path = ini, .db_url = url, .migrations_dir = dir,
                         .alembic_ini = alembic_ini };
    DbError err = DB_ERROR_INIT;
    if (session_init(s, &o, &err) != 0 || session_load_migrations(s, &err) != 0 ||
        session_connect(s, true, &err) != 0) {
        fprintf(stderr, "session: %s\n", err.message);
        exit(1);
    }
    free(ini);
}

/* Plans the action name (arg) on the session's connection and starts it
 * as a job: the console's way. */
static int start_action(Job **j, Session *s, const char *name, const char *arg, bool backup)
{
    ActionPlan p;
    DbError err = DB_ERROR_INIT;
    if (action_plan(s, s->conn, action_find(name), arg, false, &p, &err) != 0) {
        fprintf(stderr, "plan: %s\n", err.message);
        db_error_clear(&err);
        return -1;
    }
    int rc = job_start_action(j, s, &p, backup, name, &err);
    CHECK(p.action == NULL);   /* taken over */
    db_error_clear(&err);
    return rc;
}

/* ---- a plan: events in order ------------------------------------------ */

static void test_plan_events_in_order(void)
{
    char *url = itest_url(engine, "job_plan");
    Session s;
    session_on(&s, url, ref_dir(), NULL, NULL);
    DbConn *c = s.conn;
    const MigDir *dirp = session_migrations(&s);
    const MigDir dir = *dirp;
    size_t n = dir.count;
    Job *j = NULL;
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, -1, 60000));
    CHECK(job_finished(j));
    /* started, then per step progress(i) and log(i), then finished */
    CHECK(e.n == 2 * n + 2);
    CHECK(e.n > 0 && e.v[0].kind == JOB_STARTED);
    for (size_t i = 0; i < n && 2 + 2 * i < e.n; i++) {
        const JobEvent *p = &e.v[1 + 2 * i], *l = &e.v[2 + 2 * i];
        CHECK(p->kind == JOB_PROGRESS && p->index == i && p->total == n);
        CHECK_CONTAINS(p->text, dir.files[i].name);
        CHECK(l->kind == JOB_LOG);
        CHECK_CONTAINS(l->text, "applied ");
        CHECK_CONTAINS(l->text, dir.files[i].version);
    }
    for (size_t i = 1; i < e.n; i++)
        CHECK(e.v[i].elapsed_ms >= e.v[i - 1].elapsed_ms);
    const JobEvent *f = last(&e);
    CHECK(f && f->kind == JOB_FINISHED && f->outcome == JOB_OK);
    CHECK(f && f->err.message == NULL);
    char *want = xasprintf("applied %zu migrations", n);
    CHECK_STR(f ? f->text : NULL, want);
    free(want);
    job_free(j);
    MigStatus st = status_of(c, &dir);
    CHECK(st.applied == n && st.pending == 0);
    migrate_status_free(&st);
    events_free(&e);
    session_free(&s);
    free(url);
}

/* ---- down with a backup first ------------------------------------------ */

static void test_down_with_backup(void)
{
    char *url = itest_url(engine, "job_down");
    char *folder = itest_fresh_dir("job", "backups", engine);
    char *extra = xasprintf("[backup]\ndir = %s\n", folder);
    Session s;
    session_on(&s, url, ref_dir(), NULL, extra);
    free(extra);
    DbConn *c = s.conn;
    const MigDir dir = *session_migrations(&s);
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_up(c, &dir, NULL, NULL, NULL, &err) == 0);
    if (backup_preflight(c, NULL, &err) != 0) {
        fprintf(stderr, "skipped: no backup possible here: %s\n", err.message);
        db_error_clear(&err);
        goto out;
    }
    Job *j = NULL;
    CHECK(start_action(&j, &s, "down", NULL, true) == 0);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, -1, 60000));
    size_t backups = 0, first_progress = 0;
    const char *path = NULL;
    for (size_t i = 0; i < e.n; i++) {
        if (e.v[i].kind == JOB_BACKUP) {
            backups++;
            path = e.v[i].text;
            CHECK(e.v[i].bytes > 0);
            CHECK(first_progress == 0);   /* before any step */
        }
        if (e.v[i].kind == JOB_PROGRESS && !first_progress)
            first_progress = i;
    }
    CHECK(backups == 1);
    struct stat sb;
    CHECK(path && stat(path, &sb) == 0 && sb.st_size > 0);
    CHECK(path && strncmp(path, folder, strlen(folder)) == 0);
    CHECK(last(&e) && last(&e)->outcome == JOB_OK);
    CHECK_STR(last(&e) ? last(&e)->text : NULL, "rolled back 1 migration");
    job_free(j);
    MigStatus st = status_of(c, &dir);
    CHECK(st.pending == 1 && st.applied == dir.count - 1);
    migrate_status_free(&st);
    events_free(&e);
out:
    free(folder);
    session_free(&s);
    free(url);
}

/* ---- cancel a long statement ------------------------------------------- */

static const char *sleep_sql(void)
{
    return engine == DB_ENGINE_POSTGRES
        ? "-- migrate:up\nCREATE TABLE job_t (x int);\nSELECT pg_sleep(60);\n"
          "-- migrate:down\nDROP TABLE job_t;\n"
        : "-- migrate:up\nCREATE TABLE job_t (x int);\n"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1e12)\n"
          "SELECT count(*) FROM n;\n"
          "-- migrate:down\nDROP TABLE job_t;\n";
}

/* PostgreSQL: true once the sleep runs on the server, in this test's own
 * database (other tests sleep on the same server at the same time). */
static bool sleeping(DbConn *c)
{
    if (engine != DB_ENGINE_POSTGRES)
        return true;
    char *v = NULL;
    DbError err = DB_ERROR_INIT;
    db_query_value(c, "test: sleeping", "SELECT count(*) FROM pg_stat_activity WHERE query "
                   "LIKE 'SELECT pg_sleep%' AND state = 'active' "
                   "AND datname = current_database()", NULL, &v, &err);
    db_error_clear(&err);
    bool yes = v && strcmp(v, "0") != 0;
    free(v);
    return yes;
}

/* PostgreSQL: [database] statement_timeout reaches a job's own connection. */
static void test_plan_statement_timeout(void)
{
    if (engine != DB_ENGINE_POSTGRES)
        return;
    char *url = itest_url(engine, "job_timeout");
    char *d = itest_fresh_dir("job", "timeout", engine);
    itest_write_file(d, "0001_slow.sql", "-- migrate:up\nSELECT pg_sleep(5);\n-- migrate:down\nSELECT 1;\n");
    Session s;
    session_on(&s, url, d, NULL, "[database]\nstatement_timeout = 300ms\n");
    Job *j = NULL;
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, -1, 20000));
    const JobEvent *f = last(&e);
    CHECK(f && f->kind == JOB_FINISHED && f->outcome != JOB_OK);
    CHECK_CONTAINS(f ? f->text : NULL, "statement timeout");
    job_free(j);
    events_free(&e);
    session_free(&s);
    free(d);
    free(url);
}

static void test_cancel_long_statement(void)
{
    char *url = itest_url(engine, "job_cancel");
    char *d = itest_fresh_dir("job", "sleep", engine);
    itest_write_file(d, "0001_first.sql", "-- migrate:up\nCREATE TABLE job_a (x int);\n"
                                    "-- migrate:down\nDROP TABLE job_a;\n");
    itest_write_file(d, "0002_sleep.sql", sleep_sql());
    itest_write_file(d, "0003_after.sql", "-- migrate:up\nCREATE TABLE job_b (x int);\n"
                                    "-- migrate:down\nDROP TABLE job_b;\n");
    Session s;
    session_on(&s, url, d, NULL, NULL);
    DbConn *c = s.conn;
    const MigDir dir0 = *session_migrations(&s);
    const MigDir *dirp = &dir0;
    Job *j = NULL;
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    Events e = { NULL, 0 };
    /* wait for the second step to start, and its long statement to run */
    for (int k = 0; k < 2; k++)
        CHECK(collect(j, &e, JOB_PROGRESS, 30000));
    CHECK(last(&e) && last(&e)->kind == JOB_PROGRESS && last(&e)->index == 1);
    long t0 = now_ms();
    while (!sleeping(c) && now_ms() - t0 < 10000)
        nap(20);
    nap(200);
    CHECK(!job_finished(j));
    long asked = now_ms();
    job_cancel(j);
    CHECK(job_cancel_requested(j));
    CHECK(collect(j, &e, -1, 20000));
    long took = now_ms() - asked;
    CHECK(took < 10000);
    const JobEvent *f = last(&e);
    CHECK(f && f->kind == JOB_FINISHED && f->outcome == JOB_CANCELLED);
    CHECK(f && f->err.kind == DB_ERR_CANCELLED);
    CHECK_CONTAINS(f ? f->text : NULL, "0002_sleep.sql:");
    job_free(j);
    /* the step rolled back, the one before stays, the one after never ran */
    MigStatus st = status_of(c, dirp);
    CHECK(st.applied == 1 && st.pending == 2);
    CHECK_STR(st.current, "0001");
    migrate_status_free(&st);
    CHECK(itest_table_exists(c, "job_a"));
    CHECK(!itest_table_exists(c, "job_t"));
    CHECK(!itest_table_exists(c, "job_b"));
    char *holder = runlock_holder(c, "migrations");
    CHECK(holder == NULL);
    free(holder);
    events_free(&e);
    /* the database is usable: a new job on it runs (without the sleep) */
    session_free(&s);
    itest_write_file(d, "0002_sleep.sql", "-- migrate:up\nCREATE TABLE job_t (x int);\n"
                                    "-- migrate:down\nDROP TABLE job_t;\n");
    session_on(&s, url, d, NULL, NULL);
    c = s.conn;
    const MigDir dir1 = *session_migrations(&s);
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    CHECK(collect(j, &e, -1, 30000));
    CHECK(last(&e) && last(&e)->outcome == JOB_OK);
    job_free(j);
    st = status_of(c, &dir1);
    CHECK(st.applied == 3 && st.pending == 0);
    migrate_status_free(&st);
    events_free(&e);
    session_free(&s);
    free(d);
    free(url);
}

/* A JobFn of our own: a long statement that is cancelled, then a query on
 * the same connection, which must still work. */
static int sleep_then_query(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    (void)arg;
    (void)summary;
    const char *sql = engine == DB_ENGINE_POSTGRES
        ? "SELECT pg_sleep(60)"
        : "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1e12) "
          "SELECT count(*) FROM n";
    job_progress(job, 0, 2, "sleeping");
    if (db_exec(c, "test: long", sql, NULL, err) == 0)
        return 0;
    DbError e2 = DB_ERROR_INIT;
    char *v = NULL;
    if (db_query_value(c, "test: after", "SELECT 40 + 2", NULL, &v, &e2) == 0)
        job_log(job, "after the cancel: %s", v);
    else
        job_log(job, "after the cancel: broken: %s", e2.message);
    free(v);
    db_error_clear(&e2);
    return -1;
}

static int args_freed;

static void free_arg(void *p)
{
    args_freed += *(int *)p;
    free(p);
}

static void test_cancel_leaves_connection_usable(void)
{
    char *url = itest_url(engine, "job_usable");
    DbConn *c = itest_open(url);
    Job *j = NULL;
    DbError err = DB_ERROR_INIT;
    int *arg = xcalloc(1, sizeof *arg);
    *arg = 1;
    JobSpec spec = { "sleep", url, sleep_then_query, arg, free_arg, NULL };
    CHECK(job_start(&j, &spec, &err) == 0);
    CHECK_STR(job_title(j), "sleep");
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, JOB_PROGRESS, 30000));
    long t0 = now_ms();
    while (!sleeping(c) && now_ms() - t0 < 10000)
        nap(20);
    nap(200);
    job_cancel(j);
    CHECK(collect(j, &e, -1, 20000));
    bool usable = false;
    for (size_t i = 0; i < e.n; i++)
        usable |= e.v[i].kind == JOB_LOG && strcmp(e.v[i].text, "after the cancel: 42") == 0;
    CHECK(usable);
    CHECK(last(&e) && last(&e)->outcome == JOB_CANCELLED);
    CHECK(job_elapsed_ms(j) >= 200);
    args_freed = 0;
    job_free(j);
    CHECK(args_freed == 1);   /* the argument is freed with the job */
    events_free(&e);
    db_close(c);
    free(url);
}

/* A cancel right after the start, before the first step: nothing runs. */
static void test_cancel_at_once(void)
{
    char *url = itest_url(engine, "job_cancel0");
    Session s;
    session_on(&s, url, ref_dir(), NULL, NULL);
    DbConn *c = s.conn;
    const MigDir dir = *session_migrations(&s);
    Job *j = NULL;
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    job_cancel(j);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, -1, 30000));
    CHECK(last(&e) && last(&e)->outcome == JOB_CANCELLED);
    job_free(j);
    MigStatus st = status_of(c, &dir);
    CHECK(st.applied < dir.count);   /* stopped before the end */
    migrate_status_free(&st);
    events_free(&e);
    session_free(&s);
    free(url);
}

/* ---- a failing step ---------------------------------------------------- */

static void test_failure_is_migrate_runs(void)
{
    char *url = itest_url(engine, "job_fail");
    char *d = itest_fresh_dir("job", "fail", engine);
    itest_write_file(d, "0001_good.sql", "-- migrate:up\nCREATE TABLE job_g (x int);\n"
                                   "-- migrate:down\nDROP TABLE job_g;\n");
    itest_write_file(d, "0002_bad.sql", "-- migrate:up\nCREATE TABLE job_h (x int);\n"
                                  "INSERT INTO job_nowhere VALUES (1);\n"
                                  "-- migrate:down\nDROP TABLE job_h;\n");
    Session s;
    session_on(&s, url, d, NULL, NULL);
    DbConn *c = s.conn;
    const MigDir dir = *session_migrations(&s);
    DbError err = DB_ERROR_INIT;
    MigPlan plan;
    Job *j = NULL;
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, -1, 30000));
    const JobEvent *f = last(&e);
    CHECK(f && f->outcome == JOB_FAILED && f->err.kind == DB_ERR_SQL);
    CHECK_CONTAINS(f ? f->err.message : NULL, "0002_bad.sql:3");
    CHECK_STR(f ? f->text : NULL, f ? f->err.message : NULL);
    job_free(j);
    /* the same plan through migrate_run here fails with the same words */
    CHECK(migrate_plan_up(c, &dir, NULL, &plan, &err) == 0);
    CHECK(plan.count == 1);
    CHECK(migrate_run(c, &plan, NULL, NULL, &err) != 0);
    CHECK_STR(err.message, f ? f->err.message : NULL);
    CHECK(f && strcmp(err.code, f->err.code) == 0);
    db_error_clear(&err);
    migrate_plan_free(&plan);
    CHECK(itest_table_exists(c, "job_g"));
    CHECK(!itest_table_exists(c, "job_h"));
    events_free(&e);
    session_free(&s);
    free(d);
    free(url);
}

static void test_cannot_connect(void)
{
    char *url = engine == DB_ENGINE_POSTGRES
        ? itest_pg_url("job_no_such_database", "s3cret%21pw")
        : xstrdup("sqlite:///job_no_such_dir/nothing.db");
    ActionPlan plan;
    memset(&plan, 0, sizeof plan);
    plan.action = &action_up;
    plan.summary = xstrdup("nothing");
    Session s;
    memset(&s, 0, sizeof s);
    config_defaults(&s.cfg);
    config_set(&s.cfg.database.url, url);
    Job *j = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(job_start_action(&j, &s, &plan, false, "up", &err) == 0);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, -1, 30000));
    CHECK(e.n == 1);
    CHECK(last(&e) && last(&e)->outcome == JOB_FAILED && last(&e)->err.kind == DB_ERR_CONNECT);
    CHECK(last(&e) && !strstr(last(&e)->text, "s3cret"));
    job_free(j);
    events_free(&e);
    session_free(&s);
    free(url);
}

/* ---- alembic ----------------------------------------------------------- */

/* A session on url for the test project, its alembic the fake. */
static void alembic_session(Session *s, const char *url, const char *backups)
{
    char *fake = xasprintf("%s/tests/alembic/fake_alembic.sh", getenv("DBW_SRC"));
    char *ini = xasprintf("%s/tests/alembic/project/alembic.ini", getenv("DBW_SRC"));
    char *extra = xasprintf("[migrations]\nalembic_command = %s\nalembic_url_from_env = yes\n"
                            "[backup]\ndir = %s\n", fake, backups ? backups : "backups");
    session_on(s, url, NULL, ini, extra);
    free(extra);
    free(ini);
    free(fake);
}

static void test_alembic_output_and_status(void)
{
    char *url = itest_url(engine, "job_alembic");
    DbConn *c = itest_open(url);   /* creates the SQLite file */
    db_close(c);
    char *d = itest_fresh_dir("job", "alembic", engine);
    char *go = xasprintf("%s/go", d);
    char *fake = xasprintf("%s/tests/alembic/fake_alembic.sh", getenv("DBW_SRC"));
    char *ini = xasprintf("%s/tests/alembic/project/alembic.ini", getenv("DBW_SRC"));
    itest_write_file(d, "go", "");
    setenv("FAKE_GO", go, 1);
    setenv("FAKE_EXIT", "3", 1);
    const char *args[] = { "upgrade", "heads", NULL };
    char *line = alembic_command_text(fake, ini, args);
    char *want = xasprintf("%s -c alembic.ini upgrade heads", fake);
    CHECK_STR(line, want);
    Session s;
    alembic_session(&s, url, NULL);
    Job *j = NULL;
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, -1, 30000));
    bool saw_args = false, saw_stderr = false, saw_tail = false;
    for (size_t i = 0; i < e.n; i++) {
        if (e.v[i].kind != JOB_LOG)
            continue;
        saw_args |= strcmp(e.v[i].text, "args: -c alembic.ini upgrade heads") == 0;
        saw_stderr |= strcmp(e.v[i].text, "on stderr") == 0;
        saw_tail |= strcmp(e.v[i].text, "no newline at the end") == 0;
    }
    CHECK(saw_args && saw_stderr && saw_tail);
    CHECK(last(&e) && last(&e)->outcome == JOB_FAILED);
    CHECK_CONTAINS(last(&e) ? last(&e)->text : NULL, "exited with status 3");
    job_free(j);
    events_free(&e);

    /* without the go file the fake waits: a cancel stops it */
    free(go);
    go = xasprintf("%s/never", d);
    setenv("FAKE_GO", go, 1);
    unsetenv("FAKE_EXIT");
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    CHECK(collect(j, &e, JOB_LOG, 30000));   /* it runs */
    long asked = now_ms();
    job_cancel(j);
    CHECK(collect(j, &e, -1, 30000));
    CHECK(now_ms() - asked < 4000);
    CHECK(last(&e) && last(&e)->outcome == JOB_CANCELLED);
    job_free(j);
    events_free(&e);
    unsetenv("FAKE_GO");
    session_free(&s);
    free(line);
    free(want);
    free(go);
    free(fake);
    free(ini);
    free(d);
    free(url);
}

/* Plan under the lock: a revision recorded after the plan was made stops
 * the job before its backup, and alembic never starts. */
static void test_alembic_stale_plan(void)
{
    char *url = itest_url(engine, "job_alembic_stale");
    DbConn *c = itest_open(url);
    char *d = itest_fresh_dir("job", "alembic_stale", engine);
    Session s;
    alembic_session(&s, url, d);
    ActionPlan plan;   /* up, from nothing applied */
    DbError err = DB_ERROR_INIT;
    CHECK(action_plan(&s, s.conn, &action_up, NULL, false, &plan, &err) == 0);
    CHECK(db_exec(c, "test", "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL)",
                  NULL, &err) == 0);
    CHECK(db_exec(c, "test", "INSERT INTO alembic_version VALUES ('1a2b3c4d5e6f')", NULL,
                  &err) == 0);
    setenv("FAKE_EXIT", "0", 1);
    Job *j = NULL;
    CHECK(job_start_action(&j, &s, &plan, true, "up", &err) == 0);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, -1, 30000));
    for (size_t i = 0; i < e.n; i++) {
        CHECK(e.v[i].kind != JOB_BACKUP);
        CHECK(e.v[i].kind != JOB_LOG || !strstr(e.v[i].text, "args:"));
    }
    CHECK(last(&e) && last(&e)->outcome == JOB_FAILED);
    CHECK_CONTAINS(last(&e) ? last(&e)->text : NULL,
                   "moved from nothing applied to 1a2b3c4d5e6f");
    job_free(j);
    events_free(&e);
    unsetenv("FAKE_EXIT");
    session_free(&s);
    free(d);
    db_close(c);
    free(url);
}

/* A job freed while it runs is cancelled and waited for. */
static void test_free_while_running(void)
{
    char *url = itest_url(engine, "job_free");
    char *d = itest_fresh_dir("job", "free", engine);
    itest_write_file(d, "0001_sleep.sql", sleep_sql());
    Session s;
    session_on(&s, url, d, NULL, NULL);
    DbConn *c = s.conn;
    const MigDir dir = *session_migrations(&s);
    Job *j = NULL;
    CHECK(start_action(&j, &s, "up", NULL, false) == 0);
    Events e = { NULL, 0 };
    CHECK(collect(j, &e, JOB_PROGRESS, 30000));
    long t0 = now_ms();
    while (!sleeping(c) && now_ms() - t0 < 10000)
        nap(20);
    nap(100);
    long asked = now_ms();
    job_free(j);
    CHECK(now_ms() - asked < 10000);
    MigStatus st = status_of(c, &dir);
    CHECK(st.applied == 0);
    migrate_status_free(&st);
    events_free(&e);
    session_free(&s);
    free(d);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_plan_events_in_order);
    RUN(test_down_with_backup);
    RUN(test_plan_statement_timeout);
    RUN(test_cancel_long_statement);
    RUN(test_cancel_leaves_connection_usable);
    RUN(test_cancel_at_once);
    RUN(test_failure_is_migrate_runs);
    RUN(test_cannot_connect);
    RUN(test_alembic_output_and_status);
    RUN(test_alembic_stale_plan);
    RUN(test_free_while_running);
    return test_report();
}
