//! Attacks on a locked session, the force path, the scopes and the audit log, each tried by hand as an ordinary login and refused by PostgreSQL itself, with nothing changed.

mod common;

use common::{roll_call_dataset, DbError, TestDb, ROLL_CALL_DANA, ROLL_CALL_SAM};
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection, Row};
use std::sync::OnceLock;

const READ: &str = "clinical.group-session.read";
const WRITE: &str = "clinical.attendance.write";
const FORCE: &str = "clinical.attendance.write.force";
const BILLING: &str = "clinical.billing.run";
const ADMIN: &str = "gsess.admin";
const SCOPES: [&str; 5] = [READ, WRITE, FORCE, BILLING, ADMIN];

const PERMISSION_DENIED: &str = "42501";
const LOCKED: &str = "GS423";
const ILLEGAL: &str = "GS409";
const NOT_FOUND: &str = "GS404";

/// Every table an attack could change: compared whole before and after each attempt.
const WATCHED_TABLES: [&str; 11] = [
    "facility",
    "group_session",
    "session_participant",
    "session_supervisor",
    "accepted_exception",
    "charge",
    "claim",
    "claim_line",
    "edi_document",
    "force_token",
    "audit_log",
];

// ---------------------------------------------------------------------------------------
// Fixture: a locked session, an open one beside it, and one at another facility
// ---------------------------------------------------------------------------------------

/// The ids of the seeded sessions and rows.
struct Fixture {
    /// RC-1 at NORTH, locked by a claim for M001.
    locked: i64,
    /// RC-2 at NORTH, same day, open.
    open: i64,
    /// RC-3 at SOUTH (another facility), open.
    elsewhere: i64,
}

impl Fixture {
    fn new(db: &TestDb) -> Fixture {
        let mut dataset = roll_call_dataset();
        let south = json!({"code": "SOUTH", "name": "South Clinic", "state": "OR",
                           "timezone": "America/Los_Angeles", "npi": "1234567893",
                           "tax_id": "931234568",
                           "address": {"line1": "2 Main St", "city": "Salem", "state": "OR",
                                       "zip": "973011234"}});
        dataset["facilities"].as_array_mut().unwrap().push(south);
        let sessions = dataset["sessions"].as_array_mut().unwrap();
        let mut second = sessions[0].clone();
        second["external_id"] = json!("RC-2");
        second["participants"] = json!(["M001", "M004"]);
        let mut third = second.clone();
        third["external_id"] = json!("RC-3");
        third["facility"] = json!("SOUTH");
        sessions.push(second);
        sessions.push(third);
        db.gsess_stdin(&["import", "-"], &dataset.to_string())
            .success();
        let id = |external: &str| -> i64 {
            db.scalar(&format!(
                "SELECT id FROM group_session WHERE external_id = '{external}'"
            ))
        };
        let fixture = Fixture {
            locked: id("RC-1"),
            open: id("RC-2"),
            elsewhere: id("RC-3"),
        };
        db.lock_roll_call(fixture.locked);
        fixture
    }

    fn participant(&self, db: &TestDb, session: i64, mrn: &str) -> i64 {
        db.scalar(&format!(
            "SELECT p.id FROM session_participant p JOIN member m ON m.id = p.member_id
              WHERE p.session_id = {session} AND m.mrn = '{mrn}'"
        ))
    }

    fn supervisor(&self, db: &TestDb, session: i64) -> i64 {
        db.scalar(&format!(
            "SELECT min(id) FROM session_supervisor WHERE session_id = {session}"
        ))
    }

    fn claim(&self, db: &TestDb) -> i64 {
        db.scalar(&format!(
            "SELECT id FROM claim WHERE session_id = {}",
            self.locked
        ))
    }
}

/// Everything an attack could touch, as JSON, to prove a refusal left it all as it was.
fn snapshot(db: &TestDb) -> Value {
    WATCHED_TABLES
        .iter()
        .map(|t| {
            let rows = db.rows(&format!("SELECT * FROM {t} ORDER BY {t}::text"));
            ((*t).to_owned(), Value::Array(rows))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Try `sql` as `login`: it must fail with `sqlstate`, and leave every watched table as it
/// was. Returns the refusal for a closer look at its message.
#[track_caller]
fn refused(db: &TestDb, login: &str, sql: &str, sqlstate: &str) -> DbError {
    let before = snapshot(db);
    let error = match db.sql_as(login, sql) {
        Ok(()) => panic!("{login} was allowed: {sql}"),
        Err(error) => error,
    };
    assert_eq!(
        error.sqlstate, sqlstate,
        "{login}: {sql}\nrefused with the wrong SQLSTATE: {error:?}"
    );
    assert_eq!(snapshot(db), before, "{login}: {sql}\nchanged data");
    error
}

/// A login holding exactly one scope.
fn scoped(db: &TestDb, scope: &str) -> String {
    db.login(&scope.replace(['.', '-'], "_"), &[scope])
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime")
    })
}

fn db_error(error: sqlx::Error) -> DbError {
    match error {
        sqlx::Error::Database(db) => DbError {
            sqlstate: db.code().map(|c| c.into_owned()).unwrap_or_default(),
            message: db.message().to_owned(),
        },
        other => panic!("unexpected error: {other}"),
    }
}

/// Run `sql` (several statements, one connection) as `login`; the first column of every row
/// returned, as text.
fn texts_as(db: &TestDb, login: &str, sql: &str) -> Result<Vec<String>, DbError> {
    runtime().block_on(async {
        let mut conn = PgConnection::connect(&db.url_as(login)).await.unwrap();
        let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_all(&mut conn)
            .await
            .map_err(db_error)?;
        let _ = conn.close().await;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>(0).expect("a text column"))
            .collect())
    })
}

