//! `preview` and `show` against real PostgreSQL: issues as attendance changes, payers, local dates, acceptances, --fail-on, --watch, scope.

mod common;

use common::TestDb;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Dana Reyes, the usual supervising provider.
const DANA: &str = "1245319599";
/// Lee Park, a second provider.
const LEE: &str = "1679576722";
/// The facility's valid billing NPI, and the same with a wrong check digit.
const BILLING_NPI: &str = "1234567893";
const BAD_BILLING_NPI: &str = "1234567890";
/// The default session: an afternoon in Portland (Los Angeles time).
const START: &str = "2026-11-27T14:00:00-08:00";
const END: &str = "2026-11-27T15:30:00-08:00";
const READ_SCOPE: &str = "clinical.group-session.read";

// ----------------------------------------------------------------------------------------
// Seeding, as the superuser
// ----------------------------------------------------------------------------------------

/// Facility NORTH in Oregon (Los Angeles time, valid billing NPI) and group type DBT.
fn facility(db: &TestDb) {
    db.sql(&format!(
        "INSERT INTO facility (code, name, state, timezone, npi, tax_id, address_line1,
                               address_city, address_state, address_zip)
         VALUES ('NORTH', 'North Clinic', 'OR', 'America/Los_Angeles', '{BILLING_NPI}',
                 '931234567', '1 Main St', 'Portland', 'OR', '972011234');
         INSERT INTO group_type (code, name) VALUES ('DBT', 'DBT skills group');"
    ));
}

fn payer(db: &TestDb, code: &str) {
    db.sql(&format!(
        "INSERT INTO payer (code, name, payer_id) VALUES ('{code}', '{code} plan', '{code}-EDI')"
    ));
}

/// A generic (any group type) Oregon supervision rule in effect from 2026-01-01.
fn supervision_rule(db: &TestDb, payer: &str, max_per_supervisor: u32) {
    db.sql(&format!(
        "INSERT INTO supervision_rule (payer_id, state, start_date, max_per_supervisor)
         SELECT id, 'OR', DATE '2026-01-01', {max_per_supervisor} FROM payer WHERE code = '{payer}'"
    ));
}

/// A generic Oregon band, 90853 HQ at 45.00 per session, in effect from 2026-01-01.
fn size_band(db: &TestDb, payer: &str, min: u32, max: u32) {
    size_band_during(db, payer, min, max, "45.00", Some("2026-01-01"), None);
}

fn size_band_during(
    db: &TestDb,
    payer: &str,
    min: u32,
    max: u32,
    rate: &str,
    start: Option<&str>,
    end: Option<&str>,
) {
    db.sql(&format!(
        "INSERT INTO size_band (payer_id, state, start_date, end_date, min_size, max_size,
                                procedure_code, modifiers, rate)
         SELECT id, 'OR', {}, {}, {min}, {max}, '90853', ARRAY['HQ'], {rate}
           FROM payer WHERE code = '{payer}'",
        sql_date(start),
        sql_date(end)
    ));
}

fn provider(db: &TestDb, npi: &str, first_name: &str, last_name: &str) {
    db.sql(&format!(
        "INSERT INTO provider (npi, first_name, last_name)
         VALUES ('{npi}', '{first_name}', '{last_name}')"
    ));
}

/// A member with a diagnosis code (F33.1), named after the MRN (`First M001` `Last M001`).
fn member(db: &TestDb, mrn: &str) {
    db.sql(&format!(
        "INSERT INTO member (mrn, first_name, last_name, birth_date, sex, diagnosis_codes)
         VALUES ('{mrn}', 'First {mrn}', 'Last {mrn}', DATE '2001-02-03', 'F', ARRAY['F331'])"
    ));
}

fn member_without_diagnosis(db: &TestDb, mrn: &str) {
    member(db, mrn);
    db.sql(&format!(
        "UPDATE member SET diagnosis_codes = '{{}}' WHERE mrn = '{mrn}'"
    ));
}

/// A coverage policy; returns its id.
fn coverage(
    db: &TestDb,
    mrn: &str,
    payer: &str,
    priority: u32,
    subscriber_id: Option<&str>,
    start: &str,
    end: Option<&str>,
) -> i64 {
    let subscriber = subscriber_id.map_or("NULL".to_owned(), |s| format!("'{s}'"));
    db.scalar(&format!(
        "INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date, end_date)
         SELECT m.id, y.id, {priority}, {subscriber}, DATE '{start}', {}
           FROM member m, payer y WHERE m.mrn = '{mrn}' AND y.code = '{payer}'
         RETURNING id",
        sql_date(end)
    ))
}

/// A member with a diagnosis and an open primary policy with a subscriber id.
fn covered_member(db: &TestDb, mrn: &str, payer: &str) {
    member(db, mrn);
    coverage(
        db,
        mrn,
        payer,
        1,
        Some(&format!("SUB-{mrn}")),
        "2026-01-01",
        None,
    );
}

fn assignment(
    db: &TestDb,
    npi: &str,
    mrn: &str,
    role: &str,
    start: Option<&str>,
    end: Option<&str>,
) {
    db.sql(&format!(
        "INSERT INTO staff_assignment (provider_id, member_id, role, start_date, end_date)
         SELECT v.id, m.id, '{role}', {}, {}
           FROM provider v, member m WHERE v.npi = '{npi}' AND m.mrn = '{mrn}'",
        sql_date(start),
        sql_date(end)
    ));
}

/// An open SUPERVISING assignment from 2026-01-01.
fn supervising(db: &TestDb, npi: &str, mrn: &str) {
    assignment(db, npi, mrn, "SUPERVISING", Some("2026-01-01"), None);
}

/// The usual room: NORTH, payer ORMCD (`max_per_supervisor`, bands 2–4 and 6–8 with a gap
/// at 5), members covered by ORMCD, and Dana Reyes supervising the first of them.
fn clinic(db: &TestDb, max_per_supervisor: u32, mrns: &[&str]) {
    facility(db);
    payer(db, "ORMCD");
    supervision_rule(db, "ORMCD", max_per_supervisor);
    size_band(db, "ORMCD", 2, 4);
    size_band(db, "ORMCD", 6, 8);
    provider(db, DANA, "Dana", "Reyes");
    for mrn in mrns {
        covered_member(db, mrn, "ORMCD");
    }
    supervising(db, DANA, mrns[0]);
}

/// A NORTH DBT session at the default time; the members join its roster in this order.
fn session(db: &TestDb, external_id: &str, mrns: &[&str]) -> i64 {
    session_at(db, external_id, START, END, mrns)
}

fn session_at(
    db: &TestDb,
    external_id: &str,
    starts_at: &str,
    ends_at: &str,
    mrns: &[&str],
) -> i64 {
    let id: i64 = db.scalar(&format!(
        "INSERT INTO group_session (facility_id, external_id, group_type_id, starts_at, ends_at, source)
         SELECT f.id, '{external_id}', t.id, TIMESTAMPTZ '{starts_at}', TIMESTAMPTZ '{ends_at}', 'FEED'
           FROM facility f, group_type t WHERE f.code = 'NORTH' AND t.code = 'DBT'
         RETURNING id"
    ));
    // One statement per member, so roster row ids follow the order given.
    let inserts: String = mrns
        .iter()
        .map(|mrn| {
            format!(
                "INSERT INTO session_participant (facility_id, session_id, member_id)
                 SELECT s.facility_id, s.id, m.id FROM group_session s, member m
                  WHERE s.id = {id} AND m.mrn = '{mrn}';"
            )
        })
        .collect();
    if !inserts.is_empty() {
        db.sql(&inserts);
    }
    let on_roster: i64 = db.scalar(&format!(
        "SELECT count(*) FROM session_participant WHERE session_id = {id}"
    ));
    assert_eq!(on_roster, mrns.len() as i64, "roster of session {id}");
    id
}

