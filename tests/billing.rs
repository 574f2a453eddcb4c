//! The billing pipeline against real PostgreSQL: charges per payer's band and rate, timed
//! units, members without coverage and unpriceable payers held back, re-sync while BILLED
//! from every attendance command and from psql, the claim delay, idempotent and concurrent
//! runs, LOCKED after the claim, `billing watch`, and the scopes of every billing command.

mod common;

use chrono::{Duration, Utc};
use common::billing::{at, bill, dataset, id_of, seed, session, DANA};
use common::{Run, TestDb};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const BILLING: &str = "clinical.billing.run";

fn mark(db: &TestDb, session: i64, status: &str, who: &[&str]) -> Run {
    let id = session.to_string();
    let mut args = vec!["mark", id.as_str(), status];
    args.extend_from_slice(who);
    let run = db.gsess(&args);
    run.success();
    run
}

/// Active charges by MRN: (procedure code with modifiers, units, rate, amount, charge id).
fn active_charges(
    db: &TestDb,
    session: i64,
) -> BTreeMap<String, (String, i64, String, String, i64)> {
    db.rows(&format!(
        "SELECT m.mrn, array_to_string(array_prepend(c.procedure_code, c.modifiers), ':') AS code,
                c.units, c.rate::text AS rate, c.amount::text AS amount, c.id
           FROM charge c JOIN member m ON m.id = c.member_id
          WHERE c.session_id = {session} AND c.status = 'ACTIVE'"
    ))
    .into_iter()
    .map(|r| {
        (
            r["mrn"].as_str().unwrap().to_owned(),
            (
                r["code"].as_str().unwrap().to_owned(),
                r["units"].as_i64().unwrap(),
                r["rate"].as_str().unwrap().to_owned(),
                r["amount"].as_str().unwrap().to_owned(),
                r["id"].as_i64().unwrap(),
            ),
        )
    })
    .collect()
}

fn status_of(db: &TestDb, session: i64) -> String {
    let listed = db
        .gsess(&[
            "list",
            "--from",
            "2020-01-01",
            "--to",
            "2099-01-01",
            "--facility",
            "all",
            "--json",
        ])
        .success()
        .json();
    listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == session)
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .expect("the session is listed")
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.scalar(&format!("SELECT count(*) FROM ({sql}) q"))
}

