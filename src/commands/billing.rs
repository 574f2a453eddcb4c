//! `gsess billing run [--as-of T] [--grace D] [--claim-delay D] [--session ID]... [--dry-run]
//! [--strict]` and `gsess billing watch [--grace D] [--claim-delay D]`.
//!
//! `watch` is a long-running worker (a systemd service): it bills, then sleeps until the next
//! session end (or claim delay) falls due or an attendance change is committed, and bills
//! again. SIGINT or SIGTERM let the batch in hand finish, then it exits 0. When the database
//! goes away it says so on stderr and reconnects, waiting longer each time (up to 30 s).

use crate::app::App;
use crate::cli::{BillingCommand, BillingRunArgs, BillingWatchArgs};
use crate::db::{self, Scope};
use crate::error::{Error, ExitKind, Result};
use crate::ops::billing::{self, RunRequest};
use crate::ops::Silent;
use crate::output::billing::RunView;
use crate::output::progress::Bar;
use crate::time::{parse_time, user_zone, TimeError};
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub async fn run(app: &mut App, command: &BillingCommand) -> Result<()> {
    match command {
        BillingCommand::Run(args) => run_once(app, args).await,
        BillingCommand::Watch(args) => watch(app, args).await,
    }
}

async fn run_once(app: &mut App, args: &BillingRunArgs) -> Result<()> {
    let as_of = match &args.as_of {
        None => Utc::now(),
        Some(text) => parse_time(text, user_zone())
            .map_err(|e| match e {
                // A time that does not parse is a usage error (exit 2), as an unreadable date is.
                TimeError::Unparseable { .. } => {
                    Error::new(ExitKind::Usage, format!("--as-of: {e}"))
                }
                _ => Error::invalid("--as-of", e),
            })?
            .with_timezone(&Utc),
    };
    let request = RunRequest {
        as_of,
        grace: chrono_duration(args.grace),
        claim_delay: chrono_duration(args.claim_delay),
        sessions: args.sessions.clone(),
        dry_run: args.dry_run,
    };
    let bar = Bar::new(&app.out, "sessions");
    let conn = app
        .db
        .connect(db::Gate::Ready(Some(Scope::BillingRun)))
        .await?;
    let report = billing::run(conn, &request, &bar, &|| false).await?;
    app.out.emit(&RunView::of(&report))?;
    let held = report.held();
    if args.strict && !held.is_empty() {
        let list: Vec<String> = held.iter().map(i64::to_string).collect();
        return Err(Error::new(
            ExitKind::BlockingIssues,
            format!(
                "{} session(s) held back (--strict): {}",
                held.len(),
                list.join(", ")
            ),
        )
        .with("held_session_ids", held));
    }
    Ok(())
}

fn chrono_duration(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// The longest a watcher sleeps without looking (a session ending far away, a missed
/// notification).
const MAX_SLEEP: Duration = Duration::from_secs(300);
/// Changes that commit together are billed together.
const SETTLE: Duration = Duration::from_millis(300);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

async fn watch(app: &mut App, args: &BillingWatchArgs) -> Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let wake = Arc::new(Notify::new());
    listen_for_signals(stop.clone(), wake.clone())?;
    let (grace, claim_delay) = (
        chrono_duration(args.grace),
        chrono_duration(args.claim_delay),
    );
    let mut backoff = Duration::from_secs(1);
    app.out
        .note("billing watch: billing ended sessions as they end (SIGINT or SIGTERM to stop)");
    while !stop.load(Ordering::SeqCst) {
        match pass(app, grace, claim_delay, &stop, &wake).await {
            Ok(()) => backoff = Duration::from_secs(1),
            Err(err) if err.kind == ExitKind::Unavailable => {
                app.db.close().await;
                app.out.note(format!(
                    "billing watch: the database is unavailable ({}); reconnecting in {} s",
                    err.message,
                    backoff.as_secs()
                ));
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = wake.notified() => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(err) => return Err(err),
        }
    }
    app.out.note("billing watch: stopped");
    Ok(())
}

/// Connect (again), listen, and bill until the connection fails or a stop is asked.
async fn pass(
    app: &mut App,
    grace: chrono::Duration,
    claim_delay: chrono::Duration,
    stop: &AtomicBool,
    wake: &Notify,
) -> Result<()> {
    app.db
        .connect(db::Gate::Ready(Some(Scope::BillingRun)))
        .await?;
    let mut feed = app.db.attendance_feed().await?;
    loop {
        let request = RunRequest {
            as_of: Utc::now(),
            grace,
            claim_delay,
            sessions: Vec::new(),
            dry_run: false,
        };
        let conn = app
            .db
            .connect(db::Gate::Ready(Some(Scope::BillingRun)))
            .await?;
        let report = billing::run(conn, &request, &Silent, &|| stop.load(Ordering::SeqCst)).await?;
        if !report.sessions.is_empty() {
            app.out.emit_line(&RunView::of(&report))?;
        }
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let conn = app
            .db
            .connect(db::Gate::Ready(Some(Scope::BillingRun)))
            .await?;
        let due = db::billing::next_due(conn, Utc::now(), grace, claim_delay).await?;
        let sleep = until(due);
        tokio::select! {
            _ = tokio::time::sleep(sleep) => {}
            changed = feed.next() => {
                changed?;
                // Let the rest of a burst of changes commit first.
                tokio::time::sleep(SETTLE).await;
            }
            _ = wake.notified() => return Ok(()),
        }
    }
}

/// How long to sleep until `due` (a moment past it), at most [`MAX_SLEEP`].
fn until(due: Option<DateTime<Utc>>) -> Duration {
    due.and_then(|at| (at - Utc::now()).to_std().ok())
        .map_or(MAX_SLEEP, |wait| {
            (wait + Duration::from_millis(50)).min(MAX_SLEEP)
        })
}

/// SIGINT and SIGTERM set `stop` (the batch in hand still finishes) and wake any sleep.
fn listen_for_signals(stop: Arc<AtomicBool>, wake: Arc<Notify>) -> Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::spawn(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        stop.store(true, Ordering::SeqCst);
        wake.notify_waiters();
        wake.notify_one();
    });
    Ok(())
}
