//! Attendance writes: marking roster and supervisor rows (`mark`, `take` and its closing
//! finalize), adding and removing roster rows, adding a substitute supervisor.
//!
//! gsess checks first, for clear messages and the SPEC's order of exit codes (unknown
//! session 3, locked 5, unknown or absent member/provider 3, nothing named 10, illegal
//! transitions 4); the database's triggers and grants stay the final guard, and a refusal
//! from them (GS409, GS423, 42501) comes back through the same error type.
//!
//! A mark is one transaction: one statement resolves every MRN and NPI to the session's row
//! ids, the rows are then locked (`FOR UPDATE`, in id order) and judged on the values they
//! hold under the lock, and one `UPDATE … WHERE id = ANY` per table applies the change. The
//! locks are taken rows first, session second (the trigger takes the session row when the
//! UPDATE runs) — the same order as a hand-written `UPDATE` — so concurrent writers queue
//! instead of deadlocking, and the second of two marks of one row is judged against the
//! status the first one left.

use crate::error::{Error, ExitKind, Result};
use crate::rules::AttendanceStatus;
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use std::collections::HashSet;

/// A roster row (a participant) or a supervisor row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    Participant,
    Supervisor,
}

impl RowKind {
    /// Lock rows `FOR UPDATE`, in id order, and read them as they now stand: `key` is the
    /// participant's MRN or the supervisor's NPI.
    fn lock_sql(self) -> &'static str {
        match self {
            RowKind::Participant => {
                "SELECT p.id, p.status::text AS status, m.mrn AS key,
                        m.first_name || ' ' || m.last_name AS name
                   FROM session_participant p JOIN member m ON m.id = p.member_id
                  WHERE p.facility_id = $1 AND p.id = ANY ($2)
                  ORDER BY p.id
                    FOR UPDATE OF p"
            }
            RowKind::Supervisor => {
                "SELECT x.id, x.status::text AS status, v.npi::text AS key,
                        v.first_name || ' ' || v.last_name AS name
                   FROM session_supervisor x JOIN provider v ON v.id = x.provider_id
                  WHERE x.facility_id = $1 AND x.id = ANY ($2)
                  ORDER BY x.id
                    FOR UPDATE OF x"
            }
        }
    }

    /// One statement sets the status of every given row of this kind.
    fn mark_sql(self) -> &'static str {
        match self {
            RowKind::Participant => {
                "UPDATE session_participant SET status = $3 WHERE facility_id = $1 AND id = ANY ($2)"
            }
            RowKind::Supervisor => {
                "UPDATE session_supervisor SET status = $3 WHERE facility_id = $1 AND id = ANY ($2)"
            }
        }
    }
}

/// Row ids of a session, per table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowIds {
    pub participants: Vec<i64>,
    pub supervisors: Vec<i64>,
}

impl RowIds {
    pub fn is_empty(&self) -> bool {
        self.participants.is_empty() && self.supervisors.is_empty()
    }
}

/// Which rows a mark changes.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Participants by MRN: each must be on the roster, and its transition must be legal.
    pub mrns: Vec<String>,
    /// Supervisors by NPI: each must be a supervisor of the session, transition legal.
    pub npis: Vec<String>,
    /// Every roster row still `SCHEDULED` when locked (`--all-scheduled`).
    pub all_scheduled: bool,
    /// Exactly these rows, each only if still `SCHEDULED` when locked: what a confirmation
    /// listed (take's closing finalize), and nothing a concurrent writer decided meanwhile.
    pub if_scheduled: RowIds,
}

impl Selection {
    fn names_nothing(&self) -> bool {
        self.mrns.is_empty()
            && self.npis.is_empty()
            && !self.all_scheduled
            && self.if_scheduled.is_empty()
    }
}

/// One row that changed (or would change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: RowKind,
    pub row_id: i64,
    /// The MRN of a participant, the NPI of a supervisor.
    pub key: String,
    pub name: String,
    pub from: AttendanceStatus,
    pub to: AttendanceStatus,
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
    'locked', EXISTS (SELECT 1 FROM claim c WHERE c.facility_id = s.facility_id AND c.session_id = s.id),
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

