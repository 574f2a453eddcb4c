//! X12 segments as values, and the text they make. This layer knows nothing of any
//! transaction: it holds elements (simple values or composites of components), folds text
//! into the X12 character set, and joins segments with gsess's delimiters. A value is checked
//! when it is made, so a segment can never hold a delimiter that would shift every element
//! after it; what a transaction requires of a value (length, form, code) is checked by its
//! writer against `rules::x12`.

use crate::rules::x12::{Fault, DELIMITERS};
use std::borrow::Cow;
use std::fmt;

/// Element separator.
pub const ELEMENT: char = '*';
/// Component (sub-element) separator.
pub const COMPONENT: char = ':';
/// Repetition separator.
pub const REPETITION: char = '^';
/// Segment terminator; every segment is followed by a newline as well, which readers skip.
pub const TERMINATOR: char = '~';

// The delimiters this layer writes are the ones `rules::x12` refuses in values.
const _: () = assert!(
    DELIMITERS[0] == TERMINATOR
        && DELIMITERS[1] == ELEMENT
        && DELIMITERS[2] == COMPONENT
        && DELIMITERS[3] == REPETITION
);

/// A text refused by [`Value::text`]: after folding it still holds a delimiter or a
/// character outside the X12 extended character set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} cannot be written: {fault:?}")]
pub struct TextError {
    /// The folded value.
    pub value: String,
    /// [`Fault::Delimiter`] or [`Fault::OutsideCharacterSet`].
    pub fault: Fault,
}

/// One simple value (or one component of a composite), known to be free of delimiters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value(String);

impl Value {
    /// Text as a person wrote it: folded to ASCII ([`fold`]), then refused if it still holds
    /// a delimiter or anything outside printable ASCII (the X12 extended character set).
    pub fn text(text: &str) -> Result<Value, TextError> {
        let folded = fold(text);
        let fault = folded.chars().find_map(|c| {
            if DELIMITERS.contains(&c) {
                Some(Fault::Delimiter(c))
            } else if !(' '..='~').contains(&c) {
                Some(Fault::OutsideCharacterSet(c))
            } else {
                None
            }
        });
        match fault {
            Some(fault) => Err(TextError {
                value: folded.into_owned(),
                fault,
            }),
            None => Ok(Value(folded.into_owned())),
        }
    }

    /// A code written into the program (`"HC"`, `"XX"`). Panics if it holds a delimiter or
    /// anything outside printable ASCII: that is a bug in the writer, not in the data.
    pub fn code(code: &'static str) -> Value {
        match Value::text(code) {
            Ok(value) if value.0 == code => value,
            _ => panic!("X12 code literal {code:?} is not plain X12 text"),
        }
    }

    /// A number (counts, control numbers, units): digits never hold a delimiter.
    pub fn number(number: impl Into<u64>) -> Value {
        Value(number.into().to_string())
    }

    /// The empty value (an element left out between two that are written).
    pub fn empty() -> Value {
        Value(String::new())
    }

    /// The repetition separator as a value, for the one element that declares it (ISA11).
    pub fn repetition_separator() -> Value {
        Value(REPETITION.to_string())
    }

    /// The component separator as a value, for the one element that declares it (ISA16).
    pub fn component_separator() -> Value {
        Value(COMPONENT.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An element: a simple value, or a composite of components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    Simple(Value),
    /// Components in order; trailing empty ones are not written.
    Composite(Vec<Value>),
}

impl Element {
    /// A shorthand for [`Value::code`] as a simple element.
    pub fn code(code: &'static str) -> Element {
        Element::Simple(Value::code(code))
    }

    pub fn empty() -> Element {
        Element::Simple(Value::empty())
    }

    fn is_empty(&self) -> bool {
        match self {
            Element::Simple(value) => value.is_empty(),
            Element::Composite(components) => components.iter().all(Value::is_empty),
        }
    }
}

impl From<Value> for Element {
    fn from(value: Value) -> Element {
        Element::Simple(value)
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Element::Simple(value) => f.write_str(value.as_str()),
            Element::Composite(components) => {
                let written = components
                    .iter()
                    .rposition(|c| !c.is_empty())
                    .map_or(0, |last| last + 1);
                for (i, component) in components[..written].iter().enumerate() {
                    if i > 0 {
                        write!(f, "{COMPONENT}")?;
                    }
                    f.write_str(component.as_str())?;
                }
                Ok(())
            }
        }
    }
}

/// One segment: its id and its elements, trailing empty elements already dropped (readers
/// report a segment ending in a separator as an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    id: &'static str,
    elements: Vec<Element>,
}