/// `COPY … FROM STDIN` as `login`, sending `data` (text format).
fn copy_as(db: &TestDb, login: &str, statement: &str, data: &str) -> Result<u64, DbError> {
    runtime().block_on(async {
        let mut conn = PgConnection::connect(&db.url_as(login)).await.unwrap();
        let result = async {
            let mut copy = conn.copy_in_raw(statement).await?;
            copy.send(data.as_bytes()).await?;
            copy.finish().await
        }
        .await
        .map_err(db_error);
        let _ = conn.close().await;
        result
    })
}

/// COPY must be refused with `sqlstate` and change nothing.
#[track_caller]
fn copy_refused(db: &TestDb, login: &str, statement: &str, data: &str, sqlstate: &str) {
    let before = snapshot(db);
    match copy_as(db, login, statement, data) {
        Ok(n) => panic!("{login} copied {n} rows: {statement}"),
        Err(error) => assert_eq!(error.sqlstate, sqlstate, "{statement}: {error:?}"),
    }
    assert_eq!(snapshot(db), before, "{statement} changed data");
}

fn force_correction_sql(
    db: &TestDb,
    session: i64,
    participants: &[i64],
    supervisors: &[i64],
) -> String {
    let version: i64 = db.scalar(&format!(
        "SELECT attendance_version FROM group_session WHERE id = {session}"
    ));
    let list = |ids: &[i64]| {
        let joined: Vec<String> = ids.iter().map(i64::to_string).collect();
        format!("ARRAY[{}]::bigint[]", joined.join(","))
    };
    format!(
        "SELECT force_correction({session}, {version}, 'ATTENDED', {}, {}, '[]', 'attack')",
        list(participants),
        list(supervisors)
    )
}

// ---------------------------------------------------------------------------------------
// 1–3. A locked session's schedule, its date, and rows moved in or out
// ---------------------------------------------------------------------------------------

#[test]
fn an_admin_cannot_reschedule_a_locked_session_by_hand() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let admin = scoped(&db, ADMIN);
    let s = f.locked;
    db.sql("INSERT INTO group_type (code, name) VALUES ('CBT', 'CBT group')");
    for (set, sqlstate) in [
        ("starts_at = starts_at - interval '1 hour'", LOCKED),
        ("ends_at = ends_at + interval '1 hour'", LOCKED),
        (
            "group_type_id = (SELECT id FROM group_type WHERE code = 'CBT')",
            LOCKED,
        ),
        ("place_of_service = '02'", LOCKED),
        ("local_date = local_date + 1", PERMISSION_DENIED),
        (
            "facility_id = (SELECT id FROM facility WHERE code = 'SOUTH')",
            PERMISSION_DENIED,
        ),
    ] {
        refused(
            &db,
            &admin,
            &format!("UPDATE group_session SET {set} WHERE id = {s}"),
            sqlstate,
        );
    }
    // The same change to the open session goes through: the lock is what refused it.
    db.sql_as(
        &admin,
        &format!(
            "UPDATE group_session SET starts_at = starts_at - interval '1 hour' WHERE id = {}",
            f.open
        ),
    )
    .expect("an open session can be rescheduled");
}

