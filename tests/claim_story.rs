//! The billing specialist's whole story against real PostgreSQL, every 837P checked by pyx12:
//! bill → submit → ack → a forced ATTENDED→ABSENT (a void for that member, replacements for
//! the members whose band changed) → submit → a forced ABSENT→ATTENDED (a new original) →
//! submit, with `claim edi` and `audit` showing each step.

mod common;

use common::billing::{id_of, issue_codes, seed, session, DANA};
use common::{pyx12, TestDb};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const FORCE: &str = "clinical.attendance.write.force";
const BILLING: &str = "clinical.billing.run";

/// Claims of the session by MRN, newest last: (id, frequency code, status, amount).
fn chains(db: &TestDb, session: i64) -> BTreeMap<String, Vec<(i64, String, String, String)>> {
    let mut chains: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for row in db.rows(&format!(
        "SELECT c.id, m.mrn, c.frequency_code, c.status, c.amount::text AS amount
           FROM claim c JOIN member m ON m.id = c.member_id
          WHERE c.session_id = {session} ORDER BY c.id"
    )) {
        chains
            .entry(row["mrn"].as_str().unwrap().to_owned())
            .or_default()
            .push((
                row["id"].as_i64().unwrap(),
                row["frequency_code"].as_str().unwrap().to_owned(),
                row["status"].as_str().unwrap().to_owned(),
                row["amount"].as_str().unwrap().to_owned(),
            ));
    }
    chains
}

/// Submit the session's waiting claims; every interchange must pass pyx12.
fn submit(db: &TestDb, biller: &str, session: i64) -> Value {
    let sent = db
        .gsess_as(
            biller,
            &[
                "claim",
                "submit",
                "--session",
                &session.to_string(),
                "--json",
            ],
        )
        .success()
        .json();
    for interchange in sent["interchanges"].as_array().unwrap() {
        let edi = interchange["edi"].as_str().unwrap();
        if let Err(verdict) = pyx12::validate(edi) {
            panic!("pyx12 refused the interchange:\n{verdict}\n--- EDI ---\n{edi}");
        }
    }
    sent
}

fn ack(db: &TestDb, biller: &str, claim: i64) {
    db.gsess_as(
        biller,
        &[
            "claim",
            "ack",
            &claim.to_string(),
            "--payer-claim-number",
            &format!("ICN{claim}"),
        ],
    )
    .success();
}

fn force(db: &TestDb, forcer: &str, session: i64, status: &str, reason: &str) -> Value {
    db.gsess_as(
        forcer,
        &[
            "force-update",
            &session.to_string(),
            status,
            "M005",
            "--reason",
            reason,
            "--yes",
            "--json",
        ],
    )
    .success()
    .json()
}

