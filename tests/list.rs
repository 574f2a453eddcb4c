//! `gsess list` against real PostgreSQL: every filter and default (dates on each facility's calendar and the user's `TZ`, home facility, group type, derived status, limit), counts of participants only, one name per supervising provider, errors and scopes, and proof that it is one statement however many sessions match.

mod common;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use common::{gsess_with, Run, TestDb};
use serde_json::{json, Value};

const READ: &str = "clinical.group-session.read";
const DANA: &str = "1245319599";
const LEE: &str = "1679576722";
/// Another provider who happens to share Dana's name.
const DANA_TWIN: &str = "1111111112";

// ----------------------------------------------------------------------------------------
// Seeding through the import
// ----------------------------------------------------------------------------------------

/// Two facilities on opposite coasts, two group types, one payer (for claims), providers and
/// members: Dana supervises M001 and M002, Lee supervises M003, Dana's namesake M004.
fn reference(users: Value, sessions: Vec<Value>) -> Value {
    let member = |mrn: &str, first: &str, last: &str| {
        json!({"mrn": mrn, "first_name": first, "last_name": last, "birth_date": "2000-01-01",
               "sex": "F", "diagnosis_codes": ["F33.1"]})
    };
    let supervises = |npi: &str, mrn: &str| {
        json!({"provider": npi, "member": mrn, "role": "SUPERVISING", "start": "2020-01-01",
               "end": null})
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
        "payers": [{"code": "ORMCD", "name": "Oregon Medicaid", "payer_id": "ORDHS"}],
        "group_types": [
            {"code": "DBT", "name": "DBT skills group"},
            {"code": "SOC", "name": "Social skills group"}
        ],
        "providers": [
            {"npi": DANA, "first_name": "Dana", "last_name": "Reyes"},
            {"npi": LEE, "first_name": "Lee", "last_name": "Park"},
            {"npi": DANA_TWIN, "first_name": "Dana", "last_name": "Reyes"}
        ],
        "members": [
            member("M001", "Ana", "Lopez"),
            member("M002", "Ben", "Ng"),
            member("M003", "Cy", "Oh"),
            member("M004", "Di", "Fox"),
            member("M005", "Ed", "Sun")
        ],
        "coverages": [
            {"member": "M001", "payer": "ORMCD", "priority": 1, "subscriber_id": "OR1",
             "start": "2020-01-01", "end": null}
        ],
        "staff_assignments": [
            supervises(DANA, "M001"),
            supervises(DANA, "M002"),
            supervises(LEE, "M003"),
            supervises(DANA_TWIN, "M004")
        ],
        "users": users,
        "sessions": sessions
    })
}

fn session(
    external_id: &str,
    facility: &str,
    group_type: &str,
    starts_at: &str,
    ends_at: &str,
    participants: &[&str],
) -> Value {
    json!({"external_id": external_id, "facility": facility, "group_type": group_type,
           "starts_at": starts_at, "ends_at": ends_at, "participants": participants})
}

/// A session of NORTH on 2026-11-27 (Los Angeles time) from `hh:mm` for an hour.
fn north(external_id: &str, group_type: &str, clock: &str, participants: &[&str]) -> Value {
    let hour: u32 = clock[..2].parse().unwrap();
    session(
        external_id,
        "NORTH",
        group_type,
        &format!("2026-11-27T{clock}:00-08:00"),
        &format!("2026-11-27T{:02}{}:00-08:00", hour + 1, &clock[2..]),
        participants,
    )
}

fn seed(db: &TestDb, users: Value, sessions: Vec<Value>) {
    let document = reference(users, sessions);
    db.gsess_stdin(&["import", "-"], &document.to_string())
        .success();
}

fn id_of(db: &TestDb, external_id: &str) -> i64 {
    db.scalar(&format!(
        "SELECT id FROM group_session WHERE external_id = '{external_id}'"
    ))
}

/// Set a roster row's status as the superuser (the database's own rules still apply).
fn mark(db: &TestDb, external_id: &str, mrn: &str, status: &str) {
    db.sql(&format!(
        "UPDATE session_participant p SET status = '{status}'
           FROM group_session s, member m
          WHERE p.session_id = s.id AND p.member_id = m.id
            AND s.external_id = '{external_id}' AND m.mrn = '{mrn}'"
    ));
}

