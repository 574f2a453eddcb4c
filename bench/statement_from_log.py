#!/usr/bin/env python3
"""From a PostgreSQL server log (log_min_duration_statement = 0), the last executed
statement whose text contains argv[1], with the values bound to it, as a psql script:
PREPARE q AS <text>; EXECUTE q(<values>);  — the same statement with the same parameters.
"""
import re
import sys

fragment = sys.argv[1]
entry_start = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")
entries = []  # (pid, level, text)
for line in sys.stdin.read().split("\n"):
    m = entry_start.match(line)
    if m:
        entries.append([m.group(1), m.group(2), m.group(3)])
    elif entries:
        entries[-1][2] += "\n" + line

execute = re.compile(r"^duration: [\d.]+ ms  execute [^:]*: (.*)$", re.S)
found = None
for i, (pid, level, text) in enumerate(entries):
    m = execute.match(text) if level == "LOG" else None
    if not m or fragment not in m.group(1):
        continue
    params = []
    for pid2, level2, text2 in entries[i + 1:]:
        if pid2 != pid:
            continue
        if level2 == "DETAIL" and text2.startswith("parameters: "):
            params = [(int(n), v) for n, v in
                      re.findall(r"\$(\d+) = (NULL|'(?:[^']|'')*')", text2)]
        break
    found = (m.group(1).rstrip("\n"), sorted(params))

if found is None:
    sys.exit(f"no executed statement containing {fragment!r} in the log")
text, params = found
values = ", ".join(v for _, v in params)
print(f"PREPARE q AS {text};")
print(f"EXECUTE q({values});" if params else "EXECUTE q;")
