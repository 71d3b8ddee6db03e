/* pane_schema_internal.h: the Schema pane's model, shared by its files:
 *   pane_schema.c         the class: load, layout, draw, keys, clicks
 *   pane_schema_list.c    the table list: order, sort, '/' filter, drawing
 *   pane_schema_detail.c  the selected table: header, tab bar, the Columns,
 *                         Constraints, Indexes and DDL tabs
 *   pane_schema_items.c   words about one column, constraint or index, and
 *                         its details for the overlay (Enter)
 *   pane_schema_rows.c    the Rows tab's model: the pager (core/rows.h),
 *                         paging, the cursor
 *   pane_schema_trail.c   places saved and restored (reload, resize, the
 *                         trail back)
 *   pane_schema_follow.c  following a foreign key from a cell to its row
 *   pane_schema_rowjob.c  running the Rows tab's work on a worker thread
 *                         with a connection of its own, its progress, Esc
 *   pane_schema_grid.c    drawing the rows grid (frozen key columns,
 *                         horizontal scrolling, NULL, long values)
 *   pane_schema_view.c    the overlay that shows one whole value, or an
 *                         item's details, as scrollable text
 *   pane_schema_load.c    reading the catalog: a reader job of the pane's
 *                         own, polled between keys
 *
 * The catalog (core/catalog.h) is read when the pane is first drawn, and
 * again on 'r', by a reader job (core/job_catalog.h) while the console
 * goes on answering keys: first the table list (rows, sizes estimated),
 * then the details of the selected table (catalog_load_table: constant
 * time at any catalog size) as it is selected, and in the background the
 * measured sizes.  Details that came stay in the catalog (the table's
 * CatTable stays where it is); what else is drawn needs no query.  The
 * list is a ListMode (listmode.h) over the catalog's tables, sorted and
 * filtered; the detail always shows the list's selected table.
 *
 * Rows are fetched one page at a time, only while the Rows tab is shown
 * with the focus on the detail: the pane holds one page, whatever the
 * table's size.  No rows statement runs on the console's thread: each
 * operation of the Rows tab (open a table's rows, page, count, follow a
 * foreign key, go back on the trail, restore the place after 'r' or a
 * resize) is a SchTask in three parts:
 *   prepare (console thread)  copies what the work needs out of the
 *                             catalog (SchTableSpec: a CatTable can go
 *                             with its catalog on 'r') and out of the page
 *                             (a follow's key values, the trail's mark);
 *   work (the worker thread)  only the database calls, on the Rows tab's
 *                             own connection (session_open, opened by the
 *                             worker and kept: the pager holds it), into
 *                             the task's new SchRows, or into sp->rows for
 *                             paging, which the console does not read
 *                             meanwhile; what it has to say is kept in the
 *                             task;
 *   apply (console thread)    swaps the rows in, pushes the trail, selects
 *                             the table, says the messages.
 * pane_schema_rowjob.c runs one task at a time on a persistent worker
 * (core/worker.h) and waits up to SCH_ROWS_WAIT_MS for it: a quick page
 * looks as if it were read in place.  A slower one leaves the console
 * answering keys, the Rows tab saying what it does and for how long, the
 * pane's poll taking the result when it comes.  Esc or Ctrl-C stops it
 * (db_cancel on the Rows tab's connection): the tab then says it was
 * stopped, never shows the page before as current, and R or Enter reads
 * the rows again.  While a task runs, the keys that need the rows
 * (paging, the cursor, Enter, f, b, clicks in the grid) are refused with
 * a message, not queued; h goes back to the list, which moves, and the
 * other tabs, panes, help and q work.  A table opened meanwhile (the Rows
 * tab of another table) replaces the task: the running one is stopped
 * and dropped, the new one runs after it.  An in-memory SQLite database
 * cannot be reached by a second connection: there the tasks run at once
 * on the console's connection.
 *
 * Focus: on the list (the detail is a preview beside it) or on the detail
 * (the list narrows to names).  Below SCH_SPLIT_MIN columns only the side
 * with the focus is shown. */
#ifndef DBW_PANE_SCHEMA_INTERNAL_H
#define DBW_PANE_SCHEMA_INTERNAL_H

