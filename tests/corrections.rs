//! Forced corrections of locked sessions against real PostgreSQL: the consequence shown before
//! anything changes, charges and claims rebuilt in one transaction, one forced audit entry,
//! a kill mid-transaction leaving the old state, and the force scope enforced twice.

mod common;

use common::billing::{bill, id_of, issue_codes, seed, session, DANA};
use common::TestDb;
use serde_json::{json, Value};

const WRITE: &str = "clinical.attendance.write";
const FORCE: &str = "clinical.attendance.write.force";
const READ: &str = "clinical.group-session.read";

/// Five ORMCD members (band 5–8 at 40.00) and their supervisor, all attended, billed and
/// claimed: the session is locked. Returns its id.
fn locked_session(db: &TestDb) -> i64 {
    seed(
        db,
        json!([session(
            "GRP",
            "DBT",
            -120,
            -60,
            &["M001", "M002", "M003", "M004", "M005"]
        )]),
    );
    let id = id_of(db, "GRP");
    let sid = id.to_string();
    db.gsess(&["mark", &sid, "attended", "--all-scheduled"])
        .success();
    db.gsess(&["mark", &sid, "attended", "--supervisor", DANA])
        .success();
    let report = bill(db, &[]);
    assert_eq!(
        report["sessions"][0]["claims_built"], 5,
        "five claims: {report:#}"
    );
    id
}

