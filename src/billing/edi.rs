//! The 837P (X12 005010X222A1) a billing run sends: one interchange (ISA…IEA) holding one
//! functional group and one transaction with every claim of the run, each claim in its own
//! subscriber level. The input is plain data the database side fills; the writer refuses
//! what a payer would reject but an X12 validator does not catch (the NPI check digit, units
//! below one, a frequency code other than 1, 7 or 8, a replacement or void without the
//! payer's claim number, lines that do not add up to the claim, a claim without lines or
//! diagnosis) and every value that does not fit its element (`rules::x12`). Each refusal
//! names the element and the claim, so a run can say exactly what to fix.
//!
//! Choices the implementation guide leaves to the sender: ISA05/ISA07 `ZZ`, no TA1 asked
//! for (ISA14 `0`), BHT03 the interchange control number, ST02 `0001`, the submitter contact
//! (PER) without a name (the guide sends PER02 only when it differs from NM103), every line
//! pointing at the principal diagnosis (SV107 `1`). When the member is not the subscriber,
//! the subscriber loop (2010BA) carries the name and member id only: the guide says its
//! address and demographics are sent only when the patient is the subscriber.

use super::x12::{join, Element, Segment, Value};
use crate::rules::check_npi;
use crate::rules::x12::{self as rules, check_element, normal_diagnosis_code, ElementRule};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// One interchange: one sender, one payer, one transaction with all the claims.
#[derive(Debug, Clone)]
pub struct Interchange {
    /// ISA13 (and IEA02), 1..=999 999 999, written zero-padded to 9 digits.
    pub interchange_control_number: u32,
    /// GS06 (and GE02), 1..=999 999 999.
    pub group_control_number: u32,
    /// ISA15: `P` for production, else `T` (test).
    pub production: bool,
    /// ISA09/ISA10, GS04/GS05, BHT04/BHT05.
    pub created_at: NaiveDateTime,
    /// The submitter (1000A) and the billing provider (2010AA).
    pub submitter: Facility,
    /// The receiver (1000B) and the payer of every claim (2010BB).
    pub payer: Payer,
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Facility {
    pub name: String,
    /// The billing provider's NPI (2010AA NM109), check digit verified.
    pub npi: String,
    /// The EIN, 9 digits (2010AA REF*EI); the sender id when `submitter_id` is absent.
    pub tax_id: String,
    /// PRV03, written only when present.
    pub taxonomy: Option<String>,
    /// 10 digits; required (1000A PER04).
    pub phone: Option<String>,
    /// ISA06/GS02/1000A NM109 when the clearinghouse assigned one; else the tax id.
    pub submitter_id: Option<String>,
    /// The billing provider's address: its ZIP must be ZIP+4 (9 digits).
    pub address: Address,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Payer {
    pub name: String,
    /// 2010BB NM109 (PI).
    pub payer_id: String,
    /// ISA08/GS03/1000B NM109 when it differs from the payer id (a clearinghouse).
    pub receiver_id: Option<String>,
    /// SBR09 claim filing indicator, e.g. `MC`, `CI`.
    pub filing_indicator: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    /// Two upper-case letters.
    pub state: String,
    /// 5 or 9 digits (9 for the billing provider).
    pub zip: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    /// `F`, `M` or `U`.
    pub sex: String,
}

/// The patient's relationship to the subscriber (PAT01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    /// `19`
    Child,
    /// `01`
    Spouse,
    /// `G8`
    Other,
}

impl Relationship {
    pub fn code(self) -> &'static str {
        match self {
            Relationship::Child => "19",
            Relationship::Spouse => "01",
            Relationship::Other => "G8",
        }
    }
}

/// The subscriber when it is someone other than the member (a parent, a spouse).
#[derive(Debug, Clone)]
pub struct OtherSubscriber {
    pub relationship: Relationship,
    /// The subscriber. Only the name is sent (see the module documentation).
    pub person: Person,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Provider {
    pub npi: String,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Line {
    /// CPT/HCPCS code, 5 characters.
    pub procedure_code: String,
    /// At most 4.
    pub modifiers: Vec<String>,
    /// SV102, the line's charge (not per unit).
    pub amount: Decimal,
    /// SV104, at least 1.
    pub units: u32,
}

#[derive(Debug, Clone)]
pub struct Claim {
    /// CLM01; a replacement or void keeps the number of the claim it replaces.
    pub claim_control_number: String,
    /// CLM05-3: `1` original, `7` replacement, `8` void.
    pub frequency_code: String,
    /// REF*F8 on a replacement or void: the payer's number of the claim replaced. Not
    /// written on an original.
    pub payer_claim_number: Option<String>,
    /// CLM02, the sum of the lines.
    pub amount: Decimal,
    /// CLM05-1, two digits.
    pub place_of_service: String,
    /// DTP*472 of every line.
    pub service_date: NaiveDate,
    /// ICD-10-CM, principal first, with or without the dot; at most 12.
    pub diagnosis_codes: Vec<String>,
    /// The subscriber's member id (2010BA NM109).
    pub subscriber_id: String,
    /// The patient.
    pub member: Person,
    /// Required when written: always, since the member is either the subscriber (2010BA) or
    /// the patient (2010CA).
    pub member_address: Option<Address>,
    /// `None`: the member is the subscriber (SBR02 `18`, no patient level). `Some`: the
    /// patient level (2000C) follows, with PAT01 from the relationship.
    pub subscriber: Option<OtherSubscriber>,
    /// 2310D, NPI check digit verified.
    pub supervising_provider: Option<Provider>,
    /// One 2400 loop each (LX, SV1, DTP*472), at most 50.
    pub lines: Vec<Line>,
}

/// What the writer refused: where (`claim CCN 1001`, `facility`, `payer`, `interchange`),
/// the element (`SV104`, `NM109`, `N3/N4`), and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{scope}: {element} {detail}")]
pub struct EdiError {
    pub scope: String,
    pub element: &'static str,
    pub detail: String,
}

/// The interchange as segments, ISA to IEA, with SE01 counted and the control numbers in
/// their trailers.
pub fn segments(interchange: &Interchange) -> Result<Vec<Segment>, EdiError> {
    Writer::new(interchange)?.write()
}

/// The interchange as X12 text.
pub fn render(interchange: &Interchange) -> Result<String, EdiError> {
    segments(interchange).map(|segments| join(&segments))
}

/// Service lines per claim (2400 repeats at most 50 times).
const MAX_LINES: usize = 50;
const MAX_CONTROL_NUMBER: u32 = 999_999_999;
const TRANSACTION_CONTROL_NUMBER: &str = "0001";
const VERSION: &str = "005010X222A1";
/// HI01-2 … HI12-2: the element of each diagnosis code by position.
const DIAGNOSIS_ELEMENTS: [&str; rules::MAX_DIAGNOSIS_CODES] = [
    "HI01-2", "HI02-2", "HI03-2", "HI04-2", "HI05-2", "HI06-2", "HI07-2", "HI08-2", "HI09-2",
    "HI10-2", "HI11-2", "HI12-2",
];

fn code(code: &'static str) -> Element {
    Element::code(code)
}

fn empty() -> Element {
    Element::empty()
}

fn composite(components: Vec<Value>) -> Element {
    Element::Composite(components)
}

/// Digits made by the writer (dates, times, counts) are always X12 text.
fn digits(text: String) -> Value {
    debug_assert!(text.bytes().all(|b| b.is_ascii_digit()), "{text}");
    Value::text(&text).unwrap_or_else(|_| unreachable!("digits are X12 text"))
}

/// A date as CCYYMMDD; refused unless its year has four digits.
fn ccyymmdd(
    date: NaiveDate,
    scope: &Scope,
    element: &'static str,
    field: &str,
) -> Result<Value, EdiError> {
    if !(1000..=9999).contains(&date.year()) {
        return Err(scope.fail(
            element,
            format!("{field} {date} does not have a four-digit year"),
        ));
    }
    Ok(digits(date.format("%Y%m%d").to_string()))
}

/// Where an error happened, and the checks that name it.
struct Scope(String);

impl Scope {
    fn fail(&self, element: &'static str, detail: impl Into<String>) -> EdiError {
        EdiError {
            scope: self.0.clone(),
            element,
            detail: detail.into(),
        }
    }

    /// Text folded to ASCII, then checked against its element's rule.
    fn text(&self, value: &str, rule: ElementRule, field: &str) -> Result<Value, EdiError> {
        let folded = super::x12::fold(value);
        check_element(&folded, rule, field).map_err(|e| self.fail(rule.element, e.to_string()))?;
        Value::text(&folded).map_err(|e| self.fail(rule.element, format!("{field} {e}")))
    }

    fn npi(&self, npi: &str, field: &str) -> Result<Value, EdiError> {
        check_npi(npi).map_err(|e| self.fail("NM109", format!("{field} {npi:?}: {e}")))?;
        Ok(digits(npi.to_owned()))
    }

    /// An X12 decimal: no trailing zeros (`45`, `45.5`, `112.25`), never negative, whole
    /// cents.
    fn amount(
        &self,
        amount: Decimal,
        element: &'static str,
        field: &str,
    ) -> Result<Value, EdiError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(self.fail(element, format!("{field} {amount} is negative")));
        }
        if amount.round_dp(2) != amount {
            return Err(self.fail(element, format!("{field} {amount} is not whole cents")));
        }
        let written = amount.abs().normalize().to_string();
        Value::text(&written).map_err(|e| self.fail(element, format!("{field} {e}")))
    }

