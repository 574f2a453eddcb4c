//! `gsess accept SESSION CODE [--payer CODE | --member MRN] --reason TEXT` and `--revoke`:
//! a documented exception (SPEC §2.2). It holds while the figures it was accepted at (group
//! size, supervisors present) are unchanged; the database records who and when, and audits it.

use crate::app::App;
use crate::cli::AcceptArgs;
use crate::db::session::{self, SessionRecord};
use crate::db::Scope;
use crate::error::{Error, ExitKind, Result};
use crate::output::session::local_time;
use crate::output::{Human, View};
use crate::rules::issues::{IssueCode, IssueScope};
use crate::rules::preview::evaluate_session;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use std::io;

#[derive(Debug, Serialize)]
pub struct AcceptView {
    pub id: i64,
    pub session_id: i64,
    pub code: IssueCode,
    pub payer: Option<String>,
    pub mrn: Option<String>,
    pub group_size: u32,
    pub supervisors_present: u32,
    pub reason: String,
    pub accepted_by: String,
    /// RFC 3339 with the facility's UTC offset, like every time gsess prints.
    pub accepted_at: String,
    /// Set when this withdraws the acceptance (`--revoke`).
    pub revoked_at: Option<String>,
}

impl View for AcceptView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        let subject = self
            .mrn
            .as_deref()
            .or(self.payer.as_deref())
            .map_or(String::new(), |s| format!(" for {s}"));
        if self.revoked_at.is_some() {
            return out.line(format!(
                "Revoked the acceptance of {}{subject} on session {}: it blocks again.",
                self.code, self.session_id
            ));
        }
        out.line(format!(
            "Accepted {}{subject} on session {} at {} billable and {} supervisor(s) present; \
             it holds while those figures stand.",
            self.code, self.session_id, self.group_size, self.supervisors_present
        ))
    }
}

/// What an acceptance is about: the code and, by its scope, the payer or the member.
struct Target {
    code: IssueCode,
    payer: Option<String>,
    mrn: Option<String>,
}

pub async fn run(app: &mut App, args: &AcceptArgs) -> Result<()> {
    let pool = app.pool_with_scope(Scope::AttendanceWrite).await?;
    let code: IssueCode = args
        .code
        .parse()
        .map_err(|e| Error::invalid("CODE", e).with("code", args.code.to_uppercase()))?;
    if !code.can_be_accepted() {
        return Err(Error::invalid(
            "CODE",
            format!(
                "{code} cannot be accepted: {}",
                code.not_acceptable_reason().unwrap_or("it must be fixed")
            ),
        ));
    }
    let record = session::load_session(&pool, args.session).await?;
    let target = target_of(code, args)?;
    ensure_known(&pool, &target).await?;
    let mut tx = pool.begin().await?;
    if let Some(reason) = &args.reason {
        // The audit trigger records it (for a revoke too, where it is optional).
        sqlx::query("SELECT set_config('gsess.reason', $1, true)")
            .bind(reason)
            .execute(&mut *tx)
            .await?;
    }
    let view = if args.revoke {
        revoke(&mut tx, &record, &target).await?
    } else {
        let reason = args.reason.as_deref().unwrap_or_default().trim();
        if reason.is_empty() {
            return Err(Error::invalid("--reason", "a reason is required"));
        }
        accept(&mut tx, &record, &target, reason).await?
    };
    tx.commit().await?;
    app.out.emit(&view)
}

/// The scope decides which of --payer/--member must be given; the issue must be raised now
/// (you accept what the preview shows, at the figures it shows).
fn target_of(code: IssueCode, args: &AcceptArgs) -> Result<Target> {
    let (payer, mrn) = match code.scope() {
        IssueScope::Session => {
            if args.payer.is_some() || args.member.is_some() {
                return Err(Error::invalid(
                    "--payer/--member",
                    format!("{code} concerns the whole session: give neither --payer nor --member"),
                ));
            }
            (None, None)
        }
        IssueScope::Payer => {
            let payer = args.payer.clone().ok_or_else(|| {
                Error::invalid(
                    "--payer",
                    format!("{code} is raised per payer: name one with --payer"),
                )
            })?;
            (Some(payer), None)
        }
        IssueScope::Member => {
            let mrn = args.member.clone().ok_or_else(|| {
                Error::invalid(
                    "--member",
                    format!("{code} is raised per member: name one with --member MRN"),
                )
            })?;
            (None, Some(mrn))
        }
    };
    Ok(Target { code, payer, mrn })
}

