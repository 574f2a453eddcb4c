#!/usr/bin/env bash
# The benchmark: gsess against psql running the same statements, both as whole processes, on
# synthetic datasets with three years of billing history, at two scales side by side.
#
#   bench/run.sh                        # 1/10 and full scale (200,000 and 2,000,000 sessions)
#   SCALES=2000000 bench/run.sh         # one scale
#   PARTS="read bulk" bench/run.sh      # some parts: read bulk mark submit import
#   bench/run.sh --tiny                 # seconds: a tiny dataset, two runs of each (CI)
#
# Each scale lives in its own embedded cluster (/var/tmp/gsess-bench-$SESSIONS), built once
# by bench/generate.sql and reused while its parameters and this script's dataset version are
# the same. Every scale has the same work — :per_day sessions per facility on each of the
# three newest days — and a history that grows with the scale.
#
# psql runs the statements gsess sent, with the values gsess bound: one gsess run with the
# server logging every statement gives them (bench/statement_from_log.py). Before timing, both
# sides run once: each must exit 0 and, for the main statement, return the same number of rows.
# psql is the real binary (`pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin),
# never Debian's Perl wrapper /usr/bin/psql. Timings: hyperfine -N (no shell), medians.
# Peak memory: the maximum resident set of one gsess run.
#
# Figures go to target/bench/figures-$SESSIONS.jsonl, and bench/report.py turns all scales
# into one table in bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--tiny" ]; then
    : "${SCALES:=2400}" "${FACILITIES:=4}" "${PER_DAY:=5}" "${DAYS:=60}" "${RUNS:=2}" "${WARMUP:=0}"
    : "${IMPORT_MB:=1}" "${BENCH_ROOT:=/var/tmp/gsess-bench-tiny}" "${SUBMIT_MANY:=40}"
    : "${SHARED_BUFFERS:=128MB}"
fi
SCALES=${SCALES:-200000 2000000}
FACILITIES=${FACILITIES:-200}
PER_DAY=${PER_DAY:-50}           # sessions per facility on each of the three newest days
DAYS=${DAYS:-1092}               # days of history before them: three years in all
ROSTER=${ROSTER:-5}
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
SUBMIT_MANY=${SUBMIT_MANY:-10000} # claims rendered in one submission
PARTS=${PARTS:-read bulk mark submit import}
BENCH_ROOT=${BENCH_ROOT:-/var/tmp/gsess-bench}
DATASET_VERSION=2                # bump when generate.sql changes what it builds
unset DATABASE_URL GSESS_HOME
# psql with the settings gsess connects with (no JIT), so both sides run the same plans.
export PGOPTIONS="-c jit=off"

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
if [ -z "${GSESS_BIN:-}" ]; then
    cargo build --release --quiet
    GSESS_BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/gsess
fi
G=$GSESS_BIN
# However the script ends, the cluster of the scale it was on is stopped.
trap 'if [ -n "${GSESS_HOME:-}" ]; then "$G" db stop >/dev/null 2>&1 || true; fi' EXIT
PSQL=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/psql" ]; then
    PSQL="$(pg_config --bindir)/psql"
else
    PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
fi
[ -n "$PSQL" ] && [ -x "$PSQL" ] || { echo "no psql binary found" >&2; exit 1; }
echo "psql: $PSQL ($("$PSQL" --version)); gsess: $G"
OUT=${BENCH_OUT:-target/bench}
RESULTS=${RESULTS:-bench/results.md}
mkdir -p "$OUT"
part() { [[ " $PARTS " == *" $1 "* ]]; }

