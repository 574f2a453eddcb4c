-- The rules the database enforces itself, so a hand-written statement (psql, a feed job,
-- the web platform) meets the same refusals as gsess:
--   GS409  illegal attendance transition / a roster row that would move (gsess exit 4)
--   GS423  attendance change on a locked session outside the forced correction (exit 5)
--   GS405  the audit log is append-only
SET LOCAL ROLE gsess_owner;

-- The attendance transition table (SPEC §1.2). gsess's rules module holds the same table;
-- a test compares the two for all 16 pairs.
CREATE TABLE attendance_transition (
    from_status attendance_status NOT NULL,
    to_status   attendance_status NOT NULL,
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO attendance_transition VALUES
    ('SCHEDULED', 'ATTENDED'), ('SCHEDULED', 'ABSENT'), ('SCHEDULED', 'LATE'),
    ('ATTENDED', 'ABSENT'), ('ATTENDED', 'LATE'),
    ('LATE', 'ATTENDED'), ('LATE', 'ABSENT'),
    ('ABSENT', 'ATTENDED'), ('ABSENT', 'LATE');

CREATE FUNCTION session_is_locked(p_facility_id bigint, p_session_id bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM claim c WHERE c.facility_id = p_facility_id AND c.session_id = p_session_id)
$$;

-- A force token exists only inside force_attendance(), for its own transaction.
CREATE FUNCTION forced_in_this_transaction(p_facility_id bigint, p_session_id bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM force_token t
                   WHERE t.xact = pg_current_xact_id()
                     AND t.facility_id = p_facility_id AND t.session_id = p_session_id)
$$;

-- ---------------------------------------------------------------------------------------
-- group_session: keep the local date, freeze a locked session's schedule
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION group_session_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.facility_id, NEW.group_type_id, NEW.starts_at, NEW.ends_at, NEW.place_of_service)
           IS DISTINCT FROM (OLD.facility_id, OLD.group_type_id, OLD.starts_at, OLD.ends_at, OLD.place_of_service)
       AND session_is_locked(OLD.facility_id, OLD.id) THEN
        RAISE EXCEPTION USING ERRCODE = 'GS423',
            MESSAGE = format('session %s is locked (a claim exists): its schedule cannot change', OLD.id);
    END IF;
    SELECT (NEW.starts_at AT TIME ZONE f.timezone)::date INTO NEW.local_date
      FROM facility f WHERE f.id = NEW.facility_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER group_session_guard BEFORE INSERT OR UPDATE ON group_session
    FOR EACH ROW EXECUTE FUNCTION group_session_guard();

CREATE FUNCTION facility_timezone_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    UPDATE group_session g SET local_date = (g.starts_at AT TIME ZONE NEW.timezone)::date
     WHERE g.facility_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER facility_timezone_changed AFTER UPDATE OF timezone ON facility
    FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION facility_timezone_changed();

