//! `gsess mark SESSION STATUS [MRN...] [--supervisor NPI]... [--all-scheduled]`: every named
//! row changes in one transaction or none does (SPEC §1.2, §6); then the changes and the fresh
//! billing preview. The checks and the locking live in `db::attendance`, shared with `take`.

use crate::app::App;
use crate::cli::MarkArgs;
use crate::db::attendance::{self, Selection};
use crate::db::session::{self, SessionRecord};
use crate::db::Scope;
use crate::error::Result;
use crate::output::attendance::MarkView;
use crate::output::session::PreviewView;
use crate::rules::preview::evaluate_session;
use crate::rules::AttendanceStatus;
use sqlx::PgPool;

pub async fn run(app: &mut App, args: &MarkArgs) -> Result<()> {
    let pool = app.pool_with_scope(Scope::AttendanceWrite).await?;
    let selection = Selection {
        mrns: args.mrns.clone(),
        npis: args.supervisors.clone(),
        all_scheduled: args.all_scheduled,
        ..Selection::default()
    };
    let (view, _) = mark(&pool, args.session, args.status.attendance(), &selection).await?;
    app.out.emit(&view)
}

/// Apply a mark, then read the session afresh for the preview (after the commit: the preview
/// shows what is now stored, whoever else wrote meanwhile). `take` goes through here too.
pub async fn mark(
    pool: &PgPool,
    session_id: i64,
    to: AttendanceStatus,
    selection: &Selection,
) -> Result<(MarkView, SessionRecord)> {
    let changes = attendance::apply_mark(pool, session_id, to, selection).await?;
    let record = session::load_session(pool, session_id).await?;
    let preview = PreviewView(evaluate_session(&record.facts()));
    Ok((MarkView::of(session_id, &changes, preview), record))
}
