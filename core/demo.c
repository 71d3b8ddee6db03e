/* demo.c: see demo.h. */
#include "demo.h"
#include "fsutil.h"
#include "db.h"
#include "seed.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO_APPLICATION_ID "1145197380"   /* 'DBWD' */

bool demo_replaceable(const char *path)
{
    if (access(path, F_OK) != 0)
        return true;
    char *url = xasprintf("sqlite:///%s", path);
    DbConn *c = NULL;
    DbError err = DB_ERROR_INIT;
    DbOpenOptions o = { .read_only = true };
    char *id = NULL;
    bool ok = db_open(&c, url, &o, &err) == 0 &&
              db_query_value(c, "demo: application id",
                             "/* demo: application id */ PRAGMA application_id", NULL, &id,
                             &err) == 0 &&
              id && strcmp(id, DEMO_APPLICATION_ID) == 0;
    db_error_clear(&err);
    free(id);
    db_close(c);
    free(url);
    return ok;
}

/* The demo set, on the reference schema; another schema stays empty. */
static int seed_demo(DbConn *conn, DbError *err)
{
    SeedOutcome out;
    DbError e = DB_ERROR_INIT;
    if (seed_demo_direct(conn, &out, &e) == 0)
        return 0;
    if (e.kind == DB_ERR_USAGE) {   /* not the reference schema: nothing to seed */
        db_error_clear(&e);
        return 0;
    }
    db_error_move(err, &e);
    db_error_prefix(err, "seeding the demo data");
    return -1;
}

int demo_build(const char *path, const MigDir *dir, DbError *err)
{
    char *tmp = fs_temp_name(path);
    char *url = xasprintf("sqlite:///%s", tmp);
    char *lock = xasprintf("%s.dbwarden-lock", tmp);
    unlink(tmp);
    DbConn *conn = NULL;
    DbOpenOptions o = { .create = true };
    int rc = 0;
    if (db_open(&conn, url, &o, err) != 0 ||
        migrate_up(conn, dir, NULL, NULL, NULL, err) != 0 ||
        db_exec(conn, "demo: mark", "/* demo: mark */ PRAGMA application_id = "
                DEMO_APPLICATION_ID, NULL, err) != 0 ||
        seed_demo(conn, err) != 0)
        rc = -1;
    db_close(conn);
    unlink(lock); /* the run lock of a file nobody else has seen */
    if (rc == 0 && fs_place(tmp, path, true, err) != 0)
        rc = -1;
    if (rc != 0)
        unlink(tmp);
    free(lock);
    free(tmp);
    free(url);
    return rc;
}
