/* alembic.h: Alembic projects, read as text and never run, plus running
 * the project's own `alembic` command.
 *
 * Order of calls:
 *   alembic_project_load()       alembic.ini (or a versions folder) ->
 *                                config, every revision file, the graph
 *   alembic_status()             alembic_version -> current, applied, pending
 *   alembic_history_render()     the graph as lines of text, newest first
 *   alembic_run()                the project's alembic, under the run lock
 * and the matching *_free() calls, in reverse.
 *
 * Nothing here runs Python: revision files are read as Python reads them
 * (alembic_revision_parse), and only alembic_run() starts a process.
 *
 * Paths: a relative script_location or version location is taken
 * relative to the ini's folder, and alembic_run() starts alembic in that
 * folder, so both read the same files. */
#ifndef DBW_ALEMBIC_H
#define DBW_ALEMBIC_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "strv.h"

#define ALEMBIC_VERSION_TABLE "alembic_version"

/* ---- alembic.ini (alembic_ini.c) ------------------------------------ */

typedef struct AlembicConfig {
    char   *ini_path;           /* owned: the ini as given; NULL for a folder */
    char   *here;               /* owned: %(here)s: the ini's folder (or the
                                   versions folder given instead of an ini) */
    char   *script_location;    /* owned: resolved; NULL for a folder */
    char  **version_locations;  /* owned: resolved folders, in order */
    size_t  nlocations;
    bool    recursive;          /* recursive_version_locations = true */
    char   *url;                /* owned: sqlalchemy.url of the section,
                                   interpolated; NULL when not set */
    int     url_line;           /* its line in the ini; 0 when not set */
    char   *url_problem;        /* owned: why sqlalchemy.url cannot be read
                                   (a %(name)s that is not set), or NULL */
    bool    sourceless;         /* sourceless = true: .pyc files are revisions too */
} AlembicConfig;

/* Reads the ini text (ConfigParser rules: sections, "key = value" or
 * "key: value", indented continuation lines, whole-line # and ; comments,
 * %(here)s, %% and %(other_key)s interpolation) from the [section]
 * ("alembic" when NULL).  version_locations is split by path_separator
 * (or the older version_path_separator): space, newline, os, ":" or ";";
 * without either, on spaces and commas as Alembic's legacy rule does.
 * Without version_locations the folder is <script_location>/versions.
 * sqlalchemy.url is read too (see AlembicConfig.url); a value that cannot
 * be interpolated is noted in url_problem, not a failure.
 * ini_path names the file in errors and gives %(here)s.  Fails with
 * DB_ERR_PARSE "<ini>:<line>: ..." on a malformed line or a bad value,
 * DB_ERR_USAGE when the section or script_location is missing. */
int  alembic_config_parse(AlembicConfig *out, const char *ini_path, const char *text,
                          const char *section, DbError *err);
/* path is an alembic.ini, or a folder of revision files (then that folder
 * is the one version location).  DB_ERR_IO when it cannot be read. */
int  alembic_config_load(AlembicConfig *out, const char *path, DbError *err);
void alembic_config_free(AlembicConfig *c);   /* NULL or zeroed is fine */

/* Splits a version_locations value the way Alembic does for separator
 * ("space", "newline", "os", ":", ";", or NULL for the legacy rule).
 * *out is a NULL-terminated owned array (free with strv_free).
 * An unknown separator is DB_ERR_USAGE. */
int  alembic_split_locations(const char *value, const char *separator, char ***out,
                             size_t *count, DbError *err);

/* ---- the database alembic connects to (alembic_url.c) ---------------- */

/* true when url is NULL, empty, or Alembic's template placeholder
 * ("driver://user:pass@localhost/dbname": any driver:// URL). */
bool alembic_url_is_placeholder(const char *url);

/* The database the ini's sqlalchemy.url names, as dbwarden opens it: a
 * relative SQLite path made absolute against the folder alembic runs in
 * (cfg->here), other URLs as written.  *out (caller frees) stays NULL
 * when the ini names none (not set, or the placeholder).  DB_ERR_USAGE
 * when the value cannot be read (cfg->url_problem). */
