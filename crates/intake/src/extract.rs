//! Claim assembly: who says what happened, against whom, when and where, from the phrases
//! of each sentence.
//!
//! Each reporting expression ("announced", «сообщило», "أعلنت", a denial, an accusation)
//! opens a statement, spoken by the actor named next to it (before it in Russian and
//! English, after it in Arabic, whichever is nearer) or, for "it added" and "the ministry",
//! by the last speaker. A statement runs to the next one in its sentence; a sentence
//! without one continues the statement before it in the same paragraph. A paragraph that
//! reports a dated event ("on Monday", "16 November") and names no speaker is the outlet's
//! own account (party MEDIA). Each statement with an event trigger becomes one draft: its event types,
//! claimant, accused, polarity, date, place, casualties and positions lost, each with the
//! span of the words it came from and a confidence.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::ops::Range;

use crate::dates::{self, DateAt, Precision};
use crate::lexicon::{ActorKind, Actors, Casualty, Found, Lexicon, What};
use crate::normal::Normalized;
use crate::numbers::{self, Count, CountAt};
use crate::segment::{self, Sentence};
use crate::{IntakeError, Lang};

/// Words of original text: byte offsets into the text given, and the words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// After the last byte.
    pub end: usize,
    /// The words as written.
    pub text: String,
}

/// A value with the words it came from and how sure the intake is of it (0..1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field<T> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub span: Span,
    /// 0..1.
    pub confidence: f32,
}

/// Who speaks or is accused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// The party code (a scenario party id, NK, MEDIA or OTHER).
    pub party: String,
    /// Its name in English.
    pub name: String,
}

/// A date and its precision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct When {
    /// The day (`YYYY-MM-DD`; the first of the month at month precision).
    pub date: NaiveDate,
    /// day or month.
    pub precision: Precision,
}

/// A place named in the text: the gazetteer places the name may mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Where {
    /// Gazetteer place ids (more than one: ambiguous, a monitor chooses).
    pub places: Vec<String>,
    /// True when the name fits several places.
    pub ambiguous: bool,
}

/// A casualty figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Casualties {
    /// Whose people (party code), when the text says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// killed, wounded, captured or missing.
    pub kind: &'static str,
    /// How many.
    pub count: Count,
}

/// Asserted or denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// The speaker says it happened.
    Asserted,
    /// The speaker says it did not.
    Denial,
}

/// A draft claim: what one statement of the article says, every field with its words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    /// The event types the statement reports (taxonomy ids), strongest first.
    pub event_types: Vec<Field<String>>,
    /// Who says so.
    pub claimant: Field<Actor>,
    /// Whom it accuses or holds responsible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accused: Option<Field<Actor>>,
    /// Asserted or denied, with the words of a denial.
    pub polarity: Field<Polarity>,
    /// When it happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Field<When>>,
    /// Where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<Field<Where>>,
    /// Casualty figures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub casualties: Vec<Field<Casualties>>,
    /// Combat positions lost or taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positions: Option<Field<Count>>,
    /// The statement's words.
    pub statement: Span,
    /// What a reviewer should check.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What the intake read from one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extraction {
    /// Its language.
    pub lang: Lang,
    /// The publication date relative dates were resolved against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// The drafts, in text order.
    pub drafts: Vec<Draft>,
    /// About the article as a whole.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// How to read an article.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The publication date, for relative dates.
    pub published: Option<NaiveDate>,
    /// The language, when known; else detected from the letters.
    pub lang: Option<Lang>,
    /// The outlet, named as the claimant of its own accounts.
    pub source: Option<String>,
}

/// The intake, loaded: a lexicon per language, the scenario's actors and places.
#[derive(Debug)]
pub struct Intake {
    lexicons: Vec<Lexicon>,
    actors: Actors,
}

/// The text before each word of a sentence (`gaps[0]` from the sentence start).
pub fn gaps<'t>(text: &'t str, s: &Sentence<'_>) -> Vec<&'t str> {
    let mut out = Vec::with_capacity(s.words.len() + 1);
    let mut at = s.range.start;
    for w in &s.words {
        out.push(&text[at..w.range.start]);
        at = w.range.end;
    }
    out.push(&text[at..s.range.end]);
    out
}

/// Event types beyond the violent acts whose claims hold someone responsible: these and the
/// acts get an accused.
const HOSTILE: &[&str] = &[
    "property_destruction",
    "casualties_report",
    "position_seized",
    "fortification",
    "military_buildup",
    "ceasefire_violation_accusation",
    "monitor_obstruction",
    "capture_detention",
    "abduction",
    "corridor_closure",
    "movement_restriction",
];

/// Violent acts, whose claims carry their own toll.
/// How many words lie between word `at` and a date.
fn words_between(at: usize, d: &DateAt) -> usize {
    if at >= d.end { at - d.end } else { d.start.saturating_sub(at) }
}

/// Kinds of fire, one of which a weapon named decides.
const FIRE: &[&str] = &["small_arms_fire", "shelling", "sniper_fire", "drone_strike"];

/// How many words after a future or an obligation its reach extends ("will be able to return").
const FUTURE_REACH: usize = 6;
/// How far on a future word reaches while its clause goes on (no comma or semicolon
/// between): "will exchange prisoners of war and other detainees and the bodies of the dead".
const FUTURE_CLAUSE_REACH: usize = 12;

/// How many words after "after reports" («после сообщений», "على خلفية أنباء") their act may
/// be ("after reports of the seizure").
const HEARSAY_REACH: usize = 3;

/// How far on an appeal's object reaches while its clause goes on: "we urge you to refrain
/// from publishing videos with footage of the fighting".
const APPEAL_REACH: usize = 12;

/// How many words may stand between a cause word and the act it names ("killed in the heavy
/// fighting", "dead at border fighting").
const CAUSE_REACH: usize = 2;

const ACTS: &[&str] = &[
    "armed_clash",
    "shelling",
    "small_arms_fire",
    "sniper_fire",
    "drone_strike",
    "air_strike",
    "landmine_explosion",
    "grenade_attack",
    "attack_on_civilians",
    "incursion",
];

/// Kinds of fire more specific than an armed clash.
const SPECIFIC_FIRE: &[&str] = &["shelling", "small_arms_fire", "sniper_fire", "drone_strike", "air_strike"];

/// A speaker found for a statement: the actor and its words.
#[derive(Debug, Clone)]
struct Speaker {
    actor: usize,
    words: Range<usize>,
}

impl Intake {
    /// The intake of a scenario: its actors and every name of its gazetteer.
    pub fn for_scenario(scenario: &truce_core::scenario::Scenario) -> Result<Intake, IntakeError> {
        use truce_core::scenario::PlaceKind;
        let places: Vec<crate::lexicon::PlaceName> = scenario
            .places
            .iter()
            .flat_map(|p| {
                let region = matches!(p.kind, PlaceKind::District | PlaceKind::Region | PlaceKind::Sector);
                p.all_names().map(move |(_, n, _)| crate::lexicon::PlaceName {
                    id: p.id.as_str().to_owned(),
                    name: n.to_owned(),
                    region,
                })
            })
            .collect();
        Self::with_actors(Actors { actors: scenario.intake_actors.clone() }, &places)
    }

    /// Loads the language data shipped in the crate, an actors file and gazetteer names.
    pub fn new(actors_toml: &str, places: &[crate::lexicon::PlaceName]) -> Result<Intake, IntakeError> {
        Self::with_actors(Actors::from_toml(actors_toml).map_err(IntakeError::Data)?, places)
    }

    fn with_actors(actors: Actors, places: &[crate::lexicon::PlaceName]) -> Result<Intake, IntakeError> {
        let lexicons =
            [include_str!("../data/ar.toml"), include_str!("../data/ru.toml"), include_str!("../data/en.toml")]
                .into_iter()
                .map(|d| Lexicon::new(d, &actors, places).map_err(IntakeError::Data))
                .collect::<Result<Vec<_>, _>>()?;
        Ok(Intake { lexicons, actors })
    }

    fn lexicon(&self, lang: Lang) -> &Lexicon {
        // One lexicon per language, loaded in Lang::ALL order.
        let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        &self.lexicons[i]
    }

    /// Reads an article's text (the body, without a header) into drafts.
    pub fn extract(&self, bytes: &[u8], options: &Options) -> Result<Extraction, IntakeError> {
        if bytes.len() > crate::MAX_BYTES {
            return Err(IntakeError::TooLarge(bytes.len()));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|e| IntakeError::Binary(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
        if text.contains('\0') {
            return Err(IntakeError::Binary("it holds NUL bytes".into()));
        }
        if text.trim().is_empty() {
            return Err(IntakeError::Empty);
        }
        let lang = match options.lang {
            Some(l) => l,
            None => Lang::detect(text).ok_or(IntakeError::UnknownLanguage)?,
        };
        let lex = self.lexicon(lang);
        let norm = Normalized::new(text);
        let sentences = segment::sentences(&norm.text);
        let mut reader = Reader {
            intake: self,
            lex,
            norm: &norm,
            options,
            drafts: Vec::new(),
            last: None,
            last_date: None,
            night: None,
            lede_date: None,
            context_date: None,
            pending_context: None,
            author: None,
        };
        let mut headline = 0;
        for (i, s) in sentences.iter().enumerate() {
            reader.sentence(i, s);
            if i == 0 {
                headline = reader.drafts.len();
            }
        }
        // Whether an event type's words name fire without a weapon ("fired on").
        let generic = |text: &str| {
            let folded = Normalized::new(text).text;
            let words: Vec<&str> =
                segment::sentences(&folded).iter().flat_map(|s| s.words.iter().map(|w| w.text)).collect();
            lex.find(&words).iter().any(|f| f.what == What::GenericFire)
        };
        let drafts = headline_repeats(reader.drafts, headline, &generic);
        let drafts = losses_with_acts(merge_repeats(denied_dates(same_event_dates(drafts), &generic)), norm.original);
        let drafts = outlet_accounts(drafts, options.published);
        let mut warnings = Vec::new();
        if options.published.is_none() {
            warnings.push("no publication date: relative dates (today, yesterday) were not resolved".to_string());
        }
        Ok(Extraction { lang, published: options.published, drafts, warnings })
    }
}

/// The state of reading one article.
struct Reader<'a> {
    intake: &'a Intake,
    lex: &'a Lexicon,
    norm: &'a Normalized<'a>,
    options: &'a Options,
    drafts: Vec<Draft>,
    /// The last speaker, its span and the sentence it spoke in.
    last: Option<(Field<Actor>, usize)>,
    /// The last date a statement gave, in its paragraph.
    last_date: Option<Field<When>>,
    /// The day of the last night a statement was dated by ("on the night of 24 October"): a
    /// time after midnight told after it, without a date of its own, is of the next day.
    night: Option<NaiveDate>,
    /// The first date any statement gave: the lede's event, which later paragraphs without
    /// a date of their own mostly still tell of.
    lede_date: Option<Field<When>>,
    /// The first date of the last sentence that gave one, statement or not: what "then",
    /// «тогда», "حينها" refer to.
    context_date: Option<Field<When>>,
    /// The first date of the sentence being read, which becomes `context_date` for the next.
    pending_context: Option<Field<When>>,
    /// The author a title names ("Statement of the Ministry of Defence"): the speaker of
    /// every sentence that names none.
    author: Option<Field<Actor>>,
}

/// A statement in a sentence: its words and speaker.
struct Statement {
    words: Range<usize>,
    verb: Option<Found>,
    speaker: Option<Speaker>,
}

impl Reader<'_> {
    fn span(&self, s: &Sentence<'_>, words: Range<usize>) -> Span {
        let (a, b) = (words.start.min(s.words.len()), words.end.min(s.words.len()));
        if a >= b {
            return Span { start: 0, end: 0, text: String::new() };
        }
        let r = self.norm.original_range(s.words[a].range.start..s.words[b - 1].range.end);
        Span { text: self.norm.original[r.clone()].to_owned(), start: r.start, end: r.end }
    }