    fn person_name(&self, person: &Person, role: &str) -> Result<(Value, Value), EdiError> {
        Ok((
            self.text(
                &person.last_name,
                rules::LAST_NAME,
                &format!("{role} last name"),
            )?,
            self.text(
                &person.first_name,
                rules::FIRST_NAME,
                &format!("{role} first name"),
            )?,
        ))
    }

    /// N3 and N4; `zip` is the rule for the ZIP (ZIP+4 for the billing provider).
    fn address(
        &self,
        address: &Address,
        zip: ElementRule,
        role: &str,
    ) -> Result<[Segment; 2], EdiError> {
        let line1 = self.text(
            &address.line1,
            rules::ADDRESS_LINE,
            &format!("{role} address line 1"),
        )?;
        let line2 = match present(&address.line2) {
            Some(line2) => self
                .text(line2, N302, &format!("{role} address line 2"))?
                .into(),
            None => empty(),
        };
        let city = self.text(&address.city, rules::CITY, &format!("{role} city"))?;
        let state = self.text(&address.state, rules::STATE, &format!("{role} state"))?;
        let zip = self.text(&address.zip, zip, &format!("{role} ZIP"))?;
        Ok([
            Segment::new("N3", vec![line1.into(), line2]),
            Segment::new("N4", vec![city.into(), state.into(), zip.into()]),
        ])
    }

    fn demographics(&self, person: &Person, role: &str) -> Result<Segment, EdiError> {
        let sex = self.text(&person.sex, rules::SEX, &format!("{role} sex"))?;
        Ok(Segment::new(
            "DMG",
            vec![
                code("D8"),
                ccyymmdd(
                    person.birth_date,
                    self,
                    "DMG02",
                    &format!("{role} birth date"),
                )?
                .into(),
                sex.into(),
            ],
        ))
    }
}

/// N302 has N301's limits.
const N302: ElementRule = ElementRule {
    element: "N302",
    ..rules::ADDRESS_LINE
};

/// An optional text that is blank counts as absent.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

struct Writer<'a> {
    interchange: &'a Interchange,
    sender: Value,
    receiver: Value,
    control_number: Value,
    /// CCYYMMDD (GS04, BHT04), YYMMDD (ISA09) and HHMM (ISA10, GS05, BHT05).
    created_date: Value,
    created_short_date: Value,
    created_time: Value,
}

