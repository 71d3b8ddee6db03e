/* alembic_py.h: the Python that a revision file is read with; private to
 * the alembic_*.c files.
 *
 * Nothing here runs Python.  A revision file goes through three stages,
 * each in its own file, the way CPython 3.11 reads a module:
 *   py_source_decode()  (alembic_pysrc.c)  bytes -> UTF-8 text: no NUL,
 *                       line ends made "\n", the UTF-8 byte-order mark and
 *                       the coding declaration of line 1 or 2 applied
 *   py_lex()            (alembic_pylex.c)  text -> tokens, string
 *                       literals decoded, syntax errors of the tokenizer
 *   py_module_eval()    (alembic_pyeval.c, alembic_pystmt.c)  tokens ->
 *                       the module's top-level names and their values, as
 *                       far as they are literals (or names bound earlier
 *                       to literals); anything that depends on running
 *                       code is a PY_UNKNOWN value that says why. */
#ifndef DBW_ALEMBIC_PY_H
#define DBW_ALEMBIC_PY_H

#include <stdbool.h>
#include <stddef.h>

/* ---- source (alembic_pysrc.c) --------------------------------------- */

/* The text Python compiles from these bytes: a NUL byte is refused
 * (ValueError); "\r\n" and "\r" become "\n"; a UTF-8 BOM is dropped; a
 * coding declaration (a comment on line 1, or on line 2 after a line
 * holding only a comment or blanks, matching "coding[:=]\s*([-\w.]+)")
 * names the codec: UTF-8, Latin-1, ASCII and cp1252 are decoded here,
 * other codecs through iconv.  A BOM with a declaration other than utf-8
 * is refused, as Python does.  Returns the text (owned, NUL-terminated,
 * *out_len its length); NULL with *why (owned) saying what Python says.
 * Without a declaration the text is passed as it is: Python 3.11 checks
 * UTF-8 only in the tokens (py_lex does), not in comments. */
char *py_source_decode(const char *bytes, size_t len, size_t *out_len, char **why);
/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 (not
 * UTF-8, overlong, a surrogate, beyond U+10FFFF). */
size_t py_utf8_len(const unsigned char *s, size_t n);

/* ---- tokens (alembic_pylex.c) --------------------------------------- */

typedef enum PyTokKind { PT_EOF, PT_NEWLINE, PT_NAME, PT_NUMBER, PT_STRING, PT_OP } PyTokKind;

enum {
    PYS_BYTES = 1,     /* b'' */
    PYS_FIELDS = 2,    /* an f-string with replacement fields: no fixed value */
    PYS_FSTRING = 4,   /* f'' (with or without fields) */
    PYS_UNDECODED = 8, /* an escape not decoded here (\N{...}, a surrogate) */
    PYS_OPEN = 16      /* not terminated (a syntax error) */
};

typedef struct PyTok {
    PyTokKind kind;
    size_t    start, end;   /* byte offsets in the text */
    int       line;         /* 1-based line of the start */
    int       col;          /* column of the start (tabs to 8, \f resets) */
    bool      bol;          /* the first token of a logical line */
    char     *str;          /* PT_STRING: the value, UTF-8 (owned); may hold NUL */
    size_t    slen;
    unsigned  sflags;       /* PT_STRING: PYS_* */
} PyTok;

typedef struct PyLexed {
    PyTok  *toks;      /* owned; ends with PT_EOF, a PT_NEWLINE before it */
    size_t  count;
    int     err_line;  /* the first syntax error of the tokenizer, or 0 */
    char   *err;       /* owned: its message, as Python words it */
} PyLexed;

/* Tokens of text (as py_source_decode returns it): NAME, NUMBER, STRING
 * (adjacent literals are separate tokens), OP, NEWLINE at the end of each
 * logical line (not inside brackets, not for blank or comment lines).
 * Never fails; an unterminated string, a bracket that does not match, a
 * stray backslash or bytes that are not UTF-8 set err (the first one). */
void py_lex(PyLexed *out, const char *text, size_t len);
void py_lexed_free(PyLexed *l);
/* true when tok is the operator or name text */
bool py_tok_is(const PyTok *t, const char *src, const char *text);

/* ---- values (alembic_pyeval.c) -------------------------------------- */

typedef enum PyKind {
    PY_UNKNOWN = 0,   /* not a literal: why says what it is */
    PY_NONE, PY_BOOL, PY_NUMBER, PY_STR, PY_BYTES,
    PY_TUPLE, PY_LIST, PY_SET, PY_DICT
} PyKind;

