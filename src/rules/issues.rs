//! Issue codes, the issues raised with their arithmetic, and acceptances.

use serde::{Deserialize, Serialize};

use super::codes::code_enum;

code_enum! {
    /// Every issue the preview, the scrubber or a correction can raise.
    pub enum IssueCode ("issue code") {
        GroupUnattendedBilled = "GROUP_UNATTENDED_BILLED",
        SupervisionRatioBreach = "SUPERVISION_RATIO_BREACH",
        GroupSizeBandMismatch = "GROUP_SIZE_BAND_MISMATCH",
        GroupSizeAboveMaximum = "GROUP_SIZE_ABOVE_MAXIMUM",
        GroupSizeBelowMinimum = "GROUP_SIZE_BELOW_MINIMUM",
        NoSizeBands = "NO_SIZE_BANDS",
        NoSupervisorAssigned = "NO_SUPERVISOR_ASSIGNED",
        NoCoverage = "NO_COVERAGE",
        MissingSubscriberId = "MISSING_SUBSCRIBER_ID",
        MissingDiagnosis = "MISSING_DIAGNOSIS",
        InvalidBillingNpi = "INVALID_BILLING_NPI",
        PayerClaimNumberMissing = "PAYER_CLAIM_NUMBER_MISSING",
        /// A claim that disagrees with itself or with what the rules price: only a bug (or a
        /// hand-written charge) gets here, and such a claim is never sent.
        ClaimInconsistent = "CLAIM_INCONSISTENT",
    }
}

code_enum! {
    pub enum Severity ("severity") {
        /// Holds the claim back until fixed or accepted.
        Blocking = "BLOCKING",
        Warning = "WARNING",
    }
}

code_enum! {
    /// What an issue is about, and so which of `payer` / `mrn` it carries.
    pub enum IssueScope ("issue scope") {
        Session = "SESSION",
        Payer = "PAYER",
        Member = "MEMBER",
    }
}

impl IssueCode {
    pub fn severity(self) -> Severity {
        use IssueCode::*;
        match self {
            GroupSizeBandMismatch | NoSupervisorAssigned | NoCoverage => Severity::Warning,
            GroupUnattendedBilled
            | SupervisionRatioBreach
            | GroupSizeAboveMaximum
            | GroupSizeBelowMinimum
            | NoSizeBands
            | MissingSubscriberId
            | MissingDiagnosis
            | InvalidBillingNpi
            | PayerClaimNumberMissing
            | ClaimInconsistent => Severity::Blocking,
        }
    }

    pub fn scope(self) -> IssueScope {
        use IssueCode::*;
        match self {
            GroupUnattendedBilled | NoSupervisorAssigned | InvalidBillingNpi => IssueScope::Session,
            SupervisionRatioBreach
            | GroupSizeBandMismatch
            | GroupSizeAboveMaximum
            | GroupSizeBelowMinimum
            | NoSizeBands => IssueScope::Payer,
            NoCoverage
            | MissingSubscriberId
            | MissingDiagnosis
            | PayerClaimNumberMissing
            | ClaimInconsistent => IssueScope::Member,
        }
    }

    /// Whether the issue is about the data the 837P itself must carry (a subscriber id, a
    /// diagnosis, a valid billing NPI, the payer's number of the claim corrected, a claim that
    /// agrees with itself), rather than about how the room was run and priced.
    pub fn concerns_the_claim_data(self) -> bool {
        use IssueCode::*;
        matches!(
            self,
            MissingSubscriberId
                | MissingDiagnosis
                | InvalidBillingNpi
                | PayerClaimNumberMissing
                | ClaimInconsistent
        )
    }

    pub fn can_be_accepted(self) -> bool {
        self.not_acceptable_reason().is_none()
    }

    /// Why `gsess accept` refuses the code, and what to do instead; `None` when it can be
    /// accepted. Only compliance judgements can be accepted; missing data must be fixed.
    pub fn not_acceptable_reason(self) -> Option<&'static str> {
        use IssueCode::*;
        match self {
            SupervisionRatioBreach
            | GroupSizeBandMismatch
            | GroupSizeAboveMaximum
            | NoSupervisorAssigned
            | NoCoverage => None,
            GroupUnattendedBilled => Some("mark the row instead"),
            GroupSizeBelowMinimum => Some("the session cannot be priced: correct the attendance"),
            NoSizeBands => Some("import size bands for the payer and state"),
            MissingSubscriberId => Some("record the subscriber id on the coverage"),
            MissingDiagnosis => Some("record a diagnosis code for the member"),
            InvalidBillingNpi => Some("correct the facility's billing NPI"),
            PayerClaimNumberMissing => Some("record it with `gsess claim ack`"),
            ClaimInconsistent => Some("it is a defect, not a judgement: the claim is rebuilt"),
        }
    }
}

