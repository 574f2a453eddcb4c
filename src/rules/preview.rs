//! The session evaluation behind the billing preview and the claim scrubber, and the
//! charges the billing run wants.

use rust_decimal::Decimal;
use serde::Serialize;

use super::attendance::AttendanceStatus;
use super::bands::{amount_for, resolve_group_size_band, units_for, BandResolution, SizeBand};
use super::facts::{
    count_billable_participants, count_present_supervisors, RosterRow, SessionFacts,
};
use super::issues::{apply_acceptances, Issue, IssueCode, IssueScope};
use super::lookup::{select_rules, RuleRow};
use super::money;
use super::npi::check_npi;
use super::ratio::{check_supervision_ratio, RatioOutcome};

/// The preview of one session; the scrubber takes each claim's share of its issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub session_id: i64,
    /// The group size: the whole room, whatever each member's payer.
    pub billable_count: u32,
    pub supervisors_present: u32,
    /// The payer of the first roster row (by id) that has coverage.
    pub primary_payer: Option<String>,
    /// Every payer on the roster, in order of first appearance.
    pub payers: Vec<PayerEvaluation>,
    /// Session issues, then payer issues in payer order, then member issues in roster order.
    pub issues: Vec<Issue>,
    /// Unaccepted BLOCKING issues.
    pub blocking_count: u32,
    /// Every roster row terminal and nothing blocking.
    pub ready_to_bill: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayerEvaluation {
    pub payer: String,
    /// MRNs of the roster members whose primary coverage is this payer, in roster order.
    pub members: Vec<String>,
    /// Some member is billable, so this payer's claims are judged (bands and ratio).
    pub billable: bool,
    /// The band the payer's claims are priced with; `None` when not billable or unpriceable.
    pub band: Option<BandSummary>,
    /// The ratio rule that applies; `None` when not billable or the payer has none.
    pub supervision: Option<SupervisionSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandSummary {
    pub id: i64,
    pub min: u32,
    pub max: u32,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    #[serde(serialize_with = "money::serialize")]
    pub rate: Decimal,
    pub unit_minutes: Option<u32>,
    /// Units per member.
    pub units: u32,
    /// Amount per member: rate × units.
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SupervisionSummary {
    pub rule_id: i64,
    pub max_per_supervisor: u32,
    /// supervisors present × max per supervisor.
    pub capacity: u32,
}

/// One charge the billing run should hold for a billable participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WantedCharge {
    pub row_id: i64,
    pub mrn: String,
    pub payer: String,
    /// The coverage the charge is billed to.
    pub coverage_id: i64,
    pub band_id: i64,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub units: u32,
    #[serde(serialize_with = "money::serialize")]
    pub rate: Decimal,
    #[serde(serialize_with = "money::serialize")]
    pub amount: Decimal,
}

impl Evaluation {
    /// What the scrubber stores on the claim of `mrn` with `payer`: the session's issues,
    /// that payer's and that member's. A subset of `issues` by construction, which is the
    /// promise that nothing appears on a claim that the preview did not show.
    pub fn issues_for_claim(&self, payer: &str, mrn: &str) -> Vec<Issue> {
        self.issues
            .iter()
            .filter(|issue| match issue.scope {
                IssueScope::Session => true,
                IssueScope::Payer => issue.payer.as_deref() == Some(payer),
                IssueScope::Member => issue.mrn.as_deref() == Some(mrn),
            })
            .cloned()
            .collect()
    }
}

/// Judges a session: the one function behind both the billing preview and the scrubber.
pub fn evaluate_session(facts: &SessionFacts) -> Evaluation {
    let room = Room::new(facts);
    let mut issues = room.session_issues();
    let mut payers = Vec::new();
    for group in room.payer_groups() {
        let rules = group.billable.then(|| room.payer_rules(group.payer));
        if let Some(rules) = &rules {
            issues.extend(rules.issues(&room));
        }
        payers.push(PayerEvaluation {
            payer: group.payer.to_owned(),
            members: group.members,
            billable: group.billable,
            band: rules
                .as_ref()
                .and_then(|rules| rules.band_summary(facts.scheduled_minutes)),
            supervision: rules.as_ref().and_then(PayerRules::supervision_summary),
        });
    }
    issues.extend(room.member_issues());
    apply_acceptances(
        &mut issues,
        &facts.acceptances,
        room.group_size,
        room.supervisors_present,
    );

    let blocking = issues.iter().filter(|issue| issue.is_blocking()).count();
    let all_terminal = facts.roster.iter().all(|row| row.status.is_terminal());
    Evaluation {
        session_id: facts.session_id,
        billable_count: room.group_size,
        supervisors_present: room.supervisors_present,
        primary_payer: payers.first().map(|payer| payer.payer.clone()),
        payers,
        issues,
        blocking_count: u32::try_from(blocking).unwrap_or(u32::MAX),
        ready_to_bill: all_terminal && blocking == 0,
    }
}

/// One charge per billable member with coverage whose payer can be priced, in roster order.
/// A payer whose size falls below its bands, or that has none, gets no charges; a timed code
/// whose session is shorter than half a unit prices to zero units and is not charged, since
/// a claim line of zero units is invalid.
pub fn wanted_charges(facts: &SessionFacts) -> Vec<WantedCharge> {
    let room = Room::new(facts);
    let priced: Vec<PayerRules> = room
        .payer_groups()
        .into_iter()
        .filter(|group| group.billable)
        .map(|group| room.payer_rules(group.payer))
        .collect();
    room.billable()
        .filter_map(|row| {
            let coverage = row.coverage.as_ref()?;
            let payer = coverage.payer.as_str();
            let rules = priced.iter().find(|rules| rules.payer == payer)?;
            let band = rules.band_summary(facts.scheduled_minutes)?;
            (band.units > 0).then(|| WantedCharge {
                row_id: row.row_id,
                mrn: row.mrn.clone(),
                payer: payer.to_owned(),
                coverage_id: coverage.id,
                band_id: band.id,
                procedure_code: band.procedure_code,
                modifiers: band.modifiers,
                units: band.units,
                rate: band.rate,
                amount: band.amount,
            })
        })
        .collect()
}

/// The facts with the figures every check shares.
struct Room<'a> {
    facts: &'a SessionFacts,
    /// Roster rows by id, whatever order the read returned them in.
    roster: Vec<&'a RosterRow>,
    group_size: u32,
    supervisors_present: u32,
}

