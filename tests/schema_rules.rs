//! The database is the server: every forbidden thing tried by hand in SQL, as ordinary logins.
//!
//! Each test sets up data as the superuser, then attempts what the contract forbids with raw SQL as
//! ordinary logins holding one scope each (never the owner or a superuser, which bypass
//! privileges — except where a test says it uses the superuser to prove a trigger). Every test
//! fails if the database-level rule it covers is removed: the transition table and its trigger,
//! the lock, the force token, ownership and EXECUTE revocations, the scopes, the append-only
//! audit log, NOTIFY and the derivation of supervisors.

mod common;

use common::{gsess_with, DbError, TestDb};
use gsess::db::errors::{self as sqlstates, map_sqlx_error};
use gsess::db::Scope;
use gsess::error::ExitKind;
use gsess::rules::attendance::AttendanceStatus;
use sqlx::postgres::PgListener;
use sqlx::{Connection, PgConnection};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const FORCE: &str = "clinical.attendance.write.force";
const BILLING: &str = "clinical.billing.run";
const ADMIN: &str = "gsess.admin";
/// The scope names of the contract, spelled out here so a rename anywhere fails this file.
const SPEC_SCOPES: [&str; 5] = [READ, WRITE, FORCE, BILLING, ADMIN];

const CHANNEL: &str = "gsess_attendance";
const PERMISSION_DENIED: &str = "42501";

/// The session's facility-local date. The seeded session runs 17:00–18:30 in Los Angeles, which
/// is already the next day in UTC: assignment activity must be judged on this date.
const LOCAL_DATE: &str = "2026-11-27";

/// The ids [`seed`] created.
struct Seed {
    facility: i64,
    payer: i64,
    group_type: i64,
    /// The supervising provider of every seeded member (role SUPERVISING, active on the date).
    provider: i64,
    members: Vec<i64>,
    /// Each member's primary coverage, in member order.
    coverages: Vec<i64>,
    session: i64,
    /// Roster row ids, in member order (the first `on_roster` members).
    participants: Vec<i64>,
    /// The supervisor row derived from the provider's assignments (None with an empty roster).
    supervisor: Option<i64>,
}

/// Facility, payer, group type, `members` members with primary coverage, one provider with an
/// active SUPERVISING assignment to each member, one session, and the first `on_roster`
/// members on its roster (which derives the provider's supervisor row). All as the superuser.
fn seed(db: &TestDb, members: usize, on_roster: usize) -> Seed {
    let facility = id(
        db,
        "INSERT INTO facility (code, name, state, timezone, npi, tax_id, address_line1,
                               address_city, address_state, address_zip)
         VALUES ('NORTH', 'North Clinic', 'OR', 'America/Los_Angeles', '1234567893',
                 '931234567', '1 Main St', 'Portland', 'OR', '972011234') RETURNING id",
    );
    let payer = id(
        db,
        "INSERT INTO payer (code, name, payer_id) VALUES ('ORMCD', 'Oregon Medicaid', 'ORDHS')
         RETURNING id",
    );
    let group_type = id(
        db,
        "INSERT INTO group_type (code, name) VALUES ('DBT', 'DBT skills group') RETURNING id",
    );
    let provider = add_provider(db, "1245319599");
    let mut member_ids = Vec::new();
    let mut coverages = Vec::new();
    for n in 0..members {
        let member = add_member(db, &format!("M{n:03}"));
        coverages.push(id(
            db,
            &format!(
                "INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date)
                 VALUES ({member}, {payer}, 1, 'OR{n:06}', '2026-01-01') RETURNING id"
            ),
        ));
        assign(db, provider, member, Some("2026-01-01"), None);
        member_ids.push(member);
    }
    let session = id(
        db,
        &format!(
            "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
             VALUES ({facility}, {group_type}, '2026-11-27T17:00:00-08:00',
                     '2026-11-27T18:30:00-08:00', 'FEED') RETURNING id"
        ),
    );
    let participants = member_ids[..on_roster]
        .iter()
        .map(|&member| add_participant(db, facility, session, member))
        .collect();
    let supervisor: Option<i64> = db.scalar(&format!(
        "SELECT max(id) FROM session_supervisor WHERE session_id = {session} AND provider_id = {provider}"
    ));
    Seed {
        facility,
        payer,
        group_type,
        provider,
        members: member_ids,
        coverages,
        session,
        participants,
        supervisor,
    }
}

fn id(db: &TestDb, insert_returning: &str) -> i64 {
    db.scalar(insert_returning)
}

fn add_member(db: &TestDb, mrn: &str) -> i64 {
    id(
        db,
        &format!(
            "INSERT INTO member (mrn, first_name, last_name, birth_date, sex)
             VALUES ('{mrn}', 'First', 'Last', '2001-02-03', 'F') RETURNING id"
        ),
    )
}

fn add_provider(db: &TestDb, npi: &str) -> i64 {
    id(
        db,
        &format!(
            "INSERT INTO provider (npi, first_name, last_name) VALUES ('{npi}', 'Dana', 'Reyes')
             RETURNING id"
        ),
    )
}

fn assign(db: &TestDb, provider: i64, member: i64, start: Option<&str>, end: Option<&str>) -> i64 {
    let date = |d: Option<&str>| d.map_or("NULL".to_owned(), |d| format!("'{d}'"));
    id(
        db,
        &format!(
            "INSERT INTO staff_assignment (provider_id, member_id, role, start_date, end_date)
             VALUES ({provider}, {member}, 'SUPERVISING', {}, {}) RETURNING id",
            date(start),
            date(end)
        ),
    )
}

fn add_participant(db: &TestDb, facility: i64, session: i64, member: i64) -> i64 {
    id(
        db,
        &format!(
            "INSERT INTO session_participant (facility_id, session_id, member_id)
             VALUES ({facility}, {session}, {member}) RETURNING id"
        ),
    )
}

/// Another session of the seeded facility and group type, same day, later.
fn add_session(db: &TestDb, s: &Seed) -> i64 {
    id(
        db,
        &format!(
            "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, source)
             VALUES ({}, {}, '2026-11-27T19:00:00-08:00', '2026-11-27T20:00:00-08:00', 'ADHOC')
             RETURNING id",
            s.facility, s.group_type
        ),
    )
}