-- ---------------------------------------------------------------------------------------
-- Attendance rows: the transition table, the lock, immutability — per row
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION attendance_row_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    row_kind    text := CASE TG_TABLE_NAME WHEN 'session_participant' THEN 'roster' ELSE 'supervisor' END;
    facility    bigint;
    session     bigint;
    allowed     text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        facility := OLD.facility_id; session := OLD.session_id;
    ELSE
        facility := NEW.facility_id; session := NEW.session_id;
    END IF;

    -- Deleting a staff assignment clears the link it left on supervisor rows (ON DELETE SET
    -- NULL): bookkeeping, not attendance, so neither the lock nor the transitions apply.
    IF TG_OP = 'UPDATE' AND NEW.status = OLD.status
       AND to_jsonb(NEW) -> 'assignment_id' IS DISTINCT FROM to_jsonb(OLD) -> 'assignment_id'
       AND (to_jsonb(NEW) - 'assignment_id') = (to_jsonb(OLD) - 'assignment_id') THEN
        RETURN NEW;
    END IF;

    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - 'status' - 'updated_at') <> (to_jsonb(OLD) - 'status' - 'updated_at') THEN
        RAISE EXCEPTION USING ERRCODE = 'GS409',
            MESSAGE = format('%s row %s: only its status may change (session, member and provider are fixed)',
                             row_kind, OLD.id);
    END IF;

    -- Serialise with the claim build (which takes FOR UPDATE on the session and reads
    -- attendance only after): a change cannot slip in between "no claim" and "claim built".
    -- NO KEY UPDATE rather than SHARE: the statement trigger bumps the session's version
    -- next, and two SHARE holders upgrading at once would deadlock.
    PERFORM 1 FROM group_session g WHERE g.facility_id = facility AND g.id = session FOR NO KEY UPDATE;

    -- The lock is reported before the transition (SPEC §1.2).
    IF session_is_locked(facility, session) AND NOT forced_in_this_transaction(facility, session) THEN
        RAISE EXCEPTION USING ERRCODE = 'GS423',
            MESSAGE = format('session %s is locked: a claim exists for it', session),
            HINT = 'a locked session is corrected with gsess force-update (scope clinical.attendance.write.force)';
    END IF;

    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'SCHEDULED' THEN
            RAISE EXCEPTION USING ERRCODE = 'GS409',
                MESSAGE = format('%s rows enter a session only as SCHEDULED, not %s', row_kind, NEW.status);
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'SCHEDULED' THEN
            RAISE EXCEPTION USING ERRCODE = 'GS409',
                MESSAGE = format('%s row %s is %s: only SCHEDULED rows can be removed', row_kind, OLD.id, OLD.status);
        END IF;
        RETURN OLD;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM attendance_transition t
                   WHERE t.from_status = OLD.status AND t.to_status = NEW.status) THEN
        SELECT string_agg(t.to_status, ', ' ORDER BY t.to_status) INTO allowed
          FROM attendance_transition t WHERE t.from_status = OLD.status;
        RAISE EXCEPTION USING ERRCODE = 'GS409',
            MESSAGE = format('illegal attendance transition %s -> %s for %s row %s',
                             OLD.status, NEW.status, row_kind, OLD.id),
            DETAIL = format('allowed next: %s', allowed);
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER session_participant_guard BEFORE INSERT OR UPDATE OR DELETE ON session_participant
    FOR EACH ROW EXECUTE FUNCTION attendance_row_guard();
CREATE TRIGGER session_supervisor_guard BEFORE INSERT OR UPDATE OR DELETE ON session_supervisor
    FOR EACH ROW EXECUTE FUNCTION attendance_row_guard();

-- ---------------------------------------------------------------------------------------
-- Supervisors are derived (SPEC §1.1): every distinct provider with a SUPERVISING assignment
-- active on the session's local date to any roster member. Rows are materialised so they
-- can carry attendance; locked sessions are frozen.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION sync_session_supervisors(p_session_ids bigint[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    WITH target AS (
        SELECT s.facility_id, s.id, s.local_date
          FROM group_session s
         WHERE s.id = ANY (p_session_ids) AND NOT session_is_locked(s.facility_id, s.id)
    ), wanted AS (
        SELECT DISTINCT ON (t.id, a.provider_id) t.facility_id, t.id AS session_id, a.provider_id, a.id AS assignment_id
          FROM target t
          JOIN session_participant p ON p.facility_id = t.facility_id AND p.session_id = t.id
          JOIN staff_assignment a ON a.member_id = p.member_id AND a.role = 'SUPERVISING'
                                 AND (a.start_date IS NULL OR a.start_date <= t.local_date)
                                 AND (a.end_date IS NULL OR a.end_date >= t.local_date)
         ORDER BY t.id, a.provider_id, p.id, a.id
    ), stale AS (
        DELETE FROM session_supervisor x
         USING target t
         WHERE x.facility_id = t.facility_id AND x.session_id = t.id
           AND x.source = 'ASSIGNMENT' AND x.status = 'SCHEDULED'
           AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.session_id = x.session_id AND w.provider_id = x.provider_id)
    )
    INSERT INTO session_supervisor (facility_id, session_id, provider_id, source, assignment_id)
    SELECT w.facility_id, w.session_id, w.provider_id, 'ASSIGNMENT', w.assignment_id FROM wanted w
    ON CONFLICT (facility_id, session_id, provider_id) DO NOTHING;
END
$$;

CREATE FUNCTION staff_assignment_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    members bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT n.member_id) INTO members FROM new_rows n WHERE n.role = 'SUPERVISING';
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT o.member_id) INTO members FROM old_rows o WHERE o.role = 'SUPERVISING';
    ELSE
        SELECT array_agg(DISTINCT m) INTO members
          FROM (SELECT n.member_id AS m FROM new_rows n UNION SELECT o.member_id FROM old_rows o) x;
    END IF;
    IF members IS NOT NULL THEN
        PERFORM sync_session_supervisors(array_agg(DISTINCT p.session_id))
           FROM session_participant p WHERE p.member_id = ANY (members);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER staff_assignment_inserted AFTER INSERT ON staff_assignment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION staff_assignment_changed();
