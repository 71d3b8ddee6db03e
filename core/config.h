/* config.h: dbwarden.ini settings, every section typed.
 *
 * Looked up as --config FILE, else ./dbwarden.ini, else
 * $XDG_CONFIG_HOME/dbwarden/config.ini (~/.config when unset); a missing
 * default file is not an error, a missing --config file is.  Command-line
 * options override what is read here (the Session applies them, see
 * session.h).
 *
 * One table of keys (config.c) says, per key, its section, its type, where
 * it goes and its default; a value of the wrong type (a duration that is
 * not one, a pattern pcre2 refuses, an environment nobody knows) is an
 * error that names the file, the line and the key.  Each section is read
 * by the part of dbwarden that uses it: [integrity] by the integrity
 * checks, [billing] by the licenses model, [seed] by the seed sets.
 *
 * Adding a setting: a member in its section's struct below, one row in
 * keys[] (config.c) with its default, a line in the README. */
#ifndef DBW_CONFIG_H
#define DBW_CONFIG_H

#include <stdbool.h>

#include "error.h"

typedef struct DatabaseSettings {
    char *url;                 /* url; NULL: DATABASE_URL */
    char *environment;         /* development | staging | production */
    int   statement_timeout;   /* milliseconds; 0 = none */
    int   lock_wait;           /* milliseconds a run waits for another run's lock */
} DatabaseSettings;

typedef struct MigrationSettings {
    char *dir;                 /* dbwarden's own SQL migrations, or NULL */
    char *alembic_ini;         /* an Alembic project, or NULL */
    char *alembic_command;     /* the project's alembic, e.g. "docker compose exec -T api alembic" */
    char *alembic_url_env;     /* the variable that hands dbwarden's URL to alembic */
    bool  alembic_url_from_env; /* the project's env.py reads it (sqlalchemy.url not checked) */
} MigrationSettings;

typedef struct BackupSettings {
    char *dir;                 /* where backups go */
} BackupSettings;

typedef struct UiSettings {
    char *theme;               /* a theme name or a .theme file */
} UiSettings;

typedef struct IntegritySettings {
    char *inferred_fk;         /* pcre2: a column that names a parent; group 1 names it */
    char *inferred_aliases;    /* "creator:users owner:users ...": group 1 -> table */
    char *money_columns;       /* pcre2: a column that holds money */
    char *status_columns;      /* pcre2: a column that holds a state */
    char *warn_if;             /* threshold (integrity.h): orphans of a declared key,
                                  and foreign_key_check, are a warning */
    char *error_if;            /* ... a problem (wins over warn_if) */
    char *inferred_warn_if;    /* the same for inferred relationships */
    char *inferred_error_if;
    char *inverse_dir;         /* where a fix writes its inverse SQL; NULL: [backup] dir */
} IntegritySettings;

typedef struct BillingSettings {
    char *users;               /* the tables the licenses model reads */
    char *subscriptions;
    char *licenses;
    char *license_events;
    char *jobs;
    char *audit_log;
    int   grace_period;        /* milliseconds after next_billing_date */
    /* state vocabularies and their roles: space-separated words, checked
     * when read (billing_settings.h) */
    char *subscription_states; /* every state, in order */
    char *subscription_live;   /* still running */
    char *subscription_past_due; /* live but not paid */
    char *subscription_ended;  /* over */
    char *license_states;      /* every state, in order */
    char *license_live;        /* lets the user run jobs */
    char *license_suspended;
    char *license_revoked;
    char *license_expired;
    char *job_active;          /* job states that are queued or running */
    char *transitions;         /* allowed license transitions: "from>to *>to ..." */
    char *columns;             /* columns named otherwise: "table.column:name ..." */
} BillingSettings;

typedef struct SeedSettings {
    char *dir;                 /* SQL seed files, or NULL */
    int   anomalies;           /* the scale set's share of anomalies and orphans,
                                  per 10000 ("1%" = 100) */
} SeedSettings;

typedef struct Config {
    char *path;                /* owned: the file read, or NULL */
    DatabaseSettings  database;
    MigrationSettings migrations;
    BackupSettings    backup;
    UiSettings        ui;
    IntegritySettings integrity;
    BillingSettings   billing;
    SeedSettings      seed;
} Config;

/* Fills cfg with the defaults, then reads the file (explicit may be NULL).
 * An unknown section or key, or a bad value, is a DB_ERR_PARSE error
 * naming the file and line.  Every string member is owned (NULL or
 * xmalloc'd); config_free() releases them. */
int  config_load(Config *cfg, const char *explicit_path, DbError *err);
/* Just the defaults (for tests and front ends that read no file). */
void config_defaults(Config *cfg);
void config_free(Config *cfg);

/* Replaces a string setting (copied; NULL clears it), for the command
 * line's options, which win over the file. */
void config_set(char **slot, const char *value);

/* Parses "30s", "500ms", "2m", "1h", "3d" or a bare number of seconds into
 * milliseconds; -1 when malformed. */
long config_parse_duration(const char *s);

/* true for environment = production: the one test of it. */
bool config_is_production(const Config *cfg);

#endif