/// Resolve a session and the MRNs/NPIs named for it. Exit 3 when the session does not exist.
pub async fn resolve(
    conn: &mut PgConnection,
    session_id: i64,
    mrns: &[String],
    npis: &[String],
    all_scheduled: bool,
    if_scheduled: &RowIds,
) -> Result<Resolution> {
    let document: Option<String> = sqlx::query_scalar(RESOLVE_SQL)
        .bind(session_id)
        .bind(mrns)
        .bind(npis)
        .bind(all_scheduled)
        .bind(&if_scheduled.participants)
        .bind(&if_scheduled.supervisors)
        .fetch_optional(&mut *conn)
        .await?;
    let document = document.ok_or_else(|| no_session(session_id))?;
    serde_json::from_str(&document)
        .map_err(|e| Error::internal(format!("reading session {session_id}: {e}")))
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

impl Resolution {
    /// The SPEC's order after "no such session": the lock first, then unknown members and
    /// providers (all of them named), then those not on this session.
    pub fn check_unlocked_and_known(&self) -> Result<()> {
        if self.locked {
            return Err(locked(self.session_id));
        }
        let unknown_members: Vec<&str> = unknown(&self.members);
        let unknown_providers: Vec<&str> = unknown(&self.providers);
        if !unknown_members.is_empty() || !unknown_providers.is_empty() {
            let mut parts = Vec::new();
            if !unknown_members.is_empty() {
                parts.push(format!("no member with MRN {}", unknown_members.join(", ")));
            }
            if !unknown_providers.is_empty() {
                parts.push(format!(
                    "no provider with NPI {}",
                    unknown_providers.join(", ")
                ));
            }
            return Err(Error::not_found(parts.join("; "))
                .with("session_id", self.session_id)
                .with("unknown_members", unknown_members)
                .with("unknown_providers", unknown_providers));
        }
        Ok(())
    }

    /// Every named member on the roster and every named provider a supervisor, else exit 3.
    pub fn check_on_session(&self) -> Result<()> {
        let off_roster: Vec<&Resolved> =
            self.members.iter().filter(|r| r.row_id.is_none()).collect();
        let not_supervising: Vec<&Resolved> = self
            .providers
            .iter()
            .filter(|r| r.row_id.is_none())
            .collect();
        if off_roster.is_empty() && not_supervising.is_empty() {
            return Ok(());
        }
        let id = self.session_id;
        let mut parts = Vec::new();
        for r in &off_roster {
            parts.push(format!(
                "{} ({}) is not on the roster of session {id} (add them with `gsess roster add {id} {}`)",
                r.key,
                r.name.as_deref().unwrap_or_default(),
                r.key
            ));
        }
        for r in &not_supervising {
            parts.push(format!(
                "{} ({}) is not a supervisor of session {id} (a substitute who was present is \
                 added with `gsess supervisor add {id} {}`)",
                r.key,
                r.name.as_deref().unwrap_or_default(),
                r.key
            ));
        }
        Err(Error::not_found(parts.join("; "))
            .with("session_id", id)
            .with(
                "not_on_roster",
                off_roster.iter().map(|r| r.key.clone()).collect::<Vec<_>>(),
            )
            .with(
                "not_supervisors",
                not_supervising
                    .iter()
                    .map(|r| r.key.clone())
                    .collect::<Vec<_>>(),
            ))
    }
}

fn unknown(resolved: &[Resolved]) -> Vec<&str> {
    resolved
        .iter()
        .filter(|r| r.id.is_none())
        .map(|r| r.key.as_str())
        .collect()
}

/// The arguments in order, each once.
pub fn dedup(keys: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    keys.iter()
        .filter(|k| seen.insert(k.as_str()))
        .cloned()
        .collect()
}

/// A row as it stands under its lock.
#[derive(Debug, Clone, sqlx::FromRow)]
struct LockedRow {
    id: i64,
    status: String,
    key: String,
    name: String,
}

/// Lock the given rows of one kind (roster rows always before supervisor rows, so writers
/// queue rather than deadlock) and read them as they now stand.
async fn lock_rows(
    conn: &mut PgConnection,
    kind: RowKind,
    facility_id: i64,
    ids: &[i64],
) -> Result<Vec<LockedRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(kind.lock_sql())
        .bind(facility_id)
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?)
}

fn parse_status(text: &str) -> Result<AttendanceStatus> {
    text.parse()
        .map_err(|e| Error::internal(format!("reading an attendance status: {e}")))
}

/// `M002: ABSENT -> ABSENT is not allowed (next: ATTENDED, LATE)`
pub fn illegal_line(key: &str, from: AttendanceStatus, to: AttendanceStatus) -> String {
    format!(
        "{key}: {from} -> {to} is not allowed (next: {})",
        join_statuses(from.allowed_next())
    )
}

