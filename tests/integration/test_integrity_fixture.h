/* test_integrity_fixture.h: what the integrity tests share: a session on a
 * fresh database with settings of the test's own, a connection that loads
 * rows past the foreign keys (SQLite: foreign keys off, as SQLite opens;
 * PostgreSQL: the superuser with session_replication_role = replica),
 * and a few readers. */
#ifndef DBW_TEST_INTEGRITY_FIXTURE_H
#define DBW_TEST_INTEGRITY_FIXTURE_H

#include "integrity.h"
#include "itest.h"
#include "session.h"
#include "strbuf.h"
#include "test.h"

static DbEngine engine;

/* The schema every check id names: main on SQLite, public on PostgreSQL. */
static inline const char *fx_schema(void)
{
    return engine == DB_ENGINE_POSTGRES ? "public" : "main";
}

/* A session on url with ini (the configuration's text, may be "") and a
 * connection. */
static inline void fx_session(Session *s, const char *url, const char *name, const char *ini,
                       bool read_only)
{
    char *path = xasprintf("it_%s.ini", name);
    FILE *f = fopen(path, "w");
    fputs(ini, f);
    fclose(f);
    SessionOptions o = { .config_path = path, .db_url = url, .read_only = read_only };
    DbError err = DB_ERROR_INIT;
    if (session_init(s, &o, &err) != 0 || session_connect(s, !read_only, &err) != 0) {
        fprintf(stderr, "fx_session: %s\n", err.message);
        exit(1);
    }
    free(path);
}

/* A connection that writes past the foreign keys. */
static inline DbConn *fx_loader(const char *url, const char *name)
{
    if (engine == DB_ENGINE_SQLITE)
        return itest_open(url);
    char *admin = xasprintf("postgresql://postgres@/it_%s?host=%s&port=%s", name,
                            getenv("DBW_PG_HOST"), getenv("DBW_PG_PORT"));
    DbConn *c = itest_open(admin);
    free(admin);
    DbError err = DB_ERROR_INIT;
    if (db_exec(c, "t", "SET session_replication_role = replica", NULL, &err) != 0) {
        fprintf(stderr, "fx_loader: %s\n", err.message);
        exit(1);
    }
    return c;
}

static inline void fx_exec(DbConn *c, const char *sql)
{
    DbError err = DB_ERROR_INIT;
    size_t at = 0;
    if (db_exec_script(c, "test", sql, &at, &err) != 0) {
        fprintf(stderr, "fx_exec: %s\n  at: %.120s\n", err.message, sql + at);
        exit(1);
    }
}

/* The first value of sql, as text ("" for none or NULL); caller frees. */
static inline char *fx_value(DbConn *c, const char *sql)
{
    char *v = NULL;
    DbError err = DB_ERROR_INIT;
    if (db_query_value(c, "test", sql, NULL, &v, &err) != 0) {
        fprintf(stderr, "fx_value: %s\n  in: %s\n", err.message, sql);
        db_error_clear(&err);
    }
    return v ? v : xstrdup("");
}

/* "fk:main.orders(user_id)->main.users(id)" for the test's schema. */
static inline char *fx_rel_id(const char *kind, const char *child, const char *cols,
                       const char *parent, const char *pcols)
{
    return xasprintf("%s:%s.%s(%s)->%s.%s(%s)", kind, fx_schema(), child, cols, fx_schema(),
                     parent, pcols);
}

/* Runs every check (o may be NULL) on s; the caller frees *l. */
static inline void fx_run(Session *s, const IntegrityOptions *o, IntegrityList *l)
{
    DbError err = DB_ERROR_INIT;
    if (integrity_run(s->conn, s, o, NULL, l, &err) != 0) {
        fprintf(stderr, "fx_run: %s\n", err.message);
        db_error_clear(&err);
        CHECK(0);
    }
}

/* The check of that id, or NULL (says so). */
static inline const IntegrityCheck *fx_find(const IntegrityList *l, const char *id)
{
    const IntegrityCheck *ck = integrity_find(l, id);
    if (!ck)
        fprintf(stderr, "no check %s\n", id);
    return ck;
}

/* Every row of table (its columns cols, "a, b"; and SQLite's rowid), in
 * order, as one text: to compare before and after. */
static inline char *fx_dump(DbConn *c, const char *table, const char *cols, const char *order)
{
    StrBuf e = STRBUF_INIT;
    if (engine == DB_ENGINE_POSTGRES) {
        sb_appendf(&e, "SELECT coalesce(string_agg(ROW(%s)::text, '|' ORDER BY %s), '') "
                   "FROM %s", cols, order, table);
    } else {
        sb_append(&e, "SELECT coalesce(group_concat(r, '|'), '') FROM (SELECT quote(rowid)");
        char *copy = xstrdup(cols);
        for (char *save = NULL, *w = strtok_r(copy, ", ", &save); w;
             w = strtok_r(NULL, ", ", &save))
            sb_appendf(&e, " || ',' || quote(%s)", w);
        free(copy);
        sb_appendf(&e, " AS r FROM %s ORDER BY %s)", table, order);
    }
    char *v = fx_value(c, sb_str(&e));
    sb_free(&e);
    return v;
}

#endif
