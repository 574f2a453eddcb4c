//! The attendance state machine and the derived session status.
//!
//! The database trigger enforces the same transition table; a database test compares it with
//! `allowed_next` for all 16 pairs so the two cannot drift.

use super::codes::code_enum;

code_enum! {
    /// The status of a roster row or a supervisor row.
    pub enum AttendanceStatus ("attendance status") {
        Scheduled = "SCHEDULED",
        Attended = "ATTENDED",
        Late = "LATE",
        Absent = "ABSENT",
    }
}

impl AttendanceStatus {
    /// The statuses a row may move to next. Nothing returns to `SCHEDULED`, and
    /// no status is its own successor, so re-marking a row is always refused.
    pub fn allowed_next(self) -> &'static [AttendanceStatus] {
        use AttendanceStatus::*;
        match self {
            Scheduled => &[Attended, Absent, Late],
            Attended => &[Absent, Late],
            Late => &[Attended, Absent],
            Absent => &[Attended, Late],
        }
    }

    pub fn can_transition_to(self, to: AttendanceStatus) -> bool {
        self.allowed_next().contains(&to)
    }

    /// Attendance has been decided: every status but `SCHEDULED`.
    pub fn is_terminal(self) -> bool {
        self != AttendanceStatus::Scheduled
    }

    /// The person was in the room: billable for a participant, counted for a supervisor.
    pub fn is_present(self) -> bool {
        matches!(self, AttendanceStatus::Attended | AttendanceStatus::Late)
    }
}

code_enum! {
    /// The session status, derived from the data and never stored.
    pub enum SessionStatus ("session status") {
        Open = "OPEN",
        Ready = "READY",
        Billed = "BILLED",
        Locked = "LOCKED",
    }
}

impl SessionStatus {
    /// The first status that applies, in this order: a claim locks; a billing run
    /// bills; then the roster (participants only, never supervisors) decides. A roster with
    /// no rows is `READY`: "every row is terminal" holds vacuously and nothing is pending.
    pub fn derive(
        has_claim: bool,
        billed: bool,
        roster: impl IntoIterator<Item = AttendanceStatus>,
    ) -> SessionStatus {
        if has_claim {
            SessionStatus::Locked
        } else if billed {
            SessionStatus::Billed
        } else if roster.into_iter().all(AttendanceStatus::is_terminal) {
            SessionStatus::Ready
        } else {
            SessionStatus::Open
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AttendanceStatus::*;
    use super::*;

    #[test]
    fn transition_table_covers_all_sixteen_pairs() {
        // (from, to, allowed) for every pair, spelled out so the table is reviewable here.
        let table = [
            (Scheduled, Scheduled, false),
            (Scheduled, Attended, true),
            (Scheduled, Late, true),
            (Scheduled, Absent, true),
            (Attended, Scheduled, false),
            (Attended, Attended, false),
            (Attended, Late, true),
            (Attended, Absent, true),
            (Late, Scheduled, false),
            (Late, Attended, true),
            (Late, Late, false),
            (Late, Absent, true),
            (Absent, Scheduled, false),
            (Absent, Attended, true),
            (Absent, Late, true),
            (Absent, Absent, false),
        ];
        for (from, to, allowed) in table {
            assert_eq!(from.can_transition_to(to), allowed, "{from} -> {to}");
        }
    }

    #[test]
    fn allowed_next_follows_the_spec_order() {
        assert_eq!(Scheduled.allowed_next(), &[Attended, Absent, Late]);
        assert_eq!(Attended.allowed_next(), &[Absent, Late]);
        assert_eq!(Late.allowed_next(), &[Attended, Absent]);
        assert_eq!(Absent.allowed_next(), &[Attended, Late]);
    }

    #[test]
    fn terminal_and_present() {
        assert!(!Scheduled.is_terminal());
        assert!(Attended.is_terminal() && Late.is_terminal() && Absent.is_terminal());
        assert!(Attended.is_present() && Late.is_present());
        assert!(!Scheduled.is_present() && !Absent.is_present());
    }

    #[test]
    fn text_round_trips_in_any_case() {
        assert_eq!(AttendanceStatus::ALL, [Scheduled, Attended, Late, Absent]);
        for status in AttendanceStatus::ALL {
            assert_eq!(status.as_str().parse::<AttendanceStatus>(), Ok(status));
            assert_eq!(status.as_str().to_lowercase().parse(), Ok(status));
            assert_eq!(status.to_string(), status.as_str());
        }
        assert_eq!("lAtE".parse(), Ok(Late));
        let err = "present".parse::<AttendanceStatus>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown attendance status \"present\": expected one of SCHEDULED, ATTENDED, LATE, ABSENT"
        );
        for status in SessionStatus::ALL {
            assert_eq!(status.as_str().to_lowercase().parse(), Ok(status));
        }
    }

    #[test]
    fn serde_uses_the_upper_case_text() {
        assert_eq!(serde_json::to_string(&Late).unwrap(), "\"LATE\"");
        assert_eq!(
            serde_json::from_str::<AttendanceStatus>("\"ABSENT\"").unwrap(),
            Absent
        );
        assert_eq!(
            serde_json::to_string(&SessionStatus::Locked).unwrap(),
            "\"LOCKED\""
        );
    }

    #[test]
    fn session_status_takes_the_first_that_applies() {
        use SessionStatus as S;
        assert_eq!(S::derive(true, true, [Scheduled]), S::Locked);
        assert_eq!(S::derive(true, false, [Attended]), S::Locked);
        assert_eq!(S::derive(false, true, [Scheduled]), S::Billed);
        assert_eq!(S::derive(false, false, [Attended, Absent, Late]), S::Ready);
        assert_eq!(S::derive(false, false, [Absent, Absent]), S::Ready);
        assert_eq!(S::derive(false, false, [Attended, Scheduled]), S::Open);
    }

    #[test]
    fn an_empty_roster_is_ready() {
        assert_eq!(
            SessionStatus::derive(false, false, []),
            SessionStatus::Ready
        );
    }
}
