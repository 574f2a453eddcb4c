//! Sending claims in SQL: the claims of a submission taken in hand, everything an 837P says
//! about them in one statement, the control numbers, the stored interchange with the claims
//! it carried marked submitted (and the claims they replace or void marked so), the stored
//! text read back, and the payer's claim number recorded.

use super::DbResult;
use crate::model::SubmissionClaim;
use sqlx::PgConnection;

/// A claim as a submission first sees it (its row locked until the submission commits).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Held {
    pub id: i64,
    pub session_id: i64,
    pub status: String,
}

/// These claims, locked; ids that do not exist are absent.
pub async fn take_claims(conn: &mut PgConnection, ids: &[i64]) -> DbResult<Vec<Held>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.session_id, c.status FROM claim c
          WHERE c.id = ANY ($1) ORDER BY c.id FOR UPDATE OF c",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?)
}

/// The session's claims still to be sent (the live, unsubmitted ones), locked; `None` when
/// there is no such session.
pub async fn take_session_claims(
    conn: &mut PgConnection,
    session_id: i64,
) -> DbResult<Option<Vec<Held>>> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM group_session WHERE id = $1")
        .bind(session_id)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    Ok(Some(
        sqlx::query_as(
            "SELECT c.id, c.session_id, c.status
               FROM group_session s
               JOIN claim c ON c.facility_id = s.facility_id AND c.session_id = s.id
              WHERE s.id = $1 AND c.status = 'BUILT'
              ORDER BY c.id FOR UPDATE OF c",
        )
        .bind(session_id)
        .fetch_all(&mut *conn)
        .await?,
    ))
}

/// Everything the 837P carries about these claims, in id order.
pub async fn submission_facts(
    conn: &mut PgConnection,
    ids: &[i64],
) -> DbResult<Vec<SubmissionClaim>> {
    let documents: Vec<String> = sqlx::query_scalar(include_str!("sql/submission.sql"))
        .bind(ids)
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    super::parse_documents(&documents, "a claim to send")
}

/// The interchange (ISA13) and functional group (GS06) control numbers of the next
/// interchange: drawn from sequences, never reused.
pub async fn control_numbers(conn: &mut PgConnection) -> DbResult<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT nextval('interchange_control_number_seq'), nextval('group_control_number_seq')",
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// One interchange as it was sent.
#[derive(Debug, Clone)]
pub struct Sent<'a> {
    pub facility_id: i64,
    pub payer_id: i64,
    pub interchange_control_number: i64,
    pub production: bool,
    pub content: &'a str,
    pub claim_ids: &'a [i64],
}

/// Store the interchange and mark its claims SUBMITTED; a claim a submitted replacement
/// replaces becomes REPLACED, one a submitted void voids becomes VOIDED. Returns the
/// document's id.
pub async fn record_submission(conn: &mut PgConnection, sent: &Sent<'_>) -> DbResult<i64> {
    Ok(sqlx::query_scalar(
        "WITH document AS (
             INSERT INTO edi_document (facility_id, payer_id, interchange_control_number,
                                       production, content)
             VALUES ($1, $2, $3, $4, $5) RETURNING facility_id, id
         ), submitted AS (
             UPDATE claim c SET status = 'SUBMITTED', submitted_at = now(), edi_document_id = d.id
               FROM document d
              WHERE c.facility_id = d.facility_id AND c.id = ANY ($6) AND c.status = 'BUILT'
             RETURNING c.facility_id, c.replaces_claim_id, c.frequency_code
         ), corrected AS (
             UPDATE claim r
                SET status = CASE s.frequency_code WHEN '7' THEN 'REPLACED' ELSE 'VOIDED' END
               FROM submitted s
              WHERE r.facility_id = s.facility_id AND r.id = s.replaces_claim_id
         )
         SELECT id FROM document",
    )
    .bind(sent.facility_id)
    .bind(sent.payer_id)
    .bind(sent.interchange_control_number)
    .bind(sent.production)
    .bind(sent.content)
    .bind(sent.claim_ids)
    .fetch_one(&mut *conn)
    .await?)
}

/// The stored interchange a claim was sent in: `None` when there is no such claim,
/// `Some(None)` while it has not been sent.
pub async fn stored_edi(
    conn: &mut PgConnection,
    claim_id: i64,
) -> DbResult<Option<Option<String>>> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT d.content FROM claim c
           LEFT JOIN edi_document d ON d.facility_id = c.facility_id AND d.id = c.edi_document_id
          WHERE c.id = $1",
    )
    .bind(claim_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(content,)| content))
}

/// Record the payer's claim control number on a sent claim; its status, or `None` when
/// there is no such claim.
pub async fn record_payer_claim_number(
    conn: &mut PgConnection,
    claim_id: i64,
    number: &str,
) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "UPDATE claim SET payer_claim_number = $2
          WHERE id = $1 AND status <> 'BUILT'
         RETURNING status",
    )
    .bind(claim_id)
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A claim's payer claim number once a sent correction quotes it in `REF*F8` (it can then no
/// longer change), else `None`.
pub async fn quoted_payer_claim_number(
    conn: &mut PgConnection,
    claim_id: i64,
) -> DbResult<Option<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.payer_claim_number, k.id FROM claim c
           JOIN claim k ON k.facility_id = c.facility_id AND k.replaces_claim_id = c.id
          WHERE c.id = $1 AND c.payer_claim_number IS NOT NULL AND k.status <> 'BUILT'
          ORDER BY k.id LIMIT 1",
    )
    .bind(claim_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The unsubmitted corrections (7, 8) of a claim: they carry its payer claim number.
pub async fn corrections_of(conn: &mut PgConnection, claim_id: i64) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT k.id FROM claim c
           JOIN claim k ON k.facility_id = c.facility_id AND k.replaces_claim_id = c.id
          WHERE c.id = $1 AND k.status = 'BUILT'
          ORDER BY k.id",
    )
    .bind(claim_id)
    .fetch_all(&mut *conn)
    .await?)
}
