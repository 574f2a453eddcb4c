//! Load: 16 gsess processes marking at once, then concurrent billing runs and a watch while marks go on — nothing lost, nothing doubled. Full scale: `GSESS_LOAD_SCALE=full cargo test --release --test load -- --nocapture`.

mod common;

use common::billing::{dataset, session};
use common::TestDb;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const BILLING: &str = "clinical.billing.run";

/// How hard the test pushes: small by default (both load tests well under a minute on two
/// cores), `GSESS_LOAD_SCALE=full` for the real figures.
struct Scale {
    marking_for: Duration,
    many_sessions: usize,
    billed_sessions: usize,
}

fn scale() -> Scale {
    if std::env::var("GSESS_LOAD_SCALE").is_ok_and(|s| s == "full") {
        Scale {
            marking_for: Duration::from_secs(60),
            many_sessions: 200,
            billed_sessions: 3000,
        }
    } else {
        Scale {
            marking_for: Duration::from_secs(10),
            many_sessions: 24,
            billed_sessions: 300,
        }
    }
}

/// A tiny deterministic generator: each marker thread draws its own reproducible sequence.
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

const MEMBERS: [&str; 9] = [
    "M001", "M002", "M003", "M004", "M005", "M006", "M007", "M008", "M009",
];
const MARKS: [&str; 3] = ["attended", "late", "absent"];

/// A roster of 2–8 members drawn from the fixture's nine (ORMCD, WAHP, one uncovered).
fn roster(draw: &mut Draw) -> Vec<&'static str> {
    let size = 2 + draw.next(7);
    let start = draw.next(MEMBERS.len());
    (0..size)
        .map(|k| MEMBERS[(start + k) % MEMBERS.len()])
        .collect()
}

/// What one marker process did: its exit code and, when it succeeded, the changes it reported.
struct Marked {
    code: Option<i32>,
    changes: Vec<(i64, String, String, String)>,
    stderr: String,
}