impl<'a> Writer<'a> {
    fn new(interchange: &'a Interchange) -> Result<Writer<'a>, EdiError> {
        let scope = Scope("interchange".into());
        let control = interchange.interchange_control_number;
        if !(1..=MAX_CONTROL_NUMBER).contains(&control) {
            return Err(scope.fail(
                "ISA13",
                format!("interchange control number {control} is not 1 to {MAX_CONTROL_NUMBER}"),
            ));
        }
        let group = interchange.group_control_number;
        if !(1..=MAX_CONTROL_NUMBER).contains(&group) {
            return Err(scope.fail(
                "GS06",
                format!("group control number {group} is not 1 to {MAX_CONTROL_NUMBER}"),
            ));
        }
        if interchange.claims.is_empty() {
            return Err(scope.fail("CLM", "no claim to send: an 837P holds at least one"));
        }
        // The sender and receiver ids stand in ISA, GS and the 1000A/1000B names.
        let facility = &interchange.submitter;
        let facility_scope = Scope("facility".into());
        let sender = match present(&facility.submitter_id) {
            Some(id) => facility_scope.text(id, rules::SUBMITTER_ID, "submitter id")?,
            None => facility_scope.text(
                &facility.tax_id,
                rules::SUBMITTER_ID,
                "tax id (the sender id, as no submitter id is set)",
            )?,
        };
        let payer = &interchange.payer;
        let payer_scope = Scope("payer".into());
        let receiver = match present(&payer.receiver_id) {
            Some(id) => payer_scope.text(id, rules::RECEIVER_ID, "receiver id")?,
            None => payer_scope.text(
                &payer.payer_id,
                rules::RECEIVER_ID,
                "payer id (the receiver id, as no receiver id is set)",
            )?,
        };
        let created = interchange.created_at;
        let created_date = ccyymmdd(created.date(), &scope, "GS04", "creation date")?;
        Ok(Writer {
            interchange,
            sender,
            receiver,
            control_number: digits(format!("{control:09}")),
            created_date,
            created_short_date: digits(created.format("%y%m%d").to_string()),
            created_time: digits(created.format("%H%M").to_string()),
        })
    }

    fn write(&self) -> Result<Vec<Segment>, EdiError> {
        let ic = self.interchange;
        let mut transaction = vec![Segment::new(
            "ST",
            vec![code("837"), code(TRANSACTION_CONTROL_NUMBER), code(VERSION)],
        )];
        transaction.extend(self.header()?);
        transaction.extend(self.billing_provider()?);
        let payer = self.payer()?;
        let mut hl = 1u32;
        for claim in &ic.claims {
            let (segments, next) = self.claim(claim, hl, &payer)?;
            transaction.extend(segments);
            hl = next;
        }
        let count = transaction.len() + 1;
        transaction.push(Segment::new(
            "SE",
            vec![
                Value::number(count as u64).into(),
                code(TRANSACTION_CONTROL_NUMBER),
            ],
        ));

        let mut all = vec![self.isa(), self.gs()];
        all.extend(transaction);
        let group = Value::number(ic.group_control_number);
        all.push(Segment::new(
            "GE",
            vec![Value::number(1u32).into(), group.into()],
        ));
        all.push(Segment::new(
            "IEA",
            vec![
                Value::number(1u32).into(),
                self.control_number.clone().into(),
            ],
        ));
        Ok(all)
    }

    fn isa(&self) -> Segment {
        let ic = self.interchange;
        let fixed = |text: String| {
            Element::from(
                Value::text(&text)
                    .unwrap_or_else(|_| unreachable!("ISA values are checked X12 text")),
            )
        };
        let blank = || fixed(" ".repeat(10));
        Segment::new(
            "ISA",
            vec![
                code("00"),
                blank(),
                code("00"),
                blank(),
                code("ZZ"),
                fixed(format!("{:<15}", self.sender.as_str())),
                code("ZZ"),
                fixed(format!("{:<15}", self.receiver.as_str())),
                self.created_short_date.clone().into(),
                self.created_time.clone().into(),
                Value::repetition_separator().into(),
                code("00501"),
                self.control_number.clone().into(),
                code("0"),
                code(if ic.production { "P" } else { "T" }),
                Value::component_separator().into(),
            ],
        )
    }

    fn gs(&self) -> Segment {
        let ic = self.interchange;
        Segment::new(
            "GS",
            vec![
                code("HC"),
                self.sender.clone().into(),
                self.receiver.clone().into(),
                self.created_date.clone().into(),
                self.created_time.clone().into(),
                Value::number(ic.group_control_number).into(),
                code("X"),
                code(VERSION),
            ],
        )
    }

    /// BHT, the submitter (1000A) and the receiver (1000B).
    fn header(&self) -> Result<Vec<Segment>, EdiError> {
        let ic = self.interchange;
        let facility = &ic.submitter;
        let scope = Scope("facility".into());
        let name = scope.text(&facility.name, rules::ORGANIZATION_NAME, "facility name")?;
        let phone = present(&facility.phone).ok_or_else(|| {
            scope.fail(
                "PER04",
                "facility phone is missing: the submitter contact (1000A PER) requires one",
            )
        })?;
        let phone = scope.text(phone, rules::PHONE, "facility phone")?;
        let payer_scope = Scope("payer".into());
        let payer_name =
            payer_scope.text(&ic.payer.name, rules::ORGANIZATION_NAME, "payer name")?;
        Ok(vec![
            Segment::new(
                "BHT",
                vec![
                    code("0019"),
                    code("00"),
                    self.control_number.clone().into(),
                    self.created_date.clone().into(),
                    self.created_time.clone().into(),
                    code("CH"),
                ],
            ),
            Segment::new(
                "NM1",
                vec![
                    code("41"),
                    code("2"),
                    name.into(),
                    empty(),
                    empty(),
                    empty(),
                    empty(),
                    code("46"),
                    self.sender.clone().into(),
                ],
            ),
            Segment::new("PER", vec![code("IC"), empty(), code("TE"), phone.into()]),
            Segment::new(
                "NM1",
                vec![
                    code("40"),
                    code("2"),
                    payer_name.into(),
                    empty(),
                    empty(),
                    empty(),
                    empty(),
                    code("46"),
                    self.receiver.clone().into(),
                ],
            ),
        ])
    }

    /// 2000A and 2010AA.
    fn billing_provider(&self) -> Result<Vec<Segment>, EdiError> {
        let facility = &self.interchange.submitter;
        let scope = Scope("facility".into());
        let mut segments = vec![Segment::new(
            "HL",
            vec![Value::number(1u32).into(), empty(), code("20"), code("1")],
        )];
        if let Some(taxonomy) = present(&facility.taxonomy) {
            let taxonomy = scope.text(taxonomy, rules::TAXONOMY, "facility taxonomy")?;
            segments.push(Segment::new(
                "PRV",
                vec![code("BI"), code("PXC"), taxonomy.into()],
            ));
        }
        let name = scope.text(&facility.name, rules::ORGANIZATION_NAME, "facility name")?;
        let npi = scope.npi(&facility.npi, "billing provider NPI")?;
        segments.push(Segment::new(
            "NM1",
            vec![
                code("85"),
                code("2"),
                name.into(),
                empty(),
                empty(),
                empty(),
                empty(),
                code("XX"),
                npi.into(),
            ],
        ));
        segments.extend(scope.address(&facility.address, rules::ZIP_PLUS_4, "billing provider")?);
        let tax_id = scope.text(&facility.tax_id, rules::TAX_ID, "facility tax id")?;
        segments.push(Segment::new("REF", vec![code("EI"), tax_id.into()]));
        Ok(segments)
    }

    /// The payer's part of every claim: SBR09 and the 2010BB name.
    fn payer(&self) -> Result<PayerSegments, EdiError> {
        let payer = &self.interchange.payer;
        let scope = Scope("payer".into());
        let filing = scope.text(
            &payer.filing_indicator,
            rules::FILING_INDICATOR,
            "claim filing indicator",
        )?;
        let name = scope.text(&payer.name, rules::ORGANIZATION_NAME, "payer name")?;
        let id = scope.text(&payer.payer_id, rules::PAYER_ID, "payer id")?;
        Ok(PayerSegments {
            filing_indicator: filing,
            name: Segment::new(
                "NM1",
                vec![
                    code("PR"),
                    code("2"),
                    name.into(),
                    empty(),
                    empty(),
                    empty(),
                    empty(),
                    code("PI"),
                    id.into(),
                ],
            ),
        })
    }

    /// 2000B (and 2000C) with the claim's 2300 and 2400 loops, numbered after `last_hl`.
    /// Returns the segments and the last HL number used.
    fn claim(
        &self,
        claim: &Claim,
        last_hl: u32,
        payer: &PayerSegments,
    ) -> Result<(Vec<Segment>, u32), EdiError> {
        let scope = Scope(format!("claim CCN {}", claim.claim_control_number));
        let body = claim_body(claim, &scope)?;
        let subscriber_id = scope.text(&claim.subscriber_id, rules::MEMBER_ID, "subscriber id")?;
        let member_address = |why: &str| {
            claim.member_address.as_ref().ok_or_else(|| {
                scope.fail(
                    "N3/N4",
                    format!("member {}: address is missing ({why})", claim.subscriber_id),
                )
            })
        };

        let subscriber_hl = last_hl + 1;
        let mut segments = vec![];
        match &claim.subscriber {
            None => {
                let address =
                    member_address("2010BA N3/N4 are required when the member is the subscriber")?;
                let (last, first) = scope.person_name(&claim.member, "member")?;
                segments.push(hl(subscriber_hl, 1, "22", false));
                segments.push(sbr(Some("18"), &payer.filing_indicator));
                segments.push(nm1_person("IL", last, first, Some(subscriber_id)));
                segments.extend(scope.address(address, rules::ZIP, "member")?);
                segments.push(scope.demographics(&claim.member, "member")?);
                segments.push(payer.name.clone());
                segments.extend(body);
                Ok((segments, subscriber_hl))
            }
            Some(other) => {
                let address = member_address("2010CA N3/N4 are required for the patient")?;
                let (sub_last, sub_first) = scope.person_name(&other.person, "subscriber")?;
                let (last, first) = scope.person_name(&claim.member, "patient")?;
                let patient_hl = subscriber_hl + 1;
                segments.push(hl(subscriber_hl, 1, "22", true));
                segments.push(sbr(None, &payer.filing_indicator));
                segments.push(nm1_person("IL", sub_last, sub_first, Some(subscriber_id)));
                segments.push(payer.name.clone());
                segments.push(hl(patient_hl, subscriber_hl, "23", false));
                segments.push(Segment::new("PAT", vec![code(other.relationship.code())]));
                segments.push(nm1_person("QC", last, first, None));
                segments.extend(scope.address(address, rules::ZIP, "patient")?);
                segments.push(scope.demographics(&claim.member, "patient")?);
                segments.extend(body);
                Ok((segments, patient_hl))
            }
        }
    }
}

struct PayerSegments {
    filing_indicator: Value,
    name: Segment,
}

fn hl(id: u32, parent: u32, level: &'static str, has_children: bool) -> Segment {
    Segment::new(
        "HL",
        vec![
            Value::number(id).into(),
            Value::number(parent).into(),
            code(level),
            code(if has_children { "1" } else { "0" }),
        ],
    )
}

fn sbr(relationship: Option<&'static str>, filing_indicator: &Value) -> Segment {
    let mut elements = vec![code("P"), relationship.map_or_else(empty, code)];
    elements.extend(std::iter::repeat_with(empty).take(6)); // SBR03–SBR08
    elements.push(filing_indicator.clone().into());
    Segment::new("SBR", elements)
}

/// NM1 of a person: `entity`, last and first name, and the member id (MI) when given.
fn nm1_person(
    entity: &'static str,
    last: Value,
    first: Value,
    member_id: Option<Value>,
) -> Segment {
    let mut elements = vec![code(entity), code("1"), last.into(), first.into()];
    if let Some(id) = member_id {
        elements.extend([empty(), empty(), empty(), code("MI"), id.into()]);
    }
    Segment::new("NM1", elements)
}

/// A claim's 2300 and 2400 loops, every value checked.
fn claim_body(claim: &Claim, scope: &Scope) -> Result<Vec<Segment>, EdiError> {
    let ccn = scope.text(
        &claim.claim_control_number,
        rules::CLAIM_CONTROL_NUMBER,
        "claim control number",
    )?;
    let frequency = match claim.frequency_code.as_str() {
        "1" => Value::code("1"),
        "7" => Value::code("7"),
        "8" => Value::code("8"),
        other => {
            return Err(scope.fail(
                "CLM05-3",
                format!(
                    "frequency code {other:?} is none of 1 (original), 7 (replacement), \
                         8 (void)"
                ),
            ))
        }
    };
    let replaced = match claim.frequency_code.as_str() {
        "1" => None,
        kind => {
            let what = if kind == "7" {
                "replacement (7)"
            } else {
                "void (8)"
            };
            let number = present(&claim.payer_claim_number).ok_or_else(|| {
                scope.fail(
                    "REF02",
                    format!(
                        "payer claim number (REF*F8) is missing: a {what} must name the \
                             payer's number of the claim it replaces"
                    ),
                )
            })?;
            Some(scope.text(number, rules::PAYER_CLAIM_NUMBER, "payer claim number")?)
        }
    };
    let place = scope.text(
        &claim.place_of_service,
        rules::PLACE_OF_SERVICE,
        "place of service",
    )?;
    let amount = scope.amount(claim.amount, "CLM02", "claim amount")?;

    // HI: principal (ABK) first, then the others (ABF).
    if claim.diagnosis_codes.is_empty() {
        return Err(scope.fail(
            "HI01-2",
            "no diagnosis code: a claim needs at least its principal diagnosis",
        ));
    }
    if claim.diagnosis_codes.len() > rules::MAX_DIAGNOSIS_CODES {
        return Err(scope.fail(
            "HI",
            format!(
                "{} diagnosis codes: HI holds at most {}",
                claim.diagnosis_codes.len(),
                rules::MAX_DIAGNOSIS_CODES
            ),
        ));
    }
    let mut diagnoses = vec![];
    for (i, written) in claim.diagnosis_codes.iter().enumerate() {
        let element = DIAGNOSIS_ELEMENTS[i];
        let normal = normal_diagnosis_code(written).ok_or_else(|| {
            scope.fail(
                element,
                format!("diagnosis code {written:?} is not an ICD-10-CM code (e.g. \"F33.1\")"),
            )
        })?;
        let rule = ElementRule {
            element,
            ..rules::DIAGNOSIS_CODE
        };
        let value = scope.text(&normal, rule, "diagnosis code")?;
        let qualifier = if i == 0 { "ABK" } else { "ABF" };
        diagnoses.push(composite(vec![Value::code(qualifier), value]));
    }

    if claim.lines.is_empty() {
        return Err(scope.fail("LX", "no service line: a claim needs at least one (2400)"));
    }
    if claim.lines.len() > MAX_LINES {
        return Err(scope.fail(
            "LX",
            format!(
                "{} service lines: an 837P claim holds at most {MAX_LINES}",
                claim.lines.len()
            ),
        ));
    }
    let total: Decimal = claim.lines.iter().map(|line| line.amount).sum();
    if total != claim.amount {
        return Err(scope.fail(
            "CLM02",
            format!(
                "claim amount {} is not the sum of its lines ({})",
                claim.amount.normalize(),
                total.normalize()
            ),
        ));
    }

    let mut segments = vec![Segment::new(
        "CLM",
        vec![
            ccn.into(),
            amount.into(),
            empty(),
            empty(),
            composite(vec![place, Value::code("B"), frequency]),
            code("Y"),
            code("A"),
            code("Y"),
            code("Y"),
        ],
    )];
    if let Some(number) = replaced {
        segments.push(Segment::new("REF", vec![code("F8"), number.into()]));
    }
    segments.push(Segment::new("HI", diagnoses));
    if let Some(provider) = &claim.supervising_provider {
        let last = scope.text(
            &provider.last_name,
            rules::LAST_NAME,
            "supervising provider last name",
        )?;
        let first = scope.text(
            &provider.first_name,
            rules::FIRST_NAME,
            "supervising provider first name",
        )?;
        let npi = scope.npi(&provider.npi, "supervising provider NPI")?;
        segments.push(Segment::new(
            "NM1",
            vec![
                code("DQ"),
                code("1"),
                last.into(),
                first.into(),
                empty(),
                empty(),
                empty(),
                code("XX"),
                npi.into(),
            ],
        ));
    }
    let service_date = ccyymmdd(claim.service_date, scope, "DTP03", "service date")?;
    for (i, line) in claim.lines.iter().enumerate() {
        let number = i + 1;
        segments.extend(service_line(line, number, &service_date, scope)?);
    }
    Ok(segments)
}

/// LX, SV1 and DTP*472 of line `number` (from 1).
fn service_line(
    line: &Line,
    number: usize,
    service_date: &Value,
    scope: &Scope,
) -> Result<[Segment; 3], EdiError> {
    let field = |what: &str| format!("line {number} {what}");
    let procedure = scope.text(
        &line.procedure_code,
        rules::PROCEDURE_CODE,
        &field("procedure code"),
    )?;
    if line.modifiers.len() > rules::MAX_MODIFIERS {
        return Err(scope.fail(
            "SV101-7",
            format!(
                "line {number} has {} modifiers: SV101 holds at most {}",
                line.modifiers.len(),
                rules::MAX_MODIFIERS
            ),
        ));
    }
    const MODIFIER_ELEMENTS: [&str; rules::MAX_MODIFIERS] =
        ["SV101-3", "SV101-4", "SV101-5", "SV101-6"];
    let mut procedure_components = vec![Value::code("HC"), procedure];
    for (modifier, element) in line.modifiers.iter().zip(MODIFIER_ELEMENTS) {
        let rule = ElementRule {
            element,
            ..rules::MODIFIER
        };
        procedure_components.push(scope.text(modifier, rule, &field("modifier"))?);
    }
    let amount = scope.amount(line.amount, "SV102", &field("amount"))?;
    if line.units < 1 {
        return Err(scope.fail(
            "SV104",
            format!(
                "units must be at least 1 (line {number}, {})",
                line.procedure_code
            ),
        ));
    }
    Ok([
        Segment::new("LX", vec![Value::number(number as u64).into()]),
        Segment::new(
            "SV1",
            vec![
                composite(procedure_components),
                amount.into(),
                code("UN"),
                Value::number(line.units).into(),
                empty(),
                empty(),
                composite(vec![Value::number(1u32)]),
            ],
        ),
        Segment::new(
            "DTP",
            vec![code("472"), code("D8"), service_date.clone().into()],
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn money(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn person(first: &str, last: &str, birth: NaiveDate, sex: &str) -> Person {
        Person {
            first_name: first.into(),
            last_name: last.into(),
            birth_date: birth,
            sex: sex.into(),
        }
    }

    fn line(code: &str, modifiers: &[&str], amount: &str, units: u32) -> Line {
        Line {
            procedure_code: code.into(),
            modifiers: modifiers.iter().map(|m| m.to_string()).collect(),
            amount: money(amount),
            units,
        }
    }

    fn claim() -> Claim {
        Claim {
            claim_control_number: "1001".into(),
            frequency_code: "1".into(),
            payer_claim_number: None,
            amount: money("45"),
            place_of_service: "11".into(),
            service_date: day(2026, 11, 2),
            diagnosis_codes: vec!["F33.1".into()],
            subscriber_id: "M001".into(),
            member: person("Ana", "Lopez", day(1980, 4, 12), "F"),
            member_address: Some(Address {
                line1: "12 Elm St".into(),
                line2: None,
                city: "Portland".into(),
                state: "OR".into(),
                zip: "97202".into(),
            }),
            subscriber: None,
            supervising_provider: None,
            lines: vec![line("90853", &["HQ"], "45", 1)],
        }
    }

    fn interchange(claims: Vec<Claim>) -> Interchange {
        Interchange {
            interchange_control_number: 17,
            group_control_number: 5,
            production: false,
            created_at: day(2026, 11, 3).and_hms_opt(9, 5, 0).unwrap(),
            submitter: Facility {
                name: "Riverside Group Therapy".into(),
                npi: "1234567893".into(),
                tax_id: "931234567".into(),
                taxonomy: Some("101YM0800X".into()),
                phone: Some("5035550100".into()),
                submitter_id: None,
                address: Address {
                    line1: "400 SW Main St".into(),
                    line2: Some("Suite 200".into()),
                    city: "Portland".into(),
                    state: "OR".into(),
                    zip: "972041234".into(),
                },
            },
            payer: Payer {
                name: "Cascade Health Plan".into(),
                payer_id: "CHP01".into(),
                receiver_id: None,
                filing_indicator: "CI".into(),
            },
            claims,
        }
    }

    fn lines(ic: &Interchange) -> Vec<String> {
        segments(ic)
            .unwrap()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// The segments of the claims (from the first subscriber HL to the last line), text.
    fn claim_lines(ic: &Interchange) -> Vec<String> {
        let all = lines(ic);
        let start = all.iter().position(|l| l.starts_with("HL*2*")).unwrap();
        let end = all.iter().position(|l| l.starts_with("SE*")).unwrap();
        all[start..end].to_vec()
    }

    fn refused(ic: &Interchange) -> EdiError {
        segments(ic).expect_err("the writer must refuse this interchange")
    }

    fn refused_claim(change: impl FnOnce(&mut Claim)) -> EdiError {
        let mut c = claim();
        change(&mut c);
        refused(&interchange(vec![c]))
    }

    #[test]
    fn a_small_claim_is_exactly_this_text() {
        let expected = "\
ISA*00*          *00*          *ZZ*931234567      *ZZ*CHP01          *261103*0905*^*00501*000000017*0*T*:~
GS*HC*931234567*CHP01*20261103*0905*5*X*005010X222A1~
ST*837*0001*005010X222A1~
BHT*0019*00*000000017*20261103*0905*CH~
NM1*41*2*Riverside Group Therapy*****46*931234567~
PER*IC**TE*5035550100~
NM1*40*2*Cascade Health Plan*****46*CHP01~
HL*1**20*1~
PRV*BI*PXC*101YM0800X~
NM1*85*2*Riverside Group Therapy*****XX*1234567893~
N3*400 SW Main St*Suite 200~
N4*Portland*OR*972041234~
REF*EI*931234567~
HL*2*1*22*0~
SBR*P*18*******CI~
NM1*IL*1*Lopez*Ana****MI*M001~
N3*12 Elm St~
N4*Portland*OR*97202~
DMG*D8*19800412*F~
NM1*PR*2*Cascade Health Plan*****PI*CHP01~
CLM*1001*45***11:B:1*Y*A*Y*Y~
HI*ABK:F331~
LX*1~
SV1*HC:90853:HQ*45*UN*1***1~
DTP*472*D8*20261102~
SE*24*0001~
GE*1*5~
IEA*1*000000017~
";
        assert_eq!(render(&interchange(vec![claim()])).unwrap(), expected);
    }

    #[test]
    fn the_isa_is_fixed_width_and_se_counts_st_to_se() {
        let all = lines(&interchange(vec![claim(), claim()]));
        assert_eq!(all[0].len() + 1, 106, "{}", all[0]); // with its terminator
        let st = all.iter().position(|l| l.starts_with("ST*")).unwrap();
        let se = all.iter().position(|l| l.starts_with("SE*")).unwrap();
        assert_eq!(all[se], format!("SE*{}*0001", se - st + 1));
    }

    #[test]
    fn a_child_on_a_parents_plan_gets_a_patient_level() {
        let mut child = claim();
        child.member = person("Leo", "Lopez", day(2014, 6, 1), "M");
        child.subscriber = Some(OtherSubscriber {
            relationship: Relationship::Child,
            person: person("Ana", "Lopez", day(1980, 4, 12), "F"),
        });
        let mut second = claim();
        second.claim_control_number = "1002".into();
        assert_eq!(
            claim_lines(&interchange(vec![child, second])),
            [
                "HL*2*1*22*1",
                "SBR*P********CI",
                "NM1*IL*1*Lopez*Ana****MI*M001",
                "NM1*PR*2*Cascade Health Plan*****PI*CHP01",
                "HL*3*2*23*0",
                "PAT*19",
                "NM1*QC*1*Lopez*Leo",
                "N3*12 Elm St",
                "N4*Portland*OR*97202",
                "DMG*D8*20140601*M",
                "CLM*1001*45***11:B:1*Y*A*Y*Y",
                "HI*ABK:F331",
                "LX*1",
                "SV1*HC:90853:HQ*45*UN*1***1",
                "DTP*472*D8*20261102",
                // The next claim's subscriber level follows the patient level's number.
                "HL*4*1*22*0",
                "SBR*P*18*******CI",
                "NM1*IL*1*Lopez*Ana****MI*M001",
                "N3*12 Elm St",
                "N4*Portland*OR*97202",
                "DMG*D8*19800412*F",
                "NM1*PR*2*Cascade Health Plan*****PI*CHP01",
                "CLM*1002*45***11:B:1*Y*A*Y*Y",
                "HI*ABK:F331",
                "LX*1",
                "SV1*HC:90853:HQ*45*UN*1***1",
                "DTP*472*D8*20261102",
            ]
        );
    }

    #[test]
    fn relationships_are_pat01_codes() {
        assert_eq!(Relationship::Child.code(), "19");
        assert_eq!(Relationship::Spouse.code(), "01");
        assert_eq!(Relationship::Other.code(), "G8");
    }

    #[test]
    fn a_replacement_carries_the_payers_number_lines_and_supervisor() {
        let mut c = claim();
        c.frequency_code = "7".into();
        c.payer_claim_number = Some("PCN-77".into());
        c.diagnosis_codes = vec!["F33.1".into(), "f411".into(), "Z63.0".into()];
        c.supervising_provider = Some(Provider {
            npi: "1245319599".into(),
            first_name: "Maria".into(),
            last_name: "Okafor".into(),
        });
        c.lines = vec![
            line("90853", &["HQ"], "45.50", 1),
            line("97158", &["GP", "HQ"], "112.25", 3),
        ];
        c.amount = money("157.75");
        let claim_part = claim_lines(&interchange(vec![c]));
        assert_eq!(
            claim_part[7..],
            [
                "CLM*1001*157.75***11:B:7*Y*A*Y*Y",
                "REF*F8*PCN-77",
                "HI*ABK:F331*ABF:F411*ABF:Z630",
                "NM1*DQ*1*Okafor*Maria****XX*1245319599",
                "LX*1",
                "SV1*HC:90853:HQ*45.5*UN*1***1",
                "DTP*472*D8*20261102",
                "LX*2",
                "SV1*HC:97158:GP:HQ*112.25*UN*3***1",
                "DTP*472*D8*20261102",
            ]
        );
    }

    #[test]
    fn an_original_never_carries_ref_f8() {
        let mut c = claim();
        c.payer_claim_number = Some("PCN-77".into());
        assert!(!claim_lines(&interchange(vec![c]))
            .iter()
            .any(|l| l.starts_with("REF*F8")));
    }

    #[test]
    fn amounts_are_x12_decimals_without_trailing_zeros() {
        let scope = Scope("test".into());
        for (amount, written) in [
            ("45", "45"),
            ("45.00", "45"),
            ("45.50", "45.5"),
            ("112.25", "112.25"),
            ("0.00", "0"),
            ("-0.00", "0"),
            ("1200", "1200"),
        ] {
            let value = scope.amount(money(amount), "SV102", "amount").unwrap();
            assert_eq!(value.as_str(), written, "{amount}");
        }
    }

    #[test]
    fn sender_and_receiver_ids_fall_back_to_the_tax_id_and_payer_id() {
        let mut ic = interchange(vec![claim()]);
        let all = lines(&ic);
        assert!(all[1].starts_with("GS*HC*931234567*CHP01*"));
        ic.submitter.submitter_id = Some("GSESS01".into());
        ic.payer.receiver_id = Some("CLEARHOUSE".into());
        ic.production = true;
        let all = lines(&ic);
        assert!(all[0].contains("*ZZ*GSESS01        *ZZ*CLEARHOUSE     *"));
        assert!(all[0].ends_with("*000000017*0*P*:"));
        assert!(all[1].starts_with("GS*HC*GSESS01*CLEARHOUSE*"));
        assert_eq!(all[4], "NM1*41*2*Riverside Group Therapy*****46*GSESS01");
        assert_eq!(all[6], "NM1*40*2*Cascade Health Plan*****46*CLEARHOUSE");
        // The payer in 2010BB is still the payer id.
        assert!(all.contains(&"NM1*PR*2*Cascade Health Plan*****PI*CHP01".to_owned()));
    }

    #[test]
    fn names_are_folded_to_ascii() {
        let mut c = claim();
        c.member = person("José", "Müller-Straße", day(1990, 2, 28), "M");
        let all = lines(&interchange(vec![c]));
        assert!(all.contains(&"NM1*IL*1*Muller-Strasse*Jose****MI*M001".to_owned()));
    }

    #[test]
    fn without_a_taxonomy_there_is_no_prv() {
        let mut ic = interchange(vec![claim()]);
        ic.submitter.taxonomy = None;
        assert!(!lines(&ic).iter().any(|l| l.starts_with("PRV")));
    }

    // One test per refusal: each names the element, and the claim where there is one.

    #[test]
    fn refuses_a_billing_npi_with_a_wrong_check_digit() {
        let mut ic = interchange(vec![claim()]);
        ic.submitter.npi = "1234567890".into();
        let error = refused(&ic);
        assert_eq!(error.element, "NM109");
        assert_eq!(
            error.to_string(),
            "facility: NM109 billing provider NPI \"1234567890\": check digit 0 ≠ 3 \
             (Luhn over 80840123456789)"
        );
    }

    #[test]
    fn refuses_a_supervising_npi_with_a_wrong_check_digit() {
        let error = refused_claim(|c| {
            c.supervising_provider = Some(Provider {
                npi: "1245319598".into(),
                first_name: "Maria".into(),
                last_name: "Okafor".into(),
            })
        });
        assert_eq!(error.element, "NM109");
        assert!(error
            .to_string()
            .starts_with("claim CCN 1001: NM109 supervising provider NPI \"1245319598\""));
    }

    #[test]
    fn refuses_units_below_one() {
        let error = refused_claim(|c| c.lines[0].units = 0);
        assert_eq!(error.element, "SV104");
        assert_eq!(
            error.to_string(),
            "claim CCN 1001: SV104 units must be at least 1 (line 1, 90853)"
        );
    }

    #[test]
    fn refuses_a_frequency_code_other_than_1_7_8() {
        for code in ["5", "", "01"] {
            let error = refused_claim(|c| c.frequency_code = code.into());
            assert_eq!(error.element, "CLM05-3", "{code:?}");
            assert!(error.to_string().starts_with("claim CCN 1001: CLM05-3"));
        }
    }

    #[test]
    fn refuses_a_replacement_without_the_payers_claim_number() {
        let error = refused_claim(|c| c.frequency_code = "7".into());
        assert_eq!(error.element, "REF02");
        assert!(
            error.to_string().starts_with(
                "claim CCN 1001: REF02 payer claim number (REF*F8) is missing: a replacement (7)"
            ),
            "{error}"
        );
    }

    #[test]
    fn refuses_a_void_without_the_payers_claim_number() {
        let error = refused_claim(|c| {
            c.frequency_code = "8".into();
            c.payer_claim_number = Some("  ".into());
        });
        assert_eq!(error.element, "REF02");
        assert!(error.to_string().contains("a void (8)"), "{error}");
    }

    #[test]
    fn refuses_lines_that_do_not_sum_to_the_claim() {
        let error = refused_claim(|c| {
            c.lines.push(line("90853", &[], "45", 1));
        });
        assert_eq!(error.element, "CLM02");
        assert_eq!(
            error.to_string(),
            "claim CCN 1001: CLM02 claim amount 45 is not the sum of its lines (90)"
        );
    }

    #[test]
    fn refuses_a_claim_without_lines() {
        let error = refused_claim(|c| {
            c.lines.clear();
            c.amount = Decimal::ZERO;
        });
        assert_eq!(error.element, "LX");
        assert!(error
            .to_string()
            .starts_with("claim CCN 1001: LX no service line"));
    }

    #[test]
    fn refuses_more_lines_than_an_837p_claim_holds() {
        let error = refused_claim(|c| {
            c.lines = vec![line("90853", &[], "1", 1); MAX_LINES + 1];
            c.amount = Decimal::from(MAX_LINES + 1);
        });
        assert_eq!(error.element, "LX");
    }

    #[test]
    fn refuses_a_claim_without_a_diagnosis() {
        let error = refused_claim(|c| c.diagnosis_codes.clear());
        assert_eq!(error.element, "HI01-2");
        assert!(error
            .to_string()
            .starts_with("claim CCN 1001: HI01-2 no diagnosis code"));
    }

    #[test]
    fn refuses_a_diagnosis_code_that_is_not_icd_10() {
        let error = refused_claim(|c| c.diagnosis_codes.push("F3.31".into()));
        assert_eq!(error.element, "HI02-2");
        let error = refused_claim(|c| c.diagnosis_codes = vec!["F33.1".into(); 13]);
        assert_eq!(error.element, "HI");
    }

    #[test]
    fn refuses_a_missing_facility_phone() {
        let mut ic = interchange(vec![claim()]);
        ic.submitter.phone = None;
        let error = refused(&ic);
        assert_eq!(error.element, "PER04");
        assert!(error
            .to_string()
            .starts_with("facility: PER04 facility phone is missing"));
        ic.submitter.phone = Some("503-555-0100".into());
        assert_eq!(refused(&ic).element, "PER04");
    }

    #[test]
    fn refuses_a_member_without_an_address_when_the_member_is_the_subscriber() {
        let error = refused_claim(|c| c.member_address = None);
        assert_eq!(error.element, "N3/N4");
        assert!(
            error
                .to_string()
                .starts_with("claim CCN 1001: N3/N4 member M001: address is missing (2010BA"),
            "{error}"
        );
    }

    #[test]
    fn refuses_a_patient_without_an_address() {
        let error = refused_claim(|c| {
            c.member_address = None;
            c.subscriber = Some(OtherSubscriber {
                relationship: Relationship::Child,
                person: person("Ana", "Lopez", day(1980, 4, 12), "F"),
            });
        });
        assert_eq!(error.element, "N3/N4");
        assert!(error
            .to_string()
            .contains("member M001: address is missing (2010CA"));
    }

    #[test]
    fn refuses_a_date_without_a_four_digit_year() {
        let error = refused_claim(|c| c.member.birth_date = day(10_000, 1, 1));
        assert_eq!(error.element, "DMG02");
        let error = refused_claim(|c| c.service_date = day(999, 1, 1));
        assert_eq!(error.element, "DTP03");
    }

    #[test]
    fn refuses_a_billing_address_without_zip_plus_4() {
        let mut ic = interchange(vec![claim()]);
        ic.submitter.address.zip = "97204".into();
        let error = refused(&ic);
        assert_eq!(error.element, "N403");
        assert_eq!(
            error.to_string(),
            "facility: N403 billing provider ZIP \"97204\" is not 9 digits"
        );
    }

    #[test]
    fn refuses_a_delimiter_in_any_text() {
        let error = refused_claim(|c| c.member.last_name = "O*Brien".into());
        assert_eq!(error.element, "NM103");
        assert_eq!(
            error.to_string(),
            "claim CCN 1001: NM103 member last name \"O*Brien\" contains the X12 delimiter '*'"
        );
        let mut ic = interchange(vec![claim()]);
        ic.payer.name = "Cascade: Health".into();
        assert_eq!(refused(&ic).element, "NM103");
        let error = refused_claim(|c| c.lines[0].modifiers = vec!["H^".into()]);
        assert_eq!(error.element, "SV101-3");
    }

    #[test]
    fn refuses_text_that_does_not_fold_to_ascii() {
        let error = refused_claim(|c| c.member.first_name = "王".into());
        assert_eq!(error.element, "NM104");
        assert!(error.to_string().contains("outside the X12 character set"));
    }

    #[test]
    fn refuses_values_over_their_elements_limits() {
        let error = refused_claim(|c| c.claim_control_number = "9".repeat(39));
        assert_eq!(error.element, "CLM01");
        assert!(error.to_string().contains("over CLM01's maximum of 38"));
        // The payer claim number is only read for 7 and 8.
        let mut original = claim();
        original.payer_claim_number = Some("x".repeat(51));
        assert!(segments(&interchange(vec![original])).is_ok());
        let error = refused_claim(|c| {
            c.frequency_code = "7".into();
            c.payer_claim_number = Some("x".repeat(51));
        });
        assert_eq!(error.element, "REF02");
        let error = refused_claim(|c| c.member.first_name = "x".repeat(36));
        assert_eq!(error.element, "NM104");
        let error = refused_claim(|c| c.member.sex = "X".into());
        assert_eq!(error.element, "DMG03");
        let error = refused_claim(|c| c.place_of_service = "2".into());
        assert_eq!(error.element, "CLM05-1");
        let error = refused_claim(|c| c.lines[0].procedure_code = "9085".into());
        assert_eq!(error.element, "SV101-2");
        let error = refused_claim(|c| c.lines[0].modifiers = vec!["HQ".into(); 5]);
        assert_eq!(error.element, "SV101-7");
        let error = refused_claim(|c| c.subscriber_id = "M".into());
        assert_eq!(error.element, "NM109");
        let error = refused_claim(|c| {
            c.member_address.as_mut().unwrap().state = "Oregon".into();
        });
        assert_eq!(error.element, "N402");
    }

    #[test]
    fn refuses_the_interchanges_own_values_out_of_range() {
        let mut ic = interchange(vec![claim()]);
        ic.payer.filing_indicator = "XX".into();
        assert_eq!(refused(&ic).element, "SBR09");
        let mut ic = interchange(vec![claim()]);
        ic.submitter.submitter_id = Some("A-SUBMITTER-ID-LONGER".into());
        assert_eq!(refused(&ic).element, "ISA06/GS02");
        let mut ic = interchange(vec![claim()]);
        ic.payer.receiver_id = Some("R".into());
        assert_eq!(refused(&ic).element, "ISA08/GS03");
        let mut ic = interchange(vec![claim()]);
        ic.submitter.tax_id = "93-1234567".into();
        assert_eq!(refused(&ic).element, "REF02");
        ic.submitter.tax_id = "9".into();
        assert_eq!(refused(&ic).element, "ISA06/GS02"); // as the sender id, first
        let mut ic = interchange(vec![claim()]);
        ic.submitter.taxonomy = Some("101Y".into());
        assert_eq!(refused(&ic).element, "PRV03");
    }

    #[test]
    fn refuses_control_numbers_out_of_range_and_an_empty_run() {
        for number in [0, 1_000_000_000] {
            let mut ic = interchange(vec![claim()]);
            ic.interchange_control_number = number;
            assert_eq!(refused(&ic).element, "ISA13");
            let mut ic = interchange(vec![claim()]);
            ic.group_control_number = number;
            assert_eq!(refused(&ic).element, "GS06");
        }
        let error = refused(&interchange(vec![]));
        assert_eq!(error.element, "CLM");
        assert!(error.to_string().starts_with("interchange: CLM no claim"));
    }

    #[test]
    fn refuses_negative_or_fractional_cent_amounts() {
        let error = refused_claim(|c| {
            c.lines[0].amount = money("-45");
            c.amount = money("-45");
        });
        assert_eq!(error.element, "CLM02");
        let error = refused_claim(|c| {
            c.lines = vec![line("90853", &[], "45", 1), line("90853", &[], "-45", 1)];
            c.amount = money("0");
        });
        assert_eq!(error.element, "SV102");
        let error = refused_claim(|c| {
            c.lines[0].amount = money("45.001");
            c.amount = money("45.001");
        });
        assert_eq!(error.element, "CLM02");
        assert!(error.to_string().contains("not whole cents"));
    }
}
