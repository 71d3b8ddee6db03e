/* console.h: the ncurses console, entered from main.c.
 *
 * console_run() takes over the terminal until the user quits and returns
 * the process exit status (0 normally).  The caller owns everything in
 * ConsoleOptions and frees it after console_run() returns. */
#ifndef DBW_CONSOLE_H
#define DBW_CONSOLE_H

#include <stdbool.h>

#include "db.h"
#include "migrate.h"

typedef struct ConsoleOptions {
    DbConn       *conn;            /* open connection */
    const MigDir *migrations;      /* loaded migration folder, or NULL */
    const char   *migrations_path; /* as given, for display; may be NULL */
    const char   *theme;           /* theme name or path; NULL = "default" */
    const char *const *theme_dirs; /* NULL-terminated folders to look in */
    const char   *environment;     /* "development", "staging", "production" */
    bool          read_only;
    const char   *db_url;          /* as given, for jobs' own connections;
                                      NULL = DATABASE_URL */
    const char   *backup_dir;      /* [backup] dir; NULL = "backups" */
    bool          no_backup;       /* --no-backup */
    int           statement_timeout_ms; /* [database] statement_timeout; 0: none */
    const char   *alembic_ini;     /* --alembic / alembic_ini: the Migrations
                                      pane shows this Alembic project */
    const char   *alembic_command; /* alembic_command; NULL = "alembic" */
    const char   *alembic_url_env; /* alembic_url_env; NULL = "DATABASE_URL" */
    bool          alembic_url_from_env; /* alembic_url_from_env */
} ConsoleOptions;

int console_run(const ConsoleOptions *opt);

#endif
