#!/usr/bin/env python3
"""Write a realistic `gsess import` document of about a given size, deterministically.

    bench/import_document.py [MB] [OUTPUT]     # MB defaults to 50, OUTPUT to - (stdout)

The same size always gives the same bytes (a fixed seed, no clock). Like a real feed, most of
the bytes are members (names, addresses, diagnosis codes) and sessions (a year of weekday
groups); the reference sections (facilities, payers, group types, rules, bands, users) are small
and fixed. The proportions are those of the document of the first import figures in
BENCHMARKS.md: a coverage for every member (a secondary one for one in ten, a parent as
subscriber for minors), a SUPERVISING assignment for every other member (so the import derives
supervisor rows), and a session for every five members with four to six participants drawn
from a cohort at its facility. One row per line, so a failing import's JSON path is easy to
find.
"""

import argparse
import datetime as dt
import io
import json
import random
import sys
from zoneinfo import ZoneInfo

SEED = 20261127
MB = 1_000_000
# A session for every five members.
SESSIONS_PER_MEMBER = 0.2

# (code, name, state, time zone, city, ZIP prefix)
FACILITY_SITES = [
    ("PDX", "Portland", "OR", "America/Los_Angeles", "Portland", "972"),
    ("EUG", "Eugene", "OR", "America/Los_Angeles", "Eugene", "974"),
    ("SEA", "Seattle", "WA", "America/Los_Angeles", "Seattle", "981"),
    ("SPK", "Spokane", "WA", "America/Los_Angeles", "Spokane", "992"),
    ("BOI", "Boise", "ID", "America/Boise", "Boise", "837"),
    ("DEN", "Denver", "CO", "America/Denver", "Denver", "802"),
    ("PHX", "Phoenix", "AZ", "America/Phoenix", "Phoenix", "850"),
    ("CHI", "Chicago", "IL", "America/Chicago", "Chicago", "606"),
    ("ALB", "Albany", "NY", "America/New_York", "Albany", "122"),
    ("NYC", "Brooklyn", "NY", "America/New_York", "Brooklyn", "112"),
]
# Two clinics per site.
FACILITIES = [(f"{code}{n}", f"{name} Clinic {n}", state, tz, city, zip3)
              for code, name, state, tz, city, zip3 in FACILITY_SITES for n in (1, 2)]
STATES = sorted({f[2] for f in FACILITIES})
# (code, name, payer id, filing indicator or None)
PAYERS = [
    ("MCD", "State Medicaid", "MCD01", "MC"),
    ("ACME", "Acme Health", "ACME01", None),
    ("BLUE", "Blue Mountain Health Plan", "BMHP", "BL"),
    ("CARE", "CareFirst Commercial", "CFC77", "CI"),
    ("TRI", "Tricare West", "TRIW1", "CH"),
]
GROUP_TYPES = [
    ("DBT", "DBT skills group"),
    ("CBT", "CBT for depression"),
    ("SOC", "Social skills group"),
    ("SUD", "Substance use recovery group"),
    ("ANX", "Anxiety management group"),
    ("PAR", "Parenting support group"),
    ("GRF", "Grief and loss group"),
    ("TEEN", "Adolescent coping group"),
]
FIRST_NAMES = ["Ana", "Ben", "Cleo", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonah",
               "Kai", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
               "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Ahmed", "Beatriz", "Chen",
               "Dmitri", "Esther", "Felipe", "Gianna", "Hiro", "Imani", "Jasper"]
LAST_NAMES = ["Lopez", "Kim", "Park", "Shah", "Nguyen", "Okafor", "Smith", "Garcia", "Chen",
              "Johnson", "Rossi", "Haddad", "Kowalski", "Murphy", "Singh", "Tanaka", "Williams",
              "Petrov", "Mendoza", "Olsen", "Abara", "Brennan", "Castillo", "Delacroix",
              "Eriksen", "Fitzgerald", "Gonzalez-Rivera", "Hernandez", "Ivanova", "Jablonski"]
STREETS = ["Oak Ave", "Elm St", "Maple Dr", "Cedar Ln", "Pine St", "Willow Way", "Birch Rd",
           "Aspen Ct", "Main St", "Broadway", "Lincoln Blvd", "Park Pl", "River Rd",
           "Hillcrest Dr", "Sunset Ave", "Lakeview Ter"]
