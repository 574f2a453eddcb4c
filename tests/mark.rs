//! `gsess mark` against real PostgreSQL: every legal and illegal transition, all-or-nothing, supervisors, `--all-scheduled`, the order of refusals (lock before transitions), scopes, the JSON shape, the audit, and concurrent marks that lose nothing.

mod common;

use common::{TestDb, ROLL_CALL_DANA as DANA, ROLL_CALL_SAM as SAM};
use gsess::rules::AttendanceStatus;
use serde_json::Value;

const WRITE: &str = "clinical.attendance.write";
const READ: &str = "clinical.group-session.read";

fn writer(db: &TestDb) -> String {
    db.login("writer", &[WRITE])
}

/// `(before, after)` statuses of a roster row's audit entries, oldest first.
fn roster_audit(db: &TestDb, session: i64, mrn: &str) -> Vec<(String, String, String)> {
    db.rows(&format!(
        "SELECT a.actor, a.before->>'status' AS before, a.after->>'status' AS after
           FROM audit_log a JOIN member m ON m.id = a.member_id
          WHERE a.session_id = {session} AND a.action = 'roster.mark' AND m.mrn = '{mrn}'
          ORDER BY a.id"
    ))
    .iter()
    .map(|r| {
        (
            r["actor"].as_str().unwrap().to_owned(),
            r["before"].as_str().unwrap().to_owned(),
            r["after"].as_str().unwrap().to_owned(),
        )
    })
    .collect()
}

fn version(db: &TestDb, session: i64) -> i64 {
    db.scalar(&format!(
        "SELECT attendance_version FROM group_session WHERE id = {session}"
    ))
}

fn audit_count(db: &TestDb, session: i64) -> i64 {
    db.scalar(&format!(
        "SELECT count(*) FROM audit_log WHERE session_id = {session} AND action LIKE '%.mark'"
    ))
}

/// The audit's before/after pairs form one legal chain from SCHEDULED to `last`.
#[track_caller]
fn assert_legal_chain(chain: &[(String, String, String)], last: &str) {
    let mut at = AttendanceStatus::Scheduled;
    for (_, before, after) in chain {
        let before: AttendanceStatus = before.parse().unwrap();
        let after: AttendanceStatus = after.parse().unwrap();
        assert_eq!(before, at, "the chain is broken: {chain:?}");
        assert!(
            before.can_transition_to(after),
            "illegal step {before} -> {after} in {chain:?}"
        );
        at = after;
    }
    assert_eq!(at.as_str(), last, "{chain:?}");
}

