//! `gsess claim show CLAIM`: lines, the Validation list with each issue's arithmetic, and the
//! claim's chain.

use crate::app::App;
use crate::cli::ClaimCommand;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::claims;
use crate::output::billing::ClaimView;

pub async fn run(app: &mut App, command: &ClaimCommand) -> Result<()> {
    match command {
        ClaimCommand::Show(args) => {
            let conn = app.connect(Scope::Read).await?;
            let claim = claims::show(conn, args.claim).await?;
            app.out.emit(&ClaimView::of(&claim))
        }
    }
}
