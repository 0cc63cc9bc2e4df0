//! An article file: optional header lines (`url:`, `date:`, `lang:`, `source:`, `title:`)
//! before a blank line, then the text. Files without a header are all text.

use chrono::NaiveDate;

/// An article as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article<'a> {
    /// `url:`.
    pub url: Option<&'a str>,
    /// `date:` (YYYY-MM-DD; YYYY-MM is read as its first day).
    pub published: Option<NaiveDate>,
    /// `lang:`.
    pub lang: Option<&'a str>,
    /// `source:`.
    pub source: Option<&'a str>,
    /// The text after the header.
    pub body: &'a str,
    /// Where the body starts in the file (bytes).
    pub body_offset: usize,
}

const KEYS: [&str; 5] = ["url", "date", "lang", "source", "title"];

impl<'a> Article<'a> {
    /// Reads the header, if the file starts with one.
    pub fn parse(text: &'a str) -> Article<'a> {
        let mut a = Article { url: None, published: None, lang: None, source: None, body: text, body_offset: 0 };
        let mut offset = 0;
        let mut seen = false;
        for line in text.split_inclusive('\n') {
            let l = line.trim();
            if l.is_empty() {
                if seen {
                    offset += line.len();
                    a.body = &text[offset..];
                    a.body_offset = offset;
                }
                return a;
            }
            let Some((k, v)) = l.split_once(':') else { return a };
            let k = k.trim().to_ascii_lowercase();
            if !KEYS.contains(&k.as_str()) {
                return a;
            }
            let v = v.trim();
            match k.as_str() {
                "url" => a.url = Some(v),
                "date" => a.published = date(v),
                "lang" => a.lang = Some(v),
                "source" => a.source = Some(v),
                _ => {}
            }
            seen = true;
            offset += line.len();
        }
        a
    }
}

/// `YYYY-MM-DD`, or `YYYY-MM` as its first day.
pub fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_is_read_and_the_body_follows_the_blank_line() {
        let a = Article::parse("url: http://x\ndate: 2021-11-17\nlang: ar\n\nالنص");
        assert_eq!((a.url, a.lang, a.body), (Some("http://x"), Some("ar"), "النص"));
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2021, 11, 17));
        assert_eq!(&"url: http://x\ndate: 2021-11-17\nlang: ar\n\nالنص"[a.body_offset..], "النص");
        let plain = Article::parse("Yerevan: shelling resumed.\n\nMore.");
        assert_eq!(plain.body_offset, 0);
        assert_eq!(date("2021-11").map(|d| d.to_string()).as_deref(), Some("2021-11-01"));
    }
}
