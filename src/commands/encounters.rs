//! `gsess encounters MRN [--from D --to D]`: the member's charges, active and void.

use crate::app::App;
use crate::cli::EncountersArgs;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::claims;
use crate::output::billing::EncountersView;
use crate::time::DateRange;

pub async fn run(app: &mut App, args: &EncountersArgs) -> Result<()> {
    let conn = app.connect(Scope::Read).await?;
    let dates = match (args.from, args.to) {
        (Some(from), Some(to)) => Some(DateRange {
            first: from.resolve(),
            last: to.resolve(),
        }),
        _ => None,
    };
    let encounters = claims::encounters(conn, &args.mrn, dates).await?;
    app.out.emit(&EncountersView::of(&encounters))
}
