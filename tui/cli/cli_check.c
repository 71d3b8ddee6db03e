/* cli_check.c: dbwarden check: the checks, text or JSON, and the rows of
 * one check (see cli_check.h). */
#include "cli_check.h"
#include "cli_interrupt.h"
#include "format.h"
#include "integrity_rows.h"
#include "json_out.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows shown by check rows unless --limit says otherwise. */
#define ROWS_DEFAULT_LIMIT 1000
/* Widest id the text output aligns (longer ones push the message right). */
#define ID_WIDTH_MAX 64

const CliCmdOption cli_check_options[] = {
    { "only", true },    { "table", true },    { "fail-on", true }, { "full", false },
    { "csv", false },    { "limit", true },    { "delete", false }, { "set-null", false },
    { "migration", false }, { "actor", true },  { NULL, false },
};

const char *cli_check_opt(const Cli *cli, const char *name, bool *given)
{
    const char *v = NULL;
    bool seen = false;
    for (size_t i = 0; i < cli->ncmd_opts; i++)
        if (strcmp(cli->cmd_opts[i].name, name) == 0) {
            seen = true;
            v = cli->cmd_opts[i].value;
        }
    if (given)
        *given = seen;
    return v;
}

/* Options given that this form of check does not take. */
static int only_options(const Cli *cli, const char *form, const char *const *allowed)
{
    for (size_t i = 0; i < cli->ncmd_opts; i++) {
        bool ok = false;
        for (size_t k = 0; allowed[k] && !ok; k++)
            ok = strcmp(cli->cmd_opts[i].name, allowed[k]) == 0;
        if (!ok) {
            cli_error("check%s%s does not take --%s (see README: dbwarden check)", *form ? " " : "",
                      form, cli->cmd_opts[i].name);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* ---- check: the options -------------------------------------------------- */

typedef struct RunArgs {
    IntegrityOptions o;
    int              fail_rank;   /* integrity_state_rank at or above which: exit 1 */
    const char      *fail_on;
} RunArgs;

static int parse_groups(const char *list, unsigned *groups)
{
    char *copy = xstrdup(list);
    int rc = EXIT_OK;
    for (char *save = NULL, *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        int g = integrity_group_parse(w);
        if (g < 0) {
            cli_error("--only %s: use orphans, inferred, lints or engine", w);
            rc = EXIT_USAGE;
            break;
        }
        *groups |= 1u << g;
    }
    free(copy);
    return rc;
}

static int run_args(const Cli *cli, RunArgs *a)
{
    static const char *const allowed[] = { "only", "table", "fail-on", "full", NULL };
    memset(a, 0, sizeof *a);
    if (only_options(cli, "", allowed) != EXIT_OK)
        return EXIT_USAGE;
    for (size_t i = 0; i < cli->ncmd_opts; i++)
        if (strcmp(cli->cmd_opts[i].name, "only") == 0 &&
            parse_groups(cli->cmd_opts[i].value, &a->o.groups) != EXIT_OK)
            return EXIT_USAGE;
    a->o.table_rx = cli_check_opt(cli, "table", NULL);
    cli_check_opt(cli, "full", &a->o.full);
    a->fail_on = cli_check_opt(cli, "fail-on", NULL);
    if (!a->fail_on)
        a->fail_on = "problem";
    if (strcmp(a->fail_on, "problem") != 0 && strcmp(a->fail_on, "warning") != 0) {
        cli_error("--fail-on %s: use warning or problem", a->fail_on);
        return EXIT_USAGE;
    }
    a->fail_rank = integrity_state_rank(strcmp(a->fail_on, "warning") == 0 ? IS_WARNING
                                                                          : IS_PROBLEM);
    return EXIT_OK;
}

/* ---- check: text ------------------------------------------------------------ */

static const IntegrityList *sort_list;

static int cmp_shown(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int d = integrity_state_order(sort_list->checks[i].state) -
            integrity_state_order(sort_list->checks[j].state);
    return d ? d : (i < j ? -1 : i > j);
}

static void count_text(const IntegrityCheck *ck, char *buf, size_t size)
{
    if (ck->count < 0)
        snprintf(buf, size, "-");
    else if (ck->kind == IK_SEQUENCE_CAPACITY || ck->kind == IK_KEY_CAPACITY)
        snprintf(buf, size, "%lld%%", ck->count);
    else
        snprintf(buf, size, "%lld", ck->count);
}

static void print_text(const IntegrityList *l, double secs)
{
    size_t *order = xcalloc(l->count + 1, sizeof *order);
    int width = 10;
    for (size_t i = 0; i < l->count; i++) {
        order[i] = i;
        int w = (int)strlen(fmt_esc(l->checks[i].id));
        if (w > width)
            width = w > ID_WIDTH_MAX ? ID_WIDTH_MAX : w;
    }
    sort_list = l;
    qsort(order, l->count, sizeof *order, cmp_shown);
    for (size_t k = 0; k < l->count; k++) {
        const IntegrityCheck *ck = &l->checks[order[k]];
        char count[32], ms[32];
        count_text(ck, count, sizeof count);
        if (ck->ms >= 0)
            snprintf(ms, sizeof ms, "%ld ms", ck->ms);
        else
            snprintf(ms, sizeof ms, "-");
        printf("%-9s %9s %9s  %-*s  %s", integrity_state_name(ck->state), count, ms, width,
               fmt_esc(ck->id), fmt_esc(ck->message ? ck->message : ""));
        if (ck->accepted)
            printf(" (accepted at %lld by %s: %s)", ck->accepted_count, fmt_esc(ck->accepted_by),
                   fmt_esc(ck->accepted_reason));
        putchar('\n');
    }
    IntegritySummary sum;
    integrity_summarize(l, &sum);
    char *text = integrity_summary_text(&sum);
    printf("%s in %.1f s\n", text, secs);
    free(text);
    free(order);
}

/* ---- check: JSON -------------------------------------------------------------- */

static json_t *names_json(char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_text(v[i]));
    return a;
}

static json_t *table_json(const char *schema, const char *name)
{
    if (!name)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_text(schema));
    json_object_set_new(o, "name", json_text(name));
    return o;
}

static json_t *count_json(long long n)
{
    return n >= 0 ? json_integer(n) : json_null();
}

static json_t *check_json(const IntegrityCheck *ck)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_text(ck->id));
    json_object_set_new(o, "kind", json_text(integrity_kind_name(ck->kind)));
    json_object_set_new(o, "group", json_text(integrity_group_name(ck->group)));
    json_object_set_new(o, "table", table_json(ck->schema, ck->table));
    json_object_set_new(o, "columns", names_json(ck->columns, ck->ncolumns));
    json_t *ref = json_null();
    if (ck->ref_table) {
        ref = json_object();
        json_object_set_new(ref, "table", table_json(ck->ref_schema, ck->ref_table));
        json_object_set_new(ref, "columns", names_json(ck->ref_columns, ck->nref_columns));
    }
    json_object_set_new(o, "references", ref);
    json_object_set_new(o, "object", json_text(ck->object));
    json_object_set_new(o, "inferred", json_boolean(ck->inferred));
    json_object_set_new(o, "validated", ck->group == IG_ORPHANS ? json_boolean(ck->validated)
                                                                 : json_null());
    json_object_set_new(o, "state", json_text(integrity_state_name(ck->state)));
    json_object_set_new(o, "count", count_json(ck->count));
    json_object_set_new(o, "distinct_keys", count_json(ck->distinct_keys));
    json_object_set_new(o, "rows", count_json(ck->rows));
    json_object_set_new(o, "ms", ck->ms >= 0 ? json_integer(ck->ms) : json_null());
    json_object_set_new(o, "message", json_text(ck->message));
    json_object_set_new(o, "why", json_text(ck->why));
    json_object_set_new(o, "fix_sql", json_text(ck->fix_sql));
    json_t *acc = json_null();
    if (ck->accepted) {
        acc = json_object();
        json_object_set_new(acc, "count", json_integer(ck->accepted_count));
        json_object_set_new(acc, "reason", json_text(ck->accepted_reason));
        json_object_set_new(acc, "by", json_text(ck->accepted_by));
        json_object_set_new(acc, "at", json_text(ck->accepted_at));
    }
    json_object_set_new(o, "acceptance", acc);
    return o;
}

