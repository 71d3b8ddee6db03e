/* action.h: every change dbwarden makes is one row of one table, with one
 * guard.
 *
 * A row (Action) says what the change is called (the command's name and
 * the console's verb), its flags, how it is planned (what it will do,
 * shown before it runs, with the counts it can know), how that plan is
 * checked again under the run lock, how it runs (reporting events, and
 * cancellable), and how its effect is checked on the database afterwards.
 *
 * The guard, one implementation of each part, for both front ends:
 *   action_allowed()      read-only refuses every action that writes; said
 *                         before anything is planned
 *   action_plan()         the row's plan, on the front end's connection;
 *                         nothing changes
 *   action_preflight()    a destructive action's backup can be taken
 *                         (pg_dump found ...), unless it is turned off for
 *                         the run; said before asking
 *   action_confirm_word() what the user must type: NULL (nothing to ask:
 *                         an up, a backup), "yes" (a destructive action), or
 *                         on a production database, for every action that
 *                         writes, its name;
 *                         action_confirm_ok() compares what was typed
 *   action_execute()      takes the run lock (when the row holds it), plans
 *                         again and refuses a stale plan (nothing done),
 *                         takes the backup (destructive rows, unless turned
 *                         off), runs, checks the effect on the database,
 *                         releases the lock
 * The command line calls these inline and prints the events; the console
 * plans on its connection, confirms in a dialog, and runs action_execute()
 * in a job on the job's own connection (job_start_action, job.h).
 *
 * Adding an action: a row (an Action with its functions, in a file of its
 * own: action_<topic>.c) and a line in action_table[] (action.c); the
 * command line finds it by name, the console by the verb of its key. */
#ifndef DBW_ACTION_H
#define DBW_ACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "session.h"

struct AlembicRun;

typedef enum ActionFlag {
    ACTION_WRITES = 1 << 0,       /* changes the database: refused read-only */
    ACTION_DESTRUCTIVE = 1 << 1,  /* asked first (production: the name typed), and
                                     a backup is taken first unless turned off */
    ACTION_LONG = 1 << 2,         /* may take long: progress, cancel, a job */
    ACTION_RUN_LOCK = 1 << 3      /* runs holding the run lock (runlock.h) */
} ActionFlag;

/* A step an action did, for a front end that lists them. */
typedef struct ActionStep {
    const char *verb;    /* "applied", "rolled back", "recorded", "forgot", "skipped" */
    const char *id;      /* the version or revision */
    const char *name;
    long        ms;      /* how long it took; -1 when not known */
} ActionStep;

/* How an action reports while it runs (all may be NULL; called on the
 * thread that runs action_execute). */
typedef struct ActionEvents {
    void (*progress)(void *ctx, size_t index, size_t total, const char *what);
    void (*step)(void *ctx, const ActionStep *s);
    void (*line)(void *ctx, const char *line);        /* a tool's output */
    void (*backup)(void *ctx, const char *path, long long bytes, long ms);
    bool (*cancelled)(void *ctx);                      /* polled between steps */
    struct AlembicRun *alembic;   /* cancels a child process; may be NULL */
    void *ctx;
} ActionEvents;

typedef struct Action Action;

/* What an action will do.  Owned strings; free with action_plan_free(). */
typedef struct ActionPlan {
    const Action *action;
    char   *arg;        /* as given, or NULL */
    char   *summary;    /* one line: "roll back 1 migration (0010); ..." */
    char   *what;       /* the exact SQL or command line, or NULL */
    char   *warning;    /* what may make it fail, or NULL */
    char  **items;      /* one line per step or revision it changes, NULL-terminated */
    size_t  nitems;
    long    count;      /* steps or rows it knows it will change; -1 unknown */
    bool    nothing;    /* nothing to do (the summary says why): not run */
    int     tool_status; /* the exit status of a tool it ran (alembic); -1: none */
    long    run_ms;     /* how long the run itself took; -1 until it ran */
    void   *data;       /* the row's own plan */
} ActionPlan;

