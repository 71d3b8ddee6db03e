/* cli_check.h: dbwarden check on the command line, split in two files:
 * cli_check.c (the checks, their rows) and cli_check_act.c (the changes:
 * fix, accept, unaccept, run through cli_action_run).
 *
 *   check [--only GROUP[,GROUP]] [--table REGEX] [--fail-on warning|problem]
 *         [--full] [--json]
 *   check rows ID [--csv|--json] [--limit N]
 *   check fix ID --delete|--set-null|--migration [--dry-run] [--yes]
 *         [--no-backup] [--json]
 *   check accept ID --reason TEXT [--actor NAME]
 *   check unaccept ID */
#ifndef DBW_CLI_CHECK_H
#define DBW_CLI_CHECK_H

#include "cli.h"

/* The value of the command's option name (the last one given), or NULL;
 * *given (may be NULL) tells whether it was given at all. */
const char *cli_check_opt(const Cli *cli, const char *name, bool *given);

/* check fix, check accept, check unaccept (cli_check_act.c). */
int cli_check_fix(Cli *cli, const char *id);
int cli_check_accept(Cli *cli, const char *id);
int cli_check_unaccept(Cli *cli, const char *id);

#endif