    /// Whether the words give a time of day between midnight and six in the morning ("at
    /// 02:40"), not one in the afternoon ("3:00 pm"). Only the colon form: "05.11" may be
    /// a day and a month.
    fn small_hours(&self, s: &Sentence<'_>, words: Range<usize>) -> bool {
        let end = words.end.min(s.words.len());
        (words.start..end.saturating_sub(1)).any(|i| {
            let (hour, minute) = (s.words[i].text, s.words[i + 1].text);
            if self.norm.text.get(s.words[i].range.end..s.words[i + 1].range.start) != Some(":") {
                return false;
            }
            let afternoon =
                s.words.get(i + 2).is_some_and(|n| ["pm", "p", "مساء", "مساءا", "вечера", "дня"].contains(&n.text));
            hour.len() <= 2
                && minute.len() == 2
                && hour.parse::<u32>().is_ok_and(|h| h < 6)
                && minute.parse::<u32>().is_ok_and(|m| m < 60)
                && !afternoon
        })
    }

    /// Whether a comma, semicolon or colon stands between words `words.start - 1` and
    /// `words.end` of a sentence: a clause ends there.
    fn clause_breaks(&self, s: &Sentence<'_>, words: Range<usize>) -> bool {
        let (Some(a), Some(b)) = (words.start.checked_sub(1).and_then(|i| s.words.get(i)), s.words.get(words.end))
        else {
            return false;
        };
        self.norm.text.get(a.range.end..b.range.start).is_some_and(|t| t.contains([',', ';', ':', '،', '؛']))
    }

    fn actor(&self, i: usize) -> Actor {
        let a = &self.intake.actors.actors[i];
        Actor { party: a.party.clone(), name: a.name.clone() }
    }

    fn sentence(&mut self, index: usize, s: &Sentence<'_>) {
        let words: Vec<&str> = s.words.iter().map(|w| w.text).collect();
        let gaps = gaps(&self.norm.text, s);
        let mut found = resolve(self.lex.find(&words));
        let counts = numbers::counts(&words, &gaps, &found);
        let mut dates = dates::dates(&words, &gaps, &found, self.options.published);
        // A dateline ("STEPANAKERT/MOSCOW, May 26 -", «ЕРЕВАН, 6 окт»): a date among the
        // first words of a paragraph, after nothing but the places where the story was filed
        // (or a name in capitals), and ended by a dash or a stop. Neither is the event's.
        // "On December 12, activists blocked the road" opens the story with its date.
        let dateline = |d: &DateAt| {
            // A name in capitals has an upper-case letter and no lower-case one (Arabic has
            // no case: only places and actors pass there), or is a time's digits.
            let capitals = |t: &str| {
                t.chars().all(|c| !c.is_lowercase())
                    && (t.chars().any(char::is_uppercase) || t.chars().all(|c| c.is_ascii_digit()))
            };
            let filed = (0..d.start).all(|w| {
                capitals(&self.span(s, w..w + 1).text)
                    || found
                        .iter()
                        .any(|f| f.start <= w && w < f.end && matches!(f.what, What::Place(_) | What::Actor(_)))
            });
            // Ended by the sentence's end, a dash, a stop, a bar, a slash or a bracket. A date
            // with nothing before it takes a bracket only before an agency's name ("Nov 17
            // (Reuters) -"), not at the head of the story's words ("16 ноября (около 14:00)
            // военные …").
            let after = gaps.get(d.end).map_or("", |g| g.trim_start());
            let ended = d.end >= words.len()
                || after.starts_with(['-', '\u{2013}', '\u{2014}', '.', '|', '/'])
                || (after.starts_with('(')
                    && (d.start > 0 || self.span(s, d.end..d.end + 1).text.chars().any(char::is_uppercase)));
            !d.relative && d.start <= 3 && filed && ended
        };
        if s.opens_paragraph
            && let Some(d) = dates.first().filter(|d| dateline(d))
        {
            let end = d.end;
            dates.remove(0);
            found.retain(|f| !(f.end <= end && matches!(f.what, What::Place(_) | What::Actor(_))));
        }
        if s.opens_paragraph {
            self.last_date = None;
        }
        if let Some(c) = self.pending_context.take() {
            self.context_date = Some(c);
        }
        self.pending_context = dates.first().map(|d| Field {
            value: When { date: d.date, precision: d.precision },
            span: self.span(s, d.start..d.end),
            confidence: 0.5,
        });
        let statements = self.statements(&found, &words);
        if index == 0 {
            // A title naming a body and its statement makes it the article's author
            // ("Statement of the Ministry of Defence", also "… on the shelling of Sotk"). A
            // headline that tells what the body reported («Минобороны Армении сообщило об
            // обстреле …») is the outlet's: the body speaks where the text quotes it, and the
            // outlet's own paragraphs stay the outlet's.
            let body = found.iter().find_map(|f| match f.what {
                What::Actor(i) if self.intake.actors.actors[i as usize].kind == ActorKind::Body => Some((i, f)),
                _ => None,
            });
            // The statement's own name opens the title and the body follows it at once, and
            // the title neither denies nor accuses ("Azerbaijan rejects the statement of the
            // Armenian ministry …" is the outlet's).
            let own = found
                .iter()
                .any(|f| f.what == What::Statement && f.start == 0 && body.is_some_and(|(_, b)| b.start == f.end))
                && !found.iter().any(|f| matches!(f.what, What::Deny | What::Accuse));
            let said = own
                || (found.iter().any(|f| f.what == What::Say)
                    && !found.iter().any(|f| matches!(f.what, What::Trigger(_) | What::Provocation)));
            if let (true, Some((i, f))) = (said, body) {
                self.author =
                    Some(Field { value: self.actor(i as usize), span: self.span(s, f.start..f.end), confidence: 0.6 });
            }
        }
        if statements.is_empty() {
            // Continued from the statement before, in the same paragraph, or the outlet's own
            // account of a dated event.
            let has_trigger = found.iter().any(|f| matches!(f.what, What::Trigger(_) | What::Provocation));
            if !has_trigger {
                return;
            }
            let continues = !s.opens_paragraph && self.last.as_ref().is_some_and(|(_, at)| *at + 1 == index);
            let continued = found.iter().any(|f| f.start == 0 && f.what == What::Continue);
            if let (true, Some((c, _))) = (continues || continued, self.last.clone()) {
                self.last = Some((c.clone(), index));
                self.draft_as(Field { confidence: 0.5, ..c }, s, &found, &counts, &dates, 0..words.len(), None, None);
            } else if let Some(author) = self.author.clone() {
                self.draft_as(author, s, &found, &counts, &dates, 0..words.len(), None, None);
            } else if !dates.is_empty() {
                let name = self.options.source.clone().unwrap_or_else(|| "the outlet".into());
                let claimant =
                    Field { value: Actor { party: "MEDIA".into(), name }, span: self.span(s, 0..0), confidence: 0.4 };
                self.draft_as(claimant, s, &found, &counts, &dates, 0..words.len(), None, None);
            }
            return;
        }
        for st in statements {
            let claimant = match &st.speaker {
                Some(sp) => {
                    Field { value: self.actor(sp.actor), span: self.span(s, sp.words.clone()), confidence: 0.9 }
                }
                None => match &self.last {
                    Some((c, _)) => Field { confidence: 0.6, ..c.clone() },
                    None => continue,
                },
            };
            self.last = Some((claimant.clone(), index));
            self.draft_as(
                claimant,
                s,
                &found,
                &counts,
                &dates,
                st.words.clone(),
                st.verb,
                st.speaker.map(|sp| sp.words),
            );
        }
    }

    /// Finds the statements of a sentence: each reporting expression with its speaker.
    fn statements(&self, found: &[Found], words: &[&str]) -> Vec<Statement> {
        let verbs: Vec<Found> = found
            .iter()
            .filter(|f| matches!(f.what, What::Say | What::Deny | What::Accuse | What::Continue))
            .copied()
            .collect();
        let forces = |f: &Found| match f.what {
            What::Actor(i) => self.intake.actors.actors[i as usize].kind == ActorKind::Forces,
            _ => false,
        };
        let arabic = self.lex.lang == Lang::Ar;
        let speakers: Vec<Found> = found
            .iter()
            .filter(|f| match f.what {
                // "Armenian" names the forces (listed so); that it also begins like "Armenia"
                // does not make a speaker of it.
                What::Actor(_) => {
                    !forces(f) && !found.iter().any(|o| forces(o) && o.start == f.start && o.end == f.end)
                }
                What::Anaphora => true,
                _ => false,
            })
            .map(|f| match f.what {
                // "the Azerbaijani ministry", "الوزارة الأذربيجانية": a generic name with the
                // side's adjective is that side's, not the last speaker's.
                // It speaks as the side's state ("Azerbaijan"), not as its forces.
                // (The adjective follows its noun in Arabic and precedes it in Russian and
                // English: «По данным министерства, азербайджанская сторона …» is no ministry's.)
                What::Anaphora => found
                    .iter()
                    .find(|o| forces(o) && if arabic { o.start == f.end } else { o.end == f.start })
                    .and_then(|o| {
                        let What::Actor(i) = o.what else { return None };
                        let party = &self.intake.actors.actors[i as usize].party;
                        let state = self
                            .intake
                            .actors
                            .actors
                            .iter()
                            .position(|a| &a.party == party && a.kind == ActorKind::Country)
                            .and_then(|c| u16::try_from(c).ok())?;
                        Some(Found { start: f.start.min(o.start), end: f.end.max(o.end), what: What::Actor(state) })
                    })
                    .unwrap_or(*f),
                _ => *f,
            })
            .collect();
        // Arabic reports put the speaker after a past-tense verb ("أعلنت الوزارة") but before
        // a present-tense one, as headlines do ("ستيباناكيرت تتهم باكو").
        let speaker_after = |v: &Found| {
            let verb = words.get(v.start).map(|w| w.strip_prefix(['و', 'ف']).unwrap_or(w));
            arabic && !verb.is_some_and(|w| w.starts_with('ي') || w.starts_with('ت'))
        };
        let mut out: Vec<Statement> = Vec::new();
        for v in &verbs {
            // The nearest speaker within eight words, not past another reporting expression.
            let mut best: Option<(f32, Found)> = None;
            for sp in &speakers {
                let (distance, after) = if sp.start >= v.end {
                    (sp.start - v.end, true)
                } else if sp.end <= v.start {
                    (v.start - sp.end, false)
                } else {
                    (0, true)
                };
                if distance > 8 {
                    continue;
                }
                let (lo, hi) = if after { (v.end, sp.start) } else { (sp.end, v.start) };
                if verbs.iter().any(|o| o != v && o.start >= lo && o.end <= hi && o.what != What::Continue) {
                    continue;
                }
                let preferred = after == speaker_after(v);
                let score = distance as f32 - if preferred { 0.5 } else { 0.0 };
                if best.is_none_or(|(b, _)| score < b) {
                    best = Some((score, *sp));
                }
            }
            let speaker = best.and_then(|(_, sp)| match sp.what {
                What::Actor(i) => Some(Speaker { actor: i as usize, words: sp.start..sp.end }),
                _ => None,
            });
            // An outlet named after another speaker's statement only carries it ("said in a
            // statement carried by Sputnik", «сообщило ТАСС»): the statement stays the speaker's.
            if out.last().is_some_and(|p: &Statement| p.speaker.is_some())
                && speaker.as_ref().is_some_and(|sp| self.intake.actors.actors[sp.actor].party == "MEDIA")
            {
                continue;
            }
            // Two expressions of one speaker ("announced in a statement") are one statement.
            if let (Some(prev), Some(sp)) = (out.last_mut(), &speaker)
                && prev.speaker.as_ref().is_some_and(|p| p.words == sp.words)
            {
                if v.what == What::Deny || v.what == What::Accuse {
                    prev.verb = Some(*v);
                }
                continue;
            }
            if speaker.is_none() && v.what == What::Say && out.last().is_some() {
                continue;
            }
            let anchor = speaker.as_ref().map_or(v.start, |sp| sp.words.start.min(v.start));
            out.push(Statement { words: anchor..anchor, verb: Some(*v), speaker });
        }
        // Each statement runs from its start to the next one's; the first from the sentence start.
        let n = out.len();
        let starts: Vec<usize> = out.iter().map(|s| s.words.start).collect();
        for (k, st) in out.iter_mut().enumerate() {
            let start = if k == 0 { 0 } else { starts[k] };
            let end = if k + 1 < n { starts[k + 1] } else { usize::MAX };
            st.words = start..end;
        }
        out
    }

