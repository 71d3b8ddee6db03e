/* test_alembic_parse.c: revision files read as text (a table of file
 * texts and what must be read from each). */
#include "alembic.h"
#include "test.h"

#include <stdlib.h>

typedef struct Case {
    const char *name;
    const char *text;
    const char *revision;      /* NULL: none */
    const char *down;          /* items joined by ',' ; "" for none */
    const char *labels;
    const char *depends;
    const char *message;
    const char *create_date;
    bool        unreadable;
    bool        is_str;
} Case;

static const Case cases[] = {
    { "alembic 1.8 template",
      "\"\"\"create users\n\nRevision ID: 1a2b3c4d5e6f\nRevises: \n"
      "Create Date: 2024-01-02 10:11:12.123456\n\n\"\"\"\n"
      "from alembic import op\nimport sqlalchemy as sa\n\n\n"
      "# revision identifiers, used by Alembic.\n"
      "revision = '1a2b3c4d5e6f'\ndown_revision = None\nbranch_labels = None\n"
      "depends_on = None\n\n\ndef upgrade():\n    pass\n",
      "1a2b3c4d5e6f", "", "", "", "create users", "2024-01-02 10:11:12.123456", false, true },
    { "annotated assignments (alembic 1.13 template)",
      "\"\"\"add projects\n\nRevision ID: 2b3c4d5e6f70\nRevises: 1a2b3c4d5e6f\n"
      "Create Date: 2024-02-03 04:05:06\n\n\"\"\"\n"
      "from typing import Sequence, Union\n\n"
      "revision: str = \"2b3c4d5e6f70\"\n"
      "down_revision: Union[str, None] = \"1a2b3c4d5e6f\"\n"
      "branch_labels: Union[str, Sequence[str], None] = None\n"
      "depends_on: Union[str, Sequence[str], None] = None\n",
      "2b3c4d5e6f70", "1a2b3c4d5e6f", "", "", "add projects", "2024-02-03 04:05:06", false,
      true },
    { "a merge as a tuple, labels as a tuple",
      "'''merge heads'''\nrevision = 'm1'\n"
      "down_revision = ('a1', 'b2')\nbranch_labels = ('billing',)\n",
      "m1", "a1,b2", "billing", "", "merge heads", NULL, false, true },
    { "a merge as a list over several lines with comments",
      "revision = \"m2\"\ndown_revision = [\n    \"a1\",  # the left one\n"
      "    # \"zz\" is gone\n    \"b2\",\n]\ndepends_on = 'x9'\n",
      "m2", "a1,b2", "", "x9", NULL, NULL, false, true },
    { "ids in comments and other strings are ignored",
      "\"\"\"fix\n\nRevision ID: WRONG1\nRevises: WRONG2\n\"\"\"\n"
      "# revision = 'WRONG3'\n"
      "note = \"revision = 'WRONG4'\"\n"
      "text = '''\nrevision = 'WRONG5'\ndown_revision = 'WRONG6'\n'''\n"
      "revision = 'good1'  # revision = 'WRONG7'\n"
      "down_revision = 'good0'\n"
      "def upgrade():\n    revision = 'WRONG8'\n    down_revision = 'WRONG9'\n",
      "good1", "good0", "", "", "fix", NULL, false, true },
    { "the last assignment wins, and ';' separates statements",
      "revision = 'old'\nrevision = 'new'; down_revision = 'p'\n",
      "new", "p", "", "", NULL, NULL, false, true },
    { "no revision at all",
      "\"\"\"helpers shared by migrations\"\"\"\nimport os\n\ndef helper():\n"
      "    revision = 'x'\n",
      NULL, "", "", "", "helpers shared by migrations", NULL, false, true },
    { "a computed value is unreadable",
      "revision = 'c1'\ndown_revision = get_parent()\n",
      "c1", "", "", "", NULL, NULL, true, true },
    { "a number is not a string id",
      "revision = 123\ndown_revision = None\n",
      "123", "", "", "", NULL, NULL, false, false },
    { "string prefixes, implicit concatenation, escapes",
      "r\"\"\"raw doc \\n stays\"\"\"\nrevision = u'ab' 'cd'\ndown_revision = \"q\\\"x\"\n",
      "abcd", "q\"x", "", "", "raw doc \\n stays", NULL, false, true },
    { "an f-string is not a literal id",
      "revision = f'{x}'\n",
      NULL, "", "", "", NULL, NULL, true, true },
    { "backslash continuation and parenthesised value",
      "revision = \\\n    'k1'\ndown_revision = (\n    'k0'\n)\n",
      "k1", "k0", "", "", NULL, NULL, false, true },
    { "empty file", "", NULL, "", "", "", NULL, NULL, false, true },
    { "unterminated string does not crash",
      "revision = 'open\ndown_revision = \"\"\"never closed\n",
      NULL, "", "", "", NULL, NULL, true, true },
    { "an indented block at the top is not top level",
      "if True:\n    revision = 'nested'\nrevision = 'top'\ndown_revision = None\n",
      "top", "", "", "", NULL, NULL, false, true },
    { "a comparison is not an assignment",
      "revision == 'x'\nrevision = 'y'\ndown_revision = None\n",
      "y", "", "", "", NULL, NULL, false, true },
    { "docstring after a coding comment, with leading blank lines",
      "# -*- coding: utf-8 -*-\n\"\"\"\n\n  Add   jobs table  \nCreate Date:   2023-12-31 23:59:59.000001  \n\"\"\"\n"
      "revision = 'j1'\ndown_revision = None\n",
      "j1", "", "", "", "Add   jobs table", "2023-12-31 23:59:59.000001", false, true },
    /* assignment forms Python allows */
    { "chained assignment",
      "revision = REV = \"a1\"\ndown_revision = base = None\n",
      "a1", "", "", "", NULL, NULL, false, true },
    { "chained, the name read second",
      "down_revision = revision = 'a2'\ndown_revision = None\n",
      "a2", "", "", "", NULL, NULL, false, true },
    { "tuple unpacking, with and without brackets",
      "revision, down_revision = \"b\", \"a\"\n(branch_labels, depends_on) = [('x',), 'd']\n",
      "b", "a", "x", "d", NULL, NULL, false, true },
    { "starred unpacking",
      "revision, *down_revision = 'm', 'a', 'b',\n",
      "m", "a,b", "", "", NULL, NULL, false, true },
    { "unpacking a string into characters",
      "revision, down_revision = 'xy'\n",
      "x", "y", "", "", NULL, NULL, false, true },
    { "names bound earlier, re-bound: the last binding wins",
      "P = 'old'\nP = 'p1'\nQ = (P, 'q1')\nrevision = 'r1'\ndown_revision = Q\n"
      "depends_on = [*Q]\n",
      "r1", "p1,q1", "", "p1,q1", NULL, NULL, false, true },
    { "augmented assignment on strings",
      "revision = 'ab'\nrevision += 'cd'\ndown_revision = ('p',)\ndown_revision += ('q',)\n",
      "abcd", "p,q", "", "", NULL, NULL, false, true },
    { "annotation without a value binds nothing",
      "revision: str\nrevision: str = 'an1'\ndown_revision = None\n",
      "an1", "", "", "", NULL, NULL, false, true },
    /* Alembic's reading of the values */
    { "a set of parents",
      "revision = 's1'\ndown_revision = {'a', 'b', 'a'}\n",
      "s1", "a,b", "", "", NULL, NULL, false, true },
    { "false values are a base: '', (), 0, False",
      "revision = 'f1'\ndown_revision = ''\ndown_revision = ()\ndown_revision = 0\n"
      "down_revision = False\n",
      "f1", "", "", "", NULL, NULL, false, true },
    { "a set of one parent: Alembic fails on it",
      "revision = 's2'\ndown_revision = {'a'}\n",
      "s2", "", "", "", NULL, NULL, true, true },
    { "a number as parent: Alembic fails on it",
      "revision = 's3'\ndown_revision = 7\n",
      "s3", "", "", "", NULL, NULL, true, true },
    { "None inside a tuple of parents",
      "revision = 's4'\ndown_revision = ('a', None)\n",
      "s4", "", "", "", NULL, NULL, true, true },
    { "no down_revision: Alembic fails on it",
      "revision = 'z1'\n",
      "z1", "", "", "", NULL, NULL, true, true },
    { "depends_on '' is no dependency on a revision with a parent",
      "revision = 'd1'\ndown_revision = 'a'\ndepends_on = ('',)\n",
      "d1", "a", "", "", NULL, NULL, false, true },
    { "depends_on '' on a base: Alembic finds no real base",
      "revision = 'd2'\ndown_revision = None\ndepends_on = ''\n",
      "d2", "", "", "", NULL, NULL, true, true },
    { "a bytes id is not a string",
      "revision = b'ab'\ndown_revision = None\n",
      "a bytes value", "", "", "", NULL, NULL, false, false },
    /* strings */
    { "escapes decoded as Python does, to UTF-8",
      "revision = 'caf\\xe9\\u0061\\U00000062\\143\\d'\ndown_revision = None\n",
      "caf\xc3\xa9" "abc\\d", "", "", "", NULL, NULL, false, true },
    { "an f-string without fields, triple quotes, R and U prefixes",
      "revision = f'ab{{c}}'\ndown_revision = (R'a\\d', U\"\"\"t1\"\"\")\n",
      "ab{c}", "a\\d,t1", "", "", NULL, NULL, false, true },
    { "a \\N{...} escape is not decoded here",
      "revision = 'caf\\N{LATIN SMALL LETTER E WITH ACUTE}'\ndown_revision = None\n",
      NULL, "", "", "", NULL, NULL, true, true },
    { "implicit concatenation over lines in brackets",
      "revision = ('ab'  # first half\n    \"cd\")\ndown_revision = None\n",
      "abcd", "", "", "", NULL, NULL, false, true },
    /* line ends */
    { "CR line ends with a continuation line",
      "revision = \\\r    'c1'\rdown_revision = None\r",
      "c1", "", "", "", NULL, NULL, false, true },
    { "CRLF line ends with a continuation line",
      "revision = \\\r\n    'c2'\r\ndown_revision = \"\"\"x\r\ny\"\"\"\r\n",
      "c2", "x\ny", "", "", NULL, NULL, false, true },
    /* what running code decides */
    { "assigned inside if True: not guessed",
      "if True:\n    revision = 'nested'\ndown_revision = None\n",
      NULL, "", "", "", NULL, NULL, true, true },
    { "assigned inside try/except",
      "revision = 't1'\ntry:\n    down_revision = None\nexcept ImportError:\n"
      "    down_revision = 'x'\n",
      "t1", "", "", "", NULL, NULL, true, true },
    { "a block that binds other names only is harmless",
      "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from typing import Sequence\n"
      "for _i in range(2): pass\nrevision = 'h1'\ndown_revision = None\n",
      "h1", "", "", "", NULL, NULL, false, true },
    { "a function declaring it global",
      "revision = 'g1'\ndown_revision = None\ndef f():\n    global down_revision\n"
      "    down_revision = 'x'\n",
      "g1", "", "", "", NULL, NULL, true, true },
    { "a conditional expression",
      "revision = 'c3' if x else 'c4'\ndown_revision = None\n",
      NULL, "", "", "", NULL, NULL, true, true },
    { "eval and vars as names or keywords are not dynamic; a star import after",
      "revision = 'k1'\ndown_revision = None\nx = f(eval=True, vars=1)\n"
      "from os.path import *\nrevision = 'k2'\n",
      "k2", "", "", "", NULL, NULL, true, true },
    { "a star import before the values does not hide missing labels",
      "from alembic.op import *\nrevision = 'k3'\ndown_revision = None\n",
      "k3", "", "", "", NULL, NULL, false, true },
    /* what Python refuses */
    { "an unexpected indent",
      "revision = 'i1'\n  down_revision = None\n",
      "i1", "", "", "", NULL, NULL, true, true },
    { "a block with no body",
      "revision = 'i2'\ndown_revision = None\nif x:\n",
      "i2", "", "", "", NULL, NULL, true, true },
    { "a bracket never closed",
      "revision = 'i3'\ndown_revision = None\nx = (1,\n",
      "i3", "", "", "", NULL, NULL, true, true },
    { "a name not defined above",
      "revision = 'i4'\ndown_revision = PARENT\nPARENT = 'p'\n",
      "i4", "", "", "", NULL, NULL, true, true },
    { "CRLF line ends",
      "\"\"\"crlf\r\n\r\nCreate Date: 2020-01-01\r\n\"\"\"\r\nrevision = 'w1'\r\n"
      "down_revision = 'w0'\r\n",
      "w1", "w0", "", "", "crlf", "2020-01-01", false, true },
};

