/* backup.h: backups of the open database, and restoring them.
 *
 * SQLite goes through the online backup API (a consistent copy while other
 * connections read and write); PostgreSQL through pg_dump -Fc, and
 * pg_restore with psql, found on this machine (see "Finding the tools"
 * below).
 *
 * Files.  <folder>/<database>-<YYYYmmddTHHMMSSZ>.sqlite3 (SQLite) or .dump
 * (PostgreSQL), the time in UTC; "-2", "-3", ... before the extension when
 * several backups of one database fall in the same second.  <database> is
 * backup_label(): the database name, for SQLite without the file's
 * extension, with anything but letters, digits, '.', '_' and '-' made '_'.
 * A backup is written to a hidden temporary name in the same folder and
 * moved to its own name only when complete; on any failure the temporary
 * file is removed, so a file with a backup name is always whole.  The
 * folder is created when missing (mode 0700); files are mode 0600.
 *
 * Order for a destructive action (down, stamp, a fix, a restore):
 *   backup_preflight()   before asking for confirmation, so that a missing
 *                        pg_dump is said before anything else
 *   backup_create()      after confirmation; the caller may skip the backup
 *                        for the run when the user turns it off
 *   the action
 * A restore, in full:
 *   backup_check()       before asking, so that a bad file is said first
 *   confirmation
 *   backup_restore_lock()  the run lock, held from here to the end, so that
 *                        no migration run (nor another restore) mixes in
 *   backup_check()       again, under the lock
 *   backup_create()      the database as it is now
 *   backup_restore()
 *   runlock_release()
 *
 * Finding the tools (PostgreSQL).  pg_dump and pg_restore are looked up in
 * the folders of $PATH, then in /usr/lib/postgresql/<version>/bin; of what
 * is found, the newest whose major version is at least the server's is
 * used.  psql is the one beside pg_restore (or beside what a link to it
 * names: the same client package, which reads what pg_restore writes),
 * else found the same way.  BackupOptions.tool_path, else the environment
 * variable DBWARDEN_PG_PATH when it is set, replaces that whole search
 * with a ':'-separated list of absolute folders ("" searches nowhere): for
 * unusual installs, and for tests.  Relative folders are skipped.  When
 * nothing fits, the call fails with
 * err->code set to BACKUP_NO_TOOL and a message that says what to install;
 * the caller adds how to skip the backup for the run (its own option).
 *
 * Passwords.  pg_dump and psql get a connection string without the
 * password (--dbname); when the URL carries one, it goes through a
 * passfile (mode 0600) that exists on no disk: a private in-memory file
 * (memfd) handed to the child as a descriptor, so that nothing holding the
 * password is left behind however dbwarden ends (SIGKILL included).
 *
 * The tools.  Each runs with only the environment it needs (PATH, HOME,
 * TMPDIR, TZ, LANG, LC_*, KRB5CCNAME, PG* but PGPASSWORD: never
 * DATABASE_URL), none of our descriptors but the passfile, and dies when
 * dbwarden dies (PR_SET_PDEATHSIG).  Their output is scrubbed of the
 * password before it becomes an error message.
 *
 * Temporary files.  A backup being written is named
 * .<name>.tmp-<host>-<pid>-XXXXXX; backup_create() first removes those of
 * its folder whose host is this one and whose process is gone (a backup
 * killed half way).
 *
 * Connections.  Call these outside a transaction: SQLite's restore needs
 * the write lock, pg_dump's locks wait for any the caller holds
 * (--lock-wait-timeout=30s), and so would the restore's. */
#ifndef DBW_BACKUP_H
#define DBW_BACKUP_H

#include <stdbool.h>
#include <time.h>

#include "db.h"
#include "runlock.h"

/* err->code when pg_dump, pg_restore or psql is missing or too old. */
#define BACKUP_NO_TOOL "DBW_NO_PG_TOOL"

/* The environment variable that replaces the tool search (see above). */
#define BACKUP_PATH_ENV "DBWARDEN_PG_PATH"

typedef struct BackupOptions {
    const char *tool_path;  /* folders for pg_dump/pg_restore/psql, ':'-separated;
                               NULL: $DBWARDEN_PG_PATH, else the default search */
} BackupOptions;

