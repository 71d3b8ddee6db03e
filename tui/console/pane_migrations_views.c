/* pane_migrations_views.c: the Migrations pane's other views: the selected
 * migration's SQL (or revision file), the session's log, and this
 * database's backups (see pane_migrations_internal.h). */
#include "format.h"
#include "pane_migrations_internal.h"
#include "fsutil.h"
#include "strbuf.h"
#include "table.h"
#include "text.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the SQL view ---------------------------------------------------- */

/* The file's text as it is on disk, else rebuilt from the sections. */
static char *migration_text(const MigFile *f)
{
    DbError err = DB_ERROR_INIT;
    char *text = fs_read_file(f->path, NULL, &err);
    db_error_clear(&err);
    if (text)
        return text;
    StrBuf b = STRBUF_INIT;
    sb_appendf(&b, "-- %s (file unreadable now: the sections as loaded)\n", f->path);
    sb_appendf(&b, "-- migrate:up%s\n%s\n", f->up.transaction ? "" : " transaction:false",
               f->up.sql);
    if (f->down.present)
        sb_appendf(&b, "-- migrate:down%s\n%s\n",
                   f->down.transaction ? "" : " transaction:false", f->down.sql);
    return sb_take(&b);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void mig_text_open(MigPane *mp)
{
    char *text = NULL, *title = NULL;
    if (mp->alembic) {
        const AlembicRevision *r = mig_selected_rev(mp);
        if (!r) {
            pane_say(&mp->base, false, "Select a revision first.");
            return;
        }
        DbError err = DB_ERROR_INIT;
        text = fs_read_file(r->file, NULL, &err);
        if (!text)
            text = xasprintf("# %s", err.message);
        db_error_clear(&err);
        title = xasprintf("%s  %s", r->revision ? r->revision : "?", base_name(r->file));
    } else {
        const MigEntry *e = mig_selected_entry(mp);
        if (!e) {
            pane_say(&mp->base, false, "Select a migration first.");
            return;
        }
        if (e->file) {
            text = migration_text(e->file);
            title = xasprintf("%s  (%s)", e->file->filename, migrate_state_name(e->state));
        } else {
            text = xasprintf("-- %s %s is recorded as applied, but no file in the migrations "
                             "folder has this version: its SQL is not known here.",
                             e->version, e->name);
            title = xasprintf("%s %s  %s", e->version, e->name, migrate_state_name(e->state));
        }
    }
    textscroll_set(&mp->text, text);
    free(mp->text_title);
    mp->text_title = title;
    free(text);
    mp->view = VIEW_TEXT;
    mp->text_problems = false;
}

/* ---- the problems ---------------------------------------------------- */

static void problem_line(StrBuf *b, size_t *n, const char *kind, const char *message,
                         char *const *files, size_t nfiles)
{
    sb_appendf(b, "%s%zu. %s: %s\n", *n ? "\n" : "", *n + 1, kind, message);
    for (size_t i = 0; i < nfiles; i++)
        sb_appendf(b, "   file: %s\n", files[i]);
    (*n)++;
}

static void alembic_problems(const MigPane *mp, StrBuf *b, size_t *n)
{
    const AlembicGraph *g = &mp->proj.graph;
    for (size_t i = 0; mp->proj_ok && i < g->nproblems; i++)
        problem_line(b, n, alembic_problem_kind_name(g->problems[i].kind),
                     g->problems[i].message, g->problems[i].files, g->problems[i].nfiles);
    for (size_t i = 0; mp->ast_ok && i < mp->ast.nproblems; i++)
        problem_line(b, n, alembic_problem_kind_name(mp->ast.problems[i].kind),
                     mp->ast.problems[i].message, mp->ast.problems[i].files,
                     mp->ast.problems[i].nfiles);
}

static void dbwarden_problems(const MigPane *mp, StrBuf *b, size_t *n)
{
    if (!mp->loaded_ok)
        return;
    const MigStatus *st = &mp->st;
    for (size_t i = 0; i < st->nbad; i++) {
        char *files[2] = { st->bad[i].path, st->bad[i].other };
        problem_line(b, n, "bad file", st->bad[i].message, files, files[1] ? 2 : 1);
    }
    for (size_t i = 0; i < st->count; i++) {
        const MigEntry *e = &st->items[i];
        if (e->state == MIG_PENDING || e->state == MIG_APPLIED)
            continue;
        char *msg = migrate_problem_text(e);
        char *files[1] = { e->file ? (char *)e->file->path : NULL };
        problem_line(b, n, migrate_state_name(e->state), msg, files, files[0] ? 1 : 0);
        free(msg);
    }
}

size_t mig_problems(const MigPane *mp, const char **first)
{
    *first = NULL;
    if (mp->alembic) {
        size_t n = (mp->proj_ok ? mp->proj.graph.nproblems : 0) +
                   (mp->ast_ok ? mp->ast.nproblems : 0);
        if (mp->proj_ok && mp->proj.graph.nproblems)
            *first = mp->proj.graph.problems[0].message;
        else if (mp->ast_ok && mp->ast.nproblems)
            *first = mp->ast.problems[0].message;
        return n;
    }
    if (!mp->loaded_ok)
        return 0;
    if (mp->st.nbad)
        *first = mp->st.bad[0].message;
    return mp->st.problems;
}

void mig_problems_open(MigPane *mp)
{
    StrBuf b = STRBUF_INIT;
    size_t n = 0;
    if (mp->alembic)
        alembic_problems(mp, &b, &n);
    else
        dbwarden_problems(mp, &b, &n);
    if (n == 0)
        sb_append(&b, "No problems.");
    textscroll_set_wrapped(&mp->text, sb_str(&b), COLS > 20 ? COLS - 8 : 12);
    sb_free(&b);
    free(mp->text_title);
    mp->text_title = xasprintf("Problems (%zu)", n);
    mp->view = VIEW_TEXT;
    mp->text_problems = true;
}

bool mig_set_search(MigPane *mp, const char *pattern)
{
    Rx *rx = NULL;
    if (pattern && *pattern) {
        DbError err = DB_ERROR_INIT;
        rx = rx_compile(pattern, RX_CASELESS, &err);
        if (!rx) {
            pane_say(&mp->base, true, "Invalid regular expression /%s/: %s", pattern, err.message);
            db_error_clear(&err);
            return false;
        }
    }
    rx_free(mp->search);
    mp->search = rx;
    if (rx)
        mig_text_match(mp, 0);
    return true;
}

static TextScroll *view_text(MigPane *mp)
{
    return mp->view == VIEW_LOG ? &mp->logtext : &mp->text;
}

static bool line_matches(const MigPane *mp, const char *line)
{
    return mp->search && rx_match(mp->search, line, strlen(line), NULL, 0);
}

/* dir 0: the first match from the top line; 1/-1: the next/previous. */
void mig_text_match(MigPane *mp, int dir)
{
    TextScroll *t = view_text(mp);
    if (!mp->search) {
        pane_say(&mp->base, false, "No search: / sets one.");
        return;
    }
    size_t n = t->count;
    for (size_t k = dir == 0 ? 0 : 1; k <= n && n; k++) {
        size_t i = dir < 0 ? (t->top + n - k) % n : (t->top + k) % n;
        if (line_matches(mp, t->lines[i])) {
            if ((dir > 0 && i <= t->top) || (dir < 0 && i >= t->top))
                pane_say(&mp->base, false, "Search wrapped around.");
            t->top = i;
            if (mp->view == VIEW_LOG)
                mp->log_follow = false;
            return;
        }
    }
    pane_say(&mp->base, true, "Nothing matches the search.");
}

void mig_text_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    const Palette *pal = mp->base.ctx->pal;
    int width = getmaxx(w);
    TextScroll *t = &mp->text;
    textscroll_fit(t, height - 1);
    char head[64];
    size_t last = t->top + (size_t)t->page < t->count ? t->top + (size_t)t->page : t->count;
    snprintf(head, sizeof head, "  lines %zu-%zu of %zu  Esc back", t->count ? t->top + 1 : 0,
             last, t->count);
    int hw = text_width(head);
    if (hw > width / 2)
        hw = 0;
    palette_use(w, pal, SLOT_GRID_HEADER);
    text_add(w, y, 0, width - hw - 1, mp->text_title ? mp->text_title : "");
    palette_use(w, pal, SLOT_DIM);
    text_put(w, y, width - hw, hw, head, ALIGN_LEFT);
    char num[32];
    snprintf(num, sizeof num, "%zu", t->count);
    int gutter = (int)strlen(num) + 1;
    for (int i = 0; i + 1 < height && t->top + (size_t)i < t->count; i++) {
        const char *line = t->lines[t->top + (size_t)i];
        snprintf(num, sizeof num, "%*zu ", gutter > 21 ? 20 : gutter - 1,
                 t->top + (size_t)i + 1);
        palette_use(w, pal, SLOT_DIM);
        text_add(w, y + 1 + i, 0, width, num);
        ThemeSlot s = line_matches(mp, line) ? SLOT_GRID_SELECTED
                      : mp->text_problems ? (line[0] && line[0] != ' ' ? SLOT_STATE_PROBLEM
                                                                       : SLOT_DIM)
                      : mp->alembic ? (line[strspn(line, " ")] == '#' ? SLOT_DIM : SLOT_NORMAL)
                                    : textscroll_sql_slot(line);
        palette_use(w, pal, s);
        text_add(w, y + 1 + i, gutter + 1, width - gutter - 1, line);
    }
    palette_use(w, pal, SLOT_NORMAL);
}

