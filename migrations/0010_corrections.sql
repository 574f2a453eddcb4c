-- Corrections after billing, and the billing run at production scale.
--
-- At scale: the attendance and billing audit triggers ask whether anything was forced once per
-- statement; a session's charges are audited one entry per session and kind of change; the
-- charge sync reads what was priced once; claim ids are drawn before their lines are written;
-- group_session's row triggers fire only when what they look after changes.
--
-- Corrections: `force_correction()`, the one way to change a locked session's attendance,
-- re-prices its charges and rebuilds its claims in the same call (an unsubmitted claim in
-- place, a submitted one by a replacement 7 or a void 8, a newly billable member by a new
-- original); the scrubber's Validation lists are stored through one function both the billing
-- run and a correction use; and submissions and acknowledgements of claims go through
-- functions that keep a claim chain's statuses straight.
SET LOCAL ROLE gsess_owner;

-- As in 0009, asking whether anything was forced once per statement rather than per row, and
-- reading a mark's changes straight from the transition tables.
CREATE OR REPLACE FUNCTION attendance_statement_done() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    row_kind text := CASE TG_TABLE_NAME WHEN 'session_participant' THEN 'roster' ELSE 'supervisor' END;
    action   text := row_kind || CASE TG_OP WHEN 'INSERT' THEN '.add' WHEN 'DELETE' THEN '.remove' ELSE '.mark' END;
    changes  jsonb;
    sessions bigint[];
    -- forced_in_this_transaction() is a query a row: ask it only if anything was forced.
    forcing  boolean := EXISTS (SELECT 1 FROM force_token t WHERE t.xact = pg_current_xact_id());
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Marks, the bulk path (a finalize batch is thousands of rows): audit and version bump
        -- straight from the transition tables, in one statement.
        WITH c AS MATERIALIZED (
            SELECT n.facility_id, n.session_id, (to_jsonb(n)->>'member_id')::bigint AS member_id,
                   to_jsonb(o) AS before, to_jsonb(n) AS after
              FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
             WHERE n.status IS DISTINCT FROM o.status
        ), logged AS (
            -- A forced correction writes one summary entry itself instead of one per row.
            INSERT INTO audit_log (action, facility_id, session_id, member_id, before, after, reason)
            SELECT action, c.facility_id, c.session_id, c.member_id, c.before, c.after,
                   nullif(current_setting('gsess.reason', true), '')
              FROM c WHERE NOT (forcing AND forced_in_this_transaction(c.facility_id, c.session_id))
        ), bumped AS (
            UPDATE group_session g SET attendance_version = g.attendance_version + 1,
                                       billing_settled = false
              FROM (SELECT DISTINCT facility_id, session_id FROM c) t
             WHERE g.facility_id = t.facility_id AND g.id = t.session_id
            RETURNING g.id
        )
        SELECT array_agg(id ORDER BY id) INTO sessions FROM bumped;
        PERFORM pg_notify('gsess_attendance', s::text) FROM unnest(sessions) s;
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('after', to_jsonb(n))) INTO changes FROM new_rows n;
    ELSE
        SELECT jsonb_agg(jsonb_build_object('before', to_jsonb(o))) INTO changes FROM old_rows o;
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
      FROM c WHERE NOT (forcing AND forced_in_this_transaction(c.facility_id, c.session_id));

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

