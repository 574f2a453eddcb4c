-- Acceptances (SPEC §2.2): who accepted or revoked is the database login, never a value the
-- caller supplies; only revoking may change a row; both are audited.
SET LOCAL ROLE gsess_owner;

-- Only codes SPEC §2.2 lets be accepted, each about what its scope names: a payer-scoped
-- code names a payer, a member-scoped one a member, a session-scoped one neither.
ALTER TABLE accepted_exception
    ADD CONSTRAINT accepted_exception_code_acceptable CHECK (code IN (
        'SUPERVISION_RATIO_BREACH', 'GROUP_SIZE_BAND_MISMATCH', 'GROUP_SIZE_ABOVE_MAXIMUM',
        'NO_SUPERVISOR_ASSIGNED', 'NO_COVERAGE')),
    ADD CONSTRAINT accepted_exception_scope CHECK (CASE
        WHEN code = 'NO_COVERAGE' THEN member_id IS NOT NULL AND payer_id IS NULL
        WHEN code = 'NO_SUPERVISOR_ASSIGNED' THEN member_id IS NULL AND payer_id IS NULL
        ELSE payer_id IS NOT NULL AND member_id IS NULL
    END);

CREATE FUNCTION accepted_exception_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.accepted_by := session_user;
        NEW.accepted_at := now();
        NEW.revoked_by := NULL;
        NEW.revoked_at := NULL;
        RETURN NEW;
    END IF;
    IF OLD.revoked_at IS NOT NULL
       OR (to_jsonb(NEW) - 'revoked_by' - 'revoked_at') <> (to_jsonb(OLD) - 'revoked_by' - 'revoked_at') THEN
        RAISE EXCEPTION USING ERRCODE = 'GS409',
            MESSAGE = format('acceptance %s: only a live acceptance can be revoked, and nothing else changes', OLD.id);
    END IF;
    NEW.revoked_by := session_user;
    NEW.revoked_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER accepted_exception_guard BEFORE INSERT OR UPDATE ON accepted_exception
    FOR EACH ROW EXECUTE FUNCTION accepted_exception_guard();

CREATE FUNCTION accepted_exception_audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    INSERT INTO audit_log (action, facility_id, session_id, member_id, before, after, reason)
    VALUES (CASE TG_OP WHEN 'INSERT' THEN 'accept' ELSE 'accept.revoke' END,
            NEW.facility_id, NEW.session_id, NEW.member_id,
            CASE TG_OP WHEN 'UPDATE' THEN to_jsonb(OLD) END, to_jsonb(NEW),
            coalesce(nullif(current_setting('gsess.reason', true), ''), NEW.reason));
    -- The preview changes with it: `preview --watch` re-renders (delivered on commit).
    PERFORM pg_notify('gsess_attendance', NEW.session_id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER accepted_exception_audit AFTER INSERT OR UPDATE ON accepted_exception
    FOR EACH ROW EXECUTE FUNCTION accepted_exception_audit();

RESET ROLE;
