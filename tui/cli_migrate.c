/* cli_migrate.c: status, history and up on the command line. */
#include "cli.h"
#include "cli_alembic.h"
#include "cli_backup.h"
#include "cli_confirm.h"
#include "cli_interrupt.h"
#include "cli_othertools.h"
#include "format.h"
#include "json_out.h"
#include "runlock.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <string.h>

/* The newest version in the folder: dbwarden's chain has one head. */
static const char *folder_head(const MigDir *dir)
{
    return dir && dir->count ? dir->files[dir->count - 1].version : NULL;
}

static json_t *problems_json(const MigStatus *st)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < st->count; i++) {
        const MigEntry *e = &st->items[i];
        char *msg = migrate_problem_text(e);
        if (!msg)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_text(migrate_state_name(e->state)));
        json_object_set_new(o, "version", json_text(e->version));
        json_object_set_new(o, "message", json_text(msg));
        free(msg);
        json_t *files = json_array();
        if (e->file)
            json_array_append_new(files, json_text(e->file->path));
        json_object_set_new(o, "files", files);
        json_array_append_new(arr, o);
    }
    for (size_t i = 0; i < st->nbad; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_text("bad_file"));
        json_object_set_new(o, "message", json_text(st->bad[i].message));
        json_t *files = json_array();
        json_array_append_new(files, json_text(st->bad[i].path));
        if (st->bad[i].other)
            json_array_append_new(files, json_text(st->bad[i].other));
        json_object_set_new(o, "files", files);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *versions_json(const char *v)
{
    json_t *a = json_array();
    if (v)
        json_array_append_new(a, json_text(v));
    return a;
}

/* Loads what status and history show; returns an exit status. */
static int load_status(Cli *cli, DbConn **conn, MigDir *dir, bool *loaded, MigStatus *st)
{
    int rc = cli_connect(cli, false, conn);
    if (rc != EXIT_OK)
        return rc;
    rc = cli_load_migrations(cli, false, dir, loaded);
    if (rc != EXIT_OK) {
        db_close(*conn);
        return rc;
    }
    DbError err = DB_ERROR_INIT;
    if (migrate_status(*conn, *loaded ? dir : NULL, st, &err) != 0) {
        char *who = err.kind == DB_ERR_BUSY ? runlock_holder(*conn, "migrations") : NULL;
        if (who)
            db_error_prefix(&err, "a migration run holds the database (%s); try again when it "
                            "has finished", who);
        free(who);
        rc = cli_fail(&err);
        migrate_dir_free(dir);
        db_close(*conn);
    }
    return rc;
}

/* With --alembic (or alembic_ini in the configuration), the commands act
 * on the Alembic project.  Returns true when it did, with *rc its exit
 * status. */
static bool alembic_project(Cli *cli, const char *verb, int *rc)
{
    if (!cli->alembic_ini)
        return false;
    bool change = strcmp(verb, "status") != 0 && strcmp(verb, "history") != 0;
    if (change && cli->argc > 1) {
        cli_error("usage: dbwarden --alembic INI %s [TARGET]", verb);
        *rc = EXIT_USAGE;
        return true;
    }
    DbConn *conn;
    /* alembic creates a SQLite file on its first upgrade */
    *rc = cli_connect(cli, strcmp(verb, "up") == 0 && !cli->dry_run, &conn);
    if (*rc != EXIT_OK)
        return true;
    if (strcmp(verb, "status") == 0)
        *rc = cli_alembic_status(cli, conn);
    else if (strcmp(verb, "history") == 0)
        *rc = cli_alembic_history(cli, conn);
    else
        *rc = cli_alembic_run(cli, conn, verb, cli->argc ? cli->argv[0] : NULL);
    db_close(conn);
    return true;
}

typedef int (*OtherFn)(const Cli *cli, DbConn *conn, bool *found);

/* With no migrations folder and no dbwarden_migrations table, the database
 * may belong to another tool: show that one (read-only).  Returns true
 * when it did, with *rc its exit status. */
static bool other_tool(Cli *cli, OtherFn fn, int *rc)
{
    if (cli->migrations_dir)
        return false;
    DbConn *conn;
    *rc = cli_connect(cli, false, &conn);
    if (*rc != EXIT_OK)
        return true;
    bool exists = false, found = false;
    DbError err = DB_ERROR_INIT;
    if (db_table_exists(conn, MIGRATE_TABLE, &exists, &err) != 0) {
        *rc = cli_fail(&err);
        found = true;
    } else if (!exists) {
        *rc = fn(cli, conn, &found);
    }
    db_close(conn);
    return found;
}