#include "catalog.h"
#include "dialog.h"
#include "job_catalog.h"
#include "listmode.h"
#include "listview.h"
#include "pane.h"
#include "rows.h"
#include "rx.h"
#include "strbuf.h"
#include "textview.h"
#include "worker.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>

#define SCH_SPLIT_MIN 60     /* narrower than this: one side at a time */
#define SCH_GRID_MAX_COLS 64 /* grid columns drawn at once (on screen) */

/* The pane's own key actions (keys.h: a pane numbers its own). */
enum {
    SCH_ACT_COLUMNS = ACT_PANE_FIRST,  /* the tabs of the selected table */
    SCH_ACT_CONSTRAINTS,
    SCH_ACT_INDEXES,
    SCH_ACT_DDL,
    SCH_ACT_ROWS,
    SCH_ACT_NEXT_TAB,
    SCH_ACT_PREV_TAB,
    SCH_ACT_FOLLOW     /* follow the foreign key under the cursor */
};

typedef enum SchTab {
    SCH_TAB_COLUMNS = 0,
    SCH_TAB_CONSTRAINTS,
    SCH_TAB_INDEXES,
    SCH_TAB_DDL,
    SCH_TAB_ROWS,
    SCH_TAB_COUNT
} SchTab;

/* The tabs with a list of items (and a ListView each). */
#define SCH_LIST_TABS 3

typedef enum SchSort { SCH_SORT_NAME = 0, SCH_SORT_ROWS, SCH_SORT_SIZE, SCH_SORT_COUNT } SchSort;

/* Where things are on screen, from the window size and the focus. */
typedef struct SchLayout {
    bool show_list, show_detail;
    int  list_w;      /* list: columns 0 .. list_w-1 */
    int  detail_x;    /* detail: columns detail_x .. detail_x+detail_w-1 */
    int  detail_w;
    int  top;         /* first line of both */
    int  height;      /* their lines */
    int  set;         /* the list's column set (pane_schema_list.c) */
} SchLayout;

/* How well a row number or count is known. */
typedef enum SchCount {
    SCH_EXACT = 0,   /* counted (or the catalog's exact count) */
    SCH_ABOUT,       /* estimated: the catalog's estimate */
    SCH_PAST         /* a lower bound: at least this many (a count that
                        stopped at SCH_COUNT_CAP) */
} SchCount;

/* Counts of rows stop after this many (rows_count, rows_count_before). */
#define SCH_COUNT_CAP 100000

/* The Rows tab: a pager on one table, its page, and a cursor on it.  The
 * page's first nfrozen columns are the key (primary key, or rowid/ctid
 * asked for by name), kept in view when scrolling sideways. */
typedef struct SchRows {
    RowsPager *pager;       /* owned; NULL when closed */
    char      *schema;      /* owned: the table the pager reads */
    char      *table;
    RowsKeyKind kind;       /* ROWS_KEY_COLUMNS: no unique key (a view) */
    int        nkey;
    char     **key;         /* owned: the key's column names */
    int        nfrozen;     /* leading page columns kept in view */
    int        page_size;   /* rows per page (fits the window) */
    size_t     row;         /* cursor: row of the page */
    int        col;         /* cursor: column of the page */
    int        hscroll;     /* first unfrozen column shown */
    long long  first;       /* number (1-based) of the page's first row, as
                               first_how says; with SCH_PAST: first - 1
                               rows at least come before it */
    SchCount   first_how;
    long long  total;       /* rows in the table; -1 unknown */
    SchCount   total_how;
    long long  cat_rows;    /* the catalog's rows of the table (-1 unknown) */
    bool       cat_exact;   /* … counted rather than estimated */
    char      *anchor;      /* owned: what the last jump looked for, or NULL */
    char      *error;       /* owned: the last failure, shown instead of the
                               page (which is not the table's any more) */
    bool       stopped;     /* error is Esc's: the reading was stopped */
    int       *widths;      /* owned: the widest each column has been on
                               the pages shown, so widths do not change
                               while paging; NULL before the first draw */
    int        nwidths;
    /* from the last draw, for clicks */
    int        grid_y;      /* window line of the first data row; -1 none */
    int        ncolvis;
    int        col_x[SCH_GRID_MAX_COLS];
    int        col_w[SCH_GRID_MAX_COLS];
    int        col_of[SCH_GRID_MAX_COLS];
} SchRows;

