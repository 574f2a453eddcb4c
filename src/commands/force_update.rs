//! `gsess force-update SESSION STATUS [MRN...] [--supervisor NPI]... --reason TEXT [--dry-run]`:
//! the consequence goes to stderr before the question, the outcome to stdout.

use crate::app::Prompt;
use crate::cli::ForceUpdateArgs;
use crate::db::{Gate, Scope};
use crate::error::Result;
use crate::ops::corrections::{self, ForceRequest};
use crate::output::corrections::{consequence_text, CorrectionView};
use crate::App;

pub async fn run(app: &mut App, args: &ForceUpdateArgs) -> Result<()> {
    let conn = app
        .db
        .connect(Gate::Ready(Some(Scope::AttendanceForce)))
        .await?;
    let request = ForceRequest {
        session_id: args.session,
        to: args.status.attendance(),
        mrns: args.mrns.clone(),
        npis: args.supervisors.clone(),
        reason: args.reason.clone(),
        dry_run: args.dry_run,
    };
    // On a dry run the consequence is the answer itself (stdout), not a note before a question.
    let render = if args.dry_run {
        |_: &_| String::new()
    } else {
        consequence_text
    };
    let mut prompt = Prompt::new(&app.out, app.global.yes, render);
    let correction = corrections::force_update(conn, &request, &mut prompt).await?;
    app.out.emit(&CorrectionView::of(&correction))
}