    /// Makes the draft of a statement, if it reports an event.
    #[allow(clippy::too_many_arguments)]
    fn draft_as(
        &mut self,
        claimant: Field<Actor>,
        s: &Sentence<'_>,
        found: &[Found],
        counts: &[CountAt],
        dates: &[DateAt],
        words: Range<usize>,
        verb: Option<Found>,
        speaker: Option<Range<usize>>,
    ) {
        let words = words.start..words.end.min(s.words.len());
        let spoken = |f: &Found| speaker.as_ref().is_some_and(|sp| f.start < sp.end && sp.start < f.end);
        let inside = |f: &Found| f.start >= words.start && f.end <= words.end && !spoken(f);
        // The statement's words that gave an event type.
        let mentions = |ty: &str| -> Vec<&Found> {
            found
                .iter()
                .filter(|f| {
                    inside(f)
                        && matches!(f.what, What::Trigger(i) if self.lex.event_types.get(i as usize).is_some_and(|t| t == ty))
                })
                .collect()
        };
        let accusation = verb.is_some_and(|v| v.what == What::Accuse);
        let denial = verb
            .filter(|v| v.what == What::Deny)
            .or_else(|| found.iter().find(|f| inside(f) && f.what == What::Deny).copied());
        // Event types, strongest (longest phrase) first, once each.
        let mut triggers: Vec<&Found> =
            found.iter().filter(|f| inside(f) && matches!(f.what, What::Trigger(_))).collect();
        // An act negated is the act denied in a denial ("denied the report, saying its units
        // had not opened fire"); in any other statement it is not reported (`resolve` kept it
        // for a denial somewhere before it in the sentence).
        if denial.is_none() {
            triggers.retain(|f| !negated(found, f));
        }
        // "will exchange", «будут выведены», "سيتم انسحاب", "provides for the return": an act a
        // future or an obligation puts ahead is foreseen (an agreement's terms, a plan), not
        // reported. A meeting or a ceasefire announced ahead is still news.
        let futures: Vec<usize> = found.iter().filter(|f| f.what == What::Future).map(|f| f.end).collect();
        triggers.retain(|f| {
            let What::Trigger(t) = f.what else { return false };
            let ahead = matches!(
                self.lex.event_types.get(t as usize).map(String::as_str),
                Some("meeting_negotiation" | "ceasefire_agreed")
            );
            ahead
                || !futures.iter().any(|&end| {
                    end <= f.start
                        && (f.start <= end + FUTURE_REACH
                            || (f.start <= end + FUTURE_CLAUSE_REACH && !self.clause_breaks(s, end..f.start)))
                })
        });
        // "people who fled the fighting", "damaged by shelling during the war": an act put in
        // the past war, or in a flight from it, is background.
        // (A return is what follows a flight: "who fled the fighting returned" is news.)
        let past: Vec<&Found> = found.iter().filter(|f| f.what == What::Past).collect();
        // The outlet's own sentence that names a past war anywhere ("the clashes were stopped
        // with a ceasefire on November 10, by which Azerbaijan regained territories lost in
        // the previous conflicts") is background, not news.
        // (A return after a flight is news; so is a sentence dated by a day of this week,
        // "killed on Tuesday in the deadliest clashes since the 2020 war".)
        let relative = dates.iter().any(|d| d.relative && d.start >= words.start && d.end <= words.end);
        if claimant.value.party == "MEDIA" && speaker.is_none() && !relative && past.iter().any(|p| inside(p)) {
            triggers.retain(|f| {
                matches!(f.what, What::Trigger(t) if self.lex.event_types.get(t as usize).is_some_and(|t| t == "displaced_return"))
            });
        }
        triggers.retain(|f| {
            let What::Trigger(t) = f.what else { return false };
            self.lex.event_types.get(t as usize).is_some_and(|t| t == "displaced_return")
                || !past
                    .iter()
                    .any(|p| (p.end <= f.start && f.start <= p.end + 2) || (f.end <= p.start && p.start <= f.end + 1))
        });
        // "held talks after reports of the seizure of two positions": an act in others'
        // reports, which the speaker answers, is not the speaker's claim.
        let hearsay: Vec<usize> = found.iter().filter(|f| f.what == What::Hearsay).map(|f| f.end).collect();
        triggers.retain(|f| !hearsay.iter().any(|&end| end <= f.start && f.start <= end + HEARSAY_REACH));
        // "urged the international community to respond to the blockade": an act named in what
        // the speaker asks of others, to the end of the appeal's clause, is not reported.
        // The object ends at a comma, a reporting word ("urged restraint and said …") or a
        // new clause ("… to respond after troops advanced").
        let appeals: Vec<usize> =
            found.iter().filter(|f| f.what == What::Appeal && f.start >= words.start).map(|f| f.end).collect();
        // (A reporting word after "and", «и» or «و»: "urged restraint and said …"; not "urged
        // member states to …", where "states" is a noun.)
        let joined = |at: usize| {
            s.words.get(at).is_some_and(|w| w.text.starts_with('\u{648}'))
                || at.checked_sub(1).and_then(|i| s.words.get(i)).is_some_and(|w| matches!(w.text, "and" | "и" | "а"))
        };
        let ends: Vec<usize> = found
            .iter()
            .filter(|f| {
                f.what == What::AppealEnd
                    || (matches!(f.what, What::Say | What::Deny | What::Accuse | What::Continue) && joined(f.start))
            })
            .map(|f| f.start)
            .collect();
        triggers.retain(|f| {
            !appeals.iter().any(|&end| {
                end <= f.start
                    && f.start <= end + APPEAL_REACH
                    && !self.clause_breaks(s, end..f.start)
                    && !ends.iter().any(|&e| end <= e && e < f.start)
            })
        });
        triggers.sort_by_key(|f| (std::cmp::Reverse(f.end - f.start), f.start));
        let mut event_types: Vec<Field<String>> = Vec::new();
        for f in triggers {
            let What::Trigger(t) = f.what else { continue };
            let id = self.lex.event_types[t as usize].clone();
            if event_types.iter().any(|e| e.value == id) {
                continue;
            }
            let confidence = if f.end - f.start > 1 { 0.8 } else { 0.6 };
            event_types.push(Field { value: id, span: self.span(s, f.start..f.end), confidence });
        }
        // "Six soldiers were killed in clashes": a toll first, then the act it came from, is a
        // report of the losses, not of the act.
        let first_toll = found
            .iter()
            .filter(|f| inside(f) && matches!(f.what, What::Casualty(Casualty::Killed | Casualty::Wounded)))
            .map(|f| f.start)
            .min();
        // So is "as a result of the fighting, one soldier was killed" («в результате боев …
        // есть погибший», "نتيجة اشتباكات"): an act named only as the cause of a toll.
        // A cause word ("in", «в ходе», "جراء") at most `reach` words before `f`.
        let as_cause = |f: &&Found, reach: usize| {
            found.iter().any(|c| c.what == What::Cause && c.end <= f.start && f.start <= c.end + reach)
        };
        let caused = |t: &Field<String>| {
            let named = mentions(&t.value);
            // After the toll the cause may stand a word or two before the act; with the act
            // first, only right before it ("at 02:40 shelled … wounding" names no cause).
            named.iter().any(|f| first_toll.is_some_and(|toll| toll < f.start) && as_cause(f, CAUSE_REACH))
                || (first_toll.is_some() && !named.is_empty() && named.iter().all(|f| as_cause(f, 0)))
        };
        if event_types.iter().any(|t| t.value == "casualties_report") && event_types.iter().any(caused) {
            event_types.retain(|t| !ACTS.contains(&t.value.as_str()));
        }
        // A meeting the text told before, named again only as the cause or the time of
        // another event ("returned … as a result of the agreements reached during the
        // meeting"), is no meeting of its own. (One named so for the first time, "agreed,
        // following contacts with Moscow, to cease fire", is news.)
        let told = self.drafts.iter().any(|d| d.event_types.iter().any(|t| t.value == "meeting_negotiation"));
        if told && event_types.len() > 1 {
            event_types.retain(|t| {
                let named = mentions(&t.value);
                // ("At a meeting in Brussels": a meeting not told before.)
                let indefinite = |f: &&Found| f.start > 0 && ["a", "an"].contains(&s.words[f.start - 1].text);
                t.value != "meeting_negotiation"
                    || named.is_empty()
                    || !named.iter().all(|f| as_cause(f, CAUSE_REACH) && !indefinite(f))
            });
        }
        // A toll given with the act that caused it belongs to the act's claim: a report of
        // casualties is a claim of its own only when no act is named.
        // So are captives counted in it ("attempted to invade …, 13 were captured"); a capture
        // told without a figure ("opened fire and abducted a serviceman") stays a claim.
        let counted = counts.iter().any(|c| c.start >= words.start && c.end <= words.end)
            && found.iter().any(|f| inside(f) && f.what == What::Casualty(Casualty::Captured));
        if event_types.iter().any(|t| ACTS.contains(&t.value.as_str())) {
            event_types.retain(|t| t.value != "casualties_report" && !(counted && t.value == "capture_detention"));
        }
        // Fire that names no weapon beside another kind of fire that does ("opened fire using
        // artillery and drones", «обстреляли из пулеметов»): the weapon says what it was.
        let generic = |t: &Field<String>| {
            let named = mentions(&t.value);
            !named.is_empty()
                && named
                    .iter()
                    .all(|f| found.iter().any(|g| g.what == What::GenericFire && g.start <= f.start && g.end >= f.end))
        };
        let fire = |t: &Field<String>| FIRE.contains(&t.value.as_str());
        if event_types.iter().filter(|t| fire(t)).count() > 1 && event_types.iter().any(|t| fire(t) && !generic(t)) {
            let dropped: Vec<String> =
                event_types.iter().filter(|t| fire(t) && generic(t)).map(|t| t.value.clone()).collect();
            event_types.retain(|t| !dropped.contains(&t.value));
        }
        // "Fighting" beside shelling, sniper or drone fire says no more than they do.
        if event_types.iter().any(|t| SPECIFIC_FIRE.contains(&t.value.as_str())) {
            event_types.retain(|t| t.value != "armed_clash");
        }
        // Servicemen or prisoners "returned" were handed over: an exchange, not a return of
        // the displaced.
        if event_types.iter().any(|t| t.value == "displaced_return")
            && found
                .iter()
                .any(|f| inside(f) && matches!(f.what, What::Servicemen | What::Casualty(Casualty::Captured)))
        {
            for t in event_types.iter_mut().filter(|t| t.value == "displaced_return") {
                t.value = "prisoner_exchange".into();
            }
            let mut seen = false;
            event_types.retain(|t| !(t.value == "prisoner_exchange" && std::mem::replace(&mut seen, true)));
        }
        // "This provocation was unleashed by …": an accusation of breaking the truce, unless
        // the statement denies (then it names the report denied, "an information provocation").
        // ("Refrain from provocations" is a negation: see `resolve`.)
        if denial.is_none()
            && !event_types.iter().any(|t| t.value == "ceasefire_violation_accusation")
            && let Some(f) = found.iter().find(|f| inside(f) && f.what == What::Provocation)
        {
            event_types.push(Field {
                value: "ceasefire_violation_accusation".into(),
                span: self.span(s, f.start..f.end),
                confidence: 0.6,
            });
        }
        // Units that advanced and took a position: the taking is the claim.
        if event_types.iter().any(|t| t.value == "position_seized") {
            event_types.retain(|t| t.value != "incursion");
        }
        // Prisoners exchanged or released are not captured anew.
        if event_types.iter().any(|t| t.value == "prisoner_exchange") {
            event_types.retain(|t| t.value != "capture_detention");
        }
        // Remains handed over "of soldiers killed in the fighting": the dead and the fighting
        // describe whose remains they are, not new losses or fighting.
        if event_types.iter().any(|t| t.value == "remains_transfer") {
            event_types.retain(|t| t.value != "casualties_report" && t.value != "armed_clash");
        }
        if accusation {
            // An accusation of a named act ("accused the Armenian units of opening fire") is a
            // claim of that act; one that names none ("accused Armenia of deliberate escalation")
            // is a ceasefire-violation claim.
            // (Words of a violation, "deliberate escalation", keep it one beside the act.)
            let mut kept: Vec<Field<String>> = event_types
                .iter()
                .filter(|t| ACTS.contains(&t.value.as_str()) || t.value == "ceasefire_violation_accusation")
                .cloned()
                .collect();
            if kept.is_empty() {
                let v = verb.map_or(words.clone(), |v| v.start..v.end);
                kept.push(Field {
                    value: "ceasefire_violation_accusation".into(),
                    span: self.span(s, v),
                    confidence: 0.7,
                });
            }
            event_types = kept;
        }
        if event_types.is_empty() {
            return;
        }
        // Whom it accuses: the first actor of another party in the statement (for an
        // accusation, the first after the verb).
        let from = if accusation { verb.map_or(words.start, |v| v.end) } else { words.start };
        let hostile =
            event_types.iter().any(|t| HOSTILE.contains(&t.value.as_str()) || ACTS.contains(&t.value.as_str()));
        let accused = found.iter().filter(|f| hostile && f.start >= from && f.end <= words.end && !spoken(f)).find_map(
            |f| match f.what {
                What::Actor(i) => {
                    let a = self.actor(i as usize);
                    let belligerent = a.party != "MEDIA" && a.party != "OTHER";
                    (a.party != claimant.value.party
                        && belligerent
                        && claimant.span.text != self.span(s, f.start..f.end).text)
                        .then(|| Field { value: a, span: self.span(s, f.start..f.end), confidence: 0.6 })
                }
                _ => None,
            },
        );
        // When: a date in the statement, else in its sentence, else the last in the paragraph.
        // A date right beside the reporting verb says when it was said ("announced
        // yesterday"); a date in what was said, when there is one, is the event's.
        // A date just before the verb says when only when the speaker comes before it too ("the
        // ministry on Tuesday said"); before a speaker put after the verb ("… resumed this
        // morning, the headquarters said") it is the event's.
        let speaker_first = speaker.as_ref().is_none_or(|sp| verb.is_some_and(|v| sp.end <= v.start));
        let beside_verb = |d: &DateAt| {
            verb.is_some_and(|v| {
                (d.start >= v.end && d.start <= v.end + 1)
                    || (speaker_first && d.end <= v.start && d.end + 1 >= v.start)
            })
        };
        // Of several dates in what was said, the one nearest the event's words ("the bulletin of
        // today, 23 November, says that yesterday fire was recorded"); explicit before relative.
        let trigger_words: Vec<usize> =
            event_types.iter().filter_map(|t| mentions(&t.value).first().map(|f| f.start)).collect();
        let nearness = |d: &DateAt| trigger_words.iter().map(|&at| words_between(at, d)).min();
        let pick = |ds: &mut dyn Iterator<Item = &DateAt>| -> Option<DateAt> {
            let all: Vec<&DateAt> = ds.collect();
            let event: Vec<&&DateAt> = all.iter().filter(|d| !beside_verb(d)).collect();
            // Dates side by side ("Thursday, Nov. 25", "yesterday, Tuesday") are one: as near
            // as the nearer of them, and then the calendar date wins.
            let near = |d: &DateAt| {
                all.iter().filter(|o| o.start <= d.end + 1 && d.start <= o.end + 1).filter_map(|o| nearness(o)).min()
            };
            let best = |v: &[&&DateAt]| v.iter().min_by_key(|d| (near(d), d.relative)).map(|d| (**d).clone());
            best(&event).or_else(|| best(&all.iter().collect::<Vec<_>>()))
        };
        let date = pick(&mut dates.iter().filter(|d| d.start >= words.start && d.end <= words.end))
            .map(|d| (d, 0.8))
            .or_else(|| pick(&mut dates.iter()).map(|d| (d, 0.6)));
        // Each event type's own date, when what was said dates them apart ("traffic suspended
        // yesterday … resumed this morning"): the statement then gives one draft per date.
        let said: Vec<&DateAt> =
            dates.iter().filter(|d| d.start >= words.start && d.end <= words.end && !beside_verb(d)).collect();
        let own_dates: Vec<Option<DateAt>> = event_types
            .iter()
            .map(|t| {
                let at = mentions(&t.value).first()?.start;
                let near = |d: &DateAt| {
                    said.iter()
                        .filter(|o| o.start <= d.end + 1 && d.start <= o.end + 1)
                        .map(|o| words_between(at, o))
                        .min()
                };
                said.iter().min_by_key(|d| (near(d), d.relative)).map(|d| (*d).clone())
            })
            .collect();
        let mut apart: Vec<NaiveDate> = own_dates.iter().flatten().map(|d| d.date).collect();
        apart.sort_unstable();
        apart.dedup();
        let split = apart.len() > 1;
        let mut warnings = Vec::new();
        // "At around 02:40", after "the night of 24 October": the small hours of the 25th.
        let small_hours = self.small_hours(s, words.clone());
        let next_day = |f: Field<When>| match f.value.precision {
            Precision::Day => Field { value: When { date: f.value.date + Duration::days(1), ..f.value }, ..f },
            _ => f,
        };
        let date = match date {
            Some((d, c)) => {
                if let Some(w) = &d.warning {
                    warnings.push(w.clone());
                }
                let night = found.iter().any(|f| f.what == What::NightOf && f.end == d.start);
                let f = Field {
                    value: When { date: d.date, precision: d.precision },
                    span: self.span(s, d.start..d.end),
                    confidence: c,
                };
                self.last_date = Some(f.clone());
                if night {
                    self.night = Some(d.date);
                }
                let f = if night && small_hours { next_day(f) } else { f };
                if self.lede_date.is_none() {
                    self.lede_date = Some(f.clone());
                }
                Some(f)
            }
            // "Then the ministry said": the date the text gave just before.
            None if found.iter().any(|f| f.what == What::Then && f.start >= words.start && f.end <= words.end)
                && self.context_date.is_some() =>
            {
                self.context_date.clone()
            }
            None => self
                .last_date
                .clone()
                .map(|f| Field { confidence: 0.4, ..f })
                .or_else(|| self.lede_date.clone().map(|f| Field { confidence: 0.35, ..f }))
                .map(|f| if small_hours && self.night == Some(f.value.date) { next_day(f) } else { f })
                .or_else(|| {
                    // Undated: the day of publication, as news reports mostly are.
                    self.options.published.map(|date| Field {
                        value: When { date, precision: Precision::Day },
                        span: self.span(s, 0..0),
                        confidence: 0.3,
                    })
                }),
        };
        // Where: the first gazetteer name in the statement, a settlement or height before a
        // region that holds it.
        let mut names: Vec<&Found> = found.iter().filter(|f| inside(f) && matches!(f.what, What::Place(_))).collect();
        names.sort_by_key(|f| match f.what {
            What::Place(i) if self.lex.place_regions[i as usize] => 1,
            _ => 0,
        });
        let place = names.into_iter().find_map(|f| match f.what {
            What::Place(i) => {
                let places = self.lex.place_names[i as usize].clone();
                let ambiguous = places.len() > 1;
                if ambiguous {
                    warnings.push(format!("the place name fits {} places: {}", places.len(), places.join(", ")));
                }
                Some(Field {
                    value: Where { places, ambiguous },
                    span: self.span(s, f.start..f.end),
                    confidence: if ambiguous { 0.3 } else { 0.7 },
                })
            }
            _ => None,
        });
        // Casualties: a count with a casualty word within five words after it (or before it).
        let mut casualties = Vec::new();
        let mut positions = None;
        // A day of the month is no count ("16 November").
        let in_date = |c: &CountAt| dates.iter().any(|d| c.start < d.end && d.start < c.end);
        for c in counts.iter().filter(|c| c.start >= words.start && c.end <= words.end && !in_date(c)) {
            let near =
                |f: &&Found| f.start >= c.end && f.start <= c.end + 5 || f.end <= c.start && f.end + 3 >= c.start;
            let casualty = |f: &Found| match f.what {
                What::Casualty(k) => Some(k),
                _ => None,
            };
            // The casualty word after the count ("12 soldiers captured"), else just before it
            // ("killed: 3").
            let kind = found
                .iter()
                .filter(|f| inside(f) && f.start >= c.end && f.start <= c.end + 5)
                .find_map(casualty)
                .or_else(|| {
                    found
                        .iter()
                        .rev()
                        .filter(|f| inside(f) && f.end <= c.start && f.end + 3 >= c.start)
                        .find_map(casualty)
                });
            if let Some(kind) = kind {
                // Whose: "its soldiers" are the speaker's; else a party named beside the count.
                let own = found.iter().filter(near).any(|f| f.what == What::Own);
                let named =
                    found.iter().filter(|f| f.start >= c.end && f.start <= c.end + 3).find_map(|f| match f.what {
                        What::Actor(i) => Some(self.actor(i as usize).party),
                        _ => None,
                    });
                // Else a party's own report: its own people.
                let own_side =
                    || Some(claimant.value.party.clone()).filter(|p| !["MEDIA", "OTHER", "RUS"].contains(&p.as_str()));
                let party = if own { Some(claimant.value.party.clone()) } else { named.or_else(own_side) };
                let kind = match kind {
                    Casualty::Killed => "killed",
                    Casualty::Wounded => "wounded",
                    Casualty::Captured => "captured",
                    Casualty::Missing => "missing",
                };
                casualties.push(Field {
                    value: Casualties { party, kind, count: c.count },
                    span: self.span(s, c.start..c.end),
                    confidence: 0.7,
                });
            } else if positions.is_none()
                && found.iter().any(|f| f.what == What::Positions && f.start <= c.end + 2 && f.end >= c.start)
            {
                positions = Some(Field { value: c.count, span: self.span(s, c.start..c.end), confidence: 0.6 });
            }
        }
        let polarity = match denial {
            Some(d) => Field { value: Polarity::Denial, span: self.span(s, d.start..d.end), confidence: 0.7 },
            None => Field { value: Polarity::Asserted, span: self.span(s, words.clone()), confidence: 0.8 },
        };
        let draft = Draft {
            event_types,
            claimant,
            accused,
            polarity,
            date,
            place,
            casualties,
            positions,
            statement: self.span(s, words),
            warnings,
        };
        if !split {
            self.drafts.push(draft);
            return;
        }
        // One draft per date, each with the event types of that date (a type with no date of
        // its own goes with the statement's).
        let mut groups: Vec<(Option<DateAt>, Vec<Field<String>>)> = Vec::new();
        for (t, own) in draft.event_types.iter().zip(own_dates) {
            match groups.iter_mut().find(|(d, _)| d.as_ref().map(|d| d.date) == own.as_ref().map(|d| d.date)) {
                Some((_, types)) => types.push(t.clone()),
                None => groups.push((own, vec![t.clone()])),
            }
        }
        for (own, types) in groups {
            let date = match own {
                Some(d) => Some(Field {
                    value: When { date: d.date, precision: d.precision },
                    span: self.span(s, d.start..d.end),
                    confidence: 0.7,
                }),
                None => draft.date.clone(),
            };
            self.drafts.push(Draft { event_types: types, date, ..draft.clone() });
        }
    }
}

