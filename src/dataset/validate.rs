//! Pure validation of an import document (no I/O): the database's answer to "which of these
//! keys do you already hold" comes in as [`Known`], asked for by [`outside_references`].
//!
//! Checks run in document order — sections in [`Section`](super::Section) order, rows in list
//! order, fields in declaration order — and the first problem is the error, named by its
//! JSON path: `$.sessions[3].participants[1]: unknown member "M999"` (exit 10). A few values
//! are normalised first (diagnosis codes lose their dot, codes are upper-cased); a value that
//! does not normalise is left as written, so the error quotes it.

use super::{
    Address, CoverageEntry, Date, Document, Facility, Member, Payer, Session, SizeBandEntry,
    StaffAssignment, Subscriber, SupervisionRuleEntry, Text, User,
};
use crate::error::{Error, Result};
use crate::rules::limits::check_roster_size;
use crate::rules::money::check_rate;
use crate::rules::npi::{check_npi, NpiError};
use crate::rules::x12::{
    self, check_diagnosis_code, check_filing_indicator, check_modifier, check_place_of_service,
    check_procedure_code, check_storable, check_zip, normal_diagnosis_code, MAX_DIAGNOSIS_CODES,
    MAX_MODIFIERS,
};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::fmt::Display;

/// Keys the document refers to without defining them: the database must already hold them.
/// Each list is deduplicated.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outside<'a> {
    pub facilities: Vec<&'a str>,
    pub payers: Vec<&'a str>,
    pub group_types: Vec<&'a str>,
    pub members: Vec<&'a str>,
    pub providers: Vec<&'a str>,
    /// The payers of the document's bands: their bands in the database are checked for
    /// overlap with the document's.
    pub band_payers: Vec<&'a str>,
}

/// What the database holds of the keys in [`Outside`].
#[derive(Debug, Default)]
pub struct Known {
    pub facilities: HashSet<String>,
    pub payers: HashSet<String>,
    pub group_types: HashSet<String>,
    pub members: HashSet<String>,
    pub providers: HashSet<String>,
    /// Bands of `Outside::band_payers`.
    pub bands: Vec<ExistingBand>,
}

/// A size band already in the database, by codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingBand {
    pub id: i64,
    pub payer: String,
    pub state: String,
    pub group_type: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub min: i64,
    pub max: i64,
}

/// The references of `document` that it does not define itself.
pub fn outside_references(document: &Document) -> Outside<'_> {
    fn keys<'a, T: 'a>(
        rows: &'a Option<Vec<T>>,
        key: impl Fn(&'a T) -> &'a str,
    ) -> HashSet<&'a str> {
        rows.iter().flatten().map(key).collect()
    }
    fn outside<'a>(
        refs: impl Iterator<Item = &'a str>,
        defined: &HashSet<&'a str>,
    ) -> Vec<&'a str> {
        let mut seen = HashSet::new();
        // A key holding U+0000 cannot be in the database (nor be asked about): validation
        // reports it as unknown, by its path.
        refs.filter(|key| !defined.contains(key) && !key.contains('\0') && seen.insert(*key))
            .collect()
    }
    let facilities = keys(&document.facilities, |f| f.code.as_str());
    let payers = keys(&document.payers, |p| p.code.as_str());
    let group_types = keys(&document.group_types, |g| g.code.as_str());
    let members = keys(&document.members, |m| m.mrn.as_str());
    let providers = keys(&document.providers, |p| p.npi.as_str());

    let users = document.users.iter().flatten();
    let coverages = document.coverages.iter().flatten();
    let assignments = document.staff_assignments.iter().flatten();
    let rules = document.supervision_rules.iter().flatten();
    let bands = document.size_bands.iter().flatten();
    let sessions = document.sessions.iter().flatten();

    Outside {
        facilities: outside(
            users
                .filter_map(|u| u.home_facility.as_deref())
                .chain(sessions.clone().map(|s| s.facility.as_str())),
            &facilities,
        ),
        payers: outside(
            coverages
                .clone()
                .map(|c| c.payer.as_str())
                .chain(rules.clone().map(|r| r.payer.as_str()))
                .chain(bands.clone().map(|b| b.payer.as_str())),
            &payers,
        ),
        group_types: outside(
            rules
                .filter_map(|r| r.group_type.as_deref())
                .chain(bands.clone().filter_map(|b| b.group_type.as_deref()))
                .chain(sessions.clone().map(|s| s.group_type.as_str())),
            &group_types,
        ),
        members: outside(
            coverages
                .map(|c| c.member.as_str())
                .chain(assignments.clone().map(|a| a.member.as_str()))
                .chain(sessions.flat_map(|s| s.participants.iter().map(Text::as_str))),
            &members,
        ),
        providers: outside(assignments.map(|a| a.provider.as_str()), &providers),
        band_payers: outside(bands.map(|b| b.payer.as_str()), &HashSet::new()),
    }
}

