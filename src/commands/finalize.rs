//! `gsess finalize SESSION... | --date D [--facility CODE|all] [--group-type CODE] [--dry-run]
//! [--strict]`: mark every still-SCHEDULED roster and supervisor row ABSENT — exactly the rows
//! it listed (DESIGN-NOTES "Confirm, then apply what was confirmed").
//!
//! 1. plan: one read of every candidate session with its SCHEDULED rows; each session is
//!    judged (not started, not ended in the `--date` form, locked) with the database's clock;
//! 2. show the plan on stderr (`--dry-run` stops here);
//! 3. confirm (`--yes` without a terminal, else exit 7 and nothing changes);
//! 4. apply in batches of sessions, one transaction each, updating only the listed row ids
//!    still SCHEDULED on sessions still unlocked; report what really changed.

use crate::app::App;
use crate::cli::FinalizeArgs;
use crate::db::facilities;
use crate::db::finalize::{self as sql, PlanRow, Selection, BATCH_SESSIONS};
use crate::db::list::group_type_id;
use crate::db::Scope;
use crate::error::{Error, ExitKind, Result};
use crate::output::session::{local_time, time_window};
use crate::output::{Human, Output, View};
use crate::time::facility_zone;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use comfy_table::{Cell, Color};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io;

/// `finalized` (its SCHEDULED rows are ABSENT now — possibly none were left) or `skipped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
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
pub fn judge(row: &PlanRow, date_form: bool) -> Option<SkipReason> {
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

/// One session of the answer (SPEC §6.2 `finalize`, with context fields added).
#[derive(Debug, Clone, Serialize)]
pub struct SessionOutcome {
    pub id: i64,
    pub facility: String,
    pub group_type: String,
    pub date: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub outcome: Outcome,
    /// `null` when finalized.
    pub reason: Option<SkipReason>,
    /// For people: the time that made it skip, the lock, "nothing was SCHEDULED".
    pub detail: Option<String>,
    /// MRNs then NPIs of the rows marked ABSENT (with `--dry-run`: that would be).
    pub marked_absent: Vec<String>,
    /// The roster part of `marked_absent` (MRNs).
    pub mrns: Vec<String>,
    /// The supervisor part of `marked_absent` (NPIs).
    pub npis: Vec<String>,
    /// Listed in the plan but marked by someone else before the apply: left as they were.
    pub left_alone: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FinalizeView {
    pub dry_run: bool,
    pub sessions: Vec<SessionOutcome>,
    pub finalized_count: usize,
    pub skipped_count: usize,
    /// Rows marked ABSENT (with `--dry-run`: that would be).
    pub marked_absent_count: usize,
}

impl FinalizeView {
    fn new(dry_run: bool, sessions: Vec<SessionOutcome>) -> FinalizeView {
        let skipped_count = sessions
            .iter()
            .filter(|s| s.outcome == Outcome::Skipped)
            .count();
        FinalizeView {
            dry_run,
            finalized_count: sessions.len() - skipped_count,
            skipped_count,
            marked_absent_count: sessions.iter().map(|s| s.marked_absent.len()).sum(),
            sessions,
        }
    }
}

impl View for FinalizeView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.sessions.is_empty() {
            return out.line("No sessions to finalize.");
        }
        let rows = self
            .sessions
            .iter()
            .map(|s| {
                let outcome = match s.outcome {
                    Outcome::Finalized => out.colored("finalized", Color::Green),
                    Outcome::Skipped => out.colored("skipped", Color::Yellow),
                };
                let reason = match (s.reason, &s.detail) {
                    (Some(reason), Some(detail)) => format!("{}: {detail}", reason.as_str()),
                    (Some(reason), None) => reason.as_str().to_owned(),
                    (None, Some(detail)) => detail.clone(),
                    (None, None) => String::new(),
                };
                vec![
                    Cell::new(s.id),
                    Cell::new(&s.facility),
                    Cell::new(s.date),
                    Cell::new(time_window(&s.starts_at, &s.ends_at)),
                    outcome,
                    Cell::new(reason),
                    Cell::new(s.marked_absent.len()),
                ]
            })
            .collect();
        out.table(
            &[
                "SESSION",
                "FACILITY",
                "DATE",
                "TIME",
                "OUTCOME",
                "REASON",
                "MARKED ABSENT",
            ],
            rows,
        )?;
        let verb = if self.dry_run {
            "Dry run: would mark"
        } else {
            "Marked"
        };
        out.line(format!(
            "{verb} {} row(s) ABSENT in {} session(s); {} skipped.{}",
            self.marked_absent_count,
            self.finalized_count,
            self.skipped_count,
            if self.dry_run {
                " Nothing changed."
            } else {
                ""
            }
        ))
    }
}

/// A session of the plan and, after the apply, what really happened to it.
struct Planned {
    row: PlanRow,
    skip: Option<SkipReason>,
    applied: Option<Applied>,
}

