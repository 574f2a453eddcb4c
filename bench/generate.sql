-- A synthetic dataset at production scale for the benchmarks (bench/run.sh sets the
-- variables): :facilities facilities and :sessions sessions with :roster participants each,
-- their supervisors, coverages, rules and bands, and the billing history of three years.
--
-- The shape of the days: the three newest days (today, yesterday and the day before) hold
-- :per_day sessions per facility each — the work a benchmark runs: today's list, yesterday's
-- bulk finalize, the day before's billing run. Every other session is history, spread evenly
-- over the :days days before them and fully billed: charges, submitted claims in stored EDI
-- interchanges (acknowledged, some replaced or voided), Validation lists, acceptances, and the
-- audit rows of their marks. A smaller :sessions keeps the work and shrinks the history, so two
-- scales compare cost against history.
--
-- Members belong to a facility and each attends sessions spread over its whole history, so a
-- member's encounters span three years.
--
-- Loaded as a superuser with triggers off (session_replication_role = replica): this is a
-- bulk load of synthetic data, so what the triggers keep (local_date, supervisor rows, audit
-- rows) is written here, set-based, as the triggers would write it.
\set ON_ERROR_STOP on
SET session_replication_role = replica;
SET synchronous_commit = off;
SET work_mem = '256MB';
SET maintenance_work_mem = '1GB';

\set per_facility (:sessions / :facilities)
\set recent (3 * :per_day)
\set members_per_facility (:members / :facilities)

BEGIN;
INSERT INTO payer (code, name, payer_id, filing_indicator) VALUES
    ('MCD', 'State Medicaid', 'MCD01', 'MC'),
    ('COM', 'Commercial Plan', 'COM01', 'CI'),
    ('BCBS', 'Blue Plan', 'BCB01', 'BL');
INSERT INTO group_type (code, name) VALUES ('DBT', 'DBT skills group'), ('ABA', 'ABA social skills');

-- Facilities on both coasts and in between.
INSERT INTO facility (code, name, state, timezone, npi, tax_id, phone, address_line1, address_city,
                      address_state, address_zip)
SELECT format('F%s', lpad(i::text, 3, '0')), format('Clinic %s', i),
       (ARRAY['OR', 'NY', 'IL', 'CA'])[1 + i % 4],
       (ARRAY['America/Los_Angeles', 'America/New_York', 'America/Chicago', 'America/Los_Angeles'])[1 + i % 4],
       '1234567893', '931234567', '5035550100', format('%s Main St', i), 'City',
       (ARRAY['OR', 'NY', 'IL', 'CA'])[1 + i % 4], '972011234'
  FROM generate_series(1, :facilities) i;

INSERT INTO supervision_rule (payer_id, state, max_per_supervisor)
SELECT p.id, s.state, 6 FROM payer p CROSS JOIN (VALUES ('OR'), ('NY'), ('IL'), ('CA')) s(state);
INSERT INTO size_band (payer_id, state, min_size, max_size, procedure_code, modifiers, rate)
SELECT p.id, s.state, b.lo, b.hi, '90853', '{HQ}', b.rate
  FROM payer p CROSS JOIN (VALUES ('OR'), ('NY'), ('IL'), ('CA')) s(state)
  CROSS JOIN (VALUES (2, 4, 45.00), (6, 8, 40.00)) b(lo, hi, rate);

-- Members, :members_per_facility of each facility (member ids run facility by facility);
-- consecutive members share a supervising provider.
INSERT INTO member (mrn, first_name, last_name, birth_date, sex, diagnosis_codes,
                    address_line1, address_city, address_state, address_zip)
SELECT format('M%s', lpad(i::text, 7, '0')), 'First' || i, 'Last' || i,
       date '1980-01-01' + (i % 9000), (ARRAY['F', 'M'])[1 + i % 2], '{F331}',
       format('%s Oak Ave', i), 'City', 'OR', '97202'
  FROM generate_series(1, :members) i;
