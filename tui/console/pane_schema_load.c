/* pane_schema_load.c: reading the catalog for the Schema pane (see
 * pane_schema_internal.h).  A reader job of the pane's own
 * (core/job_catalog.h) brings the list, then the details of the table
 * selected, then the measured sizes; the pane takes them between keys
 * (sch_load_poll), so the console draws and answers keys all along.  Esc
 * stops what the user waits for.  Reading on the pane's own connection is
 * left for an in-memory database and for a table needed at once (a
 * foreign key followed from the Columns tab); a rows task that read a
 * table's details on its way (a foreign key followed in the rows) hands
 * them over with sch_table_take(). */
#include "pane_schema_internal.h"
#include "text.h"
#include "url.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small state ------------------------------------------------------------ */

static void set_pair(char **schema, char **name, const char *s, const char *n)
{
    free(*schema);
    free(*name);
    *schema = s ? xstrdup(s) : NULL;
    *name = n ? xstrdup(n) : NULL;
}

static bool same(const char *schema, const char *name, const CatTable *t)
{
    return name && t && strcmp(t->name, name) == 0 && strcmp(t->schema, schema) == 0;
}

static void set_bad(SchLoad *l, const char *schema, const char *name, const char *msg)
{
    set_pair(&l->bad_schema, &l->bad_name, schema, name);
    free(l->bad_msg);
    l->bad_msg = msg ? xstrdup(msg) : NULL;
}

/* An in-memory SQLite database is seen by its own connection only. */
static bool in_memory(const SchemaPane *sp)
{
    DbUrl u;
    DbError e = DB_ERROR_INIT;
    if (db_url_parse(&u, sp->base.ctx->session->cfg.database.url, &e) != 0) {
        db_error_clear(&e);
        return false;
    }
    bool mem = u.engine == DB_ENGINE_SQLITE && strcmp(u.target, ":memory:") == 0;
    db_url_free(&u);
    return mem;
}

/* Ends a reader: what it reads is dropped (job_free cancels it). */
static void end_reader(SchReader *rd)
{
    if (rd->r)
        catalog_reader_stop(rd->r);
    job_free(rd->job);
    rd->job = NULL;
    rd->r = NULL;
}

static bool start_reader(SchemaPane *sp, SchReader *rd, int work)
{
    DbError e = DB_ERROR_INIT;
    if (catalog_reader_start(&rd->job, &rd->r, sp->base.ctx->session, work, &e) == 0)
        return true;
    pane_say(&sp->base, true, "%s", e.message);
    db_error_clear(&e);
    return false;
}

/* ---- starting ---------------------------------------------------------------- */

/* The pane's own connection reads the list (an in-memory database). */
static void list_now(SchemaPane *sp)
{
    if (catalog_list_tables(sp->base.ctx->conn, &sp->cat, &sp->err) != 0)
        sp->cat = NULL;
    else if (catalog_note_fk_enforcement(sp->base.ctx->conn, sp->cat, &sp->err) != 0)
        db_error_clear(&sp->err);
}

static void after_list(SchemaPane *sp);

void sch_load_start(SchemaPane *sp)
{
    SchLoad *l = &sp->load;
    sch_rowjob_drop(sp);   /* the rows' work is for the catalog that goes */
    if (!l->place.name && sp->cat && sch_selected(sp))
        sch_place_save(sp, &l->place);   /* (a place not yet back is kept) */
    end_reader(&l->main);
    end_reader(&l->sizes);
    sch_rows_close(&sp->rows);
    sp->shown = NULL;
    catalog_free(sp->cat);
    sp->cat = NULL;
    db_error_clear(&sp->err);
    sch_list_rebuild(sp, NULL, NULL);
    set_pair(&l->want_schema, &l->want_name, NULL, NULL);
    set_bad(l, NULL, NULL, NULL);
    l->stopped = false;
    l->sync = in_memory(sp);
    if (l->sync) {
        list_now(sp);
        after_list(sp);
        return;
    }
    l->listing = start_reader(sp, &l->main, CATALOG_READ_LIST | CATALOG_READ_TABLES);
}

/* ---- what came --------------------------------------------------------------- */

/* The list is here: selected where the pane was (or the first table); the
 * sizes are measured beside (their reader keeps no table waiting). */
