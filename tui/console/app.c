/* app.c: App set-up, layout, drawing and the main loop (see app.h). */
#include "app.h"
#include "help.h"
#include "statusbar.h"
#include "text.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* After this many errors in a row from the terminal, it is gone. */
#define MAX_READ_ERRORS 64
/* How long the main loop waits for a key while a job runs. */
#define JOB_TICK_MS 100
/* Idle, the loop still wakes this often to look at the terminal's size: a
 * SIGWINCH that lands just before curses blocks in read() would otherwise
 * go unnoticed until the next key. */
#define IDLE_TICK_MS 250

static const char *const fallback_theme_dirs[] = { "themes", NULL };

static void load_theme(App *a, bool color)
{
    const ConsoleOptions *opt = a->opt;
    const char *theme = opt->session->cfg.ui.theme;
    const char *name = color ? (theme ? theme : "default") : "mono";
    const char *const *dirs = opt->theme_dirs ? opt->theme_dirs : fallback_theme_dirs;
    DbError err = DB_ERROR_INIT;
    theme_init_builtin(&a->theme);
    if (theme_load(&a->theme, name, dirs, &err) != 0)
        app_set_message(a, true, "%s; using the built-in theme", err.message);
    db_error_clear(&err);
}

static void say(void *host, bool error, const char *text)
{
    app_set_message(host, error, "%s", text);
}

void app_init(App *a, const ConsoleOptions *opt)
{
    *a = (App){ .opt = opt, .redraw = true };
    msglog_init(&a->messages);
    bool color = colors_wanted();
    load_theme(a, color);
    palette_init(&a->pal, &a->theme, color);
    a->ctx = (PaneContext){
        .session = opt->session, .conn = opt->session->conn, .pal = &a->pal,
        .jobs = &a->jobs, .say = say, .host = a,
    };
    for (size_t i = 0; i < pane_registry_count && i < PANE_MAX; i++) {
        const PaneClass *cls = pane_registry[i];
        a->panes[i] = cls->create(cls, &a->ctx);
        a->titles[i] = cls->title;
        a->npanes++;
    }
}

static void free_windows(App *a)
{
    WINDOW **w[] = { &a->tabs, &a->body, &a->status };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (*w[i])
            delwin(*w[i]);
        *w[i] = NULL;
    }
}

void app_free(App *a)
{
    job_free(a->jobs.job);   /* cancels and waits: panes may own what it uses */
    a->jobs = (PaneJobs){ NULL, NULL };
    free_windows(a);
    for (int i = 0; i < a->npanes; i++)
        pane_destroy(a->panes[i]);
    a->npanes = 0;
    theme_free(&a->theme);
    free(a->message);
    a->message = NULL;
    msglog_free(&a->messages);
}

void app_layout(App *a)
{
    free_windows(a);
    getmaxyx(stdscr, a->lines, a->cols);
    a->too_small = a->lines < APP_MIN_LINES || a->cols < APP_MIN_COLS;
    if (!a->too_small) {
        a->tabs = newwin(1, a->cols, 0, 0);
        a->body = newwin(a->lines - 2, a->cols, 1, 0);
        a->status = newwin(1, a->cols, a->lines - 1, 0);
        if (!a->tabs || !a->body || !a->status) {
            free_windows(a);
            a->too_small = true;
        }
    }
    tabs_layout(&a->tab_layout, a->titles, a->npanes, a->cols);
    a->redraw = true;
}

void app_select(App *a, int index)
{
    if (a->npanes == 0)
        return;
    a->active = ((index % a->npanes) + a->npanes) % a->npanes;
    a->redraw = true;
}

void app_set_message(App *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    free(a->message);
    a->message = msg;
    a->message_error = error;
    msglog_add(&a->messages, error, msg);
    a->redraw = true;
}

static void draw_too_small(App *a)
{
    char size[64];
    snprintf(size, sizeof size, "%dx%d, need %dx%d", a->cols, a->lines, APP_MIN_COLS,
             APP_MIN_LINES);
    const char *text[] = { "Terminal too small", size, "q quits" };
    int n = 3, y0 = (a->lines - n) / 2;
    palette_bkgd(stdscr, &a->pal, SLOT_NORMAL);
    werase(stdscr);
    for (int i = 0; i < n; i++) {
        palette_use(stdscr, &a->pal, i == 0 ? SLOT_STATUS_ERROR : SLOT_NORMAL);
        text_put(stdscr, y0 + i, 0, a->cols, text[i], ALIGN_CENTER);
    }
    wnoutrefresh(stdscr);
}

