//! Views of a session: its summary (a `list` row), `show`, and the billing preview.

use super::preview::PreviewView;
use super::{Human, View};
use crate::model::{AttendanceCounts, RowKind, SessionSummary};
use crate::ops::session::SessionDetail;

use crate::rules::{AttendanceStatus, SessionStatus};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use comfy_table::Cell;
use serde::Serialize;
use std::io;

/// `3 attended, 1 absent, 1 scheduled` — zero counts left out.
pub fn attendance_summary(counts: &AttendanceCounts) -> String {
    let parts: Vec<String> = [
        (counts.attended, "attended"),
        (counts.late, "late"),
        (counts.absent, "absent"),
        (counts.scheduled, "scheduled"),
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

/// RFC 3339 with the facility's UTC offset, as every time gsess prints.
pub fn local_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).to_rfc3339()
}

/// A session as `list` shows it, and as the header of `show`.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
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

impl SessionView {
    pub fn of(summary: &SessionSummary) -> SessionView {
        let tz = summary.tz();
        SessionView {
            id: summary.id,
            external_id: summary.external_id.clone(),
            date: summary.local_date.to_string(),
            starts_at: local_time(summary.starts_at, tz),
            ends_at: local_time(summary.ends_at, tz),
            facility: summary.facility.clone(),
            group_type: summary.group_type.clone(),
            supervisors: summary.supervisors.clone(),
            roster_size: summary.attendance.total(),
            attendance: summary.attendance,
            status: summary.status,
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

/// Whose row: a participant by MRN or a supervisor by NPI (`"mrn": …` or `"npi": …`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Who {
    Mrn(String),
    Npi(String),
}

impl Who {
    pub fn of(kind: RowKind, key: &str) -> Who {
        match kind {
            RowKind::Participant => Who::Mrn(key.to_owned()),
            RowKind::Supervisor => Who::Npi(key.to_owned()),
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Who::Mrn(key) | Who::Npi(key) => key,
        }
    }
}

/// An attendance row of `show`: a participant or a supervisor.
#[derive(Debug, Clone, Serialize)]
pub struct AttendanceRowView {
    #[serde(flatten)]
    pub who: Who,
    pub name: String,
    pub status: AttendanceStatus,
    pub allowed_next: Vec<AttendanceStatus>,
    /// A participant's primary payer that day; `null` without coverage (and for supervisors).
    pub payer: Option<String>,
    /// `ASSIGNMENT` or `MANUAL` (supervisors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl AttendanceRowView {
    fn new(who: Who, name: String, status: AttendanceStatus) -> AttendanceRowView {
        AttendanceRowView {
            who,
            name,
            status,
            allowed_next: status.allowed_next().to_vec(),
            payer: None,
            source: None,
        }
    }
}

/// `gsess show`.
#[derive(Debug, Clone, Serialize)]
pub struct ShowView {
    pub session: SessionView,
    pub supervisors: Vec<AttendanceRowView>,
    pub roster: Vec<AttendanceRowView>,
    pub preview: PreviewView,
}

impl ShowView {
    pub fn of(detail: &SessionDetail) -> ShowView {
        let (record, evaluation) = (&detail.record, &detail.evaluation);
        // A member's payer as the rules resolved it: the preview lists each payer's members.
        let payer_of = |mrn: &str| {
            evaluation
                .payers
                .iter()
                .find(|p| p.members.iter().any(|m| m == mrn))
                .map(|p| p.payer.clone())
        };
        let supervisors = record
            .supervisors
            .iter()
            .map(|s| {
                let row = AttendanceRowView::new(Who::Npi(s.npi.clone()), s.name(), s.status);
                AttendanceRowView {
                    source: Some(s.source.clone()),
                    ..row
                }
            })
            .collect();
        let roster = record
            .roster
            .iter()
            .map(|r| {
                let row = AttendanceRowView::new(Who::Mrn(r.mrn.clone()), r.name(), r.status);
                AttendanceRowView {
                    payer: payer_of(&r.mrn),
                    ..row
                }
            })
            .collect();
        ShowView {
            session: SessionView::of(&record.summary()),
            supervisors,
            roster,
            preview: PreviewView(evaluation.clone()),
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
            attendance_table(out, &self.supervisors, ["npi", "source"], |r| {
                r.source.as_deref().unwrap_or_default()
            })?;
        }
        out.line("")?;
        out.line(format!("Roster ({})", attendance_summary(&s.attendance)))?;
        attendance_table(out, &self.roster, ["mrn", "payer"], |r| {
            r.payer.as_deref().unwrap_or("no coverage")
        })?;
        out.line("")?;
        self.preview.render(out)
    }
}

/// Rows with their status and legal next states; `[key, last]` name the first column (MRN
/// or NPI) and the last, whose text `last` gives.
fn attendance_table(
    out: &mut Human<'_>,
    rows: &[AttendanceRowView],
    [key, last]: [&str; 2],
    last_cell: impl Fn(&AttendanceRowView) -> &str,
) -> io::Result<()> {
    let cells = rows
        .iter()
        .map(|r| {
            vec![
                Cell::new(r.who.key()),
                Cell::new(&r.name),
                Cell::new(r.status.as_str()),
                Cell::new(next_states(&r.allowed_next)),
                Cell::new(last_cell(r)),
            ]
        })
        .collect();
    out.table(&[key, "name", "status", "next", last], cells)
}
