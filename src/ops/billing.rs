//! The billing pipeline: charges for sessions that have ended, claims for those that are
//! complete (or whose claim delay has passed), each claim scrubbed by the same rules the
//! preview uses; and the re-sync of a BILLED session's charges in the transaction of any
//! attendance change gsess makes to it.
//!
//! The run works through the unsettled sessions in batches, one transaction each: it takes
//! the sessions `FOR UPDATE SKIP LOCKED` (a second runner skips what the first holds, and a
//! mark waits for the batch), reads their attendance only then, prices them, syncs their
//! charges (void what no longer applies, insert what is new, keep the rest), builds one
//! original claim per charge no claim covers yet, scrubs each claim through its own read,
//! and settles what is left with nothing to do. Partial unique indexes make a second active
//! charge or live claim for a participant impossible, whatever runs at once.

use super::session;
use super::Progress;
use crate::billing::{pricing, scrubber};
use crate::db::billing::{self as sql, PricedCharge, SessionCharges, Taken};
use crate::db::{self, Retry};
use crate::error::{Error, Result};
use crate::model::SessionRecord;
use crate::rules::{AttendanceStatus, Issue};
use crate::time::facility_zone;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;

/// Sessions per batch (and per transaction).
pub const BATCH_SESSIONS: i64 = 500;

/// What `billing run` is asked to do.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub as_of: DateTime<Utc>,
    /// A session is billed once `ends_at + grace <= as_of`.
    pub grace: Duration,
    /// A session still waiting for attendance is claimed anyway once its end is this old.
    pub claim_delay: Duration,
    /// Only these sessions (settled or not); empty: every session with billing work.
    pub sessions: Vec<i64>,
    /// Do it all and roll it back.
    pub dry_run: bool,
}

/// What the run did to one session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionBilling {
    pub id: i64,
    pub charges_built: Vec<i64>,
    pub charges_voided: Vec<i64>,
    pub claims_built: Vec<i64>,
    /// Why something billable was held back, for people; empty when nothing was.
    pub held: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RunReport {
    pub as_of: DateTime<Utc>,
    pub dry_run: bool,
    /// In session id order.
    pub sessions: Vec<SessionBilling>,
    pub audit_id: Option<i64>,
}

impl RunReport {
    pub fn held(&self) -> Vec<i64> {
        self.sessions
            .iter()
            .filter(|s| !s.held.is_empty())
            .map(|s| s.id)
            .collect()
    }
}

/// Run the billing pipeline once. `stop` is asked between batches: a worker asked to stop
/// finishes the batch in hand and returns what it did.
pub async fn run(
    conn: &mut PgConnection,
    request: &RunRequest,
    progress: &dyn Progress,
    stop: &dyn Fn() -> bool,
) -> Result<RunReport> {
    if request.as_of > Utc::now() && !request.dry_run {
        return Err(Error::invalid(
            "--as-of",
            format!(
                "{} is in the future: services not yet delivered are never billed (--dry-run \
                 shows what such a run would do)",
                request.as_of.to_rfc3339()
            ),
        ));
    }
    let mut sessions = Vec::new();
    if request.sessions.is_empty() {
        let cutoff = request.as_of - request.grace;
        progress.start(0);
        let mut after = None;
        while !stop() {
            let (done, last) = batch(conn, request, async |tx| {
                sql::next_batch(tx, cutoff, after, BATCH_SESSIONS).await
            })
            .await?;
            let Some(last) = last else { break };
            after = Some(last);
            progress.advance(done.len() as u64);
            sessions.extend(done);
        }
        progress.finish();
    } else {
        let mut named = request.sessions.clone();
        named.sort_unstable();
        named.dedup();
        let found = sql::existing_sessions(conn, &named).await?;
        let missing: Vec<i64> = named
            .iter()
            .copied()
            .filter(|id| !found.contains(id))
            .collect();
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(i64::to_string).collect();
            return Err(Error::not_found(format!(
                "no session {}: nothing was billed",
                list.join(", ")
            ))
            .with("session_ids", missing));
        }
        for chunk in named.chunks(BATCH_SESSIONS as usize) {
            let (mut done, _) = batch(conn, request, async |tx| {
                sql::take_sessions(tx, chunk).await
            })
            .await?;
            let busy: Vec<i64> = chunk
                .iter()
                .copied()
                .filter(|id| !done.iter().any(|s| s.id == *id))
                .collect();
            done.extend(busy.into_iter().map(|id| SessionBilling {
                id,
                held: vec!["another billing run holds it: it bills it now".to_owned()],
                ..SessionBilling::default()
            }));
            sessions.extend(done);
        }
    }
    sessions.sort_by_key(|s| s.id);
    let mut report = RunReport {
        as_of: request.as_of,
        dry_run: request.dry_run,
        sessions,
        audit_id: None,
    };
    if !request.dry_run {
        report.audit_id = Some(sql::audit_run(conn, &summary(request, &report)).await?);
    }
    Ok(report)
}

