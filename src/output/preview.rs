//! The billing preview, and around it: how it got its answer (`explain`, for support
//! engineers: each member's coverage and why, the rule rows matched, which rows made the
//! billable count, which assignment linked each supervisor, each issue's arithmetic) and the
//! exceptions accepted against it (`accept`).

use super::session::local_time;
use super::{Human, View};
use crate::ops::accept::Acceptance;
use crate::ops::explain::{Explanation, MatchedRow};
use crate::rules::issues::{Issue, Severity};
use crate::rules::preview::Evaluation;
use crate::rules::{money, AttendanceStatus, IssueCode};
use crate::time::facility_zone;
use comfy_table::{Cell, Color};
use serde::Serialize;
use serde_json::json;
use std::io;

/// The billing preview.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct PreviewView(pub Evaluation);

impl View for PreviewView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        let e = &self.0;
        out.line(format!(
            "Billing preview: {} billable, {} supervisor(s) present, primary payer {}",
            e.billable_count,
            e.supervisors_present,
            e.primary_payer
                .as_deref()
                .unwrap_or("none (no roster member has coverage)")
        ))?;
        if !e.payers.is_empty() {
            let rows = e
                .payers
                .iter()
                .map(|p| {
                    let band = p.band.as_ref().map_or("—".to_owned(), |b| {
                        let mods = if b.modifiers.is_empty() {
                            String::new()
                        } else {
                            format!(":{}", b.modifiers.join(":"))
                        };
                        format!(
                            "{}–{} {}{mods} {} × {} = {}",
                            b.min, b.max, b.procedure_code, b.rate, b.units, b.amount
                        )
                    });
                    let ratio = p.supervision.map_or("—".to_owned(), |s| {
                        format!(
                            "{} per supervisor (capacity {})",
                            s.max_per_supervisor, s.capacity
                        )
                    });
                    vec![
                        Cell::new(&p.payer),
                        Cell::new(p.members.join(", ")),
                        Cell::new(band),
                        Cell::new(ratio),
                    ]
                })
                .collect();
            out.table(&["payer", "members", "band", "supervision"], rows)?;
        }
        if e.issues.is_empty() {
            out.line("No issues.")?;
        } else {
            let rows = e.issues.iter().map(|i| issue_row(out, i)).collect();
            out.table(&["severity", "code", "for", "arithmetic", "message"], rows)?;
        }
        out.line(if e.ready_to_bill {
            "Ready to bill.".to_owned()
        } else {
            format!("Not ready to bill: {} blocking issue(s).", e.blocking_count)
        })
    }
}

pub(super) fn issue_row(out: &Human<'_>, issue: &Issue) -> Vec<Cell> {
    let (label, color) = match (issue.accepted, issue.severity) {
        (true, _) => ("accepted".to_owned(), Color::Green),
        (false, Severity::Blocking) => ("BLOCKING".to_owned(), Color::Red),
        (false, Severity::Warning) => ("WARNING".to_owned(), Color::Yellow),
    };
    let subject = issue
        .mrn
        .clone()
        .or_else(|| issue.payer.clone())
        .unwrap_or_else(|| "session".to_owned());
    vec![
        out.colored(label, color),
        Cell::new(issue.code.as_str()),
        Cell::new(subject),
        Cell::new(&issue.arithmetic),
        Cell::new(&issue.message),
    ]
}

// ---------------------------------------------------------------------------------------
// `explain`
// ---------------------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct ExplainView {
    pub session_id: i64,
    pub local_date: String,
    pub facility_state: String,
    pub group_type: String,
    pub members: Vec<MemberCoverage>,
    pub rules: Vec<RuleMatch>,
    pub billable: Vec<BillableRow>,
    pub supervisors: Vec<SupervisorLink>,
    /// The preview's issues, each with its arithmetic and the rule rows behind it.
    pub issues: Vec<Issue>,
}

#[derive(Debug, Serialize)]
pub struct MemberCoverage {
    pub mrn: String,
    pub roster_row_id: i64,
    pub coverage_id: Option<i64>,
    pub payer: Option<String>,
    pub why: String,
}

