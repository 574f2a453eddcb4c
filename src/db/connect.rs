//! Open one connection from a resolved [`ConnInfo`], the way libpq does: hosts tried in
//! order, `target_session_attrs` checked after connecting, `sslmode` as libpq reads it, a
//! connect timeout per host, and an error naming every attempt as psql names it.
//!
//! sqlx's [`PgConnectOptions`] is built field by field for each attempt (its URL parser
//! misses libpq forms), so everything the connection string said reaches sqlx as a value.
//!
//! Every connection this module gives up on (a server that does not fit the session
//! attributes) is closed with a Terminate message; the one it returns must be closed by the
//! caller with `conn.close().await`.
//!
//! TLS: sqlx is built with `tls-native-tls` (OpenSSL on Linux, the library libpq uses), so
//! `require`/`prefer` take the server's certificate unverified whatever its form (an X.509 v1
//! self-signed certificate included, which rustls's webpki refuses to parse even when
//! verification is off), and `verify-ca`/`verify-full` verify as libpq does.

use super::conninfo::{
    default_cert_path, ConnInfo, Endpoint, Environment, HostSpec, SslMode, TargetSessionAttrs,
};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{Connection, PgConnection};
use std::fmt;
use std::time::Duration;

/// Settings sent at startup, so no statement is needed to set them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSettings {
    pub lock_timeout: Duration,
    pub statement_timeout: Duration,
}

/// The server a connection reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The socket directory, or the host as the connection string named it.
    pub host: String,
    pub port: u16,
    /// psql's wording of the attempt (`on socket "…"`, `at "db1", port 5432`).
    pub described: String,
    /// Whether the session is encrypted.
    pub tls: bool,
    /// Known when `target_session_attrs` made gsess ask (`pg_is_in_recovery()`).
    pub in_recovery: Option<bool>,
}

/// A connection, the server it reached, and the options that reached it (for a second
/// connection to the same server, such as a listener beside it).
#[derive(Debug)]
pub struct Connected {
    pub conn: PgConnection,
    pub server: Server,
    pub options: PgConnectOptions,
}

/// One attempt that did not give a usable connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// psql's wording of what was tried (see [`HostSpec::describe`]).
    pub attempt: String,
    /// Why, as psql says it (`Connection refused`, `FATAL:  password authentication failed …`).
    pub reason: String,
    /// The server's SQLSTATE, when the server refused.
    pub sqlstate: Option<String>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "connection to server {} failed: {}",
            self.attempt, self.reason
        )
    }
}

/// No host gave a usable connection: every attempt, in order. Never holds a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectError {
    pub failures: Vec<Failure>,
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, failure) in self.failures.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{failure}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConnectError {}

/// How one attempt uses TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// No TLS (always, on a Unix socket: PostgreSQL has no TLS there, and libpq does not ask).
    Off,
    /// TLS required; the certificate taken without verification.
    Unverified,
    /// TLS required; the certificate chain verified against the root certificate.
    VerifyCa,
    /// As `VerifyCa`, and the host name checked against the certificate.
    VerifyFull,
}

/// The TLS plans for one host, in order; the next is tried only after the previous failed
/// in a way libpq retries (`allow`: the server refused the plain connection; `prefer`: TLS
/// failed or the server refused the TLS connection).
fn tls_plan(info: &ConnInfo, host: &HostSpec, root_cert: bool) -> Vec<Tls> {
    if matches!(host.endpoint, Endpoint::Socket(_)) {
        return vec![Tls::Off];
    }
    match info.sslmode {
        SslMode::Disable => vec![Tls::Off],
        SslMode::Allow => vec![Tls::Off, Tls::Unverified],
        SslMode::Prefer => vec![Tls::Unverified, Tls::Off],
        // libpq: with a root certificate present, `require` verifies the chain (verify-ca).
        SslMode::Require if root_cert => vec![Tls::VerifyCa],
        SslMode::Require => vec![Tls::Unverified],
        SslMode::VerifyCa => vec![Tls::VerifyCa],
        SslMode::VerifyFull => vec![Tls::VerifyFull],
    }
}

