/* cli_confirm.h: confirmation of destructive actions on the command line.
 *
 * cli_confirm() shows what will run (the SQL or the command) on stderr and
 * asks on the terminal for word (action_confirm_word: "yes", or on a
 * production database its name typed in full).  --yes answers for the
 * user.  With no terminal and no --yes it refuses.  Returns true to go
 * on; on false it has printed why. */
#ifndef DBW_CLI_CONFIRM_H
#define DBW_CLI_CONFIRM_H

#include <stdbool.h>

#include "cli.h"

bool cli_confirm(const Cli *cli, DbConn *conn, const char *action, const char *what,
                 const char *word);

#endif
