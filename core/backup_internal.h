/* backup_internal.h: what the backup_*.c files share.  Only they include it.
 *
 * backup.c        names, folders, atomic placement, list, dispatch
 * backup_sqlite.c the SQLite online backup API, both directions
 * backup_pg.c     pg_dump, and what the PostgreSQL tools share: connection
 *                 string, passfile, finding psql, pg_restore --list
 * backup_pgrestore.c  the PostgreSQL restore: one transaction through psql
 * backup_tool.c   finding the PostgreSQL tools, their messages, signals
 * backup_child.c  running the tools: fork/exec, environment, memfds */
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

/* PostgreSQL (backup_pg.c, backup_pgrestore.c).  tool is a path from
 * backup_pg_find(); dest is an empty file that pg_dump overwrites. */
typedef struct ToolConn {
    char  *conninfo;  /* keyword string for --dbname: no password */
    int    fds[2];    /* the child's 3 (passfile) and 4 (service file), or -1 */
    char  *escaped;   /* the password as written in the passfile, or NULL */
    char **envp;      /* backup_tool_env() for these */
} ToolConn;

/* How a tool reaches c (see backup_pg.c); app is the application_name it
 * shows unless the URL names one.  Close with backup_pg_conn_close. */
int   backup_pg_conn_open(DbConn *c, const char *app, ToolConn *t, DbError *err);
void  backup_pg_conn_close(ToolConn *t);
/* A tool's output for an error message, scrubbed of c's password (and of
 * its passfile form when t is not NULL).  Caller frees. */
char *backup_pg_message(DbConn *c, const ToolConn *t, const char *output);

int  backup_pg_find(DbConn *c, const char *name, const BackupOptions *o, char **tool,
                    DbError *err);
/* psql from pg_restore's own client package when it is there (beside
 * restore_tool, or beside what a link to it names), else found as
 * backup_pg_find() does.  *psql: caller frees. */
int  backup_pg_find_psql(DbConn *c, const char *restore_tool, const BackupOptions *o,
                         char **psql, DbError *err);
int  backup_pg_dump(DbConn *c, const char *tool, const char *dest, DbError *err);
/* pg_restore --list of file: can it be read? */
int  backup_pg_check(DbConn *c, const char *tool, const char *file, DbError *err);
/* The restore (backup_pgrestore.c): tool is pg_restore, psql psql. */
int  backup_pg_restore(DbConn *c, const char *tool, const char *psql, const char *file,
                       DbError *err);

/* Blocks SIGINT, SIGTERM, SIGHUP and SIGQUIT in the calling thread (the old
 * mask in *old); release restores it, and a signal that came meanwhile then
 * takes effect.  Children started by backup_tool_run get the default
 * handling and an empty mask, so Ctrl-C still stops pg_dump at once. */
void backup_signals_hold(sigset_t *old);
void backup_signals_release(const sigset_t *old);

/* ---- running the tools (backup_child.c) ----
 *
 * A child is forked and exec'd with: stdin /dev/null (or the previous
 * stage's stdout), stdout and stderr captured together (the first 64 KiB),
 * the descriptors in fds as its 3 and 4 and no other of ours, the default
 * action for SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE, an empty signal
 * mask, and PR_SET_PDEATHSIG = SIGKILL: it dies when the thread that
 * started it ends, so a killed dbwarden leaves no tool running.  Call from
 * the thread that waits for the child (these calls wait). */
typedef struct ToolCmd {
    const char *const *argv;  /* argv[0]: the program's path */
    char *const       *envp;  /* NULL: backup_tool_env(NULL) */
    int                fds[2];/* become the child's 3 and 4 (-1: none); the
                                 caller keeps and closes its own */
} ToolCmd;

/* Runs argv with envp (NULL: backup_tool_env(NULL)); *output (caller frees;
 * never NULL on success) holds what it printed, *status its exit status or
 * 128 + the signal that ended it.  Returns -1 (DB_ERR_IO) only when the
 * child could not be started. */
int  backup_tool_run(const char *const argv[], char *const envp[], char **output, int *status,
                     DbError *err);

/* Runs n (1 or 2) commands, each one's stdout the next one's stdin, the
 * last one's stdout and every stderr captured into *output as above;
 * status[i] is command i's exit status.  When a command cannot be started
 * none runs on (those started are killed) and -1 is returned. */
int  backup_tool_pipeline(const ToolCmd *cmds, size_t n, char **output, int *status,
                          DbError *err);

/* Our environment as far as a PostgreSQL tool needs it: PATH, HOME, TMPDIR,
 * TZ, LANG, LANGUAGE, LC_*, KRB5CCNAME, and PG* but PGPASSWORD (and
 * PGSERVICEFILE when extra is given), plus extra ("NAME=value") when not
 * NULL.  Never DATABASE_URL.  Free with backup_tool_env_free. */
char **backup_tool_env(const char *extra);
void   backup_tool_env_free(char **env);

/* A private in-memory file (memfd, mode 0600, close-on-exec) holding text
 * (may be NULL: empty), named name in /proc; it exists on no disk and goes
 * when its last descriptor closes, so a SIGKILL leaves nothing behind.  A
 * child given it as descriptor N reads it as /proc/self/fd/N.  Returns the
 * descriptor (caller closes), or -1 (DB_ERR_IO). */
int  backup_tool_memfd(const char *name, const char *text, DbError *err);

/* A tool's output made into one line for an error message: scrubbed of
 * each non-NULL secret (see db_url_scrub), lines joined with " / ", the
 * last 600 bytes kept.  Caller frees; "(no output)" when empty. */
char *backup_tool_message(const char *output, const char *secret1, const char *secret2);

/* Monotonic milliseconds, for durations. */
long backup_now_ms(void);

#endif
