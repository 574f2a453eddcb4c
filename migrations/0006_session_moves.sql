-- Supervisors are derived from assignments active on the session's local date (SPEC §1.1):
-- when a session moves to another day (a re-imported feed row, a facility changing time
-- zone), derive them again. Locked sessions are frozen (the sync skips them).
SET LOCAL ROLE gsess_owner;

CREATE FUNCTION group_session_moved() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    moved bigint[];
BEGIN
    -- Every attendance change bumps its session's version (an UPDATE here): only a change
    -- of day is worth a sync.
    SELECT array_agg(n.id) INTO moved
      FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
     WHERE n.local_date IS DISTINCT FROM o.local_date;
    IF moved IS NOT NULL THEN
        PERFORM sync_session_supervisors(moved);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER group_session_moved AFTER UPDATE ON group_session
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION group_session_moved();

RESET ROLE;