int cli_cmd_status(Cli *cli)
{
    int rc;
    if (alembic_project(cli, "status", &rc) || other_tool(cli, cli_othertools_status, &rc))
        return rc;
    DbConn *conn;
    MigDir dir;
    bool loaded;
    MigStatus st;
    rc = load_status(cli, &conn, &dir, &loaded, &st);
    if (rc != EXIT_OK)
        return rc;
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "source", json_text("dbwarden"));
        json_object_set_new(o, "engine", json_text(db_engine_name(db_engine(conn))));
        json_object_set_new(o, "database", json_text(db_display_url(conn)));
        json_object_set_new(o, "migrations_dir", json_text(loaded ? dir.path : NULL));
        json_object_set_new(o, "current", versions_json(st.current));
        json_object_set_new(o, "heads", versions_json(loaded ? folder_head(&dir) : st.current));
        json_object_set_new(o, "applied", json_integer((json_int_t)st.applied));
        json_object_set_new(o, "pending", json_integer((json_int_t)st.pending));
        json_object_set_new(o, "problems", problems_json(&st));
        json_emit(o);
    } else {
        printf("database    %s (%s)\n", fmt_esc(db_display_url(conn)),
               db_engine_name(db_engine(conn)));
        printf("migrations  %s\n", loaded ? fmt_esc(dir.path) : "(no folder given: --migrations DIR)");
        printf("current     %s\n", st.current ? fmt_esc(st.current) : "(none applied)");
        printf("applied     %zu\n", st.applied);
        printf("pending     %zu\n", st.pending);
        for (size_t i = 0; i < st.count; i++) {
            char *text = migrate_problem_text(&st.items[i]);
            if (text)
                printf("problem     %s\n", fmt_esc(text));
            free(text);
        }
        for (size_t i = 0; i < st.nbad; i++)
            printf("problem     %s\n", fmt_esc(st.bad[i].message));
    }
    rc = st.problems ? EXIT_PROBLEMS : EXIT_OK;
    migrate_status_free(&st);
    migrate_dir_free(&dir);
    db_close(conn);
    return rc;
}

int cli_cmd_history(Cli *cli)
{
    int rc;
    if (alembic_project(cli, "history", &rc) || other_tool(cli, cli_othertools_history, &rc))
        return rc;
    DbConn *conn;
    MigDir dir;
    bool loaded;
    MigStatus st;
    rc = load_status(cli, &conn, &dir, &loaded, &st);
    if (rc != EXIT_OK)
        return rc;
    if (cli->json) {
        json_t *arr = json_array();
        for (size_t i = st.count; i-- > 0;) {
            const MigEntry *e = &st.items[i];
            json_t *o = json_object();
            json_object_set_new(o, "version", json_text(e->version));
            json_object_set_new(o, "name", json_text(e->name));
            json_object_set_new(o, "state", json_text(migrate_state_name(e->state)));
            json_object_set_new(o, "applied_at", json_text(e->applied_at));
            json_object_set_new(o, "duration_ms",
                                e->duration_ms >= 0 ? json_integer(e->duration_ms) : json_null());
            json_object_set_new(o, "applied_by", json_text(e->applied_by));
            json_object_set_new(o, "checksum", json_text(e->checksum ? e->checksum
                                                   : e->file ? e->file->checksum : NULL));
            if (e->state == MIG_FAILED) {
                json_object_set_new(o, "failed_line", json_integer(e->failed_line));
                json_object_set_new(o, "failed_at", json_text(e->failed_at));
                json_object_set_new(o, "failed_by", json_text(e->failed_by));
                json_object_set_new(o, "error", json_text(e->failed_error));
            }
            json_array_append_new(arr, o);
        }
        json_t *root = json_object();
        json_object_set_new(root, "migrations", arr);
        json_emit(root);
    } else {
        printf("%-16s %-36s %-12s %-19s %8s  %s\n", "VERSION", "NAME", "STATE", "APPLIED AT",
               "MS", "BY");
        for (size_t i = st.count; i-- > 0;) {
            const MigEntry *e = &st.items[i];
            char ms[24] = "";
            if (e->duration_ms >= 0)
                snprintf(ms, sizeof ms, "%ld", e->duration_ms);
            printf("%-16s %-36s %-12s %-19s %8s  %s\n", fmt_esc(e->version), fmt_esc(e->name),
                   migrate_state_name(e->state),
                   fmt_esc(e->applied_at ? e->applied_at : e->failed_at), ms,
                   fmt_esc(e->applied_by ? e->applied_by : e->failed_by));
        }
    }
    migrate_status_free(&st);
    migrate_dir_free(&dir);
    db_close(conn);
    return EXIT_OK;
}

