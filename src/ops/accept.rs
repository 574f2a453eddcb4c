//! Accepting an issue knowingly (a documented exception), or withdrawing the acceptance. It
//! holds while the figures it was accepted at (group size, supervisors present) are
//! unchanged; the database records who and when, and audits it.

use super::session;
use crate::db::accept::{self as sql, IssueSubject};
use crate::db::{self, Retry};
use crate::error::{Error, ExitKind, Result};
use crate::model::{AcceptanceEntry, SessionRecord};
use crate::rules::limits::check_reason_length;
use crate::rules::{self, IssueCode, IssueScope};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// What an acceptance is asked about, as typed: the code (any case), and the payer or member
/// its scope needs.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub code: &'a str,
    pub payer: Option<&'a str>,
    pub mrn: Option<&'a str>,
}

/// An acceptance as recorded (or, with `revoked_at`, as withdrawn).
#[derive(Debug, Clone)]
pub struct Acceptance {
    pub session_id: i64,
    pub entry: AcceptanceEntry,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The session's facility time zone, for showing the times.
    pub timezone: String,
}

/// Accept what the preview shows now, at the figures it shows, for `reason`.
pub async fn accept(
    conn: &mut PgConnection,
    session_id: i64,
    asked: Asked<'_>,
    reason: &str,
) -> Result<Acceptance> {
    let (record, subject) = prepare(conn, session_id, asked).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("--reason", "a reason is required"));
    }
    check_reason_length(reason).map_err(|why| Error::invalid("--reason", why))?;
    db::transaction(conn, Retry::CONFLICTS, async |tx| {
        // The audit trigger records it.
        db::set_audit_reason(tx, reason).await?;
        let acceptance = record_acceptance(tx, &record, &subject, reason).await?;
        rescrub_unsent_claims(tx, &record).await?;
        Ok(acceptance)
    })
    .await
}

/// Withdraw the live acceptance (audited, with the reason if one is given).
pub async fn revoke(
    conn: &mut PgConnection,
    session_id: i64,
    asked: Asked<'_>,
    reason: Option<&str>,
) -> Result<Acceptance> {
    if let Some(reason) = reason {
        check_reason_length(reason).map_err(|why| Error::invalid("--reason", why))?;
    }
    let (record, subject) = prepare(conn, session_id, asked).await?;
    db::transaction(conn, Retry::CONFLICTS, async |tx| {
        if let Some(reason) = reason {
            db::set_audit_reason(tx, reason).await?;
        }
        let revoked = revoke_in(tx, &record, &subject).await?;
        rescrub_unsent_claims(tx, &record).await?;
        Ok(revoked)
    })
    .await
}

/// A claimed session's claims not yet sent carry the acceptance (or its withdrawal) at once,
/// so `claims --blocked` and `claim show` agree with the preview.
async fn rescrub_unsent_claims(tx: &mut PgConnection, record: &SessionRecord) -> Result<()> {
    if !record.locked {
        return Ok(());
    }
    let unsent = db::corrections::unsubmitted_claims(tx, record.id).await?;
    super::billing::rescrub(tx, &unsent).await?;
    Ok(())
}

/// The code (exit 10 unless it can be accepted), the session (exit 3), the subject its scope
/// names (exit 3 for an unknown payer or member).
async fn prepare(
    conn: &mut PgConnection,
    session_id: i64,
    asked: Asked<'_>,
) -> Result<(SessionRecord, IssueSubject)> {
    let code: IssueCode = asked
        .code
        .parse()
        .map_err(|e| Error::invalid("CODE", e).with("code", asked.code.to_uppercase()))?;
    if !code.can_be_accepted() {
        return Err(Error::invalid(
            "CODE",
            format!(
                "{code} cannot be accepted: {}",
                code.not_acceptable_reason().unwrap_or("it must be fixed")
            ),
        ));
    }
    let record = session::load(conn, session_id).await?;
    let subject = subject_of(code, asked)?;
    ensure_known(conn, &subject).await?;
    Ok((record, subject))
}

/// The scope decides which of --payer/--member must be given.
fn subject_of(code: IssueCode, asked: Asked<'_>) -> Result<IssueSubject> {
    let (payer, mrn) = match code.scope() {
        IssueScope::Session => {
            if asked.payer.is_some() || asked.mrn.is_some() {
                return Err(Error::invalid(
                    "--payer/--member",
                    format!("{code} concerns the whole session: give neither --payer nor --member"),
                ));
            }
            (None, None)
        }
        IssueScope::Payer => {
            let payer = asked.payer.ok_or_else(|| {
                Error::invalid(
                    "--payer",
                    format!("{code} is raised per payer: name one with --payer"),
                )
            })?;
            (Some(payer.to_owned()), None)
        }
        IssueScope::Member => {
            let mrn = asked.mrn.ok_or_else(|| {
                Error::invalid(
                    "--member",
                    format!("{code} is raised per member: name one with --member MRN"),
                )
            })?;
            (None, Some(mrn.to_owned()))
        }
    };
    Ok(IssueSubject { code, payer, mrn })
}

