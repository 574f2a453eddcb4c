//! `gsess finalize`: every still-SCHEDULED roster and supervisor row of the listed sessions
//! becomes ABSENT after a confirmation — exactly the rows listed, only while still SCHEDULED;
//! skips (locked, not started, not ended by date) are reported; bulk runs are set-based, with
//! the number of statements bounded (measured with pg_stat_statements).

mod common;

use common::TestDb;
use gsess::db::finalize::{plan, FinalizeScope};
use gsess::ops::finalize::{apply_batch, BATCH_SESSIONS};
use serde_json::{json, Value};
use sqlx::Connection;
use std::collections::BTreeMap;

const WRITE: &str = "clinical.attendance.write";
const READ: &str = "clinical.group-session.read";
const LA: &str = "America/Los_Angeles";
const NY: &str = "America/New_York";
/// SUPERVISING assignment to M001: a supervisor row on every session M001 attends.
const DANA: &str = "1245319599";
/// A substitute, added by hand (source MANUAL).
const EVE: &str = "1234567893";

/// Two facilities in different time zones, two group types, four covered members, Dana
/// supervising M001.
fn seed(db: &TestDb) {
    db.sql(
        "INSERT INTO facility (code, name, state, timezone, npi, tax_id, address_line1, address_city,
                               address_state, address_zip) VALUES
           ('NORTH', 'North Clinic', 'OR', 'America/Los_Angeles', '1234567893', '931234567',
            '1 Main St', 'Portland', 'OR', '972011234'),
           ('EAST', 'East Clinic', 'NY', 'America/New_York', '1234567893', '931234568',
            '2 Main St', 'Albany', 'NY', '122071234');
         INSERT INTO payer (code, name, payer_id) VALUES ('ORMCD', 'Oregon Medicaid', 'ORDHS');
         INSERT INTO group_type (code, name) VALUES ('DBT', 'DBT skills'), ('SOC', 'Social skills');
         INSERT INTO member (mrn, first_name, last_name, birth_date, sex, diagnosis_codes) VALUES
           ('M001', 'Ana', 'Lopez', '2001-02-03', 'F', '{F331}'),
           ('M002', 'Ben', 'Ng', '1999-05-06', 'M', '{F331}'),
           ('M003', 'Cy', 'Oh', '1998-07-08', 'M', '{F331}'),
           ('M004', 'Di', 'Park', '1997-09-10', 'F', '{F331}');
         INSERT INTO provider (npi, first_name, last_name) VALUES
           ('1245319599', 'Dana', 'Reyes'), ('1234567893', 'Eve', 'Stone');
         INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date)
           SELECT m.id, y.id, 1, 'S' || m.mrn, '2020-01-01' FROM member m, payer y;
         INSERT INTO staff_assignment (provider_id, member_id, role)
           SELECT v.id, m.id, 'SUPERVISING' FROM provider v, member m
            WHERE v.npi = '1245319599' AND m.mrn = 'M001';",
    );
}

/// `clock` on the day `days` from today in `tz`, as a SQL timestamptz expression.
fn local(tz: &str, days: i32, clock: &str) -> String {
    format!("(((now() AT TIME ZONE '{tz}')::date + {days}) + time '{clock}') AT TIME ZONE '{tz}'")
}

/// `clock` on `date` in `tz`, as a SQL timestamptz expression.
fn on(date: &str, clock: &str, tz: &str) -> String {
    format!("(date '{date}' + time '{clock}') AT TIME ZONE '{tz}'")
}

/// A session from `starts` to `ends` (SQL expressions) with these members on its roster (their
/// SUPERVISING assignments add the supervisor rows).
fn session(
    db: &TestDb,
    facility: &str,
    group_type: &str,
    starts: &str,
    ends: &str,
    mrns: &[&str],
) -> i64 {
    let id = db.scalar::<i64>(&format!(
        "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
         SELECT f.id, t.id, {starts}, {ends}, 'ADHOC' FROM facility f, group_type t
          WHERE f.code = '{facility}' AND t.code = '{group_type}'
         RETURNING id"
    ));
    if !mrns.is_empty() {
        let list = mrns
            .iter()
            .map(|m| format!("'{m}'"))
            .collect::<Vec<_>>()
            .join(", ");
        db.sql(&format!(
            "INSERT INTO session_participant (facility_id, session_id, member_id)
             SELECT s.facility_id, s.id, m.id FROM group_session s, member m
              WHERE s.id = {id} AND m.mrn IN ({list}) ORDER BY m.mrn"
        ));
    }
    id
}

