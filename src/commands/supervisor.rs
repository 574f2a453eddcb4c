//! `gsess supervisor add SESSION NPI`: a substitute who was present in the room, on this one
//! session (source MANUAL, SCHEDULED until marked). Never on a locked session.

use crate::app::App;
use crate::cli::SupervisorCommand;
use crate::db::Scope;
use crate::error::{Error, Result};
use crate::ops::attendance;
use crate::output::attendance::SupervisorAddView;
use crate::rules::npi::check_npi;

pub async fn run(app: &mut App, command: &SupervisorCommand) -> Result<()> {
    let SupervisorCommand::Add(args) = command;
    let conn = app.connect(Scope::AttendanceWrite).await?;
    let npi = args.npi.trim();
    check_npi(npi).map_err(|e| {
        Error::invalid("NPI", format!("{npi} is not a valid NPI: {e}")).with("npi", npi)
    })?;
    let outcome = attendance::supervisor_add(conn, args.session, npi).await?;
    app.out.emit(&SupervisorAddView::of(&outcome))
}