/// One batch in its own transaction (rolled back on a dry run): the sessions `take` locks,
/// priced, synced, claimed, scrubbed and settled. Returns what was done and the last session
/// taken, for the next batch to start after.
async fn batch<F>(
    conn: &mut PgConnection,
    request: &RunRequest,
    take: F,
) -> Result<(Vec<SessionBilling>, Option<(DateTime<Utc>, i64)>)>
where
    F: AsyncFn(&mut PgConnection) -> db::DbResult<Vec<Taken>>,
{
    let body = async |tx: &mut PgConnection| {
        let taken = take(tx).await?;
        let last = taken.last().map(|t| (t.ends_at, t.id));
        let done = bill(tx, request, &taken).await?;
        super::pause_point("billing-batch-before-commit").await;
        Ok((done, last))
    };
    if request.dry_run {
        db::rehearsal(conn, Retry::CONFLICTS, body).await
    } else {
        db::transaction(conn, Retry::CONFLICTS, body).await
    }
}

/// The run's work on sessions it holds locked.
async fn bill(
    tx: &mut PgConnection,
    request: &RunRequest,
    taken: &[Taken],
) -> Result<Vec<SessionBilling>> {
    let ids: Vec<i64> = taken.iter().map(|t| t.id).collect();
    let records = db::session::load_sessions(tx, &ids).await?;
    let mut done: Vec<SessionBilling> = Vec::with_capacity(records.len());
    let mut pricing_of = Vec::new();
    let mut to_sync = Vec::new();
    let mut settled = Vec::new();
    for record in &records {
        let mut billing = SessionBilling {
            id: record.id,
            ..SessionBilling::default()
        };
        if record.locked {
            // Claimed already (a correction touched it since): nothing for the run to do.
            if !request.sessions.is_empty() {
                billing
                    .held
                    .push("locked: its claims exist (corrections go through force-update)".into());
            }
            settled.push((record.facility_id, record.id));
        } else if record.ends_at + request.grace > request.as_of {
            let tz = facility_zone(&record.timezone);
            billing.held.push(format!(
                "not ended: ends {}",
                (record.ends_at + request.grace)
                    .with_timezone(&tz)
                    .format("%Y-%m-%d %H:%M %Z")
            ));
        } else {
            let facts = session::facts(record);
            let evaluation = crate::rules::preview::evaluate_session(&facts);
            let priced = pricing::price(&facts, &evaluation);
            billing.held.extend(priced.held.iter().cloned());
            to_sync.push(session_charges(record, &priced.charges));
            pricing_of.push((record, priced));
        }
        done.push(billing);
    }

    let synced = sql::sync_charges(tx, &to_sync).await?;
    let mut by_id: HashMap<i64, &mut SessionBilling> = done.iter_mut().map(|b| (b.id, b)).collect();
    for sync in synced {
        if let Some(billing) = by_id.get_mut(&sync.session_id) {
            billing.charges_voided = sync.voided;
            billing.charges_built = sync.built;
        }
    }

    let mut claimable = Vec::new();
    for (record, priced) in &pricing_of {
        let billing = by_id
            .get_mut(&record.id)
            .expect("every record has its entry");
        if priced.charges.is_empty() {
            if priced.held.is_empty() {
                settled.push((record.facility_id, record.id));
            }
            continue;
        }
        let scheduled = record
            .roster
            .iter()
            .filter(|r| r.status == AttendanceStatus::Scheduled)
            .count();
        let due = record.ends_at + request.claim_delay;
        if scheduled == 0 || due <= request.as_of {
            claimable.push((record.facility_id, record.id));
        } else {
            let tz = facility_zone(&record.timezone);
            billing.held.push(format!(
                "waiting for attendance: {scheduled} roster row(s) still SCHEDULED; claimed \
                 anyway from {}",
                due.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z")
            ));
        }
    }

    let built = sql::build_claims(tx, &claimable).await?;
    let claim_ids: Vec<i64> = built.iter().map(|b| b.id).collect();
    rescrub(tx, &claim_ids).await?;
    for claim in &built {
        if let Some(billing) = by_id.get_mut(&claim.session_id) {
            billing.claims_built.push(claim.id);
        }
    }
    // A claimed session is locked now: settled until a correction touches it.
    settled.extend(claimable);
    sql::settle(tx, &settled).await?;
    Ok(done)
}

