//! Normalisation that remembers where every byte came from.
//!
//! Extraction reads a folded copy of the article: NFKC, lower case, the Arabic folding of
//! search (`truce_core::text::fold`: hamza and alef forms, ta marbuta, alef maqsura),
//! diacritics, tatweel and invisible format marks (RLM, LRM, ZWNJ…) removed, Eastern Arabic
//! digits as ASCII. Each byte of the copy knows the original character it came from, so any
//! span found in the copy maps back to the exact original words.

use std::collections::HashMap;
use std::ops::Range;

/// The folded text and, for each of its bytes, the byte offset of the original character.
#[derive(Debug, Clone)]
pub struct Normalized<'a> {
    /// The original text.
    pub original: &'a str,
    /// The folded text.
    pub text: String,
    /// For each byte of `text`, where its character starts in `original`.
    origin: Vec<u32>,
}

impl<'a> Normalized<'a> {
    /// Folds `original`.
    pub fn new(original: &'a str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        let mut cache: HashMap<char, String> = HashMap::new();
        for (at, c) in original.char_indices() {
            let before = text.len();
            if c.is_ascii() {
                text.push(c.to_ascii_lowercase());
            } else if is_dropped(c) {
                continue;
            } else if c.is_whitespace() {
                // Every space (no-break, thin, ideographic) is one plain space.
                text.push(if c == '\u{2028}' || c == '\u{2029}' { '\n' } else { ' ' });
            } else {
                let folded = cache.entry(c).or_insert_with(|| truce_core::text::fold(c.encode_utf8(&mut [0; 4])));
                text.push_str(folded);
            }
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            origin.resize(text.len(), at);
            debug_assert!(text.len() >= before);
        }
        Normalized { original, text, origin }
    }

    /// The original byte range of the folded range `r` (which must lie on character
    /// boundaries of the folded text; an empty range maps to an empty one).
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= r.end || r.start >= self.origin.len() {
            let at = self.origin.get(r.start).map_or(self.original.len(), |&o| o as usize);
            return at..at;
        }
        let start = self.origin[r.start] as usize;
        let last = self.origin[(r.end - 1).min(self.origin.len() - 1)] as usize;
        let mut end = last + self.original[last..].chars().next().map_or(0, char::len_utf8);
        // The marks dropped after the last character belong to its word.
        for c in self.original[end..].chars() {
            if !is_dropped(c) || c.is_whitespace() {
                break;
            }
            end += c.len_utf8();
        }
        start..end
    }

    /// The original words behind the folded range `r`.
    pub fn original_text(&self, r: Range<usize>) -> &'a str {
        let o = self.original_range(r);
        &self.original[o]
    }
}

/// Marks that change nothing a reader sees in a word: Arabic diacritics and tatweel,
/// combining marks, and invisible format characters (bidi marks, zero-width joiners).
fn is_dropped(c: char) -> bool {
    matches!(c as u32,
        0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0640 // Arabic marks and tatweel
        | 0x0300..=0x036F // combining diacritics
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xFEFF // format marks
        | 0x00AD) // soft hyphen
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn arabic_folds_and_maps_back_to_the_words_as_written() {
        let s = "أعلنَت وزارةُ الدفاع ١٢ أسيراً";
        let n = Normalized::new(s);
        assert_eq!(n.text, "اعلنت وزاره الدفاع 12 اسيرا");
        let at = n.text.find("12").expect("digits");
        assert_eq!(n.original_text(at..at + 2), "١٢");
        let at = n.text.find("وزاره").expect("word");
        assert_eq!(n.original_text(at..at + "وزاره".len()), "وزارةُ");
    }

    #[test]
    fn bidi_marks_and_odd_spaces_disappear() {
        let n = Normalized::new("A\u{200F}B\u{00A0}Минобороны\u{200E}");
        assert_eq!(n.text, "ab минобороны");
        assert_eq!(n.original_text(0..2), "A\u{200F}B");
    }

    proptest! {
        #[test]
        fn every_folded_character_maps_inside_the_original(s in "\\PC{0,60}") {
            let n = Normalized::new(&s);
            for (i, c) in n.text.char_indices() {
                let r = n.original_range(i..i + c.len_utf8());
                prop_assert!(r.start <= r.end && r.end <= s.len());
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            }
        }
    }
}