/// One raised issue, as the preview shows it and a claim stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub code: IssueCode,
    pub severity: Severity,
    pub scope: IssueScope,
    /// Set for payer-scoped issues only.
    pub payer: Option<String>,
    /// Set for member-scoped issues only.
    pub mrn: Option<String>,
    pub message: String,
    /// The figures behind it, e.g. `7 billable > 1 present × 6`.
    pub arithmetic: String,
    /// Covered by an acceptance that still holds: shown, but no longer blocking.
    pub accepted: bool,
    /// The rule and band rows that produced it, for `explain`.
    pub rule_ids: Vec<i64>,
}

/// The identity of an issue across preview and scrubber: (code, payer, mrn).
pub type IssueKey<'a> = (IssueCode, Option<&'a str>, Option<&'a str>);

impl Issue {
    fn new(
        code: IssueCode,
        payer: Option<&str>,
        mrn: Option<&str>,
        message: String,
        arithmetic: String,
    ) -> Issue {
        Issue {
            code,
            severity: code.severity(),
            scope: code.scope(),
            payer: payer.map(str::to_owned),
            mrn: mrn.map(str::to_owned),
            message,
            arithmetic,
            accepted: false,
            rule_ids: Vec::new(),
        }
    }

    pub(crate) fn session(code: IssueCode, message: String, arithmetic: String) -> Issue {
        debug_assert_eq!(code.scope(), IssueScope::Session);
        Issue::new(code, None, None, message, arithmetic)
    }

    pub(crate) fn payer(
        code: IssueCode,
        payer: &str,
        message: String,
        arithmetic: String,
    ) -> Issue {
        debug_assert_eq!(code.scope(), IssueScope::Payer);
        Issue::new(code, Some(payer), None, message, arithmetic)
    }

    pub(crate) fn member(code: IssueCode, mrn: &str, message: String, arithmetic: String) -> Issue {
        debug_assert_eq!(code.scope(), IssueScope::Member);
        Issue::new(code, None, Some(mrn), message, arithmetic)
    }

    pub(crate) fn with_rule_ids(self, rule_ids: Vec<i64>) -> Issue {
        Issue { rule_ids, ..self }
    }

    /// Raised on a replacement or void whose original claim has no payer claim number: the
    /// payer would reject our own `CLM01` in `REF*F8`.
    pub fn payer_claim_number_missing(mrn: &str, claim_id: i64) -> Issue {
        Issue::member(
            IssueCode::PayerClaimNumberMissing,
            mrn,
            format!(
                "claim {claim_id} for {mrn} has no payer claim number, which a replacement or \
                 void must reference: record it with `gsess claim ack {claim_id} \
                 --payer-claim-number ICN`"
            ),
            format!("claim {claim_id}: payer claim number not recorded"),
        )
    }

    /// A claim that disagrees with itself or with its pricing (`what` says how).
    pub fn claim_inconsistent(mrn: &str, claim_id: i64, what: String) -> Issue {
        Issue::member(
            IssueCode::ClaimInconsistent,
            mrn,
            format!("claim {claim_id} for {mrn} is inconsistent and must not be sent: {what}"),
            what,
        )
    }

    pub fn key(&self) -> IssueKey<'_> {
        (self.code, self.payer.as_deref(), self.mrn.as_deref())
    }

    /// A BLOCKING issue that no acceptance covers.
    pub fn is_blocking(&self) -> bool {
        self.severity == Severity::Blocking && !self.accepted
    }
}

/// A documented exception recorded by `gsess accept`, with the figures it was accepted at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub id: i64,
    pub code: IssueCode,
    pub payer: Option<String>,
    pub mrn: Option<String>,
    pub group_size: u32,
    pub supervisors_present: u32,
}

impl Acceptance {
    /// Holds for the same (code, payer, mrn) while the session's figures are unchanged: a
    /// ratio accepted at 7 billable and 1 supervisor says nothing about 9 billable.
    pub fn covers(&self, issue: &Issue, group_size: u32, supervisors_present: u32) -> bool {
        issue.code.can_be_accepted()
            && (self.code, self.payer.as_deref(), self.mrn.as_deref()) == issue.key()
            && self.group_size == group_size
            && self.supervisors_present == supervisors_present
    }
}

/// Marks each issue that a still-valid acceptance covers.
pub(crate) fn apply_acceptances(
    issues: &mut [Issue],
    acceptances: &[Acceptance],
    group_size: u32,
    supervisors_present: u32,
) {
    for issue in issues {
        issue.accepted = acceptances
            .iter()
            .any(|acceptance| acceptance.covers(issue, group_size, supervisors_present));
    }
}

#[cfg(test)]
mod tests {
    use super::IssueCode::*;
    use super::IssueScope as Sc;
    use super::Severity::*;
    use super::*;

