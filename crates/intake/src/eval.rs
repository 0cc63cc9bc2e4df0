//! Scoring drafts against gold claims, in the format and under the rules of the shared
//! news fixtures (`fixtures/news/README.md`): a prediction matches a gold claim of the same
//! article with the same event type and claimant party whose date agrees at the gold's
//! precision; each gold claim matches at most one prediction. Field accuracy (accused
//! party, casualty figures, place resolved) is counted over the matched pairs.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

use crate::extract::{Draft, Extraction, Polarity};
use crate::numbers::Count;

/// The evaluation's event types, and where the taxonomy's other types fall in it.
pub fn eval_type(taxonomy_id: &str) -> Option<&'static str> {
    Some(match taxonomy_id {
        "armed_clash" | "grenade_attack" => "armed_clash",
        "shelling" => "shelling",
        "small_arms_fire" | "sniper_fire" => "small_arms_fire",
        "drone_strike" | "air_strike" => "drone_strike",
        "incursion" => "incursion",
        "position_seized" => "position_seized",
        "capture_detention" | "abduction" => "capture_detention",
        "casualties_report" => "casualties_report",
        "ceasefire_agreed" => "ceasefire_agreed",
        "ceasefire_violation_accusation" => "ceasefire_violation_accusation",
        "prisoner_exchange" | "remains_transfer" => "prisoner_exchange",
        "corridor_closure" | "movement_restriction" => "corridor_closure",
        "corridor_opening" => "corridor_opening",
        "displaced_return" => "displaced_return",
        "meeting_negotiation" => "meeting_negotiation",
        _ => return None,
    })
}

/// The country name the gold keys casualties by.
fn country(party: &str) -> &str {
    match party {
        "ARM" => "Armenia",
        "AZE" => "Azerbaijan",
        "NK" => "Nagorno-Karabakh",
        "RUS" => "Russia",
        other => other,
    }
}

/// One article's gold line.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    /// The article's file name.
    pub file: String,
    /// Its language.
    pub lang: String,
    /// Its publication date.
    #[serde(default)]
    pub pub_date: Option<String>,
    /// The claims it holds.
    pub claims: Vec<Value>,
}

/// A claim in the evaluation's shape (gold or predicted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalClaim {
    /// The party code of the claimant.
    pub claimant_party: Option<String>,
    /// The event type.
    pub event_type: String,
    /// `YYYY-MM-DD`.
    pub date: Option<NaiveDate>,
    /// The end of a span of days (a night, a run of days), inclusive.
    pub date_end: Option<NaiveDate>,
    /// day, week or month.
    pub date_precision: Option<String>,
    /// The accused party.
    pub accused_party: Option<String>,
    /// Country → kind → figure.
    pub casualties: BTreeMap<String, BTreeMap<String, Value>>,
    /// The place as named, if any.
    pub place: Option<String>,
}

fn gold_claim(v: &Value) -> EvalClaim {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut casualties = BTreeMap::new();
    if let Some(Value::Object(by)) = v.get("casualties") {
        for (c, kinds) in by {
            let mut m = BTreeMap::new();
            if let Value::Object(k) = kinds {
                for (kind, n) in k {
                    if !n.is_null() {
                        m.insert(kind.clone(), n.clone());
                    }
                }
            }
            casualties.insert(c.clone(), m);
        }
    }
    EvalClaim {
        claimant_party: s("claimant_party"),
        event_type: s("event_type").unwrap_or_default(),
        date: s("date").and_then(|d| crate::article::date(&d)),
        date_end: s("date_end").and_then(|d| crate::article::date(&d)),
        date_precision: s("date_precision"),
        accused_party: s("accused_party"),
        casualties,
        place: s("place"),
    }
}

/// A figure as the gold writes it: a number, `{"approx": n}`, or `{"min", "max"}` bounds.
fn count_value(c: &Count) -> Value {
    match c.value() {
        Some(n) if !c.approximate => json!(n),
        Some(n) => json!({ "approx": n }),
        _ => {
            let mut m = Map::new();
            if let Some(n) = c.min {
                m.insert("min".into(), json!(n));
            }
            if let Some(n) = c.max {
                m.insert("max".into(), json!(n));
            }
            Value::Object(m)
        }
    }
}