fn changed(json: &Value) -> Vec<(String, String, String)> {
    json["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let who = c["mrn"].as_str().or(c["npi"].as_str()).unwrap().to_owned();
            (
                who,
                c["from"].as_str().unwrap().to_owned(),
                c["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn triple(who: &str, from: &str, to: &str) -> (String, String, String) {
    (who.to_owned(), from.to_owned(), to.to_owned())
}

// ----------------------------------------------------------------------------------------
// Transitions
// ----------------------------------------------------------------------------------------

#[test]
fn every_legal_transition_is_applied_by_mark() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    // M001 walks an Euler circuit of the terminal states (all six edges among them), M002 and
    // M003 take the other two ways out of SCHEDULED: nine legal transitions in all.
    let walk: [(&str, &str, &str); 9] = [
        ("M001", "SCHEDULED", "attended"),
        ("M001", "ATTENDED", "late"),
        ("M001", "LATE", "absent"),
        ("M001", "ABSENT", "attended"),
        ("M001", "ATTENDED", "absent"),
        ("M001", "ABSENT", "late"),
        ("M001", "LATE", "attended"),
        ("M002", "SCHEDULED", "absent"),
        ("M003", "SCHEDULED", "late"),
    ];
    for (mrn, from, to) in walk {
        let json = db
            .gsess_as(&w, &["mark", &id, to, mrn, "--json"])
            .success()
            .json();
        let upper = to.to_uppercase();
        assert_eq!(changed(&json), [triple(mrn, from, &upper)]);
        assert_eq!(db.roster_status(s, mrn).as_deref(), Some(upper.as_str()));
    }
    assert_legal_chain(&roster_audit(&db, s, "M001"), "ATTENDED");
    assert_eq!(roster_audit(&db, s, "M001").len(), 7);
}

#[test]
fn re_marking_a_row_with_its_own_status_exits_4_naming_the_row_and_its_next_states() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    db.set_roster_status(s, "M001", "ATTENDED");
    db.set_roster_status(s, "M002", "LATE");
    db.set_roster_status(s, "M003", "ABSENT");
    let before = audit_count(&db, s);
    for (mrn, status, next) in [
        ("M001", "attended", "ABSENT, LATE"),
        ("M002", "late", "ATTENDED, ABSENT"),
        ("M003", "absent", "ATTENDED, LATE"),
    ] {
        let upper = status.to_uppercase();
        let run = db.gsess_as(&w, &["mark", &id, status, mrn, "--json"]);
        run.code(4).stderr_contains(&format!(
            "{mrn}: {upper} -> {upper} is not allowed (next: {next})"
        ));
        let error = run.json_error();
        assert_eq!(error["error"]["code"], "ILLEGAL_TRANSITION");
        assert_eq!(error["error"]["http_status"], 409);
        assert_eq!(error["error"]["rows"][0]["mrn"], mrn);
        assert_eq!(db.roster_status(s, mrn).as_deref(), Some(upper.as_str()));
    }
    assert_eq!(audit_count(&db, s), before, "nothing was written");
}

#[test]
fn one_illegal_row_refuses_the_whole_mark_and_every_offender_is_named() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    db.set_roster_status(s, "M001", "ABSENT");
    db.set_roster_status(s, "M003", "ABSENT");
    let before = audit_count(&db, s);
    // M002 (SCHEDULED -> ABSENT) and Dana (SCHEDULED -> ABSENT) are legal, M001 and M003 not.
    let run = db.gsess_as(
        &w,
        &[
            "mark",
            &id,
            "absent",
            "M001",
            "M002",
            "M003",
            "--supervisor",
            DANA,
            "--json",
        ],
    );
    run.code(4)
        .stderr_contains("M001: ABSENT -> ABSENT is not allowed (next: ATTENDED, LATE)")
        .stderr_contains("M003: ABSENT -> ABSENT is not allowed (next: ATTENDED, LATE)")
        .stderr_contains("nothing changed");
    assert!(!run.stderr.contains("M002:"), "{}", run.stderr);
    let rows = run.json_error()["error"]["rows"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 2, "{rows}");
    assert_eq!(
        rows[1]["allowed_next"],
        serde_json::json!(["ATTENDED", "LATE"])
    );
    assert_eq!(db.roster_status(s, "M002").as_deref(), Some("SCHEDULED"));
    assert_eq!(db.supervisor_status(s, DANA).as_deref(), Some("SCHEDULED"));
    assert_eq!(audit_count(&db, s), before, "all or nothing");
}

#[test]
fn the_status_is_taken_in_any_case_and_scheduled_is_a_usage_error() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    db.gsess_as(&w, &["mark", &id, "Attended", "M001"])
        .success();
    db.gsess_as(&w, &["mark", &id, "LATE", "M002"]).success();
    assert_eq!(db.roster_status(s, "M001").as_deref(), Some("ATTENDED"));
    assert_eq!(db.roster_status(s, "M002").as_deref(), Some("LATE"));
    // Nothing goes back to SCHEDULED: the parser does not even take it.
    db.gsess_as(&w, &["mark", &id, "scheduled", "M003"]).code(2);
    db.gsess_as(&w, &["mark", &id, "present", "M003"]).code(2);
    db.gsess_as(&w, &["mark", "abc", "late", "M003"]).code(2);
    assert_eq!(db.roster_status(s, "M003").as_deref(), Some("SCHEDULED"));
}

// ----------------------------------------------------------------------------------------
// Supervisors, --all-scheduled, nothing named
// ----------------------------------------------------------------------------------------

#[test]
fn supervisors_are_marked_with_the_supervisor_flag_alongside_participants() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    let json = db
        .gsess_as(
            &w,
            &[
                "mark",
                &id,
                "attended",
                "--supervisor",
                DANA,
                "M002",
                "--json",
            ],
        )
        .success()
        .json();
    assert_eq!(
        changed(&json),
        [
            triple("M002", "SCHEDULED", "ATTENDED"),
            triple(DANA, "SCHEDULED", "ATTENDED")
        ]
    );
    assert_eq!(json["changed"][1]["name"], "Dana Reyes");
    assert!(json["changed"][1].get("mrn").is_none());
    assert_eq!(json["preview"]["supervisors_present"], 1);
    assert_eq!(db.supervisor_status(s, DANA).as_deref(), Some("ATTENDED"));
    let audited: i64 = db.scalar(&format!(
        "SELECT count(*) FROM audit_log WHERE session_id = {s} AND action = 'supervisor.mark'
            AND actor = '{w}' AND before->>'status' = 'SCHEDULED' AND after->>'status' = 'ATTENDED'"
    ));
    assert_eq!(audited, 1);
    // A supervisor row follows the same state machine.
    db.gsess_as(&w, &["mark", &id, "attended", "--supervisor", DANA])
        .code(4)
        .stderr_contains(&format!(
            "{DANA}: ATTENDED -> ATTENDED is not allowed (next: ABSENT, LATE)"
        ));
}

