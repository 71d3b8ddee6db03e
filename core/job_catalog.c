/* job_catalog.c: the catalog reader, a job that reads the catalog a piece
 * at a time and hands the pieces over (see job_catalog.h). */
#include "job_catalog.h"
#include "xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often a waiting worker looks whether the job was cancelled. */
#define READER_WAIT_MS 50

struct CatalogReader {
    pthread_mutex_t mu;          /* guards everything below */
    pthread_cond_t  cv;          /* a request, or stop */
    int             work;        /* CatalogWork flags */
    bool            stop;
    char           *want_schema; /* the table asked for last, not started */
    char           *want_name;
    char           *cur_schema;  /* the table being read, or NULL */
    char           *cur_name;
    CatPart        *parts;       /* handed over, oldest first */
    size_t          nparts, cap;
    char            doing[200];  /* what runs; "" while waiting */
    struct timespec since;       /* when it started */
};

static long ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000L + (t1.tv_nsec - t0->tv_nsec) / 1000000L;
}

void catalog_part_clear(CatPart *p)
{
    catalog_free(p->cat);
    free(p->schema);
    free(p->name);
    db_error_clear(&p->err);
    memset(p, 0, sizeof *p);
    p->err = (DbError)DB_ERROR_INIT;
}

static void reader_free(void *arg)
{
    CatalogReader *r = arg;
    for (size_t i = 0; i < r->nparts; i++)
        catalog_part_clear(&r->parts[i]);
    free(r->parts);
    free(r->want_schema);
    free(r->want_name);
    free(r->cur_schema);
    free(r->cur_name);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

static void set_doing(CatalogReader *r, const char *what)
{
    pthread_mutex_lock(&r->mu);
    snprintf(r->doing, sizeof r->doing, "%s", what);
    clock_gettime(CLOCK_MONOTONIC, &r->since);
    pthread_mutex_unlock(&r->mu);
}

/* Hands a part over (takes cat, schema, name and err). */
static void hand_over(CatalogReader *r, CatPartKind kind, Catalog *cat, char *schema,
                      char *name, DbError *err)
{
    pthread_mutex_lock(&r->mu);
    r->parts = xgrow(r->parts, &r->cap, r->nparts + 1, sizeof *r->parts);
    CatPart *p = &r->parts[r->nparts++];
    *p = (CatPart){ kind, cat, schema, name, DB_ERROR_INIT, ms_since(&r->since) };
    db_error_move(&p->err, err);
    r->doing[0] = '\0';
    free(r->cur_schema);
    free(r->cur_name);
    r->cur_schema = r->cur_name = NULL;
    pthread_mutex_unlock(&r->mu);
}

/* Waits for a table asked for; false when the reader is to end. */
static bool next_table(Job *job, CatalogReader *r, char **schema, char **name)
{
    pthread_mutex_lock(&r->mu);
    for (;;) {
        if (r->stop || job_cancel_requested(job)) {
            pthread_mutex_unlock(&r->mu);
            return false;
        }
        if (r->want_name)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += READER_WAIT_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&r->cv, &r->mu, &until);
    }
    *schema = r->want_schema;
    *name = r->want_name;
    r->want_schema = r->want_name = NULL;
    r->cur_schema = xstrdup(*schema);
    r->cur_name = xstrdup(*name);
    pthread_mutex_unlock(&r->mu);
    return true;
}

static int reader_run(Job *job, DbConn *c, void *arg, char **summary, DbError *err)
{
    CatalogReader *r = arg;
    (void)summary;
    if (r->work & CATALOG_READ_LIST) {
        set_doing(r, "reading the table list");
        Catalog *cat = NULL;
        DbError e = DB_ERROR_INIT;
        int rc = catalog_list_tables(c, &cat, &e);
        if (rc != 0) {
            db_error_set(err, e.kind, "%s", e.message ? e.message : "cannot read the tables");
            snprintf(err->code, sizeof err->code, "%s", e.code);
        }
        hand_over(r, CAT_PART_LIST, cat, NULL, NULL, &e);
        if (rc != 0)
            return -1;
    }
    if ((r->work & CATALOG_READ_SIZES) && !job_cancel_requested(job)) {
        set_doing(r, "measuring the sizes");
        Catalog *cat = NULL;
        DbError e = DB_ERROR_INIT;
        catalog_measure_sizes(c, &cat, &e);
        hand_over(r, CAT_PART_SIZES, cat, NULL, NULL, &e);
    }
    char *schema, *name;
    while ((r->work & CATALOG_READ_TABLES) && next_table(job, r, &schema, &name)) {
        Catalog *cat = NULL;
        DbError e = DB_ERROR_INIT;
        char what[200];
        snprintf(what, sizeof what, "reading %s.%s", schema, name);
        set_doing(r, what);
        catalog_load_table(c, schema, name, &cat, &e);
        hand_over(r, CAT_PART_TABLE, cat, schema, name, &e);
    }
    if (job_cancel_requested(job)) {
        db_error_set(err, DB_ERR_CANCELLED, "stopped");
        return -1;
    }
    return 0;
}

int catalog_reader_start(Job **job, CatalogReader **reader, const Session *session, int work,
                         DbError *err)
{
    CatalogReader *r = xcalloc(1, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    r->work = work;
    clock_gettime(CLOCK_MONOTONIC, &r->since);
    snprintf(r->doing, sizeof r->doing, "connecting");
    JobSpec spec = { .title = "reading the catalog", .session = session, .run = reader_run,
                     .arg = r, .free_arg = reader_free };
    *reader = NULL;
    if (job_start(job, &spec, err) != 0)
        return -1;   /* r was freed */
    *reader = r;
    return 0;
}

void catalog_reader_want(CatalogReader *r, const char *schema, const char *name)
{
    pthread_mutex_lock(&r->mu);
    free(r->want_schema);
    free(r->want_name);
    r->want_schema = xstrdup(schema);
    r->want_name = xstrdup(name);
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

bool catalog_reader_reading(CatalogReader *r, const char *schema, const char *name)
{
    pthread_mutex_lock(&r->mu);
    bool yes = r->cur_name && strcmp(r->cur_name, name) == 0 &&
               strcmp(r->cur_schema, schema) == 0;
    pthread_mutex_unlock(&r->mu);
    return yes;
}

bool catalog_reader_take(CatalogReader *r, CatPart *out)
{
    pthread_mutex_lock(&r->mu);
    bool got = r->nparts > 0;
    if (got) {
        *out = r->parts[0];
        memmove(r->parts, r->parts + 1, (r->nparts - 1) * sizeof *r->parts);
        r->nparts--;
    }
    pthread_mutex_unlock(&r->mu);
    return got;
}

bool catalog_reader_doing(CatalogReader *r, char *buf, size_t size, long *ms)
{
    pthread_mutex_lock(&r->mu);
    snprintf(buf, size, "%s", r->doing);
    *ms = ms_since(&r->since);
    pthread_mutex_unlock(&r->mu);
    return buf[0] != '\0';
}

void catalog_reader_stop(CatalogReader *r)
{
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}
