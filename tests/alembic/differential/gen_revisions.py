#!/usr/bin/python3
"""Writes an Alembic project whose revision files use many valid Python
forms for the same few values, for the differential test.

    gen_revisions.py DIR [--seed N] [--count N]

DIR gets alembic.ini and versions/ with COUNT revision files: a random
graph (bases, branches, merges, depends_on by id and by branch label),
each file written with a random mix of: encodings (UTF-8, a UTF-8 BOM,
Latin-1 and cp1252 declared on line 1 or 2), line ends (LF, CRLF, CR),
string forms (quotes, triple quotes, prefixes, implicit concatenation,
escapes), assignment forms (annotated, chained, unpacking, starred,
augmented, through names bound earlier, re-assigned, continuation lines,
semicolons), comments and decoys (values in comments, strings, function
and class bodies), and the legacy rule (no `revision`: a hexadecimal file
name).  Everything written is valid Python that Alembic loads.
"""
import argparse
import os
import random

HEX = "0123456789abcdef"


class Gen:
    def __init__(self, rng, encoding):
        self.rng = rng
        self.encoding = encoding  # what the file will be encoded with
        self.k = 0

    def name(self):
        self.k += 1
        return "_v%d" % self.k

    # ---- string literals ------------------------------------------------
    def escaped(self, s, quote):
        """s as the body of a non-raw literal, some characters escaped."""
        out = []
        for ch in s:
            r = self.rng.random()
            if ch in ("\\", quote):
                out.append("\\" + ch)
            elif r < 0.06:
                out.append("\\x%02x" % ord(ch) if ord(ch) < 256 else ch)
            elif r < 0.09:
                out.append("\\u%04x" % ord(ch))
            elif r < 0.11:
                out.append("\\U%08x" % ord(ch))
            elif r < 0.13 and ord(ch) < 256:
                out.append("\\%03o" % ord(ch))
            elif ord(ch) > 127 and not self.encodable(ch):
                out.append("\\u%04x" % ord(ch))
            else:
                out.append(ch)
        return "".join(out)

    def encodable(self, ch):
        try:
            ch.encode(self.encoding)
            return True
        except UnicodeEncodeError:
            return False

    def one_literal(self, s):
        rng = self.rng
        form = rng.randrange(8)
        prefix = rng.choice(["", "", "", "u", "U"])
        if form == 0 and s and all(self.encodable(c) for c in s) and "'" not in s \
                and "\\" not in s:
            return rng.choice(["r", "R"]) + "'" + s + "'"
        if form == 1:
            return prefix + '"""' + self.escaped(s, '"') + '"""'
        if form == 2:
            return prefix + "'''" + self.escaped(s, "'") + "'''"
        q = rng.choice(['"', "'"])
        return prefix + q + self.escaped(s, q) + q

    def literal(self, s):
        """A str literal for s: one, or adjacent ones joined."""
        rng = self.rng
        if len(s) > 1 and rng.random() < 0.25:
            cut = rng.randrange(1, len(s))
            sep = rng.choice([" ", "", "  "])
            return self.one_literal(s[:cut]) + sep + self.one_literal(s[cut:])
        return self.one_literal(s)

    # ---- values ---------------------------------------------------------
    def seq(self, items, kind=None):
        rng = self.rng
        kind = kind or rng.choice(["tuple", "list", "bare", "multi"])
        lits = [self.literal(x) for x in items]
        if kind == "list":
            return "[" + ", ".join(lits) + rng.choice(["", ","]) + "]"
        if kind == "set":
            return "{" + ", ".join(lits) + "}"
        if kind == "bare" and len(items) > 1:
            return ", ".join(lits)
        if kind == "multi":
            body = "".join("    %s,  # parent %d\n" % (x, i) for i, x in enumerate(lits))
            return "(\n    # down_revision = 'WRONG'\n" + body + ")"
        return "(" + ", ".join(lits) + ("," if len(lits) == 1 else "") + ")"

    def down_value(self, parents):
        rng = self.rng
        if not parents:
            return rng.choice(["None", "None", "()", "[]", '""', "''", "0", "False"])
        if len(parents) == 1:
            choice = rng.randrange(5)
            if choice == 0:
                return "(" + self.literal(parents[0]) + ")"
            if choice == 1:
                return self.seq(parents, rng.choice(["tuple", "list"]))
            return self.literal(parents[0])
        if rng.random() < 0.15:
            return self.seq(parents, "set")
        return self.seq(parents)

    def tuple_value(self, items, deps, base=False):
        """branch_labels / depends_on.  A false depends_on other than None
        ("") on a base makes Alembic refuse the project: not written."""
        rng = self.rng
        if not items:
            return rng.choice(["None", "()", "[]"] + (['""', "('',)"] if deps and not base else []))
        if len(items) == 1 and rng.random() < 0.5:
            return self.literal(items[0])
        return self.seq(items, rng.choice(["tuple", "list"]))

    # ---- statements -----------------------------------------------------
    def assign(self, name, value, parens_ok=True):
        """Lines binding name to the expression value."""
        rng = self.rng
        form = rng.randrange(9)
        if form == 0:
            return ["%s: %s = %s" % (name, rng.choice(
                ["str", "Union[str, None]", "'Optional[str]'", "Union[str, Sequence[str], None]"]),
                value)]
        if form == 1:
            other = self.name()
            return ["%s = %s" % (other, value), "%s = %s" % (name, other)]
        if form == 2:
            return ["%s = %s = %s" % (self.name(), name, value)]
        if form == 3:
            return ["%s = \\" % name, "    " + value]
        if form == 4 and parens_ok:
            return ["%s = (" % name, "    " + value, ")"]
        if form == 5:
            return ["%s = %s  # %s = 'WRONG'" % (name, value, name)]
        if form == 6:
            return ["%s = %s" % (name, self.literal("WRONG")), "%s = %s" % (name, value)]
        return ["%s = %s" % (name, value)]