#[test]
fn a_time_zone_change_never_re_dates_a_locked_session() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let admin = scoped(&db, ADMIN);
    let local_date = |session: i64| -> String {
        db.scalar(&format!(
            "SELECT local_date::text FROM group_session WHERE id = {session}"
        ))
    };
    assert_eq!(local_date(f.locked), "2026-11-27");
    // 14:00 in Los Angeles is 07:00 the next day in Tokyo.
    let move_north = "UPDATE facility SET timezone = 'Asia/Tokyo' WHERE code = 'NORTH'".to_owned();
    let refusal = refused(&db, &admin, &move_north, LOCKED);
    assert!(
        refusal.message.contains("1 locked session"),
        "the refusal says how many sessions hold it: {refusal:?}"
    );
    assert_eq!(local_date(f.locked), "2026-11-27");

    // A facility with no locked session moves, and its sessions are re-dated with it.
    db.sql_as(
        &admin,
        "UPDATE facility SET timezone = 'Asia/Tokyo' WHERE code = 'SOUTH'",
    )
    .expect("a facility without locked sessions changes zone");
    assert_eq!(local_date(f.elsewhere), "2026-11-28");
}

#[test]
fn rows_never_move_into_or_out_of_a_locked_session() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let writer = scoped(&db, WRITE);
    let billing = scoped(&db, BILLING);
    let admin = scoped(&db, ADMIN);
    let (locked, open) = (f.locked, f.open);
    let south = "(SELECT id FROM facility WHERE code = 'SOUTH')";
    for table in ["session_participant", "session_supervisor"] {
        for login in [&writer, &admin] {
            for sql in [
                format!("UPDATE {table} SET session_id = {open} WHERE session_id = {locked}"),
                format!("UPDATE {table} SET session_id = {locked} WHERE session_id = {open}"),
                format!("UPDATE {table} SET facility_id = {south} WHERE session_id = {locked}"),
            ] {
                refused(&db, login, &sql, PERMISSION_DENIED);
            }
        }
        // Even past the privileges (the superuser), the row trigger refuses a move.
        let error = db
            .try_sql(&format!(
                "UPDATE {table} SET session_id = {locked} WHERE session_id = {open}"
            ))
            .expect_err("the superuser cannot move a row into a locked session");
        assert!(
            [ILLEGAL, LOCKED].contains(&error.sqlstate.as_str()),
            "{error:?}"
        );
    }
    // Charges and claims: billed rows stay with their session.
    db.set_roster_status(open, "M001", "ATTENDED");
    db.set_roster_status(open, "M004", "ATTENDED");
    db.gsess(&[
        "billing",
        "run",
        "--as-of",
        "2026-11-28T12:00:00Z",
        "--session",
        &open.to_string(),
    ])
    .success();
    assert!(
        db.scalar::<i64>(&format!(
            "SELECT count(*) FROM charge WHERE session_id = {open}"
        )) > 0
    );
    for sql in [
        format!("UPDATE charge SET session_id = {locked} WHERE session_id = {open}"),
        format!("UPDATE charge SET facility_id = {south} WHERE session_id = {open}"),
        format!("UPDATE claim SET session_id = {open} WHERE session_id = {locked}"),
        format!("UPDATE claim SET facility_id = {south} WHERE session_id = {locked}"),
        format!("UPDATE claim SET member_id = member_id + 1 WHERE session_id = {locked}"),
        "UPDATE claim_line SET claim_id = claim_id + 1".to_owned(),
    ] {
        refused(&db, &billing, &sql, PERMISSION_DENIED);
    }
}

#[test]
fn a_billing_login_writes_no_charge_of_its_own_into_a_locked_session() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let billing = scoped(&db, BILLING);
    let m002 = f.participant(&db, f.locked, "M002");
    // Charges are written only through sync_charges(), which refuses a locked session.
    refused(
        &db,
        &billing,
        &format!(
            "INSERT INTO charge (facility_id, session_id, participant_id, member_id, payer_id,
                                 coverage_id, band_id, procedure_code, modifiers, units, rate,
                                 amount, priced_version)
             SELECT p.facility_id, p.session_id, p.id, p.member_id, c.payer_id, c.id, b.id,
                    b.procedure_code, b.modifiers, 1, b.rate, b.rate, 0
               FROM session_participant p
               JOIN coverage_policy c ON c.member_id = p.member_id
               JOIN size_band b ON b.payer_id = c.payer_id
              WHERE p.id = {m002}"
        ),
        PERMISSION_DENIED,
    );
    refused(
        &db,
        &billing,
        "UPDATE charge SET status = 'VOID', voided_at = now()",
        PERMISSION_DENIED,
    );
}

// ---------------------------------------------------------------------------------------
// 4. COPY fires the row triggers and needs the INSERT privilege
// ---------------------------------------------------------------------------------------

