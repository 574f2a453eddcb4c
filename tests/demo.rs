//! `gsess demo` loads today's demo dataset into the embedded database, and re-running it is safe.

mod common;

use common::gsess_with;
use std::path::PathBuf;

#[test]
fn demo_loads_today_into_a_fresh_embedded_database_and_reruns_idempotently() {
    let home = PathBuf::from(format!("/tmp/gsess-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    let env = [("GSESS_HOME", home.to_str().unwrap())];

    let first = gsess_with(&env, &["demo", "--json"], None);
    first.success();
    let json = first.json();
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(json["date"], today.as_str());
    let sessions = json["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    assert!(sessions.iter().all(|s| s["date"] == today.as_str()));
    assert_eq!(json["imported"]["created"]["members"], 9);
    // The featured session shows the preview catching unmarked rows.
    let issues = json["featured"]["preview"]["issues"].as_array().unwrap();
    assert!(issues
        .iter()
        .any(|i| i["code"] == "GROUP_UNATTENDED_BILLED"));

    let again = gsess_with(&env, &["demo", "--json"], None);
    again.success();
    let created = again.json()["imported"]["created"].clone();
    assert!(
        created.as_object().unwrap().values().all(|n| n == 0),
        "a second demo creates nothing: {created}"
    );

    // The demo user is the login, at home in the demo clinic.
    let who = gsess_with(&env, &["whoami", "--json"], None);
    assert_eq!(who.json()["home_facility"], "NORTH");

    gsess_with(&env, &["db", "stop"], None).success();
    let _ = std::fs::remove_dir_all(&home);
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
