//! `gsess roster add/remove` and `gsess supervisor add` against real PostgreSQL: order, SCHEDULED entry, supervisors re-derived by the database, only SCHEDULED rows leave, MANUAL substitutes, locked sessions, unknowns, duplicates, scopes and the audit.

mod common;

use common::{TestDb, ROLL_CALL_DANA as DANA, ROLL_CALL_LEE as LEE, ROLL_CALL_SAM as SAM};
use serde_json::Value;

const WRITE: &str = "clinical.attendance.write";
const READ: &str = "clinical.group-session.read";

fn roster(db: &TestDb, session: i64) -> Vec<(String, String)> {
    db.rows(&format!(
        "SELECT m.mrn, p.status::text AS status
           FROM session_participant p JOIN member m ON m.id = p.member_id
          WHERE p.session_id = {session} ORDER BY p.id"
    ))
    .iter()
    .map(|r| {
        (
            r["mrn"].as_str().unwrap().to_owned(),
            r["status"].as_str().unwrap().to_owned(),
        )
    })
    .collect()
}

fn mrns(db: &TestDb, session: i64) -> Vec<String> {
    roster(db, session)
        .into_iter()
        .map(|(mrn, _)| mrn)
        .collect()
}

/// `(npi, source, status)` of the session's supervisor rows, by row id.
fn supervisors(db: &TestDb, session: i64) -> Vec<(String, String, String)> {
    db.rows(&format!(
        "SELECT v.npi::text AS npi, x.source, x.status::text AS status
           FROM session_supervisor x JOIN provider v ON v.id = x.provider_id
          WHERE x.session_id = {session} ORDER BY x.id"
    ))
    .iter()
    .map(|r| {
        (
            r["npi"].as_str().unwrap().to_owned(),
            r["source"].as_str().unwrap().to_owned(),
            r["status"].as_str().unwrap().to_owned(),
        )
    })
    .collect()
}

fn sup(npi: &str, source: &str, status: &str) -> (String, String, String) {
    (npi.to_owned(), source.to_owned(), status.to_owned())
}

fn npis(json: &Value) -> Vec<String> {
    json["supervisors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["npi"].as_str().unwrap().to_owned())
        .collect()
}

fn audited(db: &TestDb, session: i64, action: &str) -> Vec<Value> {
    db.rows(&format!(
        "SELECT actor, before, after FROM audit_log
          WHERE session_id = {session} AND action = '{action}' ORDER BY id"
    ))
}

// ----------------------------------------------------------------------------------------
// roster add
// ----------------------------------------------------------------------------------------

#[test]
fn roster_add_appends_in_the_order_given_as_scheduled_and_the_supervisors_follow() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    let json = db
        .gsess_as(
            &w,
            &["roster", "add", &s.to_string(), "M005", "M004", "--json"],
        )
        .success()
        .json();
    assert_eq!(json["session_id"], s);
    assert_eq!(json["added"], serde_json::json!(["M005", "M004"]));
    assert_eq!(
        roster(&db, s)[3..],
        [
            ("M005".to_owned(), "SCHEDULED".to_owned()),
            ("M004".to_owned(), "SCHEDULED".to_owned())
        ]
    );
    // Lee supervises M004: the database derived his row; the answer shows the list.
    assert_eq!(
        supervisors(&db, s),
        [
            sup(DANA, "ASSIGNMENT", "SCHEDULED"),
            sup(LEE, "ASSIGNMENT", "SCHEDULED")
        ]
    );
    assert_eq!(npis(&json), [DANA, LEE]);
    assert_eq!(json["supervisors"][1]["source"], "ASSIGNMENT");
    // Audited as the writer, after-image SCHEDULED.
    let added = audited(&db, s, "roster.add");
    let by_writer: Vec<&Value> = added.iter().filter(|a| a["actor"] == w.as_str()).collect();
    assert_eq!(by_writer.len(), 2, "{added:?}");
    assert!(by_writer
        .iter()
        .all(|a| a["after"]["status"] == "SCHEDULED"));
    // …and shows in `show` too.
    let show = db
        .gsess(&["show", &s.to_string(), "--json"])
        .success()
        .json();
    assert_eq!(show["session"]["roster_size"], 5);
}

