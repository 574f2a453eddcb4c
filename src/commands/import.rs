//! `gsess import FILE|- [--dry-run]`: read the document, validate it against itself and the
//! database, upsert it section by section in one transaction, audit it, report what was
//! created, updated, left unchanged and kept. Needs `gsess.admin`.

use crate::app::App;
use crate::cli::ImportArgs;
use crate::dataset::Document;
use crate::db::Scope;
use crate::error::{Error, ExitKind, Result};
use crate::ops::import;
use crate::output::import::ImportView;
use std::io;
use std::path::Path;
use std::time::Instant;

pub async fn run(app: &mut App, args: &ImportArgs) -> Result<()> {
    let conn = app.connect(Scope::Admin).await?;
    let started = Instant::now();
    let document = read(&args.file)?;
    let parsed_in = started.elapsed();
    let imported = import::import(conn, document, args.dry_run, &source_name(&args.file)).await?;
    app.out
        .detail(format!("parsed the document in {parsed_in:.2?}"));
    app.out
        .detail(format!("validated in {:.2?}", imported.validated_in));
    app.out
        .detail(format!("applied in {:.2?}", imported.applied_in));
    app.out.emit(&ImportView::of(&imported))?;
    if args.dry_run {
        app.out.note("dry run: nothing was changed");
    }
    Ok(())
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
