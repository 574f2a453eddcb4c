-- The scrubber's own read of claims, as one JSON document per claim: the claim and its lines,
-- the member and the coverage the claim is for, the session's facts (date, length, state,
-- billing NPI, group type, every roster row's status, the supervisors), the rule rows of the
-- claim's payer in effect on the session's local date, the live acceptances. Read afresh,
-- apart from the session read the preview uses. $1 is an array of claim ids.
SELECT json_build_object(
    'claim_id', c.id, 'facility_id', c.facility_id, 'session_id', c.session_id,
    'frequency_code', c.frequency_code, 'amount', c.amount::text,
    'mrn', m.mrn, 'member_has_diagnosis', cardinality(m.diagnosis_codes) > 0,
    'payer', y.code,
    'coverage', json_build_object('id', v.id, 'payer', y.code, 'subscriber_id', v.subscriber_id),
    'replaced_payer_claim_number', r.payer_claim_number,
    'lines', coalesce((
        SELECT json_agg(json_build_object(
                   'charge_id', l.charge_id, 'procedure_code', l.procedure_code,
                   'modifiers', l.modifiers, 'units', l.units, 'amount', l.amount::text)
                 ORDER BY l.line_number)
          FROM claim_line l WHERE l.facility_id = c.facility_id AND l.claim_id = c.id), '[]'::json),
    'local_date', s.local_date,
    'scheduled_minutes', greatest(0, floor(extract(epoch FROM s.ends_at - s.starts_at) / 60))::int,
    'facility_state', f.state, 'billing_npi', f.npi, 'group_type', t.code,
    'roster', coalesce((
        SELECT json_agg(json_build_object('row_id', p.id, 'mrn', pm.mrn, 'status', p.status)
                 ORDER BY p.id)
          FROM session_participant p JOIN member pm ON pm.id = p.member_id
         WHERE p.facility_id = s.facility_id AND p.session_id = s.id), '[]'::json),
    'supervisors', coalesce((
        SELECT json_agg(json_build_object(
                   'npi', d.npi, 'name', d.first_name || ' ' || d.last_name, 'status', x.status)
                 ORDER BY x.id)
          FROM session_supervisor x JOIN provider d ON d.id = x.provider_id
         WHERE x.facility_id = s.facility_id AND x.session_id = s.id), '[]'::json),
    'supervision_rules', coalesce((
        SELECT json_agg(json_build_object(
                   'id', u.id, 'payer', y.code, 'state', u.state, 'group_type', g.code,
                   'start', u.start_date, 'end', u.end_date,
                   'max_per_supervisor', u.max_per_supervisor) ORDER BY u.id)
          FROM supervision_rule u LEFT JOIN group_type g ON g.id = u.group_type_id
         WHERE u.payer_id = c.payer_id AND u.state = f.state
           AND (u.start_date IS NULL OR u.start_date <= s.local_date)
           AND (u.end_date IS NULL OR u.end_date >= s.local_date)), '[]'::json),
    'size_bands', coalesce((
        SELECT json_agg(json_build_object(
                   'id', b.id, 'payer', y.code, 'state', b.state, 'group_type', g.code,
                   'start', b.start_date, 'end', b.end_date, 'min', b.min_size, 'max', b.max_size,
                   'procedure_code', b.procedure_code, 'modifiers', b.modifiers,
                   'rate', b.rate::text, 'unit_minutes', b.unit_minutes) ORDER BY b.id)
          FROM size_band b LEFT JOIN group_type g ON g.id = b.group_type_id
         WHERE b.payer_id = c.payer_id AND b.state = f.state
           AND (b.start_date IS NULL OR b.start_date <= s.local_date)
           AND (b.end_date IS NULL OR b.end_date >= s.local_date)), '[]'::json),
    'acceptances', coalesce((
        SELECT json_agg(json_build_object(
                   'id', a.id, 'code', a.code, 'payer', ay.code, 'mrn', am.mrn,
                   'group_size', a.group_size, 'supervisors_present', a.supervisors_present)
                 ORDER BY a.id)
          FROM accepted_exception a
          LEFT JOIN payer ay ON ay.id = a.payer_id
          LEFT JOIN member am ON am.id = a.member_id
         WHERE a.facility_id = s.facility_id AND a.session_id = s.id AND a.revoked_at IS NULL),
        '[]'::json)
)::text
  FROM claim c
  JOIN member m ON m.id = c.member_id
  JOIN payer y ON y.id = c.payer_id
  JOIN coverage_policy v ON v.id = c.coverage_id
  JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id
  JOIN facility f ON f.id = s.facility_id
  JOIN group_type t ON t.id = s.group_type_id
  LEFT JOIN claim r ON r.facility_id = c.facility_id AND r.id = c.replaces_claim_id
 WHERE c.id = ANY ($1)
 ORDER BY c.id
