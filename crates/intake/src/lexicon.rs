//! Language data: the words that name speakers, reporting, events, counts and dates, read
//! from `data/{lang}.toml` and the scenario's actors file, and found in a sentence's words.
//!
//! Every phrase is folded as the text is. A lexicon word matches a text word when they are
//! equal, or when the lexicon word has four letters or more and the text word only adds a
//! few letters at its end (the language's `suffix`): «сообщил» finds «сообщило», "clash"
//! finds "clashes". In Arabic a text word may also carry the proclitics و ف, ب ل ك and the
//! article ال: "والاشتباكات" is found by "اشتباكات".

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

use crate::Lang;

/// What a phrase of the lexicon says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum What {
    /// A reporting verb or expression ("announced", «сообщило», "أعلنت").
    Say,
    /// A denial.
    Deny,
    /// An accusation ("accused").
    Accuse,
    /// A reporting expression that keeps the last speaker ("it added").
    Continue,
    /// A generic name of a speaker already named ("the ministry").
    Anaphora,
    /// A negation ("no", «без», "لم").
    Negation,
    /// A name of the truce itself ("ceasefire", "وقف إطلاق النار"): no event.
    Neutral,
    /// A future or an obligation ("will", «будут», "سيتم", "provides for"): what follows is
    /// foreseen, not reported.
    Future,
    /// Words that put an act in the past war ("during the war", "who fled"): background.
    Past,
    /// Words that put an act in others' reports ("after reports of", «после сообщений о»):
    /// the speaker answers them, and does not claim it.
    Hearsay,
    /// Words of an appeal ("urged … to", «призвал», "دعت"): an act named in what the speaker
    /// asks of others is the appeal's object, not a report.
    Appeal,
    /// Words that end an appeal's object: a new clause ("after", «после того как», "بعد أن").
    AppealEnd,
    /// "Refrain from" («воздержаться от», "الامتناع عن"): like a negation, and a provocation
    /// after it is no accusation.
    Refrain,
    /// Words that name a body's own statement in a title ("Statement of the Ministry of
    /// Defence", «Заявление», "بيان").
    Statement,
    /// "provocation": an accusation of breaking the truce, unless it qualifies a report
    /// being denied ("an information provocation").
    Provocation,
    /// Casualties of a kind.
    Casualty(Casualty),
    /// The speaker's own people ("its soldiers").
    Own,
    /// Combat positions ("two positions lost").
    Positions,
    /// Servicemen, prisoners ("three servicemen returned" is an exchange, not a return of
    /// the displaced).
    Servicemen,
    /// Fire that names no weapon ("opened fire"): beside a weapon named, the weapon says what
    /// the fire was.
    GenericFire,
    /// A word before the act a toll came from ("in", «в ходе», "جراء").
    Cause,
    /// A gazetteer name: its index in [`Lexicon::place_names`].
    Place(u32),
    /// An event trigger: the index of its event type in [`Lexicon::event_types`].
    Trigger(u16),
    /// A number word with its value.
    Unit(u32),
    /// A vague quantity with its bounds (max 0: none).
    Vague(u32, u32),
    /// "about".
    About,
    /// "more than".
    MoreThan,
    /// "less than".
    LessThan,
    /// "to", "-" between two numbers.
    RangeSep,
    /// "between", "from" before two numbers.
    RangeStart,
    /// An Arabic dual: two of something.
    Dual,
    /// A month.
    Month(u8),
    /// A weekday, 1 = Monday.
    Weekday(u8),
    /// Today.
    Today,
    /// Yesterday.
    Yesterday,
    /// The day before yesterday.
    DayBeforeYesterday,
    /// Tomorrow.
    Tomorrow,
    /// "the night of" (a night is dated by the morning it ends in).
    NightOf,
    /// "the night into" («в ночь на 18 мая», "overnight into Tuesday"): the night that ends
    /// on the day named, dated by the evening it began.
    NightInto,
    /// "then", «тогда», "حينها": the time of what the text told just before.
    Then,
    /// An actor of the scenario: its index in [`Actors::actors`].
    Actor(u16),
}

