/* alembic_ini.c: alembic.ini read with Python's ConfigParser rules, and
 * the version locations found from it (see alembic.h). */
#include "alembic.h"
#include "alembic_internal.h"
#include "rx.h"
#include "strbuf.h"
#include "strv.h"
#include "fsutil.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INTERP_DEPTH 10   /* ConfigParser's MAX_INTERPOLATION_DEPTH */

typedef struct IniEntry {
    char *section;   /* "DEFAULT" for the defaults */
    char *key;       /* lower case */
    StrBuf value;    /* raw, before interpolation */
    int   line;
} IniEntry;

typedef struct Ini {
    const char *path;
    IniEntry *items;
    size_t    count, cap;
    char    **sections;   /* names seen, in order */
    size_t    nsections, seccap;
    char     *here;
} Ini;

static void ini_free(Ini *ini)
{
    for (size_t i = 0; i < ini->count; i++) {
        free(ini->items[i].section);
        free(ini->items[i].key);
        sb_free(&ini->items[i].value);
    }
    free(ini->items);
    for (size_t i = 0; i < ini->nsections; i++)
        free(ini->sections[i]);
    free(ini->sections);
}

static IniEntry *ini_get(const Ini *ini, const char *section, const char *key)
{
    IniEntry *dflt = NULL;
    for (size_t i = 0; i < ini->count; i++) {
        IniEntry *e = &ini->items[i];
        if (strcmp(e->key, key) != 0)
            continue;
        if (strcmp(e->section, section) == 0)
            return e;
        if (strcmp(e->section, "DEFAULT") == 0)
            dflt = e;
    }
    return dflt;
}

