//! The records gsess reads and shows, as plain data: `db` fills them, the operations turn them
//! into the facts `rules` judges, `output` renders them. No SQL and no formatting here.

use crate::billing::edi;
use crate::rules::codes::code_enum;
use crate::rules::coverage::Policy;
use crate::rules::issues::Acceptance;
use crate::rules::{
    AttendanceStatus, Coverage, SessionStatus, SizeBand, SupervisionRule, SupervisorRow,
};
use crate::time::facility_zone;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::Deserialize;

// ---------------------------------------------------------------------------------------
// A session as gsess reads it — header, roster, supervisors, the candidate rule rows and the
// live acceptances — and the summary `list` shows for each session.
// ---------------------------------------------------------------------------------------

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
    /// A claim exists: attendance edits need `force-update`.
    pub locked: bool,
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
    /// The first status that applies: LOCKED, BILLED, READY, OPEN.
    pub fn status(&self) -> SessionStatus {
        SessionStatus::derive(
            self.locked,
            self.billed,
            self.roster.iter().map(|r| r.status),
        )
    }

    /// The facility's time zone (validated on import; UTC if the database holds a name
    /// chrono-tz does not know, rather than failing a read).
    pub fn tz(&self) -> Tz {
        facility_zone(&self.timezone)
    }

    /// The session as `list` would show it.
    pub fn summary(&self) -> SessionSummary {
        SessionSummary {
            id: self.id,
            external_id: self.external_id.clone(),
            local_date: self.local_date,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            facility: self.facility.clone(),
            timezone: self.timezone.clone(),
            group_type: self.group_type.clone(),
            // One row per provider already (unique per session); two providers who share a
            // name are two supervisors.
            supervisors: self.supervisors.iter().map(SupervisorEntry::name).collect(),
            attendance: AttendanceCounts::of(self.roster.iter().map(|r| r.status)),
            status: self.status(),
        }
    }
}

/// A session as `list` shows it, and as the header of `show`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: i64,
    pub external_id: Option<String>,
    pub local_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub facility: String,
    pub timezone: String,
    pub group_type: String,
    /// Supervisor names, one per provider, in the order the session got them.
    pub supervisors: Vec<String>,
    pub attendance: AttendanceCounts,
    pub status: SessionStatus,
}

impl SessionSummary {
    pub fn tz(&self) -> Tz {
        facility_zone(&self.timezone)
    }
}

/// Roster counts by attendance status (participants only; supervisors never count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct AttendanceCounts {
    pub scheduled: u32,
    pub attended: u32,
    pub late: u32,
    pub absent: u32,
}

impl AttendanceCounts {
    pub fn of(statuses: impl IntoIterator<Item = AttendanceStatus>) -> AttendanceCounts {
        let mut counts = AttendanceCounts::default();
        for status in statuses {
            match status {
                AttendanceStatus::Scheduled => counts.scheduled += 1,
                AttendanceStatus::Attended => counts.attended += 1,
                AttendanceStatus::Late => counts.late += 1,
                AttendanceStatus::Absent => counts.absent += 1,
            }
        }
        counts
    }

    /// The roster size.
    pub fn total(&self) -> u32 {
        self.scheduled + self.attended + self.late + self.absent
    }
}

// ---------------------------------------------------------------------------------------
// Attendance changes as the write path reports them.
// ---------------------------------------------------------------------------------------

/// A roster row (a participant) or a supervisor row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    Participant,
    Supervisor,
}

/// One row that changed (or would change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: RowKind,
    pub row_id: i64,
    /// The MRN of a participant, the NPI of a supervisor.
    pub key: String,
    pub name: String,
    pub from: AttendanceStatus,
    pub to: AttendanceStatus,
}

// ---------------------------------------------------------------------------------------
// A session `finalize` considers, as its plan read sees it.
// ---------------------------------------------------------------------------------------

