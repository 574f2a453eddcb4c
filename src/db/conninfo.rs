//! libpq connection strings, read and completed the way libpq (psql, pg_dump, every libpq
//! client) does: both forms psql takes — URLs (`postgresql://…`, `postgres://…`) and
//! keyword/value strings (`host=/var/run/postgresql dbname=gsess`) — then what the string
//! leaves out from the `PG*` environment, the password file and libpq's defaults.
//!
//! Pure: everything from outside (environment variables, the OS user, the home directory,
//! whether a directory exists, the password file) comes through [`Environment`], so the rules
//! are table-tested without touching the machine. [`SystemEnvironment`] is the real one.
//!
//! A password never appears in `Debug` output nor in an error message.
//!
//! Keywords: those of libpq 15. gsess uses `host`, `hostaddr`, `port`, `dbname`, `user`,
//! `password`, `passfile`, `connect_timeout`, `options`, `application_name`,
//! `fallback_application_name`, `sslmode`, `sslcert`, `sslkey`, `sslrootcert` and
//! `target_session_attrs`; it accepts and ignores the ones that only tune the transport
//! (see [`Use::Ignored`]) and refuses, with a clear message, those whose effect it cannot give
//! (`service`, `replication`, `requirepeer`, `sslcrl`, `sslcrldir`, `sslpassword`,
//! `channel_binding=require`, `gssencmode=require`) rather than connect less safely than asked.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The port libpq uses when none is given.
pub const DEFAULT_PORT: u16 = 5432;

/// libpq's compiled-in socket directories: Debian's, then everyone else's.
const SOCKET_DIR_CANDIDATES: [&str; 2] = ["/var/run/postgresql", "/tmp"];

/// What a libpq keyword means to gsess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Read and acted on.
    Used,
    /// Valid for libpq, harmless to ignore: transport tuning gsess leaves at its defaults
    /// (`client_encoding`: gsess always speaks UTF8).
    Ignored,
    /// Valid for libpq, but ignoring it would connect differently (or less safely) than asked.
    Refused,
}

struct Keyword {
    name: &'static str,
    env: Option<&'static str>,
    used: Use,
}

const fn kw(name: &'static str, env: Option<&'static str>, used: Use) -> Keyword {
    Keyword { name, env, used }
}

/// libpq 15's connection keywords and their environment variables (fe-connect.c).
const KEYWORDS: &[Keyword] = &[
    kw("host", Some("PGHOST"), Use::Used),
    kw("hostaddr", Some("PGHOSTADDR"), Use::Used),
    kw("port", Some("PGPORT"), Use::Used),
    kw("dbname", Some("PGDATABASE"), Use::Used),
    kw("user", Some("PGUSER"), Use::Used),
    kw("password", Some("PGPASSWORD"), Use::Used),
    kw("passfile", Some("PGPASSFILE"), Use::Used),
    kw("connect_timeout", Some("PGCONNECT_TIMEOUT"), Use::Used),
    kw("options", Some("PGOPTIONS"), Use::Used),
    kw("application_name", Some("PGAPPNAME"), Use::Used),
    kw("fallback_application_name", None, Use::Used),
    kw("sslmode", Some("PGSSLMODE"), Use::Used),
    kw("sslcert", Some("PGSSLCERT"), Use::Used),
    kw("sslkey", Some("PGSSLKEY"), Use::Used),
    kw("sslrootcert", Some("PGSSLROOTCERT"), Use::Used),
    kw(
        "target_session_attrs",
        Some("PGTARGETSESSIONATTRS"),
        Use::Used,
    ),
    kw("channel_binding", Some("PGCHANNELBINDING"), Use::Ignored),
    kw("client_encoding", Some("PGCLIENTENCODING"), Use::Ignored),
    kw("keepalives", None, Use::Ignored),
    kw("keepalives_idle", None, Use::Ignored),
    kw("keepalives_interval", None, Use::Ignored),
    kw("keepalives_count", None, Use::Ignored),
    kw("tcp_user_timeout", None, Use::Ignored),
    kw("gssencmode", Some("PGGSSENCMODE"), Use::Ignored),
    kw("sslcompression", Some("PGSSLCOMPRESSION"), Use::Ignored),
    kw("sslsni", Some("PGSSLSNI"), Use::Ignored),
    kw(
        "ssl_min_protocol_version",
        Some("PGSSLMINPROTOCOLVERSION"),
        Use::Ignored,
    ),
    kw(
        "ssl_max_protocol_version",
        Some("PGSSLMAXPROTOCOLVERSION"),
        Use::Ignored,
    ),
    kw("krbsrvname", Some("PGKRBSRVNAME"), Use::Ignored),
    kw("gsslib", Some("PGGSSLIB"), Use::Ignored),
    kw("service", Some("PGSERVICE"), Use::Refused),
    kw("replication", None, Use::Refused),
    kw("requirepeer", Some("PGREQUIREPEER"), Use::Refused),
    kw("sslcrl", Some("PGSSLCRL"), Use::Refused),
    kw("sslcrldir", Some("PGSSLCRLDIR"), Use::Refused),
    kw("sslpassword", None, Use::Refused),
];

fn keyword(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// A connection string that cannot be used, worded as libpq words it. Never holds a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConninfoError(pub String);

impl fmt::Display for ConninfoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConninfoError {}

fn err<T>(message: impl Into<String>) -> Result<T, ConninfoError> {
    Err(ConninfoError(message.into()))
}

/// A password: shown as `****` by `Debug`, never by `Display` (it has none).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(password: impl Into<String>) -> Password {
        Password(password.into())
    }

    /// The password itself, for the connection options and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

// ---------------------------------------------------------------------------------------
// The outside world
// ---------------------------------------------------------------------------------------

/// What libpq reads from outside the string. Tests pass a table; gsess passes
/// [`SystemEnvironment`].
pub trait Environment {
    /// An environment variable (`Some("")` when set but empty: libpq takes it as given).
    fn var(&self, name: &str) -> Option<String>;
    /// The operating-system user name (libpq's default `user`).
    fn os_user(&self) -> Option<String>;
    /// The home directory, where `.pgpass` and `.postgresql/` live.
    fn home_dir(&self) -> Option<PathBuf>;
    /// Whether a directory exists (to choose the default socket directory).
    fn is_dir(&self, path: &Path) -> bool;
    /// The password file, with libpq's checks on it.
    fn read_password_file(&self, path: &Path) -> PasswordFile;
    /// Whether a file exists (the default `~/.postgresql/root.crt` and client certificate).
    fn is_file(&self, path: &Path) -> bool;
}

/// The password file as libpq finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordFile {
    /// Absent or unreadable: silently ignored.
    Missing,
    /// Ignored with a warning.
    NotPlainFile,
    /// Readable by group or others: ignored with a warning.
    GroupOrWorldAccess,
    Contents(String),
}

/// The real environment of this process.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemEnvironment;

impl Environment for SystemEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn os_user(&self) -> Option<String> {
        passwd_entry().map(|(name, _)| name)
    }

    fn home_dir(&self) -> Option<PathBuf> {
        match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            Some(home) => Some(PathBuf::from(home)),
            None => passwd_entry().map(|(_, home)| PathBuf::from(home)),
        }
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn read_password_file(&self, path: &Path) -> PasswordFile {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else {
            return PasswordFile::Missing;
        };
        if !meta.is_file() {
            return PasswordFile::NotPlainFile;
        }
        if meta.permissions().mode() & 0o077 != 0 {
            return PasswordFile::GroupOrWorldAccess;
        }
        match std::fs::read(path) {
            Ok(bytes) => PasswordFile::Contents(String::from_utf8_lossy(&bytes).into_owned()),
            Err(_) => PasswordFile::Missing,
        }
    }
}

