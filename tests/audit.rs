//! `gsess audit` against real PostgreSQL: who changed what and why, each filter, the scope, and the plans.

mod common;

use chrono::{DateTime, Duration, Offset, Utc};
use common::{gsess_with, Run, TestDb, ROLL_CALL_DANA};
use serde_json::{json, Value};

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const BILLING: &str = "clinical.billing.run";
const LA: chrono_tz::Tz = chrono_tz::America::Los_Angeles;

/// A session that ran from two hours ago to an hour ago, with its day told by the logins
/// who worked it: imported, marked (with an acceptance and its reason in between), billed.
struct Day {
    db: TestDb,
    session: i64,
    importer: String,
    nurse: String,
    reader: String,
    /// The claims the billing run built: M001's, then M002's.
    claims: Vec<i64>,
}

fn day() -> Day {
    let db = TestDb::new();
    let importer: String = db.scalar("SELECT current_user::text");
    let mut dataset = common::roll_call_dataset();
    dataset["sessions"][0]["starts_at"] = json!((Utc::now() - Duration::hours(2)).to_rfc3339());
    dataset["sessions"][0]["ends_at"] = json!((Utc::now() - Duration::hours(1)).to_rfc3339());
    db.gsess_stdin(&["import", "-"], &dataset.to_string())
        .success();
    let session: i64 = db.scalar("SELECT id FROM group_session WHERE external_id = 'RC-1'");
    let nurse = db.login("nurse", &[WRITE]);
    let biller = db.login("biller", &[BILLING]);
    let reader = db.login("reader", &[READ]);
    let id = session.to_string();
    db.gsess_as(&nurse, &["mark", &id, "attended", "M001", "M002"])
        .success();
    // Two in the room and no supervisor present yet: the ratio breach, accepted knowingly.
    db.gsess_as(
        &nurse,
        &[
            "accept",
            &id,
            "SUPERVISION_RATIO_BREACH",
            "--payer",
            "ORMCD",
            "--reason",
            "aide in the room",
        ],
    )
    .success();
    db.gsess_as(
        &nurse,
        &[
            "mark",
            &id,
            "absent",
            "M003",
            "--supervisor",
            ROLL_CALL_DANA,
        ],
    )
    .success();
    let report = db
        .gsess_as(&biller, &["billing", "run", "--json"])
        .success()
        .json();
    let mut claims: Vec<i64> = report["sessions"][0]["claim_ids"]
        .as_array()
        .expect("the run built claims")
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    claims.sort();
    assert_eq!(
        claims.len(),
        2,
        "one claim each for M001 and M002: {report:#}"
    );
    Day {
        db,
        session,
        importer,
        nurse,
        reader,
        claims,
    }
}

impl Day {
    fn audit(&self, args: &[&str]) -> Run {
        self.db.gsess_as(&self.reader, &[&["audit"], args].concat())
    }

    /// `gsess audit --json ARGS`: the entries.
    fn entries(&self, args: &[&str]) -> Vec<Value> {
        let run = self.audit(&[&["--json"], args].concat());
        run.success();
        run.json().as_array().expect("an array").clone()
    }

    fn audit_in_zone(&self, zone: &str, args: &[&str]) -> Run {
        gsess_with(
            &[
                ("DATABASE_URL", &self.db.url_as(&self.reader)),
                ("TZ", zone),
            ],
            &[&["audit"], args].concat(),
            None,
        )
    }
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect()
}

/// The one entry with this action and MRN.
fn entry<'a>(entries: &'a [Value], action: &str, mrn: Option<&str>) -> &'a Value {
    let found: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == action && e["mrn"].as_str() == mrn)
        .collect();
    assert_eq!(found.len(), 1, "{action} {mrn:?} in {entries:#?}");
    found[0]
}

