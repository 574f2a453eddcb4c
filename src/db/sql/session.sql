-- A session read whole, as one JSON document per session: header, roster with every
-- coverage policy, supervisors with their linking assignment, candidate rule rows, live
-- acceptances. $1 is an array of session ids. (bench/ runs this same file through psql.)
SELECT json_build_object(
    'id', s.id, 'facility_id', s.facility_id, 'external_id', s.external_id,
    'facility', f.code, 'facility_name', f.name, 'timezone', f.timezone,
    'facility_state', f.state, 'billing_npi', f.npi,
    'group_type', t.code, 'group_type_name', t.name,
    'starts_at', s.starts_at, 'ends_at', s.ends_at, 'local_date', s.local_date,
    'place_of_service', s.place_of_service, 'source', s.source,
    'attendance_version', s.attendance_version,
    'locked', session_is_locked(s.facility_id, s.id),
    'billed', s.billed_at IS NOT NULL,
    'roster', coalesce((
        SELECT json_agg(json_build_object(
                   'row_id', p.id, 'member_id', m.id, 'mrn', m.mrn,
                   'first_name', m.first_name, 'last_name', m.last_name, 'status', p.status,
                   'has_diagnosis', cardinality(m.diagnosis_codes) > 0,
                   'policies', coalesce((
                       SELECT json_agg(json_build_object(
                                  'id', c.id, 'payer', y.code, 'priority', c.priority,
                                  'subscriber_id', c.subscriber_id,
                                  'start', c.start_date, 'end', c.end_date) ORDER BY c.id)
                         FROM coverage_policy c JOIN payer y ON y.id = c.payer_id
                        WHERE c.member_id = m.id), '[]'::json)) ORDER BY p.id)
          FROM session_participant p JOIN member m ON m.id = p.member_id
         WHERE p.facility_id = s.facility_id AND p.session_id = s.id), '[]'::json),
    'supervisors', coalesce((
        SELECT json_agg(json_build_object(
                   'row_id', x.id, 'provider_id', v.id, 'npi', v.npi,
                   'first_name', v.first_name, 'last_name', v.last_name,
                   'status', x.status, 'source', x.source, 'assignment_id', x.assignment_id,
                   'linked_mrn', am.mrn, 'assignment_start', a.start_date, 'assignment_end', a.end_date)
                 ORDER BY x.id)
          FROM session_supervisor x JOIN provider v ON v.id = x.provider_id
          LEFT JOIN staff_assignment a ON a.id = x.assignment_id
          LEFT JOIN member am ON am.id = a.member_id
         WHERE x.facility_id = s.facility_id AND x.session_id = s.id), '[]'::json),
    'supervision_rules', coalesce((
        SELECT json_agg(json_build_object(
                   'id', r.id, 'payer', y.code, 'state', r.state, 'group_type', g.code,
                   'start', r.start_date, 'end', r.end_date,
                   'max_per_supervisor', r.max_per_supervisor) ORDER BY r.id)
          FROM supervision_rule r JOIN payer y ON y.id = r.payer_id
          LEFT JOIN group_type g ON g.id = r.group_type_id
         WHERE r.state = f.state
           AND (r.start_date IS NULL OR r.start_date <= s.local_date)
           AND (r.end_date IS NULL OR r.end_date >= s.local_date)
           AND r.payer_id IN (SELECT c.payer_id FROM coverage_policy c
                                JOIN session_participant p ON p.member_id = c.member_id
                               WHERE p.facility_id = s.facility_id AND p.session_id = s.id)),
        '[]'::json),
    'size_bands', coalesce((
        SELECT json_agg(json_build_object(
                   'id', b.id, 'payer', y.code, 'state', b.state, 'group_type', g.code,
                   'start', b.start_date, 'end', b.end_date, 'min', b.min_size, 'max', b.max_size,
                   'procedure_code', b.procedure_code, 'modifiers', b.modifiers,
                   'rate', b.rate::text, 'unit_minutes', b.unit_minutes) ORDER BY b.id)
          FROM size_band b JOIN payer y ON y.id = b.payer_id
          LEFT JOIN group_type g ON g.id = b.group_type_id
         WHERE b.state = f.state
           AND (b.start_date IS NULL OR b.start_date <= s.local_date)
           AND (b.end_date IS NULL OR b.end_date >= s.local_date)
           AND b.payer_id IN (SELECT c.payer_id FROM coverage_policy c
                                JOIN session_participant p ON p.member_id = c.member_id
                               WHERE p.facility_id = s.facility_id AND p.session_id = s.id)),
        '[]'::json),
    'acceptances', coalesce((
        SELECT json_agg(json_build_object(
                   'id', a.id, 'code', a.code, 'payer', y.code, 'mrn', m.mrn,
                   'group_size', a.group_size, 'supervisors_present', a.supervisors_present,
                   'reason', a.reason, 'accepted_by', a.accepted_by, 'accepted_at', a.accepted_at)
                 ORDER BY a.id)
          FROM accepted_exception a
          LEFT JOIN payer y ON y.id = a.payer_id
          LEFT JOIN member m ON m.id = a.member_id
         WHERE a.facility_id = s.facility_id AND a.session_id = s.id AND a.revoked_at IS NULL),
        '[]'::json)
)::text
  FROM group_session s
  JOIN facility f ON f.id = s.facility_id
  JOIN group_type t ON t.id = s.group_type_id
 WHERE s.id = ANY ($1)
 ORDER BY s.id
