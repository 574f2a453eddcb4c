-- Every change is audited (who, what, before/after). Attendance rows already are, by their
-- statement triggers; this audits the creation of a session — `gsess create`, an import, a
-- feed job or a hand-written INSERT alike — with one audit_log row per new session.
-- Set-based: an import inserting thousands of sessions costs one INSERT … SELECT here.
SET LOCAL ROLE gsess_owner;

CREATE FUNCTION group_session_created() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    -- actor (session_user) and the time come from the audit_log defaults.
    INSERT INTO audit_log (action, facility_id, session_id, after, reason)
    SELECT 'session.create', n.facility_id, n.id, to_jsonb(n),
           nullif(current_setting('gsess.reason', true), '')
      FROM new_rows n
     ORDER BY n.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER group_session_created AFTER INSERT ON group_session
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION group_session_created();

RESET ROLE;
