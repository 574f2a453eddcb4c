//! `gsess roster add SESSION MRN...` / `roster remove SESSION MRN...`: late arrivals join as
//! SCHEDULED (in the order given), still-SCHEDULED rows leave; never on a locked session. The
//! answer shows the supervisors as they now stand (they are derived from the roster).

use crate::app::App;
use crate::cli::RosterCommand;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::attendance::{self, RosterChange};
use crate::output::attendance::RosterView;

pub async fn run(app: &mut App, command: &RosterCommand) -> Result<()> {
    let conn = app.connect(Scope::AttendanceWrite).await?;
    let (change, args) = match command {
        RosterCommand::Add(args) => (RosterChange::Add, args),
        RosterCommand::Remove(args) => (RosterChange::Remove, args),
    };
    let outcome = attendance::roster(conn, args.session, change, &args.mrns).await?;
    app.out.emit(&RosterView::of(change, &outcome))
}