/// The roster members of one payer.
struct PayerGroup<'a> {
    payer: &'a str,
    members: Vec<String>,
    billable: bool,
}

/// The payer-scoped rules for one payer, judged against the whole room's size.
struct PayerRules<'a> {
    payer: &'a str,
    band: BandResolution<'a>,
    ratio: RatioOutcome,
}

impl<'a> Room<'a> {
    fn new(facts: &'a SessionFacts) -> Room<'a> {
        let mut roster: Vec<&RosterRow> = facts.roster.iter().collect();
        roster.sort_by_key(|row| row.row_id);
        Room {
            facts,
            roster,
            group_size: count_billable_participants(&facts.roster),
            supervisors_present: count_present_supervisors(&facts.supervisors),
        }
    }

    fn billable(&self) -> impl Iterator<Item = &'a RosterRow> + '_ {
        self.roster
            .iter()
            .copied()
            .filter(|row| row.status.is_present())
    }

    /// Payers in order of first appearance in the roster, so the primary payer comes first.
    fn payer_groups(&self) -> Vec<PayerGroup<'a>> {
        let mut groups: Vec<PayerGroup> = Vec::new();
        for row in &self.roster {
            let Some(coverage) = &row.coverage else {
                continue;
            };
            let index = match groups
                .iter()
                .position(|group| group.payer == coverage.payer)
            {
                Some(index) => index,
                None => {
                    groups.push(PayerGroup {
                        payer: &coverage.payer,
                        members: Vec::new(),
                        billable: false,
                    });
                    groups.len() - 1
                }
            };
            groups[index].members.push(row.mrn.clone());
            groups[index].billable |= row.status.is_present();
        }
        groups
    }