/// What the billing run would do: mark the session processed.
fn bill(db: &TestDb, external_id: &str) {
    db.sql(&format!(
        "UPDATE group_session SET billed_at = now(), billed_version = attendance_version
          WHERE external_id = '{external_id}'"
    ));
}

/// A claim for M001 on the session: it is LOCKED from now on.
fn claim(db: &TestDb, external_id: &str) {
    db.sql(&format!(
        "INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                            frequency_code, claim_control_number, amount)
         SELECT s.facility_id, s.id, c.member_id, c.payer_id, c.id, '1', 'TEST-' || s.id, 45
           FROM group_session s, coverage_policy c JOIN member m ON m.id = c.member_id
          WHERE s.external_id = '{external_id}' AND m.mrn = 'M001'"
    ));
}

// ----------------------------------------------------------------------------------------
// Running list
// ----------------------------------------------------------------------------------------

fn list(db: &TestDb, args: &[&str]) -> Vec<Value> {
    let run = list_run(db, args);
    run.success();
    run.json().as_array().cloned().expect("a JSON array")
}

fn list_run(db: &TestDb, args: &[&str]) -> Run {
    let mut all = vec!["list", "--json"];
    all.extend_from_slice(args);
    db.gsess(&all)
}

fn external_ids(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["external_id"].as_str().unwrap_or("?").to_owned())
        .collect()
}

fn ids(db: &TestDb, args: &[&str]) -> Vec<String> {
    external_ids(&list(db, args))
}

fn row<'a>(rows: &'a [Value], external_id: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["external_id"] == external_id)
        .unwrap_or_else(|| panic!("{external_id} not listed: {rows:#?}"))
}

// ----------------------------------------------------------------------------------------
// Rows
// ----------------------------------------------------------------------------------------

#[test]
fn a_day_is_listed_in_start_order_with_every_field_of_the_row() {
    let db = TestDb::new();
    seed(
        &db,
        json!([]),
        vec![
            north("AFTERNOON", "DBT", "14:00", &["M001", "M002", "M003"]),
            north("MORNING", "SOC", "09:00", &["M004"]),
            session(
                "OTHER-DAY",
                "NORTH",
                "DBT",
                "2026-11-26T14:00:00-08:00",
                "2026-11-26T15:00:00-08:00",
                &["M001"],
            ),
        ],
    );
    mark(&db, "AFTERNOON", "M001", "ATTENDED");
    mark(&db, "AFTERNOON", "M002", "LATE");

    let rows = list(&db, &["--date", "2026-11-27", "--facility", "NORTH"]);
    assert_eq!(external_ids(&rows), ["MORNING", "AFTERNOON"]);
    let afternoon = row(&rows, "AFTERNOON");
    assert_eq!(
        afternoon,
        &json!({
            "id": id_of(&db, "AFTERNOON"),
            "external_id": "AFTERNOON",
            "date": "2026-11-27",
            "starts_at": "2026-11-27T14:00:00-08:00",
            "ends_at": "2026-11-27T15:00:00-08:00",
            "facility": "NORTH",
            "group_type": "DBT",
            "supervisors": ["Dana Reyes", "Lee Park"],
            "roster_size": 3,
            "attendance": {"scheduled": 1, "attended": 1, "late": 1, "absent": 0},
            "status": "OPEN"
        })
    );
    // A list row is the header `show` prints for the same session.
    for listed in &rows {
        let id = listed["id"].to_string();
        let shown = db.gsess(&["show", &id, "--json"]).success().json();
        assert_eq!(&shown["session"], listed, "list and show disagree on {id}");
    }
}

