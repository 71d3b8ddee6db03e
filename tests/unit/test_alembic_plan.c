/* test_alembic_plan.c: what up, down and stamp will do, planned on a graph
 * with a branch and a merge (the integration test checks the same rules
 * against the real alembic), and the URLs of alembic_url.c. */
#include "alembic.h"
#include "test.h"
#include "xalloc.h"

#include <stdlib.h>
#include <unistd.h>

/* a1 <- b2 <- {c3a (billing), c3b} <- d4 (merge) <- e5 */
static const char *const files[][2] = {
    { "v/a1.py", "\"\"\"users\"\"\"\nrevision = 'a1'\ndown_revision = None\n" },
    { "v/b2.py", "\"\"\"projects\"\"\"\nrevision = 'b2'\ndown_revision = 'a1'\n" },
    { "v/c3a.py", "\"\"\"invoices\"\"\"\nrevision = 'c3a'\ndown_revision = 'b2'\n"
                  "branch_labels = ('billing',)\n" },
    { "v/c3b.py", "\"\"\"audit\"\"\"\nrevision = 'c3b'\ndown_revision = 'b2'\n" },
    { "v/d4.py", "\"\"\"merge\"\"\"\nrevision = 'd4'\ndown_revision = ('c3a', 'c3b')\n" },
    { "v/e5.py", "\"\"\"jobs\"\"\"\nrevision = 'e5'\ndown_revision = 'd4'\n" },
};

static AlembicGraph g;

static void build(void)
{
    AlembicRevision *revs = xcalloc(6, sizeof *revs);
    for (size_t i = 0; i < 6; i++)
        alembic_revision_parse(&revs[i], files[i][0], files[i][1], strlen(files[i][1]));
    alembic_graph_build(&g, revs, 6);
}

static char *join(char *const *v, size_t n)
{
    char buf[512] = "";
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(buf, ",");
        strcat(buf, v[i]);
    }
    return xstrdup(buf);
}

static char *argline(char *const *v)
{
    char buf[512] = "";
    for (size_t i = 0; v && v[i]; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, v[i]);
    }
    return xstrdup(v ? buf : "(none)");
}

typedef struct Case {
    const char *at;        /* current rows, comma separated ("" none) */
    AlembicVerb verb;
    const char *target;
    const char *args;      /* the real run */
    const char *sql;       /* the preview, or "(none)" */
    const char *after;     /* rows expected after */
    const char *changed;   /* ids applied / rolled back, in running order */
} Case;

static void check_case(const Case *c)
{
    char *at = xstrdup(c->at);
    const char *cur[8];
    size_t n = 0;
    for (char *t = strtok(at, ","); t; t = strtok(NULL, ","))
        cur[n++] = t;
    AlembicStatus st;
    alembic_status_from_current(&st, &g, cur, n);
    AlembicPlan p;
    DbError err = DB_ERROR_INIT;
    if (alembic_plan_make(&p, &g, &st, c->verb, c->target, &err) != 0) {
        fprintf(stderr, "  at %s, %s: %s\n", c->at, c->target ? c->target : "-", err.message);
        CHECK(!"planned");
    } else {
        char *args = argline(p.args), *sql = argline(p.sql_args);
        char *after = join(p.after_current, p.nafter_current);
        char *changed = xstrdup("");
        for (size_t i = 0; i < p.nchanged; i++) {
            char *t = xasprintf("%s%s%.*s", changed, i ? "," : "",
                                (int)strcspn(p.changed[i], " "), p.changed[i]);
            free(changed);
            changed = t;
        }
        CHECK_STR(args, c->args);
        CHECK_STR(sql, c->sql);
        CHECK_STR(after, c->after);
        if (c->verb != ALEMBIC_STAMP)
            CHECK_STR(changed, c->changed);
        CHECK(!p.nothing);
        free(args);
        free(sql);
        free(after);
        free(changed);
    }
    db_error_clear(&err);
    alembic_plan_free(&p);
    alembic_status_free(&st);
    free(at);
}

