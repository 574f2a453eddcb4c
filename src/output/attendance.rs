//! Views of attendance writes: `mark` (and each step of `take`), `roster add/remove`,
//! `supervisor add`.

use super::session::PreviewView;
use super::{Human, View};
use crate::db::attendance::{Change, RowKind};
use crate::db::session::SessionRecord;
use crate::rules::AttendanceStatus;
use comfy_table::Cell;
use serde::Serialize;
use std::io;

/// One changed row: `{mrn | npi, name, from, to}`.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npi: Option<String>,
    pub name: String,
    pub from: AttendanceStatus,
    pub to: AttendanceStatus,
}

impl ChangeView {
    pub fn of(change: &Change) -> ChangeView {
        let (mrn, npi) = match change.kind {
            RowKind::Participant => (Some(change.key.clone()), None),
            RowKind::Supervisor => (None, Some(change.key.clone())),
        };
        ChangeView {
            mrn,
            npi,
            name: change.name.clone(),
            from: change.from,
            to: change.to,
        }
    }

    fn who(&self) -> String {
        match (&self.mrn, &self.npi) {
            (Some(mrn), _) => mrn.clone(),
            (_, Some(npi)) => format!("supervisor {npi}"),
            _ => String::new(),
        }
    }
}

/// `gsess mark` (SPEC §6.2 `mark`): what changed, then the fresh preview.
#[derive(Debug, Clone, Serialize)]
pub struct MarkView {
    pub session_id: i64,
    pub changed: Vec<ChangeView>,
    pub preview: PreviewView,
}

impl MarkView {
    pub fn of(session_id: i64, changes: &[Change], preview: PreviewView) -> MarkView {
        MarkView {
            session_id,
            changed: changes.iter().map(ChangeView::of).collect(),
            preview,
        }
    }
}

impl View for MarkView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Session {}: {} row(s) changed",
            self.session_id,
            self.changed.len()
        ))?;
        let rows = self
            .changed
            .iter()
            .map(|c| {
                vec![
                    Cell::new(c.who()),
                    Cell::new(&c.name),
                    Cell::new(c.from.as_str()),
                    Cell::new(c.to.as_str()),
                ]
            })
            .collect();
        out.table(&["row", "name", "from", "to"], rows)?;
        out.line("")?;
        self.preview.render(out)
    }
}

/// A supervisor of the session, as the roster commands report the (derived) list.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisorView {
    pub npi: String,
    pub name: String,
    pub status: AttendanceStatus,
    /// `ASSIGNMENT` or `MANUAL`.
    pub source: String,
}

impl SupervisorView {
    pub fn list(record: &SessionRecord) -> Vec<SupervisorView> {
        record
            .supervisors
            .iter()
            .map(|s| SupervisorView {
                npi: s.npi.clone(),
                name: s.name(),
                status: s.status,
                source: s.source.clone(),
            })
            .collect()
    }
}

fn render_supervisors(out: &mut Human<'_>, supervisors: &[SupervisorView]) -> io::Result<()> {
    if supervisors.is_empty() {
        return out
            .line("Supervisors: none (no SUPERVISING assignment links a provider to this roster)");
    }
    out.line("Supervisors:")?;
    let rows = supervisors
        .iter()
        .map(|s| {
            vec![
                Cell::new(&s.npi),
                Cell::new(&s.name),
                Cell::new(s.status.as_str()),
                Cell::new(&s.source),
            ]
        })
        .collect();
    out.table(&["npi", "name", "status", "source"], rows)
}

/// `gsess roster add` (SPEC §6.2): `{session_id, added: [mrn]}` plus the supervisors.
#[derive(Debug, Clone, Serialize)]
pub struct RosterAddView {
    pub session_id: i64,
    pub added: Vec<String>,
    pub supervisors: Vec<SupervisorView>,
}

impl View for RosterAddView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Added to session {} as SCHEDULED: {}",
            self.session_id,
            self.added.join(", ")
        ))?;
        render_supervisors(out, &self.supervisors)
    }
}

/// `gsess roster remove`: `{session_id, removed: [mrn]}` plus the supervisors.
#[derive(Debug, Clone, Serialize)]
pub struct RosterRemoveView {
    pub session_id: i64,
    pub removed: Vec<String>,
    pub supervisors: Vec<SupervisorView>,
}

impl View for RosterRemoveView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Removed from session {}: {}",
            self.session_id,
            self.removed.join(", ")
        ))?;
        render_supervisors(out, &self.supervisors)
    }
}

/// `gsess supervisor add`: `{session_id, added: npi, source: "MANUAL", supervisors}`.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisorAddView {
    pub session_id: i64,
    pub added: String,
    pub source: &'static str,
    pub supervisors: Vec<SupervisorView>,
}

impl View for SupervisorAddView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Added supervisor {} to session {} ({}, SCHEDULED)",
            self.added, self.session_id, self.source
        ))?;
        render_supervisors(out, &self.supervisors)
    }
}