/// Lock the session: a claim exists for it (inserted as the superuser, as a billing run would).
/// Lock the session with a claim already sent (so a correction leaves it locked: it can only
/// void or replace what the payer has).
fn lock(db: &TestDb, s: &Seed) {
    db.sql(&format!(
        "WITH edi AS (
             INSERT INTO edi_document (facility_id, payer_id, interchange_control_number,
                                       production, content)
             VALUES ({f}, {p}, 1, false, 'ISA~') RETURNING id)
         INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                            frequency_code, claim_control_number, amount, status,
                            submitted_at, edi_document_id)
         SELECT {f}, {s}, {m}, {p}, {c}, '1', '1', 45.00, 'SUBMITTED', now(), id FROM edi;
         UPDATE group_session SET billed_at = now() WHERE id = {s}",
        f = s.facility,
        s = s.session,
        m = s.members[0],
        p = s.payer,
        c = s.coverages[0]
    ));
}

/// Run SQL as the superuser, returning its refusal (the harness's `sql` panics instead). The
/// superuser bypasses privileges, so its refusals prove a trigger, never a grant.
fn as_superuser(db: &TestDb, sql: &str) -> Result<(), DbError> {
    let me: String = db.scalar("SELECT current_user::text");
    db.sql_as(&me, sql)
}

fn status_of(db: &TestDb, table: &str, row: i64) -> String {
    db.scalar(&format!(
        "SELECT status::text FROM {table} WHERE id = {row}"
    ))
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.scalar(&format!("SELECT count(*) FROM ({sql}) q"))
}

fn set_status(table: &str, row: i64, status: impl std::fmt::Display) -> String {
    format!("UPDATE {table} SET status = '{status}' WHERE id = {row}")
}

/// The refusal must be exactly this SQLSTATE.
#[track_caller]
fn refused(result: Result<(), DbError>, sqlstate: &str, what: &str) -> DbError {
    match result {
        Ok(()) => panic!("{what}: accepted, expected SQLSTATE {sqlstate}"),
        Err(err) => {
            assert_eq!(err.sqlstate, sqlstate, "{what}: {err:?}");
            err
        }
    }
}

#[track_caller]
fn accepted(result: Result<(), DbError>, what: &str) {
    if let Err(err) = result {
        panic!("{what}: refused with {err:?}");
    }
}

/// A runtime of the test's own, for what the harness's helpers do not cover (a transaction held
/// open across statements, the raw `sqlx::Error`).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(future)
}

// ---------------------------------------------------------------------------------------------
// 1. The transition table: all 16 pairs, the database's verdict against the Rust table
// ---------------------------------------------------------------------------------------------