#[test]
fn people_get_a_table_with_the_time_window_and_attendance_summary() {
    let db = TestDb::new();
    seed(
        &db,
        json!([]),
        vec![
            north("AFTERNOON", "DBT", "14:00", &["M001", "M002", "M003"]),
            north("EMPTY", "SOC", "16:00", &[]),
        ],
    );
    mark(&db, "AFTERNOON", "M001", "ATTENDED");
    mark(&db, "AFTERNOON", "M003", "ABSENT");
    let run = db.gsess(&["list", "--date", "2026-11-27", "--facility", "NORTH"]);
    run.success()
        .stdout_contains("14:00–15:00")
        .stdout_contains("1 attended, 1 absent, 1 scheduled")
        .stdout_contains("Dana Reyes, Lee Park")
        .stdout_contains("OPEN")
        .stdout_contains("no participants")
        .stdout_contains("READY")
        .stdout_contains("group type");
    let id = id_of(&db, "AFTERNOON").to_string();
    assert!(
        run.stdout
            .lines()
            .any(|l| l.trim_start().starts_with(&id) && l.contains("2026-11-27")),
        "{}",
        run.stdout
    );

    let empty = db.gsess(&["list", "--date", "2030-01-01", "--facility", "NORTH"]);
    empty
        .success()
        .stdout_contains("No sessions on 2030-01-01 at NORTH.");
}

#[test]
fn an_empty_result_is_an_empty_array_and_exit_0() {
    let db = TestDb::new();
    seed(&db, json!([]), vec![north("A", "DBT", "14:00", &["M001"])]);
    let run = list_run(&db, &["--date", "2030-01-01", "--facility", "all"]);
    run.success();
    assert_eq!(run.stdout.trim(), "[]");
    assert_eq!(
        list(&db, &["--date", "2026-11-27", "--status", "locked"]),
        Vec::<Value>::new()
    );
    // Filters that select nothing on an empty database, too.
    let empty = TestDb::new();
    let run = empty.gsess(&["list", "--json", "--facility", "all"]);
    run.success();
    assert_eq!(run.json(), json!([]));
}

#[test]
fn counts_and_status_are_about_participants_supervisors_never_make_a_session_open() {
    let db = TestDb::new();
    seed(
        &db,
        json!([]),
        vec![north("ROOM", "DBT", "14:00", &["M001", "M003"])],
    );
    mark(&db, "ROOM", "M001", "ABSENT");
    mark(&db, "ROOM", "M003", "LATE");
    // Both supervisors (Dana for M001, Lee for M003) are still SCHEDULED.
    let scheduled_supervisors: i64 =
        db.scalar("SELECT count(*) FROM session_supervisor WHERE status = 'SCHEDULED'");
    assert_eq!(scheduled_supervisors, 2);

    let rows = list(&db, &["--date", "2026-11-27", "--facility", "NORTH"]);
    let room = row(&rows, "ROOM");
    assert_eq!(room["roster_size"], 2);
    assert_eq!(
        room["attendance"],
        json!({"scheduled": 0, "attended": 0, "late": 1, "absent": 1})
    );
    assert_eq!(room["status"], "READY");
    assert_eq!(room["supervisors"], json!(["Dana Reyes", "Lee Park"]));
    assert_eq!(
        ids(&db, &["--date", "2026-11-27", "--status", "open"]),
        Vec::<String>::new()
    );
}

#[test]
fn each_supervising_provider_is_listed_once() {
    let db = TestDb::new();
    // M001 and M002 share Dana (one supervisor row); M004's supervisor is another provider
    // who happens to be named Dana Reyes too: two people, listed twice.
    seed(
        &db,
        json!([]),
        vec![north(
            "ROOM",
            "DBT",
            "14:00",
            &["M001", "M002", "M004", "M003"],
        )],
    );
    let providers: i64 = db.scalar("SELECT count(DISTINCT provider_id) FROM session_supervisor");
    assert_eq!(providers, 3, "three supervising providers, two names");
    let rows = list(&db, &["--date", "2026-11-27"]);
    let mut names: Vec<String> = row(&rows, "ROOM")["supervisors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Dana Reyes", "Dana Reyes", "Lee Park"]);
    assert_eq!(row(&rows, "ROOM")["roster_size"], 4);
}

// ----------------------------------------------------------------------------------------
// Dates: explicit, ranges, the user's today/yesterday, both coasts
// ----------------------------------------------------------------------------------------