impl Segment {
    /// Panics if `id` is not an X12 segment id (2 or 3 upper-case letters or digits,
    /// starting with a letter): ids are literals in the writer.
    pub fn new(id: &'static str, mut elements: Vec<Element>) -> Segment {
        let bytes = id.as_bytes();
        assert!(
            (2..=3).contains(&bytes.len())
                && bytes[0].is_ascii_uppercase()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "{id:?} is not an X12 segment id"
        );
        while elements.last().is_some_and(Element::is_empty) {
            elements.pop();
        }
        Segment { id, elements }
    }

    pub fn id(&self) -> &'static str {
        self.id
    }

    pub fn elements(&self) -> &[Element] {
        &self.elements
    }
}

/// The segment without its terminator: `NM1*41*2*GROUP CLINIC*****46*123456789`.
impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)?;
        for element in &self.elements {
            write!(f, "{ELEMENT}{element}")?;
        }
        Ok(())
    }
}

/// The segments as X12 text: each followed by `~` and a newline.
pub fn join(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        use fmt::Write;
        // Writing into a String cannot fail.
        let _ = writeln!(out, "{segment}{TERMINATOR}");
    }
    out
}

/// Text folded towards ASCII for X12: Latin letters with diacritics lose them (`é` → `e`,
/// `ñ` → `n`), ligatures and special letters are spelled out (`ß` → `ss`, `Æ` → `AE`),
/// combining accents are dropped, typographic quotes, dashes and spaces become their ASCII
/// forms. Anything else is left as it is (and refused by [`Value::text`] if not ASCII).
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fold_char(c) {
            Some(replacement) => out.push_str(replacement),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The ASCII spelling of one non-ASCII character, when it has one.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        // Combining diacritical marks (text in decomposed form): the base letter stays.
        '\u{0300}'..='\u{036F}' => "",
        // Spaces, quotes and dashes a word processor puts in.
        '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' => " ",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' | '\u{00B4}' | '\u{02BC}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        // Latin-1 Supplement.
        'À'..='Å' => "A",
        'Æ' => "AE",
        'Ç' => "C",
        'È'..='Ë' => "E",
        'Ì'..='Ï' => "I",
        'Ð' => "D",
        'Ñ' => "N",
        'Ò'..='Ö' | 'Ø' => "O",
        'Ù'..='Ü' => "U",
        'Ý' => "Y",
        'Þ' => "TH",
        'ß' => "ss",
        'à'..='å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è'..='ë' => "e",
        'ì'..='ï' => "i",
        'ð' => "d",
        'ñ' => "n",
        'ò'..='ö' | 'ø' => "o",
        'ù'..='ü' => "u",
        'ý' | 'ÿ' => "y",
        'þ' => "th",
        // Latin Extended-A, where most letters come in upper/lower pairs.
        'Ĳ' => "IJ",
        'ĳ' => "ij",
        'ĸ' => "k",
        'ŉ' => "'n",
        'Œ' => "OE",
        'œ' => "oe",
        'ſ' => "s",
        'Ÿ' => "Y",
        '\u{0100}'..='\u{017F}' => return extended_a(c),
        // Latin Extended-B: the Romanian comma-below letters.
        'Ș' => "S",
        'ș' => "s",
        'Ț' => "T",
        'ț' => "t",
        _ => return None,
    })
}