/// Normalise, then check the whole document against what the database holds.
pub fn validate(document: &mut Document, known: &Known) -> Result<()> {
    normalize(document);
    Checker::new(document, known).run()
}

/// Diagnosis codes without the dot, upper case; procedure codes and modifiers upper case —
/// only where the result is valid, so an invalid value is reported as written.
fn normalize(document: &mut Document) {
    for member in document.members.iter_mut().flatten() {
        for code in member.diagnosis_codes.iter_mut().flatten() {
            if let Some(normal) = normal_diagnosis_code(code) {
                *code = normal.into();
            }
        }
    }
    for band in document.size_bands.iter_mut().flatten() {
        band.procedure_code.make_ascii_uppercase();
        for modifier in band.modifiers.iter_mut().flatten() {
            modifier.make_ascii_uppercase();
        }
    }
}

type Check = std::result::Result<(), String>;

/// Attach the path (built only on failure) to a value check.
fn at(check: Check, path: impl FnOnce() -> String) -> Result<()> {
    check.map_err(|message| Error::invalid(path(), message))
}

fn fail(path: String, message: impl Display) -> Result<()> {
    Err(Error::invalid(path, message))
}

fn text(value: &str) -> Check {
    if value.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        storable_in_postgres(value)
    }
}

/// PostgreSQL text cannot hold U+0000 (JSON can, as `\u0000`): refused here, by its path,
/// rather than by the database for the whole section.
fn storable_in_postgres(value: &str) -> Check {
    if value.contains('\0') {
        Err(format!("{value:?} contains U+0000, which cannot be stored"))
    } else {
        Ok(())
    }
}

/// Required text that goes into a claim: not empty, and storable in its X12 element.
fn claim_text(value: &str, rule: x12::ElementRule) -> Check {
    text(value)?;
    check_storable(value, rule)
}

fn optional_claim_text(value: &Option<Text>, rule: x12::ElementRule) -> Check {
    optional_text(value)?;
    value.as_deref().map_or(Ok(()), |v| check_storable(v, rule))
}

fn optional_text(value: &Option<Text>) -> Check {
    match value {
        Some(v) if v.trim().is_empty() => {
            Err("must not be empty (leave it out, or null, for none)".into())
        }
        Some(v) => storable_in_postgres(v),
        None => Ok(()),
    }
}

fn state(value: &str) -> Check {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "invalid state {value:?}: expected two upper-case letters, e.g. \"OR\""
        ))
    }
}

fn timezone(value: &str) -> Check {
    value
        .parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| format!("unknown IANA time zone {value:?} (e.g. \"America/Los_Angeles\")"))
}

fn npi(value: &str) -> Check {
    check_npi(value).map_err(|err| match err {
        NpiError::NotTenDigits(_) => format!("invalid NPI {value:?}: not 10 digits"),
        err @ NpiError::CheckDigit { .. } => format!("invalid NPI {value:?}: {err}"),
    })
}

/// A check of an optional value: absent is fine.
fn optional(value: &Option<Text>, check: fn(&str) -> Check) -> Check {
    value.as_deref().map_or(Ok(()), check)
}

fn sex(value: &str) -> Check {
    if matches!(value, "F" | "M" | "U") {
        Ok(())
    } else {
        Err(format!("invalid sex {value:?}: expected F, M or U"))
    }
}

fn int(value: i64, min: i64, what: &str) -> Check {
    if value < min {
        Err(format!("{what} must be ≥ {min}, not {value}"))
    } else if value > i64::from(i32::MAX) {
        Err(format!("{what} {value} is too large"))
    } else {
        Ok(())
    }
}

fn date_order(start: Option<Date>, end: Option<Date>) -> Check {
    match (start, end) {
        (Some(start), Some(end)) if end < start => {
            Err(format!("end {end} is before start {start}"))
        }
        _ => Ok(()),
    }
}

