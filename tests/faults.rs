//! Faults: the server stopped (fast, immediate) or gsess SIGKILLed mid-finalize, -billing, -submit and -import, `billing watch` across a restart, and lock and statement timeouts — exit 9, then old state or new, never a mix, and a rerun finishes with nothing doubled. `cargo test --test faults`.

mod common;

use common::billing::{dataset, session, DANA};
use common::{gsess_binary, TestDb};
use gsess::embedded::Cluster;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const BILLING: &str = "clinical.billing.run";

/// Sessions per finalize or billing batch (their modules' BATCH_SESSIONS), plus some: the
/// fault comes in the second batch, after the first committed.
const TWO_BATCHES: usize = 600;

// --- A server of this binary's own, to stop and start -------------------------------------

/// The harness cluster serves every test of a binary at once, so stopping it would break
/// the others: server faults get a cluster of their own, one test at a time.
struct Server {
    cluster: Cluster,
    next_db: usize,
}

static SERVER: OnceLock<Mutex<Server>> = OnceLock::new();

extern "C" fn stop_server() {
    if let Some(server) = SERVER.get() {
        let server = server.lock().unwrap_or_else(|e| e.into_inner());
        let _ = server.cluster.stop();
        let _ = std::fs::remove_dir_all(&server.cluster.home);
        let _ = std::fs::remove_dir_all(server.cluster.socket_dir());
    }
}

/// One test's database on the private server, which the test holds alone while it runs.
struct Faulty {
    server: MutexGuard<'static, Server>,
    url: String,
}

