//! `gsess import` against real PostgreSQL: upserts by natural key, idempotency, dry runs, every validation error (exit 10, JSON path, nothing changed), rosters and locked sessions.

mod common;
use common::{Run, TestDb};

use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_path(name)).expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// `gsess import - --json` with the document on stdin.
fn import(db: &TestDb, document: &Value) -> Run {
    db.gsess_stdin(&["import", "-", "--json"], &document.to_string())
}

/// Every table an import writes (or must leave alone), with its row count and a digest of
/// its rows: equal snapshots mean nothing changed.
const TABLES: &[&str] = &[
    "facility",
    "payer",
    "group_type",
    "member",
    "provider",
    "app_user",
    "coverage_policy",
    "staff_assignment",
    "supervision_rule",
    "size_band",
    "group_session",
    "session_participant",
    "session_supervisor",
    "audit_log",
];

fn snapshot_of(db: &TestDb, tables: &[&str]) -> Vec<Value> {
    let sql = tables
        .iter()
        .map(|t| {
            format!(
                "SELECT '{t}' AS t, count(*) AS n,
                        md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS digest
                   FROM {t} x"
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    db.rows(&sql)
}

fn snapshot(db: &TestDb) -> Vec<Value> {
    snapshot_of(db, TABLES)
}

fn count(db: &TestDb, table: &str) -> i64 {
    db.scalar::<i64>(&format!("SELECT count(*) FROM {table}"))
}

/// Replace the value at a JSON pointer, or add it as a new field of an existing object.
fn set(document: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = document.pointer_mut(pointer) {
        *slot = value;
        return;
    }
    let (parent, field) = pointer.rsplit_once('/').expect("a pointer");
    document
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {parent} in the document"))
        .insert(field.to_owned(), value);
}

fn remove(document: &mut Value, pointer: &str, field: &str) {
    document
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {pointer}"))
        .remove(field)
        .unwrap_or_else(|| panic!("no {field} at {pointer}"));
}

fn sections(counts: &[(&str, i64)]) -> Value {
    Value::Object(
        counts
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect(),
    )
}

const ALL_SECTIONS: [&str; 12] = [
    "facilities",
    "payers",
    "group_types",
    "members",
    "providers",
    "users",
    "coverages",
    "staff_assignments",
    "supervision_rules",
    "size_bands",
    "sessions",
    "participants",
];

/// The row counts of tests/fixtures/full.json, in report order.
const FULL_COUNTS: [i64; 12] = [2, 2, 2, 4, 2, 2, 4, 3, 3, 4, 3, 4];

fn full_counts() -> Value {
    sections(
        &ALL_SECTIONS
            .iter()
            .copied()
            .zip(FULL_COUNTS)
            .collect::<Vec<_>>(),
    )
}

fn zeros() -> Value {
    sections(&ALL_SECTIONS.iter().map(|s| (*s, 0)).collect::<Vec<_>>())
}

/// Exit 10, the JSON error names exactly `path`, the message starts with it and says `fragment`.
#[track_caller]
fn assert_invalid(run: &Run, case: &str, path: &str, fragment: &str) {
    assert_eq!(
        run.code,
        Some(10),
        "{case}: expected exit 10\nstdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "INVALID_INPUT", "{case}: {error}");
    assert_eq!(error["error"]["field"], path, "{case}: {error}");
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(&format!("{path}: ")),
        "{case}: message does not start with the path: {message}"
    );
    assert!(
        message.contains(fragment),
        "{case}: message lacks {fragment:?}: {message}"
    );
}

#[test]
fn the_spec_example_imports_every_section_from_a_file() {
    let db = TestDb::new();
    let path = fixture_path("spec_example.json");
    let json = db
        .gsess(&["import", path.to_str().unwrap(), "--json"])
        .success()
        .json();
    let ones = sections(&ALL_SECTIONS.iter().map(|s| (*s, 1)).collect::<Vec<_>>());
    assert_eq!(json["created"], ones);
    assert_eq!(json["updated"], zeros());
    assert_eq!(json["unchanged"], zeros());
    assert_eq!(json["kept"], json!([]));
    assert_eq!(json["dry_run"], false);

    let facility = &db.rows(
        "SELECT code, name, state, timezone, npi::text, tax_id, taxonomy, phone, place_of_service,
                address_line1, address_city, address_state, address_zip FROM facility",
    )[0];
    assert_eq!(
        facility,
        &json!({"code": "NORTH", "name": "North Clinic", "state": "OR",
                "timezone": "America/Los_Angeles", "npi": "1234567893", "tax_id": "931234567",
                "taxonomy": "261QM0801X", "phone": "5035550100", "place_of_service": "11",
                "address_line1": "1 Main St", "address_city": "Portland", "address_state": "OR",
                "address_zip": "972011234"})
    );
    assert_eq!(
        db.rows("SELECT mrn, birth_date::text, sex, diagnosis_codes, address_zip FROM member"),
        vec![
            json!({"mrn": "M001", "birth_date": "2001-02-03", "sex": "F",
                    "diagnosis_codes": ["F331"], "address_zip": "97202"})
        ]
    );
    assert_eq!(
        db.rows(
            "SELECT p.code, b.state, b.group_type_id, b.start_date::text, b.end_date, b.min_size,
                    b.max_size, b.procedure_code, b.modifiers, b.rate::text, b.unit_minutes
               FROM size_band b JOIN payer p ON p.id = b.payer_id"
        ),
        vec![
            json!({"code": "ORMCD", "state": "OR", "group_type_id": null,
                    "start_date": "2026-01-01", "end_date": null, "min_size": 2, "max_size": 4,
                    "procedure_code": "90853", "modifiers": ["HQ"], "rate": "45.00",
                    "unit_minutes": null})
        ]
    );
    assert_eq!(
        db.rows("SELECT filing_indicator FROM payer"),
        vec![json!({"filing_indicator": "MC"})]
    );
    assert_eq!(
        db.rows(
            "SELECT s.external_id, s.source, s.local_date::text, s.place_of_service,
                    to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS starts_utc,
                    g.code AS group_type, f.code AS facility
               FROM group_session s JOIN group_type g ON g.id = s.group_type_id
               JOIN facility f ON f.id = s.facility_id"
        ),
        vec![
            json!({"external_id": "SCH-1001", "source": "FEED", "local_date": "2026-11-27",
                    "place_of_service": null, "starts_utc": "2026-11-27 22:00",
                    "group_type": "DBT", "facility": "NORTH"})
        ]
    );
    assert_eq!(
        db.rows(
            "SELECT m.mrn, p.status FROM session_participant p JOIN member m ON m.id = p.member_id"
        ),
        vec![json!({"mrn": "M001", "status": "SCHEDULED"})]
    );
    // The SUPERVISING assignment makes Dana a supervisor of the session.
    assert_eq!(
        db.rows(
            "SELECT v.npi::text, s.source FROM session_supervisor s
               JOIN provider v ON v.id = s.provider_id"
        ),
        vec![json!({"npi": "1245319599", "source": "ASSIGNMENT"})]
    );
    assert_eq!(
        db.rows(
            "SELECT u.login, u.name, f.code FROM app_user u JOIN facility f ON f.id = u.home_facility_id"
        ),
        vec![json!({"login": "alice", "name": "Alice Chen", "code": "NORTH"})]
    );
    let audit = db.rows("SELECT after FROM audit_log WHERE action = 'import'");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["after"]["created"]["members"], 1);
    assert_eq!(audit[0]["after"]["dry_run"], false);
}

#[test]
fn a_full_document_upserts_by_natural_keys_with_defaults_and_normalised_codes() {
    let db = TestDb::new();
    let json = import(&db, &fixture("full.json")).success().json();
    assert_eq!(json["created"], full_counts());
    assert_eq!(json["updated"], zeros());
    assert_eq!(json["unchanged"], zeros());
    assert_eq!(json["removed"], json!({"participants": 0}));

    // Defaults: place of service 11, filing indicator CI; codes normalised.
    assert_eq!(
        db.rows("SELECT code, place_of_service, submitter_id, address_line2 FROM facility ORDER BY code"),
        vec![
            json!({"code": "EAST", "place_of_service": "11", "submitter_id": "EASTSUB", "address_line2": "Suite 4"}),
            json!({"code": "NORTH", "place_of_service": "11", "submitter_id": null, "address_line2": null}),
        ]
    );
    assert_eq!(
        db.rows("SELECT code, filing_indicator, receiver_id FROM payer ORDER BY code"),
        vec![
            json!({"code": "ACME", "filing_indicator": "CI", "receiver_id": "ACMERCV"}),
            json!({"code": "ORMCD", "filing_indicator": "MC", "receiver_id": null}),
        ]
    );
    assert_eq!(
        db.rows("SELECT mrn, diagnosis_codes, address_line1 FROM member ORDER BY mrn"),
        vec![
            json!({"mrn": "M001", "diagnosis_codes": ["F331"], "address_line1": "5 Oak Ave"}),
            json!({"mrn": "M002", "diagnosis_codes": ["F431", "Z0000"], "address_line1": "7 Elm St"}),
            json!({"mrn": "M003", "diagnosis_codes": [], "address_line1": null}),
            json!({"mrn": "M004", "diagnosis_codes": [], "address_line1": null}),
        ]
    );
    assert_eq!(
        db.rows(
            "SELECT b.min_size, b.modifiers, b.rate::text, b.unit_minutes, g.code AS group_type,
                    b.start_date::text
               FROM size_band b LEFT JOIN group_type g ON g.id = b.group_type_id
              ORDER BY b.payer_id, b.state, g.code NULLS FIRST, b.min_size"
        ),
        vec![
            json!({"min_size": 2, "modifiers": ["HQ"], "rate": "45.00", "unit_minutes": null, "group_type": null, "start_date": "2026-01-01"}),
            json!({"min_size": 6, "modifiers": ["HQ", "U1"], "rate": "38.50", "unit_minutes": null, "group_type": null, "start_date": "2026-01-01"}),
            json!({"min_size": 2, "modifiers": [], "rate": "50.00", "unit_minutes": null, "group_type": "DBT", "start_date": null}),
            json!({"min_size": 1, "modifiers": [], "rate": "21.25", "unit_minutes": 15, "group_type": null, "start_date": null}),
        ]
    );
    assert_eq!(
        db.rows(
            "SELECT m.mrn, c.priority, c.subscriber_relationship, c.subscriber_first_name,
                    c.subscriber_birth_date::text, c.end_date::text
               FROM coverage_policy c JOIN member m ON m.id = c.member_id
              WHERE m.mrn IN ('M002', 'M003') ORDER BY m.mrn, c.priority"
        ),
        vec![
            json!({"mrn": "M002", "priority": 1, "subscriber_relationship": null, "subscriber_first_name": null, "subscriber_birth_date": null, "end_date": "2026-12-31"}),
            json!({"mrn": "M003", "priority": 1, "subscriber_relationship": "child", "subscriber_first_name": "Rita", "subscriber_birth_date": "1985-04-04", "end_date": null}),
            json!({"mrn": "M003", "priority": 2, "subscriber_relationship": null, "subscriber_first_name": null, "subscriber_birth_date": null, "end_date": null}),
        ]
    );
    // The same external id at two facilities is two sessions; the local date is the facility's.
    assert_eq!(
        db.rows(
            "SELECT f.code, s.external_id, s.local_date::text, s.place_of_service
               FROM group_session s JOIN facility f ON f.id = s.facility_id
              ORDER BY f.code, s.external_id"
        ),
        vec![
            json!({"code": "EAST", "external_id": "SCH-1001", "local_date": "2026-11-27", "place_of_service": null}),
            json!({"code": "NORTH", "external_id": "SCH-1001", "local_date": "2026-11-27", "place_of_service": null}),
            json!({"code": "NORTH", "external_id": "SCH-1002", "local_date": "2026-11-28", "place_of_service": "02"}),
        ]
    );
    // Roster row ids follow the order of `participants`.
    assert_eq!(
        db.rows(
            "SELECT m.mrn FROM session_participant p JOIN member m ON m.id = p.member_id
               JOIN group_session s ON s.facility_id = p.facility_id AND s.id = p.session_id
              WHERE s.external_id = 'SCH-1001' ORDER BY p.id"
        ),
        vec![
            json!({"mrn": "M002"}),
            json!({"mrn": "M001"}),
            json!({"mrn": "M003"})
        ]
    );
}

#[test]
fn a_reimport_changes_nothing_and_duplicates_nothing() {
    let db = TestDb::new();
    let document = fixture("full.json");
    import(&db, &document).success();
    let tables = &TABLES[..TABLES.len() - 1]; // all but the audit log
    let before = snapshot_of(&db, tables);
    let audits = count(&db, "audit_log");

    let json = import(&db, &document).success().json();
    assert_eq!(json["created"], zeros());
    assert_eq!(json["updated"], zeros());
    assert_eq!(json["unchanged"], full_counts());
    assert_eq!(json["removed"], json!({"participants": 0}));
    assert_eq!(json["kept"], json!([]));
    assert_eq!(snapshot_of(&db, tables), before);
    // The only new row anywhere: the import's own audit entry.
    assert_eq!(count(&db, "audit_log"), audits + 1);
}

#[test]
fn a_section_of_several_batches_is_counted_as_one() {
    let db = TestDb::new();
    // Three batches of members: 10,000, 10,000 and 5,001.
    let members: Vec<Value> = (0..25_001)
        .map(|i| {
            json!({"mrn": format!("M{i:05}"), "first_name": "Ana", "last_name": "Lopez",
                   "birth_date": "2001-02-03", "sex": "F"})
        })
        .collect();
    let mut document = json!({ "members": members });
    let json = import(&db, &document).success().json();
    assert_eq!(json["created"], json!({"members": 25_001}));
    assert_eq!(count(&db, "member"), 25_001);

    set(&mut document, "/members/25000/last_name", json!("Kim"));
    let json = import(&db, &document).success().json();
    assert_eq!(json["created"], json!({"members": 0}));
    assert_eq!(json["updated"], json!({"members": 1}));
    assert_eq!(json["unchanged"], json!({"members": 25_000}));
    assert_eq!(
        db.scalar::<String>("SELECT last_name FROM member WHERE mrn = 'M25000'"),
        "Kim"
    );
}

#[test]
fn a_changed_row_is_counted_as_updated_and_written() {
    let db = TestDb::new();
    let mut document = fixture("full.json");
    import(&db, &document).success();

    set(&mut document, "/members/0/last_name", json!("Lopez-Diaz"));
    set(&mut document, "/size_bands/0/rate", json!("46.10"));
    set(&mut document, "/coverages/0/end", json!("2026-12-31"));
    set(
        &mut document,
        "/sessions/1/ends_at",
        json!("2026-11-29T01:00:00-08:00"),
    );
    set(
        &mut document,
        "/supervision_rules/2/max_per_supervisor",
        json!(9),
    );
    set(
        &mut document,
        "/facilities/1/timezone",
        json!("America/Chicago"),
    );
    let json = import(&db, &document).success().json();
    let updated = |section: &str| json["updated"][section].as_i64().unwrap();
    assert_eq!(
        ALL_SECTIONS.map(updated),
        [1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0]
    );
    assert_eq!(json["created"], zeros());
    assert_eq!(json["unchanged"]["members"], 3);

    assert_eq!(
        db.scalar::<String>("SELECT last_name FROM member WHERE mrn = 'M001'"),
        "Lopez-Diaz"
    );
    assert_eq!(
        db.scalar::<String>(
            "SELECT rate::text FROM size_band WHERE min_size = 2 AND group_type_id IS NULL"
        ),
        "46.10"
    );
    assert_eq!(
        db.scalar::<String>(
            "SELECT to_char(ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM group_session
              WHERE external_id = 'SCH-1002'"
        ),
        "2026-11-29 09:00"
    );
    assert_eq!(
        db.scalar::<i32>(
            "SELECT max_per_supervisor FROM supervision_rule WHERE start_date IS NULL AND state = 'NY'"
        ),
        9
    );
    assert_eq!(
        db.scalar::<String>("SELECT timezone FROM facility WHERE code = 'EAST'"),
        "America/Chicago"
    );
}

#[test]
fn rules_and_bands_without_group_type_or_start_are_never_duplicated() {
    let db = TestDb::new();
    let document = json!({
        "payers": [{"code": "P", "name": "P", "payer_id": "P"}],
        "supervision_rules": [
            {"payer": "P", "state": "OR", "group_type": null, "max_per_supervisor": 6},
            {"payer": "P", "state": "WA", "max_per_supervisor": 3, "start": null, "end": null}
        ],
        "size_bands": [
            {"payer": "P", "state": "OR", "group_type": null, "min": 2, "max": 4,
             "procedure_code": "90853", "rate": "45.00", "start": null},
            {"payer": "P", "state": "OR", "min": 5, "max": 8, "procedure_code": "90853", "rate": "40.00"}
        ]
    });
    import(&db, &document).success();
    let json = import(&db, &document).success().json();
    assert_eq!(json["unchanged"]["supervision_rules"], 2);
    assert_eq!(json["unchanged"]["size_bands"], 2);

    let mut changed = document.clone();
    set(
        &mut changed,
        "/supervision_rules/0/max_per_supervisor",
        json!(7),
    );
    set(&mut changed, "/size_bands/1/rate", json!("41.00"));
    let json = import(&db, &changed).success().json();
    assert_eq!(json["updated"]["supervision_rules"], 1);
    assert_eq!(json["updated"]["size_bands"], 1);
    assert_eq!(json["created"]["supervision_rules"], 0);
    assert_eq!(json["created"]["size_bands"], 0);

    assert_eq!(count(&db, "supervision_rule"), 2);
    assert_eq!(count(&db, "size_band"), 2);
    assert_eq!(
        db.scalar::<i32>("SELECT max_per_supervisor FROM supervision_rule WHERE state = 'OR'"),
        7
    );
}

#[test]
fn a_dry_run_reports_what_it_would_do_and_changes_nothing() {
    let db = TestDb::new();
    let before = snapshot(&db);
    let run = db.gsess_stdin(
        &["import", "-", "--dry-run", "--json"],
        &fixture("full.json").to_string(),
    );
    let json = run.success().json();
    assert_eq!(json["created"], full_counts());
    assert_eq!(json["dry_run"], true);
    run.stderr_contains("dry run: nothing was changed");
    // Not even an audit entry.
    assert_eq!(snapshot(&db), before);
    assert_eq!(count(&db, "facility"), 0);

    // People get a table and the same note.
    let run = db.gsess_stdin(
        &["import", "-", "--dry-run"],
        &fixture("full.json").to_string(),
    );
    run.success()
        .stdout_contains("facilities")
        .stdout_contains("unchanged")
        .stderr_contains("dry run: nothing was changed");
    assert_eq!(snapshot(&db), before);
}

#[test]
fn every_validation_error_names_its_json_path_and_changes_nothing() {
    type Mutation = Box<dyn Fn(&mut Value)>;
    let db = TestDb::new();
    let base = fixture("full.json");
    // The database holds the document already: references and bands resolve against it too.
    import(&db, &base).success();
    let before = snapshot(&db);

    let cases: Vec<(&str, Mutation, &str, &str)> = vec![
        (
            "unknown member in a roster",
            Box::new(|d| set(d, "/sessions/0/participants/1", json!("M999"))),
            "$.sessions[0].participants[1]",
            "unknown member \"M999\"",
        ),
        (
            "unknown member in a coverage",
            Box::new(|d| set(d, "/coverages/1/member", json!("M999"))),
            "$.coverages[1].member",
            "unknown member \"M999\"",
        ),
        (
            "unknown payer",
            Box::new(|d| set(d, "/coverages/0/payer", json!("NOPE"))),
            "$.coverages[0].payer",
            "unknown payer \"NOPE\"",
        ),
        (
            "unknown facility",
            Box::new(|d| set(d, "/sessions/1/facility", json!("WEST"))),
            "$.sessions[1].facility",
            "unknown facility \"WEST\"",
        ),
        (
            "unknown group type of a session",
            Box::new(|d| set(d, "/sessions/0/group_type", json!("YOGA"))),
            "$.sessions[0].group_type",
            "unknown group type \"YOGA\"",
        ),
        (
            "unknown group type of a rule",
            Box::new(|d| set(d, "/supervision_rules/1/group_type", json!("YOGA"))),
            "$.supervision_rules[1].group_type",
            "unknown group type \"YOGA\"",
        ),
        (
            "unknown provider",
            Box::new(|d| set(d, "/staff_assignments/2/provider", json!("2222222228"))),
            "$.staff_assignments[2].provider",
            "unknown provider \"2222222228\"",
        ),
        (
            "unknown home facility",
            Box::new(|d| set(d, "/users/0/home_facility", json!("WEST"))),
            "$.users[0].home_facility",
            "unknown facility \"WEST\"",
        ),
        (
            "bad birth date",
            Box::new(|d| set(d, "/members/1/birth_date", json!("1999-02-30"))),
            "$.members[1].birth_date",
            "invalid date \"1999-02-30\"",
        ),
        (
            "bad coverage start",
            Box::new(|d| set(d, "/coverages/0/start", json!("2026/01/01"))),
            "$.coverages[0].start",
            "invalid date",
        ),
        (
            "time without offset",
            Box::new(|d| set(d, "/sessions/0/starts_at", json!("2026-11-27T14:00:00"))),
            "$.sessions[0].starts_at",
            "offset",
        ),
        (
            "provider NPI check digit",
            Box::new(|d| set(d, "/providers/1/npi", json!("1111111111"))),
            "$.providers[1].npi",
            "check digit",
        ),
        (
            "facility billing NPI check digit",
            Box::new(|d| set(d, "/facilities/1/npi", json!("9876543210"))),
            "$.facilities[1].npi",
            "check digit",
        ),
        (
            "NPI not 10 digits",
            Box::new(|d| set(d, "/providers/0/npi", json!("12453195"))),
            "$.providers[0].npi",
            "not 10 digits",
        ),
        (
            "unknown time zone",
            Box::new(|d| set(d, "/facilities/0/timezone", json!("America/Portland"))),
            "$.facilities[0].timezone",
            "unknown IANA time zone \"America/Portland\"",
        ),
        (
            "inverted band",
            Box::new(|d| set(d, "/size_bands/2/min", json!(13))),
            "$.size_bands[2]",
            "min 13 > max 12",
        ),
        (
            "bands overlapping in the document",
            Box::new(|d| set(d, "/size_bands/1/min", json!(4))),
            "$.size_bands[1]",
            "overlaps $.size_bands[0]",
        ),
        (
            "band overlapping one in the database",
            Box::new(|d| {
                *d = json!({"size_bands": [
            {"payer": "ORMCD", "state": "OR", "min": 3, "max": 5, "procedure_code": "90853",
             "rate": "40.00", "start": "2026-06-01"}]})
            }),
            "$.size_bands[0]",
            "already in the database",
        ),
        (
            "session ending before it starts",
            Box::new(|d| set(d, "/sessions/0/ends_at", json!("2026-11-27T16:59:00-05:00"))),
            "$.sessions[0].ends_at",
            "is not after starts_at",
        ),
        (
            "missing required field",
            Box::new(|d| remove(d, "/members/2", "last_name")),
            "$.members[2].last_name",
            "missing required field",
        ),
        (
            "missing participants",
            Box::new(|d| remove(d, "/sessions/2", "participants")),
            "$.sessions[2].participants",
            "missing required field",
        ),
        (
            "unknown field",
            Box::new(|d| {
                set(
                    d,
                    "/payers/0",
                    json!({"code": "ORMCD", "name": "x", "payer_id": "x", "filing_indicater": "MC"}),
                )
            }),
            "$.payers[0].filing_indicater",
            "unknown field",
        ),
        (
            "unknown section",
            Box::new(|d| set(d, "", json!({"sesions": []}))),
            "$.sesions",
            "unknown field",
        ),
        (
            "lower-case state",
            Box::new(|d| set(d, "/size_bands/0/state", json!("or"))),
            "$.size_bands[0].state",
            "two upper-case letters",
        ),
        (
            "address state",
            Box::new(|d| set(d, "/facilities/0/address/state", json!("Oregon"))),
            "$.facilities[0].address.state",
            "two upper-case letters",
        ),
        (
            "facility ZIP of 5 digits",
            Box::new(|d| set(d, "/facilities/0/address/zip", json!("97201"))),
            "$.facilities[0].address.zip",
            "9 digits",
        ),
        (
            "member ZIP of 4 digits",
            Box::new(|d| set(d, "/members/0/address/zip", json!("9720"))),
            "$.members[0].address.zip",
            "5 or 9 digits",
        ),
        (
            "sex",
            Box::new(|d| set(d, "/members/3/sex", json!("X"))),
            "$.members[3].sex",
            "F, M or U",
        ),
        (
            "subscriber sex",
            Box::new(|d| set(d, "/coverages/2/subscriber/sex", json!("female"))),
            "$.coverages[2].subscriber.sex",
            "F, M or U",
        ),
        (
            "coverage priority 0",
            Box::new(|d| set(d, "/coverages/3/priority", json!(0))),
            "$.coverages[3].priority",
            "priority must be ≥ 1",
        ),
        (
            "coverage ending before it starts",
            Box::new(|d| set(d, "/coverages/1/end", json!("2025-12-31"))),
            "$.coverages[1].end",
            "before start",
        ),
        (
            "subscriber relationship",
            Box::new(|d| set(d, "/coverages/2/subscriber/relationship", json!("parent"))),
            "$.coverages[2].subscriber.relationship",
            "child, spouse or other",
        ),
        (
            "subscriber without birth date",
            Box::new(|d| remove(d, "/coverages/2/subscriber", "birth_date")),
            "$.coverages[2].subscriber.birth_date",
            "missing required field",
        ),
        (
            "negative rate",
            Box::new(|d| set(d, "/size_bands/0/rate", json!("-1.00"))),
            "$.size_bands[0].rate",
            "≥ 0",
        ),
        (
            "rate with 3 decimals",
            Box::new(|d| set(d, "/size_bands/0/rate", json!("45.001"))),
            "$.size_bands[0].rate",
            "more than 2 decimals",
        ),
        (
            "rate as a JSON number",
            Box::new(|d| set(d, "/size_bands/0/rate", json!(45.0))),
            "$.size_bands[0].rate",
            "JSON string",
        ),
        (
            "rate that is no number",
            Box::new(|d| set(d, "/size_bands/0/rate", json!("forty"))),
            "$.size_bands[0].rate",
            "invalid amount",
        ),
        (
            "procedure code",
            Box::new(|d| set(d, "/size_bands/0/procedure_code", json!("9085"))),
            "$.size_bands[0].procedure_code",
            "5 letters or digits",
        ),
        (
            "five modifiers",
            Box::new(|d| {
                set(
                    d,
                    "/size_bands/0/modifiers",
                    json!(["HQ", "U1", "U2", "U3", "U4"]),
                )
            }),
            "$.size_bands[0].modifiers",
            "at most 4",
        ),
        (
            "bad modifier",
            Box::new(|d| set(d, "/size_bands/1/modifiers/1", json!("U-1"))),
            "$.size_bands[1].modifiers[1]",
            "invalid modifier",
        ),
        (
            "unit minutes 0",
            Box::new(|d| set(d, "/size_bands/2/unit_minutes", json!(0))),
            "$.size_bands[2].unit_minutes",
            "≥ 1",
        ),
        (
            "max per supervisor 0",
            Box::new(|d| set(d, "/supervision_rules/0/max_per_supervisor", json!(0))),
            "$.supervision_rules[0].max_per_supervisor",
            "≥ 1",
        ),
        (
            "lower-case role",
            Box::new(|d| set(d, "/staff_assignments/0/role", json!("supervising"))),
            "$.staff_assignments[0].role",
            "upper-case",
        ),
        (
            "session without external id",
            Box::new(|d| remove(d, "/sessions/1", "external_id")),
            "$.sessions[1].external_id",
            "natural key",
        ),
        (
            "session with a null external id",
            Box::new(|d| set(d, "/sessions/2/external_id", Value::Null)),
            "$.sessions[2].external_id",
            "natural key",
        ),
        (
            "place of service",
            Box::new(|d| set(d, "/sessions/1/place_of_service", json!("2"))),
            "$.sessions[1].place_of_service",
            "two-digit",
        ),
        (
            "filing indicator",
            Box::new(|d| set(d, "/payers/0/filing_indicator", json!("XX"))),
            "$.payers[0].filing_indicator",
            "claim filing indicator",
        ),
        (
            "empty name",
            Box::new(|d| set(d, "/group_types/1/name", json!(""))),
            "$.group_types[1].name",
            "must not be empty",
        ),
        (
            "diagnosis code",
            Box::new(|d| set(d, "/members/0/diagnosis_codes/0", json!("F3.31"))),
            "$.members[0].diagnosis_codes[0]",
            "invalid ICD-10-CM code \"F3.31\"",
        ),
        (
            "diagnosis code listed twice",
            Box::new(|d| set(d, "/members/1/diagnosis_codes/1", json!("F43.1"))),
            "$.members[1].diagnosis_codes[1]",
            "listed twice",
        ),
        (
            "duplicate facility code",
            Box::new(|d| set(d, "/facilities/1/code", json!("NORTH"))),
            "$.facilities[1].code",
            "duplicate facility code \"NORTH\": also at $.facilities[0]",
        ),
        (
            "duplicate MRN",
            Box::new(|d| set(d, "/members/1/mrn", json!("M001"))),
            "$.members[1].mrn",
            "duplicate member MRN \"M001\"",
        ),
        (
            "duplicate provider",
            Box::new(|d| set(d, "/providers/1/npi", json!("1245319599"))),
            "$.providers[1].npi",
            "duplicate provider NPI",
        ),
        (
            "duplicate login",
            Box::new(|d| set(d, "/users/1/login", json!("alice"))),
            "$.users[1].login",
            "duplicate login",
        ),
        (
            "duplicate coverage",
            Box::new(|d| {
                set(d, "/coverages/3/payer", json!("ACME"));
                set(d, "/coverages/3/priority", json!(1));
            }),
            "$.coverages[3]",
            "duplicate coverage",
        ),
        (
            "duplicate assignment",
            Box::new(|d| {
                set(d, "/staff_assignments/1/member", json!("M001"));
                set(d, "/staff_assignments/1/start", json!("2026-01-01"));
            }),
            "$.staff_assignments[1]",
            "duplicate assignment",
        ),
        (
            "duplicate rule",
            Box::new(|d| {
                set(d, "/supervision_rules/1/group_type", Value::Null);
                set(d, "/supervision_rules/1/start", json!("2026-01-01"));
            }),
            "$.supervision_rules[1]",
            "duplicate supervision rule",
        ),
        (
            "duplicate band",
            Box::new(|d| set(d, "/size_bands/1/min", json!(2))),
            "$.size_bands[1]",
            "duplicate size band",
        ),
        (
            "duplicate session",
            Box::new(|d| set(d, "/sessions/1/external_id", json!("SCH-1001"))),
            "$.sessions[1].external_id",
            "duplicate session \"SCH-1001\"",
        ),
        (
            "participant listed twice",
            Box::new(|d| set(d, "/sessions/0/participants/2", json!("M002"))),
            "$.sessions[0].participants[2]",
            "listed twice",
        ),
        (
            "a section that is not a list",
            Box::new(|d| set(d, "/payers", json!({"code": "X"}))),
            "$.payers",
            "invalid type",
        ),
        (
            "the first problem in document order wins",
            Box::new(|d| {
                set(d, "/sessions/0/participants/0", json!("M999"));
                set(d, "/members/3/sex", json!("X"));
                set(d, "/members/2/sex", json!("Y"));
            }),
            "$.members[2].sex",
            "\"Y\"",
        ),
        (
            "an X12 delimiter in a name would break the claim",
            Box::new(|d| set(d, "/members/0/last_name", json!("O*Brien"))),
            "$.members[0].last_name",
            "contains '*', which cannot travel in an X12 claim",
        ),
        (
            "a control character in an address line",
            Box::new(|d| set(d, "/facilities/0/address/line1", json!("1 Main\nSt"))),
            "$.facilities[0].address.line1",
            "'\\n'",
        ),
        (
            "a first name longer than the claim holds",
            Box::new(|d| set(d, "/members/1/first_name", json!("A".repeat(36)))),
            "$.members[1].first_name",
            "over the NM104 element's maximum of 35",
        ),
    ];

    for (case, mutate, path, fragment) in &cases {
        let mut document = base.clone();
        mutate(&mut document);
        let run = import(&db, &document);
        assert_invalid(&run, case, path, fragment);
        assert_eq!(snapshot(&db), before, "{case}: the database changed");
    }
}

#[test]
fn a_document_that_is_not_json_exits_10_with_line_and_column() {
    let db = TestDb::new();
    let run = db.gsess_stdin(
        &["import", "-", "--json"],
        "{\"payers\": [\n  {\"code\": }\n]}",
    );
    run.code(10);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "INVALID_INPUT");
    assert_eq!(error["error"]["line"], 2);
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("not a valid JSON document"), "{message}");
    assert!(message.contains("line 2, column"), "{message}");

    let run = db.gsess_stdin(&["import", "-", "--json"], "[]");
    assert_invalid(&run, "an array", "$", "invalid type");

    let run = db.gsess(&["import", "/nonexistent/doc.json", "--json"]);
    run.code(10)
        .stderr_contains("cannot open /nonexistent/doc.json");
    assert_eq!(count(&db, "audit_log"), 0);
}