-- NPIs with their Luhn check digit (over the prefix 80840, whose digits add 24).
INSERT INTO provider (npi, first_name, last_name)
SELECT base || (10 - (24 + (SELECT sum(CASE WHEN k % 2 = 1
                                             THEN (2 * substr(base, k, 1)::int) / 10 + (2 * substr(base, k, 1)::int) % 10
                                             ELSE substr(base, k, 1)::int END)
                              FROM generate_series(1, 9) k)) % 10) % 10,
       'Prov' || i, 'Ider' || i
  FROM generate_series(1, :members / 50 + 1) i CROSS JOIN LATERAL (SELECT (100000000 + i)::text AS base) b;
INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date)
SELECT m.id, 1 + m.id % 3, 1, 'SUB' || m.id, date '2020-01-01' FROM member m;
INSERT INTO staff_assignment (provider_id, member_id, role, start_date)
SELECT 1 + (m.id - 1) / 50, m.id, 'SUPERVISING', date '2020-01-01' FROM member m;
INSERT INTO app_user (login, name, home_facility_id)
SELECT 'biller' || i, 'Billing Specialist ' || i, 1 + i % :facilities FROM generate_series(1, 20) i;

-- Sessions: :per_facility per facility. The first :recent of each facility fall on the three
-- newest days, :per_day a day; the rest spread evenly over the :days days before them.
CREATE TEMP TABLE slot AS
SELECT n, CASE WHEN n < :recent THEN n / :per_day
               ELSE 3 + ((n - :recent)::bigint * :days / greatest(:per_facility - :recent, 1))::int END AS days_ago
  FROM generate_series(0, :per_facility - 1) n;
INSERT INTO group_session (facility_id, external_id, group_type_id, starts_at, ends_at, local_date,
                           source, billing_settled, billed_at, billed_version)
SELECT f.id, format('S%s-%s', f.id, n), 1 + n % 2,
       ((current_date - days_ago) + make_interval(hours => 8 + n % 10)) AT TIME ZONE f.timezone,
       ((current_date - days_ago) + make_interval(hours => 9 + n % 10, mins => 30)) AT TIME ZONE f.timezone,
       current_date - days_ago,
       'FEED',
       days_ago >= 3,
       CASE WHEN days_ago >= 3 THEN (current_date - days_ago + 1)::timestamptz END,
       CASE WHEN days_ago >= 3 THEN 0 END
  FROM facility f CROSS JOIN slot
 ORDER BY f.id, n;

-- Roster: :roster members of the session's facility, chosen so each member's sessions spread
-- over its facility's whole history; past sessions marked (four of five billable).
INSERT INTO session_participant (facility_id, session_id, member_id, status, updated_at)
SELECT s.facility_id, s.id,
       (s.facility_id - 1) * :members_per_facility + 1
           + ((split_part(s.external_id, '-', 2)::int * :roster + k) % :members_per_facility),
       CASE WHEN s.local_date = current_date THEN 'SCHEDULED'
            ELSE (ARRAY['ATTENDED', 'ATTENDED', 'LATE', 'ABSENT', 'ATTENDED'])[1 + (s.id + k) % 5] END::attendance_status,
       CASE WHEN s.local_date = current_date THEN s.created_at ELSE s.ends_at END
  FROM group_session s CROSS JOIN generate_series(0, :roster - 1) k
 ORDER BY s.facility_id, s.id, k;

-- Supervisors, derived as sync_session_supervisors() would.
INSERT INTO session_supervisor (facility_id, session_id, provider_id, source, assignment_id, status)
SELECT DISTINCT ON (p.facility_id, p.session_id, a.provider_id)
       p.facility_id, p.session_id, a.provider_id, 'ASSIGNMENT', a.id,
       CASE WHEN s.local_date = current_date THEN 'SCHEDULED' ELSE 'ATTENDED' END::attendance_status
  FROM session_participant p
  JOIN group_session s ON s.facility_id = p.facility_id AND s.id = p.session_id
  JOIN staff_assignment a ON a.member_id = p.member_id AND a.role = 'SUPERVISING'
 ORDER BY p.facility_id, p.session_id, a.provider_id, p.id;
COMMIT;

