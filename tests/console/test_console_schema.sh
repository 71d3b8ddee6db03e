#!/bin/sh
# Console test of the Schema pane, on the real binary in a private tmux
# server, reading the screen:
#   SQLite (the reference schema, plus rows put in with sqlite3: users,
#   subscriptions referencing them, a table whose name has quotes, spaces
#   and Unicode with columns named like key words, a NULL and an empty
#   string, a text on two lines, a long text, a blob, a table without a
#   primary key, a view, a table of 300,000 rows):
#   the list (rows, sizes, the view marked), sorting by rows and size, a
#   click, 'r' picking up a new table and keeping the place, the '/'
#   filter with n and an invalid pattern; the Columns, Constraints,
#   Indexes and DDL tabs of subscriptions, an item's details on Enter; the
#   Rows tab: paging (PgDn, G, PgUp, g) by key, a long value and a blob
#   whole on Enter, NULL apart from an empty string, horizontal scrolling
#   with the key kept in view, following subscriptions.user_id to its users
#   row and back (b); the big table's last page and the page before it;
#   an empty table; rowid paging of a table without a primary key; a view's rows and its
#   definition; help; 80x24 and 50x20 (one side at a time); NO_COLOR.
#   A second SQLite database: a BLOB in a TEXT column said to be bytes; the
#   rows header after G and PgUp saying which rows of how many; column
#   widths kept while paging; a view with duplicate rows paged so that every
#   row shows once; a view that no longer compiles showing SQLite's error in
#   place of its columns and rows.  SQLite foreign keys: whether this
#   connection enforces them, not a validated flag.
#   PostgreSQL: a database on the test server (DBW_PG_HOST, DBW_PG_PORT)
#   with the reference schema: a table in a quoted schema, and following a
#   two-column foreign key and subscriptions.user_id, and back; a table of
#   150,000 rows (an estimated place after G, a lower bound after a follow);
#   a role without SELECT on users: the error in place of its rows, never
#   "empty", and a follow into it that says the error.
#   test_console_schema.sh BIN SRC
# Every wait polls the screen and gives up after 10 s.
set -eu
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d /tmp/dbw-schemacon.XXXXXX)
SOCK="dbw-schema-$$"
CUR=run0
PGDB=con_schema_$$
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -rf "$T"
    if [ -n "${DBW_PG_HOST:-}" ]; then
        psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres \
            -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT INT TERM
failures=0

. "$(dirname "$0")/lib.sh"

# start NAME DB ENV...: the console at 100x30 on DB in a new tmux session;
# the test stops here when it does not come up.
start() { start_console "$@"; }
# filter PATTERN: a new '/' filter (the prompt starts with the old one)
filter() {
    keys /
    wait_until "/ opens the prompt" has "Filter tables (regex): /"
    keys C-u
    text "$1"
    keys Enter
}

# --------------------------------------------------------------- SQLite
DB="sqlite:///$T/s.db"
"$BIN" --db "$DB" --migrations "$SRC/migrations/sqlite" up >"$T/up.out" 2>&1 || {
    echo "FAIL: cannot build the test database:" >&2; cat "$T/up.out" >&2; exit 1; }
sqlite3 "$T/s.db" <<'SQL' || { echo "FAIL: cannot fill the test database" >&2; exit 1; }
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO users (id, email, username, api_key, stripe_customer_id)
  SELECT i, 'user' || i || '@example.com', 'user' || i, 'key' || i, 'cus' || i FROM n;
UPDATE users SET api_key = NULL WHERE id = 2;
UPDATE users SET api_key = '' WHERE id = 3;
UPDATE users SET username = 'long ' || replace(hex(zeroblob(150)), '00', 'word ') || 'THE-END'
  WHERE id = 50;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
INSERT INTO subscriptions (id, user_id, status, plan_type, next_billing_date)
  SELECT i, 43 - i, 'active', 'monthly', '2030-01-01' FROM n;
-- SQLite does not check foreign keys unless asked: an orphan
INSERT INTO subscriptions (id, user_id, status, plan_type) VALUES (31, 999, 'trial', 'annual');
CREATE TABLE "Odd ""Name"" Ünï" ("Select" INTEGER PRIMARY KEY, "my col" TEXT, "from" BLOB);
INSERT INTO "Odd ""Name"" Ünï" VALUES (1, 'two' || char(10) || 'lines', x'deadbeef'),
  (2, NULL, NULL), (3, '', x'');