#[test]
fn an_error_in_the_last_section_leaves_the_first_sections_unimported() {
    let db = TestDb::new();
    let mut document = fixture("full.json");
    set(
        &mut document,
        "/sessions/2/participants",
        json!(["M001", "M404"]),
    );
    let run = import(&db, &document);
    assert_invalid(
        &run,
        "last section",
        "$.sessions[2].participants[1]",
        "unknown member \"M404\"",
    );
    for table in TABLES {
        assert_eq!(count(&db, table), 0, "{table} was written");
    }
}

#[test]
fn a_database_refusal_during_apply_exits_10_and_rolls_everything_back() {
    let db = TestDb::new();
    // A refusal validation cannot foresee (a trigger standing in for any constraint).
    db.sql(
        "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF NEW.mrn = 'M-REFUSED' THEN
                 RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = 'refused by the test';
             END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER test_refuse BEFORE INSERT ON member
             FOR EACH ROW EXECUTE FUNCTION test_refuse();",
    );
    let mut document = fixture("full.json");
    document["members"].as_array_mut().unwrap().push(json!(
        {"mrn": "M-REFUSED", "first_name": "A", "last_name": "B", "birth_date": "2000-01-01", "sex": "F"}
    ));
    let run = import(&db, &document);
    assert_invalid(
        &run,
        "refused by the database",
        "$.members",
        "refused by the test",
    );
    assert_eq!(run.json_error()["error"]["sqlstate"], "23514");
    // Facilities, payers and group types were written before the refusal: all rolled back.
    for table in TABLES {
        assert_eq!(count(&db, table), 0, "{table} was written");
    }
}

