//! The news intake's review queue: articles read and each draft's fate (pending, accepted
//! as a claim, rejected), the checks made before a decision is journaled, and the queries
//! that read them back.
//!
//! An article's text and drafts are its journal entry's payload; `articles` and `drafts`
//! hold what the queue lists and filters on.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde_json::Value;
use truce_core::intake::{ArticleId, ArticleIngested, DraftRef, DraftRejected};

use super::Store;
use super::project::Entry;
use crate::StoreError;

/// An article as the queue shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRow {
    /// Its id (the entry's).
    pub id: String,
    /// The entry's seq.
    pub seq: u64,
    /// Who gave it to the intake.
    pub actor: String,
    /// When.
    pub received_at: String,
    /// SHA-256 of its text, hex.
    pub sha256: String,
    /// Where it was published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The outlet or office.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Its language.
    pub lang: String,
    /// Its publication date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// How many drafts the intake made of it.
    pub drafts: u32,
    /// The text, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A draft with its article and its fate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftRow {
    /// Its article.
    pub article: ArticleRow,
    /// Its index among the article's drafts.
    pub draft: u32,
    /// pending, accepted or rejected.
    pub status: String,
    /// The draft as the intake made it: every field with its words.
    pub body: Value,
    /// The claim it became, once accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    /// Why it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub(super) fn apply_ingested(tx: &Transaction<'_>, entry: &Entry<'_>, a: &ArticleIngested) -> Result<(), StoreError> {
    let seq = entry.seq as i64;
    tx.prepare_cached(
        "INSERT INTO articles (seq, id, sha256, url, source, lang, published, drafts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        seq,
        entry.id.to_string(),
        a.sha256,
        a.url,
        a.source,
        a.lang,
        a.published,
        a.drafts.len() as i64
    ])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO drafts (article_seq, idx, body, event_type, day, status) VALUES (?1, ?2, ?3, ?4, ?5, 'pending')",
    )?;
    for (i, d) in a.drafts.iter().enumerate() {
        let event_type = d.pointer("/event_types/0/value").and_then(Value::as_str);
        let day = d.pointer("/date/value/date").and_then(Value::as_str);
        insert.execute(params![seq, i as i64, d.to_string(), event_type, day])?;
    }
    Ok(())
}

pub(super) fn apply_rejected(tx: &Transaction<'_>, entry: &Entry<'_>, r: &DraftRejected) -> Result<(), StoreError> {
    let article = article_seq(tx, &r.draft.article)?.ok_or_else(|| StoreError::NotFound("article".into()))?;
    tx.prepare_cached(
        "UPDATE drafts SET status = 'rejected', reason = ?3, decided_seq = ?4 WHERE article_seq = ?1 AND idx = ?2",
    )?
    .execute(params![article, i64::from(r.draft.draft), r.reason, entry.seq as i64])?;
    Ok(())
}

/// A claim that accepts a draft marks it accepted.
pub(super) fn apply_accepted(tx: &Transaction<'_>, entry: &Entry<'_>, d: &DraftRef) -> Result<(), StoreError> {
    let article = article_seq(tx, &d.article)?.ok_or_else(|| StoreError::NotFound("article".into()))?;
    let seq = entry.seq as i64;
    tx.prepare_cached(
        "UPDATE drafts SET status = 'accepted', claim_seq = ?3, decided_seq = ?3 WHERE article_seq = ?1 AND idx = ?2",
    )?
    .execute(params![article, i64::from(d.draft), seq])?;
    Ok(())
}

