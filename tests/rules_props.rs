//! Property tests of the pure billing rules: the invariants the preview and the scrubber rely on.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use gsess::rules::{
    check_supervision_ratio, count_billable_participants, evaluate_session,
    resolve_group_size_band, wanted_charges, Acceptance, AttendanceStatus, Coverage, Evaluation,
    IssueCode, RosterRow, RuleScope, SessionFacts, SizeBand, SupervisionRule, SupervisorRow,
};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use rust_decimal::Decimal;

const PAYERS: [&str; 3] = ["ORMCD", "WAHP", "AETNA"];

fn session_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn status() -> impl Strategy<Value = AttendanceStatus> {
    select(AttendanceStatus::ALL.to_vec())
}

/// A date within a month either side of the session's, so boundaries are hit often.
fn near_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..60).prop_map(|offset| session_date() - Days::new(30) + Days::new(offset))
}

fn rule_scope() -> impl Strategy<Value = RuleScope> {
    (
        select(PAYERS.to_vec()),
        select(vec!["OR", "WA"]),
        proptest::option::of(select(vec!["DBT", "CBT"])),
        proptest::option::of(near_date()),
        proptest::option::of(near_date()),
    )
        .prop_map(|(payer, state, group_type, start, end)| RuleScope {
            payer: payer.into(),
            state: state.into(),
            group_type: group_type.map(Into::into),
            start,
            end,
        })
}

/// Bands with unique ids; they may overlap or leave gaps, as bad data could.
fn bands() -> impl Strategy<Value = Vec<SizeBand>> {
    let band = (
        rule_scope(),
        0u32..10,
        0u32..4,
        proptest::option::of(0u32..30),
        0i64..20_000,
    );
    proptest::collection::vec(band, 0..8).prop_map(|bands| {
        bands
            .into_iter()
            .zip(1..)
            .map(|((scope, min, span, unit_minutes, cents), id)| SizeBand {
                id,
                scope,
                min,
                max: min + span,
                procedure_code: "90853".into(),
                modifiers: vec!["HQ".into()],
                rate: Decimal::new(cents, 2),
                unit_minutes,
            })
            .collect()
    })
}

fn supervision_rules() -> impl Strategy<Value = Vec<SupervisionRule>> {
    proptest::collection::vec((rule_scope(), 0u32..8), 0..5).prop_map(|rules| {
        rules
            .into_iter()
            .zip(100..)
            .map(|((scope, max_per_supervisor), id)| SupervisionRule {
                id,
                scope,
                max_per_supervisor,
            })
            .collect()
    })
}

/// A roster with unique row ids that arrive in any order.
fn roster() -> impl Strategy<Value = Vec<RosterRow>> {
    let coverage = proptest::option::of((select(PAYERS.to_vec()), any::<bool>()));
    proptest::collection::vec((status(), coverage, any::<bool>()), 0..10).prop_flat_map(|rows| {
        let ids: Vec<i64> = (1..=rows.len() as i64).collect();
        (Just(rows), Just(ids).prop_shuffle()).prop_map(|(rows, ids)| {
            rows.into_iter()
                .zip(ids)
                .map(|((status, coverage, has_diagnosis), row_id)| RosterRow {
                    row_id,
                    mrn: format!("M{row_id:03}"),
                    status,
                    coverage: coverage.map(|(payer, has_subscriber)| Coverage {
                        id: 1000 + row_id,
                        payer: payer.into(),
                        subscriber_id: has_subscriber.then(|| format!("S{row_id}")),
                    }),
                    has_diagnosis,
                })
                .collect()
        })
    })
}

fn acceptances() -> impl Strategy<Value = Vec<Acceptance>> {
    let subject = proptest::option::of(select(vec!["ORMCD", "WAHP", "M001", "M002"]));
    let acceptance = (
        select(IssueCode::ALL.to_vec()),
        subject.clone(),
        subject,
        0u32..6,
        0u32..3,
    );
    proptest::collection::vec(acceptance, 0..4).prop_map(|acceptances| {
        acceptances
            .into_iter()
            .zip(1..)
            .map(
                |((code, payer, mrn, group_size, supervisors_present), id)| Acceptance {
                    id,
                    code,
                    payer: payer.map(Into::into),
                    mrn: mrn.map(Into::into),
                    group_size,
                    supervisors_present,
                },
            )
            .collect()
    })
}

