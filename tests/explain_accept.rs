//! `explain` names the database rows behind the preview; `accept` records exceptions that hold
//! only while their figures stand.

mod common;

use common::TestDb;
use serde_json::{json, Value};

/// Ids of the rows a test seeds, so assertions compare with what was really inserted.
struct Seeded {
    session: i64,
    ratio_rule: i64,
    band_small: i64,
    band_large: i64,
    band_dbt: i64,
    assignment: i64,
    coverage_ana: i64,
    rows: Vec<i64>,
}

/// An Oregon DBT session: M001 and M002 on ORMCD (M001's supervisor Dana), M003 uncovered;
/// ORMCD has a generic 2–4 and 6–8 band, a DBT-specific band for another state, and a ratio
/// of 2 per supervisor.
fn seed(db: &TestDb) -> Seeded {
    db.sql(
        "INSERT INTO facility (code, name, state, timezone, npi, tax_id, address_line1, address_city,
                               address_state, address_zip)
         VALUES ('NORTH', 'North Clinic', 'OR', 'America/Los_Angeles', '1234567893', '931234567',
                 '1 Main St', 'Portland', 'OR', '972011234');
         INSERT INTO payer (code, name, payer_id) VALUES ('ORMCD', 'Oregon Medicaid', 'ORDHS');
         INSERT INTO group_type (code, name) VALUES ('DBT', 'DBT skills');
         INSERT INTO member (mrn, first_name, last_name, birth_date, sex, diagnosis_codes) VALUES
           ('M001', 'Ana', 'Lopez', '2001-02-03', 'F', '{F331}'),
           ('M002', 'Ben', 'Ng', '1999-05-06', 'M', '{F331}'),
           ('M003', 'Cy', 'Oh', '1998-07-08', 'M', '{F331}');
         INSERT INTO provider (npi, first_name, last_name) VALUES ('1245319599', 'Dana', 'Reyes');",
    );
    let id = |sql: &str| db.scalar::<i64>(sql);
    let coverage_ana = id(
        "INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date)
        VALUES (1, 1, 1, 'OR1', '2026-01-01') RETURNING id",
    );
    id("INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date, end_date)
        VALUES (2, 1, 1, 'OR2', '2025-01-01', '2025-12-31') RETURNING id");
    id(
        "INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date)
        VALUES (2, 1, 1, 'OR2B', '2026-01-01') RETURNING id",
    );
    let assignment = id(
        "INSERT INTO staff_assignment (provider_id, member_id, role, start_date)
        VALUES (1, 1, 'SUPERVISING', '2026-01-01') RETURNING id",
    );
    let ratio_rule = id(
        "INSERT INTO supervision_rule (payer_id, state, max_per_supervisor)
        VALUES (1, 'OR', 2) RETURNING id",
    );
    let band_small = id("INSERT INTO size_band (payer_id, state, min_size, max_size, procedure_code, modifiers, rate)
        VALUES (1, 'OR', 2, 4, '90853', '{HQ}', 45) RETURNING id");
    let band_large = id("INSERT INTO size_band (payer_id, state, min_size, max_size, procedure_code, modifiers, rate)
        VALUES (1, 'OR', 6, 8, '90853', '{HQ}', 40) RETURNING id");
    let band_dbt = id("INSERT INTO size_band (payer_id, state, group_type_id, min_size, max_size, procedure_code, rate)
        VALUES (1, 'WA', 1, 1, 9, '90853', 99) RETURNING id");
    let session = id("INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source, external_id)
        VALUES (1, 1, '2026-11-27T14:00:00-08:00', '2026-11-27T15:30:00-08:00', 'FEED', 'X1') RETURNING id");
    let rows = (1..=3)
        .map(|member| {
            id(&format!(
                "INSERT INTO session_participant (facility_id, session_id, member_id)
                 VALUES (1, {session}, {member}) RETURNING id"
            ))
        })
        .collect();
    Seeded {
        session,
        ratio_rule,
        band_small,
        band_large,
        band_dbt,
        assignment,
        coverage_ana,
        rows,
    }
}

fn mark(db: &TestDb, row: i64, status: &str) {
    db.sql(&format!(
        "UPDATE session_participant SET status = '{status}' WHERE id = {row}"
    ));
}

fn issue<'a>(preview: &'a Value, code: &str) -> Option<&'a Value> {
    preview["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
}

#[test]
fn explain_names_the_rows_behind_every_answer() {
    let db = TestDb::new();
    let s = seed(&db);
    for row in &s.rows {
        mark(&db, *row, "ATTENDED");
    }
    let id = s.session.to_string();
    let json = db.gsess(&["explain", &id, "--json"]).success().json();

    assert_eq!(json["session_id"], s.session);
    assert_eq!(json["members"][0]["coverage_id"], s.coverage_ana);
    assert_eq!(json["members"][0]["payer"], "ORMCD");
    // Ben's 2025 policy expired; the 2026 one was chosen, and the reason says so.
    assert!(json["members"][1]["why"]
        .as_str()
        .unwrap()
        .contains("2026-01-01..open covers 2026-11-27"));
    assert_eq!(json["members"][2]["coverage_id"], Value::Null);
    assert_eq!(json["members"][2]["why"], "no coverage policy on file");

    let billable: Vec<i64> = json["billable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["roster_row_id"].as_i64().unwrap())
        .collect();
    assert_eq!(billable, s.rows);

    assert_eq!(json["supervisors"][0]["npi"], "1245319599");
    assert_eq!(json["supervisors"][0]["source"], "ASSIGNMENT");
    assert_eq!(json["supervisors"][0]["assignment_id"], s.assignment);

    let rule_ids: Vec<(String, i64, bool)> = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_owned(),
                r["id"].as_i64().unwrap(),
                r["applied"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(rule_ids.contains(&("supervision_rule".into(), s.ratio_rule, true)));
    assert!(rule_ids.contains(&("size_band".into(), s.band_small, true)));
    assert!(rule_ids.contains(&("size_band".into(), s.band_large, false)));
    assert!(
        !rule_ids.iter().any(|(_, id, _)| *id == s.band_dbt),
        "a band for another state never matches: {rule_ids:?}"
    );

    let breach = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "SUPERVISION_RATIO_BREACH")
        .expect("3 billable with no supervisor present");
    assert_eq!(breach["arithmetic"], "3 billable > 0 present × 2");
    assert_eq!(breach["rule_ids"], json!([s.ratio_rule]));
}

#[test]
fn explain_of_an_unknown_session_exits_3() {
    let db = TestDb::new();
    db.gsess(&["explain", "999"])
        .code(3)
        .stderr_contains("no session 999");
}

#[test]
fn an_acceptance_holds_while_its_figures_stand_and_is_audited() {
    let db = TestDb::new();
    let s = seed(&db);
    let id = s.session.to_string();
    mark(&db, s.rows[0], "ATTENDED");
    mark(&db, s.rows[1], "ATTENDED");
    mark(&db, s.rows[2], "ABSENT");
    let writer = db.login("writer", &["clinical.attendance.write"]);

    let accepted = db
        .gsess_as(
            &writer,
            &[
                "accept",
                &id,
                "supervision_ratio_breach",
                "--payer",
                "ORMCD",
                "--reason",
                "aide present",
                "--json",
            ],
        )
        .success()
        .json();
    assert_eq!(accepted["session_id"], s.session);
    assert_eq!(accepted["code"], "SUPERVISION_RATIO_BREACH");
    assert_eq!(accepted["payer"], "ORMCD");
    assert_eq!(accepted["group_size"], 2);
    assert_eq!(accepted["supervisors_present"], 0);
    assert_eq!(accepted["accepted_by"], writer.as_str());
    // The facility's offset (Los Angeles in November), as every time gsess prints.
    assert!(
        accepted["accepted_at"]
            .as_str()
            .unwrap()
            .ends_with("-08:00"),
        "{}",
        accepted["accepted_at"]
    );

    let preview = db.gsess(&["preview", &id, "--json"]).success().json();
    let breach = issue(&preview, "SUPERVISION_RATIO_BREACH").expect("still shown");
    assert_eq!(breach["accepted"], true);
    db.gsess(&["preview", &id, "--fail-on", "blocking"])
        .success();

    // A third participant changes the figures: the breach blocks again.
    mark(&db, s.rows[2], "LATE");
    let preview = db.gsess(&["preview", &id, "--json"]).success().json();
    assert_eq!(
        issue(&preview, "SUPERVISION_RATIO_BREACH").unwrap()["accepted"],
        false
    );
    db.gsess(&["preview", &id, "--fail-on", "blocking"]).code(8);

    let audit = db.rows(&format!(
        "SELECT actor, reason FROM audit_log WHERE action = 'accept' AND session_id = {}",
        s.session
    ));
    assert_eq!(
        audit,
        vec![json!({"actor": writer, "reason": "aide present"})]
    );
}

#[test]
fn revoking_withdraws_the_acceptance_and_is_audited() {
    let db = TestDb::new();
    let s = seed(&db);
    let id = s.session.to_string();
    mark(&db, s.rows[0], "ATTENDED");
    mark(&db, s.rows[1], "ATTENDED");
    db.gsess(&[
        "accept",
        &id,
        "SUPERVISION_RATIO_BREACH",
        "--payer",
        "ORMCD",
        "--reason",
        "ok",
    ])
    .success();
    db.gsess(&[
        "accept",
        &id,
        "SUPERVISION_RATIO_BREACH",
        "--payer",
        "ORMCD",
        "--revoke",
        "--reason",
        "aide left",
    ])
    .success()
    .stdout_contains("Revoked");
    let preview = db.gsess(&["preview", &id, "--json"]).success().json();
    assert_eq!(
        issue(&preview, "SUPERVISION_RATIO_BREACH").unwrap()["accepted"],
        false
    );
    assert_eq!(
        db.scalar::<String>("SELECT reason FROM audit_log WHERE action = 'accept.revoke'"),
        "aide left"
    );
    // Nothing left to revoke.
    db.gsess(&[
        "accept",
        &id,
        "SUPERVISION_RATIO_BREACH",
        "--payer",
        "ORMCD",
        "--revoke",
    ])
    .code(3);
}

#[test]
fn accept_refuses_what_cannot_or_need_not_be_accepted() {
    let db = TestDb::new();
    let s = seed(&db);
    let id = s.session.to_string();
    mark(&db, s.rows[0], "ATTENDED");

    // Not acceptable by the rules: exit 10 with the reason.
    let run = db.gsess(&[
        "--json",
        "accept",
        &id,
        "GROUP_UNATTENDED_BILLED",
        "--reason",
        "x",
    ]);
    run.code(10);
    assert!(run.json_error()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("cannot be accepted"));
    db.gsess(&[
        "accept",
        &id,
        "NO_SIZE_BANDS",
        "--payer",
        "ORMCD",
        "--reason",
        "x",
    ])
    .code(10);
    // Unknown code, missing scope qualifier, an issue not raised now.
    db.gsess(&["accept", &id, "NOT_A_CODE", "--reason", "x"])
        .code(10)
        .stderr_contains("unknown issue code");
    db.gsess(&["accept", &id, "SUPERVISION_RATIO_BREACH", "--reason", "x"])
        .code(10)
        .stderr_contains("--payer");
    db.gsess(&[
        "accept",
        &id,
        "NO_COVERAGE",
        "--member",
        "M002",
        "--reason",
        "x",
    ])
    .code(10)
    .stderr_contains("not raised");
    // A payer or member that does not exist is not found.
    db.gsess(&[
        "accept",
        &id,
        "SUPERVISION_RATIO_BREACH",
        "--payer",
        "NOPE",
        "--reason",
        "x",
    ])
    .code(3)
    .stderr_contains("no payer NOPE");
    db.gsess(&[
        "accept",
        &id,
        "NO_COVERAGE",
        "--member",
        "M999",
        "--reason",
        "x",
    ])
    .code(3)
    .stderr_contains("no member M999");
    // No reason: the parser refuses.
    db.gsess(&[
        "accept",
        &id,
        "SUPERVISION_RATIO_BREACH",
        "--payer",
        "ORMCD",
    ])
    .code(2);
    // A read-only login lacks the write scope.
    let reader = db.login("reader", &["clinical.group-session.read"]);
    db.gsess_as(
        &reader,
        &[
            "accept",
            &id,
            "SUPERVISION_RATIO_BREACH",
            "--payer",
            "ORMCD",
            "--reason",
            "x",
        ],
    )
    .code(6)
    .stderr_contains("clinical.attendance.write");
    assert_eq!(
        db.scalar::<i64>("SELECT count(*) FROM accepted_exception"),
        0
    );
}

#[test]
fn the_database_stamps_who_accepted_and_refuses_edits_to_an_acceptance() {
    let db = TestDb::new();
    let s = seed(&db);
    mark(&db, s.rows[0], "ATTENDED");
    let writer = db.login("writer", &["clinical.attendance.write"]);
    db.sql_as(
        &writer,
        &format!(
            "INSERT INTO accepted_exception (facility_id, session_id, code, member_id, reason, group_size, supervisors_present)
             VALUES (1, {}, 'NO_COVERAGE', 3, 'self-pay', 1, 0)",
            s.session
        ),
    )
    .expect("a writer may record an acceptance");
    assert_eq!(
        db.scalar::<String>("SELECT accepted_by FROM accepted_exception"),
        writer
    );
    // Only revoking is allowed, and only once.
    let refused = db
        .sql_as(
            &writer,
            "UPDATE accepted_exception SET revoked_at = now(), revoked_by = 'someone-else'",
        )
        .map(|_| db.scalar::<String>("SELECT revoked_by FROM accepted_exception"));
    assert_eq!(refused.unwrap(), writer, "the database names the reviser");
    let again = db
        .sql_as(&writer, "UPDATE accepted_exception SET revoked_at = now()")
        .unwrap_err();
    assert_eq!(again.sqlstate, "GS409");
}

#[test]
fn moving_a_session_to_another_day_derives_its_supervisors_again() {
    let db = TestDb::new();
    let s = seed(&db);
    // Dana's assignment to M001 starts 2026-01-01: a session moved into 2025 has no supervisor.
    db.sql(&format!(
        "UPDATE group_session SET starts_at = '2025-06-01T14:00:00-07:00',
                                  ends_at = '2025-06-01T15:00:00-07:00' WHERE id = {}",
        s.session
    ));
    let show = db
        .gsess(&["show", &s.session.to_string(), "--json"])
        .success()
        .json();
    assert_eq!(show["supervisors"], json!([]));
    db.sql(&format!(
        "UPDATE group_session SET starts_at = '2026-11-20T14:00:00-08:00',
                                  ends_at = '2026-11-20T15:00:00-08:00' WHERE id = {}",
        s.session
    ));
    let show = db
        .gsess(&["show", &s.session.to_string(), "--json"])
        .success()
        .json();
    assert_eq!(show["supervisors"][0]["npi"], "1245319599");
}

#[test]
fn an_acceptance_notifies_watchers_of_its_session() {
    let db = TestDb::new();
    let s = seed(&db);
    let id = s.session.to_string();
    mark(&db, s.rows[0], "ATTENDED");
    mark(&db, s.rows[1], "ATTENDED");
    let payloads = db.listen_during("gsess_attendance", || {
        db.gsess(&[
            "accept",
            &id,
            "SUPERVISION_RATIO_BREACH",
            "--payer",
            "ORMCD",
            "--reason",
            "ok",
        ])
        .success();
    });
    assert_eq!(
        payloads,
        vec![id.clone()],
        "preview --watch re-renders on an acceptance"
    );
}

#[test]
fn the_database_refuses_an_acceptance_of_a_code_that_cannot_be_accepted_or_out_of_scope() {
    let db = TestDb::new();
    let s = seed(&db);
    let writer = db.login("writer", &["clinical.attendance.write"]);
    let insert = |code: &str, payer: &str, member: &str| {
        db.sql_as(
            &writer,
            &format!(
                "INSERT INTO accepted_exception (facility_id, session_id, code, payer_id, member_id,
                                                 reason, group_size, supervisors_present)
                 VALUES (1, {}, '{code}', {payer}, {member}, 'by hand', 1, 0)",
                s.session
            ),
        )
    };
    for (code, payer, member) in [
        ("GROUP_UNATTENDED_BILLED", "NULL", "NULL"),
        ("NOT_A_CODE", "NULL", "NULL"),
        ("SUPERVISION_RATIO_BREACH", "NULL", "NULL"),
        ("NO_COVERAGE", "1", "NULL"),
        ("NO_SUPERVISOR_ASSIGNED", "NULL", "1"),
    ] {
        let refused = insert(code, payer, member).expect_err(code);
        assert_eq!(refused.sqlstate, "23514", "{code}: {}", refused.message);
    }
    insert("NO_COVERAGE", "NULL", "3").expect("a member-scoped acceptance names the member");
    // The session still reads: show and preview work.
    db.gsess(&["preview", &s.session.to_string()]).success();
}

#[test]
fn an_assignment_can_be_deleted_after_it_linked_supervisors() {
    let db = TestDb::new();
    let s = seed(&db);
    let id = s.session.to_string();
    // Dana attended; then the session is locked by a claim.
    db.sql(&format!(
        "UPDATE session_supervisor SET status = 'ATTENDED' WHERE session_id = {}",
        s.session
    ));
    db.sql(&format!(
        "INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id, frequency_code,
                            claim_control_number, amount)
         VALUES (1, {}, 1, 1, {}, '1', 'C1', 45)",
        s.session, s.coverage_ana
    ));
    db.sql(&format!(
        "DELETE FROM staff_assignment WHERE id = {}",
        s.assignment
    ));
    // The supervisor row keeps its attendance; explain says the link is gone.
    let json = db.gsess(&["explain", &id, "--json"]).success().json();
    assert_eq!(json["supervisors"][0]["status"], "ATTENDED");
    assert_eq!(json["supervisors"][0]["assignment_id"], Value::Null);
    assert_eq!(
        db.scalar::<i64>("SELECT count(*) FROM audit_log WHERE action = 'supervisor.mark'"),
        1,
        "clearing the link is not an attendance change"
    );
}