-- ---------------------------------------------------------------------------------------
-- Billing history of the settled sessions
-- ---------------------------------------------------------------------------------------
BEGIN;
-- One charge per billable participant, priced by the 2–4 band of its payer and state.
INSERT INTO charge (facility_id, session_id, participant_id, member_id, payer_id, coverage_id,
                    band_id, procedure_code, modifiers, units, rate, amount, status,
                    priced_version, created_at)
SELECT p.facility_id, p.session_id, p.id, p.member_id, c.payer_id, c.id, b.id, b.procedure_code,
       b.modifiers, 1, b.rate, b.rate, 'ACTIVE', 0, s.billed_at
  FROM group_session s
  JOIN facility f ON f.id = s.facility_id
  JOIN session_participant p ON p.facility_id = s.facility_id AND p.session_id = s.id
  JOIN coverage_policy c ON c.member_id = p.member_id AND c.priority = 1
  JOIN size_band b ON b.payer_id = c.payer_id AND b.state = f.state AND b.min_size = 2
 WHERE s.billing_settled AND p.status IN ('ATTENDED', 'LATE')
 ORDER BY p.facility_id, p.session_id, p.id;

-- Sessions of three kinds stand out from the plain billed ones: a few whose claims are stuck,
-- blocked, never sent (the work list); some with a replacement (7) sent for one member; some
-- with that member's claim voided (8).
CREATE TEMP TABLE session_kind AS
SELECT facility_id, id AS session_id,
       CASE WHEN id % 4999 = 0 THEN 'blocked' WHEN id % 211 = 0 THEN 'void'
            WHEN id % 97 = 0 THEN 'replaced' ELSE 'plain' END AS kind
  FROM group_session WHERE billing_settled;
CREATE INDEX ON session_kind (facility_id, session_id);
ANALYZE session_kind;

-- Stored interchanges: one per facility, payer and week of history, another for the week's
-- corrections.
CREATE TEMP TABLE document_key AS
SELECT row_number() OVER (ORDER BY f.id, y.id, w.week, x.corrections) AS id, f.id AS facility_id,
       y.id AS payer_id, w.week, x.corrections
  FROM facility f CROSS JOIN payer y CROSS JOIN generate_series(0, :days / 7 + 1) w(week)
 CROSS JOIN (VALUES (false), (true)) x(corrections);
CREATE INDEX ON document_key (facility_id, payer_id, week, corrections);
ANALYZE document_key;
INSERT INTO edi_document (id, facility_id, payer_id, interchange_control_number, production,
                          content, created_by, created_at)
SELECT id, facility_id, payer_id, id, true, '', 'biller' || (1 + facility_id % 20),
       current_date - week * 7
  FROM document_key ORDER BY id;
SELECT setval(pg_get_serial_sequence('edi_document', 'id'), (SELECT max(id) FROM edi_document)) \g /dev/null
SELECT setval('interchange_control_number_seq', (SELECT max(interchange_control_number) FROM edi_document)) \g /dev/null

-- Originals: one claim per charge, with the charge's id. Sent and acknowledged, except the
-- blocked sessions' claims, which were never sent.
INSERT INTO claim (id, facility_id, session_id, member_id, payer_id, coverage_id, frequency_code,
                   status, claim_control_number, payer_claim_number, amount, is_live, built_at,
                   submitted_at, edi_document_id)
SELECT c.id, c.facility_id, c.session_id, c.member_id, c.payer_id, c.coverage_id, '1',
       CASE WHEN k.kind = 'blocked' THEN 'BUILT'
            WHEN k.kind = 'void' AND c.first_billable THEN 'VOIDED'
            WHEN k.kind = 'replaced' AND c.first_billable THEN 'REPLACED'
            ELSE 'SUBMITTED' END,
       c.id::text,
       CASE WHEN k.kind <> 'blocked' THEN y.payer_id || lpad(c.id::text, 11, '0') END,
       c.amount,
       NOT (k.kind IN ('void', 'replaced') AND c.first_billable),
       c.created_at,
       CASE WHEN k.kind <> 'blocked' THEN c.created_at + interval '1 hour' END,
       CASE WHEN k.kind <> 'blocked' THEN d.id END
  FROM (SELECT c.*, c.id = min(c.id) OVER (PARTITION BY c.facility_id, c.session_id) AS first_billable
          FROM charge c) c
  JOIN session_kind k ON k.facility_id = c.facility_id AND k.session_id = c.session_id
  JOIN payer y ON y.id = c.payer_id
  LEFT JOIN document_key d ON d.facility_id = c.facility_id AND d.payer_id = c.payer_id
                          AND d.week = (current_date - c.created_at::date) / 7 AND NOT d.corrections
 ORDER BY c.id;