/* One step of the trail: where a follow ('f') came from, for 'b'. */
typedef struct SchStep {
    char   *schema, *name;   /* owned: the table */
    SchTab  tab;
    bool    detail;          /* the focus was on the detail */
    size_t  tab_sel;         /* selection in a list tab */
    /* the Rows tab: the page's first row and the cursor */
    bool      has_rows;      /* the Rows tab was open on the table */
    RowsMark *mark;          /* owned: the page's first row; NULL when none */
    size_t    row;
    int       col, hscroll, page_size;
    long long first;         /* the rows' place (the total is counted again) */
    SchCount  first_how;
    int      *widths;        /* owned: the columns' widths */
    int       nwidths;
} SchStep;

/* A catalog reader job (core/job_catalog.h) of the pane's own. */
typedef struct SchReader {
    Job           *job;          /* or NULL */
    CatalogReader *r;            /* the job's (it owns it) */
} SchReader;

/* Reading the catalog (pane_schema_load.c). */
typedef struct SchLoad {
    SchReader      main;         /* the list, then the tables asked for */
    SchReader      sizes;        /* the measured sizes, after the list */
    bool           sync;         /* no reader (an in-memory database: a job's
                                    own connection would see another one):
                                    read on the pane's connection */
    bool           listing;      /* the list is being read */
    bool           stopped;      /* Esc stopped the list */
    char          *want_schema;  /* owned: the table asked for, not come */
    char          *want_name;
    char          *bad_schema;   /* owned: the last table that could not be */
    char          *bad_name;     /*   read, and why ("stopped" after Esc) */
    char          *bad_msg;
    SchStep        place;        /* where 'r' was pressed, restored when its
                                    table has come; place.name NULL: none */
    long           second;       /* the progress' second at the last draw */
} SchLoad;

/* How long an operation of the Rows tab is waited for before the console
 * goes on answering keys while it runs (ms). */
#define SCH_ROWS_WAIT_MS 80

/* An operation of the Rows tab (see the top of this file). */
typedef enum SchOp {
    SCH_OP_SHOW = 0,  /* a table's rows: the pager opened, the first page */
    SCH_OP_FIRST,     /* the first, last, next, previous page of sp->rows */
    SCH_OP_LAST,
    SCH_OP_NEXT,
    SCH_OP_PREV,
    SCH_OP_RESTORE,   /* a saved place again (a resize, after 'r') */
    SCH_OP_BACK,      /* 'b': the trail's last place, its table selected */
    SCH_OP_FOLLOW     /* 'f': the row a foreign key references */
} SchOp;

/* A table as an operation needs it, copied out of the catalog.  When its
 * details have not come (detailed false: only the names are set) the
 * work reads them on its own connection. */
typedef struct SchTableSpec {
    char      *schema, *name;   /* owned */
    bool       detailed;
    size_t     ncolumns;
    char     **columns;         /* owned: the columns' names */
    long long  rows;            /* the catalog's rows (-1 unknown) */
    bool       rows_exact;
    bool       rls;             /* row-level security on */
} SchTableSpec;

/* Something the work has to say, said by the console thread. */
typedef struct SchMsg {
    bool  error;
    char *text;                 /* owned */
} SchMsg;

typedef struct SchRowJob SchRowJob;

typedef struct SchTask {
    SchOp         op;
    SchRowJob    *job;          /* the runner (set when it runs) */
    char         *what;         /* owned: "reading the rows of big" */
    char         *at_schema;    /* owned: the table whose Rows tab waits */
    char         *at_name;
    SchTableSpec  table;        /* SHOW, RESTORE, BACK, FOLLOW: the table
                                   the new rows are of */
    int           page_size;
    bool          edge;         /* NEXT: the cursor to the top; PREV: to
                                   the bottom */
    SchStep       step;         /* RESTORE, BACK: the place (owned) */
    int           nfk;          /* FOLLOW: the foreign key's columns, */
    char        **ref_cols;     /*   owned: the referenced ones, */
    char        **vals;         /*   owned: the cursor row's values */
    char         *anchor;       /* owned: "users.id = 42" */
    /* the work's */
    DbConn       *conn;         /* the connection the work runs on; NULL
                                   when it could not be opened: */
    char         *no_conn;      /* owned: why */
    SchRows      *r;            /* the rows worked on: &sp->rows or &rows */
    SchRows       rows;         /* the new rows (not the paging ops) */
    Catalog      *one;          /* the table's details, read by the work */
    bool          found;        /* FOLLOW: the referenced row is there */
    bool          was_stopped;  /* Esc stopped a step of it */
    SchMsg       *msgs;         /* owned: to say, in order */
    size_t        nmsgs;
    /* the console's */
    atomic_bool   stop;         /* Esc: no further statement */
    bool          dropped;      /* replaced: dropped unapplied when it ends */
} SchTask;

