//! `gsess whoami`: login, scopes held, home facility. Needs no scope.

use crate::app::App;
use crate::db::{self, Scope};
use crate::error::Result;
use crate::output::{Human, View};
use serde::Serialize;
use std::io;

#[derive(Debug, Serialize)]
pub struct WhoamiView {
    pub login: String,
    pub name: Option<String>,
    pub home_facility: Option<String>,
    pub scopes: Vec<&'static str>,
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
        out.field("scopes", scopes)
    }
}

pub async fn run(app: &mut App) -> Result<()> {
    let pool = app.pool().await?;
    let login: String = sqlx::query_scalar("SELECT session_user::text")
        .fetch_one(&pool)
        .await?;
    let profile: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT name, home_facility FROM current_user_profile")
            .fetch_optional(&pool)
            .await?;
    let (name, home_facility) = profile.unwrap_or_default();
    let scopes = db::scopes_held(&pool)
        .await?
        .into_iter()
        .map(Scope::role)
        .collect();
    app.out.emit(&WhoamiView {
        login,
        name,
        home_facility,
        scopes,
    })
}
