/* progress.c: see progress.h. */
#include "progress.h"
#include "text.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAR_MAX 20

static void replace(char **dst, const char *src)
{
    free(*dst);
    *dst = xstrdup(src);
}

void progress_begin(Progress *p, const char *title)
{
    progress_end(p);
    p->active = true;
    p->title = xstrdup(title);
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

void progress_event(Progress *p, const JobEvent *ev)
{
    switch (ev->kind) {
    case JOB_PROGRESS:
        replace(&p->step, ev->text);
        p->index = ev->index;
        p->total = ev->total;
        break;
    case JOB_LOG:
        replace(&p->last_line, ev->text);
        break;
    case JOB_FINISHED:
        progress_end(p);
        break;
    default:
        break;
    }
}

void progress_stopping(Progress *p)
{
    p->stopping = p->active;
}

void progress_end(Progress *p)
{
    free(p->title);
    free(p->step);
    free(p->last_line);
    memset(p, 0, sizeof *p);
}

long progress_elapsed_ms(const Progress *p)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - p->t0.tv_sec) * 1000L + (t1.tv_nsec - p->t0.tv_nsec) / 1000000L;
}

static int put(WINDOW *w, int y, int x, int width, ThemeSlot s, const char *text,
               const Palette *pal)
{
    if (width <= 0)
        return x;
    palette_use(w, pal, s);
    return x + text_add(w, y, x, width, text);
}

/* "[██████      ]" drawn as reverse-video cells, so it shows without
 * colour and in any locale. */
static int bar(WINDOW *w, int y, int x, int width, size_t done, size_t total,
               const Palette *pal)
{
    if (width < 3 || total == 0)
        return x;
    int inner = width - 2, full = (int)((double)inner * (double)done / (double)total);
    x = put(w, y, x, 1, SLOT_DIM, "[", pal);
    palette_use(w, pal, SLOT_GRID_SELECTED);
    text_put(w, y, x, full, "", ALIGN_LEFT);
    palette_use(w, pal, SLOT_DIM);
    text_put(w, y, x + full, inner - full, "", ALIGN_LEFT);
    return put(w, y, x + inner, 1, SLOT_DIM, "]", pal);
}

void progress_draw(WINDOW *w, int y, const Progress *p, const Palette *pal)
{
    if (!p->active)
        return;
    int width = getmaxx(w), x = 0;
    long s = progress_elapsed_ms(p) / 1000;
    char when[32], count[48];
    snprintf(when, sizeof when, "  %02ld:%02ld", s / 60, s % 60);
    const char *hint = p->stopping ? "  stopping..." : "  Esc/Ctrl-C stops";
    int tail = text_width(when) + text_width(hint);
    if (tail > width / 2)
        hint = "", tail = text_width(when);
    palette_use(w, pal, SLOT_NORMAL);
    text_put(w, y, 0, width, "", ALIGN_LEFT);
    x = put(w, y, x, width - tail, SLOT_STATE_PENDING, p->title, pal);
    x = put(w, y, x, width - tail - x, SLOT_NORMAL, " ", pal);
    if (p->total > 0) {
        snprintf(count, sizeof count, "%zu of %zu ", p->index + 1, p->total);
        x = put(w, y, x, width - tail - x, SLOT_NORMAL, count, pal);
        int bw = (width - tail - x) / 3;
        x = bar(w, y, x, bw < BAR_MAX ? bw : BAR_MAX, p->index, p->total, pal);
        x = put(w, y, x, width - tail - x, SLOT_NORMAL, " ", pal);
    }
    const char *what = p->total == 0 && p->last_line ? p->last_line
                       : p->step ? p->step : "starting...";
    x = put(w, y, x, width - tail - x, p->total ? SLOT_NORMAL : SLOT_DIM, what, pal);
    x = put(w, y, width - tail, text_width(when), SLOT_NORMAL, when, pal);
    put(w, y, x, width - x, p->stopping ? SLOT_STATE_PROBLEM : SLOT_DIM, hint, pal);
    palette_use(w, pal, SLOT_NORMAL);
}