CREATE TABLE nopk (label TEXT, n INTEGER);
INSERT INTO nopk VALUES ('first', 1), ('second', 2), ('third', 3);
CREATE VIEW active_subs AS
  SELECT s.id, u.email, s.status FROM subscriptions s JOIN users u ON u.id = s.user_id;
CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
INSERT INTO events SELECT i, 'kind' || (i % 7) FROM n;
SQL

start "sqlite" "$DB" -u NO_COLOR
keys 2
wait_until "the Schema pane lists the tables" has "SCHEMA"
wait_until "users with its row count" has_re " users +table +60 "
wait_until "the view is marked" has_re " active_subs +view +\\? "
wait_until "sizes are shown" has_re " subscriptions +table +31 +[0-9.]+ KiB"
wait_until "the header says the order" has "sorted by name"

keys o
wait_until "o sorts by rows" has "sorted by rows"
wait_until "the biggest table first" line_re 5 " events +table +300000 "
keys o
wait_until "o again sorts by size" has "sorted by size"
wait_until "the biggest table first by size" line_re 5 " events +table "
keys o
wait_until "o again: by name" has "sorted by name"
click 10 19
wait_until "a click on a table selects it" has_re "│ users +table · 60 rows"

sqlite3 "$T/s.db" "CREATE TABLE added_later (id INTEGER PRIMARY KEY)"
keys r
wait_until "r reloads the catalog" has_re " added_later +table +0 "
wait_until "r keeps the selection" has_re "│ users +table · 60 rows"

filter "subscr"
wait_until "the filter narrows the list" has "Filter /subscr/: 1 of"
wait_until "the match is listed" has_re "^main +subscriptions "
wait_until "other tables are hidden" lacks_re "^main +users "
keys n
wait_until "n with one match wraps around" has "Search wrapped around"
keys /
keys C-u
text "(unclosed"
keys Enter
wait_until "an invalid pattern says so" line_has 30 "Invalid regular expression"
wait_until "the old filter stays" has "Filter /subscr/"

# ---- the tabs of subscriptions
keys Enter
wait_until "Enter: the Columns tab" has_re "PK +id +INTEGER +not null"
wait_until "Columns: user_id references users" has_re "user_id +INTEGER +not null +users \\(id\\)"
wait_until "Columns: a default" has_re "status +TEXT +not null +'trial'"
wait_until "Columns: nullable" has_re "next_billing_date +TEXT +null"
wait_until "the list narrows to names" lacks "SCHEMA"
keys K
wait_until "K: the Constraints tab" has_re "subscriptions_user_id_fkey +foreign +user_id +users \\(id\\) ON"
wait_until "Constraints: a check with its expression" has_re "subscriptions_status_check +check +status +status IN"
wait_until "Constraints: validated" has_re "plan_type IN .* yes *$"
wait_until "Constraints: a SQLite foreign key says FKs are off here" \
    has_re "subscriptions_user_id_fkey +foreign .* FK off *$"
keys j Enter
wait_until "Enter: the foreign key's details" has "References: users (id)"
wait_until "details: ON DELETE" has "ON DELETE:  NO ACTION"
wait_until "details: SQLite keeps no validated flag" has "Validated:  SQLite keeps no such flag"
wait_until "details: not enforced on this connection" has "Enforced:   no: PRAGMA foreign_keys is off"
wait_until "details: no 'Validated: yes' next to an orphan" lacks "Validated:  yes"
keys Escape
wait_until "Esc closes the details" lacks "References: users (id)"
keys I
wait_until "I: the Indexes tab" has_re "subscriptions_user_id_idx +no +no +yes .*\\(user_id\\)"
wait_until "Indexes: a two-column index" has "(status, next_bill"
keys D
wait_until "D: the DDL" has "CREATE TABLE subscriptions ("
wait_until "DDL: the foreign key" has "REFERENCES users (id)"
wait_until "DDL: the indexes" has "CREATE INDEX subscriptions_user_id_idx"

