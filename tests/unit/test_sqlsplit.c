/* test_sqlsplit.c: splitting PostgreSQL scripts into statements. */
#include "sqlsplit.h"
#include "test.h"

#include <stdlib.h>

typedef struct Case {
    const char *sql;
    size_t count;
    const char *stmts[4];
} Case;

static const Case cases[] = {
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
    { "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 4;", 2,
      { "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));", "SELECT 4;" } },
    { "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; INSERT INTO l VALUES (CASE WHEN 1 THEN 2 END); END; SELECT 5;", 2,
      { "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; INSERT INTO l VALUES (CASE WHEN 1 THEN 2 END); END;", "SELECT 5;" } },
    { "CREATE TABLE t (\"begin\" int, atomic int); SELECT 6;", 2, { "CREATE TABLE t (\"begin\" int, atomic int);", "SELECT 6;" } },
    { "BEGIN; COMMIT; END;", 3, { "BEGIN;", "COMMIT;", "END;" } },
    { "SELECT 'a\\'; SELECT 2;", 2, { "SELECT 'a\\';", "SELECT 2;" } },
};

static void test_split_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SqlStmt *s = NULL;
        size_t n = sqlsplit_postgres(cases[i].sql, &s);
        CHECK(n == cases[i].count);
        for (size_t k = 0; k < n && k < cases[i].count; k++) {
            char buf[256];
            size_t len = s[k].end - s[k].start;
            snprintf(buf, sizeof buf, "%.*s", (int)len, cases[i].sql + s[k].start);
            CHECK_STR(buf, cases[i].stmts[k]);
        }
        free(s);
    }
}

int main(void)
{
    RUN(test_split_table);
    return test_report();
}
