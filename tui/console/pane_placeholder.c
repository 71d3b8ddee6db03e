/* pane_placeholder.c: the panes that are not built yet.  Each says so in
 * one plain sentence; they have no data and no keys. */
#include "pane.h"
#include "text.h"
#include "xalloc.h"

#include <stdlib.h>

extern const PaneClass pane_integrity_class, pane_licenses_class;

typedef struct PlaceholderPane {
    Pane        base;
    const char *sentence;
} PlaceholderPane;

static const char *sentence_of(const PaneClass *cls)
{
    if (cls == &pane_integrity_class)
        return "Integrity checks are not built yet.";
    if (cls == &pane_licenses_class)
        return "The licenses and subscriptions view is not built yet.";
    return "This pane is not built yet.";
}

static Pane *ph_create(const PaneClass *cls, const PaneContext *ctx)
{
    PlaceholderPane *pp = xcalloc(1, sizeof *pp);
    pp->base.cls = cls;
    pp->base.ctx = ctx;
    pp->sentence = sentence_of(cls);
    return &pp->base;
}

static void ph_reload(Pane *self)
{
    (void)self;
}

static void ph_draw(Pane *self, WINDOW *w)
{
    PlaceholderPane *pp = (PlaceholderPane *)self;
    pane_draw_title(w, self);
    text_wrap(w, 2, 2, getmaxx(w) - 4, getmaxy(w) - 2, pp->sentence);
}

static void ph_destroy(Pane *self)
{
    free(self);
}

const PaneClass pane_integrity_class = {
    .title = "Integrity", .create = ph_create, .reload = ph_reload,
    .draw = ph_draw, .destroy = ph_destroy,
};

const PaneClass pane_licenses_class = {
    .title = "Licenses", .create = ph_create, .reload = ph_reload,
    .draw = ph_draw, .destroy = ph_destroy,
};