def file_text(rng, g, rev, legacy):
    """The statements of one revision file, as lines (no line ends)."""
    rid, parents, labels, deps, msg = rev
    lines = []
    if rng.random() < 0.8:
        lines += ['"""%s' % msg, "", "Revision ID: %s" % ("WRONG" if rng.random() < 0.1 else rid),
                  "Revises: %s" % ", ".join(parents), "Create Date: 2024-01-02 03:04:05.000006",
                  "", '"""']
    lines += ["from typing import Optional, Sequence, Union"]
    if rng.random() < 0.5:
        lines += ["", "from alembic import op"]
    if rng.random() < 0.2:
        lines += ["from typing import TYPE_CHECKING", "if TYPE_CHECKING:",
                  "    from typing import Optional"]
    lines += ["", "# revision identifiers, used by Alembic.", "# revision = 'WRONG'"]
    stmts = []
    if legacy:
        if rng.random() < 0.3:
            stmts.append(["revision = %s" % g.literal("WRONG"), "del revision"])
    elif rng.random() < 0.12:
        # unpacking both at once
        down = g.down_value(parents)
        form = rng.randrange(3)
        if form == 0 and len(parents) != 1 and rng.random() < 0.5:
            stmts.append(["revision, *down_revision = %s," % ", ".join(
                [g.literal(rid)] + [g.literal(p) for p in parents])])
        elif form == 1:
            stmts.append(["(revision, down_revision) = [%s, %s]" % (g.literal(rid), "(" + down + ")")])
        else:
            stmts.append(["revision, down_revision = %s, (%s)" % (g.literal(rid), down)])
        parents = None
    elif rng.random() < 0.1 and len(rid) > 2:
        cut = rng.randrange(1, len(rid))
        stmts.append(["revision = %s" % g.literal(rid[:cut]),
                      "revision += %s" % g.literal(rid[cut:])])
    else:
        stmts.append(g.assign("revision", g.literal(rid)))
    if parents is not None:
        down = g.down_value(parents)
        stmts.append(g.assign("down_revision", down, parens_ok="\n" not in down))
    if labels is not None:
        stmts.append(g.assign("branch_labels", g.tuple_value(labels, False)))
    if deps is not None:
        stmts.append(g.assign("depends_on", g.tuple_value(deps, True, base=not rev[1])))
    rng.shuffle(stmts)
    for st in stmts:
        if len(st) == 1 and rng.random() < 0.2 and lines and \
                lines[-1].startswith(("_v", "x =")) and "#" not in lines[-1]:
            lines[-1] += "; " + st[0]
        else:
            lines += st
        if rng.random() < 0.15:
            lines.append("x = 1; %s" % rng.choice(["pass", "y = x", "z = 'revision = 1'"]))
    lines += ["", "", "def upgrade():", "    revision = 'WRONG'", "    down_revision = 'WRONG'",
              "    pass", "", "", "class _Decoy:", "    revision = 'WRONG'", "",
              "_text = '''", "revision = 'WRONG'", "'''"]
    return [part for line in lines for part in line.split("\n")]