static void print_json(const IntegrityList *l, DbConn *conn, const RunArgs *a, int status)
{
    json_t *checks = json_array();
    for (size_t i = 0; i < l->count; i++)
        json_array_append_new(checks, check_json(&l->checks[i]));
    IntegritySummary sum;
    integrity_summarize(l, &sum);
    json_t *s = json_object();
    json_object_set_new(s, "total", json_integer((json_int_t)sum.total));
    for (int st = IS_PENDING; st <= IS_CANCELLED; st++)
        json_object_set_new(s, integrity_state_name((IntegrityState)st),
                            json_integer((json_int_t)sum.by_state[st]));
    json_object_set_new(s, "ms", json_integer(l->ms));
    json_object_set_new(s, "fail_on", json_text(a->fail_on));
    json_object_set_new(s, "exit_status", json_integer(status));
    json_t *root = json_object();
    json_object_set_new(root, "database", json_text(db_display_url(conn)));
    json_object_set_new(root, "engine", json_text(db_engine_name(db_engine(conn))));
    json_object_set_new(root, "checks", checks);
    json_object_set_new(root, "summary", s);
    json_emit(root);
}

static bool run_cancelled(void *ctx)
{
    (void)ctx;
    return cli_interrupted();
}

static int check_run(Cli *cli)
{
    RunArgs a;
    if (cli->argc != 0) {
        cli_error("unknown check form '%s': check, check rows, fix, accept or unaccept",
                  cli->argv[0]);
        return EXIT_USAGE;
    }
    if (run_args(cli, &a) != EXIT_OK)
        return EXIT_USAGE;
    DbConn *conn = NULL;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    IntegrityHooks hooks = { NULL, NULL, run_cancelled, NULL };
    IntegrityList l;
    DbError err = DB_ERROR_INIT;
    cli_interrupt_begin(conn);
    int failed = integrity_run(conn, &cli->session, &a.o, &hooks, &l, &err);
    bool stopped = cli_interrupt_end();
    if (failed && l.count == 0) {
        rc = cli_fail(&err);
    } else {
        rc = EXIT_OK;
        for (size_t i = 0; i < l.count; i++)
            if (integrity_state_rank(l.checks[i].state) >= a.fail_rank)
                rc = EXIT_PROBLEMS;
        if (failed || stopped)
            rc = EXIT_PROBLEMS;
        if (cli->json)
            print_json(&l, conn, &a, rc);
        else
            print_text(&l, (double)l.ms / 1000.0);
        if (failed)
            cli_fail(&err);
        else if (stopped)
            cli_error("stopped by a signal: the checks not run are cancelled");
    }
    integrity_list_free(&l);
    db_close(conn);
    return rc;
}

