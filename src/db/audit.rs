//! Reading the audit log: the entries matching a filter, oldest first, with the member's MRN
//! and the facility's time zone joined in. One statement, written for the filters given (so
//! each is served by its own index, even by a generic plan), read row by row as it arrives.
//! `--actor` alone is served by `audit_log_actor` (migration 0011).

use super::{DbError, DbResult};
use crate::model::AuditEntry;
use chrono::{DateTime, Utc};
use futures_util::{Stream, TryStreamExt};
use sqlx::{PgConnection, Postgres};

/// Which entries `audit` lists; `None` is any. Filters combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub session_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub member_id: Option<i64>,
    /// The database login, exactly as recorded.
    pub actor: Option<String>,
    /// Entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
}

// The member's MRN and the facility's zone are looked up per entry by key: a join would
// tempt the planner into hashing every member, and into sorting the entries again.
const COLUMNS: &str = "SELECT a.id, a.at, a.actor, a.action, a.session_id, a.claim_id,
       (SELECT m.mrn FROM member m WHERE m.id = a.member_id) AS mrn,
       (SELECT f.timezone FROM facility f WHERE f.id = a.facility_id) AS timezone,
       a.before, a.after, a.reason, a.forced";

/// The statement for this filter: the base, a clause per filter given (each value bound,
/// never formatted in), the order and the limit. Public so a test can EXPLAIN it.
pub fn audit_sql(filter: &AuditFilter) -> String {
    let mut clauses = Vec::new();
    let mut next = 0;
    let mut param = || {
        next += 1;
        next
    };
    if filter.session_id.is_some() {
        clauses.push(format!("session_id = ${}", param()));
    }
    if filter.claim_id.is_some() {
        clauses.push(format!("claim_id = ${}", param()));
    }
    if filter.member_id.is_some() {
        clauses.push(format!("member_id = ${}", param()));
    }
    if filter.actor.is_some() {
        clauses.push(format!("actor = ${}", param()));
    }
    if filter.since.is_some() {
        clauses.push(format!("at >= ${}", param()));
    }
    let mut sql = String::from(COLUMNS);
    if clauses.is_empty() || (clauses.len() == 1 && filter.since.is_some()) {
        // The whole log, or its tail since a time: `audit_log_at` walks it in the order
        // shown, so entries stream out as read, unsorted, and a limit stops the walk.
        sql.push_str("\n  FROM audit_log a");
        if let Some(since) = clauses.first() {
            sql.push_str(&format!("\n WHERE a.{since}"));
        }
    } else {
        // A filter is planned apart (OFFSET 0 keeps it from being merged into the outer
        // query) for every entry it matches, so its own index finds them and only those are
        // sorted. Otherwise a limit tempts the planner to walk the whole log in time order,
        // expecting matches early — but a session's entries, or a new member's, may be at
        // its end.
        sql.push_str("\n  FROM (SELECT * FROM audit_log\n         WHERE ");
        sql.push_str(&clauses.join("\n           AND "));
        sql.push_str("\n        OFFSET 0) a");
    }
    // Oldest first: by time, and by id among entries of the same instant.
    sql.push_str("\n ORDER BY a.at, a.id");
    if filter.limit.is_some() {
        sql.push_str(&format!("\n LIMIT ${}", param()));
    }
    sql
}

/// The entries matching `filter`, oldest first, as the server sends them: nothing is
/// collected, so memory stays flat however long the log is.
pub fn entries<'c>(
    conn: &'c mut PgConnection,
    filter: &AuditFilter,
) -> impl Stream<Item = DbResult<AuditEntry>> + 'c {
    // Run once per command: an unnamed statement, planned for the values given.
    let mut query = sqlx::query_as::<Postgres, AuditEntry>(sqlx::AssertSqlSafe(audit_sql(filter)))
        .persistent(false);
    // Bound in the order `audit_sql` numbered them.
    if let Some(id) = filter.session_id {
        query = query.bind(id);
    }
    if let Some(id) = filter.claim_id {
        query = query.bind(id);
    }
    if let Some(id) = filter.member_id {
        query = query.bind(id);
    }
    if let Some(actor) = &filter.actor {
        query = query.bind(actor.clone());
    }
    if let Some(since) = filter.since {
        query = query.bind(since);
    }
    if let Some(limit) = filter.limit {
        query = query.bind(limit);
    }
    query.fetch(conn).map_err(DbError::from)
}

/// What the filter's names refer to: whether the session and the claim exist (true when not
/// asked) and the member's id by MRN (`None` when not asked or unknown). One round trip.
pub async fn resolve(
    conn: &mut PgConnection,
    session_id: Option<i64>,
    claim_id: Option<i64>,
    mrn: Option<&str>,
) -> DbResult<(bool, bool, Option<i64>)> {
    Ok(sqlx::query_as(
        "SELECT $1::bigint IS NULL OR EXISTS (SELECT 1 FROM group_session WHERE id = $1),
                $2::bigint IS NULL OR EXISTS (SELECT 1 FROM claim WHERE id = $2),
                (SELECT id FROM member WHERE mrn = $3::text)",
    )
    .bind(session_id)
    .bind(claim_id)
    .bind(mrn)
    .persistent(false)
    .fetch_one(&mut *conn)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_filters_given_become_clauses_numbered_in_binding_order() {
        let none = audit_sql(&AuditFilter::default());
        assert!(
            !none.contains("WHERE a.") && !none.contains("OFFSET"),
            "{none}"
        );
        assert!(none.ends_with("ORDER BY a.at, a.id"), "{none}");

        // The tail of the log is read straight off its time index, no subquery.
        let since = audit_sql(&AuditFilter {
            since: Some(Utc::now()),
            ..AuditFilter::default()
        });
        assert!(since.contains("WHERE a.at >= $1"), "{since}");
        assert!(!since.contains("OFFSET"), "{since}");

        let some = audit_sql(&AuditFilter {
            member_id: Some(7),
            since: Some(Utc::now()),
            limit: Some(10),
            ..AuditFilter::default()
        });
        assert!(some.contains("WHERE member_id = $1"), "{some}");
        assert!(some.contains("AND at >= $2"), "{some}");
        assert!(some.ends_with("LIMIT $3"), "{some}");
        assert!(!some.contains("IS NULL"), "{some}");
    }
}
