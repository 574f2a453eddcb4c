//! Who the login is: its name and home facility from the users list, the scopes it holds,
//! and whether the server it reached is a standby.

use crate::db::{self, Scope};
use crate::error::Result;
use sqlx::PgConnection;

#[derive(Debug, Clone)]
pub struct Identity {
    pub login: String,
    pub name: Option<String>,
    pub home_facility: Option<String>,
    pub scopes: Vec<Scope>,
    /// The server answering is a standby (`pg_is_in_recovery()`).
    pub in_recovery: bool,
}

pub async fn whoami(conn: &mut PgConnection) -> Result<Identity> {
    let (login, name, home_facility, in_recovery) = db::login_profile(conn).await?;
    let scopes = db::scopes_held(conn).await?;
    Ok(Identity {
        login,
        name,
        home_facility,
        scopes,
        in_recovery,
    })
}
