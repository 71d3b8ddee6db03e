/* migrate_sql.c: the exact SQL a plan runs, for dry runs and
 * confirmations (see migrate.h). */
#include "migrate_internal.h"
#include "escape.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sb_literal(StrBuf *b, const char *v)
{
    sb_appendc(b, '\'');
    for (; *v; v++) {
        if (*v == '\'')
            sb_appendc(b, '\'');
        sb_appendc(b, *v);
    }
    sb_appendc(b, '\'');
}

/* Appends sql with $n replaced by the literals of vals (for display). */
static void sb_bound(StrBuf *b, const char *sql, const char *const *vals, int n)
{
    for (const char *p = sql; *p; p++) {
        if (*p == '$' && isdigit((unsigned char)p[1])) {
            int i = atoi(p + 1);
            if (i >= 1 && i <= n) {
                sb_literal(b, vals[i - 1]);
                while (isdigit((unsigned char)p[1]))
                    p++;
                continue;
            }
        }
        sb_appendc(b, *p);
    }
}

static const char *step_verb(MigStepKind k)
{
    switch (k) {
    case MIG_STEP_UP: return "up";
    case MIG_STEP_DOWN: return "down";
    case MIG_STEP_RECORD: return "stamp: record";
    case MIG_STEP_FORGET: return "stamp: forget";
    }
    return "";
}

/* Appends "-- text" and a line break, text escaped (core/escape.h):
 * nothing in it (a name, a path) can end the comment. */
static void sb_comment(StrBuf *b, const char *text)
{
    sb_append(b, "-- ");
    esc_append_str(b, text, 0);
    sb_appendc(b, '\n');
}

/* The bookkeeping of step s, with values as literals. */
static void sb_bookkeeping(StrBuf *b, const MigStep *s, const char *who, bool failures)
{
    const char *vals[5] = { s->version, s->name, s->file ? s->file->checksum : "", "0", who };
    if (s->kind == MIG_STEP_UP || s->kind == MIG_STEP_RECORD)
        sb_bound(b, migrate_record_sql, vals, 5);
    else
        sb_bound(b, migrate_forget_sql, vals, 1);
    sb_append(b, ";\n");
    if (failures && (s->kind == MIG_STEP_RECORD || s->kind == MIG_STEP_FORGET)) {
        sb_bound(b, migrate_clear_failure_sql, vals, 1);
        sb_append(b, ";\n");
    }
}

char *migrate_plan_sql(DbConn *c, const MigPlan *plan)
{
    StrBuf b = STRBUF_INIT;
    char *who = migrate_who_applies();
    bool sqlite = db_engine(c) == DB_ENGINE_SQLITE;
    bool failures = false;
    DbError e = DB_ERROR_INIT;
    if (db_table_exists(c, MIGRATE_FAILURES_TABLE, &failures, &e) != 0)
        db_error_clear(&e);
    char *on = xasprintf("on %s", db_display_url(c));
    sb_comment(&b, plan->summary ? plan->summary : "");
    sb_comment(&b, on);
    free(on);
    sb_appendf(&b, "%s;\n", migrate_create_table_sql(db_engine(c)));
    for (size_t i = 0; i < plan->count; i++) {
        const MigStep *s = &plan->steps[i];
        const MigSection *sec = migrate_step_section(s);
        bool tx = migrate_step_in_transaction(s);
        char *head = xasprintf("%s %s_%s%s", step_verb(s->kind), s->version, s->name,
                               tx ? "" : " (outside a transaction)");
        sb_appendc(&b, '\n');
        sb_comment(&b, head);
        free(head);
        if (tx)
            sb_append(&b, sqlite ? "BEGIN IMMEDIATE;\n" : "BEGIN;\n");
        if (sec) {
            sb_append(&b, sec->sql);
            if (b.len && b.s[b.len - 1] != '\n')
                sb_appendc(&b, '\n');
        }
        sb_bookkeeping(&b, s, who, failures);
        if (tx)
            sb_append(&b, "COMMIT;\n");
    }
    free(who);
    return sb_take(&b);
}