# ---- rows, paging
keys R
wait_until "R: the first page of rows, by key" has_re "rows 1-22 of 31 +by id"
wait_until "R: the first row" has_re "│ +1 │ +42 +active +monthly"
keys NPage
wait_until "PgDn: the next page" has_re "rows 23-31 of 31"
keys NPage
wait_until "PgDn on the last page says so" line_has 30 "This is the last page."
keys g
wait_until "g: the first page" has_re "rows 1-22 of 31"
keys G
wait_until "G: the last page, which rows of how many" has_re "rows 10-31 of 31 +by id"
wait_until "G: the last row" has_re "│ +31 │ +999 +trial"
keys PPage
wait_until "PgUp from the end: the rows before" has_re "rows 1-9 of 31"

keys NPage
wait_until "PgDn after PgUp: the rows after those" has_re "rows 10-31 of 31"
keys r
wait_until "r: reloaded" line_has 30 "Reloaded Schema"
wait_until "r keeps the page of rows" has_re "rows 10-31 of 31 +by id"

# ---- following subscriptions.user_id to users, and back
keys g l
wait_until "l: the cursor on user_id" has "col 2 of 6"
keys f
wait_until "f: the users row" has "from users.id = 42"
wait_until "f: the referenced row first" has_re "│ +42 │ +user42@example.com +user42"
wait_until "f: the trail" has "Followed: subscriptions → users"
wait_until "f: the list follows, its filter cleared" has "transaction_idempotency"
keys b
wait_until "b: back to subscriptions" has_re "rows 1-22 of 31 +by id"
wait_until "b: the trail is gone" lacks "Followed:"
wait_until "b: on user_id again" has "col 2 of 6"
keys j f
wait_until "f from the second row" has "from users.id = 41"
keys b
keys G
wait_until "G: on the last row" has_re "rows 10-31 of 31"
keys f
wait_until "f to a missing user: an orphan" line_has 30 "No users row has users.id = 999"

# ---- NULL, empty string, multi-line text, long text, blob
filter "odd"
keys R
wait_until "quoted, spaced, Unicode name: its rows" has_re "rows 1-3 of 3 +by Select"
wait_until "key-word column names" has_re "Select │ my col +from"
wait_until "a text on two lines on one line" has "two↵lines"
wait_until "a blob as hex" has "\\xdeadbeef"
wait_until "NULL shown as NULL" has_re "│ +2 │ NULL +NULL *$"
wait_until "an empty string shown as nothing" has_re "│ +3 │ +\\\\x *$"
keys G l l Enter
wait_until "Enter on a blob: its bytes" has "0 bytes of binary data"
keys Escape g Enter
wait_until "Enter on the blob: 4 bytes" has "4 bytes of binary data, as hex:"
keys Escape h Enter
wait_until "Enter on a two-line text: both lines" has_re "^ *│ lines"
keys Escape j Enter
wait_until "Enter on NULL: said in words" has "(SQL NULL)"
keys Escape j Enter
wait_until "Enter on an empty string: said in words" has "an empty string"
keys Escape

filter "^users$"
keys R
wait_until "users: NULL apart from an empty string" has_re "│ +2 │ user2@example.com +user2 +NULL +cus2"
wait_until "users: the empty string is blank" has_re "│ +3 │ user3@example.com +user3 +cus3"
keys NPage NPage j j j j j l l
wait_until "users: the long value is cut" has_re "│ +50 │ .*long word word.*… "
keys Enter
wait_until "Enter: the whole long value" has "characters,"
keys G
wait_until "the end of the long value" has "THE-END"
keys Escape
wait_until "Esc closes the value" lacks "THE-END"
keys '$'
wait_until "\$: the last column" has "col 6 of 6"
wait_until "scrolled: the key column stays" has_re "│ +50 │ "
wait_until "scrolled: the first columns give way" lacks "user50@example.com"
keys 0
wait_until "0: back to the first column" has "user50@example.com"

# ---- the big table: the last page and the one before, by key
filter "^events$"
keys R
wait_until "events: the first page" has_re "rows 1-22 of 300000"
keys G
wait_until "events: G shows which rows of how many" has "rows 299979-300000 of 300000"
wait_until "events: the very last row" has_re "│ 300000 │ kind"
keys PPage
wait_until "events: PgUp the page before, which rows" has "rows 299957-299978 of 300000"
wait_until "events: its first row" has_re "│ 299957 │ kind"

# ---- an empty table
filter "^jobs$"
keys R
wait_until "an empty table: its columns" has_re "id │ license_id +user_id +status"
wait_until "an empty table: says so" has "No rows: the table is empty."
keys j G f
wait_until "an empty table: nothing to follow" line_has 30 "No row here"