/// Legal steps from SCHEDULED to `target`, by the Rust table (breadth first).
fn legal_path_to(target: AttendanceStatus) -> Vec<AttendanceStatus> {
    let mut previous = BTreeMap::new();
    let mut queue = VecDeque::from([AttendanceStatus::Scheduled]);
    while let Some(at) = queue.pop_front() {
        if at == target {
            let mut path = vec![at];
            while let Some(&before) = previous.get(path.last().unwrap()) {
                path.push(before);
            }
            path.reverse();
            path.remove(0); // rows start SCHEDULED
            return path;
        }
        for &next in at.allowed_next() {
            if next != AttendanceStatus::Scheduled && !previous.contains_key(&next) {
                previous.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    panic!("{target} is unreachable from SCHEDULED by the Rust table");
}

/// For each (from, to): drive a fresh row of `table` to `from` by legal steps as the writer,
/// attempt `to` by a hand-written UPDATE, and compare the database's verdict with
/// `AttendanceStatus::can_transition_to`.
fn every_pair_agrees(db: &TestDb, table: &str, fresh_rows: &[i64]) {
    assert_eq!(fresh_rows.len(), 16);
    let writer = db.login("writer", &[WRITE]);
    let mut rows = fresh_rows.iter().copied();
    let mut disagreements = Vec::new();
    for from in AttendanceStatus::ALL {
        for to in AttendanceStatus::ALL {
            let row = rows.next().unwrap();
            assert_eq!(status_of(db, table, row), "SCHEDULED");
            for step in legal_path_to(from) {
                accepted(
                    db.sql_as(&writer, &set_status(table, row, step)),
                    &format!("{table} row {row}: legal step to {step} on the way to {from}"),
                );
            }
            assert_eq!(status_of(db, table, row), from.as_str());

            let database_allows = match db.sql_as(&writer, &set_status(table, row, to)) {
                Ok(()) => true,
                Err(err) if err.sqlstate == sqlstates::ILLEGAL_TRANSITION => {
                    assert!(
                        err.message.contains(&format!("{from} -> {to}")),
                        "the refusal names both states: {err:?}"
                    );
                    false
                }
                Err(err) => panic!("{table} {from} -> {to}: unexpected refusal {err:?}"),
            };
            let expected_now = if database_allows { to } else { from };
            assert_eq!(status_of(db, table, row), expected_now.as_str());
            if database_allows != from.can_transition_to(to) {
                disagreements.push(format!(
                    "{from} -> {to}: database {}, Rust {}",
                    database_allows,
                    from.can_transition_to(to)
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{table}: the trigger and the Rust table disagree: {disagreements:#?}"
    );
}

#[test]
fn every_roster_transition_pair_is_judged_by_the_database_as_by_the_rust_table() {
    let db = TestDb::new();
    let s = seed(&db, 16, 16);
    every_pair_agrees(&db, "session_participant", &s.participants);
}

#[test]
fn every_supervisor_transition_pair_is_judged_by_the_database_as_by_the_rust_table() {
    let db = TestDb::new();
    let s = seed(&db, 1, 0);
    let rows: Vec<i64> = (0..16)
        .map(|n| {
            let provider = add_provider(&db, &format!("10000000{n:02}"));
            id(
                &db,
                &format!(
                    "INSERT INTO session_supervisor (facility_id, session_id, provider_id, source)
                     VALUES ({}, {}, {provider}, 'MANUAL') RETURNING id",
                    s.facility, s.session
                ),
            )
        })
        .collect();
    every_pair_agrees(&db, "session_supervisor", &rows);
}

#[test]
fn the_attendance_transition_table_is_the_rust_allowed_next_and_no_scope_can_edit_it() {
    let db = TestDb::new();
    let mut in_database: BTreeMap<AttendanceStatus, BTreeSet<AttendanceStatus>> = BTreeMap::new();
    for row in
        db.rows("SELECT from_status::text AS f, to_status::text AS t FROM attendance_transition")
    {
        let parse = |key: &str| -> AttendanceStatus {
            row[key].as_str().unwrap().parse().expect("a known status")
        };
        in_database
            .entry(parse("f"))
            .or_default()
            .insert(parse("t"));
    }
    for status in AttendanceStatus::ALL {
        let in_rust: BTreeSet<_> = status.allowed_next().iter().copied().collect();
        assert_eq!(
            in_rust.len(),
            status.allowed_next().len(),
            "duplicates in allowed_next({status})"
        );
        assert_eq!(
            in_database.remove(&status).unwrap_or_default(),
            in_rust,
            "allowed next from {status}"
        );
    }
    assert!(in_database.is_empty());

    // The table the trigger reads is itself out of every scope's reach.
    for scope in SPEC_SCOPES {
        let login = db.login(&scope.replace(['.', '-'], "_"), &[scope]);
        for sql in [
            "INSERT INTO attendance_transition VALUES ('ATTENDED', 'SCHEDULED')",
            "DELETE FROM attendance_transition",
        ] {
            refused(
                db.sql_as(&login, sql),
                PERMISSION_DENIED,
                &format!("{scope}: {sql}"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Rows enter as SCHEDULED, leave only while SCHEDULED, and never move
// ---------------------------------------------------------------------------------------------

#[test]
fn rows_enter_a_session_only_as_scheduled() {
    let db = TestDb::new();
    let s = seed(&db, 3, 1);
    let writer = db.login("writer", &[WRITE]);
    let (f, session, m1, m2) = (s.facility, s.session, s.members[1], s.members[2]);

    // The trigger applies to everyone: the superuser (who bypasses privileges) meets it too.
    let err = refused(
        as_superuser(
            &db,
            &format!(
                "INSERT INTO session_participant (facility_id, session_id, member_id, status)
             VALUES ({f}, {session}, {m1}, 'ATTENDED')"
            ),
        ),
        sqlstates::ILLEGAL_TRANSITION,
        "superuser inserts an ATTENDED roster row",
    );
    assert!(err.message.contains("only as SCHEDULED"), "{err:?}");
    let other = add_provider(&db, "1000000099");
    refused(
        as_superuser(
            &db,
            &format!(
            "INSERT INTO session_supervisor (facility_id, session_id, provider_id, source, status)
             VALUES ({f}, {session}, {other}, 'MANUAL', 'LATE')"
        ),
        ),
        sqlstates::ILLEGAL_TRANSITION,
        "superuser inserts a LATE supervisor row",
    );

    // The writer does not even reach the trigger: it holds INSERT on (facility_id, session_id,
    // member_id) only, and PostgreSQL checks column privileges when the statement starts, before
    // any row trigger fires. So naming `status` at all is "permission denied" (42501), whatever
    // its value — the superuser's GS409 above is what proves the trigger.
    for table_and_values in [
        format!("session_participant (facility_id, session_id, member_id, status) VALUES ({f}, {session}, {m1}, 'ATTENDED')"),
        format!("session_supervisor (facility_id, session_id, provider_id, source, status) VALUES ({f}, {session}, {other}, 'MANUAL', 'LATE')"),
    ] {
        refused(
            db.sql_as(&writer, &format!("INSERT INTO {table_and_values}")),
            PERMISSION_DENIED,
            "the writer names a status on insert",
        );
    }

    // roster add as the writer: the row enters SCHEDULED.
    accepted(
        db.sql_as(
            &writer,
            &format!(
                "INSERT INTO session_participant (facility_id, session_id, member_id)
                 VALUES ({f}, {session}, {m2})"
            ),
        ),
        "roster add",
    );
    let rows = db.rows(&format!(
        "SELECT member_id, status::text AS status FROM session_participant
          WHERE session_id = {session} ORDER BY id"
    ));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1]["member_id"], m2);
    assert_eq!(rows[1]["status"], "SCHEDULED");
}

#[test]
fn only_scheduled_rows_leave_a_session() {
    let db = TestDb::new();
    let s = seed(&db, 2, 2);
    let writer = db.login("writer", &[WRITE]);
    let (marked, scheduled) = (s.participants[0], s.participants[1]);
    let supervisor = s.supervisor.expect("a derived supervisor row");

    accepted(
        db.sql_as(
            &writer,
            &set_status("session_participant", marked, "ATTENDED"),
        ),
        "mark",
    );
    let delete = |row: i64| format!("DELETE FROM session_participant WHERE id = {row}");
    let err = refused(
        db.sql_as(&writer, &delete(marked)),
        sqlstates::ILLEGAL_TRANSITION,
        "the writer removes an ATTENDED roster row",
    );
    assert!(err.message.contains("only SCHEDULED rows"), "{err:?}");
    refused(
        as_superuser(&db, &delete(marked)),
        sqlstates::ILLEGAL_TRANSITION,
        "the superuser removes an ATTENDED roster row",
    );
    assert_eq!(status_of(&db, "session_participant", marked), "ATTENDED");

    accepted(
        db.sql_as(&writer, &delete(scheduled)),
        "roster remove of a SCHEDULED row",
    );
    assert_eq!(
        count(
            &db,
            &format!("SELECT 1 FROM session_participant WHERE id = {scheduled}")
        ),
        0
    );

    // Supervisor rows: the superuser meets the trigger; the writer has no DELETE on them at all
    // (derived rows go away only through the derivation, which runs as the owner).
    db.sql(&set_status("session_supervisor", supervisor, "LATE"));
    refused(
        as_superuser(
            &db,
            &format!("DELETE FROM session_supervisor WHERE id = {supervisor}"),
        ),
        sqlstates::ILLEGAL_TRANSITION,
        "the superuser removes a LATE supervisor row",
    );
    refused(
        db.sql_as(
            &writer,
            &format!("DELETE FROM session_supervisor WHERE id = {supervisor}"),
        ),
        PERMISSION_DENIED,
        "the writer removes a supervisor row",
    );
}

#[test]
fn session_member_and_provider_of_a_row_never_change() {
    let db = TestDb::new();
    let s = seed(&db, 2, 1);
    let writer = db.login("writer", &[WRITE]);
    let other_session = add_session(&db, &s);
    let row = s.participants[0];
    let supervisor = s.supervisor.expect("a derived supervisor row");
    let other_provider = add_provider(&db, "1000000077");

    let attempts = [
        format!(
            "UPDATE session_participant SET member_id = {} WHERE id = {row}",
            s.members[1]
        ),
        format!("UPDATE session_participant SET session_id = {other_session} WHERE id = {row}"),
        // a legal status change does not carry an illegal move through with it
        format!(
            "UPDATE session_participant SET status = 'ATTENDED', member_id = {} WHERE id = {row}",
            s.members[1]
        ),
        format!(
            "UPDATE session_supervisor SET provider_id = {other_provider} WHERE id = {supervisor}"
        ),
        format!(
            "UPDATE session_supervisor SET session_id = {other_session} WHERE id = {supervisor}"
        ),
    ];
    for sql in &attempts {
        // As the superuser (privileges bypassed) the trigger refuses the move...
        let err = refused(as_superuser(&db, sql), sqlstates::ILLEGAL_TRANSITION, sql);
        assert!(
            err.message.contains("only its status may change"),
            "{err:?}"
        );
        // ...and the writer, granted UPDATE (status) only, is refused by the privilege first.
        refused(db.sql_as(&writer, sql), PERMISSION_DENIED, sql);
    }
    let after = db.rows(&format!(
        "SELECT session_id, member_id, status::text AS status FROM session_participant WHERE id = {row}"
    ));
    assert_eq!(after[0]["session_id"], s.session);
    assert_eq!(after[0]["member_id"], s.members[0]);
    assert_eq!(after[0]["status"], "SCHEDULED");
}

// ---------------------------------------------------------------------------------------------
// 3. The lock, and the forced correction that alone may pass it
// ---------------------------------------------------------------------------------------------

#[test]
fn a_locked_session_refuses_every_attendance_change_and_reports_the_lock_first() {
    let db = TestDb::new();
    let s = seed(&db, 4, 3);
    let writer = db.login("writer", &[WRITE]);
    let (attended, scheduled, to_remove) =
        (s.participants[0], s.participants[1], s.participants[2]);
    let supervisor = s.supervisor.expect("a derived supervisor row");
    let p = "session_participant";

    accepted(
        db.sql_as(&writer, &set_status(p, attended, "ATTENDED")),
        "mark",
    );
    // Unlocked, an illegal change is an illegal transition...
    refused(
        db.sql_as(&writer, &set_status(p, attended, "SCHEDULED")),
        sqlstates::ILLEGAL_TRANSITION,
        "ATTENDED -> SCHEDULED on an open session",
    );

    lock(&db, &s);

    // ...locked, the lock is reported first, for legal and illegal changes alike.
    let err = refused(
        db.sql_as(&writer, &set_status(p, scheduled, "ATTENDED")),
        sqlstates::SESSION_LOCKED,
        "a legal mark on a locked session",
    );
    assert!(err.message.contains("locked"), "{err:?}");
    for illegal in ["SCHEDULED", "ATTENDED"] {
        refused(
            db.sql_as(&writer, &set_status(p, attended, illegal)),
            sqlstates::SESSION_LOCKED,
            &format!("the illegal ATTENDED -> {illegal} on a locked session"),
        );
    }
    refused(
        db.sql_as(
            &writer,
            &set_status("session_supervisor", supervisor, "ATTENDED"),
        ),
        sqlstates::SESSION_LOCKED,
        "a supervisor mark on a locked session",
    );
    refused(
        db.sql_as(
            &writer,
            &format!(
                "INSERT INTO session_participant (facility_id, session_id, member_id)
                 VALUES ({}, {}, {})",
                s.facility, s.session, s.members[3]
            ),
        ),
        sqlstates::SESSION_LOCKED,
        "roster add on a locked session",
    );
    refused(
        db.sql_as(
            &writer,
            &format!("DELETE FROM session_participant WHERE id = {to_remove}"),
        ),
        sqlstates::SESSION_LOCKED,
        "roster remove of a SCHEDULED row on a locked session",
    );
    let substitute = add_provider(&db, "1000000055");
    refused(
        db.sql_as(
            &writer,
            &format!(
                "INSERT INTO session_supervisor (facility_id, session_id, provider_id, source)
                 VALUES ({}, {}, {substitute}, 'MANUAL')",
                s.facility, s.session
            ),
        ),
        sqlstates::SESSION_LOCKED,
        "supervisor add on a locked session",
    );
    // The trigger applies to the superuser as well.
    refused(
        as_superuser(&db, &set_status(p, scheduled, "ABSENT")),
        sqlstates::SESSION_LOCKED,
        "the superuser marks a locked session",
    );
    // And the writer cannot unlock by removing the claim.
    refused(
        db.sql_as(
            &writer,
            &format!("DELETE FROM claim WHERE session_id = {}", s.session),
        ),
        PERMISSION_DENIED,
        "the writer deletes the claim",
    );

    let statuses = db.rows(&format!(
        "SELECT status::text AS status FROM session_participant WHERE session_id = {} ORDER BY id",
        s.session
    ));
    assert_eq!(
        statuses,
        vec![
            serde_json::json!({"status": "ATTENDED"}),
            serde_json::json!({"status": "SCHEDULED"}),
            serde_json::json!({"status": "SCHEDULED"}),
        ]
    );
    assert_eq!(
        status_of(&db, "session_supervisor", supervisor),
        "SCHEDULED"
    );
}

fn force_sql(
    s: &Seed,
    status: &str,
    participants: &[i64],
    supervisors: &[i64],
    reason: &str,
) -> String {
    let array = |ids: &[i64]| {
        format!(
            "ARRAY[{}]::bigint[]",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        )
    };
    // No charges: these sessions were locked by hand, with no pricing to keep.
    format!(
        "SELECT force_correction({0}, (SELECT attendance_version FROM group_session WHERE id = {0}),
                                 '{status}', {1}, {2}, '[]', '{reason}')",
        s.session,
        array(participants),
        array(supervisors)
    )
}

#[test]
fn the_forced_correction_changes_a_locked_session_with_one_forced_audit_entry_and_no_token_left() {
    let db = TestDb::new();
    let s = seed(&db, 2, 2);
    let writer = db.login("writer", &[WRITE]);
    let forcer = db.login("forcer", &[FORCE]);
    let supervisor = s.supervisor.expect("a derived supervisor row");
    for &row in &s.participants {
        accepted(
            db.sql_as(&writer, &set_status("session_participant", row, "ATTENDED")),
            "mark",
        );
    }
    lock(&db, &s);
    let last_audit: i64 = db.scalar("SELECT coalesce(max(id), 0) FROM audit_log");

    accepted(
        db.sql_as(
            &forcer,
            &force_sql(
                &s,
                "ABSENT",
                &s.participants[..1],
                &[supervisor],
                "payer audit: was not there",
            ),
        ),
        "force_correction by a holder of the force scope",
    );

    assert_eq!(
        status_of(&db, "session_participant", s.participants[0]),
        "ABSENT"
    );
    assert_eq!(
        status_of(&db, "session_participant", s.participants[1]),
        "ATTENDED"
    );
    assert_eq!(status_of(&db, "session_supervisor", supervisor), "ABSENT");

    let entries = db.rows(&format!(
        "SELECT actor, action, session_id, reason, forced,
                before #>> '{{roster,0,status}}' AS roster_before,
                after #>> '{{roster,0,status}}' AS roster_after,
                after #>> '{{supervisors,0,status}}' AS supervisor_after
           FROM audit_log WHERE id > {last_audit} AND action NOT LIKE 'charge.%'
            AND action NOT LIKE 'claim.%' ORDER BY id"
    ));
    assert_eq!(
        entries.len(),
        1,
        "one summary entry for the attendance, not one per row: {entries:#?}"
    );
    let entry = &entries[0];
    assert_eq!(entry["actor"], forcer.as_str());
    assert_eq!(entry["session_id"], s.session);
    assert_eq!(entry["forced"], true);
    assert_eq!(entry["reason"], "payer audit: was not there");
    assert_eq!(entry["roster_before"], "ATTENDED");
    assert_eq!(entry["roster_after"], "ABSENT");
    assert_eq!(entry["supervisor_after"], "ABSENT");

    assert_eq!(
        count(&db, "SELECT 1 FROM force_token"),
        0,
        "the token outlived the function"
    );
}

#[test]
fn the_force_path_cannot_be_forged() {
    let db = TestDb::new();
    let s = seed(&db, 2, 2);
    let writer = db.login("writer", &[WRITE]);
    let forcer = db.login("forcer", &[FORCE]);
    let both = db.login("both", &[WRITE, FORCE]);
    let (p0, p1) = (s.participants[0], s.participants[1]);
    lock(&db, &s);
    let force = force_sql(&s, "ATTENDED", &[p0], &[], "forged");
    let token = format!(
        "INSERT INTO force_token (facility_id, session_id, reason) VALUES ({}, {}, 'forged')",
        s.facility, s.session
    );
    let forged_audit = format!(
        "SELECT audit_forced_correction({}, {}, NULL, '{{}}', '{{}}', 'forged')",
        s.facility, s.session
    );

    // A writer can neither run the force function, nor write a token, nor a forced audit entry.
    refused(
        db.sql_as(&writer, &force),
        PERMISSION_DENIED,
        "writer runs force_correction",
    );
    for login in [&writer, &forcer, &both] {
        refused(
            db.sql_as(login, &token),
            PERMISSION_DENIED,
            "a login writes a force token",
        );
        refused(
            db.sql_as(login, "SELECT * FROM force_token"),
            PERMISSION_DENIED,
            "a login reads the force tokens",
        );
        refused(
            db.sql_as(login, &forged_audit),
            PERMISSION_DENIED,
            "a login calls the owner's forced-audit function",
        );
    }
    // A session variable does not open the lock either.
    refused(
        db.sql_as(
            &both,
            &format!(
                "SET gsess.reason = 'forced'; {}",
                set_status("session_participant", p0, "ATTENDED")
            ),
        ),
        sqlstates::SESSION_LOCKED,
        "hand-written UPDATE with a reason set",
    );
    // Holding the force scope does not make one's own UPDATE a forced one.
    refused(
        db.sql_as(&both, &set_status("session_participant", p0, "ATTENDED")),
        sqlstates::SESSION_LOCKED,
        "hand-written UPDATE by a holder of write and force",
    );
    // Nor does running the function first in the same transaction: its token dies with it.
    refused(
        db.sql_as(
            &both,
            &format!(
                "BEGIN; {force}; {}; COMMIT;",
                set_status("session_participant", p1, "ATTENDED")
            ),
        ),
        sqlstates::SESSION_LOCKED,
        "an UPDATE after force_correction in the same transaction",
    );
    assert_eq!(status_of(&db, "session_participant", p0), "SCHEDULED");
    assert_eq!(status_of(&db, "session_participant", p1), "SCHEDULED");
    assert_eq!(count(&db, "SELECT 1 FROM force_token"), 0);
    assert_eq!(count(&db, "SELECT 1 FROM audit_log WHERE forced"), 0);

    // The holder of both can of course use the function itself.
    accepted(
        db.sql_as(&both, &force),
        "force_correction by write + force",
    );
    assert_eq!(status_of(&db, "session_participant", p0), "ATTENDED");
}

#[test]
fn an_illegal_transition_through_the_force_function_is_still_refused() {
    let db = TestDb::new();
    let s = seed(&db, 2, 2);
    let writer = db.login("writer", &[WRITE]);
    let forcer = db.login("forcer", &[FORCE]);
    let (p0, p1) = (s.participants[0], s.participants[1]);
    accepted(
        db.sql_as(&writer, &set_status("session_participant", p0, "ATTENDED")),
        "mark",
    );
    lock(&db, &s);
    let audits = count(&db, "SELECT 1 FROM audit_log");

    for (status, row) in [("SCHEDULED", p0), ("ATTENDED", p0), ("SCHEDULED", p1)] {
        refused(
            db.sql_as(&forcer, &force_sql(&s, status, &[row], &[], "correction")),
            sqlstates::ILLEGAL_TRANSITION,
            &format!(
                "forced {} -> {status}",
                status_of(&db, "session_participant", row)
            ),
        );
    }
    assert_eq!(status_of(&db, "session_participant", p0), "ATTENDED");
    assert_eq!(status_of(&db, "session_participant", p1), "SCHEDULED");
    assert_eq!(
        count(&db, "SELECT 1 FROM audit_log"),
        audits,
        "nothing audited"
    );
    assert_eq!(count(&db, "SELECT 1 FROM force_token"), 0);
}

// ---------------------------------------------------------------------------------------------
// 4. Ownership and EXECUTE
// ---------------------------------------------------------------------------------------------

#[test]
fn the_schema_and_its_objects_belong_to_nologin_owner_roles() {
    let db = TestDb::new();
    let schema_owner: String = db.scalar(
        "SELECT pg_get_userbyid(nspowner)::text FROM pg_namespace WHERE nspname = 'public'",
    );
    assert_eq!(schema_owner, "gsess_owner");

    // Tables, partitioned tables, views, materialized views, sequences, foreign tables.
    // `_sqlx_migrations` is excluded: sqlx creates it as whoever runs the migration, before the
    // first migration runs; it holds no clinical data and PUBLIC may only read it.
    let foreign_owned = db.rows(
        "SELECT c.relname, c.relkind::text AS kind, pg_get_userbyid(c.relowner) AS owner
           FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace
            AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
            AND c.relname <> '_sqlx_migrations'
            AND pg_get_userbyid(c.relowner) <> 'gsess_owner'",
    );
    assert_eq!(foreign_owned, Vec::<serde_json::Value>::new());
    assert!(
        count(
            &db,
            "SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
        ) > 10,
        "the schema has its tables"
    );
    let domains_not_owned = count(
        &db,
        "SELECT 1 FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype = 'd'
            AND pg_get_userbyid(typowner) <> 'gsess_owner'",
    );
    assert_eq!(domains_not_owned, 0);

    let functions: BTreeMap<String, String> = db
        .rows(
            "SELECT p.proname::text AS name, pg_get_userbyid(p.proowner) AS owner
               FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace",
        )
        .into_iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["owner"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        "attendance_row_guard",
        "attendance_statement_done",
        "force_correction",
    ] {
        assert!(
            functions.contains_key(expected),
            "{expected} missing: {functions:?}"
        );
    }
    for (name, owner) in &functions {
        let expected = if ["force_correction", "rebuild_claim_chain"].contains(&name.as_str()) {
            "gsess_force"
        } else {
            "gsess_owner"
        };
        assert_eq!(owner, expected, "owner of {name}()");
    }

    // Every definer function pins its search_path (else a caller's objects could shadow ours).
    let unpinned = db.rows(
        "SELECT p.oid::regprocedure::text AS f FROM pg_proc p
          WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
            AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')",
    );
    assert_eq!(unpinned, Vec::<serde_json::Value>::new());

    let owners = db.rows(
        "SELECT rolname::text AS name, rolcanlogin, rolsuper, rolbypassrls
           FROM pg_roles WHERE rolname IN ('gsess_owner', 'gsess_force') ORDER BY rolname",
    );
    assert_eq!(
        owners,
        vec![
            serde_json::json!({"name": "gsess_force", "rolcanlogin": false, "rolsuper": false, "rolbypassrls": false}),
            serde_json::json!({"name": "gsess_owner", "rolcanlogin": false, "rolsuper": false, "rolbypassrls": false}),
        ]
    );
}

#[test]
fn no_function_in_public_is_executable_by_public() {
    let db = TestDb::new();
    // A NULL proacl means the default ACL, which grants EXECUTE to PUBLIC (grantee 0).
    let executable = db.rows(
        "SELECT p.oid::regprocedure::text AS f, p.proacl::text AS acl FROM pg_proc p
          WHERE p.pronamespace = 'public'::regnamespace
            AND (p.proacl IS NULL
                 OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a
                             WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
                 OR has_function_privilege('public', p.oid, 'EXECUTE'))",
    );
    assert_eq!(executable, Vec::<serde_json::Value>::new());

    // And in practice: a login with no scope cannot run the definer functions.
    let nobody = db.login("nobody", &[]);
    for call in [
        "SELECT sync_session_supervisors(ARRAY[1]::bigint[])",
        "SELECT audit_import('{}')",
        "SELECT audit_forced_correction(1, 1, NULL, '{}', '{}', 'x')",
        "SELECT forced_in_this_transaction(1, 1)",
        "SELECT session_is_locked(1, 1)",
        "SELECT force_correction(1, 1, 'ABSENT', '{}', '{}', '[]', 'x')",
        "SELECT rebuild_claim_chain(1, 1, 1, false)",
        "SELECT store_claim_issues('[]')",
    ] {
        refused(db.sql_as(&nobody, call), PERMISSION_DENIED, call);
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Scopes, and migrating more databases in the same cluster
// ---------------------------------------------------------------------------------------------

#[test]
fn scope_roles_have_exactly_the_spec_names_and_cannot_log_in() {
    let db = TestDb::new();
    assert_eq!(
        Scope::ALL.map(Scope::role),
        SPEC_SCOPES,
        "gsess's scope names"
    );
    let roles = db.rows(
        "SELECT rolname::text AS name, rolcanlogin FROM pg_roles
          WHERE rolname LIKE 'clinical.%' OR rolname LIKE 'gsess%' ORDER BY rolname",
    );
    let mut expected: Vec<_> = SPEC_SCOPES
        .iter()
        .chain(&["gsess_force", "gsess_owner"])
        .map(|name| serde_json::json!({"name": name, "rolcanlogin": false}))
        .collect();
    expected.sort_by_key(|r| r["name"].as_str().unwrap().to_owned());
    assert_eq!(roles, expected);
}

#[test]
fn no_scope_is_refused_by_postgresql_and_read_is_read_only() {
    let db = TestDb::new();
    let s = seed(&db, 1, 1);
    let nobody = db.login("nobody", &[]);
    let reader = db.login("reader", &[READ]);
    let mark = set_status("session_participant", s.participants[0], "ATTENDED");

    for sql in [
        "SELECT * FROM group_session",
        "SELECT * FROM session_participant",
        mark.as_str(),
    ] {
        let err = refused(db.sql_as(&nobody, sql), PERMISSION_DENIED, sql);
        assert!(err.message.contains("permission denied"), "{err:?}");
    }
    accepted(db.sql_as(&reader, "SELECT * FROM group_session"), "read");
    accepted(
        db.sql_as(&reader, "SELECT * FROM session_participant"),
        "read",
    );
    accepted(db.sql_as(&reader, "SELECT * FROM audit_log"), "read");
    for sql in [
        mark.as_str(),
        "UPDATE group_session SET starts_at = starts_at",
        "DELETE FROM session_participant",
        "SELECT * FROM force_token",
    ] {
        refused(db.sql_as(&reader, sql), PERMISSION_DENIED, sql);
    }
    assert_eq!(
        status_of(&db, "session_participant", s.participants[0]),
        "SCHEDULED"
    );
}

/// An empty database next to this test's, and the URL gsess reaches it by.
fn empty_database(db: &TestDb, suffix: &str) -> String {
    let name = format!("{}_{suffix}", db.name);
    db.sql(&format!("CREATE DATABASE {name}"));
    let url = db
        .url()
        .replacen(&format!("/{}?", db.name), &format!("/{name}?"), 1);
    assert!(url.contains(&format!("/{name}?")), "{url}");
    url
}

#[track_caller]
fn assert_fully_migrated(url: &str) {
    let status = gsess_with(&[("DATABASE_URL", url)], &["--json", "db", "status"], None);
    status.success();
    assert_eq!(status.json()["migrations_pending"], serde_json::json!([]));
    assert_eq!(
        status.json()["migrations_applied"],
        gsess::db::MIGRATOR.iter().count()
    );
}

#[test]
fn migrating_a_second_database_in_the_same_cluster_works() {
    let db = TestDb::new();
    let url = empty_database(&db, "second");
    gsess_with(&[("DATABASE_URL", &url)], &["db", "migrate"], None)
        .success()
        .stdout_contains(&format!(
            "applied {} migration(s)",
            gsess::db::MIGRATOR.iter().count()
        ));
    assert_fully_migrated(&url);
    gsess_with(&[("DATABASE_URL", &url)], &["db", "migrate"], None)
        .success()
        .stdout_contains("up to date");
}

#[test]
fn three_migrations_in_parallel_against_fresh_databases_all_succeed() {
    let db = TestDb::new();
    let urls: Vec<String> = (0..3)
        .map(|n| empty_database(&db, &format!("par{n}")))
        .collect();
    let runs: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = urls
            .iter()
            .map(|url| {
                scope.spawn(move || {
                    gsess_with(&[("DATABASE_URL", url.as_str())], &["db", "migrate"], None)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("migration thread"))
            .collect()
    });
    for run in &runs {
        run.success();
    }
    for url in &urls {
        assert_fully_migrated(url);
    }
}

// ---------------------------------------------------------------------------------------------
// 6. The audit log
// ---------------------------------------------------------------------------------------------

#[test]
fn an_attendance_change_is_audited_with_the_login_both_statuses_and_the_reason() {
    let db = TestDb::new();
    let s = seed(&db, 1, 1);
    let writer = db.login("writer", &[WRITE]);
    let row = s.participants[0];
    let last_audit: i64 = db.scalar("SELECT coalesce(max(id), 0) FROM audit_log");

    accepted(
        db.sql_as(
            &writer,
            &format!(
                "BEGIN; SET LOCAL gsess.reason = 'bus was late'; {}; COMMIT;",
                set_status("session_participant", row, "LATE")
            ),
        ),
        "mark with a reason",
    );
    let entries = db.rows(&format!(
        "SELECT actor, action, session_id, member_id, reason, forced,
                before->>'status' AS before_status, after->>'status' AS after_status,
                (after->>'id')::bigint AS row_id
           FROM audit_log WHERE id > {last_audit} ORDER BY id"
    ));
    assert_eq!(entries.len(), 1, "{entries:#?}");
    let entry = &entries[0];
    assert_eq!(
        entry["actor"],
        writer.as_str(),
        "session_user, the person's login"
    );
    assert_eq!(entry["action"], "roster.mark");
    assert_eq!(entry["session_id"], s.session);
    assert_eq!(entry["member_id"], s.members[0]);
    assert_eq!(entry["row_id"], row);
    assert_eq!(entry["before_status"], "SCHEDULED");
    assert_eq!(entry["after_status"], "LATE");
    assert_eq!(entry["reason"], "bus was late");
    assert_eq!(entry["forced"], false);
}

#[test]
fn the_audit_log_is_append_only_for_every_login_and_by_trigger_for_the_superuser() {
    let db = TestDb::new();
    let superuser: bool = db.scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
    assert!(
        superuser,
        "as_superuser bypasses privileges: its refusals come from triggers"
    );
    let s = seed(&db, 1, 1);
    db.sql(&set_status(
        "session_participant",
        s.participants[0],
        "ATTENDED",
    ));
    let entries = count(&db, "SELECT 1 FROM audit_log");
    assert!(entries > 0, "the row triggers below need rows to fire on");

    let statements = [
        "INSERT INTO audit_log (action, reason) VALUES ('roster.mark', 'forged')",
        "UPDATE audit_log SET reason = 'rewritten'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ];
    let scopes: Vec<&[&str]> = vec![&[], &[READ], &[WRITE], &[FORCE], &[BILLING], &[ADMIN]];
    for (n, scopes) in scopes.into_iter().enumerate() {
        let login = db.login(&format!("l{n}"), scopes);
        for sql in statements {
            refused(
                db.sql_as(&login, sql),
                PERMISSION_DENIED,
                &format!("{scopes:?}: {sql}"),
            );
        }
    }
    // The superuser bypasses privileges; the append-only trigger is what stops it.
    for sql in &statements[1..] {
        let err = refused(as_superuser(&db, sql), sqlstates::APPEND_ONLY, sql);
        assert!(err.message.contains("append-only"), "{err:?}");
    }
    assert_eq!(count(&db, "SELECT 1 FROM audit_log"), entries);
    assert_eq!(
        count(
            &db,
            "SELECT 1 FROM audit_log WHERE reason IN ('forged', 'rewritten')"
        ),
        0
    );
}

// ---------------------------------------------------------------------------------------------
// 7. NOTIFY
// ---------------------------------------------------------------------------------------------

#[test]
fn an_attendance_change_notifies_its_session_and_a_rollback_or_refusal_notifies_nothing() {
    let db = TestDb::new();
    let s = seed(&db, 3, 2);
    let writer = db.login("writer", &[WRITE]);
    let other = add_session(&db, &s);
    let other_row = add_participant(&db, s.facility, other, s.members[2]);
    let (p0, p1) = (s.participants[0], s.participants[1]);

    let heard = db.listen_during(CHANNEL, || {
        accepted(
            db.sql_as(&writer, &set_status("session_participant", p0, "ATTENDED")),
            "mark",
        );
    });
    assert_eq!(heard, vec![s.session.to_string()]);

    let heard = db.listen_during(CHANNEL, || {
        accepted(
            db.sql_as(
                &writer,
                &set_status("session_participant", other_row, "ABSENT"),
            ),
            "mark",
        );
    });
    assert_eq!(
        heard,
        vec![other.to_string()],
        "the payload is the session id"
    );

    let heard = db.listen_during(CHANNEL, || {
        accepted(
            db.sql_as(
                &writer,
                &format!(
                    "BEGIN; {}; ROLLBACK;",
                    set_status("session_participant", p1, "ATTENDED")
                ),
            ),
            "a rolled-back mark",
        );
        refused(
            db.sql_as(&writer, &set_status("session_participant", p0, "SCHEDULED")),
            sqlstates::ILLEGAL_TRANSITION,
            "an illegal mark",
        );
    });
    assert_eq!(
        heard,
        Vec::<String>::new(),
        "nothing happened, nothing is sent"
    );
    assert_eq!(status_of(&db, "session_participant", p1), "SCHEDULED");
}

#[test]
fn the_notification_is_delivered_on_commit_not_before() {
    let db = TestDb::new();
    let s = seed(&db, 1, 1);
    let writer = db.login("writer", &[WRITE]);
    let mark = set_status("session_participant", s.participants[0], "LATE");
    let (listen_url, writer_url) = (db.url(), db.url_as(&writer));
    block_on(async {
        let mut listener = PgListener::connect(&listen_url).await.expect("listener");
        listener.listen(CHANNEL).await.expect("LISTEN");
        let mut conn = PgConnection::connect(&writer_url).await.expect("writer");
        let mut tx = conn.begin().await.expect("BEGIN");
        sqlx::raw_sql(sqlx::AssertSqlSafe(mark))
            .execute(&mut *tx)
            .await
            .expect("mark");
        let early = tokio::time::timeout(Duration::from_millis(400), listener.recv()).await;
        assert!(early.is_err(), "notified before commit: {early:?}");
        tx.commit().await.expect("COMMIT");
        let heard = tokio::time::timeout(Duration::from_secs(5), listener.recv())
            .await
            .expect("notified after commit")
            .expect("notification");
        assert_eq!(heard.channel(), CHANNEL);
        assert_eq!(heard.payload(), s.session.to_string());
    });
}

// ---------------------------------------------------------------------------------------------
// 8. Supervisors are derived from SUPERVISING assignments
// ---------------------------------------------------------------------------------------------

fn supervisors(db: &TestDb, session: i64) -> Vec<serde_json::Value> {
    db.rows(&format!(
        "SELECT provider_id, source, status::text AS status, assignment_id
           FROM session_supervisor WHERE session_id = {session} ORDER BY provider_id"
    ))
}

fn supervising_providers(db: &TestDb, session: i64) -> Vec<i64> {
    supervisors(db, session)
        .iter()
        .map(|r| r["provider_id"].as_i64().unwrap())
        .collect()
}

#[test]
fn a_roster_row_derives_one_supervisor_per_distinct_provider_active_on_the_local_date() {
    let db = TestDb::new();
    // Members 0 and 1 share the supervising provider; the session's roster starts empty.
    let s = seed(&db, 2, 0);
    let writer = db.login("writer", &[WRITE]);
    let local_date: String = db.scalar(&format!(
        "SELECT local_date::text FROM group_session WHERE id = {}",
        s.session
    ));
    assert_eq!(
        local_date, LOCAL_DATE,
        "17:00 in Los Angeles is the next day in UTC"
    );
    assert!(supervisors(&db, s.session).is_empty());

    let roster_add = |member: i64| {
        accepted(
            db.sql_as(
                &writer,
                &format!(
                    "INSERT INTO session_participant (facility_id, session_id, member_id)
                     VALUES ({}, {}, {member})",
                    s.facility, s.session
                ),
            ),
            "roster add",
        )
    };

    roster_add(s.members[0]);
    let assignment: i64 = db.scalar(&format!(
        "SELECT id FROM staff_assignment WHERE provider_id = {} AND member_id = {}",
        s.provider, s.members[0]
    ));
    assert_eq!(
        supervisors(&db, s.session),
        vec![serde_json::json!({
            "provider_id": s.provider, "source": "ASSIGNMENT", "status": "SCHEDULED",
            "assignment_id": assignment
        })]
    );

    // A second member linked to the same provider does not duplicate the row.
    roster_add(s.members[1]);
    assert_eq!(supervising_providers(&db, s.session), vec![s.provider]);

    // Assignments judged on the session's local date (2026-11-27), not on UTC's (11-28):
    let ended = add_provider(&db, "1000000011"); // ended months before
    let starts_utc_day = add_provider(&db, "1000000022"); // starts on the UTC date only
    let ends_local_day = add_provider(&db, "1000000033"); // ends on the local date: active
    let third = add_member(&db, "M100");
    assign(&db, ended, third, Some("2026-01-01"), Some("2026-06-30"));
    assign(&db, starts_utc_day, third, Some("2026-11-28"), None);
    assign(&db, ends_local_day, third, None, Some(LOCAL_DATE));
    roster_add(third);
    let mut expected = vec![s.provider, ends_local_day];
    expected.sort();
    assert_eq!(supervising_providers(&db, s.session), expected);
}

#[test]
fn a_new_assignment_adds_a_supervisor_only_while_the_session_is_unlocked() {
    let db = TestDb::new();
    let s = seed(&db, 1, 1);
    assert_eq!(supervising_providers(&db, s.session), vec![s.provider]);

    // Unlocked: an assignment made later still adds its provider.
    let early = add_provider(&db, "1000000044");
    assign(&db, early, s.members[0], Some("2026-11-01"), None);
    let mut expected = vec![s.provider, early];
    expected.sort();
    assert_eq!(supervising_providers(&db, s.session), expected);

    lock(&db, &s);

    // Locked: frozen. A new assignment adds nothing, an ended one removes nothing.
    let late = add_provider(&db, "1000000066");
    assign(&db, late, s.members[0], Some("2026-11-01"), None);
    db.sql(&format!(
        "UPDATE staff_assignment SET end_date = '2026-02-01' WHERE provider_id = {}",
        s.provider
    ));
    assert_eq!(supervising_providers(&db, s.session), expected);
}

// ---------------------------------------------------------------------------------------------
// 9. gsess maps the database's refusals to its exit codes
// ---------------------------------------------------------------------------------------------

/// Run `sql` as a login with a connection of our own and return the raw `sqlx::Error`.
fn sqlx_refusal(url: &str, sql: &str) -> sqlx::Error {
    let sql = sql.to_owned();
    block_on(async move {
        let mut conn = PgConnection::connect(url).await.expect("connect");
        let err = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut conn)
            .await
            .expect_err(&sql);
        let _ = conn.close().await;
        err
    })
}

#[test]
fn database_refusals_map_to_the_spec_exit_codes() {
    assert_eq!(sqlstates::ILLEGAL_TRANSITION, "GS409");
    assert_eq!(sqlstates::SESSION_LOCKED, "GS423");
    assert_eq!(sqlstates::APPEND_ONLY, "GS405");

    let db = TestDb::new();
    let s = seed(&db, 2, 2);
    let writer = db.login("writer", &[WRITE]);
    let nobody = db.login("nobody", &[]);
    let (p0, p1) = (s.participants[0], s.participants[1]);
    accepted(
        db.sql_as(&writer, &set_status("session_participant", p0, "ATTENDED")),
        "mark",
    );

    let illegal = map_sqlx_error(sqlx_refusal(
        &db.url_as(&writer),
        &set_status("session_participant", p0, "ATTENDED"),
    ));
    assert_eq!(
        (illegal.kind, illegal.kind.code()),
        (ExitKind::IllegalTransition, 4)
    );
    assert_eq!(illegal.context["sqlstate"], "GS409");
    assert!(
        illegal.message.contains("allowed next: ABSENT, LATE"),
        "{}",
        illegal.message
    );

    let forbidden = map_sqlx_error(sqlx_refusal(
        &db.url_as(&nobody),
        &set_status("session_participant", p1, "ATTENDED"),
    ));
    assert_eq!(
        (forbidden.kind, forbidden.kind.code()),
        (ExitKind::Forbidden, 6)
    );

    lock(&db, &s);
    let locked = map_sqlx_error(sqlx_refusal(
        &db.url_as(&writer),
        &set_status("session_participant", p1, "ATTENDED"),
    ));
    assert_eq!((locked.kind, locked.kind.code()), (ExitKind::Locked, 5));
    assert!(
        locked.message.contains("force-update"),
        "names force-update: {}",
        locked.message
    );

    let append_only = map_sqlx_error(sqlx_refusal(&db.url(), "DELETE FROM audit_log"));
    assert_eq!(append_only.kind, ExitKind::Forbidden);
    assert_eq!(append_only.context["sqlstate"], "GS405");
}
