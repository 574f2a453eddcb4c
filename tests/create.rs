//! `gsess create` against real PostgreSQL: an ad-hoc session with its roster in order, times read in the facility's zone (both coasts, DST gap and overlap refused), refusals that create nothing, scopes, derived supervisors, and the `session.create` audit entry (every inserted session, imports included).

mod common;

use common::{Run, TestDb};
use serde_json::{json, Value};

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const DANA: &str = "1245319599";
const LEE: &str = "1679576722";

/// NORTH in Los Angeles time, EAST in New York time; DBT and SOC; Dana supervises M001 (from
/// 2026-01-01); Lee is M002's RENDERING provider (not a supervisor) and supervised M003 only
/// in the first half of 2026.
fn reference(sessions: Value) -> Value {
    let member = |mrn: &str, first: &str, last: &str| {
        json!({"mrn": mrn, "first_name": first, "last_name": last, "birth_date": "2000-01-01",
               "sex": "M"})
    };
    json!({
        "facilities": [
            {"code": "NORTH", "name": "North Clinic", "state": "OR", "timezone": "America/Los_Angeles",
             "npi": "1234567893", "tax_id": "931234567",
             "address": {"line1": "1 Main St", "city": "Portland", "state": "OR", "zip": "972011234"}},
            {"code": "EAST", "name": "East Clinic", "state": "NY", "timezone": "America/New_York",
             "npi": "9876543213", "tax_id": "131234567",
             "address": {"line1": "9 Broad St", "city": "Albany", "state": "NY", "zip": "122071234"}}
        ],
        "group_types": [
            {"code": "DBT", "name": "DBT skills group"},
            {"code": "SOC", "name": "Social skills group"}
        ],
        "providers": [
            {"npi": DANA, "first_name": "Dana", "last_name": "Reyes"},
            {"npi": LEE, "first_name": "Lee", "last_name": "Park"}
        ],
        "members": [
            member("M001", "Ana", "Lopez"),
            member("M002", "Ben", "Ng"),
            member("M003", "Cy", "Oh")
        ],
        "staff_assignments": [
            {"provider": DANA, "member": "M001", "role": "SUPERVISING", "start": "2026-01-01", "end": null},
            {"provider": LEE, "member": "M002", "role": "RENDERING", "start": "2026-01-01", "end": null},
            {"provider": LEE, "member": "M003", "role": "SUPERVISING", "start": "2026-01-01", "end": "2026-06-30"}
        ],
        "sessions": sessions
    })
}

fn seeded() -> TestDb {
    let db = TestDb::new();
    db.gsess_stdin(&["import", "-"], &reference(json!([])).to_string())
        .success();
    db
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.scalar(&format!("SELECT count(*) FROM ({sql}) q"))
}

/// `gsess create --json` as `login` (the superuser when `None`).
fn create(db: &TestDb, login: Option<&str>, args: &[&str]) -> Run {
    let mut all = vec!["create", "--json"];
    all.extend_from_slice(args);
    match login {
        Some(login) => db.gsess_as(login, &all),
        None => db.gsess(&all),
    }
}