static char *joined(const AlembicList *l)
{
    size_t n = 1;
    for (size_t i = 0; i < l->count; i++)
        n += strlen(l->items[i]) + 1;
    char *s = calloc(1, n);
    for (size_t i = 0; i < l->count; i++) {
        if (i)
            strcat(s, ",");
        strcat(s, l->items[i]);
    }
    return s;
}

static void test_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const Case *c = &cases[i];
        AlembicRevision r;
        alembic_revision_parse(&r, "versions/x.py", c->text, strlen(c->text));
        fprintf(stderr, "  case: %s\n", c->name);
        CHECK_STR(r.file, "versions/x.py");
        CHECK_STR(r.revision, c->revision);
        if (c->revision)
            CHECK(r.revision_is_str == c->is_str);
        char *d = joined(&r.down), *l = joined(&r.branch_labels), *p = joined(&r.depends_on);
        CHECK_STR(d, c->down);
        CHECK_STR(l, c->labels);
        CHECK_STR(p, c->depends);
        CHECK_STR(r.message, c->message);
        CHECK_STR(r.create_date, c->create_date);
        CHECK((r.unreadable != NULL) == c->unreadable);
        free(d);
        free(l);
        free(p);
        alembic_revision_free(&r);
    }
}

static void test_lines(void)
{
    const char *text = "\"\"\"doc\n\nmore\n\"\"\"\n\n\nrevision = 'abc'\n"
                       "down_revision = some.call()\n";
    AlembicRevision r;
    alembic_revision_parse(&r, "f.py", text, strlen(text));
    CHECK(r.line == 7);
    CHECK_CONTAINS(r.unreadable, "down_revision at line 8");
    alembic_revision_free(&r);
}