/// `UPDATE session_participant SET status = …` by hand, as the superuser; every named row
/// must change (the transition trigger refuses an illegal one, which fails the test).
fn mark(db: &TestDb, session: i64, status: &str, mrns: &[&str]) {
    let changed: i64 = db.scalar(&format!(
        "WITH changed AS (
             UPDATE session_participant p SET status = '{status}'
               FROM member m
              WHERE m.id = p.member_id AND p.session_id = {session} AND m.mrn IN ({})
          RETURNING 1)
         SELECT count(*) FROM changed",
        sql_list(mrns)
    ));
    assert_eq!(changed, mrns.len() as i64, "marking {mrns:?} {status}");
}

fn mark_supervisor(db: &TestDb, session: i64, status: &str, npi: &str) {
    let changed: i64 = db.scalar(&format!(
        "WITH changed AS (
             UPDATE session_supervisor x SET status = '{status}'
               FROM provider v
              WHERE v.id = x.provider_id AND x.session_id = {session} AND v.npi = '{npi}'
          RETURNING 1)
         SELECT count(*) FROM changed"
    ));
    assert_eq!(changed, 1, "marking supervisor {npi} {status}");
}

/// What `gsess accept` would record, written by hand: the figures it was accepted at.
fn accept_payer_issue(
    db: &TestDb,
    session: i64,
    code: &str,
    payer: &str,
    group_size: u32,
    supervisors_present: u32,
) {
    db.sql(&format!(
        "INSERT INTO accepted_exception (facility_id, session_id, code, payer_id, reason,
                                         group_size, supervisors_present)
         SELECT s.facility_id, s.id, '{code}', y.id, 'second supervisor on the phone',
                {group_size}, {supervisors_present}
           FROM group_session s, payer y WHERE s.id = {session} AND y.code = '{payer}'"
    ));
}

/// An acceptance of a member-scoped issue (`member` set) or a session-scoped one (`None`).
fn accept_other_issue(
    db: &TestDb,
    session: i64,
    code: &str,
    member: Option<&str>,
    group_size: u32,
    supervisors_present: u32,
) {
    let member_id = member.map_or("NULL".to_owned(), |mrn| {
        format!("(SELECT id FROM member WHERE mrn = '{mrn}')")
    });
    db.sql(&format!(
        "INSERT INTO accepted_exception (facility_id, session_id, code, member_id, reason,
                                         group_size, supervisors_present)
         SELECT s.facility_id, s.id, '{code}', {member_id}, 'documented with the payer',
                {group_size}, {supervisors_present}
           FROM group_session s WHERE s.id = {session}"
    ));
}

/// A claim for the member: the session becomes LOCKED.
fn insert_claim(db: &TestDb, session: i64, mrn: &str) {
    db.sql(&format!(
        "INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                            frequency_code, claim_control_number, amount)
         SELECT s.facility_id, s.id, m.id, c.payer_id, c.id, '1', 'CLM-{session}-{mrn}', 45.00
           FROM group_session s, member m JOIN coverage_policy c ON c.member_id = m.id
          WHERE s.id = {session} AND m.mrn = '{mrn}' AND c.priority = 1"
    ));
}

fn sql_date(date: Option<&str>) -> String {
    date.map_or("NULL".to_owned(), |d| format!("DATE '{d}'"))
}

fn sql_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("'{item}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ----------------------------------------------------------------------------------------
// Reading what gsess says
// ----------------------------------------------------------------------------------------

fn preview(db: &TestDb, session: i64) -> Value {
    db.gsess(&["preview", &session.to_string(), "--json"])
        .success()
        .json()
}

fn show(db: &TestDb, session: i64) -> Value {
    db.gsess(&["show", &session.to_string(), "--json"])
        .success()
        .json()
}

/// `CODE`, `CODE:payer` or `CODE:mrn`.
fn issue_key(issue: &Value) -> String {
    let code = issue["code"].as_str().expect("issue code");
    match (issue["payer"].as_str(), issue["mrn"].as_str()) {
        (Some(subject), _) | (_, Some(subject)) => format!("{code}:{subject}"),
        (None, None) => code.to_owned(),
    }
}

/// The preview's issue keys, sorted (their order is not part of the contract).
fn keys(preview: &Value) -> Vec<String> {
    let mut keys: Vec<String> = preview["issues"]
        .as_array()
        .unwrap_or_else(|| panic!("no issues array in {preview:#}"))
        .iter()
        .map(issue_key)
        .collect();
    keys.sort();
    keys
}

#[track_caller]
fn issue<'a>(preview: &'a Value, key: &str) -> &'a Value {
    preview["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .find(|issue| issue_key(issue) == key)
        .unwrap_or_else(|| panic!("no issue {key}; issues are {:?}", keys(preview)))
}

#[track_caller]
fn payer_entry<'a>(preview: &'a Value, payer: &str) -> &'a Value {
    preview["payers"]
        .as_array()
        .expect("payers")
        .iter()
        .find(|entry| entry["payer"] == payer)
        .unwrap_or_else(|| panic!("payer {payer} not listed in {:#}", preview["payers"]))
}

/// Every expected field is present (a `null` must be there as `null`) with that value.
#[track_caller]
fn assert_fields(actual: &Value, expected: Value) {
    let expected = expected.as_object().expect("expected fields as an object");
    for (key, want) in expected {
        let got = actual
            .get(key)
            .unwrap_or_else(|| panic!("field {key:?} missing from {actual:#}"));
        assert_eq!(got, want, "field {key:?} of {actual:#}");
    }
}

#[track_caller]
fn assert_totals(preview: &Value, blocking_count: u32, ready_to_bill: bool) {
    assert_fields(
        preview,
        json!({"blocking_count": blocking_count, "ready_to_bill": ready_to_bill}),
    );
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

// ----------------------------------------------------------------------------------------
// 1. Every issue code, appearing and disappearing
// ----------------------------------------------------------------------------------------

#[test]
fn group_unattended_billed_is_raised_while_a_row_is_scheduled_and_cleared_once_marked() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M002", "M003"]);
    let id = session(&db, "S1", &["M001", "M002", "M003"]);
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ATTENDED", &["M001", "M002"]);

    let p = preview(&db, id);
    assert_eq!(keys(&p), ["GROUP_UNATTENDED_BILLED"]);
    assert_fields(
        issue(&p, "GROUP_UNATTENDED_BILLED"),
        json!({
            "severity": "BLOCKING", "scope": "SESSION", "payer": null, "mrn": null,
            "accepted": false,
            "arithmetic": "1 SCHEDULED of 3 roster rows",
            "message": "1 roster row still SCHEDULED (M003): mark it before billing",
        }),
    );
    assert_fields(&p, json!({"session_id": id, "billable_count": 2}));
    assert_totals(&p, 1, false);

    mark(&db, id, "ABSENT", &["M003"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_fields(&p, json!({"billable_count": 2}));
    assert_totals(&p, 0, true);
}

#[test]
fn a_supervision_ratio_breach_follows_the_supervisors_present() {
    let db = TestDb::new();
    clinic(&db, 2, &["M001", "M002", "M003"]);
    provider(&db, LEE, "Lee", "Park");
    supervising(&db, LEE, "M002");
    let id = session(&db, "S1", &["M001", "M002", "M003"]);
    mark(&db, id, "ATTENDED", &["M001", "M002", "M003"]);

    // Both supervisors still SCHEDULED: nobody present, any billable participant breaches.
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["SUPERVISION_RATIO_BREACH:ORMCD"]);
    assert_eq!(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD")["arithmetic"],
        "3 billable > 0 present × 2"
    );
    assert_fields(&p, json!({"billable_count": 3, "supervisors_present": 0}));

    mark_supervisor(&db, id, "ATTENDED", DANA);
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["SUPERVISION_RATIO_BREACH:ORMCD"]);
    assert_fields(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD"),
        json!({
            "severity": "BLOCKING", "scope": "PAYER", "payer": "ORMCD", "mrn": null,
            "accepted": false,
            "arithmetic": "3 billable > 1 present × 2",
            "message": "ORMCD allows 2 participants per present supervisor: 3 billable with 1 supervisor present; mark a supervisor who was there present (`mark … --supervisor NPI`), add a second one (`supervisor add`), or accept it with a documented reason",
        }),
    );
    assert_fields(
        &payer_entry(&p, "ORMCD")["supervision"],
        json!({"max_per_supervisor": 2, "capacity": 2}),
    );
    assert_fields(&p, json!({"supervisors_present": 1}));
    assert_totals(&p, 1, false);

    // The second supervisor arrives: capacity 4 covers the room.
    mark_supervisor(&db, id, "ATTENDED", LEE);
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_fields(
        &payer_entry(&p, "ORMCD")["supervision"],
        json!({"max_per_supervisor": 2, "capacity": 4}),
    );
    assert_fields(&p, json!({"supervisors_present": 2, "billable_count": 3}));
    assert_totals(&p, 0, true);
}

