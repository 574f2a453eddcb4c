//! Views of a session: its summary (a `list` row), `show`, and the billing preview.

use super::{Human, View};
use crate::db::session::SessionRecord;
use crate::rules::issues::{Issue, Severity};
use crate::rules::preview::Evaluation;
use crate::rules::{AttendanceStatus, SessionStatus};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use comfy_table::{Cell, Color};
use serde::Serialize;
use std::io;

/// Roster counts by attendance status (participants only; supervisors never count).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct AttendanceCounts {
    pub scheduled: u32,
    pub attended: u32,
    pub late: u32,
    pub absent: u32,
}

impl AttendanceCounts {
    pub fn of(statuses: impl IntoIterator<Item = AttendanceStatus>) -> AttendanceCounts {
        let mut counts = AttendanceCounts::default();
        for status in statuses {
            match status {
                AttendanceStatus::Scheduled => counts.scheduled += 1,
                AttendanceStatus::Attended => counts.attended += 1,
                AttendanceStatus::Late => counts.late += 1,
                AttendanceStatus::Absent => counts.absent += 1,
            }
        }
        counts
    }

    /// `3 attended, 1 absent, 1 scheduled` — zero counts left out.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            (self.attended, "attended"),
            (self.late, "late"),
            (self.absent, "absent"),
            (self.scheduled, "scheduled"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, label)| format!("{n} {label}"))
        .collect();
        if parts.is_empty() {
            "no participants".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// RFC 3339 with the facility's UTC offset (SPEC §6).
pub fn local_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).to_rfc3339()
}

/// A session as `list` shows it, and as the header of `show`.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    pub id: i64,
    pub external_id: Option<String>,
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
    pub facility: String,
    pub group_type: String,
    /// Supervisor names, one per provider, in the order the session got them.
    pub supervisors: Vec<String>,
    pub roster_size: u32,
    pub attendance: AttendanceCounts,
    pub status: SessionStatus,
}

impl SessionSummary {
    pub fn of(record: &SessionRecord) -> SessionSummary {
        let tz = record.tz();
        // One row per provider already (unique per session), so no provider appears twice;
        // two providers who share a name are two supervisors.
        let supervisors: Vec<String> = record.supervisors.iter().map(|s| s.name()).collect();
        SessionSummary {
            id: record.id,
            external_id: record.external_id.clone(),
            date: record.local_date.to_string(),
            starts_at: local_time(record.starts_at, tz),
            ends_at: local_time(record.ends_at, tz),
            facility: record.facility.clone(),
            group_type: record.group_type.clone(),
            supervisors,
            roster_size: u32::try_from(record.roster.len()).unwrap_or(u32::MAX),
            attendance: AttendanceCounts::of(record.roster.iter().map(|r| r.status)),
            status: record.status(),
        }
    }

    pub fn time_window(&self) -> String {
        time_window(&self.starts_at, &self.ends_at)
    }
}

/// `14:00–15:30`, from two RFC 3339 local times.
pub fn time_window(starts_at: &str, ends_at: &str) -> String {
    let clock = |t: &str| t.get(11..16).unwrap_or(t).to_owned();
    format!("{}–{}", clock(starts_at), clock(ends_at))
}

/// An attendance row of `show`: a participant (mrn) or a supervisor (npi).
#[derive(Debug, Clone, Serialize)]
pub struct AttendanceRowView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npi: Option<String>,
    pub name: String,
    pub status: AttendanceStatus,
    pub allowed_next: Vec<AttendanceStatus>,
    /// A participant's primary payer that day; `null` without coverage (and for supervisors).
    pub payer: Option<String>,
    /// `ASSIGNMENT` or `MANUAL` (supervisors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The billing preview (SPEC §6.2 `preview`).
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

fn issue_row(out: &Human<'_>, issue: &Issue) -> Vec<Cell> {
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

/// `gsess show` (SPEC §6.2 `show`).
#[derive(Debug, Clone, Serialize)]
pub struct ShowView {
    pub session: SessionSummary,
    pub supervisors: Vec<AttendanceRowView>,
    pub roster: Vec<AttendanceRowView>,
    pub preview: PreviewView,
}

impl ShowView {
    pub fn of(record: &SessionRecord, evaluation: Evaluation) -> ShowView {
        let supervisors = record
            .supervisors
            .iter()
            .map(|s| AttendanceRowView {
                mrn: None,
                npi: Some(s.npi.clone()),
                name: s.name(),
                status: s.status,
                allowed_next: s.status.allowed_next().to_vec(),
                payer: None,
                source: Some(s.source.clone()),
            })
            .collect();
        let roster = record
            .roster
            .iter()
            .map(|r| AttendanceRowView {
                mrn: Some(r.mrn.clone()),
                npi: None,
                name: r.name(),
                status: r.status,
                allowed_next: r.status.allowed_next().to_vec(),
                payer: record.primary_policy(r).map(|p| p.payer.clone()),
                source: None,
            })
            .collect();
        ShowView {
            session: SessionSummary::of(record),
            supervisors,
            roster,
            preview: PreviewView(evaluation),
        }
    }
}

fn next_states(states: &[AttendanceStatus]) -> String {
    if states.is_empty() {
        "—".to_owned()
    } else {
        states
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl View for ShowView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        let s = &self.session;
        out.line(format!(
            "Session {} — {} {} at {} · {} · {}",
            s.id,
            s.date,
            s.time_window(),
            s.facility,
            s.group_type,
            s.status.as_str()
        ))?;
        out.line("")?;
        out.line("Supervisors")?;
        if self.supervisors.is_empty() {
            out.line(
                "  (none) No staff_assignment.role = 'SUPERVISING' links a provider to any \
                 participant of this session on its date: add the assignment via staff admin \
                 (or import), or add a substitute with `gsess supervisor add`.",
            )?;
        } else {
            let rows = self
                .supervisors
                .iter()
                .map(|r| {
                    vec![
                        Cell::new(r.npi.as_deref().unwrap_or_default()),
                        Cell::new(&r.name),
                        Cell::new(r.status.as_str()),
                        Cell::new(next_states(&r.allowed_next)),
                        Cell::new(r.source.as_deref().unwrap_or_default()),
                    ]
                })
                .collect();
            out.table(&["npi", "name", "status", "next", "source"], rows)?;
        }
        out.line("")?;
        out.line(format!("Roster ({})", s.attendance.summary()))?;
        let rows = self
            .roster
            .iter()
            .map(|r| {
                vec![
                    Cell::new(r.mrn.as_deref().unwrap_or_default()),
                    Cell::new(&r.name),
                    Cell::new(r.status.as_str()),
                    Cell::new(next_states(&r.allowed_next)),
                    Cell::new(r.payer.as_deref().unwrap_or("no coverage")),
                ]
            })
            .collect();
        out.table(&["mrn", "name", "status", "next", "payer"], rows)?;
        out.line("")?;
        self.preview.render(out)
    }
}
