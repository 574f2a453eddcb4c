//! `gsess create`: an ad-hoc session (source `ADHOC`) with its roster, in one transaction.
//! Wall-clock times are read in the facility's time zone, refusing the DST gap and overlap;
//! supervisors are derived by the database from SUPERVISING assignments, and the creation
//! is audited by trigger (migrations/0007_session_audit.sql).

use crate::app::App;
use crate::cli::CreateArgs;
use crate::db::list::group_type_id;
use crate::db::session::load_session;
use crate::db::Scope;
use crate::error::{Error, Result};
use crate::output::session::SessionSummary;
use crate::output::{Human, View};
use crate::time::{parse_time, TimeError};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::HashSet;
use std::io;

/// `create`'s answer: `{id, ...as list}` (SPEC §6.2), the new session as read back.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct CreatedView(pub SessionSummary);

impl View for CreatedView {
    fn render(&self, out: &mut Human<'_>) -> io::Result<()> {
        out.line(format!("Created session {} (ADHOC).", self.0.id))?;
        super::list::session_table(out, std::slice::from_ref(&self.0))
    }
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

pub async fn run(app: &mut App, args: &CreateArgs) -> Result<()> {
    let pool = app.pool_with_scope(Scope::AttendanceWrite).await?;

    let mut seen = HashSet::new();
    if let Some(twice) = args.members.iter().find(|mrn| !seen.insert(mrn.as_str())) {
        return Err(Error::invalid(
            "--member",
            format!("{twice} is named more than once: a member is on a roster once"),
        )
        .with("member", twice.as_str()));
    }

    let facility: Option<(i64, String)> =
        sqlx::query_as("SELECT id, timezone FROM facility WHERE code = $1")
            .bind(&args.facility)
            .fetch_optional(&pool)
            .await?;
    let (facility_id, timezone) = facility.ok_or_else(|| {
        Error::not_found(format!("no facility {}", args.facility))
            .with("facility", args.facility.as_str())
    })?;
    let zone: Tz = timezone.parse().map_err(|_| {
        Error::invalid(
            "timezone",
            format!(
                "facility {} has the unknown time zone {timezone:?}: fix it with an import",
                args.facility
            ),
        )
    })?;
    let starts_at: DateTime<Utc> = parse_time(&args.start, zone)
        .map_err(|e| invalid_time("--start", e))?
        .with_timezone(&Utc);
    let ends_at: DateTime<Utc> = parse_time(&args.end, zone)
        .map_err(|e| invalid_time("--end", e))?
        .with_timezone(&Utc);
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
    let group_type_id = group_type_id(&pool, &args.group_type).await?;

    let mut tx = pool.begin().await?;
    // MRNs to ids in the order given; any unknown one is named (exit 3) before anything is
    // written.
    let members: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT u.mrn, m.id
           FROM unnest($1::text[]) WITH ORDINALITY AS u(mrn, ord)
           LEFT JOIN member m ON m.mrn = u.mrn
          ORDER BY u.ord",
    )
    .bind(&args.members)
    .fetch_all(&mut *tx)
    .await?;
    let unknown: Vec<&str> = members
        .iter()
        .filter(|(_, id)| id.is_none())
        .map(|(mrn, _)| mrn.as_str())
        .collect();
    if !unknown.is_empty() {
        return Err(
            Error::not_found(format!("no member {}", unknown.join(", "))).with("members", unknown),
        );
    }
    let member_ids: Vec<i64> = members.iter().filter_map(|(_, id)| *id).collect();

    let id: i64 = sqlx::query_scalar(
        "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
         VALUES ($1, $2, $3, $4, 'ADHOC')
         RETURNING id",
    )
    .bind(facility_id)
    .bind(group_type_id)
    .bind(starts_at)
    .bind(ends_at)
    .fetch_one(&mut *tx)
    .await?;
    if !member_ids.is_empty() {
        // One statement, rows in the order given (roster order follows row ids); its
        // statement trigger audits the rows and derives the supervisors.
        sqlx::query(
            "INSERT INTO session_participant (facility_id, session_id, member_id)
             SELECT $1, $2, u.member_id
               FROM unnest($3::bigint[]) WITH ORDINALITY AS u(member_id, ord)
              ORDER BY u.ord",
        )
        .bind(facility_id)
        .bind(id)
        .bind(&member_ids)
        .execute(&mut *tx)
        .await?;
    }
    let record = load_session(&mut *tx, id).await?;
    tx.commit().await?;
    app.out.emit(&CreatedView(SessionSummary::of(&record)))
}
