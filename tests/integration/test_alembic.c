/* test_alembic.c: dbwarden's view of an Alembic project against the REAL
 * alembic command, on SQLite or PostgreSQL (argv[1]).
 *
 * The test project (tests/alembic/project: a branch and a merge, real
 * tables) is upgraded step by step with alembic_run(); at each point the
 * heads, current revisions and pending revisions dbwarden finds must be
 * what `alembic heads` and `alembic current` print.  Then: the run lock
 * is held during a run, a run waits for (and names) another holder, lines
 * are streamed as they come, exit statuses come back, and a run can be
 * cancelled from another thread. */
#include "alembic.h"
#include "strv.h"
#include "itest.h"
#include "runlock.h"
#include "rx.h"
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

typedef struct Lines {
    char  **v;
    size_t  n;
} Lines;

static void lines_free(Lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static void on_line(void *ctx, const char *line)
{
    Lines *l = ctx;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = xstrdup(line);
}

static char ini[4096], fake[4096];
static char *env_url;
static const char *child_env[4];
static DbEngine engine;

/* Runs the real alembic with args and env; returns its exit status (-1
 * when it could not run), its output in out. */
static int alembic_env(DbConn *lock, const char *const *args, const char *const *env,
                       Lines *out)
{
    AlembicRunOptions o = { "alembic", ini, NULL, env, 0, NULL };
    int status = -1;
    DbError err = DB_ERROR_INIT;
    if (alembic_run(lock, NULL, &o, args, on_line, out, &status, &err) != 0) {
        fprintf(stderr, "alembic_run: %s\n", err.message);
        db_error_clear(&err);
        return -1;
    }
    if (status != 0)
        for (size_t i = 0; i < out->n; i++)
            fprintf(stderr, "  alembic: %s\n", out->v[i]);
    return status;
}

/* The same on the test's main database. */
static int alembic(DbConn *lock, const char *const *args, Lines *out)
{
    return alembic_env(lock, args, child_env, out);
}

/* The ids alembic printed: the first word of lines that start with one. */
static Lines ids_of(const Lines *out)
{
    DbError err = DB_ERROR_INIT;
    Rx *rx = rx_compile("^([0-9a-f]{12})(\\s|$)", 0, &err);
    Lines ids = { NULL, 0 };
    for (size_t i = 0; i < out->n; i++) {
        RxSpan caps[2];
        if (rx_match(rx, out->v[i], strlen(out->v[i]), caps, 2)) {
            char *id = xstrndup(out->v[i] + caps[1].start, caps[1].len);
            on_line(&ids, id);
            free(id);
        }
    }
    rx_free(rx);
    return ids;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a,b,c" sorted, for comparing sets in messages. */
static char *joined(char **v, size_t n)
{
    char **s = xcalloc(n + 1, sizeof *s);
    if (n)
        memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_str);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(s[i]) + 1;
    char *out = xcalloc(1, len);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, s[i]);
    }
    free(s);
    return out;
}

/* dbwarden's heads, current and pending against alembic's, and pending
 * against what the test expects ("" for none). */
static void check_point(DbConn *c, const AlembicProject *p, const char *want_pending)
{
    const AlembicGraph *g = &p->graph;
    Lines out = { NULL, 0 };
    const char *heads_args[] = { "heads", NULL };
    CHECK(alembic(NULL, heads_args, &out) == 0);
    Lines aheads = ids_of(&out);
    lines_free(&out);
    const char *current_args[] = { "current", NULL };
    CHECK(alembic(NULL, current_args, &out) == 0);
    Lines acur = ids_of(&out);
    lines_free(&out);

    AlembicStatus st;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_status(c, g, &st, &err) == 0);
    if (err.message) {
        fprintf(stderr, "alembic_status: %s\n", err.message);
        db_error_clear(&err);
        return;
    }
    char **ours = xcalloc(g->nheads + 1, sizeof *ours);
    for (size_t i = 0; i < g->nheads; i++)
        ours[i] = g->revs[g->heads[i]].revision;
    char *a = joined(aheads.v, aheads.n), *d = joined(ours, g->nheads);
    CHECK_STR(d, a);
    free(a);
    free(d);
    free(ours);
    a = joined(acur.v, acur.n);
    d = joined(st.current, st.ncurrent);
    CHECK_STR(d, a);
    free(a);
    free(d);
    char **pend = xcalloc(g->count + 1, sizeof *pend);
    size_t np = 0;
    for (size_t i = 0; i < g->count; i++)
        if (g->revs[i].in_graph && !st.applied[i])
            pend[np++] = g->revs[i].revision;
    d = joined(pend, np);
    CHECK_STR(d, want_pending);
    CHECK(st.npending == np && st.napplied + st.npending == 6);
    CHECK(st.nproblems == 0);
    free(d);
    free(pend);
    alembic_status_free(&st);
    lines_free(&aheads);
    lines_free(&acur);
}

