//! The database: where it is (a URL or the embedded cluster), the one connection a command
//! uses (opened with the timeouts that keep cron jobs from hanging, closed with a proper
//! Terminate), the migration gate and the scope check folded into one round trip, and the
//! queries, one module per subject. Everything here returns rows and facts; deciding what
//! they mean is the operations' job (`crate::ops`).

pub mod accept;
pub mod attendance;
pub mod audit;
pub mod billing;
pub mod claims;
pub mod connect;
pub mod conninfo;
pub mod corrections;
pub mod create;
pub mod errors;
pub mod finalize;
pub mod import;
pub mod list;
pub mod reference;
pub mod retry;
pub mod session;
pub mod submit;

pub use errors::{DbError, Result as DbResult};
pub use retry::{rehearsal, transaction, Retry};

use crate::embedded::{self, Cluster};
use crate::error::{Error, ExitKind, Result};
use connect::{ConnectError, Connected, Server, SessionSettings};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::{Connection, PgConnection};
use std::time::Duration;

/// The schema, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!();

/// The oldest server the schema runs on: `UNIQUE NULLS NOT DISTINCT` arrived in 15.
const MIN_SERVER_VERSION: i32 = 150_000;

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

    /// The connection string with any password replaced, for showing.
    pub fn shown_url(&self) -> String {
        conninfo::redact(&self.url())
    }

    fn describe(&self) -> String {
        match self {
            Target::Url(_) => "the database at --database-url/DATABASE_URL".to_owned(),
            Target::Embedded(cluster) => {
                format!("the embedded database ({})", cluster.home.display())
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub lock: Duration,
    pub statement: Duration,
}

/// The five scopes: PostgreSQL roles with exactly these names.
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

/// What a command needs of the database before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// A migrated schema and, if given, a login holding the scope (`whoami` needs none).
    Ready(Option<Scope>),
    /// Any state: `db status` reports it, `db migrate` changes it.
    Unchecked,
}

/// What the server said about itself and the login, in one round trip.
#[derive(Debug, Clone)]
pub struct ServerFacts {
    pub version: String,
    pub version_num: i32,
    /// Migrations applied to this database (none when it was never migrated).
    pub applied: Vec<i64>,
    /// Whether the login holds the scope asked about (true when none was).
    pub holds_scope: bool,
}

impl ServerFacts {
    /// Versions of the embedded migrations not applied here.
    pub fn pending(&self) -> Vec<i64> {
        MIGRATOR
            .iter()
            .filter(|m| m.migration_type.is_up_migration() && !self.applied.contains(&m.version))
            .map(|m| m.version)
            .collect()
    }
}

/// The database of one gsess process: the target, resolved on first use, and at most one
/// open connection, which [`Database::close`] ends cleanly.
pub struct Database {
    url: Option<String>,
    timeouts: Timeouts,
    target: Option<Target>,
    connected: Option<Connected>,
}

impl Database {
    pub fn new(url: Option<String>, timeouts: Timeouts) -> Database {
        Database {
            url,
            timeouts,
            target: None,
            connected: None,
        }
    }

    pub fn target(&mut self) -> Result<&Target> {
        if self.target.is_none() {
            self.target = Some(Target::resolve(self.url.as_deref())?);
        }
        Ok(self.target.as_ref().expect("resolved above"))
    }

    /// The command's connection, opened on first use and checked against `gate`: the
    /// embedded database is started, created and migrated on demand; any other must already
    /// be migrated (exit 9 naming `gsess db migrate`); a missing scope is exit 6.
    pub async fn connect(&mut self, gate: Gate) -> Result<&mut PgConnection> {
        let target = self.target()?.clone();
        let timeouts = self.timeouts;
        if self.connected.is_none() {
            self.connected = Some(open(&target, timeouts).await?);
        }
        let conn = &mut self.connected.as_mut().expect("opened above").conn;
        let embedded = matches!(target, Target::Embedded(_));
        let scope = match gate {
            Gate::Ready(scope) => scope,
            // The embedded database is migrated whatever the command; any other, as it is.
            Gate::Unchecked if embedded => None,
            Gate::Unchecked => return Ok(conn),
        };
        let mut facts = server_facts(conn, scope).await?;
        check_version(&facts)?;
        if !facts.pending().is_empty() {
            match (embedded, gate) {
                (true, _) => {
                    migrate(conn).await?;
                    facts = server_facts(conn, scope).await?;
                }
                (false, Gate::Ready(_)) => return Err(not_migrated(&facts.pending())),
                (false, Gate::Unchecked) => {}
            }
        }
        if !facts.holds_scope {
            return Err(missing_scope(scope.expect("only a scope can be missing")));
        }
        Ok(conn)
    }

    /// The server the connection reached, once [`Database::connect`] opened it.
    pub fn server(&self) -> Option<&Server> {
        self.connected.as_ref().map(|c| &c.server)
    }

    /// The attendance notifications, on a LISTEN connection to the same server beside the
    /// command's own (`preview --watch`, `billing watch`); call after [`Database::connect`].
    pub async fn attendance_feed(&mut self) -> Result<AttendanceFeed> {
        let Some(connected) = &self.connected else {
            return Err(Error::internal(
                "a listener needs the command's connection first",
            ));
        };
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_lazy_with(connected.options.clone());
        let mut listener = PgListener::connect_with(&pool)
            .await
            .map_err(DbError::from)?;
        listener
            .listen(ATTENDANCE_CHANNEL)
            .await
            .map_err(DbError::from)?;
        Ok(AttendanceFeed(listener))
    }

    /// Drop the embedded database (the demo starting afresh); the next [`Database::connect`]
    /// creates and migrates it again.
    pub async fn drop_embedded_database(&mut self) -> Result<()> {
        let Target::Embedded(cluster) = self.target()?.clone() else {
            return Err(Error::internal(
                "only the embedded database is ever dropped",
            ));
        };
        self.close().await;
        let target = Target::Embedded(cluster.clone());
        let admin = open_url(&cluster.url("postgres"), self.timeouts)
            .await
            .map_err(|e| e.into_error(&target))?;
        let mut conn = admin.conn;
        let dropped = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            embedded::DATABASE
        )))
        .execute(&mut conn)
        .await;
        let _ = conn.close().await;
        dropped.map_err(DbError::from)?;
        Ok(())
    }

    /// End the connection with a Terminate, so the server logs a clean disconnect.
    pub async fn close(&mut self) {
        if let Some(connected) = self.connected.take() {
            let _ = connected.conn.close().await;
        }
    }
}

