//! The forced correction of a locked session (`force-update`): the attendance change, its
//! charges re-priced, its claims rebuilt — an unsubmitted claim in place, a submitted one by a
//! replacement (7) or a void (8), a newly billable member by a new original (1) — the
//! session's unsubmitted claims re-scrubbed, and one forced audit entry, all in one
//! transaction.
//!
//! The consequence is shown before anything is applied by doing the whole correction in a
//! transaction that is rolled back: what is shown is exactly what the database would do, not a
//! second implementation's guess. After the confirmation the correction is done again (the
//! database function holds the session's row from its first statement to the commit) and
//! committed only if it came out the same; a concurrent change in
//! between (someone else's correction, an acceptance) aborts it with nothing applied.

use super::session;
use super::{attendance, billing, Confirm};
use crate::billing::pricing;
use crate::db::corrections::{self as sql, ForceCall};
use crate::db::{self, Retry};
use crate::error::{Error, ExitKind, Result};
use crate::model::{Change, ClaimAction, ClaimRecord, Encounter, RowKind, SessionRecord};
use crate::rules::limits::check_reason_length;
use crate::rules::AttendanceStatus;
use sqlx::PgConnection;

/// What `force-update` is asked to do.
#[derive(Debug, Clone)]
pub struct ForceRequest {
    pub session_id: i64,
    pub to: AttendanceStatus,
    pub mrns: Vec<String>,
    pub npis: Vec<String>,
    pub reason: String,
    pub dry_run: bool,
}

/// One member's claim after the correction.
#[derive(Debug, Clone)]
pub struct ClaimOutcome {
    pub action: ClaimAction,
    pub id: i64,
    pub mrn: String,
    pub frequency_code: String,
    /// The claim as it now stands, scrubbed; none for a withdrawn claim.
    pub claim: Option<ClaimRecord>,
}

/// The consequence of a correction: planned (rolled back) or applied.
#[derive(Debug, Clone)]
pub struct Correction {
    pub session_id: i64,
    pub dry_run: bool,
    pub applied: bool,
    pub changes: Vec<Change>,
    pub charges_voided: Vec<Encounter>,
    pub charges_built: Vec<Encounter>,
    pub claims: Vec<ClaimOutcome>,
    /// The session's other unsent claims, scrubbed again on the corrected attendance (a
    /// supervisor marked absent can block them), with their Validation lists.
    pub rescrubbed: Vec<(i64, Vec<crate::rules::Issue>)>,
    /// The forced audit entry (once applied).
    pub audit_id: Option<i64>,
}

impl Correction {
    /// What the correction does, without the ids only a committed correction keeps (new
    /// charges and claims draw theirs from sequences): two runs that do the same thing agree.
    fn fingerprint(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .changes
            .iter()
            .map(|c| format!("row {:?} {} {} -> {}", c.kind, c.row_id, c.from, c.to))
            .collect();
        lines.extend(
            self.charges_voided
                .iter()
                .map(|c| format!("void charge {}", c.charge_id)),
        );
        lines.extend(self.charges_built.iter().map(|c| {
            format!(
                "build {} {} {:?} {} × {} = {}",
                c.mrn, c.procedure_code, c.modifiers, c.units, c.rate, c.amount
            )
        }));
        for outcome in &self.claims {
            let id = if outcome.action.is_new() {
                "new".to_owned()
            } else {
                outcome.id.to_string()
            };
            let mut line = format!(
                "claim {id} {} {} {}",
                outcome.action.as_str(),
                outcome.mrn,
                outcome.frequency_code
            );
            if let Some(claim) = &outcome.claim {
                line.push_str(&format!(
                    " {} replaces {:?}",
                    claim.amount, claim.replaces_claim_id
                ));
                for issue in &claim.issues {
                    line.push_str(&format!(
                        " [{} {:?} {:?} accepted={}]",
                        issue.code, issue.payer, issue.mrn, issue.accepted
                    ));
                }
            }
            lines.push(line);
        }
        for (id, issues) in &self.rescrubbed {
            let codes: Vec<String> = issues
                .iter()
                .map(|i| {
                    format!(
                        "{} {:?} {:?} accepted={}",
                        i.code, i.payer, i.mrn, i.accepted
                    )
                })
                .collect();
            lines.push(format!("rescrubbed {id} [{}]", codes.join(", ")));
        }
        lines
    }
}

