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

#endif
