//! The import document: one JSON object whose sections (all optional) are lists of
//! rows keyed by natural keys — facility/payer/group type `code`, member `mrn`, provider
//! `npi`, user `login`, session (facility, `external_id`), coverage (member, payer, priority,
//! start), assignment (provider, member, role, start), supervision rule (payer, state, group
//! type, start) and size band (the same and `min`).
//!
//! An import is three steps, one module each:
//! - here: the typed rows, parsed straight from a reader (never a whole-file string, never a
//!   `serde_json::Value`) with unknown fields refused and every type error named by its JSON
//!   path (`$.members[2].birth_date: invalid date …`);
//! - [`validate`]: pure checks in document order (sections in the order below, rows in list
//!   order), given what the database already holds — the first problem is the error;
//! - `db::import`: the SQL, one set-based statement per section, in one transaction.
//!
//! Money is never a float: a band's `rate` is a JSON string (`"45.00"`) read into a decimal.

pub mod demo;
pub mod validate;

use crate::error::{Error, ExitKind, Result};
use crate::time::check_stored_year;
use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::str::FromStr;

/// The sections of a document and of the import report, in foreign-key order (the order they
/// are validated and applied in). `Participants` are the entries of `sessions[].participants`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Facilities,
    Payers,
    GroupTypes,
    Members,
    Providers,
    Users,
    Coverages,
    StaffAssignments,
    SupervisionRules,
    SizeBands,
    Sessions,
    Participants,
}

impl Section {
    /// The name used in the document and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Section::Facilities => "facilities",
            Section::Payers => "payers",
            Section::GroupTypes => "group_types",
            Section::Members => "members",
            Section::Providers => "providers",
            Section::Users => "users",
            Section::Coverages => "coverages",
            Section::StaffAssignments => "staff_assignments",
            Section::SupervisionRules => "supervision_rules",
            Section::SizeBands => "size_bands",
            Section::Sessions => "sessions",
            Section::Participants => "participants",
        }
    }
}

/// One import document. A section that is absent (or `null`) is not touched at all.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub facilities: Option<Vec<Facility>>,
    pub payers: Option<Vec<Payer>>,
    pub group_types: Option<Vec<GroupType>>,
    pub members: Option<Vec<Member>>,
    pub providers: Option<Vec<Provider>>,
    pub users: Option<Vec<User>>,
    pub coverages: Option<Vec<CoverageEntry>>,
    pub staff_assignments: Option<Vec<StaffAssignment>>,
    pub supervision_rules: Option<Vec<SupervisionRuleEntry>>,
    pub size_bands: Option<Vec<SizeBandEntry>>,
    pub sessions: Option<Vec<Session>>,
}

impl Document {
    /// The sections present in the document, in report order (`participants` comes with
    /// `sessions`).
    pub fn sections(&self) -> Vec<Section> {
        let present = [
            (Section::Facilities, self.facilities.is_some()),
            (Section::Payers, self.payers.is_some()),
            (Section::GroupTypes, self.group_types.is_some()),
            (Section::Members, self.members.is_some()),
            (Section::Providers, self.providers.is_some()),
            (Section::Users, self.users.is_some()),
            (Section::Coverages, self.coverages.is_some()),
            (Section::StaffAssignments, self.staff_assignments.is_some()),
            (Section::SupervisionRules, self.supervision_rules.is_some()),
            (Section::SizeBands, self.size_bands.is_some()),
            (Section::Sessions, self.sessions.is_some()),
            (Section::Participants, self.sessions.is_some()),
        ];
        present
            .into_iter()
            .filter_map(|(section, is_present)| is_present.then_some(section))
            .collect()
    }

    /// Read a document from a reader (a file or stdin), buffered, straight into the typed
    /// rows. A type error, a missing field or an unknown field is named by its JSON path; a
    /// document that is not JSON at all by its line and column. Exit 10 either way.
    pub fn from_reader(reader: impl Read) -> Result<Document> {
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        // serde would read a struct from a JSON array too (positionally): the document is an
        // object with named sections. Peek without consuming, so line numbers stay true.
        let unreadable = |e: std::io::Error| {
            Error::new(
                ExitKind::InvalidInput,
                format!("cannot read the document: {e}"),
            )
        };
        // A byte-order mark (editors on Windows write one) is not JSON, and not a problem.
        if reader
            .fill_buf()
            .map_err(unreadable)?
            .starts_with(b"\xEF\xBB\xBF")
        {
            reader.consume(3);
        }
        let first = reader
            .fill_buf()
            .map_err(unreadable)?
            .iter()
            .copied()
            .find(|b| !b.is_ascii_whitespace());
        if first == Some(b'[') {
            return Err(Error::invalid(
                "$",
                "invalid type: an array, expected the document object {\"facilities\": [...], ...}",
            ));
        }
        let mut deserializer = serde_json::Deserializer::from_reader(reader);
        let document: Document =
            serde_path_to_error::deserialize(&mut deserializer).map_err(parse_error)?;
        // Trailing garbage after the object is as wrong as a syntax error inside it.
        deserializer.end().map_err(|e| json_error("$", &e))?;
        Ok(document)
    }
}