#[test]
fn a_sessions_history_names_who_did_what_and_why() {
    let day = day();
    let entries = day.entries(&["--session", &day.session.to_string()]);
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first: {ids:?}");
    for e in &entries {
        assert_eq!(e["session_id"], day.session, "{e}");
        assert_eq!(e["forced"], false, "{e}");
        let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
        assert_eq!(
            keys.len(),
            11,
            "{{id, at, actor, action, session_id, claim_id, mrn, before, after, reason, forced}}: {e}"
        );
        // On the facility's clock: Portland's offset at that instant.
        let at = DateTime::parse_from_rfc3339(e["at"].as_str().unwrap()).expect("RFC 3339");
        assert_eq!(
            at.offset().local_minus_utc(),
            at.with_timezone(&LA).offset().fix().local_minus_utc(),
            "{e}"
        );
    }

    // The import: the session and its roster, by the login that imported.
    let created = entry(&entries, "session.create", None);
    assert_eq!(created["actor"], day.importer.as_str());
    assert_eq!(created["before"], Value::Null);
    assert_eq!(created["after"]["external_id"], "RC-1");
    for mrn in ["M001", "M002", "M003"] {
        let added = entry(&entries, "roster.add", Some(mrn));
        assert_eq!(added["actor"], day.importer.as_str());
        assert_eq!(added["after"]["status"], "SCHEDULED");
    }

    // The marks: the nurse's login, the statuses before and after.
    for (mrn, to) in [
        ("M001", "ATTENDED"),
        ("M002", "ATTENDED"),
        ("M003", "ABSENT"),
    ] {
        let mark = entry(&entries, "roster.mark", Some(mrn));
        assert_eq!(mark["actor"], day.nurse.as_str(), "{mark}");
        assert_eq!(mark["before"]["status"], "SCHEDULED", "{mark}");
        assert_eq!(mark["after"]["status"], to, "{mark}");
        assert_eq!(mark["reason"], Value::Null, "{mark}");
    }
    let supervisor = entry(&entries, "supervisor.mark", None);
    assert_eq!(supervisor["actor"], day.nurse.as_str());
    assert_eq!(supervisor["after"]["status"], "ABSENT");

    // The acceptance, with its reason.
    let accepted = entry(&entries, "accept", None);
    assert_eq!(accepted["actor"], day.nurse.as_str());
    assert_eq!(accepted["reason"], "aide in the room");
    assert_eq!(accepted["after"]["code"], "SUPERVISION_RATIO_BREACH");
    let position = |action: &str, mrn: &str| {
        entries
            .iter()
            .position(|e| e["action"] == action && e["mrn"] == mrn)
            .unwrap()
    };
    let accept_at = entries
        .iter()
        .position(|e| e["action"] == "accept")
        .unwrap();
    assert!(position("roster.mark", "M002") < accept_at);
    assert!(accept_at < position("roster.mark", "M003"));

    // The billing run: the charges and a claim per member, money as stored.
    let charges = entry(&entries, "charge.build", None);
    assert!(charges["actor"].as_str().unwrap().ends_with("_biller"));
    assert_eq!(charges["after"].as_array().unwrap().len(), 2, "{charges}");
    for (mrn, claim) in ["M001", "M002"].iter().zip(&day.claims) {
        let built = entry(&entries, "claim.build", Some(mrn));
        assert_eq!(built["claim_id"], *claim);
        assert_eq!(built["after"]["status"], "BUILT");
    }
    // before/after are the stored JSON as written: money keeps its two decimals.
    let raw = day.audit(&["--json", "--claim", &day.claims[0].to_string()]);
    raw.success().stdout_contains("\"amount\": 45.00");

    // The import and the run themselves belong to no session: in the whole log, on UTC.
    let all = day.entries(&[]);
    for action in ["import", "billing.run"] {
        let e = all.iter().find(|e| e["action"] == action).expect(action);
        assert_eq!(e["session_id"], Value::Null);
        assert!(e["at"].as_str().unwrap().ends_with("+00:00"), "{e}");
        assert!(!actions(&entries).contains(&action));
    }
    assert!(all.len() > entries.len());
}