    fn payer_rules(&self, payer: &'a str) -> PayerRules<'a> {
        let facts = self.facts;
        let (state, group_type, date) =
            (&facts.facility_state, &facts.group_type, facts.local_date);
        // Two rule rows in effect at once: the later start supersedes (see `precedence`).
        let rule = select_rules(&facts.supervision_rules, payer, state, group_type, date)
            .into_iter()
            .max_by_key(|rule| rule.precedence());
        let bands = select_rules(&facts.size_bands, payer, state, group_type, date);
        PayerRules {
            payer,
            band: resolve_group_size_band(bands, self.group_size),
            ratio: check_supervision_ratio(rule, self.group_size, self.supervisors_present),
        }
    }

    fn session_issues(&self) -> Vec<Issue> {
        let facts = self.facts;
        let scheduled: Vec<&str> = self
            .roster
            .iter()
            .filter(|row| row.status == AttendanceStatus::Scheduled)
            .map(|row| row.mrn.as_str())
            .collect();
        let mut issues = Vec::new();
        if !scheduled.is_empty() {
            let (rows, them) = if scheduled.len() == 1 {
                ("row", "it")
            } else {
                ("rows", "them")
            };
            issues.push(Issue::session(
                IssueCode::GroupUnattendedBilled,
                format!(
                    "{} roster {rows} still SCHEDULED ({}): mark {them} before billing",
                    scheduled.len(),
                    scheduled.join(", ")
                ),
                format!(
                    "{} SCHEDULED of {} roster rows",
                    scheduled.len(),
                    self.roster.len()
                ),
            ));
        }
        if facts.supervisors.is_empty() {
            let members: Vec<&str> = self.roster.iter().map(|r| r.mrn.as_str()).collect();
            issues.push(Issue::session(
                IssueCode::NoSupervisorAssigned,
                format!(
                    "no supervisor is listed: no SUPERVISING staff assignment active on {} links \
                     any roster member ({}) to a provider; import one (staff_assignments: \
                     provider, member, role SUPERVISING), or add a substitute who was in the \
                     room with `gsess supervisor add {} NPI`",
                    facts.local_date,
                    members.join(", "),
                    facts.session_id
                ),
                "0 supervisors listed".to_owned(),
            ));
        }
        if let Err(problem) = check_npi(&facts.billing_npi) {
            issues.push(Issue::session(
                IssueCode::InvalidBillingNpi,
                format!(
                    "the facility's billing NPI {:?} is not a valid NPI",
                    facts.billing_npi
                ),
                problem.to_string(),
            ));
        }
        issues
    }

    /// Data checks of each billable member, in roster order. Subscriber id and diagnosis are
    /// what a claim needs, so they are checked only where a claim will be built (coverage).
    fn member_issues(&self) -> Vec<Issue> {
        let date = self.facts.local_date;
        let mut issues = Vec::new();
        for row in self.billable() {
            let mrn = row.mrn.as_str();
            let Some(coverage) = &row.coverage else {
                issues.push(Issue::member(
                    IssueCode::NoCoverage,
                    mrn,
                    format!(
                        "{mrn} is {} but has no primary coverage active on {date}: no claim for them",
                        row.status
                    ),
                    format!("status {}, 0 primary coverages active on {date}", row.status),
                ));
                continue;
            };
            if !coverage.has_subscriber_id() {
                issues.push(Issue::member(
                    IssueCode::MissingSubscriberId,
                    mrn,
                    format!(
                        "{mrn}'s primary coverage with {} has no subscriber id",
                        coverage.payer
                    ),
                    format!("coverage {}: subscriber id empty", coverage.id),
                ));
            }
            if !row.has_diagnosis {
                issues.push(Issue::member(
                    IssueCode::MissingDiagnosis,
                    mrn,
                    format!("{mrn} has no diagnosis code, which the claim needs"),
                    "0 diagnosis codes".to_owned(),
                ));
            }
        }
        issues
    }
}

impl PayerRules<'_> {
    /// The ratio issue, then the band issue.
    fn issues(&self, room: &Room) -> Vec<Issue> {
        let ratio = self.ratio_issue();
        ratio.into_iter().chain(self.band_issue(room)).collect()
    }

    fn ratio_issue(&self) -> Option<Issue> {
        let RatioOutcome::Breach(check) = self.ratio else {
            return None;
        };
        let supervisors = match check.supervisors_present {
            1 => "1 supervisor".to_owned(),
            n => format!("{n} supervisors"),
        };
        let message = format!(
            "{} allows {} participants per present supervisor: {} billable with {supervisors} \
             present; mark a supervisor who was there present (`mark … --supervisor NPI`), add \
             a second one (`supervisor add`), or accept it with a documented reason",
            self.payer, check.max_per_supervisor, check.group_size,
        );
        let code = IssueCode::SupervisionRatioBreach;
        let issue = Issue::payer(code, self.payer, message, check.arithmetic());
        Some(issue.with_rule_ids(vec![check.rule_id]))
    }