/// You accept what the preview shows now, at the figures it shows.
async fn record_acceptance(
    conn: &mut PgConnection,
    record: &SessionRecord,
    subject: &IssueSubject,
    reason: &str,
) -> Result<Acceptance> {
    let evaluation = session::evaluate(record);
    let raised = evaluation
        .issues
        .iter()
        .find(|i| i.code == subject.code && i.payer == subject.payer && i.mrn == subject.mrn);
    let Some(issue) = raised else {
        let raised_for: Vec<String> = evaluation
            .issues
            .iter()
            .filter(|i| i.code == subject.code)
            .filter_map(|i| i.mrn.clone().or_else(|| i.payer.clone()))
            .collect();
        let hint = if raised_for.is_empty() {
            String::new()
        } else {
            format!(" (it is raised for {})", raised_for.join(", "))
        };
        return Err(Error::invalid(
            "CODE",
            format!(
                "{} is not raised on session {}{}{hint}: there is nothing to accept",
                subject.code,
                record.id,
                describe(subject)
            ),
        ));
    };
    if issue.accepted {
        return Err(Error::invalid(
            "CODE",
            format!("{} is already accepted at these figures", subject.code),
        ));
    }
    sql::supersede(conn, record.facility_id, record.id, subject).await?;
    let recorded = sql::insert(
        conn,
        record.facility_id,
        record.id,
        subject,
        reason,
        evaluation.billable_count,
        evaluation.supervisors_present,
    )
    .await?;
    let entry = AcceptanceEntry {
        acceptance: rules::Acceptance {
            id: recorded.id,
            code: subject.code,
            payer: subject.payer.clone(),
            mrn: subject.mrn.clone(),
            group_size: evaluation.billable_count,
            supervisors_present: evaluation.supervisors_present,
        },
        reason: reason.to_owned(),
        accepted_by: recorded.accepted_by,
        accepted_at: recorded.accepted_at,
    };
    Ok(Acceptance {
        session_id: record.id,
        entry,
        revoked_at: None,
        timezone: record.timezone.clone(),
    })
}

async fn revoke_in(
    conn: &mut PgConnection,
    record: &SessionRecord,
    subject: &IssueSubject,
) -> Result<Acceptance> {
    let live = record.acceptances.iter().find(|a| {
        a.acceptance.code == subject.code
            && a.acceptance.payer == subject.payer
            && a.acceptance.mrn == subject.mrn
    });
    let Some(live) = live else {
        return Err(Error::new(
            ExitKind::NotFound,
            format!(
                "no live acceptance of {} on session {}{}",
                subject.code,
                record.id,
                describe(subject)
            ),
        ));
    };
    let revoked_at = sql::revoke(conn, record.facility_id, live.acceptance.id)
        .await?
        .ok_or_else(|| Error::not_found("the acceptance was revoked meanwhile"))?;
    Ok(Acceptance {
        session_id: record.id,
        entry: live.clone(),
        revoked_at: Some(revoked_at),
        timezone: record.timezone.clone(),
    })
}

/// A payer or member that does not exist is not found (exit 3), whatever the issues say.
async fn ensure_known(conn: &mut PgConnection, subject: &IssueSubject) -> Result<()> {
    let (payer_known, member_known) = db::reference::payer_and_member_exist(
        conn,
        subject.payer.as_deref(),
        subject.mrn.as_deref(),
    )
    .await?;
    match (&subject.payer, &subject.mrn) {
        (Some(code), _) if !payer_known => {
            Err(Error::not_found(format!("no payer {code}")).with("payer", code.clone()))
        }
        (_, Some(mrn)) if !member_known => {
            Err(Error::not_found(format!("no member {mrn}")).with("mrn", mrn.clone()))
        }
        _ => Ok(()),
    }
}

fn describe(subject: &IssueSubject) -> String {
    match (&subject.payer, &subject.mrn) {
        (Some(payer), _) => format!(" for payer {payer}"),
        (_, Some(mrn)) => format!(" for member {mrn}"),
        _ => String::new(),
    }
}