/* The Rows tab's runner (pane_schema_rowjob.c). */
struct SchRowJob {
    Worker         *worker;     /* NULL until the first task (none when sync) */
    SchTask        *task;       /* submitted, not applied yet; NULL: none */
    SchTask        *queued;     /* to run once task has ended */
    bool            applying;   /* a task's apply is running */
    pthread_mutex_t mu;         /* guards conn and doing: the worker writes */
    DbConn         *conn;       /* the Rows tab's own connection, or NULL */
    const Session  *session;    /* what it is opened with */
    char            doing[200]; /* the step the work is at */
    long            second;     /* the progress's second at the last poll */
};

typedef struct SchemaPane {
    Pane       base;
    Catalog   *cat;          /* owned; NULL until the list came, or when it
                                could not be read */
    DbError    err;          /* why it could not */
    SchLoad    load;
    /* the table list: its items are the catalog's tables (the order is
     * list.sort, a SchSort) */
    ListMode   list;
    int        set;          /* the column set drawn last */
    int        nat[5];       /* natural widths of the list's columns */
    int        nat_marked;   /* of NAME with the kind marked ("v (view)") */
    int        nat_qualified; /* of NAME as schema.name */
    int        nat_qual_marked; /* of NAME as schema.name, kind marked */
    bool       multi_schema; /* tables in more than one schema */
    /* the detail */
    bool       detail;       /* the focus is on the detail */
    SchTab     tab;
    const CatTable *shown;   /* the table tab_lv and ddl were made for */
    ListView   tab_lv[SCH_LIST_TABS];
    TextView   ddl;          /* the DDL of the table shown */
    bool       ddl_built;    /* ddl holds the shown table's DDL */
    SchRows    rows;
    SchRowJob  rj;           /* the Rows tab's work in the background */
    SchStep   *trail;        /* owned: the follow trail, oldest first */
    size_t     ntrail;
    /* the overlay: a whole value or an item's details */
    bool       overlay;
    char      *ov_title;     /* owned */
    TextView   ov;
    /* geometry of the last draw, for keys (page size) and clicks */
    int        win_h, win_w;
    SchLayout  lay;
    int        list_y;       /* window line of the list's header; -1 none */
    int        tabbar_y;     /* window line of the tab bar; -1 none */
    int        tab_x[SCH_TAB_COUNT + 1];
    int        content_y;    /* first line of a tab's content */
} SchemaPane;

/* The tabs follow the selected table; the Rows tab shown with the focus on
 * it reads the selected table (once its details have come). */
void sch_follow_selection(SchemaPane *sp);
/* Computes the layout for a window of h x w, the focus on the detail or
 * on the list. */
void sch_layout(const SchemaPane *sp, int h, int w, bool detail, SchLayout *out);
/* Lines of rows the Rows tab fits in the current window (>= 1). */
int  sch_rows_page_fit(const SchemaPane *sp);
/* A copy of p with slot `from` drawn as slot `to` (a list without its
 * highlight while the focus is elsewhere). */
Palette sch_palette_as(const Palette *p, ThemeSlot from, ThemeSlot to);
/* Whether the locale draws UTF-8 (for arrows). */
bool sch_utf8(void);

/* pane_schema_list.c */
void sch_list_init(SchemaPane *sp);
/* Rebuilds the list from the catalog (the sort and the filter applied);
 * selects the table schema.name when it is listed (NULL: keeps the
 * position). */