int  alembic_config_db_url(const AlembicConfig *cfg, char **out, DbError *err);

/* dbwarden's URL (NULL or "": DATABASE_URL) as the alembic process should
 * get it in an environment variable: the same database seen from another
 * folder.  A SQLite path is made absolute (sqlite:////abs/app.db), a libpq
 * keyword string becomes a postgresql:// URL, other URLs stay as given.
 * Caller frees *out.  DB_ERR_USAGE on a URL that does not parse. */
int  alembic_url_for_child(const char *db_url, char **out, DbError *err);

/* Whether URLs a and b name the same database.  A relative SQLite path in
 * a is taken against a_dir (NULL: the working folder), in b against b_dir;
 * files are compared by real path; in-memory databases are never the same.
 * PostgreSQL: host (127.0.0.1 and ::1 are localhost; unset: PGHOST, else
 * the default socket), port (unset: PGPORT, else 5432) and database name
 * (unset: PGDATABASE, else the user) must match; user and password do not
 * matter.  A URL that does not parse, or another engine, is not the same. */
bool alembic_url_same_db(const char *a, const char *a_dir, const char *b, const char *b_dir);

/* Before an action that changes the database: fails (DB_ERR_USAGE, naming
 * the ini's line and both URLs redacted, saying nothing was done) when the
 * ini's sqlalchemy.url is a real URL (not the placeholder) that names
 * another database than db_url (NULL: DATABASE_URL), so that the project's
 * env.py, reading it, would change that one.  url_from_env (the setting
 * alembic_url_from_env: env.py reads its URL from env_name) skips the
 * check.  A folder of revision files (no ini) has nothing to check. */
int  alembic_url_check(const AlembicConfig *cfg, const char *db_url, bool url_from_env,
                       const char *env_name, DbError *err);

/* ---- one revision file (alembic_parse.c) ---------------------------- */

typedef struct AlembicList {
    char  **items;   /* owned strings */
    size_t  count;
} AlembicList;

typedef struct AlembicRevision {
    char   *file;            /* owned: the file's path */
    char   *revision;        /* owned: the id; NULL when the file defines none */
    bool    revision_is_str; /* false when revision is a literal of another
                                type (a number): then revision is its text */
    bool    revision_from_name; /* no `revision` in the module: the id is the
                                   file name's (Alembic's legacy rule) */
    int     line;            /* line of the revision assignment; 0 if none */
    AlembicList down;        /* down_revision: none for a base */
    AlembicList branch_labels;
    AlembicList depends_on;
    char   *message;         /* owned: the docstring's first line, or NULL */
    char   *create_date;     /* owned: the docstring's "Create Date:", or NULL */
    char   *unreadable;      /* owned: why a value could not be read as a
                                literal ("down_revision at line 9 is not a
                                literal"), or NULL */
    /* filled by alembic_graph_build() */
    bool    in_graph;        /* a usable id, and the last file with it in
                                Alembic's reading order (the one it keeps) */
    size_t *parents;         /* owned: indexes of the down revisions found */
    size_t  nparents;
    size_t *children;        /* owned: indexes of the revisions that name
                                this one in their down_revision */
    size_t  nchildren;
    size_t *deps;            /* owned: indexes of the depends_on revisions
                                found (by id or branch label) */
    size_t  ndeps;
    bool    is_head, is_base, is_merge, is_branchpoint;
} AlembicRevision;