static bool table_exists(DbConn *c, const char *t)
{
    bool e = false;
    DbError err = DB_ERROR_INIT;
    CHECK(db_table_exists(c, t, &e, &err) == 0);
    db_error_clear(&err);
    return e;
}

static void test_against_alembic(DbConn *c)
{
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_project_load(&p, ini, &err) == 0);
    if (err.message) {
        fprintf(stderr, "%s\n", err.message);
        db_error_clear(&err);
        return;
    }
    Lines out = { NULL, 0 };
    /* nothing applied: no alembic_version at all */
    check_point(c, &p, "1a2b3c4d5e6f,2b3c4d5e6f70,3c4d5e6f7081,4d5e6f708192,5e6f708192a3,"
                       "6f708192a3b4");
    CHECK(!table_exists(c, "alembic_version"));
    /* part applied, on the billing branch */
    const char *up1[] = { "upgrade", "3c4d5e6f7081", NULL };
    CHECK(alembic(c, up1, &out) == 0);
    lines_free(&out);
    check_point(c, &p, "4d5e6f708192,5e6f708192a3,6f708192a3b4");
    CHECK(table_exists(c, "invoices") && !table_exists(c, "audit_log"));
    /* both branches: two rows in alembic_version */
    const char *up2[] = { "upgrade", "4d5e6f708192", NULL };
    CHECK(alembic(c, up2, &out) == 0);
    lines_free(&out);
    check_point(c, &p, "5e6f708192a3,6f708192a3b4");
    /* everything */
    const char *up3[] = { "upgrade", "heads", NULL };
    CHECK(alembic(c, up3, &out) == 0);
    lines_free(&out);
    check_point(c, &p, "");
    CHECK(table_exists(c, "licenses") && table_exists(c, "jobs"));
    /* back down past the merge: the other branch stays applied, so
     * alembic_version has two rows again */
    const char *down[] = { "downgrade", "3c4d5e6f7081", NULL };
    CHECK(alembic(c, down, &out) == 0);
    lines_free(&out);
    check_point(c, &p, "5e6f708192a3,6f708192a3b4");
    CHECK(!table_exists(c, "jobs") && table_exists(c, "audit_log"));
    /* stamp: the version table moves, nothing runs */
    const char *stamp[] = { "stamp", "1a2b3c4d5e6f", NULL };
    CHECK(alembic(c, stamp, &out) == 0);
    lines_free(&out);
    check_point(c, &p, "2b3c4d5e6f70,3c4d5e6f7081,4d5e6f708192,5e6f708192a3,6f708192a3b4");
    CHECK(table_exists(c, "invoices"));
    /* a failing command: its status and output come back */
    const char *bad[] = { "upgrade", "nosuchrevision", NULL };
    int status = alembic(c, bad, &out);
    CHECK(status > 0);
    bool named = false;
    for (size_t i = 0; i < out.n; i++)
        named = named || strstr(out.v[i], "nosuchrevision") != NULL;
    CHECK(named);
    lines_free(&out);
    /* the --sql preview: SQL comes out, the database does not change */
    const char *args[] = { "downgrade", "1a2b3c4d5e6f:base", "--sql", NULL };
    CHECK(alembic(c, args, &out) == 0);
    bool drop = false;
    for (size_t i = 0; i < out.n; i++)
        drop = drop || strstr(out.v[i], "DROP TABLE users") != NULL;
    CHECK(drop);
    CHECK(table_exists(c, "users"));
    lines_free(&out);
    alembic_project_free(&p);
}

/* ---- the run lock --------------------------------------------------- */

typedef struct LockProbe {
    DbConn *other;
    bool    probed, busy;
    char   *message;
    Lines   lines;
} LockProbe;

