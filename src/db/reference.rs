//! Reference data by its natural key: facilities, group types, payers and members by code or
//! MRN, and the login's home facility.

use super::DbResult;
use sqlx::PgConnection;

/// The login's home facility code, from the imported users list.
pub async fn home_facility(conn: &mut PgConnection) -> DbResult<Option<String>> {
    let home: Option<Option<String>> =
        sqlx::query_scalar("SELECT home_facility FROM current_user_profile")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(home.flatten())
}

/// A facility's id and IANA time zone, by code.
pub async fn facility(conn: &mut PgConnection, code: &str) -> DbResult<Option<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, timezone FROM facility WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Every facility's code, in order.
pub async fn facility_codes(conn: &mut PgConnection) -> DbResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT code FROM facility ORDER BY code")
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// A group type's id, by code.
pub async fn group_type_id(conn: &mut PgConnection, code: &str) -> DbResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM group_type WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Whether a payer (by code) and a member (by MRN) exist; `None` asks nothing and answers yes.
pub async fn payer_and_member_exist(
    conn: &mut PgConnection,
    payer: Option<&str>,
    mrn: Option<&str>,
) -> DbResult<(bool, bool)> {
    Ok(sqlx::query_as(
        "SELECT $1::text IS NULL OR EXISTS (SELECT 1 FROM payer WHERE code = $1),
                $2::text IS NULL OR EXISTS (SELECT 1 FROM member WHERE mrn = $2)",
    )
    .bind(payer)
    .bind(mrn)
    .fetch_one(&mut *conn)
    .await?)
}

/// Member ids by MRN, in the order given; `None` for an MRN no member has.
pub async fn member_ids(
    conn: &mut PgConnection,
    mrns: &[String],
) -> DbResult<Vec<(String, Option<i64>)>> {
    Ok(sqlx::query_as(
        "SELECT u.mrn, m.id
           FROM unnest($1::text[]) WITH ORDINALITY AS u(mrn, ord)
           LEFT JOIN member m ON m.mrn = u.mrn
          ORDER BY u.ord",
    )
    .bind(mrns)
    .fetch_all(&mut *conn)
    .await?)
}

/// A session's id by its feed id at a facility.
pub async fn session_by_external_id(
    conn: &mut PgConnection,
    facility: &str,
    external_id: &str,
) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT s.id FROM group_session s JOIN facility f ON f.id = s.facility_id
          WHERE f.code = $1 AND s.external_id = $2",
    )
    .bind(facility)
    .bind(external_id)
    .fetch_optional(&mut *conn)
    .await?)
}
