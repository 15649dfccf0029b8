//! Property tests: the tokenizer never panics and its tokens plus trailing
//! spaces rebuild the input exactly, on arbitrary Unicode text.

mod tok_common;

use dossier_analyze::lexeme::Lexicon;
use dossier_analyze::tokenizer::Tokenizer;
use proptest::prelude::*;
use std::sync::OnceLock;

fn model() -> Option<&'static (Tokenizer, Lexicon)> {
    static M: OnceLock<Option<(Tokenizer, Lexicon)>> = OnceLock::new();
    M.get_or_init(|| {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_core_web_sm");
        if !dir.exists() {
            println!(
                "SKIPPED: model dir {} not found (run scripts/fetch-model.sh)",
                dir.display()
            );
            return None;
        }
        Some((
            Tokenizer::load(&dir).expect("load tokenizer"),
            Lexicon::load(&dir).expect("load lexicon"),
        ))
    })
    .as_ref()
}

/// Characters that exercise the rules: spaces of all kinds, punctuation the
/// affix rules name, quotes, digits, letters of several scripts, emoji.
const INTERESTING: &[char] = &[
    ' ', ' ', ' ', '\n', '\t', '\r', '\u{a0}', '\u{2009}', '\u{1c}', '\u{85}', '\u{2028}', '.',
    ',', ':', ';', '!', '?', '\'', '"', '’', '‘', '“', '”', '(', ')', '[', ']', '-', '–', '—', '/',
    '$', '€', '%', '&', '@', '#', '+', '*', '^', '<', '>', '=', '…', '°', '²', 'a', 'e', 's', 't',
    'n', 'A', 'S', 'U', 'x', '0', '1', '9', 'é', 'ß', 'İ', 'Σ', 'ς', 'ж', 'ع', '٣', '中', '😀',
    '\u{301}', '\u{200d}',
];

fn text_strategy() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => proptest::sample::select(INTERESTING),
        1 => any::<char>(),
    ];
    proptest::collection::vec(ch, 0..80).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn tokens_rebuild_the_text(text in text_strategy()) {
        let Some((tok, lex)) = model() else { return Ok(()) };
        let toks = tok.tokenize(&text);
        let mut rebuilt = String::with_capacity(text.len());
        let mut pos = 0;
        for t in &toks {
            prop_assert_eq!(t.start, pos, "tokens are contiguous");
            prop_assert!(t.end > t.start, "tokens are not empty");
            rebuilt.push_str(&text[t.start..t.end]);
            pos = t.end;
            if t.whitespace {
                rebuilt.push(' ');
                pos += 1;
            }
        }
        prop_assert_eq!(rebuilt, text.clone());
        // Attributes compute without panicking on the same tokens.
        prop_assert_eq!(lex.attrs_all(&text, &toks).len(), toks.len());
    }
}
