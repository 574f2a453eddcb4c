//! The promise, end to end: for any room, the issues the scrubber stores on its claims are
//! ones `gsess preview --json` showed for the same data just before billing — compared as
//! (code, payer, mrn), over two paths that could disagree: the preview's session read and
//! JSON on one side, the billing run's claim read, scrubber and stored rows on the other.
//!
//! Each case is a generated room written to its own database through the import: a roster
//! with statuses, members covered by one payer, another or none (some without a subscriber
//! id or a diagnosis), supervisors present or not, bands with gaps, ratio rules or none, and
//! acceptances of some of the issues shown. `GSESS_PROPTEST_CASES` sets how many (default
//! 64); `tests/billing_props.proptest-regressions` keeps the seeds of past failures.

mod common;

use chrono::{Duration, Utc};
use common::TestDb;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const STATUSES: [&str; 4] = ["SCHEDULED", "ATTENDED", "LATE", "ABSENT"];
const PAYERS: [&str; 2] = ["ORMCD", "WAHP"];
const SUPERVISORS: [&str; 2] = ["1245319599", "1679576722"];

#[derive(Debug, Clone)]
struct Member {
    status: &'static str,
    /// Index into PAYERS, or none.
    payer: Option<usize>,
    subscriber_id: bool,
    diagnosis: bool,
}

#[derive(Debug, Clone)]
struct Band {
    min: u32,
    max: u32,
    rate_cents: u32,
    unit_minutes: Option<u32>,
}

#[derive(Debug, Clone)]
struct Room {
    members: Vec<Member>,
    /// Per supervisor: the member it is assigned to (a roster index) and its status.
    supervisors: Vec<(usize, &'static str)>,
    /// Per payer: its bands (maybe none, maybe with gaps) and its ratio rule (maybe none).
    bands: [Vec<Band>; 2],
    ratio: [Option<u32>; 2],
    minutes: i64,
    /// Accept the n-th acceptable issue the preview shows, for each n.
    accept: Vec<usize>,
}

/// Mostly present, so that most rooms bill something.
fn status() -> impl Strategy<Value = &'static str> {
    prop_oneof![1 => Just(STATUSES[0]), 4 => Just(STATUSES[1]), 2 => Just(STATUSES[2]), 2 => Just(STATUSES[3])]
}

fn member() -> impl Strategy<Value = Member> {
    (
        status(),
        prop::option::weighted(0.85, 0..2usize),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(status, payer, subscriber_id, diagnosis)| Member {
            status,
            payer,
            subscriber_id,
            diagnosis,
        })
}

/// Up to three bands in ascending order, with gaps between them now and then (and now and
/// then no bands at all).
fn bands() -> impl Strategy<Value = Vec<Band>> {
    let span = (
        0..3u32,
        0..3u32,
        2000..6000u32,
        prop::option::weighted(0.2, Just(15u32)),
    );
    prop_oneof![1 => Just(Vec::new()), 8 => prop::collection::vec(span, 1..=3)].prop_map(|spans| {
        let mut next = 1 + spans.first().map_or(0, |s| s.0);
        spans
            .into_iter()
            .map(|(gap, width, rate_cents, unit_minutes)| {
                let band = Band {
                    min: next,
                    max: next + width,
                    rate_cents,
                    unit_minutes,
                };
                next = band.max + 1 + gap;
                band
            })
            .collect()
    })
}

fn room() -> impl Strategy<Value = Room> {
    (
        prop::collection::vec(member(), 1..=8),
        prop::collection::vec((0..8usize, status()), 0..=2),
        [bands(), bands()],
        [prop::option::of(1..5u32), prop::option::of(1..5u32)],
        prop::sample::select(vec![5i64, 30, 50, 90]),
        prop::collection::vec(0..6usize, 0..3),
    )
        .prop_map(|(members, supervisors, bands, ratio, minutes, accept)| {
            let n = members.len();
            Room {
                supervisors: supervisors.into_iter().map(|(m, s)| (m % n, s)).collect(),
                members,
                bands,
                ratio,
                minutes,
                accept,
            }
        })
}

