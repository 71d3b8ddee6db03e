/* test_fsutil.c: the one file reader refuses what is not a regular file
 * of sane size, without waiting on it, and names it. */
#include "fsutil.h"
#include "strbuf.h"
#include "test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define D "fsutil_files"

static void fresh_dir(void)
{
    if (system("rm -rf " D) != 0)
        abort();
    mkdir(D, 0755);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
}

/* Reading path fails with a message that holds each of the wanted parts. */
static void refused(const char *path, const char *want1, const char *want2)
{
    DbError err = DB_ERROR_INIT;
    size_t len = 99;
    CHECK(fs_read_file(path, &len, &err) == NULL);
    CHECK(err.kind == DB_ERR_IO);
    CHECK_CONTAINS(err.message, want1);
    CHECK_CONTAINS(err.message, want2);
    db_error_clear(&err);
}

static void test_regular_files_and_links_to_them(void)
{
    fresh_dir();
    write_text(D "/a.sql", "SELECT 1;\n");
    CHECK(symlink("a.sql", D "/link.sql") == 0);
    DbError err = DB_ERROR_INIT;
    size_t len = 0;
    char *t = fs_read_file(D "/link.sql", &len, &err);
    CHECK_STR(t, "SELECT 1;\n");
    CHECK(len == 10);
    free(t);
    write_text(D "/empty.sql", "");
    t = fs_read_file(D "/empty.sql", &len, &err);
    CHECK(t && len == 0);
    free(t);
    refused(D "/missing.sql", "cannot read " D "/missing.sql", "No such file");
}

static void test_fifo_is_refused_at_once(void)
{
    fresh_dir();
    CHECK(mkfifo(D "/0002_x.sql", 0644) == 0);
    refused(D "/0002_x.sql", D "/0002_x.sql", "named pipe (FIFO), not a regular file");
    CHECK(symlink("0002_x.sql", D "/0003_y.sql") == 0);
    refused(D "/0003_y.sql", D "/0003_y.sql", "a symbolic link to a named pipe");
}

static void test_devices_folders_and_big_files(void)
{
    fresh_dir();
    CHECK(symlink("/dev/zero", D "/0002_zero.sql") == 0);
    refused(D "/0002_zero.sql", D "/0002_zero.sql",
            "a symbolic link to a character device, not a regular file");
    refused("/dev/null", "/dev/null", "a character device");
    mkdir(D "/0004_dir.sql", 0755);
    refused(D "/0004_dir.sql", D "/0004_dir.sql", "a folder");
    int fd = open(D "/0005_big.sql", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && ftruncate(fd, (off_t)FS_READ_MAX + 1) == 0);
    close(fd);
    refused(D "/0005_big.sql", D "/0005_big.sql", "64.0 MiB, and files of more than 64 MiB");
}

/* The message names the file as it is; the printers escape it. */
static void test_names_are_named(void)
{
    refused(D "/no\nsuch\x1b.sql", D "/no\nsuch\x1b.sql", "No such file");
}

/* fs_place: a whole file under its name or nothing; without replace an
 * existing file is never overwritten. */
static void test_place(void)
{
    fresh_dir();
    DbError err = DB_ERROR_INIT;
    char *tmp = fs_temp_name(D "/out.txt");
    write_text(tmp, "first");
    CHECK(fs_place(tmp, D "/out.txt", false, &err) == 0);
    CHECK(access(tmp, F_OK) != 0);   /* the temporary name is gone */
    size_t len;
    char *t = fs_read_file(D "/out.txt", &len, &err);
    CHECK(t && strcmp(t, "first") == 0);
    free(t);
    write_text(tmp, "second");
    CHECK(fs_place(tmp, D "/out.txt", false, &err) == 1);   /* kept: not replaced */
    t = fs_read_file(D "/out.txt", &len, &err);
    CHECK(t && strcmp(t, "first") == 0);
    free(t);
    CHECK(access(tmp, F_OK) == 0);   /* left for another name */
    CHECK(fs_place(tmp, D "/out.txt", true, &err) == 0);   /* replace: renamed over */
    t = fs_read_file(D "/out.txt", &len, &err);
    CHECK(t && strcmp(t, "second") == 0);
    free(t);
    write_text(tmp, "third");
    CHECK(fs_place(tmp, D "/no/such/folder/out.txt", true, &err) == -1);
    CHECK(err.message && strstr(err.message, "no/such/folder/out.txt"));
    db_error_clear(&err);
    unlink(tmp);
    free(tmp);
}

int main(void)
{
    RUN(test_regular_files_and_links_to_them);
    RUN(test_fifo_is_refused_at_once);
    RUN(test_devices_folders_and_big_files);
    RUN(test_names_are_named);
    RUN(test_place);
    return test_report();
}
