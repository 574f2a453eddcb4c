//! `demo`: the tour, each step the command as typed and what it answered.

use super::attendance::MarkView;
use super::finalize::FinalizeView;
use super::import::ImportView;
use super::list::ListView;
use super::session::ShowView;
use super::{Human, View};
use serde::Serialize;
use std::io;

#[derive(Debug, Serialize)]
pub struct DemoView {
    pub date: String,
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
    Finalize(FinalizeView),
    Show(Box<ShowView>),
}

impl StepResult {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        match self {
            StepResult::List(view) => view.render(out),
            StepResult::Mark(view) => view.render(out),
            StepResult::Finalize(view) => view.render(out),
            StepResult::Show(view) => view.render(out),
        }
    }
}

impl View for DemoView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Loaded the demo dataset (North Clinic, Portland OR) for {} into the embedded database.",
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
