//! The news intake: Arabic, Russian and English articles turned into draft claims, every
//! field traced to the words it came from.
//!
//! Pure Rust, no network, no model: the language data lives in `data/{ar,ru,en}.toml`
//! (written for truce) and the scenario's actors file; places come from the scenario's
//! gazetteer. The method and its measured accuracy are in `docs/intake.md`.
//!
//! The steps: [`normal`] folds the text and remembers each byte's origin; [`segment`] cuts
//! sentences and words; [`lexicon`] finds the phrases that matter; [`numbers`] and
//! [`dates`] read counts and dates; [`extract`] assembles the drafts; [`eval`] scores them
//! against gold annotations.

pub mod article;
pub mod dates;
pub mod eval;
pub mod extract;
pub mod lexicon;
pub mod normal;
pub mod numbers;
pub mod segment;

pub use chrono::NaiveDate;
pub use extract::{Draft, Extraction, Intake, Options};

use serde::Serialize;

/// The languages the intake reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Arabic.
    Ar,
    /// Russian.
    Ru,
    /// English.
    En,
}

impl Lang {
    /// All of them.
    pub const ALL: [Lang; 3] = [Lang::Ar, Lang::Ru, Lang::En];

    /// `ar`, `ru` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ar" => Some(Lang::Ar),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language of a text by its letters: the script most of them are in (Arabic,
    /// Cyrillic, Latin), or `None` when no script has a clear majority of at least 20
    /// letters.
    pub fn detect(text: &str) -> Option<Lang> {
        let (mut ar, mut ru, mut en, mut other) = (0usize, 0usize, 0usize, 0usize);
        for c in text.chars().take(200_000) {
            match c as u32 {
                0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => ar += 1,
                0x0400..=0x04FF => ru += 1,
                _ if c.is_ascii_alphabetic() => en += 1,
                _ if c.is_alphabetic() => other += 1,
                _ => {}
            }
        }
        let total = ar + ru + en + other;
        let (best, lang) = [(ar, Lang::Ar), (ru, Lang::Ru), (en, Lang::En)].into_iter().max_by_key(|(n, _)| *n)?;
        (best >= 20 && best * 2 > total).then_some(lang)
    }
}

/// The longest text the intake reads: far beyond any article (a long one is 50 KB).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

/// Why a text could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IntakeError {
    /// Nothing but white space.
    #[error("the text is empty")]
    Empty,
    /// Not UTF-8 text.
    #[error("not a text file: {0}")]
    Binary(String),
    /// Longer than any article.
    #[error("the text is {0} bytes; the intake reads articles of up to {max} bytes (split longer files)", max = MAX_BYTES)]
    TooLarge(usize),
    /// No language the intake reads.
    #[error("unknown language: the text is not mostly Arabic, Cyrillic or Latin letters; give --lang ar, ru or en")]
    UnknownLanguage,
    /// The language data or the actors file is broken.
    #[error("language data: {0}")]
    Data(String),
}