static void probe_line(void *ctx, const char *line)
{
    LockProbe *lp = ctx;
    on_line(&lp->lines, line);
    if (lp->probed)
        return;
    lp->probed = true;
    RunLock *l = NULL;
    DbError err = DB_ERROR_INIT;
    if (runlock_acquire(lp->other, "migrations", "probe", 0, &l, &err) == 0) {
        runlock_release(l);
        return;
    }
    lp->busy = err.kind == DB_ERR_BUSY;
    lp->message = xstrdup(err.message);
    db_error_clear(&err);
}

static void test_lock(DbConn *c, const char *url)
{
    DbConn *other = itest_open(url);
    LockProbe lp = { other, false, false, NULL, { NULL, 0 } };
    AlembicRunOptions o = { "alembic", ini, NULL, child_env, 0, NULL };
    const char *args[] = { "stamp", "heads", NULL };
    int status = -1;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_run(c, NULL, &o, args, probe_line, &lp, &status, &err) == 0);
    CHECK(status == 0);
    CHECK(lp.probed && lp.busy);
    CHECK_CONTAINS(lp.message, "another dbwarden run holds the lock");
    if (engine == DB_ENGINE_SQLITE)
        CHECK_CONTAINS(lp.message, "alembic stamp heads");
    else
        CHECK_CONTAINS(lp.message, "pid ");
    free(lp.message);
    lines_free(&lp.lines);
    /* released after the run */
    RunLock *l = NULL;
    CHECK(runlock_acquire(other, "migrations", "after", 0, &l, &err) == 0);
    /* while someone else holds it, a run waits, then says who holds it,
     * and never starts alembic */
    Lines out = { NULL, 0 };
    o.lock_wait_ms = 300;
    CHECK(alembic_run(c, NULL, &o, args, on_line, &out, &status, &err) == -1);
    CHECK(err.kind == DB_ERR_BUSY);
    if (engine == DB_ENGINE_SQLITE)
        CHECK_CONTAINS(err.message, "running after");
    CHECK(out.n == 0);
    db_error_clear(&err);
    runlock_release(l);
    db_close(other);
}

/* ---- streaming, exit status, cancel --------------------------------- */

typedef struct Stream {
    Lines       lines;
    const char *go;   /* file to create on the first line */
} Stream;

static void stream_line(void *ctx, const char *line)
{
    Stream *s = ctx;
    on_line(&s->lines, line);
    if (s->lines.n == 1) {
        FILE *f = fopen(s->go, "w");
        if (f)
            fclose(f);
    }
}