/// A session of yesterday (in its facility's time zone), 10:00–11:00: it has ended.
fn yesterday(db: &TestDb, facility: &str, mrns: &[&str]) -> i64 {
    let tz = if facility == "EAST" { NY } else { LA };
    session(
        db,
        facility,
        "DBT",
        &local(tz, -1, "10:00"),
        &local(tz, -1, "11:00"),
        mrns,
    )
}

fn add_substitute(db: &TestDb, session: i64, npi: &str) {
    db.sql(&format!(
        "INSERT INTO session_supervisor (facility_id, session_id, provider_id, source)
         SELECT s.facility_id, s.id, v.id, 'MANUAL' FROM group_session s, provider v
          WHERE s.id = {session} AND v.npi = '{npi}'"
    ));
}

/// Set a roster row (by MRN) or a supervisor row (by NPI) as the superuser.
fn set(db: &TestDb, session: i64, who: &str, status: &str) {
    db.sql(&format!(
        "UPDATE session_participant p SET status = '{status}' FROM member m
          WHERE m.id = p.member_id AND p.session_id = {session} AND m.mrn = '{who}';
         UPDATE session_supervisor x SET status = '{status}' FROM provider v
          WHERE v.id = x.provider_id AND x.session_id = {session} AND v.npi = '{who}';"
    ));
}

/// A claim for the session (on one member): the session is locked.
fn lock(db: &TestDb, session: i64, mrn: &str) {
    db.sql(&format!(
        "INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                            frequency_code, claim_control_number, amount)
         SELECT s.facility_id, s.id, m.id, c.payer_id, c.id, '1', 'CLM-{session}', 45.00
           FROM group_session s, member m JOIN coverage_policy c ON c.member_id = m.id
          WHERE s.id = {session} AND m.mrn = '{mrn}'"
    ));
}

/// Every attendance row of a session: MRN or NPI → status.
fn statuses(db: &TestDb, session: i64) -> BTreeMap<String, String> {
    db.rows(&format!(
        "SELECT m.mrn AS who, p.status FROM session_participant p JOIN member m ON m.id = p.member_id
          WHERE p.session_id = {session}
         UNION ALL
         SELECT v.npi, x.status FROM session_supervisor x JOIN provider v ON v.id = x.provider_id
          WHERE x.session_id = {session}"
    ))
    .iter()
    .map(|r| {
        (
            r["who"].as_str().unwrap().to_owned(),
            r["status"].as_str().unwrap().to_owned(),
        )
    })
    .collect()
}

fn all(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(w, s)| ((*w).to_owned(), (*s).to_owned()))
        .collect()
}

fn marks_audited(db: &TestDb) -> i64 {
    db.scalar("SELECT count(*) FROM audit_log WHERE action LIKE '%.mark'")
}

/// The outcome of one session in a finalize JSON answer.
fn outcome_of(json: &Value, session: i64) -> Value {
    json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == session)
        .unwrap_or_else(|| panic!("session {session} not in {json:#}"))
        .clone()
}