async fn accept(
    tx: &mut sqlx::PgConnection,
    record: &SessionRecord,
    target: &Target,
    reason: &str,
) -> Result<AcceptView> {
    let evaluation = evaluate_session(&record.facts());
    let raised = evaluation
        .issues
        .iter()
        .find(|i| i.code == target.code && i.payer == target.payer && i.mrn == target.mrn);
    let Some(issue) = raised else {
        let raised_for: Vec<String> = evaluation
            .issues
            .iter()
            .filter(|i| i.code == target.code)
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
                target.code,
                record.id,
                describe(target)
            ),
        ));
    };
    if issue.accepted {
        return Err(Error::invalid(
            "CODE",
            format!("{} is already accepted at these figures", target.code),
        ));
    }
    // An acceptance at figures that no longer hold is superseded by this one.
    sqlx::query(
        "UPDATE accepted_exception a SET revoked_at = now()
          WHERE a.facility_id = $1 AND a.session_id = $2 AND a.code = $3 AND a.revoked_at IS NULL
            AND a.payer_id IS NOT DISTINCT FROM (SELECT id FROM payer WHERE code = $4)
            AND a.member_id IS NOT DISTINCT FROM (SELECT id FROM member WHERE mrn = $5)",
    )
    .bind(record.facility_id)
    .bind(record.id)
    .bind(target.code.as_str())
    .bind(&target.payer)
    .bind(&target.mrn)
    .execute(&mut *tx)
    .await?;
    let (id, accepted_by, accepted_at): (i64, String, DateTime<Utc>) = sqlx::query_as(
        "INSERT INTO accepted_exception
                (facility_id, session_id, code, payer_id, member_id, reason, group_size, supervisors_present)
         VALUES ($1, $2, $3, (SELECT id FROM payer WHERE code = $4),
                 (SELECT id FROM member WHERE mrn = $5), $6, $7, $8)
         RETURNING id, accepted_by, accepted_at",
    )
    .bind(record.facility_id)
    .bind(record.id)
    .bind(target.code.as_str())
    .bind(&target.payer)
    .bind(&target.mrn)
    .bind(reason)
    .bind(i64::from(evaluation.billable_count))
    .bind(i64::from(evaluation.supervisors_present))
    .fetch_one(&mut *tx)
    .await?;
    Ok(AcceptView {
        id,
        session_id: record.id,
        code: target.code,
        payer: target.payer.clone(),
        mrn: target.mrn.clone(),
        group_size: evaluation.billable_count,
        supervisors_present: evaluation.supervisors_present,
        reason: reason.to_owned(),
        accepted_by,
        accepted_at: local_time(accepted_at, record.tz()),
        revoked_at: None,
    })
}

async fn revoke(
    tx: &mut sqlx::PgConnection,
    record: &SessionRecord,
    target: &Target,
) -> Result<AcceptView> {
    let live = record.acceptances.iter().find(|a| {
        a.acceptance.code == target.code
            && a.acceptance.payer == target.payer
            && a.acceptance.mrn == target.mrn
    });
    let Some(live) = live else {
        return Err(Error::new(
            ExitKind::NotFound,
            format!(
                "no live acceptance of {} on session {}{}",
                target.code,
                record.id,
                describe(target)
            ),
        ));
    };
    let revoked_at: DateTime<Utc> = sqlx::query_scalar(
        "UPDATE accepted_exception SET revoked_at = now()
          WHERE facility_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING revoked_at",
    )
    .bind(record.facility_id)
    .bind(live.acceptance.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::not_found("the acceptance was revoked meanwhile"))?;
    Ok(AcceptView {
        id: live.acceptance.id,
        session_id: record.id,
        code: target.code,
        payer: target.payer.clone(),
        mrn: target.mrn.clone(),
        group_size: live.acceptance.group_size,
        supervisors_present: live.acceptance.supervisors_present,
        reason: live.reason.clone(),
        accepted_by: live.accepted_by.clone(),
        accepted_at: local_time(live.accepted_at, record.tz()),
        revoked_at: Some(local_time(revoked_at, record.tz())),
    })
}

/// A payer or member that does not exist is not found (exit 3), whatever the issues say.
async fn ensure_known(pool: &PgPool, target: &Target) -> Result<()> {
    let (payer_known, member_known): (bool, bool) = sqlx::query_as(
        "SELECT $1::text IS NULL OR EXISTS (SELECT 1 FROM payer WHERE code = $1),
                $2::text IS NULL OR EXISTS (SELECT 1 FROM member WHERE mrn = $2)",
    )
    .bind(&target.payer)
    .bind(&target.mrn)
    .fetch_one(pool)
    .await?;
    match (&target.payer, &target.mrn) {
        (Some(code), _) if !payer_known => {
            Err(Error::not_found(format!("no payer {code}")).with("payer", code.clone()))
        }
        (_, Some(mrn)) if !member_known => {
            Err(Error::not_found(format!("no member {mrn}")).with("mrn", mrn.clone()))
        }
        _ => Ok(()),
    }
}

fn describe(target: &Target) -> String {
    match (&target.payer, &target.mrn) {
        (Some(payer), _) => format!(" for payer {payer}"),
        (_, Some(mrn)) => format!(" for member {mrn}"),
        _ => String::new(),
    }
}
