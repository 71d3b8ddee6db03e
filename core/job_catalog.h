/* job_catalog.h: the catalog read on a worker thread (a job, job.h), so
 * that the console keeps drawing and answering keys however large the
 * catalog is (the Schema pane).
 *
 * A catalog reader is one job with its own connection that does, of the
 * work it was started for (CatalogWork), in this order:
 *   1. CATALOG_READ_LIST: reads the table list (catalog_list_tables) and
 *      hands it over at once;
 *   2. CATALOG_READ_SIZES: measures the size of every table
 *      (catalog_measure_sizes: slow at scale, so best on a reader of its own,
 *      that does not keep tables waiting);
 *   3. CATALOG_READ_TABLES: the details of the table last asked for
 *      (catalog_reader_want: catalog_load_table, constant time whatever the
 *      number of tables), as they are asked for, until catalog_reader_stop()
 *      or job_cancel(); without it, the job ends after 1 and 2.
 * Everything it reads is handed over as a CatPart that the console takes
 * with catalog_reader_take(), from its main loop, as often as it likes.
 *
 * Order of calls (console thread):
 *   catalog_reader_start()  -> catalog_reader_want() / _take() / _doing()
 *   any number of times     -> job_cancel() to stop what runs (Esc) and end
 *   the job; job_poll() its events as with any job -> catalog_reader_stop()
 *   and job_free() (which waits for the worker).
 *
 * Failures: a list that cannot be read ends the job (the part carries the
 * error, and so does JOB_FINISHED); a table or the sizes that cannot be
 * read are a part with the error, and the reader goes on.  A cancelled
 * step is a part whose error is DB_ERR_CANCELLED (or none is handed over
 * when it had not started).
 *
 * Ownership: the job owns the reader (its argument, freed by job_free());
 * the console's pointer to it is good until then.  A part taken belongs to
 * the taker: release it with catalog_part_clear(). */
#ifndef DBW_JOB_CATALOG_H
#define DBW_JOB_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "job.h"

typedef struct CatalogReader CatalogReader;

typedef enum CatPartKind {
    CAT_PART_LIST = 0,   /* the table list: catalog_list_tables */
    CAT_PART_TABLE,      /* one table: catalog_load_table */
    CAT_PART_SIZES       /* every table's measured size: catalog_measure_sizes */
} CatPartKind;

typedef struct CatPart {
    CatPartKind kind;
    Catalog    *cat;      /* owned; NULL when it failed */
    char       *schema;   /* owned: CAT_PART_TABLE: the table asked for */
    char       *name;
    DbError     err;      /* owned: why cat is NULL */
    long        ms;       /* how long it took */
} CatPart;

typedef enum CatalogWork {
    CATALOG_READ_LIST = 1,
    CATALOG_READ_SIZES = 2,
    CATALOG_READ_TABLES = 4
} CatalogWork;

/* Starts a reader with its own connection to the session's database
 * (session_open; the session must outlive the job) for work (CatalogWork
 * flags, or-ed).  *job and *reader are set; fails only when no thread can
 * be made (*err; both NULL then). */
int  catalog_reader_start(Job **job, CatalogReader **reader, const Session *session, int work,
                          DbError *err);

/* Asks for the details of schema.name (copied), in place of any table asked
 * for before and not started yet. */
void catalog_reader_want(CatalogReader *r, const char *schema, const char *name);

/* Is the reader reading schema.name now (asked for, started, not handed
 * over yet)? */
bool catalog_reader_reading(CatalogReader *r, const char *schema, const char *name);

/* Takes the oldest part handed over into *out; false when none. */
bool catalog_reader_take(CatalogReader *r, CatPart *out);
void catalog_part_clear(CatPart *p);

/* What the reader does now ("reading the table list", "reading
 * public.users", "measuring sizes") into buf, and since how many ms in
 * *ms; false (buf "") when it waits. */
bool catalog_reader_doing(CatalogReader *r, char *buf, size_t size, long *ms);

/* Tells the worker to end after what it does now (no statement is
 * cancelled: job_cancel() does that).  Call before job_free(). */
void catalog_reader_stop(CatalogReader *r);

#endif