/// The JSON documents a statement built (one a row), read into gsess's records; `what`
/// names one for the error, which only a schema gsess does not know can cause.
pub fn parse_documents<T: serde::de::DeserializeOwned>(
    documents: &[String],
    what: &str,
) -> DbResult<Vec<T>> {
    documents
        .iter()
        .map(|doc| {
            serde_json::from_str(doc)
                .map_err(|e| DbError::unexpected(format!("reading {what}: {e}")))
        })
        .collect()
}

/// A listener beside the command's connection waits this long for the server, as the
/// command's own connection does unless the connection string says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection string resolved the way libpq resolves it: the URL or keyword/value form,
/// then the `PG*` environment, then the password file.
pub fn conninfo(url: &str) -> Result<conninfo::ConnInfo> {
    conninfo::resolve(
        url,
        &conninfo::SystemEnvironment,
        &conninfo::Defaults::default(),
    )
    .map_err(|e| {
        Error::new(ExitKind::Usage, format!("invalid connection string: {e}"))
            .with("field", "--database-url")
    })
}

/// One connection to the target. The embedded cluster is started on demand, and its
/// database created the first time it is missing (which costs a second, short connection
/// once, never on later runs).
async fn open(target: &Target, timeouts: Timeouts) -> Result<Connected> {
    if let Target::Embedded(cluster) = target {
        cluster.ensure_running()?;
    }
    match open_url(&target.url(), timeouts).await {
        Err(Opening::Refused(err))
            if matches!(target, Target::Embedded(_)) && refused_with(&err, "3D000") =>
        {
            let Target::Embedded(cluster) = target else {
                unreachable!("matched above")
            };
            create_embedded_database(cluster, timeouts).await?;
            open_url(&target.url(), timeouts)
                .await
                .map_err(|e| e.into_error(target))
        }
        other => other.map_err(|e| e.into_error(target)),
    }
}