fn at_north(start: &str, end: &str, members: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "--facility",
        "NORTH",
        "--group-type",
        "DBT",
        "--start",
        start,
        "--end",
        end,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for mrn in members {
        args.push("--member".into());
        args.push(mrn.to_string());
    }
    args
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Nothing was written: no session, no roster row, no audit entry.
#[track_caller]
fn nothing_created(db: &TestDb) {
    assert_eq!(count(db, "SELECT 1 FROM group_session"), 0, "a session");
    assert_eq!(
        count(db, "SELECT 1 FROM session_participant"),
        0,
        "a roster row"
    );
    assert_eq!(
        count(db, "SELECT 1 FROM audit_log WHERE action <> 'import'"),
        0,
        "an audit entry"
    );
}

/// The JSON error of an exit-10 refusal; its field and message.
#[track_caller]
fn invalid(run: &Run, field: &str) -> String {
    run.code(10);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "INVALID_INPUT");
    assert_eq!(error["error"]["field"], field, "{error}");
    let message = error["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.starts_with(&format!("{field}: ")), "{message}");
    message
}

// ----------------------------------------------------------------------------------------

#[test]
fn a_session_is_created_adhoc_with_its_roster_in_order_supervisors_and_an_audit_entry() {
    let db = seeded();
    let writer = db.login("writer", &[WRITE]);
    let args = at_north(
        "2026-11-27T14:00:00-08:00",
        "2026-11-27T15:30:00-08:00",
        &["M003", "M001", "M002"],
    );
    let created = create(&db, Some(&writer), &strs(&args)).success().json();

    let id = created["id"].as_i64().expect("an id");
    assert_eq!(
        created,
        json!({
            "id": id,
            "external_id": null,
            "date": "2026-11-27",
            "starts_at": "2026-11-27T14:00:00-08:00",
            "ends_at": "2026-11-27T15:30:00-08:00",
            "facility": "NORTH",
            "group_type": "DBT",
            "supervisors": ["Dana Reyes"],
            "roster_size": 3,
            "attendance": {"scheduled": 3, "attended": 0, "late": 0, "absent": 0},
            "status": "OPEN"
        })
    );

    let stored = &db.rows(&format!(
        "SELECT source, local_date::text, starts_at = '2026-11-27T22:00:00Z' AS utc_ok
           FROM group_session WHERE id = {id}"
    ))[0];
    assert_eq!(stored["source"], "ADHOC");
    assert_eq!(stored["local_date"], "2026-11-27");
    assert_eq!(stored["utc_ok"], true);
    // Roster rows in the order given (row ids follow it).
    let roster: Vec<Value> = db
        .rows(&format!(
            "SELECT m.mrn FROM session_participant p JOIN member m ON m.id = p.member_id
              WHERE p.session_id = {id} ORDER BY p.id"
        ))
        .into_iter()
        .map(|r| r["mrn"].clone())
        .collect();
    assert_eq!(roster, [json!("M003"), json!("M001"), json!("M002")]);

    // One `session.create` entry by the writer's login, with the row as written.
    let entries = db.rows(&format!(
        "SELECT actor, facility_id = (SELECT id FROM facility WHERE code = 'NORTH') AS facility_ok,
                after->>'source' AS source, (after->>'id')::bigint AS after_id,
                after->>'local_date' AS local_date, before
           FROM audit_log WHERE action = 'session.create' AND session_id = {id}"
    ));
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["actor"], writer.as_str());
    assert_eq!(entries[0]["facility_ok"], true);
    assert_eq!(entries[0]["source"], "ADHOC");
    assert_eq!(entries[0]["after_id"], id);
    assert_eq!(entries[0]["local_date"], "2026-11-27");
    assert_eq!(entries[0]["before"], Value::Null);
    // The roster rows are audited by the attendance triggers, by the same login.
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT 1 FROM audit_log WHERE action = 'roster.add' AND session_id = {id}
                    AND actor = '{writer}'"
            )
        ),
        3
    );

    // `show` and `list` see the same session.
    let shown = db
        .gsess(&["show", &id.to_string(), "--json"])
        .success()
        .json();
    assert_eq!(shown["session"], created);
    let listed = db
        .gsess(&[
            "list",
            "--json",
            "--date",
            "2026-11-27",
            "--facility",
            "NORTH",
        ])
        .success()
        .json();
    assert_eq!(listed, json!([created]));
}

#[test]
fn people_are_told_what_was_created() {
    let db = seeded();
    let args = at_north("2026-11-27 14:00", "2026-11-27 15:30", &["M001"]);
    let mut all = vec!["create"];
    all.extend(strs(&args));
    let run = db.gsess(&all);
    run.success()
        .stdout_contains("Created session")
        .stdout_contains("14:00–15:30")
        .stdout_contains("Dana Reyes")
        .stdout_contains("1 scheduled");
}

