//! Text normalisation for search, shared by every store backend and by the intake.
//!
//! FTS engines tokenise, but they do not know that أ, إ and ا are one letter to a reader of
//! Arabic, that ё is written е, or that "shelled" and "shelling" are one word. So truce
//! normalises and stems in Rust, identically before indexing and before querying, and the
//! engines see only the resulting terms.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The script of a word, which picks its stemmer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Arabic script.
    Arabic,
    /// Cyrillic script.
    Cyrillic,
    /// Latin script.
    Latin,
    /// Anything else (Armenian, digits…): not stemmed.
    Other,
}

/// The script of the first letter of `word`.
pub fn script(word: &str) -> Script {
    for c in word.chars() {
        match c as u32 {
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                return Script::Arabic;
            }
            0x0400..=0x052F => return Script::Cyrillic,
            _ if c.is_ascii_alphabetic() => return Script::Latin,
            0x00C0..=0x024F => return Script::Latin,
            _ if c.is_alphabetic() => return Script::Other,
            _ => continue,
        }
    }
    Script::Other
}

fn is_arabic_mark(c: char) -> bool {
    matches!(c as u32, 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0640)
}

fn digit(c: char) -> char {
    match c as u32 {
        0x0660..=0x0669 => char::from(b'0' + (c as u32 - 0x0660) as u8),
        0x06F0..=0x06F9 => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => c,
    }
}

fn fold_letter(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ؤ' => 'و',
        'ئ' | 'ى' => 'ي',
        'ة' => 'ه',
        'ё' => 'е',
        'ı' => 'i',
        'ə' => 'e',
        c => digit(c),
    }
}

/// Light normalisation before stemming: NFKC, lower case, Arabic diacritics and tatweel
/// removed, ё written е, Eastern Arabic digits as ASCII digits.
pub fn light(s: &str) -> String {
    let step = |it: &mut dyn Iterator<Item = char>| -> String {
        it.flat_map(char::to_lowercase)
            .filter(|c| !is_arabic_mark(*c))
            .map(|c| if c == 'ё' { 'е' } else { digit(c) })
            .collect()
    };
    // Most text is already NFKC; skip the normaliser's buffering when it provably is.
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        step(&mut s.chars())
    } else {
        step(&mut s.nfkc())
    }
}

/// Full folding, for matching names and stems: NFKD with every combining mark removed,
/// lower case, Arabic hamza and alef forms, ta marbuta and alef maqsura folded, ё as е,
/// dotless ı as i, ə as e. `Laçın`, `Lacin` and `LACIN` fold alike, as do `أذربيجان`
/// and `اذربيجان`.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    if s.chars().all(is_plain) {
        return s.chars().flat_map(char::to_lowercase).map(fold_letter).collect();
    }
    fold_general(s)
}

/// `fold` for any text: compatibility-normalise, fold letters, drop every mark, recompose.
fn fold_general(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .map(fold_letter)
        .collect::<String>()
        .nfkd()
        .filter(|c| !is_combining_mark(*c) && !is_arabic_mark(*c))
        .map(fold_letter)
        .nfc()
        .collect()
}

/// Letters that no normalisation form changes and that carry no combining mark: for text
/// made only of these, `fold` is a per-letter mapping.
fn is_plain(c: char) -> bool {
    c.is_ascii()
        || matches!(c as u32,
            0x0621..=0x063A | 0x0641..=0x064A | 0x0660..=0x0669 // Arabic letters and digits
            | 0x0410..=0x0418 | 0x041A..=0x0438 | 0x043A..=0x044F // Cyrillic, without Й/й
            | 0x0531..=0x0556 | 0x0561..=0x0586) // Armenian, without the ligature և
}

/// The words of `s`: maximal runs of letters and digits.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c))).filter(|w| !w.is_empty())
}

/// Light stemming of an Arabic word (Larkey's light10, the algorithm of Lucene's
/// `ArabicStemmer`): strip one article or conjunction prefix, then the common plural,
/// dual and pronoun suffixes, always leaving at least two letters.
///
/// Snowball's Arabic stemmer is not used: it stems a word differently with and without
/// its article (اشتباكات → اشتباكا but الاشتباكات → اشتباك), so a query without the
/// article would miss the text with it.
pub fn arabic_light_stem(word: &str) -> String {
    let mut w: Vec<char> = fold(word).chars().collect();
    const PREFIXES: [&str; 7] = ["ال", "وال", "بال", "كال", "فال", "لل", "و"];
    const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];
    let starts = |w: &[char], p: &str| w.iter().copied().take(p.chars().count()).eq(p.chars());
    for p in PREFIXES {
        let n = p.chars().count();
        let min = if p == "و" { 4 } else { n + 2 };
        if w.len() >= min && starts(&w, p) {
            w.drain(..n);
            break;
        }
    }
    for s in SUFFIXES {
        let n = s.chars().count();
        if w.len() >= n + 2 && w[w.len() - n..].iter().copied().eq(s.chars()) {
            w.truncate(w.len() - n);
        }
    }
    w.into_iter().collect()
}

