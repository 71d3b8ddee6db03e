/* test_backup.c: backups and restore against a real database (argv[1]:
 * sqlite|postgres): round trip, names and folder, atomicity, the list,
 * refusals, and (PostgreSQL) the tool lookup and the password's path. */
#include "backup.h"
#include "itest.h"
#include "test.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

static DbEngine engine;

/* ---- helpers ---- */

static long query_long(DbConn *c, const char *sql)
{
    char *v = NULL;
    DbError err = DB_ERROR_INIT;
    if (db_query_value(c, "t", sql, NULL, &v, &err) != 0) {
        fprintf(stderr, "query failed: %s: %s\n", sql, err.message);
        db_error_clear(&err);
        return -1;
    }
    long n = v ? atol(v) : -1;
    free(v);
    return n;
}

static void exec_ok(DbConn *c, const char *sql)
{
    DbError err = DB_ERROR_INIT;
    if (db_exec_script(c, "t", sql, NULL, &err) != 0) {
        fprintf(stderr, "exec failed: %s: %s\n", sql, err.message);
        db_error_clear(&err);
        CHECK(!"exec failed");
    }
}

/* Entries in dir other than . and .. (hidden ones too); -1 when missing. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void rm_tree(const char *dir)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return xstrdup("");
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return xstrdup(buf);
}

static const char *ext(void)
{
    return engine == DB_ENGINE_POSTGRES ? "dump" : "sqlite3";
}

/* A table with three rows. */
static void make_items(DbConn *c)
{
    exec_ok(c, "CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL);"
               "INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three');");
}

/* A table of about 600 KB of incompressible text. */
static void make_big(DbConn *c)
{
    if (engine == DB_ENGINE_POSTGRES)
        exec_ok(c, "CREATE TABLE big (id integer PRIMARY KEY, v text);"
                   "INSERT INTO big SELECT i, md5(random()::text) || md5(random()::text) "
                   "FROM generate_series(1, 8000) AS i;");
    else
        exec_ok(c, "CREATE TABLE big (id integer PRIMARY KEY, v text);"
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                   "WHERE i < 3000) INSERT INTO big SELECT i, hex(randomblob(100)) FROM n;");
}

/* ---- tests ---- */

static void test_roundtrip(void)
{
    char *url = itest_url(engine, "bk_rt");
    DbConn *c = itest_open(url);
    make_items(c);
    DbError err = DB_ERROR_INIT;
    BackupInfo b;
    rm_tree("bk_rt");
    time_t before = time(NULL);
    CHECK(backup_create(c, "bk_rt", NULL, &b, &err) == 0);
    CHECK(err.kind == DB_OK);
    CHECK(b.path && b.bytes > 0 && b.duration_ms >= 0);
    CHECK(b.engine == engine);
    CHECK_STR(b.database, "it_bk_rt");
    CHECK(b.created >= before && b.created <= time(NULL));
    struct stat st;
    CHECK(b.path && stat(b.path, &st) == 0 && st.st_size == b.bytes);
    CHECK((st.st_mode & 0777) == 0600);

    /* change the data, then restore: the data is back */
    exec_ok(c, "DELETE FROM items WHERE id = 1; UPDATE items SET label = 'changed';"
               "INSERT INTO items VALUES (9, 'nine'); CREATE TABLE extra (x integer);");
    CHECK(query_long(c, "SELECT count(*) FROM items") == 3);
    long ms = -1;
    CHECK(backup_restore(c, b.path, NULL, &ms, &err) == 0);
    if (err.message)
        fprintf(stderr, "restore: %s\n", err.message);
    db_error_clear(&err);
    CHECK(ms >= 0);
    /* through the same connection */
    CHECK(query_long(c, "SELECT count(*) FROM items") == 3);
    CHECK(query_long(c, "SELECT count(*) FROM items WHERE label = 'changed'") == 0);
    CHECK(query_long(c, "SELECT count(*) FROM items WHERE id = 1 AND label = 'one'") == 1);
    CHECK(query_long(c, "SELECT count(*) FROM items WHERE id = 9") == 0);
    bool extra = true;
    CHECK(db_table_exists(c, "extra", &extra, &err) == 0);
    /* the whole database is the backup's: what was made since is gone */
    CHECK(!extra);

    /* and through a new one */
    DbConn *c2 = itest_open(url);
    CHECK(query_long(c2, "SELECT count(*) FROM items WHERE label IN ('one','two','three')") == 3);
    db_close(c2);

    /* a second restore of the same file works too */
    exec_ok(c, "DELETE FROM items;");
    CHECK(backup_restore(c, b.path, NULL, NULL, &err) == 0);
    db_error_clear(&err);
    CHECK(query_long(c, "SELECT count(*) FROM items") == 3);

    char *desc = backup_restore_describe(c, b.path);
    CHECK_CONTAINS(desc, b.path);
    CHECK(!strstr(desc, "s3cret"));
    free(desc);
    backup_info_free(&b);
    db_close(c);
    free(url);
}

