-- Acceptances (SPEC §2.2): who accepted or revoked is the database login, never a value the
-- caller supplies; only revoking may change a row; both are audited.
SET LOCAL ROLE gsess_owner;

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
    RETURN NULL;
END
$$;
CREATE TRIGGER accepted_exception_audit AFTER INSERT OR UPDATE ON accepted_exception
    FOR EACH ROW EXECUTE FUNCTION accepted_exception_audit();

RESET ROLE;
