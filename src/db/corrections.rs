//! The forced correction in SQL: one call of `force_correction()`, the database function that
//! alone may change a locked session's attendance, and that re-prices its charges and rebuilds
//! its claims in the same call; and the session's unsubmitted claims, for the re-scrub after.

use super::billing::PricedCharge;
use super::{DbError, DbResult};
use crate::model::ClaimAction;
use crate::rules::AttendanceStatus;
use serde::Deserialize;
use sqlx::PgConnection;

/// What a correction asks the database to do.
#[derive(Debug, Clone)]
pub struct ForceCall<'a> {
    pub session_id: i64,
    /// The attendance version the correction was priced from: a session changed since is
    /// refused (40001) rather than corrected from a stale read.
    pub version: i64,
    pub to: AttendanceStatus,
    pub participant_ids: &'a [i64],
    pub supervisor_ids: &'a [i64],
    /// The session's charges as they must stand after the change.
    pub charges: &'a [PricedCharge],
    pub reason: &'a str,
}

/// What the database did to one member's claims.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClaimTouched {
    pub id: i64,
    pub member_id: i64,
    pub frequency_code: String,
    pub action: ClaimAction,
}

/// What the correction did.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Forced {
    pub audit_id: i64,
    pub charges_voided: Vec<i64>,
    pub charges_built: Vec<i64>,
    pub claims: Vec<ClaimTouched>,
}

pub async fn force_correction(conn: &mut PgConnection, call: &ForceCall<'_>) -> DbResult<Forced> {
    let charges = serde_json::to_value(call.charges)
        .map_err(|e| DbError::unexpected(format!("pricing document: {e}")))?;
    let done: serde_json::Value =
        sqlx::query_scalar("SELECT force_correction($1, $2, $3, $4, $5, $6::jsonb, $7)")
            .bind(call.session_id)
            .bind(call.version)
            .bind(call.to.as_str())
            .bind(call.participant_ids)
            .bind(call.supervisor_ids)
            .bind(charges)
            .bind(call.reason)
            .fetch_one(&mut *conn)
            .await?;
    serde_json::from_value(done)
        .map_err(|e| DbError::unexpected(format!("reading what the correction did: {e}")))
}

/// The session's claims not yet submitted, by id.
pub async fn unsubmitted_claims(conn: &mut PgConnection, session_id: i64) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT c.id FROM group_session s
           JOIN claim c ON c.facility_id = s.facility_id AND c.session_id = s.id
          WHERE s.id = $1 AND c.status = 'BUILT'
          ORDER BY c.id",
    )
    .bind(session_id)
    .fetch_all(&mut *conn)
    .await?)
}
