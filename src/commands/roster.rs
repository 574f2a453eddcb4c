//! `gsess roster add SESSION MRN...` / `roster remove SESSION MRN...`: late arrivals join as
//! SCHEDULED (in the order given), still-SCHEDULED rows leave; never on a locked session. The
//! supervisors are derived from the roster, so the database re-derives them on each change;
//! the answer shows the list as it now stands.

use crate::app::App;
use crate::cli::RosterCommand;
use crate::db::{attendance, session, Scope};
use crate::error::Result;
use crate::output::attendance::{RosterAddView, RosterRemoveView, SupervisorView};

pub async fn run(app: &mut App, command: &RosterCommand) -> Result<()> {
    let pool = app.pool_with_scope(Scope::AttendanceWrite).await?;
    match command {
        RosterCommand::Add(args) => {
            let added = attendance::roster_add(&pool, args.session, &args.mrns).await?;
            let record = session::load_session(&pool, args.session).await?;
            app.out.emit(&RosterAddView {
                session_id: args.session,
                added,
                supervisors: SupervisorView::list(&record),
            })
        }
        RosterCommand::Remove(args) => {
            let removed = attendance::roster_remove(&pool, args.session, &args.mrns).await?;
            let record = session::load_session(&pool, args.session).await?;
            app.out.emit(&RosterRemoveView {
                session_id: args.session,
                removed,
                supervisors: SupervisorView::list(&record),
            })
        }
    }
}