/* Reads one revision file as Python and Alembic read it, without running
 * it (the stages are in alembic_py.h): text is the file's bytes, decoded
 * as Python decodes a module (UTF-8, a BOM, a coding declaration);
 * module-level statements are walked in order and the values of
 * revision, down_revision, branch_labels and depends_on taken as Alembic
 * takes them (a false down_revision is a base; depends_on "" is none;
 * no `revision` but a file name of hexadecimal digits and ".py": that is
 * the id, revision_from_name).  The docstring gives message and
 * create_date.  Text in comments, in other strings and inside functions
 * is never taken for a value.  Never fails: what Python refuses (bad
 * encoding, syntax the tokenizer sees, an unexpected indent), a value
 * that only running the file can tell (assigned inside an if/try block,
 * computed), one that Alembic fails on (no down_revision, a number) is
 * noted in out->unreadable (the first one), and the value left unset.
 * file is copied. */
void alembic_revision_parse(AlembicRevision *out, const char *file, const char *text,
                            size_t len);
void alembic_revision_free(AlembicRevision *r);

/* true when Alembic can use id as a revision identifier: not empty, no
 * whitespace or control characters, none of @ - + (Alembic refuses them)
 * nor : (its range separator), and not one of its reserved names (head,
 * heads, base, current). */
bool alembic_id_ok(const char *id);

/* ---- the graph (alembic_graph.c) ------------------------------------ */

typedef enum AlembicProblemKind {
    ALEMBIC_NO_REVISION = 0, /* a file defines no revision */
    ALEMBIC_BAD_ID,          /* an id Alembic cannot use */
    ALEMBIC_DUPLICATE_ID,    /* two files with one id */
    ALEMBIC_MISSING_PARENT,  /* a down_revision or depends_on no file defines */
    ALEMBIC_CYCLE,           /* revisions that are their own ancestors */
    ALEMBIC_MULTIPLE_HEADS,  /* more than one head */
    ALEMBIC_DUPLICATE_LABEL, /* a branch label used twice, or equal to an id */
    ALEMBIC_UNREADABLE,      /* a value that is not a literal, or an unreadable file */
    ALEMBIC_UNKNOWN_CURRENT  /* alembic_version names a revision no file defines */
} AlembicProblemKind;

typedef struct AlembicProblem {
    AlembicProblemKind kind;
    char   *message;   /* owned: one line, naming the ids and what to do */
    char  **files;     /* owned paths of the files involved */
    size_t  nfiles;
} AlembicProblem;

typedef struct AlembicGraph {
    AlembicRevision *revs;     /* owned: every file read */
    size_t           count;
    size_t *order;             /* owned: revisions in the graph, newest
                                  first (children before parents); those in
                                  a cycle come last */
    size_t  norder;
    size_t *heads;             /* owned: indexes, in history order */
    size_t  nheads;
    size_t *bases;             /* owned: indexes, in history order */
    size_t  nbases;
    AlembicProblem *problems;  /* owned */
    size_t  nproblems;
    size_t *by_id;             /* owned, private: graph indexes sorted by id */
    size_t  nby_id;
} AlembicGraph;

/* Links revs (an xmalloc'd array, taken over with its contents, in
 * Alembic's reading order) into a graph and finds its problems, as
 * Alembic's RevisionMap does: of several files with one id the last is
 * kept (a duplicate_id problem); a cycle through down_revision or
 * depends_on, a revision that is its own parent or dependency, is a
 * cycle problem.  Never fails. */
void alembic_graph_build(AlembicGraph *g, AlembicRevision *revs, size_t count);
void alembic_graph_free(AlembicGraph *g);
/* Index of the revision with this id in the graph, or -1. */
long alembic_graph_find(const AlembicGraph *g, const char *id);
/* true for the problems that make the project's alembic itself fail
 * (it cannot load the scripts, or cannot place the database in them):
 * everything but several heads and a duplicate id, which Alembic only
 * warns about or handles with an explicit target. */
bool alembic_problem_fatal(AlembicProblemKind k);
/* "missing_parent", "cycle", ... as in the kinds above. */
const char *alembic_problem_kind_name(AlembicProblemKind k);
/* Appends a problem (message and files copied) to an array. */
void alembic_problem_add(AlembicProblem **arr, size_t *n, AlembicProblemKind kind,
                         const char *message, const char *const *files, size_t nfiles);
