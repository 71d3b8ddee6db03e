/* seed_request.c: the seed and reset actions' argument (see seed.h), and
 * the names of the sets. */
#include "seed_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const SeedSetInfo seed_sets[] = {
    { "demo", "a small story: named users in every license situation, one of each finding "
              "of the Integrity and Licenses panes" },
    { "scale", "--scale N users and what hangs off them (about 8 rows each), the same for "
               "the same N and --seed S everywhere" },
    { "files", "every *.sql of [seed] dir, in name order, each in its own transaction" },
    { NULL, NULL },
};

static const char *kind_word(SeedKind k)
{
    switch (k) {
    case SEED_DEMO: return "demo";
    case SEED_SCALE: return "scale";
    case SEED_FILES: return "files";
    case SEED_FILE: return "file";
    }
    return "demo";
}

static int parse_kind(const char *v, SeedKind *k)
{
    static const SeedKind kinds[] = { SEED_DEMO, SEED_SCALE, SEED_FILES, SEED_FILE };
    for (size_t i = 0; i < 4; i++)
        if (strcmp(v, kind_word(kinds[i])) == 0) {
            *k = kinds[i];
            return 0;
        }
    return -1;
}

/* A whole number in [lo, hi]. */
static int parse_number(const char *v, long long lo, long long hi, long long *out)
{
    if (!*v || *v == '-' || *v == '+')
        return -1;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

static int parse_line(SeedRequest *r, const char *line, DbError *err)
{
    const char *eq = strchr(line, '=');
    if (!eq) {
        if (parse_kind(line, &r->kind) != 0)
            goto bad;
        r->kind_given = true;
        return 0;
    }
    size_t klen = (size_t)(eq - line);
    const char *v = eq + 1;
    long long n;
    if (klen == 3 && strncmp(line, "set", 3) == 0) {
        if (parse_kind(v, &r->kind) != 0) {
            db_error_set(err, DB_ERR_USAGE, "unknown seed set '%s' (demo, scale, files, or a "
                         ".sql file)", v);
            return -1;
        }
        r->kind_given = true;
    } else if (klen == 5 && strncmp(line, "scale", 5) == 0) {
        if (parse_number(v, 1, 1000000000LL, &n) != 0) {
            db_error_set(err, DB_ERR_USAGE, "--scale '%s': give a number of users from 1 to "
                         "1000000000", v);
            return -1;
        }
        r->scale = n;
        r->scale_given = true;
    } else if (klen == 4 && strncmp(line, "seed", 4) == 0) {
        if (parse_number(v, 0, 9223372036854775807LL, &n) != 0) {
            db_error_set(err, DB_ERR_USAGE, "--seed '%s': give a whole number from 0 to "
                         "9223372036854775807", v);
            return -1;
        }
        r->seed = (uint64_t)n;
        r->seed_given = true;
    } else if (klen == 4 && strncmp(line, "file", 4) == 0) {
        if (!*v)
            goto bad;
        free(r->file);
        r->file = xstrdup(v);
        if (!r->kind_given) {
            r->kind = SEED_FILE;
            r->kind_given = true;
        }
    } else if (klen == 5 && strncmp(line, "force", 5) == 0) {
        r->force = strcmp(v, "yes") == 0;
    } else {
        goto bad;
    }
    return 0;
bad:
    db_error_set(err, DB_ERR_USAGE, "bad seed argument '%s' (expected set=, scale=, seed=, "
                 "file= or force=)", line);
    return -1;
}

static int check(const SeedRequest *r, const SeedSettings *cfg, bool for_reset, DbError *err)
{
    if ((r->scale_given || r->seed_given) && r->kind != SEED_SCALE) {
        db_error_set(err, DB_ERR_USAGE, "--scale and --seed go with the scale set");
        return -1;
    }
    if (for_reset)
        return 0;
    if (r->kind == SEED_SCALE && !r->scale_given) {
        db_error_set(err, DB_ERR_USAGE, "scale needs --scale N (the number of users)");
        return -1;
    }
    if (r->kind == SEED_FILE && !r->file) {
        db_error_set(err, DB_ERR_USAGE, "which file? (seed FILE.sql)");
        return -1;
    }
    if (r->kind == SEED_FILES && (!cfg || !cfg->dir)) {
        db_error_set(err, DB_ERR_USAGE, "the files set reads [seed] dir, which is not set");
        return -1;
    }
    return 0;
}

int seed_request_parse(const char *arg, const SeedSettings *cfg, bool for_reset,
                       SeedRequest *out, DbError *err)
{
    memset(out, 0, sizeof *out);
    out->seed = 1;
    out->kind = cfg && cfg->dir ? SEED_FILES : SEED_DEMO;
    char *copy = xstrdup(arg ? arg : "");
    int rc = 0;
    for (char *line = copy, *next; rc == 0 && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (*line)
            rc = parse_line(out, line, err);
    }
    free(copy);
    if (rc == 0)
        rc = check(out, cfg, for_reset, err);
    if (rc != 0)
        seed_request_free(out);
    return rc;
}

char *seed_request_format(const SeedRequest *r, DbError *err)
{
    if (r->file && strchr(r->file, '\n')) {
        db_error_set(err, DB_ERR_USAGE, "a seed file's name may not hold a line break");
        return NULL;
    }
    StrBuf b = STRBUF_INIT;
    if (r->kind_given)
        sb_appendf(&b, "set=%s\n", kind_word(r->kind));
    if (r->scale_given)
        sb_appendf(&b, "scale=%lld\n", r->scale);
    if (r->seed_given)
        sb_appendf(&b, "seed=%llu\n", (unsigned long long)r->seed);
    if (r->file)
        sb_appendf(&b, "file=%s\n", r->file);
    if (r->force)
        sb_append(&b, "force=yes\n");
    return sb_take(&b);
}

void seed_request_free(SeedRequest *r)
{
    free(r->file);
    memset(r, 0, sizeof *r);
}

char *seed_request_label(const SeedRequest *r)
{
    switch (r->kind) {
    case SEED_DEMO: return xstrdup("demo");
    case SEED_SCALE:
        if (!r->scale_given)
            return xstrdup("scale");
        return xasprintf("scale --scale %lld --seed %llu", r->scale,
                         (unsigned long long)r->seed);
    case SEED_FILES: return xstrdup("files");
    case SEED_FILE: {
        const char *f = r->file ? r->file : "";
        const char *slash = strrchr(f, '/');
        return xasprintf("file %s", slash ? slash + 1 : f);
    }
    }
    return xstrdup("demo");
}