/* ---- up, down, stamp ------------------------------------------------ */

typedef struct RunReport {
    bool    json;
    json_t *steps;
} RunReport;

static const char *step_word(MigStepKind k)
{
    switch (k) {
    case MIG_STEP_UP: return "applied";
    case MIG_STEP_DOWN: return "rolled back";
    case MIG_STEP_RECORD: return "recorded";
    case MIG_STEP_FORGET: return "forgot";
    }
    return "";
}

static void step_done(void *ctx, const MigStep *s, long ms)
{
    RunReport *r = ctx;
    if (r->json) {
        json_t *o = json_object();
        json_object_set_new(o, "version", json_text(s->version));
        json_object_set_new(o, "name", json_text(s->name));
        json_object_set_new(o, "action", json_text(step_word(s->kind)));
        json_object_set_new(o, "duration_ms", json_integer(ms));
        json_array_append_new(r->steps, o);
    } else {
        printf("%s %s_%s (%ld ms)\n", step_word(s->kind), fmt_esc(s->version), fmt_esc(s->name),
               ms);
        fflush(stdout);
    }
}

typedef struct ChangeCommand {
    const char *name;         /* "up", "down", "stamp" */
    MigPlanKind kind;
    bool        destructive;  /* confirm (and back up) first */
    bool        needs_arg;
} ChangeCommand;

typedef struct RunHooks {
    RunReport   rep;
    const Cli  *cli;
    DbConn     *conn;
    bool        backup;       /* take one under the lock, before the first step */
} RunHooks;

static void step_skipped(void *ctx, const MigStep *s)
{
    RunHooks *h = ctx;
    if (!h->rep.json)
        printf("skipped %s_%s: another run did it meanwhile\n", fmt_esc(s->version),
               fmt_esc(s->name));
}

static void step_done_hook(void *ctx, const MigStep *s, long ms)
{
    step_done(&((RunHooks *)ctx)->rep, s, ms);
}

/* Under the run lock, the plan re-checked: the backup. */
static int before_steps(void *ctx, const MigPlan *plan, DbError *err)
{
    (void)plan;
    RunHooks *h = ctx;
    if (!h->backup)
        return 0;
    if (cli_backup_take(h->cli, h->conn) != EXIT_OK) {
        db_error_set(err, DB_ERR_IO, "no backup, so nothing was changed");
        return -1;
    }
    return 0;
}

static bool interrupted(void *ctx)
{
    (void)ctx;
    return cli_interrupted();
}

/* Waits for the run lock without keeping it (SQLite: a migration that
 * writes keeps readers out until it ends). */
static int wait_for_run(DbConn *conn, DbError *err)
{
    RunLock *lock = NULL;
    if (runlock_acquire(conn, "migrations", "dbwarden (waiting to plan)", RUNLOCK_WAIT_DEFAULT,
                        &lock, err) != 0)
        return -1;
    runlock_release(lock);
    return 0;
}

/* Plans.  On SQLite, while another run holds the run lock, its migration
 * may hold the database too: the plan waits for that run first (the lock
 * names its holder when the wait is too long), and plans again after a
 * busy database. */
static int make_plan(DbConn *conn, const ChangeCommand *cc, const MigDir *dir, const char *arg,
                     MigPlan *plan, DbError *err)
{
    bool sqlite = db_engine(conn) == DB_ENGINE_SQLITE;
    if (sqlite) {
        char *who = runlock_holder(conn, "migrations");
        free(who);
        if (who && wait_for_run(conn, err) != 0)
            return -1;
    }
    if (migrate_plan(conn, cc->kind, dir, arg, plan, err) == 0)
        return 0;
    if (err->kind != DB_ERR_BUSY || !sqlite)
        return -1;
    db_error_clear(err);
    if (wait_for_run(conn, err) != 0)
        return -1;
    return migrate_plan(conn, cc->kind, dir, arg, plan, err);
}

/* Where the database is after a run: "at 0012", "at no version", or
 * "at an unknown version (why)". */
static char *where_now(DbConn *conn, const MigDir *dir, MigStatus *st, bool *have)
{
    DbError e = DB_ERROR_INIT;
    *have = migrate_status(conn, dir, st, &e) == 0;
    char *t = *have ? xasprintf("%s", st->current ? st->current : "no version")
                    : xasprintf("an unknown version (its version table could not be read: %s)",
                                e.message ? e.message : "no answer");
    db_error_clear(&e);
    return t;
}

/* up, down and stamp: plan, show (dry run) or confirm, then run: under the
 * run lock the plan is made again and must be the same, then the backup,
 * then the steps; report where the database is. */