void alembic_problems_free(AlembicProblem *arr, size_t n);

/* ---- a project (alembic.c) ------------------------------------------ */

typedef struct AlembicProject {
    AlembicConfig config;
    AlembicGraph  graph;
} AlembicProject;

/* alembic_config_load(path), then every *.py file in the version
 * locations as Alembic picks them (not __init__*, not .#*; subfolders
 * when recursive; with sourceless = true also .pyc/.pyo files without
 * their source, which are problems: dbwarden reads only source; a
 * location that does not exist is skipped unless none does), parsed and
 * linked, in Alembic's reading order: location by location, each
 * folder's files sorted by name, then its subfolders.  Fails on the ini,
 * or when no version folder exists (DB_ERR_IO naming the folders).  A
 * file that cannot be read is a problem, not a failure. */
int  alembic_project_load(AlembicProject *out, const char *path, DbError *err);
void alembic_project_free(AlembicProject *p);

/* ---- the database (alembic.c) --------------------------------------- */

typedef struct AlembicStatus {
    bool    table_exists;   /* alembic_version exists */
    char  **current;        /* owned: ids in alembic_version (one per applied
                               head), sorted; none when nothing is applied */
    size_t  ncurrent;
    bool   *applied;        /* owned: one per graph revision (index as in
                               g->revs): applied or not */
    size_t  napplied;       /* revisions in the graph that are applied */
    size_t  npending;       /* revisions in the graph that are not */
    AlembicProblem *problems; /* owned: unknown_current */
    size_t  nproblems;
} AlembicStatus;

/* The rows of alembic_version, sorted: *ids is NULL-terminated and owned
 * (strv_free); none when the table is missing (*exists false). */
int  alembic_current_read(DbConn *c, char ***ids, size_t *n, bool *exists, DbError *err);
/* Reads alembic_version (a missing table means nothing applied) and
 * walks the graph down (down_revision and depends_on) from each current
 * revision: those reached are applied, the others pending. */
int  alembic_status(DbConn *c, const AlembicGraph *g, AlembicStatus *out, DbError *err);
/* The same from a list of current ids, without a database. */
void alembic_status_from_current(AlembicStatus *out, const AlembicGraph *g,
                                 const char *const *current, size_t ncurrent);
void alembic_status_free(AlembicStatus *s);
bool alembic_is_current(const AlembicStatus *s, const char *id);

/* ---- history as text (alembic_history.c) ---------------------------- */

typedef struct AlembicHistory {
    char  **lines;   /* owned: one line each, no newline */
    long   *rev;     /* per line: index into g->revs, or -1 for a line that
                        only draws the graph */
    size_t  count;
} AlembicHistory;

/* Draws the graph newest first, like `alembic history`, with lanes for
 * branches ("|\" where a merge opens, "|/" where a branch closes) and per
 * revision its id, state (applied/pending, when st is given), markers
 * (head, current, mergepoint, branchpoint, base, labels), parents and
 * message, e.g.
 *   "* e5f6a7b8c9d0 (head, current) [applied] <- d4c3b2a1f0e9  add jobs"
 * st may be NULL.  Revisions in a cycle are listed after the others. */
void alembic_history_render(AlembicHistory *out, const AlembicGraph *g,
                            const AlembicStatus *st);
void alembic_history_free(AlembicHistory *h);

/* ---- running alembic (alembic_run.c) -------------------------------- */

typedef enum AlembicVerb { ALEMBIC_UPGRADE, ALEMBIC_DOWNGRADE, ALEMBIC_STAMP } AlembicVerb;

/* Splits a command the way a shell splits simple words: blanks separate,
 * '…' is literal, "…" keeps \" \\ \$ \` escapes, a backslash outside
 * quotes escapes the next character.  No expansion of any kind.  *argv is
 * NULL-terminated and owned (strv_free).  An empty command or an
 * open quote is DB_ERR_USAGE. */
int  alembic_split_command(const char *cmd, char ***argv, size_t *argc, DbError *err);

