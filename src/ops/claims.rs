//! Claims and charges as billing specialists and support engineers look them up: the claims
//! list (and its work list of blocked claims), one claim whole, a member's encounters.

use crate::db::claims::{self as sql, ClaimFilter};
use crate::db::{self};
use crate::error::{Error, Result};
use crate::model::{ClaimRecord, Encounter};
use crate::time::DateRange;
use sqlx::PgConnection;

/// Claims matching the filter, newest first, and whether the limit cut the list.
pub async fn list(
    conn: &mut PgConnection,
    filter: &ClaimFilter,
) -> Result<(Vec<ClaimRecord>, bool)> {
    let mut asked = filter.clone();
    asked.limit = filter.limit + 1;
    let mut claims = sql::claims(conn, &asked).await?;
    let cut = claims.len() as i64 > filter.limit;
    claims.truncate(usize::try_from(filter.limit).unwrap_or(usize::MAX));
    Ok((claims, cut))
}

/// One claim, or exit 3 naming it.
pub async fn show(conn: &mut PgConnection, id: i64) -> Result<ClaimRecord> {
    sql::claims_by_id(conn, &[id])
        .await?
        .pop()
        .ok_or_else(|| no_claim(id))
}

pub fn no_claim(id: i64) -> Error {
    Error::not_found(format!("no claim {id}")).with("claim_id", id)
}

/// A member's charges (on the sessions' own calendars), or exit 3 for an unknown MRN.
pub async fn encounters(
    conn: &mut PgConnection,
    mrn: &str,
    dates: Option<DateRange>,
) -> Result<Vec<Encounter>> {
    if let Some(range) = dates {
        if range.first > range.last {
            return Err(Error::invalid(
                "--from",
                format!("{} is after --to {}", range.first, range.last),
            ));
        }
    }
    let known = db::reference::member_ids(conn, &[mrn.to_owned()]).await?;
    if known.iter().all(|(_, id)| id.is_none()) {
        return Err(Error::not_found(format!("no member {mrn}")).with("mrn", mrn));
    }
    Ok(sql::encounters(conn, mrn, dates.map(|d| (d.first, d.last))).await?)
}
