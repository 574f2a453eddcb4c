-- The billing pipeline's part of the schema: which sessions still have billing work, the
-- one function that writes charges (for the billing run and for gsess's own attendance
-- writers re-syncing a BILLED session in the same transaction), and the audit of charges
-- and claims however they are written.
SET LOCAL ROLE gsess_owner;

-- A session is settled when the billing run left it with nothing to do: priced at its
-- current attendance, and either claimed or with nothing to claim and nothing held back.
-- Every attendance change unsettles it again (the statement trigger below), so the run's
-- work list is the unsettled sessions only and does not grow with history.
ALTER TABLE group_session ADD COLUMN billing_settled boolean NOT NULL DEFAULT false;
DROP INDEX group_session_ends;
CREATE INDEX group_session_billing_work ON group_session (ends_at, id) WHERE NOT billing_settled;

-- As in 0003, plus: an attendance change unsettles the session's billing.
CREATE OR REPLACE FUNCTION attendance_statement_done() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    row_kind text := CASE TG_TABLE_NAME WHEN 'session_participant' THEN 'roster' ELSE 'supervisor' END;
    action   text := row_kind || CASE TG_OP WHEN 'INSERT' THEN '.add' WHEN 'DELETE' THEN '.remove' ELSE '.mark' END;
    changes  jsonb;
    sessions bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('after', to_jsonb(n))) INTO changes FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_object('before', to_jsonb(o))) INTO changes FROM old_rows o;
    ELSE
        SELECT jsonb_agg(jsonb_build_object('before', to_jsonb(o), 'after', to_jsonb(n))) INTO changes
          FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
         WHERE n.status IS DISTINCT FROM o.status;
    END IF;
    IF changes IS NULL THEN
        RETURN NULL;
    END IF;

    WITH c AS (
        SELECT e->'before' AS before, e->'after' AS after,
               (coalesce(e->'after', e->'before')->>'facility_id')::bigint AS facility_id,
               (coalesce(e->'after', e->'before')->>'session_id')::bigint AS session_id,
               (coalesce(e->'after', e->'before')->>'member_id')::bigint AS member_id
          FROM jsonb_array_elements(changes) e
    )
    -- A forced correction writes one summary entry itself instead of one per row.
    INSERT INTO audit_log (action, facility_id, session_id, member_id, before, after, reason)
    SELECT action, c.facility_id, c.session_id, c.member_id, c.before, c.after,
           nullif(current_setting('gsess.reason', true), '')
      FROM c WHERE NOT forced_in_this_transaction(c.facility_id, c.session_id);

    WITH touched AS (
        SELECT DISTINCT (coalesce(e->'after', e->'before')->>'facility_id')::bigint AS facility_id,
                        (coalesce(e->'after', e->'before')->>'session_id')::bigint AS session_id
          FROM jsonb_array_elements(changes) e
    ), bumped AS (
        UPDATE group_session g SET attendance_version = g.attendance_version + 1,
                                   billing_settled = false
          FROM touched t WHERE g.facility_id = t.facility_id AND g.id = t.session_id
        RETURNING g.id
    )
    SELECT array_agg(id ORDER BY id) INTO sessions FROM bumped;

    -- Delivered on commit only: exactly what `preview --watch` and `billing watch` want.
    PERFORM pg_notify('gsess_attendance', s::text) FROM unnest(sessions) s;

    IF TG_TABLE_NAME = 'session_participant' AND TG_OP <> 'UPDATE' THEN
        PERFORM sync_session_supervisors(sessions);
    END IF;
    RETURN NULL;
END
$$;

-- The charges gsess's rules (in Rust) priced for some sessions, each at the attendance
-- version it read, as rows: `p_sessions` is [{facility_id, session_id, version, charges:
-- [{participant_id, coverage_id, band_id, procedure_code, modifiers, units, rate, amount}]}].
-- The member and the payer come from the participant row and the coverage, and are NULL when
-- the participant is not present on that session or the coverage is not that member's.
CREATE FUNCTION charges_wanted(p_sessions jsonb)
    RETURNS TABLE (facility_id bigint, session_id bigint, version bigint, participant_id bigint,
                   member_id bigint, payer_id bigint, coverage_id bigint, band_id bigint,
                   procedure_code text, modifiers text[], units integer, rate numeric,
                   amount numeric)
    LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT (e->>'facility_id')::bigint, (e->>'session_id')::bigint, (e->>'version')::bigint,
           (c->>'participant_id')::bigint, p.member_id, v.payer_id, (c->>'coverage_id')::bigint,
           (c->>'band_id')::bigint, c->>'procedure_code',
           ARRAY(SELECT jsonb_array_elements_text(c->'modifiers')),
           (c->>'units')::integer, (c->>'rate')::numeric, (c->>'amount')::numeric
      FROM jsonb_array_elements(p_sessions) e
     CROSS JOIN jsonb_array_elements(e->'charges') c
      LEFT JOIN session_participant p
        ON p.facility_id = (e->>'facility_id')::bigint AND p.id = (c->>'participant_id')::bigint
       AND p.session_id = (e->>'session_id')::bigint AND p.status IN ('ATTENDED', 'LATE')
      LEFT JOIN coverage_policy v ON v.id = (c->>'coverage_id')::bigint AND v.member_id = p.member_id
