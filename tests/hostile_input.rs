//! Hostile input — injection strings, control characters, U+0000, X12 delimiters, absurd values — is stored verbatim or refused by its field (exit 10), never executed, never half-written, never a broken 837P.

mod common;

use common::billing::{self, DANA};
use common::{pyx12, roll_call_dataset, TestDb};
use gsess::rules::limits::MAX_REASON_CHARS;
use serde_json::{json, Value};

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const BILLING: &str = "clinical.billing.run";

/// Strings that would do harm if anything concatenated them into SQL, a terminal or a
/// format string; none is refused by the rules of the fields they go into below.
const HOSTILE: &[&str] = &[
    "'; DROP TABLE claim; --",
    "x' OR '1'='1",
    "$$; DELETE FROM member; $$",
    "Robert'); DROP TABLE session_participant;--",
    "%s%n%x {0} ${HOME}",
    "\u{202e}evil\u{202c} right-to-left",
    "emoji 🧑‍⚕️ and 漢字",
    "back\\slash \"quoted\"",
];

/// The same, plus the control characters a free-text reason may hold.
fn hostile_reasons() -> Vec<String> {
    let mut reasons: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    reasons.push("line one\r\nline two\ttabbed".into());
    reasons.push("clear screen \u{1b}[2J\u{1b}[31m red".into());
    reasons.push("z".repeat(MAX_REASON_CHARS));
    reasons
}

/// Run an import that must be refused: exit 10, the message naming `field`, nothing written.
#[track_caller]
fn refused_import(db: &TestDb, document: &Value, field: &str) {
    let before = db.fingerprint();
    let run = db.gsess_stdin(&["--json", "import", "-"], &document.to_string());
    run.code(10);
    let error = run.json_error();
    assert_eq!(error["error"]["field"], field, "{error:#}");
    assert_eq!(db.fingerprint(), before, "a refused import wrote something");
}

/// The tables the injection strings name are still there, with the rows they had.
#[track_caller]
fn schema_intact(db: &TestDb, members: i64) {
    let tables: i64 = db.scalar(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'
          AND tablename IN ('claim', 'member', 'session_participant')",
    );
    assert_eq!(tables, 3, "a table was dropped");
    assert_eq!(db.scalar::<i64>("SELECT count(*) FROM member"), members);
}

fn set(document: &mut Value, pointer: &str, value: Value) {
    *document
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer}")) = value;
}

#[test]
fn nul_is_refused_by_its_json_path_in_every_kind_of_string() {
    let db = TestDb::new();
    db.seed_roll_call();
    // (where the NUL goes, the path named): stored values and references alike.
    let cases = [
        ("/members/0/mrn", "$.members[0].mrn"),
        ("/members/1/first_name", "$.members[1].first_name"),
        ("/group_types/0/name", "$.group_types[0].name"),
        ("/facilities/0/code", "$.facilities[0].code"),
        ("/facilities/0/tax_id", "$.facilities[0].tax_id"),
        (
            "/facilities/0/address/line1",
            "$.facilities[0].address.line1",
        ),
        ("/payers/0/payer_id", "$.payers[0].payer_id"),
        ("/coverages/0/subscriber_id", "$.coverages[0].subscriber_id"),
        ("/sessions/0/external_id", "$.sessions[0].external_id"),
        ("/sessions/0/facility", "$.sessions[0].facility"),
        (
            "/sessions/0/participants/2",
            "$.sessions[0].participants[2]",
        ),
        (
            "/staff_assignments/0/member",
            "$.staff_assignments[0].member",
        ),
        ("/size_bands/0/payer", "$.size_bands[0].payer"),
    ];
    for (pointer, field) in cases {
        let mut document = roll_call_dataset();
        let written = document.pointer(pointer).unwrap().as_str().unwrap();
        let poisoned = format!("{written}\u{0}x");
        set(&mut document, pointer, json!(poisoned));
        refused_import(&db, &document, field);
    }
    // A login and a phone are not X12-checked text, and are refused the same way.
    let mut users = roll_call_dataset();
    users["users"] = json!([{"login": "al\u{0}ice", "name": "Alice"}]);
    refused_import(&db, &users, "$.users[0].login");
    let mut phone = roll_call_dataset();
    phone["facilities"][0]["phone"] = json!("503\u{0}5550100");
    refused_import(&db, &phone, "$.facilities[0].phone");
}