#[test]
fn all_scheduled_takes_every_roster_row_still_scheduled_once_and_then_there_is_none() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    db.set_roster_status(s, "M001", "ATTENDED");
    // M002 named and also SCHEDULED: changed once.
    let json = db
        .gsess_as(
            &w,
            &["mark", &id, "absent", "M002", "--all-scheduled", "--json"],
        )
        .success()
        .json();
    assert_eq!(
        changed(&json),
        [
            triple("M002", "SCHEDULED", "ABSENT"),
            triple("M003", "SCHEDULED", "ABSENT")
        ]
    );
    assert_eq!(db.roster_status(s, "M001").as_deref(), Some("ATTENDED"));
    // Supervisors are not roster rows.
    assert_eq!(db.supervisor_status(s, DANA).as_deref(), Some("SCHEDULED"));
    db.gsess_as(&w, &["mark", &id, "absent", "--all-scheduled"])
        .code(10)
        .stderr_contains("still SCHEDULED");
}

#[test]
fn naming_nothing_exits_10() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let run = db.gsess_as(&w, &["mark", &s.to_string(), "attended", "--json"]);
    run.code(10).stderr_contains("nothing to mark");
    assert_eq!(run.json_error()["error"]["code"], "INVALID_INPUT");
}

// ----------------------------------------------------------------------------------------
// The order of refusals
// ----------------------------------------------------------------------------------------

#[test]
fn a_locked_session_exits_5_naming_force_update_before_any_transition_or_name_problem() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    db.set_roster_status(s, "M002", "ATTENDED");
    db.lock_roll_call(s);
    for args in [
        vec!["mark", &id, "late", "M001"],
        // illegal (ATTENDED -> ATTENDED): the lock is still what is reported
        vec!["mark", &id, "attended", "M002"],
        // an unknown member on a locked session: the lock first
        vec!["mark", &id, "attended", "M999"],
        vec!["mark", &id, "absent", "--supervisor", DANA],
    ] {
        let mut args = args;
        args.push("--json");
        let run = db.gsess_as(&w, &args);
        run.code(5).stderr_contains("gsess force-update");
        assert_eq!(run.json_error()["error"]["code"], "LOCKED");
    }
    assert_eq!(db.roster_status(s, "M001").as_deref(), Some("SCHEDULED"));
}

#[test]
fn unknown_sessions_members_and_providers_exit_3_naming_them() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    db.gsess_as(&w, &["mark", "999999", "attended", "M001"])
        .code(3)
        .stderr_contains("no session 999999");
    db.gsess_as(&w, &["mark", &id, "attended", "M001", "M999"])
        .code(3)
        .stderr_contains("M999");
    db.gsess_as(&w, &["mark", &id, "attended", "--supervisor", "1999999992"])
        .code(3)
        .stderr_contains("no provider with NPI 1999999992");
    db.gsess_as(&w, &["mark", &id, "attended", "M001", "M005"])
        .code(3)
        .stderr_contains("M005 (Eve Stone) is not on the roster of session");
    db.gsess_as(&w, &["mark", &id, "attended", "--supervisor", SAM])
        .code(3)
        .stderr_contains(&format!("{SAM} (Sam Ortiz) is not a supervisor of session"))
        .stderr_contains("gsess supervisor add");
    assert_eq!(db.roster_status(s, "M001").as_deref(), Some("SCHEDULED"));
}

#[test]
fn without_the_write_scope_it_exits_6_naming_the_scope() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let reader = db.login("reader", &[READ]);
    let run = db.gsess_as(
        &reader,
        &["mark", &s.to_string(), "attended", "M001", "--json"],
    );
    run.code(6).stderr_contains(WRITE);
    assert_eq!(run.json_error()["error"]["missing_scope"], WRITE);
    assert_eq!(db.roster_status(s, "M001").as_deref(), Some("SCHEDULED"));
}

// ----------------------------------------------------------------------------------------
// What it answers, and what the database records
// ----------------------------------------------------------------------------------------

