/* format.h: how numbers are written for people, the same in the console
 * and on the command line. */
#ifndef DBW_FORMAT_H
#define DBW_FORMAT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

/* "512 B", "4.0 KiB", "38 MiB", "1.2 GiB"; "-" when bytes < 0 (unknown).
 * Returns buf. */
const char *fmt_bytes(int64_t bytes, char *buf, size_t size);

/* s escaped for the terminal (core/escape.h): every name, value, file
 * name and message from outside goes through this before a text printer
 * prints it.  The result lives until 16 more calls (a ring), so that
 * several can be arguments of one printf; NULL gives "".  One thread. */
const char *fmt_esc(const char *s);

/* Prints a block of several lines (a table's DDL, a tool's text) to f,
 * escaped (ESC_LINES: line ends, tabs and backslashes kept). */
void fmt_put_block(FILE *f, const char *s);
/* Prints SQL meant to be run (a dry run): on a terminal escaped as
 * fmt_put_block() does, elsewhere (a pipe into sqlite3 or psql, a file)
 * exactly as it is, so that it runs as shown. */
void fmt_put_sql(FILE *f, const char *s);

#endif
