/* cli_licenses.c: dbwarden licenses, and licenses set (see
 * cli_licenses.h); why and user are in cli_licenses_user.c. */
#include "cli_licenses.h"
#include "billing.h"
#include "cli_action.h"
#include "format.h"
#include "json_out.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- printers ---------------------------------------------------------------- */

#define CELL_MAX 40

/* s escaped and cut to CELL_MAX bytes (at a character's start), in buf. */
static const char *cell_text(const char *s, char *buf, size_t size)
{
    const char *e = s ? fmt_esc(s) : "NULL";
    size_t n = strlen(e);
    if (n <= CELL_MAX) {
        snprintf(buf, size, "%s", e);
        return buf;
    }
    n = CELL_MAX - 1;
    while (n > 0 && ((unsigned char)e[n] & 0xc0) == 0x80)
        n--;
    snprintf(buf, size, "%.*s…", (int)n, e);
    return buf;
}

void cli_bill_table(const BillTable *t, size_t max, const char *indent)
{
    if (t->nrows == 0 || t->ncols == 0)
        return;
    size_t rows = t->nrows < max ? t->nrows : max;
    int *w = xcalloc((size_t)t->ncols, sizeof *w);
    char buf[CELL_MAX * 4 + 8];
    for (int c = 0; c < t->ncols; c++) {
        w[c] = (int)strlen(cell_text(t->names[c], buf, sizeof buf));
        for (size_t r = 0; r < rows; r++) {
            int len = (int)strlen(cell_text(bill_cell(t, r, c), buf, sizeof buf));
            w[c] = len > w[c] ? len : w[c];
        }
    }
    for (size_t r = 0; r <= rows; r++) {   /* the names, then the rows */
        printf("%s", indent);
        for (int c = 0; c < t->ncols; c++) {
            const char *v = cell_text(r ? bill_cell(t, r - 1, c) : t->names[c], buf, sizeof buf);
            if (c + 1 < t->ncols)
                printf("%-*s  ", w[c], v);
            else
                printf("%s\n", v);
        }
    }
    if (t->nrows > rows || t->truncated)
        printf("%s… and more (%zu shown)\n", indent, rows);
    free(w);
}

json_t *cli_bill_rows_json(const BillTable *t)
{
    json_t *arr = json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *o = json_object();
        for (int c = 0; c < t->ncols; c++)
            json_object_set_new(o, t->names[c], json_text(bill_cell(t, r, c)));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* ---- dbwarden licenses ----------------------------------------------------------- */

static json_t *counts_json(const BillCount *v, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(o, v[i].key, json_integer(v[i].n));
    return o;
}

static json_t *side_json(const BillSide *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "table", json_text(s->table));
    json_object_set_new(o, "total", json_integer(s->total));
    json_object_set_new(o, "by_state", counts_json(s->by_state, s->nstates));
    json_object_set_new(o, "by_plan", counts_json(s->by_plan, s->nplans));
    return o;
}

static void print_json(const BillModel *m)
{
    json_t *root = json_object();
    json_object_set_new(root, "subscriptions", side_json(&m->subscriptions));
    json_object_set_new(root, "licenses", side_json(&m->licenses));
    json_t *arr = json_array();
    for (size_t i = 0; i < m->nanomalies; i++) {
        const BillAnomaly *a = &m->anomalies[i];
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_text(a->kind));
        json_object_set_new(o, "count", json_integer(a->count));
        json_object_set_new(o, "message", json_text(a->message));
        json_object_set_new(o, "table", json_text(a->table));
        json_object_set_new(o, "rows", cli_bill_rows_json(&a->rows));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "anomalies", arr);
    json_t *tr = json_array();
    for (size_t i = 0; i < m->ntransitions; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "from", json_text(m->transitions[i].from));
        json_object_set_new(o, "to", json_text(m->transitions[i].to));
        json_array_append_new(tr, o);
    }
    json_object_set_new(root, "transitions", tr);
    json_emit(root);
}

static void print_side(const char *what, const char *plans, const BillSide *s)
{
    printf("%s (table %s): %lld\n", what, fmt_esc(s->table), s->total);
    long long max = 1;
    int kw = 8;
    for (size_t i = 0; i < s->nstates; i++) {
        max = s->by_state[i].n > max ? s->by_state[i].n : max;
        int len = (int)strlen(fmt_esc(s->by_state[i].key));
        kw = len > kw ? len : kw;
    }
    for (size_t i = 0; i < s->nstates; i++) {
        int bar = (int)(s->by_state[i].n * 30 / max);
        if (s->by_state[i].n && !bar)
            bar = 1;
        printf("  %-*s %8lld  ", kw, fmt_esc(s->by_state[i].key), s->by_state[i].n);
        for (int b = 0; b < bar; b++)
            fputs("█", stdout);
        putchar('\n');
    }
    printf("  %s:", plans);
    for (size_t i = 0; i < s->nplans; i++)
        printf("%s %s %lld", i ? "," : "", fmt_esc(s->by_plan[i].key), s->by_plan[i].n);
    printf("%s\n\n", s->nplans ? "" : " none");
}

