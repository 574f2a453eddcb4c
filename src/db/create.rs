//! Creating an ad-hoc session with its roster.

use super::DbResult;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// The new session's id. Its roster goes in with one statement, in the order given (roster
/// order follows row ids); the statement trigger audits the rows and derives the supervisors.
pub async fn insert_adhoc_session(
    conn: &mut PgConnection,
    facility_id: i64,
    group_type_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    member_ids: &[i64],
) -> DbResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
         VALUES ($1, $2, $3, $4, 'ADHOC')
         RETURNING id",
    )
    .bind(facility_id)
    .bind(group_type_id)
    .bind(starts_at)
    .bind(ends_at)
    .fetch_one(&mut *conn)
    .await?;
    if !member_ids.is_empty() {
        sqlx::query(
            "INSERT INTO session_participant (facility_id, session_id, member_id)
             SELECT $1, $2, u.member_id
               FROM unnest($3::bigint[]) WITH ORDINALITY AS u(member_id, ord)
              ORDER BY u.ord",
        )
        .bind(facility_id)
        .bind(id)
        .bind(member_ids)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}