#[test]
fn group_size_band_issues_follow_the_size_of_the_room() {
    let db = TestDb::new();
    let mrns = [
        "M001", "M002", "M003", "M004", "M005", "M006", "M007", "M008", "M009",
    ];
    clinic(&db, 10, &mrns);
    let id = session(&db, "S1", &mrns);
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ABSENT", &mrns);

    // Size 0: nothing to bill, nothing to report.
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_fields(&p, json!({"billable_count": 0}));
    assert_totals(&p, 0, true);

    // Size 1: below the lowest band, cannot be priced.
    mark(&db, id, "ATTENDED", &["M001"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["GROUP_SIZE_BELOW_MINIMUM:ORMCD"]);
    assert_fields(
        issue(&p, "GROUP_SIZE_BELOW_MINIMUM:ORMCD"),
        json!({
            "severity": "BLOCKING", "scope": "PAYER", "payer": "ORMCD", "mrn": null,
            "accepted": false, "arithmetic": "size 1 < lowest band min 2",
        }),
    );
    assert_eq!(payer_entry(&p, "ORMCD")["band"], Value::Null);
    assert_totals(&p, 1, false);

    // Size 4: in band 2–4.
    mark(&db, id, "ATTENDED", &["M002", "M003", "M004"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_fields(
        &payer_entry(&p, "ORMCD")["band"],
        json!({"min": 2, "max": 4, "procedure_code": "90853", "modifiers": ["HQ"], "rate": "45.00"}),
    );
    assert_totals(&p, 0, true);

    // Size 5 falls in the gap: coded to the band below, a warning only.
    mark(&db, id, "LATE", &["M005"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["GROUP_SIZE_BAND_MISMATCH:ORMCD"]);
    assert_fields(
        issue(&p, "GROUP_SIZE_BAND_MISMATCH:ORMCD"),
        json!({
            "severity": "WARNING", "scope": "PAYER", "payer": "ORMCD", "mrn": null,
            "accepted": false,
            "arithmetic": "size 5 falls between 2–4 and 6–8: coded 2–4",
        }),
    );
    assert_fields(
        &payer_entry(&p, "ORMCD")["band"],
        json!({"min": 2, "max": 4}),
    );
    assert_fields(&p, json!({"billable_count": 5}));
    assert_totals(&p, 0, true);

    // Size 6: in band 6–8 again.
    mark(&db, id, "ATTENDED", &["M006"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_fields(
        &payer_entry(&p, "ORMCD")["band"],
        json!({"min": 6, "max": 8}),
    );

    // Size 9: above the top band, coded to it, blocking.
    mark(&db, id, "ATTENDED", &["M007", "M008", "M009"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["GROUP_SIZE_ABOVE_MAXIMUM:ORMCD"]);
    assert_fields(
        issue(&p, "GROUP_SIZE_ABOVE_MAXIMUM:ORMCD"),
        json!({
            "severity": "BLOCKING", "scope": "PAYER", "payer": "ORMCD", "mrn": null,
            "accepted": false, "arithmetic": "size 9 > top band 6–8",
        }),
    );
    assert_fields(
        &payer_entry(&p, "ORMCD")["band"],
        json!({"min": 6, "max": 8}),
    );
    assert_totals(&p, 1, false);

    // One leaves: 8 fits again.
    mark(&db, id, "ABSENT", &["M009"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_totals(&p, 0, true);
}

#[test]
fn a_payer_without_bands_raises_no_size_bands_only_while_its_member_is_billable() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M002"]);
    payer(&db, "PLAIN");
    covered_member(&db, "M003", "PLAIN");
    let id = session(&db, "S1", &["M001", "M002", "M003"]);
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ATTENDED", &["M001", "M002"]);
    mark(&db, id, "ABSENT", &["M003"]);

    let p = preview(&db, id);
    assert_eq!(
        keys(&p),
        Vec::<String>::new(),
        "PLAIN has no billable member"
    );
    assert_fields(
        payer_entry(&p, "PLAIN"),
        json!({"members": ["M003"], "band": null, "supervision": null}),
    );

    mark(&db, id, "ATTENDED", &["M003"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["NO_SIZE_BANDS:PLAIN"]);
    assert_fields(
        issue(&p, "NO_SIZE_BANDS:PLAIN"),
        json!({
            "severity": "BLOCKING", "scope": "PAYER", "payer": "PLAIN", "mrn": null,
            "accepted": false,
            "arithmetic": "size 3, 0 bands in effect",
            "message": "PLAIN has no group-size bands in OR for group type DBT (or generic) on 2026-11-27: it cannot be priced",
        }),
    );
    assert_eq!(payer_entry(&p, "PLAIN")["band"], Value::Null);
    // ORMCD is judged against the same room of 3 and is fine.
    assert_fields(
        &payer_entry(&p, "ORMCD")["band"],
        json!({"min": 2, "max": 4}),
    );
    assert_totals(&p, 1, false);

    mark(&db, id, "ABSENT", &["M003"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_totals(&p, 0, true);
}

#[test]
fn no_coverage_is_raised_for_a_billable_member_only() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M002"]);
    member(&db, "M003");
    // A secondary policy is not primary coverage.
    coverage(&db, "M003", "ORMCD", 2, Some("SEC-3"), "2026-01-01", None);
    let id = session(&db, "S1", &["M001", "M002", "M003"]);
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ATTENDED", &["M001", "M002"]);

    let p = preview(&db, id);
    assert_eq!(
        keys(&p),
        ["GROUP_UNATTENDED_BILLED"],
        "not billable while SCHEDULED"
    );

    mark(&db, id, "LATE", &["M003"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["NO_COVERAGE:M003"]);
    assert_fields(
        issue(&p, "NO_COVERAGE:M003"),
        json!({
            "severity": "WARNING", "scope": "MEMBER", "payer": null, "mrn": "M003",
            "accepted": false,
            "arithmetic": "status LATE, 0 primary coverages active on 2026-11-27",
        }),
    );
    // The uncovered member still counts in the room.
    assert_fields(&p, json!({"billable_count": 3}));
    assert_eq!(payer_entry(&p, "ORMCD")["members"], json!(["M001", "M002"]));
    assert_totals(&p, 0, true);
    db.gsess(&["preview", &id.to_string(), "--json", "--fail-on", "warning"])
        .code(8);

    // Accepted for this member at these figures (3 billable, 1 supervisor present).
    accept_other_issue(&db, id, "NO_COVERAGE", Some("M003"), 3, 1);
    let p = preview(&db, id);
    assert_fields(
        issue(&p, "NO_COVERAGE:M003"),
        json!({"accepted": true, "severity": "WARNING"}),
    );
    db.gsess(&["preview", &id.to_string(), "--json", "--fail-on", "warning"])
        .success();

    mark(&db, id, "ABSENT", &["M003"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_totals(&p, 0, true);
}

#[test]
fn missing_subscriber_id_and_missing_diagnosis_are_raised_for_billable_members() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M004"]);
    member(&db, "M002");
    let no_subscriber = coverage(&db, "M002", "ORMCD", 1, None, "2026-01-01", None);
    member_without_diagnosis(&db, "M003");
    coverage(
        &db,
        "M003",
        "ORMCD",
        1,
        Some("SUB-M003"),
        "2026-01-01",
        None,
    );
    let id = session(&db, "S1", &["M001", "M002", "M003", "M004"]);
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ATTENDED", &["M001", "M002", "M003", "M004"]);

    let p = preview(&db, id);
    assert_eq!(
        keys(&p),
        ["MISSING_DIAGNOSIS:M003", "MISSING_SUBSCRIBER_ID:M002"]
    );
    assert_fields(
        issue(&p, "MISSING_SUBSCRIBER_ID:M002"),
        json!({
            "severity": "BLOCKING", "scope": "MEMBER", "payer": null, "mrn": "M002",
            "accepted": false,
            "arithmetic": format!("coverage {no_subscriber}: subscriber id empty"),
        }),
    );
    assert_fields(
        issue(&p, "MISSING_DIAGNOSIS:M003"),
        json!({
            "severity": "BLOCKING", "scope": "MEMBER", "payer": null, "mrn": "M003",
            "accepted": false, "arithmetic": "0 diagnosis codes",
        }),
    );
    assert_totals(&p, 2, false);

    // Missing data cannot be accepted: the database refuses even a hand-written acceptance.
    let refused = db
        .try_sql(&format!(
            "INSERT INTO accepted_exception (facility_id, session_id, code, member_id, reason,
                                             group_size, supervisors_present)
             SELECT s.facility_id, s.id, 'MISSING_DIAGNOSIS', m.id, 'by hand', 4, 1
               FROM group_session s, member m WHERE s.id = {id} AND m.mrn = 'M003'"
        ))
        .unwrap_err();
    assert_eq!(refused.sqlstate, "23514", "{}", refused.message);
    let p = preview(&db, id);
    assert_eq!(issue(&p, "MISSING_DIAGNOSIS:M003")["accepted"], false);
    assert_totals(&p, 2, false);

    // Not billable, no claim, no data check.
    mark(&db, id, "ABSENT", &["M002"]);
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["MISSING_DIAGNOSIS:M003"]);
    assert_totals(&p, 1, false);

    // Fixing the data clears it too.
    db.sql("UPDATE member SET diagnosis_codes = ARRAY['F331'] WHERE mrn = 'M003'");
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_totals(&p, 0, true);

    mark(&db, id, "ATTENDED", &["M002"]);
    assert_eq!(keys(&preview(&db, id)), ["MISSING_SUBSCRIBER_ID:M002"]);
    db.sql(&format!(
        "UPDATE coverage_policy SET subscriber_id = 'OR777' WHERE id = {no_subscriber}"
    ));
    assert_eq!(keys(&preview(&db, id)), Vec::<String>::new());
}

#[test]
fn an_invalid_billing_npi_is_a_blocking_session_issue() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M002"]);
    let id = session(&db, "S1", &["M001", "M002"]);
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ATTENDED", &["M001", "M002"]);
    assert_eq!(keys(&preview(&db, id)), Vec::<String>::new());

    db.sql(&format!(
        "UPDATE facility SET npi = '{BAD_BILLING_NPI}' WHERE code = 'NORTH'"
    ));
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["INVALID_BILLING_NPI"]);
    assert_fields(
        issue(&p, "INVALID_BILLING_NPI"),
        json!({
            "severity": "BLOCKING", "scope": "SESSION", "payer": null, "mrn": null,
            "accepted": false,
            "arithmetic": "check digit 0 ≠ 3 (Luhn over 80840123456789)",
        }),
    );
    assert_totals(&p, 1, false);

    db.sql(&format!(
        "UPDATE facility SET npi = '{BILLING_NPI}' WHERE code = 'NORTH'"
    ));
    let p = preview(&db, id);
    assert_eq!(keys(&p), Vec::<String>::new());
    assert_totals(&p, 0, true);
}

// ----------------------------------------------------------------------------------------
// 2–4. Payers and dates
// ----------------------------------------------------------------------------------------

#[test]
fn in_a_mixed_payer_room_each_payer_is_judged_against_the_whole_room() {
    let db = TestDb::new();
    facility(&db);
    payer(&db, "ORMCD");
    payer(&db, "WAHP");
    payer(&db, "AETNA");
    supervision_rule(&db, "ORMCD", 6);
    supervision_rule(&db, "WAHP", 3);
    size_band(&db, "ORMCD", 2, 4);
    size_band(&db, "WAHP", 5, 8);
    provider(&db, DANA, "Dana", "Reyes");
    member(&db, "M001"); // no coverage, and the lowest roster row
    covered_member(&db, "M002", "WAHP");
    covered_member(&db, "M003", "ORMCD");
    covered_member(&db, "M004", "ORMCD");
    covered_member(&db, "M005", "WAHP");
    covered_member(&db, "M006", "AETNA"); // no bands, but never billable here
    supervising(&db, DANA, "M003");
    let roster = ["M001", "M002", "M003", "M004", "M005", "M006"];
    let id = session(&db, "S1", &roster);
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ABSENT", &["M001", "M006"]);
    mark(&db, id, "ATTENDED", &["M002", "M003", "M004", "M005"]);

    let p = preview(&db, id);
    assert_fields(
        &p,
        json!({"billable_count": 4, "supervisors_present": 1, "primary_payer": "WAHP"}),
    );
    // WAHP has 2 billable members but is judged on the room's 4.
    assert_eq!(
        keys(&p),
        [
            "GROUP_SIZE_BELOW_MINIMUM:WAHP",
            "SUPERVISION_RATIO_BREACH:WAHP"
        ]
    );
    assert_eq!(
        issue(&p, "GROUP_SIZE_BELOW_MINIMUM:WAHP")["arithmetic"],
        "size 4 < lowest band min 5"
    );
    assert_eq!(
        issue(&p, "SUPERVISION_RATIO_BREACH:WAHP")["arithmetic"],
        "4 billable > 1 present × 3"
    );
    assert_fields(
        payer_entry(&p, "WAHP"),
        json!({"members": ["M002", "M005"], "band": null}),
    );
    assert_fields(
        &payer_entry(&p, "WAHP")["supervision"],
        json!({"max_per_supervisor": 3, "capacity": 3}),
    );
    assert_fields(
        payer_entry(&p, "ORMCD"),
        json!({"members": ["M003", "M004"]}),
    );
    assert_fields(
        &payer_entry(&p, "ORMCD")["band"],
        json!({"min": 2, "max": 4}),
    );
    assert_fields(
        &payer_entry(&p, "ORMCD")["supervision"],
        json!({"max_per_supervisor": 6, "capacity": 6}),
    );
    assert_fields(
        payer_entry(&p, "AETNA"),
        json!({"members": ["M006"], "band": null, "supervision": null}),
    );
    assert_eq!(p["payers"].as_array().unwrap().len(), 3);
    assert_totals(&p, 2, false);

    // `show` names each participant's payer (none for M001).
    let s = show(&db, id);
    let payers: Vec<(&Value, &Value)> = s["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (&row["mrn"], &row["payer"]))
        .collect();
    assert_eq!(
        payers,
        [
            (&json!("M001"), &Value::Null),
            (&json!("M002"), &json!("WAHP")),
            (&json!("M003"), &json!("ORMCD")),
            (&json!("M004"), &json!("ORMCD")),
            (&json!("M005"), &json!("WAHP")),
            (&json!("M006"), &json!("AETNA")),
        ]
    );

    // The uncovered member arrives: 5 in the room, above ORMCD's top band, in WAHP's.
    mark(&db, id, "ATTENDED", &["M001"]);
    let p = preview(&db, id);
    assert_eq!(
        keys(&p),
        [
            "GROUP_SIZE_ABOVE_MAXIMUM:ORMCD",
            "NO_COVERAGE:M001",
            "SUPERVISION_RATIO_BREACH:WAHP"
        ]
    );
    assert_eq!(
        issue(&p, "GROUP_SIZE_ABOVE_MAXIMUM:ORMCD")["arithmetic"],
        "size 5 > top band 2–4"
    );
    assert_eq!(
        issue(&p, "SUPERVISION_RATIO_BREACH:WAHP")["arithmetic"],
        "5 billable > 1 present × 3"
    );
    assert_fields(
        &payer_entry(&p, "WAHP")["band"],
        json!({"min": 5, "max": 8}),
    );
    assert_fields(&p, json!({"billable_count": 5, "primary_payer": "WAHP"}));

    // The primary payer is the lowest covered row's, even with none of its members billable;
    // a payer without a billable member is listed but not judged.
    mark(&db, id, "ABSENT", &["M002", "M005"]);
    let p = preview(&db, id);
    assert_fields(&p, json!({"billable_count": 3, "primary_payer": "WAHP"}));
    assert_eq!(keys(&p), ["NO_COVERAGE:M001"]);
    assert_fields(
        payer_entry(&p, "WAHP"),
        json!({"members": ["M002", "M005"], "band": null, "supervision": null}),
    );
    assert_fields(
        &payer_entry(&p, "ORMCD")["band"],
        json!({"min": 2, "max": 4}),
    );
}

#[test]
fn a_room_without_coverage_reports_its_count_and_member_issues_but_no_payer_issue() {
    let db = TestDb::new();
    facility(&db);
    payer(&db, "ORMCD");
    supervision_rule(&db, "ORMCD", 1);
    size_band(&db, "ORMCD", 5, 8);
    provider(&db, DANA, "Dana", "Reyes");
    for mrn in ["M001", "M002", "M003"] {
        member(&db, mrn);
    }
    supervising(&db, DANA, "M001");
    let id = session(&db, "S1", &["M001", "M002", "M003"]);
    mark(&db, id, "ATTENDED", &["M001", "M002"]);

    let p = preview(&db, id);
    assert_fields(
        &p,
        json!({"primary_payer": null, "payers": [], "billable_count": 2, "supervisors_present": 0}),
    );
    assert_eq!(
        keys(&p),
        [
            "GROUP_UNATTENDED_BILLED",
            "NO_COVERAGE:M001",
            "NO_COVERAGE:M002"
        ]
    );
    assert!(
        p["issues"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["scope"] != "PAYER"),
        "no payer-scoped issue: {p:#}"
    );
    assert_eq!(
        issue(&p, "GROUP_UNATTENDED_BILLED")["arithmetic"],
        "1 SCHEDULED of 3 roster rows"
    );
    assert_totals(&p, 1, false);

    let s = show(&db, id);
    assert!(
        s["roster"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["payer"].is_null()),
        "{s:#}"
    );
}

#[test]
fn coverage_rules_and_supervisors_are_judged_on_the_sessions_local_date_not_utc() {
    let db = TestDb::new();
    facility(&db);
    payer(&db, "ORMCD");
    payer(&db, "WAHP");
    supervision_rule(&db, "ORMCD", 6);
    // The same band priced differently before and after the UTC date of the session.
    size_band_during(
        &db,
        "ORMCD",
        2,
        4,
        "45.00",
        Some("2026-01-01"),
        Some("2026-11-27"),
    );
    size_band_during(&db, "ORMCD", 2, 4, "60.00", Some("2026-11-28"), None);
    provider(&db, DANA, "Dana", "Reyes");
    provider(&db, LEE, "Lee", "Park");
    // M001: covered until the local date (inclusive); in UTC the session is already the 28th.
    member(&db, "M001");
    coverage(
        &db,
        "M001",
        "ORMCD",
        1,
        Some("SUB-1"),
        "2026-01-01",
        Some("2026-11-27"),
    );
    // M002: one policy ended the day before, the next starts on the UTC date only.
    member(&db, "M002");
    coverage(
        &db,
        "M002",
        "ORMCD",
        1,
        Some("SUB-2"),
        "2026-01-01",
        Some("2026-11-26"),
    );
    coverage(&db, "M002", "WAHP", 1, Some("SUB-2W"), "2026-11-28", None);
    covered_member(&db, "M003", "ORMCD");
    assignment(
        &db,
        DANA,
        "M001",
        "SUPERVISING",
        Some("2026-01-01"),
        Some("2026-11-27"),
    );
    assignment(&db, LEE, "M003", "SUPERVISING", Some("2026-11-28"), None);
    // 20:00 in Los Angeles on the 27th is 04:00 UTC on the 28th.
    let id = session_at(
        &db,
        "LATE-1",
        "2026-11-27T20:00:00-08:00",
        "2026-11-27T21:30:00-08:00",
        &["M001", "M002", "M003"],
    );
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ATTENDED", &["M001", "M002", "M003"]);

    let s = show(&db, id);
    assert_fields(
        &s["session"],
        json!({
            "starts_at": "2026-11-27T20:00:00-08:00",
            "ends_at": "2026-11-27T21:30:00-08:00",
        }),
    );
    let supervisors: Vec<&Value> = s["supervisors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| &x["npi"])
        .collect();
    assert_eq!(
        supervisors,
        [&json!(DANA)],
        "Lee's assignment starts on the UTC date only"
    );

    let p = &s["preview"];
    assert_eq!(keys(p), ["NO_COVERAGE:M002"]);
    assert_eq!(
        issue(p, "NO_COVERAGE:M002")["arithmetic"],
        "status ATTENDED, 0 primary coverages active on 2026-11-27"
    );
    assert_fields(p, json!({"primary_payer": "ORMCD", "billable_count": 3}));
    assert_eq!(p["payers"].as_array().unwrap().len(), 1, "{p:#}");
    assert_fields(
        payer_entry(p, "ORMCD"),
        json!({"members": ["M001", "M003"]}),
    );
    assert_fields(
        &payer_entry(p, "ORMCD")["band"],
        json!({"min": 2, "max": 4, "rate": "45.00"}),
    );
    let roster_payers: Vec<&Value> = s["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["payer"])
        .collect();
    assert_eq!(
        roster_payers,
        [&json!("ORMCD"), &Value::Null, &json!("ORMCD")]
    );
}

// ----------------------------------------------------------------------------------------
// 5–6. show
// ----------------------------------------------------------------------------------------

#[test]
fn an_empty_supervisors_card_says_why_until_a_supervising_assignment_exists() {
    let db = TestDb::new();
    facility(&db);
    payer(&db, "ORMCD");
    supervision_rule(&db, "ORMCD", 6);
    size_band(&db, "ORMCD", 2, 4);
    provider(&db, DANA, "Dana", "Reyes");
    for mrn in ["M001", "M002", "M003"] {
        covered_member(&db, mrn, "ORMCD");
    }
    // Neither a RENDERING assignment nor a SUPERVISING one to someone off the roster counts.
    assignment(&db, DANA, "M001", "RENDERING", Some("2026-01-01"), None);
    supervising(&db, DANA, "M003");
    let id = session(&db, "S1", &["M001", "M002"]);

    let s = show(&db, id);
    assert_eq!(s["supervisors"], json!([]));
    assert_eq!(s["session"]["supervisors"], json!([]));
    assert!(keys(&s["preview"]).contains(&"NO_SUPERVISOR_ASSIGNED".to_owned()));
    assert_fields(
        issue(&s["preview"], "NO_SUPERVISOR_ASSIGNED"),
        json!({
            "severity": "WARNING", "scope": "SESSION", "payer": null, "mrn": null,
            "accepted": false, "arithmetic": "0 supervisors listed",
        }),
    );
    let human = db.gsess(&["show", &id.to_string()]);
    human
        .success()
        .stdout_contains("Supervisors")
        .stdout_contains("staff_assignment.role = 'SUPERVISING'");

    supervising(&db, DANA, "M002");
    let s = show(&db, id);
    assert_eq!(s["supervisors"].as_array().unwrap().len(), 1, "{s:#}");
    assert_fields(
        &s["supervisors"][0],
        json!({
            "npi": DANA, "name": "Dana Reyes", "status": "SCHEDULED",
            "allowed_next": ["ATTENDED", "ABSENT", "LATE"],
        }),
    );
    assert_eq!(s["session"]["supervisors"], json!(["Dana Reyes"]));
    assert!(!keys(&s["preview"]).contains(&"NO_SUPERVISOR_ASSIGNED".to_owned()));
    let human = db.gsess(&["show", &id.to_string()]);
    human.success().stdout_contains("Dana Reyes");
    assert!(
        !human.stdout.contains("staff_assignment.role"),
        "the hint is gone: {}",
        human.stdout
    );
}

#[test]
fn show_json_has_the_spec_shape_and_the_status_goes_open_ready_billed_locked() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M002", "M003"]);
    let id = session(&db, "SCH-1001", &["M001", "M002", "M003"]);

    let s = show(&db, id);
    for field in ["session", "supervisors", "roster", "preview"] {
        assert!(s.get(field).is_some(), "show lacks {field}: {s:#}");
    }
    assert_fields(
        &s["session"],
        json!({
            "id": id,
            "external_id": "SCH-1001",
            "starts_at": START,
            "ends_at": END,
            "facility": "NORTH",
            "group_type": "DBT",
            "supervisors": ["Dana Reyes"],
            "roster_size": 3,
            "attendance": {"scheduled": 3, "attended": 0, "late": 0, "absent": 0},
            "status": "OPEN",
        }),
    );
    assert_eq!(s["supervisors"].as_array().unwrap().len(), 1);
    assert_fields(
        &s["supervisors"][0],
        json!({
            "npi": DANA, "name": "Dana Reyes", "status": "SCHEDULED",
            "allowed_next": ["ATTENDED", "ABSENT", "LATE"],
        }),
    );
    let roster = s["roster"].as_array().unwrap();
    assert_eq!(roster.len(), 3);
    for (row, mrn) in roster.iter().zip(["M001", "M002", "M003"]) {
        assert_fields(
            row,
            json!({
                "mrn": mrn, "name": format!("First {mrn} Last {mrn}"), "status": "SCHEDULED",
                "allowed_next": ["ATTENDED", "ABSENT", "LATE"], "payer": "ORMCD",
            }),
        );
    }
    for field in [
        "session_id",
        "billable_count",
        "supervisors_present",
        "primary_payer",
        "payers",
        "issues",
        "blocking_count",
        "ready_to_bill",
    ] {
        assert!(
            s["preview"].get(field).is_some(),
            "preview lacks {field}: {s:#}"
        );
    }
    // The preview inside show is the preview.
    assert_eq!(s["preview"], preview(&db, id));

    // In summer the facility's offset is -07:00.
    let july = session_at(
        &db,
        "SCH-0715",
        "2026-07-15T21:00:00Z",
        "2026-07-15T22:00:00Z",
        &["M001"],
    );
    assert_fields(
        &show(&db, july)["session"],
        json!({"starts_at": "2026-07-15T14:00:00-07:00", "ends_at": "2026-07-15T15:00:00-07:00"}),
    );

    // Every roster row terminal: READY, though the supervisor is still SCHEDULED.
    mark(&db, id, "ATTENDED", &["M001"]);
    mark(&db, id, "LATE", &["M002"]);
    mark(&db, id, "ABSENT", &["M003"]);
    let s = show(&db, id);
    assert_fields(
        &s["session"],
        json!({
            "status": "READY",
            "roster_size": 3,
            "attendance": {"scheduled": 0, "attended": 1, "late": 1, "absent": 1},
        }),
    );
    let next: Vec<&Value> = s["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["allowed_next"])
        .collect();
    assert_eq!(
        next,
        [
            &json!(["ABSENT", "LATE"]),
            &json!(["ATTENDED", "ABSENT"]),
            &json!(["ATTENDED", "LATE"])
        ]
    );
    assert_eq!(s["supervisors"][0]["status"], "SCHEDULED");

    db.sql(&format!(
        "UPDATE group_session SET billed_at = now(), billed_version = attendance_version WHERE id = {id}"
    ));
    assert_eq!(show(&db, id)["session"]["status"], "BILLED");

    insert_claim(&db, id, "M001");
    let s = show(&db, id);
    assert_eq!(s["session"]["status"], "LOCKED");
    assert_eq!(
        s["session"]["attendance"],
        json!({"scheduled": 0, "attended": 1, "late": 1, "absent": 1})
    );
}

#[test]
fn a_participant_without_coverage_still_has_a_payer_field_in_show() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001"]);
    member(&db, "M002");
    let id = session(&db, "S1", &["M001", "M002"]);
    let s = show(&db, id);
    let uncovered = &s["roster"][1];
    assert_eq!(uncovered["mrn"], "M002");
    assert!(
        uncovered.as_object().unwrap().contains_key("payer"),
        "roster rows carry `payer` (null without coverage): {uncovered:#}"
    );
    assert_eq!(uncovered["payer"], Value::Null);
}

// ----------------------------------------------------------------------------------------
// 7. Acceptances
// ----------------------------------------------------------------------------------------

#[test]
fn an_acceptance_holds_while_its_figures_hold_and_is_raised_again_when_they_change() {
    let db = TestDb::new();
    clinic(&db, 2, &["M001", "M002", "M003", "M004"]);
    let id = session(&db, "S1", &["M001", "M002", "M003", "M004"]);
    mark_supervisor(&db, id, "ATTENDED", DANA);
    mark(&db, id, "ATTENDED", &["M001", "M002", "M003"]);
    mark(&db, id, "ABSENT", &["M004"]);

    let p = preview(&db, id);
    assert_eq!(keys(&p), ["SUPERVISION_RATIO_BREACH:ORMCD"]);
    assert_eq!(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD")["accepted"],
        false
    );
    assert_totals(&p, 1, false);

    accept_payer_issue(&db, id, "SUPERVISION_RATIO_BREACH", "ORMCD", 3, 1);
    let p = preview(&db, id);
    assert_eq!(keys(&p), ["SUPERVISION_RATIO_BREACH:ORMCD"], "still shown");
    assert_fields(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD"),
        json!({"accepted": true, "severity": "BLOCKING", "arithmetic": "3 billable > 1 present × 2"}),
    );
    assert_totals(&p, 0, true);
    db.gsess(&[
        "preview",
        &id.to_string(),
        "--json",
        "--fail-on",
        "blocking",
    ])
    .success();

    // A fourth participant: the figures changed, the breach is raised again.
    mark(&db, id, "ATTENDED", &["M004"]);
    let p = preview(&db, id);
    assert_fields(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD"),
        json!({"accepted": false, "arithmetic": "4 billable > 1 present × 2"}),
    );
    assert_totals(&p, 1, false);

    // Back to the accepted figures: it holds again.
    mark(&db, id, "ABSENT", &["M004"]);
    let p = preview(&db, id);
    assert_eq!(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD")["accepted"],
        true
    );
    assert_totals(&p, 0, true);

    // Revoked: raised again.
    db.sql(&format!(
        "UPDATE accepted_exception SET revoked_at = now(), revoked_by = 'test' WHERE session_id = {id}"
    ));
    let p = preview(&db, id);
    assert_eq!(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD")["accepted"],
        false
    );
    assert_totals(&p, 1, false);
}

// ----------------------------------------------------------------------------------------
// 8. --fail-on
// ----------------------------------------------------------------------------------------

/// A session with one unaccepted BLOCKING issue (a ratio breach) and one with only a WARNING
/// (size 5 in the gap between bands).
fn blocking_and_warning_sessions(db: &TestDb) -> (String, String) {
    clinic(
        db,
        6,
        &["M001", "M002", "M003", "M004", "M005", "M006", "M007"],
    );
    let blocking = session(
        db,
        "BLOCK",
        &["M001", "M002", "M003", "M004", "M005", "M006", "M007"],
    );
    mark(
        db,
        blocking,
        "ATTENDED",
        &["M001", "M002", "M003", "M004", "M005", "M006", "M007"],
    );
    mark_supervisor(db, blocking, "ATTENDED", DANA);
    let warning = session(db, "WARN", &["M001", "M002", "M003", "M004", "M005"]);
    mark(
        db,
        warning,
        "ATTENDED",
        &["M001", "M002", "M003", "M004", "M005"],
    );
    mark_supervisor(db, warning, "ATTENDED", DANA);
    (blocking.to_string(), warning.to_string())
}

#[test]
fn fail_on_exits_8_for_an_unaccepted_issue_at_or_above_the_threshold() {
    let db = TestDb::new();
    let (blocking, warning) = blocking_and_warning_sessions(&db);

    let p = preview(&db, blocking.parse().unwrap());
    assert_eq!(keys(&p), ["SUPERVISION_RATIO_BREACH:ORMCD"]);
    assert_eq!(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD")["arithmetic"],
        "7 billable > 1 present × 6"
    );
    let p = preview(&db, warning.parse().unwrap());
    assert_eq!(keys(&p), ["GROUP_SIZE_BAND_MISMATCH:ORMCD"]);

    let run = db.gsess(&["preview", &blocking, "--json", "--fail-on", "blocking"]);
    run.code(8);
    assert_eq!(
        run.json()["blocking_count"],
        1,
        "the preview is still printed"
    );
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "BLOCKING_ISSUES");
    assert_eq!(error["error"]["http_status"], 422);
    assert_eq!(
        error["error"]["issues"],
        json!(["SUPERVISION_RATIO_BREACH"])
    );

    db.gsess(&["preview", &warning, "--json", "--fail-on", "blocking"])
        .success();
    db.gsess(&["preview", &warning, "--json", "--fail-on", "warning"])
        .code(8)
        .stderr_contains("GROUP_SIZE_BAND_MISMATCH");
    db.gsess(&["preview", &warning, "--fail-on", "warning"])
        .code(8);
    db.gsess(&["preview", &warning, "--json"]).success();
    db.gsess(&["preview", &blocking, "--json"]).success();
    db.gsess(&["preview", &blocking]).success();

    // An accepted issue no longer trips the threshold.
    accept_payer_issue(
        &db,
        warning.parse().unwrap(),
        "GROUP_SIZE_BAND_MISMATCH",
        "ORMCD",
        5,
        1,
    );
    db.gsess(&["preview", &warning, "--json", "--fail-on", "warning"])
        .success();
    accept_payer_issue(
        &db,
        blocking.parse().unwrap(),
        "SUPERVISION_RATIO_BREACH",
        "ORMCD",
        7,
        1,
    );
    db.gsess(&["preview", &blocking, "--json", "--fail-on", "blocking"])
        .success();
}

#[test]
fn fail_on_refuses_an_unknown_session_with_3_and_an_unknown_threshold_with_2() {
    let db = TestDb::new();
    let (blocking, _) = blocking_and_warning_sessions(&db);
    let run = db.gsess(&["preview", "999999", "--json", "--fail-on", "blocking"]);
    run.code(3);
    assert_eq!(run.json_error()["error"]["code"], "NOT_FOUND");
    db.gsess(&["preview", "999999", "--json"]).code(3);
    db.gsess(&["show", "999999", "--json"]).code(3);
    let run = db.gsess(&["preview", &blocking, "--json", "--fail-on", "bogus"]);
    run.code(2);
    assert_eq!(run.json_error()["error"]["code"], "USAGE");
}

#[test]
fn fail_on_accepts_the_severity_in_any_case() {
    // Severities are upper case in JSON; on the command line, any case.
    let db = TestDb::new();
    let (blocking, warning) = blocking_and_warning_sessions(&db);
    db.gsess(&["preview", &blocking, "--json", "--fail-on", "BLOCKING"])
        .code(8);
    db.gsess(&["preview", &warning, "--json", "--fail-on", "Warning"])
        .code(8);
    db.gsess(&["preview", &warning, "--json", "--fail-on", "BLOCKING"])
        .success();
}

// ----------------------------------------------------------------------------------------
// 9. --watch
// ----------------------------------------------------------------------------------------

/// `gsess preview ID --watch --json` running in the background; killed if a test fails.
struct Watcher {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Watcher {
    fn start(db: &TestDb, session: i64) -> Watcher {
        let mut child = Command::new(common::gsess_binary())
            .args(["preview", &session.to_string(), "--watch", "--json"])
            .env_remove("GSESS_HOME")
            .env("NO_COLOR", "1")
            .env("DATABASE_URL", db.url())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn gsess preview --watch");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().expect("stderr");
        let collected = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut text = collected.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        Watcher {
            child,
            lines,
            stderr,
        }
    }

    /// The next NDJSON document, if one comes within `within`.
    fn next(&self, within: Duration) -> Option<Value> {
        let line = self.lines.recv_timeout(within).ok()?;
        Some(
            serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("not one JSON document per line ({e}): {line}")),
        )
    }

    #[track_caller]
    fn expect_next(&self, what: &str) -> Value {
        self.next(Duration::from_secs(10)).unwrap_or_else(|| {
            panic!(
                "no preview line for {what} within 10 s; stderr: {}",
                self.stderr.lock().unwrap()
            )
        })
    }

    /// SIGINT must stop it with exit status 0 within 10 s.
    #[track_caller]
    fn assert_interrupt_exits_0(&mut self) {
        let status = self.interrupt();
        let stderr = self.stderr.lock().unwrap().clone();
        let status = status.unwrap_or_else(|| {
            panic!("`preview --watch` still running 10 s after SIGINT; stderr so far:\n{stderr}")
        });
        assert_eq!(
            status.code(),
            Some(0),
            "exit after SIGINT; stderr:\n{stderr}"
        );
    }

    /// SIGINT, as Ctrl-C would; returns how it exited (None if it did not within 10 s).
    fn interrupt(&mut self) -> Option<ExitStatus> {
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid");
        // SAFETY: kill(2) on our own child's pid, which has not been reaped yet.
        let sent = unsafe { libc::kill(pid, libc::SIGINT) };
        assert_eq!(sent, 0, "kill -INT {pid}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn preview_watch_prints_a_line_for_each_change_to_its_session_made_elsewhere() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M002", "M003"]);
    let id = session(&db, "S1", &["M001", "M002", "M003"]);
    let other = session(&db, "S2", &["M001", "M002"]);
    mark(&db, id, "ATTENDED", &["M001"]);

    let mut watcher = Watcher::start(&db, id);
    let first = watcher.expect_next("the start");
    assert_fields(
        &first,
        json!({"session_id": id, "billable_count": 1, "supervisors_present": 0}),
    );
    assert!(keys(&first).contains(&"GROUP_UNATTENDED_BILLED".to_owned()));

    // A roster change made by another connection.
    mark(&db, id, "ATTENDED", &["M002"]);
    let second = watcher.expect_next("M002 marked ATTENDED");
    assert_fields(&second, json!({"session_id": id, "billable_count": 2}));

    // A supervisor change re-renders too.
    mark_supervisor(&db, id, "ATTENDED", DANA);
    let third = watcher.expect_next("the supervisor marked ATTENDED");
    assert_fields(
        &third,
        json!({"billable_count": 2, "supervisors_present": 1}),
    );

    // Another session's change: no line.
    mark(&db, other, "ATTENDED", &["M001", "M002"]);
    if let Some(line) = watcher.next(Duration::from_millis(1500)) {
        panic!("a change to session {other} printed a line for session {id}: {line}");
    }

    // The next line is this session's next change, and nothing came in between.
    mark(&db, id, "LATE", &["M003"]);
    let fourth = watcher.expect_next("M003 marked LATE");
    assert_fields(
        &fourth,
        json!({"session_id": id, "billable_count": 3, "ready_to_bill": true, "blocking_count": 0}),
    );
    assert_eq!(keys(&fourth), Vec::<String>::new());

    // Ctrl-C while it waits for the next change.
    std::thread::sleep(Duration::from_millis(300));
    watcher.assert_interrupt_exits_0();
}

#[test]
fn preview_watch_stops_on_sigint_even_while_it_is_re_rendering() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M002"]);
    let id = session(&db, "S1", &["M001", "M002"]);
    mark(&db, id, "ATTENDED", &["M001"]);

    let mut watcher = Watcher::start(&db, id);
    watcher.expect_next("the start");
    // A burst of 30 changes committed one by one: the watcher re-renders one after another.
    let burst: String = (0..30)
        .map(|round| {
            let status = if round % 2 == 0 { "LATE" } else { "ATTENDED" };
            format!(
                "BEGIN;
                 UPDATE session_participant p SET status = '{status}' FROM member m
                  WHERE m.id = p.member_id AND p.session_id = {id} AND m.mrn = 'M001';
                 COMMIT;"
            )
        })
        .collect();
    db.sql(&burst);
    watcher.expect_next("the first change of the burst");
    // Ctrl-C now, while it is still working through the burst.
    watcher.assert_interrupt_exits_0();
}

// ----------------------------------------------------------------------------------------
// 10–11. Scope, size
// ----------------------------------------------------------------------------------------

#[test]
fn reading_a_session_needs_the_read_scope() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001", "M002"]);
    let id = session(&db, "S1", &["M001", "M002"]).to_string();

    let stranger = db.login("x", &[]);
    for command in ["preview", "show"] {
        let run = db.gsess_as(&stranger, &[command, &id, "--json"]);
        run.code(6);
        let error = run.json_error();
        assert_eq!(error["error"]["code"], "FORBIDDEN", "{command}");
        assert_eq!(error["error"]["http_status"], 403, "{command}");
        assert_eq!(error["error"]["missing_scope"], READ_SCOPE, "{command}");
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains(READ_SCOPE),
            "{error}"
        );
        assert!(run.stdout.is_empty(), "nothing on stdout: {}", run.stdout);
    }

    let reader = db.login("reader", &[READ_SCOPE]);
    let p = db
        .gsess_as(&reader, &["preview", &id, "--json"])
        .success()
        .json();
    assert_eq!(p["session_id"], id.parse::<i64>().unwrap());
    db.gsess_as(&reader, &["show", &id, "--json"]).success();
}

#[test]
fn a_forty_member_session_is_shown_whole() {
    let db = TestDb::new();
    clinic(&db, 6, &["M001"]);
    db.sql(
        "INSERT INTO member (mrn, first_name, last_name, birth_date, sex, diagnosis_codes)
         SELECT 'M' || lpad(n::text, 3, '0'), 'First', 'Last', DATE '2001-02-03', 'F', ARRAY['F331']
           FROM generate_series(2, 40) n;
         INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date)
         SELECT m.id, y.id, 1, 'SUB-' || m.mrn, DATE '2026-01-01'
           FROM member m, payer y WHERE y.code = 'ORMCD' AND m.mrn <> 'M001';",
    );
    let mrns: Vec<String> = (1..=40).map(|n| format!("M{n:03}")).collect();
    let mrn_refs: Vec<&str> = mrns.iter().map(String::as_str).collect();
    let id = session(&db, "BIG", &mrn_refs);

    let s = show(&db, id);
    assert_fields(
        &s["session"],
        json!({
            "roster_size": 40,
            "attendance": {"scheduled": 40, "attended": 0, "late": 0, "absent": 0},
            "status": "OPEN",
        }),
    );
    let roster: Vec<&str> = s["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["mrn"].as_str().unwrap())
        .collect();
    assert_eq!(roster, mrn_refs, "roster rows in the order they were added");
    assert_eq!(
        issue(&s["preview"], "GROUP_UNATTENDED_BILLED")["arithmetic"],
        "40 SCHEDULED of 40 roster rows"
    );

    mark(&db, id, "ATTENDED", &mrn_refs);
    let p = preview(&db, id);
    assert_fields(&p, json!({"billable_count": 40}));
    assert_eq!(
        payer_entry(&p, "ORMCD")["members"],
        json!(strings(&mrn_refs))
    );
    assert_eq!(
        keys(&p),
        [
            "GROUP_SIZE_ABOVE_MAXIMUM:ORMCD",
            "SUPERVISION_RATIO_BREACH:ORMCD"
        ]
    );
    assert_eq!(
        issue(&p, "GROUP_SIZE_ABOVE_MAXIMUM:ORMCD")["arithmetic"],
        "size 40 > top band 6–8"
    );
    assert_eq!(
        issue(&p, "SUPERVISION_RATIO_BREACH:ORMCD")["arithmetic"],
        "40 billable > 0 present × 6"
    );
    assert_eq!(show(&db, id)["session"]["status"], "READY");
}
