//! `gsess mark SESSION STATUS [MRN...] [--supervisor NPI]... [--all-scheduled]`: every named
//! row changes in one transaction or none does; then the changes and the fresh preview.

use crate::app::App;
use crate::cli::MarkArgs;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::attendance::{self, Selection};
use crate::output::attendance::MarkView;

pub async fn run(app: &mut App, args: &MarkArgs) -> Result<()> {
    let conn = app.connect(Scope::AttendanceWrite).await?;
    let selection = Selection {
        mrns: args.mrns.clone(),
        npis: args.supervisors.clone(),
        all_scheduled: args.all_scheduled,
        ..Selection::default()
    };
    let outcome =
        attendance::mark(conn, args.session, args.status.attendance(), &selection).await?;
    app.out.emit(&MarkView::of(&outcome))
}