#[test]
fn injection_strings_are_stored_verbatim_and_round_trip_through_json() {
    let db = TestDb::new();
    let mut document = roll_call_dataset();
    // Names go into claims: each hostile string that holds no X12 delimiter and no control
    // character is a legal name, and a session id or a group type code is any text.
    let names: Vec<&str> = HOSTILE
        .iter()
        .copied()
        .filter(|s| s.chars().count() <= 35)
        .collect();
    let (member_names, provider_names) = names.split_at(5);
    for (i, name) in member_names.iter().enumerate() {
        document["members"][i]["first_name"] = json!(name);
    }
    for (i, name) in provider_names.iter().enumerate() {
        document["providers"][i]["first_name"] = json!(name);
    }
    document["group_types"][0]["code"] = json!(HOSTILE[0]);
    document["group_types"][0]["name"] = json!(HOSTILE[2]);
    document["sessions"][0]["group_type"] = json!(HOSTILE[0]);
    document["sessions"][0]["external_id"] = json!(HOSTILE[3]);
    document["users"] = json!([{"login": HOSTILE[1], "name": HOSTILE[4]}]);
    db.gsess_stdin(&["import", "-"], &document.to_string())
        .success();
    schema_intact(&db, 5);
    let id: i64 = db.scalar("SELECT id FROM group_session");
    let sid = id.to_string();

    let listed = db
        .gsess(&[
            "--json",
            "list",
            "--date",
            "2026-11-27",
            "--facility",
            "all",
        ])
        .success()
        .json();
    assert_eq!(listed[0]["external_id"], HOSTILE[3], "{listed:#}");
    assert_eq!(listed[0]["group_type"], HOSTILE[0], "{listed:#}");
    let shown = db.gsess(&["--json", "show", &sid]).success().json();
    for (i, last) in ["Lopez", "Kim", "Park"].iter().enumerate() {
        let name = format!("{} {last}", member_names[i]);
        assert_eq!(shown["roster"][i]["name"], name, "{shown:#}");
    }
    assert_eq!(
        shown["supervisors"][0]["name"],
        format!("{} Reyes", provider_names[0]),
        "{shown:#}"
    );
    let stored: String = db.scalar("SELECT name FROM group_type");
    assert_eq!(stored, HOSTILE[2]);
    let login: String = db.scalar("SELECT login FROM app_user");
    assert_eq!(login, HOSTILE[1]);

    // Every hostile reason, control characters and 10 KB included, is kept exactly: in the
    // acceptance row, in `accept --json` and in `audit --json`.
    db.gsess(&["mark", &sid, "attended", "M001"]).success();
    for reason in hostile_reasons() {
        let accepted = db
            .gsess(&[
                "--json",
                "accept",
                &sid,
                "SUPERVISION_RATIO_BREACH",
                "--payer",
                "ORMCD",
                "--reason",
                &reason,
            ])
            .success()
            .json();
        assert_eq!(accepted["reason"], reason.as_str());
        db.gsess(&[
            "accept",
            &sid,
            "SUPERVISION_RATIO_BREACH",
            "--payer",
            "ORMCD",
            "--revoke",
            "--reason",
            "revoked for the next one",
        ])
        .success();
    }
    let audit = db
        .gsess(&["--json", "audit", "--session", &sid])
        .success()
        .json();
    let audited: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|entry| entry["reason"].as_str())
        .collect();
    for reason in hostile_reasons() {
        assert!(
            audited.contains(&reason.as_str()),
            "{reason:?} is not in the audit trail"
        );
    }
    let stored: Vec<Value> = db.rows("SELECT reason FROM accepted_exception ORDER BY id");
    let stored: Vec<&str> = stored
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(stored, hostile_reasons());
    schema_intact(&db, 5);
}

