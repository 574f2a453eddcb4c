//! Sending claims to payers (`claim submit`), reading back what was sent (`claim edi`), and
//! recording the payer's claim number (`claim ack`).
//!
//! A submission is one transaction: the claims are taken (`FOR UPDATE`), scrubbed again
//! (acceptances and data fixes since they were built count), refused all together when any
//! carries an unaccepted BLOCKING issue, rendered as one 837P interchange per facility and
//! payer, stored with the claims they carry, and the claims marked submitted — or, on any
//! failure, nothing at all.

use super::claims::no_claim;
use super::session::no_session;
use crate::billing::edi::{self, Interchange};
use crate::db::submit::{self as sql, Held, Sent};
use crate::db::{self, Retry};
use crate::error::{Error, ExitKind, Result};
use crate::model::{ClaimRecord, SubmissionClaim};
use crate::rules::x12::{self, check_element};
use crate::rules::Issue;
use chrono::Utc;
use sqlx::PgConnection;
use std::collections::BTreeMap;

/// Which claims to send.
#[derive(Debug, Clone)]
pub enum SubmitTarget {
    Claims(Vec<i64>),
    /// The session's claims still to be sent.
    Session(i64),
}

#[derive(Debug, Clone)]
pub struct SubmitRequest {
    pub target: SubmitTarget,
    /// `ISA15 = P`; test interchanges (`T`) otherwise.
    pub production: bool,
}

/// One interchange as stored and sent.
#[derive(Debug, Clone)]
pub struct SentInterchange {
    pub interchange_control_number: i64,
    pub facility: String,
    pub payer: String,
    pub claim_ids: Vec<i64>,
    pub edi: String,
}