typedef struct PyVal {
    PyKind  kind;
    char   *text;    /* PY_STR: the value (UTF-8, owned, may hold NUL: len);
                        PY_NUMBER: its source text; PY_UNKNOWN: why, a
                        phrase such as "is computed by a call" (owned) */
    size_t  len;     /* PY_STR */
    bool    truthy;  /* PY_BOOL, PY_NUMBER */
    bool    bad;     /* PY_STR with an escape not decoded here */
    struct PyVal *items;  /* PY_TUPLE, PY_LIST, PY_SET, PY_DICT (its keys) */
    size_t  n;
} PyVal;

void  py_val_free(PyVal *v);
PyVal py_val_copy(const PyVal *v);
PyVal py_unknown(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Python's truth value (PY_UNKNOWN: false). */
bool  py_truthy(const PyVal *v);
/* A short display of v ("None", "123", "b'..'", "a tuple", ...). Caller frees. */
char *py_val_describe(const PyVal *v);

/* ---- the module (alembic_pyblock.c, alembic_pystmt.c, alembic_pyeval.c) */

typedef struct PyBinding {
    char  *name;     /* owned */
    bool   bound;    /* false after `del` */
    PyVal  value;
    int    line;     /* line of the last binding */
} PyBinding;

typedef struct PyModule {
    PyBinding *names;     /* owned: module-level names, in order of first binding */
    size_t     count, cap;
    char      *doc;       /* owned: the docstring, or NULL */
    int        err_line;  /* the first reason Python refuses the file, or 0 */
    char      *err;       /* owned: its message */
    char      *maybe_more;/* owned: why names not bound here may still be
                             bound at run time (a star import, globals()),
                             or NULL */
} PyModule;

/* Walks the module's top-level statements in order, binding names to the
 * values of assignments (every form: annotated, chained, unpacking,
 * augmented +=), imports, def and class (PY_UNKNOWN), del; names bound
 * inside if/try/for/while/with/match blocks become PY_UNKNOWN ("is
 * assigned inside an if block at line 4").  Function bodies are other
 * scopes, except for their `global` names.  Never fails. */
void py_module_eval(PyModule *m, const PyLexed *lx, const char *src);
void py_module_free(PyModule *m);
/* The binding of name, or NULL when the module never binds it. */
const PyBinding *py_module_get(const PyModule *m, const char *name);

/* private to alembic_pystmt.c and alembic_pyeval.c */
typedef struct PyCtx {
    const PyTok *t;     /* all tokens */
    const char  *src;
    PyModule    *m;
    const char  *cond;  /* inside a block that may not run: every name bound
                           is PY_UNKNOWN with this reason; else NULL */
} PyCtx;
/* The value of the expression list toks[a..b) (a tuple when it has a
 * top-level comma), names looked up in ctx->m. */
PyVal py_eval(const PyCtx *ctx, size_t a, size_t b);
/* Index of the bracket closing the one at toks[i], or b when none. */
size_t py_skip_brackets(const PyCtx *ctx, size_t i, size_t b);
/* toks[i] is the operator op; is an opening bracket. */
bool   py_is_op(const PyCtx *ctx, size_t i, const char *op);
bool   py_is_open(const PyCtx *ctx, size_t i);
/* The next op in [i, b) outside brackets, or b. */
size_t py_next_op(const PyCtx *ctx, size_t i, size_t b, const char *op);
void   py_module_bind(PyModule *m, const char *name, size_t n, PyVal v, int line);
/* toks[i] is the name */
bool   py_is_name(const PyCtx *ctx, size_t i, const char *name);
/* Binds the name toks[i] to a copy of v (to an unknown value in a block
 * that may not run). */
void   py_bind_tok(const PyCtx *ctx, size_t i, const PyVal *v, int line);
/* The target toks[s..e) (a name, a tuple or list of targets, starred)
 * bound to v (borrowed), unpacked as Python does. */
void   py_assign(const PyCtx *ctx, size_t s, size_t e, const PyVal *v, int line);
/* `name := v` and globals()/exec/setattr in toks[s..e). */
void   py_side_effects(const PyCtx *ctx, size_t s, size_t e);
/* The simple statements of toks[s..e), separated by ';'; first: the
 * module's first statement (a docstring). */
void   py_stmts_simple(const PyCtx *ctx, size_t s, size_t e, bool first);
void   py_module_error(PyModule *m, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