SELECT setval(pg_get_serial_sequence('claim', 'id'), (SELECT max(id) FROM claim)) \g /dev/null
-- The corrections: a replacement or a void of the first billable member's claim, sent later.
INSERT INTO claim (facility_id, session_id, member_id, payer_id, coverage_id, frequency_code,
                   status, claim_control_number, original_claim_id, replaces_claim_id, amount,
                   is_live, built_at, submitted_at, edi_document_id)
SELECT o.facility_id, o.session_id, o.member_id, o.payer_id, o.coverage_id,
       CASE o.status WHEN 'VOIDED' THEN '8' ELSE '7' END, 'SUBMITTED', o.claim_control_number,
       o.id, o.id, o.amount, true, o.built_at + interval '3 days', o.built_at + interval '3 days',
       d.id
  FROM claim o
  JOIN document_key d ON d.facility_id = o.facility_id AND d.payer_id = o.payer_id
                     AND d.week = (current_date - o.built_at::date) / 7 AND d.corrections
 WHERE o.status IN ('VOIDED', 'REPLACED')
 ORDER BY o.id;
UPDATE charge c SET status = 'VOID', voided_at = o.built_at + interval '3 days'
  FROM claim o
 WHERE o.status = 'VOIDED' AND c.facility_id = o.facility_id AND c.id = o.id;
SELECT setval(pg_get_serial_sequence('charge', 'id'), (SELECT max(id) FROM charge)) \g /dev/null
SELECT setval('claim_control_number_seq', (SELECT max(id) FROM charge)) \g /dev/null

