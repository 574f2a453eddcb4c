//! `billing run` (and each pass of `billing watch`), `claims`, `claim show`, `encounters`.

use super::preview::issue_row;
use super::session::local_time;
use super::{Human, View};
use crate::model::{ChainLink, ClaimRecord, Encounter};
use crate::ops::billing::{RunReport, SessionBilling};
use crate::rules::{money, Issue, Severity};
use crate::time::facility_zone;
use comfy_table::{Cell, Color};
use rust_decimal::Decimal;
use serde::Serialize;
use std::io;

/// One session of a billing run: `{id, charges_built, claims_built, held: reason | null, …}`.
#[derive(Debug, Clone, Serialize)]
pub struct SessionBillingView {
    pub id: i64,
    pub charges_built: usize,
    pub charges_voided: usize,
    pub claims_built: usize,
    /// Why something billable was held back, `null` when nothing was.
    pub held: Option<String>,
    pub charge_ids: Vec<i64>,
    pub voided_charge_ids: Vec<i64>,
    pub claim_ids: Vec<i64>,
}

impl SessionBillingView {
    fn of(session: &SessionBilling) -> SessionBillingView {
        SessionBillingView {
            id: session.id,
            charges_built: session.charges_built.len(),
            charges_voided: session.charges_voided.len(),
            claims_built: session.claims_built.len(),
            held: (!session.held.is_empty()).then(|| session.held.join("; ")),
            charge_ids: session.charges_built.clone(),
            voided_charge_ids: session.charges_voided.clone(),
            claim_ids: session.claims_built.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RunView {
    pub as_of: String,
    pub dry_run: bool,
    pub sessions: Vec<SessionBillingView>,
    pub charges_built: usize,
    pub claims_built: usize,
    pub held_count: usize,
    pub audit_id: Option<i64>,
}

impl RunView {
    pub fn of(report: &RunReport) -> RunView {
        let sessions: Vec<SessionBillingView> =
            report.sessions.iter().map(SessionBillingView::of).collect();
        RunView {
            as_of: report.as_of.to_rfc3339(),
            dry_run: report.dry_run,
            charges_built: sessions.iter().map(|s| s.charges_built).sum(),
            claims_built: sessions.iter().map(|s| s.claims_built).sum(),
            held_count: sessions.iter().filter(|s| s.held.is_some()).count(),
            audit_id: report.audit_id,
            sessions,
        }
    }
}

impl View for RunView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.sessions.is_empty() {
            return out.line(format!("Nothing to bill as of {}.", self.as_of));
        }
        let rows = self
            .sessions
            .iter()
            .map(|s| {
                vec![
                    Cell::new(s.id),
                    Cell::new(s.charges_built),
                    Cell::new(s.charges_voided),
                    Cell::new(s.claims_built),
                    match &s.held {
                        Some(reason) => out.colored(reason.clone(), Color::Yellow),
                        None => Cell::new(""),
                    },
                ]
            })
            .collect();
        out.table(
            &[
                "session",
                "charges built",
                "voided",
                "claims built",
                "held back",
            ],
            rows,
        )?;
        out.line(format!(
            "{}{} charge(s) and {} claim(s) built in {} session(s); {} held back.",
            if self.dry_run {
                "Dry run (rolled back): "
            } else {
                ""
            },
            self.charges_built,
            self.claims_built,
            self.sessions.len(),
            self.held_count
        ))
    }
}

/// A claim: `{id, session_id, mrn, payer, frequency_code, status, amount, original_claim_id,
/// lines: [{charge_id, procedure_code, modifiers, amount, units}], issues: [...], chain}`.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub id: i64,
    pub session_id: i64,
    pub date: String,
    pub facility: String,
    pub mrn: String,
    pub member_name: String,
    pub payer: String,
    pub frequency_code: String,
    pub status: String,
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    pub claim_control_number: String,
    pub original_claim_id: Option<i64>,
    pub replaces_claim_id: Option<i64>,
    pub payer_claim_number: Option<String>,
    pub built_at: String,
    pub submitted_at: Option<String>,
    pub lines: Vec<LineView>,
    /// The Validation list: the scrubber's issues, with their arithmetic as scrubbed.
    pub issues: Vec<Issue>,
    pub validation: Validation,
    pub chain: Vec<ChainView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub charge_id: i64,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    pub units: i64,
}

