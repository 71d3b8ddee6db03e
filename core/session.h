/* session.h: one dbwarden session: the configuration (every section,
 * typed), the command line's options applied over it, the database URL
 * in use, read-only, the environment, the migrations folder, and the
 * connection.  Both front ends are built from a Session: the command line
 * reads it, the console hands it to every pane (PaneContext.session); no
 * setting is copied into another struct.
 *
 * Order of calls:
 *   session_init()          the configuration, the options over it, the
 *                           URL (--db, else [database] url, else
 *                           DATABASE_URL, else an Alembic project's own
 *                           sqlalchemy.url), nothing opened yet
 *   session_load_migrations()  when a folder is configured (its bad files
 *                           are kept in it, see migrate.h)
 *   session_connect()       the session's connection, with the statement
 *                           timeout and the lock wait set
 *   session_open()          any number of further connections with the
 *                           same settings (a job's own)
 *   session_reconnect()     after the server went away
 *   session_free()
 *
 * ---- Design note: Session, Action, the list view, and their order ----
 * A Session is what dbwarden knows before it does anything.  Every change
 * it can make is an Action (action.h): one row of one table with its
 * plan, its guard and its run.  A front end finds the row by name, plans
 * it on the session's connection, shows the plan (the command line prints
 * it, the console opens a dialog), asks (action_confirm_*), then executes
 * it: inline on the command line, as a job (job.h) in the console; either
 * way action_execute() takes the run lock, plans again and refuses a
 * stale plan, takes the backup, runs, checks the effect on the database,
 * and releases.  The console draws every list with one list view and
 * every text with one text view (tui/console/listview.h, textview.h),
 * so that filter, search, sort and keys are the same in every pane. */
#ifndef DBW_SESSION_H
#define DBW_SESSION_H

#include <stdbool.h>

#include "config.h"
#include "db.h"
#include "migrate.h"

/* What the command line says; NULL or false: not given. */
typedef struct SessionOptions {
    const char *config_path;     /* --config */
    const char *db_url;          /* --db */
    const char *migrations_dir;  /* --migrations */
    const char *alembic_ini;     /* --alembic */
    const char *theme;           /* --theme */
    bool        read_only;       /* --read-only */
    bool        no_backup;       /* --no-backup: no backup before a destructive action */
} SessionOptions;

typedef struct Session {
    Config  cfg;            /* the configuration, options applied over it;
                               cfg.database.url is the URL in use (NULL:
                               DATABASE_URL) */
    bool    url_from_alembic; /* the URL is the Alembic ini's sqlalchemy.url */
    bool    read_only;
    bool    no_backup;
    MigDir  migrations;     /* valid when migrations_loaded */
    bool    migrations_loaded;
    DbConn *conn;           /* the session's connection, or NULL */
} Session;

/* Reads the configuration (DB_ERR_PARSE/DB_ERR_IO naming the file and
 * line) and applies o over it (o may be NULL).  Opens nothing. */
int  session_init(Session *s, const SessionOptions *o, DbError *err);
/* Loads cfg.migrations.dir when set (DB_ERR_IO when the folder cannot be
 * read; bad files inside are not failures).  A no-op without a folder. */
int  session_load_migrations(Session *s, DbError *err);
/* Opens the session's connection: read-only when the session is, the
 * SQLite file created only when create (and not read-only), with the
 * statement timeout and the lock wait of [database]. */
int  session_connect(Session *s, bool create, DbError *err);
/* Another connection with the same URL and settings (caller closes). */
int  session_open(const Session *s, bool create, DbConn **out, DbError *err);
/* Opens the session's connection again after it was lost. */
int  session_reconnect(Session *s, DbError *err);
/* environment = production: destructive actions ask for the database name. */
bool session_production(const Session *s);
/* [backup] dir, never NULL. */
const char *session_backup_dir(const Session *s);
/* The migrations folder when one was loaded, else NULL. */
const MigDir *session_migrations(const Session *s);
void session_free(Session *s);

#endif