fn session_outcome(report: &Value, session: i64) -> Value {
    report["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == session)
        .cloned()
        .unwrap_or_else(|| panic!("session {session} is not in {report:#}"))
}

#[test]
fn charges_follow_each_payers_band_rate_and_timed_units() {
    let db = TestDb::new();
    seed(
        &db,
        json!([
            // ORMCD ×3 and WAHP ×2 in a DBT group: 5 billable, each payer judged on 5.
            session(
                "MIX",
                "DBT",
                -120,
                -60,
                &["M001", "M002", "M003", "M007", "M008"]
            ),
            // A 50-minute social-skills group: WAHP's own band for SOC, 97158 per 15 minutes.
            session("SOC", "SOC", -110, -60, &["M001", "M007", "M008"]),
        ]),
    );
    let (mix, soc) = (id_of(&db, "MIX"), id_of(&db, "SOC"));
    mark(
        &db,
        mix,
        "attended",
        &["M001", "M002", "M003", "M007", "M008", "--supervisor", DANA],
    );
    mark(
        &db,
        soc,
        "late",
        &["M001", "M007", "M008", "--supervisor", DANA],
    );

    let report = bill(&db, &[]);
    let charges = active_charges(&db, mix);
    let ormcd = (
        "90853:HQ".to_owned(),
        1,
        "40.00".to_owned(),
        "40.00".to_owned(),
    );
    let wahp = (
        "90853".to_owned(),
        1,
        "30.00".to_owned(),
        "30.00".to_owned(),
    );
    for (mrn, expected) in [
        ("M001", &ormcd),
        ("M002", &ormcd),
        ("M003", &ormcd),
        ("M007", &wahp),
        ("M008", &wahp),
    ] {
        let (code, units, rate, amount, _) = &charges[mrn];
        assert_eq!(
            (code, *units, rate, amount),
            (&expected.0, expected.1, &expected.2, &expected.3),
            "{mrn}"
        );
    }
    assert_eq!(session_outcome(&report, mix)["charges_built"], 5);

    // 50 minutes: ⌊(50 + 7) / 15⌋ = 3 units of 97158 for WAHP; ORMCD's generic band for M001.
    let charges = active_charges(&db, soc);
    assert_eq!(charges["M007"].0, "97158:HQ");
    assert_eq!(
        (charges["M007"].1, charges["M007"].3.as_str()),
        (3, "60.00")
    );
    assert_eq!(
        (charges["M001"].0.as_str(), charges["M001"].3.as_str()),
        ("90853:HQ", "45.00")
    );
    // Complete sessions are claimed at once: one original claim per charged member.
    assert_eq!(session_outcome(&report, soc)["claims_built"], 3);
    let claims = db.rows(&format!(
        "SELECT frequency_code, amount::text AS amount, status FROM claim WHERE session_id = {soc} ORDER BY id"
    ));
    assert_eq!(claims.len(), 3);
    assert!(claims
        .iter()
        .all(|c| c["frequency_code"] == "1" && c["status"] == "BUILT"));
    assert_eq!(status_of(&db, soc), "LOCKED");
}

#[test]
fn no_coverage_and_unpriceable_payers_are_held_back_with_the_reason() {
    let db = TestDb::new();
    // ORPRIV has no size bands in Oregon: it cannot be priced. M009 has no coverage.
    let mut document = dataset(json!([session(
        "HELD",
        "DBT",
        -120,
        -60,
        &["M001", "M002", "M010", "M009"]
    )]));
    document["payers"]
        .as_array_mut()
        .unwrap()
        .push(json!({"code": "ORPRIV", "name": "Private", "payer_id": "PRIV1"}));
    document["members"].as_array_mut().unwrap().push(
        json!({"mrn": "M010", "first_name": "Lee", "last_name": "Ten",
        "birth_date": "1990-01-01", "sex": "M", "diagnosis_codes": ["F41.1"]}),
    );
    document["coverages"]
        .as_array_mut()
        .unwrap()
        .push(json!({"member": "M010", "payer": "ORPRIV", "priority": 1,
        "subscriber_id": "P-10", "start": "2020-01-01"}));
    db.gsess_stdin(&["import", "-"], &document.to_string())
        .success();
    let id = id_of(&db, "HELD");
    mark(
        &db,
        id,
        "attended",
        &["M001", "M002", "M010", "M009", "--supervisor", DANA],
    );

    let run = db.gsess(&["billing", "run", "--strict", "--json"]);
    run.code(8).stderr_contains("held back (--strict)");
    let report = run.json();
    let held = session_outcome(&report, id)["held"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        held.contains("payer ORPRIV cannot be priced: NO_SIZE_BANDS"),
        "{held}"
    );
    assert!(held.contains("M009"), "{held}");
    // ORMCD's two members are charged and claimed; nothing for ORPRIV's M010 or for M009.
    let charges = active_charges(&db, id);
    assert_eq!(charges.keys().collect::<Vec<_>>(), ["M001", "M002"]);
    assert_eq!(
        count(&db, &format!("SELECT 1 FROM claim WHERE session_id = {id}")),
        2
    );
}

#[test]
fn claims_wait_for_attendance_until_the_claim_delay_and_then_carry_the_warning() {
    let db = TestDb::new();
    seed(
        &db,
        json!([session("WAIT", "DBT", -120, -60, &["M001", "M002", "M003"])]),
    );
    let id = id_of(&db, "WAIT");
    mark(&db, id, "attended", &["M001", "M002", "--supervisor", DANA]);

    // Ended an hour ago, M003 still SCHEDULED: charged, not claimed, BILLED.
    let report = bill(&db, &[]);
    let outcome = session_outcome(&report, id);
    assert_eq!(
        (
            outcome["charges_built"].as_i64(),
            outcome["claims_built"].as_i64()
        ),
        (Some(2), Some(0))
    );
    assert!(outcome["held"]
        .as_str()
        .unwrap()
        .contains("1 roster row(s) still SCHEDULED"));
    assert_eq!(status_of(&db, id), "BILLED");

    // A shorter claim delay: claimed now, carrying GROUP_UNATTENDED_BILLED (as the preview
    // showed all along).
    let preview = db
        .gsess(&["preview", &id.to_string(), "--json"])
        .success()
        .json();
    assert!(preview["issues"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == "GROUP_UNATTENDED_BILLED"));
    let report = bill(&db, &["--claim-delay", "30m"]);
    assert_eq!(session_outcome(&report, id)["claims_built"], 2);
    let codes: Vec<String> = db
        .rows(&format!(
            "SELECT DISTINCT i.code FROM claim_issue i JOIN claim c ON c.id = i.claim_id WHERE c.session_id = {id}"
        ))
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["GROUP_UNATTENDED_BILLED"]);
    assert_eq!(status_of(&db, id), "LOCKED");
    // Locked: attendance is corrected with force-update only.
    db.gsess(&["mark", &id.to_string(), "absent", "M003"])
        .code(5);
}