static bool ini_has_section(const Ini *ini, const char *section)
{
    for (size_t i = 0; i < ini->nsections; i++)
        if (strcmp(ini->sections[i], section) == 0)
            return true;
    return false;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return xstrndup(s, n);
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

typedef struct IniRx {
    Rx *section;   /* [name] */
    Rx *option;    /* key = value, key: value */
} IniRx;

/* One line of the file; *cur is the open key (NULL after a section). */
static int ini_line(Ini *ini, const IniRx *rx, const char *line, size_t n, int lineno,
                    char **sect, IniEntry **cur, size_t *indent_level, DbError *err)
{
    size_t indent = 0;
    while (indent < n && (line[indent] == ' ' || line[indent] == '\t'))
        indent++;
    char *value = trim_dup(line, n);
    int rc = 0;
    if (value[0] == '#' || value[0] == ';')
        goto done;                              /* a whole-line comment */
    if (!value[0]) {                            /* empty: kept inside a value */
        if (*cur)
            sb_append(&(*cur)->value, "\n");
        goto done;
    }
    if (*cur && indent > *indent_level) {       /* a continuation line */
        sb_appendc(&(*cur)->value, '\n');
        sb_append(&(*cur)->value, value);
        goto done;
    }
    *indent_level = indent;
    RxSpan caps[4];
    if (rx_match(rx->section, value, strlen(value), caps, 2)) {
        char *name = xstrndup(value + caps[1].start, caps[1].len);
        if (ini_has_section(ini, name)) {
            db_error_set(err, DB_ERR_PARSE, "%s:%d: section [%s] appears twice; "
                         "merge the two", ini->path, lineno, name);
            free(name);
            rc = -1;
            goto done;
        }
        ini->sections = xgrow(ini->sections, &ini->seccap, ini->nsections + 1,
                              sizeof *ini->sections);
        ini->sections[ini->nsections++] = xstrdup(name);
        free(*sect);
        *sect = name;
        *cur = NULL;
        goto done;
    }
    if (!*sect) {
        db_error_set(err, DB_ERR_PARSE, "%s:%d: a setting before any [section]; "
                     "put it under [alembic]", ini->path, lineno);
        rc = -1;
        goto done;
    }
    if (!rx_match(rx->option, value, strlen(value), caps, 4) || caps[1].len == 0) {
        db_error_set(err, DB_ERR_PARSE, "%s:%d: not a 'key = value' line: %s", ini->path,
                     lineno, value);
        rc = -1;
        goto done;
    }
    char *key = trim_dup(value + caps[1].start, caps[1].len);
    lower(key);
    for (size_t i = 0; i < ini->count; i++)
        if (strcmp(ini->items[i].section, *sect) == 0 && strcmp(ini->items[i].key, key) == 0) {
            db_error_set(err, DB_ERR_PARSE, "%s:%d: '%s' is set twice in [%s] (first at "
                         "line %d); keep one", ini->path, lineno, key, *sect,
                         ini->items[i].line);
            free(key);
            rc = -1;
            goto done;
        }
    ini->items = xgrow(ini->items, &ini->cap, ini->count + 1, sizeof *ini->items);
    IniEntry *e = &ini->items[ini->count++];
    e->section = xstrdup(*sect);
    e->key = key;
    e->value = (StrBuf)STRBUF_INIT;
    sb_append(&e->value, value + caps[3].start);
    e->line = lineno;
    *cur = e;
done:
    free(value);
    return rc;
}

static int ini_read(Ini *ini, const char *text, DbError *err)
{
    IniRx rx = { NULL, NULL };
    DbError rxerr = DB_ERROR_INIT;
    rx.section = rx_compile("^\\[(.+)\\]", 0, &rxerr);
    rx.option = rx_compile("^(.*?)\\s*(=|:)\\s*(.*)$", 0, &rxerr);
    db_error_clear(&rxerr);
    char *sect = NULL;
    IniEntry *cur = NULL;
    size_t indent_level = 0;
    int lineno = 0, rc = 0;
    for (const char *p = text; *p && rc == 0;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        rc = ini_line(ini, &rx, p, n, lineno, &sect, &cur, &indent_level, err);
        p += n + (nl ? 1 : 0);
    }
    free(sect);
    rx_free(rx.section);
    rx_free(rx.option);
    /* ConfigParser joins the lines and strips the end of the value */
    for (size_t i = 0; i < ini->count; i++) {
        StrBuf *v = &ini->items[i].value;
        while (v->len && (v->s[v->len - 1] == '\n' || v->s[v->len - 1] == ' ' ||
                          v->s[v->len - 1] == '\t'))
            v->s[--v->len] = '\0';
    }
    return rc;
}

/* BasicInterpolation: %% and %(name)s, names looked up in the section,
 * then DEFAULT, then "here". */
static int interpolate(const Ini *ini, const char *section, const IniEntry *e, const char *raw,
                       int depth, StrBuf *out, DbError *err)
{
    if (depth > INTERP_DEPTH) {
        db_error_set(err, DB_ERR_PARSE, "%s:%d: '%s' refers to itself through %%(...)s",
                     ini->path, e->line, e->key);
        return -1;
    }
    for (const char *p = raw; *p; p++) {
        if (*p != '%') {
            sb_appendc(out, *p);
            continue;
        }
        if (p[1] == '%') {
            sb_appendc(out, '%');
            p++;
            continue;
        }
        const char *close = p[1] == '(' ? strstr(p, ")s") : NULL;
        if (!close) {
            db_error_set(err, DB_ERR_PARSE, "%s:%d: in '%s', '%%' must be followed by '%%' "
                         "or '(name)s'; write %%%% for a percent sign", ini->path, e->line,
                         e->key);
            return -1;
        }
        char *name = xstrndup(p + 2, (size_t)(close - p - 2));
        lower(name);
        const IniEntry *ref = ini_get(ini, section, name);
        int rc = 0;
        if (ref)
            rc = interpolate(ini, section, e, sb_str(&ref->value), depth + 1, out, err);
        else if (strcmp(name, "here") == 0)
            sb_append(out, ini->here);
        else {
            db_error_set(err, DB_ERR_PARSE, "%s:%d: '%s' refers to %%(%s)s, which is not "
                         "set in [%s]", ini->path, e->line, e->key, name, section);
            rc = -1;
        }
        free(name);
        if (rc != 0)
            return -1;
        p = close + 1;
    }
    return 0;
}

/* The interpolated value of key, or NULL (*out) when it is not set. */
static int ini_value(const Ini *ini, const char *section, const char *key, char **out,
                     int *line, DbError *err)
{
    *out = NULL;
    const IniEntry *e = ini_get(ini, section, key);
    if (!e)
        return 0;
    StrBuf b = STRBUF_INIT;
    if (interpolate(ini, section, e, sb_str(&e->value), 0, &b, err) != 0) {
        sb_free(&b);
        return -1;
    }
    *out = sb_take(&b);
    if (line)
        *line = e->line;
    return 0;
}

/* ---- paths ---------------------------------------------------------- */

char *alembic_path_join(const char *base, const char *rel)
{
    StrBuf b = STRBUF_INIT;
    if (rel[0] != '/' && base && *base) {
        sb_append(&b, base);
        sb_appendc(&b, '/');
    }
    sb_append(&b, rel);
    /* lexical clean-up: "//", "/./", "x/../" */
    char *s = sb_take(&b);
    bool abs = s[0] == '/';
    char **parts = NULL;
    size_t n = 0, cap = 0;
    for (char *tok = strtok(s, "/"); tok; tok = strtok(NULL, "/")) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0 && n && strcmp(parts[n - 1], "..") != 0) {
            n--;
            continue;
        }
        if (strcmp(tok, "..") == 0 && abs)
            continue;
        parts = xgrow(parts, &cap, n + 1, sizeof *parts);
        parts[n++] = tok;
    }
    StrBuf o = STRBUF_INIT;
    if (abs)
        sb_appendc(&o, '/');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_appendc(&o, '/');
        sb_append(&o, parts[i]);
    }
    if (!o.len)
        sb_append(&o, ".");
    free(parts);
    free(s);
    return sb_take(&o);
}

