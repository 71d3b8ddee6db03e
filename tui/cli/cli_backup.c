/* cli_backup.c: backup, backup list and restore on the command line, and
 * the backup before a destructive action (see cli_backup.h). */
#include "cli_backup.h"
#include "format.h"
#include "backup.h"
#include "cli_action.h"
#include "json_out.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void utc_text(time_t t, char *buf, size_t len, bool iso)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm);
}

static const char *backup_dir(const Cli *cli)
{
    return session_backup_dir(&cli->session);
}

static int list_backups(Cli *cli, DbConn *conn)
{
    char *label = backup_label(conn);
    BackupList l;
    DbError err = DB_ERROR_INIT;
    int rc = EXIT_OK;
    if (backup_list(backup_dir(cli), label, &l, &err) != 0) {
        free(label);
        return cli_fail(&err);
    }
    if (cli->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++) {
            const BackupInfo *b = &l.items[i];
            char when[32];
            utc_text(b->created, when, sizeof when, true);
            json_t *o = json_object();
            json_object_set_new(o, "file", json_text(b->path));
            json_object_set_new(o, "name", json_text(b->name));
            json_object_set_new(o, "bytes", json_integer(b->bytes));
            json_object_set_new(o, "engine", json_text(db_engine_name(b->engine)));
            json_object_set_new(o, "database", json_text(b->database));
            json_object_set_new(o, "created", json_text(when));
            json_array_append_new(arr, o);
        }
        json_t *root = json_object();
        json_object_set_new(root, "folder", json_text(backup_dir(cli)));
        json_object_set_new(root, "database", json_text(label));
        json_object_set_new(root, "backups", arr);
        json_emit(root);
    } else if (l.count == 0) {
        printf("no backups of %s in %s/ (dbwarden backup makes one)\n", fmt_esc(label),
               fmt_esc(backup_dir(cli)));
    } else {
        printf("%-48s %12s  %s\n", "FILE", "SIZE", "CREATED (UTC)");
        for (size_t i = 0; i < l.count; i++) {
            char size[32], when[32];
            fmt_bytes(l.items[i].bytes, size, sizeof size);
            utc_text(l.items[i].created, when, sizeof when, false);
            printf("%-48s %12s  %s\n", fmt_esc(l.items[i].path), size, when);
        }
    }
    backup_list_free(&l);
    free(label);
    return rc;
}

/* backup: what was written. */
static int backup_finish(CliRun *r)
{
    if (r->failed)
        return cli_fail(&r->err);
    const char *path = r->backup ? r->backup : "";
    if (r->cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_text(path));
        json_object_set_new(o, "bytes", json_integer(r->backup_bytes));
        json_object_set_new(o, "engine", json_text(db_engine_name(db_engine(r->conn))));
        json_object_set_new(o, "database", json_text(db_name(r->conn)));
        json_object_set_new(o, "duration_ms", json_integer(r->plan.run_ms));
        json_emit(o);
    } else {
        char size[32];
        fmt_bytes(r->backup_bytes, size, sizeof size);
        printf("backup    %s\n", fmt_esc(path));
        printf("database  %s (%s)\n", fmt_esc(db_display_url(r->conn)),
               db_engine_name(db_engine(r->conn)));
        if (r->backup_bytes < 1024)
            printf("size      %s\n", size);
        else
            printf("size      %s (%lld bytes)\n", size, r->backup_bytes);
        printf("took      %ld ms\n", r->plan.run_ms);
    }
    return EXIT_OK;
}

static int no_dry_run(CliRun *r)
{
    cli_error("--dry-run: %s changes nothing it could show first; leave --dry-run out",
              r->action->name);
    return EXIT_USAGE;
}

static void quiet_backup_event(CliRun *r, const ActionStep *s)
{
    (void)r;
    (void)s;
}

static const CliReport backup_report = { quiet_backup_event, no_dry_run, backup_finish, NULL };

int cli_cmd_backup(Cli *cli)
{
    bool list = cli->argc == 1 && strcmp(cli->argv[0], "list") == 0;
    if (cli->argc > 1 || (cli->argc == 1 && !list)) {
        cli_error("usage: dbwarden backup [list]");
        return EXIT_USAGE;
    }
    if (!list)
        return cli_action_run(cli, "backup", NULL, false, &backup_report);
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    rc = list_backups(cli, conn);
    db_close(conn);
    return rc;
}

/* restore: what was restored, and where the database as it was went. */
static int restore_finish(CliRun *r)
{
    if (r->failed) {
        int rc = cli_fail(&r->err);
        if (r->backup)
            cli_error("the backup taken just before is %s", r->backup);
        return rc;
    }
    const char *file = r->plan.data;   /* the file as found (action_backup.c) */
    long ms = r->plan.run_ms;
    if (r->cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_text(file));
        json_object_set_new(o, "engine", json_text(db_engine_name(db_engine(r->conn))));
        json_object_set_new(o, "database", json_text(db_name(r->conn)));
        json_object_set_new(o, "duration_ms", json_integer(ms));
        json_object_set_new(o, "backup_before", json_text(r->backup));
        json_emit(o);
    } else {
        printf("%s\n", fmt_esc(r->outcome));
        if (r->backup)
            printf("the database as it was before is in %s\n", fmt_esc(r->backup));
    }
    return EXIT_OK;
}

static const CliReport restore_report = { quiet_backup_event, no_dry_run, restore_finish, NULL };

int cli_cmd_restore(Cli *cli)
{
    if (cli->argc != 1) {
        cli_error("usage: dbwarden restore FILE (a backup; dbwarden backup list shows them)");
        return EXIT_USAGE;
    }
    return cli_action_run(cli, "restore", cli->argv[0], false, &restore_report);
}
