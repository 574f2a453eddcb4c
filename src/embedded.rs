//! The embedded default: a private PostgreSQL cluster under `$GSESS_HOME`, made
//! with the machine's own server binaries, reachable only on a Unix socket.
//!
//! Trust authentication is safe here because the socket lives in a 0700 directory: only the
//! owner can reach it. As root, the server runs as the unprivileged `postgres` user
//! (PostgreSQL refuses to run as root), so every parent directory must be traversable by it.

use crate::error::{Error, Result};
use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The database gsess uses inside the embedded cluster.
pub const DATABASE: &str = "gsess";
/// A Unix socket path may hold at most 107 bytes (`sun_path`).
const MAX_SOCKET_PATH: usize = 107;
const SOCKET_FILE: &str = ".s.PGSQL.5432";

/// Who runs the server: ourselves, or `postgres` when we are root.
#[derive(Debug, Clone, Copy)]
struct ServerUser {
    uid: u32,
    gid: u32,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub home: PathBuf,
    pub bindir: PathBuf,
    /// The PostgreSQL superuser inside the cluster: the name of whoever runs gsess.
    pub superuser: String,
    /// Extra `postgresql.conf` lines written at initdb (the test harness preloads
    /// pg_stat_statements to count the statements a command runs).
    pub extra_settings: Vec<String>,
    server_user: Option<ServerUser>,
}

impl Cluster {
    /// The cluster of `$GSESS_HOME` or its default.
    pub fn from_env() -> Result<Cluster> {
        Cluster::at(default_home()?)
    }

    pub fn at(home: PathBuf) -> Result<Cluster> {
        let bindir = find_bindir()?;
        let server_user = if is_root() {
            Some(postgres_user()?)
        } else {
            None
        };
        Ok(Cluster {
            home,
            bindir,
            superuser: current_login(),
            extra_settings: Vec::new(),
            server_user,
        })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.home.join("data")
    }

    /// The socket directory: inside the home when the path is short enough, else under /tmp
    /// with a name derived from the home.
    pub fn socket_dir(&self) -> PathBuf {
        let inside = self.home.join("run");
        if inside.join(SOCKET_FILE).as_os_str().len() < MAX_SOCKET_PATH {
            return inside;
        }
        let digest = self
            .home
            .to_string_lossy()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        PathBuf::from(format!("/tmp/gsess-{digest:016x}"))
    }

    fn log_file(&self) -> PathBuf {
        self.home.join("postgres.log")
    }

