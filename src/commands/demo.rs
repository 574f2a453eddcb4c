//! `gsess demo`: load the demo dataset into the embedded database and walk through the day's
//! work with the real commands — list, mark (the preview catching a ratio breach and a size
//! between bands), a supervisor fixing the ratio, finalize, show. Each step runs the same code
//! as the command it names. Re-running it is safe: the import is idempotent, and a session
//! already walked through is shown as it stands.

use crate::app::App;
use crate::cli::{DateArg, FinalizeArgs, ListArgs, StatusFilter};
use crate::commands::finalize::{finalize, FinalizeView};
use crate::commands::import::{import_document, ImportView};
use crate::commands::list::{list, ListView};
use crate::commands::mark::mark;
use crate::dataset::{demo, Document};
use crate::db::attendance::Selection;
use crate::db::session::{load_session, SessionRecord};
use crate::db::{Scope, Target};
use crate::error::{Error, ExitKind, Result};
use crate::output::attendance::MarkView;
use crate::output::session::ShowView;
use crate::output::{Human, View};
use crate::rules::preview::evaluate_session;
use crate::rules::AttendanceStatus;
use serde::Serialize;
use sqlx::PgPool;
use std::io;

/// Dana Reyes supervises the first four members of the featured session.
const SUPERVISOR_NPI: &str = "1245319599";

#[derive(Debug, Serialize)]
pub struct DemoView {
    pub date: String,
    pub imported: ImportView,
    /// The tour: each command as typed, and what it answered.
    pub steps: Vec<Step>,
    pub next_steps: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Step {
    pub command: String,
    /// What to notice in the answer.
    pub about: String,
    pub result: StepResult,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum StepResult {
    List(ListView),
    Mark(MarkView),
    Finalize(FinalizeView),
    Show(Box<ShowView>),
}

impl StepResult {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        match self {
            StepResult::List(view) => view.render(out),
            StepResult::Mark(view) => view.render(out),
            StepResult::Finalize(view) => view.render(out),
            StepResult::Show(view) => view.render(out),
        }
    }
}

impl View for DemoView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Loaded the demo dataset (North Clinic, Portland OR) for {} into the embedded database.",
            self.date
        ))?;
        for step in &self.steps {
            out.line(format!("\n$ {}\n# {}", step.command, step.about))?;
            step.result.render(out)?;
        }
        out.line("\nTry next:")?;
        for step in &self.next_steps {
            out.line(format!("  {step}"))?;
        }
        Ok(())
    }
}

pub async fn run(app: &mut App) -> Result<()> {
    if let Target::Url(_) = app.target()? {
        return Err(Error::new(
            ExitKind::Usage,
            "the demo loads its dataset into the embedded database only: unset DATABASE_URL \
             and --database-url",
        ));
    }
    let pool = app.pool_with_scope(Scope::Admin).await?;
    let login: String = sqlx::query_scalar("SELECT session_user::text")
        .fetch_one(&pool)
        .await?;
    let (day, document) = demo::document(chrono::Utc::now(), &login);
    let text =
        serde_json::to_vec(&document).map_err(|e| Error::internal(format!("demo dataset: {e}")))?;
    let imported = import_document(
        app,
        &pool,
        Document::from_reader(text.as_slice())?,
        false,
        "gsess demo",
    )
    .await?;

    let list_args = ListArgs {
        date: Some(DateArg::On(day)),
        from: None,
        to: None,
        facility: Some("NORTH".into()),
        group_type: "all".into(),
        status: StatusFilter::All,
        limit: None,
    };
    let mut steps = vec![Step {
        command: format!("gsess list --date {day} --facility NORTH"),
        about: "the day's sessions: the first one has just ended".into(),
        result: StepResult::List(list(app, &pool, &list_args).await?),
    }];
    let id = session_id(&pool, demo::FEATURED).await?;
    let featured = load_session(&pool, id).await?;
    if is_untouched(&featured) {
        walk_through(app, &pool, id, &mut steps).await?;
    }
    let featured = load_session(&pool, id).await?;
    steps.push(Step {
        command: format!("gsess show {id}"),
        about: "the session as it stands: supervisors, roster with legal next states, preview"
            .into(),
        result: StepResult::Show(Box::new(ShowView::of(
            &featured,
            evaluate_session(&featured.facts()),
        ))),
    });

    let next_steps = vec![
        format!("gsess explain {id}              # which coverage, rule rows and count produced each answer"),
        format!("gsess preview {id} --watch      # re-renders on every attendance change, psql's too"),
        format!("gsess accept {id} GROUP_SIZE_BAND_MISMATCH --payer ORMCD --reason \"clinical need\""),
        "psql \"$(gsess db url)\"        # try an illegal UPDATE session_participant: the database refuses it".into(),
        format!(
            "gsess take {}                  # an interactive roll call of the afternoon session",
            session_id(&pool, "DEMO-DBT-2").await?
        ),
    ];
    app.out.emit(&DemoView {
        date: day.to_string(),
        imported,
        steps,
        next_steps,
    })
}

/// A demo session's id, by its feed id at the demo clinic.
async fn session_id(pool: &PgPool, external_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT s.id FROM group_session s JOIN facility f ON f.id = s.facility_id
          WHERE f.code = 'NORTH' AND s.external_id = $1",
    )
    .bind(external_id)
    .fetch_one(pool)
    .await?)
}

/// A re-run finds the featured session already marked: it is then only shown.
fn is_untouched(record: &SessionRecord) -> bool {
    !record.has_claim
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
async fn walk_through(app: &mut App, pool: &PgPool, id: i64, steps: &mut Vec<Step>) -> Result<()> {
    let present: Vec<String> = ["M001", "M002", "M003", "M004", "M005"]
        .map(String::from)
        .to_vec();
    let (view, _) = mark(
        pool,
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
        result: StepResult::Mark(view),
    });
    let (view, _) = mark(
        pool,
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
        result: StepResult::Mark(view),
    });
    // The demo is the user's own request: it answers finalize's confirmation itself.
    app.global.yes = true;
    let view = finalize(
        app,
        pool,
        &FinalizeArgs {
            sessions: vec![id],
            date: None,
            facility: None,
            group_type: None,
            dry_run: false,
            strict: false,
        },
    )
    .await?;
    steps.push(Step {
        command: format!("gsess finalize {id} --yes"),
        about: "the rows nobody marked become ABSENT: the session is ready to bill".into(),
        result: StepResult::Finalize(view),
    });
    Ok(())
}