#[test]
fn bands_can_be_reshaped_in_one_document_whatever_their_order() {
    let band = |min: i64, max: i64, start: &str, end: Value| {
        json!({"payer": "P", "state": "WA", "min": min, "max": max, "procedure_code": "90853",
               "rate": "40.00", "start": start, "end": end})
    };
    let before = [
        band(5, 8, "2026-01-01", json!("2026-06-30")),
        band(2, 6, "2026-07-01", Value::Null),
    ];
    // The first band grows to an open end while the second shrinks to 2–4: the final bands do
    // not overlap, but written in the wrong order the first would meet the second as it was.
    let after = [
        band(5, 8, "2026-01-01", Value::Null),
        band(2, 4, "2026-07-01", Value::Null),
    ];
    for reversed in [false, true] {
        let db = TestDb::new();
        import(
            &db,
            &json!({"payers": [{"code": "P", "name": "P", "payer_id": "P"}], "size_bands": before}),
        )
        .success();
        let mut bands = after.to_vec();
        if reversed {
            bands.reverse();
        }
        let json = import(&db, &json!({"size_bands": bands})).success().json();
        assert_eq!(json["updated"]["size_bands"], 2, "reversed: {reversed}");
        assert_eq!(
            db.rows("SELECT min_size, max_size, end_date FROM size_band ORDER BY min_size"),
            vec![
                json!({"min_size": 2, "max_size": 4, "end_date": null}),
                json!({"min_size": 5, "max_size": 8, "end_date": null}),
            ]
        );
    }
}

