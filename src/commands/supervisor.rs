//! `gsess supervisor add SESSION NPI`: a substitute who was present in the room, on this one
//! session (source MANUAL, SCHEDULED until marked). Never on a locked session.

use crate::app::App;
use crate::cli::SupervisorCommand;
use crate::db::{attendance, session, Scope};
use crate::error::{Error, Result};
use crate::output::attendance::{SupervisorAddView, SupervisorView};
use crate::rules::npi::check_npi;

pub async fn run(app: &mut App, command: &SupervisorCommand) -> Result<()> {
    let SupervisorCommand::Add(args) = command;
    let pool = app.pool_with_scope(Scope::AttendanceWrite).await?;
    let npi = args.npi.trim();
    check_npi(npi).map_err(|e| {
        Error::invalid("NPI", format!("{npi} is not a valid NPI: {e}")).with("npi", npi)
    })?;
    attendance::supervisor_add(&pool, args.session, npi).await?;
    let record = session::load_session(&pool, args.session).await?;
    app.out.emit(&SupervisorAddView {
        session_id: args.session,
        added: npi.to_owned(),
        source: "MANUAL",
        supervisors: SupervisorView::list(&record),
    })
}