/* ---- the log ----------------------------------------------------------- */

void mig_log_add(MigPane *mp, LogLevel level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    mp->log = xrealloc(mp->log, (mp->nlog + 1) * sizeof *mp->log);
    mp->log[mp->nlog++] = (LogEntry){ time(NULL), level, text };
}

void mig_log_free(MigPane *mp)
{
    for (size_t i = 0; i < mp->nlog; i++)
        free(mp->log[i].text);
    free(mp->log);
    mp->log = NULL;
    mp->nlog = 0;
    textscroll_free(&mp->logtext);
    free(mp->loglevels);
    mp->loglevels = NULL;
    mp->log_built = 0;
}

static void log_push(MigPane *mp, const char *line, size_t len, LogLevel level)
{
    char *copy = xstrndup(line, len);
    size_t n = mp->logtext.count;
    textscroll_add(&mp->logtext, copy);
    free(copy);
    mp->loglevels = xrealloc(mp->loglevels, mp->logtext.count * sizeof *mp->loglevels);
    for (size_t i = n; i < mp->logtext.count; i++)
        mp->loglevels[i] = level;
}

/* Appends entry e wrapped to width: "HH:MM:SS  text", later lines
 * indented under the text. */
static void log_wrap(MigPane *mp, const LogEntry *e, int width)
{
    char stamp[16];
    struct tm tm;
    localtime_r(&e->when, &tm);
    strftime(stamp, sizeof stamp, "%H:%M:%S  ", &tm);
    int indent = (int)strlen(stamp), room = width - indent > 16 ? width - indent : 16;
    const char *p = e->text;
    bool first = true;
    do {
        size_t n = textscroll_fit_bytes(p, room);
        char *line = xasprintf("%-*s%.*s", indent, first ? stamp : "", (int)n, p);
        log_push(mp, line, strlen(line), e->level);
        free(line);
        p += n;
        while (*p == ' ')
            p++;
        first = false;
    } while (*p);
}

