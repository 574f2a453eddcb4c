//! The shared test harness: one throwaway PostgreSQL cluster per test binary (started with
//! gsess's own embedded-cluster code), a migrated template database made once, and a fresh
//! database cloned from it for every test. Helpers run the real `gsess` binary and, when an
//! assertion fails, print the command, its exit code, stdout and stderr.
#![allow(dead_code)] // each test binary uses its own subset of the helpers

pub mod billing;
pub mod pyx12;

use gsess::embedded::Cluster;
use serde_json::Value;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

const TEMPLATE: &str = "gsess_template";

struct Harness {
    cluster: Cluster,
    runtime: tokio::runtime::Runtime,
}

static HARNESS: OnceLock<Harness> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

fn harness() -> &'static Harness {
    HARNESS.get_or_init(|| {
        let home = PathBuf::from(format!("/tmp/gsess-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let mut cluster = Cluster::at(home).expect("PostgreSQL server binaries for the tests");
        // Lets a test count the statements a command sent (bulk work must be set-based).
        cluster.extra_settings = vec![
            "shared_preload_libraries = 'pg_stat_statements'".to_owned(),
            "pg_stat_statements.track = 'top'".to_owned(),
        ];
        cluster.ensure_running().expect("start the test cluster");
        // SAFETY: registering a plain extern "C" function with no preconditions.
        unsafe { libc::atexit(stop_cluster) };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        runtime.block_on(make_template(&cluster));
        Harness { cluster, runtime }
    })
}

extern "C" fn stop_cluster() {
    if let Some(h) = HARNESS.get() {
        let _ = h.cluster.stop();
        let _ = std::fs::remove_dir_all(&h.cluster.home);
        let _ = std::fs::remove_dir_all(h.cluster.socket_dir());
    }
}

async fn make_template(cluster: &Cluster) {
    let mut admin = connect(&cluster.url("postgres")).await;
    exec(&mut admin, &format!("CREATE DATABASE {TEMPLATE}")).await;
    let pool = sqlx::PgPool::connect(&cluster.url(TEMPLATE))
        .await
        .expect("connect to the template");
    gsess::db::MIGRATOR
        .run(&pool)
        .await
        .expect("migrate the template");
    // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template.
    pool.close().await;
}

async fn connect(url: &str) -> PgConnection {
    let options = PgConnectOptions::from_str(url).expect("url");
    PgConnection::connect_with(&options)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"))
}

async fn exec(conn: &mut PgConnection, sql: &str) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("SQL failed: {e}\n{sql}"));
}

/// A database refusal seen by a test: SQLSTATE and message.
#[derive(Debug)]
pub struct DbError {
    pub sqlstate: String,
    pub message: String,
}

/// One test's own database, cloned from the migrated template (~15 ms).
pub struct TestDb {
    pub name: String,
}

impl TestDb {
    pub fn new() -> TestDb {
        let h = harness();
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        h.runtime.block_on(async {
            let mut admin = connect(&h.cluster.url("postgres")).await;
            exec(
                &mut admin,
                &format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY"),
            )
            .await;
        });
        TestDb { name }
    }

    /// The superuser's URL for this database.
    pub fn url(&self) -> String {
        harness().cluster.url(&self.name)
    }

    /// The URL of another login on this database.
    pub fn url_as(&self, login: &str) -> String {
        self.url().replacen(
            &format!("//{}@", harness().cluster.superuser),
            &format!("//{login}@"),
            1,
        )
    }

    /// Create a login holding exactly these scopes (roles are cluster-wide: the name is
    /// made unique per database). Returns the login name.
    pub fn login(&self, label: &str, scopes: &[&str]) -> String {
        let login = format!("{}_{label}", self.name);
        let mut sql = format!("CREATE ROLE \"{login}\" LOGIN;");
        for scope in scopes {
            sql.push_str(&format!("GRANT \"{scope}\" TO \"{login}\";"));
        }
        self.sql(&sql);
        login
    }

    /// Run SQL as the superuser; panics on failure.
    pub fn sql(&self, sql: &str) {
        self.try_sql_as(&self.url(), sql)
            .unwrap_or_else(|e| panic!("SQL failed: {e:?}\n{sql}"));
    }