pub fn join_statuses(statuses: &[AttendanceStatus]) -> String {
    statuses
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Mark the selected rows `to`, all in one transaction or none. Returns the rows changed,
/// roster rows (in roster order) before supervisor rows.
///
/// gsess's own writers lock rows before the session, so they cannot deadlock one another; a
/// hand-written transaction that locks the other way round can, and PostgreSQL then aborts
/// one side (40P01). If that side is this mark, it runs again from the start (nothing of the
/// aborted attempt stayed), judged on what the other transaction left.
pub async fn apply_mark(
    pool: &PgPool,
    session_id: i64,
    to: AttendanceStatus,
    selection: &Selection,
) -> Result<Vec<Change>> {
    const ATTEMPTS: u32 = 3;
    let mut attempt = 1;
    loop {
        let result = async {
            let mut tx = pool.begin().await?;
            let changes = mark_in(&mut tx, session_id, to, selection).await?;
            tx.commit().await?;
            Ok::<_, Error>(changes)
        }
        .await;
        match result {
            Err(err) if attempt < ATTEMPTS && is_deadlock(&err) => attempt += 1,
            other => return other,
        }
    }
}

/// A deadlock or serialization failure: the transaction was rolled back and may be retried.
fn is_deadlock(err: &Error) -> bool {
    matches!(
        err.context.get("sqlstate").and_then(|s| s.as_str()),
        Some("40P01" | "40001")
    )
}

/// The mark inside a caller's transaction.
pub async fn mark_in(
    conn: &mut PgConnection,
    session_id: i64,
    to: AttendanceStatus,
    selection: &Selection,
) -> Result<Vec<Change>> {
    let mrns = dedup(&selection.mrns);
    let npis = dedup(&selection.npis);
    let resolution = resolve(
        conn,
        session_id,
        &mrns,
        &npis,
        selection.all_scheduled,
        &selection.if_scheduled,
    )
    .await?;
    resolution.check_unlocked_and_known()?;
    resolution.check_on_session()?;
    if selection.names_nothing() {
        return Err(input_error(format!(
            "nothing to mark on session {session_id}: name participants by MRN, \
             supervisors with --supervisor NPI, or use --all-scheduled"
        ))
        .with("session_id", session_id));
    }

    // Named rows are judged; the others are taken only while still SCHEDULED.
    let named_participants: HashSet<i64> =
        resolution.members.iter().filter_map(|r| r.row_id).collect();
    let named_supervisors: HashSet<i64> = resolution
        .providers
        .iter()
        .filter_map(|r| r.row_id)
        .collect();
    let mut participant_ids: Vec<i64> = named_participants
        .iter()
        .copied()
        .chain(resolution.scheduled_participants.iter().copied())
        .collect();
    participant_ids.sort_unstable();
    participant_ids.dedup();
    let mut supervisor_ids: Vec<i64> = named_supervisors
        .iter()
        .copied()
        .chain(resolution.scheduled_supervisors.iter().copied())
        .collect();
    supervisor_ids.sort_unstable();
    supervisor_ids.dedup();
    if participant_ids.is_empty() && supervisor_ids.is_empty() {
        return Err(nothing_left(session_id));
    }

    let facility_id = resolution.facility_id;
    let participants = lock_rows(conn, RowKind::Participant, facility_id, &participant_ids).await?;
    let supervisors = lock_rows(conn, RowKind::Supervisor, facility_id, &supervisor_ids).await?;

    // A named row removed between the resolution and the lock (`roster remove`).
    let gone: Vec<String> = resolution
        .members
        .iter()
        .filter(|r| !participants.iter().any(|p| Some(p.id) == r.row_id))
        .chain(
            resolution
                .providers
                .iter()
                .filter(|r| !supervisors.iter().any(|s| Some(s.id) == r.row_id)),
        )
        .map(|r| r.key.clone())
        .collect();
    if !gone.is_empty() {
        return Err(Error::not_found(format!(
            "{} left session {session_id} meanwhile: nothing changed",
            gone.join(", ")
        ))
        .with("session_id", session_id));
    }

    let mut changes = Vec::new();
    let mut illegal = Vec::new();
    for (kind, rows, named) in [
        (RowKind::Participant, &participants, &named_participants),
        (RowKind::Supervisor, &supervisors, &named_supervisors),
    ] {
        for row in rows {
            let from = parse_status(&row.status)?;
            if !named.contains(&row.id) && from != AttendanceStatus::Scheduled {
                continue; // decided by someone else since: not ours to change
            }
            if !from.can_transition_to(to) {
                illegal.push((kind, row, from));
                continue;
            }
            changes.push(Change {
                kind,
                row_id: row.id,
                key: row.key.clone(),
                name: row.name.clone(),
                from,
                to,
            });
        }
    }
    if !illegal.is_empty() {
        return Err(illegal_transitions(session_id, to, &illegal));
    }
    if changes.is_empty() {
        return Err(nothing_left(session_id));
    }

    for kind in [RowKind::Participant, RowKind::Supervisor] {
        let ids: Vec<i64> = changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.row_id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        sqlx::query(kind.mark_sql())
            .bind(facility_id)
            .bind(&ids)
            .bind(to.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(changes)
}

fn nothing_left(session_id: i64) -> Error {
    input_error(format!(
        "nothing to mark: no row of session {session_id} is still SCHEDULED"
    ))
    .with("session_id", session_id)
}

/// Exit 10 with a message that names what is wrong itself.
fn input_error(message: String) -> Error {
    Error::new(ExitKind::InvalidInput, message)
}

fn illegal_transitions(
    session_id: i64,
    to: AttendanceStatus,
    rows: &[(RowKind, &LockedRow, AttendanceStatus)],
) -> Error {
    let lines: Vec<String> = rows
        .iter()
        .map(|(_, row, from)| illegal_line(&row.key, *from, to))
        .collect();
    let context: Vec<serde_json::Value> = rows
        .iter()
        .map(|(kind, row, from)| {
            let key = match kind {
                RowKind::Participant => "mrn",
                RowKind::Supervisor => "npi",
            };
            serde_json::json!({
                key: row.key,
                "from": from,
                "to": to,
                "allowed_next": from.allowed_next(),
            })
        })
        .collect();
    Error::new(
        ExitKind::IllegalTransition,
        format!(
            "illegal attendance transition on session {session_id}, nothing changed:\n  {}",
            lines.join("\n  ")
        ),
    )
    .with("session_id", session_id)
    .with("rows", context)
}

// ---------------------------------------------------------------------------------------
// Roster add / remove, supervisor add
// ---------------------------------------------------------------------------------------

/// Add members to the roster as SCHEDULED, in the order given (one INSERT). A member already
/// on the roster is refused (exit 10) and nothing is added. Returns the MRNs added.
pub async fn roster_add(pool: &PgPool, session_id: i64, mrns: &[String]) -> Result<Vec<String>> {
    let mrns = dedup(mrns);
    let mut tx = pool.begin().await?;
    let resolution = resolve(&mut tx, session_id, &mrns, &[], false, &RowIds::default()).await?;
    resolution.check_unlocked_and_known()?;
    let present: Vec<String> = resolution
        .members
        .iter()
        .filter(|r| r.row_id.is_some())
        .map(|r| {
            format!(
                "{} ({}) is already on the roster of session {session_id} ({})",
                r.key,
                r.name.as_deref().unwrap_or_default(),
                r.status.map_or("", |s| s.as_str())
            )
        })
        .collect();
    if !present.is_empty() {
        return Err(already_on_roster(session_id, &present));
    }
    let added: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO session_participant (facility_id, session_id, member_id)
         SELECT $1, $2, m.id
           FROM unnest($3::text[]) WITH ORDINALITY AS n(mrn, ord)
           JOIN member m ON m.mrn = n.mrn
          ORDER BY n.ord
         ON CONFLICT (facility_id, session_id, member_id) DO NOTHING
         RETURNING id",
    )
    .bind(resolution.facility_id)
    .bind(session_id)
    .bind(&mrns)
    .fetch_all(&mut *tx)
    .await?;
    if added.len() != mrns.len() {
        // Someone added one of them between our check and our insert.
        return Err(already_on_roster(
            session_id,
            &["a member named was added to the roster meanwhile".to_owned()],
        ));
    }
    tx.commit().await?;
    Ok(mrns)
}

fn already_on_roster(session_id: i64, lines: &[String]) -> Error {
    input_error(format!("{}: nothing added", lines.join("; "))).with("session_id", session_id)
}

/// Remove still-SCHEDULED rows from the roster, all or none. Returns the MRNs removed.
pub async fn roster_remove(pool: &PgPool, session_id: i64, mrns: &[String]) -> Result<Vec<String>> {
    let mrns = dedup(mrns);
    let mut tx = pool.begin().await?;
    let resolution = resolve(&mut tx, session_id, &mrns, &[], false, &RowIds::default()).await?;
    resolution.check_unlocked_and_known()?;
    resolution.check_on_session()?;
    let ids: Vec<i64> = resolution.members.iter().filter_map(|r| r.row_id).collect();
    let mut ids_sorted = ids.clone();
    ids_sorted.sort_unstable();
    let rows = lock_rows(
        &mut tx,
        RowKind::Participant,
        resolution.facility_id,
        &ids_sorted,
    )
    .await?;
    if rows.len() != ids.len() {
        return Err(Error::not_found(format!(
            "a member named left session {session_id} meanwhile: nothing removed"
        )));
    }
    let mut decided = Vec::new();
    let mut context = Vec::new();
    for row in &rows {
        let status = parse_status(&row.status)?;
        if status != AttendanceStatus::Scheduled {
            decided.push(format!(
                "{} is {status}: only SCHEDULED rows leave a roster (mark it instead)",
                row.key
            ));
            context.push(serde_json::json!({"mrn": row.key, "status": status}));
        }
    }
    if !decided.is_empty() {
        return Err(Error::new(
            ExitKind::IllegalTransition,
            format!(
                "cannot remove from session {session_id}, nothing removed: {}",
                decided.join("; ")
            ),
        )
        .with("session_id", session_id)
        .with("rows", context));
    }
    sqlx::query("DELETE FROM session_participant WHERE facility_id = $1 AND id = ANY ($2)")
        .bind(resolution.facility_id)
        .bind(&ids_sorted)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(mrns)
}

/// Add a substitute supervisor (source MANUAL, SCHEDULED). The NPI's check digit is the
/// caller's to check (exit 10) before this.
pub async fn supervisor_add(pool: &PgPool, session_id: i64, npi: &str) -> Result<()> {
    let npis = [npi.to_owned()];
    let mut tx = pool.begin().await?;
    let resolution = resolve(&mut tx, session_id, &[], &npis, false, &RowIds::default()).await?;
    resolution.check_unlocked_and_known()?;
    let provider = &resolution.providers[0];
    if provider.row_id.is_some() {
        return Err(already_supervisor(session_id, provider));
    }
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO session_supervisor (facility_id, session_id, provider_id, source)
         VALUES ($1, $2, $3, 'MANUAL')
         ON CONFLICT (facility_id, session_id, provider_id) DO NOTHING
         RETURNING id",
    )
    .bind(resolution.facility_id)
    .bind(session_id)
    .bind(provider.id)
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_none() {
        return Err(already_supervisor(session_id, provider));
    }
    tx.commit().await?;
    Ok(())
}

fn already_supervisor(session_id: i64, provider: &Resolved) -> Error {
    let detail = match (&provider.source, provider.status) {
        (Some(source), Some(status)) => format!(" (source {source}, {status})"),
        _ => String::new(),
    };
    input_error(format!(
        "{} ({}) is already a supervisor of session {session_id}{detail}: nothing added",
        provider.key,
        provider.name.as_deref().unwrap_or_default()
    ))
    .with("session_id", session_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;

    #[test]
    fn an_illegal_line_names_the_row_and_its_next_states() {
        assert_eq!(
            illegal_line("M002", Absent, Absent),
            "M002: ABSENT -> ABSENT is not allowed (next: ATTENDED, LATE)"
        );
        assert_eq!(
            illegal_line("1245319599", Late, Late),
            "1245319599: LATE -> LATE is not allowed (next: ATTENDED, ABSENT)"
        );
    }

    #[test]
    fn dedup_keeps_the_first_of_each_in_order() {
        let keys: Vec<String> = ["M2", "M1", "M2", "M3", "M1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(dedup(&keys), ["M2", "M1", "M3"]);
    }

    #[test]
    fn a_selection_names_something_or_nothing() {
        assert!(Selection::default().names_nothing());
        assert!(!Selection {
            all_scheduled: true,
            ..Selection::default()
        }
        .names_nothing());
        assert!(!Selection {
            if_scheduled: RowIds {
                participants: vec![],
                supervisors: vec![7]
            },
            ..Selection::default()
        }
        .names_nothing());
    }
}