def encode(rng):
    """The file's bytes: a header naming the encoding, a line end style."""
    kind = rng.choice(["utf-8"] * 5 + ["bom", "bom-decl", "latin-1", "latin-1-l2", "cp1252",
                                        "utf8-decl"])
    eol = rng.choice(["\n"] * 4 + ["\r\n", "\r"])
    head, codec, bom = [], "utf-8", b""
    if kind == "bom":
        bom = b"\xef\xbb\xbf"
    elif kind == "bom-decl":
        bom, head = b"\xef\xbb\xbf", ["# -*- coding: utf-8 -*-"]
    elif kind == "latin-1":
        head, codec = ["# -*- coding: latin-1 -*-"], "latin-1"
    elif kind == "latin-1-l2":
        head, codec = ["#!/usr/bin/env python3", "# vim: set fileencoding=iso-8859-1 :"], "latin-1"
    elif kind == "cp1252":
        head, codec = ["# coding=cp1252"], "cp1252"
    elif kind == "utf8-decl":
        head = ["# coding: utf8"]
    return codec, lambda ls: bom + eol.join(head + ls + [""]).encode(codec)


def graph(rng, count):
    """Revisions: (id, parents, labels, deps, message), parents first."""
    revs, ids, labels_of = [], [], {}
    for i in range(count):
        if rng.random() < 0.08:
            rid = "r\u00e9v%04d" % i if rng.random() < 0.5 else "\u00e9t\u00e9_%d" % i
        else:
            rid = "".join(rng.choice(HEX) for _ in range(12))
        if i < 2 or rng.random() < 0.03:
            parents = []
        elif rng.random() < 0.12 and len(ids) > 2:
            parents = rng.sample(ids[-20:], 2)
        else:
            parents = [rng.choice(ids[-8:])]
        labels = None
        if rng.random() < 0.08:
            labels = ["lbl_%d" % i]
            labels_of[rid] = labels[0]
        elif rng.random() < 0.3:
            labels = []
        deps = None
        if rng.random() < 0.12 and len(ids) > 3:
            pick = rng.sample(ids, rng.choice([1, 1, 2]))
            deps = [labels_of.get(d, d) if rng.random() < 0.5 else d for d in pick]
        elif rng.random() < 0.3:
            deps = []
        revs.append((rid, parents, labels, deps, "change number %d" % i))
        ids.append(rid)
    return revs


def write_project(root, seed, count):
    rng = random.Random(seed)
    versions = os.path.join(root, "versions")
    os.makedirs(versions, exist_ok=True)
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s\n")
    for i, rev in enumerate(graph(rng, count)):
        rid = rev[0]
        legacy = all(c in HEX for c in rid) and rng.random() < 0.05
        codec, enc = encode(rng)
        g = Gen(rng, codec)
        lines = file_text(rng, g, rev, legacy)
        name = "%s.py" % rid if legacy else "%04d_%s.py" % (i, "change")
        with open(os.path.join(versions, name), "wb") as f:
            f.write(enc(lines))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300)
    a = ap.parse_args()
    write_project(a.dir, a.seed, a.count)
