//! `gsess audit [--session ID] [--claim ID] [--member MRN] [--actor LOGIN] [--since T]
//! [--limit N]`: who changed what, when and why, oldest first, written as it is read.

use crate::app::App;
use crate::cli::AuditArgs;
use crate::db::{Gate, Scope};
use crate::error::{Error, ExitKind, Result};
use crate::ops::audit::{self, AuditRequest};
use crate::output::audit::{AuditEntryView, AuditStream};
use crate::time::{local_to_instant, parse_time, user_zone, TimeError};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

pub async fn run(app: &mut App, args: &AuditArgs) -> Result<()> {
    let request = AuditRequest {
        session_id: args.session,
        claim_id: args.claim,
        mrn: args.member.clone(),
        actor: args.actor.clone(),
        since: args.since.as_deref().map(since).transpose()?,
        limit: args.limit,
    };
    // The output is written while the connection is still reading.
    let out = app.out;
    let conn = app.db.connect(Gate::Ready(Some(Scope::Read))).await?;
    let mut stream = AuditStream::new(&out);
    let listed = audit::list(conn, &request, |entry| {
        stream.entry(AuditEntryView::of(&entry))
    })
    .await?;
    stream.finish()?;
    if listed.more {
        out.note(format!(
            "note: more entries match: showing the oldest {} (raise --limit, or narrow with \
             --since)",
            listed.count
        ));
    }
    Ok(())
}

/// `--since`: RFC 3339, a wall-clock time in the user's zone (as `billing run --as-of`), or a
/// bare date meaning that day's midnight there.
fn since(text: &str) -> Result<DateTime<Utc>> {
    let zone = user_zone();
    let at = match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(day) => local_to_instant(day.and_time(NaiveTime::MIN), zone),
        Err(_) => parse_time(text, zone),
    };
    match at {
        Ok(at) => Ok(at.with_timezone(&Utc)),
        // The shared message speaks of a facility's zone; this one is the user's.
        // A time that does not parse is a usage error (exit 2), as an unreadable date is.
        Err(TimeError::Unparseable { .. }) => Err(Error::new(
            ExitKind::Usage,
            format!(
                "--since: {text:?} is not a time: use RFC 3339 with an offset \
                 (2026-11-27T14:00:00-08:00), or YYYY-MM-DD [HH:MM] in your time zone ({zone})"
            ),
        )),
        // A wall-clock time that never happens, or happens twice, there.
        Err(err) => Err(Error::invalid("--since", err)),
    }
}
