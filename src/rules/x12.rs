//! What an 837P (X12 005010X222A1) can carry, as checks the import applies to what it
//! stores and the claim path applies to what it sends: code formats (procedure codes,
//! modifiers, ICD-10-CM diagnosis codes, place of service, ZIP), the claim filing indicator
//! codes, how many diagnosis codes and modifiers fit, and the length and character set of
//! every text element (one table, [`check_element`]). A value with an X12 delimiter in it
//! would silently shift every element after it, so it is refused where it enters (the
//! import) and again where it leaves (the writer).

use std::fmt;

/// The delimiters gsess writes with: segment `~`, element `*`, component `:`, repetition `^`.
/// None may appear inside a value.
pub const DELIMITERS: [char; 4] = ['~', '*', ':', '^'];

/// SBR09 claim filing indicator codes (X12 005010).
pub const FILING_INDICATORS: &[&str] = &[
    "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI", "HM", "LM", "MA",
    "MB", "MC", "OF", "TV", "VA", "WC", "ZZ",
];

/// The 837P's HI segment holds at most 12 diagnosis codes.
pub const MAX_DIAGNOSIS_CODES: usize = 12;
/// SV1-01 holds a procedure code and at most 4 modifiers.
pub const MAX_MODIFIERS: usize = 4;

pub type Check = Result<(), String>;

/// `F33.1`, `f331` → `F331`: a letter, a digit, a letter or digit, then up to four letters or
/// digits; a dot, if any, only after the third character and followed by something.
pub fn normal_diagnosis_code(code: &str) -> Option<String> {
    let stripped = match code.split_once('.') {
        Some((head, tail)) if head.len() == 3 && !tail.is_empty() && !tail.contains('.') => {
            format!("{head}{tail}")
        }
        Some(_) => return None,
        None => code.to_owned(),
    };
    let upper = stripped.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let valid = (3..=7).contains(&bytes.len())
        && bytes[0].is_ascii_uppercase()
        && bytes[1].is_ascii_digit()
        && bytes[2..].iter().all(u8::is_ascii_alphanumeric);
    valid.then_some(upper)
}

/// A diagnosis code as stored (normalised: 3–7 upper-case characters without a dot).
pub fn check_diagnosis_code(value: &str) -> Check {
    // Anything else was left as written because it did not normalise.
    if normal_diagnosis_code(value).as_deref() == Some(value) {
        Ok(())
    } else {
        Err(format!(
            "invalid ICD-10-CM code {value:?}: expected a letter, a digit, a letter or digit, \
             then up to 4 letters or digits, with or without the dot (e.g. \"F33.1\")"
        ))
    }
}

pub fn check_filing_indicator(value: &str) -> Check {
    if FILING_INDICATORS.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "invalid claim filing indicator {value:?}: expected one of {}",
            FILING_INDICATORS.join(", ")
        ))
    }
}

fn digits(value: &str, lengths: &[usize]) -> bool {
    lengths.contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
}

/// A ZIP of one of the given digit counts (5, or 9 for ZIP+4); `what` says which.
pub fn check_zip(value: &str, lengths: &[usize], what: &str) -> Check {
    if digits(value, lengths) {
        Ok(())
    } else {
        Err(format!("invalid ZIP {value:?}: {what}"))
    }
}

/// CLM05-1: a two-digit place of service code.
pub fn check_place_of_service(value: &str) -> Check {
    if digits(value, &[2]) {
        Ok(())
    } else {
        Err(format!(
            "invalid place of service {value:?}: expected a two-digit code, e.g. \"11\" or \"02\""
        ))
    }
}

/// A CPT/HCPCS code: 5 letters or digits.
pub fn check_procedure_code(value: &str) -> Check {
    alphanumeric(value, 5, "procedure code", "90853")
}

/// A procedure modifier: 2 letters or digits.
pub fn check_modifier(value: &str) -> Check {
    alphanumeric(value, 2, "modifier", "HQ")
}

fn alphanumeric(value: &str, len: usize, what: &str, example: &str) -> Check {
    if value.len() == len && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(format!(
            "invalid {what} {value:?}: expected {len} letters or digits, e.g. \"{example}\""
        ))
    }
}

/// A value as the import may store it for the 837P: no X12 delimiter and no control
/// character, at most the element's length. Letters outside ASCII are kept (people's names
/// have them); the writer deals with them when it sends.
pub fn check_storable(value: &str, rule: ElementRule) -> Check {
    if let Some(c) = value
        .chars()
        .find(|c| DELIMITERS.contains(c) || c.is_control())
    {
        return Err(format!(
            "{value:?} contains {c:?}, which cannot travel in an X12 claim ({} element)",
            rule.element
        ));
    }
    let length = value.chars().count();
    if length > rule.max {
        return Err(format!(
            "{value:?} is {length} characters, over the {} element's maximum of {}",
            rule.element, rule.max
        ));
    }
    Ok(())
}