q() { "$PSQL" "$URL" -X -Atq -v ON_ERROR_STOP=1 -c "$1"; }
# As the bulk loader: triggers off, for resetting synthetic state between runs.
reset_sql() { "$PSQL" "$URL" -X -q -v ON_ERROR_STOP=1 -c "SET session_replication_role = replica" "$@"; }
peak_kb() { # the maximum resident set of one run of a command, in kB
    python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
sys.exit(f"exit {r.returncode}: {sys.argv[1:]}") if r.returncode else print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
# Statements this database ran since the last reset (gsess's, not the script's own).
statements() {
    q "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%session_replication_role%'"
}

# The statements one gsess run sent, with the values it bound, from the server log:
# $1 name, $2 a fragment of the main statement, then gsess's arguments. Leaves
# $OUT/$1.gsess.json (its output), $1.sql (the main statement) and $1.all.sql (all of them).
capture() {
    local name=$1 fragment=$2 from
    shift 2
    q "ALTER SYSTEM SET log_min_duration_statement = 0" >/dev/null
    q "ALTER SYSTEM SET log_parameter_max_length = -1" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    sleep 0.2
    from=$(stat -c %s "$LOG")
    "$G" --database-url "$URL" "$@" --json > "$OUT/$name.gsess.json" 2> "$OUT/$name.stderr"
    sleep 0.2
    q "ALTER SYSTEM RESET log_min_duration_statement" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    tail -c +"$((from + 1))" "$LOG" > "$OUT/$name.log"
    python3 bench/statement_from_log.py "$fragment" < "$OUT/$name.log" > "$OUT/$name.sql"
    python3 bench/statement_from_log.py --all "$fragment" < "$OUT/$name.log" > "$OUT/$name.all.sql"
}
# Both sides ran: psql's main statement returns as many rows as gsess's JSON holds.
same_rows() {
    local ours theirs
    ours=$(python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print(len(d) if isinstance(d, list) else 1)" "$OUT/$1.gsess.json")
    theirs=$("$PSQL" "$URL" -X -Atq -v ON_ERROR_STOP=1 -R $'\x1e' -f "$OUT/$1.sql" \
        | python3 -c "import sys; t = sys.stdin.read().rstrip('\n'); print(len(t.split('\x1e')) if t else 0)") \
        || { echo "psql failed on $OUT/$1.sql" >&2; exit 1; }
    "$PSQL" "$URL" -X -q -o /dev/null -v ON_ERROR_STOP=1 -f "$OUT/$1.all.sql" \
        || { echo "psql failed on $OUT/$1.all.sql" >&2; exit 1; }
    # A listing cut at its limit asked for one row more, to say that more match.
    if [ "$theirs" = $((ours + 1)) ] && grep -q "more .* match" "$OUT/$1.stderr"; then theirs=$ours; fi
    [ "$ours" = "$theirs" ] || { echo "$1: gsess returned $ours row(s), psql $theirs" >&2; exit 1; }
    ROWS=$ours
}
# One figure: hyperfine over the gsess command and, when given, psql running the same
# statements, side by side; then gsess's peak memory. $1 name, $2 note, then gsess's arguments.
# PSQL_SCRIPT (a file) adds the psql side; PREPARE_CMD runs before every timed run.
figure() {
    local name=$1 note=$2
    shift 2
    local cmd=("$G" --database-url "$URL" "$@")
    local hf=(hyperfine --warmup "$WARMUP" --runs "$RUNS" -N --style none --export-json "$OUT/$name.hyperfine.json")
    [ -n "${PREPARE_CMD:-}" ] && hf+=(--prepare "$PREPARE_CMD")
    hf+=(-n gsess "$(printf '%q ' "${cmd[@]}")")
    [ -n "${PSQL_SCRIPT:-}" ] && hf+=(-n psql "$PSQL $URL -X -q -o /dev/null -v ON_ERROR_STOP=1 -f $PSQL_SCRIPT")
    "${hf[@]}" >/dev/null
    [ -n "${PREPARE_CMD:-}" ] && $PREPARE_CMD >/dev/null
    local kb
    kb=$(peak_kb "${cmd[@]}")
    python3 - "$OUT/$name.hyperfine.json" "$FIGURES" "$name" "$note" "$kb" "${ROWS:-}" "$SESSIONS" <<'PY'
import json, sys
src, dst, name, note, kb, rows, scale = sys.argv[1:]
timed = {r["command"]: {k: r[k] for k in ("median", "mean", "stddev", "min", "max")} | {"runs": len(r["times"])}
         for r in json.load(open(src))["results"]}
figure = {"scale": int(scale), "name": name, "note": note, "gsess": timed["gsess"],
          "psql": timed.get("psql"), "peak_kb": int(kb), "rows": int(rows) if rows else None}
if figure["psql"]:
    figure["ratio"] = figure["gsess"]["median"] / figure["psql"]["median"]
open(dst, "a").write(json.dumps(figure) + "\n")
print(f"  {name}: gsess {timed['gsess']['median'] * 1000:.1f} ms"
      + (f", psql {figure['psql']['median'] * 1000:.1f} ms, {figure['ratio']:.2f}×" if figure["psql"] else "")
      + f", peak {int(kb) / 1024:.1f} MB" + (f", {rows} rows" if rows else ""))
PY
    ROWS=""
}
# A figure with the psql side: capture, check rows, time both. $1 name, $2 note, $3 fragment.
compared() {
    local name=$1 note=$2 fragment=$3
    shift 3
    capture "$name" "$fragment" "$@"
    same_rows "$name"
    sed 's/^EXECUTE q1(/EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE q1(/' "$OUT/$name.sql" \
        | "$PSQL" "$URL" -X -Atq -v ON_ERROR_STOP=1 | python3 bench/plan_check.py "$name" | tee -a "$PLANS" || true
    PSQL_SCRIPT=$OUT/$name.all.sql figure "$name" "$note" "$@" --json
}
# A one-shot figure for work that changes the database: wall time and statements.
# The plans of its slow statements (over 20 ms, nested ones too) are logged by auto_explain
# without ANALYZE, which would slow every statement down, and checked.
once() { # $1 name, $2 note, then the command
    local name=$1 note=$2 start end from
    shift 2
    q "SELECT pg_stat_statements_reset()" >/dev/null
    q "ALTER SYSTEM SET auto_explain.log_min_duration = '20ms'" >/dev/null
    q "ALTER SYSTEM SET auto_explain.log_format = 'json'" >/dev/null
    q "ALTER SYSTEM SET auto_explain.log_nested_statements = on" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    sleep 0.2
    from=$(stat -c %s "$LOG")
    start=$(date +%s.%N)
    "$@" > "$OUT/$name.gsess.json" 2> "$OUT/$name.stderr"
    end=$(date +%s.%N)
    q "ALTER SYSTEM RESET auto_explain.log_min_duration" >/dev/null
    q "SELECT pg_reload_conf()" >/dev/null
    tail -c +"$((from + 1))" "$LOG" > "$OUT/$name.log"
    python3 bench/plan_check.py "$name (statements over 20 ms)" < "$OUT/$name.log" | tee -a "$PLANS" || true
    python3 - "$FIGURES" "$name" "$note" "$(python3 -c "print($end - $start)")" "$(statements)" "$SESSIONS" <<'PY'
import json, sys
dst, name, note, seconds, statements, scale = sys.argv[1:]
open(dst, "a").write(json.dumps({"scale": int(scale), "name": name, "note": note,
                                 "seconds": float(seconds), "statements": int(statements)}) + "\n")
print(f"  {name}: {float(seconds):.2f} s, {statements} statements ({note})")
PY
}

bench_scale() {
SESSIONS=$1
local members=${MEMBERS:-$((SESSIONS * ROSTER / 20))} # each member in 20 sessions
export GSESS_HOME=$BENCH_ROOT-$SESSIONS
FIGURES=$OUT/figures-$SESSIONS.jsonl
PLANS=$OUT/plans-$SESSIONS.txt
: > "$FIGURES"
: > "$PLANS"
PARAMS="v$DATASET_VERSION facilities=$FACILITIES sessions=$SESSIONS per_day=$PER_DAY days=$DAYS roster=$ROSTER members=$members"
echo "== scale $SESSIONS: $PARAMS (GSESS_HOME=$GSESS_HOME)"
"$G" db start >/dev/null
URL=$("$G" db url)
LOG=$GSESS_HOME/postgres.log
if [ "$(q "SELECT to_regclass('bench_dataset') IS NOT NULL")" = t ] \
   && [ "$(q "SELECT params FROM bench_dataset")" != "$PARAMS" ]; then
    # Building a full-scale dataset takes minutes: only on request.
    if [ "${BENCH_REBUILD:-}" != 1 ]; then
        echo "$GSESS_HOME holds a dataset built with: $(q "SELECT params FROM bench_dataset")" >&2
        echo "set BENCH_REBUILD=1 to build it again with: $PARAMS" >&2
        exit 1
    fi
    "$G" db stop >/dev/null
    case "$GSESS_HOME" in */gsess-bench-*) rm -rf "$GSESS_HOME" ;; *) exit 1 ;; esac
    "$G" db start >/dev/null
    URL=$("$G" db url)
fi
if [ "$(q "SELECT to_regclass('bench_dataset') IS NOT NULL")" != t ]; then
    [ "$(q "SELECT count(*) FROM group_session")" = 0 ] || { echo "$GSESS_HOME holds other data" >&2; exit 1; }
    echo "building the dataset"
    start=$(date +%s)
    "$PSQL" "$URL" -X -q -v ON_ERROR_STOP=1 -v facilities="$FACILITIES" -v sessions="$SESSIONS" \
        -v per_day="$PER_DAY" -v days="$DAYS" -v roster="$ROSTER" -v members="$members" -f bench/generate.sql
    q "CREATE TABLE bench_dataset AS SELECT '$PARAMS'::text AS params, current_date AS built_on,
              (SELECT max(id) FROM audit_log) AS last_audit_id, (SELECT max(id) FROM edi_document) AS last_document_id,
              $(( $(date +%s) - start )) AS build_seconds" >/dev/null
fi
# The server as a deployment of this size would run it: pg_stat_statements and auto_explain
# for the figures, and shared buffers for a working set of gigabytes (the embedded default
# is PostgreSQL's 128 MB, sized for a laptop's demo).
SHARED_BUFFERS=${SHARED_BUFFERS:-2GB}
if [ "$(q "SHOW shared_preload_libraries")" != "pg_stat_statements, auto_explain" ] \
   || [ "$(q "SELECT setting FROM pg_settings WHERE name = 'shared_buffers'")" != \
        "$(q "SELECT pg_size_bytes('$SHARED_BUFFERS') / 8192")" ]; then
    q "ALTER SYSTEM SET shared_buffers = '$SHARED_BUFFERS'" >/dev/null
    q "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements', 'auto_explain'" >/dev/null
    "$G" db stop >/dev/null && "$G" db start >/dev/null
fi
q "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
"$G" db migrate >/dev/null # a dataset built before a new migration gets it
# What earlier runs of this script wrote is taken away, so every run does the same work.
reset_sql -c "DELETE FROM audit_log WHERE id > (SELECT last_audit_id FROM bench_dataset)"
q "SELECT 'dataset: ' || params || ', built in ' || build_seconds || ' s on ' || built_on FROM bench_dataset"
q "SELECT format('  %s sessions, %s roster rows, %s charges, %s claims, %s claim issues, %s EDI documents (%s MB), %s audit rows, %s acceptances',
          (SELECT count(*) FROM group_session), (SELECT count(*) FROM session_participant),
          (SELECT count(*) FROM charge), (SELECT count(*) FROM claim), (SELECT count(*) FROM claim_issue),
          (SELECT count(*) FROM edi_document), (SELECT pg_total_relation_size('edi_document') / 1048576),
          (SELECT count(*) FROM audit_log), (SELECT count(*) FROM accepted_exception))"

