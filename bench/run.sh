#!/usr/bin/env bash
# Benchmark gsess against psql running the same query, both as whole processes, on a large
# synthetic dataset (by default 200 facilities, 2 million sessions, 10 million roster rows).
#
#   bench/run.sh                  # the full scale (builds the dataset once, ~10 min)
#   SESSIONS=200000 bench/run.sh  # a quicker, smaller run
#
# The dataset lives in its own embedded cluster ($BENCH_HOME) and is reused by later runs.
# psql runs the very statement gsess sent, with the very values gsess bound: one gsess run
# with the server logging every statement (log_min_duration_statement = 0) gives the text and
# the parameters (`DETAIL: parameters: $1 = '…'`), and psql gets
# `PREPARE q AS <text>; EXECUTE q(<values>);`. Before timing, both sides are run once and
# must exit 0 with the same number of rows. psql is the real binary (`pg_config --bindir`,
# else the newest /usr/lib/postgresql/*/bin), never Debian's Perl wrapper /usr/bin/psql.
# Results: bench/results.md (medians of hyperfine -N runs), to be copied into BENCHMARKS.md.
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
G=${CARGO_TARGET_DIR:-$PWD/target}/release/gsess

# The real psql binary.
PSQL=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/psql" ]; then
    PSQL="$(pg_config --bindir)/psql"
else
    PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
fi
[ -n "$PSQL" ] && [ -x "$PSQL" ] || { echo "no psql binary found" >&2; exit 1; }
echo "psql: $PSQL ($("$PSQL" --version))"

"$G" db start >/dev/null
URL=$("$G" db url)
q() { "$PSQL" "$URL" -X -Atq -v ON_ERROR_STOP=1 -c "$1"; }

if [ "$(q "SELECT count(*) FROM group_session")" -lt "$SESSIONS" ]; then
    echo "building the dataset: $FACILITIES facilities, $SESSIONS sessions, $((SESSIONS * ROSTER)) roster rows"
    time "$PSQL" "$URL" -X -q -v ON_ERROR_STOP=1 -v facilities="$FACILITIES" -v sessions="$SESSIONS" -v days="$DAYS" \
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

# The parts to run (all by default): PARTS="read finalize billing" bench/run.sh
PARTS=${PARTS:-read finalize billing}
part() { [[ " $PARTS " == *" $1 "* ]]; }
mkdir -p target/bench
: > bench/results.md

# The statements gsess sends, as it sent them, with the values it bound: from the server log.
LOG=$GSESS_HOME/postgres.log
capture() { # $1: name; $2: gsess arguments; $3: a fragment that identifies the statement
    q "ALTER SYSTEM SET log_min_duration_statement = 0" >/dev/null
    q "ALTER SYSTEM SET log_parameter_max_length = -1" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    sleep 0.2
    local from
    from=$(stat -c %s "$LOG")
    "$G" --database-url "$URL" $2 > "target/bench/$1.gsess.json"
    sleep 0.2
    q "ALTER SYSTEM RESET log_min_duration_statement" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    tail -c +"$((from + 1))" "$LOG" | python3 bench/statement_from_log.py "$3" > "target/bench/$1.sql"
}
if part read; then
capture list "list --date $DAY --facility $FACILITY --json" "CROSS JOIN LATERAL"
capture session "show $SESSION --json" "json_build_object"

# Before timing: each side ran its statement (exit 0) and both saw the same number of rows.
rows_psql() { "$PSQL" "$URL" -X -Atq -v ON_ERROR_STOP=1 -R $'\x1e' -f "target/bench/$1.sql" \
    | python3 -c "import sys; t = sys.stdin.read().rstrip('\n'); print(len(t.split('\x1e')) if t else 0)"; }
rows_gsess() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print(len(d) if isinstance(d, list) else 1)" "$1"; }
for f in list session; do
    ours=$(rows_gsess "target/bench/$f.gsess.json")
    theirs=$(rows_psql "$f") || { echo "psql failed on target/bench/$f.sql" >&2; exit 1; }
    echo "$f: gsess $ours row(s), psql $theirs row(s) for the same statement and values"
    [ "$ours" = "$theirs" ] || { echo "row counts differ for $f" >&2; exit 1; }
done

hyperfine --warmup 5 --runs "${RUNS:-30}" -N --export-json target/bench/hyperfine.json \
    -n "gsess list (facility-day)" "$G --database-url $URL list --date $DAY --facility $FACILITY --json" \
    -n "psql list (same statement)" "$PSQL $URL -X -Atq -v ON_ERROR_STOP=1 -f target/bench/list.sql" \
    -n "gsess show" "$G --database-url $URL show $SESSION --json" \
    -n "gsess preview" "$G --database-url $URL preview $SESSION --json" \
    -n "psql session read (same statement)" "$PSQL $URL -X -Atq -v ON_ERROR_STOP=1 -f target/bench/session.sql"