static void after_list(SchemaPane *sp)
{
    SchLoad *l = &sp->load;
    l->listing = false;
    if (sp->cat && !l->sync && !l->sizes.job)
        start_reader(sp, &l->sizes, CATALOG_READ_SIZES);
    sch_list_rebuild(sp, l->place.name ? l->place.schema : NULL, l->place.name);
    if (l->place.name && (!sp->cat || !catalog_find(sp->cat, l->place.schema, l->place.name)))
        sch_place_restore(sp, &l->place);   /* says the table is gone */
}

/* The selected table's details came: the tabs follow, the place (after
 * 'r') comes back, the Rows tab opens. */
static void after_table(SchemaPane *sp, const CatTable *t)
{
    SchLoad *l = &sp->load;
    if (t == sch_selected(sp))
        sp->shown = NULL;   /* same CatTable, new contents: the tabs start again */
    if (same(l->place.schema, l->place.name, t))
        sch_place_restore(sp, &l->place);   /* (takes it over) */
    sch_follow_selection(sp);
}

static void take_table(SchemaPane *sp, CatPart *p)
{
    SchLoad *l = &sp->load;
    const CatTable *t = sp->cat ? catalog_find(sp->cat, p->schema, p->name) : NULL;
    if (same(l->want_schema, l->want_name, t))
        set_pair(&l->want_schema, &l->want_name, NULL, NULL);
    if (!t || t->detailed)
        return;   /* gone, or read meanwhile on the pane's connection */
    if (!p->cat) {
        set_bad(l, p->schema, p->name, p->err.kind == DB_ERR_CANCELLED ? "stopped"
                                       : p->err.message);
        if (same(l->place.schema, l->place.name, t))
            sch_step_free(&l->place);   /* its table is there, its place cannot be */
        return;
    }
    if (!catalog_merge_table(sp->cat, p->cat, p->schema, p->name)) {
        set_bad(l, p->schema, p->name, "it is no longer in the database");
        return;
    }
    after_table(sp, t);
}

static void take_part(SchemaPane *sp, CatPart *p)
{
    switch (p->kind) {
    case CAT_PART_LIST:
        if (p->cat) {
            sp->cat = p->cat;
            p->cat = NULL;
            DbError e = DB_ERROR_INIT;   /* enforced on the console's connection? */
            if (catalog_note_fk_enforcement(sp->base.ctx->conn, sp->cat, &e) != 0)
                db_error_clear(&e);       /* the detail then says "not known" no worse */
        } else if (p->err.kind == DB_ERR_CANCELLED) {
            sp->load.stopped = true;
        } else {
            db_error_move(&sp->err, &p->err);
        }
        after_list(sp);
        break;
    case CAT_PART_TABLE:
        take_table(sp, p);
        break;
    case CAT_PART_SIZES:
        if (sp->cat && p->cat) {
            catalog_merge_sizes(sp->cat, p->cat);
            sch_list_refresh(sp);
        }
        break;
    }
}

/* A reader's own events: true at its end (a list that failed was a part
 * too; a reader that could not connect says so only here). */
static bool drain_job(SchemaPane *sp, SchReader *rd)
{
    SchLoad *l = &sp->load;
    JobEvent ev;
    bool ended = false;
    while (rd->job && job_poll(rd->job, &ev)) {
        if (ev.kind == JOB_FINISHED) {
            ended = true;
            if (rd == &l->main && l->listing && ev.outcome == JOB_FAILED && !sp->err.message)
                db_error_move(&sp->err, &ev.err);
        }
        job_event_clear(&ev);
    }
    return ended;
}

/* Takes what rd brought; at its end frees it.  true when anything came. */
static bool poll_reader(SchemaPane *sp, SchReader *rd)
{
    if (!rd->job)
        return false;
    bool came = false;
    CatPart p;
    while (catalog_reader_take(rd->r, &p)) {
        take_part(sp, &p);
        catalog_part_clear(&p);
        came = true;
    }
    if (!drain_job(sp, rd))
        return came;
    while (catalog_reader_take(rd->r, &p)) {   /* the last ones */
        take_part(sp, &p);
        catalog_part_clear(&p);
    }
    end_reader(rd);
    SchLoad *l = &sp->load;
    if (rd == &l->main) {
        if (l->listing)
            after_list(sp);
        if (l->want_name) {   /* asked, never read: the reader was stopped */
            set_bad(l, l->want_schema, l->want_name, "stopped");
            set_pair(&l->want_schema, &l->want_name, NULL, NULL);
        }
    }
    return true;
}

