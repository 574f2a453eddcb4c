//! `force-update`: the consequence of a forced correction, before it is confirmed (on stderr)
//! and once applied or dry-run (the answer, on stdout).

use super::attendance::ChangeView;
use super::billing::{ClaimView, EncounterView, EncountersView, LineView};
use super::{Human, View};
use crate::ops::corrections::{ClaimOutcome, Correction};
use crate::rules::{money, Issue};
use rust_decimal::Decimal;
use serde::Serialize;
use std::io;

/// `{session_id, changed, charges_voided: [id], charges_built: [id], claims: [{id,
/// frequency_code, action, …}], audit_id, …}`. On a dry run nothing was kept, so the ids of new
/// charges and claims are `null` (their details are in `charges` and `claims`).
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    pub session_id: i64,
    pub dry_run: bool,
    pub applied: bool,
    pub changed: Vec<ChangeView>,
    pub charges_voided: Vec<i64>,
    pub charges_built: Vec<Option<i64>>,
    pub charges: ChargesView,
    pub claims: Vec<ClaimOutcomeView>,
    /// The session's other unsent claims, scrubbed again on the corrected attendance.
    pub rescrubbed: Vec<RescrubbedView>,
    pub audit_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RescrubbedView {
    pub claim_id: i64,
    pub issues: Vec<Issue>,
    pub blocking_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChargesView {
    pub voided: EncountersView,
    pub built: EncountersView,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimOutcomeView {
    pub id: Option<i64>,
    pub mrn: String,
    pub frequency_code: String,
    /// `original`, `replacement`, `void`, `rebuilt` or `withdrawn`.
    pub action: &'static str,
    /// The claim as it stands after the correction (none once withdrawn).
    #[serde(serialize_with = "money::serialize_option")]
    pub amount: Option<Decimal>,
    pub replaces_claim_id: Option<i64>,
    pub claim_control_number: Option<String>,
    pub lines: Vec<LineView>,
    /// Its Validation list, scrubbed on the attendance as corrected.
    pub issues: Vec<Issue>,
    pub blocking_count: usize,
}

impl CorrectionView {
    pub fn of(correction: &Correction) -> CorrectionView {
        // Until it commits, a correction's new charges and claims have no ids to speak of.
        let kept = correction.applied;
        let mut built = EncountersView::of(&correction.charges_built);
        if !kept {
            built.0.iter_mut().for_each(|c| c.claim_id = None);
        }
        CorrectionView {
            session_id: correction.session_id,
            dry_run: correction.dry_run,
            applied: correction.applied,
            changed: correction.changes.iter().map(ChangeView::of).collect(),
            charges_voided: correction
                .charges_voided
                .iter()
                .map(|c| c.charge_id)
                .collect(),
            charges_built: correction
                .charges_built
                .iter()
                .map(|c| kept.then_some(c.charge_id))
                .collect(),
            charges: ChargesView {
                voided: EncountersView::of(&correction.charges_voided),
                built,
            },
            claims: correction
                .claims
                .iter()
                .map(|c| ClaimOutcomeView::of(c, kept))
                .collect(),
            rescrubbed: correction
                .rescrubbed
                .iter()
                .map(|(id, issues)| RescrubbedView {
                    claim_id: *id,
                    blocking_count: issues.iter().filter(|i| i.is_blocking()).count(),
                    issues: issues.clone(),
                })
                .collect(),
            audit_id: correction.audit_id,
        }
    }

    /// What the correction does, line by line, for people.
    fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        lines.push(format!(
            "Forced correction of session {}{}:",
            self.session_id,
            if self.applied {
                ", applied"
            } else if self.dry_run {
                " (dry run: nothing changed)"
            } else {
                ""
            }
        ));
        for change in &self.changed {
            lines.push(format!(
                "  attendance  {} ({}): {} -> {}",
                change.who_key(),
                change.name,
                change.from,
                change.to
            ));
        }
        for charge in &self.charges.voided.0 {
            lines.push(format!(
                "  void        charge {} {}",
                charge.charge_id,
                line(charge)
            ));
        }
        for (charge, id) in self.charges.built.0.iter().zip(&self.charges_built) {
            let was = self
                .charges
                .voided
                .0
                .iter()
                .find(|v| v.mrn == charge.mrn)
                .map(|v| format!(" (was {} at {})", describe(v), money::format(v.rate)))
                .unwrap_or_default();
            let id = id.map(|id| format!("charge {id} ")).unwrap_or_default();
            lines.push(format!("  build       {id}{}{was}", line(charge)));
        }
        if self.charges.voided.0.is_empty() && self.charges.built.0.is_empty() {
            lines.push("  charges     unchanged".to_owned());
        }
        for outcome in &self.claims {
            lines.push(format!("  claim       {}", outcome.describe()));
            for issue in outcome.issues.iter().filter(|i| i.is_blocking()) {
                lines.push(format!("                BLOCKING {}", issue_note(issue)));
            }
        }
        if self.claims.is_empty() {
            lines.push("  claims      unchanged".to_owned());
        }
        for claim in self.rescrubbed.iter().filter(|c| c.blocking_count > 0) {
            for issue in claim.issues.iter().filter(|i| i.is_blocking()) {
                lines.push(format!(
                    "  re-scrub    claim {} (not yet submitted) BLOCKING {}",
                    claim.claim_id,
                    issue_note(issue)
                ));
            }
        }
        if let Some(id) = self.audit_id {
            lines.push(format!("  audit entry {id}"));
        }
        lines
    }
}

impl ClaimOutcomeView {
    fn of(outcome: &ClaimOutcome, kept: bool) -> ClaimOutcomeView {
        let claim = outcome.claim.as_ref().map(ClaimView::of);
        ClaimOutcomeView {
            id: (kept || !outcome.action.is_new()).then_some(outcome.id),
            mrn: outcome.mrn.clone(),
            frequency_code: outcome.frequency_code.clone(),
            action: outcome.action.as_str(),
            amount: claim.as_ref().map(|c| c.amount),
            replaces_claim_id: claim.as_ref().and_then(|c| c.replaces_claim_id),
            claim_control_number: claim.as_ref().map(|c| c.claim_control_number.clone()),
            blocking_count: claim.as_ref().map_or(0, |c| c.validation.blocking),
            lines: claim.as_ref().map(|c| c.lines.clone()).unwrap_or_default(),
            issues: claim.map(|c| c.issues).unwrap_or_default(),
        }
    }

    fn describe(&self) -> String {
        let id = self
            .id
            .map(|id| format!("claim {id}"))
            .unwrap_or_else(|| "a new claim".to_owned());
        let amount = self
            .amount
            .map(|a| format!(", {}", money::format(a)))
            .unwrap_or_default();
        let replaces = self
            .replaces_claim_id
            .map(|r| format!(" of claim {r}"))
            .unwrap_or_default();
        match self.action {
            "original" => format!("{id}: a new original (1) for {}{amount}", self.mrn),
            "replacement" => format!("{id}: a replacement (7){replaces} for {}{amount}", self.mrn),
            "void" => format!("{id}: a void (8){replaces} for {}{amount}", self.mrn),
            "rebuilt" => format!(
                "{id} (not yet submitted, frequency {}) rebuilt in place for {}{amount}",
                self.frequency_code, self.mrn
            ),
            _ => format!(
                "{id} (not yet submitted) withdrawn: nothing is left to bill {} for",
                self.mrn
            ),
        }
    }
}

fn line(charge: &EncounterView) -> String {
    format!(
        "{} {} × {} = {}",
        charge_owner(charge),
        describe(charge),
        charge.units,
        money::format(charge.amount)
    )
}

fn charge_owner(charge: &EncounterView) -> String {
    format!("{} {}", charge.mrn, charge.payer)
}

fn describe(charge: &EncounterView) -> String {
    std::iter::once(charge.procedure_code.as_str())
        .chain(charge.modifiers.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(":")
}

fn issue_note(issue: &Issue) -> String {
    format!("{}: {}", issue.code, issue.message)
}

/// The consequence, as shown before the question.
pub fn consequence_text(correction: &Correction) -> String {
    CorrectionView::of(correction).lines().join("\n")
}

impl View for CorrectionView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        for line in self.lines() {
            out.line(line)?;
        }
        Ok(())
    }
}