#[test]
fn copy_into_attendance_tables_meets_the_same_refusals_as_insert() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let writer = scoped(&db, WRITE);
    let reader = scoped(&db, READ);
    let facility: i64 = db.scalar(&format!(
        "SELECT facility_id FROM group_session WHERE id = {}",
        f.locked
    ));
    let m005: i64 = db.scalar("SELECT id FROM member WHERE mrn = 'M005'");
    let sam: i64 = db.scalar(&format!(
        "SELECT id FROM provider WHERE npi = '{ROLL_CALL_SAM}'"
    ));
    let roster = "COPY session_participant (facility_id, session_id, member_id) FROM STDIN";
    let roster_with_status =
        "COPY session_participant (facility_id, session_id, member_id, status) FROM STDIN";
    let supervisors =
        "COPY session_supervisor (facility_id, session_id, provider_id, source) FROM STDIN";

    // Into the locked session: the row trigger fires for COPY too.
    copy_refused(
        &db,
        &writer,
        roster,
        &format!("{facility}\t{}\t{m005}\n", f.locked),
        LOCKED,
    );
    copy_refused(
        &db,
        &writer,
        supervisors,
        &format!("{facility}\t{}\t{sam}\tMANUAL\n", f.locked),
        LOCKED,
    );
    // A status on the way in: no login may name it, and the trigger refuses it even to the
    // superuser.
    let attended = format!("{facility}\t{}\t{m005}\tATTENDED\n", f.open);
    copy_refused(
        &db,
        &writer,
        roster_with_status,
        &attended,
        PERMISSION_DENIED,
    );
    let superuser = harness_superuser(&db);
    copy_refused(&db, &superuser, roster_with_status, &attended, ILLEGAL);
    // Without the INSERT privilege.
    let scheduled = format!("{facility}\t{}\t{m005}\n", f.open);
    copy_refused(&db, &reader, roster, &scheduled, PERMISSION_DENIED);
    copy_refused(
        &db,
        &reader,
        "COPY audit_log (action) FROM STDIN",
        "forged\n",
        PERMISSION_DENIED,
    );
    // From a server file or program: superuser-only roles.
    refused(
        &db,
        &writer,
        "COPY session_participant (facility_id, session_id, member_id) FROM '/etc/hostname'",
        PERMISSION_DENIED,
    );
    refused(
        &db,
        &writer,
        "COPY session_participant (facility_id, session_id, member_id) FROM PROGRAM 'true'",
        PERMISSION_DENIED,
    );
    // The allowed COPY works, so the refusals above are the rules, not COPY failing.
    let copied = copy_as(&db, &writer, roster, &scheduled).map_err(|e| format!("{e:?}"));
    assert_eq!(copied, Ok(1));
}

/// The superuser's login name, for the few attempts that prove a trigger past privileges.
fn harness_superuser(db: &TestDb) -> String {
    db.scalar("SELECT session_user::text")
}

// ---------------------------------------------------------------------------------------
// 5. Switching triggers, replication role or role off
// ---------------------------------------------------------------------------------------

#[test]
fn no_scope_can_switch_off_the_triggers_or_become_an_owner() {
    let db = TestDb::new();
    Fixture::new(&db);
    for scope in SCOPES {
        let login = scoped(&db, scope);
        for sql in [
            "ALTER TABLE session_participant DISABLE TRIGGER session_participant_guard",
            "ALTER TABLE session_supervisor DISABLE TRIGGER ALL",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
            "ALTER TABLE claim DISABLE TRIGGER USER",
            "SET session_replication_role = replica",
            "SET ROLE gsess_owner",
            "SET ROLE gsess_force",
            "SET SESSION AUTHORIZATION gsess_owner",
            "GRANT \"clinical.attendance.write.force\" TO CURRENT_USER",
            "ALTER ROLE CURRENT_USER SUPERUSER",
            "CREATE SCHEMA attacker",
        ] {
            refused(&db, &login, sql, PERMISSION_DENIED);
        }
    }
}

// ---------------------------------------------------------------------------------------
// 6. Shadowing tables in a definer function's search path
// ---------------------------------------------------------------------------------------