#[test]
fn injection_strings_in_arguments_are_looked_up_as_text() {
    let db = TestDb::new();
    let id = db.seed_roll_call().to_string();
    let before = db.fingerprint();
    for hostile in HOSTILE {
        db.gsess(&["mark", &id, "attended", hostile]).code(3);
        db.gsess(&["roster", "add", &id, hostile]).code(3);
        db.gsess(&["--json", "list", "--facility", hostile]).code(3);
        let claims = db
            .gsess(&["--json", "claims", "--member", hostile])
            .success()
            .json();
        assert_eq!(claims, json!([]));
        let audit = db
            .gsess(&["--json", "audit", "--actor", hostile])
            .success()
            .json();
        assert_eq!(audit, json!([]));
        db.gsess(&[
            "create",
            "--facility",
            "NORTH",
            "--group-type",
            "DBT",
            "--start",
            "2026-11-28 10:00",
            "--end",
            "2026-11-28 11:00",
            "--member",
            hostile,
        ])
        .code(3);
        db.gsess(&["accept", &id, hostile, "--reason", "x"])
            .code(10);
    }
    assert_eq!(db.fingerprint(), before);
    schema_intact(&db, 5);
}

#[test]
fn control_characters_in_claim_text_are_refused_by_field() {
    let db = TestDb::new();
    for (pointer, value, field) in [
        (
            "/members/0/last_name",
            "Lopez\r\nNM1*XX",
            "$.members[0].last_name",
        ),
        (
            "/members/1/first_name",
            "\u{1b}[2JBen",
            "$.members[1].first_name",
        ),
        (
            "/providers/0/last_name",
            "Re\u{7}yes",
            "$.providers[0].last_name",
        ),
        (
            "/facilities/0/address/city",
            "Port\nland",
            "$.facilities[0].address.city",
        ),
    ] {
        let mut document = roll_call_dataset();
        set(&mut document, pointer, json!(value));
        refused_import(&db, &document, field);
    }
}

#[test]
fn absurd_values_are_refused_by_field_and_nothing_is_written() {
    let db = TestDb::new();
    db.seed_roll_call();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/members/0/birth_date",
            json!("0000-02-03"),
            "$.members[0].birth_date",
        ),
        (
            "/members/0/birth_date",
            json!("9999-02-03"),
            "$.members[0].birth_date",
        ),
        (
            "/coverages/0/start",
            json!("0001-01-01"),
            "$.coverages[0].start",
        ),
        (
            "/size_bands/0/start",
            json!("9999-12-31"),
            "$.size_bands[0].start",
        ),
        (
            "/sessions/0/starts_at",
            json!("9999-11-27T14:00:00-08:00"),
            "$.sessions[0].starts_at",
        ),
        (
            "/sessions/0/ends_at",
            json!("0000-11-27T15:30:00-08:00"),
            "$.sessions[0].ends_at",
        ),
        (
            "/sessions/0/ends_at",
            json!("2026-11-27T13:59:59-08:00"),
            "$.sessions[0].ends_at",
        ),
        ("/size_bands/0/rate", json!("-5.00"), "$.size_bands[0].rate"),
        ("/size_bands/0/rate", json!("1e300"), "$.size_bands[0].rate"),
        (
            "/size_bands/0/rate",
            json!("99999999999.99"),
            "$.size_bands[0].rate",
        ),
        ("/size_bands/0/rate", json!(45.0), "$.size_bands[0].rate"),
        ("/size_bands/0/min", json!(0), "$.size_bands[0].min"),
        (
            "/size_bands/0/max",
            json!(1_u64 << 40),
            "$.size_bands[0].max",
        ),
        (
            "/supervision_rules/0/max_per_supervisor",
            json!(0),
            "$.supervision_rules[0].max_per_supervisor",
        ),
        (
            "/supervision_rules/0/max_per_supervisor",
            json!(1_u64 << 40),
            "$.supervision_rules[0].max_per_supervisor",
        ),
        (
            "/coverages/0/priority",
            json!(-1),
            "$.coverages[0].priority",
        ),
        (
            "/facilities/0/timezone",
            json!("Mars/Olympus_Mons"),
            "$.facilities[0].timezone",
        ),
        (
            "/facilities/0/address/zip",
            json!("97201"),
            "$.facilities[0].address.zip",
        ),
        (
            "/facilities/0/address/zip",
            json!("9720112345"),
            "$.facilities[0].address.zip",
        ),
    ];
    for (pointer, value, field) in cases {
        let mut document = roll_call_dataset();
        set(&mut document, pointer, value);
        refused_import(&db, &document, field);
    }
    let mut units = roll_call_dataset();
    units["size_bands"][0]["unit_minutes"] = json!(0);
    refused_import(&db, &units, "$.size_bands[0].unit_minutes");
    units["size_bands"][0]["unit_minutes"] = json!(1_u64 << 40);
    refused_import(&db, &units, "$.size_bands[0].unit_minutes");
}