fn role(value: &str) -> Check {
    let valid = value.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && value.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid role {value:?}: expected upper-case letters and underscores, e.g. SUPERVISING"
        ))
    }
}

/// The first place a key was seen, or an error naming both places.
fn first<K: std::hash::Hash + Eq>(
    seen: &mut HashMap<K, usize>,
    key: K,
    index: usize,
) -> Option<usize> {
    match seen.get(&key) {
        Some(&earlier) => Some(earlier),
        None => {
            seen.insert(key, index);
            None
        }
    }
}

type RuleKey<'a> = (&'a str, &'a str, Option<&'a str>, Option<Date>);
type BandKey<'a> = (&'a str, &'a str, Option<&'a str>, Option<Date>, i64);
type BandGroup<'a> = (&'a str, &'a str, Option<&'a str>);
/// A band's natural key as the database stores it.
type StoredBandKey<'a> = (&'a str, &'a str, Option<&'a str>, Option<NaiveDate>, i64);

/// One pass over the document, remembering the keys it defines.
struct Checker<'a> {
    document: &'a Document,
    known: &'a Known,
    facilities: HashMap<&'a str, usize>,
    payers: HashMap<&'a str, usize>,
    group_types: HashMap<&'a str, usize>,
    members: HashMap<&'a str, usize>,
    providers: HashMap<&'a str, usize>,
    users: HashMap<&'a str, usize>,
    coverages: HashMap<(&'a str, &'a str, i64, Date), usize>,
    assignments: HashMap<(&'a str, &'a str, &'a str, Option<Date>), usize>,
    rules: HashMap<RuleKey<'a>, usize>,
    bands: HashMap<BandKey<'a>, usize>,
    /// Earlier valid bands of the document, by (payer, state, group type).
    band_groups: HashMap<BandGroup<'a>, Vec<usize>>,
    /// The database's bands by group, less those the document replaces (same natural key).
    existing_bands: HashMap<BandGroup<'a>, Vec<&'a ExistingBand>>,
    sessions: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> Checker<'a> {
    fn new(document: &'a Document, known: &'a Known) -> Checker<'a> {
        let replaced: HashSet<StoredBandKey> = document
            .size_bands
            .iter()
            .flatten()
            .map(|b| {
                (
                    b.payer.as_str(),
                    b.state.as_str(),
                    b.group_type.as_deref(),
                    b.start.map(|d| d.0),
                    b.min,
                )
            })
            .collect();
        let mut existing_bands: HashMap<BandGroup<'a>, Vec<&'a ExistingBand>> = HashMap::new();
        for band in &known.bands {
            let key = (
                band.payer.as_str(),
                band.state.as_str(),
                band.group_type.as_deref(),
                band.start,
                band.min,
            );
            if !replaced.contains(&key) {
                existing_bands
                    .entry((key.0, key.1, key.2))
                    .or_default()
                    .push(band);
            }
        }
        Checker {
            document,
            known,
            facilities: HashMap::new(),
            payers: HashMap::new(),
            group_types: HashMap::new(),
            members: HashMap::new(),
            providers: HashMap::new(),
            users: HashMap::new(),
            coverages: HashMap::new(),
            assignments: HashMap::new(),
            rules: HashMap::new(),
            bands: HashMap::new(),
            band_groups: HashMap::new(),
            existing_bands,
            sessions: HashMap::new(),
        }
    }

    fn run(mut self) -> Result<()> {
        let document = self.document;
        for (i, row) in document.facilities.iter().flatten().enumerate() {
            self.facility(i, row)?;
        }
        for (i, row) in document.payers.iter().flatten().enumerate() {
            self.payer(i, row)?;
        }
        for (i, row) in document.group_types.iter().flatten().enumerate() {
            let path = |field: &str| format!("$.group_types[{i}].{field}");
            at(text(&row.code), || path("code"))?;
            if let Some(earlier) = first(&mut self.group_types, row.code.as_str(), i) {
                return duplicate(
                    path("code"),
                    "group type code",
                    &row.code,
                    "group_types",
                    earlier,
                );
            }
            at(text(&row.name), || path("name"))?;
        }
        for (i, row) in document.members.iter().flatten().enumerate() {
            self.member(i, row)?;
        }
        for (i, row) in document.providers.iter().flatten().enumerate() {
            let path = |field: &str| format!("$.providers[{i}].{field}");
            at(npi(&row.npi), || path("npi"))?;
            if let Some(earlier) = first(&mut self.providers, row.npi.as_str(), i) {
                return duplicate(path("npi"), "provider NPI", &row.npi, "providers", earlier);
            }
            at(claim_text(&row.first_name, x12::FIRST_NAME), || {
                path("first_name")
            })?;
            at(claim_text(&row.last_name, x12::LAST_NAME), || {
                path("last_name")
            })?;
        }
        for (i, row) in document.users.iter().flatten().enumerate() {
            self.user(i, row)?;
        }
        for (i, row) in document.coverages.iter().flatten().enumerate() {
            self.coverage(i, row)?;
        }
        for (i, row) in document.staff_assignments.iter().flatten().enumerate() {
            self.assignment(i, row)?;
        }
        for (i, row) in document.supervision_rules.iter().flatten().enumerate() {
            self.rule(i, row)?;
        }
        for (i, row) in document.size_bands.iter().flatten().enumerate() {
            self.band(i, row)?;
        }
        for (i, row) in document.sessions.iter().flatten().enumerate() {
            self.session(i, row)?;
        }
        Ok(())
    }

    fn facility(&mut self, i: usize, row: &'a Facility) -> Result<()> {
        let path = |field: &str| format!("$.facilities[{i}].{field}");
        at(text(&row.code), || path("code"))?;
        if let Some(earlier) = first(&mut self.facilities, row.code.as_str(), i) {
            return duplicate(
                path("code"),
                "facility code",
                &row.code,
                "facilities",
                earlier,
            );
        }
        at(claim_text(&row.name, x12::ORGANIZATION_NAME), || {
            path("name")
        })?;
        at(state(&row.state), || path("state"))?;
        at(timezone(&row.timezone), || path("timezone"))?;
        at(npi(&row.npi), || path("npi"))?;
        at(text(&row.tax_id), || path("tax_id"))?;
        at(optional_text(&row.taxonomy), || path("taxonomy"))?;
        at(optional_text(&row.phone), || path("phone"))?;
        at(
            optional(&row.place_of_service, check_place_of_service),
            || path("place_of_service"),
        )?;
        at(
            optional_claim_text(&row.submitter_id, x12::SUBMITTER_ID),
            || path("submitter_id"),
        )?;
        address(
            &row.address,
            &path("address"),
            &[9],
            "a facility's ZIP is ZIP+4: 9 digits",
        )
    }

    fn payer(&mut self, i: usize, row: &'a Payer) -> Result<()> {
        let path = |field: &str| format!("$.payers[{i}].{field}");
        at(text(&row.code), || path("code"))?;
        if let Some(earlier) = first(&mut self.payers, row.code.as_str(), i) {
            return duplicate(path("code"), "payer code", &row.code, "payers", earlier);
        }
        at(claim_text(&row.name, x12::ORGANIZATION_NAME), || {
            path("name")
        })?;
        at(claim_text(&row.payer_id, x12::PAYER_ID), || {
            path("payer_id")
        })?;
        at(
            optional_claim_text(&row.receiver_id, x12::RECEIVER_ID),
            || path("receiver_id"),
        )?;
        if let Some(code) = &row.filing_indicator {
            at(check_filing_indicator(code), || path("filing_indicator"))?;
        }
        Ok(())
    }

    fn member(&mut self, i: usize, row: &'a Member) -> Result<()> {
        let path = |field: &str| format!("$.members[{i}].{field}");
        at(text(&row.mrn), || path("mrn"))?;
        if let Some(earlier) = first(&mut self.members, row.mrn.as_str(), i) {
            return duplicate(path("mrn"), "member MRN", &row.mrn, "members", earlier);
        }
        at(claim_text(&row.first_name, x12::FIRST_NAME), || {
            path("first_name")
        })?;
        at(claim_text(&row.last_name, x12::LAST_NAME), || {
            path("last_name")
        })?;
        at(sex(&row.sex), || path("sex"))?;
        if let Some(codes) = &row.diagnosis_codes {
            let mut seen = HashMap::new();
            for (k, code) in codes.iter().enumerate() {
                let code_path = || format!("$.members[{i}].diagnosis_codes[{k}]");
                at(check_diagnosis_code(code), code_path)?;
                if let Some(earlier) = first(&mut seen, code.as_str(), k) {
                    return fail(
                        code_path(),
                        format!("diagnosis code {code} is listed twice (also at [{earlier}])"),
                    );
                }
            }
            if codes.len() > MAX_DIAGNOSIS_CODES {
                return fail(
                    path("diagnosis_codes"),
                    format!(
                        "{} diagnosis codes: at most {MAX_DIAGNOSIS_CODES} (the 837P HI segment \
                         holds {MAX_DIAGNOSIS_CODES})",
                        codes.len()
                    ),
                );
            }
        }
        if let Some(addr) = &row.address {
            address(addr, &path("address"), &[5, 9], "expected 5 or 9 digits")?;
        }
        Ok(())
    }

    fn user(&mut self, i: usize, row: &'a User) -> Result<()> {
        let path = |field: &str| format!("$.users[{i}].{field}");
        at(text(&row.login), || path("login"))?;
        if let Some(earlier) = first(&mut self.users, row.login.as_str(), i) {
            return duplicate(path("login"), "login", &row.login, "users", earlier);
        }
        at(text(&row.name), || path("name"))?;
        if let Some(code) = &row.home_facility {
            self.facility_ref(code, || path("home_facility"))?;
        }
        Ok(())
    }

    fn coverage(&mut self, i: usize, row: &'a CoverageEntry) -> Result<()> {
        let path = |field: &str| format!("$.coverages[{i}].{field}");
        self.member_ref(&row.member, || path("member"))?;
        self.payer_ref(&row.payer, || path("payer"))?;
        at(int(row.priority, 1, "priority"), || path("priority"))?;
        at(
            optional_claim_text(&row.subscriber_id, x12::MEMBER_ID),
            || path("subscriber_id"),
        )?;
        at(date_order(Some(row.start), row.end), || path("end"))?;
        if let Some(subscriber) = &row.subscriber {
            self.subscriber(subscriber, &path("subscriber"))?;
        }
        let key = (
            row.member.as_str(),
            row.payer.as_str(),
            row.priority,
            row.start,
        );
        if let Some(earlier) = first(&mut self.coverages, key, i) {
            return fail(
                format!("$.coverages[{i}]"),
                format!(
                    "duplicate coverage (member {:?}, payer {:?}, priority {}, start {}): \
                     also at $.coverages[{earlier}]",
                    row.member, row.payer, row.priority, row.start
                ),
            );
        }
        Ok(())
    }

    fn subscriber(&self, row: &Subscriber, prefix: &str) -> Result<()> {
        let path = |field: &str| format!("{prefix}.{field}");
        if !matches!(row.relationship.as_str(), "child" | "spouse" | "other") {
            return fail(
                path("relationship"),
                format!(
                    "invalid relationship {:?}: expected child, spouse or other",
                    row.relationship
                ),
            );
        }
        at(claim_text(&row.first_name, x12::FIRST_NAME), || {
            path("first_name")
        })?;
        at(claim_text(&row.last_name, x12::LAST_NAME), || {
            path("last_name")
        })?;
        at(sex(&row.sex), || path("sex"))
    }

    fn assignment(&mut self, i: usize, row: &'a StaffAssignment) -> Result<()> {
        let path = |field: &str| format!("$.staff_assignments[{i}].{field}");
        self.provider_ref(&row.provider, || path("provider"))?;
        self.member_ref(&row.member, || path("member"))?;
        at(role(&row.role), || path("role"))?;
        at(date_order(row.start, row.end), || path("end"))?;
        let key = (
            row.provider.as_str(),
            row.member.as_str(),
            row.role.as_str(),
            row.start,
        );
        if let Some(earlier) = first(&mut self.assignments, key, i) {
            return fail(
                format!("$.staff_assignments[{i}]"),
                format!(
                    "duplicate assignment (provider {}, member {:?}, role {}, start {}): also at \
                     $.staff_assignments[{earlier}]",
                    row.provider,
                    row.member,
                    row.role,
                    show_start(row.start)
                ),
            );
        }
        Ok(())
    }

    fn rule(&mut self, i: usize, row: &'a SupervisionRuleEntry) -> Result<()> {
        let path = |field: &str| format!("$.supervision_rules[{i}].{field}");
        self.payer_ref(&row.payer, || path("payer"))?;
        at(state(&row.state), || path("state"))?;
        if let Some(code) = &row.group_type {
            self.group_type_ref(code, || path("group_type"))?;
        }
        at(int(row.max_per_supervisor, 1, "max_per_supervisor"), || {
            path("max_per_supervisor")
        })?;
        at(date_order(row.start, row.end), || path("end"))?;
        let key = (
            row.payer.as_str(),
            row.state.as_str(),
            row.group_type.as_deref(),
            row.start,
        );
        if let Some(earlier) = first(&mut self.rules, key, i) {
            return fail(
                format!("$.supervision_rules[{i}]"),
                format!(
                    "duplicate supervision rule ({}): also at $.supervision_rules[{earlier}]",
                    describe_scope(&row.payer, &row.state, row.group_type.as_deref(), row.start)
                ),
            );
        }
        Ok(())
    }

    fn band(&mut self, i: usize, row: &'a SizeBandEntry) -> Result<()> {
        let path = |field: &str| format!("$.size_bands[{i}].{field}");
        self.payer_ref(&row.payer, || path("payer"))?;
        at(state(&row.state), || path("state"))?;
        if let Some(code) = &row.group_type {
            self.group_type_ref(code, || path("group_type"))?;
        }
        at(int(row.min, 1, "min"), || path("min"))?;
        at(int(row.max, 1, "max"), || path("max"))?;
        if row.min > row.max {
            return fail(
                format!("$.size_bands[{i}]"),
                format!("inverted band: min {} > max {}", row.min, row.max),
            );
        }
        at(check_procedure_code(&row.procedure_code), || {
            path("procedure_code")
        })?;
        if let Some(modifiers) = &row.modifiers {
            for (k, value) in modifiers.iter().enumerate() {
                at(check_modifier(value), || {
                    format!("$.size_bands[{i}].modifiers[{k}]")
                })?;
            }
            if modifiers.len() > MAX_MODIFIERS {
                return fail(
                    path("modifiers"),
                    format!("{} modifiers: at most {MAX_MODIFIERS}", modifiers.len()),
                );
            }
        }
        at(check_rate(row.rate.0), || path("rate"))?;
        if let Some(minutes) = row.unit_minutes {
            at(int(minutes, 1, "unit_minutes"), || path("unit_minutes"))?;
        }
        at(date_order(row.start, row.end), || path("end"))?;

        let group = (
            row.payer.as_str(),
            row.state.as_str(),
            row.group_type.as_deref(),
        );
        let key = (group.0, group.1, group.2, row.start, row.min);
        if let Some(earlier) = first(&mut self.bands, key, i) {
            return fail(
                format!("$.size_bands[{i}]"),
                format!(
                    "duplicate size band ({}, min {}): also at $.size_bands[{earlier}]",
                    describe_scope(&row.payer, &row.state, row.group_type.as_deref(), row.start),
                    row.min
                ),
            );
        }
        let span = BandSpan::of(row);
        let bands = self.document.size_bands.as_deref().unwrap_or_default();
        for &j in self.band_groups.get(&group).into_iter().flatten() {
            let other = BandSpan::of(&bands[j]);
            if span.overlaps(&other) {
                return fail(
                    format!("$.size_bands[{i}]"),
                    format!(
                        "overlaps $.size_bands[{j}] ({}): {} and {}",
                        describe_scope(&row.payer, &row.state, row.group_type.as_deref(), None),
                        span,
                        other
                    ),
                );
            }
        }
        for existing in self.existing_bands.get(&group).into_iter().flatten() {
            let other = BandSpan {
                min: existing.min,
                max: existing.max,
                start: existing.start,
                end: existing.end,
            };
            if span.overlaps(&other) {
                return fail(
                    format!("$.size_bands[{i}]"),
                    format!(
                        "overlaps size band {} already in the database ({}): {} and {}",
                        existing.id,
                        describe_scope(&row.payer, &row.state, row.group_type.as_deref(), None),
                        span,
                        other
                    ),
                );
            }
        }
        self.band_groups.entry(group).or_default().push(i);
        Ok(())
    }

    fn session(&mut self, i: usize, row: &'a Session) -> Result<()> {
        let path = |field: &str| format!("$.sessions[{i}].{field}");
        let external_id = match &row.external_id {
            None => {
                return fail(
                    path("external_id"),
                    "missing required field: the external id is the session's natural key \
                     (without it a re-import would duplicate the session)",
                )
            }
            Some(id) => id,
        };
        at(text(external_id), || path("external_id"))?;
        self.facility_ref(&row.facility, || path("facility"))?;
        self.group_type_ref(&row.group_type, || path("group_type"))?;
        if row.ends_at <= row.starts_at {
            return fail(
                path("ends_at"),
                format!(
                    "ends_at {} is not after starts_at {}",
                    row.ends_at, row.starts_at
                ),
            );
        }
        at(
            optional(&row.place_of_service, check_place_of_service),
            || path("place_of_service"),
        )?;
        at(check_roster_size(row.participants.len()), || {
            path("participants")
        })?;
        let mut seen = HashMap::new();
        for (k, mrn) in row.participants.iter().enumerate() {
            let participant = || format!("$.sessions[{i}].participants[{k}]");
            self.member_ref(mrn, participant)?;
            if let Some(earlier) = first(&mut seen, mrn.as_str(), k) {
                return fail(
                    participant(),
                    format!("member {mrn:?} is listed twice (also at participants[{earlier}])"),
                );
            }
        }
        let key = (row.facility.as_str(), external_id.as_str());
        if let Some(earlier) = first(&mut self.sessions, key, i) {
            return fail(
                path("external_id"),
                format!(
                    "duplicate session {external_id:?} at facility {:?}: also at $.sessions[{earlier}]",
                    row.facility
                ),
            );
        }
        Ok(())
    }

    fn facility_ref(&self, code: &str, path: impl FnOnce() -> String) -> Result<()> {
        reference(
            self.facilities.contains_key(code) || self.known.facilities.contains(code),
            "facility",
            code,
            path,
        )
    }

    fn payer_ref(&self, code: &str, path: impl FnOnce() -> String) -> Result<()> {
        reference(
            self.payers.contains_key(code) || self.known.payers.contains(code),
            "payer",
            code,
            path,
        )
    }

    fn group_type_ref(&self, code: &str, path: impl FnOnce() -> String) -> Result<()> {
        reference(
            self.group_types.contains_key(code) || self.known.group_types.contains(code),
            "group type",
            code,
            path,
        )
    }

    fn member_ref(&self, mrn: &str, path: impl FnOnce() -> String) -> Result<()> {
        reference(
            self.members.contains_key(mrn) || self.known.members.contains(mrn),
            "member",
            mrn,
            path,
        )
    }

    fn provider_ref(&self, npi: &str, path: impl FnOnce() -> String) -> Result<()> {
        reference(
            self.providers.contains_key(npi) || self.known.providers.contains(npi),
            "provider",
            npi,
            path,
        )
    }
}

