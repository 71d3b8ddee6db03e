/* pane.c: the pane registry and drawing shared by the panes (see pane.h). */
#include "pane.h"
#include "text.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdlib.h>

extern const PaneClass pane_migrations_class, pane_schema_class, pane_integrity_class,
    pane_licenses_class, pane_seed_class;

const PaneClass *const pane_registry[] = {
    &pane_migrations_class,
    &pane_schema_class,
    &pane_integrity_class,
    &pane_licenses_class,
    &pane_seed_class,
};
const size_t pane_registry_count = sizeof pane_registry / sizeof pane_registry[0];

_Static_assert(sizeof pane_registry / sizeof pane_registry[0] <= PANE_MAX,
               "more panes than PANE_MAX");

int pane_add(WINDOW *w, const Pane *p, int y, int x, ThemeSlot slot, const char *text)
{
    int maxx = getmaxx(w);
    if (x >= maxx)
        return x;
    palette_use(w, p->ctx->pal, slot);
    x += text_add(w, y, x, maxx - x, text);
    palette_use(w, p->ctx->pal, SLOT_NORMAL);
    return x;
}

bool pane_reconnect(const Pane *p, bool lost)
{
    DbConn *c = p->ctx->conn;
    if (!lost && db_alive(c))
        return true;
    DbError err = DB_ERROR_INIT;
    if (db_reconnect(c, &err) != 0) {
        pane_say(p, true, "The connection to %s is lost and cannot be opened again: %s",
                 db_display_url(c), err.message);
        db_error_clear(&err);
        return false;
    }
    pane_say(p, false, "Reconnected to %s.", db_display_url(c));
    return true;
}

void pane_say(const Pane *p, bool error, const char *fmt, ...)
{
    const PaneContext *ctx = p ? p->ctx : NULL;
    if (!ctx || !ctx->say)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    ctx->say(ctx->host, error, text);
    free(text);
}

int pane_draw_title(WINDOW *w, const Pane *p)
{
    return pane_add(w, p, 0, 0, SLOT_TITLE, p->cls->title) + 2;
}

int pane_draw_error(WINDOW *w, const Pane *p, int y, int max_lines, const char *what,
                    const char *message)
{
    char *text = xasprintf("%s: %s", what, message ? message : "unknown error");
    palette_use(w, p->ctx->pal, SLOT_STATUS_ERROR);
    int used = text_wrap(w, y, 0, getmaxx(w), max_lines, text);
    palette_use(w, p->ctx->pal, SLOT_NORMAL);
    free(text);
    return used;
}