static void print_text(const BillModel *m)
{
    print_side("subscriptions", "plans", &m->subscriptions);
    print_side("licenses", "products", &m->licenses);
    printf("transitions:");
    for (size_t i = 0; i < m->ntransitions; i++)
        printf("%s %s>%s", i ? "," : "",
               m->transitions[i].from ? fmt_esc(m->transitions[i].from) : "*",
               fmt_esc(m->transitions[i].to));
    printf("\n\n");
    size_t found = billing_anomalies_found(m);
    if (!found)
        printf("anomalies: none (%zu checks)\n", m->nanomalies);
    else
        printf("anomalies: %zu of %zu checks found some\n", found, m->nanomalies);
    for (size_t i = 0; i < m->nanomalies; i++) {
        const BillAnomaly *a = &m->anomalies[i];
        printf("%s %-28s %6lld  %s\n", a->count ? "!" : " ", a->kind, a->count,
               fmt_esc(a->message));
        if (a->count)
            cli_bill_table(&a->rows, 5, "      ");
    }
}

static int overview(Cli *cli)
{
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    BillModel m;
    DbError err = DB_ERROR_INIT;
    if (billing_load(&cli->session, conn, &m, &err) != 0) {
        rc = cli_fail(&err);
    } else {
        if (cli->json)
            print_json(&m);
        else
            print_text(&m);
        rc = billing_anomalies_found(&m) ? EXIT_PROBLEMS : EXIT_OK;
    }
    billing_model_free(&m);
    db_close(conn);
    return rc;
}

/* ---- dbwarden licenses set ---------------------------------------------------------- */

static void set_step(CliRun *r, const ActionStep *s)
{
    (void)r;
    (void)s;   /* the result says it */
}

static int set_dry_run(CliRun *r)
{
    if (r->cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "summary", json_text(r->plan.summary));
        json_object_set_new(o, "sql", json_text(r->plan.what));
        json_emit(o);
    } else {
        printf("-- %s\n", fmt_esc(r->plan.summary));
        fmt_put_sql(stdout, r->plan.what ? r->plan.what : "");
        putchar('\n');
    }
    return EXIT_OK;
}

static int set_finish(CliRun *r)
{
    if (r->failed)
        return cli_fail(&r->err);
    const BillSet *b = billing_set_of(&r->plan);
    if (r->cli->json) {
        json_t *o = json_object();
        const char *kv[][2] = {
            { "license_id", b->license_id }, { "user_id", b->user_id },
            { "product", b->product }, { "from", b->from }, { "to", b->to },
            { "actor", b->actor }, { "reason", b->reason },
            { "correlation_id", b->correlation_id }, { "event_id", b->event_id },
            { "audit_id", b->audit_id },
        };
        for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
            json_object_set_new(o, kv[i][0], json_text(kv[i][1]));
        json_emit(o);
    } else {
        printf("%s\n", fmt_esc(r->outcome));
        printf("  actor    %s\n", fmt_esc(b->actor));
        printf("  reason   %s\n", fmt_esc(b->reason));
    }
    return EXIT_OK;
}

static const CliReport set_report = { set_step, set_dry_run, set_finish, NULL };

static int set_state(Cli *cli)
{
    if (cli->argc != 3) {
        cli_error("usage: dbwarden licenses set LICENSE_ID STATE --reason TEXT [--yes]");
        return EXIT_USAGE;
    }
    if (!cli->reason || !*cli->reason) {
        cli_error("licenses set needs --reason TEXT: every transition is written with its "
                  "reason; nothing was done");
        return EXIT_USAGE;
    }
    char *arg = billing_set_arg(cli->argv[1], cli->argv[2], cli->reason, NULL);
    int rc = cli_action_run(cli, "license-set", arg, false, &set_report);
    free(arg);
    return rc;
}

int cli_cmd_licenses(Cli *cli)
{
    const char *sub = cli->argc ? cli->argv[0] : NULL;
    if (!sub)
        return overview(cli);
    if (strcmp(sub, "why") == 0 && cli->argc == 2)
        return cli_licenses_why(cli, cli->argv[1]);
    if (strcmp(sub, "user") == 0 && cli->argc == 2)
        return cli_licenses_user(cli, cli->argv[1]);
    if (strcmp(sub, "set") == 0)
        return set_state(cli);
    cli_error("usage: dbwarden licenses [why USER | user USER | set LICENSE_ID STATE "
              "--reason TEXT]");
    return EXIT_USAGE;
}