/* Files as bytes: the encoding Python decodes them with. */
static void test_encodings(void)
{
    static const struct {
        const char *name, *bytes;
        size_t      len;        /* 0: strlen */
        const char *revision;   /* UTF-8; NULL: none */
        const char *why;        /* in unreadable; NULL: readable */
    } enc[] = {
        { "latin-1 declaration", "# -*- coding: latin-1 -*-\nrevision = 'caf\xe9'\n"
          "down_revision = None\n", 0, "caf\xc3\xa9", NULL },
        { "declaration on line 2 after a shebang", "#!/usr/bin/env python\n"
          "# vim: set fileencoding=iso-8859-1 :\nrevision = '\xe9t\xe9'\ndown_revision = None\n",
          0, "\xc3\xa9t\xc3\xa9", NULL },
        { "cp1252", "# coding=cp1252\nrevision = 'a\x80'\ndown_revision = None\n", 0,
          "a\xe2\x82\xac", NULL },
        { "UTF-8 with a BOM", "\xef\xbb\xbfrevision = 'bom\xc3\xa9'\ndown_revision = None\n",
          0, "bom\xc3\xa9", NULL },
        { "BOM and a utf-8 declaration", "\xef\xbb\xbf# coding: UTF_8\nrevision = 'b2'\n"
          "down_revision = None\n", 0, "b2", NULL },
        { "BOM and a latin-1 declaration", "\xef\xbb\xbf# coding: latin-1\nrevision = 'b3'\n"
          "down_revision = None\n", 0, NULL, "encoding problem: iso-8859-1 with BOM" },
        { "not UTF-8, no declaration", "revision = 'caf\xe9'\ndown_revision = None\n", 0,
          NULL, "not UTF-8" },
        { "not UTF-8 in a comment only (Python 3.11 accepts it)",
          "# caf\xe9\nrevision = 'c1'\ndown_revision = None\n", 0, "c1", NULL },
        { "a declaration after code is ignored", "x = 1\n# coding: latin-1\n"
          "revision = 'caf\xe9'\ndown_revision = None\n", 0, NULL, "not UTF-8" },
        { "a declaration on line 3 is ignored", "\n\n# coding: latin-1\n"
          "revision = 'caf\xe9'\ndown_revision = None\n", 0, NULL, "not UTF-8" },
        { "ascii declaration, a byte it cannot decode", "# coding: ascii\n# \xe9\n"
          "revision = 'a1'\ndown_revision = None\n", 0, NULL, "ascii codec cannot decode" },
        { "unknown encoding", "# coding: nosuchcodec\nrevision = 'u1'\n", 0, NULL,
          "unknown encoding: nosuchcodec" },
        { "a NUL byte", "revision = 'n1'\0\ndown_revision = None\n", 36, NULL,
          "null bytes" },
    };
    for (size_t i = 0; i < sizeof enc / sizeof enc[0]; i++) {
        AlembicRevision r;
        size_t len = enc[i].len ? enc[i].len : strlen(enc[i].bytes);
        fprintf(stderr, "  case: %s\n", enc[i].name);
        alembic_revision_parse(&r, "versions/x.py", enc[i].bytes, len);
        if (enc[i].revision)
            CHECK_STR(r.revision, enc[i].revision);
        if (enc[i].why)
            CHECK_CONTAINS(r.unreadable, enc[i].why);
        else
            CHECK_STR(r.unreadable, NULL);
        alembic_revision_free(&r);
    }
}

