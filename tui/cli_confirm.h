/* cli_confirm.h: confirmation of destructive actions on the command line.
 *
 * cli_confirm() shows what will run (the SQL or the command) on stderr and
 * asks on the terminal: "yes" to go on, or, on a database whose
 * environment is production, the database name typed in full.  --yes
 * answers for the user.  With no terminal and no --yes it refuses.  Returns true to go
 * on; on false it has printed why. */
#ifndef DBW_CLI_CONFIRM_H
#define DBW_CLI_CONFIRM_H

#include <stdbool.h>

#include "cli.h"

bool cli_confirm(const Cli *cli, DbConn *conn, const char *action, const char *what);

/* Refuses a write in --read-only mode: prints why and returns true when
 * the command must stop. */
bool cli_refuse_read_only(const Cli *cli, const char *command);


#endif
