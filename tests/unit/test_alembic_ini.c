/* test_alembic_ini.c: alembic.ini read as Alembic reads it. */
#include "alembic.h"
#include "strv.h"
#include "test.h"

#include <stdlib.h>

static void test_defaults(void)
{
    const char *ini = "# A generic, single database configuration.\n\n[alembic]\n"
                      "# path to migration scripts\nscript_location = %(here)s/alembic\n"
                      "# file_template = %%(rev)s_%%(slug)s\n"
                      "sqlalchemy.url = driver://user:pass@localhost/dbname\n\n"
                      "[loggers]\nkeys = root\n";
    AlembicConfig c;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_config_parse(&c, "/srv/app/alembic.ini", ini, NULL, &err) == 0);
    CHECK_STR(c.here, "/srv/app");
    CHECK_STR(c.script_location, "/srv/app/alembic");
    CHECK(c.nlocations == 1);
    CHECK_STR(c.version_locations[0], "/srv/app/alembic/versions");
    CHECK(!c.recursive);
    alembic_config_free(&c);
    db_error_clear(&err);
}

static void test_relative_and_interpolation(void)
{
    const char *ini = "[DEFAULT]\nbase = db\n\n[alembic]\nscript_location = ./%(base)s/mig\n"
                      "version_locations = %(here)s/a, ../shared/b  extra\n"
                      "recursive_version_locations = true\n"
                      "percent = 100%%\n";
    AlembicConfig c;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_config_parse(&c, "/p/q/alembic.ini", ini, NULL, &err) == 0);
    CHECK_STR(c.script_location, "/p/q/db/mig");
    CHECK(c.nlocations == 3);
    if (c.nlocations == 3) {
        CHECK_STR(c.version_locations[0], "/p/q/a");
        CHECK_STR(c.version_locations[1], "/p/shared/b");
        CHECK_STR(c.version_locations[2], "/p/q/extra");
    }
    CHECK(c.recursive);
    alembic_config_free(&c);
    db_error_clear(&err);
}

