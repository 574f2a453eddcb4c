#!/usr/bin/env bash
# Time `gsess import` of a generated dataset document (bench/import_document.py) into a fresh
# embedded cluster, then the same document again (every row unchanged), and print one line per
# run with its wall time and peak resident memory:
#
#   bench/import.sh                                   # 50 MB, release build
#   IMPORT_MB=1 bench/import.sh                       # a tiny run, seconds
#   GSESS_BIN=target/debug/gsess IMPORT_MB=1 bench/import.sh
#
# The document is cached in target/bench/ (made again when the generator changes). The cluster
# lives in a temporary GSESS_HOME under /var/tmp, traversable by the `postgres` user the server
# runs as when we are root, and is stopped and removed at the end. Exits non-zero if an import
# fails or the second import changes anything.
set -euo pipefail
cd "$(dirname "$0")/.."

MB=${IMPORT_MB:-50}
[ -x /usr/bin/time ] || { echo "bench/import.sh needs GNU time: apt-get install time" >&2; exit 1; }
unset DATABASE_URL
if [ -n "${GSESS_BIN:-}" ]; then
    G=$GSESS_BIN
else
    cargo build --release --quiet
    G=${CARGO_TARGET_DIR:-$PWD/target}/release/gsess
fi

mkdir -p target/bench
DOC=target/bench/import-$MB.json
if [ ! -s "$DOC" ] || [ bench/import_document.py -nt "$DOC" ]; then
    python3 bench/import_document.py "$MB" "$DOC.tmp"
    mv "$DOC.tmp" "$DOC"
fi
SIZE=$(python3 -c "import os, sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.1f}')" "$DOC")

GSESS_HOME=$(mktemp -d /var/tmp/gsess-import-XXXXXX)
chmod 755 "$GSESS_HOME"
export GSESS_HOME
OUT=$GSESS_HOME/out
cleanup() {
    "$G" db stop >/dev/null 2>&1 || true
    rm -rf "$GSESS_HOME"
}
trap cleanup EXIT
"$G" db start >/dev/null

# One timed import; its JSON report is left in $OUT.json, `-v` step timings in $OUT.err.
failed=0
run() { # $1: label
    local code=0 seconds kb
    /usr/bin/time -f '%e %M' -o "$OUT.time" "$G" -v import "$DOC" --json >"$OUT.json" 2>"$OUT.err" || code=$?
    read -r seconds kb < <(tail -n 1 "$OUT.time")
    echo "import $SIZE MB ($1): $seconds s, $((kb / 1024)) MB peak RSS, exit $code"
    if [ "$code" -ne 0 ]; then
        sed 's/^/    /' "$OUT.err" >&2
        failed=1
    fi
    return "$code"
}
# What the report says against what the document holds: `first` creates every row, `again`
# leaves every row unchanged.
check() { # $1: first|again
    python3 - "$1" "$DOC" "$OUT.json" <<'PY'
import json, sys
mode, doc, out = sys.argv[1:]
document, report = json.load(open(doc)), json.load(open(out))
rows = {section: len(document[section]) for section in document}
rows["participants"] = sum(len(s["participants"]) for s in document.get("sessions", []))
wanted = {"created": rows, "updated": {}, "unchanged": {}} if mode == "first" else \
         {"created": {}, "updated": {}, "unchanged": rows}
problems = [f"{kind}.{section}: {report[kind].get(section)} (expected {wanted[kind].get(section, 0)})"
            for kind in wanted for section in rows
            if report[kind].get(section) != wanted[kind].get(section, 0)]
if report["removed"].get("participants") or report["kept"]:
    problems.append(f"removed {report['removed']}, kept {report['kept'][:3]}")
for p in problems:
    print(f"    {mode} import: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}
if run first; then check first || failed=1; fi
if [ "$failed" -eq 0 ] && run again; then check again || failed=1; fi
exit "$failed"