fn roster(db: &TestDb, facility: &str, external_id: &str) -> Vec<Value> {
    db.rows(&format!(
        "SELECT m.mrn, p.status FROM session_participant p
           JOIN member m ON m.id = p.member_id
           JOIN group_session s ON s.facility_id = p.facility_id AND s.id = p.session_id
           JOIN facility f ON f.id = s.facility_id
          WHERE f.code = '{facility}' AND s.external_id = '{external_id}'
          ORDER BY p.id"
    ))
}

fn mark(db: &TestDb, mrn: &str, external_id: &str, status: &str) {
    db.sql(&format!(
        "UPDATE session_participant p SET status = '{status}'
           FROM member m, group_session s
          WHERE m.id = p.member_id AND s.facility_id = p.facility_id AND s.id = p.session_id
            AND m.mrn = '{mrn}' AND s.external_id = '{external_id}'
            AND s.facility_id = (SELECT id FROM facility WHERE code = 'NORTH')"
    ));
}

#[test]
fn a_reimported_session_gains_new_participants_and_loses_only_scheduled_ones() {
    let db = TestDb::new();
    let mut document = fixture("full.json");
    import(&db, &document).success();
    assert_eq!(
        roster(&db, "NORTH", "SCH-1001"),
        vec![
            json!({"mrn": "M002", "status": "SCHEDULED"}),
            json!({"mrn": "M001", "status": "SCHEDULED"}),
            json!({"mrn": "M003", "status": "SCHEDULED"}),
        ]
    );
    mark(&db, "M001", "SCH-1001", "ATTENDED");

    // M001 (ATTENDED) and M003 (SCHEDULED) are no longer listed; M004 is new.
    set(
        &mut document,
        "/sessions/0/participants",
        json!(["M004", "M002"]),
    );
    let json = import(&db, &document).success().json();
    assert_eq!(json["created"]["participants"], 1);
    assert_eq!(json["unchanged"]["participants"], 2); // M002 here, M001 on SCH-1002
    assert_eq!(json["removed"]["participants"], 1);
    let kept = json["kept"].as_array().unwrap();
    assert_eq!(kept.len(), 1, "{json}");
    assert_eq!(kept[0]["path"], "$.sessions[0]");
    let reason = kept[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("\"M001\"") && reason.contains("ATTENDED"),
        "{reason}"
    );

    assert_eq!(
        roster(&db, "NORTH", "SCH-1001"),
        vec![
            json!({"mrn": "M002", "status": "SCHEDULED"}),
            json!({"mrn": "M001", "status": "ATTENDED"}),
            json!({"mrn": "M004", "status": "SCHEDULED"}),
        ]
    );
    // Attendance is never set by import; other sessions are untouched.
    assert_eq!(
        roster(&db, "NORTH", "SCH-1002"),
        vec![json!({"mrn": "M001", "status": "SCHEDULED"})]
    );

    // Again: nothing more to do, the ATTENDED row is still reported.
    let json = import(&db, &document).success().json();
    assert_eq!(json["created"]["participants"], 0);
    assert_eq!(json["removed"]["participants"], 0);
    assert_eq!(json["kept"].as_array().unwrap().len(), 1);
}

