/* sqlsplit.h: splits a PostgreSQL script into statements.
 *
 * Knows single-quoted strings (with '' and, for E'…', backslash escapes),
 * quoted identifiers, dollar quoting ($$…$$, $tag$…$tag$), -- comments and
 * nested block comments, so that a ';' inside any of them does not end a
 * statement; nor does a ';' inside parentheses (CREATE RULE … DO (…; …))
 * or inside the body of a SQL-standard function (BEGIN ATOMIC … END) or
 * of a trigger (CREATE TRIGGER … BEGIN … END, as SQLite writes them).
 * Plain strings are read with standard_conforming_strings on (the default
 * since PostgreSQL 9.1): a backslash in '…' is an ordinary character.
 * (SQLite scripts are split by SQLite itself.) */
#ifndef DBW_SQLSPLIT_H
#define DBW_SQLSPLIT_H

#include <stddef.h>

typedef struct SqlStmt {
    size_t start;  /* offset of the statement's first byte that is not white
                      space or comment */
    size_t end;    /* offset just past its ';', or the script's length */
} SqlStmt;

/* Returns the number of statements in sql and sets *out to an owned array
 * of them (NULL when there are none); statements that are only white
 * space and comments are left out. */
size_t sqlsplit_postgres(const char *sql, SqlStmt **out);

#endif
