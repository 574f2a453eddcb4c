//! Loading a dataset document: validate it against itself and the database, upsert it
//! section by section in one transaction (rolled back on a dry run), audit it.

use crate::dataset::{validate, Document, ImportOutcome};
use crate::db::import::{self as sql, SectionError};
use crate::db::{self, Retry};
use crate::error::{Error, ExitKind, Result};
use sqlx::PgConnection;
use std::time::{Duration, Instant};

/// What an import did, and how long its steps took (for `-v`).
#[derive(Debug, Clone)]
pub struct Imported {
    pub outcome: ImportOutcome,
    pub dry_run: bool,
    pub validated_in: Duration,
    pub applied_in: Duration,
}

/// Validate and apply a parsed document in one transaction and audit it, naming where the
/// document came from (`source`): the path every import takes, `gsess import` and `gsess
/// demo` alike. A dry run does all of it but the audit, then rolls it back.
pub async fn import(
    conn: &mut PgConnection,
    mut document: Document,
    dry_run: bool,
    source: &str,
) -> Result<Imported> {
    let body = async |tx: &mut PgConnection| {
        let step = Instant::now();
        let known = sql::lookup(tx, &validate::outside_references(&document)).await?;
        // Normalising is idempotent, so a second attempt validates the same document.
        validate::validate(&mut document, &known)?;
        let validated_in = step.elapsed();
        let step = Instant::now();
        let outcome = sql::apply(tx, &document).await.map_err(refused)?;
        let applied_in = step.elapsed();
        if !dry_run {
            let mut summary = serde_json::to_value(&outcome)
                .map_err(|e| Error::internal(format!("import summary: {e}")))?;
            summary["dry_run"] = false.into();
            summary["source"] = source.into();
            sql::audit(tx, &summary).await?;
        }
        super::pause_point("import-before-commit").await;
        Ok(Imported {
            outcome,
            dry_run,
            validated_in,
            applied_in,
        })
    };
    if dry_run {
        db::rehearsal(conn, Retry::CONFLICTS, body).await
    } else {
        db::transaction(conn, Retry::CONFLICTS, body).await
    }
}

/// A database refusal while writing a section is exit 10 naming the section, nothing written.
fn refused(failure: SectionError) -> Error {
    let err = Error::from(failure.error);
    let sqlstate = err.sqlstate.clone().unwrap_or_default();
    let data_problem = matches!(
        err.kind,
        ExitKind::InvalidInput
            | ExitKind::IllegalTransition
            | ExitKind::Locked
            | ExitKind::NotFound
    ) || sqlstate.starts_with("22")
        || sqlstate.starts_with("23");
    if !data_problem {
        return err;
    }
    let mapped = Error::invalid(
        format!("$.{}", failure.section.name()),
        format!(
            "the database refused the rows: {}; nothing was imported",
            err.message
        ),
    );
    if sqlstate.is_empty() {
        mapped
    } else {
        mapped.with_sqlstate(sqlstate)
    }
}