static void log_build(MigPane *mp, int width)
{
    if (width != mp->log_width) {
        size_t top = mp->logtext.top;
        textscroll_free(&mp->logtext);
        mp->logtext.top = top;
        mp->log_built = 0;
        mp->log_width = width;
    }
    for (; mp->log_built < mp->nlog; mp->log_built++)
        log_wrap(mp, &mp->log[mp->log_built], width);
}

static ThemeSlot log_slot(LogLevel l)
{
    switch (l) {
    case LOG_OK: return SLOT_STATE_APPLIED;
    case LOG_FAIL: return SLOT_STATE_PROBLEM;
    case LOG_OUTPUT: return SLOT_DIM;
    case LOG_BACKUP: return SLOT_TITLE;
    default: return SLOT_NORMAL;
    }
}

void mig_log_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    const Palette *pal = mp->base.ctx->pal;
    int width = getmaxx(w);
    log_build(mp, width);
    TextScroll *t = &mp->logtext;
    textscroll_fit(t, height - 1);
    if (mp->log_follow)
        textscroll_apply(t, ACT_BOTTOM);
    palette_use(w, pal, SLOT_GRID_HEADER);
    char head[96];
    snprintf(head, sizeof head, "LOG of this session: %zu entr%s  (l or Esc: back)", mp->nlog,
             mp->nlog == 1 ? "y" : "ies");
    text_add(w, y, 0, width, head);
    if (t->count == 0) {
        palette_use(w, pal, SLOT_DIM);
        text_add(w, y + 2, 2, width - 2, "Nothing has run yet. Actions: u U d D s (? lists them).");
    }
    for (int i = 0; i + 1 < height && t->top + (size_t)i < t->count; i++) {
        size_t k = t->top + (size_t)i;
        palette_use(w, pal, line_matches(mp, t->lines[k]) ? SLOT_GRID_SELECTED
                                                          : log_slot(mp->loglevels[k]));
        text_add(w, y + 1 + i, 0, width, t->lines[k]);
    }
    palette_use(w, pal, SLOT_NORMAL);
}

