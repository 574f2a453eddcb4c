//! `finalize`: mark every still-SCHEDULED roster and supervisor row ABSENT — exactly the rows
//! the plan listed and the user confirmed.
//!
//! 1. plan: one read of every candidate session with its SCHEDULED rows; each session is
//!    judged (not started, not ended in the `--date` form, locked) with the database's clock;
//! 2. show the plan (a dry run stops here), then confirm;
//! 3. apply in batches of sessions, one transaction each, updating only the listed row ids
//!    still SCHEDULED on sessions still unlocked; report what really changed.

use super::{billing, reference, Confirm, Progress};
use crate::db::errors::SESSION_LOCKED;
use crate::db::finalize::{self as sql, FinalizeScope};
use crate::db::{self, Retry};
use crate::error::{Error, Result};
use crate::model::Candidate;
use crate::time::facility_zone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};

/// Sessions per apply statement (and per transaction): large enough that 10,000 sessions
/// take 20 round trips, small enough that one transaction never holds a whole day's
/// session-row locks (the attendance trigger locks each touched session row).
pub const BATCH_SESSIONS: usize = 500;

/// Recorded as the reason of every audit entry the apply writes.
pub const AUDIT_REASON: &str = "gsess finalize";

/// Which sessions to finalize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinalizeRequest {
    /// Named sessions, by id.
    Sessions(Vec<i64>),
    /// Every session of this day (each on its facility's calendar) that has ended, of one
    /// facility (a code, `all`, or `None` for the login's home facility) and optionally one
    /// group type.
    Day {
        date: NaiveDate,
        facility: Option<String>,
        group_type: Option<String>,
    },
}

/// `finalized` (its SCHEDULED rows are ABSENT now — possibly none were left) or `skipped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Finalized,
    Skipped,
}

/// Why a session was left alone; stable strings for scripts (`reason` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SkipReason {
    /// A claim exists: attendance is corrected with `force-update` only.
    #[serde(rename = "locked")]
    Locked,
    /// `starts_at` is still in the future.
    #[serde(rename = "not started")]
    NotStarted,
    /// `--date` form only: `ends_at` is still in the future (the session may be running).
    #[serde(rename = "not ended")]
    NotEnded,
    /// The session disappeared between the plan and the apply.
    #[serde(rename = "not found")]
    NotFound,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Locked => "locked",
            SkipReason::NotStarted => "not started",
            SkipReason::NotEnded => "not ended",
            SkipReason::NotFound => "not found",
        }
    }
}

/// The plan's verdict on one session: skipped for a reason, or finalized (its SCHEDULED rows,
/// possibly none, become ABSENT).
///
/// The order matters: a session that has not started (or, by date, not ended) is never
/// finalized; a session with nothing left SCHEDULED needs no change, so it is `finalized`
/// with an empty list even when locked (a cron rerun, or a claimed session that was complete,
/// must not raise a `--strict` alarm); a locked session with SCHEDULED rows is skipped.
pub fn judge(row: &Candidate, date_form: bool) -> Option<SkipReason> {
    if !row.started {
        Some(SkipReason::NotStarted)
    } else if date_form && !row.ended {
        Some(SkipReason::NotEnded)
    } else if row.scheduled_count() == 0 {
        None
    } else if row.locked {
        Some(SkipReason::Locked)
    } else {
        None
    }
}

/// What finalize will do, shown before it is confirmed.
#[derive(Debug, Clone)]
pub struct FinalizePlan {
    pub dry_run: bool,
    pub sessions: Vec<Planned>,
    /// Messages for people (a login without a home facility).
    pub notes: Vec<String>,
}

impl FinalizePlan {
    /// Rows the apply will mark ABSENT, and in how many sessions.
    pub fn to_mark(&self) -> (usize, usize) {
        let applying = self.sessions.iter().filter(|p| p.to_apply());
        let rows = applying
            .clone()
            .map(|p| p.candidate.scheduled_count())
            .sum();
        (rows, applying.count())
    }

    pub fn skipped(&self) -> usize {
        self.sessions.iter().filter(|p| p.skip.is_some()).count()
    }
}

/// A session of the plan and, after the apply, what really happened to it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub candidate: Candidate,
    pub skip: Option<SkipReason>,
    applied: Option<Applied>,
}

#[derive(Debug, Clone, Default)]
struct Applied {
    locked: bool,
    missing: bool,
    roster: HashSet<i64>,
    supervisors: HashSet<i64>,
}