#[test]
fn a_locked_session_is_never_changed_and_is_reported() {
    let db = TestDb::new();
    let mut document = fixture("full.json");
    import(&db, &document).success();
    db.sql(
        "INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                            frequency_code, claim_control_number, amount)
         SELECT s.facility_id, s.id, m.id, c.payer_id, c.id, '1', 'CCN-1', 45
           FROM group_session s, member m JOIN coverage_policy c ON c.member_id = m.id
          WHERE s.external_id = 'SCH-1001'
            AND s.facility_id = (SELECT id FROM facility WHERE code = 'NORTH')
            AND m.mrn = 'M001'",
    );
    let schedule = |db: &TestDb| {
        db.rows(
            "SELECT s.external_id, f.code, s.starts_at::text, s.ends_at::text, s.group_type_id,
                    s.place_of_service
               FROM group_session s JOIN facility f ON f.id = s.facility_id
              ORDER BY s.id",
        )
    };
    let before = schedule(&db);
    let roster_before = roster(&db, "NORTH", "SCH-1001");

    set(
        &mut document,
        "/sessions/0/ends_at",
        json!("2026-11-27T16:00:00-08:00"),
    );
    set(&mut document, "/sessions/0/group_type", json!("SOC"));
    set(
        &mut document,
        "/sessions/0/participants",
        json!(["M001", "M004"]),
    );
    set(
        &mut document,
        "/sessions/1/participants",
        json!(["M001", "M002"]),
    );
    let json = import(&db, &document).success().json();

    assert_eq!(
        json["kept"],
        json!([{"path": "$.sessions[0]",
                "reason": format!("session {} is locked (a claim exists): import leaves its schedule and roster as they are",
                                  db.scalar::<i64>("SELECT id FROM group_session WHERE external_id = 'SCH-1001' AND facility_id = (SELECT id FROM facility WHERE code = 'NORTH')"))}])
    );
    assert_eq!(json["updated"]["sessions"], 0);
    assert_eq!(json["unchanged"]["sessions"], 3);
    assert_eq!(json["created"]["participants"], 1); // M002 on the unlocked SCH-1002
    assert_eq!(json["removed"]["participants"], 0);
    assert_eq!(schedule(&db), before);
    assert_eq!(roster(&db, "NORTH", "SCH-1001"), roster_before);
    assert_eq!(
        roster(&db, "NORTH", "SCH-1002"),
        vec![
            json!({"mrn": "M001", "status": "SCHEDULED"}),
            json!({"mrn": "M002", "status": "SCHEDULED"}),
        ]
    );
}

