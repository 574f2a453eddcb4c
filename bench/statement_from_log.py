#!/usr/bin/env python3
"""From a PostgreSQL server log (log_min_duration_statement = 0), the statements one gsess
run executed, with the values bound to them, as a psql script — the same statements with the
same parameters, so psql can be timed doing exactly gsess's work.

    statement_from_log.py FRAGMENT          the last statement whose text contains FRAGMENT
    statement_from_log.py --all FRAGMENT    every statement of the connection that ran it

A statement with parameters becomes `PREPARE qN AS <text>; EXECUTE qN(<values>);`, one
without is written as it ran.
"""
import re
import sys

args = sys.argv[1:]
every = args[:1] == ["--all"]
fragment = args[-1]
entry_start = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")
entries = []  # [pid, level, text]
for line in sys.stdin.read().split("\n"):
    m = entry_start.match(line)
    if m:
        entries.append([m.group(1), m.group(2), m.group(3)])
    elif entries:
        entries[-1][2] += "\n" + line

executed = re.compile(r"^duration: [\d.]+ ms  (execute [^:]*|statement): (.*)$", re.S)


def parameters(i, pid):
    """The values bound to the statement logged at entries[i] (its DETAIL line, if any)."""
    for pid2, level2, text2 in entries[i + 1:]:
        if pid2 != pid:
            continue
        if level2 == "DETAIL" and text2.startswith("parameters: "):
            return [v for _, v in sorted((int(n), v) for n, v in
                    re.findall(r"\$(\d+) = (NULL|'(?:[^']|'')*')", text2))]
        return []
    return []


statements = []  # (pid, text, values)
for i, (pid, level, text) in enumerate(entries):
    m = executed.match(text) if level == "LOG" else None
    if m:
        statements.append((pid, m.group(2).rstrip("\n").rstrip(";"), parameters(i, pid)))

matching = [s for s in statements if fragment in s[1]]
if not matching:
    sys.exit(f"no executed statement containing {fragment!r} in the log")
chosen = [s for s in statements if s[0] == matching[-1][0]] if every else matching[-1:]
for n, (_, text, values) in enumerate(chosen, 1):
    if values or "$1" in text:
        print(f"PREPARE q{n} AS {text};")
        print(f"EXECUTE q{n}({', '.join(values)});")
    else:
        print(f"{text};")
