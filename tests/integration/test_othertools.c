/* test_othertools.c: other migration tools' version tables against a real
 * database (argv[1]: sqlite or postgres).
 *
 * Each tool's tables are made with the DDL that tool itself runs (from its
 * source: Flyway's createMetaDataTable.sql, golang-migrate's and dbmate's
 * drivers, Rails' schema dumps, Django's recorder, Knex's table-creator.js,
 * Prisma's schema engine, EF Core's history repository, goose's dialect
 * queries, Liquibase's generated SQL, Atlas' revisions table, sqitch's
 * pg.sql and sqlite.sql), with rows as the tool writes them.  Then the
 * core scan and the command-line printers are checked. */
#include "test_othertools_fixture.h"

/* ---- Flyway --------------------------------------------------------- */

static void test_flyway(void)
{
    DbConn *c = fresh("ot_flyway");
    setup(c, PG ? flyway_pg : flyway_sqlite);
    setup(c, flyway_rows);
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_FLYWAY);
    if (t) {
        CHECK_STR(t->schema, PG ? "public" : "main");
        CHECK_STR(t->table, "flyway_schema_history");
        /* 10 failed: the current version is the highest that succeeded */
        check_current(t, "2");
        CHECK(t->count == 5);
        CHECK(t->applied == 4);
        check_mig(t, 0, "1", "create users", NULL, OTHER_APPLIED, "2024-01-05 12:00:00");
        check_mig(t, 1, "1.1", "add email index", NULL, OTHER_APPLIED, "2024-01-06 09:30:00");
        check_mig(t, 3, NULL, "views", NULL, OTHER_APPLIED, "2024-02-01 09:00:01");
        check_mig(t, 4, "10", "add invoices", NULL, OTHER_FAILED, "2024-03-01 10:00:00");
        CHECK(t->nproblems == 1);
        if (t->nproblems) {
            CHECK_STR(t->problems[0].kind, "failed");
            CHECK_STR(t->problems[0].version, "10");
            CHECK_CONTAINS(t->problems[0].message, "flyway repair");
            CHECK_CONTAINS(t->problems[0].message, "flyway_schema_history");
        }
    }
    othertools_list_free(&l);

    /* The command line: status and history as JSON, and as text. */
    int rc;
    bool found;
    json_t *j = capture_json(cli_othertools_status, c, &rc, &found);
    CHECK(found);
    CHECK(rc == EXIT_PROBLEMS);
    if (j) {
        CHECK_STR(jstr(j, "source"), "flyway");
        CHECK_STR(jstr(j, "engine"), PG ? "postgresql" : "sqlite");
        CHECK_STR(jstr(j, "table"), "flyway_schema_history");
        json_t *cur = json_object_get(j, "current"), *heads = json_object_get(j, "heads");
        CHECK(json_array_size(cur) == 1);
        CHECK_STR(json_string_value(json_array_get(cur, 0)), "2");
        CHECK(json_array_size(heads) == 1);
        CHECK_STR(json_string_value(json_array_get(heads, 0)), "2");
        CHECK(json_integer_value(json_object_get(j, "applied")) == 4);
        CHECK(json_is_integer(json_object_get(j, "pending")));
        CHECK(json_integer_value(json_object_get(j, "pending")) == 0);
        json_t *p = json_array_get(json_object_get(j, "problems"), 0);
        CHECK(json_array_size(json_object_get(j, "problems")) == 1);
        CHECK_STR(jstr(p, "kind"), "failed");
        CHECK_CONTAINS(jstr(p, "message"), "add invoices");
        CHECK(json_is_array(json_object_get(p, "files")));
        CHECK(json_array_size(json_object_get(p, "files")) == 0);
        CHECK(json_array_size(json_object_get(j, "tools")) == 1);
        json_decref(j);
    }
    j = capture_json(cli_othertools_history, c, &rc, &found);
    CHECK(found);
    CHECK(rc == EXIT_OK);
    if (j) {
        json_t *migs = json_object_get(j, "migrations");
        CHECK(json_array_size(migs) == 5);
        json_t *newest = json_array_get(migs, 0), *oldest = json_array_get(migs, 4);
        CHECK_STR(jstr(newest, "version"), "10");
        CHECK_STR(jstr(newest, "state"), "failed");
        CHECK_STR(jstr(newest, "source"), "flyway");
        CHECK_STR(jstr(oldest, "version"), "1");
        CHECK_STR(jstr(oldest, "name"), "create users");
        CHECK_STR(jstr(oldest, "state"), "applied");
        CHECK_STR(jstr(oldest, "applied_at"), "2024-01-05 12:00:00");
        CHECK(json_is_null(json_object_get(json_array_get(migs, 1), "version")));
        json_decref(j);
    }
    char *text = capture(cli_othertools_status, false, c, &rc, &found);
    CHECK_CONTAINS(text, "source      flyway (table ");
    CHECK_CONTAINS(text, "current     2 (add orders)");
    CHECK_CONTAINS(text, "problem     Flyway migration 10 (add invoices) failed");
    free(text);
    text = capture(cli_othertools_history, false, c, &rc, &found);
    CHECK_CONTAINS(text, "(repeatable)");
    CHECK_CONTAINS(text, "add email index");
    free(text);
    db_close(c);
}