#[test]
fn times_without_an_offset_are_read_in_the_facilitys_zone_on_both_coasts() {
    let db = seeded();
    let cases = [
        // (facility, start, end, starts_at shown, UTC start, local date)
        (
            "NORTH",
            "2026-11-27 14:00",
            "2026-11-27 15:30",
            "2026-11-27T14:00:00-08:00",
            "2026-11-27T22:00:00Z",
            "2026-11-27",
        ),
        (
            "EAST",
            "2026-11-27 14:00",
            "2026-11-27 15:30",
            "2026-11-27T14:00:00-05:00",
            "2026-11-27T19:00:00Z",
            "2026-11-27",
        ),
        (
            "NORTH",
            "2026-07-01 09:00",
            "2026-07-01 10:00",
            "2026-07-01T09:00:00-07:00",
            "2026-07-01T16:00:00Z",
            "2026-07-01",
        ),
        (
            "EAST",
            "2026-07-01 09:00",
            "2026-07-01 10:00",
            "2026-07-01T09:00:00-04:00",
            "2026-07-01T13:00:00Z",
            "2026-07-01",
        ),
        // Late in Los Angeles is tomorrow in UTC; the session's date stays the local one.
        (
            "NORTH",
            "2026-11-27 22:30",
            "2026-11-27 23:30",
            "2026-11-27T22:30:00-08:00",
            "2026-11-28T06:30:00Z",
            "2026-11-27",
        ),
        // Just after midnight in New York is still yesterday in Los Angeles.
        (
            "EAST",
            "2026-11-28 00:30",
            "2026-11-28 01:30",
            "2026-11-28T00:30:00-05:00",
            "2026-11-28T05:30:00Z",
            "2026-11-28",
        ),
        // An RFC 3339 time in another offset is the same instant, shown in the facility's.
        (
            "EAST",
            "2026-11-27T11:00:00-08:00",
            "2026-11-27T15:00:00-05:00",
            "2026-11-27T14:00:00-05:00",
            "2026-11-27T19:00:00Z",
            "2026-11-27",
        ),
    ];
    for (facility, start, end, shown, utc, date) in cases {
        let run = create(
            &db,
            None,
            &[
                "--facility",
                facility,
                "--group-type",
                "SOC",
                "--start",
                start,
                "--end",
                end,
            ],
        );
        let json = run.success().json();
        assert_eq!(json["starts_at"], shown, "{facility} {start}");
        assert_eq!(json["date"], date, "{facility} {start}");
        let id = json["id"].as_i64().unwrap();
        let stored = &db.rows(&format!(
            "SELECT starts_at = '{utc}'::timestamptz AS same, local_date::text
               FROM group_session WHERE id = {id}"
        ))[0];
        assert_eq!(stored["same"], true, "{facility} {start} is not {utc}");
        assert_eq!(stored["local_date"], date);
    }
}

#[test]
fn a_time_in_the_spring_forward_gap_is_refused_naming_both_readings() {
    let db = seeded();
    let args = at_north("2026-03-08 02:30", "2026-03-08 04:00", &["M001"]);
    let run = create(&db, None, &strs(&args));
    let message = invalid(&run, "--start");
    for needle in [
        "2026-03-08 02:30 does not exist in America/Los_Angeles",
        "the clock jumps to 03:00",
        "2026-03-08T03:30:00-07:00",
        "2026-03-08T01:30:00-08:00",
    ] {
        assert!(message.contains(needle), "{needle:?} not in {message}");
    }
    assert_eq!(
        run.json_error()["error"]["readings"],
        json!(["2026-03-08T03:30:00-07:00", "2026-03-08T01:30:00-08:00"])
    );
    nothing_created(&db);

    // The end in New York's gap: the field named is --end.
    let run = create(
        &db,
        None,
        &[
            "--facility",
            "EAST",
            "--group-type",
            "DBT",
            "--start",
            "2026-03-08 01:00",
            "--end",
            "2026-03-08 02:15",
        ],
    );
    let message = invalid(&run, "--end");
    assert!(
        message.contains("does not exist in America/New_York"),
        "{message}"
    );
    assert!(message.contains("2026-03-08T03:15:00-04:00"), "{message}");
    assert!(message.contains("2026-03-08T01:15:00-05:00"), "{message}");
    nothing_created(&db);
}

#[test]
fn an_ambiguous_time_is_refused_naming_both_utc_offsets() {
    let db = seeded();
    let args = at_north("2026-11-01 01:30", "2026-11-01 03:00", &["M001"]);
    let run = create(&db, None, &strs(&args));
    let message = invalid(&run, "--start");
    for needle in [
        "2026-11-01 01:30 is ambiguous in America/Los_Angeles",
        "UTC offset -07:00",
        "UTC offset -08:00",
    ] {
        assert!(message.contains(needle), "{needle:?} not in {message}");
    }
    assert_eq!(
        run.json_error()["error"]["readings"],
        json!(["2026-11-01T01:30:00-07:00", "2026-11-01T01:30:00-08:00"])
    );
    nothing_created(&db);

    let run = create(
        &db,
        None,
        &[
            "--facility",
            "EAST",
            "--group-type",
            "DBT",
            "--start",
            "2026-11-01 00:30",
            "--end",
            "2026-11-01 01:30",
        ],
    );
    let message = invalid(&run, "--end");
    assert!(
        message.contains("-04:00") && message.contains("-05:00"),
        "{message}"
    );
    nothing_created(&db);

    // Given with its offset, the same wall-clock time is accepted.
    let args = at_north(
        "2026-11-01T01:30:00-08:00",
        "2026-11-01T02:30:00-08:00",
        &["M001"],
    );
    let json = create(&db, None, &strs(&args)).success().json();
    assert_eq!(json["starts_at"], "2026-11-01T01:30:00-08:00");
}

