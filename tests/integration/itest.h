/* itest.h: fresh real databases for integration tests.
 *
 * itest_url(engine, name) returns a URL (caller frees) to a new, empty
 * database: a new SQLite file in the working folder, or a new PostgreSQL
 * database on the test server (see tests/pg/pgctl.sh), owned by the role
 * "app" and reached with its password, so the password path is real. */
#ifndef DBW_ITEST_H
#define DBW_ITEST_H

#include "db.h"
#include "xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ITEST_PG_PASSWORD "s3cret!pw"

static inline DbEngine itest_engine(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "postgres") == 0)
        return DB_ENGINE_POSTGRES;
    return DB_ENGINE_SQLITE;
}

static inline char *itest_pg_url(const char *db, const char *password)
{
    const char *host = getenv("DBW_PG_HOST"), *port = getenv("DBW_PG_PORT");
    if (!host || !port) {
        fprintf(stderr, "itest: DBW_PG_HOST/DBW_PG_PORT not set (run through ctest)\n");
        exit(1);
    }
    return xasprintf("postgresql://app:%s@/%s?host=%s&port=%s", password, db, host, port);
}

static inline char *itest_url(DbEngine engine, const char *name)
{
    if (engine == DB_ENGINE_SQLITE) {
        char *path = xasprintf("it_%s.db", name);
        unlink(path);
        char *url = xasprintf("sqlite:///%s", path);
        free(path);
        return url;
    }
    DbConn *admin = NULL;
    DbError err = DB_ERROR_INIT;
    if (db_open(&admin, getenv("DBW_PG_ADMIN"), NULL, &err) != 0) {
        fprintf(stderr, "itest: cannot reach the test server: %s\n", err.message);
        exit(1);
    }
    char *drop = xasprintf("DROP DATABASE IF EXISTS it_%s WITH (FORCE)", name);
    char *create = xasprintf("CREATE DATABASE it_%s OWNER app", name);
    if (db_exec(admin, "itest", drop, NULL, &err) != 0 ||
        db_exec(admin, "itest", create, NULL, &err) != 0) {
        fprintf(stderr, "itest: %s\n", err.message);
        exit(1);
    }
    free(drop);
    free(create);
    db_close(admin);
    char *db = xasprintf("it_%s", name);
    char *url = itest_pg_url(db, "s3cret%21pw");
    free(db);
    return url;
}

static inline DbConn *itest_open(const char *url)
{
    DbConn *c = NULL;
    DbError err = DB_ERROR_INIT;
    DbOpenOptions o = { .create = true };
    if (db_open(&c, url, &o, &err) != 0) {
        fprintf(stderr, "itest: cannot open %s: %s\n", url, err.message);
        exit(1);
    }
    return c;
}

/* Does the table exist (false on any error)? */
static inline bool itest_table_exists(DbConn *c, const char *t)
{
    DbError err = DB_ERROR_INIT;
    bool e = false;
    if (db_table_exists(c, t, &e, &err) != 0)
        db_error_clear(&err);
    return e;
}

/* Writes text to dir/name. */
static inline void itest_write_file(const char *dir, const char *name, const char *text)
{
    char *p = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f) {
        fprintf(stderr, "itest: cannot write %s\n", p);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
    free(p);
}

/* A new empty folder "<prefix>_<name>_<pg|sq>" in the working folder;
 * caller frees the name. */
static inline char *itest_fresh_dir(const char *prefix, const char *name, DbEngine engine)
{
    char *d = xasprintf("%s_%s_%s", prefix, name, engine == DB_ENGINE_POSTGRES ? "pg" : "sq");
    char *cmd = xasprintf("rm -rf '%s'", d);
    if (system(cmd) != 0)
        abort();
    free(cmd);
    mkdir(d, 0755);
    return d;
}

#endif
