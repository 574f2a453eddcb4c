//! `list` and `create`: sessions as a table, one row each.

use super::session::{attendance_summary, SessionView};
use super::{Human, View};
use crate::model::SessionSummary;
use crate::ops::list::Listing;
use crate::ops::reference::FacilityFilter;
use crate::rules::SessionStatus;
use comfy_table::{Cell, Color};
use serde::Serialize;
use std::io;

/// `list`'s answer: a JSON array of sessions.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ListView {
    pub sessions: Vec<SessionView>,
    /// What was asked, for the human "No sessions …" line.
    #[serde(skip)]
    pub asked: String,
}

impl ListView {
    pub fn of(listing: &Listing) -> ListView {
        ListView {
            sessions: listing.sessions.iter().map(SessionView::of).collect(),
            asked: describe(listing),
        }
    }
}

impl View for ListView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.sessions.is_empty() {
            return out.line(format!("No sessions {}.", self.asked));
        }
        session_table(out, &self.sessions)
    }
}

/// `create`'s answer: `{id, ...as list}`, the new session as read back.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct CreatedView(pub SessionView);

impl CreatedView {
    pub fn of(summary: &SessionSummary) -> CreatedView {
        CreatedView(SessionView::of(summary))
    }
}

impl View for CreatedView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!("Created session {} (ADHOC).", self.0.id))?;
        session_table(out, std::slice::from_ref(&self.0))
    }
}

/// One row per session.
fn session_table(out: &mut Human<'_>, sessions: &[SessionView]) -> io::Result<()> {
    let rows = sessions
        .iter()
        .map(|s| {
            vec![
                Cell::new(s.id),
                Cell::new(&s.date),
                Cell::new(s.time_window()),
                Cell::new(&s.facility),
                Cell::new(&s.group_type),
                Cell::new(if s.supervisors.is_empty() {
                    "—".to_owned()
                } else {
                    s.supervisors.join(", ")
                }),
                Cell::new(s.roster_size),
                Cell::new(attendance_summary(&s.attendance)),
                status_cell(out, s.status),
            ]
        })
        .collect();
    out.table(
        &[
            "id",
            "date",
            "time",
            "facility",
            "group type",
            "supervisors",
            "roster",
            "attendance",
            "status",
        ],
        rows,
    )
}

fn status_cell(out: &Human<'_>, status: SessionStatus) -> Cell {
    let color = match status {
        SessionStatus::Open => Color::Yellow,
        SessionStatus::Ready => Color::Green,
        SessionStatus::Billed => Color::Cyan,
        SessionStatus::Locked => Color::Magenta,
    };
    out.colored(status.as_str(), color)
}

/// `on 2026-11-27 at NORTH`, `from … to … at any facility, group type DBT, status OPEN`.
fn describe(listing: &Listing) -> String {
    let request = &listing.request;
    let (from, to) = (request.dates.first, request.dates.last);
    let mut text = if from == to {
        format!("on {from}")
    } else {
        format!("from {from} to {to}")
    };
    match &listing.facility {
        FacilityFilter::All => text.push_str(" at any facility"),
        FacilityFilter::One { code, .. } => text.push_str(&format!(" at {code}")),
    }
    if let Some(code) = &request.group_type {
        text.push_str(&format!(", group type {code}"));
    }
    if let Some(status) = request.status {
        text.push_str(&format!(", status {status}"));
    }
    text
}
