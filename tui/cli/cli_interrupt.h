/* cli_interrupt.h: Ctrl-C and SIGTERM during a command-line action.
 *
 * Without this, SIGINT or SIGTERM ends dbwarden at once while the server
 * goes on running its statement, holding the run lock and table locks
 * until it ends.  Between cli_interrupt_begin() and cli_interrupt_end(),
 * the first SIGINT, SIGTERM or SIGHUP instead cancels the statement
 * running on the connection (db_cancel) and marks the run as interrupted;
 * the action sees DB_ERR_CANCELLED (or polls cli_interrupted() between
 * steps), rolls back and releases its locks, and the command exits with
 * status 1.  A second signal ends the process at once.
 *
 * Order: cli_interrupt_begin(conn) -> the action -> cli_interrupt_end().
 * One at a time per process.  The signal handler only writes a byte to a
 * pipe; a watcher thread does the cancel (db_cancel is thread-safe). */
#ifndef DBW_CLI_INTERRUPT_H
#define DBW_CLI_INTERRUPT_H

#include <stdbool.h>

#include "db.h"

/* Installs the handlers for conn.  Returns 0, or -1 when no watcher
 * could be started (the action then runs with the default handling). */
int  cli_interrupt_begin(DbConn *conn);
/* true once a signal came since cli_interrupt_begin(). */
bool cli_interrupted(void);
/* The signal that came (SIGINT, ...), or 0. */
int  cli_interrupt_signal(void);
/* Restores the previous handlers and stops the watcher.  Returns
 * cli_interrupted(). */
bool cli_interrupt_end(void);

#endif