/* ---- backups ------------------------------------------------------------ */

const char *mig_backup_dir(const MigPane *mp)
{
    return session_backup_dir(mp->base.ctx->session);
}

void mig_backups_free(MigPane *mp)
{
    if (mp->backups_ok)
        backup_list_free(&mp->backups);
    mp->backups_ok = false;
    db_error_clear(&mp->backups_err);
}

void mig_backups_open(MigPane *mp)
{
    char *label = backup_label(mp->base.ctx->conn);
    mig_backups_free(mp);
    mp->backups_ok = backup_list(mig_backup_dir(mp), label, &mp->backups, &mp->backups_err) == 0;
    lv_set_count(&mp->blv, mp->backups_ok ? mp->backups.count : 0);
    free(label);
    mp->view = VIEW_BACKUPS;
}

const BackupInfo *mig_backup_selected(const MigPane *mp)
{
    if (!mp->backups_ok || mp->backups.count == 0)
        return NULL;
    return &mp->backups.items[mp->blv.sel];
}

enum { BCOL_NAME, BCOL_SIZE, BCOL_CREATED };

static const TableColumn backup_columns[] = {
    [BCOL_NAME] = { "NAME", 0, 20, ALIGN_LEFT, true, 0 },
    [BCOL_SIZE] = { "SIZE", 12, 0, ALIGN_RIGHT, false, 0 },
    [BCOL_CREATED] = { "CREATED (UTC)", 19, 0, ALIGN_LEFT, false, 1 },
};

static TableCell backup_cell(void *ctx, size_t row, size_t col, char *buf, size_t size)
{
    const BackupInfo *b = &((MigPane *)ctx)->backups.items[row];
    struct tm tm;
    switch (col) {
    case BCOL_NAME: return (TableCell){ b->name, SLOT_NORMAL };
    case BCOL_SIZE:
        fmt_bytes(b->bytes, buf, size);
        return (TableCell){ buf, SLOT_NORMAL };
    default:
        gmtime_r(&b->created, &tm);
        strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
        return (TableCell){ buf, SLOT_DIM };
    }
}

void mig_backups_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    Pane *p = &mp->base;
    char *head = xasprintf("Backups in %s/  (Enter restores the selected one, c takes one "
                           "now, Esc back)", mig_backup_dir(mp));
    pane_add(w, p, y, 0, SLOT_TITLE, head);
    free(head);
    mp->btable_y = y + 1;
    if (!mp->backups_ok) {
        pane_draw_error(w, p, y + 2, height - 2, "Cannot list the backups",
                        mp->backups_err.message);
        return;
    }
    Table t = { backup_columns, sizeof backup_columns / sizeof backup_columns[0], backup_cell,
                mp };
    table_draw(w, mp->btable_y, height - 1, &t, &mp->blv, p->ctx->pal);
    if (mp->backups.count == 0)
        pane_add(w, p, mp->btable_y + 2, 2, SLOT_DIM,
                 "No backups of this database yet: c takes one.");
}
