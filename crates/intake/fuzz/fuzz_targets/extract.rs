//! Any bytes, read as an article in each language and with the language detected: the
//! intake answers with drafts or an error, never a panic, and every span is the text's own.
//! Run: `cargo +nightly fuzz run extract` in crates/intake/fuzz (see docs/intake.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use truce_intake::{Intake, Lang, NaiveDate, Options};

fn intake() -> &'static Intake {
    static INTAKE: OnceLock<Intake> = OnceLock::new();
    INTAKE.get_or_init(|| {
        Intake::new(include_str!("../../../../scenarios/nagorno-karabakh-2020/intake-actors.toml"), &[])
            .expect("the actors file reads")
    })
}

fuzz_target!(|data: &[u8]| {
    let published = NaiveDate::from_ymd_opt(2021, 11, 17);
    for lang in [None, Some(Lang::Ar), Some(Lang::Ru), Some(Lang::En)] {
        let options = Options { published, lang, source: None };
        if let Ok(x) = intake().extract(data, &options) {
            let text = std::str::from_utf8(data).expect("read as text");
            for d in &x.drafts {
                assert_eq!(&text[d.statement.start..d.statement.end], d.statement.text);
                assert_eq!(&text[d.claimant.span.start..d.claimant.span.end], d.claimant.span.text);
            }
        }
    }
});