/// Where the TLS files are: the string's, else libpq's defaults under `~/.postgresql/`.
#[derive(Debug, Clone, Default)]
struct TlsFiles {
    root_cert: Option<String>,
    /// `sslrootcert=system`: the system's trusted roots (sqlx's default store).
    system_roots: bool,
    client_cert: Option<String>,
    client_key: Option<String>,
    /// The root certificate file libpq would look for, when there is none.
    missing_root: Option<String>,
}

fn tls_files(info: &ConnInfo, env: &dyn Environment) -> TlsFiles {
    let mut files = TlsFiles::default();
    match info.sslrootcert.as_deref() {
        Some("system") => files.system_roots = true,
        Some(path) => {
            if env.is_file(std::path::Path::new(path)) {
                files.root_cert = Some(path.to_owned());
            } else {
                files.missing_root = Some(path.to_owned());
            }
        }
        None => match default_cert_path(env, "root.crt") {
            Some(path) => files.root_cert = Some(path.display().to_string()),
            None => {
                files.missing_root = Some(
                    env.home_dir()
                        .map(|h| h.join(".postgresql/root.crt").display().to_string())
                        .unwrap_or_else(|| "~/.postgresql/root.crt".to_owned()),
                )
            }
        },
    }
    files.client_cert = info
        .sslcert
        .clone()
        .or_else(|| default_cert_path(env, "postgresql.crt").map(|p| p.display().to_string()));
    files.client_key = info
        .sslkey
        .clone()
        .or_else(|| default_cert_path(env, "postgresql.key").map(|p| p.display().to_string()));
    files
}

/// sqlx's options for one attempt, field by field (never sqlx's URL parser). Settings that
/// sqlx reads from the environment on its own are all overwritten here.
pub fn attempt_options(
    info: &ConnInfo,
    host: &HostSpec,
    tls: Tls,
    session: &SessionSettings,
) -> PgConnectOptions {
    attempt_options_with(info, host, tls, session, &TlsFiles::default())
}

fn attempt_options_with(
    info: &ConnInfo,
    host: &HostSpec,
    tls: Tls,
    session: &SessionSettings,
    files: &TlsFiles,
) -> PgConnectOptions {
    let mut options = PgConnectOptions::new_without_pgpass()
        .port(host.port)
        .username(&info.user)
        .database(&info.dbname)
        .application_name(&info.application_name);
    options = match &host.endpoint {
        Endpoint::Socket(dir) => options.host(dir).socket(dir),
        Endpoint::Tcp { .. } => options.host(host.tcp_address().unwrap_or("localhost")),
    };
    if let Some(password) = &host.password {
        options = options.password(password.expose());
    }
    options = options.ssl_mode(match tls {
        Tls::Off => PgSslMode::Disable,
        Tls::Unverified => PgSslMode::Require,
        Tls::VerifyCa => PgSslMode::VerifyCa,
        Tls::VerifyFull => PgSslMode::VerifyFull,
    });
    if tls != Tls::Off {
        if let Some(root) = &files.root_cert {
            if tls != Tls::Unverified {
                options = options.ssl_root_cert(root);
            }
        }
        if let (Some(cert), Some(key)) = (&files.client_cert, &files.client_key) {
            options = options.ssl_client_cert(cert).ssl_client_key(key);
        }
    }
    // No JIT: gsess's statements are short and planned once per process, and compiling
    // them cost more than it saved (a whole day's list took twice as long with it). Set
    // before the connection string's own `options`, so a `-c jit=on` there still wins.
    // (A larger work_mem was tried for the audit's sort, and dropped: with room to hash,
    // the planner hashed the whole member table for the blocked-claims work list.)
    options = options.options([("jit", "off")]);
    // The connection string's `options` next, as given (sqlx already holds PGOPTIONS when
    // set: it is the same value unless the string overrides it, and a later `-c` wins).
    if let Some(given) = info.options.as_deref() {
        if options.get_options() != Some(given) {
            options = append_raw_options(options, given);
        }
    }
    options.options([
        (
            "lock_timeout",
            format!("{}ms", session.lock_timeout.as_millis()),
        ),
        (
            "statement_timeout",
            format!("{}ms", session.statement_timeout.as_millis()),
        ),
    ])
}