#[test]
fn the_answer_is_the_changes_and_the_fresh_preview_and_the_audit_names_the_writer() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    let version_before = version(&db, s);
    let json = db
        .gsess_as(
            &w,
            &["mark", &id, "attended", "M001", "M002", "M001", "--json"],
        )
        .success()
        .json();
    assert_eq!(json["session_id"], s);
    assert_eq!(
        changed(&json),
        [
            triple("M001", "SCHEDULED", "ATTENDED"),
            triple("M002", "SCHEDULED", "ATTENDED")
        ]
    );
    assert_eq!(json["changed"][0]["name"], "Ana Lopez");
    assert!(json["changed"][0].get("npi").is_none());
    let preview = &json["preview"];
    assert_eq!(preview["session_id"], s);
    assert_eq!(preview["billable_count"], 2);
    assert_eq!(preview["primary_payer"], "ORMCD");
    assert_eq!(preview["payers"][0]["band"]["min"], 2);
    // M003 is still SCHEDULED: the preview says so.
    assert!(preview["issues"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == "GROUP_UNATTENDED_BILLED"));

    for mrn in ["M001", "M002"] {
        assert_eq!(
            roster_audit(&db, s, mrn),
            [(w.clone(), "SCHEDULED".to_owned(), "ATTENDED".to_owned())]
        );
    }
    assert_eq!(
        version(&db, s),
        version_before + 1,
        "one statement per table: one bump"
    );

    // People get a table of the changes, then the preview.
    let run = db.gsess_as(&w, &["mark", &id, "late", "M003"]);
    run.success()
        .stdout_contains("M003")
        .stdout_contains("SCHEDULED")
        .stdout_contains("LATE")
        .stdout_contains("Billing preview: 3 billable");
}

#[test]
fn a_hand_written_illegal_update_is_refused_by_the_database_itself() {
    // The database is the final guard: the writer's own UPDATE meets the same table.
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    db.set_roster_status(s, "M001", "ATTENDED");
    let refused = db
        .sql_as(
            &w,
            &format!(
                "UPDATE session_participant SET status = 'ATTENDED'
                  WHERE session_id = {s} AND member_id = (SELECT id FROM member WHERE mrn = 'M001')"
            ),
        )
        .unwrap_err();
    assert_eq!(refused.sqlstate, "GS409");
}

// ----------------------------------------------------------------------------------------
// Concurrency
// ----------------------------------------------------------------------------------------

fn hold_session(s: i64) -> String {
    format!("SELECT id FROM group_session WHERE id = {s} FOR UPDATE")
}

#[test]
fn concurrent_marks_of_different_rows_all_land() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    let version_before = version(&db, s);
    let marks: [(&str, &[&str]); 4] = [
        ("attended", &["M001"]),
        ("late", &["M002"]),
        ("absent", &["M003"]),
        ("attended", &["--supervisor", DANA]),
    ];
    // The session row is held, so every writer queues behind it: they really overlap.
    let runs: Vec<_> = db.holding(&hold_session(s), || {
        let pending: Vec<_> = marks
            .iter()
            .map(|(status, rows)| {
                let mut args = vec!["mark", id.as_str(), status];
                args.extend_from_slice(rows);
                db.spawn_gsess_as(&w, &args)
            })
            .collect();
        db.wait_for_gsess_lock_waiters(marks.len() as i64);
        pending
    });
    for run in runs.into_iter().map(|p| p.finish()) {
        run.success();
    }
    assert_eq!(db.roster_status(s, "M001").as_deref(), Some("ATTENDED"));
    assert_eq!(db.roster_status(s, "M002").as_deref(), Some("LATE"));
    assert_eq!(db.roster_status(s, "M003").as_deref(), Some("ABSENT"));
    assert_eq!(db.supervisor_status(s, DANA).as_deref(), Some("ATTENDED"));
    assert_eq!(audit_count(&db, s), 4);
    assert_eq!(version(&db, s), version_before + 4, "no update lost");
}

#[test]
fn concurrent_marks_of_one_row_are_each_judged_on_what_the_other_left() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    let runs: Vec<_> = db.holding(&hold_session(s), || {
        let pending = vec![
            db.spawn_gsess_as(&w, &["mark", &id, "attended", "M001", "--json"]),
            db.spawn_gsess_as(&w, &["mark", &id, "late", "M001", "--json"]),
        ];
        db.wait_for_gsess_lock_waiters(2);
        pending
    });
    let runs: Vec<_> = runs.into_iter().map(|p| p.finish()).collect();
    // SCHEDULED -> ATTENDED -> LATE and SCHEDULED -> LATE -> ATTENDED are both legal: both
    // succeed, the second having seen the first one's status.
    for run in &runs {
        run.success();
    }
    let chain = roster_audit(&db, s, "M001");
    assert_eq!(chain.len(), 2, "{chain:?}");
    let last = db.roster_status(s, "M001").unwrap();
    assert!(last == "ATTENDED" || last == "LATE");
    assert_legal_chain(&chain, &last);
    let froms: Vec<String> = runs
        .iter()
        .map(|r| r.json()["changed"][0]["from"].as_str().unwrap().to_owned())
        .collect();
    assert!(froms.contains(&"SCHEDULED".to_owned()), "{froms:?}");
    assert!(
        froms.contains(&"ATTENDED".to_owned()) || froms.contains(&"LATE".to_owned()),
        "the second mark saw the first one's status: {froms:?}"
    );
}