/// The effective user's name and home directory from the password database.
fn passwd_entry() -> Option<(String, String)> {
    let mut buf = vec![0 as libc::c_char; 16 * 1024];
    // SAFETY: a zeroed passwd is a valid out-parameter for getpwuid_r.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the duration of the call; buf outlives the reads below.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::geteuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() {
        return None;
    }
    // SAFETY: on success both fields point to NUL-terminated strings inside buf.
    let (name, dir) = unsafe {
        (
            std::ffi::CStr::from_ptr(pwd.pw_name),
            std::ffi::CStr::from_ptr(pwd.pw_dir),
        )
    };
    Some((
        name.to_string_lossy().into_owned(),
        dir.to_string_lossy().into_owned(),
    ))
}

// ---------------------------------------------------------------------------------------
// Parsing: what the string says
// ---------------------------------------------------------------------------------------

/// What a connection string says, keyword by keyword (libpq's keywords; nothing filled in).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnString {
    values: BTreeMap<&'static str, String>,
    password: Option<Password>,
}

impl fmt::Debug for ConnString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (k, v) in &self.values {
            map.entry(k, v);
        }
        if self.password.is_some() {
            map.entry(&"password", &"****");
        }
        map.finish()
    }
}

impl ConnString {
    /// The value the string gave a keyword (the password is only reachable through
    /// [`ConnString::password`]).
    pub fn get(&self, keyword: &str) -> Option<&str> {
        self.values.get(keyword).map(String::as_str)
    }

    pub fn password(&self) -> Option<&Password> {
        self.password.as_ref()
    }

    fn store(&mut self, name: &str, value: String) -> Result<(), ConninfoError> {
        match keyword(name) {
            Some(k) => {
                self.set(k.name, value);
                Ok(())
            }
            None => err(format!("invalid connection option \"{name}\"")),
        }
    }

    fn set(&mut self, name: &'static str, value: String) {
        if name == "password" {
            self.password = Some(Password(value));
        } else {
            self.values.insert(name, value);
        }
    }

    fn is_set(&self, name: &str) -> bool {
        if name == "password" {
            self.password.is_some()
        } else {
            self.values.contains_key(name)
        }
    }
}

fn uri_prefix_len(s: &str) -> Option<usize> {
    ["postgresql://", "postgres://"]
        .into_iter()
        .find(|p| s.starts_with(p))
        .map(str::len)
}

/// Read a connection string as libpq does: a URL, a keyword/value string, or — when it is
/// neither (no `=`) — a bare database name.
pub fn parse(conninfo: &str) -> Result<ConnString, ConninfoError> {
    if let Some(prefix) = uri_prefix_len(conninfo) {
        parse_uri(conninfo, prefix)
    } else if conninfo.contains('=') {
        let mut out = ConnString::default();
        for pair in lex_keyword_values(conninfo)? {
            out.store(&pair.keyword, pair.value)?;
        }
        Ok(out)
    } else {
        let mut out = ConnString::default();
        out.set("dbname", conninfo.to_owned());
        Ok(out)
    }
}

struct Pair {
    keyword: String,
    value: String,
    /// Byte range of the value as written (quotes included), for redaction.
    span: (usize, usize),
}

/// libpq's `conninfo_parse`: `keyword = value` pairs separated by whitespace; a value is
/// bare (up to whitespace) or single-quoted; `\` escapes the next character in both.
fn lex_keyword_values(s: &str) -> Result<Vec<Pair>, ConninfoError> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut pairs = Vec::new();
    let space = |b: u8| b.is_ascii_whitespace();
    while i < bytes.len() {
        if space(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] != b'=' && !space(bytes[i]) {
            i += 1;
        }
        let keyword = s[start..i].to_owned();
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'=' {
            return err(format!(
                "missing \"=\" after \"{keyword}\" in connection info string"
            ));
        }
        i += 1;
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        let value_start = i;
        let mut value = Vec::new();
        if i < bytes.len() && bytes[i] == b'\'' {
            i += 1;
            loop {
                if i >= bytes.len() {
                    return err("unterminated quoted string in connection info string");
                }
                match bytes[i] {
                    b'\\' => {
                        i += 1;
                        if i < bytes.len() {
                            value.push(bytes[i]);
                            i += 1;
                        }
                    }
                    b'\'' => {
                        i += 1;
                        break;
                    }
                    b => {
                        value.push(b);
                        i += 1;
                    }
                }
            }
        } else {
            while i < bytes.len() && !space(bytes[i]) {
                if bytes[i] == b'\\' {
                    i += 1;
                    if i < bytes.len() {
                        value.push(bytes[i]);
                        i += 1;
                    }
                } else {
                    value.push(bytes[i]);
                    i += 1;
                }
            }
        }
        let span = (value_start, i);
        pairs.push(Pair {
            keyword,
            // Only ASCII bytes were split on, so the value is still UTF-8.
            value: String::from_utf8(value).expect("split on ASCII only"),
            span,
        });
    }
    Ok(pairs)
}

/// The parts of a URL, still percent-encoded.
struct UriParts<'a> {
    /// `user[:password]` before the `@`, if any.
    userinfo: Option<&'a str>,
    /// Hosts and ports, comma-joined as libpq collects them (still percent-encoded).
    hosts: Vec<&'a str>,
    ports: Vec<Option<&'a str>>,
    dbname: Option<&'a str>,
    /// Query string after `?`.
    query: Option<&'a str>,
}

/// libpq's `conninfo_uri_parse_options`, up to percent-decoding.
fn split_uri<'a>(
    s: &'a str,
    prefix: usize,
    whole_for_errors: &dyn Fn() -> String,
) -> Result<UriParts<'a>, ConninfoError> {
    let b = s.as_bytes();
    let mut p = prefix;
    // libpq looks for the credentials up to the first '@' or '/' — not '?', a quirk kept.
    let mut q = p;
    while q < b.len() && b[q] != b'@' && b[q] != b'/' {
        q += 1;
    }
    let mut userinfo = None;
    if q < b.len() && b[q] == b'@' {
        userinfo = Some(&s[p..q]);
        p = q + 1;
    }
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    let mut prev: Option<u8>;
    loop {
        let host;
        if p < b.len() && b[p] == b'[' {
            let start = p + 1;
            let mut e = start;
            while e < b.len() && b[e] != b']' {
                e += 1;
            }
            if e >= b.len() {
                return err(format!(
                    "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"{}\"",
                    whole_for_errors()
                ));
            }
            if e == start {
                return err(format!(
                    "IPv6 host address may not be empty in URI: \"{}\"",
                    whole_for_errors()
                ));
            }
            host = &s[start..e];
            p = e + 1;
            if p < b.len() && !matches!(b[p], b':' | b'/' | b'?' | b',') {
                return err(format!(
                    "unexpected character \"{}\" at position {} in URI (expected \":\" or \"/\"): \"{}\"",
                    s[p..].chars().next().unwrap_or(' '),
                    p + 1,
                    whole_for_errors()
                ));
            }
        } else {
            let start = p;
            while p < b.len() && !matches!(b[p], b':' | b'/' | b'?' | b',') {
                p += 1;
            }
            host = &s[start..p];
        }
        prev = b.get(p).copied();
        hosts.push(host);
        let mut port = None;
        if prev == Some(b':') {
            p += 1;
            let start = p;
            while p < b.len() && !matches!(b[p], b'/' | b'?' | b',') {
                p += 1;
            }
            port = Some(&s[start..p]);
            prev = b.get(p).copied();
        }
        ports.push(port);
        if prev != Some(b',') {
            break;
        }
        p += 1;
    }
    let mut dbname = None;
    if prev == Some(b'/') {
        p += 1;
        let start = p;
        while p < b.len() && b[p] != b'?' {
            p += 1;
        }
        dbname = Some(&s[start..p]);
        prev = b.get(p).copied();
    }
    let query = if prev == Some(b'?') {
        Some(&s[p + 1..])
    } else {
        None
    };
    Ok(UriParts {
        userinfo,
        hosts,
        ports,
        dbname,
        query,
    })
}