    fn band_issue(&self, room: &Room) -> Option<Issue> {
        let code = self.band.issue_code()?;
        let (payer, size) = (self.payer, room.group_size);
        let message = match self.band {
            BandResolution::BetweenBands { coded, .. } => format!(
                "{payer}: no band for a group of {size}; coded to the next band down, {}",
                describe(coded)
            ),
            BandResolution::AboveMaximum { top } => format!(
                "{payer}: a group of {size} is above the top band; coded to it, {}",
                describe(top)
            ),
            BandResolution::BelowMinimum { lowest } => format!(
                "{payer}: a group of {size} is below the lowest band, {}: it cannot be priced",
                describe(lowest)
            ),
            BandResolution::NoSizeBands => format!(
                "{payer} has no group-size bands in {} for group type {} (or generic) on {}: \
                 it cannot be priced",
                room.facts.facility_state, room.facts.group_type, room.facts.local_date
            ),
            BandResolution::NothingToBill | BandResolution::InBand(_) => return None,
        };
        let arithmetic = self.band.arithmetic(size);
        Some(Issue::payer(code, payer, message, arithmetic).with_rule_ids(self.band.rule_ids()))
    }

    fn band_summary(&self, scheduled_minutes: u32) -> Option<BandSummary> {
        let band = self.band.band()?;
        let units = units_for(band, scheduled_minutes);
        Some(BandSummary {
            id: band.id,
            min: band.min,
            max: band.max,
            procedure_code: band.procedure_code.clone(),
            modifiers: band.modifiers.clone(),
            rate: band.rate,
            unit_minutes: band.unit_minutes,
            units,
            amount: amount_for(band, units),
        })
    }

    fn supervision_summary(&self) -> Option<SupervisionSummary> {
        self.ratio.check().map(|check| SupervisionSummary {
            rule_id: check.rule_id,
            max_per_supervisor: check.max_per_supervisor,
            capacity: check.capacity,
        })
    }
}

