-- Scopes are roles (SPEC §5). Grant the least that works; the triggers and definer
-- functions do the rest.
-- Default privileges (0001) already withheld EXECUTE from PUBLIC; this makes it certain.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;

SET LOCAL ROLE gsess_owner;

-- clinical.group-session.read: everything but the force tokens.
GRANT SELECT ON facility, payer, group_type, member, provider, coverage_policy, staff_assignment,
                supervision_rule, size_band, app_user, group_session, session_participant,
                session_supervisor, accepted_exception, charge, claim, claim_line, claim_issue,
                edi_document, audit_log, attendance_transition
   TO "clinical.group-session.read";
GRANT EXECUTE ON FUNCTION session_is_locked(bigint, bigint) TO "clinical.group-session.read";

-- clinical.attendance.write: mark, roster add/remove, supervisor add, create, accept.
GRANT UPDATE (status) ON session_participant, session_supervisor TO "clinical.attendance.write";
GRANT INSERT (facility_id, session_id, member_id) ON session_participant TO "clinical.attendance.write";
GRANT DELETE ON session_participant TO "clinical.attendance.write";
GRANT INSERT (facility_id, session_id, provider_id, source) ON session_supervisor TO "clinical.attendance.write";
GRANT INSERT (facility_id, group_type_id, starts_at, ends_at, local_date, place_of_service, source)
   ON group_session TO "clinical.attendance.write";
GRANT INSERT (facility_id, session_id, code, payer_id, member_id, reason, group_size, supervisors_present)
   ON accepted_exception TO "clinical.attendance.write";
GRANT UPDATE (revoked_by, revoked_at) ON accepted_exception TO "clinical.attendance.write";

-- clinical.billing.run: charges, claims, their lines and issues, EDI, the billed mark.
-- Updates are column-level: a claim never moves to another session or member (which
-- would unlock a session), a charge is only voided, a stored EDI document never changes.
GRANT INSERT ON charge, claim, claim_line, claim_issue, edi_document TO "clinical.billing.run";
GRANT UPDATE (status, voided_at) ON charge TO "clinical.billing.run";
GRANT UPDATE (status, is_live, amount, submitted_at, edi_document_id, payer_claim_number)
   ON claim TO "clinical.billing.run";
GRANT DELETE ON claim_line, claim_issue TO "clinical.billing.run";
GRANT UPDATE (billed_at, billed_version) ON group_session TO "clinical.billing.run";
GRANT USAGE ON SEQUENCE claim_control_number_seq, interchange_control_number_seq TO "clinical.billing.run";

-- gsess.admin: the import.
GRANT INSERT, UPDATE ON facility, payer, group_type, member, provider, coverage_policy,
                        staff_assignment, supervision_rule, size_band, app_user
   TO "gsess.admin";
GRANT INSERT (facility_id, external_id, group_type_id, starts_at, ends_at, local_date, place_of_service, source)
   ON group_session TO "gsess.admin";
GRANT UPDATE (group_type_id, starts_at, ends_at, place_of_service) ON group_session TO "gsess.admin";
GRANT INSERT (facility_id, session_id, member_id) ON session_participant TO "gsess.admin";
GRANT DELETE ON session_participant TO "gsess.admin";
GRANT EXECUTE ON FUNCTION audit_import(jsonb) TO "gsess.admin";

-- whoami needs no scope: each login sees its own profile, and only its own (the view runs
-- with its owner's privileges and filters on session_user).
CREATE VIEW current_user_profile WITH (security_barrier) AS
    SELECT u.login, u.name, f.code AS home_facility
      FROM app_user u LEFT JOIN facility f ON f.id = u.home_facility_id
     WHERE u.login = session_user;
GRANT SELECT ON current_user_profile TO PUBLIC;

RESET ROLE;

-- The force function's owner needs exactly what the function does.
GRANT SELECT, UPDATE ON group_session TO gsess_force;
GRANT SELECT, UPDATE (status) ON session_participant, session_supervisor TO gsess_force;
GRANT SELECT, INSERT, DELETE ON force_token TO gsess_force;
GRANT EXECUTE ON FUNCTION audit_forced_correction(bigint, bigint, jsonb, jsonb, text) TO gsess_force;
REVOKE EXECUTE ON FUNCTION force_attendance(bigint, text, bigint[], bigint[], text) FROM PUBLIC;
-- clinical.attendance.write.force: only through the forced-correction function.
GRANT EXECUTE ON FUNCTION force_attendance(bigint, text, bigint[], bigint[], text)
   TO "clinical.attendance.write.force";
