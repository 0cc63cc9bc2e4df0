//! Counts: digits (ASCII or Eastern Arabic, already folded), number words in the three
//! languages, Arabic duals, vague quantities ("dozens", «несколько», "عشرات") and
//! qualifiers ("about", "more than", "between 5 and 7") kept as bounds.

use serde::Serialize;

use crate::lexicon::{Found, What};

/// A count as the text gives it: exact, bounded or approximate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Lower bound (equal to `max` for an exact figure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// Upper bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// "about", "nearly": the figure is approximate.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
}

impl Count {
    /// An exact figure.
    pub fn exact(n: u32) -> Count {
        Count { min: Some(n), max: Some(n), approximate: false }
    }

    /// The figure when it is exact.
    pub fn value(&self) -> Option<u32> {
        if self.min == self.max { self.min } else { None }
    }
}

/// A count found in a sentence: its words and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountAt {
    /// First word.
    pub start: usize,
    /// After the last word.
    pub end: usize,
    /// The count.
    pub count: Count,
}

/// A figure written in digits: `12`, `1,500`, `1 500` is two words; a decimal is not a count.
fn digits(word: &str) -> Option<u32> {
    if !word.starts_with(|c: char| c.is_ascii_digit())
        || !word.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    // Thousands separators: groups of three after the first.
    let groups: Vec<&str> = word.split([',', '.']).collect();
    if groups.len() > 1 && !groups[1..].iter().all(|g| g.len() == 3) {
        return None;
    }
    groups.concat().parse().ok()
}

/// One figure starting at word `at`: digits, or a run of number words; with the words used.
fn figure(words: &[&str], found: &[Found], at: usize) -> Option<(u32, usize)> {
    if let Some(n) = words.get(at).and_then(|w| digits(w)) {
        return Some((n, at + 1));
    }
    let unit_at = |i: usize| {
        found.iter().filter(|f| f.start == i).find_map(|f| match f.what {
            What::Unit(v) => Some((v, f.end)),
            _ => None,
        })
    };
    let (mut total, mut end) = unit_at(at)?;
    let mut current = 0u32;
    let mut last = total;
    current += total;
    total = 0;
    // "twenty five", «сто двадцать», "خمسة عشر", "ثلاثة وعشرين": add; "five hundred": multiply.
    while let Some((v, e)) = unit_at(end) {
        if (v == 100 || v == 1000) && last < v {
            current = current.max(1) * v;
            if v == 1000 {
                total += current;
                current = 0;
            }
        } else {
            current += v;
        }
        last = v;
        end = e;
    }
    Some((total + current, end))
}

/// Every count in a sentence, with its qualifiers.
pub fn counts(words: &[&str], gaps: &[&str], found: &[Found]) -> Vec<CountAt> {
    let has = |i: usize, pred: &dyn Fn(What) -> bool| found.iter().find(|f| f.start == i && pred(f.what));
    let mut out: Vec<CountAt> = Vec::new();
    let mut at = 0;
    while at < words.len() {
        // A qualifier, then a figure.
        let qualifier = has(at, &|w| matches!(w, What::About | What::MoreThan | What::LessThan | What::RangeStart));
        let from = qualifier.map_or(at, |q| q.end);
        if let Some((n, end)) = figure(words, found, from) {
            let mut c = Count::exact(n);
            let mut end = end;
            // "5 to 7", "5-7", "between 5 and 7".
            let sep = has(end, &|w| w == What::RangeSep)
                .map(|s| s.end)
                .or_else(|| gaps.get(end).filter(|g| matches!(g.trim(), "-" | "–" | "—")).map(|_| end));
            let range = sep.and_then(|s| figure(words, found, s)).filter(|&(m, _)| m > n);
            if let Some((m, e)) = range {
                c = Count { min: Some(n), max: Some(m), approximate: false };
                end = e;
            } else {
                match qualifier.map(|q| q.what) {
                    Some(What::About) => c.approximate = true,
                    Some(What::MoreThan) => c.max = None,
                    Some(What::LessThan) => c.min = None,
                    _ => {}
                }
            }
            out.push(CountAt { start: at, end, count: c });
            at = end;
            continue;
        }
        if let Some(f) = has(at, &|w| matches!(w, What::Vague(..)))
            && let What::Vague(lo, hi) = f.what
        {
            let c = Count { min: Some(lo), max: (hi > 0).then_some(hi), approximate: true };
            out.push(CountAt { start: at, end: f.end, count: c });
            at = f.end;
            continue;
        }
        if let Some(f) = has(at, &|w| w == What::Dual) {
            out.push(CountAt { start: at, end: f.end, count: Count::exact(2) });
        }
        at += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts_in(lang: &str, text: &str) -> Vec<Count> {
        crate::lexicon::tests_support::first_sentence(lang, text, counts).into_iter().map(|c| c.count).collect()
    }

    #[test]
    fn figures_in_digits_and_words_in_three_languages() {
        assert_eq!(counts_in("en", "12 soldiers and twenty five civilians"), vec![Count::exact(12), Count::exact(25)]);
        assert_eq!(counts_in("ru", "трое военнослужащих и 1,500 человек"), vec![Count::exact(3), Count::exact(1500)]);
        assert_eq!(counts_in("ar", "وقوع ١٢ من جنودها و خمسة عشر مدنيا"), vec![Count::exact(12), Count::exact(15)]);
        assert_eq!(counts_in("ar", "مقتل جنديين"), vec![Count::exact(2)]);
    }

    #[test]
    fn qualifiers_become_bounds() {
        let c = counts_in("en", "between 5 and 7 soldiers, more than 20 civilians and about 10 others");
        assert_eq!(c[0], Count { min: Some(5), max: Some(7), approximate: false });
        assert_eq!(c[1], Count { min: Some(20), max: None, approximate: false });
        assert_eq!(c[2], Count { min: Some(10), max: Some(10), approximate: true });
        assert_eq!(counts_in("ru", "от 5 до 7 человек")[0], Count { min: Some(5), max: Some(7), approximate: false });
        assert_eq!(counts_in("en", "5-7 soldiers")[0], Count { min: Some(5), max: Some(7), approximate: false });
        assert_eq!(counts_in("ar", "عشرات القتلى")[0], Count { min: Some(20), max: None, approximate: true });
    }
}