static void test_separators(void)
{
    struct {
        const char *ini;
        size_t n;
        const char *first, *last;
    } cases[] = {
        { "[alembic]\nscript_location = s\nversion_locations = /a b:/c d\n"
          "version_path_separator = os\n", 2, "/a b", "/c d" },
        { "[alembic]\nscript_location = s\nversion_locations = /a;/b;/c\n"
          "path_separator = ;\n", 3, "/a", "/c" },
        { "[alembic]\nscript_location = s\nversion_locations = /a /b\n"
          "path_separator = space\n", 2, "/a", "/b" },
        { "[alembic]\nscript_location = s\nversion_locations =\n    /a x\n    /b y\n"
          "path_separator = newline\n", 2, "/a x", "/b y" },
        /* path_separator wins over the older name */
        { "[alembic]\nscript_location = s\nversion_locations = /a:/b;/c\n"
          "path_separator = ;\nversion_path_separator = :\n", 2, "/a:/b", "/c" },
        /* legacy: spaces and commas */
        { "[alembic]\nscript_location = s\nversion_locations = /a,/b, /c  /d\n", 4, "/a", "/d" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        AlembicConfig c;
        DbError err = DB_ERROR_INIT;
        int rc = alembic_config_parse(&c, "/x/alembic.ini", cases[i].ini, NULL, &err);
        CHECK(rc == 0);
        if (rc != 0) {
            fprintf(stderr, "  case %zu: %s\n", i, err.message);
            db_error_clear(&err);
            continue;
        }
        CHECK(c.nlocations == cases[i].n);
        if (c.nlocations == cases[i].n) {
            CHECK_STR(c.version_locations[0], cases[i].first);
            CHECK_STR(c.version_locations[c.nlocations - 1], cases[i].last);
        }
        alembic_config_free(&c);
    }
}

static void test_split(void)
{
    char **v;
    size_t n;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_split_locations("a b,c", NULL, &v, &n, &err) == 0);
    CHECK(n == 3);
    CHECK_STR(v[2], "c");
    CHECK(v[3] == NULL);
    strv_free(v);
    CHECK(alembic_split_locations("a::b:", "os", &v, &n, &err) == 0);
    CHECK(n == 2);
    strv_free(v);
    CHECK(alembic_split_locations("a", "comma", &v, &n, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "'comma'");
    db_error_clear(&err);
}

static void test_errors(void)
{
    struct {
        const char *ini;
        DbErrKind kind;
        const char *want;
    } cases[] = {
        { "[alembic]\nsqlalchemy.url = x\n", DB_ERR_USAGE, "no script_location in [alembic]" },
        { "[other]\nscript_location = x\n", DB_ERR_USAGE, "has no [alembic] section" },
        { "script_location = x\n", DB_ERR_PARSE, "alembic.ini:1: a setting before any" },
        { "[alembic]\nscript_location = a\nscript_location = b\n", DB_ERR_PARSE,
          "alembic.ini:3: 'script_location' is set twice" },
        { "[alembic]\nscript_location = a\njust words\n", DB_ERR_PARSE,
          "alembic.ini:3: not a 'key = value' line" },
        { "[alembic]\nscript_location = %(nowhere)s/a\n", DB_ERR_PARSE,
          "alembic.ini:2: 'script_location' refers to %(nowhere)s" },
        { "[alembic]\nscript_location = 50%/a\n", DB_ERR_PARSE, "must be followed by" },
        { "[alembic]\nscript_location = %(a)s\na = %(script_location)s\n", DB_ERR_PARSE,
          "refers to itself" },
        { "[alembic]\nscript_location = myapp:migrations\n", DB_ERR_USAGE,
          "alembic.ini:2: script_location 'myapp:migrations' is a Python package resource" },
        { "[alembic]\nscript_location = s\nversion_locations = a\npath_separator = tab\n",
          DB_ERR_USAGE, "'tab' is not a path separator" },
        { "[alembic]\nscript_location = x\n[alembic]\n", DB_ERR_PARSE,
          "alembic.ini:3: section [alembic] appears twice" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        AlembicConfig c;
        DbError err = DB_ERROR_INIT;
        CHECK(alembic_config_parse(&c, "/x/alembic.ini", cases[i].ini, NULL, &err) == -1);
        CHECK(err.kind == cases[i].kind);
        CHECK_CONTAINS(err.message, cases[i].want);
        db_error_clear(&err);
    }
}

static void test_continuation_and_comments(void)
{
    const char *ini = "[alembic]\n; a comment\n  # an indented comment\n"
                      "script_location: %(here)s/mig  \n"
                      "version_locations =\n    %(here)s/v1\n\n    %(here)s/v2\n"
                      "path_separator = newline\n";
    AlembicConfig c;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_config_parse(&c, "rel/alembic.ini", ini, NULL, &err) == 0);
    CHECK(c.here && c.here[0] == '/');
    CHECK_CONTAINS(c.script_location, "/rel/mig");
    CHECK(c.nlocations == 2);
    if (c.nlocations == 2)
        CHECK_CONTAINS(c.version_locations[1], "/rel/v2");
    alembic_config_free(&c);
    db_error_clear(&err);
}

static void test_load_fixture(void)
{
    const char *src = getenv("DBW_SRC");
    if (!src)
        src = DBWARDEN_SOURCE_DIR;
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/alembic/project/alembic.ini", src);
    AlembicConfig c;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_config_load(&c, path, &err) == 0);
    CHECK_CONTAINS(c.script_location, "tests/alembic/project/migrations");
    CHECK(c.nlocations == 1);
    alembic_config_free(&c);
    /* a folder: the project folder finds its alembic.ini */
    snprintf(path, sizeof path, "%s/tests/alembic/project", src);
    CHECK(alembic_config_load(&c, path, &err) == 0);
    CHECK(c.ini_path != NULL);
    alembic_config_free(&c);
    /* the versions folder itself */
    snprintf(path, sizeof path, "%s/tests/alembic/project/migrations/versions", src);
    CHECK(alembic_config_load(&c, path, &err) == 0);
    CHECK(c.ini_path == NULL && c.nlocations == 1);
    CHECK_CONTAINS(c.version_locations[0], "migrations/versions");
    alembic_config_free(&c);
    /* a missing file */
    CHECK(alembic_config_load(&c, "/nonexistent/alembic.ini", &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, "/nonexistent/alembic.ini");
    db_error_clear(&err);
}

int main(void)
{
    RUN(test_defaults);
    RUN(test_relative_and_interpolation);
    RUN(test_separators);
    RUN(test_split);
    RUN(test_errors);
    RUN(test_continuation_and_comments);
    RUN(test_load_fixture);
    return test_report();
}