/* Flyway with flyway.schemas=app: it creates the schema and says so in a
 * SCHEMA row, which is not a migration. */
static void test_flyway_own_schema(void)
{
    if (!PG)
        return;
    DbConn *c = fresh("ot_flyway_schema");
    char *ddl = replace_all(flyway_pg, "\"public\"", "\"app\"");
    setup(c, "CREATE SCHEMA \"app\";");
    setup(c, ddl);
    free(ddl);
    setup(c, "INSERT INTO app.flyway_schema_history VALUES "
             "(0, NULL, '<< Flyway Schema Creation >>', 'SCHEMA', '\"app\"', NULL, 'app', "
             "'2024-01-05 11:59:59', 0, true), "
             "(1, '1', 'create users', 'SQL', 'V1__create_users.sql', 1217466612, 'app', "
             "'2024-01-05 12:00:00', 12, true);");
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_FLYWAY);
    if (t) {
        CHECK_STR(t->schema, "app");
        CHECK(t->count == 1);
        check_current(t, "1");
        CHECK(t->nproblems == 0);
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- golang-migrate ------------------------------------------------- */

static void test_golang_migrate(void)
{
    DbConn *c = fresh("ot_golang");
    /* database/postgres/postgres.go and database/sqlite3/sqlite3.go */
    setup(c, PG ? "CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\" "
                  "(version bigint not null primary key, dirty boolean not null);"
                : "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);\n"
                  "  CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations "
                  "(version);\n");
    /* SetVersion: delete everything, insert the one row */
    setup(c, PG ? "DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) "
                  "VALUES (20240201090000, false);"
                : "DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) "
                  "VALUES (20240201090000, 0);");
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_GOLANG_MIGRATE);
    if (t) {
        check_current(t, "20240201090000");
        CHECK(t->count == 1);
        check_mig(t, 0, "20240201090000", NULL, NULL, OTHER_APPLIED, NULL);
        CHECK(t->nproblems == 0);
    }
    othertools_list_free(&l);

    /* A migration failed part-way: golang-migrate leaves the version dirty. */
    setup(c, PG ? "DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) "
                  "VALUES (20240301100000, true);"
                : "DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) "
                  "VALUES (20240301100000, 1);");
    scan(c, &l);
    t = only(&l, OTHER_GOLANG_MIGRATE);
    if (t) {
        check_current(t, "20240301100000");
        check_mig(t, 0, "20240301100000", NULL, NULL, OTHER_DIRTY, NULL);
        CHECK(t->applied == 0);
        CHECK(t->nproblems == 1);
        if (t->nproblems) {
            CHECK_STR(t->problems[0].kind, "dirty");
            CHECK_CONTAINS(t->problems[0].message, "migrate force");
        }
    }
    othertools_list_free(&l);
    int rc;
    bool found;
    json_t *j = capture_json(cli_othertools_status, c, &rc, &found);
    CHECK(rc == EXIT_PROBLEMS);
    if (j) {
        CHECK_STR(jstr(j, "source"), "golang-migrate");
        CHECK_STR(jstr(json_array_get(json_object_get(j, "problems"), 0), "kind"), "dirty");
        json_decref(j);
    }
    j = capture_json(cli_othertools_history, c, &rc, &found);
    if (j) {
        CHECK_STR(jstr(json_array_get(json_object_get(j, "migrations"), 0), "state"), "dirty");
        json_decref(j);
    }
    db_close(c);
}

