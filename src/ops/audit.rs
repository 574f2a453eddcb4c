//! Reading the audit log as support and compliance look at it: who changed what, when and
//! why, narrowed by session, claim, member, login and time. The entries are handed on one at
//! a time as the database sends them, so a long history never sits in memory.

use super::claims::no_claim;
use super::session::no_session;
use crate::db::audit::{self as sql, AuditFilter};
use crate::error::{Error, Result};
use crate::model::AuditEntry;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::PgConnection;
use std::ops::ControlFlow;

/// What `audit` asks for; `None` is any. Filters combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditRequest {
    pub session_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub mrn: Option<String>,
    pub actor: Option<String>,
    pub since: Option<DateTime<Utc>>,
    /// At most this many entries (the oldest that match).
    pub limit: Option<u32>,
}

/// How the listing ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    /// Entries handed on.
    pub count: u64,
    /// The limit cut the listing short: more entries match.
    pub more: bool,
}

/// Hand every matching entry, oldest first, to `each`, which may stop the listing early (a
/// reader that went away). A session, claim or MRN that does not exist is exit 3 naming it,
/// before anything is handed on.
pub async fn list(
    conn: &mut PgConnection,
    request: &AuditRequest,
    mut each: impl FnMut(AuditEntry) -> Result<ControlFlow<()>>,
) -> Result<Listed> {
    let mut filter = AuditFilter {
        session_id: request.session_id,
        claim_id: request.claim_id,
        member_id: None,
        actor: request.actor.clone(),
        since: request.since,
        // One entry more than asked tells whether the limit cut anything off.
        limit: request.limit.map(|n| i64::from(n) + 1),
    };
    if request.session_id.is_some() || request.claim_id.is_some() || request.mrn.is_some() {
        let (session_exists, claim_exists, member_id) = sql::resolve(
            conn,
            request.session_id,
            request.claim_id,
            request.mrn.as_deref(),
        )
        .await?;
        if let (Some(id), false) = (request.session_id, session_exists) {
            return Err(no_session(id));
        }
        if let (Some(id), false) = (request.claim_id, claim_exists) {
            return Err(no_claim(id));
        }
        if let Some(mrn) = &request.mrn {
            let id = member_id.ok_or_else(|| no_member(mrn))?;
            filter.member_id = Some(id);
        }
    }
    let wanted = request.limit.map_or(u64::MAX, u64::from);
    let mut listed = Listed {
        count: 0,
        more: false,
    };
    let mut entries = std::pin::pin!(sql::entries(conn, &filter));
    while let Some(entry) = entries.try_next().await? {
        if listed.count == wanted {
            listed.more = true;
            break;
        }
        listed.count += 1;
        if each(entry)?.is_break() {
            break;
        }
    }
    Ok(listed)
}

fn no_member(mrn: &str) -> Error {
    Error::not_found(format!("no member {mrn}")).with("mrn", mrn)
}
