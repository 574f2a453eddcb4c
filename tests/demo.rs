//! `gsess demo` loads today's demo dataset into the embedded database, and re-running it is safe.

mod common;

use common::{gsess_with, Home};

#[test]
fn demo_loads_today_into_a_fresh_embedded_database_and_reruns_idempotently() {
    let home = Home::new("demo");
    let env = [("GSESS_HOME", home.0.to_str().unwrap())];

    let first = gsess_with(&env, &["demo", "--json"], None);
    first.success();
    let json = first.json();
    assert_eq!(json["imported"]["created"]["members"], 9);
    let commands: Vec<&str> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        commands.len(),
        5,
        "list, mark, mark, finalize, show: {commands:?}"
    );
    assert!(commands[0].starts_with("gsess list --date"));
    assert!(commands[3].starts_with("gsess finalize"));

    // The day's three sessions, all on the dataset's date.
    let sessions = json["steps"][0]["result"].as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    assert!(sessions.iter().all(|s| s["date"] == json["date"]));
    // The first mark shows the preview catching the breach and the band gap …
    let codes = |step: usize| -> Vec<String> {
        json["steps"][step]["result"]["preview"]["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        codes(1).contains(&"SUPERVISION_RATIO_BREACH".to_owned()),
        "{:?}",
        codes(1)
    );
    assert!(codes(1).contains(&"GROUP_SIZE_BAND_MISMATCH".to_owned()));
    // … the supervisor clears the breach, and finalize leaves the session ready to bill.
    assert!(!codes(2).contains(&"SUPERVISION_RATIO_BREACH".to_owned()));
    assert_eq!(
        json["steps"][3]["result"]["sessions"][0]["marked_absent"],
        serde_json::json!(["M006", "M007"])
    );
    let show = &json["steps"][4]["result"];
    assert_eq!(show["session"]["status"], "READY");
    assert_eq!(show["preview"]["ready_to_bill"], true);

    // A second run imports nothing new and only shows the session as it stands.
    let again = gsess_with(&env, &["demo", "--json"], None);
    again.success();
    let again = again.json();
    let created = again["imported"]["created"].clone();
    assert!(
        created.as_object().unwrap().values().all(|n| n == 0),
        "a second demo creates nothing: {created}"
    );
    assert_eq!(
        again["steps"].as_array().unwrap().len(),
        2,
        "list and show only"
    );

    // The demo user is the login, at home in the demo clinic.
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