-- As in 0009, except that a forced correction re-prices the locked session it corrects, in
-- its own transaction (its force token is the proof).
-- Make each given session's active charges exactly the ones priced for it: void what no
-- longer applies, insert what is new, leave an unchanged charge (and its id) alone. Checked
-- here, without the rules: the session is unlocked and still at the version it was priced at
-- (else 40001: read it again), a first pricing comes from the billing run, and every charge
-- is for a participant present on that session, with a coverage of that member and a band of
-- that coverage's payer at the band's own code and rate. No temporary tables: a caller's own
-- temporary table of the same name must never be written with this function's rights.
CREATE OR REPLACE FUNCTION sync_charges(p_sessions jsonb)
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
           g.id IS NOT NULL AND session_is_locked(t.facility_id, t.session_id)
               AND NOT forced_in_this_transaction(t.facility_id, t.session_id) AS locked,
           g.billed_at IS NULL AND NOT pg_has_role(session_user, 'clinical.billing.run', 'USAGE')
               AS unpriced,
           g.attendance_version IS DISTINCT FROM t.version AS moved
      INTO bad
      FROM jsonb_to_recordset(p_sessions) AS t(facility_id bigint, session_id bigint, version bigint)
      LEFT JOIN group_session g ON g.facility_id = t.facility_id AND g.id = t.session_id
     WHERE g.id IS NULL
        OR (session_is_locked(t.facility_id, t.session_id)
            AND NOT forced_in_this_transaction(t.facility_id, t.session_id))
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

    -- Units as the rules count them: one a session, or for a timed band the scheduled
    -- minutes by the CPT midpoint rule.
    SELECT w.session_id, w.participant_id INTO bad
      FROM charges_wanted(p_sessions) w
      LEFT JOIN size_band b ON b.id = w.band_id AND b.payer_id = w.payer_id
      LEFT JOIN group_session g ON g.facility_id = w.facility_id AND g.id = w.session_id
     WHERE w.member_id IS NULL OR w.payer_id IS NULL OR b.id IS NULL
        OR b.procedure_code <> w.procedure_code OR b.modifiers <> w.modifiers OR b.rate <> w.rate
        OR w.units < 1 OR w.amount <> w.rate * w.units
        OR w.units <> CASE WHEN b.unit_minutes IS NULL THEN 1
                           ELSE floor((floor(extract(epoch FROM g.ends_at - g.starts_at) / 60)
                                       + floor(b.unit_minutes / 2)) / b.unit_minutes) END
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('session %s: the charge for roster row %s does not match its participant, coverage and band',
                             bad.session_id, bad.participant_id);
    END IF;

    WITH w AS MATERIALIZED (
        SELECT * FROM charges_wanted(p_sessions)
    ), v AS (
        UPDATE charge c SET status = 'VOID', voided_at = now()
          FROM jsonb_to_recordset(p_sessions) AS t(facility_id bigint, session_id bigint)
         WHERE c.facility_id = t.facility_id AND c.session_id = t.session_id AND c.status = 'ACTIVE'
           AND NOT EXISTS (
               SELECT 1 FROM w
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
                              AND c.member_id = w.member_id AND c.status = 'ACTIVE')
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
-- or a hand-written statement), set-based per statement: a claim one entry each (its id is
-- what support looks up), a session's charges one entry per session and kind of change.
CREATE OR REPLACE FUNCTION billing_rows_audited() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    -- forced_in_this_transaction() is a query a row: ask it only if anything was forced.
    forcing boolean := EXISTS (SELECT 1 FROM force_token t WHERE t.xact = pg_current_xact_id());
