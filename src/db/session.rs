//! Reading sessions: everything the rules and the screens need about a session comes from
//! one statement (one snapshot, one round trip), however many roster rows it has. The same
//! statement serves one session (`show`, `preview`) or a batch (the billing run).

use super::DbResult;
use crate::model::SessionRecord;
use sqlx::PgConnection;

/// The one statement (`$1`: an array of session ids); the benchmark runs the same file.
const SESSIONS_SQL: &str = include_str!("sql/session.sql");

/// Sessions by id, in id order; ids that do not exist are simply absent.
pub async fn load_sessions(conn: &mut PgConnection, ids: &[i64]) -> DbResult<Vec<SessionRecord>> {
    let documents: Vec<String> = sqlx::query_scalar(SESSIONS_SQL)
        .bind(ids)
        // Run once per command: an unnamed statement, nothing kept on the server.
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    super::parse_documents(&documents, "a session")
}

/// One session, if it exists.
pub async fn load_session(conn: &mut PgConnection, id: i64) -> DbResult<Option<SessionRecord>> {
    Ok(load_sessions(conn, &[id]).await?.pop())
}
