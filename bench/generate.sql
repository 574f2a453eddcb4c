-- A synthetic dataset at production scale for the benchmarks (bench/run.sh sets the
-- variables): :facilities facilities, :sessions sessions spread over :days days ending today,
-- :roster participants per session, their supervisors, coverages, rules and bands.
--
-- Loaded as a superuser with triggers off (session_replication_role = replica): this is a
-- bulk load of synthetic data, so the columns the triggers keep (local_date, supervisor
-- rows) are filled here, set-based, exactly as the triggers would.
\set ON_ERROR_STOP on
SET session_replication_role = replica;
SET synchronous_commit = off;

BEGIN;
INSERT INTO payer (code, name, payer_id, filing_indicator) VALUES
    ('MCD', 'State Medicaid', 'MCD01', 'MC'),
    ('COM', 'Commercial Plan', 'COM01', 'CI'),
    ('BCBS', 'Blue Plan', 'BCB01', 'BL');
INSERT INTO group_type (code, name) VALUES ('DBT', 'DBT skills group'), ('ABA', 'ABA social skills');

-- Facilities on both coasts and in between.
INSERT INTO facility (code, name, state, timezone, npi, tax_id, address_line1, address_city,
                      address_state, address_zip)
SELECT format('F%s', lpad(i::text, 3, '0')), format('Clinic %s', i),
       (ARRAY['OR', 'NY', 'IL', 'CA'])[1 + i % 4],
       (ARRAY['America/Los_Angeles', 'America/New_York', 'America/Chicago', 'America/Los_Angeles'])[1 + i % 4],
       '1234567893', '931234567', format('%s Main St', i), 'City',
       (ARRAY['OR', 'NY', 'IL', 'CA'])[1 + i % 4], '972011234'
  FROM generate_series(1, :facilities) i;

INSERT INTO supervision_rule (payer_id, state, max_per_supervisor)
SELECT p.id, s.state, 6 FROM payer p CROSS JOIN (VALUES ('OR'), ('NY'), ('IL'), ('CA')) s(state);
INSERT INTO size_band (payer_id, state, min_size, max_size, procedure_code, modifiers, rate)
SELECT p.id, s.state, b.lo, b.hi, '90853', '{HQ}', b.rate
  FROM payer p CROSS JOIN (VALUES ('OR'), ('NY'), ('IL'), ('CA')) s(state)
  CROSS JOIN (VALUES (2, 4, 45.00), (6, 8, 40.00)) b(lo, hi, rate);

-- Members: each attends several sessions; consecutive members share a supervising provider.
INSERT INTO member (mrn, first_name, last_name, birth_date, sex, diagnosis_codes)
SELECT format('M%s', lpad(i::text, 7, '0')), 'First' || i, 'Last' || i,
       date '1980-01-01' + (i % 9000), (ARRAY['F', 'M'])[1 + i % 2], '{F331}'
  FROM generate_series(1, :members) i;
INSERT INTO provider (npi, first_name, last_name)
SELECT lpad((1000000000 + i)::text, 10, '0'), 'Prov' || i, 'Ider' || i
  FROM generate_series(1, :members / 50 + 1) i;
INSERT INTO coverage_policy (member_id, payer_id, priority, subscriber_id, start_date)
SELECT m.id, 1 + m.id % 3, 1, 'SUB' || m.id, date '2020-01-01' FROM member m;
INSERT INTO staff_assignment (provider_id, member_id, role, start_date)
SELECT 1 + (m.id - 1) / 50, m.id, 'SUPERVISING', date '2020-01-01' FROM member m;

-- Sessions: :sessions / :facilities per facility, a few per day, over :days days.
INSERT INTO group_session (facility_id, external_id, group_type_id, starts_at, ends_at, local_date, source)
SELECT f.id, format('S%s-%s', f.id, n), 1 + n % 2,
       ((current_date - (n / 10) % :days) + make_interval(hours => 8 + n % 10)) AT TIME ZONE f.timezone,
       ((current_date - (n / 10) % :days) + make_interval(hours => 9 + n % 10, mins => 30)) AT TIME ZONE f.timezone,
       current_date - (n / 10) % :days,
       'FEED'
  FROM facility f CROSS JOIN generate_series(0, :sessions / :facilities - 1) n;

-- Roster: :roster consecutive members per session; past sessions mostly marked.
INSERT INTO session_participant (facility_id, session_id, member_id, status)
SELECT s.facility_id, s.id, 1 + ((s.id * :roster + k) % :members),
       CASE WHEN s.local_date = current_date THEN 'SCHEDULED'
            ELSE (ARRAY['ATTENDED', 'ATTENDED', 'LATE', 'ABSENT', 'ATTENDED'])[1 + (s.id + k) % 5] END
  FROM group_session s CROSS JOIN generate_series(0, :roster - 1) k;

-- Supervisors, derived as sync_session_supervisors() would.
INSERT INTO session_supervisor (facility_id, session_id, provider_id, source, assignment_id, status)
SELECT DISTINCT ON (p.session_id, a.provider_id)
       p.facility_id, p.session_id, a.provider_id, 'ASSIGNMENT', a.id,
       CASE WHEN s.local_date = current_date THEN 'SCHEDULED' ELSE 'ATTENDED' END
  FROM session_participant p
  JOIN group_session s ON s.facility_id = p.facility_id AND s.id = p.session_id
  JOIN staff_assignment a ON a.member_id = p.member_id AND a.role = 'SUPERVISING'
 ORDER BY p.session_id, a.provider_id, p.id;
COMMIT;

VACUUM ANALYZE;