char *alembic_path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path))) :
                        xstrdup(".");
    if (dir[0] == '/')
        return dir;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        return dir;
    char *abs = alembic_path_join(cwd, dir);
    free(dir);
    return abs;
}

int alembic_split_locations(const char *value, const char *separator, char ***out,
                            size_t *count, DbError *err)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *count = 0;
    char sep;
    if (!separator) {
        sep = 0;
    } else if (strcmp(separator, "space") == 0) {
        sep = ' ';
    } else if (strcmp(separator, "newline") == 0) {
        sep = '\n';
    } else if (strcmp(separator, "os") == 0 || strcmp(separator, ":") == 0) {
        sep = ':';   /* os.pathsep on POSIX */
    } else if (strcmp(separator, ";") == 0) {
        sep = ';';
    } else {
        db_error_set(err, DB_ERR_USAGE, "'%s' is not a path separator Alembic knows; "
                     "use space, newline, os, ':' or ';'", separator);
        return -1;
    }
    if (sep == 0) {
        /* legacy: re.split(r", *|(?: +)") keeps empty pieces, e.g. after
         * ", " the space run splits again; Alembic then fails on them, so
         * dropping the empty ones is the useful reading */
        const char *p = value;
        while (*p) {
            size_t len = strcspn(p, ", ");
            if (len)
                strv_push_owned(&v, &n, &cap, xstrndup(p, len));
            p += len;
            if (*p == ',') {
                p++;
                while (*p == ' ')
                    p++;
            } else {
                while (*p == ' ')
                    p++;
            }
        }
    } else {
        const char *p = value;
        for (;;) {
            const char *end = strchr(p, sep);
            size_t len = end ? (size_t)(end - p) : strlen(p);
            char *piece = trim_dup(p, len);
            size_t k = strlen(piece);
            while (k && (piece[k - 1] == '\n' || piece[k - 1] == ' '))
                piece[--k] = '\0';
            char *start = piece;
            while (*start == '\n' || *start == ' ')
                start++;
            if (*start)
                strv_push_owned(&v, &n, &cap, xstrdup(start));
            free(piece);
            if (!end)
                break;
            p = end + 1;
        }
    }
    if (!v)
        v = xcalloc(1, sizeof *v);
    *out = v;
    *count = n;
    return 0;
}

/* A "package:path" resource, which only Python can resolve. */
static bool is_resource(const char *loc)
{
    return loc[0] != '/' && loc[0] != '.' && strchr(loc, ':') != NULL;
}

void alembic_config_free(AlembicConfig *c)
{
    if (!c)
        return;
    free(c->ini_path);
    free(c->here);
    free(c->script_location);
    free(c->url);
    free(c->url_problem);
    for (size_t i = 0; i < c->nlocations; i++)
        free(c->version_locations[i]);
    free(c->version_locations);
    memset(c, 0, sizeof *c);
}

/* sqlalchemy.url, interpolated as Alembic's ConfigParser does; a value
 * that cannot be interpolated is kept as a problem, not a failure: only
 * the actions that need the URL fail on it. */
static void read_url(AlembicConfig *out, Ini *ini, const char *section)
{
    DbError uerr = DB_ERROR_INIT;
    int line = 0;
    if (ini_value(ini, section, "sqlalchemy.url", &out->url, &line, &uerr) != 0)
        out->url_problem = xstrdup(uerr.message);
    out->url_line = line;
    db_error_clear(&uerr);
}

