/* test_url.c: connection strings: engine, target, redaction, as tables. */
#include "test.h"
#include "url.h"
#include "xalloc.h"

#include <stdlib.h>

typedef struct UrlCase {
    const char *in;
    DbEngine    engine;    /* DB_ENGINE_NONE: must fail */
    const char *target;
    const char *display;
    const char *password;
} UrlCase;

static const UrlCase cases[] = {
    { "postgresql://app:s3cret@db.example:5432/shop", DB_ENGINE_POSTGRES,
      "postgresql://app:s3cret@db.example:5432/shop", "postgresql://app:***@db.example:5432/shop", "s3cret" },
    { "postgres://app@localhost/shop", DB_ENGINE_POSTGRES,
      "postgresql://app@localhost/shop", "postgres://app@localhost/shop", NULL },
    { "postgresql+psycopg2://u:pw%40x@h/db", DB_ENGINE_POSTGRES,
      "postgresql://u:pw%40x@h/db", "postgresql+psycopg2://u:***@h/db", "pw@x" },
    { "postgresql+asyncpg://u:p@ss@h/db", DB_ENGINE_POSTGRES,
      "postgresql://u:p@ss@h/db", "postgresql+asyncpg://u:***@h/db", NULL },
    { "postgresql:///shop?host=/tmp&password=hunter22", DB_ENGINE_POSTGRES,
      "postgresql:///shop?host=/tmp&password=hunter22", "postgresql:///shop?host=/tmp&password=***", "hunter22" },
    { "host=/tmp dbname=shop user=app password=topsecret", DB_ENGINE_POSTGRES,
      "host=/tmp dbname=shop user=app password=topsecret", "host=/tmp dbname=shop user=app password=***", "topsecret" },
    { "host=/tmp dbname=shop password = 'with space'", DB_ENGINE_POSTGRES,
      "host=/tmp dbname=shop password = 'with space'", "host=/tmp dbname=shop password = ***", "with space" },
    { "sqlite:///relative.db", DB_ENGINE_SQLITE, "relative.db", "sqlite:///relative.db", NULL },
    { "sqlite:////abs/path/app.db", DB_ENGINE_SQLITE, "/abs/path/app.db", "sqlite:////abs/path/app.db", NULL },
    { "sqlite+pysqlite:///dir/my%20app.db", DB_ENGINE_SQLITE, "dir/my app.db", "sqlite+pysqlite:///dir/my%20app.db", NULL },
    { "sqlite://", DB_ENGINE_SQLITE, ":memory:", "sqlite://", NULL },
    { "sqlite:///:memory:", DB_ENGINE_SQLITE, ":memory:", "sqlite:///:memory:", NULL },
    { "  ./data/app.sqlite3  ", DB_ENGINE_SQLITE, "./data/app.sqlite3", "./data/app.sqlite3", NULL },
    { "/var/lib/app.db", DB_ENGINE_SQLITE, "/var/lib/app.db", "/var/lib/app.db", NULL },
    { "postgresql://app:open sesame@/appdb", DB_ENGINE_POSTGRES,
      "postgresql://app:open sesame@/appdb", "postgresql://app:***@/appdb", "open sesame" },
    { "host=/tmp dbname=x password=ab&cdef", DB_ENGINE_POSTGRES,
      "host=/tmp dbname=x password=ab&cdef", "host=/tmp dbname=x password=***", "ab&cdef" },
    { "host=/tmp dbname=x sslpassword=KEYPASS", DB_ENGINE_POSTGRES,
      "host=/tmp dbname=x sslpassword=KEYPASS", "host=/tmp dbname=x sslpassword=***", NULL },
    { "postgresql://u:secr\xe9t@h/d", DB_ENGINE_POSTGRES,
      "postgresql://u:secr\xe9t@h/d", "postgresql://u:***@h/d", NULL },
    { "mysql://root:pw@localhost/x", DB_ENGINE_NONE, NULL, NULL, NULL },
    { "sqlite://host/x.db", DB_ENGINE_NONE, NULL, NULL, NULL },
    { "host=/tmp dbname='unterminated", DB_ENGINE_NONE, NULL, NULL, NULL },
};

static void test_parse_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const UrlCase *c = &cases[i];
        DbUrl u;
        DbError err = DB_ERROR_INIT;
        int rc = db_url_parse(&u, c->in, &err);
        if (c->engine == DB_ENGINE_NONE) {
            CHECK(rc == -1);
            CHECK(err.kind == DB_ERR_USAGE);
            CHECK(err.message && !strstr(err.message, "pw"));
            db_error_clear(&err);
            continue;
        }
        CHECK(rc == 0);
        if (rc != 0) {
            fprintf(stderr, "  case %zu: %s\n", i, err.message);
            db_error_clear(&err);
            continue;
        }
        CHECK(u.engine == c->engine);
        if (c->target)
            CHECK_STR(u.target, c->target);
        CHECK_STR(u.display, c->display);
        if (c->password)
            CHECK_STR(u.password, c->password);
        db_url_free(&u);
    }
}

