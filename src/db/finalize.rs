//! `finalize` in SQL: the plan (every candidate session with its still-SCHEDULED roster and
//! supervisor rows, read in one statement) and the apply (one statement per batch of
//! sessions, marking exactly the listed rows ABSENT, only while they are still SCHEDULED
//! and only on sessions that are still unlocked).
//!
//! Set-based on purpose: the attendance triggers audit, bump versions and NOTIFY per
//! statement, so finalizing 10,000 sessions costs one read plus a few statements per batch,
//! never a statement per row or per session.

use super::DbResult;
use crate::model::Candidate;
use chrono::NaiveDate;
use sqlx::PgConnection;

/// Which sessions a finalize looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinalizeScope {
    /// Named sessions, by id.
    Sessions(Vec<i64>),
    /// Every session whose local date (its facility's calendar) is `date`, optionally of one
    /// facility and one group type.
    Day {
        date: NaiveDate,
        facility_id: Option<i64>,
        group_type_id: Option<i64>,
    },
}

/// The plan statement for a given WHERE clause (two forms, so each gets its own index path).
macro_rules! plan_sql {
    ($filter:literal) => {
        concat!(
            r#"
SELECT s.id, s.facility_id, f.code AS facility, f.timezone, t.code AS group_type, s.local_date,
       s.starts_at, s.ends_at,
       s.starts_at <= now() AS started,
       s.ends_at <= now() AS ended,
       session_is_locked(s.facility_id, s.id) AS locked,
       r.ids AS roster_ids, r.mrns AS roster_mrns, v.ids AS supervisor_ids, v.npis AS supervisor_npis
  FROM group_session s
  JOIN facility f ON f.id = s.facility_id
  JOIN group_type t ON t.id = s.group_type_id
 CROSS JOIN LATERAL (
        SELECT coalesce(array_agg(p.id ORDER BY p.id), '{}') AS ids,
               coalesce(array_agg(m.mrn::text ORDER BY p.id), '{}') AS mrns
          FROM session_participant p JOIN member m ON m.id = p.member_id
         WHERE p.facility_id = s.facility_id AND p.session_id = s.id AND p.status = 'SCHEDULED') r
 CROSS JOIN LATERAL (
        SELECT coalesce(array_agg(x.id ORDER BY x.id), '{}') AS ids,
               coalesce(array_agg(d.npi::text ORDER BY x.id), '{}') AS npis
          FROM session_supervisor x JOIN provider d ON d.id = x.provider_id
         WHERE x.facility_id = s.facility_id AND x.session_id = s.id AND x.status = 'SCHEDULED') v
 WHERE "#,
            $filter,
            "\n ORDER BY s.id\n"
        )
    };
}

const PLAN_SESSIONS_SQL: &str = plan_sql!("s.id = ANY ($1::bigint[])");
const PLAN_DAY_SQL: &str = plan_sql!(
    "s.local_date = $1
   AND ($2::bigint IS NULL OR s.facility_id = $2)
   AND ($3::bigint IS NULL OR s.group_type_id = $3)"
);