/// Mark a random subset of a random session's roster, as `login`, until `stop` is set.
fn marker(
    db: &TestDb,
    login: &str,
    sessions: &Sessions,
    seed: u64,
    stop: &AtomicBool,
) -> Vec<Marked> {
    let mut draw = Draw(seed);
    let mut done = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let (id, roster) = &sessions[draw.next(sessions.len())];
        let first = draw.next(roster.len());
        let count = 1 + draw.next(roster.len() - first);
        let sid = id.to_string();
        let mut args = vec!["--json", "mark", &sid, MARKS[draw.next(MARKS.len())]];
        args.extend_from_slice(&roster[first..first + count]);
        let run = db.gsess_as(login, &args);
        let changes = if run.code == Some(0) {
            run.json()["changed"]
                .as_array()
                .expect("changed")
                .iter()
                .map(|c| {
                    (
                        *id,
                        c["mrn"].as_str().expect("mrn").to_owned(),
                        c["from"].as_str().expect("from").to_owned(),
                        c["to"].as_str().expect("to").to_owned(),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        done.push(Marked {
            code: run.code,
            changes,
            stderr: run.stderr,
        });
    }
    done
}

type Sessions = [(i64, Vec<&'static str>)];

/// Run marker processes at once, `count` over each group's sessions, while `during` runs;
/// returns what `during` returned and each group's marks.
fn marking_while<R>(
    db: &TestDb,
    login: &str,
    groups: &[(usize, &Sessions)],
    during: impl FnOnce() -> R,
) -> (R, Vec<Vec<Marked>>) {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let mut seed = 0x9E37_79B9_u64;
        let handles: Vec<Vec<_>> = groups
            .iter()
            .map(|&(count, sessions)| {
                (0..count)
                    .map(|_| {
                        seed += 1;
                        let (stop, seed) = (&stop, seed);
                        scope.spawn(move || marker(db, login, sessions, seed, stop))
                    })
                    .collect()
            })
            .collect();
        let result = during();
        stop.store(true, Ordering::Relaxed);
        let marked = handles
            .into_iter()
            .map(|group| {
                group
                    .into_iter()
                    .flat_map(|h| h.join().expect("marker thread"))
                    .collect()
            })
            .collect();
        (result, marked)
    })
}

/// Every marker exited 0, 4 (illegal transition) or 5 (locked): nothing else is acceptable.
#[track_caller]
fn assert_only_expected_exits(marked: &[Marked]) -> BTreeMap<i32, usize> {
    let mut by_code = BTreeMap::new();
    for m in marked {
        assert!(
            matches!(m.code, Some(0 | 4 | 5)),
            "a marker exited {:?}:\n{}",
            m.code,
            m.stderr
        );
        *by_code.entry(m.code.unwrap()).or_insert(0) += 1;
    }
    by_code
}

/// The roster.mark audit entries of these sessions as (session, mrn, from, to), sorted.
fn audited_marks(db: &TestDb, sessions: &str) -> Vec<(i64, String, String, String)> {
    let rows = db.rows(&format!(
        "SELECT a.session_id, m.mrn, a.before->>'status' AS from, a.after->>'status' AS to
           FROM audit_log a JOIN member m ON m.id = a.member_id
          WHERE a.action = 'roster.mark' AND a.session_id IN ({sessions})"
    ));
    let mut marks: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r["session_id"].as_i64().unwrap(),
                r["mrn"].as_str().unwrap().to_owned(),
                r["from"].as_str().unwrap().to_owned(),
                r["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    marks.sort();
    marks
}

/// Roster rows whose status is not the `after` of their last audited mark (SCHEDULED when
/// never marked): a lost update.
fn lost_updates(db: &TestDb) -> Vec<Value> {
    db.rows(
        "SELECT p.session_id, p.member_id, p.status, last.after->>'status' AS audited
           FROM session_participant p
           LEFT JOIN LATERAL (SELECT a.after FROM audit_log a
                               WHERE a.action = 'roster.mark' AND a.session_id = p.session_id
                                 AND a.member_id = p.member_id
                               ORDER BY a.id DESC LIMIT 1) last ON true
          WHERE p.status::text IS DISTINCT FROM coalesce(last.after->>'status', 'SCHEDULED')",
    )
}

/// Consecutive roster.mark entries of a row that do not chain (before ≠ the previous after,
/// SCHEDULED before the first) or whose step is not an allowed transition.
fn illegal_sequences(db: &TestDb) -> Vec<Value> {
    db.rows(
        "WITH steps AS (
             SELECT a.id, a.session_id, a.member_id, a.before->>'status' AS from_status,
                    a.after->>'status' AS to_status,
                    lag(a.after->>'status', 1, 'SCHEDULED')
                        OVER (PARTITION BY a.session_id, a.member_id ORDER BY a.id) AS previous
               FROM audit_log a WHERE a.action = 'roster.mark')
         SELECT s.* FROM steps s
          WHERE s.from_status IS DISTINCT FROM s.previous
             OR NOT EXISTS (SELECT 1 FROM attendance_transition t
                             WHERE t.from_status::text = s.from_status
                               AND t.to_status::text = s.to_status)",
    )
}

fn import(db: &TestDb, sessions: Vec<Value>) {
    db.gsess_stdin(
        &["import", "-"],
        &dataset(Value::Array(sessions)).to_string(),
    )
    .success();
}

fn ids_and_rosters(
    db: &TestDb,
    made: &[(String, Vec<&'static str>)],
) -> Vec<(i64, Vec<&'static str>)> {
    made.iter()
        .map(|(external, roster)| {
            let id: i64 = db.scalar(&format!(
                "SELECT id FROM group_session WHERE external_id = '{external}'"
            ));
            (id, roster.clone())
        })
        .collect()
}

fn id_list(sessions: &[(i64, Vec<&'static str>)]) -> String {
    sessions
        .iter()
        .map(|(id, _)| id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn sixteen_markers_on_one_session_and_on_many_lose_nothing_and_break_no_transition() {
    let db = TestDb::new();
    let scale = scale();
    let mut draw = Draw(7);
    let one = ("L-ONE".to_owned(), MEMBERS[..8].to_vec());
    let many: Vec<(String, Vec<&'static str>)> = (0..scale.many_sessions)
        .map(|i| (format!("L-{i}"), roster(&mut draw)))
        .collect();
    let all: Vec<_> = std::iter::once(&one).chain(&many).collect();
    import(
        &db,
        all.iter()
            .map(|(external, members)| session(external, "DBT", -180, -120, members))
            .collect(),
    );
    let one = ids_and_rosters(&db, &[one]);
    let many = ids_and_rosters(&db, &many);
    let writer = db.login("writer", &[READ, WRITE]);

    let started = Instant::now();
    // Eight on one session, eight spread over many: sixteen processes at once.
    let ((), marked) = marking_while(&db, &writer, &[(8, &one), (8, &many)], || {
        std::thread::sleep(scale.marking_for)
    });
    let [on_one, on_many] = <[Vec<Marked>; 2]>::try_from(marked)
        .ok()
        .expect("two groups");
    let elapsed = started.elapsed();

    let one_codes = assert_only_expected_exits(&on_one);
    let many_codes = assert_only_expected_exits(&on_many);
    let mut reported: Vec<_> = on_one
        .iter()
        .chain(&on_many)
        .flat_map(|m| m.changes.iter().cloned())
        .collect();
    reported.sort();
    let ids = format!("{},{}", id_list(&one), id_list(&many));
    let audited = audited_marks(&db, &ids);
    eprintln!(
        "marking: {} processes over {elapsed:.1?}; one session: exits {one_codes:?}; \
         {} sessions: exits {many_codes:?}; {} row changes committed",
        on_one.len() + on_many.len(),
        many.len(),
        audited.len()
    );
    assert!(
        one_codes.get(&0).copied().unwrap_or(0) > 8 && many_codes.get(&0).copied().unwrap_or(0) > 8,
        "too few marks succeeded to prove anything"
    );
    // Every change a process reported is in the audit log exactly once, and nothing else is.
    assert_eq!(
        reported.len(),
        audited.len(),
        "changes reported by gsess vs audited"
    );
    assert_eq!(reported, audited, "reported and audited changes differ");
    let lost = lost_updates(&db);
    assert!(lost.is_empty(), "lost updates: {lost:#?}");
    let illegal = illegal_sequences(&db);
    assert!(illegal.is_empty(), "illegal audit sequences: {illegal:#?}");
}

/// Charges that differ from what the rules say for the final attendance: a session's group
/// size is its ATTENDED and LATE participants; each such member with primary coverage gets one
/// ACTIVE charge at the payer's band for that size (the fixture's DBT bands are untimed, one
/// unit). Every session has ended and been billed when this is asked. Rows on either side
/// only (missing, extra or mispriced) are returned.
fn charges_off_the_rules(db: &TestDb) -> Vec<Value> {
    db.rows(
        "WITH size AS (
             SELECT facility_id, session_id,
                    count(*) FILTER (WHERE status IN ('ATTENDED', 'LATE')) AS n
               FROM session_participant GROUP BY facility_id, session_id),
         expected AS (
             SELECT p.session_id, p.member_id, b.rate
               FROM session_participant p
               JOIN size s ON s.facility_id = p.facility_id AND s.session_id = p.session_id
               JOIN coverage_policy c ON c.member_id = p.member_id AND c.priority = 1
               JOIN size_band b ON b.payer_id = c.payer_id AND b.group_type_id IS NULL
                               AND s.n BETWEEN b.min_size AND b.max_size
              WHERE p.status IN ('ATTENDED', 'LATE')),
         actual AS (
             SELECT session_id, member_id, amount AS rate FROM charge WHERE status = 'ACTIVE')
         SELECT coalesce(e.session_id, a.session_id) AS session_id,
                coalesce(e.member_id, a.member_id) AS member_id,
                e.rate AS expected, a.rate AS charged
           FROM expected e FULL JOIN actual a
             ON a.session_id = e.session_id AND a.member_id = e.member_id
          WHERE e.rate IS DISTINCT FROM a.rate",
    )
}

#[test]
fn four_billing_runs_and_a_watch_while_marks_go_on_charge_and_claim_each_member_once() {
    let db = TestDb::new();
    let scale = scale();
    let mut draw = Draw(11);
    let made: Vec<(String, Vec<&'static str>)> = (0..scale.billed_sessions)
        .map(|i| (format!("B-{i}"), roster(&mut draw)))
        .collect();
    import(
        &db,
        made.iter()
            .map(|(external, members)| session(external, "DBT", -180, -120, members))
            .collect(),
    );
    // Attendance taken: most rows decided, about one in nine left SCHEDULED so that some
    // sessions stay BILLED (charged, no claim yet) and the marks keep re-pricing them.
    db.sql(
        "UPDATE session_participant SET status = (ARRAY['ATTENDED', 'LATE', 'ABSENT', 'ATTENDED',
                'ATTENDED', 'LATE', 'ATTENDED', 'ABSENT', 'SCHEDULED'])[1 + id % 9]::attendance_status
          WHERE id % 9 <> 8",
    );
    let sessions = ids_and_rosters(&db, &made);
    let writer = db.login("writer", &[READ, WRITE]);
    let biller = db.login("biller", &[READ, WRITE, BILLING]);

    let started = Instant::now();
    let (runs, marked) = marking_while(&db, &writer, &[(8, &sessions)], || {
        let runs: Vec<_> = (0..4)
            .map(|_| db.spawn_gsess_as(&biller, &["--json", "billing", "run"]))
            .collect();
        let watcher = db.spawn_gsess_as(&biller, &["billing", "watch", "--json"]);
        let runs: Vec<_> = runs.into_iter().map(|r| r.finish()).collect();
        // Marks go on against the billed sessions, the watch re-billing what they change.
        std::thread::sleep(scale.marking_for.saturating_sub(started.elapsed()));
        watcher.terminate();
        (runs, watcher.finish())
    });
    let (runs, watched) = runs;
    let elapsed = started.elapsed();
    watched.success();
    for run in &runs {
        run.success();
    }
    let codes = assert_only_expected_exits(&marked[0]);
    // Whatever the marks changed after the runs, one more run settles it.
    let settle = db
        .gsess_as(&biller, &["--json", "billing", "run"])
        .success()
        .json();

    let built: u64 = runs
        .iter()
        .map(|r| r.json()["charges_built"].as_u64().expect("charges_built"))
        .sum();
    let charges: i64 = db.scalar("SELECT count(*) FROM charge WHERE status = 'ACTIVE'");
    let claims: i64 = db.scalar("SELECT count(*) FROM claim WHERE is_live");
    eprintln!(
        "billing: {} sessions, 4 runs + watch + {} marks (exits {codes:?}) in {elapsed:.1?}; \
         runs built {built} charges, the settling run {}; {charges} active charges, {claims} live claims",
        sessions.len(),
        marked[0].len(),
        settle["charges_built"]
    );
    // The watch may have billed the sessions before any of the runs did: what matters is
    // that the work was done, once.
    assert!(charges > 0 && claims > 0, "nothing was billed");

    let doubled_charges = db.rows(
        "SELECT facility_id, session_id, member_id, count(*) FROM charge WHERE status = 'ACTIVE'
          GROUP BY 1, 2, 3 HAVING count(*) > 1",
    );
    assert!(doubled_charges.is_empty(), "{doubled_charges:#?}");
    let doubled_claims = db.rows(
        "SELECT facility_id, session_id, member_id, count(*) FROM claim WHERE is_live
          GROUP BY 1, 2, 3 HAVING count(*) > 1",
    );
    assert!(doubled_claims.is_empty(), "{doubled_claims:#?}");
    // A claim covers exactly its member's active charges of the session, each on one line.
    let claims_off = db.rows(
        "SELECT c.id, c.amount,
                (SELECT sum(x.amount) FROM charge x
                  WHERE x.facility_id = c.facility_id AND x.session_id = c.session_id
                    AND x.member_id = c.member_id AND x.status = 'ACTIVE') AS charged,
                (SELECT count(*) FROM claim_line l WHERE l.facility_id = c.facility_id
                    AND l.claim_id = c.id) AS lines
           FROM claim c WHERE c.is_live
         EXCEPT
         SELECT c.id, c.amount, c.amount, 1 FROM claim c WHERE c.is_live",
    );
    assert!(
        claims_off.is_empty(),
        "claims off their charges: {claims_off:#?}"
    );
    let off = charges_off_the_rules(&db);
    assert!(off.is_empty(), "charges off the rules: {off:#?}");
    let lost = lost_updates(&db);
    assert!(lost.is_empty(), "lost updates: {lost:#?}");
    let illegal = illegal_sequences(&db);
    assert!(illegal.is_empty(), "illegal audit sequences: {illegal:#?}");
}
