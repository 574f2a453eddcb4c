//! `gsess take` against real PostgreSQL: without a terminal it refuses (exit 7) and changes nothing; on a pseudo-terminal the real menus mark rows through `mark`'s path, by Enter and by one-key shortcuts, and finish with the offered finalize; a whole room is taken by one key a row, each mark naming what it did to the preview.

mod common;

use common::{TestDb, ROLL_CALL_DANA as DANA, ROLL_CALL_LEE as LEE};
use std::process::Command;

const WRITE: &str = "clinical.attendance.write";

fn marks_audited(db: &TestDb, session: i64) -> i64 {
    db.scalar(&format!(
        "SELECT count(*) FROM audit_log WHERE session_id = {session} AND action LIKE '%.mark'"
    ))
}

#[test]
fn without_a_terminal_it_exits_7_suggesting_mark_and_changes_nothing() {
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    let id = s.to_string();
    for args in [
        vec!["take", id.as_str()],
        // --yes answers confirmations; it does not make a roll call possible without a terminal
        vec!["take", id.as_str(), "--yes"],
    ] {
        db.gsess_as(&w, &args)
            .code(7)
            .stderr_contains("needs a terminal")
            .stderr_contains("gsess mark");
    }
    let run = db.gsess_as(&w, &["take", &id, "--json"]);
    run.code(7);
    assert_eq!(run.json_error()["error"]["code"], "CONFIRMATION_REQUIRED");
    assert_eq!(marks_audited(&db, s), 0);
    for mrn in ["M001", "M002", "M003"] {
        assert_eq!(db.roster_status(s, mrn).as_deref(), Some("SCHEDULED"));
    }
}

/// Runs a program on a pseudo-terminal (stdin, stdout and stderr), answering prompts: for each
/// `[text, keys]` step it waits until `text` appears after the previous step's match (ANSI
/// sequences stripped), pauses so the prompt is reading keys, then types `keys`. Prints the
/// whole screen on stdout and exits with the program's exit code (3 when a prompt never came).
const PTY_DRIVER: &str = r#"
import json, os, pty, re, select, struct, sys, time, fcntl, termios
argv, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
seen = b""
def read_some(timeout):
    global seen
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return False
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return None
    if not chunk:
        return None
    seen += chunk
    return True
ansi = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
pos = 0
for wait_for, keys in steps:
    deadline = time.time() + 30
    while True:
        text = ansi.sub(b"", seen)
        at = text.find(wait_for.encode(), pos)
        if at >= 0:
            pos = at + len(wait_for)
            break
        if time.time() > deadline or read_some(0.2) is None:
            sys.stdout.write(text.decode(errors="replace"))
            sys.stdout.write("\n[driver] never saw %r\n" % wait_for)
            os.kill(pid, 9)
            sys.exit(3)
    time.sleep(0.4)
    while read_some(0.05):
        pass
    os.write(fd, keys.encode())
deadline = time.time() + 30
while time.time() < deadline and read_some(0.2) is not None:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(ansi.sub(b"", seen).decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
"#;

/// Whether python3 is there to drive the pseudo-terminal; CI installs it (.ci/run), so there
/// a missing one is a failure, not a skip.
fn python3() -> bool {
    if Command::new("python3").arg("--version").output().is_ok() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "python3 is needed to drive the real prompt through a pseudo-terminal"
    );
    eprintln!("python3 is not installed: the pseudo-terminal roll call is not exercised");
    false
}

