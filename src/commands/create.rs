//! `gsess create --facility CODE --group-type CODE --start T --end T [--member MRN]...`.

use crate::app::App;
use crate::cli::CreateArgs;
use crate::db::Scope;
use crate::error::Result;
use crate::ops::create::{self, CreateRequest};
use crate::output::list::CreatedView;

pub async fn run(app: &mut App, args: &CreateArgs) -> Result<()> {
    let conn = app.connect(Scope::AttendanceWrite).await?;
    let request = CreateRequest {
        facility: args.facility.clone(),
        group_type: args.group_type.clone(),
        start: args.start.clone(),
        end: args.end.clone(),
        members: args.members.clone(),
    };
    let created = create::create(conn, &request).await?;
    app.out.emit(&CreatedView::of(&created))
}
