/* test_migfile.c: parsing migration files, as a table of cases. */
#include "migfile.h"
#include "test.h"

#include <stdlib.h>

typedef struct Case {
    const char *path, *text;
    int ok;
    const char *version, *name, *up, *down;
    int up_line, up_tx;
    const char *error;   /* substring of the message when !ok */
} Case;

static const Case cases[] = {
    { "m/0001_users.sql", "-- migrate:up\nCREATE TABLE u (id int);\n-- migrate:down\nDROP TABLE u;\n",
      1, "0001", "users", "CREATE TABLE u (id int);\n", "DROP TABLE u;\n", 2, 1, NULL },
    { "20260101120000_add_x.sql", "-- header comment\n\n--migrate:up   transaction:false\nCREATE INDEX CONCURRENTLY i ON t (x);\n",
      1, "20260101120000", "add_x", "CREATE INDEX CONCURRENTLY i ON t (x);\n", "", 4, 0, NULL },
    { "0002_crlf.sql", "-- migrate:up\r\nSELECT 1;\r\n-- migrate:down\r\nSELECT 2;\r\n",
      1, "0002", "crlf", "SELECT 1;\r\n", "SELECT 2;\r\n", 2, 1, NULL },
    { "0003_down_first.sql", "-- migrate:down\nDROP TABLE a;\n-- migrate:up\nCREATE TABLE a (x int);",
      1, "0003", "down_first", "CREATE TABLE a (x int);", "DROP TABLE a;\n", 4, 1, NULL },
    { "0004_empty_up.sql", "-- migrate:up\n-- migrate:down\n",
      1, "0004", "empty_up", "", "", 2, 1, NULL },
    { "dir/create_users.sql", "-- migrate:up\nSELECT 1;\n", 0, NULL, NULL, NULL, NULL, 0, 0,
      "dir/create_users.sql: a migration file is named" },
    { "0005_no_marker.sql", "CREATE TABLE a (x int);\n", 0, NULL, NULL, NULL, NULL, 0, 0,
      "0005_no_marker.sql: no '-- migrate:up' line" },
    { "0006_two_ups.sql", "-- migrate:up\nSELECT 1;\n-- migrate:up\nSELECT 2;\n", 0, NULL, NULL, NULL, NULL, 0, 0,
      "0006_two_ups.sql:3: a second '-- migrate:up' section" },
    { "0007_bad_option.sql", "-- migrate:up transaction:maybe\nSELECT 1;\n", 0, NULL, NULL, NULL, NULL, 0, 0,
      "0007_bad_option.sql:1: unknown migration option 'transaction:maybe'" },
    { "0009_bom.sql", "\xEF\xBB\xBF-- migrate:up\nSELECT 1;\n-- Migrate: Down\nSELECT 2;\n",
      1, "0009", "bom", "SELECT 1;\n", "SELECT 2;\n", 2, 1, NULL },
    { "0010_spaced.sql", "  --migrate : up\nSELECT 1;\n",
      1, "0010", "spaced", "SELECT 1;\n", "", 2, 1, NULL },
    { "0011_misspelt.sql", "-- migrate:up\nCREATE TABLE b (x int);\n-- migrate: dwon\nDROP TABLE b;\n", 0, NULL, NULL, NULL, NULL, 0, 0,
      "0011_misspelt.sql:3: unknown marker 'migrate:dwon'" },
    { "m/0012_ctl\nDROP TABLE users;--.sql", "-- migrate:up\nSELECT 1;\n", 0, NULL, NULL, NULL, NULL, 0, 0,
      "m/0012_ctl\nDROP TABLE users;--.sql: the file name holds a control character (byte 0x0a)" },
    { "m/0013_tab\there.sql", "-- migrate:up\nSELECT 1;\n", 0, NULL, NULL, NULL, NULL, 0, 0,
      "m/0013_tab\there.sql: the file name holds a control character" },
    { "0014_notx_commit.sql", "-- migrate:up transaction:false\nBEGIN;\nSELECT 1;\nCOMMIT;\n",
      1, "0014", "notx_commit", "BEGIN;\nSELECT 1;\nCOMMIT;\n", "", 2, 0, NULL },
    { "0015_savepoint.sql", "-- migrate:up\nSAVEPOINT a;\nROLLBACK TO SAVEPOINT a;\nSELECT 'COMMIT;';\n",
      1, "0015", "savepoint", "SAVEPOINT a;\nROLLBACK TO SAVEPOINT a;\nSELECT 'COMMIT;';\n", "", 2, 1, NULL },
    { "0016_trigger.sql", "-- migrate:up\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\nEND;\n",
      1, "0016", "trigger", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\nEND;\n", "", 2, 1, NULL },
    { "0008_bad_marker.sql", "-- migrate:up\nSELECT 1;\n-- migrate:sideways\n", 0, NULL, NULL, NULL, NULL, 0, 0,
      "0008_bad_marker.sql:3: unknown marker 'migrate:sideways'" },
};

static void test_parse_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const Case *c = &cases[i];
        MigFile f;
        DbError err = DB_ERROR_INIT;
        int rc = migfile_parse(&f, c->path, c->text, strlen(c->text), &err);
        if (!c->ok) {
            CHECK(rc == -1);
            CHECK(err.kind == DB_ERR_PARSE);
            CHECK_CONTAINS(err.message, c->error);
            db_error_clear(&err);
            continue;
        }
        CHECK(rc == 0);
        if (rc != 0) {
            fprintf(stderr, "  case %zu: %s\n", i, err.message);
            db_error_clear(&err);
            continue;
        }
        CHECK_STR(f.version, c->version);
        CHECK_STR(f.name, c->name);
        CHECK_STR(f.up.sql, c->up);
        CHECK_STR(f.down.sql, c->down);
        CHECK(f.up.first_line == c->up_line);
        CHECK(f.up.transaction == (c->up_tx != 0));
        CHECK(strlen(f.checksum) == 64);
        migfile_free(&f);
    }
}