typedef struct AlembicRun AlembicRun;

/* Called once per line of output (stdout and stderr merged), as it comes;
 * line has no newline and lives only during the call. */
typedef void (*AlembicLineFn)(void *ctx, const char *line);

/* What a caller does inside the run lock, around alembic (see
 * alembic_run).  Either function may be NULL. */
typedef struct AlembicRunHooks {
    /* Once the lock is held, before alembic starts: re-check the plan, take
     * the backup.  Non-zero stops the run before anything starts; the run
     * fails with this err. */
    int  (*locked)(void *ctx, DbConn *conn, DbError *err);
    /* Once alembic has ended on its own (not cancelled), with its exit
     * status, still under the lock: check what it did.  Non-zero makes the
     * run fail with this err (*status is still set). */
    int  (*ended)(void *ctx, DbConn *conn, int status, DbError *err);
    void *ctx;
} AlembicRunHooks;

typedef struct AlembicRunOptions {
    const char *command;        /* NULL or "": "alembic"; may be several
                                   words: "docker compose exec -T api alembic" */
    const char *ini;            /* the alembic.ini, passed as -c (relative to
                                   cwd when cwd is given, else its basename) */
    const char *cwd;            /* NULL: the ini's folder */
    const char *const *env;     /* extra "NAME=value" entries, NULL-terminated;
                                   may be NULL */
    int         lock_wait_ms;   /* 0: the connection's (db_lock_wait) */
    const AlembicRunHooks *hooks;  /* NULL: none; only called when a
                                      connection is given */
} AlembicRunOptions;

/* A handle to cancel a run from another thread.  alembic_run_cancel()
 * may be called at any time, before, during or after the run. */
AlembicRun *alembic_run_new(void);
void        alembic_run_cancel(AlembicRun *r);   /* thread-safe */
void        alembic_run_free(AlembicRun *r);     /* NULL is fine; not during a run */

/* Runs `<command> -c <ini> <args...>` (args NULL-terminated) with stdin
 * from /dev/null, in a new process group, streaming each output line to
 * on_line (may be NULL).  When conn is given, the run lock
 * (runlock_acquire(conn, "migrations", "alembic <args>", ...)) is held
 * for the whole run; conn may be NULL for commands that change nothing
 * (heads, current).  With conn, o->hooks are called in that order: lock,
 * hooks->locked, alembic, hooks->ended, release.  handle may be NULL.
 * Returns 0 when the command ran
 * to its end, with *status its exit status (128+N for signal N).  Fails
 * with DB_ERR_BUSY (another run holds the lock, naming who),
 * DB_ERR_USAGE (a bad command), DB_ERR_IO (it cannot be started: not
 * found), DB_ERR_CANCELLED (alembic_run_cancel: the process group was
 * killed; *status is set), or a hook's error. */
int  alembic_run(DbConn *conn, AlembicRun *handle, const AlembicRunOptions *o,
                 const char *const *args, AlembicLineFn on_line, void *ctx, int *status,
                 DbError *err);

/* ---- a planned run (alembic_plan.c, alembic_exec.c) ------------------ */

/* What up, down or stamp will do, decided on the graph and the current
 * revisions before anything runs, with an explicit target, so that the
 * confirmation, the --sql preview and the real run describe one change,
 * and the run can check that the database did not move meanwhile and
 * that alembic did what was planned. */
