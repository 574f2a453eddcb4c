//! `gsess list`: the sessions of a day (or a range) on each facility's own calendar, with
//! roster size, attendance summary, supervisors and derived status.

use crate::app::App;
use crate::cli::{DateArg, ListArgs, StatusFilter};
use crate::db::Scope;
use crate::error::Result;
use crate::ops::list::{self, ListRequest};
use crate::output::list::ListView;
use crate::rules::SessionStatus;
use crate::time::DateRange;

pub async fn run(app: &mut App, args: &ListArgs) -> Result<()> {
    let conn = app.connect(Scope::Read).await?;
    let listing = list::list(conn, request(args)).await?;
    for note in &listing.notes {
        app.out.note(note);
    }
    app.out.emit(&ListView::of(&listing))
}

/// The user's calendar (TZ) picks the dates; each session is matched on its facility's.
pub fn request(args: &ListArgs) -> ListRequest {
    let (from, to) = match (args.date, args.from, args.to) {
        (Some(date), _, _) => (date.resolve(), date.resolve()),
        (None, Some(from), Some(to)) => (from.resolve(), to.resolve()),
        _ => {
            let today = DateArg::Today.resolve();
            (today, today)
        }
    };
    ListRequest {
        dates: DateRange {
            first: from,
            last: to,
        },
        facility: args.facility.clone(),
        group_type: Some(args.group_type.clone()).filter(|code| !code.eq_ignore_ascii_case("all")),
        status: status_filter(args.status),
        limit: args.limit,
    }
}

fn status_filter(status: StatusFilter) -> Option<SessionStatus> {
    match status {
        StatusFilter::Open => Some(SessionStatus::Open),
        StatusFilter::Ready => Some(SessionStatus::Ready),
        StatusFilter::Billed => Some(SessionStatus::Billed),
        StatusFilter::Locked => Some(SessionStatus::Locked),
        StatusFilter::All => None,
    }
}