# ---- no primary key, a view
filter "nopk"
keys R
wait_until "no primary key: paged by rowid" has "by rowid (no primary key)"
wait_until "no primary key: the rowid shown and kept" has_re "rowid │ label +n"
filter "active_subs"
keys R
wait_until "a view: paged by its columns, duplicates numbered" has "no unique key: by all columns"
wait_until "a view: its rows" has_re "user42@example.com +active"
keys D
wait_until "a view: its definition" has "CREATE VIEW active_subs"
keys K
wait_until "a view: no constraints" has "A view has no constraints."
keys Escape
wait_until "Esc: back to the list" has "SCHEMA"

keys '?'
help_has "help lists the Schema keys" "follow a foreign key"
help_has "help lists the list keys" "the next order (by name, by size ...)"
help_has "help lists the Rows keys" "first page"
keys Escape

# ---- sizes
filter "^subscriptions$"
keys Enter R
tm resize-window -t "$CUR" -x 80 -y 24
wait_until "80x24" size_is 80 24
wait_until "80x24: the page fits the window" has_re "rows 1-16 of 31"
wait_until "80x24: the grid" has_re "│ +1 │ +42 +active"
wait_until "80x24: the tabs keep their keys and counts" has "K Cons 4"
tm resize-window -t "$CUR" -x 50 -y 20
wait_until "50x20: the detail alone" has_re "^subscriptions +table"
wait_until "50x20: the page fits" has_re "rows 1-12 of 31"
keys Escape
wait_until "50x20: Esc shows the list alone" has_re "^NAME"
wait_until "50x20: no detail beside it" lacks "Columns"
tm resize-window -t "$CUR" -x 100 -y 30
wait_until "back to 100x30" has "SCHEMA"
quit_ok "sqlite"

# ---- a second database: binary values, positions, widths, duplicates, a broken view
sqlite3 "$T/t2.db" <<'SQL' || { echo "FAIL: cannot build the second test database" >&2; exit 1; }
CREATE TABLE blobs (id INTEGER PRIMARY KEY, note TEXT);
INSERT INTO blobs VALUES (1, x'deadbeef00ff'), (2, '\xdeadbeef00ff');
CREATE TABLE many (id INTEGER PRIMARY KEY, label TEXT, n INTEGER);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1027)
INSERT INTO many SELECT i, CASE WHEN i <= 22 THEN 'a' ELSE 'a much longer label ' || i END, i
  FROM c;
CREATE TABLE dupsrc (g INTEGER, t TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 50)
INSERT INTO dupsrc SELECT CASE i % 3 WHEN 0 THEN NULL ELSE i % 3 END,
  CASE WHEN i % 2 = 0 THEN 'x' END FROM c;
CREATE VIEW dupv AS SELECT g, t FROM dupsrc;
CREATE TABLE gone_t (x INTEGER);
CREATE VIEW broken_v AS SELECT x FROM gone_t;
DROP TABLE gone_t;
SQL
start "sqlite2" "sqlite:///$T/t2.db"
keys 2
wait_until "t2: the Schema pane" has "SCHEMA"
filter "^blobs$"
keys R
wait_until "t2: the rows of blobs" has_re "rows 1-2 of 2 +by id"
keys l Enter
wait_until "a BLOB in a TEXT column: its bytes, not characters" has "6 bytes of binary data, as hex:"
wait_until "a BLOB in a TEXT column: not called text" lacks "14 characters"
keys Escape j Enter
wait_until "a text that reads like hex: text" has "14 characters, 14 bytes:"
keys Escape

filter "^many$"
keys R
wait_until "many: the first page of how many" has_re "rows 1-22 of 1027 +by id"
hdr() { screen | grep -m1 -E "id │ label +n"; }
wait_until "many: the header" hdr
keys NPage
wait_until "many: PgDn" has_re "rows 23-44 of 1027"
wide=$(hdr)
keys PPage
wait_until "many: PgUp" has_re "rows 1-22 of 1027"
if [ "$(hdr)" = "$wide" ]; then ok "many: column widths stay while paging back"; else
    fail "many: the columns moved: '$(hdr)' after '$wide'"; fi