#[test]
fn an_explicit_date_and_an_inclusive_range() {
    let db = TestDb::new();
    let day = |external_id: &str, date: &str| {
        session(
            external_id,
            "NORTH",
            "DBT",
            &format!("{date}T10:00:00-08:00"),
            &format!("{date}T11:00:00-08:00"),
            &["M001"],
        )
    };
    seed(
        &db,
        json!([]),
        vec![
            day("D26", "2026-11-26"),
            day("D27", "2026-11-27"),
            day("D28", "2026-11-28"),
            day("D29", "2026-11-29"),
        ],
    );
    assert_eq!(ids(&db, &["--date", "2026-11-27"]), ["D27"]);
    assert_eq!(ids(&db, &["--date", "2026-11-29"]), ["D29"]);
    assert_eq!(
        ids(&db, &["--from", "2026-11-27", "--to", "2026-11-28"]),
        ["D27", "D28"]
    );
    assert_eq!(
        ids(&db, &["--from", "2026-11-26", "--to", "2026-11-26"]),
        ["D26"]
    );
    assert_eq!(
        ids(&db, &["--from", "2026-11-01", "--to", "2026-11-30"]),
        ["D26", "D27", "D28", "D29"]
    );

    // A backwards range parses but is invalid; a half range or a bad date is a usage error.
    let run = list_run(&db, &["--from", "2026-11-28", "--to", "2026-11-27"]);
    run.code(10);
    assert_eq!(run.json_error()["error"]["field"], "--from");
    list_run(&db, &["--from", "2026-11-27"]).code(2);
    list_run(
        &db,
        &[
            "--date",
            "2026-11-27",
            "--from",
            "2026-11-27",
            "--to",
            "2026-11-28",
        ],
    )
    .code(2);
    list_run(&db, &["--date", "27/11/2026"]).code(2);
}

/// Today in `zone`, as the gsess child computes it from `TZ`.
fn today_in(zone: &str) -> NaiveDate {
    let tz: Tz = zone.parse().unwrap();
    Utc::now().with_timezone(&tz).date_naive()
}

#[test]
fn today_and_yesterday_are_the_users_calendar_from_tz() {
    let db = TestDb::new();
    // Noon at EAST (New York) on five consecutive days around today, on New York's calendar.
    let east: Tz = "America/New_York".parse().unwrap();
    let around = today_in("America/New_York");
    let sessions = (-2..=2)
        .map(|offset| {
            let date = around + Duration::days(offset);
            let noon = east
                .from_local_datetime(&date.and_hms_opt(12, 0, 0).unwrap())
                .single()
                .unwrap();
            session(
                &date.to_string(),
                "EAST",
                "DBT",
                &noon.to_rfc3339(),
                &(noon + Duration::hours(1)).to_rfc3339(),
                &["M001"],
            )
        })
        .collect();
    seed(&db, json!([]), sessions);

    // The user's zone decides what "today" is (far east and far west of New York too), and
    // the expectation comes from the same clock: if midnight passes in between, try again.
    let url = db.url();
    for zone in [
        "America/New_York",
        "America/Los_Angeles",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
    ] {
        for (word, back) in [(None, 0), (Some("today"), 0), (Some("yesterday"), 1)] {
            let mut args = vec!["list", "--json", "--facility", "EAST"];
            if let Some(word) = word {
                args.extend(["--date", word]);
            }
            loop {
                let before = today_in(zone);
                let run = gsess_with(&[("DATABASE_URL", &url), ("TZ", zone)], &args, None);
                if today_in(zone) != before {
                    continue;
                }
                run.success();
                let expected = (before - Duration::days(back)).to_string();
                assert_eq!(
                    external_ids(run.json().as_array().unwrap()),
                    [expected.as_str()],
                    "TZ={zone} {word:?}"
                );
                assert_eq!(run.json()[0]["date"], expected.as_str());
                break;
            }
        }
    }
}