    /// Run SQL as the superuser; returns the database's refusal if any.
    pub fn try_sql(&self, sql: &str) -> Result<(), DbError> {
        self.try_sql_as(&self.url(), sql)
    }

    /// Run SQL as a given login; returns the database's refusal if any.
    pub fn sql_as(&self, login: &str, sql: &str) -> Result<(), DbError> {
        self.try_sql_as(&self.url_as(login), sql)
    }

    fn try_sql_as(&self, url: &str, sql: &str) -> Result<(), DbError> {
        let h = harness();
        h.runtime.block_on(async {
            let mut conn = connect(url).await;
            let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut conn)
                .await;
            let _ = conn.close().await;
            match result {
                Ok(_) => Ok(()),
                Err(sqlx::Error::Database(db)) => Err(DbError {
                    sqlstate: db.code().map(|c| c.into_owned()).unwrap_or_default(),
                    message: db.message().to_owned(),
                }),
                Err(other) => panic!("unexpected error: {other}"),
            }
        })
    }

    /// The rows of a query as JSON objects (superuser).
    pub fn rows(&self, sql: &str) -> Vec<Value> {
        let wrapped = format!("SELECT coalesce(json_agg(q), '[]')::text FROM ({sql}) q");
        let text: String = self.scalar(&wrapped);
        serde_json::from_str(&text).expect("json rows")
    }

    /// One value (superuser).
    pub fn scalar<T>(&self, sql: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
    {
        let h = harness();
        h.runtime.block_on(async {
            let mut conn = connect(&self.url()).await;
            let value: T = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("query failed: {e}\n{sql}"));
            let _ = conn.close().await;
            value
        })
    }

    /// `gsess` against this database, as the superuser.
    pub fn gsess(&self, args: &[&str]) -> Run {
        gsess_with(&[("DATABASE_URL", &self.url())], args, None)
    }

    /// `gsess` as another login.
    pub fn gsess_as(&self, login: &str, args: &[&str]) -> Run {
        gsess_with(&[("DATABASE_URL", &self.url_as(login))], args, None)
    }

    /// `gsess` with a document on stdin.
    pub fn gsess_stdin(&self, args: &[&str], stdin: &str) -> Run {
        gsess_with(&[("DATABASE_URL", &self.url())], args, Some(stdin))
    }
}

/// The built `gsess` binary, as assert_cmd finds it for integration tests.
pub fn gsess_binary() -> &'static std::path::Path {
    assert_cmd::cargo::cargo_bin!("gsess")
}

/// Run the real binary with these environment variables; stdin is a pipe, never a terminal.
pub fn gsess_with(env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("gsess");
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("GSESS_HOME")
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .write_stdin(stdin.unwrap_or_default());
    let output = command.output().expect("run gsess");
    Run {
        command: format!("gsess {}", args.join(" ")),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// What one run of gsess did. Assertions print everything when they fail.
#[derive(Debug)]
pub struct Run {
    pub command: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn report(&self) -> String {
        format!(
            "\ncommand: {}\nexit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }

    #[track_caller]
    pub fn success(&self) -> &Run {
        self.code(0)
    }

    #[track_caller]
    pub fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(expected),
            "expected exit {expected}{}",
            self.report()
        );
        self
    }

    #[track_caller]
    pub fn stderr_contains(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}{}",
            self.report()
        );
        self
    }

    #[track_caller]
    pub fn stdout_contains(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}{}",
            self.report()
        );
        self
    }

    /// stdout parsed as one JSON document.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}){}", self.report()))
    }

    /// stderr parsed as the one JSON error object of `--json`.
    #[track_caller]
    pub fn json_error(&self) -> Value {
        let line = self.stderr.lines().rev().find(|l| l.starts_with('{'));
        let line = line.unwrap_or_else(|| panic!("no JSON error on stderr{}", self.report()));
        serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("stderr JSON does not parse ({e}){}", self.report()))
    }
}

// --- LISTEN/NOTIFY (appended for tests/schema_rules.rs) -----------------------------------