#[test]
fn references_to_rows_already_in_the_database_are_accepted() {
    let db = TestDb::new();
    db.gsess(&[
        "import",
        fixture_path("spec_example.json").to_str().unwrap(),
        "--json",
    ])
    .success();
    // Only the database knows M001, ORMCD, NORTH, DBT and the provider.
    let json = import(
        &db,
        &json!({
            "coverages": [{"member": "M001", "payer": "ORMCD", "priority": 2, "start": "2026-03-01"}],
            "staff_assignments": [{"provider": "1245319599", "member": "M001", "role": "RENDERING"}],
            "size_bands": [{"payer": "ORMCD", "state": "OR", "group_type": "DBT", "min": 2, "max": 8,
                            "procedure_code": "90853", "rate": "47.00"}],
            "sessions": [{"external_id": "SCH-2000", "facility": "NORTH", "group_type": "DBT",
                          "starts_at": "2026-12-01T14:00:00-08:00",
                          "ends_at": "2026-12-01T15:00:00-08:00", "participants": ["M001"]}]
        }),
    )
    .success()
    .json();
    assert_eq!(
        json["created"],
        json!({"coverages": 1, "staff_assignments": 1, "size_bands": 1, "sessions": 1, "participants": 1})
    );
    assert_eq!(
        roster(&db, "NORTH", "SCH-2000"),
        vec![json!({"mrn": "M001", "status": "SCHEDULED"})]
    );
    assert_eq!(count(&db, "member"), 1);
}