/* The help sections: global keys, the pane's keys, the help's own keys,
 * then the pane's further tables; paged from a->help_first. */
static void draw_help(App *a)
{
    const Pane *p = a->panes[a->active];
    HelpSection s[16] = {
        { keys_global.title, &keys_global },
        { keys_help.title, &keys_help },
        { p->cls->title, p->cls->keys },
    };
    int n = 3;
    for (const KeyTable *const *t = p->cls->more_keys; t && *t && n < 16; t++)
        s[n++] = (HelpSection){ NULL, *t };
    if (a->help_first >= n)
        a->help_first = n - 1;
    /* above the status bar, which keeps saying where the console is */
    help_draw(a->lines - 1, a->cols, s + a->help_first, (size_t)(n - a->help_first), &a->pal);
}

static void draw_status(App *a)
{
    const Session *s = a->opt->session;
    DbConn *c = s->conn;
    const KeyTable *views[8];
    size_t nviews = 0;
    if (a->help)
        views[nviews++] = &keys_help;
    else if (a->messages.open) {
        views[nviews++] = &keys_msglog;
        views[nviews++] = &keys_textview;
    } else {
        nviews = pane_view_keys(a->panes[a->active], views, 8);
    }
    StatusInfo si = {
        .database = c ? db_display_url(c) : "(no database)",
        .engine = c ? db_engine_name(db_engine(c)) : "none",
        .environment = s->cfg.database.environment,
        .production = session_production(s),
        .read_only = s->read_only,
        .message = a->message,
        .message_error = a->message_error,
        .views = views,
        .nviews = nviews,
    };
    statusbar_draw(a->status, &si, &a->pal);
}

/* Draws everything into the virtual screen; stdscr first (blank), so that
 * it is never left "touched" for wget_wch to repaint over the windows. */
static void draw(App *a)
{
    if (a->too_small) {
        draw_too_small(a);
        return;
    }
    werase(stdscr);
    wnoutrefresh(stdscr);
    palette_bkgd(a->tabs, &a->pal, SLOT_TAB);
    werase(a->tabs);
    tabs_draw(a->tabs, &a->tab_layout, a->titles, a->active, &a->pal);
    wnoutrefresh(a->tabs);
    palette_bkgd(a->body, &a->pal, SLOT_NORMAL);
    werase(a->body);
    palette_use(a->body, &a->pal, SLOT_NORMAL);
    pane_draw(a->panes[a->active], a->body);
    if (a->messages.open)
        msglog_draw(&a->messages, a->body, &a->pal);
    wnoutrefresh(a->body);
    palette_bkgd(a->status, &a->pal, SLOT_STATUS);
    werase(a->status);
    draw_status(a);
    wnoutrefresh(a->status);
    if (a->help)
        draw_help(a);
}

/* The next key: a curses KEY_* code or a character; 0 for characters no
 * table binds (non-ASCII), for read errors, and when no key came within
 * the tick (JOB_TICK_MS while a job runs or a pane is busy, else
 * IDLE_TICK_MS). */
static int read_key(App *a, int *errors)
{
    wint_t wch = 0;
    int tick = a->jobs.job != NULL || a->busy ? JOB_TICK_MS : IDLE_TICK_MS;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    wtimeout(stdscr, tick);
    int r = wget_wch(stdscr, &wch);
    if (r == ERR) {
        /* a timeout is no error; an ERR at once is */
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long ms = (t1.tv_sec - t0.tv_sec) * 1000L + (t1.tv_nsec - t0.tv_nsec) / 1000000L;
        if (ms < tick / 2 && ++*errors >= MAX_READ_ERRORS)
            a->quit = true;
        return 0;
    }
    *errors = 0;
    if (r == KEY_CODE_YES)
        return (int)wch;
    return wch < 128 ? (int)wch : 0;
}

/* A size change curses has not reported (see IDLE_TICK_MS): take it. */
static void check_size(App *a)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
        return;
    if (ws.ws_row != LINES || ws.ws_col != COLS) {
        resizeterm(ws.ws_row, ws.ws_col);
        app_layout(a);
    }
}

int app_run(App *a)
{
    int errors = 0;
    app_layout(a);
    while (!a->quit) {
        check_size(a);
        if (a->redraw) {
            draw(a);
            doupdate();
            a->redraw = false;
        }
        app_poll_panes(a);
        if (a->redraw)
            continue;   /* a pane's work brought something: show it first */
        int key = read_key(a, &errors);
        if (key)
            app_handle_key(a, key);
        app_poll_job(a);
    }
    return 0;
}