/// One candidate session with its still-SCHEDULED rows. `started`, `ended` and `locked` are
/// judged by the database (`now()`, one clock for everyone; a claim exists).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub facility_id: i64,
    pub facility: String,
    pub timezone: String,
    pub group_type: String,
    pub local_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub started: bool,
    pub ended: bool,
    pub locked: bool,
    /// Still-SCHEDULED roster rows, by row id, with the member's MRN (same order).
    pub roster_ids: Vec<i64>,
    pub roster_mrns: Vec<String>,
    /// Still-SCHEDULED supervisor rows, by row id, with the provider's NPI (same order).
    pub supervisor_ids: Vec<i64>,
    pub supervisor_npis: Vec<String>,
}

impl Candidate {
    pub fn scheduled_count(&self) -> usize {
        self.roster_ids.len() + self.supervisor_ids.len()
    }
}

// ---------------------------------------------------------------------------------------
// Claims, as the scrubber reads them and as `claims` and `claim show` present them.
// ---------------------------------------------------------------------------------------

/// One roster row's status, as the scrubber counts the room.
#[derive(Debug, Clone, Deserialize)]
pub struct RosterStatus {
    pub row_id: i64,
    pub mrn: String,
    pub status: AttendanceStatus,
}

/// One line of a claim (one charge).
#[derive(Debug, Clone, Deserialize)]
pub struct ClaimLine {
    pub charge_id: i64,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub units: i64,
    pub amount: Decimal,
}

/// One claim as the scrubber reads it: the member and coverage it is for, and its lines.
#[derive(Debug, Clone, Deserialize)]
pub struct ClaimFacts {
    pub claim_id: i64,
    pub frequency_code: String,
    pub amount: Decimal,
    pub mrn: String,
    pub member_has_diagnosis: bool,
    pub payer: String,
    /// The coverage the claim is for.
    pub coverage: Coverage,
    /// For a replacement or a void: the claim it corrects, and the payer's number of that
    /// claim, if recorded.
    pub replaces_claim_id: Option<i64>,
    pub replaced_payer_claim_number: Option<String>,
    pub lines: Vec<ClaimLine>,
}

/// The session of some claims, as the scrubber reads it afresh through its own statement,
/// with those claims. A list with nothing in it is left out of the document.
#[derive(Debug, Clone, Deserialize)]
pub struct ClaimedSession {
    pub session_id: i64,
    pub facility_id: i64,
    pub local_date: NaiveDate,
    pub scheduled_minutes: u32,
    pub facility_state: String,
    pub billing_npi: String,
    pub group_type: String,
    #[serde(default)]
    pub roster: Vec<RosterStatus>,
    #[serde(default)]
    pub supervisors: Vec<SupervisorRow>,
    /// The rows of the claims' payers in this state on the session's date.
    #[serde(default)]
    pub supervision_rules: Vec<SupervisionRule>,
    #[serde(default)]
    pub size_bands: Vec<SizeBand>,
    #[serde(default)]
    pub acceptances: Vec<Acceptance>,
    pub claims: Vec<ClaimFacts>,
}

code_enum! {
    /// What a forced correction does to one member's claims (as the database function names it).
    pub enum ClaimAction ("claim action") {
        /// A new original (1): the member was not billed before.
        Original = "original",
        /// A replacement (7) of the submitted claim: what it carries changed.
        Replacement = "replacement",
        /// A void (8) of the submitted claim: the member is no longer billable.
        Void = "void",
        /// The unsubmitted claim, rebuilt in place (it keeps its id).
        Rebuilt = "rebuilt",
        /// The unsubmitted claim, withdrawn: nothing is left to send.
        Withdrawn = "withdrawn",
    }
}

impl ClaimAction {
    /// A claim the correction created (its id exists only once the correction commits).
    pub fn is_new(self) -> bool {
        matches!(
            self,
            ClaimAction::Original | ClaimAction::Replacement | ClaimAction::Void
        )
    }
}

/// One claim of a chain (original → replacements → void), oldest first.
#[derive(Debug, Clone, Deserialize)]
pub struct ChainLink {
    pub id: i64,
    pub frequency_code: String,
    pub status: String,
    pub claim_control_number: String,
    pub payer_claim_number: Option<String>,
}

