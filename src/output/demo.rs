//! `demo`: the tour, each step the command as typed and what it answered.

use super::attendance::MarkView;
use super::audit::AuditView;
use super::billing::{ClaimView, RunView};
use super::corrections::CorrectionView;
use super::finalize::FinalizeView;
use super::import::ImportView;
use super::list::ListView;
use super::preview::AcceptView;
use super::session::ShowView;
use super::submit::SubmissionView;
use super::{Human, View};
use serde::Serialize;
use std::io;

#[derive(Debug, Serialize)]
pub struct DemoView {
    pub date: String,
    /// An earlier demo's data was dropped first.
    pub reset: bool,
    pub imported: ImportView,
    /// The tour: each command as typed, and what it answered.
    pub steps: Vec<Step>,
    pub next_steps: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Step {
    pub command: String,
    /// What to notice in the answer.
    pub about: String,
    pub result: StepResult,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum StepResult {
    List(ListView),
    Mark(MarkView),
    Accept(AcceptView),
    Finalize(FinalizeView),
    Show(Box<ShowView>),
    Billing(RunView),
    Claim(Box<ClaimView>),
    Submission(SubmissionView),
    Correction(Box<CorrectionView>),
    Audit(AuditView),
}

impl StepResult {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        match self {
            StepResult::List(view) => view.render(out),
            StepResult::Mark(view) => view.render(out),
            StepResult::Accept(view) => view.render(out),
            StepResult::Finalize(view) => view.render(out),
            StepResult::Show(view) => view.render(out),
            StepResult::Billing(view) => view.render(out),
            StepResult::Claim(view) => view.render(out),
            StepResult::Submission(view) => view.render(out),
            StepResult::Correction(view) => view.render(out),
            StepResult::Audit(view) => view.render(out),
        }
    }
}

impl View for DemoView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.reset {
            out.line(
                "Started the demo afresh: the embedded database held an earlier demo, now dropped.",
            )?;
        }
        out.line(format!(
            "Loaded the demo dataset (three clinics: Portland OR, Boise ID, Phoenix AZ) for {} \
             into the embedded database.",
            self.date
        ))?;
        for step in &self.steps {
            out.line(format!("\n$ {}\n# {}", step.command, step.about))?;
            step.result.render(out)?;
        }
        out.line("\nTry next:")?;
        for step in &self.next_steps {
            out.line(format!("  {step}"))?;
        }
        Ok(())
    }
}
