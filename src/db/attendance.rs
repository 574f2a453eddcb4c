//! Attendance writes in SQL: resolving the MRNs and NPIs a command names against a session
//! (one statement), locking rows (in id order) to judge them on what they hold,
//! setting their status (one `UPDATE … WHERE id = ANY` per table), adding and removing roster
//! rows, adding a substitute supervisor. The triggers and grants stay the final guard; what
//! gsess checks first, and in which order, is `ops::attendance`'s.

use super::{DbError, DbResult};
use crate::model::RowKind;
use crate::rules::AttendanceStatus;
use serde::Deserialize;
use sqlx::PgConnection;

/// How strongly a writer locks the rows it is about to change.
#[derive(Debug, Clone, Copy)]
pub enum RowLock {
    /// `FOR NO KEY UPDATE`: only the status will change. A billing run holding the session
    /// and inserting a charge takes `FOR KEY SHARE` on its roster row (the foreign key); a
    /// `FOR UPDATE` here would block it while this writer waits for that session: a deadlock.
    Mark,
    /// `FOR UPDATE`: the row will be deleted (only SCHEDULED rows, which carry no charge).
    Remove,
}

/// Lock rows in id order and read them as they now stand: `key` is the participant's MRN or
/// the supervisor's NPI.
fn lock_sql(kind: RowKind, lock: RowLock) -> &'static str {
    macro_rules! locking {
        ($select:literal, $alias:literal) => {
            match lock {
                RowLock::Mark => concat!($select, " FOR NO KEY UPDATE OF ", $alias),
                RowLock::Remove => concat!($select, " FOR UPDATE OF ", $alias),
            }
        };
    }
    match kind {
        RowKind::Participant => locking!(
            "SELECT p.id, p.status::text AS status, m.mrn AS key,
                    m.first_name || ' ' || m.last_name AS name
               FROM session_participant p JOIN member m ON m.id = p.member_id
              WHERE p.facility_id = $1 AND p.id = ANY ($2)
              ORDER BY p.id",
            "p"
        ),
        RowKind::Supervisor => locking!(
            "SELECT x.id, x.status::text AS status, v.npi::text AS key,
                    v.first_name || ' ' || v.last_name AS name
               FROM session_supervisor x JOIN provider v ON v.id = x.provider_id
              WHERE x.facility_id = $1 AND x.id = ANY ($2)
              ORDER BY x.id",
            "x"
        ),
    }
}

/// One statement sets the status of every given row of this kind.
fn mark_sql(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Participant => {
            "UPDATE session_participant SET status = $3 WHERE facility_id = $1 AND id = ANY ($2)"
        }
        RowKind::Supervisor => {
            "UPDATE session_supervisor SET status = $3 WHERE facility_id = $1 AND id = ANY ($2)"
        }
    }
}

/// A named MRN or NPI resolved against the session.
#[derive(Debug, Clone, Deserialize)]
pub struct Resolved {
    /// The MRN or NPI as given.
    pub key: String,
    /// The member or provider id; `None` when no such member/provider exists.
    pub id: Option<i64>,
    pub name: Option<String>,
    /// The session's row for them; `None` when not on the roster / not a supervisor.
    pub row_id: Option<i64>,
    pub status: Option<AttendanceStatus>,
    /// Supervisor rows: `ASSIGNMENT` or `MANUAL`.
    pub source: Option<String>,
}

/// The session as the write path needs it, resolved in one statement.
#[derive(Debug, Clone, Deserialize)]
pub struct Resolution {
    pub session_id: i64,
    pub facility_id: i64,
    /// A claim exists: attendance edits need `force-update`.
    pub locked: bool,
    pub members: Vec<Resolved>,
    pub providers: Vec<Resolved>,
    /// Roster rows still `SCHEDULED` that the selection may take (by `all_scheduled`
    /// or `if_scheduled`).
    pub scheduled_participants: Vec<i64>,
    pub scheduled_supervisors: Vec<i64>,
}

/// One statement: the session, whether it is locked, every MRN/NPI with the session's row for
/// it, and the still-SCHEDULED rows a conditional selection may take.
const RESOLVE_SQL: &str = r#"
SELECT json_build_object(
    'session_id', s.id,
    'facility_id', s.facility_id,
    'locked', session_is_locked(s.facility_id, s.id),
    'members', (SELECT coalesce(json_agg(json_build_object(
                       'key', n.key, 'id', m.id, 'name', m.first_name || ' ' || m.last_name,
                       'row_id', p.id, 'status', p.status, 'source', NULL) ORDER BY n.ord), '[]'::json)
                  FROM unnest($2::text[]) WITH ORDINALITY AS n(key, ord)
                  LEFT JOIN member m ON m.mrn = n.key
                  LEFT JOIN session_participant p
                         ON p.facility_id = s.facility_id AND p.session_id = s.id AND p.member_id = m.id),
    'providers', (SELECT coalesce(json_agg(json_build_object(
                         'key', n.key, 'id', v.id, 'name', v.first_name || ' ' || v.last_name,
                         'row_id', x.id, 'status', x.status, 'source', x.source) ORDER BY n.ord), '[]'::json)
                    FROM unnest($3::text[]) WITH ORDINALITY AS n(key, ord)
                    LEFT JOIN provider v ON v.npi = n.key
                    LEFT JOIN session_supervisor x
                           ON x.facility_id = s.facility_id AND x.session_id = s.id AND x.provider_id = v.id),
    'scheduled_participants', (SELECT coalesce(json_agg(p.id ORDER BY p.id), '[]'::json)
                                 FROM session_participant p
                                WHERE p.facility_id = s.facility_id AND p.session_id = s.id
                                  AND p.status = 'SCHEDULED' AND ($4 OR p.id = ANY ($5))),
    'scheduled_supervisors', (SELECT coalesce(json_agg(x.id ORDER BY x.id), '[]'::json)
                                FROM session_supervisor x
                               WHERE x.facility_id = s.facility_id AND x.session_id = s.id
                                 AND x.status = 'SCHEDULED' AND x.id = ANY ($6))
)::text
  FROM group_session s
 WHERE s.id = $1