fn faulty() -> Faulty {
    let lock = SERVER.get_or_init(|| {
        let home = PathBuf::from(format!("/tmp/gsess-faults-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let cluster = Cluster::at(home).expect("PostgreSQL server binaries for the tests");
        cluster.ensure_running().expect("start the fault cluster");
        // SAFETY: registering a plain extern "C" function with no preconditions.
        unsafe { libc::atexit(stop_server) };
        Mutex::new(Server {
            cluster,
            next_db: 0,
        })
    });
    let mut server = lock.lock().unwrap_or_else(|e| e.into_inner());
    // A test that failed may have left it stopped.
    server
        .cluster
        .ensure_running()
        .expect("start the fault cluster");
    server.next_db += 1;
    let name = format!("f{}", server.next_db);
    let admin = server.cluster.url("postgres");
    psql(&admin, &format!("CREATE DATABASE {name}"));
    let url = server.cluster.url(&name);
    let faulty = Faulty { server, url };
    faulty.gsess(&[], &["db", "migrate"]).success();
    faulty
}

fn psql(url: &str, sql: &str) -> String {
    let bindir = gsess::embedded::find_bindir().expect("PostgreSQL binaries");
    let out = Command::new(bindir.join("psql"))
        .args([
            "-X",
            "-q",
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql failed: {}\n{sql}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl Faulty {
    fn gsess(&self, env: &[(&str, &str)], args: &[&str]) -> common::Run {
        let mut all = vec![("DATABASE_URL", self.url.as_str())];
        all.extend_from_slice(env);
        common::gsess_with(&all, args, None)
    }

    fn gsess_stdin(&self, args: &[&str], stdin: &str) -> common::Run {
        common::gsess_with(&[("DATABASE_URL", &self.url)], args, Some(stdin))
    }

    fn sql(&self, sql: &str) -> String {
        psql(&self.url, sql)
    }

    fn count(&self, sql: &str) -> i64 {
        self.sql(sql).parse().expect("a count")
    }

    /// Stop the server as `pg_ctl stop -m MODE` does, by signalling the postmaster (pg_ctl
    /// itself refuses to run as root): `fast` (SIGINT) ends every session cleanly,
    /// `immediate` (SIGQUIT) kills them as a crash would and the restart recovers from the WAL.
    fn stop(&self, mode: &str) {
        let signal = match mode {
            "fast" => libc::SIGINT,
            "immediate" => libc::SIGQUIT,
            other => panic!("no shutdown mode {other}"),
        };
        let pid_file = self.server.cluster.data_dir().join("postmaster.pid");
        let pid: i32 = std::fs::read_to_string(&pid_file)
            .expect("postmaster.pid")
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .expect("the postmaster's pid");
        // SAFETY: kill has no memory-safety preconditions.
        assert_eq!(
            unsafe { libc::kill(pid, signal) },
            0,
            "signal the postmaster"
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        // SAFETY: as above; signal 0 only asks whether the process exists.
        while unsafe { libc::kill(pid, 0) } == 0 {
            assert!(
                Instant::now() < deadline,
                "the server did not stop ({mode})"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn start(&self) {
        self.server
            .cluster
            .ensure_running()
            .expect("restart the fault cluster");
    }

    /// Start gsess paused at `point` for a few seconds (debug builds), reading its stderr.
    fn spawn_paused(&self, point: &str, args: &[&str]) -> Paused {
        let child = Command::new(gsess_binary())
            .args(args)
            .env_remove("GSESS_HOME")
            .env("DATABASE_URL", &self.url)
            .env("NO_COLOR", "1")
            .env("GSESS_TEST_PAUSE", point)
            .env("GSESS_TEST_PAUSE_SECONDS", "3")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn gsess");
        Paused::new(child, point)
    }
}

/// A gsess process stopped at a pause point; stderr is read as it comes.
struct Paused {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    point: String,
}

impl Paused {
    fn new(mut child: std::process::Child, point: &str) -> Paused {
        let lines = common::stderr_lines(&mut child);
        Paused {
            child,
            lines,
            point: point.to_owned(),
        }
    }

    /// Wait for the `nth` pause (1 = the first batch); returns the stderr lines seen.
    #[track_caller]
    fn wait_for_pause(&self, nth: usize) -> Vec<String> {
        let needle = format!("paused at {}", self.point);
        let mut seen = Vec::new();
        let mut pauses = 0;
        while pauses < nth {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(120))
                .unwrap_or_else(|_| panic!("never paused at {needle}: {seen:#?}"));
            pauses += usize::from(line.contains(&needle));
            seen.push(line);
        }
        seen
    }

    /// Wait for it to exit: its code and the rest of its stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        let status = self.child.wait().expect("wait for gsess");
        let rest: Vec<String> = self.lines.iter().collect();
        (status.code(), rest.join("\n"))
    }
}

// --- Data ---------------------------------------------------------------------------------

/// `count` sessions that ended an hour ago, each with M001–M004 (ORMCD, 2–4 band at 45.00).
fn ended_sessions(count: usize) -> Value {
    Value::Array(
        (0..count)
            .map(|i| {
                session(
                    &format!("F-{i}"),
                    "DBT",
                    -120,
                    -60,
                    &["M001", "M002", "M003", "M004"],
                )
            })
            .collect(),
    )
}

/// Everyone attended except M004, left SCHEDULED for finalize.
const TAKE_ATTENDANCE: &str = "UPDATE session_participant p SET status = 'ATTENDED' FROM member m
      WHERE m.id = p.member_id AND m.mrn <> 'M004'";

fn session_ids(f: &Faulty) -> Vec<String> {
    f.sql("SELECT id FROM group_session ORDER BY id")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Sessions that are partly finalized: some rows of theirs marked by finalize, some still
/// SCHEDULED. A batch is one transaction, so there must be none.
const HALF_FINALIZED: &str = "SELECT count(*) FROM group_session g
  WHERE EXISTS (SELECT 1 FROM session_participant p WHERE p.session_id = g.id AND p.status = 'SCHEDULED')
    AND EXISTS (SELECT 1 FROM audit_log a WHERE a.session_id = g.id AND a.reason = 'gsess finalize')";

/// Charges or claims doubled, and billed sessions whose charges or claims are incomplete
/// (three attended members each: three active charges and, with all rows decided, three claims).
fn billing_defects(f: &Faulty) -> (i64, i64) {
    let doubled = f.count(
        "SELECT count(*) FROM (SELECT 1 FROM charge WHERE status = 'ACTIVE'
           GROUP BY facility_id, session_id, member_id HAVING count(*) > 1
         UNION ALL SELECT 1 FROM claim WHERE is_live
           GROUP BY facility_id, session_id, member_id HAVING count(*) > 1) d",
    );
    let mixed = f.count(
        "SELECT count(*) FROM group_session g
          WHERE (SELECT count(*) FROM charge c WHERE c.session_id = g.id AND c.status = 'ACTIVE')
                NOT IN (0, 3)
             OR (SELECT count(*) FROM claim c WHERE c.session_id = g.id AND c.is_live) NOT IN (0, 3)
             OR g.billing_settled <> EXISTS (SELECT 1 FROM charge c WHERE c.session_id = g.id)",
    );
    (doubled, mixed)
}

#[track_caller]
fn assert_unavailable(code: Option<i32>, stderr: &str) {
    assert_eq!(code, Some(9), "expected exit 9 (UNAVAILABLE):\n{stderr}");
    assert!(
        stderr.contains("database"),
        "the message does not say the database went away:\n{stderr}"
    );
}

const MODES: [&str; 2] = ["fast", "immediate"];

// --- The server stopped in the middle ----------------------------------------------------

#[test]
fn server_stopped_during_a_bulk_finalize_then_a_rerun_finishes_it() {
    for mode in MODES {
        let f = faulty();
        f.gsess_stdin(
            &["import", "-"],
            &dataset(ended_sessions(TWO_BATCHES)).to_string(),
        )
        .success();
        f.sql(TAKE_ATTENDANCE);
        let ids = session_ids(&f);
        let mut args = vec!["--json", "finalize", "--yes"];
        args.extend(ids.iter().map(String::as_str));

        let running = f.spawn_paused("finalize-batch-before-commit", &args);
        running.wait_for_pause(2);
        f.stop(mode);
        let (code, stderr) = running.finish();
        assert_unavailable(code, &stderr);
        f.start();
        // The first batch committed, the second left nothing.
        let finalized = f.count(
            "SELECT count(DISTINCT session_id) FROM audit_log WHERE reason = 'gsess finalize'",
        );
        assert_eq!(finalized, 500, "{mode}: sessions finalized before the stop");
        assert_eq!(
            f.count(HALF_FINALIZED),
            0,
            "{mode}: a half-finalized session"
        );

        let rerun = f.gsess(&[], &args).success().json();
        assert_eq!(rerun["finalized_count"], TWO_BATCHES, "{rerun}");
        assert_eq!(
            f.count("SELECT count(*) FROM session_participant WHERE status = 'SCHEDULED'"),
            0
        );
        // Each M004 row was marked ABSENT exactly once.
        assert_eq!(
            f.count("SELECT count(*) FROM audit_log WHERE reason = 'gsess finalize' AND action = 'roster.mark'"),
            TWO_BATCHES as i64,
            "{mode}: finalize marks lost or doubled"
        );
    }
}

#[test]
fn server_stopped_during_a_billing_run_then_a_rerun_bills_each_member_once() {
    for mode in MODES {
        let f = faulty();
        f.gsess_stdin(
            &["import", "-"],
            &dataset(ended_sessions(TWO_BATCHES)).to_string(),
        )
        .success();
        f.sql(&format!("{TAKE_ATTENDANCE}; UPDATE session_participant SET status = 'ABSENT' WHERE status = 'SCHEDULED'"));

        let running = f.spawn_paused("billing-batch-before-commit", &["--json", "billing", "run"]);
        running.wait_for_pause(2);
        f.stop(mode);
        let (code, stderr) = running.finish();
        assert_unavailable(code, &stderr);
        f.start();
        assert_eq!(
            f.count("SELECT count(DISTINCT session_id) FROM charge"),
            500,
            "{mode}: the first batch's sessions are billed, the second's not"
        );
        assert_eq!(billing_defects(&f), (0, 0), "{mode}: doubled or mixed");

        let rerun = f.gsess(&[], &["--json", "billing", "run"]).success().json();
        assert_eq!(rerun["charges_built"], 3 * (TWO_BATCHES - 500), "{rerun}");
        assert_eq!(billing_defects(&f), (0, 0), "{mode}: doubled or mixed");
        assert_eq!(
            f.count("SELECT count(*) FROM charge WHERE status = 'ACTIVE'"),
            3 * TWO_BATCHES as i64
        );
        assert_eq!(
            f.count("SELECT count(*) FROM claim WHERE is_live"),
            3 * TWO_BATCHES as i64
        );
    }
}

/// Claims waiting to be sent: two ended sessions, billed.
fn billed(f: &Faulty) {
    f.gsess_stdin(&["import", "-"], &dataset(ended_sessions(2)).to_string())
        .success();
    f.sql(&format!("{TAKE_ATTENDANCE}; UPDATE session_participant SET status = 'ABSENT' WHERE status = 'SCHEDULED'"));
    for session in session_ids(f) {
        f.gsess(&[], &["mark", &session, "attended", "--supervisor", DANA])
            .success();
    }
    f.gsess(&[], &["billing", "run"]).success();
}

/// What was sent: (EDI documents, claims SUBMITTED, claims pointing at a document).
fn sent(f: &Faulty) -> (i64, i64, i64) {
    (
        f.count("SELECT count(*) FROM edi_document"),
        f.count("SELECT count(*) FROM claim WHERE status = 'SUBMITTED'"),
        f.count("SELECT count(*) FROM claim WHERE edi_document_id IS NOT NULL"),
    )
}

#[test]
fn server_stopped_during_a_claim_submit_then_a_rerun_sends_each_claim_once() {
    for mode in MODES {
        let f = faulty();
        billed(&f);
        let session: String = f.sql("SELECT min(id) FROM group_session");
        let args = ["--json", "claim", "submit", "--session", &session];

        let running = f.spawn_paused("submit-before-commit", &args);
        running.wait_for_pause(1);
        f.stop(mode);
        let (code, stderr) = running.finish();
        assert_unavailable(code, &stderr);
        f.start();
        assert_eq!(sent(&f), (0, 0, 0), "{mode}: part of a submission stayed");

        let rerun = f.gsess(&[], &args).success().json();
        assert_eq!(
            rerun["interchanges"].as_array().unwrap().len(),
            1,
            "{rerun}"
        );
        assert_eq!(sent(&f), (1, 3, 3), "{mode}: sent twice or not at all");
    }
}

#[test]
fn server_stopped_during_an_import_then_a_rerun_imports_it_once() {
    for mode in MODES {
        let f = faulty();
        let document = dataset(ended_sessions(50)).to_string();
        let running = {
            let mut child = Command::new(gsess_binary())
                .args(["--json", "import", "-"])
                .env_remove("GSESS_HOME")
                .env("DATABASE_URL", &f.url)
                .env("GSESS_TEST_PAUSE", "import-before-commit")
                .env("GSESS_TEST_PAUSE_SECONDS", "3")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn gsess");
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("piped stdin");
            stdin
                .write_all(document.as_bytes())
                .expect("write the document");
            drop(stdin);
            Paused::new(child, "import-before-commit")
        };
        running.wait_for_pause(1);
        f.stop(mode);
        let (code, stderr) = running.finish();
        assert_unavailable(code, &stderr);
        f.start();
        assert_eq!(
            f.count(
                "SELECT (SELECT count(*) FROM group_session) + (SELECT count(*) FROM member)
                          + (SELECT count(*) FROM audit_log WHERE action = 'import')"
            ),
            0,
            "{mode}: part of the import stayed"
        );

        f.gsess_stdin(&["import", "-"], &document).success();
        assert_eq!(f.count("SELECT count(*) FROM group_session"), 50);
        assert_eq!(f.count("SELECT count(*) FROM session_participant"), 200);
        assert_eq!(
            f.count("SELECT count(*) FROM audit_log WHERE action = 'import'"),
            1
        );
    }
}

#[test]
fn billing_watch_survives_a_server_restart_and_bills_a_session_ending_after_it() {
    let f = faulty();
    let tz: chrono_tz::Tz = "America/Los_Angeles".parse().unwrap();
    let ends = chrono::Utc::now() + chrono::Duration::seconds(15);
    let mut sessions = ended_sessions(1);
    sessions[0]["starts_at"] = (ends - chrono::Duration::minutes(60))
        .with_timezone(&tz)
        .to_rfc3339()
        .into();
    sessions[0]["ends_at"] = ends.with_timezone(&tz).to_rfc3339().into();
    f.gsess_stdin(&["import", "-"], &dataset(sessions).to_string())
        .success();
    f.sql(&format!("{TAKE_ATTENDANCE}; UPDATE session_participant SET status = 'ABSENT' WHERE status = 'SCHEDULED'"));

    let watch = Command::new(gsess_binary())
        .args(["billing", "watch", "--grace", "0s"])
        .env_remove("GSESS_HOME")
        .env("DATABASE_URL", &f.url)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the watch");
    let watch = Paused::new(watch, "-");
    std::thread::sleep(Duration::from_secs(2));
    f.stop("fast");
    std::thread::sleep(Duration::from_secs(2));
    f.start();
    assert_eq!(
        f.count("SELECT count(*) FROM charge"),
        0,
        "billed before it ended"
    );

    let deadline = Instant::now() + Duration::from_secs(90);
    while f.count("SELECT count(*) FROM charge") == 0 {
        assert!(
            Instant::now() < deadline,
            "the watch never billed the session after the restart"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let pid = i32::try_from(watch.child.id()).expect("a pid");
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let (code, stderr) = watch.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("reconnecting"),
        "it never noticed the restart:\n{stderr}"
    );
    assert_eq!(billing_defects(&f), (0, 0));
    assert_eq!(
        f.count("SELECT count(*) FROM charge WHERE status = 'ACTIVE'"),
        3
    );
}

// --- gsess killed in the middle ------------------------------------------------------------

/// A roll-call-sized fixture on the harness cluster: `count` ended sessions, attendance taken
/// but M004 left SCHEDULED.
fn ended_on(db: &TestDb, count: usize) {
    db.gsess_stdin(
        &["import", "-"],
        &dataset(ended_sessions(count)).to_string(),
    )
    .success();
    db.sql(TAKE_ATTENDANCE);
}

/// Everything a batch could have written, as one comparable text.
fn snapshot(db: &TestDb) -> String {
    db.scalar(
        "SELECT concat_ws(' | ',
            (SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM session_participant),
            (SELECT count(*) FROM charge), (SELECT count(*) FROM claim),
            (SELECT count(*) FROM edi_document), (SELECT count(*) FROM group_session),
            (SELECT string_agg(status, ',' ORDER BY id) FROM claim),
            (SELECT count(*) FROM audit_log))",
    )
}

/// Start gsess paused at `point` (as `login`), wait for its `nth` pause, SIGKILL it, and wait
/// until its backend is gone.
fn kill_at(db: &TestDb, login: &str, point: &str, nth: usize, args: &[&str]) {
    let mut running = db.spawn_watched_as(
        login,
        &[
            ("GSESS_TEST_PAUSE", point),
            ("GSESS_TEST_PAUSE_SECONDS", "2"),
        ],
        args,
    );
    for _ in 0..nth {
        running.wait_for_line(&format!("paused at {point}"));
    }
    running.kill();
    let deadline = Instant::now() + Duration::from_secs(10);
    while db.scalar::<i64>(&format!(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}' AND application_name = 'gsess'",
        db.name
    )) > 0
    {
        assert!(Instant::now() < deadline, "the killed backend lingers");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn finalize_killed_in_its_second_batch_keeps_the_first_and_none_of_the_second() {
    let db = TestDb::new();
    ended_on(&db, TWO_BATCHES);
    let writer = db.login("writer", &[READ, WRITE]);
    let ids: Vec<String> = db
        .rows("SELECT id FROM group_session ORDER BY id")
        .iter()
        .map(|r| r["id"].to_string())
        .collect();
    let mut args = vec!["--json", "finalize", "--yes"];
    args.extend(ids.iter().map(String::as_str));

    kill_at(&db, &writer, "finalize-batch-before-commit", 2, &args);
    let finalized: i64 = db
        .scalar("SELECT count(DISTINCT session_id) FROM audit_log WHERE reason = 'gsess finalize'");
    assert_eq!(
        finalized, 500,
        "the first batch committed, the second did not"
    );
    let half: i64 = db.scalar(
        "SELECT count(*) FROM group_session g
          WHERE EXISTS (SELECT 1 FROM session_participant p WHERE p.session_id = g.id AND p.status = 'SCHEDULED')
            AND EXISTS (SELECT 1 FROM audit_log a WHERE a.session_id = g.id AND a.reason = 'gsess finalize')",
    );
    assert_eq!(half, 0, "a half-finalized session");
    let rerun = db.gsess_as(&writer, &args).success().json();
    assert_eq!(rerun["finalized_count"], TWO_BATCHES, "{rerun}");
    let marks: i64 = db.scalar(
        "SELECT count(*) FROM audit_log WHERE reason = 'gsess finalize' AND action = 'roster.mark'",
    );
    assert_eq!(marks, TWO_BATCHES as i64, "finalize marks lost or doubled");
}

#[test]
fn a_billing_run_killed_mid_batch_leaves_nothing_of_it() {
    let db = TestDb::new();
    ended_on(&db, 3);
    db.sql("UPDATE session_participant SET status = 'ABSENT' WHERE status = 'SCHEDULED'");
    let biller = db.login("biller", &[READ, BILLING]);
    let before = snapshot(&db);
    kill_at(
        &db,
        &biller,
        "billing-batch-before-commit",
        1,
        &["billing", "run"],
    );
    assert_eq!(snapshot(&db), before, "part of the killed batch stayed");
    let rerun = db
        .gsess_as(&biller, &["--json", "billing", "run"])
        .success()
        .json();
    assert_eq!(rerun["charges_built"], 9, "{rerun}");
    assert_eq!(rerun["claims_built"], 9, "{rerun}");
}

#[test]
fn a_claim_submit_killed_before_commit_sends_nothing() {
    let db = TestDb::new();
    ended_on(&db, 1);
    db.sql("UPDATE session_participant SET status = 'ABSENT' WHERE status = 'SCHEDULED'");
    let biller = db.login("biller", &[READ, BILLING]);
    let session: i64 = db.scalar("SELECT min(id) FROM group_session");
    let sid = session.to_string();
    db.gsess(&["mark", &sid, "attended", "--supervisor", DANA])
        .success();
    db.gsess_as(&biller, &["billing", "run"]).success();
    let args = ["--json", "claim", "submit", "--session", &sid];
    let before = snapshot(&db);
    kill_at(&db, &biller, "submit-before-commit", 1, &args);
    assert_eq!(
        snapshot(&db),
        before,
        "part of the killed submission stayed"
    );
    db.gsess_as(&biller, &args).success();
    let sent: i64 = db.scalar("SELECT count(*) FROM claim WHERE status = 'SUBMITTED'");
    let documents: i64 = db.scalar("SELECT count(*) FROM edi_document");
    assert_eq!((sent, documents), (3, 1));
}

#[test]
fn an_import_killed_before_commit_imports_nothing() {
    let db = TestDb::new();
    let document = dataset(ended_sessions(20)).to_string();
    let file = std::env::temp_dir().join(format!("gsess-faults-{}.json", db.name));
    std::fs::write(&file, &document).unwrap();
    let path = file.to_str().unwrap();
    let before = snapshot(&db);
    let admin = db.login("admin", &["gsess.admin"]);
    kill_at(&db, &admin, "import-before-commit", 1, &["import", path]);
    assert_eq!(snapshot(&db), before, "part of the killed import stayed");
    db.gsess_as(&admin, &["import", path]).success();
    assert_eq!(db.scalar::<i64>("SELECT count(*) FROM group_session"), 20);
    assert_eq!(
        db.scalar::<i64>("SELECT count(*) FROM session_participant"),
        80
    );
    let _ = std::fs::remove_file(&file);
}

// --- Timeouts ----------------------------------------------------------------------------

/// Run gsess and return it with how long it took.
fn timed(run: impl FnOnce() -> common::Run) -> (common::Run, Duration) {
    let started = Instant::now();
    let run = run();
    (run, started.elapsed())
}

#[test]
fn a_held_row_lock_makes_mark_and_finalize_give_up_after_the_lock_timeout() {
    let db = TestDb::new();
    ended_on(&db, 1);
    let writer = db.login("writer", &[READ, WRITE]);
    let session: i64 = db.scalar("SELECT id FROM group_session");
    let sid = session.to_string();
    let holds = [
        format!("SELECT 1 FROM group_session WHERE id = {session} FOR UPDATE"),
        format!(
            "SELECT 1 FROM session_participant p JOIN member m ON m.id = p.member_id
              WHERE p.session_id = {session} AND m.mrn = 'M004' FOR UPDATE"
        ),
    ];
    for hold in &holds {
        let held = db.begin_held(hold);
        for args in [
            vec![
                "--json",
                "--lock-timeout",
                "1s",
                "mark",
                &sid,
                "late",
                "M004",
            ],
            vec!["--json", "--lock-timeout", "1s", "finalize", "--yes", &sid],
        ] {
            let (run, took) = timed(|| db.gsess_as(&writer, &args));
            run.code(9).stderr_contains("lock");
            assert!(
                took < Duration::from_secs(8),
                "{args:?} took {took:?} under {hold}"
            );
        }
        drop(held);
    }
    assert_eq!(
        db.roster_status(session, "M004").as_deref(),
        Some("SCHEDULED")
    );
    db.gsess_as(&writer, &["mark", &sid, "late", "M004"])
        .success();
}

#[test]
fn a_slow_statement_makes_mark_and_finalize_give_up_after_the_statement_timeout() {
    let db = TestDb::new();
    ended_on(&db, 1);
    let writer = db.login("writer", &[READ, WRITE]);
    let session: i64 = db.scalar("SELECT id FROM group_session");
    let sid = session.to_string();
    db.sql(
        "CREATE FUNCTION slow_attendance() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
         CREATE TRIGGER slow_attendance AFTER UPDATE ON session_participant
           FOR EACH STATEMENT EXECUTE FUNCTION slow_attendance();",
    );
    for args in [
        vec![
            "--json",
            "--lock-timeout",
            "60s",
            "--statement-timeout",
            "1s",
            "mark",
            &sid,
            "late",
            "M004",
        ],
        vec![
            "--json",
            "--lock-timeout",
            "60s",
            "--statement-timeout",
            "1s",
            "finalize",
            "--yes",
            &sid,
        ],
    ] {
        let (run, took) = timed(|| db.gsess_as(&writer, &args));
        run.code(9).stderr_contains("statement");
        assert!(took < Duration::from_secs(8), "{args:?} took {took:?}");
    }
    assert_eq!(
        db.roster_status(session, "M004").as_deref(),
        Some("SCHEDULED")
    );
}
