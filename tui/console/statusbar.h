/* statusbar.h: the bottom line: database (redacted), engine, environment,
 * READ-ONLY, and on the right the key hints (from keys_global) or a
 * message.  When the line is narrow the database is cut first, then the
 * hints go; a message is kept as long as possible. */
#ifndef DBW_STATUSBAR_H
#define DBW_STATUSBAR_H

#include <stdbool.h>

#include "colors.h"

typedef struct StatusInfo {
    const char *database;      /* already redacted; may be NULL */
    const char *engine;        /* "sqlite", "postgresql" */
    const char *environment;   /* may be NULL */
    bool        read_only;
    const char *message;       /* NULL = show the key hints */
    bool        message_error; /* draw the message in status.error */
} StatusInfo;

/* Draws the bar into w (one line, erased by the caller). */
void statusbar_draw(WINDOW *w, const StatusInfo *si, const Palette *pal);

#endif
