/* test_integrity_rows.c: the orphan rows of a check paged by key across
 * connections (integrity_rows_position / integrity_rows_seek: a page read
 * on a new connection after the key of the last row read gives what one
 * cursor reads next), and integrity_export_file (the rows whole, as
 * integrity_export writes them; an existing file replaced only when asked;
 * a folder that cannot be written says why; nothing left behind), on
 * SQLite and PostgreSQL.  test_integrity_rows sqlite|postgres */
#include "fsutil.h"
#include "integrity_rows.h"
#include "strv.h"
#include "test_integrity_fixture.h"

#include <dirent.h>
#include <sys/stat.h>

static const char *const schema_sql =
    "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
    "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p (id), note TEXT);\n"
    "INSERT INTO p VALUES (1);\n"
    "INSERT INTO c VALUES (1, 1, 'fine');\n";

/* 25 orphans, ids 2..26 (one with a comma and a quote, for CSV). */
static const char *const data_sql =
    "INSERT INTO c SELECT i, 1000 + i, 'row ' || i FROM (\n"
    "  WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 26)\n"
    "  SELECT i FROM n) AS t;\n"
    "UPDATE c SET note = 'a, \"quoted\" one' WHERE id = 7;\n";

static char *url;
static Session s;
static IntegrityList list;
static Catalog *cat;

static void setup(void)
{
    url = itest_url(engine, "rows");
    fx_session(&s, url, "rows", "", false);
    fx_exec(s.conn, schema_sql);
    DbConn *load = fx_loader(url, "rows");
    fx_exec(load, data_sql);
    db_close(load);
    char *id = fx_rel_id("fk", "c", "pid", "p", "id");
    DbError err = DB_ERROR_INIT;
    if (integrity_lookup(s.conn, &s, id, &cat, &list, &err) != 0) {
        fprintf(stderr, "lookup: %s\n", err.message);
        exit(1);
    }
    free(id);
}

/* The first cell (the id) of every row of a page, "2 3 4". */
static char *ids(const IntegrityRowsPage *p)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < p->nrows; i++)
        sb_appendf(&b, "%s%s", i ? " " : "", integrity_rows_cell(p, i, 0)->text);
    return sb_take(&b);
}

static void test_seek(void)
{
    const IntegrityCheck *ck = &list.checks[0];
    DbError err = DB_ERROR_INIT;
    IntegrityRowsCursor *one = NULL, *two = NULL;
    const IntegrityRowsPage *p = NULL;
    CHECK(integrity_rows_open(&one, s.conn, ck, 10, &err) == 0);
    CHECK(integrity_rows_position(one) == NULL);   /* nothing read yet */
    CHECK(integrity_rows_next(one, &p, &err) == 0);
    char *first = ids(p);
    CHECK_STR(first, "2 3 4 5 6 7 8 9 10 11");
    CHECK(p->more);
    char **at = integrity_rows_position(one);
    CHECK(at && strv_len((const char *const *)at) == 1);
    CHECK_STR(at ? at[0] : "", "11");
    CHECK(integrity_rows_next(one, &p, &err) == 0);   /* what one cursor reads next */
    char *want = ids(p);
    /* the page after that key on another connection */
    DbConn *c2 = itest_open(url);
    CHECK(integrity_rows_open(&two, c2, ck, 10, &err) == 0);
    CHECK(integrity_rows_seek(two, (const char *const *)at, &err) == 0);
    CHECK(integrity_rows_next(two, &p, &err) == 0);
    char *got = ids(p);
    CHECK_STR(got, want);
    CHECK_STR(got, "12 13 14 15 16 17 18 19 20 21");
    CHECK(p->more);
    /* and the last page: 22..26, no more */
    char **at2 = integrity_rows_position(two);
    CHECK(integrity_rows_seek(two, (const char *const *)at2, &err) == 0);
    CHECK(integrity_rows_next(two, &p, &err) == 0);
    char *last = ids(p);
    CHECK_STR(last, "22 23 24 25 26");
    CHECK(!p->more);
    /* a position of another shape is refused */
    const char *const bad[] = { "1", "2", NULL };
    CHECK(integrity_rows_seek(two, bad, &err) == -1 && err.kind == DB_ERR_USAGE);
    db_error_clear(&err);
    integrity_rows_close(one);
    integrity_rows_close(two);
    db_close(c2);
    strv_free(at);
    strv_free(at2);
    free(first);
    free(want);
    free(got);
    free(last);
}

/* The file's bytes; "" when it cannot be read. */
static char *slurp(const char *path)
{
    DbError err = DB_ERROR_INIT;
    char *t = fs_read_file(path, NULL, &err);
    db_error_clear(&err);
    return t ? t : xstrdup("");
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

static void test_export_file(void)
{
    const IntegrityCheck *ck = &list.checks[0];
    DbError err = DB_ERROR_INIT;
    char *dir = itest_fresh_dir("it_rows_export", "x", engine);
    char *path = xasprintf("%s/rows.csv", dir);
    /* what integrity_export writes, in memory */
    char *mem = NULL;
    size_t memlen = 0;
    FILE *m = open_memstream(&mem, &memlen);
    long long n = 0;
    CHECK(integrity_export(s.conn, ck, INTEGRITY_CSV, m, 0, &n, &err) == 0);
    fclose(m);
    CHECK(n == 25);
    CHECK_CONTAINS(mem, "7,1007,\"a, \"\"quoted\"\" one\"\r\n");
    /* a new file: whole, mode 0600 */
    CHECK(integrity_export_file(s.conn, ck, INTEGRITY_CSV, path, false, &n, &err) == 0);
    CHECK(n == 25);
    char *got = slurp(path);
    CHECK_STR(got, mem);
    free(got);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    /* it exists: kept without replace, nothing left behind */
    itest_write_file(dir, "rows.csv", "keep\n");
    CHECK(integrity_export_file(s.conn, ck, INTEGRITY_CSV, path, false, &n, &err) == 1);
    got = slurp(path);
    CHECK_STR(got, "keep\n");
    free(got);
    CHECK(entries(dir) == 1);
    /* replaced when asked */
    CHECK(integrity_export_file(s.conn, ck, INTEGRITY_CSV, path, true, &n, &err) == 0);
    got = slurp(path);
    CHECK_STR(got, mem);
    free(got);
    CHECK(entries(dir) == 1);
    /* a folder that is not there: says why, names the file */
    char *bad = xasprintf("%s/no/such/rows.csv", dir);
    CHECK(integrity_export_file(s.conn, ck, INTEGRITY_CSV, bad, false, &n, &err) == -1);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message ? err.message : "", "cannot write");
    CHECK_CONTAINS(err.message ? err.message : "", bad);
    CHECK_CONTAINS(err.message ? err.message : "", "No such file or directory");
    db_error_clear(&err);
    free(bad);
    free(mem);
    free(path);
    free(dir);
}

int main(int argc, char **argv)
{
    engine = itest_engine(argc, argv);
    setup();
    RUN(test_seek);
    RUN(test_export_file);
    integrity_list_free(&list);
    catalog_free(cat);
    session_free(&s);
    free(url);
    return test_report();
}
