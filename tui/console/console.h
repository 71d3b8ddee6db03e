/* console.h: the ncurses console, entered from main.c.
 *
 * console_run() takes over the terminal until the user quits and returns
 * the process exit status (0 normally).  The caller owns everything in
 * ConsoleOptions and frees it after console_run() returns; the console may
 * reconnect the session's connection in place (session_reconnect). */
#ifndef DBW_CONSOLE_H
#define DBW_CONSOLE_H

#include <stdbool.h>

#include "db.h"
#include "migrate.h"
#include "session.h"

typedef struct ConsoleOptions {
    Session           *session;     /* connected; its settings are the console's */
    const char *const *theme_dirs;  /* NULL-terminated folders to look in */
} ConsoleOptions;

int console_run(const ConsoleOptions *opt);

#endif
