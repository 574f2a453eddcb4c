#!/usr/bin/env python3
"""Check query plans for what a hot statement must not do at scale: read a big table whole
(a Seq Scan) or sort on disk. Reads EXPLAIN (FORMAT JSON) output or a server log holding
auto_explain's JSON plans on stdin; prints one line: the scans it saw and any finding, and
exits 1 when there is a finding.

    plan_check.py NAME < plans
"""
import json
import sys

# Tables that grow with the history; a scan of a small lookup table is fine.
BIG = {"group_session", "session_participant", "session_supervisor", "charge", "claim",
       "claim_line", "claim_issue", "audit_log", "edi_document", "accepted_exception",
       "member", "coverage_policy", "staff_assignment"}

name = sys.argv[1]
text = sys.stdin.read()
plans, decoder, i = [], json.JSONDecoder(), 0
while True:
    start = min((p for p in (text.find("[", i), text.find("{", i)) if p >= 0), default=-1)
    if start < 0:
        break
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError:
        i = start + 1
        continue
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and "Plan" in item:
            plans.append(item["Plan"])
    i = end

scans, findings = set(), []


def walk(node):
    kind, table = node.get("Node Type", ""), node.get("Relation Name")
    if table:
        scans.add(f"{kind} on {table}" + (f" ({node['Index Name']})" if node.get("Index Name") else ""))
    if kind == "Seq Scan" and table in BIG:
        findings.append(f"Seq Scan on {table}")
    if node.get("Sort Space Type") == "Disk":
        findings.append(f"sort spilled to disk ({node.get('Sort Space Used')} kB)")
    for child in node.get("Plans", []):
        walk(child)


for plan in plans:
    walk(plan)
if not plans:
    print(f"{name}: no plan found")
    sys.exit(1)
verdict = "; ".join(sorted(set(findings))) if findings else "index scans only, no sort on disk"
print(f"{name}: {len(plans)} plan(s), {verdict} [{', '.join(sorted(scans))}]")
sys.exit(1 if findings else 0)