fn reference(found: bool, kind: &str, key: &str, path: impl FnOnce() -> String) -> Result<()> {
    if found {
        Ok(())
    } else {
        fail(
            path(),
            format!("unknown {kind} {key:?} (neither in the document nor in the database)"),
        )
    }
}

fn duplicate(path: String, what: &str, key: &str, section: &str, earlier: usize) -> Result<()> {
    fail(
        path,
        format!("duplicate {what} {key:?}: also at $.{section}[{earlier}]"),
    )
}

fn address(row: &Address, prefix: &str, zip_lengths: &[usize], zip_rule: &str) -> Result<()> {
    let path = |field: &str| format!("{prefix}.{field}");
    at(claim_text(&row.line1, x12::ADDRESS_LINE), || path("line1"))?;
    at(optional_claim_text(&row.line2, x12::ADDRESS_LINE), || {
        path("line2")
    })?;
    at(claim_text(&row.city, x12::CITY), || path("city"))?;
    at(state(&row.state), || path("state"))?;
    at(check_zip(&row.zip, zip_lengths, zip_rule), || path("zip"))
}

fn show_start(start: Option<Date>) -> String {
    start.map_or_else(|| "none".to_owned(), |d| d.to_string())
}

fn describe_scope(
    payer: &str,
    state: &str,
    group_type: Option<&str>,
    start: Option<Date>,
) -> String {
    let group_type =
        group_type.map_or_else(|| "no group type".to_owned(), |g| format!("group type {g}"));
    match start {
        Some(start) => format!("payer {payer}, state {state}, {group_type}, start {start}"),
        None => format!("payer {payer}, state {state}, {group_type}"),
    }
}

