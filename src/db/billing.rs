//! The billing run in SQL: its work list (the sessions still unsettled, taken `FOR UPDATE
//! SKIP LOCKED` so a second runner skips what the first holds), the charge sync, the claim
//! build, the scrubber's own read of each claim's facts, its Validation list, and the run's
//! audit entry. One statement each per batch of sessions, never one per row.

use super::{DbError, DbResult};
use crate::model::ClaimedSession;
use crate::rules::Issue;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;

/// A session the run takes in hand (its row is locked until the batch commits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Taken {
    pub facility_id: i64,
    pub id: i64,
    pub ends_at: DateTime<Utc>,
}

/// The next sessions with billing work, after `after` in (end, id) order: unsettled and ended
/// by `cutoff`. Rows another runner holds are skipped.
pub async fn next_batch(
    conn: &mut PgConnection,
    cutoff: DateTime<Utc>,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> DbResult<Vec<Taken>> {
    let (after_end, after_id) = after.unzip();
    Ok(sqlx::query_as(
        "SELECT s.facility_id, s.id, s.ends_at
           FROM group_session s
          WHERE NOT s.billing_settled AND s.ends_at <= $1
            AND ($2::timestamptz IS NULL OR (s.ends_at, s.id) > ($2, $3))
          ORDER BY s.ends_at, s.id
          LIMIT $4
            FOR UPDATE OF s SKIP LOCKED",
    )
    .bind(cutoff)
    .bind(after_end)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Named sessions, settled or not; those another runner holds are left out.
pub async fn take_sessions(conn: &mut PgConnection, ids: &[i64]) -> DbResult<Vec<Taken>> {
    Ok(sqlx::query_as(
        "SELECT s.facility_id, s.id, s.ends_at
           FROM group_session s
          WHERE s.id = ANY ($1)
          ORDER BY s.ends_at, s.id
            FOR UPDATE OF s SKIP LOCKED",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?)
}

/// Of these session ids, the ones that exist.
pub async fn existing_sessions(conn: &mut PgConnection, ids: &[i64]) -> DbResult<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM group_session WHERE id = ANY ($1) ORDER BY id")
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// The charges priced for one session, at the attendance version they were priced from.
#[derive(Debug, Clone, Serialize)]
pub struct SessionCharges {
    pub facility_id: i64,
    pub session_id: i64,
    pub version: i64,
    pub charges: Vec<PricedCharge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PricedCharge {
    pub participant_id: i64,
    pub coverage_id: i64,
    pub band_id: i64,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub units: u32,
    #[serde(serialize_with = "crate::rules::money::serialize")]
    pub rate: rust_decimal::Decimal,
    #[serde(serialize_with = "crate::rules::money::serialize")]
    pub amount: rust_decimal::Decimal,
}

/// What the sync did to one session's charges.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Synced {
    pub session_id: i64,
    pub voided: Vec<i64>,
    pub built: Vec<i64>,
}

/// Make these sessions' active charges exactly the ones priced (the database function checks
/// what it can and voids, inserts or keeps).
pub async fn sync_charges(
    conn: &mut PgConnection,
    sessions: &[SessionCharges],
) -> DbResult<Vec<Synced>> {
    if sessions.is_empty() {
        return Ok(Vec::new());
    }
    let document = serde_json::to_value(sessions)
        .map_err(|e| DbError::unexpected(format!("pricing document: {e}")))?;
    Ok(
        sqlx::query_as("SELECT session_id, voided, built FROM sync_charges($1::jsonb)")
            .bind(document)
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// A claim just built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Built {
    pub id: i64,
    pub session_id: i64,
}

/// One original claim (frequency 1) per active charge of these sessions that no claim covers
/// yet, with its line; the claim's number comes from a sequence. The unique index on the
/// live claim of a (session, member) makes a second one impossible.
pub async fn build_claims(
    conn: &mut PgConnection,
    sessions: &[(i64, i64)],
) -> DbResult<Vec<Built>> {
    if sessions.is_empty() {
        return Ok(Vec::new());
    }
    let (facilities, ids): (Vec<i64>, Vec<i64>) = sessions.iter().copied().unzip();
    Ok(sqlx::query_as(
        // Each claim's id is drawn first, so its line is written without joining back.
        "WITH target AS (
             SELECT * FROM unnest($1::bigint[], $2::bigint[]) AS t(facility_id, session_id)
         ), charged AS MATERIALIZED (
             SELECT c.*, nextval(pg_get_serial_sequence('claim', 'id')) AS claim_id
               FROM charge c JOIN target t
                 ON c.facility_id = t.facility_id AND c.session_id = t.session_id
              WHERE c.status = 'ACTIVE'
                AND NOT EXISTS (SELECT 1 FROM claim k
                                 WHERE k.facility_id = c.facility_id AND k.session_id = c.session_id
                                   AND k.member_id = c.member_id AND k.is_live)
              ORDER BY c.session_id, c.participant_id
         ), claims AS (
             INSERT INTO claim (id, facility_id, session_id, member_id, payer_id, coverage_id,
                                frequency_code, claim_control_number, amount)
             SELECT claim_id, facility_id, session_id, member_id, payer_id, coverage_id, '1',
                    nextval('claim_control_number_seq')::text, amount
               FROM charged ORDER BY claim_id
         ), lines AS (
             INSERT INTO claim_line (facility_id, claim_id, charge_id, line_number, procedure_code,
                                     modifiers, units, amount)
             SELECT facility_id, claim_id, id, 1, procedure_code, modifiers, units, amount
               FROM charged ORDER BY claim_id
         )
         SELECT claim_id AS id, session_id FROM charged ORDER BY claim_id",
    )
    .bind(&facilities)
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?)
}

/// The scrubber's own read: the claims' facts, afresh, by session, in one statement.
pub async fn claim_facts(
    conn: &mut PgConnection,
    claim_ids: &[i64],
) -> DbResult<Vec<ClaimedSession>> {
    if claim_ids.is_empty() {
        return Ok(Vec::new());
    }
    let documents: Vec<String> = sqlx::query_scalar(include_str!("sql/claim_facts.sql"))
        .bind(claim_ids)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    super::parse_documents(&documents, "a claim's facts")
}

/// Replace the Validation lists of these (unsubmitted) claims with the issues scrubbed now.
pub async fn store_issues(conn: &mut PgConnection, scrubbed: &[(i64, Vec<Issue>)]) -> DbResult<()> {
    if scrubbed.is_empty() {
        return Ok(());
    }
    let document: Vec<serde_json::Value> = scrubbed
        .iter()
        .map(|(claim_id, issues)| serde_json::json!({"claim_id": claim_id, "issues": issues}))
        .collect();
    sqlx::query("SELECT store_claim_issues($1::jsonb)")
        .bind(serde_json::Value::Array(document))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Mark sessions the run left with nothing to do (until their attendance changes again).
pub async fn settle(conn: &mut PgConnection, sessions: &[(i64, i64)]) -> DbResult<()> {
    if sessions.is_empty() {
        return Ok(());
    }
    let (facilities, ids): (Vec<i64>, Vec<i64>) = sessions.iter().copied().unzip();
    sqlx::query(
        // `IS NOT TRUE`, not `NOT`: the partial index of unsettled sessions must not drive this
        // join (its row estimate is small, and a nested loop over it read every unsettled
        // session once per session settled); each row is found by its key instead.
        "UPDATE group_session s SET billing_settled = true
           FROM unnest($1::bigint[], $2::bigint[]) AS t(facility_id, id)
          WHERE s.facility_id = t.facility_id AND s.id = t.id AND s.billing_settled IS NOT TRUE",
    )
    .bind(&facilities)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One audit entry for the run.
pub async fn audit_run(conn: &mut PgConnection, summary: &serde_json::Value) -> DbResult<i64> {
    Ok(sqlx::query_scalar("SELECT audit_billing_run($1::jsonb)")
        .bind(summary)
        .fetch_one(&mut *conn)
        .await?)
}

/// When billing work next falls due: the earliest end (plus grace) of an unsettled session
/// still in the future, or the earliest claim delay still running; `None` when nothing is
/// pending. For `billing watch`, which sleeps until then.
pub async fn next_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    grace: chrono::Duration,
    claim_delay: chrono::Duration,
) -> DbResult<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar(
        "SELECT min(due) FROM (
             (SELECT s.ends_at + $2 AS due FROM group_session s
               WHERE NOT s.billing_settled AND s.ends_at + $2 > $1
               ORDER BY s.ends_at LIMIT 1)
             UNION ALL
             (SELECT s.ends_at + $3 FROM group_session s
               WHERE NOT s.billing_settled AND s.billed_at IS NOT NULL AND s.ends_at + $3 > $1
               ORDER BY s.ends_at LIMIT 1)
         ) d",
    )
    .bind(now)
    .bind(grace)
    .bind(claim_delay)
    .fetch_one(&mut *conn)
    .await?)
}