$$;

-- Make each given session's active charges exactly the ones priced for it: void what no
-- longer applies, insert what is new, leave an unchanged charge (and its id) alone. Checked
-- here, without the rules: the session is unlocked and still at the version it was priced at
-- (else 40001: read it again), a first pricing comes from the billing run, and every charge
-- is for a participant present on that session, with a coverage of that member and a band of
-- that coverage's payer at the band's own code and rate. No temporary tables: a caller's own
-- temporary table of the same name must never be written with this function's rights.
CREATE FUNCTION sync_charges(p_sessions jsonb)
    RETURNS TABLE (session_id bigint, voided bigint[], built bigint[])
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    bad       record;
    voided_by jsonb;
    built_by  jsonb;
BEGIN
    -- The sessions, locked in id order as every writer locks them.
    PERFORM 1
       FROM group_session g
       JOIN jsonb_to_recordset(p_sessions) AS t(facility_id bigint, session_id bigint)
         ON g.facility_id = t.facility_id AND g.id = t.session_id
      ORDER BY g.id
        FOR NO KEY UPDATE OF g;

    SELECT t.session_id AS id, g.id IS NULL AS missing,
           g.id IS NOT NULL AND session_is_locked(t.facility_id, t.session_id) AS locked,
           g.billed_at IS NULL AND NOT pg_has_role(session_user, 'clinical.billing.run', 'USAGE')
               AS unpriced,
           g.attendance_version IS DISTINCT FROM t.version AS moved
      INTO bad
      FROM jsonb_to_recordset(p_sessions) AS t(facility_id bigint, session_id bigint, version bigint)
      LEFT JOIN group_session g ON g.facility_id = t.facility_id AND g.id = t.session_id
     WHERE g.id IS NULL OR session_is_locked(t.facility_id, t.session_id)
        OR g.attendance_version IS DISTINCT FROM t.version
        OR (g.billed_at IS NULL AND NOT pg_has_role(session_user, 'clinical.billing.run', 'USAGE'))
     ORDER BY t.session_id
     LIMIT 1;
    IF FOUND THEN
        IF bad.missing THEN
            RAISE EXCEPTION USING ERRCODE = 'GS404', MESSAGE = format('no session %s', bad.id);
        ELSIF bad.locked THEN
            RAISE EXCEPTION USING ERRCODE = 'GS423',
                MESSAGE = format('session %s is locked: its charges change only with its claims', bad.id);
        ELSIF bad.unpriced THEN
            RAISE EXCEPTION USING ERRCODE = '42501',
                MESSAGE = format('session %s is not billed yet: the billing run prices it first', bad.id);
        ELSE
            RAISE EXCEPTION USING ERRCODE = '40001',
                MESSAGE = format('session %s changed since its charges were priced: read it again', bad.id);
        END IF;
    END IF;

    SELECT w.session_id, w.participant_id INTO bad
      FROM charges_wanted(p_sessions) w
      LEFT JOIN size_band b ON b.id = w.band_id AND b.payer_id = w.payer_id
     WHERE w.member_id IS NULL OR w.payer_id IS NULL OR b.id IS NULL
        OR b.procedure_code <> w.procedure_code OR b.modifiers <> w.modifiers OR b.rate <> w.rate
        OR w.units < 1 OR w.amount <> w.rate * w.units
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('session %s: the charge for roster row %s does not match its participant, coverage and band',
                             bad.session_id, bad.participant_id);
    END IF;

    WITH v AS (
        UPDATE charge c SET status = 'VOID', voided_at = now()
          FROM jsonb_to_recordset(p_sessions) AS t(facility_id bigint, session_id bigint)
         WHERE c.facility_id = t.facility_id AND c.session_id = t.session_id AND c.status = 'ACTIVE'
           AND NOT EXISTS (
               SELECT 1 FROM charges_wanted(p_sessions) w
                WHERE w.facility_id = c.facility_id AND w.session_id = c.session_id
                  AND w.participant_id = c.participant_id AND w.coverage_id = c.coverage_id
                  AND w.band_id = c.band_id AND w.procedure_code = c.procedure_code
                  AND w.modifiers = c.modifiers AND w.units = c.units AND w.rate = c.rate
                  AND w.amount = c.amount)
        RETURNING c.session_id, c.id
    )
    SELECT coalesce(jsonb_object_agg(x.session_id, x.ids), '{}') INTO voided_by
      FROM (SELECT v.session_id, jsonb_agg(v.id ORDER BY v.id) AS ids FROM v GROUP BY v.session_id) x;

    -- What is still active is unchanged; the rest of what was priced is new.
    WITH b AS (
        INSERT INTO charge (facility_id, session_id, participant_id, member_id, payer_id,
                            coverage_id, band_id, procedure_code, modifiers, units, rate, amount,
                            priced_version)
        SELECT w.facility_id, w.session_id, w.participant_id, w.member_id, w.payer_id,
               w.coverage_id, w.band_id, w.procedure_code, w.modifiers, w.units, w.rate, w.amount,
               w.version
          FROM charges_wanted(p_sessions) w
         WHERE NOT EXISTS (SELECT 1 FROM charge c
                            WHERE c.facility_id = w.facility_id AND c.session_id = w.session_id
                              AND c.participant_id = w.participant_id AND c.status = 'ACTIVE')
         ORDER BY w.session_id, w.participant_id
        RETURNING charge.session_id, charge.id
    )
    SELECT coalesce(jsonb_object_agg(x.session_id, x.ids), '{}') INTO built_by
      FROM (SELECT b.session_id, jsonb_agg(b.id ORDER BY b.id) AS ids FROM b GROUP BY b.session_id) x;

    UPDATE group_session g SET billed_at = coalesce(g.billed_at, now()), billed_version = t.version
      FROM jsonb_to_recordset(p_sessions) AS t(facility_id bigint, session_id bigint, version bigint)
     WHERE g.facility_id = t.facility_id AND g.id = t.session_id;

    RETURN QUERY
    SELECT t.session_id,
           ARRAY(SELECT jsonb_array_elements_text(coalesce(voided_by -> t.session_id::text, '[]'))::bigint),
           ARRAY(SELECT jsonb_array_elements_text(coalesce(built_by -> t.session_id::text, '[]'))::bigint)
      FROM jsonb_to_recordset(p_sessions) AS t(session_id bigint)
     ORDER BY t.session_id;
