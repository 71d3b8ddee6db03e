/* statusbar.c: see statusbar.h. */
#include "statusbar.h"
#include "keys.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_ONLY " READ-ONLY "

/* The hints in the order they give way: the view's own, then "? help",
 * then the other global ones. */
typedef struct Hint {
    const char *key;   /* the first key of the label */
    int         key_len;
    const char *what;
} Hint;

#define MAX_HINTS 24

static void add_hint(Hint *h, size_t *n, const KeyBinding *b)
{
    if (!b->hint || *n >= MAX_HINTS)
        return;
    int key_len = (int)strcspn(b->label, " ");
    for (size_t i = 0; i < *n; i++)   /* one hint a key, the view's first */
        if (strcmp(h[i].what, b->hint) == 0 ||
            (h[i].key_len == key_len && strncmp(h[i].key, b->label, (size_t)key_len) == 0))
            return;
    h[(*n)++] = (Hint){ b->label, key_len, b->hint };
}

/* The view's hints (*nview of them), then "? help", then the other global
 * ones. */
static size_t collect(const StatusInfo *si, Hint *h, size_t *nview)
{
    size_t n = 0;
    for (size_t t = 0; t < si->nviews; t++)
        for (size_t i = 0; si->views[t] && i < si->views[t]->count; i++)
            add_hint(h, &n, &si->views[t]->items[i]);
    *nview = n;
    for (size_t i = 0; i < keys_global.count; i++)
        if (keys_global.items[i].action == ACT_HELP)
            add_hint(h, &n, &keys_global.items[i]);
    for (size_t i = 0; i < keys_global.count; i++)
        add_hint(h, &n, &keys_global.items[i]);
    return n;
}

/* "Enter SQL  u up  ? help  q quit": the first k view hints, help, and
 * the first g other global ones. */
static void hints(char *buf, size_t size, const Hint *h, size_t nview, size_t nh, size_t k,
                  size_t g)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nh && n < size; i++) {
        if ((i < nview && i >= k) || (i > nview && i - nview > g))
            continue;
        int r = snprintf(buf + n, size - n, "%s%.*s %s", n ? "  " : "", h[i].key_len, h[i].key,
                         h[i].what);
        if (r < 0)
            break;
        n += (size_t)r;
    }
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
    char right_buf[512], tail[160];
    Hint h[MAX_HINTS];
    size_t nview = 0, nh = collect(si, h, &nview);
    size_t nglobal = nh > nview + 1 ? nh - nview - 1 : 0;
    const char *bar = text_glyph(GLYPH_BAR);
    const char *env = si->environment && *si->environment ? si->environment : "development";
    int width = getmaxx(w);
    snprintf(tail, sizeof tail, " %s %s %s ", bar, si->engine ? si->engine : "?", bar);
    int tail_w = text_width(tail), env_w = text_width(env) + 1;
    int ro_w = si->read_only ? text_width(READ_ONLY) + 1 : 0;
    int db_w = text_width(si->database ? si->database : "") + 1;
    int room = width - tail_w - env_w - ro_w;
    const char *right = si->message;
    char *cut = NULL;
    int right_w = 0;
    if (right) {
        int keep = db_w < 16 ? db_w : 16;
        right_w = text_width(right) + 2;
        if (right_w > room - keep) {
            right_w = room - keep > 0 ? room - keep : 0;
            /* cut, and say where it is whole */
            static const char more[] = " (m)";
            int mw = (int)sizeof more - 1;
            if (right_w - 2 > mw + 4) {
                size_t bytes = text_skip_cols(right, right_w - 2 - mw - 1);
                cut = xasprintf("%.*s%s%s", (int)bytes, right, text_glyph(GLYPH_ELLIPSIS), more);
                right = cut;
            }
        }
    } else {
        /* As many hints as leave the database half the room (24 columns
         * at least): the other global ones go first, then the view's from
         * the end; help stays. */
        int half = room / 2 > 24 ? room / 2 : 24;
        int keep = db_w < half ? db_w : half;
        size_t k = nview, g = nglobal;
        for (;;) {
            hints(right_buf, sizeof right_buf, h, nview, nh, k, g);
            right_w = text_width(right_buf) + 2;
            if (right_w <= room - keep)
                break;
            if (g > 0)
                g--;
            else if (k > 0)
                k--;
            else {
                right_w = right_w <= room ? right_w : 0;
                break;
            }
        }
        right = right_buf;
    }
    if (db_w > room - right_w)
        db_w = room - right_w;
    int x = put(w, pal, SLOT_STATUS, 0, 1, "");
    x = put(w, pal, SLOT_STATUS, x, db_w - 1, si->database ? si->database : "");
    x = put(w, pal, SLOT_STATUS, x, tail_w, tail);
    x = put(w, pal, si->production ? SLOT_STATUS_ERROR : SLOT_STATUS, x, env_w - 1, env);
    x = put(w, pal, SLOT_STATUS, x, 1, "");
    if (si->read_only)
        put(w, pal, SLOT_STATUS_READONLY, x, ro_w - 1, READ_ONLY);
    if (right_w > 2)
        put(w, pal, si->message && si->message_error ? SLOT_STATUS_ERROR : SLOT_STATUS,
            width - right_w + 1, right_w - 2, right);
    palette_use(w, pal, SLOT_STATUS);
    free(cut);
}
