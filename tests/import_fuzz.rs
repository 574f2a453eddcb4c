//! Mutated import documents never panic and never half-apply: each exits 0, or 10 naming a JSON path with the database exactly as before. `GSESS_PROPTEST_CASES` sets how many (default 32).

mod common;

use common::{roll_call_dataset, Run, TestDb};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What is done to one place of the document (a JSON pointer picked by an [`Index`]).
#[derive(Debug, Clone)]
enum Edit {
    Drop,
    Replace(Value),
    /// Replace the value by a number nested 10,000 arrays deep.
    Bury,
}

/// What is done to the document's text after it is written.
#[derive(Debug, Clone)]
enum Damage {
    None,
    /// Cut at a fraction (per mille) of its length.
    Truncate(u16),
    /// These bytes (invalid UTF-8, NUL, a stray quote) inserted at a fraction of its length.
    Insert(u16, Vec<u8>),
    /// The first object's first key written twice.
    DuplicateKey,
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!("")),
        Just(json!("   ")),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1_u64 << 40)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(1e300)),
        Just(json!(-0.5)),
        Just(json!(true)),
        Just(json!([])),
        Just(json!({})),
        Just(json!("NOSUCHCODE")),
        Just(json!("9999-12-31")),
        Just(json!("0000-01-01")),
        Just(json!("-5.00")),
        Just(json!("1e300")),
        Just(json!("99999999999.99")),
        Just(json!("nul\u{0}inside")),
        Just(json!("'; DROP TABLE claim; --")),
        Just(json!("O~Brien*NM1:x^y")),
        Just(json!("\u{1b}[2J\r\n")),
        Just(json!("x".repeat(10_000))),
        "[a-zA-Z0-9 ~*:^'\u{0}-\u{1f}\u{202e}é😀]{0,12}".prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        2 => Just(Edit::Drop),
        6 => replacement().prop_map(Edit::Replace),
        1 => Just(Edit::Bury),
    ]
}

fn damage() -> impl Strategy<Value = Damage> {
    let bytes = prop_oneof![
        Just(vec![0xff]),
        Just(vec![0xc3]),
        Just(vec![0xed, 0xa0, 0x80]),
        Just(vec![0x00]),
        Just(b"\"".to_vec()),
        Just(b"\\u0000".to_vec()),
        Just(b"\\ud800".to_vec()),
    ];
    prop_oneof![
        6 => Just(Damage::None),
        1 => (0..1000_u16).prop_map(Damage::Truncate),
        2 => (0..1000_u16, bytes).prop_map(|(at, b)| Damage::Insert(at, b)),
        1 => Just(Damage::DuplicateKey),
    ]
}

/// Every JSON pointer in the document, the root excepted, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = format!("{at}/{key}");
                out.push(path.clone());
                pointers(child, path, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let path = format!("{at}/{i}");
                out.push(path.clone());
                pointers(child, path, out);
            }
        }
        _ => {}
    }
}

fn apply(document: &mut Value, pointer: &str, edit: &Edit) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = document.pointer_mut(parent).unwrap();
    match edit {
        Edit::Drop => match parent {
            Value::Object(map) => {
                map.remove(key);
            }
            Value::Array(items) => {
                items.remove(key.parse::<usize>().unwrap());
            }
            _ => unreachable!("a pointer's parent is a container"),
        },
        Edit::Replace(value) => *document.pointer_mut(pointer).unwrap() = value.clone(),
        // A Value that deep would overflow this test's own stack: the text is nested later.
        Edit::Bury => *document.pointer_mut(pointer).unwrap() = json!(BURIED),
    }
}

/// Stands for the 10,000-deep nesting [`Edit::Bury`] puts in the text.
const BURIED: &str = "@@buried@@";

fn damaged(text: String, damage: &Damage) -> Vec<u8> {
    let depth = 10_000;
    let nested = format!("{}0{}", "[".repeat(depth), "]".repeat(depth));
    let mut bytes = text.replace(&format!("\"{BURIED}\""), &nested).into_bytes();
    let at = |per_mille: u16, len: usize| len * usize::from(per_mille) / 1000;
    match damage {
        Damage::None => {}
        Damage::Truncate(per_mille) => bytes.truncate(at(*per_mille, bytes.len())),
        Damage::Insert(per_mille, inserted) => {
            let at = at(*per_mille, bytes.len());
            bytes.splice(at..at, inserted.iter().copied());
        }
        Damage::DuplicateKey => {
            let text = String::from_utf8(bytes).unwrap();
            let text = text.replacen("{\"", "{\"facilities\":[],\"", 1);
            bytes = text.into_bytes();
        }
    }
    bytes
}