fn article_seq(c: &Connection, id: &ArticleId) -> Result<Option<i64>, StoreError> {
    Ok(c.prepare_cached("SELECT seq FROM articles WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?)
}

/// Why a decision on `d` cannot be made now, if it cannot: the draft must exist and still be
/// pending (decided before anything of its job is written).
pub(super) fn conflict(c: &Connection, d: &DraftRef) -> Result<Option<StoreError>, StoreError> {
    let Some(article) = article_seq(c, &d.article)? else {
        return Ok(Some(StoreError::NotFound(format!("no article {}", d.article))));
    };
    let status: Option<String> = c
        .prepare_cached("SELECT status FROM drafts WHERE article_seq = ?1 AND idx = ?2")?
        .query_row(params![article, i64::from(d.draft)], |r| r.get(0))
        .optional()?;
    Ok(match status.as_deref() {
        None => Some(StoreError::NotFound(format!("article {} has no draft {}", d.article, d.draft))),
        Some("pending") => None,
        Some(s) => Some(StoreError::Conflict(format!("draft {} of article {} is {s} already", d.draft, d.article))),
    })
}

/// An article with this text read already, if one was (checked again in the writer, so two
/// posts of one text at once make one article).
pub(super) fn article_conflict(c: &Connection, sha256: &str) -> Result<Option<StoreError>, StoreError> {
    let earlier: Option<String> =
        c.prepare_cached("SELECT id FROM articles WHERE sha256 = ?1")?.query_row([sha256], |r| r.get(0)).optional()?;
    Ok(earlier.map(|id| StoreError::Conflict(format!("this text was read already, as article {id}"))))
}

const ARTICLE: &str = "a.id, a.seq, j.actor, j.received_at, a.sha256, a.url, a.source, a.lang, a.published, a.drafts";

fn article_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: r.get(0)?,
        seq: r.get::<_, i64>(1)? as u64,
        actor: r.get(2)?,
        received_at: truce_core::time::fmt(truce_core::time::from_millis(r.get(3)?)),
        sha256: r.get(4)?,
        url: r.get(5)?,
        source: r.get(6)?,
        lang: r.get(7)?,
        published: r.get(8)?,
        drafts: r.get::<_, i64>(9)? as u32,
        text: None,
    })
}

fn draft_rows(
    c: &Connection,
    clause: &str,
    args: &[&dyn rusqlite::ToSql],
    limit: i64,
) -> Result<Vec<DraftRow>, StoreError> {
    let sql = format!(
        "SELECT {ARTICLE}, d.idx, d.status, d.body, cj.id, d.reason
         FROM drafts d JOIN articles a ON a.seq = d.article_seq JOIN journal j ON j.seq = a.seq
         LEFT JOIN journal cj ON cj.seq = d.claim_seq
         WHERE {clause} ORDER BY d.article_seq DESC, d.idx LIMIT {limit}"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, |r| {
        Ok((
            article_row(r)?,
            r.get::<_, i64>(10)?,
            r.get::<_, String>(11)?,
            r.get::<_, String>(12)?,
            r.get(13)?,
            r.get(14)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (article, idx, status, body, claim, reason) = row?;
        out.push(DraftRow { article, draft: idx as u32, status, body: serde_json::from_str(&body)?, claim, reason });
    }
    Ok(out)
}

impl Store {
    /// Drafts of the intake, newest article first: all, or those of one status.
    pub async fn drafts(&self, status: Option<String>, limit: u32) -> Result<Vec<DraftRow>, StoreError> {
        self.read(move |c| {
            let limit = i64::from(limit);
            match status {
                Some(s) => draft_rows(c, "d.status = ?1", &[&s], limit),
                None => draft_rows(c, "1 = 1", &[], limit),
            }
        })
        .await
    }

    /// One draft.
    pub async fn draft(&self, d: DraftRef) -> Result<Option<DraftRow>, StoreError> {
        self.read(move |c| {
            let Some(article) = article_seq(c, &d.article)? else { return Ok(None) };
            Ok(draft_rows(c, "d.article_seq = ?1 AND d.idx = ?2", &[&article, &i64::from(d.draft)], 1)?.pop())
        })
        .await
    }

    /// Every draft of an article, in text order.
    pub async fn drafts_of(&self, id: ArticleId) -> Result<Vec<DraftRow>, StoreError> {
        self.read(move |c| match article_seq(c, &id)? {
            Some(seq) => draft_rows(c, "d.article_seq = ?1", &[&seq], i64::MAX),
            None => Ok(Vec::new()),
        })
        .await
    }

    /// One article, with its text.
    pub async fn article(&self, id: ArticleId) -> Result<Option<ArticleRow>, StoreError> {
        self.read(move |c| {
            let row = c
                .prepare_cached(&format!(
                    "SELECT {ARTICLE}, j.payload FROM articles a JOIN journal j ON j.seq = a.seq WHERE a.id = ?1"
                ))?
                .query_row([id.to_string()], |r| Ok((article_row(r)?, r.get::<_, Vec<u8>>(10)?)))
                .optional()?;
            let Some((mut article, payload)) = row else { return Ok(None) };
            let a: ArticleIngested = serde_json::from_slice(&payload)?;
            article.text = Some(a.text);
            Ok(Some(article))
        })
        .await
    }

    /// Articles already read with this text (its SHA-256), newest first.
    pub async fn articles_with_sha256(&self, sha256: String) -> Result<Vec<String>, StoreError> {
        self.read(move |c| {
            Ok(c.prepare_cached("SELECT id FROM articles WHERE sha256 = ?1 ORDER BY seq DESC")?
                .query_map([sha256], |r| r.get(0))?
                .collect::<Result<_, _>>()?)
        })
        .await
    }
}
