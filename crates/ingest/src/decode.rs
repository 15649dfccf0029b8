//! Bytes to clean UTF-8 text: encoding detection, line endings, control
//! characters.

use encoding_rs::Encoding;

/// Text decoded from bytes, with what had to be done to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// The encoding the bytes were read as (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// Set when bytes could not be decoded and were replaced by U+FFFD.
    pub replaced: Option<String>,
}

/// How likely the bytes are to be binary rather than text. Text in UTF-16
/// has NULs, so a byte-order mark exempts it.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bom_encoding(bytes).is_some() {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.is_empty() {
        return false;
    }
    if head.contains(&0) {
        return true;
    }
    // Control bytes other than tab, newline, form feed, carriage return and
    // escape are rare in any text encoding.
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    control * 10 > head.len()
}

fn bom_encoding(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes)
}

/// Decodes bytes to text. `declared` is an encoding label the container
/// states (HTTP header, `<meta charset>`, XML declaration), used when the
/// bytes are not valid UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    let (encoding, body) = if let Some((enc, bom_len)) = bom_encoding(bytes) {
        (enc, &bytes[bom_len..])
    } else if std::str::from_utf8(bytes).is_ok() {
        (encoding_rs::UTF_8, bytes)
    } else {
        let declared = declared
            .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
            .filter(|e| *e != encoding_rs::UTF_8);
        let enc = declared.unwrap_or_else(|| {
            let mut det = chardetng::EncodingDetector::new();
            det.feed(bytes, true);
            det.guess(None, true)
        });
        (enc, bytes)
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let replaced = had_errors.then(|| {
        let bad = first_invalid_utf8(body)
            .map(|at| format!(" (first at byte {at})"))
            .unwrap_or_default();
        format!(
            "invalid {} byte sequences replaced with U+FFFD{bad}",
            encoding.name()
        )
    });
    Decoded {
        text: normalize_text(&text),
        encoding: encoding.name(),
        replaced,
    }
}

fn first_invalid_utf8(bytes: &[u8]) -> Option<usize> {
    std::str::from_utf8(bytes).err().map(|e| e.valid_up_to())
}

/// Normalises line endings to `\n`, drops a leading BOM and control
/// characters other than tab and newline (form feeds become newlines).
pub fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{0c}' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through_with_line_endings_fixed() {
        let d = decode("a\r\nb\rc\u{feff}".as_bytes(), None);
        assert_eq!(d.text, "a\nb\nc\u{feff}");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.replaced.is_none());
    }

    #[test]
    fn bom_selects_encoding() {
        let mut utf16 = vec![0xff, 0xfe];
        for u in "Tehran".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert!(!looks_binary(&utf16));
        let d = decode(&utf16, None);
        assert_eq!(d.text, "Tehran");
        assert_eq!(d.encoding, "UTF-16LE");
        let d = decode(b"\xef\xbb\xbfhello", None);
        assert_eq!(d.text, "hello");
    }

    #[test]
    fn legacy_encoding_is_detected() {
        // "café déjà vu" in windows-1252 repeated so the detector is sure.
        let mut bytes = Vec::new();
        for _ in 0..20 {
            bytes.extend_from_slice(b"Le caf\xe9 d\xe9j\xe0 vu, tr\xe8s \xe9l\xe9gant. ");
        }
        let d = decode(&bytes, None);
        assert!(d.text.starts_with("Le café déjà vu"), "{}", d.text);
        assert!(d.replaced.is_none());
        assert_ne!(d.encoding, "UTF-8");
    }

    #[test]
    fn declared_label_wins_for_non_utf8() {
        let d = decode(b"Stra\xdfe", Some("iso-8859-1"));
        assert_eq!(d.text, "Straße");
    }

    #[test]
    fn mostly_utf8_with_garbage_is_replaced_and_reported() {
        let mut bytes = "Abu Muhammad al-Masri’s daughter ".repeat(10).into_bytes();
        bytes.extend_from_slice(b"\xff\xfe\xfd tail");
        let d = decode(&bytes, None);
        if d.encoding == "UTF-8" {
            assert!(d.text.contains('\u{fffd}'));
            assert!(d.replaced.as_deref().unwrap().contains("byte"));
        } else {
            // A legacy guess is also a valid reading; the text must survive.
            assert!(d.text.contains("al-Masri"));
        }
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\x00\x00\x00"));
        assert!(looks_binary(&[1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        assert!(!looks_binary(b"plain text\nwith lines\n"));
        assert!(!looks_binary(b""));
    }

    #[test]
    fn control_chars_dropped() {
        assert_eq!(normalize_text("a\u{0}b\u{7}c\td\u{0c}e"), "abc\td\ne");
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics_and_has_no_cr(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let d = decode(&bytes, None);
            proptest::prop_assert!(!d.text.contains('\r'));
        }
    }
}
