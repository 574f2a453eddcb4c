#!/usr/bin/env python3
"""The benchmark's figures (bench/run.sh's figures-*.jsonl, and bench/import.sh's lines) as
one markdown table, the scales side by side: the work is the same at every scale, the history
grows, so a row whose figures stay put shows a cost that does not grow with the history.
"""
import json
import re
import sys

# What each part of bench/run.sh measures, for `--check PARTS`.
EXPECTED = {
    "read": ["list-day-all", "list-facility-day", "list-month", "show", "preview", "explain",
             "claims-blocked", "claim-show", "encounters", "audit-day"],
    "bulk": ["finalize", "billing-run"],
    "mark": ["mark"],
    "submit": ["submit-session", "submit-facility-day", "submit-many"],
}
args = sys.argv[1:]
check = args[1].split() if args[:1] == ["--check"] else None
if check is not None:
    args = args[2:]

figures, imports, plans = [], [], {}
for path in args:
    with open(path) as f:
        if path.endswith(".jsonl"):
            figures += [json.loads(line) for line in f if line.strip()]
        elif "/plans-" in path:
            scale = int(re.search(r"plans-(\d+)", path).group(1))
            plans[scale] = [line.strip() for line in f if line.strip()]
        else:
            imports += [line.strip() for line in f if line.startswith("import ")]

scales = sorted({f["scale"] for f in figures})
if check is not None:
    missing = [f"{name} at {scale}" for part in check for name in EXPECTED.get(part, [])
               for scale in scales if not any(f["name"] == name and f["scale"] == scale for f in figures)]
    if "import" in check and len(imports) < 2:
        missing.append("import (first run and re-run)")
    if not scales:
        missing.append("any figure at all")
    if missing:
        sys.exit("figures missing: " + ", ".join(missing))
    print(f"every figure produced: {len(figures)} figures at {len(scales)} scale(s), {len(imports)} import runs")
    sys.exit(0)
names = list(dict.fromkeys(f["name"] for f in figures))
by = {(f["name"], f["scale"]): f for f in figures}


def ms(seconds):
    return f"{seconds * 1000:.1f}" if seconds < 10 else f"{seconds:.1f} s"


def cell(f):
    if f is None:
        return "", "", "", ""
    if "seconds" in f:
        return f"{f['seconds']:.2f} s", "", "", f"{f['statements']} statements"
    g = f["gsess"]
    gsess = f"{ms(g['median'])} ± {ms(g['stddev'] or 0)}"
    psql = f"{ms(f['psql']['median'])}" if f.get("psql") else ""
    ratio = f"**{f['ratio']:.2f}×**" if f.get("ratio") else ""
    extra = f"{f['peak_kb'] / 1024:.1f} MB" + (f", {f['rows']} rows" if f.get("rows") is not None else "")
    return gsess, psql, ratio, extra


def scale_name(s):
    return f"{s:,} sessions"


if figures:
    head = ["What"] + [h for s in scales for h in
                       (f"gsess [ms] · {scale_name(s)}", "psql [ms]", "ratio", "peak memory, rows")]
    print("| " + " | ".join(head) + " |")
    print("|:---|" + "---:|" * (len(head) - 1))
    for name in names:
        note = next(f["note"] for f in figures if f["name"] == name)
        row = [f"`{name}`: {note}"] + [c for s in scales for c in cell(by.get((name, s)))]
        print("| " + " | ".join(row) + " |")
    print()
    print("gsess: median ± standard deviation of the timed runs; psql: its median running the "
          "same statements with the same values; ratio: gsess's median over psql's; peak "
          "memory: gsess's maximum resident set in one run. Bulk rows ran once.")
for line in imports:
    m = re.match(r"import ([\d.]+) MB \((\w+)\): ([\d.]+) s, (\d+) MB peak RSS", line)
    if m:
        print(f"\n- `import`, {m.group(1)} MB document, {m.group(2)} run: {m.group(3)} s, {m.group(4)} MB peak memory")
    else:
        print(f"\n- {line}")
for scale, lines in sorted(plans.items()):
    print(f"\nPlans at {scale:,} sessions (EXPLAIN (ANALYZE, BUFFERS) of each read's main statement; "
          "auto_explain of every bulk statement over 20 ms):\n")
    for line in lines:
        print(f"- {line}")