BEGIN
    IF TG_TABLE_NAME = 'charge' AND TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (action, facility_id, session_id, after, reason, forced)
        SELECT 'charge.build', n.facility_id, n.session_id, jsonb_agg(to_jsonb(n) ORDER BY n.id),
               nullif(current_setting('gsess.reason', true), ''),
               forcing AND forced_in_this_transaction(n.facility_id, n.session_id)
          FROM new_rows n
         GROUP BY n.facility_id, n.session_id;
    ELSIF TG_TABLE_NAME = 'charge' THEN
        INSERT INTO audit_log (action, facility_id, session_id, before, after, reason, forced)
        SELECT CASE WHEN n.status = 'VOID' THEN 'charge.void' ELSE 'charge.update' END,
               n.facility_id, n.session_id,
               jsonb_agg(to_jsonb(o) ORDER BY n.id), jsonb_agg(to_jsonb(n) ORDER BY n.id),
               nullif(current_setting('gsess.reason', true), ''),
               forcing AND forced_in_this_transaction(n.facility_id, n.session_id)
          FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
         WHERE to_jsonb(n) IS DISTINCT FROM to_jsonb(o)
         GROUP BY n.facility_id, n.session_id,
                  CASE WHEN n.status = 'VOID' THEN 'charge.void' ELSE 'charge.update' END;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (action, facility_id, session_id, claim_id, member_id, after, reason, forced)
        SELECT 'claim.build', n.facility_id, n.session_id, n.id, n.member_id, to_jsonb(n),
               nullif(current_setting('gsess.reason', true), ''),
               forcing AND forced_in_this_transaction(n.facility_id, n.session_id)
          FROM new_rows n ORDER BY n.id;
    ELSIF TG_OP = 'DELETE' THEN
        -- Only a forced correction deletes a claim: an unsubmitted one it made unnecessary.
        INSERT INTO audit_log (action, facility_id, session_id, claim_id, member_id, before, reason, forced)
        SELECT 'claim.withdraw', o.facility_id, o.session_id, o.id, o.member_id, to_jsonb(o),
               nullif(current_setting('gsess.reason', true), ''),
               forcing AND forced_in_this_transaction(o.facility_id, o.session_id)
          FROM old_rows o ORDER BY o.id;
    ELSE
        INSERT INTO audit_log (action, facility_id, session_id, claim_id, member_id, before, after, reason, forced)
        SELECT CASE WHEN n.payer_claim_number IS DISTINCT FROM o.payer_claim_number THEN 'claim.ack'
                    WHEN n.status IS DISTINCT FROM o.status THEN 'claim.' || lower(n.status)
                    ELSE 'claim.update' END,
               n.facility_id, n.session_id, n.id, n.member_id, to_jsonb(o), to_jsonb(n),
               nullif(current_setting('gsess.reason', true), ''),
               forcing AND forced_in_this_transaction(n.facility_id, n.session_id)
          FROM new_rows n JOIN old_rows o ON o.facility_id = n.facility_id AND o.id = n.id
         WHERE to_jsonb(n) IS DISTINCT FROM to_jsonb(o)
         ORDER BY n.id;
    END IF;
    RETURN NULL;
END
$$;
RESET ROLE;

-- The billing run draws a claim's id before writing it (so its line needs no join back).
GRANT USAGE ON SEQUENCE claim_id_seq TO "clinical.billing.run";


-- group_session is updated often (every attendance change bumps its version, every billing
-- run marks it): its triggers fire only when what they look after changes.
SET LOCAL ROLE gsess_owner;
DROP TRIGGER group_session_guard ON group_session;
CREATE TRIGGER group_session_guard BEFORE INSERT ON group_session
    FOR EACH ROW EXECUTE FUNCTION group_session_guard();
CREATE TRIGGER group_session_schedule_guard
    BEFORE UPDATE OF facility_id, group_type_id, starts_at, ends_at, place_of_service, local_date
    ON group_session FOR EACH ROW EXECUTE FUNCTION group_session_guard();

CREATE OR REPLACE FUNCTION group_session_moved() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
    PERFORM sync_session_supervisors(ARRAY[NEW.id]);
    RETURN NULL;
END
$$;
DROP TRIGGER group_session_moved ON group_session;
CREATE TRIGGER group_session_moved AFTER UPDATE ON group_session
    FOR EACH ROW WHEN (OLD.local_date IS DISTINCT FROM NEW.local_date)
    EXECUTE FUNCTION group_session_moved();
RESET ROLE;

SET LOCAL ROLE gsess_owner;
CREATE TRIGGER claim_deleted AFTER DELETE ON claim
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION billing_rows_audited();

-- A claim's status follows its submission: only a submitted claim has a submission time and
-- its stored EDI document.
ALTER TABLE claim
    ADD CONSTRAINT claim_submitted_with_its_edi
    CHECK ((status = 'BUILT') = (submitted_at IS NULL) AND (status = 'BUILT') = (edi_document_id IS NULL));

-- GS06, like ISA13, comes from a sequence and is never reused.
CREATE SEQUENCE group_control_number_seq MAXVALUE 999999999 CYCLE;