CREATE TRIGGER staff_assignment_updated AFTER UPDATE ON staff_assignment
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION staff_assignment_changed();
CREATE TRIGGER staff_assignment_deleted AFTER DELETE ON staff_assignment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION staff_assignment_changed();

-- ---------------------------------------------------------------------------------------
-- Attendance rows, per statement: audit, version bump, NOTIFY, supervisor derivation.
-- Set-based so a bulk finalize of thousands of rows costs a handful of statements.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION attendance_statement_done() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    row_kind text := CASE TG_TABLE_NAME WHEN 'session_participant' THEN 'roster' ELSE 'supervisor' END;
    action   text := row_kind || CASE TG_OP WHEN 'INSERT' THEN '.add' WHEN 'DELETE' THEN '.remove' ELSE '.mark' END;
    changes  jsonb;
    sessions bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('after', to_jsonb(n))) INTO changes FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_object('before', to_jsonb(o))) INTO changes FROM old_rows o;
    ELSE
        SELECT jsonb_agg(jsonb_build_object('before', to_jsonb(o), 'after', to_jsonb(n))) INTO changes
          FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
         WHERE n.status IS DISTINCT FROM o.status;
    END IF;
    IF changes IS NULL THEN
        RETURN NULL;
    END IF;

    WITH c AS (
        SELECT e->'before' AS before, e->'after' AS after,
               (coalesce(e->'after', e->'before')->>'facility_id')::bigint AS facility_id,
               (coalesce(e->'after', e->'before')->>'session_id')::bigint AS session_id,
               (coalesce(e->'after', e->'before')->>'member_id')::bigint AS member_id
          FROM jsonb_array_elements(changes) e
    )
    -- A forced correction writes one summary entry itself instead of one per row.
    INSERT INTO audit_log (action, facility_id, session_id, member_id, before, after, reason)
    SELECT action, c.facility_id, c.session_id, c.member_id, c.before, c.after,
           nullif(current_setting('gsess.reason', true), '')
      FROM c WHERE NOT forced_in_this_transaction(c.facility_id, c.session_id);

    WITH touched AS (
        SELECT DISTINCT (coalesce(e->'after', e->'before')->>'facility_id')::bigint AS facility_id,
                        (coalesce(e->'after', e->'before')->>'session_id')::bigint AS session_id
          FROM jsonb_array_elements(changes) e
    ), bumped AS (
        UPDATE group_session g SET attendance_version = g.attendance_version + 1
          FROM touched t WHERE g.facility_id = t.facility_id AND g.id = t.session_id
        RETURNING g.id
    )
    SELECT array_agg(id ORDER BY id) INTO sessions FROM bumped;

    -- Delivered on commit only: exactly what `preview --watch` and `billing watch` want.
    PERFORM pg_notify('gsess_attendance', s::text) FROM unnest(sessions) s;

    IF TG_TABLE_NAME = 'session_participant' AND TG_OP <> 'UPDATE' THEN
        PERFORM sync_session_supervisors(sessions);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER session_participant_inserted AFTER INSERT ON session_participant
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_statement_done();
CREATE TRIGGER session_participant_updated AFTER UPDATE ON session_participant
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_statement_done();
CREATE TRIGGER session_participant_deleted AFTER DELETE ON session_participant
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_statement_done();
CREATE TRIGGER session_supervisor_inserted AFTER INSERT ON session_supervisor
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_statement_done();
CREATE TRIGGER session_supervisor_updated AFTER UPDATE ON session_supervisor
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_statement_done();
CREATE TRIGGER session_supervisor_deleted AFTER DELETE ON session_supervisor
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_statement_done();

