//! Connecting the way libpq does, proved against real servers started here and against the
//! real psql on the same strings: a table of connection strings and environments (Unix
//! socket and TCP, TLS with a self-signed X.509 v1 certificate, scram passwords, `.pgpass`),
//! failover between a primary and a streaming standby with `target_session_attrs`, and a
//! server log that shows one clean connection per command.

use gsess::embedded::Cluster;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The password of the TCP logins: it must never appear in any output.
const SECRET: &str = "Zq7:s3cr@t";
const SECRET_URL: &str = "Zq7%3As3cr%40t";
const SECRET_MARK: &str = "s3cr";

// ---------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------

/// A port nothing listens on, never handed out twice in this process (the tests run in
/// parallel: one test's "down" port must not become another's server).
fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap();
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The uid/gid the server runs as (`postgres` when we are root).
fn server_user() -> Option<(u32, u32)> {
    if !is_root() {
        return None;
    }
    let name = std::ffi::CString::new("postgres").unwrap();
    // SAFETY: getpwnam returns a pointer to static storage or null; read at once.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    assert!(!pw.is_null(), "the postgres system user");
    // SAFETY: non-null, checked above.
    unsafe { Some(((*pw).pw_uid, (*pw).pw_gid)) }
}

fn give_to_server(path: &Path) {
    if let Some((uid, gid)) = server_user() {
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).expect("chown");
    }
}

fn bindir() -> PathBuf {
    gsess::embedded::find_bindir().expect("PostgreSQL binaries")
}

/// The real psql: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin — never
/// Debian's Perl wrapper in /usr/bin.
fn psql() -> PathBuf {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("psql").exists() {
            return dir.join("psql");
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse().ok()?;
            let path = e.path().join("bin/psql");
            path.exists().then_some((version, path))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p).expect("a psql binary")
}