/// Each claim's Validation list, judged now by the scrubber on the claims' own read of their
/// facts.
pub async fn scrub(tx: &mut PgConnection, claim_ids: &[i64]) -> Result<Vec<(i64, Vec<Issue>)>> {
    Ok(sql::claim_facts(tx, claim_ids)
        .await?
        .iter()
        .flat_map(scrubber::scrub_session)
        .collect())
}

/// [`scrub`], and the lists stored on the claims (unsent ones only: the database refuses
/// the others).
pub async fn rescrub(tx: &mut PgConnection, claim_ids: &[i64]) -> Result<Vec<(i64, Vec<Issue>)>> {
    let scrubbed = scrub(tx, claim_ids).await?;
    sql::store_issues(tx, &scrubbed).await?;
    Ok(scrubbed)
}

fn session_charges(
    record: &SessionRecord,
    charges: &[crate::rules::WantedCharge],
) -> SessionCharges {
    SessionCharges {
        facility_id: record.facility_id,
        session_id: record.id,
        version: record.attendance_version,
        charges: priced_charges(charges),
    }
}

/// The charges the rules priced, as the charge sync takes them.
pub fn priced_charges(charges: &[crate::rules::WantedCharge]) -> Vec<PricedCharge> {
    charges
        .iter()
        .map(|c| PricedCharge {
            participant_id: c.row_id,
            coverage_id: c.coverage_id,
            band_id: c.band_id,
            procedure_code: c.procedure_code.clone(),
            modifiers: c.modifiers.clone(),
            units: c.units,
            rate: c.rate,
            amount: c.amount,
        })
        .collect()
}

/// Re-price, in the caller's transaction, the sessions among `records` that are BILLED
/// (priced, no claim yet), so a member's charges always follow their attendance: what no
/// longer applies is voided — including other members' whose band or rate changed with the
/// group size — what now applies is built, and an unchanged charge keeps its id.
pub async fn resync(tx: &mut PgConnection, records: &[SessionRecord]) -> Result<()> {
    let entries: Vec<SessionCharges> = records
        .iter()
        .filter(|r| r.billed && !r.locked)
        .map(|record| {
            let facts = session::facts(record);
            let evaluation = crate::rules::preview::evaluate_session(&facts);
            session_charges(record, &pricing::price(&facts, &evaluation).charges)
        })
        .collect();
    sql::sync_charges(tx, &entries).await?;
    Ok(())
}

fn summary(request: &RunRequest, report: &RunReport) -> serde_json::Value {
    let count = |f: fn(&SessionBilling) -> usize| report.sessions.iter().map(f).sum::<usize>();
    serde_json::json!({
        "as_of": request.as_of.to_rfc3339(),
        "grace_seconds": request.grace.num_seconds(),
        "claim_delay_seconds": request.claim_delay.num_seconds(),
        "sessions_named": request.sessions,
        "sessions": report.sessions.len(),
        "charges_built": count(|s| s.charges_built.len()),
        "charges_voided": count(|s| s.charges_voided.len()),
        "claims_built": count(|s| s.claims_built.len()),
        "held": report.held(),
    })
}