impl TestDb {
    /// The payloads of the notifications on `channel` of this database (listening as the
    /// superuser) that arrive while `f` runs, in arrival order. A NOTIFY travels on commit, so
    /// after `f` returns this keeps collecting until no notification came for half a second;
    /// an empty result therefore means nothing was sent. `f` may use the other helpers.
    pub fn listen_during(&self, channel: &str, f: impl FnOnce()) -> Vec<String> {
        let h = harness();
        let url = self.url();
        // The listener's destructor spawns a task: keep the runtime's context entered until it
        // is dropped, even when `f` panics (the guard is dropped after the listener).
        let _context = h.runtime.enter();
        let mut listener = h.runtime.block_on(async {
            let mut listener = sqlx::postgres::PgListener::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("listen on {url}: {e}"));
            listener
                .listen(channel)
                .await
                .unwrap_or_else(|e| panic!("LISTEN {channel}: {e}"));
            listener
        });
        // Outside block_on: `f` runs the harness's own (blocking) helpers. Notifications wait
        // in the listener's socket meanwhile.
        f();
        h.runtime.block_on(async move {
            let mut payloads = Vec::new();
            let quiet = std::time::Duration::from_millis(500);
            while let Ok(received) = tokio::time::timeout(quiet, listener.recv()).await {
                let notification = received.unwrap_or_else(|e| panic!("receive on {channel}: {e}"));
                payloads.push(notification.payload().to_owned());
            }
            payloads
        })
    }
}

// --- Statement counts (appended for tests/finalize.rs) -------------------------------------