#[test]
fn of_two_concurrent_identical_marks_the_second_is_refused_as_illegal() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    let runs: Vec<_> = db.holding(&hold_session(s), || {
        let pending = vec![
            db.spawn_gsess_as(&w, &["mark", &id, "attended", "M001"]),
            db.spawn_gsess_as(&w, &["mark", &id, "attended", "M001"]),
        ];
        db.wait_for_gsess_lock_waiters(2);
        pending
    });
    let mut codes: Vec<Option<i32>> = Vec::new();
    for run in runs.into_iter().map(|p| p.finish()) {
        if run.code == Some(4) {
            run.stderr_contains("M001: ATTENDED -> ATTENDED is not allowed (next: ABSENT, LATE)");
        }
        codes.push(run.code);
    }
    codes.sort();
    assert_eq!(codes, [Some(0), Some(4)]);
    assert_eq!(db.roster_status(s, "M001").as_deref(), Some("ATTENDED"));
    assert_legal_chain(&roster_audit(&db, s, "M001"), "ATTENDED");
    assert_eq!(roster_audit(&db, s, "M001").len(), 1);
}

#[test]
fn a_storm_of_marks_on_one_row_leaves_a_legal_chain_with_one_entry_per_success() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let id = s.to_string();
    let statuses = [
        "attended", "late", "absent", "attended", "late", "absent", "late", "absent",
    ];
    let pending: Vec<_> = statuses
        .iter()
        .map(|status| db.spawn_gsess_as(&w, &["mark", &id, status, "M001", "--supervisor", DANA]))
        .collect();
    let mut successes = 0;
    for run in pending.into_iter().map(|p| p.finish()) {
        match run.code {
            Some(0) => successes += 1,
            Some(4) => {
                run.stderr_contains("is not allowed");
            }
            _ => panic!("unexpected outcome: {run:?}"),
        }
    }
    assert!(successes >= 1);
    let chain = roster_audit(&db, s, "M001");
    assert_eq!(
        chain.len(),
        successes,
        "one audit entry per successful mark"
    );
    assert_legal_chain(&chain, &db.roster_status(s, "M001").unwrap());
    // The supervisor row was marked in the same transactions: it followed the same path.
    let supervisor_marks: i64 = db.scalar(&format!(
        "SELECT count(*) FROM audit_log WHERE session_id = {s} AND action = 'supervisor.mark'"
    ));
    assert_eq!(
        supervisor_marks as usize, successes,
        "all or nothing, each time"
    );
}

#[test]
fn a_mark_chosen_as_deadlock_victim_runs_again_on_what_the_other_side_left() {
    // A hand-written transaction locking the session first and the row second is the
    // opposite of gsess's order (rows, then the session): the two deadlock, PostgreSQL
    // aborts the mark (the first to wait, so the first to check), and the mark starts over.
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = writer(&db);
    let mut held = db.begin_held(&format!(
        "SELECT id FROM group_session WHERE id = {s} FOR NO KEY UPDATE"
    ));
    let pending = db.spawn_gsess_as(&w, &["mark", &s.to_string(), "late", "M001", "--json"]);
    db.wait_for_gsess_lock_waiters(1);
    // Now the mark holds M001's row and waits for the session; this waits for M001's row.
    held.exec(&format!(
        "UPDATE session_participant p SET status = 'ATTENDED' FROM member m
          WHERE m.id = p.member_id AND p.session_id = {s} AND m.mrn = 'M001'"
    ))
    .expect("the mark, not this transaction, is the deadlock victim");
    held.commit();
    let run = pending.finish();
    let json = run.success().json();
    assert_eq!(changed(&json), [triple("M001", "ATTENDED", "LATE")]);
    let chain = roster_audit(&db, s, "M001");
    assert_legal_chain(&chain, "LATE");
    assert_eq!(chain.len(), 2);
}
