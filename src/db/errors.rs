//! The database's failures as a typed error, the SQLSTATEs our own triggers and functions
//! raise, and the one conversion into gsess's error at this module's edge: the database
//! enforces the rules, and this is where its refusal becomes an exit code and a message.

use crate::error::{Error, ExitKind};
use std::fmt;

/// SQLSTATEs raised by our own triggers and functions (see the migrations).
pub const ILLEGAL_TRANSITION: &str = "GS409";
pub const SESSION_LOCKED: &str = "GS423";
pub const APPEND_ONLY: &str = "GS405";
pub const NO_SUCH_ROW: &str = "GS404";
/// PostgreSQL aborted the transaction so that another could go on; running it again is safe.
pub const SERIALIZATION_FAILURE: &str = "40001";
pub const DEADLOCK_DETECTED: &str = "40P01";

/// Everything a database call can fail with.
#[derive(Debug)]
pub enum DbError {
    /// The server refused a statement, with its SQLSTATE.
    Refused(Refusal),
    /// The server cannot be reached, or the connection broke.
    Unreachable(String),
    /// The TLS handshake failed.
    Tls(String),
    /// The connection settings are not usable.
    Configuration(String),
    /// An answer did not have the shape gsess expects: a bug, or a schema gsess does not know.
    Unexpected(String),
}

/// A refusal as the server sent it.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub sqlstate: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

impl DbError {
    pub fn unexpected(message: impl Into<String>) -> DbError {
        DbError::Unexpected(message.into())
    }

    /// The SQLSTATE of a refusal.
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            DbError::Refused(refusal) => Some(&refusal.sqlstate),
            _ => None,
        }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Refused(r) => {
                f.write_str(&r.message)?;
                if let Some(detail) = &r.detail {
                    write!(f, " ({detail})")?;
                }
                if let Some(hint) = &r.hint {
                    write!(f, "; {hint}")?;
                }
                Ok(())
            }
            DbError::Unreachable(m) => write!(f, "cannot reach the database: {m}"),
            DbError::Tls(m) => write!(f, "TLS connection to the database failed: {m}"),
            DbError::Configuration(m) => write!(f, "invalid database URL or option: {m}"),
            DbError::Unexpected(m) => write!(f, "unexpected answer from the database: {m}"),
        }
    }
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> DbError {
        match err {
            sqlx::Error::Database(db) => {
                let pg = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>();
                DbError::Refused(Refusal {
                    sqlstate: db.code().map(|c| c.into_owned()).unwrap_or_default(),
                    message: db.message().to_owned(),
                    detail: pg.and_then(|e| e.detail()).map(str::to_owned),
                    hint: pg.and_then(|e| e.hint()).map(str::to_owned),
                })
            }
            sqlx::Error::Io(io) => DbError::Unreachable(io.to_string()),
            sqlx::Error::PoolTimedOut => {
                DbError::Unreachable("timed out waiting for a connection".to_owned())
            }
            sqlx::Error::Tls(tls) => DbError::Tls(tls.to_string()),
            sqlx::Error::Configuration(cfg) => DbError::Configuration(cfg.to_string()),
            other => DbError::Unexpected(other.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(err: sqlx::migrate::MigrateError) -> DbError {
        match err {
            sqlx::migrate::MigrateError::Execute(inner) => inner.into(),
            other => DbError::Unexpected(format!("migration failed: {other}")),
        }
    }
}

impl From<DbError> for Error {
    fn from(err: DbError) -> Error {
        let message = err.to_string();
        match &err {
            DbError::Refused(refusal) => {
                let code = refusal.sqlstate.as_str();
                match kind_for_sqlstate(code) {
                    Some(kind) => Error::new(kind, message),
                    None => Error::internal(format!("database error {code}: {message}")),
                }
                .with_sqlstate(code)
            }
            DbError::Unreachable(_) | DbError::Tls(_) => Error::unavailable(message),
            DbError::Configuration(_) => Error::new(ExitKind::Usage, message),
            DbError::Unexpected(_) => Error::internal(message),
        }
    }
}

/// A sqlx error as gsess reports it (the database's refusals keep their SQLSTATE).
pub fn map_sqlx_error(err: sqlx::Error) -> Error {
    DbError::from(err).into()
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

    fn refused(sqlstate: &str) -> DbError {
        DbError::Refused(Refusal {
            sqlstate: sqlstate.to_owned(),
            message: "refused".to_owned(),
            detail: Some("allowed next: ABSENT".to_owned()),
            hint: None,
        })
    }

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

    #[test]
    fn a_refusal_keeps_its_sqlstate_and_detail() {
        let err = Error::from(refused(ILLEGAL_TRANSITION));
        assert_eq!(err.kind, ExitKind::IllegalTransition);
        assert_eq!(err.sqlstate.as_deref(), Some("GS409"));
        assert_eq!(err.context["sqlstate"], "GS409");
        assert_eq!(err.message, "refused (allowed next: ABSENT)");
        let unknown = Error::from(refused("XX000"));
        assert_eq!(unknown.kind, ExitKind::Error);
        assert!(unknown.message.starts_with("database error XX000"));
    }
}
