/* test_othertools_fixture.h: what the tests of other tools' version tables
 * share (test_othertools.c: Flyway to Django; test_othertools_more.c: Knex
 * to sqitch; test_othertools_cases.c: no tool, look-alikes, several tools,
 * unreadable tables): a fresh database of the engine under test, its
 * setup, the scan, checks of a tool's history, and the command-line
 * printers' output captured.  Each program sets engine from argv[1]. */
#ifndef DBW_TEST_OTHERTOOLS_FIXTURE_H
#define DBW_TEST_OTHERTOOLS_FIXTURE_H

#include "cli_othertools.h"
#include "itest.h"
#include "othertools.h"
#include "test.h"

#include <jansson.h>

static DbEngine engine;
#define PG (engine == DB_ENGINE_POSTGRES)

/* ---- helpers -------------------------------------------------------- */

static inline DbConn *fresh(const char *name)
{
    char *url = itest_url(engine, name);
    DbConn *c = itest_open(url);
    free(url);
    return c;
}

static inline void setup(DbConn *c, const char *sql)
{
    DbError err = DB_ERROR_INIT;
    size_t at = 0;
    if (db_exec_script(c, "setup", sql, &at, &err) != 0) {
        test_failures++;
        fprintf(stderr, "setup failed: %s\n  at: %.160s\n", err.message, sql + at);
        db_error_clear(&err);
    }
}

static inline void scan(DbConn *c, OtherToolList *l)
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
static inline const OtherTool *only(const OtherToolList *l, OtherToolKind k)
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
static inline void check_mig(const OtherTool *t, size_t i, const char *version, const char *name,
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

static inline void check_current(const OtherTool *t, const char *want)
{
    CHECK(t->ncurrent == (want ? 1u : 0u));
    CHECK_STR(t->ncurrent ? t->current[0] : NULL, want);
}

/* A copy of s with every from replaced by to. */
static inline char *replace_all(const char *s, const char *from, const char *to)
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
static inline char *capture(CliFn fn, bool json, DbConn *c, int *rc, bool *found)
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

static inline json_t *capture_json(CliFn fn, DbConn *c, int *rc, bool *found)
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

static inline const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Counts the statements run, and the catalog queries among them. */
typedef struct Counter {
    int statements;
    int catalog;
} Counter;

static inline void count_statement(void *ctx, const char *label, const char *sql)
{
    Counter *n = ctx;
    (void)sql;
    n->statements++;
    if (strcmp(label, "othertools: candidate version tables") == 0)
        n->catalog++;
}

/* Flyway's history table as Flyway makes it, and rows as it writes them
 * (test_othertools.c; test_othertools_cases.c puts Flyway next to other
 * tools).  flyway-core .../database/{postgresql,sqlite}/createMetaDataTable.sql */
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

#endif
