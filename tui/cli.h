/* cli.h: the command-line front end: options, commands, exit statuses.
 *
 * main() fills a Cli from argv (options are a table, and so are commands:
 * `dbwarden --help` is generated from both), loads the configuration, then
 * calls the command's run().  A command prints its result on stdout (text,
 * or JSON with --json) and its errors on stderr, and returns an exit
 * status.  Adding a command: one row in cli_commands[] (cli.c) and its run
 * function in a cli_<topic>.c file. */
#ifndef DBW_CLI_H
#define DBW_CLI_H

#include <stdbool.h>

#include "config.h"
#include "db.h"
#include "migrate.h"

enum {
    EXIT_OK = 0,        /* success */
    EXIT_PROBLEMS = 1,  /* problems found, or the action failed */
    EXIT_USAGE = 2,     /* bad command line, option or setting */
    EXIT_CONNECT = 3    /* cannot connect to the database */
};

typedef struct Cli {
    /* options, after the configuration file was applied */
    const char *db_url;          /* NULL: DATABASE_URL */
    const char *db_option;       /* --db as given, or NULL (db_url may come from
                                    the configuration) */
    const char *config_path;
    const char *theme;
    const char *migrations_dir;  /* NULL when neither option nor config names one */
    const char *alembic_ini;
    char *alembic_db_url;        /* owned: db_url taken from the ini's
                                    sqlalchemy.url (cli_alembic_db_url) */
    bool read_only;
    bool json;
    bool yes;
    bool dry_run;
    bool no_backup;
    Config cfg;
    /* the command and its own arguments */
    const char *command;
    int    argc;
    char **argv;
} Cli;

typedef struct CliCommand {
    const char *name;
    const char *args;     /* for the usage line, e.g. "[TARGET]" */
    const char *summary;
    int (*run)(Cli *cli);
} CliCommand;

extern const CliCommand cli_commands[];

/* Prints "dbwarden: <message>" on stderr, and keeps it for cli_finish(). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* --json: every command answers with one JSON object on stdout, failures
 * included.  main() calls cli_set_json() before anything can fail, and
 * cli_finish(status) once the command has returned: when the status is not
 * 0 and nothing was printed as JSON, it prints
 *   {"error": {"kind": "connect", "message": "...", "details": [...],
 *              "exit_status": 3}}
 * from what cli_error() and cli_fail() reported. */
void cli_set_json(bool on);
void cli_finish(int status);
/* Maps an error kind to the exit status. */
int  cli_exit_for(const DbError *err);
/* Reports err on stderr and returns its exit status; clears err. */
int  cli_fail(DbError *err);
/* Opens the database named by the options; on failure reports and returns
 * the exit status (non-zero), else 0. */
int  cli_connect(Cli *cli, bool create, DbConn **out);
/* Loads the migrations folder when one is configured; *loaded tells. */
int  cli_load_migrations(Cli *cli, bool required, MigDir *dir, bool *loaded);
/* The folders to look for themes in, NULL-terminated; static storage. */
const char *const *cli_theme_dirs(void);

/* commands */
int cli_cmd_status(Cli *cli);
int cli_cmd_history(Cli *cli);
int cli_cmd_up(Cli *cli);
int cli_cmd_down(Cli *cli);
int cli_cmd_stamp(Cli *cli);
int cli_cmd_schema(Cli *cli);
int cli_cmd_tui(Cli *cli);
int cli_cmd_demo(Cli *cli);

#endif
