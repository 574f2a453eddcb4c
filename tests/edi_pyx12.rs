//! The 837P writer's output as pyx12 judges it: every kind of claim gsess sends passes, and a broken interchange fails.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::pyx12;
use gsess::billing::edi::{
    render, Address, Claim, Facility, Interchange, Line, OtherSubscriber, Payer, Person, Provider,
    Relationship,
};
use rust_decimal::Decimal;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn line(code: &str, modifiers: &[&str], amount: &str, units: u32) -> Line {
    Line {
        procedure_code: code.into(),
        modifiers: modifiers.iter().map(|m| m.to_string()).collect(),
        amount: money(amount),
        units,
    }
}

fn person(first: &str, last: &str, birth: NaiveDate, sex: &str) -> Person {
    Person {
        first_name: first.into(),
        last_name: last.into(),
        birth_date: birth,
        sex: sex.into(),
    }
}

fn address(line1: &str, zip: &str) -> Address {
    Address {
        line1: line1.into(),
        line2: None,
        city: "Portland".into(),
        state: "OR".into(),
        zip: zip.into(),
    }
}

/// An original claim of one group psychotherapy line for a member who is the subscriber.
fn claim(ccn: &str) -> Claim {
    Claim {
        claim_control_number: ccn.into(),
        frequency_code: "1".into(),
        payer_claim_number: None,
        amount: money("45"),
        place_of_service: "11".into(),
        service_date: day(2026, 11, 2),
        diagnosis_codes: vec!["F33.1".into()],
        subscriber_id: "M001".into(),
        member: person("Ana", "Lopez", day(1980, 4, 12), "F"),
        member_address: Some(address("12 Elm St", "97202")),
        subscriber: None,
        supervising_provider: None,
        lines: vec![line("90853", &["HQ"], "45", 1)],
    }
}