static void test_streaming(DbConn *c)
{
    char go[64], cmd[8192];
    snprintf(go, sizeof go, "alembic_go_%d", (int)getpid());
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    char *go_env = xasprintf("FAKE_GO=%s/%s", cwd, go);
    const char *env[] = { go_env, "FAKE_EXIT=3", NULL };
    snprintf(cmd, sizeof cmd, "sh '%s'", fake);
    AlembicRunOptions o = { cmd, ini, NULL, env, 0, NULL };
    const char *args[] = { "upgrade", "two words", NULL };
    Stream s = { { NULL, 0 }, go };
    unlink(go);
    int status = -1;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_run(c, NULL, &o, args, stream_line, &s, &status, &err) == 0);
    CHECK(status == 3);
    CHECK(s.lines.n == 4);
    if (s.lines.n == 4) {
        CHECK_STR(s.lines.v[0], "args: -c alembic.ini upgrade two words");
        CHECK_STR(s.lines.v[1], "on stderr");
        CHECK_STR(s.lines.v[2], "went on");   /* the first line came before the end */
        CHECK_STR(s.lines.v[3], "no newline at the end");
    }
    lines_free(&s.lines);
    unlink(go);
    /* a command that does not exist */
    o.command = "/nonexistent/bin/alembic";
    CHECK(alembic_run(c, NULL, &o, args, NULL, NULL, &status, &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, "/nonexistent/bin/alembic");
    db_error_clear(&err);
    o.command = "alembic 'unclosed";
    CHECK(alembic_run(c, NULL, &o, args, NULL, NULL, &status, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    free(go_env);
}

typedef struct Cancel {
    AlembicRun *run;
    atomic_int  started;
    Lines       lines;
} Cancel;

static void cancel_line(void *ctx, const char *line)
{
    Cancel *cc = ctx;
    on_line(&cc->lines, line);
    if (strcmp(line, "started") == 0)
        atomic_store(&cc->started, 1);
}

static void *canceller(void *arg)
{
    Cancel *cc = arg;
    while (!atomic_load(&cc->started)) {
        struct timespec ts = { 0, 10000000 };
        nanosleep(&ts, NULL);
    }
    alembic_run_cancel(cc->run);
    return NULL;
}

static void test_cancel(DbConn *c)
{
    /* sh starts a child (sleep) that keeps the output pipe open: the whole
     * process group must go, or the run would wait 30 s */
    AlembicRunOptions o = { "sh -c 'echo started; sleep 30; echo never'", ini, NULL, NULL, 0,
                            NULL };
    const char *args[] = { "upgrade", "heads", NULL };
    Cancel cc = { alembic_run_new(), 0, { NULL, 0 } };
    pthread_t t;
    pthread_create(&t, NULL, canceller, &cc);
    time_t t0 = time(NULL);
    int status = -1;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_run(c, cc.run, &o, args, cancel_line, &cc, &status, &err) == -1);
    pthread_join(t, NULL);
    CHECK(err.kind == DB_ERR_CANCELLED);
    CHECK(time(NULL) - t0 < 10);
    CHECK(status == 128 + 15);
    CHECK(cc.lines.n == 1);
    db_error_clear(&err);
    lines_free(&cc.lines);
    /* cancelled before it starts: never runs */
    CHECK(alembic_run(c, cc.run, &o, args, cancel_line, &cc, &status, &err) == -1);
    CHECK(err.kind == DB_ERR_CANCELLED && cc.lines.n == 0);
    db_error_clear(&err);
    alembic_run_free(cc.run);
    /* and the lock was released each time */
    RunLock *l = NULL;
    CHECK(runlock_acquire(c, "migrations", "after cancel", 0, &l, &err) == 0);
    runlock_release(l);
}

/* ---- planned runs against the real alembic --------------------------- */

static const char *plan_env[3];   /* the planned runs' own database */

/* A new, empty database for the planned runs, and the child's
 * environment for it (the URL as alembic_url_for_child gives it). */
static DbConn *fresh_db(const char *name, char **var)
{
    char *u = itest_url(engine, name);
    DbConn *c = itest_open(u);
    char *child = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_url_for_child(u, &child, &err) == 0);
    *var = xasprintf("DATABASE_URL=%s", child ? child : "");
    plan_env[0] = *var;
    plan_env[1] = "PYTHONDONTWRITEBYTECODE=1";
    free(child);
    free(u);
    return c;
}

typedef struct Backups {
    int    taken;
    Lines  lines;
} Backups;

static int count_backup(void *ctx, DbConn *c, DbError *err)
{
    (void)c;
    (void)err;
    ((Backups *)ctx)->taken++;
    return 0;
}

static void backup_line(void *ctx, const char *line)
{
    on_line(&((Backups *)ctx)->lines, line);
}

/* Plans verb/target on the database as it is and runs the plan (sql: its
 * preview); returns alembic_plan_run's result, err filled on failure. */
static int planned(DbConn *c, const AlembicProject *p, AlembicVerb verb, const char *target,
                   bool sql, Backups *b, DbError *err)
{
    AlembicStatus st;
    if (alembic_status(c, &p->graph, &st, err) != 0)
        return -1;
    AlembicPlan plan;
    int rc = alembic_plan_make(&plan, &p->graph, &st, verb, target, err);
    alembic_status_free(&st);
    if (rc != 0)
        return -1;
    AlembicPlanRunOptions o = { { "alembic", ini, NULL, plan_env, 0, NULL }, sql,
                                count_backup, backup_line, b };
    int status = -1;
    rc = alembic_plan_run(c, NULL, &p->graph, &plan, &o, &status, err);
    if (rc == 0 && status != 0) {
        for (size_t i = 0; i < b->lines.n; i++)
            fprintf(stderr, "  alembic: %s\n", b->lines.v[i]);
        db_error_set(err, DB_ERR_IO, "alembic exited with %d", status);
        rc = -1;
    }
    alembic_plan_free(&plan);
    return rc;
}

static char *current_of(DbConn *c)
{
    char **ids = NULL;
    size_t n = 0;
    bool exists = false;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_current_read(c, &ids, &n, &exists, &err) == 0);
    db_error_clear(&err);
    char *s = joined(ids, n);
    strv_free(ids);
    return s;
}

