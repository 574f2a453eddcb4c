//! The sessions of a day (or a range) on each facility's own calendar, in one statement.

use super::reference::{self, FacilityFilter};
use crate::db::list::{list_sessions, ListFilter};
use crate::error::{Error, Result};
use crate::model::SessionSummary;
use crate::rules::SessionStatus;
use crate::time::DateRange;
use sqlx::PgConnection;

/// What `list` asks for; `None` means any (the facility: the login's home facility).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    /// The days, as the user's calendar names them; each session is matched on its
    /// facility's calendar.
    pub dates: DateRange,
    /// A facility code, `all`, or `None` for the home facility.
    pub facility: Option<String>,
    pub group_type: Option<String>,
    pub status: Option<SessionStatus>,
    pub limit: Option<u32>,
}

/// The sessions found, with what they were looked up by.
#[derive(Debug, Clone)]
pub struct Listing {
    pub request: ListRequest,
    pub facility: FacilityFilter,
    pub sessions: Vec<SessionSummary>,
    /// Messages for people: a limit that cut sessions off, a login without a home facility.
    pub notes: Vec<String>,
}

pub async fn list(conn: &mut PgConnection, request: ListRequest) -> Result<Listing> {
    let dates = request.dates;
    let (from, to) = (dates.first, dates.last);
    if from > to {
        return Err(Error::invalid(
            "--from",
            format!("{from} is after --to {to}: the range would be empty"),
        ));
    }
    let (facility, note) = reference::facility(conn, request.facility.as_deref()).await?;
    let mut notes: Vec<String> = note.into_iter().collect();
    let group_type_id = match &request.group_type {
        Some(code) => Some(reference::group_type_id(conn, code).await?),
        None => None,
    };
    // One row more than asked tells whether the limit cut anything off.
    let limit = request.limit.map(i64::from);
    let mut sessions = list_sessions(
        conn,
        &ListFilter {
            dates,
            facility_id: facility.id(),
            group_type_id,
            status: request.status,
            limit: limit.map(|n| n + 1),
        },
    )
    .await?;
    if let Some(limit) = request.limit {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        if sessions.len() > limit {
            sessions.truncate(limit);
            notes.push(format!(
                "note: more sessions match: showing the first {limit} (raise --limit to see more)"
            ));
        }
    }
    Ok(Listing {
        request,
        facility,
        sessions,
        notes,
    })
}
