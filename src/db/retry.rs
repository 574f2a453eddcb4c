//! Every write runs in a transaction through [`transaction`], which runs it again when
//! PostgreSQL rolled it back so that a concurrent transaction could go on (a serialization
//! failure or a deadlock). Nothing of the aborted attempt stayed, so the body simply starts
//! over and sees what the other transaction left. A body must therefore only talk to the
//! database: anything it printed would be printed twice.

use super::errors::{DbError, DEADLOCK_DETECTED, SERIALIZATION_FAILURE};
use crate::error::{Error, Result};
use sqlx::{Connection, PgConnection};
use std::time::Duration;

/// Which refusals a transaction is run again after, and how often.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    attempts: u32,
    /// SQLSTATEs besides the conflicts that this transaction may meet and safely repeat.
    also: &'static [&'static str],
}

impl Retry {
    /// Serialization failures and deadlocks.
    pub const CONFLICTS: Retry = Retry {
        attempts: 4,
        also: &[],
    };

    /// The conflicts and these SQLSTATEs too.
    pub const fn conflicts_and(also: &'static [&'static str]) -> Retry {
        Retry {
            attempts: Retry::CONFLICTS.attempts,
            also,
        }
    }

    fn applies_to(&self, err: &Error) -> bool {
        match err.sqlstate.as_deref() {
            Some(SERIALIZATION_FAILURE | DEADLOCK_DETECTED) => true,
            Some(code) => self.also.contains(&code),
            None => false,
        }
    }
}

/// Run `body` in a transaction and commit it; on a refusal `retry` covers, roll back and run
/// it again (a short, growing pause between attempts), at most `retry.attempts` times.
pub async fn transaction<T, F>(conn: &mut PgConnection, retry: Retry, body: F) -> Result<T>
where
    F: AsyncFnMut(&mut PgConnection) -> Result<T>,
{
    run(conn, retry, End::Commit, body).await
}

/// Run `body` as [`transaction`] does, then roll it back whatever it did: a dry run sees
/// exactly what the real run would, and leaves nothing behind.
pub async fn rehearsal<T, F>(conn: &mut PgConnection, retry: Retry, body: F) -> Result<T>
where
    F: AsyncFnMut(&mut PgConnection) -> Result<T>,
{
    run(conn, retry, End::Rollback, body).await
}

#[derive(Debug, Clone, Copy)]
enum End {
    Commit,
    Rollback,
}

async fn run<T, F>(conn: &mut PgConnection, retry: Retry, end: End, mut body: F) -> Result<T>
where
    F: AsyncFnMut(&mut PgConnection) -> Result<T>,
{
    let mut attempt = 1;
    loop {
        let outcome = attempt_once(conn, end, &mut body).await;
        match outcome {
            Err(err) if attempt < retry.attempts && retry.applies_to(&err) => {
                tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt))).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

async fn attempt_once<T, F>(conn: &mut PgConnection, end: End, body: &mut F) -> Result<T>
where
    F: AsyncFnMut(&mut PgConnection) -> Result<T>,
{
    let mut tx = conn.begin().await.map_err(DbError::from)?;
    match body(&mut tx).await {
        Ok(value) => {
            match end {
                End::Commit => tx.commit().await,
                End::Rollback => tx.rollback().await,
            }
            .map_err(DbError::from)?;
            Ok(value)
        }
        Err(err) => {
            // The refusal is what the caller needs to see, not a failed rollback after it.
            let _ = tx.rollback().await;
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitKind;

    fn refused(code: &str) -> Error {
        Error::new(ExitKind::Error, "refused").with_sqlstate(code)
    }

    #[test]
    fn conflicts_are_retried_and_other_refusals_are_not() {
        let retry = Retry::CONFLICTS;
        assert!(retry.applies_to(&refused("40001")));
        assert!(retry.applies_to(&refused("40P01")));
        assert!(!retry.applies_to(&refused("GS423")));
        assert!(!retry.applies_to(&Error::internal("no SQLSTATE")));
        let finalize = Retry::conflicts_and(&["GS423"]);
        assert!(finalize.applies_to(&refused("GS423")));
        assert!(!finalize.applies_to(&refused("GS409")));
    }
}
