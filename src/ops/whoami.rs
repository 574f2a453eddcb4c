//! Who the login is: its name and home facility from the users list, the scopes it holds.

use crate::db::{self, Scope};
use crate::error::Result;
use sqlx::PgConnection;

#[derive(Debug, Clone)]
pub struct Identity {
    pub login: String,
    pub name: Option<String>,
    pub home_facility: Option<String>,
    pub scopes: Vec<Scope>,
}

pub async fn whoami(conn: &mut PgConnection) -> Result<Identity> {
    let (login, name, home_facility) = db::login_profile(conn).await?;
    let scopes = db::scopes_held(conn).await?;
    Ok(Identity {
        login,
        name,
        home_facility,
        scopes,
    })
}
