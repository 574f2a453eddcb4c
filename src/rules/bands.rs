//! Group-size bands: which band prices a session of a given size, and how many units at
//! what amount.

use std::cmp::Reverse;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::issues::IssueCode;
use super::lookup::{RuleRow, RuleScope};

/// A band row: sessions of `min..=max` billable participants bill `procedure_code` at `rate`
/// per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeBand {
    pub id: i64,
    #[serde(flatten)]
    pub scope: RuleScope,
    pub min: u32,
    pub max: u32,
    pub procedure_code: String,
    pub modifiers: Vec<String>,
    pub rate: Decimal,
    /// Timed codes (97154, 97158) bill per `unit_minutes`; `None` bills one unit per session.
    pub unit_minutes: Option<u32>,
}

impl SizeBand {
    pub fn contains(&self, size: u32) -> bool {
        self.min <= size && size <= self.max
    }

    /// `2–4`, as the arithmetic of issues shows it.
    pub fn range(&self) -> String {
        format!("{}–{}", self.min, self.max)
    }
}

impl RuleRow for SizeBand {
    fn rule_id(&self) -> i64 {
        self.id
    }
    fn scope(&self) -> &RuleScope {
        &self.scope
    }
}

/// The outcome of [`resolve_group_size_band`]: one variant per branch of the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandResolution<'a> {
    /// Size 0: nothing to bill, nothing to report.
    NothingToBill,
    /// `min <= size <= max`.
    InBand(&'a SizeBand),
    /// The size falls in a gap: coded to the next band down, `above` is the band past the gap.
    BetweenBands {
        coded: &'a SizeBand,
        above: &'a SizeBand,
    },
    /// The size exceeds every band: coded to the top one.
    AboveMaximum { top: &'a SizeBand },
    /// The size is under every band: it cannot be priced.
    BelowMinimum { lowest: &'a SizeBand },
    /// No band applies at all (and the size is not 0).
    NoSizeBands,
}

impl<'a> BandResolution<'a> {
    /// The band the session is priced with, if it can be priced.
    pub fn band(&self) -> Option<&'a SizeBand> {
        match *self {
            Self::InBand(band) | Self::BetweenBands { coded: band, .. } => Some(band),
            Self::AboveMaximum { top } => Some(top),
            Self::NothingToBill | Self::BelowMinimum { .. } | Self::NoSizeBands => None,
        }
    }

    pub fn issue_code(&self) -> Option<IssueCode> {
        match self {
            Self::NothingToBill | Self::InBand(_) => None,
            Self::BetweenBands { .. } => Some(IssueCode::GroupSizeBandMismatch),
            Self::AboveMaximum { .. } => Some(IssueCode::GroupSizeAboveMaximum),
            Self::BelowMinimum { .. } => Some(IssueCode::GroupSizeBelowMinimum),
            Self::NoSizeBands => Some(IssueCode::NoSizeBands),
        }
    }

    /// The numbers behind the outcome, e.g. `size 5 falls between 2–4 and 6–8: coded 2–4`.
    pub fn arithmetic(&self, size: u32) -> String {
        match self {
            Self::NothingToBill => format!("size {size}: nothing to bill"),
            Self::InBand(band) => format!("size {size} within {}", band.range()),
            Self::BetweenBands { coded, above } => format!(
                "size {size} falls between {} and {}: coded {}",
                coded.range(),
                above.range(),
                coded.range()
            ),
            Self::AboveMaximum { top } => format!("size {size} > top band {}", top.range()),
            Self::BelowMinimum { lowest } => {
                format!("size {size} < lowest band min {}", lowest.min)
            }
            Self::NoSizeBands => format!("size {size}, 0 bands in effect"),
        }
    }

    /// The band rows behind the outcome, for `explain`.
    pub fn rule_ids(&self) -> Vec<i64> {
        match *self {
            Self::NothingToBill | Self::NoSizeBands => vec![],
            Self::InBand(band) | Self::AboveMaximum { top: band } => vec![band.id],
            Self::BelowMinimum { lowest } => vec![lowest.id],
            Self::BetweenBands { coded, above } => vec![coded.id, above.id],
        }
    }
}

/// Picks the band for `group_size` among the bands in effect (any order). Overlapping rows
/// are a data error the import refuses; if they occur anyway, the row with the later start
/// (then the higher id) wins, so the answer does not depend on the order rows were read in.
pub fn resolve_group_size_band<'a>(
    bands: impl IntoIterator<Item = &'a SizeBand>,
    group_size: u32,
) -> BandResolution<'a> {
    if group_size == 0 {
        return BandResolution::NothingToBill;
    }
    let bands: Vec<&SizeBand> = bands.into_iter().collect();
    if let Some(band) = bands
        .iter()
        .filter(|band| band.contains(group_size))
        .max_by_key(|band| band.precedence())
    {
        return BandResolution::InBand(band);
    }
    // No band holds the size, so every band lies wholly below it or wholly above it; which
    // of the two sides exist decides the branch, and no branch can lack its band.
    let below = bands
        .iter()
        .filter(|band| band.max < group_size)
        .max_by_key(|band| (band.max, band.precedence()));
    let above = bands
        .iter()
        .filter(|band| band.min > group_size)
        .min_by_key(|band| (band.min, Reverse(band.precedence())));
    match (below, above) {
        (Some(coded), Some(above)) => BandResolution::BetweenBands { coded, above },
        (Some(top), None) => BandResolution::AboveMaximum { top },
        (None, Some(lowest)) => BandResolution::BelowMinimum { lowest },
        (None, None) => BandResolution::NoSizeBands,
    }
}