fn at(minutes: i64) -> String {
    (Utc::now() + Duration::minutes(minutes)).to_rfc3339()
}

fn document(room: &Room) -> Value {
    let mrn = |i: usize| format!("M{i:02}");
    let members: Vec<Value> = room
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let codes = if m.diagnosis {
                json!(["F33.1"])
            } else {
                json!([])
            };
            json!({"mrn": mrn(i), "first_name": "Pat", "last_name": format!("Room{i}"),
                   "birth_date": "2000-01-01", "sex": "U", "diagnosis_codes": codes})
        })
        .collect();
    let coverages: Vec<Value> = room
        .members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let payer = PAYERS[m.payer?];
            let subscriber = m.subscriber_id.then(|| format!("S{i}"));
            Some(json!({"member": mrn(i), "payer": payer, "priority": 1,
                        "subscriber_id": subscriber, "start": "2020-01-01"}))
        })
        .collect();
    let mut bands = Vec::new();
    let mut rules = Vec::new();
    for (p, payer) in PAYERS.iter().enumerate() {
        for band in &room.bands[p] {
            bands.push(json!({"payer": payer, "state": "OR", "min": band.min, "max": band.max,
                              "procedure_code": "90853", "modifiers": ["HQ"],
                              "rate": format!("{}.{:02}", band.rate_cents / 100, band.rate_cents % 100),
                              "unit_minutes": band.unit_minutes, "start": "2020-01-01"}));
        }
        if let Some(max) = room.ratio[p] {
            rules.push(
                json!({"payer": payer, "state": "OR", "max_per_supervisor": max,
                              "start": "2020-01-01"}),
            );
        }
    }
    let assignments: Vec<Value> = room
        .supervisors
        .iter()
        .enumerate()
        .map(|(s, (m, _))| {
            json!({"provider": SUPERVISORS[s], "member": mrn(*m),
                                  "role": "SUPERVISING", "start": "2020-01-01"})
        })
        .collect();
    json!({
        "facilities": [{"code": "NORTH", "name": "North Clinic", "state": "OR",
                        "timezone": "America/Los_Angeles", "npi": "1234567893",
                        "tax_id": "931234567",
                        "address": {"line1": "1 Main St", "city": "Portland", "state": "OR",
                                    "zip": "972011234"}}],
        "payers": PAYERS.iter().map(|p| json!({"code": p, "name": p, "payer_id": p})).collect::<Vec<_>>(),
        "group_types": [{"code": "DBT", "name": "DBT skills"}],
        "supervision_rules": rules,
        "size_bands": bands,
        "providers": SUPERVISORS.iter().map(|n| json!({"npi": n, "first_name": "Sup", "last_name": n})).collect::<Vec<_>>(),
        "members": members,
        "coverages": coverages,
        "staff_assignments": assignments,
        "sessions": [{"external_id": "ROOM", "facility": "NORTH", "group_type": "DBT",
                      "starts_at": at(-room.minutes - 60), "ends_at": at(-60),
                      "participants": (0..room.members.len()).map(mrn).collect::<Vec<_>>()}]
    })
}

type Key = (String, Option<String>, Option<String>);

fn key(issue: &Value) -> Key {
    let text = |field: &str| issue[field].as_str().map(str::to_owned);
    (text("code").unwrap(), text("payer"), text("mrn"))
}