impl TestDb {
    /// Start counting the statements sent to this database: installs pg_stat_statements here
    /// (the test cluster preloads it, track = top) and resets this database's counters only,
    /// so tests running in parallel in other databases are not disturbed.
    pub fn reset_statement_counts(&self) {
        self.sql(
            "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
             SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database
                                                  WHERE datname = current_database()), 0);",
        );
    }

    /// Top-level statements `login` executed in this database since the last reset (the sum
    /// of pg_stat_statements `calls`); the test's own superuser queries are not counted.
    pub fn statements_executed_by(&self, login: &str) -> i64 {
        self.scalar(&format!(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
              WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND userid = (SELECT oid FROM pg_roles WHERE rolname = '{login}')"
        ))
    }

    /// The statements `login` executed since the last reset, most called first (for a
    /// failing assertion's message).
    pub fn statements_listing(&self, login: &str) -> String {
        let rows = self.rows(&format!(
            "SELECT calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
               FROM pg_stat_statements
              WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND userid = (SELECT oid FROM pg_roles WHERE rolname = '{login}')
              ORDER BY calls DESC, query"
        ));
        rows.iter()
            .map(|r| format!("{:>5}  {}", r["calls"], r["query"].as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

// --- Concurrent writers (appended for tests/mark.rs, tests/roster.rs, tests/take.rs) -------

/// A gsess process started and not yet waited for.
pub struct Pending {
    command: String,
    child: std::process::Child,
}

impl Pending {
    /// Send it SIGTERM (as systemd stops a service).
    pub fn terminate(&self) {
        let pid = i32::try_from(self.child.id()).expect("a pid");
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }

    /// Wait for it to exit and collect what it printed.
    pub fn finish(self) -> Run {
        let output = self.child.wait_with_output().expect("wait for gsess");
        Run {
            command: self.command,
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl TestDb {
    /// Start `gsess` as a login without waiting for it (stdin is not a terminal).
    pub fn spawn_gsess_as(&self, login: &str, args: &[&str]) -> Pending {
        let child = Command::new(gsess_binary())
            .args(args)
            .env_remove("GSESS_HOME")
            .env("DATABASE_URL", self.url_as(login))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn gsess");
        Pending {
            command: format!("gsess {}", args.join(" ")),
            child,
        }
    }

    /// Run `f` while `sql` (e.g. `SELECT … FOR UPDATE`) holds a transaction open on a
    /// dedicated superuser connection; commit once `f` returns, and return what `f` returned.
    pub fn holding<R>(&self, sql: &str, f: impl FnOnce() -> R) -> R {
        let h = harness();
        let url = self.url();
        let _context = h.runtime.enter();
        let mut conn = h.runtime.block_on(async {
            let mut conn = connect(&url).await;
            exec(&mut conn, "BEGIN").await;
            exec(&mut conn, sql).await;
            conn
        });
        let result = f();
        h.runtime.block_on(async {
            exec(&mut conn, "COMMIT").await;
            let _ = conn.close().await;
        });
        result
    }

    /// Wait (up to 30 s) until at least `n` gsess connections to this database are waiting on
    /// a lock (`pg_stat_activity.wait_event_type = 'Lock'`), proving the writers overlap.
    #[track_caller]
    pub fn wait_for_gsess_lock_waiters(&self, n: i64) {
        let sql = format!(
            "SELECT count(*) FROM pg_stat_activity
              WHERE datname = '{}' AND application_name = 'gsess' AND wait_event_type = 'Lock'",
            self.name
        );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let waiting: i64 = self.scalar(&sql);
            if waiting >= n {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "only {waiting} of {n} gsess connections ever waited on a lock"
            );
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
    }
}

// --- Plain text results (appended for tests/list.rs) ---------------------------------------

impl TestDb {
    /// Run SQL (several statements allowed, e.g. `SET …; PREPARE …; EXPLAIN EXECUTE …`) as the
    /// superuser on one connection; the first column of every row any statement returned,
    /// as text, in order.
    pub fn texts(&self, sql: &str) -> Vec<String> {
        use sqlx::Row;
        let h = harness();
        h.runtime.block_on(async {
            let mut conn = connect(&self.url()).await;
            let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_all(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("SQL failed: {e}\n{sql}"));
            let _ = conn.close().await;
            rows.iter()
                .map(|row| row.try_get::<String, _>(0).expect("a text column"))
                .collect()
        })
    }
}

// --- A group session to mark (appended for tests/mark.rs, tests/roster.rs, tests/take.rs) --

/// Dana Reyes: SUPERVISING assignment to M001.
pub const ROLL_CALL_DANA: &str = "1245319599";
/// Lee Park: SUPERVISING assignment to M004 (not on the roster at first).
pub const ROLL_CALL_LEE: &str = "1679576722";
/// Sam Ortiz: no assignment at all (a substitute).
pub const ROLL_CALL_SAM: &str = "1111111112";

/// An Oregon DBT session `RC-1` with M001, M002, M003 on the roster (in that order); M004 and
/// M005 exist but are not on it. ORMCD covers everyone: 90853 for 2–4 billable, 6 per
/// supervisor.
pub fn roll_call_dataset() -> Value {
    let member = |mrn: &str, first: &str, last: &str| {
        serde_json::json!({"mrn": mrn, "first_name": first, "last_name": last,
                           "birth_date": "2001-02-03", "sex": "F", "diagnosis_codes": ["F33.1"]})
    };
    let coverage = |mrn: &str| {
        serde_json::json!({"member": mrn, "payer": "ORMCD", "priority": 1,
                           "subscriber_id": format!("OR-{mrn}"), "start": "2026-01-01"})
    };
    let supervising = |npi: &str, mrn: &str| {
        serde_json::json!({"provider": npi, "member": mrn, "role": "SUPERVISING",
                           "start": "2026-01-01"})
    };
    serde_json::json!({
        "facilities": [{"code": "NORTH", "name": "North Clinic", "state": "OR",
                        "timezone": "America/Los_Angeles", "npi": "1234567893",
                        "tax_id": "931234567",
                        "address": {"line1": "1 Main St", "city": "Portland", "state": "OR",
                                    "zip": "972011234"}}],
        "payers": [{"code": "ORMCD", "name": "Oregon Medicaid", "payer_id": "ORDHS"}],
        "group_types": [{"code": "DBT", "name": "DBT skills group"}],
        "supervision_rules": [{"payer": "ORMCD", "state": "OR", "max_per_supervisor": 6,
                               "start": "2026-01-01"}],
        "size_bands": [{"payer": "ORMCD", "state": "OR", "min": 2, "max": 4,
                        "procedure_code": "90853", "modifiers": ["HQ"], "rate": "45.00",
                        "start": "2026-01-01"}],
        "providers": [
            {"npi": ROLL_CALL_DANA, "first_name": "Dana", "last_name": "Reyes"},
            {"npi": ROLL_CALL_LEE, "first_name": "Lee", "last_name": "Park"},
            {"npi": ROLL_CALL_SAM, "first_name": "Sam", "last_name": "Ortiz"}
        ],
        "members": [member("M001", "Ana", "Lopez"), member("M002", "Ben", "Kim"),
                    member("M003", "Cleo", "Park"), member("M004", "Dev", "Shah"),
                    member("M005", "Eve", "Stone")],
        "coverages": [coverage("M001"), coverage("M002"), coverage("M003"), coverage("M004"),
                      coverage("M005")],
        "staff_assignments": [supervising(ROLL_CALL_DANA, "M001"),
                              supervising(ROLL_CALL_LEE, "M004")],
        "sessions": [{"external_id": "RC-1", "facility": "NORTH", "group_type": "DBT",
                      "starts_at": "2026-11-27T14:00:00-08:00",
                      "ends_at": "2026-11-27T15:30:00-08:00",
                      "participants": ["M001", "M002", "M003"]}]
    })
}

impl TestDb {
    /// Import [`roll_call_dataset`] and return the session's id.
    pub fn seed_roll_call(&self) -> i64 {
        self.gsess_stdin(&["import", "-"], &roll_call_dataset().to_string())
            .success();
        self.scalar("SELECT id FROM group_session WHERE external_id = 'RC-1'")
    }

    /// Lock a session as a billing run would: a claim for its first roster member.
    pub fn lock_roll_call(&self, session: i64) {
        self.sql(&format!(
            "INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                                frequency_code, claim_control_number, amount)
             SELECT p.facility_id, p.session_id, p.member_id, c.payer_id, c.id, '1',
                    'RC-{session}', 45.00
               FROM session_participant p JOIN coverage_policy c ON c.member_id = p.member_id
              WHERE p.session_id = {session}
              ORDER BY p.id LIMIT 1"
        ));
    }

    /// A roster row's status, by MRN (`None` when not on the roster).
    pub fn roster_status(&self, session: i64, mrn: &str) -> Option<String> {
        self.scalar(&format!(
            "SELECT (SELECT p.status::text FROM session_participant p JOIN member m ON m.id = p.member_id
                      WHERE p.session_id = {session} AND m.mrn = '{mrn}')"
        ))
    }

    /// A supervisor row's status, by NPI (`None` when not a supervisor of the session).
    pub fn supervisor_status(&self, session: i64, npi: &str) -> Option<String> {
        self.scalar(&format!(
            "SELECT (SELECT x.status::text FROM session_supervisor x JOIN provider v ON v.id = x.provider_id
                      WHERE x.session_id = {session} AND v.npi = '{npi}')"
        ))
    }

    /// Set a roster row's status as the superuser (through the trigger: legal steps only).
    pub fn set_roster_status(&self, session: i64, mrn: &str, status: &str) {
        self.sql(&format!(
            "UPDATE session_participant p SET status = '{status}' FROM member m
              WHERE m.id = p.member_id AND p.session_id = {session} AND m.mrn = '{mrn}'"
        ));
    }
}

/// A superuser transaction a test keeps open across other steps (see [`TestDb::begin_held`]).
pub struct Held {
    conn: Option<PgConnection>,
}

impl TestDb {
    /// Open a superuser transaction on a dedicated connection and run `sql` in it; the
    /// transaction stays open (holding its locks) until [`Held::commit`] or drop (rollback).
    pub fn begin_held(&self, sql: &str) -> Held {
        let h = harness();
        let url = self.url();
        let conn = h.runtime.block_on(async {
            let mut conn = connect(&url).await;
            exec(&mut conn, "BEGIN").await;
            exec(&mut conn, sql).await;
            conn
        });
        Held { conn: Some(conn) }
    }
}

impl Held {
    /// Run more SQL in the held transaction; returns the database's refusal if any.
    pub fn exec(&mut self, sql: &str) -> Result<(), DbError> {
        let conn = self.conn.as_mut().expect("an open transaction");
        harness().runtime.block_on(async {
            match sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(conn)
                .await
            {
                Ok(_) => Ok(()),
                Err(sqlx::Error::Database(db)) => Err(DbError {
                    sqlstate: db.code().map(|c| c.into_owned()).unwrap_or_default(),
                    message: db.message().to_owned(),
                }),
                Err(other) => panic!("unexpected error: {other}"),
            }
        })
    }

    pub fn commit(mut self) {
        let mut conn = self.conn.take().expect("an open transaction");
        harness().runtime.block_on(async {
            exec(&mut conn, "COMMIT").await;
            let _ = conn.close().await;
        });
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Closing rolls back; keep the runtime's context entered for the connection's drop.
            let h = harness();
            h.runtime.block_on(async {
                let _ = conn.close().await;
            });
        }
    }
}

/// A private GSESS_HOME for tests of the embedded database: its server is stopped and its
/// directories removed when the test ends, even when an assertion failed.
pub struct Home(pub PathBuf);

impl Home {
    pub fn new(label: &str) -> Home {
        let path = PathBuf::from(format!("/tmp/gsess-emb-{}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        Home(path)
    }

    pub fn gsess(&self, args: &[&str]) -> Run {
        gsess_with(&[("GSESS_HOME", self.0.to_str().unwrap())], args, None)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        // A home too deep for a socket path keeps its socket under /tmp: remove that too.
        let url = self.gsess(&["db", "url"]).stdout;
        let _ = self.gsess(&["db", "stop"]);
        let _ = std::fs::remove_dir_all(&self.0);
        if let Some(sockets) = url.trim().split("host=").nth(1) {
            if sockets.starts_with("/tmp/gsess-") && !sockets.starts_with(self.0.to_str().unwrap())
            {
                let _ = std::fs::remove_dir_all(sockets);
            }
        }
    }
}

// --- A process killed mid-transaction (tests/corrections.rs) ------------------------------

/// A gsess process whose stderr is read as it comes, so a test can wait for a line.
pub struct Watched {
    command: String,
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl TestDb {
    /// Start `gsess` as a login with extra environment (e.g. a test-build pause point).
    pub fn spawn_watched_as(&self, login: &str, env: &[(&str, &str)], args: &[&str]) -> Watched {
        let mut child = Command::new(gsess_binary())
            .args(args)
            .envs(env.iter().copied())
            .env_remove("GSESS_HOME")
            .env("DATABASE_URL", self.url_as(login))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn gsess");
        let lines = stderr_lines(&mut child);
        Watched {
            command: format!("gsess {}", args.join(" ")),
            child,
            lines,
            seen: Vec::new(),
        }
    }
}

impl Watched {
    /// Wait (up to 60 s) for a stderr line containing `needle`.
    #[track_caller]
    pub fn wait_for_line(&mut self, needle: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line.contains(needle);
                    self.seen.push(line);
                    if found {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
        let status = self.child.try_wait().ok().flatten();
        panic!(
            "{}: no stderr line with {needle:?} (exit status {status:?}); stderr so far:\n{}",
            self.command,
            self.seen.join("\n")
        );
    }

    /// SIGKILL, and wait for it to be gone.
    pub fn kill(mut self) {
        self.child.kill().expect("kill gsess");
        let _ = self.child.wait();
    }
}

// --- Whole-database fingerprints (appended for tests/hostile_input.rs, tests/import_fuzz.rs)

impl TestDb {
    /// Every table of the schema with its row count and a checksum of its rows, one line
    /// each: equal fingerprints mean nothing was written (sequences aside).
    pub fn fingerprint(&self) -> String {
        let tables: Vec<String> = self
            .rows(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                  ORDER BY tablename",
            )
            .iter()
            .map(|row| row["tablename"].as_str().unwrap().to_owned())
            .collect();
        let checksums = tables
            .iter()
            .map(|table| {
                format!(
                    "SELECT '{table}: ' || count(*) || ' rows ' ||
                            coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '-')
                       FROM public.\"{table}\" t"
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let mut lines = self.texts(&checksums);
        lines.sort();
        lines.join("\n")
    }
}

/// A child's stderr, line by line as it writes them, read on a thread of its own so the
/// child never blocks on a full pipe.
pub fn stderr_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let stderr = child.stderr.take().expect("stderr is piped");
    let (send, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    lines
}