DIAGNOSES = ["F33.1", "F32.0", "F41.1", "F43.10", "F43.12", "F90.0", "F84.0", "F31.81",
             "F10.20", "F11.20", "F60.3", "F42.2", "F50.01", "Z63.0", "Z62.820", "F34.1"]


def npi(stem):
    """A 10-digit NPI: the stem and its Luhn check digit over 80840 + stem."""
    digits = [int(c) for c in "80840" + stem]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return stem + str((10 - total % 10) % 10)


def rows_of(out, name, rows, first):
    """One section, a row a line; `first` says whether it opens the document."""
    out.write("{\n" if first else ",\n")
    out.write(f' "{name}": [\n')
    sep = "  "
    for row in rows:
        out.write(sep)
        out.write(json.dumps(row, separators=(", ", ": ")))
        sep = ",\n  "
    out.write("\n ]")


def document(out, members):
    """Write the document for `members` members."""
    rng = random.Random(SEED)
    providers = max(4, members // 40)
    sessions = int(members * SESSIONS_PER_MEMBER)
    facility_count = len(FACILITIES)

    facilities = []
    for i, (code, name, state, tz, city, zip3) in enumerate(FACILITIES):
        facilities.append({
            "code": code, "name": name, "state": state, "timezone": tz,
            "npi": npi(f"1{i:08d}"), "tax_id": f"93{i:07d}", "taxonomy": "261QM0801X",
            "phone": f"503555{i:04d}", "place_of_service": "11",
            "address": {"line1": f"{100 + i} Main St", "city": city, "state": state,
                        "zip": f"{zip3}01{i:04d}"},
        })
    payers = [{"code": c, "name": n, "payer_id": p, "filing_indicator": f}
              for c, n, p, f in PAYERS]
    group_types = [{"code": c, "name": n} for c, n in GROUP_TYPES]
    rules = []
    bands = []
    for payer, *_ in PAYERS:
        for state in STATES:
            rules.append({"payer": payer, "state": state, "group_type": None,
                          "max_per_supervisor": 6, "start": "2026-01-01", "end": None})
            rules.append({"payer": payer, "state": state, "group_type": "TEEN",
                          "max_per_supervisor": 4, "start": "2026-01-01", "end": None})
            for low, high, rate in ((1, 3, "52.00"), (4, 8, "45.00"), (9, 12, "38.50")):
                bands.append({"payer": payer, "state": state, "group_type": None,
                              "min": low, "max": high, "procedure_code": "90853",
                              "modifiers": ["HQ"], "rate": rate, "unit_minutes": None,
                              "start": "2026-01-01", "end": None})
    provider_rows = [{"npi": npi(f"2{p:08d}"), "first_name": rng.choice(FIRST_NAMES),
                      "last_name": rng.choice(LAST_NAMES)} for p in range(providers)]
    users = [{"login": f"staff{u:03d}", "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
              "home_facility": FACILITIES[u % facility_count][0]} for u in range(200)]

    rows_of(out, "facilities", facilities, True)
    rows_of(out, "payers", payers, False)
    rows_of(out, "group_types", group_types, False)
    rows_of(out, "supervision_rules", rules, False)
    rows_of(out, "size_bands", bands, False)
    rows_of(out, "providers", provider_rows, False)

    # Member i lives near (and is seen at) facility i % facility_count.
    def member(i):
        site = FACILITIES[i % facility_count]
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 60))
        row = {
            "mrn": f"MRN{i:07d}", "first_name": rng.choice(FIRST_NAMES),
            "last_name": rng.choice(LAST_NAMES), "birth_date": born.isoformat(),
            "sex": rng.choice("FFMMU"),
            "diagnosis_codes": rng.sample(DIAGNOSES, rng.randint(1, 3)),
        }
        if rng.random() < 0.95:
            zip_code = f"{site[5]}{rng.randrange(100):02d}"
            if rng.random() < 0.3:
                zip_code += f"{rng.randrange(10000):04d}"
            row["address"] = {"line1": f"{rng.randrange(1, 9999)} {rng.choice(STREETS)}",
                              "line2": f"Apt {rng.randrange(1, 400)}" if rng.random() < 0.25 else None,
                              "city": site[4], "state": site[2], "zip": zip_code}
        return row, born

    births = []

    def members_rows():
        for i in range(members):
            row, born = member(i)
            births.append(born)
            yield row

    rows_of(out, "members", members_rows(), False)

    def coverages():
        for i in range(members):
            minor = births[i] > dt.date(2008, 1, 1)
            primary = PAYERS[i % len(PAYERS)][0]
            row = {"member": f"MRN{i:07d}", "payer": primary, "priority": 1,
                   "subscriber_id": f"{primary}{i:09d}", "start": "2026-01-01",
                   "end": "2026-12-31" if i % 7 == 0 else None, "subscriber": None}
            if minor:
                row["subscriber"] = {"relationship": "child", "first_name": rng.choice(FIRST_NAMES),
                                     "last_name": rng.choice(LAST_NAMES),
                                     "birth_date": "1980-05-17", "sex": rng.choice("FM")}
            yield row
            if i % 10 == 0:
                secondary = PAYERS[(i + 1) % len(PAYERS)][0]
                yield {"member": f"MRN{i:07d}", "payer": secondary, "priority": 2,
                       "subscriber_id": f"{secondary}{i:09d}", "start": "2026-03-01",
                       "end": None, "subscriber": None}

    rows_of(out, "coverages", coverages(), False)
    rows_of(out, "staff_assignments", (
        {"provider": provider_rows[(i // 2) % providers]["npi"], "member": f"MRN{i:07d}",
         "role": "SUPERVISING", "start": "2026-01-01", "end": None}
        for i in range(0, members, 2)), False)
    rows_of(out, "users", users, False)

    # A year of weekday groups. Session j is at facility j % facility_count, with a cohort
    # drawn from that facility's members, so the same people meet again week after week.
    per_facility = max(1, members // facility_count)
    first_day = dt.date(2026, 1, 5)

    def session_rows():
        for j in range(sessions):
            f = j % facility_count
            code, _, _, tz, _, _ = FACILITIES[f]
            day = first_day + dt.timedelta(days=(j // facility_count) % 350)
            if day.weekday() >= 5:
                day += dt.timedelta(days=2)
            start = dt.datetime(day.year, day.month, day.day, 9 + rng.randrange(9),
                                rng.choice((0, 30)), tzinfo=ZoneInfo(tz))
            end = start + dt.timedelta(minutes=rng.choice((60, 90)))
            cohort = (j // facility_count) % max(1, per_facility // 8)
            window = [f + facility_count * (cohort * 8 + k) for k in range(12)]
            window = [m for m in window if m < members] or [f % members]
            size = min(len(window), rng.randint(4, 6))
            yield {"external_id": f"SCH-{j:07d}", "facility": code,
                   "group_type": GROUP_TYPES[j % len(GROUP_TYPES)][0],
                   "starts_at": start.isoformat(), "ends_at": end.isoformat(),
                   "place_of_service": "02" if j % 10 == 0 else None,
                   "participants": [f"MRN{m:07d}" for m in rng.sample(window, size)]}

    rows_of(out, "sessions", session_rows(), False)
    out.write("\n}\n")


class Counter(io.TextIOBase):
    """A sink that only counts the bytes written to it."""

    def __init__(self):
        self.size = 0

    def write(self, text):
        self.size += len(text.encode())
        return len(text)


def members_for(target_bytes):
    """The member count whose document is about `target_bytes`: the size grows linearly with
    the members over a fixed part (the reference sections), measured at two small sizes."""
    sizes = []
    for sample in (1000, 3000):
        counter = Counter()
        document(counter, sample)
        sizes.append(counter.size)
    per_member = (sizes[1] - sizes[0]) / 2000
    fixed = sizes[0] - 1000 * per_member
    return max(10, round((target_bytes - fixed) / per_member))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mb", nargs="?", type=float, default=50.0, help="target size in MB (10^6 bytes)")
    parser.add_argument("output", nargs="?", default="-", help="output path, or - for stdout")
    args = parser.parse_args()
    members = members_for(args.mb * MB)
    if args.output == "-":
        document(sys.stdout, members)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            document(out, members)


if __name__ == "__main__":
    main()
