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
    RUN(test_ids);
    return test_report();
}