#[test]
fn an_admin_login_imports_and_reimports_within_its_privileges() {
    let db = TestDb::new();
    let admin = db.login("importer", &["gsess.admin"]);
    let path = fixture_path("full.json");
    let path = path.to_str().unwrap();
    let json = db
        .gsess_as(&admin, &["import", path, "--json"])
        .success()
        .json();
    assert_eq!(json["created"], full_counts());

    // A second document that updates a session, a member and removes a participant.
    let mut document = fixture("full.json");
    set(&mut document, "/sessions/0/participants", json!(["M002"]));
    set(&mut document, "/sessions/0/place_of_service", json!("02"));
    set(&mut document, "/members/1/first_name", json!("Benjamin"));
    let file = std::env::temp_dir().join(format!("gsess-import-{}.json", db.name));
    std::fs::write(&file, document.to_string()).unwrap();
    let run = db.gsess_as(&admin, &["import", file.to_str().unwrap(), "--json"]);
    let _ = std::fs::remove_file(&file);
    let json = run.success().json();
    assert_eq!(json["updated"]["sessions"], 1);
    assert_eq!(json["updated"]["members"], 1);
    assert_eq!(json["removed"]["participants"], 2);
    assert_eq!(
        roster(&db, "NORTH", "SCH-1001"),
        vec![json!({"mrn": "M002", "status": "SCHEDULED"})]
    );
    assert_eq!(
        db.scalar::<String>(
            "SELECT actor FROM audit_log WHERE action = 'import' ORDER BY id DESC LIMIT 1"
        ),
        admin
    );
}

#[test]
fn a_login_without_gsess_admin_gets_exit_6_and_nothing_changes() {
    let db = TestDb::new();
    let login = db.login("x", &["clinical.attendance.write"]);
    let path = fixture_path("full.json");
    let run = db.gsess_as(&login, &["import", path.to_str().unwrap(), "--json"]);
    run.code(6);
    let error = run.json_error();
    assert_eq!(error["error"]["code"], "FORBIDDEN");
    assert_eq!(error["error"]["missing_scope"], "gsess.admin");
    assert_eq!(count(&db, "facility"), 0);
}
