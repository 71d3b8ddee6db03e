/* cli_licenses_user.c: dbwarden licenses why USER and licenses user USER
 * (see cli_licenses.h). */
#include "cli_licenses.h"
#include "billing.h"
#include "format.h"
#include "json_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *user_json(const BillUser *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_text(u->id));
    json_object_set_new(o, "email", json_text(u->email));
    json_object_set_new(o, "username", json_text(u->username));
    return o;
}

static json_t *why_json(const BillWhy *w)
{
    json_t *o = json_object();
    json_object_set_new(o, "user", w->found ? user_json(&w->user) : json_null());
    json_object_set_new(o, "code", json_text(billing_why_code_name(w->code)));
    json_object_set_new(o, "message", json_text(w->message));
    json_object_set_new(o, "table", json_text(w->table));
    json_object_set_new(o, "evidence", cli_bill_rows_json(&w->evidence));
    json_object_set_new(o, "evidence_truncated", json_boolean(w->evidence.truncated));
    json_t *cands = json_array();
    for (size_t i = 0; i < w->candidates.count; i++)
        json_array_append_new(cands, user_json(&w->candidates.items[i]));
    json_object_set_new(o, "candidates", cands);
    return o;
}

static void print_user(const BillUser *u)
{
    printf("user      %s <%s> (id %s)\n", fmt_esc(u->username), fmt_esc(u->email),
           fmt_esc(u->id));
}

static void print_candidates(const BillWhy *w, const char *who)
{
    if (!w->candidates.count)
        return;
    printf("users that '%s' finds as a pattern:\n", fmt_esc(who));
    for (size_t i = 0; i < w->candidates.count; i++) {
        const BillUser *u = &w->candidates.items[i];
        printf("  %s  %s <%s>\n", fmt_esc(u->id), fmt_esc(u->username), fmt_esc(u->email));
    }
    if (w->candidates.more)
        printf("  … and more\n");
}

static void print_answer(const BillWhy *w)
{
    if (w->found)
        print_user(&w->user);
    printf("answer    %s\n", billing_why_code_name(w->code));
    printf("          %s\n", fmt_esc(w->message));
}

static int why_status(const BillWhy *w)
{
    return w->code == BILL_OK ? EXIT_OK : EXIT_PROBLEMS;
}

int cli_licenses_why(Cli *cli, const char *who)
{
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    BillWhy w;
    DbError err = DB_ERROR_INIT;
    if (billing_why(&cli->session, conn, who, &w, &err) != 0) {
        rc = cli_fail(&err);
    } else if (cli->json) {
        json_emit(why_json(&w));
        rc = why_status(&w);
    } else {
        print_answer(&w);
        if (w.evidence.nrows) {
            printf("evidence  %zu row%s of %s:\n", w.evidence.nrows,
                   w.evidence.nrows == 1 ? "" : "s", fmt_esc(w.table));
            cli_bill_table(&w.evidence, 50, "  ");
        }
        print_candidates(&w, who);
        rc = why_status(&w);
    }
    billing_why_free(&w);
    db_close(conn);
    return rc;
}

static json_t *story_json(const BillStory *st)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < st->count; i++) {
        const BillEvent *e = &st->events[i];
        json_t *o = json_object();
        json_object_set_new(o, "at", json_text(e->at));
        json_object_set_new(o, "kind", json_text(e->kind));
        json_object_set_new(o, "id", json_text(e->id));
        json_object_set_new(o, "text", json_text(e->text));
        json_array_append_new(arr, o);
    }
    return arr;
}

static void print_story(const BillStory *st)
{
    printf("story     %zu entr%s, oldest first:\n", st->count, st->count == 1 ? "y" : "ies");
    for (size_t i = 0; i < st->count; i++) {
        const BillEvent *e = &st->events[i];
        printf("  %-19s  %-13s  %s\n", e->at ? fmt_esc(e->at) : "(no time)", e->kind,
               fmt_esc(e->text));
    }
}

int cli_licenses_user(Cli *cli, const char *who)
{
    DbConn *conn;
    int rc = cli_connect(cli, false, &conn);
    if (rc != EXIT_OK)
        return rc;
    BillWhy w;
    BillStory st;
    memset(&st, 0, sizeof st);
    DbError err = DB_ERROR_INIT;
    if (billing_why(&cli->session, conn, who, &w, &err) != 0 ||
        (w.found && billing_story(&cli->session, conn, who, &st, &err) != 0)) {
        rc = cli_fail(&err);
    } else if (cli->json) {
        json_t *o = why_json(&w);
        json_object_set_new(o, "story", story_json(&st));
        json_emit(o);
        rc = w.found ? EXIT_OK : EXIT_PROBLEMS;
    } else {
        print_answer(&w);
        if (w.found)
            print_story(&st);
        print_candidates(&w, who);
        rc = w.found ? EXIT_OK : EXIT_PROBLEMS;
    }
    billing_story_free(&st);
    billing_why_free(&w);
    db_close(conn);
    return rc;
}