fn ids(json: &Value) -> Vec<i64> {
    json["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

fn local_date(db: &TestDb, session: i64) -> String {
    db.scalar(&format!(
        "SELECT local_date::text FROM group_session WHERE id = {session}"
    ))
}

/// A runtime of the test's own, to call the library's finalize functions directly.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(future)
}

#[test]
fn one_session_with_yes_marks_its_scheduled_roster_and_supervisor_rows_absent_and_nothing_else() {
    let db = TestDb::new();
    seed(&db);
    let s = yesterday(&db, "NORTH", &["M001", "M002", "M003"]);
    add_substitute(&db, s, EVE);
    set(&db, s, "M003", "ATTENDED");
    set(&db, s, EVE, "LATE");
    let other = yesterday(&db, "NORTH", &["M001", "M002"]);
    let writer = db.login("writer", &[WRITE]);
    let audited_before = marks_audited(&db);

    let json = db
        .gsess_as(&writer, &["finalize", &s.to_string(), "--yes", "--json"])
        .success()
        .json();

    assert_eq!(json["dry_run"], false);
    assert_eq!(ids(&json), [s]);
    let out = outcome_of(&json, s);
    assert_eq!(out["outcome"], "finalized");
    assert_eq!(out["reason"], Value::Null);
    assert_eq!(out["marked_absent"], json!(["M001", "M002", DANA]));
    assert_eq!(out["mrns"], json!(["M001", "M002"]));
    assert_eq!(out["npis"], json!([DANA]));
    assert_eq!(out["left_alone"], json!([]));
    assert_eq!(out["facility"], "NORTH");
    assert!(
        out["starts_at"].as_str().unwrap().ends_with("-08:00")
            || out["starts_at"].as_str().unwrap().ends_with("-07:00")
    );

    assert_eq!(
        statuses(&db, s),
        all(&[
            ("M001", "ABSENT"),
            ("M002", "ABSENT"),
            ("M003", "ATTENDED"),
            (DANA, "ABSENT"),
            (EVE, "LATE"),
        ])
    );
    assert_eq!(
        statuses(&db, other),
        all(&[
            ("M001", "SCHEDULED"),
            ("M002", "SCHEDULED"),
            (DANA, "SCHEDULED")
        ])
    );

    // The audit log has the writer's login for exactly these three changes.
    let entries = db.rows(&format!(
        "SELECT actor, action, reason, before->>'status' AS before, after->>'status' AS after
           FROM audit_log WHERE action LIKE '%.mark' AND session_id = {s} AND actor = '{writer}'
          ORDER BY id"
    ));
    assert_eq!(entries.len(), 3, "{entries:#?}");
    for entry in &entries {
        assert_eq!(entry["before"], "SCHEDULED");
        assert_eq!(entry["after"], "ABSENT");
        assert_eq!(entry["reason"], "gsess finalize");
    }
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == "roster.mark").count(), 2);
    assert_eq!(
        actions.iter().filter(|a| **a == "supervisor.mark").count(),
        1
    );
    assert_eq!(marks_audited(&db), audited_before + 3);
}

#[test]
fn without_yes_and_without_a_terminal_it_exits_7_and_changes_nothing() {
    let db = TestDb::new();
    seed(&db);
    let s = yesterday(&db, "NORTH", &["M001", "M002"]);
    let writer = db.login("writer", &[WRITE]);
    let before = statuses(&db, s);
    let audited = marks_audited(&db);

    let run = db.gsess_as(&writer, &["finalize", &s.to_string()]);
    run.code(7)
        .stderr_contains("Mark 3 rows ABSENT in 1 sessions?")
        .stderr_contains("--yes")
        // The plan was shown before the question.
        .stderr_contains("ABSENT ← M001, M002; supervisor(s) 1245319599");
    assert!(run.stdout.is_empty(), "{run:?}");

    let run = db.gsess_as(&writer, &["finalize", &s.to_string(), "--json"]);
    run.code(7);
    assert_eq!(run.json_error()["error"]["code"], "CONFIRMATION_REQUIRED");

    assert_eq!(statuses(&db, s), before);
    assert_eq!(marks_audited(&db), audited);
}

#[test]
fn dry_run_reports_what_would_happen_and_changes_nothing() {
    let db = TestDb::new();
    seed(&db);
    let s = yesterday(&db, "NORTH", &["M001", "M002"]);
    let locked = yesterday(&db, "NORTH", &["M003"]);
    lock(&db, locked, "M003");
    let writer = db.login("writer", &[WRITE]);
    let before = statuses(&db, s);
    let audited = marks_audited(&db);

    let args = [
        "finalize",
        &s.to_string(),
        &locked.to_string(),
        "--dry-run",
        "--json",
    ];
    let json = db.gsess_as(&writer, &args).success().json();
    assert_eq!(json["dry_run"], true);
    let out = outcome_of(&json, s);
    assert_eq!(out["outcome"], "finalized");
    assert_eq!(out["marked_absent"], json!(["M001", "M002", DANA]));
    let out = outcome_of(&json, locked);
    assert_eq!(out["outcome"], "skipped");
    assert_eq!(out["reason"], "locked");
    assert_eq!(json["marked_absent_count"], 3);
    assert_eq!(json["skipped_count"], 1);

    // For people: the plan on stderr, a table on stdout.
    let run = db.gsess_as(&writer, &args[..4]);
    run.success()
        .stderr_contains("dry run")
        .stderr_contains("ABSENT ← M001, M002; supervisor(s) 1245319599")
        .stderr_contains("skip — locked")
        .stdout_contains("MARKED ABSENT")
        .stdout_contains("finalized")
        .stdout_contains(
            "Dry run: would mark 3 row(s) ABSENT in 1 session(s); 1 skipped. Nothing changed.",
        );

    assert_eq!(statuses(&db, s), before);
    assert_eq!(marks_audited(&db), audited);
}

