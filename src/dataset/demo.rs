//! The demo dataset: a day at three clinics in three time zones (Portland, Boise, Phoenix),
//! built to show what gsess catches — a ratio breach, a size between bands, a mixed-payer
//! group, a group nobody is assigned to supervise, a member without coverage, a member
//! without a diagnosis, a child on a parent's plan, and a timed ABA code priced per 15
//! minutes. Its featured session (in Portland) has just ended (it ran from 95 to 5 minutes
//! ago), so the tour can finalize and bill it whatever the time of day; the day of the dataset
//! is that session's date in Portland, and every clinic's sessions fall on that date in its own
//! time zone.

use chrono::{DateTime, Duration, DurationRound, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

/// The demo clinic's time zone: its sessions are "today" on its own calendar.
pub const TIMEZONE: &str = "America/Los_Angeles";

/// The featured session's natural key.
pub const FEATURED: &str = "DEMO-DBT-1";

/// The demo's clinics: a database holding only these is the demo's own, and a rerun may
/// start it afresh.
pub const FACILITIES: [&str; 3] = ["NORTH", "SOUTH", "DESERT"];

/// The document as of `now`, and its day; `login` is a user whose home facility is the
/// clinic (so `gsess list` defaults to it).
pub fn document(now: DateTime<Utc>, login: &str) -> (NaiveDate, Value) {
    let zone: Tz = TIMEZONE.parse().expect("a valid IANA zone");
    let end = now
        .duration_trunc(Duration::minutes(1))
        .expect("a whole minute")
        - Duration::minutes(5);
    let start = end - Duration::minutes(90);
    let day = start.with_timezone(&zone).date_naive();
    // Local clock times on `day` in a clinic's zone, with that day's offset (PST or PDT…).
    let at_in = |zone: Tz, hour: u32, minute: u32| {
        let local = day
            .and_hms_opt(hour, minute, 0)
            .expect("a valid clock time");
        zone.from_local_datetime(&local)
            .earliest()
            .expect("demo sessions avoid the DST gap")
            .to_rfc3339()
    };
    let at = |hour: u32, minute: u32| at_in(zone, hour, minute);
    let boise: Tz = "America/Boise".parse().expect("a valid IANA zone");
    let phoenix: Tz = "America/Phoenix".parse().expect("a valid IANA zone");
    let member = |mrn: &str, first: &str, last: &str, birth: &str, sex: &str, dx: &[&str]| {
        json!({"mrn": mrn, "first_name": first, "last_name": last, "birth_date": birth, "sex": sex,
               "diagnosis_codes": dx,
               "address": {"line1": "5 Oak Ave", "city": "Portland", "state": "OR", "zip": "97202"}})
    };
    let coverage = |mrn: &str, payer: &str, subscriber_id: Option<&str>| {
        json!({"member": mrn, "payer": payer, "priority": 1, "subscriber_id": subscriber_id,
               "start": "2026-01-01", "end": null, "subscriber": null})
    };
    let supervises = |npi: &str, mrn: &str| json!({"provider": npi, "member": mrn, "role": "SUPERVISING", "start": "2026-01-01", "end": null});
    let document = json!({
        "facilities": [{
            "code": "NORTH", "name": "North Clinic", "state": "OR", "timezone": TIMEZONE,
            "npi": "1234567893", "tax_id": "931234567", "taxonomy": "261QM0801X",
            "phone": "5035550100", "place_of_service": "11",
            "address": {"line1": "1 Main St", "city": "Portland", "state": "OR", "zip": "972011234"}
        }, {
            "code": "SOUTH", "name": "South Valley Behavioral Health", "state": "ID",
            "timezone": "America/Boise", "npi": "1467556944", "tax_id": "820123456",
            "phone": "2085550142", "place_of_service": "11",
            "address": {"line1": "400 Capitol Blvd", "city": "Boise", "state": "ID", "zip": "837021234"}
        }, {
            "code": "DESERT", "name": "Desert Bloom Therapy", "state": "AZ",
            "timezone": "America/Phoenix", "npi": "1881697878", "tax_id": "860654321",
            "phone": "6025550177", "place_of_service": "11",
            "address": {"line1": "22 Roosevelt St", "city": "Phoenix", "state": "AZ", "zip": "850041234"}
        }],
        "payers": [
            {"code": "ORMCD", "name": "Oregon Medicaid", "payer_id": "ORDHS", "filing_indicator": "MC"},
            {"code": "PACSRC", "name": "PacificSource Health Plans", "payer_id": "PCSRC", "filing_indicator": "CI"},
            {"code": "IDMCD", "name": "Idaho Medicaid", "payer_id": "IDHW", "filing_indicator": "MC"}
        ],
        "group_types": [
            {"code": "DBT", "name": "DBT skills group"},
            {"code": "ABA", "name": "ABA social skills group"}
        ],
        "supervision_rules": [
            {"payer": "ORMCD", "state": "OR", "group_type": null, "max_per_supervisor": 6, "start": "2026-01-01", "end": null},
            {"payer": "PACSRC", "state": "OR", "group_type": null, "max_per_supervisor": 4, "start": "2026-01-01", "end": null},
            {"payer": "PACSRC", "state": "ID", "group_type": null, "max_per_supervisor": 4, "start": "2026-01-01", "end": null},
            {"payer": "IDMCD", "state": "ID", "group_type": null, "max_per_supervisor": 5, "start": "2026-01-01", "end": null},
            {"payer": "PACSRC", "state": "AZ", "group_type": null, "max_per_supervisor": 4, "start": "2026-01-01", "end": null}
        ],
        "size_bands": [
            {"payer": "ORMCD", "state": "OR", "group_type": null, "min": 2, "max": 4, "procedure_code": "90853",
             "modifiers": ["HQ"], "rate": "45.00", "unit_minutes": null, "start": "2026-01-01", "end": null},
            {"payer": "ORMCD", "state": "OR", "group_type": null, "min": 6, "max": 8, "procedure_code": "90853",
             "modifiers": ["HQ"], "rate": "40.00", "unit_minutes": null, "start": "2026-01-01", "end": null},
            {"payer": "PACSRC", "state": "OR", "group_type": null, "min": 2, "max": 8, "procedure_code": "90853",
             "modifiers": [], "rate": "52.00", "unit_minutes": null, "start": "2026-01-01", "end": null},
            {"payer": "ORMCD", "state": "OR", "group_type": "ABA", "min": 2, "max": 8, "procedure_code": "97158",
             "modifiers": ["HQ"], "rate": "18.50", "unit_minutes": 15, "start": "2026-01-01", "end": null},
            {"payer": "IDMCD", "state": "ID", "group_type": null, "min": 2, "max": 10, "procedure_code": "90853",
             "modifiers": [], "rate": "38.00", "unit_minutes": null, "start": "2026-01-01", "end": null},
            {"payer": "PACSRC", "state": "ID", "group_type": null, "min": 2, "max": 8, "procedure_code": "90853",
             "modifiers": [], "rate": "50.00", "unit_minutes": null, "start": "2026-01-01", "end": null},
            {"payer": "PACSRC", "state": "AZ", "group_type": null, "min": 2, "max": 8, "procedure_code": "90853",
             "modifiers": [], "rate": "55.00", "unit_minutes": null, "start": "2026-01-01", "end": null}
        ],
        "providers": [
            {"npi": "1245319599", "first_name": "Dana", "last_name": "Reyes"},
            {"npi": "1679576722", "first_name": "Sam", "last_name": "Okafor"},
            {"npi": "1326051897", "first_name": "Rosa", "last_name": "Vega"}
        ],
        "members": [
            member("M001", "Ana", "Lopez", "2001-02-03", "F", &["F33.1"]),
            member("M002", "Ben", "Nguyen", "1998-07-14", "M", &["F41.1"]),
            member("M003", "Carla", "Diaz", "2003-11-30", "F", &["F43.10"]),
            member("M004", "Dev", "Patel", "1995-04-22", "M", &["F33.1", "F41.1"]),
            member("M005", "Eli", "Brooks", "2000-09-09", "M", &["F90.2"]),
            member("M006", "Fay", "Kim", "1999-01-17", "F", &["F33.0"]),
            member("M007", "Gus", "Hale", "1997-06-05", "M", &["F41.0"]),
            member("M008", "Hana", "Sato", "2012-03-03", "F", &["F84.0"]),
            member("M009", "Ivo", "Marsh", "1996-12-12", "M", &[]),
            member("M010", "Jo", "Reed", "1994-05-19", "F", &["F41.1"]),
            member("M011", "Kai", "Lund", "2002-10-01", "M", &["F33.1"]),
            member("M012", "Lena", "Ortiz", "1993-03-27", "F", &["F43.10"]),
            member("M013", "Milo", "Grant", "2001-08-15", "M", &["F41.1"]),
            member("M014", "Nia", "Shaw", "1999-12-02", "F", &["F33.1"]),
            member("M015", "Omar", "Haddad", "1997-02-11", "M", &["F43.10"]),
            member("M016", "Pia", "Romero", "2000-06-30", "F", &["F41.0"])
        ],
        "coverages": [
            coverage("M001", "ORMCD", Some("OR100001")),
            coverage("M002", "ORMCD", Some("OR100002")),
            coverage("M003", "ORMCD", Some("OR100003")),
            coverage("M004", "ORMCD", Some("OR100004")),
            coverage("M005", "ORMCD", Some("OR100005")),
            coverage("M006", "ORMCD", Some("OR100006")),
            coverage("M007", "PACSRC", Some("PS700007")),
            {"member": "M008", "payer": "PACSRC", "priority": 1, "subscriber_id": "PS700100",
             "start": "2026-01-01", "end": null,
             "subscriber": {"relationship": "child", "first_name": "Mai", "last_name": "Sato",
                            "birth_date": "1984-08-08", "sex": "F"}},
            coverage("M009", "ORMCD", Some("OR100009")),
            coverage("M011", "IDMCD", Some("ID200011")),
            coverage("M012", "IDMCD", Some("ID200012")),
            coverage("M013", "PACSRC", Some("PS700013")),
            coverage("M014", "IDMCD", Some("ID200014")),
            coverage("M015", "PACSRC", Some("PS700015")),
            coverage("M016", "PACSRC", Some("PS700016"))
        ],
        "staff_assignments": [
            supervises("1245319599", "M001"), supervises("1245319599", "M002"),
            supervises("1245319599", "M003"), supervises("1245319599", "M004"),
            supervises("1679576722", "M008"), supervises("1679576722", "M009"),
            supervises("1326051897", "M015"), supervises("1326051897", "M016")
        ],
        "users": [{"login": login, "name": "Demo User", "home_facility": "NORTH"}],
        "sessions": [
            {"external_id": FEATURED, "facility": "NORTH", "group_type": "DBT",
             "starts_at": start.with_timezone(&zone).to_rfc3339(),
             "ends_at": end.with_timezone(&zone).to_rfc3339(),
             "place_of_service": null,
             "participants": ["M001", "M002", "M003", "M004", "M005", "M006", "M007"]},
            {"external_id": "DEMO-DBT-2", "facility": "NORTH", "group_type": "DBT",
             "starts_at": at(14, 0), "ends_at": at(15, 30),
             "place_of_service": null, "participants": ["M001", "M008", "M009", "M010"]},
            {"external_id": "DEMO-ABA", "facility": "NORTH", "group_type": "ABA",
             "starts_at": at(16, 0), "ends_at": at(16, 50),
             "place_of_service": "02", "participants": ["M003", "M004", "M005"]},
            // Nobody holds a SUPERVISING assignment for these members: an empty Supervisors card.
            {"external_id": "DEMO-ID-1", "facility": "SOUTH", "group_type": "DBT",
             "starts_at": at_in(boise, 10, 0), "ends_at": at_in(boise, 11, 30),
             "place_of_service": null, "participants": ["M011", "M012", "M013", "M014"]},
            {"external_id": "DEMO-AZ-1", "facility": "DESERT", "group_type": "DBT",
             "starts_at": at_in(phoenix, 13, 0), "ends_at": at_in(phoenix, 14, 0),
             "place_of_service": "10", "participants": ["M015", "M016"]}
        ]
    });
    (day, document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Document;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn the_demo_document_parses_as_an_import_document() {
        let (_, doc) = document(at("2026-11-27T20:00:00Z"), "alice");
        let text = serde_json::to_vec(&doc).unwrap();
        let parsed = Document::from_reader(text.as_slice()).expect("valid document");
        // Every section is present (participants count as their own section).
        assert_eq!(parsed.sections().len(), 12);
        assert_eq!(parsed.members.as_ref().map(Vec::len), Some(16));
        assert_eq!(parsed.sessions.as_ref().map(Vec::len), Some(5));
        assert_eq!(
            parsed.facilities.as_ref().map(Vec::len),
            Some(FACILITIES.len())
        );
    }

    #[test]
    fn the_featured_session_has_just_ended_and_dates_the_day_in_the_clinics_zone() {
        // 20:07 UTC is 12:07 in Portland (PST): the session ran 10:32–12:02 that day.
        let (day, winter) = document(at("2026-11-27T20:07:30Z"), "a");
        assert_eq!(day.to_string(), "2026-11-27");
        assert_eq!(
            winter["sessions"][0]["starts_at"],
            "2026-11-27T10:32:00-08:00"
        );
        assert_eq!(
            winter["sessions"][0]["ends_at"],
            "2026-11-27T12:02:00-08:00"
        );
        assert_eq!(
            winter["sessions"][1]["starts_at"],
            "2026-11-27T14:00:00-08:00"
        );
        // Just after midnight UTC it is still the previous afternoon in Portland.
        let (day, _) = document(at("2026-11-28T01:00:00Z"), "a");
        assert_eq!(day.to_string(), "2026-11-27");
        // Summer days carry PDT.
        let (_, summer) = document(at("2026-07-01T20:00:00Z"), "a");
        assert_eq!(
            summer["sessions"][1]["starts_at"],
            "2026-07-01T14:00:00-07:00"
        );
    }
}