/// `2–4 (90853 HQ)`.
fn describe(band: &SizeBand) -> String {
    let code = std::iter::once(band.procedure_code.as_str())
        .chain(band.modifiers.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    format!("{} ({code})", band.range())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::attendance::AttendanceStatus::{self, *};
    use crate::rules::bands::tests::band;
    use crate::rules::facts::{Coverage, SupervisorRow};
    use crate::rules::issues::Acceptance;
    use crate::rules::lookup::tests::{date, scope};
    use crate::rules::ratio::SupervisionRule;

    fn member(row_id: i64, status: AttendanceStatus, payer: Option<&str>) -> RosterRow {
        RosterRow {
            row_id,
            mrn: format!("M{row_id:03}"),
            status,
            coverage: payer.map(|payer| Coverage {
                id: 100 + row_id,
                payer: payer.into(),
                subscriber_id: Some(format!("S{row_id}")),
            }),
            has_diagnosis: true,
        }
    }

    fn supervisor(status: AttendanceStatus) -> SupervisorRow {
        SupervisorRow {
            npi: "1245319599".into(),
            name: "Dana Reyes".into(),
            status,
        }
    }

    fn rule(id: i64, payer: &str, max_per_supervisor: u32) -> SupervisionRule {
        SupervisionRule {
            id,
            scope: scope(payer, None, None, None),
            max_per_supervisor,
        }
    }

    fn payer_band(id: i64, payer: &str, min: u32, max: u32) -> SizeBand {
        SizeBand {
            scope: scope(payer, None, None, None),
            ..band(id, min, max)
        }
    }

    /// ORMCD: 6 per supervisor, bands 2–4 and 6–8; one supervisor present.
    fn facts(roster: Vec<RosterRow>) -> SessionFacts {
        SessionFacts {
            session_id: 7,
            local_date: date("2026-11-27"),
            scheduled_minutes: 90,
            facility_state: "OR".into(),
            billing_npi: "1234567893".into(),
            group_type: "DBT".into(),
            roster,
            supervisors: vec![supervisor(Attended)],
            supervision_rules: vec![rule(1, "ORMCD", 6)],
            size_bands: vec![payer_band(11, "ORMCD", 2, 4), payer_band(12, "ORMCD", 6, 8)],
            acceptances: vec![],
        }
    }

    fn attended(count: i64, payer: &str) -> Vec<RosterRow> {
        (1..=count)
            .map(|id| member(id, Attended, Some(payer)))
            .collect()
    }

    /// `CODE`, `CODE:payer` or `CODE:mrn`, in order.
    fn keys(issues: &[Issue]) -> Vec<String> {
        issues
            .iter()
            .map(|issue| match (&issue.payer, &issue.mrn) {
                (Some(subject), _) | (_, Some(subject)) => format!("{}:{subject}", issue.code),
                (None, None) => issue.code.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_clean_session_is_ready_to_bill() {
        let evaluation = evaluate_session(&facts(attended(3, "ORMCD")));
        assert_eq!(evaluation.billable_count, 3);
        assert_eq!(evaluation.supervisors_present, 1);
        assert_eq!(evaluation.primary_payer.as_deref(), Some("ORMCD"));
        assert!(evaluation.issues.is_empty());
        assert_eq!(
            (evaluation.blocking_count, evaluation.ready_to_bill),
            (0, true)
        );
        let payer = &evaluation.payers[0];
        assert_eq!(payer.members, ["M001", "M002", "M003"]);
        assert_eq!(payer.band.as_ref().map(|band| band.id), Some(11));
        let supervision = payer.supervision.unwrap();
        assert_eq!((supervision.rule_id, supervision.capacity), (1, 6));
    }

    #[test]
    fn a_scheduled_row_raises_group_unattended_billed_and_is_not_ready() {
        let mut roster = attended(3, "ORMCD");
        roster.push(member(4, Scheduled, Some("ORMCD")));
        roster.push(member(5, Scheduled, None));
        let evaluation = evaluate_session(&facts(roster));
        assert_eq!(keys(&evaluation.issues), ["GROUP_UNATTENDED_BILLED"]);
        let issue = &evaluation.issues[0];
        assert_eq!(
            issue.message,
            "2 roster rows still SCHEDULED (M004, M005): mark them before billing"
        );
        assert_eq!(issue.arithmetic, "2 SCHEDULED of 5 roster rows");
        assert_eq!(
            (evaluation.blocking_count, evaluation.ready_to_bill),
            (1, false)
        );
    }

    #[test]
    fn session_scoped_data_checks() {
        let mut facts = facts(attended(2, "ORMCD"));
        facts.supervisors.clear();
        facts.supervision_rules.clear();
        facts.billing_npi = "1234567890".into();
        let evaluation = evaluate_session(&facts);
        assert_eq!(
            keys(&evaluation.issues),
            ["NO_SUPERVISOR_ASSIGNED", "INVALID_BILLING_NPI"]
        );
        assert_eq!(evaluation.issues[0].arithmetic, "0 supervisors listed");
        assert_eq!(
            evaluation.issues[1].arithmetic,
            "check digit 0 ≠ 3 (Luhn over 80840123456789)"
        );
        assert_eq!(
            evaluation.blocking_count, 1,
            "the NPI blocks, the warning does not"
        );
    }

    #[test]
    fn a_ratio_breach_shows_its_arithmetic_and_rule() {
        let evaluation = evaluate_session(&facts(attended(7, "ORMCD")));
        assert_eq!(keys(&evaluation.issues), ["SUPERVISION_RATIO_BREACH:ORMCD"]);
        let breach = &evaluation.issues[0];
        assert_eq!(breach.arithmetic, "7 billable > 1 present × 6");
        assert_eq!(
            breach.message,
            "ORMCD allows 6 participants per present supervisor: 7 billable with 1 supervisor \
             present; mark a supervisor who was there present (`mark … --supervisor NPI`), add \
             a second one (`supervisor add`), or accept it with a documented reason"
        );
        assert_eq!(breach.rule_ids, [1]);
        assert!(!evaluation.ready_to_bill);
    }

    #[test]
    fn band_issues_name_the_bands() {
        let cases = [
            (
                1,
                "GROUP_SIZE_BELOW_MINIMUM:ORMCD",
                "size 1 < lowest band min 2",
                None,
            ),
            (
                5,
                "GROUP_SIZE_BAND_MISMATCH:ORMCD",
                "size 5 falls between 2–4 and 6–8: coded 2–4",
                Some(11),
            ),
            (
                9,
                "GROUP_SIZE_ABOVE_MAXIMUM:ORMCD",
                "size 9 > top band 6–8",
                Some(12),
            ),
        ];
        for (size, key, arithmetic, band) in cases {
            let mut facts = facts(attended(size, "ORMCD"));
            facts.supervision_rules.clear();
            let evaluation = evaluate_session(&facts);
            assert_eq!(keys(&evaluation.issues), [key], "size {size}");
            assert_eq!(evaluation.issues[0].arithmetic, arithmetic);
            assert_eq!(evaluation.payers[0].band.as_ref().map(|b| b.id), band);
        }
    }

    #[test]
    fn a_payer_without_bands_cannot_be_priced() {
        let mut facts = facts(attended(3, "ORMCD"));
        facts.size_bands.clear();
        let evaluation = evaluate_session(&facts);
        assert_eq!(keys(&evaluation.issues), ["NO_SIZE_BANDS:ORMCD"]);
        assert_eq!(
            evaluation.issues[0].message,
            "ORMCD has no group-size bands in OR for group type DBT (or generic) on 2026-11-27: \
             it cannot be priced"
        );
        assert!(evaluation.payers[0].band.is_none());
        assert!(wanted_charges(&facts).is_empty());
    }

    #[test]
    fn mixed_payers_are_each_checked_against_the_whole_room() {
        // Two ORMCD members and one WAHP member: the room holds 3 for both payers.
        let mut facts = facts(vec![
            member(1, Attended, Some("ORMCD")),
            member(2, Late, Some("WAHP")),
            member(3, Attended, Some("ORMCD")),
            member(4, Absent, Some("WAHP")),
        ]);
        facts.supervision_rules = vec![rule(1, "ORMCD", 2), rule(2, "WAHP", 6)];
        facts.size_bands.push(payer_band(21, "WAHP", 4, 6));
        let evaluation = evaluate_session(&facts);
        assert_eq!(evaluation.billable_count, 3);
        assert_eq!(
            keys(&evaluation.issues),
            [
                "SUPERVISION_RATIO_BREACH:ORMCD",
                "GROUP_SIZE_BELOW_MINIMUM:WAHP"
            ]
        );
        assert_eq!(
            evaluation.issues[0].arithmetic,
            "3 billable > 1 present × 2"
        );
        assert_eq!(
            evaluation.issues[1].arithmetic,
            "size 3 < lowest band min 4"
        );
        let payers: Vec<_> = evaluation
            .payers
            .iter()
            .map(|p| (&*p.payer, p.members.clone()))
            .collect();
        assert_eq!(
            payers,
            [
                ("ORMCD", vec!["M001".to_string(), "M003".into()]),
                ("WAHP", vec!["M002".into(), "M004".into()])
            ]
        );
        assert_eq!(
            evaluation.payers[1].supervision.map(|s| s.capacity),
            Some(6)
        );
        let charges: Vec<_> = wanted_charges(&facts)
            .into_iter()
            .map(|c| (c.mrn, c.payer))
            .collect();
        assert_eq!(
            charges,
            [
                ("M001".into(), "ORMCD".into()),
                ("M003".into(), "ORMCD".to_string())
            ]
        );
    }

    #[test]
    fn a_payer_of_absent_members_only_is_listed_but_not_judged() {
        let mut facts = facts(vec![
            member(1, Attended, Some("ORMCD")),
            member(2, Attended, Some("ORMCD")),
            member(3, Absent, Some("WAHP")),
        ]);
        facts.supervision_rules.push(rule(2, "WAHP", 1));
        let evaluation = evaluate_session(&facts);
        let wahp = &evaluation.payers[1];
        assert_eq!((wahp.payer.as_str(), wahp.billable), ("WAHP", false));
        assert!(wahp.band.is_none() && wahp.supervision.is_none());
        assert!(
            evaluation.issues.is_empty(),
            "no NO_SIZE_BANDS and no breach for WAHP"
        );
    }

    #[test]
    fn the_primary_payer_is_that_of_the_lowest_covered_row_id() {
        // Rows arrive out of order; row 2 is the first with coverage.
        let facts = facts(vec![
            member(5, Attended, Some("ORMCD")),
            member(2, Absent, Some("WAHP")),
            member(1, Attended, None),
        ]);
        let evaluation = evaluate_session(&facts);
        assert_eq!(evaluation.primary_payer.as_deref(), Some("WAHP"));
        let order: Vec<_> = evaluation.payers.iter().map(|p| p.payer.as_str()).collect();
        assert_eq!(order, ["WAHP", "ORMCD"]);
    }

    #[test]
    fn a_room_without_coverage_skips_every_payer_check() {
        let mut roster: Vec<_> = (1..=3).map(|id| member(id, Attended, None)).collect();
        roster.push(member(4, Scheduled, None));
        let mut facts = facts(roster);
        facts.supervisors.clear();
        let evaluation = evaluate_session(&facts);
        assert_eq!(evaluation.primary_payer, None);
        assert!(evaluation.payers.is_empty());
        assert_eq!(evaluation.billable_count, 3);
        assert_eq!(
            keys(&evaluation.issues),
            [
                "GROUP_UNATTENDED_BILLED",
                "NO_SUPERVISOR_ASSIGNED",
                "NO_COVERAGE:M001",
                "NO_COVERAGE:M002",
                "NO_COVERAGE:M003"
            ]
        );
        assert_eq!(
            evaluation.issues[2].message,
            "M001 is ATTENDED but has no primary coverage active on 2026-11-27: no claim for them"
        );
        assert!(wanted_charges(&facts).is_empty());
    }

    #[test]
    fn member_checks_apply_to_billable_members_only() {
        let mut roster = vec![
            member(1, Attended, Some("ORMCD")),
            member(2, Late, Some("ORMCD")),
            member(3, Absent, None),
            member(4, Absent, Some("ORMCD")),
            member(5, Late, None),
        ];
        roster[1].coverage.as_mut().unwrap().subscriber_id = None;
        roster[1].has_diagnosis = false;
        roster[3].has_diagnosis = false;
        roster[3].coverage.as_mut().unwrap().subscriber_id = None;
        roster[4].has_diagnosis = false;
        let evaluation = evaluate_session(&facts(roster));
        assert_eq!(
            keys(&evaluation.issues),
            [
                "MISSING_SUBSCRIBER_ID:M002",
                "MISSING_DIAGNOSIS:M002",
                "NO_COVERAGE:M005"
            ]
        );
        assert_eq!(
            evaluation.issues[0].arithmetic,
            "coverage 102: subscriber id empty"
        );
    }

    #[test]
    fn issues_come_session_first_then_payers_then_members() {
        let mut roster = vec![
            member(1, Attended, Some("WAHP")),
            member(2, Attended, Some("ORMCD")),
            member(3, Attended, None),
            member(4, Scheduled, Some("ORMCD")),
        ];
        roster[0].has_diagnosis = false;
        let mut facts = facts(roster);
        facts.supervisors.clear();
        facts.billing_npi = "123".into();
        let evaluation = evaluate_session(&facts);
        assert_eq!(
            keys(&evaluation.issues),
            [
                "GROUP_UNATTENDED_BILLED",
                "NO_SUPERVISOR_ASSIGNED",
                "INVALID_BILLING_NPI",
                "NO_SIZE_BANDS:WAHP",
                "SUPERVISION_RATIO_BREACH:ORMCD",
                "MISSING_DIAGNOSIS:M001",
                "NO_COVERAGE:M003",
            ]
        );
    }

    fn breach_accepted_at(group_size: u32, supervisors_present: u32) -> Acceptance {
        Acceptance {
            id: 1,
            code: IssueCode::SupervisionRatioBreach,
            payer: Some("ORMCD".into()),
            mrn: None,
            group_size,
            supervisors_present,
        }
    }

    #[test]
    fn an_accepted_issue_is_shown_but_no_longer_blocks() {
        let mut facts = facts(attended(8, "ORMCD"));
        facts.acceptances.push(breach_accepted_at(8, 1));
        let evaluation = evaluate_session(&facts);
        assert_eq!(keys(&evaluation.issues), ["SUPERVISION_RATIO_BREACH:ORMCD"]);
        assert!(evaluation.issues[0].accepted);
        assert_eq!(
            (evaluation.blocking_count, evaluation.ready_to_bill),
            (0, true)
        );
    }

    #[test]
    fn an_acceptance_expires_when_the_figures_change() {
        let mut facts = facts(attended(8, "ORMCD"));
        facts.acceptances.push(breach_accepted_at(8, 1));
        facts.roster.push(member(9, Late, Some("ORMCD")));
        facts.size_bands.push(payer_band(13, "ORMCD", 9, 12));
        let evaluation = evaluate_session(&facts);
        assert_eq!(keys(&evaluation.issues), ["SUPERVISION_RATIO_BREACH:ORMCD"]);
        assert!(!evaluation.issues[0].accepted);
        assert_eq!(
            (evaluation.blocking_count, evaluation.ready_to_bill),
            (1, false)
        );

        facts.roster.pop();
        facts.supervisors.push(supervisor(Absent));
        facts.supervisors[0].status = Late;
        assert!(
            evaluate_session(&facts).issues[0].accepted,
            "same figures: 8 and 1"
        );
    }

    #[test]
    fn an_all_absent_session_is_ready_with_nothing_to_bill() {
        let facts = facts(vec![
            member(1, Absent, Some("ORMCD")),
            member(2, Absent, None),
        ]);
        let evaluation = evaluate_session(&facts);
        assert_eq!(evaluation.billable_count, 0);
        assert!(evaluation.issues.is_empty());
        assert!(evaluation.ready_to_bill);
        assert_eq!(evaluation.payers.len(), 1);
        assert!(wanted_charges(&facts).is_empty());
    }

    #[test]
    fn a_specific_rule_beats_the_generic_one_and_the_later_start_wins() {
        let mut facts = facts(attended(3, "ORMCD"));
        let specific = |id, start: &str, max| SupervisionRule {
            id,
            scope: scope("ORMCD", Some("DBT"), Some(start), None),
            max_per_supervisor: max,
        };
        facts.supervision_rules.push(specific(3, "2026-06-01", 2));
        facts.supervision_rules.push(specific(2, "2026-01-01", 8));
        let evaluation = evaluate_session(&facts);
        assert_eq!(evaluation.payers[0].supervision.map(|s| s.rule_id), Some(3));
        assert_eq!(keys(&evaluation.issues), ["SUPERVISION_RATIO_BREACH:ORMCD"]);
        assert_eq!(
            evaluation.issues[0].arithmetic,
            "3 billable > 1 present × 2"
        );
    }

    #[test]
    fn a_claim_gets_the_session_its_payer_and_its_member_issues() {
        let mut roster = vec![
            member(1, Attended, Some("ORMCD")),
            member(2, Attended, Some("WAHP")),
            member(3, Scheduled, Some("ORMCD")),
        ];
        roster[0].has_diagnosis = false;
        roster[1].has_diagnosis = false;
        let evaluation = evaluate_session(&facts(roster));
        assert_eq!(
            keys(&evaluation.issues_for_claim("ORMCD", "M001")),
            ["GROUP_UNATTENDED_BILLED", "MISSING_DIAGNOSIS:M001"]
        );
        assert_eq!(
            keys(&evaluation.issues_for_claim("WAHP", "M002")),
            [
                "GROUP_UNATTENDED_BILLED",
                "NO_SIZE_BANDS:WAHP",
                "MISSING_DIAGNOSIS:M002"
            ]
        );
    }

    #[test]
    fn charges_follow_the_coded_band_in_roster_order() {
        let mut facts = facts(vec![
            member(3, Late, Some("ORMCD")),
            member(1, Attended, Some("ORMCD")),
            member(2, Absent, Some("ORMCD")),
            member(4, Attended, None),
            member(5, Attended, Some("ORMCD")),
            member(6, Attended, Some("ORMCD")),
        ]);
        // Size 5: coded down to 2–4, and still charged (a warning, not a refusal).
        facts.size_bands[0].unit_minutes = Some(15);
        facts.scheduled_minutes = 38;
        let charges = wanted_charges(&facts);
        let rows: Vec<_> = charges.iter().map(|charge| charge.row_id).collect();
        assert_eq!(rows, [1, 3, 5, 6]);
        let charge = &charges[0];
        assert_eq!((charge.band_id, charge.units), (11, 3));
        assert_eq!(
            (charge.procedure_code.as_str(), &charge.modifiers[..]),
            ("90853", &["HQ".to_string()][..])
        );
        assert_eq!(charge.amount, Decimal::new(13500, 2));
        let band = evaluate_session(&facts).payers[0].band.clone().unwrap();
        assert_eq!((band.units, band.amount), (3, Decimal::new(13500, 2)));
    }

    #[test]
    fn a_payer_below_its_bands_gets_no_charges() {
        let facts = facts(attended(1, "ORMCD"));
        assert!(wanted_charges(&facts).is_empty());
    }

    #[test]
    fn zero_units_are_never_charged() {
        let mut facts = facts(attended(3, "ORMCD"));
        facts.size_bands[0].unit_minutes = Some(15);
        facts.scheduled_minutes = 7;
        assert!(wanted_charges(&facts).is_empty());
        facts.scheduled_minutes = 8;
        assert_eq!(wanted_charges(&facts).len(), 3);
    }

    #[test]
    fn the_preview_json_has_the_spec_fields_and_money_as_strings() {
        let json = serde_json::to_value(evaluate_session(&facts(attended(2, "ORMCD")))).unwrap();
        for field in [
            "session_id",
            "billable_count",
            "supervisors_present",
            "primary_payer",
            "payers",
            "issues",
            "blocking_count",
            "ready_to_bill",
        ] {
            assert!(json.get(field).is_some(), "{field}");
        }
        let band = &json["payers"][0]["band"];
        assert_eq!(band["rate"], "45.00");
        assert_eq!(band["amount"], "45.00");
        assert_eq!(band["modifiers"][0], "HQ");
        assert_eq!(json["payers"][0]["supervision"]["capacity"], 6);
    }

    #[test]
    fn money_always_has_two_decimals() {
        let mut facts = facts(attended(2, "ORMCD"));
        facts.size_bands[0].rate = Decimal::new(45, 0);
        let json = serde_json::to_value(wanted_charges(&facts)).unwrap();
        assert_eq!(
            (json[0]["rate"].as_str(), json[0]["amount"].as_str()),
            (Some("45.00"), Some("45.00"))
        );
    }
}