/// Definer functions whose search_path is not pinned to our schemas with pg_temp last.
const UNPINNED_DEFINERS: &str = "
    SELECT p.oid::regprocedure::text
      FROM pg_proc p
     WHERE p.prosecdef AND p.pronamespace <> 'pg_catalog'::regnamespace
       AND NOT coalesce((
           SELECT string_to_array(replace(substr(c, 13), ' ', ''), ',') <@ ARRAY['pg_catalog', 'public', 'gsess_ext', 'pg_temp']
                  AND (string_to_array(replace(substr(c, 13), ' ', ''), ','))[cardinality(string_to_array(c, ','))] = 'pg_temp'
             FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%'), false)
     ORDER BY 1";

#[test]
fn every_definer_function_pins_its_search_path_with_pg_temp_last() {
    let db = TestDb::new();
    let definers: i64 = db.scalar("SELECT count(*) FROM pg_proc WHERE prosecdef");
    assert!(
        definers >= 10,
        "only {definers} definer functions: the check would prove nothing"
    );
    let unpinned: Vec<String> = db.texts(UNPINNED_DEFINERS);
    assert!(
        unpinned.is_empty(),
        "definer functions without a pinned search_path: {unpinned:?}"
    );

    // The check catches each way of getting it wrong.
    db.sql(
        "CREATE FUNCTION no_path() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
         CREATE FUNCTION temp_first() RETURNS int LANGUAGE sql SECURITY DEFINER
             SET search_path = pg_temp, pg_catalog, public AS 'SELECT 1';
         CREATE FUNCTION user_schema() RETURNS int LANGUAGE sql SECURITY DEFINER
             SET search_path = \"$user\", public, pg_temp AS 'SELECT 1';",
    );
    assert_eq!(
        db.texts(UNPINNED_DEFINERS),
        ["no_path()", "temp_first()", "user_schema()"]
    );
}

#[test]
fn temporary_tables_named_like_ours_are_never_read_by_the_definer_functions() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let writer = scoped(&db, WRITE);
    let force = scoped(&db, FORCE);
    let facility: i64 = db.scalar(&format!(
        "SELECT facility_id FROM group_session WHERE id = {}",
        f.locked
    ));
    // Temporary look-alikes first on the caller's path: an empty claim table (the locked
    // session would look unlocked) and a force token for this very transaction.
    let shadows = format!(
        "SET search_path = pg_temp, public;
         CREATE TEMP TABLE claim (facility_id bigint, session_id bigint);
         INSERT INTO claim VALUES ({facility}, {open});
         CREATE TEMP TABLE force_token (xact xid8 DEFAULT pg_current_xact_id(),
                                        facility_id bigint, session_id bigint);
         CREATE TEMP TABLE session_participant (id bigint, session_id bigint);",
        open = f.open
    );
    let locked_flags = texts_as(
        &db,
        &writer,
        &format!(
            "{shadows}
             SELECT session_is_locked({facility}, {})::text
             UNION ALL SELECT session_is_locked({facility}, {})::text",
            f.locked, f.open
        ),
    )
    .expect("session_is_locked is readable by every scope");
    assert_eq!(
        locked_flags,
        ["true", "false"],
        "the real claim table decides"
    );

    // forced_in_this_transaction() is not the caller's to ask, and a look-alike token does
    // not open the lock to a mark.
    refused(
        &db,
        &writer,
        &format!(
            "{shadows} SELECT forced_in_this_transaction({facility}, {})",
            f.locked
        ),
        PERMISSION_DENIED,
    );
    let m002 = f.participant(&db, f.locked, "M002");
    refused(
        &db,
        &writer,
        &format!(
            "{shadows}
             BEGIN;
             INSERT INTO force_token (facility_id, session_id) VALUES ({facility}, {locked});
             UPDATE public.session_participant SET status = 'ATTENDED' WHERE id = {m002};
             COMMIT;",
            locked = f.locked
        ),
        LOCKED,
    );
    // force_correction() reads the real claims: the open session is not locked, whatever the
    // temporary claim table says.
    let m004 = f.participant(&db, f.open, "M004");
    let refusal = refused(
        &db,
        &force,
        &format!(
            "{shadows} {}",
            force_correction_sql(&db, f.open, &[m004], &[])
        ),
        "22023",
    );
    assert!(refusal.message.contains("is not locked"), "{refusal:?}");
}

// ---------------------------------------------------------------------------------------
// 7. The force path
// ---------------------------------------------------------------------------------------

#[test]
fn the_force_function_corrects_only_rows_of_the_session_it_names() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let force = scoped(&db, FORCE);
    refused(
        &db,
        &force,
        &format!(
            "SELECT force_attendance({}, 'ATTENDED', ARRAY[1]::bigint[], NULL, 'attack')",
            f.locked
        ),
        "42883",
    );
    let other_session = f.participant(&db, f.open, "M001");
    let other_facility = f.participant(&db, f.elsewhere, "M001");
    let other_supervisor = f.supervisor(&db, f.open);
    let foreign_supervisor = f.supervisor(&db, f.elsewhere);
    let own = f.participant(&db, f.locked, "M002");
    for (participants, supervisors) in [
        (vec![other_session], vec![]),
        (vec![other_facility], vec![]),
        (vec![own, other_session], vec![]),
        (vec![], vec![other_supervisor]),
        (vec![], vec![foreign_supervisor]),
    ] {
        let sql = force_correction_sql(&db, f.locked, &participants, &supervisors);
        let refusal = refused(&db, &force, &sql, NOT_FOUND);
        assert!(
            refusal.message.contains("is not on this session"),
            "{refusal:?}"
        );
    }
    let statuses: Vec<String> = db.texts(&format!(
        "SELECT status::text FROM session_participant WHERE id IN ({other_session}, {other_facility})"
    ));
    assert_eq!(statuses, ["SCHEDULED", "SCHEDULED"]);
}

