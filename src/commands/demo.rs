//! `gsess demo`: load the demo dataset, dated today, into the embedded database and show
//! what gsess sees in it. Re-running it is safe: the import is idempotent.

use crate::app::App;
use crate::commands::import::{import_document, ImportView};
use crate::dataset::{demo, Document};
use crate::db::session::load_sessions;
use crate::db::{Scope, Target};
use crate::error::{Error, ExitKind, Result};
use crate::output::session::{SessionSummary, ShowView};
use crate::output::{Human, View};
use crate::rules::preview::evaluate_session;
use serde::Serialize;
use std::io;

#[derive(Debug, Serialize)]
pub struct DemoView {
    pub date: String,
    pub imported: ImportView,
    pub sessions: Vec<SessionSummary>,
    /// The morning session, with the issues the preview catches.
    pub featured: ShowView,
    pub next_steps: Vec<String>,
}

impl View for DemoView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!(
            "Loaded the demo dataset for {} into the embedded database.\n",
            self.date
        ))?;
        out.line("Today's sessions at North Clinic:")?;
        for s in &self.sessions {
            out.line(format!(
                "  {:>4}  {}  {:<4} {:<3} participants  {}",
                s.id,
                s.time_window(),
                s.group_type,
                s.roster_size,
                s.status.as_str()
            ))?;
        }
        out.line("")?;
        self.featured.render(out)?;
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
    // Today on the user's calendar, which is what `gsess list` shows by default.
    let today = chrono::Local::now().date_naive();
    let text = serde_json::to_vec(&demo::document(today, &login))
        .map_err(|e| Error::internal(format!("demo dataset: {e}")))?;
    let document = Document::from_reader(text.as_slice())?;
    let imported = import_document(app, &pool, document, false, "gsess demo").await?;

    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT s.id FROM group_session s JOIN facility f ON f.id = s.facility_id
          WHERE f.code = 'NORTH' AND s.external_id LIKE 'DEMO-%' AND s.local_date = $1
          ORDER BY s.starts_at",
    )
    .bind(today)
    .fetch_all(&pool)
    .await?;
    let records = load_sessions(&pool, &ids).await?;
    let morning = records
        .first()
        .ok_or_else(|| Error::internal("the demo sessions were not loaded"))?;
    let featured = ShowView::of(morning, evaluate_session(&morning.facts()));
    let id = morning.id;
    let next_steps = vec![
        format!("gsess show {id}                 # the session, its supervisors, roster and preview"),
        format!("gsess explain {id}              # which coverage, rule rows and count produced each issue"),
        format!("gsess preview {id} --watch      # re-renders on every attendance change (psql too)"),
        format!(
            "psql \"$(gsess db url)\" -c \"UPDATE session_participant SET status = 'ATTENDED' \
             WHERE session_id = {id} AND member_id <= 5\"   # the database enforces the rules for psql too"
        ),
        format!("gsess show {id}                 # now: a group of 5 falls between the 2–4 and 6–8 bands"),
        format!(
            "gsess accept {id} GROUP_SIZE_BAND_MISMATCH --payer ORMCD --reason \"clinical need\""
        ),
    ];
    app.out.emit(&DemoView {
        date: today.to_string(),
        imported,
        sessions: records.iter().map(SessionSummary::of).collect(),
        featured,
        next_steps,
    })
}