#[derive(Debug, Serialize)]
pub struct RuleMatch {
    /// `supervision_rule` or `size_band`
    pub kind: &'static str,
    pub id: i64,
    pub payer: String,
    pub state: String,
    /// `null` for a generic row (every group type without rows of its own)
    pub group_type: Option<String>,
    pub values: serde_json::Value,
    /// The row the preview used for this payer (the chosen band, the ratio rule).
    pub applied: bool,
}

#[derive(Debug, Serialize)]
pub struct BillableRow {
    pub roster_row_id: i64,
    pub mrn: String,
    pub status: AttendanceStatus,
}

#[derive(Debug, Serialize)]
pub struct SupervisorLink {
    pub npi: String,
    pub name: String,
    pub source: String,
    pub assignment_id: Option<i64>,
    pub status: AttendanceStatus,
    pub present: bool,
    pub why: String,
}

impl ExplainView {
    pub fn of(explanation: &Explanation) -> ExplainView {
        let record = &explanation.record;
        let members = record
            .roster
            .iter()
            .zip(&explanation.coverage)
            .map(|(entry, (policy, why))| MemberCoverage {
                mrn: entry.mrn.clone(),
                roster_row_id: entry.row_id,
                coverage_id: policy.as_ref().map(|p| p.id),
                payer: policy.as_ref().map(|p| p.payer.clone()),
                why: why.clone(),
            })
            .collect();
        let billable = record
            .roster
            .iter()
            .filter(|entry| entry.status.is_present())
            .map(|entry| BillableRow {
                roster_row_id: entry.row_id,
                mrn: entry.mrn.clone(),
                status: entry.status,
            })
            .collect();
        let supervisors = record
            .supervisors
            .iter()
            .map(|s| SupervisorLink {
                npi: s.npi.clone(),
                name: s.name(),
                source: s.source.clone(),
                assignment_id: s.assignment_id,
                status: s.status,
                present: s.status.is_present(),
                why: match (&s.linked_mrn, s.assignment_id) {
                    (Some(mrn), Some(id)) => format!(
                        "SUPERVISING assignment {id} to participant {mrn}, active {}..{}",
                        s.assignment_start
                            .map_or("open".to_owned(), |d| d.to_string()),
                        s.assignment_end
                            .map_or("open".to_owned(), |d| d.to_string())
                    ),
                    _ if s.source == "MANUAL" => {
                        "added to this session by hand (supervisor add)".into()
                    }
                    _ => "its assignment has since been removed".into(),
                },
            })
            .collect();
        let issues = explanation.evaluation.issues.clone();
        let rules = explanation
            .rules
            .iter()
            .map(|matched| match &matched.row {
                MatchedRow::Supervision(rule) => RuleMatch {
                    kind: "supervision_rule",
                    id: rule.id,
                    payer: rule.scope.payer.clone(),
                    state: rule.scope.state.clone(),
                    group_type: rule.scope.group_type.clone(),
                    values: json!({
                        "max_per_supervisor": rule.max_per_supervisor,
                        "start": rule.scope.start, "end": rule.scope.end,
                    }),
                    applied: matched.applied,
                },
                MatchedRow::Band(band) => RuleMatch {
                    kind: "size_band",
                    id: band.id,
                    payer: band.scope.payer.clone(),
                    state: band.scope.state.clone(),
                    group_type: band.scope.group_type.clone(),
                    values: json!({
                        "min": band.min, "max": band.max,
                        "procedure_code": band.procedure_code, "modifiers": band.modifiers,
                        "rate": money::format(band.rate), "unit_minutes": band.unit_minutes,
                        "start": band.scope.start, "end": band.scope.end,
                    }),
                    applied: matched.applied,
                },
            })
            .collect();
        ExplainView {
            session_id: record.id,
            local_date: record.local_date.to_string(),
            facility_state: record.facility_state.clone(),
            group_type: record.group_type.clone(),
            members,
            rules,
            billable,
            supervisors,
            issues,
        }
    }
}

