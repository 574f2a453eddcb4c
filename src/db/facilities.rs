//! Which facilities a command looks at: `--facility CODE`, `all`, or by default the login's
//! home facility (all of them, with a note, for a login without one).

use crate::error::{Error, Result};
use crate::output::Output;
use sqlx::PgPool;

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
    /// The facility id to bind in SQL, `None` for all (`facility_id = $n OR $n IS NULL`).
    pub fn id(&self) -> Option<i64> {
        match self {
            FacilityFilter::All => None,
            FacilityFilter::One { id, .. } => Some(*id),
        }
    }
}

/// The login's home facility code, from the imported users list.
pub async fn home_facility(pool: &PgPool) -> Result<Option<String>> {
    let home: Option<Option<String>> =
        sqlx::query_scalar("SELECT home_facility FROM current_user_profile")
            .fetch_optional(pool)
            .await?;
    Ok(home.flatten())
}

/// Resolve `--facility`: a code (exit 3 if unknown), `all`, or the home facility.
pub async fn resolve(pool: &PgPool, arg: Option<&str>, out: &Output) -> Result<FacilityFilter> {
    let code = match arg {
        Some(code) if code.eq_ignore_ascii_case("all") => return Ok(FacilityFilter::All),
        Some(code) => code.to_owned(),
        None => match home_facility(pool).await? {
            Some(code) => code,
            None => {
                out.note(
                    "note: your login has no home facility in the users list: showing all facilities",
                );
                return Ok(FacilityFilter::All);
            }
        },
    };
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM facility WHERE code = $1")
        .bind(&code)
        .fetch_optional(pool)
        .await?;
    match id {
        Some(id) => Ok(FacilityFilter::One { id, code }),
        None => Err(Error::not_found(format!("no facility {code}")).with("facility", code)),
    }
}