-- One line a claim: the charge it bills (a correction repeats its original's charge).
INSERT INTO claim_line (facility_id, claim_id, charge_id, line_number, procedure_code, modifiers,
                        units, amount)
SELECT k.facility_id, k.id, coalesce(k.original_claim_id, k.id), 1, c.procedure_code,
       c.modifiers, c.units, c.amount
  FROM claim k
  JOIN charge c ON c.facility_id = k.facility_id AND c.id = coalesce(k.original_claim_id, k.id)
 ORDER BY k.facility_id, k.id;

-- Validation lists: the stuck claims are blocked by a missing subscriber id; one session in
-- twenty ran with one supervisor too few, accepted knowingly for its payers.
INSERT INTO claim_issue (facility_id, claim_id, code, severity, scope, payer, mrn, message,
                         arithmetic, accepted)
SELECT k.facility_id, k.id, 'MISSING_SUBSCRIBER_ID', 'BLOCKING', 'MEMBER', y.code, m.mrn,
       format('%s has no subscriber id on the %s coverage', m.mrn, y.code),
       'subscriber id: none', false
  FROM claim k
  JOIN session_kind s ON s.facility_id = k.facility_id AND s.session_id = k.session_id
  JOIN member m ON m.id = k.member_id
  JOIN payer y ON y.id = k.payer_id
 WHERE s.kind = 'blocked';
INSERT INTO accepted_exception (facility_id, session_id, code, payer_id, reason, accepted_by,
                                accepted_at, group_size, supervisors_present)
SELECT DISTINCT c.facility_id, c.session_id, 'SUPERVISION_RATIO_BREACH', c.payer_id,
       'substitute supervisor on the floor, approved by the payer', 'biller' || (1 + c.session_id % 20),
       s.ends_at, 4, 1
  FROM charge c JOIN group_session s ON s.facility_id = c.facility_id AND s.id = c.session_id
 WHERE c.session_id % 20 = 1;
INSERT INTO claim_issue (facility_id, claim_id, code, severity, scope, payer, mrn, message,
                         arithmetic, accepted)
SELECT k.facility_id, k.id, 'SUPERVISION_RATIO_BREACH', 'WARNING', 'PAYER', y.code, NULL,
       format('%s: 4 billable members need 1 supervisor at 1:6; 1 present', y.code),
       'ceil(4 / 6) = 1 required, 1 present', true
  FROM claim k JOIN payer y ON y.id = k.payer_id
 WHERE k.session_id % 20 = 1;

-- The text of each interchange: its envelope around the claims it carried.
UPDATE edi_document d
   SET content = format('ISA*00*          *00*          *ZZ*%s*ZZ*%s*%s*1200*^*00501*%s*0*P*:~GS*HC*%s*%s*%s*1200*%s*X*005010X222A1~ST*837*0001*005010X222A1~',
                        rpad('931234567', 15), rpad(y.payer_id, 15), to_char(d.created_at, 'YYMMDD'),
                        lpad(d.interchange_control_number::text, 9, '0'), '931234567', y.payer_id,
                        to_char(d.created_at, 'YYYYMMDD'), d.interchange_control_number)
                 || t.claims
                 || format('SE*%s*0001~GE*1*%s~IEA*1*%s~', t.segments + 3, d.interchange_control_number,
                           lpad(d.interchange_control_number::text, 9, '0'))
  FROM payer y,
       (SELECT k.facility_id, k.edi_document_id,
               string_agg(format('HL*%s*1*22*0~SBR*P*18*******MC~NM1*IL*1*Last%s*First%s****MI*SUB%s~CLM*%s*%s***11:B:%s*Y*A*Y*Y~%sLX*1~SV1*HC:90853:HQ*%s*UN*1***1~DTP*472*D8*%s~',
                                 k.id, k.member_id, k.member_id, k.member_id, k.claim_control_number,
                                 k.amount, k.frequency_code,
                                 CASE WHEN k.replaces_claim_id IS NOT NULL
                                      THEN format('REF*F8*%s~', o.payer_claim_number) ELSE '' END,
                                 k.amount, to_char(k.built_at, 'YYYYMMDD')), '' ORDER BY k.id) AS claims,
               count(*) * 8 AS segments
          FROM claim k LEFT JOIN claim o ON o.facility_id = k.facility_id AND o.id = k.replaces_claim_id
         WHERE k.edi_document_id IS NOT NULL
         GROUP BY k.facility_id, k.edi_document_id) t
 WHERE t.facility_id = d.facility_id AND t.edi_document_id = d.id AND y.id = d.payer_id;
DELETE FROM edi_document d WHERE content = '';

-- The audit trail: each session's creation and each mark of its roster.
INSERT INTO audit_log (at, actor, action, facility_id, session_id, after)
SELECT s.starts_at - interval '7 days', 'feed', 'session.create',
       s.facility_id, s.id,
       jsonb_build_object('id', s.id, 'facility_id', s.facility_id, 'external_id', s.external_id,
                          'starts_at', s.starts_at, 'ends_at', s.ends_at, 'source', s.source)
  FROM group_session s ORDER BY s.local_date, s.id;
INSERT INTO audit_log (at, actor, action, facility_id, session_id, member_id, before, after)
SELECT p.updated_at, 'biller' || (1 + p.session_id % 20), 'roster.mark', p.facility_id, p.session_id,
       p.member_id,
       jsonb_build_object('id', p.id, 'status', 'SCHEDULED', 'member_id', p.member_id, 'session_id', p.session_id),
       jsonb_build_object('id', p.id, 'status', p.status, 'member_id', p.member_id, 'session_id', p.session_id)
  FROM session_participant p
 WHERE p.status <> 'SCHEDULED'
 ORDER BY p.updated_at, p.id;
INSERT INTO audit_log (at, actor, action, facility_id, session_id, claim_id, member_id, after)
SELECT k.submitted_at, 'biller' || (1 + k.session_id % 20), 'claim.submitted', k.facility_id,
       k.session_id, k.id, k.member_id,
       jsonb_build_object('id', k.id, 'status', k.status, 'frequency_code', k.frequency_code,
                          'edi_document_id', k.edi_document_id)
  FROM claim k WHERE k.submitted_at IS NOT NULL
 ORDER BY k.submitted_at, k.id;
COMMIT;

VACUUM ANALYZE;
