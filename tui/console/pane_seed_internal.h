/* pane_seed_internal.h: the Seed pane's model, shared by its files:
 *   pane_seed.c        the class: keys, views, drawing, the job's events
 *   pane_seed_model.c  reading the ledger and the tables (a task of the
 *                      pane's own, pane_task.h) and the two lists over it:
 *                      the tables (rows now, seeded rows and by which
 *                      sets) and the ledger's runs; the header's totals
 *   pane_seed_act.c    seed and reset: which set (a Choice; the scale's
 *                      number asked in a LineEdit), then the action rows
 *                      "seed" and "reset" through the shared guard
 *                      (actrun.h)
 *
 * Everything is read by core/seed.h (seed_status, seed_tables_now) on the
 * task's own connection: the console keeps answering keys, Esc stops the
 * read.  A read that fails keeps the error, drawn in place of the lists,
 * never as an empty list.  After a seed or reset ends (done, failed or
 * stopped) the pane reads the database again. */
#ifndef DBW_PANE_SEED_INTERNAL_H
#define DBW_PANE_SEED_INTERNAL_H

#include "actrun.h"
#include "choice.h"
#include "dialog.h"
#include "listmode.h"
#include "pane.h"
#include "pane_task.h"
#include "seed.h"

/* The pane's own key actions (keys.h: a pane numbers its own). */
enum {
    SEED_ACT_DEMO = ACT_PANE_FIRST,  /* seed the demo set */
    SEED_ACT_PICK,                   /* seed a set picked from a list */
    SEED_ACT_RESET,                  /* reset every seeded row, or one set's */
    SEED_ACT_RUNS                    /* the ledger's runs (again: the tables) */
};

typedef enum SeedView {
    SEED_VIEW_TABLES = 0,   /* per table: rows now, seeded rows, by which sets */
    SEED_VIEW_RUNS          /* the ledger's runs */
} SeedView;

/* What the pane is asking. */
typedef enum SeedAsk {
    SEED_ASK_NONE = 0,
    SEED_ASK_SET,       /* the Choice of the set to seed */
    SEED_ASK_SCALE,     /* the scale's users (and seed), typed */
    SEED_ASK_RESET,     /* the Choice of what to reset */
    SEED_ASK_FORCE      /* production: go on (force), or not */
} SeedAsk;

/* What a load read (the task's argument, then the pane's model). */
typedef struct SeedModel {
    SeedStatus    st;
    SeedTableNow *tables;
    size_t        ntables;
} SeedModel;

typedef struct SeedPane {
    Pane       base;
    PaneTask   load;          /* reading the model */
    SeedModel  model;         /* valid when have_model */
    bool       have_model;
    DbError    err;           /* the last read's failure (drawn) */
    bool       failed;        /* the last read failed */
    SeedView   view;
    ListMode   tables;        /* items: model.tables */
    ListMode   runs;          /* items: model.st.runs */
    /* asking */
    SeedAsk    ask;
    Choice    *choice;        /* SEED_ASK_SET, SEED_ASK_RESET */
    char     **choice_args;   /* owned, NULL-terminated: each item's argument */
    LineEdit   edit;          /* SEED_ASK_SCALE */
    const Action *pending;    /* SEED_ASK_FORCE: the row to run when forced */
    char      *pending_arg;   /* owned: its argument */
    char      *pending_title; /* owned */
    ActRun     act;
} SeedPane;

/* pane_seed_model.c */
void seed_lists_init(SeedPane *sp);
void seed_lists_free(SeedPane *sp);
/* Starts reading the ledger and the tables (a read that runs is dropped). */
void seed_load_start(SeedPane *sp);
/* The read finished: the model taken, or its error kept. */
void seed_load_done(SeedPane *sp);
void seed_model_free(SeedModel *m);
/* Line 0: the title and the totals. */
void seed_header_draw(SeedPane *sp, WINDOW *w);
void seed_tables_draw(SeedPane *sp, WINDOW *w, int y, int height);
void seed_runs_draw(SeedPane *sp, WINDOW *w, int y, int height);
/* The selected run of the runs view, or NULL. */
const SeedRunInfo *seed_selected_run(const SeedPane *sp);

/* pane_seed_act.c */
/* s: the demo set, straight to the guard. */
void seed_act_demo(SeedPane *sp);
/* S: which set (demo, scale, files). */
void seed_act_pick(SeedPane *sp);
/* R: what to reset (every run, or one set of the ledger). */
void seed_act_reset(SeedPane *sp);
PaneResult seed_choice_key(SeedPane *sp, int key);
PaneResult seed_edit_key(SeedPane *sp, int key);
void seed_ask_clear(SeedPane *sp);
const char *seed_ask_prompt(const SeedPane *sp);

#endif