-- ---------------------------------------------------------------------------------------
-- The audit log is append-only; entries come only from definer triggers and functions.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'GS405', MESSAGE = format('the audit log is append-only: %s refused', TG_OP);
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- One entry per import, written on behalf of gsess.admin (who cannot write the log directly).
CREATE FUNCTION audit_import(p_summary jsonb) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO audit_log (action, after) VALUES ('import', p_summary) RETURNING id
$$;

-- Used by the forced-correction function, which belongs to another role.
CREATE FUNCTION audit_forced_correction(p_facility_id bigint, p_session_id bigint, p_before jsonb,
                                        p_after jsonb, p_reason text) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO audit_log (action, facility_id, session_id, before, after, reason, forced)
    VALUES ('attendance.force', p_facility_id, p_session_id, p_before, p_after, p_reason, true)
    RETURNING id
$$;

-- ---------------------------------------------------------------------------------------
-- The forced correction of a locked session (SPEC §4). It belongs to gsess_force, the only
-- role that can write a force token; EXECUTE is granted to clinical.attendance.write.force.
-- ---------------------------------------------------------------------------------------
CREATE FUNCTION force_attendance(p_session_id bigint, p_status text, p_participant_ids bigint[],
                                 p_supervisor_ids bigint[], p_reason text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    facility bigint;
    before   jsonb;
    after    jsonb;
    changed  integer;
    audit_id bigint;
BEGIN
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'a forced correction needs a reason';
    END IF;
    SELECT g.facility_id INTO facility FROM group_session g WHERE g.id = p_session_id FOR NO KEY UPDATE;
    IF facility IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'GS404', MESSAGE = format('no session %s', p_session_id);
    END IF;

    INSERT INTO force_token (facility_id, session_id, reason) VALUES (facility, p_session_id, p_reason);

    SELECT jsonb_build_object(
             'roster', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'member_id', p.member_id, 'status', p.status) ORDER BY p.id), '[]')
                          FROM session_participant p WHERE p.facility_id = facility AND p.session_id = p_session_id AND p.id = ANY (p_participant_ids)),
             'supervisors', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'provider_id', s.provider_id, 'status', s.status) ORDER BY s.id), '[]')
                          FROM session_supervisor s WHERE s.facility_id = facility AND s.session_id = p_session_id AND s.id = ANY (p_supervisor_ids)))
      INTO before;

    UPDATE session_participant p SET status = p_status
     WHERE p.facility_id = facility AND p.session_id = p_session_id AND p.id = ANY (p_participant_ids);
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed <> coalesce(cardinality(p_participant_ids), 0) THEN
        RAISE EXCEPTION USING ERRCODE = 'GS404', MESSAGE = 'a roster row named is not on this session';
    END IF;
    UPDATE session_supervisor s SET status = p_status
     WHERE s.facility_id = facility AND s.session_id = p_session_id AND s.id = ANY (p_supervisor_ids);
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed <> coalesce(cardinality(p_supervisor_ids), 0) THEN
        RAISE EXCEPTION USING ERRCODE = 'GS404', MESSAGE = 'a supervisor row named is not on this session';
    END IF;

    SELECT jsonb_set(jsonb_set(before, '{roster}',
             (SELECT coalesce(jsonb_agg(r || jsonb_build_object('status', p_status)), '[]') FROM jsonb_array_elements(before->'roster') r)),
             '{supervisors}',
             (SELECT coalesce(jsonb_agg(r || jsonb_build_object('status', p_status)), '[]') FROM jsonb_array_elements(before->'supervisors') r))
      INTO after;
    audit_id := audit_forced_correction(facility, p_session_id, before, after, p_reason);

    -- The token lives only as long as the function: nothing after it in the transaction is forced.
    DELETE FROM force_token t WHERE t.xact = pg_current_xact_id() AND t.session_id = p_session_id;
    RETURN audit_id;
END
$$;

RESET ROLE;
ALTER FUNCTION force_attendance(bigint, text, bigint[], bigint[], text) OWNER TO gsess_force;
