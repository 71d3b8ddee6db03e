/* cli_migrate.c: status, history and up on the command line. */
#include "cli.h"
#include "cli_confirm.h"
#include "json_out.h"

#include <stdio.h>
#include <string.h>

/* The newest version in the folder: dbwarden's chain has one head. */
static const char *folder_head(const MigDir *dir)
{
    return dir && dir->count ? dir->files[dir->count - 1].version : NULL;
}

static const char *problem_text(MigState s)
{
    switch (s) {
    case MIG_MISSING: return "applied, but no file in the migrations folder has this version";
    case MIG_CHANGED: return "applied, but its up section changed since (checksum differs)";
    case MIG_OUT_OF_ORDER: return "pending, but older than the newest applied version";
    default: return NULL;
    }
}

static json_t *problems_json(const MigStatus *st)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < st->count; i++) {
        const MigEntry *e = &st->items[i];
        const char *text = problem_text(e->state);
        if (!text)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_text(migrate_state_name(e->state)));
        json_object_set_new(o, "version", json_text(e->version));
        char *msg = NULL;
        if (asprintf(&msg, "%s %s: %s", e->version, e->name, text) < 0)
            msg = NULL;
        json_object_set_new(o, "message", json_text(msg));
        free(msg);
        json_t *files = json_array();
        if (e->file)
            json_array_append_new(files, json_text(e->file->path));
        json_object_set_new(o, "files", files);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *versions_json(const char *v)
{
    json_t *a = json_array();
    if (v)
        json_array_append_new(a, json_text(v));
    return a;
}

/* Loads what status and history show; returns an exit status. */
static int load_status(Cli *cli, DbConn **conn, MigDir *dir, bool *loaded, MigStatus *st)
{
    int rc = cli_connect(cli, false, conn);
    if (rc != EXIT_OK)
        return rc;
    rc = cli_load_migrations(cli, false, dir, loaded);
    if (rc != EXIT_OK) {
        db_close(*conn);
        return rc;
    }
    DbError err = DB_ERROR_INIT;
    if (migrate_status(*conn, *loaded ? dir : NULL, st, &err) != 0) {
        rc = cli_fail(&err);
        migrate_dir_free(dir);
        db_close(*conn);
    }
    return rc;
}

int cli_cmd_status(Cli *cli)
{
    DbConn *conn;
    MigDir dir;
    bool loaded;
    MigStatus st;
    int rc = load_status(cli, &conn, &dir, &loaded, &st);
    if (rc != EXIT_OK)
        return rc;
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "source", json_text("dbwarden"));
        json_object_set_new(o, "engine", json_text(db_engine_name(db_engine(conn))));
        json_object_set_new(o, "database", json_text(db_display_url(conn)));
        json_object_set_new(o, "migrations_dir", json_text(loaded ? dir.path : NULL));
        json_object_set_new(o, "current", versions_json(st.current));
        json_object_set_new(o, "heads", versions_json(loaded ? folder_head(&dir) : st.current));
        json_object_set_new(o, "applied", json_integer((json_int_t)st.applied));
        json_object_set_new(o, "pending", json_integer((json_int_t)st.pending));
        json_object_set_new(o, "problems", problems_json(&st));
        json_emit(o);
    } else {
        printf("database    %s (%s)\n", db_display_url(conn), db_engine_name(db_engine(conn)));
        printf("migrations  %s\n", loaded ? dir.path : "(no folder given: --migrations DIR)");
        printf("current     %s\n", st.current ? st.current : "(none applied)");
        printf("applied     %zu\n", st.applied);
        printf("pending     %zu\n", st.pending);
        for (size_t i = 0; i < st.count; i++) {
            const char *text = problem_text(st.items[i].state);
            if (text)
                printf("problem     %s %s: %s\n", st.items[i].version, st.items[i].name, text);
        }
    }
    rc = st.problems ? EXIT_PROBLEMS : EXIT_OK;
    migrate_status_free(&st);
    migrate_dir_free(&dir);
    db_close(conn);
    return rc;
}