/// The Validation list at a glance.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Validation {
    /// Unaccepted BLOCKING issues: the claim cannot be submitted while any remain.
    pub blocking: usize,
    pub warnings: usize,
    pub accepted: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChainView {
    pub id: i64,
    pub frequency_code: String,
    pub status: String,
    pub claim_control_number: String,
    pub payer_claim_number: Option<String>,
}

impl ClaimView {
    pub fn of(claim: &ClaimRecord) -> ClaimView {
        let tz = facility_zone(&claim.timezone);
        let count = |pick: fn(&Issue) -> bool| claim.issues.iter().filter(|i| pick(i)).count();
        ClaimView {
            id: claim.id,
            session_id: claim.session_id,
            date: claim.local_date.to_string(),
            facility: claim.facility.clone(),
            mrn: claim.mrn.clone(),
            member_name: claim.member_name.clone(),
            payer: claim.payer.clone(),
            frequency_code: claim.frequency_code.clone(),
            status: claim.status.clone(),
            amount: claim.amount,
            claim_control_number: claim.claim_control_number.clone(),
            original_claim_id: claim.original_claim_id,
            replaces_claim_id: claim.replaces_claim_id,
            payer_claim_number: claim.payer_claim_number.clone(),
            built_at: local_time(claim.built_at, tz),
            submitted_at: claim.submitted_at.map(|at| local_time(at, tz)),
            lines: claim
                .lines
                .iter()
                .map(|l| LineView {
                    charge_id: l.charge_id,
                    procedure_code: l.procedure_code.clone(),
                    modifiers: l.modifiers.clone(),
                    amount: l.amount,
                    units: l.units,
                })
                .collect(),
            issues: claim.issues.clone(),
            validation: Validation {
                blocking: count(Issue::is_blocking),
                warnings: count(|i| i.severity == Severity::Warning && !i.accepted),
                accepted: count(|i| i.accepted),
            },
            chain: claim.chain.iter().map(ChainView::of).collect(),
        }
    }

    fn validation_summary(&self) -> String {
        let v = self.validation;
        if self.issues.is_empty() {
            return "clean".to_owned();
        }
        let mut parts = Vec::new();
        if v.blocking > 0 {
            parts.push(format!("{} blocking", v.blocking));
        }
        if v.warnings > 0 {
            parts.push(format!("{} warning(s)", v.warnings));
        }
        if v.accepted > 0 {
            parts.push(format!("{} accepted", v.accepted));
        }
        parts.join(", ")
    }
}

impl ChainView {
    fn of(link: &ChainLink) -> ChainView {
        ChainView {
            id: link.id,
            frequency_code: link.frequency_code.clone(),
            status: link.status.clone(),
            claim_control_number: link.claim_control_number.clone(),
            payer_claim_number: link.payer_claim_number.clone(),
        }
    }
}

/// `claims`: a JSON array of claims.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct ClaimsView(pub Vec<ClaimView>);

impl View for ClaimsView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.0.is_empty() {
            return out.line("No claims.");
        }
        let rows = self
            .0
            .iter()
            .map(|c| {
                let summary = c.validation_summary();
                let color = if c.validation.blocking > 0 {
                    Color::Red
                } else {
                    Color::Green
                };
                vec![
                    Cell::new(c.id),
                    Cell::new(c.session_id),
                    Cell::new(&c.date),
                    Cell::new(&c.mrn),
                    Cell::new(&c.payer),
                    Cell::new(&c.frequency_code),
                    Cell::new(&c.status),
                    Cell::new(money::format(c.amount)),
                    out.colored(summary, color),
                ]
            })
            .collect();
        out.table(
            &[
                "claim",
                "session",
                "date",
                "mrn",
                "payer",
                "freq",
                "status",
                "amount",
                "validation",
            ],
            rows,
        )
    }
}