/// Append an already-formatted `options` value (`-c a=b -c c=d`), word by word.
fn append_raw_options(options: PgConnectOptions, raw: &str) -> PgConnectOptions {
    // sqlx offers only key/value pairs (which it escapes); split `-c name=value` and
    // `--name=value` back into pairs.
    let mut pairs = Vec::new();
    let mut words = raw.split_ascii_whitespace().peekable();
    while let Some(word) = words.next() {
        let setting = if word == "-c" {
            words.next()
        } else if let Some(rest) = word.strip_prefix("-c") {
            Some(rest)
        } else {
            word.strip_prefix("--")
        };
        if let Some((k, v)) = setting.and_then(|s| s.split_once('=')) {
            pairs.push((k.replace('-', "_"), v.to_owned()));
        }
    }
    options.options(pairs)
}

/// Connect as libpq would: each host in order (two passes for `prefer-standby`), each with
/// its TLS plan, checking `target_session_attrs` after connecting.
pub async fn connect(
    info: &ConnInfo,
    session: &SessionSettings,
    env: &dyn Environment,
) -> Result<Connected, ConnectError> {
    let files = tls_files(info, env);
    let passes: &[TargetSessionAttrs] = match info.target_session_attrs {
        TargetSessionAttrs::PreferStandby => {
            &[TargetSessionAttrs::Standby, TargetSessionAttrs::Any]
        }
        ref other => std::slice::from_ref(other),
    };
    let mut failures = Vec::new();
    for want in passes {
        for host in &info.hosts {
            match connect_host(info, host, *want, session, &files).await {
                Ok(found) => return Ok(found),
                Err(mut more) => failures.append(&mut more),
            }
        }
    }
    Err(ConnectError { failures })
}

async fn connect_host(
    info: &ConnInfo,
    host: &HostSpec,
    want: TargetSessionAttrs,
    session: &SessionSettings,
    files: &TlsFiles,
) -> Result<Connected, Vec<Failure>> {
    let attempt = host.describe();
    let fail = |reason: String, sqlstate: Option<String>| Failure {
        attempt: attempt.clone(),
        reason,
        sqlstate,
    };
    if let Endpoint::Socket(dir) = &host.endpoint {
        if dir.starts_with('@') {
            return Err(vec![fail(
                "abstract Unix-domain sockets are not supported by gsess".into(),
                None,
            )]);
        }
    }
    let plan = tls_plan(info, host, files.root_cert.is_some());
    if plan
        .iter()
        .any(|t| matches!(t, Tls::VerifyCa | Tls::VerifyFull))
        && files.root_cert.is_none()
        && !files.system_roots
    {
        let path = files.missing_root.clone().unwrap_or_default();
        return Err(vec![fail(
            format!(
                "root certificate file \"{path}\" does not exist\n\
                 Either provide the file or change sslmode to disable server certificate verification."
            ),
            None,
        )]);
    }
    let mut failures = Vec::new();
    for (step, tls) in plan.iter().enumerate() {
        let options = attempt_options_with(info, host, *tls, session, files);
        let last = step + 1 == plan.len();
        let result = match info.connect_timeout {
            Some(limit) => tokio::time::timeout(limit, PgConnection::connect_with(&options))
                .await
                .unwrap_or_else(|_| Err(sqlx::Error::PoolTimedOut)),
            None => PgConnection::connect_with(&options).await,
        };
        let mut conn = match result {
            Ok(conn) => conn,
            Err(err) => {
                let refused_tls = is_tls_refused(&err);
                // `prefer`: a server without TLS answers "N"; libpq then carries on in the
                // clear without a word. Anything else failed is worth reporting.
                if !(refused_tls && !last && *tls == Tls::Unverified) {
                    let (mut reason, sqlstate) = describe_error(&err, host, *tls);
                    if sqlstate.as_deref() == Some("28P01") {
                        if let Some(file) = &host.password_file {
                            reason.push_str(&format!(
                                "\npassword retrieved from file \"{}\"",
                                file.display()
                            ));
                        }
                    }
                    failures.push(fail(reason, sqlstate));
                }
                let retry = !last
                    && match info.sslmode {
                        // allow: only when the server refused the plain connection
                        SslMode::Allow => matches!(err, sqlx::Error::Database(_)),
                        // prefer: TLS refused, failed, or the server refused the TLS session
                        SslMode::Prefer => {
                            refused_tls
                                || matches!(err, sqlx::Error::Database(_) | sqlx::Error::Tls(_))
                        }
                        _ => false,
                    };
                if retry {
                    continue;
                }
                return Err(failures);
            }
        };
        let in_recovery = if want == TargetSessionAttrs::Any {
            None
        } else {
            match check_attributes(&mut conn, want).await {
                Ok(in_recovery) => Some(in_recovery),
                Err(reason) => {
                    let _ = conn.close().await;
                    failures.push(fail(reason, None));
                    return Err(failures);
                }
            }
        };
        let server = Server {
            host: host.host_label(),
            port: host.port,
            described: attempt.clone(),
            tls: *tls != Tls::Off,
            in_recovery,
        };
        return Ok(Connected {
            conn,
            server,
            options,
        });
    }
    Err(failures)
}

