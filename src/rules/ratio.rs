//! The supervision ratio: how many billable participants the present supervisors
//! may cover.

use serde::{Deserialize, Serialize};

use super::lookup::{RuleRow, RuleScope};

/// A supervision-rule row: each present supervisor covers up to `max_per_supervisor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionRule {
    pub id: i64,
    #[serde(flatten)]
    pub scope: RuleScope,
    pub max_per_supervisor: u32,
}

impl RuleRow for SupervisionRule {
    fn rule_id(&self) -> i64 {
        self.id
    }
    fn scope(&self) -> &RuleScope {
        &self.scope
    }
}

/// The figures of one ratio check, kept so the issue can show its arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RatioCheck {
    pub rule_id: i64,
    pub max_per_supervisor: u32,
    pub supervisors_present: u32,
    pub group_size: u32,
    /// supervisors present × max per supervisor.
    pub capacity: u32,
}

impl RatioCheck {
    /// `7 billable > 1 present × 6`, or with `≤` when within the ratio.
    pub fn arithmetic(&self) -> String {
        let relation = if self.is_breach() { ">" } else { "≤" };
        format!(
            "{} billable {relation} {} present × {}",
            self.group_size, self.supervisors_present, self.max_per_supervisor
        )
    }

    pub fn is_breach(&self) -> bool {
        self.group_size > self.capacity
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatioOutcome {
    /// No rule for the payer: nothing to check.
    NoRule,
    Within(RatioCheck),
    Breach(RatioCheck),
}

impl RatioOutcome {
    pub fn check(&self) -> Option<&RatioCheck> {
        match self {
            Self::NoRule => None,
            Self::Within(check) | Self::Breach(check) => Some(check),
        }
    }

    pub fn is_breach(&self) -> bool {
        matches!(self, Self::Breach(_))
    }
}

/// Breach when the group is larger than the present supervisors may cover; with nobody
/// present the capacity is 0, so any billable participant is a breach.
pub fn check_supervision_ratio(
    rule: Option<&SupervisionRule>,
    group_size: u32,
    supervisors_present: u32,
) -> RatioOutcome {
    let Some(rule) = rule else {
        return RatioOutcome::NoRule;
    };
    let check = RatioCheck {
        rule_id: rule.id,
        max_per_supervisor: rule.max_per_supervisor,
        supervisors_present,
        group_size,
        capacity: supervisors_present.saturating_mul(rule.max_per_supervisor),
    };
    if check.is_breach() {
        RatioOutcome::Breach(check)
    } else {
        RatioOutcome::Within(check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::lookup::tests::scope;

    fn rule(max_per_supervisor: u32) -> SupervisionRule {
        SupervisionRule {
            id: 12,
            scope: scope("ORMCD", None, None, None),
            max_per_supervisor,
        }
    }

    #[test]
    fn no_rule_means_no_check() {
        assert_eq!(check_supervision_ratio(None, 40, 0), RatioOutcome::NoRule);
        assert_eq!(RatioOutcome::NoRule.check(), None);
        assert!(!RatioOutcome::NoRule.is_breach());
    }

    #[test]
    fn size_equal_to_capacity_is_within() {
        let outcome = check_supervision_ratio(Some(&rule(6)), 12, 2);
        assert!(matches!(outcome, RatioOutcome::Within(_)));
        let check = outcome.check().unwrap();
        assert_eq!((check.capacity, check.rule_id), (12, 12));
        assert_eq!(check.arithmetic(), "12 billable ≤ 2 present × 6");
    }

    #[test]
    fn one_over_capacity_is_a_breach() {
        let outcome = check_supervision_ratio(Some(&rule(6)), 7, 1);
        assert!(outcome.is_breach());
        assert_eq!(
            outcome.check().unwrap().arithmetic(),
            "7 billable > 1 present × 6"
        );
    }

    #[test]
    fn nobody_present_breaches_from_the_first_participant() {
        assert!(!check_supervision_ratio(Some(&rule(6)), 0, 0).is_breach());
        let outcome = check_supervision_ratio(Some(&rule(6)), 1, 0);
        assert!(outcome.is_breach());
        assert_eq!(outcome.check().unwrap().capacity, 0);
        assert_eq!(
            outcome.check().unwrap().arithmetic(),
            "1 billable > 0 present × 6"
        );
    }

    #[test]
    fn capacity_saturates_instead_of_overflowing() {
        let outcome = check_supervision_ratio(Some(&rule(u32::MAX)), u32::MAX, 3);
        assert_eq!(outcome.check().unwrap().capacity, u32::MAX);
        assert!(!outcome.is_breach());
    }
}