-- The scrubber's Validation lists, replaced whole for some claims: `p_scrubbed` is
-- [{claim_id, issues: [{code, severity, scope, payer, mrn, message, arithmetic, accepted,
-- rule_ids}]}]. Only an unsubmitted claim is re-scrubbed: a submitted claim keeps the list it
-- was sent with. The billing run, a correction and a submission all store through here.
CREATE FUNCTION store_claim_issues(p_scrubbed jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    sent bigint;
BEGIN
    -- The billing role stores any unsent claim's list; anyone else only those of a session
    -- whose facts they changed in this very transaction: a forced correction (its audit
    -- entry, which only the force function writes, says so) or an acceptance recorded or
    -- withdrawn (the acceptance row this transaction wrote).
    IF NOT pg_has_role(session_user, 'clinical.billing.run', 'USAGE') THEN
        SELECT c.id INTO sent
          FROM jsonb_to_recordset(p_scrubbed) AS t(claim_id bigint)
          JOIN claim c ON c.id = t.claim_id
         WHERE NOT EXISTS (SELECT 1 FROM audit_log a
                            WHERE a.session_id = c.session_id AND a.facility_id = c.facility_id
                              AND a.action = 'attendance.force' AND a.xact = pg_current_xact_id())
           AND NOT (pg_has_role(session_user, 'clinical.attendance.write', 'USAGE')
                    AND EXISTS (SELECT 1 FROM accepted_exception e
                                 WHERE e.facility_id = c.facility_id AND e.session_id = c.session_id
                                   AND e.xmin = pg_current_xact_id()::xid))
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '42501',
                MESSAGE = format('claim %s: a Validation list is stored by the billing run, or by a '
                                 'forced correction of its session in the same transaction', sent);
        END IF;
    END IF;

    SELECT c.id INTO sent
      FROM jsonb_to_recordset(p_scrubbed) AS t(claim_id bigint)
      JOIN claim c ON c.id = t.claim_id
     WHERE c.status <> 'BUILT'
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('claim %s was submitted: its Validation list stays as it was sent', sent);
    END IF;

    DELETE FROM claim_issue i
     USING jsonb_to_recordset(p_scrubbed) AS t(claim_id bigint), claim c
     WHERE c.id = t.claim_id AND i.facility_id = c.facility_id AND i.claim_id = c.id;

    INSERT INTO claim_issue (facility_id, claim_id, code, severity, scope, payer, mrn, message,
                             arithmetic, accepted, rule_ids)
    SELECT c.facility_id, c.id, i.code, i.severity, i.scope, i.payer, i.mrn, i.message,
           i.arithmetic, i.accepted, coalesce(i.rule_ids, '{}')
      FROM ROWS FROM (jsonb_to_recordset(p_scrubbed) AS (claim_id bigint, issues jsonb))
           WITH ORDINALITY AS t(claim_id, issues, ord)
      JOIN claim c ON c.id = t.claim_id
     CROSS JOIN LATERAL ROWS FROM (jsonb_to_recordset(t.issues)
           AS (code text, severity text, scope text, payer text, mrn text, message text,
               arithmetic text, accepted boolean, rule_ids bigint[]))
           WITH ORDINALITY AS i(code, severity, scope, payer, mrn, message, arithmetic, accepted,
                                rule_ids, n)
     ORDER BY t.ord, i.n;
END
$$;

-- What the payer should hold for one member of a session after a correction re-priced it,
-- made so: the member's claims are a chain (an original, then replacements or a void, each
-- submitted in turn), the newest submitted one is what the payer has, the live unsubmitted one
-- (if any) is what will be sent next. Returns what was done to which claim, or NULL.
--   nothing sent yet:        an original 1 with the active charge, if any;
--   sent, no active charge:  a void 8 repeating the sent claim's charges;
--   sent, charge unchanged:  nothing (the sent claim stays the live one);
--   sent, charge changed:    a replacement 7 with the active charge.
-- An unsubmitted claim is rebuilt in place into what is wanted (keeping its id), or withdrawn
-- when nothing is. A void that was sent ends its chain: a later charge starts a new original.
-- `p_resend`: what every claim of the session carries changed (its supervising provider), so
-- a sent claim is replaced even when its charge stands. A member whose payer changed since the
-- claim was sent is refused: that needs a void to one payer and a claim to the other.
-- Called only by force_correction() (same owner, no grants).
CREATE FUNCTION rebuild_claim_chain(p_facility_id bigint, p_session_id bigint, p_member_id bigint,
                                    p_resend boolean)
    RETURNS jsonb
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    sent      claim;
    draft     claim;
    wanted    charge;
    kind      text;
    charges   bigint[];
    payer     bigint;
    coverage  bigint;
    target    bigint;
    action    text;
