//! `gsess show SESSION`: header, Supervisors, roster with legal next states, preview.

use crate::app::App;
use crate::cli::SessionArg;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::session;
use crate::output::session::ShowView;

pub async fn run(app: &mut App, args: &SessionArg) -> Result<()> {
    let conn = app.connect(Scope::Read).await?;
    let detail = session::detail(conn, args.session).await?;
    app.out.emit(&ShowView::of(&detail))
}