/// Re-scrub, render, store and mark the claims sent, all or nothing.
pub async fn submit(
    conn: &mut PgConnection,
    request: &SubmitRequest,
) -> Result<Vec<SentInterchange>> {
    db::transaction(conn, Retry::CONFLICTS, async |tx| {
        let held = take(tx, &request.target).await?;
        let ids: Vec<i64> = held.iter().map(|h| h.id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let scrubbed = super::billing::scrub(tx, &ids).await?;
        refuse_blocked(&scrubbed)?;
        db::billing::store_issues(tx, &scrubbed).await?;

        let facts = sql::submission_facts(tx, &ids).await?;
        let mut by_receiver: BTreeMap<(i64, i64), Vec<&SubmissionClaim>> = BTreeMap::new();
        for claim in &facts {
            by_receiver
                .entry((claim.facility_id, claim.payer_db_id))
                .or_default()
                .push(claim);
        }
        let mut sent = Vec::with_capacity(by_receiver.len());
        for ((facility_id, payer_id), claims) in by_receiver {
            let (icn, gcn) = sql::control_numbers(tx).await?;
            let interchange = interchange(&claims, icn, gcn, request.production)?;
            let text = edi::render(&interchange).map_err(|e| {
                Error::new(
                    ExitKind::InvalidInput,
                    format!("the 837P cannot be written, nothing was sent: {e}"),
                )
            })?;
            let claim_ids: Vec<i64> = claims.iter().map(|c| c.claim_id).collect();
            sql::record_submission(
                tx,
                &Sent {
                    facility_id,
                    payer_id,
                    interchange_control_number: icn,
                    production: request.production,
                    content: &text,
                    claim_ids: &claim_ids,
                },
            )
            .await?;
            sent.push(SentInterchange {
                interchange_control_number: icn,
                facility: claims[0].facility.code.clone(),
                payer: claims[0].payer.code.clone(),
                claim_ids,
                edi: text,
            });
        }
        super::pause_point("submit-before-commit").await;
        Ok(sent)
    })
    .await
}

/// The claims to send, locked: every named one must exist and still be unsent.
async fn take(tx: &mut PgConnection, target: &SubmitTarget) -> Result<Vec<Held>> {
    match target {
        SubmitTarget::Session(id) => sql::take_session_claims(tx, *id)
            .await?
            .ok_or_else(|| no_session(*id)),
        SubmitTarget::Claims(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            let held = sql::take_claims(tx, &ids).await?;
            if let Some(missing) = ids.iter().find(|id| !held.iter().any(|h| h.id == **id)) {
                return Err(no_claim(*missing));
            }
            let sent: Vec<String> = held
                .iter()
                .filter(|h| h.status != "BUILT")
                .map(|h| {
                    format!(
                        "claim {} is {} already (`gsess claim edi {}` prints it)",
                        h.id, h.status, h.id
                    )
                })
                .collect();
            if !sent.is_empty() {
                return Err(Error::new(
                    ExitKind::InvalidInput,
                    format!("nothing was sent: {}", sent.join("; ")),
                ));
            }
            Ok(held)
        }
    }
}

/// Exit 8 naming every claim that cannot go and each issue that holds it.
fn refuse_blocked(scrubbed: &[(i64, Vec<Issue>)]) -> Result<()> {
    let blocked: Vec<(i64, Vec<&Issue>)> = scrubbed
        .iter()
        .map(|(id, issues)| {
            (
                *id,
                issues
                    .iter()
                    .filter(|i| i.is_blocking())
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, issues)| !issues.is_empty())
        .collect();
    if blocked.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = blocked
        .iter()
        .map(|(id, issues)| {
            let why: Vec<String> = issues
                .iter()
                .map(|i| format!("{} ({})", i.code, i.message))
                .collect();
            format!("claim {id}: {}", why.join("; "))
        })
        .collect();
    let context: Vec<serde_json::Value> = blocked
        .iter()
        .map(|(id, issues)| {
            serde_json::json!({
                "claim_id": id,
                "issues": issues.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Err(Error::new(
        ExitKind::BlockingIssues,
        format!(
            "nothing was sent: {} claim(s) carry an unaccepted BLOCKING issue:\n  {}",
            blocked.len(),
            lines.join("\n  ")
        ),
    )
    .with("blocked", context))
}

/// One facility's claims to one payer as the 837P writer takes them.
fn interchange(
    claims: &[&SubmissionClaim],
    icn: i64,
    gcn: i64,
    production: bool,
) -> Result<Interchange> {
    let first = claims[0];
    let control = |n: i64, what: &str| {
        u32::try_from(n).map_err(|_| Error::internal(format!("{what} {n} does not fit 9 digits")))
    };
    Ok(Interchange {
        interchange_control_number: control(icn, "interchange control number")?,
        group_control_number: control(gcn, "group control number")?,
        production,
        created_at: Utc::now().naive_utc(),
        submitter: first.facility.edi.clone(),
        payer: first.payer.edi.clone(),
        claims: claims.iter().map(|c| claim(c)).collect::<Result<_>>()?,
    })
}

fn claim(c: &SubmissionClaim) -> Result<edi::Claim> {
    let subscriber_id = c.subscriber_id.clone().ok_or_else(|| {
        Error::invalid(
            "subscriber_id",
            format!("member {}'s coverage has no subscriber id", c.member.mrn),
        )
    })?;
    let subscriber = c.subscriber.as_ref().map(|s| edi::OtherSubscriber {
        relationship: match s.relationship.as_str() {
            "child" => edi::Relationship::Child,
            "spouse" => edi::Relationship::Spouse,
            _ => edi::Relationship::Other,
        },
        person: s.person.clone(),
    });
    Ok(edi::Claim {
        claim_control_number: c.claim_control_number.clone(),
        frequency_code: c.frequency_code.clone(),
        payer_claim_number: c.replaced_payer_claim_number.clone(),
        amount: c.amount,
        place_of_service: c.place_of_service.clone(),
        service_date: c.service_date,
        diagnosis_codes: c.member.diagnosis_codes.clone(),
        subscriber_id,
        member: c.member.person.clone(),
        member_address: c.member.address.clone(),
        subscriber,
        supervising_provider: c.supervisor.clone(),
        lines: c.lines.clone(),
    })
}

/// The stored interchange a claim was sent in.
pub async fn stored_edi(conn: &mut PgConnection, claim_id: i64) -> Result<String> {
    match sql::stored_edi(conn, claim_id).await? {
        None => Err(no_claim(claim_id)),
        Some(None) => Err(Error::not_found(format!(
            "claim {claim_id} has not been submitted, so it has no EDI yet (`gsess claim submit {claim_id}` sends it)"
        ))
        .with("claim_id", claim_id)),
        Some(Some(text)) => Ok(text),
    }
}

/// Record the payer's claim control number on a sent claim; its unsent corrections (7, 8),
/// which carry that number in `REF*F8`, are scrubbed again. Returns the claim.
pub async fn acknowledge(
    conn: &mut PgConnection,
    claim_id: i64,
    number: &str,
) -> Result<ClaimRecord> {
    let number = number.trim();
    check_element(number, x12::PAYER_CLAIM_NUMBER, "payer claim number")
        .map_err(|e| Error::invalid("--payer-claim-number", e))?;
    db::transaction(conn, Retry::CONFLICTS, async |tx| {
        if let Some((quoted, by)) = sql::quoted_payer_claim_number(tx, claim_id).await? {
            if quoted != number {
                return Err(Error::new(
                    ExitKind::InvalidInput,
                    format!(
                        "claim {claim_id}'s payer claim number {quoted} was already sent in \
                         claim {by}'s REF*F8, so it stays: nothing changed"
                    ),
                )
                .with("claim_id", claim_id));
            }
        }
        if sql::record_payer_claim_number(tx, claim_id, number)
            .await?
            .is_none()
        {
            return Err(match sql::stored_edi(tx, claim_id).await? {
                None => no_claim(claim_id),
                Some(_) => Error::new(
                    ExitKind::InvalidInput,
                    format!(
                        "claim {claim_id} has not been submitted: the payer has no number for it yet"
                    ),
                )
                .with("claim_id", claim_id),
            });
        }
        let corrections = sql::corrections_of(tx, claim_id).await?;
        super::billing::rescrub(tx, &corrections).await?;
        super::claims::show(tx, claim_id).await
    })
    .await
}