/// What a correction must leave alone when it does not happen: attendance, charges, claims
/// with their lines and issues, and the audit log.
fn state(db: &TestDb, session: i64) -> Value {
    json!({
        "roster": db.rows(&format!(
            "SELECT id, status FROM session_participant WHERE session_id = {session} ORDER BY id")),
        "supervisors": db.rows(&format!(
            "SELECT id, status FROM session_supervisor WHERE session_id = {session} ORDER BY id")),
        "charges": db.rows(&format!(
            "SELECT id, member_id, status, amount::text FROM charge WHERE session_id = {session} ORDER BY id")),
        "claims": db.rows(&format!(
            "SELECT id, member_id, frequency_code, status, amount::text, is_live FROM claim
              WHERE session_id = {session} ORDER BY id")),
        "lines": db.rows("SELECT claim_id, charge_id FROM claim_line ORDER BY id"),
        "issues": db.rows("SELECT claim_id, code FROM claim_issue ORDER BY id"),
        "audit": db.scalar::<i64>("SELECT count(*) FROM audit_log"),
        "tokens": db.scalar::<i64>("SELECT count(*) FROM force_token"),
    })
}

fn force_args<'a>(sid: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "force-update",
        sid,
        "absent",
        "M005",
        "--reason",
        "payer audit: M005 left before the group began",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_dry_run_and_an_unconfirmed_correction_show_the_consequence_and_change_nothing() {
    let db = TestDb::new();
    let id = locked_session(&db);
    let sid = id.to_string();
    let forcer = db.login("forcer", &[READ, FORCE]);
    let before = state(&db, id);

    let dry = db
        .gsess_as(&forcer, &force_args(&sid, &["--dry-run", "--json"]))
        .success()
        .json();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["applied"], false);
    assert_eq!(dry["audit_id"], Value::Null);
    assert_eq!(
        dry["changed"],
        json!([{"mrn": "M005", "name": "Pat M005", "from": "ATTENDED", "to": "ABSENT"}])
    );
    // The group shrinks from 5 to 4: every charge is voided (band 5–8 → 2–4) and four built
    // at 45.00, with no ids yet.
    assert_eq!(dry["charges_voided"].as_array().unwrap().len(), 5);
    assert_eq!(dry["charges_built"], json!([null, null, null, null]));
    let built = dry["charges"]["built"].as_array().unwrap();
    assert!(
        built
            .iter()
            .all(|c| c["amount"] == "45.00" && c["mrn"] != "M005"),
        "{built:#?}"
    );
    let actions: Vec<(String, String)> = dry["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["mrn"].as_str().unwrap().to_owned(),
                c["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        vec![
            ("M001".to_owned(), "rebuilt".to_owned()),
            ("M002".to_owned(), "rebuilt".to_owned()),
            ("M003".to_owned(), "rebuilt".to_owned()),
            ("M004".to_owned(), "rebuilt".to_owned()),
            ("M005".to_owned(), "withdrawn".to_owned()),
        ]
    );
    assert_eq!(state(&db, id), before, "a dry run changed something");

    // Without a terminal and without --yes: the consequence on stderr, exit 7, nothing done.
    db.gsess_as(&forcer, &force_args(&sid, &[]))
        .code(7)
        .stderr_contains("withdrawn")
        .stderr_contains("--yes");
    assert_eq!(
        state(&db, id),
        before,
        "an unconfirmed correction changed something"
    );
}

#[test]
fn a_confirmed_correction_rebuilds_unsubmitted_claims_in_place_with_one_forced_audit_entry() {
    let db = TestDb::new();
    let id = locked_session(&db);
    let sid = id.to_string();
    let forcer = db.login("forcer", &[READ, FORCE]);
    let claims_before: Vec<i64> = db
        .texts(&format!(
            "SELECT id::text FROM claim WHERE session_id = {id} ORDER BY member_id"
        ))
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    let last_audit: i64 = db.scalar("SELECT max(id) FROM audit_log");

    let done = db
        .gsess_as(&forcer, &force_args(&sid, &["--yes", "--json"]))
        .success()
        .json();
    assert_eq!(done["applied"], true);
    assert_eq!(
        db.scalar::<String>(&format!(
            "SELECT p.status FROM session_participant p JOIN member m ON m.id = p.member_id
              WHERE p.session_id = {id} AND m.mrn = 'M005'"
        )),
        "ABSENT"
    );

    // Charges: the five at 40.00 are void, four at 45.00 are active, with the ids reported.
    let active = db.rows(&format!(
        "SELECT c.id, m.mrn, c.amount::text AS amount FROM charge c JOIN member m ON m.id = c.member_id
          WHERE c.session_id = {id} AND c.status = 'ACTIVE' ORDER BY c.id"
    ));
    assert_eq!(active.len(), 4);
    assert!(active
        .iter()
        .all(|c| c["amount"] == "45.00" && c["mrn"] != "M005"));
    let built: Vec<Value> = active.iter().map(|c| c["id"].clone()).collect();
    assert_eq!(done["charges_built"], Value::Array(built));

    // Claims: the four unsubmitted ones keep their ids with the new amount and line; M005's
    // is gone. The session is still locked.
    let claims = db.rows(&format!(
        "SELECT c.id, m.mrn, c.amount::text AS amount, c.frequency_code,
                (SELECT array_agg(l.charge_id) FROM claim_line l WHERE l.claim_id = c.id) AS lines
           FROM claim c JOIN member m ON m.id = c.member_id
          WHERE c.session_id = {id} ORDER BY m.mrn"
    ));
    assert_eq!(
        claims
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        claims_before[..4].to_vec()
    );
    for (claim, charge) in claims.iter().zip(&active) {
        assert_eq!(claim["amount"], "45.00");
        assert_eq!(claim["frequency_code"], "1");
        assert_eq!(claim["lines"], json!([charge["id"]]));
    }
    assert_eq!(
        db.gsess(&["show", &sid, "--json"]).success().json()["session"]["status"],
        "LOCKED"
    );

    // The audit: one forced attendance entry with the reason and what was done; the charge
    // and claim entries of the same correction are marked forced too; nothing else is.
    let entries = db.rows(&format!(
        "SELECT action, actor, forced, reason, after FROM audit_log WHERE id > {last_audit} ORDER BY id"
    ));
    let force_entries: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "attendance.force")
        .collect();
    assert_eq!(force_entries.len(), 1, "{entries:#?}");
    let entry = force_entries[0];
    assert_eq!(entry["actor"], forcer.as_str());
    assert_eq!(entry["forced"], true);
    assert_eq!(
        entry["reason"],
        "payer audit: M005 left before the group began"
    );
    assert_eq!(entry["after"]["roster"][0]["status"], "ABSENT");
    assert_eq!(entry["after"]["charges_built"], done["charges_built"]);
    assert_eq!(
        done["audit_id"],
        db.scalar::<i64>(&format!(
            "SELECT id FROM audit_log WHERE id > {last_audit} AND action = 'attendance.force'"
        ))
    );
    assert!(
        entries.iter().all(|e| e["forced"] == true),
        "every entry of the correction is forced: {entries:#?}"
    );
    for action in [
        "charge.void",
        "charge.build",
        "claim.update",
        "claim.withdraw",
    ] {
        assert!(
            entries.iter().any(|e| e["action"] == action),
            "no {action} entry: {entries:#?}"
        );
    }
    assert_eq!(db.scalar::<i64>("SELECT count(*) FROM force_token"), 0);
    // The correction of one participant is found under that member too.
    let mine = db
        .gsess_as(&forcer, &["audit", "--member", "M005", "--json"])
        .success()
        .json();
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "attendance.force" && e["forced"] == true),
        "{mine:#}"
    );
}

