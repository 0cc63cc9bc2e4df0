//! The news intake's record in the journal: each article read, with its text, its SHA-256
//! and the drafts the intake made of it (`article.ingested`), and each draft a monitor
//! rejected (`draft.rejected`). A draft is accepted by submitting a claim whose source
//! names it, so the claim and the acceptance are one entry.
//!
//! The drafts are journaled as the intake made them, so a rebuild never re-reads an
//! article with a newer intake: the review queue is what the monitors saw.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An article's id: the ULID of the journal entry that read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub ulid::Ulid);

impl ArticleId {
    /// Parses the 26-character form.
    pub fn parse(s: &str) -> Result<Self, String> {
        ulid::Ulid::from_string(s)
            .map(ArticleId)
            .map_err(|_| format!("{s:?} is not an article id (26 characters of Crockford base 32)"))
    }
}

impl std::fmt::Display for ArticleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Longest article text kept (bytes): the intake's own limit.
pub const MAX_ARTICLE_BYTES: usize = 4 * 1024 * 1024;

/// An article read by the intake, as journaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleIngested {
    /// The text as given (the source document).
    pub text: String,
    /// SHA-256 of the text's UTF-8 bytes, hex.
    pub sha256: String,
    /// Where it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The outlet or office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Its language (`ar`, `ru`, `en`).
    pub lang: String,
    /// Its publication date (`YYYY-MM-DD`), against which relative dates were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The drafts the intake made, in text order, each with the words behind every field.
    #[schema(value_type = Vec<Object>)]
    pub drafts: Vec<serde_json::Value>,
}

/// A draft: its article and its place among the article's drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRef {
    /// The article.
    #[schema(value_type = String)]
    pub article: ArticleId,
    /// The draft's index among the article's drafts, from 0.
    pub draft: u32,
}

/// A monitor's rejection of a draft, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRejected {
    /// The draft.
    #[serde(flatten)]
    pub draft: DraftRef,
    /// Why: not an event, background, a duplicate, misread.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_reads_back_as_written() {
        let r = DraftRejected {
            draft: DraftRef { article: ArticleId(ulid::Ulid::nil()), draft: 2 },
            reason: "background".into(),
        };
        let json = serde_json::to_string(&r).expect("json");
        assert_eq!(json, r#"{"article":"00000000000000000000000000","draft":2,"reason":"background"}"#);
        assert_eq!(serde_json::from_str::<DraftRejected>(&json).expect("reads"), r);
        assert!(ArticleId::parse("nope").is_err());
    }
}
