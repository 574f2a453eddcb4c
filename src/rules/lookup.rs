//! Which rule rows apply to a session. Supervision rules and size
//! bands share the lookup, so they cannot disagree about precedence or date boundaries.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where and when a rule row applies: payer, state, optional group type and an inclusive
/// effective period (either end may be open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleScope {
    pub payer: String,
    pub state: String,
    /// `None` is the generic row, used when no row names the session's group type.
    pub group_type: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl RuleScope {
    /// Both ends inclusive: a rule ending on the session's date still prices it.
    pub fn in_effect_on(&self, date: NaiveDate) -> bool {
        self.start.is_none_or(|start| start <= date) && self.end.is_none_or(|end| date <= end)
    }
}

/// A database rule row: its id and where it applies.
pub trait RuleRow {
    fn rule_id(&self) -> i64;
    fn scope(&self) -> &RuleScope;

    /// Among rows that apply at once, the one started last wins (a newer row supersedes an
    /// older open-ended one), then the higher id, so the choice never depends on input order.
    fn precedence(&self) -> (Option<NaiveDate>, i64) {
        (self.scope().start, self.rule_id())
    }
}

/// The rows for this payer and state in effect on the session's local date: those for the
/// session's group type if any exist, else the generic ones. The date is the session's, not
/// today's, so a correction of an old session is priced by the rules of its day.
pub fn select_rules<'a, T: RuleRow>(
    rows: &'a [T],
    payer: &str,
    state: &str,
    group_type: &str,
    local_date: NaiveDate,
) -> Vec<&'a T> {
    let in_effect = rows.iter().filter(|row| {
        let scope = row.scope();
        scope.payer == payer && scope.state == state && scope.in_effect_on(local_date)
    });
    let (specific, generic): (Vec<&T>, Vec<&T>) = in_effect
        .filter(|row| {
            row.scope()
                .group_type
                .as_deref()
                .is_none_or(|gt| gt == group_type)
        })
        .partition(|row| row.scope().group_type.is_some());
    if specific.is_empty() {
        generic
    } else {
        specific
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Row(i64, RuleScope);

    impl RuleRow for Row {
        fn rule_id(&self) -> i64 {
            self.0
        }
        fn scope(&self) -> &RuleScope {
            &self.1
        }
    }

    pub(crate) fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    pub(crate) fn scope(
        payer: &str,
        group_type: Option<&str>,
        start: Option<&str>,
        end: Option<&str>,
    ) -> RuleScope {
        RuleScope {
            payer: payer.into(),
            state: "OR".into(),
            group_type: group_type.map(Into::into),
            start: start.map(date),
            end: end.map(date),
        }
    }

    fn ids(rows: Vec<&Row>) -> Vec<i64> {
        rows.into_iter().map(|row| row.0).collect()
    }

    fn pick(rows: &[Row], on: &str) -> Vec<i64> {
        ids(select_rules(rows, "ORMCD", "OR", "DBT", date(on)))
    }

    #[test]
    fn specific_rows_beat_generic_ones() {
        let rows = [
            Row(1, scope("ORMCD", None, None, None)),
            Row(2, scope("ORMCD", Some("DBT"), None, None)),
            Row(3, scope("ORMCD", Some("CBT"), None, None)),
        ];
        assert_eq!(pick(&rows, "2026-11-27"), [2]);
        assert_eq!(
            ids(select_rules(
                &rows,
                "ORMCD",
                "OR",
                "SOC",
                date("2026-11-27")
            )),
            [1]
        );
    }

    #[test]
    fn an_expired_specific_row_falls_back_to_generic() {
        let rows = [
            Row(1, scope("ORMCD", None, Some("2026-01-01"), None)),
            Row(
                2,
                scope("ORMCD", Some("DBT"), Some("2026-01-01"), Some("2026-06-30")),
            ),
        ];
        assert_eq!(pick(&rows, "2026-06-30"), [2]);
        assert_eq!(pick(&rows, "2026-07-01"), [1]);
    }

    #[test]
    fn date_boundaries_are_inclusive() {
        let rows = [Row(
            1,
            scope("ORMCD", None, Some("2026-01-01"), Some("2026-12-31")),
        )];
        assert_eq!(pick(&rows, "2025-12-31"), [] as [i64; 0]);
        assert_eq!(pick(&rows, "2026-01-01"), [1]);
        assert_eq!(pick(&rows, "2026-12-31"), [1]);
        assert_eq!(pick(&rows, "2027-01-01"), [] as [i64; 0]);
    }

    #[test]
    fn open_ends_apply_forever() {
        let rows = [Row(1, scope("ORMCD", None, None, None))];
        assert_eq!(pick(&rows, "1900-01-01"), [1]);
        assert_eq!(pick(&rows, "2999-12-31"), [1]);
    }

    #[test]
    fn other_payers_and_states_never_apply() {
        let mut other_state = scope("ORMCD", None, None, None);
        other_state.state = "WA".into();
        let rows = [
            Row(1, scope("WAMCD", None, None, None)),
            Row(2, other_state),
        ];
        assert_eq!(pick(&rows, "2026-11-27"), [] as [i64; 0]);
    }

    #[test]
    fn several_rows_in_effect_are_all_returned_in_input_order() {
        let rows = [
            Row(5, scope("ORMCD", Some("DBT"), Some("2026-01-01"), None)),
            Row(4, scope("ORMCD", Some("DBT"), None, None)),
        ];
        assert_eq!(pick(&rows, "2026-11-27"), [5, 4]);
        assert!(rows[0].precedence() > rows[1].precedence());
    }
}
