/* pane_integrity_export.c: e writes the rows of the selected orphan check
 * (or the detail's) to a file, as `dbwarden check rows ID --csv|--json`
 * prints them (core/integrity_export.c: integrity_export_file(), whole or
 * not at all).  The file's name is asked first (a LineEdit prefilled with
 * the table and the key's columns, ".csv"; a name ending in ".json" is
 * written as JSON); a file of that name is replaced only after a dialog
 * says yes.  The rows are read and written off the console thread (a
 * PaneTask; Esc stops it); afterwards the status line says where the file
 * went and how many rows it holds.  Reads only: works read-only.  See
 * pane_integrity_internal.h. */
#include "pane_integrity_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The task's argument, read by the console thread once it has finished. */
typedef struct IntExport {
    IntegrityCheck  ck;        /* owned copy */
    IntegrityFormat fmt;
    char           *path;      /* owned: as typed */
    bool            replace;   /* the user said yes to replacing it */
    bool            existed;   /* not written: the file exists (replace false) */
    long long       written;
} IntExport;

static void export_free(void *arg)
{
    IntExport *x = arg;
    integrity_check_clear(&x->ck);
    free(x->path);
    free(x);
}

static int run_export(Job *job, DbConn *conn, void *arg, char **summary, DbError *err)
{
    (void)job;
    IntExport *x = arg;
    int rc = integrity_export_file(conn, &x->ck, x->fmt, x->path, x->replace, &x->written,
                                   err);
    if (rc < 0)
        return -1;
    x->existed = rc == 1;
    *summary = xasprintf("%lld rows", x->written);
    return 0;
}

/* "jobs_user_id.csv": the table and the key's columns, as a file name. */
static void default_name(LineEdit *e, const IntegrityCheck *ck)
{
    StrBuf b = STRBUF_INIT;
    sb_append(&b, ck->table ? ck->table : "rows");
    for (size_t i = 0; i < ck->ncolumns; i++)
        sb_appendf(&b, "_%s", ck->columns[i]);
    char *name = sb_take(&b);
    lineedit_clear(e);
    for (const char *p = name; *p && e->len + 5 < LINEEDIT_MAX; p++) {
        char ch = *p;
        bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
        e->buf[e->len++] = keep ? ch : '_';
    }
    memcpy(e->buf + e->len, ".csv", 5);
    e->len += 4;
    free(name);
}

PaneResult int_export_start(IntPane *ip)
{
    const IntegrityCheck *ck = int_target(ip);
    if (!ck) {
        pane_say(&ip->base, true, "No check is selected.");
        return PANE_REDRAW;
    }
    if (ck->group != IG_ORPHANS && ck->group != IG_INFERRED) {
        pane_say(&ip->base, true, "%s has no rows to export: only the orphans of a foreign "
                 "key have rows.", ck->id);
        return PANE_REDRAW;
    }
    if (task_running(&ip->export_task)) {
        pane_say(&ip->base, true, "An export is being written: wait for it, or stop it with "
                 "Esc.");
        return PANE_REDRAW;
    }
    int_export_clear(ip);
    integrity_check_copy(&ip->export_ck, ck);
    ip->have_export_ck = true;
    default_name(&ip->fname, ck);
    ip->naming = true;
    return PANE_REDRAW;
}

static void start_task(IntPane *ip, const char *path, bool replace)
{
    const PaneContext *ctx = ip->base.ctx;
    IntExport *x = xcalloc(1, sizeof *x);
    integrity_check_copy(&x->ck, &ip->export_ck);
    x->path = xstrdup(path);
    size_t n = strlen(path);
    x->fmt = n >= 5 && strcasecmp(path + n - 5, ".json") == 0 ? INTEGRITY_JSON : INTEGRITY_CSV;
    x->replace = replace;
    DbError err = DB_ERROR_INIT;
    if (!task_start(&ip->export_task, ctx->session, "the export", run_export, x, export_free,
                    &err)) {
        pane_say(&ip->base, true, "Cannot export %s: %s", ip->export_ck.id, err.message);
        db_error_clear(&err);
    }
    int_export_clear(ip);
}