/// The predictions of one draft: one claim per event type the evaluation knows.
pub fn predictions(d: &Draft) -> Vec<(EvalClaim, Value)> {
    let mut casualties: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for c in &d.casualties {
        let who = c.value.party.as_deref().map_or("unknown", country).to_owned();
        casualties.entry(who).or_default().insert(c.value.kind.into(), count_value(&c.value.count));
    }
    let mut out: Vec<(EvalClaim, Value)> = Vec::new();
    for t in &d.event_types {
        let Some(event_type) = eval_type(&t.value) else { continue };
        if out.iter().any(|(c, _)| c.event_type == event_type) {
            continue;
        }
        let claim = EvalClaim {
            claimant_party: Some(d.claimant.value.party.clone()),
            event_type: event_type.into(),
            date: d.date.as_ref().map(|f| f.value.date),
            date_end: None,
            date_precision: d.date.as_ref().map(|f| match f.value.precision {
                crate::dates::Precision::Day => "day".into(),
                crate::dates::Precision::Month => "month".into(),
            }),
            accused_party: d.accused.as_ref().map(|a| a.value.party.clone()),
            casualties: casualties.clone(),
            place: d.place.as_ref().map(|p| p.span.text.clone()),
        };
        let mut line = json!({
            "claimant": d.claimant.value.name,
            "claimant_party": claim.claimant_party,
            "accused": d.accused.as_ref().map(|a| a.value.name.clone()),
            "accused_party": claim.accused_party,
            "event_type": event_type,
            "date": claim.date.map(|d| d.to_string()),
            "date_precision": claim.date_precision,
            "place": claim.place,
        });
        if !casualties.is_empty() {
            line["casualties"] = json!(casualties);
        }
        if d.polarity.value == Polarity::Denial {
            line["polarity"] = json!("denial");
        }
        if let Some(p) = &d.positions {
            line["count"] = json!({"positions": count_value(&p.value)});
        }
        out.push((claim, line));
    }
    out
}

fn dates_agree(gold: &EvalClaim, pred: &EvalClaim) -> bool {
    let Some(g) = gold.date else { return true };
    let Some(p) = pred.date else { return false };
    if let Some(end) = gold.date_end {
        // A span of days (a night, "the third day in a row"): any day of it.
        return g <= p && p <= end;
    }
    match gold.date_precision.as_deref() {
        Some("month") => g.year() == p.year() && g.month() == p.month(),
        Some("week") => (p - g).num_days().abs() <= 7,
        _ => g == p,
    }
}

/// Counts of one scoring: claims and fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Articles read.
    pub articles: usize,
    /// Gold claims.
    pub gold: usize,
    /// Predicted claims.
    pub predicted: usize,
    /// Matched pairs.
    pub matched: usize,
    /// Matched pairs whose accused party agrees.
    pub accused_right: usize,
    /// Gold casualty figures, over matched pairs.
    pub casualty_figures: usize,
    /// Of those, predicted alike.
    pub casualty_right: usize,
    /// Matched pairs whose gold names a place.
    pub places: usize,
    /// Of those, with a place resolved.
    pub places_resolved: usize,
}

impl Tally {
    /// Matched predictions / predictions.
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 { 0.0 } else { self.matched as f64 / self.predicted as f64 }
    }
    /// Matched gold claims / gold claims.
    pub fn recall(&self) -> f64 {
        if self.gold == 0 { 0.0 } else { self.matched as f64 / self.gold as f64 }
    }
    fn add(&mut self, o: &Tally) {
        self.articles += o.articles;
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.matched += o.matched;
        self.accused_right += o.accused_right;
        self.casualty_figures += o.casualty_figures;
        self.casualty_right += o.casualty_right;
        self.places += o.places;
        self.places_resolved += o.places_resolved;
    }
}