/// A band's sizes and effective dates, for the overlap check (a missing start or end is
/// unbounded; both ends inclusive, as the database's exclusion constraint has them).
struct BandSpan {
    min: i64,
    max: i64,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
}

impl BandSpan {
    fn of(band: &SizeBandEntry) -> BandSpan {
        BandSpan {
            min: band.min,
            max: band.max,
            start: band.start.map(|d| d.0),
            end: band.end.map(|d| d.0),
        }
    }

    fn overlaps(&self, other: &BandSpan) -> bool {
        let before = |end: Option<NaiveDate>, start: Option<NaiveDate>| match (end, start) {
            (Some(end), Some(start)) => end < start,
            _ => false,
        };
        let dates = !before(self.end, other.start) && !before(other.end, self.start);
        let sizes = self.min <= other.max && other.min <= self.max;
        dates && sizes
    }
}

impl std::fmt::Display for BandSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let start = self
            .start
            .map_or_else(|| "the beginning".to_owned(), |d| d.to_string());
        let end = self
            .end
            .map_or_else(|| "open".to_owned(), |d| d.to_string());
        write!(f, "sizes {}–{} from {start} to {end}", self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitKind;

    fn doc(json: &str) -> Document {
        Document::from_reader(json.as_bytes()).expect("parses")
    }

    fn error_of(json: &str, known: &Known) -> (String, String) {
        let mut document = doc(json);
        let err = validate(&mut document, known).expect_err("invalid");
        assert_eq!(err.kind, ExitKind::InvalidInput);
        (
            err.context["field"].as_str().unwrap().to_owned(),
            err.message,
        )
    }

    #[test]
    fn outside_references_are_those_the_document_does_not_define() {
        let document = doc(
            r#"{"members": [{"mrn": "M1", "first_name": "A", "last_name": "B",
                             "birth_date": "2001-02-03", "sex": "F"}],
                "sessions": [{"external_id": "X", "facility": "F", "group_type": "G",
                              "starts_at": "2026-11-27T14:00:00-08:00",
                              "ends_at": "2026-11-27T15:00:00-08:00",
                              "participants": ["M1", "M2", "M2"]}]}"#,
        );
        let outside = outside_references(&document);
        assert_eq!(outside.members, vec!["M2"]);
        assert_eq!(outside.facilities, vec!["F"]);
        assert_eq!(outside.group_types, vec!["G"]);
        assert!(outside.payers.is_empty());
    }

    #[test]
    fn the_first_problem_in_document_order_is_reported() {
        let (field, message) = error_of(
            r#"{"sessions": [{"external_id": "X", "facility": "F", "group_type": "G",
                              "starts_at": "2026-11-27T14:00:00-08:00",
                              "ends_at": "2026-11-27T15:00:00-08:00",
                              "participants": ["M999"]}],
                "group_types": [{"code": "", "name": "x"}]}"#,
            &Known::default(),
        );
        assert_eq!(field, "$.group_types[0].code");
        assert!(message.contains("must not be empty"), "{message}");
    }

    #[test]
    fn bands_overlap_within_the_document_and_with_the_database_but_not_with_themselves() {
        let band = |min: i64, max: i64, start: &str| {
            format!(
                r#"{{"payer": "P", "state": "OR", "group_type": null, "min": {min}, "max": {max},
                    "procedure_code": "90853", "rate": "45.00", "start": {start}}}"#
            )
        };
        let mut known = Known::default();
        known.payers.insert("P".into());
        let (field, message) = error_of(
            &format!(
                r#"{{"size_bands": [{}, {}]}}"#,
                band(2, 4, "null"),
                band(4, 6, "\"2026-01-01\"")
            ),
            &known,
        );
        assert_eq!(field, "$.size_bands[1]");
        assert!(message.contains("overlaps $.size_bands[0]"), "{message}");

        known.bands.push(ExistingBand {
            id: 7,
            payer: "P".into(),
            state: "OR".into(),
            group_type: None,
            start: None,
            end: None,
            min: 2,
            max: 4,
        });
        // The same band again (same natural key) replaces itself: no overlap.
        let mut same = doc(&format!(r#"{{"size_bands": [{}]}}"#, band(2, 5, "null")));
        validate(&mut same, &known).expect("a re-import is not an overlap with itself");
        let (field, message) = error_of(
            &format!(r#"{{"size_bands": [{}]}}"#, band(3, 5, "\"2026-01-01\"")),
            &known,
        );
        assert_eq!(field, "$.size_bands[0]");
        assert!(
            message.contains("size band 7 already in the database"),
            "{message}"
        );
        // Disjoint sizes are fine.
        let mut disjoint = doc(&format!(r#"{{"size_bands": [{}]}}"#, band(5, 8, "null")));
        validate(&mut disjoint, &known).expect("no overlap");
    }
}