/* ---- asking for the selected table ------------------------------------------ */

static void ask_selected(SchemaPane *sp)
{
    SchLoad *l = &sp->load;
    const CatTable *t = sch_selected(sp);
    if (!t || t->detailed || same(l->bad_schema, l->bad_name, t) ||
        same(l->want_schema, l->want_name, t) ||
        (l->main.r && catalog_reader_reading(l->main.r, t->schema, t->name)))
        return;   /* its details are here, could not be read, or will come */
    if (l->sync) {
        sch_table_ensure(sp, t);
        return;
    }
    if (!l->main.job && !start_reader(sp, &l->main, CATALOG_READ_TABLES)) {
        set_bad(l, t->schema, t->name, "no worker thread could be started");
        return;
    }
    catalog_reader_want(l->main.r, t->schema, t->name);
    set_pair(&l->want_schema, &l->want_name, t->schema, t->name);
}

/* What rd does now, and since when; false when it waits. */
static bool reader_doing(const SchReader *rd, char *buf, size_t size, long *ms)
{
    *ms = 0;
    buf[0] = '\0';
    return rd->r && catalog_reader_doing(rd->r, buf, size, ms);
}

PaneResult sch_load_poll(SchemaPane *sp, bool *busy)
{
    SchLoad *l = &sp->load;
    PaneResult r = PANE_HANDLED;
    if (poll_reader(sp, &l->main))
        r = PANE_REDRAW;
    if (poll_reader(sp, &l->sizes))
        r = PANE_REDRAW;
    if (sp->cat)
        ask_selected(sp);
    char what[200];
    long ms = 0, ms2 = 0;
    bool doing = reader_doing(&l->main, what, sizeof what, &ms);
    bool sizing = reader_doing(&l->sizes, what, sizeof what, &ms2);
    *busy = l->listing || l->want_name || doing || sizing;
    long second = (doing ? ms : ms2) / 1000;
    if (*busy && second != l->second) {   /* the seconds on screen */
        l->second = second;
        r = PANE_REDRAW;
    }
    return r;
}

/* ---- stopping, trying again ------------------------------------------------- */

bool sch_load_stop(SchemaPane *sp, bool all)
{
    SchLoad *l = &sp->load;
    const CatTable *t = sch_selected(sp);
    bool waited = l->main.job &&
                  (l->listing || (t && !t->detailed && same(l->want_schema, l->want_name, t)));
    bool sizes = all && l->sizes.job;
    if (!waited && !sizes)
        return false;
    if (sizes)
        job_cancel(l->sizes.job);
    if (waited) {
        job_cancel(l->main.job);
        l->stopped = l->listing;
    }
    pane_say(&sp->base, false, "Stopped reading %s%s.",
             !waited ? "the sizes" : l->listing ? "the catalog" : t->name,
             !waited ? " (those with ~ stay estimated)" : l->listing ? " (r reads it again)"
                                                                    : " (Enter reads it)");
    return true;
}

bool sch_load_retry(SchemaPane *sp, const CatTable *t)
{
    SchLoad *l = &sp->load;
    if (!t || t->detailed || !same(l->bad_schema, l->bad_name, t))
        return false;
    set_bad(l, NULL, NULL, NULL);
    return true;
}

void sch_table_take(SchemaPane *sp, const char *schema, const char *name, Catalog *one)
{
    const CatTable *t = sp->cat ? catalog_find(sp->cat, schema, name) : NULL;
    if (t && !t->detailed && catalog_merge_table(sp->cat, one, schema, name))
        after_table(sp, t);
    catalog_free(one);
}

bool sch_table_ensure(SchemaPane *sp, const CatTable *t)
{
    if (!t || t->detailed)
        return t != NULL;
    Catalog *one = NULL;
    DbError e = DB_ERROR_INIT;
    char *schema = xstrdup(t->schema), *name = xstrdup(t->name);
    bool ok = catalog_load_table(sp->base.ctx->conn, schema, name, &one, &e) == 0 &&
              catalog_merge_table(sp->cat, one, schema, name);
    if (ok) {
        after_table(sp, t);
    } else {
        const char *why = e.message ? e.message : "it is no longer in the database";
        pane_say(&sp->base, true, "Cannot read %s: %s", name, why);
        set_bad(&sp->load, schema, name, why);
    }
    catalog_free(one);
    db_error_clear(&e);
    free(schema);
    free(name);
    return ok;
}

