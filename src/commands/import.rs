//! `gsess import FILE|- [--dry-run]` (SPEC §8): read the document, validate it against itself
//! and the database, upsert it section by section in one transaction, audit it, report what
//! was created, updated, left unchanged and kept. Needs `gsess.admin`.

use crate::app::App;
use crate::cli::ImportArgs;
use crate::dataset::{apply, validate, Counts, Document, Kept, Outcome};
use crate::db::Scope;
use crate::error::{Error, ExitKind, Result};
use crate::output::{Human, View};
use comfy_table::Cell;
use serde::ser::{Serialize, SerializeMap, Serializer};
use sqlx::PgPool;
use std::io;
use std::path::Path;
use std::time::Instant;

/// Per-section numbers, serialised as an object in section order.
#[derive(Debug)]
pub struct SectionCounts(pub Vec<(&'static str, i64)>);

impl Serialize for SectionCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (section, n) in &self.0 {
            map.serialize_entry(section, n)?;
        }
        map.end()
    }
}

#[derive(Debug, serde::Serialize)]
pub struct ImportView {
    pub created: SectionCounts,
    pub updated: SectionCounts,
    pub unchanged: SectionCounts,
    /// Roster rows taken off re-imported sessions (`participants` only).
    pub removed: SectionCounts,
    pub kept: Vec<Kept>,
    pub dry_run: bool,
}

impl ImportView {
    pub fn new(outcome: &Outcome, dry_run: bool) -> ImportView {
        let by = |pick: fn(&Counts) -> i64| {
            SectionCounts(
                outcome
                    .sections
                    .iter()
                    .map(|(section, counts)| (section.name(), pick(counts)))
                    .collect(),
            )
        };
        ImportView {
            created: by(|c| c.created),
            updated: by(|c| c.updated),
            unchanged: by(|c| c.unchanged),
            removed: SectionCounts(
                outcome
                    .sections
                    .iter()
                    .filter(|(section, _)| *section == crate::dataset::Section::Participants)
                    .map(|(section, counts)| (section.name(), counts.removed))
                    .collect(),
            ),
            kept: outcome.kept.clone(),
            dry_run,
        }
    }
}

impl View for ImportView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        if self.created.0.is_empty() {
            return out.line("the document has no sections: nothing to import");
        }
        let removed = |section: &str| {
            self.removed
                .0
                .iter()
                .find(|(s, _)| *s == section)
                .map_or_else(String::new, |(_, n)| n.to_string())
        };
        let rows = self
            .created
            .0
            .iter()
            .zip(&self.updated.0)
            .zip(&self.unchanged.0)
            .map(|(((section, created), (_, updated)), (_, unchanged))| {
                vec![
                    Cell::new(section),
                    Cell::new(created),
                    Cell::new(updated),
                    Cell::new(unchanged),
                    Cell::new(removed(section)),
                ]
            })
            .collect();
        out.table(
            &["section", "created", "updated", "unchanged", "removed"],
            rows,
        )?;
        for kept in &self.kept {
            out.line(format!("kept {}: {}", kept.path, kept.reason))?;
        }
        Ok(())
    }
}

pub async fn run(app: &mut App, args: &ImportArgs) -> Result<()> {
    let pool = app.pool_with_scope(Scope::Admin).await?;
    let started = Instant::now();
    let document = read(&args.file)?;
    app.out
        .detail(format!("parsed the document in {:.2?}", started.elapsed()));
    let view =
        import_document(app, &pool, document, args.dry_run, &source_name(&args.file)).await?;
    app.out.emit(&view)?;
    if args.dry_run {
        app.out.note("dry run: nothing was changed");
    }
    Ok(())
}

/// Validate and apply a parsed document in one transaction (rolled back on a dry run) and
/// audit it: the path every import takes, `gsess import` and `gsess demo` alike.
pub async fn import_document(
    app: &App,
    pool: &PgPool,
    mut document: Document,
    dry_run: bool,
    source: &str,
) -> Result<ImportView> {
    let mut tx = pool.begin().await?;
    let step = Instant::now();
    let known = apply::lookup(&mut tx, &validate::outside_references(&document)).await?;
    validate::validate(&mut document, &known)?;
    drop(known);
    app.out
        .detail(format!("validated in {:.2?}", step.elapsed()));
    let step = Instant::now();
    let outcome = apply::apply(&mut tx, &document).await?;
    drop(document);
    app.out.detail(format!("applied in {:.2?}", step.elapsed()));
    let view = ImportView::new(&outcome, dry_run);
    if dry_run {
        tx.rollback().await?;
    } else {
        let mut summary = serde_json::to_value(&view)
            .map_err(|e| Error::internal(format!("import summary: {e}")))?;
        summary["source"] = source.into();
        apply::audit(&mut tx, &summary).await?;
        tx.commit().await?;
    }
    Ok(view)
}

fn source_name(file: &Path) -> String {
    if file.as_os_str() == "-" {
        "stdin".to_owned()
    } else {
        file.display().to_string()
    }
}

/// The document from a file or, for `-`, standard input — streamed, never read whole.
fn read(file: &Path) -> Result<Document> {
    if file.as_os_str() == "-" {
        return Document::from_reader(io::stdin().lock());
    }
    let opened = std::fs::File::open(file).map_err(|err| {
        Error::new(
            ExitKind::InvalidInput,
            format!("cannot open {}: {err}", file.display()),
        )
        .with("field", "FILE")
    })?;
    Document::from_reader(opened)
}
