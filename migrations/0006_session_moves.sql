-- Supervisors are derived from assignments active on the session's local date (SPEC §1.1):
-- when a session moves to another day (a re-imported feed row, a facility changing time
-- zone), derive them again. Locked sessions are frozen (the sync skips them).
SET LOCAL ROLE gsess_owner;

CREATE FUNCTION group_session_moved() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    PERFORM sync_session_supervisors(array_agg(n.id))
       FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
      WHERE n.local_date IS DISTINCT FROM o.local_date;
    RETURN NULL;
END
$$;
CREATE TRIGGER group_session_moved AFTER UPDATE ON group_session
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION group_session_moved();

RESET ROLE;