struct Action {
    const char *name;    /* "up", "down", "stamp", "restore", "backup" */
    const char *help;    /* one line for --help and the console's help */
    unsigned    flags;   /* ActionFlag */
    /* Plans: fills p (summary, what, items, data) from arg; changes
     * nothing.  preview: only for a dry run (checks that matter only
     * when it runs for real are left out). */
    int  (*plan)(const Session *s, DbConn *c, const char *arg, bool preview, ActionPlan *p,
                 DbError *err);
    /* Under the run lock: is p still what would be done?  May replace the
     * plan's data with what will run now; fails (nothing done) when the
     * database moved.  NULL: nothing to check. */
    int  (*recheck)(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                    DbError *err);
    /* The change itself (lock held, backup taken); *outcome (xmalloc'd)
     * says what was done. */
    int  (*run)(const Session *s, DbConn *c, ActionPlan *p, const ActionEvents *ev,
                char **outcome, DbError *err);
    /* After run, lock still held: the effect, read from the database, is
     * the planned one; else fails saying what the database holds.  NULL:
     * run checks its effect itself. */
    int  (*verify)(const Session *s, DbConn *c, ActionPlan *p, DbError *err);
    void (*free_data)(void *data);
    /* The command line that runs it ("down [N|TARGET|all]"); the console's
     * key that runs it names the row (KeyBinding.runs). */
    const char *command;
};

/* The table: every action, NULL-terminated. */
extern const Action *const action_table[];
/* The row of that name, or NULL. */
const Action *action_find(const char *name);

/* Read-only refuses an action that writes (DB_ERR_USAGE, naming it). */
int  action_allowed(const Session *s, const Action *a, DbError *err);
/* action_allowed() (unless preview: a dry run changes nothing), then a's
 * plan.  On failure *p is empty (free it anyway or not: both are fine). */
int  action_plan(const Session *s, DbConn *c, const Action *a, const char *arg, bool preview,
                 ActionPlan *p, DbError *err);
void action_plan_free(ActionPlan *p);

/* A destructive action with backup on: can the backup be taken?  (For
 * PostgreSQL: pg_dump fits the server.)  0 otherwise. */
int  action_preflight(const Session *s, DbConn *c, const ActionPlan *p, bool backup,
                      DbError *err);
/* What must be typed to go on: NULL (nothing to ask: not destructive, or
 * nothing to do), "yes", or on a production database its name. */
const char *action_confirm_word(const Session *s, DbConn *c, const ActionPlan *p);
/* typed is what the confirmation needs. */
bool action_confirm_ok(const Session *s, DbConn *c, const ActionPlan *p, const char *typed);

/* Runs p under the guard (see above).  backup: take one first (only for a
 * destructive row; the front end turns it off for the run).  On success
 * *outcome (xmalloc'd, may stay NULL) says what was done, checked on the
 * database; *backup_path (may be NULL) gets the backup's file.  A plan
 * with nothing to do succeeds at once. */
int  action_execute(const Session *s, DbConn *c, ActionPlan *p, bool backup,
                    const ActionEvents *ev, char **outcome, char **backup_path, DbError *err);

/* err->code when a destructive action's backup could not be taken. */
#define ACTION_NO_BACKUP "DBW_NO_BACKUP"

/* An up, down or stamp planned on an Alembic project: its plan and the
 * command line it runs (borrowed from p), else NULL. */
struct AlembicPlan;
const struct AlembicPlan *action_alembic_plan(const ActionPlan *p);
const char *action_alembic_command(const ActionPlan *p);
/* Runs the project's alembic with --sql for the planned change (the same
 * explicit target as the real run), with dbwarden's URL in the child's
 * environment, each output line to on_line; changes nothing, takes no
 * lock.  *status is alembic's exit status.  DB_ERR_USAGE when Alembic
 * cannot preview this change (the reason said). */
int  action_alembic_preview(const Session *s, const ActionPlan *p,
                            void (*on_line)(void *ctx, const char *line), void *ctx,
                            int *status, DbError *err);

/* The rows (action_migrate.c, action_backup.c, action_integrity.c, action_seed.c). */
extern const Action action_up, action_down, action_stamp, action_restore, action_backup;
/* license-set (action_license.c): arg made by billing_set_arg() (billing.h). */
extern const Action action_license_set;
extern const Action action_fix, action_fk_migration, action_accept, action_unaccept;
extern const Action action_seed, action_reset;

#endif