/* Each plan, run by the real alembic, leaves exactly the state planned
 * (alembic_plan_run checks it): one step down off a head, a merge, one of
 * two heads, N steps, stamps across branches; the preview shows the same
 * change. */
static void test_plans(DbConn *c)
{
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_project_load(&p, ini, &err) == 0);
    Backups b = { 0, { NULL, 0 } };
    struct {
        AlembicVerb verb;
        const char *target;
        const char *now;
    } steps[] = {
        { ALEMBIC_UPGRADE, "billing", "3c4d5e6f7081" },
        { ALEMBIC_UPGRADE, "4d5e", "3c4d5e6f7081,4d5e6f708192" },   /* two heads */
        { ALEMBIC_DOWNGRADE, "4d5e6f708192", "3c4d5e6f7081" },      /* one of them */
        { ALEMBIC_UPGRADE, NULL, "6f708192a3b4" },
        { ALEMBIC_DOWNGRADE, NULL, "5e6f708192a3" },                /* off the head */
        { ALEMBIC_DOWNGRADE, NULL, "3c4d5e6f7081,4d5e6f708192" },   /* the merge */
        { ALEMBIC_UPGRADE, "head", "6f708192a3b4" },
        { ALEMBIC_DOWNGRADE, "2", "3c4d5e6f7081,4d5e6f708192" },
        { ALEMBIC_STAMP, "5e6f708192a3", "5e6f708192a3" },          /* both heads below */
        { ALEMBIC_STAMP, "3c4d5e6f7081", "3c4d5e6f7081" },          /* the merge above */
        { ALEMBIC_STAMP, "4d5e6f708192", "3c4d5e6f7081,4d5e6f708192" },   /* another branch */
        { ALEMBIC_DOWNGRADE, "3c4d5e6f7081", "4d5e6f708192" },
        { ALEMBIC_UPGRADE, "+1", "5e6f708192a3" },     /* needs the other branch too */
        { ALEMBIC_DOWNGRADE, "2b3c4d5e6f70", "2b3c4d5e6f70" },
        { ALEMBIC_DOWNGRADE, "all", "" },
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (planned(c, &p, steps[i].verb, steps[i].target, false, &b, &err) != 0) {
            fprintf(stderr, "step %zu (%s): %s\n", i, steps[i].target ? steps[i].target : "-",
                    err.message);
            CHECK(!"the plan ran as planned");
            db_error_clear(&err);
        }
        char *now = current_of(c);
        CHECK_STR(now, steps[i].now);
        free(now);
        lines_free(&b.lines);
    }
    CHECK(b.taken == (int)(sizeof steps / sizeof steps[0]));
    /* with two heads, down without a name is refused, naming both */
    CHECK(planned(c, &p, ALEMBIC_UPGRADE, "3c4d5e6f7081", false, &b, &err) == 0);
    CHECK(planned(c, &p, ALEMBIC_UPGRADE, "4d5e6f708192", false, &b, &err) == 0);
    CHECK(planned(c, &p, ALEMBIC_DOWNGRADE, NULL, false, &b, &err) == -1);
    CHECK_CONTAINS(err.message, "(3c4d5e6f7081, 4d5e6f708192)");
    db_error_clear(&err);
    /* the preview of rolling back the merge: its SQL, nothing changed */
    CHECK(planned(c, &p, ALEMBIC_UPGRADE, "5e6f708192a3", false, &b, &err) == 0);
    lines_free(&b.lines);
    CHECK(planned(c, &p, ALEMBIC_DOWNGRADE, NULL, true, &b, &err) == 0);
    bool drop = false;
    for (size_t i = 0; i < b.lines.n; i++)
        drop = drop || strstr(b.lines.v[i], "DROP TABLE jobs") != NULL;
    CHECK(drop);
    char *now = current_of(c);
    CHECK_STR(now, "5e6f708192a3");
    free(now);
    CHECK(table_exists(c, "jobs"));
    lines_free(&b.lines);
    alembic_project_free(&p);
}

/* Plan under the lock: an upgrade that lands between the plan and the
 * lock makes the run refuse, before the backup and before alembic starts. */
