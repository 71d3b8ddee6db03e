/* cli_backup.h: the backup and restore commands, and the backup taken
 * before a destructive action (see core/backup.h).
 *
 *   dbwarden backup          back up into [backup] dir (default ./backups/)
 *   dbwarden backup list     the backups of this database there, newest first
 *   dbwarden restore FILE    restore FILE (a path, or a name in [backup] dir)
 *
 * The folder to search for pg_dump/pg_restore can be replaced with the
 * environment variable DBWARDEN_PG_PATH (core/backup.h). */
#ifndef DBW_CLI_BACKUP_H
#define DBW_CLI_BACKUP_H

#include "cli.h"

int cli_cmd_backup(Cli *cli);
int cli_cmd_restore(Cli *cli);

/* Before confirmation of a destructive action: checks that its backup can
 * be taken (pg_dump found, ...), unless --no-backup.  Returns an exit
 * status; non-zero means stop: it has printed why and how to go on
 * without a backup (--no-backup). */
int cli_backup_preflight(const Cli *cli, DbConn *conn);

/* After confirmation: takes the backup into [backup] dir unless
 * --no-backup, and says on stderr where it went (stdout may be JSON).
 * Returns an exit status; non-zero means stop (nothing was changed), with
 * the message printed. */
int cli_backup_take(const Cli *cli, DbConn *conn);

/* The guard before a destructive action that takes its backup later,
 * under the run lock: checks that the backup can be taken and asks for
 * confirmation showing what (cli_confirm).  Returns EXIT_OK to go on,
 * else the exit status to return (the reason printed; nothing changed). */
int cli_guard_confirm(const Cli *cli, DbConn *conn, const char *action, const char *what);

/* The whole guard before a destructive action: checks that the backup can
 * be taken, asks for confirmation showing what (cli_confirm), then takes
 * the backup.  Returns EXIT_OK to go on, else the exit status to return
 * (the reason printed; nothing was changed). */
int cli_guard_destructive(const Cli *cli, DbConn *conn, const char *action, const char *what);

#endif