#[test]
fn a_rerun_builds_nothing_new() {
    let db = TestDb::new();
    seed(
        &db,
        json!([
            session("A", "DBT", -120, -60, &["M001", "M002"]),
            session("B", "DBT", -100, -50, &["M003", "M004", "M005"]),
        ]),
    );
    db.sql("UPDATE session_participant SET status = 'ATTENDED'");
    bill(&db, &[]);
    let snapshot = |db: &TestDb| {
        db.rows("SELECT id, status FROM charge UNION ALL SELECT id, status FROM claim ORDER BY 1")
    };
    let before = snapshot(&db);
    assert_eq!(before.len(), 2 * 5);
    let again = bill(&db, &[]);
    assert_eq!(again["charges_built"], 0);
    assert_eq!(again["claims_built"], 0);
    assert_eq!(snapshot(&db), before, "a rerun changed nothing");
}

#[test]
fn a_billed_sessions_charges_follow_every_attendance_change() {
    let db = TestDb::new();
    seed(
        &db,
        json!([session(
            "RS",
            "DBT",
            -120,
            -60,
            &["M001", "M002", "M003", "M004", "M005", "M006"]
        )]),
    );
    let id = id_of(&db, "RS");
    let sid = id.to_string();
    mark(
        &db,
        id,
        "attended",
        &["M001", "M002", "M003", "M004", "M005", "--supervisor", DANA],
    );
    // M006 still SCHEDULED: charged and BILLED, no claim yet.
    bill(&db, &[]);
    let five = active_charges(&db, id);
    assert_eq!(five.len(), 5);
    assert!(
        five.values().all(|c| c.2 == "40.00"),
        "5 billable: the 5–8 band"
    );

    // mark: 4 billable now, the 2–4 band at 45.00 — every remaining charge is re-priced, the
    // absent member's voided, in the mark's own transaction.
    mark(&db, id, "absent", &["M005"]);
    let four = active_charges(&db, id);
    assert_eq!(
        four.keys().collect::<Vec<_>>(),
        ["M001", "M002", "M003", "M004"]
    );
    assert!(four.values().all(|c| c.2 == "45.00"));
    assert!(
        four.values()
            .all(|c| !five.values().any(|old| old.4 == c.4)),
        "new charges, new ids"
    );

    // mark again: 3 billable, still 2–4: the three left keep their charges (and ids).
    mark(&db, id, "absent", &["M004"]);
    let three = active_charges(&db, id);
    assert_eq!(three.keys().collect::<Vec<_>>(), ["M001", "M002", "M003"]);
    for (mrn, charge) in &three {
        assert_eq!(
            charge.4, four[mrn].4,
            "{mrn}'s unchanged charge keeps its id"
        );
    }

    // roster add (a late arrival, SCHEDULED) and remove: nothing to re-price, nothing changes.
    db.gsess(&["roster", "add", &sid, "M007"]).success();
    db.gsess(&["roster", "remove", &sid, "M007"]).success();
    assert_eq!(active_charges(&db, id), three);

    // finalize: M006 ABSENT, still 3 billable.
    db.gsess(&["finalize", &sid, "--yes"]).success();
    assert_eq!(active_charges(&db, id), three);
    assert_eq!(status_of(&db, id), "BILLED");

    // By hand, outside gsess: M004 back to ATTENDED. The charges cannot re-price themselves…
    db.set_roster_status(id, "M004", "ATTENDED");
    assert_eq!(active_charges(&db, id), three);
    // …the next billing run catches it by the attendance version, re-syncs and (the session
    // is complete now) claims it.
    let report = bill(&db, &[]);
    let outcome = session_outcome(&report, id);
    assert_eq!(outcome["charges_built"], 1, "{outcome}");
    let now = active_charges(&db, id);
    assert_eq!(
        now.keys().collect::<Vec<_>>(),
        ["M001", "M002", "M003", "M004"]
    );
    assert_eq!(now["M001"].4, three["M001"].4);
    assert_eq!(outcome["claims_built"], 4);
    // Every charge voided along the way is in the audit log, each exactly once.
    let voided: Vec<String> = db.texts(&format!(
        "SELECT id::text FROM charge WHERE session_id = {id} AND status = 'VOID' ORDER BY id"
    ));
    let audited: Vec<String> = db.texts(&format!(
        "SELECT c->>'id' FROM audit_log, jsonb_array_elements(after) c
          WHERE action = 'charge.void' AND session_id = {id} ORDER BY (c->>'id')::bigint"
    ));
    assert!(voided.len() >= 6, "{voided:?}");
    assert_eq!(audited, voided);
}

