-- The session's state defined once, in SQL, for every query that needs it (list, the session
-- read, finalize, the attendance checks, the billing run): whether a claim locks it, and the
-- derived status (the first that applies: LOCKED, BILLED, READY, OPEN). The Rust rules module
-- derives the same status from an in-memory session; a test compares the two on every
-- combination of roster states, billed mark and claim.
SET LOCAL ROLE gsess_owner;

-- An invoker function without a SET clause, so calling it costs no role or setting switch;
-- the table is schema-qualified, so a temporary table named `claim` cannot shadow it. Every
-- scope can read claims; the definer triggers that call it run as the owner.
CREATE OR REPLACE FUNCTION session_is_locked(p_facility_id bigint, p_session_id bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (SELECT 1 FROM public.claim c
                    WHERE c.facility_id = p_facility_id AND c.session_id = p_session_id)
$$;

-- Pure, so PostgreSQL inlines it into the query that calls it.
CREATE FUNCTION session_status(p_locked boolean, p_billed boolean, p_scheduled_rows bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
             WHEN p_locked THEN 'LOCKED'
             WHEN p_billed THEN 'BILLED'
             WHEN p_scheduled_rows = 0 THEN 'READY'
             ELSE 'OPEN'
           END
$$;
GRANT EXECUTE ON FUNCTION session_status(boolean, boolean, bigint) TO "clinical.group-session.read";

RESET ROLE;
