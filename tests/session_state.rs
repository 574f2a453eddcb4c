//! Decisions the schema and the rules module both make agree: the derived session status
//! (`session_status()` in SQL, `SessionStatus::derive` in Rust) on every combination of
//! roster states, billed mark and claim, and the issue codes the database lets be accepted.

mod common;

use common::TestDb;
use gsess::rules::{AttendanceStatus, IssueCode, IssueScope, SessionStatus};
use std::collections::BTreeMap;

/// Every roster of up to three rows, as a multiset of statuses (the order rows have does not
/// matter to the status): 1 + 4 + 10 + 20 = 35 rosters.
fn rosters() -> Vec<Vec<AttendanceStatus>> {
    let all = AttendanceStatus::ALL;
    let mut rosters = vec![vec![]];
    for a in 0..all.len() {
        rosters.push(vec![all[a]]);
        for b in a..all.len() {
            rosters.push(vec![all[a], all[b]]);
            for c in b..all.len() {
                rosters.push(vec![all[a], all[b], all[c]]);
            }
        }
    }
    rosters
}

fn seed(db: &TestDb) {
    db.sql(
        "INSERT INTO facility (code, name, state, timezone, npi, tax_id, address_line1, address_city,
                               address_state, address_zip)
         VALUES ('NORTH', 'North Clinic', 'OR', 'America/Los_Angeles', '1234567893', '931234567',
                 '1 Main St', 'Portland', 'OR', '972011234');
         INSERT INTO payer (code, name, payer_id) VALUES ('ORMCD', 'Oregon Medicaid', 'ORDHS');
         INSERT INTO group_type (code, name) VALUES ('DBT', 'DBT skills');
         INSERT INTO member (mrn, first_name, last_name, birth_date, sex) VALUES
           ('M1', 'Ana', 'Lopez', '2001-02-03', 'F'), ('M2', 'Ben', 'Ng', '1999-05-06', 'M'),
           ('M3', 'Cy', 'Oh', '1998-07-08', 'M');
         INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date)
           SELECT m.id, y.id, 1, 'S' || m.mrn, '2020-01-01' FROM member m, payer y;",
    );
}

/// The SQL making session `external_id` on 2026-11-27 with these roster statuses, billed and
/// claimed as asked (through the triggers: each status reached by a legal step).
fn session_sql(
    external_id: &str,
    statuses: &[AttendanceStatus],
    billed: bool,
    claimed: bool,
) -> String {
    let this = format!("(SELECT id FROM group_session WHERE external_id = '{external_id}')");
    let mut sql = format!(
        "INSERT INTO group_session (facility_id, external_id, group_type_id, starts_at, ends_at, source)
         SELECT f.id, '{external_id}', t.id, '2026-11-27 14:00-08', '2026-11-27 15:30-08', 'ADHOC'
           FROM facility f, group_type t;\n"
    );
    for (i, status) in statuses.iter().enumerate() {
        let mrn = format!("M{}", i + 1);
        sql.push_str(&format!(
            "INSERT INTO session_participant (facility_id, session_id, member_id)
             SELECT s.facility_id, s.id, m.id FROM group_session s, member m
              WHERE s.id = {this} AND m.mrn = '{mrn}';\n"
        ));
        if *status != AttendanceStatus::Scheduled {
            sql.push_str(&format!(
                "UPDATE session_participant p SET status = '{status}' FROM member m
                  WHERE m.id = p.member_id AND p.session_id = {this} AND m.mrn = '{mrn}';\n"
            ));
        }
    }
    if billed {
        sql.push_str(&format!(
            "UPDATE group_session SET billed_at = now() WHERE id = {this};\n"
        ));
    }
    if claimed {
        sql.push_str(&format!(
            "INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                                frequency_code, claim_control_number, amount)
             SELECT s.facility_id, s.id, c.member_id, c.payer_id, c.id, '1', '{external_id}', 45.00
               FROM group_session s, coverage_policy c JOIN member m ON m.id = c.member_id
              WHERE s.id = {this} AND m.mrn = 'M1';\n"
        ));
    }
    sql
}

