/* config.h: dbwarden.ini settings.
 *
 * Looked up as --config FILE, else ./dbwarden.ini, else
 * $XDG_CONFIG_HOME/dbwarden/config.ini (~/.config when unset); a missing
 * default file is not an error, a missing --config file is.  Command-line
 * options override what is read here (the caller applies them). */
#ifndef DBW_CONFIG_H
#define DBW_CONFIG_H

#include "error.h"

typedef struct Config {
    char *path;              /* owned: the file read, or NULL */
    char *db_url;            /* [database] url */
    char *environment;       /* [database] environment: development|staging|production */
    int   statement_timeout; /* [database] statement_timeout, milliseconds; 0 = none */
    int   lock_wait;         /* [database] lock_wait, milliseconds: how long a run
                                waits for another run's lock; -1 = the default */
    char *migrations_dir;    /* [migrations] dir */
    char *alembic_ini;       /* [migrations] alembic_ini */
    char *alembic_command;   /* [migrations] alembic_command */
    char *alembic_url_env;   /* [migrations] alembic_url_env: the environment
                                variable that hands dbwarden's URL to alembic
                                (default DATABASE_URL) */
    int   alembic_url_from_env; /* [migrations] alembic_url_from_env: yes when
                                the project's env.py reads its URL from that
                                variable (then sqlalchemy.url is not checked) */
    char *theme;             /* [ui] theme */
    char *backup_dir;        /* [backup] dir */
} Config;

/* Fills cfg with defaults, then reads the file (explicit may be NULL).  An
 * unknown section or key, or a bad value, is a DB_ERR_PARSE error naming
 * the file and line. */
int  config_load(Config *cfg, const char *explicit_path, DbError *err);
void config_free(Config *cfg);

/* Parses "30s", "500ms", "2m", "1h" or a bare number of seconds into
 * milliseconds; -1 when malformed. */
long config_parse_duration(const char *s);

#endif
