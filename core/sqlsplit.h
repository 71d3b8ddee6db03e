/* sqlsplit.h: splits a script into statements by one engine's rules.
 *
 * PostgreSQL (psql's rules): single-quoted strings (with '' and, for E'…',
 * backslash escapes), quoted identifiers, dollar quoting ($$…$$,
 * $tag$…$tag$), -- comments and nested block comments, so that a ';'
 * inside any of them does not end a statement; nor does a ';' inside
 * parentheses (CREATE RULE … DO (…; …)) or inside the body of a
 * SQL-standard function (CREATE [OR REPLACE] FUNCTION|PROCEDURE …
 * BEGIN ATOMIC … END, with CASE … END inside).  Plain strings are read
 * with standard_conforming_strings on (the default since PostgreSQL 9.1):
 * a backslash in '…' is an ordinary character.
 *
 * SQLite (the rules of SQLite's own sqlite3_complete(), which agree with
 * where sqlite3_prepare() ends a statement): '…' strings, "…", […] and
 * `…` identifiers (none of them with backslash escapes), -- comments and
 * block comments that do not nest (the first closing star-slash ends
 * one), and CREATE [TEMP] TRIGGER … BEGIN …; END bodies.
 *
 * Neither splitter is a parser: a script that is not valid SQL may be
 * split differently from how the engine would refuse it, but a valid
 * script splits where the engine ends its statements. */
#ifndef DBW_SQLSPLIT_H
#define DBW_SQLSPLIT_H

#include <stddef.h>

#include "url.h"

typedef struct SqlStmt {
    size_t start;  /* offset of the statement's first byte that is not white
                      space or comment */
    size_t end;    /* offset just past its ';', or the script's length */
} SqlStmt;

/* Each returns the number of statements in sql and sets *out to an owned
 * array of them (NULL when there are none); statements that are only
 * white space and comments are left out. */
size_t sqlsplit_postgres(const char *sql, SqlStmt **out);
size_t sqlsplit_sqlite(const char *sql, SqlStmt **out);
/* The splitter of engine e. */
size_t sqlsplit(DbEngine e, const char *sql, SqlStmt **out);

#endif