static void test_checksum_and_lines(void)
{
    MigFile a, b;
    DbError err = DB_ERROR_INIT;
    const char *t1 = "-- migrate:up\nSELECT 1;\nSELECT 2;\n-- migrate:down\nSELECT 3;\n";
    const char *t2 = "-- migrate:up\nSELECT 1;\nSELECT 2;\n-- migrate:down\nSELECT 4;\n";
    CHECK(migfile_parse(&a, "0001_a.sql", t1, strlen(t1), &err) == 0);
    CHECK(migfile_parse(&b, "0001_a.sql", t2, strlen(t2), &err) == 0);
    CHECK_STR(a.checksum, b.checksum); /* only the up section counts */
    CHECK(migfile_line_of(&a.up, 0) == 2);
    CHECK(migfile_line_of(&a.up, strlen("SELECT 1;\n")) == 3);
    char hex[65];
    migfile_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    migfile_free(&a);
    migfile_free(&b);
}

typedef struct TxCase {
    DbEngine    engine;
    const char *text;
    const char *error;   /* substring of the message; NULL: accepted */
} TxCase;

/* A section run inside dbwarden's transaction must not end it, judged by
 * the rules of the engine it runs on. */
static const TxCase tx_cases[] = {
    { DB_ENGINE_SQLITE, "-- migrate:up\nBEGIN;\nCREATE TABLE half (x int);\nCOMMIT;\n", ":2: BEGIN in the up section" },
    { DB_ENGINE_POSTGRES, "-- migrate:up\nBEGIN;\nCREATE TABLE half (x int);\nCOMMIT;\n", ":2: BEGIN in the up section" },
    { DB_ENGINE_SQLITE, "-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE x;\n  commit;\n", ":5: COMMIT in the down section" },
    /* SQLite's block comments do not nest: COMMIT is a statement there */
    { DB_ENGINE_SQLITE, "-- migrate:up\nCREATE TABLE a (x int);\n/* logs/*.gz */ COMMIT;\nCREATE TABLE b (x int);\n", ":3: COMMIT in the up section" },
    { DB_ENGINE_POSTGRES, "-- migrate:up\nCREATE TABLE a (x int);\n/* logs/*.gz */ COMMIT; */\nCREATE TABLE b (x int);\n", NULL },
    { DB_ENGINE_SQLITE, "-- migrate:up\n/* a /* b */ COMMIT;\n", ":2: COMMIT in the up section" },
    { DB_ENGINE_SQLITE, "-- migrate:up\nSELECT 1 AS [it's];\nCOMMIT;\n", ":3: COMMIT in the up section" },
    { DB_ENGINE_SQLITE, "-- migrate:up\nSELECT [x;y], `a;b` FROM t;\nEND TRANSACTION;\n", ":3: END in the up section" },
    { DB_ENGINE_SQLITE, "-- migrate:up\nSELECT 'a\\';\ncommit transaction;\n", ":3: COMMIT in the up section" },
    { DB_ENGINE_SQLITE, "-- migrate:up\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\nEND;\nSELECT 'COMMIT;';\n", NULL },
    { DB_ENGINE_SQLITE, "-- migrate:up\nSAVEPOINT a;\nROLLBACK TRANSACTION TO SAVEPOINT a;\nRELEASE a;\n", NULL },
    { DB_ENGINE_SQLITE, "-- migrate:up\nSELECT 1;\nROLLBACK;\n", ":3: ROLLBACK in the up section" },
    /* PostgreSQL: E'' strings, dollar quotes, routine bodies */
    { DB_ENGINE_POSTGRES, "-- migrate:up\nSELECT E'\\'';\nCOMMIT;\n", ":3: COMMIT in the up section" },
    { DB_ENGINE_POSTGRES, "-- migrate:up\nCREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (1); COMMIT; END $$;\n", NULL },
    { DB_ENGINE_POSTGRES, "-- migrate:up\nSELECT 1 AS begin, 2 AS atomic;\nend;\n", ":3: END in the up section" },
    { DB_ENGINE_POSTGRES, "-- migrate:up\nSAVEPOINT a;\nROLLBACK WORK TO a;\n", NULL },
    { DB_ENGINE_POSTGRES, "-- migrate:up\nSELECT 1;\nROLLBACK AND CHAIN;\n", ":3: ROLLBACK in the up section" },
    { DB_ENGINE_POSTGRES, "-- migrate:up\nPREPARE TRANSACTION 'x';\n", ":2: PREPARE in the up section" },
    { DB_ENGINE_POSTGRES, "-- migrate:up\nSTART TRANSACTION;\n", ":2: START in the up section" },
    /* outside a transaction, anything goes */
    { DB_ENGINE_SQLITE, "-- migrate:up transaction:false\nBEGIN;\nSELECT 1;\nCOMMIT;\n", NULL },
    { DB_ENGINE_POSTGRES, "-- migrate:up transaction:false\nBEGIN;\nSELECT 1;\nCOMMIT;\n", NULL },
};

