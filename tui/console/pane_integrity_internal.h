/* pane_integrity_internal.h: the Integrity pane's model, shared by its
 * files:
 *   pane_integrity.c          the class: draw, keys, poll, job events
 *   pane_integrity_run.c      the checks run off the console thread (a
 *                             PaneTask calling integrity_run()), Esc stops
 *   pane_integrity_list.c     the list of checks: cells, order, filter, the
 *                             header with the totals
 *   pane_integrity_rows.c     a check's detail: why, the SQL, and for an
 *                             orphan check its offending rows (a GridList
 *                             filled by a PaneTask through integrity_rows.h,
 *                             a page at a time: the next one read after the
 *                             last key when the selection reaches it)
 *   pane_integrity_actions.c  fix (delete, set NULL), accept (a reason asked
 *                             first), unaccept, the migration of an inferred
 *                             key: action rows run through actrun.h
 *   pane_integrity_one.c      c: the selected check run again alone (a
 *                             PaneTask), its line replaced in place
 *   pane_integrity_export.c   e: a check's orphan rows written to a file
 *                             (CSV or JSON, integrity_export_file()), its
 *                             name asked first, a file replaced only when
 *                             confirmed
 *
 * The checks come from one run (core/integrity.h) on a connection of the
 * task's own; the pane keeps the list of the last run that finished and
 * shows it problems first, as `dbwarden check` does.  A run that failed
 * (the catalog could not be read) keeps its error, drawn in place of the
 * list; a check in error shows its message, never a count.  After an
 * action finished, the checks run again, so that what is on screen comes
 * from the database. */
#ifndef DBW_PANE_INTEGRITY_INTERNAL_H
#define DBW_PANE_INTEGRITY_INTERNAL_H

#include "actrun.h"
#include "dialog.h"
#include "gridlist.h"
#include "integrity.h"
#include "integrity_rows.h"
#include "listmode.h"
#include "pane.h"
#include "pane_task.h"
#include "textview.h"

/* The pane's own key actions (keys.h: a pane numbers its own). */
enum {
    INT_ACT_DELETE = ACT_PANE_FIRST,  /* delete the orphans */
    INT_ACT_SET_NULL,   /* set their key to NULL */
    INT_ACT_ACCEPT,     /* accept the check at its count (a reason first) */
    INT_ACT_UNACCEPT,   /* take the acceptance back */
    INT_ACT_MIGRATION,  /* write the migration that declares an inferred key */
    INT_ACT_FOCUS,      /* the detail: move between the text and the rows */
    INT_ACT_RECHECK,    /* the selected check run again, alone */
    INT_ACT_EXPORT      /* the check's orphan rows written to a file */
};

typedef enum IntView { IVIEW_LIST = 0, IVIEW_DETAIL } IntView;

/* The rows of one check, as the rows task read them (its argument). */
typedef struct IntRows {
    const Session  *session;   /* borrowed */
    IntegrityCheck  ck;        /* owned copy: the check whose rows these are */
    int             ncols;
    char          **names;     /* owned */
    bool           *is_key;    /* owned: a column of the key */
    size_t          nrows;
    char          **cells;     /* owned: nrows * ncols, NULL for SQL NULL */
    bool            more;      /* orphans come after the last row */
    char          **after;     /* owned: the last row's key (strv), for the
                                  next page; or NULL */
} IntRows;

typedef struct IntPane {
    Pane           base;
    /* the checks of the last run that finished */
    IntegrityList  list;
    bool           have_list;  /* a run finished and built its list */
    DbError        err;        /* that run's failure, if any */
    char          *stopped;    /* owned: why the last run ended early, or NULL */
    long           run_ms;     /* how long the last run took */
    PaneTask       task;       /* the running checks */
    PaneTask       one_task;   /* one check run again (c) */
    ListMode       lm;         /* over list.checks */
    /* the detail of one check */
    IntView        view;
    IntegrityCheck detail;     /* owned copy of the check shown */
    bool           have_detail;
    TextView       text;       /* why it matters, the SQL */
    GridList       grid;       /* its offending rows */
    IntRows       *rows;       /* the rows shown (the finished task's), or NULL */
    PaneTask       rows_task;  /* the first page (its argument is rows) */
    PaneTask       more_task;  /* the next page, appended to rows */
    bool           more_failed; /* reading the next page failed (said) */
    DbError        rows_err;   /* why the rows could not be read */
    bool           focus_rows; /* keys go to the rows (else the text) */
    /* actions */
    ActRun         act;
    bool           asking;     /* the reason of an acceptance is typed */
    LineEdit       reason;
    char          *ask_id;     /* owned: the check being accepted */
    /* export (e) */
    bool           naming;     /* the file's name is typed */
    LineEdit       fname;
    IntegrityCheck export_ck;  /* owned copy: the check whose rows go out */
    bool           have_export_ck;
    Dialog        *overwrite;  /* open: replace the existing file? */
    char          *export_path; /* owned: the file the dialog is about */
    PaneTask       export_task;
} IntPane;

