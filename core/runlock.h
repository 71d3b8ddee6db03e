/* runlock.h: the lock that lets one migration run at a time per database.
 *
 * PostgreSQL: a session-level advisory lock (two-key form: a fixed
 * dbwarden key and hashtext(name)), visible in pg_locks.  SQLite: flock()
 * on "<the database file's real path>.dbwarden-lock" (so a symlink or
 * another spelling of the path meets the same lock), which also records
 * who holds it, and which the holder removes when it releases the lock
 * (an in-memory database needs no lock).
 *
 * runlock_acquire() waits up to wait_ms; when the lock is still held it
 * fails with DB_ERR_BUSY and a message saying who holds it (PostgreSQL:
 * pid, user, application, since when, from pg_stat_activity; SQLite: what
 * the holder wrote in the lock file).  Every successful acquire is paired
 * with runlock_release(); closing the connection releases too. */
#ifndef DBW_RUNLOCK_H
#define DBW_RUNLOCK_H

#include "db.h"

typedef struct RunLock RunLock;

/* wait_ms for runlock_acquire: the connection's own (db_lock_wait). */
#define RUNLOCK_WAIT_DEFAULT (-1)

/* name: what is locked, e.g. "migrations".  what: a short description of
 * the run for whoever waits ("dbwarden up", "alembic upgrade head"). */
int  runlock_acquire(DbConn *c, const char *name, const char *what, int wait_ms,
                     RunLock **out, DbError *err);
void runlock_release(RunLock *l);   /* NULL is fine */

/* Who holds the lock right now, or NULL when nobody does (caller frees). */
char *runlock_holder(DbConn *c, const char *name);

#endif