/* Enter on the name: a new file is written; an existing one asks first. */
static void name_taken(IntPane *ip)
{
    const char *path = ip->fname.buf;
    while (*path == ' ')
        path++;
    if (!*path) {
        pane_say(&ip->base, true, "No file name: nothing was written.");
        int_export_clear(ip);
        return;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        start_task(ip, path, false);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        pane_say(&ip->base, true, "%s is a folder: give the file's name (e again).", path);
        int_export_clear(ip);
        return;
    }
    free(ip->export_path);
    ip->export_path = xstrdup(path);
    char *title = xasprintf("Replace %s?", path);
    char *summary = xasprintf("%s exists: replace it with the orphan rows of %s?", path,
                              ip->export_ck.id);
    DialogSpec spec = { .title = title, .summary = summary,
                        .target = db_display_url(ip->base.ctx->conn), .what = path,
                        .backup = DIALOG_BACKUP_NONE };
    ip->overwrite = dialog_new(&spec);
    free(title);
    free(summary);
}

PaneResult int_export_key(IntPane *ip, int key)
{
    if (ip->overwrite) {
        DialogResult r = dialog_key(ip->overwrite, key);
        if (r == DIALOG_PASS)
            return PANE_IGNORED;
        if (r == DIALOG_YES) {
            char *path = xstrdup(ip->export_path);
            start_task(ip, path, true);
            free(path);
        } else if (r == DIALOG_NO) {
            pane_say(&ip->base, false, "Not replaced: %s is as it was; nothing was written.",
                     ip->export_path);
            int_export_clear(ip);
        }
        return PANE_REDRAW;
    }
    switch (lineedit_key(&ip->fname, key)) {
    case LINE_ACCEPT:
        ip->naming = false;
        name_taken(ip);
        return PANE_REDRAW;
    case LINE_CANCEL:
        pane_say(&ip->base, false, "Cancelled: nothing was exported.");
        int_export_clear(ip);
        return PANE_REDRAW;
    default:
        return PANE_REDRAW;
    }
}

bool int_export_open(const IntPane *ip)
{
    return ip->naming || ip->overwrite;
}

void int_export_draw(IntPane *ip, WINDOW *w)
{
    if (ip->overwrite) {
        dialog_draw(w, ip->overwrite, ip->base.ctx->pal);
        return;
    }
    if (!ip->naming)
        return;
    char *prompt = xasprintf("Export the orphan rows of %s to (.csv, or .json): ",
                             ip->export_ck.table ? ip->export_ck.table : "?");
    lineedit_draw(w, getmaxy(w) - 1, 0, getmaxx(w), prompt, &ip->fname, ip->base.ctx->pal);
    free(prompt);
}

/* The finished export: where it went and how many rows, or why not. */
static void take(IntPane *ip)
{
    IntExport *x = task_arg(&ip->export_task);
    if (!x)
        return;
    if (ip->export_task.outcome != JOB_OK) {
        const char *why = ip->export_task.err.message ? ip->export_task.err.message
                          : "it did not finish";
        pane_say(&ip->base, ip->export_task.outcome != JOB_CANCELLED, "%s not exported: %s",
                 x->ck.id, why);
        return;
    }
    if (x->existed) {
        pane_say(&ip->base, true, "%s exists (it appeared meanwhile): not replaced, nothing "
                 "written; e again to replace it.", x->path);
        return;
    }
    char where[PATH_MAX];
    const char *shown = realpath(x->path, where) ? where : x->path;
    pane_say(&ip->base, false, "Exported %lld orphan row%s to %s (%s).", x->written,
             x->written == 1 ? "" : "s", shown, x->fmt == INTEGRITY_JSON ? "JSON" : "CSV");
}

bool int_export_poll(IntPane *ip)
{
    if (task_poll(&ip->export_task)) {
        take(ip);
        return true;
    }
    return task_running(&ip->export_task) &&
           task_moved(&ip->export_task);
}

bool int_export_running(const IntPane *ip)
{
    return task_running(&ip->export_task);
}

void int_export_stop(IntPane *ip)
{
    if (!int_export_running(ip))
        return;
    task_cancel(&ip->export_task);
    pane_say(&ip->base, false, "Stopping the export...");
}

void int_export_clear(IntPane *ip)
{
    ip->naming = false;
    dialog_free(ip->overwrite);
    ip->overwrite = NULL;
    free(ip->export_path);
    ip->export_path = NULL;
    if (ip->have_export_ck)
        integrity_check_clear(&ip->export_ck);
    ip->have_export_ck = false;
}

void int_export_free(IntPane *ip)
{
    task_free(&ip->export_task);
    int_export_clear(ip);
}