/// Latin Extended-A (U+0100–U+017F) apart from its few ligatures: the base letter of each,
/// in the block's order.
fn extended_a(c: char) -> Option<&'static str> {
    const BASES: &str = concat!(
        "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi", // U+0100–U+0131
        "..JjKk.LlLlLlLlLlNnNnNn.Nn", // U+0132–U+014B (dots: handled before)
        "OoOoOo..RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYy.ZzZzZz.", // U+014C–U+017F
    );
    const _: () = assert!(BASES.len() == 0x80);
    let index = (u32::from(c) - 0x0100) as usize;
    let base = BASES.get(index..=index)?;
    (base != ".").then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Element {
        Element::Simple(Value::text(s).unwrap())
    }

    #[test]
    fn segments_join_with_the_delimiters_and_a_newline() {
        let segments = [
            Segment::new(
                "NM1",
                vec![
                    Element::code("85"),
                    Element::code("2"),
                    text("Group Clinic"),
                    Element::empty(),
                    Element::empty(),
                    Element::empty(),
                    Element::empty(),
                    Element::code("XX"),
                    text("1234567893"),
                ],
            ),
            Segment::new(
                "SV1",
                vec![
                    Element::Composite(vec![
                        Value::code("HC"),
                        Value::code("90853"),
                        Value::code("HQ"),
                    ]),
                    text("45"),
                    Element::code("UN"),
                    Element::Simple(Value::number(1u32)),
                    Element::empty(),
                    Element::empty(),
                    Element::Composite(vec![Value::number(1u32)]),
                ],
            ),
        ];
        assert_eq!(
            join(&segments),
            "NM1*85*2*Group Clinic*****XX*1234567893~\nSV1*HC:90853:HQ*45*UN*1***1~\n"
        );
    }

    #[test]
    fn trailing_empty_elements_and_components_are_not_written() {
        let segment = Segment::new(
            "N3",
            vec![text("1 Main St"), Element::empty(), Element::empty()],
        );
        assert_eq!(segment.to_string(), "N3*1 Main St");
        assert_eq!(segment.elements().len(), 1);
        let composite = Segment::new(
            "HI",
            vec![
                Element::Composite(vec![
                    Value::code("ABK"),
                    Value::code("F331"),
                    Value::empty(),
                ]),
                Element::Composite(vec![Value::empty(), Value::empty()]),
            ],
        );
        assert_eq!(composite.to_string(), "HI*ABK:F331");
        assert_eq!(Segment::new("SE", vec![]).to_string(), "SE");
    }

    #[test]
    fn empty_elements_between_written_ones_are_kept() {
        let segment = Segment::new(
            "SBR",
            vec![
                Element::code("P"),
                Element::empty(),
                Element::empty(),
                Element::code("MC"),
            ],
        );
        assert_eq!(segment.to_string(), "SBR*P***MC");
    }

    #[test]
    fn diacritics_fold_to_ascii() {
        assert_eq!(fold("José Müller"), "Jose Muller");
        assert_eq!(fold("Peña"), "Pena");
        assert_eq!(fold("Straße"), "Strasse");
        assert_eq!(fold("Ærøskøbing"), "AEroskobing");
        assert_eq!(fold("Łódź"), "Lodz");
        assert_eq!(fold("Dvořák"), "Dvorak");
        assert_eq!(fold("Œuvre"), "OEuvre");
        assert_eq!(fold("Ştefan Țepeș"), "Stefan Tepes");
        assert_eq!(fold("Ğüçlü İnce"), "Guclu Ince");
        assert_eq!(fold("Ĳsselmeer"), "IJsselmeer");
        // Decomposed: e + combining acute.
        assert_eq!(fold("Jose\u{0301}"), "Jose");
        assert_eq!(fold("O’Brien – Smith"), "O'Brien - Smith");
        assert!(matches!(fold("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn every_extended_a_letter_folds_to_one_ascii_letter_or_a_spelling() {
        for c in '\u{0100}'..='\u{017F}' {
            let folded = fold_char(c).unwrap_or_else(|| panic!("{c} U+{:04X}", u32::from(c)));
            assert!(
                !folded.is_empty() && folded.bytes().all(|b| b.is_ascii_graphic()),
                "{c} → {folded:?}"
            );
        }
        assert_eq!(fold_char('Ā'), Some("A"));
        assert_eq!(fold_char('ı'), Some("i"));
        assert_eq!(fold_char('Ŀ'), Some("L"));
        assert_eq!(fold_char('Ŋ'), Some("N"));
        assert_eq!(fold_char('Ō'), Some("O"));
        assert_eq!(fold_char('Ŵ'), Some("W"));
        assert_eq!(fold_char('ž'), Some("z"));
    }

    #[test]
    fn a_delimiter_is_an_error_never_a_shift() {
        for c in ['*', ':', '^', '~'] {
            let error = Value::text(&format!("O{c}Brien")).unwrap_err();
            assert_eq!(error.fault, Fault::Delimiter(c));
        }
    }

    #[test]
    fn what_does_not_fold_is_refused() {
        assert_eq!(
            Value::text("王").unwrap_err().fault,
            Fault::OutsideCharacterSet('王')
        );
        assert_eq!(
            Value::text("Ana\nLopez").unwrap_err().fault,
            Fault::OutsideCharacterSet('\n')
        );
        assert_eq!(Value::text("Müller").unwrap().as_str(), "Muller");
    }

    #[test]
    fn the_isa_separators_are_the_only_values_holding_a_delimiter() {
        assert_eq!(Value::repetition_separator().as_str(), "^");
        assert_eq!(Value::component_separator().as_str(), ":");
    }

    #[test]
    #[should_panic(expected = "not plain X12 text")]
    fn a_code_literal_with_a_delimiter_is_a_bug() {
        Value::code("A*B");
    }
}