fn run_as_server(tool: &str, args: &[&str]) -> Output {
    let mut command = Command::new(bindir().join(tool));
    command.args(args).current_dir("/tmp");
    if let Some((uid, gid)) = server_user() {
        command.uid(uid).gid(gid);
    }
    let out = command.output().expect(tool);
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A cluster listening on its own socket directory and on 127.0.0.1.
struct Server {
    cluster: Cluster,
    port: u16,
}

impl Server {
    fn start(name: &str, extra: &[String], before_start: impl FnOnce(&Path)) -> Server {
        let home = PathBuf::from(format!("/tmp/gsc-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).unwrap();
        before_start(&home);
        let port = free_port();
        let mut cluster = Cluster::at(home).expect("server binaries");
        cluster.extra_settings = vec![
            "listen_addresses = '127.0.0.1'".to_owned(),
            format!("port = {port}"),
            "max_connections = 20".to_owned(),
        ];
        cluster.extra_settings.extend(extra.iter().cloned());
        cluster.ensure_running().expect("start the cluster");
        Server { cluster, port }
    }

    fn socket_dir(&self) -> String {
        self.cluster.socket_dir().display().to_string()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.cluster.home.join("postgres.log")).unwrap_or_default()
    }

    /// SQL as the superuser over the socket, one statement per `-c`.
    fn sql(&self, database: &str, statements: &[&str]) -> String {
        let mut command = Command::new(psql());
        command.args(["-X", "-Atq", "-v", "ON_ERROR_STOP=1", "-h"]);
        command
            .arg(self.socket_dir())
            .arg("-p")
            .arg(self.port.to_string());
        command.args(["-U", &self.cluster.superuser, "-d", database]);
        for s in statements {
            command.args(["-c", s]);
        }
        let out = command.env_remove("PGPASSWORD").output().expect("psql");
        assert!(
            out.status.success(),
            "{statements:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// A database migrated by `gsess db migrate` as the superuser.
    fn migrated_database(&self, name: &str) {
        self.sql("postgres", &[&format!("CREATE DATABASE {name}")]);
        let url = format!(
            "postgresql://{}@/{name}?host={}&port={}",
            self.cluster.superuser,
            self.socket_dir(),
            self.port
        );
        let run = gsess(&url, &[], None, &["db", "migrate"]);
        assert_eq!(run.code, Some(0), "{run:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.cluster.stop();
        let _ = std::fs::remove_dir_all(&self.cluster.home);
        let _ = std::fs::remove_dir_all(self.cluster.socket_dir());
    }
}

/// A self-signed X.509 **v1** certificate (no extensions), as `openssl x509 -req -signkey`
/// makes it and Citus generates it, for CN=localhost.
fn make_v1_certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let key = dir.join("server.key");
    let csr = dir.join("server.csr");
    let crt = dir.join("server.crt");
    let ok = |c: &mut Command| {
        let out = c.output().expect("openssl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    ok(Command::new("openssl")
        .args(["req", "-new", "-nodes", "-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&csr));
    ok(Command::new("openssl")
        .args(["x509", "-req", "-days", "30", "-in"])
        .arg(&csr)
        .arg("-signkey")
        .arg(&key)
        .arg("-out")
        .arg(&crt));
    let text = ok(Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in"])
        .arg(&crt));
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("Version: 1 (0x0)"),
        "a v1 certificate"
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    give_to_server(&key);
    give_to_server(&crt);
    (crt, key)
}

// ---------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(&self) -> bool {
        self.code == Some(0)
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A clean environment: no DATABASE_URL and no PG* variable but the row's own.
fn clean_env(command: &mut Command, home: Option<&Path>, env: &[(&str, &str)]) {
    command.env_clear();
    command.env("PATH", std::env::var("PATH").unwrap_or_default());
    command.env("HOME", home.unwrap_or(Path::new("/nonexistent")));
    command.env("GSESS_HOME", "/nonexistent/gsess");
    for (k, v) in env {
        command.env(k, v);
    }
}

fn gsess(conninfo: &str, env: &[(&str, &str)], home: Option<&Path>, args: &[&str]) -> Run {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("gsess"));
    clean_env(&mut command, home, env);
    command.args(args).arg("--database-url").arg(conninfo);
    finish(command.output().expect("run gsess"))
}

fn run_psql(conninfo: &str, env: &[(&str, &str)], home: Option<&Path>) -> Run {
    let mut command = Command::new(psql());
    clean_env(&mut command, home, env);
    command.args(["-X", "-Atq", "-w", "-d", conninfo, "-c", "select 1"]);
    finish(command.output().expect("run psql"))
}

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

struct Row {
    name: &'static str,
    conninfo: String,
    env: Vec<(&'static str, String)>,
    /// The home for `.pgpass` (else an empty one).
    home: Option<PathBuf>,
    /// `None`: both connect as this login; `Some(text)`: both fail, gsess saying `text`.
    expect: Result<&'static str, String>,
    /// gsess's exit code on failure: 9 (unreachable), 2 (a string that does not parse).
    code: i32,
}

#[test]
fn connection_strings_behave_as_with_psql() {
    let mut cert = None;
    let server = Server::start(
        "table",
        &["password_encryption = 'scram-sha-256'".to_owned()],
        |home| {
            let dir = home.join("certs");
            std::fs::create_dir(&dir).unwrap();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
            cert = Some(make_v1_certificate(&dir));
        },
    );
    let (crt, key) = cert.unwrap();
    // TLS is turned on now that the certificate is the server's; alice may connect over
    // TCP only with TLS, bob only without: so each row proves which way it went.
    server.sql(
        "postgres",
        &[
            &format!("ALTER SYSTEM SET ssl_cert_file = '{}'", crt.display()),
            &format!("ALTER SYSTEM SET ssl_key_file = '{}'", key.display()),
            "ALTER SYSTEM SET ssl = on",
            &format!("CREATE ROLE alice LOGIN PASSWORD '{SECRET}'"),
            &format!("CREATE ROLE bob LOGIN PASSWORD '{SECRET}'"),
        ],
    );
    let hba = server.cluster.data_dir().join("pg_hba.conf");
    std::fs::write(
        &hba,
        "local all all trust\n\
         hostssl all alice 127.0.0.1/32 scram-sha-256\n\
         hostnossl all bob 127.0.0.1/32 scram-sha-256\n",
    )
    .unwrap();
    server.sql("postgres", &["SELECT pg_reload_conf()"]);
    server.migrated_database("gsess_t");

    let sock = server.socket_dir();
    let port = server.port;
    let down = free_port();
    let enc = |s: &str| s.replace('/', "%2F");
    let tcp = format!("at \"127.0.0.1\", port {port}");
    let tcp_down = format!("at \"127.0.0.1\", port {down}");
    let socket_file = format!("on socket \"{sock}/.s.PGSQL.{port}\"");

    // Homes: an empty one, one with a good .pgpass (0600), one with a readable .pgpass.
    let homes = PathBuf::from(format!("/tmp/gsc-{}-homes", std::process::id()));
    let _ = std::fs::remove_dir_all(&homes);
    let good = homes.join("good");
    let open = homes.join("open");
    for (dir, mode) in [(&good, 0o600), (&open, 0o644)] {
        std::fs::create_dir_all(dir).unwrap();
        let file = dir.join(".pgpass");
        std::fs::write(
            &file,
            format!(
                "# gsess test\n127.0.0.1:{port}:gsess_t:alice:{}\n",
                SECRET.replace(':', "\\:")
            ),
        )
        .unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    let ok = |login| Ok(login);
    let fails = |text: &str| Err(text.to_owned());
    let rows = vec![
        Row {
            name: "URL, empty host, host= parameter (socket)",
            conninfo: format!("postgresql://alice@/gsess_t?host={sock}&port={port}"),
            env: vec![],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "postgresql:///db with PGHOST, PGPORT, PGUSER",
            conninfo: "postgresql:///gsess_t".into(),
            env: vec![("PGHOST", sock.clone()), ("PGPORT", port.to_string()), ("PGUSER", "alice".into())],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "bare database name with PGHOST",
            conninfo: "gsess_t".into(),
            env: vec![("PGHOST", sock.clone()), ("PGPORT", port.to_string()), ("PGUSER", "bob".into())],
            home: None,
            expect: ok("bob"),
            code: 0,
        },
        Row {
            name: "keyword/value with quotes and escapes",
            conninfo: format!(
                "host = '{sock}' port={port} user='alice' dbname = 'gsess_t' application_name='it\\'s me'"
            ),
            env: vec![],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "percent-encoded socket path in the host",
            conninfo: format!("postgresql://alice@{}:{port}/gsess_t", enc(&sock)),
            env: vec![],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "percent-encoded socket path in host=",
            conninfo: format!("postgresql:///gsess_t?host={}&port={port}&user=bob", enc(&sock)),
            env: vec![],
            home: None,
            expect: ok("bob"),
            code: 0,
        },
        Row {
            name: "sslmode=require, self-signed v1 certificate, password in the URL",
            conninfo: format!("postgresql://alice:{SECRET_URL}@127.0.0.1:{port}/gsess_t?sslmode=require"),
            env: vec![],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "default sslmode (prefer) takes TLS with the v1 certificate",
            conninfo: format!("host=127.0.0.1 port={port} user=alice dbname=gsess_t"),
            env: vec![("PGPASSWORD", SECRET.into())],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "prefer falls back to plain when the server refuses the TLS session",
            conninfo: format!("host=127.0.0.1 port={port} user=bob dbname=gsess_t sslmode=prefer"),
            env: vec![("PGPASSWORD", SECRET.into())],
            home: None,
            expect: ok("bob"),
            code: 0,
        },
        Row {
            name: "hostaddr with a host name",
            conninfo: format!("host=localhost hostaddr=127.0.0.1 port={port} user=alice dbname=gsess_t sslmode=require"),
            env: vec![("PGPASSWORD", SECRET.into())],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "sslmode=disable: plain TCP",
            conninfo: format!("host=127.0.0.1 port={port} user=bob dbname=gsess_t sslmode=disable password='{}'", SECRET),
            env: vec![],
            home: None,
            expect: ok("bob"),
            code: 0,
        },
        Row {
            name: "sslmode=disable where the server wants TLS",
            conninfo: format!("host=127.0.0.1 port={port} user=alice dbname=gsess_t sslmode=disable"),
            env: vec![("PGPASSWORD", SECRET.into())],
            home: None,
            expect: fails("no pg_hba.conf entry"),
            code: 9,
        },
        Row {
            name: "sslmode=require where the server refuses TLS sessions",
            conninfo: format!("host=127.0.0.1 port={port} user=bob dbname=gsess_t sslmode=require"),
            env: vec![("PGPASSWORD", SECRET.into())],
            home: None,
            expect: fails("no pg_hba.conf entry"),
            code: 9,
        },
        Row {
            name: "verify-full against the self-signed certificate, no root certificate",
            conninfo: format!("host=127.0.0.1 port={port} user=alice dbname=gsess_t sslmode=verify-full"),
            env: vec![("PGPASSWORD", SECRET.into())],
            home: None,
            expect: fails("root certificate file"),
            code: 9,
        },
        Row {
            name: "verify-full with the certificate as root, wrong host name",
            conninfo: format!(
                "host=127.0.0.1 port={port} user=alice dbname=gsess_t sslmode=verify-full sslrootcert={}",
                crt.display()
            ),
            env: vec![("PGPASSWORD", SECRET.into())],
            home: None,
            expect: fails("SSL error"),
            code: 9,
        },
        Row {
            name: "verify-ca with the certificate as root",
            conninfo: format!(
                "host=127.0.0.1 port={port} user=alice dbname=gsess_t sslmode=verify-ca sslrootcert={}",
                crt.display()
            ),
            env: vec![("PGPASSWORD", SECRET.into())],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "password from ~/.pgpass (0600)",
            conninfo: format!("postgresql://alice@127.0.0.1:{port}/gsess_t"),
            env: vec![],
            home: Some(good.clone()),
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "~/.pgpass readable by others is ignored",
            conninfo: format!("postgresql://alice@127.0.0.1:{port}/gsess_t"),
            env: vec![],
            home: Some(open.clone()),
            expect: fails("password authentication failed"),
            code: 9,
        },
        Row {
            name: "wrong password",
            conninfo: format!("postgresql://alice:wrong-{SECRET_URL}@127.0.0.1:{port}/gsess_t"),
            env: vec![],
            home: None,
            expect: fails("password authentication failed for user \"alice\""),
            code: 9,
        },
        Row {
            name: "unknown database",
            conninfo: format!("host={sock} port={port} user=alice dbname=nope"),
            env: vec![],
            home: None,
            expect: fails("database \"nope\" does not exist"),
            code: 9,
        },
        Row {
            name: "no socket there",
            conninfo: format!("host={sock}/missing port={port} dbname=gsess_t"),
            env: vec![],
            home: None,
            expect: fails("No such file or directory"),
            code: 9,
        },
        Row {
            name: "unknown option",
            conninfo: format!("host={sock} port={port} frobnicate=1"),
            env: vec![],
            home: None,
            expect: fails("invalid connection option \"frobnicate\""),
            code: 2,
        },
        Row {
            name: "several hosts, the first down",
            conninfo: format!(
                "postgresql://alice:{SECRET_URL}@127.0.0.1:{down},127.0.0.1:{port}/gsess_t?sslmode=require"
            ),
            env: vec![],
            home: None,
            expect: ok("alice"),
            code: 0,
        },
        Row {
            name: "several hosts, all down: every attempt named",
            conninfo: format!("postgresql://alice:{SECRET_URL}@127.0.0.1:{down},{}:{port}/gsess_t", enc(&format!("{sock}/missing"))),
            env: vec![],
            home: None,
            expect: fails("Connection refused"),
            code: 9,
        },
    ];

    let mut mismatches = Vec::new();
    for row in &rows {
        let env: Vec<(&str, &str)> = row.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let home = row.home.as_deref().or(Some(homes.as_path()));
        let ours = gsess(&row.conninfo, &env, home, &["whoami", "--json"]);
        let theirs = run_psql(&row.conninfo, &env, home);
        let expected_ok = row.expect.is_ok();
        if ours.ok() != expected_ok || theirs.ok() != expected_ok {
            mismatches.push(format!(
                "{}: expected {}, gsess {:?}, psql {:?}\n  gsess: {}\n  psql: {}",
                row.name,
                if expected_ok { "success" } else { "failure" },
                ours.code,
                theirs.code,
                ours.stderr.trim(),
                theirs.stderr.trim()
            ));
            continue;
        }
        let all_output = format!("{}{}", ours.stdout, ours.stderr);
        assert!(
            !all_output.contains(SECRET_MARK),
            "{}: the password shows: {all_output}",
            row.name
        );
        match &row.expect {
            Ok(login) => {
                let json = ours.json();
                assert_eq!(json["login"], *login, "{}", row.name);
                assert_eq!(json["server"]["port"], port, "{}", row.name);
                assert_eq!(json["server"]["in_recovery"], false, "{}", row.name);
            }
            Err(text) => {
                assert_eq!(ours.code, Some(row.code), "{}: {ours:?}", row.name);
                let last = ours.stderr.trim().lines().last().unwrap_or_default();
                let error: Value = serde_json::from_str(last)
                    .unwrap_or_else(|e| panic!("{}: no JSON error ({e}): {ours:?}", row.name));
                let message = error["error"]["message"].as_str().unwrap_or_default();
                assert!(message.contains(text.as_str()), "{}: {message}", row.name);
                if row.code == 9 {
                    let named = [&tcp, &tcp_down, &socket_file, &sock];
                    assert!(
                        named.iter().any(|n| message.contains(n.as_str())),
                        "{}: the attempt is not named: {message}",
                        row.name
                    );
                }
            }
        }
    }
    // Every attempt of the all-down row, in order.
    let all_down = gsess(&rows.last().unwrap().conninfo, &[], None, &["whoami"]);
    let first = all_down
        .stderr
        .find(&tcp_down)
        .expect("the first host named");
    let second = all_down
        .stderr
        .find(&format!("{sock}/missing/.s.PGSQL.{port}"))
        .expect("the second host named");
    assert!(first < second, "{}", all_down.stderr);
    let all_down = gsess(
        &rows.last().unwrap().conninfo,
        &[],
        None,
        &["whoami", "--json"],
    );
    let json_error: Value =
        serde_json::from_str(all_down.stderr.trim().lines().last().unwrap()).unwrap();
    assert_eq!(json_error["error"]["code"], "UNAVAILABLE");
    assert_eq!(
        json_error["error"]["attempts"].as_array().map(Vec::len),
        Some(2)
    );

    let _ = std::fs::remove_dir_all(&homes);
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}

// ---------------------------------------------------------------------------------------
// Failover
// ---------------------------------------------------------------------------------------

#[test]
fn target_session_attrs_follow_a_failover() {
    let primary = Server::start("primary", &["log_connections = on".to_owned()], |_| {});
    primary.migrated_database("gsess_f");

    // A streaming standby of it, on its own port and socket directory.
    let standby_port = free_port();
    let standby_home = PathBuf::from(format!("/tmp/gsc-{}-standby", std::process::id()));
    let _ = std::fs::remove_dir_all(&standby_home);
    std::fs::create_dir_all(&standby_home).unwrap();
    std::fs::set_permissions(&standby_home, std::fs::Permissions::from_mode(0o755)).unwrap();
    let standby = Cluster::at(standby_home.clone()).unwrap();
    let data = standby.data_dir();
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    give_to_server(&data);
    run_as_server(
        "pg_basebackup",
        &[
            "-D",
            &data.display().to_string(),
            "-R",
            "--checkpoint=fast",
            "-h",
            "127.0.0.1",
            "-p",
            &primary.port.to_string(),
            "-U",
            &primary.cluster.superuser,
        ],
    );
    let conf = data.join("postgresql.conf");
    let mut text = std::fs::read_to_string(&conf).unwrap();
    text.push_str(&format!(
        "\nport = {standby_port}\nunix_socket_directories = '{}'\n",
        standby.socket_dir().display()
    ));
    std::fs::write(&conf, text).unwrap();
    standby.ensure_running().expect("start the standby");
    let standby = Server {
        cluster: standby,
        port: standby_port,
    };

    let url = |attrs: &str| {
        format!(
            "postgresql://{}@127.0.0.1:{},127.0.0.1:{}/gsess_f?sslmode=disable&target_session_attrs={attrs}",
            primary.cluster.superuser, primary.port, standby.port
        )
    };
    let reach = |attrs: &str| {
        let run = gsess(&url(attrs), &[], None, &["whoami", "--json"]);
        assert_eq!(run.code, Some(0), "{attrs}: {run:?}");
        let json = run.json();
        (
            json["server"]["port"].as_u64().unwrap() as u16,
            json["server"]["in_recovery"].as_bool().unwrap(),
        )
    };
    // A TCP server without TLS: `require` is refused, as psql refuses it.
    let no_tls = format!(
        "postgresql://{}@127.0.0.1:{}/gsess_f?sslmode=require",
        primary.cluster.superuser, primary.port
    );
    let run = gsess(&no_tls, &[], None, &["whoami"]);
    assert_eq!(run.code, Some(9), "{run:?}");
    assert!(
        run.stderr
            .contains("server does not support SSL, but SSL was required"),
        "{run:?}"
    );
    assert!(!run_psql(&no_tls, &[], None).ok());

    assert_eq!(reach("prefer-standby"), (standby.port, true));
    assert_eq!(reach("standby"), (standby.port, true));
    assert_eq!(reach("read-only"), (standby.port, true));
    assert_eq!(reach("read-write"), (primary.port, false));
    assert_eq!(reach("primary"), (primary.port, false));
    assert_eq!(reach("any"), (primary.port, false));

    // The primary's log: the standby probes ended cleanly (one Terminate each).
    let log = primary.log();
    assert!(!log.contains("could not receive data from client"), "{log}");

    // Fail over: promote the standby, stop the old primary.
    run_as_server(
        "pg_ctl",
        &[
            "promote",
            "-w",
            "-D",
            &standby.cluster.data_dir().display().to_string(),
        ],
    );
    primary.cluster.stop().expect("stop the old primary");
    assert_eq!(reach("read-write"), (standby.port, false));
    // prefer-standby finds no standby now, and takes what there is on its second pass.
    assert_eq!(reach("prefer-standby"), (standby.port, false));
    // standby: nothing fits; every attempt is named.
    let run = gsess(&url("standby"), &[], None, &["whoami"]);
    assert_eq!(run.code, Some(9), "{run:?}");
    assert!(
        run.stderr.contains(&format!("port {}", primary.port)),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Connection refused"), "{}", run.stderr);
    assert!(
        run.stderr.contains("server is not in hot standby mode"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Clean log
// ---------------------------------------------------------------------------------------

#[test]
fn each_command_opens_one_connection_and_ends_it_cleanly() {
    let mut cert = None;
    let server = Server::start(
        "log",
        &[
            "log_connections = on".to_owned(),
            "log_disconnections = on".to_owned(),
        ],
        |home| {
            let dir = home.join("certs");
            std::fs::create_dir(&dir).unwrap();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
            cert = Some(make_v1_certificate(&dir));
        },
    );
    let (crt, key) = cert.unwrap();
    server.sql(
        "postgres",
        &[
            &format!("ALTER SYSTEM SET ssl_cert_file = '{}'", crt.display()),
            &format!("ALTER SYSTEM SET ssl_key_file = '{}'", key.display()),
            "ALTER SYSTEM SET ssl = on",
            "SELECT pg_reload_conf()",
        ],
    );
    server.migrated_database("gsess_c");
    // The backends of the set-up connections log their disconnection as they exit: wait for
    // them, so that what follows is only the commands'.
    let settled = |log: &str| {
        log.matches("disconnection:").count() >= log.matches("connection authorized:").count()
    };
    for _ in 0..100 {
        if settled(&server.log()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let before = server.log().len();

    let user = &server.cluster.superuser;
    let socket = format!(
        "postgresql://{user}@/gsess_c?host={}&port={}",
        server.socket_dir(),
        server.port
    );
    let tls = format!(
        "postgresql://{user}@127.0.0.1:{}/gsess_c?sslmode=require",
        server.port
    );
    let plain = format!(
        "host=127.0.0.1 port={} user={user} dbname=gsess_c sslmode=disable",
        server.port
    );
    let commands: Vec<(&str, Vec<&str>, i32)> = vec![
        (&socket, vec!["whoami", "--json"], 0),
        (&tls, vec!["whoami"], 0),
        (&plain, vec!["list", "--facility", "all", "--json"], 0),
        (&tls, vec!["db", "status", "--json"], 0),
        (&socket, vec!["show", "999999"], 3),
        (&tls, vec!["mark", "999999", "absent", "M1"], 3),
    ];
    for (conninfo, args, code) in &commands {
        let run = gsess(conninfo, &[], None, args);
        assert_eq!(run.code, Some(*code), "{args:?}: {run:?}");
    }
    // The server writes a disconnection line when the backend exits: give it a moment.
    let mut log = String::new();
    for _ in 0..50 {
        log = server.log()[before..].to_owned();
        if log.matches("disconnection:").count() >= commands.len() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!log.contains("could not receive data from client"), "{log}");
    assert!(!log.contains("Connection reset by peer"), "{log}");
    assert!(!log.contains("unexpected EOF"), "{log}");
    assert_eq!(
        log.matches("connection received:").count(),
        commands.len(),
        "{log}"
    );
    assert_eq!(
        log.matches("connection authorized:").count(),
        commands.len(),
        "{log}"
    );
    assert_eq!(
        log.matches("disconnection:").count(),
        commands.len(),
        "{log}"
    );
    assert!(log.contains("application_name=gsess"), "{log}");
}
