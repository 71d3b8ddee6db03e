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
#include "cli_othertools.h"
#include "itest.h"
#include "othertools.h"
#include "test.h"

#include <jansson.h>

static DbEngine engine;
#define PG (engine == DB_ENGINE_POSTGRES)

/* ---- helpers -------------------------------------------------------- */

static DbConn *fresh(const char *name)
{
    char *url = itest_url(engine, name);
    DbConn *c = itest_open(url);
    free(url);
    return c;
}

static void setup(DbConn *c, const char *sql)
{
    DbError err = DB_ERROR_INIT;
    size_t at = 0;
    if (db_exec_script(c, "setup", sql, &at, &err) != 0) {
        test_failures++;
        fprintf(stderr, "setup failed: %s\n  at: %.160s\n", err.message, sql + at);
        db_error_clear(&err);
    }
}

static void scan(DbConn *c, OtherToolList *l)
{
    DbError err = DB_ERROR_INIT;
    int rc = othertools_scan(c, l, &err);
    CHECK(rc == 0);
    if (rc != 0) {
        fprintf(stderr, "  scan: %s\n", err.message);
        db_error_clear(&err);
    }
}

/* The one tool of kind k that l must hold; NULL (a failure) otherwise. */
static const OtherTool *only(const OtherToolList *l, OtherToolKind k)
{
    CHECK(l->count == 1);
    const OtherTool *t = othertools_find(l, k);
    CHECK(t != NULL);
    if (l->count != 1)
        for (size_t i = 0; i < l->count; i++)
            fprintf(stderr, "  found %s in %s.%s\n", othertools_kind_name(l->items[i].kind),
                    l->items[i].schema, l->items[i].table);
    return t;
}

/* History entry i of t is (version, name, group, state, applied_at). */
static void check_mig(const OtherTool *t, size_t i, const char *version, const char *name,
                      const char *group, OtherMigState state, const char *at)
{
    int before = test_failures;
    CHECK(i < t->count);
    if (i >= t->count)
        return;
    const OtherMigration *m = &t->history[i];
    CHECK_STR(m->version, version);
    CHECK_STR(m->name, name);
    CHECK_STR(m->group, group);
    CHECK_STR(othertools_state_name(m->state), othertools_state_name(state));
    CHECK_STR(m->applied_at, at);
    if (test_failures != before)
        fprintf(stderr, "  (history entry %zu of %s)\n", i, othertools_kind_name(t->kind));
}

static void check_current(const OtherTool *t, const char *want)
{
    CHECK(t->ncurrent == (want ? 1u : 0u));
    CHECK_STR(t->ncurrent ? t->current[0] : NULL, want);
}

/* A copy of s with every from replaced by to. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    for (const char *p = s; (p = strstr(p, from)); p += lf)
        n++;
    char *out = xmalloc(strlen(s) + n * lt + 1), *o = out;
    for (const char *p; (p = strstr(s, from)); s = p + lf) {
        memcpy(o, s, (size_t)(p - s));
        o += p - s;
        memcpy(o, to, lt);
        o += lt;
    }
    strcpy(o, s);
    return out;
}

typedef int (*CliFn)(const Cli *, DbConn *, bool *);

/* Runs a command-line printer and returns what it wrote on stdout. */
static char *capture(CliFn fn, bool json, DbConn *c, int *rc, bool *found)
{
    Cli cli;
    memset(&cli, 0, sizeof cli);
    cli.json = json;
    fflush(stdout);
    int saved = dup(1);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 1);
    *rc = fn(&cli, c, found);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    long n = ftell(tmp);
    char *text = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    rewind(tmp);
    size_t got = fread(text, 1, (size_t)(n > 0 ? n : 0), tmp);
    text[got] = '\0';
    fclose(tmp);
    return text;
}