#[test]
fn a_correction_killed_before_it_commits_leaves_the_old_state() {
    let db = TestDb::new();
    let id = locked_session(&db);
    let sid = id.to_string();
    let forcer = db.login("forcer", &[READ, FORCE]);
    let before = state(&db, id);

    let mut running = db.spawn_watched_as(
        &forcer,
        &[("GSESS_TEST_PAUSE", "force-update-before-commit")],
        &force_args(&sid, &["--yes"]),
    );
    running.wait_for_line("paused at force-update-before-commit");
    // The correction is done inside its open transaction, under the session's lock...
    assert_eq!(
        db.scalar::<i64>(
            "SELECT count(*) FROM pg_stat_activity
              WHERE application_name = 'gsess' AND state = 'idle in transaction'
                AND backend_xid IS NOT NULL"
        ),
        1,
        "the paused correction holds its transaction open"
    );
    running.kill();
    // ...and nothing of it survives the kill.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while db.scalar::<i64>("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gsess'")
        > 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the killed backend lingers"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(state(&db, id), before);
    // And the session is free: the same correction goes through afterwards.
    db.gsess_as(&forcer, &force_args(&sid, &["--yes"]))
        .success();
}

#[test]
fn force_update_refuses_what_it_must_and_the_database_refuses_the_rest() {
    let db = TestDb::new();
    let id = locked_session(&db);
    let sid = id.to_string();
    let writer = db.login("writer", &[READ, WRITE]);
    let forcer = db.login("forcer", &[READ, FORCE]);
    let before = state(&db, id);

    // Without the scope: gsess says which one and who can help...
    db.gsess_as(&writer, &force_args(&sid, &["--yes"]))
        .code(6)
        .stderr_contains("clinical.attendance.write.force")
        .stderr_contains("ask a supervisor");
    // ...and the database refuses the function and the hand-written update itself.
    let call = format!(
        "SELECT force_correction({id}, (SELECT attendance_version FROM group_session WHERE id = {id}),
                                 'ABSENT', ARRAY(SELECT id FROM session_participant WHERE session_id = {id} LIMIT 1),
                                 '{{}}', '[]', 'forged')"
    );
    let refused = db
        .sql_as(&writer, &call)
        .expect_err("a writer runs the force function");
    assert_eq!(refused.sqlstate, "42501", "{refused:?}");
    let by_hand =
        format!("UPDATE session_participant SET status = 'ABSENT' WHERE session_id = {id}");
    let refused = db
        .sql_as(&forcer, &by_hand)
        .expect_err("a forcer updates by hand");
    assert_eq!(refused.sqlstate, "42501", "{refused:?}");
    let both = db.login("both", &[READ, WRITE, FORCE]);
    let refused = db
        .sql_as(&both, &by_hand)
        .expect_err("write + force update by hand");
    assert_eq!(refused.sqlstate, "GS423", "{refused:?}");

    // Bad requests: no reason, nobody named, a stranger, an illegal move; an unlocked session.
    db.gsess_as(
        &forcer,
        &[
            "force-update",
            &sid,
            "absent",
            "M005",
            "--reason",
            " ",
            "--yes",
        ],
    )
    .code(10)
    .stderr_contains("--reason");
    db.gsess_as(
        &forcer,
        &["force-update", &sid, "absent", "--reason", "x", "--yes"],
    )
    .code(10);
    db.gsess_as(
        &forcer,
        &[
            "force-update",
            &sid,
            "absent",
            "M009",
            "--reason",
            "x",
            "--yes",
        ],
    )
    .code(3)
    .stderr_contains("M009 is not on the roster");
    db.gsess_as(
        &forcer,
        &[
            "force-update",
            &sid,
            "attended",
            "M005",
            "--reason",
            "x",
            "--yes",
        ],
    )
    .code(4)
    .stderr_contains("M005: ATTENDED -> ATTENDED");
    db.gsess_as(
        &forcer,
        &[
            "force-update",
            "999999",
            "absent",
            "M005",
            "--reason",
            "x",
            "--yes",
        ],
    )
    .code(3);
    assert_eq!(state(&db, id), before, "a refusal changed something");

    seed(&db, json!([session("OPEN", "DBT", -120, -60, &["M006"])]));
    let open = id_of(&db, "OPEN").to_string();
    db.gsess_as(
        &forcer,
        &[
            "force-update",
            &open,
            "absent",
            "M006",
            "--reason",
            "x",
            "--yes",
        ],
    )
    .code(10)
    .stderr_contains("not locked");
}

#[test]
fn a_void_is_judged_on_its_own_data_not_on_the_room_it_leaves() {
    let db = TestDb::new();
    let id = locked_session(&db);
    let sid = id.to_string();
    let biller = db.login("biller", &[READ, "clinical.billing.run"]);
    let forcer = db.login("forcer", &[READ, FORCE]);
    db.gsess_as(&biller, &["claim", "submit", "--session", &sid])
        .success();

    // The supervisor and M005 both left: four billable, no supervisor present.
    let done = db
        .gsess_as(
            &forcer,
            &[
                "force-update",
                &sid,
                "absent",
                "M005",
                "--supervisor",
                DANA,
                "--reason",
                "sign-out sheet",
                "--yes",
                "--json",
            ],
        )
        .success()
        .json();
    for claim in done["claims"].as_array().unwrap() {
        let codes = issue_codes(claim);
        if claim["mrn"] == "M005" {
            assert_eq!(claim["action"], "void");
            assert_eq!(codes, ["PAYER_CLAIM_NUMBER_MISSING"], "{claim:#}");
        } else {
            assert_eq!(claim["action"], "replacement");
            assert!(codes.contains(&"SUPERVISION_RATIO_BREACH"), "{claim:#}");
        }
    }
}

