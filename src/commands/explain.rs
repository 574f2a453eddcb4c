//! `gsess explain SESSION`: for support engineers, how the preview got its answer — each
//! member's coverage and why, the rule rows matched (database ids), which rows made the
//! billable count, which assignment linked each supervisor, and each issue's arithmetic.

use crate::app::App;
use crate::cli::SessionArg;
use crate::db::session::{self, SessionRecord};
use crate::db::Scope;
use crate::error::Result;
use crate::output::{Human, View};
use crate::rules::coverage::select_primary;
use crate::rules::lookup::select_rules;
use crate::rules::preview::{evaluate_session, Evaluation};
use crate::rules::{AttendanceStatus, SizeBand, SupervisionRule};
use comfy_table::Cell;
use serde::Serialize;
use serde_json::json;
use std::io;

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
    pub issues: Vec<IssueExplanation>,
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

#[derive(Debug, Serialize)]
pub struct IssueExplanation {
    pub code: String,
    pub payer: Option<String>,
    pub mrn: Option<String>,
    pub arithmetic: String,
    pub rule_ids: Vec<i64>,
    pub accepted: bool,
}

pub async fn run(app: &mut App, args: &SessionArg) -> Result<()> {
    let pool = app.pool_with_scope(Scope::Read).await?;
    let record = session::load_session(&pool, args.session).await?;
    let evaluation = evaluate_session(&record.facts());
    app.out.emit(&explain(&record, &evaluation))
}

pub fn explain(record: &SessionRecord, evaluation: &Evaluation) -> ExplainView {
    let members = record
        .roster
        .iter()
        .map(|entry| {
            let (policy, why) = select_primary(&entry.policies, record.local_date);
            MemberCoverage {
                mrn: entry.mrn.clone(),
                roster_row_id: entry.row_id,
                coverage_id: policy.map(|p| p.id),
                payer: policy.map(|p| p.payer.clone()),
                why,
            }
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
    let issues = evaluation
        .issues
        .iter()
        .map(|i| IssueExplanation {
            code: i.code.as_str().to_owned(),
            payer: i.payer.clone(),
            mrn: i.mrn.clone(),
            arithmetic: i.arithmetic.clone(),
            rule_ids: i.rule_ids.clone(),
            accepted: i.accepted,
        })
        .collect();
    ExplainView {
        session_id: record.id,
        local_date: record.local_date.to_string(),
        facility_state: record.facility_state.clone(),
        group_type: record.group_type.clone(),
        members,
        rules: matched_rules(record, evaluation),
        billable,
        supervisors,
        issues,
    }
}

/// For every payer the preview judged, the rule rows in effect (the session's group type's
/// own rows, else the generic ones), marking the ones it applied.
fn matched_rules(record: &SessionRecord, evaluation: &Evaluation) -> Vec<RuleMatch> {
    let mut matches = Vec::new();
    for payer in evaluation.payers.iter().filter(|p| p.billable) {
        let rules: Vec<&SupervisionRule> = select_rules(
            &record.supervision_rules,
            &payer.payer,
            &record.facility_state,
            &record.group_type,
            record.local_date,
        );
        for rule in rules {
            matches.push(RuleMatch {
                kind: "supervision_rule",
                id: rule.id,
                payer: rule.scope.payer.clone(),
                state: rule.scope.state.clone(),
                group_type: rule.scope.group_type.clone(),
                values: json!({
                    "max_per_supervisor": rule.max_per_supervisor,
                    "start": rule.scope.start, "end": rule.scope.end,
                }),
                applied: payer.supervision.is_some_and(|s| s.rule_id == rule.id),
            });
        }
        let bands: Vec<&SizeBand> = select_rules(
            &record.size_bands,
            &payer.payer,
            &record.facility_state,
            &record.group_type,
            record.local_date,
        );
        for band in bands {
            matches.push(RuleMatch {
                kind: "size_band",
                id: band.id,
                payer: band.scope.payer.clone(),
                state: band.scope.state.clone(),
                group_type: band.scope.group_type.clone(),
                values: json!({
                    "min": band.min, "max": band.max,
                    "procedure_code": band.procedure_code, "modifiers": band.modifiers,
                    "rate": format!("{:.2}", band.rate), "unit_minutes": band.unit_minutes,
                    "start": band.scope.start, "end": band.scope.end,
                }),
                applied: payer.band.as_ref().is_some_and(|b| b.id == band.id),
            });
        }
    }
    matches
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
