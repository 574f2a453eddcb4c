-- The charges a sync was asked to write, each matched to its roster row and coverage by key.
-- Written as joins, the planner guessed a hundred sessions of a hundred charges each (all it
-- knows of a JSON array) and hashed every roster row and coverage in the database to match
-- them: a single mark on a billed session read the whole history three times (0.9 s at a
-- tenth of the benchmark's scale). Each lookup is now a LIMIT 1 subquery on the row's key,
-- which the planner cannot flatten into a join: a few index probes per charge, whatever the
-- history holds.
SET LOCAL ROLE gsess_owner;
CREATE OR REPLACE FUNCTION charges_wanted(p_sessions jsonb)
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
      LEFT JOIN LATERAL (
            SELECT p.member_id FROM session_participant p
             WHERE p.facility_id = (e->>'facility_id')::bigint AND p.id = (c->>'participant_id')::bigint
               AND p.session_id = (e->>'session_id')::bigint AND p.status IN ('ATTENDED', 'LATE')
             LIMIT 1) p ON true
      LEFT JOIN LATERAL (
            SELECT v.payer_id FROM coverage_policy v
             WHERE v.id = (c->>'coverage_id')::bigint AND v.member_id = p.member_id
             LIMIT 1) v ON true
$$;
RESET ROLE;