#[test]
fn an_unknown_named_session_exits_3_before_anything_changes() {
    let db = TestDb::new();
    seed(&db);
    let s = yesterday(&db, "NORTH", &["M001", "M002"]);
    let writer = db.login("writer", &[WRITE]);
    let before = statuses(&db, s);

    let run = db.gsess_as(
        &writer,
        &["finalize", &s.to_string(), "999999", "--yes", "--json"],
    );
    run.code(3);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "NOT_FOUND");
    assert_eq!(error["error"]["session_ids"], json!([999999]));
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("999999"),
        "{error}"
    );

    assert_eq!(statuses(&db, s), before);
    assert_eq!(marks_audited(&db), 0);
}

#[test]
fn by_date_it_finalizes_the_home_facility_by_default_and_every_facility_with_all() {
    let db = TestDb::new();
    seed(&db);
    let day: String = db.scalar("SELECT (current_date - 3)::text");
    let next_day: String = db.scalar("SELECT (current_date - 2)::text");
    let north_dbt = session(
        &db,
        "NORTH",
        "DBT",
        &on(&day, "10:00", LA),
        &on(&day, "11:00", LA),
        &["M001", "M002"],
    );
    let north_soc = session(
        &db,
        "NORTH",
        "SOC",
        &on(&day, "14:00", LA),
        &on(&day, "15:00", LA),
        &["M003"],
    );
    // 23:30 in New York: the next day in UTC, still `day` on the facility's calendar.
    let east = session(
        &db,
        "EAST",
        "DBT",
        &on(&day, "23:00", NY),
        &on(&day, "23:50", NY),
        &["M001", "M004"],
    );
    let north_next = session(
        &db,
        "NORTH",
        "DBT",
        &on(&next_day, "10:00", LA),
        &on(&next_day, "11:00", LA),
        &["M002"],
    );

    let alice = db.login("alice", &[WRITE]);
    db.sql(&format!(
        "INSERT INTO app_user (login, name, home_facility_id)
         SELECT '{alice}', 'Alice Chen', id FROM facility WHERE code = 'NORTH'"
    ));

    // Default: Alice's home facility only.
    let json = db
        .gsess_as(&alice, &["finalize", "--date", &day, "--yes", "--json"])
        .success()
        .json();
    assert_eq!(ids(&json), [north_dbt, north_soc]);
    assert_eq!(
        outcome_of(&json, north_dbt)["marked_absent"],
        json!(["M001", "M002", DANA])
    );
    assert_eq!(
        outcome_of(&json, north_soc)["marked_absent"],
        json!(["M003"])
    );
    assert_eq!(
        statuses(&db, east),
        all(&[
            ("M001", "SCHEDULED"),
            ("M004", "SCHEDULED"),
            (DANA, "SCHEDULED")
        ])
    );

    // `all`: East too; North's sessions are done already (finalized, nothing left).
    let json = db
        .gsess_as(
            &alice,
            &[
                "finalize",
                "--date",
                &day,
                "--facility",
                "all",
                "--yes",
                "--json",
            ],
        )
        .success()
        .json();
    assert_eq!(ids(&json), [north_dbt, north_soc, east]);
    let done = outcome_of(&json, north_dbt);
    assert_eq!(done["outcome"], "finalized");
    assert_eq!(done["marked_absent"], json!([]));
    assert_eq!(done["detail"], "nothing was SCHEDULED");
    assert_eq!(
        outcome_of(&json, east)["marked_absent"],
        json!(["M001", "M004", DANA])
    );
    assert_eq!(
        statuses(&db, east),
        all(&[("M001", "ABSENT"), ("M004", "ABSENT"), (DANA, "ABSENT")])
    );
    // Another day is never touched.
    assert_eq!(statuses(&db, north_next), all(&[("M002", "SCHEDULED")]));
}