/* ---- check rows ------------------------------------------------------------------ */

/* A page as aligned text: each column as wide as its widest value (at
 * most 40), NULL as NULL. */
static void print_page(const IntegrityRowsPage *p, size_t n, bool header)
{
    int *w = xcalloc((size_t)p->ncols + 1, sizeof *w);
    for (int c = 0; c < p->ncols; c++) {
        w[c] = (int)strlen(fmt_esc(p->names[c]));
        for (size_t r = 0; r < n; r++) {
            const RowsCell *cell = integrity_rows_cell(p, r, c);
            int len = (int)strlen(cell->null ? "NULL" : fmt_esc(cell->text));
            if (len > w[c])
                w[c] = len;
        }
        if (w[c] > 40)
            w[c] = 40;
    }
    for (int c = 0; header && c < p->ncols; c++)
        printf("%s%-*s", c ? "  " : "", w[c], fmt_esc(p->names[c]));
    if (header)
        putchar('\n');
    for (size_t r = 0; r < n; r++) {
        for (int c = 0; c < p->ncols; c++) {
            const RowsCell *cell = integrity_rows_cell(p, r, c);
            printf("%s%-*s", c ? "  " : "", w[c], cell->null ? "NULL" : fmt_esc(cell->text));
        }
        putchar('\n');
    }
    free(w);
}

