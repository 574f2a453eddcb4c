//! An ad-hoc session (source `ADHOC`) with its roster, in one transaction. Wall-clock times
//! are read in the facility's time zone, refusing the DST gap and overlap; supervisors are
//! derived by the database from SUPERVISING assignments, and the creation is audited by
//! trigger.

use super::{reference, session};
use crate::db::{self, Retry};
use crate::error::{Error, Result};
use crate::model::SessionSummary;
use crate::rules::limits::check_roster_size;
use crate::time::{check_stored_year, parse_time, TimeError};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::PgConnection;
use std::collections::HashSet;

/// What `create` is asked for, as typed.
#[derive(Debug, Clone)]
pub struct CreateRequest {
    pub facility: String,
    pub group_type: String,
    /// RFC 3339, or `YYYY-MM-DD HH:MM` in the facility's time zone.
    pub start: String,
    pub end: String,
    pub members: Vec<String>,
}

/// A `--start`/`--end` refusal: exit 10 naming the field, with the readings for scripts.
fn invalid_time(field: &str, err: TimeError) -> Error {
    let readings = err.readings();
    let error = Error::invalid(field, &err);
    if readings.is_empty() {
        error
    } else {
        error.with("readings", readings)
    }
}

/// Create the session and return it as read back.
pub async fn create(conn: &mut PgConnection, request: &CreateRequest) -> Result<SessionSummary> {
    check_roster_size(request.members.len()).map_err(|why| Error::invalid("--member", why))?;
    let mut seen = HashSet::new();
    if let Some(twice) = request
        .members
        .iter()
        .find(|mrn| !seen.insert(mrn.as_str()))
    {
        return Err(Error::invalid(
            "--member",
            format!("{twice} is named more than once: a member is on a roster once"),
        )
        .with("member", twice.as_str()));
    }

    let (facility_id, timezone) = db::reference::facility(conn, &request.facility)
        .await?
        .ok_or_else(|| reference::no_facility(&request.facility))?;
    let zone: Tz = timezone.parse().map_err(|_| {
        Error::invalid(
            "timezone",
            format!(
                "facility {} has the unknown time zone {timezone:?}: fix it with an import",
                request.facility
            ),
        )
    })?;
    let starts_at: DateTime<Utc> = parse_time(&request.start, zone)
        .map_err(|e| invalid_time("--start", e))?
        .with_timezone(&Utc);
    let ends_at: DateTime<Utc> = parse_time(&request.end, zone)
        .map_err(|e| invalid_time("--end", e))?
        .with_timezone(&Utc);
    for (field, at) in [("--start", starts_at), ("--end", ends_at)] {
        check_stored_year(at.with_timezone(&zone).date_naive())
            .map_err(|why| Error::invalid(field, why))?;
    }
    if ends_at <= starts_at {
        return Err(Error::invalid(
            "--end",
            format!(
                "{} is not after --start {}",
                ends_at.with_timezone(&zone).to_rfc3339(),
                starts_at.with_timezone(&zone).to_rfc3339()
            ),
        ));
    }
    let group_type_id = reference::group_type_id(conn, &request.group_type).await?;

    db::transaction(conn, Retry::CONFLICTS, async |tx| {
        // MRNs to ids in the order given; any unknown one is named (exit 3) before anything
        // is written.
        let members = db::reference::member_ids(tx, &request.members).await?;
        let unknown: Vec<&str> = members
            .iter()
            .filter(|(_, id)| id.is_none())
            .map(|(mrn, _)| mrn.as_str())
            .collect();
        if !unknown.is_empty() {
            return Err(
                Error::not_found(format!("no member {}", unknown.join(", ")))
                    .with("members", unknown),
            );
        }
        let member_ids: Vec<i64> = members.iter().filter_map(|(_, id)| *id).collect();
        let id = db::create::insert_adhoc_session(
            tx,
            facility_id,
            group_type_id,
            starts_at,
            ends_at,
            &member_ids,
        )
        .await?;
        Ok(session::load(tx, id).await?.summary())
    })
    .await
}
