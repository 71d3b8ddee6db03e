/* backup_internal.h: what the backup_*.c files share.  Only they include it.
 *
 * backup.c        names, folders, atomic placement, list, dispatch
 * backup_sqlite.c the SQLite online backup API, both directions
 * backup_pg.c     pg_dump / pg_restore: connection string, passfile
 * backup_tool.c   finding the PostgreSQL tools and running a child */
#ifndef DBW_BACKUP_INTERNAL_H
#define DBW_BACKUP_INTERNAL_H

#include <signal.h>
#include "backup.h"

/* SQLite.  dest is an empty file that the copy fills.  Failures carry the
 * engine's code in err->code. */
bool backup_sqlite_in_memory(const DbConn *c);
int  backup_sqlite_save(DbConn *c, const char *dest, DbError *err);
int  backup_sqlite_check(DbConn *c, const char *file, DbError *err);
int  backup_sqlite_load(DbConn *c, const char *file, DbError *err);

/* PostgreSQL.  tool is a path from backup_pg_find(); dest is an empty file
 * that pg_dump overwrites. */
int  backup_pg_find(DbConn *c, const char *name, const BackupOptions *o, char **tool,
                    DbError *err);
int  backup_pg_dump(DbConn *c, const char *tool, const char *dest, DbError *err);
int  backup_pg_check(DbConn *c, const char *tool, const char *file, DbError *err);
int  backup_pg_restore(DbConn *c, const char *tool, const char *file, DbError *err);

/* Runs argv[0] (a path to a program) with argv, stdin from /dev/null,
 * stdout and stderr captured together (the first 64 KiB) into *output
 * (caller frees; never NULL on success).  envp NULL keeps our environment.
 * *status is the exit status, or 128 + the signal that ended the child.
 * Returns -1 (DB_ERR_IO) only when the child could not be started. */
/* Blocks SIGINT, SIGTERM, SIGHUP and SIGQUIT in the calling thread (the old
 * mask in *old); release restores it, and a signal that came meanwhile then
 * takes effect.  Children started by backup_tool_run get the default
 * handling and an empty mask, so Ctrl-C still stops pg_dump at once. */
void backup_signals_hold(sigset_t *old);
void backup_signals_release(const sigset_t *old);

int  backup_tool_run(const char *const argv[], char *const envp[], char **output, int *status,
                     DbError *err);

/* A tool's output made into one line for an error message: scrubbed of
 * each non-NULL secret (see db_url_scrub), lines joined with " / ", the
 * last 600 bytes kept.  Caller frees; "(no output)" when empty. */
char *backup_tool_message(const char *output, const char *secret1, const char *secret2);

/* Monotonic milliseconds, for durations. */
long backup_now_ms(void);

#endif