/// What finalize did to one session (with a dry run: would do), in the words of its answer.
#[derive(Debug, Clone, Serialize)]
pub struct Settled {
    /// `None` when finalized.
    pub reason: Option<SkipReason>,
    /// For people: the time that made it skip, the lock, "nothing was SCHEDULED".
    pub detail: Option<String>,
    /// MRNs of the roster rows marked ABSENT.
    pub mrns: Vec<String>,
    /// NPIs of the supervisor rows marked ABSENT.
    pub npis: Vec<String>,
    /// Listed in the plan but marked by someone else before the apply: left as they were.
    pub left_alone: Vec<String>,
}

impl Settled {
    pub fn verdict(&self) -> Verdict {
        match self.reason {
            Some(_) => Verdict::Skipped,
            None => Verdict::Finalized,
        }
    }
}

/// Every session finalize looked at, in id order, with what happened to it.
#[derive(Debug, Clone)]
pub struct FinalizeReport {
    pub dry_run: bool,
    pub sessions: Vec<(Candidate, Settled)>,
}

impl FinalizeReport {
    pub fn skipped(&self) -> Vec<i64> {
        self.sessions
            .iter()
            .filter(|(_, settled)| settled.verdict() == Verdict::Skipped)
            .map(|(candidate, _)| candidate.id)
            .collect()
    }
}

impl Planned {
    /// Whether the apply has anything to do for it.
    pub fn to_apply(&self) -> bool {
        self.skip.is_none() && self.candidate.scheduled_count() > 0
    }

    fn settled(&self) -> Settled {
        let row = &self.candidate;
        let mut mrns = Vec::new();
        let mut npis = Vec::new();
        let mut left_alone = Vec::new();
        let (reason, detail) = match (&self.skip, &self.applied) {
            (Some(reason), _) => (Some(*reason), Some(self.skip_detail(*reason, false))),
            (None, Some(applied)) if applied.missing => (
                Some(SkipReason::NotFound),
                Some(self.skip_detail(SkipReason::NotFound, true)),
            ),
            (None, Some(applied)) if applied.locked => (
                Some(SkipReason::Locked),
                Some(self.skip_detail(SkipReason::Locked, true)),
            ),
            (None, applied) => {
                // Dry run (applied is None): everything listed would be marked.
                for (id, mrn) in row.roster_ids.iter().zip(&row.roster_mrns) {
                    match applied {
                        Some(a) if !a.roster.contains(id) => left_alone.push(mrn.clone()),
                        _ => mrns.push(mrn.clone()),
                    }
                }
                for (id, npi) in row.supervisor_ids.iter().zip(&row.supervisor_npis) {
                    match applied {
                        Some(a) if !a.supervisors.contains(id) => left_alone.push(npi.clone()),
                        _ => npis.push(npi.clone()),
                    }
                }
                let detail = if row.scheduled_count() == 0 {
                    Some("nothing was SCHEDULED".to_owned())
                } else if !left_alone.is_empty() {
                    Some(format!(
                        "{} row(s) marked by someone else meanwhile were left alone",
                        left_alone.len()
                    ))
                } else {
                    None
                };
                (None, detail)
            }
        };
        Settled {
            reason,
            detail,
            mrns,
            npis,
            left_alone,
        }
    }

    /// Why it is skipped, for people; `at_apply` when the apply found it so.
    pub fn skip_detail(&self, reason: SkipReason, at_apply: bool) -> String {
        let tz = facility_zone(&self.candidate.timezone);
        let at = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string();
        match reason {
            SkipReason::Locked if at_apply => {
                "a claim was built after the plan was listed: correct it with gsess force-update"
                    .to_owned()
            }
            SkipReason::Locked => {
                "a claim exists for the session: correct it with gsess force-update".to_owned()
            }
            SkipReason::NotStarted => format!("starts {}", at(self.candidate.starts_at)),
            SkipReason::NotEnded => format!("still running: ends {}", at(self.candidate.ends_at)),
            SkipReason::NotFound => "the session no longer exists".to_owned(),
        }
    }
}

/// Plan, show, confirm, apply. Named sessions that do not exist stop it before anything
/// changes (exit 3).
pub async fn finalize(
    conn: &mut PgConnection,
    request: &FinalizeRequest,
    dry_run: bool,
    confirm: &mut dyn Confirm<FinalizePlan>,
    progress: &dyn Progress,
) -> Result<FinalizeReport> {
    let mut plan = plan(conn, request, dry_run).await?;
    confirm.show(&plan)?;
    let (rows, sessions) = plan.to_mark();
    if !dry_run && rows > 0 {
        confirm.confirm(&format!("Mark {rows} rows ABSENT in {sessions} sessions?"))?;
        apply(conn, &mut plan, progress).await?;
    }
    Ok(FinalizeReport {
        dry_run,
        sessions: plan
            .sessions
            .into_iter()
            .map(|planned| {
                let settled = planned.settled();
                (planned.candidate, settled)
            })
            .collect(),
    })
}

