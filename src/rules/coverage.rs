//! Which coverage a member resolves to on a session's date: the primary
//! (`priority = 1`) policy active that day. The preview and `explain` both ask this function,
//! so the answer and its explanation cannot disagree.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::facts::Coverage;

/// One of a member's coverage policies, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub id: i64,
    /// The payer's code.
    pub payer: String,
    pub priority: u32,
    pub subscriber_id: Option<String>,
    pub start: NaiveDate,
    /// Inclusive; `None` is open-ended.
    pub end: Option<NaiveDate>,
}

impl Policy {
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|end| date <= end)
    }

    fn period(&self) -> String {
        match self.end {
            Some(end) => format!("{}..{}", self.start, end),
            None => format!("{}..open", self.start),
        }
    }

    pub fn coverage(&self) -> Coverage {
        Coverage {
            id: self.id,
            payer: self.payer.clone(),
            subscriber_id: self.subscriber_id.clone(),
        }
    }
}

/// The primary policy active on `date`, and why it (or none) was chosen. Two overlapping
/// primary policies should not exist; if they do, the one started last wins, then the
/// higher id, so the choice never depends on the order rows were read in.
pub fn select_primary(policies: &[Policy], date: NaiveDate) -> (Option<&Policy>, String) {
    let chosen = policies
        .iter()
        .filter(|p| p.priority == 1 && p.active_on(date))
        .max_by_key(|p| (p.start, p.id));
    let why = match chosen {
        Some(policy) => format!(
            "priority 1 policy with {} active {} covers {date}",
            policy.payer,
            policy.period()
        ),
        None if policies.is_empty() => "no coverage policy on file".to_owned(),
        None => {
            let considered: Vec<String> = policies
                .iter()
                .map(|p| {
                    let verdict = if p.priority != 1 {
                        format!("priority {}", p.priority)
                    } else {
                        "not active that day".to_owned()
                    };
                    format!("{} {} ({verdict})", p.payer, p.period())
                })
                .collect();
            format!(
                "no priority 1 policy active on {date}: {}",
                considered.join("; ")
            )
        }
    };
    (chosen, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn policy(id: i64, priority: u32, start: &str, end: Option<&str>) -> Policy {
        Policy {
            id,
            payer: format!("P{id}"),
            priority,
            subscriber_id: Some("S1".into()),
            start: date(start),
            end: end.map(date),
        }
    }

    #[test]
    fn the_primary_policy_active_on_the_day_is_chosen() {
        let policies = [
            policy(1, 2, "2026-01-01", None),
            policy(2, 1, "2026-01-01", Some("2026-06-30")),
            policy(3, 1, "2026-07-01", None),
        ];
        let (chosen, why) = select_primary(&policies, date("2026-11-27"));
        assert_eq!(chosen.map(|p| p.id), Some(3));
        assert!(why.contains("P3 active 2026-07-01..open"), "{why}");
        let (chosen, _) = select_primary(&policies, date("2026-06-30"));
        assert_eq!(chosen.map(|p| p.id), Some(2), "the end date is inclusive");
    }

    #[test]
    fn no_primary_that_day_explains_each_policy_considered() {
        let policies = [
            policy(1, 2, "2026-01-01", None),
            policy(2, 1, "2026-01-01", Some("2026-06-30")),
        ];
        let (chosen, why) = select_primary(&policies, date("2026-11-27"));
        assert!(chosen.is_none());
        assert!(why.contains("P1 2026-01-01..open (priority 2)"), "{why}");
        assert!(
            why.contains("P2 2026-01-01..2026-06-30 (not active that day)"),
            "{why}"
        );
        assert_eq!(
            select_primary(&[], date("2026-11-27")).1,
            "no coverage policy on file"
        );
    }

    #[test]
    fn overlapping_primaries_resolve_the_same_in_any_order() {
        let a = policy(1, 1, "2026-01-01", None);
        let b = policy(2, 1, "2026-03-01", None);
        let forward = [a.clone(), b.clone()];
        let backward = [b, a];
        let day = date("2026-11-27");
        assert_eq!(
            select_primary(&forward, day).0.map(|p| p.id),
            select_primary(&backward, day).0.map(|p| p.id)
        );
        assert_eq!(select_primary(&forward, day).0.map(|p| p.id), Some(2));
    }
}