"#;

/// What a resolution is asked to find besides the named MRNs and NPIs: the still-SCHEDULED
/// rows a conditional selection may take.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scheduled<'a> {
    /// Every roster row still SCHEDULED.
    pub all_participants: bool,
    /// These roster and supervisor rows, each if still SCHEDULED.
    pub participants: &'a [i64],
    pub supervisors: &'a [i64],
}

/// Resolve a session and the MRNs/NPIs named for it; `None` when the session does not exist.
pub async fn resolve(
    conn: &mut PgConnection,
    session_id: i64,
    mrns: &[String],
    npis: &[String],
    scheduled: Scheduled<'_>,
) -> DbResult<Option<Resolution>> {
    let document: Option<String> = sqlx::query_scalar(RESOLVE_SQL)
        .bind(session_id)
        .bind(mrns)
        .bind(npis)
        .bind(scheduled.all_participants)
        .bind(scheduled.participants)
        .bind(scheduled.supervisors)
        .fetch_optional(&mut *conn)
        .await?;
    document
        .map(|document| {
            serde_json::from_str(&document)
                .map_err(|e| DbError::unexpected(format!("reading session {session_id}: {e}")))
        })
        .transpose()
}

/// A row as it stands under its lock.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LockedRow {
    pub id: i64,
    status: String,
    /// The MRN of a participant, the NPI of a supervisor.
    pub key: String,
    pub name: String,
}

impl LockedRow {
    pub fn status(&self) -> DbResult<AttendanceStatus> {
        self.status
            .parse()
            .map_err(|e| DbError::unexpected(format!("reading an attendance status: {e}")))
    }
}

/// Lock the given rows of one kind and read them as they now stand. gsess locks roster rows
/// before supervisor rows, always, so its writers queue rather than deadlock.
pub async fn lock_rows(
    conn: &mut PgConnection,
    kind: RowKind,
    lock: RowLock,
    facility_id: i64,
    ids: &[i64],
) -> DbResult<Vec<LockedRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(lock_sql(kind, lock))
        .bind(facility_id)
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?)
}

/// Set the status of these rows of one kind (the trigger judges each transition again).
pub async fn set_status(
    conn: &mut PgConnection,
    kind: RowKind,
    facility_id: i64,
    ids: &[i64],
    to: AttendanceStatus,
) -> DbResult<()> {
    sqlx::query(mark_sql(kind))
        .bind(facility_id)
        .bind(ids)
        .bind(to.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Add members to a roster as SCHEDULED, in the order given (one INSERT); a member already on
/// it is skipped. Returns the new row ids.
pub async fn insert_participants(
    conn: &mut PgConnection,
    facility_id: i64,
    session_id: i64,
    mrns: &[String],
) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO session_participant (facility_id, session_id, member_id)
         SELECT $1, $2, m.id
           FROM unnest($3::text[]) WITH ORDINALITY AS n(mrn, ord)
           JOIN member m ON m.mrn = n.mrn
          ORDER BY n.ord
         ON CONFLICT (facility_id, session_id, member_id) DO NOTHING
         RETURNING id",
    )
    .bind(facility_id)
    .bind(session_id)
    .bind(mrns)
    .fetch_all(&mut *conn)
    .await?)
}

/// Take these roster rows off (the trigger allows it only while they are SCHEDULED).
pub async fn delete_participants(
    conn: &mut PgConnection,
    facility_id: i64,
    ids: &[i64],
) -> DbResult<()> {
    sqlx::query("DELETE FROM session_participant WHERE facility_id = $1 AND id = ANY ($2)")
        .bind(facility_id)
        .bind(ids)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Add a substitute supervisor (source MANUAL, SCHEDULED); `None` when they already are one.
pub async fn insert_manual_supervisor(
    conn: &mut PgConnection,
    facility_id: i64,
    session_id: i64,
    provider_id: i64,
) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO session_supervisor (facility_id, session_id, provider_id, source)
         VALUES ($1, $2, $3, 'MANUAL')
         ON CONFLICT (facility_id, session_id, provider_id) DO NOTHING
         RETURNING id",
    )
    .bind(facility_id)
    .bind(session_id)
    .bind(provider_id)
    .fetch_optional(&mut *conn)
    .await?)
}