static void test_tx_control_by_engine(void)
{
    for (size_t i = 0; i < sizeof tx_cases / sizeof tx_cases[0]; i++) {
        const TxCase *c = &tx_cases[i];
        MigFile f;
        DbError err = DB_ERROR_INIT;
        CHECK(migfile_parse(&f, "m/0001_tx.sql", c->text, strlen(c->text), &err) == 0);
        int rc = migfile_check_tx(&f, NULL, c->engine, &err);
        if (c->error) {
            CHECK(rc == -1 && err.kind == DB_ERR_PARSE);
            CHECK_CONTAINS(err.message, "m/0001_tx.sql");
            CHECK_CONTAINS(err.message, c->error);
        } else {
            CHECK(rc == 0);
        }
        if ((rc == 0) != (c->error == NULL))
            fprintf(stderr, "  case %zu: %s\n", i, err.message ? err.message : "accepted");
        db_error_clear(&err);
        migfile_free(&f);
    }
}

static void test_binary_rejected(void)
{
    MigFile f;
    DbError err = DB_ERROR_INIT;
    const char text[] = "-- migrate:up\nSEL\0ECT 1;\n";
    CHECK(migfile_parse(&f, "0001_bin.sql", text, sizeof text - 1, &err) == -1);
    CHECK_CONTAINS(err.message, "NUL");
    db_error_clear(&err);
    CHECK(migfile_load(&f, "/nonexistent/0001_x.sql", &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, "/nonexistent/0001_x.sql");
    db_error_clear(&err);
}

int main(void)
{
    RUN(test_parse_table);
    RUN(test_checksum_and_lines);
    RUN(test_binary_rejected);
    RUN(test_tx_control_by_engine);
    return test_report();
}