/* ---- dbmate --------------------------------------------------------- */

static void test_dbmate(void)
{
    DbConn *c = fresh("ot_dbmate");
    /* pkg/driver/postgres: "create table if not exists %s.%s (version varchar(255) primary
     * key)"; pkg/driver/sqlite: varchar(128) */
    setup(c, PG ? "create table if not exists public.schema_migrations "
                  "(version varchar(255) primary key);"
                : "create table if not exists \"schema_migrations\" "
                  "(version varchar(128) primary key);");
    setup(c, "insert into schema_migrations (version) values ('20240105120000');"
             "insert into schema_migrations (version) values ('20240301100000');"
             "insert into schema_migrations (version) values ('20240201090000');");
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_DBMATE);
    if (t) {
        check_current(t, "20240301100000");
        CHECK(t->count == 3 && t->applied == 3);
        check_mig(t, 0, "20240105120000", NULL, NULL, OTHER_APPLIED, NULL);
        check_mig(t, 2, "20240301100000", NULL, NULL, OTHER_APPLIED, NULL);
        CHECK(t->detail == NULL);
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- Rails ---------------------------------------------------------- */

static void test_rails(void)
{
    DbConn *c = fresh("ot_rails");
    setup(c, PG ? "CREATE TABLE \"schema_migrations\" (\"version\" character varying NOT NULL "
                  "PRIMARY KEY);\n"
                  "CREATE TABLE \"ar_internal_metadata\" (\"key\" character varying NOT NULL "
                  "PRIMARY KEY, \"value\" character varying, \"created_at\" timestamp(6) NOT "
                  "NULL, \"updated_at\" timestamp(6) NOT NULL);\n"
                : "CREATE TABLE \"schema_migrations\" (\"version\" varchar NOT NULL PRIMARY KEY);\n"
                  "CREATE TABLE \"ar_internal_metadata\" (\"key\" varchar NOT NULL PRIMARY KEY, "
                  "\"value\" varchar, \"created_at\" datetime(6) NOT NULL, \"updated_at\" "
                  "datetime(6) NOT NULL);\n");
    setup(c, "INSERT INTO \"schema_migrations\" (\"version\") VALUES ('20240105120000'), "
             "('20240201090000'), ('20231115080000');\n"
             "INSERT INTO \"ar_internal_metadata\" (\"key\", \"value\", \"created_at\", "
             "\"updated_at\") VALUES ('environment', 'production', '2023-11-15 08:00:00.123456', "
             "'2023-11-15 08:00:00.123456'), ('schema_sha1', "
             "'7a1fb2b4bf0b5c0d9e2e8cf0f0a1d5f0a3f6c0e1', '2023-11-15 08:00:00.123456', "
             "'2023-11-15 08:00:00.123456');\n");
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_RAILS);
    if (t) {
        CHECK_STR(t->table, "schema_migrations");
        check_current(t, "20240201090000");
        CHECK(t->count == 3);
        check_mig(t, 0, "20231115080000", NULL, NULL, OTHER_APPLIED, NULL);
        CHECK_STR(t->detail, "environment production");
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- Django --------------------------------------------------------- */

static void test_django(void)
{
    DbConn *c = fresh("ot_django");
    /* MigrationRecorder.ensure_schema(), Django 4.1+ */
    setup(c, PG ? "CREATE TABLE \"django_migrations\" (\"id\" bigint NOT NULL PRIMARY KEY "
                  "GENERATED BY DEFAULT AS IDENTITY, \"app\" varchar(255) NOT NULL, \"name\" "
                  "varchar(255) NOT NULL, \"applied\" timestamp with time zone NOT NULL);"
                : "CREATE TABLE \"django_migrations\" (\"id\" integer NOT NULL PRIMARY KEY "
                  "AUTOINCREMENT, \"app\" varchar(255) NOT NULL, \"name\" varchar(255) NOT "
                  "NULL, \"applied\" datetime NOT NULL);");
    /* PostgreSQL gets an aware time (+01:00 becomes 11:00 UTC); SQLite a
     * naive UTC time with microseconds, as Django writes them. */
    const char *t1 = PG ? "2024-01-05 12:00:00.123456+01" : "2024-01-05 11:00:00.123456";
    char *rows = xasprintf(
        "INSERT INTO \"django_migrations\" (\"app\", \"name\", \"applied\") VALUES "
        "('contenttypes', '0001_initial', '%s'), "
        "('auth', '0001_initial', '%s'), "
        "('admin', '0001_initial', '%s'), "
        "('contenttypes', '0002_remove_content_type_name', '%s'), "
        "('auth', '0002_alter_permission_name_max_length', '%s'), "
        "('auth', '0012_alter_user_first_name_max_length', '%s'), "
        "('sessions', '0001_initial', '%s');", t1, t1, t1, t1, t1, t1, t1);
    setup(c, rows);
    free(rows);
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_DJANGO);
    if (t) {
        CHECK(t->count == 7 && t->applied == 7);
        check_mig(t, 0, "0001_initial", NULL, "contenttypes", OTHER_APPLIED, "2024-01-05 11:00:00");
        check_mig(t, 5, "0012_alter_user_first_name_max_length", NULL, "auth", OTHER_APPLIED,
                  "2024-01-05 11:00:00");
        /* one current migration per app, sorted */
        CHECK(t->ncurrent == 4);
        if (t->ncurrent == 4) {
            CHECK_STR(t->current[0], "admin.0001_initial");
            CHECK_STR(t->current[1], "auth.0012_alter_user_first_name_max_length");
            CHECK_STR(t->current[2], "contenttypes.0002_remove_content_type_name");
            CHECK_STR(t->current[3], "sessions.0001_initial");
        }
    }
    othertools_list_free(&l);
    int rc;
    bool found;
    json_t *j = capture_json(cli_othertools_history, c, &rc, &found);
    if (j) {
        json_t *newest = json_array_get(json_object_get(j, "migrations"), 0);
        CHECK_STR(jstr(newest, "group"), "sessions");
        CHECK_STR(jstr(newest, "version"), "0001_initial");
        json_decref(j);
    }
    j = capture_json(cli_othertools_status, c, &rc, &found);
    CHECK(rc == EXIT_OK);
    if (j) {
        CHECK(json_array_size(json_object_get(j, "current")) == 4);
        CHECK(json_array_size(json_object_get(j, "heads")) == 4);
        json_decref(j);
    }
    db_close(c);
}

static void test_vercmp_and_times(void)
{
    CHECK(othertools_vercmp("1.9", "1.10") < 0);
    CHECK(othertools_vercmp("2", "10") < 0);
    CHECK(othertools_vercmp("0002", "2") == 0);
    CHECK(othertools_vercmp("20240105120000", "20240201090000") < 0);
    CHECK(othertools_vercmp("1.1", "1") > 0);
    CHECK(othertools_vercmp("auth.0002_x", "auth.0012_y") < 0);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_vercmp_and_times);
    RUN(test_flyway);
    RUN(test_flyway_own_schema);
    RUN(test_golang_migrate);
    RUN(test_dbmate);
    RUN(test_rails);
    RUN(test_django);
    return test_report();
}
