/* test_sqlsplit.c: splitting scripts into statements by PostgreSQL's and
 * by SQLite's rules; SQLite's splitter is checked against SQLite's own
 * sqlite3_complete() on hand-written and generated scripts. */
#include "sqlsplit.h"
#include "test.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct Case {
    const char *sql;
    size_t count;
    const char *stmts[4];
} Case;

static const Case pg_cases[] = {
    { "SELECT 1; SELECT 2;", 2, { "SELECT 1;", "SELECT 2;" } },
    { "SELECT ';' AS x; SELECT 'it''s;';", 2, { "SELECT ';' AS x;", "SELECT 'it''s;';" } },
    { "SELECT \"a;b\" FROM t;", 1, { "SELECT \"a;b\" FROM t;" } },
    { "-- c; c\nSELECT 1; /* x; /* nested; */ y; */ SELECT 2", 2, { "SELECT 1;", "SELECT 2" } },
    { "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql; SELECT 3;", 2,
      { "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;", "SELECT 3;" } },
    { "DO $body$ BEGIN PERFORM 1; END $body$; SELECT $1;", 2,
      { "DO $body$ BEGIN PERFORM 1; END $body$;", "SELECT $1;" } },
    { "SELECT E'a\\';b'; SELECT 2;", 2, { "SELECT E'a\\';b';", "SELECT 2;" } },
    { "  \n-- only comments\n/* and this */\n", 0, { NULL } },
    { ";;SELECT 1;;", 1, { "SELECT 1;" } },
    { "SELECT 'unterminated; SELECT 2;", 1, { "SELECT 'unterminated; SELECT 2;" } },
    { "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3;", 2,
      { "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;", "SELECT 3;" } },
    { "create or replace procedure p() begin atomic insert into t values (1); end; COMMIT;", 2,
      { "create or replace procedure p() begin atomic insert into t values (1); end;", "COMMIT;" } },
    { "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 4;", 2,
      { "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));", "SELECT 4;" } },
    { "CREATE TABLE t (\"begin\" int, atomic int); SELECT 6;", 2, { "CREATE TABLE t (\"begin\" int, atomic int);", "SELECT 6;" } },
    { "BEGIN; COMMIT; END;", 3, { "BEGIN;", "COMMIT;", "END;" } },
    { "SELECT 'a\\'; SELECT 2;", 2, { "SELECT 'a\\';", "SELECT 2;" } },
    /* hostile: words that only open a body in CREATE FUNCTION/PROCEDURE */
    { "SELECT 1 AS begin, 2 AS atomic; COMMIT;", 2, { "SELECT 1 AS begin, 2 AS atomic;", "COMMIT;" } },
    { "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; COMMIT;", 2,
      { "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1;", "COMMIT;" } },
    { "SELECT E'\\''; COMMIT;", 2, { "SELECT E'\\'';", "COMMIT;" } },
    { "SELECT $q$ ; COMMIT; $q$; SELECT $$x$$;", 2, { "SELECT $q$ ; COMMIT; $q$;", "SELECT $$x$$;" } },
    { "/* logs/*.gz */ COMMIT; */ SELECT 1;", 1, { "SELECT 1;" } },
    { "SELECT 1 AS [it's]; COMMIT; SELECT ']';", 1, { "SELECT 1 AS [it's]; COMMIT; SELECT ']';" } },
};

static const Case sqlite_cases[] = {
    { "SELECT 1; SELECT 2;", 2, { "SELECT 1;", "SELECT 2;" } },
    { "SELECT ';' AS x; SELECT 'it''s;';", 2, { "SELECT ';' AS x;", "SELECT 'it''s;';" } },
    /* block comments do not nest: the first closing one ends it */
    { "/* logs/*.gz */ COMMIT;", 1, { "COMMIT;" } },
    { "/* a /* b */ COMMIT; */", 2, { "COMMIT;", "*/" } },
    /* [...] and backquoted identifiers */
    { "SELECT 1 AS [it's]; COMMIT;", 2, { "SELECT 1 AS [it's];", "COMMIT;" } },
    { "SELECT [x;y] FROM t; SELECT `a;b`; END;", 3, { "SELECT [x;y] FROM t;", "SELECT `a;b`;", "END;" } },
    /* no backslash escapes, no dollar quotes */
    { "SELECT 'a\\'; COMMIT;", 2, { "SELECT 'a\\';", "COMMIT;" } },
    { "SELECT $x$; COMMIT; $x$;", 3, { "SELECT $x$;", "COMMIT;", "$x$;" } },
    { "SELECT \"a;b\" FROM t; -- c; c\nEND TRANSACTION", 2, { "SELECT \"a;b\" FROM t;", "END TRANSACTION" } },
    /* trigger bodies */
    { "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; INSERT INTO l VALUES (CASE WHEN 1 THEN 2 END); END; SELECT 5;", 2,
      { "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; INSERT INTO l VALUES (CASE WHEN 1 THEN 2 END); END;", "SELECT 5;" } },
    { "create temp trigger if not exists tr before delete on t begin select 1; end ; COMMIT;", 2,
      { "create temp trigger if not exists tr before delete on t begin select 1; end ;", "COMMIT;" } },
    { "EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; BEGIN;", 2,
      { "EXPLAIN CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;", "BEGIN;" } },
    /* not triggers: a ';' ends them */
    { "CREATE TABLE trigger (x); COMMIT;", 2, { "CREATE TABLE trigger (x);", "COMMIT;" } },
    { "CREATE FUNCTION f() BEGIN ATOMIC SELECT 1; END;", 2, { "CREATE FUNCTION f() BEGIN ATOMIC SELECT 1;", "END;" } },
    { "  \n-- only comments\n/* and this */\n;;", 0, { NULL } },
    { "SELECT 'unterminated; COMMIT;", 1, { "SELECT 'unterminated; COMMIT;" } },
};

