//! `gsess claims [--session ID] [--member MRN] [--payer CODE] [--status S] [--blocked]`: claims
//! with frequency code, status, amount and validation summary; `--blocked` is the work list
//! of claims that cannot be submitted.

use crate::app::App;
use crate::cli::{ClaimStatusArg, ClaimsArgs};
use crate::db::claims::ClaimFilter;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::claims;
use crate::output::billing::{ClaimView, ClaimsView};

pub async fn run(app: &mut App, args: &ClaimsArgs) -> Result<()> {
    let conn = app.connect(Scope::Read).await?;
    let filter = ClaimFilter {
        session_id: args.session,
        mrn: args.member.clone(),
        payer: args.payer.clone(),
        status: args.status.map(|s| status(s).to_owned()),
        blocked: args.blocked,
        limit: i64::from(args.limit),
    };
    let (found, cut) = claims::list(conn, &filter).await?;
    if cut {
        app.out.note(format!(
            "note: more claims match: showing the newest {} (raise --limit to see more)",
            args.limit
        ));
    }
    app.out
        .emit(&ClaimsView(found.iter().map(ClaimView::of).collect()))
}

fn status(status: ClaimStatusArg) -> &'static str {
    match status {
        ClaimStatusArg::Built => "BUILT",
        ClaimStatusArg::Submitted => "SUBMITTED",
        ClaimStatusArg::Replaced => "REPLACED",
        ClaimStatusArg::Voided => "VOIDED",
    }
}