static int config_from_ini(AlembicConfig *out, Ini *ini, const char *section, DbError *err)
{
    char *script = NULL, *locs = NULL, *sep = NULL, *rec = NULL, *srcless = NULL;
    int script_line = 0, locs_line = 0, sep_line = 0;
    char **split = NULL;
    size_t nsplit = 0;
    if (ini_value(ini, section, "script_location", &script, &script_line, err) != 0 ||
        ini_value(ini, section, "version_locations", &locs, &locs_line, err) != 0 ||
        ini_value(ini, section, "path_separator", &sep, &sep_line, err) != 0 ||
        (!sep && ini_value(ini, section, "version_path_separator", &sep, &sep_line, err) != 0) ||
        ini_value(ini, section, "recursive_version_locations", &rec, NULL, err) != 0 ||
        ini_value(ini, section, "sourceless", &srcless, NULL, err) != 0)
        goto fail;
    if (!script || !*script) {
        db_error_set(err, DB_ERR_USAGE, "%s: no script_location in [%s]; Alembic needs it "
                     "(e.g. script_location = %%(here)s/alembic)", ini->path, section);
        goto fail;
    }
    if (is_resource(script)) {
        db_error_set(err, DB_ERR_USAGE, "%s:%d: script_location '%s' is a Python package "
                     "resource, which dbwarden cannot read without running Python; give "
                     "a folder (e.g. %%(here)s/alembic)", ini->path, script_line, script);
        goto fail;
    }
    out->script_location = alembic_path_join(ini->here, script);
    out->recursive = rec && strcmp(rec, "true") == 0;
    read_url(out, ini, section);
    out->sourceless = srcless && strcmp(srcless, "true") == 0;
    if (locs && *locs) {
        if (alembic_split_locations(locs, sep, &split, &nsplit, err) != 0) {
            db_error_prefix(err, "%s:%d", ini->path, sep_line);
            goto fail;
        }
        out->version_locations = xcalloc(nsplit + 1, sizeof *out->version_locations);
        for (size_t i = 0; i < nsplit; i++) {
            if (is_resource(split[i])) {
                db_error_set(err, DB_ERR_USAGE, "%s:%d: version location '%s' is a Python "
                             "package resource; give a folder instead", ini->path,
                             locs_line, split[i]);
                goto fail;
            }
            out->version_locations[out->nlocations++] = alembic_path_join(ini->here, split[i]);
        }
    } else {
        out->version_locations = xcalloc(2, sizeof *out->version_locations);
        out->version_locations[0] = alembic_path_join(out->script_location, "versions");
        out->nlocations = 1;
    }
    strv_free(split);
    free(script);
    free(locs);
    free(sep);
    free(rec);
    free(srcless);
    return 0;
fail:
    strv_free(split);
    free(script);
    free(locs);
    free(sep);
    free(rec);
    free(srcless);
    return -1;
}

int alembic_config_parse(AlembicConfig *out, const char *ini_path, const char *text,
                         const char *section, DbError *err)
{
    memset(out, 0, sizeof *out);
    if (!section)
        section = "alembic";
    Ini ini = { ini_path, NULL, 0, 0, NULL, 0, 0, NULL };
    out->ini_path = xstrdup(ini_path);
    out->here = alembic_path_dir(ini_path);
    ini.here = out->here;
    if (ini_read(&ini, text, err) != 0)
        goto fail;
    if (!ini_has_section(&ini, section)) {
        db_error_set(err, DB_ERR_USAGE, "%s has no [%s] section; is it an alembic.ini?",
                     ini_path, section);
        goto fail;
    }
    if (config_from_ini(out, &ini, section, err) != 0)
        goto fail;
    ini_free(&ini);
    return 0;
fail:
    ini_free(&ini);
    alembic_config_free(out);
    return -1;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int alembic_config_load(AlembicConfig *out, const char *path, DbError *err)
{
    memset(out, 0, sizeof *out);
    if (is_dir(path)) {
        /* a folder: a project folder with alembic.ini, a script folder
         * (env.py and versions/), or the versions folder itself */
        char *ini = alembic_path_join(path, "alembic.ini");
        if (is_file(ini)) {
            int rc = alembic_config_load(out, ini, err);
            free(ini);
            return rc;
        }
        free(ini);
        char cwd[4096];
        char *abs = alembic_path_join(getcwd(cwd, sizeof cwd) ? cwd : NULL, path);
        char *env = alembic_path_join(abs, "env.py");
        char *versions = alembic_path_join(abs, "versions");
        out->here = abs;
        out->version_locations = xcalloc(2, sizeof *out->version_locations);
        if (is_file(env) && is_dir(versions)) {
            out->script_location = xstrdup(abs);
            out->version_locations[0] = versions;
        } else {
            out->version_locations[0] = xstrdup(abs);
            free(versions);
        }
        out->nlocations = 1;
        free(env);
        return 0;
    }
    char *text = fs_read_file(path, NULL, err);
    if (!text) {
        db_error_prefix(err, "the Alembic configuration (--alembic or alembic_ini)");
        return -1;
    }
    int rc = alembic_config_parse(out, path, text, NULL, err);
    free(text);
    return rc;
}
