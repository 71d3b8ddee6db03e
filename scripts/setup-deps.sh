#!/bin/sh
# Installs the Debian packages dbwarden needs to build and test, when absent.
# Usage: scripts/setup-deps.sh build|test
# Runs apt-get update once, then apt-get install of whatever is missing.
set -eu

build_pkgs="gcc make cmake pkg-config libncurses-dev libpq-dev libsqlite3-dev
libpcre2-dev libinih-dev libjansson-dev libssl-dev"
test_pkgs="$build_pkgs postgresql tmux jq sqlite3 clang alembic python3-psycopg2"

case "${1:-build}" in
    build) want=$build_pkgs ;;
    test)  want=$test_pkgs ;;
    *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "dbwarden: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "dbwarden: missing packages:$missing; install them as root (apt-get install$missing)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
