/* statusbar.h: the bottom line: database (redacted), engine, environment,
 * READ-ONLY, and on the right the keys of the view in front (the hints of
 * its tables, then "? help" and the other global ones) or a message.
 * When the line is narrow the database is cut first, then hints go from
 * the end; a message is kept as long as possible, and one that is cut
 * ends in "(m)": the messages view has it whole. */
#ifndef DBW_STATUSBAR_H
#define DBW_STATUSBAR_H

#include <stdbool.h>

#include "colors.h"
#include "keys.h"

typedef struct StatusInfo {
    const char *database;      /* already redacted; may be NULL */
    const char *engine;        /* "sqlite", "postgresql" */
    const char *environment;   /* may be NULL */
    bool        production;    /* the environment is production (drawn as a warning) */
    bool        read_only;
    const char *message;       /* NULL = show the key hints */
    bool        message_error; /* draw the message in status.error */
    const KeyTable *const *views;  /* the view's key tables, most particular first */
    size_t      nviews;
} StatusInfo;

/* Draws the bar into w (one line, erased by the caller). */
void statusbar_draw(WINDOW *w, const StatusInfo *si, const Palette *pal);

#endif
