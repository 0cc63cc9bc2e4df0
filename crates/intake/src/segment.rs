//! Sentences and words of a folded text.
//!
//! A sentence ends at `.`, `!`, `?`, `؟` or a line break, except a full stop after an
//! initial or a common abbreviation, or inside a number. A word is a run of letters and
//! digits; a number's separators (`1,500`, `2.5`) stay inside it.

use std::ops::Range;

/// A word: its folded range and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'t> {
    /// Byte range in the folded text.
    pub range: Range<usize>,
    /// The folded word.
    pub text: &'t str,
}

/// A sentence: its folded range and its words.
#[derive(Debug, Clone)]
pub struct Sentence<'t> {
    /// Byte range in the folded text.
    pub range: Range<usize>,
    /// Its words, in order.
    pub words: Vec<Word<'t>>,
    /// True when a blank line or the start of the text comes before it (a new paragraph).
    pub opens_paragraph: bool,
}

/// Abbreviations after which a full stop does not end a sentence (folded).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "jan", "feb", "aug", "sept", "oct", "nov",
    "dec", "no", "vs", "etc", "inc", "г", "гг", "ул", "им", "т", "д", "тыс", "млн", "млрд", "чел", "ген", "см", "рис",
];

/// Splits folded `text` into sentences of words.
pub fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut words: Vec<Word<'_>> = Vec::new();
    let mut start = 0;
    let mut paragraph = true;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    let mut word_start: Option<usize> = None;
    fn flush<'t>(words: &mut Vec<Word<'t>>, out: &mut Vec<Sentence<'t>>, range: Range<usize>, paragraph: bool) {
        if !words.is_empty() {
            out.push(Sentence { range, words: std::mem::take(words), opens_paragraph: paragraph });
        }
    }
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        // Separators between digits stay in the number: 1,500, 2.5, 16.11.2021.
        let in_word = c.is_alphanumeric()
            || (word_start.is_some()
                && (c == '.' || c == ',' || c == '\'')
                && text[..i].ends_with(|d: char| d.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit()));
        // A number glued to the next word in another script ("04.01.2023Протестующие", page
        // noise where a time stamp runs into a headline) is two words; "5th" stays one.
        if in_word
            && !c.is_ascii()
            && c.is_alphabetic()
            && let Some(ws) = word_start.filter(|_| text[..i].ends_with(|d: char| d.is_ascii_digit()))
        {
            words.push(Word { range: ws..i, text: &text[ws..i] });
            word_start = Some(i);
            continue;
        }
        if in_word {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(ws) = word_start.take() {
            words.push(Word { range: ws..i, text: &text[ws..i] });
        }
        let ends = match c {
            '!' | '?' | '؟' | '\n' => true,
            '.' => {
                let last = words.last().map(|w| w.text).unwrap_or("");
                let initial = last.chars().count() == 1 && last.chars().all(char::is_alphabetic);
                let abbreviation = ABBREVIATIONS.contains(&last) && words.last().is_some_and(|w| w.range.end == i);
                !(initial || abbreviation)
            }
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            let had_words = !words.is_empty();
            flush(&mut words, &mut out, start..end, paragraph);
            if had_words {
                paragraph = false;
            }
            // A blank line opens a paragraph.
            if c == '\n' && (bytes.get(end) == Some(&b'\n') || !had_words) {
                paragraph = true;
            }
            start = end;
        }
    }
    if let Some(ws) = word_start.take() {
        words.push(Word { range: ws..text.len(), text: &text[ws..] });
    }
    flush(&mut words, &mut out, start..text.len(), paragraph);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(s: &str) -> Vec<Vec<&str>> {
        sentences(s).into_iter().map(|s| s.words.into_iter().map(|w| w.text).collect()).collect()
    }

    #[test]
    fn sentences_end_at_stops_but_not_inside_numbers_or_after_initials() {
        assert_eq!(
            texts("gen. smith said 1,500 troops left. n. pashinyan agreed! next"),
            vec![
                vec!["gen", "smith", "said", "1,500", "troops", "left"],
                vec!["n", "pashinyan", "agreed"],
                vec!["next"]
            ]
        );
        assert_eq!(texts("قال؟ نعم.\nسطر"), vec![vec!["قال"], vec!["نعم"], vec!["سطر"]]);
        // A stamp glued to a headline in another script is two words; an ordinal is one.
        assert_eq!(
            texts("09:48 / 04.01.2023протестующие позволили, on the 5th"),
            vec![vec!["09", "48", "04.01.2023", "протестующие", "позволили", "on", "the", "5th"]]
        );
        assert_eq!(texts("в 2.5 км от села"), vec![vec!["в", "2.5", "км", "от", "села"]]);
    }

    #[test]
    fn a_blank_line_opens_a_paragraph() {
        let s = sentences("one. two.\n\nthree.");
        let opens: Vec<bool> = s.iter().map(|s| s.opens_paragraph).collect();
        assert_eq!(opens, vec![true, false, true]);
    }

    proptest! {
        #[test]
        fn words_lie_inside_their_sentence(s in "\\PC{0,80}") {
            for sentence in sentences(&s) {
                for w in &sentence.words {
                    prop_assert!(sentence.range.start <= w.range.start && w.range.end <= sentence.range.end);
                    prop_assert_eq!(&s[w.range.clone()], w.text);
                }
            }
        }
    }
}
