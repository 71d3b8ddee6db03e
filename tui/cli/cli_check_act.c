/* cli_check_act.c: the changes of dbwarden check: fix (the orphans
 * deleted or their key set to NULL; or the migration that declares an
 * inferred key), accept and unaccept, each an action row run by
 * cli_action_run (see cli_check.h, core/action_integrity.c). */
#include "cli_action.h"
#include "cli_check.h"
#include "format.h"
#include "integrity_fix.h"
#include "json_out.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const FIX_OPTIONS[] = { "delete", "set-null", "migration", NULL };

static int allow(const Cli *cli, const char *form, const char *const *allowed)
{
    for (size_t i = 0; i < cli->ncmd_opts; i++) {
        bool ok = false;
        for (size_t k = 0; allowed[k] && !ok; k++)
            ok = strcmp(cli->cmd_opts[i].name, allowed[k]) == 0;
        if (!ok) {
            cli_error("check %s does not take --%s", form, cli->cmd_opts[i].name);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* ---- fix: the orphans -------------------------------------------------------- */

static json_t *nodes_json(const IntegrityFix *f, bool captured)
{
    json_t *a = json_array();
    for (size_t i = 0; f && i < f->nnodes; i++) {
        const IntegrityFixNode *n = &f->nodes[i];
        long long rows = captured ? n->captured : n->rows;
        json_t *o = json_object();
        json_object_set_new(o, "schema", json_text(n->schema));
        json_object_set_new(o, "table", json_text(n->table));
        json_object_set_new(o, "change", json_text(n->update ? "set key" : "delete"));
        json_object_set_new(o, "by", json_text(n->action));
        json_object_set_new(o, "rows", rows >= 0 ? json_integer(rows) : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *fix_json(const CliRun *r, const IntegrityFix *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "check", json_text(f && f->ck ? f->ck->id : NULL));
    json_object_set_new(o, "mode", json_text(f ? integrity_fix_mode_name(f->mode) : NULL));
    json_object_set_new(o, "summary", json_text(r->plan.summary));
    json_object_set_new(o, "orphans", f ? json_integer(f->orphans) : json_null());
    json_object_set_new(o, "distinct_keys", f ? json_integer(f->distinct) : json_null());
    json_object_set_new(o, "rows", f && f->total >= 0 ? json_integer(f->total) : json_null());
    return o;
}

static int fix_dry_run(CliRun *r)
{
    const IntegrityFix *f = action_fix_data(&r->plan);
    if (r->cli->json) {
        json_t *o = fix_json(r, f);
        json_object_set_new(o, "dry_run", json_true());
        json_object_set_new(o, "tables", nodes_json(f, false));
        json_object_set_new(o, "sql", json_text(r->plan.what));
        json_emit(o);
        return EXIT_OK;
    }
    printf("-- %s\n", fmt_esc(r->plan.summary));
    for (size_t i = 0; i < r->plan.nitems; i++)
        printf("--   %s\n", fmt_esc(r->plan.items[i]));
    if (r->plan.what)
        fmt_put_sql(stdout, r->plan.what);
    return EXIT_OK;
}

static int fix_finish(CliRun *r)
{
    const IntegrityFix *f = action_fix_data(&r->plan);
    if (r->cli->json) {
        json_t *o = fix_json(r, f);
        json_object_set_new(o, "dry_run", json_false());
        json_object_set_new(o, "tables", nodes_json(f, !r->failed && !r->plan.nothing));
        json_object_set_new(o, "backup", json_text(r->backup));
        json_object_set_new(o, "inverse_file", json_text(f ? f->inverse_path : NULL));
        json_object_set_new(o, "duration_ms", r->plan.run_ms >= 0 ? json_integer(r->plan.run_ms)
                                                                  : json_null());
        json_object_set_new(o, "error", r->failed ? json_text(r->err.message) : json_null());
        json_emit(o);
    } else if (!r->failed) {
        printf("%s\n", fmt_esc(r->outcome ? r->outcome : r->plan.summary));
        if (r->backup)
            printf("backup before the fix: %s\n", fmt_esc(r->backup));
    }
    if (!r->failed)
        return EXIT_OK;
    int rc = cli_fail(&r->err);
    if (r->backup)
        cli_error("the backup taken just before is %s", r->backup);
    return rc;
}

static const CliReport fix_report = { NULL, fix_dry_run, fix_finish, NULL };

/* ---- fix --migration ---------------------------------------------------------- */

static int mig_dry_run(CliRun *r)
{
    const IntegrityFkMigration *m = action_fk_migration_data(&r->plan);
    if (r->cli->json) {
        json_t *o = json_object(), *files = json_array();
        for (int i = 0; m && i < 2 && m->names[i]; i++) {
            json_t *fo = json_object();
            json_object_set_new(fo, "name", json_text(m->names[i]));
            json_object_set_new(fo, "text", json_text(m->texts[i]));
            json_array_append_new(files, fo);
        }
        json_object_set_new(o, "summary", json_text(r->plan.summary));
        json_object_set_new(o, "dry_run", json_true());
        json_object_set_new(o, "folder", json_text(m ? m->dir : NULL));
        json_object_set_new(o, "migrations", files);
        json_emit(o);
        return EXIT_OK;
    }
    printf("-- %s\n", fmt_esc(r->plan.summary));
    fmt_put_sql(stdout, r->plan.what ? r->plan.what : "");
    return EXIT_OK;
}

static int mig_finish(CliRun *r)
{
    const IntegrityFkMigration *m = action_fk_migration_data(&r->plan);
    if (r->cli->json) {
        json_t *o = json_object(), *files = json_array();
        for (int i = 0; !r->failed && m && i < 2 && m->names[i]; i++) {
            char *path = xasprintf("%s/%s", m->dir, m->names[i]);
            json_array_append_new(files, json_text(path));
            free(path);
        }
        json_object_set_new(o, "summary", json_text(r->plan.summary));
        json_object_set_new(o, "dry_run", json_false());
        json_object_set_new(o, "written", files);
        json_object_set_new(o, "error", r->failed ? json_text(r->err.message) : json_null());
        json_emit(o);
    } else if (!r->failed) {
        printf("%s\n", fmt_esc(r->outcome));
    }
    return r->failed ? cli_fail(&r->err) : EXIT_OK;
}

static const CliReport mig_report = { NULL, mig_dry_run, mig_finish, NULL };

int cli_check_fix(Cli *cli, const char *id)
{
    if (allow(cli, "fix", FIX_OPTIONS) != EXIT_OK)
        return EXIT_USAGE;
    bool del = false, setnull = false, mig = false;
    cli_check_opt(cli, "delete", &del);
    cli_check_opt(cli, "set-null", &setnull);
    cli_check_opt(cli, "migration", &mig);
    if (del + setnull + mig != 1) {
        cli_error("check fix ID needs one of --delete, --set-null (orphans) or --migration (an "
                  "inferred relationship)");
        return EXIT_USAGE;
    }
    if (mig)
        return cli_action_run(cli, "fk-migration", id, false, &mig_report);
    char *arg = xasprintf("%s:%s", del ? "delete" : "set-null", id);
    int rc = cli_action_run(cli, "fix", arg, false, &fix_report);
    free(arg);
    return rc;
}

/* ---- accept, unaccept ---------------------------------------------------------- */

static int acc_dry_run(CliRun *r)
{
    if (r->cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "summary", json_text(r->plan.summary));
        json_object_set_new(o, "dry_run", json_true());
        json_object_set_new(o, "sql", json_text(r->plan.what));
        json_emit(o);
    } else {
        printf("-- %s\n", fmt_esc(r->plan.summary));
        fmt_put_sql(stdout, r->plan.what ? r->plan.what : "");
    }
    return EXIT_OK;
}

static int acc_finish(CliRun *r)
{
    if (r->cli->json) {
        long long n = action_accept_count(&r->plan);
        json_t *o = json_object();
        json_object_set_new(o, "summary", json_text(r->plan.summary));
        json_object_set_new(o, "outcome", json_text(r->outcome));
        json_object_set_new(o, "count", n >= 0 ? json_integer(n) : json_null());
        json_object_set_new(o, "error", r->failed ? json_text(r->err.message) : json_null());
        json_emit(o);
    } else if (!r->failed) {
        printf("%s\n", fmt_esc(r->outcome ? r->outcome : r->plan.summary));
    }
    return r->failed ? cli_fail(&r->err) : EXIT_OK;
}

static const CliReport acc_report = { NULL, acc_dry_run, acc_finish, NULL };

int cli_check_accept(Cli *cli, const char *id)
{
    static const char *const allowed[] = { "actor", NULL };
    if (allow(cli, "accept", allowed) != EXIT_OK)
        return EXIT_USAGE;
    const char *reason = cli->reason;
    if (!reason || !*reason) {
        cli_error("check accept ID needs --reason TEXT (why this is accepted)");
        return EXIT_USAGE;
    }
    char *arg = integrity_accept_arg(id, reason, cli_check_opt(cli, "actor", NULL));
    int rc = cli_action_run(cli, "accept", arg, false, &acc_report);
    free(arg);
    return rc;
}

int cli_check_unaccept(Cli *cli, const char *id)
{
    static const char *const allowed[] = { NULL };
    if (allow(cli, "unaccept", allowed) != EXIT_OK)
        return EXIT_USAGE;
    return cli_action_run(cli, "unaccept", id, false, &acc_report);
}