#[test]
fn each_session_is_listed_on_its_own_facilitys_calendar_on_both_coasts() {
    let db = TestDb::new();
    seed(
        &db,
        json!([]),
        vec![
            // 22:30 in Los Angeles is already 11-28 in UTC (06:30Z): listed on 11-27.
            session(
                "LA-LATE",
                "NORTH",
                "DBT",
                "2026-11-27T22:30:00-08:00",
                "2026-11-27T23:30:00-08:00",
                &["M001"],
            ),
            // 00:30 in New York is 11-27 in Los Angeles (21:30): listed on 11-28.
            session(
                "NY-EARLY",
                "EAST",
                "DBT",
                "2026-11-28T00:30:00-05:00",
                "2026-11-28T01:30:00-05:00",
                &["M002"],
            ),
        ],
    );
    // The user's own zone does not move a session off its facility's date.
    for tz in ["America/Los_Angeles", "America/New_York", "UTC"] {
        let run = |date: &str| {
            let run = gsess_with(
                &[("DATABASE_URL", &db.url()), ("TZ", tz)],
                &["list", "--json", "--facility", "all", "--date", date],
                None,
            );
            run.success();
            external_ids(run.json().as_array().unwrap())
        };
        assert_eq!(run("2026-11-27"), ["LA-LATE"], "TZ={tz}");
        assert_eq!(run("2026-11-28"), ["NY-EARLY"], "TZ={tz}");
    }
    let rows = list(
        &db,
        &[
            "--facility",
            "all",
            "--from",
            "2026-11-27",
            "--to",
            "2026-11-28",
        ],
    );
    // Ordered by the instant: New York's 05:30Z comes before Los Angeles's 06:30Z.
    assert_eq!(external_ids(&rows), ["NY-EARLY", "LA-LATE"]);
    let la = row(&rows, "LA-LATE");
    assert_eq!(la["date"], "2026-11-27");
    assert_eq!(la["starts_at"], "2026-11-27T22:30:00-08:00");
    assert_eq!(la["ends_at"], "2026-11-27T23:30:00-08:00");
    let ny = row(&rows, "NY-EARLY");
    assert_eq!(ny["date"], "2026-11-28");
    assert_eq!(ny["starts_at"], "2026-11-28T00:30:00-05:00");
}

// ----------------------------------------------------------------------------------------
// Facility, group type, status, limit
// ----------------------------------------------------------------------------------------

#[test]
fn the_home_facility_is_the_default_and_all_shows_every_facility() {
    let db = TestDb::new();
    let alice = db.login("alice", &[READ]);
    let bob = db.login("bob", &[READ]);
    let carol = db.login("carol", &[READ]);
    seed(
        &db,
        json!([
            {"login": alice, "name": "Alice Chen", "home_facility": "NORTH"},
            {"login": bob, "name": "Bob Diaz", "home_facility": null}
        ]),
        vec![
            north("N1", "DBT", "09:00", &["M001"]),
            session(
                "E1",
                "EAST",
                "DBT",
                "2026-11-27T10:00:00-05:00",
                "2026-11-27T11:00:00-05:00",
                &["M002"],
            ),
        ],
    );
    let as_login = |login: &str, extra: &[&str]| {
        let mut args = vec!["list", "--json", "--date", "2026-11-27"];
        args.extend_from_slice(extra);
        db.gsess_as(login, &args)
    };

    let run = as_login(&alice, &[]);
    run.success();
    assert_eq!(external_ids(run.json().as_array().unwrap()), ["N1"]);
    assert!(!run.stderr.contains("home facility"), "{}", run.stderr);
    let run = as_login(&alice, &["--facility", "all"]);
    assert_eq!(
        external_ids(run.success().json().as_array().unwrap()),
        ["E1", "N1"]
    );
    let run = as_login(&alice, &["--facility", "ALL"]);
    assert_eq!(run.success().json().as_array().unwrap().len(), 2);
    let run = as_login(&alice, &["--facility", "EAST"]);
    assert_eq!(
        external_ids(run.success().json().as_array().unwrap()),
        ["E1"]
    );

    // No home facility (in the users list without one, or not in it at all): everything,
    // and a note on stderr saying why.
    for login in [&bob, &carol] {
        let run = as_login(login, &[]);
        run.success().stderr_contains("no home facility");
        assert_eq!(
            external_ids(run.json().as_array().unwrap()),
            ["E1", "N1"],
            "{login}"
        );
    }
}