// ---------------------------------------------------------------------------------------
// 8. Billing cannot unlock a session or edit what was sent
// ---------------------------------------------------------------------------------------

#[test]
fn a_billing_login_cannot_unlock_a_session_or_edit_a_submitted_claim() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let billing = scoped(&db, BILLING);
    for sql in [
        "DELETE FROM claim",
        "DELETE FROM charge",
        "TRUNCATE claim",
        "TRUNCATE claim CASCADE",
        "TRUNCATE claim_line",
        "TRUNCATE charge",
        "TRUNCATE group_session CASCADE",
    ] {
        refused(&db, &billing, sql, PERMISSION_DENIED);
    }
    // Submitted as `claim submit` leaves it.
    let claim = f.claim(&db);
    db.sql(&format!(
        "WITH d AS (INSERT INTO edi_document (facility_id, payer_id, interchange_control_number,
                                              production, content)
                    SELECT facility_id, payer_id, 1, false, 'ISA*' FROM claim WHERE id = {claim}
                    RETURNING facility_id, id)
         UPDATE claim c SET status = 'SUBMITTED', submitted_at = now(), edi_document_id = d.id
           FROM d WHERE c.facility_id = d.facility_id AND c.id = {claim}"
    ));
    for set in [
        "amount = 0",
        "status = 'VOIDED'",
        "is_live = false, status = 'REPLACED'",
        "submitted_at = now() - interval '1 day'",
        "edi_document_id = NULL, submitted_at = NULL, status = 'BUILT'",
    ] {
        refused(
            &db,
            &billing,
            &format!("UPDATE claim SET {set} WHERE id = {claim}"),
            LOCKED,
        );
    }
}

// ---------------------------------------------------------------------------------------
// 9. Derived supervisors are derived
// ---------------------------------------------------------------------------------------

#[test]
fn a_writer_adds_only_manual_supervisors() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let writer = scoped(&db, WRITE);
    let insert = |source: &str| {
        format!(
            "INSERT INTO session_supervisor (facility_id, session_id, provider_id, source)
             SELECT g.facility_id, g.id, v.id, '{source}'
               FROM group_session g, provider v WHERE g.id = {} AND v.npi = '{ROLL_CALL_SAM}'",
            f.open
        )
    };
    let refusal = refused(&db, &writer, &insert("ASSIGNMENT"), PERMISSION_DENIED);
    assert!(refusal.message.contains("MANUAL"), "{refusal:?}");
    db.sql_as(&writer, &insert("MANUAL"))
        .expect("a writer adds a substitute as MANUAL");
    // Derivation itself still works: a new roster member brings their supervisor.
    let derived: i64 = db.scalar(&format!(
        "SELECT count(*) FROM session_supervisor x JOIN provider v ON v.id = x.provider_id
          WHERE x.session_id = {} AND x.source = 'ASSIGNMENT' AND v.npi = '{ROLL_CALL_DANA}'",
        f.open
    ));
    assert_eq!(derived, 1);
}

// ---------------------------------------------------------------------------------------
// 10. The audit log
// ---------------------------------------------------------------------------------------

#[test]
fn no_scope_alters_or_forges_the_audit_log() {
    let db = TestDb::new();
    Fixture::new(&db);
    assert!(db.scalar::<i64>("SELECT count(*) FROM audit_log") > 0);
    for scope in SCOPES {
        let login = scoped(&db, scope);
        for sql in [
            "UPDATE audit_log SET reason = 'rewritten'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "INSERT INTO audit_log (action, actor) VALUES ('roster.mark', 'someone_else')",
            "INSERT INTO audit_log (action) SELECT action FROM audit_log",
            "SELECT audit_forced_correction(1, 1, NULL, '{}', '{}', 'forged')",
        ] {
            refused(&db, &login, sql, PERMISSION_DENIED);
        }
    }
    // Past the privileges, the trigger still refuses.
    for sql in [
        "UPDATE audit_log SET reason = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let error = db
            .try_sql(sql)
            .expect_err("append-only for the superuser too");
        assert_eq!(error.sqlstate, "GS405", "{sql}");
    }
}

// ---------------------------------------------------------------------------------------
// 11. Each command's scope, checked by gsess and by PostgreSQL
// ---------------------------------------------------------------------------------------