typedef struct AlembicPlan {
    AlembicVerb verb;
    char   *target;         /* owned: what alembic is given: "heads", "base", a
                               full id, or "<head>@<parent>" (roll back that
                               head alone) */
    char  **args;           /* owned, NULL-terminated: the real run, e.g.
                               downgrade 6f708192a3b4@5e6f708192a3 */
    char  **sql_args;       /* owned: the --sql preview of the same change
                               ("downgrade <from>:<target> --sql"), or NULL
                               when Alembic cannot preview it: */
    char   *sql_problem;    /* owned: ... why, or NULL */
    char  **before;         /* owned: alembic_version's rows when planned */
    size_t  nbefore;
    char  **after;          /* owned: every revision applied after the run */
    size_t  nafter;
    char  **after_current;  /* owned: the heads of those: the rows alembic
                               should leave in alembic_version */
    size_t  nafter_current;
    char  **changed;        /* owned: "<id>  <message>" per revision applied
                               or rolled back, in the order alembic runs them */
    size_t  nchanged;
    char   *summary;        /* owned: one line: "roll back 6f708192a3b4
                               (create licenses)", "apply 3 revisions: ..." */
    bool    purge;          /* stamp --purge: alembic_version holds ids no
                               file defines, which alembic cannot replace */
    bool    nothing;        /* nothing would change: no need to run */
} AlembicPlan;

/* Plans verb with target as the command line gives it (NULL: up to heads,
 * down one step):
 *   up     heads, head, a revision (full id, unique start of one, branch
 *          label, label@head) or +N
 *   down   N (steps, or steps:N), a current revision (roll back that one:
 *          "<id>@<parent>"), another applied revision or to:REV (roll back
 *          everything above it), base or all.  With several current
 *          revisions, a step needs one of them named: the error lists them.
 *   stamp  a revision, heads or base (required)
 * st is the state read just before (alembic_status).  All lists are sorted
 * ids.  Fails with DB_ERR_USAGE saying why and what to give instead (an
 * unknown or ambiguous name, several heads, a merge in the way of N
 * steps, a current revision no file defines).  Free with
 * alembic_plan_free(), also after a failure. */
int  alembic_plan_make(AlembicPlan *out, const AlembicGraph *g, const AlembicStatus *st,
                       AlembicVerb verb, const char *target, DbError *err);
void alembic_plan_free(AlembicPlan *p);

/* Reads alembic_version and fails (DB_ERR_BUSY) when its rows are not
 * p->before: "the database moved from X to Y while ...: nothing was
 * done". */
int  alembic_plan_recheck(DbConn *c, const AlembicPlan *p, DbError *err);

/* Reads alembic_version and fails (DB_ERR_IO, naming the database, what it
 * holds and what was planned) when the revisions applied, as g sees them,
 * are not p->after (sql: not those of p->before: a preview changes
 * nothing). */
int  alembic_plan_verify(DbConn *c, const AlembicGraph *g, const AlembicPlan *p, bool sql,
                         DbError *err);

typedef struct AlembicPlanRunOptions {
    AlembicRunOptions run;   /* command, ini, cwd, env, lock wait; its hooks
                                are replaced */
    bool  sql;               /* the --sql preview (p->sql_args) */
    /* under the lock, after the re-check, before alembic: the backup; NULL
     * for none.  Non-zero stops the run (nothing started). */
    int (*backup)(void *ctx, DbConn *conn, DbError *err);
    AlembicLineFn on_line;   /* may be NULL */
    void *ctx;               /* for backup and on_line */
} AlembicPlanRunOptions;

/* Runs the plan with alembic_run() on conn: lock, alembic_plan_recheck(),
 * o->backup, alembic with p->args (or p->sql_args), alembic_plan_verify()
 * when alembic exited with 0, release.  Returns 0 when it did what was
 * planned (*status 0), or when alembic failed (*status its exit status:
 * the caller says so; nothing is verified); else -1 with err (the plan was
 * stale, the backup failed, alembic did something else than planned: then
 * *status is 0, or alembic_run's own failures).  g is the graph the plan
 * was made on (or the same project loaded again). */
int  alembic_plan_run(DbConn *conn, AlembicRun *handle, const AlembicGraph *g,
                      const AlembicPlan *p, const AlembicPlanRunOptions *o, int *status,
                      DbError *err);

/* The command line a run shows the user: "<command> -c <ini's file name>
 * <args…>" (command NULL or "": alembic).  Caller frees. */
char *alembic_command_text(const char *command, const char *ini, const char *const *args);

#endif