END
$$;

-- Charges and claims are audited however they are written (the billing run, a correction,
-- or a hand-written statement): one entry per row, set-based per statement.
CREATE FUNCTION billing_rows_audited() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    kind text := CASE TG_TABLE_NAME WHEN 'charge' THEN 'charge' ELSE 'claim' END;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (action, facility_id, session_id, claim_id, member_id, after, reason)
        SELECT kind || '.build', n.facility_id, n.session_id,
               CASE kind WHEN 'claim' THEN n.id END, n.member_id, to_jsonb(n),
               nullif(current_setting('gsess.reason', true), '')
          FROM new_rows n ORDER BY n.id;
    ELSE
        INSERT INTO audit_log (action, facility_id, session_id, claim_id, member_id, before, after, reason)
        SELECT kind || CASE WHEN kind = 'charge' AND n.status = 'VOID' THEN '.void' ELSE '.update' END,
               n.facility_id, n.session_id, CASE kind WHEN 'claim' THEN n.id END, n.member_id,
               to_jsonb(o), to_jsonb(n), nullif(current_setting('gsess.reason', true), '')
          FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
         WHERE to_jsonb(n) IS DISTINCT FROM to_jsonb(o)
         ORDER BY n.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER charge_inserted AFTER INSERT ON charge
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_rows_audited();
CREATE TRIGGER charge_updated AFTER UPDATE ON charge
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_rows_audited();
CREATE TRIGGER claim_inserted AFTER INSERT ON claim
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_rows_audited();
CREATE TRIGGER claim_updated AFTER UPDATE ON claim
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_rows_audited();

-- One entry per billing run (its window and what it did), on behalf of the billing login.
CREATE FUNCTION audit_billing_run(p_summary jsonb) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO audit_log (action, after) VALUES ('billing.run', p_summary) RETURNING id
$$;

RESET ROLE;

-- Who may price: the billing run, and the attendance writers re-syncing a BILLED session in
-- the transaction of their change (the function refuses a writer's first pricing).
GRANT EXECUTE ON FUNCTION sync_charges(jsonb) TO "clinical.attendance.write", "clinical.billing.run";
GRANT EXECUTE ON FUNCTION audit_billing_run(jsonb) TO "clinical.billing.run";
GRANT UPDATE (billing_settled) ON group_session TO "clinical.billing.run";

-- Reading claims: a chain by its original, a member's claims, the work list of unsent ones.
SET LOCAL ROLE gsess_owner;
CREATE INDEX claim_chain ON claim (facility_id, original_claim_id) WHERE original_claim_id IS NOT NULL;
CREATE INDEX claim_member ON claim (member_id);
CREATE INDEX claim_unsent ON claim (facility_id, id) WHERE status = 'BUILT';
RESET ROLE;