/// Show the consequence, confirm, then apply it — or, on a dry run, only show it.
pub async fn force_update(
    conn: &mut PgConnection,
    request: &ForceRequest,
    confirm: &mut dyn Confirm<Correction>,
) -> Result<Correction> {
    if request.reason.trim().is_empty() {
        return Err(Error::invalid(
            "--reason",
            "a forced correction needs a reason (it is kept in the audit log)",
        ));
    }
    check_reason_length(request.reason.trim()).map_err(|why| Error::invalid("--reason", why))?;
    let mut planned = db::rehearsal(conn, Retry::CONFLICTS, async |tx| {
        correct(tx, request).await
    })
    .await?;
    planned.audit_id = None; // rolled back with the rest

    confirm.show(&planned)?;
    if request.dry_run {
        return Ok(planned);
    }
    confirm.confirm(&format!(
        "Apply this forced correction to session {}?",
        request.session_id
    ))?;
    let mut applied = db::transaction(conn, Retry::CONFLICTS, async |tx| {
        let now = correct(tx, request).await?;
        if now.fingerprint() != planned.fingerprint() {
            return Err(changed_meanwhile(request.session_id));
        }
        super::pause_point("force-update-before-commit").await;
        Ok(now)
    })
    .await?;
    applied.applied = true;
    Ok(applied)
}

fn changed_meanwhile(session_id: i64) -> Error {
    Error::new(
        ExitKind::IllegalTransition,
        format!(
            "session {session_id} changed while the correction was being confirmed, so its \
             consequence is no longer what was shown: nothing was applied (run force-update \
             again to see the new consequence)"
        ),
    )
    .with("session_id", session_id)
}

/// The correction, in the caller's transaction.
async fn correct(tx: &mut PgConnection, request: &ForceRequest) -> Result<Correction> {
    let id = request.session_id;
    // Read without a lock (the force role may not take row locks itself): the function takes
    // the session's row and refuses, to be run again, if its attendance moved since this read.
    let record = session::load(tx, id).await?;
    if !record.locked {
        return Err(Error::new(
            ExitKind::InvalidInput,
            format!(
                "session {id} is not locked (no claim exists yet): its attendance is marked \
                 with `gsess mark`, and a BILLED session's charges follow by themselves"
            ),
        )
        .with("session_id", id));
    }
    let changes = changes(&record, request)?;
    let after = with_changes(&record, &changes);
    let facts = session::facts(&after);
    let evaluation = crate::rules::preview::evaluate_session(&facts);
    let priced = pricing::price(&facts, &evaluation);
    let charges = billing::priced_charges(&priced.charges);
    let ids = |kind: RowKind| -> Vec<i64> {
        changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.row_id)
            .collect()
    };
    let forced = sql::force_correction(
        tx,
        &ForceCall {
            session_id: id,
            version: record.attendance_version,
            to: request.to,
            participant_ids: &ids(RowKind::Participant),
            supervisor_ids: &ids(RowKind::Supervisor),
            charges: &charges,
            reason: request.reason.trim(),
        },
    )
    .await?;

    // A forced SCHEDULED → ABSENT clears a stored GROUP_UNATTENDED_BILLED, and so on: every
    // claim still to be sent is judged again on the attendance as it now stands.
    let unsent = sql::unsubmitted_claims(tx, id).await?;
    let scrubbed = billing::rescrub(tx, &unsent).await?;

    // Both kinds of charge in one read, then told apart by what the correction said of them.
    let touched: Vec<i64> = forced
        .charges_voided
        .iter()
        .chain(&forced.charges_built)
        .copied()
        .collect();
    let (charges_voided, charges_built): (Vec<Encounter>, Vec<Encounter>) =
        db::claims::session_charges(tx, id, &touched)
            .await?
            .into_iter()
            .partition(|c| forced.charges_voided.contains(&c.charge_id));
    let kept: Vec<i64> = forced
        .claims
        .iter()
        .filter(|c| c.action != ClaimAction::Withdrawn)
        .map(|c| c.id)
        .collect();
    let rescrubbed: Vec<(i64, Vec<crate::rules::Issue>)> = scrubbed
        .iter()
        .filter(|(id, _)| !forced.claims.iter().any(|c| c.id == *id))
        .cloned()
        .collect();
    let mut records = db::claims::claims_by_id(tx, &kept).await?;
    let mut claims = Vec::with_capacity(forced.claims.len());
    for touched in &forced.claims {
        let mrn = record
            .roster
            .iter()
            .find(|r| r.member_id == touched.member_id)
            .map(|r| r.mrn.clone())
            .unwrap_or_else(|| format!("member {}", touched.member_id));
        let claim = records
            .iter()
            .position(|c| c.id == touched.id)
            .map(|at| records.swap_remove(at));
        claims.push(ClaimOutcome {
            action: touched.action,
            id: touched.id,
            mrn,
            frequency_code: touched.frequency_code.clone(),
            claim,
        });
    }
    Ok(Correction {
        session_id: id,
        dry_run: request.dry_run,
        applied: false,
        changes,
        charges_voided,
        charges_built,
        claims,
        rescrubbed,
        audit_id: Some(forced.audit_id),
    })
}

