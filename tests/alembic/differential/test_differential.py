#!/usr/bin/python3
"""Differential test: dbwarden's reading of Alembic revision files against
the real Alembic (Debian's).

    test_differential.py DUMP_GRAPH

1. Generated projects (gen_revisions.py, fixed seeds): every revision
   file in a random mix of valid Python forms.  Heads, bases and each
   revision's down_revision, depends_on and branch labels must be the
   same in Alembic's RevisionMap and in dbwarden's graph, and dbwarden
   must report no problem other than several heads.
2. Duplicate ids: the file Alembic keeps for an id (the last one read) is
   the one dbwarden keeps.
3. Refusals: small projects that Python or Alembic refuse; dbwarden must
   report a problem naming the file, and Alembic must indeed refuse.
Prints one line per check and "N passed, N failed".
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import alembic_view  # noqa: E402
import gen_revisions  # noqa: E402

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s%s" % (what, ("\n    " + detail) if detail else ""))


def dbwarden_view(dump, ini):
    p = subprocess.run([dump, ini], capture_output=True, text=True)
    if p.returncode != 0:
        return {"error": p.stderr.strip()}
    return json.loads(p.stdout)


def compare_revisions(name, a, d):
    """Per revision: the same file, parents, dependencies and labels."""
    bad = []
    if set(a["revisions"]) != set(d["revisions"]):
        only_a = sorted(set(a["revisions"]) - set(d["revisions"]))[:5]
        only_d = sorted(set(d["revisions"]) - set(a["revisions"]))[:5]
        bad.append("ids: only Alembic %r, only dbwarden %r" % (only_a, only_d))
    for rid in sorted(set(a["revisions"]) & set(d["revisions"])):
        ar, dr = a["revisions"][rid], d["revisions"][rid]
        down = sorted(dr["down"]) if ar["down_is_set"] else dr["down"]
        adown = sorted(ar["down"]) if ar["down_is_set"] else ar["down"]
        for key, x, y in (("file", os.path.basename(ar["file"]), os.path.basename(dr["file"])),
                          ("down", adown, down), ("depends_on", ar["depends_on"], dr["depends_on"]),
                          ("labels", ar["labels"], dr["labels"])):
            if x != y:
                bad.append("%s %s: Alembic %r, dbwarden %r (%s)" % (rid, key, x, y, dr["file"]))
    check(not bad, "%s: revisions agree" % name, "\n    ".join(bad[:10]))


def generated(dump, seed, count):
    root = tempfile.mkdtemp(prefix="dbw-alembic-diff-")
    try:
        gen_revisions.write_project(root, seed, count)
        ini = os.path.join(root, "alembic.ini")
        a, d = alembic_view.view(ini), dbwarden_view(dump, ini)
        name = "seed %d (%d files)" % (seed, count)
        check("error" not in a, "%s: Alembic loads it" % name, a.get("error", ""))
        check("error" not in d, "%s: dbwarden loads it" % name, d.get("error", ""))
        if "error" in a or "error" in d:
            return
        check(sorted(a["heads"]) == sorted(d["heads"]), "%s: heads" % name,
              "Alembic %r, dbwarden %r" % (sorted(a["heads"]), sorted(d["heads"])))
        check(sorted(a["bases"]) == sorted(d["bases"]), "%s: bases" % name,
              "Alembic %r, dbwarden %r" % (sorted(a["bases"]), sorted(d["bases"])))
        compare_revisions(name, a, d)
        probs = [p for p in d["problems"] if p["kind"] != "multiple_heads"]
        check(not probs, "%s: no problem" % name,
              "\n    ".join("%s: %s" % (p["kind"], p["message"]) for p in probs[:10]))
    finally:
        shutil.rmtree(root)


def duplicates(dump):
    """Copies of some files under other names, with other parents."""
    root = tempfile.mkdtemp(prefix="dbw-alembic-dup-")
    try:
        gen_revisions.write_project(root, 7, 30)
        versions = os.path.join(root, "versions")
        names = [n for n in sorted(os.listdir(versions)) if "_" in n][5::6]  # not legacy
        for i, n in enumerate(names):
            with open(os.path.join(versions, n), "rb") as f:
                text = f.read()
            # a copy sorting before (even i) or after (odd i) the original,
            # made a base so that the two differ
            copy = ("0000_dup%d.py" if i % 2 == 0 else "zzzz_dup%d.py") % i
            with open(os.path.join(versions, copy), "wb") as f:
                f.write(text + b"\ndown_revision = None\nbranch_labels = None\n")
        ini = os.path.join(root, "alembic.ini")
        a, d = alembic_view.view(ini), dbwarden_view(dump, ini)
        check("error" not in a and "error" not in d, "duplicates: both load",
              a.get("error", "") + d.get("error", ""))
        if "error" not in a and "error" not in d:
            compare_revisions("duplicates", a, d)
            dups = [p for p in d["problems"] if p["kind"] == "duplicate_id"]
            check(len(dups) == len(names), "duplicates: each reported",
                  json.dumps(d["problems"], indent=1)[:2000])
    finally:
        shutil.rmtree(root)


BASE = b'revision = "a0"\ndown_revision = None\n'

# name, files {name: bytes}, whether Alembic refuses it (else it only
# reads it in a way dbwarden cannot tell without running code), the file
# dbwarden must name
REFUSALS = [
    ("BOM and a latin-1 declaration", {"b1.py": b"\xef\xbb\xbf# coding: latin-1\n"
                                       b"revision = 'b1'\ndown_revision = None\n"}, True),
    ("BOM and a utf8 declaration", {"b1.py": b"\xef\xbb\xbf# coding: utf8\n"
                                    b"revision = 'b1'\ndown_revision = None\n"}, True),
    ("non-UTF-8 byte without declaration", {"b1.py": b"revision = 'b\xe91'\n"
                                            b"down_revision = None\n"}, True),
    ("declaration after code", {"b1.py": b"x = 1\n# coding: latin-1\n"
                                b"revision = 'b\xe91'\ndown_revision = None\n"}, True),
    ("declaration on line 3", {"b1.py": b"\n\n# coding: latin-1\n"
                               b"revision = 'b\xe91'\ndown_revision = None\n"}, True),
    ("ascii declaration, a Latin-1 byte in a comment", {"b1.py": b"# coding: ascii\n# \xe9\n"
                                                        b"revision = 'b1'\ndown_revision = None\n"}, True),
    ("unknown encoding", {"b1.py": b"# coding: nosuchcodec\nrevision = 'b1'\n"
                          b"down_revision = None\n"}, True),
    ("NUL byte", {"b1.py": b"revision = 'b1'\x00\ndown_revision = None\n"}, True),
    ("no down_revision", {"b1.py": b"revision = 'b1'\n"}, True),
    ("down_revision only annotated", {"b1.py": b"revision = 'b1'\ndown_revision: str\n"}, True),
    ("down_revision deleted", {"b1.py": b"revision = 'b1'\ndown_revision = None\n"
                               b"del down_revision\n"}, True),
    ("no revision, file name not hexadecimal", {"b1_x.py": b"down_revision = None\n"}, True),
    ("revision deleted, file name not hexadecimal", {"b1_x.py": b"revision = 'b1'\ndel revision\n"
                                                     b"down_revision = None\n"}, True),
    ("a set of one parent", {"a0.py": BASE, "b1.py": b"revision = 'b1'\n"
                             b"down_revision = {'a0'}\n"}, True),
    ("a number as parent", {"a0.py": BASE, "b1.py": b"revision = 'b1'\ndown_revision = 5\n"}, True),
    ("bytes as parent", {"a0.py": BASE, "b1.py": b"revision = 'b1'\ndown_revision = b'a0'\n"}, True),
    ("None in a tuple of parents", {"a0.py": BASE, "b1.py": b"revision = 'b1'\n"
                                    b"down_revision = ('a0', None)\n"}, True),
    ("a dict as parent", {"a0.py": BASE, "b1.py": b"revision = 'b1'\n"
                          b"down_revision = {'a0': 1}\n"}, True),
    ("a missing parent", {"a0.py": BASE, "b1.py": b"revision = 'b1'\n"
                          b"down_revision = 'gone'\n"}, True),
    ("its own parent", {"a0.py": BASE, "b1.py": b"revision = 'b1'\n"
                        b"down_revision = ('a0', 'b1')\n"}, True),
    ("a cycle of parents", {"a0.py": BASE,
                            "b1.py": b"revision = 'b1'\ndown_revision = 'c2'\n",
                            "c2.py": b"revision = 'c2'\ndown_revision = 'b1'\n"}, True),
    ("its own dependency", {"a0.py": BASE, "b1.py": b"revision = 'b1'\ndown_revision = 'a0'\n"
                            b"depends_on = 'b1'\n"}, True),
    ("a cycle through depends_on", {"a0.py": BASE,
                                    "b1.py": b"revision = 'b1'\ndown_revision = 'a0'\n"
                                             b"depends_on = 'c2'\n",
                                    "c2.py": b"revision = 'c2'\ndown_revision = 'b1'\n"}, True),
    ("a longer cycle through depends_on", {"a0.py": BASE,
                                           "b1.py": b"revision = 'b1'\ndown_revision = 'a0'\n",
                                           "c2.py": b"revision = 'c2'\ndown_revision = 'b1'\n"
                                                    b"depends_on = 'd3'\n",
                                           "d3.py": b"revision = 'd3'\ndown_revision = 'a0'\n"
                                                    b"depends_on = ['c2']\n"}, True),
    ("a missing dependency", {"a0.py": BASE, "b1.py": b"revision = 'b1'\ndown_revision = 'a0'\n"
                              b"depends_on = 'gone'\n"}, True),
    ("unterminated string", {"b1.py": b"revision = 'b1\ndown_revision = None\n"}, True),
    ("unterminated triple-quoted string", {"b1.py": b"revision = 'b1'\ndown_revision = None\n"
                                           b'x = """\n'}, True),
    ("unclosed bracket", {"b1.py": b"revision = 'b1'\ndown_revision = (None\n"}, True),
    ("unexpected indent", {"b1.py": b"revision = 'b1'\n    down_revision = None\n"}, True),
    ("block with no body", {"b1.py": b"revision = 'b1'\ndown_revision = None\nif x:\n"}, True),
    ("name not defined", {"b1.py": b"revision = 'b1'\ndown_revision = PARENT\n"}, True),
    ("unpacking mismatch", {"b1.py": b"revision, down_revision = 'b1', None, 'x'\n"}, True),
    ("stray backslash", {"b1.py": b"revision = 'b1' \\ x\ndown_revision = None\n"}, True),
    ("mixed bytes and str literals", {"b1.py": b"revision = 'b1' b'x'\n"
                                      b"down_revision = None\n"}, True),
    ("branch label used twice", {"a0.py": b"revision = 'a0'\ndown_revision = None\n"
                                 b"branch_labels = 'x'\n",
                                 "b1.py": b"revision = 'b1'\ndown_revision = 'a0'\n"
                                          b"branch_labels = ('x',)\n"}, True),
    ("assigned inside if True", {"b1.py": b"if True:\n    revision = 'b1'\n"
                                 b"down_revision = None\n"}, False),
    ("assigned inside try", {"b1.py": b"revision = 'b1'\ntry:\n    down_revision = None\n"
                             b"except Exception:\n    pass\n"}, False),
    ("an f-string with a field", {"a0.py": BASE, "b1.py": b"P = 'a0'\nrevision = 'b1'\n"
                                  b"down_revision = f'{P}'\n"}, False),
    ("a computed parent", {"a0.py": BASE, "b1.py": b"revision = 'b1'\n"
                           b"down_revision = 'a' + '0'\n"}, False),
    ("a \\N escape", {"b1.py": b"revision = 'b\\N{LATIN SMALL LETTER E WITH ACUTE}'\n"
                      b"down_revision = None\n"}, False),
    ("globals() may change it", {"a0.py": BASE, "b1.py": b"revision = 'b1'\n"
                                 b"down_revision = None\nglobals()['down_revision'] = 'a0'\n"},
     False),
    ("depends_on '' on a base", {"b1.py": b"revision = 'b1'\ndown_revision = None\n"
                                 b"depends_on = ''\n"}, True),
    ("a star import may change it", {"b1.py": b"revision = 'b1'\ndown_revision = None\n"
                                     b"from os.path import *\n"}, False),
]


