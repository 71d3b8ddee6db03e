/* choice.c: see choice.h. */
#include "choice.h"
#include "box.h"
#include "text.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const KeyBinding choice_items[] = {
    { { KEY_UP, 'k' }, "Up k", ACT_UP, "the item above", NULL },
    { { KEY_DOWN, 'j' }, "Down j", ACT_DOWN, "the item below", NULL },
    { { '\r', '\n', KEY_ENTER }, "Enter", ACT_ACCEPT, "take the selected item", "choose" },
    { { '1', '2', '3', '4', '5', '6' }, "1-6", ACT_CONFIRM, "take that item", NULL },
    { { 'n', 'N', KEY_ESC, KEY_CTRL('c') }, "n Esc", ACT_CANCEL, "cancel: nothing is done",
      "cancel" },
};

const KeyTable keys_choice = { "Choosing one (which head to roll back)", choice_items,
                               COUNT(choice_items) };

struct Choice {
    char  *title, *question;
    char **items;
    size_t n, sel;
};

Choice *choice_new(const char *title, const char *question, const char *const *items, size_t n)
{
    Choice *c = xcalloc(1, sizeof *c);
    c->title = xstrdup(title);
    c->question = xstrdup(question);
    c->items = xcalloc(n + 1, sizeof *c->items);
    for (size_t i = 0; i < n; i++)
        c->items[i] = xstrdup(items[i]);
    c->n = n;
    return c;
}

ChoiceResult choice_key(Choice *c, int key)
{
    if (key == '?' || key == KEY_F(1) || key == KEY_CTRL('l'))
        return CHOICE_PASS;
    int idx = -1;
    const KeyBinding *b = keys_lookup(&keys_choice, key, &idx);
    switch (b ? b->action : ACT_NONE) {
    case ACT_UP:
        if (c->sel > 0)
            c->sel--;
        return CHOICE_OPEN;
    case ACT_DOWN:
        if (c->sel + 1 < c->n)
            c->sel++;
        return CHOICE_OPEN;
    case ACT_ACCEPT:
        return CHOICE_PICKED;
    case ACT_CONFIRM:
        if (idx < 0 || (size_t)idx >= c->n)
            return CHOICE_OPEN;
        c->sel = (size_t)idx;
        return CHOICE_PICKED;
    case ACT_CANCEL:
        return CHOICE_CANCELLED;
    default:
        return CHOICE_OPEN;   /* modal: every other key is swallowed */
    }
}

size_t choice_selected(const Choice *c)
{
    return c->sel;
}

void choice_draw(WINDOW *w, const Choice *c, const Palette *pal)
{
    int h = getmaxy(w), wd = getmaxx(w);
    int bw = wd > 64 ? wd - 8 : wd, iw = bw - 4;
    int shown = (int)c->n < h - 6 ? (int)c->n : h - 6;
    int bh = shown + 5;
    if (shown < 1 || iw < 10)
        return;
    int y0 = (h - bh) / 2, x0 = (wd - bw) / 2;
    box_draw(w, y0, x0, bh, bw, c->title, pal, false);
    text_add(w, y0 + 1, x0 + 2, iw, c->question);
    size_t first = c->sel >= (size_t)shown ? c->sel - (size_t)shown + 1 : 0;
    for (int i = 0; i < shown; i++) {
        size_t k = first + (size_t)i;
        char *line = k < 6 ? xasprintf("%zu  %s", k + 1, c->items[k])
                           : xasprintf("   %s", c->items[k]);
        palette_use(w, pal, k == c->sel ? SLOT_GRID_SELECTED : SLOT_NORMAL);
        text_put(w, y0 + 2 + i, x0 + 2, iw, line, ALIGN_LEFT);
        free(line);
    }
    palette_use(w, pal, SLOT_DIM);
    text_add(w, y0 + bh - 2, x0 + 2, iw, "Enter or its number: choose   n/Esc: cancel");
    palette_use(w, pal, SLOT_NORMAL);
}

void choice_free(Choice *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->question);
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i]);
    free(c->items);
    free(c);
}