/// A claim as `claims` and `claim show` present it: its lines, its stored Validation list
/// (the issues with their arithmetic as scrubbed) and its chain.
#[derive(Debug, Clone, Deserialize)]
pub struct ClaimRecord {
    pub id: i64,
    pub facility_id: i64,
    pub session_id: i64,
    pub facility: String,
    pub timezone: String,
    pub local_date: NaiveDate,
    pub mrn: String,
    pub member_name: String,
    pub payer: String,
    pub frequency_code: String,
    pub status: String,
    pub amount: Decimal,
    pub claim_control_number: String,
    pub original_claim_id: Option<i64>,
    pub replaces_claim_id: Option<i64>,
    pub payer_claim_number: Option<String>,
    pub built_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub lines: Vec<ClaimLine>,
    pub issues: Vec<crate::rules::Issue>,
    pub chain: Vec<ChainLink>,
}

/// One of a member's charges, active or void.
#[derive(Debug, Clone, Deserialize)]
pub struct Encounter {
    pub charge_id: i64,
    pub session_id: i64,
    pub mrn: String,
    pub facility: String,
    pub timezone: String,
    pub local_date: NaiveDate,
    pub payer: String,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub units: i64,
    pub rate: Decimal,
    pub amount: Decimal,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub voided_at: Option<DateTime<Utc>>,
    /// The live claim that bills it, if any.
    pub claim_id: Option<i64>,
}

// ---------------------------------------------------------------------------------------
// A claim as a submission sends it: everything its 837P carries.
// ---------------------------------------------------------------------------------------

/// A facility as the 837P names it (submitter and billing provider), with its code.
#[derive(Debug, Clone, Deserialize)]
pub struct BillingFacility {
    pub code: String,
    #[serde(flatten)]
    pub edi: edi::Facility,
}

/// A payer as the 837P names it (receiver and payer), with its code.
#[derive(Debug, Clone, Deserialize)]
pub struct BillingPayer {
    pub code: String,
    #[serde(flatten)]
    pub edi: edi::Payer,
}

/// The member a claim is for (the patient).
#[derive(Debug, Clone, Deserialize)]
pub struct Patient {
    pub mrn: String,
    #[serde(flatten)]
    pub person: edi::Person,
    pub diagnosis_codes: Vec<String>,
    pub address: Option<edi::Address>,
}

/// The subscriber of the coverage when it is not the member (a child on a parent's plan).
#[derive(Debug, Clone, Deserialize)]
pub struct PolicySubscriber {
    /// `child`, `spouse` or `other`.
    pub relationship: String,
    #[serde(flatten)]
    pub person: edi::Person,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SubmissionClaim {
    pub claim_id: i64,
    pub facility_id: i64,
    /// The payer's row id (the interchange is per facility and payer).
    pub payer_db_id: i64,
    pub session_id: i64,
    pub frequency_code: String,
    pub status: String,
    pub claim_control_number: String,
    pub amount: Decimal,
    pub replaced_payer_claim_number: Option<String>,
    pub place_of_service: String,
    pub service_date: NaiveDate,
    pub facility: BillingFacility,
    pub payer: BillingPayer,
    pub member: Patient,
    pub subscriber_id: Option<String>,
    pub subscriber: Option<PolicySubscriber>,
    pub supervisor: Option<edi::Provider>,
    pub lines: Vec<edi::Line>,
}

// ---------------------------------------------------------------------------------------
// The audit log, as `audit` reads it.
// ---------------------------------------------------------------------------------------

/// One audit-log entry, with the member's MRN and the facility's time zone joined in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The database login that made the change.
    pub actor: String,
    pub action: String,
    pub session_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub mrn: Option<String>,
    /// The IANA zone of the entry's facility; `None` for entries of no facility (an
    /// import, a billing run).
    pub timezone: Option<String>,
    /// The stored JSON, as the database wrote it (money keeps its two decimals): the row
    /// (or rows) before and after the change, or a summary of a whole run.
    pub before: Option<Box<serde_json::value::RawValue>>,
    pub after: Option<Box<serde_json::value::RawValue>>,
    pub reason: Option<String>,
    pub forced: bool,
}
