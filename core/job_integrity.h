/* job_integrity.h: the integrity checks run as a job (job.h): on a worker
 * thread with its own connection, so that the console keeps drawing and
 * answering keys while the orphans are counted.
 *
 * The job runs integrity_run() (the catalog, then every check of the
 * options, or the one check options.only_id names: a re-run of one).  It
 * reports:
 *   JOB_PROGRESS  per check that runs a statement: index of total, text
 *                 "counting public.orders" (the table being counted)
 *   JOB_FINISHED  ok with the summary ("3 problems, 5 warnings, 41 ok"),
 *                 failed (the catalog could not be read, the connection
 *                 was lost), or cancelled
 * and hands over each check as it is done (its state set), to be taken
 * with integrity_job_take() from the console's main loop; at the end the
 * whole list with integrity_job_result().
 *
 * Cancel: job_cancel() stops the running statement (db_cancel): that
 * check is cancelled, and so are the ones not run yet.  A statement that
 * runs past [database] statement_timeout makes its check an error (on
 * SQLite too, see db.h).
 *
 * Order of calls (console thread): integrity_job_start() -> job_poll()
 * and integrity_job_take() as often as wanted -> after JOB_FINISHED,
 * integrity_job_result() -> job_free() (which frees the IntegrityJob). */
#ifndef DBW_JOB_INTEGRITY_H
#define DBW_JOB_INTEGRITY_H

#include <stdbool.h>

#include "integrity.h"
#include "job.h"

typedef struct IntegrityJob IntegrityJob;

/* Starts the job on the session's database (session_open: read-only and
 * the statement timeout as the session says; the session must outlive the
 * job).  o is copied (NULL: every check).  *job and *ij are set; fails
 * only when no thread can be made (both NULL then). */
int  integrity_job_start(Job **job, IntegrityJob **ij, const Session *session,
                         const IntegrityOptions *o, DbError *err);

/* Takes the oldest check handed over into *out (the caller clears it with
 * integrity_check_clear()); false when none is waiting. */
bool integrity_job_take(IntegrityJob *ij, IntegrityCheck *out);

/* After JOB_FINISHED: the whole list (moved into *out, which the caller
 * frees with integrity_list_free(); empty when the run failed before
 * building it).  false before the job has finished. */
bool integrity_job_result(IntegrityJob *ij, IntegrityList *out);

#endif
