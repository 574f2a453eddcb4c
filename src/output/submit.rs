//! `claim submit` and `claim edi`: the interchanges sent, and the stored text.

use super::{Human, View};
use crate::ops::submit::SentInterchange;
use comfy_table::Cell;
use serde::Serialize;
use std::io;

/// `{interchanges: [{interchange_control_number, facility, payer, claims: [id], edi, file}]}`.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionView {
    pub interchanges: Vec<InterchangeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InterchangeView {
    pub interchange_control_number: i64,
    pub facility: String,
    pub payer: String,
    pub claims: Vec<i64>,
    pub edi: String,
    /// Where `--out` wrote it.
    pub file: Option<String>,
}

impl SubmissionView {
    pub fn of(sent: &[SentInterchange], files: &[String]) -> SubmissionView {
        SubmissionView {
            interchanges: sent
                .iter()
                .enumerate()
                .map(|(i, s)| InterchangeView {
                    interchange_control_number: s.interchange_control_number,
                    facility: s.facility.clone(),
                    payer: s.payer.clone(),
                    claims: s.claim_ids.clone(),
                    edi: s.edi.clone(),
                    file: files.get(i).cloned(),
                })
                .collect(),
        }
    }
}

impl View for SubmissionView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.interchanges.is_empty() {
            return out.line("Nothing to send: no claim is waiting.");
        }
        // Without --out the answer is the EDI itself, one interchange after another.
        if self.interchanges.iter().all(|i| i.file.is_none()) {
            for interchange in &self.interchanges {
                out.raw(&interchange.edi)?;
            }
            return Ok(());
        }
        let rows = self
            .interchanges
            .iter()
            .map(|i| {
                let claims: Vec<String> = i.claims.iter().map(i64::to_string).collect();
                vec![
                    Cell::new(format!("{:09}", i.interchange_control_number)),
                    Cell::new(&i.facility),
                    Cell::new(&i.payer),
                    Cell::new(claims.join(", ")),
                    Cell::new(i.file.clone().unwrap_or_default()),
                ]
            })
            .collect();
        out.table(
            &["interchange", "facility", "payer", "claims", "file"],
            rows,
        )
    }
}

/// A stored interchange, exactly as sent (`{"edi": "..."}` in JSON).
#[derive(Debug, Clone, Serialize)]
pub struct EdiText {
    pub edi: String,
}

impl View for EdiText {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.raw(&self.edi)
    }
}