int cli_cmd_history(Cli *cli)
{
    DbConn *conn;
    MigDir dir;
    bool loaded;
    MigStatus st;
    int rc = load_status(cli, &conn, &dir, &loaded, &st);
    if (rc != EXIT_OK)
        return rc;
    if (cli->json) {
        json_t *arr = json_array();
        for (size_t i = st.count; i-- > 0;) {
            const MigEntry *e = &st.items[i];
            json_t *o = json_object();
            json_object_set_new(o, "version", json_text(e->version));
            json_object_set_new(o, "name", json_text(e->name));
            json_object_set_new(o, "state", json_text(migrate_state_name(e->state)));
            json_object_set_new(o, "applied_at", json_text(e->applied_at));
            json_object_set_new(o, "duration_ms",
                                e->duration_ms >= 0 ? json_integer(e->duration_ms) : json_null());
            json_object_set_new(o, "applied_by", json_text(e->applied_by));
            json_object_set_new(o, "checksum", json_text(e->checksum ? e->checksum
                                                   : e->file ? e->file->checksum : NULL));
            json_array_append_new(arr, o);
        }
        json_t *root = json_object();
        json_object_set_new(root, "migrations", arr);
        json_emit(root);
    } else {
        printf("%-16s %-36s %-12s %-19s %8s  %s\n", "VERSION", "NAME", "STATE", "APPLIED AT",
               "MS", "BY");
        for (size_t i = st.count; i-- > 0;) {
            const MigEntry *e = &st.items[i];
            char ms[24] = "";
            if (e->duration_ms >= 0)
                snprintf(ms, sizeof ms, "%ld", e->duration_ms);
            printf("%-16s %-36s %-12s %-19s %8s  %s\n", e->version, e->name,
                   migrate_state_name(e->state), e->applied_at ? e->applied_at : "", ms,
                   e->applied_by ? e->applied_by : "");
        }
    }
    migrate_status_free(&st);
    migrate_dir_free(&dir);
    db_close(conn);
    return EXIT_OK;
}

typedef struct UpReport {
    bool    json;
    json_t *applied;
} UpReport;

static void up_done(void *ctx, const MigFile *f, long ms)
{
    UpReport *r = ctx;
    if (r->json) {
        json_t *o = json_object();
        json_object_set_new(o, "version", json_text(f->version));
        json_object_set_new(o, "name", json_text(f->name));
        json_object_set_new(o, "duration_ms", json_integer(ms));
        json_array_append_new(r->applied, o);
    } else {
        printf("applied %s (%ld ms)\n", f->filename, ms);
        fflush(stdout);
    }
}

int cli_cmd_up(Cli *cli)
{
    if (cli->argc > 1) {
        cli_error("up takes at most one TARGET version");
        return EXIT_USAGE;
    }
    if (cli_refuse_read_only(cli, "up"))
        return EXIT_USAGE;
    MigDir dir;
    bool loaded;
    int rc = cli_load_migrations(cli, true, &dir, &loaded);
    if (rc != EXIT_OK)
        return rc;
    DbConn *conn;
    rc = cli_connect(cli, true, &conn);
    if (rc != EXIT_OK) {
        migrate_dir_free(&dir);
        return rc;
    }
    UpReport rep = { cli->json, json_array() };
    MigProgress prog = { NULL, up_done, &rep };
    size_t n = 0;
    DbError err = DB_ERROR_INIT;
    int failed = migrate_up(conn, &dir, cli->argc ? cli->argv[0] : NULL, &prog, &n, &err);
    MigStatus st;
    DbError e2 = DB_ERROR_INIT;
    bool have = migrate_status(conn, &dir, &st, &e2) == 0;
    db_error_clear(&e2);
    const char *cur = have && st.current ? st.current : NULL;
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "applied", rep.applied);
        json_object_set_new(o, "current", versions_json(cur));
        json_object_set_new(o, "pending", json_integer(have ? (json_int_t)st.pending : -1));
        json_object_set_new(o, "error", failed ? json_text(err.message) : json_null());
        json_emit(o);
        rep.applied = NULL;
    } else if (!failed) {
        if (n == 0)
            printf("nothing to apply; the database is at %s\n", cur ? cur : "(no version)");
        else
            printf("%zu migration%s applied; the database is at %s\n", n, n == 1 ? "" : "s",
                   cur ? cur : "(no version)");
    }
    json_decref(rep.applied);
    if (failed) {
        rc = cli_fail(&err);
        cli_error("the database is still at %s", cur ? cur : "no version");
    }
    if (have)
        migrate_status_free(&st);
    migrate_dir_free(&dir);
    db_close(conn);
    return rc;
}