/// Write the room, take the preview, accept some issues it shows, take the preview again,
/// bill, and hold the stored claim issues against the last preview.
fn check(room: &Room) -> Result<(), TestCaseError> {
    let db = TestDb::new();
    db.gsess_stdin(&["import", "-"], &document(room).to_string())
        .success();
    let session: i64 = db.scalar("SELECT id FROM group_session WHERE external_id = 'ROOM'");
    let id = session.to_string();
    let mut sql = String::new();
    for (i, m) in room.members.iter().enumerate() {
        if m.status != "SCHEDULED" {
            sql.push_str(&format!(
                "UPDATE session_participant p SET status = '{}' FROM member m
                  WHERE m.id = p.member_id AND p.session_id = {session} AND m.mrn = 'M{i:02}';",
                m.status
            ));
        }
    }
    for (s, (_, status)) in room.supervisors.iter().enumerate() {
        if *status != "SCHEDULED" {
            sql.push_str(&format!(
                "UPDATE session_supervisor x SET status = '{status}' FROM provider v
                  WHERE v.id = x.provider_id AND x.session_id = {session} AND v.npi = '{}';",
                SUPERVISORS[s]
            ));
        }
    }
    if !sql.is_empty() {
        db.sql(&sql);
    }

    let first = db.gsess(&["preview", &id, "--json"]).success().json();
    let acceptable: Vec<Value> = first["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            matches!(
                i["code"].as_str().unwrap(),
                "SUPERVISION_RATIO_BREACH"
                    | "GROUP_SIZE_BAND_MISMATCH"
                    | "GROUP_SIZE_ABOVE_MAXIMUM"
                    | "NO_SUPERVISOR_ASSIGNED"
                    | "NO_COVERAGE"
            )
        })
        .cloned()
        .collect();
    let chosen: BTreeSet<usize> = room
        .accept
        .iter()
        .filter(|_| !acceptable.is_empty())
        .map(|n| n % acceptable.len())
        .collect();
    for n in chosen {
        let issue = &acceptable[n];
        let mut args = vec![
            "accept".to_owned(),
            id.clone(),
            issue["code"].as_str().unwrap().to_owned(),
        ];
        if let Some(payer) = issue["payer"].as_str() {
            args.extend(["--payer".to_owned(), payer.to_owned()]);
        }
        if let Some(mrn) = issue["mrn"].as_str() {
            args.extend(["--member".to_owned(), mrn.to_owned()]);
        }
        args.extend(["--reason".to_owned(), "documented".to_owned()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        db.gsess(&args).success();
    }

    let preview = db.gsess(&["preview", &id, "--json"]).success().json();
    let shown: BTreeSet<Key> = preview["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    db.gsess(&["billing", "run", "--claim-delay", "0s", "--json"])
        .success();
    let stored = db.rows(&format!(
        "SELECT c.id AS claim_id, m.mrn AS claim_mrn, y.code AS claim_payer, i.code, i.payer,
                i.mrn, i.accepted, i.arithmetic
           FROM claim c JOIN member m ON m.id = c.member_id JOIN payer y ON y.id = c.payer_id
           LEFT JOIN claim_issue i ON i.facility_id = c.facility_id AND i.claim_id = c.id
          WHERE c.session_id = {session}
          ORDER BY c.id, i.id"
    ));
    for row in stored.iter().filter(|r| !r["code"].is_null()) {
        let found = key(row);
        prop_assert!(
            shown.contains(&found),
            "claim {} stores {found:?}, which the preview did not show: {:#}",
            row["claim_id"],
            preview["issues"]
        );
    }
    // And nothing the preview showed for a claim's session, payer or member is missing from
    // it, with the same figures and the same acceptance.
    let claims: BTreeSet<(i64, String, String)> = stored
        .iter()
        .map(|r| {
            (
                r["claim_id"].as_i64().unwrap(),
                r["claim_payer"].as_str().unwrap().to_owned(),
                r["claim_mrn"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (claim, payer, mrn) in &claims {
        let expected: BTreeSet<(Key, bool, String)> = preview["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| match i["scope"].as_str().unwrap() {
                "SESSION" => true,
                "PAYER" => i["payer"] == payer.as_str(),
                _ => i["mrn"] == mrn.as_str(),
            })
            .map(|i| {
                (
                    key(i),
                    i["accepted"].as_bool().unwrap(),
                    i["arithmetic"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let actual: BTreeSet<(Key, bool, String)> = stored
            .iter()
            .filter(|r| r["claim_id"] == *claim && !r["code"].is_null())
            .map(|r| {
                (
                    key(r),
                    r["accepted"].as_bool().unwrap(),
                    r["arithmetic"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        prop_assert_eq!(actual, expected, "claim {} ({} with {})", claim, mrn, payer);
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("GSESS_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(Config {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..Config::default()
    })]

    #[test]
    fn the_scrubber_never_stores_an_issue_the_preview_did_not_show(room in room()) {
        check(&room)?;
    }
}
