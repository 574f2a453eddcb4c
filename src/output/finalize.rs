//! `finalize`: the plan shown before the confirmation, and what it did per session.

use super::session::{local_time, time_window};
use super::{Human, View};
use crate::model::Candidate;
use crate::ops::finalize::{FinalizePlan, FinalizeReport, Settled, Verdict};
use crate::time::facility_zone;
use chrono::NaiveDate;
use comfy_table::{Cell, Color};
use serde::Serialize;
use std::fmt::Write as _;
use std::io;

/// One session of the answer: `{id, outcome, reason, marked_absent, …}`.
#[derive(Debug, Clone, Serialize)]
pub struct SessionOutcome {
    pub id: i64,
    pub facility: String,
    pub group_type: String,
    pub date: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub outcome: Verdict,
    /// `reason` (`null` when finalized), `detail`, the `mrns` and `npis` marked ABSENT (with
    /// `--dry-run`: that would be), and those `left_alone` (marked by someone else between
    /// the plan and the apply).
    #[serde(flatten)]
    pub settled: Settled,
    /// MRNs then NPIs: every row marked ABSENT.
    pub marked_absent: Vec<String>,
}

impl SessionOutcome {
    fn of(row: &Candidate, settled: &Settled) -> SessionOutcome {
        let tz = facility_zone(&row.timezone);
        SessionOutcome {
            id: row.id,
            facility: row.facility.clone(),
            group_type: row.group_type.clone(),
            date: row.local_date,
            starts_at: local_time(row.starts_at, tz),
            ends_at: local_time(row.ends_at, tz),
            outcome: settled.verdict(),
            marked_absent: settled.mrns.iter().chain(&settled.npis).cloned().collect(),
            settled: settled.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FinalizeView {
    pub dry_run: bool,
    pub sessions: Vec<SessionOutcome>,
    pub finalized_count: usize,
    pub skipped_count: usize,
    /// Rows marked ABSENT (with `--dry-run`: that would be).
    pub marked_absent_count: usize,
}

impl FinalizeView {
    pub fn of(report: &FinalizeReport) -> FinalizeView {
        let sessions: Vec<SessionOutcome> = report
            .sessions
            .iter()
            .map(|(candidate, settled)| SessionOutcome::of(candidate, settled))
            .collect();
        let skipped_count = sessions
            .iter()
            .filter(|s| s.outcome == Verdict::Skipped)
            .count();
        FinalizeView {
            dry_run: report.dry_run,
            finalized_count: sessions.len() - skipped_count,
            skipped_count,
            marked_absent_count: sessions.iter().map(|s| s.marked_absent.len()).sum(),
            sessions,
        }
    }
}

impl View for FinalizeView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.sessions.is_empty() {
            return out.line("No sessions to finalize.");
        }
        let rows = self
            .sessions
            .iter()
            .map(|s| {
                let outcome = match s.outcome {
                    Verdict::Finalized => out.colored("finalized", Color::Green),
                    Verdict::Skipped => out.colored("skipped", Color::Yellow),
                };
                let reason = match (s.settled.reason, &s.settled.detail) {
                    (Some(reason), Some(detail)) => format!("{}: {detail}", reason.as_str()),
                    (Some(reason), None) => reason.as_str().to_owned(),
                    (None, Some(detail)) => detail.clone(),
                    (None, None) => String::new(),
                };
                vec![
                    Cell::new(s.id),
                    Cell::new(&s.facility),
                    Cell::new(s.date),
                    Cell::new(time_window(&s.starts_at, &s.ends_at)),
                    outcome,
                    Cell::new(reason),
                    Cell::new(s.marked_absent.len()),
                ]
            })
            .collect();
        out.table(
            &[
                "SESSION",
                "FACILITY",
                "DATE",
                "TIME",
                "OUTCOME",
                "REASON",
                "MARKED ABSENT",
            ],
            rows,
        )?;
        let verb = if self.dry_run {
            "Dry run: would mark"
        } else {
            "Marked"
        };
        out.line(format!(
            "{verb} {} row(s) ABSENT in {} session(s); {} skipped.{}",
            self.marked_absent_count,
            self.finalized_count,
            self.skipped_count,
            if self.dry_run {
                " Nothing changed."
            } else {
                ""
            }
        ))
    }
}

/// The plan for people: per session the rows that will become ABSENT, or why it is skipped.
pub fn plan_text(plan: &FinalizePlan) -> String {
    let mut text = String::new();
    let heading = if plan.dry_run {
        "Finalize (dry run: nothing will change)"
    } else {
        "Finalize"
    };
    let _ = writeln!(text, "{heading}: {} session(s)", plan.sessions.len());
    for p in &plan.sessions {
        let row = &p.candidate;
        let tz = facility_zone(&row.timezone);
        let _ = write!(
            text,
            "  session {} ({} {} {} {}): ",
            row.id,
            row.facility,
            row.group_type,
            row.local_date,
            time_window(&local_time(row.starts_at, tz), &local_time(row.ends_at, tz))
        );
        match p.skip {
            Some(reason) => {
                let _ = writeln!(
                    text,
                    "skip — {}: {}",
                    reason.as_str(),
                    p.skip_detail(reason, false)
                );
            }
            None if row.scheduled_count() == 0 => {
                let _ = writeln!(text, "nothing SCHEDULED");
            }
            None => {
                let mut parts = Vec::new();
                if !row.roster_mrns.is_empty() {
                    parts.push(row.roster_mrns.join(", "));
                }
                if !row.supervisor_npis.is_empty() {
                    parts.push(format!("supervisor(s) {}", row.supervisor_npis.join(", ")));
                }
                let _ = writeln!(text, "ABSENT ← {}", parts.join("; "));
            }
        }
    }
    let (rows, sessions) = plan.to_mark();
    let _ = write!(
        text,
        "{rows} row(s) to mark ABSENT in {sessions} session(s); {} skipped",
        plan.skipped()
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_with_the_facility_offset() {
        let mut candidate = crate::ops::finalize::tests::row(true, true, false, 1);
        candidate.supervisor_ids = vec![9];
        candidate.supervisor_npis = vec!["1245319599".into()];
        let settled = Settled {
            reason: None,
            detail: None,
            mrns: vec!["M001".into()],
            npis: vec!["1245319599".into()],
            left_alone: vec![],
        };
        let outcome = SessionOutcome::of(&candidate, &settled);
        assert_eq!(outcome.starts_at, "2026-11-27T14:00:00-08:00");
        assert_eq!(outcome.marked_absent, ["M001", "1245319599"]);
    }
}