/// Whether a negation stands up to three words before `f` ("no casualties", "refrain from
/// provocations").
///
/// A provocation is negated by "refrain from" alone: "not the first provocation by Armenia"
/// still accuses.
fn negated(found: &[Found], f: &Found) -> bool {
    found.iter().any(|n| {
        (n.what == What::Refrain || (n.what == What::Negation && f.what != What::Provocation))
            && n.end <= f.start
            && f.start <= n.end + 2
    })
}

/// Drops phrases inside the names of actors and places (the "Defence" of "Ministry of
/// Defence" is no event), and triggers inside longer triggers of another type ("stopped the
/// fighting" is no fighting).
fn resolve(found: Vec<Found>) -> Vec<Found> {
    // "no casualties", «без потерь», "لم تقع خسائر": what a negation denies is not reported.
    // After a denial, though, the act negated is the act denied: "denied the report, saying
    // its units had not opened fire" denies fire.
    // (`draft_as` then keeps it only in a statement that denies.)
    let denied = |f: &Found| {
        matches!(f.what, What::Trigger(_)) && found.iter().any(|d| d.what == What::Deny && d.end <= f.start)
    };
    let found: Vec<Found> = found
        .iter()
        .filter(|f| {
            !(matches!(f.what, What::Trigger(_) | What::Casualty(_) | What::Provocation)
                && negated(&found, f)
                && !denied(f))
        })
        .copied()
        .collect();
    // Names of actors and places, and of the truce itself, hide the event words inside them.
    let names: Vec<Found> =
        found.iter().filter(|f| matches!(f.what, What::Actor(_) | What::Place(_) | What::Neutral)).copied().collect();
    let longest_names: Vec<Found> = names
        .iter()
        .filter(|n| {
            !names
                .iter()
                .any(|o| o != *n && o.start <= n.start && o.end >= n.end && (o.end - o.start) > (n.end - n.start))
        })
        .copied()
        .collect();
    let triggers: Vec<Found> = found.iter().filter(|f| matches!(f.what, What::Trigger(_))).copied().collect();
    found
        .into_iter()
        .filter(|f| match f.what {
            // A name may be an actor's and a place's ("Yerevan said", "in Yerevan"): the
            // statement decides, as a speaker's words are no place.
            What::Actor(_) | What::Place(_) => longest_names.contains(f),
            What::Say | What::Deny | What::Accuse | What::Continue | What::Anaphora => {
                !longest_names.iter().any(|n| n.start <= f.start && n.end >= f.end && n.end - n.start > f.end - f.start)
            }
            What::Trigger(_) | What::Casualty(_) | What::Positions => {
                !longest_names.iter().any(|n| n.start <= f.start && n.end >= f.end)
                    && !triggers.iter().any(|t| {
                        t.what != f.what
                            && t.start <= f.start
                            && t.end >= f.end
                            && t.end - t.start > f.end - f.start
                            && matches!(f.what, What::Trigger(_))
                    })
            }
            _ => true,
        })
        .collect()
}