#[test]
fn ten_thousand_participants_in_one_session_are_refused() {
    let db = TestDb::new();
    let mut document = roll_call_dataset();
    let mrns: Vec<String> = (0..10_000).map(|i| format!("X{i:05}")).collect();
    let members: Vec<Value> = mrns
        .iter()
        .map(|mrn| {
            json!({"mrn": mrn, "first_name": "Pat", "last_name": "Crowd",
                   "birth_date": "2001-02-03", "sex": "U"})
        })
        .collect();
    document["members"] = json!(members);
    document["coverages"] = json!([]);
    document["staff_assignments"] = json!([]);
    document["sessions"][0]["participants"] = json!(mrns);
    refused_import(&db, &document, "$.sessions[0].participants");
}

#[test]
fn create_refuses_absurd_times_by_field() {
    let db = TestDb::new();
    db.seed_roll_call();
    let before = db.fingerprint();
    for (start, end, field) in [
        ("9999-11-28 10:00", "9999-11-28 11:00", "--start"),
        ("0000-11-28 10:00", "0000-11-28 11:00", "--start"),
        ("0001-11-28T10:00:00Z", "0001-11-28T11:00:00Z", "--start"),
        ("2026-11-28 10:00", "9999-11-28 11:00", "--end"),
        ("2026-11-28 10:00", "2026-11-28 09:00", "--end"),
        ("2026-11-28 10:00", "2026-11-28 10:00", "--end"),
    ] {
        let run = db.gsess(&[
            "--json",
            "create",
            "--facility",
            "NORTH",
            "--group-type",
            "DBT",
            "--start",
            start,
            "--end",
            end,
            "--member",
            "M001",
        ]);
        run.code(10);
        assert_eq!(run.json_error()["error"]["field"], field, "{start} – {end}");
    }
    assert_eq!(db.fingerprint(), before);
}

#[test]
fn an_oversized_reason_is_refused_by_field() {
    let db = TestDb::new();
    let id = db.seed_roll_call().to_string();
    db.gsess(&["mark", &id, "attended", "M001"]).success();
    let before = db.fingerprint();
    // 10 KB, and the largest single argument Linux passes (128 KiB): a pasted file, not a
    // reason. A megabyte cannot reach gsess by argv; the database test below sends one.
    for length in [MAX_REASON_CHARS + 1, 10 * 1024, 128 * 1024 - 1] {
        let huge = "r".repeat(length);
        let run = db.gsess(&[
            "--json",
            "accept",
            &id,
            "SUPERVISION_RATIO_BREACH",
            "--payer",
            "ORMCD",
            "--reason",
            &huge,
        ]);
        run.code(10);
        assert_eq!(run.json_error()["error"]["field"], "--reason");
    }
    assert_eq!(db.fingerprint(), before);
}

