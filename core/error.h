/* error.h: the one error scheme of dbwarden: a kind, the engine's code, and
 * an owned message.
 *
 * Every fallible core function takes a DbError *err as its last argument,
 * returns 0 on success and -1 on failure, and on failure has filled *err.
 * The caller owns err->message and releases it with db_error_clear(); a
 * DbError may be reused after clearing.  Messages never contain a password
 * (connection strings in them are redacted, see url.h). */
#ifndef DBW_ERROR_H
#define DBW_ERROR_H

typedef enum DbErrKind {
    DB_OK = 0,
    DB_ERR_USAGE,      /* a bad argument, URL, option or setting */
    DB_ERR_CONNECT,    /* the database cannot be opened or reached */
    DB_ERR_SQL,        /* the engine refused or failed a statement */
    DB_ERR_CANCELLED,  /* db_cancel() stopped the statement */
    DB_ERR_BUSY,       /* a lock is held by someone else */
    DB_ERR_IO,         /* a file could not be read or written */
    DB_ERR_PARSE       /* a malformed input file (migration, theme, config) */
} DbErrKind;

typedef struct DbError {
    DbErrKind kind;
    char  code[24];    /* engine's code: a SQLSTATE such as "42601", or
                          "SQLITE_ERROR"; "" when none */
    int   position;    /* byte offset of the error in the statement text the
                          engine was given, or -1 when unknown */
    char *message;     /* owned, no trailing newline; NULL if OK.  Meant as one
                          line; names from outside in it may hold any byte,
                          so printers escape it (core/escape.h) */
} DbError;

#define DB_ERROR_INIT { DB_OK, "", -1, NULL }

/* Replaces whatever err held with a new error of this kind. */
void db_error_set(DbError *err, DbErrKind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Puts "prefix: " in front of the current message (file and line, say). */
void db_error_prefix(DbError *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Frees the message and resets err to DB_ERROR_INIT. */
void db_error_clear(DbError *err);
/* Moves src into dst (dst cleared first); src is left cleared. */
void db_error_move(DbError *dst, DbError *src);

#endif
