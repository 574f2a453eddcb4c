//! The billing and attendance rules, as pure functions over plain
//! data. They do no I/O on purpose: the billing preview and the claim scrubber call the very
//! same [`evaluate_session`] over the same [`SessionFacts`], so a claim can never carry an issue
//! the preview did not show, and every branch can be unit- and property-tested without a
//! database. The database layer's only job is to read a session's facts in one consistent
//! snapshot and to store what these functions return.

pub(crate) mod codes;

pub mod attendance;
pub mod bands;
pub mod coverage;
pub mod facts;
pub mod issues;
pub mod limits;
pub mod lookup;
pub mod money;
pub mod npi;
pub mod preview;
pub mod ratio;
pub mod x12;

pub use attendance::{AttendanceStatus, SessionStatus};
pub use bands::{amount_for, resolve_group_size_band, units_for, BandResolution, SizeBand};
pub use codes::UnknownCode;
pub use facts::{
    count_billable_participants, count_present_supervisors, Coverage, RosterRow, SessionFacts,
    SupervisorRow,
};
pub use issues::{Acceptance, Issue, IssueCode, IssueKey, IssueScope, Severity};
pub use lookup::{select_rules, RuleRow, RuleScope};
pub use npi::{check_npi, is_valid_npi, NpiError};
pub use preview::{
    evaluate_session, wanted_charges, BandSummary, Evaluation, PayerEvaluation, SupervisionSummary,
    WantedCharge,
};
pub use ratio::{check_supervision_ratio, RatioCheck, RatioOutcome, SupervisionRule};