/// Scores one article's predictions against its gold claims.
pub fn score(gold: &[EvalClaim], predicted: &[EvalClaim]) -> Tally {
    let mut t = Tally { articles: 1, gold: gold.len(), predicted: predicted.len(), ..Tally::default() };
    let mut used = vec![false; predicted.len()];
    for g in gold {
        let hit = predicted.iter().enumerate().find(|(i, p)| {
            !used[*i] && p.event_type == g.event_type && p.claimant_party == g.claimant_party && dates_agree(g, p)
        });
        let Some((i, p)) = hit else { continue };
        used[i] = true;
        t.matched += 1;
        if p.accused_party == g.accused_party {
            t.accused_right += 1;
        }
        for (c, kinds) in &g.casualties {
            for (kind, n) in kinds {
                t.casualty_figures += 1;
                if p.casualties.get(c).and_then(|k| k.get(kind)) == Some(n) {
                    t.casualty_right += 1;
                }
            }
        }
        if g.place.is_some() {
            t.places += 1;
            if p.place.is_some() {
                t.places_resolved += 1;
            }
        }
    }
    t
}

/// The scores of a directory: per language and overall, with every article's predictions
/// in the gold format.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Per language.
    pub languages: BTreeMap<String, Tally>,
    /// All together.
    pub overall: Tally,
    /// One line per article: `{"file", "claims": [...]}`.
    #[serde(skip)]
    pub predictions: Vec<Value>,
    /// Articles that could not be read, with why.
    pub errors: Vec<String>,
}

impl Report {
    /// Adds one article: its gold and what the intake read (or why it could not).
    pub fn add(&mut self, gold: &GoldArticle, read: Result<&Extraction, String>) {
        let g: Vec<EvalClaim> = gold.claims.iter().map(gold_claim).collect();
        let (p, lines): (Vec<EvalClaim>, Vec<Value>) = match read {
            Ok(x) => x.drafts.iter().flat_map(predictions).unzip(),
            Err(e) => {
                self.errors.push(format!("{}: {e}", gold.file));
                (Vec::new(), Vec::new())
            }
        };
        let t = score(&g, &p);
        self.languages.entry(gold.lang.clone()).or_default().add(&t);
        self.overall.add(&t);
        self.predictions.push(json!({"file": gold.file, "claims": lines}));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(t: &str, party: &str, date: Option<&str>, precision: &str) -> EvalClaim {
        EvalClaim {
            claimant_party: Some(party.into()),
            event_type: t.into(),
            date: date.and_then(crate::article::date),
            date_end: None,
            date_precision: Some(precision.into()),
            accused_party: None,
            casualties: BTreeMap::new(),
            place: None,
        }
    }

    #[test]
    fn matching_follows_type_claimant_and_date_at_the_golds_precision() {
        let gold = vec![
            claim("shelling", "ARM", Some("2021-11-16"), "day"),
            claim("armed_clash", "AZE", Some("2021-11-10"), "week"),
        ];
        let predicted = vec![
            claim("shelling", "ARM", Some("2021-11-16"), "day"),
            claim("shelling", "ARM", Some("2021-11-16"), "day"),
            claim("armed_clash", "AZE", Some("2021-11-15"), "day"),
            claim("armed_clash", "RUS", Some("2021-11-10"), "day"),
        ];
        let t = score(&gold, &predicted);
        assert_eq!((t.gold, t.predicted, t.matched), (2, 4, 2), "each gold matches once; the week allows 5 days");
        assert_eq!(
            score(&[claim("shelling", "ARM", None, "day")], &[claim("shelling", "ARM", Some("2020-01-01"), "day")])
                .matched,
            1
        );
        let month = claim("ceasefire_agreed", "RUS", Some("2020-11-01"), "month");
        assert_eq!(
            score(std::slice::from_ref(&month), &[claim("ceasefire_agreed", "RUS", Some("2020-11-30"), "day")]).matched,
            1
        );
        assert_eq!(score(&[month], &[claim("ceasefire_agreed", "RUS", Some("2020-12-01"), "day")]).matched, 0);
    }
}