/// libpq's session-attribute checks, in one round trip; the error says why it does not fit.
async fn check_attributes(
    conn: &mut PgConnection,
    want: TargetSessionAttrs,
) -> Result<bool, String> {
    let (in_recovery, read_only): (bool, bool) = sqlx::query_as(
        "SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on'",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| format!("could not check the session's attributes: {e}"))?;
    let misfit = match want {
        TargetSessionAttrs::Any | TargetSessionAttrs::PreferStandby => None,
        TargetSessionAttrs::ReadWrite if read_only => Some("session is read-only"),
        TargetSessionAttrs::ReadOnly if !read_only => Some("session is not read-only"),
        TargetSessionAttrs::Primary if in_recovery => Some("server is in hot standby mode"),
        TargetSessionAttrs::Standby if !in_recovery => Some("server is not in hot standby mode"),
        _ => None,
    };
    match misfit {
        Some(reason) => Err(reason.to_owned()),
        None => Ok(in_recovery),
    }
}

/// sqlx's "the server answered N to SSLRequest".
fn is_tls_refused(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Tls(e) if e.to_string() == "server does not support TLS")
}

/// psql's wording of a failed attempt, and the SQLSTATE when the server refused.
fn describe_error(err: &sqlx::Error, host: &HostSpec, tls: Tls) -> (String, Option<String>) {
    let socket = matches!(host.endpoint, Endpoint::Socket(_));
    match err {
        sqlx::Error::Database(db) => {
            let severity = db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .map(|pg| format!("{:?}", pg.severity()).to_uppercase())
                .unwrap_or_else(|| "FATAL".to_owned());
            (
                format!("{severity}:  {}", db.message()),
                db.code().map(|c| c.into_owned()),
            )
        }
        sqlx::Error::Io(io) => {
            let text = io_text(io);
            let hint = match io.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused if socket => {
                    "\n\tIs the server running locally and accepting connections on that socket?"
                }
                std::io::ErrorKind::ConnectionRefused => {
                    "\n\tIs the server running on that host and accepting TCP/IP connections?"
                }
                _ => "",
            };
            (format!("{text}{hint}"), None)
        }
        sqlx::Error::PoolTimedOut => ("timeout expired".to_owned(), None),
        sqlx::Error::Tls(_) if is_tls_refused(err) && tls != Tls::Off => (
            "server does not support SSL, but SSL was required".to_owned(),
            None,
        ),
        sqlx::Error::Tls(e) => (format!("SSL error: {e}"), None),
        other => (other.to_string(), None),
    }
}

