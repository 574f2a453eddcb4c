-- Sizes past which a value is a mistake, enforced here too so a feed job or psql meets the
-- same refusal as gsess (src/rules/limits.rs has the same numbers): a reason holds at most
-- 2000 characters, and a session at most 100 participants.

SET LOCAL ROLE gsess_owner;

-- NOT VALID: rows already stored stay as they are; every new or changed row is checked.
ALTER TABLE accepted_exception
    ADD CONSTRAINT accepted_exception_reason_length
    CHECK (char_length(reason) <= 2000) NOT VALID;
ALTER TABLE force_token
    ADD CONSTRAINT force_token_reason_length
    CHECK (char_length(reason) <= 2000) NOT VALID;

-- One check per statement (not per row), over the sessions the statement added to: a bulk
-- load of many small rosters pays one grouped count.
CREATE FUNCTION roster_within_limit() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    crowded record;
BEGIN
    SELECT p.session_id, count(*) AS participants INTO crowded
      FROM session_participant p
     WHERE (p.facility_id, p.session_id) IN (SELECT DISTINCT facility_id, session_id FROM added)
     GROUP BY p.session_id
    HAVING count(*) > 100
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '23514',
            MESSAGE = format('session %s would have %s participants; at most 100',
                             crowded.session_id, crowded.participants);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER session_participant_roster_limit
    AFTER INSERT ON session_participant
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION roster_within_limit();

RESET ROLE;
