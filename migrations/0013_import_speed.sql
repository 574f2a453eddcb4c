-- An import at scale: a 50 MB document adds a hundred thousand roster rows, and the supervisor
-- rows derived from them, in a handful of statements.
SET LOCAL ROLE gsess_owner;

-- As in 0010, except that rows added or removed are audited and their sessions bumped straight
-- from the transition table, like marks, instead of through a JSON array of every row built and
-- taken apart again (two thirds of an import's time went there). One statement for the three
-- kinds of change; only the rows it reads differ.
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