#[test]
fn roster_add_of_a_member_already_on_the_roster_exits_10_and_adds_nobody() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    db.set_roster_status(s, "M002", "ATTENDED");
    let run = db.gsess_as(
        &w,
        &["roster", "add", &s.to_string(), "M005", "M002", "--json"],
    );
    run.code(10)
        .stderr_contains("M002 (Ben Kim) is already on the roster")
        .stderr_contains("ATTENDED")
        .stderr_contains("nothing added");
    assert_eq!(run.json_error()["error"]["code"], "INVALID_INPUT");
    assert_eq!(mrns(&db, s), ["M001", "M002", "M003"]);
}

#[test]
fn roster_add_refuses_unknown_members_sessions_locked_sessions_and_missing_scopes() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    let reader = db.login("reader", &[READ]);
    let id = s.to_string();
    db.gsess_as(&w, &["roster", "add", &id, "M005", "M999"])
        .code(3)
        .stderr_contains("M999");
    db.gsess_as(&w, &["roster", "add", "999999", "M005"])
        .code(3)
        .stderr_contains("no session 999999");
    db.gsess_as(&reader, &["roster", "add", &id, "M005"])
        .code(6)
        .stderr_contains(WRITE);
    db.lock_roll_call(s);
    let run = db.gsess_as(&w, &["roster", "add", &id, "M005", "--json"]);
    run.code(5).stderr_contains("gsess force-update");
    assert_eq!(run.json_error()["error"]["code"], "LOCKED");
    assert_eq!(mrns(&db, s), ["M001", "M002", "M003"]);
}

// ----------------------------------------------------------------------------------------
// roster remove
// ----------------------------------------------------------------------------------------

#[test]
fn roster_remove_takes_scheduled_rows_off_and_the_supervisors_follow() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    // M001 is what links Dana to the session.
    let json = db
        .gsess_as(
            &w,
            &["roster", "remove", &s.to_string(), "M001", "M003", "--json"],
        )
        .success()
        .json();
    assert_eq!(json["session_id"], s);
    assert_eq!(json["removed"], serde_json::json!(["M001", "M003"]));
    assert_eq!(mrns(&db, s), ["M002"]);
    assert!(
        supervisors(&db, s).is_empty(),
        "Dana's derived row left with M001"
    );
    assert!(npis(&json).is_empty());
    let removed = audited(&db, s, "roster.remove");
    assert_eq!(removed.len(), 2);
    assert!(removed.iter().all(|a| a["actor"] == w.as_str()
        && a["before"]["status"] == "SCHEDULED"
        && a["after"].is_null()));
}

#[test]
fn roster_remove_of_a_decided_row_exits_4_naming_it_and_removes_nothing() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    db.set_roster_status(s, "M002", "ATTENDED");
    let run = db.gsess_as(
        &w,
        &["roster", "remove", &s.to_string(), "M003", "M002", "--json"],
    );
    run.code(4)
        .stderr_contains("M002 is ATTENDED")
        .stderr_contains("only SCHEDULED rows");
    let error = run.json_error();
    assert_eq!(error["error"]["rows"][0]["mrn"], "M002");
    assert_eq!(error["error"]["rows"][0]["status"], "ATTENDED");
    assert_eq!(mrns(&db, s), ["M001", "M002", "M003"], "all or nothing");
}

#[test]
fn roster_remove_refuses_locked_sessions_and_members_not_on_the_roster() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    let id = s.to_string();
    db.gsess_as(&w, &["roster", "remove", &id, "M005"])
        .code(3)
        .stderr_contains("M005 (Eve Stone) is not on the roster");
    db.gsess_as(&w, &["roster", "remove", &id, "M999"])
        .code(3)
        .stderr_contains("M999");
    db.lock_roll_call(s);
    db.gsess_as(&w, &["roster", "remove", &id, "M003"])
        .code(5)
        .stderr_contains("gsess force-update");
    assert_eq!(mrns(&db, s), ["M001", "M002", "M003"]);
}

