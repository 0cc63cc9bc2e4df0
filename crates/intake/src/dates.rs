//! Dates: explicit ones in every form the press uses (16 November 2021, November 16, 2021,
//! 16.11.2021, 2021-11-16, «16 ноября», "17 نوفمبر 2021", "10 تشرين الثاني/نوفمبر 2020"),
//! months alone ("in September 2020"), and relative ones resolved against the publication
//! date ("yesterday, Tuesday", «накануне», "أمس الثلاثاء", «в ночь на 16 ноября»), with a
//! warning when a weekday and the date it goes with disagree.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use crate::lexicon::{Found, What};

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A day.
    Day,
    /// A month.
    Month,
}

/// A date found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateAt {
    /// First word.
    pub start: usize,
    /// After the last word.
    pub end: usize,
    /// The day (the first of the month for a month).
    pub date: NaiveDate,
    /// Its precision.
    pub precision: Precision,
    /// Resolved against the publication date (a relative date or a weekday).
    pub relative: bool,
    /// Why the date may be wrong.
    pub warning: Option<String>,
}

fn weekday(n: u8) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

fn number(word: &str) -> Option<u32> {
    if word.is_empty() || word.len() > 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    word.parse().ok()
}

/// A year written after a date: 4 digits, optionally followed by "year" words we skip.
fn year(word: Option<&&str>) -> Option<i32> {
    word.and_then(|w| number(w)).filter(|y| (1900..=2100).contains(y)).map(|y| y as i32)
}

/// The year of a day and month given without one: the latest not after the publication
/// month by more than one month.
fn infer_year(month: u32, published: Option<NaiveDate>) -> Option<i32> {
    let p = published?;
    Some(if month > p.month() + 1 { p.year() - 1 } else { p.year() })
}

/// `16.11.2021` (day, month, year).
fn dotted(word: &str) -> Option<NaiveDate> {
    let mut parts = word.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(number(y)? as i32, number(m)?, number(d)?)
}