/// `gsess take SESSION` as `login` on a pseudo-terminal, typing `steps` (see [`PTY_DRIVER`]);
/// asserts it finished cleanly and returns the screen, ANSI sequences stripped.
fn take_on_a_terminal(db: &TestDb, login: &str, session: i64, steps: &serde_json::Value) -> String {
    let argv = serde_json::json!([common::gsess_binary(), "take", session.to_string()]);
    let output = Command::new("python3")
        .args(["-c", PTY_DRIVER, &argv.to_string(), &steps.to_string()])
        .env_remove("GSESS_HOME")
        .env("DATABASE_URL", db.url_as(login))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .output()
        .expect("run python3");
    let screen = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(
        output.status.code(),
        Some(0),
        "the roll call did not finish cleanly:\n{screen}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    screen
}

#[test]
fn on_a_terminal_the_roll_call_marks_rows_and_finishes_with_the_offered_finalize() {
    if !python3() {
        return;
    }
    let db = TestDb::new();
    let s = db.seed_roll_call();
    let w = db.login("writer", &[WRITE]);
    // Menu: M001, M002, M003, Supervisor Dana, done; the highlight starts on the first row
    // SCHEDULED and, after a mark, moves to the next one. Status menus list the legal next
    // states in the rules' order (SCHEDULED: ATTENDED, ABSENT, LATE), then "(back)".
    let steps = serde_json::json!([
        ["Pick a row", "\r"],      // M001
        ["mark as", "jj\r"],       // LATE; the highlight moves on to M002
        ["Pick a row", "kl"],      // back up to M001, already LATE: the key is ignored
        ["already LATE", "jjj\r"], // Supervisor Dana
        ["mark as", "\r"],         // ATTENDED; the highlight wraps around to M002
        ["Pick a row", "\r"],      // M002
        ["mark as", "jjj\r"],      // (back): nothing changes, the highlight stays
        ["Pick a row", "jjj\r"],   // done
        ["[y/N]", "y"]             // mark M002 and M003 ABSENT
    ]);
    let screen = take_on_a_terminal(&db, &w, s, &steps);
    // Each step printed the change and the recomputed preview, issues included.
    assert!(screen.contains("Billing preview: 1 billable"), "{screen}");
    assert!(screen.contains("GROUP_UNATTENDED_BILLED"), "{screen}");
    assert!(
        screen.contains("Mark the 2 row(s) still SCHEDULED ABSENT"),
        "{screen}"
    );
    assert!(
        screen.contains("Ana Lopez (M001) is already LATE: [a] ATTENDED   [x] ABSENT"),
        "{screen}"
    );

    assert_eq!(db.roster_status(s, "M001").as_deref(), Some("LATE"));
    assert_eq!(db.supervisor_status(s, DANA).as_deref(), Some("ATTENDED"));
    assert_eq!(db.roster_status(s, "M002").as_deref(), Some("ABSENT"));
    assert_eq!(db.roster_status(s, "M003").as_deref(), Some("ABSENT"));
    // Audited as the person at the terminal, one entry per row changed.
    let audited: Vec<serde_json::Value> = db.rows(&format!(
        "SELECT actor, action, before->>'status' AS before, after->>'status' AS after
           FROM audit_log WHERE session_id = {s} AND action LIKE '%.mark' ORDER BY id"
    ));
    assert_eq!(audited.len(), 4, "{audited:?}");
    assert!(
        audited.iter().all(|a| a["actor"] == w.as_str()),
        "{audited:?}"
    );
    assert!(
        audited.iter().all(|a| a["before"] == "SCHEDULED"),
        "{audited:?}"
    );
}

/// The roll call dataset with M004 and M005 on the roster too: five participants, and two
/// supervisors (Dana through M001, Lee through M004). ORMCD prices 2–4 billable, 6 per
/// supervisor.
fn seed_room(db: &TestDb) -> i64 {
    let mut dataset = common::roll_call_dataset();
    dataset["sessions"][0]["participants"] =
        serde_json::json!(["M001", "M002", "M003", "M004", "M005"]);
    db.gsess_stdin(&["import", "-"], &dataset.to_string())
        .success();
    db.scalar("SELECT id FROM group_session WHERE external_id = 'RC-1'")
}

/// Every row of the session as (MRN or NPI, status), roster rows first, each in menu order.
fn statuses(db: &TestDb, session: i64) -> Vec<(String, String)> {
    db.rows(&format!(
        "(SELECT m.mrn AS key, p.status::text AS status, 0 AS part, p.id
            FROM session_participant p JOIN member m ON m.id = p.member_id
           WHERE p.session_id = {session})
         UNION ALL
         (SELECT v.npi, x.status::text, 1, x.id
            FROM session_supervisor x JOIN provider v ON v.id = x.provider_id
           WHERE x.session_id = {session})
         ORDER BY part, id"
    ))
    .iter()
    .map(|row| {
        let text = |field: &str| row[field].as_str().expect(field).to_owned();
        (text("key"), text("status"))
    })
    .collect()
}

