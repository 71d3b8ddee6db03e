/* test_othertools_cases.c: the scan of other tools' version tables beyond
 * one tool (argv[1]: sqlite or postgres): no tool and tables that only
 * look like one, two tools in one database, the same table name in two
 * schemas, a table that cannot be read. */
#include "test_othertools_fixture.h"

/* ---- none, look-alikes, several ------------------------------------- */

static void test_none_and_lookalikes(void)
{
    DbConn *c = fresh("ot_none");
    OtherToolList l;
    scan(c, &l);
    CHECK(l.count == 0);
    othertools_list_free(&l);
    /* Tables named like a tool's whose columns are not the tool's: Ecto's
     * schema_migrations (version, inserted_at), an application's own
     * changes and events, a Flyway-named table of something else. */
    setup(c, "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, inserted_at "
             "timestamp);\n"
             "INSERT INTO schema_migrations VALUES (20240105120000, '2024-01-05 12:00:00');\n"
             "CREATE TABLE changes (id integer PRIMARY KEY, change text, project text);\n"
             "CREATE TABLE events (id integer PRIMARY KEY, event text);\n"
             "CREATE TABLE flyway_schema_history (id integer PRIMARY KEY, version text);\n"
             "CREATE TABLE users (id integer PRIMARY KEY, email text);\n");
    scan(c, &l);
    CHECK(l.count == 0);
    othertools_list_free(&l);
    int rc;
    bool found = true;
    char *text = capture(cli_othertools_status, false, c, &rc, &found);
    CHECK(!found);
    CHECK(rc == EXIT_OK);
    CHECK_STR(text, "");
    free(text);
    db_close(c);
}

static void test_two_tools(void)
{
    DbConn *c = fresh("ot_two");
    setup(c, PG ? flyway_pg : flyway_sqlite);
    setup(c, flyway_rows);
    setup(c, PG ? "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT "
                  "NULL, is_applied boolean NOT NULL, tstamp timestamp NULL default now(), "
                  "PRIMARY KEY(id));\n"
                  "INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES "
                  "(0, true, '2024-01-05 11:59:59'), (7, true, '2024-04-01 08:00:00');\n"
                : "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                  "version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP "
                  "DEFAULT (datetime('now')));\n"
                  "INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES "
                  "(0, 1, '2024-01-05 11:59:59'), (7, 1, '2024-04-01 08:00:00');\n");
    Counter n = { 0, 0 };
    db_set_log(c, count_statement, &n);
    OtherToolList l;
    scan(c, &l);
    db_set_log(c, NULL, NULL);
    CHECK(l.count == 2);
    /* one catalog query, then one query per tool */
    CHECK(n.catalog == 1);
    CHECK(n.statements == 3);
    if (l.count == 2) {
        CHECK(l.items[0].kind == OTHER_FLYWAY);
        CHECK(l.items[1].kind == OTHER_GOOSE);
        check_current(&l.items[1], "7");
    }
    othertools_list_free(&l);
    int rc;
    bool found;
    json_t *j = capture_json(cli_othertools_status, c, &rc, &found);
    CHECK(rc == EXIT_PROBLEMS);   /* Flyway's failed row */
    if (j) {
        CHECK_STR(jstr(j, "source"), "flyway");
        json_t *tools = json_object_get(j, "tools");
        CHECK(json_array_size(tools) == 2);
        CHECK_STR(jstr(json_array_get(tools, 1), "source"), "goose");
        CHECK(json_integer_value(json_object_get(json_array_get(tools, 1), "applied")) == 1);
        json_decref(j);
    }
    j = capture_json(cli_othertools_history, c, &rc, &found);
    if (j) {
        json_t *migs = json_object_get(j, "migrations");
        CHECK(json_array_size(migs) == 6);
        CHECK_STR(jstr(json_array_get(migs, 5), "source"), "goose");
        json_decref(j);
    }
    char *text = capture(cli_othertools_status, false, c, &rc, &found);
    CHECK_CONTAINS(text, "source      flyway");
    CHECK_CONTAINS(text, "source      goose");
    free(text);
    db_close(c);
}

/* PostgreSQL: one table name in two schemas, two tools. */
static void test_same_name_two_schemas(void)
{
    if (!PG)
        return;
    DbConn *c = fresh("ot_schemas");
    setup(c, "CREATE SCHEMA billing;\n"
             "CREATE TABLE IF NOT EXISTS \"billing\".\"schema_migrations\" (version bigint not "
             "null primary key, dirty boolean not null);\n"
             "INSERT INTO billing.schema_migrations VALUES (12, false);\n"
             "create table if not exists public.schema_migrations (version varchar(255) "
             "primary key);\n"
             "insert into public.schema_migrations (version) values ('20240105120000');\n");
    OtherToolList l;
    scan(c, &l);
    CHECK(l.count == 2);
    const OtherTool *g = othertools_find(&l, OTHER_GOLANG_MIGRATE);
    const OtherTool *d = othertools_find(&l, OTHER_DBMATE);
    CHECK(g && d);
    if (g && d) {
        CHECK_STR(g->schema, "billing");
        check_current(g, "12");
        CHECK_STR(d->schema, "public");
        check_current(d, "20240105120000");
    }
    othertools_list_free(&l);
    db_close(c);
}

/* A table the connecting role may not read: a clear error naming it. */
static void test_unreadable(void)
{
    if (!PG)
        return;
    DbConn *admin = itest_open(getenv("DBW_PG_ADMIN"));
    setup(admin, "DROP ROLE IF EXISTS ot_reader; CREATE ROLE ot_reader LOGIN PASSWORD "
                 "'r3ader!pw';");
    DbConn *c = fresh("ot_unreadable");
    setup(c, "CREATE SCHEMA locked;\n"
             "CREATE TABLE locked.goose_db_version (id serial NOT NULL, version_id bigint NOT "
             "NULL, is_applied boolean NOT NULL, tstamp timestamp NULL default now(), "
             "PRIMARY KEY(id));\n");
    db_close(c);
    char *url = xasprintf("postgresql://ot_reader:r3ader%%21pw@/it_ot_unreadable?host=%s&port=%s",
                          getenv("DBW_PG_HOST"), getenv("DBW_PG_PORT"));
    DbConn *r = itest_open(url);
    free(url);
    OtherToolList l;
    DbError err = DB_ERROR_INIT;
    CHECK(othertools_scan(r, &l, &err) != 0);
    CHECK(l.count == 0);
    CHECK_CONTAINS(err.message, "locked.goose_db_version");
    CHECK_CONTAINS(err.message, "grant SELECT");
    db_error_clear(&err);
    db_close(r);
    /* the role lives in the cluster: drop it */
    setup(admin, "DROP DATABASE it_ot_unreadable WITH (FORCE); DROP ROLE ot_reader;");
    db_close(admin);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_none_and_lookalikes);
    RUN(test_two_tools);
    RUN(test_same_name_two_schemas);
    RUN(test_unreadable);
    return test_report();
}
