//! `gsess explain SESSION`: for support engineers, how the preview got its answer.

use crate::app::App;
use crate::cli::SessionArg;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::explain;
use crate::output::preview::ExplainView;

pub async fn run(app: &mut App, args: &SessionArg) -> Result<()> {
    let conn = app.connect(Scope::Read).await?;
    let explanation = explain::explain(conn, args.session).await?;
    app.out.emit(&ExplainView::of(&explanation))
}