void sch_list_rebuild(SchemaPane *sp, const char *schema, const char *name);
const CatTable *sch_selected(const SchemaPane *sp);
/* Selects t in the list, clearing the filter when it hides t. */
void sch_list_select(SchemaPane *sp, const CatTable *t);
/* A key for the list (moving, '/', n/N, o/O, Esc clearing the filter). */
PaneResult sch_list_key(SchemaPane *sp, int key);
/* Rebuilds the order keeping the selected table (rows or sizes changed). */
void sch_list_refresh(SchemaPane *sp);
const char *sch_sort_name(SchSort s);
/* Chooses the richest column set of the list that fits in width columns
 * (*set; 0 = every column) and returns the width it takes (<= width). */
int  sch_list_fit(const SchemaPane *sp, int width, int *set);
/* The names-only set (*set) in at most width columns; returns its width. */
int  sch_list_names(const SchemaPane *sp, int width, int *set);
void sch_list_draw(SchemaPane *sp, WINDOW *w, int set);
void sch_summary_draw(SchemaPane *sp, WINDOW *w);
const char *sch_kind_short(CatKind k);

/* pane_schema_detail.c */
void sch_detail_init(SchemaPane *sp);
/* Makes the tabs' state follow the selected table (new table: selections
 * reset, DDL rebuilt, the pager closed). */
void sch_detail_sync(SchemaPane *sp);
void sch_detail_draw(SchemaPane *sp, WINDOW *w);
/* Movement keys in a list tab or the DDL; false when not one. */
bool sch_detail_move(SchemaPane *sp, KeyAction a);

/* 'f' in the Columns or Constraints tab: the referenced table. */
void sch_detail_follow(SchemaPane *sp);
/* A click on line y, column x (pane window coordinates) of the detail. */
bool sch_detail_click(SchemaPane *sp, int y, int x);
/* Item counts of the list tabs, for the tab bar. */
size_t sch_tab_count(const CatTable *t, SchTab tab);

/* pane_schema_items.c */
/* "primary" / "primary key" (full), "foreign" / "foreign key", "unique",
 * "check", "exclude" / "exclusion".  Static. */
const char *sch_con_type(CatConType t, bool full);
/* Appends "a, b" (a NULL item is an expression). */
void sch_append_list(StrBuf *b, char *const *items, size_t n);
/* Appends "users (id)", with the schema when it is not t's own. */
void sch_append_ref(StrBuf *b, const CatTable *t, const CatConstraint *k);
/* The first foreign key of t that column name is part of, or NULL. */
const CatConstraint *sch_fk_of_column(const CatTable *t, const char *name);
/* A foreign key with no validated flag (SQLite, which checks a foreign key
 * only on connections that turn PRAGMA foreign_keys on, and never the rows
 * already there): the pane shows Catalog.fk_not_enforced for it. */
bool sch_fk_unchecked(const Catalog *cat, const CatConstraint *k);
/* Columns in t's primary key. */
size_t sch_pk_width(const CatTable *t);
/* An index's definition after "CREATE … INDEX name ON table" ("USING btree
 * (email)"); def itself when it does not read that way.  Points into def. */
const char *sch_index_tail(const char *def);
/* Enter in a list tab: the selected item's details in the overlay. */
void sch_detail_open(SchemaPane *sp);

/* pane_schema_rows.c */
/* Opens the pager on t at its first page, as a task (or nothing when the
 * pager is on t already, or a task reads t).  Errors are kept in rows.error. */
void sch_rows_show(SchemaPane *sp, const CatTable *t);
void sch_rows_close(SchRows *r);
/* Is the pager on table t (or did opening it on t fail)? */
bool sch_rows_on(const SchRows *r, const CatTable *t);
/* The Rows tab's keys: paging (a task), cursor, columns; false when not one. */
bool sch_rows_action(SchemaPane *sp, KeyAction a);
/* R, Enter: rows of the shown table that could not be read, or were
 * stopped, are read again from the first page; false when there are none
 * such (or a task runs). */
bool sch_rows_retry(SchemaPane *sp);
/* Work: opens a pager on s into r (empty before) on t->conn, page_size
 * rows a page; no row is fetched.  On failure r keeps s's names, its
 * pager is NULL and its error says why (stopped after Esc); -1. */