#[test]
fn each_filter_keeps_its_entries_and_only_those() {
    let day = day();
    let session = day.session.to_string();

    let member = day.entries(&["--member", "M001"]);
    assert!(member.iter().all(|e| e["mrn"] == "M001"), "{member:#?}");
    assert_eq!(
        actions(&member),
        ["roster.add", "roster.mark", "claim.build"],
        "{member:#?}"
    );

    let nurse = day.entries(&["--actor", &day.nurse]);
    assert!(nurse.iter().all(|e| e["actor"] == day.nurse.as_str()));
    let mut done = actions(&nurse);
    assert_eq!(done[..3], ["roster.mark", "roster.mark", "accept"]);
    done.sort();
    assert_eq!(
        done,
        [
            "accept",
            "roster.mark",
            "roster.mark",
            "roster.mark",
            "supervisor.mark"
        ]
    );
    assert!(day.entries(&["--actor", "nobody_at_all"]).is_empty());

    let first = day.entries(&["--claim", &day.claims[0].to_string()]);
    assert_eq!(actions(&first), ["claim.build"]);
    assert_eq!(first[0]["mrn"], "M001");
    let second = day.entries(&["--claim", &day.claims[1].to_string()]);
    assert_eq!(second[0]["mrn"], "M002");

    // Filters combine with AND.
    let both = day.entries(&[
        "--session",
        &session,
        "--member",
        "M002",
        "--actor",
        &day.nurse,
    ]);
    assert_eq!(actions(&both), ["roster.mark"]);
    assert_eq!(both[0]["after"]["status"], "ATTENDED");
}

#[test]
fn since_takes_rfc_3339_or_a_wall_clock_time_in_the_users_zone() {
    let day = day();
    // Put the nurse's work at 15:00 in Portland and everything else at 13:00 (the log is
    // append-only; replica mode lets the test set it up).
    day.db.sql(&format!(
        "SET session_replication_role = replica;
         UPDATE audit_log SET at = CASE WHEN actor = '{}' THEN timestamptz '2026-11-27 15:00-08'
                                        ELSE timestamptz '2026-11-27 13:00-08' END;",
        day.nurse
    ));
    let nurse_only = |entries: &[Value]| {
        !entries.is_empty() && entries.iter().all(|e| e["actor"] == day.nurse.as_str())
    };
    let since = day.entries(&["--since", "2026-11-27T14:00:00-08:00"]);
    assert!(nurse_only(&since), "{since:#?}");
    assert_eq!(since.len(), 5);
    assert_eq!(since[0]["at"], "2026-11-27T15:00:00-08:00");

    // 14:00 in Los Angeles excludes 13:00 there; 14:00 in New York is 11:00 in Portland.
    let los_angeles = day.audit_in_zone(
        "America/Los_Angeles",
        &["--json", "--since", "2026-11-27 14:00"],
    );
    let entries = los_angeles.success().json();
    assert!(nurse_only(entries.as_array().unwrap()), "{entries:#}");
    let new_york = day.audit_in_zone(
        "America/New_York",
        &["--json", "--since", "2026-11-27 14:00"],
    );
    let everything = day.entries(&[]);
    assert_eq!(
        new_york.success().json().as_array().unwrap().len(),
        everything.len()
    );
    // A bare date is that day's midnight.
    let next_day = day.audit_in_zone("America/Los_Angeles", &["--json", "--since", "2026-11-28"]);
    assert_eq!(next_day.success().json(), json!([]));
    assert_eq!(next_day.stdout, "[]\n");

    day.audit_in_zone("America/Chicago", &["--since", "yesterday-ish"])
        .code(2)
        .stderr_contains("--since: \"yesterday-ish\" is not a time")
        .stderr_contains("in your time zone (America/Chicago)");
    // A wall-clock time that happens twice is refused, not guessed.
    day.audit_in_zone("America/Los_Angeles", &["--since", "2026-11-01 01:30"])
        .code(10)
        .stderr_contains("ambiguous");
}