static void test_names_and_folder(void)
{
    char *url = itest_url(engine, "bk_names");
    DbConn *c = itest_open(url);
    make_items(c);
    rm_tree("bk_names");
    const char *dir = "bk_names/nested/deeper";
    DbError err = DB_ERROR_INIT;
    BackupInfo a, b, d;
    CHECK(backup_create(c, "bk_names/nested/deeper/", NULL, &a, &err) == 0);
    CHECK(backup_create(c, dir, NULL, &b, &err) == 0);
    CHECK(backup_create(c, dir, NULL, &d, &err) == 0);
    db_error_clear(&err);
    struct stat st;
    CHECK(stat("bk_names/nested", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
    /* <database>-<YYYYmmddTHHMMSSZ>[-N].<ext>, the time in UTC */
    char stamp[32];
    struct tm tm;
    gmtime_r(&a.created, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    char *want = xasprintf("it_bk_names-%s.%s", stamp, ext());
    CHECK_STR(a.name, want);
    free(want);
    char *want_path = xasprintf("%s/%s", dir, a.name);
    CHECK_STR(a.path, want_path);
    free(want_path);
    CHECK(a.name && b.name && d.name && strcmp(a.name, b.name) != 0 &&
          strcmp(b.name, d.name) != 0 && strcmp(a.name, d.name) != 0);
    if (a.created == b.created) {
        gmtime_r(&b.created, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        want = xasprintf("it_bk_names-%s-2.%s", stamp, ext());
        CHECK_STR(b.name, want);
        free(want);
    }
    /* three files, nothing else: no temporary file left behind */
    CHECK(count_entries(dir) == 3);

    /* the label of a SQLite file drops its extension; odd characters go */
    CHECK_STR(b.database, "it_bk_names");
    backup_info_free(&a);
    backup_info_free(&b);
    backup_info_free(&d);
    db_close(c);
    free(url);

    if (engine == DB_ENGINE_SQLITE) {
        unlink("odd name's.sqlite");
        DbConn *o = itest_open("sqlite:///odd name's.sqlite");
        char *label = backup_label(o);
        CHECK_STR(label, "odd_name_s");
        free(label);
        db_close(o);
        unlink("odd name's.sqlite");
        /* an in-memory database has no file to back up */
        DbConn *m = itest_open("sqlite://");
        CHECK(backup_preflight(m, NULL, &err) == -1);
        CHECK_CONTAINS(err.message, "in-memory");
        db_error_clear(&err);
        CHECK(backup_create(m, "bk_names/mem", NULL, &a, &err) == -1);
        CHECK(count_entries("bk_names/mem") == -1);
        db_error_clear(&err);
        db_close(m);
    }
}

static void test_list(void)
{
    char *url = itest_url(engine, "bk_list");
    DbConn *c = itest_open(url);
    make_items(c);
    rm_tree("bk_list");
    DbError err = DB_ERROR_INIT;
    BackupList l;
    /* a missing folder is an empty list */
    CHECK(backup_list("bk_list", NULL, &l, &err) == 0 && l.count == 0);
    BackupInfo a, b;
    CHECK(backup_create(c, "bk_list", NULL, &a, &err) == 0);
    CHECK(backup_create(c, "bk_list", NULL, &b, &err) == 0);
    db_error_clear(&err);
    /* older backups, another database's, and files that are not backups */
    write_file("bk_list/it_bk_list-20200101T000000Z.sqlite3", "x", 0600);
    write_file("bk_list/it_bk_list-20210615T120000Z.dump", "xy", 0600);
    write_file("bk_list/other-db-20220101T000000Z.sqlite3", "z", 0600);
    write_file("bk_list/README", "not a backup", 0600);
    write_file("bk_list/.it_bk_list-20230101T000000Z.dump.tmp-abcdef", "half", 0600);
    write_file("bk_list/it_bk_list-2023.dump", "bad stamp", 0600);
    mkdir("bk_list/it_bk_list-20240101T000000Z.dump", 0700);

    CHECK(backup_list("bk_list", "it_bk_list", &l, &err) == 0);
    CHECK(l.count == 4);
    if (l.count == 4) {
        CHECK_STR(l.items[0].name, b.name);   /* newest first */
        CHECK_STR(l.items[1].name, a.name);
        CHECK_STR(l.items[2].name, "it_bk_list-20210615T120000Z.dump");
        CHECK_STR(l.items[3].name, "it_bk_list-20200101T000000Z.sqlite3");
        CHECK(l.items[0].bytes == b.bytes && l.items[0].engine == engine);
        CHECK(l.items[0].created == b.created);
        CHECK(l.items[2].engine == DB_ENGINE_POSTGRES && l.items[2].bytes == 2);
        CHECK(l.items[3].engine == DB_ENGINE_SQLITE);
        CHECK(l.items[3].created == 1577836800);   /* 2020-01-01T00:00:00Z */
        CHECK(l.items[2].created == 1623758400);   /* 2021-06-15T12:00:00Z */
        CHECK_STR(l.items[3].database, "it_bk_list");
        CHECK_STR(l.items[3].path, "bk_list/it_bk_list-20200101T000000Z.sqlite3");
        CHECK(l.items[0].duration_ms == -1);
    }
    backup_list_free(&l);
    CHECK(backup_list("bk_list/", NULL, &l, &err) == 0);
    CHECK(l.count == 5);
    if (l.count == 5)
        CHECK_STR(l.items[4].path, "bk_list/it_bk_list-20200101T000000Z.sqlite3");
    if (l.count == 5)
        CHECK_STR(l.items[2].database, "other-db");
    backup_list_free(&l);
    CHECK(backup_list("bk_list", "nobody", &l, &err) == 0 && l.count == 0);
    backup_list_free(&l);
    backup_info_free(&a);
    backup_info_free(&b);
    db_close(c);
    free(url);
}

static void test_unwritable_folder(void)
{
    char *url = itest_url(engine, "bk_unw");
    DbConn *c = itest_open(url);
    make_items(c);
    DbError err = DB_ERROR_INIT;
    BackupInfo b;
    /* a folder that cannot be made: a path through a regular file */
    rm_tree("bk_unw");
    mkdir("bk_unw", 0700);
    write_file("bk_unw/file", "x", 0600);
    CHECK(backup_create(c, "bk_unw/file/sub", NULL, &b, &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, "bk_unw/file");
    CHECK_CONTAINS(err.message, "[backup]");
    CHECK(b.path == NULL);
    db_error_clear(&err);
    CHECK(count_entries("bk_unw") == 1);
    /* a folder that cannot be written (root writes everywhere: skipped) */
    if (geteuid() != 0) {
        mkdir("bk_unw/ro", 0500);
        chmod("bk_unw/ro", 0500);
        CHECK(backup_create(c, "bk_unw/ro", NULL, &b, &err) == -1);
        CHECK_CONTAINS(err.message, "bk_unw/ro");
        db_error_clear(&err);
        CHECK(count_entries("bk_unw/ro") == 0);
        chmod("bk_unw/ro", 0700);
    }
    db_close(c);
    free(url);
}

/* The disk fills up half way (RLIMIT_FSIZE): the half-written file goes. */
static void test_fails_half_way(void)
{
    char *url = itest_url(engine, "bk_half");
    DbConn *c = itest_open(url);
    make_big(c);
    rm_tree("bk_half");
    mkdir("bk_half", 0700);
    DbError err = DB_ERROR_INIT;
    BackupInfo b;
    struct rlimit old, small;
    getrlimit(RLIMIT_FSIZE, &old);
    small = old;
    small.rlim_cur = 16 * 1024;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &small);
    int rc = backup_create(c, "bk_half", NULL, &b, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    CHECK(rc == -1);
    CHECK(err.message != NULL);
    if (err.message)
        fprintf(stderr, "  (expected) %s\n", err.message);
    db_error_clear(&err);
    CHECK(count_entries("bk_half") == 0);
    /* with room again it works */
    CHECK(backup_create(c, "bk_half", NULL, &b, &err) == 0);
    CHECK(b.bytes > 16 * 1024);
    CHECK(count_entries("bk_half") == 1);
    backup_info_free(&b);
    db_close(c);
    free(url);
}

static void test_restore_refusals(void)
{
    char *url = itest_url(engine, "bk_ref");
    DbConn *c = itest_open(url);
    make_items(c);
    rm_tree("bk_ref");
    mkdir("bk_ref", 0700);
    DbError err = DB_ERROR_INIT;

    CHECK(backup_restore(c, "bk_ref/missing.dump", NULL, NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "bk_ref/missing.dump");
    db_error_clear(&err);

    write_file("bk_ref/notes.txt", "hello, this is not a backup at all\n", 0600);
    CHECK(backup_check(c, "bk_ref/notes.txt", NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, "bk_ref/notes.txt");
    CHECK_CONTAINS(err.message, "not a backup");
    db_error_clear(&err);
    CHECK(backup_restore(c, "bk_ref/notes.txt", NULL, NULL, &err) == -1);
    db_error_clear(&err);

    CHECK(backup_restore(c, "bk_ref", NULL, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "bk_ref");
    db_error_clear(&err);

    /* the other engine's kind of file */
    const char *other = engine == DB_ENGINE_POSTGRES ? "bk_ref/x.sqlite3" : "bk_ref/x.dump";
    write_file(other, engine == DB_ENGINE_POSTGRES ? "SQLite format 3" : "PGDMP\001\016\000",
               0600);
    if (engine == DB_ENGINE_POSTGRES) { /* the NUL that ends SQLite's magic */
        FILE *f = fopen(other, "ab");
        fputc(0, f);
        fputs("rest of a page", f);
        fclose(f);
    }
    CHECK(backup_restore(c, other, NULL, NULL, &err) == -1);
    CHECK(err.kind == DB_ERR_USAGE);
    CHECK_CONTAINS(err.message, other);
    CHECK_CONTAINS(err.message, engine == DB_ENGINE_POSTGRES ? "is a SQLite backup"
                                                             : "is a PostgreSQL backup");
    db_error_clear(&err);

    /* a real backup cut short */
    BackupInfo b;
    CHECK(backup_create(c, "bk_ref", NULL, &b, &err) == 0);
    db_error_clear(&err);
    FILE *in = fopen(b.path, "rb");
    char buf[1500];
    size_t n = in ? fread(buf, 1, engine == DB_ENGINE_POSTGRES ? 300 : sizeof buf, in) : 0;
    if (in)
        fclose(in);
    FILE *out = fopen("bk_ref/cut.bin", "wb");
    fwrite(buf, 1, n, out);
    fclose(out);
    /* SQLite: a database header that promises pages the file lacks */
    CHECK(backup_restore(c, "bk_ref/cut.bin", NULL, NULL, &err) == -1);
    CHECK_CONTAINS(err.message, "bk_ref/cut.bin");
    if (err.message)
        fprintf(stderr, "  (expected) %s\n", err.message);
    db_error_clear(&err);

    /* SQLite: the database itself */
    if (engine == DB_ENGINE_SQLITE) {
        CHECK(backup_restore(c, "it_bk_ref.db", NULL, NULL, &err) == -1);
        CHECK_CONTAINS(err.message, "the database itself");
        db_error_clear(&err);
    }
    /* nothing changed */
    CHECK(query_long(c, "SELECT count(*) FROM items") == 3);
    CHECK(query_long(c, "SELECT count(*) FROM items WHERE label = 'two'") == 1);
    backup_info_free(&b);
    db_close(c);
    free(url);
}

/* SQLite in WAL mode, both ways: the backup holds what is in the WAL, and
 * a restore into a WAL database keeps it working. */
static void test_sqlite_wal(void)
{
    char *url = itest_url(engine, "bk_wal");
    DbConn *c = itest_open(url);
    char *mode = NULL;
    DbError err = DB_ERROR_INIT;
    CHECK(db_query_value(c, "t", "PRAGMA journal_mode = wal", NULL, &mode, &err) == 0);
    CHECK_STR(mode, "wal");
    free(mode);
    make_items(c);
    rm_tree("bk_wal");
    BackupInfo b;
    CHECK(backup_create(c, "bk_wal", NULL, &b, &err) == 0);
    db_error_clear(&err);
    exec_ok(c, "UPDATE items SET label = 'changed'; INSERT INTO items VALUES (4, 'four');");
    CHECK(backup_restore(c, b.path, NULL, NULL, &err) == 0);
    if (err.message)
        fprintf(stderr, "restore: %s\n", err.message);
    db_error_clear(&err);
    CHECK(query_long(c, "SELECT count(*) FROM items WHERE label IN ('one','two','three')") == 3);
    CHECK(query_long(c, "SELECT count(*) FROM items") == 3);
    exec_ok(c, "INSERT INTO items VALUES (5, 'five');");
    CHECK(query_long(c, "SELECT count(*) FROM items") == 4);
    backup_info_free(&b);
    db_close(c);
    free(url);
}

/* ---- PostgreSQL: the tools ---- */

static char *real_tool(const char *name)
{
    char *path = NULL;
    int major = 0;
    DbError err = DB_ERROR_INIT;
    if (backup_find_tool(name, 0, NULL, &path, &major, &err) != 0) {
        fprintf(stderr, "%s not installed: %s\n", name, err.message);
        exit(1);
    }
    CHECK(major >= 10);
    return path;
}

static void test_pg_without_tools(void)
{
    char *url = itest_url(engine, "bk_notool");
    DbConn *c = itest_open(url);
    make_items(c);
    rm_tree("bk_notool");
    DbError err = DB_ERROR_INIT;
    BackupInfo b;
    /* an empty search: the option */
    BackupOptions none = { "" };
    CHECK(backup_preflight(c, &none, &err) == -1);
    CHECK_STR(err.code, BACKUP_NO_TOOL);
    CHECK_CONTAINS(err.message, "pg_dump was not found");
    CHECK_CONTAINS(err.message, "install the PostgreSQL client tools");
    db_error_clear(&err);
    CHECK(backup_create(c, "bk_notool", &none, &b, &err) == -1);
    CHECK_STR(err.code, BACKUP_NO_TOOL);
    db_error_clear(&err);
    CHECK(count_entries("bk_notool") == -1); /* not even the folder */

    /* an empty search: the environment variable */
    setenv(BACKUP_PATH_ENV, "", 1);
    CHECK(backup_create(c, "bk_notool", NULL, &b, &err) == -1);
    CHECK_STR(err.code, BACKUP_NO_TOOL);
    CHECK_CONTAINS(err.message, BACKUP_PATH_ENV);
    db_error_clear(&err);
    /* a folder without the tools */
    mkdir("bk_notool_empty", 0700);
    char cwd[1024];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    char *empty = xasprintf("%s/bk_notool_empty", cwd);
    setenv(BACKUP_PATH_ENV, empty, 1);
    CHECK(backup_create(c, "bk_notool", NULL, &b, &err) == -1);
    CHECK_STR(err.code, BACKUP_NO_TOOL);
    db_error_clear(&err);
    CHECK(backup_check(c, "whatever.dump", NULL, &err) == -1);
    db_error_clear(&err);
    unsetenv(BACKUP_PATH_ENV);
    CHECK(count_entries("bk_notool") == -1);

    /* restore needs pg_restore just as much */
    CHECK(backup_create(c, "bk_notool", NULL, &b, &err) == 0);
    db_error_clear(&err);
    CHECK(backup_restore(c, b.path, &none, NULL, &err) == -1);
    CHECK_STR(err.code, BACKUP_NO_TOOL);
    CHECK_CONTAINS(err.message, "pg_restore");
    db_error_clear(&err);
    backup_info_free(&b);

    /* a pg_dump older than the server is refused */
    char *old = xasprintf("%s/pg_dump", empty);
    write_file(old, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n", 0755);
    BackupOptions olds = { empty };
    CHECK(backup_create(c, "bk_notool", &olds, &b, &err) == -1);
    CHECK_STR(err.code, BACKUP_NO_TOOL);
    CHECK_CONTAINS(err.message, "older than the server");
    CHECK_CONTAINS(err.message, old);
    db_error_clear(&err);
    CHECK(count_entries("bk_notool") == 1);
    free(old);
    free(empty);
    backup_info_free(&b);
    db_close(c);
    free(url);
}

/* pg_dump, through a wrapper that records its arguments and environment:
 * no password on the command line, a 0600 passfile that is gone after,
 * and our PGPASSWORD kept out of the child. */
static void test_pg_password_path(void)
{
    char *url = itest_url(engine, "bk_pw");
    DbConn *c = itest_open(url);
    make_items(c);
    rm_tree("bk_pw");
    rm_tree("bk_pw_tools");
    mkdir("bk_pw_tools", 0700);
    char cwd[1024];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    char *tools = xasprintf("%s/bk_pw_tools", cwd);
    char *log = xasprintf("%s/bk_pw_tools/log", cwd);
    char *real = real_tool("pg_dump");
    char *script = xasprintf(
        "#!/bin/sh\n"
        "case \"$1\" in --version) exec '%s' \"$@\";; esac\n"
        "{ echo ARGS; for a in \"$@\"; do echo \"$a\"; done\n"
        "  for a in \"$@\"; do case $a in *passfile=*)\n"
        "    f=${a#*passfile=\\'}; f=${f%%%%\\'*}; echo \"PASSFILE $f\"; stat -L -c 'MODE %%a' \"$f\"\n"
        "    ls -l \"$f\"; cat \"$f\" > /dev/null && echo READABLE;;\n"
        "  esac; done\n"
        "  echo \"PGPASSWORD=${PGPASSWORD-unset}\"\n"
        "  tr '\\0' ' ' < /proc/$$/cmdline; echo\n"
        "} >> '%s'\n"
        "exec '%s' \"$@\"\n", real, log, real);
    char *wrapper = xasprintf("%s/pg_dump", tools);
    write_file(wrapper, script, 0755);
    /* a wrong PGPASSWORD in our environment would win over the passfile */
    setenv("PGPASSWORD", "wrong-password", 1);
    BackupOptions o = { tools };
    DbError err = DB_ERROR_INIT;
    BackupInfo b;
    CHECK(backup_create(c, "bk_pw", &o, &b, &err) == 0);
    if (err.message)
        fprintf(stderr, "backup: %s\n", err.message);
    db_error_clear(&err);
    unsetenv("PGPASSWORD");
    char *text = read_text(log);
    CHECK_CONTAINS(text, "ARGS");
    CHECK_CONTAINS(text, "--format=custom");
    CHECK_CONTAINS(text, "dbname='it_bk_pw'");
    CHECK_CONTAINS(text, "passfile=");
    CHECK_CONTAINS(text, "MODE 600");
    CHECK_CONTAINS(text, "PGPASSWORD=unset");
    CHECK(!strstr(text, "s3cret"));
    CHECK(!strstr(text, "wrong-password"));
    /* the passfile is an in-memory file handed to the child: on no disk */
    CHECK_CONTAINS(text, "PASSFILE /proc/self/fd/3");
    CHECK_CONTAINS(text, "memfd:dbwarden-pgpass");
    CHECK_CONTAINS(text, "READABLE");
    free(text);
    CHECK(b.bytes > 0);
    backup_info_free(&b);

    /* sslpassword (a client key's passphrase) stays off the command line
     * too: a private service file carries it */
    char *sslurl = xasprintf("%s&sslpassword=KeyPass99", url);
    DbConn *c2 = itest_open(sslurl);
    unlink(log);
    CHECK(backup_create(c2, "bk_pw", &o, &b, &err) == 0);
    if (err.message)
        fprintf(stderr, "backup: %s\n", err.message);
    db_error_clear(&err);
    text = read_text(log);
    CHECK_CONTAINS(text, "service='dbwarden'");
    CHECK(text && !strstr(text, "KeyPass99"));
    free(text);
    backup_info_free(&b);
    db_close(c2);
    free(sslurl);

    /* a pg_dump that fails after writing, and prints the passfile and the
     * password: no file stays, and the message is scrubbed */
    free(script);
    script = xasprintf(
        "#!/bin/sh\n"
        "case \"$1\" in --version) exec '%s' \"$@\";; esac\n"
        "'%s' \"$@\" || exit 3\n"
        "for a in \"$@\"; do case $a in *passfile=*)\n"
        "  f=${a#*passfile=\\'}; f=${f%%%%\\'*}; cat \"$f\" >&2;; esac; done\n"
        "echo 'pg_dump: error: simulated failure; password s3cret!pw' >&2\n"
        "exit 1\n", real, real);
    write_file(wrapper, script, 0755);
    rm_tree("bk_pw");
    CHECK(backup_create(c, "bk_pw", &o, &b, &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, "simulated failure");
    CHECK_CONTAINS(err.message, "***");
    CHECK(err.message && !strstr(err.message, "s3cret"));
    if (err.message)
        fprintf(stderr, "  (expected) %s\n", err.message);
    db_error_clear(&err);
    CHECK(count_entries("bk_pw") == 0);

    free(script);
    free(wrapper);
    free(real);
    free(log);
    free(tools);
    db_close(c);
    free(url);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    RUN(test_roundtrip);
    RUN(test_names_and_folder);
    RUN(test_list);
    RUN(test_unwritable_folder);
    RUN(test_fails_half_way);
    RUN(test_restore_refusals);
    if (engine == DB_ENGINE_SQLITE)
        RUN(test_sqlite_wal);
    if (engine == DB_ENGINE_POSTGRES) {
        RUN(test_pg_without_tools);
        RUN(test_pg_password_path);
    }
    return test_report();
}
