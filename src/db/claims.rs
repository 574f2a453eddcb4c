//! Reading claims and charges: the `claims` list (with the work list of blocked claims),
//! one claim whole, a member's encounters. One statement each, returning JSON documents.

use super::DbResult;
use crate::model::{ClaimRecord, Encounter};
use chrono::NaiveDate;
use sqlx::PgConnection;

/// Which claims `claims` lists; `None` is any.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub session_id: Option<i64>,
    pub mrn: Option<String>,
    pub payer: Option<String>,
    pub status: Option<String>,
    /// Only claims not yet submitted that carry an unaccepted BLOCKING issue.
    pub blocked: bool,
    pub limit: i64,
}

const CLAIMS_SQL: &str = include_str!("sql/claims.sql");

/// Claims matching the filter, newest first.
pub async fn claims(conn: &mut PgConnection, filter: &ClaimFilter) -> DbResult<Vec<ClaimRecord>> {
    let documents: Vec<String> = sqlx::query_scalar(CLAIMS_SQL)
        .bind(None::<Vec<i64>>)
        .bind(filter.session_id)
        .bind(&filter.mrn)
        .bind(&filter.payer)
        .bind(&filter.status)
        .bind(filter.blocked)
        .bind(filter.limit)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    super::parse_documents(&documents, "a claim")
}

/// Claims by id, in id order; ids that do not exist are simply absent.
pub async fn claims_by_id(conn: &mut PgConnection, ids: &[i64]) -> DbResult<Vec<ClaimRecord>> {
    let documents: Vec<String> = sqlx::query_scalar(CLAIMS_SQL)
        .bind(ids)
        .bind(None::<i64>)
        .bind(None::<String>)
        .bind(None::<String>)
        .bind(None::<String>)
        .bind(false)
        .bind(ids.len() as i64)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    let mut claims: Vec<ClaimRecord> = super::parse_documents(&documents, "a claim")?;
    claims.sort_by_key(|c| c.id);
    Ok(claims)
}

/// A charge as `encounters` and a correction's consequence show it: the select list, for the
/// statements below to add their own `FROM … WHERE` to (`c` is the charge, `m` its member).
macro_rules! charge_document {
    () => {
        "SELECT json_build_object(
                    'charge_id', c.id, 'session_id', c.session_id, 'mrn', m.mrn,
                    'facility', f.code, 'timezone', f.timezone, 'local_date', s.local_date,
                    'payer', y.code, 'procedure_code', c.procedure_code,
                    'modifiers', c.modifiers, 'units', c.units, 'rate', c.rate::text,
                    'amount', c.amount::text, 'status', c.status, 'created_at', c.created_at,
                    'voided_at', c.voided_at,
                    'claim_id', (SELECT l.claim_id FROM claim_line l
                                   JOIN claim k ON k.facility_id = l.facility_id AND k.id = l.claim_id
                                  WHERE l.facility_id = c.facility_id AND l.charge_id = c.id
                                    AND k.is_live
                                  ORDER BY l.claim_id DESC LIMIT 1))::text "
    };
}

/// A member's charges in a range of session dates (all of them without one), by date.
pub async fn encounters(
    conn: &mut PgConnection,
    mrn: &str,
    dates: Option<(NaiveDate, NaiveDate)>,
) -> DbResult<Vec<Encounter>> {
    let (from, to) = dates.unzip();
    let documents: Vec<String> = sqlx::query_scalar(concat!(
        charge_document!(),
        "FROM member m
           JOIN charge c ON c.member_id = m.id
           JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id
           JOIN facility f ON f.id = s.facility_id
           JOIN payer y ON y.id = c.payer_id
          WHERE m.mrn = $1
            AND ($2::date IS NULL OR s.local_date BETWEEN $2 AND $3)
          ORDER BY s.local_date, s.starts_at, c.id"
    ))
    .bind(mrn)
    .bind(from)
    .bind(to)
    .persistent(false)
    .fetch_all(&mut *conn)
    .await?;
    super::parse_documents(&documents, "a charge")
}

/// Some charges of one session, by id.
pub async fn session_charges(
    conn: &mut PgConnection,
    session_id: i64,
    ids: &[i64],
) -> DbResult<Vec<Encounter>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let documents: Vec<String> = sqlx::query_scalar(concat!(
        charge_document!(),
        "FROM group_session s
           JOIN charge c ON c.facility_id = s.facility_id AND c.session_id = s.id
           JOIN member m ON m.id = c.member_id
           JOIN facility f ON f.id = s.facility_id
           JOIN payer y ON y.id = c.payer_id
          WHERE s.id = $1 AND c.id = ANY ($2)
          ORDER BY c.id"
    ))
    .bind(session_id)
    .bind(ids)
    .persistent(false)
    .fetch_all(&mut *conn)
    .await?;
    super::parse_documents(&documents, "a charge")
}