/// The rows named, each with its legal transition (else exit 3 for a stranger, 4 for an
/// illegal move, 10 when nothing is named).
fn changes(record: &SessionRecord, request: &ForceRequest) -> Result<Vec<Change>> {
    let id = record.id;
    let mrns = attendance::dedup(&request.mrns);
    let npis = attendance::dedup(&request.npis);
    if mrns.is_empty() && npis.is_empty() {
        return Err(Error::invalid(
            "MRN",
            format!(
                "nothing to correct on session {id}: name participants by MRN or supervisors \
                 with --supervisor NPI"
            ),
        ));
    }
    let mut strangers = Vec::new();
    let mut changes = Vec::new();
    for mrn in &mrns {
        match record.roster.iter().find(|r| &r.mrn == mrn) {
            Some(row) => changes.push(Change {
                kind: RowKind::Participant,
                row_id: row.row_id,
                key: row.mrn.clone(),
                name: row.name(),
                from: row.status,
                to: request.to,
            }),
            None => strangers.push(format!("{mrn} is not on the roster of session {id}")),
        }
    }
    for npi in &npis {
        match record.supervisors.iter().find(|s| &s.npi == npi) {
            Some(row) => changes.push(Change {
                kind: RowKind::Supervisor,
                row_id: row.row_id,
                key: row.npi.clone(),
                name: row.name(),
                from: row.status,
                to: request.to,
            }),
            None => strangers.push(format!("{npi} is not a supervisor of session {id}")),
        }
    }
    if !strangers.is_empty() {
        return Err(Error::not_found(strangers.join("; ")).with("session_id", id));
    }
    let illegal: Vec<(RowKind, &str, AttendanceStatus)> = changes
        .iter()
        .filter(|c| !c.from.can_transition_to(c.to))
        .map(|c| (c.kind, c.key.as_str(), c.from))
        .collect();
    if !illegal.is_empty() {
        return Err(attendance::illegal_transitions(id, request.to, &illegal));
    }
    Ok(changes)
}

/// The session as it will stand once the changes are made: what the correction prices.
fn with_changes(record: &SessionRecord, changes: &[Change]) -> SessionRecord {
    let mut after = record.clone();
    for change in changes {
        match change.kind {
            RowKind::Participant => after
                .roster
                .iter_mut()
                .filter(|r| r.row_id == change.row_id)
                .for_each(|r| r.status = change.to),
            RowKind::Supervisor => after
                .supervisors
                .iter_mut()
                .filter(|s| s.row_id == change.row_id)
                .for_each(|s| s.status = change.to),
        }
    }
    after
}
