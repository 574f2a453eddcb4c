//! `gsess preview SESSION [--watch] [--fail-on blocking|warning]`: the billing preview,
//! computed by the same rules the claim scrubber uses.

use crate::app::App;
use crate::cli::{FailOn, PreviewArgs};
use crate::db::{session, Scope};
use crate::error::{Error, ExitKind, Result};
use crate::output::session::PreviewView;
use crate::rules::issues::Severity;
use crate::rules::preview::{evaluate_session, Evaluation};
use sqlx::postgres::PgListener;
use sqlx::PgPool;

/// The channel the attendance triggers notify, with the session id as payload.
pub const ATTENDANCE_CHANNEL: &str = "gsess_attendance";

pub async fn run(app: &mut App, args: &PreviewArgs) -> Result<()> {
    let pool = app.pool_with_scope(Scope::Read).await?;
    if args.watch {
        return watch(app, &pool, args.session).await;
    }
    let evaluation = evaluate(&pool, args.session).await?;
    app.out.emit(&PreviewView(evaluation.clone()))?;
    match args.fail_on {
        Some(threshold) => check_threshold(&evaluation, threshold),
        None => Ok(()),
    }
}

async fn evaluate(pool: &PgPool, session_id: i64) -> Result<Evaluation> {
    let record = session::load_session(pool, session_id).await?;
    Ok(evaluate_session(&record.facts()))
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
async fn watch(app: &App, pool: &PgPool, session_id: i64) -> Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(ATTENDANCE_CHANNEL).await?;
    app.out
        .emit_line(&PreviewView(evaluate(pool, session_id).await?))?;
    app.out
        .note("watching for attendance changes (Ctrl-C to stop)");
    let payload = session_id.to_string();
    // Listen for the signals once, before the loop: a signal arriving while re-rendering is
    // then still delivered (a fresh ctrl_c() per pass would miss it).
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    loop {
        tokio::select! {
            notification = listener.recv() => {
                if notification?.payload() == payload {
                    app.out.emit_line(&PreviewView(evaluate(pool, session_id).await?))?;
                }
            }
            _ = interrupt.recv() => return Ok(()),
            _ = terminate.recv() => return Ok(()),
        }
    }
}
