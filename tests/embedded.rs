//! The embedded default: with no URL, gsess creates, starts, migrates and stops a private cluster.

mod common;

use common::{gsess_with, Home, Run};
use std::os::unix::fs::MetadataExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn server_pid(data: &Path) -> Option<String> {
    std::fs::read_to_string(data.join("postmaster.pid"))
        .ok()
        .and_then(|t| t.lines().next().map(str::to_owned))
}

#[test]
fn status_with_no_configuration_creates_starts_and_migrates_the_cluster() {
    let home = Home::new("fresh");
    let json = home.gsess(&["--json", "db", "status"]).success().json();
    assert_eq!(json["kind"], "embedded");
    assert_eq!(json["running"], true);
    assert_eq!(json["migrations_pending"], serde_json::json!([]));
    assert!(json["migrations_applied"].as_u64().unwrap() >= 4, "{json}");
    let url = json["url"].as_str().unwrap();
    assert!(
        url.contains(&format!("host={}/run", home.0.display())),
        "{url}"
    );
    assert!(home.0.join("data/PG_VERSION").is_file());

    // The cluster answers on its socket, and the schema is there.
    let who = home.gsess(&["--json", "whoami"]).success().json();
    assert!(who["scopes"].as_array().unwrap().len() == 5, "{who}");
}

#[test]
fn as_root_the_server_runs_as_postgres_in_private_directories() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: not running as root");
        return;
    }
    let home = Home::new("root");
    home.gsess(&["db", "start"]).success();
    let postgres_uid = std::fs::metadata(home.0.join("data")).unwrap().uid();
    assert_ne!(
        postgres_uid, 0,
        "the data directory must not belong to root"
    );
    let data_mode = std::fs::metadata(home.0.join("data")).unwrap().mode() & 0o777;
    let run_mode = std::fs::metadata(home.0.join("run")).unwrap().mode() & 0o777;
    assert_eq!((data_mode, run_mode), (0o700, 0o700));
    let pid = server_pid(&home.0.join("data")).expect("postmaster.pid");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let uid_line = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    assert!(
        uid_line.split_whitespace().nth(1) == Some(&postgres_uid.to_string()),
        "server runs as {uid_line}"
    );
}

#[test]
fn start_reuses_a_running_cluster_and_stop_stops_it() {
    let home = Home::new("reuse");
    home.gsess(&["db", "start"])
        .success()
        .stdout_contains("started");
    let pid = server_pid(&home.0.join("data")).expect("running");
    home.gsess(&["db", "start"])
        .success()
        .stdout_contains("already running");
    assert_eq!(server_pid(&home.0.join("data")), Some(pid), "same server");

    home.gsess(&["db", "stop"])
        .success()
        .stdout_contains("stopped");
    assert_eq!(server_pid(&home.0.join("data")), None);
    home.gsess(&["db", "stop"])
        .success()
        .stdout_contains("was not running");

    // Any command starts it again on demand, keeping the data.
    home.gsess(&["whoami"]).success();
    assert!(server_pid(&home.0.join("data")).is_some());
}

#[test]
fn concurrent_first_starts_do_not_race() {
    let home = Home::new("race");
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| home.gsess(&["--json", "db", "status"])))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for run in &runs {
        run.success();
        assert_eq!(run.json()["migrations_pending"], serde_json::json!([]));
    }
}

#[test]
fn without_server_binaries_it_exits_9_saying_how_to_install_them() {
    let home = Home::new("nobin");
    let empty = home.0.with_extension("bin");
    std::fs::create_dir_all(&empty).unwrap();
    let run = gsess_with(
        &[
            ("GSESS_HOME", home.0.to_str().unwrap()),
            ("GSESS_PG_BINDIR", empty.to_str().unwrap()),
        ],
        &["--json", "db", "status"],
        None,
    );
    run.code(9);
    assert_eq!(run.json_error()["error"]["code"], "UNAVAILABLE");
    let _ = std::fs::remove_dir_all(&empty);

    let run = gsess_with(
        &[
            ("GSESS_HOME", home.0.to_str().unwrap()),
            ("GSESS_PG_BINDIR", "/nonexistent"),
        ],
        &["db", "status"],
        None,
    );
    run.code(9).stderr_contains("initdb");
}