BEGIN
    -- The member's claims first, so a submission in flight finishes (or waits) before they
    -- are read: a claim sent meanwhile is never rebuilt as if it were not.
    PERFORM 1 FROM claim c
      WHERE c.facility_id = p_facility_id AND c.session_id = p_session_id
        AND c.member_id = p_member_id
      ORDER BY c.id FOR UPDATE;
    SELECT * INTO sent FROM claim c
     WHERE c.facility_id = p_facility_id AND c.session_id = p_session_id
       AND c.member_id = p_member_id AND c.submitted_at IS NOT NULL
     ORDER BY c.id DESC LIMIT 1;
    IF sent.frequency_code = '8' THEN
        sent := NULL;
    END IF;
    SELECT * INTO draft FROM claim c
     WHERE c.facility_id = p_facility_id AND c.session_id = p_session_id
       AND c.member_id = p_member_id AND c.is_live AND c.status = 'BUILT';
    SELECT * INTO wanted FROM charge ch
     WHERE ch.facility_id = p_facility_id AND ch.session_id = p_session_id
       AND ch.member_id = p_member_id AND ch.status = 'ACTIVE';

    IF sent.id IS NULL THEN
        kind := CASE WHEN wanted.id IS NOT NULL THEN '1' END;
        charges := ARRAY[wanted.id];
    ELSE
        charges := ARRAY(SELECT l.charge_id FROM claim_line l
                          WHERE l.facility_id = p_facility_id AND l.claim_id = sent.id
                          ORDER BY l.line_number);
        IF wanted.id IS NOT NULL AND wanted.payer_id <> sent.payer_id THEN
            RAISE EXCEPTION USING ERRCODE = '22023',
                MESSAGE = format('member %s: the payer changed since claim %s was sent; a correction '
                                 'to another payer needs a void to the first and a new claim to the '
                                 'second, which force-update does not do: void it by correcting the '
                                 'coverage back, or ask the payer', p_member_id, sent.id);
        END IF;
        IF wanted.id IS NULL THEN
            kind := '8';
        ELSIF charges = ARRAY[wanted.id] AND NOT p_resend THEN
            kind := NULL;
        ELSE
            kind := '7';
            charges := ARRAY[wanted.id];
        END IF;
    END IF;

    IF kind IS NULL THEN
        IF draft.id IS NULL THEN
            RETURN NULL;
        END IF;
        DELETE FROM claim c WHERE c.facility_id = p_facility_id AND c.id = draft.id
           AND c.status = 'BUILT';
        -- The member's newest claim left (the one sent, or a sent void) is live again.
        UPDATE claim c SET is_live = true
         WHERE c.facility_id = p_facility_id
           AND c.id = (SELECT max(k.id) FROM claim k
                        WHERE k.facility_id = p_facility_id AND k.session_id = p_session_id
                          AND k.member_id = p_member_id);
        RETURN jsonb_build_object('id', draft.id, 'member_id', p_member_id,
                                  'frequency_code', draft.frequency_code, 'action', 'withdrawn');
    END IF;

    -- Billed to the charge's payer and coverage; a void, to those of the claim it voids.
    IF kind = '8' THEN
        payer := sent.payer_id;
        coverage := sent.coverage_id;
    ELSE
        payer := wanted.payer_id;
        coverage := wanted.coverage_id;
    END IF;

    IF draft.id IS NOT NULL THEN
        IF draft.frequency_code = kind
           AND charges = ARRAY(SELECT l.charge_id FROM claim_line l
                                WHERE l.facility_id = p_facility_id AND l.claim_id = draft.id
                                ORDER BY l.line_number) THEN
            RETURN NULL;
        END IF;
        UPDATE claim c
           SET frequency_code = kind, replaces_claim_id = sent.id,
               original_claim_id = coalesce(sent.original_claim_id, sent.id),
               claim_control_number = coalesce(sent.claim_control_number, c.claim_control_number),
               payer_id = payer, coverage_id = coverage,
               amount = (SELECT coalesce(sum(ch.amount), 0) FROM charge ch
                          WHERE ch.facility_id = p_facility_id AND ch.id = ANY (charges)),
               built_at = now()
         WHERE c.facility_id = p_facility_id AND c.id = draft.id AND c.status = 'BUILT';
        DELETE FROM claim_line l WHERE l.facility_id = p_facility_id AND l.claim_id = draft.id;
        target := draft.id;
        action := CASE WHEN draft.frequency_code = kind THEN 'rebuilt'
                       WHEN kind = '7' THEN 'replacement' ELSE 'void' END;
    ELSE
        UPDATE claim c SET is_live = false
         WHERE c.facility_id = p_facility_id AND c.session_id = p_session_id
           AND c.member_id = p_member_id AND c.is_live;
        INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id,
                           frequency_code, claim_control_number, original_claim_id,
                           replaces_claim_id, amount)
        SELECT p_facility_id, p_session_id, p_member_id, payer, coverage,
               kind, coalesce(sent.claim_control_number, nextval('claim_control_number_seq')::text),
               coalesce(sent.original_claim_id, sent.id), sent.id,
               (SELECT coalesce(sum(ch.amount), 0) FROM charge ch
                 WHERE ch.facility_id = p_facility_id AND ch.id = ANY (charges))
        RETURNING id INTO target;
        action := CASE kind WHEN '1' THEN 'original' WHEN '7' THEN 'replacement' ELSE 'void' END;
    END IF;

    INSERT INTO claim_line (facility_id, claim_id, charge_id, line_number, procedure_code,
                            modifiers, units, amount)
    SELECT p_facility_id, target, ch.id, u.n, ch.procedure_code, ch.modifiers, ch.units, ch.amount
      FROM unnest(charges) WITH ORDINALITY AS u(charge_id, n)
      JOIN charge ch ON ch.facility_id = p_facility_id AND ch.id = u.charge_id
     ORDER BY u.n;
    RETURN jsonb_build_object('id', target, 'member_id', p_member_id, 'frequency_code', kind,
                              'action', action);