def refusals(dump):
    for name, files, alembic_refuses in REFUSALS:
        root = tempfile.mkdtemp(prefix="dbw-alembic-bad-")
        try:
            os.makedirs(os.path.join(root, "versions"))
            with open(os.path.join(root, "alembic.ini"), "w") as f:
                f.write("[alembic]\nscript_location = %(here)s\n")
            for fn, data in files.items():
                with open(os.path.join(root, "versions", fn), "wb") as f:
                    f.write(data)
            ini = os.path.join(root, "alembic.ini")
            a, d = alembic_view.view(ini), dbwarden_view(dump, ini)
            check(("error" in a) == alembic_refuses,
                  "%s: Alembic %s" % (name, "refuses it" if alembic_refuses else "loads it"),
                  a.get("error", json.dumps(a)[:300]))
            probs = [p for p in d.get("problems", []) if p["kind"] != "multiple_heads"]
            named = [p for p in probs if any(os.path.basename(f) in files for f in p["files"])]
            check(named, "%s: dbwarden reports a problem naming the file" % name,
                  json.dumps(d)[:600])
            if named and os.environ.get("VERBOSE"):
                print("  %s -> %s: %s" % (name, named[0]["kind"], named[0]["message"]))
        finally:
            shutil.rmtree(root)


def main():
    dump = sys.argv[1]
    for seed, count in ((1, 250), (2, 250), (3, 150)):
        generated(dump, seed, count)
    duplicates(dump)
    refusals(dump)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
