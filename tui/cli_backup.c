/* cli_backup.c: backup, backup list and restore on the command line, and
 * the backup before a destructive action (see cli_backup.h). */
#include "cli_backup.h"
#include "format.h"
#include "backup.h"
#include "cli_confirm.h"
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
    return cli->cfg.backup.dir && *cli->cfg.backup.dir ? cli->cfg.backup.dir : "backups";
}

static void say_how_to_skip(void)
{
    cli_error("nothing was changed; fix that, or pass --no-backup to go on without a backup");
}

int cli_backup_preflight(const Cli *cli, DbConn *conn)
{
    if (cli->no_backup)
        return EXIT_OK;
    DbError err = DB_ERROR_INIT;
    if (backup_preflight(conn, NULL, &err) == 0)
        return EXIT_OK;
    cli_error("%s needs a backup first, and none can be taken: %s", cli->command, err.message);
    db_error_clear(&err);
    say_how_to_skip();
    return EXIT_PROBLEMS;
}

/* Takes the backup before cli->command; *path (may be NULL) gets its file. */
static int take_before(const Cli *cli, DbConn *conn, char **path)
{
    if (path)
        *path = NULL;
    if (cli->no_backup) {
        fprintf(stderr, "dbwarden: no backup before %s (--no-backup)\n", cli->command);
        return EXIT_OK;
    }
    BackupInfo b;
    DbError err = DB_ERROR_INIT;
    if (backup_create(conn, backup_dir(cli), NULL, &b, &err) != 0) {
        cli_error("no backup could be taken before %s: %s", cli->command, err.message);
        db_error_clear(&err);
        say_how_to_skip();
        return EXIT_PROBLEMS;
    }
    char size[32];
    fmt_bytes(b.bytes, size, sizeof size);
    fprintf(stderr, "dbwarden: backup before %s: %s (%s, %ld ms)\n", cli->command, fmt_esc(b.path), size,
            b.duration_ms);
    if (path) {
        *path = b.path;
        b.path = NULL;
    }
    backup_info_free(&b);
    return EXIT_OK;
}

int cli_backup_take(const Cli *cli, DbConn *conn)
{
    return take_before(cli, conn, NULL);
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

int cli_cmd_backup(Cli *cli)
{
    bool list = cli->argc == 1 && strcmp(cli->argv[0], "list") == 0;
    if (cli->argc > 1 || (cli->argc == 1 && !list)) {
        cli_error("usage: dbwarden backup [list]");
        return EXIT_USAGE;
    }
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    if (list) {
        rc = list_backups(cli, conn);
        db_close(conn);
        return rc;
    }
    BackupInfo b;
    DbError err = DB_ERROR_INIT;
    if (backup_create(conn, backup_dir(cli), NULL, &b, &err) != 0) {
        rc = cli_fail(&err);
        db_close(conn);
        return rc;
    }
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_text(b.path));
        json_object_set_new(o, "bytes", json_integer(b.bytes));
        json_object_set_new(o, "engine", json_text(db_engine_name(b.engine)));
        json_object_set_new(o, "database", json_text(db_name(conn)));
        json_object_set_new(o, "duration_ms", json_integer(b.duration_ms));
        json_emit(o);
    } else {
        char size[32];
        fmt_bytes(b.bytes, size, sizeof size);
        printf("backup    %s\n", fmt_esc(b.path));
        printf("database  %s (%s)\n", fmt_esc(db_display_url(conn)), db_engine_name(b.engine));
        if (b.bytes < 1024)
            printf("size      %s\n", size);
        else
            printf("size      %s (%lld bytes)\n", size, b.bytes);
        printf("took      %ld ms\n", b.duration_ms);
    }
    backup_info_free(&b);
    db_close(conn);
    return EXIT_OK;
}

/* FILE as given; a bare name that is not here but is in the backup
 * folder is taken from there.  Caller frees. */
static char *resolve_file(const Cli *cli, const char *file)
{
    struct stat st;
    if (stat(file, &st) != 0 && !strchr(file, '/')) {
        char *in_dir = xasprintf("%s/%s", backup_dir(cli), file);
        if (stat(in_dir, &st) == 0)
            return in_dir;
        free(in_dir);
    }
    return xstrdup(file);
}

/* Under the run lock: file checked again, the backup of the database as
 * it is, the restore; *before gets the backup's file, *ms the time. */
static int restore_locked(const Cli *cli, DbConn *conn, const char *file, char **before,
                          long *ms)
{
    RunLock *lock = NULL;
    DbError err = DB_ERROR_INIT;
    int rc = EXIT_PROBLEMS;
    if (backup_restore_lock(conn, &lock, &err) != 0 || backup_check(conn, file, NULL, &err) != 0) {
        rc = cli_fail(&err);
        cli_error("nothing was changed");
        goto done;
    }
    rc = take_before(cli, conn, before);
    if (rc != EXIT_OK)
        goto done;
    if (backup_restore(conn, file, NULL, ms, &err) != 0) {
        rc = cli_fail(&err);
        if (*before)
            cli_error("the backup taken just before is %s", *before);
        goto done;
    }
    rc = EXIT_OK;
done:
    runlock_release(lock);
    return rc;
}

int cli_cmd_restore(Cli *cli)
{
    if (cli->argc != 1) {
        cli_error("usage: dbwarden restore FILE (a backup; dbwarden backup list shows them)");
        return EXIT_USAGE;
    }
    if (cli_refuse_read_only(cli, "restore"))
        return EXIT_USAGE;
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    char *file = resolve_file(cli, cli->argv[0]);
    char *before = NULL, *what = NULL, *action = NULL;
    DbError err = DB_ERROR_INIT;
    if (backup_check(conn, file, NULL, &err) != 0) {
        rc = cli_fail(&err);
        cli_error("nothing was changed");
        goto done;
    }
    rc = cli_backup_preflight(cli, conn);
    if (rc != EXIT_OK)
        goto done;
    what = backup_restore_describe(conn, file);
    action = xasprintf("restore %s", file);
    if (!cli_confirm(cli, conn, action, what)) {
        rc = EXIT_PROBLEMS;
        goto done;
    }
    long ms = 0;
    rc = restore_locked(cli, conn, file, &before, &ms);
    if (rc != EXIT_OK)
        goto done;
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_text(file));
        json_object_set_new(o, "engine", json_text(db_engine_name(db_engine(conn))));
        json_object_set_new(o, "database", json_text(db_name(conn)));
        json_object_set_new(o, "duration_ms", json_integer(ms));
        json_object_set_new(o, "backup_before", json_text(before));
        json_emit(o);
    } else {
        printf("restored %s into %s (%ld ms)\n", fmt_esc(file), fmt_esc(db_display_url(conn)), ms);
        if (before)
            printf("the database as it was before is in %s\n", fmt_esc(before));
    }
done:
    free(action);
    free(what);
    free(before);
    free(file);
    db_close(conn);
    return rc;
}

int cli_guard_confirm(const Cli *cli, DbConn *conn, const char *action, const char *what)
{
    int rc = cli_backup_preflight(cli, conn);
    if (rc != EXIT_OK)
        return rc;
    return cli_confirm(cli, conn, action, what) ? EXIT_OK : EXIT_PROBLEMS;
}

int cli_guard_destructive(const Cli *cli, DbConn *conn, const char *action, const char *what)
{
    int rc = cli_guard_confirm(cli, conn, action, what);
    return rc != EXIT_OK ? rc : cli_backup_take(cli, conn);
}