    /// A URL that both gsess and psql accept.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgresql://{}@localhost/{}?host={}",
            self.superuser,
            database,
            self.socket_dir().display()
        )
    }

    pub fn is_initialised(&self) -> bool {
        self.data_dir().join("PG_VERSION").exists()
    }

    pub fn is_running(&self) -> bool {
        self.is_initialised()
            && self
                .run_tool("pg_ctl", &["status", "-D", &path_arg(&self.data_dir())])
                .map(|out| out.status.success())
                .unwrap_or(false)
    }

    /// Create the cluster if it is missing and start it if it is stopped. Two gsess processes
    /// doing this at once are serialised by a lock file: without it both would run initdb.
    pub fn ensure_running(&self) -> Result<()> {
        self.prepare_home()?;
        let _lock = FileLock::acquire(&self.home.join("cluster.lock"))?;
        if !self.is_initialised() {
            self.initdb()?;
        }
        if !self.is_running() {
            self.start()?;
        }
        Ok(())
    }

    pub fn stop(&self) -> Result<bool> {
        if !self.is_running() {
            return Ok(false);
        }
        let _lock = FileLock::acquire(&self.home.join("cluster.lock"))?;
        let out = self.run_tool(
            "pg_ctl",
            &[
                "stop",
                "-D",
                &path_arg(&self.data_dir()),
                "-m",
                "fast",
                "-w",
            ],
        )?;
        if !out.status.success() {
            return Err(Error::unavailable(format!(
                "pg_ctl stop failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(true)
    }

    /// The server's version, from the data directory.
    pub fn version(&self) -> Option<String> {
        fs::read_to_string(self.data_dir().join("PG_VERSION"))
            .ok()
            .map(|v| v.trim().to_owned())
    }

    fn prepare_home(&self) -> Result<()> {
        fs::create_dir_all(&self.home).map_err(|e| {
            Error::unavailable(format!(
                "cannot create the gsess home {}: {e}",
                self.home.display()
            ))
        })?;
        // The server user must be able to traverse the home; the data and socket
        // directories below it are its own and private (0700).
        let mode = if self.server_user.is_some() {
            0o755
        } else {
            0o700
        };
        fs::set_permissions(&self.home, fs::Permissions::from_mode(mode))?;
        let sockets = self.socket_dir();
        fs::create_dir_all(&sockets)?;
        fs::set_permissions(&sockets, fs::Permissions::from_mode(0o700))?;
        self.give_to_server_user(&sockets)?;
        if let Some(user) = self.server_user {
            ensure_traversable(&self.home, user)?;
        }
        Ok(())
    }

    fn give_to_server_user(&self, path: &Path) -> Result<()> {
        if let Some(user) = self.server_user {
            std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid))?;
        }
        Ok(())
    }

    fn initdb(&self) -> Result<()> {
        // initdb into a scratch directory and rename it into place, so an interrupted initdb
        // never leaves a half-made cluster that looks finished.
        let scratch = self.home.join("data.init");
        if scratch.exists() {
            fs::remove_dir_all(&scratch)?;
        }
        fs::create_dir(&scratch)?;
        fs::set_permissions(&scratch, fs::Permissions::from_mode(0o700))?;
        self.give_to_server_user(&scratch)?;
        let out = self.run_tool(
            "initdb",
            &[
                "-D",
                &path_arg(&scratch),
                "--locale=C",
                "--encoding=UTF8",
                "--auth=trust",
                "--no-sync",
                "--username",
                &self.superuser,
            ],
        )?;
        if !out.status.success() {
            return Err(Error::unavailable(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let settings = format!(
            "\n# gsess: a private cluster reachable only on its Unix socket\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{}'\n\
             unix_socket_permissions = 0700\n\
             fsync = on\n\
             max_connections = 100\n",
            self.socket_dir().display()
        );
        let conf = scratch.join("postgresql.conf");
        let mut text = fs::read_to_string(&conf)?;
        text.push_str(&settings);
        for line in &self.extra_settings {
            text.push_str(line);
            text.push('\n');
        }
        fs::write(&conf, text)?;
        fs::rename(&scratch, self.data_dir())?;
        Ok(())
    }

    fn start(&self) -> Result<()> {
        let log = self.log_file();
        // The log holds statement text, patients' data among it: the owner's alone, also
        // when the home is left traversable for the server user.
        if !log.exists() {
            File::create(&log)?;
        }
        fs::set_permissions(&log, fs::Permissions::from_mode(0o600))?;
        self.give_to_server_user(&log)?;
        let out = self.run_tool(
            "pg_ctl",
            &[
                "start",
                "-D",
                &path_arg(&self.data_dir()),
                "-l",
                &path_arg(&log),
                "-w",
                "-t",
                "60",
                "-s",
            ],
        )?;
        if !out.status.success() {
            let tail = fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(5).collect();
            return Err(Error::unavailable(format!(
                "the embedded database did not start: {}{}",
                String::from_utf8_lossy(&out.stderr).trim(),
                tail.into_iter()
                    .rev()
                    .map(|l| format!("\n  {l}"))
                    .collect::<String>()
            ))
            .with("log", log.display().to_string()));
        }
        Ok(())
    }

    /// Run a server tool, as `postgres` when we are root.
    fn run_tool(&self, tool: &str, args: &[&str]) -> Result<Output> {
        let mut command = Command::new(self.bindir.join(tool));
        command.args(args).current_dir(&self.home);
        if let Some(user) = self.server_user {
            // std drops root's supplementary groups before switching user.
            command.uid(user.uid).gid(user.gid);
        }
        command
            .output()
            .map_err(|e| Error::unavailable(format!("cannot run {tool}: {e}")))
    }
}

fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

/// `$GSESS_HOME`, else root's `/var/lib/gsess`, else `$XDG_DATA_HOME/gsess`, else
/// `~/.local/share/gsess`.
pub fn default_home() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("GSESS_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    if is_root() {
        return Ok(PathBuf::from("/var/lib/gsess"));
    }
    if let Some(data) = std::env::var_os("XDG_DATA_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(data).join("gsess"));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .ok_or_else(|| {
            Error::unavailable("neither GSESS_HOME, XDG_DATA_HOME nor HOME is set: set GSESS_HOME")
        })?;
    Ok(PathBuf::from(home).join(".local/share/gsess"))
}

/// The server binaries: `$GSESS_PG_BINDIR`, `pg_config --bindir`, the newest
/// `/usr/lib/postgresql/*/bin`, then `PATH`.
pub fn find_bindir() -> Result<PathBuf> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("GSESS_PG_BINDIR").map(PathBuf::from) {
        if has_server(&dir) {
            return Ok(dir);
        }
        return Err(Error::unavailable(format!(
            "GSESS_PG_BINDIR={} has no initdb and pg_ctl",
            dir.display()
        )));
    }
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    let mut versioned: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versioned.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default();
    from_pg_config
        .into_iter()
        .chain(versioned.into_iter().map(|(_, dir)| dir))
        .chain(on_path)
        .find(|dir| has_server(dir))
        .ok_or_else(|| {
            Error::unavailable(
                "no PostgreSQL server binaries (initdb, pg_ctl) found for the embedded database: \
                 install them (Debian/Ubuntu: apt-get install postgresql; Fedora: dnf install \
                 postgresql-server; macOS: brew install postgresql), set GSESS_PG_BINDIR, or \
                 pass --database-url",
            )
        })
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn current_login() -> String {
    if is_root() {
        return "root".to_owned();
    }
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "gsess".to_owned())
}

fn postgres_user() -> Result<ServerUser> {
    let name = std::ffi::CString::new("postgres").expect("no NUL in a literal");
    // SAFETY: getpwnam returns NULL or a pointer to static storage we read at once.
    let entry = unsafe { libc::getpwnam(name.as_ptr()) };
    if entry.is_null() {
        return Err(Error::unavailable(
            "running as root, the embedded database needs the 'postgres' system user \
             (PostgreSQL refuses to run as root); install the postgresql package, which creates it",
        ));
    }
    // SAFETY: checked non-null above.
    let (uid, gid) = unsafe { ((*entry).pw_uid, (*entry).pw_gid) };
    Ok(ServerUser { uid, gid })
}

/// Every ancestor of `dir` must let the server user pass (x for others).
fn ensure_traversable(dir: &Path, user: ServerUser) -> Result<()> {
    for ancestor in dir.ancestors() {
        let meta = match fs::metadata(ancestor) {
            Ok(meta) => meta,
            Err(_) => continue,
        };
        let passable = meta.mode() & 0o001 != 0 || meta.uid() == user.uid;
        if !passable {
            return Err(Error::unavailable(format!(
                "the postgres user cannot enter {} (mode {:o}): choose a GSESS_HOME it can reach, \
                 such as /var/lib/gsess",
                ancestor.display(),
                meta.mode() & 0o777
            )));
        }
    }
    Ok(())
}

/// An exclusive `flock` held until dropped.
struct FileLock(File);

impl FileLock {
    fn acquire(path: &Path) -> Result<FileLock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        // SAFETY: the descriptor is open for the lifetime of `file`.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error().into());
        }
        Ok(FileLock(file))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // SAFETY: as above; closing the file would release the lock anyway.
        unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
    }
}
