-- An import at scale: a 50 MB document adds a hundred thousand roster rows, and the supervisor
-- rows derived from them, in a handful of statements.
SET LOCAL ROLE gsess_owner;

-- A row entering a roster as SCHEDULED — every row an import or the supervisor derivation adds
-- — is checked once per statement instead of once per row (two queries a row: 1.5 s of a 50 MB
-- import's 10): attendance_statement_done locks the sessions the statement added rows to and
-- refuses it if one of them is locked, as the row trigger did. The statement is refused once
-- its rows are written rather than before the first (nothing stays written either way), so a
-- row that also breaks a constraint reports that first, and a row ON CONFLICT DO NOTHING skips
-- changes nothing and is not refused. The row trigger still checks changes and removals, and a
-- row entering in another status (which it refuses, after the lock).
DROP TRIGGER session_participant_guard ON session_participant;
CREATE TRIGGER session_participant_guard BEFORE UPDATE OR DELETE ON session_participant
    FOR EACH ROW EXECUTE FUNCTION attendance_row_guard();
CREATE TRIGGER session_participant_entry_guard BEFORE INSERT ON session_participant
    FOR EACH ROW WHEN (NEW.status <> 'SCHEDULED') EXECUTE FUNCTION attendance_row_guard();
DROP TRIGGER session_supervisor_guard ON session_supervisor;
CREATE TRIGGER session_supervisor_guard BEFORE UPDATE OR DELETE ON session_supervisor
    FOR EACH ROW EXECUTE FUNCTION attendance_row_guard();
CREATE TRIGGER session_supervisor_entry_guard BEFORE INSERT ON session_supervisor
    FOR EACH ROW WHEN (NEW.status <> 'SCHEDULED') EXECUTE FUNCTION attendance_row_guard();

-- As in 0010, with the check above, and with rows added or removed audited and their sessions
-- bumped straight from the transition table, like marks, instead of through a JSON array of
-- every row built and taken apart twice. One statement for the three kinds of change; only the
-- rows it reads differ.
CREATE OR REPLACE FUNCTION attendance_statement_done() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    row_kind text := CASE TG_TABLE_NAME WHEN 'session_participant' THEN 'roster' ELSE 'supervisor' END;
    action   text := row_kind || CASE TG_OP WHEN 'INSERT' THEN '.add' WHEN 'DELETE' THEN '.remove' ELSE '.mark' END;
    sessions bigint[];
    -- forced_in_this_transaction() is a query a row: ask it only if anything was forced.
    forcing  boolean := EXISTS (SELECT 1 FROM force_token t WHERE t.xact = pg_current_xact_id());
    -- (facility_id, session_id, before, after) of each row changed; a mark only if its status did.
    changed  text := CASE TG_OP
        WHEN 'INSERT' THEN
            'SELECT n.facility_id, n.session_id, NULL::jsonb AS before, to_jsonb(n) AS after
               FROM new_rows n'
        WHEN 'DELETE' THEN
            'SELECT o.facility_id, o.session_id, to_jsonb(o) AS before, NULL::jsonb AS after
               FROM old_rows o'
        ELSE
            'SELECT n.facility_id, n.session_id, to_jsonb(o) AS before, to_jsonb(n) AS after
               FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
              WHERE n.status IS DISTINCT FROM o.status'
    END;
    refused  bigint[];
    locked   bigint;
BEGIN
    EXECUTE format($sql$
        WITH c AS MATERIALIZED (%s), logged AS (
            -- A forced correction writes one summary entry itself instead of one per row.
            INSERT INTO audit_log (action, facility_id, session_id, member_id, before, after, reason)
            SELECT $1, c.facility_id, c.session_id,
                   (coalesce(c.after, c.before)->>'member_id')::bigint, c.before, c.after,
                   nullif(current_setting('gsess.reason', true), '')
              FROM c WHERE NOT ($2 AND forced_in_this_transaction(c.facility_id, c.session_id))
        ), bumped AS (
            UPDATE group_session g SET attendance_version = g.attendance_version + 1,
                                       billing_settled = false
              FROM (SELECT DISTINCT facility_id, session_id FROM c) t
             WHERE g.facility_id = t.facility_id AND g.id = t.session_id
            RETURNING g.id
        )
        SELECT array_agg(id ORDER BY id) FROM bumped
        $sql$, changed)
        INTO sessions USING action, forcing;
    IF TG_OP = 'INSERT' THEN
        -- As attendance_row_guard does for each row: the bump above locked the sessions (a
        -- claim is built under FOR UPDATE of its session); now look for a claim, in a statement
        -- of its own, which sees one committed while the bump waited. A claim lookup per
        -- session, not per row (materialized, or the test would be pushed down to every row);
        -- the error names the session of the first row refused, as the row trigger would have.
        WITH t AS MATERIALIZED (SELECT DISTINCT n.facility_id, n.session_id FROM new_rows n)
        SELECT array_agg(t.session_id) INTO refused
          FROM t
         WHERE session_is_locked(t.facility_id, t.session_id)
           AND NOT (forcing AND forced_in_this_transaction(t.facility_id, t.session_id));
        IF refused IS NOT NULL THEN
            SELECT n.session_id INTO locked FROM new_rows n WHERE n.session_id = ANY (refused) LIMIT 1;
            RAISE EXCEPTION USING ERRCODE = 'GS423',
                MESSAGE = format('session %s is locked: a claim exists for it', locked),
                HINT = 'a locked session is corrected with gsess force-update (scope clinical.attendance.write.force)';
        END IF;
    END IF;
    IF sessions IS NULL THEN
        RETURN NULL;
    END IF;

    -- Delivered on commit only: exactly what `preview --watch` and `billing watch` want.
    PERFORM pg_notify('gsess_attendance', s::text) FROM unnest(sessions) s;

    IF TG_TABLE_NAME = 'session_participant' AND TG_OP <> 'UPDATE' THEN
        PERFORM sync_session_supervisors(sessions);
    END IF;
    RETURN NULL;
END
$$;

RESET ROLE;
