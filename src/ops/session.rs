//! A session read whole and judged: the record, the facts the rules take, the preview.

use crate::db;
use crate::error::{Error, ExitKind, Result};
use crate::model::{RosterEntry, SessionRecord};
use crate::rules::coverage::{select_primary, Policy};
use crate::rules::facts::{RosterRow, SessionFacts, SupervisorRow};
use crate::rules::preview::{evaluate_session, Evaluation};
use sqlx::PgConnection;

/// A session and its preview, as `show` presents them.
#[derive(Debug, Clone)]
pub struct SessionDetail {
    pub record: SessionRecord,
    pub evaluation: Evaluation,
}

impl SessionDetail {
    pub fn of(record: SessionRecord) -> SessionDetail {
        let evaluation = evaluate(&record);
        SessionDetail { record, evaluation }
    }
}

/// The session, or exit 3 naming it.
pub async fn load(conn: &mut PgConnection, id: i64) -> Result<SessionRecord> {
    db::session::load_session(conn, id)
        .await?
        .ok_or_else(|| no_session(id))
}

pub async fn detail(conn: &mut PgConnection, id: i64) -> Result<SessionDetail> {
    Ok(SessionDetail::of(load(conn, id).await?))
}

/// The billing preview of a session, as stored now.
pub async fn preview(conn: &mut PgConnection, id: i64) -> Result<Evaluation> {
    Ok(evaluate(&load(conn, id).await?))
}

/// The preview of a record: the same function the claim scrubber calls.
pub fn evaluate(record: &SessionRecord) -> Evaluation {
    evaluate_session(&facts(record))
}

/// The plain facts the rules judge, each member's coverage resolved by the rules on the
/// session's local date.
pub fn facts(record: &SessionRecord) -> SessionFacts {
    let minutes = (record.ends_at - record.starts_at).num_minutes().max(0);
    SessionFacts {
        session_id: record.id,
        local_date: record.local_date,
        scheduled_minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
        facility_state: record.facility_state.clone(),
        billing_npi: record.billing_npi.clone(),
        group_type: record.group_type.clone(),
        roster: record
            .roster
            .iter()
            .map(|entry| RosterRow {
                row_id: entry.row_id,
                mrn: entry.mrn.clone(),
                status: entry.status,
                coverage: primary_policy(record, entry).map(Policy::coverage),
                has_diagnosis: entry.has_diagnosis,
            })
            .collect(),
        supervisors: record
            .supervisors
            .iter()
            .map(|entry| SupervisorRow {
                npi: entry.npi.clone(),
                name: entry.name(),
                status: entry.status,
            })
            .collect(),
        supervision_rules: record.supervision_rules.clone(),
        size_bands: record.size_bands.clone(),
        acceptances: record
            .acceptances
            .iter()
            .map(|a| a.acceptance.clone())
            .collect(),
    }
}

/// The member's primary policy active on the session's date.
pub fn primary_policy<'a>(record: &SessionRecord, entry: &'a RosterEntry) -> Option<&'a Policy> {
    select_primary(&entry.policies, record.local_date).0
}

pub fn no_session(session_id: i64) -> Error {
    Error::not_found(format!("no session {session_id}")).with("session_id", session_id)
}

/// Exit 5, naming the way out.
pub fn locked(session_id: i64) -> Error {
    Error::new(
        ExitKind::Locked,
        format!(
            "session {session_id} is locked: a claim exists for it, so its attendance is \
             corrected only with `gsess force-update` (scope clinical.attendance.write.force)"
        ),
    )
    .with("session_id", session_id)
    .with("status", "LOCKED")
}
