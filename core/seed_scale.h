/* seed_scale.h: what the two files of the scale set share (seed_scale.c:
 * the shapes and the class; seed_scale_rows.c: the values of each table's
 * rows).  Only those two include it. */
#ifndef DBW_SEED_SCALE_H
#define DBW_SEED_SCALE_H

#include "seed_internal.h"

#define MAXWS 3
#define MAXSUB 6
#define MAXLIC 5
#define STREAM_SHAPE 1
#define BUFLEN 160

enum {
    F_NO_SUB = 1 << 0, F_TWO_ACTIVE = 1 << 1, F_OVERDUE = 1 << 2, F_LIC_PAST = 1 << 3,
    F_LIC_BAD_JOBS = 1 << 4, F_LIC_NO_LIVE_SUB = 1 << 5, F_ORPHAN_SUB = 1 << 6,
    F_ORPHAN_LIC = 1 << 7, F_ORPHAN_JOB = 1 << 8, F_ORPHAN_EVENT = 1 << 9,
    F_ORPHAN_INV = 1 << 10, F_ORPHAN_PROJ = 1 << 11, F_ORPHAN_ITEM = 1 << 12,
    F_CREATOR_GHOST = 1 << 13
};
#define NFLAGS 14

typedef enum { SUB_TRIAL, SUB_ACTIVE, SUB_PAST_DUE, SUB_CANCELLED, SUB_EXPIRED } SubStatus;
extern const char *const scale_sub_words[];
typedef enum { LIC_TRIAL, LIC_ACTIVE, LIC_SUSPENDED, LIC_EXPIRED, LIC_REVOKED } LicStatus;
extern const char *const scale_lic_words[];

typedef struct Shape {
    unsigned  flags;
    long long created;              /* the user's created_at */
    int nws, proj[MAXWS];
    int nsub;                       /* with the orphan one, last */
    unsigned char sub_status[MAXSUB], sub_annual[MAXSUB];
    int inv[MAXSUB];
    int oneoff;                     /* an invoice with no subscription */
    int nlic;                       /* with the orphan one, last */
    unsigned char lic_status[MAXLIC];
    int seats[MAXLIC], ev[MAXLIC], jobs[MAXLIC];
    int nidem, naudit, booth, items;
} Shape;

struct SeedGen {
    long long n;                    /* users */
    uint64_t  seed;
    unsigned  anomalies;            /* per 10000 */
    long long ghosts[SEED_NTABLES];
    long long base[SEED_NTABLES];
    int       table;
    /* the walk */
    long long user;                 /* current user, 1-based */
    Shape     shape;
    long long cum[SEED_NTABLES];    /* rows of the users before this one */
    int       row;                  /* next row of this user in this table */
    int       k, kk;                /* cursor: parent index, row within it */
    Prng      rng;                  /* the values of this user's rows here */
    char      buf[SEED_MAXCOLS][BUFLEN];
};


extern const char *const scale_first_names[], *const scale_last_names[], *const scale_words[],
    *const scale_products[];
#define SCALE_NFIRST 32
#define SCALE_NLAST 32
#define SCALE_NWORDS 32
#define SCALE_NPRODUCTS 4
#define SCALE_PICK(g, a, n) ((a)[prng_below(&(g)->rng, n)])

/* Draws a value from a table of { value, weight } pairs. */
int  scale_draw(Prng *r, const int (*tab)[2], size_t n);
#define SCALE_DRAW(r, tab) scale_draw(r, tab, sizeof(tab) / sizeof((tab)[0]))
bool scale_lic_live(int status);
bool scale_has(const Shape *s, unsigned flag);
/* Rows of user s in table t, and of them the damage ones (may be NULL). */
long long scale_rows_of(const Shape *s, int t, long long *damage);
/* The key of the user's row idx of table t (rows of earlier users before it). */
long long scale_key_of(const SeedGen *g, int t, long long idx);
long long scale_user_key(const SeedGen *g, long long i);
/* One of table t's ghost keys, drawn from the row generator. */
long long scale_ghost_key(SeedGen *g, int t);
/* v or a time as text in buffer col of g; returns it. */
const char *scale_num(SeedGen *g, int col, long long v);
const char *scale_stamp(SeedGen *g, int col, long long epoch);
/* A time between the user's creation and the anchor. */
long long scale_after_created(SeedGen *g);
/* A day in 2030 or later: what lies ahead of a healthy row. */
long long scale_ahead(SeedGen *g);
/* Fills row->v[1..] (and damage) for the current table, user and row. */
void scale_make_row(SeedGen *g, SeedRow *row);

#endif