END
$$;

-- The forced correction of a locked session, whole, in the caller's transaction: the
-- attendance change (through a force token, the only way past the lock), the session's
-- charges re-priced to `p_charges` (priced by gsess's rules from the attendance as it will
-- stand, at attendance version `p_version`; the charge sync checks every charge against its
-- participant, coverage and band), the claims of every member rebuilt (rebuild_claim_chain),
-- and one audit entry with the reason and everything done. It belongs to gsess_force;
-- EXECUTE is granted to clinical.attendance.write.force. Replaces force_attendance(), which
-- changed attendance without re-pricing what was claimed.
CREATE FUNCTION force_correction(p_session_id bigint, p_version bigint, p_status text,
                                 p_participant_ids bigint[], p_supervisor_ids bigint[],
                                 p_charges jsonb, p_reason text) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    facility bigint;
    version  bigint;
    before   jsonb;
    after    jsonb;
    changed  integer;
    synced   record;
    claims   jsonb;
    audit_id bigint;
BEGIN
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'a forced correction needs a reason';
    END IF;
    IF coalesce(cardinality(p_participant_ids), 0) + coalesce(cardinality(p_supervisor_ids), 0) = 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = 'a forced correction changes at least one roster or supervisor row';
    END IF;
    SELECT g.facility_id, g.attendance_version INTO facility, version
      FROM group_session g WHERE g.id = p_session_id FOR UPDATE;
    IF facility IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'GS404', MESSAGE = format('no session %s', p_session_id);
    END IF;
    IF version IS DISTINCT FROM p_version THEN
        RAISE EXCEPTION USING ERRCODE = '40001',
            MESSAGE = format('session %s changed since it was read: read it again', p_session_id);
    END IF;
    IF NOT session_is_locked(facility, p_session_id) THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('session %s is not locked: its attendance is marked without force', p_session_id);
    END IF;

    INSERT INTO force_token (facility_id, session_id, reason) VALUES (facility, p_session_id, p_reason);
    PERFORM set_config('gsess.reason', p_reason, true);

    SELECT jsonb_build_object(
             'roster', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'member_id', p.member_id, 'status', p.status) ORDER BY p.id), '[]')
                          FROM session_participant p WHERE p.facility_id = facility AND p.session_id = p_session_id AND p.id = ANY (p_participant_ids)),
             'supervisors', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'provider_id', s.provider_id, 'status', s.status) ORDER BY s.id), '[]')
                          FROM session_supervisor s WHERE s.facility_id = facility AND s.session_id = p_session_id AND s.id = ANY (p_supervisor_ids)))
      INTO before;

    UPDATE session_participant p SET status = p_status
     WHERE p.facility_id = facility AND p.session_id = p_session_id AND p.id = ANY (p_participant_ids);
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed <> coalesce(cardinality(p_participant_ids), 0) THEN
        RAISE EXCEPTION USING ERRCODE = 'GS404', MESSAGE = 'a roster row named is not on this session';
    END IF;
    UPDATE session_supervisor s SET status = p_status
     WHERE s.facility_id = facility AND s.session_id = p_session_id AND s.id = ANY (p_supervisor_ids);
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed <> coalesce(cardinality(p_supervisor_ids), 0) THEN
        RAISE EXCEPTION USING ERRCODE = 'GS404', MESSAGE = 'a supervisor row named is not on this session';
    END IF;

    -- Priced at the version read; the change just made is what was priced.
    SELECT g.attendance_version INTO version FROM group_session g
     WHERE g.facility_id = facility AND g.id = p_session_id;
    SELECT * INTO synced FROM sync_charges(jsonb_build_array(jsonb_build_object(
        'facility_id', facility, 'session_id', p_session_id, 'version', version,
        'charges', coalesce(p_charges, '[]'))));

    SELECT coalesce(jsonb_agg(r ORDER BY m.member_id), '[]') INTO claims
      FROM (SELECT ch.member_id FROM charge ch
             WHERE ch.facility_id = facility AND ch.session_id = p_session_id AND ch.status = 'ACTIVE'
            UNION
            SELECT c.member_id FROM claim c
             WHERE c.facility_id = facility AND c.session_id = p_session_id) m
     CROSS JOIN LATERAL rebuild_claim_chain(facility, p_session_id, m.member_id,
                                            coalesce(cardinality(p_supervisor_ids), 0) > 0) r
     WHERE r IS NOT NULL;

    SELECT jsonb_set(jsonb_set(before, '{roster}',
             (SELECT coalesce(jsonb_agg(r || jsonb_build_object('status', p_status)), '[]') FROM jsonb_array_elements(before->'roster') r)),
             '{supervisors}',
             (SELECT coalesce(jsonb_agg(r || jsonb_build_object('status', p_status)), '[]') FROM jsonb_array_elements(before->'supervisors') r))
             || jsonb_build_object('charges_voided', to_jsonb(synced.voided),
                                   'charges_built', to_jsonb(synced.built), 'claims', claims)
      INTO after;
    -- A correction of one participant is that member's entry too (`audit --member`).
    audit_id := audit_forced_correction(
        facility, p_session_id,
        CASE WHEN cardinality(p_participant_ids) = 1 THEN
            (SELECT p.member_id FROM session_participant p
              WHERE p.facility_id = facility AND p.id = p_participant_ids[1]) END,
        before, after, p_reason);

    -- The token lives only as long as the function: nothing after it in the transaction is forced.
    DELETE FROM force_token t WHERE t.xact = pg_current_xact_id() AND t.session_id = p_session_id;
    RETURN jsonb_build_object('audit_id', audit_id, 'charges_voided', to_jsonb(synced.voided),
                              'charges_built', to_jsonb(synced.built), 'claims', claims);