fn parse_uri(s: &str, prefix: usize) -> Result<ConnString, ConninfoError> {
    let shown = || redact(s);
    let parts = split_uri(s, prefix, &shown)?;
    let mut out = ConnString::default();
    if let Some(userinfo) = parts.userinfo {
        let (user, password) = match userinfo.find(':') {
            Some(i) => (&userinfo[..i], Some(&userinfo[i + 1..])),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            out.set("user", percent_decode(user)?);
        }
        if let Some(password) = password.filter(|p| !p.is_empty()) {
            let decoded = percent_decode(password).map_err(|_| {
                ConninfoError("invalid percent-encoded token in the password".into())
            })?;
            out.set("password", decoded);
        }
    }
    // libpq joins the hosts (and ports) with commas, stores them only when something is
    // there, and percent-decodes the joined value.
    let hosts = parts.hosts.join(",");
    if !hosts.is_empty() {
        out.set("host", percent_decode(&hosts)?);
    }
    let ports = parts
        .ports
        .iter()
        .map(|p| p.unwrap_or(""))
        .collect::<Vec<_>>()
        .join(",");
    if !ports.is_empty() {
        out.set("port", percent_decode(&ports)?);
    }
    if let Some(dbname) = parts.dbname.filter(|d| !d.is_empty()) {
        out.set("dbname", percent_decode(dbname)?);
    }
    if let Some(query) = parts.query {
        for param in query_params(query) {
            let (keyword, value) = param?;
            let keyword = percent_decode(keyword)?;
            let value = percent_decode(value).map_err(|e| {
                if keyword == "password" {
                    ConninfoError("invalid percent-encoded token in the password".into())
                } else {
                    e
                }
            })?;
            // libpq's JDBC compatibility: ssl=true means sslmode=require.
            let (name, value) = if keyword == "ssl" && value == "true" {
                ("sslmode".to_owned(), "require".to_owned())
            } else {
                (keyword, value)
            };
            match self::keyword(&name) {
                Some(k) => out.set(k.name, value),
                None => return err(format!("invalid URI query parameter: \"{name}\"")),
            }
        }
    }
    Ok(out)
}

/// `a=1&b=2`, with libpq's complaints about a missing or an extra `=`.
fn query_params(query: &str) -> impl Iterator<Item = Result<(&str, &str), ConninfoError>> {
    let mut rest = Some(query).filter(|q| !q.is_empty());
    std::iter::from_fn(move || {
        let current = rest?;
        let (param, next) = match current.find('&') {
            Some(i) => (
                &current[..i],
                Some(&current[i + 1..]).filter(|n| !n.is_empty()),
            ),
            None => (current, None),
        };
        rest = next;
        let mut pieces = param.splitn(2, '=');
        let keyword = pieces.next().unwrap_or_default();
        Some(match pieces.next() {
            None => err(format!(
                "missing key/value separator \"=\" in URI query parameter: \"{keyword}\""
            )),
            Some(value) if value.contains('=') => err(format!(
                "extra key/value separator \"=\" in URI query parameter: \"{keyword}\""
            )),
            Some(value) => Ok((keyword, value)),
        })
    })
}

/// `%XX` decoding (no `+` for space), refusing `%00` and a malformed token as libpq does.
fn percent_decode(s: &str) -> Result<String, ConninfoError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let hex = |c: Option<&u8>| c.and_then(|c| (*c as char).to_digit(16));
        match (hex(b.get(i + 1)), hex(b.get(i + 2))) {
            (Some(hi), Some(lo)) => {
                let byte = (hi * 16 + lo) as u8;
                if byte == 0 {
                    return err(format!(
                        "forbidden value %00 in percent-encoded value: \"{s}\""
                    ));
                }
                out.push(byte);
                i += 3;
            }
            _ => return err(format!("invalid percent-encoded token: \"{s}\"")),
        }
    }
    String::from_utf8(out).or_else(|_| err(format!("percent-encoded value is not UTF-8: \"{s}\"")))
}

/// The connection string with its password replaced by `****` (for `db status`, messages).
/// A string that does not parse is shown only up to what cannot hold a password.
pub fn redact(conninfo: &str) -> String {
    if let Some(prefix) = uri_prefix_len(conninfo) {
        // The same scan as the parser's for the credentials (up to the first '@' or '/'),
        // then every `password=` query parameter; needs no valid host part.
        let b = conninfo.as_bytes();
        let mut out = String::with_capacity(conninfo.len());
        let mut copied = 0;
        let mut q = prefix;
        while q < b.len() && b[q] != b'@' && b[q] != b'/' {
            q += 1;
        }
        let mut rest_at = prefix;
        if q < b.len() && b[q] == b'@' {
            if let Some(colon) = conninfo[prefix..q].find(':') {
                out.push_str(&conninfo[..prefix + colon + 1]);
                out.push_str("****");
                copied = q;
            }
            rest_at = q + 1;
        }
        if let Some(mark) = conninfo[rest_at..].find('?') {
            let at = rest_at + mark + 1;
            let mut offset = at;
            for param in conninfo[at..].split('&') {
                if let Some(eq) = param.find('=') {
                    let key = percent_decode(&param[..eq]).unwrap_or_default();
                    if key == "password" {
                        out.push_str(&conninfo[copied..offset + eq + 1]);
                        out.push_str("****");
                        copied = offset + param.len();
                    }
                }
                offset += param.len() + 1;
            }
        }
        out.push_str(&conninfo[copied..]);
        out
    } else if conninfo.contains('=') {
        match lex_keyword_values(conninfo) {
            Ok(pairs) => {
                let mut out = String::with_capacity(conninfo.len());
                let mut copied = 0;
                for pair in pairs.iter().filter(|p| p.keyword == "password") {
                    out.push_str(&conninfo[copied..pair.span.0]);
                    out.push_str("****");
                    copied = pair.span.1;
                }
                out.push_str(&conninfo[copied..]);
                out
            }
            Err(_) => "(a connection string that does not parse)".to_owned(),
        }
    } else {
        conninfo.to_owned()
    }
}

