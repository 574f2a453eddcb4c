//! Reading a time `T`: RFC 3339 with an offset, or a wall-clock
//! `YYYY-MM-DD HH:MM` read in a given IANA time zone (the facility's, for `create`).
//!
//! A wall-clock time can name no instant (the spring-forward gap: `2026-03-08 02:30` in Los
//! Angeles never happens) or two (the fall-back overlap: `2026-11-01 01:30` happens twice).
//! Guessing would put a session an hour off, so both are refused with the two readings
//! spelled out; the caller names the field and exits 10. Pure functions, no I/O.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::{OffsetName, Tz};
use std::fmt;

/// Wall-clock forms accepted besides RFC 3339 (seconds and the `T` separator are optional).
const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
];

/// The years a stored date may fall in. A year 0 or 9999 is a typing slip or an "open end"
/// sentinel, never a session, a coverage or a birth; and before 1900 local mean time makes
/// the zone database's offsets nonsense (`-07:53` in Los Angeles).
pub const STORED_YEARS: std::ops::RangeInclusive<i32> = 1900..=2099;

/// Why `date` may not be stored, or `Ok` when its year is in [`STORED_YEARS`].
pub fn check_stored_year(date: NaiveDate) -> Result<(), String> {
    if STORED_YEARS.contains(&date.year()) {
        Ok(())
    } else {
        Err(format!(
            "year {} is outside {}–{}",
            date.year(),
            STORED_YEARS.start(),
            STORED_YEARS.end()
        ))
    }
}

/// Calendar days from `first` to `last`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DateRange {
    pub fn day(date: NaiveDate) -> DateRange {
        DateRange {
            first: date,
            last: date,
        }
    }

    pub fn is_one_day(&self) -> bool {
        self.first == self.last
    }
}

/// Why a text is not one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Neither RFC 3339 nor a wall-clock time.
    Unparseable { text: String, zone: Tz },
    /// A wall-clock time inside a spring-forward gap.
    Nonexistent {
        local: NaiveDateTime,
        zone: Tz,
        /// The wall clock at the transition: it jumps from `jump_from` to `jump_to`.
        jump_from: NaiveDateTime,
        jump_to: NaiveDateTime,
        /// The text read with the offset in force before the jump, and after it.
        with_offset_before: DateTime<FixedOffset>,
        with_offset_after: DateTime<FixedOffset>,
    },
    /// A wall-clock time inside a fall-back overlap: it happens twice.
    Ambiguous {
        local: NaiveDateTime,
        zone: Tz,
        earlier: DateTime<FixedOffset>,
        later: DateTime<FixedOffset>,
    },
}

impl TimeError {
    /// The readings a user can choose from, as RFC 3339 on the zone's clock (empty when
    /// nothing parsed). For a gap: the time read with the offset before the jump, then with
    /// the one after, each as the clock would show it.
    pub fn readings(&self) -> Vec<String> {
        match self {
            TimeError::Unparseable { .. } => Vec::new(),
            TimeError::Nonexistent {
                zone,
                with_offset_before,
                with_offset_after,
                ..
            } => vec![
                with_offset_before.with_timezone(zone).to_rfc3339(),
                with_offset_after.with_timezone(zone).to_rfc3339(),
            ],
            TimeError::Ambiguous { earlier, later, .. } => {
                vec![earlier.to_rfc3339(), later.to_rfc3339()]
            }
        }
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::Unparseable { text, zone } => write!(
                f,
                "{text:?} is not a time: use RFC 3339 with an offset (2026-11-27T14:00:00-08:00) \
                 or YYYY-MM-DD HH:MM, read in the facility's time zone ({zone})"
            ),
            TimeError::Nonexistent {
                local,
                zone,
                jump_from,
                jump_to,
                with_offset_before,
                with_offset_after,
            } => write!(
                f,
                "{} does not exist in {zone}: at {} the clock jumps to {} ({} → {}). Read with \
                 the earlier offset {} it is {}; read with the later offset {} it is {}. Give \
                 one of these (RFC 3339 with an offset) or another time",
                local.format("%Y-%m-%d %H:%M"),
                jump_from.format("%H:%M"),
                jump_to.format("%H:%M"),
                with_offset_before.offset(),
                with_offset_after.offset(),
                with_offset_before.offset(),
                with_offset_before.with_timezone(zone).to_rfc3339(),
                with_offset_after.offset(),
                with_offset_after.with_timezone(zone).to_rfc3339(),
            ),
            TimeError::Ambiguous {
                local,
                zone,
                earlier,
                later,
            } => write!(
                f,
                "{} is ambiguous in {zone}: the clock goes back that night, so it happens twice, \
                 at UTC offset {} ({}{}) and at UTC offset {} ({}{}). Give the one you mean \
                 with its offset (RFC 3339)",
                local.format("%Y-%m-%d %H:%M"),
                earlier.offset(),
                earlier.to_rfc3339(),
                abbreviation(earlier, *zone),
                later.offset(),
                later.to_rfc3339(),
                abbreviation(later, *zone),
            ),
        }
    }
}

