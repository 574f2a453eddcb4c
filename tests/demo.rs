//! `gsess demo` tells the whole story on today's demo dataset in the embedded database, in order,
//! and a rerun starts it afresh.

mod common;

use common::{gsess_with, Home};

#[test]
fn demo_tells_the_whole_story_on_a_fresh_embedded_database_and_starts_afresh_when_rerun() {
    let home = Home::new("demo");
    let env = [("GSESS_HOME", home.0.to_str().unwrap())];

    let first = gsess_with(&env, &["demo", "--json"], None);
    first.success();
    let json = first.json();
    assert_eq!(json["reset"], false);
    assert_eq!(json["imported"]["created"]["members"], 16);
    assert_eq!(json["imported"]["created"]["facilities"], 3);
    let steps = json["steps"].as_array().unwrap();
    let step = |prefix: &str| -> &serde_json::Value {
        steps
            .iter()
            .find(|s| s["command"].as_str().unwrap().starts_with(prefix))
            .unwrap_or_else(|| panic!("no step {prefix:?} in {json:#}"))
    };
    let codes = |preview: &serde_json::Value| -> Vec<String> {
        preview["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["accepted"] == false)
            .map(|i| i["code"].as_str().unwrap().to_owned())
            .collect()
    };

    // The day at three clinics, each session on the dataset's date in its own time zone.
    let sessions = step("gsess list")["result"].as_array().unwrap();
    let facilities: std::collections::BTreeSet<&str> = sessions
        .iter()
        .map(|s| s["facility"].as_str().unwrap())
        .collect();
    assert_eq!(
        facilities.into_iter().collect::<Vec<_>>(),
        ["DESERT", "NORTH", "SOUTH"]
    );
    assert!(sessions.iter().all(|s| s["date"] == json["date"]));

    // A warning appears with the first mark and clears with the supervisor's.
    let marks: Vec<&serde_json::Value> = steps
        .iter()
        .filter(|s| s["command"].as_str().unwrap().starts_with("gsess mark"))
        .collect();
    assert!(codes(&marks[0]["result"]["preview"]).contains(&"SUPERVISION_RATIO_BREACH".into()));
    assert!(!codes(&marks[1]["result"]["preview"]).contains(&"SUPERVISION_RATIO_BREACH".into()));
    assert_eq!(
        step("gsess show")["result"]["preview"]["ready_to_bill"],
        true
    );

    // Billed, a clean Validation list, submitted with its EDI shown.
    assert_eq!(step("gsess billing run")["result"]["claims_built"], 5);
    assert_eq!(
        step("gsess claim show")["result"]["validation"]["blocking"],
        0
    );
    let submits: Vec<&serde_json::Value> = steps
        .iter()
        .filter(|s| {
            s["command"]
                .as_str()
                .unwrap()
                .starts_with("gsess claim submit")
        })
        .collect();
    let original = submits[0]["result"]["interchanges"][0]["edi"]
        .as_str()
        .unwrap();
    assert!(original.starts_with("ISA*"), "{original}");
    assert_eq!(original.matches(":B:1*").count(), 5);

    // The forced correction: a void for M005, sent with the payer's number.
    let correction = &step("gsess force-update")["result"];
    assert_eq!(correction["applied"], true);
    let void: Vec<&serde_json::Value> = correction["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == "void")
        .collect();
    assert_eq!(void.len(), 1, "{correction:#}");
    assert_eq!(void[0]["mrn"], "M005");
    let void_edi = submits[1]["result"]["interchanges"][0]["edi"]
        .as_str()
        .unwrap();
    assert!(void_edi.contains(":B:8*"), "{void_edi}");
    assert!(void_edi.contains("REF*F8*ORDHS"), "{void_edi}");

    // The audit names the forced correction, its reason and who made it.
    let audit = step("gsess audit")["result"].as_array().unwrap();
    let forced: Vec<&serde_json::Value> = audit
        .iter()
        .filter(|e| e["action"] == "attendance.force")
        .collect();
    assert_eq!(forced.len(), 1, "{audit:#?}");
    assert_eq!(forced[0]["forced"], true);
    assert!(forced[0]["reason"].as_str().unwrap().contains("M005"));

    // A second run, as people read it (no --json, piped): it starts afresh and says so, tells
    // the same story, and writes nothing to stderr, so the story reads in order in a file.
    let again = gsess_with(&env, &["demo"], None);
    again.success();
    assert_eq!(again.stderr, "", "the demo wrote to stderr");
    assert!(
        again.stdout.starts_with("Started the demo afresh"),
        "{}",
        again.stdout
    );
    let order = [
        "$ gsess list",
        "$ gsess mark",
        "$ gsess billing run",
        "$ gsess claim submit",
        "$ gsess force-update",
        "$ gsess audit",
        "Try next:",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|needle| {
            again
                .stdout
                .find(needle)
                .unwrap_or_else(|| panic!("no {needle:?}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "out of order: {order:?} at {at:?}"
    );

    // The demo user is the login, at home in the Portland clinic.
    let who = gsess_with(&env, &["whoami", "--json"], None);
    assert_eq!(who.json()["home_facility"], "NORTH");
}

#[test]
fn demo_refuses_a_database_url() {
    gsess_with(
        &[(
            "DATABASE_URL",
            "postgresql://x@localhost/x?host=/nonexistent",
        )],
        &["demo"],
        None,
    )
    .code(2)
    .stderr_contains("embedded");
}