void sch_load_free(SchemaPane *sp)
{
    SchLoad *l = &sp->load;
    end_reader(&l->main);
    end_reader(&l->sizes);
    set_pair(&l->want_schema, &l->want_name, NULL, NULL);
    set_bad(l, NULL, NULL, NULL);
    sch_step_free(&l->place);
}

/* ---- drawing ------------------------------------------------------------------ */

/* "reading the table list, 2 s" */
static const char *doing_text(SchemaPane *sp, char *buf, size_t size)
{
    char what[200];
    long ms = 0;
    if (!reader_doing(&sp->load.main, what, sizeof what, &ms))
        return NULL;
    snprintf(buf, size, "%s, %ld s", what, ms / 1000);
    return buf;
}

void sch_load_draw_list(SchemaPane *sp, WINDOW *w)
{
    const Pane *p = &sp->base;
    int width = getmaxx(w), height = getmaxy(w);
    pane_draw_title(w, p);
    if (sp->err.message) {
        pane_draw_error(w, p, 2, height - 2, "Cannot read the catalog", sp->err.message);
        return;
    }
    char buf[240];
    const char *doing = doing_text(sp, buf, sizeof buf);
    char line[300];
    snprintf(line, sizeof line, "Reading the catalog: %s", doing ? doing : "starting");
    const char *text = sp->load.listing ? line
                     : sp->load.stopped ? "Stopped: r reads the catalog again."
                     : "The catalog has not been read: r reads it.";
    palette_use(w, p->ctx->pal, sp->load.listing ? SLOT_NORMAL : SLOT_DIM);
    text_wrap(w, 2, 1, width - 1, 2, text);
    if (sp->load.listing) {
        palette_use(w, p->ctx->pal, SLOT_DIM);
        text_wrap(w, 4, 1, width - 1, 3, "The tables come first, each table's details when "
                  "it is selected. Esc stops; keys work meanwhile (q quits).");
    }
    palette_use(w, p->ctx->pal, SLOT_NORMAL);
}

void sch_load_draw_table(SchemaPane *sp, WINDOW *w, int y, int h)
{
    const SchLoad *l = &sp->load;
    const CatTable *t = sp->shown;
    const Palette *pal = sp->base.ctx->pal;
    int width = getmaxx(w);
    if (same(l->bad_schema, l->bad_name, t)) {
        if (strcmp(l->bad_msg ? l->bad_msg : "", "stopped") == 0) {
            palette_use(w, pal, SLOT_DIM);
            text_wrap(w, y + 1, 1, width - 1, h - 1,
                      "Not read: stopped (Enter reads its columns, constraints and indexes).");
        } else {
            int n = pane_draw_error(w, &sp->base, y + 1, h - 2, "Cannot read this table",
                                    l->bad_msg ? l->bad_msg : "?");
            palette_use(w, pal, SLOT_DIM);
            text_wrap(w, y + 2 + n, 1, width - 1, h - 2 - n, "Enter tries again.");
        }
        palette_use(w, pal, SLOT_NORMAL);
        return;
    }
    char buf[240], line[300];
    const char *doing = doing_text(sp, buf, sizeof buf);
    snprintf(line, sizeof line, "Reading its columns, constraints and indexes%s%s (Esc stops).",
             doing && same(l->want_schema, l->want_name, t) ? ": " : "…",
             doing && same(l->want_schema, l->want_name, t) ? doing : "");
    palette_use(w, pal, SLOT_DIM);
    text_wrap(w, y + 1, 1, width - 1, h - 1, line);
    palette_use(w, pal, SLOT_NORMAL);
}

const char *sch_load_note(SchemaPane *sp, char *buf, size_t size)
{
    char what[200];
    long ms = 0;
    if (!reader_doing(&sp->load.sizes, what, sizeof what, &ms))
        return NULL;
    snprintf(buf, size, "Measuring the sizes (~ estimated until then), %ld s", ms / 1000);
    return buf;
}