#[test]
fn an_unknown_facility_exits_3_naming_it() {
    let db = TestDb::new();
    seed(&db, json!([]), vec![north("N1", "DBT", "09:00", &["M001"])]);
    let run = list_run(&db, &["--facility", "NOWHERE"]);
    run.code(3).stderr_contains("NOWHERE");
    assert_eq!(run.json_error()["error"]["code"], "NOT_FOUND");
    assert_eq!(run.stdout, "");
}

#[test]
fn the_group_type_filter() {
    let db = TestDb::new();
    seed(
        &db,
        json!([]),
        vec![
            north("DBT-1", "DBT", "09:00", &["M001"]),
            north("SOC-1", "SOC", "10:00", &["M002"]),
            north("DBT-2", "DBT", "11:00", &["M003"]),
        ],
    );
    assert_eq!(
        ids(&db, &["--date", "2026-11-27", "--group-type", "DBT"]),
        ["DBT-1", "DBT-2"]
    );
    assert_eq!(
        ids(&db, &["--date", "2026-11-27", "--group-type", "SOC"]),
        ["SOC-1"]
    );
    assert_eq!(
        ids(&db, &["--date", "2026-11-27", "--group-type", "all"]),
        ["DBT-1", "SOC-1", "DBT-2"]
    );
    assert_eq!(
        ids(&db, &["--date", "2026-11-27"]),
        ["DBT-1", "SOC-1", "DBT-2"]
    );
    let run = list_run(&db, &["--date", "2026-11-27", "--group-type", "YOGA"]);
    run.code(3).stderr_contains("no group type YOGA");
}

