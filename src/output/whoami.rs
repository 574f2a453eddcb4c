//! `whoami`.

use super::{Human, View};
use crate::db::connect::Server;
use crate::ops::whoami::Identity;
use serde::Serialize;
use std::io;

#[derive(Debug, Serialize)]
pub struct WhoamiView {
    pub login: String,
    pub name: Option<String>,
    pub home_facility: Option<String>,
    pub scopes: Vec<&'static str>,
    /// Which server the connection reached (several hosts may be configured).
    pub server: ServerView,
}

#[derive(Debug, Serialize)]
pub struct ServerView {
    /// The socket directory, or the host as the connection string names it.
    pub host: String,
    pub port: u16,
    /// `pg_is_in_recovery()`: a standby.
    pub in_recovery: bool,
}

impl WhoamiView {
    pub fn of(identity: &Identity, server: &Server) -> WhoamiView {
        WhoamiView {
            login: identity.login.clone(),
            name: identity.name.clone(),
            home_facility: identity.home_facility.clone(),
            scopes: identity.scopes.iter().map(|s| s.role()).collect(),
            server: ServerView {
                host: server.host.clone(),
                port: server.port,
                in_recovery: identity.in_recovery,
            },
        }
    }
}

impl View for WhoamiView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.field("login", &self.login)?;
        out.field(
            "name",
            self.name.as_deref().unwrap_or("(not in the users list)"),
        )?;
        out.field(
            "home facility",
            self.home_facility
                .as_deref()
                .unwrap_or("(none: list shows all facilities)"),
        )?;
        let scopes = if self.scopes.is_empty() {
            "(none: ask a DBA to grant one)".to_owned()
        } else {
            self.scopes.join(", ")
        };
        out.field("scopes", scopes)?;
        let role = if self.server.in_recovery {
            "standby"
        } else {
            "primary"
        };
        out.field(
            "server",
            format!("{}:{} ({role})", self.server.host, self.server.port),
        )
    }
}