/// Every date in a sentence. `gaps[i]` is the text before word `i`.
pub fn dates(words: &[&str], gaps: &[&str], found: &[Found], published: Option<NaiveDate>) -> Vec<DateAt> {
    let what_at =
        |i: usize, pred: &dyn Fn(What) -> bool| found.iter().filter(|f| f.start == i).find(|f| pred(f.what)).copied();
    let month_at = |i: usize| {
        what_at(i, &|w| matches!(w, What::Month(_))).and_then(|f| match f.what {
            What::Month(m) => Some((u32::from(m), f.end)),
            _ => None,
        })
    };
    // A month name may be followed by "/" and its other name: تشرين الثاني/نوفمبر.
    let after_month = |end: usize| -> usize {
        if gaps.get(end).is_some_and(|g| g.trim() == "/")
            && let Some((_, e)) = month_at(end)
        {
            return e;
        }
        end
    };
    let mut out: Vec<DateAt> = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let start = at;
        // Numeric in one word: 16.11.2021.
        if let Some(date) = dotted(words[at]) {
            out.push(DateAt { start, end: at + 1, date, precision: Precision::Day, relative: false, warning: None });
            at += 1;
            continue;
        }
        // Numeric in three words: 16/11/2021, 2021-11-16.
        if let (Some(a), Some(b), Some(c)) =
            (number(words[at]), words.get(at + 1).and_then(|w| number(w)), words.get(at + 2).and_then(|w| number(w)))
        {
            let sep = |i: usize| gaps.get(i).map(|g| g.trim()).filter(|g| matches!(*g, "." | "/" | "-"));
            if sep(at + 1).is_some() && sep(at + 1) == sep(at + 2) {
                let d = if a > 31 {
                    NaiveDate::from_ymd_opt(a as i32, b, c)
                } else if (1900..=2100).contains(&c) {
                    NaiveDate::from_ymd_opt(c as i32, b, a)
                } else {
                    None
                };
                if let Some(date) = d {
                    out.push(DateAt {
                        start,
                        end: at + 3,
                        date,
                        precision: Precision::Day,
                        relative: false,
                        warning: None,
                    });
                    at += 3;
                    continue;
                }
            }
        }
        // Day Month [Year]: 16 November 2021, 16 ноября, 17 نوفمبر 2021.
        if let Some(day) = number(words[at]).filter(|d| (1..=31).contains(d))
            && let Some((m, e)) = month_at(at + 1)
        {
            let e = after_month(e);
            let (y, end) = match year(words.get(e)) {
                Some(y) => (Some(y), e + 1),
                None => (infer_year(m, published), e),
            };
            if let Some(date) = y.and_then(|y| NaiveDate::from_ymd_opt(y, m, day)) {
                out.push(DateAt { start, end, date, precision: Precision::Day, relative: false, warning: None });
            }
            at = end;
            continue;
        }
        // Month Day[, Year] (English), or Month Year.
        if let Some((m, e)) = month_at(at) {
            let e = after_month(e);
            if let Some(day) = words.get(e).and_then(|w| number(w)).filter(|d| (1..=31).contains(d)) {
                let (y, end) = match year(words.get(e + 1)) {
                    Some(y) => (Some(y), e + 2),
                    None => (infer_year(m, published), e + 1),
                };
                if let Some(date) = y.and_then(|y| NaiveDate::from_ymd_opt(y, m, day)) {
                    out.push(DateAt { start, end, date, precision: Precision::Day, relative: false, warning: None });
                }
                at = end;
                continue;
            }
            if let Some(y) = year(words.get(e)) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, 1) {
                    out.push(DateAt {
                        start,
                        end: e + 1,
                        date,
                        precision: Precision::Month,
                        relative: false,
                        warning: None,
                    });
                }
                at = e + 1;
                continue;
            }
        }
        // Relative days, with the weekday that may follow: "yesterday, Tuesday", "أمس الثلاثاء".
        let relative =
            what_at(at, &|w| matches!(w, What::Today | What::Yesterday | What::DayBeforeYesterday | What::Tomorrow));
        if let (Some(r), Some(p)) = (relative, published) {
            let back = match r.what {
                What::Today => 0,
                What::Yesterday => 1,
                What::DayBeforeYesterday => 2,
                _ => -1,
            };
            let date = p - Duration::days(back);
            let mut end = r.end;
            let mut warning = None;
            if let Some(w) = what_at(end, &|w| matches!(w, What::Weekday(_))) {
                if let What::Weekday(n) = w.what
                    && weekday(n).is_some_and(|wd| wd != date.weekday())
                {
                    warning = Some(format!(
                        "the text names {} but {} was a {}",
                        weekday(n).map_or(String::new(), |d| d.to_string()),
                        date,
                        date.weekday()
                    ));
                }
                end = w.end;
            }
            out.push(DateAt { start, end, date, precision: Precision::Day, relative: true, warning });
            at = end;
            continue;
        }
        // "the night of Tuesday (to Wednesday)": the night begins on the weekday named; "the
        // night into Wednesday" («в ночь на среду») ends on it, and is dated by the evening
        // before.
        if let (Some(n), Some(p)) = (what_at(at, &|w| matches!(w, What::NightOf | What::NightInto)), published)
            && let Some(w) = what_at(n.end, &|w| matches!(w, What::Weekday(_)))
            && let Some(wd) = match w.what {
                What::Weekday(d) => weekday(d),
                _ => None,
            }
        {
            let back = (7 + p.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
            let evening = i64::from(n.what == What::NightInto);
            let date = p - Duration::days(i64::from(back) + evening);
            // A second weekday ("Tuesday - Wednesday") belongs to the same night.
            let end = what_at(w.end, &|x| matches!(x, What::Weekday(_))).map_or(w.end, |x| x.end);
            out.push(DateAt { start, end, date, precision: Precision::Day, relative: true, warning: None });
            at = end;
            continue;
        }
        // A weekday alone: the latest such day up to the publication date.
        if let (Some(w), Some(p)) = (what_at(at, &|w| matches!(w, What::Weekday(_))), published) {
            if let What::Weekday(n) = w.what
                && let Some(wd) = weekday(n)
            {
                let back = (7 + p.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
                let date = p - Duration::days(i64::from(back));
                out.push(DateAt { start, end: w.end, date, precision: Precision::Day, relative: true, warning: None });
            }
            at = w.end;
            continue;
        }
        at += 1;
    }
    // "the night of": the date that follows stays as written; "the night into" it («в ночь на
    // 18 мая») is dated by the evening before. A weekday before a date is checked against it.
    for d in out.iter_mut() {
        if !d.relative && found.iter().any(|f| f.what == What::NightInto && f.end == d.start) {
            d.date -= Duration::days(1);
        }
        if d.start > 0
            && !d.relative
            && let Some(w) = found.iter().find(|f| f.end == d.start && matches!(f.what, What::Weekday(_)))
            && let What::Weekday(n) = w.what
            && weekday(n).is_some_and(|wd| wd != d.date.weekday())
        {
            d.warning = Some(format!("the text names a weekday that {} was not", d.date));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates_in(lang: &str, text: &str, published: &str) -> Vec<(String, Precision, Option<String>)> {
        let p = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
        crate::lexicon::tests_support::first_sentence(lang, text, |words, gaps, found| dates(words, gaps, found, p))
            .into_iter()
            .map(|d| (d.date.to_string(), d.precision, d.warning))
            .collect()
    }

    #[test]
    fn a_night_into_a_day_is_dated_by_the_evening_before() {
        // «в ночь на 18 мая» is 17–18 May; "the night of 24 October" is 24–25 October.
        assert_eq!(dates_in("ru", "в ночь на 18 мая подразделения", "2022-05-18")[0].0, "2022-05-17");
        assert_eq!(dates_in("en", "On the night of 24 October units", "2022-10-25")[0].0, "2022-10-24");
        // «в ночь на среду» read on Wednesday 6 October 2021 is Tuesday evening.
        assert_eq!(dates_in("ru", "в ночь на среду", "2021-10-06")[0].0, "2021-10-05");
    }

    #[test]
    fn explicit_dates_in_every_script_and_calendar_name() {
        assert_eq!(dates_in("en", "On September 13, 2022 at 00:05", "2022-09-13")[0].0, "2022-09-13");
        assert_eq!(dates_in("en", "on 16 November the army", "2021-11-17")[0].0, "2021-11-16");
        assert_eq!(dates_in("ru", "16 ноября 2021 года", "2021-11-17")[0].0, "2021-11-16");
        assert_eq!(dates_in("ru", "сводка 16.11.2021 21:20", "2021-11-17")[0].0, "2021-11-16");
        assert_eq!(dates_in("ar", "سبوتنيك - ١٧ نوفمبر 2021", "2021-11-17")[0].0, "2021-11-17");
        assert_eq!(dates_in("ar", "يوم 10 تشرين الثاني/نوفمبر 2020", "2021-11-17")[0].0, "2020-11-10");
        let m = dates_in("ar", "في نهاية شهر أيلول/سبتمبر 2020", "2021-11-17");
        assert_eq!((m[0].0.as_str(), m[0].1), ("2020-09-01", Precision::Month));
        // A December date read in January is last year's.
        assert_eq!(dates_in("en", "on 30 December", "2022-01-02")[0].0, "2021-12-30");
    }

    #[test]
    fn relative_dates_resolve_against_publication_and_check_the_weekday() {
        // 17 November 2021 was a Wednesday.
        assert_eq!(dates_in("ar", "يوم أمس الثلاثاء", "2021-11-17"), vec![("2021-11-16".into(), Precision::Day, None)]);
        assert_eq!(dates_in("ru", "накануне", "2021-11-17")[0].0, "2021-11-16");
        assert_eq!(dates_in("en", "yesterday, Tuesday", "2021-11-17")[0].2, None);
        let wrong = dates_in("en", "yesterday, Monday", "2021-11-17");
        assert!(wrong[0].2.as_deref().is_some_and(|w| w.contains("Tue")), "{wrong:?}");
        // The night into 16 November began on the 15th (the evening, as the gold dates nights).
        assert_eq!(dates_in("ru", "в ночь на 16 ноября", "2021-11-17")[0].0, "2021-11-15");
        assert_eq!(dates_in("en", "on Tuesday", "2021-11-17")[0].0, "2021-11-16");
    }
}