#[test]
fn every_status_filter_follows_the_derived_status() {
    let db = TestDb::new();
    seed(
        &db,
        json!([]),
        vec![
            north("OPEN", "DBT", "08:00", &["M001", "M002"]),
            north("READY", "DBT", "09:00", &["M003"]),
            north("EMPTY", "DBT", "10:00", &[]),
            north("BILLED", "DBT", "11:00", &["M004"]),
            north("LOCKED", "DBT", "12:00", &["M001"]),
        ],
    );
    mark(&db, "OPEN", "M001", "ATTENDED"); // M002 still SCHEDULED
    mark(&db, "READY", "M003", "ABSENT"); // Lee, its supervisor, is still SCHEDULED
    bill(&db, "BILLED"); // M004 still SCHEDULED: BILLED comes first
    mark(&db, "LOCKED", "M001", "ATTENDED");
    bill(&db, "LOCKED");
    claim(&db, "LOCKED"); // a claim comes before everything

    let all = list(&db, &["--date", "2026-11-27"]);
    let statuses: Vec<(&str, &str)> = all
        .iter()
        .map(|r| {
            (
                r["external_id"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("OPEN", "OPEN"),
            ("READY", "READY"),
            ("EMPTY", "READY"),
            ("BILLED", "BILLED"),
            ("LOCKED", "LOCKED")
        ]
    );
    for (filter, expected) in [
        ("open", vec!["OPEN"]),
        ("ready", vec!["READY", "EMPTY"]),
        ("billed", vec!["BILLED"]),
        ("locked", vec!["LOCKED"]),
        ("all", vec!["OPEN", "READY", "EMPTY", "BILLED", "LOCKED"]),
        ("LOCKED", vec!["LOCKED"]),
        ("Ready", vec!["READY", "EMPTY"]),
    ] {
        assert_eq!(
            ids(&db, &["--date", "2026-11-27", "--status", filter]),
            expected,
            "--status {filter}"
        );
    }
    list_run(&db, &["--status", "done"]).code(2);
    // The SQL derivation agrees with the Rust one `show` uses.
    for listed in &all {
        let id = listed["id"].to_string();
        let shown = db.gsess(&["show", &id, "--json"]).success().json();
        assert_eq!(shown["session"]["status"], listed["status"], "session {id}");
    }
}

#[test]
fn the_limit_keeps_the_first_sessions_and_says_when_it_cut() {
    let db = TestDb::new();
    seed(
        &db,
        json!([]),
        vec![
            north("C", "DBT", "11:00", &["M001"]),
            north("A", "DBT", "09:00", &["M002"]),
            north("D", "SOC", "12:00", &[]),
            north("B", "DBT", "10:00", &["M003"]),
        ],
    );
    let run = list_run(&db, &["--date", "2026-11-27", "--limit", "2"]);
    run.success().stderr_contains("--limit");
    assert_eq!(external_ids(run.json().as_array().unwrap()), ["A", "B"]);

    let run = list_run(&db, &["--date", "2026-11-27", "--limit", "4"]);
    run.success();
    assert!(!run.stderr.contains("--limit"), "{}", run.stderr);
    assert_eq!(
        external_ids(run.json().as_array().unwrap()),
        ["A", "B", "C", "D"]
    );
    // The limit applies after the filters.
    assert_eq!(
        ids(
            &db,
            &[
                "--date",
                "2026-11-27",
                "--group-type",
                "DBT",
                "--status",
                "open",
                "--limit",
                "1"
            ]
        ),
        ["A"]
    );
    list_run(&db, &["--limit", "many"]).code(2);
}

#[test]
fn a_login_without_the_read_scope_exits_6() {
    let db = TestDb::new();
    seed(&db, json!([]), vec![north("N1", "DBT", "09:00", &["M001"])]);
    let nobody = db.login("nobody", &[]);
    let run = db.gsess_as(&nobody, &["list", "--json", "--date", "2026-11-27"]);
    run.code(6);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "FORBIDDEN");
    assert_eq!(error["error"]["missing_scope"], READ);
    // Every scope implies reading: a writer lists too.
    let writer = db.login("writer", &["clinical.attendance.write"]);
    let run = db.gsess_as(
        &writer,
        &[
            "list",
            "--json",
            "--date",
            "2026-11-27",
            "--facility",
            "all",
        ],
    );
    assert_eq!(run.success().json().as_array().unwrap().len(), 1);
}

// ----------------------------------------------------------------------------------------
// One statement, however many sessions
// ----------------------------------------------------------------------------------------

/// `n` NORTH sessions on 2026-11-27, each with three participants.
fn many(n: usize, prefix: &str) -> Vec<Value> {
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-27T07:00:00-08:00").unwrap();
    (0..n)
        .map(|i| {
            let at = start + Duration::minutes(10 * i as i64);
            session(
                &format!("{prefix}{i:03}"),
                "NORTH",
                if i % 2 == 0 { "DBT" } else { "SOC" },
                &at.to_rfc3339(),
                &(at + Duration::minutes(45)).to_rfc3339(),
                &["M001", "M003", "M004"],
            )
        })
        .collect()
}

/// The statements touching group_session that the list command sent (pg_stat_statements,
/// this database only), counted after a reset.
fn statements_for_list(db: &TestDb, expected_rows: usize) -> i64 {
    db.sql(
        "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database
                                              WHERE datname = current_database()), 0)",
    );
    let rows = list(db, &["--date", "2026-11-27", "--facility", "NORTH"]);
    assert_eq!(rows.len(), expected_rows);
    db.scalar(
        "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND query ILIKE '%group_session%'
            AND query NOT ILIKE '%pg_stat_statements%'",
    )
}

#[test]
fn list_is_one_statement_whether_3_or_30_sessions_match() {
    let db = TestDb::new();
    db.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    seed(&db, json!([]), many(3, "S"));
    let for_three = statements_for_list(&db, 3);
    seed(&db, json!([]), many(30, "S"));
    let for_thirty = statements_for_list(&db, 30);
    assert_eq!(for_three, 1, "one statement reads the sessions");
    assert_eq!(
        for_thirty, for_three,
        "the statement count must not grow with the number of sessions"
    );
}

/// The plan reads group_session through group_session_day with both the facility and the
/// date as index conditions (an index scan or a bitmap scan alike).
fn ranges_over_the_day_index(plan: &str) -> bool {
    let lines: Vec<&str> = plan.lines().collect();
    lines.windows(2).any(|pair| {
        pair[0].contains(" group_session_day ")
            && pair[1].contains("Index Cond: ((facility_id = ")
            && pair[1].contains("(local_date = ")
    })
}