static void test_race(DbConn *c)
{
    AlembicProject p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_project_load(&p, ini, &err) == 0);
    Backups b = { 0, { NULL, 0 } };
    CHECK(planned(c, &p, ALEMBIC_UPGRADE, "2b3c4d5e6f70", false, &b, &err) == 0);
    lines_free(&b.lines);
    b.taken = 0;
    AlembicStatus st;
    CHECK(alembic_status(c, &p.graph, &st, &err) == 0);
    AlembicPlan plan;
    CHECK(alembic_plan_make(&plan, &p.graph, &st, ALEMBIC_DOWNGRADE, NULL, &err) == 0);
    CHECK_STR(plan.target, "2b3c4d5e6f70@1a2b3c4d5e6f");
    /* meanwhile, someone else's alembic upgrade */
    Lines out = { NULL, 0 };
    const char *up[] = { "upgrade", "3c4d5e6f7081", NULL };
    CHECK(alembic_env(NULL, up, plan_env, &out) == 0);
    lines_free(&out);
    AlembicPlanRunOptions o = { { "alembic", ini, NULL, plan_env, 0, NULL }, false,
                                count_backup, backup_line, &b };
    int status = -1;
    CHECK(alembic_plan_run(c, NULL, &p.graph, &plan, &o, &status, &err) == -1);
    CHECK(err.kind == DB_ERR_BUSY);
    CHECK_CONTAINS(err.message, "moved from 2b3c4d5e6f70 to 3c4d5e6f7081");
    CHECK_CONTAINS(err.message, "nothing was done");
    CHECK(b.taken == 0 && b.lines.n == 0);   /* no backup, alembic never started */
    db_error_clear(&err);
    char *now = current_of(c);
    CHECK_STR(now, "3c4d5e6f7081");
    free(now);
    CHECK(table_exists(c, "invoices") && table_exists(c, "projects"));
    /* and the lock was released */
    RunLock *l = NULL;
    CHECK(runlock_acquire(c, "migrations", "after", 0, &l, &err) == 0);
    runlock_release(l);
    /* a command that exits 0 without doing what was planned is a failure */
    alembic_plan_free(&plan);
    alembic_status_free(&st);
    CHECK(alembic_status(c, &p.graph, &st, &err) == 0);
    CHECK(alembic_plan_make(&plan, &p.graph, &st, ALEMBIC_UPGRADE, NULL, &err) == 0);
    o.run.command = "true";
    CHECK(alembic_plan_run(c, NULL, &p.graph, &plan, &o, &status, &err) == -1);
    CHECK(status == 0 && err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, "holds 3c4d5e6f7081, not 6f708192a3b4 as planned");
    db_error_clear(&err);
    alembic_plan_free(&plan);
    alembic_status_free(&st);
    lines_free(&b.lines);
    alembic_project_free(&p);
}

static DbConn *conn;
static char *url;

static void test_views_match_alembic(void) { test_against_alembic(conn); }
static void test_run_lock(void) { test_lock(conn, url); }
static void test_stream_and_status(void) { test_streaming(conn); }
static void test_cancel_run(void) { test_cancel(conn); }
static void test_planned_runs(void)
{
    char *var = NULL;
    DbConn *c = fresh_db("alembic_plans", &var);
    test_plans(c);
    db_close(c);
    free(var);
}

static void test_plan_under_the_lock(void)
{
    char *var = NULL;
    DbConn *c = fresh_db("alembic_race", &var);
    test_race(c);
    db_close(c);
    free(var);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    const char *src = getenv("DBW_SRC");
    snprintf(ini, sizeof ini, "%s/tests/alembic/project/alembic.ini", src ? src : ".");
    snprintf(fake, sizeof fake, "%s/tests/alembic/fake_alembic.sh", src ? src : ".");
    if (engine == DB_ENGINE_SQLITE) {
        /* alembic runs in the project's folder: give it an absolute path */
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd))
            return 1;
        char *file = xasprintf("%s/it_alembic.db", cwd);
        unlink(file);
        url = xasprintf("sqlite:///%s", file);
        free(file);
    } else {
        url = itest_url(engine, "alembic");
    }
    env_url = xasprintf("DATABASE_URL=%s", url);
    child_env[0] = env_url;
    child_env[1] = "PYTHONDONTWRITEBYTECODE=1";
    child_env[2] = NULL;
    conn = itest_open(url);
    RUN(test_views_match_alembic);
    RUN(test_run_lock);
    RUN(test_stream_and_status);
    RUN(test_cancel_run);
    RUN(test_planned_runs);
    RUN(test_plan_under_the_lock);
    db_close(conn);
    free(env_url);
    free(url);
    return test_report();
}