#[test]
fn two_runs_at_once_build_each_charge_and_claim_exactly_once() {
    let db = TestDb::new();
    let sessions: Vec<Value> = (0..40)
        .map(|n| {
            session(
                &format!("C{n}"),
                "DBT",
                -300 + n,
                -200 + n,
                &["M001", "M002", "M003"],
            )
        })
        .collect();
    seed(&db, Value::Array(sessions));
    db.sql("UPDATE session_participant SET status = 'ATTENDED'");
    let billing = db.login("billing", &[BILLING]);
    let first = db.spawn_gsess_as(&billing, &["billing", "run", "--json"]);
    let second = db.spawn_gsess_as(&billing, &["billing", "run", "--json"]);
    let (first, second) = (first.finish(), second.finish());
    first.success();
    second.success();
    assert_eq!(
        count(&db, "SELECT 1 FROM charge WHERE status = 'ACTIVE'"),
        120
    );
    assert_eq!(
        count(&db, "SELECT 1 FROM charge"),
        120,
        "no charge built twice, none voided"
    );
    assert_eq!(count(&db, "SELECT 1 FROM claim"), 120);
    assert_eq!(
        count(
            &db,
            "SELECT session_id, member_id FROM claim GROUP BY 1, 2 HAVING count(*) > 1"
        ),
        0
    );
    // Between them the two runs built everything once.
    let built = |run: &Run| run.json()["claims_built"].as_i64().unwrap();
    assert_eq!(built(&first) + built(&second), 120);
}