impl std::error::Error for TimeError {}

/// ` PDT`, ` EST`… when the zone has a letter abbreviation for that instant.
fn abbreviation(at: &DateTime<FixedOffset>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    match local.offset().abbreviation() {
        Some(abbr) if abbr.chars().any(|c| c.is_ascii_alphabetic()) => format!(", {abbr}"),
        _ => String::new(),
    }
}

/// A facility's zone by its IANA name. Import validates the name; one written by hand that
/// chrono-tz does not know reads as UTC rather than failing every read of the session.
pub fn facility_zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// The user's time zone, for times typed without an offset (`--as-of`, `--since`): `TZ` if it
/// names an IANA zone, else the system's (`/etc/timezone`, the `/etc/localtime` link), else
/// UTC.
pub fn user_zone() -> Tz {
    let from_tz = std::env::var("TZ")
        .ok()
        .and_then(|tz| tz.trim_start_matches(':').parse().ok());
    let from_file = || {
        std::fs::read_to_string("/etc/timezone")
            .ok()
            .and_then(|name| name.trim().parse().ok())
    };
    let from_link = || {
        let target = std::fs::read_link("/etc/localtime").ok()?;
        let text = target.to_string_lossy().into_owned();
        text.split_once("zoneinfo/")?.1.parse().ok()
    };
    from_tz
        .or_else(from_file)
        .or_else(from_link)
        .unwrap_or(Tz::UTC)
}

/// Read `text` as one instant: RFC 3339 keeps its own offset; a wall-clock time is read in
/// `zone` and must name exactly one instant there.
pub fn parse_time(text: &str, zone: Tz) -> Result<DateTime<FixedOffset>, TimeError> {
    let trimmed = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(at);
    }
    let local = LOCAL_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(trimmed, format).ok())
        .ok_or_else(|| TimeError::Unparseable {
            text: text.to_owned(),
            zone,
        })?;
    local_to_instant(local, zone)
}

/// A wall-clock time in `zone` as an instant, refusing the DST gap and overlap.
pub fn local_to_instant(
    local: NaiveDateTime,
    zone: Tz,
) -> Result<DateTime<FixedOffset>, TimeError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at.fixed_offset()),
        LocalResult::Ambiguous(a, b) => {
            let (earlier, later) = if a <= b { (a, b) } else { (b, a) };
            Err(TimeError::Ambiguous {
                local,
                zone,
                earlier: earlier.fixed_offset(),
                later: later.fixed_offset(),
            })
        }
        LocalResult::None => Err(gap(local, zone)),
    }
}

