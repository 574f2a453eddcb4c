//! `import`: what was created, updated, left unchanged, removed and kept, per section.

use super::{Human, View};
use crate::dataset::{ImportOutcome, Section};
use crate::ops::import::Imported;
use comfy_table::Cell;
use serde::Serialize;
use std::io;

/// `{created: {section: n}, updated, unchanged, removed: {participants: n}, kept, dry_run}`.
#[derive(Debug, Serialize)]
pub struct ImportView {
    #[serde(flatten)]
    pub outcome: ImportOutcome,
    pub dry_run: bool,
}

impl ImportView {
    pub fn of(imported: &Imported) -> ImportView {
        ImportView {
            outcome: imported.outcome.clone(),
            dry_run: imported.dry_run,
        }
    }
}

impl View for ImportView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.outcome.sections.is_empty() {
            return out.line("the document has no sections: nothing to import");
        }
        let rows = self
            .outcome
            .sections
            .iter()
            .map(|(section, counts)| {
                let removed = if *section == Section::Participants {
                    counts.removed.to_string()
                } else {
                    String::new()
                };
                vec![
                    Cell::new(section.name()),
                    Cell::new(counts.created),
                    Cell::new(counts.updated),
                    Cell::new(counts.unchanged),
                    Cell::new(removed),
                ]
            })
            .collect();
        out.table(
            &["section", "created", "updated", "unchanged", "removed"],
            rows,
        )?;
        for kept in &self.outcome.kept {
            out.line(format!("kept {}: {}", kept.path, kept.reason))?;
        }
        Ok(())
    }
}
