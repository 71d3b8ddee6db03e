/* test_billing_fixture.h: sessions on fresh databases for the licenses
 * tests, the reference schema applied, and SQL with dates relative to the
 * database's clock written once for both engines:
 *   {T-10}  a timestamp 10 days ago     {T+30}  30 days ahead
 *   {D-10}  a date 10 days ago          {D+10}  10 days ahead
 *   {ID}    an auto-numbered primary key column type
 *   {TS}    a timestamp column type     {DATE} a date column type */
#ifndef DBW_TEST_BILLING_FIXTURE_H
#define DBW_TEST_BILLING_FIXTURE_H

#include "billing.h"
#include "itest.h"
#include "migrate.h"
#include "session.h"
#include "strbuf.h"
#include "test.h"

static DbEngine engine;

/* The template with its {…} written for the engine; caller frees. */
static inline char *fx_sql(const char *tmpl)
{
    bool pg = engine == DB_ENGINE_POSTGRES;
    StrBuf sb = STRBUF_INIT;
    for (const char *p = tmpl; *p;) {
        int days = 0;
        char kind = 0, sign = 0;
        int used = 0;
        if (sscanf(p, "{%c%c%d}%n", &kind, &sign, &days, &used) == 3 && used > 0 &&
            (kind == 'T' || kind == 'D') && (sign == '-' || sign == '+')) {
            if (kind == 'T')
                sb_appendf(&sb, pg ? "(now() %c interval '%d days')"
                                   : "datetime('now', '%c%d days')", sign, days);
            else
                sb_appendf(&sb, pg ? "(CURRENT_DATE %c %d)" : "date('now', '%c%d days')", sign,
                           days);
            p += used;
        } else if (strncmp(p, "{ID}", 4) == 0) {
            sb_append(&sb, pg ? "serial PRIMARY KEY" : "INTEGER PRIMARY KEY");
            p += 4;
        } else if (strncmp(p, "{TS}", 4) == 0) {
            sb_append(&sb, pg ? "timestamptz" : "TEXT");
            p += 4;
        } else if (strncmp(p, "{DATE}", 6) == 0) {
            sb_append(&sb, pg ? "date" : "TEXT");
            p += 6;
        } else {
            sb_appendc(&sb, *p++);
        }
    }
    return sb_take(&sb);
}

/* Runs the statements of tmpl (a script); a failure fails the test. */
static inline void fx(DbConn *c, const char *tmpl)
{
    char *sql = fx_sql(tmpl);
    DbError err = DB_ERROR_INIT;
    size_t at = 0;
    if (db_exec_script(c, "fixture", sql, &at, &err) != 0) {
        fprintf(stderr, "fixture failed: %s\n  at: %.200s\n", err.message, sql + at);
        CHECK(0);
    }
    db_error_clear(&err);
    free(sql);
}

/* The first value of a query (caller frees), or NULL. */
static inline char *fx_value(DbConn *c, const char *sql)
{
    char *v = NULL;
    DbError err = DB_ERROR_INIT;
    if (db_query_value(c, "fixture", sql, NULL, &v, &err) != 0) {
        fprintf(stderr, "query failed: %s\n  %s\n", err.message, sql);
        CHECK(0);
    }
    db_error_clear(&err);
    return v;
}

/* A session on a fresh database, with this [billing] (and more) in its
 * configuration; read_only opens it read-only. */
static inline void fx_session(Session *s, const char *name, const char *ini_text, bool read_only)
{
    char *ini = xasprintf("bill_%s_%s.ini", name, engine == DB_ENGINE_POSTGRES ? "pg" : "sq");
    FILE *f = fopen(ini, "w");
    fputs(ini_text ? ini_text : "", f);
    fputs("\n[database]\nlock_wait = 1s\n", f);
    fclose(f);
    char *url = itest_url(engine, name);
    if (read_only) {   /* the file must exist to be opened read-only */
        DbConn *c = itest_open(url);
        db_close(c);
    }
    SessionOptions o = { .config_path = ini, .db_url = url, .read_only = read_only };
    DbError err = DB_ERROR_INIT;
    CHECK(session_init(s, &o, &err) == 0);
    CHECK(session_connect(s, true, &err) == 0);
    if (err.message)
        fprintf(stderr, "session: %s\n", err.message);
    db_error_clear(&err);
    free(url);
    free(ini);
}

/* Applies the reference schema (migrations/<engine>). */
static inline void fx_reference_schema(DbConn *c)
{
    char *dir = xasprintf("%s/migrations/%s", getenv("DBW_SRC"),
                          engine == DB_ENGINE_POSTGRES ? "postgres" : "sqlite");
    MigDir d;
    DbError err = DB_ERROR_INIT;
    CHECK(migrate_load_dir(&d, dir, &err) == 0);
    CHECK(migrate_up(c, &d, NULL, NULL, NULL, &err) == 0);
    if (err.message)
        fprintf(stderr, "migrations: %s\n", err.message);
    db_error_clear(&err);
    migrate_dir_free(&d);
    free(dir);
}

/* The anomaly of that kind (and table, when several have the kind). */
static inline const BillAnomaly *fx_anomaly(const BillModel *m, const char *kind,
                                            const char *table)
{
    for (size_t i = 0; i < m->nanomalies; i++)
        if (strcmp(m->anomalies[i].kind, kind) == 0 &&
            (!table || strcmp(m->anomalies[i].table, table) == 0))
            return &m->anomalies[i];
    return NULL;
}

static inline long long fx_count(const BillModel *m, const char *kind, const char *table)
{
    const BillAnomaly *a = fx_anomaly(m, kind, table);
    return a ? a->count : -1;
}

static inline long long fx_state(const BillSide *s, const char *state)
{
    for (size_t i = 0; i < s->nstates; i++)
        if (strcmp(s->by_state[i].key, state) == 0)
            return s->by_state[i].n;
    return -1;
}

/* The why code for who ("?" on failure). */
static inline const char *fx_why(Session *s, const char *who)
{
    BillWhy w;
    DbError err = DB_ERROR_INIT;
    const char *code = "?";
    if (billing_why(s, s->conn, who, &w, &err) == 0)
        code = billing_why_code_name(w.code);
    else
        fprintf(stderr, "why %s: %s\n", who, err.message);
    db_error_clear(&err);
    billing_why_free(&w);
    return code;
}

#endif
