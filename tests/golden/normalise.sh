#!/bin/sh
# normalise.sh: the filter every golden capture goes through, both when it
# is written (regen) and when it is compared (test): stdin to stdout.  It
# replaces what changes from one run to the next, and only that; what the
# fixture fixed (tests/golden/fixture.sh: years 2000-2002, durations,
# applied_by) is kept as it is.  Each rule keeps the width of what it
# replaces where a column depends on it.
#
#   the fixture's folder ($GOLDEN_DIR, and its real path)  -> <dir>
#   the PostgreSQL socket folder ($DBW_PG_HOST)            -> <pgsock>
#   port=$DBW_PG_PORT                                      -> port=<port>
#   this user@host (what a run records as applied_by)      -> <user>@<host>
#   a date and time of this run: 2026-12-06 18:57:31       -> YYYY-MM-DD hh:mm:ss
#     (any year but the fixture's 2000-2002; T or space; cut ones too)
#   the time in a backup's name: 20261206T185731Z          -> YYYYMMDDThhmmssZ
#   a clock time of this run (the log): 18:57:31           -> hh:mm:ss
#     (not one after a fixture date)
#   how long a step took: (12 ms)                          -> (N ms)
#   how long an action took: ok in 0.3 s, failed after 1.2 s -> ok in N.N s
#   a run's duration beside a normalised time (the list):  "  12 ms" -> "   N ms"
#   the Integrity pane: "41 checks in 0.1 s", and a check's time at the end
#   of its row ("ok  lint ... 12 ms")                     -> N.N s, N ms
#   PostgreSQL index scans: 3 scans, "scans": 3            -> N scans, "scans": "N"
#     (counters the server reports asynchronously)
#
# Usage: ... | GOLDEN_DIR=DIR tests/golden/normalise.sh
# perl (always there on Debian: perl-base) rather than sed, for literal
# strings (paths) and width-keeping replacements.
set -eu
GOLDEN_WHO="$(id -un 2>/dev/null || echo unknown)@$(hostname 2>/dev/null || echo localhost)"
GOLDEN_REAL=""
[ -z "${GOLDEN_DIR:-}" ] || GOLDEN_REAL=$(cd "$GOLDEN_DIR" 2>/dev/null && pwd -P || true)
export GOLDEN_WHO GOLDEN_REAL
exec perl -pe '
BEGIN {
    # mask(TEXT, TEMPLATE): each digit of TEXT becomes the letter at its
    # place in TEMPLATE; anything else stays
    sub mask {
        my ($s, $t) = @_;
        my $o = "";
        for my $i (0 .. length($s) - 1) {
            my $c = substr($s, $i, 1);
            $o .= ($c =~ /\d/ && $i < length($t)) ? substr($t, $i, 1) : $c;
        }
        return $o;
    }
    sub lit { my ($v) = @_; return defined $v && length $v ? $v : undef; }
    $dir = lit($ENV{GOLDEN_DIR});
    $real = lit($ENV{GOLDEN_REAL});
    $sock = lit($ENV{DBW_PG_HOST});
    $port = lit($ENV{DBW_PG_PORT});
    $who = lit($ENV{GOLDEN_WHO});
}
s/\Q$sock\E/<pgsock>/g if defined $sock;
s/\Q$real\E/<dir>/g if defined $real;
s/\Q$dir\E/<dir>/g if defined $dir;
s/port=\Q$port\E\b/port=<port>/g if defined $port;
s/\Q$who\E/<user>\@<host>/g if defined $who;
s/(?<!\d)(?!200[0-2]-)\d{4}-\d\d-\d\d(?:[ T]\d\d(?::\d\d(?::\d\d)?)?)?(?!\d)/mask($&, "YYYY-MM-DD hh:mm:ss")/ge;
s/(?<!\d)(?!200[0-2])\d{8}T\d{0,6}Z?/mask($&, "YYYYMMDDThhmmssZ")/ge;
s/(?<!\d\d-\d\d )(?<![\d:])\d\d:\d\d:\d\d(?![\d:])/hh:mm:ss/g;
s/\(\d+ ms\)/(N ms)/g;
s/\b(ok in|failed after|cancelled after) \d+\.\d s\b/$1 N.N s/g;
s/(YYYY-MM-DD hh:mm:ss)( +)(\d+)( ms)/$1 . (" " x (length($2) + length($3) - 1)) . "N" . $4/ge;
s/(YYYY-MM-DD hh:mm:ss)( +)(\d+\.\d)( s)/$1 . (" " x (length($2) + length($3) - 3)) . "N.N" . $4/ge;
s/\b(checks in) \d+\.\d s\b/$1 N.N s/g;
s/( )(\d+)( ms *)$/$1 . (" " x (length($2) - 1)) . "N" . $3/e
    if /^(?:ok|warning|problem|accepted|error|cancelled) +(?:orphans|inferred|lint|engine) /;
s/\b\d+ scans?\b/N scans/g;
s/"scans": \d+/"scans": "N"/g;
'