impl What {
    /// Phrases matched only as listed, without stems or added letters: months and weekdays
    /// (listed in every form; «среду» cut to «сред» would find «среди», "among"), the words
    /// that end an appeal and those that name a statement («после» cut to «посл» would find
    /// «послов», "ambassadors").
    fn as_listed(self) -> bool {
        matches!(self, What::Month(_) | What::Weekday(_) | What::AppealEnd | What::Statement)
    }
}

/// Kinds of casualty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Casualty {
    /// Killed.
    Killed,
    /// Wounded.
    Wounded,
    /// Captured or detained.
    Captured,
    /// Missing.
    Missing,
}

/// One phrase, folded into words.
#[derive(Debug, Clone)]
struct Entry {
    /// Folded words, Russian and English ones as their stems.
    words: Vec<String>,
    /// The words as listed (folded): a text word equal to one always matches.
    listed: Vec<String>,
    what: What,
}

/// A phrase found in a sentence: which words, and what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Index of its first word in the sentence.
    pub start: usize,
    /// Index after its last word.
    pub end: usize,
    /// What it says.
    pub what: What,
}

/// The language data of one language, with the scenario's actors.
#[derive(Debug)]
pub struct Lexicon {
    /// Its language.
    pub lang: Lang,
    suffix: usize,
    entries: Vec<Entry>,
    /// Entries by the first three letters of their first word (the whole word if shorter).
    index: HashMap<String, Vec<u32>>,
    /// Event type ids, as triggers name them.
    pub event_types: Vec<String>,
    /// The places each gazetteer name may mean (more than one: ambiguous).
    pub place_names: Vec<Vec<String>>,
    /// Whether each name is a region's (a district, a region, a sector: less precise than
    /// a settlement or a height).
    pub place_regions: Vec<bool>,
}

pub use truce_core::scenario::{IntakeActor as Actor, IntakeActorKind as ActorKind};

/// A name of a gazetteer place.
#[derive(Debug, Clone)]
pub struct PlaceName {
    /// The place's id.
    pub id: String,
    /// One of its names.
    pub name: String,
    /// A district, region or sector rather than a settlement or a height.
    pub region: bool,
}

/// The actors of a scenario (its `intake-actors.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct Actors {
    /// Every actor.
    pub actors: Vec<Actor>,
}

