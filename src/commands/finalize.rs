//! `gsess finalize SESSION... | --date D [--facility CODE|all] [--group-type CODE] [--dry-run]
//! [--strict]`: mark every still-SCHEDULED roster and supervisor row ABSENT — exactly the rows
//! it listed, after a confirmation that lists them. The plan goes to stderr, the answer to
//! stdout; `--strict` turns any skipped session into exit 8 for cron alerts.

use crate::app::{App, Prompt};
use crate::cli::FinalizeArgs;
use crate::db::{Gate, Scope};
use crate::error::{Error, ExitKind, Result};
use crate::ops::finalize::{self, FinalizePlan, FinalizeRequest};
use crate::output::finalize::{plan_text, FinalizeView};
use crate::output::progress::Bar;

pub async fn run(app: &mut App, args: &FinalizeArgs) -> Result<()> {
    // The connection and the output are used together: borrow the two fields apart.
    let conn = app
        .db
        .connect(Gate::Ready(Some(Scope::AttendanceWrite)))
        .await?;
    let request = match args.date {
        Some(date) => FinalizeRequest::Day {
            date: date.resolve(),
            facility: args.facility.clone(),
            group_type: args.group_type.clone(),
        },
        None => FinalizeRequest::Sessions(args.sessions.clone()),
    };
    let mut prompt = Prompt::new(&app.out, app.global.yes, show_plan);
    let bar = Bar::new(&app.out, "sessions");
    let report = finalize::finalize(conn, &request, args.dry_run, &mut prompt, &bar).await?;
    app.out.emit(&FinalizeView::of(&report))?;
    let skipped = report.skipped();
    if args.strict && !skipped.is_empty() {
        return Err(Error::new(
            ExitKind::BlockingIssues,
            format!(
                "{} session(s) skipped (--strict): {}",
                skipped.len(),
                skipped
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .with("skipped_session_ids", skipped));
    }
    Ok(())
}

/// The notes of the plan (a login without a home facility), then the plan itself.
fn show_plan(plan: &FinalizePlan) -> String {
    let mut lines = plan.notes.clone();
    lines.push(plan_text(plan));
    lines.join("\n")
}
