-- The scrubber's own read of claims, as one JSON document per session they belong to: the
-- session's facts (date, length, state, billing NPI, group type, every roster row's status,
-- the supervisors, the live acceptances, the rule rows of its claims' payers in effect on its
-- local date), then each claim with its lines and the member and coverage it is for. Read
-- afresh, apart from the session read the preview uses; each part is aggregated once for all
-- the sessions of a batch (a part with no rows is left out). $1 is an array of claim ids.
WITH claims AS MATERIALIZED (
    SELECT c.* FROM claim c WHERE c.id = ANY ($1)
), sessions AS MATERIALIZED (
    SELECT s.facility_id, s.id, s.local_date, s.starts_at, s.ends_at, f.state, f.npi,
           t.code AS group_type
      FROM (SELECT DISTINCT facility_id, session_id FROM claims) k
      JOIN group_session s ON s.facility_id = k.facility_id AND s.id = k.session_id
      JOIN facility f ON f.id = s.facility_id
      JOIN group_type t ON t.id = s.group_type_id
), roster AS (
    SELECT p.facility_id, p.session_id,
           json_agg(json_build_object('row_id', p.id, 'mrn', m.mrn, 'status', p.status)
                    ORDER BY p.id) AS rows
      FROM sessions s
      JOIN session_participant p ON p.facility_id = s.facility_id AND p.session_id = s.id
      JOIN member m ON m.id = p.member_id
     GROUP BY p.facility_id, p.session_id
), supervisors AS (
    SELECT x.facility_id, x.session_id,
           json_agg(json_build_object('npi', d.npi, 'name', d.first_name || ' ' || d.last_name,
                                      'status', x.status) ORDER BY x.id) AS rows
      FROM sessions s
      JOIN session_supervisor x ON x.facility_id = s.facility_id AND x.session_id = s.id
      JOIN provider d ON d.id = x.provider_id
     GROUP BY x.facility_id, x.session_id
), payers AS MATERIALIZED (
    SELECT DISTINCT c.facility_id, c.session_id, c.payer_id FROM claims c
), rules AS (
    SELECT w.facility_id, w.session_id,
           json_agg(json_build_object(
               'id', u.id, 'payer', y.code, 'state', u.state, 'group_type', g.code,
               'start', u.start_date, 'end', u.end_date,
               'max_per_supervisor', u.max_per_supervisor) ORDER BY u.id) AS rows
      FROM payers w
      JOIN sessions s ON s.facility_id = w.facility_id AND s.id = w.session_id
      JOIN supervision_rule u ON u.payer_id = w.payer_id AND u.state = s.state
      JOIN payer y ON y.id = u.payer_id
      LEFT JOIN group_type g ON g.id = u.group_type_id
     WHERE (u.start_date IS NULL OR u.start_date <= s.local_date)
       AND (u.end_date IS NULL OR u.end_date >= s.local_date)
     GROUP BY w.facility_id, w.session_id
), bands AS (
    SELECT w.facility_id, w.session_id,
           json_agg(json_build_object(
               'id', b.id, 'payer', y.code, 'state', b.state, 'group_type', g.code,
               'start', b.start_date, 'end', b.end_date, 'min', b.min_size, 'max', b.max_size,
               'procedure_code', b.procedure_code, 'modifiers', b.modifiers,
               'rate', b.rate::text, 'unit_minutes', b.unit_minutes) ORDER BY b.id) AS rows
      FROM payers w
      JOIN sessions s ON s.facility_id = w.facility_id AND s.id = w.session_id
      JOIN size_band b ON b.payer_id = w.payer_id AND b.state = s.state
      JOIN payer y ON y.id = b.payer_id
      LEFT JOIN group_type g ON g.id = b.group_type_id
     WHERE (b.start_date IS NULL OR b.start_date <= s.local_date)
       AND (b.end_date IS NULL OR b.end_date >= s.local_date)
     GROUP BY w.facility_id, w.session_id
), acceptances AS (
    SELECT a.facility_id, a.session_id,
           json_agg(json_build_object(
               'id', a.id, 'code', a.code, 'payer', ay.code, 'mrn', am.mrn,
               'group_size', a.group_size, 'supervisors_present', a.supervisors_present)
                    ORDER BY a.id) AS rows
      FROM sessions s
      JOIN accepted_exception a ON a.facility_id = s.facility_id AND a.session_id = s.id
      LEFT JOIN payer ay ON ay.id = a.payer_id
      LEFT JOIN member am ON am.id = a.member_id
     WHERE a.revoked_at IS NULL
     GROUP BY a.facility_id, a.session_id
), lines AS (
    SELECT l.facility_id, l.claim_id,
           json_agg(json_build_object(
               'charge_id', l.charge_id, 'procedure_code', l.procedure_code,
               'modifiers', l.modifiers, 'units', l.units, 'amount', l.amount::text)
                    ORDER BY l.line_number) AS rows
      FROM claims c
      JOIN claim_line l ON l.facility_id = c.facility_id AND l.claim_id = c.id
     GROUP BY l.facility_id, l.claim_id
), claim_docs AS (
    SELECT c.facility_id, c.session_id,
           json_agg(json_build_object(
               'claim_id', c.id, 'frequency_code', c.frequency_code, 'amount', c.amount::text,
               'mrn', m.mrn, 'member_has_diagnosis', cardinality(m.diagnosis_codes) > 0,
               'payer', y.code,
               'coverage', json_build_object('id', v.id, 'payer', y.code,
                                             'subscriber_id', v.subscriber_id),
               'replaces_claim_id', c.replaces_claim_id,
               'replaced_payer_claim_number', r.payer_claim_number,
               'lines', coalesce(l.rows, '[]'::json)) ORDER BY c.id) AS rows
      FROM claims c
      JOIN member m ON m.id = c.member_id
      JOIN payer y ON y.id = c.payer_id
      JOIN coverage_policy v ON v.id = c.coverage_id
      LEFT JOIN claim r ON r.facility_id = c.facility_id AND r.id = c.replaces_claim_id
      LEFT JOIN lines l ON l.facility_id = c.facility_id AND l.claim_id = c.id
     GROUP BY c.facility_id, c.session_id
)
-- The parts are put together by one aggregation over their union rather than by joining
-- them: a join of aggregates is estimated at a row or two and planned as nested loops.
SELECT json_object_agg(part, doc)::text
  FROM (SELECT s.facility_id, s.id AS session_id, h.key AS part, h.value AS doc
          FROM sessions s,
               json_each(json_build_object(
                   'session_id', s.id, 'facility_id', s.facility_id, 'local_date', s.local_date,
                   'scheduled_minutes',
                   greatest(0, floor(extract(epoch FROM s.ends_at - s.starts_at) / 60))::int,
                   'facility_state', s.state, 'billing_npi', s.npi,
                   'group_type', s.group_type)) h
        UNION ALL SELECT facility_id, session_id, 'roster', rows FROM roster
        UNION ALL SELECT facility_id, session_id, 'supervisors', rows FROM supervisors
        UNION ALL SELECT facility_id, session_id, 'supervision_rules', rows FROM rules
        UNION ALL SELECT facility_id, session_id, 'size_bands', rows FROM bands
        UNION ALL SELECT facility_id, session_id, 'acceptances', rows FROM acceptances
        UNION ALL SELECT facility_id, session_id, 'claims', rows FROM claim_docs) parts
 GROUP BY facility_id, session_id
 ORDER BY session_id
