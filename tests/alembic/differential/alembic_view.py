#!/usr/bin/python3
"""The real Alembic's view of a project, as JSON (see dump_graph.c).

    alembic_view.py INI  ->  {"heads": [...], "bases": [...],
                              "revisions": {id: {"down": [...], "down_is_set": bool,
                                                 "depends_on": [...], "labels": [...],
                                                 "file": path}}}
    or {"error": "ExceptionName: message"} when Alembic refuses the project.

Alembic 1.8 reads a versions folder in os.listdir() order, which the file
system decides; later versions sort the names.  Which of two files with
one id wins depends on that order, so listdir is made sorted here, as
newer Alembic does.
"""
import json
import os
import sys
import warnings

sys.dont_write_bytecode = True
_listdir = os.listdir
os.listdir = lambda path=".": sorted(_listdir(path))

from alembic.config import Config  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from alembic.util import to_tuple  # noqa: E402


def view(ini):
    warnings.simplefilter("ignore")
    try:
        script = ScriptDirectory.from_config(Config(ini))
        rmap = script.revision_map
        heads, bases = list(rmap.heads), list(rmap.bases)
        revs = {}
        for rid, rev in rmap._revision_map.items():
            if not isinstance(rid, str) or rev is None or rev.revision != rid:
                continue  # None, () and branch labels
            revs[rid] = {
                "down": list(to_tuple(rev.down_revision, default=())),
                "down_is_set": isinstance(rev.down_revision, (set, frozenset)),
                # a false value ("") is no dependency (_add_depends_on)
                "depends_on": list(to_tuple(rev.dependencies, default=()))
                if rev.dependencies else [],
                "labels": list(rev._orig_branch_labels),
                "file": rev.path,
            }
    except Exception as e:  # Alembic refuses the project
        return {"error": "%s: %s" % (type(e).__name__, e)}
    return {"heads": heads, "bases": bases, "revisions": revs}


if __name__ == "__main__":
    json.dump(view(sys.argv[1]), sys.stdout, indent=1, ensure_ascii=True)
    print()