keys G
wait_until "G: which rows of how many" has_re "rows 1006-1027 of 1027 +by id"
wait_until "G: never 'the last N rows'" lacks "the last 22 rows"
wide=$(hdr)
keys PPage
wait_until "PgUp after G: which rows of how many" has_re "rows 984-1005 of 1027"
wait_until "PgUp after G: never 'N rows, N more after them'" lacks "more after them"
if [ "$(hdr)" = "$wide" ]; then ok "many: column widths stay after G and PgUp"; else
    fail "many: the columns moved: '$(hdr)' after '$wide'"; fi
keys g
wait_until "many: g" has_re "rows 1-22 of 1027"
if [ "$(hdr)" = "$wide" ]; then ok "many: column widths stay back on the first page"; else
    fail "many: the columns moved: '$(hdr)' after '$wide'"; fi

filter "^dupv$"
keys R
wait_until "a view: says how it is paged" has "no unique key: by all columns, dups numbered"
wait_until "a view with duplicates: every row counted" has_re "rows 1-22 of 50"
keys NPage
wait_until "a view with duplicates: PgDn" has_re "rows 23-44 of 50"
keys NPage
wait_until "a view with duplicates: the last rows" has_re "rows 45-50 of 50"
keys PPage
wait_until "a view with duplicates: PgUp" has_re "rows 23-44 of 50"
keys G
wait_until "a view with duplicates: G" has_re "rows 29-50 of 50"

filter "broken_v"
keys C
wait_until "a broken view: its columns say SQLite's error" has "Cannot read the columns: no such table: main.gone_t"
wait_until "a broken view: not 'No columns.'" lacks "No columns."
keys R
wait_until "a broken view: its rows say SQLite's error" has "Cannot show the rows:"
wait_until "a broken view: the error names the table" has "gone_t"
wait_until "a broken view: nothing reads as empty" lacks "No rows"
quit_ok "sqlite2"

# ---- NO_COLOR: no colours; NULL dim; the cursor's cell in reverse
start "NO_COLOR" "$DB" NO_COLOR=1
keys 2
wait_until "NO_COLOR: the Schema pane" has "SCHEMA"
filter "odd"
keys R
wait_until "NO_COLOR: rows" has "by Select"
if screen_e | grep -qE '\[([0-9]+;)*(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9]+)*m'; then
    fail "NO_COLOR: the screen has colours"
else
    ok "NO_COLOR: no colours on screen"
fi
null_dim() { screen_e | grep -qE ' 2 .*\[([0-9]+;)*2(;[0-9]+)*mNULL'; }
wait_until "NO_COLOR: NULL is dim" null_dim
cell_rev() { screen_e | grep -qE '\[([0-9]+;)*7(;[0-9]+)*m +1.\['; }
wait_until "NO_COLOR: the cursor's cell in reverse" cell_rev
quit_ok "NO_COLOR"

# ----------------------------------------------------------- PostgreSQL
if [ -z "${DBW_PG_HOST:-}" ]; then
    echo "FAIL: DBW_PG_HOST is not set: the PostgreSQL part needs the test server" >&2
    failures=$((failures + 1))
else
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null
    PURL="postgresql://postgres@/$PGDB?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    "$BIN" --db "$PURL" --migrations "$SRC/migrations/postgres" up >"$T/pgup.out" 2>&1 || {
        echo "FAIL: cannot migrate the PostgreSQL database:" >&2; cat "$T/pgup.out" >&2; exit 1; }
    psql -X -q -h "$DBW_PG_HOST" -p "$DBW_PG_PORT" -U postgres -d "$PGDB" -v ON_ERROR_STOP=1 \
        >/dev/null <<'SQL'
INSERT INTO users (id, email, username) OVERRIDING SYSTEM VALUE
  SELECT i, 'pg' || i || '@example.com', 'pguser' || i FROM generate_series(1, 50) i;
INSERT INTO subscriptions (user_id, status, plan_type)
  SELECT 51 - i, 'trial', 'annual' FROM generate_series(1, 40) i;
CREATE SCHEMA "Sales Ünï";
CREATE TABLE "Sales Ünï"."Order" ("select" int, "Name" text, PRIMARY KEY ("select", "Name"));
CREATE TABLE "Sales Ünï".lines (id int PRIMARY KEY, o_sel int, o_name text,
  FOREIGN KEY (o_sel, o_name) REFERENCES "Sales Ünï"."Order" ("select", "Name"));
