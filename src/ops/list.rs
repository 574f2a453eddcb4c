//! The sessions of a day (or a range) on each facility's own calendar, in one statement.

use super::reference::{self, FacilityFilter};
use crate::db::list::{sessions, ListFilter};
use crate::error::{Error, Result};
use crate::model::SessionSummary;
use crate::rules::SessionStatus;
use crate::time::DateRange;
use futures_util::TryStreamExt;
use sqlx::PgConnection;
use std::ops::ControlFlow;

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

/// How a listing handed on one session at a time ended.
#[derive(Debug, Clone)]
pub struct Listed {
    pub facility: FacilityFilter,
    /// Sessions handed on.
    pub count: usize,
    /// Messages for people, as in [`Listing`].
    pub notes: Vec<String>,
}

/// Every matching session, collected: for a view that needs them all (a terminal's table).
pub async fn list(conn: &mut PgConnection, request: ListRequest) -> Result<Listing> {
    let mut sessions = Vec::new();
    let listed = each(conn, &request, |session| {
        sessions.push(session);
        Ok(ControlFlow::Continue(()))
    })
    .await?;
    Ok(Listing {
        request,
        facility: listed.facility,
        sessions,
        notes: listed.notes,
    })
}

/// Hand every matching session, in start order, to `each` as the database sends it, which
/// may stop the listing early (a reader that went away): however many match, none is kept.
pub async fn each(
    conn: &mut PgConnection,
    request: &ListRequest,
    mut each: impl FnMut(SessionSummary) -> Result<ControlFlow<()>>,
) -> Result<Listed> {
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
    let wanted = request.limit.map_or(usize::MAX, |n| n as usize);
    let filter = ListFilter {
        dates,
        facility_id: facility.id(),
        group_type_id,
        status: request.status,
        limit: request.limit.map(|n| i64::from(n) + 1),
    };
    let mut count = 0;
    let mut found = std::pin::pin!(sessions(conn, &filter));
    while let Some(session) = found.try_next().await? {
        if count == wanted {
            notes.push(format!(
                "note: more sessions match: showing the first {wanted} (raise --limit to see more)"
            ));
            break;
        }
        count += 1;
        if each(session)?.is_break() {
            break;
        }
    }
    Ok(Listed {
        facility,
        count,
        notes,
    })
}