#[test]
fn by_date_a_facility_and_a_group_type_narrow_it_and_unknown_codes_exit_3() {
    let db = TestDb::new();
    seed(&db);
    let day: String = db.scalar("SELECT (current_date - 3)::text");
    let dbt = session(
        &db,
        "NORTH",
        "DBT",
        &on(&day, "10:00", LA),
        &on(&day, "11:00", LA),
        &["M001"],
    );
    let soc = session(
        &db,
        "NORTH",
        "SOC",
        &on(&day, "14:00", LA),
        &on(&day, "15:00", LA),
        &["M003"],
    );
    let east = session(
        &db,
        "EAST",
        "SOC",
        &on(&day, "10:00", NY),
        &on(&day, "11:00", NY),
        &["M004"],
    );
    let writer = db.login("writer", &[WRITE]);

    let run = db.gsess_as(
        &writer,
        &[
            "finalize",
            "--date",
            &day,
            "--group-type",
            "NOPE",
            "--yes",
            "--json",
        ],
    );
    run.code(3);
    assert!(run.json_error()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("NOPE"));
    let run = db.gsess_as(
        &writer,
        &["finalize", "--date", &day, "--facility", "NOWHERE", "--yes"],
    );
    run.code(3).stderr_contains("NOWHERE");
    assert_eq!(marks_audited(&db), 0);

    let json = db
        .gsess_as(
            &writer,
            &[
                "finalize",
                "--date",
                &day,
                "--facility",
                "NORTH",
                "--group-type",
                "SOC",
                "--yes",
                "--json",
            ],
        )
        .success()
        .json();
    assert_eq!(ids(&json), [soc]);
    assert_eq!(statuses(&db, soc), all(&[("M003", "ABSENT")]));
    assert_eq!(
        statuses(&db, dbt),
        all(&[("M001", "SCHEDULED"), (DANA, "SCHEDULED")])
    );
    assert_eq!(statuses(&db, east), all(&[("M004", "SCHEDULED")]));
}