/// The text of a value in a document, kept inline when it fits in the 24 bytes a `String`
/// itself takes. Nearly every value does (a code, a name, an MRN, a street address), so a 50 MB
/// document of millions of values holds them without a heap allocation each: half the memory.
pub type Text = compact_str::CompactString;

/// `{"line1", "line2"?, "city", "state", "zip"}`: a facility's ZIP has 9 digits (ZIP+4), a
/// member's 5 or 9.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub line1: Text,
    pub line2: Option<Text>,
    pub city: Text,
    pub state: Text,
    pub zip: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    pub code: Text,
    pub name: Text,
    pub state: Text,
    pub timezone: Text,
    /// The billing NPI.
    pub npi: Text,
    pub tax_id: Text,
    pub taxonomy: Option<Text>,
    pub phone: Option<Text>,
    /// Default `11`.
    pub place_of_service: Option<Text>,
    /// The 837P sender id; default: the tax id.
    pub submitter_id: Option<Text>,
    pub address: Address,
}

impl Facility {
    pub const DEFAULT_PLACE_OF_SERVICE: &'static str = "11";
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payer {
    pub code: Text,
    pub name: Text,
    /// The id used in EDI (NM109 of the payer loop).
    pub payer_id: Text,
    /// The 837P receiver id; default: `payer_id`.
    pub receiver_id: Option<Text>,
    /// SBR09; default `CI`.
    pub filing_indicator: Option<Text>,
}

impl Payer {
    pub const DEFAULT_FILING_INDICATOR: &'static str = "CI";
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupType {
    pub code: Text,
    pub name: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub mrn: Text,
    pub first_name: Text,
    pub last_name: Text,
    pub birth_date: Date,
    /// `F`, `M` or `U`.
    pub sex: Text,
    /// ICD-10-CM, the first principal; with or without the dot (stored without, upper case).
    pub diagnosis_codes: Option<Vec<Text>>,
    pub address: Option<Address>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub npi: Text,
    pub first_name: Text,
    pub last_name: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The database login.
    pub login: Text,
    pub name: Text,
    /// A facility code.
    pub home_facility: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageEntry {
    /// A member's MRN.
    pub member: Text,
    /// A payer code.
    pub payer: Text,
    /// 1 = primary.
    pub priority: i64,
    pub subscriber_id: Option<Text>,
    pub start: Date,
    /// Inclusive; none = open.
    pub end: Option<Date>,
    /// None when the member is the subscriber, as for most: boxed, so a coverage without one
    /// does not carry its room.
    pub subscriber: Option<Box<Subscriber>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscriber {
    /// `child`, `spouse` or `other`.
    pub relationship: Text,
    pub first_name: Text,
    pub last_name: Text,
    pub birth_date: Date,
    pub sex: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffAssignment {
    /// A provider's NPI.
    pub provider: Text,
    /// A member's MRN.
    pub member: Text,
    /// Upper case, e.g. `SUPERVISING`.
    pub role: Text,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisionRuleEntry {
    pub payer: Text,
    pub state: Text,
    /// None: every group type without rows of its own.
    pub group_type: Option<Text>,
    pub max_per_supervisor: i64,
    /// None: no lower bound.
    pub start: Option<Date>,
    /// None: open.
    pub end: Option<Date>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeBandEntry {
    pub payer: Text,
    pub state: Text,
    pub group_type: Option<Text>,
    pub min: i64,
    pub max: i64,
    pub procedure_code: Text,
    pub modifiers: Option<Vec<Text>>,
    pub rate: Money,
    /// None: one unit per session.
    pub unit_minutes: Option<i64>,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Required: the session's natural key within its facility.
    pub external_id: Option<Text>,
    /// A facility code.
    pub facility: Text,
    /// A group type code.
    pub group_type: Text,
    pub starts_at: Time,
    pub ends_at: Time,
    /// None: the facility's.
    pub place_of_service: Option<Text>,
    /// MRNs, in roster order. Required (an empty list is explicit): a participant missing
    /// from a re-import is removed while still `SCHEDULED`.
    pub participants: Vec<Text>,
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Date {
    /// Exactly `YYYY-MM-DD` and a real calendar day.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape {
            return None;
        }
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
        let year = i32::try_from(number(0..4)?).ok()?;
        NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?).map(Date)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Date, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written \"YYYY-MM-DD\"")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Date, E> {
                let date = Date::parse(text).ok_or_else(|| {
                    E::custom(format!(
                        "invalid date {text:?}: expected a calendar date written YYYY-MM-DD"
                    ))
                })?;
                check_stored_year(date.0)
                    .map_err(|why| E::custom(format!("invalid date {text:?}: {why}")))?;
                Ok(date)
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

/// An instant written in RFC 3339 with its UTC offset (`2026-11-27T14:00:00-08:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub DateTime<FixedOffset>);

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Time, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = Time;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time in RFC 3339 with an offset, e.g. \"2026-11-27T14:00:00-08:00\"")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Time, E> {
                let at = DateTime::parse_from_rfc3339(text).map_err(|err| {
                    E::custom(format!(
                        "invalid time {text:?} ({err}): expected RFC 3339 with a UTC offset, \
                         e.g. 2026-11-27T14:00:00-08:00"
                    ))
                })?;
                check_stored_year(at.date_naive())
                    .map_err(|why| E::custom(format!("invalid time {text:?}: {why}")))?;
                Ok(Time(at))
            }
        }
        deserializer.deserialize_str(TimeVisitor)
    }
}

/// An amount of money, written as a JSON string (`"45.00"`): a JSON number would go through a
/// float on its way here, and money never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money(pub Decimal);

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Money, D::Error> {
        struct MoneyVisitor;
        const NOT_A_NUMBER: &str = "money must be a JSON string such as \"45.00\", not a JSON \
                                    number (a number would be read as a float)";
        impl Visitor<'_> for MoneyVisitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount written as a JSON string, e.g. \"45.00\"")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Money, E> {
                let digits = text.strip_prefix('-').unwrap_or(text);
                let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
                let plain = !whole.is_empty()
                    && !fraction.is_empty()
                    && whole.bytes().all(|b| b.is_ascii_digit())
                    && fraction.bytes().all(|b| b.is_ascii_digit());
                plain
                    .then(|| Decimal::from_str(text).ok())
                    .flatten()
                    .map(Money)
                    .ok_or_else(|| {
                        E::custom(format!(
                            "invalid amount {text:?}: expected a decimal such as \"45.00\""
                        ))
                    })
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Money, E> {
                Err(E::custom(NOT_A_NUMBER))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Money, E> {
                Err(E::custom(NOT_A_NUMBER))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Money, E> {
                Err(E::custom(NOT_A_NUMBER))
            }
        }
        deserializer.deserialize_any(MoneyVisitor)
    }
}

/// `$.members[2].birth_date` from serde_path_to_error's path.
fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("$");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => push_key(&mut out, key),
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

/// `.name` for a plain key, `["odd key"]` otherwise.
fn push_key(path: &mut String, key: &str) {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        path.push('.');
        path.push_str(key);
    } else {
        path.push_str(&format!("[{}]", serde_json::Value::from(key)));
    }
}

fn parse_error(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = json_path(err.path());
    json_error(&path, err.inner())
}

/// A serde_json error at `path` as an exit-10 error carrying the line and column.
fn json_error(path: &str, err: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let (line, column) = (err.line(), err.column());
    let full = err.to_string();
    let message = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full)
        .to_owned();
    let error = match err.classify() {
        Category::Io => {
            return Error::new(
                ExitKind::InvalidInput,
                format!("cannot read the document: {message}"),
            )
        }
        Category::Syntax | Category::Eof => Error::invalid(
            path,
            format!("not a valid JSON document: {message} at line {line}, column {column}"),
        ),
        Category::Data => match missing_field(&message) {
            // The path of the field itself, not of the object lacking it.
            Some(field) => {
                let mut at = path.to_owned();
                push_key(&mut at, field);
                Error::invalid(
                    at,
                    format!("missing required field (line {line}, column {column})"),
                )
            }
            None => Error::invalid(path, format!("{message} (line {line}, column {column})")),
        },
    };
    error.with("line", line).with("column", column)
}

/// serde's "missing field `x`" message names the field.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
}

