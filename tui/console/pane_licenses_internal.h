/* pane_licenses_internal.h: the Licenses pane's model, shared by its files:
 *   pane_licenses.c          the class: loading, views, keys, drawing
 *   pane_licenses_overview.c the bars of counts per state and plan, the
 *                            license states with their counts and the
 *                            transitions allowed from each, the anomalies
 *   pane_licenses_user.c     a user found (id, email, username, or a
 *                            pattern): why they cannot run jobs, then their
 *                            story in time order
 *   pane_licenses_act.c      a license's transition: which license, which
 *                            state, why; then the shared guard (actrun.h)
 *
 * Everything is read by core/billing.h in tasks of the pane's own
 * (pane_task.h) on their own connections: the console keeps answering
 * keys, Esc stops a read.  An anomaly's rows and the evidence are lists
 * (gridlist.h); the why-and-story is a TextView. */
#ifndef DBW_PANE_LICENSES_INTERNAL_H
#define DBW_PANE_LICENSES_INTERNAL_H

#include "actrun.h"
#include "billing.h"
#include "choice.h"
#include "dialog.h"
#include "gridlist.h"
#include "listmode.h"
#include "pane.h"
#include "pane_task.h"
#include "textview.h"

enum {
    LIC_ACT_USER = ACT_PANE_FIRST,  /* find a user: why, and their story */
    LIC_ACT_SET,                    /* move a license to another state */
    LIC_ACT_ROWS                    /* an anomaly's rows (Enter) */
};

typedef enum LicView {
    LIC_VIEW_OVERVIEW = 0,   /* counts, states, anomalies */
    LIC_VIEW_ROWS,           /* the rows behind one anomaly */
    LIC_VIEW_USER            /* why, and the story */
} LicView;

/* What the transition is waiting for. */
typedef enum LicAsk {
    LIC_ASK_NONE = 0,
    LIC_ASK_USER,      /* the user to find */
    LIC_ASK_LICENSE,   /* the license's id */
    LIC_ASK_STATE,     /* the Choice of the state to go to */
    LIC_ASK_REASON     /* why (written with the transition) */
} LicAsk;

typedef struct LicPane {
    Pane       base;
    PaneTask   load;          /* reading the model */
    BillModel  model;         /* valid when have_model */
    bool       have_model;
    DbError    err;           /* the last read's failure */
    LicView    view;
    ListMode   anomalies;     /* items: model.anomalies */
    GridList   rows;          /* LIC_VIEW_ROWS: the anomaly's rows */
    size_t     rows_of;       /* which anomaly */
    /* a user */
    PaneTask   find;          /* reading why and the story */
    char      *who;           /* owned: what was asked */
    BillWhy    why;
    BillStory  story;
    bool       have_user;
    TextView   usertext;      /* the answer, its evidence, the story */
    Choice    *candidates;    /* a pattern found several users: which one */
    char     **candidate_ids; /* owned, NULL-terminated */
    /* asking */
    LicAsk     ask;
    LineEdit   edit;
    Choice    *states;        /* LIC_ASK_STATE */
    char     **state_words;   /* owned, NULL-terminated */
    char      *set_license;   /* owned: the license being moved */
    char      *set_from;      /* owned: its state, when known */
    char      *set_state;     /* owned: the state chosen */
    ActRun     act;
} LicPane;

/* pane_licenses.c */
void lic_reload(LicPane *lp);

/* pane_licenses_overview.c */
void lic_overview_init(LicPane *lp);
void lic_overview_rebuild(LicPane *lp);
void lic_overview_draw(LicPane *lp, WINDOW *w, int y, int height);
/* Enter on an anomaly: its rows. */
void lic_rows_open(LicPane *lp);
void lic_rows_draw(LicPane *lp, WINDOW *w, int y, int height);
const BillAnomaly *lic_selected_anomaly(const LicPane *lp);

/* pane_licenses_user.c */
void lic_user_init(LicPane *lp);
void lic_user_free(LicPane *lp);
/* Starts reading why and the story of who. */
void lic_user_find(LicPane *lp, const char *who);
/* The task finished: the answer shown, or the candidates offered. */
void lic_user_done(LicPane *lp);
void lic_user_draw(LicPane *lp, WINDOW *w, int y, int height);
PaneResult lic_candidates_key(LicPane *lp, int key);

/* pane_licenses_act.c */
/* t: a license to move: the selected row's, the user's, or asked for. */
void lic_set_begin(LicPane *lp);
/* The typed line (user, license, reason) was accepted. */
void lic_ask_accept(LicPane *lp);
PaneResult lic_states_key(LicPane *lp, int key);
void lic_set_clear(LicPane *lp);
const char *lic_ask_prompt(const LicPane *lp);

#endif