#[test]
fn locked_not_started_and_not_ended_sessions_are_skipped_with_their_reasons() {
    let db = TestDb::new();
    seed(&db);
    let locked = yesterday(&db, "NORTH", &["M001", "M002"]);
    lock(&db, locked, "M001");
    let future = session(
        &db,
        "NORTH",
        "DBT",
        &local(LA, 1, "10:00"),
        &local(LA, 1, "11:00"),
        &["M002"],
    );
    let running = session(
        &db,
        "NORTH",
        "DBT",
        "now() - interval '30 minutes'",
        "now() + interval '30 minutes'",
        &["M003"],
    );
    let ended = yesterday(&db, "NORTH", &["M004"]);
    let writer = db.login("writer", &[WRITE]);
    let names: Vec<String> = [locked, future, running, ended]
        .iter()
        .map(i64::to_string)
        .collect();

    // Named: a running session may be finalized by name (the end of a roll call), not the others.
    let mut args: Vec<&str> = vec!["finalize"];
    args.extend(names.iter().map(String::as_str));
    args.extend(["--yes", "--json"]);
    let json = db.gsess_as(&writer, &args).success().json();
    assert_eq!(ids(&json), [locked, future, running, ended]);
    let out = outcome_of(&json, locked);
    assert_eq!(
        (out["outcome"].as_str(), out["reason"].as_str()),
        (Some("skipped"), Some("locked"))
    );
    assert!(
        out["detail"].as_str().unwrap().contains("force-update"),
        "{out}"
    );
    assert_eq!(out["marked_absent"], json!([]));
    let out = outcome_of(&json, future);
    assert_eq!(
        (out["outcome"].as_str(), out["reason"].as_str()),
        (Some("skipped"), Some("not started"))
    );
    assert_eq!(outcome_of(&json, running)["marked_absent"], json!(["M003"]));
    assert_eq!(outcome_of(&json, ended)["marked_absent"], json!(["M004"]));
    assert_eq!(json["skipped_count"], 2);

    assert_eq!(
        statuses(&db, locked),
        all(&[
            ("M001", "SCHEDULED"),
            ("M002", "SCHEDULED"),
            (DANA, "SCHEDULED")
        ])
    );
    assert_eq!(statuses(&db, future), all(&[("M002", "SCHEDULED")]));
    assert_eq!(statuses(&db, running), all(&[("M003", "ABSENT")]));
    assert_eq!(statuses(&db, ended), all(&[("M004", "ABSENT")]));

    // --strict: the outcome is printed, then exit 8 because something was skipped.
    let run = db.gsess_as(
        &writer,
        &[
            "finalize", &names[0], &names[1], &names[3], "--yes", "--json", "--strict",
        ],
    );
    run.code(8);
    let json = run.json();
    assert_eq!(outcome_of(&json, locked)["reason"], "locked");
    assert_eq!(outcome_of(&json, ended)["outcome"], "finalized");
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "BLOCKING_ISSUES");
    assert_eq!(
        error["error"]["skipped_session_ids"],
        json!([locked, future])
    );
    // …and with --dry-run too, so a cron check can ask first.
    db.gsess_as(&writer, &["finalize", &names[0], "--dry-run", "--strict"])
        .code(8);
    // Nothing skipped: --strict exits 0 (nothing left to mark needs no confirmation either).
    let json = db
        .gsess_as(&writer, &["finalize", &names[3], "--strict", "--json"])
        .success()
        .json();
    assert_eq!(outcome_of(&json, ended)["outcome"], "finalized");
    assert_eq!(outcome_of(&json, ended)["marked_absent"], json!([]));

    // By date, a session still running is not marked (a UTC cron must not end a Pacific
    // session early), and one not started yet is reported as such.
    let running_east = session(
        &db,
        "EAST",
        "SOC",
        "now() - interval '30 minutes'",
        "now() + interval '30 minutes'",
        &["M001", "M004"],
    );
    let day = local_date(&db, running_east);
    let json = db
        .gsess_as(
            &writer,
            &[
                "finalize",
                "--date",
                &day,
                "--facility",
                "EAST",
                "--yes",
                "--json",
                "--strict",
            ],
        )
        .code(8)
        .json();
    let out = outcome_of(&json, running_east);
    assert_eq!(
        (out["outcome"].as_str(), out["reason"].as_str()),
        (Some("skipped"), Some("not ended"))
    );
    assert!(
        out["detail"].as_str().unwrap().contains("still running"),
        "{out}"
    );
    assert_eq!(
        statuses(&db, running_east),
        all(&[
            ("M001", "SCHEDULED"),
            ("M004", "SCHEDULED"),
            (DANA, "SCHEDULED")
        ])
    );

    let day = local_date(&db, future);
    let json = db
        .gsess_as(
            &writer,
            &[
                "finalize",
                "--date",
                &day,
                "--facility",
                "NORTH",
                "--yes",
                "--json",
            ],
        )
        .success()
        .json();
    assert_eq!(ids(&json), [future]);
    assert_eq!(outcome_of(&json, future)["reason"], "not started");
    assert_eq!(statuses(&db, future), all(&[("M002", "SCHEDULED")]));
}

#[test]
fn a_row_marked_between_the_dry_run_and_the_run_is_left_alone() {
    let db = TestDb::new();
    seed(&db);
    let s = yesterday(&db, "NORTH", &["M001", "M002"]);
    let writer = db.login("writer", &[WRITE]);
    let id = s.to_string();

    let json = db
        .gsess_as(&writer, &["finalize", &id, "--dry-run", "--json"])
        .success()
        .json();
    assert_eq!(
        outcome_of(&json, s)["marked_absent"],
        json!(["M001", "M002", DANA])
    );

    set(&db, s, "M002", "ATTENDED");

    let json = db
        .gsess_as(&writer, &["finalize", &id, "--yes", "--json"])
        .success()
        .json();
    assert_eq!(outcome_of(&json, s)["marked_absent"], json!(["M001", DANA]));
    assert_eq!(
        statuses(&db, s),
        all(&[("M001", "ABSENT"), ("M002", "ATTENDED"), (DANA, "ABSENT")])
    );
}

