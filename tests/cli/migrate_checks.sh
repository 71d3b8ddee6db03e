# migrate_checks.sh: the same command-line checks for either engine
# (sourced after lib.sh, with URL set and ENGINE sqlite|postgres).
M="$SRC/migrations/$ENGINE"
N=$(mig_count "$M")
LAST=$(mig_last "$M")

if [ "$ENGINE" = sqlite ]; then
    # status never creates a SQLite file: a missing one is "cannot connect"
    run status0 3 --db "$URL" --migrations "$M" status --json
    has status0.err "No such file"
    touch "${URL#sqlite://}"
fi
run status0 0 --db "$URL" --migrations "$M" status --json
jq_ok status0 ".engine == \"$( [ "$ENGINE" = postgres ] && echo postgresql || echo sqlite)\" and .current == [] and .applied == 0 and .pending == $N and .source == \"dbwarden\""

run up1 0 --db "$URL" --migrations "$M" up
has up1.out "$N migrations applied; the database is at $LAST"
has up1.out "applied 0001_"

run status1 0 --db "$URL" --migrations "$M" status --json
jq_ok status1 ".current == [\"$LAST\"] and .heads == [\"$LAST\"] and .applied == $N and .pending == 0 and .problems == []"

run up2 0 --db "$URL" --migrations "$M" up --json
jq_ok up2 ".applied == [] and .current == [\"$LAST\"] and .pending == 0"

run history 0 --db "$URL" --migrations "$M" history --json
jq_ok history ".migrations | length == $N and all(.state == \"applied\") and .[0].version == \"$LAST\" and (.[0].applied_at | test(\"^[0-9]{4}-\"))"

run schema 0 --db "$URL" schema --json
jq_ok schema '[.tables[].name] | contains(["users", "subscriptions", "licenses", "nft_items", "dbwarden_migrations"])'

run statustext 0 --db "$URL" --migrations "$M" status
has statustext.out "current     $LAST"
has statustext.out "pending     0"

# a failing migration: nothing of it stays, the error names file and line
broken_chain "$ENGINE"
run broken 1 --db "$URL" --migrations chain up
has broken.err "chain/9999_broken.sql:6:"
has broken.err "TABLEE"
has broken.err "the database is at $LAST"
run afterbroken 0 --db "$URL" --migrations chain status --json
jq_ok afterbroken ".current == [\"$LAST\"] and .pending == 1"
run schema2 0 --db "$URL" schema --json
jq_ok schema2 '[.tables[].name] | index("broken_one") == null and index("broken_two") == null'

# up to a target on a fresh chain
run readonly 2 --db "$URL" --migrations "$M" --read-only up
has readonly.err "--read-only"

# dry runs print the exact SQL and change nothing
PREV=$(ls "$M"/*.sql | sort | tail -n 2 | head -n 1 | xargs basename | cut -d_ -f1)
run drydown 0 --db "$URL" --migrations "$M" down --dry-run
has drydown.out "-- down ${LAST}_"
has drydown.out "DELETE FROM dbwarden_migrations WHERE version = '$LAST';"
has drydown.out "DROP TABLE"
run drystatus 0 --db "$URL" --migrations "$M" status --json
jq_ok drystatus ".current == [\"$LAST\"]"

# down needs a confirmation: without a terminal and without --yes it refuses
run downrefused 1 --db "$URL" --migrations "$M" down
has downrefused.err "needs confirmation"
run downyes 0 --db "$URL" --migrations "$M" --yes --no-backup down --json
jq_ok downyes ".current == [\"$PREV\"] and .pending == 1 and (.steps | length) == 1 and .steps[0].action == \"rolled back\""
run redo 0 --db "$URL" --migrations "$M" up --json
jq_ok redo ".current == [\"$LAST\"] and (.applied | length) == 1"

# down to a version, then stamp back without running SQL
run downto 0 --db "$URL" --migrations "$M" --yes --no-backup down 0002 --json
jq_ok downto '.current == ["0002"]'
run stamp 0 --db "$URL" --migrations "$M" --yes --no-backup stamp "$LAST" --json
jq_ok stamp ".current == [\"$LAST\"] and .pending == 0"
run historystamp 0 --db "$URL" --migrations "$M" history --json
jq_ok historystamp ".migrations | map(select(.version == \"$LAST\"))[0].duration_ms == 0"
# the tables of 0003.. are gone although the versions say applied: stamp ran no SQL
run schema3 0 --db "$URL" schema --json
jq_ok schema3 '[.tables[].name] | index("nft_items") == null and index("users") != null'
run stampback 0 --db "$URL" --migrations "$M" --yes --no-backup stamp 0002
run upagain 0 --db "$URL" --migrations "$M" up
run badarg 2 --db "$URL" --migrations "$M" --yes --no-backup down sideways
has badarg.err "down takes a number of steps, a version, or 'all'"
run toomany 2 --db "$URL" --migrations "$M" --yes --no-backup down 99
has toomany.err "only $N are applied"
run stampnone 2 --db "$URL" --migrations "$M" --yes stamp
run rodown 2 --db "$URL" --migrations "$M" --read-only --yes down
has rodown.err "--read-only"