impl View for ExplainView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Session {} — judged on {} ({}, group type {})",
            self.session_id, self.local_date, self.facility_state, self.group_type
        ))?;
        out.line("\nCoverage (primary policy active on the session's local date)")?;
        let rows = self
            .members
            .iter()
            .map(|m| {
                vec![
                    Cell::new(&m.mrn),
                    Cell::new(m.coverage_id.map_or("—".into(), |id| id.to_string())),
                    Cell::new(m.payer.as_deref().unwrap_or("—")),
                    Cell::new(&m.why),
                ]
            })
            .collect();
        out.table(&["mrn", "coverage", "payer", "why"], rows)?;
        out.line(format!(
            "\nBillable count: {} (roster rows ATTENDED or LATE)",
            self.billable.len()
        ))?;
        for row in &self.billable {
            out.line(format!(
                "  row {} {} {}",
                row.roster_row_id,
                row.mrn,
                row.status.as_str()
            ))?;
        }
        out.line("\nSupervisors")?;
        if self.supervisors.is_empty() {
            out.line("  none: no SUPERVISING staff_assignment links a provider to a participant on this date")?;
        }
        for s in &self.supervisors {
            out.line(format!(
                "  {} {} {}{} — {}",
                s.npi,
                s.name,
                s.status.as_str(),
                if s.present { " (present)" } else { "" },
                s.why
            ))?;
        }
        out.line("\nRule rows matched")?;
        if self.rules.is_empty() {
            out.line("  none (no billable payer, or no rows for this state and date)")?;
        } else {
            let rows = self
                .rules
                .iter()
                .map(|r| {
                    vec![
                        Cell::new(r.kind),
                        Cell::new(r.id),
                        Cell::new(&r.payer),
                        Cell::new(r.group_type.as_deref().unwrap_or("(generic)")),
                        Cell::new(r.values.to_string()),
                        Cell::new(if r.applied { "applied" } else { "" }),
                    ]
                })
                .collect();
            out.table(&["kind", "id", "payer", "group type", "values", ""], rows)?;
        }
        out.line("\nIssues")?;
        if self.issues.is_empty() {
            out.line("  none")?;
        }
        for i in &self.issues {
            let subject = i.mrn.as_deref().or(i.payer.as_deref()).unwrap_or("session");
            let rules = if i.rule_ids.is_empty() {
                String::new()
            } else {
                format!(" [rows {:?}]", i.rule_ids)
            };
            let accepted = if i.accepted { " (accepted)" } else { "" };
            out.line(format!(
                "  {} {subject}: {}{rules}{accepted}",
                i.code, i.arithmetic
            ))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// `accept`
// ---------------------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct AcceptView {
    pub id: i64,
    pub session_id: i64,
    pub code: IssueCode,
    pub payer: Option<String>,
    pub mrn: Option<String>,
    pub group_size: u32,
    pub supervisors_present: u32,
    pub reason: String,
    pub accepted_by: String,
    /// RFC 3339 with the facility's UTC offset, like every time gsess prints.
    pub accepted_at: String,
    /// Set when this withdraws the acceptance (`--revoke`).
    pub revoked_at: Option<String>,
}

impl AcceptView {
    pub fn of(acceptance: &Acceptance) -> AcceptView {
        let tz = facility_zone(&acceptance.timezone);
        let (entry, accepted) = (&acceptance.entry, &acceptance.entry.acceptance);
        AcceptView {
            id: accepted.id,
            session_id: acceptance.session_id,
            code: accepted.code,
            payer: accepted.payer.clone(),
            mrn: accepted.mrn.clone(),
            group_size: accepted.group_size,
            supervisors_present: accepted.supervisors_present,
            reason: entry.reason.clone(),
            accepted_by: entry.accepted_by.clone(),
            accepted_at: local_time(entry.accepted_at, tz),
            revoked_at: acceptance.revoked_at.map(|at| local_time(at, tz)),
        }
    }
}

impl View for AcceptView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        let subject = self
            .mrn
            .as_deref()
            .or(self.payer.as_deref())
            .map_or(String::new(), |s| format!(" for {s}"));
        if self.revoked_at.is_some() {
            return out.line(format!(
                "Revoked the acceptance of {}{subject} on session {}: it blocks again.",
                self.code, self.session_id
            ));
        }
        out.line(format!(
            "Accepted {}{subject} on session {} at {} billable and {} supervisor(s) present; \
             it holds while those figures stand.",
            self.code, self.session_id, self.group_size, self.supervisors_present
        ))
    }
}
