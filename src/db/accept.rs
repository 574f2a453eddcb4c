//! Acceptances of issues: the database records who and when (its trigger) and audits them.

use super::DbResult;
use crate::rules::IssueCode;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// What an acceptance is about: the code and, by its scope, the payer or the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueSubject {
    pub code: IssueCode,
    pub payer: Option<String>,
    pub mrn: Option<String>,
}

/// A new acceptance as the database recorded it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recorded {
    pub id: i64,
    pub accepted_by: String,
    pub accepted_at: DateTime<Utc>,
}

/// Withdraw live acceptances of the subject on the session (one accepted at figures that no
/// longer hold is superseded by a new one).
pub async fn supersede(
    conn: &mut PgConnection,
    facility_id: i64,
    session_id: i64,
    subject: &IssueSubject,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE accepted_exception a SET revoked_at = now()
          WHERE a.facility_id = $1 AND a.session_id = $2 AND a.code = $3 AND a.revoked_at IS NULL
            AND a.payer_id IS NOT DISTINCT FROM (SELECT id FROM payer WHERE code = $4)
            AND a.member_id IS NOT DISTINCT FROM (SELECT id FROM member WHERE mrn = $5)",
    )
    .bind(facility_id)
    .bind(session_id)
    .bind(subject.code.as_str())
    .bind(&subject.payer)
    .bind(&subject.mrn)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Record an acceptance at the figures it is accepted at.
pub async fn insert(
    conn: &mut PgConnection,
    facility_id: i64,
    session_id: i64,
    subject: &IssueSubject,
    reason: &str,
    group_size: u32,
    supervisors_present: u32,
) -> DbResult<Recorded> {
    Ok(sqlx::query_as(
        "INSERT INTO accepted_exception
                (facility_id, session_id, code, payer_id, member_id, reason, group_size, supervisors_present)
         VALUES ($1, $2, $3, (SELECT id FROM payer WHERE code = $4),
                 (SELECT id FROM member WHERE mrn = $5), $6, $7, $8)
         RETURNING id, accepted_by, accepted_at",
    )
    .bind(facility_id)
    .bind(session_id)
    .bind(subject.code.as_str())
    .bind(&subject.payer)
    .bind(&subject.mrn)
    .bind(reason)
    .bind(i64::from(group_size))
    .bind(i64::from(supervisors_present))
    .fetch_one(&mut *conn)
    .await?)
}

/// Revoke one live acceptance; `None` when it was revoked meanwhile.
pub async fn revoke(
    conn: &mut PgConnection,
    facility_id: i64,
    acceptance_id: i64,
) -> DbResult<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar(
        "UPDATE accepted_exception SET revoked_at = now()
          WHERE facility_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING revoked_at",
    )
    .bind(facility_id)
    .bind(acceptance_id)
    .fetch_optional(&mut *conn)
    .await?)
}