/// A member whose name, address and subscriber id hold characters the 837P must carry
/// safely; the rest of the billing fixture as it is.
fn billed_with(db: &TestDb, edit: impl FnOnce(&mut Value)) -> Value {
    let mut document = billing::dataset(json!([billing::session(
        "EDI",
        "DBT",
        -120,
        -60,
        &["M001", "M002"]
    )]));
    edit(&mut document);
    db.gsess_stdin(&["import", "-"], &document.to_string())
        .success();
    document
}

fn bill_and_submit(db: &TestDb) -> String {
    let id = billing::id_of(db, "EDI").to_string();
    let writer = db.login("writer", &[READ, WRITE]);
    let biller = db.login("biller", &[READ, BILLING]);
    db.gsess_as(&writer, &["mark", &id, "attended", "M001", "M002"])
        .success();
    db.gsess_as(&writer, &["mark", &id, "attended", "--supervisor", DANA])
        .success();
    billing::bill(db, &[]);
    let sent = db
        .gsess_as(&biller, &["--json", "claim", "submit", "--session", &id])
        .success()
        .json();
    let interchanges = sent["interchanges"].as_array().unwrap();
    assert_eq!(interchanges.len(), 1, "{sent:#}");
    interchanges[0]["edi"].as_str().unwrap().to_owned()
}

/// Every segment is `ID*…~` with a known id, SE01 counts the transaction's segments, and
/// pyx12 accepts the whole interchange.
#[track_caller]
fn interchange_is_whole(edi: &str, claims: usize) {
    let segments: Vec<&str> = edi
        .split('~')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    for segment in &segments {
        let id = segment.split('*').next().unwrap();
        assert!(
            (2..=3).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "segment {segment:?} has no segment id: a delimiter leaked\n{edi}"
        );
        assert!(
            segment.bytes().all(|b| (b' '..=b'~').contains(&b)),
            "segment {segment:?} holds a byte outside printable ASCII"
        );
    }
    let st = segments.iter().position(|s| s.starts_with("ST*")).unwrap();
    let se = segments.iter().position(|s| s.starts_with("SE*")).unwrap();
    let counted: usize = segments[se].split('*').nth(1).unwrap().parse().unwrap();
    assert_eq!(
        counted,
        se - st + 1,
        "SE01 disagrees with the segments\n{edi}"
    );
    assert_eq!(edi.matches("CLM*").count(), claims, "{edi}");
    if pyx12::available() {
        if let Err(verdict) = pyx12::validate(edi) {
            panic!("pyx12 refused the interchange:\n{verdict}\n--- EDI ---\n{edi}");
        }
    }
}

#[test]
fn x12_delimiters_in_names_addresses_and_ids_are_refused_at_import() {
    let db = TestDb::new();
    for delimiter in ['~', '*', ':', '^'] {
        for (pointer, field) in [
            ("/members/0/last_name", "$.members[0].last_name"),
            ("/members/0/address/line1", "$.members[0].address.line1"),
            ("/coverages/0/subscriber_id", "$.coverages[0].subscriber_id"),
            ("/providers/0/first_name", "$.providers[0].first_name"),
            ("/facilities/0/name", "$.facilities[0].name"),
            ("/facilities/0/address/city", "$.facilities[0].address.city"),
        ] {
            let mut document = billing::dataset(json!([]));
            let written = document.pointer(pointer).unwrap().as_str().unwrap();
            let poisoned = format!("{written}{delimiter}NM1");
            set(&mut document, pointer, json!(poisoned));
            refused_import(&db, &document, field);
        }
    }
}

