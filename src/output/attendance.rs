//! Views of attendance writes: `mark` (and each step of `take`), `roster add/remove`,
//! `supervisor add`.

use super::preview::PreviewView;
use super::session::Who;
use super::{Human, View};
use crate::model::{Change, SessionRecord};
use crate::ops::attendance::{MarkOutcome, RosterChange, RosterOutcome};
use crate::rules::AttendanceStatus;
use comfy_table::Cell;
use serde::Serialize;
use std::io;

/// One changed row: `{mrn | npi, name, from, to}`.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    #[serde(flatten)]
    pub who: Who,
    pub name: String,
    pub from: AttendanceStatus,
    pub to: AttendanceStatus,
}

impl ChangeView {
    pub fn of(change: &Change) -> ChangeView {
        ChangeView {
            who: Who::of(change.kind, &change.key),
            name: change.name.clone(),
            from: change.from,
            to: change.to,
        }
    }

    /// The row's MRN, or `supervisor NPI`.
    pub fn who_key(&self) -> String {
        self.row()
    }

    fn row(&self) -> String {
        match &self.who {
            Who::Mrn(mrn) => mrn.clone(),
            Who::Npi(npi) => format!("supervisor {npi}"),
        }
    }
}

/// `gsess mark`: what changed, then the fresh preview.
#[derive(Debug, Clone, Serialize)]
pub struct MarkView {
    pub session_id: i64,
    pub changed: Vec<ChangeView>,
    pub preview: PreviewView,
}

impl MarkView {
    pub fn of(outcome: &MarkOutcome) -> MarkView {
        MarkView {
            session_id: outcome.session_id,
            changed: outcome.changes.iter().map(ChangeView::of).collect(),
            preview: PreviewView(outcome.evaluation.clone()),
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
                    Cell::new(c.row()),
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

/// `gsess roster add` (`{session_id, added: [mrn], supervisors}`) and `roster remove`
/// (`{session_id, removed: [mrn], supervisors}`).
#[derive(Debug, Clone, Serialize)]
pub struct RosterView {
    pub session_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<Vec<String>>,
    pub supervisors: Vec<SupervisorView>,
}

impl RosterView {
    pub fn of(change: RosterChange, outcome: &RosterOutcome) -> RosterView {
        let keys = Some(outcome.keys.clone());
        let (added, removed) = match change {
            RosterChange::Add => (keys, None),
            RosterChange::Remove => (None, keys),
        };
        RosterView {
            session_id: outcome.session_id,
            added,
            removed,
            supervisors: SupervisorView::list(&outcome.record),
        }
    }
}

impl View for RosterView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        let id = self.session_id;
        match (&self.added, &self.removed) {
            (Some(added), _) => out.line(format!(
                "Added to session {id} as SCHEDULED: {}",
                added.join(", ")
            ))?,
            (_, Some(removed)) => {
                out.line(format!("Removed from session {id}: {}", removed.join(", ")))?
            }
            (None, None) => {}
        }
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

impl SupervisorAddView {
    pub fn of(outcome: &RosterOutcome) -> SupervisorAddView {
        SupervisorAddView {
            session_id: outcome.session_id,
            added: outcome.keys.concat(),
            source: "MANUAL",
            supervisors: SupervisorView::list(&outcome.record),
        }
    }
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
