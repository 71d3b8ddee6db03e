/* cli_console.c: the commands that open the console: tui and demo. */
#include "cli.h"
#include "console.h"
#include "cli_confirm.h"
#include "demo.h"
#include "format.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool have_terminal(void)
{
    return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/* A theme that cannot be loaded is a bad option (or setting): exit 2
 * before anything starts, naming the file and line when it is malformed. */
static int check_theme(const Cli *cli)
{
    if (!cli->theme)
        return EXIT_OK;
    Theme t;
    theme_init_builtin(&t);
    DbError err = DB_ERROR_INIT;
    int rc = theme_load(&t, cli->theme, cli_theme_dirs(), &err);
    theme_free(&t);
    if (rc == 0)
        return EXIT_OK;
    cli_fail(&err);
    return EXIT_USAGE;
}

static int run_console(Cli *cli, DbConn *conn, const MigDir *dir)
{
    ConsoleOptions o = {
        .conn = conn,
        .migrations = dir,
        .migrations_path = dir ? dir->path : NULL,
        .theme = cli->theme,
        .theme_dirs = cli_theme_dirs(),
        .environment = cli->cfg.database.environment,
        .read_only = cli->read_only,
        .db_url = cli->db_url,
        .backup_dir = cli->cfg.backup.dir,
        .no_backup = cli->no_backup,
        .statement_timeout_ms = cli->cfg.database.statement_timeout,
        .alembic_ini = cli->alembic_ini,
        .alembic_command = cli->cfg.migrations.alembic_command,
        .alembic_url_env = cli->cfg.migrations.alembic_url_env,
        .alembic_url_from_env = cli->cfg.migrations.alembic_url_from_env,
    };
    return console_run(&o);
}

int cli_cmd_tui(Cli *cli)
{
    if (check_theme(cli) != EXIT_OK)
        return EXIT_USAGE;
    if (!have_terminal()) {
        cli_error("the console needs a terminal; for scripts use a command such as "
                  "'dbwarden status' (see dbwarden --help)");
        return EXIT_USAGE;
    }
    MigDir dir;
    bool loaded;
    int rc = cli_load_migrations(cli, false, &dir, &loaded);
    if (rc != EXIT_OK)
        return rc;
    DbConn *conn;
    rc = cli_connect(cli, false, &conn);
    if (rc == EXIT_OK) {
        rc = run_console(cli, conn, loaded ? &dir : NULL);
        db_close(conn);
    }
    migrate_dir_free(&dir);
    return rc;
}

int cli_cmd_demo(Cli *cli)
{
    if (cli_refuse_read_only(cli, "demo (it builds the demo database anew)"))
        return EXIT_USAGE;
    if (check_theme(cli) != EXIT_OK)
        return EXIT_USAGE;
    /* only --db names the demo file: never the configured database */
    const char *path = cli->db_option ? cli->db_option : "demo.db";
    if (strstr(path, "://") || strchr(path, '=')) {
        cli_error("demo builds a SQLite file: give --db a plain path such as build/demo.db");
        return EXIT_USAGE;
    }
    if (!demo_replaceable(path)) {
        cli_error("%s exists and is not a demo database made by dbwarden; demo will not "
                  "replace it: give --db another path", path);
        return EXIT_USAGE;
    }
    if (!cli->migrations_dir)
        cli->migrations_dir = access("migrations/sqlite", F_OK) == 0
            ? "migrations/sqlite" : DBWARDEN_SOURCE_DIR "/migrations/sqlite";
    MigDir dir;
    bool loaded;
    int rc = cli_load_migrations(cli, true, &dir, &loaded);
    DbError err = DB_ERROR_INIT;
    if (rc == EXIT_OK && demo_build(path, &dir, &err) != 0)
        rc = cli_fail(&err);
    if (rc == EXIT_OK) {
        if (!have_terminal()) {
            printf("demo database ready: %s (open it with: dbwarden --db %s)\n", fmt_esc(path),
                   fmt_esc(path));
        } else {
            cli->db_url = path;
            DbConn *conn;
            rc = cli_connect(cli, false, &conn);
            if (rc == EXIT_OK) {
                rc = run_console(cli, conn, &dir);
                db_close(conn);
            }
        }
    }
    migrate_dir_free(&dir);
    return rc;
}