impl Actors {
    /// Reads an actors file (the scenario loader reads it the same way).
    pub fn from_toml(s: &str) -> Result<Actors, String> {
        let a: Actors = toml::from_str(s).map_err(|e| format!("actors file: {e}"))?;
        for (i, actor) in a.actors.iter().enumerate() {
            if actor.party.trim().is_empty() {
                return Err(format!("actors[{i}].party: is empty"));
            }
        }
        Ok(a)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    lang: String,
    suffix: usize,
    /// Words of fire that name no weapon ("opened fire", «обстреляли», "أطلقت النار").
    generic_fire: Vec<String>,
    reporting: Reporting,
    casualties: Casualties,
    triggers: Vec<Trigger>,
    numbers: Numbers,
    dates: Dates,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reporting {
    say: Vec<String>,
    deny: Vec<String>,
    accuse: Vec<String>,
    #[serde(rename = "continue")]
    continues: Vec<String>,
    anaphora: Vec<String>,
    negation: Vec<String>,
    neutral: Vec<String>,
    future: Vec<String>,
    past: Vec<String>,
    hearsay: Vec<String>,
    appeal: Vec<String>,
    appeal_end: Vec<String>,
    refrain: Vec<String>,
    statement: Vec<String>,
    provocation: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Casualties {
    killed: Vec<String>,
    wounded: Vec<String>,
    captured: Vec<String>,
    missing: Vec<String>,
    own: Vec<String>,
    positions: Vec<String>,
    cause: Vec<String>,
    servicemen: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Trigger {
    event_type: String,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Numbers {
    units: BTreeMap<String, u32>,
    #[serde(default)]
    duals: Vec<String>,
    vague: BTreeMap<String, [u32; 2]>,
    about: Vec<String>,
    more_than: Vec<String>,
    less_than: Vec<String>,
    range: Vec<String>,
    range_start: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Dates {
    months: BTreeMap<String, u8>,
    weekdays: BTreeMap<String, u8>,
    today: Vec<String>,
    yesterday: Vec<String>,
    day_before_yesterday: Vec<String>,
    tomorrow: Vec<String>,
    night_of: Vec<String>,
    night_into: Vec<String>,
    then: Vec<String>,
}

/// The folded words of a phrase.
fn words_of(phrase: &str) -> Vec<String> {
    let folded = crate::normal::Normalized::new(phrase).text;
    let mut out = Vec::new();
    for s in crate::segment::sentences(&folded) {
        out.extend(s.words.iter().map(|w| w.text.to_owned()));
    }
    // A lone "-" is a word of its own in a range.
    if out.is_empty() && phrase.trim() == "-" {
        out.push("-".into());
    }
    out
}

fn key(word: &str) -> String {
    word.chars().take(3).collect()
}

impl Lexicon {
    /// Reads a language file and adds the actors' names in that language and every name of
    /// the gazetteer's places (`(place id, name)`; names shorter than four letters are left
    /// out, as too likely to be ordinary words).
    pub fn new(data: &str, actors: &Actors, places: &[PlaceName]) -> Result<Lexicon, String> {
        let f: File = toml::from_str(data).map_err(|e| format!("language file: {e}"))?;
        let lang =
            Lang::parse(&f.lang).ok_or_else(|| format!("language file: lang {:?} is not ar, ru or en", f.lang))?;
        let mut entries = Vec::new();
        let mut add = |phrases: &[String], what: What| {
            for p in phrases {
                let words = words_of(p);
                if !words.is_empty() {
                    entries.push(Entry { listed: words.clone(), words, what });
                }
            }
        };
        add(&f.reporting.say, What::Say);
        add(&f.reporting.deny, What::Deny);
        add(&f.reporting.accuse, What::Accuse);
        add(&f.reporting.continues, What::Continue);
        add(&f.reporting.anaphora, What::Anaphora);
        add(&f.reporting.negation, What::Negation);
        add(&f.reporting.neutral, What::Neutral);
        add(&f.reporting.future, What::Future);
        add(&f.reporting.past, What::Past);
        add(&f.reporting.hearsay, What::Hearsay);
        add(&f.reporting.appeal, What::Appeal);
        add(&f.reporting.appeal_end, What::AppealEnd);
        add(&f.reporting.refrain, What::Refrain);
        add(&f.reporting.statement, What::Statement);
        add(&f.reporting.provocation, What::Provocation);
        add(&f.casualties.killed, What::Casualty(Casualty::Killed));
        add(&f.casualties.wounded, What::Casualty(Casualty::Wounded));
        add(&f.casualties.captured, What::Casualty(Casualty::Captured));
        add(&f.casualties.missing, What::Casualty(Casualty::Missing));
        add(&f.casualties.own, What::Own);
        add(&f.casualties.positions, What::Positions);
        add(&f.casualties.cause, What::Cause);
        add(&f.casualties.servicemen, What::Servicemen);
        add(&f.generic_fire, What::GenericFire);
        let mut event_types = Vec::new();
        for t in &f.triggers {
            let i = event_types.iter().position(|e| e == &t.event_type).unwrap_or_else(|| {
                event_types.push(t.event_type.clone());
                event_types.len() - 1
            });
            add(&t.phrases, What::Trigger(u16::try_from(i).map_err(|_| "too many event types".to_string())?));
        }
        for (w, v) in &f.numbers.units {
            add(std::slice::from_ref(w), What::Unit(*v));
        }
        add(&f.numbers.duals, What::Dual);
        for (w, [lo, hi]) in &f.numbers.vague {
            add(std::slice::from_ref(w), What::Vague(*lo, *hi));
        }
        add(&f.numbers.about, What::About);
        add(&f.numbers.more_than, What::MoreThan);
        add(&f.numbers.less_than, What::LessThan);
        add(&f.numbers.range, What::RangeSep);
        add(&f.numbers.range_start, What::RangeStart);
        for (w, m) in &f.dates.months {
            if !(1..=12).contains(m) {
                return Err(format!("language file: month {w:?} is {m}, not 1-12"));
            }
            add(std::slice::from_ref(w), What::Month(*m));
        }
        for (w, d) in &f.dates.weekdays {
            if !(1..=7).contains(d) {
                return Err(format!("language file: weekday {w:?} is {d}, not 1-7"));
            }
            add(std::slice::from_ref(w), What::Weekday(*d));
        }
        add(&f.dates.today, What::Today);
        add(&f.dates.yesterday, What::Yesterday);
        add(&f.dates.day_before_yesterday, What::DayBeforeYesterday);
        add(&f.dates.tomorrow, What::Tomorrow);
        add(&f.dates.night_of, What::NightOf);
        add(&f.dates.night_into, What::NightInto);
        add(&f.dates.then, What::Then);
        for (i, a) in actors.actors.iter().enumerate() {
            let i = u16::try_from(i).map_err(|_| "too many actors".to_string())?;
            add(a.names.get(lang.as_str()).map_or(&[][..], Vec::as_slice), What::Actor(i));
        }
        // One entry per distinct folded name, with every place it may mean.
        let mut by_name: BTreeMap<Vec<String>, (Vec<String>, bool)> = BTreeMap::new();
        for p in places {
            let words = words_of(&p.name);
            if words.iter().map(|w| w.chars().count()).sum::<usize>() < 4 {
                continue;
            }
            let (ids, region) = by_name.entry(words).or_insert((Vec::new(), true));
            if !ids.contains(&p.id) {
                ids.push(p.id.clone());
            }
            *region &= p.region;
        }
        let mut place_names = Vec::with_capacity(by_name.len());
        let mut place_regions = Vec::with_capacity(by_name.len());
        for (words, (ids, region)) in by_name {
            entries.push(Entry {
                listed: words.clone(),
                words,
                what: What::Place(u32::try_from(place_names.len()).map_err(|_| "too many places")?),
            });
            place_names.push(ids);
            place_regions.push(region);
        }
        // Russian and English words are matched by their Snowball stems: «министерство»
        // finds «министерстве», "shelling" finds "shelled".
        let stemmer = match lang {
            Lang::Ru => Some(rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Russian)),
            Lang::En => Some(rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English)),
            Lang::Ar => None,
        };
        if let Some(stemmer) = &stemmer {
            for e in entries.iter_mut().filter(|e| !e.what.as_listed()) {
                for w in e.words.iter_mut() {
                    // A Russian reflexive verb stays whole: its stem would lose what tells it
                    // from the verb it is made from (see `word_matches`).
                    let reflexive = lang == Lang::Ru && (w.ends_with("сь") || w.ends_with("ся"));
                    if w.chars().count() >= 5 && !reflexive {
                        let stem = stemmer.stem(w).into_owned();
                        // Only a stem the word starts with ("twenty" stems to "twenti").
                        if stem.chars().count() >= 4 && w.starts_with(&stem) {
                            *w = stem;
                        }
                    }
                }
            }
        }
        let mut index: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            index.entry(key(&e.words[0])).or_default().push(i as u32);
        }
        Ok(Lexicon { lang, suffix: f.suffix, entries, index, event_types, place_names, place_regions })
    }

    /// The forms under which a text word may match a lexicon word: itself, and in Arabic
    /// without its proclitics; each with whether the article (ال) was taken off it.
    fn forms<'w>(&self, word: &'w str) -> Vec<(&'w str, bool)> {
        let mut out = vec![(word, false)];
        if self.lang != Lang::Ar {
            return out;
        }
        let strip = |w: &'w str, p: &str| w.strip_prefix(p).filter(|r| r.chars().count() >= 2);
        let mut stems = vec![word];
        if let Some(r) = strip(word, "و").or_else(|| strip(word, "ف")) {
            stems.push(r);
        }
        for s in stems.clone() {
            for p in ["ب", "ل", "ك"] {
                if let Some(r) = strip(s, p) {
                    stems.push(r);
                }
            }
        }
        let mut stems: Vec<(&'w str, bool)> = stems.into_iter().map(|s| (s, false)).collect();
        for (s, _) in stems.clone() {
            if let Some(r) = strip(s, "ال") {
                stems.push((r, true));
            }
            // ل + ال is written لل.
            if let Some(r) = strip(s, "لل") {
                stems.push((r, true));
            }
        }
        for s in stems {
            if !out.iter().any(|(o, _)| *o == s.0) {
                out.push(s);
            }
        }
        out
    }

    fn word_matches(&self, lex: &str, form: &str, what: What) -> bool {
        if form == lex {
            return true;
        }
        // Names take only case endings («Лачина», «Шуше»), and only in Russian.
        let suffix = match what {
            What::Place(_) if self.lang == Lang::Ru => 2,
            What::Place(_) => 0,
            w if w.as_listed() => 0,
            _ => self.suffix,
        };
        let n = lex.chars().count();
        if n < 4 || !form.starts_with(lex) {
            return false;
        }
        // A Russian reflexive verb is another verb: «вернулись» (came back) is not «вернули»
        // (gave back).
        if self.lang == Lang::Ru && (form.ends_with("сь") || form.ends_with("ся")) && !lex.ends_with(['ь', 'я']) {
            return false;
        }
        if form.chars().count() - n <= suffix {
            return true;
        }
        // Lexicon words of Russian and English are kept as their Snowball stems, which may be
        // shorter than the word by more than `suffix` letters ("authorities" is "author",
        // "negotiations" "negoti"): a text word with that stem is the word itself.
        let algorithm = match self.lang {
            // An adverb shares its verb's stem but is not the verb: "reportedly" reports nothing.
            Lang::En if form.ends_with("ly") => return false,
            Lang::En => rust_stemmers::Algorithm::English,
            Lang::Ru => rust_stemmers::Algorithm::Russian,
            Lang::Ar => return false,
        };
        // Not for reporting words, whose stems the nouns of the trade share ("reporters",
        // "statements"): they are listed in the forms that report.
        !what.as_listed()
            && !matches!(what, What::Place(_) | What::Say | What::Deny | What::Accuse | What::Continue | What::Anaphora)
            && rust_stemmers::Stemmer::create(algorithm).stem(form) == lex
    }

    fn phrase_at(&self, e: &Entry, forms: &[Vec<(&str, bool)>], at: usize) -> bool {
        // A reporting verb or participle never takes the article: "المحملة" is "the loaded",
        // not "holding responsible".
        let verb = matches!(e.what, What::Say | What::Deny | What::Accuse | What::Continue);
        e.words.iter().zip(&e.listed).enumerate().all(|(j, (lex, listed))| {
            forms.get(at + j).is_some_and(|fs| {
                fs.iter().any(|&(f, article)| !(verb && article) && (f == listed || self.word_matches(lex, f, e.what)))
            })
        })
    }

    /// Every phrase found in `words`, the longest of each kind at each position.
    pub fn find(&self, words: &[&str]) -> Vec<Found> {
        let forms: Vec<Vec<(&str, bool)>> = words.iter().map(|w| self.forms(w)).collect();
        let mut out: Vec<Found> = Vec::new();
        let mut reporting: Vec<usize> = Vec::new();
        for at in 0..words.len() {
            let mut here: Vec<Found> = Vec::new();
            let mut seen: Vec<u32> = Vec::new();
            let mut reports = false;
            for &(form, article) in &forms[at] {
                let Some(ids) = self.index.get(&key(form)) else { continue };
                for &id in ids {
                    let e = &self.entries[id as usize];
                    reports |= matches!(e.what, What::Say | What::Deny)
                        && !article
                        && e.listed.len() == 1
                        && e.listed[0] == form;
                    if seen.contains(&id) {
                        continue;
                    }
                    seen.push(id);
                    if self.phrase_at(e, &forms, at) {
                        let f = Found { start: at, end: at + e.words.len(), what: e.what };
                        match here.iter_mut().find(|h| h.what == f.what) {
                            Some(h) if h.end < f.end => *h = f,
                            Some(_) => {}
                            None => here.push(f),
                        }
                    }
                }
            }
            if reports {
                reporting.push(at);
            }
            out.extend(here);
        }
        // A word that reports, as listed ("передал ТАСС", where "передал" may also be
        // "handed over"), reports: it is no event, unless servicemen or prisoners follow it
        // ("передал Армении пятерых военнослужащих").
        let handed = |at: usize| out.iter().any(|f| f.what == What::Servicemen && f.start > at && f.start <= at + 4);
        let reported: Vec<usize> = reporting.into_iter().filter(|&at| !handed(at)).collect();
        out.retain(|f| !(matches!(f.what, What::Trigger(_)) && f.end == f.start + 1 && reported.contains(&f.start)));
        out
    }
}

/// What the unit tests of the readers need: a language's lexicon without actors or places,
/// and the first sentence of a text, folded, as words and gaps.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// A language's lexicon with no actors and no places.
    pub(crate) fn bare(lang: &str) -> Lexicon {
        let data = match lang {
            "ar" => include_str!("../data/ar.toml"),
            "ru" => include_str!("../data/ru.toml"),
            _ => include_str!("../data/en.toml"),
        };
        Lexicon::new(data, &Actors { actors: Vec::new() }, &[]).expect("lexicon")
    }

    /// Folds `text` and gives its first sentence's words and gaps to `f`, with the phrases
    /// the lexicon of `lang` finds in them.
    pub(crate) fn first_sentence<T>(lang: &str, text: &str, f: impl FnOnce(&[&str], &[&str], &[Found]) -> T) -> T {
        let lex = bare(lang);
        let folded = crate::normal::Normalized::new(text).text;
        let s = crate::segment::sentences(&folded).remove(0);
        let words: Vec<&str> = s.words.iter().map(|w| w.text).collect();
        let gaps = crate::extract::gaps(&folded, &s);
        f(&words, &gaps, &lex.find(&words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(lang: &str) -> Lexicon {
        let actors = Actors::from_toml(include_str!("../../../scenarios/nagorno-karabakh-2020/intake-actors.toml"))
            .expect("actors");
        let data = match lang {
            "ar" => include_str!("../data/ar.toml"),
            "ru" => include_str!("../data/ru.toml"),
            _ => include_str!("../data/en.toml"),
        };
        Lexicon::new(data, &actors, &[PlaceName { id: "kilisali".into(), name: "جبل كيليسالي".into(), region: false }])
            .expect("lexicon")
    }

    fn found(lang: &str, text: &str) -> Vec<What> {
        let l = lexicon(lang);
        let folded = crate::normal::Normalized::new(text).text;
        let s = crate::segment::sentences(&folded);
        let words: Vec<&str> = s.iter().flat_map(|s| s.words.iter().map(|w| w.text)).collect();
        l.find(&words).into_iter().map(|f| f.what).collect()
    }

    #[test]
    fn a_word_as_listed_finds_itself_and_its_stem_finds_its_forms() {
        // "disinformation" is kept as "disinform", five letters shorter; "authorities" as "author".
        assert!(found("en", "disinformation").contains(&What::Deny));
        assert!(found("en", "the authorities of Nagorno-Karabakh").iter().any(|w| matches!(w, What::Actor(_))));
        // A reporting word's noun is no report: "statements" is not "stated".
        assert!(!found("en", "statements").contains(&What::Say));
        // «среди» ("among") is no Wednesday.
        assert!(!found("ru", "среди").iter().any(|w| matches!(w, What::Weekday(_))));
        assert!(found("ru", "в среду").iter().any(|w| matches!(w, What::Weekday(3))));
    }

    #[test]
    fn every_language_file_reads() {
        for l in ["ar", "ru", "en"] {
            let lex = lexicon(l);
            assert!(lex.event_types.len() >= 15, "{l}");
        }
    }

    #[test]
    fn arabic_words_are_found_under_their_proclitics_and_hamza() {
        let w = found("ar", "والاشتباكات");
        assert!(w.iter().any(|w| matches!(w, What::Trigger(_))), "{w:?}");
        let w = found("ar", "وأعلنت وزارة الدفاع الارمينية");
        assert!(w.contains(&What::Say), "{w:?}");
        assert!(w.iter().any(|w| matches!(w, What::Actor(_))), "{w:?}");
    }

    #[test]
    fn places_are_found_with_their_article_and_proclitics() {
        let w = found("ar", "في منطقة جبل كيليسالي");
        assert!(w.contains(&What::Place(0)), "{w:?}");
    }

    #[test]
    fn russian_inflections_are_found() {
        let w = found("ru", "Минобороны Армении сообщило");
        assert!(w.contains(&What::Say) && w.iter().any(|w| matches!(w, What::Actor(_))), "{w:?}");
    }
}
