//! Any input ends in drafts or a clear error, never a panic: empty, binary, oversized,
//! mixed-script, bidi-marked and unknown-language texts, and arbitrary strings.

use proptest::prelude::*;
use truce_intake::{Intake, IntakeError, Lang, Options};

fn intake() -> Intake {
    Intake::new(include_str!("../../../scenarios/nagorno-karabakh-2020/intake-actors.toml"), &[]).expect("intake")
}

fn published() -> Options {
    Options { published: chrono::NaiveDate::from_ymd_opt(2021, 11, 17), ..Options::default() }
}

#[test]
fn empty_binary_oversized_and_unknown_texts_are_refused_by_name() {
    let i = intake();
    assert_eq!(i.extract(b"", &published()), Err(IntakeError::Empty));
    assert_eq!(i.extract(b" \n\t\n", &published()), Err(IntakeError::Empty));
    assert!(matches!(i.extract(&[0xff, 0xfe, 0x00, 0x41], &published()), Err(IntakeError::Binary(_))));
    assert!(matches!(i.extract(b"PK\x03\x04\x00\x00binary", &published()), Err(IntakeError::Binary(_))));
    let big = "Shelling was reported. ".repeat(50 * 1024 * 1024 / 23);
    let e = i.extract(big.as_bytes(), &published()).expect_err("too large");
    assert!(e.to_string().contains("bytes"), "{e}");
    let e = i.extract("これは日本語の記事です。砲撃があった。".as_bytes(), &published()).expect_err("unknown");
    assert_eq!(e, IntakeError::UnknownLanguage);
    assert!(e.to_string().contains("--lang"), "the error says what to do: {e}");
}

#[test]
fn mixed_scripts_and_bidi_marks_still_give_drafts() {
    let i = intake();
    let text =
        "\u{200F}أعلنت\u{200F} وزارة الدفاع الأرمينية\u{200E} (Armenian MoD) اليوم عن مقتل ٣ جنود في قصف أذربيجاني.";
    let x = i.extract(text.as_bytes(), &published()).expect("reads");
    assert_eq!(x.lang, Lang::Ar);
    let d = x.drafts.first().expect("a draft");
    assert_eq!(d.claimant.value.party, "ARM");
    // Spans are the original words, marks and all.
    assert_eq!(&text[d.claimant.span.start..d.claimant.span.end], d.claimant.span.text);
    assert!(d.casualties.iter().any(|c| c.value.count.value() == Some(3) && c.span.text == "٣"), "{d:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn arbitrary_text_never_panics_and_every_span_is_its_own_text(s in "\\PC{0,400}", lang in 0usize..4) {
        let i = intake();
        let options = Options { lang: [None, Some(Lang::Ar), Some(Lang::Ru), Some(Lang::En)][lang], ..published() };
        if let Ok(x) = i.extract(s.as_bytes(), &options) {
            for d in &x.drafts {
                for span in [&d.claimant.span, &d.statement, &d.polarity.span] {
                    prop_assert!(span.end <= s.len() && span.start <= span.end);
                    prop_assert_eq!(&s[span.start..span.end], span.text.as_str());
                }
            }
        }
    }

    #[test]
    fn news_like_word_salad_never_panics(words in proptest::collection::vec(proptest::sample::select(vec![
        "أعلنت", "وزارة", "الدفاع", "الأرمينية", "أمس", "الثلاثاء", "١٢", "أسرى", "قصف", "Минобороны", "Армении",
        "сообщило", "в", "ночь", "на", "16", "ноября", "трое", "погибли", "between", "5", "and", "7", "soldiers",
        "killed", "yesterday", ",", ".", "\n\n", "-", "/", "تشرين", "الثاني", "more", "than", "dozens", "عشرات",
    ]), 0..80)) {
        let text = words.join(" ");
        let _ = intake().extract(text.as_bytes(), &published());
    }
}

/// The fuzz target's corpus (`fuzz/corpus/extract`, seeds and whatever a fuzzing run kept),
/// replayed on stable: each input ends in drafts or an error.
#[test]
fn the_fuzz_corpus_replays_without_a_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/extract");
    let i = intake();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("input");
        for lang in [None, Some(Lang::Ar), Some(Lang::Ru), Some(Lang::En)] {
            let _ = i.extract(&bytes, &Options { lang, ..published() });
        }
        n += 1;
    }
    assert!(n >= 6, "the seeds are there: {n}");
}