/// Describe the spring-forward gap `local` falls into: the transition is found by bisection
/// within a day of it (UTC offsets are within ±15 h), so no zone data is assumed.
fn gap(local: NaiveDateTime, zone: Tz) -> TimeError {
    let offset_at = |at: DateTime<Utc>| zone.offset_from_utc_datetime(&at.naive_utc()).fix();
    let mut before = local.and_utc() - Duration::days(1);
    let mut after = local.and_utc() + Duration::days(1);
    let (offset_before, offset_after) = (offset_at(before), offset_at(after));
    if offset_before != offset_after {
        while after - before > Duration::seconds(1) {
            let middle = before + (after - before) / 2;
            if offset_at(middle) == offset_before {
                before = middle;
            } else {
                after = middle;
            }
        }
    }
    // `after` is the first instant of the new offset (or, in a zone with no single
    // transition nearby, an approximation that still yields two honest readings).
    let jump_from = after.naive_utc() + Duration::seconds(offset_before.local_minus_utc().into());
    let jump_to = after.naive_utc() + Duration::seconds(offset_after.local_minus_utc().into());
    let read_with = |offset: FixedOffset| {
        offset
            .from_local_datetime(&local)
            .single()
            .expect("a fixed offset maps every wall-clock time to one instant")
    };
    TimeError::Nonexistent {
        local,
        zone,
        jump_from,
        jump_to,
        with_offset_before: read_with(offset_before),
        with_offset_after: read_with(offset_after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const LA: Tz = chrono_tz::America::Los_Angeles;
    const NY: Tz = chrono_tz::America::New_York;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn at(text: &str, zone: Tz) -> DateTime<FixedOffset> {
        parse_time(text, zone).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn wall_clock_times_are_read_in_the_zone_on_both_coasts() {
        let la = at("2026-11-27 14:00", LA);
        assert_eq!(la.with_timezone(&Utc), utc("2026-11-27T22:00:00Z"));
        assert_eq!(la.offset().local_minus_utc(), -8 * 3600);

        let ny = at("2026-11-28 00:30", NY);
        assert_eq!(ny.with_timezone(&Utc), utc("2026-11-28T05:30:00Z"));
        assert_eq!(ny.to_rfc3339(), "2026-11-28T00:30:00-05:00");

        // Summer time on both coasts.
        assert_eq!(
            at("2026-07-01 09:00", LA).to_rfc3339(),
            "2026-07-01T09:00:00-07:00"
        );
        assert_eq!(
            at("2026-07-01 09:00", NY).to_rfc3339(),
            "2026-07-01T09:00:00-04:00"
        );
    }

    #[test]
    fn the_other_wall_clock_spellings_are_accepted() {
        let expected = utc("2026-11-27T22:00:00Z");
        for text in [
            "2026-11-27 14:00",
            "2026-11-27T14:00",
            "2026-11-27 14:00:00",
            "2026-11-27T14:00:00",
            "  2026-11-27 14:00 ",
        ] {
            assert_eq!(at(text, LA).with_timezone(&Utc), expected, "{text:?}");
        }
    }

    #[test]
    fn rfc3339_keeps_its_own_offset_whatever_the_zone() {
        for zone in [LA, NY, Tz::UTC] {
            let t = at("2026-11-27T14:00:00-08:00", zone);
            assert_eq!(t.to_rfc3339(), "2026-11-27T14:00:00-08:00");
            assert_eq!(
                at("2026-11-27T22:00:00Z", zone).with_timezone(&Utc),
                t.with_timezone(&Utc)
            );
        }
        // An instant inside LA's gap or overlap is fine when the offset says which.
        assert_eq!(
            at("2026-11-01T01:30:00-08:00", LA).with_timezone(&Utc),
            utc("2026-11-01T09:30:00Z")
        );
        assert_eq!(
            at("2026-03-08T02:30:00-08:00", LA).with_timezone(&Utc),
            utc("2026-03-08T10:30:00Z")
        );
    }

    #[test]
    fn the_spring_forward_gap_is_refused_with_both_readings_and_the_jump() {
        let err = parse_time("2026-03-08 02:30", LA).unwrap_err();
        let day = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        match &err {
            TimeError::Nonexistent {
                jump_from,
                jump_to,
                with_offset_before,
                with_offset_after,
                ..
            } => {
                assert_eq!(*jump_from, day.and_hms_opt(2, 0, 0).unwrap());
                assert_eq!(*jump_to, day.and_hms_opt(3, 0, 0).unwrap());
                assert_eq!(with_offset_before.to_rfc3339(), "2026-03-08T02:30:00-08:00");
                assert_eq!(with_offset_after.to_rfc3339(), "2026-03-08T02:30:00-07:00");
            }
            other => panic!("expected a gap, got {other:?}"),
        }
        let message = err.to_string();
        for needle in [
            "2026-03-08 02:30 does not exist in America/Los_Angeles",
            "at 02:00 the clock jumps to 03:00",
            "-08:00 → -07:00",
            "2026-03-08T03:30:00-07:00",
            "2026-03-08T01:30:00-08:00",
        ] {
            assert!(message.contains(needle), "{needle:?} not in {message}");
        }
        assert_eq!(
            err.readings(),
            ["2026-03-08T03:30:00-07:00", "2026-03-08T01:30:00-08:00"]
        );

        // The east coast jumps at its own 02:00.
        let message = parse_time("2026-03-08 02:15", NY).unwrap_err().to_string();
        assert!(
            message.contains("at 02:00 the clock jumps to 03:00 (-05:00 → -04:00)"),
            "{message}"
        );
        assert!(message.contains("2026-03-08T03:15:00-04:00"), "{message}");
        assert!(message.contains("2026-03-08T01:15:00-05:00"), "{message}");
        // The minutes on either side of the gap exist.
        assert_eq!(
            at("2026-03-08 01:59", LA).to_rfc3339(),
            "2026-03-08T01:59:00-08:00"
        );
        assert_eq!(
            at("2026-03-08 03:00", LA).to_rfc3339(),
            "2026-03-08T03:00:00-07:00"
        );
    }

    #[test]
    fn the_fall_back_overlap_is_refused_with_both_offsets() {
        let err = parse_time("2026-11-01 01:30", LA).unwrap_err();
        assert!(matches!(err, TimeError::Ambiguous { .. }), "{err:?}");
        assert_eq!(
            err.readings(),
            ["2026-11-01T01:30:00-07:00", "2026-11-01T01:30:00-08:00"]
        );
        let message = err.to_string();
        for needle in [
            "2026-11-01 01:30 is ambiguous in America/Los_Angeles",
            "UTC offset -07:00 (2026-11-01T01:30:00-07:00, PDT)",
            "UTC offset -08:00 (2026-11-01T01:30:00-08:00, PST)",
        ] {
            assert!(message.contains(needle), "{needle:?} not in {message}");
        }
        let message = parse_time("2026-11-01 01:05", NY).unwrap_err().to_string();
        assert!(
            message.contains("-04:00") && message.contains("-05:00"),
            "{message}"
        );
        // Just outside the overlap there is one reading.
        assert_eq!(
            at("2026-11-01 00:59", LA).to_rfc3339(),
            "2026-11-01T00:59:00-07:00"
        );
        assert_eq!(
            at("2026-11-01 02:00", LA).to_rfc3339(),
            "2026-11-01T02:00:00-08:00"
        );
    }

    #[test]
    fn anything_else_is_unparseable() {
        for text in [
            "",
            "tomorrow",
            "2026-11-27",
            "14:00",
            "2026-13-01 10:00",
            "2026-11-27 25:00",
            "2026-11-27T14:00:00+25:00",
            "27/11/2026 14:00",
        ] {
            let err = parse_time(text, LA).unwrap_err();
            assert!(
                matches!(err, TimeError::Unparseable { .. }),
                "{text:?}: {err:?}"
            );
            assert!(err.readings().is_empty());
            let message = err.to_string();
            assert!(message.contains("is not a time"), "{message}");
            assert!(message.contains("America/Los_Angeles"), "{message}");
        }
    }
}