static void check_cases(const Case *cases, size_t ncases, size_t (*split)(const char *, SqlStmt **))
{
    for (size_t i = 0; i < ncases; i++) {
        SqlStmt *s = NULL;
        size_t n = split(cases[i].sql, &s);
        CHECK(n == cases[i].count);
        if (n != cases[i].count)
            fprintf(stderr, "  case %zu: %zu statements in %s\n", i, n, cases[i].sql);
        for (size_t k = 0; k < n && k < cases[i].count && cases[i].stmts[k]; k++) {
            char buf[256];
            size_t len = s[k].end - s[k].start;
            snprintf(buf, sizeof buf, "%.*s", (int)len, cases[i].sql + s[k].start);
            CHECK_STR(buf, cases[i].stmts[k]);
        }
        free(s);
    }
}

static void test_postgres_rules(void)
{
    check_cases(pg_cases, sizeof pg_cases / sizeof pg_cases[0], sqlsplit_postgres);
}

static void test_sqlite_rules(void)
{
    check_cases(sqlite_cases, sizeof sqlite_cases / sizeof sqlite_cases[0], sqlsplit_sqlite);
    SqlStmt *s = NULL;
    CHECK(sqlsplit(DB_ENGINE_SQLITE, "/* a /* b */ COMMIT;", &s) == 1);
    free(s);
    CHECK(sqlsplit(DB_ENGINE_POSTGRES, "/* a /* b */ COMMIT;", &s) == 0);
    free(s);
}

/* Does SQLite call sql[from, to) a complete statement? */
static bool complete(const char *sql, size_t from, size_t to)
{
    char *buf = malloc(to - from + 1);
    memcpy(buf, sql + from, to - from);
    buf[to - from] = '\0';
    bool c = sqlite3_complete(buf) != 0;
    free(buf);
    return c;
}

/* Where sqlite3_complete() ends statements must be where ours end: every
 * end of ours is one of SQLite's, and none of SQLite's falls inside one of
 * ours (SQLite's may also end empty statements between them). */
static bool agrees_with_sqlite(const char *sql)
{
    SqlStmt *s = NULL;
    size_t n = sqlsplit_sqlite(sql, &s), len = strlen(sql), from = 0;
    bool ok = true;
    for (size_t p = 0; p < len; p++) {
        if (sql[p] != ';' || !complete(sql, from, p + 1))
            continue;
        for (size_t k = 0; k < n; k++)
            if (s[k].start < p + 1 && p + 1 < s[k].end)
                ok = false;
        from = p + 1;
    }
    for (size_t k = 0; k < n; k++)
        if (s[k].end < len)
            ok = ok && sql[s[k].end - 1] == ';' && complete(sql, k ? s[k - 1].end : 0, s[k].end);
    free(s);
    return ok;
}

static void test_sqlite_agrees_with_sqlite3_complete(void)
{
    for (size_t i = 0; i < sizeof sqlite_cases / sizeof sqlite_cases[0]; i++)
        CHECK(agrees_with_sqlite(sqlite_cases[i].sql));
    static const char *const toks[] = {
        ";", " ", "\n", "/*", "*/", "--", "'", "\"", "[", "]", "`", "CREATE", "create",
        "TRIGGER", "TEMP", "temporary", "END", "EXPLAIN", "BEGIN", "x", "COMMIT", "(", "$",
        "tr", "1", "\t", "-", "/",
    };
    size_t ntoks = sizeof toks / sizeof toks[0];
    unsigned long seed = 12345;
    int bad = 0;
    for (int round = 0; round < 3000; round++) {
        char sql[512] = "";
        int ntok = 1 + round % 40;
        for (int k = 0; k < ntok; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            strcat(sql, toks[(seed >> 33) % ntoks]);
            if ((seed >> 20) % 3 == 0)
                strcat(sql, " ");
        }
        if (!agrees_with_sqlite(sql) && bad++ < 5)
            fprintf(stderr, "  differs from sqlite3_complete: [%s]\n", sql);
    }
    CHECK(bad == 0);
}

int main(void)
{
    RUN(test_postgres_rules);
    RUN(test_sqlite_rules);
    RUN(test_sqlite_agrees_with_sqlite3_complete);
    return test_report();
}