#[test]
fn every_command_without_its_scope_is_refused_by_gsess_and_by_postgresql() {
    let db = TestDb::new();
    let f = Fixture::new(&db);
    let claim = f.claim(&db).to_string();
    let (locked, open) = (f.locked.to_string(), f.open.to_string());
    let m002 = f.participant(&db, f.locked, "M002");
    let reader = scoped(&db, READ);
    let dataset = std::env::temp_dir().join(format!("{}-attacks.json", db.name));
    std::fs::write(&dataset, roll_call_dataset().to_string()).unwrap();
    let dataset = dataset.to_str().unwrap().to_owned();
    let force_sql = force_correction_sql(&db, f.locked, &[m002], &[]);
    let rows: Vec<(Vec<&str>, String)> = vec![
        (vec!["mark", &open, "attended", "M001"],
         format!("UPDATE session_participant SET status = 'ATTENDED' WHERE session_id = {open}")),
        (vec!["finalize", &open, "--yes"],
         format!("UPDATE session_participant SET status = 'ABSENT' WHERE session_id = {open}")),
        (vec!["roster", "add", &open, "M005"],
         format!("INSERT INTO session_participant (facility_id, session_id, member_id)
                  SELECT facility_id, id, (SELECT id FROM member WHERE mrn = 'M005')
                    FROM group_session WHERE id = {open}")),
        (vec!["roster", "remove", &open, "M004"],
         format!("DELETE FROM session_participant WHERE session_id = {open}")),
        (vec!["supervisor", "add", &open, ROLL_CALL_SAM],
         format!("INSERT INTO session_supervisor (facility_id, session_id, provider_id, source)
                  SELECT facility_id, id, (SELECT id FROM provider WHERE npi = '{ROLL_CALL_SAM}'),
                         'MANUAL' FROM group_session WHERE id = {open}")),
        (vec!["create", "--facility", "NORTH", "--group-type", "DBT",
              "--start", "2026-11-28 10:00", "--end", "2026-11-28 11:00"],
         "INSERT INTO group_session (facility_id, group_type_id, starts_at, ends_at, local_date, source)
          SELECT f.id, t.id, now(), now() + interval '1 hour', current_date, 'ADHOC'
            FROM facility f, group_type t".to_owned()),
        (vec!["accept", &open, "NO_SUPERVISOR_ASSIGNED", "--reason", "attack"],
         format!("INSERT INTO accepted_exception (facility_id, session_id, code, reason,
                                                  group_size, supervisors_present)
                  SELECT facility_id, id, 'NO_SUPERVISOR_ASSIGNED', 'attack', 0, 0
                    FROM group_session WHERE id = {open}")),
        (vec!["force-update", &locked, "attended", "M002", "--reason", "attack", "--yes"],
         force_sql),
        (vec!["billing", "run", "--as-of", "2026-11-28T00:00:00Z"],
         format!("SELECT sync_charges('[{{\"facility_id\": 1, \"session_id\": {open}, \"version\": 0, \"charges\": []}}]')")),
        (vec!["claim", "submit", &claim],
         format!("UPDATE claim SET status = 'SUBMITTED' WHERE id = {claim}")),
        (vec!["claim", "ack", &claim, "--payer-claim-number", "ICN1"],
         format!("UPDATE claim SET payer_claim_number = 'ICN1' WHERE id = {claim}")),
        (vec!["import", &dataset],
         "INSERT INTO member (mrn, first_name, last_name, birth_date, sex)
          VALUES ('M999', 'Mal', 'Lory', '2000-01-01', 'U')".to_owned()),
    ];
    for (args, sql) in &rows {
        let before = snapshot(&db);
        let mut with_json = vec!["--json"];
        with_json.extend(args);
        let run = db.gsess_as(&reader, &with_json);
        run.code(6);
        assert_eq!(run.json_error()["error"]["code"], "FORBIDDEN", "{args:?}");
        assert_eq!(snapshot(&db), before, "gsess {args:?} changed data");
        refused(&db, &reader, sql, PERMISSION_DENIED);
    }
    let _ = std::fs::remove_file(&dataset);
}

// ---------------------------------------------------------------------------------------
// 12. The embedded cluster's directories and log are its owner's alone
// ---------------------------------------------------------------------------------------

#[test]
fn the_embedded_cluster_keeps_its_data_socket_and_log_private() {
    use std::os::unix::fs::PermissionsExt;
    let home = common::Home::new("attacks-private");
    home.gsess(&["db", "start"]).success();
    let url = home.gsess(&["db", "url"]).success().stdout.clone();
    let sockets = url
        .trim()
        .split("host=")
        .nth(1)
        .expect("a socket directory");
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&home.0.join("data")), 0o700, "data directory");
    assert_eq!(
        mode(std::path::Path::new(sockets)),
        0o700,
        "socket directory"
    );
    // The server log holds statement text (patients' names in a failed statement): no one
    // else may read it, even when the home is left open for the server user.
    assert_eq!(mode(&home.0.join("postgres.log")) & 0o077, 0, "server log");
}

// ---------------------------------------------------------------------------------------
// 13. Passwords never leak
// ---------------------------------------------------------------------------------------

const SECRET: &str = "Hunter2-c0nn-Secret";

#[test]
fn a_password_never_reaches_an_error_a_log_or_the_audit() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let home = common::Home::new("attacks-password");
    let mut cluster = gsess::embedded::Cluster::at(home.0.clone()).expect("server binaries");
    cluster.extra_settings = vec![
        "listen_addresses = '127.0.0.1'".to_owned(),
        format!("port = {port}"),
        "password_encryption = 'scram-sha-256'".to_owned(),
        "log_statement = 'all'".to_owned(),
        "log_connections = on".to_owned(),
    ];
    cluster.ensure_running().expect("start the password server");
    // The socket is named after the port.
    let socket_url = |database: &str| format!("{}&port={port}", cluster.url(database));
    let superuser = socket_url("postgres");
    // Statements one by one on one connection: the server logs a simple query whole, and the
    // role's own password must be set where the log does not see it.
    let su = |statements: &[&str]| {
        runtime().block_on(async {
            let mut conn = PgConnection::connect(&superuser).await.unwrap();
            for sql in statements {
                sqlx::raw_sql(sqlx::AssertSqlSafe((*sql).to_owned()))
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
        })
    };
    su(&["CREATE DATABASE gsess_pw"]);
    let migrate = common::gsess_with(
        &[("DATABASE_URL", &socket_url("gsess_pw"))],
        &["db", "migrate"],
        None,
    );
    migrate.success();
    su(&[
        "SET log_statement = 'none'",
        &format!("CREATE ROLE alice LOGIN PASSWORD '{SECRET}'"),
        "GRANT \"gsess.admin\" TO alice",
    ]);
    let hba = cluster.data_dir().join("pg_hba.conf");
    std::fs::write(
        &hba,
        "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
    )
    .unwrap();
    su(&["SELECT pg_reload_conf()"]);

    let url = |password: &str, port: u16| {
        format!("postgresql://alice:{password}@127.0.0.1:{port}/gsess_pw?sslmode=disable")
    };
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let dataset = roll_call_dataset().to_string();
    let runs = [
        // Nothing listens there.
        common::gsess_with(
            &[("DATABASE_URL", &url(SECRET, closed))],
            &["-v", "--json", "whoami"],
            None,
        ),
        // No such host.
        common::gsess_with(
            &[(
                "DATABASE_URL",
                &format!("postgresql://alice:{SECRET}@host.invalid/gsess_pw"),
            )],
            &["-v", "--json", "whoami"],
            None,
        ),
        // The server refuses the password: the wrong one is a secret too.
        common::gsess_with(
            &[("DATABASE_URL", &url(&format!("{SECRET}x"), port))],
            &["-v", "--json", "whoami"],
            None,
        ),
        // Connected: an import (audited) and a refused command.
        common::gsess_with(
            &[("DATABASE_URL", &url(SECRET, port))],
            &["-v", "--json", "import", "-"],
            Some(&dataset),
        ),
        common::gsess_with(
            &[("DATABASE_URL", &url(SECRET, port))],
            &["-v", "--json", "mark", "1", "attended", "M001"],
            None,
        ),
        // The secret from the environment alone.
        common::gsess_with(
            &[
                (
                    "DATABASE_URL",
                    &format!("postgresql://alice@127.0.0.1:{closed}/gsess_pw"),
                ),
                ("PGPASSWORD", SECRET),
            ],
            &["-v", "--json", "whoami"],
            None,
        ),
    ];
    assert_eq!(
        runs.iter().map(|r| r.code).collect::<Vec<_>>(),
        [Some(9), Some(9), Some(9), Some(0), Some(6), Some(9)],
        "{runs:#?}"
    );
    for run in &runs {
        assert!(
            !run.stderr.contains("Hunter2") && !run.stdout.contains("Hunter2"),
            "{run:?}"
        );
    }
    let audit = runtime().block_on(async {
        let mut conn = PgConnection::connect(&socket_url("gsess_pw"))
            .await
            .unwrap();
        let text: String =
            sqlx::query_scalar("SELECT coalesce(json_agg(a), '[]')::text FROM audit_log a")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        text
    });
    assert!(
        audit.contains("\"import\""),
        "the import was audited: {audit}"
    );
    assert!(
        !audit.contains("Hunter2"),
        "the audit log holds the password"
    );
    let log = std::fs::read_to_string(home.0.join("postgres.log")).unwrap();
    assert!(
        log.contains("connection authorized: user=alice"),
        "the log shows alice's sessions"
    );
    let leaks: Vec<&str> = log.lines().filter(|l| l.contains("Hunter2")).collect();
    assert!(
        leaks.is_empty(),
        "the server log holds the password: {leaks:#?}"
    );
    cluster.stop().expect("stop the password server");
}