/// `No such file or directory (os error 2)` → psql's `No such file or directory`.
fn io_text(io: &std::io::Error) -> String {
    let text = io.to_string();
    match text.rfind(" (os error ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::conninfo::{self, Defaults, Password};

    fn info(conninfo: &str) -> ConnInfo {
        struct NoEnv;
        impl Environment for NoEnv {
            fn var(&self, _: &str) -> Option<String> {
                None
            }
            fn os_user(&self) -> Option<String> {
                Some("me".into())
            }
            fn home_dir(&self) -> Option<std::path::PathBuf> {
                Some("/home/me".into())
            }
            fn is_dir(&self, p: &std::path::Path) -> bool {
                p == std::path::Path::new("/tmp")
            }
            fn is_file(&self, _: &std::path::Path) -> bool {
                false
            }
            fn read_password_file(&self, _: &std::path::Path) -> conninfo::PasswordFile {
                conninfo::PasswordFile::Missing
            }
        }
        conninfo::resolve(conninfo, &NoEnv, &Defaults::default()).unwrap()
    }

    const SESSION: SessionSettings = SessionSettings {
        lock_timeout: Duration::from_secs(10),
        statement_timeout: Duration::from_secs(300),
    };

    #[test]
    fn tls_plans_follow_sslmode_and_never_ask_on_a_socket() {
        let cases = [
            ("host=/s sslmode=require", false, vec![Tls::Off]),
            ("host=/s sslmode=verify-full", false, vec![Tls::Off]),
            ("host=h sslmode=disable", false, vec![Tls::Off]),
            (
                "host=h sslmode=allow",
                false,
                vec![Tls::Off, Tls::Unverified],
            ),
            ("host=h", false, vec![Tls::Unverified, Tls::Off]),
            ("host=h sslmode=require", false, vec![Tls::Unverified]),
            ("host=h sslmode=require", true, vec![Tls::VerifyCa]),
            ("host=h sslmode=verify-ca", true, vec![Tls::VerifyCa]),
            ("host=h sslmode=verify-full", true, vec![Tls::VerifyFull]),
        ];
        for (conninfo, root, plan) in cases {
            let info = info(conninfo);
            assert_eq!(tls_plan(&info, &info.hosts[0], root), plan, "{conninfo}");
        }
    }

    #[test]
    fn options_are_built_field_by_field() {
        let info = info("postgresql://alice:pw@/gsess?host=/run/pg&port=5433&application_name=cron&options=-c%20search_path%3Dx");
        let options = attempt_options(&info, &info.hosts[0], Tls::Off, &SESSION);
        assert_eq!(
            options
                .get_socket()
                .map(|p| p.display().to_string())
                .as_deref(),
            Some("/run/pg")
        );
        assert_eq!(options.get_port(), 5433);
        assert_eq!(options.get_username(), "alice");
        assert_eq!(options.get_database(), Some("gsess"));
        assert_eq!(options.get_application_name(), Some("cron"));
        assert!(matches!(options.get_ssl_mode(), PgSslMode::Disable));
        let startup = options.get_options().unwrap_or_default();
        assert!(startup.contains("-c search_path=x"), "{startup}");
        assert!(startup.contains("-c lock_timeout=10000ms"), "{startup}");
        assert!(
            startup.contains("-c statement_timeout=300000ms"),
            "{startup}"
        );

        let info = self::info("host=db1 hostaddr=10.0.0.1 sslmode=require");
        let options = attempt_options(&info, &info.hosts[0], Tls::Unverified, &SESSION);
        assert_eq!(options.get_host(), "10.0.0.1");
        assert_eq!(options.get_socket(), None);
        assert!(matches!(options.get_ssl_mode(), PgSslMode::Require));
        assert_eq!(options.get_username(), "me");
        assert_eq!(options.get_database(), Some("me"));
        assert_eq!(options.get_application_name(), Some("gsess"));
    }

    #[test]
    fn errors_name_every_attempt_and_never_the_password() {
        let mut info = info("host=/tmp/x,127.0.0.1 port=5433");
        info.hosts[1].password = Some(Password::new("hunter2"));
        let err = ConnectError {
            failures: vec![
                Failure {
                    attempt: info.hosts[0].describe(),
                    reason: "No such file or directory".into(),
                    sqlstate: None,
                },
                Failure {
                    attempt: info.hosts[1].describe(),
                    reason: "Connection refused".into(),
                    sqlstate: None,
                },
            ],
        };
        assert_eq!(
            err.to_string(),
            "connection to server on socket \"/tmp/x/.s.PGSQL.5433\" failed: No such file or directory\n\
             connection to server at \"127.0.0.1\", port 5433 failed: Connection refused"
        );
        assert!(!format!("{err:?} {info:?}").contains("hunter2"));
    }

    #[test]
    fn raw_options_split_back_into_settings() {
        let options = append_raw_options(
            PgConnectOptions::new_without_pgpass(),
            "-c search_path=a -cwork_mem=64MB --geqo=off junk",
        );
        let text = options.get_options().unwrap_or_default().to_owned();
        for part in ["-c search_path=a", "-c work_mem=64MB", "-c geqo=off"] {
            assert!(text.contains(part), "{text}");
        }
    }
}