END
$$;
RESET ROLE;

DROP FUNCTION force_attendance(bigint, text, bigint[], bigint[], text);
ALTER FUNCTION force_correction(bigint, bigint, text, bigint[], bigint[], jsonb, text) OWNER TO gsess_force;
ALTER FUNCTION rebuild_claim_chain(bigint, bigint, bigint, boolean) OWNER TO gsess_force;
REVOKE EXECUTE ON FUNCTION force_correction(bigint, bigint, text, bigint[], bigint[], jsonb, text),
                           rebuild_claim_chain(bigint, bigint, bigint, boolean),
                           store_claim_issues(jsonb)
    FROM PUBLIC;

-- The force function's owner needs exactly what the correction does.
GRANT EXECUTE ON FUNCTION sync_charges(jsonb), session_is_locked(bigint, bigint) TO gsess_force;
GRANT SELECT ON charge, claim_line TO gsess_force;
GRANT SELECT, INSERT, DELETE,
      UPDATE (frequency_code, replaces_claim_id, original_claim_id, claim_control_number,
              payer_id, coverage_id, amount, built_at, is_live)
   ON claim TO gsess_force;
GRANT INSERT, DELETE ON claim_line TO gsess_force;
GRANT USAGE ON SEQUENCE claim_control_number_seq TO gsess_force;
GRANT EXECUTE ON FUNCTION force_correction(bigint, bigint, text, bigint[], bigint[], jsonb, text)
   TO "clinical.attendance.write.force";

