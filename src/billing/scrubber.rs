//! The claim scrubber: a claim's facts, read afresh through their own statement, judged by
//! the very function the billing preview calls (`evaluate_session`), keeping the issues of the
//! claim's session, payer and member; then the checks of the claim itself, which only a defect
//! can fail (what pyx12 does not catch and a payer must never receive).

use crate::model::{ClaimFacts, ClaimedSession};
use crate::rules::facts::{RosterRow, SessionFacts};
use crate::rules::preview::{evaluate_session, wanted_charges};
use crate::rules::Issue;
use rust_decimal::Decimal;

/// The Validation list of each claim of the session, as it is stored on it.
pub fn scrub_session(session: &ClaimedSession) -> Vec<(i64, Vec<Issue>)> {
    session
        .claims
        .iter()
        .map(|claim| (claim.claim_id, scrub(session, claim)))
        .collect()
}

/// The Validation list of one claim.
pub fn scrub(session: &ClaimedSession, claim: &ClaimFacts) -> Vec<Issue> {
    let facts = session_facts(session, claim);
    let evaluation = evaluate_session(&facts);
    let mut issues = evaluation.issues_for_claim(&claim.payer, &claim.mrn);
    if matches!(claim.frequency_code.as_str(), "7" | "8")
        && claim
            .replaced_payer_claim_number
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
    {
        // The number to record is the corrected claim's, not this one's.
        issues.push(Issue::payer_claim_number_missing(
            &claim.mrn,
            claim.replaces_claim_id.unwrap_or(claim.claim_id),
        ));
    }
    issues.extend(
        inconsistencies(claim, &facts)
            .into_iter()
            .map(|what| Issue::claim_inconsistent(&claim.mrn, claim.claim_id, what)),
    );
    // A void takes back what was sent: how the room was run and priced no longer bears on
    // it (the member is no longer billable); only what the 837P itself must carry does.
    if claim.frequency_code == "8" {
        issues.retain(|issue| issue.code.concerns_the_claim_data());
    }
    issues
}

/// The room as the rules see it for this claim: every roster row counts for the group size;
/// only the claim's member carries a coverage (the claim's own), so only the claim's payer is
/// judged.
fn session_facts(session: &ClaimedSession, claim: &ClaimFacts) -> SessionFacts {
    SessionFacts {
        session_id: session.session_id,
        local_date: session.local_date,
        scheduled_minutes: session.scheduled_minutes,
        facility_state: session.facility_state.clone(),
        billing_npi: session.billing_npi.clone(),
        group_type: session.group_type.clone(),
        roster: session
            .roster
            .iter()
            .map(|row| {
                let mine = row.mrn == claim.mrn;
                RosterRow {
                    row_id: row.row_id,
                    mrn: row.mrn.clone(),
                    status: row.status,
                    coverage: mine.then(|| claim.coverage.clone()),
                    has_diagnosis: !mine || claim.member_has_diagnosis,
                }
            })
            .collect(),
        supervisors: session.supervisors.clone(),
        supervision_rules: session.supervision_rules.clone(),
        size_bands: session.size_bands.clone(),
        acceptances: session.acceptances.clone(),
    }
}

/// What is wrong with the claim itself, each in a few words with its figures.
fn inconsistencies(claim: &ClaimFacts, facts: &SessionFacts) -> Vec<String> {
    let mut found = Vec::new();
    if !matches!(claim.frequency_code.as_str(), "1" | "7" | "8") {
        found.push(format!(
            "frequency code {:?} is none of 1, 7, 8",
            claim.frequency_code
        ));
    }
    if claim.amount <= Decimal::ZERO {
        found.push(format!("amount {} is not above 0", claim.amount));
    }
    if claim.lines.is_empty() {
        found.push("it has no lines".to_owned());
    }
    for line in &claim.lines {
        if line.units < 1 {
            found.push(format!("charge {}: {} units", line.charge_id, line.units));
        }
    }
    let total: Decimal = claim.lines.iter().map(|l| l.amount).sum();
    if total != claim.amount {
        found.push(format!(
            "lines sum to {total}, the claim says {}",
            claim.amount
        ));
    }
    // A void repeats the charges it voids; anything else is priced by the rules now.
    if claim.frequency_code != "8" {
        let priced = wanted_charges(facts)
            .into_iter()
            .find(|charge| charge.mrn == claim.mrn);
        let matches = |line: &crate::model::ClaimLine| {
            priced.as_ref().is_some_and(|p| {
                p.procedure_code == line.procedure_code
                    && p.modifiers == line.modifiers
                    && i64::from(p.units) == line.units
                    && p.amount == line.amount
            })
        };
        match (&priced, claim.lines.as_slice()) {
            (_, [line]) if matches(line) => {}
            (None, _) => found.push(format!("the rules price no charge for {} now", claim.mrn)),
            (Some(p), _) => found.push(format!(
                "the rules price {} × {} units = {} now",
                describe(&p.procedure_code, &p.modifiers),
                p.units,
                p.amount
            )),
        }
    }
    found
}

fn describe(code: &str, modifiers: &[String]) -> String {
    std::iter::once(code)
        .chain(modifiers.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(":")
}
