//! The plain data a session is judged on, read in one consistent snapshot by the database
//! layer. Nothing here knows where it came from.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::attendance::AttendanceStatus;
use super::bands::SizeBand;
use super::issues::Acceptance;
use super::ratio::SupervisionRule;

/// A member's primary (`priority = 1`) coverage active on the session's local date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub id: i64,
    /// The payer's code.
    pub payer: String,
    pub subscriber_id: Option<String>,
}

impl Coverage {
    /// A blank subscriber id is as unusable in an 837P as a missing one.
    pub fn has_subscriber_id(&self) -> bool {
        self.subscriber_id
            .as_deref()
            .is_some_and(|id| !id.trim().is_empty())
    }
}

/// One participant on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    /// `session_participant.id`: roster order is id order.
    pub row_id: i64,
    pub mrn: String,
    pub status: AttendanceStatus,
    pub coverage: Option<Coverage>,
    pub has_diagnosis: bool,
}

/// One supervisor of the session: present ones count, none is billable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorRow {
    pub npi: String,
    pub name: String,
    pub status: AttendanceStatus,
}

/// Everything the rules need about one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionFacts {
    pub session_id: i64,
    /// `starts_at` in the facility's time zone: rules and coverage are judged on this day.
    pub local_date: NaiveDate,
    /// `ends_at − starts_at`, for timed procedure codes.
    pub scheduled_minutes: u32,
    pub facility_state: String,
    pub billing_npi: String,
    /// The session's group type code.
    pub group_type: String,
    pub roster: Vec<RosterRow>,
    pub supervisors: Vec<SupervisorRow>,
    /// Candidate rows; the rules pick those that apply (payer, state, group type, date).
    pub supervision_rules: Vec<SupervisionRule>,
    /// Candidate rows, as for `supervision_rules`.
    pub size_bands: Vec<SizeBand>,
    pub acceptances: Vec<Acceptance>,
}

/// The group size: participants `ATTENDED` or `LATE`. Supervisors are never counted.
pub fn count_billable_participants(roster: &[RosterRow]) -> u32 {
    count_present(roster.iter().map(|row| row.status))
}

/// Supervisors `ATTENDED` or `LATE`, the ratio's divisor.
pub fn count_present_supervisors(supervisors: &[SupervisorRow]) -> u32 {
    count_present(supervisors.iter().map(|row| row.status))
}

fn count_present(statuses: impl Iterator<Item = AttendanceStatus>) -> u32 {
    let present = statuses.filter(|status| status.is_present()).count();
    u32::try_from(present).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::AttendanceStatus::*;
    use super::*;

    fn row(row_id: i64, status: AttendanceStatus) -> RosterRow {
        RosterRow {
            row_id,
            mrn: format!("M{row_id:03}"),
            status,
            coverage: None,
            has_diagnosis: true,
        }
    }

    #[test]
    fn only_attended_and_late_participants_are_billable() {
        let roster = [
            row(1, Attended),
            row(2, Late),
            row(3, Absent),
            row(4, Scheduled),
        ];
        assert_eq!(count_billable_participants(&roster), 2);
        assert_eq!(count_billable_participants(&[]), 0);
    }

    #[test]
    fn present_supervisors_are_attended_or_late() {
        let supervisor = |status| SupervisorRow {
            npi: "1245319599".into(),
            name: "Dana Reyes".into(),
            status,
        };
        let rows = [
            supervisor(Late),
            supervisor(Absent),
            supervisor(Scheduled),
            supervisor(Attended),
        ];
        assert_eq!(count_present_supervisors(&rows), 2);
    }

    #[test]
    fn a_blank_subscriber_id_is_missing() {
        let coverage = |subscriber_id: Option<&str>| Coverage {
            id: 1,
            payer: "ORMCD".into(),
            subscriber_id: subscriber_id.map(Into::into),
        };
        assert!(coverage(Some("OR123456")).has_subscriber_id());
        assert!(!coverage(Some("  ")).has_subscriber_id());
        assert!(!coverage(None).has_subscriber_id());
    }
}
