//! `gsess list` in one statement: sessions of a date range with their roster counts,
//! supervisor names (one per provider) and derived status, however many sessions match.
//! Counts come from lateral aggregates, never a query per row; the optional filters are
//! added to the statement only when given, so a facility-day is an index range on
//! `group_session_day (facility_id, local_date, starts_at)` whatever plan PostgreSQL caches.

use super::{DbError, DbResult};
use crate::model::{AttendanceCounts, SessionSummary};
use crate::rules::SessionStatus;
use crate::time::DateRange;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::{Stream, StreamExt};
use sqlx::{PgConnection, Postgres};

/// What `list` asks for; `None` means "any".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    /// Local dates (each session's facility calendar).
    pub dates: DateRange,
    pub facility_id: Option<i64>,
    pub group_type_id: Option<i64>,
    pub status: Option<SessionStatus>,
    pub limit: Option<i64>,
}

/// One row of the statement, as it comes; it becomes a `SessionSummary`.
#[derive(Debug, sqlx::FromRow)]
struct ListRow {
    id: i64,
    external_id: Option<String>,
    local_date: NaiveDate,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    facility: String,
    timezone: String,
    group_type: String,
    supervisors: Vec<String>,
    scheduled: i64,
    attended: i64,
    late: i64,
    absent: i64,
    status: String,
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ListRow {
    fn into_summary(self) -> DbResult<SessionSummary> {
        let status = self.status.parse::<SessionStatus>().map_err(|e| {
            DbError::unexpected(format!("session {}: derived status: {e}", self.id))
        })?;
        Ok(SessionSummary {
            id: self.id,
            external_id: self.external_id,
            local_date: self.local_date,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            facility: self.facility,
            timezone: self.timezone,
            group_type: self.group_type,
            supervisors: self.supervisors,
            attendance: AttendanceCounts {
                scheduled: count(self.scheduled),
                attended: count(self.attended),
                late: count(self.late),
                absent: count(self.absent),
            },
            status,
        })
    }
}

/// The statement up to its filters, which `list_sql` appends (the date first: `$1`, or `$1`
/// and `$2` for a range).
///
/// The status is the schema's `session_status()` (a claim → LOCKED; billed → BILLED; no
/// roster row still SCHEDULED, an empty roster too → READY; else OPEN). Roster counts and the
/// status look at participants only; supervisor rows only give names, one per provider, in
/// the order the session got them (as `show`).
const LIST_SQL: &str = r#"
SELECT s.id, s.external_id, s.local_date, s.starts_at, s.ends_at,
       f.code AS facility, f.timezone, t.code AS group_type,
       sup.names AS supervisors,
       r.scheduled, r.attended, r.late, r.absent,
       st.status
  FROM group_session s
  JOIN facility f ON f.id = s.facility_id
  JOIN group_type t ON t.id = s.group_type_id
 CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE p.status = 'SCHEDULED') AS scheduled,
               count(*) FILTER (WHERE p.status = 'ATTENDED') AS attended,
               count(*) FILTER (WHERE p.status = 'LATE') AS late,
               count(*) FILTER (WHERE p.status = 'ABSENT') AS absent
          FROM session_participant p
         WHERE p.facility_id = s.facility_id AND p.session_id = s.id) r
 CROSS JOIN LATERAL (
        SELECT coalesce(array_agg(v.first_name || ' ' || v.last_name ORDER BY x.id), '{}') AS names
          FROM session_supervisor x
          JOIN provider v ON v.id = x.provider_id
         WHERE x.facility_id = s.facility_id AND x.session_id = s.id) sup
 CROSS JOIN LATERAL (
        SELECT session_status(session_is_locked(s.facility_id, s.id), s.billed_at IS NOT NULL,
                              r.scheduled) AS status) st
 WHERE "#;

