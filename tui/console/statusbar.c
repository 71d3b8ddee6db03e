/* statusbar.c: see statusbar.h. */
#include "statusbar.h"
#include "keys.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

#define READ_ONLY " READ-ONLY "

/* "? help  q quit  Tab pane  r reload": the first key of the first max
 * global bindings that have a hint. */
static void hints(char *buf, size_t size, int max)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < keys_global.count && n < size && max > 0; i++) {
        const KeyBinding *b = &keys_global.items[i];
        if (!b->hint)
            continue;
        max--;
        int key_len = (int)strcspn(b->label, " ");
        int r = snprintf(buf + n, size - n, "%s%.*s %s", n ? "  " : "", key_len, b->label, b->hint);
        if (r < 0)
            break;
        n += (size_t)r;
    }
}

static bool is_production(const char *env)
{
    return env && (strcmp(env, "production") == 0 || strcmp(env, "prod") == 0);
}

static int put(WINDOW *w, const Palette *pal, ThemeSlot s, int x, int width, const char *text)
{
    if (width <= 0)
        return x;
    palette_use(w, pal, s);
    text_put(w, 0, x, width, text, ALIGN_LEFT);
    return x + width;
}

void statusbar_draw(WINDOW *w, const StatusInfo *si, const Palette *pal)
{
    char right_buf[256], tail[160];
    const char *bar = text_glyph(GLYPH_BAR);
    const char *env = si->environment && *si->environment ? si->environment : "development";
    int width = getmaxx(w);
    snprintf(tail, sizeof tail, " %s %s %s ", bar, si->engine ? si->engine : "?", bar);
    int tail_w = text_width(tail), env_w = text_width(env) + 1;
    int ro_w = si->read_only ? text_width(READ_ONLY) + 1 : 0;
    int db_w = text_width(si->database ? si->database : "") + 1;
    int room = width - tail_w - env_w - ro_w;
    const char *right = si->message;
    int right_w = 0;
    if (right) {
        int keep = db_w < 16 ? db_w : 16;
        right_w = text_width(right) + 2;
        if (right_w > room - keep)
            right_w = room - keep > 0 ? room - keep : 0;
    } else {
        /* As many hints as leave the database 24 columns. */
        int keep = db_w < 24 ? db_w : 24;
        for (int max = (int)keys_global.count; max >= 0; max--) {
            hints(right_buf, sizeof right_buf, max);
            right_w = max ? text_width(right_buf) + 2 : 0;
            if (right_w <= room - keep)
                break;
        }
        right = right_buf;
    }
    if (db_w > room - right_w)
        db_w = room - right_w;
    int x = put(w, pal, SLOT_STATUS, 0, 1, "");
    x = put(w, pal, SLOT_STATUS, x, db_w - 1, si->database ? si->database : "");
    x = put(w, pal, SLOT_STATUS, x, tail_w, tail);
    x = put(w, pal, is_production(env) ? SLOT_STATUS_ERROR : SLOT_STATUS, x, env_w - 1, env);
    x = put(w, pal, SLOT_STATUS, x, 1, "");
    if (si->read_only)
        put(w, pal, SLOT_STATUS_READONLY, x, ro_w - 1, READ_ONLY);
    if (right_w > 2)
        put(w, pal, si->message && si->message_error ? SLOT_STATUS_ERROR : SLOT_STATUS,
            width - right_w + 1, right_w - 2, right);
    palette_use(w, pal, SLOT_STATUS);
}
