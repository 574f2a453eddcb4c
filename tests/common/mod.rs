//! The shared test harness: one throwaway PostgreSQL cluster per test binary (started with
//! gsess's own embedded-cluster code), a migrated template database made once, and a fresh
//! database cloned from it for every test. Helpers run the real `gsess` binary and, when an
//! assertion fails, print the command, its exit code, stdout and stderr.
#![allow(dead_code)] // each test binary uses its own subset of the helpers

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
        let cluster = Cluster::at(home).expect("PostgreSQL server binaries for the tests");
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

/// Run the real binary with these environment variables; stdin is never a terminal.
pub fn gsess_with(env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gsess"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("GSESS_HOME")
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("spawn gsess");
    if let Some(text) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    let output = child.wait_with_output().expect("wait for gsess");
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