python3 - target/bench/hyperfine.json >> bench/results.md <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = {}
print("| Command | Median [ms] | Mean [ms] | Min [ms] | Max [ms] | Runs |")
print("|:---|---:|---:|---:|---:|---:|")
for r in results:
    ms = lambda v: f"{v * 1000:.1f}"
    print(f"| `{r['command']}` | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'] or 0)} | {ms(r['min'])} | {ms(r['max'])} | {len(r['times'])} |")
med = {r["command"]: r["median"] for r in results}
print()
for ours, theirs in [("gsess list (facility-day)", "psql list (same statement)"),
                     ("gsess show", "psql session read (same statement)"),
                     ("gsess preview", "psql session read (same statement)")]:
    print(f"- {ours}: {med[ours] / med[theirs]:.2f}× psql's median")
PY
cat bench/results.md
fi

# Statements this database ran since the last reset (gsess's, not the script's own).
statements() {
    q "SELECT sum(calls) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'"
}

if part finalize; then
# Bulk finalize of a whole past day across every facility (10,000 sessions at the full scale).
# Its rows are put back to SCHEDULED first (a synthetic reset: triggers off, as in generate.sql).
"$PSQL" "$URL" -X -q -v ON_ERROR_STOP=1 -c "SET session_replication_role = replica" \
    -c "UPDATE session_participant p SET status = 'SCHEDULED' FROM group_session s
         WHERE s.facility_id = p.facility_id AND s.id = p.session_id AND s.local_date = '$DAY'" \
    -c "UPDATE session_supervisor x SET status = 'SCHEDULED' FROM group_session s
         WHERE s.facility_id = x.facility_id AND s.id = x.session_id AND s.local_date = '$DAY'"
SESSIONS_DAY=$(q "SELECT count(*) FROM group_session WHERE local_date = '$DAY'")
q "SELECT pg_stat_statements_reset()" >/dev/null
START=$(date +%s.%N)
"$G" --database-url "$URL" finalize --date "$DAY" --facility all --yes --json > target/bench/finalize.json 2>/dev/null
END=$(date +%s.%N)
STATEMENTS=$(statements)
MARKED=$(python3 -c "import json; print(json.load(open('target/bench/finalize.json'))['marked_absent_count'])")
printf '\nfinalize --date %s --facility all: %s sessions, %s rows marked ABSENT, %s statements, %.1f s\n' \
    "$DAY" "$SESSIONS_DAY" "$MARKED" "$STATEMENTS" "$(echo "$END - $START" | bc)" | tee -a bench/results.md
fi

if part billing; then
# A billing run over the ended sessions of a whole past day across every facility (10,000 at
# the full scale): every other session settled, this day's charges and claims taken away, so
# each run of the script bills the same work.
BILL_DAY=$(q "SELECT max(local_date) FROM group_session WHERE local_date < '$DAY'")
"$PSQL" "$URL" -X -q -v ON_ERROR_STOP=1 -c "SET session_replication_role = replica" \
    -c "DELETE FROM claim_issue; DELETE FROM claim_line; DELETE FROM claim; DELETE FROM charge" \
    -c "UPDATE group_session SET billing_settled = (local_date <> '$BILL_DAY'), billed_at = NULL, billed_version = NULL
         WHERE billing_settled IS DISTINCT FROM (local_date <> '$BILL_DAY') OR billed_at IS NOT NULL"
BILL_SESSIONS=$(q "SELECT count(*) FROM group_session WHERE NOT billing_settled")
BILL_ROWS=$(q "SELECT count(*) FROM session_participant p JOIN group_session s ON s.facility_id = p.facility_id AND s.id = p.session_id WHERE NOT s.billing_settled")
q "SELECT pg_stat_statements_reset()" >/dev/null
START=$(date +%s.%N)
"$G" --database-url "$URL" billing run --json > target/bench/billing.json
END=$(date +%s.%N)
STATEMENTS=$(statements)
read -r CHARGES CLAIMS < <(python3 -c "import json; d = json.load(open('target/bench/billing.json')); print(d['charges_built'], d['claims_built'])")
printf '\nbilling run (%s): %s ended sessions, %s roster rows, %s charges and %s claims built, %s statements, %.1f s\n' \
    "$BILL_DAY" "$BILL_SESSIONS" "$BILL_ROWS" "$CHARGES" "$CLAIMS" "$STATEMENTS" "$(echo "$END - $START" | bc)" | tee -a bench/results.md
fi
