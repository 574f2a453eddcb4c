-- Everything an 837P says about some claims, one JSON document per claim in id order: the
-- claim and its lines, the facility (submitter and billing provider), the payer (receiver),
-- the member (patient) with the coverage's subscriber, the session's place of service and
-- date, the first supervisor present (the supervising provider), and for a replacement or a
-- void the payer's claim number of the claim it corrects. $1 is an array of claim ids.
SELECT json_build_object(
         'claim_id', c.id, 'facility_id', c.facility_id, 'payer_db_id', c.payer_id,
         'session_id', c.session_id, 'frequency_code', c.frequency_code, 'status', c.status,
         'claim_control_number', c.claim_control_number, 'amount', c.amount::text,
         'replaced_payer_claim_number', r.payer_claim_number,
         'place_of_service', coalesce(s.place_of_service, f.place_of_service),
         'service_date', s.local_date,
         'facility', json_build_object(
             'code', f.code, 'name', f.name, 'npi', f.npi, 'tax_id', f.tax_id,
             'taxonomy', f.taxonomy, 'phone', f.phone, 'submitter_id', f.submitter_id,
             'address', json_build_object('line1', f.address_line1, 'line2', f.address_line2,
                                          'city', f.address_city, 'state', f.address_state,
                                          'zip', f.address_zip)),
         'payer', json_build_object(
             'code', y.code, 'name', y.name, 'payer_id', y.payer_id,
             'receiver_id', y.receiver_id, 'filing_indicator', y.filing_indicator),
         'member', json_build_object(
             'mrn', m.mrn, 'first_name', m.first_name, 'last_name', m.last_name,
             'birth_date', m.birth_date, 'sex', m.sex, 'diagnosis_codes', m.diagnosis_codes,
             'address', CASE WHEN m.address_line1 IS NOT NULL THEN json_build_object(
                 'line1', m.address_line1, 'line2', m.address_line2, 'city', m.address_city,
                 'state', m.address_state, 'zip', m.address_zip) END),
         'subscriber_id', v.subscriber_id,
         'subscriber', CASE WHEN v.subscriber_relationship IS NOT NULL THEN json_build_object(
             'relationship', v.subscriber_relationship, 'first_name', v.subscriber_first_name,
             'last_name', v.subscriber_last_name, 'birth_date', v.subscriber_birth_date,
             'sex', v.subscriber_sex) END,
         'supervisor', (SELECT json_build_object('npi', d.npi, 'first_name', d.first_name,
                                                 'last_name', d.last_name)
                          FROM session_supervisor x JOIN provider d ON d.id = x.provider_id
                         WHERE x.facility_id = s.facility_id AND x.session_id = s.id
                           AND x.status IN ('ATTENDED', 'LATE')
                         ORDER BY x.id LIMIT 1),
         'lines', (SELECT coalesce(json_agg(json_build_object(
                              'procedure_code', l.procedure_code, 'modifiers', l.modifiers,
                              'units', l.units, 'amount', l.amount::text) ORDER BY l.line_number),
                           '[]'::json)
                     FROM claim_line l WHERE l.facility_id = c.facility_id AND l.claim_id = c.id)
       )::text
  FROM claim c
  JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id
  JOIN facility f ON f.id = c.facility_id
  JOIN payer y ON y.id = c.payer_id
  JOIN member m ON m.id = c.member_id
  JOIN coverage_policy v ON v.id = c.coverage_id
  LEFT JOIN claim r ON r.facility_id = c.facility_id AND r.id = c.replaces_claim_id
 WHERE c.id = ANY ($1)
 ORDER BY c.id