/// One statement said twice (in a title and a paragraph, or "announced … in a statement")
/// is one draft: drafts of the same claimant, event types and date are merged, keeping
/// the first and adding the casualty figures and warnings of the others.
fn merge_repeats(drafts: Vec<Draft>) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::with_capacity(drafts.len());
    for d in drafts {
        // The same speaker's account of the same kind of event on the same day, at the same
        // place or at none named, told again or in more detail ("the positions came under
        // fire from machine guns and sniper rifles").
        let key = |x: &Draft| (x.claimant.value.party.clone(), x.date.as_ref().map(|f| f.value.date), x.polarity.value);
        let types = |x: &Draft| {
            let mut t: Vec<&str> = x.event_types.iter().map(|t| t.value.as_str()).collect();
            t.sort_unstable();
            t.join(",")
        };
        let places = |x: &Draft| x.place.as_ref().map(|p| p.value.places.clone());
        // Whose losses: one's own and the other side's are two accounts.
        let whose = |x: &Draft| {
            let mut p: Vec<Option<String>> = x.casualties.iter().map(|c| c.value.party.clone()).collect();
            p.sort();
            p.dedup();
            p
        };
        let same = |o: &Draft| {
            key(o) == key(&d)
                && (whose(o) == whose(&d) || o.casualties.is_empty() || d.casualties.is_empty())
                && (types(o) == types(&d)
                    || (o.claimant.value.name == d.claimant.value.name
                        && o.event_types.iter().any(|t| d.event_types.iter().any(|x| x.value == t.value))
                        && (places(o) == places(&d) || places(o).is_none() || places(&d).is_none())))
        };
        match out.iter_mut().find(|o| same(o)) {
            Some(o) => {
                for t in &d.event_types {
                    if !o.event_types.iter().any(|x| x.value == t.value) {
                        o.event_types.push(t.clone());
                    }
                }
                for c in d.casualties {
                    if !o.casualties.iter().any(|x| x.value.kind == c.value.kind && x.value.party == c.value.party) {
                        o.casualties.push(c);
                    }
                }
                if o.place.is_none() {
                    o.place = d.place;
                }
                if o.accused.is_none() {
                    o.accused = d.accused;
                }
                o.warnings.extend(d.warnings);
            }
            None => out.push(d),
        }
    }
    out
}

/// Whether a draft's date is its statement's own: dates carried from the paragraph, the lede
/// or the publication day have a confidence under 0.5.
fn dated_itself(d: &Draft) -> bool {
    d.date.as_ref().is_some_and(|f| f.confidence >= 0.5)
}

/// A draft the text gives no date of its own ("Azerbaijan's commission confirmed it had handed
/// over the three men") tells of the event of that kind the text dated just before ("… returned
/// to Yerevan on Sunday"): it takes that date.
fn same_event_dates(mut drafts: Vec<Draft>) -> Vec<Draft> {
    for i in 0..drafts.len() {
        if dated_itself(&drafts[i]) {
            continue;
        }
        let earlier = (0..i).rev().find(|&j| {
            dated_itself(&drafts[j])
                && drafts[j].event_types.iter().any(|t| drafts[i].event_types.iter().any(|x| x.value == t.value))
        });
        if let Some(j) = earlier {
            drafts[i].date = drafts[j].date.clone().map(|f| Field { confidence: f.confidence.min(0.45), ..f });
        }
    }
    drafts
}

/// A title that gives no date of its own ("Armenia says Azerbaijan seized two positions")
/// announces what the text then tells with its date: its drafts go when a later draft of the
/// same speaker's party tells an event of the same type. A headline's fire in words the
/// language file lists as naming no weapon («обстрел», "opened fire") is the text's fire of
/// any kind, told more closely; a headline's drone strike is not the text's small-arms fire.
fn headline_repeats(drafts: Vec<Draft>, headline: usize, generic: &dyn Fn(&str) -> bool) -> Vec<Draft> {
    let rest = drafts.get(headline..).unwrap_or_default();
    let fire = |t: &Field<String>| FIRE.contains(&t.value.as_str());
    let same = |headline: &Field<String>, text: &Field<String>| {
        headline.value == text.value || (fire(headline) && fire(text) && generic(&headline.span.text))
    };
    let told_later = |d: &Draft| {
        rest.iter().any(|o| {
            o.claimant.value.party == d.claimant.value.party
                && o.event_types.iter().any(|t| d.event_types.iter().any(|x| same(x, t)))
        })
    };
    let gone: Vec<bool> =
        drafts.iter().enumerate().map(|(i, d)| i < headline && !dated_itself(d) && told_later(d)).collect();
    drafts.into_iter().zip(gone).filter(|(_, g)| !g).map(|(d, _)| d).collect()
}

/// A denial answers another party's report of the same kind of event: the event it denies
/// happened (or not) when that report says, not on the day of the denial. Its date is taken
/// from the nearest such report in the text, before or after it.
fn denied_dates(mut drafts: Vec<Draft>, generic: &dyn Fn(&str) -> bool) -> Vec<Draft> {
    for i in 0..drafts.len() {
        if drafts[i].polarity.value != Polarity::Denial {
            continue;
        }
        let answers = |o: &Draft| {
            o.polarity.value == Polarity::Asserted
                && o.claimant.value.party != drafts[i].claimant.value.party
                && o.date.is_some()
                && o.event_types.iter().any(|t| drafts[i].event_types.iter().any(|x| x.value == t.value))
        };
        let nearest = |ok: &dyn Fn(&Draft) -> bool| {
            (1..drafts.len())
                .flat_map(|k| [i.checked_sub(k), Some(i + k)])
                .flatten()
                .find(|&j| drafts.get(j).is_some_and(ok))
        };
        // "Denied that its units had fired on Alibayli", answering a report of mortar fire:
        // fire the denial names no weapon of is the fire the report named.
        let fire_of = |o: &Draft| {
            o.event_types.iter().find(|t| FIRE.contains(&t.value.as_str()) && t.value != "small_arms_fire").cloned()
        };
        let generic_fire = drafts[i].event_types.iter().any(|t| t.value == "small_arms_fire" && generic(&t.span.text));
        let answers_fire = |o: &Draft| {
            generic_fire
                && o.polarity.value == Polarity::Asserted
                && o.claimant.value.party != drafts[i].claimant.value.party
                && o.date.is_some()
                && fire_of(o).is_some()
        };
        // The report at the place the denial names, else the nearest in the text.
        let place = drafts[i].place.as_ref().map(|p| p.value.places.clone());
        let at_place = |o: &Draft| place.is_some() && o.place.as_ref().map(|p| p.value.places.clone()) == place;
        let either = |o: &Draft| answers(o) || answers_fire(o);
        let report = nearest(&|o: &Draft| either(o) && at_place(o)).or_else(|| nearest(&either));
        let retype = report.filter(|&j| !answers(&drafts[j])).and_then(|j| fire_of(&drafts[j]));
        if let Some(j) = report {
            let date = drafts[j].date.clone().map(|f| Field { confidence: f.confidence.min(0.5), ..f });
            drafts[i].date = date;
        }
        if let Some(fire) = retype {
            for t in drafts[i].event_types.iter_mut().filter(|t| t.value == "small_arms_fire") {
                t.value = fire.value.clone();
            }
        }
    }
    drafts
}

/// Losses announced first and then told with the act they came from ("the ministry reported
/// two soldiers wounded. Azerbaijani units opened fire …, two soldiers were wounded"): the
/// figures belong to the act's claim, and the announcement is no claim of its own. Dropped
/// only when a later draft of the act, by the same speaker on the same day, carries every
/// figure (a headline's act told again as losses in the text is not this).
fn losses_with_acts(drafts: Vec<Draft>, text: &str) -> Vec<Draft> {
    let only_losses = |d: &Draft| d.event_types.len() == 1 && d.event_types[0].value == "casualties_report";
    // (An announcement the text gives no date of its own is of the act's day.)
    let covered = |d: &Draft, by: &Draft| {
        !d.casualties.is_empty()
            && by.claimant.value.party == d.claimant.value.party
            && by.polarity.value == d.polarity.value
            && (!dated_itself(d) || by.date.as_ref().map(|f| f.value.date) == d.date.as_ref().map(|f| f.value.date))
            && by.event_types.iter().any(|t| ACTS.contains(&t.value.as_str()))
            && d.casualties
                .iter()
                .all(|c| by.casualties.iter().any(|b| b.value.kind == c.value.kind && b.value.count == c.value.count))
    };
    // "… fired mortars at the village. Two civilians were wounded": a toll right after an act
    // of the same speaker is that act's, and its figures go on the act's draft.
    // Next in the same paragraph: a title's act is no act a body's toll follows.
    let next_to = |d: &Draft, before: &Draft| {
        text.get(before.statement.end..d.statement.start).is_some_and(|between| !between.contains('\n'))
    };
    let follows_act = |d: &Draft, before: &Draft| {
        (d.casualties.is_empty() || next_to(d, before))
            && before.claimant.value.party == d.claimant.value.party
            && before.polarity.value == d.polarity.value
            && before.date.as_ref().map(|f| f.value.date) == d.date.as_ref().map(|f| f.value.date)
            && before.event_types.iter().any(|t| ACTS.contains(&t.value.as_str()))
    };
    let mut out: Vec<Draft> = Vec::with_capacity(drafts.len());
    for (i, d) in drafts.iter().enumerate() {
        if !only_losses(d) {
            out.push(d.clone());
            continue;
        }
        if drafts.iter().skip(i + 1).any(|by| covered(d, by)) {
            continue;
        }
        // "There are dead and wounded on the Armenian side": losses without a figure, from a
        // speaker who told an act of that day before, are that act's and add nothing to it.
        if d.casualties.is_empty() && out.iter().any(|before| follows_act(d, before)) {
            continue;
        }
        match out.last_mut() {
            Some(before) if i > 0 && follows_act(d, before) => {
                for c in &d.casualties {
                    if !before.casualties.iter().any(|b| b.value.kind == c.value.kind && b.value.party == c.value.party)
                    {
                        before.casualties.push(c.clone());
                    }
                }
            }
            _ => out.push(d.clone()),
        }
    }
    out
}