/// The statement for this filter: the base, the clauses of the filters given (each value
/// bound, never formatted in), the order and the limit. Public so a test can EXPLAIN it.
pub fn list_sql(filter: &ListFilter) -> String {
    let mut sql = String::from(LIST_SQL);
    // One day is an equality, so a facility-day is an exact prefix of group_session_day and
    // comes out of it already in start order.
    let mut next = if filter.dates.is_one_day() {
        sql.push_str("s.local_date = $1");
        1
    } else {
        sql.push_str("s.local_date BETWEEN $1 AND $2");
        2
    };
    let mut param = || {
        next += 1;
        next
    };
    if filter.facility_id.is_some() {
        sql.push_str(&format!("\n   AND s.facility_id = ${}", param()));
    }
    if filter.group_type_id.is_some() {
        sql.push_str(&format!("\n   AND s.group_type_id = ${}", param()));
    }
    if filter.status.is_some() {
        sql.push_str(&format!("\n   AND st.status = ${}", param()));
    }
    sql.push_str("\n ORDER BY s.starts_at, s.id");
    if filter.limit.is_some() {
        sql.push_str(&format!("\n LIMIT ${}", param()));
    }
    sql
}

/// The sessions matching `filter`, ordered by start then id, as the server sends them: one
/// round trip, and nothing collected, so memory does not grow with the listing.
pub fn sessions<'c>(
    conn: &'c mut PgConnection,
    filter: &ListFilter,
) -> impl Stream<Item = DbResult<SessionSummary>> + 'c {
    let sql = list_sql(filter);
    // Run once per command: an unnamed statement, nothing kept on the server.
    let mut query = sqlx::query_as::<Postgres, ListRow>(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(filter.dates.first);
    if !filter.dates.is_one_day() {
        query = query.bind(filter.dates.last);
    }
    // Bound in the order `list_sql` numbered them.
    if let Some(id) = filter.facility_id {
        query = query.bind(id);
    }
    if let Some(id) = filter.group_type_id {
        query = query.bind(id);
    }
    if let Some(status) = filter.status {
        query = query.bind(status.as_str());
    }
    if let Some(limit) = filter.limit {
        query = query.bind(limit);
    }
    query
        .fetch(conn)
        .map(|row| row.map_err(DbError::from).and_then(ListRow::into_summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> ListFilter {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        ListFilter {
            dates: DateRange::day(day),
            facility_id: None,
            group_type_id: None,
            status: None,
            limit: None,
        }
    }

    #[test]
    fn only_the_filters_given_are_in_the_statement_numbered_in_bind_order() {
        let all = list_sql(&filter());
        assert!(all.contains("WHERE s.local_date = $1\n"), "{all}");
        assert!(!all.contains("$2"), "{all}");
        assert!(
            all.trim_end().ends_with("ORDER BY s.starts_at, s.id"),
            "{all}"
        );

        let range = list_sql(&ListFilter {
            dates: DateRange {
                first: filter().dates.first,
                last: filter().dates.last.succ_opt().unwrap(),
            },
            facility_id: Some(1),
            ..filter()
        });
        assert!(
            range.contains("WHERE s.local_date BETWEEN $1 AND $2"),
            "{range}"
        );
        assert!(range.contains("AND s.facility_id = $3"), "{range}");

        let every = list_sql(&ListFilter {
            facility_id: Some(1),
            group_type_id: Some(2),
            status: Some(SessionStatus::Open),
            limit: Some(5),
            ..filter()
        });
        assert!(every.contains("AND s.facility_id = $2"), "{every}");
        assert!(every.contains("AND s.group_type_id = $3"), "{every}");
        assert!(every.contains("AND st.status = $4"), "{every}");
        assert!(every.trim_end().ends_with("LIMIT $5"), "{every}");

        let some = list_sql(&ListFilter {
            status: Some(SessionStatus::Locked),
            limit: Some(1),
            ..filter()
        });
        assert!(some.contains("AND st.status = $2"), "{some}");
        assert!(some.trim_end().ends_with("LIMIT $3"), "{some}");
    }
}
