//! Codes on the command line resolved to the rows they name: a facility (or `all`, or the
//! login's home facility), a group type.

use crate::db;
use crate::error::{Error, Result};
use sqlx::PgConnection;

/// Which facilities a command looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacilityFilter {
    All,
    /// One facility: its id and code.
    One {
        id: i64,
        code: String,
    },
}

impl FacilityFilter {
    /// The facility id to bind in SQL, `None` for all.
    pub fn id(&self) -> Option<i64> {
        match self {
            FacilityFilter::All => None,
            FacilityFilter::One { id, .. } => Some(*id),
        }
    }
}

/// `--facility`: a code (exit 3 if unknown), `all`, or by default the login's home facility —
/// all of them, with a note to show, for a login without one.
pub async fn facility(
    conn: &mut PgConnection,
    arg: Option<&str>,
) -> Result<(FacilityFilter, Option<String>)> {
    let code = match arg {
        Some(code) if code.eq_ignore_ascii_case("all") => return Ok((FacilityFilter::All, None)),
        Some(code) => code.to_owned(),
        None => match db::reference::home_facility(conn).await? {
            Some(code) => code,
            None => {
                let note = "note: your login has no home facility in the users list: showing \
                            all facilities";
                return Ok((FacilityFilter::All, Some(note.to_owned())));
            }
        },
    };
    match db::reference::facility(conn, &code).await? {
        Some((id, _)) => Ok((FacilityFilter::One { id, code }, None)),
        None => Err(no_facility(&code)),
    }
}

pub fn no_facility(code: &str) -> Error {
    Error::not_found(format!("no facility {code}")).with("facility", code)
}

/// A group type's id by code, or exit 3 naming it.
pub async fn group_type_id(conn: &mut PgConnection, code: &str) -> Result<i64> {
    db::reference::group_type_id(conn, code)
        .await?
        .ok_or_else(|| Error::not_found(format!("no group type {code}")).with("group_type", code))
}
