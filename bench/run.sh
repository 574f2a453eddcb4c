#!/usr/bin/env bash
# Benchmark gsess against psql running the same query, both as whole processes, on a large
# synthetic dataset (SPEC §9: 200 facilities, 2 million sessions, 10 million roster rows).
#
#   bench/run.sh                  # the SPEC scale (builds the dataset once, ~10 min)
#   SESSIONS=200000 bench/run.sh  # a quicker, smaller run
#
# The dataset lives in its own embedded cluster ($BENCH_HOME) and is reused by later runs.
# psql runs the very statement gsess sent: the script takes it from pg_stat_statements after
# one gsess run and fills in its parameters, so the comparison cannot drift from the code.
# Results: bench/results.md (hyperfine's table), to be copied into BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

FACILITIES=${FACILITIES:-200}
SESSIONS=${SESSIONS:-2000000}
ROSTER=${ROSTER:-5}
DAYS=${DAYS:-200}
MEMBERS=${MEMBERS:-$((SESSIONS * ROSTER / 20))}
export GSESS_HOME=${BENCH_HOME:-/var/tmp/gsess-bench-$SESSIONS}
unset DATABASE_URL

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release --quiet
G=$PWD/target/release/gsess

"$G" db start >/dev/null
URL=$("$G" db url)
q() { psql "$URL" -X -Atq -c "$1"; }

if [ "$(q "SELECT count(*) FROM group_session")" -lt "$SESSIONS" ]; then
    echo "building the dataset: $FACILITIES facilities, $SESSIONS sessions, $((SESSIONS * ROSTER)) roster rows"
    time psql "$URL" -X -q -v facilities="$FACILITIES" -v sessions="$SESSIONS" -v days="$DAYS" \
        -v roster="$ROSTER" -v members="$MEMBERS" -f bench/generate.sql
fi
if [ "$(q "SHOW shared_preload_libraries")" != "pg_stat_statements" ]; then
    q "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
    "$G" db stop >/dev/null && "$G" db start >/dev/null
fi
q "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"

# A facility-day with sessions, and one session of it (a past one: marked, with charges to price).
FACILITY_ID=7
FACILITY=$(q "SELECT code FROM facility WHERE id = $FACILITY_ID")
DAY=$(q "SELECT local_date FROM group_session WHERE facility_id = $FACILITY_ID AND local_date < current_date ORDER BY local_date DESC LIMIT 1")
SESSION=$(q "SELECT id FROM group_session WHERE facility_id = $FACILITY_ID AND local_date = '$DAY' ORDER BY starts_at LIMIT 1")
echo "facility $FACILITY, day $DAY ($(q "SELECT count(*) FROM group_session WHERE facility_id = $FACILITY_ID AND local_date = '$DAY'") sessions), session $SESSION"

# The statements gsess sends, as it sent them.
statement_of() { # $1: gsess arguments; $2: a fragment that identifies the statement
    q "SELECT pg_stat_statements_reset()" >/dev/null
    "$G" --database-url "$URL" $1 >/dev/null
    q "SELECT query FROM pg_stat_statements WHERE query LIKE '%$2%' ORDER BY calls DESC LIMIT 1"
}
mkdir -p target/bench
statement_of "list --date $DAY --facility $FACILITY --json" "CROSS JOIN LATERAL" \
    | sed -e "s/\$1/'$DAY'::date/g" -e "s/\$2/$FACILITY_ID/g" > target/bench/list.sql
statement_of "show $SESSION --json" "json_build_object" \
    | sed -e "s/\$1/ARRAY[$SESSION]::bigint[]/g" > target/bench/session.sql
for f in list session; do
    [ -s "target/bench/$f.sql" ] || { echo "could not capture the $f statement" >&2; exit 1; }
done

hyperfine --warmup 5 --runs "${RUNS:-30}" -N --export-markdown bench/results.md \
    -n "gsess list (facility-day)" "$G --database-url $URL list --date $DAY --facility $FACILITY --json" \
    -n "psql list (same statement)" "psql $URL -X -Atq -f target/bench/list.sql" \
    -n "gsess show" "$G --database-url $URL show $SESSION --json" \
    -n "gsess preview" "$G --database-url $URL preview $SESSION --json" \
    -n "psql session read (same statement)" "psql $URL -X -Atq -f target/bench/session.sql"
cat bench/results.md

# Bulk finalize of a whole past day across every facility (10,000 sessions at the SPEC scale).
# Its rows are put back to SCHEDULED first (a synthetic reset: triggers off, as in generate.sql).
psql "$URL" -X -q -c "SET session_replication_role = replica" \
    -c "UPDATE session_participant p SET status = 'SCHEDULED' FROM group_session s
         WHERE s.facility_id = p.facility_id AND s.id = p.session_id AND s.local_date = '$DAY'" \
    -c "UPDATE session_supervisor x SET status = 'SCHEDULED' FROM group_session s
         WHERE s.facility_id = x.facility_id AND s.id = x.session_id AND s.local_date = '$DAY'"
SESSIONS_DAY=$(q "SELECT count(*) FROM group_session WHERE local_date = '$DAY'")
q "SELECT pg_stat_statements_reset()" >/dev/null
START=$(date +%s.%N)
"$G" --database-url "$URL" finalize --date "$DAY" --facility all --yes --json > target/bench/finalize.json 2>/dev/null
END=$(date +%s.%N)
STATEMENTS=$(q "SELECT sum(calls) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'")
MARKED=$(python3 -c "import json; print(json.load(open('target/bench/finalize.json'))['marked_absent_count'])")
printf '\nfinalize --date %s --facility all: %s sessions, %s rows marked ABSENT, %s statements, %.1f s\n' \
    "$DAY" "$SESSIONS_DAY" "$MARKED" "$STATEMENTS" "$(echo "$END - $START" | bc)" | tee -a bench/results.md
