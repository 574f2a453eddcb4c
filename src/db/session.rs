//! Reading sessions: everything the rules and the screens need about a session comes from
//! one statement (one snapshot, one round trip), however many roster rows it has. The same
//! statement serves one session (`show`, `preview`) or a batch (the billing run).

use crate::error::{Error, Result};
use crate::rules::coverage::{select_primary, Policy};
use crate::rules::facts::{RosterRow, SessionFacts, SupervisorRow};
use crate::rules::issues::Acceptance;
use crate::rules::{AttendanceStatus, SessionStatus, SizeBand, SupervisionRule};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use sqlx::PgExecutor;

/// A session as read: header, roster and supervisors with their names, and the candidate
/// rule rows (this state, the roster's payers, in effect on the session's local date).
#[derive(Debug, Clone, Deserialize)]
pub struct SessionRecord {
    pub id: i64,
    pub facility_id: i64,
    pub external_id: Option<String>,
    pub facility: String,
    pub facility_name: String,
    pub timezone: String,
    pub facility_state: String,
    pub billing_npi: String,
    pub group_type: String,
    pub group_type_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub place_of_service: Option<String>,
    pub source: String,
    pub attendance_version: i64,
    pub has_claim: bool,
    pub billed: bool,
    pub roster: Vec<RosterEntry>,
    pub supervisors: Vec<SupervisorEntry>,
    pub supervision_rules: Vec<SupervisionRule>,
    pub size_bands: Vec<SizeBand>,
    pub acceptances: Vec<AcceptanceEntry>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RosterEntry {
    pub row_id: i64,
    pub member_id: i64,
    pub mrn: String,
    pub first_name: String,
    pub last_name: String,
    pub status: AttendanceStatus,
    pub has_diagnosis: bool,
    /// Every policy of the member; the rules choose the primary one active that day.
    pub policies: Vec<Policy>,
}

impl RosterEntry {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct SupervisorEntry {
    pub row_id: i64,
    pub provider_id: i64,
    pub npi: String,
    pub first_name: String,
    pub last_name: String,
    pub status: AttendanceStatus,
    /// `ASSIGNMENT` (derived from staff_assignment) or `MANUAL` (`supervisor add`).
    pub source: String,
    pub assignment_id: Option<i64>,
    /// The participant whose SUPERVISING assignment linked this supervisor.
    pub linked_mrn: Option<String>,
    pub assignment_start: Option<NaiveDate>,
    pub assignment_end: Option<NaiveDate>,
}

impl SupervisorEntry {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AcceptanceEntry {
    #[serde(flatten)]
    pub acceptance: Acceptance,
    pub reason: String,
    pub accepted_by: String,
    pub accepted_at: DateTime<Utc>,
}

impl SessionRecord {
    /// The plain facts the rules judge (SPEC §2): coverage resolved per member by the rules.
    pub fn facts(&self) -> SessionFacts {
        let minutes = (self.ends_at - self.starts_at).num_minutes().max(0);
        SessionFacts {
            session_id: self.id,
            local_date: self.local_date,
            scheduled_minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
            facility_state: self.facility_state.clone(),
            billing_npi: self.billing_npi.clone(),
            group_type: self.group_type.clone(),
            roster: self
                .roster
                .iter()
                .map(|entry| RosterRow {
                    row_id: entry.row_id,
                    mrn: entry.mrn.clone(),
                    status: entry.status,
                    coverage: self.primary_policy(entry).map(Policy::coverage),
                    has_diagnosis: entry.has_diagnosis,
                })
                .collect(),
            supervisors: self
                .supervisors
                .iter()
                .map(|entry| SupervisorRow {
                    npi: entry.npi.clone(),
                    name: entry.name(),
                    status: entry.status,
                })
                .collect(),
            supervision_rules: self.supervision_rules.clone(),
            size_bands: self.size_bands.clone(),
            acceptances: self
                .acceptances
                .iter()
                .map(|a| a.acceptance.clone())
                .collect(),
        }
    }

    pub fn primary_policy<'a>(&self, entry: &'a RosterEntry) -> Option<&'a Policy> {
        select_primary(&entry.policies, self.local_date).0
    }

    /// SPEC §1.3, the first that applies: LOCKED, BILLED, READY, OPEN.
    pub fn status(&self) -> SessionStatus {
        SessionStatus::derive(
            self.has_claim,
            self.billed,
            self.roster.iter().map(|r| r.status),
        )
    }

    /// The facility's time zone (validated on import; UTC if the database holds a name
    /// chrono-tz does not know, rather than failing a read).
    pub fn tz(&self) -> Tz {
        self.timezone.parse().unwrap_or(Tz::UTC)
    }
}

/// The one statement. `$1` is an array of session ids.
const SESSIONS_SQL: &str = r#"
SELECT json_build_object(
    'id', s.id, 'facility_id', s.facility_id, 'external_id', s.external_id,
    'facility', f.code, 'facility_name', f.name, 'timezone', f.timezone,
    'facility_state', f.state, 'billing_npi', f.npi,
    'group_type', t.code, 'group_type_name', t.name,
    'starts_at', s.starts_at, 'ends_at', s.ends_at, 'local_date', s.local_date,
    'place_of_service', s.place_of_service, 'source', s.source,
    'attendance_version', s.attendance_version,
    'has_claim', EXISTS (SELECT 1 FROM claim c WHERE c.facility_id = s.facility_id AND c.session_id = s.id),
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
"#;

/// Sessions by id, in id order; ids that do not exist are simply absent.
pub async fn load_sessions<'e>(
    executor: impl PgExecutor<'e>,
    ids: &[i64],
) -> Result<Vec<SessionRecord>> {
    let documents: Vec<String> = sqlx::query_scalar(SESSIONS_SQL)
        .bind(ids)
        .fetch_all(executor)
        .await?;
    documents
        .iter()
        .map(|doc| {
            serde_json::from_str(doc)
                .map_err(|e| Error::internal(format!("reading a session: {e}")))
        })
        .collect()
}

/// One session, or exit 3 naming it.
pub async fn load_session<'e>(executor: impl PgExecutor<'e>, id: i64) -> Result<SessionRecord> {
    load_sessions(executor, &[id])
        .await?
        .pop()
        .ok_or_else(|| Error::not_found(format!("no session {id}")).with("session_id", id))
}
