#!/bin/sh
# Regenerates screenshots/*.png from real runs of the release binary:
# every pane, help, 80x24, the Migrations pane's SQL view, confirmation
# dialog and log after an up and a down, and the Schema pane's
# Constraints tab, rows, and a foreign key followed to its row.
#
# Builds a demo SQLite database in a temporary folder (the reference
# migrations, the newest left pending and one applied file edited
# afterwards, so that every state colour shows; a few hundred rows so the
# row counts are not all zero), runs build/release/dbwarden in a private
# tmux server at 100x30, captures each pane with its colours
# (capture-pane -e), turns the ANSI text into HTML with aha and the HTML
# into a PNG with headless Chromium.
#
# Usage: scripts/screenshots.sh            (from anywhere; run as root or
#        with sudo available to install missing Debian packages)
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/screenshots
COLS=100
LINES_=30

# ------------------------------------------------------------ packages
need="tmux aha chromium fonts-dejavu-core sqlite3"
missing=""
for p in $need; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "screenshots: installing$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -q --no-install-recommends $missing
fi

make -s
BIN=$ROOT/build/release/dbwarden

T=$(mktemp -d /tmp/dbw-shots.XXXXXX)
SOCK="dbw-shots-$$"
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT INT TERM

# ---------------------------------------------------------- demo database
cp -r migrations/sqlite "$T/migrations"
before=$(for f in "$T"/migrations/*.sql; do basename "$f"; done | tail -n 2 | head -n 1 | cut -d_ -f1)
# the console runs in $T with relative paths, so that the pictures show
# "sqlite:///demo.db" and "migrations", not a temporary folder
DB="sqlite:///demo.db"
(cd "$T" && "$BIN" --db "$DB" --migrations migrations up "$before" >/dev/null)
# edit one applied migration: its checksum no longer matches ("changed")
sed -i '/^-- migrate:up/a -- reviewed: seats may need a per-product limit' \
    "$T"/migrations/0004_*.sql
sqlite3 "$T/demo.db" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 240)
INSERT INTO users (id, email, username) SELECT i, 'user' || i || '@example.com', 'user' || i FROM n;
INSERT INTO workspaces (owner_id, name) SELECT id, 'workspace ' || id FROM users WHERE id % 3 = 0;
INSERT INTO projects (workspace_id, name) SELECT w.id, 'project ' || k.k
  FROM workspaces w, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) k;
INSERT INTO subscriptions (user_id, status, plan_type, next_billing_date)
  SELECT id, CASE id % 5 WHEN 0 THEN 'trial' WHEN 1 THEN 'active' WHEN 2 THEN 'active'
                         WHEN 3 THEN 'past_due' ELSE 'cancelled' END,
         CASE id % 4 WHEN 0 THEN 'annual' ELSE 'monthly' END, date('now', '+' || (id % 28) || ' days')
  FROM users WHERE id % 4 <> 3;
INSERT INTO licenses (user_id, product, status, seats)
  SELECT id, 'dbwarden-pro', CASE id % 3 WHEN 0 THEN 'active' WHEN 1 THEN 'trial' ELSE 'expired' END,
         1 + id % 10
  FROM users WHERE id % 2 = 0;
SQL

# ------------------------------------------------------------- capturing
tm() { tmux -L "$SOCK" "$@"; }
screen() { tm capture-pane -p -t shots; }

# wait_for TEXT: polls up to 10 s for TEXT, then until two captures agree
wait_for() {
    i=0
    until screen | grep -qF -- "$1"; do
        i=$((i + 1))
        if [ $i -ge 100 ]; then
            echo "screenshots: the screen never showed '$1':" >&2
            screen >&2
            exit 1
        fi
        sleep 0.1
    done
    prev=""
    while [ "$(screen)" != "$prev" ]; do
        prev=$(screen)
        sleep 0.15
    done
}

# shot NAME: the screen as it is now, with colours, into $T/NAME.ansi
shot() {
    tm capture-pane -p -e -N -t shots > "$T/$1.ansi"
    echo "$1 $(tm display -p -t shots '#{pane_width} #{pane_height}')" >> "$T/shots"
}

tm -f /dev/null new-session -d -s shots -x "$COLS" -y "$LINES_" -c "$T" \
    "env -u NO_COLOR TERM=tmux-256color LC_ALL=C.UTF-8 '$BIN' --db '$DB' --migrations migrations; sleep 60"
wait_for "VERSION"
tm send-keys -t shots j j
wait_for "VERSION"
shot migrations
tm send-keys -t shots 2 j j j
wait_for "SCHEMA"
shot schema
# the Schema pane: a detail tab, the rows, and a foreign key followed
tm send-keys -t shots /
tm send-keys -t shots -l '^subscriptions$'
tm send-keys -t shots Enter K
wait_for "subscriptions_user_id_fkey"
shot schema-constraints
tm send-keys -t shots R j j l
wait_for "col 2 of"
shot schema-rows
tm send-keys -t shots f
wait_for "Followed:"
shot schema-follow
tm send-keys -t shots b Escape Escape
wait_for "SCHEMA"
tm send-keys -t shots 3
wait_for "Integrity checks"
shot integrity
tm send-keys -t shots 4
wait_for "not built yet"
shot licenses
tm send-keys -t shots 5
wait_for "Seeding"
shot seed
tm send-keys -t shots 1 '?'
wait_for "close this help"
shot help
tm send-keys -t shots Escape
tm resize-window -t shots -x 80 -y 24
wait_for "VERSION"
shot migrations-80x24
# the Migrations pane at work: the SQL view, a confirmation, the log
tm resize-window -t shots -x "$COLS" -y "$LINES_"
tm send-keys -t shots g Enter
wait_for "-- migrate:down"
shot migrations-sql
tm send-keys -t shots Escape u y
wait_for "Last: up: ok"
tm send-keys -t shots d
wait_for "Run down?"
shot migrations-confirm
tm send-keys -t shots y
wait_for "Last: down: ok"
tm send-keys -t shots l
wait_for "LOG of this session"
shot migrations-log

# ------------------------------------------------------------- rendering
# Dim text (SGR 2) in the default colour becomes grey: aha has no class
# for dim.  The state (dim on, foreground set) runs across sequences, as
# tmux writes "dim" and "default colour" as separate ones.
undim() {
    perl -pe '
        BEGIN { ($dim, $fg, $grey) = (0, 0, 0); }
        s{\e\[([0-9;]*)m}{
            my @p = length($1) ? split(/;/, $1) : (0);
            my @out;
            for (my $i = 0; $i < @p; $i++) {
                my $c = $p[$i];
                if ($c == 0) { ($dim, $fg, $grey) = (0, 0, 0); push @out, 0; }
                elsif ($c == 2) { $dim = 1; }
                elsif ($c == 22) { $dim = 0; push @out, 22; }
                elsif ($c == 39) { $fg = 0; push @out, 39; }
                elsif (($c >= 30 && $c <= 37) || ($c >= 90 && $c <= 97)) { $fg = 1; push @out, $c; }
                elsif ($c == 38 || $c == 48) {
                    my $n = (defined $p[$i + 1] && $p[$i + 1] == 5) ? 2 : 4;
                    push @out, grep { defined } @p[$i .. $i + $n];
                    $fg = 1 if $c == 38;
                    $i += $n;
                }
                else { push @out, $c; }
            }
            if ($dim && !$fg) { push @out, "38;5;245"; $grey = 1; }
            elsif ($grey && !$fg) { push @out, 39; $grey = 0; }
            else { $grey = 0 if $fg; }
            "\e[" . join(";", @out) . "m";
        }ge'
}

CSS='
html, body { margin: 0; background: #1d2023; }
pre { margin: 0; padding: 14px 16px; color: #d4d7dc; background: #1d2023;
      font: 15px/18px "DejaVu Sans Mono", monospace; }
.reset { color: #d4d7dc; } .bg-reset { background-color: #1d2023; }
.inverted { color: #1d2023; } .bg-inverted { background-color: #d4d7dc; }
.dimgray { color: #1d2023; } .bg-black { background-color: #1d2023; }
.red { color: #ef6b73; } .bg-red { background-color: #c24b53; }
.green { color: #8fcf6f; } .bg-green { background-color: #6a9f4f; }
.yellow { color: #e8c16a; } .bg-yellow { background-color: #e8c16a; }
.blue { color: #62aef0; } .bg-blue { background-color: #3d7ebf; }
.purple { color: #c98ae0; } .bg-purple { background-color: #9a5fb0; }
.cyan { color: #5fc4cf; } .bg-cyan { background-color: #5fc4cf; }
.white { color: #d4d7dc; } .bg-white { background-color: #c8ccd2; }
.underline { text-decoration: underline; } .bold { font-weight: bold; }
.italic { font-style: italic; } .highlighted { filter: brightness(1.25); }
'

mkdir -p "$OUT"
while read -r name w h; do
    {
        printf '<!DOCTYPE html><html><head><meta charset="utf-8"><style>%s</style></head><body><pre>' "$CSS"
        undim < "$T/$name.ansi" | aha -n -s
        printf '</pre></body></html>\n'
    } > "$T/$name.html"
    # 15px DejaVu Sans Mono advances 9.03px per column; lines are 18px.
    width=$(( (w * 904 + 99) / 100 + 32 ))
    height=$(( h * 18 + 28 ))
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --no-first-run --disable-component-update --disable-sync --hide-scrollbars \
        --force-device-scale-factor=1 --user-data-dir="$T/chrome" \
        --window-size="$width,$height" --screenshot="$OUT/$name.png" \
        "file://$T/$name.html" >"$T/chrome.log" 2>&1 || {
        echo "screenshots: chromium failed for $name:" >&2
        cat "$T/chrome.log" >&2
        exit 1
    }
    echo "screenshots/$name.png (${width}x${height})"
done < "$T/shots"
