/* test_othertools_more.c: other migration tools' version tables, Knex to
 * sqitch, against a real database (argv[1]: sqlite or postgres), made with
 * the DDL each tool runs and rows as it writes them (see
 * test_othertools.c). */
#include "test_othertools_fixture.h"

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

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_knex);
    RUN(test_prisma);
    RUN(test_efcore);
    RUN(test_goose);
    RUN(test_liquibase);
    RUN(test_atlas);
    RUN(test_sqitch);
    return test_report();
}