/* Alembic's legacy rule: no `revision` in the module, the id is the file
 * name's when it is hexadecimal digits and ".py". */
static void test_legacy_file_name(void)
{
    AlembicRevision r;
    const char *text = "\"\"\"old style\"\"\"\ndown_revision = None\n";
    alembic_revision_parse(&r, "versions/1975ea83b712.py", text, strlen(text));
    CHECK_STR(r.revision, "1975ea83b712");
    CHECK(r.revision_is_str && r.revision_from_name && !r.unreadable);
    alembic_revision_free(&r);
    alembic_revision_parse(&r, "versions/1975ea83b712_add.py", text, strlen(text));
    CHECK_STR(r.revision, NULL);
    alembic_revision_free(&r);
    alembic_revision_parse(&r, "versions/ABC.py", text, strlen(text));
    CHECK_STR(r.revision, NULL);   /* upper case is not in [a-f0-9] */
    alembic_revision_free(&r);
    text = "revision = 'zz'\ndel revision\ndown_revision = 'ab'\n";
    alembic_revision_parse(&r, "v/ae10.py", text, strlen(text));
    CHECK_STR(r.revision, "ae10");
    CHECK(r.down.count == 1 && strcmp(r.down.items[0], "ab") == 0);
    alembic_revision_free(&r);
    /* a module that may bind it at run time is not given the file's name */
    text = "from somewhere import *\ndown_revision = None\n";
    alembic_revision_parse(&r, "v/ae11.py", text, strlen(text));
    CHECK_STR(r.revision, NULL);
    CHECK_CONTAINS(r.unreadable, "star import");
    alembic_revision_free(&r);
}

static void test_ids(void)
{
    CHECK(alembic_id_ok("1a2b3c4d5e6f"));
    CHECK(alembic_id_ok("add_users_table"));
    CHECK(!alembic_id_ok(""));
    CHECK(!alembic_id_ok(NULL));
    CHECK(!alembic_id_ok("a b"));
    CHECK(!alembic_id_ok("a\tb"));
    CHECK(!alembic_id_ok("abc-def"));
    CHECK(!alembic_id_ok("abc+1"));
    CHECK(!alembic_id_ok("br@head"));
    CHECK(!alembic_id_ok("a:b"));
    CHECK(!alembic_id_ok("head"));
    CHECK(!alembic_id_ok("heads"));
    CHECK(!alembic_id_ok("base"));
}

int main(void)
{
    RUN(test_table);
    RUN(test_lines);
    RUN(test_encodings);
    RUN(test_legacy_file_name);
    RUN(test_ids);
    return test_report();
}