#[test]
fn the_future_is_never_billed_and_a_dry_run_changes_nothing() {
    let db = TestDb::new();
    seed(
        &db,
        json!([session("F", "DBT", -120, -60, &["M001", "M002"])]),
    );
    db.sql("UPDATE session_participant SET status = 'ATTENDED'");
    let tomorrow = at(24 * 60);
    let run = db.gsess(&["billing", "run", "--as-of", &tomorrow, "--json"]);
    run.code(10);
    assert_eq!(run.json_error()["error"]["field"], "--as-of");
    let dry = db
        .gsess(&[
            "billing",
            "run",
            "--as-of",
            &tomorrow,
            "--dry-run",
            "--json",
        ])
        .success()
        .json();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["charges_built"], 2);
    assert_eq!(count(&db, "SELECT 1 FROM charge"), 0);
    assert_eq!(count(&db, "SELECT 1 FROM claim"), 0);
    assert_eq!(
        count(&db, "SELECT 1 FROM audit_log WHERE action = 'billing.run'"),
        0
    );
    bill(&db, &[]);
    assert_eq!(
        count(&db, "SELECT 1 FROM audit_log WHERE action = 'billing.run'"),
        1
    );
}

#[test]
fn claims_claim_show_and_encounters_answer_with_their_json() {
    let db = TestDb::new();
    seed(
        &db,
        json!([session("J", "DBT", -120, -60, &["M001", "M002", "M003"])]),
    );
    let id = id_of(&db, "J");
    mark(&db, id, "attended", &["M001", "M002", "M003"]);
    // No supervisor present: a ratio breach, accepted knowingly before billing.
    db.gsess(&[
        "accept",
        &id.to_string(),
        "SUPERVISION_RATIO_BREACH",
        "--payer",
        "ORMCD",
        "--reason",
        "covered by the on-call lead",
    ])
    .success();
    bill(&db, &[]);

    let claims = db
        .gsess(&["claims", "--session", &id.to_string(), "--json"])
        .success()
        .json();
    let claims = claims.as_array().unwrap();
    assert_eq!(claims.len(), 3);
    let claim = &claims[0];
    for field in [
        "id",
        "session_id",
        "mrn",
        "payer",
        "frequency_code",
        "status",
        "amount",
        "original_claim_id",
        "lines",
        "issues",
    ] {
        assert!(claim.get(field).is_some(), "{field}: {claim:#}");
    }
    assert_eq!(
        (claim["frequency_code"].as_str(), claim["amount"].as_str()),
        (Some("1"), Some("45.00"))
    );
    let line = &claim["lines"][0];
    assert_eq!(
        (
            line["procedure_code"].as_str(),
            line["units"].as_i64(),
            line["amount"].as_str()
        ),
        (Some("90853"), Some(1), Some("45.00"))
    );
    let breach = claim["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "SUPERVISION_RATIO_BREACH")
        .expect("the breach is on the claim");
    assert_eq!(breach["accepted"], true);
    assert_eq!(breach["arithmetic"], "3 billable > 0 present × 6");
    // Accepted: not blocked.
    let blocked = db
        .gsess(&["claims", "--blocked", "--json"])
        .success()
        .json();
    assert_eq!(blocked.as_array().unwrap().len(), 0);

    let shown = db
        .gsess(&["claim", "show", &claim["id"].to_string(), "--json"])
        .success()
        .json();
    assert_eq!(shown["id"], claim["id"]);
    assert_eq!(shown["chain"].as_array().unwrap().len(), 1);
    db.gsess(&["claim", "show", "999999"]).code(3);

    let mrn = claim["mrn"].as_str().unwrap();
    let encounters = db.gsess(&["encounters", mrn, "--json"]).success().json();
    let encounters = encounters.as_array().unwrap();
    assert_eq!(encounters.len(), 1);
    for field in [
        "charge_id",
        "session_id",
        "date",
        "procedure_code",
        "modifiers",
        "amount",
        "status",
    ] {
        assert!(encounters[0].get(field).is_some(), "{field}");
    }
    assert_eq!(encounters[0]["status"], "ACTIVE");
    db.gsess(&["encounters", "M999"]).code(3);
}

#[test]
fn every_billing_command_needs_its_scope_and_the_database_enforces_it() {
    let db = TestDb::new();
    seed(
        &db,
        json!([session("S", "DBT", -120, -60, &["M001", "M002"])]),
    );
    let id = id_of(&db, "S");
    db.sql("UPDATE session_participant SET status = 'ATTENDED'");
    let reader = db.login("reader", &[READ]);
    let writer = db.login("writer", &[WRITE]);

    let run = db.gsess_as(&reader, &["billing", "run", "--json"]);
    run.code(6);
    assert_eq!(run.json_error()["error"]["missing_scope"], BILLING);
    db.gsess_as(&writer, &["billing", "run"]).code(6);
    db.gsess_as(&reader, &["billing", "watch"]).code(6);

    // The database refuses the same things attempted by hand.
    let price = format!(
        "SELECT * FROM sync_charges('[{{\"facility_id\": 1, \"session_id\": {id}, \"version\": 0, \"charges\": []}}]')"
    );
    let refused = db.sql_as(&reader, &price).unwrap_err();
    assert_eq!(refused.sqlstate, "42501", "{refused:?}");
    let refused = db.sql_as(&writer, &price).unwrap_err();
    assert_eq!(
        refused.sqlstate, "42501",
        "a writer never prices first: {refused:?}"
    );
    let insert = format!(
        "INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id, frequency_code, claim_control_number, amount)
         SELECT p.facility_id, p.session_id, p.member_id, c.payer_id, c.id, '1', 'X', 1
           FROM session_participant p JOIN coverage_policy c ON c.member_id = p.member_id WHERE p.session_id = {id} LIMIT 1"
    );
    assert_eq!(db.sql_as(&writer, &insert).unwrap_err().sqlstate, "42501");
    assert_eq!(
        db.sql_as(&reader, "UPDATE charge SET amount = 0")
            .unwrap_err()
            .sqlstate,
        "42501"
    );
    assert_eq!(
        db.sql_as(&writer, "UPDATE group_session SET billing_settled = true")
            .unwrap_err()
            .sqlstate,
        "42501"
    );

    // Reading needs only the read scope.
    db.gsess_as(&reader, &["claims", "--json"]).success();
    db.gsess_as(&reader, &["encounters", "M001", "--json"])
        .success();
    let nobody = db.login("nobody", &[]);
    db.gsess_as(&nobody, &["claims"]).code(6);
}

#[test]
fn billing_watch_bills_a_session_as_it_ends_and_stops_cleanly_on_sigterm() {
    let db = TestDb::new();
    // Ends in a few seconds.
    let ends = (Utc::now() + Duration::seconds(4))
        .with_timezone(&"America/Los_Angeles".parse::<chrono_tz::Tz>().unwrap())
        .to_rfc3339();
    let mut document = dataset(json!([session("W", "DBT", -60, 0, &["M001", "M002"])]));
    document["sessions"][0]["ends_at"] = json!(ends);
    db.gsess_stdin(&["import", "-"], &document.to_string())
        .success();
    let id = id_of(&db, "W");
    mark(&db, id, "attended", &["M001", "M002", "--supervisor", DANA]);
    let billing = db.login("watcher", &[BILLING]);
    let watcher = db.spawn_gsess_as(&billing, &["billing", "watch", "--json"]);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while count(&db, &format!("SELECT 1 FROM claim WHERE session_id = {id}")) < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the watcher never billed the session"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    watcher.terminate();
    let run = watcher.finish();
    run.success().stderr_contains("stopped");
    assert!(
        run.stdout.lines().any(|l| l.contains("\"claims_built\":2")),
        "{}",
        run.stdout
    );
}

#[test]
fn an_as_of_that_does_not_parse_is_a_usage_error_and_one_that_never_happens_is_invalid() {
    let db = TestDb::new();
    db.gsess(&["billing", "run", "--as-of", "soon"])
        .code(2)
        .stderr_contains("--as-of");
    // 02:30 on the spring-forward night never happens in Los Angeles.
    common::gsess_with(
        &[("TZ", "America/Los_Angeles"), ("DATABASE_URL", &db.url())],
        &["billing", "run", "--as-of", "2026-03-08 02:30", "--dry-run"],
        None,
    )
    .code(10)
    .stderr_contains("--as-of");
}