fn session_facts() -> impl Strategy<Value = SessionFacts> {
    (
        roster(),
        proptest::collection::vec(status(), 0..4),
        supervision_rules(),
        bands(),
        acceptances(),
        select(vec!["1234567893", "1234567890"]),
        0u32..120,
    )
        .prop_map(
            |(roster, supervisors, supervision_rules, size_bands, acceptances, npi, minutes)| {
                SessionFacts {
                    session_id: 1,
                    local_date: session_date(),
                    scheduled_minutes: minutes,
                    facility_state: "OR".into(),
                    billing_npi: npi.into(),
                    group_type: "DBT".into(),
                    roster,
                    supervisors: supervisors
                        .into_iter()
                        .map(|status| SupervisorRow {
                            npi: "1245319599".into(),
                            name: "Dana Reyes".into(),
                            status,
                        })
                        .collect(),
                    supervision_rules,
                    size_bands,
                    acceptances,
                }
            },
        )
}

fn breached_payers(evaluation: &Evaluation) -> BTreeSet<Option<String>> {
    let breaches = evaluation
        .issues
        .iter()
        .filter(|issue| issue.code == IssueCode::SupervisionRatioBreach);
    breaches.map(|issue| issue.payer.clone()).collect()
}

fn payer_codes(evaluation: &Evaluation) -> BTreeSet<String> {
    evaluation
        .payers
        .iter()
        .map(|payer| payer.payer.clone())
        .collect()
}

proptest! {
    #[test]
    fn band_resolution_never_picks_a_band_above_the_size(bands in bands(), size in 0u32..16) {
        if let Some(band) = resolve_group_size_band(&bands, size).band() {
            prop_assert!(band.min <= size, "band {}–{} for size {size}", band.min, band.max);
        }
    }

    #[test]
    fn another_present_supervisor_never_creates_a_breach(
        max_per_supervisor in 0u32..8,
        group_size in 0u32..40,
        present in 0u32..6,
    ) {
        let rule = SupervisionRule {
            id: 1,
            scope: RuleScope {
                payer: "ORMCD".into(),
                state: "OR".into(),
                group_type: None,
                start: None,
                end: None,
            },
            max_per_supervisor,
        };
        let before = check_supervision_ratio(Some(&rule), group_size, present);
        let after = check_supervision_ratio(Some(&rule), group_size, present + 1);
        prop_assert!(before.is_breach() || !after.is_breach());
    }

    #[test]
    fn another_present_supervisor_never_adds_a_breached_payer(facts in session_facts()) {
        let mut more = facts.clone();
        more.supervisors.push(SupervisorRow {
            npi: "1234567893".into(),
            name: "Sam Ortiz".into(),
            status: AttendanceStatus::Attended,
        });
        let before = breached_payers(&evaluate_session(&facts));
        let after = breached_payers(&evaluate_session(&more));
        prop_assert!(after.is_subset(&before), "{after:?} ⊄ {before:?}");
    }

    #[test]
    fn the_billable_count_never_exceeds_the_roster(facts in session_facts()) {
        let evaluation = evaluate_session(&facts);
        prop_assert!(evaluation.billable_count as usize <= facts.roster.len());
        prop_assert_eq!(evaluation.billable_count, count_billable_participants(&facts.roster));
    }

    #[test]
    fn marking_a_scheduled_row_never_removes_a_payer(
        facts in session_facts(),
        row in any::<Index>(),
        next in any::<Index>(),
    ) {
        let scheduled: Vec<usize> = (0..facts.roster.len())
            .filter(|&i| facts.roster[i].status == AttendanceStatus::Scheduled)
            .collect();
        prop_assume!(!scheduled.is_empty());
        let mut marked = facts.clone();
        let row = &mut marked.roster[*row.get(&scheduled)];
        row.status = *next.get(row.status.allowed_next());
        let before = payer_codes(&evaluate_session(&facts));
        let after = payer_codes(&evaluate_session(&marked));
        prop_assert!(before.is_subset(&after), "{before:?} ⊄ {after:?}");
    }

    #[test]
    fn the_order_rows_are_read_in_never_matters(facts in session_facts()) {
        let mut reversed = facts.clone();
        reversed.roster.reverse();
        reversed.supervision_rules.reverse();
        reversed.size_bands.reverse();
        prop_assert_eq!(evaluate_session(&facts), evaluate_session(&reversed));
        prop_assert_eq!(wanted_charges(&facts), wanted_charges(&reversed));
    }
}
