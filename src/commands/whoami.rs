//! `gsess whoami`: login, scopes held, home facility. Needs no scope.

use crate::app::App;
use crate::db::Gate;
use crate::error::Result;
use crate::ops::whoami;
use crate::output::whoami::WhoamiView;

pub async fn run(app: &mut App) -> Result<()> {
    let conn = app.db.connect(Gate::Ready(None)).await?;
    let identity = whoami::whoami(conn).await?;
    let server = app.db.server().expect("connected above");
    app.out.emit(&WhoamiView::of(&identity, server))
}
