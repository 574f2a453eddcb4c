//! `gsess demo`: load the demo dataset into the embedded database and walk through the day's
//! work with the real operations — list, mark (the preview catching a ratio breach and a size
//! between bands), a supervisor fixing the ratio, finalize, show. Each step runs the same code
//! as the command it names. Re-running it is safe: the import is idempotent, and a session
//! already walked through is shown as it stands.

use crate::app::App;
use crate::dataset::{demo, Document};
use crate::db::{self, Gate, Scope, Target};
use crate::error::{Error, ExitKind, Result};
use crate::model::SessionRecord;
use crate::ops::attendance::{mark, Selection};
use crate::ops::finalize::{finalize, FinalizePlan, FinalizeRequest};
use crate::ops::list::{list, ListRequest};
use crate::ops::session;
use crate::ops::{import, whoami, Confirm, Silent};
use crate::output::attendance::MarkView;
use crate::output::demo::{DemoView, Step, StepResult};
use crate::output::finalize::FinalizeView;
use crate::output::import::ImportView;
use crate::output::list::ListView;
use crate::output::session::ShowView;
use crate::rules::AttendanceStatus;
use crate::time::DateRange;
use sqlx::PgConnection;

/// Dana Reyes supervises the first four members of the featured session.
const SUPERVISOR_NPI: &str = "1245319599";

/// The demo is the user's own request: it answers finalize's confirmation itself.
struct Agreed;

impl Confirm<FinalizePlan> for Agreed {
    fn show(&mut self, _plan: &FinalizePlan) -> Result<()> {
        Ok(())
    }

    fn confirm(&mut self, _question: &str) -> Result<()> {
        Ok(())
    }
}

pub async fn run(app: &mut App) -> Result<()> {
    if let Target::Url(_) = app.db.target()? {
        return Err(Error::new(
            ExitKind::Usage,
            "the demo loads its dataset into the embedded database only: unset DATABASE_URL \
             and --database-url",
        ));
    }
    // The connection and the output are used together: borrow the two fields apart.
    let conn = app.db.connect(Gate::Ready(Some(Scope::Admin))).await?;
    let login = whoami::whoami(conn).await?.login;
    let (day, document) = demo::document(chrono::Utc::now(), &login);
    let text =
        serde_json::to_vec(&document).map_err(|e| Error::internal(format!("demo dataset: {e}")))?;
    let document = Document::from_reader(text.as_slice())?;
    let imported = import::import(conn, document, false, "gsess demo").await?;

    let request = ListRequest {
        dates: DateRange::day(day),
        facility: Some("NORTH".into()),
        group_type: None,
        status: None,
        limit: None,
    };
    let mut steps = vec![Step {
        command: format!("gsess list --date {day} --facility NORTH"),
        about: "the day's sessions: the first one has just ended".into(),
        result: StepResult::List(ListView::of(&list(conn, request).await?)),
    }];
    let id = session_id(conn, demo::FEATURED).await?;
    let featured = session::load(conn, id).await?;
    if is_untouched(&featured) {
        walk_through(conn, id, &mut steps).await?;
    }
    let featured = session::detail(conn, id).await?;
    steps.push(Step {
        command: format!("gsess show {id}"),
        about: "the session as it stands: supervisors, roster with legal next states, preview"
            .into(),
        result: StepResult::Show(Box::new(ShowView::of(&featured))),
    });

    let next_steps = vec![
        format!("gsess explain {id}              # which coverage, rule rows and count produced each answer"),
        format!("gsess preview {id} --watch      # re-renders on every attendance change, psql's too"),
        format!("gsess accept {id} GROUP_SIZE_BAND_MISMATCH --payer ORMCD --reason \"clinical need\""),
        "psql \"$(gsess db url)\"        # try an illegal UPDATE session_participant: the database refuses it".into(),
        format!(
            "gsess take {}                  # an interactive roll call of the afternoon session",
            session_id(conn, "DEMO-DBT-2").await?
        ),
    ];
    app.out.emit(&DemoView {
        date: day.to_string(),
        imported: ImportView::of(&imported),
        steps,
        next_steps,
    })
}

/// A demo session's id, by its feed id at the demo clinic.
async fn session_id(conn: &mut PgConnection, external_id: &str) -> Result<i64> {
    db::reference::session_by_external_id(conn, "NORTH", external_id)
        .await?
        .ok_or_else(|| Error::internal(format!("the demo session {external_id} is missing")))
}

/// A re-run finds the featured session already marked: it is then only shown.
fn is_untouched(record: &SessionRecord) -> bool {
    !record.locked
        && record
            .roster
            .iter()
            .all(|r| r.status == AttendanceStatus::Scheduled)
        && record
            .supervisors
            .iter()
            .all(|s| s.status == AttendanceStatus::Scheduled)
}

/// Mark five participants (the preview catches a ratio breach and a size between bands), mark
/// the supervisor present (the breach goes), then finalize (the rest become ABSENT).
async fn walk_through(conn: &mut PgConnection, id: i64, steps: &mut Vec<Step>) -> Result<()> {
    let present: Vec<String> = ["M001", "M002", "M003", "M004", "M005"]
        .map(String::from)
        .to_vec();
    let outcome = mark(
        conn,
        id,
        AttendanceStatus::Attended,
        &Selection {
            mrns: present.clone(),
            ..Selection::default()
        },
    )
    .await?;
    steps.push(Step {
        command: format!("gsess mark {id} attended {}", present.join(" ")),
        about: "5 billable and no supervisor present yet: a ratio breach; 5 falls between the \
                2–4 and 6–8 bands"
            .into(),
        result: StepResult::Mark(MarkView::of(&outcome)),
    });
    let outcome = mark(
        conn,
        id,
        AttendanceStatus::Attended,
        &Selection {
            npis: vec![SUPERVISOR_NPI.into()],
            ..Selection::default()
        },
    )
    .await?;
    steps.push(Step {
        command: format!("gsess mark {id} attended --supervisor {SUPERVISOR_NPI}"),
        about: "Dana is in the room: 5 billable ≤ 1 present × 6, the breach is gone".into(),
        result: StepResult::Mark(MarkView::of(&outcome)),
    });
    let report = finalize(
        conn,
        &FinalizeRequest::Sessions(vec![id]),
        false,
        &mut Agreed,
        &Silent,
    )
    .await?;
    steps.push(Step {
        command: format!("gsess finalize {id} --yes"),
        about: "the rows nobody marked become ABSENT: the session is ready to bill".into(),
        result: StepResult::Finalize(FinalizeView::of(&report)),
    });
    Ok(())
}
