/* test_config.c: reading dbwarden.ini, good and bad. */
#include "config.h"
#include "test.h"

#include <stdlib.h>

static const char *write_tmp(const char *name, const char *text)
{
    FILE *f = fopen(name, "w");
    fputs(text, f);
    fclose(f);
    return name;
}

static void test_good_file(void)
{
    const char *p = write_tmp("cfg_good.ini",
        "; comment\n[database]\nurl = sqlite:///app.db\nenvironment = production\n"
        "statement_timeout = 30s\n\n[migrations]\ndir = migrations/sqlite\n"
        "[integrity]\ninferred_fk = (.+)_id$\n[ui]\ntheme = mono\n");
    Config c;
    DbError err = DB_ERROR_INIT;
    CHECK(config_load(&c, p, &err) == 0);
    CHECK_STR(c.database.url, "sqlite:///app.db");
    CHECK_STR(c.database.environment, "production");
    CHECK(c.database.statement_timeout == 30000);
    CHECK_STR(c.migrations.dir, "migrations/sqlite");
    CHECK_STR(c.ui.theme, "mono");
    CHECK_STR(c.backup.dir, "backups");
    config_free(&c);
}

/* Every section is typed, with its defaults, and read where it is used. */
static void test_sections_typed(void)
{
    const char *p = write_tmp("cfg_sections.ini",
        "[integrity]\nmoney_columns = (price|fee)\ninferred_aliases = maker:users\n"
        "[billing]\nsubscriptions = subs\ngrace_period = 2d\n[seed]\ndir = seeds\n"
        "[database]\nlock_wait = 1m\n[migrations]\nalembic_url_from_env = yes\n");
    Config c;
    DbError err = DB_ERROR_INIT;
    CHECK(config_load(&c, p, &err) == 0);
    CHECK_STR(c.integrity.money_columns, "(price|fee)");
    CHECK_STR(c.integrity.inferred_fk, "(.+)_id$");            /* default */
    CHECK_STR(c.integrity.inferred_aliases, "maker:users");
    CHECK_STR(c.billing.subscriptions, "subs");
    CHECK_STR(c.billing.users, "users");                       /* default */
    CHECK(c.billing.grace_period == 2 * 86400000);
    CHECK_STR(c.seed.dir, "seeds");
    CHECK(c.database.lock_wait == 60000);
    CHECK(c.migrations.alembic_url_from_env);
    CHECK(!config_is_production(&c));
    config_free(&c);
    config_defaults(&c);
    CHECK(c.billing.grace_period == 3 * 86400000 && c.database.lock_wait == 10000);
    CHECK(c.database.url == NULL && c.seed.dir == NULL);
    config_free(&c);
}

typedef struct Bad {
    const char *text;
    const char *error;
} Bad;

static const Bad bad[] = {
    { "[database]\nurl = x\nenviroment = production\n", "cfg_bad.ini:3: unknown setting 'enviroment' in [database]" },
    { "[databse]\nurl = x\n", "cfg_bad.ini:2: unknown section [databse]" },
    { "[database]\nenvironment = prod\n", "cfg_bad.ini:2: environment = 'prod'" },
    { "[database]\nstatement_timeout = soon\n", "cfg_bad.ini:2: statement_timeout = 'soon' is not a duration" },
    { "[database]\nthis line has no equals\n", "cfg_bad.ini:2: not a valid INI line" },
    { "[integrity]\nmoney_columns = (price\n", "cfg_bad.ini:2: money_columns = '(price' is not a regular expression" },
    { "[billing]\ngrace_period = soon\n", "cfg_bad.ini:2: grace_period = 'soon' is not a duration" },
    { "; a comment\n[database\nurl = x.db\n", "cfg_bad.ini:2: section header '[database' has no closing ']'" },
};

static void test_bad_files(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Config c;
        DbError err = DB_ERROR_INIT;
        CHECK(config_load(&c, write_tmp("cfg_bad.ini", bad[i].text), &err) == -1);
        CHECK(err.kind == DB_ERR_PARSE);
        CHECK_CONTAINS(err.message, bad[i].error);
        db_error_clear(&err);
    }
    Config c;
    DbError err = DB_ERROR_INIT;
    char longline[600];
    snprintf(longline, sizeof longline, "[database]\nurl = postgresql://app:%0300dSECRET@db/x\n", 0);
    CHECK(config_load(&c, write_tmp("cfg_long.ini", longline), &err) == -1);
    CHECK_CONTAINS(err.message, "cfg_long.ini:2: line longer than");
    CHECK(!strstr(err.message, "SECRET"));
    db_error_clear(&err);
    CHECK(config_load(&c, "no-such-config.ini", &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, "no-such-config.ini");
    db_error_clear(&err);
}

static void test_durations(void)
{
    CHECK(config_parse_duration("30s") == 30000);
    CHECK(config_parse_duration("500ms") == 500);
    CHECK(config_parse_duration("2m") == 120000);
    CHECK(config_parse_duration("1h") == 3600000);
    CHECK(config_parse_duration("7") == 7000);
    CHECK(config_parse_duration("-1s") == -1);
    CHECK(config_parse_duration("3 days") == -1);
    CHECK(config_parse_duration("") == -1);
    CHECK(config_parse_duration("nan") == -1);
    CHECK(config_parse_duration("inf") == -1);
    CHECK(config_parse_duration("1e-9") == -1);
    CHECK(config_parse_duration("0") == 0);
}

int main(void)
{
    RUN(test_good_file);
    RUN(test_sections_typed);
    RUN(test_bad_files);
    RUN(test_durations);
    return test_report();
}