// ----------------------------------------------------------------------------------------
// supervisor add
// ----------------------------------------------------------------------------------------

#[test]
fn supervisor_add_puts_a_manual_substitute_on_the_session_who_then_counts_when_marked() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    let id = s.to_string();
    let json = db
        .gsess_as(&w, &["supervisor", "add", &id, SAM, "--json"])
        .success()
        .json();
    assert_eq!(json["session_id"], s);
    assert_eq!(json["added"], SAM);
    assert_eq!(json["source"], "MANUAL");
    assert_eq!(npis(&json), [DANA, SAM]);
    assert_eq!(json["supervisors"][1]["status"], "SCHEDULED");
    assert_eq!(json["supervisors"][1]["name"], "Sam Ortiz");
    assert_eq!(
        supervisors(&db, s),
        [
            sup(DANA, "ASSIGNMENT", "SCHEDULED"),
            sup(SAM, "MANUAL", "SCHEDULED")
        ]
    );
    let added = audited(&db, s, "supervisor.add");
    let mine: Vec<&Value> = added.iter().filter(|a| a["actor"] == w.as_str()).collect();
    assert_eq!(mine.len(), 1, "{added:?}");
    assert_eq!(mine[0]["after"]["source"], "MANUAL");

    // The substitute is marked like any supervisor and counts as present.
    let marked = db
        .gsess_as(
            &w,
            &["mark", &id, "attended", "--supervisor", SAM, "--json"],
        )
        .success()
        .json();
    assert_eq!(marked["preview"]["supervisors_present"], 1);
    // A MANUAL row is not derived, so a roster change does not take it away.
    db.gsess_as(&w, &["roster", "remove", &id, "M001"])
        .success();
    assert_eq!(supervisors(&db, s), [sup(SAM, "MANUAL", "ATTENDED")]);
}

#[test]
fn supervisor_add_refuses_bad_npis_unknown_providers_duplicates_and_locked_sessions() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    let reader = db.login("reader", &[READ]);
    let id = s.to_string();
    let run = db.gsess_as(&w, &["supervisor", "add", &id, "1111111113", "--json"]);
    run.code(10)
        .stderr_contains("not a valid NPI")
        .stderr_contains("check digit");
    assert_eq!(run.json_error()["error"]["code"], "INVALID_INPUT");
    db.gsess_as(&w, &["supervisor", "add", &id, "12345"])
        .code(10);
    db.gsess_as(&w, &["supervisor", "add", &id, "1999999992"])
        .code(3)
        .stderr_contains("no provider with NPI 1999999992");
    db.gsess_as(&w, &["supervisor", "add", "999999", SAM])
        .code(3)
        .stderr_contains("no session 999999");
    // Dana is already derived from M001's assignment.
    db.gsess_as(&w, &["supervisor", "add", &id, DANA])
        .code(10)
        .stderr_contains("already a supervisor of session")
        .stderr_contains("ASSIGNMENT");
    db.gsess_as(&w, &["supervisor", "add", &id, SAM]).success();
    db.gsess_as(&w, &["supervisor", "add", &id, SAM])
        .code(10)
        .stderr_contains("already a supervisor");
    db.gsess_as(&reader, &["supervisor", "add", &id, LEE])
        .code(6)
        .stderr_contains(WRITE);
    db.lock_roll_call(s);
    db.gsess_as(&w, &["supervisor", "add", &id, LEE])
        .code(5)
        .stderr_contains("gsess force-update");
    assert_eq!(
        supervisors(&db, s),
        [
            sup(DANA, "ASSIGNMENT", "SCHEDULED"),
            sup(SAM, "MANUAL", "SCHEDULED")
        ]
    );
}