/// What characters an element may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Printable ASCII (the X12 basic and extended character sets) minus the delimiters.
    Text,
    Digits,
    /// Upper-case letters and digits (codes: ICD-10-CM, HCPCS, modifiers, taxonomy).
    Alphanumeric,
    /// Upper-case letters (state codes).
    Letters,
    /// A US ZIP code: 5 digits or ZIP+4 as 9.
    Zip,
    /// One of a fixed code list.
    OneOf(&'static [&'static str]),
}

/// One element as 005010X222A1 uses it: its X12 position (for messages), length and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementRule {
    pub element: &'static str,
    pub min: usize,
    pub max: usize,
    pub content: Content,
}

const fn rule(element: &'static str, min: usize, max: usize, content: Content) -> ElementRule {
    ElementRule {
        element,
        min,
        max,
        content,
    }
}

// Lengths are the implementation guide's minimum and maximum; where the guide narrows a
// code's form (an EIN, a 10-digit US phone, a 5-character HCPCS code) the rule does too,
// since anything else is rejected downstream. NPIs are checked by `rules::check_npi`, which
// also tests the check digit.
pub const SUBMITTER_ID: ElementRule = rule("ISA06/GS02", 2, 15, Content::Text);
pub const RECEIVER_ID: ElementRule = rule("ISA08/GS03", 2, 15, Content::Text);
pub const ORGANIZATION_NAME: ElementRule = rule("NM103", 1, 60, Content::Text);
pub const LAST_NAME: ElementRule = rule("NM103", 1, 60, Content::Text);
pub const FIRST_NAME: ElementRule = rule("NM104", 1, 35, Content::Text);
pub const CONTACT_NAME: ElementRule = rule("PER02", 1, 60, Content::Text);
pub const PHONE: ElementRule = rule("PER04", 10, 10, Content::Digits);
pub const ADDRESS_LINE: ElementRule = rule("N301", 1, 55, Content::Text);
pub const CITY: ElementRule = rule("N401", 2, 30, Content::Text);
pub const STATE: ElementRule = rule("N402", 2, 2, Content::Letters);
pub const ZIP: ElementRule = rule("N403", 5, 9, Content::Zip);
pub const ZIP_PLUS_4: ElementRule = rule("N403", 9, 9, Content::Digits);
pub const TAX_ID: ElementRule = rule("REF02", 9, 9, Content::Digits);
pub const TAXONOMY: ElementRule = rule("PRV03", 10, 10, Content::Alphanumeric);
pub const MEMBER_ID: ElementRule = rule("NM109", 2, 80, Content::Text);
pub const PAYER_ID: ElementRule = rule("NM109", 2, 80, Content::Text);
pub const CLAIM_CONTROL_NUMBER: ElementRule = rule("CLM01", 1, 38, Content::Text);
pub const PAYER_CLAIM_NUMBER: ElementRule = rule("REF02", 1, 50, Content::Text);
pub const PLACE_OF_SERVICE: ElementRule = rule("CLM05-1", 2, 2, Content::Digits);
pub const FILING_INDICATOR: ElementRule = rule("SBR09", 2, 2, Content::OneOf(FILING_INDICATORS));
pub const SEX: ElementRule = rule("DMG03", 1, 1, Content::OneOf(&["F", "M", "U"]));
pub const DIAGNOSIS_CODE: ElementRule = rule("HI01-2", 3, 7, Content::Alphanumeric);
pub const PROCEDURE_CODE: ElementRule = rule("SV101-2", 5, 5, Content::Alphanumeric);
pub const MODIFIER: ElementRule = rule("SV101-3", 2, 2, Content::Alphanumeric);

/// Why a value cannot be written into its element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Empty,
    /// Text shorter or longer than the element allows (a code's length is part of its form).
    TooShort,
    TooLong,
    Delimiter(char),
    /// A control character or one outside the X12 character set (non-ASCII).
    OutsideCharacterSet(char),
    /// Leading or trailing spaces, which X12 readers strip.
    Padded,
    /// The value does not have the form the content requires (digits, letters, a code).
    Form,
}

/// A value refused by [`check_element`], with the field it was meant for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ElementError {
    pub field: String,
    pub value: String,
    pub rule: ElementRule,
    pub fault: Fault,
}

