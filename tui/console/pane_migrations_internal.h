/* pane_migrations_internal.h: the Migrations pane's model, shared by its
 * files:
 *   pane_migrations.c          the class: load, draw, keys, job events
 *   pane_migrations_list.c     the history list: rows, filter, drawing
 *   pane_migrations_views.c    the SQL view, the log, the backups list
 *   pane_migrations_actions.c  up/down/stamp/restore: plan, confirm, run
 *
 * The pane shows one of two sources: dbwarden's own migrations (a
 * MigStatus from core) or, when the console was given an Alembic project,
 * that project's history graph (alembic_history_render).  Either way the
 * list is a ListMode (listmode.h) over the migrations newest first, or the
 * history's lines; the SQL, the problems and the log are TextViews.  Actions are planned on the
 * console's connection, shown in a Dialog, and run as a job (core/job.h)
 * on the job's own connection, which checks the plan again under the run
 * lock before it acts; the job's events feed the progress line and the
 * log.  An Alembic down with several current revisions first asks which
 * one in a Choice. */
#ifndef DBW_PANE_MIGRATIONS_INTERNAL_H
#define DBW_PANE_MIGRATIONS_INTERNAL_H

#include "action.h"
#include "alembic.h"
#include "backup.h"
#include "choice.h"
#include "dialog.h"
#include "listmode.h"
#include "pane.h"
#include "progress.h"
#include "rx.h"
#include "textview.h"

#include <time.h>

/* The pane's own key actions (keys.h: a pane numbers its own). */
enum {
    MIG_ACT_UP = ACT_PANE_FIRST,  /* apply every pending migration */
    MIG_ACT_UP_TO,     /* ... up to the selected one */
    MIG_ACT_DOWN,      /* roll back the newest */
    MIG_ACT_DOWN_TO,   /* roll back everything newer than the selected one */
    MIG_ACT_STAMP,     /* record the database as at the selected one */
    MIG_ACT_LOG,       /* what ran this session */
    MIG_ACT_PROBLEMS,  /* every problem, in full */
    MIG_ACT_BACKUPS,   /* this database's backups */
    MIG_ACT_BACKUP_NOW,
    MIG_ACT_RESTORE
};

typedef enum MigView {
    VIEW_LIST = 0,   /* the history */
    VIEW_TEXT,       /* the selected migration's SQL (or revision file) */
    VIEW_LOG,        /* what ran this session */
    VIEW_BACKUPS     /* this database's backups */
} MigView;

typedef enum LogLevel { LOG_INFO = 0, LOG_OK, LOG_FAIL, LOG_OUTPUT, LOG_BACKUP } LogLevel;

typedef struct LogEntry {
    time_t   when;
    LogLevel level;
    char    *text;    /* owned */
} LogEntry;

typedef enum MigActionKind { MA_UP, MA_UP_TO, MA_DOWN, MA_DOWN_TO, MA_STAMP, MA_RESTORE }
    MigActionKind;

/* An action planned and shown in the dialog, run when confirmed. */
typedef struct MigAction {
    MigActionKind kind;
    char      *title;      /* owned: "up", "down to 0007" */
    ActionPlan plan;       /* the row's plan (core/action.h) */
} MigAction;

typedef struct MigPane {
    Pane      base;
    bool      alembic;        /* showing an Alembic project */
    /* dbwarden's migrations */
    MigStatus st;             /* valid when loaded_ok */
    bool      loaded_ok;
    DbError   err;            /* the last load's error, if any */
    /* an Alembic project */
    AlembicProject proj;      /* valid when proj_ok */
    AlembicStatus  ast;       /* valid when ast_ok */
    AlembicHistory hist;      /* valid when proj_ok */
    bool      proj_ok, ast_ok;
    /* the list: items are the migrations newest first, or the history lines */
    ListMode  list;
    /* the views */
    MigView   view;
    TextView  text;           /* VIEW_TEXT */
    char     *text_title;     /* owned */
    bool      text_problems;  /* the text view shows the problems (not SQL) */
    LogEntry *log;            /* owned: the session's log */
    size_t    nlog;
    TextView  logview;        /* the log, one line an entry, its kind the level */
    BackupList backups;       /* VIEW_BACKUPS; valid when backups_ok */
    bool      backups_ok;
    DbError   backups_err;
    ListMode  blist;
    /* actions */
    Choice   *choice;         /* open: which current revision down rolls
                                 back (Alembic, several heads), or NULL */
    char    **choice_ids;     /* owned: the ids offered, NULL-terminated */
    Dialog   *dialog;         /* open confirmation, or NULL */
    MigAction action;         /* what the dialog confirms */
    bool      have_action;
    Progress  progress;       /* the running job */
    char     *job_backup;     /* owned: the backup the running job wrote */
    bool      job_plan;       /* the running job is a plan: reload after each step */
    char     *last_result;    /* owned: the last job's outcome, one line */
    bool      last_failed;
} MigPane;

void mig_load(MigPane *mp);
bool mig_job_running(const MigPane *mp);

/* pane_migrations_list.c */
void mig_list_init(MigPane *mp);
/* Rebuilds the list from the model, selecting the row of key (a version
 * or revision id, as mig_selected_id() gave before the model changed)
 * when it is still there. */
void mig_rows_rebuild(MigPane *mp, const char *key);
const MigEntry *mig_selected_entry(const MigPane *mp);
const AlembicRevision *mig_selected_rev(const MigPane *mp);
const char *mig_selected_id(const MigPane *mp);   /* version or revision id */
void mig_list_draw(MigPane *mp, WINDOW *w, int y, int height);
void mig_header_draw(MigPane *mp, WINDOW *w);

/* pane_migrations_views.c */
void mig_views_init(MigPane *mp);
void mig_views_free(MigPane *mp);
void mig_text_open(MigPane *mp);
/* The text view with every problem, in full: the folder's bad files and
 * the migrations' states, or the Alembic project's and its database's. */
void mig_problems_open(MigPane *mp);
/* How many problems there are, and the first one's text (borrowed). */
size_t mig_problems(const MigPane *mp, const char **first);
void mig_text_draw(MigPane *mp, WINDOW *w, int y, int height);
void mig_log_add(MigPane *mp, LogLevel level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mig_log_draw(MigPane *mp, WINDOW *w, int y, int height);
void mig_log_free(MigPane *mp);
void mig_backups_init(MigPane *mp);
void mig_backups_open(MigPane *mp);
void mig_backups_draw(MigPane *mp, WINDOW *w, int y, int height);
const BackupInfo *mig_backup_selected(const MigPane *mp);
void mig_backups_free(MigPane *mp);
const char *mig_backup_dir(const MigPane *mp);

/* pane_migrations_actions.c */
PaneResult mig_action_start(MigPane *mp, MigActionKind kind);
PaneResult mig_backup_now(MigPane *mp);
PaneResult mig_dialog_key(MigPane *mp, int key);
PaneResult mig_choice_key(MigPane *mp, int key);
PaneResult mig_job_event(Pane *self, const JobEvent *ev);
void mig_action_clear(MigPane *mp);

#endif
