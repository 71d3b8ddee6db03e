#!/bin/sh
# Regenerates screenshots/*.png from real runs of the release binary: the
# views of tests/golden/views.txt marked "shot" (every pane, help, the
# Migrations pane's SQL view, confirmation dialog, log and backups after an
# up and a down, the Schema pane's Constraints tab, rows, and a foreign key
# followed to its row), at 100x30, and the Migrations pane at 80x24.
#
# The same fixed database and the same driver as the golden tests: the
# database of tests/golden/fixture.sh (the reference migrations, the newest
# left pending and one applied file edited afterwards, so that every state
# colour shows; a few rows with fixed values), the console driven through
# the views by tests/golden/driver.sh in a private tmux server, each view
# captured with its colours (capture-pane -e); the ANSI text becomes HTML
# with aha and the HTML a PNG with headless Chromium.
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
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

# ------------------------------------------------- database and capturing
# the console runs in $T/db with relative paths, so that the pictures show
# "sqlite:///golden.db" and "migrations", not a temporary folder
G=$ROOT/tests/golden
URL=$("$G/fixture.sh" sqlite "$T/db" "$BIN" "$ROOT")
"$G/driver.sh" -e "$T/wide" "$COLS" "$LINES_" "$T/db" "$BIN" --db "$URL" --migrations migrations
"$G/fixture.sh" sqlite "$T/db" "$BIN" "$ROOT" >/dev/null
"$G/driver.sh" -e -u migrations "$T/narrow" 80 24 "$T/db" "$BIN" --db "$URL" --migrations migrations
: > "$T/shots"
while read -r name shot w h; do
    [ "$shot" = shot ] || continue
    cp "$T/wide/$name.ansi" "$T/$name.ansi"
    echo "$name $w $h" >> "$T/shots"
done < "$T/wide/index"
cp "$T/narrow/migrations.ansi" "$T/migrations-80x24.ansi"
echo "migrations-80x24 80 24" >> "$T/shots"

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
