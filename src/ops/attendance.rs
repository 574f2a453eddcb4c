//! Taking attendance: marking roster and supervisor rows (`mark`, each step of `take` and its
//! closing finalize), adding and removing roster rows, adding a substitute supervisor.
//!
//! gsess checks first, for clear messages and a fixed order of exit codes (unknown session 3,
//! locked 5, unknown or absent member/provider 3, nothing named 10, illegal transitions 4);
//! the database's triggers and grants stay the final guard, and a refusal from them (GS409,
//! GS423, 42501) comes back through the same error type.
//!
//! A mark is one transaction: one statement resolves every MRN and NPI to the session's row
//! ids, the rows are then locked (`FOR UPDATE`, in id order) and judged on the values they
//! hold under the lock, and one `UPDATE … WHERE id = ANY` per table applies the change. The
//! locks are taken rows first, session second (the trigger takes the session row when the
//! UPDATE runs) — the same order as a hand-written `UPDATE` — so concurrent writers queue
//! instead of deadlocking, and the second of two marks of one row is judged against the
//! status the first one left. A hand-written transaction locking the other way round can
//! deadlock with a mark; PostgreSQL then aborts one side, and if that is the mark it runs
//! again from the start.

use super::billing;
use super::session::{self, locked, no_session};
use crate::db::attendance::{self as sql, Resolution, Resolved, RowLock, Scheduled};
use crate::db::{self, Retry};
use crate::error::{Error, ExitKind, Result};
use crate::model::{Change, RowKind, SessionRecord};
use crate::rules::preview::Evaluation;
use crate::rules::AttendanceStatus;
use sqlx::PgConnection;
use std::collections::HashSet;

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

/// What a mark did, and the session as it stands after the commit.
#[derive(Debug, Clone)]
pub struct MarkOutcome {
    pub session_id: i64,
    /// Roster rows (in roster order) before supervisor rows.
    pub changes: Vec<Change>,
    pub record: SessionRecord,
    pub evaluation: Evaluation,
}

/// Mark the selected rows `to`, all in one transaction or none — a BILLED session's charges
/// re-synced in the same transaction — and the session as the change left it, for the
/// preview.
pub async fn mark(
    conn: &mut PgConnection,
    session_id: i64,
    to: AttendanceStatus,
    selection: &Selection,
) -> Result<MarkOutcome> {
    let (changes, record) = db::transaction(conn, Retry::CONFLICTS, async |tx| {
        let changes = mark_in(tx, session_id, to, selection).await?;
        Ok((changes, reread_and_resync(tx, session_id).await?))
    })
    .await?;
    let evaluation = session::evaluate(&record);
    Ok(MarkOutcome {
        session_id,
        changes,
        record,
        evaluation,
    })
}

/// The session and the named MRNs/NPIs, or exit 3 when the session does not exist.
async fn resolve(
    conn: &mut PgConnection,
    session_id: i64,
    mrns: &[String],
    npis: &[String],
    scheduled: Scheduled<'_>,
) -> Result<Resolution> {
    sql::resolve(conn, session_id, mrns, npis, scheduled)
        .await?
        .ok_or_else(|| no_session(session_id))
}