impl View for ClaimView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Claim {} ({}) — session {} on {} at {} · {} ({}) · payer {} · frequency {} · {}",
            self.id,
            self.claim_control_number,
            self.session_id,
            self.date,
            self.facility,
            self.mrn,
            self.member_name,
            self.payer,
            self.frequency_code,
            self.status
        ))?;
        out.line("")?;
        let lines = self
            .lines
            .iter()
            .map(|l| {
                let code = std::iter::once(l.procedure_code.as_str())
                    .chain(l.modifiers.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(":");
                vec![
                    Cell::new(l.charge_id),
                    Cell::new(code),
                    Cell::new(l.units),
                    Cell::new(money::format(l.amount)),
                ]
            })
            .collect();
        out.table(&["charge", "procedure", "units", "amount"], lines)?;
        out.line(format!("Total: {}", money::format(self.amount)))?;
        out.line("")?;
        out.line(format!("Validation ({})", self.validation_summary()))?;
        if !self.issues.is_empty() {
            let rows = self.issues.iter().map(|i| issue_row(out, i)).collect();
            out.table(&["severity", "code", "for", "arithmetic", "message"], rows)?;
        }
        out.line("")?;
        out.line("Chain")?;
        let rows = self
            .chain
            .iter()
            .map(|c| {
                vec![
                    Cell::new(c.id),
                    Cell::new(&c.frequency_code),
                    Cell::new(&c.status),
                    Cell::new(&c.claim_control_number),
                    Cell::new(c.payer_claim_number.as_deref().unwrap_or("—")),
                ]
            })
            .collect();
        out.table(
            &["claim", "freq", "status", "CLM01", "payer claim number"],
            rows,
        )
    }
}

/// One of a member's charges: `{charge_id, session_id, date, procedure_code, modifiers,
/// amount, status}`.
#[derive(Debug, Clone, Serialize)]
pub struct EncounterView {
    pub charge_id: i64,
    pub session_id: i64,
    pub mrn: String,
    pub date: String,
    pub facility: String,
    pub payer: String,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub units: i64,
    #[serde(serialize_with = "money::serialize")]
    pub rate: Decimal,
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
    /// `ACTIVE` or `VOID`.
    pub status: String,
    pub voided_at: Option<String>,
    pub claim_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct EncountersView(pub Vec<EncounterView>);

impl EncountersView {
    pub fn of(encounters: &[Encounter]) -> EncountersView {
        EncountersView(
            encounters
                .iter()
                .map(|e| EncounterView {
                    charge_id: e.charge_id,
                    session_id: e.session_id,
                    mrn: e.mrn.clone(),
                    date: e.local_date.to_string(),
                    facility: e.facility.clone(),
                    payer: e.payer.clone(),
                    procedure_code: e.procedure_code.clone(),
                    modifiers: e.modifiers.clone(),
                    units: e.units,
                    rate: e.rate,
                    amount: e.amount,
                    status: e.status.clone(),
                    voided_at: e
                        .voided_at
                        .map(|at| local_time(at, facility_zone(&e.timezone))),
                    claim_id: e.claim_id,
                })
                .collect(),
        )
    }
}

impl View for EncountersView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.0.is_empty() {
            return out.line("No charges.");
        }
        let rows = self
            .0
            .iter()
            .map(|e| {
                let status = if e.status == "VOID" {
                    out.colored("VOID", Color::DarkGrey)
                } else {
                    Cell::new(&e.status)
                };
                vec![
                    Cell::new(e.charge_id),
                    Cell::new(&e.date),
                    Cell::new(e.session_id),
                    Cell::new(&e.payer),
                    Cell::new(
                        std::iter::once(e.procedure_code.as_str())
                            .chain(e.modifiers.iter().map(String::as_str))
                            .collect::<Vec<_>>()
                            .join(":"),
                    ),
                    Cell::new(e.units),
                    Cell::new(money::format(e.amount)),
                    status,
                    Cell::new(e.claim_id.map_or("—".to_owned(), |id| id.to_string())),
                ]
            })
            .collect();
        out.table(
            &[
                "charge",
                "date",
                "session",
                "payer",
                "procedure",
                "units",
                "amount",
                "status",
                "claim",
            ],
            rows,
        )
    }
}