# The days, from the dataset's own today: DAY (finalized in bulk), BILL_DAY (billed in bulk).
TODAY=$(q "SELECT built_on FROM bench_dataset")
DAY=$(q "SELECT built_on - 1 FROM bench_dataset")
BILL_DAY=$(q "SELECT built_on - 2 FROM bench_dataset")
FACILITY_ID=$(( FACILITIES > 7 ? 7 : 1 ))
FACILITY=$(q "SELECT code FROM facility WHERE id = $FACILITY_ID")
MONTH_FROM=$(q "SELECT built_on - 3 - $DAYS / 3 - 30 FROM bench_dataset")
MONTH_TO=$(q "SELECT built_on - 3 - $DAYS / 3 FROM bench_dataset")
SESSION=$(q "SELECT id FROM group_session WHERE facility_id = $FACILITY_ID AND local_date = '$DAY' ORDER BY starts_at, id LIMIT 1")
HISTORY_SESSION=$(q "SELECT session_id FROM claim WHERE facility_id = $FACILITY_ID AND frequency_code = '7' ORDER BY id LIMIT 1")
CHAIN_CLAIM=$(q "SELECT id FROM claim WHERE facility_id = $FACILITY_ID AND frequency_code = '7' ORDER BY id LIMIT 1")
MRN=$(q "SELECT m.mrn FROM session_participant p JOIN member m ON m.id = p.member_id
          WHERE p.facility_id = $FACILITY_ID AND p.session_id = $SESSION ORDER BY p.id LIMIT 1")

if part read; then
    echo "-- reads (median of $RUNS runs each, side by side with psql)"
    compared list-day-all "a whole day, every facility" "CROSS JOIN LATERAL" list --date "$DAY" --facility all
    compared list-facility-day "one facility-day" "CROSS JOIN LATERAL" list --date "$DAY" --facility "$FACILITY"
    compared list-month "a month of one facility, a year ago" "CROSS JOIN LATERAL" list --from "$MONTH_FROM" --to "$MONTH_TO" --facility "$FACILITY"
    compared show "a session with its preview" "json_build_object" show "$SESSION"
    compared preview "the billing preview" "json_build_object" preview "$SESSION"
    compared explain "a billed session of the history" "json_build_object" explain "$HISTORY_SESSION"
    compared claims-blocked "the work list of blocked claims" "'BLOCKING'" claims --blocked
    compared claim-show "a replacement with its chain" "'chain'" claim show "$CHAIN_CLAIM"
    compared encounters "a member's three years of charges" "'charge_id'" encounters "$MRN"
    compared audit-day "audit --since the start of yesterday" "audit_log" audit --since "$DAY 00:00"
fi

if part bulk; then
    echo "-- bulk work (one run each)"
    # Yesterday's rows back to SCHEDULED, so finalize marks them again.
    reset_sql -c "UPDATE session_participant p SET status = 'SCHEDULED' FROM group_session s
                   WHERE s.facility_id = p.facility_id AND s.id = p.session_id AND s.local_date = '$DAY'" \
              -c "UPDATE session_supervisor x SET status = 'SCHEDULED' FROM group_session s
                   WHERE s.facility_id = x.facility_id AND s.id = x.session_id AND s.local_date = '$DAY'"
    once finalize "$(q "SELECT count(*) FROM group_session WHERE local_date = '$DAY'") sessions, every facility" \
        "$G" --database-url "$URL" finalize --date "$DAY" --facility all --yes --json
    # The day before yesterday unbilled again: its charges and claims taken away.
    reset_sql -c "CREATE TEMP TABLE day AS SELECT facility_id, id FROM group_session WHERE local_date = '$BILL_DAY'" \
              -c "DELETE FROM claim_issue i USING claim c, day d WHERE i.facility_id = c.facility_id AND i.claim_id = c.id AND c.facility_id = d.facility_id AND c.session_id = d.id" \
              -c "DELETE FROM claim_line l USING claim c, day d WHERE l.facility_id = c.facility_id AND l.claim_id = c.id AND c.facility_id = d.facility_id AND c.session_id = d.id" \
              -c "DELETE FROM claim c USING day d WHERE c.facility_id = d.facility_id AND c.session_id = d.id" \
              -c "DELETE FROM charge c USING day d WHERE c.facility_id = d.facility_id AND c.session_id = d.id" \
              -c "DELETE FROM edi_document WHERE id > (SELECT last_document_id FROM bench_dataset)" \
              -c "UPDATE group_session s SET billing_settled = false, billed_at = NULL, billed_version = NULL FROM day d
                   WHERE s.facility_id = d.facility_id AND s.id = d.id" \
              -c "UPDATE group_session SET billing_settled = true WHERE NOT billing_settled AND local_date <> '$BILL_DAY'"
    once billing-run "$(q "SELECT count(*) FROM group_session WHERE NOT billing_settled") ended sessions, every facility" \
        "$G" --database-url "$URL" billing run --json
fi

if part mark; then
    echo "-- a single mark on a billed session (whole process, charges re-synced)"
    # A billed session still waiting for one member: its charges exist, its claims do not.
    read -r MARK_SESSION MARK_MRN WAITING < <(q "SELECT p.session_id, m.mrn, w.id FROM session_participant p
        JOIN member m ON m.id = p.member_id
        JOIN LATERAL (SELECT id FROM session_participant x WHERE x.facility_id = p.facility_id AND x.session_id = p.session_id
                       AND x.id <> p.id ORDER BY x.id LIMIT 1) w ON true
       WHERE p.facility_id = $FACILITY_ID AND p.session_id = (SELECT id FROM group_session WHERE facility_id = $FACILITY_ID
             AND local_date = '$BILL_DAY' ORDER BY starts_at, id OFFSET 1 LIMIT 1)
         AND p.status IN ('ATTENDED', 'LATE') ORDER BY p.id LIMIT 1" | tr '|' ' ')
    reset_sql -c "DELETE FROM claim_issue i USING claim c WHERE i.facility_id = c.facility_id AND i.claim_id = c.id AND c.facility_id = $FACILITY_ID AND c.session_id = $MARK_SESSION" \
              -c "DELETE FROM claim_line l USING claim c WHERE l.facility_id = c.facility_id AND l.claim_id = c.id AND c.facility_id = $FACILITY_ID AND c.session_id = $MARK_SESSION" \
              -c "DELETE FROM claim WHERE facility_id = $FACILITY_ID AND session_id = $MARK_SESSION" \
              -c "UPDATE session_participant SET status = 'SCHEDULED' WHERE facility_id = $FACILITY_ID AND id = $WAITING"
    "$G" --database-url "$URL" billing run --session "$MARK_SESSION" --claim-delay 20d --json > "$OUT/mark-billing.json"
    PREPARE_CMD="$G --database-url $URL mark $MARK_SESSION absent $MARK_MRN --json" \
        figure mark "absent → attended on a BILLED session" mark "$MARK_SESSION" attended "$MARK_MRN" --json
fi

if part submit; then
    echo "-- claim submit (claims of the day before yesterday, sent back to BUILT before each run)"
    [ "$(q "SELECT count(*) FROM claim c JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id WHERE s.local_date = '$BILL_DAY'")" -gt 0 ] \
        || { echo "no claims on $BILL_DAY: run the bulk part first" >&2; exit 1; }
    unsend() { # a psql script that sends these claims back to BUILT: $1 file, $2 a claim condition
        cat > "$1" <<SQL
SET session_replication_role = replica;
UPDATE claim c SET status = 'BUILT', submitted_at = NULL, edi_document_id = NULL
  FROM group_session s WHERE s.facility_id = c.facility_id AND s.id = c.session_id
   AND s.local_date = '$BILL_DAY' AND c.status <> 'BUILT' AND $2;
DELETE FROM edi_document WHERE id > (SELECT last_document_id FROM bench_dataset);
SQL
    }
    SUBMIT_SESSION=$(q "SELECT c.session_id FROM claim c JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id
                         WHERE s.local_date = '$BILL_DAY' AND c.facility_id = $FACILITY_ID ORDER BY c.session_id LIMIT 1")
    unsend "$OUT/unsend-session.sql" "c.session_id = $SUBMIT_SESSION"
    PREPARE_CMD="$PSQL $URL -X -q -f $OUT/unsend-session.sql" \
        figure submit-session "one session's claims" claim submit --session "$SUBMIT_SESSION" --json
    mapfile -t DAY_CLAIMS < <(q "SELECT c.id FROM claim c JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id
                                  WHERE s.local_date = '$BILL_DAY' AND c.facility_id = $FACILITY_ID ORDER BY c.id")
    unsend "$OUT/unsend-facility-day.sql" "c.facility_id = $FACILITY_ID"
    PREPARE_CMD="$PSQL $URL -X -q -f $OUT/unsend-facility-day.sql" \
        figure submit-facility-day "${#DAY_CLAIMS[@]} claims: one facility's day" claim submit "${DAY_CLAIMS[@]}" --json
    mapfile -t MANY_CLAIMS < <(q "SELECT c.id FROM claim c JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id
                                   WHERE s.local_date = '$BILL_DAY' ORDER BY c.id LIMIT $SUBMIT_MANY")
    unsend "$OUT/unsend-many.sql" "true"
    RUNS_SAVED=$RUNS; RUNS=$(( RUNS < 5 ? RUNS : 5 )); WARMUP_SAVED=$WARMUP; WARMUP=0
    PREPARE_CMD="$PSQL $URL -X -q -f $OUT/unsend-many.sql" \
        figure submit-many "${#MANY_CLAIMS[@]} claims rendered as 837P" claim submit "${MANY_CLAIMS[@]}" --json
    RUNS=$RUNS_SAVED; WARMUP=$WARMUP_SAVED
fi

"$G" db stop >/dev/null
}

for scale in $SCALES; do bench_scale "$scale"; done
FIGURE_FILES=()
for scale in $SCALES; do FIGURE_FILES+=("$OUT/figures-$scale.jsonl" "$OUT/plans-$scale.txt"); done
if part import; then
    # Into an empty database of its own: the import's cost does not depend on the history.
    echo "== import of a ${IMPORT_MB:=50} MB document into an empty database"
    IMPORT_MB=$IMPORT_MB GSESS_BIN=$G bash bench/import.sh | tee "$OUT/import.txt"
    FIGURE_FILES+=("$OUT/import.txt")
fi
python3 bench/report.py "${FIGURE_FILES[@]}" > "$RESULTS"
cat "$RESULTS"
# Every figure of every part asked for was produced (the tiny run in the tests checks this).
python3 bench/report.py --check "$PARTS" "${FIGURE_FILES[@]}"