/// The mark inside a transaction.
async fn mark_in(
    conn: &mut PgConnection,
    session_id: i64,
    to: AttendanceStatus,
    selection: &Selection,
) -> Result<Vec<Change>> {
    let mrns = dedup(&selection.mrns);
    let npis = dedup(&selection.npis);
    let scheduled = Scheduled {
        all_participants: selection.all_scheduled,
        participants: &selection.if_scheduled.participants,
        supervisors: &selection.if_scheduled.supervisors,
    };
    let resolution = resolve(conn, session_id, &mrns, &npis, scheduled).await?;
    check_unlocked_and_known(&resolution)?;
    check_on_session(&resolution)?;
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
    let participant_ids = sorted_union(&named_participants, &resolution.scheduled_participants);
    let supervisor_ids = sorted_union(&named_supervisors, &resolution.scheduled_supervisors);
    if participant_ids.is_empty() && supervisor_ids.is_empty() {
        return Err(nothing_left(session_id));
    }

    let facility_id = resolution.facility_id;
    let participants = sql::lock_rows(
        conn,
        RowKind::Participant,
        RowLock::Mark,
        facility_id,
        &participant_ids,
    )
    .await?;
    let supervisors = sql::lock_rows(
        conn,
        RowKind::Supervisor,
        RowLock::Mark,
        facility_id,
        &supervisor_ids,
    )
    .await?;

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
            let from = row.status()?;
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
        let illegal: Vec<(RowKind, &str, AttendanceStatus)> = illegal
            .iter()
            .map(|(kind, row, from)| (*kind, row.key.as_str(), *from))
            .collect();
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
        if !ids.is_empty() {
            sql::set_status(conn, kind, facility_id, &ids, to).await?;
        }
    }
    Ok(changes)
}

