/* cli_seed.c: `dbwarden seed` on the command line: the seed and reset
 * action rows (core/action_seed.c) run through cli_action_run, their
 * progress on stderr, and `seed list` (the sets and the ledger). */
#include "cli_seed.h"
#include "cli_action.h"
#include "format.h"
#include "json_out.h"
#include "seed.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- progress on stderr, as pgbench -i prints it ------------------------ */

static bool progress_shown;   /* a line without its end is on a terminal */

static long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void seed_progress(CliRun *r, size_t index, size_t total, const char *what)
{
    (void)r;
    (void)index;
    (void)total;
    static long last;
    long now = mono_ms();
    if (isatty(STDERR_FILENO)) {
        fprintf(stderr, "\r%s\033[K", fmt_esc(what));
        progress_shown = true;
    } else if (now - last >= 1000) {   /* a log: a line a second at most */
        fprintf(stderr, "%s\n", fmt_esc(what));
        last = now;
    }
    fflush(stderr);
}

static void end_progress(void)
{
    if (progress_shown)
        fputc('\n', stderr);
    progress_shown = false;
}

/* ---- the dry run --------------------------------------------------------- */

static json_t *plan_tables_json(const SeedPlan *p)
{
    json_t *a = json_array();
    for (size_t t = 0; t < p->ntables; t++) {
        json_t *o = json_object();
        json_object_set_new(o, "table", json_text(p->tables[t].table));
        json_object_set_new(o, "rows", json_integer(p->tables[t].rows));
        json_object_set_new(o, "already", json_integer(p->tables[t].present));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *plan_files_json(const SeedPlan *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->nfiles; i++) {
        const SeedFilePlan *f = &p->files[i];
        json_t *o = json_object();
        json_object_set_new(o, "file", json_text(f->path));
        json_object_set_new(o, "state", json_text(f->seeded_run && !f->changed ? "seeded"
                                                  : f->changed ? "changed" : "new"));
        json_object_set_new(o, "run", f->seeded_run ? json_integer(f->seeded_run) : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

static int seed_dry_run(CliRun *r)
{
    const ActionPlan *ap = &r->plan;
    const SeedPlan *sp = action_seed_plan(ap);
    const SeedResetPlan *rp = action_reset_plan(ap);
    if (r->cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "action", json_text(ap->action->name));
        json_object_set_new(o, "summary", json_text(ap->summary));
        if (sp) {
            char *label = seed_request_label(&sp->req);
            json_object_set_new(o, "set", json_text(label));
            free(label);
            json_object_set_new(o, "rows", sp->rows >= 0 ? json_integer(sp->rows) : json_null());
            json_object_set_new(o, "already", json_integer(sp->present));
            json_object_set_new(o, "tables", plan_tables_json(sp));
            json_object_set_new(o, "files", plan_files_json(sp));
        }
        if (rp) {
            json_object_set_new(o, "sets", json_text(rp->sets));
            json_object_set_new(o, "rows", json_integer(rp->rows));
            json_t *t = json_array();
            for (size_t i = 0; i < rp->ntables; i++) {
                json_t *x = json_object();
                json_object_set_new(x, "table", json_text(rp->tables[i].table));
                json_object_set_new(x, "rows", json_integer(rp->tables[i].rows));
                json_array_append_new(t, x);
            }
            json_object_set_new(o, "tables", t);
        }
        json_object_set_new(o, "warning", json_text(ap->warning));
        json_object_set_new(o, "sql", json_text(ap->what));
        json_emit(o);
        return EXIT_OK;
    }
    printf("-- %s\n", fmt_esc(ap->summary));
    for (size_t i = 0; i < ap->nitems; i++)
        printf("--   %s\n", fmt_esc(ap->items[i]));
    if (ap->warning)
        printf("-- warning: %s\n", fmt_esc(ap->warning));
    if (ap->what)
        fmt_put_block(stdout, ap->what);
    return EXIT_OK;
}

/* ---- the result ------------------------------------------------------------ */

static void seed_json(CliRun *r, const SeedPlan *sp, const SeedOutcome *so)
{
    json_t *o = json_object();
    char *label = seed_request_label(&sp->req);
    json_object_set_new(o, "action", json_text("seed"));
    json_object_set_new(o, "set", json_text(label));
    free(label);
    json_object_set_new(o, "outcome", json_text(r->outcome));
    json_object_set_new(o, "run", so->run_id ? json_integer(so->run_id) : json_null());
    json_object_set_new(o, "inserted", json_integer(so->inserted));
    json_object_set_new(o, "already", json_integer(sp->present));
    json_t *t = json_object();
    for (size_t i = 0; i < sp->ntables; i++)
        json_object_set_new(t, sp->tables[i].table, json_integer(so->per_table[i]));
    json_object_set_new(o, "tables", t);
    json_object_set_new(o, "files_run", json_integer((json_int_t)so->files_run));
    json_object_set_new(o, "duration_ms", json_integer(so->ms));
    json_object_set_new(o, "rows_per_second",
                        json_integer(so->ms > 0 ? so->inserted * 1000 / so->ms : so->inserted));
    json_object_set_new(o, "warning", json_text(sp->warning));
    json_emit(o);
}

static void reset_json(CliRun *r, const SeedResetPlan *rp)
{
    json_t *o = json_object();
    json_object_set_new(o, "action", json_text("reset"));
    json_object_set_new(o, "outcome", json_text(r->outcome));
    json_object_set_new(o, "sets", json_text(rp->sets));
    json_object_set_new(o, "deleted", json_integer(r->plan.nothing ? 0 : rp->rows));
    json_t *t = json_object();
    for (size_t i = 0; i < rp->ntables; i++)
        json_object_set_new(t, rp->tables[i].table, json_integer(rp->tables[i].rows));
    json_object_set_new(o, "tables", t);
    json_t *runs = json_array();
    for (size_t i = 0; i < rp->nruns; i++)
        json_array_append_new(runs, json_integer(rp->runs[i]));
    json_object_set_new(o, "runs", runs);
    json_object_set_new(o, "backup", json_text(r->backup));
    json_emit(o);
}

static int seed_finish(CliRun *r)
{
    end_progress();
    if (r->failed)
        return cli_fail(&r->err);
    const SeedPlan *sp = action_seed_plan(&r->plan);
    const SeedOutcome *so = action_seed_outcome(&r->plan);
    const SeedResetPlan *rp = action_reset_plan(&r->plan);
    if (r->cli->json) {
        if (sp)
            seed_json(r, sp, so);
        else
            reset_json(r, rp);
        return EXIT_OK;
    }
    printf("%s\n", fmt_esc(r->outcome ? r->outcome : r->plan.summary));
    for (size_t i = 0; sp && so && i < sp->ntables; i++)
        if (so->per_table[i] > 0)
            printf("  %-24s %12lld\n", sp->tables[i].table, so->per_table[i]);
    if (sp && sp->warning && !r->plan.nothing)
        printf("warning: %s\n", fmt_esc(sp->warning));
    return EXIT_OK;
}

static const CliReport seed_report = { NULL, seed_dry_run, seed_finish, seed_progress };

/* ---- seed list ---------------------------------------------------------------- */

static void list_json(const Cli *cli, const SeedStatus *st)
{
    json_t *o = json_object(), *sets = json_array(), *runs = json_array(), *tabs = json_array();
    for (const SeedSetInfo *s = seed_sets; s->name; s++) {
        json_t *x = json_object();
        json_object_set_new(x, "name", json_text(s->name));
        json_object_set_new(x, "help", json_text(s->help));
        json_array_append_new(sets, x);
    }
    for (size_t i = 0; i < st->nruns; i++) {
        const SeedRunInfo *r = &st->runs[i];
        json_t *x = json_object();
        json_object_set_new(x, "id", json_integer(r->id));
        json_object_set_new(x, "set", json_text(r->set_name));
        json_object_set_new(x, "label", json_text(r->label));
        json_object_set_new(x, "seed", r->seed >= 0 ? json_integer(r->seed) : json_null());
        json_object_set_new(x, "scale", r->scale >= 0 ? json_integer(r->scale) : json_null());
        json_object_set_new(x, "source", json_text(r->source));
        json_object_set_new(x, "rows", json_integer(r->rows));
        json_object_set_new(x, "seeded_at", json_text(r->seeded_at));
        json_object_set_new(x, "seeded_by", json_text(r->seeded_by));
        json_object_set_new(x, "duration_ms", json_integer(r->duration_ms));
        json_array_append_new(runs, x);
    }
    for (size_t i = 0; i < st->ntables; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "table", json_text(st->tables[i].table));
        json_object_set_new(x, "run", json_integer(st->tables[i].run_id));
        json_object_set_new(x, "set", json_text(st->tables[i].label));
        json_object_set_new(x, "rows", json_integer(st->tables[i].rows));
        json_array_append_new(tabs, x);
    }
    json_object_set_new(o, "sets", sets);
    json_object_set_new(o, "seed_dir", json_text(cli->session.cfg.seed.dir));
    json_object_set_new(o, "runs", runs);
    json_object_set_new(o, "seeded", tabs);
    json_emit(o);
}

static void list_text(const Cli *cli, const SeedStatus *st)
{
    printf("SETS\n");
    for (const SeedSetInfo *s = seed_sets; s->name; s++)
        printf("  %-7s %s\n", s->name, s->help);
    if (cli->session.cfg.seed.dir)
        printf("  ([seed] dir: %s)\n", fmt_esc(cli->session.cfg.seed.dir));
    if (st->nruns == 0) {
        printf("\nno seed run recorded in this database\n");
        return;
    }
    printf("\nRUNS\n  %4s  %-34s %12s  %-19s  %s\n", "ID", "SET", "ROWS", "SEEDED (UTC)", "BY");
    for (size_t i = 0; i < st->nruns; i++) {
        const SeedRunInfo *r = &st->runs[i];
        printf("  %4lld  %-34s %12lld  %-19s  %s\n", r->id, fmt_esc(r->label), r->rows,
               fmt_esc(r->seeded_at), fmt_esc(r->seeded_by));
    }
    printf("\nSEEDED ROWS IN THE TABLES NOW\n");
    for (size_t i = 0; i < st->ntables; i++)
        printf("  %-24s %12lld  %s (run %lld)\n", fmt_esc(st->tables[i].table),
               st->tables[i].rows, fmt_esc(st->tables[i].label), st->tables[i].run_id);
}

static int seed_list(Cli *cli)
{
    if (cli->seed_reset || cli->seed_scale || cli->seed_seed) {
        cli_error("usage: dbwarden seed list (it takes no --reset, --scale or --seed)");
        return EXIT_USAGE;
    }
    DbConn *conn = NULL;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    SeedStatus st;
    DbError err = DB_ERROR_INIT;
    if (seed_status(conn, true, &st, &err) != 0) {
        rc = cli_fail(&err);
    } else {
        if (cli->json)
            list_json(cli, &st);
        else
            list_text(cli, &st);
        seed_status_free(&st);
    }
    db_close(conn);
    return rc;
}

/* ---- the command ------------------------------------------------------------------- */

/* The action's argument from the command line (seed.h: SeedRequest). */
static char *request_text(Cli *cli, const char *set)
{
    StrBuf b = STRBUF_INIT;
    if (set) {
        if (!strcmp(set, "demo") || !strcmp(set, "scale") || !strcmp(set, "files"))
            sb_appendf(&b, "set=%s\n", set);
        else
            sb_appendf(&b, "set=file\nfile=%s\n", set);
    } else if (cli->seed_scale) {
        sb_append(&b, "set=scale\n");
    }
    if (cli->seed_scale)
        sb_appendf(&b, "scale=%s\n", cli->seed_scale);
    if (cli->seed_seed)
        sb_appendf(&b, "seed=%s\n", cli->seed_seed);
    if (cli->force)
        sb_append(&b, "force=yes\n");
    return sb_take(&b);
}

int cli_cmd_seed(Cli *cli)
{
    if (cli->argc > 1) {
        cli_error("usage: dbwarden seed [demo|scale|files|FILE.sql|list] [--scale N] [--seed S] "
                  "[--reset] [--force] [--dry-run]");
        return EXIT_USAGE;
    }
    const char *set = cli->argc ? cli->argv[0] : NULL;
    if (set && strcmp(set, "list") == 0)
        return seed_list(cli);
    if (set && strcmp(set, "demo") && strcmp(set, "scale") && strcmp(set, "files") &&
        !strchr(set, '/') && !(strlen(set) > 4 && !strcmp(set + strlen(set) - 4, ".sql"))) {
        cli_error("unknown seed set '%s' (demo, scale, files, a FILE.sql, or list)", set);
        return EXIT_USAGE;
    }
    if (set && strchr(set, '\n')) {
        cli_error("a seed file's name may not hold a line break");
        return EXIT_USAGE;
    }
    char *arg = request_text(cli, set);
    int rc = cli_action_run(cli, cli->seed_reset ? "reset" : "seed", arg, false, &seed_report);
    free(arg);
    return rc;
}
