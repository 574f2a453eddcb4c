//! `gsess db migrate | status | start | stop | url`: the schema and the embedded database.

use crate::app::App;
use crate::cli::DbCommand;
use crate::db::{self, Target, MIGRATOR};
use crate::embedded::Cluster;
use crate::error::{Error, ExitKind, Result};
use crate::output::{Human, View};
use serde::Serialize;
use std::io;

#[derive(Debug, Serialize)]
pub struct StatusView {
    /// `embedded` or `url`
    pub kind: &'static str,
    pub url: String,
    pub home: Option<String>,
    pub bindir: Option<String>,
    pub running: bool,
    pub server_version: Option<String>,
    pub migrations_applied: usize,
    pub migrations_pending: Vec<i64>,
}

impl View for StatusView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.field("database", self.kind)?;
        out.field("url", &self.url)?;
        if let Some(home) = &self.home {
            out.field("home", home)?;
        }
        if let Some(bindir) = &self.bindir {
            out.field("server binaries", bindir)?;
        }
        out.field("running", if self.running { "yes" } else { "no" })?;
        if let Some(version) = &self.server_version {
            out.field("server version", version)?;
        }
        let pending = if self.migrations_pending.is_empty() {
            "none".to_owned()
        } else {
            format!("{} (run `gsess db migrate`)", self.migrations_pending.len())
        };
        out.field(
            "migrations",
            format!("{} applied, pending: {pending}", self.migrations_applied),
        )
    }
}

#[derive(Debug, Serialize)]
pub struct MessageView {
    pub message: String,
    #[serde(flatten)]
    pub detail: serde_json::Value,
}

impl View for MessageView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(&self.message)
    }
}

pub async fn run(app: &mut App, command: &DbCommand) -> Result<()> {
    match command {
        DbCommand::Migrate => migrate(app).await,
        DbCommand::Status => status(app).await,
        DbCommand::Start => start(app).await,
        DbCommand::Stop => stop(app),
        DbCommand::Url => {
            let url = app.target()?.url();
            app.out.emit(&MessageView {
                message: url.clone(),
                detail: serde_json::json!({ "url": url }),
            })
        }
    }
}

async fn migrate(app: &mut App) -> Result<()> {
    let timeouts = app.timeouts();
    let target = app.target()?.clone();
    let pool = db::connect(&target, timeouts).await?;
    let before = db::pending_migrations(&pool).await?;
    db::migrate(&pool).await.map_err(|err| {
        if err.kind == ExitKind::Forbidden {
            Error::new(
                ExitKind::Forbidden,
                format!(
                    "{}: migrations are run by the schema's owner or a superuser (they create roles and objects)",
                    err.message
                ),
            )
        } else {
            err
        }
    })?;
    let message = if before.is_empty() {
        "the schema is up to date".to_owned()
    } else {
        format!("applied {} migration(s)", before.len())
    };
    app.out.emit(&MessageView {
        message,
        detail: serde_json::json!({ "applied": before }),
    })
}

async fn status(app: &mut App) -> Result<()> {
    let timeouts = app.timeouts();
    let target = app.target()?.clone();
    let (kind, cluster) = match &target {
        Target::Url(_) => ("url", None),
        Target::Embedded(cluster) => ("embedded", Some(cluster)),
    };
    // The embedded database is started on demand: `db status` with no configuration at all
    // answers with a running, migrated database.
    let pool = db::connect(&target, timeouts).await?;
    let server_version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&pool)
        .await?;
    let pending = db::pending_migrations(&pool).await?;
    app.out.emit(&StatusView {
        kind,
        url: target.url(),
        home: cluster.map(|c| c.home.display().to_string()),
        bindir: cluster.map(|c| c.bindir.display().to_string()),
        running: true,
        server_version: Some(server_version),
        migrations_applied: MIGRATOR.iter().count() - pending.len(),
        migrations_pending: pending,
    })
}

fn embedded_cluster(app: &mut App, verb: &str) -> Result<Cluster> {
    match app.target()? {
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
    db::connect(&Target::Embedded(cluster.clone()), app.timeouts()).await?;
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
