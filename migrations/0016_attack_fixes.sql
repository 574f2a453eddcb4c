-- Holes found by trying each forbidden thing by hand as an ordinary login (tests/attacks.rs).
SET LOCAL ROLE gsess_owner;

-- A locked session's date is part of what was claimed (the claim's service date, the bands
-- and coverage of that day). The schedule guard compared every schedule column but the
-- local date, which it recomputes itself: a facility changing time zone re-dated its locked
-- sessions through it. The date now counts as schedule, however it would change.
CREATE OR REPLACE FUNCTION group_session_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    SELECT (NEW.starts_at AT TIME ZONE f.timezone)::date INTO NEW.local_date
      FROM facility f WHERE f.id = NEW.facility_id;
    IF TG_OP = 'UPDATE'
       AND (NEW.facility_id, NEW.group_type_id, NEW.starts_at, NEW.ends_at, NEW.place_of_service,
            NEW.local_date)
           IS DISTINCT FROM (OLD.facility_id, OLD.group_type_id, OLD.starts_at, OLD.ends_at,
                             OLD.place_of_service, OLD.local_date)
       AND session_is_locked(OLD.facility_id, OLD.id) THEN
        RAISE EXCEPTION USING ERRCODE = 'GS423',
            MESSAGE = format('session %s is locked (a claim exists): its schedule cannot change', OLD.id);
    END IF;
    RETURN NEW;
END
$$;

-- A facility whose sessions were claimed keeps its time zone: moving it would re-date them
-- (or, were they skipped, leave them on a calendar the facility no longer keeps). Refused
-- before anything is re-dated, saying how many sessions hold it.
CREATE OR REPLACE FUNCTION facility_timezone_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    locked bigint;
BEGIN
    SELECT count(*) INTO locked FROM group_session g
     WHERE g.facility_id = NEW.id AND session_is_locked(g.facility_id, g.id);
    IF locked > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'GS423',
            MESSAGE = format('facility %s has %s locked session%s (claims exist): its time zone '
                             'cannot change from %s to %s', NEW.code, locked,
                             CASE WHEN locked = 1 THEN '' ELSE 's' END, OLD.timezone, NEW.timezone),
            HINT = 'a claimed session keeps the date it was billed on';
    END IF;
    UPDATE group_session g SET local_date = (g.starts_at AT TIME ZONE NEW.timezone)::date
     WHERE g.facility_id = NEW.id;
    RETURN NULL;
END
$$;

-- ASSIGNMENT supervisor rows are derived from staff assignments by sync_session_supervisors(),
-- which runs as the schema owner; a writer may name a substitute (MANUAL) only. The column
-- grant lets a writer choose the source, so the rule is here. Not SECURITY DEFINER: it must
-- see who is inserting.
CREATE FUNCTION session_supervisor_source_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF NEW.source = 'ASSIGNMENT' AND current_user <> 'gsess_owner' THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = 'supervisor rows of source ASSIGNMENT are derived from staff assignments; '
                      'a substitute is added as MANUAL';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER session_supervisor_source_guard BEFORE INSERT ON session_supervisor
    FOR EACH ROW EXECUTE FUNCTION session_supervisor_source_guard();

RESET ROLE;

-- Charges are written only by sync_charges(), which refuses a locked session and checks each
-- charge against its participant, coverage and band. The billing role also held INSERT and
-- UPDATE on the table itself, so it could add or void a charge behind a claim by hand.
REVOKE INSERT, UPDATE ON charge FROM "clinical.billing.run";

-- A submitted claim becomes REPLACED or VOIDED only when its replacement (7) or void (8) is
-- sent. The guard let any SUBMITTED claim move on, so a billing login could mark a claim the
-- payer still holds as voided by hand, with nothing sent. Now the claim that does it must
-- exist: the one `claim submit` is sending in the same statement.
SET LOCAL ROLE gsess_owner;
CREATE OR REPLACE FUNCTION sent_claim_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    sent bigint;
BEGIN
    IF TG_TABLE_NAME = 'claim' THEN
        IF OLD.status = 'BUILT' THEN
            RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF TG_OP = 'DELETE'
           OR NEW.status = 'BUILT' OR (OLD.status <> 'SUBMITTED' AND NEW.status <> OLD.status)
           OR (NEW.status <> OLD.status AND NOT EXISTS (
                   SELECT 1 FROM claim k
                    WHERE k.facility_id = OLD.facility_id AND k.replaces_claim_id = OLD.id
                      AND k.frequency_code = CASE NEW.status WHEN 'REPLACED' THEN '7' ELSE '8' END))
           OR NEW.amount <> OLD.amount OR NEW.frequency_code <> OLD.frequency_code
           OR NEW.payer_id <> OLD.payer_id OR NEW.coverage_id <> OLD.coverage_id
           OR NEW.member_id <> OLD.member_id OR NEW.session_id <> OLD.session_id
           OR NEW.claim_control_number <> OLD.claim_control_number
           OR NEW.replaces_claim_id IS DISTINCT FROM OLD.replaces_claim_id
           OR NEW.original_claim_id IS DISTINCT FROM OLD.original_claim_id
           OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at
           OR NEW.edi_document_id IS DISTINCT FROM OLD.edi_document_id THEN
            RAISE EXCEPTION USING ERRCODE = 'GS423',
                MESSAGE = format('claim %s was submitted: what was sent is never edited (a correction '
                                 'replaces or voids it)', OLD.id);
        END IF;
        RETURN NEW;
    END IF;
    -- Lines, per statement: none of a submitted claim is added, changed or removed.
    IF TG_OP = 'INSERT' THEN
        SELECT c.id INTO sent FROM new_rows n
          JOIN claim c ON c.facility_id = n.facility_id AND c.id = n.claim_id
         WHERE c.status <> 'BUILT' LIMIT 1;
    ELSE
        SELECT c.id INTO sent FROM old_rows o
          JOIN claim c ON c.facility_id = o.facility_id AND c.id = o.claim_id
         WHERE c.status <> 'BUILT' LIMIT 1;
    END IF;
    IF sent IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'GS423',
            MESSAGE = format('claim %s was submitted: its lines are never edited', sent);
    END IF;
    RETURN NULL;
END
$$;
RESET ROLE;
