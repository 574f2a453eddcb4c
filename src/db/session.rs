//! Reading sessions: everything the rules and the screens need about a session comes from
//! one statement (one snapshot, one round trip), however many roster rows it has. The same
//! statement serves one session (`show`, `preview`) or a batch (the billing run).

use crate::error::{Error, Result};
use crate::rules::coverage::{select_primary, Policy};
use crate::rules::facts::{RosterRow, SessionFacts, SupervisorRow};
use crate::rules::issues::Acceptance;
use crate::rules::{AttendanceStatus, SessionStatus, SizeBand, SupervisionRule};
use crate::time::facility_zone;
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
        facility_zone(&self.timezone)
    }
}

/// The one statement (`$1`: an array of session ids); the benchmark runs the same file.
const SESSIONS_SQL: &str = include_str!("sql/session.sql");

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