#[test]
fn unparseable_times_and_an_end_not_after_the_start_exit_10() {
    let db = seeded();
    for (start, end, field) in [
        ("tomorrow 3pm", "2026-11-27 15:00", "--start"),
        ("2026-11-27 14:00", "15:00", "--end"),
        ("2026-11-27", "2026-11-27 15:00", "--start"),
        ("2026-02-30 14:00", "2026-03-01 15:00", "--start"),
    ] {
        let args = at_north(start, end, &["M001"]);
        let message = invalid(&create(&db, None, &strs(&args)), field);
        assert!(message.contains("is not a time"), "{message}");
    }
    for (start, end) in [
        ("2026-11-27 14:00", "2026-11-27 14:00"),
        ("2026-11-27 14:00", "2026-11-27 13:59"),
        // 15:00 in New York is 12:00 in Los Angeles: before the start.
        ("2026-11-27 14:00", "2026-11-27T15:00:00-05:00"),
    ] {
        let args = at_north(start, end, &["M001"]);
        let message = invalid(&create(&db, None, &strs(&args)), "--end");
        assert!(message.contains("is not after --start"), "{message}");
    }
    nothing_created(&db);
}

#[test]
fn unknown_facility_group_type_or_member_exits_3_naming_it_and_creates_nothing() {
    let db = seeded();
    let base = |facility: &str, group_type: &str| {
        vec![
            "--facility".to_owned(),
            facility.to_owned(),
            "--group-type".to_owned(),
            group_type.to_owned(),
            "--start".to_owned(),
            "2026-11-27 14:00".to_owned(),
            "--end".to_owned(),
            "2026-11-27 15:00".to_owned(),
        ]
    };
    let run = create(&db, None, &strs(&base("SOUTH", "DBT")));
    run.code(3).stderr_contains("no facility SOUTH");
    assert_eq!(run.json_error()["error"]["facility"], "SOUTH");

    let run = create(&db, None, &strs(&base("NORTH", "YOGA")));
    run.code(3).stderr_contains("no group type YOGA");
    assert_eq!(run.json_error()["error"]["code"], "NOT_FOUND");

    let mut args = base("NORTH", "DBT");
    for mrn in ["M001", "M999", "M002"] {
        args.extend(["--member".to_owned(), mrn.to_owned()]);
    }
    let run = create(&db, None, &strs(&args));
    run.code(3).stderr_contains("no member M999");
    assert_eq!(run.json_error()["error"]["members"], json!(["M999"]));
    nothing_created(&db);
}

#[test]
fn a_member_named_twice_exits_10() {
    let db = seeded();
    let args = at_north(
        "2026-11-27 14:00",
        "2026-11-27 15:00",
        &["M001", "M002", "M001"],
    );
    let run = create(&db, None, &strs(&args));
    let message = invalid(&run, "--member");
    assert!(
        message.contains("M001 is named more than once"),
        "{message}"
    );
    nothing_created(&db);
}

#[test]
fn a_login_without_the_write_scope_exits_6_and_the_database_refuses_it_too() {
    let db = seeded();
    let reader = db.login("reader", &[READ]);
    let args = at_north("2026-11-27 14:00", "2026-11-27 15:00", &["M001"]);
    let run = create(&db, Some(&reader), &strs(&args));
    run.code(6);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "FORBIDDEN");
    assert_eq!(error["error"]["missing_scope"], WRITE);
    nothing_created(&db);
    // The grant, not gsess, is what protects the table.
    let refused = db
        .sql_as(
            &reader,
            "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
             VALUES (1, 1, now(), now() + interval '1 hour', 'ADHOC')",
        )
        .expect_err("a reader cannot insert a session");
    assert_eq!(refused.sqlstate, "42501");
    nothing_created(&db);
}

