//! `db status` and the other `db` commands' messages.

use super::{Human, View};
use crate::ops::database::Status;
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

impl StatusView {
    pub fn of(status: &Status) -> StatusView {
        let cluster = status.cluster.as_ref();
        StatusView {
            kind: if cluster.is_some() { "embedded" } else { "url" },
            url: status.url.clone(),
            home: cluster.map(|c| c.home.display().to_string()),
            bindir: cluster.map(|c| c.bindir.display().to_string()),
            running: true,
            server_version: Some(status.server_version.clone()),
            migrations_applied: status.migrations_applied,
            migrations_pending: status.migrations_pending.clone(),
        }
    }
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
