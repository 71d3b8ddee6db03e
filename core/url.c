/* url.c: see url.h. */
#include "url.h"
#include "rx.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *db_engine_name(DbEngine e)
{
    switch (e) {
    case DB_ENGINE_SQLITE: return "sqlite";
    case DB_ENGINE_POSTGRES: return "postgresql";
    default: return "none";
    }
}

/* Where a connection string holds a password (group 1: what comes before
 * it).
 *
 * user:password@ in a URL, wherever it stands in the text: greedy to the
 * last '@' on the line, so that a password holding an unescaped '@', '/',
 * space or '?' is still hidden whole (over-hiding a host is the lesser
 * evil).  The password is what lies between group 1 and the final '@'. */
static const char *const rx_userinfo = "\\b([a-z][a-z0-9+.\\-]*://[^:@/?#\\s]*:).*@";
/* password= and sslpassword= in a URL's query: up to the next '&'. */
static const char *const rx_query = "([?&](?:ssl)?password=)[^&#\\s]*";
/* the same in a keyword string: a quoted value whole, else up to white
 * space (libpq's unquoted values hold none). */
static const char *const rx_keyword =
    "((?:^|\\s)(?:ssl)?password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|\\S*)";

static Rx *compile_or_abort(const char *pattern)
{
    DbError e = DB_ERROR_INIT;
    /* bytes, not UTF-8: a password may hold any byte */
    Rx *rx = rx_compile(pattern, RX_CASELESS | RX_BYTES, &e);
    if (!rx)
        abort(); /* constant patterns: a bug, not an input error */
    return rx;
}

char *db_url_redact(const char *s)
{
    Rx *a = compile_or_abort(rx_userinfo);
    Rx *b = compile_or_abort(rx_query);
    Rx *c = compile_or_abort(rx_keyword);
    char *t = rx_replace(a, s, "${1}***@");
    char *u = rx_replace(b, t, "${1}***");
    char *v = rx_replace(c, u, "${1}***");
    free(t);
    free(u);
    rx_free(a);
    rx_free(b);
    rx_free(c);
    return v;
}

/* Overwrites with 'x' what follows group 1 of each match of pattern in s,
 * up to the match's end less tail bytes. */
static void mask_matches(char *s, const char *pattern, size_t tail)
{
    Rx *rx = compile_or_abort(pattern);
    size_t len = strlen(s), off = 0;
    RxSpan caps[2];
    while (off < len && rx_match(rx, s + off, len - off, caps, 2)) {
        size_t from = off + caps[1].start + caps[1].len;
        size_t to = off + caps[0].start + caps[0].len - tail;
        for (size_t i = from; i < to; i++)
            s[i] = 'x';
        off += caps[0].start + (caps[0].len ? caps[0].len : 1);
    }
    rx_free(rx);
}

void db_url_mask(char *s)
{
    mask_matches(s, rx_userinfo, 1);
    mask_matches(s, rx_query, 0);
    mask_matches(s, rx_keyword, 0);
}

/* libpq's parse errors quote the offending token, which may be (part of)
 * the password: keep the reason, drop every quoted token. */
static char *unquote_tokens(const char *msg)
{
    StrBuf b = STRBUF_INIT;
    for (const char *p = msg; *p; p++) {
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            sb_append(&b, "\"…\"");
            if (!q)
                break;
            p = q;
        } else {
            sb_appendc(&b, *p);
        }
    }
    return sb_take(&b);
}

char *db_url_scrub(const char *msg, const char *password)
{
    char *r = db_url_redact(msg);
    if (!password || strlen(password) < 3)
        return r;
    StrBuf b = STRBUF_INIT;
    size_t pl = strlen(password);
    const char *p = r, *hit;
    while ((hit = strstr(p, password)) != NULL) {
        sb_appendn(&b, p, (size_t)(hit - p));
        sb_append(&b, "***");
        p = hit + pl;
    }
    sb_append(&b, p);
    free(r);
    return sb_take(&b);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Percent-decodes a path component; a malformed escape is kept as is. */
static char *pct_decode(const char *s, size_t n)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < n + 0 + 1 && i + 2 <= n - 1 + 1 &&
            (h = hexval((unsigned char)s[i + 1])) >= 0 &&
            (l = hexval((unsigned char)s[i + 2])) >= 0) {
            sb_appendc(&b, (char)(h * 16 + l));
            i += 2;
        } else {
            sb_appendc(&b, s[i]);
        }
    }
    return sb_take(&b);
}

static int parse_sqlite(DbUrl *out, const char *rest, DbError *err)
{
    /* rest is what follows "sqlite://" */
    size_t n = strcspn(rest, "?");
    if (n == 0) {
        out->target = xstrdup(":memory:");
        return 0;
    }
    if (rest[0] != '/') {
        db_error_set(err, DB_ERR_USAGE,
                     "connection string %s has a host part; SQLite URLs look like "
                     "sqlite:///relative.db or sqlite:////absolute/path.db", out->display);
        return -1;
    }
    const char *path = rest + 1; /* sqlite:///x -> x, sqlite:////x -> /x */
    size_t pl = n - 1;
    if (pl == 0 || (pl == 8 && memcmp(path, ":memory:", 8) == 0)) {
        out->target = xstrdup(":memory:");
        return 0;
    }
    out->target = pct_decode(path, pl);
    return 0;
}

