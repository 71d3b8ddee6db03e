/* msglog.h: every message the status bar showed this session, with its
 * time, in full: 'm' opens it from anywhere as a box over the pane (a
 * TextView: search, wrap), Esc or m closes it.  The status bar cuts a long
 * message and says "m" reads it whole. */
#ifndef DBW_MSGLOG_H
#define DBW_MSGLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "colors.h"
#include "textview.h"

typedef struct MsgLog {
    TextView tv;        /* one line a message: "HH:MM:SS  text", kind 1 an error */
    size_t   n;         /* messages */
    bool     open;
} MsgLog;

void msglog_init(MsgLog *m);
void msglog_free(MsgLog *m);
void msglog_add(MsgLog *m, bool error, const char *text);
void msglog_open(MsgLog *m);
/* A key while open: true when taken (Esc and m close it). */
bool msglog_key(MsgLog *m, int key);
/* Draws the box over w (the pane's window). */
void msglog_draw(MsgLog *m, WINDOW *w, const Palette *pal);

extern const KeyTable keys_msglog;

#endif