fn id_of(db: &TestDb, external_id: &str) -> i64 {
    db.scalar(&format!(
        "SELECT id FROM group_session WHERE external_id = '{external_id}'"
    ))
}

#[test]
fn the_sql_status_agrees_with_the_rules_on_every_combination() {
    let db = TestDb::new();
    seed(&db);
    let mut combinations = Vec::new();
    for roster in rosters() {
        for billed in [false, true] {
            for claimed in [false, true] {
                combinations.push((roster.clone(), billed, claimed));
            }
        }
    }
    let sql: String = combinations
        .iter()
        .enumerate()
        .map(|(n, (roster, billed, claimed))| {
            session_sql(&format!("C{n}"), roster, *billed, *claimed)
        })
        .collect();
    db.sql(&sql);
    let mut expected = BTreeMap::new();
    for (n, (roster, billed, claimed)) in combinations.into_iter().enumerate() {
        let status = SessionStatus::derive(claimed, billed, roster.iter().copied());
        expected.insert(
            id_of(&db, &format!("C{n}")),
            (status, roster, billed, claimed),
        );
    }
    assert_eq!(expected.len(), 140);

    // `list` reads the status from SQL's session_status(); `show` derives it in Rust from
    // the session read. Both must say what the rules say.
    let listed = db
        .gsess(&[
            "list",
            "--date",
            "2026-11-27",
            "--facility",
            "all",
            "--json",
        ])
        .success()
        .json();
    let listed: BTreeMap<i64, String> = listed
        .as_array()
        .expect("an array")
        .iter()
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut disagreements = Vec::new();
    for (id, (status, roster, billed, claimed)) in &expected {
        let sql = listed.get(id).map(String::as_str);
        if sql != Some(status.as_str()) {
            disagreements.push(format!(
                "roster {roster:?}, billed {billed}, claim {claimed}: SQL {sql:?}, rules {status}"
            ));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");

    for (id, (status, ..)) in expected.iter().step_by(7) {
        let shown = db
            .gsess(&["show", &id.to_string(), "--json"])
            .success()
            .json();
        assert_eq!(shown["session"]["status"], status.as_str(), "session {id}");
    }

    // Filtering by status goes through the same function.
    let locked = db
        .gsess(&[
            "list",
            "--date",
            "2026-11-27",
            "--facility",
            "all",
            "--status",
            "locked",
            "--json",
        ])
        .success()
        .json();
    let want = expected
        .values()
        .filter(|(s, ..)| *s == SessionStatus::Locked)
        .count();
    assert_eq!(locked.as_array().unwrap().len(), want);
}

#[test]
fn the_database_lets_be_accepted_exactly_the_codes_the_rules_do() {
    let db = TestDb::new();
    seed(&db);
    db.sql(&session_sql(
        "A",
        &[AttendanceStatus::Attended],
        false,
        false,
    ));
    let id = id_of(&db, "A");
    for code in IssueCode::ALL {
        // The subject the code's scope names: a payer, a member, or neither.
        let (payer, member) = match code.scope() {
            IssueScope::Session => ("NULL", "NULL"),
            IssueScope::Payer => ("(SELECT id FROM payer WHERE code = 'ORMCD')", "NULL"),
            IssueScope::Member => ("NULL", "(SELECT id FROM member WHERE mrn = 'M1')"),
        };
        let inserted = db.try_sql(&format!(
            "INSERT INTO accepted_exception (facility_id, session_id, code, payer_id, member_id,
                                             reason, group_size, supervisors_present)
             SELECT facility_id, id, '{code}', {payer}, {member}, 'documented', 1, 0
               FROM group_session WHERE id = {id}"
        ));
        match (&inserted, code.can_be_accepted()) {
            (Ok(()), true) => {}
            (Err(err), false) => assert_eq!(err.sqlstate, "23514", "{code}: {err:?}"),
            (outcome, acceptable) => {
                panic!("{code}: the rules say acceptable = {acceptable}, the database {outcome:?}")
            }
        }
    }
}