// ---------------------------------------------------------------------------------------
// Resolving: what libpq would connect to
// ---------------------------------------------------------------------------------------

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn parse(value: &str) -> Option<SslMode> {
        Some(match value {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// libpq's `target_session_attrs`: which of several servers is acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetSessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    /// A first pass over the hosts accepting only standbys, then a second accepting any.
    PreferStandby,
}

impl TargetSessionAttrs {
    pub fn parse(value: &str) -> Option<TargetSessionAttrs> {
        Some(match value {
            "any" => TargetSessionAttrs::Any,
            "read-write" => TargetSessionAttrs::ReadWrite,
            "read-only" => TargetSessionAttrs::ReadOnly,
            "primary" => TargetSessionAttrs::Primary,
            "standby" => TargetSessionAttrs::Standby,
            "prefer-standby" => TargetSessionAttrs::PreferStandby,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetSessionAttrs::Any => "any",
            TargetSessionAttrs::ReadWrite => "read-write",
            TargetSessionAttrs::ReadOnly => "read-only",
            TargetSessionAttrs::Primary => "primary",
            TargetSessionAttrs::Standby => "standby",
            TargetSessionAttrs::PreferStandby => "prefer-standby",
        }
    }
}

/// Where one host entry points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A Unix-domain socket directory (`/…`, or `@…` for Linux's abstract namespace).
    Socket(String),
    /// TCP: a host name (or IP literal), a numeric `hostaddr`, or both (connect to the address,
    /// name the host).
    Tcp {
        host: Option<String>,
        hostaddr: Option<String>,
    },
}

/// One host to try, with what libpq would send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSpec {
    pub endpoint: Endpoint,
    pub port: u16,
    /// The password for this host: the string's (or `PGPASSWORD`), else the password file's.
    pub password: Option<Password>,
    /// Set when the password came from this password file (libpq names it on failure).
    pub password_file: Option<PathBuf>,
}

impl HostSpec {
    /// The socket file, for a socket endpoint.
    pub fn socket_path(&self) -> Option<String> {
        match &self.endpoint {
            Endpoint::Socket(dir) => Some(format!("{dir}/.s.PGSQL.{}", self.port)),
            Endpoint::Tcp { .. } => None,
        }
    }

    /// What to connect to over TCP: the address if given, else the host name.
    pub fn tcp_address(&self) -> Option<&str> {
        match &self.endpoint {
            Endpoint::Tcp { host, hostaddr } => hostaddr.as_deref().or(host.as_deref()),
            Endpoint::Socket(_) => None,
        }
    }

    /// How psql names the attempt: `on socket "/run/x/.s.PGSQL.5432"`,
    /// `at "db1" (10.0.0.1), port 5432`, `at "127.0.0.1", port 5433`.
    pub fn describe(&self) -> String {
        match &self.endpoint {
            Endpoint::Socket(_) => format!(
                "on socket \"{}\"",
                self.socket_path().expect("a socket endpoint")
            ),
            Endpoint::Tcp { host, hostaddr } => match (host.as_deref(), hostaddr.as_deref()) {
                (Some(h), Some(a)) if h != a => {
                    format!("at \"{h}\" ({a}), port {}", self.port)
                }
                (_, Some(a)) => format!("at \"{a}\", port {}", self.port),
                (Some(h), None) => format!("at \"{h}\", port {}", self.port),
                (None, None) => format!("at \"\", port {}", self.port),
            },
        }
    }

    /// `host` and `port` for reports (`whoami`): the socket directory or the host as named.
    pub fn host_label(&self) -> String {
        match &self.endpoint {
            Endpoint::Socket(dir) => dir.clone(),
            Endpoint::Tcp { host, hostaddr } => host
                .clone()
                .or_else(|| hostaddr.clone())
                .unwrap_or_default(),
        }
    }
}

impl fmt::Display for HostSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Everything needed to connect, as libpq would have completed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnInfo {
    /// Tried in this order (at least one).
    pub hosts: Vec<HostSpec>,
    pub user: String,
    pub dbname: String,
    pub sslmode: SslMode,
    pub sslrootcert: Option<String>,
    pub sslcert: Option<String>,
    pub sslkey: Option<String>,
    pub application_name: String,
    /// The `options` startup parameter (`-c name=value …`), as given.
    pub options: Option<String>,
    /// Per host; `None` when `connect_timeout` is 0 or negative (libpq: wait indefinitely).
    pub connect_timeout: Option<Duration>,
    pub target_session_attrs: TargetSessionAttrs,
    /// What libpq would print on stderr while reading the configuration (an insecure
    /// password file, say); the caller shows them.
    pub warnings: Vec<String>,
}

/// The gsess defaults that libpq leaves to its caller.
#[derive(Debug, Clone)]
pub struct Defaults {
    /// `application_name` when neither the string nor `PGAPPNAME` nor
    /// `fallback_application_name` gives one.
    pub application_name: String,
    /// Used when the string and `PGCONNECT_TIMEOUT` give none.
    pub connect_timeout: Duration,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            application_name: "gsess".to_owned(),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// libpq's compiled-in socket directory, decided at run time: the first that exists of
/// `/var/run/postgresql` (Debian's libpq) and `/tmp` (everyone else's).
pub fn default_socket_dir(env: &dyn Environment) -> String {
    SOCKET_DIR_CANDIDATES
        .into_iter()
        .find(|d| env.is_dir(Path::new(d)))
        .unwrap_or("/tmp")
        .to_owned()
}

/// Parse and resolve in one step.
pub fn resolve(
    conninfo: &str,
    env: &dyn Environment,
    defaults: &Defaults,
) -> Result<ConnInfo, ConninfoError> {
    parse(conninfo)?.resolve(env, defaults)
}

/// libpq's `parse_int_param`: an integer, surrounding whitespace allowed.
fn parse_int(value: &str, keyword: &str) -> Result<i64, ConninfoError> {
    value
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .parse::<i32>()
        .map(i64::from)
        .or_else(|_| {
            err(format!(
                "invalid integer value \"{value}\" for connection option \"{keyword}\""
            ))
        })
}

/// libpq's `parse_comma_separated_list`: no escaping, no trimming.
fn split_list(value: &str) -> Vec<&str> {
    value.split(',').collect()
}

impl ConnString {
    /// A keyword's value: the string's, else its environment variable's (even when empty).
    fn lookup(&self, env: &dyn Environment, name: &str) -> Option<String> {
        if let Some(v) = self.values.get(name) {
            return Some(v.clone());
        }
        keyword(name).and_then(|k| k.env).and_then(|e| env.var(e))
    }

    /// Complete the string as libpq does: environment, defaults, host list, password file.
    pub fn resolve(
        &self,
        env: &dyn Environment,
        defaults: &Defaults,
    ) -> Result<ConnInfo, ConninfoError> {
        for k in KEYWORDS.iter().filter(|k| k.used == Use::Refused) {
            let set_here = self.is_set(k.name);
            let set_env = k
                .env
                .and_then(|e| env.var(e))
                .is_some_and(|v| !v.is_empty());
            if set_here || set_env {
                let via = match (set_here, k.env) {
                    (false, Some(e)) => format!(" (from {e})"),
                    _ => String::new(),
                };
                return err(format!(
                    "connection option \"{}\"{via} is not supported by gsess",
                    k.name
                ));
            }
        }
        for (name, what) in [
            ("channel_binding", "channel binding"),
            ("gssencmode", "GSSAPI encryption"),
        ] {
            match self.lookup(env, name).as_deref() {
                None | Some("disable") | Some("prefer") => {}
                Some("require") => {
                    return err(format!(
                        "{name}=require is not supported by gsess (it cannot use {what})"
                    ))
                }
                Some(other) => return err(format!("invalid {name} value: \"{other}\"")),
            }
        }

        let sslmode = match self.lookup(env, "sslmode") {
            None => SslMode::Prefer,
            Some(v) => SslMode::parse(&v)
                .ok_or_else(|| ConninfoError(format!("invalid sslmode value: \"{v}\"")))?,
        };
        let target_session_attrs = match self.lookup(env, "target_session_attrs") {
            None => TargetSessionAttrs::Any,
            Some(v) => TargetSessionAttrs::parse(&v).ok_or_else(|| {
                ConninfoError(format!("invalid target_session_attrs value: \"{v}\""))
            })?,
        };
        let connect_timeout = match self.lookup(env, "connect_timeout") {
            None => Some(defaults.connect_timeout),
            Some(v) => match parse_int(&v, "connect_timeout")? {
                t if t <= 0 => None,
                t => Some(Duration::from_secs(t.max(2) as u64)),
            },
        };

        let user = self
            .lookup(env, "user")
            .filter(|u| !u.is_empty())
            .or_else(|| env.os_user())
            .ok_or_else(|| ConninfoError("could not look up the local user name".into()))?;
        let dbname = self
            .lookup(env, "dbname")
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| user.clone());
        let application_name = self
            .lookup(env, "application_name")
            .filter(|a| !a.is_empty())
            .or_else(|| self.get("fallback_application_name").map(str::to_owned))
            .unwrap_or_else(|| defaults.application_name.clone());

        // Hosts: as many as hostaddr (else host) has elements, else one.
        let host = self.lookup(env, "host").filter(|h| !h.is_empty());
        let hostaddr = self.lookup(env, "hostaddr").filter(|h| !h.is_empty());
        let hosts_list = host.as_deref().map(split_list);
        let addrs_list = hostaddr.as_deref().map(split_list);
        let count = match (&addrs_list, &hosts_list) {
            (Some(a), _) => a.len(),
            (None, Some(h)) => h.len(),
            (None, None) => 1,
        };
        if let (Some(a), Some(h)) = (&addrs_list, &hosts_list) {
            if a.len() != h.len() {
                return err(format!(
                    "could not match {} host names to {} hostaddr values",
                    h.len(),
                    a.len()
                ));
            }
        }
        let socket_default = default_socket_dir(env);
        let mut endpoints = Vec::with_capacity(count);
        for i in 0..count {
            let h = hosts_list.as_ref().map(|l| l[i]).filter(|h| !h.is_empty());
            let a = addrs_list.as_ref().map(|l| l[i]).filter(|a| !a.is_empty());
            endpoints.push(match (h, a) {
                (h, Some(a)) => Endpoint::Tcp {
                    host: h.map(str::to_owned),
                    hostaddr: Some(a.to_owned()),
                },
                (Some(h), None) if h.starts_with('/') || h.starts_with('@') => {
                    Endpoint::Socket(h.to_owned())
                }
                (Some(h), None) => Endpoint::Tcp {
                    host: Some(h.to_owned()),
                    hostaddr: None,
                },
                (None, None) => Endpoint::Socket(socket_default.clone()),
            });
        }

        // Ports: one for all, or one per host.
        let ports: Vec<u16> = match self.lookup(env, "port").filter(|p| !p.is_empty()) {
            None => vec![DEFAULT_PORT; count],
            Some(list) => {
                let items = split_list(&list);
                let parsed = items
                    .iter()
                    .map(|p| parse_port(p))
                    .collect::<Result<Vec<u16>, _>>()?;
                if parsed.len() == 1 {
                    vec![parsed[0]; count]
                } else if parsed.len() == count {
                    parsed
                } else {
                    return err(format!(
                        "could not match {} port numbers to {} hosts",
                        parsed.len(),
                        count
                    ));
                }
            }
        };

        // The password: the string's or PGPASSWORD for every host, else the password file's.
        let given = match (&self.password, env.var("PGPASSWORD")) {
            (Some(p), _) => Some(p.clone()),
            (None, Some(p)) => Some(Password(p)),
            (None, None) => None,
        }
        .filter(|p| !p.0.is_empty());
        let mut warnings = Vec::new();
        let mut hosts = Vec::with_capacity(count);
        let mut file: Option<(PathBuf, Option<String>)> = None;
        for (endpoint, port) in endpoints.into_iter().zip(ports) {
            let mut spec = HostSpec {
                endpoint,
                port,
                password: given.clone(),
                password_file: None,
            };
            if given.is_none() {
                let (path, contents) = file.get_or_insert_with(|| {
                    let path = self
                        .lookup(env, "passfile")
                        .filter(|p| !p.is_empty())
                        .map(PathBuf::from)
                        .or_else(|| env.home_dir().map(|h| h.join(".pgpass")))
                        .unwrap_or_default();
                    let contents = match env.read_password_file(&path) {
                        PasswordFile::Contents(text) => Some(text),
                        PasswordFile::Missing => None,
                        PasswordFile::NotPlainFile => {
                            warnings.push(format!(
                                "WARNING: password file \"{}\" is not a plain file",
                                path.display()
                            ));
                            None
                        }
                        PasswordFile::GroupOrWorldAccess => {
                            warnings.push(format!(
                                "WARNING: password file \"{}\" has group or world access; \
                                 permissions should be u=rw (0600) or less",
                                path.display()
                            ));
                            None
                        }
                    };
                    (path, contents)
                });
                if let Some(text) = contents {
                    let pw_host = match &spec.endpoint {
                        Endpoint::Socket(dir) if *dir == socket_default => "localhost".to_owned(),
                        Endpoint::Socket(dir) => dir.clone(),
                        Endpoint::Tcp { host, hostaddr } => host
                            .clone()
                            .or_else(|| hostaddr.clone())
                            .unwrap_or_else(|| "localhost".to_owned()),
                    };
                    if let Some(found) =
                        password_from_file(text, &pw_host, &port.to_string(), &dbname, &user)
                    {
                        spec.password = Some(Password(found));
                        spec.password_file = Some(path.clone());
                    }
                }
            }
            hosts.push(spec);
        }

        Ok(ConnInfo {
            hosts,
            user,
            dbname,
            sslmode,
            sslrootcert: self.lookup(env, "sslrootcert").filter(|v| !v.is_empty()),
            sslcert: self.lookup(env, "sslcert").filter(|v| !v.is_empty()),
            sslkey: self.lookup(env, "sslkey").filter(|v| !v.is_empty()),
            application_name,
            options: self.lookup(env, "options").filter(|v| !v.is_empty()),
            connect_timeout,
            target_session_attrs,
            warnings,
        })
    }
}

fn parse_port(value: &str) -> Result<u16, ConninfoError> {
    if value.is_empty() {
        return Ok(DEFAULT_PORT);
    }
    let n = parse_int(value, "port")?;
    if !(1..=65535).contains(&n) {
        return err(format!("invalid port number: \"{value}\""));
    }
    Ok(n as u16)
}

/// libpq's `pwdfMatchesString`: the field at the start of `line` matches `token` (or is
/// `*`); returns the rest of the line after the field's `:`.
fn field_matches<'a>(line: &'a str, token: &str) -> Option<&'a str> {
    if let Some(rest) = line.strip_prefix("*:") {
        return Some(rest);
    }
    let b = line.as_bytes();
    let t = token.as_bytes();
    let (mut i, mut j) = (0, 0);
    while i < b.len() {
        let mut escaped = false;
        if b[i] == b'\\' && i + 1 < b.len() {
            i += 1;
            escaped = true;
        }
        if b[i] == b':' && !escaped && j == t.len() {
            return Some(&line[i + 1..]);
        }
        if j == t.len() || b[i] != t[j] {
            return None;
        }
        i += 1;
        j += 1;
    }
    None
}

