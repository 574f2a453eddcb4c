//! The database: where it is (a URL or the embedded cluster), connecting with the timeouts
//! that keep cron jobs from hanging, the migration gate and the scope check.

pub mod attendance;
pub mod errors;
pub mod facilities;
pub mod finalize;
pub mod list;
pub mod session;

use crate::embedded::{self, Cluster};
use crate::error::{Error, ExitKind, Result};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::Connection;
use std::str::FromStr;
use std::time::Duration;

/// The schema, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// A connection never waits longer than this for the server (SPEC §6 "Waiting").
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where gsess finds its database.
#[derive(Debug, Clone)]
pub enum Target {
    Url(String),
    Embedded(Cluster),
}

impl Target {
    pub fn resolve(database_url: Option<&str>) -> Result<Target> {
        match database_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => Ok(Target::Url(url.to_owned())),
            None => Ok(Target::Embedded(Cluster::from_env()?)),
        }
    }

    pub fn url(&self) -> String {
        match self {
            Target::Url(url) => url.clone(),
            Target::Embedded(cluster) => cluster.url(embedded::DATABASE),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub lock: Duration,
    pub statement: Duration,
}

/// The five scopes of SPEC §5: PostgreSQL roles with exactly these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Read,
    AttendanceWrite,
    AttendanceForce,
    BillingRun,
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::Read,
        Scope::AttendanceWrite,
        Scope::AttendanceForce,
        Scope::BillingRun,
        Scope::Admin,
    ];

    pub fn role(self) -> &'static str {
        match self {
            Scope::Read => "clinical.group-session.read",
            Scope::AttendanceWrite => "clinical.attendance.write",
            Scope::AttendanceForce => "clinical.attendance.write.force",
            Scope::BillingRun => "clinical.billing.run",
            Scope::Admin => "gsess.admin",
        }
    }
}

pub fn connect_options(url: &str, timeouts: Timeouts) -> Result<PgConnectOptions> {
    let options = PgConnectOptions::from_str(url).map_err(|e| {
        Error::new(ExitKind::Usage, format!("invalid database URL: {e}"))
            .with("field", "--database-url")
    })?;
    Ok(options.application_name("gsess").options([
        ("lock_timeout", format!("{}ms", timeouts.lock.as_millis())),
        (
            "statement_timeout",
            format!("{}ms", timeouts.statement.as_millis()),
        ),
    ]))
}

/// Open a small pool on the target. The embedded cluster is started (and migrated) on
/// demand; any other database must already be migrated (`check_migrated`).
pub async fn connect(target: &Target, timeouts: Timeouts) -> Result<PgPool> {
    if let Target::Embedded(cluster) = target {
        cluster.ensure_running()?;
        ensure_embedded_database(cluster, timeouts).await?;
    }
    let options = connect_options(&target.url(), timeouts)?;
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|e| unreachable_error(target, e))?;
    if let Target::Embedded(_) = target {
        migrate(&pool).await?;
    }
    Ok(pool)
}

/// The oldest server the schema runs on: `UNIQUE NULLS NOT DISTINCT` arrived in 15.
const MIN_SERVER_VERSION: i32 = 150_000;

/// Apply pending migrations, on a server new enough for them.
pub async fn migrate(pool: &PgPool) -> Result<()> {
    let (number, text): (i32, String) = sqlx::query_as(
        "SELECT current_setting('server_version_num')::int, current_setting('server_version')",
    )
    .fetch_one(pool)
    .await?;
    if number < MIN_SERVER_VERSION {
        return Err(Error::unavailable(format!(
            "gsess needs PostgreSQL 15 or newer; this server is {text}"
        ))
        .with("server_version", text));
    }
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// The embedded cluster holds one gsess database, created on first use.
async fn ensure_embedded_database(cluster: &Cluster, timeouts: Timeouts) -> Result<()> {
    let options = connect_options(&cluster.url("postgres"), timeouts)?;
    let mut conn =
        tokio::time::timeout(CONNECT_TIMEOUT, sqlx::PgConnection::connect_with(&options))
            .await
            .map_err(|_| Error::unavailable("timed out connecting to the embedded database"))??;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(embedded::DATABASE)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        // A concurrent gsess may create it first: that is fine.
        if let Err(err) = sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE {}",
            embedded::DATABASE
        )))
        .execute(&mut conn)
        .await
        {
            // duplicate_database, or a unique violation when both CREATEs raced in the catalog
            let duplicate = matches!(&err, sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("42P04") | Some("23505")));
            if !duplicate {
                return Err(err.into());
            }
        }
    }
    conn.close().await?;
    Ok(())
}

fn unreachable_error(target: &Target, err: sqlx::Error) -> Error {
    let mapped = Error::from(err);
    let place = match target {
        Target::Url(_) => "the database at --database-url/DATABASE_URL".to_owned(),
        Target::Embedded(cluster) => format!("the embedded database ({})", cluster.home.display()),
    };
    match mapped.kind {
        ExitKind::Unavailable | ExitKind::Error => {
            Error::unavailable(format!("cannot connect to {place}: {}", mapped.message))
        }
        _ => mapped,
    }
}

/// Versions of the embedded migrations not yet applied to this database.
pub async fn pending_migrations(pool: &PgPool) -> Result<Vec<i64>> {
    let table_exists: bool =
        sqlx::query_scalar("SELECT to_regclass('public._sqlx_migrations') IS NOT NULL")
            .fetch_one(pool)
            .await?;
    let applied: Vec<i64> = if table_exists {
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await?
    } else {
        Vec::new()
    };
    Ok(MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version))
        .map(|m| m.version)
        .collect())
}

/// Commands refuse to run on a database with pending migrations.
pub async fn check_migrated(pool: &PgPool) -> Result<()> {
    let pending = pending_migrations(pool).await?;
    if pending.is_empty() {
        return Ok(());
    }
    Err(Error::unavailable(format!(
        "the database schema is not up to date ({} migration(s) pending): run `gsess db migrate` \
         as the schema's owner or a superuser",
        pending.len()
    ))
    .with("pending_migrations", pending))
}

/// Whether the login holds the scope, the way privileges see it (`USAGE`, not `MEMBER`:
/// a NOINHERIT grant passes MEMBER but the database would still refuse).
pub async fn holds_scope(pool: &PgPool, scope: Scope) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT pg_has_role(session_user, $1, 'USAGE')")
            .bind(scope.role())
            .fetch_one(pool)
            .await?,
    )
}

/// Every scope the login holds, in one round trip.
pub async fn scopes_held(pool: &PgPool) -> Result<Vec<Scope>> {
    let roles: Vec<&str> = Scope::ALL.iter().map(|s| s.role()).collect();
    let held: Vec<String> = sqlx::query_scalar(
        "SELECT r FROM unnest($1::text[]) WITH ORDINALITY AS t(r, n)
          WHERE pg_has_role(session_user, r, 'USAGE') ORDER BY n",
    )
    .bind(&roles)
    .fetch_all(pool)
    .await?;
    Ok(Scope::ALL
        .into_iter()
        .filter(|s| held.iter().any(|h| h == s.role()))
        .collect())
}

/// Check a scope first, for a clear exit 6; the grants protect the data either way.
pub async fn require_scope(pool: &PgPool, scope: Scope) -> Result<()> {
    if holds_scope(pool, scope).await? {
        return Ok(());
    }
    Err(Error::new(
        ExitKind::Forbidden,
        format!(
            "your login lacks the scope {}: ask a supervisor with the scope (or a DBA) to grant it",
            scope.role()
        ),
    )
    .with("missing_scope", scope.role()))
}
