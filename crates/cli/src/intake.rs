//! The news intake from the command line: `truce ingest` reads articles into drafts, and
//! `truce intake-eval` scores the drafts of a directory of annotated articles.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use truce_intake::article::Article;
use truce_intake::eval::{GoldArticle, Report};
use truce_intake::{Extraction, Intake, Lang, Options};

/// The intake of the bundled scenario: its actors and gazetteer.
pub fn bundled() -> Result<Intake> {
    Ok(Intake::for_scenario(&crate::bundle::scenario()?)?)
}

/// An article file's text, or why it is not text.
fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!("{}: not a text file: invalid UTF-8 at byte {}", path.display(), e.utf8_error().valid_up_to())
    })
}

/// Reads one article file: its header (url, date, lang) and body, with the caller's
/// settings taking precedence.
pub fn read(
    intake: &Intake,
    path: &Path,
    published: Option<chrono::NaiveDate>,
    lang: Option<Lang>,
    source: Option<String>,
) -> Result<(Extraction, usize)> {
    let text = read_text(path)?;
    let article = Article::parse(&text);
    let header_lang = match article.lang {
        Some(l) => {
            Some(Lang::parse(l).with_context(|| format!("{}: lang: {l:?} is not ar, ru or en", path.display()))?)
        }
        None => None,
    };
    let options = Options {
        published: published.or(article.published),
        lang: lang.or(header_lang),
        source: source.or(article.source.map(str::to_owned)),
    };
    let x = intake.extract(article.body.as_bytes(), &options).with_context(|| path.display().to_string())?;
    Ok((x, article.body_offset))
}

/// Gives one article file to a server's intake: its header's date, language and source
/// unless the caller set them. Answers the article's id and how many drafts it made.
pub fn post(
    client: &crate::client::Client,
    path: &Path,
    published: Option<chrono::NaiveDate>,
    lang: Option<Lang>,
    source: Option<String>,
    url: Option<String>,
) -> Result<(String, usize)> {
    let text = read_text(path)?;
    let a = Article::parse(&text);
    // A header's `url:` may describe the source instead of giving an address.
    let (header_url, described) = match a.url {
        Some(u) if u.starts_with("http://") || u.starts_with("https://") => (Some(u.to_owned()), None),
        other => (None, other.map(|d| d.trim_matches(|c| c == '(' || c == ')').to_owned())),
    };
    let body = serde_json::json!({
        "text": a.body,
        "published": published.or(a.published).map(|d| d.to_string()),
        "lang": lang.map(Lang::as_str).or(a.lang),
        "source": source.or(a.source.map(str::to_owned)).or(described),
        "url": url.or(header_url),
    });
    let answer = client.post_raw("/api/v1/intake", &body.to_string())?;
    if answer.status != 201 {
        bail!("{}: the server refused the article: {}", path.display(), crate::client::describe_error(&answer));
    }
    let id = answer.body["article"].as_str().unwrap_or_default().to_owned();
    Ok((id, answer.body["drafts"].as_array().map_or(0, Vec::len)))
}

/// Scores every article of a directory in the gold format (`gold.jsonl` beside the texts).
pub fn eval(dir: &Path, predictions: Option<&Path>) -> Result<Report> {
    let intake = bundled()?;
    let gold_path = dir.join("gold.jsonl");
    let gold = std::fs::read_to_string(&gold_path).with_context(|| format!("reading {}", gold_path.display()))?;
    let mut report = Report::default();
    for (n, line) in gold.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let g: GoldArticle = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a gold line", gold_path.display(), n + 1))?;
        let path: PathBuf = dir.join(&g.file);
        let published = g.pub_date.as_deref().and_then(truce_intake::article::date);
        match read(&intake, &path, None, None, None) {
            Ok((x, _)) => {
                let x = if x.published.is_none() { Extraction { published, ..x } } else { x };
                report.add(&g, Ok(&x));
            }
            Err(e) => report.add(&g, Err(format!("{e:#}"))),
        }
    }
    if report.overall.articles == 0 {
        bail!("{} names no articles", gold_path.display());
    }
    if let Some(p) = predictions {
        let lines: Vec<String> = report.predictions.iter().map(|v| v.to_string()).collect();
        std::fs::write(p, lines.join("\n") + "\n").with_context(|| format!("writing {}", p.display()))?;
    }
    Ok(report)
}
