-- Claims as `claims` and `claim show` present them, one JSON document each: the claim, its
-- lines, its stored Validation list and its chain (original → replacements → void).
-- $1: claim ids (or NULL); $2 session id, $3 MRN, $4 payer code, $5 status (each NULL for
-- any); $6 only blocked ones (not yet submitted, an unaccepted BLOCKING issue); $7 limit.
SELECT json_build_object(
    'id', c.id, 'facility_id', c.facility_id, 'session_id', c.session_id,
    'facility', f.code, 'timezone', f.timezone, 'local_date', s.local_date,
    'mrn', m.mrn, 'member_name', m.first_name || ' ' || m.last_name, 'payer', y.code,
    'frequency_code', c.frequency_code, 'status', c.status, 'amount', c.amount::text,
    'claim_control_number', c.claim_control_number, 'original_claim_id', c.original_claim_id,
    'replaces_claim_id', c.replaces_claim_id, 'payer_claim_number', c.payer_claim_number,
    'built_at', c.built_at, 'submitted_at', c.submitted_at,
    'lines', coalesce((
        SELECT json_agg(json_build_object(
                   'charge_id', l.charge_id, 'procedure_code', l.procedure_code,
                   'modifiers', l.modifiers, 'units', l.units, 'amount', l.amount::text)
                 ORDER BY l.line_number)
          FROM claim_line l WHERE l.facility_id = c.facility_id AND l.claim_id = c.id), '[]'::json),
    'issues', coalesce((
        SELECT json_agg(json_build_object(
                   'code', i.code, 'severity', i.severity, 'scope', i.scope, 'payer', i.payer,
                   'mrn', i.mrn, 'message', i.message, 'arithmetic', i.arithmetic,
                   'accepted', i.accepted, 'rule_ids', i.rule_ids) ORDER BY i.id)
          FROM claim_issue i WHERE i.facility_id = c.facility_id AND i.claim_id = c.id), '[]'::json),
    'chain', (
        SELECT json_agg(json_build_object(
                   'id', k.id, 'frequency_code', k.frequency_code, 'status', k.status,
                   'claim_control_number', k.claim_control_number,
                   'payer_claim_number', k.payer_claim_number) ORDER BY k.id)
          FROM claim k
         -- the chain's first claim by its key, the rest by theirs (claim_chain): two probes,
         -- not a walk through every claim of the facility
         WHERE k.facility_id = c.facility_id
           AND (k.id = coalesce(c.original_claim_id, c.id)
                OR k.original_claim_id = coalesce(c.original_claim_id, c.id)))
)::text
  FROM claim c
  JOIN member m ON m.id = c.member_id
  JOIN payer y ON y.id = c.payer_id
  JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id
  JOIN facility f ON f.id = s.facility_id
 WHERE ($1::bigint[] IS NULL OR c.id = ANY ($1))
   AND ($2::bigint IS NULL OR c.session_id = $2)
   AND ($3::text IS NULL OR m.mrn = $3)
   AND ($4::text IS NULL OR y.code = $4)
   AND ($5::text IS NULL OR c.status = $5)
   AND (NOT $6 OR (c.status = 'BUILT' AND EXISTS (
           SELECT 1 FROM claim_issue i
            WHERE i.facility_id = c.facility_id AND i.claim_id = c.id
              AND i.severity = 'BLOCKING' AND NOT i.accepted)))
 ORDER BY c.id DESC
 LIMIT $7