#[test]
fn supervisors_are_derived_from_supervising_assignments_active_on_the_session_date() {
    let db = seeded();
    // November: Dana (M001's SUPERVISING); Lee renders for M002 and his supervision of M003
    // ended in June.
    let args = at_north(
        "2026-11-27 14:00",
        "2026-11-27 15:00",
        &["M001", "M002", "M003"],
    );
    let november = create(&db, None, &strs(&args)).success().json();
    assert_eq!(november["supervisors"], json!(["Dana Reyes"]));
    let shown = db
        .gsess(&["show", &november["id"].to_string(), "--json"])
        .success()
        .json();
    assert_eq!(shown["supervisors"].as_array().unwrap().len(), 1);
    assert_eq!(shown["supervisors"][0]["npi"], DANA);
    assert_eq!(shown["supervisors"][0]["source"], "ASSIGNMENT");
    assert_eq!(shown["supervisors"][0]["status"], "SCHEDULED");

    // May: Lee still supervised M003.
    let args = at_north("2026-05-04 14:00", "2026-05-04 15:00", &["M001", "M003"]);
    let may = create(&db, None, &strs(&args)).success().json();
    assert_eq!(may["supervisors"], json!(["Dana Reyes", "Lee Park"]));
    let shown = db
        .gsess(&["show", &may["id"].to_string(), "--json"])
        .success()
        .json();
    let npis: Vec<&str> = shown["supervisors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["npi"].as_str().unwrap())
        .collect();
    assert_eq!(npis, [DANA, LEE]);
}

#[test]
fn a_session_without_members_is_ready_with_no_supervisors() {
    let db = seeded();
    let args = at_north("2026-11-27 14:00", "2026-11-27 15:00", &[]);
    let json = create(&db, None, &strs(&args)).success().json();
    assert_eq!(json["roster_size"], 0);
    assert_eq!(json["supervisors"], json!([]));
    assert_eq!(json["status"], "READY");
    assert_eq!(count(&db, "SELECT 1 FROM group_session"), 1);
    assert_eq!(
        count(
            &db,
            "SELECT 1 FROM audit_log WHERE action = 'session.create'"
        ),
        1
    );
}

#[test]
fn every_inserted_session_is_audited_imports_and_hand_written_inserts_too() {
    let db = TestDb::new();
    let admin = db.login("admin", &["gsess.admin"]);
    let session = |external_id: &str, clock: &str| {
        json!({"external_id": external_id, "facility": "NORTH", "group_type": "DBT",
               "starts_at": format!("2026-11-27T{clock}:00-08:00"),
               "ends_at": format!("2026-11-27T{}:45:00-08:00", &clock[..2]),
               "participants": ["M001"]})
    };
    let document = reference(json!([
        session("F-1", "09:00"),
        session("F-2", "10:00"),
        session("F-3", "11:00")
    ]));
    let run = common::gsess_with(
        &[("DATABASE_URL", &db.url_as(&admin))],
        &["import", "-"],
        Some(&document.to_string()),
    );
    run.success();
    let entries = db.rows(
        "SELECT a.actor, a.after->>'external_id' AS external_id, a.after->>'source' AS source,
                a.session_id = s.id AS linked
           FROM audit_log a JOIN group_session s ON s.id = a.session_id
          WHERE a.action = 'session.create' ORDER BY a.id",
    );
    assert_eq!(entries.len(), 3, "{entries:#?}");
    for (entry, external_id) in entries.iter().zip(["F-1", "F-2", "F-3"]) {
        assert_eq!(entry["actor"], admin.as_str());
        assert_eq!(entry["external_id"], external_id);
        assert_eq!(entry["source"], "FEED");
        assert_eq!(entry["linked"], true);
    }
    // A re-import inserts no session, so it audits no creation.
    common::gsess_with(
        &[("DATABASE_URL", &db.url_as(&admin))],
        &["import", "-"],
        Some(&document.to_string()),
    )
    .success();
    assert_eq!(
        count(
            &db,
            "SELECT 1 FROM audit_log WHERE action = 'session.create'"
        ),
        3
    );
    // A hand-written multi-row INSERT (psql, a feed job): one entry per session, in one go.
    db.sql(
        "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
         SELECT 1, 1, t, t + interval '1 hour', 'FEED'
           FROM generate_series(timestamptz '2026-12-01 09:00-08', timestamptz '2026-12-01 13:00-08',
                                interval '1 hour') t",
    );
    assert_eq!(
        count(
            &db,
            "SELECT 1 FROM audit_log a JOIN group_session s ON s.id = a.session_id
              WHERE a.action = 'session.create' AND s.local_date = '2026-12-01'"
        ),
        5
    );
}