#[test]
fn a_facility_day_is_an_index_range_on_group_session_day() {
    let db = TestDb::new();
    seed(&db, json!([]), many(3, "S"));
    // Forty more facilities, a month of eight sessions a day each (~10,000 sessions), written
    // in time order as feeds write them (so the table is physically in date order, which
    // makes the date-only index look cheap: the realistic hard case).
    db.sql(
        "INSERT INTO facility (code, name, state, timezone, npi, tax_id, address_line1,
                               address_city, address_state, address_zip)
         SELECT 'F' || i, 'Facility ' || i, 'OR', 'America/Los_Angeles', '1234567893',
                '931234567', '1 Main St', 'Portland', 'OR', '972011234'
           FROM generate_series(1, 40) i;
         INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
         SELECT f.id, 1, at, at + interval '45 minutes', 'FEED'
           FROM facility f, generate_series(0, 29) d, generate_series(0, 7) k,
                LATERAL (SELECT timestamptz '2026-11-01 08:00-08' + d * interval '1 day'
                                + k * interval '1 hour' AS at) t
          WHERE f.code LIKE 'F%'
          ORDER BY at, f.id;
         ANALYZE;",
    );
    let facility: i64 = db.scalar("SELECT id FROM facility WHERE code = 'NORTH'");
    let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let sql = gsess::db::list::list_sql(&gsess::db::list::ListFilter {
        dates: gsess::time::DateRange::day(day),
        facility_id: Some(facility),
        group_type_id: None,
        status: None,
        limit: None,
    });
    // gsess runs the statement once per process, so PostgreSQL plans it for the values given.
    let plan = db
        .texts(&format!(
            "SET plan_cache_mode = force_custom_plan;
             PREPARE listing(date, bigint) AS {sql};
             EXPLAIN EXECUTE listing('2026-11-27', {facility});"
        ))
        .join("\n");
    assert!(
        ranges_over_the_day_index(&plan),
        "the facility-day is not served by group_session_day:\n{plan}"
    );
    // No `$n IS NULL OR …` in the statement: even a generic plan can range over the index
    // (at this small scale the date-only index is cheaper for it, so it is set aside here,
    // in a transaction that is rolled back).
    let plan = db
        .texts(&format!(
            "BEGIN;
             DROP INDEX group_session_date;
             SET LOCAL plan_cache_mode = force_generic_plan;
             PREPARE listing(date, bigint) AS {sql};
             EXPLAIN EXECUTE listing('2026-11-27', {facility});
             ROLLBACK;"
        ))
        .join("\n");
    assert!(ranges_over_the_day_index(&plan), "generic plan:\n{plan}");
    let rows = list(&db, &["--date", "2026-11-27", "--facility", "NORTH"]);
    assert_eq!(rows.len(), 3);
}

#[test]
fn a_long_json_list_is_one_array_written_as_read_and_a_reader_leaving_early_is_not_an_error() {
    let db = TestDb::new();
    seed(&db, json!([]), vec![north("A", "DBT", "14:00", &["M001"])]);
    // 3,000 more sessions on the day, as a feed would leave them: far more than a pipe holds.
    db.sql(
        "INSERT INTO group_session (facility_id, external_id, group_type_id, starts_at, ends_at, local_date, source)
         SELECT f.id, 'BULK-' || n, t.id, timestamptz '2026-11-27 08:00-08' + n * interval '1 second',
                timestamptz '2026-11-27 09:00-08' + n * interval '1 second', date '2026-11-27', 'FEED'
           FROM facility f, group_type t, generate_series(1, 3000) n
          WHERE f.code = 'NORTH' AND t.code = 'DBT'",
    );
    let all = list(&db, &["--date", "2026-11-27", "--facility", "NORTH"]);
    assert_eq!(all.len(), 3001, "every session, in one array");
    assert_eq!(all[0]["external_id"], "BULK-1", "in start order");

    // `gsess list --json | head -1`: the reader goes after the first line.
    let mut child = std::process::Command::new(common::gsess_binary())
        .args([
            "--database-url",
            &db.url(),
            "list",
            "--json",
            "--date",
            "2026-11-27",
        ])
        .args(["--facility", "NORTH"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start gsess");
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    assert_eq!(first.trim(), "[");
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "a closed pipe is not an error; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