/// The plan: every candidate session with its SCHEDULED rows, in one read. Named sessions
/// that do not exist are simply absent (the caller reports them).
pub async fn plan(conn: &mut PgConnection, scope: &FinalizeScope) -> DbResult<Vec<Candidate>> {
    let rows = match scope {
        FinalizeScope::Sessions(ids) => {
            sqlx::query_as::<_, Candidate>(PLAN_SESSIONS_SQL)
                .bind(ids)
                .fetch_all(&mut *conn)
                .await?
        }
        FinalizeScope::Day {
            date,
            facility_id,
            group_type_id,
        } => {
            sqlx::query_as::<_, Candidate>(PLAN_DAY_SQL)
                .bind(date)
                .bind(facility_id)
                .bind(group_type_id)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    Ok(rows)
}

/// The apply statement. `target` re-checks the lock with this statement's snapshot (a
/// session claimed since the plan is left alone and reported); the two UPDATEs touch
/// exactly the listed row ids, and only those still SCHEDULED (a row marked meanwhile is left
/// alone: in READ COMMITTED the guard is re-evaluated on the row's newest version).
///
/// A claim committed after this statement's snapshot but before its row trigger takes the
/// session-row lock is still caught: the trigger (`FOR NO KEY UPDATE` on the session, then
/// the lock check) raises GS423 for the whole statement, and the caller runs the batch again
/// with a fresh snapshot, which then sees the claim here.
const APPLY_SQL: &str = r#"
WITH target AS (
    SELECT s.facility_id, s.id,
           session_is_locked(s.facility_id, s.id) AS locked,
           s.billed_at IS NOT NULL AS billed
      FROM group_session s
     WHERE s.id = ANY ($1::bigint[])
), roster AS (
    UPDATE session_participant p SET status = 'ABSENT'
      FROM target t
     WHERE NOT t.locked
       AND p.facility_id = t.facility_id AND p.session_id = t.id
       AND p.id = ANY ($2::bigint[]) AND p.status = 'SCHEDULED'
    RETURNING p.session_id, p.id
), supervisors AS (
    UPDATE session_supervisor x SET status = 'ABSENT'
      FROM target t
     WHERE NOT t.locked
       AND x.facility_id = t.facility_id AND x.session_id = t.id
       AND x.id = ANY ($3::bigint[]) AND x.status = 'SCHEDULED'
    RETURNING x.session_id, x.id
)
SELECT 'session' AS kind, t.id AS session_id, NULL::bigint AS row_id, t.locked, t.billed FROM target t
UNION ALL
SELECT 'roster', r.session_id, r.id, NULL, NULL FROM roster r
UNION ALL
SELECT 'supervisor', v.session_id, v.id, NULL, NULL FROM supervisors v
"#;

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Sessions of the batch that had a claim at apply time (nothing of them was touched).
    pub locked: Vec<i64>,
    /// Sessions of the batch that no longer exist.
    pub missing: Vec<i64>,
    /// Sessions of the batch the billing run had priced (BILLED, or locked).
    pub billed: Vec<i64>,
    /// Roster rows marked ABSENT: (session id, row id).
    pub roster: Vec<(i64, i64)>,
    /// Supervisor rows marked ABSENT: (session id, row id).
    pub supervisors: Vec<(i64, i64)>,
}

/// One row of the apply's answer: (kind, session, row id, locked, billed).
type ApplyRow = (String, i64, Option<i64>, Option<bool>, Option<bool>);

/// Mark the listed rows of these sessions ABSENT, inside the caller's transaction. Rows whose
/// session is not in `sessions` are never touched.
pub async fn apply_batch(
    conn: &mut PgConnection,
    sessions: &[i64],
    roster_ids: &[i64],
    supervisor_ids: &[i64],
) -> DbResult<BatchOutcome> {
    let rows: Vec<ApplyRow> = sqlx::query_as(APPLY_SQL)
        .bind(sessions)
        .bind(roster_ids)
        .bind(supervisor_ids)
        .fetch_all(&mut *conn)
        .await?;

    let mut outcome = BatchOutcome::default();
    let mut seen = Vec::with_capacity(sessions.len());
    for (kind, session_id, row_id, locked, billed) in rows {
        match (kind.as_str(), row_id) {
            ("session", _) => {
                seen.push(session_id);
                if locked == Some(true) {
                    outcome.locked.push(session_id);
                }
                if billed == Some(true) {
                    outcome.billed.push(session_id);
                }
            }
            ("roster", Some(row)) => outcome.roster.push((session_id, row)),
            ("supervisor", Some(row)) => outcome.supervisors.push((session_id, row)),
            _ => {}
        }
    }
    seen.sort_unstable();
    outcome.missing = sessions
        .iter()
        .copied()
        .filter(|id| seen.binary_search(id).is_err())
        .collect();
    outcome.locked.sort_unstable();
    outcome.billed.sort_unstable();
    outcome.roster.sort_unstable();
    outcome.supervisors.sort_unstable();
    Ok(outcome)
}
