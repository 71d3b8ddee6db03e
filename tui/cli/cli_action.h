/* cli_action.h: an action of core/action.h run from the command line.
 *
 * cli_action_run() is the command line's side of the one guard:
 *   read-only refused (before connecting), the plan (a dry run prints it
 *   and stops), nothing to do said, the backup's preflight (unless
 *   --no-backup), the plan shown and confirmed (cli_confirm: "yes", or the
 *   database name on production; --yes answers), then action_execute()
 *   inline with Ctrl-C and SIGTERM cancelling the server's statement
 *   (cli_interrupt.h), its events printed as they come, and the result.
 * What is printed for a family of actions (migrations, an Alembic
 * project, backup and restore) is a CliReport: the steps as they come,
 * the dry run, and the result, text or JSON. */
#ifndef DBW_CLI_ACTION_H
#define DBW_CLI_ACTION_H

#include <jansson.h>

#include "action.h"
#include "cli.h"

typedef struct CliRun {
    Cli          *cli;
    const Action *action;
    DbConn       *conn;
    ActionPlan    plan;
    json_t       *steps;     /* --json: the steps done, as the report makes them */
    json_t       *lines;     /* --json: a tool's output lines */
    char         *outcome;   /* what was done, checked on the database */
    char         *backup;    /* the backup written (before a destructive action,
                                or the backup action's own), or NULL */
    long long     backup_bytes;
    DbError       err;       /* the run's error when failed */
    size_t        ndone;     /* steps done (not skipped) */
    const char   *done_verb; /* what the first of them did: "applied" ... */
    bool          failed;
    bool          signalled; /* stopped by Ctrl-C or SIGTERM */
} CliRun;

typedef struct CliReport {
    /* A step done (may be NULL: the default prints "<verb> <id>_<name> (N ms)"). */
    void (*step)(CliRun *r, const ActionStep *s);
    /* --dry-run: prints the plan and returns the exit status. */
    int  (*dry_run)(CliRun *r);
    /* Prints the result (also for nothing to do) and returns the exit status. */
    int  (*finish)(CliRun *r);
    /* Progress while it runs (may be NULL: not shown). */
    void (*progress)(CliRun *r, size_t index, size_t total, const char *what);
} CliReport;

/* Runs the action called name with arg.  create: the SQLite file may be
 * made (up).  Returns the exit status. */
int cli_action_run(Cli *cli, const char *name, const char *arg, bool create,
                   const CliReport *rep);

/* A tool's output line: printed as it comes, or kept for --json. */
void cli_run_line(CliRun *r, const char *line);

#endif