/// One row the import did not change although the document asked for something else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    /// The JSON path of the row in the document.
    pub path: String,
    pub reason: String,
}

/// Rows of one section by what the import did to them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    /// Roster rows taken off a session (participants only).
    pub removed: i64,
}

/// The counts of a section written in batches add up.
impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, batch: Counts) {
        self.created += batch.created;
        self.updated += batch.updated;
        self.unchanged += batch.unchanged;
        self.removed += batch.removed;
    }
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    /// Every section present in the document, in report order.
    pub sections: Vec<(Section, Counts)>,
    pub kept: Vec<Kept>,
}

/// `{created: {section: n}, updated: {…}, unchanged: {…}, removed: {participants: n}, kept}`:
/// the shape of `import --json`, and of the import's audit entry.
impl Serialize for ImportOutcome {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;

        /// One number per section, as an object in section order.
        struct PerSection(Vec<(&'static str, i64)>);
        impl Serialize for PerSection {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (section, n) in &self.0 {
                    map.serialize_entry(section, n)?;
                }
                map.end()
            }
        }
        let by = |pick: fn(&Counts) -> i64, only: Option<Section>| {
            PerSection(
                self.sections
                    .iter()
                    .filter(|(section, _)| only.is_none_or(|o| o == *section))
                    .map(|(section, counts)| (section.name(), pick(counts)))
                    .collect(),
            )
        };
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("created", &by(|c| c.created, None))?;
        map.serialize_entry("updated", &by(|c| c.updated, None))?;
        map.serialize_entry("unchanged", &by(|c| c.unchanged, None))?;
        // Roster rows taken off re-imported sessions: participants only.
        map.serialize_entry("removed", &by(|c| c.removed, Some(Section::Participants)))?;
        map.serialize_entry("kept", &self.kept)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document> {
        Document::from_reader(text.as_bytes())
    }

    fn field_of(err: &Error) -> &str {
        err.context["field"].as_str().unwrap()
    }

    #[test]
    fn type_errors_name_the_json_path() {
        let err = parse(
            r#"{"members": [{"mrn": "M1", "first_name": "A", "last_name": "B",
                            "birth_date": "2001-02-30", "sex": "F"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.kind, ExitKind::InvalidInput);
        assert_eq!(field_of(&err), "$.members[0].birth_date");
        assert!(
            err.message.contains("invalid date \"2001-02-30\""),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_and_missing_fields_name_the_field() {
        let err =
            parse(r#"{"group_types": [{"code": "A", "name": "x", "nmae": "y"}]}"#).unwrap_err();
        assert_eq!(field_of(&err), "$.group_types[0].nmae");
        assert!(err.message.contains("unknown field"), "{}", err.message);

        let err = parse(r#"{"group_types": [{"code": "A"}]}"#).unwrap_err();
        assert_eq!(field_of(&err), "$.group_types[0].name");
        assert!(
            err.message.contains("missing required field"),
            "{}",
            err.message
        );

        let err = parse(r#"{"group_typez": []}"#).unwrap_err();
        assert_eq!(field_of(&err), "$.group_typez");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse("{\"payers\": [\n  {\"code\": }\n]}").unwrap_err();
        assert_eq!(err.kind, ExitKind::InvalidInput);
        assert!(err.message.contains("line 2, column"), "{}", err.message);
        assert_eq!(err.context["line"], 2);
        let err = parse("{} x").unwrap_err();
        assert!(
            err.message.contains("not a valid JSON document"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_an_array_is_not_a_document() {
        let doc = parse("\u{feff}{\"payers\": []}").unwrap();
        assert_eq!(doc.sections(), vec![Section::Payers]);
        let err = parse("  [null]").unwrap_err();
        assert_eq!(field_of(&err), "$");
    }

    #[test]
    fn money_is_a_string_and_never_a_float() {
        let band = |rate: &str| {
            parse(&format!(
                r#"{{"size_bands": [{{"payer": "P", "state": "OR", "min": 1, "max": 2,
                    "procedure_code": "90853", "rate": {rate}}}]}}"#
            ))
        };
        let doc = band("\"45.10\"").unwrap();
        assert_eq!(doc.size_bands.unwrap()[0].rate.0, Decimal::new(4510, 2));
        let err = band("45.1").unwrap_err();
        assert_eq!(field_of(&err), "$.size_bands[0].rate");
        assert!(err.message.contains("JSON string"), "{}", err.message);
        for bad in [
            "\"4e1\"",
            "\"\"",
            "\"1.\"",
            "\".5\"",
            "\"1_000\"",
            "\"abc\"",
        ] {
            assert!(band(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_and_times_are_strict() {
        assert!(Date::parse("2026-01-31").is_some());
        for bad in [
            "2026-1-31",
            "2026-02-30",
            "26-01-31",
            "2026-01-31T00:00:00",
            "+2026-01-3",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        let session = |at: &str| {
            parse(&format!(
                r#"{{"sessions": [{{"external_id": "X", "facility": "F", "group_type": "G",
                    "starts_at": "{at}", "ends_at": "2026-11-27T15:30:00-08:00", "participants": []}}]}}"#
            ))
        };
        assert!(session("2026-11-27T14:00:00-08:00").is_ok());
        let err = session("2026-11-27T14:00:00").unwrap_err();
        assert_eq!(field_of(&err), "$.sessions[0].starts_at");
        assert!(err.message.contains("offset"), "{}", err.message);
    }

    #[test]
    fn sections_present_are_reported_in_order_with_participants_after_sessions() {
        let doc = parse(r#"{"sessions": [], "payers": []}"#).unwrap();
        assert_eq!(
            doc.sections(),
            vec![Section::Payers, Section::Sessions, Section::Participants]
        );
        assert_eq!(parse("{}").unwrap().sections(), vec![]);
    }
}