/// Stemmers for the scripts truce stems.
pub struct Stemmers {
    russian: Stemmer,
    english: Stemmer,
}

impl std::fmt::Debug for Stemmers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmers { arabic: light10, russian, english }")
    }
}

impl Default for Stemmers {
    fn default() -> Self {
        Self { russian: Stemmer::create(Algorithm::Russian), english: Stemmer::create(Algorithm::English) }
    }
}

impl Stemmers {
    /// The search terms of `text`: each word lightly normalised, stemmed by its script,
    /// then folded. Index and query go through this same function.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let light = light(text);
        words(&light)
            .map(|w| {
                let stem = match script(w) {
                    Script::Arabic => return arabic_light_stem(w),
                    Script::Cyrillic => self.russian.stem(w),
                    Script::Latin => self.english.stem(w),
                    Script::Other => std::borrow::Cow::Borrowed(w),
                };
                fold(&stem)
            })
            .filter(|t| !t.is_empty())
            .collect()
    }
}

thread_local! {
    static STEMMERS: Stemmers = Stemmers::default();
}

/// `Stemmers::terms` with this thread's stemmers.
pub fn search_terms(text: &str) -> Vec<String> {
    STEMMERS.with(|s| s.terms(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares_a_term(a: &str, b: &str) -> bool {
        let s = Stemmers::default();
        let ta = s.terms(a);
        s.terms(b).iter().all(|t| ta.contains(t))
    }

    #[test]
    fn arabic_article_and_plural_meet_the_bare_word() {
        assert!(shares_a_term("وتجددت الاشتباكات على الحدود", "اشتباكات"));
        assert!(shares_a_term("تجددت الاشتباكات", "الاشتباكات"));
    }

    #[test]
    fn arabic_light_stems() {
        for (w, stem) in [
            ("الاشتباكات", "اشتباك"),
            ("اشتباكات", "اشتباك"),
            ("والاشتباكات", "اشتباك"),
            ("الاشتباك", "اشتباك"),
            ("بالمواقع", "مواقع"),
            // A leading و is taken for the conjunction, as in Lucene; index and query agree.
            ("وزارة", "زار"),
            ("قتلى", "قتل"),
            ("من", "من"),
        ] {
            assert_eq!(arabic_light_stem(w), stem, "{w}");
        }
    }

    #[test]
    fn arabic_hamza_forms_and_diacritics_fold() {
        assert_eq!(fold("أذربيجان"), fold("اذربيجان"));
        assert_eq!(fold("إِسْرَائِيل"), fold("اسراييل"));
        assert_eq!(fold("مدينة"), fold("مدينه"));
        assert!(shares_a_term("أعلنت وزارة الدفاع", "اعلنت"));
    }

    #[test]
    fn russian_yo_and_inflections() {
        assert_eq!(fold("Ёлка"), "елка");
        assert!(shares_a_term("обстрелы позиций продолжились", "обстрел"));
        assert!(shares_a_term("обстрелял позиции", "позиция"));
    }

    #[test]
    fn english_inflections() {
        assert!(shares_a_term("Heavy shelling was reported", "shelled"));
        assert!(shares_a_term("positions were SHELLED", "shelling"));
    }

    #[test]
    fn fast_paths_agree_with_the_general_path() {
        for s in ["Shelling", "ABC-12", "обстрел", "ﻻ", "ﬁre", "Ǆ", "é"] {
            let general: String = s.nfkc().flat_map(char::to_lowercase).collect();
            assert_eq!(light(s), general, "{s}");
        }
        assert_eq!(fold("Lachin"), "lachin");
        for s in ["ОБСТРЕЛ", "أذربيجان", "آمن", "مدينة", "Լաչին", "Йошкар", "ёлка", "Laçın", "٣"]
        {
            assert_eq!(fold(s), fold_general(s), "{s}");
        }
    }

    #[test]
    fn latin_diacritics_fold_for_names() {
        assert_eq!(fold("Laçın"), "lacin");
        assert_eq!(fold("Ağdam"), "agdam");
        assert_eq!(fold("Xankəndi"), "xankendi");
    }

    #[test]
    fn eastern_arabic_digits_read_as_digits() {
        assert_eq!(light("١٢ جندياً"), "12 جنديا");
    }

    #[test]
    fn script_detection() {
        assert_eq!(script("لاتشين"), Script::Arabic);
        assert_eq!(script("Лачин"), Script::Cyrillic);
        assert_eq!(script("Lachin"), Script::Latin);
        assert_eq!(script("Լաչին"), Script::Other);
    }
}
