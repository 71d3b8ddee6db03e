/* url.h: connection strings: which engine, what to hand it, how to show it.
 *
 * Accepted forms (see DESIGN.md):
 *   postgresql://…  postgres://…  postgresql+psycopg2://… (any +driver)
 *   host=… dbname=…                    libpq keyword strings
 *   sqlite:///relative.db  sqlite:////absolute.db  sqlite://  (in memory)
 *   sqlite+pysqlite:///x.db            (any +driver)
 *   a plain path to a SQLite file
 * and DATABASE_URL when the string is NULL or empty.
 *
 * Every place that shows a connection string shows db_url_redact() of it;
 * every message that may echo one goes through db_url_scrub(). */
#ifndef DBW_URL_H
#define DBW_URL_H

#include "error.h"

typedef enum DbEngine {
    DB_ENGINE_NONE = 0,
    DB_ENGINE_SQLITE,
    DB_ENGINE_POSTGRES
} DbEngine;

typedef struct DbUrl {
    DbEngine engine;
    char *target;    /* owned. postgres: the URI or keyword string for libpq
                        (the +driver part dropped); sqlite: the file path, or
                        ":memory:" */
    char *display;   /* owned: the string as given, password replaced by *** */
    char *password;  /* owned: the password the string carries, or NULL; kept
                        only so that messages can be scrubbed of it */
} DbUrl;

/* Parses s (NULL or "" means $DATABASE_URL).  On failure returns -1 with a
 * DB_ERR_USAGE error that shows the string redacted; *out is then empty. */
int   db_url_parse(DbUrl *out, const char *s, DbError *err);
void  db_url_free(DbUrl *u);

/* Returns a copy of s with any password replaced by "***": the user-info
 * password of a URL, and password=… in a query or keyword string (quoted
 * values included).  Caller frees.  Safe on any text, not only URLs. */
char *db_url_redact(const char *s);

/* Overwrites, in place, every password in s (the places db_url_redact()
 * hides) with 'x', byte for byte: the length stays.  For text that cannot
 * be replaced, only changed, such as a process's own argv. */
void  db_url_mask(char *s);

/* Returns a copy of msg redacted as above and with every occurrence of the
 * literal password (when it is 3 bytes or longer) replaced by "***". */
char *db_url_scrub(const char *msg, const char *password);

const char *db_engine_name(DbEngine e);  /* "postgresql", "sqlite", "none" */

#endif
