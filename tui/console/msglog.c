/* msglog.c: see msglog.h. */
#include "msglog.h"
#include "box.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const KeyBinding msglog_items[] = {
    { { KEY_ESC, 'm', 'q' }, "Esc m q", ACT_CLOSE, "close the messages", "close" },
};

const KeyTable keys_msglog = { "The messages (m)", msglog_items, COUNT(msglog_items) };

static ThemeSlot style(void *ctx, size_t i, const char *line)
{
    (void)line;
    const MsgLog *m = ctx;
    return tv_kind(&m->tv, i) ? SLOT_STATUS_ERROR : SLOT_NORMAL;
}

void msglog_init(MsgLog *m)
{
    memset(m, 0, sizeof *m);
    tv_init(&m->tv, NULL, true);
    m->tv.hang = 10;
    m->tv.follow = true;
    m->tv.style = style;
    m->tv.style_ctx = m;
}

void msglog_free(MsgLog *m)
{
    tv_free(&m->tv);
    memset(m, 0, sizeof *m);
}

void msglog_add(MsgLog *m, bool error, const char *text)
{
    tv_append_entry(&m->tv, time(NULL), error, text);
    m->n++;
}

void msglog_open(MsgLog *m)
{
    m->open = true;
    m->tv.follow = true;
}

bool msglog_key(MsgLog *m, int key)
{
    if (!tv_prompting(&m->tv) && keys_action(&keys_msglog, key) == ACT_CLOSE) {
        m->open = false;
        return true;
    }
    return tv_key(&m->tv, key);
}

void msglog_draw(MsgLog *m, WINDOW *w, const Palette *pal)
{
    int h = getmaxy(w), wd = getmaxx(w);
    int my = h > 12 ? 1 : 0, mx = wd > 60 ? 2 : 0;
    int bh = h - 2 * my, bw = wd - 2 * mx;
    if (bh < 5 || bw < 12)
        return;
    box_draw(w, my, mx, bh, bw, NULL, pal, true);
    char *title = xasprintf("Messages of this session: %zu", m->n);
    tv_draw(&m->tv, w, my + 1, mx + 2, bh - 2, bw - 4, title, pal);
    free(title);
    if (m->n == 0) {
        palette_use(w, pal, SLOT_DIM);
        text_add(w, my + 3, mx + 2, bw - 4, "No messages yet.");
    }
    static const char foot[] = " Esc closes ";
    palette_use(w, pal, SLOT_DIM);
    text_add(w, my + bh - 1, mx + bw - 2 - (int)strlen(foot), (int)strlen(foot), foot);
    palette_use(w, pal, SLOT_NORMAL);
}
