//! `gsess preview SESSION [--watch] [--fail-on blocking|warning]`: the billing preview,
//! computed by the same rules the claim scrubber uses.

use crate::app::App;
use crate::cli::{FailOn, PreviewArgs};
use crate::db::{Gate, Scope};
use crate::error::{Error, ExitKind, Result};
use crate::ops::session;
use crate::output::preview::PreviewView;
use crate::rules::issues::Severity;
use crate::rules::preview::Evaluation;

pub async fn run(app: &mut App, args: &PreviewArgs) -> Result<()> {
    if args.watch {
        return watch(app, args.session).await;
    }
    let conn = app.connect(Scope::Read).await?;
    let evaluation = session::preview(conn, args.session).await?;
    app.out.emit(&PreviewView(evaluation.clone()))?;
    match args.fail_on {
        Some(threshold) => check_threshold(&evaluation, threshold),
        None => Ok(()),
    }
}

/// Exit 8 when an unaccepted issue at or above the threshold remains.
fn check_threshold(evaluation: &Evaluation, threshold: FailOn) -> Result<()> {
    let failing: Vec<&str> = evaluation
        .issues
        .iter()
        .filter(|i| !i.accepted)
        .filter(|i| threshold == FailOn::Warning || i.severity == Severity::Blocking)
        .map(|i| i.code.as_str())
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ExitKind::BlockingIssues,
        format!(
            "session {} has {} unaccepted issue(s) at --fail-on {}: {}",
            evaluation.session_id,
            failing.len(),
            match threshold {
                FailOn::Blocking => "blocking",
                FailOn::Warning => "warning",
            },
            failing.join(", ")
        ),
    )
    .with("issues", failing))
}

/// LISTEN first, then render, so no change between the two is missed; re-render on every
/// notification for this session until Ctrl-C or SIGTERM.
async fn watch(app: &mut App, session_id: i64) -> Result<()> {
    app.connect(Scope::Read).await?;
    let mut feed = app.db.attendance_feed().await?;
    let conn = app.db.connect(Gate::Ready(Some(Scope::Read))).await?;
    app.out
        .emit_line(&PreviewView(session::preview(conn, session_id).await?))?;
    app.out
        .note("watching for attendance changes (Ctrl-C to stop)");
    // Listen for the signals once, before the loop: a signal arriving while re-rendering is
    // then still delivered (a fresh ctrl_c() per pass would miss it).
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    loop {
        tokio::select! {
            changed = feed.next() => {
                if changed? == session_id {
                    let evaluation = session::preview(conn, session_id).await?;
                    app.out.emit_line(&PreviewView(evaluation))?;
                }
            }
            _ = interrupt.recv() => return Ok(()),
            _ = terminate.recv() => return Ok(()),
        }
    }
}
