//! `gsess list`: the sessions of a day (or a range) on each facility's own calendar, with
//! roster size, attendance summary, supervisors and derived status.

use crate::app::App;
use crate::cli::{DateArg, ListArgs, StatusFilter};
use crate::db::Scope;
use crate::error::Result;
use crate::ops::list::{self, ListRequest};
use crate::output::list::ListView;
use crate::output::session::SessionView;
use crate::output::stream::JsonArray;
use crate::rules::SessionStatus;
use crate::time::DateRange;

pub async fn run(app: &mut App, args: &ListArgs) -> Result<()> {
    let out = app.out;
    let conn = app.connect(Scope::Read).await?;
    let notes = if out.json {
        // A script's array is written as the rows arrive: a month of every facility is not
        // held in memory.
        let mut array = JsonArray::stdout();
        let listed = list::each(conn, &request(args), |session| {
            array.push(&SessionView::of(&session))
        })
        .await?;
        array.finish()?;
        listed.notes
    } else {
        // A table sizes its columns from every row.
        let listing = list::list(conn, request(args)).await?;
        out.emit(&ListView::of(&listing))?;
        listing.notes
    };
    for note in &notes {
        out.note(note);
    }
    Ok(())
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
