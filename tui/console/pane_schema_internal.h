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
 *                         trail back), following a foreign key
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
 * filtered; the detail always shows the list's selected table.  Rows are fetched one page at a time, only while
 * the Rows tab is shown with the focus on the detail: the pane holds one
 * page, whatever the table's size.
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

#include <stdarg.h>

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
/* Opens the pager on t at its first page (or repositions the open one
 * when it is on t already).  Errors are kept in rows.error. */
void sch_rows_show(SchemaPane *sp, const CatTable *t);
void sch_rows_close(SchRows *r);
/* Is the pager on table t (or did opening it on t fail)? */
bool sch_rows_on(const SchRows *r, const CatTable *t);
/* The Rows tab's keys: paging, cursor, columns; false when not one. */
bool sch_rows_action(SchemaPane *sp, KeyAction a);
/* Opens a pager on t into r (empty before), page_size rows a page; no row
 * is fetched.  On failure *msg is the reason (caller frees) and r keeps
 * t's names (sch_rows_close() frees it either way). */
int  sch_rows_open_on(SchemaPane *sp, SchRows *r, const CatTable *t, int page_size, char **msg);
/* The first page of the open pager, the cursor on its first row. */
void sch_rows_first(SchemaPane *sp);
/* The table's rows: counted up to SCH_COUNT_CAP, else the catalog's. */
void sch_rows_count_total(SchRows *r);
/* Works out the page's place after a jump or a seek that did not come
 * back to a known place: counts the rows before it (up to SCH_COUNT_CAP). */
void sch_rows_locate(SchRows *r);
/* What a fetch tells of the page's place (no row before: it is the first;
 * none after: the last, and the total is known when the place is). */
void sch_rows_note_ends(SchRows *r);
/* The page can be shown: the pager is open and its last fetch worked. */
bool sch_rows_ready(const SchRows *r);
/* Keeps the cursor on the page. */
void sch_rows_clamp(SchRows *r);
void sch_rows_set_error(SchRows *r, const char *msg);
/* The page's column called name, or -1. */
int  sch_page_col(const RowsPage *pg, const char *name);
char **sch_strv_copy(int n, char *const *v);
void sch_strv_free(int n, char **v);

/* pane_schema_trail.c */
/* Reopens the pager with page_size rows, at the same first row. */
void sch_rows_refit(SchemaPane *sp, int page_size);
/* 'f': follow the foreign key of the cursor's column to its row. */
void sch_rows_follow(SchemaPane *sp);
/* The current place (table, tab, focus, selection, the rows' first key
 * and cursor) into *out, which the caller frees with sch_step_free(). */
void sch_place_save(SchemaPane *sp, SchStep *out);
/* Goes back to place s (the table selected, the pager reopened at the
 * same first row, the cursor put back); says so when the table or the row
 * is gone.  s stays the caller's. */
void sch_place_restore(SchemaPane *sp, const SchStep *s);
void sch_step_free(SchStep *s);
/* Pushes the current place onto the trail (before a follow). */
void sch_trail_push(SchemaPane *sp);
/* 'b': back to the last place on the trail. */
void sch_trail_back(SchemaPane *sp);
void sch_trail_free(SchemaPane *sp);
/* The catalog's table the pager is on, or NULL. */
const CatTable *sch_rows_table(const SchemaPane *sp);

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
 * come (a foreign key followed to it, a place gone back to); false, with
 * the reason in the status bar, when they cannot be read. */
bool sch_table_ensure(SchemaPane *sp, const CatTable *t);
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
