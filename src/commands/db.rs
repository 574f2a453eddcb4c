//! `gsess db migrate | status | start | stop | url`: the schema and the embedded database.

use crate::app::App;
use crate::cli::DbCommand;
use crate::db::{Gate, Target};
use crate::embedded::Cluster;
use crate::error::{Error, ExitKind, Result};
use crate::ops::database;
use crate::output::database::{MessageView, StatusView};

pub async fn run(app: &mut App, command: &DbCommand) -> Result<()> {
    match command {
        DbCommand::Migrate => {
            let applied = database::migrate(&mut app.db).await?;
            let message = if applied.is_empty() {
                "the schema is up to date".to_owned()
            } else {
                format!("applied {} migration(s)", applied.len())
            };
            app.out.emit(&MessageView {
                message,
                detail: serde_json::json!({ "applied": applied }),
            })
        }
        DbCommand::Status => {
            let status = database::status(&mut app.db).await?;
            app.out.emit(&StatusView::of(&status))
        }
        DbCommand::Start => start(app).await,
        DbCommand::Stop => stop(app),
        DbCommand::Url => {
            let url = app.db.target()?.shown_url();
            app.out.emit(&MessageView {
                message: url.clone(),
                detail: serde_json::json!({ "url": url }),
            })
        }
    }
}

fn embedded_cluster(app: &mut App, verb: &str) -> Result<Cluster> {
    match app.db.target()? {
        Target::Embedded(cluster) => Ok(cluster.clone()),
        Target::Url(_) => Err(Error::new(
            ExitKind::Usage,
            format!("`gsess db {verb}` manages the embedded database; a --database-url/DATABASE_URL is set"),
        )),
    }
}

async fn start(app: &mut App) -> Result<()> {
    let cluster = embedded_cluster(app, "start")?;
    let was_running = cluster.is_running();
    app.db.connect(Gate::Unchecked).await?;
    let message = if was_running {
        format!(
            "the embedded database is already running ({})",
            cluster.home.display()
        )
    } else {
        format!("started the embedded database ({})", cluster.home.display())
    };
    app.out.emit(&MessageView {
        message,
        detail: serde_json::json!({ "running": true, "was_running": was_running, "url": cluster.url(crate::embedded::DATABASE) }),
    })
}

fn stop(app: &mut App) -> Result<()> {
    let cluster = embedded_cluster(app, "stop")?;
    let stopped = cluster.stop()?;
    let message = if stopped {
        "stopped the embedded database"
    } else {
        "the embedded database was not running"
    };
    app.out.emit(&MessageView {
        message: message.to_owned(),
        detail: serde_json::json!({ "running": false, "was_running": stopped }),
    })
}