fn sorted_union(named: &HashSet<i64>, scheduled: &[i64]) -> Vec<i64> {
    let mut ids: Vec<i64> = named.iter().chain(scheduled).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The lock first, then unknown members and providers (all of them named).
fn check_unlocked_and_known(resolution: &Resolution) -> Result<()> {
    if resolution.locked {
        return Err(locked(resolution.session_id));
    }
    let unknown_members: Vec<&str> = unknown(&resolution.members);
    let unknown_providers: Vec<&str> = unknown(&resolution.providers);
    if unknown_members.is_empty() && unknown_providers.is_empty() {
        return Ok(());
    }
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
    Err(Error::not_found(parts.join("; "))
        .with("session_id", resolution.session_id)
        .with("unknown_members", unknown_members)
        .with("unknown_providers", unknown_providers))
}

/// Every named member on the roster and every named provider a supervisor, else exit 3.
fn check_on_session(resolution: &Resolution) -> Result<()> {
    let off_roster: Vec<&Resolved> = resolution
        .members
        .iter()
        .filter(|r| r.row_id.is_none())
        .collect();
    let not_supervising: Vec<&Resolved> = resolution
        .providers
        .iter()
        .filter(|r| r.row_id.is_none())
        .collect();
    if off_roster.is_empty() && not_supervising.is_empty() {
        return Ok(());
    }
    let id = resolution.session_id;
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
    let keys = |rows: &[&Resolved]| rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>();
    Err(Error::not_found(parts.join("; "))
        .with("session_id", id)
        .with("not_on_roster", keys(&off_roster))
        .with("not_supervisors", keys(&not_supervising)))
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

/// Exit 4 naming every row (a participant's MRN, a supervisor's NPI) and its legal next states.
pub fn illegal_transitions(
    session_id: i64,
    to: AttendanceStatus,
    rows: &[(RowKind, &str, AttendanceStatus)],
) -> Error {
    let lines: Vec<String> = rows
        .iter()
        .map(|(_, key, from)| illegal_line(key, *from, to))
        .collect();
    let context: Vec<serde_json::Value> = rows
        .iter()
        .map(|(kind, key, from)| {
            let field = match kind {
                RowKind::Participant => "mrn",
                RowKind::Supervisor => "npi",
            };
            serde_json::json!({
                field: key,
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

/// A roster or supervisor change, and the session as it stands after it (the supervisors
/// are derived from the roster, so the database re-derives them on each change).
#[derive(Debug, Clone)]
pub struct RosterOutcome {
    pub session_id: i64,
    /// The MRNs (or the NPI) added or removed, in the order given.
    pub keys: Vec<String>,
    pub record: SessionRecord,
}

/// What `roster` changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterChange {
    /// Add members as SCHEDULED, in the order given; one already on the roster is refused
    /// (exit 10) and nothing is added.
    Add,
    /// Remove still-SCHEDULED rows, all or none.
    Remove,
}

/// Add or remove roster rows, never on a locked session.
pub async fn roster(
    conn: &mut PgConnection,
    session_id: i64,
    change: RosterChange,
    mrns: &[String],
) -> Result<RosterOutcome> {
    match change {
        RosterChange::Add => in_transaction(conn, session_id, dedup(mrns), roster_add_in).await,
        RosterChange::Remove => {
            in_transaction(conn, session_id, dedup(mrns), roster_remove_in).await
        }
    }
}

async fn roster_add_in(conn: &mut PgConnection, session_id: i64, mrns: &[String]) -> Result<()> {
    let resolution = resolve(conn, session_id, mrns, &[], Scheduled::default()).await?;
    check_unlocked_and_known(&resolution)?;
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
    let added = sql::insert_participants(conn, resolution.facility_id, session_id, mrns).await?;
    if added.len() != mrns.len() {
        // Someone added one of them between our check and our insert.
        return Err(already_on_roster(
            session_id,
            &["a member named was added to the roster meanwhile".to_owned()],
        ));
    }
    Ok(())
}

fn already_on_roster(session_id: i64, lines: &[String]) -> Error {
    input_error(format!("{}: nothing added", lines.join("; "))).with("session_id", session_id)
}

async fn roster_remove_in(conn: &mut PgConnection, session_id: i64, mrns: &[String]) -> Result<()> {
    let resolution = resolve(conn, session_id, mrns, &[], Scheduled::default()).await?;
    check_unlocked_and_known(&resolution)?;
    check_on_session(&resolution)?;
    let mut ids: Vec<i64> = resolution.members.iter().filter_map(|r| r.row_id).collect();
    ids.sort_unstable();
    let rows = sql::lock_rows(
        conn,
        RowKind::Participant,
        RowLock::Remove,
        resolution.facility_id,
        &ids,
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
        let status = row.status()?;
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
    sql::delete_participants(conn, resolution.facility_id, &ids).await?;
    Ok(())
}

/// Add a substitute supervisor (source MANUAL, SCHEDULED). The NPI's check digit is the
/// caller's to check (exit 10) before this.
pub async fn supervisor_add(
    conn: &mut PgConnection,
    session_id: i64,
    npi: &str,
) -> Result<RosterOutcome> {
    in_transaction(conn, session_id, vec![npi.to_owned()], supervisor_add_in).await
}

async fn supervisor_add_in(
    conn: &mut PgConnection,
    session_id: i64,
    npis: &[String],
) -> Result<()> {
    let resolution = resolve(conn, session_id, &[], npis, Scheduled::default()).await?;
    check_unlocked_and_known(&resolution)?;
    let provider = &resolution.providers[0];
    let provider_id = match (provider.row_id, provider.id) {
        (None, Some(id)) => id,
        _ => return Err(already_supervisor(session_id, provider)),
    };
    let inserted =
        sql::insert_manual_supervisor(conn, resolution.facility_id, session_id, provider_id)
            .await?;
    if inserted.is_none() {
        return Err(already_supervisor(session_id, provider));
    }
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

/// Run one roster change in its transaction (a BILLED session's charges re-synced in it),
/// and the session as it now stands.
async fn in_transaction(
    conn: &mut PgConnection,
    session_id: i64,
    keys: Vec<String>,
    body: impl AsyncFn(&mut PgConnection, i64, &[String]) -> Result<()>,
) -> Result<RosterOutcome> {
    let record = db::transaction(conn, Retry::CONFLICTS, async |tx| {
        body(tx, session_id, &keys).await?;
        reread_and_resync(tx, session_id).await
    })
    .await?;
    Ok(RosterOutcome {
        session_id,
        record,
        keys,
    })
}

/// The session as the change left it (its row is locked by the change), with its charges
/// re-synced when it is BILLED.
async fn reread_and_resync(tx: &mut PgConnection, session_id: i64) -> Result<SessionRecord> {
    let record = session::load(tx, session_id).await?;
    billing::resync(tx, std::slice::from_ref(&record)).await?;
    Ok(record)
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