static void test_up(void)
{
    const Case cases[] = {
        { "", ALEMBIC_UPGRADE, NULL, "upgrade heads", "upgrade heads --sql", "e5",
          "a1,b2,c3b,c3a,d4,e5" },
        { "b2", ALEMBIC_UPGRADE, "c3a", "upgrade c3a", "upgrade b2:c3a --sql", "c3a", "c3a" },
        { "b2", ALEMBIC_UPGRADE, "billing", "upgrade c3a", "upgrade b2:c3a --sql", "c3a", "c3a" },
        { "c3a", ALEMBIC_UPGRADE, "billing@head", "upgrade e5", "upgrade c3a:e5 --sql", "e5",
          "c3b,d4,e5" },
        { "", ALEMBIC_UPGRADE, "+2", "upgrade b2", "upgrade b2 --sql", "b2", "a1,b2" },
        { "d4", ALEMBIC_UPGRADE, "head", "upgrade e5", "upgrade d4:e5 --sql", "e5", "e5" },
        { "c3a,c3b", ALEMBIC_UPGRADE, NULL, "upgrade heads", "(none)", "e5", "d4,e5" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

static void test_down(void)
{
    const Case cases[] = {
        /* one step off the head: the explicit head@parent */
        { "e5", ALEMBIC_DOWNGRADE, NULL, "downgrade e5@d4", "downgrade e5:e5@d4 --sql", "d4",
          "e5" },
        /* at a merge: the merge alone goes, both branches stay */
        { "d4", ALEMBIC_DOWNGRADE, NULL, "downgrade d4@c3a", "downgrade d4:d4@c3a --sql",
          "c3a,c3b", "d4" },
        /* two heads: the one named goes */
        { "c3a,c3b", ALEMBIC_DOWNGRADE, "c3b", "downgrade c3b@b2", "downgrade c3b:c3b@b2 --sql",
          "c3a", "c3b" },
        { "c3a,c3b", ALEMBIC_DOWNGRADE, "c3a", "downgrade c3a@b2", "downgrade c3a:c3a@b2 --sql",
          "c3b", "c3a" },
        /* steps, down to, base */
        { "e5", ALEMBIC_DOWNGRADE, "2", "downgrade c3a", "downgrade e5:c3a --sql", "c3a,c3b",
          "e5,d4" },
        { "e5", ALEMBIC_DOWNGRADE, "b2", "downgrade b2", "downgrade e5:b2 --sql", "b2",
          "e5,d4,c3a,c3b" },
        { "c3a,c3b", ALEMBIC_DOWNGRADE, "a1", "downgrade a1", "(none)", "a1", "c3a,c3b,b2" },
        { "a1", ALEMBIC_DOWNGRADE, "all", "downgrade base", "downgrade a1:base --sql", "", "a1" },
        { "a1", ALEMBIC_DOWNGRADE, NULL, "downgrade a1@base", "downgrade a1:a1@base --sql", "",
          "a1" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

static void test_stamp(void)
{
    const Case cases[] = {
        { "c3a,c3b", ALEMBIC_STAMP, "b2", "stamp b2", "stamp b2 --sql", "b2", "" },
        { "c3a,c3b", ALEMBIC_STAMP, "d4", "stamp d4", "stamp d4 --sql", "d4", "" },
        { "d4", ALEMBIC_STAMP, "c3a", "stamp c3a", "stamp c3a --sql", "c3a", "" },
        { "c3a", ALEMBIC_STAMP, "c3b", "stamp c3b", "stamp c3b --sql", "c3a,c3b", "" },
        { "c3a,c3b", ALEMBIC_STAMP, "base", "stamp base", "stamp base --sql", "", "" },
        { "b2", ALEMBIC_STAMP, "heads", "stamp heads", "stamp heads --sql", "e5", "" },
        { "zz", ALEMBIC_STAMP, "a1", "stamp --purge a1", "(none)", "a1", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

/* Plans that fail, with what the message must say. */
static void check_fails(const char *at, AlembicVerb verb, const char *target, const char *says)
{
    const char *cur[4];
    size_t n = 0;
    char *copy = xstrdup(at);
    for (char *t = strtok(copy, ","); t; t = strtok(NULL, ","))
        cur[n++] = t;
    AlembicStatus st;
    alembic_status_from_current(&st, &g, cur, n);
    AlembicPlan p;
    DbError err = DB_ERROR_INIT;
    CHECK(alembic_plan_make(&p, &g, &st, verb, target, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, says);
    db_error_clear(&err);
    alembic_plan_free(&p);
    alembic_status_free(&st);
    free(copy);
}

static void test_refusals(void)
{
    /* several heads: down names the choices */
    check_fails("c3a,c3b", ALEMBIC_DOWNGRADE, NULL, "2 current revisions (c3a, c3b)");
    check_fails("c3a,c3b", ALEMBIC_DOWNGRADE, "1", "e.g. down c3a");
    check_fails("e5", ALEMBIC_DOWNGRADE, "3", "past the merge d4");
    check_fails("b2", ALEMBIC_DOWNGRADE, "e5", "e5 is not applied");
    check_fails("b2", ALEMBIC_DOWNGRADE, "3", "only 2 revisions are applied");
    check_fails("b2", ALEMBIC_UPGRADE, "c3", "start of 2 revisions (c3a, c3b)");
    check_fails("c3a,c3b", ALEMBIC_DOWNGRADE, "c3", "start of 2 revisions");
    check_fails("b2", ALEMBIC_UPGRADE, "+1", "branches (c3a, c3b)");
    check_fails("b2", ALEMBIC_UPGRADE, "nope", "'nope' is not a revision");
    check_fails("zz", ALEMBIC_UPGRADE, NULL, "'zz'");
    check_fails("b2", ALEMBIC_STAMP, NULL, "stamp needs a target");
}

static void test_nothing(void)
{
    const struct { const char *at; AlembicVerb v; const char *t; } cases[] = {
        { "e5", ALEMBIC_UPGRADE, NULL }, { "", ALEMBIC_DOWNGRADE, NULL },
        { "c3a", ALEMBIC_UPGRADE, "b2" }, { "c3a,c3b", ALEMBIC_STAMP, "c3a" },
        { "e5", ALEMBIC_DOWNGRADE, "to:e5" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *copy = xstrdup(cases[i].at);
        const char *cur[4];
        size_t n = 0;
        for (char *t = strtok(copy, ","); t; t = strtok(NULL, ","))
            cur[n++] = t;
        AlembicStatus st;
        alembic_status_from_current(&st, &g, cur, n);
        AlembicPlan p;
        DbError err = DB_ERROR_INIT;
        CHECK(alembic_plan_make(&p, &g, &st, cases[i].v, cases[i].t, &err) == 0);
        CHECK(p.nothing && p.nchanged == 0);
        CHECK_CONTAINS(p.summary, "nothing to do");
        db_error_clear(&err);
        alembic_plan_free(&p);
        alembic_status_free(&st);
        free(copy);
    }
}

/* ---- URLs ------------------------------------------------------------ */

static void test_urls(void)
{
    CHECK(alembic_url_is_placeholder("driver://user:pass@localhost/dbname"));
    CHECK(alembic_url_is_placeholder(NULL) && alembic_url_is_placeholder("  "));
    CHECK(!alembic_url_is_placeholder("sqlite:///app.db"));
    /* SQLite: relative paths against their own folders */
    CHECK(alembic_url_same_db("sqlite:////srv/app/app.db", NULL, "sqlite:///app.db", "/srv/app"));
    CHECK(alembic_url_same_db("/srv/app/app.db", NULL, "sqlite+pysqlite:///../app/app.db",
                              "/srv/app"));
    CHECK(!alembic_url_same_db("sqlite:////srv/app/a.db", NULL, "sqlite:///b.db", "/srv/app"));
    CHECK(!alembic_url_same_db("sqlite://", NULL, "sqlite://", NULL));
    CHECK(!alembic_url_same_db("sqlite:////x.db", NULL, "postgresql://h/x", NULL));
    CHECK(!alembic_url_same_db("sqlite:////x.db", NULL, "mysql://h/x", NULL));
    /* PostgreSQL: host, port and database; not the user or password */
    CHECK(alembic_url_same_db("postgresql://a:pw@localhost/shop",
                              NULL, "postgresql+psycopg2://b@127.0.0.1:5432/shop", NULL));
    CHECK(alembic_url_same_db("host=/tmp/s port=5433 dbname=shop user=a", NULL,
                              "postgresql://x@/shop?host=/tmp/s/&port=5433", NULL));
    CHECK(!alembic_url_same_db("postgresql://localhost/shop", NULL,
                               "postgresql://localhost/shop_test", NULL));
    CHECK(!alembic_url_same_db("postgresql://localhost:5433/shop", NULL,
                               "postgresql://localhost/shop", NULL));
    CHECK(!alembic_url_same_db("postgresql://db1/shop", NULL, "postgresql://db2/shop", NULL));
    /* what the child gets */
    char *u = NULL;
    DbError err = DB_ERROR_INIT;
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(alembic_url_for_child("sqlite:///rel/app.db", &u, &err) == 0);
    char *want = xasprintf("sqlite:///%s/rel/app.db", cwd);
    CHECK_STR(u, want);
    free(want);
    free(u);
    CHECK(alembic_url_for_child("postgresql+psycopg2://a:b@h/db", &u, &err) == 0);
    CHECK_STR(u, "postgresql+psycopg2://a:b@h/db");
    free(u);
    CHECK(alembic_url_for_child("host=/tmp/s port=5433 dbname=shop user=a password='p w'", &u,
                                &err) == 0);
    CHECK_STR(u, "postgresql://a:p%20w@/shop?host=%2Ftmp%2Fs&port=5433");
    free(u);
    CHECK(alembic_url_for_child("postgresql://h/db", &u, &err) == 0);
    CHECK(alembic_url_same_db(u, "/elsewhere", "postgresql://h/db", NULL));
    free(u);
    db_error_clear(&err);
}

static void test_ini_url(void)
{
    AlembicConfig c;
    DbError err = DB_ERROR_INIT;
    const char *ini = "[DEFAULT]\ndata = ../data\n[alembic]\nscript_location = m\n"
                      "sqlalchemy.url = sqlite:///%(here)s/%(data)s/app.db\n";
    CHECK(alembic_config_parse(&c, "/srv/app/alembic.ini", ini, NULL, &err) == 0);
    CHECK_STR(c.url, "sqlite:////srv/app/../data/app.db");
    CHECK(c.url_line == 5);
    char *u = NULL;
    CHECK(alembic_config_db_url(&c, &u, &err) == 0);
    CHECK_STR(u, "sqlite:////srv/data/app.db");
    free(u);
    /* another database: refused, naming both, the password hidden */
    free(c.url);
    c.url = xstrdup("postgresql://app:s3cret%21@db/shop");
    CHECK(alembic_url_check(&c, "postgresql://app:s3cret%21@db/other", false, NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "/srv/app/alembic.ini:5: sqlalchemy.url names "
                                "postgresql://app:***@db/shop, but dbwarden works on "
                                "postgresql://app:***@db/other");
    CHECK_CONTAINS(err.message, "Nothing was done");
    CHECK(!strstr(err.message, "s3cret"));
    db_error_clear(&err);
    CHECK(alembic_url_check(&c, "postgresql://app:s3cret%21@db/other", true, NULL, &err) == 0);
    CHECK(alembic_url_check(&c, "postgresql://other@db:5432/shop", false, NULL, &err) == 0);
    alembic_config_free(&c);
    /* relative to the ini's folder; the placeholder and no value name nothing */
    CHECK(alembic_config_parse(&c, "/srv/app/alembic.ini", "[alembic]\nscript_location = m\n"
                               "sqlalchemy.url = sqlite:///app.db\n", NULL, &err) == 0);
    CHECK(alembic_config_db_url(&c, &u, &err) == 0);
    CHECK_STR(u, "sqlite:////srv/app/app.db");
    free(u);
    CHECK(alembic_url_check(&c, "sqlite:////srv/app/app.db", false, NULL, &err) == 0);
    CHECK(alembic_url_check(&c, "sqlite:///app.db", false, NULL, &err) == -1);   /* from cwd */
    db_error_clear(&err);
    alembic_config_free(&c);
    CHECK(alembic_config_parse(&c, "/srv/app/alembic.ini", "[alembic]\nscript_location = m\n"
                               "sqlalchemy.url = driver://user:pass@localhost/dbname\n", NULL,
                               &err) == 0);
    CHECK(alembic_config_db_url(&c, &u, &err) == 0 && u == NULL);
    CHECK(alembic_url_check(&c, "sqlite:///x.db", false, NULL, &err) == 0);
    alembic_config_free(&c);
    /* a value that cannot be interpolated is not a load failure */
    CHECK(alembic_config_parse(&c, "/srv/app/alembic.ini", "[alembic]\nscript_location = m\n"
                               "sqlalchemy.url = %(DB_URL)s\n", NULL, &err) == 0);
    CHECK(c.url == NULL && c.url_problem != NULL);
    CHECK(alembic_config_db_url(&c, &u, &err) == -1);
    CHECK_CONTAINS(err.message, "%(db_url)s");
    db_error_clear(&err);
    alembic_config_free(&c);
}

int main(void)
{
    build();
    RUN(test_up);
    RUN(test_down);
    RUN(test_stamp);
    RUN(test_refusals);
    RUN(test_nothing);
    RUN(test_urls);
    RUN(test_ini_url);
    alembic_graph_free(&g);
    return test_report();
}
