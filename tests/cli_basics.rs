//! The command line's contract: exit codes, JSON errors, whoami, the migration gate.

mod common;

use common::{gsess_with, TestDb};

#[test]
fn usage_errors_exit_2_and_json_errors_are_one_object_on_stderr() {
    let run = gsess_with(&[], &["no-such-command"], None);
    run.code(2).stderr_contains("unrecognized subcommand");

    let run = gsess_with(&[], &["--json", "whoami", "--lock-timeout", "ten"], None);
    run.code(2);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "USAGE");
    assert_eq!(error["error"]["http_status"], 400);
}

#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let output = std::process::Command::new(common::gsess_binary())
        .arg("--json")
        .arg("list")
        .arg("--facility")
        .arg(std::ffi::OsStr::from_bytes(b"NORTH\xff"))
        .env_remove("DATABASE_URL")
        .output()
        .expect("run gsess");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("\"USAGE\""), "{stderr}");
}

#[test]
fn gsess_alone_shows_the_commands_by_group_on_stderr_and_exits_2() {
    let run = gsess_with(&[], &[], None);
    run.code(2);
    assert!(run.stdout.is_empty(), "{run:?}");
    let headings = [
        "Attendance:",
        "Billing:",
        "Corrections and support:",
        "Admin:",
    ];
    let mut at = 0;
    for heading in headings {
        let found = run.stderr[at..].find(heading);
        assert!(
            found.is_some(),
            "{heading} missing or out of order: {run:?}"
        );
        at += found.unwrap();
    }
    for command in [
        "  mark ",
        "  billing run ",
        "  claim submit ",
        "  force-update ",
        "  db ",
    ] {
        run.stderr_contains(command);
    }
    run.stderr_contains("gsess <command> --help")
        .stderr_contains("gsess demo");
}

#[test]
fn help_and_version_succeed() {
    gsess_with(&[], &["--help"], None)
        .success()
        .stdout_contains("import");
    gsess_with(&[], &["--help"], None)
        .success()
        .stdout_contains("Exit codes:")
        .stdout_contains("clinical.attendance.write.force\n      force-update");
    gsess_with(&[], &["force-update", "--help"], None)
        .success()
        .stdout_contains("Scope: clinical.attendance.write.force")
        .stdout_contains("gsess force-update 1042 absent M003 --dry-run");
    gsess_with(&[], &["--version"], None)
        .success()
        .stdout_contains("gsess");
}

#[test]
fn an_unreachable_database_exits_9_naming_it() {
    let run = gsess_with(
        &[(
            "DATABASE_URL",
            "postgresql://nobody@localhost/none?host=/nonexistent-socket-dir",
        )],
        &["--json", "whoami"],
        None,
    );
    run.code(9);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "UNAVAILABLE");
    assert_eq!(error["error"]["http_status"], 503);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot connect"),
        "{error}"
    );
}

#[test]
fn whoami_shows_login_name_home_facility_and_exactly_the_scopes_held() {
    let db = TestDb::new();
    db.sql(
        "INSERT INTO facility (code, name, state, timezone, npi, tax_id, address_line1,
                               address_city, address_state, address_zip)
         VALUES ('NORTH', 'North Clinic', 'OR', 'America/Los_Angeles', '1234567893',
                 '931234567', '1 Main St', 'Portland', 'OR', '972011234')",
    );
    let login = db.login("alice", &["clinical.attendance.write"]);
    db.sql(&format!(
        "INSERT INTO app_user (login, name, home_facility_id) VALUES ('{login}', 'Alice Chen', 1)"
    ));
    let json = db.gsess_as(&login, &["whoami", "--json"]).success().json();
    assert_eq!(json["login"], login.as_str());
    assert_eq!(json["name"], "Alice Chen");
    assert_eq!(json["home_facility"], "NORTH");
    // Every scope implies read; nothing else is held.
    assert_eq!(
        json["scopes"],
        serde_json::json!(["clinical.group-session.read", "clinical.attendance.write"])
    );

    let stranger = db.login("nobody", &[]);
    let json = db
        .gsess_as(&stranger, &["whoami", "--json"])
        .success()
        .json();
    assert_eq!(json["scopes"], serde_json::json!([]));
    assert_eq!(json["name"], serde_json::Value::Null);
}

#[test]
fn commands_refuse_a_database_with_pending_migrations() {
    let db = TestDb::new();
    db.sql(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
    );
    db.gsess(&["whoami"])
        .code(9)
        .stderr_contains("gsess db migrate");
    db.gsess(&["--json", "db", "status"])
        .success()
        .json()
        .get("migrations_pending")
        .filter(|p| p.as_array().is_some_and(|a| a.len() == 1))
        .expect("one pending migration reported");
}

#[test]
fn db_migrate_is_refused_to_an_ordinary_login_and_idempotent_for_the_owner() {
    let db = TestDb::new();
    db.gsess(&["db", "migrate"])
        .success()
        .stdout_contains("up to date");
    let login = db.login("admin", &["gsess.admin"]);
    db.sql(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)",
    );
    db.gsess_as(&login, &["db", "migrate"]).code(6);
}

#[test]
fn a_closed_stdout_pipe_is_not_an_error() {
    // `gsess … | head` closes the pipe early: gsess must exit 0, not panic or report it.
    for args in [
        &["completions", "bash"][..],
        &["db", "url"][..],
        &["--json", "db", "url"][..],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = std::process::Command::new(common::gsess_binary())
            .args(args)
            .env(
                "DATABASE_URL",
                "postgresql://x@localhost/x?host=/nonexistent",
            )
            .stdin(std::process::Stdio::null())
            .stdout(writer)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "gsess {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