#[test]
fn a_home_too_deep_for_a_socket_path_still_works() {
    let deep = format!("deep-{}", "d".repeat(90));
    let home = Home::new(&deep);
    let json = home.gsess(&["--json", "db", "status"]).success().json();
    let url = json["url"].as_str().unwrap();
    assert!(
        url.contains("host=/tmp/gsess-"),
        "socket moved to /tmp: {url}"
    );
    let url_run = home.gsess(&["db", "url"]);
    url_run.success();
    assert_eq!(url_run.stdout.trim(), url);
}

#[test]
fn db_start_and_stop_refuse_when_a_url_is_configured() {
    let run = gsess_with(
        &[(
            "DATABASE_URL",
            "postgresql://x@localhost/x?host=/nonexistent",
        )],
        &["db", "stop"],
        None,
    );
    run.code(2).stderr_contains("embedded");
}

/// A cluster listening on loopback TCP with TLS (a self-signed certificate), stopped and
/// removed when dropped.
struct TlsCluster {
    cluster: gsess::embedded::Cluster,
    port: u16,
}

impl TlsCluster {
    fn start() -> TlsCluster {
        let home = PathBuf::from(format!("/tmp/gsess-tls-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let certs = home.join("certs");
        std::fs::create_dir_all(&certs).unwrap();
        let made = std::process::Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args([
                "-subj",
                "/CN=localhost",
                "-keyout",
                "key.pem",
                "-out",
                "cert.pem",
            ])
            .current_dir(&certs)
            .output()
            .expect("openssl (installed with Debian's postgresql package)");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        std::fs::set_permissions(
            certs.join("key.pem"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&certs, std::fs::Permissions::from_mode(0o755)).unwrap();
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            // The server (run as postgres) must own its key.
            for file in ["key.pem", "cert.pem"] {
                let status = std::process::Command::new("chown")
                    .args(["postgres", certs.join(file).to_str().unwrap()])
                    .status()
                    .unwrap();
                assert!(status.success());
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cluster = gsess::embedded::Cluster::at(home.join("cluster")).unwrap();
        cluster.extra_settings = vec![
            "listen_addresses = '127.0.0.1'".into(),
            format!("port = {port}"),
            "ssl = on".into(),
            format!("ssl_cert_file = '{}'", certs.join("cert.pem").display()),
            format!("ssl_key_file = '{}'", certs.join("key.pem").display()),
        ];
        cluster.ensure_running().expect("start the TLS cluster");
        // Refuse every TCP connection that is not encrypted, so a connection that works is
        // proof of TLS.
        let hba = cluster.data_dir().join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(&hba, format!("hostnossl all all 0.0.0.0/0 reject\n{rules}")).unwrap();
        let server = TlsCluster { cluster, port };
        let reload = std::process::Command::new("psql")
            .args([
                &server.url("sslmode=require"),
                "-XAtc",
                "SELECT pg_reload_conf()",
            ])
            .output()
            .expect("psql");
        assert!(
            reload.status.success(),
            "{}",
            String::from_utf8_lossy(&reload.stderr)
        );
        server
    }

    fn url(&self, query: &str) -> String {
        format!(
            "postgresql://{}@127.0.0.1:{}/postgres?{query}",
            self.cluster.superuser, self.port
        )
    }
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        let _ = self.cluster.stop();
        if let Some(home) = self.cluster.home.parent() {
            let _ = std::fs::remove_dir_all(home);
        }
    }
}

#[test]
fn connects_to_a_remote_server_over_tls_with_sslmode_require() {
    let server = TlsCluster::start();
    let url = server.url("sslmode=require");
    let env = [("DATABASE_URL", url.as_str())];
    gsess_with(&env, &["db", "migrate"], None).success();
    let who = gsess_with(&env, &["whoami", "--json"], None);
    who.success();
    assert_eq!(who.json()["scopes"].as_array().unwrap().len(), 5);

    // The server refuses unencrypted connections: without TLS, gsess cannot get in.
    let plain = server.url("sslmode=disable");
    gsess_with(&[("DATABASE_URL", plain.as_str())], &["whoami"], None).code(9);
}

/// libpq never asks for TLS on a Unix socket (PostgreSQL has none there), so `sslmode=require`
/// over a socket connects, as with psql. A TCP server without TLS is refused: tests/connect.rs.
#[test]
fn sslmode_require_over_a_unix_socket_connects_as_with_psql() {
    let db = common::TestDb::new();
    let url = format!("{}&sslmode=require", db.url());
    let run = gsess_with(&[("DATABASE_URL", &url)], &["--json", "whoami"], None);
    run.success();
}