/// Why a connection could not be opened: the string itself, or every attempt failed.
enum Opening {
    Invalid(Error),
    Refused(ConnectError),
}

impl Opening {
    fn into_error(self, target: &Target) -> Error {
        match self {
            Opening::Invalid(err) => err,
            Opening::Refused(err) => unreachable(target, &err),
        }
    }
}

fn refused_with(err: &ConnectError, sqlstate: &str) -> bool {
    err.failures
        .iter()
        .any(|f| f.sqlstate.as_deref() == Some(sqlstate))
}

async fn open_url(url: &str, timeouts: Timeouts) -> std::result::Result<Connected, Opening> {
    let info = conninfo(url).map_err(Opening::Invalid)?;
    // As libpq does, say so on stderr when the password file is ignored (group or world
    // may read it) and the like.
    for warning in &info.warnings {
        eprintln!("{warning}");
    }
    let session = SessionSettings {
        lock_timeout: timeouts.lock,
        statement_timeout: timeouts.statement,
    };
    connect::connect(&info, &session, &conninfo::SystemEnvironment)
        .await
        .map_err(Opening::Refused)
}

/// The embedded cluster holds one gsess database, created on first use.
async fn create_embedded_database(cluster: &Cluster, timeouts: Timeouts) -> Result<()> {
    let target = Target::Embedded(cluster.clone());
    let admin = open_url(&cluster.url("postgres"), timeouts)
        .await
        .map_err(|e| e.into_error(&target))?;
    let mut conn = admin.conn;
    let created = sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {}",
        embedded::DATABASE
    )))
    .execute(&mut conn)
    .await;
    let _ = conn.close().await;
    match created {
        Ok(_) => Ok(()),
        // A concurrent gsess created it first (duplicate_database, or a unique violation
        // when both CREATEs raced in the catalog): that is fine.
        Err(sqlx::Error::Database(db))
            if matches!(db.code().as_deref(), Some("42P04") | Some("23505")) =>
        {
            Ok(())
        }
        Err(err) => Err(DbError::from(err).into()),
    }
}

/// Exit 9, naming every attempt as psql does (socket file or host and port, and why), never
/// a password.
fn unreachable(target: &Target, err: &ConnectError) -> Error {
    let attempts: Vec<serde_json::Value> = err
        .failures
        .iter()
        .map(|f| serde_json::json!({"attempt": f.attempt, "reason": f.reason, "sqlstate": f.sqlstate}))
        .collect();
    Error::unavailable(format!("cannot connect to {}:\n{err}", target.describe()))
        .with("attempts", attempts)
}

/// The server's version, the migrations applied and whether the login holds `scope`: one
/// statement. A database never migrated has no migrations table (nor, in a new cluster, the
/// scope roles); that is asked apart, and the gate stops at the pending migrations.
pub async fn server_facts(conn: &mut PgConnection, scope: Option<Scope>) -> Result<ServerFacts> {
    const FACTS: &str = "SELECT current_setting('server_version'),
                                current_setting('server_version_num')::int,
                                ARRAY(SELECT version FROM _sqlx_migrations WHERE success ORDER BY version),
                                $1::text IS NULL OR pg_has_role(session_user, $1, 'USAGE')";
    const FACTS_UNMIGRATED: &str = "SELECT current_setting('server_version'),
                                           current_setting('server_version_num')::int,
                                           '{}'::bigint[],
                                           $1::text IS NULL OR true";
    let role = scope.map(Scope::role);
    let row: (String, i32, Vec<i64>, bool) = match sqlx::query_as(FACTS)
        .bind(role)
        .persistent(false)
        .fetch_one(&mut *conn)
        .await
    {
        // undefined_table: the migrations table does not exist yet
        Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("42P01") => {
            sqlx::query_as(FACTS_UNMIGRATED)
                .bind(role)
                .persistent(false)
                .fetch_one(&mut *conn)
                .await
                .map_err(DbError::from)?
        }
        other => other.map_err(DbError::from)?,
    };
    let (version, version_num, applied, holds_scope) = row;
    Ok(ServerFacts {
        version,
        version_num,
        applied,
        holds_scope,
    })
}

