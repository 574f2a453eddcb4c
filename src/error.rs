//! The one error type of gsess: every failure carries its exit code, a message for people
//! and, for `--json`, context for scripts. It knows nothing of the database driver: `db`
//! converts its own errors into this one at its edge, keeping the SQLSTATE.

use serde_json::{Map, Value};
use std::fmt;

/// The exit codes (0 is success and has no variant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    Error,
    Usage,
    NotFound,
    IllegalTransition,
    Locked,
    Forbidden,
    ConfirmationRequired,
    BlockingIssues,
    Unavailable,
    InvalidInput,
}

impl ExitKind {
    pub fn code(self) -> u8 {
        match self {
            ExitKind::Error => 1,
            ExitKind::Usage => 2,
            ExitKind::NotFound => 3,
            ExitKind::IllegalTransition => 4,
            ExitKind::Locked => 5,
            ExitKind::Forbidden => 6,
            ExitKind::ConfirmationRequired => 7,
            ExitKind::BlockingIssues => 8,
            ExitKind::Unavailable => 9,
            ExitKind::InvalidInput => 10,
        }
    }

    /// The name scripts see in `{"error": {"code": ...}}`.
    pub fn name(self) -> &'static str {
        match self {
            ExitKind::Error => "ERROR",
            ExitKind::Usage => "USAGE",
            ExitKind::NotFound => "NOT_FOUND",
            ExitKind::IllegalTransition => "ILLEGAL_TRANSITION",
            ExitKind::Locked => "LOCKED",
            ExitKind::Forbidden => "FORBIDDEN",
            ExitKind::ConfirmationRequired => "CONFIRMATION_REQUIRED",
            ExitKind::BlockingIssues => "BLOCKING_ISSUES",
            ExitKind::Unavailable => "UNAVAILABLE",
            ExitKind::InvalidInput => "INVALID_INPUT",
        }
    }

    pub fn http_status(self) -> u16 {
        match self {
            ExitKind::Error => 500,
            ExitKind::Usage => 400,
            ExitKind::NotFound => 404,
            ExitKind::IllegalTransition => 409,
            ExitKind::Locked => 409,
            ExitKind::Forbidden => 403,
            ExitKind::ConfirmationRequired => 428,
            ExitKind::BlockingIssues => 422,
            ExitKind::Unavailable => 503,
            ExitKind::InvalidInput => 400,
        }
    }
}

#[derive(Debug)]
pub struct Error {
    pub kind: ExitKind,
    pub message: String,
    /// Extra fields for the JSON error object (the path of a bad field, a missing scope…).
    pub context: Map<String, Value>,
    /// The SQLSTATE when the database refused: what a retry or a caller decides on.
    pub sqlstate: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ExitKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            context: Map::new(),
            sqlstate: None,
        }
    }

    /// Record the SQLSTATE of the database refusal behind this error (also shown in JSON).
    pub fn with_sqlstate(mut self, sqlstate: impl Into<String>) -> Self {
        let sqlstate = sqlstate.into();
        self.context
            .insert("sqlstate".to_owned(), sqlstate.clone().into());
        self.sqlstate = Some(sqlstate);
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.context.insert(key.to_owned(), value.into());
        self
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ExitKind::NotFound, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Unavailable, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Error, message)
    }

    /// Invalid input at a JSON path or command-line field, named in the message and context.
    pub fn invalid(field: impl Into<String>, message: impl fmt::Display) -> Self {
        let field = field.into();
        Self::new(ExitKind::InvalidInput, format!("{field}: {message}")).with("field", field)
    }

    /// The error as the one JSON object printed on stderr with `--json`.
    pub fn to_json(&self) -> Value {
        let mut body = Map::new();
        body.insert("code".into(), self.kind.name().into());
        body.insert("http_status".into(), self.kind.http_status().into());
        body.insert("message".into(), self.message.clone().into());
        for (key, value) in &self.context {
            body.entry(key.clone()).or_insert_with(|| value.clone());
        }
        serde_json::json!({ "error": body })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::internal(format!("I/O error: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_carries_code_status_message_and_context() {
        let err = Error::invalid("$.members[0].npi", "bad check digit");
        let json = err.to_json();
        assert_eq!(json["error"]["code"], "INVALID_INPUT");
        assert_eq!(json["error"]["http_status"], 400);
        assert_eq!(json["error"]["field"], "$.members[0].npi");
        assert_eq!(
            json["error"]["message"],
            "$.members[0].npi: bad check digit"
        );
    }

    #[test]
    fn exit_codes_and_http_statuses_follow_the_spec_table() {
        let table = [
            (ExitKind::Error, 1, 500),
            (ExitKind::Usage, 2, 400),
            (ExitKind::NotFound, 3, 404),
            (ExitKind::IllegalTransition, 4, 409),
            (ExitKind::Locked, 5, 409),
            (ExitKind::Forbidden, 6, 403),
            (ExitKind::ConfirmationRequired, 7, 428),
            (ExitKind::BlockingIssues, 8, 422),
            (ExitKind::Unavailable, 9, 503),
            (ExitKind::InvalidInput, 10, 400),
        ];
        for (kind, code, status) in table {
            assert_eq!(
                (kind.code(), kind.http_status()),
                (code, status),
                "{kind:?}"
            );
        }
    }
}