/// The plan, in one read.
pub async fn plan(
    conn: &mut PgConnection,
    request: &FinalizeRequest,
    dry_run: bool,
) -> Result<FinalizePlan> {
    let (scope, notes) = scope(conn, request).await?;
    let date_form = matches!(scope, FinalizeScope::Day { .. });
    let rows = sql::plan(conn, &scope).await?;
    if let FinalizeScope::Sessions(ids) = &scope {
        let found: HashSet<i64> = rows.iter().map(|r| r.id).collect();
        let missing: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !found.contains(id))
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let noun = if missing.len() == 1 {
                "session"
            } else {
                "sessions"
            };
            return Err(
                Error::not_found(format!("no {noun} {list}: nothing was finalized"))
                    .with("session_ids", missing),
            );
        }
    }
    Ok(FinalizePlan {
        dry_run,
        sessions: rows
            .into_iter()
            .map(|candidate| Planned {
                skip: judge(&candidate, date_form),
                candidate,
                applied: None,
            })
            .collect(),
        notes,
    })
}

/// The sessions asked for: named (deduplicated), or a day with the facility (default: the
/// login's home facility) and an optional group type (unknown code: exit 3).
async fn scope(
    conn: &mut PgConnection,
    request: &FinalizeRequest,
) -> Result<(FinalizeScope, Vec<String>)> {
    match request {
        FinalizeRequest::Sessions(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            Ok((FinalizeScope::Sessions(ids), Vec::new()))
        }
        FinalizeRequest::Day {
            date,
            facility,
            group_type,
        } => {
            let (facility, note) = reference::facility(conn, facility.as_deref()).await?;
            let group_type_id = match group_type {
                None => None,
                Some(code) => Some(reference::group_type_id(conn, code).await?),
            };
            let scope = FinalizeScope::Day {
                date: *date,
                facility_id: facility.id(),
                group_type_id,
            };
            Ok((scope, note.into_iter().collect()))
        }
    }
}

/// Batches of `BATCH_SESSIONS` sessions, one transaction and one UPDATE statement each.
pub async fn apply(
    conn: &mut PgConnection,
    plan: &mut FinalizePlan,
    progress: &dyn Progress,
) -> Result<()> {
    let planned = &mut plan.sessions;
    let mut indices: Vec<usize> = (0..planned.len())
        .filter(|&i| planned[i].to_apply())
        .collect();
    indices.sort_by_key(|&i| planned[i].candidate.id);
    let total = indices.len();
    progress.start(total as u64);
    let mut done = 0usize;
    for chunk in indices.chunks(BATCH_SESSIONS) {
        let sessions: Vec<i64> = chunk.iter().map(|&i| planned[i].candidate.id).collect();
        let roster: Vec<i64> = chunk
            .iter()
            .flat_map(|&i| planned[i].candidate.roster_ids.iter().copied())
            .collect();
        let supervisors: Vec<i64> = chunk
            .iter()
            .flat_map(|&i| planned[i].candidate.supervisor_ids.iter().copied())
            .collect();
        let outcome = apply_batch(conn, &sessions, &roster, &supervisors)
            .await
            .map_err(|mut err| {
                progress.abandon();
                if done > 0 {
                    err.message.push_str(&format!(
                        " ({done} of {total} sessions were finalized before this; \
                         run it again to finish: only rows still SCHEDULED are touched)"
                    ));
                }
                err
            })?;
        let mut by_session: HashMap<i64, Applied> = HashMap::with_capacity(chunk.len());
        for (session, row) in outcome.roster {
            by_session.entry(session).or_default().roster.insert(row);
        }
        for (session, row) in outcome.supervisors {
            by_session
                .entry(session)
                .or_default()
                .supervisors
                .insert(row);
        }
        for &i in chunk {
            let id = planned[i].candidate.id;
            let mut applied = by_session.remove(&id).unwrap_or_default();
            applied.locked = outcome.locked.binary_search(&id).is_ok();
            applied.missing = outcome.missing.contains(&id);
            planned[i].applied = Some(applied);
        }
        done += chunk.len();
        progress.advance(chunk.len() as u64);
    }
    progress.finish();
    Ok(())
}

