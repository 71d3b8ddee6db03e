/* cli_migrate.c: status, history and up on the command line. */
#include "cli.h"
#include "cli_alembic.h"
#include "cli_backup.h"
#include "cli_action.h"
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
static int load_status(Cli *cli, DbConn **conn, const MigDir **dir, MigStatus *st)
{
    int rc = cli_connect(cli, false, conn);
    if (rc != EXIT_OK)
        return rc;
    rc = cli_migrations(cli, false, dir);
    if (rc != EXIT_OK) {
        db_close(*conn);
        return rc;
    }
    DbError err = DB_ERROR_INIT;
    if (migrate_status(*conn, *dir, st, &err) != 0) {
        char *who = err.kind == DB_ERR_BUSY ? runlock_holder(*conn, "migrations") : NULL;
        if (who)
            db_error_prefix(&err, "a migration run holds the database (%s); try again when it "
                            "has finished", who);
        free(who);
        rc = cli_fail(&err);
        db_close(*conn);
    }
    return rc;
}

/* With --alembic (or alembic_ini in the configuration), the commands act
 * on the Alembic project.  Returns true when it did, with *rc its exit
 * status. */
static bool alembic_project(Cli *cli, const char *verb, int *rc)
{
    if (!cli->session.cfg.migrations.alembic_ini)
        return false;
    DbConn *conn;
    *rc = cli_connect(cli, false, &conn);
    if (*rc != EXIT_OK)
        return true;
    if (strcmp(verb, "status") == 0)
        *rc = cli_alembic_status(cli, conn);
    else
        *rc = cli_alembic_history(cli, conn);
    db_close(conn);
    return true;
}

typedef int (*OtherFn)(const Cli *cli, DbConn *conn, bool *found);

/* With no migrations folder and no dbwarden_migrations table, the database
 * may belong to another tool: show that one (read-only).  Returns true
 * when it did, with *rc its exit status. */
static bool other_tool(Cli *cli, OtherFn fn, int *rc)
{
    if (cli->session.cfg.migrations.dir)
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
    const MigDir *dir;
    MigStatus st;
    rc = load_status(cli, &conn, &dir, &st);
    if (rc != EXIT_OK)
        return rc;
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "source", json_text("dbwarden"));
        json_object_set_new(o, "engine", json_text(db_engine_name(db_engine(conn))));
        json_object_set_new(o, "database", json_text(db_display_url(conn)));
        json_object_set_new(o, "migrations_dir", json_text(dir ? dir->path : NULL));
        json_object_set_new(o, "current", versions_json(st.current));
        json_object_set_new(o, "heads", versions_json(dir ? folder_head(dir) : st.current));
        json_object_set_new(o, "applied", json_integer((json_int_t)st.applied));
        json_object_set_new(o, "pending", json_integer((json_int_t)st.pending));
        json_object_set_new(o, "problems", problems_json(&st));
        json_emit(o);
    } else {
        printf("database    %s (%s)\n", fmt_esc(db_display_url(conn)),
               db_engine_name(db_engine(conn)));
        printf("migrations  %s\n", dir ? fmt_esc(dir->path) : "(no folder given: --migrations DIR)");
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
    db_close(conn);
    return rc;
}

int cli_cmd_history(Cli *cli)
{
    int rc;
    if (alembic_project(cli, "history", &rc) || other_tool(cli, cli_othertools_history, &rc))
        return rc;
    DbConn *conn;
    const MigDir *dir;
    MigStatus st;
    rc = load_status(cli, &conn, &dir, &st);
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
    db_close(conn);
    return EXIT_OK;
}

/* ---- up, down, stamp ------------------------------------------------ */

/* Where the database is after a run: "0012", "no version", or "an unknown
 * version (why)". */
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

/* --dry-run: the exact SQL, bookkeeping included. */
static int mig_dry_run(CliRun *r)
{
    const char *sql = r->plan.what ? r->plan.what : "";
    if (r->cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "summary", json_text(r->plan.summary));
        json_object_set_new(o, "sql", json_text(sql));
        json_emit(o);
    } else if (r->plan.what) {
        fmt_put_sql(stdout, sql);
    } else {
        printf("-- %s\n", fmt_esc(r->plan.summary));
    }
    return EXIT_OK;
}

/* The result: what ran, and where the database is now (read again). */
static int mig_finish(CliRun *r)
{
    Cli *cli = r->cli;
    MigStatus st;
    bool have;
    char *cur = where_now(r->conn, session_migrations(&cli->session), &st, &have);
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "summary", json_text(r->plan.summary));
        json_object_set_new(o, r->action == &action_up ? "applied" : "steps",
                            json_incref(r->steps));
        json_object_set_new(o, "current", have ? versions_json(st.current) : json_null());
        json_object_set_new(o, "pending", have ? json_integer((json_int_t)st.pending)
                                               : json_null());
        json_object_set_new(o, "error", r->failed ? json_text(r->err.message) : json_null());
        json_emit(o);
    } else if (!r->failed) {
        if (r->plan.nothing)
            printf("nothing to do; the database is at %s\n", fmt_esc(cur));
        else if (r->ndone == 0)
            printf("nothing to do; the database is at %s\n", fmt_esc(cur));
        else
            printf("%zu migration%s %s; the database is at %s\n", r->ndone,
                   r->ndone == 1 ? "" : "s", r->done_verb, fmt_esc(cur));
    }
    int rc = EXIT_OK;
    if (r->failed) {
        rc = cli_fail(&r->err);
        cli_error("the database is at %s", cur);
    }
    free(cur);
    if (have)
        migrate_status_free(&st);
    return rc;
}

static const CliReport mig_report = { NULL, mig_dry_run, mig_finish, NULL };

/* up, down and stamp of dbwarden's own migrations, or of an Alembic
 * project (cli_alembic.c), through the action table. */
static int run_change(Cli *cli, const char *name, bool needs_arg)
{
    if (cli->argc > 1 || (needs_arg && cli->argc == 0)) {
        cli_error("usage: dbwarden %s%s %s", cli->session.cfg.migrations.alembic_ini
                                              ? "--alembic INI " : "", name,
                  needs_arg ? "TARGET" : "[TARGET]");
        return EXIT_USAGE;
    }
    const char *arg = cli->argc ? cli->argv[0] : NULL;
    if (cli->session.cfg.migrations.alembic_ini)
        return cli_alembic_run(cli, name, arg);
    const MigDir *dir;
    int rc = cli_migrations(cli, true, &dir);
    if (rc != EXIT_OK)
        return rc;
    DbError err = DB_ERROR_INIT;
    if (migrate_refuse_bad_files(dir->bad, dir->nbad, &err) != 0)
        return cli_fail(&err);   /* before connecting: no database file made */
    return cli_action_run(cli, name, arg, strcmp(name, "up") == 0, &mig_report);
}

int cli_cmd_up(Cli *cli)
{
    return run_change(cli, "up", false);
}

int cli_cmd_down(Cli *cli)
{
    return run_change(cli, "down", false);
}

int cli_cmd_stamp(Cli *cli)
{
    return run_change(cli, "stamp", true);
}
