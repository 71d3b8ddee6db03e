/* cli_action.c: see cli_action.h. */
#include "cli_action.h"
#include "cli_confirm.h"
#include "cli_interrupt.h"
#include "format.h"
#include "json_out.h"
#include "runlock.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- events ---------------------------------------------------------- */

static void default_step(CliRun *r, const ActionStep *s)
{
    bool skipped = strcmp(s->verb, "skipped") == 0;
    if (r->cli->json && skipped)
        return;   /* --json lists what this run did */
    if (r->cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "version", json_text(s->id));
        json_object_set_new(o, "name", json_text(s->name));
        json_object_set_new(o, "action", json_text(s->verb));
        json_object_set_new(o, "duration_ms", s->ms >= 0 ? json_integer(s->ms) : json_null());
        json_array_append_new(r->steps, o);
    } else if (skipped) {
        printf("skipped %s_%s: another run did it meanwhile\n", fmt_esc(s->id),
               fmt_esc(s->name));
    } else {
        printf("%s %s_%s (%ld ms)\n", s->verb, fmt_esc(s->id), fmt_esc(s->name), s->ms);
    }
    fflush(stdout);
}

typedef struct EvCtx {
    CliRun          *run;
    const CliReport *rep;
} EvCtx;

static void on_step(void *ctx, const ActionStep *s)
{
    EvCtx *x = ctx;
    if (strcmp(s->verb, "skipped") != 0 && x->run->ndone++ == 0)
        x->run->done_verb = s->verb;   /* a static word (migrate_step_done_word) */
    if (x->rep->step)
        x->rep->step(x->run, s);
    else
        default_step(x->run, s);
}

void cli_run_line(CliRun *r, const char *line)
{
    if (r->cli->json) {
        json_array_append_new(r->lines, json_text(line));
        return;
    }
    printf("%s\n", fmt_esc(line));
    fflush(stdout);
}

static void on_line(void *ctx, const char *line)
{
    cli_run_line(((EvCtx *)ctx)->run, line);
}

static void on_backup(void *ctx, const char *path, long long bytes, long ms)
{
    EvCtx *x = ctx;
    x->run->backup_bytes = bytes;
    if (!(x->run->action->flags & ACTION_DESTRUCTIVE)) {
        free(x->run->backup);   /* the backup action's own: its report says it */
        x->run->backup = xstrdup(path);
        return;
    }
    char size[32];
    fmt_bytes(bytes, size, sizeof size);
    fprintf(stderr, "dbwarden: backup before %s: %s (%s, %ld ms)\n", x->run->action->name,
            fmt_esc(path), size, ms);
}

static void on_progress(void *ctx, size_t index, size_t total, const char *what)
{
    EvCtx *x = ctx;
    if (x->rep->progress)
        x->rep->progress(x->run, index, total, what);
}

static bool on_cancelled(void *ctx)
{
    (void)ctx;
    return cli_interrupted();
}

/* ---- the steps of the guard ------------------------------------------ */

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
static int make_plan(CliRun *r, const char *arg)
{
    Session *s = &r->cli->session;
    bool sqlite = db_engine(r->conn) == DB_ENGINE_SQLITE &&
                  (r->action->flags & ACTION_RUN_LOCK);
    if (sqlite) {
        char *who = runlock_holder(r->conn, "migrations");
        free(who);
        if (who && wait_for_run(r->conn, &r->err) != 0) {
            db_error_prefix(&r->err, "nothing was changed");
            return -1;
        }
    }
    if (action_plan(s, r->conn, r->action, arg, r->cli->dry_run, &r->plan, &r->err) == 0)
        return 0;
    if (r->err.kind != DB_ERR_BUSY || !sqlite)
        return -1;
    db_error_clear(&r->err);
    if (wait_for_run(r->conn, &r->err) != 0)
        return -1;
    return action_plan(s, r->conn, r->action, arg, r->cli->dry_run, &r->plan, &r->err);
}

/* The backup can be taken, the plan is shown and confirmed.  Returns an
 * exit status. */
static int confirm(CliRun *r)
{
    Cli *cli = r->cli;
    const ActionPlan *p = &r->plan;
    const char *word = action_confirm_word(&cli->session, r->conn, p);
    if (!word)
        return EXIT_OK;
    DbError err = DB_ERROR_INIT;
    if (action_preflight(&cli->session, r->conn, p, !cli->session.no_backup, &err) != 0) {
        cli_error("%s", err.message);
        db_error_clear(&err);
        cli_error("nothing was changed; fix that, or pass --no-backup to go on without a "
                  "backup");
        return EXIT_PROBLEMS;
    }
    if (p->warning)
        fprintf(stderr, "dbwarden: warning: %s\n", fmt_esc(p->warning));
    return cli_confirm(cli, r->conn, p->summary, p->what, word) ? EXIT_OK : EXIT_PROBLEMS;
}

static void execute(CliRun *r, const CliReport *rep)
{
    Cli *cli = r->cli;
    bool destructive = r->action->flags & ACTION_DESTRUCTIVE;
    if (destructive && cli->session.no_backup && !r->plan.nothing)
        fprintf(stderr, "dbwarden: no backup before %s (--no-backup)\n", r->action->name);
    EvCtx x = { r, rep };
    ActionEvents ev = { on_progress, on_step, on_line, on_backup, on_cancelled, NULL, &x };
    cli_interrupt_begin(r->conn);
    r->failed = action_execute(&cli->session, r->conn, &r->plan, !cli->session.no_backup, &ev,
                               &r->outcome, &r->backup, &r->err) != 0;
    r->signalled = cli_interrupt_end();
    if (r->failed && r->signalled && r->err.kind == DB_ERR_CANCELLED)
        db_error_prefix(&r->err, "stopped by a signal");
}

int cli_action_run(Cli *cli, const char *name, const char *arg, bool create,
                   const CliReport *rep)
{
    CliRun r;
    memset(&r, 0, sizeof r);
    r.cli = cli;
    r.action = action_find(name);
    r.err = (DbError)DB_ERROR_INIT;
    if (!r.action) {
        cli_error("'%s' is not an action", name);
        return EXIT_USAGE;
    }
    if (!cli->dry_run && action_allowed(&cli->session, r.action, &r.err) != 0)
        return cli_fail(&r.err);
    int rc = cli_connect(cli, create && !cli->dry_run, &r.conn);
    if (rc != EXIT_OK)
        return rc;
    r.steps = json_array();
    r.lines = json_array();
    if (make_plan(&r, arg) != 0) {
        rc = cli_fail(&r.err);
    } else if (cli->dry_run) {
        rc = rep->dry_run(&r);
    } else if ((rc = confirm(&r)) == EXIT_OK) {
        execute(&r, rep);
        rc = rep->finish(&r);
    }
    json_decref(r.steps);
    json_decref(r.lines);
    db_error_clear(&r.err);
    free(r.outcome);
    free(r.backup);
    action_plan_free(&r.plan);
    db_close(r.conn);
    return rc;
}