/// The password of the first line of a `.pgpass` that matches, as libpq reads it:
/// `hostname:port:database:username:password`, `*` matching anything, `\` escaping `:` and
/// `\`, `#` starting a comment line.
pub fn password_from_file(
    contents: &str,
    host: &str,
    port: &str,
    dbname: &str,
    user: &str,
) -> Option<String> {
    if dbname.is_empty() || user.is_empty() {
        return None;
    }
    for line in contents.split('\n') {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some(rest) = field_matches(line, host)
            .and_then(|r| field_matches(r, port))
            .and_then(|r| field_matches(r, dbname))
            .and_then(|r| field_matches(r, user))
        else {
            continue;
        };
        let mut password = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                ':' => break,
                '\\' => match chars.next() {
                    Some(next) => password.push(next),
                    None => password.push('\\'),
                },
                c => password.push(c),
            }
        }
        return Some(password);
    }
    None
}

/// Whether a client certificate, key or root certificate is configured or present in
/// `~/.postgresql/` (libpq's defaults: `root.crt`, `postgresql.crt`, `postgresql.key`).
pub fn default_cert_path(env: &dyn Environment, file: &str) -> Option<PathBuf> {
    let path = env.home_dir()?.join(".postgresql").join(file);
    env.is_file(&path).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A table environment: variables, a user, a home, existing directories and files.
    #[derive(Default, Clone)]
    struct TestEnv {
        vars: HashMap<String, String>,
        dirs: Vec<String>,
        files: HashMap<String, PasswordFile>,
    }

    impl TestEnv {
        fn new(vars: &[(&str, &str)]) -> TestEnv {
            TestEnv {
                vars: vars
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                dirs: vec!["/var/run/postgresql".into(), "/tmp".into()],
                files: HashMap::new(),
            }
        }
        fn file(mut self, path: &str, file: PasswordFile) -> TestEnv {
            self.files.insert(path.to_owned(), file);
            self
        }
        fn dirs(mut self, dirs: &[&str]) -> TestEnv {
            self.dirs = dirs.iter().map(|d| d.to_string()).collect();
            self
        }
    }

    impl Environment for TestEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.vars.get(name).cloned()
        }
        fn os_user(&self) -> Option<String> {
            Some("osuser".into())
        }
        fn home_dir(&self) -> Option<PathBuf> {
            Some(PathBuf::from("/home/osuser"))
        }
        fn is_dir(&self, path: &Path) -> bool {
            self.dirs.iter().any(|d| Path::new(d) == path)
        }
        fn is_file(&self, path: &Path) -> bool {
            self.files.contains_key(&path.display().to_string())
        }
        fn read_password_file(&self, path: &Path) -> PasswordFile {
            self.files
                .get(&path.display().to_string())
                .cloned()
                .unwrap_or(PasswordFile::Missing)
        }
    }

    fn socket(dir: &str, port: u16) -> HostSpec {
        HostSpec {
            endpoint: Endpoint::Socket(dir.into()),
            port,
            password: None,
            password_file: None,
        }
    }

    fn tcp(host: Option<&str>, addr: Option<&str>, port: u16) -> HostSpec {
        HostSpec {
            endpoint: Endpoint::Tcp {
                host: host.map(Into::into),
                hostaddr: addr.map(Into::into),
            },
            port,
            password: None,
            password_file: None,
        }
    }

    fn pw(spec: HostSpec, password: &str) -> HostSpec {
        HostSpec {
            password: Some(Password::new(password)),
            ..spec
        }
    }

    fn resolved(conninfo: &str, env: &TestEnv) -> ConnInfo {
        resolve(conninfo, env, &Defaults::default()).unwrap_or_else(|e| panic!("{conninfo:?}: {e}"))
    }

    /// (connection string, environment, hosts, user, dbname)
    #[test]
    fn hosts_users_and_databases_as_libpq_completes_them() {
        let none = TestEnv::new(&[]);
        let pghost = TestEnv::new(&[("PGHOST", "/run/pg"), ("PGPORT", "5433")]);
        let envuser_db = TestEnv::new(&[("PGUSER", "envuser"), ("PGDATABASE", "envdb")]);
        let envuser = TestEnv::new(&[("PGUSER", "envuser")]);
        let cases: Vec<(&str, &TestEnv, Vec<HostSpec>, &str, &str)> = vec![
            (
                "postgresql://",
                &none,
                vec![socket("/var/run/postgresql", 5432)],
                "osuser",
                "osuser",
            ),
            (
                "postgres://",
                &none,
                vec![socket("/var/run/postgresql", 5432)],
                "osuser",
                "osuser",
            ),
            (
                "postgresql:///gsess",
                &pghost,
                vec![socket("/run/pg", 5433)],
                "osuser",
                "gsess",
            ),
            (
                "postgresql://alice@/gsess?host=/sock",
                &none,
                vec![socket("/sock", 5432)],
                "alice",
                "gsess",
            ),
            (
                "postgresql://alice@localhost/db?host=/socket/dir",
                &none,
                vec![socket("/socket/dir", 5432)],
                "alice",
                "db",
            ),
            (
                "postgresql://a%40b@h%2Fx/d%20b?host=%2Fvar%2Frun%2Fpostgresql",
                &none,
                vec![socket("/var/run/postgresql", 5432)],
                "a@b",
                "d b",
            ),
            (
                "postgresql://db1:5432,db2:5433/gsess",
                &none,
                vec![tcp(Some("db1"), None, 5432), tcp(Some("db2"), None, 5433)],
                "osuser",
                "gsess",
            ),
            (
                "postgresql://db1,db2:6000/gsess",
                &none,
                vec![tcp(Some("db1"), None, 5432), tcp(Some("db2"), None, 6000)],
                "osuser",
                "gsess",
            ),
            (
                "postgresql://[::1]:5999,[fe80::1]/x",
                &none,
                vec![
                    tcp(Some("::1"), None, 5999),
                    tcp(Some("fe80::1"), None, 5432),
                ],
                "osuser",
                "x",
            ),
            (
                "postgresql://h/x?port=7000&user=bob&dbname=other",
                &none,
                vec![tcp(Some("h"), None, 7000)],
                "bob",
                "other",
            ),
            // The string's empty host is "not given": PGHOST fills it.
            (
                "postgresql://:5433/x",
                &pghost,
                vec![socket("/run/pg", 5433)],
                "osuser",
                "x",
            ),
            // An explicit empty value is given: PGHOST does not apply.
            (
                "host='' port=5433",
                &pghost,
                vec![socket("/var/run/postgresql", 5433)],
                "osuser",
                "osuser",
            ),
            (
                "postgresql:///x?host=",
                &pghost,
                vec![socket("/var/run/postgresql", 5433)],
                "osuser",
                "x",
            ),
            (
                "host=/var/run/postgresql dbname=gsess",
                &none,
                vec![socket("/var/run/postgresql", 5432)],
                "osuser",
                "gsess",
            ),
            (
                "  host = '/tmp/a b'   dbname='it\\'s'  user=x\\ y ",
                &none,
                vec![socket("/tmp/a b", 5432)],
                "x y",
                "it's",
            ),
            (
                "host=@abstract",
                &none,
                vec![socket("@abstract", 5432)],
                "osuser",
                "osuser",
            ),
            (
                "host=db1 hostaddr=10.0.0.1 port=6432",
                &none,
                vec![tcp(Some("db1"), Some("10.0.0.1"), 6432)],
                "osuser",
                "osuser",
            ),
            (
                "hostaddr=127.0.0.1,127.0.0.2 port=1,2",
                &none,
                vec![
                    tcp(None, Some("127.0.0.1"), 1),
                    tcp(None, Some("127.0.0.2"), 2),
                ],
                "osuser",
                "osuser",
            ),
            (
                "host=a,,/s port=7",
                &none,
                vec![
                    tcp(Some("a"), None, 7),
                    socket("/var/run/postgresql", 7),
                    socket("/s", 7),
                ],
                "osuser",
                "osuser",
            ),
            // Neither URL nor keywords: a database name.
            (
                "gsess",
                &pghost,
                vec![socket("/run/pg", 5433)],
                "osuser",
                "gsess",
            ),
            (
                "dbname=x",
                &envuser_db,
                vec![socket("/var/run/postgresql", 5432)],
                "envuser",
                "x",
            ),
            (
                "",
                &envuser,
                vec![socket("/var/run/postgresql", 5432)],
                "envuser",
                "envuser",
            ),
            (
                "user= dbname=",
                &envuser,
                // libpq: `user=` takes "dbname=" as its value: the quirk is kept.
                vec![socket("/var/run/postgresql", 5432)],
                "dbname=",
                "dbname=",
            ),
        ];
        for (conninfo, env, hosts, user, dbname) in cases {
            let info = resolved(conninfo, env);
            assert_eq!(info.hosts, hosts, "{conninfo:?}");
            assert_eq!(
                (info.user.as_str(), info.dbname.as_str()),
                (user, dbname),
                "{conninfo:?}"
            );
        }
    }

    #[test]
    fn the_default_socket_directory_is_the_first_that_exists() {
        let debian = TestEnv::new(&[]);
        assert_eq!(default_socket_dir(&debian), "/var/run/postgresql");
        let other = TestEnv::new(&[]).dirs(&["/tmp"]);
        assert_eq!(default_socket_dir(&other), "/tmp");
        assert_eq!(
            resolved("dbname=x", &other).hosts,
            vec![socket("/tmp", 5432)]
        );
        let nothing = TestEnv::new(&[]).dirs(&[]);
        assert_eq!(default_socket_dir(&nothing), "/tmp");
    }

    #[test]
    fn settings_from_the_string_then_the_environment_then_defaults() {
        let none = TestEnv::new(&[]);
        let info = resolved("host=/s", &none);
        assert_eq!(info.sslmode, SslMode::Prefer);
        assert_eq!(info.target_session_attrs, TargetSessionAttrs::Any);
        assert_eq!(info.application_name, "gsess");
        assert_eq!(info.connect_timeout, Some(Duration::from_secs(10)));
        assert_eq!(info.options, None);

        let env = TestEnv::new(&[
            ("PGSSLMODE", "require"),
            ("PGAPPNAME", "cron"),
            ("PGCONNECT_TIMEOUT", "3"),
            ("PGTARGETSESSIONATTRS", "read-write"),
            ("PGSSLROOTCERT", "/ca.pem"),
            ("PGOPTIONS", "-c search_path=x"),
        ]);
        let info = resolved("host=/s", &env);
        assert_eq!(info.sslmode, SslMode::Require);
        assert_eq!(info.application_name, "cron");
        assert_eq!(info.connect_timeout, Some(Duration::from_secs(3)));
        assert_eq!(info.target_session_attrs, TargetSessionAttrs::ReadWrite);
        assert_eq!(info.sslrootcert.as_deref(), Some("/ca.pem"));
        assert_eq!(info.options.as_deref(), Some("-c search_path=x"));

        let info = resolved(
            "postgresql:///x?sslmode=disable&application_name=mine&connect_timeout=1\
             &target_session_attrs=prefer-standby&options=-c%20geqo%3Doff",
            &env,
        );
        assert_eq!(info.sslmode, SslMode::Disable);
        assert_eq!(info.application_name, "mine");
        // libpq: a timeout under 2 s is 2 s; 0 waits indefinitely.
        assert_eq!(info.connect_timeout, Some(Duration::from_secs(2)));
        assert_eq!(info.target_session_attrs, TargetSessionAttrs::PreferStandby);
        assert_eq!(info.options.as_deref(), Some("-c geqo=off"));
        assert_eq!(resolved("connect_timeout=0", &none).connect_timeout, None);
        assert_eq!(
            resolved("connect_timeout=' 7 '", &none).connect_timeout,
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            resolved("postgresql:///x?ssl=true", &none).sslmode,
            SslMode::Require
        );
        assert_eq!(
            resolved("fallback_application_name=tool", &none).application_name,
            "tool"
        );
        assert_eq!(
            resolved("fallback_application_name=tool", &env).application_name,
            "cron"
        );
        for (value, mode) in [
            ("disable", SslMode::Disable),
            ("allow", SslMode::Allow),
            ("prefer", SslMode::Prefer),
            ("require", SslMode::Require),
            ("verify-ca", SslMode::VerifyCa),
            ("verify-full", SslMode::VerifyFull),
        ] {
            assert_eq!(resolved(&format!("sslmode={value}"), &none).sslmode, mode);
            assert_eq!(mode.as_str(), value);
        }
        for value in [
            "any",
            "read-write",
            "read-only",
            "primary",
            "standby",
            "prefer-standby",
        ] {
            let info = resolved(&format!("target_session_attrs={value}"), &none);
            assert_eq!(info.target_session_attrs.as_str(), value);
        }
    }

    /// Refusals, worded as libpq words them (psql prints the same text).
    #[test]
    fn invalid_strings_are_refused_as_libpq_refuses_them() {
        let none = TestEnv::new(&[]);
        let cases = [
            ("foo=1", "invalid connection option \"foo\""),
            ("postgresql:///x?foo=1", "invalid URI query parameter: \"foo\""),
            ("postgresql:///x?host", "missing key/value separator \"=\" in URI query parameter: \"host\""),
            ("postgresql:///x?host=a=b", "extra key/value separator \"=\" in URI query parameter: \"host\""),
            ("postgresql://%zz@/x", "invalid percent-encoded token: \"%zz\""),
            ("postgresql:///x%00", "forbidden value %00 in percent-encoded value: \"x%00\""),
            ("postgresql://[]/x", "IPv6 host address may not be empty in URI: \"postgresql://[]/x\""),
            (
                "postgresql://[::1/x",
                "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[::1/x\"",
            ),
            (
                "postgresql://[::1]x/db",
                "unexpected character \"x\" at position 19 in URI (expected \":\" or \"/\"): \"postgresql://[::1]x/db\"",
            ),
            ("host=x foo", "missing \"=\" after \"foo\" in connection info string"),
            ("host='x", "unterminated quoted string in connection info string"),
            ("sslmode=x", "invalid sslmode value: \"x\""),
            ("target_session_attrs=x", "invalid target_session_attrs value: \"x\""),
            ("port=abc", "invalid integer value \"abc\" for connection option \"port\""),
            ("port=0", "invalid port number: \"0\""),
            ("port=70000", "invalid port number: \"70000\""),
            ("connect_timeout=x", "invalid integer value \"x\" for connection option \"connect_timeout\""),
            ("host=a,b,c port=1,2", "could not match 2 port numbers to 3 hosts"),
            ("host=a,b hostaddr=1.1.1.1", "could not match 2 host names to 1 hostaddr values"),
            ("service=prod", "connection option \"service\" is not supported by gsess"),
            ("requirepeer=postgres", "connection option \"requirepeer\" is not supported by gsess"),
            ("channel_binding=require", "channel_binding=require is not supported by gsess (it cannot use channel binding)"),
            ("gssencmode=require", "gssencmode=require is not supported by gsess (it cannot use GSSAPI encryption)"),
            ("channel_binding=x", "invalid channel_binding value: \"x\""),
        ];
        for (conninfo, message) in cases {
            match resolve(conninfo, &none, &Defaults::default()) {
                Ok(info) => panic!("{conninfo:?} resolved: {info:?}"),
                Err(e) => assert_eq!(e.0, message, "{conninfo:?}"),
            }
        }
        let env = TestEnv::new(&[("PGSERVICE", "prod")]);
        assert_eq!(
            resolve("dbname=x", &env, &Defaults::default())
                .unwrap_err()
                .0,
            "connection option \"service\" (from PGSERVICE) is not supported by gsess"
        );
    }

    #[test]
    fn keywords_gsess_ignores_are_accepted() {
        let none = TestEnv::new(&[]);
        for conninfo in [
            "keepalives=1 keepalives_idle=30 keepalives_interval=5 keepalives_count=3",
            "tcp_user_timeout=1000 client_encoding=UTF8 sslcompression=0 sslsni=1",
            "ssl_min_protocol_version=TLSv1.2 ssl_max_protocol_version=TLSv1.3",
            "krbsrvname=postgres gsslib=gssapi gssencmode=prefer channel_binding=prefer",
            "postgresql:///x?keepalives=1&gssencmode=disable&channel_binding=disable",
        ] {
            resolved(conninfo, &none);
        }
    }

    #[test]
    fn passwords_from_the_string_the_environment_and_the_password_file() {
        let pgpass = "/home/osuser/.pgpass";
        let contents = "# comment\n\
                        db1:5432:gsess:alice:from\\:file\\\\x\n\
                        localhost:5432:*:alice:local-default-socket\n\
                        /sock:*:*:alice:socket-dir\n\
                        *:6000:*:*:any-on-6000\r\n";
        let env = TestEnv::new(&[]).file(pgpass, PasswordFile::Contents(contents.into()));
        let db1 = tcp(Some("db1"), None, 5432);
        let with_file = |spec: HostSpec, password: &str| HostSpec {
            password_file: Some(PathBuf::from(pgpass)),
            ..pw(spec, password)
        };
        let with_pgpassword = TestEnv {
            vars: [("PGPASSWORD".to_string(), "env-pw".to_string())].into(),
            ..env.clone()
        };
        let other_file = env
            .clone()
            .file("/other", PasswordFile::Contents("*:*:*:*:other".into()));
        let cases: Vec<(&str, &TestEnv, Vec<HostSpec>)> = vec![
            (
                "postgresql://alice:s%3Acret@db1/gsess",
                &env,
                vec![pw(db1.clone(), "s:cret")],
            ),
            (
                "host=db1 user=alice dbname=gsess password='it\\'s'",
                &env,
                vec![pw(db1.clone(), "it's")],
            ),
            (
                "postgresql://alice@db1/gsess?password=q%26p",
                &env,
                vec![pw(db1.clone(), "q&p")],
            ),
            (
                "postgresql://alice@db1/gsess",
                &env,
                vec![with_file(db1.clone(), "from:file\\x")],
            ),
            (
                "postgresql://alice@/x",
                &env,
                vec![with_file(
                    socket("/var/run/postgresql", 5432),
                    "local-default-socket",
                )],
            ),
            (
                "host=/var/run/postgresql user=alice dbname=x",
                &env,
                vec![with_file(
                    socket("/var/run/postgresql", 5432),
                    "local-default-socket",
                )],
            ),
            (
                "host=/sock user=alice dbname=x",
                &env,
                vec![with_file(socket("/sock", 5432), "socket-dir")],
            ),
            (
                "host=db1,db2 port=5432,6000 user=alice dbname=gsess",
                &env,
                vec![
                    with_file(db1.clone(), "from:file\\x"),
                    with_file(tcp(Some("db2"), None, 6000), "any-on-6000"),
                ],
            ),
            (
                "host=db9 user=alice dbname=gsess",
                &env,
                vec![tcp(Some("db9"), None, 5432)],
            ),
            (
                "host=db1 user=alice dbname=gsess",
                &with_pgpassword,
                vec![pw(db1.clone(), "env-pw")],
            ),
            (
                "host=db1 user=alice dbname=gsess passfile=/other",
                &other_file,
                vec![HostSpec {
                    password_file: Some("/other".into()),
                    ..pw(db1.clone(), "other")
                }],
            ),
        ];
        for (conninfo, env, hosts) in cases {
            assert_eq!(resolved(conninfo, env).hosts, hosts, "{conninfo:?}");
        }
    }

    #[test]
    fn an_insecure_password_file_is_ignored_with_libpq_warning() {
        let env = TestEnv::new(&[]).file("/home/osuser/.pgpass", PasswordFile::GroupOrWorldAccess);
        let info = resolved("host=db1 user=alice", &env);
        assert_eq!(info.hosts[0].password, None);
        assert_eq!(
            info.warnings,
            vec![
                "WARNING: password file \"/home/osuser/.pgpass\" has group or world access; \
                  permissions should be u=rw (0600) or less"
                    .to_owned()
            ]
        );
        let env = TestEnv::new(&[("PGPASSFILE", "/dir")]).file("/dir", PasswordFile::NotPlainFile);
        let info = resolved("host=db1 user=alice", &env);
        assert_eq!(
            info.warnings,
            vec!["WARNING: password file \"/dir\" is not a plain file".to_owned()]
        );
    }

    #[test]
    fn password_file_matching_rules() {
        let file = "h\\:x:5432:d:u:p1\n*:*:*:u:p2:ignored\nh:5432:d:u\\\\:p3\n";
        assert_eq!(
            password_from_file(file, "h:x", "5432", "d", "u").as_deref(),
            Some("p1")
        );
        assert_eq!(
            password_from_file(file, "h", "5432", "d", "u").as_deref(),
            Some("p2")
        );
        assert_eq!(
            password_from_file(file, "h", "5432", "d", "u\\").as_deref(),
            Some("p3")
        );
        assert_eq!(password_from_file(file, "h", "5432", "d", "v"), None);
        assert_eq!(password_from_file(file, "h", "5432", "", "u"), None);
        // A prefix is not a match.
        assert_eq!(password_from_file("hx:*:*:*:p", "h", "1", "d", "u"), None);
        assert_eq!(password_from_file("h:*:*:*:p", "hx", "1", "d", "u"), None);
    }

    #[test]
    fn a_password_never_shows_in_debug_output_nor_errors() {
        let env = TestEnv::new(&[]);
        let info = resolved("postgresql://alice:hunter2@db1/x?password=hunter3", &env);
        let debug = format!("{info:?} {:?}", parse("password=hunter4 host=x").unwrap());
        assert!(!debug.contains("hunter"), "{debug}");
        assert!(debug.contains("****"));
        for bad in [
            "postgresql://alice:hun%zzter@db1/x",
            "postgresql://alice:hunter2@[]/x",
            "postgresql://alice@h/x?password=hun%zz",
        ] {
            let message = resolve(bad, &env, &Defaults::default()).unwrap_err().0;
            assert!(!message.contains("hun"), "{message}");
        }
    }

    #[test]
    fn redaction_replaces_only_the_password() {
        let cases = [
            (
                "postgresql://alice:hunter2@db1/x",
                "postgresql://alice:****@db1/x",
            ),
            (
                "postgresql://alice@db1/x?sslmode=require&password=p%20w&a=b",
                "postgresql://alice@db1/x?sslmode=require&password=****&a=b",
            ),
            (
                "postgresql://alice@/x?host=/s",
                "postgresql://alice@/x?host=/s",
            ),
            (
                "host=/s password='a b\\' c' dbname=x",
                "host=/s password=**** dbname=x",
            ),
            ("password = secret", "password = ****"),
            ("gsess", "gsess"),
            (
                "host='unterminated password=x",
                "(a connection string that does not parse)",
            ),
            (
                "postgresql://u:pw@[]/x?password=y",
                "postgresql://u:****@[]/x?password=****",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "{input:?}");
        }
    }

    #[test]
    fn attempts_are_described_as_psql_names_them() {
        assert_eq!(
            socket("/tmp/x", 5432).describe(),
            "on socket \"/tmp/x/.s.PGSQL.5432\""
        );
        assert_eq!(
            tcp(Some("db1"), Some("10.0.0.1"), 5432).to_string(),
            "at \"db1\" (10.0.0.1), port 5432"
        );
        assert_eq!(
            tcp(Some("127.0.0.1"), None, 5433).describe(),
            "at \"127.0.0.1\", port 5433"
        );
        assert_eq!(
            tcp(None, Some("10.0.0.2"), 1).describe(),
            "at \"10.0.0.2\", port 1"
        );
        assert_eq!(tcp(Some("db1"), Some("10.0.0.1"), 5).host_label(), "db1");
        assert_eq!(socket("/s", 5).host_label(), "/s");
    }
}
