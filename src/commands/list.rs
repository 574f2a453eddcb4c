//! `gsess list`: the sessions of a day (or a range) on each facility's own calendar, with
//! roster size, attendance summary, supervisors and derived status — one statement.

use crate::app::App;
use crate::cli::{DateArg, ListArgs, StatusFilter};
use crate::db::facilities::{self, FacilityFilter};
use crate::db::list::{group_type_id, list_sessions, ListFilter};
use crate::db::Scope;
use crate::error::{Error, Result};
use crate::output::session::SessionSummary;
use crate::output::{Human, View};
use crate::rules::SessionStatus;
use comfy_table::{Cell, Color};
use serde::Serialize;
use sqlx::PgPool;
use std::io;

/// `list`'s answer: a JSON array of session summaries (SPEC §6.2).
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ListView {
    pub sessions: Vec<SessionSummary>,
    /// What was asked, for the human "No sessions …" line.
    #[serde(skip)]
    pub asked: String,
}

impl View for ListView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.sessions.is_empty() {
            return out.line(format!("No sessions {}.", self.asked));
        }
        session_table(out, &self.sessions)
    }
}

/// The session table of `list` (and of `create`'s answer): one row per session.
pub fn session_table(out: &mut Human<'_>, sessions: &[SessionSummary]) -> io::Result<()> {
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
                Cell::new(s.attendance.summary()),
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

fn status_filter(status: StatusFilter) -> Option<SessionStatus> {
    match status {
        StatusFilter::Open => Some(SessionStatus::Open),
        StatusFilter::Ready => Some(SessionStatus::Ready),
        StatusFilter::Billed => Some(SessionStatus::Billed),
        StatusFilter::Locked => Some(SessionStatus::Locked),
        StatusFilter::All => None,
    }
}

pub async fn run(app: &mut App, args: &ListArgs) -> Result<()> {
    let pool = app.pool_with_scope(Scope::Read).await?;
    let view = list(app, &pool, args).await?;
    app.out.emit(&view)
}

/// The sessions `args` asks for (the demo shows them too).
pub async fn list(app: &App, pool: &PgPool, args: &ListArgs) -> Result<ListView> {
    // The user's calendar (TZ) picks the dates; each session is matched on its facility's.
    let (from, to) = match (args.date, args.from, args.to) {
        (Some(date), _, _) => (date.resolve(), date.resolve()),
        (None, Some(from), Some(to)) => (from.resolve(), to.resolve()),
        _ => {
            let today = DateArg::Today.resolve();
            (today, today)
        }
    };
    if from > to {
        return Err(Error::invalid(
            "--from",
            format!("{from} is after --to {to}: the range would be empty"),
        ));
    }
    let status = status_filter(args.status);

    let facility = facilities::resolve(pool, args.facility.as_deref(), &app.out).await?;
    let group_type = if args.group_type.eq_ignore_ascii_case("all") {
        None
    } else {
        Some(group_type_id(pool, &args.group_type).await?)
    };
    // One row more than asked tells whether the limit cut anything off.
    let limit = args.limit.map(i64::from);
    let mut sessions = list_sessions(
        pool,
        &ListFilter {
            from,
            to,
            facility_id: facility.id(),
            group_type_id: group_type,
            status,
            limit: limit.map(|n| n + 1),
        },
    )
    .await?;
    if let Some(limit) = args.limit {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        if sessions.len() > limit {
            sessions.truncate(limit);
            app.out.note(format!(
                "note: more sessions match: showing the first {limit} (raise --limit to see more)"
            ));
        }
    }

    let asked = describe(
        from,
        to,
        &facility,
        group_type.map(|_| &args.group_type),
        status,
    );
    Ok(ListView { sessions, asked })
}

/// `on 2026-11-27 at NORTH`, `from … to … at any facility, group type DBT, status OPEN`.
fn describe(
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    facility: &FacilityFilter,
    group_type: Option<&String>,
    status: Option<SessionStatus>,
) -> String {
    let mut text = if from == to {
        format!("on {from}")
    } else {
        format!("from {from} to {to}")
    };
    match facility {
        FacilityFilter::All => text.push_str(" at any facility"),
        FacilityFilter::One { code, .. } => text.push_str(&format!(" at {code}")),
    }
    if let Some(code) = group_type {
        text.push_str(&format!(", group type {code}"));
    }
    if let Some(status) = status {
        text.push_str(&format!(", status {status}"));
    }
    text
}