#[test]
fn bill_submit_ack_correct_resubmit_and_audit() {
    if !pyx12::available() {
        return; // said loudly; in CI a missing validator fails instead
    }
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
    let writer = db.login("writer", &[READ, WRITE]);
    let biller = db.login("biller", &[READ, BILLING]);
    let forcer = db.login("forcer", &[READ, FORCE]);
    db.gsess_as(&writer, &["mark", &sid, "attended", "--all-scheduled"])
        .success();
    db.gsess_as(&writer, &["mark", &sid, "attended", "--supervisor", DANA])
        .success();

    // Bill and send: five originals at 40.00 (a group of 5), in one interchange.
    db.gsess_as(&biller, &["billing", "run"]).success();
    let sent = submit(&db, &biller, id);
    let interchanges = sent["interchanges"].as_array().unwrap();
    assert_eq!(interchanges.len(), 1, "one facility, one payer: {sent:#}");
    assert_eq!(interchanges[0]["facility"], "NORTH");
    assert_eq!(interchanges[0]["payer"], "ORMCD");
    let edi = interchanges[0]["edi"].as_str().unwrap();
    assert_eq!(edi.matches("CLM*").count(), 5);
    assert_eq!(edi.matches("SV1*HC:90853:HQ*40*UN*1***1").count(), 5);
    assert!(
        edi.contains("NM1*DQ*1*Reyes*Dana****XX*1245319599"),
        "{edi}"
    );
    let originals = chains(&db, id);
    for (mrn, chain) in &originals {
        assert_eq!(chain.len(), 1, "{mrn}: {chain:?}");
        assert_eq!(
            (chain[0].1.as_str(), chain[0].2.as_str()),
            ("1", "SUBMITTED")
        );
    }
    // The stored text is what was sent, for every claim it carried.
    let first = originals["M001"][0].0;
    assert_eq!(
        db.gsess_as(&writer, &["claim", "edi", &first.to_string(), "--json"])
            .success()
            .json()["edi"],
        edi
    );
    // Sent claims are never sent twice.
    db.gsess_as(&biller, &["claim", "submit", &first.to_string()])
        .code(10)
        .stderr_contains("SUBMITTED already");

    // M005 was not there after all: the group is 4, band 2–4 at 45.00. Before the payer's
    // numbers are known, every correction is blocked and the consequence says so.
    let corrected = force(&db, &forcer, id, "absent", "payer audit: M005 was absent");
    let actions: BTreeMap<String, (String, String)> = corrected["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["mrn"].as_str().unwrap().to_owned(),
                (
                    c["action"].as_str().unwrap().to_owned(),
                    c["frequency_code"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect();
    for mrn in ["M001", "M002", "M003", "M004"] {
        assert_eq!(
            actions[mrn],
            ("replacement".into(), "7".into()),
            "{corrected:#}"
        );
    }
    assert_eq!(actions["M005"], ("void".into(), "8".into()));
    for claim in corrected["claims"].as_array().unwrap() {
        let codes = issue_codes(claim);
        assert_eq!(codes, ["PAYER_CLAIM_NUMBER_MISSING"], "{claim:#}");
    }
    db.gsess_as(&biller, &["claim", "submit", "--session", &sid])
        .code(8)
        .stderr_contains("PAYER_CLAIM_NUMBER_MISSING");

    // The payer's numbers arrive; the corrections go, referencing them.
    for chain in originals.values() {
        ack(&db, &biller, chain[0].0);
    }
    let sent = submit(&db, &biller, id);
    let edi = sent["interchanges"][0]["edi"].as_str().unwrap().to_owned();
    let after = chains(&db, id);
    for mrn in ["M001", "M002", "M003", "M004"] {
        let chain = &after[mrn];
        assert_eq!(chain[0].2, "REPLACED", "{mrn}: {chain:?}");
        assert_eq!(
            (chain[1].1.as_str(), chain[1].2.as_str()),
            ("7", "SUBMITTED")
        );
        assert_eq!(chain[1].3, "45.00");
        assert!(edi.contains(&format!("REF*F8*ICN{}~", chain[0].0)), "{edi}");
    }
    let m005 = &after["M005"];
    assert_eq!(m005[0].2, "VOIDED");
    assert_eq!((m005[1].1.as_str(), m005[1].2.as_str()), ("8", "SUBMITTED"));
    assert_eq!(m005[1].3, "40.00", "a void repeats the charge it voids");
    assert_eq!(edi.matches(":B:7*").count(), 4, "{edi}");
    assert_eq!(edi.matches(":B:8*").count(), 1, "{edi}");
    assert_eq!(edi.matches("SV1*HC:90853:HQ*45*UN*1***1").count(), 4);
    assert_eq!(edi.matches("SV1*HC:90853:HQ*40*UN*1***1").count(), 1);

    // M005 was there after all: a new original for M005 (its chain ended with the void), and
    // replacements of the replacements, which need the payer's numbers of those.
    for mrn in ["M001", "M002", "M003", "M004"] {
        ack(&db, &biller, after[mrn][1].0);
    }
    let corrected = force(&db, &forcer, id, "attended", "the sign-in sheet shows M005");
    let new_original = corrected["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["mrn"] == "M005")
        .cloned()
        .unwrap();
    assert_eq!(new_original["action"], "original");
    assert_eq!(new_original["frequency_code"], "1");
    let first_number: String = db.scalar(&format!(
        "SELECT claim_control_number FROM claim WHERE id = {}",
        originals["M005"][0].0
    ));
    assert_ne!(
        new_original["claim_control_number"],
        json!(first_number),
        "a new chain, a new claim number"
    );
    let sent = submit(&db, &biller, id);
    let edi = sent["interchanges"][0]["edi"].as_str().unwrap();
    assert_eq!(edi.matches(":B:7*").count(), 4, "{edi}");
    assert_eq!(edi.matches(":B:1*").count(), 1, "{edi}");
    // Each replacement of a replacement quotes the payer's number of the claim it replaces.
    for mrn in ["M001", "M002", "M003", "M004"] {
        assert!(
            edi.contains(&format!("REF*F8*ICN{}~", after[mrn][1].0)),
            "{edi}"
        );
    }
    // A number a sent correction quoted stays what it was.
    db.gsess_as(
        &biller,
        &[
            "claim",
            "ack",
            &after["M001"][1].0.to_string(),
            "--payer-claim-number",
            "OTHER1",
        ],
    )
    .code(10)
    .stderr_contains("already sent");

    // The audit log tells the story, the corrections marked forced with their reasons.
    let audit = db
        .gsess_as(&writer, &["audit", "--session", &sid, "--json"])
        .success()
        .json();
    let entries = audit.as_array().unwrap();
    let forced: Vec<&str> = entries
        .iter()
        .filter(|e| e["action"] == "attendance.force")
        .map(|e| {
            assert_eq!(e["forced"], true);
            assert_eq!(e["actor"], forcer.as_str());
            e["reason"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        forced,
        [
            "payer audit: M005 was absent",
            "the sign-in sheet shows M005"
        ]
    );
    for action in [
        "roster.mark",
        "claim.build",
        "claim.submitted",
        "claim.ack",
        "claim.replaced",
        "claim.voided",
        "charge.void",
    ] {
        assert!(
            entries.iter().any(|e| e["action"] == action),
            "no {action} in the audit: {audit:#}"
        );
    }
}

#[test]
fn one_interchange_per_payer_written_to_files_in_production_and_only_with_the_billing_scope() {
    if !pyx12::available() {
        return; // said loudly; in CI a missing validator fails instead
    }
    let db = TestDb::new();
    seed(
        &db,
        json!([session(
            "MIX",
            "DBT",
            -120,
            -60,
            &["M001", "M002", "M007", "M008"]
        )]),
    );
    let id = id_of(&db, "MIX");
    let sid = id.to_string();
    db.gsess(&["mark", &sid, "attended", "--all-scheduled"])
        .success();
    db.gsess(&["mark", &sid, "attended", "--supervisor", DANA])
        .success();
    db.gsess(&["billing", "run"]).success();
    let reader = db.login("reader", &[READ]);
    let writer = db.login("writer", &[READ, WRITE]);
    let biller = db.login("biller", &[READ, BILLING]);
    let first_claim: i64 = db.scalar(&format!(
        "SELECT min(id) FROM claim WHERE session_id = {id}"
    ));

    // Without the billing scope: gsess names it, and PostgreSQL refuses the same by hand.
    for login in [&reader, &writer] {
        db.gsess_as(login, &["claim", "submit", "--session", &sid])
            .code(6)
            .stderr_contains("clinical.billing.run");
        db.gsess_as(
            login,
            &[
                "claim",
                "ack",
                &first_claim.to_string(),
                "--payer-claim-number",
                "X1",
            ],
        )
        .code(6);
        let refused = db
            .sql_as(
                login,
                &format!("UPDATE claim SET status = 'SUBMITTED' WHERE id = {first_claim}"),
            )
            .expect_err("a claim marked sent by hand without the scope");
        assert_eq!(refused.sqlstate, "42501", "{refused:?}");
    }
    assert_eq!(
        db.scalar::<i64>(&format!(
            "SELECT count(*) FROM claim WHERE session_id = {id} AND status <> 'BUILT'"
        )),
        0
    );

    // Two payers, two interchanges, one file each, production.
    let dir = std::env::temp_dir().join(format!("gsess-837-{}-{}", std::process::id(), db.name));
    std::fs::create_dir_all(&dir).unwrap();
    let sent = db
        .gsess_as(
            &biller,
            &[
                "claim",
                "submit",
                "--session",
                &sid,
                "--out",
                dir.to_str().unwrap(),
                "--production",
                "--json",
            ],
        )
        .success()
        .json();
    let interchanges = sent["interchanges"].as_array().unwrap();
    let payers: Vec<&str> = interchanges
        .iter()
        .map(|i| i["payer"].as_str().unwrap())
        .collect();
    assert_eq!(payers, ["ORMCD", "WAHP"], "{sent:#}");
    let icns: Vec<i64> = interchanges
        .iter()
        .map(|i| i["interchange_control_number"].as_i64().unwrap())
        .collect();
    assert_ne!(icns[0], icns[1], "control numbers are never reused");
    for interchange in interchanges {
        let edi = interchange["edi"].as_str().unwrap();
        let file = interchange["file"].as_str().unwrap();
        assert_eq!(std::fs::read_to_string(file).unwrap(), edi, "{file}");
        let isa = edi.lines().next().unwrap();
        assert!(isa.ends_with("*P*:~"), "ISA15 is P: {isa}");
        if let Err(verdict) = pyx12::validate(edi) {
            panic!("pyx12 refused:\n{verdict}\n{edi}");
        }
    }
    assert!(interchanges[1]["edi"]
        .as_str()
        .unwrap()
        .contains("SV1*HC:90853*30*UN*1***1"));
    std::fs::remove_dir_all(&dir).unwrap();
}