/// The apply itself, between a plan and its apply: a row marked meanwhile is not touched nor
/// reported, a session claimed meanwhile is reported locked and left alone, and row ids of a
/// session outside the batch are never touched.
#[test]
fn the_apply_touches_only_listed_rows_still_scheduled_on_sessions_still_unlocked() {
    let db = TestDb::new();
    seed(&db);
    let s = yesterday(&db, "NORTH", &["M001", "M002"]);
    let claimed = yesterday(&db, "NORTH", &["M003"]);
    let outside = yesterday(&db, "NORTH", &["M004"]);
    let writer = db.login("writer", &[WRITE]);
    let url = db.url_as(&writer);

    let connect = || async {
        sqlx::PgConnection::connect(&url)
            .await
            .expect("connect as the writer")
    };
    let rows = block_on(async {
        let mut conn = connect().await;
        let rows = plan(
            &mut conn,
            &FinalizeScope::Sessions(vec![s, claimed, outside]),
        )
        .await
        .expect("plan");
        conn.close().await.expect("close");
        rows
    });
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].roster_mrns, ["M001", "M002"]);
    assert_eq!(rows[0].supervisor_npis, [DANA]);

    // Meanwhile: someone marks M002, a claim is built for `claimed`.
    set(&db, s, "M002", "ATTENDED");
    lock(&db, claimed, "M003");

    let outcome = block_on(async {
        let mut conn = connect().await;
        let roster: Vec<i64> = rows.iter().flat_map(|r| r.roster_ids.clone()).collect();
        let supervisors: Vec<i64> = rows.iter().flat_map(|r| r.supervisor_ids.clone()).collect();
        // `outside` is not in the batch: its listed row id must not be touched.
        let outcome = apply_batch(&mut conn, &[s, claimed], &roster, &supervisors)
            .await
            .expect("apply");
        conn.close().await.expect("close");
        outcome
    });
    assert_eq!(outcome.roster, [(s, rows[0].roster_ids[0])]);
    assert_eq!(outcome.supervisors, [(s, rows[0].supervisor_ids[0])]);
    assert_eq!(outcome.locked, [claimed]);
    assert!(outcome.missing.is_empty());

    assert_eq!(
        statuses(&db, s),
        all(&[("M001", "ABSENT"), ("M002", "ATTENDED"), (DANA, "ABSENT")])
    );
    assert_eq!(statuses(&db, claimed), all(&[("M003", "SCHEDULED")]));
    assert_eq!(statuses(&db, outside), all(&[("M004", "SCHEDULED")]));
}

#[test]
fn without_the_write_scope_it_exits_6_and_changes_nothing() {
    let db = TestDb::new();
    seed(&db);
    let s = yesterday(&db, "NORTH", &["M001"]);
    let reader = db.login("reader", &[READ]);
    let before = statuses(&db, s);

    let run = db.gsess_as(&reader, &["finalize", &s.to_string(), "--yes", "--json"]);
    run.code(6);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "FORBIDDEN");
    assert_eq!(error["error"]["missing_scope"], WRITE);
    assert_eq!(statuses(&db, s), before);
}

/// `n` ended sessions (yesterday-ish, one facility) of 3 roster rows and a supervisor each,
/// finalized by date as a writer; returns the statements gsess executed.
fn finalize_in_bulk(n: usize) -> i64 {
    let db = TestDb::new();
    seed(&db);
    let day: String = db.scalar("SELECT (current_date - 2)::text");
    db.sql(&format!(
        "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
         SELECT f.id, t.id, {}, {}, 'FEED'
           FROM facility f, group_type t, generate_series(1, {n})
          WHERE f.code = 'NORTH' AND t.code = 'DBT';
         INSERT INTO session_participant (facility_id, session_id, member_id)
         SELECT s.facility_id, s.id, m.id FROM group_session s, member m
          WHERE m.mrn IN ('M001', 'M002', 'M003');",
        on(&day, "10:00", LA),
        on(&day, "11:00", LA)
    ));
    let scheduled: i64 = db.scalar(
        "SELECT (SELECT count(*) FROM session_participant WHERE status = 'SCHEDULED')
              + (SELECT count(*) FROM session_supervisor WHERE status = 'SCHEDULED')",
    );
    assert_eq!(scheduled, 4 * n as i64);
    let writer = db.login("writer", &[WRITE]);

    db.reset_statement_counts();
    let run = db.gsess_as(
        &writer,
        &[
            "finalize",
            "--date",
            &day,
            "--facility",
            "all",
            "--yes",
            "--json",
        ],
    );
    let statements = db.statements_executed_by(&writer);
    let json = run.success().json();
    assert_eq!(json["sessions"].as_array().unwrap().len(), n);
    assert_eq!(json["finalized_count"], n);
    assert_eq!(json["marked_absent_count"], 4 * n);
    assert!(
        !run.stderr.contains(&format!("/{n} sessions")),
        "no progress bar in a pipe"
    );

    let left: i64 = db.scalar(
        "SELECT (SELECT count(*) FROM session_participant WHERE status <> 'ABSENT')
              + (SELECT count(*) FROM session_supervisor WHERE status <> 'ABSENT')",
    );
    assert_eq!(left, 0);
    let audited: i64 = db.scalar(&format!(
        "SELECT count(*) FROM audit_log WHERE action LIKE '%.mark' AND actor = '{writer}'"
    ));
    assert_eq!(audited, 4 * n as i64);
    eprintln!(
        "finalize of {n} sessions ({} rows): {statements} statements\n{}",
        4 * n,
        db.statements_listing(&writer)
    );
    statements
}