#define INT_ROWS_PAGE 500   /* rows a page of the detail reads */

/* pane_integrity_run.c */
/* Starts the checks (a run that goes on is stopped first). */
void int_run_start(IntPane *ip);
/* From poll(): takes the finished run; true when the look changed. */
bool int_run_poll(IntPane *ip);
bool int_run_running(const IntPane *ip);
/* true when p moved since m was taken (m updated). */
void int_run_stop(IntPane *ip);
void int_run_free(IntPane *ip);
/* Hooks for integrity_run() on a task's worker: its progress events, and
 * Esc (the job's cancel) stops the checks not run yet. */
IntegrityHooks int_job_hooks(Job *job);

/* pane_integrity_one.c */
/* c: runs the selected (or the detail's) check again; refused (said why)
 * while the whole run goes on. */
void int_one_start(IntPane *ip);
bool int_one_running(const IntPane *ip);
/* From poll(): takes the finished check into its line; true when the look
 * changed. */
bool int_one_poll(IntPane *ip);
void int_one_stop(IntPane *ip);
void int_one_free(IntPane *ip);

/* pane_integrity_export.c */
/* e: asks the file's name for the target check's rows (orphan checks only;
 * refused, said why, otherwise). */
PaneResult int_export_start(IntPane *ip);
/* true while the name is typed or the replace dialog is open: every key
 * goes to int_export_key() then. */
bool       int_export_open(const IntPane *ip);
PaneResult int_export_key(IntPane *ip, int key);
void       int_export_draw(IntPane *ip, WINDOW *w);
bool       int_export_running(const IntPane *ip);
/* From poll(): the finished export said; true when the look changed. */
bool       int_export_poll(IntPane *ip);
void       int_export_stop(IntPane *ip);
/* Closes the prompt or dialog (a running export goes on). */
void       int_export_clear(IntPane *ip);
void       int_export_free(IntPane *ip);

/* pane_integrity_list.c */
void int_list_init(IntPane *ip);
/* The model changed: the list again, the selection kept on the same id. */
void int_list_rebuild(IntPane *ip, const char *keep_id);
const IntegrityCheck *int_selected(const IntPane *ip);
/* The totals line (as `dbwarden check` ends) at y. */
void int_header_draw(IntPane *ip, WINDOW *w, int y);
void int_list_draw(IntPane *ip, WINDOW *w, int y, int height);
ThemeSlot int_state_slot(IntegrityState s);
/* "7 rows → 2 missing users", the lint's message, or the error. */
char *int_found_text(const IntegrityCheck *ck);

/* pane_integrity_rows.c */
void int_detail_init(IntPane *ip);
/* Opens the detail of the selected check (its rows read off the thread). */
void int_detail_open(IntPane *ip);
void int_detail_close(IntPane *ip);
/* From poll(): the first page, or the next one appended; true when the
 * look changed. */
bool int_rows_poll(IntPane *ip);
/* The next page is being read (Esc stops it: int_rows_more_stop). */
bool int_rows_more_running(const IntPane *ip);
/* The selection moved: the next page is read when it is on the last row
 * read and more orphans come (keys do it themselves; clicks call this). */
void int_rows_more_check(IntPane *ip);
void int_rows_more_stop(IntPane *ip);
void int_detail_draw(IntPane *ip, WINDOW *w, int y, int height);
/* A key for the detail's text or rows; false when not one of theirs. */
bool int_detail_key(IntPane *ip, int key);
void int_detail_free(IntPane *ip);

/* pane_integrity_actions.c */
/* The check an action is about: the detail's, or the list's selection. */
const IntegrityCheck *int_target(const IntPane *ip);
PaneResult int_action_start(IntPane *ip, KeyAction act);
PaneResult int_reason_key(IntPane *ip, int key);
void int_reason_draw(IntPane *ip, WINDOW *w);
void int_actions_free(IntPane *ip);

#endif
