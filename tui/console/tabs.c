/* tabs.c: see tabs.h. */
#include "tabs.h"
#include "text.h"

#include <stdio.h>

#define TAB_GAP 1
#define BRAND "dbwarden"

static void label(char *buf, size_t size, TabStyle style, int i, const char *title)
{
    if (style == TABS_NUMBERED)
        snprintf(buf, size, " %d %s ", i + 1, title);
    else
        snprintf(buf, size, " %s ", title);
}

static int place(TabLayout *l, const char *const *titles, TabStyle style)
{
    char buf[128];
    int x = 0;
    for (int i = 0; i < l->n; i++) {
        label(buf, sizeof buf, style, i, titles[i]);
        l->x[i] = x;
        l->w[i] = text_width(buf);
        x += l->w[i] + TAB_GAP;
    }
    return x - TAB_GAP;
}

void tabs_layout(TabLayout *l, const char *const *titles, int n, int width)
{
    l->n = n < 0 ? 0 : n > PANE_MAX ? PANE_MAX : n;
    if (place(l, titles, TABS_NUMBERED) <= width) {
        l->style = TABS_NUMBERED;
        return;
    }
    if (place(l, titles, TABS_PLAIN) <= width) {
        l->style = TABS_PLAIN;
        return;
    }
    l->style = TABS_SQUEEZED;
    int each = l->n ? (width - TAB_GAP * (l->n - 1)) / l->n : 0;
    if (each < 1)
        each = 1;
    for (int i = 0; i < l->n; i++) {
        l->x[i] = i * (each + TAB_GAP);
        l->w[i] = each;
    }
}

void tabs_draw(WINDOW *w, const TabLayout *l, const char *const *titles, int active,
               const Palette *pal)
{
    char buf[128];
    int end = 0;
    for (int i = 0; i < l->n; i++) {
        label(buf, sizeof buf, l->style == TABS_SQUEEZED ? TABS_PLAIN : l->style, i, titles[i]);
        palette_use(w, pal, i == active ? SLOT_TAB_ACTIVE : SLOT_TAB);
        text_put(w, 0, l->x[i], l->w[i], l->style == TABS_SQUEEZED ? titles[i] : buf,
                 ALIGN_CENTER);
        end = l->x[i] + l->w[i];
    }
    int width = getmaxx(w);
    int bw = text_width(BRAND);
    if (width - end >= bw + 3) {
        palette_use(w, pal, SLOT_DIM);
        text_put(w, 0, width - bw - 1, bw, BRAND, ALIGN_LEFT);
    }
    palette_use(w, pal, SLOT_TAB);
}

int tabs_hit(const TabLayout *l, int x)
{
    for (int i = 0; i < l->n; i++)
        if (x >= l->x[i] && x < l->x[i] + l->w[i])
            return i;
    return -1;
}
