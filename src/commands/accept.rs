//! `gsess accept SESSION CODE [--payer CODE | --member MRN] --reason TEXT` and `--revoke`.

use crate::app::App;
use crate::cli::AcceptArgs;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::accept::{self, Asked};
use crate::output::preview::AcceptView;

pub async fn run(app: &mut App, args: &AcceptArgs) -> Result<()> {
    let conn = app.connect(Scope::AttendanceWrite).await?;
    let asked = Asked {
        code: &args.code,
        payer: args.payer.as_deref(),
        mrn: args.member.as_deref(),
    };
    let reason = args.reason.as_deref();
    let acceptance = if args.revoke {
        accept::revoke(conn, args.session, asked, reason).await?
    } else {
        accept::accept(conn, args.session, asked, reason.unwrap_or_default()).await?
    };
    app.out.emit(&AcceptView::of(&acceptance))
}
