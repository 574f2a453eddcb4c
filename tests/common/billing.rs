//! The billing fixture several test files share: an Oregon clinic, two payers with their
//! bands and ratio rules, nine members (one without coverage), a supervising assignment, and
//! helpers to import sessions relative to now and run the billing pipeline.

use super::TestDb;
use chrono::{Duration, Utc};
use serde_json::{json, Value};

/// Dana Reyes supervises M001 (a supervisor row on every session M001 is on).
pub const DANA: &str = "1245319599";

/// RFC 3339 for `minutes` from now (negative: in the past), in Pacific time.
pub fn at(minutes: i64) -> String {
    let tz: chrono_tz::Tz = "America/Los_Angeles".parse().unwrap();
    (Utc::now() + Duration::minutes(minutes))
        .with_timezone(&tz)
        .to_rfc3339()
}

/// An Oregon clinic and two payers: ORMCD bills 90853 HQ at 45.00 for 2–4 and 40.00 for 5–8
/// (6 per supervisor); WAHP bills 90853 at 30.00 for 2–8, but for social-skills groups (SOC)
/// 97158 per 15 minutes at 20.00. M001–M006 are ORMCD members, M007–M008 WAHP, M009 has no
/// coverage.
pub fn dataset(sessions: Value) -> Value {
    let member = |mrn: &str| {
        json!({"mrn": mrn, "first_name": "Pat", "last_name": mrn, "birth_date": "2001-02-03",
               "sex": "F", "diagnosis_codes": ["F33.1"],
               "address": {"line1": "5 Oak Ave", "city": "Portland", "state": "OR", "zip": "97202"}})
    };
    let coverage = |mrn: &str, payer: &str| {
        json!({"member": mrn, "payer": payer, "priority": 1, "subscriber_id": format!("S-{mrn}"),
               "start": "2020-01-01"})
    };
    let band = |payer: &str,
                group_type: Option<&str>,
                min: u32,
                max: u32,
                code: &str,
                modifiers: Vec<&str>,
                rate: &str,
                unit_minutes: Option<u32>| {
        json!({"payer": payer, "state": "OR", "group_type": group_type, "min": min, "max": max,
               "procedure_code": code, "modifiers": modifiers, "rate": rate,
               "unit_minutes": unit_minutes, "start": "2020-01-01"})
    };
    let members: Vec<Value> = (1..=9).map(|i| member(&format!("M00{i}"))).collect();
    let mut coverages: Vec<Value> = (1..=6)
        .map(|i| coverage(&format!("M00{i}"), "ORMCD"))
        .collect();
    coverages.push(coverage("M007", "WAHP"));
    coverages.push(coverage("M008", "WAHP"));
    json!({
        "facilities": [{"code": "NORTH", "name": "North Clinic", "state": "OR",
                        "timezone": "America/Los_Angeles", "npi": "1234567893",
                        "tax_id": "931234567", "phone": "5035550100",
                        "address": {"line1": "1 Main St", "city": "Portland", "state": "OR",
                                    "zip": "972011234"}}],
        "payers": [{"code": "ORMCD", "name": "Oregon Medicaid", "payer_id": "ORDHS"},
                   {"code": "WAHP", "name": "Washington Health", "payer_id": "WAHP1"}],
        "group_types": [{"code": "DBT", "name": "DBT skills"}, {"code": "SOC", "name": "Social skills"}],
        "supervision_rules": [
            {"payer": "ORMCD", "state": "OR", "max_per_supervisor": 6, "start": "2020-01-01"},
            {"payer": "WAHP", "state": "OR", "max_per_supervisor": 8, "start": "2020-01-01"}],
        "size_bands": [
            band("ORMCD", None, 2, 4, "90853", vec!["HQ"], "45.00", None),
            band("ORMCD", None, 5, 8, "90853", vec!["HQ"], "40.00", None),
            band("WAHP", None, 2, 8, "90853", vec![], "30.00", None),
            band("WAHP", Some("SOC"), 2, 8, "97158", vec!["HQ"], "20.00", Some(15))],
        "providers": [{"npi": DANA, "first_name": "Dana", "last_name": "Reyes"}],
        "members": members,
        "coverages": coverages,
        "staff_assignments": [{"provider": DANA, "member": "M001", "role": "SUPERVISING",
                               "start": "2020-01-01"}],
        "sessions": sessions
    })
}

/// A session `external_id` of `group_type` that ran from `start` to `end` minutes from now.
pub fn session(external_id: &str, group_type: &str, start: i64, end: i64, mrns: &[&str]) -> Value {
    json!({"external_id": external_id, "facility": "NORTH", "group_type": group_type,
           "starts_at": at(start), "ends_at": at(end), "participants": mrns})
}

pub fn seed(db: &TestDb, sessions: Value) {
    db.gsess_stdin(&["import", "-"], &dataset(sessions).to_string())
        .success();
}

pub fn id_of(db: &TestDb, external_id: &str) -> i64 {
    db.scalar(&format!(
        "SELECT id FROM group_session WHERE external_id = '{external_id}'"
    ))
}

pub fn bill(db: &TestDb, extra: &[&str]) -> Value {
    let mut args = vec!["billing", "run", "--json"];
    args.extend_from_slice(extra);
    db.gsess(&args).success().json()
}

/// The issue codes of a claim as `force-update --json` or `claim show --json` lists them.
pub fn issue_codes(claim: &Value) -> Vec<&str> {
    claim["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect()
}