int  sch_rows_open_on(SchTask *t, SchRows *r, const SchTableSpec *s, int page_size);
/* Work: the first page of t->r's pager, the cursor on its first row. */
void sch_rows_first(SchTask *t);
/* Work: t->r's rows counted up to SCH_COUNT_CAP, else the catalog's. */
void sch_rows_count_total(SchTask *t);
/* Work: the page's place after a jump or a seek that did not come back
 * to a known place: counts the rows before it (up to SCH_COUNT_CAP). */
void sch_rows_locate(SchTask *t);
/* Work and apply of the paging ops and SHOW (SCH_OP_SHOW .. SCH_OP_PREV). */
void sch_rows_work(SchTask *t);
void sch_rows_apply(SchemaPane *sp, SchTask *t);
/* What a fetch tells of the page's place (no row before: it is the first;
 * none after: the last, and the total is known when the place is). */
void sch_rows_note_ends(SchRows *r);
/* The page can be shown: the pager is open and its last fetch worked. */
bool sch_rows_ready(const SchRows *r);
/* Keeps the cursor on the page. */
void sch_rows_clamp(SchRows *r);
void sch_rows_set_error(SchRows *r, const char *msg);
/* The rows' error is that Esc stopped their reading. */
void sch_rows_set_stopped(SchRows *r);
/* The page's column called name, or -1. */
int  sch_page_col(const RowsPage *pg, const char *name);
char **sch_strv_copy(int n, char *const *v);
void sch_strv_free(int n, char **v);

/* pane_schema_trail.c */
/* Reopens the pager with page_size rows, at the same first row (a task). */
void sch_rows_refit(SchemaPane *sp, int page_size);
/* The current place (table, tab, focus, selection, the rows' first key
 * and cursor) into *out, which the caller frees with sch_step_free(). */
void sch_place_save(SchemaPane *sp, SchStep *out);
/* Goes back to place s (the table selected; the pager reopened at the
 * same first row and the cursor put back by a task); says so when the
 * table or the row is gone.  Takes s over (it is left empty). */
void sch_place_restore(SchemaPane *sp, SchStep *s);
void sch_step_free(SchStep *s);
/* Pushes the current place onto the trail (before a follow). */
void sch_trail_push(SchemaPane *sp);
/* 'b': back to the last place on the trail. */
void sch_trail_back(SchemaPane *sp);
void sch_trail_free(SchemaPane *sp);
/* Work and apply of SCH_OP_RESTORE and SCH_OP_BACK. */
void sch_place_work(SchTask *t);
void sch_place_apply(SchemaPane *sp, SchTask *t);
/* The catalog's table the pager is on, or NULL. */
const CatTable *sch_rows_table(const SchemaPane *sp);

/* pane_schema_follow.c */
/* 'f': follow the foreign key of the cursor's column to its row (a task). */
void sch_rows_follow(SchemaPane *sp);
void sch_follow_work(SchTask *t);
void sch_follow_apply(SchemaPane *sp, SchTask *t);

/* pane_schema_rowjob.c */
void sch_rowjob_init(SchemaPane *sp);
/* A new task of op, for the Rows tab of at_schema.at_name, doing what
 * (printf-like: "reading the rows of %s"). */