impl fmt::Display for ElementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            field,
            value,
            rule,
            fault,
        } = self;
        let element = rule.element;
        match fault {
            Fault::Empty => write!(f, "{field} is empty ({element} is required)"),
            Fault::TooShort => write!(
                f,
                "{field} {value:?} is shorter than {element}'s minimum of {}",
                rule.min
            ),
            Fault::TooLong => write!(
                f,
                "{field} {value:?} is {} characters, over {element}'s maximum of {}",
                value.chars().count(),
                rule.max
            ),
            Fault::Delimiter(c) => {
                write!(f, "{field} {value:?} contains the X12 delimiter {c:?}")
            }
            Fault::OutsideCharacterSet(c) => write!(
                f,
                "{field} {value:?} contains {c:?} (U+{:04X}), outside the X12 character set",
                u32::from(*c)
            ),
            Fault::Padded => write!(f, "{field} {value:?} has leading or trailing spaces"),
            Fault::Form => write!(
                f,
                "{field} {value:?} is not {}",
                describe(rule.content, rule.min, rule.max)
            ),
        }
    }
}

fn describe(content: Content, min: usize, max: usize) -> String {
    let length = if min == max {
        format!("{min}")
    } else {
        format!("{min} to {max}")
    };
    match content {
        Content::Text => "text".into(),
        Content::Digits => format!("{length} digits"),
        Content::Alphanumeric => format!("{length} upper-case letters or digits"),
        Content::Letters => format!("{length} upper-case letters"),
        Content::Zip => "a ZIP code of 5 or 9 digits".into(),
        Content::OneOf(codes) => format!("one of {}", codes.join(", ")),
    }
}

