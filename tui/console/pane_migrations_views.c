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
    tv_set_text(&mp->text, text);
    mp->text.hang = 2;
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
    tv_set_text(&mp->text, sb_str(&b));
    mp->text.hang = 3;
    sb_free(&b);
    free(mp->text_title);
    mp->text_title = xasprintf("Problems (%zu)", n);
    mp->view = VIEW_TEXT;
    mp->text_problems = true;
}

/* The slot of a line of the text view: a problem's first line in the
 * problem style, its files dim; SQL by its comments; Python comments dim. */
static ThemeSlot text_style(void *ctx, size_t i, const char *line)
{
    (void)i;
    const MigPane *mp = ctx;
    if (mp->text_problems)
        return line[0] && line[0] != ' ' ? SLOT_STATE_PROBLEM : SLOT_DIM;
    if (mp->alembic)
        return line[strspn(line, " ")] == '#' ? SLOT_DIM : SLOT_NORMAL;
    return textscroll_sql_slot(line);
}

static ThemeSlot log_style(void *ctx, size_t i, const char *line);

void mig_views_init(MigPane *mp)
{
    tv_init(&mp->text, &mp->base, true);
    mp->text.numbers = true;
    mp->text.style = text_style;
    mp->text.style_ctx = mp;
    tv_init(&mp->logview, &mp->base, true);
    mp->logview.hang = 10;
    mp->logview.follow = true;
    mp->logview.style = log_style;
    mp->logview.style_ctx = mp;
}

void mig_views_free(MigPane *mp)
{
    tv_free(&mp->text);
    tv_free(&mp->logview);
}

void mig_text_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    tv_draw(&mp->text, w, y, 0, height, getmaxx(w), mp->text_title ? mp->text_title : "",
            mp->base.ctx->pal);
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
    tv_append_entry(&mp->logview, mp->log[mp->nlog - 1].when, (int)level, text);
}

void mig_log_free(MigPane *mp)
{
    for (size_t i = 0; i < mp->nlog; i++)
        free(mp->log[i].text);
    free(mp->log);
    mp->log = NULL;
    mp->nlog = 0;
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

static ThemeSlot log_style(void *ctx, size_t i, const char *line)
{
    (void)line;
    const MigPane *mp = ctx;
    return log_slot((LogLevel)tv_kind(&mp->logview, i));
}

void mig_log_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    int width = getmaxx(w);
    char head[96];
    snprintf(head, sizeof head, "LOG of this session: %zu entr%s  (L or Esc: back)", mp->nlog,
             mp->nlog == 1 ? "y" : "ies");
    tv_draw(&mp->logview, w, y, 0, height, width, head, mp->base.ctx->pal);
    if (mp->nlog == 0)
        pane_add(w, &mp->base, y + 2, 2, SLOT_DIM,
                 "Nothing has run yet. Actions: u U d D s (? lists them).");
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
    lm_rebuild(&mp->blist, -1);
    free(label);
    mp->view = VIEW_BACKUPS;
}

const BackupInfo *mig_backup_selected(const MigPane *mp)
{
    size_t k;
    if (!mp->backups_ok || !lm_selected(&mp->blist, &k))
        return NULL;
    return &mp->backups.items[k];
}

enum { BCOL_NAME, BCOL_SIZE, BCOL_CREATED };

static const TableColumn backup_columns[] = {
    [BCOL_NAME] = { "NAME", 0, 20, ALIGN_LEFT, true, 0 },
    [BCOL_SIZE] = { "SIZE", 12, 0, ALIGN_RIGHT, false, 0 },
    [BCOL_CREATED] = { "CREATED (UTC)", 19, 0, ALIGN_LEFT, false, 1 },
};

static size_t backup_count(void *ctx)
{
    const MigPane *mp = ctx;
    return mp->backups_ok ? mp->backups.count : 0;
}

static const char *backup_text(void *ctx, size_t k, char *buf, size_t size)
{
    (void)buf, (void)size;
    return ((MigPane *)ctx)->backups.items[k].name;
}

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

static const ListSource backup_source = {
    .count = backup_count, .text = backup_text, .cell = backup_cell,
};

void mig_backups_init(MigPane *mp)
{
    lm_init(&mp->blist, &mp->base, &backup_source, mp, backup_columns,
            sizeof backup_columns / sizeof backup_columns[0], "backups", NULL, 0);
}

void mig_backups_draw(MigPane *mp, WINDOW *w, int y, int height)
{
    Pane *p = &mp->base;
    if (!lm_draw_filter(&mp->blist, w, y, getmaxx(w), p->ctx->pal)) {
        char *head = xasprintf("Backups in %s/  (Enter restores the selected one, c takes one "
                               "now, Esc back)", mig_backup_dir(mp));
        pane_add(w, p, y, 0, SLOT_TITLE, head);
        free(head);
    }
    if (!mp->backups_ok) {
        pane_draw_error(w, p, y + 2, height - 2, "Cannot list the backups",
                        mp->backups_err.message);
        return;
    }
    lm_draw(&mp->blist, w, y + 1, height - 1, p->ctx->pal);
    if (mp->backups.count == 0)
        pane_add(w, p, y + 3, 2, SLOT_DIM,
                 "No backups of this database yet: c takes one.");
}
