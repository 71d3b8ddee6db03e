/* cli.h: the command-line front end: options, commands, exit statuses.
 *
 * main() fills a Cli from argv (options are a table, and so are commands:
 * `dbwarden --help` is generated from both), builds the Session (the
 * configuration with the options over it, core/session.h), then calls the
 * command's run().  A command prints its result on stdout (text,
 * or JSON with --json) and its errors on stderr, and returns an exit
 * status.  Adding a command: one row in cli_commands[] (cli.c) and its run
 * function in a cli_<topic>.c file. */
#ifndef DBW_CLI_H
#define DBW_CLI_H

#include <stdbool.h>

#include "config.h"
#include "db.h"
#include "migrate.h"
#include "session.h"

enum {
    EXIT_OK = 0,        /* success */
    EXIT_PROBLEMS = 1,  /* problems found, or the action failed */
    EXIT_USAGE = 2,     /* bad command line, option or setting */
    EXIT_CONNECT = 3    /* cannot connect to the database */
};

/* An option of one command, given after it (check --only KIND): main()
 * reads it with the options of every command and keeps it, in order, in
 * Cli.cmd_opts, for the command to read. */
typedef struct CliCmdOption {
    const char *name;      /* without "--" */
    bool        has_arg;
} CliCmdOption;

typedef struct CliOptValue {
    const char *name;      /* the option's name (static) */
    const char *value;     /* its value (in argv); NULL for a flag */
} CliOptValue;

typedef struct Cli {
    Session        session;  /* every setting, the URL, the migrations folder */
    SessionOptions opt;      /* the options as given (opt.db_url: --db) */
    /* how this command answers */
    bool json;
    bool yes;
    bool dry_run;
    const char *reason;   /* --reason TEXT: why (licenses set) */
    /* seed's options (tui/cli/cli_seed.c) */
    const char *seed_scale;   /* --scale N */
    const char *seed_seed;    /* --seed S */
    bool seed_reset;          /* --reset */
    bool force;               /* --force: seed or reset a production database */
    /* the command and its own arguments */
    const char *command;
    int    argc;
    char **argv;
    CliOptValue *cmd_opts;   /* the command's own options, in order (owned) */
    size_t       ncmd_opts;
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
/* Opens a connection to the session's database (session_open); on
 * failure reports and returns the exit status (non-zero), else 0. */
int  cli_connect(Cli *cli, bool create, DbConn **out);
/* The session's migrations folder, loaded when one is configured (*dir
 * borrowed from the session; NULL without one).  required: no folder is
 * a usage error.  Returns an exit status. */
int  cli_migrations(Cli *cli, bool required, const MigDir **dir);
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
int cli_cmd_actions(Cli *cli);   /* tui/cli/cli_actions.c */
int cli_cmd_keys(Cli *cli);      /* tui/console/keys_card.c */
int cli_cmd_check(Cli *cli);

/* The options of commands that have their own, each ending with a NULL name. */
extern const CliCmdOption cli_check_options[];

#endif