/// Units billed for a session of `scheduled_minutes`: one per session, or for timed codes
/// the CPT midpoint rule ⌊(minutes + ⌊unit/2⌋) / unit⌋ (8–22 minutes is one 15-minute unit,
/// 23–37 two; under 8 is zero). A `unit_minutes` of 0 is refused by the import; were it
/// stored anyway, it bills per session rather than divide by zero.
pub fn units_for(band: &SizeBand, scheduled_minutes: u32) -> u32 {
    match band.unit_minutes.filter(|&unit| unit > 0) {
        None => 1,
        Some(unit) => {
            // Widened so that huge minute counts cannot overflow; the quotient fits again.
            let units = (u64::from(scheduled_minutes) + u64::from(unit / 2)) / u64::from(unit);
            u32::try_from(units).unwrap_or(u32::MAX)
        }
    }
}

/// Exact money: rate × units, never a float.
pub fn amount_for(band: &SizeBand, units: u32) -> Decimal {
    band.rate * Decimal::from(units)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rules::lookup::tests::scope;

    pub(crate) fn band(id: i64, min: u32, max: u32) -> SizeBand {
        SizeBand {
            id,
            scope: scope("ORMCD", None, Some("2026-01-01"), None),
            min,
            max,
            procedure_code: "90853".into(),
            modifiers: vec!["HQ".into()],
            rate: Decimal::new(4500, 2),
            unit_minutes: None,
        }
    }

    /// 2–4 and 6–8 with a gap at 5, deliberately out of order.
    fn gapped() -> Vec<SizeBand> {
        vec![band(2, 6, 8), band(1, 2, 4)]
    }

    fn resolve(bands: &[SizeBand], size: u32) -> (Option<i64>, Option<IssueCode>, String) {
        let resolution = resolve_group_size_band(bands, size);
        (
            resolution.band().map(|band| band.id),
            resolution.issue_code(),
            resolution.arithmetic(size),
        )
    }

    #[test]
    fn a_size_inside_a_band_takes_it_with_both_ends_inclusive() {
        for (size, id) in [(2, 1), (3, 1), (4, 1), (6, 2), (8, 2)] {
            let (band, issue, _) = resolve(&gapped(), size);
            assert_eq!((band, issue), (Some(id), None), "size {size}");
        }
        assert_eq!(resolve(&gapped(), 3).2, "size 3 within 2–4");
    }

    #[test]
    fn a_gap_codes_to_the_next_band_down() {
        let bands = gapped();
        let resolution = resolve_group_size_band(&bands, 5);
        assert_eq!(resolution.band().map(|b| b.id), Some(1));
        assert_eq!(
            resolution.issue_code(),
            Some(IssueCode::GroupSizeBandMismatch)
        );
        assert_eq!(
            resolution.arithmetic(5),
            "size 5 falls between 2–4 and 6–8: coded 2–4"
        );
        assert_eq!(resolution.rule_ids(), [1, 2]);
    }

    #[test]
    fn with_several_gaps_the_band_just_below_is_coded() {
        let bands = [band(3, 10, 12), band(1, 2, 3), band(2, 5, 6)];
        let (coded, issue, arithmetic) = resolve(&bands, 8);
        assert_eq!(
            (coded, issue),
            (Some(2), Some(IssueCode::GroupSizeBandMismatch))
        );
        assert_eq!(arithmetic, "size 8 falls between 5–6 and 10–12: coded 5–6");
        assert_eq!(resolve(&bands, 4).0, Some(1));
    }

    #[test]
    fn above_the_top_band_codes_the_top_band() {
        let bands = gapped();
        let resolution = resolve_group_size_band(&bands, 9);
        assert_eq!(resolution.band().map(|b| b.id), Some(2));
        assert_eq!(
            resolution.issue_code(),
            Some(IssueCode::GroupSizeAboveMaximum)
        );
        assert_eq!(resolution.arithmetic(9), "size 9 > top band 6–8");
        assert_eq!(resolution.rule_ids(), [2]);
    }

    #[test]
    fn below_the_lowest_band_cannot_be_priced() {
        let bands = gapped();
        let resolution = resolve_group_size_band(&bands, 1);
        assert_eq!(resolution.band(), None);
        assert_eq!(
            resolution.issue_code(),
            Some(IssueCode::GroupSizeBelowMinimum)
        );
        assert_eq!(resolution.arithmetic(1), "size 1 < lowest band min 2");
        assert_eq!(resolution.rule_ids(), [1]);
    }

    #[test]
    fn size_zero_is_nothing_to_bill_with_or_without_bands() {
        assert_eq!(
            resolve_group_size_band(&gapped(), 0),
            BandResolution::NothingToBill
        );
        assert_eq!(
            resolve_group_size_band(&[], 0),
            BandResolution::NothingToBill
        );
        assert_eq!(BandResolution::NothingToBill.issue_code(), None);
    }

    #[test]
    fn no_bands_and_a_size_is_no_size_bands() {
        let resolution = resolve_group_size_band(&[], 3);
        assert_eq!(resolution, BandResolution::NoSizeBands);
        assert_eq!(resolution.band(), None);
        assert_eq!(resolution.issue_code(), Some(IssueCode::NoSizeBands));
        assert_eq!(resolution.arithmetic(3), "size 3, 0 bands in effect");
        assert!(resolution.rule_ids().is_empty());
    }

    #[test]
    fn input_order_never_matters() {
        let mut bands = vec![band(1, 2, 4), band(2, 6, 8), band(3, 10, 12)];
        let expected: Vec<_> = (0..15).map(|size| resolve(&bands, size)).collect();
        bands.reverse();
        let reversed: Vec<_> = (0..15).map(|size| resolve(&bands, size)).collect();
        bands.swap(0, 1);
        let shuffled: Vec<_> = (0..15).map(|size| resolve(&bands, size)).collect();
        assert_eq!(expected, reversed);
        assert_eq!(expected, shuffled);
    }

    #[test]
    fn overlapping_rows_prefer_the_later_start() {
        let older = band(7, 2, 4);
        let mut newer = band(3, 2, 6);
        newer.scope.start = Some("2026-06-01".parse().unwrap());
        for bands in [[older.clone(), newer.clone()], [newer, older]] {
            assert_eq!(resolve(&bands, 3).0, Some(3));
        }
    }

    #[test]
    fn per_session_bands_bill_one_unit() {
        let band = band(1, 2, 4);
        assert_eq!(units_for(&band, 0), 1);
        assert_eq!(units_for(&band, 90), 1);
    }

    #[test]
    fn timed_bands_follow_the_cpt_midpoint_rule() {
        let mut band = band(1, 2, 4);
        band.unit_minutes = Some(15);
        // 7 minutes: ⌊(7 + 7) / 15⌋ = 0, under the midpoint, so nothing is billable.
        for (minutes, units) in [(0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3)] {
            assert_eq!(units_for(&band, minutes), units, "{minutes} minutes");
        }
        assert_eq!(units_for(&band, 90), 6);
        assert_eq!(units_for(&band, u32::MAX), 286_331_153);
    }

    #[test]
    fn a_zero_unit_length_bills_per_session() {
        let mut band = band(1, 2, 4);
        band.unit_minutes = Some(0);
        assert_eq!(units_for(&band, 60), 1);
    }

    #[test]
    fn amount_is_rate_times_units_exactly() {
        let mut band = band(1, 2, 4);
        band.rate = Decimal::new(1999, 2);
        assert_eq!(amount_for(&band, 3), Decimal::new(5997, 2));
        assert_eq!(amount_for(&band, 3).to_string(), "59.97");
        assert_eq!(amount_for(&band, 0), Decimal::ZERO);
    }
}
