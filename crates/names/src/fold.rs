//! Character-level folding: Latin case/diacritics/apostrophes, and Arabic
//! letter normalisation (hamza seats, alef forms, ta marbuta, diacritics).

use unicode_normalization::UnicodeNormalization;

/// Characters that stand for an apostrophe, hamza or ʿayn in Latin
/// transliterations ("Ra'uf", "Ra’uf", "Raʾuf", "Ra`uf" all fold to "rauf").
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '‘' | 'ʿ' | 'ʾ' | 'ʼ' | 'ʻ' | '`' | '´' | '′' | 'ʹ' | 'ˈ'
    )
}

/// Characters that join name parts ("al-Masri", "Abd‐al‐Ra'uf").
pub fn is_hyphen(c: char) -> bool {
    matches!(
        c,
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '_' | '\u{00AD}' | '⁻' | '－'
    )
}

/// Letters that NFD does not decompose but that have an obvious ASCII base.
fn special_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'ı' => "i",
        'ł' | 'Ł' => "l",
        'ø' | 'Ø' => "o",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ß' => "ss",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ħ' | 'Ħ' => "h",
        'þ' | 'Þ' => "th",
        'ŋ' => "ng",
        _ => return None,
    })
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Lowercase, strip diacritics and drop apostrophes: "Ra’ūf" -> "rauf".
/// Hyphens and spaces are kept; other characters pass through lowercased.
pub fn fold_latin(s: &str) -> String {
    // ASCII has nothing to decompose and no special letters: the common
    // case needs no Unicode tables.
    if s.is_ascii() {
        return s
            .bytes()
            .filter(|&b| !is_apostrophe(b as char))
            .map(|b| b.to_ascii_lowercase() as char)
            .collect();
    }
    fold_latin_unicode(s)
}

/// [`fold_latin`] through the Unicode tables, for any text.
fn fold_latin_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining(c) || is_apostrophe(c) {
            continue;
        }
        if let Some(rep) = special_latin(c) {
            out.push_str(rep);
            continue;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
    }
    out
}

/// Fold to the ASCII letters a-z only (hyphens, spaces, digits and anything
/// else removed): the form name parts are compared in.
pub fn fold_letters(s: &str) -> String {
    if s.is_ascii() {
        return s
            .bytes()
            .filter(u8::is_ascii_alphabetic)
            .map(|b| b.to_ascii_lowercase() as char)
            .collect();
    }
    fold_latin(s)
        .chars()
        .filter(|c| c.is_ascii_lowercase())
        .collect()
}

/// [`fold_letters`], borrowing a text that is already folded.
pub fn letters(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii_lowercase()) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(fold_letters(s))
    }
}

pub fn is_arabic_letter(c: char) -> bool {
    matches!(c as u32, 0x0620..=0x064A | 0x066E..=0x06D3 | 0x06D5 | 0x06FA..=0x06FC | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// True when most letters of `s` are Arabic script.
pub fn is_arabic_text(s: &str) -> bool {
    let mut ar = 0usize;
    let mut other = 0usize;
    for c in s.chars() {
        if is_arabic_letter(c) {
            ar += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    ar > 0 && ar >= other
}

/// Normalise Arabic spelling variation that does not change the name: short
/// vowel marks and tatweel dropped, alef/hamza seats unified, alef maqsura to
/// ya, ta marbuta to ha, Persian/Urdu letter shapes to their Arabic twins.
/// Non-Arabic characters pass through.
pub fn normalize_arabic(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // NFKC first maps presentation forms (U+FB50.., U+FE70..) to base letters.
    for c in s.nfkc() {
        let m = match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
            'ى' | 'ی' | 'ې' | 'ۍ' | 'ئ' => 'ي',
            'ؤ' => 'و',
            'ة' | 'ۀ' | 'ە' | 'ہ' | 'ھ' => 'ه',
            'ک' | 'ڪ' => 'ك',
            _ => c,
        };
        out.push(m);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_ascii_shortcut_folds_as_the_unicode_path(s in "[ -~]{0,24}") {
            prop_assert_eq!(fold_latin(&s), fold_latin_unicode(&s));
            let letters_only: String = fold_latin_unicode(&s)
                .chars()
                .filter(|c| c.is_ascii_lowercase())
                .collect();
            prop_assert_eq!(fold_letters(&s), letters_only.clone());
            prop_assert_eq!(letters(&s).into_owned(), letters_only);
        }
    }

    #[test]
    fn latin_apostrophes_and_diacritics_fold() {
        assert_eq!(fold_letters("Ra’uf"), "rauf");
        assert_eq!(fold_letters("Ra'uf"), "rauf");
        assert_eq!(fold_letters("Raʾūf"), "rauf");
        assert_eq!(fold_letters("Kösen"), "kosen");
        assert_eq!(fold_letters("Friðjónsson"), "fridjonsson");
        assert_eq!(fold_letters("Hızır"), "hizir");
        assert_eq!(fold_latin("Abd-al-Ra'uf"), "abd-al-rauf");
    }

    #[test]
    fn arabic_normalisation_unifies_seats_and_endings() {
        assert_eq!(normalize_arabic("أسامة"), normalize_arabic("اسامه"));
        assert_eq!(normalize_arabic("مُحَمَّد"), "محمد");
        assert_eq!(normalize_arabic("مصطفى"), "مصطفي");
        assert!(is_arabic_text("أبو محمد المصري"));
        assert!(!is_arabic_text("Abu Muhammad"));
        assert!(!is_arabic_text("123"));
    }
}