#[test]
fn unknown_names_are_exit_3_naming_them() {
    let day = day();
    let run = day.audit(&["--json", "--member", "M999"]);
    run.code(3).stderr_contains("no member M999");
    assert_eq!(run.json_error()["error"]["mrn"], "M999");
    assert_eq!(
        run.stdout, "",
        "nothing is written before the names are checked"
    );
    day.audit(&["--session", "999999"])
        .code(3)
        .stderr_contains("no session 999999");
    day.audit(&["--claim", "999999"])
        .code(3)
        .stderr_contains("no claim 999999");
}

#[test]
fn reading_the_log_needs_the_read_scope_and_the_database_enforces_it() {
    let day = day();
    let nobody = day.db.login("nobody", &[]);
    let run = day.db.gsess_as(&nobody, &["--json", "audit"]);
    run.code(6).stderr_contains(READ);
    assert_eq!(run.json_error()["error"]["missing_scope"], READ);
    // Not only gsess: PostgreSQL itself refuses the table.
    let refused = day
        .db
        .sql_as(&nobody, "SELECT * FROM audit_log")
        .expect_err("no SELECT on audit_log without the scope");
    assert_eq!(refused.sqlstate, "42501", "{refused:?}");
    day.db
        .sql_as(&day.reader, "SELECT * FROM audit_log")
        .expect("the read scope may");
    // Every other scope implies reading.
    day.db
        .gsess_as(&day.nurse, &["audit", "--limit", "1"])
        .success();
}

