//! Mapping PostgreSQL's refusals (SQLSTATE) to gsess's exit codes. The database enforces the
//! rules; this is where its answer becomes a message and an exit code.

use crate::error::{Error, ExitKind};

/// SQLSTATEs raised by our own triggers and functions (migrations/0003_rules.sql).
pub const ILLEGAL_TRANSITION: &str = "GS409";
pub const SESSION_LOCKED: &str = "GS423";
pub const APPEND_ONLY: &str = "GS405";
pub const NO_SUCH_ROW: &str = "GS404";

pub fn map_sqlx_error(err: sqlx::Error) -> Error {
    match &err {
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            let pg = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>();
            let mut message = db.message().to_owned();
            if let Some(detail) = pg.and_then(|e| e.detail()) {
                message.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = pg.and_then(|e| e.hint()) {
                message.push_str(&format!("; {hint}"));
            }
            kind_for_sqlstate(&code)
                .map(|kind| Error::new(kind, message.clone()).with("sqlstate", code.clone()))
                .unwrap_or_else(|| {
                    Error::internal(format!("database error {code}: {message}"))
                        .with("sqlstate", code)
                })
        }
        sqlx::Error::PoolTimedOut => {
            Error::unavailable("timed out waiting for a database connection (10 s)")
        }
        sqlx::Error::Io(io) => Error::unavailable(format!("cannot reach the database: {io}")),
        sqlx::Error::Tls(tls) => {
            Error::unavailable(format!("TLS connection to the database failed: {tls}"))
        }
        sqlx::Error::Configuration(cfg) => Error::new(
            ExitKind::Usage,
            format!("invalid database URL or option: {cfg}"),
        ),
        _ => Error::internal(format!("database error: {err}")),
    }
}

fn kind_for_sqlstate(code: &str) -> Option<ExitKind> {
    Some(match code {
        ILLEGAL_TRANSITION => ExitKind::IllegalTransition,
        SESSION_LOCKED => ExitKind::Locked,
        APPEND_ONLY => ExitKind::Forbidden,
        NO_SUCH_ROW => ExitKind::NotFound,
        // insufficient_privilege: a scope is missing
        "42501" => ExitKind::Forbidden,
        // lock_not_available (lock_timeout), query_canceled (statement_timeout),
        // the server shutting down or refusing connections
        "55P03" | "57014" | "57P01" | "57P02" | "57P03" | "53300" => ExitKind::Unavailable,
        // connection failures and invalid authorization
        c if c.starts_with("08") || c.starts_with("28") || c == "3D000" => ExitKind::Unavailable,
        // integrity and data exceptions: the input broke a constraint
        "23505" | "23503" | "23514" | "23P01" | "23502" | "22023" | "22007" | "22008" => {
            ExitKind::InvalidInput
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_sqlstates_map_to_their_exit_codes() {
        assert_eq!(
            kind_for_sqlstate(ILLEGAL_TRANSITION),
            Some(ExitKind::IllegalTransition)
        );
        assert_eq!(kind_for_sqlstate(SESSION_LOCKED), Some(ExitKind::Locked));
        assert_eq!(kind_for_sqlstate("42501"), Some(ExitKind::Forbidden));
        assert_eq!(kind_for_sqlstate("55P03"), Some(ExitKind::Unavailable));
        assert_eq!(kind_for_sqlstate("57014"), Some(ExitKind::Unavailable));
        assert_eq!(kind_for_sqlstate("XX000"), None);
    }
}