fn interchange(claims: Vec<Claim>) -> Interchange {
    Interchange {
        interchange_control_number: 17,
        group_control_number: 17,
        production: false,
        created_at: at(2026, 11, 3, 9, 5),
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

fn assert_accepted(interchange: &Interchange) {
    if !pyx12::available() {
        return;
    }
    let edi = render(interchange).expect("the writer accepts the interchange");
    if let Err(report) = pyx12::validate(&edi) {
        panic!("{report}\n--- the interchange\n{edi}");
    }
}

#[test]
fn an_original_claim_passes() {
    assert_accepted(&interchange(vec![claim("1001")]));
}

#[test]
fn a_replacement_with_the_payers_claim_number_passes() {
    let mut replacement = claim("1001");
    replacement.frequency_code = "7".into();
    replacement.payer_claim_number = Some("PCN-2026-000123".into());
    let ic = interchange(vec![replacement]);
    assert!(render(&ic).unwrap().contains("REF*F8*PCN-2026-000123~"));
    assert_accepted(&ic);
}

#[test]
fn a_void_passes() {
    let mut void = claim("1001");
    void.frequency_code = "8".into();
    void.payer_claim_number = Some("PCN-2026-000123".into());
    let ic = interchange(vec![void]);
    assert!(render(&ic).unwrap().contains(":B:8*"));
    assert_accepted(&ic);
}

#[test]
fn a_child_on_a_parents_plan_has_a_patient_loop_and_passes() {
    let mut child = claim("1002");
    child.member = person("Leo", "Lopez", day(2014, 6, 1), "M");
    child.subscriber = Some(OtherSubscriber {
        relationship: Relationship::Child,
        person: person("Ana", "Lopez", day(1980, 4, 12), "F"),
    });
    let ic = interchange(vec![child]);
    let edi = render(&ic).unwrap();
    assert!(edi.contains("PAT*19~") && edi.contains("NM1*QC*1*Lopez*Leo~"));
    assert_accepted(&ic);
}

#[test]
fn a_spouse_and_an_other_dependant_pass() {
    let mut spouse = claim("1003");
    spouse.subscriber = Some(OtherSubscriber {
        relationship: Relationship::Spouse,
        person: person("Carlos", "Lopez", day(1978, 1, 30), "M"),
    });
    let mut other = claim("1004");
    other.subscriber = Some(OtherSubscriber {
        relationship: Relationship::Other,
        person: person("Rosa", "Diaz", day(1955, 9, 9), "F"),
    });
    assert_accepted(&interchange(vec![spouse, other]));
}

#[test]
fn several_lines_and_a_timed_code_with_units_pass() {
    let mut several = claim("1005");
    several.lines = vec![
        line("90853", &["HQ"], "45", 1),
        line("97158", &["GP", "HQ"], "112.25", 3),
        line("90853", &[], "45.5", 1),
    ];
    several.amount = money("202.75");
    several.diagnosis_codes = vec!["F33.1".into(), "F41.1".into(), "Z63.0".into()];
    several.supervising_provider = Some(Provider {
        npi: "1245319599".into(),
        first_name: "Maria".into(),
        last_name: "Okafor".into(),
    });
    let ic = interchange(vec![several]);
    let edi = render(&ic).unwrap();
    assert!(edi.contains("SV1*HC:97158:GP:HQ*112.25*UN*3***1~"), "{edi}");
    assert!(edi.contains("HI*ABK:F331*ABF:F411*ABF:Z630~"), "{edi}");
    assert!(
        edi.contains("NM1*DQ*1*Okafor*Maria****XX*1245319599~"),
        "{edi}"
    );
    assert_accepted(&ic);
}

#[test]
fn names_with_diacritics_are_folded_and_pass() {
    let mut jose = claim("1006");
    jose.member = person("José", "Müller", day(1990, 2, 28), "M");
    jose.member_address = Some(Address {
        line1: "7 Straße Peña".into(),
        line2: Some("Apt Ø".into()),
        city: "São Tomé".into(),
        state: "OR".into(),
        zip: "972021234".into(),
    });
    let ic = interchange(vec![jose]);
    let edi = render(&ic).unwrap();
    assert!(edi.is_ascii());
    assert!(edi.contains("NM1*IL*1*Muller*Jose****MI*M001~"), "{edi}");
    assert!(edi.contains("N3*7 Strasse Pena*Apt O~"), "{edi}");
    assert_accepted(&ic);
}

#[test]
fn a_whole_run_in_one_interchange_passes() {
    let mut replacement = claim("1010");
    replacement.frequency_code = "7".into();
    replacement.payer_claim_number = Some("9988776655".into());
    let mut child = claim("1011");
    child.subscriber = Some(OtherSubscriber {
        relationship: Relationship::Child,
        person: person("Ana", "Lopez", day(1980, 4, 12), "F"),
    });
    child.member = person("Mia", "Lopez", day(2012, 3, 3), "F");
    let mut ic = interchange(vec![claim("1009"), replacement, child, claim("1012")]);
    ic.production = true;
    ic.submitter.submitter_id = Some("GSESS01".into());
    ic.payer.receiver_id = Some("CLEARHOUSE".into());
    ic.interchange_control_number = 999_999_999;
    assert_accepted(&ic);
}

/// The validator must be able to say no, or every pass above means nothing.
#[test]
fn a_broken_interchange_fails_pyx12() {
    if !pyx12::available() {
        return;
    }
    let edi = render(&interchange(vec![claim("1001")])).unwrap();
    assert_eq!(pyx12::validate(&edi), Ok(()));

    // SE01 one too many.
    let se = edi.lines().find(|l| l.starts_with("SE*")).unwrap();
    let count: u32 = se[3..].split('*').next().unwrap().parse().unwrap();
    let wrong_count = edi.replace(se, &format!("SE*{}*0001~", count + 1));
    let report = pyx12::validate(&wrong_count).expect_err("a wrong SE01 must fail");
    assert!(report.contains("SE count"), "{report}");

    // The payer's NM1 (2010BB, required) left out.
    let payer = edi.lines().find(|l| l.starts_with("NM1*PR*")).unwrap();
    let without_payer = edi
        .replace(&format!("{payer}\n"), "")
        .replace(se, &format!("SE*{}*0001~", count - 1));
    assert!(pyx12::validate(&without_payer).is_err());

    // An element pyx12 checks itself: a DMG date that is not a date.
    let bad_date = edi.replace("DMG*D8*19800412*F~", "DMG*D8*19801312*F~");
    assert_ne!(bad_date, edi);
    assert!(pyx12::validate(&bad_date).is_err());
}