#[test]
fn finalizing_in_bulk_takes_a_bounded_number_of_statements() {
    let batches = |n: usize| n.div_ceil(BATCH_SESSIONS) as i64;
    let small = finalize_in_bulk(100);
    let large = finalize_in_bulk(1000);
    eprintln!(
        "statements executed by gsess finalize: 100 sessions → {small}, 1,000 sessions → {large} \
         (batches of {BATCH_SESSIONS} sessions: {} vs {})",
        batches(100),
        batches(1000)
    );
    // A handful for the set-up (migration gate, scope, plan), then BEGIN, the audit reason,
    // one UPDATE and COMMIT per batch: ten times the sessions adds only the extra batch.
    let per_batch = 4;
    assert!(
        small <= 10 + per_batch,
        "100 sessions took {small} statements"
    );
    assert!(
        large <= small + per_batch * (batches(1000) - batches(100)),
        "1,000 sessions took {large} statements, 100 took {small}"
    );
}

/// The race the confirmation opens: a billing run builds a claim after the plan was read and
/// before the apply. The attendance trigger waits for the session-row lock, sees the claim and
/// refuses the statement (GS423); finalize retries the batch with a fresh snapshot, which
/// reports that session as locked and still finalizes the others.
#[test]
fn a_claim_built_during_the_apply_leaves_that_session_alone_and_reports_it_locked() {
    let db = TestDb::new();
    seed(&db);
    let claimed = yesterday(&db, "NORTH", &["M001", "M002"]);
    let other = yesterday(&db, "NORTH", &["M003"]);
    let writer = db.login("writer", &[WRITE]);
    let (a, b) = (claimed.to_string(), other.to_string());

    // As the claim build does: lock the session row, write the claim, commit later.
    let claim_build = format!(
        "SELECT 1 FROM group_session WHERE id = {claimed} FOR UPDATE;
         INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                            frequency_code, claim_control_number, amount)
         SELECT s.facility_id, s.id, m.id, c.payer_id, c.id, '1', 'CLM-RACE', 45.00
           FROM group_session s, member m JOIN coverage_policy c ON c.member_id = m.id
          WHERE s.id = {claimed} AND m.mrn = 'M001';"
    );
    let pending = db.holding(&claim_build, || {
        let pending = db.spawn_gsess_as(&writer, &["finalize", &a, &b, "--yes", "--json"]);
        // The apply's trigger is waiting for the session row the claim build holds.
        db.wait_for_gsess_lock_waiters(1);
        pending
    });
    let run = pending.finish();
    let json = run.success().json();

    let out = outcome_of(&json, claimed);
    assert_eq!(out["outcome"], "skipped", "{json:#}");
    assert_eq!(out["reason"], "locked");
    assert!(
        out["detail"].as_str().unwrap().contains("after the plan"),
        "{out}"
    );
    assert_eq!(out["marked_absent"], json!([]));
    assert_eq!(outcome_of(&json, other)["marked_absent"], json!(["M003"]));

    assert_eq!(
        statuses(&db, claimed),
        all(&[
            ("M001", "SCHEDULED"),
            ("M002", "SCHEDULED"),
            (DANA, "SCHEDULED")
        ])
    );
    assert_eq!(statuses(&db, other), all(&[("M003", "ABSENT")]));
}