    #[test]
    fn the_table_of_spec_section_2_2() {
        let table = [
            (GroupUnattendedBilled, Blocking, Sc::Session, false),
            (SupervisionRatioBreach, Blocking, Sc::Payer, true),
            (GroupSizeBandMismatch, Warning, Sc::Payer, true),
            (GroupSizeAboveMaximum, Blocking, Sc::Payer, true),
            (GroupSizeBelowMinimum, Blocking, Sc::Payer, false),
            (NoSizeBands, Blocking, Sc::Payer, false),
            (NoSupervisorAssigned, Warning, Sc::Session, true),
            (NoCoverage, Warning, Sc::Member, true),
            (MissingSubscriberId, Blocking, Sc::Member, false),
            (MissingDiagnosis, Blocking, Sc::Member, false),
            (InvalidBillingNpi, Blocking, Sc::Session, false),
            (PayerClaimNumberMissing, Blocking, Sc::Member, false),
            (ClaimInconsistent, Blocking, Sc::Member, false),
        ];
        assert_eq!(table.map(|row| row.0), IssueCode::ALL);
        for (code, severity, scope, acceptable) in table {
            assert_eq!(code.severity(), severity, "{code}");
            assert_eq!(code.scope(), scope, "{code}");
            assert_eq!(code.can_be_accepted(), acceptable, "{code}");
        }
        assert_eq!(
            GroupUnattendedBilled.not_acceptable_reason(),
            Some("mark the row instead")
        );
    }

    #[test]
    fn codes_serialize_as_screaming_snake_and_parse_in_any_case() {
        for code in IssueCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(code.as_str().to_lowercase().parse(), Ok(code));
        }
        assert_eq!("no_coverage".parse(), Ok(NoCoverage));
        assert!("NO-COVERAGE".parse::<IssueCode>().is_err());
        assert_eq!(serde_json::to_string(&Blocking).unwrap(), "\"BLOCKING\"");
        assert_eq!(serde_json::to_string(&Sc::Member).unwrap(), "\"MEMBER\"");
        assert_eq!("warning".parse(), Ok(Warning));
        assert_eq!("payer".parse(), Ok(Sc::Payer));
    }

    #[test]
    fn constructors_fill_only_the_key_of_their_scope() {
        let session = Issue::session(GroupUnattendedBilled, "m".into(), "a".into());
        let payer = Issue::payer(NoSizeBands, "ORMCD", "m".into(), "a".into());
        let member = Issue::member(NoCoverage, "M001", "m".into(), "a".into());
        assert_eq!(session.key(), (GroupUnattendedBilled, None, None));
        assert_eq!(payer.key(), (NoSizeBands, Some("ORMCD"), None));
        assert_eq!(member.key(), (NoCoverage, None, Some("M001")));
        assert_eq!((member.severity, member.scope), (Warning, Sc::Member));
    }

    #[test]
    fn payer_claim_number_missing_names_the_claim() {
        let issue = Issue::payer_claim_number_missing("M001", 42);
        assert_eq!(issue.key(), (PayerClaimNumberMissing, None, Some("M001")));
        assert!(issue.is_blocking());
        assert!(issue.message.contains("gsess claim ack 42"));
        assert_eq!(
            issue.arithmetic,
            "claim 42: payer claim number not recorded"
        );
    }

    fn breach() -> Issue {
        Issue::payer(
            SupervisionRatioBreach,
            "ORMCD",
            "m".into(),
            "7 billable > 1 present × 6".into(),
        )
    }

    fn accepted_at(group_size: u32, supervisors_present: u32) -> Acceptance {
        Acceptance {
            id: 1,
            code: SupervisionRatioBreach,
            payer: Some("ORMCD".into()),
            mrn: None,
            group_size,
            supervisors_present,
        }
    }

    #[test]
    fn an_acceptance_holds_while_its_figures_are_unchanged() {
        let acceptance = accepted_at(7, 1);
        assert!(acceptance.covers(&breach(), 7, 1));
        assert!(!acceptance.covers(&breach(), 8, 1), "group size changed");
        assert!(!acceptance.covers(&breach(), 7, 2), "supervisors changed");
    }

    #[test]
    fn an_acceptance_covers_only_its_own_code_payer_and_member() {
        let acceptance = accepted_at(7, 1);
        let other_payer = Issue::payer(SupervisionRatioBreach, "WAMCD", "m".into(), "a".into());
        let other_code = Issue::payer(GroupSizeAboveMaximum, "ORMCD", "m".into(), "a".into());
        assert!(!acceptance.covers(&other_payer, 7, 1));
        assert!(!acceptance.covers(&other_code, 7, 1));
    }

    #[test]
    fn codes_that_cannot_be_accepted_stay_unaccepted() {
        let issue = Issue::member(MissingDiagnosis, "M001", "m".into(), "a".into());
        let acceptance = Acceptance {
            id: 2,
            code: MissingDiagnosis,
            payer: None,
            mrn: Some("M001".into()),
            group_size: 3,
            supervisors_present: 1,
        };
        assert!(!acceptance.covers(&issue, 3, 1));
    }

    #[test]
    fn applying_acceptances_unblocks_and_expires() {
        let mut issues = [breach()];
        apply_acceptances(&mut issues, &[accepted_at(7, 1)], 7, 1);
        assert!(issues[0].accepted && !issues[0].is_blocking());
        apply_acceptances(&mut issues, &[accepted_at(7, 1)], 8, 1);
        assert!(!issues[0].accepted && issues[0].is_blocking());
    }
}
