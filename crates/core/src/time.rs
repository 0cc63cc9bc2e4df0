//! Time: UTC instants and intervals with an explicit precision.

use crate::error::FieldErrors;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How precisely a time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// To the minute or better.
    Exact,
    /// Within the hour.
    Hour,
    /// Within the day.
    Day,
    /// Within the week.
    Week,
    /// Within the month.
    Month,
}

impl Precision {
    /// Parses `exact`, `hour`, `day`, `week` or `month`.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "exact" => Ok(Self::Exact),
            "hour" => Ok(Self::Hour),
            "day" => Ok(Self::Day),
            "week" => Ok(Self::Week),
            "month" => Ok(Self::Month),
            _ => Err(format!("{s:?} is not one of exact, hour, day, week, month")),
        }
    }
}

/// A closed interval of UTC time `[from, to]`, with the precision it was reported with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Interval {
    /// Start, inclusive.
    #[serde(with = "crate::time::millis_rfc3339")]
    pub from: DateTime<Utc>,
    /// End, inclusive.
    #[serde(with = "crate::time::millis_rfc3339")]
    pub to: DateTime<Utc>,
    /// How precisely the time is known.
    pub precision: Precision,
}

/// A time as written by a user: a full timestamp, a day, or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeInput {
    /// An RFC 3339 timestamp with its offset, converted to UTC.
    Instant(DateTime<Utc>),
    /// `YYYY-MM-DD`: the whole UTC day.
    Day(NaiveDate),
    /// `YYYY-MM`: the whole UTC month.
    Month(i32, u32),
}

impl TimeInput {
    /// Parses `2021-11-16T03:10:00Z`, `2021-11-16T06:10:00+03:00`, `2021-11-16` or `2021-11`.
    pub fn parse(s: &str) -> Result<TimeInput, String> {
        let s = s.trim();
        let t = if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            TimeInput::Instant(t.with_timezone(&Utc))
        } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            TimeInput::Day(d)
        } else if let Some(d) =
            (s.len() == 7).then(|| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()).flatten()
        {
            TimeInput::Month(d.year(), d.month())
        } else {
            return Err(format!(
                "{s:?} is not a time: use RFC 3339 with an offset (2021-11-16T03:10:00Z), a day (2021-11-16) or a month (2021-11)"
            ));
        };
        let year = t.start().year();
        if !(1900..=2200).contains(&year) {
            return Err(format!("year {year} is outside 1900..2200"));
        }
        Ok(t)
    }

    /// The first instant covered.
    pub fn start(&self) -> DateTime<Utc> {
        match *self {
            TimeInput::Instant(t) => t,
            TimeInput::Day(d) => Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN)),
            TimeInput::Month(y, m) => month_start(y, m),
        }
    }

    /// The last millisecond covered.
    pub fn end(&self) -> DateTime<Utc> {
        match *self {
            TimeInput::Instant(t) => t,
            TimeInput::Day(_) => self.start() + Duration::days(1) - Duration::milliseconds(1),
            TimeInput::Month(y, m) => {
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                month_start(ny, nm) - Duration::milliseconds(1)
            }
        }
    }

    fn implied_precision(&self) -> Precision {
        match self {
            TimeInput::Instant(_) => Precision::Exact,
            TimeInput::Day(_) => Precision::Day,
            TimeInput::Month(..) => Precision::Month,
        }
    }
}