#[test]
fn other_punctuation_and_accented_letters_travel_in_a_valid_interchange() {
    let db = TestDb::new();
    billed_with(&db, |document| {
        let member = &mut document["members"][0];
        member["first_name"] = json!("José>|Zoë");
        member["last_name"] = json!("Peña-O'Brien|Ä>");
        member["address"]["line1"] = json!("12 Große Straße > Apt | 3");
        member["address"]["city"] = json!("São Paulo");
        document["coverages"][0]["subscriber_id"] = json!("S>M|001");
        document["providers"][0]["last_name"] = json!("Reyés|>");
        document["facilities"][0]["address"]["line1"] = json!("1 Main St | Suite > 2");
    });
    let edi = bill_and_submit(&db);
    interchange_is_whole(&edi, 2);
    assert!(edi.contains("NM1*IL*1*Pena-O'Brien|A>*Jose>|Zoe"), "{edi}");
    assert!(edi.contains("N4*Sao Paulo*OR*97202"), "{edi}");
    assert!(edi.contains("*MI*S>M|001~"), "{edi}");
}

#[test]
fn a_delimiter_written_past_the_import_never_reaches_an_interchange() {
    let db = TestDb::new();
    billed_with(&db, |_| {});
    // A feed job writing the tables directly is not checked by the import.
    db.sql("UPDATE member SET last_name = 'Lopez~NM1*XX' WHERE mrn = 'M001'");
    db.sql("UPDATE provider SET first_name = 'Da:na^' WHERE npi = '1245319599'");
    let id = billing::id_of(&db, "EDI").to_string();
    let writer = db.login("writer", &[READ, WRITE]);
    let biller = db.login("biller", &[READ, BILLING]);
    db.gsess_as(&writer, &["mark", &id, "attended", "M001", "M002"])
        .success();
    db.gsess_as(&writer, &["mark", &id, "attended", "--supervisor", DANA])
        .success();
    billing::bill(&db, &[]);
    let before = db.fingerprint();
    let run = db.gsess_as(&biller, &["--json", "claim", "submit", "--session", &id]);
    assert!(
        matches!(run.code, Some(8) | Some(10)),
        "a claim that cannot be written is refused, not sent: {run:?}"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let stored: i64 = db.scalar("SELECT count(*) FROM edi_document");
    assert_eq!(stored, 0, "an interchange was stored");
    assert_eq!(db.fingerprint(), before);
}

#[test]
fn the_database_holds_reasons_and_rosters_to_the_same_limits() {
    let db = TestDb::new();
    let id = db.seed_roll_call();
    db.gsess(&["mark", &id.to_string(), "attended", "M001"])
        .success();
    let writer = db.login("writer", &[READ, WRITE]);
    let before = db.fingerprint();
    let megabyte = "r".repeat(1 << 20);
    let refused = db
        .sql_as(
            &writer,
            &format!(
                "INSERT INTO accepted_exception (facility_id, session_id, code, payer_id, reason,
                                                 group_size, supervisors_present)
                 SELECT facility_id, id, 'SUPERVISION_RATIO_BREACH',
                        (SELECT id FROM payer WHERE code = 'ORMCD'), '{megabyte}', 1, 0
                   FROM group_session WHERE id = {id}"
            ),
        )
        .expect_err("a 1 MB reason");
    assert_eq!(refused.sqlstate, "23514", "{}", refused.message);
    // 101 members on one roster, added by hand in one statement.
    db.sql(
        "INSERT INTO member (mrn, first_name, last_name, birth_date, sex)
         SELECT 'C' || i, 'Pat', 'Crowd', '2001-02-03', 'U' FROM generate_series(1, 101) i",
    );
    let before_roster = db.fingerprint();
    let refused = db
        .sql_as(
            &writer,
            &format!(
                "INSERT INTO session_participant (facility_id, session_id, member_id)
                 SELECT s.facility_id, s.id, m.id FROM group_session s, member m
                  WHERE s.id = {id} AND m.mrn LIKE 'C%'"
            ),
        )
        .expect_err("a 104-member roster");
    assert_eq!(refused.sqlstate, "23514", "{}", refused.message);
    assert!(
        refused.message.contains("at most 100"),
        "{}",
        refused.message
    );
    assert_eq!(db.fingerprint(), before_roster);
    assert_ne!(before, before_roster, "the members were added");
}