static int rows_text(DbConn *conn, const IntegrityCheck *ck, long limit, DbError *err)
{
    IntegrityRowsCursor *cur = NULL;
    long page = limit > 0 && limit < 1000 ? limit : 1000;
    if (integrity_rows_open(&cur, conn, ck, (int)page, err) != 0)
        return -1;
    printf("orphan rows of %s.%s (key %s", fmt_esc(ck->schema), fmt_esc(ck->table),
           fmt_esc(ck->columns[0]));
    for (size_t i = 1; i < ck->ncolumns; i++)
        printf(", %s", fmt_esc(ck->columns[i]));
    printf(") pointing at missing %s rows, by key:\n", fmt_esc(ck->ref_table));
    const IntegrityRowsPage *p = NULL;
    long shown = 0;
    bool more = false;
    int rc;
    while ((rc = integrity_rows_next(cur, &p, err)) == 0 && p->nrows > 0) {
        size_t n = p->nrows;
        if (limit > 0 && shown + (long)n > limit)
            n = (size_t)(limit - shown);
        print_page(p, n, shown == 0);
        shown += (long)n;
        if (limit > 0 && shown >= limit) {
            more = p->more || n < p->nrows;
            break;
        }
    }
    if (rc == 0)
        printf("%ld row%s%s\n", shown, shown == 1 ? "" : "s",
               more ? " (more: --limit N, or --limit 0 for all)" : "");
    integrity_rows_close(cur);
    return rc;
}

/* CSV or JSON, written whole to a temporary file first so that a failure
 * half way prints nothing but the error. */
static int rows_export(DbConn *conn, const IntegrityCheck *ck, IntegrityFormat fmt, long limit,
                       DbError *err)
{
    FILE *tmp = tmpfile();
    if (!tmp) {
        db_error_set(err, DB_ERR_IO, "cannot make a temporary file for the rows");
        return -1;
    }
    long long n = 0;
    int rc = integrity_export(conn, ck, fmt, tmp, limit, &n, err);
    if (rc == 0) {
        rewind(tmp);
        char buf[65536];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, tmp)) > 0)
            fwrite(buf, 1, got, stdout);
        fflush(stdout);
    }
    fclose(tmp);
    return rc;
}

static int check_rows(Cli *cli, const char *id)
{
    static const char *const allowed[] = { "csv", "limit", NULL };
    if (only_options(cli, "rows", allowed) != EXIT_OK)
        return EXIT_USAGE;
    bool csv = false;
    cli_check_opt(cli, "csv", &csv);
    const char *lim = cli_check_opt(cli, "limit", NULL);
    char *end = NULL;
    long limit = lim ? strtol(lim, &end, 10) : ROWS_DEFAULT_LIMIT;
    if (lim && (end == lim || *end || limit < 0)) {
        cli_error("--limit %s: give a number of rows (0: all)", lim);
        return EXIT_USAGE;
    }
    if (csv && cli->json) {
        cli_error("check rows: --csv or --json, not both");
        return EXIT_USAGE;
    }
    DbConn *conn = NULL;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    Catalog *cat = NULL;
    IntegrityList l;
    DbError err = DB_ERROR_INIT;
    cli_interrupt_begin(conn);
    int failed = integrity_lookup(conn, &cli->session, id, &cat, &l, &err);
    if (!failed) {
        failed = csv || cli->json
                     ? rows_export(conn, &l.checks[0], csv ? INTEGRITY_CSV : INTEGRITY_JSON,
                                   limit, &err)
                     : rows_text(conn, &l.checks[0], limit, &err);
        integrity_list_free(&l);
    }
    cli_interrupt_end();
    rc = failed ? cli_fail(&err) : EXIT_OK;
    catalog_free(cat);
    db_close(conn);
    return rc;
}

/* ---- dispatch ---------------------------------------------------------------------- */

int cli_cmd_check(Cli *cli)
{
    static const char *const forms[] = { "rows", "fix", "accept", "unaccept", NULL };
    const char *form = cli->argc > 0 ? cli->argv[0] : NULL;
    bool known = false;
    for (size_t i = 0; form && forms[i]; i++)
        known |= strcmp(form, forms[i]) == 0;
    if (!known)
        return check_run(cli);
    if (cli->argc != 2) {
        cli_error("usage: dbwarden check %s ID (ids: dbwarden check --json)", form);
        return EXIT_USAGE;
    }
    const char *id = cli->argv[1];
    if (strcmp(form, "rows") == 0)
        return check_rows(cli, id);
    if (strcmp(form, "fix") == 0)
        return cli_check_fix(cli, id);
    if (strcmp(form, "accept") == 0)
        return cli_check_accept(cli, id);
    return cli_check_unaccept(cli, id);
}