#[test]
fn a_whole_room_is_taken_by_one_key_a_row_the_highlight_moving_on_by_itself() {
    if !python3() {
        return;
    }
    let db = TestDb::new();
    let s = seed_room(&db);
    let w = db.login("writer", &[WRITE]);
    let rows = statuses(&db, s);
    let keys: Vec<&str> = rows.iter().map(|(key, _)| key.as_str()).collect();
    assert_eq!(keys.len(), 7, "{rows:?}");
    let mut supervisors = keys[5..].to_vec();
    supervisors.sort_unstable();
    assert_eq!(supervisors, [DANA, LEE], "{rows:?}");
    assert!(
        rows.iter().all(|(_, status)| status == "SCHEDULED"),
        "{rows:?}"
    );
    let supervisor = |npi: &str| {
        let name = if npi == DANA {
            "Dana Reyes"
        } else {
            "Lee Park"
        };
        format!("> Supervisor {name} · NPI {npi} · SCHEDULED")
    };
    // Each step waits for the highlight to reach the row on its own, then types one key.
    let typed = ["a", "a", "l", "x", "a", "a", "x"];
    let highlighted = [
        "> Ana Lopez · M001 · SCHEDULED".to_owned(),
        "> Ben Kim · M002 · SCHEDULED".to_owned(),
        "> Cleo Park · M003 · SCHEDULED".to_owned(),
        "> Dev Shah · M004 · SCHEDULED".to_owned(),
        "> Eve Stone · M005 · SCHEDULED".to_owned(),
        supervisor(keys[5]),
        supervisor(keys[6]),
    ];
    let mut steps: Vec<serde_json::Value> = highlighted
        .iter()
        .zip(typed)
        .map(|(row, key)| serde_json::json!([row, key]))
        .collect();
    // Nothing is left SCHEDULED: the highlight is on "done", and Enter takes it to the
    // closing finalize, which has nothing to offer.
    steps.push(serde_json::json!(["> done", "\r"]));
    let screen = take_on_a_terminal(&db, &w, s, &serde_json::json!(steps));

    // The database holds exactly what was typed, row by row, and nothing else moved.
    let status_of = |key: &str| match key {
        "a" => "ATTENDED",
        "l" => "LATE",
        "x" => "ABSENT",
        other => panic!("no status for {other:?}"),
    };
    let expected: Vec<(String, String)> = keys
        .iter()
        .zip(typed)
        .map(|(row, key)| (row.to_string(), status_of(key).to_owned()))
        .collect();
    assert_eq!(statuses(&db, s), expected, "{screen}");
    assert_eq!(marks_audited(&db, s), 7);
    assert!(
        !screen.contains("mark as"),
        "no status menu was opened:\n{screen}"
    );
    // The first billable member opens the payer's checks; the room filling up and a
    // supervisor arriving clear them, one line each time.
    for line in [
        "+ SUPERVISION_RATIO_BREACH (ORMCD): 1 billable > 0 present × 6; \
         + GROUP_SIZE_BELOW_MINIMUM (ORMCD): size 1 < lowest band min 2",
        "\u{2212} GROUP_SIZE_BELOW_MINIMUM (ORMCD) cleared",
        "\u{2212} GROUP_UNATTENDED_BILLED cleared",
        "\u{2212} SUPERVISION_RATIO_BREACH (ORMCD) cleared",
        "no change to the preview",
        "Every row has its attendance: nothing is left SCHEDULED.",
    ] {
        assert!(screen.contains(line), "missing {line:?}:\n{screen}");
    }
}