typedef struct BackupInfo {
    char     *path;        /* owned: the folder as given, '/', the name */
    char     *name;        /* owned: the file name */
    char     *database;    /* owned: the <database> part of the name */
    DbEngine  engine;      /* from the extension */
    long long bytes;       /* file size */
    time_t    created;     /* from the name (UTC) */
    long      duration_ms; /* how long backup_create took; -1 from backup_list */
} BackupInfo;

typedef struct BackupList {
    BackupInfo *items;     /* owned; newest first */
    size_t      count;
} BackupList;

/* The <database> part of c's backup names (see above).  Caller frees. */
char *backup_label(const DbConn *c);

/* Checks that a backup of c can be taken: for PostgreSQL that a fitting
 * pg_dump exists (BACKUP_NO_TOOL otherwise), for SQLite that c is a file
 * and not an in-memory database.  opt may be NULL.  Changes nothing. */
int  backup_preflight(DbConn *c, const BackupOptions *opt, DbError *err);

/* Backs c up into folder (created when missing; NULL or "" means
 * "backups"; trailing slashes are dropped).  On success *out describes the file written (free it with
 * backup_info_free).  On failure no file is left behind, *out is zeroed,
 * and err says why: DB_ERR_IO (the folder, the disk, the tool), or the
 * engine's error; err->code is BACKUP_NO_TOOL when pg_dump is missing or
 * older than the server.  opt may be NULL. */
int  backup_create(DbConn *c, const char *folder, const BackupOptions *opt, BackupInfo *out,
                   DbError *err);

/* The backups in folder (NULL or "": "backups"), newest first: files whose names follow the pattern
 * above (others, and temporary files, are ignored); only those of
 * database (a backup_label()) unless it is NULL.  A missing folder is an
 * empty list.  Free with backup_list_free. */
int  backup_list(const char *folder, const char *database, BackupList *out, DbError *err);

/* Checks that file is a backup that can be restored into c, without
 * changing anything: it exists, is of c's engine (SQLite database file /
 * pg_dump custom format), and can be read (SQLite: PRAGMA quick_check;
 * PostgreSQL: pg_restore --list, and psql is there).  Fails with
 * DB_ERR_USAGE naming the file when it is missing or not a backup of that
 * engine, DB_ERR_IO when it cannot be read, BACKUP_NO_TOOL when pg_restore
 * or psql is missing. */
int  backup_check(DbConn *c, const char *file, const BackupOptions *opt, DbError *err);

/* Replaces c's contents with file's, after backup_check(), holding the
 * run lock (backup_restore_lock).  Either way the whole database becomes
 * the backup's, as it was at backup time: what was made since is gone.
 * SQLite: the online backup API into c's database file, in one
 * transaction.  PostgreSQL: one transaction, run by psql (found beside
 * pg_restore), that drops every object of the database (every schema but
 * public, everything in public, extensions, large objects, publications,
 * foreign servers, event triggers; public's privileges and comment are put
 * back as a new database has them) and then runs what pg_restore
 * --no-owner --single-transaction prints; roles, tablespaces, the
 * database's settings and default privileges are not touched.  It waits
 * up to 30 s for other sessions' locks.  Either way a failure anywhere
 * leaves the database as it was, and on PostgreSQL that is asked of the
 * server (did the transaction commit?) before success or failure is
 * reported.  *duration_ms (may be NULL) is how long it took.  opt may be
 * NULL. */
int  backup_restore(DbConn *c, const char *file, const BackupOptions *opt, long *duration_ms,
                    DbError *err);

/* Takes the run lock for a restore of c: runlock_acquire(c, "migrations",
 * "dbwarden restore", RUNLOCK_WAIT_DEFAULT).  When another run holds it
 * past that, fails with DB_ERR_BUSY naming the holder.  Release with
 * runlock_release(). */
int  backup_restore_lock(DbConn *c, RunLock **out, DbError *err);

/* What backup_restore(c, file) will do, for a confirmation prompt: the
 * command (connection string redacted) or a sentence.  Caller frees. */
char *backup_restore_describe(const DbConn *c, const char *file);

/* Finds tool ("pg_dump", "pg_restore", "psql") as described above, of major
 * version min_major or newer (0: any).  *path (caller frees) and *major
 * are set on success; on failure err->code is BACKUP_NO_TOOL.  opt may be
 * NULL. */
int  backup_find_tool(const char *tool, int min_major, const BackupOptions *opt, char **path,
                      int *major, DbError *err);

void backup_info_free(BackupInfo *b);   /* frees the strings; zeroes *b */
void backup_list_free(BackupList *l);

#endif