static NEXT_FILE: AtomicUsize = AtomicUsize::new(0);

/// `gsess --json import FILE` of these exact bytes (stdin would have to be UTF-8).
fn import_bytes(db: &TestDb, bytes: &[u8]) -> Run {
    let file = std::env::temp_dir().join(format!(
        "gsess-fuzz-{}-{}.json",
        std::process::id(),
        NEXT_FILE.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(&file, bytes).unwrap();
    let run = db.gsess(&["--json", "import", file.to_str().unwrap()]);
    let _ = std::fs::remove_file(&file);
    run
}

fn check(edits: &[(Index, Edit)], damage: &Damage) -> Result<(), TestCaseError> {
    let db = TestDb::new();
    db.seed_roll_call();
    let mut document = roll_call_dataset();
    for (index, edit) in edits {
        let mut all = Vec::new();
        pointers(&document, String::new(), &mut all);
        if all.is_empty() {
            break;
        }
        apply(&mut document, &all[index.index(all.len())], edit);
    }
    let before = db.fingerprint();
    let run = import_bytes(&db, &damaged(document.to_string(), damage));
    prop_assert!(!run.stderr.contains("panicked"), "{:?}", run);
    prop_assert!(
        matches!(run.code, Some(0) | Some(10)),
        "exit {:?}, expected 0 or 10: {:?}",
        run.code,
        run
    );
    if run.code == Some(10) {
        let error = run.json_error();
        let field = error["error"]["field"].as_str().unwrap_or_default();
        prop_assert!(field.starts_with('$'), "no JSON path: {error:#}");
        let message = error["error"]["message"].as_str().unwrap();
        prop_assert!(message.starts_with(field), "{error:#}");
        prop_assert_eq!(
            db.fingerprint(),
            before,
            "a refused import wrote: {:?}",
            run
        );
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("GSESS_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(32)
}

proptest! {
    #![proptest_config(Config {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..Config::default()
    })]

    #[test]
    fn a_mutated_document_is_imported_whole_or_refused_by_path(
        edits in prop::collection::vec((any::<Index>(), edit()), 1..4),
        damage in damage(),
    ) {
        check(&edits, &damage)?;
    }
}

/// Each hand-picked wreck, once, whatever the random cases draw.
#[test]
fn known_wrecks_are_refused_by_path() {
    let cases: Vec<(Vec<(&str, Edit)>, Damage)> = vec![
        (vec![], Damage::Truncate(500)),
        (vec![], Damage::Insert(300, vec![0xff, 0xfe])),
        (vec![], Damage::Insert(300, vec![0x00])),
        (vec![], Damage::DuplicateKey),
        (vec![("/members", Edit::Bury)], Damage::None),
        (
            vec![(
                "/sessions/0/participants/0",
                Edit::Replace(json!("M\u{0}01")),
            )],
            Damage::None,
        ),
        (
            vec![("/facilities/0/code", Edit::Replace(json!("NO\u{0}RTH")))],
            Damage::None,
        ),
        (
            vec![("/size_bands/0/rate", Edit::Replace(json!(1e300)))],
            Damage::None,
        ),
        (vec![("/members/0/sex", Edit::Drop)], Damage::None),
    ];
    for (edits, damage) in cases {
        let db = TestDb::new();
        db.seed_roll_call();
        let mut document = roll_call_dataset();
        for (pointer, edit) in &edits {
            apply(&mut document, pointer, edit);
        }
        let before = db.fingerprint();
        let run = import_bytes(&db, &damaged(document.to_string(), &damage));
        run.code(10);
        let field = run.json_error()["error"]["field"].clone();
        assert!(
            field.as_str().is_some_and(|f| f.starts_with('$')),
            "{edits:?} {damage:?}: {run:?}"
        );
        assert_eq!(db.fingerprint(), before, "{edits:?} {damage:?}");
    }
}