fn check_version(facts: &ServerFacts) -> Result<()> {
    if facts.version_num < MIN_SERVER_VERSION {
        return Err(Error::unavailable(format!(
            "gsess needs PostgreSQL 15 or newer; this server is {}",
            facts.version
        ))
        .with("server_version", facts.version.clone()));
    }
    Ok(())
}

/// Apply pending migrations (after the version check).
pub async fn migrate(conn: &mut PgConnection) -> Result<()> {
    check_version(&server_facts(conn, None).await?)?;
    MIGRATOR.run(&mut *conn).await.map_err(DbError::from)?;
    Ok(())
}

fn not_migrated(pending: &[i64]) -> Error {
    Error::unavailable(format!(
        "the database schema is not up to date ({} migration(s) pending): run `gsess db migrate` \
         as the schema's owner or a superuser",
        pending.len()
    ))
    .with("pending_migrations", pending.to_vec())
}

fn missing_scope(scope: Scope) -> Error {
    Error::new(
        ExitKind::Forbidden,
        format!(
            "your login lacks the scope {}: ask a supervisor with the scope (or a DBA) to grant it",
            scope.role()
        ),
    )
    .with("missing_scope", scope.role())
}

/// Every scope the login holds, in one round trip.
pub async fn scopes_held(conn: &mut PgConnection) -> DbResult<Vec<Scope>> {
    let roles: Vec<&str> = Scope::ALL.iter().map(|s| s.role()).collect();
    let held: Vec<String> = sqlx::query_scalar(
        "SELECT r FROM unnest($1::text[]) WITH ORDINALITY AS t(r, n)
          WHERE pg_has_role(session_user, r, 'USAGE') ORDER BY n",
    )
    .bind(&roles)
    .persistent(false)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Scope::ALL
        .into_iter()
        .filter(|s| held.iter().any(|h| h == s.role()))
        .collect())
}

/// The login, its profile from the users list (name, home facility) and whether the server
/// is a standby.
pub async fn login_profile(
    conn: &mut PgConnection,
) -> DbResult<(String, Option<String>, Option<String>, bool)> {
    Ok(sqlx::query_as(
        "SELECT session_user::text, p.name, p.home_facility, pg_is_in_recovery()
           FROM (SELECT 1) one LEFT JOIN current_user_profile p ON true",
    )
    .persistent(false)
    .fetch_one(&mut *conn)
    .await?)
}

/// The reason the audit triggers record with every change of this transaction
/// (`gsess.reason`; informational, the login comes from `session_user`).
pub async fn set_audit_reason(conn: &mut PgConnection, reason: &str) -> DbResult<()> {
    sqlx::query("SELECT set_config('gsess.reason', $1, true)")
        .bind(reason)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The version string of the server (`db status`).
pub async fn server_version(conn: &mut PgConnection) -> DbResult<String> {
    Ok(sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut *conn)
        .await?)
}

/// The channel the attendance triggers notify on commit, with the session id as payload.
pub const ATTENDANCE_CHANNEL: &str = "gsess_attendance";

/// Sessions whose attendance (or acceptances) changed, as each change commits.
pub struct AttendanceFeed(PgListener);

impl AttendanceFeed {
    /// The next session that changed (waits until one does).
    pub async fn next(&mut self) -> DbResult<i64> {
        loop {
            let notification = self.0.recv().await?;
            if let Ok(id) = notification.payload().parse() {
                return Ok(id);
            }
        }
    }
}