#[derive(Default)]
struct Applied {
    locked: bool,
    missing: bool,
    roster: HashSet<i64>,
    supervisors: HashSet<i64>,
}

impl Planned {
    /// Whether the apply has anything to do for it.
    fn to_apply(&self) -> bool {
        self.skip.is_none() && self.row.scheduled_count() > 0
    }

    fn tz(&self) -> Tz {
        facility_zone(&self.row.timezone)
    }

    fn outcome(&self) -> SessionOutcome {
        let tz = self.tz();
        let row = &self.row;
        let mut mrns = Vec::new();
        let mut npis = Vec::new();
        let mut left_alone = Vec::new();
        let (skip, detail) = match (&self.skip, &self.applied) {
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
        SessionOutcome {
            id: row.id,
            facility: row.facility.clone(),
            group_type: row.group_type.clone(),
            date: row.local_date,
            starts_at: local_time(row.starts_at, tz),
            ends_at: local_time(row.ends_at, tz),
            outcome: if skip.is_some() {
                Outcome::Skipped
            } else {
                Outcome::Finalized
            },
            reason: skip,
            detail,
            marked_absent: mrns.iter().chain(&npis).cloned().collect(),
            mrns,
            npis,
            left_alone,
        }
    }

    fn skip_detail(&self, reason: SkipReason, at_apply: bool) -> String {
        let at = |t: DateTime<Utc>| {
            t.with_timezone(&self.tz())
                .format("%Y-%m-%d %H:%M %Z")
                .to_string()
        };
        match reason {
            SkipReason::Locked if at_apply => {
                "a claim was built after the plan was listed: correct it with gsess force-update"
                    .to_owned()
            }
            SkipReason::Locked => {
                "a claim exists for the session: correct it with gsess force-update".to_owned()
            }
            SkipReason::NotStarted => format!("starts {}", at(self.row.starts_at)),
            SkipReason::NotEnded => format!("still running: ends {}", at(self.row.ends_at)),
            SkipReason::NotFound => "the session no longer exists".to_owned(),
        }
    }
}

pub async fn run(app: &mut App, args: &FinalizeArgs) -> Result<()> {
    let pool = app.pool_with_scope(Scope::AttendanceWrite).await?;
    let view = finalize(app, &pool, args).await?;
    app.out.emit(&view)?;
    if args.strict && view.skipped_count > 0 {
        let skipped: Vec<i64> = view
            .sessions
            .iter()
            .filter(|s| s.outcome == Outcome::Skipped)
            .map(|s| s.id)
            .collect();
        return Err(Error::new(
            ExitKind::BlockingIssues,
            format!(
                "{} session(s) skipped (--strict): {}",
                skipped.len(),
                skipped
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .with("skipped_session_ids", skipped));
    }
    Ok(())
}

/// Plan, show, confirm, apply (the demo finalizes through here too).
pub async fn finalize(app: &App, pool: &PgPool, args: &FinalizeArgs) -> Result<FinalizeView> {
    let selection = selection(app, pool, args).await?;
    let date_form = matches!(selection, Selection::Day { .. });

    // 1. The plan, in one read.
    let rows = sql::plan(pool, &selection).await?;
    if let Selection::Sessions(ids) = &selection {
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
    let mut planned: Vec<Planned> = rows
        .into_iter()
        .map(|row| Planned {
            skip: judge(&row, date_form),
            row,
            applied: None,
        })
        .collect();

    // 2. Show it.
    let rows_to_mark: usize = planned
        .iter()
        .filter(|p| p.to_apply())
        .map(|p| p.row.scheduled_count())
        .sum();
    let sessions_to_mark = planned.iter().filter(|p| p.to_apply()).count();
    app.out.note(plan_text(&planned, args.dry_run));

    if !args.dry_run && rows_to_mark > 0 {
        // 3. Confirm what was shown…
        app.confirm(&format!(
            "Mark {rows_to_mark} rows ABSENT in {sessions_to_mark} sessions?"
        ))?;
        // 4. …and apply exactly that.
        apply(app, pool, &mut planned, sessions_to_mark).await?;
    }

    Ok(FinalizeView::new(
        args.dry_run,
        planned.iter().map(Planned::outcome).collect(),
    ))
}

/// The sessions asked for: named (deduplicated), or a day with the facility (default: the
/// login's home facility) and an optional group type (unknown code: exit 3).
async fn selection(app: &App, pool: &sqlx::PgPool, args: &FinalizeArgs) -> Result<Selection> {
    let Some(date) = args.date else {
        let mut ids = args.sessions.clone();
        ids.sort_unstable();
        ids.dedup();
        return Ok(Selection::Sessions(ids));
    };
    let facility = facilities::resolve(pool, args.facility.as_deref(), &app.out).await?;
    let group_type_id = match &args.group_type {
        None => None,
        Some(code) => Some(group_type_id(pool, code).await?),
    };
    Ok(Selection::Day {
        date: date.resolve(),
        facility_id: facility.id(),
        group_type_id,
    })
}

/// The plan for people, on stderr: per session the rows that will become ABSENT, or why it
/// is skipped.
fn plan_text(planned: &[Planned], dry_run: bool) -> String {
    let mut text = String::new();
    let heading = if dry_run {
        "Finalize (dry run: nothing will change)"
    } else {
        "Finalize"
    };
    let _ = writeln!(text, "{heading}: {} session(s)", planned.len());
    for p in planned {
        let row = &p.row;
        let tz = p.tz();
        let _ = write!(
            text,
            "  session {} ({} {} {} {}): ",
            row.id,
            row.facility,
            row.group_type,
            row.local_date,
            time_window(&local_time(row.starts_at, tz), &local_time(row.ends_at, tz))
        );
        match p.skip {
            Some(reason) => {
                let _ = writeln!(
                    text,
                    "skip — {}: {}",
                    reason.as_str(),
                    p.skip_detail(reason, false)
                );
            }
            None if row.scheduled_count() == 0 => {
                let _ = writeln!(text, "nothing SCHEDULED");
            }
            None => {
                let mut parts = Vec::new();
                if !row.roster_mrns.is_empty() {
                    parts.push(row.roster_mrns.join(", "));
                }
                if !row.supervisor_npis.is_empty() {
                    parts.push(format!("supervisor(s) {}", row.supervisor_npis.join(", ")));
                }
                let _ = writeln!(text, "ABSENT ← {}", parts.join("; "));
            }
        }
    }
    let rows: usize = planned
        .iter()
        .filter(|p| p.to_apply())
        .map(|p| p.row.scheduled_count())
        .sum();
    let sessions = planned.iter().filter(|p| p.to_apply()).count();
    let skipped = planned.iter().filter(|p| p.skip.is_some()).count();
    let _ = write!(
        text,
        "{rows} row(s) to mark ABSENT in {sessions} session(s); {skipped} skipped"
    );
    text
}

/// Batches of `BATCH_SESSIONS` sessions, one transaction and one UPDATE statement each.
async fn apply(
    app: &App,
    pool: &sqlx::PgPool,
    planned: &mut [Planned],
    sessions_to_mark: usize,
) -> Result<()> {
    let bar = progress(&app.out, sessions_to_mark as u64);
    let mut indices: Vec<usize> = (0..planned.len())
        .filter(|&i| planned[i].to_apply())
        .collect();
    indices.sort_by_key(|&i| planned[i].row.id);
    let mut done = 0usize;
    for chunk in indices.chunks(BATCH_SESSIONS) {
        let sessions: Vec<i64> = chunk.iter().map(|&i| planned[i].row.id).collect();
        let roster: Vec<i64> = chunk
            .iter()
            .flat_map(|&i| planned[i].row.roster_ids.iter().copied())
            .collect();
        let supervisors: Vec<i64> = chunk
            .iter()
            .flat_map(|&i| planned[i].row.supervisor_ids.iter().copied())
            .collect();
        let outcome = sql::apply_batch(pool, &sessions, &roster, &supervisors)
            .await
            .map_err(|mut err| {
                bar.abandon();
                if done > 0 {
                    err.message.push_str(&format!(
                        " ({done} of {sessions_to_mark} sessions were finalized before this; \
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
            let id = planned[i].row.id;
            let mut applied = by_session.remove(&id).unwrap_or_default();
            applied.locked = outcome.locked.binary_search(&id).is_ok();
            applied.missing = outcome.missing.contains(&id);
            planned[i].applied = Some(applied);
        }
        done += chunk.len();
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(())
}

/// A progress bar on stderr, only for people at a terminal (SPEC §6: none when stdout is not
/// a terminal; none in a pipe, with `--json` or `--quiet`).
fn progress(out: &Output, sessions: u64) -> ProgressBar {
    if !(out.stderr_terminal && out.stdout_terminal) || out.json || out.quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(sessions), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} sessions  {elapsed}") {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn row(started: bool, ended: bool, locked: bool, scheduled: usize) -> PlanRow {
        PlanRow {
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
            row: plan,
        };
        let outcome = planned.outcome();
        assert_eq!(outcome.outcome, Outcome::Finalized);
        assert_eq!(outcome.marked_absent, ["M001", "M003", "1245319599"]);
        assert_eq!(outcome.left_alone, ["M002"]);
        assert_eq!(outcome.starts_at, "2026-11-27T14:00:00-08:00");
    }

    #[test]
    fn a_session_claimed_between_plan_and_apply_is_skipped_as_locked() {
        let planned = Planned {
            skip: None,
            applied: Some(Applied {
                locked: true,
                ..Applied::default()
            }),
            row: row(true, true, false, 2),
        };
        let outcome = planned.outcome();
        assert_eq!(outcome.outcome, Outcome::Skipped);
        assert_eq!(outcome.reason, Some(SkipReason::Locked));
        assert!(outcome.marked_absent.is_empty());
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
