/* cli_console.c: the commands that open the console: tui and demo. */
#include "cli.h"
#include "console.h"
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
    const char *name = cli->session.cfg.ui.theme;
    if (!name)
        return EXIT_OK;
    Theme t;
    theme_init_builtin(&t);
    DbError err = DB_ERROR_INIT;
    int rc = theme_load(&t, name, cli_theme_dirs(), &err);
    theme_free(&t);
    if (rc == 0)
        return EXIT_OK;
    cli_fail(&err);
    return EXIT_USAGE;
}

/* The console on the session: its migrations folder loaded (bad files are
 * shown there), its connection opened. */
static int run_console(Cli *cli)
{
    const MigDir *dir;
    int rc = cli_migrations(cli, false, &dir);
    if (rc != EXIT_OK)
        return rc;
    DbError err = DB_ERROR_INIT;
    if (session_connect(&cli->session, false, &err) != 0)
        return cli_fail(&err);
    ConsoleOptions o = { &cli->session, cli_theme_dirs() };
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
    return run_console(cli);
}

int cli_cmd_demo(Cli *cli)
{
    if (cli->session.read_only) {
        cli_error("demo (it builds the demo database anew) writes to the database, and "
                  "--read-only is set");
        return EXIT_USAGE;
    }
    if (check_theme(cli) != EXIT_OK)
        return EXIT_USAGE;
    /* only --db names the demo file: never the configured database */
    const char *path = cli->opt.db_url ? cli->opt.db_url : "demo.db";
    if (strstr(path, "://") || strchr(path, '=')) {
        cli_error("demo builds a SQLite file: give --db a plain path such as build/demo.db");
        return EXIT_USAGE;
    }
    if (!demo_replaceable(path)) {
        cli_error("%s exists and is not a demo database made by dbwarden; demo will not "
                  "replace it: give --db another path", path);
        return EXIT_USAGE;
    }
    if (!cli->session.cfg.migrations.dir)
        config_set(&cli->session.cfg.migrations.dir,
                   access("migrations/sqlite", F_OK) == 0
                       ? "migrations/sqlite" : DBWARDEN_SOURCE_DIR "/migrations/sqlite");
    config_set(&cli->session.cfg.migrations.alembic_ini, NULL);
    const MigDir *dir;
    int rc = cli_migrations(cli, true, &dir);
    DbError err = DB_ERROR_INIT;
    if (rc == EXIT_OK && demo_build(path, dir, &err) != 0)
        rc = cli_fail(&err);
    if (rc != EXIT_OK)
        return rc;
    if (!have_terminal()) {
        printf("demo database ready: %s (open it with: dbwarden --db %s)\n", fmt_esc(path),
               fmt_esc(path));
        return EXIT_OK;
    }
    config_set(&cli->session.cfg.database.url, path);
    return run_console(cli);
}
