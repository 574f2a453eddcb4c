//! The schema and the embedded database: status, migrate, start, stop.

use crate::db::{self, Database, Gate, Target, MIGRATOR};
use crate::embedded::Cluster;
use crate::error::{Error, ExitKind, Result};

/// Where the database is and what state its schema is in.
#[derive(Debug, Clone)]
pub struct Status {
    pub url: String,
    /// The embedded cluster, when that is the database.
    pub cluster: Option<Cluster>,
    pub server_version: String,
    pub migrations_applied: usize,
    pub migrations_pending: Vec<i64>,
}

/// The embedded database is started on demand: `db status` with no configuration at all
/// answers with a running, migrated database.
pub async fn status(database: &mut Database) -> Result<Status> {
    let target = database.target()?.clone();
    let conn = database.connect(Gate::Unchecked).await?;
    let facts = db::server_facts(conn, None).await?;
    let pending = facts.pending();
    Ok(Status {
        url: target.shown_url(),
        cluster: match target {
            Target::Url(_) => None,
            Target::Embedded(cluster) => Some(cluster),
        },
        server_version: facts.version,
        migrations_applied: MIGRATOR.iter().count() - pending.len(),
        migrations_pending: pending,
    })
}

/// Apply pending migrations; returns the versions applied.
pub async fn migrate(database: &mut Database) -> Result<Vec<i64>> {
    let conn = database.connect(Gate::Unchecked).await?;
    let before = db::server_facts(conn, None).await?.pending();
    db::migrate(conn).await.map_err(|err| {
        if err.kind == ExitKind::Forbidden {
            Error::new(
                ExitKind::Forbidden,
                format!(
                    "{}: migrations are run by the schema's owner or a superuser (they create roles and objects)",
                    err.message
                ),
            )
        } else {
            err
        }
    })?;
    Ok(before)
}
