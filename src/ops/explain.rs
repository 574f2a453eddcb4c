//! For support engineers: how the preview got its answer — each member's coverage choice and
//! why, the rule rows in effect for each payer judged and which ones were applied. The same
//! rules functions the preview calls answer each question, so the explanation cannot
//! disagree with the preview.

use super::session;
use crate::error::Result;
use crate::model::SessionRecord;
use crate::rules::coverage::{select_primary, Policy};
use crate::rules::lookup::select_rules;
use crate::rules::preview::Evaluation;
use crate::rules::{SizeBand, SupervisionRule};
use sqlx::PgConnection;

#[derive(Debug, Clone)]
pub struct Explanation {
    pub record: SessionRecord,
    pub evaluation: Evaluation,
    /// For each roster row, in roster order: the primary policy chosen (if any) and why.
    pub coverage: Vec<(Option<Policy>, String)>,
    /// For every payer the preview judged, the rows in effect (the session's group type's
    /// own rows, else the generic ones).
    pub rules: Vec<RuleMatch>,
}

#[derive(Debug, Clone)]
pub enum MatchedRow {
    Supervision(SupervisionRule),
    Band(SizeBand),
}

#[derive(Debug, Clone)]
pub struct RuleMatch {
    pub row: MatchedRow,
    /// The row the preview used for its payer (the chosen band, the ratio rule).
    pub applied: bool,
}

pub async fn explain(conn: &mut PgConnection, session_id: i64) -> Result<Explanation> {
    let record = session::load(conn, session_id).await?;
    Ok(explanation(record))
}

pub fn explanation(record: SessionRecord) -> Explanation {
    let evaluation = session::evaluate(&record);
    let coverage = record
        .roster
        .iter()
        .map(|entry| {
            let (policy, why) = select_primary(&entry.policies, record.local_date);
            (policy.cloned(), why)
        })
        .collect();
    let rules = matched_rules(&record, &evaluation);
    Explanation {
        record,
        evaluation,
        coverage,
        rules,
    }
}

fn matched_rules(record: &SessionRecord, evaluation: &Evaluation) -> Vec<RuleMatch> {
    let (state, group_type, date) = (
        &record.facility_state,
        &record.group_type,
        record.local_date,
    );
    let mut matches = Vec::new();
    for payer in evaluation.payers.iter().filter(|p| p.billable) {
        let rules = select_rules(
            &record.supervision_rules,
            &payer.payer,
            state,
            group_type,
            date,
        );
        matches.extend(rules.into_iter().map(|rule| RuleMatch {
            applied: payer.supervision.is_some_and(|s| s.rule_id == rule.id),
            row: MatchedRow::Supervision(rule.clone()),
        }));
        let bands = select_rules(&record.size_bands, &payer.payer, state, group_type, date);
        matches.extend(bands.into_iter().map(|band| RuleMatch {
            applied: payer.band.as_ref().is_some_and(|b| b.id == band.id),
            row: MatchedRow::Band(band.clone()),
        }));
    }
    matches
}