/// The outlet's own accounts: kept only for recent events no named speaker reports. An
/// account of an event a month or more before publication is background ("the war of
/// 2020"), and one of an event a named speaker also reports repeats that speaker.
fn outlet_accounts(drafts: Vec<Draft>, published: Option<NaiveDate>) -> Vec<Draft> {
    let outlet = |d: &Draft| d.claimant.value.party == "MEDIA";
    let named: Vec<(String, Option<NaiveDate>)> = drafts
        .iter()
        .filter(|d| !outlet(d))
        .flat_map(|d| d.event_types.iter().map(|t| (t.value.clone(), d.date.as_ref().map(|w| w.value.date))))
        .collect();
    drafts
        .into_iter()
        .filter(|d| {
            let when = d.date.as_ref().map(|w| w.value.date);
            let old = matches!((when, published), (Some(w), Some(p)) if (p - w).num_days() > 30);
            if !outlet(d) {
                // A speaker's words on an event of a month or more before, dated so in the
                // text, recall it ("the fighting of autumn 2020"): background, no claim.
                let stated = d.date.as_ref().is_some_and(|w| !w.span.text.is_empty());
                return !(old && stated);
            }
            let repeated = d.event_types.iter().all(|t| named.contains(&(t.value.clone(), when)));
            !old && !repeated
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::PlaceName;

    fn intake() -> Intake {
        let places = [
            ("sotk", "Sotk", false),
            ("sotk", "Сотк", false),
            ("yerevan", "Yerevan", false),
            ("lachin", "Lachin corridor", true),
        ]
        .map(|(id, name, region)| PlaceName { id: id.into(), name: name.into(), region });
        Intake::new(include_str!("../../../scenarios/nagorno-karabakh-2020/intake-actors.toml"), &places)
            .expect("intake")
    }

    fn read(text: &str) -> Vec<Draft> {
        let options = Options { published: NaiveDate::from_ymd_opt(2021, 11, 17), ..Options::default() };
        intake().extract(text.as_bytes(), &options).expect("reads").drafts
    }

    fn types(d: &Draft) -> Vec<&str> {
        d.event_types.iter().map(|t| t.value.as_str()).collect()
    }

    #[test]
    fn a_speakers_statement_gives_its_type_accused_date_place_and_toll() {
        let d = read(
            "The Armenian Defence Ministry said Azerbaijani forces shelled positions near Sotk on 16 November, wounding two soldiers.",
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        let d = &d[0];
        assert_eq!((d.claimant.value.party.as_str(), types(d)), ("ARM", vec!["shelling"]));
        assert_eq!(d.accused.as_ref().map(|a| a.value.party.as_str()), Some("AZE"));
        assert_eq!(d.date.as_ref().map(|w| w.value.date.to_string()).as_deref(), Some("2021-11-16"));
        assert_eq!(d.place.as_ref().map(|p| p.value.places.clone()), Some(vec!["sotk".to_string()]));
        // A party's report of wounded soldiers is of its own.
        let w = &d.casualties[0];
        assert_eq!((w.value.kind, w.value.count.value(), w.value.party.as_deref()), ("wounded", Some(2), Some("ARM")));
    }

    #[test]
    fn what_an_agreement_foresees_is_no_event_but_an_announced_meeting_is() {
        for text in [
            "The Russian Foreign Ministry said the sides will exchange prisoners and the displaced will return home.",
            "МИД России сообщил, что стороны будут обмениваться пленными.",
            "وقالت الخارجية الروسية إنه سيتم تبادل الأسرى.",
        ] {
            let d = read(text);
            assert!(d.iter().all(|d| types(d).is_empty()), "{text}: {d:#?}");
        }
        let d = read("The Russian Foreign Ministry said a meeting will be held in Moscow on 19 November.");
        assert_eq!(d.iter().flat_map(types).collect::<Vec<_>>(), vec!["meeting_negotiation"]);
    }

    #[test]
    fn a_future_reaches_over_its_whole_clause_and_a_freeze_in_place_is_no_seizure() {
        // The bodies are the ninth word after "will exchange", in the same clause.
        let d = read(
            "وقال الكرملين إن أذربيجان وأرمينيا ستتبادل أسرى الحرب وغيرهم من المحتجزين المدنيين والعسكريين والمفقودين وجثث القتلى.",
        );
        assert!(d.iter().all(|d| types(d).is_empty()), "{d:#?}");
        // A comma ends the clause: what follows it beyond six words is reported again.
        let d = read(
            "The Russian Defence Ministry said the sides will exchange prisoners, and on Tuesday near Lachin two soldiers were killed by shelling.",
        );
        assert!(d.iter().any(|d| types(d).contains(&"shelling")), "{d:#?}");
        for text in [
            "Как сообщил российский лидер, стороны останавливаются на занятых ими позициях.",
            "The Kremlin said the sides stop at the positions they currently hold.",
        ] {
            let d = read(text);
            assert!(d.iter().all(|d| !types(d).contains(&"position_seized")), "{text}: {d:#?}");
        }
    }

    #[test]
    fn a_time_after_midnight_told_after_a_night_is_of_the_next_day() {
        let text = "On the night of 14 November, Azerbaijani units opened fire at Armenian positions near Sotk, the Armenian Defence Ministry said.\n\n\
            The ministry added that at around 02:40 an Azerbaijani drone struck a vehicle near Sotk.\n\n\
            It said that at 3:30 pm Azerbaijani units fired mortars at the village.";
        let d = read(text);
        let dated = |t: &str| {
            d.iter().find(|d| types(d).contains(&t)).and_then(|d| d.date.as_ref()).map(|f| f.value.date.to_string())
        };
        assert_eq!(dated("small_arms_fire").as_deref(), Some("2021-11-14"), "{d:#?}");
        assert_eq!(dated("drone_strike").as_deref(), Some("2021-11-15"), "{d:#?}");
        // An afternoon is no small hour.
        assert_eq!(dated("shelling").as_deref(), Some("2021-11-14"), "{d:#?}");
    }

    #[test]
    fn an_act_in_others_reports_that_a_speaker_answers_is_not_its_claim() {
        for text in [
            "The Russian Defence Ministry said peacekeepers held talks with the Azerbaijani side after reports of the seizure of two positions.",
            "Минобороны России сообщило, что командование ведет переговоры после сообщений о занятии двух позиций.",
            "وقالت وزارة الدفاع الروسية إن قيادة قوات حفظ السلام تجري مفاوضات على خلفية أنباء عن السيطرة على موقعين.",
        ] {
            let d = read(text);
            assert!(d.iter().all(|d| !types(d).contains(&"position_seized")), "{text}: {d:#?}");
            assert!(d.iter().any(|d| types(d).contains(&"meeting_negotiation")), "{text}: {d:#?}");
        }
    }

    #[test]
    fn an_act_named_in_what_a_speaker_asks_of_others_is_not_reported() {
        for text in [
            "The Armenian Defence Ministry said Azerbaijani forces shelled Sotk on Tuesday. It urged the international community to respond to the blockade of the road.",
            "Минобороны Армении сообщило, что во вторник азербайджанские военные обстреляли Сотк. Министерство призвало международное сообщество отреагировать на блокаду дороги.",
            "وقالت وزارة الدفاع الأرمينية إن القوات الأذربيجانية قصفت سوتك يوم الثلاثاء. ودعت الوزارة المجتمع الدولي إلى الرد على حصار الطريق.",
        ] {
            let d = read(text);
            let kinds: Vec<Vec<&str>> = d.iter().map(types).collect();
            assert_eq!(kinds, vec![vec!["shelling"]], "{text}: {d:#?}");
        }
        // The appeal reaches to the end of its clause only: what the speaker reports after a
        // comma is news.
        let d = read(
            "The Armenian Defence Ministry said it urged the international community to react, as Azerbaijani forces shelled Sotk on Tuesday.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["shelling"]], "{d:#?}");
        // The object ends at a reporting word or a new clause, and «بحث» ("discussed") is no
        // appeal under its proclitic.
        for text in [
            "The Armenian Defence Ministry urged restraint and said Azerbaijani forces shelled Sotk on Tuesday.",
            "The Armenian Defence Ministry said it urged the CSTO to respond after Azerbaijani forces shelled Sotk on Tuesday.",
            "وقالت وزارة الدفاع الأرمينية إن باشينيان بحث مع بوتين قصف القوات الأذربيجانية سوتك يوم الثلاثاء.",
        ] {
            let d = read(text);
            assert!(d.iter().any(|d| types(d).contains(&"shelling")), "{text}: {d:#?}");
        }
        // Nouns, restrictive clauses and ambassadors do not end it.
        for text in [
            "The Armenian Defence Ministry said Azerbaijani forces shelled Sotk on Tuesday. It urged member states to condemn the blockade of the road.",
            "The Armenian Defence Ministry said Azerbaijani forces shelled Sotk on Tuesday. It urged countries that have influence on Baku to condemn the blockade of the road.",
            "Минобороны Армении сообщило, что во вторник азербайджанские военные обстреляли Сотк. МИД Армении призвал послов стран ОДКБ осудить блокаду дороги.",
        ] {
            let d = read(text);
            assert!(d.iter().all(|d| !types(d).contains(&"corridor_closure")), "{text}: {d:#?}");
        }
        // Nor is a call to refrain from provocations an accusation (a call to stop them is, and
        // so is "not the first provocation").
        let d = read(
            "The Azerbaijani Defence Ministry said Armenian forces shelled its positions on Tuesday. It called on the Armenian side to refrain from provocations.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["shelling"]], "{d:#?}");
        let d = read(
            "The Azerbaijani Defence Ministry said Armenian forces shelled its positions on Tuesday. It called on the Armenian side to stop its provocations.",
        );
        assert!(d.iter().any(|d| types(d).contains(&"ceasefire_violation_accusation")), "{d:#?}");
        let d = read(
            "The Azerbaijani Defence Ministry said on Tuesday that this was not the first provocation by Armenia.",
        );
        assert!(d.iter().any(|d| types(d).contains(&"ceasefire_violation_accusation")), "{d:#?}");
        // Without the appeal, the same words are a report.
        let d = read("The Armenian Defence Ministry said the blockade of the road went on on Tuesday.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["corridor_closure"]], "{d:#?}");
    }

    #[test]
    fn an_act_negated_after_a_denial_is_the_act_denied() {
        let d = read(
            "The Armenian Defence Ministry said Azerbaijani forces shelled Sotk on Tuesday.\n\n\
             The Azerbaijani Defence Ministry denied the report, saying its units had not opened fire.",
        );
        let found: Vec<(&str, Vec<&str>, Polarity)> =
            d.iter().map(|d| (d.claimant.value.party.as_str(), types(d), d.polarity.value)).collect();
        assert_eq!(
            found,
            vec![("ARM", vec!["shelling"], Polarity::Asserted), ("AZE", vec!["shelling"], Polarity::Denial)],
            "{d:#?}"
        );
        // Without a denial, what a negation denies is not reported, even after another
        // speaker's denial in the same sentence.
        let d = read("The Azerbaijani Defence Ministry said its units had not opened fire on Tuesday.");
        assert!(d.is_empty(), "{d:#?}");
        let d = read(
            "The Armenian Defence Ministry denied the report, while the Russian Defence Ministry said there had been no shooting near Sotk on Tuesday.",
        );
        assert!(d.iter().all(|d| d.claimant.value.party != "RUS"), "{d:#?}");
    }

    #[test]
    fn a_headline_that_reports_a_bodys_words_makes_it_no_author() {
        let d = read(
            "Минобороны Армении сообщило об обстреле позиций у Сотка\n\n\
             Во вторник азербайджанские военные открыли огонь из стрелкового оружия по позициям у Сотка, сообщило Минобороны Армении.\n\n\
             В среду участники акции протеста пропустили по Лачинскому коридору колонну машин Красного Креста.",
        );
        let found: Vec<(&str, Vec<&str>)> = d.iter().map(|d| (d.claimant.value.party.as_str(), types(d))).collect();
        // The headline's fire is the text's fire from small arms, told more closely; the
        // outlet's own paragraph is the outlet's.
        assert_eq!(found, vec![("ARM", vec!["small_arms_fire"]), ("MEDIA", vec!["corridor_opening"])], "{d:#?}");
        // A title that is the body's own statement still makes it the author, naming the
        // event or not.
        for title in [
            "Statement of the Ministry of Defence of the Republic of Armenia",
            "Statement of the Ministry of Defence of the Republic of Armenia on the shelling of Sotk",
        ] {
            let d = read(&format!(
                "{title}\n\nOn November 16, Azerbaijani units opened fire at the Armenian positions near Sotk."
            ));
            assert!(d.iter().all(|d| d.claimant.value.party == "ARM") && !d.is_empty(), "{title}: {d:#?}");
        }
        // A title that denies or accuses another's statement is the outlet's.
        let d = read(
            "Azerbaijan rejects statement of the Armenian Defence Ministry on shelling of Sotk\n\n\
             On November 16, a section of the Lachin corridor was blocked by protesters.",
        );
        assert!(d.iter().any(|d| d.claimant.value.party == "MEDIA" && types(d) == ["corridor_closure"]), "{d:#?}");
        // A headline's drone strike is not the text's fire from small arms.
        let d = read(
            "Armenia reports a drone strike near Sotk\n\n\
             On Tuesday Azerbaijani forces fired on positions near Sotk with small arms, the Armenian Defence Ministry said.",
        );
        assert!(d.iter().any(|d| types(d).contains(&"drone_strike")), "{d:#?}");
    }

    #[test]
    fn a_date_that_opens_the_story_is_no_dateline() {
        // "On December 12, …" and «12 декабря активисты …» tell when the event was; a dateline
        // ("YEREVAN, November 17 -") is ended by a dash or a stop after the places of filing
        // (a_dateline_is_neither_the_events_place_nor_its_date).
        for text in [
            "On November 16, Azerbaijani forces shelled Sotk.",
            "16 ноября азербайджанские военные обстреляли Сотк.",
            "16 ноября (около 14:00) азербайджанские военные обстреляли Сотк.",
            "وفي 16 تشرين الثاني (نوفمبر) قصفت القوات الأذربيجانية سوتك.",
        ] {
            let d = read(text);
            assert_eq!(d.len(), 1, "{text}: {d:#?}");
            assert_eq!(d[0].claimant.value.party, "MEDIA", "{text}");
            assert_eq!(d[0].date.as_ref().map(|w| w.value.date.to_string()).as_deref(), Some("2021-11-16"), "{text}");
        }
        // A date first and an agency's name in brackets is a dateline: Monday dates the event.
        let d =
            read("Nov 16 (Reuters) - Azerbaijani forces shelled Sotk on Monday, the Armenian Defence Ministry said.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].date.as_ref().map(|w| w.value.date.to_string()).as_deref(), Some("2021-11-15"), "{d:#?}");
    }

    #[test]
    fn a_meeting_told_before_and_named_again_as_a_cause_is_no_new_meeting() {
        let d = read(
            "The deputy prime ministers of Armenia and Azerbaijan met in Moscow on Saturday, the Armenian government said.\n\n\
             The Armenian government added that three servicemen returned to Yerevan on Sunday as a result of the agreements reached during the meeting.",
        );
        let kinds: Vec<Vec<&str>> = d.iter().map(types).collect();
        assert_eq!(kinds, vec![vec!["meeting_negotiation"], vec!["prisoner_exchange"]], "{d:#?}");
        // A meeting "at a meeting" is another one.
        let d = read(
            "The deputy prime ministers of Armenia and Azerbaijan met in Moscow on Saturday, the Armenian government said.\n\n\
             The Armenian government said that on Thursday, at a meeting in Brussels, the leaders agreed to the return of prisoners.",
        );
        assert_eq!(d.iter().filter(|d| types(d).contains(&"meeting_negotiation")).count(), 2, "{d:#?}");
        // Named so for the first time, it is news.
        let d = read(
            "The Russian Foreign Ministry said the sides had agreed, following contacts with Moscow, to cease fire.",
        );
        assert!(d.iter().any(|d| types(d).contains(&"meeting_negotiation")), "{d:#?}");
    }

    #[test]
    fn a_body_named_in_another_case_still_speaks() {
        // «В Армии обороны опровергли»: the prepositional case of the listed «Армия обороны».
        let d = read("В Армии обороны опровергли информацию о применении беспилотников.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].claimant.value.party, "NK");
        // Its genitive after another word is no speaker.
        let d = read("ВС Азербайджана обстреляли позиции Армии обороны, сообщило Минобороны Азербайджана.");
        assert_eq!(d[0].claimant.value.party, "AZE", "{d:#?}");
    }

    #[test]
    fn a_convoy_let_through_is_a_passage_opened() {
        for text in [
            "On Tuesday protesters let through a convoy of trucks on the Lachin corridor.",
            "Во вторник участники акции пропустили колонну машин по Лачинскому коридору.",
        ] {
            let d = read(text);
            assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["corridor_opening"]], "{text}: {d:#?}");
        }
    }

    #[test]
    fn a_word_that_reports_is_no_handover() {
        let d = read("Жители продолжают акцию протеста на дороге Шуша – Лачин, передал сегодня Report.");
        assert!(d.iter().all(|d| !types(d).contains(&"prisoner_exchange")), "{d:#?}");
        // "Were handed over", or "handed over" with the servicemen after it, is still the act.
        for text in [
            "Минобороны России сообщило, что армянской стороне переданы пятеро военнослужащих.",
            "Минобороны России сообщило, что Азербайджан передал Армении пятерых военнослужащих.",
        ] {
            let d = read(text);
            assert!(d.iter().any(|d| types(d).contains(&"prisoner_exchange")), "{text}: {d:#?}");
        }
    }

    #[test]
    fn a_lexicon_word_kept_as_its_stem_still_finds_itself() {
        // "authorities" is kept as its stem "author", five letters shorter; "negotiations" as "negoti".
        let d = read("The ethnic Armenian authorities of Nagorno-Karabakh said negotiations were held on Tuesday.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].claimant.value.party, "NK");
        assert_eq!(types(&d[0]), vec!["meeting_negotiation"]);
        // An adverb of a reporting verb is not one: the statement is the ministry's.
        let d = read("The sides reportedly ceased hostilities, the Russian Defence Ministry said.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].claimant.value.party, "RUS");
        assert_eq!(types(&d[0]), vec!["ceasefire_agreed"]);
    }

    #[test]
    fn then_dates_a_statement_by_the_date_given_just_before() {
        let d = read(
            "Обстановка на границе обострилась 13 ноября. Тогда Минобороны Армении сообщило о попытке наступления.",
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].date.as_ref().map(|f| f.value.date), NaiveDate::from_ymd_opt(2021, 11, 13));
        assert_eq!(d[0].date.as_ref().map(|f| f.span.text.as_str()), Some("13 ноября"));
    }

    #[test]
    fn of_several_dates_the_one_by_the_event_is_the_events() {
        // The bulletin's own date, then the day the fire was recorded.
        let d = read(
            "Russian Defence Ministry said in its bulletin of 17 November that peacekeepers recorded on Monday shooting near Shusha.",
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].date.as_ref().map(|f| f.value.date), NaiveDate::from_ymd_opt(2021, 11, 15));
        // Side by side, the calendar date wins over its weekday.
        let d = read("The ICRC said it helped hand over remains of soldiers on Monday, Nov. 16.");
        assert_eq!(d[0].date.as_ref().map(|f| f.value.date), NaiveDate::from_ymd_opt(2021, 11, 16));
    }

    #[test]
    fn losses_announced_and_then_told_with_their_act_are_the_acts_claim() {
        let d = read(
            "Минобороны Армении заявило о ранении двух военнослужащих. Азербайджанские подразделения открыли огонь по армянским позициям, двое военнослужащих получили ранения, сообщили в Минобороны Армении.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["small_arms_fire"]], "{d:#?}");
        assert_eq!(
            d[0].casualties.iter().map(|c| (c.value.kind, c.value.count.min)).collect::<Vec<_>>(),
            [("wounded", Some(2))]
        );
    }

    #[test]
    fn remains_of_the_killed_are_no_new_losses_and_mediation_is_no_meeting() {
        let d = read("The ICRC said the remains of 24 soldiers killed in the fighting were handed over on Monday.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(!types(&d[0]).iter().any(|t| *t == "casualties_report" || *t == "armed_clash"), "{:?}", types(&d[0]));
        // «Тела» alone, the count between it and the dead.
        let d = read("Минобороны России сообщило, что стороны передали друг другу тела около десяти погибших.");
        assert!(d.iter().all(|d| !types(d).contains(&"casualties_report")), "{d:#?}");
        let d = read(
            "Минобороны России сообщило, что при посредничестве миротворцев стороны провели обмен военнопленными.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["prisoner_exchange"]], "{d:#?}");
    }

    #[test]
    fn servicemen_returned_were_exchanged_and_a_side_may_speak() {
        let d = read(
            "The Armenian government said three Armenian servicemen held in Azerbaijan returned to Yerevan on Sunday.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["prisoner_exchange"]], "{d:#?}");
        let d = read("Displaced families returned home on Sunday, the Russian Defence Ministry said.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["displaced_return"]], "{d:#?}");
        let d = read("According to the Armenian side, 40 servicemen remain in Azerbaijani captivity.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].claimant.value.party, "ARM");
        assert_eq!(types(&d[0]), vec!["capture_detention"], "'remain' is no handover of remains");
    }

    #[test]
    fn it_said_keeps_the_speaker_and_missing_soldiers_are_losses() {
        let d = read(
            "Azerbaijan's Defence Ministry denied capturing any positions. It said an Armenian reconnaissance group had tried to advance on Wednesday.",
        );
        assert!(d.iter().all(|d| d.claimant.value.party == "AZE"), "{d:#?}");
        let d = read("The Armenian Defence Ministry said that between five and seven soldiers were missing.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["casualties_report"]], "{d:#?}");
        let d = read("The Russian Foreign Ministry said the two sides had agreed to cease fire from 20:00.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["ceasefire_agreed"]], "{d:#?}");
    }

    #[test]
    fn the_sides_adjective_names_the_speaker_not_the_last_one() {
        let d = read(
            "قالت وزارة الدفاع الأرمينية إن القوات الأذربيجانية قصفت سوتك. وأضافت الوزارة الأذربيجانية أن وحدات من الجيش الأرميني أطلقت النار.",
        );
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].claimant.value.party.as_str(), d[1].claimant.value.party.as_str()), ("ARM", "AZE"));
        assert_eq!(d[1].claimant.value.name, "Azerbaijan");
        assert_eq!(d[1].claimant.span.text, "الوزارة الأذربيجانية");
        // "Armenian" is the forces' adjective, never a speaker of its own.
        let d = read("It said an Armenian reconnaissance group had tried to advance on Wednesday.");
        assert!(d.iter().all(|d| d.claimant.value.party != "ARM"), "{d:#?}");
    }

    #[test]
    fn the_weapon_named_says_what_the_fire_was() {
        let d = read(
            "The Armenian Defence Ministry said Azerbaijani units, using artillery and drones, opened intense fire at Armenian positions.",
        );
        let mut t = types(&d[0]);
        t.sort_unstable();
        assert_eq!(t, ["drone_strike", "shelling"], "{d:#?}");
        let d =
            read("В Баку заявили, что армянские подразделения обстреляли из пулеметов позиции азербайджанской армии.");
        assert_eq!(types(&d[0]), ["small_arms_fire"], "{d:#?}");
        // A toll with no figure right after the act is the act's.
        let d = read(
            "The Armenian Defence Ministry said Azerbaijani forces shelled Sotk on Tuesday. There are dead and wounded on the Armenian side.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["shelling"]], "{d:#?}");
    }

    #[test]
    fn prisoners_exchanged_are_not_captured_anew() {
        let d = read(
            "وأوضحت اللجنة الدولية للصليب الأحمر أن تسعة أسرى أرمن أعيدوا إلى بلادهم مقابل أربعة عسكريين أذربيجانيين.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["prisoner_exchange"]], "{d:#?}");
    }

    #[test]
    fn a_denial_is_dated_by_the_report_it_answers() {
        let d = read(
            "نفت وزارة الدفاع الأذربيجانية، الخميس، أن وحداتها قصفت قرية سوتك. وكانت وزارة الدفاع الأرمينية قد ذكرت، أمس الأربعاء، أن القوات الأذربيجانية قصفت ليل الثلاثاء - الأربعاء أطراف سوتك.",
        );
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].polarity.value, Polarity::Denial);
        assert_eq!(d[0].date.as_ref().map(|f| f.value.date), d[1].date.as_ref().map(|f| f.value.date));
        assert_eq!(d[1].date.as_ref().map(|f| f.value.date), NaiveDate::from_ymd_opt(2021, 11, 16));
        // Fire it names no weapon of is the fire of the report it answers, the one at the place
        // it names before the nearest.
        let d = read(
            "The Azerbaijani Defence Ministry said Armenian units fired mortars at Sotk on Monday. \
             It said Armenian units fired at the Lachin corridor on Tuesday. \
             The Armenian Defence Ministry denied that its units had fired on Sotk.",
        );
        let denial = d.iter().find(|d| d.polarity.value == Polarity::Denial).expect("a denial");
        assert_eq!(types(denial), vec!["shelling"], "{d:#?}");
        assert_eq!(denial.date.as_ref().map(|f| f.value.date), NaiveDate::from_ymd_opt(2021, 11, 15));
        // A weapon the denial names stays its kind of fire.
        let d = read(
            "The Azerbaijani Defence Ministry said Armenian units fired mortars at Sotk on Monday. \
             The Armenian Defence Ministry denied that its units had used machine guns at Sotk.",
        );
        let denial = d.iter().find(|d| d.polarity.value == Polarity::Denial).expect("a denial");
        assert_eq!(types(denial), vec!["small_arms_fire"], "{d:#?}");
    }

    #[test]
    fn an_outlet_speaks_for_itself_but_only_carries_anothers_statement() {
        let d = read("Как сообщал Кавказский узел, 12 ноября азербайджанские активисты перекрыли дорогу у Лачина.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].claimant.value.party, "MEDIA");
        let d = read(
            "The Azerbaijani Foreign Ministry said in a statement carried by Sputnik that 15 prisoners were released on Monday.",
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].claimant.value.party, "AZE");
    }

    #[test]
    fn what_was_said_of_two_days_gives_a_draft_per_day() {
        let d = read(
            "Движение по Лачинскому коридору, приостановленное накануне из-за снегопада, возобновлено сегодня утром, сообщил информационный штаб правительства Нагорного Карабаха.",
        );
        let got: Vec<(Vec<&str>, Option<NaiveDate>)> =
            d.iter().map(|d| (types(d), d.date.as_ref().map(|f| f.value.date))).collect();
        assert_eq!(
            got,
            vec![
                (vec!["corridor_closure"], NaiveDate::from_ymd_opt(2021, 11, 16)),
                (vec!["corridor_opening"], NaiveDate::from_ymd_opt(2021, 11, 17)),
            ],
            "{d:#?}"
        );
    }

    #[test]
    fn a_speaker_recalling_an_event_months_before_makes_no_claim() {
        let d = read("The Armenian Defence Ministry said Azerbaijani forces had shelled Sotk on 12 May 2021.");
        assert!(d.is_empty(), "{d:#?}");
        let d = read("The Armenian Defence Ministry said Azerbaijani forces shelled Sotk on 12 November.");
        assert_eq!(d.len(), 1, "{d:#?}");
    }

    #[test]
    fn an_act_put_in_the_past_war_is_background() {
        let d = read(
            "The Russian Defence Ministry said more than 1,000 people who fled the fighting returned home to blocks damaged by shelling during the war on Monday.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["displaced_return"]], "{d:#?}");
        // The outlet's own sentence naming a past war anywhere is background.
        let d = read(
            "The clashes were stopped with a ceasefire agreement on November 10, by which Azerbaijan regained territories lost in the previous conflicts.",
        );
        assert!(d.is_empty(), "{d:#?}");
        // Without one, a dated account of its own is news; so is one dated by a day of this
        // week that measures against the war, and a return after a flight.
        let d = read("The clashes were stopped on Tuesday by a ceasefire agreement near Sotk.");
        assert_eq!(d.len(), 1, "{d:#?}");
        let d = read("Two Armenian soldiers were killed on Tuesday in the deadliest clashes since the 2020 war.");
        assert_eq!(d.len(), 1, "{d:#?}");
        let d =
            read("Hundreds of people who fled the fighting returned home to Sotk on 15 November, after the 2020 war.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["displaced_return"]], "{d:#?}");
    }

    #[test]
    fn arabic_reporting_verbs_take_no_article_and_a_purpose_is_not_done() {
        // "المحمّلة" is "the loaded (lorries)", not "holding responsible".
        let d = read("قالت وزارة الدفاع الروسية إن الشاحنات المحمّلة بمواد البناء عبرت الممر أمس.");
        assert!(d.iter().all(|d| !types(d).contains(&"ceasefire_violation_accusation")), "{d:#?}");
        // Met "to discuss reopening the road": the meeting happened, the reopening did not.
        let d = read("وقالت قوات حفظ السلام الروسية إن ممثليها عقدوا اليوم اجتماعاً لبحث إعادة فتح الطريق.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["meeting_negotiation"]], "{d:#?}");
        // Advanced and took a position: one claim, the taking.
        let d = read("وأضاف البيان أن وحدات أذربيجانية تقدمت خلال الليلة الماضية وسيطرت على موقع متقدم.");
        assert!(d.iter().all(|d| types(d) == ["position_seized"]), "{d:#?}");
    }

    #[test]
    fn a_provocation_is_an_accusation_unless_a_denial_calls_a_report_one() {
        let d = read(
            "The Armenian Defence Ministry said Azerbaijani forces shelled Sotk on Tuesday. This provocation was unleashed by the leadership of Azerbaijan.",
        );
        assert!(d.iter().any(|d| types(d).contains(&"ceasefire_violation_accusation")), "{d:#?}");
        let d = read("Минобороны Азербайджана опровергло сообщение об обстреле, назвав его провокацией.");
        assert!(d.iter().all(|d| !types(d).contains(&"ceasefire_violation_accusation")), "{d:#?}");
    }

    #[test]
    fn one_speakers_account_told_in_more_detail_is_one_draft() {
        let d = read(
            "Azerbaijan's Defence Ministry said Armenian units fired at its positions on Tuesday. According to the ministry, the positions came under fire from machine guns and sniper rifles.",
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        let mut t = types(&d[0]);
        t.sort_unstable();
        assert_eq!(t, ["small_arms_fire", "sniper_fire"]);
        // One's own losses and the other side's are two accounts.
        let d = read(
            "The Armenian Defence Ministry said one soldier was killed on Tuesday. The ministry added that the enemy suffered heavy losses, with 20 Azerbaijani soldiers killed.",
        );
        assert_eq!(d.len(), 2, "{d:#?}");
    }

    #[test]
    fn a_toll_next_to_its_act_goes_on_the_act_and_a_cause_first_toll_is_a_loss_report() {
        let d = read(
            "The ministry of defence of Azerbaijan said Armenian units fired mortars at Alibayli on Tuesday. Two civilians were wounded.",
        );
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["shelling"]], "{d:#?}");
        assert_eq!(
            d[0].casualties.iter().map(|c| (c.value.kind, c.value.count.min)).collect::<Vec<_>>(),
            [("wounded", Some(2))]
        );
        let d =
            read("В результате боев с вооруженными силами Азербайджана есть погибший, подтвердило Минобороны Армении.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["casualties_report"]], "{d:#?}");
    }

    #[test]
    fn an_undated_account_of_an_event_takes_the_date_of_that_event() {
        let d = read(
            "The Armenian government said on Saturday that talks were held.\n\nThe Office added that three Armenian servicemen returned to Yerevan on Sunday.\n\nAzerbaijan's Defence Ministry confirmed that it had handed over the three men.",
        );
        let last = d.last().expect("drafts");
        assert_eq!(types(last), ["prisoner_exchange"]);
        assert_eq!(last.date.as_ref().map(|f| f.value.date), NaiveDate::from_ymd_opt(2021, 11, 14));
    }

    #[test]
    fn an_undated_title_told_again_by_the_text_is_no_draft_of_its_own() {
        let d = read(
            "Armenia says Azerbaijan seized two positions\n\nArmenia said on Thursday that Azerbaijani troops had seized two of its positions on Tuesday.",
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].date.as_ref().map(|f| f.value.date), NaiveDate::from_ymd_opt(2021, 11, 16));
        // A title the text does not tell again stays.
        let d = read("Armenia says Azerbaijan seized two positions\n\nThe weather was cold.");
        assert_eq!(d.len(), 1, "{d:#?}");
    }

    #[test]
    fn an_accusation_of_a_named_act_is_a_claim_of_that_act() {
        let d = read("واتهمت وزارة الدفاع الأذربيجانية القوات الأرمينية بإطلاق النار على مواقع الجيش الأذربيجاني.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["small_arms_fire"]], "{d:#?}");
        let d = read("Azerbaijan accused Armenia of deliberately escalating the situation.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["ceasefire_violation_accusation"]], "{d:#?}");
    }

    #[test]
    fn a_russian_reflexive_verb_is_not_the_verb_it_is_made_from() {
        // «вернулись» (came back) is a return; «вернули» (gave back) an exchange.
        let d = read("По данным Минобороны России, в Нагорный Карабах вернулись более 34 тыс. беженцев.");
        assert_eq!(d.iter().map(types).collect::<Vec<_>>(), vec![vec!["displaced_return"]], "{d:#?}");
    }

    #[test]
    fn weekdays_and_months_are_matched_only_in_the_forms_listed() {
        // «среди» ("among") begins like «среду» (Wednesday) and is no date.
        let d = read("Минобороны Армении сообщило, что среди личного состава есть погибшие.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].date.as_ref().map(|f| f.value.date), NaiveDate::from_ymd_opt(2021, 11, 17));
        assert!(d[0].date.as_ref().is_some_and(|f| f.span.text.is_empty()), "{:?}", d[0].date);
    }

    #[test]
    fn a_denial_is_kept_as_a_denial_with_its_words() {
        let d = read("Минобороны Азербайджана опровергло информацию об обстреле армянских позиций.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].claimant.value.party, "AZE");
        assert_eq!(d[0].polarity.value, Polarity::Denial);
        assert_eq!(d[0].polarity.span.text, "опровергло");
    }

    #[test]
    fn the_speaker_carries_over_to_what_it_added() {
        let d =
            read("أعلنت وزارة الدفاع الأرمينية اليوم مقتل جنديين. وأضافت الوزارة أن القوات الأذربيجانية قصفت مواقعها.");
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().all(|d| d.claimant.value.party == "ARM"), "{d:#?}");
        assert_eq!(types(&d[1]), vec!["shelling"]);
        assert!(d[1].claimant.confidence < d[0].claimant.confidence, "a carried speaker is less sure");
    }

    #[test]
    fn a_toll_given_before_the_act_it_came_from_is_a_report_of_losses() {
        for text in [
            "Six soldiers were killed in clashes on the border, the Armenian Defence Ministry said.",
            // The cause a word or two before the act.
            "Six soldiers were killed in the heavy fighting on the border, the Armenian Defence Ministry said.",
            "Armenian Defence Ministry announces six dead at border fighting on Nov 16",
        ] {
            let d = read(text);
            assert_eq!(types(&d[0]), vec!["casualties_report"], "{text}");
        }
        // The act first, then its toll: the act's claim carries it.
        let d =
            read("The Armenian Defence Ministry said Azerbaijani forces shelled the village, killing two civilians.");
        assert_eq!(types(&d[0]), vec!["shelling"]);
        assert_eq!(d[0].casualties[0].value.kind, "killed");
        // Losses without a figure, told later by the speaker of the day's act, add nothing.
        let d = read(
            "On 16 November Azerbaijani forces shelled Armenian positions near Sotk, the Armenian Defence Ministry said.\n\n\
             The ministry said that this provocation was unleashed by Azerbaijan.\n\n\
             The ministry said that there are dead and wounded on the Armenian side.",
        );
        assert!(d.iter().all(|d| !types(d).contains(&"casualties_report")), "{d:#?}");
        // Captives taken in the act go on its claim too.
        let d = read(
            "The Armenian Defence Ministry said Azerbaijani forces attempted to invade the country near Sotk, one soldier was killed and 13 were captured.",
        );
        assert_eq!(types(&d[0]), vec!["incursion"], "{d:#?}");
        assert!(d[0].casualties.iter().any(|c| c.value.kind == "captured"), "{d:#?}");
        // Without a figure the capture stays a claim beside the act.
        let d = read(
            "The Armenian Defence Ministry said Azerbaijani troops opened fire near Sotk and abducted a serviceman.",
        );
        assert!(d.iter().any(|d| types(d).contains(&"capture_detention")), "{d:#?}");
    }

    #[test]
    fn the_outlets_own_account_is_kept_for_a_recent_event_only() {
        let d = read("A section of the Lachin corridor was blocked on Tuesday by a group of protesters.");
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!((d[0].claimant.value.party.as_str(), types(&d[0])), ("MEDIA", vec!["corridor_closure"]));
        assert_eq!(d[0].date.as_ref().map(|w| w.value.date.to_string()).as_deref(), Some("2021-11-16"));
        // A region's name is flagged less precise than a settlement's, not ambiguous.
        assert_eq!(d[0].place.as_ref().map(|p| p.value.ambiguous), Some(false));
        let background = read("The road was blocked on 12 December 2020 for three weeks.");
        assert!(background.is_empty(), "background is no claim: {background:#?}");
    }

    #[test]
    fn a_dateline_is_neither_the_events_place_nor_its_date() {
        let d = read(
            "YEREVAN, November 17 - Azerbaijani forces shelled Sotk on Tuesday, the Armenian Defence Ministry said.",
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].place.as_ref().map(|p| p.value.places.clone()), Some(vec!["sotk".to_string()]));
        assert_eq!(d[0].date.as_ref().map(|w| w.value.date.to_string()).as_deref(), Some("2021-11-16"));
    }

    #[test]
    fn one_statement_said_twice_is_one_draft() {
        let d = read(
            "The Armenian Defence Ministry said Azerbaijani forces shelled Sotk on Tuesday.\n\nAzerbaijani forces shelled Sotk on Tuesday, the Armenian Defence Ministry said in a statement.",
        );
        assert_eq!(d.len(), 1, "{d:#?}");
    }
}