static int run_change(Cli *cli, const ChangeCommand *cc)
{
    int arc;
    if (alembic_project(cli, cc->name, &arc))
        return arc;
    if (cli->argc > 1 || (cc->needs_arg && cli->argc == 0)) {
        cli_error("usage: dbwarden %s %s", cc->name, cc->needs_arg ? "TARGET" : "[TARGET]");
        return EXIT_USAGE;
    }
    if (!cli->dry_run && cli_refuse_read_only(cli, cc->name))
        return EXIT_USAGE;
    MigDir dir;
    bool loaded;
    int rc = cli_load_migrations(cli, true, &dir, &loaded);
    if (rc != EXIT_OK)
        return rc;
    DbError derr = DB_ERROR_INIT;
    if (migrate_refuse_bad_files(dir.bad, dir.nbad, &derr) != 0) {
        migrate_dir_free(&dir);   /* before connecting: no database file made */
        return cli_fail(&derr);
    }
    DbConn *conn;
    rc = cli_connect(cli, !cli->dry_run && !cc->destructive, &conn);
    if (rc != EXIT_OK) {
        migrate_dir_free(&dir);
        return rc;
    }
    MigPlan plan;
    DbError err = DB_ERROR_INIT;
    if (make_plan(conn, cc, &dir, cli->argc ? cli->argv[0] : NULL, &plan, &err) != 0) {
        rc = cli_fail(&err);
        goto done_noplan;
    }
    if (cli->dry_run) {
        char *sql = migrate_plan_sql(conn, &plan);
        if (cli->json) {
            json_t *o = json_object();
            json_object_set_new(o, "summary", json_text(plan.summary));
            json_object_set_new(o, "sql", json_text(sql));
            json_emit(o);
        } else {
            fmt_put_block(stdout, sql);
        }
        free(sql);
        goto done;
    }
    bool guarded = cc->destructive && plan.count > 0;
    if (guarded) {
        char *sql = migrate_plan_sql(conn, &plan);
        rc = cli_guard_confirm(cli, conn, plan.summary, sql);
        free(sql);
        if (rc != EXIT_OK)
            goto done;
    }
    RunHooks h = { { cli->json, json_array() }, cli, conn, guarded && !cli->no_backup };
    if (guarded && cli->no_backup)
        fprintf(stderr, "dbwarden: no backup before %s (--no-backup)\n", cc->name);
    MigProgress prog = { NULL, step_done_hook, &h, before_steps, interrupted, step_skipped };
    size_t n = 0;
    cli_interrupt_begin(conn);
    int failed = migrate_run(conn, &plan, &prog, &n, &err);
    bool signalled = cli_interrupt_end();
    MigStatus st;
    bool have;
    char *cur = where_now(conn, &dir, &st, &have);
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "summary", json_text(plan.summary));
        json_object_set_new(o, strcmp(cc->name, "up") == 0 ? "applied" : "steps", h.rep.steps);
        json_object_set_new(o, "current", have ? versions_json(st.current) : json_null());
        json_object_set_new(o, "pending", have ? json_integer((json_int_t)st.pending)
                                               : json_null());
        json_object_set_new(o, "error", failed ? json_text(err.message) : json_null());
        json_emit(o);
        h.rep.steps = NULL;
    } else if (!failed) {
        if (n == 0)
            printf("nothing to do; the database is at %s\n", fmt_esc(cur));
        else
            printf("%zu migration%s %s; the database is at %s\n", n, n == 1 ? "" : "s",
                   step_word(plan.steps[0].kind), fmt_esc(cur));
    }
    json_decref(h.rep.steps);
    if (failed) {
        if (signalled && err.kind == DB_ERR_CANCELLED)
            db_error_prefix(&err, "stopped by a signal");
        rc = cli_fail(&err);
        cli_error("the database is at %s", cur);
    }
    free(cur);
    if (have)
        migrate_status_free(&st);
done:
    migrate_plan_free(&plan);
done_noplan:
    migrate_dir_free(&dir);
    db_close(conn);
    return rc;
}

int cli_cmd_up(Cli *cli)
{
    static const ChangeCommand cc = { "up", MIG_PLAN_UP, false, false };
    return run_change(cli, &cc);
}

int cli_cmd_down(Cli *cli)
{
    static const ChangeCommand cc = { "down", MIG_PLAN_DOWN, true, false };
    return run_change(cli, &cc);
}

int cli_cmd_stamp(Cli *cli)
{
    static const ChangeCommand cc = { "stamp", MIG_PLAN_STAMP, true, true };
    return run_change(cli, &cc);
}
