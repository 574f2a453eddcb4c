//! What the billing run prices for a session and what it holds back, from the preview's own
//! evaluation: one charge per billable member with coverage whose payer can be priced (the
//! rules' `wanted_charges`), and, in words for the operator, each reason something billable
//! was not charged.

use crate::rules::preview::{wanted_charges, Evaluation, WantedCharge};
use crate::rules::{IssueCode, SessionFacts};

/// A session's charges as the rules price them, and why anything billable is held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pricing {
    pub charges: Vec<WantedCharge>,
    pub held: Vec<String>,
}

pub fn price(facts: &SessionFacts, evaluation: &Evaluation) -> Pricing {
    let mut held = Vec::new();
    for payer in evaluation.payers.iter().filter(|p| p.billable) {
        match &payer.band {
            None => {
                let why = evaluation
                    .issues
                    .iter()
                    .find(|i| {
                        i.payer.as_deref() == Some(payer.payer.as_str())
                            && matches!(
                                i.code,
                                IssueCode::GroupSizeBelowMinimum | IssueCode::NoSizeBands
                            )
                    })
                    .map_or_else(String::new, |i| format!(": {} ({})", i.code, i.arithmetic));
                held.push(format!("payer {} cannot be priced{why}", payer.payer));
            }
            Some(band) if band.units == 0 => held.push(format!(
                "payer {}: {} bills per {} minutes and the session is too short for one unit",
                payer.payer,
                band.procedure_code,
                band.unit_minutes.unwrap_or_default()
            )),
            Some(_) => {}
        }
    }
    let uncovered: Vec<&str> = evaluation
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::NoCoverage)
        .filter_map(|i| i.mrn.as_deref())
        .collect();
    if !uncovered.is_empty() {
        held.push(format!(
            "no primary coverage on {} for {}: no claim for them",
            facts.local_date,
            uncovered.join(", ")
        ));
    }
    Pricing {
        charges: wanted_charges(facts),
        held,
    }
}