static int parse_postgres(DbUrl *out, const char *target, DbError *err)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &errmsg);
    if (!opts) {
        /* What does not parse cannot be redacted reliably: it is not shown. */
        char *m = errmsg ? unquote_tokens(errmsg) : xstrdup("cannot parse it");
        db_error_set(err, DB_ERR_USAGE, "invalid PostgreSQL connection string (not shown, "
                     "as it may hold a password): %s", m);
        free(m);
        PQfreemem(errmsg);
        return -1;
    }
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            out->password = xstrdup(o->val);
    PQconninfoFree(opts);
    out->target = xstrdup(target);
    return 0;
}

/* "postgresql//host/db", "postgres:/host/db", "sqlite//x.db": a URL with
 * its "://" mistyped, which would otherwise be taken for the path of a
 * SQLite file.  A file of that name that exists is taken as a file. */
static bool looks_like_typo(const char *str, size_t len, const char *display, DbError *err)
{
    DbError e = DB_ERROR_INIT;
    Rx *rx = rx_compile("^(postgres(?:ql)?|sqlite)(\\+[a-z0-9_.\\-]*)?(:/?|//)(?!/)",
                        RX_CASELESS, &e);
    RxSpan caps[4];
    bool typo = rx && rx_match(rx, str, len, caps, 4) && access(str, F_OK) != 0;
    if (typo) {
        char *scheme = xstrndup(str + caps[1].start, caps[1].len);
        const char *rest = str + caps[0].start + caps[0].len;
        bool sqlite = strcasecmp(scheme, "sqlite") == 0;
        char *fixed = xasprintf("%s://%s%s", scheme, sqlite ? "/" : "", rest);
        char *shown = db_url_redact(fixed);
        char *given = db_url_scrub(display, NULL);
        /* the password of the mistyped form, when it has one, is the
         * fixed form's: scrub it from what was given as well */
        DbUrl u;
        DbError ue = DB_ERROR_INIT;
        if (!sqlite && db_url_parse(&u, fixed, &ue) == 0) {
            char *g = db_url_scrub(given, u.password);
            free(given);
            given = g;
            db_url_free(&u);
        }
        db_error_clear(&ue);
        db_error_set(err, DB_ERR_USAGE, "'%s' is neither a connection string nor an existing "
                     "file: did you mean %s?", given, shown);
        memset(fixed, 0, strlen(fixed));
        free(fixed);
        free(shown);
        free(given);
        free(scheme);
    }
    rx_free(rx);
    db_error_clear(&e);
    return typo;
}

int db_url_parse(DbUrl *out, const char *s, DbError *err)
{
    memset(out, 0, sizeof *out);
    if (!s || !*s)
        s = getenv("DATABASE_URL");
    if (!s || !*s) {
        db_error_set(err, DB_ERR_USAGE,
                     "no database given: pass --db URL, set url in [database] of "
                     "dbwarden.ini, or set DATABASE_URL");
        return -1;
    }
    while (isspace((unsigned char)*s))
        s++;
    size_t slen = strlen(s);
    while (slen > 0 && isspace((unsigned char)s[slen - 1]))
        slen--;
    char *str = xstrndup(s, slen);
    out->display = db_url_redact(str);

    DbError e = DB_ERROR_INIT;
    Rx *scheme = rx_compile("^([a-z][a-z0-9.\\-]*)(\\+[a-z0-9_.\\-]*)?://", RX_CASELESS, &e);
    Rx *kw = rx_compile("^[a-z_]+\\s*=", RX_CASELESS, &e);
    RxSpan caps[3];
    int rc = -1;
    if (rx_match(scheme, str, slen, caps, 3)) {
        char *base = xstrndup(str + caps[1].start, caps[1].len);
        for (char *p = base; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        const char *rest = str + caps[0].start + caps[0].len;
        if (strcmp(base, "postgresql") == 0 || strcmp(base, "postgres") == 0) {
            out->engine = DB_ENGINE_POSTGRES;
            char *t = xasprintf("postgresql://%s", rest);
            rc = parse_postgres(out, t, err);
            free(t);
        } else if (strcmp(base, "sqlite") == 0) {
            out->engine = DB_ENGINE_SQLITE;
            rc = parse_sqlite(out, rest, err);
        } else {
            db_error_set(err, DB_ERR_USAGE,
                         "unsupported database '%s' in %s: use postgresql://, "
                         "sqlite:///file.db, a libpq keyword string or a file path",
                         base, out->display);
        }
        free(base);
    } else if (rx_match(kw, str, slen, NULL, 0)) {
        out->engine = DB_ENGINE_POSTGRES;
        rc = parse_postgres(out, str, err);
    } else if (looks_like_typo(str, slen, out->display, err)) {
        rc = -1;
    } else {
        out->engine = DB_ENGINE_SQLITE;
        out->target = xstrdup(str);
        rc = 0;
    }
    rx_free(scheme);
    rx_free(kw);
    free(str);
    if (rc != 0)
        db_url_free(out);
    return rc;
}

void db_url_free(DbUrl *u)
{
    free(u->target);
    free(u->display);
    if (u->password) {
        memset(u->password, 0, strlen(u->password));
        free(u->password);
    }
    memset(u, 0, sizeof *u);
}