/// Check `value` against `rule` before it is written; `field` names it for the error
/// (`subscriber last name`). Returns the value, so a segment can be built from the result.
pub fn check_element<'v>(
    value: &'v str,
    rule: ElementRule,
    field: &str,
) -> Result<&'v str, ElementError> {
    let fail = |fault| ElementError {
        field: field.to_owned(),
        value: value.to_owned(),
        rule,
        fault,
    };
    if value.is_empty() {
        return Err(fail(Fault::Empty));
    }
    // Character set first: a delimiter is the fault worth naming even in a value too long.
    if let Some(c) = value.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(fail(Fault::OutsideCharacterSet(c)));
    }
    if let Some(c) = value.chars().find(|&c| DELIMITERS.contains(&c)) {
        return Err(fail(Fault::Delimiter(c)));
    }
    // Readers strip leading and trailing spaces (pyx12 reports them as errors).
    if value.trim() != value {
        return Err(fail(Fault::Padded));
    }
    let length = value.len(); // ASCII by now
    let fits = (rule.min..=rule.max).contains(&length);
    let well_formed = match rule.content {
        Content::Text if length > rule.max => return Err(fail(Fault::TooLong)),
        Content::Text if length < rule.min => return Err(fail(Fault::TooShort)),
        Content::Text => true,
        // A code's length is part of its form: "is not 10 digits" says it all.
        Content::Digits => fits && value.bytes().all(|b| b.is_ascii_digit()),
        Content::Alphanumeric => {
            fits && value
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        }
        Content::Letters => fits && value.bytes().all(|b| b.is_ascii_uppercase()),
        Content::Zip => matches!(length, 5 | 9) && value.bytes().all(|b| b.is_ascii_digit()),
        Content::OneOf(codes) => codes.contains(&value),
    };
    if well_formed {
        Ok(value)
    } else {
        Err(fail(Fault::Form))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(value: &str, rule: ElementRule) -> Fault {
        check_element(value, rule, "field").unwrap_err().fault
    }

    #[test]
    fn a_good_value_is_returned_as_is() {
        assert_eq!(
            check_element("O'Brien", LAST_NAME, "last name"),
            Ok("O'Brien")
        );
        assert_eq!(check_element("97202", ZIP, "zip"), Ok("97202"));
        assert_eq!(check_element("972021234", ZIP, "zip"), Ok("972021234"));
        assert_eq!(check_element("MC", FILING_INDICATOR, "filing"), Ok("MC"));
    }

    #[test]
    fn every_delimiter_is_refused_and_named() {
        for c in ['~', '*', ':', '^'] {
            assert_eq!(fault(&format!("O{c}Brien"), LAST_NAME), Fault::Delimiter(c));
        }
        assert_eq!(
            check_element("O*Brien", LAST_NAME, "subscriber last name")
                .unwrap_err()
                .to_string(),
            "subscriber last name \"O*Brien\" contains the X12 delimiter '*'"
        );
    }

    #[test]
    fn control_and_non_ascii_characters_are_refused() {
        assert_eq!(
            fault("Ana\nLopez", LAST_NAME),
            Fault::OutsideCharacterSet('\n')
        );
        assert_eq!(fault("Peña", LAST_NAME), Fault::OutsideCharacterSet('ñ'));
        assert_eq!(
            check_element("A\u{7}", LAST_NAME, "last name")
                .unwrap_err()
                .to_string(),
            "last name \"A\\u{7}\" contains '\\u{7}' (U+0007), outside the X12 character set"
        );
    }

    #[test]
    fn lengths_are_the_guides() {
        assert!(check_element(&"x".repeat(60), LAST_NAME, "f").is_ok());
        assert_eq!(fault(&"x".repeat(61), LAST_NAME), Fault::TooLong);
        assert_eq!(fault(&"x".repeat(36), FIRST_NAME), Fault::TooLong);
        assert_eq!(fault(&"x".repeat(39), CLAIM_CONTROL_NUMBER), Fault::TooLong);
        assert_eq!(fault("P", CITY), Fault::TooShort);
        assert_eq!(fault("", FIRST_NAME), Fault::Empty);
        assert_eq!(
            check_element(
                &"x".repeat(56),
                ADDRESS_LINE,
                "billing provider address line 1"
            )
            .unwrap_err()
            .to_string(),
            format!(
                "billing provider address line 1 {:?} is 56 characters, over N301's maximum of 55",
                "x".repeat(56)
            )
        );
    }

    #[test]
    fn forms_and_codes() {
        assert_eq!(fault("9720212", ZIP), Fault::Form);
        assert_eq!(fault("97202", ZIP_PLUS_4), Fault::Form);
        assert_eq!(fault("97202-123", ZIP_PLUS_4), Fault::Form);
        assert_eq!(fault("or", STATE), Fault::Form);
        assert_eq!(fault("F33.1", DIAGNOSIS_CODE), Fault::Form);
        assert_eq!(fault("X", SEX), Fault::Form);
        assert_eq!(fault(" Ana", FIRST_NAME), Fault::Padded);
        assert_eq!(
            check_element("XX", FILING_INDICATOR, "filing indicator")
                .unwrap_err()
                .to_string()
                .lines()
                .next(),
            Some(
                "filing indicator \"XX\" is not one of 11, 12, 13, 14, 15, 16, 17, AM, BL, CH, \
                 CI, DS, FI, HM, LM, MA, MB, MC, OF, TV, VA, WC, ZZ"
            )
        );
        assert_eq!(
            check_element("503-555-0100", PHONE, "submitter phone")
                .unwrap_err()
                .to_string(),
            "submitter phone \"503-555-0100\" is not 10 digits"
        );
    }

    #[test]
    fn what_the_import_stores_keeps_names_but_never_a_delimiter() {
        assert!(check_storable("Peña", LAST_NAME).is_ok());
        assert!(check_storable("O'Brien", LAST_NAME).is_ok());
        let star = check_storable("O*Brien", LAST_NAME).unwrap_err();
        assert!(star.contains("'*'"), "{star}");
        assert!(check_storable("Ana\nLopez", FIRST_NAME).is_err());
        assert!(check_storable(&"x".repeat(35), FIRST_NAME).is_ok());
        assert!(check_storable(&"x".repeat(36), FIRST_NAME).is_err());
    }

    #[test]
    fn diagnosis_codes_normalise_with_or_without_the_dot() {
        assert_eq!(normal_diagnosis_code("F33.1").as_deref(), Some("F331"));
        assert_eq!(normal_diagnosis_code("f331").as_deref(), Some("F331"));
        assert_eq!(normal_diagnosis_code("Z00.00").as_deref(), Some("Z0000"));
        assert_eq!(
            normal_diagnosis_code("S72.001A").as_deref(),
            Some("S72001A")
        );
        for bad in [
            "F3.31",
            "F33.",
            "33.1",
            "FF3.1",
            "F33.1.2",
            "F33.12345",
            "F3",
            "",
        ] {
            assert_eq!(normal_diagnosis_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn code_formats() {
        assert!(check_procedure_code("90853").is_ok());
        assert!(check_procedure_code("9085").is_err());
        assert!(check_modifier("HQ").is_ok() && check_modifier("H").is_err());
        assert!(check_place_of_service("02").is_ok() && check_place_of_service("2").is_err());
        assert!(check_zip("972011234", &[9], "ZIP+4").is_ok());
        assert!(check_zip("97201", &[9], "ZIP+4").is_err());
        assert!(check_filing_indicator("MC").is_ok() && check_filing_indicator("XX").is_err());
        assert!(check_diagnosis_code("F331").is_ok() && check_diagnosis_code("F33.1").is_err());
    }
}