static json_t *capture_json(CliFn fn, DbConn *c, int *rc, bool *found)
{
    char *text = capture(fn, true, c, rc, found);
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    CHECK(j != NULL);
    if (!j)
        fprintf(stderr, "  not JSON (%s): %s\n", jerr.text, text);
    free(text);
    return j;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Counts the statements run, and the catalog queries among them. */
typedef struct Counter {
    int statements;
    int catalog;
} Counter;

static void count_statement(void *ctx, const char *label, const char *sql)
{
    Counter *n = ctx;
    (void)sql;
    n->statements++;
    if (strcmp(label, "othertools: candidate version tables") == 0)
        n->catalog++;
}

/* ---- Flyway --------------------------------------------------------- */

/* flyway-core .../database/{postgresql,sqlite}/createMetaDataTable.sql */
static const char flyway_pg[] =
    "CREATE TABLE \"public\".\"flyway_schema_history\" (\n"
    "    \"installed_rank\" INT NOT NULL,\n"
    "    \"version\" VARCHAR(50),\n"
    "    \"description\" VARCHAR(200) NOT NULL,\n"
    "    \"type\" VARCHAR(20) NOT NULL,\n"
    "    \"script\" VARCHAR(1000) NOT NULL,\n"
    "    \"checksum\" INTEGER,\n"
    "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
    "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(),\n"
    "    \"execution_time\" INTEGER NOT NULL,\n"
    "    \"success\" BOOLEAN NOT NULL\n"
    ");\n"
    "ALTER TABLE \"public\".\"flyway_schema_history\" ADD CONSTRAINT "
    "\"flyway_schema_history_pk\" PRIMARY KEY (\"installed_rank\");\n"
    "CREATE INDEX \"flyway_schema_history_s_idx\" ON \"public\".\"flyway_schema_history\" "
    "(\"success\");\n";

static const char flyway_sqlite[] =
    "CREATE TABLE \"main\".\"flyway_schema_history\" (\n"
    "    \"installed_rank\" INT NOT NULL PRIMARY KEY,\n"
    "    \"version\" VARCHAR(50),\n"
    "    \"description\" VARCHAR(200) NOT NULL,\n"
    "    \"type\" VARCHAR(20) NOT NULL,\n"
    "    \"script\" VARCHAR(1000) NOT NULL,\n"
    "    \"checksum\" INT,\n"
    "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
    "    \"installed_on\" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),\n"
    "    \"execution_time\" INT NOT NULL,\n"
    "    \"success\" BOOLEAN NOT NULL\n"
    ");\n"
    "CREATE INDEX \"main\".\"flyway_schema_history_s_idx\" ON \"flyway_schema_history\" "
    "(\"success\");\n";

static const char flyway_rows[] =
    "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
    "checksum, installed_by, installed_on, execution_time, success) VALUES\n"
    "(1, '1', 'create users', 'SQL', 'V1__create_users.sql', 1217466612, 'app', "
    "'2024-01-05 12:00:00', 12, true),\n"
    "(2, '1.1', 'add email index', 'SQL', 'V1_1__add_email_index.sql', -986531254, 'app', "
    "'2024-01-06 09:30:00', 8, true),\n"
    "(3, '2', 'add orders', 'SQL', 'V2__add_orders.sql', 55121876, 'app', "
    "'2024-02-01 09:00:00', 20, true),\n"
    "(4, NULL, 'views', 'SQL', 'R__views.sql', 777012, 'app', '2024-02-01 09:00:01', 3, true),\n"
    "(5, '10', 'add invoices', 'SQL', 'V10__add_invoices.sql', 424242, 'app', "
    "'2024-03-01 10:00:00', 5, false);\n";

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

/* ---- Knex ----------------------------------------------------------- */

static void test_knex(void)
{
    DbConn *c = fresh("ot_knex");
    /* table-creator.js: increments(), string('name'), integer('batch'),
     * timestamp('migration_time'); the lock: increments('index'),
     * integer('is_locked'); one lock row inserted with is_locked 0. */
    setup(c, PG ? "create table \"knex_migrations\" (\"id\" serial primary key, \"name\" "
                  "varchar(255), \"batch\" integer, \"migration_time\" timestamptz);\n"
                  "create table \"knex_migrations_lock\" (\"index\" serial primary key, "
                  "\"is_locked\" integer);\n"
                : "create table `knex_migrations` (`id` integer not null primary key "
                  "autoincrement, `name` varchar(255), `batch` integer, `migration_time` "
                  "datetime);\n"
                  "create table `knex_migrations_lock` (`index` integer not null primary key "
                  "autoincrement, `is_locked` integer);\n");
    setup(c, "insert into knex_migrations_lock (is_locked) values (0);");
    /* node-sqlite3 stores a JavaScript Date as epoch milliseconds. */
    setup(c, PG ? "insert into knex_migrations (name, batch, migration_time) values "
                  "('20240105120000_create_users.js', 1, '2024-01-05 12:00:00+00'), "
                  "('20240105120500_create_projects.js', 1, '2024-01-05 12:00:00+00'), "
                  "('20240201090000_add_orders.js', 2, '2024-02-01 09:00:00+00');"
                : "insert into knex_migrations (name, batch, migration_time) values "
                  "('20240105120000_create_users.js', 1, 1704456000000), "
                  "('20240105120500_create_projects.js', 1, 1704456000000), "
                  "('20240201090000_add_orders.js', 2, 1706778000000);");
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_KNEX);
    if (t) {
        check_current(t, "20240201090000");
        CHECK(t->count == 3);
        check_mig(t, 0, "20240105120000", "create_users.js", NULL, OTHER_APPLIED,
                  "2024-01-05 12:00:00");
        check_mig(t, 2, "20240201090000", "add_orders.js", NULL, OTHER_APPLIED,
                  "2024-02-01 09:00:00");
        CHECK_STR(t->detail, "last batch 2");
        CHECK(t->nproblems == 0);
    }
    othertools_list_free(&l);

    setup(c, "update knex_migrations_lock set is_locked = 1;");
    scan(c, &l);
    t = only(&l, OTHER_KNEX);
    if (t) {
        CHECK(t->nproblems == 1);
        if (t->nproblems) {
            CHECK_STR(t->problems[0].kind, "locked");
            CHECK_CONTAINS(t->problems[0].message, "knex migrate:unlock");
        }
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- Prisma --------------------------------------------------------- */

static void test_prisma(void)
{
    DbConn *c = fresh("ot_prisma");
    /* schema-engine's create_migrations_table, per flavour */
    setup(c, PG ? "CREATE TABLE _prisma_migrations (\n"
                  "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                  "    checksum                VARCHAR(64) NOT NULL,\n"
                  "    finished_at             TIMESTAMPTZ,\n"
                  "    migration_name          VARCHAR(255) NOT NULL,\n"
                  "    logs                    TEXT,\n"
                  "    rolled_back_at          TIMESTAMPTZ,\n"
                  "    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
                  "    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
                  ");\n"
                : "CREATE TABLE \"_prisma_migrations\" (\n"
                  "    \"id\"                    TEXT PRIMARY KEY NOT NULL,\n"
                  "    \"checksum\"              TEXT NOT NULL,\n"
                  "    \"finished_at\"           DATETIME,\n"
                  "    \"migration_name\"        TEXT NOT NULL,\n"
                  "    \"logs\"                  TEXT,\n"
                  "    \"rolled_back_at\"        DATETIME,\n"
                  "    \"started_at\"            DATETIME NOT NULL DEFAULT current_timestamp,\n"
                  "    \"applied_steps_count\"   INTEGER UNSIGNED NOT NULL DEFAULT 0\n"
                  ");\n");
    /* On SQLite Prisma writes its times as epoch milliseconds. */
    const char *jan = PG ? "'2024-01-05 12:00:00+00'" : "1704456000000";
    const char *feb = PG ? "'2024-02-01 09:00:00+00'" : "1706778000000";
    const char *feb2 = PG ? "'2024-02-02 09:00:00+00'" : "1706864400000";
    const char *mar = PG ? "'2024-03-01 10:00:00+00'" : "1709287200000";
    char *rows = xasprintf(
        "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, "
        "rolled_back_at, started_at, applied_steps_count) VALUES "
        "('0c6a1a4e-7d1f-4a57-9d51-2b0f2f1c9a01', "
        "'c2b8f9a5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7', %s, "
        "'20240105120000_init', NULL, NULL, %s, 1), "
        "('5e0f3b7c-1a2d-4e6f-8a9b-0c1d2e3f4a02', "
        "'a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8', NULL, "
        "'20240201090000_add_orders', 'Database error code: 42P07\nrelation \"orders\" exists', "
        "%s, %s, 0), "
        "('9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c03', "
        "'a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8', %s, "
        "'20240201090000_add_orders', NULL, NULL, %s, 1), "
        "('3d2c1b0a-9f8e-4d7c-6b5a-4f3e2d1c0b04', "
        "'0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0', NULL, "
        "'20240301100000_add_index', 'Database error code: 42703\ncolumn \"sku\" does not exist', "
        "NULL, %s, 0);", jan, jan, feb, feb, feb2, feb2, mar);
    setup(c, rows);
    free(rows);
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_PRISMA);
    if (t) {
        check_current(t, "20240201090000");
        CHECK(t->count == 4);
        CHECK(t->applied == 2);
        check_mig(t, 0, "20240105120000", "init", NULL, OTHER_APPLIED, "2024-01-05 12:00:00");
        check_mig(t, 1, "20240201090000", "add_orders", NULL, OTHER_ROLLED_BACK,
                  "2024-02-01 09:00:00");
        check_mig(t, 2, "20240201090000", "add_orders", NULL, OTHER_APPLIED,
                  "2024-02-02 09:00:00");
        check_mig(t, 3, "20240301100000", "add_index", NULL, OTHER_FAILED,
                  "2024-03-01 10:00:00");
        CHECK(t->nproblems == 1);
        if (t->nproblems) {
            CHECK_STR(t->problems[0].kind, "failed");
            CHECK_CONTAINS(t->problems[0].message, "--rolled-back 20240301100000_add_index");
            CHECK_CONTAINS(t->problems[0].message, "Database error code: 42703");
        }
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- EF Core -------------------------------------------------------- */

static void test_efcore(void)
{
    DbConn *c = fresh("ot_efcore");
    /* Npgsql's and Microsoft.Data.Sqlite's HistoryRepository */
    setup(c, PG ? "CREATE TABLE IF NOT EXISTS \"__EFMigrationsHistory\" (\n"
                  "    \"MigrationId\" character varying(150) NOT NULL,\n"
                  "    \"ProductVersion\" character varying(32) NOT NULL,\n"
                  "    CONSTRAINT \"PK___EFMigrationsHistory\" PRIMARY KEY (\"MigrationId\")\n"
                  ");\n"
                : "CREATE TABLE IF NOT EXISTS \"__EFMigrationsHistory\" (\n"
                  "    \"MigrationId\" TEXT NOT NULL CONSTRAINT \"PK___EFMigrationsHistory\" "
                  "PRIMARY KEY,\n"
                  "    \"ProductVersion\" TEXT NOT NULL\n"
                  ");\n");
    setup(c, "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") "
             "VALUES ('20240201090000_AddOrders', '8.0.1');\n"
             "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") "
             "VALUES ('20240105120000_InitialCreate', '8.0.0');\n");
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_EFCORE);
    if (t) {
        CHECK_STR(t->table, "__EFMigrationsHistory");
        check_current(t, "20240201090000");
        check_mig(t, 0, "20240105120000", "InitialCreate", NULL, OTHER_APPLIED, NULL);
        check_mig(t, 1, "20240201090000", "AddOrders", NULL, OTHER_APPLIED, NULL);
        CHECK_STR(t->detail, "EF Core 8.0.1");
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- goose ---------------------------------------------------------- */

static void test_goose(void)
{
    DbConn *c = fresh("ot_goose");
    /* internal/dialect/dialectquery/{postgres,sqlite3}.go CreateTable; goose
     * then inserts version 0 */
    setup(c, PG ? "CREATE TABLE goose_db_version (\n"
                  "\t\tid serial NOT NULL,\n"
                  "\t\tversion_id bigint NOT NULL,\n"
                  "\t\tis_applied boolean NOT NULL,\n"
                  "\t\ttstamp timestamp NULL default now(),\n"
                  "\t\tPRIMARY KEY(id)\n"
                  "\t);"
                : "CREATE TABLE goose_db_version (\n"
                  "\t\tid INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                  "\t\tversion_id INTEGER NOT NULL,\n"
                  "\t\tis_applied INTEGER NOT NULL,\n"
                  "\t\ttstamp TIMESTAMP DEFAULT (datetime('now'))\n"
                  "\t);");
    const char *yes = PG ? "true" : "1", *no = PG ? "false" : "0";
    /* Up three times, then down once as goose before v3 recorded it. */
    char *rows = xasprintf(
        "INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES "
        "(0, %s, '2024-01-05 11:59:59'), (20240105120000, %s, '2024-01-05 12:00:00'), "
        "(20240201090000, %s, '2024-02-01 09:00:00'), (20240301100000, %s, '2024-03-01 10:00:00'), "
        "(20240301100000, %s, '2024-03-02 08:00:00');", yes, yes, yes, yes, no);
    setup(c, rows);
    free(rows);
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_GOOSE);
    if (t) {
        check_current(t, "20240201090000");
        CHECK(t->count == 3);
        CHECK(t->applied == 2);
        check_mig(t, 0, "20240105120000", NULL, NULL, OTHER_APPLIED, "2024-01-05 12:00:00");
        check_mig(t, 2, "20240301100000", NULL, NULL, OTHER_ROLLED_BACK, "2024-03-02 08:00:00");
    }
    othertools_list_free(&l);

    /* goose v3 deletes the rows of a version it migrates down. */
    setup(c, "DELETE FROM goose_db_version WHERE version_id IN (20240201090000, 20240301100000);");
    scan(c, &l);
    t = only(&l, OTHER_GOOSE);
    if (t) {
        check_current(t, "20240105120000");
        CHECK(t->count == 1);
    }
    othertools_list_free(&l);
    setup(c, "DELETE FROM goose_db_version WHERE version_id = 20240105120000;");
    scan(c, &l);
    t = only(&l, OTHER_GOOSE);
    if (t) {
        check_current(t, NULL);   /* version 0: nothing applied */
        CHECK(t->count == 0);
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- Liquibase ------------------------------------------------------ */

static void test_liquibase(void)
{
    DbConn *c = fresh("ot_liquibase");
    /* the SQL `liquibase update-sql` prints for each engine */
    setup(c, PG ? "CREATE TABLE public.databasechangeloglock (ID INTEGER NOT NULL, LOCKED "
                  "BOOLEAN NOT NULL, LOCKGRANTED TIMESTAMP WITHOUT TIME ZONE, LOCKEDBY "
                  "VARCHAR(255), CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (ID));\n"
                  "DELETE FROM public.databasechangeloglock;\n"
                  "INSERT INTO public.databasechangeloglock (ID, LOCKED) VALUES (1, FALSE);\n"
                  "CREATE TABLE public.databasechangelog (ID VARCHAR(255) NOT NULL, AUTHOR "
                  "VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED "
                  "TIMESTAMP WITHOUT TIME ZONE NOT NULL, ORDEREXECUTED INTEGER NOT NULL, "
                  "EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), "
                  "COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS "
                  "VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10));\n"
                : "CREATE TABLE DATABASECHANGELOGLOCK (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT "
                  "NULL, LOCKGRANTED TEXT, LOCKEDBY VARCHAR(255), CONSTRAINT "
                  "PK_DATABASECHANGELOGLOCK PRIMARY KEY (ID));\n"
                  "DELETE FROM DATABASECHANGELOGLOCK;\n"
                  "INSERT INTO DATABASECHANGELOGLOCK (ID, LOCKED) VALUES (1, 0);\n"
                  "CREATE TABLE DATABASECHANGELOG (ID VARCHAR(255) NOT NULL, AUTHOR "
                  "VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TEXT NOT "
                  "NULL, ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM "
                  "VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG "
                  "VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS "
                  "VARCHAR(255), DEPLOYMENT_ID VARCHAR(10));\n");
    setup(c, "INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
             "MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, "
             "DEPLOYMENT_ID) VALUES "
             "('create-users', 'ana', 'db/changelog/001-users.xml', '2024-01-05 12:00:00', 1, "
             "'9:5e2b0f1c9a2d3e4f5a6b7c8d9e0f1a2b', 'createTable tableName=users', '', "
             "'EXECUTED', NULL, NULL, '4.25.1', '4456000123');\n"
             "INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
             "MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, "
             "DEPLOYMENT_ID) VALUES "
             "('seed-admin', 'ana', 'db/changelog/001-users.xml', '2024-01-05 12:00:00', 2, "
             "'9:0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'insert tableName=users', '', "
             "'MARK_RAN', NULL, NULL, '4.25.1', '4456000123');\n"
             "INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
             "MD5SUM, DESCRIPTION, COMMENTS, EXECTYPE, CONTEXTS, LABELS, LIQUIBASE, "
             "DEPLOYMENT_ID) VALUES "
             "('add-orders', 'ben', 'db/changelog/002-orders.xml', '2024-02-01 09:00:00', 3, "
             "'9:ffeeddccbbaa99887766554433221100', 'createTable tableName=orders', '', "
             "'EXECUTED', NULL, NULL, '4.25.1', '6778000456');\n");
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_LIQUIBASE);
    if (t) {
        CHECK_STR(t->table, PG ? "databasechangelog" : "DATABASECHANGELOG");
        check_current(t, "add-orders");
        CHECK(t->count == 3 && t->applied == 3);
        check_mig(t, 0, "create-users", "createTable tableName=users", NULL, OTHER_APPLIED,
                  "2024-01-05 12:00:00");
        check_mig(t, 1, "seed-admin", "insert tableName=users", NULL, OTHER_APPLIED,
                  "2024-01-05 12:00:00");
        CHECK(t->nproblems == 0);
    }
    othertools_list_free(&l);

    /* An update holds the lock (or died holding it). */
    setup(c, PG ? "UPDATE public.databasechangeloglock SET LOCKED = TRUE, LOCKEDBY = "
                  "'build-7 (10.0.0.7)', LOCKGRANTED = '2024-03-01 10:00:00' WHERE ID = 1 AND "
                  "LOCKED = FALSE;"
                : "UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKEDBY = 'build-7 (10.0.0.7)', "
                  "LOCKGRANTED = '2024-03-01 10:00:00.123' WHERE ID = 1 AND LOCKED = 0;");
    scan(c, &l);
    t = only(&l, OTHER_LIQUIBASE);
    if (t) {
        CHECK(t->nproblems == 1);
        if (t->nproblems) {
            CHECK_STR(t->problems[0].kind, "locked");
            CHECK_CONTAINS(t->problems[0].message, "build-7 (10.0.0.7) since 2024-03-01 10:00:00");
            CHECK_CONTAINS(t->problems[0].message, "liquibase release-locks");
        }
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- Atlas ---------------------------------------------------------- */

static void test_atlas(void)
{
    DbConn *c = fresh("ot_atlas");
    /* the revisions table Atlas creates, in its own schema on PostgreSQL */
    setup(c, PG ? "CREATE SCHEMA \"atlas_schema_revisions\";\n"
                  "CREATE TABLE \"atlas_schema_revisions\".\"atlas_schema_revisions\" "
                  "(\"version\" character varying NOT NULL, \"description\" character varying "
                  "NOT NULL, \"type\" bigint NOT NULL DEFAULT 2, \"applied\" bigint NOT NULL "
                  "DEFAULT 0, \"total\" bigint NOT NULL DEFAULT 0, \"executed_at\" timestamptz "
                  "NOT NULL, \"execution_time\" bigint NOT NULL, \"error\" text NULL, "
                  "\"error_stmt\" text NULL, \"hash\" character varying NOT NULL, "
                  "\"partial_hashes\" jsonb NULL, \"operator_version\" character varying NOT "
                  "NULL, PRIMARY KEY (\"version\"));\n"
                : "CREATE TABLE `atlas_schema_revisions` (\n"
                  "  `version` text NOT NULL,\n"
                  "  `description` text NOT NULL,\n"
                  "  `type` integer NOT NULL DEFAULT 2,\n"
                  "  `applied` integer NOT NULL DEFAULT 0,\n"
                  "  `total` integer NOT NULL DEFAULT 0,\n"
                  "  `executed_at` datetime NOT NULL,\n"
                  "  `execution_time` integer NOT NULL,\n"
                  "  `error` text NULL,\n"
                  "  `error_stmt` text NULL,\n"
                  "  `hash` text NOT NULL,\n"
                  "  `partial_hashes` json NULL,\n"
                  "  `operator_version` text NOT NULL,\n"
                  "  PRIMARY KEY (`version`)\n"
                  ");\n");
    const char *tab = PG ? "\"atlas_schema_revisions\".\"atlas_schema_revisions\""
                         : "atlas_schema_revisions";
    const char *z = PG ? "+00" : "";
    char *rows = xasprintf(
        "INSERT INTO %s (version, description, type, applied, total, executed_at, "
        "execution_time, error, error_stmt, hash, partial_hashes, operator_version) VALUES "
        "('.atlas_cloud_identifiers', '8d5f2d8c-4b0e-4a55-9a4e-2f0a4e0f9a11', 0, 0, 0, "
        "'2024-01-05 12:00:00%s', 0, NULL, NULL, '', NULL, 'Atlas CLI v0.21.1'), "
        "('20240105120000', 'init', 2, 3, 3, '2024-01-05 12:00:00%s', 21324, '', '', "
        "'Yf2XjELq60rBWdfIV7w2dpuVbjdbcHgHsw/nTT9UWrk=', NULL, 'Atlas CLI v0.21.1'), "
        "('20240201090000', 'add_orders', 2, 2, 2, '2024-02-01 09:00:00%s', 8123, '', '', "
        "'1mXh0cfyQ1lrb7qnkT0Bz0ug5AMnLQ4nS9I+Y2mXhuk=', NULL, 'Atlas CLI v0.21.1'), "
        "('20240301100000', 'add_index', 2, 1, 3, '2024-03-01 10:00:00%s', 512, "
        "'pq: relation \"orders_sku_idx\" already exists', "
        "'CREATE INDEX orders_sku_idx ON orders (sku);', "
        "'k3N0fQk6a1Zb8dS2m9Xc4vT7yU1iO5pL0qW3eR6tY9u=', NULL, 'Atlas CLI v0.21.1');",
        tab, z, z, z, z);
    setup(c, rows);
    free(rows);
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_ATLAS);
    if (t) {
        CHECK_STR(t->schema, PG ? "atlas_schema_revisions" : "main");
        CHECK(t->count == 3);
        CHECK(t->applied == 2);
        check_current(t, "20240301100000");
        check_mig(t, 0, "20240105120000", "init", NULL, OTHER_APPLIED, "2024-01-05 12:00:00");
        check_mig(t, 2, "20240301100000", "add_index", NULL, OTHER_FAILED,
                  "2024-03-01 10:00:00");
        CHECK(t->nproblems == 1);
        if (t->nproblems) {
            CHECK_CONTAINS(t->problems[0].message, "stopped after 1 of 3 statements");
            CHECK_CONTAINS(t->problems[0].message, "orders_sku_idx");
        }
    }
    othertools_list_free(&l);

    /* `atlas migrate set` marks it resolved (Execute | Resolved). */
    char *fix = xasprintf("UPDATE %s SET type = 6 WHERE version = '20240301100000';", tab);
    setup(c, fix);
    free(fix);
    scan(c, &l);
    t = only(&l, OTHER_ATLAS);
    if (t) {
        CHECK(t->nproblems == 0);
        CHECK(t->applied == 3);
    }
    othertools_list_free(&l);
    db_close(c);
}

/* ---- sqitch --------------------------------------------------------- */

/* lib/App/Sqitch/Engine/pg.sql with :"registry" = sqitch */
static const char sqitch_pg[] =
    "CREATE SCHEMA sqitch;\n"
    "CREATE TABLE sqitch.releases (version REAL PRIMARY KEY, installed_at TIMESTAMPTZ NOT NULL "
    "DEFAULT clock_timestamp(), installer_name TEXT NOT NULL, installer_email TEXT NOT NULL);\n"
    "CREATE TABLE sqitch.projects (project TEXT PRIMARY KEY, uri TEXT NULL UNIQUE, created_at "
    "TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), creator_name TEXT NOT NULL, creator_email "
    "TEXT NOT NULL);\n"
    "CREATE TABLE sqitch.changes (change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change "
    "TEXT NOT NULL, project TEXT NOT NULL REFERENCES sqitch.projects(project) ON UPDATE "
    "CASCADE, note TEXT NOT NULL DEFAULT '', committed_at TIMESTAMPTZ NOT NULL DEFAULT "
    "clock_timestamp(), committer_name TEXT NOT NULL, committer_email TEXT NOT NULL, "
    "planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT "
    "NULL, UNIQUE(project, script_hash));\n"
    "CREATE TABLE sqitch.tags (tag_id TEXT PRIMARY KEY, tag TEXT NOT NULL, project TEXT NOT "
    "NULL REFERENCES sqitch.projects(project) ON UPDATE CASCADE, change_id TEXT NOT NULL "
    "REFERENCES sqitch.changes(change_id) ON UPDATE CASCADE, note TEXT NOT NULL DEFAULT '', "
    "committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name TEXT NOT "
    "NULL, committer_email TEXT NOT NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT "
    "NOT NULL, planner_email TEXT NOT NULL, UNIQUE(project, tag));\n"
    "CREATE TABLE sqitch.dependencies (change_id TEXT NOT NULL REFERENCES "
    "sqitch.changes(change_id) ON UPDATE CASCADE ON DELETE CASCADE, type TEXT NOT NULL, "
    "dependency TEXT NOT NULL, dependency_id TEXT NULL REFERENCES sqitch.changes(change_id) "
    "ON UPDATE CASCADE CONSTRAINT dependencies_check CHECK ((type = 'require' AND "
    "dependency_id IS NOT NULL) OR (type = 'conflict' AND dependency_id IS NULL)), PRIMARY "
    "KEY (change_id, dependency));\n"
    "CREATE TABLE sqitch.events (event TEXT NOT NULL CONSTRAINT events_event_check CHECK "
    "(event IN ('deploy', 'revert', 'fail', 'merge')), change_id TEXT NOT NULL, change TEXT "
    "NOT NULL, project TEXT NOT NULL REFERENCES sqitch.projects(project) ON UPDATE CASCADE, "
    "note TEXT NOT NULL DEFAULT '', requires TEXT[] NOT NULL DEFAULT '{}', conflicts TEXT[] "
    "NOT NULL DEFAULT '{}', tags TEXT[] NOT NULL DEFAULT '{}', committed_at TIMESTAMPTZ NOT "
    "NULL DEFAULT clock_timestamp(), committer_name TEXT NOT NULL, committer_email TEXT NOT "
    "NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT "
    "NOT NULL, PRIMARY KEY (change_id, committed_at));\n";

/* lib/App/Sqitch/Engine/sqlite.sql: the registry is its own file */
static const char sqitch_sqlite[] =
    "CREATE TABLE releases (version FLOAT PRIMARY KEY, installed_at DATETIME NOT NULL DEFAULT "
    "CURRENT_TIMESTAMP, installer_name TEXT NOT NULL, installer_email TEXT NOT NULL);\n"
    "CREATE TABLE projects (project TEXT PRIMARY KEY, uri TEXT NULL UNIQUE, created_at "
    "DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, creator_name TEXT NOT NULL, creator_email "
    "TEXT NOT NULL);\n"
    "CREATE TABLE changes (change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change TEXT NOT "
    "NULL, project TEXT NOT NULL REFERENCES projects(project) ON UPDATE CASCADE, note TEXT "
    "NOT NULL DEFAULT '', committed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "
    "committer_name TEXT NOT NULL, committer_email TEXT NOT NULL, planned_at DATETIME NOT "
    "NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT NULL, UNIQUE(project, "
    "script_hash));\n"
    "CREATE TABLE tags (tag_id TEXT PRIMARY KEY, tag TEXT NOT NULL, project TEXT NOT NULL "
    "REFERENCES projects(project) ON UPDATE CASCADE, change_id TEXT NOT NULL REFERENCES "
    "changes(change_id) ON UPDATE CASCADE, note TEXT NOT NULL DEFAULT '', committed_at "
    "DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, committer_name TEXT NOT NULL, "
    "committer_email TEXT NOT NULL, planned_at DATETIME NOT NULL, planner_name TEXT NOT NULL, "
    "planner_email TEXT NOT NULL, UNIQUE(project, tag));\n"
    "CREATE TABLE dependencies (change_id TEXT NOT NULL REFERENCES changes(change_id) ON "
    "UPDATE CASCADE ON DELETE CASCADE, type TEXT NOT NULL, dependency TEXT NOT NULL, "
    "dependency_id TEXT NULL REFERENCES changes(change_id) ON UPDATE CASCADE CONSTRAINT "
    "dependencies_check CHECK ((type = 'require' AND dependency_id IS NOT NULL) OR (type = "
    "'conflict' AND dependency_id IS NULL)), PRIMARY KEY (change_id, dependency));\n"
    "CREATE TABLE events (event TEXT NOT NULL CONSTRAINT events_event_check CHECK (event IN "
    "('deploy', 'revert', 'fail', 'merge')), change_id TEXT NOT NULL, change TEXT NOT NULL, "
    "project TEXT NOT NULL REFERENCES projects(project) ON UPDATE CASCADE, note TEXT NOT NULL "
    "DEFAULT '', requires TEXT NOT NULL DEFAULT '', conflicts TEXT NOT NULL DEFAULT '', tags "
    "TEXT NOT NULL DEFAULT '', committed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "
    "committer_name TEXT NOT NULL, committer_email TEXT NOT NULL, planned_at DATETIME NOT "
    "NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT NULL, PRIMARY KEY (change_id, "
    "committed_at));\n";

static void test_sqitch(void)
{
    DbConn *c = fresh("ot_sqitch");
    setup(c, PG ? sqitch_pg : sqitch_sqlite);
    const char *s = PG ? "sqitch." : "";
    const char *z = PG ? "+00" : "";
    char *rows = xasprintf(
        "INSERT INTO %sreleases VALUES (1.1, '2024-01-05 11:59:00%s', 'Ana', 'ana@example.com');\n"
        "INSERT INTO %sprojects VALUES ('flipr', 'https://github.com/sqitchers/sqitch-intro/', "
        "'2024-01-05 11:59:00%s', 'Ana', 'ana@example.com');\n"
        "INSERT INTO %schanges VALUES "
        "('b3c5f1e2a7d94c0e8f6a1b2c3d4e5f60718293a4', '0b1c2d3e', 'appschema', 'flipr', "
        "'App schema', '2024-01-05 12:00:00%s', 'Ana', 'ana@example.com', "
        "'2024-01-04 10:00:00%s', 'Ana', 'ana@example.com'), "
        "('c4d6e2f3b8e05d1f9a7b2c3d4e5f60718293a4b5', '1c2d3e4f', 'users', 'flipr', "
        "'Creates table to track our users.', '2024-01-05 12:00:01%s', 'Ana', "
        "'ana@example.com', '2024-01-04 10:05:00%s', 'Ana', 'ana@example.com'), "
        "('d5e7f3a4c9f16e2a0b8c3d4e5f60718293a4b5c6', '2d3e4f5a', 'flips', 'flipr', '', "
        "'2024-02-01 09:00:00%s', 'Ben', 'ben@example.com', '2024-01-30 16:00:00%s', 'Ben', "
        "'ben@example.com');\n"
        "INSERT INTO %sevents (event, change_id, change, project, note, committed_at, "
        "committer_name, committer_email, planned_at, planner_name, planner_email) VALUES "
        "('deploy', 'b3c5f1e2a7d94c0e8f6a1b2c3d4e5f60718293a4', 'appschema', 'flipr', "
        "'App schema', '2024-01-05 12:00:00%s', 'Ana', 'ana@example.com', "
        "'2024-01-04 10:00:00%s', 'Ana', 'ana@example.com'), "
        "('deploy', 'c4d6e2f3b8e05d1f9a7b2c3d4e5f60718293a4b5', 'users', 'flipr', "
        "'Creates table to track our users.', '2024-01-05 12:00:01%s', 'Ana', "
        "'ana@example.com', '2024-01-04 10:05:00%s', 'Ana', 'ana@example.com'), "
        "('deploy', 'd5e7f3a4c9f16e2a0b8c3d4e5f60718293a4b5c6', 'flips', 'flipr', '', "
        "'2024-02-01 09:00:00%s', 'Ben', 'ben@example.com', '2024-01-30 16:00:00%s', 'Ben', "
        "'ben@example.com'), "
        "('fail', 'e6f8a4b5d0a27f3b1c9d4e5f60718293a4b5c6d7', 'insert_user', 'flipr', "
        "'Creates a function to insert a user.', '2024-03-01 10:00:00%s', 'Ben', "
        "'ben@example.com', '2024-02-28 09:00:00%s', 'Ben', 'ben@example.com');\n",
        s, z, s, z, s, z, z, z, z, z, z, s, z, z, z, z, z, z, z, z);
    setup(c, rows);
    free(rows);
    OtherToolList l;
    scan(c, &l);
    const OtherTool *t = only(&l, OTHER_SQITCH);
    if (t) {
        CHECK_STR(t->schema, PG ? "sqitch" : "main");
        CHECK_STR(t->table, "changes");
        check_current(t, "flipr:flips");
        CHECK(t->count == 4);
        CHECK(t->applied == 3);
        check_mig(t, 0, "appschema", "App schema", "flipr", OTHER_APPLIED, "2024-01-05 12:00:00");
        check_mig(t, 2, "flips", NULL, "flipr", OTHER_APPLIED, "2024-02-01 09:00:00");
        check_mig(t, 3, "insert_user", "Creates a function to insert a user.", "flipr",
                  OTHER_FAILED, "2024-03-01 10:00:00");
        CHECK(t->nproblems == 1);
        if (t->nproblems)
            CHECK_CONTAINS(t->problems[0].message, "sqitch change flipr:insert_user failed");
    }
    othertools_list_free(&l);
    db_close(c);
}

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
    RUN(test_knex);
    RUN(test_prisma);
    RUN(test_efcore);
    RUN(test_goose);
    RUN(test_liquibase);
    RUN(test_atlas);
    RUN(test_sqitch);
    RUN(test_none_and_lookalikes);
    RUN(test_two_tools);
    RUN(test_same_name_two_schemas);
    RUN(test_unreadable);
    return test_report();
}