fn month_start(y: i32, m: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, 1)
        .map(|d| Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl Interval {
    /// Builds an interval from its written parts, recording errors under `field`.
    ///
    /// Without `to`, the interval spans the precision's width from `from` (a day given
    /// as `2021-11-16` covers that whole day). Without `precision`, it is implied by how
    /// `from` was written.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        precision: Option<&str>,
        field: &str,
        errors: &mut FieldErrors,
    ) -> Option<Interval> {
        let from = match from {
            None => {
                errors.push(format!("{field}.from"), "is required");
                None
            }
            Some(s) => errors.take(format!("{field}.from"), TimeInput::parse(s)),
        };
        let to = to.and_then(|s| errors.take(format!("{field}.to"), TimeInput::parse(s)));
        let precision = precision.and_then(|s| errors.take(format!("{field}.precision"), Precision::parse(s)));
        let from = from?;
        let precision = precision.unwrap_or_else(|| from.implied_precision());
        let start = from.start();
        let end = match to {
            Some(t) => t.end(),
            None => match precision {
                Precision::Exact => from.end(),
                Precision::Hour => (start + Duration::hours(1) - Duration::milliseconds(1)).max(from.end()),
                Precision::Day => (start + Duration::days(1) - Duration::milliseconds(1)).max(from.end()),
                Precision::Week => (start + Duration::days(7) - Duration::milliseconds(1)).max(from.end()),
                Precision::Month => TimeInput::Month(start.year(), start.month()).end().max(from.end()),
            },
        };
        if end < start {
            errors.push(
                format!("{field}.to"),
                format!("ends ({}) before the interval starts ({})", fmt(end), fmt(start)),
            );
            return None;
        }
        Some(Interval { from: start, to: end, precision })
    }
}

/// Formats an instant as RFC 3339 UTC with milliseconds: `2021-11-16T00:00:00.000Z`.
pub fn fmt(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Milliseconds since the Unix epoch to a UTC instant.
pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Serde for instants as RFC 3339 UTC with milliseconds, the one form truce writes.
pub mod millis_rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `2021-11-16T00:00:00.000Z`.
    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::fmt(*t))
    }

    /// Reads any RFC 3339 timestamp.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(from: &str, to: Option<&str>, p: Option<&str>) -> Result<Interval, FieldErrors> {
        let mut e = FieldErrors::new();
        let i = Interval::parse(Some(from), to, p, "occurred", &mut e);
        e.into_result(i.expect("no errors means a value"))
    }

    #[test]
    fn a_day_covers_the_whole_day() {
        let i = iv("2021-11-16", None, None).expect("valid");
        assert_eq!(fmt(i.from), "2021-11-16T00:00:00.000Z");
        assert_eq!(fmt(i.to), "2021-11-16T23:59:59.999Z");
        assert_eq!(i.precision, Precision::Day);
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        let i = iv("2020-11-10T00:00:00+03:00", None, None).expect("valid");
        assert_eq!(fmt(i.from), "2020-11-09T21:00:00.000Z");
        assert_eq!(i.precision, Precision::Exact);
    }

    #[test]
    fn month_and_week_widths() {
        let m = iv("2021-02", None, None).expect("valid");
        assert_eq!(fmt(m.to), "2021-02-28T23:59:59.999Z");
        let w = iv("2021-11-16", None, Some("week")).expect("valid");
        assert_eq!(fmt(w.to), "2021-11-22T23:59:59.999Z");
    }

    #[test]
    fn an_interval_that_ends_before_it_starts_is_refused() {
        let mut e = FieldErrors::new();
        let i = Interval::parse(Some("2021-11-16"), Some("2021-11-15"), None, "occurred", &mut e);
        assert!(i.is_none());
        assert_eq!(e.0[0].field, "occurred.to");
    }

    #[test]
    fn bad_forms_are_named() {
        let mut e = FieldErrors::new();
        let i = Interval::parse(Some("16/11/2021"), Some("x"), Some("fortnight"), "occurred", &mut e);
        assert!(i.is_none());
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["occurred.from", "occurred.to", "occurred.precision"]);
    }

    #[test]
    fn local_times_without_offset_are_refused() {
        assert!(TimeInput::parse("2021-11-16T03:00:00").is_err());
    }

    proptest::proptest! {
        #[test]
        fn time_parse_never_panics(s in "[0-9TZ:+.-]{0,30}") {
            if let Ok(t) = TimeInput::parse(&s) {
                proptest::prop_assert!(t.start() <= t.end());
            }
        }

        #[test]
        fn every_valid_day_covers_24_hours(y in 1900i32..2200, m in 1u32..=12, d in 1u32..=28) {
            let t = TimeInput::parse(&format!("{y:04}-{m:02}-{d:02}")).expect("valid day");
            proptest::prop_assert_eq!(t.end() - t.start(), Duration::days(1) - Duration::milliseconds(1));
        }
    }
}