SchTask *sch_task_new(SchOp op, const char *at_schema, const char *at_name,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void sch_task_free(SchTask *t);   /* NULL is fine */
/* The table's names and, when it has them, its details into *s. */
void sch_spec_set(SchTableSpec *s, const CatTable *t);
void sch_spec_free(SchTableSpec *s);
/* Work: keeps a message for the console to say. */
void sch_task_say(SchTask *t, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Work: the step the work is at, for the progress ("counting the rows of
 * big"). */
void sch_task_doing(SchTask *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Work: false when Esc asked to stop (the next statement is not run). */
bool sch_task_go(SchTask *t);
/* Work: is e the statement Esc stopped?  (A statement timeout is not.) */
bool sch_task_cut(SchTask *t, const DbError *e);
/* Work: reads the details of t->table on t->conn when the catalog has not
 * got them (kept in t->one for the apply); false, said, when they
 * cannot be read. */
bool sch_task_details(SchTask *t);
/* Runs t (taken over): on the worker, waiting SCH_ROWS_WAIT_MS for it
 * (applied at once when it has ended), or at once on the console's
 * connection (an in-memory database).  A task that runs is stopped and
 * dropped for it; t runs after it. */
void sch_rowjob_run(SchemaPane *sp, SchTask *t);
/* A task runs (or is being applied). */
bool sch_rowjob_busy(const SchemaPane *sp);
/* A task that runs or waits is for t's Rows tab. */
bool sch_rowjob_on(const SchemaPane *sp, const CatTable *t);
/* Busy: says so (the key is refused) and returns true. */
bool sch_rowjob_refuse(SchemaPane *sp);
/* Esc, Ctrl-C: stops the task that runs, and the one queued behind it
 * (it ends as stopped when it starts); false when none runs. */
bool sch_rowjob_stop(SchemaPane *sp);
/* Takes the task's result when it has ended; *busy while it runs. */
PaneResult sch_rowjob_poll(SchemaPane *sp, bool *busy);
/* 'r': stops the task, waits for it and drops it unapplied. */
void sch_rowjob_drop(SchemaPane *sp);
void sch_rowjob_free(SchemaPane *sp);
/* Draws the progress in place of t's rows from line y over h lines, when
 * a task runs for t's Rows tab; false when none does. */
bool sch_rowjob_draw(SchemaPane *sp, WINDOW *w, int y, int h);

/* pane_schema_grid.c */
void sch_grid_draw(SchemaPane *sp, WINDOW *w, int y, int height);
/* A click at window line y, column x: moves the cursor there. */
bool sch_grid_click(SchemaPane *sp, int y, int x);
/* The text of a cell as the grid shows it (newlines as a glyph, at most
 * about max_cols columns, "…" when cut); NULL gives "NULL". */
char *sch_cell_text(const RowsCell *c, int max_cols);
/* Is a column of this declared type shown right-aligned (a number)? */
bool sch_type_numeric(const char *type);

/* pane_schema_load.c */
/* Starts reading the catalog again (the first time, and on 'r'): what is
 * read now is dropped, the place kept for when its table has come. */
void sch_load_start(SchemaPane *sp);
/* Takes what the reader brought, asks for the selected table's details;
 * PANE_REDRAW when the screen must change; *busy while reading. */
PaneResult sch_load_poll(SchemaPane *sp, bool *busy);
/* Esc or Ctrl-C: stops the reading the user waits for (the list, the
 * selected table's details; with all, the sizes too); false when none. */
bool sch_load_stop(SchemaPane *sp, bool all);
/* Enter on a table that could not be read: asks for it again; false
 * when t is no such table. */
bool sch_load_retry(SchemaPane *sp, const CatTable *t);
/* Reads t's details now, on the pane's own connection, when they have not
 * come (a foreign key followed from the Columns tab, a place gone back
 * to); false, with the reason in the status bar, when they cannot be read. */
bool sch_table_ensure(SchemaPane *sp, const CatTable *t);
/* Takes the details of schema.name that a rows task read (one, a
 * catalog_load_table() result, taken over) into the catalog, when they
 * have not come meanwhile. */
void sch_table_take(SchemaPane *sp, const char *schema, const char *name, Catalog *one);
/* Draws the pane while there is no list: progress, the error, stopped. */
void sch_load_draw_list(SchemaPane *sp, WINDOW *w);
/* Draws, from line y over h lines, why the selected table's details are
 * not there: being read, could not be, stopped. */
void sch_load_draw_table(SchemaPane *sp, WINDOW *w, int y, int h);
/* What is read in the background ("measuring the sizes, 2 s"), or NULL. */
const char *sch_load_note(SchemaPane *sp, char *buf, size_t size);
void sch_load_free(SchemaPane *sp);

/* pane_schema_view.c */
void sch_view_init(SchemaPane *sp);
/* Opens the overlay with title and text (both copied). */
void sch_view_open(SchemaPane *sp, const char *title, const char *text);
void sch_view_close(SchemaPane *sp);
PaneResult sch_view_key(SchemaPane *sp, int key);
void sch_view_draw(SchemaPane *sp, WINDOW *w);
/* Enter in the Rows tab: the cursor's whole value. */
void sch_view_cell(SchemaPane *sp);

extern const KeyTable sch_keys_view;

#endif