-- Validation lists are stored only through store_claim_issues(), by the billing run, a
-- submission, a correction and an acceptance.
REVOKE INSERT, DELETE ON claim_issue FROM "clinical.billing.run";
GRANT EXECUTE ON FUNCTION store_claim_issues(jsonb)
   TO "clinical.billing.run", "clinical.attendance.write.force", "clinical.attendance.write";
GRANT USAGE ON SEQUENCE group_control_number_seq TO "clinical.billing.run";

-- The transaction of a forced correction's entry, so what only that correction may do next
-- (store its claims' Validation lists) can tell it apart; and the member, when the correction
-- is one participant's. No default: adding the column does not rewrite the log.
ALTER TABLE audit_log ADD COLUMN xact xid8;
DROP FUNCTION audit_forced_correction(bigint, bigint, jsonb, jsonb, text);
SET LOCAL ROLE gsess_owner;
CREATE FUNCTION audit_forced_correction(p_facility_id bigint, p_session_id bigint,
                                        p_member_id bigint, p_before jsonb, p_after jsonb,
                                        p_reason text)
    RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
    INSERT INTO audit_log (action, facility_id, session_id, member_id, before, after, reason,
                           forced, xact)
    VALUES ('attendance.force', p_facility_id, p_session_id, p_member_id, p_before, p_after,
            p_reason, true, pg_current_xact_id())
    RETURNING id
$$;
RESET ROLE;
REVOKE EXECUTE ON FUNCTION audit_forced_correction(bigint, bigint, bigint, jsonb, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_forced_correction(bigint, bigint, bigint, jsonb, jsonb, text) TO gsess_force;

-- What was sent is never edited: a submitted claim keeps its amount, lines, frequency, payer,
-- coverage and numbers (a correction replaces or voids it); it moves only on, to REPLACED or
-- VOIDED, never back. Enforced here, so a hand-written statement meets it too.
SET LOCAL ROLE gsess_owner;
CREATE FUNCTION sent_claim_guard() RETURNS trigger
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
CREATE TRIGGER claim_sent_guard BEFORE UPDATE OR DELETE ON claim
    FOR EACH ROW EXECUTE FUNCTION sent_claim_guard();
CREATE TRIGGER claim_line_inserted_guard AFTER INSERT ON claim_line
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sent_claim_guard();
CREATE TRIGGER claim_line_updated_guard AFTER UPDATE ON claim_line
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sent_claim_guard();
CREATE TRIGGER claim_line_deleted_guard AFTER DELETE ON claim_line
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sent_claim_guard();
RESET ROLE;