#[test]
fn plain_text_names_each_change_one_line_an_entry() {
    let day = day();
    let session = day.session.to_string();
    let run = day.audit(&["--session", &session]);
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header = lines[0];
    for column in [
        "id", "at", "actor", "action", "member", "change", "forced", "reason",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let json = day.entries(&["--session", &session]);
    assert_eq!(lines.len(), json.len() + 1, "{}", run.stdout);
    let line = |needle: &[&str]| {
        lines
            .iter()
            .find(|l| needle.iter().all(|n| l.contains(n)))
            .unwrap_or_else(|| panic!("no line with {needle:?}:\n{}", run.stdout))
    };
    line(&["roster.mark", "M001", &day.nurse, "SCHEDULED → ATTENDED"]);
    line(&["roster.mark", "M003", "SCHEDULED → ABSENT"]);
    line(&[
        "accept",
        "accepted SUPERVISION_RATIO_BREACH",
        "aide in the room",
    ]);
    line(&["claim.build", &day.claims[0].to_string(), "→ BUILT, 45.00"]);
    // Columns line up under the header.
    let mark = line(&["roster.mark", "M001"]);
    let column = |text: &str, word: &str| text.find(word).map(|at| text[..at].chars().count());
    assert_eq!(column(header, "action"), column(mark, "roster.mark"));

    // A limit keeps the oldest and says more match; JSON comes one entry a line.
    let limited = day.audit(&["--session", &session, "--limit", "2"]);
    limited.success().stderr_contains("more entries match");
    assert_eq!(limited.stdout.lines().count(), 3, "{}", limited.stdout);
    let json = day.audit(&["--json", "--session", &session, "--limit", "2"]);
    assert_eq!(json.success().json().as_array().unwrap().len(), 2);
    assert_eq!(
        json.stdout.lines().count(),
        4,
        "[, two entries, ]: {}",
        json.stdout
    );

    let nothing = day.audit(&["--since", "2999-01-01T00:00:00Z"]);
    assert_eq!(nothing.success().stdout, "No audit entries.\n");
}

#[test]
fn every_filter_is_served_by_its_index() {
    let db = TestDb::new();
    // Twenty thousand entries over four months: ten per session, a claim on every tenth,
    // five hundred members, twenty busy logins and one seldom seen, in time order as the
    // triggers write them.
    db.sql(
        "INSERT INTO audit_log (at, actor, action, facility_id, session_id, claim_id, member_id,
                                before, after)
         SELECT timestamptz '2026-01-01 00:00Z' + i * interval '10 minutes',
                CASE WHEN i % 500 = 0 THEN 'auditor' ELSE 'login' || (i % 20) END,
                'roster.mark', 1, 100000 + i / 10,
                CASE WHEN i % 10 = 0 THEN 100000 + i / 10 END, 100000 + (i * 7919) % 500,
                '{\"status\": \"SCHEDULED\"}', '{\"status\": \"ATTENDED\"}'
           FROM generate_series(1::bigint, 20000) i;
         ANALYZE audit_log;",
    );
    use gsess::db::audit::{audit_sql, AuditFilter};
    let plan = |filter: AuditFilter, types: &str, values: &str| {
        // gsess runs the statement once per process, so it is planned for the values given.
        db.texts(&format!(
            "SET plan_cache_mode = force_custom_plan;
             PREPARE entries({types}) AS {};
             EXPLAIN EXECUTE entries({values});",
            audit_sql(&filter)
        ))
        .join("\n")
    };
    // Small limits: where walking the log in id order looks cheapest to the planner.
    let limited = |filter: AuditFilter| AuditFilter {
        limit: Some(1),
        ..filter
    };
    let cases = [
        (
            "audit_log_session",
            limited(AuditFilter {
                session_id: Some(1),
                ..AuditFilter::default()
            }),
            "bigint, bigint",
            "101000, 2",
        ),
        (
            "audit_log_claim",
            limited(AuditFilter {
                claim_id: Some(1),
                ..AuditFilter::default()
            }),
            "bigint, bigint",
            "101000, 2",
        ),
        (
            "audit_log_member",
            limited(AuditFilter {
                member_id: Some(1),
                ..AuditFilter::default()
            }),
            "bigint, bigint",
            "100123, 2",
        ),
        (
            "audit_log_actor",
            limited(AuditFilter {
                actor: Some(String::new()),
                ..AuditFilter::default()
            }),
            "text, bigint",
            "'auditor', 2",
        ),
        // The last three weeks: recent entries sit at the end of the log, where walking it in
        // id order (as a small limit tempts the planner to) would find them last.
        (
            "audit_log_at",
            limited(AuditFilter {
                since: Some(Utc::now()),
                ..AuditFilter::default()
            }),
            "timestamptz, bigint",
            "'2026-05-01 00:00Z', 11",
        ),
        (
            "audit_log_at",
            AuditFilter {
                since: Some(Utc::now()),
                ..AuditFilter::default()
            },
            "timestamptz",
            "'2026-05-15 00:00Z'",
        ),
        // The whole log: walked in order, stopping at the limit.
        (
            "audit_log_at",
            limited(AuditFilter::default()),
            "bigint",
            "101",
        ),
    ];
    for (index, filter, types, values) in cases {
        let plan = plan(filter, types, values);
        assert!(
            plan.contains(&format!("Index Scan using {index}"))
                || plan.contains(&format!("Bitmap Index Scan on {index}")),
            "{index} does not serve {values}:\n{plan}"
        );
        assert!(!plan.contains("audit_log_pkey"), "{plan}");
    }
    // A long tail of the log comes off its time index in the order shown: streamed as read,
    // never sorted whole (a sort of a busy day's entries spilled to disk).
    let tail = plan(
        AuditFilter {
            since: Some(Utc::now()),
            ..AuditFilter::default()
        },
        "timestamptz",
        "'2026-03-01 00:00Z'",
    );
    assert!(
        tail.contains("Index Scan using audit_log_at") && !tail.contains("Sort"),
        "{tail}"
    );
}