/// One batch in its own transaction: mark the listed rows of these sessions ABSENT. A claim
/// committed between the statement's snapshot and the trigger's lock (GS423) or a conflict
/// with a concurrent writer runs the batch again, seeing the newer state.
pub async fn apply_batch(
    conn: &mut PgConnection,
    sessions: &[i64],
    roster_ids: &[i64],
    supervisor_ids: &[i64],
) -> Result<sql::BatchOutcome> {
    const RETRY: Retry = Retry::conflicts_and(&[SESSION_LOCKED]);
    db::transaction(conn, RETRY, async |tx| {
        db::set_audit_reason(tx, AUDIT_REASON).await?;
        let outcome = sql::apply_batch(tx, sessions, roster_ids, supervisor_ids).await?;
        // BILLED sessions whose rows changed are re-priced in the same transaction.
        let mut changed: Vec<i64> = outcome.roster.iter().map(|(session, _)| *session).collect();
        changed.retain(|id| outcome.billed.binary_search(id).is_ok());
        changed.dedup();
        if !changed.is_empty() {
            let records = db::session::load_sessions(tx, &changed).await?;
            billing::resync(tx, &records).await?;
        }
        super::pause_point("finalize-batch-before-commit").await;
        Ok(outcome)
    })
    .await
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A North Clinic session on 2026-11-27, 14:00–15:30 Pacific, with `scheduled` roster rows.
    pub(crate) fn row(started: bool, ended: bool, locked: bool, scheduled: usize) -> Candidate {
        Candidate {
            id: 1,
            facility_id: 1,
            facility: "NORTH".into(),
            timezone: "America/Los_Angeles".into(),
            group_type: "DBT".into(),
            local_date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            starts_at: Utc.with_ymd_and_hms(2026, 11, 27, 22, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 11, 27, 23, 30, 0).unwrap(),
            started,
            ended,
            locked,
            roster_ids: (1..=scheduled as i64).collect(),
            roster_mrns: (1..=scheduled).map(|i| format!("M{i:03}")).collect(),
            supervisor_ids: vec![],
            supervisor_npis: vec![],
        }
    }

    #[test]
    fn sessions_not_started_are_skipped_in_both_forms() {
        assert_eq!(
            judge(&row(false, false, false, 2), false),
            Some(SkipReason::NotStarted)
        );
        assert_eq!(
            judge(&row(false, false, false, 2), true),
            Some(SkipReason::NotStarted)
        );
    }

    #[test]
    fn running_sessions_are_skipped_only_by_date() {
        assert_eq!(judge(&row(true, false, false, 2), false), None);
        assert_eq!(
            judge(&row(true, false, false, 2), true),
            Some(SkipReason::NotEnded)
        );
    }

    #[test]
    fn locked_sessions_are_skipped_unless_nothing_is_left_to_mark() {
        assert_eq!(
            judge(&row(true, true, true, 2), true),
            Some(SkipReason::Locked)
        );
        assert_eq!(judge(&row(true, true, true, 0), true), None);
        assert_eq!(judge(&row(true, true, false, 0), true), None);
        assert_eq!(judge(&row(true, true, false, 3), true), None);
    }

    #[test]
    fn rows_marked_meanwhile_are_reported_as_left_alone() {
        let mut plan = row(true, true, false, 3);
        plan.supervisor_ids = vec![9];
        plan.supervisor_npis = vec!["1245319599".into()];
        let planned = Planned {
            skip: None,
            applied: Some(Applied {
                roster: [1, 3].into_iter().collect(),
                supervisors: [9].into_iter().collect(),
                ..Applied::default()
            }),
            candidate: plan,
        };
        let result = planned.settled();
        assert_eq!(result.verdict(), Verdict::Finalized);
        assert_eq!(result.mrns, ["M001", "M003"]);
        assert_eq!(result.npis, ["1245319599"]);
        assert_eq!(result.left_alone, ["M002"]);
    }

    #[test]
    fn a_session_claimed_between_plan_and_apply_is_skipped_as_locked() {
        let planned = Planned {
            skip: None,
            applied: Some(Applied {
                locked: true,
                ..Applied::default()
            }),
            candidate: row(true, true, false, 2),
        };
        let result = planned.settled();
        assert_eq!(result.verdict(), Verdict::Skipped);
        assert_eq!(result.reason, Some(SkipReason::Locked));
        assert!(result.mrns.is_empty() && result.npis.is_empty());
    }

    #[test]
    fn reasons_serialize_as_stable_phrases() {
        let json = serde_json::to_value([
            SkipReason::Locked,
            SkipReason::NotStarted,
            SkipReason::NotEnded,
        ])
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!(["locked", "not started", "not ended"])
        );
    }
}
