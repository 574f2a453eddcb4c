//! `gsess show SESSION`: header, Supervisors, roster with legal next states, preview.

use crate::app::App;
use crate::cli::SessionArg;
use crate::db::{session, Scope};
use crate::error::Result;
use crate::output::session::ShowView;
use crate::rules::preview::evaluate_session;

pub async fn run(app: &mut App, args: &SessionArg) -> Result<()> {
    let pool = app.pool_with_scope(Scope::Read).await?;
    let record = session::load_session(&pool, args.session).await?;
    let evaluation = evaluate_session(&record.facts());
    app.out.emit(&ShowView::of(&record, evaluation))
}