INSERT INTO "Sales Ünï"."Order" VALUES (1, 'first'), (2, 'zweite Ä');
INSERT INTO "Sales Ünï".lines VALUES (10, 2, 'zweite Ä');
CREATE TABLE big (id int PRIMARY KEY, v text);
INSERT INTO big SELECT i, 'v' || i FROM generate_series(1, 150000) i;
CREATE TABLE bigref (id int PRIMARY KEY, big_id int REFERENCES big);
INSERT INTO bigref VALUES (1, 140000);
GRANT SELECT ON subscriptions TO app;
ANALYZE;
SQL
    start "postgres" "$PURL"
    keys 2
    wait_until "pg: the Schema pane" has "subscriptions"
    wait_until "pg: the quoted schema's table" has_re "Sales Ünï( +|\\.)Order"
    filter "^subscriptions$"
    keys R
    wait_until "pg: the rows of subscriptions" has_re "rows 1-22 +of ~?40 +by id"
    keys l
    wait_until "pg: on user_id" has "col 2 of"
    keys f
    wait_until "pg: f goes to the users row" has "from users.id = 50"
    wait_until "pg: the users row" has_re "│ +50 │ pg50@example.com +pguser50"
    keys b
    wait_until "pg: b comes back" has_re "rows 1-22 +of ~?40 +by id"
    wait_until "pg: the trail is gone" lacks "Followed:"
    filter "lines"
    keys R
    wait_until "pg: a table in a quoted schema" has_re "│ +10 │ +2 +zweite Ä"
    keys l f
    wait_until "pg: a two-column foreign key" has "Followed to Order.(select, Name) = (2, zweite Ä)"
    wait_until "pg: the referenced row" has_re "│ +2 +zweite Ä *$"
    wait_until "pg: by the composite key" has "by select, Name"
    keys b
    wait_until "pg: back from it" has_re "│ +10 │ +2 +zweite Ä"
    keys D
    wait_until "pg: the DDL of the table" has "REFERENCES"
    keys Escape
    filter "^big$"
    keys R
    wait_until "pg: 150,000 rows: the first page of about how many" has_re "rows 1-22 of ~[0-9]+ +by id"
    keys G
    wait_until "pg: G past the count: an estimated place" has_re "rows ~[0-9]+-~[0-9]+ of ~[0-9]+"
    keys g
    wait_until "pg: g: the first rows again" has_re "rows 1-22 of ~[0-9]+"
    filter "^bigref$"
    keys R
    wait_until "pg: bigref's rows" has_re "row 1 of 1 .*col 1 of 2"
    wait_until "pg: bigref's row" has_re "│ +1 │ +140000"
    keys l
    wait_until "pg: bigref's second column" has "col 2 of 2"
    keys f
    wait_until "pg: a follow deep into a big table: a lower bound" has "rows after the first 100000"
    wait_until "pg: the followed row" has_re "│ 140000 │ v140000"
    quit_ok "postgres"

    # a role that may not read users: the error in place of its rows
    AURL="postgresql://app:s3cret%21pw@/$PGDB?host=$DBW_PG_HOST&port=$DBW_PG_PORT"
    start "pg-noselect" "$AURL"
    keys 2
    wait_until "pg, no SELECT: the Schema pane" has "subscriptions"
    filter "^users$"
    keys R
    wait_until "pg, no SELECT: the error in place of the rows" has "Cannot show the rows:"
    wait_until "pg, no SELECT: the server's words" has "permission denied for table"
    wait_until "pg, no SELECT: nothing reads as empty" lacks "No rows"
    wait_until "pg, no SELECT: no rows numbered" lacks_re "rows [0-9]+-[0-9]+"
    keys G
    wait_until "pg, no SELECT: G tries again, the error stays" has "Cannot show the rows:"
    wait_until "pg, no SELECT: still nothing empty" lacks "No rows"
    keys C
    wait_until "pg, no SELECT: the columns come from the catalog" has_re "PK +id +bigint"
    filter "^subscriptions$"
    keys R
    wait_until "pg, no SELECT: a readable table's rows" has_re "rows 1-22 +of ~?40 +by id"
    keys l f
    wait_until "pg, no SELECT: a follow into users says the error" line_has 30 "permission denied for table"
    wait_until "pg, no SELECT: the follow stays where it was" has_re "rows 1-22 +of ~?40 +by id"
    wait_until "pg, no SELECT: no trail" lacks "Followed:"
    quit_ok "pg-noselect"
fi

checks_done