#[test]
fn what_was_sent_is_never_edited_and_a_supervisor_correction_replaces_every_sent_claim() {
    let db = TestDb::new();
    let id = locked_session(&db);
    let sid = id.to_string();
    let biller = db.login("biller", &[READ, "clinical.billing.run"]);
    let forcer = db.login("forcer", &[READ, FORCE]);
    db.gsess_as(&biller, &["claim", "submit", "--session", &sid])
        .success();
    let sent: i64 = db.scalar(&format!(
        "SELECT min(id) FROM claim WHERE session_id = {id} AND status = 'SUBMITTED'"
    ));

    // By hand, even with the billing scope, a sent claim keeps what it said.
    for edit in [
        format!("UPDATE claim SET amount = 999 WHERE id = {sent}"),
        format!("UPDATE claim SET status = 'BUILT', submitted_at = NULL, edi_document_id = NULL WHERE id = {sent}"),
        format!("DELETE FROM claim_line WHERE claim_id = {sent}"),
    ] {
        let refused = db.sql_as(&biller, &edit).expect_err(&edit);
        assert!(
            ["GS423", "42501"].contains(&refused.sqlstate.as_str()),
            "{edit}: {refused:?}"
        );
    }
    // A force-only login cannot rewrite a Validation list outside a correction.
    let refused = db
        .sql_as(
            &forcer,
            &format!("SELECT store_claim_issues('[{{\"claim_id\": {sent}, \"issues\": []}}]')"),
        )
        .expect_err("store_claim_issues by the force role alone");
    assert_eq!(refused.sqlstate, "42501", "{refused:?}");

    // Dana was not in the room after all: every sent claim named her as supervising provider,
    // so each is replaced, though no charge changed; the consequence says what now blocks.
    let done = db
        .gsess_as(
            &forcer,
            &[
                "force-update",
                &sid,
                "absent",
                "--supervisor",
                DANA,
                "--reason",
                "rota",
                "--yes",
                "--json",
            ],
        )
        .success()
        .json();
    assert_eq!(done["charges_voided"], json!([]));
    let claims = done["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 5, "{done:#}");
    for claim in claims {
        assert_eq!(claim["action"], "replacement", "{claim:#}");
        let codes = issue_codes(claim);
        assert!(codes.contains(&"SUPERVISION_RATIO_BREACH"), "{claim:#}");
    }
}

#[test]
fn an_acceptance_on_a_claimed_session_reaches_its_unsent_claims_at_once() {
    let db = TestDb::new();
    seed(
        &db,
        json!([session(
            "GRP",
            "DBT",
            -120,
            -60,
            &["M001", "M002", "M003", "M004", "M005"]
        )]),
    );
    let id = id_of(&db, "GRP");
    let sid = id.to_string();
    // Everyone attended, the supervisor was never marked present: a ratio breach on every claim.
    db.gsess(&["mark", &sid, "attended", "--all-scheduled"])
        .success();
    bill(&db, &[]);
    let writer = db.login("writer", &[READ, WRITE]);
    let blocked = |db: &TestDb| {
        db.gsess(&["claims", "--blocked", "--json"])
            .success()
            .json()
    };
    assert_eq!(blocked(&db).as_array().unwrap().len(), 5);

    let accept = [
        "accept",
        &sid,
        "SUPERVISION_RATIO_BREACH",
        "--payer",
        "ORMCD",
    ];
    let mut with_reason = accept.to_vec();
    with_reason.extend(["--reason", "a second supervisor signed in late"]);
    db.gsess_as(&writer, &with_reason).success();
    assert_eq!(blocked(&db), json!([]), "the acceptance reached the claims");

    let mut revoke = accept.to_vec();
    revoke.push("--revoke");
    db.gsess_as(&writer, &revoke).success();
    assert_eq!(
        blocked(&db).as_array().unwrap().len(),
        5,
        "and so did its withdrawal"
    );

    // A writer cannot store a Validation list of a session it did not just change.
    let claim: i64 = db.scalar(&format!(
        "SELECT min(id) FROM claim WHERE session_id = {id}"
    ));
    let refused = db
        .sql_as(
            &writer,
            &format!("SELECT store_claim_issues('[{{\"claim_id\": {claim}, \"issues\": []}}]')"),
        )
        .expect_err("a writer rewrites a Validation list");
    assert_eq!(refused.sqlstate, "42501", "{refused:?}");
}