/* libpq's parse errors quote the bad token: the message must not carry it. */
static void test_parse_errors_hide_password(void)
{
    const char *bad[] = {
        "postgresql://app:sec%zzret@/appdb",
        "postgresql:///appdb?password=sec%zzret",
        "host=h password=my zzsecret",
        "postgresql://app:s3cret zzpw@h/d?x=1&=",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        DbUrl u;
        DbError err = DB_ERROR_INIT;
        if (db_url_parse(&u, bad[i], &err) == 0) {
            CHECK(!strstr(u.display, "zz"));
            db_url_free(&u);
            continue;
        }
        CHECK(err.kind == DB_ERR_USAGE);
        CHECK(!strstr(err.message, "zz"));
        db_error_clear(&err);
    }
}

static void test_database_url_env(void)
{
    setenv("DATABASE_URL", "postgresql://x:envpass@h/d", 1);
    DbUrl u;
    DbError err = DB_ERROR_INIT;
    CHECK(db_url_parse(&u, NULL, &err) == 0);
    CHECK(u.engine == DB_ENGINE_POSTGRES);
    CHECK_STR(u.display, "postgresql://x:***@h/d");
    db_url_free(&u);
    CHECK(db_url_parse(&u, "", &err) == 0);
    db_url_free(&u);
    unsetenv("DATABASE_URL");
    CHECK(db_url_parse(&u, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "DATABASE_URL");
    db_error_clear(&err);
}

static void test_redact_free_text(void)
{
    char *r = db_url_redact("cannot connect to postgresql://a:b@c/d: refused");
    CHECK_STR(r, "cannot connect to postgresql://a:***@c/d: refused");
    free(r);
    r = db_url_scrub("FATAL: bad login for password=abc123 near abc123", "abc123");
    CHECK(!strstr(r, "abc123"));
    free(r);
    r = db_url_scrub("a short pw 'x' stays readable", "x");
    CHECK_STR(r, "a short pw 'x' stays readable");
    free(r);
    r = db_url_redact("PASSWORD=Upper user=u");
    CHECK_STR(r, "PASSWORD=*** user=u");
    free(r);
    r = db_url_redact("postgresql://h/d?sslmode=require&password=x&application_name=y");
    CHECK_STR(r, "postgresql://h/d?sslmode=require&password=***&application_name=y");
    free(r);
    r = db_url_redact("postgresql://app:pa/ss?w#d@db/x"); /* libpq refuses it; still hidden */
    CHECK_STR(r, "postgresql://app:***@db/x");
    free(r);
    r = db_url_redact("mypassword=abc"); /* not a password key */
    CHECK_STR(r, "mypassword=abc");
    free(r);
}

/* A URL with its "://" mistyped is not taken for a SQLite file name: the
 * error suggests the likely fix, password hidden. */
static void test_typo_suggests_fix(void)
{
    static const struct { const char *in, *suggest; } typos[] = {
        { "postgresql//host/db", "did you mean postgresql://host/db?" },
        { "postgres:/host/db", "did you mean postgres://host/db?" },
        { "postgresql:host/db", "did you mean postgresql://host/db?" },
        { "postgresql//app:Zpw99@host/db", "did you mean postgresql://app:***@host/db?" },
        { "sqlite//app.db", "did you mean sqlite:///app.db?" },
        { "SQLite:app.db", "did you mean SQLite:///app.db?" },
    };
    for (size_t i = 0; i < sizeof typos / sizeof typos[0]; i++) {
        DbUrl u;
        DbError err = DB_ERROR_INIT;
        CHECK(db_url_parse(&u, typos[i].in, &err) == -1);
        CHECK(err.kind == DB_ERR_USAGE);
        CHECK_CONTAINS(err.message, typos[i].suggest);
        CHECK(!strstr(err.message, "Zpw99"));
        db_error_clear(&err);
    }
    /* a plain path that only starts like a scheme is a path */
    DbUrl u;
    DbError err = DB_ERROR_INIT;
    CHECK(db_url_parse(&u, "postgresql-copy.db", &err) == 0 && u.engine == DB_ENGINE_SQLITE);
    db_url_free(&u);
    CHECK(db_url_parse(&u, "postgresql/new.db", &err) == 0 && u.engine == DB_ENGINE_SQLITE);
    db_url_free(&u);
}

/* db_url_mask: in place, same length, the password's bytes only. */
static void test_mask(void)
{
    static const struct { const char *in, *out; } masks[] = {
        { "postgresql://app:s3cret%21pw@/shop?host=/tmp", "postgresql://app:xxxxxxxxxxx@/shop?host=/tmp" },
        { "postgres://u:p@ss@h:5432/d", "postgres://u:xxxx@h:5432/d" },
        { "postgresql://h/d?sslmode=require&password=abc&x=1", "postgresql://h/d?sslmode=require&password=xxx&x=1" },
        { "host=/tmp password=abc dbname=d", "host=/tmp password=xxx dbname=d" },
        { "host=/tmp password = 'a b\\'c' sslpassword=k", "host=/tmp password = xxxxxxxx sslpassword=x" },
        { "postgresql://app@h/d", "postgresql://app@h/d" },
        { "sqlite:///app.db", "sqlite:///app.db" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        char *s = xstrdup(masks[i].in);
        db_url_mask(s);
        CHECK_STR(s, masks[i].out);
        free(s);
    }
}

int main(void)
{
    RUN(test_typo_suggests_fix);
    RUN(test_parse_table);
    RUN(test_parse_errors_hide_password);
    RUN(test_database_url_env);
    RUN(test_redact_free_text);
    RUN(test_mask);
    return test_report();
}
